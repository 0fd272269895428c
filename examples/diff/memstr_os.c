// SPDX-License-Identifier: GPL-2.0
/* memstr.c again, compiled with -Os (see Makefile). */
#include "memstr.c"
