// SPDX-License-Identifier: GPL-2.0
/*
 * api: calls a broad set of commonly used kernel exports and prints what
 * they returned, one "api: ..." line per check, worded so the same lines
 * come out of a real kernel and of modfs (values that differ between
 * machines, such as random numbers and times, are printed as checks).
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rwlock.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

static DEFINE_MUTEX(api_mutex);
static DEFINE_SPINLOCK(api_lock);
static DEFINE_RWLOCK(api_rwlock);
static struct semaphore api_sem;

struct item {
	int id;
	char tag[20];
};

static int ctor_calls;

static void item_ctor(void *p)
{
	struct item *it = p;

	it->id = -1;
	ctor_calls++;
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void strings(void)
{
	char *s, *t, *m, *cur, *tok;
	char buf[32];
	int n = 0;

	s = kstrdup("hello, world", GFP_KERNEL);
	t = kstrndup("abcdefgh", 3, GFP_KERNEL);
	m = kmemdup("xyz", 4, GFP_KERNEL);
	pr_info("api: kstrdup=[%s] kstrndup=[%s] kmemdup=[%s]\n", s, t, m);
	kfree(s);
	kfree(t);
	kfree(m);
	pr_info("api: kstrdup(NULL)=%px\n", kstrdup(NULL, GFP_KERNEL));

	strscpy(buf, "a,b,,c", sizeof(buf));
	cur = buf;
	while ((tok = strsep(&cur, ",")) != NULL)
		pr_info("api: strsep token %d=[%s]\n", n++, tok);
}

static void numbers(void)
{
	int i = 0, r;
	unsigned int u = 0;
	unsigned long ul = 0;
	long l = 0;
	unsigned long long ull = 0;
	u8 b = 0;
	bool flag = false;
	char *end;

	r = kstrtoint("-42", 10, &i);
	pr_info("api: kstrtoint(-42)=%d value %d\n", r, i);
	r = kstrtouint("0x1f\n", 0, &u);
	pr_info("api: kstrtouint(0x1f)=%d value %u\n", r, u);
	r = kstrtoul("777", 8, &ul);
	pr_info("api: kstrtoul(777, 8)=%d value %lu\n", r, ul);
	r = kstrtol("-9223372036854775808", 10, &l);
	pr_info("api: kstrtol(min)=%d value %ld\n", r, l);
	r = kstrtoull("18446744073709551615", 0, &ull);
	pr_info("api: kstrtoull(max)=%d value %llu\n", r, ull);
	r = kstrtou8("256", 0, &b);
	pr_info("api: kstrtou8(256)=%d\n", r);
	r = kstrtoint("12abc", 0, &i);
	pr_info("api: kstrtoint(12abc)=%d\n", r);
	r = kstrtobool("on", &flag);
	pr_info("api: kstrtobool(on)=%d value %d\n", r, flag);
	ul = simple_strtoul("123abc", &end, 10);
	pr_info("api: simple_strtoul(123abc)=%lu rest [%s]\n", ul, end);
	l = simple_strtol("-0x10", NULL, 0);
	pr_info("api: simple_strtol(-0x10)=%ld\n", l);
	ull = simple_strtoull("0777", NULL, 0);
	pr_info("api: simple_strtoull(0777)=%llu\n", ull);
}

static void memory(void)
{
	int *a, *b, k, sum = 0;
	struct kmem_cache *cache;
	struct item *x, *y;
	char *v, *kv;

	a = kcalloc(4, sizeof(*a), GFP_KERNEL);
	for (k = 0; k < 4; k++)
		sum += a[k];
	for (k = 0; k < 4; k++)
		a[k] = k + 1;
	b = krealloc(a, 8 * sizeof(*a), GFP_KERNEL);
	pr_info("api: kcalloc zeroed %s, krealloc kept %d %d %d %d\n", yes(sum == 0),
		b[0], b[1], b[2], b[3]);
	kfree(b);
	kv = kvmalloc(100000, GFP_KERNEL);
	memset(kv, 0x5a, 100000);
	pr_info("api: kvmalloc(100000) %s, last byte %x\n", yes(kv != NULL), kv[99999]);
	kvfree(kv);

	cache = kmem_cache_create("api_items", sizeof(struct item), 0, 0, item_ctor);
	x = kmem_cache_alloc(cache, GFP_KERNEL);
	y = kmem_cache_alloc(cache, GFP_KERNEL);
	pr_info("api: kmem_cache objects distinct %s, ids %d %d, ctor ran %s\n",
		yes(x != y), x->id, y->id, yes(ctor_calls >= 2));
	x->id = 1;
	strscpy(x->tag, "first", sizeof(x->tag));
	pr_info("api: item %d %s\n", x->id, x->tag);
	kmem_cache_free(cache, x);
	kmem_cache_free(cache, y);
	kmem_cache_destroy(cache);

	v = vmalloc(1 << 20);
	memset(v, 0xab, 1 << 20);
	pr_info("api: vmalloc(1M) %s, is_vmalloc_addr %s, byte %x\n", yes(v != NULL),
		yes(is_vmalloc_addr(v)), (u8)v[(1 << 20) - 1]);
	vfree(v);
}

static void time(void)
{
	unsigned long j0 = jiffies;
	ktime_t t0 = ktime_get(), t1;

	msleep(20);
	pr_info("api: msleep(20) advanced jiffies by >= 5: %s\n", yes(time_after_eq(jiffies, j0 + 5)));
	j0 = jiffies;
	ssleep(1);
	pr_info("api: ssleep(1) advanced jiffies by >= HZ: %s\n", yes(time_after_eq(jiffies, j0 + HZ)));
	t0 = ktime_get();
	udelay(100);
	mdelay(2);
	t1 = ktime_get();
	pr_info("api: udelay(100)+mdelay(2) took >= 2.1 ms: %s\n", yes(ktime_to_us(ktime_sub(t1, t0)) >= 2100));
	pr_info("api: jiffies_to_msecs(HZ)=%u msecs_to_jiffies(1000)=%lu\n", jiffies_to_msecs(HZ),
		msecs_to_jiffies(1000));
}

static void randomness(void)
{
	u8 bytes[16] = {};
	u32 a, b;
	int k, nonzero = 0;

	get_random_bytes(bytes, sizeof(bytes));
	for (k = 0; k < 16; k++)
		nonzero += bytes[k] != 0;
	a = get_random_u32();
	b = get_random_u32();
	pr_info("api: get_random_bytes filled %s, get_random_u32 differ %s\n", yes(nonzero > 4), yes(a != b));
}

static void locking(void)
{
	unsigned long flags;

	mutex_lock(&api_mutex);
	pr_info("api: mutex locked %s, trylock while held %d\n", yes(mutex_is_locked(&api_mutex)),
		mutex_trylock(&api_mutex));
	mutex_unlock(&api_mutex);
	pr_info("api: mutex unlocked %s\n", yes(!mutex_is_locked(&api_mutex)));

	spin_lock(&api_lock);
	spin_unlock(&api_lock);
	spin_lock_irqsave(&api_lock, flags);
	spin_unlock_irqrestore(&api_lock, flags);
	read_lock(&api_rwlock);
	read_lock(&api_rwlock);
	read_unlock(&api_rwlock);
	read_unlock(&api_rwlock);
	write_lock(&api_rwlock);
	write_unlock(&api_rwlock);
	pr_info("api: spinlock and rwlock ok\n");

	sema_init(&api_sem, 2);
	down(&api_sem);
	pr_info("api: semaphore trylock with one left %d\n", down_trylock(&api_sem));
	pr_info("api: semaphore trylock with none left %d\n", down_trylock(&api_sem));
	up(&api_sem);
	up(&api_sem);
}

static void task(void)
{
	pr_info("api: current comm=%s pid>0 %s\n", current->comm, yes(current->pid > 0));
	if (try_module_get(THIS_MODULE)) {
		pr_info("api: module_refcount after try_module_get %d\n", module_refcount(THIS_MODULE));
		module_put(THIS_MODULE);
	}
	pr_info("api: module_refcount after module_put %d\n", module_refcount(THIS_MODULE));
}

static int __init api_init(void)
{
	strings();
	numbers();
	memory();
	time();
	randomness();
	locking();
	task();
	dump_stack();
	pr_info("api: done\n");
	return 0;
}

static void __exit api_exit(void)
{
	pr_info("api: refcount at exit %d\n", module_refcount(THIS_MODULE));
}

module_init(api_init);
module_exit(api_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("calls common kernel APIs and prints the results");
