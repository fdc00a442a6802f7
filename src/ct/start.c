/* ct/start: start, stop, restart and status of a container. start forks the supervisor
 * (supervise.c), which clones the container's first process; that process builds the
 * container from inside (container_main below) and executes its init. stop signals the init
 * and waits for the supervisor to finish cleaning up. Touches ROOT/run/ID and, through
 * cgroup.c and rootfs.c, the container's cgroups and mount namespace. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

#define STOP_TIMEOUT_MS 10000
#define KILL_TIMEOUT_MS 5000

static void loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/* Become root of the container's user namespace (kernel ids uidbase..), keeping the
 * capabilities a namespace's creator has there. */
int ct_become_root(const struct ct_config *cfg, struct vireo_err *err);
int ct_become_root(const struct ct_config *cfg, struct vireo_err *err)
{
	if (!cfg->userns)
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return verr_sys(err, errno, "cannot become root of the user namespace");
	return 0;
}

/* The container's first process: runs inside the new namespaces, never returns. */
void ct_container_main(const struct ct_ctx *ctx, const struct ct_config *cfg, int sync_fd,
		       int console_fd);
void ct_container_main(const struct ct_ctx *ctx, const struct ct_config *cfg, int sync_fd,
		       int console_fd)
{
	struct vireo_err err = { 0 };
	char root_path[PATH_MAX];
	int tree_fd = -1, mp_fd = -1;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Wait for the supervisor: maps written, cgroups joined, root tree handed over. */
	char tag;
	if (util_recv_fd(sync_fd, &tag, 1, 0, &tree_fd) <= 0 || tree_fd < 0) {
		verr(&err, EIO, "the supervisor did not hand over the root tree");
		goto fail;
	}
	ct_path(ctx, cfg->ctid, CT_PATH_ROOT, root_path, sizeof root_path);
	mp_fd = open(root_path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (mp_fd < 0) {
		verr_sys(&err, errno, "cannot open %s", root_path);
		goto fail;
	}
	int pfs_fd = ct_procfs_open_dir(ctx, cfg->ctid); /* needs host ids to reach */
	int pfs_conn = pfs_fd >= 0 ? ct_procfs_notify_conn(ctx, cfg->ctid) : -1;
	if (ct_become_root(cfg, &err) < 0)
		goto fail;
	/* Becoming root cleared the parent-death signal: arm it again, so the container (and
	 * with it its network namespace and veth pairs) ends when its supervisor dies. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWCGROUP) < 0) {
		verr_sys(&err, errno, "cannot create the cgroup namespace");
		goto fail;
	}
	const char *hn = cfg->hostname[0] ? cfg->hostname : "localhost";
	if (sethostname(hn, strlen(hn)) < 0) {
		verr_sys(&err, errno, "cannot set the host name");
		goto fail;
	}
	loopback_up();
	struct rootfs_spec spec = { .root_path = root_path, .tree_fd = tree_fd,
				    .mountpoint_fd = mp_fd, .console_fd = console_fd,
				    .procfs_fd = pfs_fd };
	if (rootfs_setup(&spec, &err) < 0)
		goto fail;
	if (pfs_fd >= 0)
		close(pfs_fd);
	close(tree_fd);
	close(mp_fd);
	/* Without an init of its own, it gets a copy of vireo-init on a read-only tmpfs of its
	 * own (initfs.c), written now, while we may still mount. */
	bool own_init = faccessat(AT_FDCWD, "/sbin/init", X_OK, 0) == 0;
	if (!own_init && ct_initfs_install(&err) < 0)
		goto fail;
	/* The console becomes the controlling terminal and standard streams of init. */
	setsid();
	int con = open("/dev/console", O_RDWR | O_CLOEXEC);
	if (con < 0) {
		verr_sys(&err, errno, "cannot open /dev/console");
		goto fail;
	}
	ioctl(con, TIOCSCTTY, 0);
	if (dup2(con, 0) < 0 || dup2(con, 1) < 0 || dup2(con, 2) < 0) {
		verr_sys(&err, errno, "cannot attach the console");
		goto fail;
	}
	close(con);
	close(console_fd);
	int keep[] = { sync_fd, pfs_conn };
	util_close_from(3, keep, 2);
	char *envp[] = { "container=vireo", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			 "HOME=/root", "TERM=linux", NULL };
	char *argv[] = { "init", NULL };
	int notify_fd = -1;
	if ((pfs_conn >= 0 ? sec_confine_notify(cfg, &notify_fd, &err) : sec_confine(cfg, &err)) < 0)
		goto fail;
	ct_procfs_send_notify(pfs_conn, notify_fd); /* sysinfo answered by vireo-procfs */
	const char *init = own_init ? "/sbin/init" : CT_INITFS_INIT;
	execve(init, argv, envp);
	verr_sys(&err, errno, "cannot execute %s", init);
fail:
	(void)!write(sync_fd, err.msg, strlen(err.msg));
	_exit(1);
}

int ct_make_run_dirs(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	static const enum ct_path_kind kinds[] = { CT_PATH_ROOT, CT_PATH_RUN };
	char path[PATH_MAX];
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		ct_path(ctx, ctid, kinds[i], path, sizeof path);
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return verr_sys(err, errno, "cannot create %s", path);
	}
	return 0;
}

