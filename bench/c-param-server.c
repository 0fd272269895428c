/* Minimal C server on libfuse3's low-level API, the reference for bench/latency.mjs: the path
 * modfs uses for helloworld's parameter (/sys/module/helloworld/parameters/num, "10\n",
 * st_size 4096), answered the way modfs answers it: the same cache lifetimes (86400 s), direct_io
 * and noflush on open (so close(2) sends no FLUSH), default_permissions, libfuse's multi-threaded
 * loop. Build: gcc -O2 c-param-server.c $(pkg-config --cflags --libs fuse3). Run: ./a.out MOUNT */
#define FUSE_USE_VERSION 34
#include <fuse_lowlevel.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TIMEOUT 86400.0
enum { ROOT = 1, SYS, MODULE, HELLO, PARAMS, NUM };
static const struct { fuse_ino_t parent; const char *name; } nodes[] = {
  [SYS] = { ROOT, "sys" }, [MODULE] = { SYS, "module" }, [HELLO] = { MODULE, "helloworld" },
  [PARAMS] = { HELLO, "parameters" }, [NUM] = { PARAMS, "num" },
};
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char text[64] = "10\n";
static size_t text_len = 3;

static void fill(fuse_ino_t ino, struct stat *st) {
  memset(st, 0, sizeof *st);
  st->st_ino = ino;
  if (ino == NUM) { st->st_mode = S_IFREG | 0644; st->st_nlink = 1; st->st_size = 4096; }
  else { st->st_mode = S_IFDIR | 0755; st->st_nlink = 2; }
}

static void ll_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
  for (fuse_ino_t i = SYS; i <= NUM; i++) {
    if (nodes[i].parent == parent && !strcmp(nodes[i].name, name)) {
      struct fuse_entry_param e = { .ino = i, .attr_timeout = TIMEOUT, .entry_timeout = TIMEOUT };
      fill(i, &e.attr);
      fuse_reply_entry(req, &e);
      return;
    }
  }
  fuse_reply_err(req, ENOENT);
}

static void ll_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  (void) fi;
  struct stat st;
  if (ino < ROOT || ino > NUM) { fuse_reply_err(req, ENOENT); return; }
  fill(ino, &st);
  fuse_reply_attr(req, &st, TIMEOUT);
}

static void ll_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi) {
  (void) attr; (void) to_set;
  ll_getattr(req, ino, fi);
}

static void ll_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
  if (ino != NUM) { fuse_reply_err(req, EISDIR); return; }
  fi->direct_io = 1;
  fi->noflush = 1;
  fuse_reply_open(req, fi);
}

static void ll_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
  (void) ino; (void) fi;
  char buf[64];
  pthread_mutex_lock(&lock);
  size_t n = (size_t) off >= text_len ? 0 : text_len - off;
  if (n > size) n = size;
  memcpy(buf, text + off, n);
  pthread_mutex_unlock(&lock);
  fuse_reply_buf(req, buf, n);
}

static void ll_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void) ino; (void) off; (void) fi;
  pthread_mutex_lock(&lock);
  text_len = size < sizeof text ? size : sizeof text - 1;
  memcpy(text, buf, text_len);
  pthread_mutex_unlock(&lock);
  fuse_reply_write(req, size);
}

static const struct fuse_lowlevel_ops ops = {
  .lookup = ll_lookup, .getattr = ll_getattr, .setattr = ll_setattr,
  .open = ll_open, .read = ll_read, .write = ll_write,
};

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s MOUNTPOINT\n", argv[0]); return 2; }
  char *args[] = { argv[0], "-o", "default_permissions,fsname=cparam", NULL };
  struct fuse_args fa = FUSE_ARGS_INIT(3, args);
  struct fuse_session *se = fuse_session_new(&fa, &ops, sizeof ops, NULL);
  if (!se || fuse_set_signal_handlers(se) || fuse_session_mount(se, argv[1])) return 1;
  struct fuse_loop_config cfg = { .clone_fd = 0, .max_idle_threads = 10 };
  int r = fuse_session_loop_mt(se, &cfg);
  fuse_session_unmount(se);
  fuse_remove_signal_handlers(se);
  fuse_session_destroy(se);
  return r ? 1 : 0;
}
