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
 * xcoal_push - frames were pushed to the ring
 * @s: the point's state
 * @p: its parameters (checked by xcoal_params_check())
 * @frames: how many frames this push made visible to the peer
 * @ring_notify: the ring macro's answer: the peer waits for an event
 * @was_armed: set to whether the deadline timer ran, on XCOAL_NOTIFY
 *
 * Return: what the caller must do, see &enum xcoal_verdict.
 */
enum xcoal_verdict xcoal_push(struct xcoal_state *s,
			      const struct xcoal_params *p, u32 frames,
			      bool ring_notify, bool *was_armed)
{
	u32 threshold = p->frames ? p->frames : XCOAL_FRAMES_MAX;

	*was_armed = false;
	if (!s->pending) {
		if (!ring_notify || !frames)
			return XCOAL_QUIET;
		if (!xcoal_params_enabled(p) || frames >= threshold)
			return XCOAL_NOTIFY;
		s->pending = frames;
		s->armed = true;
		return XCOAL_ARM;
	}
	/* Saturate: a u32 of frames is far beyond any threshold anyway. */
	s->pending = frames > U32_MAX - s->pending ? U32_MAX : s->pending + frames;
	if (s->pending < threshold && xcoal_params_enabled(p))
		return XCOAL_QUIET;
	xcoal_reset(s, was_armed);
	return XCOAL_NOTIFY;
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
	unsigned int b = 0;

	while (b < XCOAL_HIST_BUCKETS - 1 && value > (1ULL << b))
		b++;
	return b;
}
EXPORT_SYMBOL_GPL(xcoal_hist_bucket);
