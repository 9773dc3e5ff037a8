// SPDX-License-Identifier: GPL-2.0
/*
 * xcoal-sim --ktrace: a point's xen_coalesce trace events, parsed and
 * replayed through the decision code (coalesce/coalescer.c).
 *
 * tracefs prints an event as
 *   TASK-PID [CPU] FLAGS SECONDS.MICROS: xcoal_push: point=NAME frames=N
 *     ring_notify=B room=N usecs=N threshold=N verdict=V pending=N
 *   ... SECONDS.MICROS: xcoal_release: point=NAME why=W owed=B
 * Other lines (headers, other events, markers) are not ours.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen-coalesce/params.h>

#include "ktrace.h"

#define XSIM_KEV_LINE_MAX	512

/* @name's value in "name=value" after @from; NULL if absent. */
static const char *field(const char *from, const char *name)
{
	size_t len = strlen(name);
	const char *p = from;

	while ((p = strstr(p, name))) {
		if ((p == from || p[-1] == ' ') && p[len] == '=')
			return p + len + 1;
		p += len;
	}
	return NULL;
}

/* An unsigned decimal ending at a space or the line's end. */
static int u32_field(const char *from, const char *name, u32 *out)
{
	const char *v = field(from, name);
	unsigned long n;
	char *end;

	if (!v || *v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || n > U32_MAX || (*end && *end != ' ' && *end != '\n'))
		return -EINVAL;
	*out = n;
	return 0;
}

