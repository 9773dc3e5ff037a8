// SPDX-License-Identifier: GPL-2.0
/*
 * udp-flood: PROCS processes each send SIZE-byte UDP datagrams to
 * ADDR:PORT as fast as they can for SECS seconds, with no server needed:
 * enough to keep a device's qdisc backlogged, so that the driver gets
 * packets in batches (xmit_more). Send errors (no route while the device
 * is gone) are counted, not fatal.
 *
 * usage: udp-flood ADDR PORT SIZE PROCS SECS
 * prints: "sent N failed M" summed over the processes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct counts {
	unsigned long sent, failed;
};

static void flood(const struct sockaddr_in *to, size_t size, time_t end,
		  struct counts *c)
{
	char buf[65536] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	while (time(NULL) < end) {
		if (sendto(fd, buf, size, 0, (const struct sockaddr *)to,
			   sizeof(*to)) == (ssize_t)size)
			__atomic_add_fetch(&c->sent, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&c->failed, 1, __ATOMIC_RELAXED);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct counts *c;
	size_t size;
	time_t end;
	int procs, i;

	if (argc != 6 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "usage: udp-flood ADDR PORT SIZE PROCS SECS\n");
		return 2;
	}
	to.sin_port = htons(atoi(argv[2]));
	size = strtoul(argv[3], NULL, 10);
	procs = atoi(argv[4]);
	if (size < 1 || size > 65507 || procs < 1 || procs > 64) {
		fprintf(stderr, "udp-flood: SIZE 1..65507, PROCS 1..64\n");
		return 2;
	}
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED) {
		perror("udp-flood: mmap");
		return 1;
	}
	end = time(NULL) + atoi(argv[5]);
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			flood(&to, size, end, c);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	printf("sent %lu failed %lu\n", c->sent, c->failed);
	return 0;
}
