// SPDX-License-Identifier: GPL-2.0
/*
 * xcoal-sim's model of one coalescing point, in simulated time.
 *
 * A producer (netback delivering to a guest, say) pushes each packet's
 * slots to a ring the moment it arrives, or as soon as the peer has freed
 * room for it. The peer sleeps with its event armed: the first push after
 * that asks for a notification (the ring macro's answer). The point
 * decides with the project's own code (xcoal_push_room(), xcoal_expire(),
 * xcoal_flush(), and for an adaptive point the estimator and
 * xcoal_adapt()) exactly as coalesce/engine.c calls it. A notification
 * wakes the peer after wake_ns; it then consumes a slot every slot_ns and
 * sleeps again once the ring is empty. A producer that cannot push sends
 * what is owed at once, as netback's hook does. Only time is simulated:
 * no timer runs late, and no CPU is shared.
 */
#include <stdlib.h>
#include <string.h>

#include <xen-coalesce/adaptive.h>
#include <xen-coalesce/coalescer.h>

#include "sim.h"

#define XSIM_PAGE	4096u
#define XSIM_MTU_FRAME	1514u

/**
 * xsim_slots - the ring slots a packet takes
 * @bytes: its length
 *
 * One per page of data, and one more for a GSO packet's extra info.
 *
 * Return: at least 1.
 */
u32 xsim_slots(u32 bytes)
{
	u32 pages = (bytes + XSIM_PAGE - 1) / XSIM_PAGE;

	return (pages ? pages : 1) + (bytes > XSIM_MTU_FRAME);
}

enum xsim_peer {
	XSIM_ASLEEP,
	XSIM_WAKING,
	XSIM_AWAKE,
};

struct xsim_world {
	const struct xsim_config *c;
	const struct xsim_trace *t;
	struct xsim_result *r;
	struct xcoal_state st;
	struct xcoal_params live;
	struct xcoal_ewma ewma;
	struct xcoal_rate rate;
	void *dim;
	u32 frames;
	u64 prod;
	u64 cons;
	size_t arrived;
	size_t pushed;
	size_t owed_from;
	size_t done;
	u64 done_slots;
	enum xsim_peer peer;
	bool asked;
	u64 peer_at;
	bool armed;
	u64 deadline;
};

/* Everything pushed so far is visible to the peer from @now. */
static void xsim_visible(struct xsim_world *w, u64 now)
{
	size_t i;

	for (i = w->owed_from; i < w->pushed; i++)
		w->r->delay_ns[i] = now - w->t->pkts[i].t_ns;
	w->owed_from = w->pushed;
}

/* A notification: the peer learns of everything pushed, and wakes. */
static void xsim_send(struct xsim_world *w, u64 now, u64 *counter)
{
	(*counter)++;
	xsim_visible(w, now);
	if (w->peer == XSIM_ASLEEP) {
		w->peer = XSIM_WAKING;
		w->peer_at = now + w->c->wake_ns;
	}
}

/* Push what has arrived while the ring has room, deciding each push. */
static void xsim_push(struct xsim_world *w, u64 now)
{
	const struct xsim_config *c = w->c;
	enum xcoal_verdict v;
	u32 s, room;
	bool asks, was_armed;

	while (w->pushed < w->arrived) {
		s = xsim_slots(w->t->pkts[w->pushed].bytes);
		if (w->prod - w->cons + s > c->ring_slots) {
			/* Blocked: what is owed goes now (netback's hook). */
			if (xcoal_flush(&w->st, &was_armed)) {
				w->armed = false;
				xsim_send(w, now, &w->r->notify_blocked);
			}
			return;
		}
		w->prod += s;
		w->frames += s;
		w->r->slots += s;
		w->pushed++;
		room = c->ring_slots - (u32)(w->prod - w->cons);
		asks = w->peer == XSIM_ASLEEP && !w->asked;
		w->asked |= asks;
		if (c->params.adaptive && c->dim) {
			c->dim->sample(w->dim, now, w->r->notify_push +
				       w->r->notify_deadline + w->r->notify_blocked,
				       w->frames, &w->live.usecs, &w->live.frames);
		} else if (c->params.adaptive) {
			xcoal_rate_sample(&w->rate, &w->ewma, now, w->frames);
			xcoal_adapt(&w->ewma, c->params.usecs,
				    xcoal_params_frames_ceiling(&c->params), &w->live);
		}
		v = xcoal_push_room(&w->st, &w->live, s, asks, room, &was_armed);
		if (v == XCOAL_ARM) {
			w->r->deferrals++;
			w->armed = true;
			w->deadline = now + (u64)w->live.usecs * 1000;
			if ((u64)w->live.usecs * 1000 > w->r->scheduled_max_ns)
				w->r->scheduled_max_ns = (u64)w->live.usecs * 1000;
		} else if (v == XCOAL_NOTIFY) {
			if (was_armed)
				w->armed = false;
			xsim_send(w, now, !room && xcoal_params_enabled(&w->live) ?
				  &w->r->notify_blocked : &w->r->notify_push);
		} else if (!w->st.pending) {
			/* The peer is awake (or waking): it sees this at once. */
			xsim_visible(w, now);
		}
	}
}

