/* tests/unit/test-parse: lib/parse — CTIDs, names, host names, sizes, numbers, yes/no. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "lib/parse.h"
#include "lib/util.h"

static bool ctid_ok(const char *s, unsigned want)
{
	struct vireo_err err;
	unsigned id = 12345;
	return parse_ctid(s, &id, &err) == 0 && id == want;
}

/* Refused with a negative code, a message, and *id untouched. */
static bool ctid_bad(const char *s)
{
	struct vireo_err err;
	unsigned id = 12345;
	verr_clear(&err);
	int r = parse_ctid(s, &id, &err);
	return r < 0 && r == -err.code && err.msg[0] && id == 12345;
}

static void test_ctid(void)
{
	CHECK(ctid_ok("1", 1));
	CHECK(ctid_ok("42", 42));
	CHECK(ctid_ok("101", 101));
	CHECK(ctid_ok("2147483647", 2147483647u));

	static const char *const bad[] = {
		"0", "-1", "2147483648", "4294967296", "4294967297", "99999999999999999999",
		"", " 1", "1 ", "01", "00", "+1", "1a", "a1", "../x", "0x10", "1.0", "1\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		bool ok = ctid_bad(bad[i]);
		if (!ok)
			fprintf(stderr, "  parse_ctid accepted '%s'\n", bad[i]);
		CHECK(ok);
	}
	CHECK(ctid_bad(NULL));

	struct vireo_err err;
	unsigned id;
	CHECK(parse_ctid("2147483648", &id, &err) == -ERANGE);
	CHECK(parse_ctid("1a", &id, &err) == -EINVAL);
	CHECK(strstr(err.msg, "'1a'") != NULL);
}

static bool ctname_ok(const char *s)
{
	struct vireo_err err;
	return parse_ctname(s, &err) == 0;
}

static void test_ctname(void)
{
	char n64[65], n65[66];
	memset(n64, 'a', 64);
	n64[64] = '\0';
	memset(n65, 'a', 65);
	n65[65] = '\0';

	CHECK(ctname_ok("web1"));
	CHECK(ctname_ok("a.b-c_d"));
	CHECK(ctname_ok("W"));
	CHECK(ctname_ok(n64));

	static const char *const bad[] = {
		"1abc", "a/b", "", "../x", "-x", ".x", "_x", "a b", "a\n", "é", "web:1", "101",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		bool ok = !ctname_ok(bad[i]);
		if (!ok)
			fprintf(stderr, "  parse_ctname accepted '%s'\n", bad[i]);
		CHECK(ok);
	}
	CHECK(!ctname_ok(n65));
	CHECK(!ctname_ok(NULL));

	struct vireo_err err;
	CHECK(parse_ctname("a/b", &err) == -EINVAL);
	CHECK(strstr(err.msg, "a/b") != NULL);
}

static bool host_ok(const char *s)
{
	struct vireo_err err;
	return parse_hostname(s, &err) == 0;
}

