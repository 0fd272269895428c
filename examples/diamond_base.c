// SPDX-License-Identifier: GPL-2.0
/*
 * diamond_base: the shared bottom of a diamond (seed 002):
 *
 *            diamond_top
 *            /         \
 *   diamond_left    diamond_right
 *            \         /
 *           diamond_base
 *
 * Both sides use diamond_base_id(), so while they are loaded /sys/module/diamond_base/holders/
 * lists two modules and lsmod shows "Used by 2 diamond_right,diamond_left". `modprobe
 * diamond_top` loads the base once, and `modprobe -r diamond_top` removes all four.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int users;

int diamond_base_id(const char *who)
{
	users++;
	pr_info("%s is user %d\n", who, users);
	return users;
}
EXPORT_SYMBOL(diamond_base_id);

static int __init diamond_base_init(void)
{
	pr_info("ready\n");
	return 0;
}

static void __exit diamond_base_exit(void)
{
	pr_info("gone after %d users\n", users);
}

module_init(diamond_base_init);
module_exit(diamond_base_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("bottom of the diamond: used by diamond_left and diamond_right");
