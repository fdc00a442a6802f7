/* ct/quota: disk quotas, as OpenVZ's ploop. With --diskspace a container's private area
 * ROOT/private/ID is a directory holding one file, root.img: an ext4 file system the size of
 * the hard limit, attached to a loop device and mounted (a detached mount, never visible in
 * the host's tree) while the container runs or while Vireo needs its files. Touches
 * ROOT/private/ID and ROOT/private/.ID.* of the container it is given, loop devices bound to
 * that container's image, and runs mke2fs, e2fsck and resize2fs on that image only.
 *
 * Limits. This host's kernel has no CONFIG_QUOTA, so ext4 user or project quotas are not
 * available; the hard limits are therefore the file system itself: the image holds HARD KiB
 * (rounded up to 4 KiB blocks) and mke2fs makes about HARD inodes (ext4 rounds the count up so
 * every block group gets whole inode-table blocks). Writing past either fails inside with
 * ENOSPC, as on a full disk. The soft limits (OpenVZ's barriers) are kept and reported (ubc,
 * list) but not enforced: without quota support there is no grace period to run.
 * The image is preallocated (fallocate), so a container filling its disk never takes space
 * the host had left: the host lost that space when the limit was set.
 *
 * Growing works online (fallocate, LOOP_SET_CAPACITY, EXT4_IOC_RESIZE_FS on the mounted file
 * system, as resize2fs does for a mounted one) and offline; shrinking needs the container
 * stopped (ext4 cannot shrink while mounted) and resize2fs. Changing the inode cap rebuilds
 * the file system (mke2fs -d from the old one) with the container stopped: ext4 fixes the
 * inode count per block group when it is made. Growing the disk later adds block groups and
 * with them inodes in the same proportion.
 *
 * Security: the mount is nodev (a device node in the image opens nothing; the device cgroup
 * refuses block devices anyway) but not nosuid: set-uid programs inside (su, passwd) only
 * grant the container's own root, as on the directory layout. The container sees neither the
 * image (it lives outside its root) nor a loop device node (its /dev is a fresh tmpfs with a
 * few character devices). A file system image edited on the host into a hostile shape (to
 * attack the kernel's ext4 driver) is out of scope: only the host's root can write it. */
#include "ct/ct-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/parse.h"
#include "lib/util.h"

#define IMAGE_NAME "root.img"
#define FS_BLOCK 4096u
#define MIN_KB (16u * 1024)          /* smallest image: 16 MiB (journal and metadata) */
#define MIN_INODES 64u
#define EXT4_IOC_RESIZE_FS _IOW('f', 16, uint64_t)
#define EXT4_SUPER_MAGIC 0xEF53
#define DETACH_WAIT_MS 5000

struct quota_limits {
	uint64_t kb_soft, kb_hard;   /* 0: no image */
	uint64_t ino_soft, ino_hard; /* 0: the mke2fs default for the size */
};

bool quota_is_image(const struct ct_config *cfg)
{
	const char *v = conf_get(&cfg->raw, "VE_LAYOUT");
	return v && !strcmp(v, "image");
}

static int image_path(const struct ct_ctx *ctx, unsigned ctid, char *buf, size_t size)
{
	char priv[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_PRIVATE, priv, sizeof priv);
	return util_path(buf, size, "%s/%s", priv, IMAGE_NAME);
}

/* "SOFT:HARD" as saved in the configuration (KiB or inodes). */
static int pair_load(const struct ct_config *cfg, const char *key, uint64_t *soft,
		     uint64_t *hard, struct vireo_err *err)
{
	const char *v = conf_get(&cfg->raw, key);
	*soft = *hard = 0;
	if (!v || !*v)
		return 0;
	if (parse_limit_pair(v, false, 1, soft, hard, key, NULL) < 0)
		return verr(err, EINVAL, "conf/%u.conf: invalid %s=\"%.64s\"", cfg->ctid, key, v);
	return 0;
}

static int quota_limits_load(const struct ct_config *cfg, struct quota_limits *q,
		       struct vireo_err *err)
{
	int r = pair_load(cfg, "DISKSPACE", &q->kb_soft, &q->kb_hard, err);
	if (r == 0)
		r = pair_load(cfg, "DISKINODES", &q->ino_soft, &q->ino_hard, err);
	if (r == 0 && quota_is_image(cfg) && q->kb_hard < MIN_KB)
		r = verr(err, EINVAL, "conf/%u.conf: VE_LAYOUT=\"image\" needs DISKSPACE", cfg->ctid);
	/* KiB below 2^53, so that bytes stay below 2^63 (as --diskspace itself allows) */
	if (r == 0 && q->kb_hard > ((uint64_t)INT64_MAX >> 10))
		r = verr(err, EINVAL, "conf/%u.conf: DISKSPACE is larger than 2^63 bytes", cfg->ctid);
	if (r == 0 && q->ino_hard > UINT32_MAX)
		r = verr(err, EINVAL, "conf/%u.conf: DISKINODES is larger than ext4 allows", cfg->ctid);
	return r;
}