/* The packets whose last slot the peer has consumed are done from @now. */
static void xsim_consumed(struct xsim_world *w, u64 now)
{
	u32 s;

	while (w->done < w->pushed) {
		s = xsim_slots(w->t->pkts[w->done].bytes);
		if (w->cons - w->done_slots < s)
			break;
		w->done_slots += s;
		w->r->done_ns[w->done++] = now;
	}
}

/* The peer's next step: start consuming, consume a slot, or sleep. */
static void xsim_peer_step(struct xsim_world *w, u64 now)
{
	if (w->peer == XSIM_AWAKE) {
		w->cons++;
		xsim_consumed(w, now);
		xsim_push(w, now);
	}
	w->peer = XSIM_AWAKE;
	if (w->cons < w->prod) {
		w->peer_at = now + w->c->slot_ns;
		return;
	}
	/* Empty: the event armed again, it sleeps. */
	w->peer = XSIM_ASLEEP;
	w->asked = false;
}

static int xsim_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * xsim_delays_sorted - a run's per-packet delays, in ascending order
 * @r: the run
 *
 * Return: a copy of @r->packets delays to free(), or NULL (none, or no
 * memory).
 */
u64 *xsim_delays_sorted(const struct xsim_result *r)
{
	size_t n = r->packets;
	u64 *d;

	if (!n)
		return NULL;
	d = malloc(n * sizeof(*d));
	if (!d)
		return NULL;
	memcpy(d, r->delay_ns, n * sizeof(*d));
	qsort(d, n, sizeof(*d), xsim_cmp);
	return d;
}

static void xsim_percentiles(struct xsim_result *r)
{
	u64 *d = xsim_delays_sorted(r);
	size_t n = r->packets;

	if (!d)
		return;
	r->p50_ns = d[(n - 1) / 2];
	r->p99_ns = d[(size_t)((n - 1) * 0.99)];
	r->p999_ns = d[(size_t)((n - 1) * 0.999)];
	r->max_ns = d[n - 1];
	free(d);
}

/**
 * xsim_run - replay a trace through one point
 * @c: the point and its world; @c->params checked by xcoal_params_check()
 *	(or adaptive)
 * @t: the packets, in arrival order
 * @r: the counts, zeroed first; free with xsim_result_free()
 *
 * Return: 0, -EINVAL for a ring smaller than a packet, -ENOMEM.
 */
int xsim_run(const struct xsim_config *c, const struct xsim_trace *t,
	     struct xsim_result *r)
{
	struct xsim_world w = { .c = c, .t = t, .r = r, .live = c->params };
	u64 now = 0, next;
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < t->count; i++)
		if (xsim_slots(t->pkts[i].bytes) > c->ring_slots)
			return -EINVAL;
	r->delay_ns = calloc(t->count ? t->count : 1, sizeof(*r->delay_ns));
	r->done_ns = calloc(t->count ? t->count : 1, sizeof(*r->done_ns));
	if (!r->delay_ns || !r->done_ns) {
		xsim_result_free(r);
		return -ENOMEM;
	}
	if (c->params.adaptive) {
		w.live = (struct xcoal_params){ 0 };
		xcoal_ewma_init(&w.ewma, XCOAL_EWMA_ALPHA_DEFAULT);
	}
	if (c->params.adaptive && c->dim) {
		w.dim = c->dim->start(c->params.usecs,
				      xcoal_params_frames_ceiling(&c->params),
				      &w.live.usecs, &w.live.frames);
		if (!w.dim) {
			xsim_result_free(r);
			return -ENOMEM;
		}
	}
	for (;;) {
		next = U64_MAX;
		if (w.peer != XSIM_ASLEEP)
			next = w.peer_at;
		if (w.armed && w.deadline < next)
			next = w.deadline;
		if (w.arrived < t->count && t->pkts[w.arrived].t_ns < next)
			next = t->pkts[w.arrived].t_ns;
		if (next == U64_MAX)
			break;
		now = next;
		if (w.peer != XSIM_ASLEEP && w.peer_at == now) {
			xsim_peer_step(&w, now);
		} else if (w.armed && w.deadline == now) {
			w.armed = false;
			r->expiries++;
			if (xcoal_expire(&w.st))
				xsim_send(&w, now, &r->notify_deadline);
		} else {
			r->bytes += t->pkts[w.arrived].bytes;
			w.arrived++;
			xsim_push(&w, now);
		}
	}
	if (w.dim)
		c->dim->stop(w.dim);
	r->packets = w.pushed;
	r->end_ns = now;
	xsim_percentiles(r);
	return 0;
}

void xsim_result_free(struct xsim_result *r)
{
	free(r->delay_ns);
	free(r->done_ns);
	r->delay_ns = NULL;
	r->done_ns = NULL;
}
