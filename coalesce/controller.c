// SPDX-License-Identifier: GPL-2.0
/*
 * The dom0 controller. A VIF with a latency class tells it the receive
 * delay its packets may meet at a physical NIC (xcoal_ctl_vif_set()). The
 * NICs a VIF's traffic crosses are the other ports of its master device (a
 * Linux bridge; Open vSwitch's datapath is read alike, untested), looking
 * through uppers without coalesce ops of their own (bonds, VLANs). A NIC
 * that others use too (dom0's own stack on the master, other ports) is
 * only ever tightened: it gets the strictest share among its VIFs when
 * that is stricter than what its own settings allow, else it keeps them;
 * one only classed VIFs use gets the strictest share (xcoal_nic_target()).
 * A value the driver refuses is replaced by the nearest tighter one it
 * accepts, remembered per device. The NIC's own settings come back when
 * it leaves the path, when the demand has been looser for nic_relax_ms,
 * or when the controller goes: the fields that still hold the
 * controller's values, never one an administrator has set since. Every
 * ethtool call is bracketed as the ethtool netlink path brackets it
 * (device present, begin/complete, runtime PM).
 *
 * Everything here runs under rtnl: the netdevice notifier, the callers,
 * the hysteresis work and debugfs; rtnl is what keeps the lists. A
 * recompute visits each classed VIF once and each port of their masters
 * twice: O(V + P).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/hashtable.h>
#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>

#include <xen-coalesce/controller.h>
#include <xen-coalesce/core.h>
#include <xen-coalesce/nic_policy.h>

#define XCOAL_CTL_RELAX_MS_MAX	60000U
#define XCOAL_CTL_USECS_MIN_MAX	1000U
#define XCOAL_CTL_ADAPTIVE_US_MAX	100000U

static struct xcoal_uint_param nic_relax_ms = {
	.val = 1000, .max = XCOAL_CTL_RELAX_MS_MAX,
};

static struct xcoal_uint_param nic_usecs_min = {
	.val = 10, .max = XCOAL_CTL_USECS_MIN_MAX,
};

/* net_dim's longest RX moderation (256 us); e1000e's lowest rate is 250 us. */
static struct xcoal_uint_param nic_adaptive_us = {
	.val = 256, .max = XCOAL_CTL_ADAPTIVE_US_MAX,
};

module_param_cb(nic_relax_ms, &xcoal_uint_param_ops, &nic_relax_ms, 0644);
MODULE_PARM_DESC(nic_relax_ms, "How long a looser NIC demand must last before it applies (ms, 0..60000)");
module_param_cb(nic_usecs_min, &xcoal_uint_param_ops, &nic_usecs_min, 0644);
MODULE_PARM_DESC(nic_usecs_min, "NIC shares below this many microseconds become this many (0..1000)");
module_param_cb(nic_adaptive_us, &xcoal_uint_param_ops, &nic_adaptive_us, 0644);
MODULE_PARM_DESC(nic_adaptive_us, "The longest a NIC in an adaptive mode of a driver the controller does not know may wait (us, 0..100000)");

/*
 * Drivers whose small rx-usecs values name adaptive modes rather than a
 * delay, and the longest those modes wait (their lowest interrupt rate).
 * e1000e: 1, 3 and 4 adapt down to 4000 interrupts/s (tested here); igb
 * (1, 3) and e1000 (1, 3, 4) keep the same scheme.
 */
static const struct xcoal_ctl_family {
	const char *driver;
	u32 modes_max;
	u32 adaptive_us;
} xcoal_ctl_families[] = {
	{ "e1000e", 4, 250 },
	{ "e1000", 4, 250 },
	{ "igb", 3, 250 },
};

/* A NIC's demand when it keeps its own settings. */
#define XCOAL_CTL_OWN		XCOAL_NIC_OWN

/* Uppers without coalesce ops looked through on the way to a NIC. */
#define XCOAL_CTL_DEPTH		3

/* A VIF with a class. No reference: the entry goes at NETDEV_UNREGISTER. */
struct xcoal_ctl_vif {
	struct list_head node;
	struct hlist_node hash;
	struct net_device *dev;
	enum xcoal_class class;
	u32 nic_usecs;
	unsigned long seen;
};

