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
 * struct xenvif_coalesce_cfg - a VIF's coalescing, as ethtool sets it
 * @to_guest_tx: completions of the guest's transmits (the vif's receive
 *	side: ethtool rx-usecs/rx-frames)
 * @to_guest_rx: packets delivered to the guest (the vif's transmit side:
 *	ethtool tx-usecs/tx-frames)
 */
struct xenvif_coalesce_cfg {
	struct xcoal_params to_guest_tx;
	struct xcoal_params to_guest_rx;
};

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
