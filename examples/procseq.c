// SPDX-License-Identifier: GPL-2.0
/*
 * procseq: a /proc file written with seq_file, iterating over a kernel list.
 *
 * init kmallocs `count` items (default 5) and links them on a list_head.
 * /proc/procseq walks the list with the seq_list helpers: a header line
 * first (seq_list_start_head), then one line per item.  Every `skip`-th item
 * (0: none) is dropped by its ->show returning SEQ_SKIP.  `wide=1` makes the
 * header longer than a page, so seq_read has to grow its buffer and show the
 * record again.
 *
 * /proc/procseq_stats (proc_create_single) prints how often the iterator's
 * methods ran, so an experiment can see how reads of different sizes drive
 * start/next/stop/show.  Both files are removed in exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/list.h>

static int count = 5;
static int skip;
static int wide;
module_param(count, int, 0444);
module_param(skip, int, 0444);
module_param(wide, int, 0444);
MODULE_PARM_DESC(count, "number of list items (default 5)");
MODULE_PARM_DESC(skip, "drop every skip-th item with SEQ_SKIP (default 0: none)");
MODULE_PARM_DESC(wide, "1: a header longer than PAGE_SIZE");

struct item {
	struct list_head node;
	int id;
	char name[12];
};

static LIST_HEAD(items);
static struct proc_dir_entry *seq_entry, *stats_entry;
static unsigned int n_start, n_next, n_stop, n_show;

static void *ps_start(struct seq_file *m, loff_t *pos)
{
	n_start++;
	return seq_list_start_head(&items, *pos);
}

static void *ps_next(struct seq_file *m, void *v, loff_t *pos)
{
	n_next++;
	return seq_list_next(v, &items, pos);
}

static void ps_stop(struct seq_file *m, void *v)
{
	n_stop++;
}

static int ps_show(struct seq_file *m, void *v)
{
	struct item *it;

	n_show++;
	if (v == &items) {
		seq_puts(m, "id   name        square\n");
		if (wide) {
			int i;

			for (i = 0; i < 100; i++)
				seq_printf(m, "%-45s%04d\n", "# padding line of the wide header", i);
		}
		return 0;
	}
	it = list_entry(v, struct item, node);
	if (skip && it->id % skip == 0)
		return SEQ_SKIP;
	seq_printf(m, "%-4d %-10s", it->id, it->name);
	seq_put_decimal_ull(m, "  ", (unsigned long long)it->id * it->id);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations ps_ops = {
	.start = ps_start,
	.next = ps_next,
	.stop = ps_stop,
	.show = ps_show,
};

static int stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "start %u next %u stop %u show %u\n", n_start, n_next, n_stop, n_show);
	return 0;
}

static void free_items(void)
{
	struct item *it, *tmp;

	list_for_each_entry_safe(it, tmp, &items, node) {
		list_del(&it->node);
		kfree(it);
	}
}

static int __init procseq_init(void)
{
	int i;

	if (count < 0 || count > 100000)
		return -EINVAL;
	for (i = 1; i <= count; i++) {
		struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);

		if (!it) {
			free_items();
			return -ENOMEM;
		}
		it->id = i;
		snprintf(it->name, sizeof(it->name), "item-%d", i);
		list_add_tail(&it->node, &items);
	}
	seq_entry = proc_create_seq("procseq", 0, NULL, &ps_ops);
	if (!seq_entry)
		goto fail;
	stats_entry = proc_create_single("procseq_stats", 0400, NULL, stats_show);
	if (!stats_entry) {
		proc_remove(seq_entry);
		goto fail;
	}
	pr_info("%d items\n", count);
	return 0;
fail:
	free_items();
	return -ENOMEM;
}

static void __exit procseq_exit(void)
{
	proc_remove(stats_entry);
	proc_remove(seq_entry);
	free_items();
	pr_info("removed\n");
}

module_init(procseq_init);
module_exit(procseq_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("seq_file over a kernel list in /proc");
