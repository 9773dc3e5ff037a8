// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of coalesce/params.c: what parameters, classes and budgets we
 * accept, and that a refusal always says why and changes nothing.
 */
#include <stdlib.h>

#include <xen-coalesce/params.h>

#include "unit.h"

static int check(u32 usecs, u32 frames, const char **why)
{
	struct xcoal_params p = { .usecs = usecs, .frames = frames };

	*why = NULL;
	return xcoal_params_check(&p, why);
}

static void params_accepts_the_range(void)
{
	static const u32 usecs[] = { 1, 2, 50, 1000, XCOAL_USECS_MAX };
	static const u32 frames[] = { 0, 1, 2, 64, XCOAL_FRAMES_MAX };
	const char *why;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(usecs); i++)
		for (j = 0; j < ARRAY_SIZE(frames); j++) {
			EXPECT_EQ(check(usecs[i], frames[j], &why), 0);
			EXPECT_TRUE(!why);
		}
	EXPECT_EQ(check(0, 0, &why), 0);
	EXPECT_EQ(check(0, 1, &why), 0);
}

static void params_refuses_out_of_range(void)
{
	const char *why;

	EXPECT_EQ(check(XCOAL_USECS_MAX + 1, 0, &why), -EINVAL);
	EXPECT_STR(why, "usecs above 10000");
	EXPECT_EQ(check(0xffffffffU, 1, &why), -EINVAL);
	EXPECT_EQ(check(100, XCOAL_FRAMES_MAX + 1, &why), -EINVAL);
	EXPECT_STR(why, "frames above 256 (a ring never holds more)");
	EXPECT_EQ(check(100, 0xffffffffU, &why), -EINVAL);
}

static void params_no_deadline_refused(void)
{
	const char *why;

	EXPECT_EQ(check(0, 2, &why), -EINVAL);
	EXPECT_STR(why, "frames > 1 needs usecs > 0");
	EXPECT_EQ(check(0, XCOAL_FRAMES_MAX, &why), -EINVAL);
	/* Adaptive needs a ceiling to adapt within. */
	EXPECT_EQ(xcoal_params_check(&(struct xcoal_params){ .adaptive = true }, &why), -EINVAL);
	EXPECT_STR(why, "adaptive needs usecs > 0 (its ceiling)");
	EXPECT_EQ(xcoal_params_check(&(struct xcoal_params){ .usecs = 1, .adaptive = true },
				     &why), 0);
}

static void params_enabled(void)
{
	struct xcoal_params p;

	p = (struct xcoal_params){ .usecs = 0, .frames = 0 };
	EXPECT_EQ(xcoal_params_enabled(&p), false);
	p = (struct xcoal_params){ .usecs = 0, .frames = 1 };
	EXPECT_EQ(xcoal_params_enabled(&p), false);
	p = (struct xcoal_params){ .usecs = 100, .frames = 1 };
	EXPECT_EQ(xcoal_params_enabled(&p), false);
	p = (struct xcoal_params){ .usecs = 100, .frames = 0 };
	EXPECT_EQ(xcoal_params_enabled(&p), true);
	p = (struct xcoal_params){ .usecs = 1, .frames = 64 };
	EXPECT_EQ(xcoal_params_enabled(&p), true);
	EXPECT_EQ(xcoal_params_frames_ceiling(&p), 64);
	p.frames = 0;	/* no threshold: a ring's worth */
	EXPECT_EQ(xcoal_params_frames_ceiling(&p), XCOAL_FRAMES_MAX);
}

static int parse_class(const char *s, enum xcoal_class *c)
{
	return xcoal_class_parse(s, strlen(s), c);
}

static void class_parse_names(void)
{
	static const struct {
		const char *in;
		enum xcoal_class out;
	} cases[] = {
		{ "A", XCOAL_CLASS_A }, { "a\n", XCOAL_CLASS_A },
		{ "B", XCOAL_CLASS_B }, { "b", XCOAL_CLASS_B },
		{ "C\n", XCOAL_CLASS_C }, { "none", XCOAL_CLASS_NONE },
		{ "NONE\n", XCOAL_CLASS_NONE },
	};
	enum xcoal_class c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		c = XCOAL_CLASS_COUNT;
		EXPECT_EQ(parse_class(cases[i].in, &c), 0);
		EXPECT_EQ(c, cases[i].out);
	}
}

static void class_parse_rejects(void)
{
	static const char * const bad[] = {
		"", "\n", "D", "AB", "A\n\n", " A", "A ", "non", "nonee",
		"invalid", "1", "\nA",
	};
	enum xcoal_class c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		c = XCOAL_CLASS_B;
		EXPECT_EQ(parse_class(bad[i], &c), -EINVAL);
		EXPECT_EQ(c, XCOAL_CLASS_B);
	}
	/* Not NUL-terminated: only len bytes count. */
	EXPECT_EQ(xcoal_class_parse("Cx", 1, &c), 0);
	EXPECT_EQ(c, XCOAL_CLASS_C);
}

static void class_names_round_trip(void)
{
	enum xcoal_class c, back;

	for (c = XCOAL_CLASS_NONE; c < XCOAL_CLASS_COUNT; c++) {
		EXPECT_EQ(parse_class(xcoal_class_name(c), &back), 0);
		EXPECT_EQ(back, c);
	}
	EXPECT_STR(xcoal_class_name(XCOAL_CLASS_COUNT), "invalid");
	EXPECT_STR(xcoal_class_name((enum xcoal_class)-1), "invalid");
}

