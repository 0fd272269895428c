// SPDX-License-Identifier: GPL-2.0
/*
 * coming_exporter: an exporter whose init can die (seed 002: a module is usable only once its
 * init is done). With crash=1 its init stores through a NULL pointer: the kernel oopses, kills
 * insmod, and the module stays "Loading" (MODULE_STATE_COMING) for ever. A module that needs
 * coming_value() then waits for that init to finish, 30 seconds per symbol, gives up, and fails
 * with EBUSY (kernel/module/main.c resolve_symbol_wait). See coming_user.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static bool crash;
module_param(crash, bool, 0444);
MODULE_PARM_DESC(crash, "oops in init, leaving the module coming");

/* Where a crashing init stores: a parameter, so the compiler cannot see it is NULL. */
static unsigned long target;
module_param(target, ulong, 0);

int coming_value(void)
{
	return 7;
}
EXPORT_SYMBOL(coming_value);

static int __init coming_exporter_init(void)
{
	if (crash) {
		pr_info("crashing in init\n");
		*(volatile int *)target = 1;
	}
	pr_info("ready\n");
	return 0;
}

static void __exit coming_exporter_exit(void)
{
	pr_info("gone\n");
}

module_init(coming_exporter_init);
module_exit(coming_exporter_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("an exporter whose init can oops, leaving it coming");
