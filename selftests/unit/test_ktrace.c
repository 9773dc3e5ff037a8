// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of xcoal-sim --ktrace: the xen_coalesce trace events as
 * tracefs prints them, every malformation refused with a reason, and the
 * replay's verdicts and counts (the platform's share apart).
 */
#include "unit.h"
#include "../../tools/xcoal-sim/ktrace.h"

#define RX "vif1.0-q0:rx"
#define HEAD "          <idle>-0       [001] d.h2.   "
#define ARGS "ring_notify=1 room=1 usecs=1 threshold=1"
#define ASKED "frames=1 ring_notify=1 room=1"
/* A push that cannot tell the room (U32_MAX). */
#define FAR "ring_notify=1 room=4294967295 usecs=1000 threshold=0"

/* A push event of RX at @when with @fields. */
static const char *push_at(const char *when, const char *fields)
{
	static char line[256];

	snprintf(line, sizeof(line), HEAD "%s: xcoal_push: point=" RX " %s", when, fields);
	return line;
}

static const char *push_line(const char *fields)
{
	return push_at("1.0", fields);
}

static void events_are_parsed(void)
{
	const char *why = NULL;
	struct xsim_kev ev;
	const char *line = push_at("100.000100", "frames=3 " FAR " verdict=arm pending=3\n");

	EXPECT_EQ(xsim_kev_parse(line, RX, &ev, &why), 1);
	EXPECT_EQ(ev.kind, XSIM_KEV_PUSH);
	EXPECT_EQ(ev.t_ns, 100000100000ULL);
	EXPECT_EQ(ev.frames, 3);
	EXPECT_EQ(ev.ring_notify, 1);
	EXPECT_EQ(ev.room, 4294967295U);
	EXPECT_EQ(ev.usecs, 1000);
	EXPECT_EQ(ev.threshold, 0);
	EXPECT_EQ(ev.verdict, XCOAL_ARM);
	EXPECT_EQ(xsim_kev_parse(HEAD "7.5: xcoal_release: point=" RX " why=blocked owed=0",
				 RX, &ev, &why), 1);
	EXPECT_EQ(ev.kind, XSIM_KEV_RELEASE);
	EXPECT_EQ(ev.t_ns, 7500000000ULL);
	EXPECT_EQ(ev.why, XCOAL_RELEASE_BLOCKED);
	EXPECT_EQ(ev.owed, 0);
}

static void other_lines_are_not_ours(void)
{
	const char *why = NULL;
	struct xsim_kev ev;

	EXPECT_EQ(xsim_kev_parse("# tracer: nop\n", RX, &ev, &why), 0);
	EXPECT_EQ(xsim_kev_parse(HEAD "1.000001: tracing_mark_write: xt c0\n", RX, &ev, &why), 0);
	/* Another point, and one whose name only starts like ours. */
	EXPECT_EQ(xsim_kev_parse(HEAD "1.0: xcoal_push: point=vif1.0-q0:tx frames=1 " ARGS
				 " verdict=arm pending=1", RX, &ev, &why), 0);
	EXPECT_EQ(xsim_kev_parse(HEAD "1.0: xcoal_release: point=" RX "x why=flush owed=1",
				 RX, &ev, &why), 0);
}

static void expect_refused(const char *line, const char *reason)
{
	const char *why = NULL;
	struct xsim_kev ev;

	EXPECT_EQ(xsim_kev_parse(line, RX, &ev, &why), -EINVAL);
	EXPECT_TRUE(why && strstr(why, reason));
}

