/* emu/linux-user/sys-fs: files, directories, descriptors, polling and terminals. Converts
 * what differs between arm64 and x86-64: struct stat, epoll_event, four open(2) flag bits.
 * With -L, absolute paths that exist under the sysroot are looked up there (lu_path, as
 * qemu-user). /proc/self/exe, /proc/self/auxv and /proc/self/cmdline show the guest's program,
 * auxv and arguments.
 * Touches: the guest buffers it is given; host descriptors on the guest's behalf. */
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

/* The x86-64 kernel's values (glibc defines O_LARGEFILE as 0 on 64-bit hosts). */
#define HOST_O_DIRECTORY 0200000
#define HOST_O_NOFOLLOW 0400000
#define HOST_O_DIRECT 040000
#define HOST_O_LARGEFILE 0100000

static const struct {
	int a64, host;
} oflags[] = {
	{A64_O_DIRECTORY, HOST_O_DIRECTORY},
	{A64_O_NOFOLLOW, HOST_O_NOFOLLOW},
	{A64_O_DIRECT, HOST_O_DIRECT},
	{A64_O_LARGEFILE, HOST_O_LARGEFILE},
};

static int oflags_to_host(int f)
{
	int h = f;
	for (size_t i = 0; i < sizeof oflags / sizeof oflags[0]; i++)
		h &= ~oflags[i].a64;
	for (size_t i = 0; i < sizeof oflags / sizeof oflags[0]; i++)
		if (f & oflags[i].a64)
			h |= oflags[i].host;
	return h;
}

static int oflags_to_a64(int h)
{
	int f = h;
	for (size_t i = 0; i < sizeof oflags / sizeof oflags[0]; i++)
		f &= ~oflags[i].host;
	for (size_t i = 0; i < sizeof oflags / sizeof oflags[0]; i++)
		if (h & oflags[i].host)
			f |= oflags[i].a64;
	return f;
}

const char *lu_path(struct lu_proc *p, uint64_t gpath, char *buf, long *rc)
{
	long n = lu_strnlen(&p->mem, gpath, PATH_MAX);
	if (n < 0) {
		*rc = n;
		return NULL;
	}
	const char *s = H(gpath);
	if (p->sysroot && s[0] == '/' && s[1] && strncmp(s, "/proc/", 6) && strncmp(s, "/dev/", 5) &&
	    strncmp(s, "/sys/", 5)) {
		int k = snprintf(buf, PATH_MAX, "%s%s", p->sysroot, s);
		if (k > 0 && k < PATH_MAX && faccessat(AT_FDCWD, buf, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			return buf;
	}
	return s;
}

/* Is s /proc/self/LEAF, /proc/thread-self/LEAF or /proc/<our pid>/LEAF? */
bool lu_proc_self(const char *s, const char *leaf)
{
	if (strncmp(s, "/proc/", 6))
		return false;
	s += 6;
	char pid[32];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	size_t n;
	if (!strncmp(s, "self/", 5))
		n = 5;
	else if (!strncmp(s, "thread-self/", 12))
		n = 12;
	else if (!strncmp(s, pid, strlen(pid)) && s[strlen(pid)] == '/')
		n = strlen(pid) + 1;
	else
		return false;
	return !strcmp(s + n, leaf);
}

/* A read-only view made for the guest: a memfd holding data, at offset 0. */
static long open_memfd(const char *name, const void *data, size_t len, int flags)
{
	int fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -errno;
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			return -e;
		}
		done += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static long open_auxv(struct lu_proc *p, int flags)
{
	return open_memfd("auxv", p->auxv, p->auxv_len, flags);
}

/* /proc/self/cmdline: the guest's argument strings as they are now in its memory (Linux reads
 * them from arg_start to arg_end), not the emulator's command line. */
static long open_cmdline(struct lu_proc *p, int flags)
{
	size_t len = (size_t)(p->arg_end - p->arg_start);
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	if (len && lu_get(&p->mem, buf, p->arg_start, len) < 0)
		len = 0;
	long fd = open_memfd("cmdline", buf, len, flags);
	free(buf);
	return fd;
}

static long do_openat(struct lu_thread *t, int dirfd, uint64_t gpath, int gflags, mode_t mode)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, gpath, buf, &rc);
	if (!path)
		return rc;
	int flags = oflags_to_host(gflags);
	if (lu_proc_self(path, "auxv"))
		return open_auxv(t->proc, flags);
	if (lu_proc_self(path, "cmdline"))
		return open_cmdline(t->proc, flags);
	if (lu_proc_self(path, "exe"))
		path = t->proc->exe;
	return SAFE(t, SYS_openat, dirfd, path, flags, mode);
}

