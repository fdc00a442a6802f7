/* ct/migrate: moving a container to another host over ssh, as OpenVZ's vzmigrate, and the
 * receiving side's steps (ct_migrate_recv, run there as `vireo migrate-recv`). Offline: stop,
 * copy the private area (rsync over ssh), register and start on DEST. Online: copy the area
 * while it runs, checkpoint (chkpnt.c), copy what changed and the dump, restore on DEST. Any
 * failure before DEST runs it cleans DEST and brings the container back (started or restored)
 * here: it ends on exactly one host. The remote side is found through VIREO_SSH (the ssh
 * command, default "ssh"), --remote-vireo and --remote-root. Touches this instance's files of
 * the container and, through ssh, DEST's.
 *
 * Locks: each side holds ROOT/run/ID.migrating (flock) for the whole migration, taken while
 * holding the container's command lock, so a command already running finishes first and
 * every later one that would change the container (start, stop, destroy, set, chkpnt, a
 * second migrate; create of that ID on DEST) is refused by ct_lock with one line. The
 * migration's own steps pass it (ctx->migrating). On DEST the lock lives in one
 * `migrate-recv ID session` process that runs the steps the source sends it, a line each, over
 * one ssh channel; the frozen phase's stream (recv-restore) runs beside it and is accepted
 * only while that session holds the lock. If the session's channel is lost, an abort runs as a
 * command of its own. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

#define MAX_ARGS 64

int ct_stop_running_locked(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);

struct mig {
	const struct ct_ctx *ctx; /* &mctx: this instance, marked as migrating ctid */
	struct ct_ctx mctx;
	unsigned ctid;
	const char *dest;
	const struct ct_migrate_opts *o;
	char ssh_buf[512];
	char *ssh[32];     /* the ssh command, split on blanks, then our options */
	char ctl[64];      /* its ControlPath option */
	size_t nssh;
	char rroot[PATH_MAX];
	bool registered;   /* DEST has our conf: an abort must unregister it there */
	int sess;          /* socket to DEST's `migrate-recv ID session` (ssh's stdin/out), or -1 */
	int sess_err;      /* ssh's stderr */
	pid_t sess_pid;
};

/* --- the migration lock (both sides) --- */

static void mig_lock_path(const struct ct_ctx *ctx, unsigned ctid, char *buf, size_t size)
{
	util_path(buf, size, "%s/run/%u.migrating", ctx->root, ctid);
}

bool ct_migration_held(const struct ct_ctx *ctx, unsigned ctid)
{
	char p[PATH_MAX];
	mig_lock_path(ctx, ctid, p, sizeof p);
	return lock_is_held(p);
}

/* Wait for a command running on the container to end, then hold the migration lock. Refused
 * (EBUSY, by ct_lock) while another migration of it holds it. */
static int mig_lock(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	int cl = ct_lock(ctx, ctid, true, err);
	if (cl < 0)
		return cl;
	char p[PATH_MAX];
	mig_lock_path(ctx, ctid, p, sizeof p);
	int fd = lock_take(p, true, true, err);
	if (fd == -EWOULDBLOCK) /* only taken under the command lock: cannot happen */
		fd = verr(err, EBUSY, "container %u is being migrated", ctid);
	ct_unlock(ctx, ctid, cl);
	return fd;
}

static void mig_unlock(const struct ct_ctx *ctx, unsigned ctid, int fd)
{
	if (fd < 0)
		return;
	char p[PATH_MAX];
	mig_lock_path(ctx, ctid, p, sizeof p);
	unlink(p); /* while held: a later taker makes a new one (lib/lock.c) */
	lock_drop(fd);
}

static bool shell_safe(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("/._-+=:@", *s)))
			return false;
	return true;
}

