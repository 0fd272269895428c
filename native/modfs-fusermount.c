/* modfs-fusermount: mount a FUSE tree as a non-root user, then run the daemon with the
 * connection inherited.
 *
 *   modfs-fusermount MOUNTPOINT OPTIONS -- PROGRAM [ARG...]
 *
 * Only the setuid fusermount3 may mount for a user. It opens /dev/fuse, mounts, and passes the
 * descriptor back over the Unix socket named by the _FUSE_COMMFD environment variable, as an
 * SCM_RIGHTS message; Node has no way to receive one. This program receives it and execs PROGRAM
 * with it open, naming it in MODFS_FUSE_FD (and the mount in MODFS_FUSE_MOUNT).
 *
 * With "auto_unmount" in OPTIONS, fusermount3 stays behind watching its socket and unmounts when
 * the socket closes; the socket is left open in PROGRAM (without close-on-exec), so the tree
 * goes away with the daemon however the daemon ends, kill -9 included.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int receive_fd(int sock) {
  char byte;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
  ssize_t n;
  do n = recvmsg(sock, &msg, 0); while (n < 0 && errno == EINTR);
  if (n <= 0) return -1; /* fusermount3 failed (it said why) or closed the socket */
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      int fd;
      memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return fd;
    }
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--") != 0) {
    fprintf(stderr, "usage: %s MOUNTPOINT OPTIONS -- PROGRAM [ARG...]\n", argv[0]);
    return 2;
  }
  const char *mnt = argv[1], *opts = argv[2];
  int auto_unmount = strstr(opts, "auto_unmount") != NULL;
  char real[PATH_MAX];
  if (!realpath(mnt, real)) {
    fprintf(stderr, "modfs-fusermount: %s: %s\n", mnt, strerror(errno));
    return 1;
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
    perror("modfs-fusermount: socketpair");
    return 1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("modfs-fusermount: fork");
    return 1;
  }
  if (pid == 0) {
    char env[32];
    close(sv[0]);
    snprintf(env, sizeof env, "%d", sv[1]);
    setenv("_FUSE_COMMFD", env, 1);
    execlp("fusermount3", "fusermount3", "-o", opts, "--", real, (char *) NULL);
    fprintf(stderr, "modfs-fusermount: cannot run fusermount3: %s (apt-get install fuse3)\n", strerror(errno));
    _exit(127);
  }
  close(sv[1]);
  int fd = receive_fd(sv[0]);
  if (!auto_unmount || fd < 0) {
    int status;
    waitpid(pid, &status, 0);
  }
  if (fd < 0) {
    fprintf(stderr, "modfs-fusermount: fusermount3 did not mount %s\n", real);
    return 1;
  }
  if (!auto_unmount) close(sv[0]);
  else fcntl(sv[0], F_SETFD, 0); /* keep the watched socket open in the daemon */
  fcntl(fd, F_SETFD, 0);
  char num[16];
  snprintf(num, sizeof num, "%d", fd);
  setenv("MODFS_FUSE_FD", num, 1);
  setenv("MODFS_FUSE_MOUNT", real, 1);
  execvp(argv[4], argv + 4);
  fprintf(stderr, "modfs-fusermount: cannot run %s: %s\n", argv[4], strerror(errno));
  return 127;
}
