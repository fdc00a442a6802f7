/* ct/procfs: the container side of vireo-procfs (the FUSE daemon in src/procfs that gives a
 * container its own /proc/meminfo, cpuinfo, stat, loadavg, uptime and
 * /sys/devices/system/cpu/online). Used by the supervisor (attach/detach: start the
 * instance's daemon when none runs, register the container, keep the registration open for
 * the container's life) and by the container's first process (open its directory while it
 * still has host ids, then bind the files over /proc from inside its mount namespace).
 * Touches ROOT/run/procfs/ and, through the daemon it starts, the mount there.
 *
 * Starting the daemon: under ROOT/run/procfs/start.lock, a starter connects to ctl.sock; when
 * nobody answers and no process holds daemon.lock, it removes a dead mount, starts
 * vireo-procfs (the binary beside vireo, or $VIREO_PROCFS_BIN) detached in its own session,
 * waits for its "ready" message, and connects again. Holding start.lock while registering
 * means a daemon that is leaving (it takes start.lock to leave) is never joined. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/mount.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

#define READY_TIMEOUT_MS 10000
#define REPLY_TIMEOUT_MS 5000

/* Files of the container's directory and where they go (relative to the new root). */
static const struct {
	const char *name, *target;
} binds[] = {
	{ "meminfo", "proc/meminfo" },	 { "cpuinfo", "proc/cpuinfo" },
	{ "stat", "proc/stat" },	 { "loadavg", "proc/loadavg" },
	{ "uptime", "proc/uptime" },	 { "user_beancounters", "proc/user_beancounters" },
	{ "cpuonline", "sys/devices/system/cpu/online" },
};

static void pfs_path(const struct ct_ctx *ctx, const char *what, char *buf, size_t size)
{
	util_path(buf, size, "%s/run/procfs%s%s", ctx->root, what[0] ? "/" : "", what);
}

/* Connect to the daemon and register ctid; the connection or -errno. */
static int connect_register(const char *sock, unsigned ctid, struct vireo_err *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(sock) >= sizeof a.sun_path)
		return verr(err, ENAMETOOLONG, "socket path too long: %s", sock);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return verr_sys(err, errno, "socket");
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		int e = errno;
		close(s);
		return verr_sys(err, e, "cannot reach vireo-procfs at %s", sock);
	}
	char msg[32];
	int n = snprintf(msg, sizeof msg, "R %u", ctid);
	if (send(s, msg, (size_t)n, MSG_NOSIGNAL) != n) {
		int e = errno;
		close(s);
		return verr_sys(err, e, "cannot register with vireo-procfs");
	}
	struct pollfd p = { s, POLLIN, 0 };
	char reply[8];
	ssize_t got = -1;
	if (poll(&p, 1, REPLY_TIMEOUT_MS) > 0)
		got = recv(s, reply, sizeof reply, 0);
	if (got != 2 || memcmp(reply, "OK", 2)) {
		close(s);
		return verr(err, EIO, "vireo-procfs did not accept container %u", ctid);
	}
	return s;
}

static void unmount_dead(const struct ct_ctx *ctx)
{
	char mnt[PATH_MAX];
	pfs_path(ctx, "mnt", mnt, sizeof mnt);
	for (int i = 0; i < 16 && umount2(mnt, MNT_DETACH) == 0; i++)
		;
}

static int daemon_bin(char *buf, size_t size, struct vireo_err *err)
{
	const char *env = getenv("VIREO_PROCFS_BIN");
	if (env && *env)
		return util_path(buf, size, "%s", env);
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return verr_sys(err, errno, "cannot find the vireo binary");
	self[n] = '\0';
	return util_path(buf, size, "%s/vireo-procfs", dirname(self));
}

