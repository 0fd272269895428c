// SPDX-License-Identifier: GPL-2.0
/*
 * bug_init: BUG() in init when its check fails.  The kernel prints
 * "kernel BUG at examples/faults/bug_init.c:LINE!", an invalid-opcode
 * oops, kills insmod and leaves the module Loading.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int answer = 41;
module_param(answer, int, 0);

static int __init bug_init_init(void)
{
	pr_info("bug_init: checking answer=%d\n", answer);
	BUG_ON(answer != 42);
	pr_info("bug_init: answer is right\n");
	return 0;
}

static void __exit bug_init_exit(void)
{
	pr_info("bug_init: unloaded\n");
}

module_init(bug_init_init);
module_exit(bug_init_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("BUG_ON in init");
