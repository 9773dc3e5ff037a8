/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types and helpers the pure policy code uses, so that the
 * same files build in the kernel and in the user-space unit tests.
 * Policy code includes only this header: no locks, timers or devices.
 */
#ifndef _XEN_COALESCE_COMPAT_H
#define _XEN_COALESCE_COMPAT_H

#ifdef __KERNEL__

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/types.h>

#else /* user space */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* The kernel's fixed-width names, on the LP64 targets we test on. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)

/* The kernel's fls64(): the last set bit, 1-based; 0 for 0. */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/*
 * No u64 "/" here: a 32-bit kernel has no libgcc to lend it. make lint
 * builds the policy code with -m32 and fails on any libgcc helper.
 */

/* There is no symbol table to export to in user space. */
#define EXPORT_SYMBOL_GPL(sym)

#endif /* __KERNEL__ */

#endif /* _XEN_COALESCE_COMPAT_H */