static int quota_limits_store(struct ct_config *cfg, const struct quota_limits *q,
			struct vireo_err *err)
{
	char a[64], b[64];
	snprintf(a, sizeof a, "%llu:%llu", (unsigned long long)q->kb_soft,
		 (unsigned long long)q->kb_hard);
	snprintf(b, sizeof b, "%llu:%llu", (unsigned long long)q->ino_soft,
		 (unsigned long long)q->ino_hard);
	int r = conf_set(&cfg->raw, "VE_LAYOUT", "image");
	r |= conf_set(&cfg->raw, "DISKSPACE", a);
	r |= conf_set(&cfg->raw, "DISKINODES", q->ino_hard ? b : NULL);
	return r ? verr(err, ENOMEM, "out of memory") : 0;
}

/* --- loop devices --- */

/* The loop device already bound to the image (dev, ino), as an open fd, or -ENOENT. */
static int loop_find(const struct stat *img, int flags, char *name, size_t size)
{
	DIR *d = opendir("/sys/block");
	if (!d)
		return -errno;
	struct dirent *de;
	int found = -ENOENT;
	while (found < 0 && (de = readdir(d))) {
		char p[PATH_MAX];
		if (strncmp(de->d_name, "loop", 4))
			continue;
		snprintf(p, sizeof p, "/sys/block/%s/loop/backing_file", de->d_name);
		if (access(p, F_OK) < 0)
			continue; /* not bound */
		snprintf(p, sizeof p, "/dev/%s", de->d_name);
		int fd = open(p, flags | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct loop_info64 li;
		if (ioctl(fd, LOOP_GET_STATUS64, &li) == 0 && li.lo_device == img->st_dev &&
		    li.lo_inode == img->st_ino) {
			found = fd;
			if (name)
				snprintf(name, size, "%s", p);
		}
		else
			close(fd);
	}
	closedir(d);
	return found;
}

/* Bind imgfd to a free loop device with autoclear (the kernel detaches it when its last user,
 * the mount, goes away), or reuse the one the image is already bound to (a running
 * container's: mounting it again shares its file system, never a second one). */
static int loop_attach(int imgfd, const char *img, char *name, size_t size,
		       struct vireo_err *err)
{
	struct stat st;
	if (fstat(imgfd, &st) < 0)
		return verr_sys(err, errno, "cannot stat %s", img);
	int fd = loop_find(&st, O_RDWR, name, size);
	if (fd >= 0)
		return fd;
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return verr_sys(err, errno, "cannot open /dev/loop-control");
	for (int tries = 0; tries < 64; tries++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0) {
			int e = errno;
			close(ctl);
			return verr_sys(err, e, "no free loop device");
		}
		char dev[64];
		snprintf(dev, sizeof dev, "/dev/loop%d", n);
		fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			close(ctl);
			return verr_sys(err, e, "cannot open %s", dev);
		}
		struct loop_config lc;
		memset(&lc, 0, sizeof lc);
		lc.fd = (uint32_t)imgfd;
		lc.info.lo_flags = LO_FLAGS_AUTOCLEAR;
		snprintf((char *)lc.info.lo_file_name, sizeof lc.info.lo_file_name, "%s", img);
		if (ioctl(fd, LOOP_CONFIGURE, &lc) == 0) {
			close(ctl);
			snprintf(name, size, "%s", dev);
			return fd;
		}
		int e = errno;
		close(fd);
		if (e != EBUSY) { /* EBUSY: someone else took it first; ask again */
			close(ctl);
			return verr_sys(err, e, "cannot attach %s to %s", img, dev);
		}
	}
	close(ctl);
	return verr(err, EBUSY, "cannot attach %s: every loop device is busy", img);
}

/* A detached mount of the ext4 file system on loop device loopfd. */
static int fs_mount(const char *dev, const char *img, struct vireo_err *err)
{
	int fsfd = (int)syscall(SYS_fsopen, "ext4", FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return verr_sys(err, errno, "cannot mount %s: fsopen ext4", img);
	int mfd = -1;
	if (syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "source", dev, 0) < 0 ||
	    syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	    (mfd = (int)syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV)) < 0) {
		int e = errno;
		close(fsfd);
		return verr_sys(err, e, "cannot mount %s (%s)", img, dev);
	}
	close(fsfd);
	return mfd;
}