/* Start the daemon, detached (its own session, not our child), and wait until it serves. */
static int spawn_daemon(const struct ct_ctx *ctx, struct vireo_err *err)
{
	char bin[PATH_MAX];
	int r = daemon_bin(bin, sizeof bin, err);
	if (r < 0)
		return r;
	if (access(bin, X_OK) < 0)
		return verr_sys(err, errno, "cannot run %s", bin);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return verr_sys(err, errno, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return verr_sys(err, errno, "fork");
	}
	if (pid == 0) {
		if (fork() != 0)
			_exit(0);
		util_detach();
		if (p[1] == 3)
			fcntl(3, F_SETFD, 0);
		else if (dup2(p[1], 3) < 0)
			_exit(127);
		util_close_from(4, NULL, 0);
		execl(bin, "vireo-procfs", "--root", ctx->root, "--ready-fd", "3", (char *)NULL);
		(void)!write(3, "1exec failed", 12);
		_exit(127);
	}
	close(p[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	char msg[sizeof err->msg];
	size_t used = 0;
	long long end = util_now_ms() + READY_TIMEOUT_MS;
	for (;;) {
		long long left = end - util_now_ms();
		struct pollfd pf = { p[0], POLLIN, 0 };
		if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
			break;
		ssize_t n = read(p[0], msg + used, sizeof msg - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof msg - 1)
			break;
	}
	close(p[0]);
	msg[used] = '\0';
	if (used == 0)
		return verr(err, EIO, "%s did not start", bin);
	if (msg[0] != '0')
		return verr(err, EIO, "%s: %s", bin, msg + 1);
	return 0;
}

int ct_procfs_attach(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	char dir[PATH_MAX], lockp[PATH_MAX], sock[PATH_MAX], alive[PATH_MAX];
	pfs_path(ctx, "", dir, sizeof dir);
	pfs_path(ctx, "start.lock", lockp, sizeof lockp);
	pfs_path(ctx, "ctl.sock", sock, sizeof sock);
	pfs_path(ctx, "daemon.lock", alive, sizeof alive);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return verr_sys(err, errno, "cannot create %s", dir);
	int lk = lock_take(lockp, true, false, err);
	if (lk < 0)
		return lk;
	int fd = connect_register(sock, ctid, err);
	if (fd < 0 && !lock_is_held(alive)) {
		unmount_dead(ctx);
		fd = spawn_daemon(ctx, err);
		if (fd == 0)
			fd = connect_register(sock, ctid, err);
	}
	lock_drop(lk);
	return fd;
}

void ct_procfs_detach(const struct ct_ctx *ctx, int conn)
{
	if (conn < 0)
		return;
	/* The daemon never writes after "OK": anything readable means it is gone. */
	struct pollfd p = { conn, POLLIN, 0 };
	bool dead = poll(&p, 1, 0) > 0;
	close(conn);
	if (!dead)
		return;
	char lockp[PATH_MAX], alive[PATH_MAX];
	pfs_path(ctx, "start.lock", lockp, sizeof lockp);
	pfs_path(ctx, "daemon.lock", alive, sizeof alive);
	int lk = lock_take(lockp, true, false, NULL);
	if (lk < 0)
		return;
	if (!lock_is_held(alive))
		unmount_dead(ctx);
	lock_drop(lk);
}

int ct_procfs_open_dir(const struct ct_ctx *ctx, unsigned ctid)
{
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/run/procfs/mnt/%u", ctx->root, ctid);
	return open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

void ct_procfs_bind(int dirfd)
{
	if (dirfd < 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(binds); i++) {
		/* Only over a plain file that is there: never follow a link the tree holds. */
		struct stat st;
		if (fstatat(AT_FDCWD, binds[i].target, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		int t = (int)syscall(SYS_open_tree, dirfd, binds[i].name,
				     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
		if (t < 0)
			continue; /* not served (user_beancounters without the module) */
		syscall(SYS_move_mount, t, "", AT_FDCWD, binds[i].target, MOVE_MOUNT_F_EMPTY_PATH);
		close(t);
	}
}

int ct_procfs_notify_conn(const struct ct_ctx *ctx, unsigned ctid)
{
	char sock[PATH_MAX];
	pfs_path(ctx, "ctl.sock", sock, sizeof sock);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(sock) >= sizeof a.sun_path)
		return -1;
	snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	char msg[32], reply[8];
	int n = snprintf(msg, sizeof msg, "Q %u", ctid);
	struct pollfd p = { s, POLLIN, 0 };
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0 ||
	    send(s, msg, (size_t)n, MSG_NOSIGNAL) != n || poll(&p, 1, REPLY_TIMEOUT_MS) <= 0 ||
	    recv(s, reply, sizeof reply, 0) != 2 || memcmp(reply, "OK", 2)) {
		close(s);
		return -1;
	}
	return s;
}

void ct_procfs_send_notify(int conn, int notify_fd)
{
	if (conn >= 0 && notify_fd >= 0)
		util_send_fd(conn, 'N', notify_fd);
	if (notify_fd >= 0)
		close(notify_fd);
	if (conn >= 0)
		close(conn);
}