/* A word ending at a space or the line's end, one of @words. */
static int word_field(const char *from, const char *name,
		      const char *const *words, unsigned int n, unsigned int *out)
{
	const char *v = field(from, name);
	unsigned int i;
	size_t len;

	if (!v)
		return -EINVAL;
	len = strcspn(v, "\t\n ");
	for (i = 0; i < n; i++) {
		if (strlen(words[i]) == len && !strncmp(v, words[i], len)) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* "SECONDS.MICROS" right before @colon, as ns. */
static int timestamp(const char *line, const char *colon, u64 *t_ns)
{
	const char *p = colon, *dot = NULL;
	u64 sec = 0, us = 0;
	unsigned int digits = 0;

	while (p > line && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.')) {
		p--;
		if (*p == '.') {
			if (dot)
				return -EINVAL;
			dot = p;
		}
	}
	if (!dot || dot == p || dot + 1 == colon || (p > line && p[-1] != ' '))
		return -EINVAL;
	for (; p < dot; p++) {
		if (sec > U32_MAX)
			return -EINVAL;
		sec = sec * 10 + (*p - '0');
	}
	for (p = dot + 1; p < colon; p++, digits++) {
		if (digits == 9)
			return -EINVAL;
		us = us * 10 + (*p - '0');
	}
	while (digits++ < 9)
		us *= 10;
	*t_ns = sec * 1000000000ull + us;
	return 0;
}

/**
 * xsim_kev_parse - one line of a trace
 * @line: the line, NUL-terminated
 * @point: the point whose events are wanted ("vif1.0-q0:rx")
 * @ev: filled in for an event of @point
 * @why: set to the reason when the line is refused
 *
 * Return: 1 for an event of @point, 0 for a line that is not one (another
 * point's, another event's, a comment), -EINVAL for an event of ours that
 * is malformed.
 */
int xsim_kev_parse(const char *line, const char *point, struct xsim_kev *ev,
		   const char **why)
{
	static const char *const verdicts[] = { "quiet", "notify", "arm" };
	static const char *const reasons[] = { "deadline", "flush", "blocked" };
	const char *colon, *args, *name;
	unsigned int w, b;
	size_t len;
	u32 v;

	memset(ev, 0, sizeof(*ev));
	colon = strstr(line, ": xcoal_push: ");
	ev->kind = XSIM_KEV_PUSH;
	if (!colon) {
		colon = strstr(line, ": xcoal_release: ");
		ev->kind = XSIM_KEV_RELEASE;
	}
	if (!colon)
		return 0;
	args = strchr(colon + 2, ':') + 1;
	name = field(args, "point");
	len = strlen(point);
	if (!name || strncmp(name, point, len) || (name[len] != ' ' && name[len]))
		return 0;
	*why = "no timestamp before the event's name";
	if (timestamp(line, colon, &ev->t_ns))
		return -EINVAL;
	if (ev->kind == XSIM_KEV_RELEASE) {
		*why = "a release without a known why= and owed=";
		if (word_field(args, "why", reasons, 3, &w) || u32_field(args, "owed", &v) || v > 1)
			return -EINVAL;
		ev->why = w;
		ev->owed = v;
		return 1;
	}
	*why = "a push without frames=, ring_notify=, room=, usecs=, threshold= and verdict=";
	if (u32_field(args, "frames", &ev->frames) || u32_field(args, "ring_notify", &b) ||
	    b > 1 || u32_field(args, "room", &ev->room) || u32_field(args, "usecs", &ev->usecs) ||
	    u32_field(args, "threshold", &ev->threshold) ||
	    word_field(args, "verdict", verdicts, 3, &w))
		return -EINVAL;
	*why = "a push's usecs= or threshold= beyond what the engine accepts";
	if (ev->usecs > XCOAL_USECS_MAX || ev->threshold > XCOAL_FRAMES_MAX)
		return -EINVAL;
	ev->ring_notify = b;
	ev->verdict = w;
	return 1;
}

static void replay_push(struct xsim_replay *r, const struct xsim_kev *ev)
{
	struct xcoal_params p = { .usecs = ev->usecs, .frames = ev->threshold };
	enum xcoal_verdict v;
	bool was_armed, owed = r->state.pending;

	r->pushes++;
	r->frames += ev->frames;
	if (ev->frames > 1)
		r->extra_frames += ev->frames - 1;
	v = xcoal_push_room(&r->state, &p, ev->frames, ev->ring_notify, ev->room,
			    &was_armed);
	if (v != ev->verdict)
		r->mismatches++;
	switch (v) {
	case XCOAL_ARM:
		r->deferrals++;
		r->first_ns = ev->t_ns;
		break;
	case XCOAL_NOTIFY:
		r->notifications++;
		break;
	case XCOAL_QUIET:
		if (owed) {
			r->joined++;
			if (ev->t_ns - r->first_ns > (u64)ev->usecs * 1000)
				r->late_joined++;
		} else if (ev->frames && !ev->ring_notify) {
			r->unasked++;
		}
		break;
	}
}

/**
 * xsim_replay_event - one event through the decision code
 * @r: the replay, zeroed before the first event
 * @ev: the event
 *
 * A push is decided on the inputs the engine had; a release takes the
 * engine's timing (the timer fired, a flush ran) and decides what it owes.
 */
void xsim_replay_event(struct xsim_replay *r, const struct xsim_kev *ev)
{
	bool owed, was_armed;

	if (ev->kind == XSIM_KEV_PUSH) {
		replay_push(r, ev);
		return;
	}
	if (ev->why == XCOAL_RELEASE_DEADLINE)
		owed = xcoal_expire(&r->state);
	else
		owed = xcoal_flush(&r->state, &was_armed);
	if (owed != ev->owed)
		r->mismatches++;
	if (!owed)
		return;
	r->notifications++;
	if (ev->why == XCOAL_RELEASE_DEADLINE)
		r->expiries++;
	else
		r->flushes++;
}

/**
 * xsim_replay_file - replay a trace's events of one point
 * @f: the trace, as tracefs prints it
 * @point: the point's name
 * @r: the replay, zeroed here
 * @line_no: set to the line refused, on error
 * @why: set to the reason, on error
 *
 * Return: 0, or -EINVAL for a malformed event or an over-long line.
 */
int xsim_replay_file(FILE *f, const char *point, struct xsim_replay *r,
		     unsigned long *line_no, const char **why)
{
	char line[XSIM_KEV_LINE_MAX];
	struct xsim_kev ev;
	int rc;

	memset(r, 0, sizeof(*r));
	*line_no = 0;
	while (fgets(line, sizeof(line), f)) {
		++*line_no;
		if (!strchr(line, '\n') && !feof(f)) {
			*why = "a line longer than any event";
			return -EINVAL;
		}
		rc = xsim_kev_parse(line, point, &ev, why);
		if (rc < 0)
			return rc;
		if (rc)
			xsim_replay_event(r, &ev);
	}
	return 0;
}
