// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of coalesce/estimator.c and coalesce/adaptive.c: the EWMA
 * follows the formula, converges, survives zero and huge gaps, bursts,
 * counter wrap and a clock going back; the policy notifies at once when
 * waiting batches nothing and otherwise stays inside the budget.
 */
#include <stdlib.h>

#include <xen-coalesce/adaptive.h>

#include "unit.h"

static struct xcoal_ewma ewma(u32 alpha)
{
	struct xcoal_ewma e;

	EXPECT_EQ(xcoal_ewma_init(&e, alpha), 0);
	return e;
}

static void ewma_follows_the_formula(void)
{
	struct xcoal_ewma e = ewma(500); /* a = 0.5: easy to follow by hand */

	EXPECT_EQ(xcoal_ewma_expected_gap_ns(&e), 0);
	xcoal_ewma_update(&e, 1000);	/* primes: d = 1000, v = 0 */
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 1000);
	EXPECT_EQ(xcoal_ewma_dev_ns(&e), 0);
	xcoal_ewma_update(&e, 2000);	/* d = 1500; v = 0.5 * |1500 - 2000| */
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 1500);
	EXPECT_EQ(xcoal_ewma_dev_ns(&e), 250);
	EXPECT_EQ(xcoal_ewma_expected_gap_ns(&e), 2500);
	xcoal_ewma_update(&e, 500);	/* d = 1000; v = 125 + 0.5 * 500 */
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 1000);
	EXPECT_EQ(xcoal_ewma_dev_ns(&e), 375);
	EXPECT_EQ(xcoal_ewma_expected_gap_ns(&e), 2500);
}

static void ewma_alpha_checked(void)
{
	struct xcoal_ewma e = ewma(XCOAL_EWMA_ALPHA_DEFAULT);

	EXPECT_EQ(e.alpha, 990);
	EXPECT_EQ(xcoal_ewma_init(&e, 1000), -EINVAL);
	EXPECT_EQ(e.alpha, 990);
	EXPECT_EQ(xcoal_ewma_init(&e, U32_MAX), -EINVAL);
	EXPECT_EQ(xcoal_ewma_init(&e, 0), 0);	/* a = 0: the last gap only */
	xcoal_ewma_update(&e, 7);
	xcoal_ewma_update(&e, 9000);
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 9000);
	EXPECT_EQ(xcoal_ewma_dev_ns(&e), 0);
}

static void ewma_converges(void)
{
	struct xcoal_ewma e = ewma(XCOAL_EWMA_ALPHA_DEFAULT);
	unsigned int i;

	xcoal_ewma_update(&e, 1000000);	/* starts far off: 1 ms */
	for (i = 0; i < 2000; i++)
		xcoal_ewma_update(&e, 20000);	/* then 20 us, steadily */
	EXPECT_TRUE(xcoal_ewma_mean_ns(&e) >= 19800 && xcoal_ewma_mean_ns(&e) <= 20200);
	EXPECT_TRUE(xcoal_ewma_dev_ns(&e) <= 200);
	/* a = 0.99: one outlier moves the mean by 1% of the difference */
	xcoal_ewma_update(&e, 1020000);
	EXPECT_TRUE(xcoal_ewma_mean_ns(&e) >= 29000 && xcoal_ewma_mean_ns(&e) <= 30500);
}

static void ewma_zero_and_huge_gaps(void)
{
	struct xcoal_ewma e = ewma(XCOAL_EWMA_ALPHA_DEFAULT);
	unsigned int i;

	for (i = 0; i < 3000; i++)
		xcoal_ewma_update(&e, 0);
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 0);
	EXPECT_EQ(xcoal_ewma_expected_gap_ns(&e), 0);
	for (i = 0; i < 3000; i++)
		xcoal_ewma_update(&e, ~0ULL);	/* capped: no overflow */
	EXPECT_TRUE(xcoal_ewma_mean_ns(&e) <= XCOAL_EWMA_GAP_MAX_NS);
	EXPECT_TRUE(xcoal_ewma_mean_ns(&e) >= XCOAL_EWMA_GAP_MAX_NS * 99 / 100);
	EXPECT_TRUE(xcoal_ewma_expected_gap_ns(&e) <= 5 * XCOAL_EWMA_GAP_MAX_NS);
}

static void ewma_bursts_raise_the_deviation(void)
{
	struct xcoal_ewma steady = ewma(XCOAL_EWMA_ALPHA_DEFAULT);
	struct xcoal_ewma bursty = ewma(XCOAL_EWMA_ALPHA_DEFAULT);
	unsigned int i;

	/* Same mean gap (10 us): steady, or bursts of 10 back to back. */
	for (i = 0; i < 5000; i++) {
		xcoal_ewma_update(&steady, 10000);
		xcoal_ewma_update(&bursty, i % 10 == 9 ? 100000 : 0);
	}
	EXPECT_TRUE(xcoal_ewma_mean_ns(&bursty) >= 8000 && xcoal_ewma_mean_ns(&bursty) <= 12000);
	EXPECT_TRUE(xcoal_ewma_dev_ns(&bursty) >= 10000);
	EXPECT_TRUE(xcoal_ewma_expected_gap_ns(&bursty) >
		    2 * xcoal_ewma_expected_gap_ns(&steady));
}

