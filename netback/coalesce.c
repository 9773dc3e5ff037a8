// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback's side of xen-coalesce: a coalescer per queue and ring in
 * front of the event channel, ethtool's coalesce ops on vifX.Y, counters
 * in debugfs, defaults from module parameters.
 */
/* First: common.h sets pr_fmt before anything includes printk.h. */
#include "common.h"

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <xen/events.h>

#include <xen-coalesce/core.h>

static unsigned int rx_usecs, rx_frames, tx_usecs, tx_frames;
module_param(rx_usecs, uint, 0444);
MODULE_PARM_DESC(rx_usecs, "Default deadline (us) of events for the guest's transmits; 0 = off");
module_param(rx_frames, uint, 0444);
MODULE_PARM_DESC(rx_frames, "Default frame threshold of events for the guest's transmits");
module_param(tx_usecs, uint, 0444);
MODULE_PARM_DESC(tx_usecs, "Default deadline (us) of events for packets to the guest; 0 = off");
module_param(tx_frames, uint, 0444);
MODULE_PARM_DESC(tx_frames, "Default frame threshold of events for packets to the guest");

static struct xenvif_coalesce_cfg xenvif_coalesce_defaults = {
	.class = XCOAL_CLASS_NONE,
	.budget_us = XCOAL_BUDGET_DEFAULT_US,
};

static struct xcoal_driver xenvif_coalesce_driver = {
	.name = KBUILD_MODNAME,
	.version = XCOAL_VERSION,
};

/* The peer still waits for an event: its event index is not past our producer. */
static bool xenvif_tx_owed(struct xcoal_point *pt)
{
	struct xenvif_queue *queue = container_of(pt, struct xenvif_queue, coal.tx);
	struct xen_netif_tx_sring *sring = queue->tx.sring;

	virt_mb(); /* our rsp_prod is visible before we read its rsp_event */
	return (RING_IDX)(sring->rsp_prod - sring->rsp_event) < 0x80000000U;
}

static bool xenvif_rx_owed(struct xcoal_point *pt)
{
	struct xenvif_queue *queue = container_of(pt, struct xenvif_queue, coal.rx);
	struct xen_netif_rx_sring *sring = queue->rx.sring;

	virt_mb(); /* our rsp_prod is visible before we read its rsp_event */
	return (RING_IDX)(sring->rsp_prod - sring->rsp_event) < 0x80000000U;
}

static void xenvif_tx_notify(struct xcoal_point *pt)
{
	notify_remote_via_irq(container_of(pt, struct xenvif_queue, coal.tx)->tx_irq);
}

static void xenvif_rx_notify(struct xcoal_point *pt)
{
	notify_remote_via_irq(container_of(pt, struct xenvif_queue, coal.rx)->rx_irq);
}

static const struct xcoal_point_ops xenvif_tx_ops = {
	.notify = xenvif_tx_notify,
	.owed = xenvif_tx_owed,
};

static const struct xcoal_point_ops xenvif_rx_ops = {
	.notify = xenvif_rx_notify,
	.owed = xenvif_rx_owed,
};

/**
 * xenvif_coalesce_effective - the backend's parameters in force
 * @cfg: the VIF's configuration
 * @to_guest_tx: filled in: completions of the guest's transmits
 * @to_guest_rx: filled in: deliveries to the guest
 *
 * The class's plan while a class is set, ethtool's values otherwise.
 */
void xenvif_coalesce_effective(const struct xenvif_coalesce_cfg *cfg,
			       struct xcoal_params *to_guest_tx,
			       struct xcoal_params *to_guest_rx)
{
	if (cfg->class != XCOAL_CLASS_NONE) {
		*to_guest_tx = cfg->plan.complete;
		*to_guest_rx = cfg->plan.deliver;
	} else {
		*to_guest_tx = cfg->to_guest_tx;
		*to_guest_rx = cfg->to_guest_rx;
	}
}

/**
 * xenvif_coalesce_apply - put the parameters in force on every queue
 * @vif: the VIF; called under rtnl, which keeps its queues
 */
void xenvif_coalesce_apply(struct xenvif *vif)
{
	struct xcoal_params tx, rx;
	unsigned int i;

	ASSERT_RTNL();
	xenvif_coalesce_effective(&vif->coal_cfg, &tx, &rx);
	/* Queues exist while connected; a queue that connects later starts
	 * from the same values.
	 */
	if (!test_bit(VIF_STATUS_CONNECTED, &vif->status))
		return;
	for (i = 0; i < vif->num_queues; i++)
		xcoal_queue_set_params(&vif->queues[i].coal, &tx, &rx);
}

