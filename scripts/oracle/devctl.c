// devctl: the system calls on a device file that the shell's tools cannot make, for the
// experiments (experiments/chardev.sh). Built static into the oracle's initramfs
// (scripts/oracle/run.sh) and built for the host by the replay (test/oracle/replay.ts).
//
//   devctl ioctl FILE io|ior|iow TYPE NR [VALUE]
//       ioctl(2) with _IO(TYPE, NR), _IOR(TYPE, NR, int) or _IOW(TYPE, NR, int) (VALUE for iow);
//       prints the result, and for ior the int read back.
//   devctl poll FILE [TIMEOUT_MS]
//       poll(2) for POLLIN|POLLOUT (default timeout 0); prints the events that came back.
//   devctl read FILE COUNT
//       one read(2) of COUNT bytes; prints its return value, then the bytes it reported.
//   devctl pollwake FILE TEXT
//       polls FILE for input in a child while the parent writes TEXT to it: shows that a write
//       wakes a poller that was waiting.
//   devctl readwake FILE TEXT
//       the same with a read that sleeps: the child reads, the parent writes TEXT through a
//       descriptor of its own.
//   devctl readnb FILE COUNT
//       one read(2) on a descriptor opened with O_NONBLOCK.
//   devctl readalarm FILE MS
//       one read(2) interrupted by SIGALRM after MS milliseconds (a handler without SA_RESTART).
//
// Errors are printed as "NAME: strerror" and exit 1.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void events(short ev)
{
	static const struct { short bit; const char *name; } names[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" }, { POLLRDNORM, "POLLRDNORM" }, { POLLWRNORM, "POLLWRNORM" },
	};
	const char *sep = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (ev & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = "|";
		}
	}
	printf("%s\n", *sep ? "" : "0");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: devctl ioctl|poll|read|pollwake FILE ...\n");
		return 2;
	}
	const char *op = argv[1];
	if (!strcmp(op, "readnb") && argc >= 4) {
		int nfd = open(argv[2], O_RDONLY | O_NONBLOCK);
		if (nfd < 0)
			return fail("open");
		char buf[4096];
		size_t count = strtoul(argv[3], NULL, 0);
		ssize_t n = read(nfd, buf, count < sizeof(buf) ? count : sizeof(buf));
		if (n < 0)
			return fail("read");
		printf("read(%zu) = %zd\n", count, n);
		return 0;
	}
	int fd = open(argv[2], O_RDWR);
	if (fd < 0 && (errno == EACCES || errno == EISDIR))
		fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		return fail("open");

	if (!strcmp(op, "ioctl") && argc >= 6) {
		int type = argv[4][0], nr = atoi(argv[5]);
		int value = argc > 6 ? atoi(argv[6]) : 0;
		unsigned long cmd;
		if (!strcmp(argv[3], "io"))
			cmd = _IO(type, nr);
		else if (!strcmp(argv[3], "ior"))
			cmd = _IOR(type, nr, int);
		else
			cmd = _IOW(type, nr, int);
		int r = !strcmp(argv[3], "io") ? ioctl(fd, cmd, 0) : ioctl(fd, cmd, &value);
		if (r < 0)
			return fail("ioctl");
		if (!strcmp(argv[3], "ior"))
			printf("ioctl = %d, value %d\n", r, value);
		else
			printf("ioctl = %d\n", r);
		return 0;
	}
	if (!strcmp(op, "poll")) {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
		int r = poll(&p, 1, argc > 3 ? atoi(argv[3]) : 0);
		if (r < 0)
			return fail("poll");
		printf("poll = %d, revents ", r);
		events(p.revents);
		return 0;
	}
	if (!strcmp(op, "read") && argc >= 4) {
		size_t count = strtoul(argv[3], NULL, 0);
		char *buf = calloc(1, count + 4096);
		ssize_t n = read(fd, buf, count);
		if (n < 0)
			return fail("read");
		printf("read(%zu) = %zd\n", count, n);
		fwrite(buf, 1, (size_t)n < count ? (size_t)n : count, stdout);
		printf("\n");
		return 0;
	}
	if (!strcmp(op, "pollwake") && argc >= 4) {
		pid_t child = fork();
		if (child == 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int r = poll(&p, 1, 10000);
			if (r < 0)
				return fail("poll");
			printf("poller: poll = %d, revents ", r);
			events(p.revents);
			return 0;
		}
		// Let the child reach poll() and sleep in it before the write.
		usleep(300000);
		ssize_t n = write(fd, argv[3], strlen(argv[3]));
		if (n < 0)
			return fail("write");
		int st;
		waitpid(child, &st, 0);
		printf("writer: wrote %zd\n", n);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	if (!strcmp(op, "readwake") && argc >= 4) {
		pid_t child = fork();
		if (child == 0) {
			char buf[256];
			ssize_t n = read(fd, buf, sizeof(buf) - 1);
			if (n < 0)
				return fail("reader: read");
			buf[n] = 0;
			printf("reader: read %zd: %s\n", n, buf);
			return 0;
		}
		// Let the child reach read() and sleep in it before the write.
		usleep(300000);
		int wfd = open(argv[2], O_WRONLY);
		if (wfd < 0)
			return fail("writer: open");
		ssize_t n = write(wfd, argv[3], strlen(argv[3]));
		if (n < 0)
			return fail("writer: write");
		close(wfd);
		int st;
		waitpid(child, &st, 0);
		printf("writer: wrote %zd\n", n);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	if (!strcmp(op, "readalarm") && argc >= 4) {
		struct sigaction sa = { .sa_handler = on_alarm };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		long ms = atol(argv[3]);
		struct itimerval it = { .it_value = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		char buf[256];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0)
			return fail("read");
		printf("read = %zd\n", n);
		return 0;
	}
	fprintf(stderr, "devctl: bad arguments\n");
	return 2;
}