static long sys_openat(struct lu_thread *t, const uint64_t *a)
{
	return do_openat(t, (int)a[0], a[1], (int)a[2], (mode_t)a[3]);
}

static long sys_openat2(struct lu_thread *t, const uint64_t *a)
{
	/* struct open_how { u64 flags, mode, resolve; } */
	uint64_t how[3] = {0};
	if (a[3] < 24 || a[3] > 4096)
		return a[3] < 24 ? -EINVAL : -E2BIG;
	if (lu_get(&t->proc->mem, how, a[2], sizeof how) < 0)
		return -EFAULT;
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[1], buf, &rc);
	if (!path)
		return rc;
	how[0] = (uint64_t)(unsigned)oflags_to_host((int)how[0]);
	if (lu_proc_self(path, "auxv"))
		return open_auxv(t->proc, (int)how[0]);
	if (lu_proc_self(path, "cmdline"))
		return open_cmdline(t->proc, (int)how[0]);
	if (lu_proc_self(path, "exe"))
		path = t->proc->exe;
	return SAFE(t, SYS_openat2, (int)a[0], path, how, sizeof how);
}

static long sys_read(struct lu_thread *t, const uint64_t *a)
{
	uint64_t n = lu_access_prefix(&t->proc->mem, a[1], a[2], PT_W);
	if (a[2] && !n)
		return -EFAULT;
	return SAFE(t, SYS_read, (int)a[0], a[1], n);
}

static long sys_pread64(struct lu_thread *t, const uint64_t *a)
{
	uint64_t n = lu_access_prefix(&t->proc->mem, a[1], a[2], PT_W);
	if (a[2] && !n)
		return -EFAULT;
	return SAFE(t, SYS_pread64, (int)a[0], a[1], n, a[3]);
}

/* Every buffer of a guest iovec array must be writable. */
static long check_iov_w(struct lu_thread *t, uint64_t iov, uint64_t cnt)
{
	if (cnt > IOV_MAX)
		return -EINVAL;
	if (R(t, iov, cnt * 16))
		return -EFAULT;
	const struct iovec *v = H(iov);
	for (uint64_t i = 0; i < cnt; i++)
		if (W(t, (uint64_t)(uintptr_t)v[i].iov_base, v[i].iov_len))
			return -EFAULT;
	return 0;
}

static long sys_readv(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_iov_w(t, a[1], a[2]);
	return rc ? rc : SAFE(t, SYS_readv, (int)a[0], a[1], a[2]);
}

static long sys_preadv(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_iov_w(t, a[1], a[2]);
	return rc ? rc : SAFE(t, SYS_preadv, (int)a[0], a[1], a[2], a[3], a[4]);
}

static long sys_preadv2(struct lu_thread *t, const uint64_t *a)
{
	long rc = check_iov_w(t, a[1], a[2]);
	return rc ? rc : SAFE(t, SYS_preadv2, (int)a[0], a[1], a[2], a[3], a[4], (int)a[5]);
}

