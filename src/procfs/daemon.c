/* procfs/daemon: vireo-procfs, one host daemon per Vireo instance that serves every running
 * container of that instance its own /proc files through FUSE (libfuse3, low-level API).
 *
 *   vireo-procfs --root ROOT --ready-fd N     (started by a container's supervisor, see
 *                                             src/ct/procfs.c; not meant to be run by hand)
 *
 * Layout, all under ROOT/run/procfs/ (0700, root only):
 *   mnt/            the FUSE mount: mnt/<CTID>/{meminfo,cpuinfo,stat,loadavg,uptime,
 *                   cpuonline[,user_beancounters]} for each registered container; read-only,
 *                   allow_other (container roots are other uids), no symlinks, no writes
 *   ctl.sock        SOCK_SEQPACKET; a supervisor sends "R <CTID>", gets "OK", and keeps the
 *                   connection for the container's life: the hang-up unregisters it. A process
 *                   about to enter a container (its first process, exec, enter) sends
 *                   "Q <CTID>", gets "OK", and later "N" with its seccomp listener fd
 *   daemon.lock     flock held by the daemon for its whole life ("is a daemon alive?")
 *   start.lock      flock serialising starters against each other and against the exit
 *
 * One thread, one poll loop: the FUSE channel (non-blocking), the control socket and its
 * connections, the seccomp listeners, and SIGTERM. The load averages are the supervisor's
 * (src/ct/loadavg.c samples every 5 s into run/ID/loadavg), read before each rendering, so
 * the container's /proc/loadavg and vireo list's laverage agree. The listeners get sysinfo(2) and sched_getaffinity(0, ...) from
 * every process of the container: answered with the container's numbers, written into the
 * caller's buffer with process_vm_writev once the notification is known to be still valid
 * (busybox free, uptime and nproc use these calls, not /proc). Remote writes never wait on
 * the caller: a container cannot make kernel-side faults block (no /dev/userfaultfd, and a
 * userfaultfd without CAP_SYS_PTRACE in the host's namespace handles user-mode faults only).
 * Every request is answered at once from cgroup files; nothing a reader does can make the
 * daemon wait. Each open file keeps the text rendered at offset 0, so a reader that reads in
 * pieces sees one consistent snapshot, and a reader that seeks back to 0 (procps does) sees
 * fresh numbers. A reader inside a container may open only its own container's files: the
 * caller's pid is checked against its cgroup (defence in depth: the other directories are
 * not reachable from inside anyway).
 *
 * Lifetime: when the last supervisor hangs up, the daemon takes start.lock (never waiting
 * for it: a starter holding it is about to register), checks that nobody connected
 * meanwhile, unmounts, removes its socket, and exits. If it dies, the kernel fails every
 * read on the mount with ENOTCONN; the next start finds no daemon and starts a fresh one.
 * Touches only ROOT/run/procfs, and reads the instance's cgroups and /proc. */
#define FUSE_USE_VERSION 34

#include "procfs/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <linux/audit.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ct/ct-internal.h"
#include "lib/lock.h"
#include "lib/parse.h"
#include "lib/util.h"

/* What one container's open files may hold in the daemon, so that a reader that opens many
 * files and never closes them costs bounded memory. */
#define MAX_HANDLES_PER_CT 4096
#define MAX_HELD_PER_CT (64u << 20)
#define MAX_PENDING 256
#define MAX_NOTIFY_PER_CT 4096
#define MAX_CPUS 4096
#define TIMEOUT_S 1.0

struct handle {
	unsigned ctid;
	enum pfs_file file;
	char *buf;
	size_t len;
	bool fresh; /* rendered at open, not read yet: the first read at 0 uses it */
};

struct daemon {
	struct ct_ctx ctx;
	char dir[PATH_MAX], mnt[PATH_MAX], sock[PATH_MAX];
	struct pfs_ct *cts;
	size_t n, cap;
	struct {
		int fd;
		unsigned ctid; /* set by "Q <CTID>": a sysinfo listener for it follows */
	} pending[MAX_PENDING];
	size_t npending;
	struct seccomp_notif *nreq;
	struct seccomp_notif_resp *nresp;
	struct fuse_session *se;
	int lsock;
};

