/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xcoal-sim's coalescing points: the four a vif has (a class's plan gives
 * each its parameters) and the two directions they make, each a chain of
 * two points: a guest-RX packet is delivered by netback (deliver) and
 * its buffer refilled by the guest (front_rx); a guest-TX packet is sent
 * by the guest (front_tx) and completed by netback (complete).
 */
#ifndef _XCOAL_SIM_POINTS_H
#define _XCOAL_SIM_POINTS_H

#include <xen-coalesce/classes.h>

#include "sim.h"

enum xsim_point {
	XSIM_DELIVER,
	XSIM_FRONT_RX,
	XSIM_FRONT_TX,
	XSIM_COMPLETE,
	XSIM_POINTS
};

#define XSIM_ALL_POINTS		((1u << XSIM_POINTS) - 1)

extern const char *const xsim_point_names[XSIM_POINTS];

/**
 * struct xsim_point_run - one point's runs, coalescing off and on
 * @point: which point
 * @params: its parameters with coalescing on
 * @off: the run with coalescing off everywhere
 * @on: the run with the parameters on every point of the chain
 */
struct xsim_point_run {
	enum xsim_point point;
	struct xcoal_params params;
	struct xsim_result off;
	struct xsim_result on;
};

int xsim_points_parse(const char *list, unsigned int *mask, const char **why);
void xsim_plan_params(const struct xcoal_plan *plan, struct xcoal_params *p);
int xsim_chain_trace(const struct xsim_trace *in, const struct xsim_result *r,
		     struct xsim_trace *out);
int xsim_run_points(const struct xsim_config *world, const struct xcoal_params *p,
		    unsigned int mask, const struct xsim_trace *rx,
		    const struct xsim_trace *tx, struct xsim_point_run *runs,
		    unsigned int *n);
void xsim_total(const struct xsim_point_run *runs, unsigned int n, bool on,
		struct xsim_result *total);
void xsim_point_runs_free(struct xsim_point_run *runs, unsigned int n);

#endif /* _XCOAL_SIM_POINTS_H */
