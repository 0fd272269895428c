// SPDX-License-Identifier: GPL-2.0
/*
 * kobjattr: a kobject of its own under /sys/kernel with kobj_attribute files,
 * the way small modules export a few values without a device.
 *
 * /sys/kernel/kobjattr/value	0644: an int, stored with kstrtoint (base 0),
 *				so a bad number fails the write with the
 *				store's errno (EINVAL, ERANGE)
 * /sys/kernel/kobjattr/square	0444: computed on every read (value * value)
 * /sys/kernel/kobjattr/stats/	a named attribute group (a subdirectory):
 *	writes			0444: how many stores succeeded
 *	summary			0444: several lines built with sysfs_emit_at
 *	note			0644: a string kept as written (sscanf "%15s")
 * /sys/kernel/kobjattr/child/	an embedded kobject with its own kobj_type
 *				(kobject_init_and_add): release() and
 *				default_groups
 *	id			0444
 *
 * Parameters, for the error paths:
 *	dup=1	try to create value a second time (sysfs warns, -EEXIST)
 *	leak=1	exit without kobject_put: the directory outlives the module
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

static bool dup;
module_param(dup, bool, 0444);
static bool leak;
module_param(leak, bool, 0444);

static struct kobject *kobj;
static int value = 6;
static unsigned int writes;
static char note[16] = "none";

static ssize_t value_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", value);
}

static ssize_t value_store(struct kobject *k, struct kobj_attribute *a,
			   const char *buf, size_t count)
{
	int n, ret;

	ret = kstrtoint(buf, 0, &n);
	if (ret) {
		pr_info("value: refused %zu bytes (%d)\n", count, ret);
		return ret;
	}
	value = n;
	writes++;
	pr_info("value: %d from %zu bytes\n", n, count);
	return count;
}

static ssize_t square_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)value * value);
}

static ssize_t writes_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", writes);
}

static ssize_t summary_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	int len = 0;

	len += sysfs_emit_at(buf, len, "kobject %s\n", kobject_name(k));
	len += sysfs_emit_at(buf, len, "attribute %s\n", a->attr.name);
	len += sysfs_emit_at(buf, len, "value %d writes %u note %s\n", value, writes, note);
	return len;
}

static ssize_t note_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", note);
}

static ssize_t note_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t count)
{
	char word[16];

	if (sscanf(buf, "%15s", word) != 1)
		return -EINVAL;
	strscpy(note, word, sizeof(note));
	return count;
}

static struct kobj_attribute value_attr = __ATTR(value, 0644, value_show, value_store);
static struct kobj_attribute square_attr = __ATTR_RO(square);
static struct kobj_attribute writes_attr = __ATTR_RO(writes);
static struct kobj_attribute summary_attr = __ATTR_RO(summary);
static struct kobj_attribute note_attr = __ATTR(note, 0644, note_show, note_store);

static struct attribute *stats_attrs[] = {
	&writes_attr.attr,
	&summary_attr.attr,
	&note_attr.attr,
	NULL,
};

static const struct attribute_group stats_group = {
	.name = "stats",
	.attrs = stats_attrs,
};

/* An object with a kobject inside, as drivers embed them. */
struct child {
	int id;
	struct kobject kobj;
};

static struct child *child;

static ssize_t id_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", container_of(k, struct child, kobj)->id);
}

static struct kobj_attribute id_attr = __ATTR_RO(id);

static struct attribute *child_attrs[] = {
	&id_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(child);

static void child_release(struct kobject *k)
{
	struct child *c = container_of(k, struct child, kobj);

	pr_info("release %s id %d\n", kobject_name(k), c->id);
	kfree(c);
}

static const struct kobj_type child_ktype = {
	.release = child_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = child_groups,
};

static int __init kobjattr_init(void)
{
	int ret;

	kobj = kobject_create_and_add("kobjattr", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	ret = sysfs_create_file(kobj, &value_attr.attr);
	if (!ret)
		ret = sysfs_create_file(kobj, &square_attr.attr);
	if (!ret)
		ret = sysfs_create_group(kobj, &stats_group);
	if (ret)
		goto out_put;
	if (dup)
		pr_info("second value: %d\n", sysfs_create_file(kobj, &value_attr.attr));

	child = kzalloc(sizeof(*child), GFP_KERNEL);
	if (!child) {
		ret = -ENOMEM;
		goto out_put;
	}
	child->id = 7;
	ret = kobject_init_and_add(&child->kobj, &child_ktype, kobj, "child");
	if (ret) {
		kobject_put(&child->kobj);
		goto out_put;
	}
	pr_info("ready\n");
	return 0;

out_put:
	kobject_put(kobj);
	return ret;
}

static void __exit kobjattr_exit(void)
{
	if (leak) {
		pr_info("leaving the kobjects behind\n");
		return;
	}
	kobject_put(&child->kobj);
	sysfs_remove_group(kobj, &stats_group);
	kobject_put(kobj);
	pr_info("gone\n");
}

module_init(kobjattr_init);
module_exit(kobjattr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kobject attributes under /sys/kernel");
