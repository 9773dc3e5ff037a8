// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of coalesce/classes.c: what each class asks of the NIC, the
 * backend and the frontend, and that class B's paths add at most the
 * budget for every budget.
 */
#include <xen-coalesce/classes.h>

#include "unit.h"

static const struct xcoal_class_limits lim = { .frames_max = 64, .c_usecs = 1000 };

static bool plan_valid(const struct xcoal_plan *p)
{
	const char *why;

	return !xcoal_params_check(&p->deliver, &why) &&
	       !xcoal_params_check(&p->complete, &why) &&
	       !xcoal_params_check(&p->front_tx, &why) &&
	       !xcoal_params_check(&p->front_rx, &why);
}

static void class_a_adds_nothing(void)
{
	struct xcoal_plan p;

	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_A, 100, &lim, &p), 0);
	EXPECT_EQ(p.nic_usecs, 0);
	EXPECT_EQ(xcoal_params_enabled(&p.deliver), false);
	EXPECT_EQ(xcoal_params_enabled(&p.complete), false);
	EXPECT_EQ(xcoal_params_enabled(&p.front_tx), false);
	EXPECT_EQ(xcoal_params_enabled(&p.front_rx), false);
}

static void class_b_splits_the_budget(void)
{
	struct xcoal_plan p;

	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, 100, &lim, &p), 0);
	EXPECT_EQ(p.nic_usecs, 25);
	EXPECT_EQ(p.deliver.usecs, 75);
	EXPECT_EQ(p.deliver.frames, 64);
	EXPECT_EQ(p.front_rx.usecs, 75);
	EXPECT_EQ(p.front_tx.usecs, 75);
	EXPECT_EQ(p.complete.usecs, 75);
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, 1000, &lim, &p), 0);
	EXPECT_EQ(p.nic_usecs, 250);
	EXPECT_EQ(p.deliver.usecs, 750);
	/* the guest's transmit path stays short (TCP small queues) */
	EXPECT_EQ(p.front_tx.usecs, XCOAL_TX_PATH_USECS_MAX);
	EXPECT_EQ(p.complete.usecs, XCOAL_TX_PATH_USECS_MAX);
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, 1, &lim, &p), 0);
	EXPECT_EQ(p.nic_usecs, 0);
	EXPECT_EQ(p.deliver.usecs, 1);
}

static void class_b_every_budget_holds(void)
{
	u32 budget, fmax;

	for (fmax = 0; fmax <= XCOAL_FRAMES_MAX; fmax += 32)
		for (budget = XCOAL_BUDGET_MIN_US; budget <= XCOAL_BUDGET_MAX_US; budget++) {
			struct xcoal_class_limits l = { .frames_max = fmax, .c_usecs = 1000 };
			struct xcoal_plan p;

			EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, budget, &l, &p), 0);
			EXPECT_TRUE(plan_valid(&p));
			/* towards the guest: NIC + delivery; from it: TX event + NIC */
			EXPECT_TRUE(p.nic_usecs + p.deliver.usecs <= budget);
			EXPECT_TRUE(p.nic_usecs + p.front_tx.usecs <= budget);
			EXPECT_TRUE(p.front_rx.frames <= p.deliver.frames);
			EXPECT_TRUE(p.complete.usecs <= XCOAL_TX_PATH_USECS_MAX);
			if (unit_failures())
				return;
		}
}

static void class_c_within_the_ceiling(void)
{
	struct xcoal_plan p;

	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_C, 0, &lim, &p), 0);
	EXPECT_TRUE(plan_valid(&p));
	EXPECT_EQ(p.nic_usecs, 1000);
	EXPECT_EQ(p.deliver.usecs, 1000);
	EXPECT_EQ(p.deliver.frames, 64);
	EXPECT_EQ(p.front_rx.usecs, 1000);
	EXPECT_EQ(p.front_tx.usecs, XCOAL_TX_PATH_USECS_MAX);
	EXPECT_EQ(p.complete.usecs, XCOAL_TX_PATH_USECS_MAX);
	/* Fixed at the ceilings (see classes.c), every point. */
	EXPECT_EQ(p.deliver.adaptive, false);
	EXPECT_EQ(p.complete.adaptive, false);
	EXPECT_EQ(p.front_rx.adaptive, false);
	EXPECT_EQ(p.front_tx.adaptive, false);
}

static void class_c_long_tx_path_when_the_frontend_follows(void)
{
	struct xcoal_class_limits follows = lim;
	struct xcoal_plan p;

	follows.front_follows = true;
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_C, 0, &follows, &p), 0);
	EXPECT_TRUE(plan_valid(&p));
	EXPECT_EQ(p.front_tx.usecs, 1000);
	EXPECT_EQ(p.front_tx.frames, 64);
	EXPECT_EQ(p.complete.usecs, 1000);
	EXPECT_EQ(p.complete.frames, 64);
	/* Class B keeps its TX path short whoever the frontend is. */
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, 1000, &follows, &p), 0);
	EXPECT_EQ(p.front_tx.usecs, XCOAL_TX_PATH_USECS_MAX);
	EXPECT_EQ(p.complete.usecs, XCOAL_TX_PATH_USECS_MAX);
	/* A ceiling under the cap is the ceiling either way. */
	follows.c_usecs = 50;
	follows.front_follows = false;
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_C, 0, &follows, &p), 0);
	EXPECT_EQ(p.complete.usecs, 50);
}

static void plan_refuses_bad_input(void)
{
	struct xcoal_class_limits bad_frames = { .frames_max = 257, .c_usecs = 1000 };
	struct xcoal_class_limits bad_usecs = { .frames_max = 64, .c_usecs = 10001 };
	struct xcoal_plan p = { .nic_usecs = 4242 };

	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_NONE, 100, &lim, &p), -EINVAL);
	EXPECT_EQ(xcoal_class_plan((enum xcoal_class)7, 100, &lim, &p), -EINVAL);
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, 0, &lim, &p), -EINVAL);
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_B, 10001, &lim, &p), -EINVAL);
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_C, 0, &bad_frames, &p), -EINVAL);
	EXPECT_EQ(xcoal_class_plan(XCOAL_CLASS_C, 0, &bad_usecs, &p), -EINVAL);
	EXPECT_EQ(p.nic_usecs, 4242);	/* untouched */
}

static const struct unit_test classes_tests[] = {
	{ "classes: A adds no delay at any layer", class_a_adds_nothing },
	{ "classes: B gives the NIC a quarter, each end the rest; TX path <= 100 us",
	  class_b_splits_the_budget },
	{ "classes: B holds for every budget 1..10000 us and every ceiling",
	  class_b_every_budget_holds },
	{ "classes: C uses the ceiling towards the guest, short TX path",
	  class_c_within_the_ceiling },
	{ "classes: C's TX path waits the ceiling when the frontend follows",
	  class_c_long_tx_path_when_the_frontend_follows },
	{ "classes: no class, unknown class, bad budget or limits refused, untouched",
	  plan_refuses_bad_input },
};

const struct unit_suite classes_suite = {
	.tests = classes_tests,
	.count = ARRAY_SIZE(classes_tests),
};
