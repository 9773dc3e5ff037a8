// SPDX-License-Identifier: GPL-2.0
/*
 * xen-coalesce: notification coalescing for Xen's split network drivers.
 *
 * This file holds the module's life cycle, the registry of the drivers
 * built with the coalescing hooks and their module-parameter helper; the
 * engine and the dom0 controller live in files of their own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

#include <xen-coalesce/controller.h>
#include <xen-coalesce/core.h>
#include <xen-coalesce/params.h>
#include <xen-coalesce/push_cost.h>

static DEFINE_MUTEX(xcoal_drivers_lock);
static LIST_HEAD(xcoal_drivers);
static struct dentry *xcoal_debugfs_root;

/**
 * xcoal_driver_register - announce a driver built with the hooks
 * @drv: the driver; @drv->name and @drv->version must be set
 *
 * Gives the driver its own debugfs directory below the xen-coalesce root.
 *
 * Return: 0, or -EEXIST if a driver of that name is registered already.
 */
int xcoal_driver_register(struct xcoal_driver *drv)
{
	struct xcoal_driver *d;
	int rc = 0;

	mutex_lock(&xcoal_drivers_lock);
	list_for_each_entry(d, &xcoal_drivers, node) {
		if (!strcmp(d->name, drv->name)) {
			rc = -EEXIST;
			goto out;
		}
	}
	drv->debugfs = debugfs_create_dir(drv->name, xcoal_debugfs_root);
	list_add_tail(&drv->node, &xcoal_drivers);
	pr_info("%s %s registered\n", drv->name, drv->version);
out:
	mutex_unlock(&xcoal_drivers_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(xcoal_driver_register);

/**
 * xcoal_driver_unregister - forget a driver registered before
 * @drv: the driver, as passed to xcoal_driver_register()
 *
 * Removes the driver's debugfs directory with everything below it.
 */
void xcoal_driver_unregister(struct xcoal_driver *drv)
{
	mutex_lock(&xcoal_drivers_lock);
	list_del(&drv->node);
	debugfs_remove_recursive(drv->debugfs);
	drv->debugfs = NULL;
	mutex_unlock(&xcoal_drivers_lock);
}
EXPORT_SYMBOL_GPL(xcoal_driver_unregister);

/*
 * A ranged parameter (struct xcoal_uint_param): anything but a number in
 * 0..max is refused with -EINVAL, logged, and changes nothing.
 */
static int xcoal_uint_param_set(const char *val, const struct kernel_param *kp)
{
	struct xcoal_uint_param *p = kp->arg;
	u32 v;

	if (xcoal_u32_parse(val, strlen(val), &v) || v > p->max) {
		pr_info("%s.%s refused: not a number in 0..%u\n",
			kp->mod ? kp->mod->name : "?", kp->name, p->max);
		return -EINVAL;
	}
	WRITE_ONCE(p->val, v);
	return 0;
}

static int xcoal_uint_param_get(char *buffer, const struct kernel_param *kp)
{
	const struct xcoal_uint_param *p = kp->arg;

	return scnprintf(buffer, PAGE_SIZE, "%u\n", READ_ONCE(p->val));
}

const struct kernel_param_ops xcoal_uint_param_ops = {
	.set = xcoal_uint_param_set,
	.get = xcoal_uint_param_get,
};
EXPORT_SYMBOL_GPL(xcoal_uint_param_ops);

/* debugfs "drivers": one line per registered driver, "name version". */
static int xcoal_drivers_show(struct seq_file *m, void *v)
{
	struct xcoal_driver *d;

	mutex_lock(&xcoal_drivers_lock);
	list_for_each_entry(d, &xcoal_drivers, node)
		seq_printf(m, "%s %s\n", d->name, d->version);
	mutex_unlock(&xcoal_drivers_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xcoal_drivers);

static int __init xcoal_init(void)
{
	int err;

	xcoal_debugfs_root = debugfs_create_dir("xen-coalesce", NULL);
	debugfs_create_file("drivers", 0444, xcoal_debugfs_root, NULL,
			    &xcoal_drivers_fops);
	xcoal_push_cost_init(xcoal_debugfs_root);
	err = xcoal_ctl_init(xcoal_debugfs_root);
	if (err) {
		debugfs_remove_recursive(xcoal_debugfs_root);
		return err;
	}
	pr_info("version %s loaded\n", XCOAL_VERSION);
	return 0;
}

static void __exit xcoal_exit(void)
{
	/* Drivers hold a module reference, so none is registered here. */
	xcoal_ctl_exit();
	debugfs_remove_recursive(xcoal_debugfs_root);
}

module_init(xcoal_init);
module_exit(xcoal_exit);

MODULE_DESCRIPTION("Notification coalescing for Xen network drivers");
MODULE_LICENSE("GPL");
MODULE_VERSION(XCOAL_VERSION);
