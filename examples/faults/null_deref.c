// SPDX-License-Identifier: GPL-2.0
/*
 * null_deref: init stores through a NULL pointer.  A real kernel prints
 * "BUG: kernel NULL pointer dereference", an Oops with error code 0002
 * (supervisor write), kills insmod, and leaves the module Loading.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

struct counter {
	long pad;
	int value;
};

/* The address comes from a parameter so the compiler cannot see that
 * it is NULL and drop the store. */
static unsigned long target;
module_param(target, ulong, 0);

static int __init null_deref_init(void)
{
	struct counter *c = (struct counter *)target;

	pr_info("null_deref: writing through %px\n", c);
	c->value = 42;
	pr_info("null_deref: not reached\n");
	return 0;
}

static void __exit null_deref_exit(void)
{
}

module_init(null_deref_init);
module_exit(null_deref_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NULL pointer store in init");
