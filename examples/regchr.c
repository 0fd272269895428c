// SPDX-License-Identifier: GPL-2.0
/*
 * regchr: the old character-device API, register_chrdev(), which takes a whole major (256
 * minors) at once, and its refusals.
 *
 * Parameter `major` (load time): 0 (default) asks for a dynamic major, which register_chrdev
 * returns; another value asks for that one. The kernel refuses a major above 511 with -EINVAL
 * and a message, and a major whose minors are taken (1 is "mem") with -EBUSY. /proc/devices
 * lists the major under the name "regchr" while loaded. No device node is made: the module has
 * no class. `leak` (load time) makes exit forget unregister_chrdev: the kernel keeps the major
 * and its name (copied at registration) after the module is gone, without a word. `cls=NAME`
 * also makes class NAME with a device "regchr" (minor 0) in it; `twice` makes that device a
 * second time: sysfs refuses both a class and a device whose name is taken, with -EEXIST, a
 * warning and a stack dump.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/version.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

/* 6.4 dropped class_create's owner argument. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define class_create_compat(name) class_create(name)
#else
#define class_create_compat(name) class_create(THIS_MODULE, name)
#endif

static int major;
module_param(major, int, 0444);
MODULE_PARM_DESC(major, "the major to ask for (0: a dynamic one)");

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "forget unregister_chrdev at unload");

static char *cls;
module_param(cls, charp, 0444);
MODULE_PARM_DESC(cls, "also make a class of this name with a device \"regchr\" in it");

static bool twice;
module_param(twice, bool, 0444);
MODULE_PARM_DESC(twice, "make the device a second time (the kernel refuses the duplicate name)");

static int got;
static struct class *class;

static ssize_t regchr_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return 0;
}

static const struct file_operations regchr_fops = {
	.owner = THIS_MODULE,
	.read = regchr_read,
};

static int __init regchr_init(void)
{
	int ret = register_chrdev(major, "regchr", &regchr_fops);

	if (ret < 0) {
		pr_err("register_chrdev(%d): %d\n", major, ret);
		return ret;
	}
	got = major ? major : ret;
	pr_info("register_chrdev(%d) returned %d: major %d\n", major, ret, got);
	if (cls) {
		struct device *dev;

		class = class_create_compat(cls);
		if (IS_ERR(class)) {
			ret = PTR_ERR(class);
			pr_err("class_create(%s): %d\n", cls, ret);
			goto fail;
		}
		dev = device_create(class, NULL, MKDEV(got, 0), NULL, "regchr");
		if (!IS_ERR(dev) && twice)
			dev = device_create(class, NULL, MKDEV(got, 1), NULL, "regchr");
		if (IS_ERR(dev)) {
			ret = PTR_ERR(dev);
			pr_err("device_create: %d\n", ret);
			device_destroy(class, MKDEV(got, 0));
			class_destroy(class);
			goto fail;
		}
	}
	return 0;
fail:
	unregister_chrdev(got, "regchr");
	return ret;
}

static void __exit regchr_exit(void)
{
	if (leak) {
		pr_info("leaving major %d registered\n", got);
		return;
	}
	if (class) {
		device_destroy(class, MKDEV(got, 0));
		class_destroy(class);
	}
	unregister_chrdev(got, "regchr");
	pr_info("unregistered major %d\n", got);
}

module_init(regchr_init);
module_exit(regchr_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("register_chrdev and its refusals");
