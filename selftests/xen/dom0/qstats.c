// SPDX-License-Identifier: GPL-2.0
/*
 * qstats IFNAME: the per-queue statistics netdev-genl reports for IFNAME
 * (Linux 6.9 and later: the netdev family's qstats-get, queue scope),
 * one line per queue and direction:
 *
 *   rx 0 packets 12 bytes 3456
 *   tx 0 packets 7 bytes 890
 *
 * A counter the driver does not report is left out of its line. Exits 0;
 * 2 when the kernel or the device has no per-queue statistics (the
 * message says which); 1 on any other failure. No libraries: the harness
 * builds it static with the build host's headers, which may predate
 * qstats, so the few ABI values it needs are its own.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <sys/socket.h>

/* include/uapi/linux/netdev.h of Linux 6.9+: the qstats ABI. */
enum {
	QS_CMD_GET = 12,	/* NETDEV_CMD_QSTATS_GET */
	QS_IFINDEX = 1,		/* NETDEV_A_QSTATS_IFINDEX */
	QS_QUEUE_TYPE = 2,
	QS_QUEUE_ID = 3,
	QS_SCOPE = 4,
	QS_RX_PACKETS = 8,
	QS_RX_BYTES = 9,
	QS_TX_PACKETS = 10,
	QS_TX_BYTES = 11,
	QS_SCOPE_QUEUE = 1,	/* NETDEV_QSTATS_SCOPE_QUEUE */
	QS_TYPE_RX = 0,		/* NETDEV_QUEUE_TYPE_RX */
};

#define BUF_SIZE 32768	/* a dump's part is at most 32 KiB */

struct request {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[64];
};

static int put_attr(struct request *r, __u16 type, const void *data, __u16 len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	if (NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(*r))
		return -1;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return 0;
}

static void request_init(struct request *r, __u16 family, __u8 cmd, __u16 flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = family;
	r->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nh.nlmsg_seq = 1;
	r->gh.cmd = cmd;
	r->gh.version = 1;
}

/* A "uint" attribute: the kernel sends 4 bytes when the value fits, else 8. */
static int attr_uint(const struct nlattr *a, __u64 *v)
{
	__u32 v32;

	if (a->nla_len == NLA_HDRLEN + 8) {
		memcpy(v, (const char *)a + NLA_HDRLEN, 8);
		return 0;
	}
	if (a->nla_len == NLA_HDRLEN + 4) {
		memcpy(&v32, (const char *)a + NLA_HDRLEN, 4);
		*v = v32;
		return 0;
	}
	return -1;
}

/*
 * Calls @fn at the start of each message of the reply to @r (a dump or
 * not) and on each of its attributes; returns 0, or the negative errno
 * the kernel answered.
 */
static int transact(int fd, struct request *r,
		    void (*fn)(const struct nlattr *a, int first, void *ctx), void *ctx)
{
	static char buf[BUF_SIZE];
	struct nlmsghdr *nh;
	struct nlattr *a;
	ssize_t n;
	int len;

	if (send(fd, r, r->nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				/* A dump's error comes in its DONE message. */
				int err = 0;

				if (nh->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
					memcpy(&err, NLMSG_DATA(nh), sizeof(err));
				return err < 0 ? err : 0;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				return e->error;
			}
			len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			a = (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
			fn(NULL, 1, ctx);
			for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
			     len -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
				fn(a, 0, ctx);
			/* A dump ends at DONE (its parts need not say MULTI). */
			if (!(r->nh.nlmsg_flags & NLM_F_DUMP))
				return 0;
		}
	}
}

static void family_id(const struct nlattr *a, int first, void *ctx)
{
	if (!first && (a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
		memcpy(ctx, (const char *)a + NLA_HDRLEN, sizeof(__u16));
}

struct queue_line {
	int open;
	__u64 type, id, packets, bytes;
	int have_packets, have_bytes;
};

static void flush_line(struct queue_line *q)
{
	if (!q->open)
		return;
	printf("%s %llu", q->type == QS_TYPE_RX ? "rx" : "tx", (unsigned long long)q->id);
	if (q->have_packets)
		printf(" packets %llu", (unsigned long long)q->packets);
	if (q->have_bytes)
		printf(" bytes %llu", (unsigned long long)q->bytes);
	printf("\n");
	memset(q, 0, sizeof(*q));
}

static void queue_stat(const struct nlattr *a, int first, void *ctx)
{
	struct queue_line *q = ctx;
	__u64 v;

	if (first) {
		flush_line(q);
		q->open = 1;
		return;
	}
	if (attr_uint(a, &v))
		return;
	switch (a->nla_type & NLA_TYPE_MASK) {
	case QS_QUEUE_TYPE:
		q->type = v;
		break;
	case QS_QUEUE_ID:
		q->id = v;
		break;
	case QS_RX_PACKETS:
	case QS_TX_PACKETS:
		q->packets = v;
		q->have_packets = 1;
		break;
	case QS_RX_BYTES:
	case QS_TX_BYTES:
		q->bytes = v;
		q->have_bytes = 1;
		break;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct queue_line q = { 0 };
	__u32 ifindex, scope = QS_SCOPE_QUEUE;
	__u16 family = 0;
	struct request r;
	int fd, err;

	if (argc != 2) {
		fprintf(stderr, "usage: qstats IFNAME\n");
		return 1;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "qstats: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "qstats: netlink: %s\n", strerror(errno));
		return 1;
	}

	request_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, "netdev", sizeof("netdev"));
	err = transact(fd, &r, family_id, &family);
	if (err || !family) {
		fprintf(stderr, "qstats: no netdev netlink family: %s\n", strerror(-err));
		return 2;
	}

	request_init(&r, family, QS_CMD_GET, NLM_F_DUMP);
	put_attr(&r, QS_IFINDEX, &ifindex, sizeof(ifindex));
	put_attr(&r, QS_SCOPE, &scope, sizeof(scope));
	err = transact(fd, &r, queue_stat, &q);
	flush_line(&q);
	close(fd);
	if (err == -EOPNOTSUPP || err == -EINVAL) {
		fprintf(stderr, "qstats: %s: no per-queue statistics (%s)\n", argv[1],
			strerror(-err));
		return 2;
	}
	if (err) {
		fprintf(stderr, "qstats: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}
