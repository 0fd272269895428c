// SPDX-License-Identifier: GPL-2.0
/*
 * recursion: init recurses without end, each frame holding a buffer,
 * until the 16 KiB kernel stack runs into its guard page: the kernel's
 * "BUG: TASK stack guard page was hit" report and oops.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int stop_at = -1;
module_param(stop_at, int, 0);

static noinline int dive(int depth)
{
	volatile char frame[200];

	frame[0] = depth;
	if (depth == stop_at)
		return frame[0];
	return dive(depth + 1) + frame[0];
}

static int __init recursion_init(void)
{
	pr_info("recursion: diving\n");
	pr_info("recursion: came back with %d\n", dive(0));
	return 0;
}

static void __exit recursion_exit(void)
{
}

module_init(recursion_init);
module_exit(recursion_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("runaway recursion in init");