pid_t ct_fork_supervisor(int lockfd, const int *keep, size_t nkeep, int *report,
			 struct vireo_err *err)
{
	int rp[2];
	if (pipe2(rp, O_CLOEXEC) < 0)
		return verr_sys(err, errno, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(rp[0]);
		close(rp[1]);
		return verr_sys(err, e, "cannot fork the supervisor");
	}
	if (pid > 0) {
		close(rp[1]);
		*report = rp[0];
		return pid;
	}
	close(rp[0]);
	close(lockfd); /* the command lock stays with the command */
	/* Nothing else the caller had open may live on in the supervisor (a pipe someone waits
	 * on for EOF would hang until the container stops). */
	int all[8];
	size_t n = 0;
	for (size_t i = 0; i < nkeep && n < ARRAY_SIZE(all) - 1; i++)
		all[n++] = keep[i];
	all[n++] = rp[1];
	util_close_from(3, all, n);
	util_detach();
	*report = rp[1];
	return 0;
}

static int start_locked(const struct ct_ctx *ctx, unsigned ctid, int lockfd,
			struct vireo_err *err)
{
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0)
		return r;
	char path[PATH_MAX];
	if (ct_is_running(ctx, ctid)) {
		r = verr(err, EBUSY, "container %u is already running", ctid);
		goto out;
	}
	ct_path(ctx, ctid, CT_PATH_PRIVATE, path, sizeof path);
	if (access(path, F_OK) < 0) {
		r = verr(err, ENOENT, "container %u has no private area (%s)", ctid, path);
		goto out;
	}
	if ((r = ct_make_run_dirs(ctx, ctid, err)) < 0)
		goto out;
	int rp;
	pid_t pid = ct_fork_supervisor(lockfd, NULL, 0, &rp, err);
	if (pid < 0) {
		r = (int)pid;
		goto out;
	}
	if (pid == 0)
		_exit(ct_supervise(ctx, &cfg, rp) < 0 ? 1 : 0);
	char msg[sizeof err->msg];
	size_t used = util_read_all(rp, msg, sizeof msg);
	close(rp);
	if (used == 0)
		r = verr(err, EIO, "container %u: the supervisor died while starting", ctid);
	else if (msg[0] != '0')
		r = verr(err, EIO, "cannot start container %u: %s", ctid, msg + 1);
	else
		r = 0;
	if (r == 0) { /* started; a message left in err is a warning for the user */
		verr_clear(err);
		if (msg[1])
			snprintf(err->msg, sizeof err->msg, "container %u: %s", ctid, msg + 1);
	}
	if (r < 0) /* reap the supervisor that failed */
		waitpid(pid, NULL, 0);
out:
	ct_config_free(&cfg);
	return r;
}

int ct_start(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	int r = start_locked(ctx, ctid, lockfd, err);
	ct_unlock(ctx, ctid, lockfd);
	return r;
}

static int stop_locked(const struct ct_ctx *ctx, unsigned ctid, bool fast,
		       struct vireo_err *err)
{
	struct ct_runstate rs;
	int initfd = ct_init_pidfd(ctx, ctid, &rs, err);
	if (initfd < 0)
		return initfd;
	int supfd = (int)syscall(SYS_pidfd_open, rs.supervisor_pid, 0);
	if (supfd < 0) {
		close(initfd);
		return verr(err, ESRCH, "container %u: its supervisor is gone", ctid);
	}
	int timeout = STOP_TIMEOUT_MS;
	const char *t = getenv("VIREO_STOP_TIMEOUT");
	if (t && atoi(t) > 0)
		timeout = atoi(t) * 1000;
	int r = 0;
	if (!fast) {
		syscall(SYS_pidfd_send_signal, initfd, SIGTERM, NULL, 0);
		r = util_poll_in(supfd, timeout);
	}
	if (r == 0) {
		syscall(SYS_pidfd_send_signal, initfd, SIGKILL, NULL, 0);
		r = util_poll_in(supfd, KILL_TIMEOUT_MS);
	}
	close(initfd);
	close(supfd);
	if (r <= 0)
		return verr(err, ETIMEDOUT, "container %u did not stop", ctid);
	return 0;
}

int ct_stop(const struct ct_ctx *ctx, unsigned ctid, bool fast, struct vireo_err *err)
{
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r == 0)
		ct_config_free(&cfg);
	else if (r != -ENOENT && ct_is_running(ctx, ctid))
		r = 0; /* a corrupted configuration must not keep a container from stopping */
	if (r == 0) {
		if (!ct_is_running(ctx, ctid))
			r = verr(err, ESRCH, "container %u is not running", ctid);
		else
			r = stop_locked(ctx, ctid, fast, err);
	}
	ct_unlock(ctx, ctid, lockfd);
	return r;
}

int ct_stop_running_locked(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
int ct_stop_running_locked(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	return ct_is_running(ctx, ctid) ? stop_locked(ctx, ctid, true, err) : 0;
}

int ct_restart(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r == 0) {
		ct_config_free(&cfg);
		if (ct_is_running(ctx, ctid))
			r = stop_locked(ctx, ctid, false, err);
		if (r == 0)
			r = start_locked(ctx, ctid, lockfd, err);
	}
	ct_unlock(ctx, ctid, lockfd);
	return r;
}

int ct_status(const struct ct_ctx *ctx, unsigned ctid, struct ct_status *st,
	      struct vireo_err *err)
{
	char path[PATH_MAX];
	memset(st, 0, sizeof *st);
	ct_path(ctx, ctid, CT_PATH_CONF, path, sizeof path);
	st->exists = access(path, F_OK) == 0;
	if (!st->exists)
		return 0;
	int lockfd = ct_lock(ctx, ctid, false, err);
	if (lockfd < 0)
		return lockfd;
	st->running = ct_is_running(ctx, ctid);
	st->mounted = st->running;
	st->suspended = !st->running && ct_is_suspended(ctx, ctid);
	lock_drop(lockfd);
	return 0;
}
