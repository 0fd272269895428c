// SPDX-License-Identifier: GPL-2.0
/*
 * panic_init: init calls panic().  A real kernel stops (and reboots after
 * panic= seconds); modfs reports the panic and keeps serving.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>

static int code = 7;
module_param(code, int, 0);

static int __init panic_init_init(void)
{
	pr_info("panic_init: about to panic\n");
	panic("panic_init: giving up with code %d", code);
	return 0;
}

static void __exit panic_init_exit(void)
{
}

module_init(panic_init_init);
module_exit(panic_init_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("panic() in init");
