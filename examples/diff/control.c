// SPDX-License-Identifier: GPL-2.0
/* Switch statements, recursion, function pointers (retpoline thunks), structs by value. */
#include "diffcommon.h"

static noinline int classify(unsigned int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 23;
	case 2: return 5;
	case 3: return 99;
	case 4: return -4;
	case 5: return 61;
	case 6: return 7;
	case 7: return 1000;
	case 8: return 8;
	case 9: return 31;
	case 10: return -77;
	case 12: return 12;
	case 14: return 140;
	case 15: return 3;
	case 100: return 1;
	case 1000: return 2;
	default: return (int)x * 2;
	}
}

static noinline const char *name_of(int c)
{
	switch (c) {
	case 'a': return "alpha";
	case 'b': return "bravo";
	case 'c': return "charlie";
	case 'd': return "delta";
	case 'e': return "echo";
	case 'f': return "foxtrot";
	case 'g': return "golf";
	default: return "other";
	}
}

static noinline long long sparse_switch(long long v)
{
	switch (v) {
	case -1000000: return 1;
	case -5: return 2;
	case 0: return 3;
	case 17: return 4;
	case 4096: return 5;
	case 1LL << 40: return 6;
	default: return v & 7;
	}
}

static noinline u64 fib(unsigned int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static noinline unsigned int ackermann(unsigned int m, unsigned int n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}
static noinline int is_even(unsigned int n);
static noinline int is_odd(unsigned int n) { return n == 0 ? 0 : is_even(n - 1); }
static noinline int is_even(unsigned int n) { return n == 0 ? 1 : is_odd(n - 1); }
static noinline void hanoi(int n, int from, int to, int via, u64 *moves, u64 *hash)
{
	if (!n)
		return;
	hanoi(n - 1, from, via, to, moves, hash);
	(*moves)++;
	*hash = *hash * 7 + from * 3 + to;
	hanoi(n - 1, via, to, from, moves, hash);
}

typedef long long (*binop)(long long, long long);
static noinline long long op_add(long long a, long long b) { return a + b; }
static noinline long long op_sub(long long a, long long b) { return a - b; }
static noinline long long op_mul(long long a, long long b) { return a * b; }
static noinline long long op_xor(long long a, long long b) { return a ^ b; }
static noinline long long op_min(long long a, long long b) { return a < b ? a : b; }
static noinline long long op_div(long long a, long long b) { return b ? a / b : 0; }
static const binop ops[] = { op_add, op_sub, op_mul, op_xor, op_min, op_div };

struct ops_tbl {
	const char *name;
	binop fn;
	int weight;
};

static noinline long long apply(binop f, long long a, long long b) { return f(a, b); }

struct pair { long long a; long long b; };
struct small { u8 x; u16 y; u32 z; };
struct mid { int v[3]; };
struct big { u64 v[9]; char tag[13]; };

static noinline struct pair mkpair(long long a, long long b)
{
	struct pair p = { a * 2, b - a };
	return p;
}
static noinline struct small mksmall(u32 s)
{
	struct small r = { (u8)s, (u16)(s >> 3), s * 3 };
	return r;
}
static noinline struct mid addmid(struct mid a, struct mid b)
{
	struct mid r;
	int i;

	for (i = 0; i < 3; i++)
		r.v[i] = a.v[i] * 3 - b.v[i];
	return r;
}
static noinline struct big mkbig(struct big in, int k)
{
	int i;

	for (i = 0; i < 9; i++)
		in.v[i] = in.v[i] * (u64)(k + i) + 1;
	in.tag[k % 12] = 'A' + k % 26;
	return in;
}
static noinline u64 sumbig(struct big b)
{
	u64 s = 0;
	int i;

	for (i = 0; i < 9; i++)
		s = s * 31 + b.v[i];
	for (i = 0; i < 12; i++)
		s += (u8)b.tag[i];
	return s;
}
static noinline long long many_args(long long a, int b, short c, char d, long long e, int f, long long g,
				    int h, u8 i, s16 j)
{
	return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10;
}

static void run(void)
{
	long long acc = 0;
	unsigned int i;
	u64 moves = 0, hash = 0;
	struct ops_tbl tbl[] = { { "add", op_add, 1 }, { "mul", op_mul, 3 }, { "min", op_min, 5 } };
	struct big b;

	for (i = 0; i < 1100; i++)
		acc = acc * 3 + classify(i);
	out("switch %lld\n", acc);
	out("names %s %s %s %s\n", name_of('a'), name_of('d'), name_of('g'), name_of('z'));
	for (i = 0; i < 20; i++)
		acc += sparse_switch((long long)i * 17 - 5) + sparse_switch(-1000000) + sparse_switch(1LL << 40);
	out("sparse %lld\n", acc);
	out("fib %llu %llu ack %u %u even %d %d\n", fib(20), fib(OPAQUE(25u)), ackermann(2, 3), ackermann(OPAQUE(2u), 50),
	    is_even(OPAQUE(1001u)), is_odd(OPAQUE(777u)));
	hanoi(OPAQUE(12), 1, 3, 2, &moves, &hash);
	out("hanoi %llu %016llx\n", moves, hash);
	acc = 0;
	for (i = 0; i < 600; i++) {
		long long a = (long long)(i * 2654435761u) - 100000, b2 = (long long)i * 37 - 999;

		acc = acc * 5 + apply(ops[i % ARRAY_SIZE(ops)], a, b2);
	}
	out("fptr %lld\n", acc);
	for (i = 0; i < ARRAY_SIZE(tbl); i++)
		out("tbl %s %lld\n", tbl[i].name, tbl[i].fn(OPAQUE(-7LL), tbl[i].weight));
	{
		struct pair p = mkpair(OPAQUE(40LL), 2);
		struct small s = mksmall(OPAQUE(0x12345u));
		struct mid m1 = { { 1, -2, 3 } }, m2 = { { 10, 20, -30 } }, m3 = addmid(m1, m2);

		out("pair %lld %lld small %u %u %u mid %d %d %d\n", p.a, p.b, s.x, s.y, s.z, m3.v[0], m3.v[1], m3.v[2]);
	}
	memset(&b, 0, sizeof(b));
	memcpy(b.tag, "abcdefghijkl", 13);
	for (i = 0; i < 9; i++)
		b.v[i] = i * 1000003ULL;
	for (i = 0; i < 30; i++)
		b = mkbig(b, (int)i);
	out("big %016llx %s\n", sumbig(b), b.tag);
	out("args %lld\n", many_args(OPAQUE(1LL), -2, 3, -4, 5, -6, 7, -8, 200, -300));
}

DIFF_MAIN(control);
