/* tests/unit/test-cgroup-map: ct/cgroup-map — OpenVZ parameters to cgroup v1 and v2 values:
 * cpuunits to cpu.shares and (as crun converts) cpu.weight, cpulimit/cpus to the CFS quota
 * and cpu.max, ioprio to blkio and io weights, beancounter pages to memory files. */
#include <string.h>

#include "check.h"
#include "ct/ct-internal.h"

static bool str_is(void (*fn)(uint64_t, bool, char *, size_t), uint64_t v, bool pages,
		   const char *want)
{
	char buf[64];
	fn(v, pages, buf, sizeof buf);
	if (strcmp(buf, want))
		fprintf(stderr, "  got '%s', want '%s'\n", buf, want);
	return !strcmp(buf, want);
}

static void test_shares(void)
{
	CHECK(cgmap_shares(1000) == 1024); /* OpenVZ's default is the kernel's default */
	CHECK(cgmap_shares(3000) == 3072);
	CHECK(cgmap_shares(500) == 512);
	CHECK(cgmap_shares(8) == 8);
	CHECK(cgmap_shares(1) == 2);          /* the kernel's minimum */
	CHECK(cgmap_shares(256000) == 262144); /* the kernel's maximum */
	CHECK(cgmap_shares(500000) == 262144);
	/* ratios survive: 1000 vs 3000 units is 1:3 in shares */
	CHECK(cgmap_shares(3000) == 3 * cgmap_shares(1000));
}

static void test_weight(void)
{
	/* crun's curve: 0 unset, the ends pinned, the default share onto the default weight */
	CHECK(cgmap_weight_from_shares(0) == 0);
	CHECK(cgmap_weight_from_shares(1) == 1);
	CHECK(cgmap_weight_from_shares(2) == 1);
	CHECK(cgmap_weight_from_shares(1024) == 100);
	CHECK(cgmap_weight_from_shares(262144) == 10000);
	CHECK(cgmap_weight_from_shares(1000000) == 10000);
	/* monotonic over the whole range */
	uint64_t prev = 0;
	bool mono = true;
	for (uint64_t s = 2; s <= 262144; s += 97) {
		uint64_t w = cgmap_weight_from_shares(s);
		mono &= w >= prev && w >= 1 && w <= 10000;
		prev = w;
	}
	CHECK(mono);
	/* through cpuunits: OpenVZ's 1000 is v2's 100, and more units give more weight */
	CHECK(cgmap_weight_from_shares(cgmap_shares(1000)) == 100);
	CHECK(cgmap_weight_from_shares(cgmap_shares(3000)) > cgmap_weight_from_shares(cgmap_shares(1000)));
	CHECK(cgmap_weight_from_shares(cgmap_shares(8)) >= 1);
	CHECK(cgmap_weight_from_shares(cgmap_shares(500000)) == 10000);
	/* the curve gives 1:3 shares about 1:2.6 weights (crun's documented behaviour) */
	uint64_t w1 = cgmap_weight_from_shares(1024), w3 = cgmap_weight_from_shares(3072);
	CHECK(w3 > 2 * w1 && w3 < 3 * w1);
}

static void test_quota(void)
{
	CHECK(cgmap_quota_us(0, 0) == 0);
	CHECK(cgmap_quota_us(50, 0) == 50000);
	CHECK(cgmap_quota_us(100, 0) == 100000);
	CHECK(cgmap_quota_us(250, 0) == 250000);
	CHECK(cgmap_quota_us(0, 1) == 100000);  /* --cpus 1 alone caps at one CPU */
	CHECK(cgmap_quota_us(0, 2) == 200000);
	CHECK(cgmap_quota_us(80, 1) == 80000);  /* the lower of the two wins */
	CHECK(cgmap_quota_us(150, 1) == 100000);
	CHECK(cgmap_quota_us(1, 0) == 1000);    /* 1% is the kernel's minimum, 1 ms */
	char buf[64];
	cgmap_cpu_max(0, buf, sizeof buf);
	CHECK(!strcmp(buf, "max 100000"));
	cgmap_cpu_max(50000, buf, sizeof buf);
	CHECK(!strcmp(buf, "50000 100000"));
	cgmap_cpu_max(cgmap_quota_us(200, 0), buf, sizeof buf);
	CHECK(!strcmp(buf, "200000 100000"));
}

static void test_io(void)
{
	CHECK(cgmap_blkio_weight(0) == 100);
	CHECK(cgmap_blkio_weight(4) == 500);
	CHECK(cgmap_blkio_weight(7) == 800);
	CHECK(cgmap_blkio_weight(-1) == 500); /* unset: OpenVZ's default, 4 */
	/* crun's linear map of [10, 1000] onto [1, 10000] */
	CHECK(cgmap_io_weight(10) == 1);
	CHECK(cgmap_io_weight(1000) == 10000);
	CHECK(cgmap_io_weight(100) == 1 + 90 * 9999 / 990);
	CHECK(cgmap_io_weight(500) == 1 + 490 * 9999 / 990);
	CHECK(cgmap_io_weight(0) == 1);
	CHECK(cgmap_io_weight(5000) == 10000);
	uint64_t prev = 0;
	for (int p = 0; p <= 7; p++) {
		uint64_t w = cgmap_io_weight(cgmap_blkio_weight(p));
		CHECK(w > prev);
		prev = w;
	}
}

static void test_memory(void)
{
	CHECK(str_is(cgmap_v2_bytes, UBC_UNLIMITED, true, "max"));
	CHECK(str_is(cgmap_v2_bytes, UBC_UNLIMITED, false, "max"));
	CHECK(str_is(cgmap_v2_bytes, 16384, true, "67108864"));
	CHECK(str_is(cgmap_v2_bytes, 0, true, "0"));
	CHECK(str_is(cgmap_v2_bytes, 12345, false, "12345"));
	/* pages whose bytes pass 2^63 are unlimited, never wrapped */
	CHECK(str_is(cgmap_v2_bytes, UBC_UNLIMITED / 4096 + 1, true, "max"));
	CHECK(str_is(cgmap_v1_bytes, UBC_UNLIMITED, true, "-1"));
	CHECK(str_is(cgmap_v1_bytes, 8192, true, "33554432"));
	char buf[64];
	cgmap_v1_memsw(12288, 4096, buf, sizeof buf);
	CHECK(!strcmp(buf, "67108864")); /* 48M ram + 16M swap */
	cgmap_v1_memsw(12288, 0, buf, sizeof buf);
	CHECK(!strcmp(buf, "50331648"));
	cgmap_v1_memsw(UBC_UNLIMITED, 4096, buf, sizeof buf);
	CHECK(!strcmp(buf, "-1"));
	cgmap_v1_memsw(12288, UBC_UNLIMITED, buf, sizeof buf);
	CHECK(!strcmp(buf, "-1"));
	cgmap_v1_memsw(UBC_UNLIMITED / 4096 - 1, UBC_UNLIMITED / 4096 - 1, buf, sizeof buf);
	CHECK(!strcmp(buf, "-1")); /* the sum would pass 2^63 */
}

int main(void)
{
	test_shares();
	test_weight();
	test_quota();
	test_io();
	test_memory();
	return check_done();
}