/**
 * struct xcoal_ctl_nic - a NIC some VIF's traffic crosses
 * @node: in xcoal_ctl_nics
 * @dev: the NIC, held
 * @tracker: for the reference
 * @hash: in xcoal_ctl_nic_hash
 * @dev: the NIC, held
 * @tracker: for the reference
 * @skipped: its driver cannot set a receive delay; left alone
 * @vifs: VIFs crossing it, counted by the last recompute
 * @share: the strictest share among them
 * @exclusive: only classed VIFs use it (the last recompute's view)
 * @own_bound: the delay its own settings allow
 * @want: what it should have now (@share, or %XCOAL_CTL_OWN)
 * @saved: @orig holds the NIC's own settings
 * @orig: those settings, restored when the controller lets go
 * @wrote: the controller has changed the NIC's settings
 * @ours: the managed fields as the NIC read them back after that
 * @limit: the rx-usecs its driver accepts and refuses
 * @in_force: the rx-usecs the controller last put in force
 * @told: the NIC's log says a value set by someone else was kept
 * @warned: the NIC's log says a value was refused
 * @relax: hysteresis state
 */
struct xcoal_ctl_nic {
	struct list_head node;
	struct hlist_node hash;
	struct net_device *dev;
	netdevice_tracker tracker;
	bool skipped;
	unsigned int vifs;
	u32 share;
	bool exclusive;
	u32 own_bound;
	u32 want;
	bool saved;
	struct ethtool_coalesce orig;
	bool wrote;
	struct xcoal_nic_coalesce ours;
	struct xcoal_nic_limit limit;
	u32 in_force;
	bool told;
	bool warned;
	struct xcoal_nic_relax relax;
};

static LIST_HEAD(xcoal_ctl_vifs);
static LIST_HEAD(xcoal_ctl_nics);
/* By device, so that a port's lookup costs O(1) whatever V and P. */
static DEFINE_HASHTABLE(xcoal_ctl_vif_hash, 8);
static DEFINE_HASHTABLE(xcoal_ctl_nic_hash, 6);
static unsigned long xcoal_ctl_pass;
static bool xcoal_ctl_stopping;
static struct dentry *xcoal_ctl_debugfs;

/* Counters, shown in debugfs. */
static struct {
	unsigned long applied;
	unsigned long restored;
	unsigned long relax_waits;
	unsigned long set_errors;
	unsigned long skipped;
	unsigned long kept;
	unsigned long refused;
	unsigned long recomputes;
	unsigned long visits;
	u64 last_ns;
	u64 max_ns;
} xcoal_ctl_stats;

static void xcoal_ctl_relax_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(xcoal_ctl_relax_work, xcoal_ctl_relax_fn);

/*
 * What drivers accept, remembered beyond a hold so that taking a NIC
 * again costs no new search: by ifindex and name (a renamed or new device
 * starts afresh), forgotten when the device goes; the oldest is reused.
 */
#define XCOAL_CTL_MEMOS		16

static struct xcoal_ctl_memo {
	int ifindex;
	char name[IFNAMSIZ];
	struct xcoal_nic_limit limit;
} xcoal_ctl_memos[XCOAL_CTL_MEMOS];
static unsigned int xcoal_ctl_memo_next;

static struct xcoal_ctl_vif *xcoal_ctl_vif_find(const struct net_device *dev)
{
	struct xcoal_ctl_vif *v;

	hash_for_each_possible(xcoal_ctl_vif_hash, v, hash, (unsigned long)dev)
		if (v->dev == dev)
			return v;
	return NULL;
}

static struct xcoal_ctl_nic *xcoal_ctl_nic_find(const struct net_device *dev)
{
	struct xcoal_ctl_nic *n;

	hash_for_each_possible(xcoal_ctl_nic_hash, n, hash, (unsigned long)dev)
		if (n->dev == dev)
			return n;
	return NULL;
}

static struct xcoal_ctl_memo *xcoal_ctl_memo_find(const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < XCOAL_CTL_MEMOS; i++)
		if (xcoal_ctl_memos[i].ifindex == dev->ifindex &&
		    !strcmp(xcoal_ctl_memos[i].name, dev->name))
			return &xcoal_ctl_memos[i];
	return NULL;
}

/* Keep what the NIC's driver refused, for the next time it is taken. */
static void xcoal_ctl_memo_keep(struct net_device *dev, const struct xcoal_nic_limit *l)
{
	struct xcoal_ctl_memo *m;

	if (l->refused == U32_MAX)
		return;
	m = xcoal_ctl_memo_find(dev);
	if (!m)
		m = &xcoal_ctl_memos[xcoal_ctl_memo_next++ % XCOAL_CTL_MEMOS];
	m->ifindex = dev->ifindex;
	strscpy(m->name, dev->name, sizeof(m->name));
	m->limit = *l;
}

static void xcoal_ctl_memo_forget(const struct net_device *dev)
{
	struct xcoal_ctl_memo *m = xcoal_ctl_memo_find(dev);

	if (m)
		memset(m, 0, sizeof(*m));
}

static void xcoal_ctl_vif_free(struct xcoal_ctl_vif *v)
{
	list_del(&v->node);
	hash_del(&v->hash);
	kfree(v);
}

