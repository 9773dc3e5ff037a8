// SPDX-License-Identifier: GPL-2.0
/*
 * The dom0 controller. A VIF with a latency class tells it the receive
 * delay its packets may meet at a physical NIC (xcoal_ctl_vif_set()). The
 * NICs a VIF's traffic crosses are the other ports of its master device (a
 * bridge, or Open vSwitch's datapath), looking through uppers without
 * coalesce ops of their own (bonds, VLANs). Each NIC gets the strictest
 * demand among its VIFs through its ethtool ops, and its own settings back
 * when it leaves the path, when the last VIF has been gone for
 * nic_relax_ms, or when the controller goes: the fields that still hold
 * the controller's values, never one an administrator has set since.
 *
 * Everything here runs under rtnl: the netdevice notifier, the callers,
 * the hysteresis work and debugfs; rtnl is what keeps the lists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <xen-coalesce/controller.h>
#include <xen-coalesce/core.h>
#include <xen-coalesce/nic_policy.h>

#define XCOAL_CTL_RELAX_MS_MAX	60000U
#define XCOAL_CTL_USECS_MIN_MAX	1000U

static struct xcoal_uint_param nic_relax_ms = {
	.val = 1000, .max = XCOAL_CTL_RELAX_MS_MAX,
};

static struct xcoal_uint_param nic_usecs_min = {
	.val = 10, .max = XCOAL_CTL_USECS_MIN_MAX,
};

module_param_cb(nic_relax_ms, &xcoal_uint_param_ops, &nic_relax_ms, 0644);
MODULE_PARM_DESC(nic_relax_ms, "How long a looser NIC demand must last before it applies (ms, 0..60000)");
module_param_cb(nic_usecs_min, &xcoal_uint_param_ops, &nic_usecs_min, 0644);
MODULE_PARM_DESC(nic_usecs_min, "NIC shares below this many microseconds become this many (0..1000)");

/* A NIC's demand when no classed VIF crosses it: its own settings. */
#define XCOAL_CTL_OWN		U32_MAX

/* Uppers without coalesce ops looked through on the way to a NIC. */
#define XCOAL_CTL_DEPTH		3

/* A VIF with a class. No reference: the entry goes at NETDEV_UNREGISTER. */
struct xcoal_ctl_vif {
	struct list_head node;
	struct net_device *dev;
	enum xcoal_class class;
	u32 nic_usecs;
};

/**
 * struct xcoal_ctl_nic - a NIC some VIF's traffic crosses
 * @node: in xcoal_ctl_nics
 * @dev: the NIC, held
 * @tracker: for the reference
 * @skipped: its driver cannot set a receive delay; left alone
 * @vifs: VIFs crossing it, counted by the last recompute
 * @want: the strictest demand among them
 * @saved: @orig holds the NIC's own settings
 * @orig: those settings, restored when the controller lets go
 * @wrote: the controller has changed the NIC's settings
 * @ours: the managed fields as the NIC read them back after that
 * @told: the NIC's log says a value set by someone else was kept
 * @warned: the NIC's log says a value was refused
 * @relax: hysteresis state
 */
struct xcoal_ctl_nic {
	struct list_head node;
	struct net_device *dev;
	netdevice_tracker tracker;
	bool skipped;
	unsigned int vifs;
	u32 want;
	bool saved;
	struct ethtool_coalesce orig;
	bool wrote;
	struct xcoal_nic_coalesce ours;
	bool told;
	bool warned;
	struct xcoal_nic_relax relax;
};

static LIST_HEAD(xcoal_ctl_vifs);
static LIST_HEAD(xcoal_ctl_nics);
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
} xcoal_ctl_stats;

static void xcoal_ctl_relax_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(xcoal_ctl_relax_work, xcoal_ctl_relax_fn);

static struct xcoal_ctl_vif *xcoal_ctl_vif_find(const struct net_device *dev)
{
	struct xcoal_ctl_vif *v;

	list_for_each_entry(v, &xcoal_ctl_vifs, node)
		if (v->dev == dev)
			return v;
	return NULL;
}

static struct xcoal_ctl_nic *xcoal_ctl_nic_find(const struct net_device *dev)
{
	struct xcoal_ctl_nic *n;

