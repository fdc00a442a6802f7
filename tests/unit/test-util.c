/* tests/unit/test-util: lib/util — reading with a size limit, atomic writes, mkdir -p,
 * rm -rf that never follows symlinks, path overflow, running commands, process start times,
 * closing file descriptors. Everything lives under a mkdtemp directory that is removed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "check-fs.h"
#include "lib/util.h"

static char base[] = "/tmp/vireo-test-util.XXXXXX";

static bool write_raw(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	bool ok = write(fd, data, len) == (ssize_t)len;
	return close(fd) == 0 && ok;
}

static bool file_is(const char *path, const void *data, size_t len)
{
	struct vireo_err err;
	char *buf = NULL;
	size_t n = 0;
	bool ok = util_read_file(path, len + 1, &buf, &n, &err) == 0 && n == len &&
		  memcmp(buf, data, len) == 0 && buf[len] == '\0';
	free(buf);
	return ok;
}

static void test_read_file(void)
{
	char path[4096];
	struct vireo_err err;
	char *buf = NULL;
	size_t len = 99;

	CHECK(util_path(path, sizeof path, "%s/read", base) == 0);
	/* Empty file: an empty, terminated buffer. */
	CHECK(write_raw(path, "", 0));
	CHECK(util_read_file(path, 10, &buf, &len, &err) == 0 && len == 0 && buf && buf[0] == '\0');
	free(buf);
	buf = NULL;

	/* len may be NULL; data with NUL bytes comes back whole. */
	CHECK(write_raw(path, "ab\0cd", 5));
	CHECK(util_read_file(path, 100, &buf, NULL, &err) == 0 && buf && memcmp(buf, "ab\0cd", 6) == 0);
	free(buf);
	buf = NULL;

	/* Sizes around the limit and around the internal buffer size (4096). */
	static const size_t sizes[] = { 1, 100, 4095, 4096, 4097, 8191, 8192, 8193, 100000 };
	char *data = malloc(100001);
	CHECK(data != NULL);
	if (!data)
		return;
	for (size_t i = 0; i < 100001; i++)
		data[i] = (char)('a' + i % 26);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t sz = sizes[i];
		CHECK(write_raw(path, data, sz));
		/* Exactly max bytes is allowed. */
		buf = NULL;
		len = 0;
		int r = util_read_file(path, sz, &buf, &len, &err);
		if (r != 0)
			fprintf(stderr, "  %zu bytes with max %zu: %s\n", sz, sz, err.msg);
		CHECK(r == 0 && len == sz && memcmp(buf, data, sz) == 0 && buf[sz] == '\0');
		free(buf);
		/* One byte over is -EFBIG, and the message names the file. */
		buf = NULL;
		verr_clear(&err);
		r = util_read_file(path, sz - 1, &buf, &len, &err);
		if (r != -EFBIG)
			fprintf(stderr, "  %zu bytes with max %zu: r=%d\n", sz, sz - 1, r);
		CHECK(r == -EFBIG && err.code == EFBIG && strstr(err.msg, path) != NULL);
		CHECK(buf == NULL);
		/* A generous limit is fine. */
		buf = NULL;
		CHECK(util_read_file(path, 1 << 20, &buf, &len, &err) == 0 && len == sz);
		free(buf);
	}
	free(data);

	/* A missing file: -ENOENT naming it. */
	CHECK(util_path(path, sizeof path, "%s/missing", base) == 0);
	verr_clear(&err);
	CHECK(util_read_file(path, 10, &buf, &len, &err) == -ENOENT);
	CHECK(strstr(err.msg, path) != NULL);

	/* util_read_fileat relative to a directory fd. */
	int dfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dfd >= 0);
	CHECK(util_path(path, sizeof path, "%s/read", base) == 0);
	CHECK(write_raw(path, "rel\n", 4));
	buf = NULL;
	CHECK(util_read_fileat(dfd, "read", 10, &buf, &len, &err) == 0 && len == 4 &&
	      strcmp(buf, "rel\n") == 0);
	free(buf);
	close(dfd);
	unlink(path);
}

