// SPDX-License-Identifier: GPL-2.0
/*
 * lib/dim's net_dim as a point's adaptive policy, the alternative to the
 * estimator (coalesce/adaptive.c) that the benchmark compares it with.
 * net_dim walks a ladder of (usecs, packets) profiles, keeping a step when
 * the packet rate per notification improves; its choice is clamped to the
 * point's ceilings.
 */
#include <linux/dim.h>
#include <linux/module.h>

#include <xen-coalesce/engine.h>

static bool adaptive_dim;
module_param(adaptive_dim, bool, 0644);
MODULE_PARM_DESC(adaptive_dim, "Adaptive points use lib/dim's net_dim instead of the estimator (from their next setting)");

/* The policy a point takes when it is set adaptive. */
bool xcoal_dim_chosen(void)
{
	return READ_ONCE(adaptive_dim);
}

/* Profile @ix of net_dim's ladder in force on @pt (locked), within its ceilings. */
static void xcoal_dim_profile(struct xcoal_point *pt, int ix)
{
	struct dim_cq_moder m = net_dim_get_rx_moderation(pt->dim.mode, ix);

	pt->live.usecs = min_t(u32, m.usec, pt->params.usecs);
	pt->live.frames = min_t(u32, m.pkts, xcoal_params_frames_ceiling(&pt->params));
	pt->live.adaptive = false;
}

/* net_dim chose a profile: put it in force. */
static void xcoal_dim_work(struct work_struct *work)
{
	struct dim *dim = container_of(work, struct dim, work);
	struct xcoal_point *pt = container_of(dim, struct xcoal_point, dim);
	unsigned long flags;

	spin_lock_irqsave(&pt->lock, flags);
	if (pt->dim_on) {
		xcoal_dim_profile(pt, dim->profile_ix);
		u64_stats_update_begin(&pt->syncp);
		pt->stats.adapted++;
		u64_stats_update_end(&pt->syncp);
	}
	dim->state = DIM_START_MEASURE;
	spin_unlock_irqrestore(&pt->lock, flags);
}

/**
 * xcoal_dim_reset - start a point's net_dim afresh, at its first profile
 * @pt: the point, locked, with no dim work pending (xcoal_dim_quiesce())
 */
void xcoal_dim_reset(struct xcoal_point *pt)
{
	memset(&pt->dim, 0, sizeof(pt->dim));
	INIT_WORK(&pt->dim.work, xcoal_dim_work);
	pt->dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_EQE;
	xcoal_dim_profile(pt, 0);
}

/**
 * xcoal_dim_sample - feed net_dim after a push
 * @pt: the point, locked
 *
 * net_dim measures over 64 notifications and schedules its work when it
 * moves to another profile.
 */
void xcoal_dim_sample(struct xcoal_point *pt)
{
	struct dim_sample s;

	dim_update_sample((u16)pt->stats.sent, pt->stats.frames, 0, &s);
	net_dim(&pt->dim, s);
}

/**
 * xcoal_dim_quiesce - no dim work runs or is pending after this
 * @pt: the point, unlocked; its pushes no longer feed net_dim (dim_on off)
 */
void xcoal_dim_quiesce(struct xcoal_point *pt)
{
	if (pt->dim.work.func)
		cancel_work_sync(&pt->dim.work);
}
