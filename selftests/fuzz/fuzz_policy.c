// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the pure policy code: the input is a stream of
 * operations on a coalescer, an estimator and the parsers, with their
 * promises checked after each (and ASan/UBSan watching the arithmetic).
 * Run by `make fuzz` for a bounded time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen-coalesce/adaptive.h>
#include <xen-coalesce/classes.h>
#include <xen-coalesce/coalescer.h>
#include <xen-coalesce/nic_policy.h>

#include "promise.h"

struct input {
	const u8 *data;
	size_t len;
};

static u32 take(struct input *in, unsigned int bytes)
{
	u32 v = 0;

	while (bytes-- && in->len) {
		v = v << 8 | *in->data++;
		in->len--;
	}
	return v;
}

/* One NIC's hysteresis and profile: stricter never waits, looser only for the hold. */
static void fuzz_nic(struct input *in, struct xcoal_nic_relax *r, u64 *now)
{
	u32 want = xcoal_nic_usecs(take(in, 2), take(in, 2) % 1001);
	u32 hold = take(in, 2), before = r->applied, caps = take(in, 1) & 7;
	struct xcoal_nic_coalesce c = { take(in, 2), take(in, 1), take(in, 1) & 1 };
	struct xcoal_nic_coalesce was = c;
	bool was_active = r->active;
	enum xcoal_nic_step step;
	u64 wake = 0;

	*now += take(in, 2);
	if (take(in, 1) == 0xff)
		*now /= 2;	/* a clock going back */
	step = xcoal_nic_step(r, want, *now, hold, &wake);
	PROMISE(r->active && r->applied <= want);
	if (!was_active || want < before)
		PROMISE(step == XCOAL_NIC_APPLY && r->applied == want);
	if (step == XCOAL_NIC_WAIT)
		PROMISE(r->applied == before && before < want && wake > *now &&
			wake - *now <= hold);
	else
		PROMISE(r->applied == want && !r->waiting);
	if (xcoal_nic_profile(caps, want, &c)) {
		PROMISE(!(caps & XCOAL_NIC_CAN_RX_USECS) && !memcmp(&c, &was, sizeof(c)));
		return;
	}
	PROMISE(c.rx_usecs == want);
	PROMISE(c.adaptive_rx == ((caps & XCOAL_NIC_CAN_ADAPTIVE_RX) ? false : was.adaptive_rx));
	PROMISE(c.rx_frames == ((caps & XCOAL_NIC_CAN_RX_FRAMES) && !want ? 1 : was.rx_frames));
}

/* One field of a restore: own where ours still held, else left; kept when taken over. */
static void restore_promise(bool supported, u32 own, u32 ours, u32 now, u32 out, bool kept)
{
	if (!supported) {
		PROMISE(out == now && !kept);
		return;
	}
	PROMISE(out == (now == ours ? own : now));
	PROMISE(kept == (now != ours && now != own && own != ours));
}

/* Restore: only fields still holding ours go back; the rest is someone else's. */
static void fuzz_nic_restore(struct input *in)
{
	u32 caps = take(in, 1) & 7, kept;
	/* Small values, so that equal fields come up often. */
	struct xcoal_nic_coalesce own = { take(in, 1) & 3, take(in, 1) & 3, take(in, 1) & 1 };
	struct xcoal_nic_coalesce ours = { take(in, 1) & 3, take(in, 1) & 3, take(in, 1) & 1 };
	struct xcoal_nic_coalesce now = { take(in, 1) & 3, take(in, 1) & 3, take(in, 1) & 1 };
	struct xcoal_nic_coalesce c = now;

	kept = xcoal_nic_restore(caps, &own, &ours, &c);
	PROMISE(!(kept & ~caps));
	restore_promise(caps & XCOAL_NIC_CAN_RX_USECS, own.rx_usecs, ours.rx_usecs,
			now.rx_usecs, c.rx_usecs, kept & XCOAL_NIC_CAN_RX_USECS);
	restore_promise(caps & XCOAL_NIC_CAN_RX_FRAMES, own.rx_frames, ours.rx_frames,
			now.rx_frames, c.rx_frames, kept & XCOAL_NIC_CAN_RX_FRAMES);
	restore_promise(caps & XCOAL_NIC_CAN_ADAPTIVE_RX, own.adaptive_rx, ours.adaptive_rx,
			now.adaptive_rx, c.adaptive_rx, kept & XCOAL_NIC_CAN_ADAPTIVE_RX);
}

