/* ct/exec: running a command in a running container (exec) and an interactive shell on one
 * of the container's own pseudo-terminals (enter). The calling process opens the container's
 * cgroup files, marks itself non-dumpable, joins the container's namespaces through a pidfd of
 * its init, and forks the process that runs the command; that process is attached to the
 * cgroups, confined like init, closes every inherited descriptor but 0-2, and executes. The
 * caller stays outside the container's PID namespace, where nothing inside can reach it.
 * The command leads a session of its own inside the container (as vzctl exec's do), so what
 * it leaves running belongs to the container alone and can be checkpointed; the caller passes
 * on the signals a terminal or a killer sends it (INT, QUIT, TERM, HUP, USR1, USR2, WINCH, and
 * TSTP/CONT for job control: it stops with the command) to the command's process group, which
 * the terminal no longer reaches. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

int ct_become_root(const struct ct_config *cfg, struct vireo_err *err);
int ct_cgroup_procs_fds(const struct ct_ctx *ctx, unsigned ctid, int *fds, size_t max,
			struct vireo_err *err);

struct joined {
	int procs[16]; /* cgroup.procs of each hierarchy, opened before leaving the host */
	size_t nprocs;
};

static int join(const struct ct_ctx *ctx, const struct ct_config *cfg, struct joined *j,
		struct vireo_err *err)
{
	struct ct_runstate rs;
	int lockfd = ct_lock(ctx, cfg->ctid, false, err);
	if (lockfd < 0)
		return lockfd;
	int pidfd = ct_init_pidfd(ctx, cfg->ctid, &rs, err);
	if (pidfd < 0) {
		lock_drop(lockfd);
		return pidfd;
	}
	int r = ct_cgroup_procs_fds(ctx, cfg->ctid, j->procs, ARRAY_SIZE(j->procs), err);
	if (r < 0)
		goto out;
	j->nprocs = (size_t)r;
	/* From here on nothing inside may read our memory or /proc/PID/exe (CVE-2019-5736). */
	prctl(PR_SET_DUMPABLE, 0);
	int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		    CLONE_NEWCGROUP | (cfg->userns ? CLONE_NEWUSER : 0);
	if (setns(pidfd, flags) < 0) {
		r = verr_sys(err, errno, "cannot join container %u", cfg->ctid);
		goto out;
	}
	r = 0;
out:
	close(pidfd);
	lock_drop(lockfd);
	return r;
}

static void attach_cgroups(struct joined *j, pid_t pid)
{
	char buf[16];
	int n = snprintf(buf, sizeof buf, "%d", (int)pid);
	for (size_t i = 0; i < j->nprocs; i++) {
		(void)!write(j->procs[i], buf, (size_t)n);
		close(j->procs[i]);
	}
	j->nprocs = 0;
}

static char **container_env(void)
{
	static char term[64];
	static char *env[] = { "container=vireo",
			       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			       "HOME=/root", "USER=root", "LOGNAME=root", NULL, NULL };
	const char *t = getenv("TERM");
	snprintf(term, sizeof term, "TERM=%s", t && strlen(t) < 40 ? t : "xterm");
	env[5] = term;
	return env;
}

/* In the forked child, inside every namespace: wait to be placed in the cgroups, give up what
 * container code must not have, and execute. Errors go to err_fd; never returns. */
static void __attribute__((noreturn)) child_exec(const struct ct_config *cfg, int go_fd,
						 int err_fd, int keep_fd, int pfs_conn,
						 char *const argv[])
{
	struct vireo_err err = { 0 };
	char c;
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(go_fd);
	if (ct_become_root(cfg, &err) < 0)
		goto fail;
	if (chdir("/") < 0) {
		verr_sys(&err, errno, "chdir /");
		goto fail;
	}
	int keep[] = { err_fd, pfs_conn, keep_fd };
	util_close_from(3, keep, 3);
	int notify_fd = -1;
	if ((pfs_conn >= 0 ? sec_confine_notify(cfg, &notify_fd, &err) : sec_confine(cfg, &err)) < 0)
		goto fail;
	ct_procfs_send_notify(pfs_conn, notify_fd); /* sysinfo answered by vireo-procfs */
	const char *delay = getenv("VIREO_TEST_EXEC_DELAY_MS");
	if (delay) /* lets a test race against the window before exec; never set in production */
		usleep((useconds_t)atoi(delay) * 1000);
	char **env = container_env();
	execvpe(argv[0], argv, env);
	verr_sys(&err, errno, "cannot run %s in container %u", argv[0], cfg->ctid);
fail:
	(void)!write(err_fd, err.msg, strlen(err.msg));
	_exit(127);
}

