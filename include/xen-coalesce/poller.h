/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receiver-driven coalescing: the consumer of a ring asks its peer for an
 * event only after N more responses (event index = consumer + N) and polls
 * the ring on its own deadline meanwhile. Nothing changes on the producer's
 * side, so a patched guest coalesces the events it receives even from a
 * stock backend.
 */
#ifndef _XEN_COALESCE_POLLER_H
#define _XEN_COALESCE_POLLER_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>

struct seq_file;
struct xcoal_poller;

/**
 * struct xcoal_poller_ops - what the poller needs of the driver
 * @arm: set the ring's event index to the consumer index + @n, then (after
 *	a full barrier) return the number of unconsumed responses. Called
 *	from the consumer's own context only (NAPI), never from the timer.
 * @poll: schedule the consumer (NAPI); any context.
 */
struct xcoal_poller_ops {
	unsigned int (*arm)(struct xcoal_poller *p, unsigned int n);
	void (*poll)(struct xcoal_poller *p);
};

/**
 * struct xcoal_poller_stats - counters of a poller
 * @windows: polling windows opened (event index at consumer + N)
 * @timer_polls: consumer runs scheduled by the deadline
 * @full: windows whose N responses were already there when they opened
 * @idle: consumer runs that found nothing, after which the ring is back
 *	to an event per response
 */
struct xcoal_poller_stats {
	u64 windows;
	u64 timer_polls;
	u64 full;
	u64 idle;
};

/**
 * struct xcoal_poller - receiver-driven coalescing of one ring
 * @lock: orders starting the timer against xcoal_poller_stop()
 * @timer: the deadline of the open window
 * @ops: the driver's callbacks
 * @frames: responses per event (N); <= 1 turns the mode off
 * @usecs: the window's deadline; 0 turns the mode off
 * @stopped: the timer must not run (teardown)
 * @stats: counters, updated by the consumer and the timer
 */
struct xcoal_poller {
	spinlock_t lock; /* a consumer run may race the teardown */
	struct hrtimer timer;
	const struct xcoal_poller_ops *ops;
	u32 frames;
	u32 usecs;
	bool stopped;
	struct xcoal_poller_stats stats;
};

void xcoal_poller_init(struct xcoal_poller *p, const struct xcoal_poller_ops *ops);
void xcoal_poller_set(struct xcoal_poller *p, u32 frames, u32 usecs);
bool xcoal_poller_complete(struct xcoal_poller *p, unsigned int work_done);
void xcoal_poller_stop(struct xcoal_poller *p);
void xcoal_poller_show(struct seq_file *m, const char *name,
		       const struct xcoal_poller *p);

#endif /* _XEN_COALESCE_POLLER_H */
