/* init_module, finit_module and delete_module as writes to the tree's control files.
 *
 * The load control takes one write of "ABSOLUTE_PATH [params]" and the daemon reads the file
 * itself. The path we send is /proc/<pid>/fd/<n>: that magic link names the very file this
 * process holds, whatever mount namespace the name was resolved in (modprobe opens
 * /lib/modules/..., which the daemon, outside our namespace, would resolve to the host's
 * directory). init_module's image only exists in our memory, so it goes into a memfd first.
 * The write is made by the calling process itself, so the daemon sees insmod as the caller,
 * as the kernel sees it as `current`. */
#define _GNU_SOURCE
#include "preload.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* MODULE_NAME_LEN is 56: delete_module copies at most 55 bytes of the name and ignores the rest. */
#define MODULE_NAME_MAX 55
/* 6.1 accepts MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC and nothing else. */
#define FINIT_KNOWN_FLAGS 3

int modfs_control_open(const char *name)
{
	char path[4096], rel[64];
	snprintf(rel, sizeof rel, "sys/kernel/modctl/%s", name);
	if (!modfs_path(path, sizeof path, rel))
		return -ENOSYS;
	int fd = modfs_real_open(path, O_WRONLY | O_CLOEXEC, 0);
	if (fd < 0)
		/* 0200 root: the open is where a user without CAP_SYS_MODULE is turned away, and
		 * the system calls answer that with EPERM ("Operation not permitted"). */
		return errno == EACCES ? -EPERM : -errno;
	return fd;
}

int modfs_control_send(int fd, const char *data, size_t len)
{
	int ret = 0;
	/* One write: the control acts on it whole and fails it with the kernel's errno. */
	ssize_t n = write(fd, data, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

int modfs_control_write(const char *name, const char *data, size_t len)
{
	int fd = modfs_control_open(name);
	return fd < 0 ? fd : modfs_control_send(fd, data, len);
}

/* modfs's answer when the module oopsed in init: on Linux the kernel kills the task that
 * loaded it, so the shell prints "Killed" (README, "Where modfs differs"). The daemon cannot
 * kill the writer; the writer does it. */
#define EOWNERDEAD_OOPS 130

/* "/proc/<pid>/fd/<fd>[ params]" to the open load control `ctl` (which this closes). */
static long load_fd(int ctl, int fd, const char *params)
{
	size_t plen = params ? strlen(params) : 0;
	size_t cap = plen + 64;
	char *msg = malloc(cap);
	if (!msg) {
		close(ctl);
		return -ENOMEM;
	}
	int n = snprintf(msg, cap, "/proc/%d/fd/%d%s%s", (int)getpid(), fd, plen ? " " : "", plen ? params : "");
	long ret = modfs_control_send(ctl, msg, (size_t)n);
	free(msg);
	if (ret == -EOWNERDEAD_OOPS)
		raise(SIGKILL);
	return ret;
}

/* Without a mount (the shim loaded outside a modfs shell) the control's open fails with
 * ENOSYS: the calls refuse rather than fall through to the real kernel. */
long modfs_init_module(const void *image, unsigned long len, const char *params)
{
	/* The kernel's order: the capability check first (here the control's open). */
	int ctl = modfs_control_open("load");
	if (ctl < 0)
		return ctl;
	int mfd = memfd_create("modfs-init_module", MFD_CLOEXEC);
	if (mfd < 0) {
		long e = -errno;
		close(ctl);
		return e;
	}
	long ret = 0;
	if (len > 0 && modfs_write_full(mfd, image, len) < 0) {
		ret = errno == EFAULT ? -EFAULT : -ENOMEM;
		close(ctl);
	} else {
		ret = load_fd(ctl, mfd, params);
	}
	close(mfd);
	return ret;
}

long modfs_finit_module(int fd, const char *params, int flags)
{
	/* The kernel's order: the capability check (the control's open), the flags, the file. */
	int ctl = modfs_control_open("load");
	if (ctl < 0)
		return ctl;
	long err = 0;
	struct stat st;
	int fl = fcntl(fd, F_GETFL);
	if (flags & ~FINIT_KNOWN_FLAGS)
		err = -EINVAL;
	else if (fl < 0 || (fl & O_ACCMODE) == O_WRONLY || fstat(fd, &st) < 0)
		err = -EBADF;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;
	/* The control has no way to carry the ignore flags (kmod's `-f` never uses them: it
	 * strips the image itself and calls init_module). ENOSYS sends a caller down that road,
	 * as on kernels without finit_module. */
	else if (flags != 0)
		err = -ENOSYS;
	if (err) {
		close(ctl);
		return err;
	}
	return load_fd(ctl, fd, params);
}

long modfs_delete_module(const char *name, unsigned int flags)
{
	int ctl = modfs_control_open("unload");
	if (ctl < 0)
		return ctl;
	if (!name) {
		close(ctl);
		return -EFAULT;
	}
	size_t len = strnlen(name, MODULE_NAME_MAX);
	if (len == 0) {
		/* A zero-length write would never reach the daemon; the kernel finds no module "". */
		close(ctl);
		return -ENOENT;
	}
	char msg[3 + MODULE_NAME_MAX + 1];
	/* O_TRUNC is delete_module's "force"; O_NONBLOCK makes no difference in 6.1. */
	int n = snprintf(msg, sizeof msg, "%s%.*s", (flags & O_TRUNC) ? "-f " : "", (int)len, name);
	return modfs_control_send(ctl, msg, (size_t)n);
}
