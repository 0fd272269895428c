// SPDX-License-Identifier: GPL-2.0
/*
 * bad_addr: init reads (or, with write=1, writes) an unmapped kernel
 * address in vmalloc space: "BUG: unable to handle page fault for
 * address: ...", then the Oops.  With noncanonical=1 it reads a
 * non-canonical address instead: a general protection fault.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static bool write;
module_param(write, bool, 0);
static bool noncanonical;
module_param(noncanonical, bool, 0);
static unsigned long addr = 0xffffc9ffdead0000UL;
module_param(addr, ulong, 0);

static int __init bad_addr_init(void)
{
	volatile unsigned long *p;

	if (noncanonical)
		addr = 0xdead000000000000UL;
	p = (volatile unsigned long *)addr;
	pr_info("bad_addr: %s %px\n", write ? "writing" : "reading", p);
	if (write)
		*p = 1;
	else
		pr_info("bad_addr: read %lu\n", *p);
	return 0;
}

static void __exit bad_addr_exit(void)
{
}

module_init(bad_addr_init);
module_exit(bad_addr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("access of an unmapped kernel address in init");
