// SPDX-License-Identifier: GPL-2.0
/*
 * The dom0 controller's decisions about one physical NIC (see
 * nic_policy.h). Pure: no devices, locks or clocks; the caller passes the
 * time in.
 */
#include <xen-coalesce/nic_policy.h>

/**
 * xcoal_nic_usecs - a VIF's share of its budget as a NIC value
 * @share_us: the share (0: no added delay)
 * @min_us: the smallest delay to ask a NIC for
 *
 * A share below @min_us becomes @min_us: an interrupt per packet would
 * cost every user of a shared NIC far more than a few microseconds of
 * delay cost a class's promise, and some drivers give small values
 * meanings of their own (e1000e: 1 and 3 are its dynamic modes, 2 and
 * 5..9 are refused). With @min_us 0 a share of 0 stays 0.
 *
 * Return: the value for the NIC's rx-usecs.
 */
u32 xcoal_nic_usecs(u32 share_us, u32 min_us)
{
	return share_us < min_us ? min_us : share_us;
}

/**
 * xcoal_nic_own_bound - the longest receive delay a NIC's own settings allow
 * @own: its coalesce fields as it has them without the controller
 * @modes_max: rx-usecs 1..@modes_max name the driver's adaptive modes
 *	rather than a delay (e1000e: 4), 0 when it has none
 * @adaptive_us: the longest an adaptive mode waits
 *
 * Return: microseconds; rx-usecs itself when it is a fixed delay.
 */
u32 xcoal_nic_own_bound(const struct xcoal_nic_coalesce *own, u32 modes_max,
			u32 adaptive_us)
{
	if (own->adaptive_rx || (own->rx_usecs && own->rx_usecs <= modes_max))
		return adaptive_us;
	return own->rx_usecs;
}

/**
 * xcoal_nic_target - what a NIC is set to for its VIFs' strictest share
 * @share_us: that share (xcoal_nic_usecs())
 * @own_bound_us: the delay the NIC's own settings allow
 *	(xcoal_nic_own_bound())
 * @exclusive: every other user of the NIC is a classed VIF
 *
 * A NIC others use too (dom0's own traffic, unclassed guests, other
 * ports) is only ever tightened: it keeps its own settings unless the
 * share is stricter. A NIC only classed VIFs use gets the share, looser
 * or not: the classes decide alone.
 *
 * Return: @share_us, or %XCOAL_NIC_OWN for the NIC's own settings.
 */
u32 xcoal_nic_target(u32 share_us, u32 own_bound_us, bool exclusive)
{
	return exclusive || share_us < own_bound_us ? share_us : XCOAL_NIC_OWN;
}

/**
 * xcoal_nic_limit_try - the rx-usecs to write for a wanted value
 * @l: what the driver has accepted and refused so far
 * @want: the value wanted
 *
 * Below the smallest refused value, @want itself. At or above it, the
 * nearest value on the safe side (tighter) the driver may accept: the
 * middle of the values not yet tried between the largest accepted and
 * the smallest refused, or, once none is left, the largest accepted. A
 * driver refusing a range above some maximum (ixgbe: 1022) is found in
 * a few writes, once per NIC.
 *
 * Return: the value to write.
 */
u32 xcoal_nic_limit_try(const struct xcoal_nic_limit *l, u32 want)
{
	if (want < l->refused)
		return want;
	if (l->refused - l->ok <= 1)
		return l->ok;
	return l->ok + (l->refused - l->ok) / 2;
}

/**
 * xcoal_nic_limit_learn - the driver's answer to a write
 * @l: what it has accepted and refused so far; updated
 * @usecs: the value written
 * @accepted: the driver took it
 *
 * A refusal at or below the largest accepted value (a driver whose
 * accepted values have holes) starts the search below it again from 0.
 */
void xcoal_nic_limit_learn(struct xcoal_nic_limit *l, u32 usecs, bool accepted)
{
	if (accepted) {
		if (usecs > l->ok && usecs < l->refused)
			l->ok = usecs;
		return;
	}
	if (usecs < l->refused)
		l->refused = usecs;
	if (l->ok >= l->refused)
		l->ok = 0;
}