/* Inode numbers: 1 is the root; a container's directory and files are (CTID << 8) | file. */
static fuse_ino_t ino_of(unsigned ctid, enum pfs_file f)
{
	return ((fuse_ino_t)ctid << 8) | (fuse_ino_t)f;
}

static struct pfs_ct *find_ct(struct daemon *d, unsigned ctid)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->cts[i].ctid == ctid)
			return &d->cts[i];
	return NULL;
}

static bool file_served(enum pfs_file f)
{
	return f > PFS_DIR && f < PFS_NFILES && (f != PFS_UBC || pfs_ubc_available());
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The container (CTID) a host process belongs to, by its cgroup; 0 when it is in none of
 * this instance's containers, -1 when it cannot be told (gone, unreadable). */
static long caller_ct(struct daemon *d, pid_t pid)
{
	if (pid <= 0)
		return -1;
	char path[64], pat[64];
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	char *text = NULL;
	if (util_read_file(path, 1 << 16, &text, NULL, NULL) < 0)
		return -1;
	snprintf(pat, sizeof pat, ":/%s/", d->ctx.instance);
	long ct = 0;
	char *p = strstr(text, pat);
	if (p)
		ct = strtol(p + strlen(pat), NULL, 10);
	free(text);
	return ct;
}

static bool caller_may(struct daemon *d, fuse_req_t req, unsigned ctid)
{
	long ct = caller_ct(d, fuse_req_ctx(req)->pid);
	return ct == 0 || ct == (long)ctid;
}

static void fill_attr(fuse_ino_t ino, struct stat *st, size_t size)
{
	memset(st, 0, sizeof *st);
	st->st_ino = ino;
	enum pfs_file f = (enum pfs_file)(ino & 0xff);
	if (ino == FUSE_ROOT_ID || f == PFS_DIR) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = (off_t)size;
	}
	time_t now = time(NULL);
	st->st_atime = st->st_mtime = st->st_ctime = now;
}

/* Resolve an inode to (container, file); NULL when it names nothing served now. */
static struct pfs_ct *ino_ct(struct daemon *d, fuse_ino_t ino, enum pfs_file *f)
{
	if (ino == FUSE_ROOT_ID)
		return NULL;
	*f = (enum pfs_file)(ino & 0xff);
	struct pfs_ct *c = find_ct(d, (unsigned)(ino >> 8));
	if (!c || (*f != PFS_DIR && !file_served(*f)))
		return NULL;
	return c;
}

/* Copy the supervisor's last load sample into c (kept as it was when there is none yet). */
static void load_refresh(struct daemon *d, struct pfs_ct *c)
{
	struct ct_load l;
	if (loadavg_read(&d->ctx, c->ctid, &l) < 0)
		return;
	memcpy(c->avenrun, l.avg, sizeof c->avenrun);
	c->nr_running = l.running;
	c->nr_blocked = l.blocked;
	c->last_pid = l.last_pid;
}

static int render(struct daemon *d, struct pfs_ct *c, enum pfs_file f, char **buf, size_t *len)
{
	if (f == PFS_STAT || f == PFS_LOADAVG)
		load_refresh(d, c);
	struct pfs_env env = { .ctx = &d->ctx, .boottime = clock_s(CLOCK_BOOTTIME),
			       .realtime = clock_s(CLOCK_REALTIME) };
	int r = pfs_render(c, f, &env, buf, len);
	if (r == 0)
		c->last_len[f] = *len;
	return r;
}

/* What stat says a file's size is: its last rendering's length. The size matters to
 * sendfile and splice (busybox cat), which read through the page cache up to it. */
static size_t file_size(struct daemon *d, struct pfs_ct *c, enum pfs_file f)
{
	if (f == PFS_DIR)
		return 0;
	if (!c->last_len[f]) {
		char *buf;
		size_t len;
		if (render(d, c, f, &buf, &len) == 0)
			free(buf);
	}
	return c->last_len[f];
}

