/* ct/rootfs: builds the container's mount namespace from inside it (the caller is the
 * container's first process, already in its new user and mount namespaces): the root tree,
 * a fresh /proc, read-only /sys, a minimal /dev, masked kernel files, then pivot_root with the
 * old root detached. Every mount made here lives and dies with that namespace. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/util.h"

/* Host device nodes bound into the container's /dev (mknod is not possible in a user
 * namespace, and a bind keeps the two kinds of container alike). */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

/* Files in /proc that tell about or act on the host: hidden behind /dev/null. */
static const char *const masked_files[] = {
	"proc/kcore", "proc/keys", "proc/timer_list", "proc/sched_debug", "proc/latency_stats",
	"proc/kallsyms", "proc/kmsg", "proc/kpagecount", "proc/kpageflags", "proc/kpagecgroup",
	"proc/config.gz", "proc/vmallocinfo",
};
/* Directories hidden behind an empty read-only tmpfs. */
static const char *const masked_dirs[] = { "proc/acpi", "proc/scsi", "sys/firmware",
					   "proc/asound", "sys/kernel/security" };
/* Made read-only: writing there would change the host kernel. */
static const char *const readonly_paths[] = { "proc/sys", "proc/sysrq-trigger", "proc/irq",
					      "proc/bus", "proc/fs" };

static int mnt(struct vireo_err *err, const char *src, const char *dst, const char *type,
	       unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) < 0)
		return verr_sys(err, errno, "cannot mount %s on %s", type ? type : src ? src : "(remount)", dst);
	return 0;
}

static int touch(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Is path inside the new root something we may mount on? Symlinks are refused, so a
 * container cannot steer a mount outside its tree. */
static bool plain_path(const char *path, bool dir)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return false;
	return dir ? S_ISDIR(st.st_mode) : (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode));
}

static int ensure_dir(const char *path, mode_t mode, struct vireo_err *err)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return verr(err, ENOTDIR, "/%s in the container is not a directory", path);
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return verr_sys(err, errno, "cannot create /%s in the container", path);
	return 0;
}

