// SPDX-License-Identifier: GPL-2.0
/*
 * xcoal-sim: replay a packet trace (pcap, or generated) through one or
 * more coalescing points configured by class or by explicit settings,
 * with the project's own decision code, and report per point and in
 * total notifications, timer expiries, wake-ups per packet and per MB,
 * the blocked-producer flushes and the distribution of the delay until
 * the peer can see each packet. Each run also replays the trace with
 * coalescing off, as the reference.
 *
 * See Documentation/sim.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen-coalesce/classes.h>

#include "ktrace.h"
#include "points.h"

static const char *const xsim_usage[] = {
	"usage: xcoal-sim (--gen SPEC | --pcap FILE) [POINTS] [POLICY] [WORLD] [--json]",
	"       xcoal-sim --ktrace FILE --point NAME [--json]",
	"  --gen SPEC      const:RATE:BYTES:DURATION, poisson:RATE:BYTES:DURATION[:SEED],",
	"                  onoff:RATE:BYTES:DURATION:ON:OFF, tcp:RATE:BYTES:DURATION:WINDOW:RTT",
	"                  (RATE in bit/s with k/m/g, times with ns/us/ms/s)",
	"  --pcap FILE     arrival times and wire lengths from a classic pcap file",
	"  --window FROM:TO  only the file's packets from FROM to TO (ns since the epoch)",
	"points (default: deliver):",
	"  --points LIST   deliver, front_rx, front_tx, complete; rx (deliver, front_rx),",
	"                  tx (front_tx, complete), all; comma-separated. A direction's",
	"                  second point sees its packets as the first's peer consumes them",
	"  --tx-gen SPEC, --tx-pcap FILE   the guest-TX direction's packets (front_tx,",
	"                  complete); default: the same as the guest-RX direction's",
	"policy (default: class C):",
	"  --class A|B|C   the class's plan for each point",
	"  --budget US     class B's budget (default 100)",
	"  --ceiling US    class C's ceiling (default 4000, netback's class_c_usecs)",
	"  --frames-max N  classes B and C's frame threshold (default 64)",
	"  --usecs US --frames N [--adaptive]   explicit settings for every point",
	"  --dim           with --adaptive: lib/dim's net_dim, not the estimator",
	"world:",
	"  --ring SLOTS    the ring's size (default 256)",
	"  --wake-us US    notification to the peer consuming (default 5)",
	"  --slot-ns NS    the peer's time per slot (default 100)",
	"kernel trace:",
	"  --ktrace FILE   the xen_coalesce trace events (tracefs' text) of one point,",
	"  --point NAME    named as the events name it (\"vif1.0-q0:rx\"), replayed",
	"                  through the decision code with the engine's inputs and timer",
	"                  firings; every verdict is compared with the engine's",
	"output:",
	"  --json          JSON instead of the table",
	"  --cdf FILE      the first point's delays with coalescing on, 200 quantiles:",
	"                  lines of \"delay_us fraction\" (for plots)",
};

static void print_usage(FILE *f)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xsim_usage); i++)
		fprintf(f, "%s\n", xsim_usage[i]);
}

static int number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return end == s || *end || errno || s[0] == '-' || *out > max ? -EINVAL : 0;
}

/* The delays' distribution at 200 quantiles, for a plot. */
static int write_cdf(const char *path, const struct xsim_result *r)
{
	u64 *d = xsim_delays_sorted(r);
	size_t n = r->packets;
	unsigned int q;
	FILE *f;

	if (n && !d) {
		errno = ENOMEM;
		return -1;
	}
	f = fopen(path, "w");
	if (!f) {
		free(d);
		return -1;
	}
	for (q = 0; n && q <= 200; q++)
		fprintf(f, "%.3f %.3f\n",
			d[(size_t)((n - 1) * (q / 200.0))] / 1e3, q / 200.0);
	free(d);
	return fclose(f);
}

