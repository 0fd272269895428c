/* unotify-rtt N COPY: the alternative to the LD_PRELOAD shim, measured. A child traps getppid()
 * with SECCOMP_RET_USER_NOTIF and a supervisor (the parent) answers each call, reading COPY bytes
 * of the child's memory first (as a supervisor must read init_module's image or a path); prints
 * nanoseconds per trapped call. This is the round trip every uname(), init_module() or open()
 * that a seccomp-notify design routes would pay. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char image[1 << 20];

static int send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof fd);
	return sendmsg(sock, &m, 0) < 0 ? -1 : 0;
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
	if (recvmsg(sock, &m, 0) <= 0)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof fd);
	return fd;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	size_t copy = argc > 2 ? (size_t)atol(argv[2]) : 0;
	if (copy > sizeof image)
		copy = sizeof image;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return perror("socketpair"), 1;
	pid_t child = fork();
	if (child == 0) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { 4, f };
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		int lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
		if (lfd < 0)
			return perror("seccomp"), 1;
		send_fd(sv[0], lfd);
		close(lfd);
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid, (long)image);
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("%.0f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
		fflush(stdout);
		_exit(0);
	}
	int lfd = recv_fd(sv[1]);
	if (lfd < 0)
		return perror("recv_fd"), 1;
	struct seccomp_notif *req = calloc(1, sizeof *req + 256);
	struct seccomp_notif_resp *resp = calloc(1, sizeof *resp + 256);
	static char buf[sizeof image];
	for (long i = 0; i < n; i++) {
		memset(req, 0, sizeof *req);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR) {
				i--;
				continue;
			}
			break;
		}
		if (copy) {
			struct iovec local = { buf, copy }, remote = { (void *)req->data.args[0], copy };
			process_vm_readv(req->pid, &local, 1, &remote, 1, 0);
		}
		resp->id = req->id;
		resp->val = 0;
		resp->error = 0;
		resp->flags = 0;
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
	int st;
	waitpid(child, &st, 0);
	return 0;
}
