// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of coalesce/coalescer.c: the notify-or-wait decision, by
 * cases and by a simulation that checks the promises on random traffic.
 */
#include <stdlib.h>

#include <xen-coalesce/coalescer.h>

#include "unit.h"

static const struct xcoal_params off = { .usecs = 0, .frames = 0 };
static const struct xcoal_params four = { .usecs = 100, .frames = 4 };
static const struct xcoal_params deadline_only = { .usecs = 100, .frames = 0 };

static void coalescer_off_is_stock(void)
{
	struct xcoal_state s = { 0 };
	bool armed;
	int i;

	for (i = 0; i < 10; i++) {
		EXPECT_EQ(xcoal_push(&s, &off, 1, true, &armed), XCOAL_NOTIFY);
		EXPECT_EQ(armed, false);
		EXPECT_EQ(xcoal_push(&s, &off, 3, false, &armed), XCOAL_QUIET);
		EXPECT_EQ(s.pending, 0);
	}
}

static void coalescer_polling_peer_costs_nothing(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	/* The ring did not ask: the peer is polling; nothing is owed. */
	EXPECT_EQ(xcoal_push(&s, &four, 1, false, &armed), XCOAL_QUIET);
	EXPECT_EQ(s.pending, 0);
	EXPECT_EQ(s.armed, false);
	EXPECT_EQ(xcoal_push(&s, &four, 0, true, &armed), XCOAL_QUIET);
	EXPECT_EQ(s.armed, false);
}

