/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diffcommon.h - one source, two builds.
 *
 * Every .c file of examples/diff/ is compiled twice: by kbuild as a kernel
 * module (MODULE defined, __KERNEL__ defined) and by gcc -O2 as a native
 * user-space program.  Both builds print the same lines: out() is printk()
 * in the module and printf() natively.  The kernel APIs the corpus uses
 * (atomic_t, refcount_t, bit operations, list_head) get minimal native
 * equivalents below with the same observable results.
 *
 * A corpus file defines `static void run(void)` and ends with DIFF_MAIN(name).
 */
#ifndef DIFFCOMMON_H
#define DIFFCOMMON_H

#ifdef __KERNEL__

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/bitops.h>
#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/slab.h>

#define out(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)

#define DIFF_MAIN(name)						\
	static int __init name##_init(void) { run(); return 0; }	\
	static void __exit name##_exit(void) { }			\
	module_init(name##_init);					\
	module_exit(name##_exit);					\
	MODULE_LICENSE("GPL");						\
	MODULE_DESCRIPTION("modfs differential corpus: " #name)

#define diff_alloc(n) kmalloc((n), GFP_KERNEL)
#define diff_free(p) kfree(p)

#else /* native */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <stdbool.h>

typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;

#define out(fmt, ...) printf(fmt, ##__VA_ARGS__)
#define noinline __attribute__((noinline))
#define __always_inline inline __attribute__((always_inline))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define BITS_PER_LONG 64
#define BIT(n) (1UL << (n))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

#define diff_alloc(n) malloc(n)
#define diff_free(p) free(p)

/* atomic_t: the kernel's are lock-prefixed; __atomic builtins are the same instructions. */
typedef struct { int counter; } atomic_t;
typedef struct { long long counter; } atomic64_t;
#define ATOMIC_INIT(i) { (i) }
#define ATOMIC64_INIT(i) { (i) }
static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_inc(atomic_t *v) { __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }
static inline void atomic_dec(atomic_t *v) { __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }
static inline void atomic_add(int i, atomic_t *v) { __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_add_return(int i, atomic_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_sub_return(int i, atomic_t *v) { return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_fetch_add(int i, atomic_t *v) { return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_fetch_or(int i, atomic_t *v) { return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_fetch_and(int i, atomic_t *v) { return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_fetch_xor(int i, atomic_t *v) { return __atomic_fetch_xor(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline bool atomic_dec_and_test(atomic_t *v) { return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0; }
static inline bool atomic_inc_and_test(atomic_t *v) { return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0; }
static inline int atomic_xchg(atomic_t *v, int n) { return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); }
static inline int atomic_cmpxchg(atomic_t *v, int o, int n)
{
	__atomic_compare_exchange_n(&v->counter, &o, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return o;
}
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v);
	do {
		if (c == u)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	return true;
}
static inline long long atomic64_read(const atomic64_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic64_set(atomic64_t *v, long long i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline long long atomic64_add_return(long long i, atomic64_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline long long atomic64_fetch_add(long long i, atomic64_t *v) { return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline long long atomic64_xchg(atomic64_t *v, long long n) { return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); }
static inline long long atomic64_cmpxchg(atomic64_t *v, long long o, long long n)
{
	__atomic_compare_exchange_n(&v->counter, &o, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return o;
}

/* refcount_t without the saturation warnings (the corpus never saturates). */
typedef struct { atomic_t refs; } refcount_t;
#define REFCOUNT_INIT(n) { .refs = ATOMIC_INIT(n) }
static inline void refcount_set(refcount_t *r, int n) { atomic_set(&r->refs, n); }
static inline unsigned int refcount_read(const refcount_t *r) { return atomic_read(&r->refs); }
static inline void refcount_inc(refcount_t *r) { atomic_inc(&r->refs); }
static inline void refcount_add(int i, refcount_t *r) { atomic_add(i, &r->refs); }
static inline bool refcount_inc_not_zero(refcount_t *r) { return atomic_add_unless(&r->refs, 1, 0); }
static inline bool refcount_dec_and_test(refcount_t *r) { return atomic_dec_and_test(&r->refs); }
static inline bool refcount_sub_and_test(int i, refcount_t *r) { return atomic_sub_return(i, &r->refs) == 0; }
static inline void refcount_dec(refcount_t *r) { atomic_dec(&r->refs); }

/* Bit operations on unsigned long arrays, as <linux/bitops.h>. */
#define BIT_WORD(n) ((n) / BITS_PER_LONG)
#define BIT_MASK(n) (1UL << ((n) % BITS_PER_LONG))
static inline void set_bit(long n, volatile unsigned long *a) { __atomic_fetch_or(&a[BIT_WORD(n)], BIT_MASK(n), __ATOMIC_SEQ_CST); }
static inline void clear_bit(long n, volatile unsigned long *a) { __atomic_fetch_and(&a[BIT_WORD(n)], ~BIT_MASK(n), __ATOMIC_SEQ_CST); }
static inline void change_bit(long n, volatile unsigned long *a) { __atomic_fetch_xor(&a[BIT_WORD(n)], BIT_MASK(n), __ATOMIC_SEQ_CST); }
static inline bool test_and_set_bit(long n, volatile unsigned long *a)
{ return (__atomic_fetch_or(&a[BIT_WORD(n)], BIT_MASK(n), __ATOMIC_SEQ_CST) & BIT_MASK(n)) != 0; }
static inline bool test_and_clear_bit(long n, volatile unsigned long *a)
{ return (__atomic_fetch_and(&a[BIT_WORD(n)], ~BIT_MASK(n), __ATOMIC_SEQ_CST) & BIT_MASK(n)) != 0; }
static inline bool test_and_change_bit(long n, volatile unsigned long *a)
{ return (__atomic_fetch_xor(&a[BIT_WORD(n)], BIT_MASK(n), __ATOMIC_SEQ_CST) & BIT_MASK(n)) != 0; }
static inline void __set_bit(long n, volatile unsigned long *a) { a[BIT_WORD(n)] |= BIT_MASK(n); }
static inline void __clear_bit(long n, volatile unsigned long *a) { a[BIT_WORD(n)] &= ~BIT_MASK(n); }
static inline bool test_bit(long n, const volatile unsigned long *a) { return (a[BIT_WORD(n)] >> (n % BITS_PER_LONG)) & 1; }
static inline unsigned long __ffs(unsigned long w) { return __builtin_ctzl(w); }
static inline unsigned long __fls(unsigned long w) { return 63 - __builtin_clzl(w); }
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline unsigned int hweight32(unsigned int w) { return __builtin_popcount(w); }
static inline unsigned long hweight64(u64 w) { return __builtin_popcountll(w); }
static inline u32 rol32(u32 w, unsigned int s) { return (w << (s & 31)) | (w >> ((-s) & 31)); }
static inline u32 ror32(u32 w, unsigned int s) { return (w >> (s & 31)) | (w << ((-s) & 31)); }
static inline u64 rol64(u64 w, unsigned int s) { return (w << (s & 63)) | (w >> ((-s) & 63)); }
static inline u64 ror64(u64 w, unsigned int s) { return (w >> (s & 63)) | (w << ((-s) & 63)); }
static inline u16 rol16(u16 w, unsigned int s) { return (w << (s & 15)) | (w >> ((-s) & 15)); }
static inline u8 rol8(u8 w, unsigned int s) { return (w << (s & 7)) | (w >> ((-s) & 7)); }
static inline void bitmap_zero(unsigned long *d, unsigned int n) { memset(d, 0, BITS_TO_LONGS(n) * sizeof(long)); }
/* 6.1's bitmap_fill sets whole words, bits past nbits included. */
static inline void bitmap_fill(unsigned long *d, unsigned int n) { memset(d, 0xff, BITS_TO_LONGS(n) * sizeof(long)); }
static inline void bitmap_or(unsigned long *d, const unsigned long *a, const unsigned long *b, unsigned int n)
{ for (unsigned int i = 0; i < BITS_TO_LONGS(n); i++) d[i] = a[i] | b[i]; }
static inline void bitmap_xor(unsigned long *d, const unsigned long *a, const unsigned long *b, unsigned int n)
{ for (unsigned int i = 0; i < BITS_TO_LONGS(n); i++) d[i] = a[i] ^ b[i]; }

/* list_head, as <linux/list.h> without the debug checks. */
struct list_head { struct list_head *next, *prev; };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l; l->prev = l; }
static inline void __list_add(struct list_head *n, struct list_head *prev, struct list_head *next)
{ next->prev = n; n->next = next; n->prev = prev; prev->next = n; }
static inline void list_add(struct list_head *n, struct list_head *h) { __list_add(n, h, h->next); }
static inline void list_add_tail(struct list_head *n, struct list_head *h) { __list_add(n, h->prev, h); }
static inline void list_del(struct list_head *e)
{ e->next->prev = e->prev; e->prev->next = e->next; e->next = (void *)0x100; e->prev = (void *)0x122; }
static inline void list_move_tail(struct list_head *e, struct list_head *h)
{ e->next->prev = e->prev; e->prev->next = e->next; list_add_tail(e, h); }
static inline int list_empty(const struct list_head *h) { return h->next == h; }
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_for_each_entry(pos, head, member)					\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);		\
	     &pos->member != (head);						\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),		\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);						\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#define DIFF_MAIN(name) int main(void) { run(); return 0; }

#endif /* __KERNEL__ */

/* Keep the optimiser from folding a computation into a constant: values pass through memory. */
#define OPAQUE(x) ({ __typeof__(x) __v = (x); __asm__ volatile("" : "+m"(__v)); __v; })

#endif /* DIFFCOMMON_H */
