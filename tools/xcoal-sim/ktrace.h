/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xcoal-sim --ktrace: replay a point's kernel trace (the xen_coalesce
 * trace events, as tracefs prints them) through the decision code, with
 * the inputs and the timer firings the engine had, and compare each
 * verdict with the engine's. Pure user space; unit-tested and fuzzed.
 */
#ifndef _XCOAL_SIM_KTRACE_H
#define _XCOAL_SIM_KTRACE_H

#include <stdio.h>

#include <xen-coalesce/coalescer.h>

enum xsim_kev_kind {
	XSIM_KEV_PUSH,
	XSIM_KEV_RELEASE,
};

/**
 * struct xsim_kev - one traced event of a point
 * @kind: a push or a release
 * @t_ns: the trace's timestamp
 * @frames: a push's slots
 * @room: a push's room left in the ring
 * @usecs: the deadline in force at a push
 * @threshold: the frame threshold in force at a push
 * @ring_notify: the ring's answer at a push
 * @verdict: the engine's verdict on a push (enum xcoal_verdict)
 * @why: a release's reason
 * @owed: whether the release found a notification owed
 */
struct xsim_kev {
	enum xsim_kev_kind kind;
	u64 t_ns;
	u32 frames;
	u32 room;
	u32 usecs;
	u32 threshold;
	bool ring_notify;
	enum xcoal_verdict verdict;
	enum xcoal_release why;
	bool owed;
};

/**
 * struct xsim_replay - a replay's state and counts
 * @state: the decision code's state
 * @first_ns: when the wait now owed began
 * @pushes: push events
 * @frames: slots they carried
 * @deferrals: pushes that started a wait (arm)
 * @notifications: notifications released: at a push, by the deadline, a
 *	flush or a blocked producer
 * @expiries: of those, by the deadline
 * @flushes: of those, by a flush or a blocked producer
 * @mismatches: events whose traced outcome is not the replay's
 * @unasked: pushes with nothing owed that the ring did not ask a
 *	notification for (the peer was still polling)
 * @joined: pushes that joined a wait already owed
 * @late_joined: of those, the ones made after the wait's deadline, before
 *	the timer ran
 * @extra_frames: slots beyond the first in pushes that carried several
 */
struct xsim_replay {
	struct xcoal_state state;
	u64 first_ns;
	u64 pushes;
	u64 frames;
	u64 deferrals;
	u64 notifications;
	u64 expiries;
	u64 flushes;
	u64 mismatches;
	u64 unasked;
	u64 joined;
	u64 late_joined;
	u64 extra_frames;
};

int xsim_kev_parse(const char *line, const char *point, struct xsim_kev *ev,
		   const char **why);
void xsim_replay_event(struct xsim_replay *r, const struct xsim_kev *ev);
int xsim_replay_file(FILE *f, const char *point, struct xsim_replay *r,
		     unsigned long *line_no, const char **why);

#endif /* _XCOAL_SIM_KTRACE_H */