/* argv for `ssh DEST vireo migrate-recv ID STEP [ARG]` (cmd holds the remote command). */
static void remote_argv(struct mig *m, const char *step, const char *arg, char *cmd, size_t size,
			char **argv)
{
	char id[16];
	snprintf(id, sizeof id, "%u", m->ctid);
	const char *v = m->o->remote_vireo ? m->o->remote_vireo : "vireo";
	if (m->o->remote_root)
		snprintf(cmd, size, "VIREO_ROOT=%s %s migrate-recv %s %s %s", m->o->remote_root, v, id,
			 step, arg ? arg : "");
	else
		snprintf(cmd, size, "%s migrate-recv %s %s %s", v, id, step, arg ? arg : "");
	size_t n = 0;
	for (size_t i = 0; i < m->nssh; i++)
		argv[n++] = m->ssh[i];
	argv[n++] = "-o";
	argv[n++] = "BatchMode=yes";
	argv[n++] = (char *)m->dest;
	argv[n++] = cmd;
	argv[n] = NULL;
}

/* What ssh's exit status r (and the last line e it printed) means: DEST's own one-line error
 * becomes ours. */
static int remote_result(struct mig *m, int r, const struct vireo_err *e, struct vireo_err *err)
{
	if (r == 0)
		return 0;
	if (r == 255 || r < 0)
		return verr(err, EHOSTUNREACH, "cannot reach %s: %s", m->dest,
			    e->msg[0] ? e->msg : "ssh failed");
	/* The remote vireo's own line, without util_run's framing nor its "vireo: " prefix. */
	const char *msg = strstr(e->msg, "vireo: ");
	msg = msg ? msg + 7 : e->msg;
	return verr(err, EIO, "%s: %s", m->dest, msg[0] ? msg : "the remote step failed");
}

static size_t read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	char c;
	while (n + 1 < size) {
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (c) /* NULs: the end of a tar stream's last record, not read by the unpacker */
			buf[n++] = c;
	}
	buf[n] = '\0';
	return n;
}

