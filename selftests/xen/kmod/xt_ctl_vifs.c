// SPDX-License-Identifier: GPL-2.0
/*
 * xt_ctl_vifs: a test module for the real-Xen harness, loaded in dom0.
 *
 * The dom0 controller's cost with many classed VIFs on one bridge,
 * without as many guests: writing a class to "class" hands every device
 * whose name starts with "prefix" to the controller as a VIF of that
 * class, through xcoal_ctl_vif_set(), exactly as netback does when a
 * vif's class is written ("none" withdraws them). The shell makes the
 * devices (dummies) and their bridge.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>

#include <xen-coalesce/controller.h>

static char *prefix = "xtd";
module_param(prefix, charp, 0444);
MODULE_PARM_DESC(prefix, "the devices handed over: those whose name starts with this");

static unsigned int nic_usecs = 4000;
module_param(nic_usecs, uint, 0644);
MODULE_PARM_DESC(nic_usecs, "the NIC share each of them asks for");

static int handed;
module_param(handed, int, 0444);
MODULE_PARM_DESC(handed, "devices handed over by the last class write, or its errno");

static const char * const xt_classes[] = {
	[XCOAL_CLASS_NONE] = "none",
	[XCOAL_CLASS_A] = "A",
	[XCOAL_CLASS_B] = "B",
	[XCOAL_CLASS_C] = "C",
};

static int xt_class_set(const char *val, const struct kernel_param *kp)
{
	int class = sysfs_match_string(xt_classes, val);
	struct net_device *dev;
	int n = 0, err = 0;

	if (class < 0)
		return class;
	rtnl_lock();
	for_each_netdev(&init_net, dev) {
		if (strncmp(dev->name, prefix, strlen(prefix)))
			continue;
		err = xcoal_ctl_vif_set(dev, class, nic_usecs);
		if (err)
			break;
		n++;
	}
	rtnl_unlock();
	WRITE_ONCE(handed, err ?: n);
	return err;
}

static const struct kernel_param_ops xt_class_ops = {
	.set = xt_class_set,
};
module_param_cb(class, &xt_class_ops, NULL, 0200);
MODULE_PARM_DESC(class, "A, B, C or none: the class of every device with the prefix");

/* Nothing handed over outlives the module. */
static void __exit xt_exit(void)
{
	xt_class_set("none", NULL);
}

module_exit(xt_exit);
MODULE_DESCRIPTION("Real-Xen harness: many classed VIFs for the dom0 controller");
MODULE_LICENSE("GPL");
