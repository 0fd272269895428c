// SPDX-License-Identifier: GPL-2.0
/*
 * array_nonump: array parameters without a count, and a renamed array
 * (seed 004, module_param_array with nump NULL, module_param_array_named).
 *
 * nums is declared with nump NULL.  The kernel then counts into a scratch
 * variable that the module never sees, so the module's own count below
 * stays 0 whatever is loaded, and reading parameters/nums always prints all
 * four elements.
 *
 * values is exposed under the name "vals" with module_param_array_named;
 * its count goes to nvals, which is not a parameter, so only the module
 * (init and exit print it) and reads of parameters/vals reveal it.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>

static int count;			/* not connected to nums: stays 0 */
static int nums[4] = { 10, 20, 30, 40 };

static int nvals;
static int values[3] = { 7, 8, 9 };

module_param_array(nums, int, NULL, S_IRUGO | S_IWUSR);
/* module_param_array_named(public name, array, type, count, perm) */
module_param_array_named(vals, values, int, &nvals, S_IRUGO | S_IWUSR);

static void show(void)
{
	int i;

	pr_info("count = %d\n", count);
	for (i = 0; i < ARRAY_SIZE(nums); i++)
		pr_info("nums[%d] = %d\n", i, nums[i]);
	pr_info("nvals = %d\n", nvals);
	for (i = 0; i < ARRAY_SIZE(values); i++)
		pr_info("values[%d] = %d\n", i, values[i]);
}

static int __init array_nonump_init(void)
{
	pr_info("Hello, world!\n");
	show();
	return 0;
}

static void __exit array_nonump_exit(void)
{
	show();
	pr_info("GoodBye, cruel world!\n");
}

module_init(array_nonump_init);
module_exit(array_nonump_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("Array parameters without a count, and module_param_array_named");
