// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the smallest useful module (seed 000).
 *
 * It has an init function that runs at load and an exit function that runs
 * at unload, and each logs one line.  The two texts are the ones the tutorial
 * shows in dmesg, so its insmod / rmmod / dmesg walk-through reads the same.
 *
 * __init puts hello_init in .init.text, which the kernel frees once init has
 * returned; __exit puts hello_exit in .exit.text.  Both give the loader a
 * second and third code section to lay out, as real modules do.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_init(void)
{
	pr_info("Hello, world!\n");
	return 0;	/* 0: loaded; a negative errno would fail insmod */
}

static void __exit hello_exit(void)
{
	pr_info("GoodBye, cruel world!\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("A Hello, world module");
