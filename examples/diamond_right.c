// SPDX-License-Identifier: GPL-2.0
/*
 * diamond_right: one side of the diamond (see diamond_base.c): uses diamond_base and is used by
 * diamond_top.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

extern int diamond_base_id(const char *who);

static int id;

int diamond_right_id(void)
{
	return id;
}
EXPORT_SYMBOL(diamond_right_id);

static int __init diamond_right_init(void)
{
	id = diamond_base_id(KBUILD_MODNAME);
	return 0;
}

static void __exit diamond_right_exit(void)
{
	pr_info("gone\n");
}

module_init(diamond_right_init);
module_exit(diamond_right_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("the right side of the diamond");
