// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of coalesce/nic_policy.c: what a share becomes at a NIC, the
 * hysteresis between a stricter and a looser demand, and which coalesce
 * fields a profile changes.
 */
#include <xen-coalesce/nic_policy.h>

#include "unit.h"

static void small_shares_become_the_minimum(void)
{
	EXPECT_EQ(xcoal_nic_usecs(0, 10), 10);
	EXPECT_EQ(xcoal_nic_usecs(1, 10), 10);
	EXPECT_EQ(xcoal_nic_usecs(9, 10), 10);
	EXPECT_EQ(xcoal_nic_usecs(10, 10), 10);
	EXPECT_EQ(xcoal_nic_usecs(2500, 10), 2500);
	EXPECT_EQ(xcoal_nic_usecs(0, 0), 0);	/* per packet, only when asked */
	EXPECT_EQ(xcoal_nic_usecs(1, 0), 1);
	EXPECT_EQ(xcoal_nic_usecs(U32_MAX, 1000), U32_MAX);
}

static void stricter_applies_at_once(void)
{
	struct xcoal_nic_relax r = {};
	u64 wake = 0;

	/* The first demand applies whatever it is: the NIC's own may be loose. */
	EXPECT_EQ(xcoal_nic_step(&r, 1000, 5, 1000, &wake), XCOAL_NIC_APPLY);
	EXPECT_EQ(r.applied, 1000);
	EXPECT_EQ(xcoal_nic_step(&r, 1000, 6, 1000, &wake), XCOAL_NIC_KEEP);
	EXPECT_EQ(xcoal_nic_step(&r, 25, 7, 1000, &wake), XCOAL_NIC_APPLY);
	EXPECT_EQ(r.applied, 25);
	EXPECT_EQ(xcoal_nic_step(&r, 0, 7, 1000, &wake), XCOAL_NIC_APPLY);
	EXPECT_EQ(r.applied, 0);
	EXPECT_EQ(wake, 0);	/* never asked to wait */
}

static void looser_waits_for_the_hold(void)
{
	struct xcoal_nic_relax r = {};
	u64 wake = 0;

	xcoal_nic_step(&r, 0, 100, 1000, &wake);
	EXPECT_EQ(xcoal_nic_step(&r, 1000, 200, 1000, &wake), XCOAL_NIC_WAIT);
	EXPECT_EQ(wake, 1200);
	EXPECT_EQ(r.applied, 0);
	/* Another looser value does not restart the wait. */
	EXPECT_EQ(xcoal_nic_step(&r, 500, 900, 1000, &wake), XCOAL_NIC_WAIT);
	EXPECT_EQ(wake, 1200);
	EXPECT_EQ(xcoal_nic_step(&r, 500, 1199, 1000, &wake), XCOAL_NIC_WAIT);
	EXPECT_EQ(xcoal_nic_step(&r, 500, 1200, 1000, &wake), XCOAL_NIC_APPLY);
	EXPECT_EQ(r.applied, 500);
	EXPECT_EQ(r.waiting, false);
}

static void a_demand_that_comes_back_cancels_the_wait(void)
{
	struct xcoal_nic_relax r = {};
	u64 wake = 0;

	xcoal_nic_step(&r, 0, 0, 1000, &wake);
	EXPECT_EQ(xcoal_nic_step(&r, 1000, 10, 1000, &wake), XCOAL_NIC_WAIT);
	EXPECT_EQ(xcoal_nic_step(&r, 0, 20, 1000, &wake), XCOAL_NIC_KEEP);
	EXPECT_EQ(r.waiting, false);
	/* Loose again: a new wait, from now. */
	EXPECT_EQ(xcoal_nic_step(&r, 1000, 900, 1000, &wake), XCOAL_NIC_WAIT);
	EXPECT_EQ(wake, 1900);
}

