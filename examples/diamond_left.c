// SPDX-License-Identifier: GPL-2.0
/*
 * diamond_left: one side of the diamond (see diamond_base.c): uses diamond_base and is used by
 * diamond_top.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

extern int diamond_base_id(const char *who);

static int id;

int diamond_left_id(void)
{
	return id;
}
EXPORT_SYMBOL(diamond_left_id);

static int __init diamond_left_init(void)
{
	id = diamond_base_id(KBUILD_MODNAME);
	return 0;
}

static void __exit diamond_left_exit(void)
{
	pr_info("gone\n");
}

module_init(diamond_left_init);
module_exit(diamond_left_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("the left side of the diamond");
