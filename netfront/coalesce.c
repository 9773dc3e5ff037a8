// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront's side of xen-coalesce: a coalescer per queue and ring in
 * front of the event channel, the ethtool checks, counters in debugfs,
 * defaults from module parameters, and the xenstore keys through which
 * the backend sets the device's coalescing (Documentation/protocol.rst).
 * Coalescing of the events the guest receives is the kernel's own
 * (napi_defer_hard_irqs, gro_flush_timeout; patch 0015).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <xen/events.h>

#include <xen-coalesce/classes.h>
#include <xen-coalesce/core.h>

#include "coalesce.h"

/*
 * A rate limit of its own per message: net_ratelimit() is shared by the
 * whole stack, so another driver's burst could swallow our one line.
 */
#define xennet_coal_ratelimited(level, dev, fmt, ...)			\
do {									\
	static DEFINE_RATELIMIT_STATE(_rs, DEFAULT_RATELIMIT_INTERVAL,	\
				      DEFAULT_RATELIMIT_BURST);		\
	if (__ratelimit(&_rs))						\
		netdev_##level(dev, fmt, ##__VA_ARGS__);		\
} while (0)

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
	*tx = (struct xcoal_params){
		.usecs = ec->tx_coalesce_usecs,
		.frames = ec->tx_max_coalesced_frames,
		.adaptive = ec->use_adaptive_tx_coalesce,
	};
	*rx = (struct xcoal_params){
		.usecs = ec->rx_coalesce_usecs,
		.frames = ec->rx_max_coalesced_frames,
		.adaptive = ec->use_adaptive_rx_coalesce,
	};
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
	WRITE_ONCE(c->tx_orphan, tx.usecs > XCOAL_TX_PATH_USECS_MAX);
	xcoal_queue_set_params(&c->points, &tx, &rx);
}

/*
 * The rings' indexes, in the queue's debugfs file: at the end of a stream
 * rx rsp_prod == rsp_cons says no response was left unconsumed. Then
 * whether sent packets leave their sockets as they are queued.
 * The file goes before the rings do (xcoal_queue_stop()).
 */
