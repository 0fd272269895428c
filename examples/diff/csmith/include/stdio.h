/* SPDX-License-Identifier: GPL-2.0 */
/* Stub <stdio.h> for csmith modules: printf is the kernel's printk. */
#ifndef CSMITH_STUB_STDIO_H
#define CSMITH_STUB_STDIO_H
int _printk(const char *fmt, ...);
#define printf _printk
#endif
