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
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/interface/io/netif.h>

#include <xen/xenbus.h>

#include <xen-coalesce/engine.h>

/**
 * struct xennet_coalesce - a queue's coalescing
 * @points: the coalescers of the events to the backend, TX and RX rings
 * @tx_ring: the queue's TX ring
 * @rx_ring: the queue's RX ring
 * @tx_irq: where the queue keeps its TX irq
 * @rx_irq: where the queue keeps its RX irq
 * @tx_held: packets queued on the TX ring but not yet pushed, because
 *	the stack said more follow (netdev_xmit_more()); under the TX lock
 * @tx_orphan: the queue's TX events may wait longer than
 *	XCOAL_TX_PATH_USECS_MAX, so its packets leave their socket's
 *	accounting when queued (xennet_coalesce_tx_orphan())
 */
struct xennet_coalesce {
	struct xcoal_queue points;
	struct xen_netif_tx_front_ring *tx_ring;
	struct xen_netif_rx_front_ring *rx_ring;
	unsigned int *tx_irq;
	unsigned int *rx_irq;
	unsigned int tx_held;
	bool tx_orphan;
};

/**
 * struct xennet_coalesce_follow - the device follows the coalescing the
 *	backend sets for it in xenstore (Documentation/protocol.rst)
 * @watch: on the backend's coalesce/ directory
 * @work: puts @next in force, under rtnl (never in the watch: xenwatch
 *	must not wait for rtnl); it only tries rtnl and comes back later,
 *	since xenwatch waits for it when the device reconnects
 * @lock: guards @next and @have_next
 * @next: the values the watch read last
 * @have_next: @next is not yet in force
 * @dev: the device
 * @apply: sets the device's coalescing, as ethtool -C would; under rtnl
 * @active: @watch is registered
 */
struct xennet_coalesce_follow {
	struct xenbus_watch watch;
	struct delayed_work work;
	spinlock_t lock; /* xenwatch and the work: process context */
	struct ethtool_coalesce next;
	bool have_next;
	struct net_device *dev;
	void (*apply)(struct net_device *dev, const struct ethtool_coalesce *ec);
	bool active;
};

#define XENNET_COALESCE_PARAMS \
	(ETHTOOL_COALESCE_USECS | ETHTOOL_COALESCE_MAX_FRAMES | \
	 ETHTOOL_COALESCE_USE_ADAPTIVE)

int xennet_coalesce_init(void);
void xennet_coalesce_exit(void);
void xennet_coalesce_connect(struct xennet_coalesce *c, const char *name,
			     struct xen_netif_tx_front_ring *tx_ring,
			     struct xen_netif_rx_front_ring *rx_ring,
			     unsigned int *tx_irq, unsigned int *rx_irq,
			     const struct ethtool_coalesce *ec);
void xennet_coalesce_disconnect(struct xennet_coalesce *c);
void xennet_coalesce_tx_orphan(struct xennet_coalesce *c, struct sk_buff *skb);
bool xennet_coalesce_tx_hold(struct xennet_coalesce *c, bool more);
bool xennet_coalesce_tx_held(const struct xennet_coalesce *c);
void xennet_coalesce_tx_push(struct xennet_coalesce *c, bool notify);
int xennet_coalesce_advertise(struct xenbus_transaction xbt,
			      struct xenbus_device *xbdev, bool trusted);
void xennet_coalesce_follow_start(struct xennet_coalesce_follow *f,
				  struct xenbus_device *xbdev,
				  struct net_device *dev, bool trusted,
				  void (*apply)(struct net_device *dev,
						const struct ethtool_coalesce *ec));
void xennet_coalesce_follow_stop(struct xennet_coalesce_follow *f);
void xennet_coalesce_rx_push(struct xennet_coalesce *c, bool notify);
int xennet_coalesce_check(const struct ethtool_coalesce *ec,
			  struct netlink_ext_ack *extack);
void xennet_coalesce_apply(struct xennet_coalesce *c,
			   const struct ethtool_coalesce *ec);
void xennet_coalesce_defaults(struct ethtool_coalesce *ec);

#endif /* _XEN_NETFRONT_COALESCE_H */
