// SPDX-License-Identifier: GPL-2.0
/*
 * A queue's coalescing counters as ethtool -S shows them: the counters an
 * operator watches (debugfs keeps the histograms), per queue and per
 * point, named after debugfs' lines ("q0_coal_tx_deferred" is the
 * "tx: ... deferred" of the queue's debugfs file).
 */
#include <linux/ethtool.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include <xen-coalesce/engine.h>

static const char * const xcoal_point_names[] = { "tx", "rx" };

static const struct {
	const char *name;
	size_t offset;
} xcoal_counters[] = {
	{ "frames", offsetof(struct xcoal_stats, frames) },
	{ "sent", offsetof(struct xcoal_stats, sent) },
	{ "deferred", offsetof(struct xcoal_stats, deferred) },
	{ "expiries", offsetof(struct xcoal_stats, expiries) },
	{ "flushes", offsetof(struct xcoal_stats, flushes) },
	{ "caught_up", offsetof(struct xcoal_stats, caught_up) },
	{ "blocked", offsetof(struct xcoal_stats, blocked) },
};

static_assert(XCOAL_QUEUE_N_STATS ==
	      ARRAY_SIZE(xcoal_point_names) * ARRAY_SIZE(xcoal_counters));

/**
 * xcoal_queue_get_strings - the names of queue @qid's counters
 * @qid: the queue's index
 * @data: where to write XCOAL_QUEUE_N_STATS names; advanced past them
 */
void xcoal_queue_get_strings(unsigned int qid, u8 **data)
{
	unsigned int p, c;

	for (p = 0; p < ARRAY_SIZE(xcoal_point_names); p++)
		for (c = 0; c < ARRAY_SIZE(xcoal_counters); c++)
			ethtool_sprintf(data, "q%u_coal_%s_%s", qid,
					xcoal_point_names[p],
					xcoal_counters[c].name);
}
EXPORT_SYMBOL_GPL(xcoal_queue_get_strings);

/**
 * xcoal_queue_get_ethtool_stats - a queue's counters, in the names' order
 * @q: the queue, or NULL for a queue that does not exist (now): zeros
 * @data: where to write XCOAL_QUEUE_N_STATS values; advanced past them
 *
 * Each point's counters are one consistent copy (xcoal_point_get_stats()).
 */
void xcoal_queue_get_ethtool_stats(struct xcoal_queue *q, u64 **data)
{
	struct xcoal_point *points[] = { q ? &q->tx : NULL, q ? &q->rx : NULL };
	struct xcoal_stats s;
	unsigned int p, c;

	for (p = 0; p < ARRAY_SIZE(points); p++) {
		if (points[p])
			xcoal_point_get_stats(points[p], &s);
		else
			memset(&s, 0, sizeof(s));
		for (c = 0; c < ARRAY_SIZE(xcoal_counters); c++)
			*(*data)++ = *(u64 *)((u8 *)&s + xcoal_counters[c].offset);
	}
}
EXPORT_SYMBOL_GPL(xcoal_queue_get_ethtool_stats);