/* A Xen VIF, ours or not: its parent is a backend device on xenbus. */
static bool xcoal_ctl_is_vif(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;

	return xcoal_ctl_vif_find(dev) ||
	       (parent && parent->bus && !strcmp(parent->bus->name, "xen-backend"));
}

static u32 xcoal_ctl_caps(const struct net_device *dev)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	u32 caps = 0;

	if (!ops || !ops->get_coalesce || !ops->set_coalesce)
		return 0;
	if (ops->supported_coalesce_params & ETHTOOL_COALESCE_RX_USECS)
		caps |= XCOAL_NIC_CAN_RX_USECS;
	if (ops->supported_coalesce_params & ETHTOOL_COALESCE_RX_MAX_FRAMES)
		caps |= XCOAL_NIC_CAN_RX_FRAMES;
	if (ops->supported_coalesce_params & ETHTOOL_COALESCE_USE_ADAPTIVE_RX)
		caps |= XCOAL_NIC_CAN_ADAPTIVE_RX;
	return caps;
}

/*
 * What the ethtool netlink path does around a driver's op, which the
 * driver may rely on: its parent resumed, the device present and
 * registered, the driver's own begin and complete.
 */
static int xcoal_ctl_begin(struct net_device *dev)
{
	struct device *parent = dev->dev.parent;
	int err = 0;

	if (parent)
		pm_runtime_get_sync(parent);
	if (dev->reg_state != NETREG_REGISTERED || !netif_device_present(dev))
		err = -ENODEV;
	else if (dev->ethtool_ops->begin)
		err = dev->ethtool_ops->begin(dev);
	if (err && parent)
		pm_runtime_put(parent);
	return err;
}

static void xcoal_ctl_complete(struct net_device *dev)
{
	if (dev->ethtool_ops->complete)
		dev->ethtool_ops->complete(dev);
	if (dev->dev.parent)
		pm_runtime_put(dev->dev.parent);
}

static int xcoal_ctl_get(struct net_device *dev, struct ethtool_coalesce *ec,
			 struct kernel_ethtool_coalesce *kec)
{
	int err = xcoal_ctl_begin(dev);

	if (err)
		return err;
	memset(ec, 0, sizeof(*ec));
	memset(kec, 0, sizeof(*kec));
	err = dev->ethtool_ops->get_coalesce(dev, ec, kec, NULL);
	xcoal_ctl_complete(dev);
	return err;
}

static int xcoal_ctl_set(struct net_device *dev, struct ethtool_coalesce *ec,
			 struct kernel_ethtool_coalesce *kec)
{
	int err = xcoal_ctl_begin(dev);

	if (err)
		return err;
	err = dev->ethtool_ops->set_coalesce(dev, ec, kec, NULL);
	xcoal_ctl_complete(dev);
	if (err)
		return err;
	/* ethtool --monitor and other listeners see what changed. */
	ethtool_notify(dev, ETHTOOL_MSG_COALESCE_NTF, NULL);
	return 0;
}

static void xcoal_ctl_fill(struct ethtool_coalesce *ec,
			   const struct xcoal_nic_coalesce *c)
{
	ec->rx_coalesce_usecs = c->rx_usecs;
	ec->rx_max_coalesced_frames = c->rx_frames;
	ec->use_adaptive_rx_coalesce = c->adaptive_rx;
}

static void xcoal_ctl_fields(struct xcoal_nic_coalesce *c,
			     const struct ethtool_coalesce *ec)
{
	c->rx_usecs = ec->rx_coalesce_usecs;
	c->rx_frames = ec->rx_max_coalesced_frames;
	c->adaptive_rx = ec->use_adaptive_rx_coalesce;
}

/* Set the managed fields and remember them as the NIC reads them back. */
static int xcoal_ctl_write(struct xcoal_ctl_nic *n, struct ethtool_coalesce *ec,
			   struct kernel_ethtool_coalesce *kec,
			   const struct xcoal_nic_coalesce *c)
{
	int err;

	xcoal_ctl_fill(ec, c);
	err = xcoal_ctl_set(n->dev, ec, kec);
	if (err)
		return err;
	n->wrote = true;
	/* Drivers round (e1000e keeps an interrupt rate): ours is what reads back. */
	if (xcoal_ctl_get(n->dev, ec, kec))
		n->ours = *c;
	else
		xcoal_ctl_fields(&n->ours, ec);
	return 0;
}

/* Take a NIC: remember it and, when it can coalesce, its own settings. */
static struct xcoal_ctl_nic *xcoal_ctl_nic_take(struct net_device *dev)
{
	struct kernel_ethtool_coalesce kec;
	struct xcoal_ctl_memo *memo;
	struct xcoal_ctl_nic *n;

