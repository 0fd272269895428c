/* Paths a bind mount cannot cover: the host lacks the file, so there is nothing to mount over
 * (a kernel built without modules has no /proc/modules; procfs lets nobody create one). The
 * launcher lists them in MODFS_REWRITE ("/proc/modules:/proc/kallsyms"); opens and stats of
 * exactly those absolute paths go to the same path under the mount, as kmod's own testsuite
 * redirects its paths. Relative names (cd /proc; cat modules) and static programs still see
 * the host: see docs/shell.md. */
#define _GNU_SOURCE
#include "preload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *modfs_rewrite(const char *path, char *buf, size_t size)
{
	if (nrewrites < 0)
		load();
	if (nrewrites == 0 || !path || path[0] != '/')
		return path;
	for (int i = 0; i < nrewrites; i++)
		if (strcmp(path, rewrites[i]) == 0)
			return modfs_path(buf, size, path + 1) ? buf : path;
	return path;
}
