// SPDX-License-Identifier: GPL-2.0
/*
 * cpubench.ko - compute-heavy module init for bench/cpu-mips.mjs.
 * insmod cpubench.ko work=N reps=M runs workload N (see workloads.h) M times and prints its
 * checksum.  The same workloads run natively from native.c.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>

#include "workloads.h"

static int work;
module_param(work, int, 0444);
MODULE_PARM_DESC(work, "workload: 0 crc32, 1 sieve, 2 sort, 3 hash, 4 matmul");
static int reps = 1;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "repetitions");

static int __init cpubench_init(void)
{
	unsigned int sum;

	if (work < 0 || work >= NR_WORKLOADS)
		return -EINVAL;
	sum = run_workload(work, reps);
	pr_info("cpubench: %s x%d = %08x\n", wl_names[work], reps, sum);
	return 0;
}

static void __exit cpubench_exit(void)
{
}

module_init(cpubench_init);
module_exit(cpubench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modfs interpreter benchmark: CRC32, sieve, sort, hash, matmul");
