/* tests/unit: file-system helpers shared by the unit tests that work in a temporary directory:
 * removing it (with util_rm_rf, which is under test too, and rm -rf when that fails, so a
 * failing run leaves nothing behind) and counting a directory's entries. */
#ifndef VIREO_CHECK_FS_H
#define VIREO_CHECK_FS_H

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lib/util.h"

static inline void check_remove_tmpdir(const char *dir)
{
	struct vireo_err err;
	int r = util_rm_rf(dir, &err);
	if (r < 0)
		fprintf(stderr, "  util_rm_rf: %s\n", err.msg);
	CHECK(r == 0 && !util_exists(dir));
	if (!util_exists(dir))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

/* Entries in dir other than . and ..; -1 if it cannot be read. */
static inline int check_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

#endif