/**
 * xcoal_nic_step - hysteresis between the wanted and the applied value
 * @r: the NIC's state; updated
 * @want: the strictest share among the VIFs crossing the NIC
 * @now_ms: the time now, in milliseconds of a monotonic clock
 * @hold_ms: how long a looser demand must last before it applies
 * @wake_ms: set, for %XCOAL_NIC_WAIT, to when to decide again
 *
 * A stricter value applies at once (a class's promise cannot wait); a
 * looser one only once the demand has stayed looser for @hold_ms, so a
 * class A VIF that comes and goes does not make the NIC flap. A clock
 * that went back restarts the wait.
 *
 * Return: what to do now.
 */
enum xcoal_nic_step xcoal_nic_step(struct xcoal_nic_relax *r, u32 want,
				   u64 now_ms, u32 hold_ms, u64 *wake_ms)
{
	if (!r->active || want < r->applied) {
		r->active = true;
		r->applied = want;
		r->waiting = false;
		return XCOAL_NIC_APPLY;
	}
	if (want == r->applied) {
		r->waiting = false;
		return XCOAL_NIC_KEEP;
	}
	if (!r->waiting || now_ms < r->since_ms) {
		r->waiting = true;
		r->since_ms = now_ms;
	}
	if (now_ms - r->since_ms >= hold_ms) {
		r->applied = want;
		r->waiting = false;
		return XCOAL_NIC_APPLY;
	}
	*wake_ms = r->since_ms + hold_ms;
	return XCOAL_NIC_WAIT;
}

/**
 * xcoal_nic_profile - the NIC's coalesce fields for a delay
 * @caps: what the driver supports (XCOAL_NIC_CAN_*)
 * @usecs: the delay the NIC may add
 * @c: the NIC's own fields (as it had them before the controller came);
 *	changed to the profile
 *
 * rx-usecs bounds the delay, adaptive-rx goes off (a driver's own
 * adaptation could exceed the bound), and with no delay allowed rx-frames
 * becomes 1: an interrupt per frame. Fields the driver does not support
 * are left alone; transmit completions are left to the driver, they do
 * not delay a packet.
 *
 * Return: 0, or -EOPNOTSUPP when the NIC's receive delay cannot be set.
 */
int xcoal_nic_profile(u32 caps, u32 usecs, struct xcoal_nic_coalesce *c)
{
	if (!(caps & XCOAL_NIC_CAN_RX_USECS))
		return -EOPNOTSUPP;
	c->rx_usecs = usecs;
	if (caps & XCOAL_NIC_CAN_ADAPTIVE_RX)
		c->adaptive_rx = false;
	if ((caps & XCOAL_NIC_CAN_RX_FRAMES) && !usecs)
		c->rx_frames = 1;
	return 0;
}

/* One field: back to the NIC's own value only while it still holds ours. */
static u32 xcoal_nic_restore_field(u32 own, u32 ours, u32 *now, u32 field)
{
	if (*now != ours)
		return *now != own && own != ours ? field : 0;
	*now = own;
	return 0;
}

/**
 * xcoal_nic_restore - the NIC's own values back, where ours still hold
 * @caps: the fields the driver supports (XCOAL_NIC_CAN_*)
 * @own: the NIC's values before the controller changed them
 * @ours: the values the NIC read back after the controller's last write
 * @c: the NIC's values now; changed to the values to write back
 *
 * A field that still holds our value gets the NIC's own back. A field
 * that holds anything else was set by someone else since (an
 * administrator's ethtool -C): it is theirs now, and kept.
 *
 * Return: the fields kept for someone else (XCOAL_NIC_CAN_*), 0 if none.
 */
u32 xcoal_nic_restore(u32 caps, const struct xcoal_nic_coalesce *own,
		      const struct xcoal_nic_coalesce *ours,
		      struct xcoal_nic_coalesce *c)
{
	u32 kept = 0, adaptive;

	if (caps & XCOAL_NIC_CAN_RX_USECS)
		kept |= xcoal_nic_restore_field(own->rx_usecs, ours->rx_usecs,
						&c->rx_usecs, XCOAL_NIC_CAN_RX_USECS);
	if (caps & XCOAL_NIC_CAN_RX_FRAMES)
		kept |= xcoal_nic_restore_field(own->rx_frames, ours->rx_frames,
						&c->rx_frames, XCOAL_NIC_CAN_RX_FRAMES);
	if (caps & XCOAL_NIC_CAN_ADAPTIVE_RX) {
		adaptive = c->adaptive_rx;
		kept |= xcoal_nic_restore_field(own->adaptive_rx, ours->adaptive_rx,
						&adaptive, XCOAL_NIC_CAN_ADAPTIVE_RX);
		c->adaptive_rx = adaptive;
	}
	return kept;
}
