// SPDX-License-Identifier: GPL-2.0
/*
 * bug_param: a parameter with its own kernel_param_ops whose setter
 * BUG()s on values above 100.  Loading works; "echo 101 > .../limit"
 * oopses inside the sysfs write, which kills the writer.  The module
 * itself stays Live.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int limit = 10;

static int limit_set(const char *val, const struct kernel_param *kp)
{
	int n, ret;

	ret = kstrtoint(val, 0, &n);
	if (ret)
		return ret;
	BUG_ON(n > 100);
	*(int *)kp->arg = n;
	pr_info("bug_param: limit=%d\n", n);
	return 0;
}

static const struct kernel_param_ops limit_ops = {
	.set = limit_set,
	.get = param_get_int,
};
module_param_cb(limit, &limit_ops, &limit, 0644);

static int other = 7;
module_param(other, int, 0644);

static int __init bug_param_init(void)
{
	pr_info("bug_param: loaded, limit=%d\n", limit);
	return 0;
}

static void __exit bug_param_exit(void)
{
	pr_info("bug_param: unloaded\n");
}

module_init(bug_param_init);
module_exit(bug_param_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("BUG_ON in a parameter setter");
