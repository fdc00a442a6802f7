/* ct/supervise: the supervisor, one host process per running container. It holds the
 * "running" lock for the container's whole life, creates its cgroups and console, clones the
 * container's first process into new namespaces, then serves the console socket and, when the
 * container's init ends, removes the cgroups and runtime files. It never enters the
 * container's namespaces, so nothing inside can see or reach it. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

#define CONSOLE_RING 16384

void ct_container_main(const struct ct_ctx *ctx, const struct ct_config *cfg, int sync_fd,
		       int console_fd);

struct ring {
	char buf[CONSOLE_RING];
	size_t start, len;
};

static void ring_put(struct ring *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t pos = (r->start + r->len) % CONSOLE_RING;
		r->buf[pos] = p[i];
		if (r->len < CONSOLE_RING)
			r->len++;
		else
			r->start = (r->start + 1) % CONSOLE_RING;
	}
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { fd, POLLOUT, 0 };
				if (poll(&pf, 1, 1000) > 0)
					continue;
			}
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void report(int fd, const char *msg)
{
	if (fd < 0)
		return;
	(void)!write(fd, msg, strlen(msg));
	close(fd);
}

static int console_listen(const char *path, uint32_t uid)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof a.sun_path)
		return -ENAMETOOLONG;
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	unlink(path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -errno;
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || chmod(path, 0600) < 0 ||
	    listen(s, 4) < 0) {
		int e = errno;
		close(s);
		return -e;
	}
	(void)uid;
	return s;
}

/* Serve the console until the container's first process ends. */
static void serve(int pidfd, int master, int lsock, struct ct_loadavg *la)
{
	struct ring ring = { .start = 0, .len = 0 };
	int client = -1;
	char buf[4096];
	for (;;) {
		struct pollfd p[4] = {
			{ pidfd, POLLIN, 0 },
			{ master, POLLIN, 0 },
			{ lsock, POLLIN, 0 },
			{ client, POLLIN, 0 },
		};
		if (poll(p, client >= 0 ? 4 : 3, loadavg_timeout_ms(la)) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		loadavg_tick(la);
		if (p[1].revents & POLLIN) {
			ssize_t n = read(master, buf, sizeof buf);
			if (n > 0) {
				ring_put(&ring, buf, (size_t)n);
				if (client >= 0)
					send_all(client, buf, (size_t)n);
			}
		} else if (p[1].revents & (POLLHUP | POLLERR)) {
			/* No process holds the console open: avoid spinning on HUP. */
			if (p[0].revents & POLLIN)
				return;
			poll(&p[0], 1, 100);
		}
		if (p[2].revents & POLLIN) {
			int c = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				if (client >= 0)
					close(client); /* the newest attach wins, as with vzctl */
				client = c;
				/* Replay what the console printed recently. */
				size_t first = CONSOLE_RING - ring.start;
				if (first > ring.len)
					first = ring.len;
				send_all(client, ring.buf + ring.start, first);
				send_all(client, ring.buf, ring.len - first);
			}
		}
		if (client >= 0 && (p[3].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = recv(client, buf, sizeof buf, 0);
			if (n <= 0) {
				close(client);
				client = -1;
			} else {
				(void)!write(master, buf, (size_t)n);
			}
		}
		if (p[0].revents & POLLIN)
			break;
	}
	/* Drain what init's last words left on the console. */
	for (;;) {
		struct pollfd pm = { master, POLLIN, 0 };
		if (poll(&pm, 1, 0) <= 0 || !(pm.revents & POLLIN))
			break;
		if (read(master, buf, sizeof buf) <= 0)
			break;
	}
	if (client >= 0)
		close(client);
}

static int write_state(const struct ct_ctx *ctx, unsigned ctid, pid_t init_pid,
		       struct vireo_err *err)
{
	char path[PATH_MAX], buf[32];
	struct conf c = { 0 };
	snprintf(buf, sizeof buf, "%d", (int)getpid());
	int r = conf_set(&c, "SUPERVISOR_PID", buf);
	snprintf(buf, sizeof buf, "%d", (int)init_pid);
	r |= conf_set(&c, "INIT_PID", buf);
	snprintf(buf, sizeof buf, "%llu", util_proc_starttime(init_pid));
	r |= conf_set(&c, "INIT_START", buf);
	ct_path(ctx, ctid, CT_PATH_STATE, path, sizeof path);
	r = r ? verr(err, ENOMEM, "out of memory") : conf_save(&c, path, err);
	conf_free(&c);
	return r;
}

static void cleanup_run(const struct ct_ctx *ctx, unsigned ctid)
{
	char path[PATH_MAX];
	cg_destroy(ctx, ctid);
	ct_net_stop(ctx, ctid);
	ct_path(ctx, ctid, CT_PATH_STATE, path, sizeof path);
	unlink(path);
	ct_path(ctx, ctid, CT_PATH_CONSOLE, path, sizeof path);
	unlink(path);
	ct_path(ctx, ctid, CT_PATH_RUN, path, sizeof path);
	util_path(path + strlen(path), sizeof path - strlen(path), "/limits");
	unlink(path); /* limits changed live (limits.c) */
	loadavg_remove(ctx, ctid);
	/* Last: once "running" is gone, status says stopped. */
	ct_path(ctx, ctid, CT_PATH_RUNNING, path, sizeof path);
	unlink(path);
}

static int open_console(const struct ct_config *cfg, int *slave, struct vireo_err *err)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return verr_sys(err, errno, "cannot allocate the console");
	char name[64];
	if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof name) != 0) {
		close(m);
		return verr_sys(err, errno, "cannot set up the console");
	}
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		close(m);
		return verr_sys(err, errno, "cannot open %s", name);
	}
	/* Root inside owns its console, with group tty (5). */
	if (fchown(*slave, cfg->uidbase, cfg->uidbase + 5) < 0 || fchmod(*slave, 0620) < 0) {
		close(*slave);
		close(m);
		return verr_sys(err, errno, "cannot hand the console to the container");
	}
	fcntl(m, F_SETFL, O_NONBLOCK);
	return m;
}