/* The VIF's class and the share of each layer, in each queue's file. */
static void xenvif_coalesce_show(struct seq_file *m, struct xcoal_queue *q)
{
	const struct xenvif_coalesce_cfg *cfg =
		&container_of(q, struct xenvif_queue, coal)->vif->coal_cfg;
	const struct xcoal_plan *p = &cfg->plan;

	seq_printf(m, "class: %s budget_us %u\n", xcoal_class_name(cfg->class),
		   cfg->budget_us);
	if (cfg->class == XCOAL_CLASS_NONE)
		return;
	seq_printf(m, "plan: nic_usecs %u deliver %u/%u complete %u/%u front_tx %u/%u front_rx %u/%u\n",
		   p->nic_usecs, p->deliver.usecs, p->deliver.frames,
		   p->complete.usecs, p->complete.frames, p->front_tx.usecs,
		   p->front_tx.frames, p->front_rx.usecs, p->front_rx.frames);
}

/**
 * xenvif_coalesce_sset_count - how many coalescing counters ethtool -S shows
 * @dev: the vif
 *
 * One set per queue the device has: the count ethtool's core asks for and
 * the values it then reads are one call under rtnl, which the queue count
 * changes under.
 */
int xenvif_coalesce_sset_count(struct net_device *dev)
{
	return dev->real_num_tx_queues * XCOAL_QUEUE_N_STATS;
}

/**
 * xenvif_coalesce_get_strings - the names of the coalescing counters
 * @dev: the vif
 * @data: where the first name goes
 */
void xenvif_coalesce_get_strings(struct net_device *dev, u8 *data)
{
	unsigned int i;

	for (i = 0; i < dev->real_num_tx_queues; i++)
		xcoal_queue_get_strings(i, &data);
}

/**
 * xenvif_coalesce_get_stats - the coalescing counters, per queue
 * @vif: the VIF
 * @num_queues: the queues connected, read under rcu_read_lock() (the
 *	queues are freed only after a grace period once it is 0)
 * @data: where the first value goes
 *
 * A queue the device counts but the frontend has not connected (or no
 * longer has) shows zeros.
 */
void xenvif_coalesce_get_stats(struct xenvif *vif, unsigned int num_queues,
			       u64 *data)
{
	unsigned int i;

	for (i = 0; i < vif->dev->real_num_tx_queues; i++)
		xcoal_queue_get_ethtool_stats(i < num_queues ?
					      &vif->queues[i].coal : NULL, &data);
}

/**
 * xenvif_coalesce_vif_init - a new VIF starts from the module's defaults
 * @vif: the VIF
 */
void xenvif_coalesce_vif_init(struct xenvif *vif)
{
	vif->coal_cfg = xenvif_coalesce_defaults;
}

/**
 * xenvif_coalesce_connect - start a queue's points, after its event
 *	channels are bound
 * @queue: the queue
 */
void xenvif_coalesce_connect(struct xenvif_queue *queue)
{
	struct xcoal_params tx, rx;

	xenvif_coalesce_effective(&queue->vif->coal_cfg, &tx, &rx);
	queue->coal.show = xenvif_coalesce_show;
	xcoal_queue_start(&queue->coal, queue->name, xenvif_coalesce_driver.debugfs,
			  &xenvif_tx_ops, &tx, &xenvif_rx_ops, &rx);
	/* The rings may be re-attached mid-stream (resume): count from here. */
	xcoal_point_set_prod(&queue->coal.tx, queue->tx.rsp_prod_pvt);
	xcoal_point_set_prod(&queue->coal.rx, queue->rx.rsp_prod_pvt);
}

/**
 * xenvif_coalesce_disconnect - flush and stop a queue's points, before its
 *	event channels are unbound and its rings unmapped
 * @queue: the queue; it may never have been connected
 */
void xenvif_coalesce_disconnect(struct xenvif_queue *queue)
{
	xcoal_queue_stop(&queue->coal);
}

/*
 * Room the guest has left on its TX ring, as the backend can tell: when it
 * sleeps it set rsp_event one past what it consumed, and it stops sending
 * with fewer than XEN_NETIF_NR_SLOTS_MIN + 1 slots free. 0: it is stopped
 * (or about to be) until it hears of our responses. rsp_event is the
 * guest's to write: a lie only moves the guest's own events.
 */
static u32 xenvif_tx_guest_room(struct xenvif_queue *queue)
{
	struct xen_netif_tx_sring *sring = queue->tx.sring;
	u32 used = READ_ONCE(sring->req_prod) - (READ_ONCE(sring->rsp_event) - 1);
	u32 stop = XEN_NETIF_TX_RING_SIZE - XEN_NETIF_NR_SLOTS_MIN - 1;

	return used < stop ? stop - used : 0;
}

