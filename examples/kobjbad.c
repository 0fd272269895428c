// SPDX-License-Identifier: GPL-2.0
/*
 * kobjbad: kobj_attribute callbacks that misbehave, to see what sysfs does
 * with them.  All files are in /sys/kernel/kobjbad/.
 *
 *	long	show returns more than PAGE_SIZE: sysfs complains and keeps
 *		PAGE_SIZE - 1 bytes
 *	full	show returns exactly PAGE_SIZE: the same complaint
 *	errno	show returns -ENXIO, store returns -EROFS
 *	zero	store returns 0 (accepted nothing)
 *	fault	show dereferences NULL: an oops, the reader dies
 *	spin	store never returns (a soft lockup; not for a real kernel)
 *	ok	a well-behaved file, to show the rest still works
 *	open	created with mode 0666 by sysfs_create_file (no check there)
 *	grp/x	mode 0755 in a group: sysfs WARNs and drops the bad bits
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static struct kobject *kobj;
static int *nowhere;
static volatile int forever = 1;
static unsigned int stores;

static ssize_t long_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	memset(buf, 'x', 100);
	buf[100] = '\n';
	return PAGE_SIZE + 100;
}

static ssize_t full_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	memset(buf, 'y', 10);
	return PAGE_SIZE;
}

static ssize_t errno_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return -ENXIO;
}

static ssize_t errno_store(struct kobject *k, struct kobj_attribute *a,
			   const char *buf, size_t count)
{
	return -EROFS;
}

static ssize_t zero_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", stores);
}

static ssize_t zero_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t count)
{
	stores++;
	return 0;
}

static ssize_t fault_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", *nowhere);
}

static ssize_t spin_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t count)
{
	while (forever)
		;
	return count;
}

static ssize_t ok_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "ok\n");
}

static ssize_t ok_store(struct kobject *k, struct kobj_attribute *a,
			const char *buf, size_t count)
{
	pr_info("%s: %zu bytes, last %02x, terminated %d\n", a->attr.name, count,
		(unsigned char)buf[count - 1], buf[count] == 0);
	return count;
}

static struct kobj_attribute long_attr = __ATTR_RO(long);
static struct kobj_attribute full_attr = __ATTR_RO(full);
static struct kobj_attribute errno_attr = __ATTR(errno, 0644, errno_show, errno_store);
static struct kobj_attribute zero_attr = __ATTR(zero, 0644, zero_show, zero_store);
static struct kobj_attribute fault_attr = __ATTR_RO(fault);
static struct kobj_attribute spin_attr = __ATTR_WO(spin);
static struct kobj_attribute ok_attr = __ATTR(ok, 0644, ok_show, ok_store);
static struct kobj_attribute open_attr = __ATTR(open, 0644, ok_show, ok_store);
static struct kobj_attribute x_attr = __ATTR(x, 0644, ok_show, ok_store);

static struct attribute *grp_attrs[] = {
	&x_attr.attr,
	NULL,
};

static const struct attribute_group grp = {
	.name = "grp",
	.attrs = grp_attrs,
};

static struct attribute *plain_attrs[] = {
	&long_attr.attr,
	&full_attr.attr,
	&errno_attr.attr,
	&zero_attr.attr,
	&fault_attr.attr,
	&spin_attr.attr,
	&ok_attr.attr,
	NULL,
};

static int __init kobjbad_init(void)
{
	int ret;

	kobj = kobject_create_and_add("kobjbad", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	ret = sysfs_create_files(kobj, (const struct attribute **)plain_attrs);
	/* The mode checks are compile-time only; a mode set at run time
	 * reaches sysfs as it is. */
	open_attr.attr.mode = 0666;
	if (!ret)
		ret = sysfs_create_file(kobj, &open_attr.attr);
	x_attr.attr.mode = 0755;
	if (!ret)
		ret = sysfs_create_group(kobj, &grp);
	if (ret) {
		kobject_put(kobj);
		return ret;
	}
	return 0;
}

static void __exit kobjbad_exit(void)
{
	kobject_put(kobj);
}

module_init(kobjbad_init);
module_exit(kobjbad_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("misbehaving sysfs callbacks");
