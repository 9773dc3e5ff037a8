// SPDX-License-Identifier: GPL-2.0
/*
 * net_dim in xcoal-sim, as coalesce/adaptive_dim.c runs it in the kernel:
 * DIM_CQ_PERIOD_MODE_START_FROM_EQE, a sample (events sent, slots pushed)
 * after every push, the chosen profile clamped to the point's ceilings.
 * One difference, by design: the kernel applies a new profile from a work
 * item a little later; the simulation applies it at once.
 */
#include <stdlib.h>

#include <linux/dim.h>

#include "dim_policy.h"

u64 xsim_dim_now_ns;

struct xsim_dim {
	struct dim dim;
	u32 usecs_max;
	u32 frames_max;
};

static void xsim_dim_profile(struct xsim_dim *d, u32 *usecs, u32 *frames)
{
	struct dim_cq_moder m = net_dim_get_rx_moderation(d->dim.mode,
							   d->dim.profile_ix);

	*usecs = m.usec < d->usecs_max ? m.usec : d->usecs_max;
	*frames = m.pkts < d->frames_max ? m.pkts : d->frames_max;
}

static void *xsim_dim_start(uint32_t usecs_max, uint32_t frames_max,
			    uint32_t *usecs, uint32_t *frames)
{
	struct xsim_dim *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->usecs_max = usecs_max;
	d->frames_max = frames_max;
	d->dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_EQE;
	xsim_dim_profile(d, usecs, frames);
	return d;
}

static bool xsim_dim_sample(void *state, uint64_t now_ns, uint64_t sent,
			    uint64_t pushed, uint32_t *usecs, uint32_t *frames)
{
	struct xsim_dim *d = state;
	struct dim_sample s;

	xsim_dim_now_ns = now_ns;
	dim_update_sample((u16)sent, pushed, 0, &s);
	net_dim(&d->dim, s);
	if (!d->dim.work.pending)
		return false;
	/* What xcoal_dim_work() does when the work runs. */
	d->dim.work.pending = false;
	xsim_dim_profile(d, usecs, frames);
	d->dim.state = DIM_START_MEASURE;
	return true;
}

static void xsim_dim_stop(void *state)
{
	free(state);
}

const struct xsim_dim_ops xsim_net_dim = {
	.start = xsim_dim_start,
	.sample = xsim_dim_sample,
	.stop = xsim_dim_stop,
};
