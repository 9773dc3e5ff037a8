// SPDX-License-Identifier: GPL-2.0
/*
 * Classes to parameters (see classes.h).
 *
 * A packet towards the guest waits at most at the NIC and at the backend's
 * delivery; one from the guest at the frontend's TX event and at the NIC.
 * Class B gives the NIC a quarter of the budget and each end the rest, so
 * both paths add at most the budget. Class C waits its ceiling everywhere,
 * the guest's transmit path only when the frontend follows the backend
 * (and so frees its packets from their sockets, see classes.h). The
 * frontend never waits for more buffers than the backend's deliveries
 * wait for (Kuroda): refills are what deliveries consume, and both
 * thresholds count ring slots (a delivered slot is a buffer consumed).
 */
#include <xen-coalesce/classes.h>

static u32 xcoal_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* Deadline @usecs with threshold @frames, or nothing without a deadline. */
static struct xcoal_params xcoal_point(u32 usecs, u32 frames)
{
	struct xcoal_params p = { .usecs = usecs, .frames = usecs ? frames : 0 };

	return p;
}

/**
 * xcoal_class_plan - the parameters of every layer for a class
 * @class: the VIF's class; XCOAL_CLASS_NONE has no plan
 * @budget_us: class B's budget (XCOAL_BUDGET_MIN_US..XCOAL_BUDGET_MAX_US)
 * @lim: the ceilings
 * @out: the plan; every point passes xcoal_params_check()
 *
 * Return: 0, or -EINVAL for no class, a budget out of range or limits
 * out of range (@out is then untouched).
 */
int xcoal_class_plan(enum xcoal_class class, u32 budget_us,
		     const struct xcoal_class_limits *lim, struct xcoal_plan *out)
{
	struct xcoal_plan p = {};
	u32 frames, end;

	if (lim->frames_max > XCOAL_FRAMES_MAX || lim->c_usecs > XCOAL_USECS_MAX)
		return -EINVAL;
	frames = lim->frames_max;
	switch (class) {
	case XCOAL_CLASS_A:
		break;	/* nothing waits anywhere */
	case XCOAL_CLASS_B:
		if (budget_us < XCOAL_BUDGET_MIN_US || budget_us > XCOAL_BUDGET_MAX_US)
			return -EINVAL;
		p.nic_usecs = budget_us / 4;
		end = budget_us - p.nic_usecs;
		p.deliver = xcoal_point(end, frames);
		p.front_rx = xcoal_point(end, frames);
		p.complete = xcoal_point(xcoal_min(end, XCOAL_TX_PATH_USECS_MAX), frames);
		p.front_tx = xcoal_point(xcoal_min(end, XCOAL_TX_PATH_USECS_MAX), frames);
		break;
	case XCOAL_CLASS_C:
		p.nic_usecs = lim->c_usecs;
		p.deliver = xcoal_point(lim->c_usecs, frames);
		p.front_rx = xcoal_point(lim->c_usecs, frames);
		end = lim->front_follows ? lim->c_usecs :
			xcoal_min(lim->c_usecs, XCOAL_TX_PATH_USECS_MAX);
		p.complete = xcoal_point(end, frames);
		p.front_tx = xcoal_point(end, frames);
		/*
		 * Fixed at the ceilings, not adaptive: bulk traffic comes in
		 * bursts at a mean rate the adaptive rule finds too slow to
		 * batch, so it would never wait (see the admin guide).
		 */
		break;
	default:
		return -EINVAL;
	}
	/* Kuroda: never wait for more buffers than a delivery batch consumes
	 * (slots on both sides; the engine also releases a full ring).
	 */
	if (p.front_rx.frames > p.deliver.frames)
		p.front_rx.frames = p.deliver.frames;
	*out = p;
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_class_plan);