	/* Not one being registered or going away (it may be still listed). */
	if (dev->reg_state != NETREG_REGISTERED)
		return NULL;
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	n->dev = dev;
	memo = xcoal_ctl_memo_find(dev);
	n->limit = memo ? memo->limit : (struct xcoal_nic_limit){ 0, U32_MAX };
	n->warned = !!memo;	/* its refusal was told already */
	n->skipped = !(xcoal_ctl_caps(dev) & XCOAL_NIC_CAN_RX_USECS);
	if (n->skipped) {
		xcoal_ctl_stats.skipped++;
		if (net_ratelimit())
			netdev_info(dev, "xen-coalesce: no receive coalescing to set, skipped\n");
	} else if (xcoal_ctl_get(dev, &n->orig, &kec)) {
		xcoal_ctl_stats.set_errors++;
		n->skipped = true;
		netdev_warn(dev, "xen-coalesce: cannot read coalescing, skipped\n");
	} else {
		n->saved = true;
	}
	netdev_hold(dev, &n->tracker, GFP_KERNEL);
	list_add_tail(&n->node, &xcoal_ctl_nics);
	hash_add(xcoal_ctl_nic_hash, &n->hash, (unsigned long)dev);
	return n;
}

/*
 * The NIC's own values back in the fields that still hold ours; a field
 * someone else has set since is theirs, and every other field is left as
 * it is now.
 */
static void xcoal_ctl_nic_restore(struct xcoal_ctl_nic *n)
{
	struct kernel_ethtool_coalesce kec;
	struct xcoal_nic_coalesce own, now, c;
	struct ethtool_coalesce ec;
	u32 kept;

	if (xcoal_ctl_get(n->dev, &ec, &kec)) {
		xcoal_ctl_stats.set_errors++;
		netdev_warn(n->dev, "xen-coalesce: cannot read coalescing, own values not restored\n");
		return;
	}
	xcoal_ctl_fields(&own, &n->orig);
	xcoal_ctl_fields(&now, &ec);
	c = now;
	kept = xcoal_nic_restore(xcoal_ctl_caps(n->dev), &own, &n->ours, &c);
	if (kept) {
		xcoal_ctl_stats.kept++;
		if (!n->told)
			netdev_info(n->dev, "xen-coalesce: kept %s%s%sset since by someone else\n",
				    kept & XCOAL_NIC_CAN_RX_USECS ? "rx-usecs " : "",
				    kept & XCOAL_NIC_CAN_RX_FRAMES ? "rx-frames " : "",
				    kept & XCOAL_NIC_CAN_ADAPTIVE_RX ? "adaptive-rx " : "");
		n->told = true;
	}
	if (!memcmp(&c, &now, sizeof(c)))
		return;
	xcoal_ctl_fill(&ec, &c);
	if (xcoal_ctl_set(n->dev, &ec, &kec)) {
		xcoal_ctl_stats.set_errors++;
		netdev_warn(n->dev, "xen-coalesce: own coalescing not restored\n");
	} else {
		xcoal_ctl_stats.restored++;
	}
}

/*
 * Its own settings back, where ours hold; the NIC stays on the path. One
 * being unregistered (its bridge lets it go from its own notifier, before
 * ours sees NETDEV_UNREGISTER) gets nothing.
 */
static void xcoal_ctl_nic_give_back(struct xcoal_ctl_nic *n)
{
	if (n->saved && n->wrote && n->dev->reg_state == NETREG_REGISTERED)
		xcoal_ctl_nic_restore(n);
	n->wrote = false;
}

/* Let a NIC go: its own settings back unless it is going away itself. */
static void xcoal_ctl_nic_release(struct xcoal_ctl_nic *n, bool restore)
{
	if (restore) {
		xcoal_ctl_nic_give_back(n);
		xcoal_ctl_memo_keep(n->dev, &n->limit);
	}
	list_del(&n->node);
	hash_del(&n->hash);
	netdev_put(n->dev, &n->tracker);
	kfree(n);
}

/* Enough writes for a search over every u32 (xcoal_nic_limit_try()). */
#define XCOAL_CTL_TRIES		34

/*
 * Put @usecs in force on @n. A value the driver refuses is replaced by
 * the nearest tighter one it accepts, searched for once per NIC and
 * remembered (@n->limit); what is in force ends up in @n->in_force.
 */
