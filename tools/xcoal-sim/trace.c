// SPDX-License-Identifier: GPL-2.0
/*
 * xcoal-sim's packet sources: the pcap reader and the generators.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define NS_PER_SEC	1000000000ull
/* The largest record pcap tools write (tcpdump's maximum snaplen). */
#define XSIM_PCAP_RECORD_MAX	262144u

int xsim_trace_add(struct xsim_trace *t, u64 t_ns, u32 bytes)
{
	struct xsim_pkt *p;
	size_t cap;

	if (t->count == t->cap) {
		if (t->cap >= XSIM_TRACE_MAX)
			return -E2BIG;
		cap = t->cap ? 2 * t->cap : 1024;
		p = realloc(t->pkts, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		t->pkts = p;
		t->cap = cap;
	}
	t->pkts[t->count++] = (struct xsim_pkt){ t_ns, bytes };
	return 0;
}

void xsim_trace_free(struct xsim_trace *t)
{
	free(t->pkts);
	*t = (struct xsim_trace){ 0 };
}

/* ns a packet of @bytes takes on the wire at @rate_bps, at least 1. */
static u64 wire_ns(u32 bytes, u64 rate_bps)
{
	u64 ns = (u64)bytes * 8 * NS_PER_SEC / rate_bps;

	return ns ? ns : 1;
}

/* xorshift64*: a small, seedable, reproducible generator. */
static double uniform(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	/* 53 random bits, in (0, 1]. */
	return ((*s * 0x2545F4914F6CDD1Dull >> 11) + 1) / 9007199254740992.0;
}

/**
 * xsim_generate - a generated stream
 * @g: its description
 * @out: the trace, appended to
 * @why: set to the reason on an error
 *
 * Return: 0, -EINVAL for a description that makes no stream, -E2BIG or
 * -ENOMEM when it does not fit.
 */
int xsim_generate(const struct xsim_gen *g, struct xsim_trace *out,
		  const char **why)
{
	u64 gap, t = 0, s = g->seed ? g->seed : 1, burst_end = 0;
	u32 sent = 0;
	int err = 0;

	if (!g->bytes || !g->rate_bps || !g->duration_ns) {
		*why = "a stream needs a packet size, a rate and a duration";
		return -EINVAL;
	}
	if ((g->kind == XSIM_GEN_ONOFF && !g->on_ns) ||
	    (g->kind == XSIM_GEN_TCP && (!g->window || !g->rtt_ns))) {
		*why = "on/off needs its burst length, tcp its window and round trip";
		return -EINVAL;
	}
	gap = wire_ns(g->bytes, g->rate_bps);
	if (g->kind == XSIM_GEN_ONOFF)
		burst_end = g->on_ns;
	while (t < g->duration_ns && !err) {
		err = xsim_trace_add(out, t, g->bytes);
		switch (g->kind) {
		case XSIM_GEN_CONST:
			t += gap;
			break;
		case XSIM_GEN_POISSON:
			t += (u64)(-log(uniform(&s)) * (double)gap) + 1;
			break;
		case XSIM_GEN_ONOFF:
			t += gap;
			if (t >= burst_end) {
				t = burst_end + g->off_ns;
				burst_end = t + g->on_ns;
			}
			break;
		case XSIM_GEN_TCP:
			/* A window back to back, then the rest of the round trip. */
			t += gap;
			if (++sent == g->window) {
				sent = 0;
				burst_end += g->rtt_ns > (u64)g->window * gap ?
					     g->rtt_ns : (u64)g->window * gap;
				t = burst_end;
			}
			break;
		}
	}
	if (err)
		*why = err == -E2BIG ? "more packets than a trace holds" : "out of memory";
	return err;
}

static u32 get32(const u8 *p, int swap)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap32(v) : v;
}

