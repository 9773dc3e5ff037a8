// SPDX-License-Identifier: GPL-2.0
/*
 * xcoal-sim's runs through several coalescing points: each direction is
 * a chain of two, and the second point's packets arrive as the first
 * point's peer consumes them (netback's completion of a guest's request
 * is made once netback has taken it; the guest refills a buffer once it
 * has taken the packet delivered into it). So a deferral at the first
 * point delays the second point's arrivals, as on a host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "points.h"

const char *const xsim_point_names[XSIM_POINTS] = {
	[XSIM_DELIVER] = "deliver",
	[XSIM_FRONT_RX] = "front_rx",
	[XSIM_FRONT_TX] = "front_tx",
	[XSIM_COMPLETE] = "complete",
};

/* The directions: the first point, then the one its peer's answers reach. */
static const enum xsim_point xsim_chains[2][2] = {
	{ XSIM_DELIVER, XSIM_FRONT_RX },
	{ XSIM_FRONT_TX, XSIM_COMPLETE },
};

static const struct {
	const char *name;
	unsigned int mask;
} xsim_point_sets[] = {
	{ "rx", 1u << XSIM_DELIVER | 1u << XSIM_FRONT_RX },
	{ "tx", 1u << XSIM_FRONT_TX | 1u << XSIM_COMPLETE },
	{ "all", XSIM_ALL_POINTS },
};

