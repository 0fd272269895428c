// SPDX-License-Identifier: GPL-2.0
/*
 * miscdev: a misc device (major 10) whose read greets the reader by pid and comm.
 *
 * misc_register() with MISC_DYNAMIC_MINOR takes the next free dynamic minor (the kernel counts
 * down from 127) and creates /sys/class/misc/miscdev and, through devtmpfs, /dev/miscdev with
 * the device's mode (0666 here, DEVMODE in its uevent). misc_open puts the struct miscdevice in
 * file->private_data before our open runs, which open checks and logs.
 *
 * Parameter `minor` (load time): ask for that fixed minor instead (-EBUSY if it is taken).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

static int minor = MISC_DYNAMIC_MINOR;
module_param(minor, int, 0444);
MODULE_PARM_DESC(minor, "the misc minor to ask for (default: a dynamic one)");

static struct miscdevice miscdev;

static int miscdev_open(struct inode *inode, struct file *file)
{
	pr_info("open by %s: minor %u, private_data %s\n", current->comm, iminor(inode),
		file->private_data == &miscdev ? "is the miscdevice" : "is something else");
	return 0;
}

static ssize_t miscdev_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	char msg[80];
	int n = scnprintf(msg, sizeof(msg), "Hello, pid %d (%s)!\n", task_pid_nr(current), current->comm);

	return simple_read_from_buffer(buf, count, ppos, msg, n);
}

static const struct file_operations miscdev_fops = {
	.owner = THIS_MODULE,
	.open = miscdev_open,
	.read = miscdev_read,
	.llseek = noop_llseek,
};

static struct miscdevice miscdev = {
	.name = "miscdev",
	.fops = &miscdev_fops,
	.mode = 0666,
};

static int __init miscdev_init(void)
{
	int ret;

	miscdev.minor = minor;
	ret = misc_register(&miscdev);
	if (ret) {
		pr_err("misc_register: %d\n", ret);
		return ret;
	}
	pr_info("registered minor %d\n", miscdev.minor);
	return 0;
}

static void __exit miscdev_exit(void)
{
	misc_deregister(&miscdev);
	pr_info("deregistered\n");
}

module_init(miscdev_init);
module_exit(miscdev_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("A misc device that greets its reader");
