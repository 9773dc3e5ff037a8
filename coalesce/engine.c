// SPDX-License-Identifier: GPL-2.0
/*
 * The mechanism around the coalescer: a lock, an absolute hrtimer and the
 * counters. The decisions are coalescer.c's.
 *
 * The timer is never cancelled synchronously under the lock (its handler
 * takes the lock): a push that reaches the threshold only tries to cancel,
 * and a handler that lost the race finds nothing owed. Only
 * xcoal_point_stop() waits for the handler, with the lock released.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

#include <xen-coalesce/adaptive.h>
#include <xen-coalesce/engine.h>

#define CREATE_TRACE_POINTS
#include "xcoal_trace.h"

/*
 * Serialises the start, stop and new parameters of every queue: drivers
 * start and stop queues from xenbus paths without rtnl while ethtool and
 * xenstore followers set parameters under it, and a plain "running" flag
 * would let a set race a stop's cancel of the same point's work.
 * Always taken after rtnl, never before.
 */
static DEFINE_MUTEX(xcoal_queue_mutex);

/*
 * Timer slack: lets the kernel batch expiries. Taken before the deadline,
 * never after it: the wait a point schedules is never longer than usecs.
 */
#define XCOAL_SLACK_NS	(5 * NSEC_PER_USEC)

/* Send the owed notification; called with the lock held. */
static void xcoal_send(struct xcoal_point *pt, bool deferred, u64 *counter)
{
	if (deferred) {
		u64 us = ktime_us_delta(ktime_get(), pt->first);

		pt->stats.added_latency_us[xcoal_hist_bucket(us)]++;
		if (pt->ops->owed && !pt->ops->owed(pt)) {
			pt->stats.caught_up++;
			pt->frames_since = 0;
			return;
		}
	}
	pt->ops->notify(pt);
	pt->stats.sent++;
	if (counter)
		(*counter)++;
	pt->stats.frames_per_notification[xcoal_hist_bucket(pt->frames_since)]++;
	pt->frames_since = 0;
}

static enum hrtimer_restart xcoal_timer_fn(struct hrtimer *timer)
{
	struct xcoal_point *pt = container_of(timer, struct xcoal_point, timer);
	unsigned long flags;
	bool owed;

