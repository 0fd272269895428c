// SPDX-License-Identifier: GPL-2.0
/*
 * chardev: a character device that remembers what was written to it (the LDD3 "scull" shape,
 * as tutorials write it today).
 *
 * init: alloc_chrdev_region() takes a dynamic major (the kernel counts down from 254), cdev_init()
 * + cdev_add() make the number live, class_create("chardev") and device_create() make
 * /sys/class/chardev/chardev/dev ("MAJOR:MINOR") and, through devtmpfs, /dev/chardev.
 *
 * - write stores up to CHARDEV_SIZE bytes at *ppos (a write past the end is -ENOSPC);
 * - read returns the stored bytes from *ppos on (cat prints what echo wrote);
 * - ioctl CHARDEV_CLEAR (_IO) forgets everything, CHARDEV_GET_LEN (_IOR int) tells how much is
 *   stored, CHARDEV_SET_LEN (_IOW int) cuts it to a length; anything else is -ENOTTY;
 * - poll: readable (POLLIN | POLLRDNORM) while something is stored, always writable; a write
 *   wakes pollers through the wait queue;
 * - open and release log the opener's comm and the open count.
 *
 * The parameter `block` (0644, runtime) makes read sleep in wait_event_interruptible() until
 * something is stored past the reader's position (a write wakes it; -EAGAIN with O_NONBLOCK).
 * The parameter `misbehave` (0644, runtime) makes read go wrong on purpose: 1 returns more than
 * it was asked for, 2 dereferences a NULL pointer (an oops in the reader's read(2)). `nocdev`
 * (load time) skips cdev_add: the node exists but its number has no driver.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/version.h>
#include <linux/init.h>
#include <linux/ioctl.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

/* 6.4 dropped class_create's owner argument. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define class_create_compat(name) class_create(name)
#else
#define class_create_compat(name) class_create(THIS_MODULE, name)
#endif

#define CHARDEV_SIZE 4096
#define CHARDEV_MAGIC 'k'
#define CHARDEV_CLEAR _IO(CHARDEV_MAGIC, 0)
#define CHARDEV_GET_LEN _IOR(CHARDEV_MAGIC, 1, int)
#define CHARDEV_SET_LEN _IOW(CHARDEV_MAGIC, 2, int)

static int misbehave;
module_param(misbehave, int, 0644);
MODULE_PARM_DESC(misbehave, "0: behave; 1: read returns more than asked; 2: read oopses");

static bool block;
module_param(block, bool, 0644);
MODULE_PARM_DESC(block, "read sleeps until there is something to read (EAGAIN with O_NONBLOCK)");

static bool nocdev;
module_param(nocdev, bool, 0444);
MODULE_PARM_DESC(nocdev, "make the device node but no cdev (opening it finds no driver)");

static dev_t devno;
static struct cdev cdev;
static struct class *cls;
static struct device *dev;
static DEFINE_MUTEX(lock);
static DECLARE_WAIT_QUEUE_HEAD(readers);
static char data[CHARDEV_SIZE];
static size_t len;
static int opens;

static int chardev_open(struct inode *inode, struct file *file)
{
	opens++;
	pr_info("open by %s: minor %u, %d open\n", current->comm, iminor(inode), opens);
	return 0;
}

static int chardev_release(struct inode *inode, struct file *file)
{
	opens--;
	pr_info("release: %d open\n", opens);
	return 0;
}

static ssize_t chardev_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	ssize_t n;

	if (misbehave == 2) {
		int *nowhere = NULL;

		return *(volatile int *)nowhere;
	}
	if (block) {
		if (file->f_flags & O_NONBLOCK) {
			if (*ppos >= len)
				return -EAGAIN;
		} else if (wait_event_interruptible(readers, *ppos < len)) {
			return -ERESTARTSYS;
		}
	}
	mutex_lock(&lock);
	if (*ppos >= len) {
		n = 0;
		goto out;
	}
	n = min_t(size_t, count, len - *ppos);
	if (copy_to_user(buf, data + *ppos, n)) {
		n = -EFAULT;
		goto out;
	}
	*ppos += n;
	if (misbehave == 1)
		n = count + 100;
out:
	mutex_unlock(&lock);
	return n;
}

static ssize_t chardev_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	ssize_t n;

	mutex_lock(&lock);
	if (*ppos >= CHARDEV_SIZE) {
		n = -ENOSPC;
		goto out;
	}
	n = min_t(size_t, count, CHARDEV_SIZE - *ppos);
	if (copy_from_user(data + *ppos, buf, n)) {
		n = -EFAULT;
		goto out;
	}
	*ppos += n;
	if (*ppos > len)
		len = *ppos;
out:
	mutex_unlock(&lock);
	if (n > 0)
		wake_up_interruptible(&readers);
	return n;
}

static long chardev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int v;

	switch (cmd) {
	case CHARDEV_CLEAR:
		mutex_lock(&lock);
		len = 0;
		mutex_unlock(&lock);
		pr_info("cleared\n");
		return 0;
	case CHARDEV_GET_LEN:
		v = len;
		return put_user(v, (int __user *)arg);
	case CHARDEV_SET_LEN:
		if (get_user(v, (int __user *)arg))
			return -EFAULT;
		if (v < 0 || v > len)
			return -EINVAL;
		len = v;
		return 0;
	}
	return -ENOTTY;
}

static __poll_t chardev_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &readers, wait);
	if (len)
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.open = chardev_open,
	.release = chardev_release,
	.read = chardev_read,
	.write = chardev_write,
	.unlocked_ioctl = chardev_ioctl,
	.poll = chardev_poll,
	.llseek = default_llseek,
};

static int __init chardev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&devno, 0, 1, "chardev");
	if (ret)
		return ret;
	cdev_init(&cdev, &chardev_fops);
	cdev.owner = THIS_MODULE;
	if (!nocdev) {
		ret = cdev_add(&cdev, devno, 1);
		if (ret)
			goto unregister;
	}
	cls = class_create_compat("chardev");
	if (IS_ERR(cls)) {
		ret = PTR_ERR(cls);
		goto del;
	}
	dev = device_create(cls, NULL, devno, NULL, "chardev");
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto destroy;
	}
	pr_info("registered major %d minor %d\n", MAJOR(devno), MINOR(devno));
	return 0;

destroy:
	class_destroy(cls);
del:
	if (!nocdev)
		cdev_del(&cdev);
unregister:
	unregister_chrdev_region(devno, 1);
	return ret;
}

static void __exit chardev_exit(void)
{
	device_destroy(cls, devno);
	class_destroy(cls);
	if (!nocdev)
		cdev_del(&cdev);
	unregister_chrdev_region(devno, 1);
	pr_info("unregistered\n");
}

module_init(chardev_init);
module_exit(chardev_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("A character device that remembers what was written to it");
