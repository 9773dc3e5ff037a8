// SPDX-License-Identifier: GPL-2.0
/*
 * The arrival-gap estimator (see estimator.h). Pure: no locks, no clock;
 * the caller passes the time and the frame counter.
 */
#include <xen-coalesce/estimator.h>

/**
 * xcoal_ewma_init - reset an estimator
 * @e: the estimator
 * @alpha: a in thousandths, 0..999 (0.99 = 990)
 *
 * Return: 0, or -EINVAL for an alpha of 1000 or more (the estimate would
 * never move); @e is then untouched.
 */
int xcoal_ewma_init(struct xcoal_ewma *e, u32 alpha)
{
	if (alpha > XCOAL_EWMA_ALPHA_MAX)
		return -EINVAL;
	e->d = 0;
	e->v = 0;
	e->alpha = alpha;
	e->alpha_q16 = (alpha * XCOAL_EWMA_ONE_Q16 + 500) / 1000;
	e->primed = false;
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_ewma_init);

/**
 * xcoal_ewma_update - one more gap between frames
 * @e: the estimator
 * @gap_ns: the gap; capped at XCOAL_EWMA_GAP_MAX_NS
 */
void xcoal_ewma_update(struct xcoal_ewma *e, u64 gap_ns)
{
	u64 n, diff;

	if (gap_ns > XCOAL_EWMA_GAP_MAX_NS)
		gap_ns = XCOAL_EWMA_GAP_MAX_NS;
	n = gap_ns << XCOAL_EWMA_SHIFT;
	if (!e->primed) {
		e->d = n;
		e->v = 0;
		e->primed = true;
		return;
	}
	/* Bounded: d, n, v <= 2^30 << 8 and a < 2^16: below 2^55. */
	e->d = (e->alpha_q16 * e->d + (XCOAL_EWMA_ONE_Q16 - e->alpha_q16) * n) >> 16;
	/* The deviation from the new mean, as the source intends. */
	diff = e->d > n ? e->d - n : n - e->d;
	e->v = (e->alpha_q16 * e->v + (XCOAL_EWMA_ONE_Q16 - e->alpha_q16) * diff) >> 16;
}
EXPORT_SYMBOL_GPL(xcoal_ewma_update);

/**
 * xcoal_ewma_mean_ns - the mean gap d
 * @e: the estimator
 *
 * Return: d in ns; 0 until the first gap.
 */
u64 xcoal_ewma_mean_ns(const struct xcoal_ewma *e)
{
	return e->d >> XCOAL_EWMA_SHIFT;
}
EXPORT_SYMBOL_GPL(xcoal_ewma_mean_ns);

/**
 * xcoal_ewma_dev_ns - the mean deviation v
 * @e: the estimator
 *
 * Return: v in ns.
 */
u64 xcoal_ewma_dev_ns(const struct xcoal_ewma *e)
{
	return e->v >> XCOAL_EWMA_SHIFT;
}
EXPORT_SYMBOL_GPL(xcoal_ewma_dev_ns);

/**
 * xcoal_ewma_expected_gap_ns - the gap to plan with, d + 4v
 * @e: the estimator
 *
 * Return: d + 4v in ns, at most 5 * XCOAL_EWMA_GAP_MAX_NS.
 */
u64 xcoal_ewma_expected_gap_ns(const struct xcoal_ewma *e)
{
	return (e->d + 4 * e->v) >> XCOAL_EWMA_SHIFT;
}
EXPORT_SYMBOL_GPL(xcoal_ewma_expected_gap_ns);

/*
 * floor(@elapsed / @n), capped at XCOAL_EWMA_GAP_MAX_NS, without dividing:
 * this runs per push with interrupts off, where a 32-bit kernel has no
 * 64-bit division and a 64-bit one pays tens of cycles for it.
 */
static u64 xcoal_gap_ns(u64 elapsed, u32 n)
{
	u64 lo = 0, hi = XCOAL_EWMA_GAP_MAX_NS;

	if (elapsed < hi)
		hi = elapsed;
	while (lo < hi) {	/* the largest g with g * n <= elapsed */
		u64 mid = lo + (hi - lo + 1) / 2;

		if (mid * n <= elapsed)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/**
 * xcoal_rate_sample - feed the estimator from a frame counter
 * @r: the sampler
 * @e: the estimator
 * @now_ns: the time of the reading
 * @frames: the point's frame counter (it may wrap)
 *
 * N frames over an elapsed time T count as N gaps of T / N (at most
 * XCOAL_RATE_MAX_STEPS steps). No frames for longer than the mean gap
 * counts as one gap of that length, so an idle point is seen as slow.
 * A clock that went backwards restarts the sample.
 */
void xcoal_rate_sample(struct xcoal_rate *r, struct xcoal_ewma *e, u64 now_ns,
		       u32 frames)
{
	u32 n = frames - r->last_frames; /* modulo 2^32: wrap-safe */
	u64 elapsed, gap;
	u32 i, steps;

	if (!r->started || now_ns < r->last_ns) {
		r->started = true;
		r->last_ns = now_ns;
		r->last_frames = frames;
		return;
	}
	elapsed = now_ns - r->last_ns;
	if (!n) {
		if (e->primed && elapsed > xcoal_ewma_mean_ns(e)) {
			xcoal_ewma_update(e, elapsed);
			r->last_ns = now_ns;
		}
		return;
	}
	gap = xcoal_gap_ns(elapsed, n);
	steps = n < XCOAL_RATE_MAX_STEPS ? n : XCOAL_RATE_MAX_STEPS;
	for (i = 0; i < steps; i++)
		xcoal_ewma_update(e, gap);
	r->last_ns = now_ns;
	r->last_frames = frames;
}
EXPORT_SYMBOL_GPL(xcoal_rate_sample);