static int xsim_point_word(const char *w, size_t len, unsigned int *mask)
{
	unsigned int i;

	for (i = 0; i < XSIM_POINTS; i++) {
		if (strlen(xsim_point_names[i]) == len &&
		    !strncmp(w, xsim_point_names[i], len)) {
			*mask |= 1u << i;
			return 0;
		}
	}
	for (i = 0; i < ARRAY_SIZE(xsim_point_sets); i++) {
		if (strlen(xsim_point_sets[i].name) == len &&
		    !strncmp(w, xsim_point_sets[i].name, len)) {
			*mask |= xsim_point_sets[i].mask;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * xsim_points_parse - the points a run reports
 * @list: comma-separated: deliver, front_rx, front_tx, complete, or the
 *	sets rx (deliver and front_rx), tx (front_tx and complete), all
 * @mask: set to the points, a bit each (enum xsim_point)
 * @why: the reason of a refusal
 *
 * Return: 0, or -EINVAL (an empty or unknown word).
 */
int xsim_points_parse(const char *list, unsigned int *mask, const char **why)
{
	const char *w = list, *end;
	size_t len;

	*mask = 0;
	for (;;) {
		end = strchr(w, ',');
		len = end ? (size_t)(end - w) : strlen(w);
		if (xsim_point_word(w, len, mask)) {
			*why = "points: deliver, front_rx, front_tx, complete, rx, tx, all";
			return -EINVAL;
		}
		if (!end)
			return 0;
		w = end + 1;
	}
}

/**
 * xsim_plan_params - each point's parameters from a class's plan
 * @plan: the plan
 * @p: XSIM_POINTS parameters, filled
 */
void xsim_plan_params(const struct xcoal_plan *plan, struct xcoal_params *p)
{
	p[XSIM_DELIVER] = plan->deliver;
	p[XSIM_FRONT_RX] = plan->front_rx;
	p[XSIM_FRONT_TX] = plan->front_tx;
	p[XSIM_COMPLETE] = plan->complete;
}

/**
 * xsim_chain_trace - what the next point of a direction sees
 * @in: the trace a point replayed
 * @r: that run
 * @out: empty; filled with one packet of the same length per packet of
 *	@in, arriving when @r's peer had consumed it
 *
 * Return: 0, or -ENOMEM.
 */
int xsim_chain_trace(const struct xsim_trace *in, const struct xsim_result *r,
		     struct xsim_trace *out)
{
	size_t i;
	int err;

	out->start_ns = in->start_ns;
	for (i = 0; i < r->packets; i++) {
		err = xsim_trace_add(out, r->done_ns[i], in->pkts[i].bytes);
		if (err)
			return err;
	}
	return 0;
}

/* One direction's chain, all off or all on; what @mask leaves out is freed. */
static int xsim_run_chain(const struct xsim_config *world, const struct xcoal_params *p,
			  unsigned int mask, const enum xsim_point *chain,
			  const struct xsim_trace *t, bool on,
			  struct xsim_result *first, struct xsim_result *second)
{
	struct xsim_config c = *world;
	struct xsim_trace next = { 0 };
	int err;

	c.params = on ? p[chain[0]] : (struct xcoal_params){ 0 };
	err = xsim_run(&c, t, first);
	if (err)
		return err;
	if (mask & 1u << chain[1]) {
		c.params = on ? p[chain[1]] : (struct xcoal_params){ 0 };
		err = xsim_chain_trace(t, first, &next);
		if (!err)
			err = xsim_run(&c, &next, second);
		xsim_trace_free(&next);
	}
	if (err || !(mask & 1u << chain[0]))
		xsim_result_free(first);
	return err;
}

/**
 * xsim_run_points - replay the directions' traces through their points
 * @world: the ring and the peers (its params are not used)
 * @p: XSIM_POINTS parameters, each checked by xcoal_params_check() (or
 *	adaptive)
 * @mask: the points to report; a direction's second point always follows
 *	its first point's run, reported or not
 * @rx: the guest-RX direction's packets (deliver, front_rx)
 * @tx: the guest-TX direction's packets (front_tx, complete)
 * @runs: at least XSIM_POINTS, filled in point order
 * @n: set to the runs filled
 *
 * Return: 0, or xsim_run()'s error, with nothing left to free.
 */
int xsim_run_points(const struct xsim_config *world, const struct xcoal_params *p,
		    unsigned int mask, const struct xsim_trace *rx,
		    const struct xsim_trace *tx, struct xsim_point_run *runs,
		    unsigned int *n)
{
	struct xsim_result r[2][XSIM_POINTS];
	unsigned int d, i;
	int err = 0;

	memset(r, 0, sizeof(r));
	*n = 0;
	for (d = 0; d < ARRAY_SIZE(xsim_chains) && !err; d++) {
		const enum xsim_point *chain = xsim_chains[d];

		if (!(mask & (1u << chain[0] | 1u << chain[1])))
			continue;
		err = xsim_run_chain(world, p, mask, chain, d ? tx : rx, false,
				     &r[0][chain[0]], &r[0][chain[1]]);
		if (!err)
			err = xsim_run_chain(world, p, mask, chain, d ? tx : rx, true,
					     &r[1][chain[0]], &r[1][chain[1]]);
	}
	for (i = 0; i < XSIM_POINTS; i++) {
		if (!(mask & 1u << i))
			continue;
		if (err) {
			xsim_result_free(&r[0][i]);
			xsim_result_free(&r[1][i]);
			continue;
		}
		runs[*n] = (struct xsim_point_run){
			.point = i, .params = p[i], .off = r[0][i], .on = r[1][i],
		};
		(*n)++;
	}
	if (err)
		*n = 0;
	return err;
}

/* A direction's packets count once, at its first point reported. */
static bool xsim_counts_packets(const struct xsim_point_run *runs, unsigned int n,
				unsigned int k)
{
	unsigned int d, i;

	for (d = 0; d < ARRAY_SIZE(xsim_chains); d++) {
		if (runs[k].point != xsim_chains[d][1])
			continue;
		for (i = 0; i < n; i++)
			if (runs[i].point == xsim_chains[d][0])
				return false;
	}
	return true;
}

static u64 xsim_max(u64 a, u64 b)
{
	return a > b ? a : b;
}

/**
 * xsim_total - the runs' sum: what the points cost together
 * @runs: the runs
 * @n: how many
 * @on: the runs with coalescing on (else off)
 * @total: filled: notifications, expiries, deferrals and blocked flushes
 *	summed; packets, bytes and slots once a direction; the longest
 *	scheduled wait, the end and each delay percentile the largest of the
 *	points' (no per-packet delays)
 */
void xsim_total(const struct xsim_point_run *runs, unsigned int n, bool on,
		struct xsim_result *total)
{
	const struct xsim_result *r;
	unsigned int i;

	memset(total, 0, sizeof(*total));
	for (i = 0; i < n; i++) {
		r = on ? &runs[i].on : &runs[i].off;
		if (xsim_counts_packets(runs, n, i)) {
			total->packets += r->packets;
			total->bytes += r->bytes;
			total->slots += r->slots;
		}
		total->notify_push += r->notify_push;
		total->notify_deadline += r->notify_deadline;
		total->notify_blocked += r->notify_blocked;
		total->expiries += r->expiries;
		total->deferrals += r->deferrals;
		total->scheduled_max_ns = xsim_max(total->scheduled_max_ns, r->scheduled_max_ns);
		total->end_ns = xsim_max(total->end_ns, r->end_ns);
		total->p50_ns = xsim_max(total->p50_ns, r->p50_ns);
		total->p99_ns = xsim_max(total->p99_ns, r->p99_ns);
		total->p999_ns = xsim_max(total->p999_ns, r->p999_ns);
		total->max_ns = xsim_max(total->max_ns, r->max_ns);
	}
}

void xsim_point_runs_free(struct xsim_point_run *runs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		xsim_result_free(&runs[i].off);
		xsim_result_free(&runs[i].on);
	}
}
