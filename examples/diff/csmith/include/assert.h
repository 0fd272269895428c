/* SPDX-License-Identifier: GPL-2.0 */
/* Stub <assert.h> for csmith modules: assertions compile away. */
#ifndef CSMITH_STUB_ASSERT_H
#define CSMITH_STUB_ASSERT_H
#define assert(e) ((void)0)
#endif
