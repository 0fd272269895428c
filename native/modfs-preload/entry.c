/* The symbols programs call, interposed by LD_PRELOAD: Debian 12's libkmod imports open,
 * openat, fopen, opendir, stat, fstatat, uname, init_module, delete_module and syscall (its
 * finit_module goes through syscall()); util-linux dmesg uses open, __open_2, fopen, lseek and
 * klogctl. Everything not ours goes on to libc unchanged. */
#define _GNU_SOURCE
#include "preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <dirent.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* libc's definition of `name`, looked up once. */
#define REAL(type, name)                                                                       \
	static type real_##name;                                                               \
	if (!real_##name)                                                                      \
		real_##name = (type)dlsym(RTLD_NEXT, #name)

/* ------------------------------------------------------------------------------------------ */
/* setup and helpers                                                                          */

static char mount_dir[4096];
static int initialised;

void modfs_init(void)
{
	if (initialised)
		return;
	const char *m = getenv("MODFS_MOUNT");
	if (m && m[0] == '/' && strlen(m) < sizeof mount_dir) {
		strcpy(mount_dir, m);
		size_t n = strlen(mount_dir);
		while (n > 1 && mount_dir[n - 1] == '/')
			mount_dir[--n] = 0;
	}
	initialised = 1;
}

__attribute__((constructor)) static void setup(void)
{
	modfs_init();
}

const char *modfs_mount(void)
{
	modfs_init();
	return mount_dir[0] ? mount_dir : NULL;
}

char *modfs_path(char *buf, size_t size, const char *rel)
{
	const char *m = modfs_mount();
	if (!m)
		return NULL;
	int n = snprintf(buf, size, "%s/%s", m, rel);
	return n < 0 || (size_t)n >= size ? NULL : buf;
}

typedef int (*open_fn)(const char *, int, ...);
typedef off_t (*lseek_fn)(int, off_t, int);
typedef long (*syscall_fn)(long, ...);

int modfs_real_open(const char *path, int flags, mode_t mode)
{
	REAL(open_fn, open);
	return real_open(path, flags, mode);
}

off_t modfs_real_lseek(int fd, off_t off, int whence)
{
	REAL(lseek_fn, lseek);
	return real_lseek(fd, off, whence);
}

long modfs_real_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	REAL(syscall_fn, syscall);
	long r = real_syscall(nr, a, b, c, d, e, f);
	return r == -1 ? -errno : r;
}