static void malformed_events_are_refused(void)
{
	expect_refused(HEAD "now: xcoal_push: point=" RX " frames=1", "timestamp");
	expect_refused(HEAD "1..2: xcoal_release: point=" RX " why=flush owed=1", "timestamp");
	expect_refused(HEAD "x1.2: xcoal_release: point=" RX " why=flush owed=1", "timestamp");
	expect_refused(HEAD "1.0000000001: xcoal_release: point=" RX " why=flush owed=1",
		       "timestamp");
	expect_refused(HEAD "1.0: xcoal_release: point=" RX " why=soon owed=1", "why=");
	expect_refused(HEAD "1.0: xcoal_release: point=" RX " why=flush owed=2", "owed=");
	expect_refused(HEAD "1.0: xcoal_release: point=" RX " why=flush", "owed=");
	expect_refused(push_line("frames=1 " ARGS " verdict=maybe"), "verdict=");
	expect_refused(push_line("frames=-1 " ARGS " verdict=arm"), "frames=");
	expect_refused(push_line("frames=4294967296 " ARGS " verdict=arm"), "frames=");
	expect_refused(push_line("frames=1x " ARGS " verdict=arm"), "frames=");
	expect_refused(push_line(ASKED " usecs=10001 threshold=1 verdict=arm"), "beyond");
	expect_refused(push_line(ASKED " usecs=1 threshold=257 verdict=arm"), "beyond");
}

static void push(struct xsim_replay *r, u64 t_us, u32 frames, bool asked,
		 enum xcoal_verdict engine)
{
	struct xsim_kev ev = {
		.kind = XSIM_KEV_PUSH, .t_ns = t_us * 1000, .frames = frames,
		.room = 200, .usecs = 1000, .threshold = 4, .ring_notify = asked,
		.verdict = engine,
	};

	xsim_replay_event(r, &ev);
}

static void release(struct xsim_replay *r, u64 t_us, enum xcoal_release why, bool owed)
{
	struct xsim_kev ev = {
		.kind = XSIM_KEV_RELEASE, .t_ns = t_us * 1000, .why = why, .owed = owed,
	};

	xsim_replay_event(r, &ev);
}

static void replay_counts_the_decisions(void)
{
	struct xsim_replay r = { 0 };

	push(&r, 0, 1, true, XCOAL_ARM);		/* a wait begins */
	push(&r, 500, 1, false, XCOAL_QUIET);		/* joins it */
	push(&r, 1500, 1, false, XCOAL_QUIET);		/* joins after its deadline */
	release(&r, 1600, XCOAL_RELEASE_DEADLINE, true);	/* the late timer */
	push(&r, 2000, 1, false, XCOAL_QUIET);		/* the peer polls: unasked */
	push(&r, 3000, 5, true, XCOAL_NOTIFY);		/* the threshold at once */
	push(&r, 4000, 1, true, XCOAL_ARM);
	release(&r, 4100, XCOAL_RELEASE_BLOCKED, true);
	release(&r, 5100, XCOAL_RELEASE_DEADLINE, false);	/* the timer lost the race */
	EXPECT_EQ(r.mismatches, 0);
	EXPECT_EQ(r.pushes, 6);
	EXPECT_EQ(r.frames, 10);
	EXPECT_EQ(r.deferrals, 2);
	EXPECT_EQ(r.notifications, 3);
	EXPECT_EQ(r.expiries, 1);
	EXPECT_EQ(r.flushes, 1);
	EXPECT_EQ(r.unasked, 1);
	EXPECT_EQ(r.joined, 2);
	EXPECT_EQ(r.late_joined, 1);
	EXPECT_EQ(r.extra_frames, 4);
}

static void replay_counts_every_verdict_not_the_engines(void)
{
	struct xsim_replay r = { 0 };

	push(&r, 0, 1, true, XCOAL_NOTIFY);		/* the code arms */
	release(&r, 1000, XCOAL_RELEASE_DEADLINE, false);	/* ... and owes at the timer */
	push(&r, 2000, 1, false, XCOAL_ARM);		/* nothing asked: quiet */
	EXPECT_EQ(r.mismatches, 3);
}

static const struct unit_test ktrace_tests[] = {
	{ "ktrace: push and release events as tracefs prints them", events_are_parsed },
	{ "ktrace: other lines, events and points are not ours", other_lines_are_not_ours },
	{ "ktrace: every malformed event is refused with its reason",
	  malformed_events_are_refused },
	{ "ktrace: the replay counts the decisions and the platform's share",
	  replay_counts_the_decisions },
	{ "ktrace: every verdict that is not the engine's is counted",
	  replay_counts_every_verdict_not_the_engines },
};

const struct unit_suite ktrace_suite = {
	.tests = ktrace_tests,
	.count = ARRAY_SIZE(ktrace_tests),
};
