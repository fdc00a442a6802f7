/* tests/unit/test-procfs-gen: src/procfs/gen.c — what vireo-procfs says in each file, from a
 * fake /proc and fake cgroup directories (v1 and v2) built in a temporary directory, which is
 * removed at the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "check.h"
#include "lib/util.h"
#include "procfs/procfs.h"

static char top[64];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", top, rel);
	char dir[512];
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = '\0';
	util_mkdir_p(dir, 0755, NULL);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *render(const struct pfs_ct *c, enum pfs_file f, double boottime)
{
	struct pfs_env env = { .ctx = NULL, .boottime = boottime, .realtime = 1000000.0 };
	char *out = NULL;
	size_t len = 0;
	if (pfs_render(c, f, &env, &out, &len) < 0)
		return NULL;
	CHECK(strlen(out) == len);
	return out;
}

/* The line of text starting with prefix, without its newline (static buffer). */
static const char *line(const char *text, const char *prefix)
{
	static char buf[256];
	buf[0] = '\0';
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, prefix, strlen(prefix))) {
			size_t n = strcspn(p, "\n");
			snprintf(buf, sizeof buf, "%.*s", (int)n, p);
			return buf;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return buf;
}

static const char host_meminfo[] =
	"MemTotal:       16000000 kB\nMemFree:        10000000 kB\nMemAvailable:   12000000 kB\n"
	"Buffers:           13916 kB\nCached:           635536 kB\nSwapTotal:       1048576 kB\n"
	"SwapFree:        1048576 kB\nShmem:              8872 kB\nCommitted_AS:    3000000 kB\n"
	"HugePages_Total:       3\nHugepagesize:       2048 kB\n";

static const char host_cpuinfo[] =
	"processor\t: 0\ncore id\t\t: 0\n\nprocessor\t: 1\ncore id\t\t: 1\n\n"
	"processor\t: 2\ncore id\t\t: 2\n\nprocessor\t: 3\ncore id\t\t: 3\n\n";

static void fill_v1(struct pfs_ct *c)
{
	memset(c, 0, sizeof *c);
	c->ctid = 42;
	c->start = 1000.0;
	char proc[128];
	snprintf(proc, sizeof proc, "%s/proc", top);
	static char procbuf[128];
	snprintf(procbuf, sizeof procbuf, "%s", proc);
	c->src.proc = procbuf;
	snprintf(c->src.memory, sizeof c->src.memory, "%s/v1/memory", top);
	snprintf(c->src.cpu, sizeof c->src.cpu, "%s/v1/cpu", top);
	snprintf(c->src.cpuacct, sizeof c->src.cpuacct, "%s/v1/cpuacct", top);
	snprintf(c->src.cpuset, sizeof c->src.cpuset, "%s/v1/cpuset", top);
	snprintf(c->src.pids, sizeof c->src.pids, "%s/v1/pids", top);
}

static void test_cpulist(void)
{
	unsigned cpus[16];
	size_t n;
	CHECK(pfs_parse_cpulist("0-3,8\n", cpus, 16, &n) == 0 && n == 5 && cpus[4] == 8);
	CHECK(pfs_parse_cpulist("5", cpus, 16, &n) == 0 && n == 1 && cpus[0] == 5);
	CHECK(pfs_parse_cpulist("3-1", cpus, 16, &n) < 0);
	CHECK(pfs_parse_cpulist("1,1", cpus, 16, &n) < 0);
	CHECK(pfs_parse_cpulist("a", cpus, 16, &n) < 0);
	CHECK(pfs_parse_cpulist("0-", cpus, 16, &n) < 0);
	CHECK(pfs_parse_cpulist("0-99999", cpus, 16, &n) < 0);
}

