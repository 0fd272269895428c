// SPDX-License-Identifier: GPL-2.0
/*
 * refhold: a module that holds a reference on itself, so a shell user sees refcnt move
 * (seed 002, reference counts).
 *
 * init takes a reference with __module_get(THIS_MODULE): /sys/module/refhold/refcnt and
 * lsmod's "Used by" show 1, and `rmmod refhold` is refused ("Module refhold is in use"; forced,
 * the kernel answers EAGAIN). The writable parameter `hold` (module_param_cb, 0644) drops it:
 * `echo 0 > /sys/module/refhold/parameters/hold` calls module_put(THIS_MODULE), refcnt goes to
 * 0 and rmmod works; `echo 1 >` takes it again with try_module_get(). Each change is logged
 * with module_refcount(). `insmod refhold.ko hold=0` loads it without taking the reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static bool want = true;	/* the load-time value of hold, used by init */
static bool held;
static bool running;		/* init has run: hold now acts at once */

static int hold_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	/* At load time parameters are set before init runs; init acts on the value. */
	if (!running) {
		want = on;
		return 0;
	}
	if (on && !held) {
		if (!try_module_get(THIS_MODULE))
			return -ENODEV;
		held = true;
		pr_info("took a reference: refcnt %d\n", module_refcount(THIS_MODULE));
	} else if (!on && held) {
		held = false;
		module_put(THIS_MODULE);
		pr_info("dropped the reference: refcnt %d\n", module_refcount(THIS_MODULE));
	}
	return 0;
}

static int hold_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%c\n", held ? 'Y' : 'N');
}

static const struct kernel_param_ops hold_ops = {
	.set = hold_set,
	.get = hold_get,
};
module_param_cb(hold, &hold_ops, NULL, 0644);
MODULE_PARM_DESC(hold, "hold a reference on this module (Y at load unless hold=0)");

static int __init refhold_init(void)
{
	running = true;
	if (want) {
		__module_get(THIS_MODULE);
		held = true;
	}
	pr_info("loaded, %s a reference: refcnt %d\n", held ? "holding" : "not holding",
		module_refcount(THIS_MODULE));
	return 0;
}

static void __exit refhold_exit(void)
{
	pr_info("unloaded\n");
}

module_init(refhold_init);
module_exit(refhold_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("holds a reference on itself until its hold parameter is cleared");