/**
 * xenvif_coalesce_tx_push - TX responses were pushed
 * @queue: the queue
 * @notify: the ring asked for an event
 *
 * Counts responses (ring slots). Called under the queue's response_lock.
 */
void xenvif_coalesce_tx_push(struct xenvif_queue *queue, bool notify)
{
	xcoal_point_push_ring(&queue->coal.tx, queue->tx.rsp_prod_pvt, notify,
			      xenvif_tx_guest_room(queue));
}

/*
 * Room the backend has left on the guest's RX ring: the requests it may
 * still fill, or 0 when the packet at the head of its queue needs more.
 */
static u32 xenvif_rx_room(struct xenvif_queue *queue)
{
	u32 avail = READ_ONCE(queue->rx.sring->req_prod) - queue->rx.req_cons;

	return avail >= READ_ONCE(queue->rx_slots_needed) ? avail : 0;
}

/**
 * xenvif_coalesce_rx_push - RX responses were pushed
 * @queue: the queue
 * @notify: the ring asked for an event
 *
 * Counts responses (ring slots). Called from the queue's RX thread.
 */
void xenvif_coalesce_rx_push(struct xenvif_queue *queue, bool notify)
{
	xcoal_point_push_ring(&queue->coal.rx, queue->rx.rsp_prod_pvt, notify,
			      xenvif_rx_room(queue));
}

/**
 * xenvif_coalesce_rx_blocked - the guest's RX ring cannot take the next
 *	packet: the event the guest is owed goes out now, or the backend
 *	would sit on a full ring until the deadline
 * @queue: the queue
 */
void xenvif_coalesce_rx_blocked(struct xenvif_queue *queue)
{
	xcoal_point_blocked(&queue->coal.rx);
}

/* The two points' parameters as ethtool shows them (rx-*: tx, tx-*: rx). */
static void xenvif_coalesce_to_ethtool(const struct xcoal_params *tx,
				       const struct xcoal_params *rx,
				       struct ethtool_coalesce *ec)
{
	ec->rx_coalesce_usecs = tx->usecs;
	ec->rx_max_coalesced_frames = tx->frames;
	ec->tx_coalesce_usecs = rx->usecs;
	ec->tx_max_coalesced_frames = rx->frames;
	ec->use_adaptive_rx_coalesce = tx->adaptive;
	ec->use_adaptive_tx_coalesce = rx->adaptive;
}

/**
 * xenvif_get_coalesce - ethtool -c vifX.Y
 * @dev: the vif
 * @ec: filled in: rx-* for the guest's transmits, tx-* for packets to it,
 *	the values in force (a latency class's while one is set)
 * @kec: unused
 * @extack: unused
 *
 * Return: 0.
 */
int xenvif_get_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			struct kernel_ethtool_coalesce *kec,
			struct netlink_ext_ack *extack)
{
	struct xenvif *vif = netdev_priv(dev);
	struct xcoal_params tx, rx;

	xenvif_coalesce_effective(&vif->coal_cfg, &tx, &rx);
	xenvif_coalesce_to_ethtool(&tx, &rx, ec);
	return 0;
}

/*
 * ethtool's values as the two points' parameters (rx-* for the guest's
 * transmits, tx-* for packets to it), checked: -EBUSY while a latency
 * class decides them, -EINVAL for values the engine refuses.
 */
static int xenvif_coalesce_from_ethtool(struct net_device *dev,
					const struct ethtool_coalesce *ec,
					struct netlink_ext_ack *extack,
					struct xcoal_params *tx,
					struct xcoal_params *rx)
{
	struct xenvif *vif = netdev_priv(dev);
	const char *why;

	*tx = (struct xcoal_params){
		.usecs = ec->rx_coalesce_usecs,
		.frames = ec->rx_max_coalesced_frames,
		.adaptive = ec->use_adaptive_rx_coalesce,
	};
	*rx = (struct xcoal_params){
		.usecs = ec->tx_coalesce_usecs,
		.frames = ec->tx_max_coalesced_frames,
		.adaptive = ec->use_adaptive_tx_coalesce,
	};
	if (vif->coal_cfg.class != XCOAL_CLASS_NONE) {
		NL_SET_ERR_MSG(extack,
			       "a latency class is set: write none to xen_coalesce/class first");
		netdev_info(dev, "coalesce settings refused: class %s decides them\n",
			    xcoal_class_name(vif->coal_cfg.class));
		return -EBUSY;
	}
	if (xcoal_params_check(tx, &why) || xcoal_params_check(rx, &why)) {
		/* why is static; NL_SET_ERR_MSG() takes literals only */
		if (extack)
			extack->_msg = why;
		netdev_info(dev, "coalesce settings refused: %s\n", why);
		return -EINVAL;
	}
	return 0;
}