static void rate_from_counters(void)
{
	struct xcoal_ewma e = ewma(0);	/* a = 0 shows each sample as is */
	struct xcoal_rate r = {};

	xcoal_rate_sample(&r, &e, 1000000, 0xfffffff0U);	/* first reading */
	EXPECT_EQ(e.primed, false);
	xcoal_rate_sample(&r, &e, 1000000 + 32 * 500, 0x10);	/* wrapped: 32 frames */
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 500);
	/* No frame for less than the mean gap: nothing learnt yet. */
	xcoal_rate_sample(&r, &e, 1000000 + 32 * 500 + 400, 0x10);
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 500);
	/* No frame for 1 ms: the point is idle, the gap grows. */
	xcoal_rate_sample(&r, &e, 1000000 + 32 * 500 + 1000000, 0x10);
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 1000000);
	/* The clock went back: the sample restarts, nothing is learnt. */
	xcoal_rate_sample(&r, &e, 5, 0x20);
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 1000000);
	xcoal_rate_sample(&r, &e, 5 + 4 * 250, 0x24);
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 250);
}

static void rate_many_frames_bounded(void)
{
	struct xcoal_ewma e = ewma(XCOAL_EWMA_ALPHA_DEFAULT);
	struct xcoal_rate r = {};

	xcoal_rate_sample(&r, &e, 0, 0);
	xcoal_rate_sample(&r, &e, 4000000000ULL, 0xffffffffU);	/* 4e9 frames in 4 s */
	EXPECT_EQ(xcoal_ewma_mean_ns(&e), 0);	/* 0.93 ns a frame, rounded down */
	EXPECT_EQ(r.last_frames, 0xffffffffU);
}

static struct xcoal_ewma at_gap(u64 gap_ns)
{
	struct xcoal_ewma e = ewma(XCOAL_EWMA_ALPHA_DEFAULT);

	xcoal_ewma_update(&e, gap_ns);
	return e;
}

/* An estimator that has seen traffic, with mean d and deviation v (ns). */
static struct xcoal_ewma primed_at(u64 d_ns, u64 v_ns)
{
	struct xcoal_ewma e = ewma(XCOAL_EWMA_ALPHA_DEFAULT);

	e.d = d_ns << XCOAL_EWMA_SHIFT;
	e.v = v_ns << XCOAL_EWMA_SHIFT;
	e.primed = true;
	return e;
}

static void adapt_low_rate_notifies_at_once(void)
{
	struct xcoal_ewma none = ewma(XCOAL_EWMA_ALPHA_DEFAULT), e;
	struct xcoal_params p;

	EXPECT_EQ(xcoal_adapt(&none, 100, 64, &p), false);	/* no estimate */
	EXPECT_EQ(p.usecs, 0);
	EXPECT_EQ(p.frames, 0);
	/* 100 us budget, a frame every 60 us: one frame per window */
	e = primed_at(60000, 0);
	EXPECT_EQ(xcoal_adapt(&e, 100, 64, &p), false);
	e = primed_at(50000, 0);
	EXPECT_EQ(xcoal_adapt(&e, 100, 64, &p), true);
	EXPECT_EQ(p.usecs, 100);
	EXPECT_EQ(p.frames, 2);
	/* d + 4v is what counts: a deviation makes the same mean too slow */
	e = primed_at(20000, 10000);
	EXPECT_EQ(xcoal_adapt(&e, 100, 64, &p), false);
	e = primed_at(1000, 0);
	EXPECT_EQ(xcoal_adapt(&e, 0, 64, &p), false);
	EXPECT_EQ(xcoal_adapt(&e, 100, 1, &p), false);
}

static void adapt_budget_edges(void)
{
	struct xcoal_ewma e;
	struct xcoal_params p;

	e = at_gap(100);	/* budget 1 us, a frame every 100 ns */
	EXPECT_EQ(xcoal_adapt(&e, 1, 64, &p), true);
	EXPECT_EQ(p.usecs, 1);
	EXPECT_EQ(p.frames, 10);
	e = at_gap(1000);	/* budget 1 us, a frame every 1 us */
	EXPECT_EQ(xcoal_adapt(&e, 1, 64, &p), false);
	e = at_gap(1000);	/* budget 10 ms: the ceiling caps the count */
	EXPECT_EQ(xcoal_adapt(&e, 10000, 64, &p), true);
	EXPECT_EQ(p.usecs, 10000);
	EXPECT_EQ(p.frames, 64);
	EXPECT_EQ(xcoal_adapt(&e, 10000, 100000, &p), true);
	EXPECT_EQ(p.frames, XCOAL_FRAMES_MAX);
	EXPECT_EQ(xcoal_adapt(&e, 99999, 64, &p), true);	/* budget capped */
	EXPECT_EQ(p.usecs, XCOAL_USECS_MAX);
	e = at_gap(0);		/* back to back: the ceiling */
	EXPECT_EQ(xcoal_adapt(&e, 50, 32, &p), true);
	EXPECT_EQ(p.frames, 32);
}

