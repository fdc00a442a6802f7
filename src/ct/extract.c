/* ct/extract: unpacking a template tarball into a container's private area.
 * The tarball is hostile input: every entry is checked here before libarchive writes it
 * (no absolute paths, no '..', no hard link leaving the tree, no device nodes or sockets,
 * nothing written through a symlink), and every path is rewritten to lie under destdir.
 * Touches only destdir and what lies below it; reads the tarball. No chdir, no umask games
 * beyond what libarchive itself does. */
#include "ct/ct-internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"

/* Ids a container's user namespace maps: 0..65535 become uid_shift..uid_shift+65535. */
#define EXTRACT_MAPPED_IDS 65536

struct extract_state {
	const char *tarball;
	char dest[PATH_MAX]; /* canonical destdir, no symlinks in it */
	int dest_fd;
	uint32_t uid_shift;
	struct archive *in;
	struct archive *out;
};

/* A printable, bounded copy of an entry name for error messages. */
static const char *extract_show_name(const char *in, char *out, size_t size)
{
	size_t i = 0;
	if (!in)
		in = "";
	for (; *in && i + 4 < size; in++)
		out[i++] = ((unsigned char)*in < 0x20 || *in == 0x7f) ? '?' : *in;
	if (*in && size > 4) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* Normalize a relative entry path: drop "." and empty components, refuse '..' and a leading
 * '/'. An empty result means the tree's root. Returns 0, or 1 for absolute, 2 for '..',
 * 3 for too long. */
static int extract_normalize_path(const char *in, char *out, size_t size)
{
	if (in[0] == '/')
		return 1;
	size_t n = 0;
	const char *p = in;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 2;
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (n + len + 2 > size)
				return 3;
			if (n)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = *end ? end + 1 : end;
	}
	out[n] = '\0';
	return 0;
}

/* Refuse a path whose existing leading components (all but the last) include a symlink:
 * writing through one could land outside destdir. libarchive would instead silently remove
 * such a symlink (ARCHIVE_EXTRACT_UNLINK); we want the tarball refused. */