static void test_v1(void)
{
	struct pfs_ct c;
	fill_v1(&c);
	put("proc/meminfo", host_meminfo);
	put("proc/cpuinfo", host_cpuinfo);
	put("v1/memory/memory.limit_in_bytes", "67108864\n");        /* 64 MiB */
	put("v1/memory/memory.usage_in_bytes", "16777216\n");        /* 16 MiB */
	put("v1/memory/memory.memsw.limit_in_bytes", "100663296\n"); /* 96 MiB */
	put("v1/memory/memory.stat", "cache 1\nrss 1\ntotal_cache 4194304\ntotal_rss 8388608\n"
				     "total_shmem 1048576\ntotal_swap 2097152\n"
				     "total_inactive_file 2097152\ntotal_active_file 1048576\n");
	put("v1/cpuset/cpuset.cpus", "1,3\n");
	put("v1/cpu/cpu.cfs_quota_us", "-1\n");
	put("v1/cpu/cpu.cfs_period_us", "100000\n");
	/* ns per host CPU: 0 -> folded onto line 0, 1 -> line 0, 2 -> line 0, 3 -> line 1 */
	put("v1/cpuacct/cpuacct.usage_all", "cpu user system\n0 1000000000 0\n1 2000000000 "
					    "1000000000\n2 0 0\n3 3000000000 0\n");
	put("v1/pids/pids.current", "7\n");

	char *m = render(&c, PFS_MEMINFO, 1100.0);
	CHECK(m != NULL);
	if (m) {
		CHECK(!strcmp(line(m, "MemTotal:"), "MemTotal:          65536 kB"));
		CHECK(!strcmp(line(m, "MemFree:"), "MemFree:           49152 kB"));
		CHECK(!strcmp(line(m, "MemAvailable:"), "MemAvailable:      52224 kB"));
		CHECK(!strcmp(line(m, "Cached:"), "Cached:             4096 kB"));
		CHECK(!strcmp(line(m, "Buffers:"), "Buffers:               0 kB"));
		CHECK(!strcmp(line(m, "SwapTotal:"), "SwapTotal:         32768 kB"));
		CHECK(!strcmp(line(m, "SwapFree:"), "SwapFree:          30720 kB"));
		CHECK(!strcmp(line(m, "Shmem:"), "Shmem:              1024 kB"));
		/* usage, not the host's: 0; constants kept; no kB stays without */
		CHECK(!strcmp(line(m, "Committed_AS:"), "Committed_AS:          0 kB"));
		CHECK(!strcmp(line(m, "Hugepagesize:"), "Hugepagesize:       2048 kB"));
		CHECK(!strcmp(line(m, "HugePages_Total:"), "HugePages_Total:       0"));
		free(m);
	}
	/* No limit: the host's total. */
	put("v1/memory/memory.limit_in_bytes", "9223372036854771712\n");
	m = render(&c, PFS_MEMINFO, 1100.0);
	CHECK(m && !strcmp(line(m, "MemTotal:"), "MemTotal:       16000000 kB"));
	free(m);
	put("v1/memory/memory.limit_in_bytes", "67108864\n");

	char *ci = render(&c, PFS_CPUINFO, 1100.0);
	CHECK(ci != NULL);
	if (ci) {
		CHECK(!strcmp(ci, "processor\t: 0\ncore id\t\t: 1\n\n"
				  "processor\t: 1\ncore id\t\t: 3\n\n"));
		free(ci);
	}
	char *on = render(&c, PFS_CPUONLINE, 1100.0);
	CHECK(on && !strcmp(on, "0-1\n"));
	free(on);

	/* 100 s since the start at 100 ticks/s: 10000 ticks per CPU line. */
	long hz = sysconf(_SC_CLK_TCK);
	char *st = render(&c, PFS_STAT, 1100.0);
	CHECK(st != NULL);
	if (st && hz == 100) {
		CHECK(!strcmp(line(st, "cpu0 "), "cpu0 300 0 100 9600 0 0 0 0 0 0"));
		CHECK(!strcmp(line(st, "cpu1 "), "cpu1 300 0 0 9700 0 0 0 0 0 0"));
		CHECK(!strcmp(line(st, "cpu "), "cpu  600 0 100 19300 0 0 0 0 0 0"));
		CHECK(!strcmp(line(st, "btime"), "btime 999900")); /* 1e6 - 1100 + 1000 */
		CHECK(!strcmp(line(st, "processes"), "processes 7"));
	}
	free(st);
	char *up = render(&c, PFS_UPTIME, 1100.0);
	CHECK(up && !strcmp(up, "100.00 193.00\n"));
	free(up);

	/* A quota of half a CPU: one CPU, the first of the cpuset; all usage folds onto it. */
	put("v1/cpu/cpu.cfs_quota_us", "50000\n");
	ci = render(&c, PFS_CPUINFO, 1100.0);
	CHECK(ci && !strcmp(ci, "processor\t: 0\ncore id\t\t: 1\n\n"));
	free(ci);
	st = render(&c, PFS_STAT, 1100.0);
	if (st && hz == 100)
		CHECK(!strcmp(line(st, "cpu "), "cpu  600 0 100 9300 0 0 0 0 0 0"));
	CHECK(st && !strstr(st, "cpu1"));
	free(st);
	on = render(&c, PFS_CPUONLINE, 1100.0);
	CHECK(on && !strcmp(on, "0\n"));
	free(on);
	put("v1/cpu/cpu.cfs_quota_us", "150000\n"); /* 1.5 CPUs: 2 */
	on = render(&c, PFS_CPUONLINE, 1100.0);
	CHECK(on && !strcmp(on, "0-1\n"));
	free(on);

	/* Load averages: the kernel's rounding and format. */
	c.avenrun[0] = LOADAVG_FIXED_1 * 3 / 2;
	c.avenrun[1] = LOADAVG_FIXED_1 / 4;
	c.avenrun[2] = 0;
	c.nr_running = 2;
	c.last_pid = 31;
	char *la = render(&c, PFS_LOADAVG, 1100.0);
	CHECK(la && !strcmp(la, "1.50 0.25 0.00 2/7 31\n"));
	free(la);

	struct sysinfo si;
	struct pfs_env env = { .ctx = NULL, .boottime = 1100.0, .realtime = 1e6 };
	CHECK(pfs_sysinfo(&c, &env, &si) == 0);
	CHECK(si.mem_unit == 1024 && si.totalram == 65536 && si.freeram == 49152);
	CHECK(si.totalswap == 32768 && si.freeswap == 30720);
	CHECK(si.uptime == 100 && si.procs == 7);
	CHECK(si.loads[0] == (LOADAVG_FIXED_1 * 3 / 2) << 5);

	/* sched_getaffinity: the thread's own CPUs cut to the visible ones, never emptied. */
	unsigned char mask[64];
	size_t out = 0;
	put("proc/77/status", "Name:\tx\nCpus_allowed:\te\nCpus_allowed_list:\t1-3\n");
	put("v1/cpu/cpu.cfs_quota_us", "-1\n");
	CHECK(pfs_affinity(&c, 77, 64, mask, sizeof mask, &out) == 0 && out >= 8);
	CHECK(mask[0] == 0x0a); /* 1 and 3 */
	put("v1/cpu/cpu.cfs_quota_us", "50000\n");
	CHECK(pfs_affinity(&c, 77, 64, mask, sizeof mask, &out) == 0 && mask[0] == 0x02);
	put("proc/77/status", "Cpus_allowed_list:\t2\n");
	CHECK(pfs_affinity(&c, 77, 64, mask, sizeof mask, &out) == 0 && mask[0] == 0x04);
	CHECK(pfs_affinity(&c, 77, 4, mask, sizeof mask, &out) == -EINVAL);
	CHECK(pfs_affinity(&c, 78, 64, mask, sizeof mask, &out) == -ESRCH);

	/* No memory controller: the host's file as it is. */
	c.src.memory[0] = '\0';
	m = render(&c, PFS_MEMINFO, 1100.0);
	CHECK(m && !strcmp(m, host_meminfo));
	free(m);
}

