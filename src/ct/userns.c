/* ct/userns: user namespaces (the uid/gid map of a container) and idmapped mounts (a view of
 * the private area whose owners are shifted into that map without touching the files).
 * Writes only /proc/PID/{uid,gid}_map of a child it was given. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"

int userns_write_maps(pid_t pid, uint32_t base, struct vireo_err *err)
{
	char path[64], map[64];
	snprintf(map, sizeof map, "0 %u %u\n", base, CT_UIDS);
	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
	int r = util_write_str(path, map, err);
	if (r < 0)
		return r;
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
	return util_write_str(path, map, err);
}

int userns_idmapped_tree(const char *dir, int userns_fd, struct vireo_err *err)
{
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, dir,
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0)
		return verr_sys(err, errno, "cannot clone the mount of %s", dir);
	if (userns_fd < 0)
		return fd;
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_IDMAP,
		.userns_fd = (uint64_t)userns_fd,
	};
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
		    sizeof attr) < 0) {
		int e = errno;
		close(fd);
		return verr_sys(err, e, "cannot make an idmapped mount of %s",
				dir);
	}
	return fd;
}

int userns_mapped_ns(uint32_t base, struct vireo_err *err)
{
	/* A child in a new user namespace waits on a pipe while its maps are written and the
	 * namespace opened, then leaves; the namespace lives on through the descriptor. */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return verr_sys(err, errno, "pipe");
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return verr_sys(err, e, "cannot create a user namespace");
	}
	if (pid == 0) {
		char c;
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	int fd = -1;
	if (userns_write_maps(pid, base, err) == 0) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			verr_sys(err, errno, "cannot open %s", path);
	}
	close(p[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd < 0 ? -EIO : fd;
}

bool userns_idmap_supported(const char *dir)
{
	int ns = userns_mapped_ns(CT_UIDBASE_FIRST, NULL);
	if (ns < 0)
		return false;
	int fd = userns_idmapped_tree(dir, ns, NULL);
	close(ns);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