/* util_read_all: everything up to end of file, NUL-terminated; at most size - 1 bytes. */
static void test_read_all(void)
{
	int p[2];
	char buf[8];
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "0ok", 3) == 3);
	close(p[1]);
	CHECK(util_read_all(p[0], buf, sizeof buf) == 3 && !strcmp(buf, "0ok"));
	close(p[0]);
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "1a long message", 15) == 15);
	close(p[1]);
	CHECK(util_read_all(p[0], buf, sizeof buf) == 7 && !strcmp(buf, "1a long"));
	close(p[0]);
	CHECK(pipe(p) == 0);
	close(p[1]);
	CHECK(util_read_all(p[0], buf, sizeof buf) == 0 && buf[0] == '\0');
	close(p[0]);
}

static void test_write_atomic(void)
{
	char dir[4096], path[4096], bad[4096];
	struct vireo_err err;
	struct stat st;
	CHECK(util_path(dir, sizeof dir, "%s/atomic", base) == 0);
	CHECK(mkdir(dir, 0755) == 0);
	CHECK(util_path(path, sizeof path, "%s/file", dir) == 0);

	mode_t old = umask(0777);
	CHECK(util_write_file_atomic(path, "one\n", 4, 0640, &err) == 0);
	umask(old);
	CHECK(file_is(path, "one\n", 4));
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK(check_count_entries(dir) == 1);

	/* Replacing: new inode, new content, new mode, no temporaries left behind. */
	ino_t ino1 = st.st_ino;
	int keep = open(path, O_RDONLY | O_CLOEXEC); /* a reader of the old version */
	CHECK(util_write_file_atomic(path, "two, longer\n", 12, 0600, &err) == 0);
	CHECK(file_is(path, "two, longer\n", 12));
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_ino != ino1);
	char old_content[8] = "";
	CHECK(keep >= 0 && read(keep, old_content, sizeof old_content) == 4 &&
	      memcmp(old_content, "one\n", 4) == 0);
	if (keep >= 0)
		close(keep);
	CHECK(util_write_file_atomic(path, "", 0, 0644, &err) == 0);
	CHECK(file_is(path, "", 0));
	CHECK(check_count_entries(dir) == 1);

	/* A symlink at the path is replaced, not followed. */
	char target[4096];
	CHECK(util_path(target, sizeof target, "%s/target", dir) == 0);
	CHECK(write_raw(target, "target", 6));
	CHECK(unlink(path) == 0 && symlink(target, path) == 0);
	CHECK(util_write_file_atomic(path, "new", 3, 0644, &err) == 0);
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	CHECK(file_is(target, "target", 6));
	CHECK(check_count_entries(dir) == 2);

	/* A missing directory: an error naming the path, nothing created. */
	CHECK(util_path(bad, sizeof bad, "%s/nodir/file", dir) == 0);
	verr_clear(&err);
	CHECK(util_write_file_atomic(bad, "x", 1, 0644, &err) == -ENOENT);
	CHECK(strstr(err.msg, "nodir/file") != NULL);

	/* The target is a directory: rename fails, the temporary is cleaned up. */
	CHECK(util_path(bad, sizeof bad, "%s/adir", dir) == 0);
	CHECK(mkdir(bad, 0755) == 0);
	verr_clear(&err);
	CHECK(util_write_file_atomic(bad, "x", 1, 0644, &err) < 0);
	CHECK(err.msg[0] != '\0');
	CHECK(check_count_entries(dir) == 3);
	CHECK(rmdir(bad) == 0);

	CHECK(util_rm_rf(dir, &err) == 0);
}

