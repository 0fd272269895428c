// SPDX-License-Identifier: GPL-2.0
/*
 * divzero: init divides by a parameter that is 0 by default: a divide
 * error oops.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int divisor;
module_param(divisor, int, 0);

static int __init divzero_init(void)
{
	int n = 1000;

	pr_info("divzero: %d / %d\n", n, divisor);
	pr_info("divzero: = %d\n", n / divisor);
	return 0;
}

static void __exit divzero_exit(void)
{
}

module_init(divzero_init);
module_exit(divzero_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("division by zero in init");
