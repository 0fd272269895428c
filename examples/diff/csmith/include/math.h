/* SPDX-License-Identifier: GPL-2.0 */
/* Stub <math.h> for csmith modules: declarations for safe_math.h's unused float helpers. */
#ifndef CSMITH_STUB_MATH_H
#define CSMITH_STUB_MATH_H
float fabsf(float);
double fabs(double);
float ldexpf(float, int);
double ldexp(double, int);
#endif
