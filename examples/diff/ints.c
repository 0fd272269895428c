// SPDX-License-Identifier: GPL-2.0
/* Integer widths, signed/unsigned mixes, sign and zero extension, 8/16-bit partial registers. */
#include "diffcommon.h"

static u64 seed = 0x9e3779b97f4a7c15ULL;

static noinline u64 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static noinline s64 widen_s8(s8 v) { return v; }
static noinline u64 widen_u8(u8 v) { return v; }
static noinline s64 widen_s16(s16 v) { return v; }
static noinline u64 widen_u16(u16 v) { return v; }
static noinline s64 widen_s32(s32 v) { return v; }
static noinline u64 widen_u32(u32 v) { return v; }
static noinline u32 s8_to_u32(s8 v) { return v; }
static noinline s32 u8_to_s32(u8 v) { return v; }
static noinline u16 s8_to_u16(s8 v) { return v; }

static noinline int mix_cmp(int a, unsigned int b) { return a < b; }
static noinline int mix_cmp64(long long a, unsigned long long b) { return a < b; }
static noinline int mix_cmp16(short a, unsigned short b) { return a < b; }
static noinline int mix_cmp8(signed char a, unsigned char b) { return a < b; }
static noinline long long mix_add(int a, unsigned int b, short c, unsigned char d)
{
	return a + b + c + d;
}

union word {
	u64 q;
	u32 d[2];
	u16 w[4];
	u8 b[8];
};

/* Byte and word lanes of a value held in registers: gcc uses %ah..%dh and movzbl %ah. */
static noinline u32 hi_bytes(u32 a, u32 b, u32 c, u32 d)
{
	return ((a >> 8) & 0xff) + ((b >> 8) & 0xff) * 3 + ((c >> 8) & 0xff) * 5 + ((d >> 8) & 0xff) * 7;
}

static noinline u32 set_hi_byte(u32 a, u8 v)
{
	union word w;

	w.q = a;
	w.b[1] = v;
	w.b[0] ^= v;
	return (u32)w.q;
}

static noinline u16 swap_bytes16(u16 x)
{
	return (u16)((x >> 8) | (x << 8));
}

static noinline u32 swab32_(u32 x) { return __builtin_bswap32(x); }
static noinline u64 swab64_(u64 x) { return __builtin_bswap64(x); }

static noinline s8 add8(s8 a, s8 b) { return a + b; }
static noinline u8 sub8(u8 a, u8 b) { return a - b; }
static noinline s16 mul16(s16 a, s16 b) { return a * b; }
static noinline u16 neg16(u16 a) { return -a; }
static noinline s32 sar32(s32 a, int n) { return a >> n; }
static noinline u8 hi_of(u16 v) { return v >> 8; }

static noinline int inc_partial(u8 *p, u16 *q)
{
	(*p)++;
	(*q) -= 3;
	return *p + *q;
}

static void run(void)
{
	u64 acc = 0;
	int i;
	union word w;

	for (i = 0; i < 8; i++) {
		u64 r = rnd();
		out("r%d %016llx s8 %lld u8 %llu s16 %lld u16 %llu s32 %lld u32 %llu\n", i, r,
		    widen_s8((s8)r), widen_u8((u8)r), widen_s16((s16)r), widen_u16((u16)r),
		    widen_s32((s32)r), widen_u32((u32)r));
		out("  s8->u32 %u u8->s32 %d s8->u16 %u hi %u\n", s8_to_u32((s8)(r >> 8)),
		    u8_to_s32((u8)(r >> 16)), s8_to_u16((s8)(r >> 24)), hi_of((u16)r));
	}
	out("cmp %d %d %d %d\n", mix_cmp(-1, 1), mix_cmp64(-1, 1), mix_cmp16(-1, 1), mix_cmp8(-1, 1));
	out("mix %lld %lld\n", mix_add(-5, 3, -7, 200), mix_add(0x7fffffff, 0x80000000u, 32767, 255));
	for (i = 0; i < 2000; i++) {
		u64 r = rnd();
		u64 s = rnd();

		acc += widen_s8((s8)r) ^ widen_u16((u16)s);
		acc = acc * 31 + hi_bytes((u32)r, (u32)(r >> 32), (u32)s, (u32)(s >> 32));
		acc ^= set_hi_byte((u32)r, (u8)s);
		acc += swap_bytes16((u16)r) + swab32_((u32)s) + (swab64_(r) >> 3);
		acc += (u8)add8((s8)r, (s8)s) + sub8((u8)(r >> 8), (u8)(s >> 8));
		acc += (u16)mul16((s16)r, (s16)(s >> 16)) + neg16((u16)s);
		acc += (u32)sar32((s32)r, (int)(s & 31));
		acc += mix_cmp((int)r, (unsigned int)s) + mix_cmp64((s64)r, s) * 2 +
		       mix_cmp16((short)r, (unsigned short)s) * 4 + mix_cmp8((signed char)r, (unsigned char)s) * 8;
		acc += (u64)mix_add((int)r, (unsigned int)(r >> 32), (short)s, (u8)(s >> 16));
		if ((i & 255) == 0)
			out("acc %d %016llx\n", i, acc);
	}
	out("acc %016llx\n", acc);

	w.q = OPAQUE(0x0123456789abcdefULL);
	w.b[1] += 0x80;
	w.w[2] ^= 0xffff;
	w.d[1] += 7;
	out("union %016llx %08x %04x %02x\n", w.q, w.d[0], w.w[1], w.b[5]);
	{
		u8 b8 = OPAQUE((u8)0xff);
		u16 w16 = OPAQUE((u16)1);
		int t = inc_partial(&b8, &w16);

		out("partial %u %u %d\n", b8, w16, t);
	}
	{
		s64 m = OPAQUE(-1LL);
		u32 u = (u32)m;
		s32 s = (s32)u;
		u64 z = u;
		s64 e = s;

		out("ext %u %d %llu %lld %llx\n", u, s, z, e, (u64)(s16)(u16)OPAQUE(0x8001));
	}
}

DIFF_MAIN(ints);
