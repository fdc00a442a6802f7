/* tests/unit/test-extract: ct/extract and ct/template. Hostile and well-formed tarballs are
 * written with libarchive's writer, unpacked with tmpl_extract, and checked for what landed
 * where; the busybox template is built from the host's /bin/busybox, and debian-12 from a
 * stand-in debootstrap script. Everything lives under one mkdtemp directory in /tmp, removed
 * at the end whatever the checks said. Runs as root (ownership, device nodes). */
#include "ct/ct-internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "check-fs.h"
#include "lib/util.h"

#define T_MTIME 1600000000
#define T_HARDLINK ((mode_t)1) /* entry type: a hard link to text */

struct tent {
	const char *path;
	mode_t type; /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, ... or T_HARDLINK */
	mode_t perm;
	const char *text; /* file content, or symlink / hard link target */
	int64_t uid, gid;
};

enum { TB_PLAIN, TB_GZIP, TB_XZ };

/* Write entries into a tarball; -1 when libarchive refuses (e.g. a filter it lacks). */
static int tb_write(const char *path, const struct tent *ents, size_t n, int filter)
{
	struct archive *a = archive_write_new();
	if (!a)
		return -1;
	int r = archive_write_set_format_pax_restricted(a);
	if (r == ARCHIVE_OK && filter == TB_GZIP)
		r = archive_write_add_filter_gzip(a);
	if (r == ARCHIVE_OK && filter == TB_XZ)
		r = archive_write_add_filter_xz(a);
	if (r == ARCHIVE_OK)
		r = archive_write_open_filename(a, path);
	for (size_t i = 0; i < n && r == ARCHIVE_OK; i++) {
		const struct tent *t = &ents[i];
		struct archive_entry *e = archive_entry_new();
		if (!e) {
			r = ARCHIVE_FATAL;
			break;
		}
		archive_entry_set_pathname(e, t->path);
		archive_entry_set_filetype(e, t->type == T_HARDLINK ? AE_IFREG : t->type);
		archive_entry_set_perm(e, t->perm);
		/* Root-owned entries belong to the caller when the test is not run as root. */
		archive_entry_set_uid(e, t->uid ? t->uid : (int64_t)geteuid());
		archive_entry_set_gid(e, t->gid ? t->gid : (int64_t)getegid());
		archive_entry_set_mtime(e, T_MTIME, 0);
		size_t len = t->type == AE_IFREG && t->text ? strlen(t->text) : 0;
		archive_entry_set_size(e, (la_int64_t)len);
		if (t->type == T_HARDLINK)
			archive_entry_set_hardlink(e, t->text);
		if (t->type == AE_IFLNK)
			archive_entry_set_symlink(e, t->text);
		if (t->type == AE_IFCHR || t->type == AE_IFBLK)
			archive_entry_set_rdev(e, makedev(8, 0));
		r = archive_write_header(a, e);
		if (r == ARCHIVE_OK && len && archive_write_data(a, t->text, len) != (la_ssize_t)len)
			r = ARCHIVE_FATAL;
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK && r == ARCHIVE_OK)
		r = ARCHIVE_FATAL;
	archive_write_free(a);
	return r == ARCHIVE_OK ? 0 : -1;
}

static bool file_is(const char *path, const char *want)
{
	char *got = NULL;
	struct vireo_err err = { 0 };
	if (util_read_file(path, 1 << 20, &got, NULL, &err) < 0)
		return false;
	bool same = !strcmp(got, want);
	free(got);
	return same;
}

static bool link_is(const char *path, const char *want)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, want);
}

static bool lexists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Unpack base/NAME.tar into base/NAME/dest: it must fail with a message holding want, and
 * base/NAME must still hold nothing but dest. */
