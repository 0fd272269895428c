/* Minimal libfuse 2 server for bench/fuse-read.js: the same path and answer as the modfs-style
 * tree (/sys/module/hello/parameters/value -> "5\n", st_size 4096), with direct_io, so the only
 * difference measured is the serving code. */
#define FUSE_USE_VERSION 29
#include <fuse.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const char *dirs[] = { "/", "/sys", "/sys/module", "/sys/module/hello", "/sys/module/hello/parameters" };
static const char *file = "/sys/module/hello/parameters/value";
static const char *text = "5\n";

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
  size_t n = strlen(text);
  if ((size_t) off >= n) return 0;
  if (len > n - off) len = n - off;
  memcpy(buf, text + off, len);
  return (int) len;
}

static struct fuse_operations ops = { .getattr = b_getattr, .open = b_open, .read = b_read };

int main(int argc, char **argv) { return fuse_main(argc, argv, &ops, NULL); }
