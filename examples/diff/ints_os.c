// SPDX-License-Identifier: GPL-2.0
/* ints.c again, compiled with -Os (see Makefile). */
#include "ints.c"
