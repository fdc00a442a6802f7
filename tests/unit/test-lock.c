/* tests/unit/test-lock: lib/lock — exclusive and shared flocks seen from a forked child,
 * lock_is_held, and a waiter that must never end up holding a lock on a deleted inode.
 * Children report through their exit status or a pipe; every child is reaped, every file
 * removed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "check-fs.h"
#include "lib/lock.h"
#include "lib/util.h"

/* Child exit codes for a nowait attempt. */
enum { GOT_LOCK = 10, WOULD_BLOCK = 11, OTHER_ERROR = 12 };

/* Fork a child that tries lock_take(path, exclusive, nowait) and reports the outcome. */
static int try_in_child(const char *path, bool exclusive)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct vireo_err err;
		int fd = lock_take(path, exclusive, true, &err);
		if (fd >= 0)
			_exit(GOT_LOCK);
		_exit(fd == -EWOULDBLOCK ? WOULD_BLOCK : OTHER_ERROR);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_exclusive_shared(const char *dir)
{
	char path[4096];
	struct vireo_err err;
	CHECK(util_path(path, sizeof path, "%s/lock", dir) == 0);

	/* The lock file is created on demand. */
	CHECK(!util_exists(path));
	CHECK(!lock_is_held(path)); /* missing file: not held */
	int fd = lock_take(path, true, false, &err);
	CHECK(fd >= 0);
	CHECK(util_exists(path));
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK(lock_is_held(path));
	CHECK(try_in_child(path, true) == WOULD_BLOCK);
	CHECK(try_in_child(path, false) == WOULD_BLOCK);
	/* Another open file description in this process conflicts too. */
	CHECK(lock_take(path, true, true, &err) == -EWOULDBLOCK);
	CHECK(lock_take(path, false, true, &err) == -EWOULDBLOCK);
	lock_drop(fd);
	CHECK(!lock_is_held(path));
	CHECK(try_in_child(path, true) == GOT_LOCK);

	/* Shared + shared succeed; exclusive waits for all shared holders. */
	fd = lock_take(path, false, false, &err);
	CHECK(fd >= 0);
	CHECK(lock_is_held(path));
	CHECK(try_in_child(path, false) == GOT_LOCK);
	CHECK(try_in_child(path, true) == WOULD_BLOCK);
	int fd2 = lock_take(path, false, true, &err);
	CHECK(fd2 >= 0);
	lock_drop(fd);
	CHECK(lock_is_held(path)); /* the second shared holder remains */
	CHECK(try_in_child(path, true) == WOULD_BLOCK);
	lock_drop(fd2);
	CHECK(!lock_is_held(path));
	CHECK(try_in_child(path, true) == GOT_LOCK);

	/* lock_drop of -1 is harmless. */
	lock_drop(-1);

	/* A lock in a missing directory is an error with a message, not EWOULDBLOCK. */
	char bad[4096];
	CHECK(util_path(bad, sizeof bad, "%s/nodir/lock", dir) == 0);
	verr_clear(&err);
	CHECK(lock_take(bad, true, true, &err) == -ENOENT);
	CHECK(strstr(err.msg, "nodir/lock") != NULL);
	CHECK(!lock_is_held(bad));

	unlink(path);
}

/* Is a process blocked waiting for an flock on inode ino?  /proc/locks lists waiters as
 * "N: -> FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF". */
static bool waiter_on(ino_t ino)
{
	FILE *f = fopen("/proc/locks", "re");
	if (!f)
		return false;
	char line[512], want[64];
	snprintf(want, sizeof want, ":%llu ", (unsigned long long)ino);
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, "->") && strstr(line, "FLOCK") && strstr(line, want);
	fclose(f);
	return found;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Read exactly n bytes from a non-blocking fd, giving up after 10 s; false on EOF, error
 * or timeout. */