static void test_hostname(void)
{
	char h63[64], h64[65], longer[200];
	memset(h63, 'a', 63);
	h63[63] = '\0';
	memset(h64, 'a', 64);
	h64[64] = '\0';
	memset(longer, 'b', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';

	CHECK(host_ok("a"));
	CHECK(host_ok("web-1.example.com"));
	CHECK(host_ok("A1"));
	CHECK(host_ok("1a"));
	CHECK(host_ok("a.b.c"));
	CHECK(host_ok("x--y"));
	CHECK(host_ok(h63));

	static const char *const bad[] = {
		"-a", "a-", "a..b", "a_b", "", ".", ".a", "a.", "a-.b", "a.-b", "a b", "a/b",
		"a\n", "é.com",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		bool ok = !host_ok(bad[i]);
		if (!ok)
			fprintf(stderr, "  parse_hostname accepted '%s'\n", bad[i]);
		CHECK(ok);
	}
	CHECK(!host_ok(h64));
	CHECK(!host_ok(longer));
	CHECK(!host_ok(NULL));
}

static bool size_is(const char *s, uint64_t bare, uint64_t want)
{
	struct vireo_err err;
	uint64_t v = 7;
	int r = parse_size(s, bare, &v, "size", &err);
	if (r != 0 || v != want)
		fprintf(stderr, "  parse_size('%s') = %d, %llu; want %llu\n", s, r,
			(unsigned long long)v, (unsigned long long)want);
	return r == 0 && v == want;
}

static bool size_bad(const char *s, uint64_t bare)
{
	struct vireo_err err;
	uint64_t v = 7;
	verr_clear(&err);
	int r = parse_size(s, bare, &v, "diskspace", &err);
	if (r == 0)
		fprintf(stderr, "  parse_size accepted '%s' as %llu\n", s, (unsigned long long)v);
	return r < 0 && r == -err.code && v == 7 && strstr(err.msg, "diskspace") != NULL;
}

static void test_size(void)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	CHECK(size_is("512M", 1, 512ull << 20));
	CHECK(size_is("1G", 1, 1ull << 30));
	CHECK(size_is("10K", 1, 10ull << 10));
	CHECK(size_is("10k", 1, 10ull << 10));
	CHECK(size_is("2T", 1, 2ull << 40));
	CHECK(size_is("0", 1, 0));
	CHECK(size_is("0M", 1, 0));
	CHECK(size_is("unlimited", 1, SIZE_UNLIMITED));
	CHECK(size_is("unlimited", 4096, SIZE_UNLIMITED));
	CHECK(size_is("5P", 1, 5 * page));
	CHECK(size_is("5P", 1024, 5 * page));
	CHECK(size_is("100", 1, 100));
	CHECK(size_is("100", 1024, 100 * 1024));
	CHECK(size_is("100", page, 100 * page));
	/* The largest accepted values: 2^63 - 1 bytes, and the largest whole multiple of T. */
	CHECK(size_is("9223372036854775807", 1, 9223372036854775807ull));
	CHECK(size_is("8388607T", 1, 8388607ull << 40));

	static const char *const bad[] = {
		"12Q", "-5M", "M", "", "9223372036854775808", "9000000000000T", "8388608T",
		"18446744073709551615", "18446744073709551616", "99999999999999999999999999999999",
		"1.5G", "1 M", " 1M", "1M ", "1MB", "0x10", "+1", "un", "Unlimited",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(size_bad(bad[i], 1));
	CHECK(size_bad(NULL, 1));
	/* A bare number past 2^63 once multiplied by bare_unit. */
	CHECK(size_bad("9007199254740992", 1024)); /* 2^53 * 2^10 = 2^63 */
	CHECK(size_is("9007199254740991", 1024, 9007199254740991ull * 1024));

	struct vireo_err err;
	uint64_t v;
	CHECK(parse_size("9223372036854775808", 1, &v, "x", &err) == -ERANGE);
	CHECK(parse_size("12Q", 1, &v, "x", &err) == -EINVAL);
}

static void test_u64(void)
{
	struct vireo_err err;
	uint64_t v = 0;
	CHECK(parse_u64("0", 0, 10, &v, "n", &err) == 0 && v == 0);
	CHECK(parse_u64("10", 0, 10, &v, "n", &err) == 0 && v == 10);
	CHECK(parse_u64("5", 5, 5, &v, "n", &err) == 0 && v == 5);
	CHECK(parse_u64("007", 0, 10, &v, "n", &err) == 0 && v == 7);
	CHECK(parse_u64("18446744073709551615", 0, UINT64_MAX, &v, "n", &err) == 0 &&
	      v == UINT64_MAX);

	v = 99;
	CHECK(parse_u64("11", 0, 10, &v, "cpus", &err) == -ERANGE && v == 99);
	CHECK(strstr(err.msg, "cpus") && strstr(err.msg, "0") && strstr(err.msg, "10"));
	CHECK(parse_u64("4", 5, 10, &v, "n", &err) == -ERANGE && v == 99);
	CHECK(parse_u64("18446744073709551616", 0, UINT64_MAX, &v, "n", &err) == -ERANGE);
	CHECK(parse_u64("18446744073709551620", 0, UINT64_MAX, &v, "n", &err) == -ERANGE);
	CHECK(parse_u64("184467440737095516150", 0, UINT64_MAX, &v, "n", &err) == -ERANGE);
	CHECK(parse_u64("99999999999999999999999", 0, UINT64_MAX, &v, "n", &err) == -ERANGE);
	CHECK(v == 99);
	CHECK(parse_u64("", 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(parse_u64(NULL, 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(parse_u64("-1", 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(parse_u64("+1", 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(parse_u64(" 1", 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(parse_u64("1 ", 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(parse_u64("1x", 0, 10, &v, "n", &err) == -EINVAL);
	CHECK(v == 99);
}

static void test_yesno(void)
{
	struct vireo_err err;
	bool b = false;
	CHECK(parse_yesno("yes", &b, "onboot", &err) == 0 && b);
	CHECK(parse_yesno("no", &b, "onboot", &err) == 0 && !b);
	b = true;
	static const char *const bad[] = { "", "y", "n", "YES", "No", "yes ", "true", "1", "0" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(parse_yesno(bad[i], &b, "onboot", &err) == -EINVAL && b);
	CHECK(parse_yesno(NULL, &b, "onboot", &err) == -EINVAL && b);
	CHECK(strstr(err.msg, "onboot") != NULL);
}

static bool pair_is(const char *s, bool sizes, uint64_t ws, uint64_t wh)
{
	struct vireo_err err;
	uint64_t a = 7, b = 7;
	int r = parse_limit_pair(s, sizes, 1024, &a, &b, "diskspace", &err);
	if (r != 0 || a != ws || b != wh)
		fprintf(stderr, "  parse_limit_pair('%s') = %d, %llu:%llu\n", s, r,
			(unsigned long long)a, (unsigned long long)b);
	return r == 0 && a == ws && b == wh;
}

static bool pair_bad(const char *s, bool sizes)
{
	struct vireo_err err;
	uint64_t a = 7, b = 7;
	verr_clear(&err);
	int r = parse_limit_pair(s, sizes, 1024, &a, &b, "diskspace", &err);
	if (r == 0)
		fprintf(stderr, "  parse_limit_pair accepted '%s'\n", s);
	/* one line naming the option, nothing written */
	return r < 0 && r == -err.code && a == 7 && b == 7 && strstr(err.msg, "diskspace") &&
	       !strchr(err.msg, '\n');
}

static void test_limit_pair(void)
{
	CHECK(pair_is("1G", true, 1ull << 30, 1ull << 30));
	CHECK(pair_is("1G:2G", true, 1ull << 30, 2ull << 30));
	CHECK(pair_is("100:200", true, 100 * 1024, 200 * 1024)); /* bare: 1 KiB blocks */
	CHECK(pair_is("512M:1G", true, 512ull << 20, 1ull << 30));
	CHECK(pair_is("100:200", false, 100, 200));
	CHECK(pair_is("5000", false, 5000, 5000));
	CHECK(pair_is("0:0", false, 0, 0));
	static const char *const bad[] = {
		"12Q", "-5M", "2G:1G", "1G:", ":1G", "1G:2G:3G", "", "unlimited", "1G:unlimited",
		"9223372036854775808", "9007199254740992", "1G:9223372036854775808",
		"1G :2G", "abc", "1M:12Q",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(pair_bad(bad[i], true));
	CHECK(pair_bad(NULL, true));
	static const char *const badn[] = { "1K", "-5", "10:5", "9223372036854775808", "x", "1:2:3" };
	for (size_t i = 0; i < ARRAY_SIZE(badn); i++)
		CHECK(pair_bad(badn[i], false));
	struct vireo_err err;
	uint64_t a, b;
	CHECK(parse_limit_pair("2G:1G", true, 1024, &a, &b, "diskspace", &err) == -EINVAL &&
	      strstr(err.msg, "soft limit is above the hard limit"));
	CHECK(parse_limit_pair("9223372036854775808", true, 1, &a, &b, "diskspace", &err) ==
	      -ERANGE && strstr(err.msg, "2^63"));
}

static bool ubc_is(const char *s, uint64_t bare, uint64_t wb, uint64_t wl)
{
	struct vireo_err err;
	uint64_t b = 1, l = 1;
	int r = parse_ubc(s, bare, &b, &l, "ubc", &err);
	if (r != 0 || b != wb || l != wl)
		fprintf(stderr, "  parse_ubc('%s') = %d, %llu:%llu\n", s, r, (unsigned long long)b,
			(unsigned long long)l);
	return r == 0 && b == wb && l == wl;
}

static bool ubc_bad(const char *s, uint64_t bare)
{
	struct vireo_err err;
	uint64_t b = 7, l = 7;
	verr_clear(&err);
	int r = parse_ubc(s, bare, &b, &l, "numproc", &err);
	if (r == 0)
		fprintf(stderr, "  parse_ubc accepted '%s'\n", s);
	return r < 0 && r == -err.code && strstr(err.msg, "numproc") && b == 7 && l == 7;
}

static void test_ubc(void)
{
	const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), U = SIZE_UNLIMITED;
	/* counts (bare_unit 0) */
	CHECK(ubc_is("100", 0, 100, 100));
	CHECK(ubc_is("100:200", 0, 100, 200));
	CHECK(ubc_is("0:0", 0, 0, 0));
	CHECK(ubc_is("unlimited", 0, U, U));
	CHECK(ubc_is("100:unlimited", 0, 100, U));
	CHECK(ubc_is("9223372036854775807", 0, U, U)); /* OpenVZ's spelling of unlimited */
	CHECK(ubc_is("9223372036854775807:9223372036854775807", 0, U, U));
	/* sizes */
	CHECK(ubc_is("256M", 1, 256ull << 20, 256ull << 20));
	CHECK(ubc_is("128M:256M", 1, 128ull << 20, 256ull << 20));
	CHECK(ubc_is("10P:20P", 1, 10 * page, 20 * page));
	CHECK(ubc_is("1G:unlimited", 1, 1ull << 30, U));
	CHECK(ubc_is("8388607T", 1, 8388607ull << 40, 8388607ull << 40));
	static const char *const bad[] = {
		"", ":", "1:", ":1", "1:2:3", "12Q", "-5M", "-1", "200:100", "unlimited:5",
		"9223372036854775808", "99999999999999999999", "1M ", " 1M", "1.5M", "0x10",
		"8388608T", "1:9223372036854775808", "abc", "1MM", "un",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(ubc_bad(bad[i], 1));
	static const char *const badn[] = { "1K", "5P", "-5", "1:2:3", "10:5", "9223372036854775808" };
	for (size_t i = 0; i < ARRAY_SIZE(badn); i++)
		CHECK(ubc_bad(badn[i], 0));
	CHECK(ubc_bad(NULL, 1));
}

static bool cpus_are(const char *s, uint64_t want)
{
	struct vireo_err err;
	uint64_t m[2] = { 0, 0 };
	int r = parse_cpulist(s, m, 128, &err);
	return r == 0 && m[0] == want && m[1] == 0;
}

static void test_cpulist(void)
{
	CHECK(cpus_are("0", 1));
	CHECK(cpus_are("1", 2));
	CHECK(cpus_are("0-3", 0xf));
	CHECK(cpus_are("0,2", 5));
	CHECK(cpus_are("0-1,4-5,7", 0xb3));
	CHECK(cpus_are("3-3", 8));
	CHECK(cpus_are("1,1", 2));
	struct vireo_err err;
	uint64_t m[2] = { 0, 0 };
	CHECK(parse_cpulist("64-65,127", m, 128, &err) == 0 && m[0] == 0 &&
	      m[1] == (3ull | 1ull << 63));
	uint64_t one = 42;
	CHECK(parse_cpulist("1", &one, 2, &err) == 0 && one == 2);
	one = 42;
	CHECK(parse_cpulist("2", &one, 2, &err) == -ERANGE && one == 42);
	static const char *const bad[] = { "", ",", "0,", ",0", "0-", "-1", "3-1", "a", "0 1",
					   "1-2-3", "0;1", "128", "0-128", "99999999999999999999999" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		m[0] = m[1] = 77;
		int r = parse_cpulist(bad[i], m, 128, &err);
		CHECK(r < 0 && m[0] == 77 && m[1] == 77 && strstr(err.msg, "CPU list"));
	}
	CHECK(parse_cpulist(NULL, m, 128, &err) == -EINVAL);
}

int main(void)
{
	test_limit_pair();
	test_ctid();
	test_ctname();
	test_hostname();
	test_size();
	test_u64();
	test_yesno();
	test_ubc();
	test_cpulist();
	return check_done();
}