static void xennet_coalesce_show(struct seq_file *m, struct xcoal_queue *q)
{
	struct xennet_coalesce *c = container_of(q, struct xennet_coalesce, points);
	const struct xen_netif_tx_front_ring *tx = c->tx_ring;
	const struct xen_netif_rx_front_ring *rx = c->rx_ring;

	seq_printf(m, "tx: ring req_prod %u rsp_prod %u rsp_cons %u rsp_event %u\n",
		   tx->req_prod_pvt, READ_ONCE(tx->sring->rsp_prod), tx->rsp_cons,
		   READ_ONCE(tx->sring->rsp_event));
	seq_printf(m, "rx: ring req_prod %u rsp_prod %u rsp_cons %u rsp_event %u\n",
		   rx->req_prod_pvt, READ_ONCE(rx->sring->rsp_prod), rx->rsp_cons,
		   READ_ONCE(rx->sring->rsp_event));
	seq_printf(m, "tx: orphan %s\n", READ_ONCE(c->tx_orphan) ? "yes" : "no");
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
	c->tx_held = 0;
	c->tx_orphan = tx.usecs > XCOAL_TX_PATH_USECS_MAX;
	c->points.show = xennet_coalesce_show;
	xcoal_queue_start(&c->points, name, xennet_coalesce_driver.debugfs,
			  &xennet_tx_ops, &tx, &xennet_rx_ops, &rx);
	xcoal_point_set_prod(&c->points.tx, tx_ring->req_prod_pvt);
	xcoal_point_set_prod(&c->points.rx, rx_ring->req_prod_pvt);
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
 * xennet_coalesce_tx_orphan - a packet about to be queued on the TX ring
 * @c: the queue's points
 * @skb: the packet
 *
 * TCP small queues let a socket send again only when its earlier packets
 * are freed, which netfront does on a TX completion event. When the
 * queue's events may wait longer than XCOAL_TX_PATH_USECS_MAX, that wait
 * comes once per round and the sending rate spirals down, so the packet
 * leaves its socket's accounting now, as virtio-net does without TX NAPI.
 * Called under the queue's TX lock, after skb_tx_timestamp(): a software
 * TX timestamp needs the packet's socket.
 */
void xennet_coalesce_tx_orphan(struct xennet_coalesce *c, struct sk_buff *skb)
{
	if (READ_ONCE(c->tx_orphan))
		skb_orphan(skb);
}

/**
 * xennet_coalesce_tx_hold - a packet's TX requests are queued on the ring
 * @c: the queue's points
 * @more: the stack has more packets for the queue right away, and the
 *	queue is not stopped (netdev_xmit_more())
 *
 * Called under the queue's TX lock.
 *
 * Return: true to leave the requests unpushed until the last packet of
 * the batch, which pushes them all with one event at most.
 */
bool xennet_coalesce_tx_hold(struct xennet_coalesce *c, bool more)
{
	c->tx_held++;
	return more;
}

/**
 * xennet_coalesce_tx_held - are packets queued but not pushed?
 * @c: the queue's points
 *
 * Return: true if a push is owed; a packet dropped at the end of a batch
 * must still push the ones before it.
 */
bool xennet_coalesce_tx_held(const struct xennet_coalesce *c)
{
	return c->tx_held;
}

/*
 * Room left on the TX ring before netfront stops the queue (it keeps
 * XEN_NETIF_NR_SLOTS_MIN + 1 slots for the largest packet): 0 when the
 * queue stops, and so waits for the backend.
 */
static u32 xennet_tx_room(const struct xen_netif_tx_front_ring *ring)
{
	u32 free = RING_FREE_REQUESTS(ring);

	return free > XEN_NETIF_NR_SLOTS_MIN + 1 ? free - XEN_NETIF_NR_SLOTS_MIN - 1 : 0;
}

/**
 * xennet_coalesce_tx_push - the held packets' TX requests were pushed
 * @c: the queue's points
 * @notify: the ring asked for an event
 *
 * Counts requests (ring slots); a push that leaves the queue stopped
 * sends what is owed at once. Called under the queue's TX lock.
 */
void xennet_coalesce_tx_push(struct xennet_coalesce *c, bool notify)
{
	xcoal_point_push_ring(&c->points.tx, c->tx_ring->req_prod_pvt, notify,
			      xennet_tx_room(c->tx_ring));
	c->tx_held = 0;
}

/**
 * xennet_coalesce_rx_push - RX buffers were posted
 * @c: the queue's points
 * @notify: the ring asked for an event
 *
 * Counts buffers (ring slots). The room is what the ring can still take:
 * a refill that filled it cannot be followed by another until the backend
 * consumes, so what is owed goes out at once. (6.1's netback asks for
 * this event only when a packet waits for buffers, so in practice a
 * refill it asked for is never held.)
 */
void xennet_coalesce_rx_push(struct xennet_coalesce *c, bool notify)
{
	xcoal_point_push_ring(&c->points.rx, c->rx_ring->req_prod_pvt, notify,
			      RING_FREE_REQUESTS(c->rx_ring));
}

/* The keys of the backend's coalesce/ directory, in ethtool's order. */
static const char * const xennet_follow_keys[] = {
	"coalesce/tx-usecs", "coalesce/tx-frames",
	"coalesce/rx-usecs", "coalesce/rx-frames",
};

static int xennet_follow_read(struct xenbus_transaction xbt, const char *dir,
			      const char *key, u32 *val)
{
	char *s = xenbus_read(xbt, dir, key, NULL);
	int err;

	if (IS_ERR(s))
		return PTR_ERR(s);
	err = xcoal_u32_parse(s, strlen(s), val);
	kfree(s);
	return err;
}

/*
 * The four keys in one transaction, so that a backend writing a new set
 * is never seen half old, half new. The transaction is committed, not
 * aborted: xenstored's reads inside a transaction are not a snapshot,
 * and only the commit checks that nothing read has changed since (it
 * fails with EAGAIN, and we read again). Return: how many were absent,
 * or an error, with @bad the key that failed.
 */
static int xennet_follow_read_all(const char *dir, u32 *v, unsigned int *bad)
{
	struct xenbus_transaction xbt;
	int err, absent, tries = 0;
	unsigned int i;

again:
	err = xenbus_transaction_start(&xbt);
	if (err)
		return err;
	absent = 0;
	for (i = 0; i < ARRAY_SIZE(xennet_follow_keys); i++) {
		err = xennet_follow_read(xbt, dir, xennet_follow_keys[i], &v[i]);
		if (err == -ENOENT) {
			absent++;
		} else if (err) {
			xenbus_transaction_end(xbt, 1);
			*bad = i;
			return err;
		}
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN && ++tries < 5)
		goto again;
	return err ?: absent;
}

/*
 * Puts the backend's values in force. A work item, never the watch: the
 * watch runs in xenwatch, and upstream paths hold rtnl while they wait
 * for a backend state change that only xenwatch delivers (XDP set-up).
 */
static void xennet_follow_work(struct work_struct *work)
{
	struct xennet_coalesce_follow *f =
		container_of(to_delayed_work(work), struct xennet_coalesce_follow, work);
	struct ethtool_coalesce ec;
	bool have;

	/*
	 * rtnl's holder may be waiting for xenwatch (XDP's set waits for the
	 * backend's state), and xenwatch for this work (a reconnect stops
	 * the follower): never wait for rtnl here, come back instead.
	 */
	if (!rtnl_trylock()) {
		schedule_delayed_work(&f->work, msecs_to_jiffies(10));
		return;
	}
	spin_lock(&f->lock);
	ec = f->next;
	have = f->have_next;
	f->have_next = false;
	spin_unlock(&f->lock);
	if (have)
		f->apply(f->dev, &ec);
	rtnl_unlock();
	if (!have)
		return;
	xennet_coal_ratelimited(info, f->dev,
				"coalescing set by the backend: tx-usecs %u tx-frames %u rx-usecs %u rx-frames %u\n",
				ec.tx_coalesce_usecs, ec.tx_max_coalesced_frames,
				ec.rx_coalesce_usecs, ec.rx_max_coalesced_frames);
}

/* The backend changed coalesce/: all four keys or nothing, clamped. */
static void xennet_follow_changed(struct xenbus_watch *watch,
				  const char *path, const char *token)
{
	struct xennet_coalesce_follow *f =
		container_of(watch, struct xennet_coalesce_follow, watch);
	const char *dir = f->watch.node;
	struct xcoal_params tx, rx;
	struct ethtool_coalesce ec;
	unsigned int bad = 0;
	u32 v[4];
	int ret;

	/* The watched node is "<backend>/coalesce"; the keys sit above it. */
	dir = kstrndup(dir, strlen(dir) - strlen("/coalesce"), GFP_KERNEL);
	if (!dir)
		return;
	ret = xennet_follow_read_all(dir, v, &bad);
	kfree(dir);
	if (ret == ARRAY_SIZE(xennet_follow_keys))
		return; /* the backend sets nothing: local settings stand */
	if (ret < 0)
		xennet_coal_ratelimited(warn, f->dev,
					"backend's %s unreadable (%d), coalescing unchanged\n",
					xennet_follow_keys[bad], ret);
	else if (ret > 0)
		xennet_coal_ratelimited(warn, f->dev,
					"backend's coalesce/ incomplete, coalescing unchanged\n");
	if (ret)
		return;
	tx = (struct xcoal_params){ .usecs = v[0], .frames = v[1] };
	rx = (struct xcoal_params){ .usecs = v[2], .frames = v[3] };
	if (xcoal_params_clamp(&tx) | xcoal_params_clamp(&rx))
		xennet_coal_ratelimited(warn, f->dev,
					"backend's coalescing out of range, clamped\n");
	memset(&ec, 0, sizeof(ec));
	ec.tx_coalesce_usecs = tx.usecs;
	ec.tx_max_coalesced_frames = tx.frames;
	ec.rx_coalesce_usecs = rx.usecs;
	ec.rx_max_coalesced_frames = rx.frames;
	spin_lock(&f->lock);
	f->next = ec;
	f->have_next = true;
	spin_unlock(&f->lock);
	schedule_delayed_work(&f->work, 0);
}

/**
 * xennet_coalesce_advertise - tell the backend whether we follow its
 *	coalesce/ keys
 * @xbt: the transaction writing the frontend's features
 * @xbdev: the frontend's xenbus device
 * @trusted: the backend is trusted; an untrusted one is not followed
 *	(xennet_coalesce_follow_start()), and the backend plans on the flag
 *
 * Return: 0 or the xenstore error.
 */
int xennet_coalesce_advertise(struct xenbus_transaction xbt,
			      struct xenbus_device *xbdev, bool trusted)
{
	return xenbus_write(xbt, xbdev->nodename, "feature-coalesce",
			    trusted ? "1" : "0");
}

/**
 * xennet_coalesce_follow_start - follow the backend's coalesce/ keys, if it
 *	has the feature and is trusted; a stock backend leaves the local
 *	settings alone
 * @f: the device's follower, stopped or never started
 * @xbdev: the frontend's xenbus device
 * @dev: the device
 * @trusted: the backend is trusted (netfront's own trust model: not
 *	bounced); an untrusted one does not set our coalescing
 * @apply: sets the device's coalescing, called under rtnl
 *
 * A failure is logged and leaves the device with its local settings.
 * Not under rtnl.
 */
void xennet_coalesce_follow_start(struct xennet_coalesce_follow *f,
				  struct xenbus_device *xbdev,
				  struct net_device *dev, bool trusted,
				  void (*apply)(struct net_device *dev,
						const struct ethtool_coalesce *ec))
{
	int err;

	xennet_coalesce_follow_stop(f);
	if (!xenbus_read_unsigned(xbdev->otherend, "feature-coalesce", 0))
		return;
	if (!trusted) {
		/* The backend can make us reconnect: rate-limited. */
		xennet_coal_ratelimited(info, dev,
					"backend not trusted: its coalesce/ keys are not followed\n");
		return;
	}
	f->watch.node = kasprintf(GFP_KERNEL, "%s/coalesce", xbdev->otherend);
	if (!f->watch.node)
		return;
	f->watch.will_handle = NULL;
	f->watch.callback = xennet_follow_changed;
	f->dev = dev;
	f->apply = apply;
	spin_lock_init(&f->lock);
	f->have_next = false;
	INIT_DELAYED_WORK(&f->work, xennet_follow_work);
	err = register_xenbus_watch(&f->watch);
	if (err) {
		netdev_warn(dev, "cannot follow the backend's coalescing (%d)\n", err);
		kfree(f->watch.node);
		f->watch.node = NULL;
		return;
	}
	f->active = true;
}

/**
 * xennet_coalesce_follow_stop - stop following the backend's keys
 * @f: the device's follower; it may never have been started
 *
 * Waits for a running callback and for the work it queued; the work only
 * tries rtnl, so xenwatch may call this while rtnl's holder waits for it.
 */
void xennet_coalesce_follow_stop(struct xennet_coalesce_follow *f)
{
	if (!f->active)
		return;
	unregister_xenbus_watch(&f->watch);
	cancel_delayed_work_sync(&f->work);
	kfree(f->watch.node);
	f->watch.node = NULL;
	f->active = false;
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
