// SPDX-License-Identifier: GPL-2.0
/* control.c again, compiled with -Os (see Makefile). */
#include "control.c"