	list_for_each_entry(n, &xcoal_ctl_nics, node)
		if (n->dev == dev)
			return n;
	return NULL;
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

static int xcoal_ctl_get(struct net_device *dev, struct ethtool_coalesce *ec,
			 struct kernel_ethtool_coalesce *kec)
{
	memset(ec, 0, sizeof(*ec));
	memset(kec, 0, sizeof(*kec));
	return dev->ethtool_ops->get_coalesce(dev, ec, kec, NULL);
}

static int xcoal_ctl_set(struct net_device *dev, struct ethtool_coalesce *ec,
			 struct kernel_ethtool_coalesce *kec)
{
	int err = dev->ethtool_ops->set_coalesce(dev, ec, kec, NULL);

	if (err) {
		xcoal_ctl_stats.set_errors++;
		return err;
	}
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
	struct xcoal_ctl_nic *n;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	n->dev = dev;
	n->skipped = !(xcoal_ctl_caps(dev) & XCOAL_NIC_CAN_RX_USECS);
	if (n->skipped) {
		xcoal_ctl_stats.skipped++;
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
	if (xcoal_ctl_set(n->dev, &ec, &kec))
		netdev_warn(n->dev, "xen-coalesce: own coalescing not restored\n");
	else
		xcoal_ctl_stats.restored++;
}

/* Let a NIC go: its own settings back unless it is going away itself. */
static void xcoal_ctl_nic_release(struct xcoal_ctl_nic *n, bool restore)
{
	if (restore && n->saved && n->wrote)
		xcoal_ctl_nic_restore(n);
	list_del(&n->node);
	netdev_put(n->dev, &n->tracker);
	kfree(n);
}

/* Put @usecs in force on @n; a value the driver refuses falls back to 0. */
static void xcoal_ctl_nic_apply(struct xcoal_ctl_nic *n, u32 usecs)
{
	u32 caps = xcoal_ctl_caps(n->dev);
	struct kernel_ethtool_coalesce kec;
	struct xcoal_nic_coalesce c;
	struct ethtool_coalesce ec;

	if (xcoal_ctl_get(n->dev, &ec, &kec)) {
		xcoal_ctl_stats.set_errors++;
		return;
	}
	/* From the NIC's own values: a per-frame rx-frames must not outlive its share. */
	xcoal_ctl_fields(&c, &n->orig);
	if (xcoal_nic_profile(caps, usecs, &c))
		return;
	if (!xcoal_ctl_write(n, &ec, &kec, &c)) {
		xcoal_ctl_stats.applied++;
		return;
	}
	if (!n->warned)
		netdev_warn(n->dev, "xen-coalesce: rx-usecs %u refused, using 0\n", usecs);
	n->warned = true;
	/* No delay is within every class's promise. */
	n->relax.applied = 0;
	if (usecs && !xcoal_nic_profile(caps, 0, &c) &&
	    !xcoal_ctl_write(n, &ec, &kec, &c))
		xcoal_ctl_stats.applied++;
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

/* Count @vif's demand on every NIC below @upper, looking through uppers. */
static void xcoal_ctl_demand(struct xcoal_ctl_vif *vif,
			     struct net_device *upper, int depth)
{
	struct net_device *lower;
	struct list_head *iter;
	struct xcoal_ctl_nic *n;

	netdev_for_each_lower_dev(upper, lower, iter) {
		if (lower == vif->dev || xcoal_ctl_is_vif(lower))
			continue;
		if (!(xcoal_ctl_caps(lower) & XCOAL_NIC_CAN_RX_USECS) &&
		    xcoal_ctl_has_lower(lower) && depth < XCOAL_CTL_DEPTH) {
			xcoal_ctl_demand(vif, lower, depth + 1);
			continue;
		}
		n = xcoal_ctl_nic_find(lower);
		if (!n)
			n = xcoal_ctl_nic_take(lower);
		if (!n)
			continue;
		if (!n->vifs || vif->nic_usecs < n->want)
			n->want = vif->nic_usecs;
		n->vifs++;
	}
}

/*
 * Work out every NIC's demand from scratch and act on it. Cheap next to
 * what triggers it (a class change, a port joining or leaving a bridge).
 */
static void xcoal_ctl_recompute(void)
{
	u64 now_ms = jiffies64_to_msecs(get_jiffies_64());
	struct xcoal_ctl_nic *n, *tmp;
	u64 wake_ms, first_wake = U64_MAX;
	struct net_device *upper;
	struct xcoal_ctl_vif *v;

	ASSERT_RTNL();
	if (xcoal_ctl_stopping)
		return;
	list_for_each_entry(n, &xcoal_ctl_nics, node)
		n->vifs = 0;
	list_for_each_entry(v, &xcoal_ctl_vifs, node) {
		upper = netdev_master_upper_dev_get(v->dev);
		if (upper)
			xcoal_ctl_demand(v, upper, 0);
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
		}
		if (n->skipped)
			continue;
		switch (xcoal_nic_step(&n->relax, n->want, now_ms,
				       READ_ONCE(nic_relax_ms.val),
				       &wake_ms)) {
		case XCOAL_NIC_APPLY:
			if (n->want == XCOAL_CTL_OWN)
				xcoal_ctl_nic_release(n, true);
			else
				xcoal_ctl_nic_apply(n, n->relax.applied);
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
		if (v) {
			list_del(&v->node);
			kfree(v);
		}
	} else {
		if (!v) {
			v = kzalloc(sizeof(*v), GFP_KERNEL);
			if (!v)
				return -ENOMEM;
			v->dev = vif;
			list_add_tail(&v->node, &xcoal_ctl_vifs);
		}
		v->class = class;
		v->nic_usecs = xcoal_nic_usecs(nic_usecs, READ_ONCE(nic_usecs_min.val));
	}
	xcoal_ctl_recompute();
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_ctl_vif_set);

static int xcoal_ctl_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct xcoal_ctl_nic *n;
	struct xcoal_ctl_vif *v;

	switch (event) {
	case NETDEV_UNREGISTER:
		v = xcoal_ctl_vif_find(dev);
		if (v) {
			list_del(&v->node);
			kfree(v);
		}
		/* Going away: nothing to restore, just the reference to drop. */
		n = xcoal_ctl_nic_find(dev);
		if (n)
			xcoal_ctl_nic_release(n, false);
		if (v || n)
			xcoal_ctl_recompute();
		break;
	case NETDEV_CHANGEUPPER:
		if (!list_empty(&xcoal_ctl_vifs) || !list_empty(&xcoal_ctl_nics))
			xcoal_ctl_recompute();
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block xcoal_ctl_notifier = {
	.notifier_call = xcoal_ctl_netdev_event,
};

/* debugfs "controller": counters, then a line per NIC and per VIF. */
static int xcoal_ctl_show(struct seq_file *m, void *unused)
{
	u64 now_ms = jiffies64_to_msecs(get_jiffies_64());
	struct net_device *upper;
	struct xcoal_ctl_nic *n;
	struct xcoal_ctl_vif *v;

	rtnl_lock();
	seq_printf(m, "applied %lu restored %lu relax_waits %lu set_errors %lu skipped %lu kept %lu\n",
		   xcoal_ctl_stats.applied, xcoal_ctl_stats.restored,
		   xcoal_ctl_stats.relax_waits, xcoal_ctl_stats.set_errors,
		   xcoal_ctl_stats.skipped, xcoal_ctl_stats.kept);
	list_for_each_entry(n, &xcoal_ctl_nics, node) {
		if (n->skipped) {
			seq_printf(m, "nic %s vifs %u skipped\n", n->dev->name, n->vifs);
			continue;
		}
		if (n->want == XCOAL_CTL_OWN)
			seq_printf(m, "nic %s vifs %u want own applied %u", n->dev->name,
				   n->vifs, n->relax.applied);
		else
			seq_printf(m, "nic %s vifs %u want %u applied %u", n->dev->name,
				   n->vifs, n->want, n->relax.applied);
		if (n->relax.waiting)
			seq_printf(m, " relaxing_ms %llu", now_ms - n->relax.since_ms);
		seq_printf(m, " own rx-usecs %u rx-frames %u adaptive-rx %u\n",
			   n->orig.rx_coalesce_usecs, n->orig.rx_max_coalesced_frames,
			   n->orig.use_adaptive_rx_coalesce);
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
	xcoal_ctl_debugfs = debugfs_create_file("controller", 0444, debugfs_root,
						NULL, &xcoal_ctl_fops);
	return 0;
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
	list_for_each_entry_safe(v, tmp_v, &xcoal_ctl_vifs, node) {
		list_del(&v->node);
		kfree(v);
	}
	rtnl_unlock();
	/* Stopping: the notifier takes no NIC and the work does not re-arm. */
	unregister_netdevice_notifier(&xcoal_ctl_notifier);
	cancel_delayed_work_sync(&xcoal_ctl_relax_work);
}
