// SPDX-License-Identifier: GPL-2.0
/*
 * nongpl_user: a module with a non-GPL license that uses a GPL-only export (seed 002: "a
 * non-GPL module cannot use many core functions").
 *
 * exporter exports exporter_name() with EXPORT_SYMBOL_GPL. This module's license is
 * "Proprietary", so the kernel's symbol lookup does not offer it GPL-only symbols: loading it
 * after exporter fails with "Unknown symbol in module" and the log names the symbol, after the
 * license has tainted the kernel (P). modpost would refuse to build it next to exporter, so it
 * lives in its own directory and is built without exporter's Module.symvers
 * (scripts/build-examples.sh: KBUILD_MODPOST_WARN=1, the symbol is then "undefined" to modpost).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

extern const char *exporter_name(void);

static int __init nongpl_user_init(void)
{
	pr_info("using %s\n", exporter_name());
	return 0;
}

static void __exit nongpl_user_exit(void)
{
	pr_info("gone\n");
}

module_init(nongpl_user_init);
module_exit(nongpl_user_exit);

MODULE_LICENSE("Proprietary");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("a non-GPL module that uses exporter's GPL-only exporter_name()");
