/* The tree's /dev/kmsg from inside the shim: reading its records (for syslog(2)), and the lseek
 * calls that cannot reach the daemon through FUSE.
 *
 * util-linux dmesg opens /dev/kmsg and seeks with SEEK_DATA to start at the clear point
 * (dmesg -W: SEEK_END, after the newest record). On a FUSE file the kernel answers SEEK_END
 * itself from the file size, and SEEK_DATA too when the daemon does not implement FUSE_LSEEK
 * (fuse-native cannot); either way the daemon's reader stays at the oldest record. So the shim
 * replaces the descriptor with a fresh open of the same file (a new reader, at the oldest record,
 * as SEEK_SET 0 puts it) and reads past the records the seek would skip. */
#define _GNU_SOURCE
#include "preload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* CONSOLE_EXT_LOG_MAX: the longest /dev/kmsg record the kernel writes in one read. */
#define KMSG_READ_MAX 8192

long long modfs_clear_seq(void)
{
	char path[4096], buf[32];
	if (!modfs_path(path, sizeof path, "sys/kernel/modctl/clear"))
		return -ENOSYS;
	int fd = modfs_real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "prio,seq,usec,flag[,...];text\n[ KEY=value\n...]" -> record; text unescaped into out. */
static int parse_record(const char *b, size_t n, char *out, struct kmsg_record *r)
{
	const char *semi = memchr(b, ';', n);
	if (!semi)
		return -1;
	unsigned long long f[3] = { 0, 0, 0 };
	const char *p = b;
	for (int i = 0; i < 3 && p < semi; i++) {
		f[i] = strtoull(p, (char **)&p, 10);
		if (p < semi && *p == ',')
			p++;
	}
	const char *t = semi + 1, *end = memchr(t, '\n', n - (size_t)(t - b));
	if (!end)
		end = b + n;
	size_t o = 0;
	for (const char *q = t; q < end; q++) {
		int hi, lo;
		if (q[0] == '\\' && q + 3 < end && q[1] == 'x' && (hi = hexval(q[2])) >= 0 &&
		    (lo = hexval(q[3])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			q += 3;
		} else {
			out[o++] = *q;
		}
	}
	*r = (struct kmsg_record){ (unsigned)f[0], f[1], f[2], out, o };
	return 0;
}

static int open_kmsg(int flags)
{
	char path[4096];
	if (!modfs_path(path, sizeof path, "dev/kmsg"))
		return -ENOSYS;
	int fd = modfs_real_open(path, flags | O_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

int modfs_kmsg_each(int (*fn)(const struct kmsg_record *, void *), void *arg)
{
	int fd = open_kmsg(O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	char *buf = malloc(2 * KMSG_READ_MAX);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	int ret = 0;
	for (;;) {
		ssize_t n = read(fd, buf, KMSG_READ_MAX);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten while we read: the reader moved to the oldest */
		if (n < 0) {
			ret = errno == EAGAIN ? 0 : -errno;
			break;
		}
		if (n == 0)
			break;
		struct kmsg_record r;
		if (parse_record(buf, (size_t)n, buf + KMSG_READ_MAX, &r) == 0 && fn(&r, arg) < 0)
			break;
	}
	free(buf);
	close(fd);
	return ret;
}

static dev_t mount_dev(void)
{
	static dev_t dev;
	static int known;
	if (!known) {
		struct stat st;
		const char *m = modfs_mount();
		if (!m || stat(m, &st) < 0)
			return (dev_t)-1;
		dev = st.st_dev;
		known = 1;
	}
	return dev;
}

/* The descriptor is the tree's /dev/kmsg: on the mount, and named /dev/kmsg (bound over the
 * real one) or <mount>/dev/kmsg. */
static int is_tree_kmsg(int fd)
{
	struct stat st;
	if (!modfs_mount() || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_dev != mount_dev())
		return 0;
	char link[64], name[4096], in_tree[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, name, sizeof name - 1);
	if (n < 0)
		return 0;
	name[n] = 0;
	return strcmp(name, "/dev/kmsg") == 0 ||
	       (modfs_path(in_tree, sizeof in_tree, "dev/kmsg") && strcmp(name, in_tree) == 0);
}

/* Replace fd by a fresh reader of the same file, then read past the records before `until`
 * (which a fresh reader, starting at the oldest, can read without blocking: they exist). */
static int reopen_at(int fd, unsigned long long until)
{
	int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);
	if (fl < 0 || fdfl < 0)
		return -errno;
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	unsigned long long skip = 0;
	if (until > 0) {
		/* Count what a new reader would pass, without blocking, on a probe of our own. */
		int probe = modfs_real_open(link, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
		if (probe < 0)
			return -errno;
		char *buf = malloc(2 * KMSG_READ_MAX);
		if (!buf) {
			close(probe);
			return -ENOMEM;
		}
		for (;;) {
			ssize_t n = read(probe, buf, KMSG_READ_MAX);
			if (n < 0 && errno == EPIPE)
				continue;
			struct kmsg_record r;
			if (n <= 0 || parse_record(buf, (size_t)n, buf + KMSG_READ_MAX, &r) < 0 || r.seq >= until)
				break;
			skip++;
		}
		free(buf);
		close(probe);
	}
	int nfd = modfs_real_open(link, (fl & ~(O_CREAT | O_TRUNC | O_EXCL)) | O_CLOEXEC, 0);
	if (nfd < 0)
		return -errno;
	char *buf = malloc(KMSG_READ_MAX);
	for (; buf && skip > 0; skip--) {
		ssize_t n = read(nfd, buf, KMSG_READ_MAX);
		if (n < 0 && errno == EPIPE)
			break; /* the records to skip were overwritten: the reader is at the oldest left */
		if (n <= 0)
			break;
	}
	free(buf);
	int r = dup3(nfd, fd, (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0);
	int e = errno;
	close(nfd);
	return r < 0 ? -e : 0;
}

int modfs_kmsg_seek(int fd, off_t off, int whence, off_t *result)
{
	if (whence != SEEK_DATA && whence != SEEK_END && !(whence == SEEK_SET && off == 0))
		return 0;
	if (!is_tree_kmsg(fd))
		return 0;
	if (off != 0) {
		/* devkmsg_llseek: only offset 0 is meaningful. */
		*result = -ESPIPE;
		return 1;
	}
	if (whence == SEEK_DATA) {
		/* A transport that answers FUSE_LSEEK moves the reader itself. */
		off_t r = modfs_real_lseek(fd, 0, SEEK_DATA);
		if (r >= 0) {
			*result = r;
			return 1;
		}
	}
	unsigned long long until = 0;
	if (whence == SEEK_DATA) {
		long long c = modfs_clear_seq();
		until = c > 0 ? (unsigned long long)c : 0;
	} else if (whence == SEEK_END) {
		until = ~0ULL;
	}
	int r = reopen_at(fd, until);
	*result = r < 0 ? r : 0;
	return 1;
}
