// SPDX-License-Identifier: GPL-2.0
/*
 * importer: uses exporter's symbols, so modpost writes depends=exporter into
 * .modinfo and the loader links it against exporter's __ksymtab. Loading it
 * without exporter fails with "Unknown symbol in module" (ENOENT).
 */
#include <linux/init.h>
#include <linux/module.h>

extern int exporter_count(int step);
extern const char *exporter_name(void);

static int step = 1;
module_param(step, int, 0644);
MODULE_PARM_DESC(step, "how much to count on load");

static int __init importer_init(void)
{
	pr_info("importer: using %s, count is %d\n", exporter_name(), exporter_count(step));
	return 0;
}

static void __exit importer_exit(void)
{
	pr_info("importer: done, count is %d\n", exporter_count(0));
}

module_init(importer_init);
module_exit(importer_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("uses exporter's symbols (module dependencies)");