/* What a supervisor holds while it sets a container up, serves it, and cleans up after it. */
struct sup {
	int report_fd, running, master, slave, lsock, pidfd, pfs;
	pid_t pid;      /* the container's first process, once there is one */
	bool cg;        /* its cgroups are made: a failure removes them (cleanup_run) */
	char warn[sizeof ((struct vireo_err *)0)->msg + 2]; /* "0" and a warning for the user */
};

/* The first steps of both start and restore: the "running" lock, cgroups, console, the
 * procfs daemon, the console socket. */
static int sup_begin(const struct ct_ctx *ctx, const struct ct_config *cfg, struct sup *s,
		     struct vireo_err *err)
{
	char path[PATH_MAX];
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	ct_path(ctx, cfg->ctid, CT_PATH_RUNNING, path, sizeof path);
	/* A concurrent status check holds this lock for an instant: retry briefly. The command
	 * lock our caller holds already rules out a second start. */
	s->running = -EWOULDBLOCK;
	for (int i = 0; i < 2000 && s->running == -EWOULDBLOCK; i++) {
		s->running = lock_take(path, true, true, err);
		if (s->running == -EWOULDBLOCK)
			usleep(1000);
	}
	if (s->running < 0)
		return s->running == -EWOULDBLOCK ? verr(err, EBUSY, "it is already running")
						  : s->running;
	if (cg_create(ctx, cfg->ctid, err) < 0)
		return -1;
	s->cg = true;
	if ((s->master = open_console(cfg, &s->slave, err)) < 0)
		return -1;
	/* The container's own /proc numbers: without them it still runs, with a warning. */
	struct vireo_err perr = { 0 };
	if ((s->pfs = ct_procfs_attach(ctx, cfg->ctid, &perr)) < 0)
		snprintf(s->warn, sizeof s->warn, "0its /proc shows the host's numbers: %s",
			 perr.msg);
	ct_path(ctx, cfg->ctid, CT_PATH_CONSOLE, path, sizeof path);
	if ((s->lsock = console_listen(path, cfg->uidbase)) < 0)
		return verr_sys(err, -s->lsock, "cannot listen on %s", path);
	return 0;
}

/* The container runs: say so, serve its console and load average until its first process
 * ends, then clean up. */
static int sup_serve(const struct ct_ctx *ctx, struct ct_config *cfg, struct sup *s)
{
	report(s->report_fd, s->warn);
	struct ct_loadavg la;
	loadavg_init(&la, ctx, cfg->ctid);
	serve(s->pidfd, s->master, s->lsock, &la);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(s->master);
	close(s->lsock);
	close(s->pidfd);
	quota_after_stop(ctx, cfg); /* its loop device, if any, is gone before we say stopped */
	cleanup_run(ctx, cfg->ctid);
	ct_procfs_detach(ctx, s->pfs);
	close(s->running);
	return 0;
}

/* A step failed: undo what was done, report err. */
static int sup_fail(const struct ct_ctx *ctx, struct ct_config *cfg, struct sup *s,
		    const struct vireo_err *err)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (s->cg)
		cleanup_run(ctx, cfg->ctid);
	char msg[sizeof err->msg + 2];
	snprintf(msg, sizeof msg, "1%s", err->msg);
	report(s->report_fd, msg);
	ct_procfs_detach(ctx, s->pfs);
	int fds[] = { s->master, s->slave, s->lsock, s->pidfd };
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	quota_after_stop(ctx, cfg);
	return -1;
}

#define SUP_INIT(fd) { .report_fd = (fd), .running = -1, .master = -1, .slave = -1, \
		       .lsock = -1, .pidfd = -1, .pfs = -1, .pid = -1, .warn = "0" }