static void coalescer_threshold_releases(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	EXPECT_EQ(xcoal_push(&s, &four, 1, true, &armed), XCOAL_ARM);
	EXPECT_EQ(s.pending, 1);
	EXPECT_EQ(s.armed, true);
	/* The peer still sleeps, but the ring no longer asks. */
	EXPECT_EQ(xcoal_push(&s, &four, 1, false, &armed), XCOAL_QUIET);
	EXPECT_EQ(xcoal_push(&s, &four, 1, false, &armed), XCOAL_QUIET);
	EXPECT_EQ(xcoal_push(&s, &four, 1, false, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(armed, true);
	EXPECT_EQ(s.pending, 0);
	EXPECT_EQ(s.armed, false);
	/* The timer that lost the race finds nothing owed. */
	EXPECT_EQ(xcoal_expire(&s), false);
}

static void coalescer_burst_notifies_at_once(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	EXPECT_EQ(xcoal_push(&s, &four, 4, true, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(armed, false);
	EXPECT_EQ(s.armed, false);
	EXPECT_EQ(xcoal_push(&s, &four, 64, true, &armed), XCOAL_NOTIFY);
}

static void coalescer_deadline_releases(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	EXPECT_EQ(xcoal_push(&s, &four, 2, true, &armed), XCOAL_ARM);
	EXPECT_EQ(xcoal_expire(&s), true);
	EXPECT_EQ(s.pending, 0);
	EXPECT_EQ(s.armed, false);
	/* Next burst starts a new deferral with a new deadline. */
	EXPECT_EQ(xcoal_push(&s, &four, 1, true, &armed), XCOAL_ARM);
}

static void coalescer_deadline_only_caps_at_ring(void)
{
	struct xcoal_state s = { 0 };
	bool armed;
	unsigned int i;

	EXPECT_EQ(xcoal_push(&s, &deadline_only, 1, true, &armed), XCOAL_ARM);
	for (i = 2; i < XCOAL_FRAMES_MAX; i++)
		EXPECT_EQ(xcoal_push(&s, &deadline_only, 1, false, &armed), XCOAL_QUIET);
	EXPECT_EQ(xcoal_push(&s, &deadline_only, 1, false, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(armed, true);
}

static void coalescer_flush_sends_what_is_owed(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	EXPECT_EQ(xcoal_flush(&s, &armed), false);
	EXPECT_EQ(armed, false);
	EXPECT_EQ(xcoal_push(&s, &four, 1, true, &armed), XCOAL_ARM);
	EXPECT_EQ(xcoal_flush(&s, &armed), true);
	EXPECT_EQ(armed, true);
	EXPECT_EQ(s.pending, 0);
}

static void coalescer_turned_off_while_owed(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	EXPECT_EQ(xcoal_push(&s, &four, 1, true, &armed), XCOAL_ARM);
	/* Parameters changed to off with a notification owed: next push sends it. */
	EXPECT_EQ(xcoal_push(&s, &off, 1, false, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(armed, true);
}

static void coalescer_saturates(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	EXPECT_EQ(xcoal_push(&s, &deadline_only, 1, true, &armed), XCOAL_ARM);
	EXPECT_EQ(xcoal_push(&s, &deadline_only, U32_MAX, false, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(s.pending, 0);
}

/*
 * Random traffic against a model of the ring and the timer: the peer sleeps
 * after it drains, a deadline fires usecs after the deferral started. The
 * promises: no frame waits past its deadline, no more than the threshold
 * is ever owed, the timer runs exactly while a notification is owed, and
 * with coalescing off every notification the ring asks for is sent.
 */
static void coalescer_random_traffic_keeps_promises(void)
{
	static const struct xcoal_params cases[] = {
		{ 0, 0, false }, { 10, 2, false }, { 50, 8, false }, { 100, 64, false },
		{ 7, 0, false }, { 1, 256, false },
	};
	unsigned int seed = 12345, c, step, violations = 0;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		const struct xcoal_params *p = &cases[c];
		u32 threshold = p->frames ? p->frames : XCOAL_FRAMES_MAX;
		struct xcoal_state s = { 0 };
		u64 now = 0, deadline = 0, oldest = 0;
		bool peer_sleeps = true, armed;
		unsigned int asked = 0, sent = 0;

		for (step = 0; step < 200000; step++) {
			u32 frames = rand_r(&seed) % 5;
			enum xcoal_verdict v;

			now += rand_r(&seed) % 30;
			if (s.armed && now >= deadline) {
				/* The timer fires at its deadline, not later. */
				now = deadline;
				if (xcoal_expire(&s)) {
					sent++;
					peer_sleeps = false;
				}
			}
			if (s.pending && now > oldest + p->usecs)
				violations++;
			v = xcoal_push(&s, p, frames, peer_sleeps && frames, &armed);
			if (peer_sleeps && frames)
				asked++;
			if (v == XCOAL_ARM) {
				deadline = now + p->usecs;
				oldest = now;
				peer_sleeps = false; /* the ring asks only once */
			} else if (v == XCOAL_NOTIFY) {
				sent++;
				peer_sleeps = false;
			}
			if (s.pending >= threshold || s.armed != !!s.pending)
				violations++;
			/* The woken peer drains now and then and sleeps again. */
			if (!s.pending && rand_r(&seed) % 3 == 0)
				peer_sleeps = true;
		}
		if (!xcoal_params_enabled(p))
			EXPECT_EQ(sent, asked);
		else
			EXPECT_TRUE(sent <= asked);
	}
	EXPECT_EQ(violations, 0);
}

static void coalescer_hist_buckets(void)
{
	EXPECT_EQ(xcoal_hist_bucket(0), 0);
	EXPECT_EQ(xcoal_hist_bucket(1), 0);
	EXPECT_EQ(xcoal_hist_bucket(2), 1);
	EXPECT_EQ(xcoal_hist_bucket(3), 2);
	EXPECT_EQ(xcoal_hist_bucket(4), 2);
	EXPECT_EQ(xcoal_hist_bucket(5), 3);
	EXPECT_EQ(xcoal_hist_bucket(4096), 12);
	EXPECT_EQ(xcoal_hist_bucket(4097), 13);
	EXPECT_EQ(xcoal_hist_bucket(16384), 14);
	EXPECT_EQ(xcoal_hist_bucket(16385), XCOAL_HIST_BUCKETS - 1);
	EXPECT_EQ(xcoal_hist_bucket(~0ULL), XCOAL_HIST_BUCKETS - 1);
}

static const struct xcoal_params ceiling64 = { .usecs = 10000, .frames = 64 };

static void coalescer_blocked_producer_is_released(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	/* 17 slots of a 64 KiB packet, plenty of room: the event waits. */
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 17, true, 200, &armed), XCOAL_ARM);
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 17, false, 100, &armed), XCOAL_QUIET);
	/* The ring is full: the producer waits for the peer, so the peer hears now. */
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 17, false, 0, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(armed, true);
	EXPECT_EQ(s.pending, 0);
	/* A first push that leaves no room does not wait either. */
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 3, true, 0, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(armed, false);
}

static void coalescer_threshold_capped_by_room(void)
{
	struct xcoal_state s = { 0 };
	bool armed;

	/* 64 frames asked, but only 40 more fit: the 50th slot is the last. */
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 10, true, 40, &armed), XCOAL_ARM);
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 39, false, 1, &armed), XCOAL_QUIET);
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 1, false, 0, &armed), XCOAL_NOTIFY);
	/* Room that grows again (the peer consumed by polling) is honoured. */
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 10, true, 5, &armed), XCOAL_ARM);
	EXPECT_EQ(xcoal_push_room(&s, &ceiling64, 1, false, 200, &armed), XCOAL_QUIET);
	EXPECT_EQ(s.pending, 11);
	/* Off: room changes nothing, the ring's answer decides. */
	EXPECT_EQ(xcoal_push_room(&s, &off, 0, false, 0, &armed), XCOAL_NOTIFY);
	EXPECT_EQ(xcoal_push_room(&s, &off, 1, false, 0, &armed), XCOAL_QUIET);
	EXPECT_EQ(xcoal_push_room(&s, &off, 1, true, 300, &armed), XCOAL_NOTIFY);
}

