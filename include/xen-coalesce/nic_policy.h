/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dom0 controller's decisions about one physical NIC, apart from the
 * ethtool calls that carry them out: which value a VIF's share becomes,
 * when a looser value may replace a stricter one, which coalesce fields
 * change, and which of them go back when it lets go. Pure; built into the
 * module and the unit tests.
 */
#ifndef _XEN_COALESCE_NIC_POLICY_H
#define _XEN_COALESCE_NIC_POLICY_H

#include "compat.h"

/* What a NIC's driver lets the controller change (its supported params). */
#define XCOAL_NIC_CAN_RX_USECS		0x1U
#define XCOAL_NIC_CAN_RX_FRAMES		0x2U
#define XCOAL_NIC_CAN_ADAPTIVE_RX	0x4U

/**
 * struct xcoal_nic_coalesce - the coalesce fields the controller touches
 * @rx_usecs: rx-usecs
 * @rx_frames: rx-frames
 * @adaptive_rx: adaptive-rx
 */
struct xcoal_nic_coalesce {
	u32 rx_usecs;
	u32 rx_frames;
	bool adaptive_rx;
};

/* A NIC's target when it is left its own settings (the loosest demand). */
#define XCOAL_NIC_OWN			U32_MAX

/**
 * struct xcoal_nic_limit - what a NIC's driver accepts for rx-usecs
 * @ok: the largest value it accepted below @refused (0 is assumed)
 * @refused: the smallest value it refused, U32_MAX before any
 */
struct xcoal_nic_limit {
	u32 ok;
	u32 refused;
};

/**
 * struct xcoal_nic_relax - hysteresis state of one NIC
 * @active: a value of ours is in force (else the NIC's own)
 * @applied: that value, in microseconds
 * @waiting: a looser value waits for the demand to stay loose
 * @since_ms: when the demand first became looser than @applied
 */
struct xcoal_nic_relax {
	bool active;
	u32 applied;
	bool waiting;
	u64 since_ms;
};

/**
 * enum xcoal_nic_step - what the controller does to a NIC now
 * @XCOAL_NIC_KEEP: nothing, the value in force is the one wanted
 * @XCOAL_NIC_APPLY: set the value in @xcoal_nic_relax.applied
 * @XCOAL_NIC_WAIT: keep the stricter value; decide again at the wake time
 */
enum xcoal_nic_step {
	XCOAL_NIC_KEEP,
	XCOAL_NIC_APPLY,
	XCOAL_NIC_WAIT,
};

u32 xcoal_nic_usecs(u32 share_us, u32 min_us);
u32 xcoal_nic_own_bound(const struct xcoal_nic_coalesce *own, u32 modes_max,
			u32 adaptive_us);
u32 xcoal_nic_target(u32 share_us, u32 own_bound_us, bool exclusive);
u32 xcoal_nic_limit_try(const struct xcoal_nic_limit *l, u32 want);
void xcoal_nic_limit_learn(struct xcoal_nic_limit *l, u32 usecs, bool accepted);
enum xcoal_nic_step xcoal_nic_step(struct xcoal_nic_relax *r, u32 want,
				   u64 now_ms, u32 hold_ms, u64 *wake_ms);
int xcoal_nic_profile(u32 caps, u32 usecs, struct xcoal_nic_coalesce *c);
u32 xcoal_nic_restore(u32 caps, const struct xcoal_nic_coalesce *own,
		      const struct xcoal_nic_coalesce *ours,
		      struct xcoal_nic_coalesce *c);

#endif /* _XEN_COALESCE_NIC_POLICY_H */
