// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront's side of xen-coalesce: registration with the core module.
 * The per-queue coalescers, sysfs and ethtool hooks grow from here.
 */
#include <linux/module.h>

#include <xen-coalesce/core.h>

#include "coalesce.h"

static struct xcoal_driver xennet_coalesce_driver = {
	.name = KBUILD_MODNAME,
	.version = XCOAL_VERSION,
};

/**
 * xennet_coalesce_init - register xen-netfront with xen-coalesce
 *
 * Return: 0 or a negative errno from the core.
 */
int xennet_coalesce_init(void)
{
	return xcoal_driver_register(&xennet_coalesce_driver);
}

/**
 * xennet_coalesce_exit - undo xennet_coalesce_init()
 */
void xennet_coalesce_exit(void)
{
	xcoal_driver_unregister(&xennet_coalesce_driver);
}

MODULE_VERSION(XCOAL_VERSION);
