// SPDX-License-Identifier: GPL-2.0
/*
 * noexit: a module with module_init but no module_exit.
 *
 * Without an exit function the kernel cannot undo what init did, so it
 * refuses to unload the module: rmmod fails with EBUSY ("Device or
 * resource busy") and /proc/modules shows [permanent] in the column that
 * lists users.  Only a forced "rmmod -f" removes it (this kernel has
 * MODULE_FORCE_UNLOAD); nothing runs at unload and the kernel is tainted
 * R ("Disabling lock debugging due to kernel taint").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init noexit_init(void)
{
	pr_info("loaded for good: there is no exit function\n");
	return 0;
}

module_init(noexit_init);
/* no module_exit() on purpose */

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("A module without an exit function, which cannot be unloaded");