static void expect_refused_tar(const char *base, const char *name, uint32_t shift,
			       const char *want)
{
	char dir[PATH_MAX], dest[PATH_MAX], tar[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/%s", base, name);
	snprintf(dest, sizeof dest, "%s/dest", dir);
	snprintf(tar, sizeof tar, "%s/%s.tar", base, name);
	CHECK(mkdir(dir, 0755) == 0 && mkdir(dest, 0755) == 0);
	struct vireo_err err = { 0 };
	int r = tmpl_extract(tar, dest, shift, &err);
	CHECK(r < 0);
	CHECK(strstr(err.msg, want) != NULL);
	if (r >= 0 || !strstr(err.msg, want))
		fprintf(stderr, "  case %s: r=%d msg='%s', wanted '%s'\n", name, r, err.msg, want);
	CHECK(check_count_entries(dir) == 1);
}

static void expect_refused(const char *base, const char *name, const struct tent *ents,
			   size_t n, uint32_t shift, const char *want)
{
	char tar[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/%s.tar", base, name);
	int w = tb_write(tar, ents, n, TB_PLAIN);
	CHECK(w == 0);
	if (w == 0)
		expect_refused_tar(base, name, shift, want);
}

/* One raw ustar header block: libarchive's writer never gives a hard link data, a hostile
 * tarball may. */
static void raw_header(unsigned char *b, const char *name, char type, const char *link,
		       size_t size, unsigned mode)
{
	memset(b, 0, 512);
	snprintf((char *)b, 100, "%s", name);
	snprintf((char *)b + 100, 8, "%07o", mode);
	snprintf((char *)b + 108, 8, "%07o", (unsigned)geteuid());
	snprintf((char *)b + 116, 8, "%07o", (unsigned)getegid());
	snprintf((char *)b + 124, 12, "%011zo", size);
	snprintf((char *)b + 136, 12, "%011o", (unsigned)T_MTIME);
	b[156] = (unsigned char)type;
	if (link)
		snprintf((char *)b + 157, 100, "%s", link);
	memcpy(b + 257, "ustar", 6);
	memcpy(b + 263, "00", 2);
	memset(b + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += b[i];
	snprintf((char *)b + 148, 8, "%06o", sum);
	b[155] = ' ';
}

/* symlink s -> target, then a pax hard link h -> s carrying data and mode 0777: libarchive
 * 3.6 would chmod (and write times on) whatever s points at. */
static int raw_write_hardlink_with_data(const char *path, const char *target)
{
	unsigned char blocks[512 * 7];
	memset(blocks, 0, sizeof blocks);
	raw_header(blocks, "s", '2', target, 0, 0777);
	const char pax[] = "10 path=h\n";
	raw_header(blocks + 512, "PaxHeader/h", 'x', NULL, strlen(pax), 0644);
	memcpy(blocks + 1024, pax, strlen(pax));
	raw_header(blocks + 1536, "h", '1', "s", 4, 0777);
	memcpy(blocks + 2048, "PWN\n", 4);
	/* blocks 5 and 6 stay zero: the end-of-archive marker */
	struct vireo_err err = { 0 };
	return util_write_file_atomic(path, blocks, sizeof blocks, 0644, &err);
}

static void test_refused(const char *base)
{
	char outside[PATH_MAX], secret[PATH_MAX], absent[PATH_MAX], pwned[PATH_MAX];
	snprintf(outside, sizeof outside, "%s/outside-dir", base);
	snprintf(secret, sizeof secret, "%s/secret", outside);
	snprintf(absent, sizeof absent, "%s/abs-target", base);
	snprintf(pwned, sizeof pwned, "%s/pwned", outside);
	CHECK(mkdir(outside, 0755) == 0);
	CHECK(util_write_file_atomic(secret, "s\n", 2, 0644, NULL) == 0);

	const struct tent dotdot[] = { { "../escape", AE_IFREG, 0644, "x", 0, 0 } };
	expect_refused(base, "dotdot", dotdot, 1, 0, "template entry '../escape' has a '..' component");
	const struct tent inner[] = { { "a/", AE_IFDIR, 0755, NULL, 0, 0 },
				      { "a/../../escape", AE_IFREG, 0644, "x", 0, 0 } };
	expect_refused(base, "inner", inner, 2, 0, "'a/../../escape' has a '..' component");
	const struct tent abs[] = { { absent, AE_IFREG, 0644, "x", 0, 0 } };
	expect_refused(base, "abs", abs, 1, 0, "has an absolute path");
	CHECK(!lexists(absent));
	const struct tent abs2[] = { { "/etc/x", AE_IFREG, 0644, "x", 0, 0 } };
	expect_refused(base, "abs2", abs2, 1, 0, "template entry '/etc/x' has an absolute path");

	struct stat before, after;
	CHECK(stat("/etc/passwd", &before) == 0);
	const struct tent hl[] = { { "x", T_HARDLINK, 0644, "../../etc/passwd", 0, 0 } };
	expect_refused(base, "hardlink-dotdot", hl, 1, 0, "hard link to '../../etc/passwd'");
	const struct tent hl2[] = { { "x", T_HARDLINK, 0644, "/etc/passwd", 0, 0 } };
	expect_refused(base, "hardlink-abs", hl2, 1, 0, "hard link to '/etc/passwd'");
	CHECK(stat("/etc/passwd", &after) == 0 && after.st_nlink == before.st_nlink);

	const struct tent chr[] = { { "dev/", AE_IFDIR, 0755, NULL, 0, 0 },
				    { "dev/sda", AE_IFCHR, 0600, NULL, 0, 0 } };
	expect_refused(base, "chr", chr, 2, 0, "template entry 'dev/sda' is a device node");
	const struct tent blk[] = { { "sdb", AE_IFBLK, 0600, NULL, 0, 0 } };
	expect_refused(base, "blk", blk, 1, 0, "template entry 'sdb' is a device node");

	/* Writing through a symlink, absolute or relative, must not reach outside. */
	const struct tent through[] = { { "link", AE_IFLNK, 0777, outside, 0, 0 },
					{ "link/pwned", AE_IFREG, 0644, "x", 0, 0 } };
	expect_refused(base, "through", through, 2, 0, "'link/pwned' lies under the symlink 'link'");
	const struct tent through2[] = { { "up", AE_IFLNK, 0777, "../../outside-dir", 0, 0 },
					 { "up/pwned", AE_IFREG, 0644, "x", 0, 0 } };
	expect_refused(base, "through-rel", through2, 2, 0, "lies under the symlink 'up'");
	CHECK(!lexists(pwned));
	/* A hard link whose target goes through a symlink would link a host file in. */
	const struct tent hlsym[] = { { "evil", AE_IFLNK, 0777, outside, 0, 0 },
				      { "x", T_HARDLINK, 0644, "evil/secret", 0, 0 } };
	expect_refused(base, "hardlink-through", hlsym, 2, 0, "lies under the symlink 'evil'");
	struct stat st;
	CHECK(stat(secret, &st) == 0 && st.st_nlink == 1);
	char tar[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/hardlink-data.tar", base);
	CHECK(raw_write_hardlink_with_data(tar, secret) == 0);
	expect_refused_tar(base, "hardlink-data", 0, "'h' is a hard link to 's', which is not a regular file");
	const struct tent hlfwd[] = { { "x", T_HARDLINK, 0644, "later", 0, 0 },
				      { "later", AE_IFREG, 0644, "l", 0, 0 } };
	expect_refused(base, "hardlink-forward", hlfwd, 2, 0, "which is not in the template before it");
	CHECK(stat(secret, &st) == 0 && st.st_nlink == 1 && (st.st_mode & 07777) == 0644);
	CHECK(st.st_mtime != T_MTIME && file_is(secret, "s\n"));
	CHECK(check_count_entries(outside) == 1);

	/* Ids a container cannot map, and names that are not names. */
	const struct tent bigid[] = { { "f", AE_IFREG, 0644, "x", 70000, 0 } };
	expect_refused(base, "uid70000", bigid, 1, 100000,
		       "template entry 'f' is owned by uid 70000, beyond the 65536 ids a container maps");
	const struct tent biggid[] = { { "g", AE_IFREG, 0644, "x", 0, 65536 } };
	expect_refused(base, "gid65536", biggid, 1, 100000, "owned by gid 65536");
	const struct tent rootfile[] = { { ".", AE_IFIFO, 0644, NULL, 0, 0 } };
	expect_refused(base, "rootfile", rootfile, 1, 0, "names the root but is not a directory");
}

/* A socket cannot be written by libarchive's tar writer; try, and refuse it if it can. */
static void test_socket(const char *base)
{
	char tar[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/socket-probe.tar", base);
	const struct tent sock[] = { { "s", AE_IFSOCK, 0755, NULL, 0, 0 } };
	if (tb_write(tar, sock, 1, TB_PLAIN) < 0) {
		printf("# the tar writer refuses sockets; socket refusal not exercised\n");
		return;
	}
	expect_refused(base, "socket", sock, 1, 0, "template entry 's' is a socket");
}

static void test_good(const char *base, uint32_t shift, int filter)
{
	char tar[PATH_MAX], dest[PATH_MAX], p[PATH_MAX], q[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/good-%u.tar%s", base, shift,
		 filter == TB_GZIP ? ".gz" : filter == TB_XZ ? ".xz" : "");
	snprintf(dest, sizeof dest, "%s/good-%u", base, shift);
	const struct tent ents[] = {
		{ "./", AE_IFDIR, 0755, NULL, 0, 0 },
		{ "./etc/", AE_IFDIR, 0755, NULL, 0, 0 },
		{ "etc/file", AE_IFREG, 0640, "hello\n", 1000, 1001 },
		{ "etc/link", AE_IFLNK, 0777, "file", 0, 0 },
		{ "etc/hard", T_HARDLINK, 0640, "./etc/file", 1000, 1001 },
		{ "usr//bin/", AE_IFDIR, 0711, NULL, 0, 0 },
		{ "usr/bin/abs", AE_IFLNK, 0777, "/bin/busybox", 0, 0 },
		{ "run/fifo", AE_IFIFO, 0600, NULL, 0, 0 },
		{ "tmp", AE_IFDIR, 01777, NULL, 0, 0 },
		{ "etc/setuid", AE_IFREG, 04755, "#!/bin/sh\n", 0, 0 },
		{ "home/u/", AE_IFDIR, 0700, NULL, 1000, 1000 },
	};
	int w = tb_write(tar, ents, ARRAY_SIZE(ents), filter);
	if (w < 0 && filter == TB_XZ) {
		printf("# libarchive cannot write xz here; using gzip\n");
		filter = TB_GZIP;
		w = tb_write(tar, ents, ARRAY_SIZE(ents), filter);
	}
	CHECK(w == 0);
	CHECK(mkdir(dest, 0700) == 0);
	struct vireo_err err = { 0 };
	int r = tmpl_extract(tar, dest, shift, &err);
	CHECK(r == 0);
	if (r < 0)
		fprintf(stderr, "  good tarball (shift %u): %s\n", shift, err.msg);

	struct stat st, st2;
	CHECK(stat(dest, &st) == 0 && st.st_uid == shift && (st.st_mode & 07777) == 0755);
	snprintf(p, sizeof p, "%s/etc/file", dest);
	CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640);
	CHECK(st.st_uid == 1000 + shift && st.st_gid == 1001 + shift);
	CHECK(st.st_nlink == 2 && st.st_mtime == T_MTIME);
	CHECK(file_is(p, "hello\n"));
	snprintf(q, sizeof q, "%s/etc/hard", dest);
	CHECK(lstat(q, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev);
	snprintf(p, sizeof p, "%s/etc/link", dest);
	CHECK(lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && st.st_uid == shift);
	CHECK(link_is(p, "file"));
	snprintf(p, sizeof p, "%s/usr/bin", dest);
	CHECK(lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0711);
	snprintf(p, sizeof p, "%s/usr/bin/abs", dest);
	CHECK(link_is(p, "/bin/busybox"));
	snprintf(p, sizeof p, "%s/run/fifo", dest);
	CHECK(lstat(p, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_uid == shift);
	snprintf(p, sizeof p, "%s/tmp", dest);
	CHECK(lstat(p, &st) == 0 && (st.st_mode & 07777) == 01777);
	snprintf(p, sizeof p, "%s/etc/setuid", dest);
	CHECK(lstat(p, &st) == 0 && (st.st_mode & 07777) == 04755 && st.st_uid == shift);
	snprintf(p, sizeof p, "%s/home/u", dest);
	CHECK(lstat(p, &st) == 0 && (st.st_mode & 07777) == 0700 && st.st_uid == 1000 + shift);
}

/* A tarball cut short, and a file that is no tarball at all, are refused. */
static void test_damaged(const char *base)
{
	char tar[PATH_MAX], dest[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/cut.tar", base);
	snprintf(dest, sizeof dest, "%s/cut", base);
	char big[20000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const struct tent ents[] = { { "big", AE_IFREG, 0644, big, 0, 0 },
				     { "after", AE_IFREG, 0644, "a", 0, 0 } };
	CHECK(tb_write(tar, ents, 2, TB_PLAIN) == 0);
	CHECK(truncate(tar, 5000) == 0);
	CHECK(mkdir(dest, 0755) == 0);
	struct vireo_err err = { 0 };
	CHECK(tmpl_extract(tar, dest, 0, &err) < 0 && strstr(err.msg, "cut.tar"));
	CHECK(util_write_file_atomic(tar, "hello, not a tar\n", 17, 0644, &err) == 0);
	CHECK(tmpl_extract(tar, dest, 0, &err) < 0 && strstr(err.msg, "cut.tar"));
}

static void test_ids_unshifted(const char *base)
{
	char tar[PATH_MAX], dest[PATH_MAX], p[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/bigid.tar", base);
	snprintf(dest, sizeof dest, "%s/bigid", base);
	const struct tent ents[] = { { "f", AE_IFREG, 0644, "x", 70000, 70001 } };
	CHECK(tb_write(tar, ents, 1, TB_PLAIN) == 0);
	CHECK(mkdir(dest, 0755) == 0);
	struct vireo_err err = { 0 };
	CHECK(tmpl_extract(tar, dest, 0, &err) == 0);
	struct stat st;
	snprintf(p, sizeof p, "%s/f", dest);
	CHECK(stat(p, &st) == 0 && st.st_uid == 70000 && st.st_gid == 70001);
}

/* A destdir reached through a symlink still works, and the symlink survives. */
static void test_destdir_symlink(const char *base)
{
	char tar[PATH_MAX], real[PATH_MAX], link[PATH_MAX], p[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/via.tar", base);
	snprintf(real, sizeof real, "%s/via-real", base);
	snprintf(link, sizeof link, "%s/via-link", base);
	const struct tent ents[] = { { "d/f", AE_IFREG, 0644, "y", 0, 0 } };
	CHECK(tb_write(tar, ents, 1, TB_PLAIN) == 0);
	CHECK(mkdir(real, 0755) == 0 && symlink("via-real", link) == 0);
	struct vireo_err err = { 0 };
	CHECK(tmpl_extract(tar, link, 0, &err) == 0);
	struct stat st;
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	snprintf(p, sizeof p, "%s/d/f", real);
	CHECK(file_is(p, "y"));
	/* Missing tarball and missing destdir fail cleanly. */
	snprintf(p, sizeof p, "%s/no-such.tar", base);
	CHECK(tmpl_extract(p, real, 0, &err) < 0 && strstr(err.msg, "no-such.tar"));
	snprintf(p, sizeof p, "%s/no-such-dir", base);
	CHECK(tmpl_extract(tar, p, 0, &err) < 0 && strstr(err.msg, "no-such-dir"));
	CHECK(tmpl_extract(tar, real, UINT32_MAX - 10, &err) == -EINVAL);
}

static void test_tmpl_path(const struct ct_ctx *ctx)
{
	char buf[PATH_MAX], want[PATH_MAX];
	struct vireo_err err = { 0 };
	const char *bad[] = { "..", "a/b", "", "UPPER", ".hidden", "-x", "a..b", "a b",
			      "0123456789012345678901234567890123456789012345678901234567890123x" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = tmpl_path(ctx, bad[i], buf, sizeof buf, &err);
		CHECK(r == -EINVAL && strstr(err.msg, "invalid template name '"));
		if (r != -EINVAL)
			fprintf(stderr, "  name '%s' accepted\n", bad[i]);
	}
	CHECK(tmpl_path(ctx, NULL, buf, sizeof buf, &err) == -EINVAL);
	const char *good[] = { "debian-12", "busybox", "a", "ubuntu_22.04",
			       "0123456789012345678901234567890123456789012345678901234567890123" };
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		CHECK(tmpl_path(ctx, good[i], buf, sizeof buf, &err) == 0);
	CHECK(tmpl_path(ctx, "debian-12", buf, sizeof buf, &err) == 0);
	snprintf(want, sizeof want, "%s/templates/debian-12.tar.gz", ctx->root);
	CHECK(!strcmp(buf, want));
	char small[8];
	CHECK(tmpl_path(ctx, "debian-12", small, sizeof small, &err) == -ENAMETOOLONG);
}

/* Run path with argv; its exit status, or -1. */
static int run_status(const char *path, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_tmpl_busybox(const char *base, const struct ct_ctx *ctx)
{
	struct vireo_err err = { 0 };
	char **names = NULL;
	size_t n = 99;
	CHECK(tmpl_list(ctx, &names, &n, &err) == 0 && n == 0 && names == NULL);
	int r = tmpl_create(ctx, "nope", &err);
	CHECK(r < 0 && strstr(err.msg, "unknown template 'nope': vireo can build busybox and debian-12"));
	r = tmpl_ensure(ctx, "nope", &err);
	CHECK(r < 0 && strstr(err.msg, "unknown template 'nope': not in the cache"));
	CHECK(tmpl_create(ctx, "Bad/Name", &err) == -EINVAL);

	if (!util_exists("/bin/busybox")) {
		CHECK(tmpl_ensure(ctx, "busybox", &err) < 0 && strstr(err.msg, "busybox-static"));
		printf("# /bin/busybox missing: busybox template not built\n");
		return;
	}
	r = tmpl_ensure(ctx, "busybox", &err);
	CHECK(r == 0);
	if (r < 0) {
		fprintf(stderr, "  busybox template: %s\n", err.msg);
		return;
	}
	char tar[PATH_MAX], dest[PATH_MAX], p[PATH_MAX];
	snprintf(tar, sizeof tar, "%s/templates/busybox.tar.gz", ctx->root);
	struct stat st, st2;
	CHECK(stat(tar, &st) == 0 && S_ISREG(st.st_mode));
	/* Already cached: ensure keeps it, create rebuilds it. */
	CHECK(tmpl_ensure(ctx, "busybox", &err) == 0);
	CHECK(stat(tar, &st2) == 0 && st2.st_ino == st.st_ino);
	CHECK(tmpl_create(ctx, "busybox", &err) == 0);
	CHECK(stat(tar, &st2) == 0 && st2.st_ino != st.st_ino);

	snprintf(dest, sizeof dest, "%s/bb", base);
	CHECK(mkdir(dest, 0700) == 0);
	r = tmpl_extract(tar, dest, 100000, &err);
	CHECK(r == 0);
	if (r < 0)
		fprintf(stderr, "  busybox extract: %s\n", err.msg);
	snprintf(p, sizeof p, "%s/bin/busybox", dest);
	CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0755);
	CHECK(st.st_uid == 100000 && st.st_gid == 100000);
	CHECK(access(p, X_OK) == 0);
	snprintf(p, sizeof p, "%s/bin/sh", dest);
	CHECK(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
	char *sh_argv[] = { "sh", "-c", "exit 7", NULL };
	CHECK(run_status(p, sh_argv) == 7);
	snprintf(p, sizeof p, "%s/sbin/init", dest);
	CHECK(!lexists(p));
	snprintf(p, sizeof p, "%s/linuxrc", dest);
	CHECK(!lexists(p));
	snprintf(p, sizeof p, "%s/usr/bin/awk", dest);
	CHECK(link_is(p, "../../bin/busybox"));
	snprintf(p, sizeof p, "%s/var/run", dest);
	CHECK(link_is(p, "../run"));
	snprintf(p, sizeof p, "%s/etc/passwd", dest);
	CHECK(file_is(p, "root:x:0:0:root:/root:/bin/sh\n"
			 "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"));
	snprintf(p, sizeof p, "%s/etc/shadow", dest);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600);
	snprintf(p, sizeof p, "%s/etc/os-release", dest);
	char *osrel = NULL;
	CHECK(util_read_file(p, 4096, &osrel, NULL, &err) == 0 && osrel &&
	      strstr(osrel, "ID=busybox\n"));
	free(osrel);
	snprintf(p, sizeof p, "%s/root", dest);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0700 && st.st_uid == 100000);
	snprintf(p, sizeof p, "%s/tmp", dest);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 01777);
	CHECK(stat(dest, &st) == 0 && st.st_uid == 100000);

	/* Listing: only valid NAME.tar.gz regular files, sorted. */
	char junk[PATH_MAX];
	const char *junks[] = { "alpha.tar.gz", "Bad.tar.gz", "x.tar.gz.tmp.1", ".lock2", "zz.tar" };
	for (size_t i = 0; i < ARRAY_SIZE(junks); i++) {
		snprintf(junk, sizeof junk, "%s/templates/%s", ctx->root, junks[i]);
		CHECK(util_write_file_atomic(junk, "", 0, 0644, &err) == 0);
	}
	snprintf(junk, sizeof junk, "%s/templates/dir.tar.gz", ctx->root);
	CHECK(mkdir(junk, 0755) == 0);
	CHECK(tmpl_list(ctx, &names, &n, &err) == 0);
	CHECK(n == 2 && names && !strcmp(names[0], "alpha") && !strcmp(names[1], "busybox"));
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	for (size_t i = 0; i < ARRAY_SIZE(junks); i++) {
		snprintf(junk, sizeof junk, "%s/templates/%s", ctx->root, junks[i]);
		CHECK(unlink(junk) == 0);
	}
	snprintf(junk, sizeof junk, "%s/templates/dir.tar.gz", ctx->root);
	CHECK(rmdir(junk) == 0);
}

static const char fake_debootstrap[] =
	"#!/bin/sh\n"
	"set -e\n"
	"[ \"$1\" = --variant=minbase ] && [ \"$2\" = bookworm ] || exit 3\n"
	"t=\"$3\"\n"
	"case \"$4\" in *fail*) echo 'I: Retrieving InRelease'; "
	"echo 'E: Failed getting release file' >&2; exit 1;; esac\n"
	"mkdir -p \"$t/etc\" \"$t/usr/bin\" \"$t/dev/pts\" \"$t/var/cache/apt/archives/partial\" "
	"\"$t/var/lib/apt/lists\" \"$t/root\" \"$t/tmp\"\n"
	"echo 12.5 > \"$t/etc/debian_version\"\n"
	"echo \"$4\" > \"$t/etc/mirror\"\n"
	"printf data > \"$t/usr/bin/a\"\n"
	"chown 1:2 \"$t/usr/bin/a\"\n"
	"ln \"$t/usr/bin/a\" \"$t/usr/bin/b\"\n"
	"ln -s usr/bin \"$t/bin\"\n"
	"mknod \"$t/dev/null\" c 1 3\n"
	"mknod \"$t/dev/loop0\" b 7 0\n"
	"mkfifo \"$t/dev/initctl\"\n"
	"ln -s /proc/self/fd \"$t/dev/fd\"\n"
	": > \"$t/var/cache/apt/archives/foo.deb\"\n"
	": > \"$t/var/lib/apt/lists/bar\"\n"
	"chmod 0700 \"$t/root\"\n"
	"chmod 1777 \"$t/tmp\"\n"
	"echo 'I: Base system installed successfully.'\n";

/* debian-12 from a stand-in debootstrap found first in $PATH. */
static void test_tmpl_debian(const char *base, const struct ct_ctx *ctx)
{
	char bindir[PATH_MAX], script[PATH_MAX], path[8192], tdir[PATH_MAX], tar[PATH_MAX];
	char dest[PATH_MAX], p[PATH_MAX], q[PATH_MAX];
	struct vireo_err err = { 0 };
	snprintf(bindir, sizeof bindir, "%s/fakebin", base);
	snprintf(script, sizeof script, "%s/debootstrap", bindir);
	snprintf(tdir, sizeof tdir, "%s/templates", ctx->root);
	snprintf(tar, sizeof tar, "%s/debian-12.tar.gz", tdir);
	CHECK(mkdir(bindir, 0755) == 0);
	CHECK(util_write_file_atomic(script, fake_debootstrap, strlen(fake_debootstrap), 0755,
				     &err) == 0);
	const char *old = getenv("PATH");
	char *saved = strdup(old ? old : "/usr/bin:/bin");
	if (!saved) {
		CHECK(!"out of memory");
		return;
	}
	snprintf(path, sizeof path, "%s:%s", bindir, saved);
	CHECK(setenv("PATH", path, 1) == 0);

	CHECK(setenv("VIREO_DEBIAN_MIRROR", "http://fail.invalid/debian", 1) == 0);
	int r = tmpl_create(ctx, "debian-12", &err);
	CHECK(r < 0 && strstr(err.msg, "cannot build debian-12") &&
	      strstr(err.msg, "E: Failed getting release file"));
	CHECK(!lexists(tar));
	CHECK(setenv("VIREO_DEBIAN_MIRROR", "-rf", 1) == 0);
	CHECK(tmpl_create(ctx, "debian-12", &err) == -EINVAL);
	CHECK(setenv("VIREO_DEBIAN_MIRROR", "http://mirror.invalid/debian", 1) == 0);
	r = tmpl_create(ctx, "debian-12", &err);
	CHECK(r == 0);
	if (r < 0)
		fprintf(stderr, "  debian-12 with a stand-in debootstrap: %s\n", err.msg);
	CHECK(setenv("PATH", saved, 1) == 0);
	CHECK(unsetenv("VIREO_DEBIAN_MIRROR") == 0);
	free(saved);

	/* Only the tarballs and the lock are left: no scratch tree, no temporary file. */
	DIR *d = opendir(tdir);
	CHECK(d != NULL);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			CHECK(strncmp(de->d_name, ".build", 6) && !strstr(de->d_name, ".tmp."));
		closedir(d);
	}
	if (r < 0)
		return;
	CHECK(tmpl_ensure(ctx, "debian-12", &err) == 0);

	snprintf(dest, sizeof dest, "%s/deb", base);
	CHECK(mkdir(dest, 0700) == 0);
	r = tmpl_extract(tar, dest, 100000, &err);
	CHECK(r == 0);
	if (r < 0)
		fprintf(stderr, "  debian-12 extract: %s\n", err.msg);
	snprintf(p, sizeof p, "%s/etc/debian_version", dest);
	CHECK(file_is(p, "12.5\n"));
	snprintf(p, sizeof p, "%s/etc/mirror", dest);
	CHECK(file_is(p, "http://mirror.invalid/debian\n"));
	struct stat st, st2;
	snprintf(p, sizeof p, "%s/usr/bin/a", dest);
	snprintf(q, sizeof q, "%s/usr/bin/b", dest);
	CHECK(lstat(p, &st) == 0 && lstat(q, &st2) == 0 && st.st_ino == st2.st_ino);
	CHECK(st.st_nlink == 2 && st.st_uid == 100001 && st.st_gid == 100002);
	CHECK(file_is(q, "data"));
	snprintf(p, sizeof p, "%s/bin", dest);
	CHECK(link_is(p, "usr/bin"));
	snprintf(p, sizeof p, "%s/dev/null", dest);
	CHECK(!lexists(p));
	snprintf(p, sizeof p, "%s/dev/loop0", dest);
	CHECK(!lexists(p));
	snprintf(p, sizeof p, "%s/dev/initctl", dest);
	CHECK(lstat(p, &st) == 0 && S_ISFIFO(st.st_mode));
	snprintf(p, sizeof p, "%s/dev/fd", dest);
	CHECK(link_is(p, "/proc/self/fd"));
	snprintf(p, sizeof p, "%s/dev/pts", dest);
	CHECK(lstat(p, &st) == 0 && S_ISDIR(st.st_mode));
	snprintf(p, sizeof p, "%s/var/cache/apt/archives/foo.deb", dest);
	CHECK(!lexists(p));
	snprintf(p, sizeof p, "%s/var/cache/apt/archives/partial", dest);
	CHECK(lexists(p));
	snprintf(p, sizeof p, "%s/var/lib/apt/lists/bar", dest);
	CHECK(lexists(p));
	snprintf(p, sizeof p, "%s/root", dest);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0700 && st.st_uid == 100000);
	snprintf(p, sizeof p, "%s/tmp", dest);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 01777);
	CHECK(stat(dest, &st) == 0 && st.st_uid == 100000 && (st.st_mode & 07777) == 0755);

	char **names = NULL;
	size_t n = 0;
	CHECK(tmpl_list(ctx, &names, &n, &err) == 0);
	CHECK(n == 2 && !strcmp(names[0], "busybox") && !strcmp(names[1], "debian-12"));
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int main(void)
{
	char base[] = "/tmp/vireo-test-extract-XXXXXX";
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	bool root = geteuid() == 0;
	struct ct_ctx ctx = { 0 };
	snprintf(ctx.root, sizeof ctx.root, "%s/vroot", base);
	snprintf(ctx.instance, sizeof ctx.instance, "vireo-test");

	test_refused(base);
	test_socket(base);
	test_tmpl_path(&ctx);
	test_destdir_symlink(base);
	test_damaged(base);
	if (root) {
		test_good(base, 0, TB_GZIP);
		test_good(base, 100000, TB_XZ);
		test_ids_unshifted(base);
		test_tmpl_busybox(base, &ctx);
		test_tmpl_debian(base, &ctx);
	} else {
		printf("# not root: ownership, busybox and debian-12 checks skipped\n");
	}

	struct vireo_err err = { 0 };
	CHECK(util_rm_rf(base, &err) == 0);
	CHECK(!lexists(base));
	return check_done();
}
