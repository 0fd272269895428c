/* SPDX-License-Identifier: GPL-2.0 */
/* Stub <string.h> for csmith modules: the kernel's exported string functions. */
#ifndef CSMITH_STUB_STRING_H
#define CSMITH_STUB_STRING_H
typedef unsigned long size_t;
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
int strcmp(const char *, const char *);
#endif