/* Attach and mount the image: a directory fd on its root. Closing it releases the mount and,
 * when nothing else uses them, the file system and the loop device. */
static int image_open(const char *img, struct vireo_err *err)
{
	int imgfd = open(img, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (imgfd < 0)
		return verr_sys(err, errno, "cannot open the disk image %s", img);
	struct stat st;
	if (fstat(imgfd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(imgfd);
		return verr(err, EINVAL, "%s is not a disk image", img);
	}
	char dev[64];
	int loopfd = loop_attach(imgfd, img, dev, sizeof dev, err);
	close(imgfd);
	if (loopfd < 0)
		return loopfd;
	int mfd = fs_mount(dev, img, err);
	close(loopfd);
	return mfd;
}

/* The same as an ordinary directory fd (a mount fd is O_PATH: no fchmod, no futimens). The
 * mount lives on, detached, for as long as this fd does. */
static int image_open_dir(const char *img, struct vireo_err *err)
{
	int mfd = image_open(img, err);
	if (mfd < 0)
		return mfd;
	int fd = openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	close(mfd);
	return fd < 0 ? verr_sys(err, e, "cannot open the root of %s", img) : fd;
}

/* Wait until no loop device is bound to the image; clear a leftover one nobody uses. */
static int loop_wait_detached(const char *img, int timeout_ms)
{
	struct stat st;
	if (stat(img, &st) < 0)
		return 0;
	long long end = util_now_ms() + timeout_ms;
	for (;;) {
		int fd = loop_find(&st, O_RDONLY, NULL, 0);
		if (fd < 0)
			return 0;
		/* An idle binding (no mount): clearing it is safe; a busy one refuses. */
		ioctl(fd, LOOP_CLR_FD, 0);
		close(fd);
		if (util_now_ms() >= end)
			return -EBUSY;
		usleep(20000);
	}
}

/* --- what the rest of the engine calls --- */

int quota_private_open(const struct ct_ctx *ctx, const struct ct_config *cfg,
		       struct vireo_err *err)
{
	char p[PATH_MAX];
	if (quota_is_image(cfg)) {
		image_path(ctx, cfg->ctid, p, sizeof p);
		return image_open_dir(p, err);
	}
	ct_path(ctx, cfg->ctid, CT_PATH_PRIVATE, p, sizeof p);
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? verr_sys(err, errno, "cannot open %s", p) : fd;
}

int quota_private_tree(const struct ct_ctx *ctx, const struct ct_config *cfg, int userns_fd,
		       struct vireo_err *err)
{
	char p[PATH_MAX];
	if (!quota_is_image(cfg)) {
		ct_path(ctx, cfg->ctid, CT_PATH_PRIVATE, p, sizeof p);
		return userns_idmapped_tree(p, userns_fd, err);
	}
	struct quota_limits q;
	int r = quota_limits_load(cfg, &q, err);
	if (r < 0)
		return r;
	image_path(ctx, cfg->ctid, p, sizeof p);
	int mfd = image_open(p, err);
	if (mfd < 0 || userns_fd < 0)
		return mfd;
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd };
	if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
		int e = errno;
		close(mfd);
		return verr_sys(err, e, "cannot make an idmapped mount of %s", p);
	}
	return mfd;
}

void quota_after_stop(const struct ct_ctx *ctx, const struct ct_config *cfg)
{
	char p[PATH_MAX];
	if (!quota_is_image(cfg))
		return;
	image_path(ctx, cfg->ctid, p, sizeof p);
	loop_wait_detached(p, DETACH_WAIT_MS);
}

int quota_release(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	char p[PATH_MAX];
	image_path(ctx, ctid, p, sizeof p);
	if (loop_wait_detached(p, DETACH_WAIT_MS) < 0)
		return verr(err, EBUSY, "the disk image of container %u is still in use", ctid);
	return 0;
}

/* --- usage --- */

/* From the superblock of an image nobody has mounted (its counters are current then). */
static int usage_from_super(const char *img, struct ct_quota_usage *u, uint64_t *inodes_total,
			    struct vireo_err *err)
{
	unsigned char sb[1024];
	int fd = open(img, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return verr_sys(err, errno, "cannot open the disk image %s", img);
	ssize_t n = pread(fd, sb, sizeof sb, 1024);
	close(fd);
#define LE32(o) ((uint64_t)sb[o] | (uint64_t)sb[(o) + 1] << 8 | (uint64_t)sb[(o) + 2] << 16 | \
		 (uint64_t)sb[(o) + 3] << 24)
	if (n != (ssize_t)sizeof sb || (sb[0x38] | sb[0x39] << 8) != EXT4_SUPER_MAGIC ||
	    LE32(0x18) > 6)
		return verr(err, EINVAL, "%s is not an ext4 image", img);
	uint64_t bsize = 1024ull << LE32(0x18);
	bool is64 = LE32(0x60) & 0x80; /* INCOMPAT_64BIT */
	uint64_t blocks = LE32(0x04) | (is64 ? LE32(0x150) << 32 : 0);
	uint64_t bfree = LE32(0x0C) | (is64 ? LE32(0x158) << 32 : 0);
	uint64_t overhead = LE32(0x248);
	uint64_t used = blocks > bfree + overhead ? blocks - bfree - overhead : 0;
	u->blocks_used = used * (bsize / 1024);
	u->inodes_used = LE32(0x00) - LE32(0x10);
	*inodes_total = LE32(0x00);
#undef LE32
	return 0;
}

