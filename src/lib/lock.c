/* lib/lock: flock-based locks. After taking the lock we check that the path still names the
 * locked inode, so a lock file removed by a concurrent destroy is never trusted. */
#include "lib/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int lock_take(const char *path, bool exclusive, bool nowait, struct vireo_err *err)
{
	for (;;) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return verr_sys(err, errno, "cannot open lock %s", path);
		int op = (exclusive ? LOCK_EX : LOCK_SH) | (nowait ? LOCK_NB : 0);
		while (flock(fd, op) < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			close(fd);
			if (e == EWOULDBLOCK)
				return -EWOULDBLOCK;
			return verr_sys(err, e, "cannot lock %s", path);
		}
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd); /* replaced or removed under us: try again */
		if (errno == ENOENT) {
			struct stat d;
			if (stat(path, &d) < 0 && errno == ENOENT) {
				/* the directory itself may be gone */
				int r = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
				if (r < 0)
					return verr_sys(err, errno, "cannot open lock %s", path);
				close(r);
			}
		}
	}
}

void lock_drop(int fd)
{
	if (fd >= 0)
		close(fd);
}

bool lock_is_held(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	bool held = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}
