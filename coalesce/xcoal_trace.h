/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of the notification points: every decision with the inputs
 * it was taken on (the push's slots, the ring's answer and room, the
 * parameters in force) and every release without a push (the deadline, a
 * flush), so that a trace replays through the decision code (xcoal-sim
 * --ktrace) and gives the same verdicts: the platform's timing is in the
 * trace, not in the replay.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_coalesce

#if !defined(_XCOAL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XCOAL_TRACE_H

#include <linux/tracepoint.h>

#include <xen-coalesce/engine.h>

TRACE_DEFINE_ENUM(XCOAL_QUIET);
TRACE_DEFINE_ENUM(XCOAL_NOTIFY);
TRACE_DEFINE_ENUM(XCOAL_ARM);
TRACE_DEFINE_ENUM(XCOAL_RELEASE_DEADLINE);
TRACE_DEFINE_ENUM(XCOAL_RELEASE_FLUSH);
TRACE_DEFINE_ENUM(XCOAL_RELEASE_BLOCKED);

#define xcoal_show_verdict(v)					\
	__print_symbolic(v, { XCOAL_QUIET, "quiet" },		\
			 { XCOAL_NOTIFY, "notify" },		\
			 { XCOAL_ARM, "arm" })

#define xcoal_show_release(r)					\
	__print_symbolic(r, { XCOAL_RELEASE_DEADLINE, "deadline" },	\
			 { XCOAL_RELEASE_FLUSH, "flush" },		\
			 { XCOAL_RELEASE_BLOCKED, "blocked" })

TRACE_EVENT(xcoal_push,
	    TP_PROTO(const struct xcoal_point *pt, u32 frames, bool ring_notify,
		     u32 room, enum xcoal_verdict verdict),
	    TP_ARGS(pt, frames, ring_notify, room, verdict),
	    TP_STRUCT__entry(__array(char, point, XCOAL_POINT_NAME_LEN)
			     __field(u32, frames)
			     __field(u32, room)
			     __field(u32, pending)
			     __field(u32, usecs)
			     __field(u32, threshold)
			     __field(bool, ring_notify)
			     __field(u8, verdict)),
	    TP_fast_assign(memcpy(__entry->point, pt->name, XCOAL_POINT_NAME_LEN);
			   __entry->frames = frames;
			   __entry->room = room;
			   __entry->pending = pt->state.pending;
			   __entry->usecs = pt->live.usecs;
			   __entry->threshold = pt->live.frames;
			   __entry->ring_notify = ring_notify;
			   __entry->verdict = verdict;),
	    TP_printk("point=%s frames=%u ring_notify=%d room=%u usecs=%u threshold=%u verdict=%s pending=%u",
		      __entry->point, __entry->frames, __entry->ring_notify,
		      __entry->room, __entry->usecs, __entry->threshold,
		      xcoal_show_verdict(__entry->verdict), __entry->pending)
);

TRACE_EVENT(xcoal_release,
	    TP_PROTO(const struct xcoal_point *pt, enum xcoal_release why, bool owed),
	    TP_ARGS(pt, why, owed),
	    TP_STRUCT__entry(__array(char, point, XCOAL_POINT_NAME_LEN)
			     __field(u8, why)
			     __field(bool, owed)),
	    TP_fast_assign(memcpy(__entry->point, pt->name, XCOAL_POINT_NAME_LEN);
			   __entry->why = why;
			   __entry->owed = owed;),
	    TP_printk("point=%s why=%s owed=%d", __entry->point,
		      xcoal_show_release(__entry->why), __entry->owed)
);

#endif /* _XCOAL_TRACE_H */

/* Out of the kernel's tree: the header is found next to engine.c. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xcoal_trace
#include <trace/define_trace.h>
