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
 * The trial is decided by the order of two things, never by time: netback
 * asking the guest for more requests (the RX req_event io_ring_q0 shows:
 * netback releases what is owed before it writes it) and the point's
 * timer expiring. It is polled after step 3: a req_event moved while the
 * expiries have not is a look at a full ring with the fill still owed;
 * the point must have released it then. A trial whose timer expired
 * first (an emulated CPU can be starved for longer than the deadline) is
 * void: the guest heard of the fill from the timer, and nothing was owed
 * when the producer blocked.
 *
 * Prints "hook", "timer" or "void" and the counters: "hook" when the point
 * released what it owed as the producer blocked (its "blocked" counter
 * moved), "timer" when it did not: the guest heard of the fill at the
 * deadline (its refills then make room for the frame, which is delivered
 * and deferred in turn: a second expiry). Exits 0, or 1 with the failing
 * call.
 */
#include "vif-probe.h"

/*
 * Polls until netback asks the guest for more requests (its req_event
 * leaves @event0) or @end: 1 when it did so before the point's timer
 * expired (the expiries still @c1's), 0 when not, -1 when a file cannot
 * be read.
 */
static int looked_before_expiry(const char *ring, const char *point,
				unsigned int event0, const struct counters *c1,
				double end)
{
	struct counters c;
	struct rx_ring r;

	while (now_us() < end) {
		if (read_rx_ring(ring, &r))
			return -1;
		if (r.req_event != event0)
			return read_counters(point, &c) ? -1 :
			       c.expiries == c1->expiries;
		usleep(100);
	}
	return 0;
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
	unsigned char dst[6];
	struct counters c0, c1, c2;
	char ring[256];
	int fd, avail, fill = 0, n, looked;
	struct rx_ring r0;
	double start, last, end;
	const char *outcome;

	vif_probe_name = "rx-block";
	if (argc != 4 || parse_mac(argv[2], dst)) {
		fprintf(stderr, "usage: rx-block VIF MAC POINT-FILE\n");
		return 1;
	}
	snprintf(ring, sizeof(ring), "/sys/kernel/debug/xen-netback/%s/io_ring_q0",
		 argv[1]);
	fd = vif_socket(argv[1]);
	if (fd < 0)
		return 1;
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
	if (read_rx_ring(ring, &r0)) {
		fprintf(stderr, "rx-block: no RX ring in %s\n", ring);
		return 1;
	}
	last = now_us();
	n = send_frame(fd, dst, 16 * SLOT - 100);
	if (n < 0)
		return 1;
	end = now_us() + 2 * c0.usecs + 20000;
	looked = looked_before_expiry(ring, argv[3], r0.req_event, &c1, end);
	if (looked < 0) {
		fprintf(stderr, "rx-block: %s or %s unreadable\n", ring, argv[3]);
		return 1;
	}
	if (now_us() < end)
		usleep(end - now_us());
	if (read_counters(argv[3], &c2))
		return 1;
	/* Valid: the fill was one deferral, still owed when netback looked. */
	if (c1.deferred != c0.deferred + 1 || c1.expiries != c0.expiries ||
	    c1.blocked != c0.blocked || !looked)
		outcome = "void";
	else if (c2.blocked > c1.blocked)
		outcome = "hook";
	else
		outcome = "timer";
	printf("%s free %d fill %d then %d sent_after_us %.0f usecs %u looked_first %d",
	       outcome, avail, fill, n, last - start, c0.usecs, looked);
	printf(" deferred %llu+%llu expiries %llu+%llu",
	       c1.deferred - c0.deferred, c2.deferred - c1.deferred,
	       c1.expiries - c0.expiries, c2.expiries - c1.expiries);
	printf(" blocked %llu+%llu sent %llu+%llu\n",
	       c1.blocked - c0.blocked, c2.blocked - c1.blocked,
	       c1.sent - c0.sent, c2.sent - c1.sent);
	return 0;
}
