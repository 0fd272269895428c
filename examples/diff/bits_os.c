// SPDX-License-Identifier: GPL-2.0
/* bits.c again, compiled with -Os (see Makefile). */
#include "bits.c"
