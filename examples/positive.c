// SPDX-License-Identifier: GPL-2.0
/*
 * positive: an init function that returns a positive number.
 *
 * init must return 0 or a negative errno.  A 6.1 kernel treats a positive
 * value as success, but warns that init "suspiciously returned 1" and
 * dumps a stack trace; the module stays loaded and unloads normally.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init positive_init(void)
{
	pr_info("init returns 1\n");
	return 1;	/* wrong on purpose: should be 0 or -errno */
}

static void __exit positive_exit(void)
{
	pr_info("exit\n");
}

module_init(positive_init);
module_exit(positive_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("An init function that returns 1 instead of 0");