int ct_quota_usage(const struct ct_ctx *ctx, unsigned ctid, struct ct_quota_usage *u,
		   struct vireo_err *err)
{
	struct ct_config cfg;
	memset(u, 0, sizeof *u);
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0)
		return r;
	struct quota_limits q;
	if ((r = quota_limits_load(&cfg, &q, err)) < 0 || !quota_is_image(&cfg))
		goto out;
	u->limited = true;
	u->blocks_soft = q.kb_soft;
	u->blocks_hard = q.kb_hard;
	u->inodes_soft = q.ino_soft;
	u->inodes_hard = q.ino_hard;
	/* A running container's file system, seen through its init's root: exact and cheap.
	 * A stopped one's superblock, whose counters are current once it is unmounted. */
	struct ct_runstate rs;
	char p[PATH_MAX];
	struct statfs sf;
	uint64_t total = 0;
	bool live = false;
	if (ct_is_running(ctx, ctid) && ct_runstate_load(ctx, ctid, &rs, NULL) == 0) {
		snprintf(p, sizeof p, "/proc/%d/root", (int)rs.init_pid);
		live = statfs(p, &sf) == 0 && sf.f_type == EXT4_SUPER_MAGIC &&
		       util_proc_starttime(rs.init_pid) == rs.init_start;
	}
	if (live) {
		u->blocks_used = (uint64_t)(sf.f_blocks - sf.f_bfree) * (uint64_t)sf.f_bsize / 1024;
		u->inodes_used = (uint64_t)(sf.f_files - sf.f_ffree);
		total = (uint64_t)sf.f_files;
	} else {
		image_path(ctx, ctid, p, sizeof p);
		r = usage_from_super(p, u, &total, err);
	}
	if (!u->inodes_hard) /* no cap asked for: the file system's own count is the limit */
		u->inodes_soft = u->inodes_hard = total;
out:
	ct_config_free(&cfg);
	return r;
}

/* --- making, growing and shrinking images --- */

struct tree_usage {
	uint64_t kb, inodes;
};

/* Add up the blocks and inodes of the tree at dirfd (closed here), staying on its file system
 * and never following a symlink. */
static int walk(int dirfd, dev_t dev, int depth, struct tree_usage *u)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return -errno;
	}
	if (depth > 512) {
		closedir(d);
		return -ELOOP;
	}
	struct dirent *de;
	int r = 0;
	while (r == 0 && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -errno;
			break;
		}
		u->kb += (uint64_t)st.st_blocks / 2;
		u->inodes++;
		if (S_ISDIR(st.st_mode) && st.st_dev == dev) {
			int fd = openat(dirfd, de->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			r = fd < 0 ? -errno : walk(fd, dev, depth + 1, u);
		}
	}
	closedir(d);
	return r;
}

static int tree_usage(const char *dir, struct tree_usage *u, struct vireo_err *err)
{
	memset(u, 0, sizeof *u);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return verr_sys(err, e, "cannot measure %s", dir);
	}
	u->kb = (uint64_t)st.st_blocks / 2;
	u->inodes = 1;
	int r = walk(fd, st.st_dev, 0, u);
	return r < 0 ? verr_sys(err, -r, "cannot measure %s", dir) : 0;
}

static int run(struct vireo_err *err, const char *what, char *const argv[])
{
	int st = util_run(argv, false, err);
	if (st < 0)
		return st;
	if (st != 0)
		return verr(err, EIO, "%s failed (%s exit %d): %s", what, argv[0], st, err->msg);
	return 0;
}

/* Make img (which must not exist) holding kb KiB, about inodes inodes (0: default), filled
 * from srcdir (NULL: empty) keeping owners, modes, times, xattrs and hard links (mke2fs -d);
 * its root gets srcdir's owner and mode. */