static void test_mkdir_p(void)
{
	char path[4096], file[4096];
	struct vireo_err err;
	struct stat st;

	CHECK(util_path(path, sizeof path, "%s/m/a/b/c", base) == 0);
	CHECK(util_mkdir_p(path, 0755, &err) == 0);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	/* Existing: fine. Trailing and doubled slashes: fine. */
	CHECK(util_mkdir_p(path, 0755, &err) == 0);
	CHECK(util_path(path, sizeof path, "%s/m//x/y/", base) == 0);
	CHECK(util_mkdir_p(path, 0755, &err) == 0);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(util_mkdir_p("/", 0755, &err) == 0);
	CHECK(util_mkdir_p(base, 0755, &err) == 0);

	/* On an existing file, and through one: errors with messages. */
	CHECK(util_path(file, sizeof file, "%s/m/file", base) == 0);
	CHECK(write_raw(file, "x", 1));
	verr_clear(&err);
	CHECK(util_mkdir_p(file, 0755, &err) == -ENOTDIR);
	CHECK(strstr(err.msg, file) != NULL);
	CHECK(util_path(path, sizeof path, "%s/sub/dir", file) == 0);
	verr_clear(&err);
	CHECK(util_mkdir_p(path, 0755, &err) == -ENOTDIR);
	CHECK(strstr(err.msg, "file/sub") != NULL);
	CHECK(stat(file, &st) == 0 && S_ISREG(st.st_mode));

	/* The empty path is an error, not a walk off the end of the string. */
	verr_clear(&err);
	CHECK(util_mkdir_p("", 0755, &err) == -ENOENT);
	CHECK(err.msg[0] != '\0');

	/* Too long. */
	char *huge = malloc(8192);
	CHECK(huge != NULL);
	if (huge) {
		memset(huge, 'd', 8191);
		huge[0] = '/';
		huge[8191] = '\0';
		CHECK(util_mkdir_p(huge, 0755, &err) == -ENAMETOOLONG);
		free(huge);
	}

	CHECK(util_path(path, sizeof path, "%s/m", base) == 0);
	CHECK(util_rm_rf(path, &err) == 0);
	CHECK(!util_exists(path));
}

