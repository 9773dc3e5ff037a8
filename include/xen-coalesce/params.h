/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Coalescing parameters and latency classes: the values an administrator,
 * a module parameter or a peer domain hands us, and the pure checks that
 * decide whether we take them. Nothing here touches a device.
 */
#ifndef _XEN_COALESCE_PARAMS_H
#define _XEN_COALESCE_PARAMS_H

#include "compat.h"

/*
 * Upper bounds. A deferred notification must always have a deadline that a
 * human would still call "interrupt latency": 10 ms. A netif ring has 256
 * slots, so waiting for more frames than that can never be satisfied.
 */
#define XCOAL_USECS_MAX		10000U
#define XCOAL_FRAMES_MAX	256U
#define XCOAL_BUDGET_MIN_US	1U
#define XCOAL_BUDGET_MAX_US	XCOAL_USECS_MAX
#define XCOAL_BUDGET_DEFAULT_US	100U

/**
 * struct xcoal_params - coalescing of one notification point
 * @usecs: deadline in microseconds, counted from the first deferred
 *	notification (an absolute timer, never re-armed by later frames);
 *	0 disables coalescing
 * @frames: notify as soon as this many frames are pending; 0 means no
 *	frame threshold (the deadline alone releases), 1 means notify at once
 * @adaptive: choose the deadline and threshold in force from the measured
 *	rate (coalesce/adaptive.c), with @usecs and @frames as their ceilings
 *	(@frames 0: up to a ring)
 */
struct xcoal_params {
	u32 usecs;
	u32 frames;
	bool adaptive;
};

/**
 * enum xcoal_class - latency class of a VIF
 * @XCOAL_CLASS_NONE: no class: the VIF follows ethtool and the defaults
 * @XCOAL_CLASS_A: lowest latency, no added delay at any layer
 * @XCOAL_CLASS_B: added delay end to end bounded by a budget
 * @XCOAL_CLASS_C: throughput, adaptive within a ceiling
 * @XCOAL_CLASS_COUNT: number of classes
 */
enum xcoal_class {
	XCOAL_CLASS_NONE,
	XCOAL_CLASS_A,
	XCOAL_CLASS_B,
	XCOAL_CLASS_C,
	XCOAL_CLASS_COUNT,
};

bool xcoal_params_enabled(const struct xcoal_params *p);
u32 xcoal_params_frames_ceiling(const struct xcoal_params *p);
int xcoal_params_check(const struct xcoal_params *p, const char **why);
bool xcoal_params_clamp(struct xcoal_params *p);
int xcoal_u32_parse(const char *buf, size_t len, u32 *val);
int xcoal_class_parse(const char *buf, size_t len, enum xcoal_class *class);
const char *xcoal_class_name(enum xcoal_class class);
int xcoal_budget_parse(const char *buf, size_t len, u32 *budget_us,
		       const char **why);

#endif /* _XEN_COALESCE_PARAMS_H */
