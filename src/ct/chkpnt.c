/* ct/chkpnt: the chkpnt (suspend) and restore (resume) verbs. A checkpoint lives in
 * ROOT/dump/ID/: CRIU's images plus vireo-dump.conf (what restore needs to reconnect the
 * container to this host: its console, the host files bound into it); with --dumpfile the
 * images go into one tar file and the directory keeps only vireo-dump.conf naming it. A
 * container that is stopped and has vireo-dump.conf is "suspended". restore forks a new
 * supervisor (supervise.c), which mounts the private area in a mount namespace of its own and
 * has CRIU restore the tree as its child, so stop, exec, enter and console work as after start.
 * Touches ROOT/dump/ID, ROOT/root/ID, ROOT/run/ID and the dump file it is given. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

#define META "vireo-dump.conf"

struct ct_restore_req {
	int imgfd;
	struct conf meta;
	bool tcp_established;
};

static void dump_dir(const struct ct_ctx *ctx, unsigned ctid, char *buf, size_t size)
{
	util_path(buf, size, "%s/dump/%u", ctx->root, ctid);
}

bool ct_is_suspended(const struct ct_ctx *ctx, unsigned ctid)
{
	char p[PATH_MAX];
	util_path(p, sizeof p, "%s/dump/%u/" META, ctx->root, ctid);
	return access(p, F_OK) == 0 && !ct_is_running(ctx, ctid);
}

static int run_tar(char *const argv[], struct vireo_err *err)
{
	int r = util_run(argv, false, err);
	if (r > 0)
		return verr(err, EIO, "%s failed (status %d)%s%s", argv[0], r, err->msg[0] ? ": " : "",
			    err->msg);
	return r;
}

/* Absolute form of a path the user gave (relative to the current directory). */
static int abs_path(const char *in, char *out, size_t size, struct vireo_err *err)
{
	if (!in[0])
		return verr(err, EINVAL, "--dumpfile: empty file name");
	if (in[0] == '/')
		return util_path(out, size, "%s", in) < 0 ? verr(err, ENAMETOOLONG, "path too long") : 0;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return verr_sys(err, errno, "getcwd");
	return util_path(out, size, "%s/%s", cwd, in) < 0 ? verr(err, ENAMETOOLONG, "path too long")
							   : 0;
}

/* net.ipv4.ping_group_range of a container's network namespace (written from a child that
 * joins it): Vireo opens ping to every user inside, with the host's ids, which CRIU cannot
 * write back from inside the restored user namespace; it is cleared for the dump and set
 * again after restore (or after a failed dump). */