static void test_rm_rf(void)
{
	char tree[4096], outside[4096], p[4096];
	struct vireo_err err;
	struct stat st;

	/* outside/: a directory with files the tree links to; it must survive. */
	CHECK(util_path(outside, sizeof outside, "%s/outside", base) == 0);
	CHECK(util_path(p, sizeof p, "%s/deep/er", outside) == 0);
	CHECK(util_mkdir_p(p, 0755, &err) == 0);
	CHECK(util_path(p, sizeof p, "%s/precious", outside) == 0);
	CHECK(write_raw(p, "keep", 4));
	CHECK(util_path(p, sizeof p, "%s/deep/er/also", outside) == 0);
	CHECK(write_raw(p, "keep", 4));

	/* tree/: nested dirs, files, a symlink to outside/, a symlink to a file outside,
	 * a dangling symlink, a FIFO, an empty directory. */
	CHECK(util_path(tree, sizeof tree, "%s/tree", base) == 0);
	CHECK(util_path(p, sizeof p, "%s/a/b/c", tree) == 0);
	CHECK(util_mkdir_p(p, 0755, &err) == 0);
	CHECK(util_path(p, sizeof p, "%s/a/b/c/f", tree) == 0);
	CHECK(write_raw(p, "x", 1));
	CHECK(util_path(p, sizeof p, "%s/a/top", tree) == 0);
	CHECK(write_raw(p, "x", 1));
	CHECK(util_path(p, sizeof p, "%s/a/link-dir", tree) == 0);
	CHECK(symlink(outside, p) == 0);
	CHECK(util_path(p, sizeof p, "%s/link-dir-rel", tree) == 0);
	CHECK(symlink("../outside", p) == 0);
	CHECK(util_path(p, sizeof p, "%s/outside/precious", base) == 0);
	char lf[4096];
	CHECK(util_path(lf, sizeof lf, "%s/a/b/link-file", tree) == 0);
	CHECK(symlink(p, lf) == 0);
	CHECK(util_path(p, sizeof p, "%s/dangling", tree) == 0);
	CHECK(symlink("/nonexistent/vireo", p) == 0);
	CHECK(util_path(p, sizeof p, "%s/fifo", tree) == 0);
	CHECK(mkfifo(p, 0600) == 0);
	CHECK(util_path(p, sizeof p, "%s/empty", tree) == 0);
	CHECK(mkdir(p, 0755) == 0);

	CHECK(util_rm_rf(tree, &err) == 0);
	CHECK(lstat(tree, &st) < 0 && errno == ENOENT);

	CHECK(stat(outside, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(util_path(p, sizeof p, "%s/precious", outside) == 0);
	CHECK(file_is(p, "keep", 4));
	CHECK(util_path(p, sizeof p, "%s/deep/er/also", outside) == 0);
	CHECK(file_is(p, "keep", 4));
	CHECK(check_count_entries(outside) == 2);

	/* A symlink given as the top path is removed, its target kept. */
	CHECK(util_path(p, sizeof p, "%s/toplink", base) == 0);
	CHECK(symlink(outside, p) == 0);
	CHECK(util_rm_rf(p, &err) == 0);
	CHECK(lstat(p, &st) < 0 && errno == ENOENT);
	CHECK(util_path(p, sizeof p, "%s/precious", outside) == 0);
	CHECK(file_is(p, "keep", 4));

	/* A plain file, and a missing path (success, nothing to do). */
	CHECK(util_path(p, sizeof p, "%s/plain", base) == 0);
	CHECK(write_raw(p, "x", 1));
	CHECK(util_rm_rf(p, &err) == 0 && !util_exists(p));
	CHECK(util_rm_rf(p, &err) == 0);

	CHECK(util_rm_rf(outside, &err) == 0 && !util_exists(outside));
}

static void test_path(void)
{
	char buf[16];
	CHECK(util_path(buf, sizeof buf, "%s/%d", "/a", 12) == 0 && strcmp(buf, "/a/12") == 0);
	/* 15 characters fit a 16-byte buffer; 16 do not. */
	CHECK(util_path(buf, sizeof buf, "%s", "123456789012345") == 0 &&
	      strcmp(buf, "123456789012345") == 0);
	CHECK(util_path(buf, sizeof buf, "%s", "1234567890123456") == -ENAMETOOLONG);
	CHECK(util_path(buf, sizeof buf, "%s/%s", "/var/lib/vireo", "conf") == -ENAMETOOLONG);
	CHECK(strlen(buf) < sizeof buf); /* still terminated */
	CHECK(util_path(buf, 1, "%s", "") == 0 && buf[0] == '\0');
	CHECK(util_path(buf, 1, "%s", "x") == -ENAMETOOLONG);
}

static void test_run(void)
{
	struct vireo_err err;
	char sh[] = "sh", c[] = "-c";
	char fail[] = "echo out; echo first >&2; echo last line >&2; exit 3";
	char *argv[] = { sh, c, fail, NULL };

	verr_clear(&err);
	CHECK(util_run(argv, false, &err) == 3);
	CHECK(err.code == EIO);
	CHECK(strstr(err.msg, "last line") != NULL);
	CHECK(strstr(err.msg, "first") == NULL);
	CHECK(strstr(err.msg, "sh") != NULL && strstr(err.msg, "3") != NULL);
	CHECK(strchr(err.msg, '\n') == NULL);

	/* quiet: same status, nothing captured. */
	verr_clear(&err);
	CHECK(util_run(argv, true, &err) == 3);
	CHECK(strstr(err.msg, "last line") == NULL);

	/* util_run_io: the program reads the descriptor it is given. */
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "7\n", 2) == 2);
	close(p[1]);
	char rd[] = "read x; [ \"$x\" = 7 ] && exit 5; exit 1";
	char *argv_rd[] = { sh, c, rd, NULL };
	CHECK(util_run_io(argv_rd, p[0], false, &err) == 5);
	close(p[0]);
	/* util_spawn: standard output to a pipe; a program that cannot run exits 127. */
	CHECK(pipe(p) == 0);
	char hi[] = "echo hi";
	char *argv_hi[] = { sh, c, hi, NULL };
	pid_t pid = util_spawn(argv_hi, -1, p[1], -1);
	CHECK(pid > 0);
	close(p[1]);
	char buf[8] = "";
	CHECK(read(p[0], buf, sizeof buf - 1) == 3 && !strcmp(buf, "hi\n"));
	close(p[0]);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	char none[] = "/nonexistent/vireo-none";
	char *argv_none[] = { none, NULL };
	pid = util_spawn(argv_none, -1, -1, -1);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 127);

	/* Success: 0, err untouched. */
	char ok[] = "echo fine >&2; exit 0";
	char *argv_ok[] = { sh, c, ok, NULL };
	verr_clear(&err);
	CHECK(util_run(argv_ok, false, &err) == 0);
	CHECK(err.code == 0 && err.msg[0] == '\0');
	char t[] = "true", f[] = "false";
	char *argv_true[] = { t, NULL }, *argv_false[] = { f, NULL };
	CHECK(util_run(argv_true, true, NULL) == 0);
	CHECK(util_run(argv_false, true, NULL) == 1);

	/* A last line without a final newline, and trailing empty lines, still count. */
	char nonl[] = "echo a >&2; printf 'final words' >&2; exit 4";
	char *argv_nonl[] = { sh, c, nonl, NULL };
	CHECK(util_run(argv_nonl, false, &err) == 4 && strstr(err.msg, "final words") != NULL);
	char blank[] = "echo real >&2; echo >&2; echo >&2; exit 5";
	char *argv_blank[] = { sh, c, blank, NULL };
	CHECK(util_run(argv_blank, false, &err) == 5 && strstr(err.msg, "real") != NULL);

	/* Lots of output (more than a pipe and the internal buffer) before the last line. */
	char lots[] = "i=0; while [ $i -lt 3000 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done;"
		      " echo the end >&2; exit 6";
	char *argv_lots[] = { sh, c, lots, NULL };
	CHECK(util_run(argv_lots, false, &err) == 6 && strstr(err.msg, "the end") != NULL);

	/* Killed by a signal: 128 + signal. */
	char killed[] = "kill -9 $$";
	char *argv_killed[] = { sh, c, killed, NULL };
	CHECK(util_run(argv_killed, true, &err) == 128 + 9);

	/* A command that does not exist: 127 and a message saying so. */
	char nope[] = "/nonexistent/vireo-no-such-command";
	char *argv_nope[] = { nope, NULL };
	verr_clear(&err);
	CHECK(util_run(argv_nope, false, &err) == 127);
	CHECK(strstr(err.msg, "vireo-no-such-command") != NULL);
	CHECK(strstr(err.msg, "cannot run") != NULL);

	/* stdin is /dev/null: a reader sees EOF at once instead of hanging. */
	char cat[] = "cat";
	char *argv_cat[] = { cat, NULL };
	CHECK(util_run(argv_cat, true, &err) == 0);
}

