// SPDX-License-Identifier: GPL-2.0
/*
 * chain_c: uses chain_b_depth() from chain_b, one link of the chain chain_a <- chain_b <- chain_c
 * (see chain_a.c), the top: nothing uses it. Its init logs its depth in the chain, one more than
 * chain_b's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

extern int chain_b_depth(void);

static int chain_c_depth(void)
{
	return chain_b_depth() + 1;
}

static int __init chain_c_init(void)
{
	pr_info("depth %d\n", chain_c_depth());
	return 0;
}

static void __exit chain_c_exit(void)
{
	pr_info("gone\n");
}

module_init(chain_c_init);
module_exit(chain_c_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("uses chain_b (chain_a <- chain_b <- chain_c)");
