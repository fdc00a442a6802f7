/* ct/template: the OS template cache, ROOT/templates/NAME.tar.gz. Names, listing, and the two
 * templates Vireo builds itself: busybox (offline, from the host's static /bin/busybox, written
 * straight into a tarball) and debian-12 (debootstrap into a scratch directory, then packed).
 * Touches only ROOT/templates: the tarballs (written as NAME.tar.gz.tmp.PID, then renamed),
 * its .lock, and .build-debian-12.PID scratch trees. Reads /bin/busybox; runs busybox and
 * debootstrap as child processes, never through a shell. */
#include "ct/ct-internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/util.h"

#define TMPL_NAME_MAX 64
#define TMPL_SUFFIX ".tar.gz"
#define TMPL_BUSYBOX "/bin/busybox"
#define TMPL_BUSYBOX_MAX (64u << 20)
#define TMPL_CAPTURE_MAX (1u << 20)
#define TMPL_DEBIAN_MIRROR "http://deb.debian.org/debian"

/* --- names and the cache directory --- */

static bool tmpl_name_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > TMPL_NAME_MAX)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return strstr(name, "..") == NULL;
}

/* A printable, bounded copy of a user-supplied name for error messages. */
static const char *tmpl_show_name(const char *in, char *out, size_t size)
{
	size_t i = 0;
	for (; *in && i + 4 < size; in++)
		out[i++] = ((unsigned char)*in < 0x20 || *in == 0x7f) ? '?' : *in;
	if (*in && size > 4) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

int tmpl_path(const struct ct_ctx *ctx, const char *name, char *buf, size_t size,
	      struct vireo_err *err)
{
	if (!name || !tmpl_name_valid(name)) {
		char show[96];
		return verr(err, EINVAL,
			    "invalid template name '%s': use 1 to %d of a-z 0-9 . _ -, starting with a letter or digit",
			    tmpl_show_name(name ? name : "", show, sizeof show), TMPL_NAME_MAX);
	}
	if (util_path(buf, size, "%s/templates/%s" TMPL_SUFFIX, ctx->root, name) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s/templates/%s" TMPL_SUFFIX,
			    ctx->root, name);
	return 0;
}

static int tmpl_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void tmpl_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int tmpl_list(const struct ct_ctx *ctx, char ***names, size_t *n, struct vireo_err *err)
{
	*names = NULL;
	*n = 0;
	char dir[PATH_MAX];
	if (util_path(dir, sizeof dir, "%s/templates", ctx->root) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s/templates", ctx->root);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : verr_sys(err, errno, "cannot read %s", dir);
	char **out = NULL;
	size_t count = 0, cap = 0;
	int r = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				r = verr_sys(err, errno, "cannot read %s", dir);
			break;
		}
		size_t len = strlen(de->d_name), slen = strlen(TMPL_SUFFIX);
		if (len <= slen || strcmp(de->d_name + len - slen, TMPL_SUFFIX))
			continue;
		char *name = strndup(de->d_name, len - slen);
		if (!name) {
			r = verr(err, ENOMEM, "out of memory listing %s", dir);
			break;
		}
		struct stat st;
		if (!tmpl_name_valid(name) || fstatat(dirfd(d), de->d_name, &st, 0) < 0 ||
		    !S_ISREG(st.st_mode)) {
			free(name);
			continue;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **grown = realloc(out, ncap * sizeof *out);
			if (!grown) {
				free(name);
				r = verr(err, ENOMEM, "out of memory listing %s", dir);
				break;
			}
			out = grown;
			cap = ncap;
		}
		out[count++] = name;
	}
	closedir(d);
	if (r < 0) {
		tmpl_free_names(out, count);
		return r;
	}
	if (count)
		qsort(out, count, sizeof *out, tmpl_cmp_names);
	*names = out;
	*n = count;
	return 0;
}

/* --- writing a tarball atomically --- */

struct tmpl_out {
	struct archive *a;
	int fd;
	time_t now;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
};

static int tmpl_out_fail(struct tmpl_out *o, const char *what, struct vireo_err *err)
{
	int code = archive_errno(o->a);
	const char *msg = archive_error_string(o->a);
	if (code <= 0)
		code = EIO;
	return verr(err, code, "cannot %s %s: %s", what, o->tmp, msg ? msg : strerror(code));
}

