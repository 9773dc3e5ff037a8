// SPDX-License-Identifier: GPL-2.0
/*
 * xt_set_race: a test module for the real-Xen harness, loaded in a domU.
 *
 * netfront stops a queue's points (xcoal_queue_stop()) from its
 * disconnect, without rtnl, while new parameters (ethtool -C, the
 * backend's values) come under rtnl through xcoal_queue_set_params(),
 * which looks at the queue's running flag before it changes the points.
 * The engine must serialise the two: a set that found the queue running
 * changes running points, and a stop that comes meanwhile waits for it.
 *
 * This module opens that window wide. While "armed", the first
 * xcoal_point_set_params() an ethtool process makes (the queue's TX
 * point: xcoal_queue_set_params() changes it first) hands a stop of the
 * same queue to another CPU, as a disconnect would, and waits up to
 * hold_ms for that stop to return. Then it records whether the point the
 * set is about to change was stopped under it.
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <xen-coalesce/engine.h>

static bool armed;
module_param(armed, bool, 0644);
MODULE_PARM_DESC(armed, "race the next set an ethtool process makes with a stop");

static unsigned int hold_ms = 500;
module_param(hold_ms, uint, 0644);
MODULE_PARM_DESC(hold_ms, "how long the set waits for the stop to return");

static int window = -1;
module_param(window, int, 0444);
MODULE_PARM_DESC(window, "1: a stop ran on another CPU during a set; -ENODEV: one CPU only; -1: not yet");

static int stop_in_window = -1;
module_param(stop_in_window, int, 0444);
MODULE_PARM_DESC(stop_in_window, "1: the stop returned while the set held its point");

static int set_on_stopped = -1;
module_param(set_on_stopped, int, 0444);
MODULE_PARM_DESC(set_on_stopped, "1: the set went on to change a point stopped under it");

static int stop_done;
module_param(stop_done, int, 0444);
MODULE_PARM_DESC(stop_done, "1: the stop has returned");

static struct xcoal_queue *xt_queue;

static void xt_stop_fn(struct work_struct *work)
{
	xcoal_queue_stop(xt_queue);
	WRITE_ONCE(stop_done, 1);
}

static DECLARE_WORK(xt_stop_work, xt_stop_fn);

/* Runs with interrupts off: it may spin, never sleep. */
static int xt_set_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct xcoal_point *pt = (void *)regs_get_kernel_argument(regs, 0);
	unsigned int cpu, waited;

	if (!READ_ONCE(armed) || strcmp(current->comm, "ethtool"))
		return 0;
	WRITE_ONCE(armed, false);
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	if (cpu >= nr_cpu_ids) {
		WRITE_ONCE(window, -ENODEV);
		return 0;
	}
	xt_queue = container_of(pt, struct xcoal_queue, tx);
	queue_work_on(cpu, system_wq, &xt_stop_work);
	for (waited = 0; waited < hold_ms && !READ_ONCE(stop_done); waited++)
		mdelay(1);
	WRITE_ONCE(stop_in_window, READ_ONCE(stop_done));
	WRITE_ONCE(set_on_stopped, READ_ONCE(pt->stopped));
	WRITE_ONCE(window, 1);
	return 0;
}

static struct kprobe xt_set_probe = {
	.symbol_name = "xcoal_point_set_params",
	.pre_handler = xt_set_pre,
};

static int __init xt_init(void)
{
	return register_kprobe(&xt_set_probe);
}

static void __exit xt_exit(void)
{
	unregister_kprobe(&xt_set_probe);
	flush_work(&xt_stop_work);
}

module_init(xt_init);
module_exit(xt_exit);
MODULE_DESCRIPTION("Real-Xen harness: a queue's stop racing new coalescing parameters");
MODULE_LICENSE("GPL");
