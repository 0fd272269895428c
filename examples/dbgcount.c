// SPDX-License-Identifier: GPL-2.0
/*
 * dbgcount: a debugfs directory with the kernel's typed files and one file
 * of the module's own.
 *
 * /sys/kernel/debug/dbgcount/
 *	counter	0644 u32	"%llu\n"; writes parsed by the kernel (kstrtoull)
 *	limit	0444 u32	read-only: a write fails with EACCES
 *	flags	0644 x32	"0x%08llx\n"
 *	small	0644 u8		a write is truncated to 8 bits
 *	big	0600 x64
 *	size	0444 size_t
 *	hits	0644 atomic_t	signed: "%lld\n"
 *	enabled	0644 bool	"Y\n"/"N\n"; a bad word is ignored
 *	secret	0200 bool	write-only: reading fails with EINVAL
 *	blob	0444 blob	the bytes of a buffer
 *	reads	0644 own fops	each read from offset 0 counts; a write sets
 *				the count (kstrtouint_from_user)
 *
 * leak=1: exit without debugfs_remove, so the files outlive the module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/module.h>

static struct dentry *dir;
static u32 counter = 3;
static u32 limit = 100;
static u32 flags = 0xbeef;
static u8 small = 7;
static u64 big = 0x123456789ULL;
static size_t size = 4096;
static atomic_t hits = ATOMIC_INIT(-2);
static bool enabled = true;
static bool secret;
static char blob_text[] = "a blob of bytes\n";
static struct debugfs_blob_wrapper blob = {
	.data = blob_text,
	.size = sizeof(blob_text) - 1,
};
static unsigned int reads;
static bool leak;
module_param(leak, bool, 0444);

static ssize_t reads_read(struct file *f, char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[32];
	int n;

	if (*ppos == 0)
		reads++;
	n = scnprintf(buf, sizeof(buf), "reads=%u\n", reads);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t reads_write(struct file *f, const char __user *ubuf, size_t len, loff_t *ppos)
{
	unsigned int v;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &v);
	if (ret)
		return ret;
	reads = v;
	return len;
}

static const struct file_operations reads_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = reads_read,
	.write = reads_write,
	.llseek = default_llseek,
};

static int __init dbgcount_init(void)
{
	struct dentry *d;

	pr_info("debugfs initialized: %d\n", debugfs_initialized());
	dir = debugfs_create_dir("dbgcount", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_u32("counter", 0644, dir, &counter);
	debugfs_create_u32("limit", 0444, dir, &limit);
	debugfs_create_x32("flags", 0644, dir, &flags);
	debugfs_create_u8("small", 0644, dir, &small);
	debugfs_create_x64("big", 0600, dir, &big);
	debugfs_create_size_t("size", 0444, dir, &size);
	debugfs_create_atomic_t("hits", 0644, dir, &hits);
	debugfs_create_bool("enabled", 0644, dir, &enabled);
	debugfs_create_bool("secret", 0200, dir, &secret);
	debugfs_create_blob("blob", 0444, dir, &blob);
	d = debugfs_create_file("reads", 0644, dir, NULL, &reads_fops);
	pr_info("reads: %s\n", IS_ERR(d) ? "error" : "created");

	/* The same names again: the kernel refuses and says so. */
	d = debugfs_create_dir("dbgcount", NULL);
	pr_info("second dir: %ld\n", PTR_ERR_OR_ZERO(d));
	d = debugfs_create_file("reads", 0644, dir, NULL, &reads_fops);
	pr_info("second reads: %ld\n", PTR_ERR_OR_ZERO(d));

	d = debugfs_lookup("counter", dir);
	pr_info("lookup counter: %s\n", d ? "found" : "missing");
	dput(d);
	d = debugfs_lookup("nothing", dir);
	pr_info("lookup nothing: %s\n", d ? "found" : "missing");
	return 0;
}

static void __exit dbgcount_exit(void)
{
	if (leak) {
		pr_info("leaving the files behind\n");
		return;
	}
	debugfs_remove(dir);
	pr_info("removed; counter %u reads %u\n", counter, reads);
}

module_init(dbgcount_init);
module_exit(dbgcount_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("debugfs counters and files");