/* Random pushes against a ring of 256 slots: a full ring is never held. */
static void coalescer_random_ring_never_held_full(void)
{
	struct xcoal_state s = { 0 };
	unsigned int i, used = 0;
	bool armed;

	srand(11);
	for (i = 0; i < 200000 && !unit_failures(); i++) {
		u32 n = 1 + rand() % 18;
		enum xcoal_verdict v;

		if (used + n > 256)
			n = 256 - used;
		used += n;
		v = xcoal_push_room(&s, &ceiling64, n, !s.pending, 256 - used, &armed);
		if (used == 256)
			EXPECT_EQ(v, XCOAL_NOTIFY);
		if (v == XCOAL_NOTIFY || rand() % 4 == 0)
			used = rand() % (used + 1);	/* the peer consumes some */
		if (v == XCOAL_QUIET || v == XCOAL_ARM)
			EXPECT_TRUE(s.pending < 64);
	}
}

static const struct unit_test coalescer_tests[] = {
	{ "coalescer: off, every notification the ring asks for is sent",
	  coalescer_off_is_stock },
	{ "coalescer: a polling peer (ring does not ask) costs nothing",
	  coalescer_polling_peer_costs_nothing },
	{ "coalescer: the frame threshold releases, timer cancelled",
	  coalescer_threshold_releases },
	{ "coalescer: a burst at or over the threshold notifies at once",
	  coalescer_burst_notifies_at_once },
	{ "coalescer: the deadline releases what is owed",
	  coalescer_deadline_releases },
	{ "coalescer: frames 0 means deadline only, capped at a ring",
	  coalescer_deadline_only_caps_at_ring },
	{ "coalescer: flush sends what is owed and says if the timer ran",
	  coalescer_flush_sends_what_is_owed },
	{ "coalescer: turned off while owed, the next push sends it",
	  coalescer_turned_off_while_owed },
	{ "coalescer: pending frames saturate instead of wrapping",
	  coalescer_saturates },
	{ "coalescer: random traffic: no frame past its deadline, none over the threshold",
	  coalescer_random_traffic_keeps_promises },
	{ "coalescer: histogram buckets are powers of two, the last takes the rest",
	  coalescer_hist_buckets },
	{ "coalescer: a blocked producer (no room) releases what is owed at once",
	  coalescer_blocked_producer_is_released },
	{ "coalescer: the threshold is capped by what the ring can still take",
	  coalescer_threshold_capped_by_room },
	{ "coalescer: random pushes on a 256-slot ring: a full ring is never held",
	  coalescer_random_ring_never_held_full },
};

const struct unit_suite coalescer_suite = {
	coalescer_tests, ARRAY_SIZE(coalescer_tests)
};
