/* SPDX-License-Identifier: GPL-2.0 */
/* lib/dim in user space: see types.h. */
#ifndef _XSIM_KSHIM_KERNEL_H
#define _XSIM_KSHIM_KERNEL_H

#include <linux/types.h>

#define fallthrough __attribute__((__fallthrough__))
#define abs(x) ({ __typeof__(x) _x = (x); _x < 0 ? -_x : _x; })
#define DIV_ROUND_UP(n, d) ({ __typeof__(d) _d = (d); ((n) + _d - 1) / _d; })
#define DIV_ROUND_DOWN_ULL(ll, d) ((unsigned long long)(ll) / (d))
#define USEC_PER_MSEC 1000L

/* lib/dim's clock is the simulation's (dim_policy.c). */
extern u64 xsim_dim_now_ns;

static inline ktime_t ktime_get(void)
{
	return (ktime_t)xsim_dim_now_ns;
}

static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier)
{
	return (later - earlier) / 1000;
}

#endif /* _XSIM_KSHIM_KERNEL_H */
