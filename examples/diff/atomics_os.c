// SPDX-License-Identifier: GPL-2.0
/* atomics.c again, compiled with -Os (see Makefile). */
#include "atomics.c"