	spin_lock_irqsave(&pt->lock, flags);
	owed = xcoal_expire(&pt->state);
	trace_xcoal_release(pt, XCOAL_RELEASE_DEADLINE, owed);
	if (owed) {
		s64 late = ktime_us_delta(ktime_get(), pt->first) - pt->live.usecs;

		u64_stats_update_begin(&pt->syncp);
		pt->stats.timer_late_us[xcoal_hist_bucket(late > 0 ? late : 0)]++;
		xcoal_send(pt, true, &pt->stats.expiries);
		u64_stats_update_end(&pt->syncp);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	return HRTIMER_NORESTART;
}

/* New parameters; an adaptive point starts from nothing deferred. */
static void xcoal_point_params(struct xcoal_point *pt,
			       const struct xcoal_params *params)
{
	pt->params = *params;
	pt->live = *params;
	WRITE_ONCE(pt->active, !pt->stopped &&
		   (params->adaptive || xcoal_params_enabled(params)));
	pt->dim_on = params->adaptive && xcoal_dim_chosen();
	if (pt->dim_on) {
		xcoal_dim_reset(pt);
	} else if (params->adaptive) {
		pt->live = (struct xcoal_params){};
		xcoal_ewma_init(&pt->ewma, XCOAL_EWMA_ALPHA_DEFAULT);
		pt->rate = (struct xcoal_rate){};
	}
}

/*
 * Adaptive: feed the estimator with the frame counter and let the policy
 * choose the parameters in force within the ceilings. A wait already
 * running keeps its deadline, which is within the ceiling.
 */
static void xcoal_point_adapt(struct xcoal_point *pt)
{
	struct xcoal_params p;

	xcoal_rate_sample(&pt->rate, &pt->ewma, ktime_get_ns(), (u32)pt->stats.frames);
	xcoal_adapt(&pt->ewma, pt->params.usecs,
		    xcoal_params_frames_ceiling(&pt->params), &p);
	if (p.usecs != pt->live.usecs || p.frames != pt->live.frames)
		pt->stats.adapted++;
	pt->live = p;
}

/**
 * xcoal_point_init - set up a point, started, with no notification owed
 * @pt: the point
 * @ops: the driver's callbacks, which must outlive the point
 * @params: initial parameters, checked by xcoal_params_check()
 */
void xcoal_point_init(struct xcoal_point *pt, const struct xcoal_point_ops *ops,
		      const struct xcoal_params *params)
{
	memset(pt, 0, sizeof(*pt));
	spin_lock_init(&pt->lock);
	u64_stats_init(&pt->syncp);
	hrtimer_init(&pt->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	pt->timer.function = xcoal_timer_fn;
	pt->ops = ops;
	strscpy(pt->name, "-", sizeof(pt->name));
	xcoal_point_params(pt, params);
}
EXPORT_SYMBOL_GPL(xcoal_point_init);

/*
 * Send what is owed now, counted in @counter; the lock held. Nothing owed,
 * nothing written: a lockless push may be writing the counters then.
 */
static void xcoal_point_flush_locked(struct xcoal_point *pt,
				     enum xcoal_release why, u64 *counter)
{
	bool was_armed;

	if (!pt->state.pending)
		return;
	u64_stats_update_begin(&pt->syncp);
	trace_xcoal_release(pt, why, true);
	if (xcoal_flush(&pt->state, &was_armed))
		xcoal_send(pt, true, counter);
	u64_stats_update_end(&pt->syncp);
	if (was_armed)
		hrtimer_try_to_cancel(&pt->timer);
}

/*
 * A push to a point that defers nothing: the ring's answer decides, as
 * without coalescing. No lock: the driver serialises its pushes, and
 * nothing else writes the counters while the point is not active.
 */
static void xcoal_point_push_off(struct xcoal_point *pt, u32 frames,
				 bool ring_notify)
{
	u64_stats_update_begin(&pt->syncp);
	pt->stats.frames += frames;
	pt->frames_since += frames;
	if (ring_notify)
		xcoal_send(pt, false, NULL);
	u64_stats_update_end(&pt->syncp);
}

/* The wait still scheduled for what is owed, in us: 0 if nothing waits. */
static u64 xcoal_point_wait_left_us(struct xcoal_point *pt)
{
	s64 left;

	if (!pt->state.pending)
		return 0;
	left = pt->live.usecs - ktime_us_delta(ktime_get(), pt->first);
	return left > 0 ? left : 0;
}

/*
 * Start the deadline for what is owed from pt->first: the timer fires in
 * the last XCOAL_SLACK_NS before usecs, so the scheduled wait is usecs.
 */
static void xcoal_point_arm(struct xcoal_point *pt)
{
	u64 wait = (u64)pt->live.usecs * NSEC_PER_USEC;
	u64 soft = wait > XCOAL_SLACK_NS ? wait - XCOAL_SLACK_NS : 0;

	hrtimer_start_range_ns(&pt->timer, ns_to_ktime(soft), wait - soft,
			       HRTIMER_MODE_REL);
	pt->stats.scheduled_wait_us[xcoal_hist_bucket(pt->live.usecs)]++;
	if (wait > pt->stats.scheduled_max_ns)
		pt->stats.scheduled_max_ns = wait;
}

/* A push, with the lock held; see xcoal_point_push_ring(). */
static void xcoal_point_push_locked(struct xcoal_point *pt, u32 frames,
				    bool ring_notify, u32 room)
{
	enum xcoal_verdict verdict;
	bool was_armed, owed;

	/* Switched off since the caller looked, or stopping: defer nothing. */
	if (!pt->active || pt->stopped) {
		xcoal_point_push_off(pt, frames, ring_notify);
		return;
	}
	u64_stats_update_begin(&pt->syncp);
	pt->stats.frames += frames;
	pt->frames_since += frames;
	if (pt->dim_on)
		xcoal_dim_sample(pt);
	else if (pt->params.adaptive)
		xcoal_point_adapt(pt);
	owed = pt->state.pending;
	verdict = xcoal_push_room(&pt->state, &pt->live, frames, ring_notify,
				  room, &was_armed);
	trace_xcoal_push(pt, frames, ring_notify, room, verdict);
	switch (verdict) {
	case XCOAL_QUIET:
		break;
	case XCOAL_ARM:
		pt->stats.deferred++;
		pt->first = ktime_get();
		xcoal_point_arm(pt);
		break;
	case XCOAL_NOTIFY:
		if (was_armed)
			hrtimer_try_to_cancel(&pt->timer);
		/* Coalescing on and the ring full: released, not held. */
		xcoal_send(pt, was_armed,
			   !room && xcoal_params_enabled(&pt->live) ?
			   &pt->stats.blocked : NULL);
		break;
	}
	/* A blocked producer with something owed or asked: what still waits. */
	if (!room && xcoal_params_enabled(&pt->live) && (owed || ring_notify))
		pt->stats.full_wait_us[xcoal_hist_bucket(xcoal_point_wait_left_us(pt))]++;
	u64_stats_update_end(&pt->syncp);
}

/**
 * xcoal_point_push_ring - the driver pushed its ring's producer to @prod
 * @pt: the point
 * @prod: the producer index now visible to the peer; the slots since the
 *	last push (or xcoal_point_set_prod()) are the frames counted
 * @ring_notify: the ring macro asked for a notification
 * @room: slots the producer can still fill before it must wait for the
 *	peer, 0 when it is blocked: what is owed then goes out at once
 *
 * Any context; the driver serialises its pushes (they move @prod). With
 * the point off, takes no lock.
 */
void xcoal_point_push_ring(struct xcoal_point *pt, u32 prod, bool ring_notify,
			   u32 room)
{
	unsigned long flags;
	u32 frames = prod - READ_ONCE(pt->prod);

	WRITE_ONCE(pt->prod, prod);
	if (!READ_ONCE(pt->active)) {
		xcoal_point_push_off(pt, frames, ring_notify);
		return;
	}
	spin_lock_irqsave(&pt->lock, flags);
	xcoal_point_push_locked(pt, frames, ring_notify, room);
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_push_ring);

/**
 * xcoal_point_set_prod - the ring's producer index, when its ring is
 *	attached, so that xcoal_point_push_ring() counts from there
 * @pt: the point
 * @prod: the producer index
 */
void xcoal_point_set_prod(struct xcoal_point *pt, u32 prod)
{
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	WRITE_ONCE(pt->prod, prod);
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_set_prod);

/**
 * xcoal_point_blocked - the producer cannot progress until the peer
 *	consumes: send what is owed now
 * @pt: the point
 *
 * A deferred notification must never hold a producer that waits for the
 * peer; at hardware rates a ring fills in a fraction of any deadline.
 */
void xcoal_point_blocked(struct xcoal_point *pt)
{
	unsigned long flags;

	if (!READ_ONCE(pt->active))
		return;	/* nothing is owed at a point that defers nothing */
	spin_lock_irqsave(&pt->lock, flags);
	if (pt->state.pending) {
		xcoal_point_flush_locked(pt, XCOAL_RELEASE_BLOCKED, &pt->stats.blocked);
		u64_stats_update_begin(&pt->syncp);
		pt->stats.full_wait_us[xcoal_hist_bucket(xcoal_point_wait_left_us(pt))]++;
		u64_stats_update_end(&pt->syncp);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_blocked);

/**
 * xcoal_point_flush - send an owed notification now
 * @pt: the point
 */
void xcoal_point_flush(struct xcoal_point *pt)
{
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	xcoal_point_flush_locked(pt, XCOAL_RELEASE_FLUSH, &pt->stats.flushes);
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_flush);

/**
 * xcoal_point_stop - flush and stop deferring, before the event channel or
 *	the ring goes away
 * @pt: the point
 *
 * Sleeps until a running timer handler has finished: after it returns no
 * handler runs against @pt. Pushes after it notify as the ring asks.
 */
void xcoal_point_stop(struct xcoal_point *pt)
{
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	pt->stopped = true;
	spin_unlock_irqrestore(&pt->lock, flags);
	xcoal_point_flush(pt);
	/* Nothing is owed now and nothing can be: the lockless path is safe. */
	spin_lock_irqsave(&pt->lock, flags);
	WRITE_ONCE(pt->active, false);
	spin_unlock_irqrestore(&pt->lock, flags);
	hrtimer_cancel(&pt->timer);
	xcoal_dim_quiesce(pt);
}
EXPORT_SYMBOL_GPL(xcoal_point_stop);

/**
 * xcoal_point_start - defer notifications again, after xcoal_point_stop()
 * @pt: the point
 */
void xcoal_point_start(struct xcoal_point *pt)
{
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	pt->stopped = false;
	WRITE_ONCE(pt->active, pt->params.adaptive ||
		   xcoal_params_enabled(&pt->params));
	/* A dim work cancelled by the stop left net_dim waiting for it. */
	pt->dim.state = DIM_START_MEASURE;
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_start);

/**
 * xcoal_point_set_params - change parameters; what is owed goes out first
 * @pt: the point
 * @params: checked by xcoal_params_check()
 */
void xcoal_point_set_params(struct xcoal_point *pt,
			    const struct xcoal_params *params)
{
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	pt->dim_on = false;
	spin_unlock_irqrestore(&pt->lock, flags);
	xcoal_dim_quiesce(pt);
	spin_lock_irqsave(&pt->lock, flags);
	xcoal_point_params(pt, params);
	/*
	 * What is owed was deferred under the old deadline: it goes out now,
	 * so nothing waits longer than the new one allows.
	 */
	xcoal_point_flush_locked(pt, XCOAL_RELEASE_FLUSH, &pt->stats.flushes);
	/* The longest scheduled wait is the new parameters' from here. */
	u64_stats_update_begin(&pt->syncp);
	pt->stats.scheduled_max_ns = 0;
	u64_stats_update_end(&pt->syncp);
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_set_params);

/**
 * xcoal_point_get_params - the current parameters
 * @pt: the point
 * @params: filled in
 */
void xcoal_point_get_params(struct xcoal_point *pt, struct xcoal_params *params)
{
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	*params = pt->params;
	spin_unlock_irqrestore(&pt->lock, flags);
}
EXPORT_SYMBOL_GPL(xcoal_point_get_params);

/**
 * xcoal_point_get_stats - a consistent copy of the counters
 * @pt: the point
 * @stats: filled in
 */
void xcoal_point_get_stats(struct xcoal_point *pt, struct xcoal_stats *stats)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&pt->syncp);
		*stats = pt->stats;
	} while (u64_stats_fetch_retry(&pt->syncp, start));
}
EXPORT_SYMBOL_GPL(xcoal_point_get_stats);