/* Signals a terminal or a killer sends `vireo exec`, passed on to the command's group. */
static const int forwarded[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2,
				 SIGWINCH, SIGTSTP, SIGCONT };

/* Whether pid has a handler for sig (SigCgt in its /proc status). */
static bool catches(pid_t pid, int sig)
{
	char p[64], *text = NULL;
	snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
	if (util_read_file(p, 1 << 16, &text, NULL, NULL) < 0)
		return false;
	const char *c = strstr(text, "\nSigCgt:");
	bool r = c && (strtoull(c + 9, NULL, 16) >> (sig - 1) & 1);
	free(text);
	return r;
}

/* Pass each signal read from sigfd to pid's process group until pid ends; reap it. */
static int forward_until_exit(pid_t pid, int sigfd, int *st)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	pid_t w;
	while ((w = waitpid(pid, st, WNOHANG)) == 0 || (w < 0 && errno == EINTR)) {
		struct pollfd p[2] = { { sigfd, POLLIN, 0 }, { pfd, POLLIN, 0 } };
		if (poll(p, 2, pfd < 0 ? 100 : -1) < 0 && errno != EINTR)
			break;
		struct signalfd_siginfo si;
		if (!(p[0].revents & POLLIN) || read(sigfd, &si, sizeof si) != sizeof si)
			continue;
		if (kill(-pid, (int)si.ssi_signo) < 0)
			kill(pid, (int)si.ssi_signo); /* not its group's leader (yet): the process */
		if (si.ssi_signo == SIGTSTP) {
			/* ^Z. Its group is orphaned (our session is another), so the kernel drops a
			 * TSTP it does not catch: stop it outright then. And we stop with it. */
			if (!catches(pid, SIGTSTP))
				kill(-pid, SIGSTOP);
			kill(getpid(), SIGSTOP);
		}
	}
	if (pfd >= 0)
		close(pfd);
	if (w == 0) /* poll failed: wait without forwarding */
		while ((w = waitpid(pid, st, 0)) < 0 && errno == EINTR)
			;
	return w < 0 ? -errno : 0;
}