static void stat_to_a64(const struct stat *h, struct a64_stat *g)
{
	memset(g, 0, sizeof *g);
	g->st_dev = h->st_dev;
	g->st_ino = h->st_ino;
	g->st_mode = h->st_mode;
	g->st_nlink = (uint32_t)h->st_nlink;
	g->st_uid = h->st_uid;
	g->st_gid = h->st_gid;
	g->st_rdev = h->st_rdev;
	g->st_size = h->st_size;
	g->st_blksize = (int32_t)h->st_blksize;
	g->st_blocks = h->st_blocks;
	g->st_atime_sec = h->st_atim.tv_sec;
	g->st_atime_nsec = (uint64_t)h->st_atim.tv_nsec;
	g->st_mtime_sec = h->st_mtim.tv_sec;
	g->st_mtime_nsec = (uint64_t)h->st_mtim.tv_nsec;
	g->st_ctime_sec = h->st_ctim.tv_sec;
	g->st_ctime_nsec = (uint64_t)h->st_ctim.tv_nsec;
}

static long put_stat(struct lu_thread *t, uint64_t addr, const struct stat *h)
{
	struct a64_stat g;
	stat_to_a64(h, &g);
	return lu_put(&t->proc->mem, addr, &g, sizeof g);
}

static long sys_fstat(struct lu_thread *t, const uint64_t *a)
{
	struct stat st;
	if (W(t, a[1], sizeof(struct a64_stat)))
		return -EFAULT;
	if (syscall(SYS_fstat, (int)a[0], &st) < 0)
		return -errno;
	return put_stat(t, a[1], &st);
}

static long sys_newfstatat(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[1], buf, &rc);
	if (!path)
		return rc;
	if (W(t, a[2], sizeof(struct a64_stat)))
		return -EFAULT;
	if (lu_proc_self(path, "exe") && !((int)a[3] & AT_SYMLINK_NOFOLLOW))
		path = t->proc->exe;
	struct stat st;
	if (syscall(SYS_newfstatat, (int)a[0], path, &st, (int)a[3]) < 0)
		return -errno;
	return put_stat(t, a[2], &st);
}

static long sys_statx(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[1], buf, &rc);
	if (!path)
		return rc;
	if (W(t, a[4], 256)) /* struct statx: the same everywhere */
		return -EFAULT;
	if (lu_proc_self(path, "exe") && !((int)a[2] & AT_SYMLINK_NOFOLLOW))
		path = t->proc->exe;
	return lu_ret(syscall(SYS_statx, (int)a[0], path, (int)a[2], (unsigned)a[3], a[4]));
}

static long sys_statfs(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[0], buf, &rc);
	if (!path)
		return rc;
	/* asm-generic struct statfs on both 64-bit sides: 120 bytes. */
	if (W(t, a[1], sizeof(struct statfs)))
		return -EFAULT;
	return lu_ret(syscall(SYS_statfs, path, a[1]));
}

static long sys_fstatfs(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct statfs)))
		return -EFAULT;
	return lu_ret(syscall(SYS_fstatfs, (int)a[0], a[1]));
}

static long sys_truncate(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[0], buf, &rc);
	return path ? lu_ret(syscall(SYS_truncate, path, (off_t)a[1])) : rc;
}

static long sys_faccessat(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[1], buf, &rc);
	return path ? lu_ret(syscall(SYS_faccessat, (int)a[0], path, (int)a[2])) : rc;
}

static long sys_faccessat2(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[1], buf, &rc);
	return path ? lu_ret(syscall(SYS_faccessat2, (int)a[0], path, (int)a[2], (int)a[3])) : rc;
}

static long sys_readlinkat(struct lu_thread *t, const uint64_t *a)
{
	char buf[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[1], buf, &rc);
	if (!path)
		return rc;
	if ((int64_t)a[3] <= 0)
		return -EINVAL;
	if (W(t, a[2], a[3]))
		return -EFAULT;
	if (lu_proc_self(path, "exe")) {
		size_t n = strlen(t->proc->exe);
		if (n > a[3])
			n = a[3];
		memcpy(H(a[2]), t->proc->exe, n);
		return (long)n;
	}
	return lu_ret(syscall(SYS_readlinkat, (int)a[0], path, a[2], a[3]));
}