static void xcoal_ctl_nic_apply(struct xcoal_ctl_nic *n, u32 usecs)
{
	u32 caps = xcoal_ctl_caps(n->dev), u, done = U32_MAX, tries;
	struct kernel_ethtool_coalesce kec;
	struct xcoal_nic_coalesce c;
	struct ethtool_coalesce ec;
	int err = 0;

	if (xcoal_ctl_get(n->dev, &ec, &kec)) {
		xcoal_ctl_stats.set_errors++;
		return;
	}
	for (tries = 0; tries < XCOAL_CTL_TRIES; tries++) {
		u = xcoal_nic_limit_try(&n->limit, usecs);
		/* From the NIC's own values: a per-frame rx-frames must not outlive its share. */
		xcoal_ctl_fields(&c, &n->orig);
		if (xcoal_nic_profile(caps, u, &c))
			return;
		err = xcoal_ctl_write(n, &ec, &kec, &c);
		/* Only a value out of the driver's range teaches the search. */
		if (err && err != -EINVAL && err != -ERANGE)
			break;
		xcoal_nic_limit_learn(&n->limit, u, !err);
		if (!err)
			done = u;
		else
			xcoal_ctl_stats.refused++;
		if ((!err && xcoal_nic_limit_try(&n->limit, usecs) == u) || (err && !u))
			break;
	}
	/* What the last accepted write left in force, tighter than asked. */
	if (done != U32_MAX) {
		xcoal_ctl_stats.applied++;
		n->in_force = done;
	} else {
		xcoal_ctl_stats.set_errors++;
	}
	if (done == usecs || n->warned)
		return;
	n->warned = true;
	if (done == U32_MAX) {
		netdev_warn(n->dev, "xen-coalesce: rx-usecs %u not set: %d\n", usecs, err);
	} else {
		netdev_warn(n->dev, "xen-coalesce: rx-usecs %u refused, using %u (the nearest tighter value accepted)\n",
			    usecs, done);
	}
}

/* An upper device (bond, VLAN, ...) rather than a port of its own. */
static bool xcoal_ctl_has_lower(struct net_device *dev)
{
	struct net_device *lower;
	struct list_head *iter;

	netdev_for_each_lower_dev(dev, lower, iter)
		return true;
	return false;
}

/* What a master's classed VIFs ask of the NICs below it. */
struct xcoal_ctl_master {
	unsigned int vifs;
	u32 share;
	bool exclusive;
};

/* dom0's own stack on @master: an upper, an address other than link-local. */
static bool xcoal_ctl_dom0_uses(struct net_device *master)
{
	struct net_device *upper;
	struct inet6_ifaddr *ifa;
	struct list_head *iter;
	struct in_device *in4;
	struct inet6_dev *in6;
	bool used = false;

	netdev_for_each_upper_dev_rcu(master, upper, iter)
		return true;
	in4 = __in_dev_get_rtnl(master);
	if (in4 && rtnl_dereference(in4->ifa_list))
		return true;
	in6 = __in6_dev_get(master);
	if (!in6)
		return false;
	read_lock_bh(&in6->lock);
	list_for_each_entry(ifa, &in6->addr_list, if_list)
		used |= !(ipv6_addr_type(&ifa->addr) & IPV6_ADDR_LINKLOCAL);
	read_unlock_bh(&in6->lock);
	return used;
}

/*
 * One walk of @master's ports: the strictest share of its classed VIFs
 * (marked as seen in this pass), and whether anything else uses it: one
 * port besides the VIFs (the way to the NICs) and no dom0 stack on it.
 */
static void xcoal_ctl_master_read(struct net_device *master,
				  struct xcoal_ctl_master *m)
{
	unsigned int others = 0;
	struct net_device *lower;
	struct xcoal_ctl_vif *v;
	struct list_head *iter;

	m->vifs = 0;
	m->share = U32_MAX;
	netdev_for_each_lower_dev(master, lower, iter) {
		xcoal_ctl_stats.visits++;
		v = xcoal_ctl_vif_find(lower);
		if (!v) {
			others++;
			continue;
		}
		v->seen = xcoal_ctl_pass;
		m->vifs++;
		m->share = min(m->share, v->nic_usecs);
	}
	m->exclusive = others == 1 && !xcoal_ctl_dom0_uses(master);
}

/* Put @m's demand on every NIC below @upper, looking through uppers. */
static void xcoal_ctl_demand(const struct xcoal_ctl_master *m,
			     struct net_device *upper, int depth)
{
	struct net_device *lower;
	struct list_head *iter;
	struct xcoal_ctl_nic *n;

	netdev_for_each_lower_dev(upper, lower, iter) {
		xcoal_ctl_stats.visits++;
		if (xcoal_ctl_is_vif(lower))
			continue;
		if (!(xcoal_ctl_caps(lower) & XCOAL_NIC_CAN_RX_USECS) &&
		    xcoal_ctl_has_lower(lower) && depth < XCOAL_CTL_DEPTH) {
			xcoal_ctl_demand(m, lower, depth + 1);
			continue;
		}
		n = xcoal_ctl_nic_find(lower);
		if (!n)
			n = xcoal_ctl_nic_take(lower);
		if (!n)
			continue;
		n->vifs = m->vifs;
		n->share = m->share;
		n->exclusive = m->exclusive;
	}
}