/* The session's ssh ended: its exit status, and the last line it wrote on stderr in e. */
static int sess_end(struct mig *m, struct vireo_err *e)
{
	if (m->sess >= 0)
		close(m->sess);
	m->sess = -1;
	int st = 0;
	while (m->sess_pid > 0 && waitpid(m->sess_pid, &st, 0) < 0 && errno == EINTR)
		;
	m->sess_pid = -1;
	e->msg[0] = '\0';
	if (m->sess_err >= 0) {
		/* Non-blocking: a ControlMaster that went to the background must not hold us. */
		char buf[4096];
		ssize_t n = 0, k;
		fcntl(m->sess_err, F_SETFL, O_NONBLOCK);
		while (n < (ssize_t)sizeof buf - 1 &&
		       (k = read(m->sess_err, buf + n, sizeof buf - 1 - (size_t)n)) > 0)
			n += k;
		buf[n] = '\0';
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		char *last = strrchr(buf, '\n');
		snprintf(e->msg, sizeof e->msg, "%s", last ? last + 1 : buf);
		close(m->sess_err);
		m->sess_err = -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

/* Start `migrate-recv ID session` on DEST; it answers "ready" once it holds the container's
 * migration lock there. */
static int sess_open(struct mig *m, struct vireo_err *err)
{
	char cmd[PATH_MAX + 256], *argv[MAX_ARGS];
	remote_argv(m, "session", NULL, cmd, sizeof cmd, argv);
	int sv[2], ep[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return verr_sys(err, errno, "socketpair");
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(sv[0]);
		close(sv[1]);
		return verr_sys(err, errno, "pipe");
	}
	pid_t pid = util_spawn(argv, sv[1], sv[1], ep[1]);
	close(sv[1]);
	close(ep[1]);
	m->sess = sv[0];
	m->sess_err = ep[0];
	m->sess_pid = pid;
	struct vireo_err e = { 0 };
	if (pid < 0) {
		sess_end(m, &e);
		return verr_sys(err, (int)-pid, "cannot run ssh");
	}
	char line[64];
	if (read_line(m->sess, line, sizeof line) && !strcmp(line, "ready"))
		return 0;
	int st = sess_end(m, &e);
	return remote_result(m, st ? st : 255, &e, err);
}

/* Run `vireo migrate-recv ID STEP [ARG]` on DEST: in the session while it lasts, else (an
 * abort after its channel was lost) as a command of its own. */
static int remote(struct mig *m, const char *step, const char *arg, struct vireo_err *err)
{
	struct vireo_err e = { 0 };
	if (m->sess >= 0) {
		char line[sizeof err->msg + 16];
		int n = snprintf(line, sizeof line, "%s %s\n", step, arg ? arg : "");
		if (send(m->sess, line, (size_t)n, MSG_NOSIGNAL) == n &&
		    read_line(m->sess, line, sizeof line) > 0) {
			if (!strcmp(line, "ok"))
				return 0;
			if (!strncmp(line, "error ", 6))
				return verr(err, EIO, "%s: %s", m->dest, line + 6);
		}
		int st = sess_end(m, &e);
		if (!e.msg[0])
			snprintf(e.msg, sizeof e.msg, "the connection was lost");
		if (strcmp(step, "abort"))
			return remote_result(m, st ? st : 255, &e, err);
	}
	char cmd[PATH_MAX + 256], *argv[MAX_ARGS];
	remote_argv(m, step, arg, cmd, sizeof cmd, argv);
	return remote_result(m, util_run(argv, false, &e), &e, err);
}

static int copy_wait(pid_t pid, int msgfd, struct vireo_err *err);

/* The frozen phase's one session: the checkpoint in DIR travels to DEST as a tar stream; DEST
 * unpacks it and says "received"; "go" (sent only if the area copy cp, running beside it, also
 * succeeded) has DEST restore it; anything else has DEST drop it. */
static int send_and_restore(struct mig *m, const char *dir, pid_t cp, int cpmsg,
			    struct vireo_err *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, ep[2] = { -1, -1 };
	struct vireo_err ea = { 0 }, e = { 0 };
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		int fds[] = { in[0], in[1], out[0], out[1] };
		for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
			if (fds[i] >= 0)
				close(fds[i]);
		copy_wait(cp, cpmsg, &ea);
		return verr_sys(err, errno, "pipe");
	}
	char cmd[PATH_MAX + 256], *argv[MAX_ARGS];
	remote_argv(m, "recv-restore", NULL, cmd, sizeof cmd, argv);
	pid_t ssh = util_spawn(argv, in[0], out[1], ep[1]);
	close(in[0]);
	close(out[1]);
	close(ep[1]);
	char *tar[] = { "tar", "-C", (char *)dir, "-cf", "-", ".", NULL };
	pid_t tp = ssh < 0 ? ssh : util_spawn(tar, -1, in[1], -1);
	int st = 0;
	if (tp > 0)
		while (waitpid(tp, &st, 0) < 0 && errno == EINTR)
			;
	bool sent = tp > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	char ack[32];
	bool received = ssh > 0 && read_line(out[0], ack, sizeof ack) && !strcmp(ack, "received");
	int ra = copy_wait(cp, cpmsg, &ea);
	if (sent && received && ra == 0) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN); /* DEST may be gone: EPIPE, no signal */
		(void)!write(in[1], "go\n", 3);
		signal(SIGPIPE, old);
	}
	close(in[1]);
	close(out[0]);
	int r = ssh > 0 ? util_collect(ssh, ep[0], "ssh", &e) : (close(ep[0]), (int)ssh);
	if (ra < 0) {
		*err = ea;
		return ra;
	}
	if (ssh < 0)
		return verr_sys(err, (int)-ssh, "cannot run ssh");
	if (r != 0)
		return remote_result(m, r, &e, err);
	if (!sent)
		return verr(err, EIO, "cannot send the checkpoint in %s (tar failed)", dir);
	return received ? 0 : verr(err, EIO, "%s: the checkpoint was not received", m->dest);
}