/**
 * xsim_pcap_parse - packets from a classic pcap file's bytes
 * @buf: the file
 * @len: its length
 * @out: the trace, appended to (times from the first packet)
 * @why: set to the reason on an error
 *
 * Microsecond and nanosecond files of either byte order. A packet's
 * length is its length on the wire (orig_len), not what was captured.
 *
 * Return: 0, or -EINVAL for a malformed file (with @why), -E2BIG or
 * -ENOMEM.
 */
int xsim_pcap_parse(const u8 *buf, size_t len, struct xsim_trace *out,
		    const char **why)
{
	u64 frac_per_sec, t0 = 0, last = 0, t;
	u32 magic, sec, frac, incl, orig;
	size_t off = 24, n = 0;
	int swap, err;

	if (len < 24) {
		*why = "too short for a pcap file header";
		return -EINVAL;
	}
	memcpy(&magic, buf, sizeof(magic));
	swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	magic = swap ? __builtin_bswap32(magic) : magic;
	if (magic == 0xa1b2c3d4u) {
		frac_per_sec = 1000000;
	} else if (magic == 0xa1b23c4du) {
		frac_per_sec = NS_PER_SEC;
	} else {
		*why = magic == 0x0a0d0d0au ? "pcapng is not read: convert it (editcap -F pcap)" :
			"not a pcap file (bad magic)";
		return -EINVAL;
	}
	while (off < len) {
		if (len - off < 16) {
			*why = "a record header is cut short";
			return -EINVAL;
		}
		sec = get32(buf + off, swap);
		frac = get32(buf + off + 4, swap);
		incl = get32(buf + off + 8, swap);
		orig = get32(buf + off + 12, swap);
		off += 16;
		if (frac >= frac_per_sec) {
			*why = "a timestamp's fraction is out of range";
			return -EINVAL;
		}
		if (incl > XSIM_PCAP_RECORD_MAX || incl > len - off) {
			*why = "a record is longer than the file or any capture";
			return -EINVAL;
		}
		off += incl;
		t = (u64)sec * NS_PER_SEC + frac * (NS_PER_SEC / frac_per_sec);
		if (!n) {
			t0 = t;
			out->start_ns = t;
		} else if (t < last) {
			*why = "timestamps go back in time";
			return -EINVAL;
		}
		last = t;
		err = xsim_trace_add(out, t - t0, orig ? orig : incl);
		if (err) {
			*why = err == -E2BIG ? "more packets than a trace holds" : "out of memory";
			return err;
		}
		n++;
	}
	if (!n) {
		*why = "no packet in the file";
		return -EINVAL;
	}
	return 0;
}

/**
 * xsim_pcap_read - packets from a pcap file
 * @path: the file
 * @out: the trace, appended to
 * @why: set to the reason on an error
 *
 * Return: 0, a negative errno from reading the file, or xsim_pcap_parse()'s.
 */
int xsim_pcap_read(const char *path, struct xsim_trace *out, const char **why)
{
	u8 *buf = NULL, *p;
	size_t len = 0, cap = 0, got;
	FILE *f = fopen(path, "rb");
	int err;

	if (!f) {
		*why = strerror(errno);
		return -errno;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				*why = "out of memory";
				return -ENOMEM;
			}
			buf = p;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (err)
		*why = "read error";
	else
		err = xsim_pcap_parse(buf, len, out, why);
	free(buf);
	return err;
}

/* "10g", "1500", "100ms": a number with an optional scale suffix. */
static int scaled(const char *s, const char *const *names, const u64 *scales,
		  u64 *out)
{
	char *end;
	unsigned long long v;
	unsigned int i;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno || s[0] == '-')
		return -EINVAL;
	for (i = 0; names[i]; i++) {
		if (!strcmp(end, names[i])) {
			if (v > U64_MAX / scales[i])
				return -EINVAL;
			*out = v * scales[i];
			return 0;
		}
	}
	return -EINVAL;
}

