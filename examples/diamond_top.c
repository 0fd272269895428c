// SPDX-License-Identifier: GPL-2.0
/*
 * diamond_top: the top of the diamond (see diamond_base.c): uses both sides, so modpost writes
 * depends=diamond_left,diamond_right (in the order it met their symbols) and modprobe loads
 * diamond_base, both sides, then this.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

extern int diamond_left_id(void);
extern int diamond_right_id(void);

static int __init diamond_top_init(void)
{
	pr_info("left is user %d, right is user %d\n", diamond_left_id(), diamond_right_id());
	return 0;
}

static void __exit diamond_top_exit(void)
{
	pr_info("gone\n");
}

module_init(diamond_top_init);
module_exit(diamond_top_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("top of the diamond: uses diamond_left and diamond_right");
