/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What xen-netfront calls of the coalescing extension. The patch series
 * against upstream adds only calls to these functions.
 */
#ifndef _XEN_NETFRONT_COALESCE_H
#define _XEN_NETFRONT_COALESCE_H

int xennet_coalesce_init(void);
void xennet_coalesce_exit(void);

#endif /* _XEN_NETFRONT_COALESCE_H */