/*
 * Target and refusal search against a driver that accepts 0..max: a shared
 * NIC is never loosened, and the search ends, within 34 writes, on the
 * nearest accepted value at or below the one wanted.
 */
static void fuzz_nic_target(struct input *in, struct xcoal_nic_limit *l, u32 *max)
{
	struct xcoal_nic_coalesce own = { take(in, 2), take(in, 1), take(in, 1) & 1 };
	u32 modes = take(in, 1) & 7, adaptive = take(in, 2), share = take(in, 3);
	bool exclusive = take(in, 1) & 1;
	u32 bound = xcoal_nic_own_bound(&own, modes, adaptive);
	u32 t = xcoal_nic_target(share, bound, exclusive), u = 0;
	unsigned int writes;

	PROMISE(bound == own.rx_usecs || bound == adaptive);
	if (exclusive)
		PROMISE(t == share);
	else
		PROMISE(t == XCOAL_NIC_OWN ? share >= bound : t == share && share < bound);
	if (take(in, 1) == 0xff) {	/* another NIC, another driver */
		*l = (struct xcoal_nic_limit){ 0, U32_MAX };
		*max = take(in, 3);
	}
	for (writes = 0; writes < 34; writes++) {
		u = xcoal_nic_limit_try(l, share);
		PROMISE(u <= share);
		xcoal_nic_limit_learn(l, u, u <= *max);
		if (u <= *max && xcoal_nic_limit_try(l, share) == u)
			break;
	}
	PROMISE(writes < 34 && u == (share < *max ? share : *max));
}

static void fuzz_class_plan(struct input *in)
{
	struct xcoal_class_limits lim;
	struct xcoal_plan p;
	u32 class = take(in, 1) % 6, budget = take(in, 2);
	const char *why;

	lim.frames_max = take(in, 2) % 300;
	lim.c_usecs = take(in, 2);
	lim.front_follows = take(in, 1) & 1;
	if (xcoal_class_plan(class, budget, &lim, &p))
		return;
	PROMISE(!xcoal_params_check(&p.deliver, &why) && !xcoal_params_check(&p.complete, &why));
	PROMISE(!xcoal_params_check(&p.front_tx, &why) && !xcoal_params_check(&p.front_rx, &why));
	PROMISE(p.front_rx.frames <= p.deliver.frames);
	/* Only a following frontend's class C waits long on the TX path. */
	if (class != XCOAL_CLASS_C || !lim.front_follows) {
		PROMISE(p.complete.usecs <= XCOAL_TX_PATH_USECS_MAX);
		PROMISE(p.front_tx.usecs <= XCOAL_TX_PATH_USECS_MAX);
	}
	PROMISE(p.complete.usecs <= lim.c_usecs || class == XCOAL_CLASS_B);
	PROMISE(p.front_tx.usecs <= lim.c_usecs || class == XCOAL_CLASS_B);
	if (class == XCOAL_CLASS_A)
		PROMISE(!p.nic_usecs && !p.deliver.usecs && !p.front_rx.usecs);
	if (class == XCOAL_CLASS_B)
		PROMISE(p.nic_usecs + p.deliver.usecs <= budget &&
			p.nic_usecs + p.front_tx.usecs <= budget);
}

