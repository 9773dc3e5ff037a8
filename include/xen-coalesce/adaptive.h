/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The adaptive policy of a notification point: from the estimated gap
 * between frames and the delay the point may add, its frames and usecs.
 * Pure; built into the module and into the user-space tests.
 */
#ifndef _XEN_COALESCE_ADAPTIVE_H
#define _XEN_COALESCE_ADAPTIVE_H

#include "estimator.h"
#include "params.h"

bool xcoal_adapt(const struct xcoal_ewma *e, u32 budget_us, u32 frames_max,
		 struct xcoal_params *out);

#endif /* _XEN_COALESCE_ADAPTIVE_H */
