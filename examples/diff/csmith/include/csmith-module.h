/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include) into every csmith program built as a kernel module. The program's
 * main() is renamed csmith_main (-Dmain=csmith_main); the module's init runs it once. No kernel
 * header is included: csmith's own headers come from this directory's stubs.
 */
int csmith_main(void);

static int csmith_module_init(void)
{
	csmith_main();
	return 0;
}

static void csmith_module_exit(void)
{
}

int init_module(void) __attribute__((alias("csmith_module_init")));
void cleanup_module(void) __attribute__((alias("csmith_module_exit")));
static const char csmith_module_license[] __attribute__((section(".modinfo"), used, aligned(1))) = "license=GPL";
