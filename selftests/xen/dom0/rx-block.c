// SPDX-License-Identifier: GPL-2.0
/*
 * rx-block VIF MAC POINT-FILE: one trial of "a packet that no longer fits
 * in the guest's RX ring releases the event owed to it at once".
 *
 * With the guest idle (it consumed everything and waits for an event),
 * the vif's deliveries deferred (tx-usecs U, tx-frames 256) and the vif's
 * MTU raised so that one frame takes many slots, the trial writes frames
 * straight into the vif (AF_PACKET: no bridge, ARP or TCP involved; the
 * guest drops them, they are for an address nobody holds):
 *  1. fill: frames of 15 slots, then 1-slot frames, until 8 of the guest's
 *     posted buffers are left; the guest hears nothing (one deferral, room
 *     left at every push);
 *  2. it waits until netback has pushed them all (the point's "frames"
 *     counter in debugfs), so that its RX queue is empty;
 *  3. one frame of 16 slots, which cannot fit: netback's RX thread finds
 *     too few slots for it, after its last push.
 * The trial is void when the deadline may run out before netback's RX
 * thread sees the frame of step 3: the point's timer expired before it was
 * sent, or less than MARGIN_US of the deadline was left (the timer was
 * armed at the first push, after the trial began). The guest then hears of
 * the fill from the timer, and nothing is owed when the producer blocks.
 *
 * Prints "hook", "timer" or "void" and the counters: "hook" when the point
 * released what it owed as the producer blocked (its "blocked" counter
 * moved), "timer" when it did not: the guest heard of the fill at the
 * deadline (its refills then make room for the frame, which is delivered
 * and deferred in turn: a second expiry). Exits 0, or 1 with the failing
 * call.
 */
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
#define MARGIN_US 1000

struct counters {
	unsigned long long frames, sent, deferred, expiries, blocked;
	unsigned int usecs;
};

/* The number after "@key " in @line, or 0. */
static unsigned long long field(const char *line, const char *key)
{
	char k[32];
	const char *at;

	snprintf(k, sizeof(k), " %s ", key);
	at = strstr(line, k);
	return at ? strtoull(at + strlen(k), NULL, 10) : 0;
}

/* The deliveries' point ("rx") in the vif's xen-coalesce debugfs file. */
static int read_counters(const char *file, struct counters *c)
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

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/*
 * Free requests on the guest's RX ring, from netback's io_ring_q0, once
 * the guest waits for an event (it consumed every response: its rsp_event
 * is one past rsp_prod), so that the fill's first push is deferred; -1
 * when it does not within 2 s.
 */
static int ring_avail_idle(const char *file)
{
	char line[256];
	unsigned int prod, cons, rsp, pvt, event;
	int rx, got;
	double end = now_us() + 2e6;
	FILE *f;

	do {
		f = fopen(file, "r");
		if (!f)
			return -1;
		rx = 0;
		got = 0;
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "RX:", 3))
				rx = 1;
			else if (rx && sscanf(line, "req prod %u (%*d) cons %u", &prod, &cons) == 2)
				got |= 1;
			else if (rx && sscanf(line, "rsp prod %u (base) pvt %u (%*d) event %u",
					      &rsp, &pvt, &event) == 3)
				got |= 2;
		}
		fclose(f);
		if (got == 3 && pvt == rsp && event == rsp + 1)
			return prod - cons;
		usleep(10000);
	} while (now_us() < end);
	return -1;
}

static unsigned char frame[65536];

/* A TCP frame of @len bytes on the wire; returns the slots it takes. */
static int send_frame(int fd, const unsigned char *dst, int len)
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
		perror("rx-block: send");
		return -1;
	}
	return (len + SLOT - 1) / SLOT;
}

static int wait_frames(const char *file, unsigned long long frames)
{
	struct counters c;
	double end = now_us() + 5e6;

	while (now_us() < end) {
		if (read_counters(file, &c) == 0 && c.frames >= frames)
			return 0;
	}
	fprintf(stderr, "rx-block: netback pushed %llu of %llu slots in 5 s\n",
		c.frames, frames);
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned char dst[6];
	struct counters c0, c1, c2;
	char ring[256];
	int fd, avail, fill = 0, n;
	double start, last;
	const char *outcome;

	if (argc != 4 || sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dst[0],
				&dst[1], &dst[2], &dst[3], &dst[4], &dst[5]) != 6) {
		fprintf(stderr, "usage: rx-block VIF MAC POINT-FILE\n");
		return 1;
	}
	snprintf(ring, sizeof(ring), "/sys/kernel/debug/xen-netback/%s/io_ring_q0",
		 argv[1]);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("rx-block: AF_PACKET");
		return 1;
	}
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("rx-block: bind to the vif");
		return 1;
	}
	avail = ring_avail_idle(ring);
	if (avail < 40 || read_counters(argv[3], &c0)) {
		fprintf(stderr, "rx-block: guest not idle (%d free in %s) or no %s\n",
			avail, ring, argv[3]);
		return 1;
	}
	start = now_us();
	/* Leave 8 free: 15-slot frames while they fit, then 1-slot ones. */
	while (avail - fill - 15 >= 8) {
		n = send_frame(fd, dst, 15 * SLOT);
		if (n < 0)
			return 1;
		fill += n;
	}
	while (avail - fill > 8) {
		n = send_frame(fd, dst, 64);
		if (n < 0)
			return 1;
		fill += n;
	}
	if (wait_frames(argv[3], c0.frames + fill) || read_counters(argv[3], &c1))
		return 1;
	last = now_us();
	n = send_frame(fd, dst, 16 * SLOT - 100);
	if (n < 0)
		return 1;
	usleep(2 * c0.usecs + 20000);
	if (read_counters(argv[3], &c2))
		return 1;
	/* Valid: the fill was one deferral, still owed when the frame went. */
	if (c1.deferred != c0.deferred + 1 || c1.expiries != c0.expiries ||
	    c1.blocked != c0.blocked || last - start > c0.usecs - MARGIN_US)
		outcome = "void";
	else if (c2.blocked > c1.blocked)
		outcome = "hook";
	else
		outcome = "timer";
	printf("%s free %d fill %d then %d sent_after_us %.0f usecs %u",
	       outcome, avail, fill, n, last - start, c0.usecs);
	printf(" deferred %llu+%llu expiries %llu+%llu",
	       c1.deferred - c0.deferred, c2.deferred - c1.deferred,
	       c1.expiries - c0.expiries, c2.expiries - c1.expiries);
	printf(" blocked %llu+%llu sent %llu+%llu\n",
	       c1.blocked - c0.blocked, c2.blocked - c1.blocked,
	       c1.sent - c0.sent, c2.sent - c1.sent);
	return 0;
}