static void tmpl_out_abort(struct tmpl_out *o)
{
	if (o->a)
		archive_write_free(o->a);
	o->a = NULL;
	if (o->fd >= 0) {
		close(o->fd);
		unlink(o->tmp);
	}
	o->fd = -1;
}

static int tmpl_out_open(struct tmpl_out *o, const char *path, struct vireo_err *err)
{
	o->a = NULL;
	o->fd = -1;
	o->now = time(NULL);
	if (util_path(o->path, sizeof o->path, "%s", path) < 0 ||
	    util_path(o->tmp, sizeof o->tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s", path);
	o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (o->fd < 0)
		return verr_sys(err, errno, "cannot create %s", o->tmp);
	o->a = archive_write_new();
	if (!o->a) {
		tmpl_out_abort(o);
		return verr(err, ENOMEM, "out of memory writing %s", o->tmp);
	}
	if (archive_write_add_filter_gzip(o->a) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(o->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(o->a, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(o->a, o->fd) != ARCHIVE_OK) {
		int r = tmpl_out_fail(o, "write", err);
		tmpl_out_abort(o);
		return r;
	}
	return 0;
}

/* Finish the archive, make it durable and move it into place; aborts on failure. */
static int tmpl_out_commit(struct tmpl_out *o, struct vireo_err *err)
{
	int r = 0;
	if (archive_write_close(o->a) != ARCHIVE_OK)
		r = tmpl_out_fail(o, "finish", err);
	if (r == 0 && archive_write_free(o->a) != ARCHIVE_OK)
		r = verr(err, EIO, "cannot finish %s", o->tmp);
	if (r == 0)
		o->a = NULL;
	if (r == 0 && fsync(o->fd) < 0)
		r = verr_sys(err, errno, "cannot write %s", o->tmp);
	if (r < 0) {
		tmpl_out_abort(o);
		return r;
	}
	int fd = o->fd;
	o->fd = -1;
	if (close(fd) < 0) {
		r = verr_sys(err, errno, "cannot write %s", o->tmp);
		unlink(o->tmp);
		return r;
	}
	if (rename(o->tmp, o->path) < 0) {
		r = verr_sys(err, errno, "cannot rename %s to %s", o->tmp, o->path);
		unlink(o->tmp);
		return r;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", o->path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
}

static int tmpl_out_write_data(struct tmpl_out *o, const void *data, size_t len,
			       struct vireo_err *err)
{
	const char *p = data;
	while (len) {
		la_ssize_t w = archive_write_data(o->a, p, len);
		if (w <= 0)
			return tmpl_out_fail(o, "write", err);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Add one root-owned entry: a directory, a symlink to target, or a file holding data. */
static int tmpl_out_add(struct tmpl_out *o, const char *path, mode_t type, mode_t perm,
			const char *target, const void *data, size_t len, struct vireo_err *err)
{
	struct archive_entry *e = archive_entry_new();
	if (!e)
		return verr(err, ENOMEM, "out of memory writing %s", o->tmp);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	archive_entry_set_mtime(e, o->now, 0);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, target);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	int r = 0;
	if (archive_write_header(o->a, e) != ARCHIVE_OK)
		r = tmpl_out_fail(o, "write", err);
	if (r == 0 && type == AE_IFREG)
		r = tmpl_out_write_data(o, data, len, err);
	archive_entry_free(e);
	return r;
}

/* --- running helpers --- */

/* Find an executable in $PATH, then in the sbin directories a non-login root shell may lack. */
static int tmpl_find_program(const char *name, char *buf, size_t size)
{
	const char *env = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s:/usr/local/sbin:/usr/sbin:/sbin",
		 env && *env ? env : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL;
	for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		struct stat st;
		if (dir[0] != '/' || util_path(buf, size, "%s/%s", dir, name) < 0)
			continue;
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/* --- the busybox template --- */

/* 1 when the ELF image asks for a program interpreter (dynamically linked), 0 when static,
 * -1 when it is not an ELF image we can read. */
static int tmpl_elf_dynamic(const unsigned char *d, size_t len)
{
	if (len < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) != 0)
		return -1;
	if (d[EI_CLASS] == ELFCLASS64 && len >= sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr eh;
		memcpy(&eh, d, sizeof eh);
		if (eh.e_phentsize < sizeof(Elf64_Phdr) || eh.e_phoff > len ||
		    (uint64_t)eh.e_phnum * eh.e_phentsize > len - eh.e_phoff)
			return -1;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;
			memcpy(&ph, d + eh.e_phoff + (uint64_t)i * eh.e_phentsize, sizeof ph);
			if (ph.p_type == PT_INTERP)
				return 1;
		}
		return 0;
	}
	if (d[EI_CLASS] == ELFCLASS32 && len >= sizeof(Elf32_Ehdr)) {
		Elf32_Ehdr eh;
		memcpy(&eh, d, sizeof eh);
		if (eh.e_phentsize < sizeof(Elf32_Phdr) || eh.e_phoff > len ||
		    (uint64_t)eh.e_phnum * eh.e_phentsize > len - eh.e_phoff)
			return -1;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf32_Phdr ph;
			memcpy(&ph, d + eh.e_phoff + (size_t)i * eh.e_phentsize, sizeof ph);
			if (ph.p_type == PT_INTERP)
				return 1;
		}
		return 0;
	}
	return -1;
}

/* An applet path from --list-full: relative, components of printable non-space characters,
 * none of them "." or "..". */
static bool tmpl_applet_valid(const char *path)
{
	size_t len = strlen(path);
	if (len == 0 || len > 200 || path[0] == '/' || path[len - 1] == '/')
		return false;
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	for (const char *p = path; *p;) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p = *end ? end + 1 : end;
	}
	return true;
}

/* "BusyBox v1.35.0 (Debian ...) multi-call binary." -> "1.35.0"; empty when not found. */
static void tmpl_busybox_version(const char *help, char *buf, size_t size)
{
	buf[0] = '\0';
	const char *p = help ? strstr(help, "BusyBox v") : NULL;
	if (!p)
		return;
	p += strlen("BusyBox v");
	size_t n = strspn(p, "0123456789.");
	if (n == 0 || n >= size)
		return;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

struct tmpl_dir {
	const char *path;
	mode_t mode;
};

static const struct tmpl_dir tmpl_busybox_dirs[] = {
	{ ".", 0755 },	      { "bin", 0755 },	    { "sbin", 0755 },	 { "usr", 0755 },
	{ "usr/bin", 0755 },  { "usr/sbin", 0755 }, { "etc", 0755 },	 { "root", 0700 },
	{ "tmp", 01777 },     { "var", 0755 },	    { "var/log", 0755 }, { "var/tmp", 01777 },
	{ "run", 0755 },      { "home", 0755 },	    { "dev", 0755 },	 { "proc", 0555 },
	{ "sys", 0555 },      { "mnt", 0755 },	    { "opt", 0755 },
};

static int tmpl_busybox_applets(struct tmpl_out *o, char *list, struct vireo_err *err)
{
	bool have_sh = false;
	char *save = NULL;
	for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (!tmpl_applet_valid(line) || !strcmp(line, "bin/busybox") ||
		    !strcmp(line, "sbin/init") || !strcmp(line, "linuxrc"))
			continue; /* Vireo supplies the init of this template */
		char target[PATH_MAX] = "";
		size_t n = 0;
		for (const char *p = strchr(line, '/'); p; p = strchr(p + 1, '/'))
			n += (size_t)snprintf(target + n, sizeof target - n, "../");
		snprintf(target + n, sizeof target - n, "bin/busybox");
		int r = tmpl_out_add(o, line, AE_IFLNK, 0777, target, NULL, 0, err);
		if (r < 0)
			return r;
		have_sh |= !strcmp(line, "bin/sh");
	}
	if (!have_sh)
		return tmpl_out_add(o, "bin/sh", AE_IFLNK, 0777, "busybox", NULL, 0, err);
	return 0;
}

static int tmpl_busybox_files(struct tmpl_out *o, const char *version, struct vireo_err *err)
{
	char osrel[256];
	if (version[0])
		snprintf(osrel, sizeof osrel,
			 "NAME=\"Vireo busybox\"\nID=busybox\nVERSION_ID=%s\n"
			 "PRETTY_NAME=\"Vireo busybox %s\"\n",
			 version, version);
	else
		snprintf(osrel, sizeof osrel,
			 "NAME=\"Vireo busybox\"\nID=busybox\nPRETTY_NAME=\"Vireo busybox\"\n");
	const struct {
		const char *path;
		mode_t mode;
		const char *text;
	} files[] = {
		{ "etc/passwd", 0644,
		  "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" },
		{ "etc/group", 0644, "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n" },
		{ "etc/shadow", 0600, "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n" },
		{ "etc/hostname", 0644, "localhost\n" },
		{ "etc/hosts", 0644, "127.0.0.1\tlocalhost\n::1\tlocalhost\n" },
		{ "etc/os-release", 0644, osrel },
		{ "etc/profile", 0644,
		  "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
		  "if [ \"$(id -u)\" = 0 ]; then PS1='\\h:\\w# '; else PS1='\\h:\\w$ '; fi\n"
		  "export PS1\n" },
		{ "etc/resolv.conf", 0644, "" },
		{ "etc/shells", 0644, "/bin/sh\n" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int r = tmpl_out_add(o, files[i].path, AE_IFREG, files[i].mode, NULL, files[i].text,
				     strlen(files[i].text), err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int tmpl_build_busybox(const char *path, struct vireo_err *err)
{
	if (!util_exists(TMPL_BUSYBOX))
		return verr(err, ENOENT,
			    "cannot build the busybox template: " TMPL_BUSYBOX
			    " not found (apt-get install busybox-static)");
	char *bin = NULL, *list = NULL, *help = NULL;
	size_t binlen = 0;
	int r = util_read_file(TMPL_BUSYBOX, TMPL_BUSYBOX_MAX, &bin, &binlen, err);
	if (r < 0) {
		verr_wrap(err, "cannot build the busybox template");
		goto out;
	}
	int dyn = tmpl_elf_dynamic((const unsigned char *)bin, binlen);
	if (dyn != 0) {
		r = verr(err, ENOEXEC,
			 "cannot build the busybox template: " TMPL_BUSYBOX
			 " is %s (apt-get install busybox-static)",
			 dyn > 0 ? "dynamically linked" : "not an ELF executable");
		goto out;
	}
	char *list_argv[] = { TMPL_BUSYBOX, "--list-full", NULL };
	int status = 0;
	if ((r = util_capture(list_argv, TMPL_CAPTURE_MAX, &list, &status, err)) < 0) {
		verr_wrap(err, "cannot build the busybox template");
		goto out;
	}
	if (status != 0) {
		r = verr(err, EIO,
			 "cannot build the busybox template: " TMPL_BUSYBOX
			 " --list-full failed (status %d)", status);
		goto out;
	}
	/* The version only decorates os-release: failing to get it is no error. */
	char *help_argv[] = { TMPL_BUSYBOX, "--help", NULL };
	char version[32] = "";
	if (util_capture(help_argv, TMPL_CAPTURE_MAX, &help, &status, NULL) == 0)
		tmpl_busybox_version(help, version, sizeof version);

	struct tmpl_out o;
	if ((r = tmpl_out_open(&o, path, err)) < 0)
		goto out;
	for (size_t i = 0; i < ARRAY_SIZE(tmpl_busybox_dirs) && r == 0; i++)
		r = tmpl_out_add(&o, tmpl_busybox_dirs[i].path, AE_IFDIR, tmpl_busybox_dirs[i].mode,
				 NULL, NULL, 0, err);
	if (r == 0)
		r = tmpl_out_add(&o, "var/run", AE_IFLNK, 0777, "../run", NULL, 0, err);
	if (r == 0)
		r = tmpl_out_add(&o, "bin/busybox", AE_IFREG, 0755, NULL, bin, binlen, err);
	if (r == 0)
		r = tmpl_busybox_applets(&o, list, err);
	if (r == 0)
		r = tmpl_busybox_files(&o, version, err);
	if (r == 0)
		r = tmpl_out_commit(&o, err);
	else
		tmpl_out_abort(&o);
out:
	free(bin);
	free(list);
	free(help);
	return r;
}

/* --- the debian-12 template --- */

/* Downloaded packages are not part of a template; the package lists stay. */
static int tmpl_clean_apt(const char *root, struct vireo_err *err)
{
	char dir[PATH_MAX];
	if (util_path(dir, sizeof dir, "%s/var/cache/apt/archives", root) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s/var/cache/apt/archives", root);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : verr_sys(err, errno, "cannot read %s", dir);
	int r = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				r = verr_sys(err, errno, "cannot read %s", dir);
			break;
		}
		size_t len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".deb"))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT) {
			r = verr_sys(err, errno, "cannot remove %s/%s", dir, de->d_name);
			break;
		}
	}
	closedir(d);
	return r;
}

static int tmpl_pack_fail(struct archive *a, const char *dir, struct vireo_err *err)
{
	int code = archive_errno(a);
	const char *msg = archive_error_string(a);
	if (code <= 0)
		code = EIO;
	return verr(err, code, "cannot pack %s: %s", dir, msg ? msg : strerror(code));
}

/* Copy one regular file's data from the disk reader into the tarball. */
static int tmpl_pack_data(struct archive *rd, struct tmpl_out *o, char *buf, size_t size,
			  const char *dir, struct vireo_err *err)
{
	for (;;) {
		la_ssize_t n = archive_read_data(rd, buf, size);
		if (n == 0)
			return 0;
		if (n < 0)
			return tmpl_pack_fail(rd, dir, err);
		int r = tmpl_out_write_data(o, buf, (size_t)n, err);
		if (r < 0)
			return r;
	}
}

/* Pack the tree at dir (paths stored relative to it, "." for dir itself) into o. Device
 * nodes and sockets are left out: the extractor refuses them and Vireo makes /dev itself. */
static int tmpl_pack_dir(const char *dir, struct tmpl_out *o, struct vireo_err *err)
{
	size_t dlen = strlen(dir), bufsize = 65536;
	struct archive *rd = archive_read_disk_new();
	struct archive_entry_linkresolver *lr = archive_entry_linkresolver_new();
	struct archive_entry *e = archive_entry_new();
	char *buf = malloc(bufsize);
	int r = 0;
	if (!rd || !lr || !e || !buf) {
		r = verr(err, ENOMEM, "out of memory packing %s", dir);
		goto out;
	}
	archive_entry_linkresolver_set_strategy(lr, archive_format(o->a));
	if (archive_read_disk_set_symlink_physical(rd) != ARCHIVE_OK ||
	    archive_read_disk_set_behavior(rd, ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS |
						   ARCHIVE_READDISK_NO_XATTR |
						   ARCHIVE_READDISK_NO_ACL |
						   ARCHIVE_READDISK_NO_FFLAGS) != ARCHIVE_OK ||
	    archive_read_disk_open(rd, dir) != ARCHIVE_OK) {
		r = tmpl_pack_fail(rd, dir, err);
		goto out;
	}
	for (;;) {
		int ar = archive_read_next_header2(rd, e);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar < ARCHIVE_WARN) {
			r = tmpl_pack_fail(rd, dir, err);
			goto out;
		}
		mode_t type = archive_entry_filetype(e);
		if (type == AE_IFDIR && archive_read_disk_descend(rd) != ARCHIVE_OK) {
			r = tmpl_pack_fail(rd, dir, err);
			goto out;
		}
		if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFSOCK)
			continue;
		const char *p = archive_entry_pathname(e);
		char rel[PATH_MAX];
		if (p && !strcmp(p, dir))
			snprintf(rel, sizeof rel, ".");
		else if (p && !strncmp(p, dir, dlen) && p[dlen] == '/' && p[dlen + 1])
			snprintf(rel, sizeof rel, "%s", p + dlen + 1);
		else {
			r = verr(err, EIO, "cannot pack %s: unexpected entry %s", dir, p ? p : "?");
			goto out;
		}
		archive_entry_set_pathname(e, rel);
		archive_entry_set_uname(e, NULL);
		archive_entry_set_gname(e, NULL);
		if (type == AE_IFREG) {
			/* Later names of a hard-linked file become links to the first, without data. */
			struct archive_entry *spare = NULL, *cur = e;
			archive_entry_linkify(lr, &cur, &spare);
		}
		if (archive_write_header(o->a, e) != ARCHIVE_OK) {
			r = tmpl_out_fail(o, "write", err);
			goto out;
		}
		if (type == AE_IFREG && !archive_entry_hardlink(e) && archive_entry_size(e) > 0 &&
		    (r = tmpl_pack_data(rd, o, buf, bufsize, dir, err)) < 0)
			goto out;
		if (archive_write_finish_entry(o->a) != ARCHIVE_OK) {
			r = tmpl_out_fail(o, "write", err);
			goto out;
		}
	}
	if (archive_read_close(rd) != ARCHIVE_OK)
		r = tmpl_pack_fail(rd, dir, err);
out:
	free(buf);
	if (e)
		archive_entry_free(e);
	if (lr)
		archive_entry_linkresolver_free(lr);
	if (rd)
		archive_read_free(rd);
	return r;
}

static bool tmpl_mirror_valid(const char *m)
{
	size_t n = strspn(m, "abcdefghijklmnopqrstuvwxyz+");
	if (n == 0 || m[n] != ':')
		return false;
	for (; *m; m++)
		if ((unsigned char)*m <= ' ' || *m == 0x7f)
			return false;
	return true;
}

static int tmpl_build_debian(const char *tdir, const char *path, struct vireo_err *err)
{
	char prog[PATH_MAX];
	if (tmpl_find_program("debootstrap", prog, sizeof prog) < 0)
		return verr(err, ENOENT,
			    "cannot build debian-12: debootstrap not found (apt-get install debootstrap)");
	if (geteuid() != 0)
		return verr(err, EPERM, "cannot build debian-12: debootstrap needs root");
	const char *mirror = getenv("VIREO_DEBIAN_MIRROR");
	if (!mirror || !*mirror)
		mirror = TMPL_DEBIAN_MIRROR;
	if (!tmpl_mirror_valid(mirror)) {
		char show[256];
		return verr(err, EINVAL, "cannot build debian-12: VIREO_DEBIAN_MIRROR '%s' is not a URL",
			    tmpl_show_name(mirror, show, sizeof show));
	}
	char build[PATH_MAX];
	if (util_path(build, sizeof build, "%s/.build-debian-12.%d", tdir, (int)getpid()) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s/.build-debian-12", tdir);
	/* A leftover of a crashed build with our pid: we hold the lock, so it is stale. */
	int r = util_rm_rf(build, err);
	if (r < 0)
		return r;
	if (mkdir(build, 0755) < 0)
		return verr_sys(err, errno, "cannot create %s", build);

	char *argv[] = { prog, "--variant=minbase", "bookworm", build, (char *)mirror, NULL };
	r = util_run(argv, false, err);
	if (r > 0)
		r = verr_wrap(err, "cannot build debian-12");
	else if (r < 0)
		verr_wrap(err, "cannot build debian-12");
	if (r == 0)
		r = tmpl_clean_apt(build, err);
	if (r == 0) {
		struct tmpl_out o;
		r = tmpl_out_open(&o, path, err);
		if (r == 0) {
			r = tmpl_pack_dir(build, &o, err);
			if (r == 0)
				r = tmpl_out_commit(&o, err);
			else
				tmpl_out_abort(&o);
		}
	}
	struct vireo_err rm_err = { 0 };
	if (util_rm_rf(build, &rm_err) < 0 && r == 0)
		r = verr(err, rm_err.code, "built debian-12 but cannot remove the scratch tree: %s",
			 rm_err.msg);
	return r;
}

/* --- entry points --- */

/* Build name into the cache under the cache lock; with only_missing, a tarball that appeared
 * while we waited for the lock is kept. */
static int tmpl_build(const struct ct_ctx *ctx, const char *name, bool only_missing,
		      struct vireo_err *err)
{
	char path[PATH_MAX], dir[PATH_MAX], lockpath[PATH_MAX];
	int r = tmpl_path(ctx, name, path, sizeof path, err);
	if (r < 0)
		return r;
	bool busybox = !strcmp(name, "busybox");
	if (!busybox && strcmp(name, "debian-12"))
		return verr(err, ENOENT, "unknown template '%s': vireo can build busybox and debian-12",
			    name);
	if (util_path(dir, sizeof dir, "%s/templates", ctx->root) < 0 ||
	    util_path(lockpath, sizeof lockpath, "%s/.lock", dir) < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s/templates", ctx->root);
	if ((r = util_mkdir_p(dir, 0755, err)) < 0)
		return r;
	int lock = lock_take(lockpath, true, false, err);
	if (lock < 0)
		return lock;
	if (only_missing && util_exists(path))
		r = 0;
	else if (busybox)
		r = tmpl_build_busybox(path, err);
	else
		r = tmpl_build_debian(dir, path, err);
	lock_drop(lock);
	return r;
}

int tmpl_create(const struct ct_ctx *ctx, const char *name, struct vireo_err *err)
{
	return tmpl_build(ctx, name, false, err);
}

int tmpl_ensure(const struct ct_ctx *ctx, const char *name, struct vireo_err *err)
{
	char path[PATH_MAX];
	int r = tmpl_path(ctx, name, path, sizeof path, err);
	if (r < 0)
		return r;
	if (util_exists(path))
		return 0;
	if (!strcmp(name, CT_DEFAULT_TEMPLATE))
		return tmpl_build(ctx, name, true, err);
	return verr(err, ENOENT, "unknown template '%s': not in the cache (vireo template create %s)",
		    name, name);
}