static void report_text(const char *name, const char *mode, const struct xsim_result *r)
{
	u64 notes = r->notify_push + r->notify_deadline + r->notify_blocked;
	double mb = r->bytes / 1e6, pk = r->packets ? (double)r->packets : 1;
	char label[32];

	snprintf(label, sizeof(label), "%s%s%s", name, *name ? " " : "", mode);
	printf("%-13s %9llu %9llu %9llu %8llu %8llu %8.3f %9.1f %8.1f %8.1f %8.1f %8.1f\n",
	       label, (unsigned long long)r->packets, (unsigned long long)notes,
	       (unsigned long long)r->expiries, (unsigned long long)r->notify_blocked,
	       (unsigned long long)r->deferrals, (notes + r->expiries) / pk,
	       mb > 0 ? (notes + r->expiries) / mb : 0,
	       r->p50_ns / 1e3, r->p99_ns / 1e3, r->p999_ns / 1e3, r->max_ns / 1e3);
}

/* One run's counts, as a JSON object (no newline). */
static void report_json_object(const struct xsim_result *r)
{
	u64 notes = r->notify_push + r->notify_deadline + r->notify_blocked;

	printf("{\"packets\": %llu, \"bytes\": %llu, \"slots\": %llu, ",
	       (unsigned long long)r->packets, (unsigned long long)r->bytes,
	       (unsigned long long)r->slots);
	printf("\"notifications\": %llu, \"at_push\": %llu, \"at_deadline\": %llu, ",
	       (unsigned long long)notes, (unsigned long long)r->notify_push,
	       (unsigned long long)r->notify_deadline);
	printf("\"blocked_flushes\": %llu, \"timer_expiries\": %llu, \"deferrals\": %llu, ",
	       (unsigned long long)r->notify_blocked, (unsigned long long)r->expiries,
	       (unsigned long long)r->deferrals);
	printf("\"scheduled_max_ns\": %llu, \"wakeups_per_packet\": %.6f, ",
	       (unsigned long long)r->scheduled_max_ns,
	       r->packets ? (double)(notes + r->expiries) / r->packets : 0);
	printf("\"wakeups_per_mb\": %.3f, ",
	       r->bytes ? (notes + r->expiries) / (r->bytes / 1e6) : 0);
	printf("\"delay_ns\": {\"p50\": %llu, \"p99\": %llu, \"p999\": %llu, \"max\": %llu}}",
	       (unsigned long long)r->p50_ns, (unsigned long long)r->p99_ns,
	       (unsigned long long)r->p999_ns, (unsigned long long)r->max_ns);
}

static void report_json(const char *name, const struct xsim_result *r, const char *sep)
{
	printf("  \"%s\": ", name);
	report_json_object(r);
	printf("%s\n", sep);
}

/* Each point's runs, one line each, in a "points" array. */
static void report_json_points(const struct xsim_point_run *runs, unsigned int n)
{
	unsigned int i;

	printf("  \"points\": [\n");
	for (i = 0; i < n; i++) {
		printf("    {\"point\": \"%s\", \"usecs\": %u, ", xsim_point_names[runs[i].point],
		       runs[i].params.usecs);
		printf("\"frames\": %u, \"adaptive\": %s, \"off\": ",
		       runs[i].params.frames, runs[i].params.adaptive ? "true" : "false");
		report_json_object(&runs[i].off);
		printf(", \"on\": ");
		report_json_object(&runs[i].on);
		printf("}%s\n", i + 1 < n ? "," : "");
	}
	printf("  ],\n");
}

/* A trace from a generator spec or a pcap file (cut to a window). */
static int load_trace(const char *gen, const char *pcap, bool window,
		      unsigned long long from, unsigned long long to,
		      struct xsim_trace *t)
{
	const char *why = NULL;
	struct xsim_gen g;
	int err;