static void adapt_random_keeps_promises(void)
{
	unsigned int i, seed = 77;
	const char *why;

	for (i = 0; i < 200000; i++) {
		struct xcoal_ewma e = {
			.d = (u64)rand_r(&seed) * rand_r(&seed) %
			     (XCOAL_EWMA_GAP_MAX_NS << XCOAL_EWMA_SHIFT),
			.v = (u64)rand_r(&seed) % (1ULL << 30),
			.alpha = 990,
			.primed = rand_r(&seed) % 8 != 0,
		};
		u32 budget = rand_r(&seed) % 12000, fmax = rand_r(&seed) % 300;
		struct xcoal_params p;
		bool on = xcoal_adapt(&e, budget, fmax, &p);

		EXPECT_EQ(xcoal_params_check(&p, &why), 0);
		EXPECT_EQ(on, xcoal_params_enabled(&p));
		if (on) {
			EXPECT_TRUE(p.usecs <= budget && p.frames >= 2 && p.frames <= fmax);
			/* the threshold is reached within the budget on average */
			EXPECT_TRUE((u64)p.frames * xcoal_ewma_expected_gap_ns(&e) <=
				    (u64)p.usecs * 1000);
		}
		if (i % 50000 == 0 && unit_failures())
			break;
	}
}

/* The searches that replace division give exactly what division gives. */
static void no_division_is_exact(void)
{
	struct xcoal_ewma e;
	struct xcoal_rate r;
	struct xcoal_params p;
	int i;

	srand(5);
	for (i = 0; i < 20000 && !unit_failures(); i++) {
		u64 gap = ((u64)rand() << 16 ^ rand()) % 2000000 + (rand() % 4 ? 1 : 0);
		u32 budget = 1 + rand() % XCOAL_USECS_MAX, max = 2 + rand() % 255;
		u64 want = gap ? (u64)budget * 1000 / gap : max;
		u32 n = 1 + rand() % 5000;
		u64 elapsed = ((u64)rand() << 20 ^ rand()) % 4000000000000ULL;

		xcoal_ewma_init(&e, 990);
		e.primed = true;
		e.d = gap << XCOAL_EWMA_SHIFT;
		e.v = 0;
		if (want > max)
			want = max;
		EXPECT_EQ(xcoal_adapt(&e, budget, max, &p), want >= 2);
		if (want >= 2)
			EXPECT_EQ(p.frames, want);
		/* One sample of n frames over elapsed: n gaps of elapsed / n. */
		xcoal_ewma_init(&e, 0);	/* a = 0: d is the last gap */
		r = (struct xcoal_rate){ 0, 0, false };
		xcoal_rate_sample(&r, &e, 1000, 0);
		xcoal_rate_sample(&r, &e, 1000 + elapsed, n);
		want = elapsed / n;
		if (want > XCOAL_EWMA_GAP_MAX_NS)
			want = XCOAL_EWMA_GAP_MAX_NS;
		EXPECT_EQ(xcoal_ewma_mean_ns(&e), want);
	}
}

static const struct unit_test estimator_tests[] = {
	{ "estimator: d and v follow the formula (v from the new d), d + 4v",
	  ewma_follows_the_formula },
	{ "estimator: alpha 0..999 accepted, 1000 and above refused, unchanged",
	  ewma_alpha_checked },
	{ "estimator: converges on a steady gap; one outlier moves it by 1%",
	  ewma_converges },
	{ "estimator: zero gaps and huge gaps (capped at 1 s) without overflow",
	  ewma_zero_and_huge_gaps },
	{ "estimator: bursts at the same mean raise the deviation and d + 4v",
	  ewma_bursts_raise_the_deviation },
	{ "estimator: samples from a wrapping counter, idle time, clock going back",
	  rate_from_counters },
	{ "estimator: 4e9 frames in one sample: bounded work, no overflow",
	  rate_many_frames_bounded },
	{ "adaptive: no estimate, no budget or < 2 frames per budget: notify at once",
	  adapt_low_rate_notifies_at_once },
	{ "adaptive: budgets of 1 us and 10 ms, ceilings, back-to-back frames",
	  adapt_budget_edges },
	{ "adaptive: random estimates: valid, within budget and ceiling",
	  adapt_random_keeps_promises },
	{ "estimator, adaptive: the searches that replace 64-bit division are exact",
	  no_division_is_exact },
};

const struct unit_suite estimator_suite = {
	.tests = estimator_tests,
	.count = ARRAY_SIZE(estimator_tests),
};
