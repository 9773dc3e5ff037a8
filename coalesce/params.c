// SPDX-License-Identifier: GPL-2.0
/*
 * Pure checks of coalescing parameters, latency classes and budgets.
 * Built into xen-coalesce.ko and into the user-space unit tests, so it
 * includes nothing but the compat header.
 */
#include <xen-coalesce/params.h>

static const char * const xcoal_class_names[XCOAL_CLASS_COUNT] = {
	[XCOAL_CLASS_NONE] = "none",
	[XCOAL_CLASS_A] = "A",
	[XCOAL_CLASS_B] = "B",
	[XCOAL_CLASS_C] = "C",
};

/**
 * xcoal_params_enabled - whether @p defers any notification
 * @p: parameters that passed xcoal_params_check()
 *
 * Return: true when a notification may wait for the deadline.
 */
bool xcoal_params_enabled(const struct xcoal_params *p)
{
	return p->usecs && p->frames != 1;
}
EXPORT_SYMBOL_GPL(xcoal_params_enabled);

/**
 * xcoal_params_frames_ceiling - the most frames an adaptive point may wait for
 * @p: parameters that passed xcoal_params_check()
 *
 * Return: @p->frames, or a ring's worth when it is 0 (no threshold).
 */
u32 xcoal_params_frames_ceiling(const struct xcoal_params *p)
{
	return p->frames ? p->frames : XCOAL_FRAMES_MAX;
}
EXPORT_SYMBOL_GPL(xcoal_params_frames_ceiling);

/**
 * xcoal_params_check - validate one notification point's parameters
 * @p: the parameters
 * @why: set to a short reason when the parameters are refused
 *
 * Return: 0 if @p can be applied, -EINVAL otherwise.
 */
int xcoal_params_check(const struct xcoal_params *p, const char **why)
{
	if (p->usecs > XCOAL_USECS_MAX) {
		*why = "usecs above 10000";
		return -EINVAL;
	}
	if (p->frames > XCOAL_FRAMES_MAX) {
		*why = "frames above 256 (a ring never holds more)";
		return -EINVAL;
	}
	/* Without a deadline a lone frame would wait forever. */
	if (!p->usecs && p->frames > 1) {
		*why = "frames > 1 needs usecs > 0";
		return -EINVAL;
	}
	if (p->adaptive && !p->usecs) {
		*why = "adaptive needs usecs > 0 (its ceiling)";
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_params_check);

/**
 * xcoal_params_clamp - bring parameters from an untrusted source into range
 * @p: the parameters, changed in place
 *
 * Values above the limits are lowered to them; frames without a deadline
 * are dropped, as a lone frame would otherwise wait forever. The result
 * always passes xcoal_params_check().
 *
 * Return: true if @p was changed.
 */
bool xcoal_params_clamp(struct xcoal_params *p)
{
	bool changed = false;

	if (p->usecs > XCOAL_USECS_MAX) {
		p->usecs = XCOAL_USECS_MAX;
		changed = true;
	}
	if (p->frames > XCOAL_FRAMES_MAX) {
		p->frames = XCOAL_FRAMES_MAX;
		changed = true;
	}
	if (!p->usecs && p->frames > 1) {
		p->frames = 0;
		changed = true;
	}
	if (!p->usecs && p->adaptive) {
		p->adaptive = false;
		changed = true;
	}
	return changed;
}
EXPORT_SYMBOL_GPL(xcoal_params_clamp);

/* Strip one trailing newline, as sysfs and echo hand it to us. */
static size_t xcoal_trim(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return len;
}

/**
 * xcoal_u32_parse - parse a plain decimal u32 (sysfs, xenstore)
 * @buf: digits only, no sign, optionally newline-terminated
 * @len: bytes in @buf, which need not be NUL-terminated
 * @val: the value, set only on success
 *
 * Return: 0, -EINVAL when not a number, -ERANGE when above U32_MAX.
 */
int xcoal_u32_parse(const char *buf, size_t len, u32 *val)
{
	u64 v = 0;
	size_t i;

	len = xcoal_trim(buf, len);
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		v = v * 10 + (u64)(buf[i] - '0');
		if (v > 0xffffffffULL)
			return -ERANGE;
	}
	*val = (u32)v;
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_u32_parse);

/**
 * xcoal_class_parse - parse a latency class as written to sysfs
 * @buf: "A", "B", "C" or "none" (any case), optionally newline-terminated
 * @len: bytes in @buf, which need not be NUL-terminated
 * @class: the class, set only on success
 *
 * Return: 0 on success, -EINVAL for anything else.
 */
int xcoal_class_parse(const char *buf, size_t len, enum xcoal_class *class)
{
	unsigned int c;
	size_t i;

	len = xcoal_trim(buf, len);
	for (c = 0; c < XCOAL_CLASS_COUNT; c++) {
		const char *name = xcoal_class_names[c];

		for (i = 0; i < len && name[i]; i++)
			if ((buf[i] | 0x20) != (name[i] | 0x20))
				break;
		if (i == len && !name[i]) {
			*class = c;
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(xcoal_class_parse);

/**
 * xcoal_class_name - the name sysfs shows for a class
 * @class: a class
 *
 * Return: "none", "A", "B", "C", or "invalid" for an out-of-range value.
 */
const char *xcoal_class_name(enum xcoal_class class)
{
	if ((unsigned int)class >= XCOAL_CLASS_COUNT)
		return "invalid";
	return xcoal_class_names[class];
}
EXPORT_SYMBOL_GPL(xcoal_class_name);

/**
 * xcoal_budget_parse - parse a class B latency budget in microseconds
 * @buf: decimal microseconds, optionally newline-terminated
 * @len: bytes in @buf
 * @budget_us: the budget, set only on success
 * @why: set to a short reason on failure
 *
 * Return: 0 on success, -EINVAL when not a number or out of range.
 */
int xcoal_budget_parse(const char *buf, size_t len, u32 *budget_us,
		       const char **why)
{
	u32 v;

	if (xcoal_u32_parse(buf, len, &v)) {
		*why = "budget is not a decimal number of microseconds";
		return -EINVAL;
	}
	if (v < XCOAL_BUDGET_MIN_US || v > XCOAL_BUDGET_MAX_US) {
		*why = "budget outside 1..10000 us";
		return -EINVAL;
	}
	*budget_us = v;
	return 0;
}
EXPORT_SYMBOL_GPL(xcoal_budget_parse);
