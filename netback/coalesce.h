/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What xen-netback calls of the coalescing extension. The patch series
 * against upstream adds only calls to these functions.
 */
#ifndef _XEN_NETBACK_COALESCE_H
#define _XEN_NETBACK_COALESCE_H

int xenvif_coalesce_init(void);
void xenvif_coalesce_exit(void);

#endif /* _XEN_NETBACK_COALESCE_H */
