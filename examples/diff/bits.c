// SPDX-License-Identifier: GPL-2.0
/* Shifts and rotates by variable counts, double shifts, bit scans, popcount, bit tests. */
#include "diffcommon.h"

static u64 seed = 0x853c49e6748fea9bULL;

static noinline u64 rnd(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

static noinline u8 shl8(u8 a, unsigned int n) { return a << (n & 7); }
static noinline s8 sar8(s8 a, unsigned int n) { return a >> (n & 7); }
static noinline u16 shr16(u16 a, unsigned int n) { return a >> (n & 15); }
static noinline s16 sar16(s16 a, unsigned int n) { return a >> (n & 15); }
static noinline u32 shl32(u32 a, unsigned int n) { return a << (n & 31); }
static noinline u32 shr32(u32 a, unsigned int n) { return a >> (n & 31); }
static noinline s32 sar32(s32 a, unsigned int n) { return a >> (n & 31); }
static noinline u64 shl64(u64 a, unsigned int n) { return a << (n & 63); }
static noinline u64 shr64(u64 a, unsigned int n) { return a >> (n & 63); }
static noinline s64 sar64(s64 a, unsigned int n) { return a >> (n & 63); }
static noinline u8 rotl8(u8 a, unsigned int n) { return (u8)((a << (n & 7)) | (a >> (-n & 7))); }
static noinline u16 rotr16(u16 a, unsigned int n) { return (u16)((a >> (n & 15)) | (a << (-n & 15))); }
static noinline u32 rotl32(u32 a, unsigned int n) { return (a << (n & 31)) | (a >> (-n & 31)); }
static noinline u64 rotr64(u64 a, unsigned int n) { return (a >> (n & 63)) | (a << (-n & 63)); }
static noinline u64 shld64(u64 hi, u64 lo, unsigned int n)
{
	n &= 63;
	return n ? (hi << n) | (lo >> (64 - n)) : hi;
}
static noinline u32 shrd32(u32 lo, u32 hi, unsigned int n)
{
	n &= 31;
	return n ? (lo >> n) | (hi << (32 - n)) : lo;
}
/* Rotate-through-carry and the explicit instructions, same in both builds. */
static noinline u64 rcl_rcr(u64 a, u64 b)
{
	u64 r = a;

	asm("addq %1, %1\n\trclq $3, %0\n\trcrq %0\n\tadcq $0, %0" : "+r"(r), "+r"(b) : : "cc");
	return r ^ b;
}
static noinline u64 shld_cl(u64 a, u64 b, u8 n)
{
	asm("shldq %%cl, %2, %0" : "+r"(a) : "c"(n), "r"(b) : "cc");
	return a;
}
static noinline u32 shrd_imm(u32 a, u32 b)
{
	asm("shrdl $13, %1, %0" : "+r"(a) : "r"(b) : "cc");
	return a;
}
static noinline u64 popcnt_insn(u64 a)
{
	u64 r;

	asm("popcntq %1, %0" : "=r"(r) : "rm"(a) : "cc");
	return r;
}
static noinline u32 lzcnt_insn(u32 a)
{
	u32 r;

	asm("lzcntl %1, %0" : "=r"(r) : "rm"(a) : "cc");
	return r;
}
static noinline u64 tzcnt_insn(u64 a)
{
	u64 r;

	asm("tzcntq %1, %0" : "=r"(r) : "rm"(a) : "cc");
	return r;
}
static noinline int soft_popcount(u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}
static noinline int ctz64(u64 x) { return x ? __builtin_ctzll(x) : 64; }
static noinline int clz64(u64 x) { return x ? __builtin_clzll(x) : 64; }
static noinline int ctz32(u32 x) { return x ? __builtin_ctz(x) : 32; }
static noinline int clz32(u32 x) { return x ? __builtin_clz(x) : 32; }
static noinline int ffs_(int x) { return __builtin_ffs(x); }
static noinline int parity(u64 x) { return soft_popcount(x) & 1; }
static noinline u64 lowbit(u64 x) { return x & -x; }
static noinline u64 clear_low(u64 x) { return x & (x - 1); }
static noinline u64 next_pow2(u64 x)
{
	x--;
	x |= x >> 1; x |= x >> 2; x |= x >> 4; x |= x >> 8; x |= x >> 16; x |= x >> 32;
	return x + 1;
}
static noinline int bt_var(const u64 *w, unsigned int n) { return (w[n / 64] >> (n % 64)) & 1; }
static noinline u32 bitrev32(u32 x)
{
	x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
	x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
	x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
	return __builtin_bswap32(x);
}
static noinline u64 movbe_load(const u64 *p)
{
	return __builtin_bswap64(*p);
}
static noinline int setcc_mix(s64 a, s64 b, u64 c, u64 d)
{
	return (a < b) | (a <= b) << 1 | (c < d) << 2 | (c >= d) << 3 | (a == b) << 4 | ((a ^ b) < 0) << 5 |
	       (__builtin_parityll(c & 0xff)) << 6;
}
static noinline s64 cmov_mix(s64 a, s64 b, u64 c)
{
	s64 m = a > b ? a : b;
	s64 n = (u64)a < c ? a : (s64)c;

	return m - n + ((c & 1) ? a : b);
}

static void run(void)
{
	u64 acc = 0, words[4];
	unsigned int i;

	for (i = 0; i < 4000; i++) {
		u64 a = rnd(), b = rnd();
		unsigned int n = (unsigned int)(b >> 58) + (i & 3) * 64;

		acc += shl8((u8)a, n) + (u8)sar8((s8)a, n) + shr16((u16)a, n) + (u16)sar16((s16)a, n);
		acc = acc * 3 + shl32((u32)a, n) + shr32((u32)a, n) + (u32)sar32((s32)a, n);
		acc = acc * 5 + shl64(a, n) + shr64(a, n) + (u64)sar64((s64)a, n);
		acc ^= rotl8((u8)a, n) + rotr16((u16)a, n) + rotl32((u32)a, n) + rotr64(a, n);
		acc += shld64(a, b, n) ^ shrd32((u32)a, (u32)b, n);
		acc += rcl_rcr(a, b) + shld_cl(a, b, (u8)n) + shrd_imm((u32)a, (u32)b);
		acc += popcnt_insn(a) * 3 + lzcnt_insn((u32)(a >> (n & 63))) + tzcnt_insn(a << (n & 63));
		acc += soft_popcount(a) + ctz64(a & (b << 5)) + clz64(a >> (n & 63)) + ctz32((u32)(a << (n & 31))) +
		       clz32((u32)(b >> (n & 31)));
		acc += ffs_((int)(a >> 20) & (int)b) + parity(a ^ b) + lowbit(a) + clear_low(b) + next_pow2(a >> 2);
		acc ^= bitrev32((u32)a) + movbe_load(&b);
		acc += setcc_mix((s64)a, (s64)b, a >> (n & 63), b) + (u64)cmov_mix((s64)a, (s64)b, a ^ b);
		words[i & 3] = a;
		acc += bt_var(words, n) << (n & 15);
		if (i % 500 == 0)
			out("i%u a=%016llx n=%u acc=%016llx pop=%llu/%d lz=%u tz=%llu\n", i, a, n, acc, popcnt_insn(a),
			    soft_popcount(a), lzcnt_insn((u32)a), tzcnt_insn(b & 0xffff000000000000ULL));
	}
	out("acc %016llx\n", acc);
	out("zero: ctz %d clz %d lz %u tz %llu pop %llu ffs %d np %llu\n", ctz64(OPAQUE(0ULL)), clz32(OPAQUE(0u)),
	    lzcnt_insn(OPAQUE(0u)), tzcnt_insn(OPAQUE(0ULL)), popcnt_insn(OPAQUE(0ULL)), ffs_(OPAQUE(0)), next_pow2(OPAQUE(1ULL)));
	out("edge: %u %d %llu %lld %u\n", shl32(OPAQUE(1u), 31), sar32(OPAQUE(-8), 1), shr64(OPAQUE(~0ULL), 63),
	    sar64(OPAQUE(-1LL << 63), 63), rotl32(OPAQUE(0x80000001u), 1));
}

DIFF_MAIN(bits);
