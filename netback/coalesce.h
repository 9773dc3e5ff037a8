/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What xen-netback calls of the coalescing extension. The patch series
 * against upstream adds only these fields and calls.
 */
#ifndef _XEN_NETBACK_COALESCE_H
#define _XEN_NETBACK_COALESCE_H

#include <linux/ethtool.h>

#include <xen-coalesce/engine.h>

struct xenvif;
struct xenvif_queue;

/**
 * struct xenvif_coalesce_cfg - a VIF's coalescing, as ethtool and sysfs set it
 * @to_guest_tx: completions of the guest's transmits (the vif's receive
 *	side: ethtool rx-usecs/rx-frames)
 * @to_guest_rx: packets delivered to the guest (the vif's transmit side:
 *	ethtool tx-usecs/tx-frames)
 * @class: the latency class (sysfs xen_coalesce/class)
 * @budget_us: class B's budget of added latency (sysfs xen_coalesce/budget_us)
 */
struct xenvif_coalesce_cfg {
	struct xcoal_params to_guest_tx;
	struct xcoal_params to_guest_rx;
	enum xcoal_class class;
	u32 budget_us;
};

extern const struct attribute_group xenvif_coalesce_group;

#define XENVIF_COALESCE_PARAMS \
	(ETHTOOL_COALESCE_USECS | ETHTOOL_COALESCE_MAX_FRAMES)

int xenvif_coalesce_init(void);
void xenvif_coalesce_exit(void);
void xenvif_coalesce_vif_init(struct xenvif *vif);
void xenvif_coalesce_connect(struct xenvif_queue *queue);
void xenvif_coalesce_disconnect(struct xenvif_queue *queue);
void xenvif_coalesce_tx_push(struct xenvif_queue *queue, bool notify);
void xenvif_coalesce_rx_push(struct xenvif_queue *queue, unsigned int frames,
			     bool notify);
int xenvif_get_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			struct kernel_ethtool_coalesce *kec,
			struct netlink_ext_ack *extack);
int xenvif_set_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			struct kernel_ethtool_coalesce *kec,
			struct netlink_ext_ack *extack);

#endif /* _XEN_NETBACK_COALESCE_H */