static void ping_range(pid_t pid, const struct ct_config *cfg, bool open_it)
{
	char path[64], val[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	if (!open_it)
		snprintf(val, sizeof val, "1 0");
	else if (cfg->userns)
		snprintf(val, sizeof val, "%u %u", cfg->uidbase, cfg->uidbase + CT_UIDS - 1);
	else
		snprintf(val, sizeof val, "0 2147483647");
	int ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return;
	pid_t c = fork();
	if (c == 0) {
		if (setns(ns, CLONE_NEWNET) < 0)
			_exit(1);
		_exit(util_write_str("/proc/sys/net/ipv4/ping_group_range", val, NULL) < 0);
	}
	close(ns);
	if (c > 0)
		while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
			;
}

void cr_ping_range_open(pid_t pid, const struct ct_config *cfg)
{
	ping_range(pid, cfg, true);
}

static int chkpnt_locked(const struct ct_ctx *ctx, const struct ct_config *cfg,
			 const char *dumpfile, struct vireo_err *err)
{
	unsigned ctid = cfg->ctid;
	char dir[PATH_MAX], file[PATH_MAX], tmp[PATH_MAX + 8], p[PATH_MAX];
	struct ct_runstate rs;
	if (dumpfile) {
		int r = abs_path(dumpfile, file, sizeof file, err);
		if (r < 0)
			return r;
		/* Check now that the file can be written: after the dump it is too late to ask. */
		snprintf(tmp, sizeof tmp, "%s.tmp", file);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return verr_sys(err, errno, "cannot write the dump file %s", file);
		close(fd);
	}
	int initfd = ct_init_pidfd(ctx, ctid, &rs, err);
	if (initfd < 0)
		goto fail_tmp;
	int supfd = (int)syscall(SYS_pidfd_open, rs.supervisor_pid, 0);
	close(initfd);
	if (supfd < 0) {
		verr(err, ESRCH, "container %u: its supervisor is gone", ctid);
		goto fail_tmp;
	}
	dump_dir(ctx, ctid, dir, sizeof dir);
	struct vireo_err e2;
	util_rm_rf(dir, &e2);
	int r = util_mkdir_p(dir, 0700, err);
	int imgfd = r < 0 ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (imgfd < 0) {
		if (r == 0)
			verr_sys(err, errno, "cannot open %s", dir);
		close(supfd);
		goto fail_tmp;
	}
	/* Its network (veth pairs to the bridge) as the supervisor recorded it: restore makes
	 * the same pairs and has CRIU move their container ends in (criu.c, netcfg.c). */
	struct conf net = { 0 };
	bool has_net = false;
	util_path(p, sizeof p, "%s/run/%u/net", ctx->root, ctid);
	if (access(p, F_OK) == 0) {
		has_net = true;
		char np[PATH_MAX];
		util_path(np, sizeof np, "%s/vireo-net.conf", dir);
		if ((r = conf_load(&net, p, err)) < 0 || (r = conf_save(&net, np, err)) < 0) {
			conf_free(&net);
			close(imgfd);
			close(supfd);
			util_rm_rf(dir, &e2);
			goto fail_tmp;
		}
		conf_free(&net);
	}
	struct conf meta = { 0 };
	if (has_net)
		ping_range(rs.init_pid, cfg, false);
	r = cr_dump(ctx, ctid, rs.init_pid, imgfd, &meta, err);
	if (r < 0) {
		if (has_net)
			ping_range(rs.init_pid, cfg, true);
		/* CRIU resumed the tree: the container runs on; keep its log for a look. */
		close(imgfd);
		close(supfd);
		conf_free(&meta);
		char log[PATH_MAX];
		util_path(log, sizeof log, "%s/dump/%u.failed.log", ctx->root, ctid);
		util_path(p, sizeof p, "%s/dump.log", dir);
		rename(p, log);
		util_rm_rf(dir, &e2);
		goto fail_tmp;
	}
	close(imgfd);
	/* The tree is gone; the supervisor cleans up and leaves. */
	if (util_poll_in(supfd, 10000) <= 0)
		kill(rs.supervisor_pid, SIGKILL);
	close(supfd);
	util_path(p, sizeof p, "%s/" META, dir);
	if ((r = conf_save(&meta, p, err)) < 0)
		goto out;
	if (dumpfile) {
		char *tar[] = { "tar", "-C", dir, "-cf", tmp, ".", NULL };
		if ((r = run_tar(tar, err)) < 0 || (r = -(rename(tmp, file) < 0 ? errno : 0)) < 0) {
			verr(err, -r, "container %u is checkpointed in %s, but the dump file %s could "
			     "not be written: %s", ctid, dir, file, err->msg);
			unlink(tmp);
			goto out;
		}
		util_rm_rf(dir, &e2);
		if ((r = util_mkdir_p(dir, 0700, err)) < 0 || conf_set(&meta, "DUMPFILE", file) < 0 ||
		    (r = conf_save(&meta, p, err)) < 0) {
			r = r < 0 ? r : verr(err, ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	conf_free(&meta);
	return r;
fail_tmp:
	if (dumpfile)
		unlink(tmp);
	return -(err->code ? err->code : EIO);
}

int ct_chkpnt(const struct ct_ctx *ctx, unsigned ctid, const char *dumpfile,
	      struct vireo_err *err)
{
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r == 0) {
		if (!ct_is_running(ctx, ctid))
			r = verr(err, ESRCH, "container %u is not running", ctid);
		else if ((r = ct_exec_check_attached(ctx, ctid, err)) == 0)
			r = chkpnt_locked(ctx, &cfg, dumpfile, err);
		ct_config_free(&cfg);
	}
	ct_unlock(ctx, ctid, lockfd);
	return r;
}

/* --- restore --- */

pid_t cr_restore_tree(const struct ct_ctx *ctx, const struct ct_config *cfg,
		      const struct ct_restore_req *req, int console_fd, struct vireo_err *err)
{
	char root[PATH_MAX], fdp[64], con[64];
	ct_path(ctx, cfg->ctid, CT_PATH_ROOT, root, sizeof root);
	/* Our own mount namespace: the private area is mounted for CRIU's --root here only. */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return verr_sys(err, errno, "cannot make the supervisor's mount namespace");
	int nsfd = -1;
	/* A user namespace with the container's map, only for the idmapped mount: the mapping,
	 * not the namespace, decides what owners the container sees (CRIU makes the real one). */
	if (cfg->userns && cfg->idmap == CT_IDMAP_MOUNT &&
	    (nsfd = userns_mapped_ns(cfg->uidbase, err)) < 0)
		return nsfd;
	int tree = quota_private_tree(ctx, cfg, nsfd, err);
	if (nsfd >= 0)
		close(nsfd);
	if (tree < 0)
		return tree;
	int r = (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH);
	int e = errno;
	close(tree);
	if (r < 0)
		return verr_sys(err, e, "cannot mount the private area on %s", root);
	/* The image directory again, from this namespace: CRIU works (and mounts) in it. */
	char img[PATH_MAX];
	snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", req->imgfd);
	ssize_t n = readlink(fdp, img, sizeof img - 1);
	int imgfd = n > 0 ? (img[n] = '\0', open(img, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) : -1;
	if (imgfd < 0) {
		umount2(root, MNT_DETACH);
		return verr_sys(err, errno, "cannot open the checkpoint");
	}
	snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", console_fd);
	n = readlink(fdp, con, sizeof con - 1);
	if (n <= 0) {
		umount2(root, MNT_DETACH);
		close(imgfd);
		return verr_sys(err, errno, "cannot name the console");
	}
	con[n] = '\0';
	/* CRIU binds the procfs daemon's files from inside the container's user namespace,
	 * which cannot pass ROOT (0700): show them, in our namespace only, under /tmp. */
	char pfs[PATH_MAX], base[64];
	snprintf(base, sizeof base, "/tmp/.vireo-restore.%d", (int)getpid());
	util_path(pfs, sizeof pfs, "%s/run/procfs/mnt", ctx->root);
	bool have_pfs = access(pfs, F_OK) == 0 && mkdir(base, 0711) == 0;
	if (have_pfs && mount(pfs, base, NULL, MS_BIND, NULL) < 0) {
		rmdir(base);
		have_pfs = false;
	}
	fcntl(console_fd, F_SETFD, 0); /* CRIU (our child) hands it to the tree as its console */
	pid_t pid = cr_restore(ctx, cfg, imgfd, &req->meta, root, console_fd, con,
			       have_pfs ? base : pfs, req->tcp_established, err);
	close(imgfd);
	fcntl(console_fd, F_SETFD, FD_CLOEXEC);
	umount2(root, MNT_DETACH);
	if (have_pfs) {
		umount2(base, MNT_DETACH);
		rmdir(base);
	}
	return pid;
}

/* CRIU reads some images from inside the restored user namespace, where root has no
 * capability over the host's files: the image directory must be searchable by others. It
 * stays unreachable to them: ROOT/dump is 0700. */
static int open_images(const char *dir, struct vireo_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return verr_sys(err, errno, "cannot open %s", dir);
	if (fchmod(fd, 0711) < 0) {
		int e = errno;
		close(fd);
		return verr_sys(err, e, "cannot chmod %s", dir);
	}
	return fd;
}

bool cr_restore_has_net(const struct ct_restore_req *req)
{
	return faccessat(req->imgfd, "vireo-net.conf", F_OK, 0) == 0;
}

/* Fork the supervisor that restores, and wait for its word. */
static int spawn_restore(const struct ct_ctx *ctx, struct ct_config *cfg, int lockfd,
			 struct ct_restore_req *req, struct vireo_err *err)
{
	int rp;
	pid_t pid = ct_fork_supervisor(lockfd, &req->imgfd, 1, &rp, err);
	if (pid < 0)
		return (int)pid;
	if (pid == 0)
		_exit(ct_supervise_restore(ctx, cfg, rp, req) < 0 ? 1 : 0);
	char msg[sizeof err->msg];
	size_t used = util_read_all(rp, msg, sizeof msg);
	close(rp);
	int r = 0;
	if (used == 0)
		r = verr(err, EIO, "container %u: the supervisor died while restoring", cfg->ctid);
	else if (msg[0] != '0')
		r = verr(err, EIO, "%s", msg + 1);
	if (r < 0)
		waitpid(pid, NULL, 0);
	return r;
}

/* A spent checkpoint leaves its place at once (renamed) and its files in the background: the
 * container is restored, nobody waits for 64 MiB of images to be unlinked. */
static void rm_later(const struct ct_ctx *ctx, unsigned ctid, const char *dir)
{
	char spent[PATH_MAX];
	util_path(spent, sizeof spent, "%s/dump/.%u.spent.%d", ctx->root, ctid, (int)getpid());
	if (rename(dir, spent) < 0) {
		util_rm_rf(dir, NULL);
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		util_rm_rf(spent, NULL);
		return;
	}
	if (pid == 0) {
		/* A grandchild does it, holding none of our descriptors (a caller may be reading
		 * our output to its end); the child leaves at once, so nothing waits on it. */
		if (fork() == 0) {
			util_close_from(3, NULL, 0);
			util_detach();
			util_rm_rf(spent, NULL);
		}
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int restore_locked(const struct ct_ctx *ctx, struct ct_config *cfg, int lockfd,
			  const char *dumpfile, bool tcp_established, struct vireo_err *err)
{
	unsigned ctid = cfg->ctid;
	char dir[PATH_MAX], p[PATH_MAX], file[PATH_MAX];
	struct vireo_err e2;
	struct ct_restore_req req = { .imgfd = -1, .tcp_established = tcp_established };
	bool recorded = false; /* the dump file is the one chkpnt --dumpfile recorded */
	struct conf rec = { 0 }; /* then: the vireo-dump.conf naming it, put back on failure */
	int r;
	if (ct_is_running(ctx, ctid))
		return verr(err, EBUSY, "container %u is already running", ctid);
	dump_dir(ctx, ctid, dir, sizeof dir);
	util_path(p, sizeof p, "%s/" META, dir);
	if (!dumpfile && access(p, F_OK) < 0)
		return verr(err, ENOENT, "container %u has no checkpoint (vireo chkpnt %u makes one)",
			    ctid, ctid);
	if (!dumpfile) {
		if ((r = conf_load(&rec, p, err)) < 0)
			return r;
		const char *f = conf_get(&rec, "DUMPFILE");
		if (f)
			snprintf(file, sizeof file, "%s", f);
		char inv[PATH_MAX];
		util_path(inv, sizeof inv, "%s/inventory.img", dir);
		if (f && access(inv, F_OK) < 0) {
			dumpfile = file;
			recorded = true;
		} else {
			conf_free(&rec);
		}
	}
	if (dumpfile) {
		char keep[PATH_MAX], what[PATH_MAX + 16];
		if ((r = abs_path(dumpfile, keep, sizeof keep, err)) < 0)
			goto out_early;
		int in = open(keep, O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			r = verr_sys(err, errno, "cannot read the dump file %s", dumpfile);
			goto out_early;
		}
		util_rm_rf(dir, &e2);
		int dfd = (r = util_mkdir_p(dir, 0700, err)) < 0
				  ? -1
				  : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		snprintf(what, sizeof what, "the dump file %s", keep);
		if (dfd < 0)
			r = r < 0 ? r : verr_sys(err, errno, "cannot open %s", dir);
		else
			r = cr_unpack(in, what, dfd, err);
		close(in);
		if (dfd >= 0)
			close(dfd);
		if (r < 0)
			goto out;
		util_path(p, sizeof p, "%s/" META, dir);
	}
	if ((r = conf_load(&req.meta, p, err)) < 0)
		goto out;
	const char *id = conf_get(&req.meta, "CTID");
	char idbuf[16];
	snprintf(idbuf, sizeof idbuf, "%u", ctid);
	if (!id || strcmp(id, idbuf)) {
		r = verr(err, EINVAL, "the checkpoint is of container %s, not %u", id ? id : "?", ctid);
		goto out;
	}
	if ((r = ct_make_run_dirs(ctx, ctid, err)) < 0)
		goto out;
	req.imgfd = open_images(dir, err);
	if (req.imgfd < 0) {
		r = req.imgfd;
		goto out;
	}
	r = spawn_restore(ctx, cfg, lockfd, &req, err);
	if (r == 0) {
		/* Restored: the checkpoint is spent; CRIU's log stays as ROOT/dump/ID.restore.log. */
		char from[PATH_MAX], to[PATH_MAX];
		util_path(from, sizeof from, "%s/restore.log", dir);
		util_path(to, sizeof to, "%s/dump/%u.restore.log", ctx->root, ctid);
		rename(from, to);
		rm_later(ctx, ctid, dir);
	}
out:
	if (r < 0 && dumpfile) { /* unpacked images go; what says where the file is stays */
		util_rm_rf(dir, &e2);
		util_path(p, sizeof p, "%s/" META, dir);
		if (recorded && util_mkdir_p(dir, 0700, &e2) == 0)
			conf_save(&rec, p, &e2);
	}
out_early:
	if (req.imgfd >= 0)
		close(req.imgfd);
	conf_free(&req.meta);
	conf_free(&rec);
	return r;
}

int ct_restore(const struct ct_ctx *ctx, unsigned ctid, const char *dumpfile,
	       bool tcp_established, struct vireo_err *err)
{
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r == 0) {
		r = restore_locked(ctx, &cfg, lockfd, dumpfile, tcp_established, err);
		ct_config_free(&cfg);
	}
	ct_unlock(ctx, ctid, lockfd);
	return r;
}
