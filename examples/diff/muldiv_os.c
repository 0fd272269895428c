// SPDX-License-Identifier: GPL-2.0
/* muldiv.c again, compiled with -Os (see Makefile). */
#include "muldiv.c"
