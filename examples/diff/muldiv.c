// SPDX-License-Identifier: GPL-2.0
/* Multiply and divide at every width, including 128-bit products and 128/64 divides. */
#include "diffcommon.h"

static u64 seed = 0x2545f4914f6cdd1dULL;

static noinline u64 rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return seed ^ (seed >> 29);
}

static noinline u8 mulu8(u8 a, u8 b) { return a * b; }
static noinline s8 muls8(s8 a, s8 b) { return a * b; }
static noinline u8 divu8(u8 a, u8 b) { return a / b; }
static noinline s8 divs8(s8 a, s8 b) { return a / b; }
static noinline u8 modu8(u8 a, u8 b) { return a % b; }
static noinline s8 mods8(s8 a, s8 b) { return a % b; }
static noinline u16 divu16(u16 a, u16 b) { return a / b; }
static noinline s16 divs16(s16 a, s16 b) { return a / b; }
static noinline s16 mods16(s16 a, s16 b) { return a % b; }
static noinline u32 divu32(u32 a, u32 b) { return a / b; }
static noinline s32 divs32(s32 a, s32 b) { return a / b; }
static noinline u32 modu32(u32 a, u32 b) { return a % b; }
static noinline s32 mods32(s32 a, s32 b) { return a % b; }
static noinline u64 divu64(u64 a, u64 b) { return a / b; }
static noinline s64 divs64(s64 a, s64 b) { return a / b; }
static noinline u64 modu64(u64 a, u64 b) { return a % b; }
static noinline s64 mods64(s64 a, s64 b) { return a % b; }
static noinline u64 divconst(u64 a) { return a / 10 + a / 7 + a % 1000 + (u64)((s64)a / -3); }
static noinline s32 divconst32(s32 a) { return a / 10 + a / 7 + a % 1000 + a / -3 + a / 16; }
static noinline u32 mulhi32(u32 a, u32 b) { return ((u64)a * b) >> 32; }
static noinline s32 smulhi32(s32 a, s32 b) { return ((s64)a * b) >> 32; }

static noinline u64 mulhi64(u64 a, u64 b) { return ((unsigned __int128)a * b) >> 64; }
static noinline s64 smulhi64(s64 a, s64 b) { return ((__int128)a * b) >> 64; }
static noinline unsigned __int128 mul128(unsigned __int128 a, unsigned __int128 b) { return a * b; }
static noinline __int128 sar128(__int128 a, int n) { return a >> n; }
static noinline unsigned __int128 shl128(unsigned __int128 a, int n) { return a << n; }
static noinline unsigned __int128 add128(unsigned __int128 a, unsigned __int128 b) { return a + b; }
static noinline int cmp128(__int128 a, __int128 b) { return (a < b) - (a > b); }