/* The family of @dev's driver, when its rx-usecs has modes of its own. */
static const struct xcoal_ctl_family *xcoal_ctl_family(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;
	unsigned int i;

	if (!parent || !parent->driver)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(xcoal_ctl_families); i++)
		if (!strcmp(parent->driver->name, xcoal_ctl_families[i].driver))
			return &xcoal_ctl_families[i];
	return NULL;
}

/*
 * What @n should have now. Its own settings are read again while the
 * controller holds nothing on it: an administrator may change them.
 */
static u32 xcoal_ctl_nic_want(struct xcoal_ctl_nic *n)
{
	const struct xcoal_ctl_family *f = xcoal_ctl_family(n->dev);
	struct kernel_ethtool_coalesce kec;
	struct xcoal_nic_coalesce own;
	struct ethtool_coalesce ec;

	if (!n->wrote && !xcoal_ctl_get(n->dev, &ec, &kec))
		n->orig = ec;
	xcoal_ctl_fields(&own, &n->orig);
	n->own_bound = xcoal_nic_own_bound(&own, f ? f->modes_max : 0,
					   f ? f->adaptive_us : READ_ONCE(nic_adaptive_us.val));
	return xcoal_nic_target(n->share, n->own_bound, n->exclusive);
}

/*
 * Work out every NIC's demand from scratch and act on it: each classed
 * VIF and each port of their masters is visited once or twice (O(V + P)).
 */
static void xcoal_ctl_recompute(void)
{
	u64 now_ms = jiffies64_to_msecs(get_jiffies_64());
	u64 wake_ms, first_wake = U64_MAX, t0 = ktime_get_ns();
	struct xcoal_ctl_nic *n, *tmp;
	struct xcoal_ctl_master m;
	struct net_device *upper;
	struct xcoal_ctl_vif *v;

	ASSERT_RTNL();
	if (xcoal_ctl_stopping)
		return;
	xcoal_ctl_pass++;
	xcoal_ctl_stats.visits = 0;
	list_for_each_entry(n, &xcoal_ctl_nics, node)
		n->vifs = 0;
	list_for_each_entry(v, &xcoal_ctl_vifs, node) {
		xcoal_ctl_stats.visits++;
		if (v->seen == xcoal_ctl_pass)
			continue;	/* its master was read with an earlier VIF's */
		upper = netdev_master_upper_dev_get(v->dev);
		if (!upper)
			continue;
		xcoal_ctl_master_read(upper, &m);
		xcoal_ctl_demand(&m, upper, 0);
	}
	list_for_each_entry_safe(n, tmp, &xcoal_ctl_nics, node) {
		if (!n->vifs) {
			/*
			 * Out of every classed path: a NIC still in a bridge
			 * waits like any looser demand (the last VIF may come
			 * back); one that left, or holds nothing of ours, goes.
			 */
			n->want = XCOAL_CTL_OWN;
			if (n->skipped || !n->wrote ||
			    !netdev_master_upper_dev_get(n->dev)) {
				xcoal_ctl_nic_release(n, true);
				continue;
			}
		} else if (!n->skipped) {
			n->want = xcoal_ctl_nic_want(n);
		}
		if (n->skipped)
			continue;
		switch (xcoal_nic_step(&n->relax, n->want, now_ms,
				       READ_ONCE(nic_relax_ms.val),
				       &wake_ms)) {
		case XCOAL_NIC_APPLY:
			if (n->want != XCOAL_CTL_OWN)
				xcoal_ctl_nic_apply(n, n->relax.applied);
			else if (n->vifs)
				xcoal_ctl_nic_give_back(n);
			else
				xcoal_ctl_nic_release(n, true);
			break;
		case XCOAL_NIC_WAIT:
			xcoal_ctl_stats.relax_waits++;
			first_wake = min(first_wake, wake_ms);
			break;
		case XCOAL_NIC_KEEP:
			break;
		}
	}
	if (first_wake != U64_MAX)
		mod_delayed_work(system_wq, &xcoal_ctl_relax_work,
				 msecs_to_jiffies(first_wake - now_ms));
	xcoal_ctl_stats.recomputes++;
	xcoal_ctl_stats.last_ns = ktime_get_ns() - t0;
	xcoal_ctl_stats.max_ns = max(xcoal_ctl_stats.max_ns, xcoal_ctl_stats.last_ns);
}

static void xcoal_ctl_relax_fn(struct work_struct *work)
{
	rtnl_lock();
	xcoal_ctl_recompute();
	rtnl_unlock();
}