static long sys_getdents64(struct lu_thread *t, const uint64_t *a)
{
	uint64_t n = lu_access_prefix(&t->proc->mem, a[1], a[2], PT_W);
	if (a[2] && !n)
		return -EFAULT;
	return lu_ret(syscall(SYS_getdents64, (int)a[0], a[1], n));
}

static long sys_getcwd(struct lu_thread *t, const uint64_t *a)
{
	uint64_t n = lu_access_prefix(&t->proc->mem, a[0], a[1], PT_W);
	if (a[1] && !n)
		return -EFAULT;
	return lu_ret(syscall(SYS_getcwd, a[0], n));
}

static long sys_pipe2(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[0], 8))
		return -EFAULT;
	return lu_ret(syscall(SYS_pipe2, a[0], oflags_to_host((int)a[1])));
}

static long sys_fcntl(struct lu_thread *t, const uint64_t *a)
{
	int fd = (int)a[0], cmd = (int)a[1];
	switch (cmd) {
	case F_GETFL: {
		long r = SAFE(t, SYS_fcntl, fd, cmd);
		return r < 0 ? r : oflags_to_a64((int)r);
	}
	case F_SETFL:
		return SAFE(t, SYS_fcntl, fd, cmd, oflags_to_host((int)a[2]));
	case F_GETLK:
	case F_OFD_GETLK:
		if (W(t, a[2], sizeof(struct flock)))
			return -EFAULT;
		break;
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		if (R(t, a[2], sizeof(struct flock)))
			return -EFAULT;
		break;
	case F_GETOWN_EX:
		if (W(t, a[2], 8))
			return -EFAULT;
		break;
	case F_SETOWN_EX:
		if (R(t, a[2], 8))
			return -EFAULT;
		break;
	case F_GET_RW_HINT:
	case F_GET_FILE_RW_HINT:
		if (W(t, a[2], 8))
			return -EFAULT;
		break;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETOWN:
	case F_SETOWN:
	case F_GETSIG:
	case F_SETSIG:
	case F_GETLEASE:
	case F_SETLEASE:
	case F_NOTIFY:
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
	case F_ADD_SEALS:
	case F_GET_SEALS:
	case F_SET_RW_HINT:
	case F_SET_FILE_RW_HINT:
		break;
	default:
		return -EINVAL;
	}
	return SAFE(t, SYS_fcntl, fd, cmd, a[2]);
}

/* ioctl: terminal and common descriptor requests, whose arguments are the same on both
 * sides (asm-generic ioctls and termbits: struct termios is 36 bytes on both), checked by
 * their size; other requests encoded with _IOC (direction and size in the number) are
 * passed on when their buffer is the guest's; the rest are refused. */
static long sys_ioctl(struct lu_thread *t, const uint64_t *a)
{
	int fd = (int)a[0];
	unsigned long req = (unsigned)a[1];
	uint64_t arg = a[2];
	uint64_t wsize = 0, rsize = 0;
	switch (req) {
	case TCGETS:
		wsize = sizeof(struct termios);
		break;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		rsize = sizeof(struct termios);
		break;
	case TIOCGWINSZ:
		wsize = sizeof(struct winsize);
		break;
	case TIOCSWINSZ:
		rsize = sizeof(struct winsize);
		break;
	case TIOCGPGRP:
	case TIOCGSID:
	case FIONREAD:
	case TIOCOUTQ:
	case TIOCGETD:
	case TIOCMGET:
	case TIOCGPTN:
	case TIOCGEXCL:
	case TIOCGPKT:
	case TIOCGPTLCK:
		wsize = sizeof(int);
		break;
	case TIOCSPGRP:
	case FIONBIO:
	case FIOASYNC:
	case TIOCSETD:
	case TIOCMBIS:
	case TIOCMBIC:
	case TIOCMSET:
	case TIOCSPTLCK:
	case TIOCPKT:
	case TIOCSTI:
		rsize = req == TIOCSTI ? 1 : sizeof(int);
		break;
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TIOCEXCL:
	case TIOCNXCL:
	case TCFLSH:
	case TCXONC:
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
	case FIOCLEX:
	case FIONCLEX:
	case TIOCVHANGUP:
	case TIOCGPTPEER:
		break; /* integer argument or none */
	default: {
		unsigned dir = _IOC_DIR(req), size = _IOC_SIZE(req);
		if (dir == _IOC_NONE && !size && _IOC_TYPE(req) != 'T')
			break; /* an encoded request with an integer argument */
		if (dir == _IOC_NONE || !size)
			return -ENOTTY;
		if (dir & _IOC_READ)
			wsize = size;
		if (dir & _IOC_WRITE)
			rsize = size;
	}
	}
	if (wsize && W(t, arg, wsize))
		return -EFAULT;
	if (rsize && R(t, arg, rsize))
		return -EFAULT;
	return SAFE(t, SYS_ioctl, fd, req, arg);
}

