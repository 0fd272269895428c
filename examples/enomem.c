// SPDX-License-Identifier: GPL-2.0
/*
 * enomem: an init function that fails.
 *
 * init logs one line and returns -ENOMEM, as a driver would when an
 * allocation it cannot do without fails.  The kernel then unloads the
 * module straight away: insmod reports "Cannot allocate memory", the exit
 * function is never called, and no trace is left in /proc/modules or
 * /sys/module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init enomem_init(void)
{
	pr_info("init fails with -ENOMEM on purpose\n");
	return -ENOMEM;
}

/* Present only to show that it never runs after a failed init. */
static void __exit enomem_exit(void)
{
	pr_info("exit (never printed)\n");
}

module_init(enomem_init);
module_exit(enomem_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("An init function that returns -ENOMEM");
