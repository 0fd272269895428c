// SPDX-License-Identifier: GPL-2.0
/*
 * procrw: a read/write /proc file that keeps what was written, the way
 * the tutorials write one, in a directory of its own.
 *
 *   /proc/procrw/            proc_mkdir (mode 0: the kernel makes it 0555)
 *   /proc/procrw/buffer      0666, proc_ops with read and write: a write
 *                            replaces the contents (copy_from_user into a
 *                            64-byte buffer), a read returns them with
 *                            simple_read_from_buffer
 *   /proc/procrw/info        mode 0 (0444), proc_create_data: its read
 *                            handler finds its text through pde_data() and
 *                            copies it out by hand with copy_to_user;
 *                            proc_set_size gives it a size, proc_set_user
 *                            makes nobody its owner
 *
 * write errors: a write at a position other than 0 is -EINVAL (no
 * appending), one that does not fit is -ENOSPC, a bad user pointer -EFAULT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/fs.h>

#define BUF_SIZE 64

static char buf[BUF_SIZE] = "empty\n";
static size_t buf_len = 6;
static struct proc_dir_entry *dir;
static char info_text[] = "procrw keeps up to 63 bytes\n";

static ssize_t buffer_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, count, ppos, buf, buf_len);
}

static ssize_t buffer_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	if (*ppos != 0)
		return -EINVAL;
	if (count >= BUF_SIZE)
		return -ENOSPC;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	buf_len = count;
	*ppos = count;
	pr_info("stored %zu bytes\n", count);
	return count;
}

static const struct proc_ops buffer_ops = {
	.proc_read = buffer_read,
	.proc_write = buffer_write,
};

static ssize_t info_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	const char *text = pde_data(file_inode(file));
	size_t len = strlen(text);

	if (*ppos >= len)
		return 0;
	if (count > len - *ppos)
		count = len - *ppos;
	if (copy_to_user(ubuf, text + *ppos, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static const struct proc_ops info_ops = {
	.proc_read = info_read,
};

static int __init procrw_init(void)
{
	struct proc_dir_entry *info;

	dir = proc_mkdir("procrw", NULL);
	if (!dir)
		return -ENOMEM;
	if (!proc_create("buffer", 0666, dir, &buffer_ops))
		goto fail;
	info = proc_create_data("info", 0, dir, &info_ops, info_text);
	if (!info)
		goto fail;
	proc_set_size(info, sizeof(info_text) - 1);
	proc_set_user(info, KUIDT_INIT(65534), KGIDT_INIT(65534));
	pr_info("ready\n");
	return 0;
fail:
	proc_remove(dir);
	return -ENOMEM;
}

static void __exit procrw_exit(void)
{
	proc_remove(dir);
	pr_info("removed\n");
}

module_init(procrw_init);
module_exit(procrw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a read/write /proc file");