/* An adaptive point: what is in force now and the estimate behind it. */
static void xcoal_point_show_adaptive(struct seq_file *m, const char *name,
				      struct xcoal_point *pt, u64 adapted)
{
	struct xcoal_params live;
	unsigned long flags;
	bool dim;
	u64 gap;

	spin_lock_irqsave(&pt->lock, flags);
	live = pt->live;
	dim = pt->dim_on;
	gap = pt->ewma.primed ? xcoal_ewma_expected_gap_ns(&pt->ewma) : 0;
	spin_unlock_irqrestore(&pt->lock, flags);
	seq_printf(m, "%s: adaptive live_usecs %u live_frames %u policy %s expected_gap_ns %llu adapted %llu\n",
		   name, live.usecs, live.frames, dim ? "dim" : "ewma", dim ? 0 : gap, adapted);
}

/* One point's settings and counters, in the queue's debugfs file. */
static void xcoal_point_show(struct seq_file *m, const char *name,
			     struct xcoal_point *pt)
{
	struct xcoal_params p;
	struct xcoal_state now;
	struct xcoal_stats s;
	unsigned long flags;
	unsigned int i;

	xcoal_point_get_params(pt, &p);
	xcoal_point_get_stats(pt, &s);
	spin_lock_irqsave(&pt->lock, flags);
	now = pt->state;
	spin_unlock_irqrestore(&pt->lock, flags);
	seq_printf(m, "%s: usecs %u frames %u\n", name, p.usecs, p.frames);
	/* What a deferred notification still owes: 0 once the peer is told. */
	seq_printf(m, "%s: owed %u armed %d\n", name, now.pending, now.armed);
	if (p.adaptive)
		xcoal_point_show_adaptive(m, name, pt, s.adapted);
	seq_printf(m, "%s: frames %llu sent %llu deferred %llu expiries %llu flushes %llu caught_up %llu blocked %llu\n",
		   name, s.frames, s.sent, s.deferred, s.expiries, s.flushes,
		   s.caught_up, s.blocked);
	seq_printf(m, "%s: frames_per_notification", name);
	for (i = 0; i < XCOAL_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", s.frames_per_notification[i]);
	seq_printf(m, "\n%s: added_latency_us", name);
	for (i = 0; i < XCOAL_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", s.added_latency_us[i]);
	seq_printf(m, "\n%s: timer_late_us", name);
	for (i = 0; i < XCOAL_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", s.timer_late_us[i]);
	seq_printf(m, "\n%s: full_wait_us", name);
	for (i = 0; i < XCOAL_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", s.full_wait_us[i]);
	seq_printf(m, "\n%s: scheduled_wait_us", name);
	for (i = 0; i < XCOAL_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", s.scheduled_wait_us[i]);
	seq_printf(m, "\n%s: scheduled_max_ns %llu\n", name, s.scheduled_max_ns);
}

static int xcoal_queue_show(struct seq_file *m, void *v)
{
	struct xcoal_queue *q = m->private;

	seq_printf(m, "# histogram buckets: <=1 <=2 <=4 ... <=%llu more\n",
		   1ULL << (XCOAL_HIST_BUCKETS - 2));
	xcoal_point_show(m, "tx", &q->tx);
	xcoal_point_show(m, "rx", &q->rx);
	if (q->show)
		q->show(m, q);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xcoal_queue);

/**
 * xcoal_queue_start - start a queue's points, with a debugfs file
 * @q: the queue's points
 * @name: the file's name, the queue's ("vif1.0-q0")
 * @parent: the driver's debugfs directory
 * @tx_ops: the driver's callbacks for the TX ring's events
 * @tx: their parameters
 * @rx_ops: the driver's callbacks for the RX ring's events
 * @rx: their parameters
 */
void xcoal_queue_start(struct xcoal_queue *q, const char *name,
		       struct dentry *parent,
		       const struct xcoal_point_ops *tx_ops,
		       const struct xcoal_params *tx,
		       const struct xcoal_point_ops *rx_ops,
		       const struct xcoal_params *rx)
{
	mutex_lock(&xcoal_queue_mutex);
	xcoal_point_init(&q->tx, tx_ops, tx);
	xcoal_point_init(&q->rx, rx_ops, rx);
	snprintf(q->tx.name, sizeof(q->tx.name), "%s:tx", name);
	snprintf(q->rx.name, sizeof(q->rx.name), "%s:rx", name);
	q->debugfs = debugfs_create_file(name, 0444, parent, q, &xcoal_queue_fops);
	q->running = true;
	mutex_unlock(&xcoal_queue_mutex);
}
EXPORT_SYMBOL_GPL(xcoal_queue_start);

/**
 * xcoal_queue_stop - flush and stop a queue's points, remove its file
 * @q: the queue's points; they may never have been started
 *
 * Sleeps; see xcoal_point_stop().
 */
void xcoal_queue_stop(struct xcoal_queue *q)
{
	mutex_lock(&xcoal_queue_mutex);
	if (q->running) {
		q->running = false;
		debugfs_remove(q->debugfs);
		q->debugfs = NULL;
		xcoal_point_stop(&q->tx);
		xcoal_point_stop(&q->rx);
	}
	mutex_unlock(&xcoal_queue_mutex);
}
EXPORT_SYMBOL_GPL(xcoal_queue_stop);

/**
 * xcoal_queue_set_params - new parameters for a running queue's points
 * @q: the queue's points; ignored while not running
 * @tx: for the TX ring's events, checked by xcoal_params_check()
 * @rx: for the RX ring's events, likewise
 */
void xcoal_queue_set_params(struct xcoal_queue *q, const struct xcoal_params *tx,
			    const struct xcoal_params *rx)
{
	mutex_lock(&xcoal_queue_mutex);
	if (q->running) {
		xcoal_point_set_params(&q->tx, tx);
		xcoal_point_set_params(&q->rx, rx);
	}
	mutex_unlock(&xcoal_queue_mutex);
}
EXPORT_SYMBOL_GPL(xcoal_queue_set_params);
