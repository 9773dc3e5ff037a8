// SPDX-License-Identifier: GPL-2.0
/*
 * xt_tx_window: a test module for the real-Xen harness, loaded in a domU.
 *
 * netfront leaves a batch's TX requests unpushed until the batch's last
 * packet, and a last packet it drops still pushes the ones before it.
 * xennet_remove() ends access to the TX ring (tx.sring = NULL) before it
 * unregisters the device, so a transmit in between reaches the drop path
 * with requests held and no ring. This module makes both halves happen on
 * one device, deterministically:
 *  - writing 1 to "xmit_more" transmits one frame on queue 0 with
 *    xmit_more set, as a batch that goes on would: its request is queued,
 *    not pushed; writing 0 transmits one that ends the batch;
 *  - while "armed", the device's NETDEV_GOING_DOWN with the carrier off
 *    (only the disconnect turns it off before an unregistration) transmits
 *    one more frame, the batch's last, as the qdisc still may then.
 * The frames go to an unused unicast MAC with a local experimental
 * EtherType, so nothing answers them.
 */
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

static char *ifname = "eth1";
module_param(ifname, charp, 0444);
MODULE_PARM_DESC(ifname, "the device the frames go out on");

static bool armed;
module_param(armed, bool, 0644);
MODULE_PARM_DESC(armed, "transmit in the device's unregistration window");

static int xmit_rc = 1;
module_param(xmit_rc, int, 0444);
MODULE_PARM_DESC(xmit_rc, "the last xmit_more write's transmit: 0 sent, < 0 errno, 1 none yet");

static int window_rc = 1;
module_param(window_rc, int, 0444);
MODULE_PARM_DESC(window_rc, "the window's transmit: 0 sent, < 0 errno, 1 not yet");

static unsigned long window_dropped;
module_param(window_dropped, ulong, 0444);
MODULE_PARM_DESC(window_dropped, "tx_dropped's growth across the window's transmit");

static const u8 xt_dst[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0xff, 0xff, 0xfe };

static struct sk_buff *xt_frame(struct net_device *dev)
{
	struct sk_buff *skb = alloc_skb(ETH_ZLEN + NET_IP_ALIGN, GFP_KERNEL);
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eth = skb_put_zero(skb, ETH_ZLEN);
	ether_addr_copy(eth->h_dest, xt_dst);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = htons(ETH_P_802_EX1);
	skb_reset_mac_header(skb);
	skb->protocol = eth->h_proto;
	skb->dev = dev;
	skb_set_queue_mapping(skb, 0);
	return skb;
}

/* One frame straight to the driver on queue 0, as the qdisc would send it. */
static int xt_xmit(struct net_device *dev, bool more)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	struct sk_buff *skb = xt_frame(dev);
	netdev_tx_t rc = NETDEV_TX_BUSY;

	if (!skb)
		return -ENOMEM;
	__netif_tx_lock_bh(txq);
	if (!netif_xmit_frozen_or_drv_stopped(txq))
		rc = netdev_start_xmit(skb, dev, txq, more);
	__netif_tx_unlock_bh(txq);
	if (rc == NETDEV_TX_OK)
		return 0;
	kfree_skb(skb);
	return -EBUSY;
}

static int xt_xmit_set(const char *val, const struct kernel_param *kp)
{
	struct net_device *dev;
	bool more;
	int err = kstrtobool(val, &more);

	if (err)
		return err;
	rtnl_lock();
	dev = __dev_get_by_name(&init_net, ifname);
	if (!dev)
		err = -ENODEV;
	else if (!netif_running(dev) || !netif_carrier_ok(dev))
		err = -ENETDOWN;
	else
		err = xt_xmit(dev, more);
	rtnl_unlock();
	WRITE_ONCE(xmit_rc, err);
	return err;
}

static const struct kernel_param_ops xt_xmit_ops = {
	.set = xt_xmit_set,
	.get = param_get_int,
};
module_param_cb(xmit_more, &xt_xmit_ops, &xmit_rc, 0200);
MODULE_PARM_DESC(xmit_more, "write 1: one frame with xmit_more set; 0: one ending the batch");

static int xt_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	unsigned long before;

	if (event != NETDEV_GOING_DOWN || strcmp(dev->name, ifname) ||
	    !READ_ONCE(armed) || netif_carrier_ok(dev))
		return NOTIFY_DONE;
	WRITE_ONCE(armed, false);
	before = dev->stats.tx_dropped;
	WRITE_ONCE(window_rc, xt_xmit(dev, false));
	WRITE_ONCE(window_dropped, dev->stats.tx_dropped - before);
	return NOTIFY_DONE;
}

static struct notifier_block xt_netdev_nb = {
	.notifier_call = xt_netdev_event,
};

static int __init xt_init(void)
{
	return register_netdevice_notifier(&xt_netdev_nb);
}

static void __exit xt_exit(void)
{
	unregister_netdevice_notifier(&xt_netdev_nb);
}

module_init(xt_init);
module_exit(xt_exit);
MODULE_DESCRIPTION("Real-Xen harness: a netfront transmit between ring teardown and unregistration");
MODULE_LICENSE("GPL");