static void fuzz_parsers(struct input *in)
{
	size_t n = take(in, 1) % 16;
	enum xcoal_class class;
	const char *why;
	u32 v;

	if (n > in->len)
		n = in->len;
	if (!xcoal_budget_parse((const char *)in->data, n, &v, &why))
		PROMISE(v >= XCOAL_BUDGET_MIN_US && v <= XCOAL_BUDGET_MAX_US);
	if (!xcoal_class_parse((const char *)in->data, n, &class))
		PROMISE(class < XCOAL_CLASS_COUNT);
	if (!xcoal_u32_parse((const char *)in->data, n, &v)) {
		char buf[16];

		/* Digits only: printing the value gives them back, bar zeros. */
		snprintf(buf, sizeof(buf), "%u", v);
		PROMISE(strlen(buf) <= n);
	}
	in->data += n;
	in->len -= n;
}

/* libFuzzer's entry point; the Makefile maps the name (-D). */
int fuzz_one_input(const u8 *data, size_t len);

int fuzz_one_input(const u8 *data, size_t len)
{
	struct input in = { data, len };
	struct xcoal_params p = {}, q;
	struct xcoal_state s = { 0, false };
	struct xcoal_ewma e;
	struct xcoal_rate r = { 0, 0, false };
	struct xcoal_nic_relax nic = {};
	struct xcoal_nic_limit limit = { 0, U32_MAX };
	u32 limit_max = 1022;
	u64 now = 0, nic_now = 0;
	const char *why;
	bool was_armed;

	xcoal_ewma_init(&e, take(&in, 2) % 1000);
	while (in.len) {
		switch (take(&in, 1) % 11) {
		case 0:	/* untrusted parameters, as from xenstore */
			p.usecs = take(&in, 4);
			p.frames = take(&in, 4);
			p.adaptive = take(&in, 1) & 1;
			xcoal_params_clamp(&p);
			PROMISE(!xcoal_params_check(&p, &why));
			break;
		case 1: {
			enum xcoal_verdict verdict;
			u32 frames = take(&in, 1);
			u32 room = take(&in, 1) & 1 ? take(&in, 2) % 300 : U32_MAX;
			bool ask = take(&in, 1) & 1;
			bool owed = s.pending;

			verdict = xcoal_push_room(&s, &p, frames, ask, room, &was_armed);
			if (verdict == XCOAL_ARM)
				PROMISE(!owed && s.armed && s.pending);
			if (verdict == XCOAL_NOTIFY)
				PROMISE(!s.pending && !s.armed);
			if (!xcoal_params_enabled(&p))
				PROMISE(verdict != XCOAL_ARM);
			/* A blocked producer is never held. */
			if (!room && (owed || (ask && frames)))
				PROMISE(verdict != XCOAL_QUIET && verdict != XCOAL_ARM);
			break;
		}
		case 2:
			xcoal_expire(&s);
			PROMISE(!s.pending && !s.armed);
			break;
		case 3:
			xcoal_flush(&s, &was_armed);
			PROMISE(!s.pending && !s.armed);
			break;
		case 4:
			now += (u64)take(&in, 4) << (take(&in, 1) % 24);
			xcoal_rate_sample(&r, &e, now, take(&in, 4));
			PROMISE(xcoal_ewma_mean_ns(&e) <= XCOAL_EWMA_GAP_MAX_NS);
			PROMISE(xcoal_ewma_expected_gap_ns(&e) <= 5 * XCOAL_EWMA_GAP_MAX_NS);
			break;
		case 5: {
			u32 budget = take(&in, 2), fmax = take(&in, 2);

			if (xcoal_adapt(&e, budget, fmax, &q)) {
				PROMISE(q.usecs <= budget && q.frames >= 2 && q.frames <= fmax);
				PROMISE((u64)q.frames * xcoal_ewma_expected_gap_ns(&e) <=
					(u64)q.usecs * 1000);
			}
			PROMISE(!xcoal_params_check(&q, &why));
			break;
		}
		case 6:
			fuzz_class_plan(&in);
			break;
		case 7:
			fuzz_nic(&in, &nic, &nic_now);
			break;
		case 8:
			fuzz_nic_restore(&in);
			break;
		case 9:
			fuzz_nic_target(&in, &limit, &limit_max);
			break;
		default:
			fuzz_parsers(&in);
			break;
		}
	}
	return 0;
}
