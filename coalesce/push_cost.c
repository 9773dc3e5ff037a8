// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "push_cost": what a push costs, measured in the kernel that runs
 * it. Writing N (1..10000000) times N pushes of one slot each on a private
 * point whose notify does nothing but count, for three paths:
 *
 *   stock  what the drivers do without the project: notify if the ring
 *          asked (every other push here)
 *   off    xcoal_point_push_ring() with coalescing off
 *   on     the same with 10000 us / 64 slots (a wait armed every 64
 *          pushes, released by the threshold)
 *
 * Reading shows the last run's nanoseconds per push. A benchmark, not a
 * test: figures depend on the machine; compare them with each other.
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <xen-coalesce/engine.h>
#include <xen-coalesce/push_cost.h>

#define XCOAL_PUSH_COST_MAX	10000000U

static DEFINE_MUTEX(xcoal_push_cost_lock);
static struct xcoal_point xcoal_push_cost_point;
static u64 xcoal_push_cost_sink;
static u32 xcoal_push_cost_n;
static u64 xcoal_push_cost_ns[3];	/* stock, off, on: total ns */

static noinline void xcoal_push_cost_notify(struct xcoal_point *pt)
{
	WRITE_ONCE(xcoal_push_cost_sink, xcoal_push_cost_sink + 1);
}

static const struct xcoal_point_ops xcoal_push_cost_ops = {
	.notify = xcoal_push_cost_notify,
};

/* The stock drivers' path: the ring macro's answer, then the notify. */
static noinline void xcoal_push_cost_stock(struct xcoal_point *pt, bool notify)
{
	if (notify)
		xcoal_push_cost_notify(pt);
}

static u64 xcoal_push_cost_run(struct xcoal_point *pt, u32 n, bool stock)
{
	u64 t0 = ktime_get_ns();
	u32 i;

	for (i = 1; i <= n; i++) {
		if (stock)
			xcoal_push_cost_stock(pt, i & 1);
		else
			xcoal_point_push_ring(pt, i, i & 1, U32_MAX);
	}
	return ktime_get_ns() - t0;
}

static ssize_t xcoal_push_cost_write(struct file *file, const char __user *buf,
				     size_t len, loff_t *ppos)
{
	static const struct xcoal_params off = {};
	static const struct xcoal_params on = { .usecs = 10000, .frames = 64 };
	struct xcoal_point *pt = &xcoal_push_cost_point;
	u32 n;
	int err;

	err = kstrtou32_from_user(buf, len, 0, &n);
	if (err)
		return err;
	if (!n || n > XCOAL_PUSH_COST_MAX)
		return -EINVAL;
	mutex_lock(&xcoal_push_cost_lock);
	xcoal_point_init(pt, &xcoal_push_cost_ops, &off);
	xcoal_push_cost_ns[0] = xcoal_push_cost_run(pt, n, true);
	xcoal_push_cost_ns[1] = xcoal_push_cost_run(pt, n, false);
	xcoal_point_set_params(pt, &on);
	xcoal_point_set_prod(pt, 0);
	xcoal_push_cost_ns[2] = xcoal_push_cost_run(pt, n, false);
	xcoal_point_stop(pt);
	xcoal_push_cost_n = n;
	mutex_unlock(&xcoal_push_cost_lock);
	return len;
}

static int xcoal_push_cost_show(struct seq_file *m, void *v)
{
	static const char * const names[] = { "stock", "off", "on" };
	unsigned int i;
	u32 frac;
	u64 ps;

	mutex_lock(&xcoal_push_cost_lock);
	seq_printf(m, "pushes %u\n", xcoal_push_cost_n);
	for (i = 0; xcoal_push_cost_n && i < ARRAY_SIZE(names); i++) {
		ps = div_u64(xcoal_push_cost_ns[i] * 1000, xcoal_push_cost_n);
		ps = div_u64_rem(ps, 1000, &frac);
		seq_printf(m, "%s_ns_per_push %llu.%03u\n", names[i], ps, frac);
	}
	mutex_unlock(&xcoal_push_cost_lock);
	return 0;
}

static int xcoal_push_cost_open(struct inode *inode, struct file *file)
{
	return single_open(file, xcoal_push_cost_show, NULL);
}

static const struct file_operations xcoal_push_cost_fops = {
	.owner = THIS_MODULE,
	.open = xcoal_push_cost_open,
	.read = seq_read,
	.write = xcoal_push_cost_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * xcoal_push_cost_init - the "push_cost" file
 * @root: the xen-coalesce debugfs directory
 */
void xcoal_push_cost_init(struct dentry *root)
{
	debugfs_create_file("push_cost", 0600, root, NULL, &xcoal_push_cost_fops);
}