static void test_starttime(void)
{
	unsigned long long me = util_proc_starttime(getpid());
	CHECK(me > 0);
	CHECK(util_proc_starttime(getpid()) == me); /* stable */
	CHECK(util_proc_starttime(1) > 0);
	CHECK(util_proc_starttime(1) <= me);

	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		CHECK(util_proc_starttime(pid) == 0);
	}
	CHECK(util_proc_starttime(-1) == 0);
	CHECK(util_proc_starttime(0x7fffffff) == 0);
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void test_close_from(void)
{
	/* Run in a child so the test process keeps its own descriptors. */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int bad = 0;
		int nul = open("/dev/null", O_RDWR);
		if (nul < 0)
			_exit(100);
		for (int fd = 200; fd <= 205; fd++)
			if (dup2(nul, fd) != fd)
				_exit(101);
		const int keep[] = { 202, 204 };
		util_close_from(201, keep, ARRAY_SIZE(keep));
		bad |= !fd_open(200) << 0;
		bad |= fd_open(201) << 1;
		bad |= !fd_open(202) << 2;
		bad |= fd_open(203) << 3;
		bad |= !fd_open(204) << 4;
		bad |= fd_open(205) << 5;
		bad |= !fd_open(nul) << 6;
		/* Without a keep list (close_range): everything from 200 up goes, nul stays. */
		util_close_from(200, NULL, 0);
		for (int fd = 200; fd <= 205; fd++)
			bad |= fd_open(fd) << 7;
		bad |= !fd_open(nul) << 6;
		_exit(bad);
	}
	if (pid > 0) {
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		CHECK(WIFEXITED(st));
		if (WIFEXITED(st) && WEXITSTATUS(st))
			fprintf(stderr, "  close_from child status %#x\n", WEXITSTATUS(st));
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}