/* rsync SRC (a directory with a trailing slash, or a file) to DEST:PATH. */
static int copy(struct mig *m, const char *src, const char *rpath, bool del, struct vireo_err *err)
{
	char e_opt[600], target[PATH_MAX + 300];
	size_t o = 0;
	for (size_t i = 0; i < m->nssh && o < sizeof e_opt; i++)
		o += (size_t)snprintf(e_opt + o, sizeof e_opt - o, "%s%s", i ? " " : "", m->ssh[i]);
	snprintf(e_opt + o, sizeof e_opt - o, " -o BatchMode=yes");
	snprintf(target, sizeof target, "%s:%s", m->dest, rpath);
	/* VIREO_RSYNC_OPTS: one more option for rsync (e.g. --bwlimit=RATE). */
	const char *extra = getenv("VIREO_RSYNC_OPTS");
	char *argv[12];
	size_t n = 0;
	char *fixed[] = { "rsync", "-aHAX", "--numeric-ids", "--sparse", "-e", e_opt };
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		argv[n++] = fixed[i];
	if (del)
		argv[n++] = "--delete";
	if (extra && *extra)
		argv[n++] = (char *)extra;
	argv[n++] = "--";
	argv[n++] = (char *)src;
	argv[n++] = target;
	argv[n] = NULL;
	struct vireo_err e = { 0 };
	int r = util_run(argv, false, &e);
	/* 24: files vanished while it ran (a running container's temporary files); the copy
	 * after the freeze (online) or nothing (offline, stopped) changes them any more. */
	if (r == 0 || r == 24)
		return 0;
	return verr(err, EIO, "copying %s to %s failed: %s", src, m->dest,
		    e.msg[0] ? e.msg : "rsync failed");
}

/* copy() in a child process, so something else can go to DEST meanwhile; copy_wait collects
 * it. */
static pid_t copy_bg(struct mig *m, const char *src, const char *rpath, bool del, int *msgfd,
		     struct vireo_err *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return verr_sys(err, errno, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return verr_sys(err, e, "cannot fork");
	}
	if (pid == 0) {
		close(p[0]);
		struct vireo_err e = { 0 };
		if (copy(m, src, rpath, del, &e) == 0)
			_exit(0);
		(void)!write(p[1], e.msg, strlen(e.msg));
		_exit(1);
	}
	close(p[1]);
	*msgfd = p[0];
	return pid;
}

static int copy_wait(pid_t pid, int msgfd, struct vireo_err *err)
{
	char msg[sizeof err->msg];
	size_t n = util_read_all(msgfd, msg, sizeof msg);
	close(msgfd);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return verr_sys(err, errno, "waitpid");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	return verr(err, EIO, "%s", n ? msg : "copying to DEST failed");
}

/* Undo DEST's side; says nothing more if that fails too (the first error stands). */
static void remote_abort(struct mig *m)
{
	struct vireo_err e = { 0 };
	if (m->o->keep_dst && !m->registered)
		return;
	remote(m, "abort", m->o->keep_dst ? "keep" : NULL, &e);
}

/* Bytes in use in the private area (0 if it cannot be read: DEST's check then only asks for
 * slack). */
static uint64_t area_bytes(const char *path)
{
	uint64_t bytes, inodes;
	return util_du(path, &bytes, &inodes) == 0 ? bytes : 0;
}

static int mig_init(struct mig *m, struct vireo_err *err)
{
	if (!m->dest[0] || m->dest[0] == '-' || !shell_safe(m->dest))
		return verr(err, EINVAL, "invalid destination '%.64s' (expected [user@]host)", m->dest);
	if (m->o->remote_root && (m->o->remote_root[0] != '/' || !shell_safe(m->o->remote_root)))
		return verr(err, EINVAL, "invalid --remote-root '%.64s'", m->o->remote_root);
	if (m->o->remote_vireo && !shell_safe(m->o->remote_vireo))
		return verr(err, EINVAL, "invalid --remote-vireo '%.64s'", m->o->remote_vireo);
	const char *ssh = getenv("VIREO_SSH");
	snprintf(m->ssh_buf, sizeof m->ssh_buf, "%s", ssh && *ssh ? ssh : "ssh");
	char *save = NULL;
	for (char *t = strtok_r(m->ssh_buf, " \t", &save); t && m->nssh < ARRAY_SIZE(m->ssh) - 6;
	     t = strtok_r(NULL, " \t", &save))
		m->ssh[m->nssh++] = t;
	snprintf(m->rroot, sizeof m->rroot, "%s",
		 m->o->remote_root ? m->o->remote_root : "/var/lib/vireo");
	/* One connection for every step (each new one costs a key exchange while the container
	 * is frozen); it closes itself 10 s after the last use. */
	snprintf(m->ctl, sizeof m->ctl, "ControlPath=/tmp/.vireo-ssh-%d-%%C", (int)getpid());
	if (m->nssh + 6 <= ARRAY_SIZE(m->ssh)) {
		m->ssh[m->nssh++] = "-o";
		m->ssh[m->nssh++] = "ControlMaster=auto";
		m->ssh[m->nssh++] = "-o";
		m->ssh[m->nssh++] = m->ctl;
		m->ssh[m->nssh++] = "-o";
		m->ssh[m->nssh++] = "ControlPersist=10";
	}
	return 0;
}

