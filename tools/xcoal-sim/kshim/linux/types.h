/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xcoal-sim builds the kernel's lib/dim (taken from the kernel source at
 * build time, never copied here) in user space: these few headers stand
 * in for the kernel's, with only what lib/dim uses.
 */
#ifndef _XSIM_KSHIM_TYPES_H
#define _XSIM_KSHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef s64 ktime_t;

#endif /* _XSIM_KSHIM_TYPES_H */