static int wait_child(pid_t pid, int err_fd, int sigfd, int *status, struct vireo_err *err)
{
	char msg[sizeof err->msg];
	ssize_t n;
	while ((n = read(err_fd, msg, sizeof msg - 1)) < 0 && errno == EINTR)
		;
	close(err_fd);
	int st = 0;
	if (sigfd >= 0) {
		int r = forward_until_exit(pid, sigfd, &st);
		if (r < 0)
			return verr_sys(err, -r, "waitpid");
	} else {
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				return verr_sys(err, errno, "waitpid");
	}
	if (n > 0) {
		msg[n] = '\0';
		return verr(err, ENOEXEC, "%s", msg);
	}
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

/* The joined child goes into the container's cgroups and gets its per-process limits before
 * it may run (go_w still closed); if that fails it is killed and reaped, never run. */
static int admit(struct joined *j, pid_t pid, const struct ct_limits *lim, int go_w, int ep_r,
		 int *status, struct vireo_err *err)
{
	attach_cgroups(j, pid);
	if (limits_apply_proc(pid, lim, err) == 0)
		return 0;
	kill(pid, SIGKILL);
	close(go_w);
	struct vireo_err e2;
	wait_child(pid, ep_r, -1, status, &e2);
	return -(err->code ? err->code : EIO);
}

int ct_exec(const struct ct_ctx *ctx, unsigned ctid, char *const argv[], int *status,
	    struct vireo_err *err)
{
	struct ct_config cfg;
	struct joined j = { .nprocs = 0 };
	int r = ct_config_load(ctx, ctid, &cfg, err), pfs_conn = -1;
	if (r < 0)
		return r;
	if (!argv || !argv[0]) {
		ct_config_free(&cfg);
		return verr(err, EINVAL, "exec: no command given");
	}
	pfs_conn = ct_procfs_notify_conn(ctx, ctid); /* before join: a host path */
	struct ct_limits lim; /* per-process limits, put on the child before it runs */
	if ((r = limits_effective(ctx, &cfg, &lim, err)) < 0 || (r = join(ctx, &cfg, &j, err)) < 0)
		goto out;
	int go[2], ep[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		r = verr_sys(err, errno, "pipe");
		goto out;
	}
	/* The signals passed on to the command are held from here and read from sigfd. */
	sigset_t fwd, oldmask;
	sigemptyset(&fwd);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&fwd, forwarded[i]);
	sigprocmask(SIG_BLOCK, &fwd, &oldmask);
	int sigfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	pid_t pid = sigfd < 0 ? -1 : fork();
	if (pid < 0) {
		r = verr_sys(err, errno, "fork");
		if (sigfd >= 0)
			close(sigfd);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		goto out;
	}
	if (pid == 0) {
		close(go[1]);
		close(ep[0]);
		/* Its session and process group inside the container's PID namespace (CRIU refuses a
		 * session or group whose leader lies outside); the mask the parent set is not its. */
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		setsid();
		child_exec(&cfg, go[0], ep[1], -1, pfs_conn, argv);
	}
	close(go[0]);
	close(ep[1]);
	if (pfs_conn >= 0) /* the child hands its sysinfo listener over on it */
		close(pfs_conn);
	pfs_conn = -1;
	if ((r = admit(&j, pid, &lim, go[1], ep[0], status, err)) < 0) {
		close(sigfd);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		goto out;
	}
	close(go[1]);
	r = wait_child(pid, ep[0], sigfd, status, err);
	close(sigfd);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
out:
	for (size_t i = 0; i < j.nprocs; i++)
		close(j.procs[i]);
	if (pfs_conn >= 0)
		close(pfs_conn);
	ct_config_free(&cfg);
	return r;
}

/* --- enter: a shell on the container's own devpts --- */

/* Relay between our terminal (0/1) and the pty master until the shell's side closes. */
void ct_relay(int master, int stop_fd);
void ct_relay(int master, int stop_fd)
{
	char buf[4096];
	bool in_open = true;
	for (;;) {
		struct pollfd p[3] = { { master, POLLIN, 0 }, { in_open ? 0 : -1, POLLIN, 0 },
				       { stop_fd, POLLIN, 0 } };
		/* After our input ended, repeat end-of-file every 300 ms: a shell may still be
		 * setting up its line editor (and discard pending input) when the first arrives. */
		int pr = poll(p, 3, in_open ? -1 : 300);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pr == 0) {
			(void)!write(master, "\x04", 1);
			continue;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(master, buf, sizeof buf);
			if (n <= 0)
				return;
			for (ssize_t o = 0; o < n;) {
				ssize_t w = write(1, buf + o, (size_t)(n - o));
				if (w <= 0)
					break;
				o += w;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(0, buf, sizeof buf);
			if (n <= 0) {
				/* Our input ended (a script, not a person): end the shell's too. */
				in_open = false;
				(void)!write(master, "\x04", 1);
			} else
				(void)!write(master, buf, (size_t)n);
		}
		if (p[2].revents & POLLIN) {
			/* The shell ended: drain what is left and stop. */
			for (;;) {
				struct pollfd pm = { master, POLLIN, 0 };
				if (poll(&pm, 1, 50) <= 0)
					break;
				ssize_t n = read(master, buf, sizeof buf);
				if (n <= 0)
					break;
				(void)!write(1, buf, (size_t)n);
			}
			return;
		}
	}
}