static int extract_check_parents(const struct extract_state *s, const char *rel,
				 const char *show, struct vireo_err *err)
{
	char buf[PATH_MAX];
	if (util_path(buf, sizeof buf, "%s", rel) < 0)
		return verr(err, ENAMETOOLONG, "template entry '%s' has a path too long", show);
	for (char *slash = strchr(buf, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		struct stat st;
		if (fstatat(s->dest_fd, buf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				return 0;
			return verr_sys(err, errno, "cannot check template entry '%s'", show);
		}
		if (S_ISLNK(st.st_mode)) {
			char sh[256];
			return verr(err, EPERM, "template entry '%s' lies under the symlink '%s'", show,
				    extract_show_name(buf, sh, sizeof sh));
		}
		*slash = '/';
	}
	return 0;
}

/* Turn a normalized relative path into destdir/rel (destdir itself when rel is empty). */
static int extract_full_path(const struct extract_state *s, const char *rel, char *buf,
			     size_t size, const char *show, struct vireo_err *err)
{
	int r = rel[0] ? util_path(buf, size, "%s/%s", s->dest, rel)
		       : util_path(buf, size, "%s", s->dest);
	if (r < 0)
		return verr(err, ENAMETOOLONG, "template entry '%s' has a path too long", show);
	return 0;
}

static int extract_map_id(const struct extract_state *s, la_int64_t id, const char *kind,
			  const char *show, int64_t *out, struct vireo_err *err)
{
	if (id < 0 || id >= (la_int64_t)UINT32_MAX)
		return verr(err, EINVAL, "template entry '%s' has an invalid %s %lld", show, kind,
			    (long long)id);
	if (s->uid_shift == 0) {
		*out = id;
		return 0;
	}
	if (id >= EXTRACT_MAPPED_IDS)
		return verr(err, ERANGE,
			    "template entry '%s' is owned by %s %lld, beyond the %d ids a container maps",
			    show, kind, (long long)id, EXTRACT_MAPPED_IDS);
	*out = id + (int64_t)s->uid_shift;
	return 0;
}

/* Check one entry and rewrite its paths and owners in place. */
static int extract_prepare_entry(const struct extract_state *s, struct archive_entry *e,
				 struct vireo_err *err)
{
	char show[256], rel[PATH_MAX], full[PATH_MAX];
	const char *name = archive_entry_pathname(e);
	if (!name)
		return verr(err, EINVAL, "template %s has an entry whose name cannot be read",
			    s->tarball);
	extract_show_name(name, show, sizeof show);
	if (!name[0])
		return verr(err, EINVAL, "template %s has an entry with an empty name", s->tarball);

	switch (extract_normalize_path(name, rel, sizeof rel)) {
	case 1:
		return verr(err, EPERM, "template entry '%s' has an absolute path", show);
	case 2:
		return verr(err, EPERM, "template entry '%s' has a '..' component", show);
	case 3:
		return verr(err, ENAMETOOLONG, "template entry '%s' has a path too long", show);
	}

	const char *hardlink = archive_entry_hardlink(e);
	mode_t type = archive_entry_filetype(e);
	if (!hardlink) {
		switch (type) {
		case AE_IFREG:
		case AE_IFDIR:
		case AE_IFLNK:
		case AE_IFIFO:
			break;
		case AE_IFCHR:
		case AE_IFBLK:
			return verr(err, EPERM, "template entry '%s' is a device node", show);
		case AE_IFSOCK:
			return verr(err, EPERM, "template entry '%s' is a socket", show);
		default:
			return verr(err, EINVAL, "template entry '%s' has an unknown file type", show);
		}
		if (type == AE_IFLNK && !archive_entry_symlink(e))
			return verr(err, EINVAL, "template entry '%s' is a symlink without a target",
				    show);
	}
	if (!rel[0] && (hardlink || type != AE_IFDIR))
		return verr(err, EPERM, "template entry '%s' names the root but is not a directory",
			    show);

	int r = extract_check_parents(s, rel, show, err);
	if (r < 0)
		return r;
	if ((r = extract_full_path(s, rel, full, sizeof full, show, err)) < 0)
		return r;
	archive_entry_set_pathname(e, full);

	if (hardlink) {
		char target[PATH_MAX], tshow[256];
		extract_show_name(hardlink, tshow, sizeof tshow);
		switch (extract_normalize_path(hardlink, target, sizeof target)) {
		case 1:
			return verr(err, EPERM,
				    "template entry '%s' is a hard link to '%s', an absolute path", show,
				    tshow);
		case 2:
			return verr(err, EPERM,
				    "template entry '%s' is a hard link to '%s', which has a '..' component",
				    show, tshow);
		case 3:
			return verr(err, ENAMETOOLONG, "template entry '%s' has a hard link target too long",
				    show);
		}
		if (!target[0])
			return verr(err, EPERM, "template entry '%s' is a hard link to the root", show);
		if ((r = extract_check_parents(s, target, show, err)) < 0)
			return r;
		/* Only to a regular file already in the tree. libarchive links to a symlink as
		 * is, then (for a pax hard link carrying data) chmods it by name, following the
		 * symlink out of the tree. */
		struct stat st;
		if (fstatat(s->dest_fd, target, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				return verr(err, EPERM,
					    "template entry '%s' is a hard link to '%s', which is not in the template before it",
					    show, tshow);
			return verr_sys(err, errno, "cannot check template entry '%s'", show);
		}
		if (!S_ISREG(st.st_mode))
			return verr(err, EPERM,
				    "template entry '%s' is a hard link to '%s', which is not a regular file",
				    show, tshow);
		if ((r = extract_full_path(s, target, full, sizeof full, show, err)) < 0)
			return r;
		archive_entry_set_hardlink(e, full);
	}

	int64_t uid, gid;
	if ((r = extract_map_id(s, archive_entry_uid(e), "uid", show, &uid, err)) < 0 ||
	    (r = extract_map_id(s, archive_entry_gid(e), "gid", show, &gid, err)) < 0)
		return r;
	archive_entry_set_uid(e, uid);
	archive_entry_set_gid(e, gid);
	/* Numeric ids only: names would be looked up in the host's passwd. */
	archive_entry_set_uname(e, NULL);
	archive_entry_set_gname(e, NULL);
	/* Extended attributes, ACLs and file flags are never restored. */
	archive_entry_xattr_clear(e);
	archive_entry_acl_clear(e);
	archive_entry_set_fflags(e, 0, 0);
	return 0;
}

static int extract_fail_archive(const struct extract_state *s, struct archive *a,
				const char *what, const char *show, struct vireo_err *err)
{
	int code = archive_errno(a);
	const char *msg = archive_error_string(a);
	if (code <= 0)
		code = EIO;
	if (show)
		return verr(err, code, "cannot %s template entry '%s' from %s: %s", what, show,
			    s->tarball, msg ? msg : strerror(code));
	return verr(err, code, "cannot %s template %s: %s", what, s->tarball,
		    msg ? msg : strerror(code));
}

static int extract_copy_data(const struct extract_state *s, const char *show,
			     struct vireo_err *err)
{
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;
		int r = archive_read_data_block(s->in, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK)
			return extract_fail_archive(s, s->in, "read", show, err);
		la_ssize_t w = archive_write_data_block(s->out, buf, size, off);
		if (w < ARCHIVE_OK)
			return extract_fail_archive(s, s->out, "write", show, err);
	}
}

static int extract_run(struct extract_state *s, struct vireo_err *err)
{
	s->in = archive_read_new();
	s->out = archive_write_disk_new();
	if (!s->in || !s->out)
		return verr(err, ENOMEM, "out of memory opening template %s", s->tarball);
	if (archive_read_support_filter_gzip(s->in) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(s->in) != ARCHIVE_OK ||
	    archive_read_support_format_tar(s->in) != ARCHIVE_OK ||
	    archive_read_support_format_gnutar(s->in) != ARCHIVE_OK)
		return extract_fail_archive(s, s->in, "set up reading", NULL, err);
	/* SECURE_NOABSOLUTEPATHS is left out on purpose: every path we hand libarchive is
	 * absolute (destdir/...), and entries' own absolute paths are refused above. */
	int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_OWNER |
		    ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
		    ARCHIVE_EXTRACT_UNLINK;
	if (archive_write_disk_set_options(s->out, flags) != ARCHIVE_OK)
		return extract_fail_archive(s, s->out, "set up writing", NULL, err);
	if (archive_read_open_filename(s->in, s->tarball, 65536) != ARCHIVE_OK)
		return extract_fail_archive(s, s->in, "open", NULL, err);

	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(s->in, &e);
		if (r == ARCHIVE_EOF)
			break;
		/* Even a warning (a damaged header skipped, a malformed pax record) refuses the
		 * template: what follows it cannot be trusted to be what its author meant. */
		if (r != ARCHIVE_OK)
			return extract_fail_archive(s, s->in, "read", NULL, err);
		char show[256];
		extract_show_name(archive_entry_pathname(e), show, sizeof show);
		if ((r = extract_prepare_entry(s, e, err)) < 0)
			return r;
		if (archive_write_header(s->out, e) != ARCHIVE_OK)
			return extract_fail_archive(s, s->out, "write", show, err);
		if (archive_entry_filetype(e) == AE_IFREG && archive_entry_size(e) > 0 &&
		    (r = extract_copy_data(s, show, err)) < 0)
			return r;
		if (archive_write_finish_entry(s->out) != ARCHIVE_OK)
			return extract_fail_archive(s, s->out, "write", show, err);
	}
	/* Closing the writer applies the deferred directory modes and times. */
	if (archive_write_close(s->out) != ARCHIVE_OK)
		return extract_fail_archive(s, s->out, "finish writing", NULL, err);
	if (archive_read_close(s->in) != ARCHIVE_OK)
		return extract_fail_archive(s, s->in, "finish reading", NULL, err);
	return 0;
}

int tmpl_extract(const char *tarball, const char *destdir, uint32_t uid_shift,
		 struct vireo_err *err)
{
	struct extract_state s = { .tarball = tarball, .dest_fd = -1, .uid_shift = uid_shift };
	struct stat st;
	if (stat(tarball, &st) < 0)
		return verr_sys(err, errno, "cannot open template %s", tarball);
	if (uid_shift > UINT32_MAX - 1 - EXTRACT_MAPPED_IDS)
		return verr(err, EINVAL, "uid shift %u leaves no room for %d ids", uid_shift,
			    EXTRACT_MAPPED_IDS);
	/* A canonical destdir: libarchive checks every component of the paths we give it for
	 * symlinks, and with ARCHIVE_EXTRACT_UNLINK would remove one it found. */
	char *real = realpath(destdir, NULL);
	if (!real)
		return verr_sys(err, errno, "cannot resolve %s", destdir);
	int r = util_path(s.dest, sizeof s.dest, "%s", real);
	free(real);
	if (r < 0)
		return verr(err, ENAMETOOLONG, "path too long: %s", destdir);
	if (!strcmp(s.dest, "/"))
		return verr(err, EINVAL, "refusing to extract template %s into /", tarball);
	s.dest_fd = open(s.dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (s.dest_fd < 0)
		return verr_sys(err, errno, "cannot open %s", s.dest);

	r = extract_run(&s, err);

	if (s.in && archive_read_free(s.in) != ARCHIVE_OK && r == 0)
		r = verr(err, EIO, "cannot free the reader of template %s", tarball);
	/* Freeing an unclosed writer would still apply deferred fixups; harmless on failure. */
	if (s.out && archive_write_free(s.out) != ARCHIVE_OK && r == 0)
		r = verr(err, EIO, "cannot finish extracting template %s", tarball);
	close(s.dest_fd);
	return r;
}