static long sys_epoll_ctl(struct lu_thread *t, const uint64_t *a)
{
	struct a64_epoll_event ge;
	struct epoll_event he, *hp = NULL;
	if (a[3]) {
		if (lu_get(&t->proc->mem, &ge, a[3], sizeof ge) < 0)
			return -EFAULT;
		he.events = ge.events;
		he.data.u64 = ge.data;
		hp = &he;
	}
	return lu_ret(syscall(SYS_epoll_ctl, (int)a[0], (int)a[1], (int)a[2], hp));
}

/* A wait with a temporary signal mask (ppoll, pselect6, epoll_pwait): the guest's mask for
 * delivery, the host's without the signals the emulator keeps. NULL when there is none. */
static long temp_mask(struct lu_thread *t, uint64_t gmask, uint64_t size, uint64_t *host)
{
	if (!gmask)
		return 0;
	if (size != 8)
		return -EINVAL;
	uint64_t m;
	if (lu_get(&t->proc->mem, &m, gmask, 8) < 0)
		return -EFAULT;
	lu_sigmask_temp(t, m);
	*host = m & ~(LU_SIGBIT(SIGSEGV) | LU_SIGBIT(SIGBUS) | LU_SIGBIT(SIGKILL) | LU_SIGBIT(SIGSTOP));
	return 1;
}

/* After the wait: without EINTR, the old mask comes back now; with it, after the delivery. */
static long temp_mask_end(struct lu_thread *t, long r)
{
	if (r != -EINTR)
		lu_sigmask_temp_end(t);
	return r;
}

/* epoll_pwait and epoll_pwait2: the host fills packed events, the guest gets aligned ones. */
static long epoll_wait_common(struct lu_thread *t, const uint64_t *a, bool ts)
{
	int max = (int)a[2];
	if (max <= 0)
		return -EINVAL;
	if (max > 1024)
		max = 1024; /* fewer per call is allowed */
	if (W(t, a[1], (uint64_t)max * sizeof(struct a64_epoll_event)))
		return -EFAULT;
	uint64_t hm;
	long tm = temp_mask(t, a[4], a[5], &hm);
	if (tm < 0)
		return tm;
	struct epoll_event ev[1024];
	long r = ts ? SAFE(t, SYS_epoll_pwait2, (int)a[0], ev, max, a[3], tm ? &hm : NULL, 8)
		    : SAFE(t, SYS_epoll_pwait, (int)a[0], ev, max, (int)a[3], tm ? &hm : NULL, 8);
	struct a64_epoll_event *ge = H(a[1]);
	for (long i = 0; i < r; i++) {
		ge[i].events = ev[i].events;
		ge[i].pad = 0;
		ge[i].data = ev[i].data.u64;
	}
	return tm ? temp_mask_end(t, r) : r;
}

static long sys_epoll_pwait(struct lu_thread *t, const uint64_t *a)
{
	return epoll_wait_common(t, a, false);
}