static int image_make(const char *img, uint64_t kb, uint64_t inodes, const char *srcdir,
		      const struct stat *root, struct vireo_err *err)
{
	uint64_t bytes = (kb * 1024 + FS_BLOCK - 1) / FS_BLOCK * FS_BLOCK;
	int fd = open(img, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return verr_sys(err, errno, "cannot create %s", img);
	int r = 0;
	if (fallocate(fd, 0, 0, (off_t)bytes) < 0)
		r = verr_sys(err, errno, "cannot allocate %llu KiB for %s on the host",
			     (unsigned long long)(bytes / 1024), img);
	close(fd);
	if (r < 0)
		goto fail;
	char ino[32], ext[96];
	snprintf(ino, sizeof ino, "%llu", (unsigned long long)inodes);
	snprintf(ext, sizeof ext, "nodiscard,root_owner=%u:%u", (unsigned)root->st_uid,
		 (unsigned)root->st_gid);
	char *argv[20];
	int n = 0;
	argv[n++] = "mke2fs";
	argv[n++] = "-q";
	argv[n++] = "-F";
	argv[n++] = "-t";
	argv[n++] = "ext4";
	argv[n++] = "-b";
	argv[n++] = "4096";
	argv[n++] = "-m";
	argv[n++] = "0";
	argv[n++] = "-E";
	argv[n++] = ext;
	if (inodes) {
		argv[n++] = "-N";
		argv[n++] = ino;
	}
	if (srcdir) {
		argv[n++] = "-d";
		argv[n++] = (char *)srcdir;
	}
	argv[n++] = (char *)img;
	argv[n] = NULL;
	if ((r = run(err, "making the disk image", argv)) < 0)
		goto fail;
	/* mke2fs -d leaves the root's mode at 0755: give it the source's, and lost+found the
	 * root's owner (root inside the container). */
	int mfd = image_open_dir(img, err);
	if (mfd < 0) {
		r = mfd;
		goto fail;
	}
	if (fchmod(mfd, root->st_mode & 07777) < 0 ||
	    fchownat(mfd, "lost+found", root->st_uid, root->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		r = verr_sys(err, errno, "cannot set up the root of %s", img);
	struct timespec ts[2] = { root->st_atim, root->st_mtim };
	if (r == 0)
		futimens(mfd, ts);
	close(mfd);
	loop_wait_detached(img, DETACH_WAIT_MS);
	if (r == 0)
		return 0;
fail:
	unlink(img);
	return r;
}

static int fsck_clean(const char *img, struct vireo_err *err)
{
	char *fsck[] = { "e2fsck", "-f", "-p", (char *)img, NULL };
	int st = util_run(fsck, true, err);
	if (st < 0)
		return st;
	if (st > 1) /* 1: errors corrected */
		return verr(err, EIO, "e2fsck found errors in %s it could not fix (exit %d)", img,
			    st);
	return 0;
}

/* Grow an image to kb KiB: online through the running container's loop device and file
 * system (EXT4_IOC_RESIZE_FS, which the kernel allows only with CAP_SYS_RESOURCE), or
 * offline with resize2fs. */
static int image_grow(const char *img, uint64_t kb, bool online, struct vireo_err *err)
{
	uint64_t bytes = (kb * 1024 + FS_BLOCK - 1) / FS_BLOCK * FS_BLOCK;
	int imgfd = open(img, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (imgfd < 0)
		return verr_sys(err, errno, "cannot open the disk image %s", img);
	struct stat st;
	if (fstat(imgfd, &st) < 0) {
		close(imgfd);
		return verr_sys(err, errno, "cannot stat %s", img);
	}
	off_t old = st.st_size;
	if ((uint64_t)old >= bytes) {
		close(imgfd);
		return 0;
	}
	if (fallocate(imgfd, 0, old, (off_t)bytes - old) < 0) {
		int e = errno;
		ftruncate(imgfd, old);
		close(imgfd);
		return verr_sys(err, e, "cannot grow %s to %llu KiB on the host", img,
				(unsigned long long)(bytes / 1024));
	}
	char dev[64];
	int r, loopfd = -1, mfd = -1;
	if (!online) {
		char size[32];
		snprintf(size, sizeof size, "%lluK", (unsigned long long)(bytes / 1024));
		char *rs[] = { "resize2fs", (char *)img, size, NULL };
		if ((r = fsck_clean(img, err)) < 0 ||
		    (r = run(err, "growing the disk image", rs)) < 0)
			goto undo;
		close(imgfd);
		return 0;
	}
	loopfd = loop_attach(imgfd, img, dev, sizeof dev, err);
	if (loopfd < 0) {
		r = loopfd;
		goto undo;
	}
	if (ioctl(loopfd, LOOP_SET_CAPACITY, 0) < 0) {
		r = verr_sys(err, errno, "cannot tell the loop device of %s its new size", img);
		goto undo;
	}
	if ((mfd = fs_mount(dev, img, err)) < 0) {
		r = mfd;
		goto undo;
	}
	uint64_t nblocks = bytes / FS_BLOCK;
	int dfd = openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* mfd is O_PATH */
	int rr = dfd < 0 ? -1 : ioctl(dfd, EXT4_IOC_RESIZE_FS, &nblocks);
	if (dfd >= 0)
		close(dfd);
	if (rr < 0) {
		if (errno == EPERM)
			r = verr(err, EPERM, "cannot grow the disk while the container runs: the kernel "
				 "lets only CAP_SYS_RESOURCE resize a mounted ext4, and this host "
				 "withholds it; stop the container and set --diskspace again");
		else
			r = verr_sys(err, errno, "cannot grow the file system in %s", img);
		goto undo;
	}
	close(mfd);
	close(loopfd);
	close(imgfd);
	return 0;
undo:
	/* The file system never used the new space: give it back. */
	if (mfd >= 0)
		close(mfd);
	ftruncate(imgfd, old);
	if (loopfd >= 0) {
		ioctl(loopfd, LOOP_SET_CAPACITY, 0);
		close(loopfd);
	}
	close(imgfd);
	return r;
}

/* The smallest size resize2fs could shrink the image to, in KiB (resize2fs -P). */
static int image_min_kb(const char *img, uint64_t *kb, struct vireo_err *err)
{
	char *argv[] = { "resize2fs", "-P", (char *)img, NULL }, *out = NULL;
	int st = 0;
	if (util_capture(argv, 64 * 1024, &out, &st, NULL) < 0)
		return verr(err, EIO, "resize2fs cannot tell how small %s can be", img);
	const char *key = "Estimated minimum size of the filesystem: ";
	const char *at = strstr(out, key);
	unsigned long long blocks;
	bool ok = st == 0 && at && sscanf(at + strlen(key), "%llu", &blocks) == 1;
	free(out);
	if (!ok)
		return verr(err, EIO, "resize2fs cannot tell how small %s can be", img);
	*kb = blocks * (FS_BLOCK / 1024);
	return 0;
}

static int image_shrink(const char *img, uint64_t kb, struct vireo_err *err)
{
	char size[32];
	uint64_t bytes = (kb * 1024 + FS_BLOCK - 1) / FS_BLOCK * FS_BLOCK;
	snprintf(size, sizeof size, "%lluK", (unsigned long long)(bytes / 1024));
	char *rs[] = { "resize2fs", (char *)img, size, NULL };
	int r = fsck_clean(img, err);
	if (r == 0)
		r = run(err, "shrinking the disk image", rs);
	if (r < 0)
		return r;
	if (truncate(img, (off_t)bytes) < 0)
		return verr_sys(err, errno, "cannot shrink %s", img);
	return 0;
}

/* Rename a staged path (.ID.quota/...) over the real one, or swap two directories. */
static int exchange(const char *a, const char *b, struct vireo_err *err)
{
	if (syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) < 0)
		return verr_sys(err, errno, "cannot exchange %s and %s", a, b);
	return 0;
}

static int stage_dir(const struct ct_ctx *ctx, unsigned ctid, char *dir, size_t size,
		     struct vireo_err *err)
{
	util_path(dir, size, "%s/private/.%u.quota", ctx->root, ctid);
	util_rm_rf(dir, NULL);
	if (mkdir(dir, 0700) < 0)
		return verr_sys(err, errno, "cannot create %s", dir);
	return 0;
}

/* Request parsed and checked against the configuration: the new limits. */
static int request(const struct ct_config *cfg, const char *space, const char *inodes,
		   struct quota_limits *q, struct vireo_err *err)
{
	int r = quota_limits_load(cfg, q, err);
	if (r < 0)
		return r;
	if (!quota_is_image(cfg)) {
		q->kb_soft = q->kb_hard = 0; /* limits of a directory area mean nothing yet */
		q->ino_soft = q->ino_hard = 0;
	}
	uint64_t s, h;
	if (space) {
		if ((r = parse_limit_pair(space, true, 1024, &s, &h, "--diskspace", err)) < 0)
			return r;
		q->kb_soft = (s + 1023) / 1024;
		q->kb_hard = (h + 1023) / 1024;
		if (q->kb_hard < MIN_KB)
			return verr(err, EINVAL, "invalid --diskspace '%.64s': the hard limit must be "
				    "at least %uM", space, MIN_KB / 1024);
	} else if (!q->kb_hard) {
		return verr(err, EINVAL,
			    "--diskinodes needs a disk image: give --diskspace too");
	}
	if (inodes) {
		if ((r = parse_limit_pair(inodes, false, 1, &s, &h, "--diskinodes", err)) < 0)
			return r;
		if (h < MIN_INODES || h > UINT32_MAX)
			return verr(err, EINVAL, "invalid --diskinodes '%.64s': the hard limit must be "
				    "from %u to %u", inodes, MIN_INODES, UINT32_MAX);
		q->ino_soft = s;
		q->ino_hard = h;
	}
	return 0;
}

int quota_create_stage(const struct ct_ctx *ctx, struct ct_config *cfg, const char *stage,
		       const char *space, const char *inodes, struct vireo_err *err)
{
	struct quota_limits q;
	struct tree_usage tu;
	struct stat root;
	char qdir[PATH_MAX], img[PATH_MAX];
	int r = request(cfg, space, inodes, &q, err);
	if (r < 0)
		return r;
	if (lstat(stage, &root) < 0)
		return verr_sys(err, errno, "cannot stat %s", stage);
	if ((r = tree_usage(stage, &tu, err)) < 0)
		return r;
	if (tu.kb > q.kb_hard)
		return verr(err, ENOSPC, "the template needs %llu KiB, more than --diskspace allows",
			    (unsigned long long)tu.kb);
	if (q.ino_hard && tu.inodes > q.ino_hard)
		return verr(err, ENOSPC, "the template has %llu files, more than --diskinodes allows",
			    (unsigned long long)tu.inodes);
	if ((r = stage_dir(ctx, cfg->ctid, qdir, sizeof qdir, err)) < 0)
		return r;
	util_path(img, sizeof img, "%s/%s", qdir, IMAGE_NAME);
	if ((r = image_make(img, q.kb_hard, q.ino_hard, stage, &root, err)) < 0)
		goto fail;
	if ((r = exchange(qdir, stage, err)) < 0)
		goto fail;
	util_rm_rf(qdir, NULL); /* now the unpacked tree */
	return quota_limits_store(cfg, &q, err);
fail:
	util_rm_rf(qdir, NULL);
	return r;
}

/* A directory area becomes an image; the container is stopped. */
static int convert(const struct ct_ctx *ctx, struct ct_config *cfg, const struct quota_limits *q,
		   struct vireo_err *err)
{
	char priv[PATH_MAX], qdir[PATH_MAX], img[PATH_MAX];
	struct tree_usage tu;
	struct stat root;
	ct_path(ctx, cfg->ctid, CT_PATH_PRIVATE, priv, sizeof priv);
	if (lstat(priv, &root) < 0 || !S_ISDIR(root.st_mode))
		return verr(err, ENOENT, "container %u has no private area (%s)", cfg->ctid, priv);
	int r = tree_usage(priv, &tu, err);
	if (r < 0)
		return r;
	if (tu.kb > q->kb_hard)
		return verr(err, ENOSPC, "container %u uses %llu KiB: --diskspace cannot be below that",
			    cfg->ctid, (unsigned long long)tu.kb);
	if (q->ino_hard && tu.inodes > q->ino_hard)
		return verr(err, ENOSPC, "container %u has %llu files: --diskinodes cannot be below that",
			    cfg->ctid, (unsigned long long)tu.inodes);
	if ((r = stage_dir(ctx, cfg->ctid, qdir, sizeof qdir, err)) < 0)
		return r;
	util_path(img, sizeof img, "%s/%s", qdir, IMAGE_NAME);
	if ((r = image_make(img, q->kb_hard, q->ino_hard, priv, &root, err)) < 0) {
		if (r == -EIO)
			r = verr(err, ENOSPC, "container %u's files (%llu KiB, %llu files) do not fit "
				 "in the disk image with its file system overhead: give more --diskspace",
				 cfg->ctid, (unsigned long long)tu.kb, (unsigned long long)tu.inodes);
		goto fail;
	}
	/* The image takes the directory's place in one step; the configuration follows. A crash
	 * between the two leaves private/ID holding root.img and the old tree in .ID.quota. */
	if ((r = exchange(qdir, priv, err)) < 0)
		goto fail;
	struct quota_limits keep = *q;
	if ((r = quota_limits_store(cfg, &keep, err)) < 0 || (r = ct_config_save(ctx, cfg, err)) < 0) {
		exchange(qdir, priv, NULL);
		conf_set(&cfg->raw, "VE_LAYOUT", NULL);
		goto fail;
	}
	util_rm_rf(qdir, NULL); /* the old tree */
	return 0;
fail:
	util_rm_rf(qdir, NULL);
	return r;
}

/* A new image with another inode count, filled from the old one; the container is stopped. */
static int rebuild(const struct ct_ctx *ctx, struct ct_config *cfg, const struct quota_limits *q,
		   struct vireo_err *err)
{
	char qdir[PATH_MAX], img[PATH_MAX], old[PATH_MAX], src[64];
	image_path(ctx, cfg->ctid, old, sizeof old);
	int r = stage_dir(ctx, cfg->ctid, qdir, sizeof qdir, err);
	if (r < 0)
		return r;
	util_path(img, sizeof img, "%s/%s", qdir, IMAGE_NAME);
	int mfd = image_open_dir(old, err);
	if (mfd < 0) {
		r = mfd;
		goto out;
	}
	struct stat root;
	struct statfs sf;
	if (fstat(mfd, &root) < 0 || fstatfs(mfd, &sf) < 0) {
		r = verr_sys(err, errno, "cannot stat %s", old);
		close(mfd);
		goto out;
	}
	uint64_t used = (uint64_t)(sf.f_files - sf.f_ffree);
	if (used > q->ino_hard) {
		r = verr(err, ENOSPC, "container %u has %llu files: --diskinodes cannot be below that",
			 cfg->ctid, (unsigned long long)used);
		close(mfd);
		goto out;
	}
	/* mke2fs reads the old tree through our descriptor, inherited by path. */
	fcntl(mfd, F_SETFD, 0);
	snprintf(src, sizeof src, "/proc/%d/fd/%d", (int)getpid(), mfd);
	r = image_make(img, q->kb_hard, q->ino_hard, src, &root, err);
	close(mfd);
	loop_wait_detached(old, DETACH_WAIT_MS);
	if (r < 0)
		goto out;
	if (rename(img, old) < 0) {
		r = verr_sys(err, errno, "cannot replace %s", old);
		goto out;
	}
	struct quota_limits keep = *q;
	if ((r = quota_limits_store(cfg, &keep, err)) == 0)
		r = ct_config_save(ctx, cfg, err);
out:
	util_rm_rf(qdir, NULL);
	return r;
}

int quota_set(const struct ct_ctx *ctx, struct ct_config *cfg, const char *space,
	      const char *inodes, bool running, struct vireo_err *err)
{
	struct quota_limits cur, q;
	int r = quota_limits_load(cfg, &cur, err);
	if (r < 0)
		return r;
	if ((r = request(cfg, space, inodes, &q, err)) < 0)
		return r;
	bool image = quota_is_image(cfg);
	if (!image) {
		if (running)
			return verr(err, EBUSY, "container %u is running: stop it to move its files "
				    "into a disk image (--diskspace)", cfg->ctid);
		return convert(ctx, cfg, &q, err);
	}
	/* Check against what is in use first: that refusal names the real problem. */
	struct ct_quota_usage u;
	if ((r = ct_quota_usage(ctx, cfg->ctid, &u, err)) < 0)
		return r;
	if (q.kb_hard < u.blocks_used)
		return verr(err, ENOSPC, "container %u uses %llu KiB: --diskspace cannot be below that",
			    cfg->ctid, (unsigned long long)u.blocks_used);
	if (q.ino_hard && q.ino_hard < u.inodes_used)
		return verr(err, ENOSPC, "container %u has %llu files: --diskinodes cannot be below that",
			    cfg->ctid, (unsigned long long)u.inodes_used);
	bool inodes_change = inodes && q.ino_hard != cur.ino_hard;
	char img[PATH_MAX];
	image_path(ctx, cfg->ctid, img, sizeof img);
	if (q.kb_hard < cur.kb_hard || inodes_change) {
		if (running)
			return verr(err, EBUSY, "container %u is running: stop it to %s", cfg->ctid,
				    inodes_change ? "change its inode limit (the file system is rebuilt)"
						  : "shrink its disk (ext4 cannot shrink while mounted)");
		if (q.kb_hard < cur.kb_hard) {
			uint64_t min = 0;
			if ((r = image_min_kb(img, &min, err)) < 0)
				return r;
			if (q.kb_hard < min)
				return verr(err, ENOSPC, "container %u needs at least %llu KiB: "
					    "--diskspace cannot be below that", cfg->ctid,
					    (unsigned long long)min);
		}
	}
	if (inodes_change) /* at the new size directly */
		return rebuild(ctx, cfg, &q, err);
	if (!running && (r = quota_release(ctx, cfg->ctid, err)) < 0)
		return r; /* offline tools need the image to themselves */
	if (q.kb_hard > cur.kb_hard && (r = image_grow(img, q.kb_hard, running, err)) < 0)
		return r;
	if (q.kb_hard < cur.kb_hard && (r = image_shrink(img, q.kb_hard, err)) < 0)
		return r;
	if ((r = quota_limits_store(cfg, &q, err)) < 0)
		return r;
	return ct_config_save(ctx, cfg, err);
}
