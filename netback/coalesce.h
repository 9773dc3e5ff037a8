/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What xen-netback calls of the coalescing extension. The patch series
 * against upstream adds only these fields and calls.
 */
#ifndef _XEN_NETBACK_COALESCE_H
#define _XEN_NETBACK_COALESCE_H

#include <linux/ethtool.h>

#include <linux/mutex.h>

#include <xen-coalesce/classes.h>
#include <xen-coalesce/engine.h>

struct net_device;
struct xenbus_device;
struct xenvif;
struct xenvif_queue;

/**
 * struct xenvif_coalesce_cfg - a VIF's coalescing, as ethtool and sysfs set it
 * @to_guest_tx: completions of the guest's transmits (the vif's receive
 *	side: ethtool rx-usecs/rx-frames), as ethtool set them
 * @to_guest_rx: packets delivered to the guest (the vif's transmit side:
 *	ethtool tx-usecs/tx-frames), as ethtool set them
 * @class: the latency class (sysfs xen_coalesce/class)
 * @budget_us: class B's budget of added latency (sysfs xen_coalesce/budget_us)
 * @frontend_tx: what the frontend is asked to use for its TX events
 *	(sysfs xen_coalesce/frontend_tx_*, xenstore coalesce/tx-*)
 * @frontend_rx: likewise for its RX events (frontend_rx_*, coalesce/rx-*)
 * @plan: what @class asks of every layer; while a class is set it
 *	replaces the four values above (xenvif_coalesce_effective())
 */
struct xenvif_coalesce_cfg {
	struct xcoal_params to_guest_tx;
	struct xcoal_params to_guest_rx;
	enum xcoal_class class;
	u32 budget_us;
	struct xcoal_params frontend_tx;
	struct xcoal_params frontend_rx;
	struct xcoal_plan plan;
};

/**
 * enum xenvif_coalesce_frontend_field - the frontend's values the backend
 *	publishes in its coalesce/ keys (the frontend's ethtool view)
 * @XENVIF_FRONTEND_TX_USECS: coalesce/tx-usecs
 * @XENVIF_FRONTEND_TX_FRAMES: coalesce/tx-frames
 * @XENVIF_FRONTEND_RX_USECS: coalesce/rx-usecs
 * @XENVIF_FRONTEND_RX_FRAMES: coalesce/rx-frames
 */
enum xenvif_coalesce_frontend_field {
	XENVIF_FRONTEND_TX_USECS,
	XENVIF_FRONTEND_TX_FRAMES,
	XENVIF_FRONTEND_RX_USECS,
	XENVIF_FRONTEND_RX_FRAMES,
};

extern const struct attribute_group xenvif_coalesce_group;

#define XENVIF_COALESCE_PARAMS \
	(ETHTOOL_COALESCE_USECS | ETHTOOL_COALESCE_MAX_FRAMES | \
	 ETHTOOL_COALESCE_USE_ADAPTIVE)

int xenvif_coalesce_init(void);
void xenvif_coalesce_exit(void);
void xenvif_coalesce_vif_init(struct xenvif *vif);
void xenvif_coalesce_connect(struct xenvif_queue *queue);
void xenvif_coalesce_disconnect(struct xenvif_queue *queue);
void xenvif_coalesce_tx_push(struct xenvif_queue *queue, bool notify);
void xenvif_coalesce_rx_push(struct xenvif_queue *queue, bool notify);
void xenvif_coalesce_rx_blocked(struct xenvif_queue *queue);
int xenvif_coalesce_sset_count(struct net_device *dev);
void xenvif_coalesce_get_strings(struct net_device *dev, u8 *data);
void xenvif_coalesce_get_stats(struct xenvif *vif, unsigned int num_queues,
			       u64 *data);
extern struct mutex xenvif_coalesce_frontend_lock;

int xenvif_coalesce_class_init(void);
int xenvif_coalesce_set_class(struct xenvif *vif, struct xenbus_device *dev,
			      const enum xcoal_class *new_class,
			      const u32 *new_budget);
void xenvif_coalesce_effective(const struct xenvif_coalesce_cfg *cfg,
			       struct xcoal_params *to_guest_tx,
			       struct xcoal_params *to_guest_rx);
void xenvif_coalesce_apply(struct xenvif *vif);
int xenvif_coalesce_publish(struct xenbus_device *dev,
			    const struct xcoal_params *tx,
			    const struct xcoal_params *rx);
void xenvif_coalesce_advertise(struct xenbus_device *dev);
void xenvif_coalesce_retract(struct xenbus_device *dev);
int xenvif_coalesce_set_frontend(struct xenvif *vif, struct xenbus_device *dev,
				 enum xenvif_coalesce_frontend_field field, u32 val);
u32 xenvif_coalesce_get_frontend(struct xenvif *vif,
				 enum xenvif_coalesce_frontend_field field);
const char *xenvif_coalesce_frontend_follows(struct xenbus_device *dev);
int xenvif_get_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			struct kernel_ethtool_coalesce *kec,
			struct netlink_ext_ack *extack);
int xenvif_set_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			struct kernel_ethtool_coalesce *kec,
			struct netlink_ext_ack *extack);
int xenvif_get_per_queue_coalesce(struct net_device *dev, u32 queue,
				  struct ethtool_coalesce *ec);
int xenvif_set_per_queue_coalesce(struct net_device *dev, u32 queue,
				  struct ethtool_coalesce *ec);

#endif /* _XEN_NETBACK_COALESCE_H */
