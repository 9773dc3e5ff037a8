/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP harness for the user-space unit tests of the pure policy
 * code. A test is a function listed with its title in its file's suite;
 * the EXPECT macros record a failure with what was expected and what was seen, and go on.
 */
#ifndef _XCOAL_UNIT_H
#define _XCOAL_UNIT_H

#include <stdio.h>
#include <string.h>

#include <xen-coalesce/compat.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* A test file's tests, listed in a table at its end. */
struct unit_suite {
	const struct unit_test *tests;
	unsigned int count;
};

/* The suites, one per test file, run in this order by unit.c. */
extern const struct unit_suite params_suite;
extern const struct unit_suite coalescer_suite;
extern const struct unit_suite estimator_suite;
extern const struct unit_suite classes_suite;
extern const struct unit_suite nic_policy_suite;
extern const struct unit_suite sim_suite;
extern const struct unit_suite ktrace_suite;

void unit_fail(const char *file, int line, const char *fmt, ...);
/* Failures of the running test so far: long loops stop at the first. */
int unit_failures(void);

#define EXPECT_EQ(seen, expected)					\
	do {								\
		long long __s = (long long)(seen);			\
		long long __e = (long long)(expected);			\
		if (__s != __e)						\
			unit_fail(__FILE__, __LINE__,			\
				  "%s: expected %lld, seen %lld",	\
				  #seen, __e, __s);			\
	} while (0)

#define EXPECT_STR(seen, expected)					\
	do {								\
		const char *__s = (seen), *__e = (expected);		\
		if (!__s || strcmp(__s, __e))				\
			unit_fail(__FILE__, __LINE__,			\
				  "%s: expected \"%s\", seen \"%s\"",	\
				  #seen, __e, __s ? __s : "(null)");	\
	} while (0)

#define EXPECT_TRUE(cond)						\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, "%s is false",	\
				  #cond);				\
	} while (0)

#endif /* _XCOAL_UNIT_H */
