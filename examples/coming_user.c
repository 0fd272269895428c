// SPDX-License-Identifier: GPL-2.0
/*
 * coming_user: uses coming_exporter's coming_value(). Loaded while the exporter is still in its
 * init (or was left there by an oops), it waits for that init up to 30 seconds, then the kernel
 * logs "gave up waiting for init of module coming_exporter." and the load fails with EBUSY.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

int coming_value(void);

static int __init coming_user_init(void)
{
	pr_info("coming_value() is %d\n", coming_value());
	return 0;
}

static void __exit coming_user_exit(void)
{
}

module_init(coming_user_init);
module_exit(coming_user_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("uses a symbol of coming_exporter");
