// SPDX-License-Identifier: GPL-2.0
/*
 * exporter: a module other modules build on (seed 002, module stacking).
 *
 * It exports a counter function with EXPORT_SYMBOL and a GPL-only one with
 * EXPORT_SYMBOL_GPL. While `importer` is loaded, `importer` is listed in
 * /sys/module/exporter/holders/ and /proc/modules, refcnt is 1, and
 * `rmmod exporter` fails with "Resource temporarily unavailable" (EAGAIN).
 */
#include <linux/init.h>
#include <linux/module.h>

static int calls;

int exporter_count(int step)
{
	calls += step;
	pr_info("exporter: count(%d) -> %d\n", step, calls);
	return calls;
}
EXPORT_SYMBOL(exporter_count);

const char *exporter_name(void)
{
	return "exporter";
}
EXPORT_SYMBOL_GPL(exporter_name);

static int __init exporter_init(void)
{
	pr_info("exporter: ready\n");
	return 0;
}

static void __exit exporter_exit(void)
{
	pr_info("exporter: gone after %d calls\n", calls);
}

module_init(exporter_init);
module_exit(exporter_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("exports symbols for importer (EXPORT_SYMBOL, EXPORT_SYMBOL_GPL)");
MODULE_VERSION("1.0");
