/* The LD_PRELOAD shim that `modfs shell` and `modfs run` put under every dynamically linked
 * program (see docs/shell.md). Bind mounts already make path reads exact; this library covers
 * what no file can stand for: the module system calls, syslog(2), uname(2), lseek on /dev/kmsg,
 * and paths a bind mount cannot cover because the host lacks them (a kernel built without
 * modules has no /proc/modules to mount over).
 *
 * Each file holds one of those: modctl.c (init_module, finit_module, delete_module), syslog.c,
 * uname.c, kmsg-seek.c, paths.c; entry.c has the exported symbols that libc users call. */
#ifndef MODFS_PRELOAD_H
#define MODFS_PRELOAD_H

#include <stddef.h>
#include <sys/types.h>

/* Only the interposed libc symbols (entry.c, EXPORT) leave the library. */
#pragma GCC visibility push(hidden)

/* Set up from the environment the launcher exported (idempotent; entry points call it first,
 * because another library's constructor may call us before our own constructor runs). */
void modfs_init(void);

/* $MODFS_MOUNT, the mount the shell acts on, or NULL when the shim runs outside a modfs shell
 * (then every call goes to libc untouched, except that the module calls refuse: see modctl.c). */
const char *modfs_mount(void);

/* "<mount>/<rel>" into buf; returns buf, or NULL when it does not fit or there is no mount. */
char *modfs_path(char *buf, size_t size, const char *rel);

/* libc's own functions, found with dlsym(RTLD_NEXT): the shim never calls its own wrappers. */
int modfs_real_open(const char *path, int flags, mode_t mode);
ssize_t modfs_read_full(int fd, void *buf, size_t len);
ssize_t modfs_write_full(int fd, const void *buf, size_t len);
off_t modfs_real_lseek(int fd, off_t off, int whence);
long modfs_real_syscall6(long nr, long a, long b, long c, long d, long e, long f);

/* One write to a control file under <mount>/sys/kernel/modctl, the kernel's errno on failure
 * (returned negated; 0 on success). Opening it is the capability check: the file is 0200 root,
 * so a user without CAP_SYS_MODULE gets EACCES from the open, which the callers turn into the
 * EPERM the system calls give. */
int modfs_control_write(const char *name, const char *data, size_t len);
/* The same in two steps: open (fd, or -errno: -EPERM for EACCES, -ENOSYS without a mount),
 * then one write and close of that fd (0 or -errno). */
int modfs_control_open(const char *name);
int modfs_control_send(int fd, const char *data, size_t len);

/* The system calls, errno-returning (0 or -errno), shared by the libc wrappers and syscall(). */
long modfs_init_module(const void *image, unsigned long len, const char *params);
long modfs_finit_module(int fd, const char *params, int flags);
long modfs_delete_module(const char *name, unsigned int flags);
long modfs_syslog(int type, char *buf, int len);
long modfs_uname(void *uts);

/* lseek on the tree's /dev/kmsg: SEEK_DATA (to the clear point) and SEEK_END, which a FUSE
 * file cannot pass to the daemon. Returns 1 and sets *result when it handled the call. */
int modfs_kmsg_seek(int fd, off_t off, int whence, off_t *result);

/* paths.c: the redirected path for `path` (into buf), or `path` itself. */
const char *modfs_rewrite(const char *path, char *buf, size_t size);

/* /dev/kmsg records of the tree, for syslog(2): calls fn for each record, oldest first. */
struct kmsg_record {
	unsigned prio;
	unsigned long long seq;
	unsigned long long usec;
	const char *text; /* unescaped, not NUL-terminated; may hold newlines */
	size_t len;
};
int modfs_kmsg_each(int (*fn)(const struct kmsg_record *, void *), void *arg);

/* The first uncleared sequence number (the clear control's read side). */
long long modfs_clear_seq(void);

#pragma GCC visibility pop

#endif
