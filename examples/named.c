// SPDX-License-Identifier: GPL-2.0
/*
 * named: parameters whose public name differs from the variable (seed 004,
 * module_param_named).
 *
 * The variables are still num and words, but the names insmod accepts and
 * the files under /sys/module/named/parameters/ are "number" and
 * "printwords":
 *
 *	insmod named.ko number=20 printwords="helloworld!"	sets both
 *	insmod named.ko num=20 words="helloworld!"		sets neither; the
 *		kernel logs "unknown parameter ... ignored" for each and loads
 *		the module with the defaults.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>

static int num = 10;
static char *words = "hello, world";

/* module_param_named(public name, variable, type, perm) */
module_param_named(number, num, int, S_IRUGO | S_IWUSR);
module_param_named(printwords, words, charp, S_IRUGO | S_IWUSR);

static int __init named_init(void)
{
	pr_info("Hello, world!\n");
	pr_info("num = %d\n", num);
	pr_info("words = %s\n", words);
	return 0;
}

static void __exit named_exit(void)
{
	pr_info("num = %d\n", num);
	pr_info("words = %s\n", words);
	pr_info("GoodBye, cruel world!\n");
}

module_init(named_init);
module_exit(named_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("module_param_named: public names number and printwords");
