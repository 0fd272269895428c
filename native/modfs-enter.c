/* modfs-enter: the launcher behind `modfs shell` and `modfs run` (docs/shell.md).
 *
 *   modfs-enter [--map UID GID] [--bind SRC DST]... [--fence] -- PROGRAM [ARG...]
 *
 * It enters a private mount namespace, binds the tree's files over the real paths
 * (DIR/proc/modules over /proc/modules, DIR/sys/module over /sys/module, ...), and executes
 * PROGRAM there. Node cannot call unshare(2) or mount(2) itself, hence this program.
 *
 * --map UID GID (a user without CAP_SYS_ADMIN): a mount namespace needs a user namespace, in
 *   which the user is root while the binds are made; a second, nested user namespace then maps
 *   the user's own ids back, so inside the shell `id`, file ownership and the daemon's view of
 *   the caller (the kernel-side uid never changes) are the user's, and the binds cannot be
 *   undone (the mount namespace belongs to the outer user namespace).
 * --fence: a seccomp filter that answers init_module, finit_module, delete_module and syslog
 *   with ENOSYS. The LD_PRELOAD shim never issues them (it writes the control files), so only
 *   programs the shim cannot reach get there: static binaries and those started with a cleared
 *   environment. Without the fence such a program, run by root, would load into the real kernel.
 *   Installing a filter needs CAP_SYS_ADMIN in the current user namespace (or no_new_privs);
 *   both cases here have it, so setuid programs keep working for root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ME "modfs shell"

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s: %s\n", ME, what, arg ? " " : "", arg ? arg : "", strerror(errno));
	exit(126);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open", path);
	ssize_t n = write(fd, text, strlen(text));
	if (n < 0 || (size_t)n != strlen(text))
		die("cannot write", path);
	close(fd);
}

/* Map `inside` in the new user namespace to `outside` in its parent, for uid and gid. */
static void map_ids(unsigned uin, unsigned uout, unsigned gin, unsigned gout, int deny_setgroups)
{
	char line[64];
	/* An unprivileged gid_map needs setgroups denied first (user_namespaces(7)). */
	if (deny_setgroups)
		write_file("/proc/self/setgroups", "deny");
	snprintf(line, sizeof line, "%u %u 1\n", uin, uout);
	write_file("/proc/self/uid_map", line);
	snprintf(line, sizeof line, "%u %u 1\n", gin, gout);
	write_file("/proc/self/gid_map", line);
}

/* The x32 ABI shares the x86-64 numbers with this bit set. */
#define X32_BIT 0x40000000u
/* i386 numbers, for 32-bit static programs (int 0x80). */
#define I386_SYSLOG 103
#define I386_INIT_MODULE 128
#define I386_DELETE_MODULE 129
#define I386_FINIT_MODULE 350

static void install_fence(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
		/* x86-64 and x32 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~X32_BIT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_init_module, 12, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_finit_module, 11, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_delete_module, 10, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_syslog, 9, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* i386 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, I386_INIT_MODULE, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, I386_FINIT_MODULE, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, I386_DELETE_MODULE, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, I386_SYSLOG, 2, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* any other architecture: leave alone */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		die("cannot install the seccomp fence", NULL);
}

static void usage(void)
{
	fprintf(stderr, "usage: modfs-enter [--map UID GID] [--bind SRC DST]... [--fence] -- PROGRAM [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int map = 0, fence = 0, nbinds = 0, i;
	unsigned uid = 0, gid = 0;
	char **binds = calloc((size_t)argc, sizeof *binds);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--map") == 0 && i + 2 < argc) {
			map = 1;
			uid = (unsigned)strtoul(argv[++i], NULL, 10);
			gid = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--bind") == 0 && i + 2 < argc) {
			binds[nbinds++] = argv[++i];
			binds[nbinds++] = argv[++i];
		} else if (strcmp(argv[i], "--fence") == 0) {
			fence = 1;
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();

	if (map) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			die("cannot create a user and mount namespace (are unprivileged user namespaces disabled? sysctl kernel.unprivileged_userns_clone)", NULL);
		map_ids(0, uid, 0, gid, 1);
	} else if (unshare(CLONE_NEWNS) < 0) {
		die("cannot create a mount namespace", NULL);
	}
	/* Nothing done here may reach the host's mount table. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("cannot make the mount namespace private", NULL);
	for (int b = 0; b < nbinds; b += 2) {
		if (mount(binds[b], binds[b + 1], NULL, MS_BIND, NULL) < 0) {
			int e = errno;
			fprintf(stderr, "%s: cannot bind %s over %s: %s\n", ME, binds[b], binds[b + 1], strerror(e));
			exit(126);
		}
	}
	if (map) {
		if (unshare(CLONE_NEWUSER) < 0)
			die("cannot create the nested user namespace", NULL);
		map_ids(uid, 0, gid, 0, 0);
	}
	if (fence)
		install_fence();
	execvp(argv[i], argv + i);
	int e = errno;
	fprintf(stderr, "%s: %s: %s\n", ME, argv[i], strerror(e));
	return e == ENOENT ? 127 : 126;
}
