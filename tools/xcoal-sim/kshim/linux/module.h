/* SPDX-License-Identifier: GPL-2.0 */
/* lib/dim in user space: see types.h. */
#ifndef _XSIM_KSHIM_MODULE_H
#define _XSIM_KSHIM_MODULE_H

/* There is no symbol table to export to in user space. */
#define EXPORT_SYMBOL(sym)

#endif /* _XSIM_KSHIM_MODULE_H */