static int setup_dev(const struct rootfs_spec *spec, struct vireo_err *err)
{
	int r = mnt(err, "tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME,
		    "mode=755,size=1024k");
	if (r < 0)
		return r;
	char path[64], src[64];
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		snprintf(path, sizeof path, "dev/%s", dev_nodes[i]);
		snprintf(src, sizeof src, "/dev/%s", dev_nodes[i]);
		if (touch(path, 0666) < 0)
			return verr_sys(err, errno, "cannot create /%s", path);
		if ((r = mnt(err, src, path, NULL, MS_BIND, NULL)) < 0)
			return r;
		/* Read-only, so root inside cannot chmod or chown the host's own inode (writing
		 * to the device is not affected). */
		if ((r = mnt(err, NULL, path, NULL,
			     MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL)) < 0)
			return r;
	}
	if (mkdir("dev/pts", 0755) < 0 || mkdir("dev/shm", 01777) < 0 ||
	    mkdir("dev/mqueue", 0755) < 0)
		return verr_sys(err, errno, "cannot populate /dev");
	r = mnt(err, "devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		"newinstance,ptmxmode=0666,mode=0620,gid=5");
	if (r < 0)
		return r;
	if ((r = mnt(err, "shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		     "mode=1777,size=65536k")) < 0)
		return r;
	/* mqueue belongs to the IPC namespace; a failure here only costs POSIX queues. */
	mount("mqueue", "dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (symlink("pts/ptmx", "dev/ptmx") < 0 || symlink("/proc/self/fd", "dev/fd") < 0 ||
	    symlink("/proc/self/fd/0", "dev/stdin") < 0 ||
	    symlink("/proc/self/fd/1", "dev/stdout") < 0 ||
	    symlink("/proc/self/fd/2", "dev/stderr") < 0)
		return verr_sys(err, errno, "cannot populate /dev");
	if (spec->console_fd >= 0) {
		if (touch("dev/console", 0600) < 0)
			return verr_sys(err, errno, "cannot create /dev/console");
		/* Bind by path: the descriptor's mount belongs to the host's namespace, while the
		 * same path names our copy of it. */
		char fdpath[64], pts[64];
		snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", spec->console_fd);
		ssize_t n = readlink(fdpath, pts, sizeof pts - 1);
		if (n <= 0 || strncmp(pts, "/dev/pts/", 9))
			return verr(err, EINVAL, "the console is not a pseudo-terminal");
		pts[n] = '\0';
		if ((r = mnt(err, pts, "dev/console", NULL, MS_BIND, NULL)) < 0)
			return r;
	}
	return 0;
}

static int setup_proc_sys(struct vireo_err *err)
{
	int r = ensure_dir("proc", 0555, err);
	if (r == 0)
		r = ensure_dir("sys", 0555, err);
	if (r < 0)
		return r;
	r = mnt(err, "proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (r < 0)
		return r;
	if (mount("sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		/* sysfs needs a network namespace owned by our user namespace; without one,
		 * show the host's read-only. */
		r = mnt(err, "/sys", "sys", NULL, MS_BIND | MS_REC, NULL);
		if (r == 0)
			r = mnt(err, NULL, "sys", NULL,
				MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				NULL);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(masked_files); i++)
		if (plain_path(masked_files[i], false) &&
		    (r = mnt(err, "/dev/null", masked_files[i], NULL, MS_BIND, NULL)) < 0)
			return r;
	/* One empty tmpfs, bound over the others: a checkpoint has one to save, not five. */
	const char *first = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(masked_dirs); i++) {
		const char *d = masked_dirs[i];
		if (!plain_path(d, true))
			continue;
		if (!first)
			r = mnt(err, "tmpfs", d, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				"size=0,mode=555");
		else if ((r = mnt(err, first, d, NULL, MS_BIND, NULL)) == 0)
			r = mnt(err, NULL, d, NULL,
				MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		if (r < 0)
			return r;
		first = first ? first : d;
	}
	for (size_t i = 0; i < ARRAY_SIZE(readonly_paths); i++) {
		const char *p = readonly_paths[i];
		if (!plain_path(p, true) && !plain_path(p, false))
			continue;
		if ((r = mnt(err, p, p, NULL, MS_BIND | MS_REC, NULL)) < 0 ||
		    (r = mnt(err, NULL, p, NULL,
			     MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			     NULL)) < 0)
			return r;
	}
	return 0;
}

int rootfs_setup(const struct rootfs_spec *spec, struct vireo_err *err)
{
	/* Nothing done here may propagate back to the host. */
	int r = mnt(err, NULL, "/", NULL, MS_REC | MS_SLAVE, NULL);
	if (r < 0)
		return r;
	if (syscall(SYS_move_mount, spec->tree_fd, "", spec->mountpoint_fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return verr_sys(err, errno, "cannot mount the container's root on %s",
				spec->root_path);
	if (fchdir(spec->tree_fd) < 0)
		return verr_sys(err, errno, "cannot enter %s", spec->root_path);
	if ((r = setup_proc_sys(err)) < 0)
		return r;
	ct_procfs_bind(spec->procfs_fd); /* the container's own meminfo, stat... */
	if ((r = ensure_dir("dev", 0755, err)) < 0 || (r = setup_dev(spec, err)) < 0)
		return r;
	/* pivot_root(".", "."): the old root ends up under the new one; detach it at once so no
	 * path inside leads back to the host. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return verr_sys(err, errno, "pivot_root into %s", spec->root_path);
	if (umount2(".", MNT_DETACH) < 0)
		return verr_sys(err, errno, "cannot detach the host's root");
	if (chdir("/") < 0)
		return verr_sys(err, errno, "chdir /");
	return 0;
}
