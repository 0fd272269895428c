/* Minimal libfuse 2 server for bench/latency.js: one small read-write file at the path modfs
 * uses for helloworld's parameter (/sys/module/helloworld/parameters/num, "10\n", st_size 4096),
 * with direct_io, so a read or a write costs only what FUSE itself costs. Based on the shape of
 * bench/fuse-c-server.c, plus write and truncate. */
#define FUSE_USE_VERSION 29
#include <fuse.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const char *dirs[] = { "/", "/sys", "/sys/module", "/sys/module/helloworld", "/sys/module/helloworld/parameters" };
static const char *file = "/sys/module/helloworld/parameters/num";
static char text[64] = "10\n";
static size_t text_len = 3;

static int is_dir(const char *p) {
  for (unsigned i = 0; i < sizeof dirs / sizeof *dirs; i++) if (!strcmp(p, dirs[i])) return 1;
  return 0;
}

static int b_getattr(const char *p, struct stat *st) {
  memset(st, 0, sizeof *st);
  if (is_dir(p)) { st->st_mode = S_IFDIR | 0755; st->st_nlink = 2; return 0; }
  if (!strcmp(p, file)) { st->st_mode = S_IFREG | 0644; st->st_nlink = 1; st->st_size = 4096; return 0; }
  return -ENOENT;
}

static int b_open(const char *p, struct fuse_file_info *fi) {
  (void) fi;
  return strcmp(p, file) ? -ENOENT : 0;
}

static int b_read(const char *p, char *buf, size_t len, off_t off, struct fuse_file_info *fi) {
  (void) p; (void) fi;
  if ((size_t) off >= text_len) return 0;
  if (len > text_len - off) len = text_len - off;
  memcpy(buf, text + off, len);
  return (int) len;
}

static int b_write(const char *p, const char *buf, size_t len, off_t off, struct fuse_file_info *fi) {
  (void) p; (void) fi; (void) off;
  size_t n = len < sizeof text ? len : sizeof text - 1;
  memcpy(text, buf, n);
  text_len = n;
  return (int) len;
}

static int b_truncate(const char *p, off_t size) {
  (void) p; (void) size;
  return 0;
}

static struct fuse_operations ops = { .getattr = b_getattr, .open = b_open, .read = b_read, .write = b_write, .truncate = b_truncate };

int main(int argc, char **argv) { return fuse_main(argc, argv, &ops, NULL); }
