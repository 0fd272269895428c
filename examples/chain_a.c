// SPDX-License-Identifier: GPL-2.0
/*
 * chain_a: the bottom of a dependency chain chain_a <- chain_b <- chain_c (seed 002, module
 * stacking).
 *
 * chain_b uses chain_a_depth(), and chain_c uses chain_b's, so modpost writes depends=chain_a
 * into chain_b's .modinfo and depends=chain_b into chain_c's. After `depmod`, `modprobe chain_c`
 * loads chain_a, chain_b, chain_c in that order and `modprobe -r chain_c` removes all three;
 * while chain_b is loaded, /sys/module/chain_a/holders/ lists it and `rmmod chain_a` is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

int chain_a_depth(void)
{
	return 1;
}
EXPORT_SYMBOL(chain_a_depth);

static int __init chain_a_init(void)
{
	pr_info("depth %d\n", chain_a_depth());
	return 0;
}

static void __exit chain_a_exit(void)
{
	pr_info("gone\n");
}

module_init(chain_a_init);
module_exit(chain_a_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("bottom of the chain chain_a <- chain_b <- chain_c");
