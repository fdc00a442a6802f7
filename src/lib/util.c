/* lib/util: file and process helpers. No global state; callers own every fd and buffer. */
#include "lib/util.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <sys/socket.h>
#include <poll.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int util_read_fileat(int dirfd, const char *path, size_t max, char **out, size_t *len,
		     struct vireo_err *err)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return verr_sys(err, errno, "cannot open %s", path);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return verr(err, ENOMEM, "out of memory reading %s", path);
	}
	for (;;) {
		if (n + 1 >= cap) {
			/* n <= max here; growing is bounded by the n > max check below. */
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return verr(err, ENOMEM, "out of memory reading %s", path);
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			return verr_sys(err, e, "cannot read %s", path);
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			close(fd);
			return verr(err, EFBIG, "%s is larger than %zu bytes", path, max);
		}
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

int util_read_file(const char *path, size_t max, char **out, size_t *len, struct vireo_err *err)
{
	return util_read_fileat(AT_FDCWD, path, max, out, len, err);
}

int util_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int util_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
			   struct vireo_err *err)
{
	char tmp[PATH_MAX];
	if (util_path(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return verr_sys(err, errno, "cannot create %s", tmp);
	int r = util_write_all(fd, data, len);
	if (r == 0 && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return verr_sys(err, -r, "cannot write %s", path);
	}
	/* Make the rename durable. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
}

int util_write_str(const char *path, const char *s, struct vireo_err *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return verr_sys(err, errno, "cannot open %s", path);
	int r = util_write_all(fd, s, strlen(s));
	close(fd);
	if (r < 0)
		return verr_sys(err, -r, "cannot write '%s' to %s", s, path);
	return 0;
}

int util_mkdir_p(const char *path, mode_t mode, struct vireo_err *err)
{
	char buf[PATH_MAX];
	if (!*path)
		return verr(err, ENOENT, "cannot create a directory with an empty name");
	if (util_path(buf, sizeof buf, "%s", path) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s", path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return verr_sys(err, errno, "cannot create directory %s", buf);
			*p = c;
			if (c == '\0')
				break;
		}
	}
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return verr(err, ENOTDIR, "%s is not a directory", path);
	return 0;
}

static int rm_at(int dfd, const char *name, dev_t dev, struct vireo_err *err)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : verr_sys(err, errno, "cannot stat %s", name);
	if (S_ISDIR(st.st_mode)) {
		if (st.st_dev != dev)
			return verr(err, EBUSY, "refusing to remove %s: a file system is mounted there",
				    name);
		int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return verr_sys(err, errno, "cannot open %s", name);
		DIR *d = fdopendir(fd);
		if (!d) {
			close(fd);
			return verr_sys(err, errno, "cannot read %s", name);
		}
		struct dirent *de;
		int r = 0;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			r = rm_at(dirfd(d), de->d_name, dev, err);
			if (r < 0)
				break;
		}
		closedir(d);
		if (r < 0)
			return r;
		if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			return verr_sys(err, errno, "cannot remove %s", name);
		return 0;
	}
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return verr_sys(err, errno, "cannot remove %s", name);
	return 0;
}

int util_rm_rf(const char *path, struct vireo_err *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : verr_sys(err, errno, "cannot stat %s", path);
	return rm_at(AT_FDCWD, path, st.st_dev, err);
}

bool util_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int util_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

void util_close_from(int from, const int *keep, size_t nkeep)
{
	if (nkeep == 0) {
		if (syscall(SYS_close_range, from, ~0U, 0) == 0)
			return;
	}
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	int dfd = dirfd(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);
		if (de->d_name[0] < '0' || de->d_name[0] > '9' || fd < from || fd == dfd)
			continue;
		bool k = false;
		for (size_t i = 0; i < nkeep; i++)
			k |= keep[i] == fd;
		if (!k)
			close(fd);
	}
	closedir(d);
}

pid_t util_spawn(char *const argv[], int in_fd, int out_fd, int err_fd)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid < 0 ? -errno : pid;
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	int fds[3] = { in_fd < 0 ? nul : in_fd, out_fd < 0 ? nul : out_fd,
		       err_fd < 0 ? nul : err_fd };
	/* Out of the way of 0-2 first, so no dup2 below overwrites one still to be copied. */
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0 && fds[i] < 3 && fds[i] != i)
			fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0 && fds[i] != i)
			dup2(fds[i], i);
		else if (fds[i] == i)
			fcntl(i, F_SETFD, 0);
	execvp(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* du_walk: what lies under dirfd (which it closes), not crossing into other file systems. */
static void du_walk(int dirfd, dev_t dev, unsigned depth, uint64_t *bytes, uint64_t *inodes)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev)
			continue;
		(*inodes)++;
		*bytes += (uint64_t)st.st_blocks * 512;
		if (S_ISDIR(st.st_mode) && depth < 256) {
			int fd = openat(dirfd, de->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				du_walk(fd, dev, depth + 1, bytes, inodes);
		}
	}
	closedir(d);
}