static void test_v2(void)
{
	struct pfs_ct c;
	memset(&c, 0, sizeof c);
	static char proc[128], dir[128];
	snprintf(proc, sizeof proc, "%s/proc", top);
	snprintf(dir, sizeof dir, "%s/v2", top);
	c.src.proc = proc;
	c.src.v2 = true;
	snprintf(c.src.memory, sizeof c.src.memory, "%s", dir);
	snprintf(c.src.cpu, sizeof c.src.cpu, "%s", dir);
	snprintf(c.src.cpuacct, sizeof c.src.cpuacct, "%s", dir);
	snprintf(c.src.cpuset, sizeof c.src.cpuset, "%s", dir);
	snprintf(c.src.pids, sizeof c.src.pids, "%s", dir);
	c.start = 0;
	put("v2/memory.max", "max\n");
	put("v2/memory.current", "1048576\n");
	put("v2/memory.stat", "anon 524288\nfile 262144\nslab_reclaimable 4096\n");
	put("v2/memory.swap.max", "0\n");
	put("v2/cpuset.cpus.effective", "0-3\n");
	put("v2/cpu.max", "150000 100000\n");
	put("v2/cpu.stat", "usage_usec 3000000\nuser_usec 2000000\nsystem_usec 1000000\n");
	char *m = render(&c, PFS_MEMINFO, 10.0);
	CHECK(m != NULL);
	if (m) {
		CHECK(!strcmp(line(m, "MemTotal:"), "MemTotal:       16000000 kB"));
		CHECK(!strcmp(line(m, "MemFree:"), "MemFree:        15998976 kB"));
		CHECK(!strcmp(line(m, "Cached:"), "Cached:              256 kB"));
		CHECK(!strcmp(line(m, "SwapTotal:"), "SwapTotal:             0 kB"));
		free(m);
	}
	put("v2/memory.max", "33554432\n");
	m = render(&c, PFS_MEMINFO, 10.0);
	CHECK(m && !strcmp(line(m, "MemTotal:"), "MemTotal:          32768 kB"));
	free(m);
	char *on = render(&c, PFS_CPUONLINE, 10.0);
	CHECK(on && !strcmp(on, "0-1\n"));
	free(on);
	long hz = sysconf(_SC_CLK_TCK);
	char *st = render(&c, PFS_STAT, 10.0);
	if (st && hz == 100) {
		CHECK(!strcmp(line(st, "cpu "), "cpu  200 0 100 1700 0 0 0 0 0 0"));
		CHECK(!strcmp(line(st, "cpu0 "), "cpu0 100 0 50 850 0 0 0 0 0 0"));
	}
	free(st);
}

static void test_calc_load(void)
{
	/* 2 runnable tasks for one minute (12 samples) from 0: 2 * (1 - 1/e) = 1.26 */
	unsigned long l = 0;
	for (int i = 0; i < 12; i++)
		l = loadavg_calc(l, 1884, 2 * LOADAVG_FIXED_1);
	CHECK(l * 100 / LOADAVG_FIXED_1 >= 124 && l * 100 / LOADAVG_FIXED_1 <= 128);
	/* and decays back towards 0 */
	for (int i = 0; i < 120; i++)
		l = loadavg_calc(l, 1884, 0);
	CHECK(l * 100 / LOADAVG_FIXED_1 < 1);
}

int main(void)
{
	snprintf(top, sizeof top, "/tmp/test-procfs-gen.XXXXXX");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	test_cpulist();
	test_v1();
	test_v2();
	test_calc_load();
	util_rm_rf(top, NULL);
	return check_done();
}
