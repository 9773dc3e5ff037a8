// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every suite's tests in order (argv[1], if given, picks those whose
 * title contains it) and prints TAP, one line per test, then "N passed, N failed".
 */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

static const struct unit_suite *suites[] = {
	&params_suite,
	&coalescer_suite,
	&estimator_suite,
	&classes_suite,
	&nic_policy_suite,
	&sim_suite,
	&ktrace_suite,
};

static int current_failures;

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failures++;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int unit_failures(void)
{
	return current_failures;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int n = 0, passed = 0, failed = 0;
	const struct unit_test *t;
	unsigned int i, j;

	printf("TAP version 13\n");
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		for (j = 0; j < suites[i]->count; j++) {
			t = &suites[i]->tests[j];
			if (only && !strstr(t->name, only))
				continue;
			current_failures = 0;
			t->fn();
			n++;
			if (current_failures)
				failed++;
			else
				passed++;
			printf("%sok %d - %s\n", current_failures ? "not " : "",
			       n, t->name);
			fflush(stdout);
		}
	}
	printf("1..%d\n", n);
	printf("# unit totals: passed %d, failed %d\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
