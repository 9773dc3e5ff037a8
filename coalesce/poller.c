// SPDX-License-Identifier: GPL-2.0
/*
 * Receiver-driven coalescing (see poller.h). Only the consumer writes the
 * event index: the deadline merely schedules the consumer, which decides
 * when it completes. A run that found nothing puts the ring back to an
 * event per response, so an idle ring keeps no timer running and the
 * first packet after a pause is not delayed.
 */
#include <linux/module.h>
#include <linux/seq_file.h>

#include <xen-coalesce/poller.h>

/* As the engine's: lets the kernel batch expiries. */
#define XCOAL_POLL_SLACK_NS	(5 * NSEC_PER_USEC)

static enum hrtimer_restart xcoal_poller_timer_fn(struct hrtimer *timer)
{
	struct xcoal_poller *p = container_of(timer, struct xcoal_poller, timer);

	if (READ_ONCE(p->stopped))
		return HRTIMER_NORESTART;
	p->stats.timer_polls++;
	p->ops->poll(p);
	return HRTIMER_NORESTART;
}

/**
 * xcoal_poller_init - set up a poller, off, with no window open
 * @p: the poller
 * @ops: the driver's callbacks, which must outlive the poller
 */
void xcoal_poller_init(struct xcoal_poller *p, const struct xcoal_poller_ops *ops)
{
	memset(p, 0, sizeof(*p));
	spin_lock_init(&p->lock);
	hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	p->timer.function = xcoal_poller_timer_fn;
	p->ops = ops;
}
EXPORT_SYMBOL_GPL(xcoal_poller_init);

/**
 * xcoal_poller_set - new parameters, used from the next completion on
 * @p: the poller
 * @frames: responses per event
 * @usecs: deadline of a window
 */
void xcoal_poller_set(struct xcoal_poller *p, u32 frames, u32 usecs)
{
	WRITE_ONCE(p->frames, frames);
	WRITE_ONCE(p->usecs, usecs);
}
EXPORT_SYMBOL_GPL(xcoal_poller_set);

/**
 * xcoal_poller_complete - the consumer completed a run; arm the ring
 * @p: the poller
 * @work_done: responses the run consumed
 *
 * Replaces RING_FINAL_CHECK_FOR_RESPONSES() at the end of a consumer run.
 *
 * Return: true if the consumer must run again now.
 */
bool xcoal_poller_complete(struct xcoal_poller *p, unsigned int work_done)
{
	u32 frames = READ_ONCE(p->frames);
	u32 usecs = READ_ONCE(p->usecs);
	unsigned int pending;
	unsigned long flags;

	if (frames <= 1 || !usecs || READ_ONCE(p->stopped) || !work_done) {
		if (!work_done && frames > 1 && usecs) {
			p->stats.idle++;
			/* A run the deadline scheduled needs no second one. */
			hrtimer_try_to_cancel(&p->timer);
		}
		return p->ops->arm(p, 1) > 0;
	}
	pending = p->ops->arm(p, frames);
	if (pending >= frames) {
		/* The peer crossed the index before we set it: no event comes. */
		p->stats.full++;
		return true;
	}
	/* Under the lock: once stopped, nothing starts the timer again. */
	spin_lock_irqsave(&p->lock, flags);
	if (p->stopped) {
		spin_unlock_irqrestore(&p->lock, flags);
		return p->ops->arm(p, 1) > 0;
	}
	p->stats.windows++;
	hrtimer_start_range_ns(&p->timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			       XCOAL_POLL_SLACK_NS, HRTIMER_MODE_REL);
	spin_unlock_irqrestore(&p->lock, flags);
	return false;
}
EXPORT_SYMBOL_GPL(xcoal_poller_complete);

/**
 * xcoal_poller_stop - cancel the deadline for good, before the ring and the
 *	consumer go away
 * @p: the poller; it may never have been used
 *
 * Sleeps until a running timer handler has returned. The driver re-inits
 * the poller when the ring comes back.
 */
void xcoal_poller_stop(struct xcoal_poller *p)
{
	unsigned long flags;

	if (!p->ops)
		return;
	spin_lock_irqsave(&p->lock, flags);
	WRITE_ONCE(p->stopped, true);
	spin_unlock_irqrestore(&p->lock, flags);
	hrtimer_cancel(&p->timer);
}
EXPORT_SYMBOL_GPL(xcoal_poller_stop);

/**
 * xcoal_poller_show - a poller's settings and counters, for debugfs
 * @m: the file
 * @name: the line prefix
 * @p: the poller
 */
void xcoal_poller_show(struct seq_file *m, const char *name,
		       const struct xcoal_poller *p)
{
	seq_printf(m, "%s: poll_frames %u poll_usecs %u\n", name,
		   READ_ONCE(p->frames), READ_ONCE(p->usecs));
	seq_printf(m, "%s: windows %llu timer_polls %llu full %llu idle %llu\n",
		   name, p->stats.windows, p->stats.timer_polls, p->stats.full,
		   p->stats.idle);
}
EXPORT_SYMBOL_GPL(xcoal_poller_show);
