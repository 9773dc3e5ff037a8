// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for xcoal-sim's inputs: any bytes as a pcap file (and
 * a small trace that parses is replayed through the model), after a
 * leading 'G' as a generator spec, after a leading 'K' as kernel trace
 * text (xcoal-sim --ktrace). Promises: an error has a reason and changes
 * nothing else; a parsed trace starts at 0 and never goes back; the model
 * delivers every packet of a trace that fits its ring and schedules no
 * wait longer than the point's deadline; a replay's counts add up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/xcoal-sim/ktrace.h"
#include "../../tools/xcoal-sim/sim.h"
#include "../../tools/xcoal-sim/trace.h"
#include "promise.h"

static void fuzz_spec(const u8 *data, size_t len)
{
	const char *why = NULL;
	struct xsim_gen g;
	char spec[96];

	if (len >= sizeof(spec))
		len = sizeof(spec) - 1;
	memcpy(spec, data, len);
	spec[len] = 0;
	if (xsim_gen_parse(spec, &g, &why)) {
		PROMISE(why);
		return;
	}
	PROMISE(g.bytes && g.bytes <= 65536 && g.rate_bps && g.duration_ns);
}

/* Kernel trace text, line by line, parsed and replayed. */
static void fuzz_ktrace(const u8 *data, size_t len)
{
	struct xsim_replay r = { 0 };
	const char *why = NULL;
	struct xsim_kev ev;
	char line[256];
	size_t n;
	int rc;

	while (len) {
		for (n = 0; n < len && n < sizeof(line) - 1 && data[n] != '\n'; n++)
			line[n] = data[n] ? data[n] : ' ';
		line[n] = 0;
		data += n < len ? n + 1 : n;
		len -= n < len ? n + 1 : n;
		why = NULL;
		rc = xsim_kev_parse(line, "q:rx", &ev, &why);
		PROMISE(rc >= -EINVAL && rc <= 1);
		if (rc < 0)
			PROMISE(why);
		if (rc != 1)
			continue;
		PROMISE(ev.usecs <= XCOAL_USECS_MAX && ev.threshold <= XCOAL_FRAMES_MAX);
		xsim_replay_event(&r, &ev);
	}
	PROMISE(r.notifications >= r.expiries + r.flushes);
	PROMISE(r.deferrals + r.notifications - r.expiries - r.flushes + r.unasked +
		r.joined <= r.pushes);
	PROMISE(r.late_joined <= r.joined && r.frames >= r.extra_frames);
}

int fuzz_one_input(const u8 *data, size_t len);
int fuzz_one_input(const u8 *data, size_t len)
{
	struct xsim_config c = {
		.params = { .usecs = 100, .frames = 8 },
		.ring_slots = 64, .wake_ns = 5000, .slot_ns = 100,
	};
	struct xsim_trace t = { 0 };
	struct xsim_result r;
	const char *why = NULL;
	size_t i;
	int err;

	if (len && data[0] == 'G') {
		fuzz_spec(data + 1, len - 1);
		return 0;
	}
	if (len && data[0] == 'K') {
		fuzz_ktrace(data + 1, len - 1);
		return 0;
	}
	err = xsim_pcap_parse(data, len, &t, &why);
	if (err) {
		PROMISE(why && (err == -EINVAL || err == -E2BIG || err == -ENOMEM));
		xsim_trace_free(&t);
		return 0;
	}
	PROMISE(t.count >= 1 && t.pkts[0].t_ns == 0);
	for (i = 1; i < t.count; i++)
		PROMISE(t.pkts[i].t_ns >= t.pkts[i - 1].t_ns);
	if (t.count <= 64 && !xsim_run(&c, &t, &r)) {
		PROMISE(r.packets == t.count);
		PROMISE(r.scheduled_max_ns <= 100000);
		xsim_result_free(&r);
	}
	xsim_trace_free(&t);
	return 0;
}
