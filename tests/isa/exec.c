/* tests/isa/exec: starting emulator processes and collecting their output. Kills only the
 * processes it started, by pid. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR_MAX (64 * 1024)

struct child {
	pid_t pid;
	int fd[2]; /* stdout, stderr; -1 when closed */
	size_t cap;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int start(char *const argv[], struct child *c)
{
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(err, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	c->pid = pid;
	c->fd[0] = out[0];
	c->fd[1] = err[0];
	c->cap = 0;
	return 0;
}

/* Read what is there; close on EOF. -1 when out of memory. */
static int drain(struct child *c, int which, struct proc_result *r)
{
	for (;;) {
		uint8_t tmp[65536];
		ssize_t n = read(c->fd[which], tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			close(c->fd[which]);
			c->fd[which] = -1;
			return 0;
		}
		if (which == 0) {
			if (r->out_len + (size_t)n > c->cap) {
				size_t cap = c->cap ? c->cap : 1 << 20;
				while (cap < r->out_len + (size_t)n)
					cap *= 2;
				uint8_t *p = realloc(r->out, cap);
				if (!p)
					return -1;
				r->out = p;
				c->cap = cap;
			}
			memcpy(r->out + r->out_len, tmp, (size_t)n);
			r->out_len += (size_t)n;
		} else {
			size_t room = ERR_MAX - r->err_len;
			size_t k = (size_t)n < room ? (size_t)n : room;
			memcpy(r->err + r->err_len, tmp, k);
			r->err_len += k;
			r->err[r->err_len] = 0;
		}
	}
}

int exec_run(char *const *const argvs[], struct proc_result res[], int n, int timeout_s)
{
	struct child *c = calloc((size_t)n, sizeof *c);
	if (!c)
		return -1;
	int started = 0, rc = 0;
	for (int i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof res[i]);
		res[i].err = calloc(1, ERR_MAX + 1);
		if (!res[i].err || start(argvs[i], &c[i]) < 0) {
			rc = -1;
			break;
		}
		started++;
	}
	double deadline = now() + timeout_s;
	bool timed_out = false;
	for (;;) {
		struct pollfd pfd[2 * n];
		int map[2 * n], np = 0;
		for (int i = 0; i < started; i++)
			for (int w = 0; w < 2; w++)
				if (c[i].fd[w] >= 0) {
					pfd[np] = (struct pollfd){.fd = c[i].fd[w], .events = POLLIN};
					map[np++] = 2 * i + w;
				}
		if (np == 0)
			break;
		double left = deadline - now();
		if (left <= 0 || rc < 0) {
			timed_out = rc == 0;
			break;
		}
		int k = poll(pfd, (nfds_t)np, (int)(left * 1000) + 1);
		if (k < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		for (int j = 0; j < np && k > 0; j++)
			if (pfd[j].revents)
				if (drain(&c[map[j] / 2], map[j] % 2, &res[map[j] / 2]) < 0)
					rc = -1;
	}
	for (int i = 0; i < started; i++) {
		for (int w = 0; w < 2; w++)
			if (c[i].fd[w] >= 0)
				close(c[i].fd[w]);
		/* Its output is closed; give it until the deadline to exit. */
		for (;;) {
			pid_t w = waitpid(c[i].pid, &res[i].status, WNOHANG);
			if (w == c[i].pid || (w < 0 && errno != EINTR))
				break;
			if (timed_out || rc < 0 || now() > deadline) {
				kill(c[i].pid, SIGKILL);
				res[i].timed_out = rc == 0;
				while (waitpid(c[i].pid, &res[i].status, 0) < 0 && errno == EINTR)
					;
				break;
			}
			usleep(1000);
		}
	}
	free(c);
	return rc;
}

void proc_result_free(struct proc_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}

void proc_describe(const struct proc_result *r, char *buf, size_t len)
{
	if (r->timed_out)
		snprintf(buf, len, "timed out");
	else if (WIFSIGNALED(r->status))
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(WTERMSIG(r->status)) ?
								   sigabbrev_np(WTERMSIG(r->status)) : "?");
	else
		snprintf(buf, len, "exit %d", WEXITSTATUS(r->status));
}

bool proc_ok(const struct proc_result *r)
{
	return !r->timed_out && WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

bool proc_sigill(const struct proc_result *r)
{
	if (r->timed_out)
		return false;
	if (WIFSIGNALED(r->status))
		return WTERMSIG(r->status) == SIGILL;
	return WIFEXITED(r->status) && WEXITSTATUS(r->status) == 128 + SIGILL;
}