	if (gen) {
		err = xsim_gen_parse(gen, &g, &why);
		if (!err)
			err = xsim_generate(&g, t, &why);
	} else {
		err = xsim_pcap_read(pcap, t, &why);
		if (!err && window)
			err = xsim_trace_window(t, from, to, &why);
	}
	if (err)
		fprintf(stderr, "xcoal-sim: %s: %s\n", gen ? gen : pcap, why);
	return err;
}

/* --ktrace: replay a point's kernel trace and report what it decided. */
static int ktrace_main(const char *path, const char *point, bool json)
{
	struct xsim_replay r;
	unsigned long line;
	const char *why;
	FILE *f = fopen(path, "r");
	int err;

	if (!f) {
		fprintf(stderr, "xcoal-sim: %s: %s\n", path, strerror(errno));
		return 1;
	}
	err = xsim_replay_file(f, point, &r, &line, &why);
	fclose(f);
	if (err) {
		fprintf(stderr, "xcoal-sim: %s:%lu: %s\n", path, line, why);
		return 1;
	}
	if (json) {
		printf("{\"point\": \"%s\", \"pushes\": %llu, \"frames\": %llu, ", point,
		       (unsigned long long)r.pushes, (unsigned long long)r.frames);
		printf("\"deferrals\": %llu, \"notifications\": %llu, \"expiries\": %llu, ",
		       (unsigned long long)r.deferrals, (unsigned long long)r.notifications,
		       (unsigned long long)r.expiries);
		printf("\"flushes\": %llu, \"mismatches\": %llu, \"unasked\": %llu, ",
		       (unsigned long long)r.flushes, (unsigned long long)r.mismatches,
		       (unsigned long long)r.unasked);
		printf("\"joined\": %llu, \"late_joined\": %llu, \"extra_frames\": %llu}\n",
		       (unsigned long long)r.joined, (unsigned long long)r.late_joined,
		       (unsigned long long)r.extra_frames);
	} else {
		printf("%s: %llu pushes, %llu frames, %llu deferrals, %llu notifications ",
		       point, (unsigned long long)r.pushes, (unsigned long long)r.frames,
		       (unsigned long long)r.deferrals, (unsigned long long)r.notifications);
		printf("(%llu by the deadline, %llu flushed), %llu verdicts not the engine's\n",
		       (unsigned long long)r.expiries, (unsigned long long)r.flushes,
		       (unsigned long long)r.mismatches);
		printf("the platform's share: %llu pushes unasked, %llu joined a wait ",
		       (unsigned long long)r.unasked, (unsigned long long)r.joined);
		printf("(%llu after its deadline), %llu frames beyond one a push\n",
		       (unsigned long long)r.late_joined, (unsigned long long)r.extra_frames);
	}
	return r.mismatches ? 3 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "gen", required_argument, NULL, 'g' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "window", required_argument, NULL, 'W' },
		{ "points", required_argument, NULL, 'P' },
		{ "tx-gen", required_argument, NULL, 'G' },
		{ "tx-pcap", required_argument, NULL, 'T' },
		{ "class", required_argument, NULL, 'c' },
		{ "budget", required_argument, NULL, 'b' },
		{ "ceiling", required_argument, NULL, 'C' },
		{ "frames-max", required_argument, NULL, 'M' },
		{ "usecs", required_argument, NULL, 'u' },
		{ "frames", required_argument, NULL, 'f' },
		{ "adaptive", no_argument, NULL, 'a' },
		{ "dim", no_argument, NULL, 'D' },
		{ "ring", required_argument, NULL, 'r' },
		{ "wake-us", required_argument, NULL, 'w' },
		{ "slot-ns", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "cdf", required_argument, NULL, 'd' },
		{ "ktrace", required_argument, NULL, 'k' },
		{ "point", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xcoal_class_limits lim = {
		.frames_max = 64, .c_usecs = 4000, .front_follows = true,
	};
	struct xsim_config cfg = { .ring_slots = 256, .wake_ns = 5000, .slot_ns = 100 };
	struct xsim_trace t = { 0 }, tx_t = { 0 };
	struct xsim_point_run runs[XSIM_POINTS];
	struct xcoal_params p[XSIM_POINTS];
	struct xsim_result on_r, off_r;
	unsigned int mask = 1u << XSIM_DELIVER, n = 0, i;
	enum xcoal_class class = XCOAL_CLASS_C;
	unsigned long v, budget = XCOAL_BUDGET_DEFAULT_US;
	bool explicit = false, json = false, have_usecs = false, window = false;
	const char *why = NULL, *gen = NULL, *pcap = NULL, *cdf = NULL;
	const char *tx_gen = NULL, *tx_pcap = NULL, *ktrace = NULL, *point = NULL;
	unsigned long long win_from = 0, win_to = 0;
	char junk;
	struct xcoal_plan plan;
	char name[32];
	int o, err;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'g':
			gen = optarg;
			break;
		case 'W':
			if (sscanf(optarg, "%llu:%llu%c", &win_from, &win_to, &junk) != 2 ||
			    win_from > win_to)
				goto bad;
			window = true;
			break;
		case 'p':
			pcap = optarg;
			break;
		case 'P':
			if (xsim_points_parse(optarg, &mask, &why)) {
				fprintf(stderr, "xcoal-sim: --points %s: %s\n", optarg, why);
				return 2;
			}
			break;
		case 'G':
			tx_gen = optarg;
			break;
		case 'T':
			tx_pcap = optarg;
			break;
		case 'c':
			if (xcoal_class_parse(optarg, strlen(optarg), &class) ||
			    class == XCOAL_CLASS_NONE)
				goto bad;
			break;
		case 'b':
			if (number(optarg, XCOAL_BUDGET_MAX_US, &budget))
				goto bad;
			break;
		case 'C':
			if (number(optarg, XCOAL_USECS_MAX, &v))
				goto bad;
			lim.c_usecs = v;
			break;
		case 'M':
			if (number(optarg, XCOAL_FRAMES_MAX, &v))
				goto bad;
			lim.frames_max = v;
			break;
		case 'u':
			if (number(optarg, XCOAL_USECS_MAX, &v))
				goto bad;
			cfg.params.usecs = v;
			explicit = true;
			have_usecs = true;
			break;
		case 'f':
			if (number(optarg, XCOAL_FRAMES_MAX, &v))
				goto bad;
			cfg.params.frames = v;
			explicit = true;
			break;
		case 'a':
			cfg.params.adaptive = true;
			explicit = true;
			break;
		case 'D':
			cfg.dim = &xsim_net_dim;
			break;
		case 'r':
			if (number(optarg, 1u << 16, &v) || !v)
				goto bad;
			cfg.ring_slots = v;
			break;
		case 'w':
			if (number(optarg, 1000000, &v))
				goto bad;
			cfg.wake_ns = v * 1000;
			break;
		case 's':
			if (number(optarg, 1000000000, &v))
				goto bad;
			cfg.slot_ns = v;
			break;
		case 'j':
			json = true;
			break;
		case 'd':
			cdf = optarg;
			break;
		case 'k':
			ktrace = optarg;
			break;
		case 'n':
			point = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (ktrace || point) {
		if (optind != argc || !ktrace || !point || gen || pcap || tx_gen || tx_pcap ||
		    window || explicit)
			goto bad;
		return ktrace_main(ktrace, point, json);
	}
	if (optind != argc || !gen == !pcap || (explicit && !have_usecs && !cfg.params.adaptive) ||
	    (cfg.dim && !cfg.params.adaptive) || (window && !pcap && !tx_pcap) ||
	    (tx_gen && tx_pcap) ||
	    ((tx_gen || tx_pcap) && !(mask & (1u << XSIM_FRONT_TX | 1u << XSIM_COMPLETE))))
		goto bad;
	if (explicit) {
		if (xcoal_params_check(&cfg.params, &why)) {
			fprintf(stderr, "xcoal-sim: settings refused: %s\n", why);
			return 2;
		}
		snprintf(name, sizeof(name), "%s%u/%u",
			 cfg.dim ? "net_dim " : cfg.params.adaptive ? "adapt " : "",
			 cfg.params.usecs, cfg.params.frames);
		for (i = 0; i < XSIM_POINTS; i++)
			p[i] = cfg.params;
	} else {
		if (xcoal_class_plan(class, budget, &lim, &plan)) {
			fprintf(stderr, "xcoal-sim: no plan for that class and budget\n");
			return 2;
		}
		xsim_plan_params(&plan, p);
		snprintf(name, sizeof(name), "class %s", xcoal_class_name(class));
	}
	err = load_trace(gen, pcap, window, win_from, win_to, &t);
	if (!err && (tx_gen || tx_pcap))
		err = load_trace(tx_gen, tx_pcap, window, win_from, win_to, &tx_t);
	if (!err && xsim_run_points(&cfg, p, mask, &t, tx_gen || tx_pcap ? &tx_t : &t,
				    runs, &n)) {
		fprintf(stderr, "xcoal-sim: a packet larger than the ring, or no memory\n");
		err = 1;
	}
	if (err) {
		xsim_trace_free(&t);
		xsim_trace_free(&tx_t);
		return 1;
	}
	/* The first point's parameters head the report, as a single point's. */
	cfg.params = runs[0].params;
	xsim_total(runs, n, false, &off_r);
	xsim_total(runs, n, true, &on_r);
	if (cdf && write_cdf(cdf, &runs[0].on)) {
		fprintf(stderr, "xcoal-sim: %s: %s\n", cdf, strerror(errno));
		err = 1;
	}
	if (json) {
		printf("{\n  \"policy\": \"%s\", \"usecs\": %u, ", name, cfg.params.usecs);
		printf("\"frames\": %u, \"adaptive\": %s,\n", cfg.params.frames,
		       cfg.params.adaptive ? "true" : "false");
		printf("  \"ring_slots\": %u, \"wake_ns\": %llu, \"slot_ns\": %llu,\n",
		       cfg.ring_slots, (unsigned long long)cfg.wake_ns,
		       (unsigned long long)cfg.slot_ns);
		report_json_points(runs, n);
		report_json("off", &off_r, ",");
		report_json("on", &on_r, "");
		printf("}\n");
	} else {
		printf("%s (%u us, %u frames%s), ring %u, wake %llu us, %llu ns/slot, ",
		       name, cfg.params.usecs, cfg.params.frames,
		       cfg.params.adaptive ? ", adaptive" : "", cfg.ring_slots,
		       (unsigned long long)cfg.wake_ns / 1000, (unsigned long long)cfg.slot_ns);
		printf("%llu packets in %.3f ms\n", (unsigned long long)on_r.packets,
		       on_r.end_ns / 1e6);
		printf("%-13s %9s %9s %9s %8s %8s %8s %9s %8s %8s %8s %8s\n", "point", "packets",
		       "notifs", "expiries", "blocked", "deferred", "wake/pkt", "wake/MB",
		       "p50 us", "p99 us", "p99.9 us", "max us");
		for (i = 0; i < n; i++) {
			report_text(xsim_point_names[runs[i].point], "off", &runs[i].off);
			report_text(xsim_point_names[runs[i].point], "on", &runs[i].on);
		}
		if (n > 1) {
			report_text("total", "off", &off_r);
			report_text("total", "on", &on_r);
		}
	}
	xsim_point_runs_free(runs, n);
	xsim_trace_free(&t);
	xsim_trace_free(&tx_t);
	return err;
bad:
	print_usage(stderr);
	return 2;
}

