/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dom0 controller: tells each physical NIC that a VIF's traffic
 * crosses how much receive delay it may add (see coalesce/controller.c).
 */
#ifndef _XEN_COALESCE_CONTROLLER_H
#define _XEN_COALESCE_CONTROLLER_H

#include <linux/netdevice.h>

#include "params.h"

int xcoal_ctl_vif_set(struct net_device *vif, enum xcoal_class class,
		      u32 nic_usecs);

/* Module life cycle, from coalesce/main.c. */
int xcoal_ctl_init(struct dentry *debugfs_root);
void xcoal_ctl_exit(void);

#endif /* _XEN_COALESCE_CONTROLLER_H */
