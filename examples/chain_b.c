// SPDX-License-Identifier: GPL-2.0
/*
 * chain_b: uses chain_a_depth() from chain_a, one link of the chain chain_a <- chain_b <- chain_c
 * (see chain_a.c). Its init logs its depth in the chain, one more than chain_a's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

extern int chain_a_depth(void);

int chain_b_depth(void)
{
	return chain_a_depth() + 1;
}
EXPORT_SYMBOL(chain_b_depth);

static int __init chain_b_init(void)
{
	pr_info("depth %d\n", chain_b_depth());
	return 0;
}

static void __exit chain_b_exit(void)
{
	pr_info("gone\n");
}

module_init(chain_b_init);
module_exit(chain_b_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("uses chain_a (chain_a <- chain_b <- chain_c)");
