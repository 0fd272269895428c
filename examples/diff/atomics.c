// SPDX-License-Identifier: GPL-2.0
/* atomic_t, atomic64_t, refcount_t, bit operations (lock bts/btr/btc), bitmaps, list_head. */
#include "diffcommon.h"

struct item {
	struct list_head node;
	int key;
	refcount_t ref;
};

static noinline int atomic_walk(atomic_t *v, int k)
{
	int r = 0;

	atomic_inc(v);
	atomic_add(k, v);
	r += atomic_add_return(3, v);
	r += atomic_sub_return(k * 2, v);
	r += atomic_fetch_add(5, v);
	r ^= atomic_fetch_or(0x100, v);
	r += atomic_fetch_and(~0x3, v);
	r ^= atomic_fetch_xor(0x55, v);
	r += atomic_xchg(v, k * 7);
	r += atomic_cmpxchg(v, k * 7, k * 9);
	r += atomic_cmpxchg(v, 12345, 1);
	r += atomic_dec_and_test(v) ? 1000 : 0;
	r += atomic_inc_and_test(v) ? 2000 : 0;
	r += atomic_add_unless(v, 4, k * 9 - 1 + 1) ? 3 : 5;
	atomic_dec(v);
	return r + atomic_read(v);
}

static noinline long long atomic64_walk(atomic64_t *v, long long k)
{
	long long r = atomic64_add_return(k << 33, v);

	r ^= atomic64_fetch_add(-k, v);
	r += atomic64_xchg(v, r);
	r += atomic64_cmpxchg(v, r, r * 3);
	return r + atomic64_read(v);
}

static noinline int bit_walk(unsigned long *map, unsigned int nbits, unsigned int step)
{
	unsigned int i;
	int r = 0;

	for (i = 0; i < nbits; i += step) {
		r = r * 3 + test_and_set_bit(i, map);
		if (i % 3 == 0)
			clear_bit(i, map);
		if (i % 5 == 0)
			change_bit(i + 1 < nbits ? i + 1 : i, map);
		r += test_and_clear_bit(i / 2, map) * 7;
		r += test_and_change_bit(nbits - 1 - i, map) * 11;
		r += test_bit(i / 3, map);
	}
	return r;
}

static noinline int weight(const unsigned long *map, unsigned int nbits)
{
	unsigned int i;
	int w = 0;

	for (i = 0; i < nbits; i++)
		w += test_bit(i, map);
	return w;
}

static noinline int first_set(const unsigned long *map, unsigned int nbits, unsigned int from)
{
	unsigned int i;

	for (i = from; i < nbits; i++)
		if (map[i / BITS_PER_LONG] == 0 && i % BITS_PER_LONG == 0)
			i += BITS_PER_LONG - 1;
		else if (test_bit(i, map))
			return (int)i;
	return -1;
}

static void run(void)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t a64 = ATOMIC64_INIT(-77);
	DECLARE_BITMAP(map, 300);
	DECLARE_BITMAP(m2, 300);
	unsigned long small = 0;
	LIST_HEAD(head);
	LIST_HEAD(other);
	struct item *items, *it, *tmp;
	int i, r;
	long long r64 = 0;
	refcount_t rc = REFCOUNT_INIT(1);

	for (i = 0, r = 0; i < 40; i++)
		r = r * 7 + atomic_walk(&a, i);
	out("atomic %d %d\n", r, atomic_read(&a));
	for (i = 0; i < 20; i++)
		r64 = r64 * 3 + atomic64_walk(&a64, i);
	out("atomic64 %lld %lld\n", r64, (long long)atomic64_read(&a64));

	refcount_inc(&rc);
	refcount_add(3, &rc);
	/* one side effect per statement: argument evaluation order is unspecified */
	{
		int r0, nz, dt, st, r1, dl, r2, nz2;

		r0 = refcount_read(&rc);
		nz = refcount_inc_not_zero(&rc);
		dt = refcount_dec_and_test(&rc);
		st = refcount_sub_and_test(4, &rc);
		r1 = refcount_read(&rc);
		dl = refcount_dec_and_test(&rc);
		r2 = refcount_read(&rc);
		nz2 = refcount_inc_not_zero(&rc);
		out("refcount %d inc_nz %d dec_test %d sub %d %d last %d %d nz %d\n", r0, nz, dt, st, r1, dl, r2, nz2);
	}

	bitmap_zero(map, 300);
	r = bit_walk(map, 300, 1);
	out("bits %d w %d f %d %d %d\n", r, weight(map, 300), first_set(map, 300, 0), first_set(map, 300, 65),
	    first_set(map, 300, 299));
	r = bit_walk(map, 300, 7);
	out("bits7 %d w %d %lx %lx %lx %lx %lx\n", r, weight(map, 300), map[0], map[1], map[2], map[3], map[4]);
	bitmap_fill(m2, 300);
	out("fill %lx %lx w %d\n", m2[0], m2[4], weight(m2, 300));
	bitmap_xor(m2, m2, map, 300);
	bitmap_or(map, map, m2, 200);
	out("xor/or %lx %lx %lx w %d %d\n", m2[0], m2[3], map[2], weight(m2, 300), weight(map, 300));
	for (i = 0; i < 64; i += 3)
		__set_bit(i, &small);
	__clear_bit(9, &small);
	out("small %lx ffs %lu fls %lu hw %u %lu fls %d %d\n", small, __ffs(small), __fls(small), hweight32((u32)small),
	    (unsigned long)hweight64(small), fls(0x80u), fls64(OPAQUE(0ULL)));
	out("rol %x %x %llx %llx %x %x\n", rol32(0x80000001u, 4), ror32(0x80000001u, 4), rol64(0x8000000000000001ULL, 8),
	    ror64(OPAQUE(0x8000000000000001ULL), 8), rol16(0x8001, 1), rol8(0x81, 3));

	items = diff_alloc(sizeof(*items) * 32);
	if (!items)
		return;
	for (i = 0; i < 32; i++) {
		items[i].key = (i * 37) % 32;
		refcount_set(&items[i].ref, 1);
		if (i & 1)
			list_add(&items[i].node, &head);
		else
			list_add_tail(&items[i].node, &head);
	}
	r = 0;
	list_for_each_entry(it, &head, node)
		r = r * 3 + it->key;
	out("list %d first %d\n", r, list_first_entry(&head, struct item, node)->key);
	list_for_each_entry_safe(it, tmp, &head, node) {
		if (it->key % 3 == 0) {
			list_del(&it->node);
		} else if (it->key % 3 == 1) {
			refcount_inc(&it->ref);
			list_move_tail(&it->node, &other);
		}
	}
	r = 0;
	list_for_each_entry(it, &head, node)
		r = r * 5 + it->key;
	list_for_each_entry(it, &other, node)
		r = r * 7 + it->key + (int)refcount_read(&it->ref);
	out("list after %d empty %d %d\n", r, list_empty(&head), list_empty(&other));
	diff_free(items);
}

DIFF_MAIN(atomics);