static void test_misc(void)
{
	CHECK(util_exists("/"));
	CHECK(util_exists(base));
	CHECK(!util_exists("/nonexistent/vireo"));
	long long a = util_now_ms(), b = util_now_ms();
	CHECK(a > 0 && b >= a);

	char path[4096];
	struct vireo_err err;
	CHECK(util_path(path, sizeof path, "%s/ws", base) == 0);
	CHECK(write_raw(path, "old", 3));
	CHECK(util_write_str(path, "12", &err) == 0);
	CHECK(file_is(path, "12d", 3)); /* writes in place, no truncation, like sysfs */
	unlink(path);
	verr_clear(&err);
	CHECK(util_write_str(path, "1", &err) == -ENOENT && strstr(err.msg, path) != NULL);
}

static void test_capture(void)
{
	struct vireo_err err;
	char sh[] = "sh", c[] = "-c", prog[] = "echo out; echo noise >&2; exit 4";
	char *argv[] = { sh, c, prog, NULL };
	char *out = NULL;
	int st = -1;
	verr_clear(&err);
	CHECK(util_capture(argv, 1024, &out, &st, &err) == 0);
	CHECK(out && !strcmp(out, "out\n") && st == 4);
	free(out);
	/* More than max: an error, nothing returned, the child still reaped. */
	char big[] = "head -c 300000 /dev/zero";
	char *argv_big[] = { sh, c, big, NULL };
	CHECK(util_capture(argv_big, 100000, &out, &st, &err) == -EFBIG && out == NULL);
	/* Exactly max is fine, and it grows past its first buffer. */
	CHECK(util_capture(argv_big, 300000, &out, &st, &err) == 0 && st == 0);
	free(out);
}

static void test_du(void)
{
	char d[PATH_MAX], f[PATH_MAX + 8];
	uint64_t bytes, inodes;
	snprintf(d, sizeof d, "%s/du", base);
	CHECK(util_mkdir_p(d, 0700, NULL) == 0);
	CHECK(util_du(d, &bytes, &inodes) == 0 && inodes == 1);
	uint64_t empty = bytes;
	snprintf(f, sizeof f, "%s/sub", d);
	CHECK(mkdir(f, 0700) == 0);
	snprintf(f, sizeof f, "%s/sub/data", d);
	int fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	char buf[65536];
	memset(buf, 'x', sizeof buf);
	CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf);
	CHECK(fsync(fd) == 0);
	close(fd);
	snprintf(f, sizeof f, "%s/link", d);
	CHECK(symlink("/", f) == 0); /* not followed */
	CHECK(util_du(d, &bytes, &inodes) == 0);
	CHECK(inodes == 4);
	CHECK(bytes >= empty + sizeof buf && bytes < empty + 4 * sizeof buf);
	CHECK(util_du("/nonexistent/vireo", &bytes, &inodes) == -ENOENT && bytes == 0);
}

int main(void)
{
	test_read_all();
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		CHECK(0);
		return check_done();
	}
	test_read_file();
	test_write_atomic();
	test_mkdir_p();
	test_rm_rf();
	test_path();
	test_run();
	test_starttime();
	test_close_from();
	test_misc();
	test_du();
	test_capture();

	check_remove_tmpdir(base);
	return check_done();
}