int ct_supervise(const struct ct_ctx *ctx, struct ct_config *cfg, int report_fd)
{
	struct vireo_err err = { 0 };
	char path[PATH_MAX];
	struct sup s = SUP_INIT(report_fd);
	int tree = -1, sp[2] = { -1, -1 };
	if (sup_begin(ctx, cfg, &s, &err) < 0)
		goto fail;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		verr_sys(&err, errno, "socketpair");
		goto fail;
	}
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC |
			      CLONE_NEWNET | SIGCHLD;
	if (cfg->userns)
		flags |= CLONE_NEWUSER;
	s.pid = (pid_t)syscall(SYS_clone, flags, 0, 0, 0, 0);
	if (s.pid < 0) {
		verr_sys(&err, errno, "cannot create the container's namespaces");
		goto fail;
	}
	if (s.pid == 0) {
		close(sp[0]);
		close(s.master);
		close(s.lsock);
		close(s.running);
		close(report_fd);
		if (s.pfs >= 0)
			close(s.pfs);
		ct_container_main(ctx, cfg, sp[1], s.slave);
	}
	close(sp[1]);
	sp[1] = -1;
	close(s.slave);
	s.slave = -1;
	s.pidfd = (int)syscall(SYS_pidfd_open, s.pid, 0);
	if (s.pidfd < 0) {
		verr_sys(&err, errno, "pidfd_open");
		goto fail;
	}
	if (cfg->userns && userns_write_maps(s.pid, cfg->uidbase, &err) < 0)
		goto fail;
	if (cg_attach(ctx, cfg->ctid, s.pid, &err) < 0)
		goto fail;
	if (ct_net_start(ctx, cfg, s.pidfd, &err) < 0)
		goto fail;
	if (limits_apply_start(ctx, cfg, s.pid, &err) < 0)
		goto fail;
	int nsfd = -1;
	if (cfg->userns && cfg->idmap == CT_IDMAP_MOUNT) {
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)s.pid);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0) {
			verr_sys(&err, errno, "cannot open %s", path);
			goto fail;
		}
	}
	tree = quota_private_tree(ctx, cfg, nsfd, &err); /* the directory, or its disk image */
	if (nsfd >= 0)
		close(nsfd);
	if (tree < 0)
		goto fail;
	if (util_send_fd(sp[0], 'g', tree) < 0) {
		verr(&err, EIO, "the container's first process died");
		goto fail;
	}
	close(tree);
	tree = -1;
	/* The container's first process closes its end by executing init, or says why not. */
	char cmsg[sizeof err.msg];
	ssize_t n;
	while ((n = read(sp[0], cmsg, sizeof cmsg - 1)) < 0 && errno == EINTR)
		;
	if (n > 0) {
		cmsg[n] = '\0';
		verr(&err, EIO, "%s", cmsg);
		goto fail;
	}
	close(sp[0]);
	sp[0] = -1;
	if (write_state(ctx, cfg->ctid, s.pid, &err) < 0)
		goto fail;
	return sup_serve(ctx, cfg, &s);

fail:
	for (int i = 0; i < 3; i++) {
		int fd = i < 2 ? sp[i] : tree;
		if (fd >= 0)
			close(fd);
	}
	return sup_fail(ctx, cfg, &s, &err);
}

/* The supervisor of a restored container (chkpnt.c): the same life as above, except that
 * the container's tree comes back from a checkpoint through CRIU, as our child, instead of
 * being cloned afresh. */
int ct_supervise_restore(const struct ct_ctx *ctx, struct ct_config *cfg, int report_fd,
			 const struct ct_restore_req *req)
{
	struct vireo_err err = { 0 };
	struct sup s = SUP_INIT(report_fd);
	if (sup_begin(ctx, cfg, &s, &err) < 0)
		goto fail;
	s.pid = cr_restore_tree(ctx, cfg, req, s.slave, &err);
	close(s.slave);
	s.slave = -1;
	if (s.pid < 0)
		goto fail;
	s.pidfd = (int)syscall(SYS_pidfd_open, s.pid, 0);
	if (s.pidfd < 0) {
		verr_sys(&err, errno, "pidfd_open");
		goto fail;
	}
	/* Its veth pairs were made (and recorded as ours) before CRIU ran: see criu.c. Their
	 * host ends come up now that the tree is back. */
	if (cr_restore_has_net(req) && ct_net_restore_up(ctx, cfg->ctid, &err) < 0)
		goto fail;
	if (cr_restore_has_net(req))
		cr_ping_range_open(s.pid, cfg);
	/* The limits of its configuration (CRIU restored the cgroup properties of the dump). */
	if (limits_apply_start(ctx, cfg, s.pid, &err) < 0)
		goto fail;
	if (write_state(ctx, cfg->ctid, s.pid, &err) < 0)
		goto fail;
	return sup_serve(ctx, cfg, &s);
fail:
	return sup_fail(ctx, cfg, &s, &err);
}
