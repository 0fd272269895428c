/* syslog(2) (glibc's klogctl) over the tree: dmesg -C and -c clear through the clear control;
 * dmesg -S, and plain dmesg when /dev/kmsg has nothing to read, read the log through it.
 *
 * Semantics from kernel/printk/printk.c do_syslog (6.1): every action needs CAP_SYSLOG because
 * Debian builds with SECURITY_DMESG_RESTRICT=y (dmesg_restrict=1); READ_ALL returns the records
 * since the clear point, dropping the oldest whole records until the rest fit the buffer, each
 * line as "<prio>[%5lu.%06lu] text\n"; CLEAR moves the clear point; SIZE_BUFFER is the ring's
 * size (LOG_BUF_SHIFT=17). */
#define _GNU_SOURCE
#include "preload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	ACTION_CLOSE,
	ACTION_OPEN,
	ACTION_READ,
	ACTION_READ_ALL,
	ACTION_READ_CLEAR,
	ACTION_CLEAR,
	ACTION_CONSOLE_OFF,
	ACTION_CONSOLE_ON,
	ACTION_CONSOLE_LEVEL,
	ACTION_SIZE_UNREAD,
	ACTION_SIZE_BUFFER,
};

#define LOG_BUF_LEN (1 << 17)

/* One record in syslog form. */
struct text {
	char *s;
	size_t len;
};

struct collect {
	long long from; /* first seq wanted */
	struct text *v;
	size_t n, cap;
	int err;
};

static int format_record(const struct kmsg_record *r, void *arg)
{
	struct collect *c = arg;
	if ((long long)r->seq < c->from)
		return 0;
	char prefix[64];
	int plen = snprintf(prefix, sizeof prefix, "<%u>[%5llu.%06llu] ", r->prio, r->usec / 1000000,
			    r->usec % 1000000);
	size_t lines = 1;
	for (size_t i = 0; i < r->len; i++)
		lines += r->text[i] == '\n';
	size_t size = r->len + lines * ((size_t)plen + 1);
	char *s = malloc(size);
	if (!s) {
		c->err = -ENOMEM;
		return -1;
	}
	/* Each line of a multi-line record carries the prefix (record_print_text). */
	size_t o = 0, start = 0;
	for (size_t i = 0; i <= r->len; i++) {
		if (i == r->len || r->text[i] == '\n') {
			memcpy(s + o, prefix, (size_t)plen);
			o += (size_t)plen;
			memcpy(s + o, r->text + start, i - start);
			o += i - start;
			s[o++] = '\n';
			start = i + 1;
		}
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct text *v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			free(s);
			c->err = -ENOMEM;
			return -1;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (struct text){ s, o };
	return 0;
}

static void release(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].s);
	free(c->v);
}

static long collect(struct collect *c, long long from)
{
	*c = (struct collect){ .from = from };
	int r = modfs_kmsg_each(format_record, c);
	if (c->err)
		return c->err;
	return r;
}

static long read_all(char *buf, int len)
{
	if (!buf || len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	long long from = modfs_clear_seq();
	if (from < 0)
		return from;
	struct collect c;
	long r = collect(&c, from);
	if (r < 0) {
		release(&c);
		return r;
	}
	size_t total = 0, first = 0;
	for (size_t i = 0; i < c.n; i++)
		total += c.v[i].len;
	/* Too much: the oldest records go first, whole. */
	while (first < c.n && total > (size_t)len)
		total -= c.v[first++].len;
	size_t o = 0;
	for (size_t i = first; i < c.n; i++) {
		memcpy(buf + o, c.v[i].s, c.v[i].len);
		o += c.v[i].len;
	}
	release(&c);
	return (long)o;
}

static long size_unread(void)
{
	/* Nothing in modfs reads syslog's own position (/proc/kmsg), so every record is unread. */
	struct collect c;
	long r = collect(&c, 0);
	size_t total = 0;
	for (size_t i = 0; i < c.n; i++)
		total += c.v[i].len;
	release(&c);
	return r < 0 ? r : (long)total;
}

static long clear(void)
{
	return modfs_control_write("clear", "1\n", 2);
}

long modfs_syslog(int type, char *buf, int len)
{
	if (!modfs_mount())
		return -ENOSYS;
	/* dmesg_restrict=1: every action needs CAP_SYSLOG, which here means root. */
	if (geteuid() != 0)
		return -EPERM;
	switch (type) {
	case ACTION_CLOSE:
	case ACTION_OPEN:
		return 0;
	case ACTION_READ:
		/* The destructive, blocking /proc/kmsg read keeps one position for the whole
		 * system; the tree has no such reader, so the shell does not offer it. */
		return -ENOSYS;
	case ACTION_READ_ALL:
		return read_all(buf, len);
	case ACTION_READ_CLEAR: {
		long n = read_all(buf, len);
		if (n < 0)
			return n;
		long r = clear();
		return r < 0 ? r : n;
	}
	case ACTION_CLEAR:
		return clear();
	case ACTION_CONSOLE_OFF:
	case ACTION_CONSOLE_ON:
		/* modfs has no console: the levels change nothing that can be seen. */
		return 0;
	case ACTION_CONSOLE_LEVEL:
		return len < 1 || len > 8 ? -EINVAL : 0;
	case ACTION_SIZE_UNREAD:
		return size_unread();
	case ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	default:
		return -EINVAL;
	}
}
