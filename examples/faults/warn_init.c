// SPDX-License-Identifier: GPL-2.0
/*
 * warn_init: WARN_ON and WARN_ONCE in init.  Each WARN prints a
 * "WARNING: CPU: 0 PID: ... at examples/faults/warn_init.c:LINE ..."
 * report, taints the kernel W and carries on; WARN_ONCE reports only its
 * first hit, as does WARN_ON_ONCE (its flag is in __bug_table).  The module
 * loads and prints what the WARN macros returned.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int threshold = 3;
module_param(threshold, int, 0644);

static noinline int check(int i)
{
	return WARN_ONCE(i >= threshold, "warn_init: i=%d reached %d\n", i, threshold);
}

/* WARN_ON_ONCE keeps its "done" flag in the __bug_table entry itself. */
static noinline int check_once(int i)
{
	return WARN_ON_ONCE(i >= threshold + 1);
}

static int __init warn_init_init(void)
{
	int i, hits = 0;

	if (WARN_ON(threshold > 2))
		pr_info("warn_init: WARN_ON returned true, continuing\n");
	for (i = 0; i < 6; i++)
		hits += check(i) + check_once(i);
	pr_info("warn_init: loaded, %d checks were true\n", hits);
	return 0;
}

static void __exit warn_init_exit(void)
{
	pr_info("warn_init: unloaded\n");
}

module_init(warn_init_init);
module_exit(warn_init_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("WARN_ON and WARN_ONCE in init");
