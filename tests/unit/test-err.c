/* tests/unit/test-err: lib/err — return codes, formatting, strerror, wrapping, newline stripping. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "lib/err.h"

static void test_verr(void)
{
	struct vireo_err err;
	verr_clear(&err);
	CHECK(verr(&err, ENOENT, "container %d: %s", 101, "not found") == -ENOENT);
	CHECK(err.code == ENOENT);
	CHECK(strcmp(err.msg, "container 101: not found") == 0);

	/* A negative code is taken as -errno; zero means EINVAL. */
	CHECK(verr(&err, -EEXIST, "x") == -EEXIST);
	CHECK(err.code == EEXIST);
	CHECK(verr(&err, 0, "zero") == -EINVAL);
	CHECK(err.code == EINVAL);
	CHECK(strcmp(err.msg, "zero") == 0);

	/* A NULL err still yields the code. */
	CHECK(verr(NULL, EPERM, "ignored") == -EPERM);
	CHECK(verr(NULL, 0, "ignored") == -EINVAL);
}

static void test_verr_sys(void)
{
	struct vireo_err err;
	char want[1100];
	verr_clear(&err);
	CHECK(verr_sys(&err, EACCES, "cannot open %s", "/x/y") == -EACCES);
	CHECK(err.code == EACCES);
	snprintf(want, sizeof want, "cannot open /x/y: %s", strerror(EACCES));
	CHECK(strcmp(err.msg, want) == 0);

	CHECK(verr_sys(&err, -ENOSPC, "write") == -ENOSPC);
	CHECK(err.code == ENOSPC);
	snprintf(want, sizeof want, "write: %s", strerror(ENOSPC));
	CHECK(strcmp(err.msg, want) == 0);

	/* Zero (errno not set) becomes EIO rather than "Success". */
	CHECK(verr_sys(&err, 0, "odd") == -EIO);
	CHECK(err.code == EIO);
	snprintf(want, sizeof want, "odd: %s", strerror(EIO));
	CHECK(strcmp(err.msg, want) == 0);

	CHECK(verr_sys(NULL, ENOENT, "ignored") == -ENOENT);
}

static void test_verr_wrap(void)
{
	struct vireo_err err;
	verr_clear(&err);
	verr(&err, ENOENT, "inner cause");
	CHECK(verr_wrap(&err, "starting %s %d", "ct", 7) == -ENOENT);
	CHECK(err.code == ENOENT);
	CHECK(strcmp(err.msg, "starting ct 7: inner cause") == 0);
	CHECK(verr_wrap(&err, "outer") == -ENOENT);
	CHECK(strcmp(err.msg, "outer: starting ct 7: inner cause") == 0);

	/* Wrapping a clear error gives EIO, never success. */
	verr_clear(&err);
	CHECK(err.code == 0 && err.msg[0] == '\0');
	CHECK(verr_wrap(&err, "ctx") == -EIO);
	CHECK(err.code == EIO);
	CHECK(strcmp(err.msg, "ctx: ") == 0);

	CHECK(verr_wrap(NULL, "ctx") == -EIO);

	/* Wrapping a near-full message truncates but stays terminated. */
	char big[2000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	verr(&err, E2BIG, "%s", big);
	CHECK(strlen(err.msg) == sizeof err.msg - 1);
	CHECK(verr_wrap(&err, "pre") == -E2BIG);
	CHECK(strlen(err.msg) == sizeof err.msg - 1);
	CHECK(strncmp(err.msg, "pre: aaa", 8) == 0);
}

static void test_newlines(void)
{
	struct vireo_err err;
	verr(&err, EINVAL, "line one\nline two\r\n%s", "arg\nwith newline");
	CHECK(strcmp(err.msg, "line one line two  arg with newline") == 0);
	CHECK(strchr(err.msg, '\n') == NULL && strchr(err.msg, '\r') == NULL);

	verr_sys(&err, EIO, "a\nb");
	CHECK(strchr(err.msg, '\n') == NULL);
	CHECK(strncmp(err.msg, "a b: ", 5) == 0);

	verr(&err, EIO, "inner\ncause");
	verr_wrap(&err, "outer\n%s", "x");
	CHECK(strcmp(err.msg, "outer x: inner cause") == 0);
}

int main(void)
{
	test_verr();
	test_verr_sys();
	test_verr_wrap();
	test_newlines();
	return check_done();
}