/**
 * xenvif_set_coalesce - ethtool -C vifX.Y
 * @dev: the vif
 * @ec: the new values; all four are checked before any is applied
 * @kec: unused
 * @extack: the reason of a refusal
 *
 * Return: 0; -EBUSY while a latency class decides the values; or
 * -EINVAL with nothing changed.
 */
int xenvif_set_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			struct kernel_ethtool_coalesce *kec,
			struct netlink_ext_ack *extack)
{
	struct xenvif *vif = netdev_priv(dev);
	struct xcoal_params tx, rx;
	int err;

	err = xenvif_coalesce_from_ethtool(dev, ec, extack, &tx, &rx);
	if (err)
		return err;
	vif->coal_cfg.to_guest_tx = tx;
	vif->coal_cfg.to_guest_rx = rx;
	xenvif_coalesce_apply(vif);
	return 0;
}

/**
 * xenvif_get_per_queue_coalesce - ethtool --per-queue ... --show-coalesce
 * @dev: the vif
 * @queue: the queue's index
 * @ec: filled in as by ethtool -c, with what the queue has in force (the
 *	vif's values for a queue not connected: what it will start from)
 *
 * Return: 0, or -EINVAL for a queue the vif does not have.
 */
int xenvif_get_per_queue_coalesce(struct net_device *dev, u32 queue,
				  struct ethtool_coalesce *ec)
{
	struct xenvif *vif = netdev_priv(dev);
	struct xcoal_params tx, rx;

	ASSERT_RTNL();
	if (queue >= dev->real_num_tx_queues)
		return -EINVAL;
	if (test_bit(VIF_STATUS_CONNECTED, &vif->status) &&
	    queue < vif->num_queues) {
		xcoal_point_get_params(&vif->queues[queue].coal.tx, &tx);
		xcoal_point_get_params(&vif->queues[queue].coal.rx, &rx);
	} else {
		xenvif_coalesce_effective(&vif->coal_cfg, &tx, &rx);
	}
	xenvif_coalesce_to_ethtool(&tx, &rx, ec);
	return 0;
}

/**
 * xenvif_set_per_queue_coalesce - ethtool --per-queue ... --coalesce
 * @dev: the vif
 * @queue: the queue's index
 * @ec: the new values, checked as by ethtool -C
 *
 * The queue's points take the values now; the vif keeps its own (ethtool
 * -c), which the queue takes back at the vif's next change (ethtool -C,
 * a class, a reconnect).
 *
 * Return: 0; -EBUSY while a latency class decides the values; -EINVAL
 * for bad values or a queue the vif does not have; -ENOTCONN for a queue
 * not connected. Nothing changed on an error.
 */
int xenvif_set_per_queue_coalesce(struct net_device *dev, u32 queue,
				  struct ethtool_coalesce *ec)
{
	struct xenvif *vif = netdev_priv(dev);
	struct xcoal_params tx, rx;
	int err;

	ASSERT_RTNL();
	if (queue >= dev->real_num_tx_queues)
		return -EINVAL;
	err = xenvif_coalesce_from_ethtool(dev, ec, NULL, &tx, &rx);
	if (err)
		return err;
	/* Queues exist while connected (the flag changes under rtnl). */
	if (!test_bit(VIF_STATUS_CONNECTED, &vif->status) ||
	    queue >= vif->num_queues)
		return -ENOTCONN;
	xcoal_queue_set_params(&vif->queues[queue].coal, &tx, &rx);
	return 0;
}

/**
 * xenvif_coalesce_init - check the defaults, register with xen-coalesce
 *
 * Return: 0, -EINVAL for bad module parameters, or the core's error.
 */
int xenvif_coalesce_init(void)
{
	struct xenvif_coalesce_cfg *d = &xenvif_coalesce_defaults;
	const char *why;

	d->to_guest_tx = (struct xcoal_params){ .usecs = rx_usecs, .frames = rx_frames };
	d->to_guest_rx = (struct xcoal_params){ .usecs = tx_usecs, .frames = tx_frames };
	if (xcoal_params_check(&d->to_guest_tx, &why)) {
		pr_err("rx_usecs=%u rx_frames=%u refused: %s\n", rx_usecs, rx_frames, why);
		return -EINVAL;
	}
	if (xcoal_params_check(&d->to_guest_rx, &why)) {
		pr_err("tx_usecs=%u tx_frames=%u refused: %s\n", tx_usecs, tx_frames, why);
		return -EINVAL;
	}
	if (xenvif_coalesce_class_init())
		return -EINVAL;
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
