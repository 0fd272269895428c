// SPDX-License-Identifier: GPL-2.0
/*
 * bad_lib: hands an unmapped kernel address to one library function (BAD_CALL picks which),
 * as buggy module code does. On Linux the function's load faults and the loading task dies
 * in an oops; test/selftests/bad-pointers.test.ts checks that modfs does the same and keeps
 * serving. Built as bad_<name>.ko by that test, which defines BAD_CALL.
 */
#include <linux/module.h>
#include <linux/string.h>
#include <linux/bitmap.h>

static int __init bad_lib_init(void)
{
	char *bad = (char *)0xffffc90000001000UL; /* vmalloc space, never mapped here */
	int n = 0;

	OPTIMIZER_HIDE_VAR(bad);
	switch (BAD_CALL) {
	case 0: return strlen(bad);
	case 1: pr_info("%s\n", bad); return 0;
	case 2: return find_first_bit((unsigned long *)bad, 1000);
	case 3: return sscanf(bad, "%d", &n);
	case 4: return memchr_inv(bad, 0, 100) != NULL;
	case 5: return bitmap_parselist(bad, (unsigned long *)&n, 32);
	}
	return 0;
}
module_init(bad_lib_init);
MODULE_LICENSE("GPL");
