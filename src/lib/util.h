/* lib/util: small file and process helpers shared by every engine. */
#ifndef VIREO_UTIL_H
#define VIREO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Read a whole file (at most max bytes, else -EFBIG) into a NUL-terminated malloc'd buffer. */
int util_read_file(const char *path, size_t max, char **out, size_t *len, struct vireo_err *err);
/* Read fd until end of file or until buf holds size - 1 bytes (EINTR retried); the text is
 * NUL-terminated. Returns the number of bytes read. Used for a child's report pipe. */
size_t util_read_all(int fd, char *buf, size_t size);
int util_read_fileat(int dirfd, const char *path, size_t max, char **out, size_t *len,
		     struct vireo_err *err);
/* Atomic replace: write path.tmp.PID, fsync, rename, fsync the directory. */
int util_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
			   struct vireo_err *err);
/* Write a short string to an existing file (sysfs, cgroupfs, /proc). */
int util_write_str(const char *path, const char *s, struct vireo_err *err);
int util_mkdir_p(const char *path, mode_t mode, struct vireo_err *err);
/* Remove a tree without following symlinks and without crossing into other mounts. */
int util_rm_rf(const char *path, struct vireo_err *err);
bool util_exists(const char *path);
/* Path join into a fixed buffer; returns -ENAMETOOLONG on overflow. */
int util_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Close every fd >= from except those listed in keep (may be NULL). */
void util_close_from(int from, const int *keep, size_t nkeep);
/* Bytes (allocated blocks) and inodes under the directory path, itself included, not following
 * symlinks nor crossing into other file systems, depth-bounded (256); 0 or -errno. */
int util_du(const char *path, uint64_t *bytes, uint64_t *inodes);
/* Wait up to timeout_ms for fd to be readable (a pidfd: its process ended): 1 readable, 0 timed
 * out, -errno. */
int util_poll_in(int fd, int timeout_ms);
/* One byte (tag) on a Unix socket, with fd attached when fd >= 0; 0 or -errno (no SIGPIPE). */
int util_send_fd(int sock, char tag, int fd);
/* One message into buf, and the descriptor it carried (close-on-exec) in *fd (-1 if none):
 * the byte count (0 at end of stream) or -errno. */
ssize_t util_recv_fd(int sock, void *buf, size_t size, int flags, int *fd);
/* All of data to fd, through short writes and EINTR; 0 or -errno. */
int util_write_all(int fd, const void *data, size_t len);
/* A session of its own, /dev/null on 0-2: for a process that outlives the command. */
void util_detach(void);
/* Start argv (PATH searched) with in_fd, out_fd, err_fd as its standard streams (-1:
 * /dev/null); returns its pid or a negative errno. */
pid_t util_spawn(char *const argv[], int in_fd, int out_fd, int err_fd);
/* Wait for pid, reading errfd (then closed) to its end: the exit status (or 128+signal) as
 * util_run returns it, with the last line read in err when it is not 0 (name: the program). */
int util_collect(pid_t pid, int errfd, const char *name, struct vireo_err *err);
/* Run argv (PATH searched, no shell) with its stdout captured into *out (NUL-terminated, freed
 * by the caller; more than max bytes is an error) and stderr discarded; *status gets its exit
 * status (or 128+signal). */
int util_capture(char *const argv[], size_t max, char **out, int *status, struct vireo_err *err);
/* util_run with in_fd (-1: /dev/null) as the program's standard input. */
int util_run_io(char *const argv[], int in_fd, bool quiet, struct vireo_err *err);
/* Run argv (PATH searched), wait, return its exit status (or 128+signal); -errno if it could not run.
 * Its stdin is /dev/null. When quiet, its stdout and stderr go to /dev/null; otherwise the last
 * line it wrote to either is kept in err when it fails. */
int util_run(char *const argv[], bool quiet, struct vireo_err *err);
/* Monotonic clock in milliseconds. */
long long util_now_ms(void);
/* Process start time (field 22 of /proc/PID/stat), 0 when the process is gone. */
unsigned long long util_proc_starttime(pid_t pid);

#endif