/* 128/64 divide: the kernel has no __udivti3, so both builds use the instruction directly. */
static noinline u64 div128by64(u64 hi, u64 lo, u64 d, u64 *rem)
{
	u64 q, r;

	asm("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
	*rem = r;
	return q;
}

static noinline s64 idiv128by64(s64 hi, u64 lo, s64 d, s64 *rem)
{
	s64 q, r;

	asm("idivq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
	*rem = r;
	return q;
}

static noinline u32 imul3(u32 a) { return a * 1000003u; }
static noinline u16 imul16_3(u16 a, u16 b) { return a * b * 77; }

static void run(void)
{
	u64 acc = 0, h = 0;
	int i;

	for (i = 0; i < 3000; i++) {
		u64 a = rnd(), b = rnd(), q, r;
		u8 b8 = (u8)b ? (u8)b : 1;
		s8 s8b = (s8)b ? (s8)b : 3;
		u16 b16 = (u16)b ? (u16)b : 1;
		s16 s16b = (s16)b ? (s16)b : 5;
		u32 b32 = (u32)b ? (u32)b : 1;
		s32 s32b = (s32)b ? (s32)b : 7;
		u64 b64 = b ? b : 1;
		s64 s64b = (s64)b ? (s64)b : 9;

		if (i % 4 == 1) {
			b32 >>= (a & 31);
			b32 = b32 ? b32 : 13;
			b64 >>= (a & 63);
			b64 = b64 ? b64 : 17;
			s64b >>= (a & 63);
			s64b = s64b ? s64b : -3;
		}
		if ((s8)a == -128 && s8b == -1)
			s8b = 2;
		if ((s16)a == -32768 && s16b == -1)
			s16b = 2;
		if ((s32)a == (s32)0x80000000 && s32b == -1)
			s32b = 2;
		if ((s64)a == (s64)0x8000000000000000ULL && s64b == -1)
			s64b = 2;
		acc += mulu8((u8)a, (u8)b) + (u8)muls8((s8)a, (s8)b);
		acc += divu8((u8)a, b8) * 3 + (u8)divs8((s8)a, s8b) * 5 + modu8((u8)a, b8) + (u8)mods8((s8)a, s8b);
		acc = acc * 7 + divu16((u16)a, b16) + (u16)divs16((s16)a, s16b) + (u16)mods16((s16)a, s16b);
		acc = acc * 11 + divu32((u32)a, b32) + (u32)divs32((s32)a, s32b) + modu32((u32)a, b32) + (u32)mods32((s32)a, s32b);
		acc = acc * 13 + divu64(a, b64) + (u64)divs64((s64)a, s64b) + modu64(a, b64) + (u64)mods64((s64)a, s64b);
		acc += divconst(a) + (u32)divconst32((s32)a);
		acc ^= mulhi32((u32)a, (u32)b) + (u32)smulhi32((s32)a, (s32)b);
		acc ^= mulhi64(a, b) + (u64)smulhi64((s64)a, (s64)b);
		acc += imul3((u32)a) + imul16_3((u16)a, (u16)b);
		q = div128by64(a % b64, b, b64, &r);
		h = h * 131 + q + r;
		{
			/* dividend = x * d + e with |e| < |d|: the quotient x always fits */
			s64 x = (s64)a >> 2, d = (s64)b >> (a & 63), sr, sq;
			__int128 n;

			if (d == 0 || d == -1)
				d = 12345;
			n = (__int128)x * d + (s64)(b % 3) * (d < 0 ? -1 : 1) * ((x < 0) ? -1 : 1);
			sq = idiv128by64((s64)(n >> 64), (u64)n, d, &sr);
			h = h * 31 + (u64)sq + (u64)sr;
		}
		if (i < 6)
			out("i%d a=%llx b=%llx d64=%llu m64=%lld q=%llx r=%llx h=%llx\n", i, a, b,
			    divu64(a, b64), mods64((s64)a, s64b), q, r, h);
	}
	out("acc %016llx h %016llx\n", acc, h);
	{
		unsigned __int128 x = mul128(((unsigned __int128)OPAQUE(0x0123456789abcdefULL) << 64) | OPAQUE(0xfedcba9876543210ULL),
					     ((unsigned __int128)OPAQUE(3ULL) << 64) | OPAQUE(0xffffffff00000001ULL));
		__int128 y = sar128((__int128)x, OPAQUE(77));
		unsigned __int128 z = shl128(x, OPAQUE(65)), s = add128(x, z);

		out("128 %016llx%016llx\n", (u64)(x >> 64), (u64)x);
		out("sar %016llx%016llx shl %016llx%016llx\n", (u64)(y >> 64), (u64)y, (u64)(z >> 64), (u64)z);
		out("add %016llx%016llx cmp %d %d\n", (u64)(s >> 64), (u64)s, cmp128(y, (__int128)z), cmp128((__int128)z, y));
		out("mulhi %016llx %016llx\n", mulhi64(OPAQUE(~0ULL), OPAQUE(~0ULL)), (u64)smulhi64(OPAQUE(-1LL << 62), OPAQUE(5LL)));
	}
	out("s8 %d %d %d u16 %u s32 %d %d\n", divs8(OPAQUE((s8)-128), OPAQUE((s8)3)), mods8(OPAQUE((s8)-7), OPAQUE((s8)2)),
	    divs8(OPAQUE((s8)127), OPAQUE((s8)-2)), divu16(OPAQUE((u16)65535), OPAQUE((u16)255)),
	    divs32(OPAQUE(-2147483647 - 1), OPAQUE(7)), mods32(OPAQUE(-2147483647 - 1), OPAQUE(-7)));
}

DIFF_MAIN(muldiv);
