/* SPDX-License-Identifier: GPL-2.0 */
/* lib/dim in user space: see types.h. */
#ifndef _XSIM_KSHIM_WORKQUEUE_H
#define _XSIM_KSHIM_WORKQUEUE_H

#include <linux/types.h>

struct work_struct {
	bool pending;
};

/* net_dim asks for its new profile to be applied: dim_policy.c does. */
static inline bool schedule_work(struct work_struct *work)
{
	work->pending = true;
	return true;
}

#endif /* _XSIM_KSHIM_WORKQUEUE_H */
