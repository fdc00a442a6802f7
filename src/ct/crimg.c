/* ct/crimg: unpacking a checkpoint archive (a --dumpfile, or the stream an online migration
 * sends) into an image directory. The archive is hostile input until proven otherwise: a
 * checkpoint is a flat directory of regular files, so every entry must be that directory
 * itself or a regular file with a plain name (letters, digits, '.', '_', '-'; no '/', no
 * '..'); links, devices, sub-directories and anything else refuse the whole archive. The files
 * are written here (openat, O_EXCL, O_NOFOLLOW), not by libarchive, with at most mode 0644.
 * Touches only the directory it is given. */
#include "ct/ct-internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"

/* The entry's file name, or NULL if it is not a plain one ("./" and a leading "./" are
 * allowed; "." alone is the directory itself: returned as ""). */
static const char *plain_name(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (!path[0] || !strcmp(path, "."))
		return "";
	if (!strcmp(path, ".."))
		return NULL;
	size_t n = 0;
	for (const char *p = path; *p; p++, n++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return NULL;
	}
	return n <= NAME_MAX ? path : NULL;
}

static int write_entry(struct archive *a, int dirfd, const char *name, mode_t mode,
		       const char *what, struct vireo_err *err)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return verr(err, EINVAL, "%s is not a checkpoint: '%s' appears twice", what,
				    name);
		return verr_sys(err, errno, "cannot write %s from %s", name, what);
	}
	int r = 0;
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;
		int k = archive_read_data_block(a, &buf, &size, &off);
		if (k == ARCHIVE_EOF)
			break;
		if (k != ARCHIVE_OK) {
			const char *m = archive_error_string(a);
			r = verr(err, EIO, "cannot read %s: %s", what, m ? m : "damaged archive");
			break;
		}
		if (off < 0 || pwrite(fd, buf, size, off) != (ssize_t)size) {
			r = verr_sys(err, off < 0 ? EINVAL : errno, "cannot write %s from %s", name,
				     what);
			break;
		}
	}
	if (close(fd) < 0 && r == 0)
		r = verr_sys(err, errno, "cannot write %s from %s", name, what);
	return r;
}

int cr_unpack(int in_fd, const char *what, int dirfd, struct vireo_err *err)
{
	struct archive *a = archive_read_new();
	if (!a)
		return verr(err, ENOMEM, "out of memory");
	int r = 0;
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_gnutar(a) != ARCHIVE_OK ||
	    archive_read_open_fd(a, in_fd, 1 << 16) != ARCHIVE_OK) {
		const char *m = archive_error_string(a);
		r = verr(err, EINVAL, "cannot read %s: %s", what, m ? m : "not a tar archive");
		goto out;
	}
	size_t files = 0;
	for (;;) {
		struct archive_entry *e;
		int k = archive_read_next_header(a, &e);
		if (k == ARCHIVE_EOF)
			break;
		if (k != ARCHIVE_OK) {
			const char *m = archive_error_string(a);
			r = verr(err, EINVAL, "cannot read %s: %s", what, m ? m : "damaged archive");
			goto out;
		}
		const char *path = archive_entry_pathname(e);
		const char *name = path ? plain_name(path) : NULL;
		mode_t type = archive_entry_filetype(e);
		char show[64];
		snprintf(show, sizeof show, "%s", path ? path : "?");
		if (!name || archive_entry_hardlink(e))
			r = verr(err, EINVAL, "%s is not a checkpoint: entry '%s' is not a plain file "
				 "name", what, show);
		else if (!name[0] && type != AE_IFDIR)
			r = verr(err, EINVAL, "%s is not a checkpoint: entry '%s'", what, show);
		else if (name[0] && type != AE_IFREG)
			r = verr(err, EINVAL, "%s is not a checkpoint: entry '%s' is not a regular "
				 "file", what, show);
		else if (name[0])
			r = write_entry(a, dirfd, name, archive_entry_perm(e) & 0644, what, err);
		if (r < 0)
			goto out;
		files += name[0] != '\0';
	}
	if (!files)
		r = verr(err, EINVAL, "%s is not a checkpoint: it is empty", what);
out:
	archive_read_free(a);
	return r;
}