/**
 * xcoal_ctl_vif_set - a VIF's demand on the NICs its traffic crosses
 * @vif: the VIF's net device
 * @class: its class; %XCOAL_CLASS_NONE withdraws the demand
 * @nic_usecs: the receive delay a NIC may add to its packets
 *
 * Called under rtnl. The NICs follow at once when the demand is stricter,
 * after nic_relax_ms when it is looser.
 *
 * Return: 0, or -ENOMEM (nothing changed).
 */
int xcoal_ctl_vif_set(struct net_device *vif, enum xcoal_class class,
		      u32 nic_usecs)
{
	struct xcoal_ctl_vif *v;

	ASSERT_RTNL();
	v = xcoal_ctl_vif_find(vif);
	if (class == XCOAL_CLASS_NONE) {
		if (v)
			xcoal_ctl_vif_free(v);
	} else {
		if (!v) {
			v = kzalloc(sizeof(*v), GFP_KERNEL);
			if (!v)
				return -ENOMEM;
			v->dev = vif;
			list_add_tail(&v->node, &xcoal_ctl_vifs);
			hash_add(xcoal_ctl_vif_hash, &v->hash, (unsigned long)vif);
		}
		v->class = class;
		v->nic_usecs = xcoal_nic_usecs(nic_usecs, READ_ONCE(nic_usecs_min.val));
	}
	xcoal_ctl_recompute();
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_ctl_vif_set);

/* @dev, or an upper of it within the look-through depth, is a classed VIF's master. */
static bool xcoal_ctl_on_path(struct net_device *dev)
{
	struct xcoal_ctl_vif *v;
	int depth;

	for (depth = 0; dev && depth <= XCOAL_CTL_DEPTH; depth++) {
		list_for_each_entry(v, &xcoal_ctl_vifs, node)
			if (netdev_master_upper_dev_get(v->dev) == dev)
				return true;
		dev = netdev_master_upper_dev_get(dev);
	}
	return false;
}

/* A port joining or leaving an upper: only one on a classed VIF's path counts. */
static bool xcoal_ctl_upper_matters(struct net_device *dev,
				    struct netdev_notifier_changeupper_info *info)
{
	return xcoal_ctl_vif_find(dev) || xcoal_ctl_nic_find(dev) ||
	       xcoal_ctl_on_path(dev) || xcoal_ctl_on_path(info->upper_dev);
}

