/* modfs-pipewatch: exits when nobody reads the pipe on its standard output any more.
 *
 * `modfs dmesg -w | head -1` must end once head has gone, as soon as it has, although dmesg
 * only writes when a new record comes. A pipe's write end reports POLLERR when its last reader
 * closes, but Node cannot poll a descriptor it is not reading; this helper, given the same
 * stdout, polls it and exits 0 at that moment (its parent then dies of SIGPIPE, as a tool
 * writing to the pipe would). It holds a write end only, so it never keeps the pipe alive.
 */
#include <errno.h>
#include <poll.h>

int main(void)
{
	struct pollfd p = { .fd = 1, .events = 0 };
	for (;;) {
		int n = poll(&p, 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 2;
		if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
			return 0;
	}
}
