// SPDX-License-Identifier: GPL-2.0
/*
 * spin: a long computation in init that ends by itself: `rounds` rounds
 * of an xorshift generator (the default takes a few seconds on modfs' CPU,
 * well inside its soft-lockup budget).  Used to check that the rest of
 * the tree keeps answering while one module computes.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static unsigned long rounds = 7000000;
module_param(rounds, ulong, 0444);
static unsigned long result;
module_param(result, ulong, 0444);

static int __init spin_init(void)
{
	unsigned long x = 88172645463325252UL, i;

	for (i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	result = x;
	pr_info("spin: %lu rounds, result %lx\n", rounds, x);
	return 0;
}

static void __exit spin_exit(void)
{
}

module_init(spin_init);
module_exit(spin_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("long computation in init");
