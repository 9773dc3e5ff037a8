/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xcoal-sim's model: one coalescing point between a producer and a peer
 * on a shared ring, driven by the project's own decision code
 * (coalesce/coalescer.c, estimator.c, adaptive.c), in simulated time.
 */
#ifndef _XCOAL_SIM_SIM_H
#define _XCOAL_SIM_SIM_H

#include <xen-coalesce/params.h>

#include "dim_policy.h"
#include "trace.h"

/**
 * struct xsim_config - the point and the world around it
 * @params: the point's parameters (usecs 0: no coalescing)
 * @ring_slots: the ring's size (a netif ring: 256)
 * @wake_ns: from a notification to the peer consuming (its interrupt and
 *	scheduling), the same for every policy
 * @slot_ns: the peer's time per ring slot consumed
 * @dim: with @params.adaptive, net_dim (&xsim_net_dim) instead of the
 *	estimator; NULL: the estimator
 */
struct xsim_config {
	struct xcoal_params params;
	u32 ring_slots;
	u64 wake_ns;
	u64 slot_ns;
	const struct xsim_dim_ops *dim;
};

/**
 * struct xsim_result - what a run counted
 * @packets: packets delivered
 * @bytes: their bytes
 * @slots: the ring slots they took
 * @notify_push: notifications sent at a push (the threshold, or no
 *	coalescing)
 * @notify_deadline: notifications sent by the deadline timer
 * @notify_blocked: notifications sent at once because the producer could
 *	not push (the ring full with a notification owed)
 * @expiries: timer expiries (each a wake-up of the producer's CPU)
 * @deferrals: notifications deferred (timers armed)
 * @scheduled_max_ns: the longest wait a deferral scheduled
 * @end_ns: when the last packet became visible to the peer
 * @delay_ns: per packet, from its arrival to when the peer could see it
 *	(notified, or awake and polling): ring-full waits included
 * @done_ns: per packet, when the peer had consumed its last slot (where the
 *	peer's answer, a completion or a refilled buffer, starts)
 * @p50_ns: that delay's median
 * @p99_ns: ... 99th percentile
 * @p999_ns: ... 99.9th percentile
 * @max_ns: ... maximum
 */
struct xsim_result {
	u64 packets;
	u64 bytes;
	u64 slots;
	u64 notify_push;
	u64 notify_deadline;
	u64 notify_blocked;
	u64 expiries;
	u64 deferrals;
	u64 scheduled_max_ns;
	u64 end_ns;
	u64 *delay_ns;
	u64 *done_ns;
	u64 p50_ns;
	u64 p99_ns;
	u64 p999_ns;
	u64 max_ns;
};

u32 xsim_slots(u32 bytes);
int xsim_run(const struct xsim_config *c, const struct xsim_trace *t,
	     struct xsim_result *r);
void xsim_result_free(struct xsim_result *r);
u64 *xsim_delays_sorted(const struct xsim_result *r);

#endif /* _XCOAL_SIM_SIM_H */