static void hold_zero_and_clock_going_back(void)
{
	struct xcoal_nic_relax r = {};
	u64 wake = 0;

	xcoal_nic_step(&r, 0, 50, 0, &wake);
	EXPECT_EQ(xcoal_nic_step(&r, 300, 50, 0, &wake), XCOAL_NIC_APPLY);
	EXPECT_EQ(r.applied, 300);

	xcoal_nic_step(&r, 0, 5000, 1000, &wake);
	EXPECT_EQ(xcoal_nic_step(&r, 300, 5000, 1000, &wake), XCOAL_NIC_WAIT);
	/* The clock went back: the wait starts again rather than never ending. */
	EXPECT_EQ(xcoal_nic_step(&r, 300, 10, 1000, &wake), XCOAL_NIC_WAIT);
	EXPECT_EQ(wake, 1010);
	EXPECT_EQ(xcoal_nic_step(&r, 300, 1010, 1000, &wake), XCOAL_NIC_APPLY);
}

static void profile_touches_only_what_the_nic_supports(void)
{
	const u32 all = XCOAL_NIC_CAN_RX_USECS | XCOAL_NIC_CAN_RX_FRAMES |
			XCOAL_NIC_CAN_ADAPTIVE_RX;
	struct xcoal_nic_coalesce c = { 3, 32, true };

	EXPECT_EQ(xcoal_nic_profile(XCOAL_NIC_CAN_RX_FRAMES | XCOAL_NIC_CAN_ADAPTIVE_RX,
				    0, &c), -EOPNOTSUPP);
	EXPECT_EQ(c.rx_usecs, 3);
	EXPECT_EQ(c.rx_frames, 32);
	EXPECT_EQ(c.adaptive_rx, true);

	EXPECT_EQ(xcoal_nic_profile(all, 25, &c), 0);
	EXPECT_EQ(c.rx_usecs, 25);
	EXPECT_EQ(c.rx_frames, 32);	/* a delay bound needs no frame count */
	EXPECT_EQ(c.adaptive_rx, false);

	EXPECT_EQ(xcoal_nic_profile(all, 0, &c), 0);
	EXPECT_EQ(c.rx_usecs, 0);
	EXPECT_EQ(c.rx_frames, 1);	/* an interrupt per frame */

	c = (struct xcoal_nic_coalesce){ 3, 32, true };
	EXPECT_EQ(xcoal_nic_profile(XCOAL_NIC_CAN_RX_USECS, 0, &c), 0);
	EXPECT_EQ(c.rx_usecs, 0);
	EXPECT_EQ(c.rx_frames, 32);
	EXPECT_EQ(c.adaptive_rx, true);
}

