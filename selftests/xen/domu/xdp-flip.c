// SPDX-License-Identifier: GPL-2.0
/*
 * xdp-flip IFNAME SECS: attach and detach a native (driver mode) XDP
 * program that passes every packet, again and again for SECS seconds
 * (once at least). xdp-flip IFNAME attach|detach: attach it once and
 * leave it attached, or detach what is attached. An interface that does
 * not exist yet is waited for (30 s at most, polled every millisecond),
 * and the first attach follows at once: a netfront that has just
 * registered its device is still connecting.
 * Each attach and detach makes xen-netfront renegotiate its receive
 * headroom with the backend while it holds rtnl. Prints the number of
 * flips done and exits 0, or says which call failed and exits 1.
 *
 * No libbpf in the test domU: the program is two instructions loaded with
 * bpf(2) and attached with one rtnetlink message.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int xdp_pass_prog(void)
{
	struct bpf_insn insns[] = {
		/* r0 = XDP_PASS; exit */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	return syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

/* Attach @fd in driver mode, or detach with -1; 0 or -errno. */
static int xdp_set(int nl, int ifindex, int fd)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
		char rest[256];
	} ack;
	struct rtattr *xdp, *a;
	int len;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.nh.nlmsg_type = RTM_SETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = ifindex;
	xdp = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	xdp->rta_type = IFLA_XDP | NLA_F_NESTED;
	xdp->rta_len = RTA_LENGTH(0);
	a = (struct rtattr *)((char *)xdp + xdp->rta_len);
	a->rta_type = IFLA_XDP_FD;
	a->rta_len = RTA_LENGTH(sizeof(int));
	memcpy(RTA_DATA(a), &fd, sizeof(int));
	xdp->rta_len += RTA_ALIGN(a->rta_len);
	a = (struct rtattr *)((char *)xdp + xdp->rta_len);
	a->rta_type = IFLA_XDP_FLAGS;
	a->rta_len = RTA_LENGTH(sizeof(__u32));
	*(__u32 *)RTA_DATA(a) = XDP_FLAGS_DRV_MODE;
	xdp->rta_len += RTA_ALIGN(a->rta_len);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + xdp->rta_len;

	if (send(nl, &req, req.nh.nlmsg_len, 0) < 0)
		return -errno;
	len = recv(nl, &ack, sizeof(ack), 0);
	if (len < 0)
		return -errno;
	if (ack.nh.nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ack.err.error;
}

int main(int argc, char **argv)
{
	int ifindex, prog, nl, err;
	unsigned long flips = 0;
	time_t end;

	if (argc != 3) {
		fprintf(stderr, "usage: xdp-flip IFNAME SECS|attach|detach\n");
		return 2;
	}
	for (int i = 0; i < 30000; i++) {
		ifindex = if_nametoindex(argv[1]);
		if (ifindex)
			break;
		usleep(1000);
	}
	if (!ifindex) {
		fprintf(stderr, "xdp-flip: no interface %s\n", argv[1]);
		return 1;
	}
	prog = xdp_pass_prog();
	if (prog < 0) {
		perror("xdp-flip: BPF_PROG_LOAD");
		return 1;
	}
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl < 0) {
		perror("xdp-flip: netlink socket");
		return 1;
	}
	if (!strcmp(argv[2], "attach") || !strcmp(argv[2], "detach")) {
		err = xdp_set(nl, ifindex, argv[2][0] == 'a' ? prog : -1);
		if (err) {
			fprintf(stderr, "xdp-flip: %s: %s\n", argv[2], strerror(-err));
			return 1;
		}
		printf("%sed\n", argv[2]);
		return 0;
	}
	end = time(NULL) + atoi(argv[2]);
	do {
		err = xdp_set(nl, ifindex, prog);
		if (!err)
			err = xdp_set(nl, ifindex, -1);
		if (err) {
			fprintf(stderr, "xdp-flip: after %lu flips: %s\n", flips, strerror(-err));
			return 1;
		}
		flips++;
	} while (time(NULL) < end);
	printf("%lu\n", flips);
	return 0;
}
