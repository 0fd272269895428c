/* SPDX-License-Identifier: GPL-2.0 */
/* Stub <stdlib.h> for csmith modules (nothing csmith's generated code needs). */
#ifndef CSMITH_STUB_STDLIB_H
#define CSMITH_STUB_STDLIB_H
#endif