static void restore_gives_back_only_what_is_still_ours(void)
{
	const u32 all = XCOAL_NIC_CAN_RX_USECS | XCOAL_NIC_CAN_RX_FRAMES |
			XCOAL_NIC_CAN_ADAPTIVE_RX;
	const struct xcoal_nic_coalesce own = { 77, 9, true };
	const struct xcoal_nic_coalesce ours = { 4032, 9, false };
	struct xcoal_nic_coalesce c = ours;

	/* Nothing changed since our write: all of the NIC's own back. */
	EXPECT_EQ(xcoal_nic_restore(all, &own, &ours, &c), 0);
	EXPECT_EQ(c.rx_usecs, 77);
	EXPECT_EQ(c.rx_frames, 9);
	EXPECT_EQ(c.adaptive_rx, true);

	/* An administrator set rx-usecs since: theirs is kept, and said so. */
	c = (struct xcoal_nic_coalesce){ 500, 9, false };
	EXPECT_EQ(xcoal_nic_restore(all, &own, &ours, &c), XCOAL_NIC_CAN_RX_USECS);
	EXPECT_EQ(c.rx_usecs, 500);
	EXPECT_EQ(c.adaptive_rx, true);

	/* A field we never changed (rx-frames) is nobody's to restore. */
	c = (struct xcoal_nic_coalesce){ 4032, 64, false };
	EXPECT_EQ(xcoal_nic_restore(all, &own, &ours, &c), 0);
	EXPECT_EQ(c.rx_frames, 64);
	EXPECT_EQ(c.rx_usecs, 77);

	/* Set back to the NIC's own by hand: nothing to keep or say. */
	c = (struct xcoal_nic_coalesce){ 77, 9, true };
	EXPECT_EQ(xcoal_nic_restore(all, &own, &ours, &c), 0);
	EXPECT_EQ(c.rx_usecs, 77);
	EXPECT_EQ(c.adaptive_rx, true);

	/* adaptive-rx, which we never changed, turned on by someone else: left on. */
	c = (struct xcoal_nic_coalesce){ 4032, 9, true };
	EXPECT_EQ(xcoal_nic_restore(all, &(struct xcoal_nic_coalesce){ 77, 9, false },
				    &(struct xcoal_nic_coalesce){ 4032, 9, false }, &c), 0);
	EXPECT_EQ(c.rx_usecs, 77);
	EXPECT_EQ(c.adaptive_rx, true);

	/* Fields the driver does not support are left as they are. */
	c = (struct xcoal_nic_coalesce){ 4032, 1, false };
	EXPECT_EQ(xcoal_nic_restore(XCOAL_NIC_CAN_RX_USECS, &own, &ours, &c), 0);
	EXPECT_EQ(c.rx_usecs, 77);
	EXPECT_EQ(c.rx_frames, 1);
	EXPECT_EQ(c.adaptive_rx, false);
}

static u32 bound(u32 usecs, bool adaptive, u32 modes_max, u32 adaptive_us)
{
	const struct xcoal_nic_coalesce own = { usecs, 9, adaptive };

	return xcoal_nic_own_bound(&own, modes_max, adaptive_us);
}

static void own_bound_reads_modes_as_their_longest_wait(void)
{
	/* e1000e: 3 is its dynamic conservative mode, not 3 us. */
	EXPECT_EQ(bound(3, false, 4, 250), 250);
	EXPECT_EQ(bound(4, false, 4, 250), 250);
	EXPECT_EQ(bound(5, false, 4, 250), 5);
	EXPECT_EQ(bound(0, false, 4, 250), 0);
	/* A driver without modes: small values are delays. */
	EXPECT_EQ(bound(3, false, 0, 256), 3);
	/* adaptive-rx: its longest wait, whatever rx-usecs says. */
	EXPECT_EQ(bound(77, true, 0, 256), 256);
	EXPECT_EQ(bound(1000, false, 0, 256), 1000);
}

static void a_shared_nic_is_only_tightened(void)
{
	/* Class C's ceiling over a NIC that waits 250 us at most: its own. */
	EXPECT_EQ(xcoal_nic_target(4000, 250, false), XCOAL_NIC_OWN);
	EXPECT_EQ(xcoal_nic_target(250, 250, false), XCOAL_NIC_OWN);
	/* Stricter shares apply. */
	EXPECT_EQ(xcoal_nic_target(249, 250, false), 249);
	EXPECT_EQ(xcoal_nic_target(10, 250, false), 10);
	EXPECT_EQ(xcoal_nic_target(0, 1, false), 0);
	/* A NIC already at no delay is never given one. */
	EXPECT_EQ(xcoal_nic_target(10, 0, false), XCOAL_NIC_OWN);
	/* Only classed VIFs on it: the classes decide, looser or not. */
	EXPECT_EQ(xcoal_nic_target(4000, 250, true), 4000);
	EXPECT_EQ(xcoal_nic_target(10, 0, true), 10);
}

/* A driver that accepts 0..max and refuses the rest, as ixgbe does above 1022. */
static u32 search(struct xcoal_nic_limit *l, u32 want, u32 max, unsigned int *writes)
{
	u32 u = 0;
	unsigned int i;

	for (i = 0; i < 34; i++) {
		u = xcoal_nic_limit_try(l, want);
		(*writes)++;
		xcoal_nic_limit_learn(l, u, u <= max);
		if (u <= max && xcoal_nic_limit_try(l, want) == u)
			return u;
		if (u > max && !u)
			return U32_MAX;
	}
	return U32_MAX;
}

