/* SPDX-License-Identifier: GPL-2.0 */
/* lib/dim in user space: see types.h. */
#ifndef _XSIM_KSHIM_BITS_H
#define _XSIM_KSHIM_BITS_H

#define BIT_ULL(n) (1ULL << (n))
#define BITS_PER_TYPE(t) (sizeof(t) * 8)

#endif /* _XSIM_KSHIM_BITS_H */
