// SPDX-License-Identifier: GPL-2.0
/*
 * The adaptive policy (see adaptive.h). Coalescing pays only when a wait
 * batches frames: below two frames expected within the budget it adds
 * delay and saves nothing, so the point notifies at once (Salah's low-load
 * rule, with the rate measured by the estimator). Above, the deadline is
 * the budget, which bounds the wait of the first deferred frame, and the
 * threshold the frames expected within it, so a steady stream is released
 * by the count about when the deadline would fire.
 */
#include <xen-coalesce/adaptive.h>

/*
 * How many gaps of @gap_ns fit in @budget_ns, at most @max: a search by
 * multiplication, no division (per push, interrupts off).
 */
static u32 xcoal_frames_within(u64 budget_ns, u64 gap_ns, u32 max)
{
	u32 lo = 0, hi = max;

	if (!gap_ns)
		return max;
	while (lo < hi) {	/* the largest k with k * gap <= budget */
		u32 mid = lo + (hi - lo + 1) / 2;

		if ((u64)mid * gap_ns <= budget_ns)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/**
 * xcoal_adapt - choose a point's parameters
 * @e: the point's estimator
 * @budget_us: the delay the point may add, in us (0: none)
 * @frames_max: ceiling of the frame threshold (class C's, say)
 * @out: the parameters in force (never adaptive themselves); they always
 *	pass xcoal_params_check()
 *
 * Return: true if @out defers notifications, false if it sends each at
 * once (no estimate yet, no budget, or too slow a rate to batch).
 */
bool xcoal_adapt(const struct xcoal_ewma *e, u32 budget_us, u32 frames_max,
		 struct xcoal_params *out)
{
	u64 gap = xcoal_ewma_expected_gap_ns(e);
	u64 budget_ns;
	u32 expected;

	out->usecs = 0;
	out->frames = 0;
	out->adaptive = false;
	if (budget_us > XCOAL_USECS_MAX)
		budget_us = XCOAL_USECS_MAX;
	if (frames_max > XCOAL_FRAMES_MAX)
		frames_max = XCOAL_FRAMES_MAX;
	if (!e->primed || !budget_us || frames_max < 2)
		return false;
	budget_ns = (u64)budget_us * 1000;
	expected = xcoal_frames_within(budget_ns, gap, frames_max);
	if (expected < 2)
		return false;
	out->usecs = budget_us;
	out->frames = expected;
	return true;
}
EXPORT_SYMBOL_GPL(xcoal_adapt);