static long sys_epoll_pwait2(struct lu_thread *t, const uint64_t *a)
{
	return epoll_wait_common(t, a, true);
}

static long sys_ppoll(struct lu_thread *t, const uint64_t *a)
{
	if (a[1] > 1u << 20)
		return -EINVAL;
	if ((a[1] && W(t, a[0], a[1] * 8)) || (a[2] && W(t, a[2], 16)))
		return -EFAULT;
	uint64_t hm;
	long tm = temp_mask(t, a[3], a[4], &hm);
	if (tm < 0)
		return tm;
	long r = SAFE(t, SYS_ppoll, a[0], a[1], a[2], tm ? &hm : NULL, 8);
	return tm ? temp_mask_end(t, r) : r;
}

static long sys_pselect6(struct lu_thread *t, const uint64_t *a)
{
	int n = (int)a[0];
	if (n < 0)
		return -EINVAL;
	uint64_t bytes = ((uint64_t)n + 63) / 64 * 8;
	for (int i = 1; i <= 3; i++)
		if (a[i] && W(t, a[i], bytes))
			return -EFAULT;
	if (a[4] && W(t, a[4], 16))
		return -EFAULT;
	/* The sixth argument points at { const sigset_t *ss; size_t ss_len; }. */
	uint64_t sig[2] = {0, 0}, hm;
	if (a[5] && lu_get(&t->proc->mem, sig, a[5], sizeof sig) < 0)
		return -EFAULT;
	long tm = temp_mask(t, sig[0], sig[1], &hm);
	if (tm < 0)
		return tm;
	uint64_t hsig[2] = {(uint64_t)(uintptr_t)&hm, 8};
	long r = SAFE(t, SYS_pselect6, n, a[1], a[2], a[3], a[4], tm ? hsig : NULL);
	return tm ? temp_mask_end(t, r) : r;
}

static long sys_sendfile(struct lu_thread *t, const uint64_t *a)
{
	if (a[2] && W(t, a[2], 8))
		return -EFAULT;
	return SAFE(t, SYS_sendfile, (int)a[0], (int)a[1], a[2], a[3]);
}

static long sys_copy_file_range(struct lu_thread *t, const uint64_t *a)
{
	if ((a[1] && W(t, a[1], 8)) || (a[3] && W(t, a[3], 8)))
		return -EFAULT;
	return SAFE(t, SYS_copy_file_range, (int)a[0], a[1], (int)a[2], a[3], a[4],
			      (unsigned)a[5]);
}

static long sys_splice(struct lu_thread *t, const uint64_t *a)
{
	if ((a[1] && W(t, a[1], 8)) || (a[3] && W(t, a[3], 8)))
		return -EFAULT;
	return SAFE(t, SYS_splice, (int)a[0], a[1], (int)a[2], a[3], a[4], (unsigned)a[5]);
}

static long xattr_get(struct lu_thread *t, const uint64_t *a, long host, bool by_fd, int vi)
{
	/* getxattr(path|fd, name, value, size), listxattr(path|fd, list, size). */
	uint64_t buf = a[vi], size = a[vi + 1];
	if (size && W(t, buf, size))
		return -EFAULT;
	if (by_fd)
		return lu_ret(syscall(host, (int)a[0], a[1], a[2], a[3]));
	char pb[PATH_MAX];
	long rc = 0;
	const char *path = lu_path(t->proc, a[0], pb, &rc);
	if (!path)
		return rc;
	return lu_ret(syscall(host, path, a[1], a[2], a[3]));
}

static long sys_getxattr(struct lu_thread *t, const uint64_t *a)
{
	return xattr_get(t, a, SYS_getxattr, false, 2);
}

static long sys_lgetxattr(struct lu_thread *t, const uint64_t *a)
{
	return xattr_get(t, a, SYS_lgetxattr, false, 2);
}

static long sys_fgetxattr(struct lu_thread *t, const uint64_t *a)
{
	return xattr_get(t, a, SYS_fgetxattr, true, 2);
}