static int rate(const char *s, u64 *bps)
{
	static const char *const n[] = { "", "k", "m", "g", NULL };
	static const u64 k[] = { 1, 1000, 1000000, 1000000000 };

	return scaled(s, n, k, bps);
}

static int duration(const char *s, u64 *ns)
{
	static const char *const n[] = { "ns", "us", "ms", "s", NULL };
	static const u64 k[] = { 1, 1000, 1000000, NS_PER_SEC };

	return scaled(s, n, k, ns);
}

/**
 * xsim_gen_parse - a generator from its command-line description
 * @spec: KIND:RATE:BYTES:DURATION[:A:B], e.g. const:10g:1500:100ms,
 *	poisson:1g:1500:1s[:SEED], onoff:10g:1500:1s:ON:OFF,
 *	tcp:10g:65536:1s:WINDOW:RTT
 * @g: filled
 * @why: set to the reason on an error
 *
 * Return: 0 or -EINVAL.
 */
int xsim_gen_parse(const char *spec, struct xsim_gen *g, const char **why)
{
	char buf[256], *f[7], *save = NULL, *tok;
	u64 bytes, window;
	int n = 0;

	*g = (struct xsim_gen){ 0 };
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ":", &save); tok && n < 7; tok = strtok_r(NULL, ":", &save))
		f[n++] = tok;
	if (tok || n < 4)
		goto bad;
	if (!strcmp(f[0], "const") && n == 4)
		g->kind = XSIM_GEN_CONST;
	else if (!strcmp(f[0], "poisson") && n <= 5)
		g->kind = XSIM_GEN_POISSON;
	else if (!strcmp(f[0], "onoff") && n == 6)
		g->kind = XSIM_GEN_ONOFF;
	else if (!strcmp(f[0], "tcp") && n == 6)
		g->kind = XSIM_GEN_TCP;
	else
		goto bad;
	if (rate(f[1], &g->rate_bps) || rate(f[2], &bytes) || !bytes || bytes > 65536 ||
	    duration(f[3], &g->duration_ns))
		goto bad;
	g->bytes = bytes;
	if (g->kind == XSIM_GEN_POISSON && n == 5 && rate(f[4], &g->seed))
		goto bad;
	if (g->kind == XSIM_GEN_ONOFF &&
	    (duration(f[4], &g->on_ns) || duration(f[5], &g->off_ns) || !g->on_ns))
		goto bad;
	if (g->kind == XSIM_GEN_TCP) {
		if (rate(f[4], &window) || !window || window > 65536 || duration(f[5], &g->rtt_ns))
			goto bad;
		g->window = window;
	}
	if (!g->rate_bps || !g->duration_ns)
		goto bad;
	return 0;
bad:
	*why = "expected KIND:RATE:BYTES:DURATION[:...] (see xcoal-sim --help)";
	return -EINVAL;
}

/**
 * xsim_trace_window - keep a pcap trace's packets from @from_ns to @to_ns
 * @t: the trace (its times count from @t->start_ns)
 * @from_ns: the window's start, ns since the epoch
 * @to_ns: its end, inclusive
 * @why: set to the reason on an error
 *
 * The packets kept count their times from the first of them, as a trace
 * read from a file of just those would.
 *
 * Return: 0, or -EINVAL for an empty window (with @why).
 */
int xsim_trace_window(struct xsim_trace *t, u64 from_ns, u64 to_ns, const char **why)
{
	size_t i, n = 0;
	u64 base = 0, at;

	for (i = 0; i < t->count; i++) {
		at = t->start_ns + t->pkts[i].t_ns;
		if (at < from_ns || at > to_ns)
			continue;
		if (!n)
			base = at;
		t->pkts[n].t_ns = at - base;
		t->pkts[n++].bytes = t->pkts[i].bytes;
	}
	if (!n) {
		*why = "no packet in the window";
		return -EINVAL;
	}
	t->count = n;
	t->start_ns = base;
	return 0;
}
