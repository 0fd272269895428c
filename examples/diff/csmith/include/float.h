/* SPDX-License-Identifier: GPL-2.0 */
/* Stub <float.h> for csmith modules (built with --no-float; only safe_math.h's unused helpers
 * mention these). */
#ifndef CSMITH_STUB_FLOAT_H
#define CSMITH_STUB_FLOAT_H
#define FLT_MAX 3.40282346638528859812e+38F
#define DBL_MAX 1.79769313486231570815e+308
#endif
