// SPDX-License-Identifier: GPL-2.0
/*
 * array: an int array parameter whose element count is itself a parameter
 * (seed 004, module_param_array and "the order of arguments matters").
 *
 * Setting nums (at load time or through sysfs) first resets count to 0 and
 * then adds one per element stored, so after nums=1,2,3 count is 3.  More
 * than ARRAY_SIZE(nums) elements are refused ("nums: can only take 4
 * arguments", EINVAL).  Elements past the new count keep their old values.
 *
 * count is also declared with module_param, so both can be given at load
 * time and the last writer wins:
 *
 *	insmod array.ko count=2 nums=1,2,3,4	count ends up 4
 *	insmod array.ko nums=1,2,3,4 count=2	count ends up 2, yet all four
 *						elements were stored
 *	insmod array.ko nums=1,2,3,4 nums=5,6	nums is 5,6,3,4, count 2
 *
 * Init and exit print all four elements whatever count says, so these
 * experiments are visible in dmesg.  Reading parameters/nums prints only
 * the first count elements (nothing at all while count is 0).
 *
 * Caution, as on a real kernel: count is writable and nothing stops it
 * from exceeding 4, in which case reading parameters/nums walks past the
 * end of the array.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>

static int count;
static int nums[4] = { 10, 20, 30, 40 };

module_param(count, int, S_IRUGO | S_IWUSR);
/* module_param_array(name, element type, pointer to count, perm) */
module_param_array(nums, int, &count, S_IRUGO | S_IWUSR);

static void show(void)
{
	int i;

	pr_info("count = %d\n", count);
	for (i = 0; i < ARRAY_SIZE(nums); i++)
		pr_info("nums[%d] = %d\n", i, nums[i]);
}

static int __init array_init(void)
{
	pr_info("Hello, world!\n");
	show();
	return 0;
}

static void __exit array_exit(void)
{
	show();
	pr_info("GoodBye, cruel world!\n");
}

module_init(array_init);
module_exit(array_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("module_param_array with a count that is also a parameter");
