/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz targets' one assertion: a broken promise aborts, which
 * libFuzzer reports with the input that broke it.
 */
#ifndef _XCOAL_FUZZ_PROMISE_H
#define _XCOAL_FUZZ_PROMISE_H

#include <stdio.h>
#include <stdlib.h>

#define PROMISE(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "broken promise: %s\n", #cond);	\
			abort();					\
		}							\
	} while (0)

#endif /* _XCOAL_FUZZ_PROMISE_H */
