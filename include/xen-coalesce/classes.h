/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VIF's latency class asks of each layer its packets cross: the
 * physical NIC's share of the budget, the backend's two points and the
 * frontend's two points. Pure; built into the module and the unit tests.
 */
#ifndef _XEN_COALESCE_CLASSES_H
#define _XEN_COALESCE_CLASSES_H

#include "params.h"

/*
 * The points on a guest's transmit path (its TX events, the completions
 * the backend sends back) wait no longer than this: TCP's small queues
 * hold a socket's next packets until the previous ones complete, so a
 * long wait there costs a wait per round trip (see the admin guide).
 * Class C lifts it for a frontend that follows the backend: that one frees
 * its packets from their sockets when it waits longer.
 */
#define XCOAL_TX_PATH_USECS_MAX	100U

/**
 * struct xcoal_class_limits - module parameters the plan works within
 * @frames_max: frame threshold of classes B and C (a ceiling)
 * @c_usecs: class C's deadline (a ceiling)
 * @front_follows: the frontend follows the backend's coalesce/ keys, so it
 *	is a project netfront, which orphans packets whose TX events may wait
 *	long: class C's TX path may then wait @c_usecs too
 */
struct xcoal_class_limits {
	u32 frames_max;
	u32 c_usecs;
	bool front_follows;
};

/**
 * struct xcoal_plan - a class turned into parameters
 * @deliver: backend, packets delivered to the guest (vif tx-*)
 * @complete: backend, completions of the guest's sends (vif rx-*)
 * @front_tx: frontend, events for the packets it sends (guest tx-*)
 * @front_rx: frontend, events for posted buffers (guest rx-*)
 * @nic_usecs: the physical NIC's share (rx-usecs/tx-usecs), for the
 *	dom0 controller
 */
struct xcoal_plan {
	struct xcoal_params deliver;
	struct xcoal_params complete;
	struct xcoal_params front_tx;
	struct xcoal_params front_rx;
	u32 nic_usecs;
};

int xcoal_class_plan(enum xcoal_class class, u32 budget_us,
		     const struct xcoal_class_limits *lim, struct xcoal_plan *out);

#endif /* _XEN_COALESCE_CLASSES_H */