int util_du(const char *path, uint64_t *bytes, uint64_t *inodes)
{
	*bytes = *inodes = 0;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	*bytes = (uint64_t)st.st_blocks * 512;
	*inodes = 1;
	du_walk(fd, st.st_dev, 0, bytes, inodes);
	return 0;
}

void util_detach(void)
{
	setsid();
	int nul = open("/dev/null", O_RDWR);
	if (nul < 0)
		return;
	for (int i = 0; i < 3; i++)
		dup2(nul, i);
	if (nul > 2)
		close(nul);
}

int util_run(char *const argv[], bool quiet, struct vireo_err *err)
{
	return util_run_io(argv, -1, quiet, err);
}

int util_run_io(char *const argv[], int in_fd, bool quiet, struct vireo_err *err)
{
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		return verr_sys(err, errno, "pipe");
	/* Its output joins its errors unless quiet; only the last line of them is kept. */
	pid_t pid = util_spawn(argv, in_fd, quiet ? -1 : ep[1], quiet ? -1 : ep[1]);
	if (pid < 0) {
		close(ep[0]);
		close(ep[1]);
		return verr_sys(err, (int)-pid, "cannot fork to run %s", argv[0]);
	}
	close(ep[1]);
	return util_collect(pid, ep[0], argv[0], err);
}

int util_collect(pid_t pid, int errfd, const char *name, struct vireo_err *err)
{
	char buf[8192], last[512] = "";
	size_t used = 0;
	for (;;) {
		ssize_t r = read(errfd, buf + used, sizeof buf - 1 - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		used += (size_t)r;
		buf[used] = '\0';
		/* Keep only the last complete line. */
		char *nl;
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			if (nl != buf)
				snprintf(last, sizeof last, "%s", buf);
			memmove(buf, nl + 1, used - (size_t)(nl + 1 - buf) + 1);
			used -= (size_t)(nl + 1 - buf);
		}
		if (used >= sizeof buf - 1)
			used = 0;
	}
	if (used)
		snprintf(last, sizeof last, "%s", buf);
	close(errfd);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return verr_sys(err, errno, "waitpid");
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (code != 0 && err)
		verr(err, EIO, "%s failed (status %d)%s%s", name, code, last[0] ? ": " : "", last);
	return code;
}

int util_capture(char *const argv[], size_t max, char **out, int *status, struct vireo_err *err)
{
	*out = NULL;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return verr_sys(err, errno, "cannot run %s: pipe", argv[0]);
	pid_t pid = util_spawn(argv, -1, p[1], -1);
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return verr_sys(err, (int)-pid, "cannot fork to run %s", argv[0]);
	}
	close(p[1]);
	size_t cap = max < 65536 ? max + 1 : 65536, used = 0;
	char *buf = malloc(cap);
	bool too_big = false;
	int r = 0;
	for (;;) {
		char chunk[8192];
		ssize_t n = read(p[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (r == 0)
				r = verr_sys(err, errno, "cannot read the output of %s", argv[0]);
			break;
		}
		if (n == 0)
			break;
		if (!buf || too_big)
			continue; /* keep draining so the child can finish */
		if (used + (size_t)n > max) {
			too_big = true;
			continue;
		}
		if (used + (size_t)n + 1 > cap) {
			size_t want = cap * 2 > used + (size_t)n + 1 ? cap * 2 : used + (size_t)n + 1;
			char *grown = realloc(buf, want);
			if (!grown) {
				free(buf);
				buf = NULL;
				continue;
			}
			buf = grown;
			cap = want;
		}
		memcpy(buf + used, chunk, (size_t)n);
		used += (size_t)n;
	}
	close(p[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			free(buf);
			return verr_sys(err, errno, "cannot wait for %s", argv[0]);
		}
	}
	if (r == 0 && !buf)
		r = verr(err, ENOMEM, "out of memory reading the output of %s", argv[0]);
	if (r == 0 && too_big)
		r = verr(err, EFBIG, "%s printed more than %zu bytes", argv[0], max);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[used] = '\0';
	*out = buf;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

int util_poll_in(int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	long long end = util_now_ms() + timeout_ms;
	for (;;) {
		long long left = end - util_now_ms();
		if (left <= 0)
			return 0;
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int util_send_fd(int sock, char tag, int fd)
{
	struct iovec iov = { &tag, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		m.msg_control = u.buf;
		m.msg_controllen = sizeof u.buf;
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

ssize_t util_recv_fd(int sock, void *buf, size_t size, int flags, int *fd)
{
	struct iovec iov = { buf, size };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
			    .msg_controllen = sizeof u.b };
	*fd = -1;
	ssize_t n;
	while ((n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC | flags)) < 0 && errno == EINTR &&
	       !(flags & MSG_DONTWAIT))
		;
	if (n < 0)
		return -errno;
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&m) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

long long util_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned long long util_proc_starttime(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* After ") " come fields 3..; starttime is field 22. */
	int field = 2;
	for (; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return strtoull(p, NULL, 10);
}

size_t util_read_all(int fd, char *buf, size_t size)
{
	size_t used = 0;
	while (size > 0 && used < size - 1) {
		ssize_t n = read(fd, buf + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	if (size > 0)
		buf[used] = '\0';
	return used;
}
