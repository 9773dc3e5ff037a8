/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What xen-netfront calls of the coalescing extension. The patch series
 * against upstream adds only these fields and calls; netfront's own
 * structures stay private to xen-netfront.c, so each queue hands over its
 * rings and event channels when it connects.
 */
#ifndef _XEN_NETFRONT_COALESCE_H
#define _XEN_NETFRONT_COALESCE_H

#include <linux/ethtool.h>
#include <xen/interface/io/netif.h>

#include <xen-coalesce/engine.h>

/**
 * struct xennet_coalesce - a queue's two notification points
 * @points: tx for the TX ring's requests (packets the guest sends), rx for
 *	the RX ring's requests (buffers the guest posts)
 * @tx_ring: the queue's TX ring, while connected
 * @rx_ring: the queue's RX ring, while connected
 * @tx_irq: where the queue keeps its TX event channel irq
 * @rx_irq: where the queue keeps its RX event channel irq
 */
struct xennet_coalesce {
	struct xcoal_queue points;
	struct xen_netif_tx_front_ring *tx_ring;
	struct xen_netif_rx_front_ring *rx_ring;
	unsigned int *tx_irq;
	unsigned int *rx_irq;
};

#define XENNET_COALESCE_PARAMS \
	(ETHTOOL_COALESCE_USECS | ETHTOOL_COALESCE_MAX_FRAMES)

int xennet_coalesce_init(void);
void xennet_coalesce_exit(void);
void xennet_coalesce_connect(struct xennet_coalesce *c, const char *name,
			     struct xen_netif_tx_front_ring *tx_ring,
			     struct xen_netif_rx_front_ring *rx_ring,
			     unsigned int *tx_irq, unsigned int *rx_irq,
			     const struct ethtool_coalesce *ec);
void xennet_coalesce_disconnect(struct xennet_coalesce *c);
void xennet_coalesce_tx_push(struct xennet_coalesce *c, bool notify);
void xennet_coalesce_rx_push(struct xennet_coalesce *c, bool notify);
int xennet_coalesce_check(const struct ethtool_coalesce *ec,
			  struct netlink_ext_ack *extack);
void xennet_coalesce_apply(struct xennet_coalesce *c,
			   const struct ethtool_coalesce *ec);
void xennet_coalesce_defaults(struct ethtool_coalesce *ec);

#endif /* _XEN_NETFRONT_COALESCE_H */
