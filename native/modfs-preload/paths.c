/* Paths a bind mount cannot cover: the host lacks the file, so there is nothing to mount over
 * (a kernel built without modules has no /proc/modules; procfs lets nobody create one). The
 * launcher lists them in MODFS_REWRITE ("/proc/modules:/proc/kallsyms"); opens and stats of
 * exactly those absolute paths go to the same path under the mount, as kmod's own testsuite
 * redirects its paths.
 *
 * Files that module code creates while the shell runs (a proc_create entry, a kobject under
 * /sys/kernel, a device node) did not exist when the binds were made. Under those places a path
 * whose first component the host lacks but the tree has goes to the tree: the host is asked
 * first (a local lstat), so paths the host has (/dev/null, /proc/self) never cost a request to
 * the daemon. Relative names (cd /proc; cat modules) and static programs still see the host:
 * see docs/shell.md. */
#define _GNU_SOURCE
#include "preload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define MAX_REWRITES 16

static char *rewrites[MAX_REWRITES];
static int nrewrites = -1;

static void load(void)
{
	nrewrites = 0;
	const char *env = getenv("MODFS_REWRITE");
	if (!env || !*env || !modfs_mount())
		return;
	char *copy = strdup(env), *save = NULL;
	for (char *p = strtok_r(copy, ":", &save); p && nrewrites < MAX_REWRITES; p = strtok_r(NULL, ":", &save))
		if (p[0] == '/')
			rewrites[nrewrites++] = p;
}

/* Where module code adds files at run time (the tree's /sys/class and /sys/kernel/debug are
 * bound whole at start). */
static const char *const dynamic_places[] = { "/proc/", "/dev/", "/sys/kernel/" };

/* lstat by system call: the shim's own stat wrappers must not see it. */
static int exists(const char *p)
{
	struct stat st;
	return modfs_real_syscall6(SYS_newfstatat, AT_FDCWD, (long)p, (long)&st, AT_SYMLINK_NOFOLLOW, 0, 0) == 0;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static const char *dynamic(const char *path, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof dynamic_places / sizeof *dynamic_places; i++) {
		const char *place = dynamic_places[i];
		size_t pl = strlen(place);
		if (strncmp(path, place, pl) != 0)
			continue;
		const char *name = path + pl;
		size_t n = strcspn(name, "/");
		/* Processes' own /proc entries are never the tree's. */
		if (n == 0 || (i == 0 && (all_digits(name, n) || (n == 4 && !strncmp(name, "self", 4)) ||
					  (n == 11 && !strncmp(name, "thread-self", 11)))))
			return path;
		/* The control files stay reachable under the mount only (binds.ts, PRIVATE). */
		if (i == 2 && n == 6 && !strncmp(name, "modctl", 6))
			return path;
		char host[4096], tree[4096];
		if (pl + n >= sizeof host)
			return path;
		memcpy(host, path, pl + n);
		host[pl + n] = 0;
		if (exists(host) || !modfs_path(tree, sizeof tree, host + 1) || !exists(tree))
			return path;
		return modfs_path(buf, size, path + 1) ? buf : path;
	}
	return path;
}

const char *modfs_rewrite(const char *path, char *buf, size_t size)
{
	if (nrewrites < 0)
		load();
	if (!path || path[0] != '/' || !modfs_mount())
		return path;
	for (int i = 0; i < nrewrites; i++)
		if (strcmp(path, rewrites[i]) == 0)
			return modfs_path(buf, size, path + 1) ? buf : path;
	return dynamic(path, buf, size);
}
