// SPDX-License-Identifier: GPL-2.0
/*
 * helloworld: two module parameters (seed 004, "module parameters").
 *
 * num (int) and words (charp) can be given at load time:
 *
 *	insmod helloworld.ko num=20 words="helloworld!"
 *
 * and, because their perm is S_IRUGO|S_IWUSR (0644), they also appear as
 * /sys/module/helloworld/parameters/{num,words}, readable by all and
 * writable by root.  A write there changes the variables below directly and
 * the module is not told, so nothing new is logged.  The exit function
 * prints both values again: after editing the files with vi, rmmod shows
 * that the module really saw the new values.
 *
 * A parameter must be a file-scope variable with a static initialiser; the
 * initial value is what a load without arguments prints.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>

static int num = 10;
static char *words = "hello, world";	/* charp: the kernel copies new values */

module_param(num, int, S_IRUGO | S_IWUSR);
module_param(words, charp, S_IRUGO | S_IWUSR);

static int __init hello_init(void)
{
	pr_info("Hello, world!\n");
	pr_info("num = %d\n", num);
	pr_info("words = %s\n", words);
	return 0;
}

static void __exit hello_exit(void)
{
	/* Shows values changed through sysfs since the load. */
	pr_info("num = %d\n", num);
	pr_info("words = %s\n", words);
	pr_info("GoodBye, cruel world!\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("Module parameters: an int and a charp");