int ct_enter(const struct ct_ctx *ctx, unsigned ctid, int *status, struct vireo_err *err)
{
	struct ct_config cfg;
	struct joined j = { .nprocs = 0 };
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0)
		return r;
	int pfs_conn = ct_procfs_notify_conn(ctx, ctid); /* before join: a host path */
	struct ct_limits lim; /* per-process limits, put on the child before it runs */
	if ((r = limits_effective(ctx, &cfg, &lim, err)) < 0 || (r = join(ctx, &cfg, &j, err)) < 0)
		goto out;
	int go[2], ep[2], sp[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		r = verr_sys(err, errno, "pipe");
		goto out;
	}
	struct winsize ws;
	bool have_ws = ioctl(0, TIOCGWINSZ, &ws) == 0;
	pid_t pid = fork();
	if (pid < 0) {
		r = verr_sys(err, errno, "fork");
		goto out;
	}
	if (pid == 0) {
		close(go[1]);
		close(ep[0]);
		close(sp[0]);
		char c;
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		struct vireo_err e2 = { 0 };
		if (ct_become_root(&cfg, &e2) < 0) {
			(void)!write(ep[1], e2.msg, strlen(e2.msg));
			_exit(127);
		}
		int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
		char name[64];
		int s = -1;
		if (m >= 0 && unlockpt(m) == 0 && ptsname_r(m, name, sizeof name) == 0)
			s = open(name, O_RDWR | O_CLOEXEC);
		if (s < 0) {
			verr_sys(&e2, errno, "cannot open a terminal in container %u", ctid);
			(void)!write(ep[1], e2.msg, strlen(e2.msg));
			_exit(127);
		}
		if (have_ws)
			ioctl(s, TIOCSWINSZ, &ws);
		util_send_fd(sp[1], 'g', m);
		close(m);
		close(sp[1]);
		setsid();
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		close(s);
		int p2[2];
		if (pipe2(p2, O_CLOEXEC) < 0)
			_exit(127);
		(void)!write(p2[1], "g", 1);
		char *sh = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
		char *argv[] = { sh, "-l", NULL };
		child_exec(&cfg, p2[0], ep[1], -1, pfs_conn, argv);
	}
	close(go[0]);
	close(ep[1]);
	close(sp[1]);
	if (pfs_conn >= 0) /* the child hands its sysinfo listener over on it */
		close(pfs_conn);
	pfs_conn = -1;
	if ((r = admit(&j, pid, &lim, go[1], ep[0], status, err)) < 0)
		goto out;
	close(go[1]);
	char tag;
	int master;
	if (util_recv_fd(sp[0], &tag, 1, 0, &master) <= 0)
		master = -1;
	close(sp[0]);
	struct termios saved;
	bool raw = false;
	if (master >= 0 && isatty(0) && tcgetattr(0, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(0, TCSANOW, &t) == 0;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (master >= 0) {
		/* pidfd of the shell: readable when it ends. */
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		ct_relay(master, pfd);
		if (pfd >= 0)
			close(pfd);
		close(master);
	}
	if (raw)
		tcsetattr(0, TCSANOW, &saved);
	r = wait_child(pid, ep[0], -1, status, err);
out:
	for (size_t i = 0; i < j.nprocs; i++)
		close(j.procs[i]);
	if (pfs_conn >= 0)
		close(pfs_conn);
	ct_config_free(&cfg);
	return r;
}

/* --- what a checkpoint cannot take --- */

static pid_t parent_of(pid_t pid, char *comm, size_t size)
{
	char p[64], buf[512];
	snprintf(p, sizeof p, "/proc/%d/stat", (int)pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *open_ = strchr(buf, '('), *close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_ < open_)
		return -1;
	snprintf(comm, size, "%.*s", (int)(close_ - open_ - 1), open_ + 1);
	int ppid;
	return sscanf(close_ + 1, " %*c %d", &ppid) == 1 ? (pid_t)ppid : -1;
}

int ct_exec_check_attached(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	struct ct_runstate rs;
	pid_t *pids;
	size_t n;
	if (ct_runstate_load(ctx, ctid, &rs, NULL) < 0 || limits_procs(ctx, ctid, &pids, &n) < 0)
		return 0; /* nothing to say: the checkpoint itself will tell */
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		char comm[32];
		pid_t pp = parent_of(pids[i], comm, sizeof comm);
		if (pids[i] == rs.init_pid || pp <= 0)
			continue;
		bool inside = false;
		for (size_t k = 0; k < n && !inside; k++)
			inside = pids[k] == pp;
		if (!inside)
			r = verr(err, EBUSY, "container %u: '%s' (pid %d) still runs for a vireo exec or "
				 "enter on this host; checkpoint it when that has ended", ctid, comm,
				 (int)pids[i]);
	}
	free(pids);
	return r;
}
