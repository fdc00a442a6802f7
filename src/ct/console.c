/* ct/console: attaching the caller's terminal to a running container's console, served by
 * its supervisor on ROOT/run/ID/console.sock. "Esc ." detaches, as with vzctl console.
 * Touches only the caller's terminal settings (restored on return) and that socket. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int ct_console(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0)
		return r;
	ct_config_free(&cfg);
	if (!ct_is_running(ctx, ctid))
		return verr(err, ESRCH, "container %u is not running", ctid);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char path[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_CONSOLE, path, sizeof path);
	if (strlen(path) >= sizeof a.sun_path)
		return verr(err, ENAMETOOLONG, "console socket path too long: %s", path);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return verr_sys(err, errno, "socket");
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		int e = errno;
		close(s);
		return verr_sys(err, e, "cannot attach to the console of container %u", ctid);
	}
	struct termios saved;
	bool raw = false;
	if (isatty(0) && tcgetattr(0, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(0, TCSANOW, &t) == 0;
		fprintf(stderr, "Attached to CT %u (ESC . to detach)\r\n", ctid);
	}
	char buf[4096];
	bool esc = false, in_open = true;
	for (;;) {
		struct pollfd p[2] = { { s, POLLIN, 0 }, { in_open ? 0 : -1, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(s, buf, sizeof buf);
			if (n <= 0)
				break; /* the container stopped */
			(void)!write(1, buf, (size_t)n);
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(0, buf, sizeof buf);
			if (n <= 0) {
				in_open = false;
				continue;
			}
			bool detach = false;
			ssize_t out = 0;
			for (ssize_t i = 0; i < n; i++) {
				if (esc && buf[i] == '.') {
					detach = true;
					break;
				}
				esc = buf[i] == 27;
				buf[out++] = buf[i];
			}
			if (out > 0)
				(void)!write(s, buf, (size_t)out);
			if (detach)
				break;
		}
	}
	close(s);
	if (raw) {
		tcsetattr(0, TCSANOW, &saved);
		fprintf(stderr, "\nDetached from CT %u\n", ctid);
	}
	return 0;
}
