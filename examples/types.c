// SPDX-License-Identifier: GPL-2.0
/*
 * types: one parameter of every standard type, plus read-only, owner-only
 * and hidden variants and arrays of several element types.
 *
 * Each "my<type>" parameter is 0644 (root may write it through sysfs).  The
 * "ro_*" ones are 0444: readable in sysfs, settable only at load time.
 * "owner" is 0600 and "hidden" has perm 0, so it gets no sysfs file at all
 * but insmod still accepts hidden=<n>.
 *
 * The C storage type must match the parameter type (moduleparam.h checks
 * it at compile time): byte is unsigned char, hexint is unsigned int,
 * bool and invbool are bool, bint is int, charp is char *, and string is a
 * fixed buffer described by module_param_string.
 *
 * Init and exit print every value with the format that matches how the
 * kernel's own getter shows it, so dmesg and `cat parameters/x` can be
 * compared.  Only modinfo-visible types are used; no custom ops.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

/* --- scalars, writable through sysfs (0644) ---------------------------- */
static unsigned char mybyte = 200;
static short myshort = -1234;
static unsigned short myushort = 65000;
static int myint = -42;
static unsigned int myuint = 4000000000U;
static long mylong = -9000000000L;
static unsigned long myulong = 18000000000000000000UL;
static unsigned long long myullong = 1234567890123ULL;
static unsigned int myhexint = 0xbeef;
static bool mybool = true;
static bool myinvbool;		/* false, so it reads back as Y */
static int mybint = 1;
static char *mycharp = "charp default";
static char mystring[16] = "string";	/* at most 15 chars + NUL */

module_param(mybyte, byte, 0644);
module_param(myshort, short, 0644);
module_param(myushort, ushort, 0644);
module_param(myint, int, 0644);
module_param(myuint, uint, 0644);
module_param(mylong, long, 0644);
module_param(myulong, ulong, 0644);
module_param(myullong, ullong, 0644);
module_param(myhexint, hexint, 0644);
module_param(mybool, bool, 0644);
module_param(myinvbool, invbool, 0644);
module_param(mybint, bint, 0644);
module_param(mycharp, charp, 0644);
module_param_string(mystring, mystring, sizeof(mystring), 0644);

MODULE_PARM_DESC(mybyte, "an unsigned 8-bit number (default 200)");
MODULE_PARM_DESC(myhexint, "an unsigned int shown in hex (default 0xbeef)");
MODULE_PARM_DESC(mybool, "a bool; a bare 'mybool' at load means Y");
MODULE_PARM_DESC(myinvbool, "stored inverted: 'myinvbool=Y' stores false");
MODULE_PARM_DESC(mybint, "an int that only takes bool spellings, stores 0/1");
MODULE_PARM_DESC(mystring, "copied into a 16-byte buffer (15 chars max)");

/* --- read-only (0444), owner-only (0600) and hidden (0) --------------- */
static int ro_int = 7;
static unsigned long ro_ulong = 123456789UL;
static bool ro_bool;
static char *ro_charp = "read only";
static char ro_string[8] = "short";	/* at most 7 chars */
static int owner = 600;
static int hidden = 1;

module_param(ro_int, int, 0444);
module_param(ro_ulong, ulong, 0444);
module_param(ro_bool, bool, 0444);
module_param(ro_charp, charp, 0444);
module_param_string(ro_string, ro_string, sizeof(ro_string), 0444);
module_param(owner, int, 0600);
module_param(hidden, int, 0);

MODULE_PARM_DESC(ro_int, "read-only in sysfs, settable at load");
MODULE_PARM_DESC(hidden, "perm 0: no sysfs file, settable only at load");

/* --- arrays ------------------------------------------------------------- */
static bool bools[4] = { true, false, true, false };
static unsigned int nbools;
static char *names[3] = { "alpha", "beta", NULL };	/* no count: all 3 */
static unsigned int masks[3] = { 0x1, 0x10, 0xff };
static unsigned int nmasks;
static short shorts[5] = { -1, -2, -3, -4, -5 };
static unsigned int nshorts = 5;	/* reads show all 5 until set */

module_param_array(bools, bool, &nbools, 0644);
module_param_array(names, charp, NULL, 0644);
module_param_array(masks, hexint, &nmasks, 0644);
module_param_array(shorts, short, &nshorts, 0444);

MODULE_PARM_DESC(names, "up to 3 strings; unset elements read as (null)");
MODULE_PARM_DESC(shorts, "up to 5 shorts, read-only once loaded");

static void show(void)
{
	int i;

	pr_info("mybyte = %hhu\n", mybyte);
	pr_info("myshort = %hi\n", myshort);
	pr_info("myushort = %hu\n", myushort);
	pr_info("myint = %i\n", myint);
	pr_info("myuint = %u\n", myuint);
	pr_info("mylong = %li\n", mylong);
	pr_info("myulong = %lu\n", myulong);
	pr_info("myullong = %llu\n", myullong);
	pr_info("myhexint = %#08x\n", myhexint);
	pr_info("mybool = %c\n", mybool ? 'Y' : 'N');
	/* the variable holds the negation of what was written */
	pr_info("myinvbool = %c (variable is %d)\n",
		myinvbool ? 'N' : 'Y', myinvbool);
	pr_info("mybint = %d\n", mybint);
	pr_info("mycharp = %s (%zu chars)\n", mycharp, strlen(mycharp));
	pr_info("mystring = %s\n", mystring);

	pr_info("ro_int = %d\n", ro_int);
	pr_info("ro_ulong = %lu\n", ro_ulong);
	pr_info("ro_bool = %c\n", ro_bool ? 'Y' : 'N');
	pr_info("ro_charp = %s\n", ro_charp);
	pr_info("ro_string = %s\n", ro_string);
	pr_info("owner = %d\n", owner);
	pr_info("hidden = %d\n", hidden);

	pr_info("nbools = %u\n", nbools);
	for (i = 0; i < ARRAY_SIZE(bools); i++)
		pr_info("bools[%d] = %c\n", i, bools[i] ? 'Y' : 'N');
	for (i = 0; i < ARRAY_SIZE(names); i++)
		pr_info("names[%d] = %s\n", i, names[i]);
	pr_info("nmasks = %u\n", nmasks);
	for (i = 0; i < ARRAY_SIZE(masks); i++)
		pr_info("masks[%d] = %#08x\n", i, masks[i]);
	pr_info("nshorts = %u\n", nshorts);
	for (i = 0; i < ARRAY_SIZE(shorts); i++)
		pr_info("shorts[%d] = %hi\n", i, shorts[i]);
}

static int __init types_init(void)
{
	pr_info("loaded with these values:\n");
	show();
	return 0;
}

static void __exit types_exit(void)
{
	pr_info("unloading with these values:\n");
	show();
}

module_init(types_init);
module_exit(types_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("One parameter of every standard type, and arrays");
