/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs "push_cost": the cost of a push, stock against off and on,
 * measured in the running kernel (coalesce/push_cost.c). Module-internal.
 */
#ifndef _XEN_COALESCE_PUSH_COST_H
#define _XEN_COALESCE_PUSH_COST_H

struct dentry;

void xcoal_push_cost_init(struct dentry *root);

#endif /* _XEN_COALESCE_PUSH_COST_H */
