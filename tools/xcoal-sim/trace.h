/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xcoal-sim's packet sources: arrival times and lengths from a pcap file or
 * from a generator (constant rate, Poisson, on/off bursts, a TCP-like
 * window). Pure user space; the readers are unit-tested and fuzzed.
 */
#ifndef _XCOAL_SIM_TRACE_H
#define _XCOAL_SIM_TRACE_H

#include <xen-coalesce/compat.h>

/* One packet: when it reaches the producer, and its length in bytes. */
struct xsim_pkt {
	u64 t_ns;
	u32 bytes;
};

/*
 * A whole trace, in arrival order; @start_ns: a pcap file's first packet's
 * own time (ns since the epoch), from which the packets' times count.
 */
struct xsim_trace {
	struct xsim_pkt *pkts;
	size_t count;
	size_t cap;
	u64 start_ns;
};

enum xsim_gen_kind {
	XSIM_GEN_CONST,
	XSIM_GEN_POISSON,
	XSIM_GEN_ONOFF,
	XSIM_GEN_TCP,
};

/**
 * struct xsim_gen - a generated stream
 * @kind: its shape
 * @bytes: every packet's length
 * @rate_bps: the bit rate while sending (all kinds)
 * @duration_ns: how long the stream lasts
 * @on_ns: on/off: the length of a burst
 * @off_ns: on/off: the silence between bursts
 * @window: TCP: packets sent back to back per round trip
 * @rtt_ns: TCP: the round trip
 * @seed: Poisson: the generator's seed
 */
struct xsim_gen {
	enum xsim_gen_kind kind;
	u32 bytes;
	u64 rate_bps;
	u64 duration_ns;
	u64 on_ns;
	u64 off_ns;
	u32 window;
	u64 rtt_ns;
	u64 seed;
};

/* The most packets a trace may hold: a limit, not an allocation. */
#define XSIM_TRACE_MAX		(64u << 20)

int xsim_trace_add(struct xsim_trace *t, u64 t_ns, u32 bytes);
void xsim_trace_free(struct xsim_trace *t);
int xsim_generate(const struct xsim_gen *g, struct xsim_trace *out,
		  const char **why);
int xsim_pcap_parse(const u8 *buf, size_t len, struct xsim_trace *out,
		    const char **why);
int xsim_pcap_read(const char *path, struct xsim_trace *out, const char **why);
int xsim_trace_window(struct xsim_trace *t, u64 from_ns, u64 to_ns, const char **why);
int xsim_gen_parse(const char *spec, struct xsim_gen *g, const char **why);

#endif /* _XCOAL_SIM_TRACE_H */
