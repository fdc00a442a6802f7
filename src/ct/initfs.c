/* ct/initfs: where a container without its own /sbin/init gets Vireo's init (vireo-init,
 * embedded in vireo). Run by the container's first process after pivot_root, still holding
 * its mount capabilities: it mounts a small private tmpfs on /dev/.vireo (a directory of the
 * container's own /dev tmpfs), writes vireo-init there as "init", remounts that tmpfs
 * read-only and returns the path to execute. The copy belongs to this container alone: no
 * host file is ever executed or reachable from inside (the CVE-2019-5736 class), and CRIU
 * dumps and restores it by content like any tmpfs, read-only flag included, so a container
 * running it can be checkpointed and restored. Touches nothing but that mount. */
#include "ct/ct-internal.h"

#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char vireo_init_blob[], vireo_init_blob_end[];

/* Mode 555 so nobody but root (CAP_DAC_OVERRIDE) could add a file even while it is
 * writable; size and inodes just enough for the one file; exec allowed, setuid and devices
 * not. */
#define INITFS_OPTS "mode=555,size=64k,nr_inodes=8"
#define INITFS_FLAGS (MS_NOSUID | MS_NODEV)

int ct_initfs_install(struct vireo_err *err)
{
	if (mkdir(CT_INITFS_DIR, 0555) < 0)
		return verr_sys(err, errno, "cannot create %s in the container", CT_INITFS_DIR);
	if (mount("vireo-init", CT_INITFS_DIR, "tmpfs", INITFS_FLAGS, INITFS_OPTS) < 0)
		return verr_sys(err, errno, "cannot mount a tmpfs on %s", CT_INITFS_DIR);
	int fd = open(CT_INITFS_INIT, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0555);
	if (fd < 0)
		return verr_sys(err, errno, "cannot create %s", CT_INITFS_INIT);
	int r = util_write_all(fd, vireo_init_blob, (size_t)(vireo_init_blob_end - vireo_init_blob));
	if (r == 0 && fchmod(fd, 0555) < 0) /* whatever the umask */
		r = -errno;
	/* Closed before it is executed (an open writer would make execve fail with ETXTBSY). */
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		return verr_sys(err, -r, "cannot write %s", CT_INITFS_INIT);
	/* Read-only for the superblock and the mount alike (a remount without MS_BIND sets
	 * both), which is what CRIU records and puts back after restoring the contents. */
	if (mount(NULL, CT_INITFS_DIR, NULL, MS_REMOUNT | MS_RDONLY | INITFS_FLAGS, NULL) < 0)
		return verr_sys(err, errno, "cannot make %s read-only", CT_INITFS_DIR);
	return 0;
}
