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
 * @min_us: the smallest delay worth asking a NIC for
 *
 * A share below @min_us becomes 0: a few microseconds of interrupt delay
 * gain nothing, and some drivers give small values meanings of their own
 * (e1000e: 1 and 3 are its dynamic modes, 2 and 5..9 are refused).
 *
 * Return: the value for the NIC's rx-usecs.
 */
u32 xcoal_nic_usecs(u32 share_us, u32 min_us)
{
	return share_us < min_us ? 0 : share_us;
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
