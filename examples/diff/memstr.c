// SPDX-License-Identifier: GPL-2.0
/* Large memcpy/memset (rep movs/stos), memmove, memcmp, string functions, snprintf formats. */
#include "diffcommon.h"

#define BUF 8192

static u32 fnv(const void *p, size_t n)
{
	const u8 *b = p;
	u32 h = 2166136261u;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* The string instructions themselves, as both builds emit them. */
static noinline void rep_movsb(void *d, const void *s, size_t n)
{
	asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}
static noinline void rep_stosq(void *d, u64 v, size_t n)
{
	asm volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(v) : "memory");
}
static noinline void std_movsq(void *d, const void *s, size_t n)
{
	/* backwards copy with the direction flag set */
	d = (char *)d + (n - 1) * 8;
	s = (const char *)s + (n - 1) * 8;
	asm volatile("std\n\trep movsq\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}
static noinline size_t repne_scasb(const char *s, size_t max)
{
	size_t n = max;
	const char *p = s;

	asm volatile("repne scasb" : "+D"(p), "+c"(n) : "a"(0) : "memory", "cc");
	return max - n - 1;
}
static noinline int repe_cmpsb(const void *a, const void *b, size_t n)
{
	u8 eq;

	asm volatile("repe cmpsb\n\tsete %0" : "=r"(eq), "+D"(a), "+S"(b), "+c"(n) : : "memory", "cc");
	return eq * 1000 + (int)n;
}

static void run(void)
{
	u8 *a = diff_alloc(BUF), *b = diff_alloc(BUF);
	char s[128], t[64], *p;
	int i, n;

	if (!a || !b)
		return;
	for (i = 0; i < BUF; i++)
		a[i] = (u8)(i * 7 + (i >> 8));
	memcpy(b, a, BUF);
	out("memcpy %08x %08x\n", fnv(a, BUF), fnv(b, BUF));
	memset(b + 100, 0x5a, 5000);
	out("memset %08x\n", fnv(b, BUF));
	memmove(b + 1, b, 4000);
	out("memmove fwd %08x\n", fnv(b, BUF));
	memmove(b, b + 3, 4000);
	out("memmove back %08x\n", fnv(b, BUF));
	out("memcmp %d %d %d\n", memcmp(a, b, 0) == 0, memcmp(a, a, BUF) == 0, memcmp(a, b, BUF) > 0);
	rep_movsb(b + 5, a + 17, 3001);
	out("movsb %08x\n", fnv(b, BUF));
	rep_stosq(b + 8, 0x0102030405060708ULL, 100);
	out("stosq %08x\n", fnv(b, BUF));
	std_movsq(b + 64, b + 8, 200);
	out("std movsq %08x\n", fnv(b, BUF));
	for (i = 1; i < 64; i += 7) {
		memcpy(b + i, a + 3 * i, (size_t)i * 13);
		memset(a + 2 * i, i, (size_t)i * 5);
	}
	out("small %08x %08x\n", fnv(a, BUF), fnv(b, BUF));

	strcpy(s, "The quick brown fox");
	strcat(s, " jumps over");
	strncat(s, " the lazy dog!!!", 13);
	out("str '%s' len %zu scas %zu\n", s, strlen(s), repne_scasb(s, sizeof(s)));
	out("cmps %d %d\n", repe_cmpsb("abcdef", "abcxef", 6), repe_cmpsb("same", "same", 4));
	out("cmp %d %d %d %d\n", strcmp(s, "The") > 0, strncmp(s, "The quack", 6) > 0, strcmp("a", "a"),
	    strncmp("abc", "abd", 2));
	p = strchr(s, 'q');
	out("chr %s | rchr %s | str %s\n", p, strrchr(s, 'o'), strstr(s, "lazy"));
	out("nlen %zu %zu\n", strnlen(s, 5), strnlen("xy", 10));
	memset(t, 'x', sizeof(t));
	strncpy(t, "short", 10);
	out("ncpy %d %d %d\n", t[4], t[7], t[10]);

	n = snprintf(s, sizeof(s), "[%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%#o|%o]", 42, 42, 42, 42, 42, 255, 255, 255, 8, 8);
	out("%s %d\n", s, n);
	n = snprintf(s, sizeof(s), "[%lld|%llu|%llx|%ld|%lu|%hd|%hu|%hhd|%hhu|%zu|%zd]", -1LL, ~0ULL, 0xdeadbeefcafeULL,
		     -123456789L, 987654321UL, (short)-3, (unsigned short)65535, (signed char)-128, (unsigned char)200,
		     (size_t)77, (ssize_t)-77);
	out("%s %d\n", s, n);
	n = snprintf(s, sizeof(s), "[%.3d|%8.3d|%-8.3x|%c|%-3c|%3c|%s|%.2s|%8s|%-8s|%8.3s]", 7, -7, 0xab, 'Z',
		     'a', 'b', "str", "string", "right", "left", "abcdef");
	out("%s %d\n", s, n);
	n = snprintf(s, 10, "%s", "truncated output here");
	out("%s %d\n", s, n);
	n = snprintf(s, sizeof(s), "[%#llx|%#08x|%-#10o|%+5i|% 05d|%i]", 0x10ULL, 0x1f, 9, -3, 12, -2147483647 - 1);
	out("%s %d\n", s, n);
	n = snprintf(s, sizeof(s), "[%u|%d|%x|%lld|%llx]", 0x80000000u, 0x7fffffff, 0u, (long long)-9223372036854775807LL - 1,
		     0x8000000000000000ULL);
	out("%s %d\n", s, n);
	diff_free(a);
	diff_free(b);
}

DIFF_MAIN(memstr);