/* The container is back where it was (running if it ran) and DEST holds nothing of it. */
static int fall_back(struct mig *m, bool was_running, bool dumped, int r, struct vireo_err *err)
{
	remote_abort(m);
	struct vireo_err e = { 0 };
	int r2 = 0;
	if (dumped)
		r2 = ct_restore(m->ctx, m->ctid, NULL, true, &e);
	else if (was_running && !ct_is_running(m->ctx, m->ctid))
		r2 = ct_start(m->ctx, m->ctid, &e);
	if (r2 < 0) {
		char first[sizeof err->msg];
		snprintf(first, sizeof first, "%s", err->msg);
		return verr(err, -r, "%s; and bringing container %u back here failed: %s", first,
			    m->ctid, e.msg);
	}
	return r;
}

static int migrate(struct mig *m, struct ct_migrate_opts *o, struct vireo_err *err)
{
	const struct ct_ctx *ctx = m->ctx;
	unsigned ctid = m->ctid;
	const char *dest = m->dest;
	int r;
	struct ct_config cfg;
	if ((r = ct_config_load(ctx, ctid, &cfg, err)) < 0)
		return r;
	bool running = ct_is_running(ctx, ctid);
	char ips[1024], check[sizeof ips + 48];
	ct_net_list_ip(ctx, &cfg, running, ips, sizeof ips); /* what it has now */
	ct_config_free(&cfg);
	if (o->online && !running)
		return verr(err, ESRCH, "container %u is not running (online migration moves a "
			    "running container)", ctid);
	if (ct_is_suspended(ctx, ctid))
		return verr(err, EBUSY, "container %u is suspended: restore it first", ctid);
	char priv[PATH_MAX], src[PATH_MAX + 2], rpath[PATH_MAX + 64], conf[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_PRIVATE, priv, sizeof priv);
	ct_path(ctx, ctid, CT_PATH_CONF, conf, sizeof conf);
	snprintf(src, sizeof src, "%s/", priv);
	/* 1. DEST: reachable, its lock on the ID taken, no such container, room for the area
	 * (and a dump), its addresses reachable there. */
	for (char *c = ips; *c; c++)
		if (*c == ' ')
			*c = ',';
	/* "SIZE[,any][,IP...]": DEST refuses addresses it could not reach (recv_check). */
	snprintf(check, sizeof check, "%llu%s%s%s", (unsigned long long)area_bytes(priv),
		 o->ignore_subnet ? ",any" : "", ips[0] ? "," : "", ips);
	if ((r = sess_open(m, err)) < 0 || (r = remote(m, "check", check, err)) < 0)
		return r; /* nothing changed anywhere */
	bool dumped = false;
	long long t0 = 0;
	/* 2. The private area: while it runs (online), after it stopped (offline). */
	if (running && !o->online && (r = ct_stop(ctx, ctid, false, err)) < 0) {
		remote_abort(m);
		return r;
	}
	snprintf(rpath, sizeof rpath, "%s/private/%u/", m->rroot, ctid);
	if ((r = copy(m, src, rpath, true, err)) < 0)
		return fall_back(m, running, false, r, err);
	/* 3. Register on DEST (still stopped there), before anything is frozen here. */
	char inc[PATH_MAX + 64];
	snprintf(inc, sizeof inc, "%s/dump/%u.conf.incoming", m->rroot, ctid);
	if ((r = copy(m, conf, inc, false, err)) < 0)
		return fall_back(m, running, false, r, err);
	m->registered = true;
	if ((r = remote(m, "register", NULL, err)) < 0)
		return fall_back(m, running, false, r, err);
	/* 4. Online: checkpoint, copy what changed in the area since and the checkpoint, restore
	 * there. Offline: start it there. */
	if (o->online) {
		t0 = util_now_ms();
		if ((r = ct_chkpnt(ctx, ctid, NULL, err)) < 0) {
			remote_abort(m);
			return r; /* a failed checkpoint left it running */
		}
		dumped = true;
		char dump[PATH_MAX];
		util_path(dump, sizeof dump, "%s/dump/%u", ctx->root, ctid);
		/* What changed in the area and the checkpoint travel side by side. */
		int msgfd = -1;
		pid_t cp = copy_bg(m, src, rpath, true, &msgfd, err);
		if (cp < 0 || (r = send_and_restore(m, dump, cp, msgfd, err)) < 0)
			return fall_back(m, running, dumped, cp < 0 ? (int)cp : r, err);
		o->frozen_ms = util_now_ms() - t0;
	} else if (running && (r = remote(m, "start", NULL, err)) < 0) {
		return fall_back(m, running, dumped, r, err);
	}
	/* 5. It runs on DEST only: forget it here. */
	struct vireo_err e = { 0 };
	char p[PATH_MAX];
	util_path(p, sizeof p, "%s/dump/%u", ctx->root, ctid);
	util_rm_rf(p, &e);
	if (o->remove_area)
		return ct_destroy(ctx, ctid, true, err);
	char moved[PATH_MAX + 16];
	snprintf(moved, sizeof moved, "%s.migrated", conf);
	if (rename(conf, moved) < 0)
		return verr_sys(err, errno, "container %u runs on %s, but cannot unregister it here",
				ctid, dest);
	return 0;
}