static int xcoal_ctl_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct xcoal_ctl_nic *n;
	struct xcoal_ctl_vif *v;

	switch (event) {
	case NETDEV_UNREGISTER:
		v = xcoal_ctl_vif_find(dev);
		if (v)
			xcoal_ctl_vif_free(v);
		/* Going away: nothing to restore, just the reference to drop. */
		xcoal_ctl_memo_forget(dev);
		n = xcoal_ctl_nic_find(dev);
		if (n)
			xcoal_ctl_nic_release(n, false);
		if (v || n)
			xcoal_ctl_recompute();
		break;
	case NETDEV_CHANGEUPPER:
		if (xcoal_ctl_upper_matters(dev, ptr))
			xcoal_ctl_recompute();
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block xcoal_ctl_notifier = {
	.notifier_call = xcoal_ctl_netdev_event,
};

/*
 * An address on a master decides whether dom0 itself uses its NICs. The
 * IPv6 chain may run in atomic context, without rtnl: the work decides.
 */
static int xcoal_ctl_addr_event(struct net_device *dev)
{
	if (netif_is_bridge_master(dev) || netif_is_ovs_master(dev))
		mod_delayed_work(system_wq, &xcoal_ctl_relax_work, 0);
	return NOTIFY_DONE;
}

static int xcoal_ctl_inet_event(struct notifier_block *nb, unsigned long event,
				void *ptr)
{
	return xcoal_ctl_addr_event(((struct in_ifaddr *)ptr)->ifa_dev->dev);
}

static int xcoal_ctl_inet6_event(struct notifier_block *nb, unsigned long event,
				 void *ptr)
{
	return xcoal_ctl_addr_event(((struct inet6_ifaddr *)ptr)->idev->dev);
}

static struct notifier_block xcoal_ctl_inet_notifier = {
	.notifier_call = xcoal_ctl_inet_event,
};

static struct notifier_block xcoal_ctl_inet6_notifier = {
	.notifier_call = xcoal_ctl_inet6_event,
};

/* A demand or applied value: microseconds, or the NIC's own settings. */
static void xcoal_ctl_show_usecs(struct seq_file *m, const char *key, u32 usecs)
{
	if (usecs == XCOAL_CTL_OWN)
		seq_printf(m, " %s own", key);
	else
		seq_printf(m, " %s %u", key, usecs);
}

/*
 * debugfs "controller": counters (the last recompute's cost: its time
 * and the VIFs and ports it visited), then a line per NIC and per VIF.
 */
static int xcoal_ctl_show(struct seq_file *m, void *unused)
{
	u64 now_ms = jiffies64_to_msecs(get_jiffies_64());
	struct net_device *upper;
	struct xcoal_ctl_nic *n;
	struct xcoal_ctl_vif *v;

	rtnl_lock();
	seq_printf(m, "applied %lu restored %lu relax_waits %lu set_errors %lu skipped %lu kept %lu refused %lu recomputes %lu last_ns %llu max_ns %llu visits %lu\n",
		   xcoal_ctl_stats.applied, xcoal_ctl_stats.restored,
		   xcoal_ctl_stats.relax_waits, xcoal_ctl_stats.set_errors,
		   xcoal_ctl_stats.skipped, xcoal_ctl_stats.kept,
		   xcoal_ctl_stats.refused, xcoal_ctl_stats.recomputes,
		   xcoal_ctl_stats.last_ns, xcoal_ctl_stats.max_ns,
		   xcoal_ctl_stats.visits);
	list_for_each_entry(n, &xcoal_ctl_nics, node) {
		if (n->skipped) {
			seq_printf(m, "nic %s vifs %u skipped\n", n->dev->name, n->vifs);
			continue;
		}
		seq_printf(m, "nic %s vifs %u", n->dev->name, n->vifs);
		xcoal_ctl_show_usecs(m, "want", n->want);
		xcoal_ctl_show_usecs(m, "applied", n->relax.applied);
		if (n->relax.waiting)
			seq_printf(m, " relaxing_ms %llu", now_ms - n->relax.since_ms);
		if (n->wrote)
			seq_printf(m, " in_force %u", n->in_force);
		if (n->limit.refused != U32_MAX)
			seq_printf(m, " accepts_max %u", n->limit.ok);
		seq_printf(m, " %s own rx-usecs %u rx-frames %u adaptive-rx %u bound %u\n",
			   n->exclusive ? "exclusive" : "shared",
			   n->orig.rx_coalesce_usecs, n->orig.rx_max_coalesced_frames,
			   n->orig.use_adaptive_rx_coalesce, n->own_bound);
	}
	list_for_each_entry(v, &xcoal_ctl_vifs, node) {
		upper = netdev_master_upper_dev_get(v->dev);
		seq_printf(m, "vif %s class %s nic_usecs %u master %s\n", v->dev->name,
			   xcoal_class_name(v->class), v->nic_usecs,
			   upper ? upper->name : "-");
	}
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xcoal_ctl);

/**
 * xcoal_ctl_init - start the controller
 * @debugfs_root: the module's debugfs directory
 *
 * Return: 0, or the notifier's error. (Module parameters out of range
 * were refused by their setters already, at load.)
 */
int xcoal_ctl_init(struct dentry *debugfs_root)
{
	int err;

	err = register_netdevice_notifier(&xcoal_ctl_notifier);
	if (err)
		return err;
	err = register_inetaddr_notifier(&xcoal_ctl_inet_notifier);
	if (err)
		goto err_inet;
	err = register_inet6addr_notifier(&xcoal_ctl_inet6_notifier);
	if (err)
		goto err_inet6;
	xcoal_ctl_debugfs = debugfs_create_file("controller", 0444, debugfs_root,
						NULL, &xcoal_ctl_fops);
	return 0;

err_inet6:
	unregister_inetaddr_notifier(&xcoal_ctl_inet_notifier);
err_inet:
	unregister_netdevice_notifier(&xcoal_ctl_notifier);
	cancel_delayed_work_sync(&xcoal_ctl_relax_work);
	return err;
}

/**
 * xcoal_ctl_exit - stop the controller, every NIC's own settings back
 */
void xcoal_ctl_exit(void)
{
	struct xcoal_ctl_nic *n, *tmp_n;
	struct xcoal_ctl_vif *v, *tmp_v;

	debugfs_remove(xcoal_ctl_debugfs);
	/*
	 * Restore before the notifier goes: unregistering it replays
	 * NETDEV_UNREGISTER for every device, which drops a NIC without
	 * restoring (one still in its hold after the last vif left).
	 */
	rtnl_lock();
	xcoal_ctl_stopping = true;
	list_for_each_entry_safe(n, tmp_n, &xcoal_ctl_nics, node)
		xcoal_ctl_nic_release(n, true);
	list_for_each_entry_safe(v, tmp_v, &xcoal_ctl_vifs, node)
		xcoal_ctl_vif_free(v);
	rtnl_unlock();
	/* Stopping: the notifiers take no NIC and the work does not re-arm. */
	unregister_netdevice_notifier(&xcoal_ctl_notifier);
	unregister_inet6addr_notifier(&xcoal_ctl_inet6_notifier);
	unregister_inetaddr_notifier(&xcoal_ctl_inet_notifier);
	cancel_delayed_work_sync(&xcoal_ctl_relax_work);
}
