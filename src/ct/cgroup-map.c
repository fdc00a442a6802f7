/* ct/cgroup-map: OpenVZ's resource parameters turned into cgroup file values, for both back
 * ends. Pure functions, no I/O (tests/unit/test-cgroup-map.c). The v2 conversions follow
 * crun's: cpu.shares to cpu.weight by the quadratic-in-log2 curve through (2, 1), (1024, 100)
 * and (262144, 10000); blkio weights [10, 1000] linearly to io.weight [1, 10000]. */
#include "ct/ct-internal.h"

#include <math.h>
#include <stdio.h>

#define PAGE_BYTES 4096ull
#define SHARES_MIN 2u
#define SHARES_MAX 262144u

uint64_t cgmap_shares(uint64_t cpuunits)
{
	/* OpenVZ's scale: 1000 units is the default share, 1024. */
	uint64_t s = cpuunits * 1024 / 1000;
	return s < SHARES_MIN ? SHARES_MIN : s > SHARES_MAX ? SHARES_MAX : s;
}

uint64_t cgmap_weight_from_shares(uint64_t shares)
{
	if (shares == 0)
		return 0; /* unset */
	if (shares <= SHARES_MIN)
		return 1;
	if (shares >= SHARES_MAX)
		return 10000;
	double l = log2((double)shares);
	double e = (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0;
	return (uint64_t)ceil(pow(10.0, e));
}

uint64_t cgmap_quota_us(uint64_t cpulimit, uint64_t cpus)
{
	uint64_t pct = cpulimit;
	if (cpus && (pct == 0 || cpus * 100 < pct))
		pct = cpus * 100;
	if (pct == 0)
		return 0;
	uint64_t q = pct * CG_CPU_PERIOD_US / 100;
	return q < 1000 ? 1000 : q; /* the kernel's minimum quota is 1 ms */
}

void cgmap_cpu_max(uint64_t quota_us, char *buf, size_t size)
{
	if (quota_us == 0)
		snprintf(buf, size, "max %u", CG_CPU_PERIOD_US);
	else
		snprintf(buf, size, "%llu %u", (unsigned long long)quota_us, CG_CPU_PERIOD_US);
}

uint64_t cgmap_blkio_weight(int ioprio)
{
	/* OpenVZ's 0..7 (4 by default) over the weight range: 0 -> 100, 4 -> 500, 7 -> 800. */
	if (ioprio < 0)
		ioprio = 4;
	if (ioprio > 7)
		ioprio = 7;
	return 100 + (uint64_t)ioprio * 100;
}

uint64_t cgmap_io_weight(uint64_t w)
{
	if (w < 10)
		w = 10;
	if (w > 1000)
		w = 1000;
	return 1 + (w - 10) * 9999 / 990;
}

static uint64_t to_bytes(uint64_t v, bool pages)
{
	if (v >= UBC_UNLIMITED)
		return UBC_UNLIMITED;
	if (pages) {
		if (v > UBC_UNLIMITED / PAGE_BYTES)
			return UBC_UNLIMITED;
		v *= PAGE_BYTES;
	}
	return v;
}

/* v in bytes, or the hierarchy's word for no limit. */
static void bytes_str(uint64_t v, bool pages, const char *unlimited, char *buf, size_t size)
{
	v = to_bytes(v, pages);
	if (v == UBC_UNLIMITED)
		snprintf(buf, size, "%s", unlimited);
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

void cgmap_v2_bytes(uint64_t v, bool pages, char *buf, size_t size)
{
	bytes_str(v, pages, "max", buf, size);
}

void cgmap_v1_bytes(uint64_t v, bool pages, char *buf, size_t size)
{
	bytes_str(v, pages, "-1", buf, size);
}

void cgmap_v1_memsw(uint64_t ram, uint64_t swap, char *buf, size_t size)
{
	uint64_t r = to_bytes(ram, true), s = to_bytes(swap, true);
	if (r == UBC_UNLIMITED || s == UBC_UNLIMITED || r > UBC_UNLIMITED - s)
		snprintf(buf, size, "-1");
	else
		snprintf(buf, size, "%llu", (unsigned long long)(r + s));
}