int ct_migrate(const struct ct_ctx *ctx, unsigned ctid, const char *dest,
	       struct ct_migrate_opts *o, struct vireo_err *err)
{
	struct mig *m = calloc(1, sizeof *m);
	if (!m)
		return verr(err, ENOMEM, "out of memory");
	*m = (struct mig){ .ctid = ctid, .dest = dest, .o = o, .sess = -1, .sess_err = -1,
			   .sess_pid = -1 };
	m->mctx = *ctx;
	m->mctx.migrating = ctid;
	m->ctx = &m->mctx;
	int r = mig_init(m, err);
	int lk = r < 0 ? -1 : mig_lock(ctx, ctid, err);
	if (r == 0 && lk < 0)
		r = lk;
	if (r == 0) {
		r = migrate(m, o, err);
		if (m->sess >= 0) { /* DEST's session ends and drops its lock there */
			struct vireo_err e = { 0 };
			char line[64];
			(void)!send(m->sess, "done\n", 5, MSG_NOSIGNAL);
			shutdown(m->sess, SHUT_WR);
			read_line(m->sess, line, sizeof line); /* its end of file */
			sess_end(m, &e);
		}
		mig_unlock(ctx, ctid, lk);
		/* Close the shared connection (and its socket) now, not 10 s later. */
		char *argv[MAX_ARGS];
		size_t n = 0;
		for (size_t i = 0; i < m->nssh; i++)
			argv[n++] = m->ssh[i];
		argv[n++] = "-O";
		argv[n++] = "exit";
		argv[n++] = (char *)dest;
		argv[n] = NULL;
		util_run(argv, true, NULL);
	}
	free(m);
	return r;
}

/* --- the receiving side --- */

static int recv_check(const struct ct_ctx *ctx, unsigned ctid, const char *arg,
		      struct vireo_err *err)
{
	char p[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_CONF, p, sizeof p);
	if (access(p, F_OK) == 0)
		return verr(err, EEXIST, "container %u already exists", ctid);
	char *rest = NULL;
	unsigned long long need = arg ? strtoull(arg, &rest, 10) : 0;
	/* Then ",any" (--ignore-subnet) and the container's addresses, each after a comma. */
	bool any = false;
	if (rest && !strncmp(rest, ",any", 4) && (rest[4] == ',' || !rest[4])) {
		any = true;
		rest += 4;
	}
	int r;
	if (rest && *rest == ',' && (r = ct_net_check_incoming(ctx, ctid, rest + 1, any, err)) < 0)
		return r;
	util_path(p, sizeof p, "%s/private", ctx->root);
	struct statvfs sv;
	if (statvfs(p, &sv) < 0)
		return verr_sys(err, errno, "cannot check the free space of %s", p);
	unsigned long long avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	/* Room for the area and as much again for a dump and slack. */
	if (avail < need + need / 2 + (1u << 20))
		return verr(err, ENOSPC, "not enough disk space in %s: %llu KiB free, %llu KiB needed",
			    p, avail >> 10, (need + need / 2 + (1u << 20)) >> 10);
	return 0;
}

