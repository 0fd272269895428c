/* uname(2) with the emulated kernel's release and version, so `uname -r`, kmod's
 * /lib/modules/$(uname -r) and a tutorial Makefile's KERNELDIR all name the kernel modfs runs.
 * The launcher exports them (MODFS_RELEASE, MODFS_VERSION, read once from the tree's
 * /proc/sys/kernel/osrelease and /proc/version); without them the tree's file is read. */
#define _GNU_SOURCE
#include "preload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static void set_field(char *field, const char *value)
{
	size_t n = strnlen(value, _UTSNAME_LENGTH - 1);
	memcpy(field, value, n);
	field[n] = 0;
}

static int release_from_tree(char *buf, size_t size)
{
	char path[4096];
	if (!modfs_path(path, sizeof path, "proc/sys/kernel/osrelease"))
		return -1;
	int fd = modfs_real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

long modfs_uname(void *p)
{
	struct utsname *u = p;
	long r = modfs_real_syscall6(SYS_uname, (long)u, 0, 0, 0, 0, 0);
	if (r < 0 || !modfs_mount())
		return r;
	const char *rel = getenv("MODFS_RELEASE"), *ver = getenv("MODFS_VERSION");
	char buf[_UTSNAME_LENGTH];
	if (rel && *rel)
		set_field(u->release, rel);
	else if (release_from_tree(buf, sizeof buf) == 0)
		set_field(u->release, buf);
	if (ver && *ver)
		set_field(u->version, ver);
	return 0;
}
