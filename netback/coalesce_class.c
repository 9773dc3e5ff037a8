// SPDX-License-Identifier: GPL-2.0
/*
 * A VIF's latency class put in force: the plan (coalesce/classes.c) for
 * the backend's points, through xenstore for the frontend's, and through
 * the dom0 controller (coalesce/controller.c) for the physical NICs.
 */
/* First: common.h sets pr_fmt before anything includes printk.h. */
#include "common.h"

#include <linux/module.h>
#include <linux/rtnetlink.h>

#include <xen-coalesce/controller.h>

static unsigned int class_frames_max = 64;
module_param(class_frames_max, uint, 0444);
MODULE_PARM_DESC(class_frames_max, "Frame threshold of classes B and C (0..256)");
static unsigned int class_c_usecs = 4000;
module_param(class_c_usecs, uint, 0444);
MODULE_PARM_DESC(class_c_usecs, "Class C's ceiling (us) at every point and at the NIC (0..10000)");

static struct xcoal_class_limits xenvif_class_limits;

/**
 * xenvif_coalesce_class_init - check the class module parameters
 *
 * Return: 0, or -EINVAL (logged) for values out of range.
 */
int xenvif_coalesce_class_init(void)
{
	struct xcoal_plan plan;

	xenvif_class_limits.frames_max = class_frames_max;
	xenvif_class_limits.c_usecs = class_c_usecs;
	if (xcoal_class_plan(XCOAL_CLASS_C, 0, &xenvif_class_limits, &plan)) {
		pr_err("class_frames_max=%u class_c_usecs=%u refused: limits are 256 and 10000\n",
		       class_frames_max, class_c_usecs);
		return -EINVAL;
	}
	return 0;
}

/* Publish the frontend's values of @class (or of no class); logged. */
static int xenvif_coalesce_publish_for(struct xenvif *vif, struct xenbus_device *dev,
				       enum xcoal_class class,
				       const struct xcoal_plan *plan)
{
	const struct xenvif_coalesce_cfg *cfg = &vif->coal_cfg;
	int err;

	if (class != XCOAL_CLASS_NONE)
		err = xenvif_coalesce_publish(dev, &plan->front_tx, &plan->front_rx);
	else
		err = xenvif_coalesce_publish(dev, &cfg->frontend_tx, &cfg->frontend_rx);
	if (err)
		netdev_warn(vif->dev, "frontend coalesce keys not written (%d)\n", err);
	return err;
}

/**
 * xenvif_coalesce_set_class - put a class (or none) in force on a VIF
 * @vif: the VIF
 * @dev: its backend xenbus device, for the frontend's keys
 * @new_class: the class, or NULL to keep the one in force;
 *	XCOAL_CLASS_NONE hands back to ethtool and to the frontend_* values
 * @new_budget: class B's budget, already checked, or NULL to keep it
 *
 * Not under rtnl: the xenstore I/O (the guest's flag, the frontend's keys)
 * happens outside it, so a slow xenstored never stalls dom0's network
 * configuration; rtnl is taken (tried: sysfs) only to tell the controller
 * and put the plan in force. The keys are written first and written back
 * if the controller refuses: on any error nothing changes.
 *
 * Return: 0, -EINVAL for a plan that cannot be made, a restart when rtnl
 * is busy, or the controller's or xenstore's error.
 */
int xenvif_coalesce_set_class(struct xenvif *vif, struct xenbus_device *dev,
			      const enum xcoal_class *new_class,
			      const u32 *new_budget)
{
	struct xenvif_coalesce_cfg *cfg = &vif->coal_cfg;
	struct xcoal_class_limits lim = xenvif_class_limits;
	struct xcoal_plan plan = {};
	enum xcoal_class class;
	bool rewrite;
	u32 budget;
	int err = 0;

	lim.front_follows = !strcmp(xenvif_coalesce_frontend_follows(dev), "yes");
	mutex_lock(&xenvif_coalesce_frontend_lock);
	class = new_class ? *new_class : cfg->class;
	budget = new_budget ? *new_budget : cfg->budget_us;
	if (class != XCOAL_CLASS_NONE &&
	    xcoal_class_plan(class, budget, &lim, &plan)) {
		err = -EINVAL;
		goto out;
	}
	/* A stock netfront ignores the keys; only a new class rewrites them. */
	rewrite = class != cfg->class || class != XCOAL_CLASS_NONE;
	if (rewrite) {
		err = xenvif_coalesce_publish_for(vif, dev, class, &plan);
		if (err)
			goto out;
	}
	/* Not rtnl_lock(): unregistering the netdev holds it and waits for us. */
	if (!rtnl_trylock()) {
		err = restart_syscall();
		goto undo;
	}
	err = xcoal_ctl_vif_set(vif->dev, class, plan.nic_usecs);
	if (!err) {
		WRITE_ONCE(cfg->class, class);
		WRITE_ONCE(cfg->budget_us, budget);
		cfg->plan = plan;
		xenvif_coalesce_apply(vif);
	}
	rtnl_unlock();
	if (!err)
		goto out;
undo:
	if (rewrite)
		xenvif_coalesce_publish_for(vif, dev, cfg->class, &cfg->plan);
out:
	mutex_unlock(&xenvif_coalesce_frontend_lock);
	return err;
}
