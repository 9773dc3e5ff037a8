/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net_dim as an adaptive point's policy in xcoal-sim: the kernel's own
 * lib/dim (taken from the kernel source at build time), fed as
 * coalesce/adaptive_dim.c feeds it. Plain C types only: dim_policy.c
 * builds against lib/dim's headers, not the project's.
 */
#ifndef _XCOAL_SIM_DIM_POLICY_H
#define _XCOAL_SIM_DIM_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct xsim_dim_ops - an alternative adaptive policy
 * @start: a new run: net_dim's first profile, within the ceilings, in
 *	@usecs and @frames; returns the policy's state (NULL: out of memory)
 * @sample: after a push, the counters so far (notifications sent, ring
 *	slots pushed) at @now_ns; true when the policy moved to another
 *	profile, then in @usecs and @frames
 * @stop: frees the state
 */
struct xsim_dim_ops {
	void *(*start)(uint32_t usecs_max, uint32_t frames_max,
		       uint32_t *usecs, uint32_t *frames);
	bool (*sample)(void *state, uint64_t now_ns, uint64_t sent,
		       uint64_t pushed, uint32_t *usecs, uint32_t *frames);
	void (*stop)(void *state);
};

extern const struct xsim_dim_ops xsim_net_dim;

#endif /* _XCOAL_SIM_DIM_POLICY_H */
