/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision of one notification point: notify the peer now, or let the
 * notification wait for more frames or for its deadline. Pure: the caller
 * holds whatever lock guards @s and owns the timer.
 */
#ifndef _XEN_COALESCE_COALESCER_H
#define _XEN_COALESCE_COALESCER_H

#include "params.h"

/**
 * struct xcoal_state - a notification point between two notifications
 * @pending: frames pushed since the first deferred notification; 0 when
 *	no notification is owed
 * @armed: the deadline timer runs (started by the first deferral only)
 */
struct xcoal_state {
	u32 pending;
	bool armed;
};

/**
 * enum xcoal_verdict - what the caller does after a push
 * @XCOAL_QUIET: nothing: the peer is still polling, or a notification is
 *	already owed and will be sent by the threshold or the deadline
 * @XCOAL_NOTIFY: notify the peer now (and cancel the timer if it was armed)
 * @XCOAL_ARM: a notification is owed from now: start the deadline timer
 */
enum xcoal_verdict {
	XCOAL_QUIET,
	XCOAL_NOTIFY,
	XCOAL_ARM,
};

/**
 * enum xcoal_release - why an owed notification was released without a push
 * @XCOAL_RELEASE_DEADLINE: the deadline timer fired
 * @XCOAL_RELEASE_FLUSH: teardown, a parameter change or a ring reset
 * @XCOAL_RELEASE_BLOCKED: the producer must wait for the peer
 */
enum xcoal_release {
	XCOAL_RELEASE_DEADLINE,
	XCOAL_RELEASE_FLUSH,
	XCOAL_RELEASE_BLOCKED,
};

/* Histogram buckets: [0] = 0 or 1, [b] = 2^(b-1)+1 .. 2^b, last = more. */
#define XCOAL_HIST_BUCKETS	16

enum xcoal_verdict xcoal_push_room(struct xcoal_state *s,
				   const struct xcoal_params *p, u32 frames,
				   bool ring_notify, u32 room, bool *was_armed);
enum xcoal_verdict xcoal_push(struct xcoal_state *s,
			      const struct xcoal_params *p, u32 frames,
			      bool ring_notify, bool *was_armed);
bool xcoal_expire(struct xcoal_state *s);
bool xcoal_flush(struct xcoal_state *s, bool *was_armed);
unsigned int xcoal_hist_bucket(u64 value);

#endif /* _XEN_COALESCE_COALESCER_H */
