/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What dom0's test helpers (rx-block, rx-stop) share: a vif's deliveries
 * point as its xen-coalesce debugfs file shows it, the guest's RX ring as
 * netback's io_ring_q0 shows it, and frames written straight into the vif
 * with AF_PACKET.
 */
#ifndef VIF_PROBE_H
#define VIF_PROBE_H

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOT 4096
#define HDRS (14 + 20 + 20)

/* The helper's name, for its messages. */
static const char *vif_probe_name = "vif-probe";

struct counters {
	unsigned long long frames, sent, deferred, expiries, blocked;
	unsigned int usecs;
};

/* The number after "@key " in @line, or 0. */
static inline unsigned long long field(const char *line, const char *key)
{
	char k[32];
	const char *at;

	snprintf(k, sizeof(k), " %s ", key);
	at = strstr(line, k);
	return at ? strtoull(at + strlen(k), NULL, 10) : 0;
}

/* The deliveries' point ("rx") in the vif's xen-coalesce debugfs file. */
static inline int read_counters(const char *file, struct counters *c)
{
	char line[512];
	int got = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "rx: usecs %u", &c->usecs) == 1)
			got |= 1;
		if (!strncmp(line, "rx: frames ", 11)) {
			c->frames = strtoull(line + 11, NULL, 10);
			c->sent = field(line, "sent");
			c->deferred = field(line, "deferred");
			c->expiries = field(line, "expiries");
			c->blocked = field(line, "blocked");
			got |= 2;
		}
	}
	fclose(f);
	return got == 3 ? 0 : -1;
}

static inline double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The guest's RX ring, as netback's io_ring_q0 shows it. */
struct rx_ring {
	unsigned int req_prod, req_cons, req_event, rsp_prod, rsp_pvt, rsp_event;
};

static inline int read_rx_ring(const char *file, struct rx_ring *r)
{
	char line[256];
	int rx = 0, got = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "RX:", 3))
			rx = 1;
		else if (rx && sscanf(line, "req prod %u (%*d) cons %u (%*d) event %u",
				      &r->req_prod, &r->req_cons, &r->req_event) == 3)
			got |= 1;
		else if (rx && sscanf(line, "rsp prod %u (base) pvt %u (%*d) event %u",
				      &r->rsp_prod, &r->rsp_pvt, &r->rsp_event) == 3)
			got |= 2;
	}
	fclose(f);
	return got == 3 ? 0 : -1;
}

/*
 * Free requests on the guest's RX ring, from netback's io_ring_q0, once
 * the guest waits for an event (it consumed every response: its rsp_event
 * is one past rsp_prod), so that the fill's first push is deferred; -1
 * when it does not within 2 s.
 */
static inline int ring_avail_idle(const char *file)
{
	struct rx_ring r;
	double end = now_us() + 2e6;

	do {
		if (read_rx_ring(file, &r) == 0 && r.rsp_pvt == r.rsp_prod &&
		    r.rsp_event == r.rsp_prod + 1)
			return r.req_prod - r.req_cons;
		usleep(10000);
	} while (now_us() < end);
	return -1;
}

static unsigned char frame[65536];

/*
 * A TCP frame of @len bytes on the wire, to @dst; returns the slots it
 * takes. Its IP header checksum is left 0 (wrong): the guest drops it and
 * counts it (Ip InCsumErrors), and nothing answers.
 */
static inline int send_frame(int fd, const unsigned char *dst, int len)
{
	unsigned char *eth = frame;
	struct iphdr *ip = (struct iphdr *)(eth + 14);
	struct tcphdr *tcp = (struct tcphdr *)(ip + 1);

	memset(frame, 0, HDRS);
	memcpy(eth, dst, 6);
	memcpy(eth + 6, "\x02\x00\x00\x00\x00\x01", 6);
	eth[12] = 0x08;
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len - 14);
	ip->ttl = 1;
	ip->protocol = IPPROTO_TCP;
	/* Link-local addresses nobody holds: the guest drops the frame. */
	ip->saddr = htonl(0xa9fec801);	/* 169.254.200.1 */
	ip->daddr = htonl(0xa9fec802);	/* 169.254.200.2 */
	tcp->source = htons(9);
	tcp->dest = htons(9);
	tcp->doff = 5;
	tcp->ack = 1;
	if (send(fd, frame, len, 0) != len) {
		fprintf(stderr, "%s: send: %s\n", vif_probe_name, strerror(errno));
		return -1;
	}
	return (len + SLOT - 1) / SLOT;
}

/* An AF_PACKET socket bound to @vif, or -1 (said on stderr). */
static inline int vif_socket(const char *vif)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd < 0) {
		fprintf(stderr, "%s: AF_PACKET: %s\n", vif_probe_name, strerror(errno));
		return -1;
	}
	sll.sll_ifindex = if_nametoindex(vif);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "%s: bind to %s: %s\n", vif_probe_name, vif, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* "aa:bb:cc:dd:ee:ff" into @mac; 0 or -1. */
static inline int parse_mac(const char *s, unsigned char *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

#endif /* VIF_PROBE_H */
