// SPDX-License-Identifier: GPL-2.0
/*
 * procbad: /proc files whose handlers misbehave, to see what the kernel
 * does with each.  Everything lives in /proc/procbad/:
 *
 *   null    the read handler dereferences a NULL pointer (an oops: the
 *           reader is killed)
 *   spin    the read handler busy-loops `spins` times before answering;
 *           spins=0 loops forever (a soft lockup on a real kernel, which
 *           never returns: only modfs can be asked that)
 *   over    the read handler copies 5 bytes and claims one more
 *   seqerr  a seq_file whose ->show fails with -EPERM
 *
 * init also calls proc_mkdir("procbad") a second time, which the kernel
 * refuses with a warning.  With leak=1 the module creates /proc/procbad_leak
 * and "forgets" to remove it in exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>

static unsigned long spins = 1000;
static int leak;
module_param(spins, ulong, 0644);
module_param(leak, int, 0444);
MODULE_PARM_DESC(spins, "busy-loop iterations of the spin file's read (0: forever)");
MODULE_PARM_DESC(leak, "1: create /proc/procbad_leak and never remove it");

static struct proc_dir_entry *dir;
static int *nowhere;

static ssize_t null_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	return *nowhere;
}

static ssize_t spin_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	unsigned long i;
	char msg[32];
	int len;

	for (i = 0; spins == 0 || i < spins; i++)
		barrier();
	len = scnprintf(msg, sizeof(msg), "spun %lu\n", i);
	return simple_read_from_buffer(ubuf, count, ppos, msg, len);
}

static ssize_t over_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	ssize_t n = simple_read_from_buffer(ubuf, count, ppos, "over\n", 5);

	return n > 0 ? n + 1 : n;
}

static int seqerr_show(struct seq_file *m, void *v)
{
	seq_puts(m, "this line is never seen\n");
	return -EPERM;
}

static const struct proc_ops null_ops = { .proc_read = null_read };
static const struct proc_ops spin_ops = { .proc_read = spin_read };
static const struct proc_ops over_ops = { .proc_read = over_read };

static int __init procbad_init(void)
{
	dir = proc_mkdir("procbad", NULL);
	if (!dir)
		return -ENOMEM;
	if (proc_mkdir("procbad", NULL))
		pr_info("a second procbad directory?\n");
	else
		pr_info("second proc_mkdir(\"procbad\") returned NULL\n");
	proc_create("null", 0444, dir, &null_ops);
	proc_create("spin", 0444, dir, &spin_ops);
	proc_create("over", 0444, dir, &over_ops);
	proc_create_single("seqerr", 0444, dir, seqerr_show);
	if (leak) {
		if (proc_create("procbad_leak", 0444, NULL, &over_ops))
			pr_info("created /proc/procbad_leak\n");
		else
			pr_info("proc_create(\"procbad_leak\") returned NULL\n");
	}
	return 0;
}

static void __exit procbad_exit(void)
{
	proc_remove(dir);
	pr_info("removed /proc/procbad%s\n", leak ? ", left /proc/procbad_leak behind" : "");
}

module_init(procbad_init);
module_exit(procbad_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("/proc handlers that misbehave");
