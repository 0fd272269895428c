// SPDX-License-Identifier: GPL-2.0
/*
 * mm_layout: prints, as one JSON object per line, the facts of a kernel build that the printf
 * extensions %pGp, %pGg, %pGv, %pd, %pD, %pg, %pR and %pfw depend on: the flag-name tables that
 * mm/debug.c builds from <trace/events/mmflags.h>, the page->flags field layout, and a few
 * struct offsets. Built against the headers modfs emulates and run on modfs itself by
 * scripts/extract-mm-layout.sh, which writes src/kernel/mm-layout-data.ts from its output.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/property.h>
#include <linux/printk.h>
#include <linux/fwnode.h>
#include <linux/blk_types.h>
#include <linux/blkdev.h>
#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>

static const struct trace_print_flags pageflags[] = { __def_pageflag_names, { 0, NULL } };
static const struct trace_print_flags gfpflags[] = { __def_gfpflag_names, { 0, NULL } };
static const struct trace_print_flags vmaflags[] = { __def_vmaflag_names, { 0, NULL } };

static void dump(const char *what, const struct trace_print_flags *t)
{
	for (; t->name; t++)
		pr_info("{\"table\":\"%s\",\"mask\":\"%lx\",\"name\":\"%s\"}\n", what, t->mask, t->name);
}

#define VAL(name, v) pr_info("{\"const\":\"%s\",\"value\":\"%lx\"}\n", name, (unsigned long)(v))

static int __init mm_layout_init(void)
{
	dump("page", pageflags);
	dump("gfp", gfpflags);
	dump("vma", vmaflags);
	VAL("NR_PAGEFLAGS", NR_PAGEFLAGS);
	VAL("SECTIONS_WIDTH", SECTIONS_WIDTH);
	VAL("SECTIONS_PGSHIFT", SECTIONS_PGSHIFT);
	VAL("SECTIONS_MASK", SECTIONS_MASK);
	VAL("NODES_WIDTH", NODES_WIDTH);
	VAL("NODES_PGSHIFT", NODES_PGSHIFT);
	VAL("NODES_MASK", NODES_MASK);
	VAL("ZONES_WIDTH", ZONES_WIDTH);
	VAL("ZONES_PGSHIFT", ZONES_PGSHIFT);
	VAL("ZONES_MASK", ZONES_MASK);
	VAL("LAST_CPUPID_WIDTH", LAST_CPUPID_WIDTH);
	VAL("LAST_CPUPID_PGSHIFT", LAST_CPUPID_PGSHIFT);
	VAL("LAST_CPUPID_MASK", LAST_CPUPID_MASK);
	VAL("KASAN_TAG_WIDTH", KASAN_TAG_WIDTH);
	VAL("KASAN_TAG_PGSHIFT", KASAN_TAG_PGSHIFT);
	VAL("KASAN_TAG_MASK", KASAN_TAG_MASK);
	VAL("GFP_BITS_MASK", __GFP_BITS_MASK);
	VAL("dentry.d_parent", offsetof(struct dentry, d_parent));
	VAL("dentry.d_name.name", offsetof(struct dentry, d_name.name));
	VAL("file.f_path.dentry", offsetof(struct file, f_path.dentry));
	VAL("resource.start", offsetof(struct resource, start));
	VAL("resource.end", offsetof(struct resource, end));
	VAL("resource.flags", offsetof(struct resource, flags));
	VAL("software_node.name", offsetof(struct software_node, name));
	VAL("software_node.parent", offsetof(struct software_node, parent));
	VAL("software_node.properties", offsetof(struct software_node, properties));
	VAL("software_node.size", sizeof(struct software_node));
	VAL("fwnode_handle.size", sizeof(struct fwnode_handle));
	VAL("fwnode_handle.ops", offsetof(struct fwnode_handle, ops));
	VAL("fwnode_operations.put", offsetof(struct fwnode_operations, put));
	VAL("fwnode_operations.get_name", offsetof(struct fwnode_operations, get_name));
	VAL("fwnode_operations.get_name_prefix", offsetof(struct fwnode_operations, get_name_prefix));
	VAL("fwnode_operations.get_parent", offsetof(struct fwnode_operations, get_parent));
	VAL("fwnode_operations.size", sizeof(struct fwnode_operations));
	VAL("block_device.bd_disk", offsetof(struct block_device, bd_disk));
	VAL("block_device.bd_partno", offsetof(struct block_device, bd_partno));
	VAL("gendisk.disk_name", offsetof(struct gendisk, disk_name));
	return -EAGAIN; /* nothing to keep loaded */
}
module_init(mm_layout_init);
MODULE_LICENSE("GPL");
