// SPDX-License-Identifier: GPL-2.0
/*
 * callback: parameters with the module's own kernel_param_ops
 * (module_param_cb).
 *
 * level: set parses and range-checks the value itself before handing it
 *	to the standard int setter, so out-of-range values are refused with
 *	EINVAL (at load: "`11' invalid for parameter `level'"; through sysfs:
 *	the write fails) and the variable keeps its old value.  Every
 *	accepted change is logged and counted.  get prints the value and
 *	the range.
 * changes: get only (set is NULL).  It reports how many times level was
 *	changed.  Its perm is 0644, yet writing it fails with EPERM because
 *	there is no set.  (At load time the kernel calls set without
 *	checking, so "insmod callback.ko changes=1" oopses a real kernel:
 *	do not do that.)
 * ping: set only (get is NULL) and the NOARG flag, so a bare "ping" is
 *	accepted at load time (val is NULL then).  Reading it fails with
 *	EPERM because there is no get.
 *
 * module_param_cb emits no parmtype into .modinfo, so modinfo lists these
 * parameters only where MODULE_PARM_DESC gives them a description.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#define LEVEL_MIN 0
#define LEVEL_MAX 10

static int level = 5;
static unsigned int changes;
static unsigned int pings;

static int level_set(const char *val, const struct kernel_param *kp)
{
	int n, ret;

	/* val is never NULL here: these ops lack NOARG, so the kernel
	 * refuses a bare "level" before calling us. */
	ret = kstrtoint(val, 0, &n);
	if (ret) {
		pr_warn("level: not a number (%d)\n", ret);
		return ret;
	}
	if (n < LEVEL_MIN || n > LEVEL_MAX) {
		pr_warn("level: %d is outside %d..%d\n", n, LEVEL_MIN, LEVEL_MAX);
		return -EINVAL;
	}
	/* Let the standard setter store it, as a real driver would. */
	ret = param_set_int(val, kp);
	if (ret)
		return ret;
	changes++;
	pr_info("level set to %d (change %u)\n", *(int *)kp->arg, changes);
	return 0;
}

static int level_get(char *buffer, const struct kernel_param *kp)
{
	/* buffer is one page; scnprintf never reports more than it wrote */
	return scnprintf(buffer, PAGE_SIZE, "%d (range %d..%d)\n",
			 *(int *)kp->arg, LEVEL_MIN, LEVEL_MAX);
}

static const struct kernel_param_ops level_ops = {
	.set = level_set,
	.get = level_get,
};

static int changes_get(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%u\n", *(unsigned int *)kp->arg);
}

static const struct kernel_param_ops changes_ops = {
	.get = changes_get,		/* no .set: writes give EPERM */
};

static int ping_set(const char *val, const struct kernel_param *kp)
{
	(*(unsigned int *)kp->arg)++;
	pr_info("ping %u (%s)\n", *(unsigned int *)kp->arg,
		val ? val : "no value");
	return 0;
}

static const struct kernel_param_ops ping_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,	/* bare "ping" allowed */
	.set = ping_set,			/* no .get: reads give EPERM */
};

module_param_cb(level, &level_ops, &level, 0644);
module_param_cb(changes, &changes_ops, &changes, 0644);
module_param_cb(ping, &ping_ops, &pings, 0644);

MODULE_PARM_DESC(level, "an int from 0 to 10 (default 5)");
MODULE_PARM_DESC(changes, "how many times level was changed (read only)");

static int __init callback_init(void)
{
	pr_info("init: level = %d, changes = %u, pings = %u\n",
		level, changes, pings);
	return 0;
}

static void __exit callback_exit(void)
{
	pr_info("exit: level = %d, changes = %u, pings = %u\n",
		level, changes, pings);
}

module_init(callback_init);
module_exit(callback_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("module_param_cb with custom set/get, get-only and set-only ops");
