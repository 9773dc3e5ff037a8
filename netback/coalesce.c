// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback's side of xen-coalesce: registration with the core module.
 * The per-queue coalescers, sysfs and ethtool hooks grow from here.
 */
#include <linux/module.h>

#include <xen-coalesce/core.h>

#include "coalesce.h"

static struct xcoal_driver xenvif_coalesce_driver = {
	.name = KBUILD_MODNAME,
	.version = XCOAL_VERSION,
};

/**
 * xenvif_coalesce_init - register xen-netback with xen-coalesce
 *
 * Return: 0 or a negative errno from the core.
 */
int xenvif_coalesce_init(void)
{
	return xcoal_driver_register(&xenvif_coalesce_driver);
}

/**
 * xenvif_coalesce_exit - undo xenvif_coalesce_init()
 */
void xenvif_coalesce_exit(void)
{
	xcoal_driver_unregister(&xenvif_coalesce_driver);
}

MODULE_VERSION(XCOAL_VERSION);