static int recv_register(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	char in[PATH_MAX], p[PATH_MAX];
	util_path(in, sizeof in, "%s/dump/%u.conf.incoming", ctx->root, ctid);
	ct_path(ctx, ctid, CT_PATH_CONF, p, sizeof p);
	if (access(p, F_OK) == 0) {
		unlink(in);
		return verr(err, EEXIST, "container %u already exists", ctid);
	}
	struct ct_config cfg = { 0 }, other;
	cfg.ctid = ctid;
	/* Load it as a configuration of ours first: a corrupted file is refused. */
	if (rename(in, p) < 0)
		return verr_sys(err, errno, "cannot register container %u", ctid);
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0) {
		unlink(p);
		return r;
	}
	/* Its uid range must be free here. */
	struct ct_info *list;
	size_t n;
	if (cfg.userns && (r = ct_list(ctx, &list, &n, err)) == 0) {
		for (size_t i = 0; i < n && r == 0; i++) {
			if (list[i].ctid == ctid || ct_config_load(ctx, list[i].ctid, &other, NULL) < 0)
				continue;
			if (other.userns && other.uidbase == cfg.uidbase)
				r = verr(err, EEXIST, "container %u's uid range (%u) is used by container %u",
					 ctid, cfg.uidbase, other.ctid);
			ct_config_free(&other);
		}
		free(list);
	}
	if (r == 0)
		r = ct_config_save(ctx, &cfg, err); /* paths of this host */
	ct_config_free(&cfg);
	if (r < 0)
		unlink(p);
	return r;
}

static int recv_abort(const struct ct_ctx *ctx, unsigned ctid, bool keep, struct vireo_err *err)
{
	char p[PATH_MAX];
	struct vireo_err e = { 0 };
	ct_path(ctx, ctid, CT_PATH_CONF, p, sizeof p);
	if (access(p, F_OK) == 0) {
		if (keep) {
			if (ct_is_running(ctx, ctid))
				ct_stop(ctx, ctid, true, &e);
			char moved[PATH_MAX + 16];
			snprintf(moved, sizeof moved, "%s.migrated", p);
			rename(p, moved);
		} else {
			ct_destroy(ctx, ctid, true, &e);
		}
	}
	if (!keep) {
		ct_path(ctx, ctid, CT_PATH_PRIVATE, p, sizeof p);
		util_rm_rf(p, &e);
	}
	util_path(p, sizeof p, "%s/dump/%u", ctx->root, ctid);
	util_rm_rf(p, &e);
	util_path(p, sizeof p, "%s/dump/%u.conf.incoming", ctx->root, ctid);
	unlink(p);
	return 0;
}

/* The checkpoint arrives on standard input as a tar stream (send_and_restore): unpacked into
 * ROOT/dump/ID, "received" on standard output, then restored if the next line says "go",
 * dropped otherwise. */
