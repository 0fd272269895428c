// SPDX-License-Identifier: GPL-2.0
/*
 * greeting: a module found by an alias (seed 002, modprobe and depmod).
 *
 * MODULE_ALIAS puts alias=modfs-greeting and alias=greeter into .modinfo; depmod copies them
 * into modules.alias, so after `depmod` the commands `modprobe modfs-greeting` and
 * `modprobe greeter` both load greeting.ko. MODULE_VERSION gives version=2.1 and, through
 * modpost, a srcversion, which `modinfo` shows and /sys/module/greeting/version holds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static char *whom = "world";
module_param(whom, charp, 0444);
MODULE_PARM_DESC(whom, "who to greet");

static int __init greeting_init(void)
{
	pr_info("hello, %s\n", whom);
	return 0;
}

static void __exit greeting_exit(void)
{
	pr_info("goodbye, %s\n", whom);
}

module_init(greeting_init);
module_exit(greeting_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("loaded by its aliases modfs-greeting and greeter");
MODULE_VERSION("2.1");
MODULE_ALIAS("modfs-greeting");
MODULE_ALIAS("greeter");