static void op_init(void *ud, struct fuse_conn_info *conn)
{
	(void)ud;
	conn->want &= ~(unsigned)FUSE_CAP_ASYNC_READ;
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct daemon *d = fuse_req_userdata(req);
	struct fuse_entry_param e;
	memset(&e, 0, sizeof e);
	e.attr_timeout = e.entry_timeout = TIMEOUT_S;
	if (parent == FUSE_ROOT_ID) {
		unsigned ctid;
		if (parse_ctid(name, &ctid, NULL) < 0 || !find_ct(d, ctid)) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		if (!caller_may(d, req, ctid)) {
			fuse_reply_err(req, EACCES);
			return;
		}
		e.ino = ino_of(ctid, PFS_DIR);
	} else {
		enum pfs_file f;
		struct pfs_ct *c = ino_ct(d, parent, &f);
		if (!c || f != PFS_DIR) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		if (!caller_may(d, req, c->ctid)) {
			fuse_reply_err(req, EACCES);
			return;
		}
		for (int i = PFS_DIR + 1; i < PFS_NFILES; i++)
			if (file_served((enum pfs_file)i) && !strcmp(name, pfs_file_names[i]))
				e.ino = ino_of(c->ctid, (enum pfs_file)i);
		if (!e.ino) {
			fuse_reply_err(req, ENOENT);
			return;
		}
	}
	fill_attr(e.ino, &e.attr, 0);
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	struct daemon *d = fuse_req_userdata(req);
	enum pfs_file f;
	if (ino != FUSE_ROOT_ID && !ino_ct(d, ino, &f)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	struct stat st;
	fill_attr(ino, &st, ino == FUSE_ROOT_ID ? 0 : file_size(d, ino_ct(d, ino, &f), f));
	fuse_reply_attr(req, &st, TIMEOUT_S);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	(void)fi;
	struct daemon *d = fuse_req_userdata(req);
	enum pfs_file f = PFS_DIR;
	struct pfs_ct *c = NULL;
	if (ino != FUSE_ROOT_ID && (!(c = ino_ct(d, ino, &f)) || f != PFS_DIR)) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (size > 65536)
		size = 65536;
	char *buf = malloc(size);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	long who = caller_ct(d, fuse_req_ctx(req)->pid);
	size_t used = 0;
	off_t idx = 0;
	struct stat st;
	memset(&st, 0, sizeof st);
	/* Entries: ".", "..", then the containers (root) or the files (a container). */
	size_t count = 2 + (c ? PFS_NFILES - 1 : d->n);
	for (size_t i = 0; i < count; i++) {
		idx++;
		if (idx <= off)
			continue;
		char name[32];
		if (i == 0 || i == 1) {
			snprintf(name, sizeof name, "%s", i ? ".." : ".");
			st.st_ino = ino;
			st.st_mode = S_IFDIR;
		} else if (c) {
			enum pfs_file ff = (enum pfs_file)(i - 1);
			if (!file_served(ff))
				continue;
			snprintf(name, sizeof name, "%s", pfs_file_names[ff]);
			st.st_ino = ino_of(c->ctid, ff);
			st.st_mode = S_IFREG;
		} else {
			/* A container's process lists no one else's directory. */
			if (who != 0 && (long)d->cts[i - 2].ctid != who)
				continue;
			snprintf(name, sizeof name, "%u", d->cts[i - 2].ctid);
			st.st_ino = ino_of(d->cts[i - 2].ctid, PFS_DIR);
			st.st_mode = S_IFDIR;
		}
		size_t need = fuse_add_direntry(req, buf + used, size - used, name, &st, idx);
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct daemon *d = fuse_req_userdata(req);
	enum pfs_file f;
	struct pfs_ct *c = ino_ct(d, ino, &f);
	if (!c || f == PFS_DIR) {
		fuse_reply_err(req, c ? EISDIR : ENOENT);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EACCES);
		return;
	}
	if (!caller_may(d, req, c->ctid)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	if (c->handles >= MAX_HANDLES_PER_CT) {
		fuse_reply_err(req, EMFILE);
		return;
	}
	struct handle *h = calloc(1, sizeof *h);
	if (!h) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	h->ctid = c->ctid;
	h->file = f;
	int r = render(d, c, f, &h->buf, &h->len);
	if (r == 0 && c->held + h->len > MAX_HELD_PER_CT) {
		free(h->buf);
		r = -EMFILE;
	}
	if (r < 0) {
		free(h);
		fuse_reply_err(req, -r);
		return;
	}
	h->fresh = true;
	/* Page-cache readers (sendfile, splice: busybox cat) stop at the inode's size: make it at
	 * least this rendering's length by storing its last byte (the kernel grows the size only
	 * for a non-empty store; the open then drops the cached page). A read that comes back
	 * short shrinks the size to the exact length. */
	if (h->len) {
		struct fuse_bufvec last = FUSE_BUFVEC_INIT(1);
		last.buf[0].mem = h->buf + h->len - 1;
		fuse_lowlevel_notify_store(d->se, ino, (off_t)h->len - 1, &last, 0);
	}
	c->handles++;
	c->held += h->len;
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = 1; /* sizes are not known in advance; no page cache */
	fi->keep_cache = 0;
	if (fuse_reply_open(req, fi) != 0) { /* the opener is gone */
		c->handles--;
		c->held -= h->len;
		free(h->buf);
		free(h);
	}
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)ino;
	struct daemon *d = fuse_req_userdata(req);
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	if ((off == 0 && !h->fresh) || !h->buf) {
		struct pfs_ct *c = find_ct(d, h->ctid);
		if (!c) {
			fuse_reply_err(req, EIO); /* the container is gone */
			return;
		}
		char *buf;
		size_t len;
		int r = render(d, c, h->file, &buf, &len);
		size_t others = c->held - (c->held < h->len ? c->held : h->len);
		if (r == 0 && others + len > MAX_HELD_PER_CT) {
			free(buf);
			r = -ENOMEM;
		}
		if (r < 0) {
			fuse_reply_err(req, -r);
			return;
		}
		c->held = others + len;
		free(h->buf);
		h->buf = buf;
		h->len = len;
	}
	h->fresh = false;
	if (off < 0 || (size_t)off >= h->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	size_t n = h->len - (size_t)off;
	fuse_reply_buf(req, h->buf + off, n < size ? n : size);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	struct daemon *d = fuse_req_userdata(req);
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	struct pfs_ct *c = find_ct(d, h->ctid);
	if (c && c->handles)
		c->handles--;
	if (c)
		c->held -= c->held < h->len ? c->held : h->len;
	free(h->buf);
	free(h);
	fuse_reply_err(req, 0);
}

static const struct fuse_lowlevel_ops ops = {
	.init = op_init,
	.lookup = op_lookup,
	.getattr = op_getattr,
	.readdir = op_readdir,
	.open = op_open,
	.read = op_read,
	.release = op_release,
};

/* --- registration --- */

static void drop_ct(struct daemon *d, size_t i)
{
	close(d->cts[i].conn);
	for (size_t k = 0; k < d->cts[i].nnotify; k++)
		close(d->cts[i].notify[k]);
	free(d->cts[i].notify);
	d->cts[i] = d->cts[--d->n];
}

static void drop_notify(struct pfs_ct *c, size_t k)
{
	close(c->notify[k]);
	c->notify[k] = c->notify[--c->nnotify];
}

/* A process of container c called sysinfo(2): answer with the container's numbers, written
 * into its buffer as the kernel would. Anything else the filter sent is let through. */
static void handle_notify(struct daemon *d, struct pfs_ct *c, size_t k)
{
	int fd = c->notify[k];
	memset(d->nreq, 0, sizeof *d->nreq);
	if (seccomp_notify_receive(fd, d->nreq) < 0)
		return; /* the caller is gone (or nothing was there) */
	struct seccomp_notif_resp *resp = d->nresp;
	memset(resp, 0, sizeof *resp);
	resp->id = d->nreq->id;
	if (d->nreq->data.arch != AUDIT_ARCH_X86_64 ||
	    (d->nreq->data.nr != SYS_sysinfo && d->nreq->data.nr != SYS_sched_getaffinity)) {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	} else if (d->nreq->data.nr == SYS_sched_getaffinity) {
		unsigned char mask[MAX_CPUS / 8];
		size_t out = 0;
		int r = pfs_affinity(c, (int)d->nreq->pid, (size_t)d->nreq->data.args[1], mask,
				     sizeof mask, &out);
		struct iovec local = { mask, out };
		struct iovec remote = { (void *)(uintptr_t)d->nreq->data.args[2], out };
		if (r == 0 && seccomp_notify_id_valid(fd, d->nreq->id) == 0 &&
		    process_vm_writev(d->nreq->pid, &local, 1, &remote, 1, 0) != (ssize_t)out)
			r = -EFAULT;
		if (r == -ESRCH) /* could not tell: the kernel answers */
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		else if (r < 0)
			resp->error = r;
		else
			resp->val = (int64_t)out;
	} else {
		struct pfs_env env = { .ctx = &d->ctx, .boottime = clock_s(CLOCK_BOOTTIME),
				       .realtime = clock_s(CLOCK_REALTIME) };
		struct sysinfo si;
		load_refresh(d, c);
		int r = pfs_sysinfo(c, &env, &si);
		struct iovec local = { &si, sizeof si };
		struct iovec remote = { (void *)(uintptr_t)d->nreq->data.args[0], sizeof si };
		/* The id check makes sure the pid still names the caller before we write. */
		if (r == 0 && seccomp_notify_id_valid(fd, d->nreq->id) == 0 &&
		    process_vm_writev(d->nreq->pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof si)
			r = -EFAULT;
		resp->error = r < 0 ? r : 0;
	}
	seccomp_notify_respond(fd, resp);
}

static void fill_src(struct daemon *d, unsigned ctid, struct pfs_src *s)
{
	memset(s, 0, sizeof *s);
	s->proc = "/proc";
	struct {
		const char *name;
		char *dir;
	} ctl[] = { { "memory", s->memory }, { "cpu", s->cpu }, { "cpuacct", s->cpuacct },
		    { "cpuset", s->cpuset }, { "pids", s->pids } };
	for (size_t i = 0; i < ARRAY_SIZE(ctl); i++) {
		int r = cg_controller_dir(&d->ctx, ctid, ctl[i].name, ctl[i].dir, PATH_MAX);
		if (r == 1)
			s->v2 = true;
		if (r < 0)
			ctl[i].dir[0] = '\0';
	}
}

/* A message on a pending connection (all come from host root: the socket is 0600 in a 0700
 * directory):
 *   "R <CTID>"  a supervisor registers its container: answered "OK", the connection then
 *               stays open for the container's life;
 *   "Q <CTID>"  a process about to join the container asks whether we serve it ("OK");
 *   "N" + fd    it then hands over its seccomp listener for sysinfo(2). */
static void handle_pending(struct daemon *d, size_t pi)
{
	int fd = d->pending[pi].fd, passed = -1;
	unsigned asked = d->pending[pi].ctid;
	char msg[64];
	ssize_t n = util_recv_fd(fd, msg, sizeof msg - 1, MSG_DONTWAIT, &passed);
	if (n == -EAGAIN || n == -EINTR)
		return;
	d->pending[pi] = d->pending[--d->npending];
	unsigned ctid;
	if (n == 1 && msg[0] == 'N' && passed >= 0 && asked && d->nreq) {
		struct pfs_ct *c = find_ct(d, asked);
		int *nn = c && c->nnotify < MAX_NOTIFY_PER_CT
				  ? realloc(c->notify, (c->nnotify + 1) * sizeof *nn)
				  : NULL;
		if (nn) {
			c->notify = nn;
			c->notify[c->nnotify++] = passed;
			passed = -1;
		}
	}
	if (passed >= 0)
		close(passed);
	if (n <= 3 || (msg[0] != 'R' && msg[0] != 'Q') || msg[1] != ' ') {
		close(fd);
		return;
	}
	msg[n] = '\0';
	if (parse_ctid(msg + 2, &ctid, NULL) < 0) {
		close(fd);
		return;
	}
	if (msg[0] == 'Q') {
		if (!find_ct(d, ctid) || d->npending == MAX_PENDING ||
		    send(fd, "OK", 2, MSG_DONTWAIT | MSG_NOSIGNAL) != 2) {
			close(fd);
			return;
		}
		d->pending[d->npending].fd = fd;
		d->pending[d->npending++].ctid = ctid;
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		if (d->cts[i].ctid == ctid) {
			drop_ct(d, i); /* a supervisor that died without us noticing yet */
			break;
		}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct pfs_ct *nc = realloc(d->cts, cap * sizeof *nc);
		if (!nc) {
			close(fd);
			return;
		}
		d->cts = nc;
		d->cap = cap;
	}
	struct pfs_ct *c = &d->cts[d->n];
	memset(c, 0, sizeof *c);
	c->ctid = ctid;
	c->conn = fd;
	fill_src(d, ctid, &c->src);
	/* The container started when its supervisor did (boot-clock ticks in /proc/PID/stat). */
	struct ucred cr;
	socklen_t crl = sizeof cr;
	unsigned long long st = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crl) == 0)
		st = util_proc_starttime(cr.pid);
	long hz = sysconf(_SC_CLK_TCK);
	c->start = st ? (double)st / (double)(hz > 0 ? hz : 100) : clock_s(CLOCK_BOOTTIME);
	d->n++;
	(void)!send(fd, "OK", 2, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static int listen_ctl(const char *path, struct vireo_err *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof a.sun_path)
		return verr(err, ENAMETOOLONG, "socket path too long: %s", path);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	unlink(path);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return verr_sys(err, errno, "socket");
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || chmod(path, 0600) < 0 ||
	    listen(s, 64) < 0) {
		int e = errno;
		close(s);
		return verr_sys(err, e, "cannot listen on %s", path);
	}
	return s;
}

/* Unmount whatever is (still) mounted at mnt: a dead daemon's mount answers ENOTCONN. */
static void unmount_all(const char *mnt)
{
	for (int i = 0; i < 16 && umount2(mnt, MNT_DETACH) == 0; i++)
		;
}

static int start_fuse(struct daemon *d, struct vireo_err *err)
{
	char *argv[] = { "vireo-procfs", "-o",
			 "ro,allow_other,default_permissions,nosuid,nodev,noexec,"
			 "fsname=vireo-procfs,subtype=vireo",
			 NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	d->se = fuse_session_new(&args, &ops, sizeof ops, d);
	fuse_opt_free_args(&args);
	if (!d->se)
		return verr(err, EINVAL, "cannot create the FUSE session");
	if (fuse_session_mount(d->se, d->mnt) != 0) {
		fuse_session_destroy(d->se);
		d->se = NULL;
		return verr(err, EIO, "cannot mount FUSE on %s (is /dev/fuse there?)", d->mnt);
	}
	int fd = fuse_session_fd(d->se);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void stop_fuse(struct daemon *d)
{
	if (!d->se)
		return;
	fuse_session_unmount(d->se);
	fuse_session_destroy(d->se);
	d->se = NULL;
	unmount_all(d->mnt);
}

/* With no container left, leave unless a starter is at work (it holds start.lock). Returns
 * the start.lock fd to keep until the process exits, or -1 to stay. */
static int try_exit(struct daemon *d)
{
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/start.lock", d->dir);
	int lk = lock_take(path, true, true, NULL);
	if (lk < 0)
		return -1;
	struct pollfd p = { d->lsock, POLLIN, 0 };
	if (poll(&p, 1, 0) > 0) { /* someone connected meanwhile */
		lock_drop(lk);
		return -1;
	}
	return lk;
}

/* The poll slots before the pending connections, the supervisors and the listeners. */
enum { P_FUSE, P_SIG, P_LSOCK, P_FIXED };

/* Returns with *exit_lock holding start.lock when it left because nothing is served; the
 * caller drops it last, after daemon.lock, so a starter never sees a daemon that is leaving. */
static int serve(struct daemon *d, int sigfd, int *exit_lock)
{
	struct fuse_buf fbuf = { .mem = NULL };
	int fusefd = fuse_session_fd(d->se);
	int ret = 0;
	for (;;) {
		size_t nn = 0;
		for (size_t i = 0; i < d->n; i++)
			nn += d->cts[i].nnotify;
		size_t np = P_FIXED + d->npending + d->n + nn;
		struct pollfd *p = calloc(np, sizeof *p);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		p[P_FUSE] = (struct pollfd){ fusefd, POLLIN, 0 };
		p[P_SIG] = (struct pollfd){ sigfd, POLLIN, 0 };
		p[P_LSOCK] = (struct pollfd){ d->lsock, POLLIN, 0 };
		for (size_t i = 0; i < d->npending; i++)
			p[P_FIXED + i] = (struct pollfd){ d->pending[i].fd, POLLIN, 0 };
		for (size_t i = 0; i < d->n; i++)
			p[P_FIXED + d->npending + i] = (struct pollfd){ d->cts[i].conn, POLLIN, 0 };
		size_t q = P_FIXED + d->npending + d->n;
		for (size_t i = 0; i < d->n; i++)
			for (size_t k = 0; k < d->cts[i].nnotify; k++)
				p[q++] = (struct pollfd){ d->cts[i].notify[k], POLLIN, 0 };
		bool idle = d->n == 0 && d->npending == 0;
		int r = poll(p, np, idle ? 20 : -1);
		if (r < 0 && errno != EINTR) {
			free(p);
			ret = -errno;
			break;
		}
		bool stop = false;
		if (r > 0 && (p[P_FUSE].revents & (POLLIN | POLLERR | POLLHUP))) {
			/* Serve what is queued now; EAGAIN ends the batch. */
			for (int k = 0; k < 64; k++) {
				int n = fuse_session_receive_buf(d->se, &fbuf);
				if (n == -EINTR || n == -EAGAIN)
					break;
				if (n <= 0 || fuse_session_exited(d->se)) {
					stop = true; /* unmounted under us (ENODEV) */
					break;
				}
				fuse_session_process_buf(d->se, &fbuf);
			}
		}
		if (r > 0 && (p[P_SIG].revents & POLLIN))
			stop = true;
		/* sysinfo calls first (while the poll indexes still hold), then hang-ups of
		 * listeners (every process of that filter is gone) and of supervisors; walk
		 * backwards: removal moves the last entry into the hole. */
		size_t base = P_FIXED + d->npending, nct = d->n;
		q = base + nct;
		for (size_t i = 0; i < nct; i++) {
			size_t cnt = d->cts[i].nnotify;
			for (size_t k = 0; k < cnt; k++)
				if (r > 0 && (p[q + k].revents & POLLIN))
					handle_notify(d, &d->cts[i], k);
			for (size_t k = cnt; k-- > 0;)
				if (r > 0 && (p[q + k].revents & (POLLHUP | POLLERR)) &&
				    !(p[q + k].revents & POLLIN))
					drop_notify(&d->cts[i], k);
			q += cnt;
		}
		for (size_t i = nct; i-- > 0;)
			if (r > 0 && p[base + i].revents)
				drop_ct(d, i);
		for (size_t i = d->npending; i-- > 0;)
			if (r > 0 && p[P_FIXED + i].revents)
				handle_pending(d, i);
		if (r > 0 && (p[P_LSOCK].revents & POLLIN)) {
			int c;
			while (d->npending < MAX_PENDING &&
			       (c = accept4(d->lsock, NULL, NULL,
					    SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
				d->pending[d->npending].fd = c;
				d->pending[d->npending++].ctid = 0;
			}
		}
		free(p);
		if (stop)
			break;
		if (d->n == 0 && d->npending == 0 && (*exit_lock = try_exit(d)) >= 0)
			break;
	}
	free(fbuf.mem);
	close(d->lsock);
	d->lsock = -1;
	unlink(d->sock);
	stop_fuse(d);
	return ret;
}

static void tell(int fd, const char *msg)
{
	if (fd >= 0) {
		(void)!write(fd, msg, strlen(msg));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *root = NULL;
	int ready = -1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--root"))
			root = argv[i + 1];
		else if (!strcmp(argv[i], "--ready-fd"))
			ready = atoi(argv[i + 1]);
	}
	if (!root || root[0] != '/') {
		fprintf(stderr,
			"usage: vireo-procfs --root ROOT [--ready-fd N] (started by vireo)\n");
		return 2;
	}
	struct vireo_err err = { 0 };
	char msg[sizeof err.msg + 2];
	/* The supervisor that started us ignores some signals; start clean. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_SETMASK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);

	struct daemon *d = calloc(1, sizeof *d);
	if (!d) {
		tell(ready, "1out of memory");
		return 1;
	}
	d->lsock = -1;
	setenv("VIREO_ROOT", root, 1);
	int lk = -1, exit_lock = -1, rc = 1;
	if (ct_ctx_init(&d->ctx, &err) < 0)
		goto out;
	util_path(d->dir, sizeof d->dir, "%s/run/procfs", d->ctx.root);
	util_path(d->mnt, sizeof d->mnt, "%s/mnt", d->dir);
	util_path(d->sock, sizeof d->sock, "%s/ctl.sock", d->dir);
	char path[PATH_MAX];
	if (util_mkdir_p(d->mnt, 0755, &err) < 0)
		goto out;
	chmod(d->dir, 0700);
	util_path(path, sizeof path, "%s/daemon.lock", d->dir);
	for (int i = 0; i < 100 && (lk = lock_take(path, true, true, &err)) == -EWOULDBLOCK; i++)
		usleep(10000);
	if (lk < 0) {
		if (lk == -EWOULDBLOCK)
			verr(&err, EBUSY, "another vireo-procfs serves %s", d->ctx.root);
		goto out;
	}
	unmount_all(d->mnt);
	if ((d->lsock = listen_ctl(d->sock, &err)) < 0)
		goto out;
	if (sigfd < 0) {
		verr_sys(&err, errno, "signalfd");
		goto out;
	}
	if (seccomp_notify_alloc(&d->nreq, &d->nresp) < 0) {
		d->nreq = NULL;
		d->nresp = NULL;
	}
	if (start_fuse(d, &err) < 0)
		goto out;
	tell(ready, "0");
	ready = -1;
	rc = serve(d, sigfd, &exit_lock) < 0 ? 1 : 0;
out:
	if (rc && ready >= 0) {
		snprintf(msg, sizeof msg, "1%s", err.msg);
		tell(ready, msg);
	}
	if (d->lsock >= 0) {
		close(d->lsock);
		unlink(d->sock);
	}
	stop_fuse(d);
	while (d->n)
		drop_ct(d, d->n - 1);
	for (size_t i = 0; i < d->npending; i++)
		close(d->pending[i].fd);
	if (d->nreq)
		seccomp_notify_free(d->nreq, d->nresp);
	free(d->cts);
	free(d);
	if (sigfd >= 0)
		close(sigfd);
	lock_drop(lk);
	lock_drop(exit_lock);
	return rc;
}

/* The container's own beancounters in OpenVZ's format (src/ct/ubc.c). A kernel without
 * OpenVZ has no /proc/user_beancounters to bind this over, so inside a container it appears
 * only where that file exists (src/ct/procfs.c binds over plain files only). */
bool pfs_ubc_available(void)
{
	return true;
}

int pfs_render_ubc(const struct ct_ctx *ctx, unsigned ctid, char **out, size_t *len)
{
	struct vireo_err e = {0};
	char *text = NULL;
	*out = NULL;
	*len = 0;
	int r = ct_ubc_format(ctx, &ctid, 1, &text, &e);
	if (r < 0)
		return r;
	*out = text;
	*len = strlen(text);
	return 0;
}
