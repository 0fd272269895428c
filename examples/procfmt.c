// SPDX-License-Identifier: GPL-2.0
/*
 * procfmt: the seq_file output helpers and the other ways to open one.
 *
 *   /proc/procfmt/out      proc_create_single: seq_printf, seq_puts, seq_putc,
 *                          seq_write, seq_put_decimal_ull/_ll, seq_escape,
 *                          seq_setwidth + seq_pad, seq_hex_dump
 *   /proc/procfmt/private  proc_create_seq_private with a state: each
 *                          open gets a zeroed struct in m->private
 *   /proc/procfmt/sized    own proc_ops: open with single_open_size (a
 *                          10000-byte buffer from the start), read with
 *                          seq_read, lseek with seq_lseek, single_release
 *   /proc/procfmt/stuck    own proc_ops around seq_open whose ->next
 *                          forgets to move the position (the kernel says so)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>

static struct proc_dir_entry *dir;
static const u8 blob[40] = "modfs: seq_hex_dump of forty bytes.\x01\x02\xfe\xff";

static int out_show(struct seq_file *m, void *v)
{
	seq_printf(m, "[%d] [%5s] [%-5u] [%llx] [%c] [%.3s]\n", -7, "ab", 42u, 0xdeadbeefULL, 'z', "truncate");
	seq_puts(m, "puts ");
	seq_putc(m, '+');
	seq_putc(m, '\n');
	seq_write(m, "bin\0ary\n", 8);
	seq_put_decimal_ull(m, "u=", 1234567890123ULL);
	seq_put_decimal_ll(m, " ll=", -42);
	seq_put_decimal_ll(m, " one=", 7);
	seq_put_decimal_ull(m, " ", 0);
	seq_putc(m, '\n');
	seq_escape(m, "tab\there\\ and space", " \t\\");
	seq_putc(m, '\n');
	seq_setwidth(m, 20);
	seq_puts(m, "padded");
	seq_pad(m, '|');
	seq_putc(m, '\n');
	seq_hex_dump(m, "dump: ", DUMP_PREFIX_OFFSET, 16, 1, blob, sizeof(blob), true);
	seq_hex_dump(m, "w4 ", DUMP_PREFIX_NONE, 16, 4, blob, 16, false);
	return 0;
}

struct walk {
	int calls;
};

static void *priv_start(struct seq_file *m, loff_t *pos)
{
	struct walk *w = m->private;

	w->calls++;
	return *pos < 3 ? pos : NULL;
}

static void *priv_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return *pos < 3 ? pos : NULL;
}

static void priv_stop(struct seq_file *m, void *v)
{
}

static int priv_show(struct seq_file *m, void *v)
{
	struct walk *w = m->private;

	seq_printf(m, "record %lld, start called %d times, data %s\n", *(loff_t *)v, w->calls,
		   (char *)pde_data(file_inode(m->file)));
	return 0;
}

static const struct seq_operations priv_ops = {
	.start = priv_start,
	.next = priv_next,
	.stop = priv_stop,
	.show = priv_show,
};

static int sized_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, "buffer %zu bytes\n", m->size);
	for (i = 0; i < 60; i++)
		seq_printf(m, "%03d %s\n", i, "eighty-ish bytes of text so that the record is longer than one page...");
	return 0;
}

static int sized_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, sized_show, NULL, 10000);
}

static const struct proc_ops sized_ops = {
	.proc_open = sized_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static void *stuck_start(struct seq_file *m, loff_t *pos)
{
	return *pos < 2 ? (void *)(long)(*pos + 1) : NULL;
}

static void *stuck_next(struct seq_file *m, void *v, loff_t *pos)
{
	/* forgets ++*pos: the kernel moves it and complains */
	return (long)v < 2 ? (void *)((long)v + 1) : NULL;
}

static int stuck_show(struct seq_file *m, void *v)
{
	seq_printf(m, "stuck record %ld\n", (long)v);
	return 0;
}

static const struct seq_operations stuck_seq = {
	.start = stuck_start,
	.next = stuck_next,
	.stop = priv_stop,
	.show = stuck_show,
};

static int stuck_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &stuck_seq);
}

static const struct proc_ops stuck_ops = {
	.proc_open = stuck_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release,
};

static char tag[] = "procfmt-data";

static int __init procfmt_init(void)
{
	dir = proc_mkdir_mode("procfmt", 0750, NULL);
	if (!dir)
		return -ENOMEM;
	if (!proc_create_single("out", 0, dir, out_show) ||
	    !proc_create_seq_private("private", 0440, dir, &priv_ops, sizeof(struct walk), tag) ||
	    !proc_create("sized", 0, dir, &sized_ops) ||
	    !proc_create("stuck", 0, dir, &stuck_ops)) {
		proc_remove(dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit procfmt_exit(void)
{
	proc_remove(dir);
}

module_init(procfmt_init);
module_exit(procfmt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("seq_file output helpers and open variants");
