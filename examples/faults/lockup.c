// SPDX-License-Identifier: GPL-2.0
/*
 * lockup: init spins forever without scheduling.  A real kernel's
 * watchdog reports "BUG: soft lockup - CPU#N stuck for 22s!" and the
 * module never finishes loading; modfs ends the call after its
 * instruction budget with the same report.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static unsigned long spins;
module_param(spins, ulong, 0444);

static int __init lockup_init(void)
{
	pr_info("lockup: spinning\n");
	for (;;) {
		WRITE_ONCE(spins, spins + 1);
		cpu_relax();
	}
	return 0;
}

static void __exit lockup_exit(void)
{
}

module_init(lockup_init);
module_exit(lockup_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("infinite loop in init");
