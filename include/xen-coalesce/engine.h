/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One notification point of a driver (a queue's TX or RX event towards the
 * peer), with its coalescer, deadline timer and counters. The driver pushes
 * frames and tells whether the ring asked for a notification; the engine
 * decides (coalescer.h) and raises the event through the driver's ops.
 */
#ifndef _XEN_COALESCE_ENGINE_H
#define _XEN_COALESCE_ENGINE_H

#include <linux/dim.h>
#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>

#include "coalescer.h"
#include "estimator.h"

struct dentry;
struct seq_file;
struct xcoal_point;
struct xcoal_queue;

/**
 * struct xcoal_point_ops - what the engine needs of the driver
 * @notify: raise the event channel towards the peer
 * @owed: whether the peer still waits for an event (its event index is at
 *	or behind our producer). Asked before a deferred notification goes
 *	out, so that a peer which caught up by polling gets no spurious event.
 */
struct xcoal_point_ops {
	void (*notify)(struct xcoal_point *pt);
	bool (*owed)(struct xcoal_point *pt);
};

/**
 * struct xcoal_stats - counters of one point
 * @frames: frames pushed
 * @sent: notifications sent
 * @deferred: notifications the ring asked for that waited
 * @expiries: notifications sent by the deadline timer
 * @flushes: notifications sent by a flush (teardown, parameter change)
 * @caught_up: owed notifications dropped because the peer had caught up
 * @blocked: notifications sent at once because the producer could not
 *	progress (the ring full); a blocked producer is never held
 * @frames_per_notification: histogram of frames per notification sent
 * @added_latency_us: histogram of the wait of the first deferred frame
 * @full_wait_us: histogram, over the pushes (and blocked calls) that found
 *	the producer blocked with a notification owed or asked for, of the
 *	wait still scheduled for it: 0 when it went out at once, as it must
 * @timer_late_us: histogram of how late the deadline timer ran, past the
 *	deadline (the platform's share of @added_latency_us)
 * @scheduled_wait_us: histogram of the waits the point scheduled: from the
 *	first deferred frame to the latest its deadline timer may fire
 * @scheduled_max_ns: the longest of them since the parameters last
 *	changed, exact, in ns (a class's promise is checked against it; how
 *	late the timer then ran is apart)
 * @adapted: times the adaptive policy changed the parameters in force
 */
struct xcoal_stats {
	u64 frames;
	u64 sent;
	u64 deferred;
	u64 expiries;
	u64 flushes;
	u64 caught_up;
	u64 blocked;
	u64 frames_per_notification[XCOAL_HIST_BUCKETS];
	u64 added_latency_us[XCOAL_HIST_BUCKETS];
	u64 timer_late_us[XCOAL_HIST_BUCKETS];
	u64 full_wait_us[XCOAL_HIST_BUCKETS];
	u64 scheduled_wait_us[XCOAL_HIST_BUCKETS];
	u64 scheduled_max_ns;
	u64 adapted;
};

/* "vif1.0-q0:rx": a queue's name (IFNAMSIZ and "-qN"), ":", the point. */
#define XCOAL_POINT_NAME_LEN	32

/**
 * struct xcoal_point - a notification point
 * @lock: guards everything below
 * @timer: the deadline, started by the first deferral
 * @params: current parameters, as set
 * @live: the parameters in force: @params, or the adaptive policy's choice
 *	within them
 * @ewma: the rate estimate, for the adaptive policy
 * @rate: the sampling state that feeds @ewma
 * @dim: net_dim's state, when it is the adaptive policy (adaptive_dim)
 * @dim_on: pushes feed @dim
 * @state: the coalescer's state
 * @ops: the driver's callbacks
 * @first: when the first deferred notification was asked for
 * @frames_since: frames pushed since the last notification
 * @prod: the ring's producer index at the last push_ring
 * @stopped: no notification is deferred any more (teardown)
 * @active: the point may defer: not stopped, and its parameters enable
 *	coalescing or adapt. Written under @lock with nothing owed; a push
 *	that reads it false takes neither the lock nor the timer
 * @syncp: writers of @stats: the pusher (the driver serialises pushes) or
 *	the lock's holder, never both at once (nothing is owed while
 *	!@active, so no timer or flush writes then)
 * @stats: counters
 * @name: the point's name in trace events: its queue's and "tx" or "rx"
 */
struct xcoal_point {
	spinlock_t lock; /* taken with interrupts off: pushes come from any context */
	struct hrtimer timer;
	struct xcoal_params params;
	struct xcoal_params live;
	struct xcoal_ewma ewma;
	struct xcoal_rate rate;
	struct dim dim;
	bool dim_on;
	struct xcoal_state state;
	const struct xcoal_point_ops *ops;
	ktime_t first;
	u32 frames_since;
	u32 prod;
	bool stopped;
	bool active;
	struct u64_stats_sync syncp;
	struct xcoal_stats stats;
	char name[XCOAL_POINT_NAME_LEN];
};

/**
 * struct xcoal_queue - the two points of a driver's queue
 * @tx: events for the TX ring
 * @rx: events for the RX ring
 * @show: the driver's own lines at the end of the queue's file, or NULL
 * @debugfs: the queue's counters file
 * @running: between xcoal_queue_start() and xcoal_queue_stop()
 */
struct xcoal_queue {
	struct xcoal_point tx;
	struct xcoal_point rx;
	void (*show)(struct seq_file *m, struct xcoal_queue *q);
	struct dentry *debugfs;
	bool running;
};

void xcoal_queue_start(struct xcoal_queue *q, const char *name,
		       struct dentry *parent,
		       const struct xcoal_point_ops *tx_ops,
		       const struct xcoal_params *tx,
		       const struct xcoal_point_ops *rx_ops,
		       const struct xcoal_params *rx);
void xcoal_queue_stop(struct xcoal_queue *q);
void xcoal_queue_set_params(struct xcoal_queue *q, const struct xcoal_params *tx,
			    const struct xcoal_params *rx);

void xcoal_point_init(struct xcoal_point *pt, const struct xcoal_point_ops *ops,
		      const struct xcoal_params *params);
void xcoal_point_push_ring(struct xcoal_point *pt, u32 prod, bool ring_notify,
			   u32 room);
void xcoal_point_set_prod(struct xcoal_point *pt, u32 prod);
void xcoal_point_blocked(struct xcoal_point *pt);
void xcoal_point_flush(struct xcoal_point *pt);
void xcoal_point_stop(struct xcoal_point *pt);
void xcoal_point_start(struct xcoal_point *pt);
void xcoal_point_set_params(struct xcoal_point *pt,
			    const struct xcoal_params *params);
void xcoal_point_get_params(struct xcoal_point *pt, struct xcoal_params *params);
void xcoal_point_get_stats(struct xcoal_point *pt, struct xcoal_stats *stats);

/* ethtool -S: per queue, each point's event counters (ethtool_stats.c). */
#define XCOAL_QUEUE_N_STATS 14
void xcoal_queue_get_strings(unsigned int qid, u8 **data);
void xcoal_queue_get_ethtool_stats(struct xcoal_queue *q, u64 **data);

/* net_dim as the adaptive policy (coalesce/adaptive_dim.c); module-internal. */
bool xcoal_dim_chosen(void);
void xcoal_dim_reset(struct xcoal_point *pt);
void xcoal_dim_sample(struct xcoal_point *pt);
void xcoal_dim_quiesce(struct xcoal_point *pt);

#endif /* _XEN_COALESCE_ENGINE_H */
