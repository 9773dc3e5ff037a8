/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arrival-gap estimator of a notification point: an EWMA of the gap
 * between frames and of its deviation (Ramjee et al., 1994, as Thakur &
 * Goudar intended it):
 *
 *	d_k = a * d_{k-1} + (1 - a) * n_k
 *	v_k = a * v_{k-1} + (1 - a) * |d_k - n_k|
 *
 * and the expected gap d + 4v. Pure integer code, fixed point, built into
 * the module and into the user-space tests.
 */
#ifndef _XEN_COALESCE_ESTIMATOR_H
#define _XEN_COALESCE_ESTIMATOR_H

#include "compat.h"

/* a, in thousandths: 0.99 by default */
#define XCOAL_EWMA_ALPHA_DEFAULT	990U
#define XCOAL_EWMA_ALPHA_MAX		999U
/* Longer gaps all mean "idle"; the cap also bounds the arithmetic. */
#define XCOAL_EWMA_GAP_MAX_NS		1000000000ULL
/* Fractional bits kept in d and v, so slow changes are not rounded away. */
#define XCOAL_EWMA_SHIFT		8
/* Per-frame steps applied for one sample of many frames, at most. */
#define XCOAL_RATE_MAX_STEPS		256U
/* One, in the fixed point of @alpha_q16. */
#define XCOAL_EWMA_ONE_Q16		65536U

/**
 * struct xcoal_ewma - the estimator
 * @d: mean gap, ns << XCOAL_EWMA_SHIFT
 * @v: mean deviation, ns << XCOAL_EWMA_SHIFT
 * @alpha: a, in thousandths
 * @alpha_q16: a in 16-bit fixed point: the update multiplies and shifts,
 *	no division (it runs per frame with interrupts off)
 * @primed: at least one gap was seen; the first sets d and leaves v at 0
 */
struct xcoal_ewma {
	u64 d;
	u64 v;
	u32 alpha;
	u32 alpha_q16;
	bool primed;
};

/**
 * struct xcoal_rate - turns a point's frame counter into gap samples
 * @last_ns: when the current sample started
 * @last_frames: the frame counter then
 * @started: a first reading was taken
 */
struct xcoal_rate {
	u64 last_ns;
	u32 last_frames;
	bool started;
};

int xcoal_ewma_init(struct xcoal_ewma *e, u32 alpha);
void xcoal_ewma_update(struct xcoal_ewma *e, u64 gap_ns);
u64 xcoal_ewma_mean_ns(const struct xcoal_ewma *e);
u64 xcoal_ewma_dev_ns(const struct xcoal_ewma *e);
u64 xcoal_ewma_expected_gap_ns(const struct xcoal_ewma *e);
void xcoal_rate_sample(struct xcoal_rate *r, struct xcoal_ewma *e, u64 now_ns,
		       u32 frames);

#endif /* _XEN_COALESCE_ESTIMATOR_H */
