// SPDX-License-Identifier: GPL-2.0
/*
 * exit_fault: loads fine; its exit function reads through a NULL
 * pointer, so rmmod oopses, is killed, and the module stays Unloading.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

struct state {
	int id;
	char name[16];
};

static struct state *st;

static int __init exit_fault_init(void)
{
	pr_info("exit_fault: loaded\n");
	return 0;
}

static void __exit exit_fault_exit(void)
{
	pr_info("exit_fault: freeing state %d\n", READ_ONCE(st)->id);
	kfree(st);
}

module_init(exit_fault_init);
module_exit(exit_fault_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NULL dereference in exit");
