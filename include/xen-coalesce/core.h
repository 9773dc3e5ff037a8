/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API xen-coalesce.ko offers the drivers it serves (xen-netback in
 * dom0, xen-netfront in a guest).
 */
#ifndef _XEN_COALESCE_CORE_H
#define _XEN_COALESCE_CORE_H

#include <linux/list.h>

struct dentry;
struct kernel_param;

/**
 * struct xcoal_driver - a driver built with the coalescing hooks
 * @name: the module's name, e.g. "xen-netback"
 * @version: the project version the driver was built from
 * @debugfs: the driver's directory below the xen-coalesce debugfs root,
 *	set by xcoal_driver_register(); an error pointer without debugfs
 * @node: entry in the list of registered drivers
 */
struct xcoal_driver {
	const char *name;
	const char *version;
	struct dentry *debugfs;
	struct list_head node;
};

int xcoal_driver_register(struct xcoal_driver *drv);
void xcoal_driver_unregister(struct xcoal_driver *drv);
int xcoal_param_set_max(const char *val, const struct kernel_param *kp,
			unsigned int max);

#endif /* _XEN_COALESCE_CORE_H */