static void a_refused_value_becomes_the_nearest_tighter_accepted(void)
{
	struct xcoal_nic_limit l = { 0, U32_MAX };
	unsigned int writes = 0;

	EXPECT_EQ(xcoal_nic_limit_try(&l, 4000), 4000);	/* nothing refused yet */
	EXPECT_EQ(search(&l, 4000, 1022, &writes), 1022);
	EXPECT_TRUE(writes <= 13);
	EXPECT_EQ(l.ok, 1022);
	EXPECT_EQ(l.refused, 1023);
	/* Remembered: the next demands cost one write each. */
	writes = 0;
	EXPECT_EQ(search(&l, 2500, 1022, &writes), 1022);
	EXPECT_EQ(writes, 1);
	writes = 0;
	EXPECT_EQ(search(&l, 500, 1022, &writes), 500);
	EXPECT_EQ(writes, 1);
	EXPECT_EQ(l.ok, 1022);	/* an accepted smaller value teaches nothing new */

	/* Never looser than asked, and 0 only when nothing else is taken. */
	l = (struct xcoal_nic_limit){ 0, U32_MAX };
	writes = 0;
	EXPECT_EQ(search(&l, 10, 0, &writes), 0);
	l = (struct xcoal_nic_limit){ 0, U32_MAX };
	writes = 0;
	EXPECT_EQ(search(&l, 7, 6, &writes), 6);
}

static void a_refusal_below_an_accepted_value_starts_again(void)
{
	struct xcoal_nic_limit l = { 0, U32_MAX };

	xcoal_nic_limit_learn(&l, 100, true);
	xcoal_nic_limit_learn(&l, 200, false);
	EXPECT_EQ(xcoal_nic_limit_try(&l, 300), 150);
	/* A driver with holes refuses 50 after taking 100: below 50 again. */
	xcoal_nic_limit_learn(&l, 50, false);
	EXPECT_EQ(l.refused, 50);
	EXPECT_EQ(l.ok, 0);
	EXPECT_EQ(xcoal_nic_limit_try(&l, 300), 25);
	EXPECT_TRUE(xcoal_nic_limit_try(&l, 300) < 50);
}

static const struct unit_test nic_policy_tests[] = {
	{ "nic: shares below the minimum become the minimum", small_shares_become_the_minimum },
	{ "nic: the first and every stricter demand apply at once",
	  stricter_applies_at_once },
	{ "nic: a looser demand applies after the hold, not restarted by another",
	  looser_waits_for_the_hold },
	{ "nic: a demand that comes back cancels the wait",
	  a_demand_that_comes_back_cancels_the_wait },
	{ "nic: hold 0 applies at once; a clock going back restarts the wait",
	  hold_zero_and_clock_going_back },
	{ "nic: the profile changes only supported fields; no rx-usecs, no change",
	  profile_touches_only_what_the_nic_supports },
	{ "nic: restore gives back only the fields still holding ours",
	  restore_gives_back_only_what_is_still_ours },
	{ "nic: a driver's adaptive modes are bounded by their longest wait",
	  own_bound_reads_modes_as_their_longest_wait },
	{ "nic: a shared NIC is only tightened; an exclusive one follows the classes",
	  a_shared_nic_is_only_tightened },
	{ "nic: a refused value becomes the nearest tighter one accepted, remembered",
	  a_refused_value_becomes_the_nearest_tighter_accepted },
	{ "nic: a refusal below an accepted value restarts the search below it",
	  a_refusal_below_an_accepted_value_starts_again },
};

const struct unit_suite nic_policy_suite = {
	.tests = nic_policy_tests,
	.count = ARRAY_SIZE(nic_policy_tests),
};