static int parse_budget(const char *s, u32 *b, const char **why)
{
	*why = NULL;
	return xcoal_budget_parse(s, strlen(s), b, why);
}

static void budget_parse_range(void)
{
	const char *why;
	u32 b = 0;

	EXPECT_EQ(parse_budget("1", &b, &why), 0);
	EXPECT_EQ(b, 1);
	EXPECT_EQ(parse_budget("100\n", &b, &why), 0);
	EXPECT_EQ(b, 100);
	EXPECT_EQ(parse_budget("10000", &b, &why), 0);
	EXPECT_EQ(b, XCOAL_BUDGET_MAX_US);
	EXPECT_EQ(parse_budget("000042", &b, &why), 0);
	EXPECT_EQ(b, 42);
}

static void budget_parse_rejects(void)
{
	static const char * const range[] = { "0", "10001", "4294967295" };
	static const char * const junk[] = {
		"", "\n", "-1", "+5", " 5", "5 ", "5us", "0x10", "1e3",
		"4294967296", "99999999999999999999",
	};
	const char *why;
	unsigned int i;
	u32 b;

	for (i = 0; i < ARRAY_SIZE(range); i++) {
		b = 7;
		EXPECT_EQ(parse_budget(range[i], &b, &why), -EINVAL);
		EXPECT_STR(why, "budget outside 1..10000 us");
		EXPECT_EQ(b, 7);
	}
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		b = 7;
		EXPECT_EQ(parse_budget(junk[i], &b, &why), -EINVAL);
		EXPECT_STR(why, "budget is not a decimal number of microseconds");
		EXPECT_EQ(b, 7);
	}
}

static void params_clamp_always_valid(void)
{
	static const u32 edges[] = {
		0, 1, 2, 255, 256, 257, 9999, 10000, 10001, 0x7fffffffU,
		0xffffffffU,
	};
	unsigned int i, j, seed = 4242;
	const char *why;

	for (i = 0; i < ARRAY_SIZE(edges) * ARRAY_SIZE(edges) + 100000; i++) {
		struct xcoal_params p, before;
		bool valid, changed;

		if (i < ARRAY_SIZE(edges) * ARRAY_SIZE(edges)) {
			j = i / ARRAY_SIZE(edges);
			p.usecs = edges[j];
			p.frames = edges[i % ARRAY_SIZE(edges)];
		} else {
			/* rand_r() gives 31 bits; the shift covers the top one */
			p.usecs = (u32)rand_r(&seed) << (rand_r(&seed) % 2);
			p.frames = (u32)rand_r(&seed) % 600;
		}
		p.adaptive = i & 1;
		before = p;
		valid = !xcoal_params_check(&p, &why);
		changed = xcoal_params_clamp(&p);
		EXPECT_EQ(xcoal_params_check(&p, &why), 0);
		EXPECT_EQ(changed, !valid);
		if (valid) {
			EXPECT_EQ(p.usecs, before.usecs);
			EXPECT_EQ(p.frames, before.frames);
			EXPECT_EQ(p.adaptive, before.adaptive);
		}
		/* Clamping never adds delay: no longer a deadline, no more frames. */
		EXPECT_TRUE(p.usecs <= before.usecs && p.frames <= before.frames);
	}
}

static void u32_parse_values(void)
{
	static const char * const junk[] = {
		"", "\n", "-1", "+5", " 5", "5 ", "5us", "0x10", "1e3",
	};
	unsigned int i;
	u32 v;

	EXPECT_EQ(xcoal_u32_parse("0", 1, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(xcoal_u32_parse("4294967295\n", 11, &v), 0);
	EXPECT_EQ(v, 0xffffffffU);
	/* The length bounds the parse: the buffer need not end in NUL. */
	EXPECT_EQ(xcoal_u32_parse("12345", 3, &v), 0);
	EXPECT_EQ(v, 123);
	v = 7;
	EXPECT_EQ(xcoal_u32_parse("4294967296", 10, &v), -ERANGE);
	EXPECT_EQ(v, 7);
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		EXPECT_EQ(xcoal_u32_parse(junk[i], strlen(junk[i]), &v), -EINVAL);
		EXPECT_EQ(v, 7);
	}
}

static const struct unit_test params_tests[] = {
	{ "params: clamp of untrusted values always passes the check, never adds delay",
	  params_clamp_always_valid },
	{ "params: u32 parse takes plain decimals only, bounded by its length",
	  u32_parse_values },
	{ "params: 0..10000 usecs x 0..256 frames accepted",
	  params_accepts_the_range },
	{ "params: usecs > 10000 or frames > 256 refused with a reason",
	  params_refuses_out_of_range },
	{ "params: frames > 1 without usecs refused (it would strand a frame)",
	  params_no_deadline_refused },
	{ "params: enabled only with a deadline and frames != 1",
	  params_enabled },
	{ "class: A, B, C, none parsed in any case, with or without newline",
	  class_parse_names },
	{ "class: anything else refused, class left unchanged",
	  class_parse_rejects },
	{ "class: every name parses back to its class; out of range is 'invalid'",
	  class_names_round_trip },
	{ "budget: 1..10000 us accepted, newline allowed",
	  budget_parse_range },
	{ "budget: 0, > 10000, signs, junk and overflow refused, value unchanged",
	  budget_parse_rejects },
};

const struct unit_suite params_suite = {
	params_tests, ARRAY_SIZE(params_tests)
};
