// SPDX-License-Identifier: GPL-2.0
/*
 * Holds one socket with SO_TIMESTAMP open for as long as it runs, so that
 * the kernel's netstamp_needed_key stays on. Every ping started and ended
 * in dom0 switched that static key, patching __netif_receive_skb_core()
 * with int3 while netback's softirq ran it; on the debug kernel under TCG
 * one such patch trapped for good ("int3: 0000 [#1]" at
 * __netif_receive_skb_core+0x34, a panic in coalesce_teardown). The
 * harness's runner starts this before the tests: the key never switches.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof(one))) {
		perror("tstamp-hold");
		return 1;
	}
	for (;;)
		pause();
}
