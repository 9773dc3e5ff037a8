// SPDX-License-Identifier: GPL-2.0
/*
 * When to notify: a frame threshold and an absolute deadline, whichever
 * comes first. Built into xen-coalesce.ko and the user-space unit tests.
 *
 * Only a notification the ring asked for starts a deferral (the peer armed
 * its event index: it sleeps). From then on the ring no longer asks (the
 * peer's event index stays behind), so every later push counts towards the
 * threshold until the owed notification is sent.
 */
#include <xen-coalesce/coalescer.h>

static void xcoal_reset(struct xcoal_state *s, bool *was_armed)
{
	*was_armed = s->armed;
	s->pending = 0;
	s->armed = false;
}

/**
 * xcoal_push_room - frames were pushed to the ring, which has @room left
 * @s: the point's state
 * @p: its parameters (checked by xcoal_params_check())
 * @frames: how many ring slots this push made visible to the peer
 * @ring_notify: the ring macro's answer: the peer waits for an event
 * @room: slots the producer can still fill before it must wait for the
 *	peer; 0 when it is blocked (U32_MAX when the driver cannot tell)
 * @was_armed: set to whether the deadline timer ran, on XCOAL_NOTIFY
 *
 * A threshold the ring cannot reach is no threshold: it is capped by what
 * is pending plus @room, so a producer that cannot progress releases what
 * is owed at once instead of holding a full ring until the deadline.
 *
 * Return: what the caller must do, see &enum xcoal_verdict.
 */
enum xcoal_verdict xcoal_push_room(struct xcoal_state *s,
				   const struct xcoal_params *p, u32 frames,
				   bool ring_notify, u32 room, bool *was_armed)
{
	u32 threshold = p->frames ? p->frames : XCOAL_FRAMES_MAX;
	u32 pending;

	*was_armed = false;
	if (!s->pending && (!ring_notify || !frames))
		return XCOAL_QUIET;
	/* Saturate: a u32 of frames is far beyond any threshold anyway. */
	pending = frames > U32_MAX - s->pending ? U32_MAX : s->pending + frames;
	if (pending < threshold && room < threshold - pending)
		threshold = pending + room;
	if (xcoal_params_enabled(p) && pending < threshold) {
		if (s->pending) {
			s->pending = pending;
			return XCOAL_QUIET;
		}
		s->pending = pending;
		s->armed = true;
		return XCOAL_ARM;
	}
	xcoal_reset(s, was_armed);
	return XCOAL_NOTIFY;
}
EXPORT_SYMBOL_GPL(xcoal_push_room);

/**
 * xcoal_push - frames were pushed to a ring whose room is not known
 * @s: the point's state
 * @p: its parameters (checked by xcoal_params_check())
 * @frames: how many frames this push made visible to the peer
 * @ring_notify: the ring macro's answer: the peer waits for an event
 * @was_armed: set to whether the deadline timer ran, on XCOAL_NOTIFY
 *
 * Return: as xcoal_push_room() with unlimited room.
 */
enum xcoal_verdict xcoal_push(struct xcoal_state *s,
			      const struct xcoal_params *p, u32 frames,
			      bool ring_notify, bool *was_armed)
{
	return xcoal_push_room(s, p, frames, ring_notify, U32_MAX, was_armed);
}
EXPORT_SYMBOL_GPL(xcoal_push);

/**
 * xcoal_expire - the deadline timer fired
 * @s: the point's state
 *
 * Return: true if a notification is owed and must be sent now. False when
 * a push reached the threshold first (the timer lost the race to cancel).
 */
bool xcoal_expire(struct xcoal_state *s)
{
	bool was_armed;
	bool owed = s->pending;

	xcoal_reset(s, &was_armed);
	return owed;
}
EXPORT_SYMBOL_GPL(xcoal_expire);

/**
 * xcoal_flush - send what is owed now: teardown, a parameter change, a
 *	ring reset
 * @s: the point's state
 * @was_armed: set to whether the deadline timer ran
 *
 * Return: true if a notification was owed.
 */
bool xcoal_flush(struct xcoal_state *s, bool *was_armed)
{
	bool owed = s->pending;

	xcoal_reset(s, was_armed);
	return owed;
}
EXPORT_SYMBOL_GPL(xcoal_flush);

/**
 * xcoal_hist_bucket - the histogram bucket of a value
 * @value: frames or microseconds
 *
 * Return: 0 for 0 and 1, else the bucket b with 2^(b-1) < @value <= 2^b,
 * the last bucket for anything beyond.
 */
unsigned int xcoal_hist_bucket(u64 value)
{
	unsigned int b = value > 1 ? fls64(value - 1) : 0;

	return b < XCOAL_HIST_BUCKETS - 1 ? b : XCOAL_HIST_BUCKETS - 1;
}
EXPORT_SYMBOL_GPL(xcoal_hist_bucket);