static bool read_n(int fd, void *buf, size_t n)
{
	char *p = buf;
	long long deadline = util_now_ms() + 10000;
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			if (util_now_ms() > deadline)
				return false;
			sleep_ms(10);
			continue;
		}
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* Parent holds the lock; a child blocks in lock_take(path); the parent unlinks the path
 * (and, when recreate, puts a new file there) and only then drops its lock. The child wakes
 * holding a lock on the old, deleted inode; lock_take must notice and lock what the path
 * names now. The child reports the inode it holds, then keeps it until told to go. */
static void test_deleted_while_waiting(const char *dir, bool recreate)
{
	char path[4096];
	struct vireo_err err;
	CHECK(util_path(path, sizeof path, "%s/waitlock", dir) == 0);
	int fd = lock_take(path, true, false, &err);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	struct stat old;
	CHECK(fstat(fd, &old) == 0);

	int report[2], hold[2];
	if (pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0) {
		CHECK(0);
		lock_drop(fd);
		return;
	}
	if (pipe2(hold, O_CLOEXEC) < 0) {
		CHECK(0);
		close(report[0]);
		close(report[1]);
		lock_drop(fd);
		return;
	}
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(report[0]);
		close(hold[1]);
		lock_drop(fd); /* our copy of the parent's fd shares its lock; do not keep it */
		struct vireo_err cerr;
		int lfd = lock_take(path, true, false, &cerr);
		unsigned long long r[2] = { 0, 0 };
		struct stat a, b;
		if (lfd >= 0 && fstat(lfd, &a) == 0) {
			r[0] = (unsigned long long)a.st_ino;
			r[1] = stat(path, &b) == 0 && b.st_ino == a.st_ino && b.st_dev == a.st_dev &&
			       a.st_nlink > 0;
		}
		if (write(report[1], r, sizeof r) != (ssize_t)sizeof r)
			_exit(2);
		char c;
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(lfd >= 0 ? 0 : 1);
	}
	close(report[1]);
	close(hold[0]);
	if (pid < 0) {
		close(report[0]);
		close(hold[1]);
		lock_drop(fd);
		unlink(path);
		return;
	}

	/* Wait (bounded) until the child is really blocked in flock on the old inode. */
	bool blocked = false;
	for (long long deadline = util_now_ms() + 10000; !blocked && util_now_ms() < deadline;) {
		blocked = waiter_on(old.st_ino);
		if (!blocked)
			sleep_ms(5);
	}
	CHECK(blocked);

	CHECK(unlink(path) == 0);
	ino_t newino = 0;
	if (recreate) {
		int nfd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		CHECK(nfd >= 0);
		struct stat ns;
		if (nfd >= 0 && fstat(nfd, &ns) == 0)
			newino = ns.st_ino;
		if (nfd >= 0)
			close(nfd);
	}
	lock_drop(fd);

	unsigned long long r[2] = { 0, 0 };
	bool reported = read_n(report[0], r, sizeof r);
	CHECK(reported);
	if (!reported)
		kill(pid, SIGKILL); /* stuck: do not wait for it forever */
	CHECK(r[0] != 0);
	CHECK(r[1] == 1); /* the child's fd is the inode the path names now */
	struct stat now;
	CHECK(stat(path, &now) == 0 && (unsigned long long)now.st_ino == r[0]);
	if (recreate)
		CHECK((unsigned long long)newino == r[0]);
	/* The child's lock is the one the path shows. */
	CHECK(lock_is_held(path));
	CHECK(try_in_child(path, true) == WOULD_BLOCK);

	close(hold[1]); /* let the child go */
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(report[0]);
	CHECK(!lock_is_held(path));
	unlink(path);
}

int main(void)
{
	char dir[] = "/tmp/vireo-test-lock.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		CHECK(0);
		return check_done();
	}
	test_exclusive_shared(dir);
	test_deleted_while_waiting(dir, false);
	test_deleted_while_waiting(dir, true);
	check_remove_tmpdir(dir);
	return check_done();
}