static long sys_listxattr(struct lu_thread *t, const uint64_t *a)
{
	return xattr_get(t, a, SYS_listxattr, false, 1);
}

static long sys_llistxattr(struct lu_thread *t, const uint64_t *a)
{
	return xattr_get(t, a, SYS_llistxattr, false, 1);
}

static long sys_flistxattr(struct lu_thread *t, const uint64_t *a)
{
	return xattr_get(t, a, SYS_flistxattr, true, 1);
}

static long sys_name_to_handle_at(struct lu_thread *t, const uint64_t *a)
{
	return -EOPNOTSUPP;
}

const struct lu_sysent lu_sys_fs[] = {
	{A64_NR_openat, "openat", sys_openat, 0},
	{A64_NR_openat2, "openat2", sys_openat2, 0},
	{A64_NR_close, "close", NULL, SYS_close},
	{A64_NR_close_range, "close_range", NULL, SYS_close_range},
	{A64_NR_read, "read", sys_read, 0},
	{A64_NR_write, "write", NULL, SYS_write},
	{A64_NR_readv, "readv", sys_readv, 0},
	{A64_NR_writev, "writev", NULL, SYS_writev},
	{A64_NR_pread64, "pread64", sys_pread64, 0},
	{A64_NR_pwrite64, "pwrite64", NULL, SYS_pwrite64},
	{A64_NR_preadv, "preadv", sys_preadv, 0},
	{A64_NR_pwritev, "pwritev", NULL, SYS_pwritev},
	{A64_NR_preadv2, "preadv2", sys_preadv2, 0},
	{A64_NR_pwritev2, "pwritev2", NULL, SYS_pwritev2},
	{A64_NR_lseek, "lseek", NULL, SYS_lseek},
	{A64_NR_fstat, "fstat", sys_fstat, 0},
	{A64_NR_newfstatat, "newfstatat", sys_newfstatat, 0},
	{A64_NR_statx, "statx", sys_statx, 0},
	{A64_NR_statfs, "statfs", sys_statfs, 0},
	{A64_NR_fstatfs, "fstatfs", sys_fstatfs, 0},
	{A64_NR_truncate, "truncate", sys_truncate, 0},
	{A64_NR_ftruncate, "ftruncate", NULL, SYS_ftruncate},
	{A64_NR_fallocate, "fallocate", NULL, SYS_fallocate},
	{A64_NR_fadvise64, "fadvise64", NULL, SYS_fadvise64},
	{A64_NR_readahead, "readahead", NULL, SYS_readahead},
	{A64_NR_fsync, "fsync", NULL, SYS_fsync},
	{A64_NR_fdatasync, "fdatasync", NULL, SYS_fdatasync},
	{A64_NR_sync, "sync", NULL, SYS_sync},
	{A64_NR_syncfs, "syncfs", NULL, SYS_syncfs},
	{A64_NR_sync_file_range, "sync_file_range", NULL, SYS_sync_file_range},
	{A64_NR_getdents64, "getdents64", sys_getdents64, 0},
	{A64_NR_getcwd, "getcwd", sys_getcwd, 0},
	{A64_NR_chdir, "chdir", NULL, SYS_chdir},
	{A64_NR_fchdir, "fchdir", NULL, SYS_fchdir},
	{A64_NR_chroot, "chroot", NULL, SYS_chroot},
	{A64_NR_faccessat, "faccessat", sys_faccessat, 0},
	{A64_NR_faccessat2, "faccessat2", sys_faccessat2, 0},
	{A64_NR_fchmod, "fchmod", NULL, SYS_fchmod},
	{A64_NR_fchmodat, "fchmodat", NULL, SYS_fchmodat},
	{A64_NR_fchown, "fchown", NULL, SYS_fchown},
	{A64_NR_fchownat, "fchownat", NULL, SYS_fchownat},
	{A64_NR_readlinkat, "readlinkat", sys_readlinkat, 0},
	{A64_NR_unlinkat, "unlinkat", NULL, SYS_unlinkat},
	{A64_NR_mkdirat, "mkdirat", NULL, SYS_mkdirat},
	{A64_NR_mknodat, "mknodat", NULL, SYS_mknodat},
	{A64_NR_symlinkat, "symlinkat", NULL, SYS_symlinkat},
	{A64_NR_linkat, "linkat", NULL, SYS_linkat},
	{A64_NR_renameat, "renameat", NULL, SYS_renameat},
	{A64_NR_renameat2, "renameat2", NULL, SYS_renameat2},
	{A64_NR_utimensat, "utimensat", NULL, SYS_utimensat},
	{A64_NR_dup, "dup", NULL, SYS_dup},
	{A64_NR_dup3, "dup3", NULL, SYS_dup3},
	{A64_NR_fcntl, "fcntl", sys_fcntl, 0},
	{A64_NR_ioctl, "ioctl", sys_ioctl, 0},
	{A64_NR_flock, "flock", NULL, SYS_flock},
	{A64_NR_pipe2, "pipe2", sys_pipe2, 0},
	{A64_NR_eventfd2, "eventfd2", NULL, SYS_eventfd2},
	{A64_NR_epoll_create1, "epoll_create1", NULL, SYS_epoll_create1},
	{A64_NR_epoll_ctl, "epoll_ctl", sys_epoll_ctl, 0},
	{A64_NR_epoll_pwait, "epoll_pwait", sys_epoll_pwait, 0},
	{A64_NR_epoll_pwait2, "epoll_pwait2", sys_epoll_pwait2, 0},
	{A64_NR_ppoll, "ppoll", sys_ppoll, 0},
	{A64_NR_pselect6, "pselect6", sys_pselect6, 0},
	{A64_NR_inotify_init1, "inotify_init1", NULL, SYS_inotify_init1},
	{A64_NR_inotify_add_watch, "inotify_add_watch", NULL, SYS_inotify_add_watch},
	{A64_NR_inotify_rm_watch, "inotify_rm_watch", NULL, SYS_inotify_rm_watch},
	{A64_NR_signalfd4, "signalfd4", NULL, SYS_signalfd4},
	{A64_NR_memfd_create, "memfd_create", NULL, SYS_memfd_create},
	{A64_NR_sendfile, "sendfile", sys_sendfile, 0},
	{A64_NR_copy_file_range, "copy_file_range", sys_copy_file_range, 0},
	{A64_NR_splice, "splice", sys_splice, 0},
	{A64_NR_tee, "tee", NULL, SYS_tee},
	{A64_NR_getxattr, "getxattr", sys_getxattr, 0},
	{A64_NR_lgetxattr, "lgetxattr", sys_lgetxattr, 0},
	{A64_NR_fgetxattr, "fgetxattr", sys_fgetxattr, 0},
	{A64_NR_listxattr, "listxattr", sys_listxattr, 0},
	{A64_NR_llistxattr, "llistxattr", sys_llistxattr, 0},
	{A64_NR_flistxattr, "flistxattr", sys_flistxattr, 0},
	{A64_NR_setxattr, "setxattr", NULL, SYS_setxattr},
	{A64_NR_lsetxattr, "lsetxattr", NULL, SYS_lsetxattr},
	{A64_NR_fsetxattr, "fsetxattr", NULL, SYS_fsetxattr},
	{A64_NR_removexattr, "removexattr", NULL, SYS_removexattr},
	{A64_NR_lremovexattr, "lremovexattr", NULL, SYS_lremovexattr},
	{A64_NR_fremovexattr, "fremovexattr", NULL, SYS_fremovexattr},
	{A64_NR_name_to_handle_at, "name_to_handle_at", sys_name_to_handle_at, 0},
	{A64_NR_mount, "mount", NULL, SYS_mount},
	{A64_NR_umount2, "umount2", NULL, SYS_umount2},
	{0, NULL, NULL, 0},
};
