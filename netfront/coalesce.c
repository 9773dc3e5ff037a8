// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront's side of xen-coalesce: a coalescer per queue and ring in
 * front of the event channel, the ethtool checks, counters in debugfs,
 * defaults from module parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <xen/events.h>

#include <xen-coalesce/core.h>

#include "coalesce.h"

static unsigned int rx_usecs, rx_frames, tx_usecs, tx_frames;
module_param(rx_usecs, uint, 0444);
MODULE_PARM_DESC(rx_usecs, "Default deadline (us) of events for posted receive buffers; 0 = off");
module_param(rx_frames, uint, 0444);
MODULE_PARM_DESC(rx_frames, "Default threshold of events for posted receive buffers");
module_param(tx_usecs, uint, 0444);
MODULE_PARM_DESC(tx_usecs, "Default deadline (us) of events for transmitted packets; 0 = off");
module_param(tx_frames, uint, 0444);
MODULE_PARM_DESC(tx_frames, "Default frame threshold of events for transmitted packets");

static struct xcoal_driver xennet_coalesce_driver = {
	.name = KBUILD_MODNAME,
	.version = XCOAL_VERSION,
};

/* The backend still waits for an event: its req_event is not past our req_prod. */
static bool xennet_tx_owed(struct xcoal_point *pt)
{
	struct xennet_coalesce *c = container_of(pt, struct xennet_coalesce, points.tx);

	virt_mb(); /* our req_prod is visible before we read its req_event */
	return (RING_IDX)(c->tx_ring->sring->req_prod - c->tx_ring->sring->req_event) <
		0x80000000U;
}

static bool xennet_rx_owed(struct xcoal_point *pt)
{
	struct xennet_coalesce *c = container_of(pt, struct xennet_coalesce, points.rx);

	virt_mb(); /* as above, for the RX ring */
	return (RING_IDX)(c->rx_ring->sring->req_prod - c->rx_ring->sring->req_event) <
		0x80000000U;
}

static void xennet_tx_notify(struct xcoal_point *pt)
{
	notify_remote_via_irq(*container_of(pt, struct xennet_coalesce, points.tx)->tx_irq);
}

static void xennet_rx_notify(struct xcoal_point *pt)
{
	notify_remote_via_irq(*container_of(pt, struct xennet_coalesce, points.rx)->rx_irq);
}

static const struct xcoal_point_ops xennet_tx_ops = {
	.notify = xennet_tx_notify,
	.owed = xennet_tx_owed,
};

static const struct xcoal_point_ops xennet_rx_ops = {
	.notify = xennet_rx_notify,
	.owed = xennet_rx_owed,
};

static void xennet_coalesce_split(const struct ethtool_coalesce *ec,
				  struct xcoal_params *tx, struct xcoal_params *rx)
{
	*tx = (struct xcoal_params){ ec->tx_coalesce_usecs, ec->tx_max_coalesced_frames };
	*rx = (struct xcoal_params){ ec->rx_coalesce_usecs, ec->rx_max_coalesced_frames };
}

/**
 * xennet_coalesce_defaults - the module parameters, as ethtool values
 * @ec: filled in: tx-* for transmitted packets, rx-* for posted buffers
 */
void xennet_coalesce_defaults(struct ethtool_coalesce *ec)
{
	ec->tx_coalesce_usecs = tx_usecs;
	ec->tx_max_coalesced_frames = tx_frames;
	ec->rx_coalesce_usecs = rx_usecs;
	ec->rx_max_coalesced_frames = rx_frames;
}

/**
 * xennet_coalesce_check - may these ethtool values be applied?
 * @ec: the values
 * @extack: the reason of a refusal, or NULL
 *
 * Return: 0, or -EINVAL.
 */
int xennet_coalesce_check(const struct ethtool_coalesce *ec,
			  struct netlink_ext_ack *extack)
{
	struct xcoal_params tx, rx;
	const char *why;

	xennet_coalesce_split(ec, &tx, &rx);
	if (!xcoal_params_check(&tx, &why) && !xcoal_params_check(&rx, &why))
		return 0;
	/* why is static; NL_SET_ERR_MSG() takes literals only */
	if (extack)
		extack->_msg = why;
	pr_info("coalesce settings refused: %s\n", why);
	return -EINVAL;
}

/**
 * xennet_coalesce_apply - new values for a queue's points
 * @c: the queue's points; ignored while not connected
 * @ec: values that passed xennet_coalesce_check()
 */
void xennet_coalesce_apply(struct xennet_coalesce *c,
			   const struct ethtool_coalesce *ec)
{
	struct xcoal_params tx, rx;

	xennet_coalesce_split(ec, &tx, &rx);
	xcoal_queue_set_params(&c->points, &tx, &rx);
}

/**
 * xennet_coalesce_connect - start a queue's points, once its rings and
 *	event channels are set up
 * @c: the queue's points
 * @name: the queue's name, for debugfs
 * @tx_ring: the queue's TX ring
 * @rx_ring: the queue's RX ring
 * @tx_irq: where the queue keeps its TX irq
 * @rx_irq: where the queue keeps its RX irq
 * @ec: the device's current values
 */
void xennet_coalesce_connect(struct xennet_coalesce *c, const char *name,
			     struct xen_netif_tx_front_ring *tx_ring,
			     struct xen_netif_rx_front_ring *rx_ring,
			     unsigned int *tx_irq, unsigned int *rx_irq,
			     const struct ethtool_coalesce *ec)
{
	struct xcoal_params tx, rx;

	xennet_coalesce_split(ec, &tx, &rx);
	c->tx_ring = tx_ring;
	c->rx_ring = rx_ring;
	c->tx_irq = tx_irq;
	c->rx_irq = rx_irq;
	xcoal_queue_start(&c->points, name, xennet_coalesce_driver.debugfs,
			  &xennet_tx_ops, &tx, &xennet_rx_ops, &rx);
}

/**
 * xennet_coalesce_disconnect - flush and stop a queue's points, before its
 *	event channels are unbound and its rings freed
 * @c: the queue's points; they may never have been connected
 */
void xennet_coalesce_disconnect(struct xennet_coalesce *c)
{
	xcoal_queue_stop(&c->points);
}

/**
 * xennet_coalesce_tx_push - a packet's TX requests were pushed
 * @c: the queue's points
 * @notify: the ring asked for an event
 */
void xennet_coalesce_tx_push(struct xennet_coalesce *c, bool notify)
{
	xcoal_point_push(&c->points.tx, 1, notify);
}

/**
 * xennet_coalesce_rx_push - RX buffers were posted
 * @c: the queue's points
 * @notify: the ring asked for an event
 */
void xennet_coalesce_rx_push(struct xennet_coalesce *c, bool notify)
{
	xcoal_point_push(&c->points.rx, 1, notify);
}

/**
 * xennet_coalesce_init - check the defaults, register with xen-coalesce
 *
 * Return: 0, -EINVAL for bad module parameters, or the core's error.
 */
int xennet_coalesce_init(void)
{
	struct ethtool_coalesce ec = {};

	xennet_coalesce_defaults(&ec);
	if (xennet_coalesce_check(&ec, NULL))
		return -EINVAL;
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
