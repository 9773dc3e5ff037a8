// SPDX-License-Identifier: GPL-2.0
/*
 * tx-stamps: send COUNT UDP datagrams to ADDR:PORT from a socket that asks
 * for software TX timestamps (SOF_TIMESTAMPING_TX_SOFTWARE), and count the
 * timestamps its error queue returns. A driver that drops the packet's
 * socket before it timestamps the packet returns none.
 *
 * usage: tx-stamps ADDR PORT COUNT
 * prints: "sent N stamped M"; exits 0 when it could send, 1 otherwise.
 */
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Read every timestamp the error queue holds now; returns how many. */
static int drain(int fd)
{
	char data[64], control[512];
	int n = 0;

	for (;;) {
		struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control, .msg_controllen = sizeof(control),
		};
		struct cmsghdr *c;

		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return n;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			struct scm_timestamping ts;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPING)
				continue;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			if (ts.ts[0].tv_sec || ts.ts[0].tv_nsec)
				n++;
		}
	}
}

int main(int argc, char **argv)
{
	int flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
		    SOF_TIMESTAMPING_OPT_TSONLY;
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd, i, count, sent = 0, stamped = 0;
	char payload[64] = "tx-stamps";

	if (argc != 4 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: tx-stamps ADDR PORT COUNT\n");
		return 2;
	}
	to.sin_port = htons(atoi(argv[2]));
	count = atoi(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags))) {
		perror("tx-stamps: socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&to,
			   sizeof(to)) == sizeof(payload))
			sent++;
		stamped += drain(fd);
		usleep(1000);
	}
	/* The last packets wait for the deadline of the guest's TX events. */
	for (i = 0; i < 40 && stamped < sent; i++) {
		struct pollfd p = { .fd = fd, .events = 0 };

		poll(&p, 1, 50);
		stamped += drain(fd);
	}
	printf("sent %d stamped %d\n", sent, stamped);
	return sent ? 0 : 1;
}
