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

/**
 * struct xcoal_uint_param - a module parameter writable in a range, used
 *	with xcoal_uint_param_ops
 * @val: the value in force; read it with READ_ONCE()
 * @max: the largest value taken (the smallest is 0)
 */
struct xcoal_uint_param {
	unsigned int val;
	unsigned int max;
};

extern const struct kernel_param_ops xcoal_uint_param_ops;

#endif /* _XEN_COALESCE_CORE_H */