ssize_t modfs_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t modfs_read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* errno convention of libc wrappers: -1 and errno, else the value. */
static long ret_errno(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* the system calls no file can stand for                                                     */

EXPORT int init_module(void *image, unsigned long len, const char *params)
{
	return (int)ret_errno(modfs_init_module(image, len, params));
}

EXPORT int finit_module(int fd, const char *params, int flags)
{
	return (int)ret_errno(modfs_finit_module(fd, params, flags));
}

EXPORT int delete_module(const char *name, unsigned int flags)
{
	return (int)ret_errno(modfs_delete_module(name, flags));
}

EXPORT int klogctl(int type, char *buf, int len)
{
	return (int)ret_errno(modfs_syslog(type, buf, len));
}

EXPORT int uname(struct utsname *u)
{
	return (int)ret_errno(modfs_uname(u));
}

EXPORT long syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (nr) {
	case SYS_init_module:
		return ret_errno(modfs_init_module((const void *)a[0], (unsigned long)a[1], (const char *)a[2]));
	case SYS_finit_module:
		return ret_errno(modfs_finit_module((int)a[0], (const char *)a[1], (int)a[2]));
	case SYS_delete_module:
		return ret_errno(modfs_delete_module((const char *)a[0], (unsigned int)a[1]));
	case SYS_syslog:
		return ret_errno(modfs_syslog((int)a[0], (char *)a[1], (int)a[2]));
	case SYS_uname:
		return ret_errno(modfs_uname((void *)a[0]));
	default: {
		REAL(syscall_fn, syscall);
		return real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	}
}

EXPORT off_t lseek(int fd, off_t off, int whence)
{
	off_t r;
	if (modfs_kmsg_seek(fd, off, whence, &r))
		return (off_t)ret_errno(r);
	return modfs_real_lseek(fd, off, whence);
}

EXPORT off_t lseek64(int fd, off_t off, int whence)
{
	return lseek(fd, off, whence);
}

/* ------------------------------------------------------------------------------------------ */
/* paths (only those listed in MODFS_REWRITE; see paths.c)                                    */

#define PATHBUF char rw_buf[4096]
#define RW(p) modfs_rewrite((p), rw_buf, sizeof rw_buf)

/* open's mode argument exists only with O_CREAT or O_TMPFILE. */
#define MODE_ARG(flags)                                                                        \
	mode_t mode = 0;                                                                       \
	if ((flags) & (O_CREAT | __O_TMPFILE)) {                                               \
		va_list ap;                                                                    \
		va_start(ap, flags);                                                           \
		mode = (mode_t)va_arg(ap, int);                                                \
		va_end(ap);                                                                    \
	}

typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*open2_fn)(const char *, int);
typedef int (*openat2_fn)(int, const char *, int);
typedef FILE *(*fopen_fn)(const char *, const char *);
typedef int (*stat_fn)(const char *, struct stat *);
typedef int (*stat64_fn)(const char *, struct stat64 *);
typedef int (*fstatat_fn)(int, const char *, struct stat *, int);
typedef int (*fstatat64_fn)(int, const char *, struct stat64 *, int);
typedef int (*statx_fn)(int, const char *, int, unsigned int, struct statx *);
typedef int (*access_fn)(const char *, int);
typedef int (*faccessat_fn)(int, const char *, int, int);
typedef int (*xstat_fn)(int, const char *, void *);
typedef int (*fxstatat_fn)(int, int, const char *, void *, int);

EXPORT int open(const char *path, int flags, ...)
{
	MODE_ARG(flags);
	PATHBUF;
	REAL(open_fn, open);
	return real_open(RW(path), flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
{
	MODE_ARG(flags);
	PATHBUF;
	REAL(open_fn, open64);
	return real_open64(RW(path), flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags);
	PATHBUF;
	REAL(openat_fn, openat);
	return real_openat(dirfd, RW(path), flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags);
	PATHBUF;
	REAL(openat_fn, openat64);
	return real_openat64(dirfd, RW(path), flags, mode);
}

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

EXPORT int __open_2(const char *path, int flags)
{
	PATHBUF;
	REAL(open2_fn, __open_2);
	return real___open_2(RW(path), flags);
}

EXPORT int __open64_2(const char *path, int flags)
{
	PATHBUF;
	REAL(open2_fn, __open64_2);
	return real___open64_2(RW(path), flags);
}

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	PATHBUF;
	REAL(openat2_fn, __openat_2);
	return real___openat_2(dirfd, RW(path), flags);
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	PATHBUF;
	REAL(openat2_fn, __openat64_2);
	return real___openat64_2(dirfd, RW(path), flags);
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
	PATHBUF;
	REAL(fopen_fn, fopen);
	return real_fopen(RW(path), mode);
}

EXPORT FILE *fopen64(const char *path, const char *mode)
{
	PATHBUF;
	REAL(fopen_fn, fopen64);
	return real_fopen64(RW(path), mode);
}

EXPORT int stat(const char *path, struct stat *st)
{
	PATHBUF;
	REAL(stat_fn, stat);
	return real_stat(RW(path), st);
}

EXPORT int lstat(const char *path, struct stat *st)
{
	PATHBUF;
	REAL(stat_fn, lstat);
	return real_lstat(RW(path), st);
}

EXPORT int stat64(const char *path, struct stat64 *st)
{
	PATHBUF;
	REAL(stat64_fn, stat64);
	return real_stat64(RW(path), st);
}

EXPORT int lstat64(const char *path, struct stat64 *st)
{
	PATHBUF;
	REAL(stat64_fn, lstat64);
	return real_lstat64(RW(path), st);
}

EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	PATHBUF;
	REAL(fstatat_fn, fstatat);
	return real_fstatat(dirfd, RW(path), st, flags);
}

EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	PATHBUF;
	REAL(fstatat64_fn, fstatat64);
	return real_fstatat64(dirfd, RW(path), st, flags);
}

EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx)
{
	PATHBUF;
	REAL(statx_fn, statx);
	return real_statx(dirfd, RW(path), flags, mask, stx);
}

EXPORT int access(const char *path, int amode)
{
	PATHBUF;
	REAL(access_fn, access);
	return real_access(RW(path), amode);
}

EXPORT int faccessat(int dirfd, const char *path, int amode, int flags)
{
	PATHBUF;
	REAL(faccessat_fn, faccessat);
	return real_faccessat(dirfd, RW(path), amode, flags);
}

/* Directories and attributes on the same paths: `ls DIR` (opendir), `cd DIR` (dash's chdir, after
 * which relative names resolve inside the tree by themselves), `ls -l`'s ACL and SELinux label
 * lookups (getxattr, lgetxattr through libselinux). */
typedef DIR *(*opendir_fn)(const char *);
typedef int (*chdir_fn)(const char *);
typedef ssize_t (*getxattr_fn)(const char *, const char *, void *, size_t);
typedef ssize_t (*listxattr_fn)(const char *, char *, size_t);

EXPORT DIR *opendir(const char *path)
{
	PATHBUF;
	REAL(opendir_fn, opendir);
	return real_opendir(RW(path));
}

EXPORT int chdir(const char *path)
{
	PATHBUF;
	REAL(chdir_fn, chdir);
	return real_chdir(RW(path));
}

EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	PATHBUF;
	REAL(getxattr_fn, getxattr);
	return real_getxattr(RW(path), name, value, size);
}

EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	PATHBUF;
	REAL(getxattr_fn, lgetxattr);
	return real_lgetxattr(RW(path), name, value, size);
}

EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	PATHBUF;
	REAL(listxattr_fn, listxattr);
	return real_listxattr(RW(path), list, size);
}

EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	PATHBUF;
	REAL(listxattr_fn, llistxattr);
	return real_llistxattr(RW(path), list, size);
}

/* The pre-2.33 stat entry points, which programs built against older glibc still import. */
int __xstat(int ver, const char *path, void *st);
int __lxstat(int ver, const char *path, void *st);
int __xstat64(int ver, const char *path, void *st);
int __lxstat64(int ver, const char *path, void *st);
int __fxstatat(int ver, int dirfd, const char *path, void *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, void *st, int flags);

#define XSTAT(name)                                                                            \
	EXPORT int name(int ver, const char *path, void *st)                                   \
	{                                                                                      \
		PATHBUF;                                                                       \
		REAL(xstat_fn, name);                                                          \
		if (!real_##name)                                                              \
			return (int)ret_errno(-ENOSYS);                                        \
		return real_##name(ver, RW(path), st);                                         \
	}
XSTAT(__xstat)
XSTAT(__lxstat)
XSTAT(__xstat64)
XSTAT(__lxstat64)

#define FXSTATAT(name)                                                                         \
	EXPORT int name(int ver, int dirfd, const char *path, void *st, int flags)             \
	{                                                                                      \
		PATHBUF;                                                                       \
		REAL(fxstatat_fn, name);                                                       \
		if (!real_##name)                                                              \
			return (int)ret_errno(-ENOSYS);                                        \
		return real_##name(ver, dirfd, RW(path), st, flags);                           \
	}
FXSTATAT(__fxstatat)
FXSTATAT(__fxstatat64)