static int recv_restore(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	char p[PATH_MAX], conf[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_CONF, conf, sizeof conf);
	if (access(conf, F_OK) < 0)
		return verr(err, ENOENT, "container %u is not registered here", ctid);
	util_path(p, sizeof p, "%s/dump/%u", ctx->root, ctid);
	struct vireo_err e = { 0 };
	util_rm_rf(p, &e);
	int r = util_mkdir_p(p, 0700, err);
	if (r < 0)
		return r;
	int dfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = dfd < 0 ? verr_sys(&e, errno, "cannot open %s", p)
		    : cr_unpack(0, "the checkpoint stream", dfd, &e);
	if (dfd >= 0)
		close(dfd);
	if (r < 0) {
		util_rm_rf(p, NULL);
		return verr(err, -r, "the checkpoint of container %u did not arrive whole: %s", ctid,
			    e.msg);
	}
	printf("received\n");
	fflush(stdout);
	char line[16];
	read_line(0, line, sizeof line);
	if (strcmp(line, "go")) {
		util_rm_rf(p, NULL);
		return verr(err, ECANCELED, "the source called the migration of container %u off",
			    ctid);
	}
	/* (Looked at before: restore removes the spent checkpoint.) */
	util_path(conf, sizeof conf, "%s/vireo-net.conf", p);
	bool net = access(conf, F_OK) == 0;
	r = ct_restore(ctx, ctid, NULL, true, err);
	/* Its default route still names the source's bridge address: this one's now. */
	if (r == 0 && net && (r = ct_net_adopt(ctx, ctid, err)) < 0) {
		struct vireo_err e2 = { 0 }; /* it would be unreachable: not a success */
		ct_stop(ctx, ctid, true, &e2);
	}
	return r;
}

static int recv_step(const struct ct_ctx *ctx, unsigned ctid, const char *step, const char *arg,
		     struct vireo_err *err)
{
	if (!strcmp(step, "check"))
		return recv_check(ctx, ctid, arg, err);
	if (!strcmp(step, "register"))
		return recv_register(ctx, ctid, err);
	if (!strcmp(step, "start"))
		return ct_start(ctx, ctid, err);
	if (!strcmp(step, "abort"))
		return recv_abort(ctx, ctid, arg && !strcmp(arg, "keep"), err);
	return verr(err, EINVAL, "migrate-recv: unknown step '%.32s'", step);
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

/* Hold the ID's migration lock here and run the steps read from fd 0 ("STEP [ARG]" lines),
 * answering each on fd 1 with "ok" or "error MESSAGE", until "done" or end of file. */
static int recv_session(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	int lk = mig_lock(ctx, ctid, err);
	if (lk < 0)
		return lk;
	struct ct_ctx mctx = *ctx;
	mctx.migrating = ctid;
	write_all(1, "ready\n", 6);
	char line[512];
	while (read_line(0, line, sizeof line) > 0) {
		char *arg = strchr(line, ' ');
		if (arg) {
			*arg++ = '\0';
			if (!*arg)
				arg = NULL;
		}
		if (!strcmp(line, "done"))
			break;
		struct vireo_err e = { 0 };
		int r = recv_step(&mctx, ctid, line, arg, &e);
		char out[sizeof e.msg + 16];
		int n = r < 0 ? snprintf(out, sizeof out, "error %s\n", e.msg)
			      : snprintf(out, sizeof out, "ok\n");
		for (int i = 0; i < n - 1; i++) /* one line */
			if (out[i] == '\n')
				out[i] = ' ';
		write_all(1, out, (size_t)n);
	}
	mig_unlock(ctx, ctid, lk);
	return 0;
}

int ct_migrate_recv(const struct ct_ctx *ctx, unsigned ctid, const char *step, const char *arg,
		    struct vireo_err *err)
{
	struct ct_ctx mctx = *ctx;
	mctx.migrating = ctid;
	if (!strcmp(step, "session"))
		return recv_session(ctx, ctid, err);
	if (!strcmp(step, "recv-restore")) {
		/* The frozen phase's stream comes as a command of its own beside the session that
		 * registered the container and holds its lock: only while that session lasts. */
		if (!ct_migration_held(ctx, ctid))
			return verr(err, ENOLCK, "no migration of container %u is under way here", ctid);
		return recv_restore(&mctx, ctid, err);
	}
	/* One step on its own (the session's channel was lost): it takes the lock for its
	 * length, waiting up to 10 s for a session that is ending to let it go. */
	int lk = -EBUSY;
	for (int i = 0; i < 100 && lk == -EBUSY; i++) {
		if (i)
			usleep(100000);
		lk = mig_lock(ctx, ctid, err);
	}
	if (lk < 0)
		return lk;
	int r = recv_step(&mctx, ctid, step, arg, err);
	mig_unlock(ctx, ctid, lk);
	return r;
}
