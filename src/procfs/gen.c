/* procfs/gen: what each file of a container's directory says, computed at read time from
 * the container's own cgroup files (memory, cpu, cpuacct, cpuset, pids; v1 or v2) and the
 * host's /proc (as a template for the format, and for values the container is bounded by).
 * Reads only the directories in struct pfs_src and src->proc; writes nothing; no state
 * besides what the daemon keeps in struct pfs_ct.
 *
 * meminfo   MemTotal is the memory limit (the host's when there is none or it is larger);
 *           MemFree = total - usage; Cached = the cgroup's page cache, so free's "used" is
 *           usage minus cache; swap from memsw (v1) or memory.swap.max (v2), bounded by the
 *           host's; lines the cgroup does not account are 0 (page and vmalloc sizes are the
 *           host's, they are constants).
 * cpuinfo   only the visible CPUs (pfs_visible_cpus), renumbered from 0.
 * stat      one line per visible CPU: the container's user and system time from cpuacct
 *           (per CPU on v1; spread evenly on v2), idle = time since the container started
 *           minus that, so top's percentages are the container's; btime is the container's
 *           start; procs_running/blocked from the supervisor's last load sample.
 * loadavg   the supervisor's averages (src/ct/loadavg.c: the daemon copies them into
 *           struct pfs_ct before rendering), running/threads of the container, its
 *           highest pid.
 * uptime    seconds since the container started; idle = CPUs x uptime - CPU time used.
 * cpuonline "0-N" for the visible CPUs (glibc's sysconf(_SC_NPROCESSORS_ONLN) reads it).
 * sysinfo   (the system call) the same memory, uptime and load; pfs_affinity cuts a thread's
 *           CPU mask to the visible CPUs for sched_getaffinity. */
#include "procfs/procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "lib/util.h"

#define MAX_CPUS 4096

const char *const pfs_file_names[PFS_NFILES] = {
	[PFS_DIR] = "",		[PFS_MEMINFO] = "meminfo", [PFS_CPUINFO] = "cpuinfo",
	[PFS_STAT] = "stat",	[PFS_LOADAVG] = "loadavg", [PFS_UPTIME] = "uptime",
	[PFS_UBC] = "user_beancounters", [PFS_CPUONLINE] = "cpuonline",
};

/* Read a whole small file into a malloc'd NUL-terminated buffer; NULL when unreadable. */
static char *slurp(const char *dir, const char *name, size_t max)
{
	char path[PATH_MAX];
	if (!dir || !dir[0])
		return NULL;
	if (name)
		util_path(path, sizeof path, "%s/%s", dir, name);
	else
		util_path(path, sizeof path, "%s", dir);
	char *text = NULL;
	if (util_read_file(path, max, &text, NULL, NULL) < 0)
		return NULL;
	return text;
}

/* A file holding one unsigned number (or "max", read as UINT64_MAX). */
static bool read_u64(const char *dir, const char *name, uint64_t *v)
{
	char path[PATH_MAX], buf[64];
	if (!dir || !dir[0])
		return false;
	util_path(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (!strncmp(buf, "max", 3)) {
		*v = UINT64_MAX;
		return true;
	}
	char *end;
	errno = 0;
	long long x = strtoll(buf, &end, 10);
	if (end == buf || errno)
		return false;
	*v = x < 0 ? UINT64_MAX : (uint64_t)x; /* cfs_quota_us -1: no quota */
	return true;
}

/* In "key value\n" text (memory.stat, cpu.stat), the value of key. */
static bool kv_get(const char *text, const char *key, uint64_t *v)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, key, kl) && (p[kl] == ' ' || p[kl] == '\t')) {
			*v = strtoull(p + kl + 1, NULL, 10);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static uint64_t kv(const char *text, const char *key)
{
	uint64_t v = 0;
	return text && kv_get(text, key, &v) ? v : 0;
}

/* In /proc/meminfo text, the value of "Key:" in kB. */
static bool meminfo_get(const char *text, const char *key, uint64_t *v)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			*v = strtoull(p + kl + 1, NULL, 10);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

int pfs_parse_cpulist(const char *text, unsigned *cpus, size_t max, size_t *n)
{
	*n = 0;
	const char *p = text;
	while (*p && *p != '\n') {
		char *end;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		unsigned long a = strtoul(p, &end, 10), b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (b < a || b >= MAX_CPUS)
			return -EINVAL;
		for (unsigned long c = a; c <= b && *n < max; c++) {
			if (*n && cpus[*n - 1] >= c)
				return -EINVAL; /* not increasing */
			cpus[(*n)++] = (unsigned)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return 0;
}

size_t pfs_visible_cpus(const struct pfs_src *s, unsigned *cpus, size_t max)
{
	size_t n = 0;
	char *list = s->v2 ? slurp(s->cpuset, "cpuset.cpus.effective", 65536)
			   : slurp(s->cpuset, "cpuset.effective_cpus", 65536);
	if (!list || !list[0] || list[0] == '\n') {
		free(list);
		list = slurp(s->cpuset, "cpuset.cpus", 65536);
	}
	if (!list || pfs_parse_cpulist(list, cpus, max, &n) < 0)
		n = 0;
	free(list);
	if (n == 0) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		for (long i = 0; i < online && n < max; i++)
			cpus[n++] = (unsigned)i;
		if (n == 0)
			cpus[n++] = 0;
	}
	/* A CPU quota of q periods per period runs at most ceil(q) CPUs' worth. */
	uint64_t quota = UINT64_MAX, period = 0;
	if (s->v2) {
		char *m = slurp(s->cpu, "cpu.max", 128);
		if (m && strncmp(m, "max", 3)) {
			unsigned long long q, p;
			if (sscanf(m, "%llu %llu", &q, &p) == 2) {
				quota = q;
				period = p;
			}
		}
		free(m);
	} else if (!read_u64(s->cpu, "cpu.cfs_quota_us", &quota) ||
		   !read_u64(s->cpu, "cpu.cfs_period_us", &period)) {
		quota = UINT64_MAX;
	}
	if (quota != UINT64_MAX && period > 0) {
		uint64_t k = (quota + period - 1) / period;
		if (k < 1)
			k = 1;
		if (k < n)
			n = (size_t)k;
	}
	return n;
}

static long clk_tck(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? hz : 100;
}

/* The container's CPU time per visible CPU line, in clock ticks. Host CPUs that are not
 * visible (outside the cpuset, or cut by the quota) fold onto the visible lines. */
static void cpu_usage(const struct pfs_src *s, const unsigned *vis, size_t n, uint64_t *user,
		      uint64_t *sys)
{
	long hz = clk_tck();
	memset(user, 0, n * sizeof *user);
	memset(sys, 0, n * sizeof *sys);
	if (s->v2) {
		char *st = slurp(s->cpu, "cpu.stat", 4096);
		uint64_t u = kv(st, "user_usec") * (uint64_t)hz / 1000000;
		uint64_t y = kv(st, "system_usec") * (uint64_t)hz / 1000000;
		free(st);
		for (size_t i = 0; i < n; i++) {
			user[i] = u / n + (i < u % n);
			sys[i] = y / n + (i < y % n);
		}
		return;
	}
	char *all = slurp(s->cpuacct, "cpuacct.usage_all", 1 << 20);
	if (!all) {
		/* Older kernels: the totals only. */
		char *st = slurp(s->cpuacct, "cpuacct.stat", 4096);
		uint64_t u = kv(st, "user"), y = kv(st, "system");
		free(st);
		for (size_t i = 0; i < n; i++) {
			user[i] = u / n + (i < u % n);
			sys[i] = y / n + (i < y % n);
		}
		return;
	}
	const char *p = strchr(all, '\n'); /* skip "cpu user system" */
	while (p && *++p) {
		unsigned long long cpu, u, y;
		if (sscanf(p, "%llu %llu %llu", &cpu, &u, &y) == 3) {
			size_t line = cpu % n;
			for (size_t i = 0; i < n; i++)
				if (vis[i] == cpu)
					line = i;
			user[line] += u * (uint64_t)hz / 1000000000ull;
			sys[line] += y * (uint64_t)hz / 1000000000ull;
		}
		p = strchr(p, '\n');
	}
	free(all);
}

/* The visible CPUs' count, and the container's user and system ticks on each (malloc'd,
 * both freed by the caller). */
static int cpu_times(const struct pfs_ct *c, size_t *n, uint64_t **user, uint64_t **sys)
{
	unsigned vis[MAX_CPUS];
	*n = pfs_visible_cpus(&c->src, vis, MAX_CPUS);
	*user = calloc(*n, sizeof **user);
	*sys = calloc(*n, sizeof **sys);
	if (!*user || !*sys) {
		free(*user);
		free(*sys);
		return -ENOMEM;
	}
	cpu_usage(&c->src, vis, *n, *user, *sys);
	return 0;
}

static double uptime_of(const struct pfs_ct *c, const struct pfs_env *env)
{
	double up = env->boottime - c->start;
	return up > 0 ? up : 0;
}

/* The container's memory in kB, as meminfo and sysinfo show it. */
struct mem {
	uint64_t total, free, avail, cache, anon, shmem, mapped, dirty, wb, aanon, ianon, afile,
		ifile, unevict, huge, sreclaim, sunreclaim, swap_total, swap_free;
};

/* Fill m from the container's memory cgroup; false when it has none (then the host's
 * numbers are all there is). host is the host's /proc/meminfo. */
static bool mem_numbers(const struct pfs_src *s, const char *host, struct mem *m)
{
	uint64_t host_total = 0, host_swap = 0, limit = UINT64_MAX, usage = 0, swlimit = UINT64_MAX;
	meminfo_get(host, "MemTotal", &host_total);
	meminfo_get(host, "SwapTotal", &host_swap);
	bool have;
	if (s->v2)
		have = read_u64(s->memory, "memory.current", &usage) &&
		       read_u64(s->memory, "memory.max", &limit);
	else
		have = read_u64(s->memory, "memory.usage_in_bytes", &usage) &&
		       read_u64(s->memory, "memory.limit_in_bytes", &limit);
	char *st = have ? slurp(s->memory, "memory.stat", 1 << 16) : NULL;
	if (!have || !st) {
		free(st);
		return false;
	}
	const char *pre = s->v2 ? "" : "total_";
	char k[64];
#define STAT(name2, name1) \
	(snprintf(k, sizeof k, "%s%s", pre, s->v2 ? (name2) : (name1)), kv(st, k) / 1024)
	uint64_t total = limit / 1024 < host_total ? limit / 1024 : host_total;
	uint64_t used = usage / 1024 < total ? usage / 1024 : total;
	uint64_t cache = STAT("file", "cache"), anon = STAT("anon", "rss");
	uint64_t shmem = STAT("shmem", "shmem"), mapped = STAT("file_mapped", "mapped_file");
	uint64_t dirty = STAT("file_dirty", "dirty"), wb = STAT("file_writeback", "writeback");
	uint64_t aanon = STAT("active_anon", "active_anon");
	uint64_t ianon = STAT("inactive_anon", "inactive_anon");
	uint64_t afile = STAT("active_file", "active_file");
	uint64_t ifile = STAT("inactive_file", "inactive_file");
	uint64_t unevict = STAT("unevictable", "unevictable");
	uint64_t huge = STAT("anon_thp", "rss_huge");
	uint64_t sreclaim = s->v2 ? kv(st, "slab_reclaimable") / 1024 : 0;
	uint64_t sunreclaim = s->v2 ? kv(st, "slab_unreclaimable") / 1024 : 0;
#undef STAT
	uint64_t swap_used = 0, swap_total = host_swap;
	if (s->v2) {
		uint64_t cur = 0;
		if (read_u64(s->memory, "memory.swap.max", &swlimit) && swlimit / 1024 < swap_total)
			swap_total = swlimit / 1024;
		if (read_u64(s->memory, "memory.swap.current", &cur))
			swap_used = cur / 1024;
	} else {
		/* memsw limits memory + swap together: the swap share is what lies above RAM. */
		if (read_u64(s->memory, "memory.memsw.limit_in_bytes", &swlimit) &&
		    limit != UINT64_MAX && swlimit >= limit &&
		    (swlimit - limit) / 1024 < swap_total)
			swap_total = (swlimit - limit) / 1024;
		swap_used = kv(st, "total_swap") / 1024;
	}
	if (swap_used > swap_total)
		swap_used = swap_total;
	free(st);
	uint64_t memfree = total - used;
	uint64_t avail = memfree + afile + ifile;
	if (avail > total)
		avail = total;
	if (cache > used)
		cache = used;
	*m = (struct mem){ .total = total, .free = memfree, .avail = avail, .cache = cache,
			   .anon = anon, .shmem = shmem, .mapped = mapped, .dirty = dirty, .wb = wb,
			   .aanon = aanon, .ianon = ianon, .afile = afile, .ifile = ifile,
			   .unevict = unevict, .huge = huge, .sreclaim = sreclaim,
			   .sunreclaim = sunreclaim, .swap_total = swap_total,
			   .swap_free = swap_total - swap_used };
	return true;
}

static int render_meminfo(const struct pfs_ct *c, FILE *o)
{
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/meminfo", c->src.proc);
	char *host = slurp(path, NULL, 1 << 16);
	if (!host)
		return -EIO;
	struct mem m;
	if (!mem_numbers(&c->src, host, &m)) {
		fputs(host, o);
		free(host);
		return 0;
	}
	struct {
		const char *key;
		uint64_t val;
	} set[] = {
		{ "MemTotal", m.total },	  { "MemFree", m.free },
		{ "MemAvailable", m.avail },	  { "Buffers", 0 },
		{ "Cached", m.cache },		  { "SwapCached", 0 },
		{ "Active", m.aanon + m.afile },  { "Inactive", m.ianon + m.ifile },
		{ "Active(anon)", m.aanon },	  { "Inactive(anon)", m.ianon },
		{ "Active(file)", m.afile },	  { "Inactive(file)", m.ifile },
		{ "Unevictable", m.unevict },	  { "SwapTotal", m.swap_total },
		{ "SwapFree", m.swap_free },	  { "Dirty", m.dirty },
		{ "Writeback", m.wb },		  { "AnonPages", m.anon },
		{ "Mapped", m.mapped },		  { "Shmem", m.shmem },
		{ "Slab", m.sreclaim + m.sunreclaim }, { "SReclaimable", m.sreclaim },
		{ "SUnreclaim", m.sunreclaim },	  { "AnonHugePages", m.huge },
	};
	/* Constants of the host, not usage: kept. */
	static const char *const keep[] = { "Hugepagesize", "VmallocTotal" };
	/* The host file gives the list and order of lines; the values are ours. */
	for (char *line = host, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		bool kb = strstr(colon + 1, "kB") != NULL;
		uint64_t val = 0;
		bool found = false;
		for (size_t i = 0; i < ARRAY_SIZE(set) && !found; i++)
			if (!strcmp(line, set[i].key)) {
				val = set[i].val;
				found = true;
			}
		for (size_t i = 0; i < ARRAY_SIZE(keep) && !found; i++)
			if (!strcmp(line, keep[i])) {
				val = strtoull(colon + 1, NULL, 10);
				found = true;
			}
		char key[80];
		snprintf(key, sizeof key, "%s:", line);
		fprintf(o, "%-16s%8" PRIu64 "%s\n", key, val, kb ? " kB" : "");
	}
	free(host);
	return 0;
}

int pfs_sysinfo(const struct pfs_ct *c, const struct pfs_env *env, struct sysinfo *si)
{
	if (sysinfo(si) < 0) /* the host's, for whatever the container has no own number */
		return -errno;
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/meminfo", c->src.proc);
	char *host = slurp(path, NULL, 1 << 16);
	struct mem m;
	if (host && mem_numbers(&c->src, host, &m)) {
		si->mem_unit = 1024;
		si->totalram = m.total;
		si->freeram = m.free;
		si->sharedram = m.shmem;
		si->bufferram = 0;
		si->totalswap = m.swap_total;
		si->freeswap = m.swap_free;
		si->totalhigh = si->freehigh = 0;
	}
	free(host);
	si->uptime = (long)uptime_of(c, env);
	for (int i = 0; i < 3; i++) /* SI_LOAD_SHIFT is 16, FSHIFT 11 */
		si->loads[i] = c->avenrun[i] << (16 - LOADAVG_FSHIFT);
	uint64_t threads = 0;
	if (read_u64(c->src.pids, "pids.current", &threads))
		si->procs = (unsigned short)(threads > 65535 ? 65535 : threads);
	return 0;
}

static int render_cpuinfo(const struct pfs_ct *c, FILE *o)
{
	unsigned vis[MAX_CPUS];
	size_t n = pfs_visible_cpus(&c->src, vis, MAX_CPUS);
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/cpuinfo", c->src.proc);
	char *host = slurp(path, NULL, 1 << 24);
	if (!host)
		return -EIO;
	/* Blocks are separated by blank lines; each CPU's starts with "processor\t: N". */
	for (char *blk = host; *blk;) {
		char *end = strstr(blk, "\n\n");
		size_t len = end ? (size_t)(end - blk) + 2 : strlen(blk);
		unsigned cpu;
		if (sscanf(blk, "processor : %u", &cpu) == 1 ||
		    sscanf(blk, "processor\t: %u", &cpu) == 1) {
			for (size_t i = 0; i < n; i++) {
				if (vis[i] != cpu)
					continue;
				const char *rest = strchr(blk, '\n');
				fprintf(o, "processor\t: %zu", i);
				if (rest)
					fwrite(rest, 1, len - (size_t)(rest - blk), o);
				break;
			}
		} else {
			fwrite(blk, 1, len, o);
		}
		blk += len;
	}
	free(host);
	return 0;
}

static int render_stat(const struct pfs_ct *c, const struct pfs_env *env, FILE *o)
{
	size_t n;
	uint64_t *user, *sys;
	if (cpu_times(c, &n, &user, &sys) < 0)
		return -ENOMEM;
	uint64_t up = (uint64_t)(uptime_of(c, env) * (double)clk_tck());
	uint64_t tu = 0, ts = 0, ti = 0;
	for (size_t i = 0; i < n; i++) {
		tu += user[i];
		ts += sys[i];
		ti += up > user[i] + sys[i] ? up - user[i] - sys[i] : 0;
	}
	fprintf(o, "cpu  %" PRIu64 " 0 %" PRIu64 " %" PRIu64 " 0 0 0 0 0 0\n", tu, ts, ti);
	for (size_t i = 0; i < n; i++) {
		uint64_t idle = up > user[i] + sys[i] ? up - user[i] - sys[i] : 0;
		fprintf(o, "cpu%zu %" PRIu64 " 0 %" PRIu64 " %" PRIu64 " 0 0 0 0 0 0\n", i, user[i],
			sys[i], idle);
	}
	free(user);
	free(sys);
	uint64_t threads = 0;
	if (!read_u64(c->src.pids, "pids.current", &threads))
		threads = 0;
	double btime = env->realtime - env->boottime + c->start;
	fprintf(o,
		"intr 0\nctxt 0\nbtime %llu\nprocesses %" PRIu64 "\nprocs_running %u\n"
		"procs_blocked %u\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		(unsigned long long)(btime + 0.5), threads, c->nr_running ? c->nr_running : 1,
		c->nr_blocked);
	return 0;
}

static int render_loadavg(const struct pfs_ct *c, FILE *o)
{
	uint64_t threads = 0;
	if (!read_u64(c->src.pids, "pids.current", &threads))
		threads = 0;
	unsigned running = c->nr_running ? c->nr_running : 1; /* the reader runs */
	if (threads < running)
		threads = running;
	fprintf(o, "%.2f %.2f %.2f %u/%" PRIu64 " %u\n", loadavg_value(c->avenrun[0]),
		loadavg_value(c->avenrun[1]), loadavg_value(c->avenrun[2]), running, threads,
		c->last_pid);
	return 0;
}

static int render_uptime(const struct pfs_ct *c, const struct pfs_env *env, FILE *o)
{
	size_t n;
	uint64_t *user, *sys;
	if (cpu_times(c, &n, &user, &sys) < 0)
		return -ENOMEM;
	double used = 0;
	for (size_t i = 0; i < n; i++)
		used += (double)(user[i] + sys[i]) / (double)clk_tck();
	free(user);
	free(sys);
	double up = uptime_of(c, env), idle = up * (double)n - used;
	fprintf(o, "%.2f %.2f\n", up, idle > 0 ? idle : 0.0);
	return 0;
}

static int render_cpuonline(const struct pfs_ct *c, FILE *o)
{
	unsigned vis[MAX_CPUS];
	size_t n = pfs_visible_cpus(&c->src, vis, MAX_CPUS);
	if (n == 1)
		fputs("0\n", o);
	else
		fprintf(o, "0-%zu\n", n - 1);
	return 0;
}

int pfs_render(const struct pfs_ct *c, enum pfs_file f, const struct pfs_env *env, char **out,
	       size_t *len)
{
	if (f == PFS_UBC)
		return pfs_render_ubc(env->ctx, c->ctid, out, len);
	char *buf = NULL;
	size_t size = 0;
	FILE *o = open_memstream(&buf, &size);
	if (!o)
		return -ENOMEM;
	int r = -ENOENT;
	switch (f) {
	case PFS_MEMINFO: r = render_meminfo(c, o); break;
	case PFS_CPUINFO: r = render_cpuinfo(c, o); break;
	case PFS_STAT: r = render_stat(c, env, o); break;
	case PFS_LOADAVG: r = render_loadavg(c, o); break;
	case PFS_UPTIME: r = render_uptime(c, env, o); break;
	case PFS_CPUONLINE: r = render_cpuonline(c, o); break;
	default: break;
	}
	if (fclose(o) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = buf;
	*len = size;
	return 0;
}

int pfs_affinity(const struct pfs_ct *c, int tid, size_t len, unsigned char *mask, size_t cap,
		 size_t *outlen)
{
	long nr = sysconf(_SC_NPROCESSORS_CONF); /* nr_cpu_ids */
	if (nr < 1 || nr > MAX_CPUS)
		nr = MAX_CPUS;
	if (len * 8 < (size_t)nr || len % sizeof(long))
		return -EINVAL;
	/* The kernel copies min(len, cpumask_size()) bytes: ask it for our own mask's size. */
	unsigned char probe[MAX_CPUS / 8];
	long size = syscall(SYS_sched_getaffinity, 0, sizeof probe, probe);
	if (size <= 0)
		size = ((long)nr + 63) / 64 * 8;
	size_t ret = len < (size_t)size ? len : (size_t)size;
	if (ret > cap)
		ret = cap;
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/%d/status", c->src.proc, tid);
	char *st = slurp(path, NULL, 1 << 16);
	char *l = st;
	while (l && strncmp(l, "Cpus_allowed_list:", 18)) {
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	unsigned own[MAX_CPUS], vis[MAX_CPUS];
	size_t nown = 0;
	if (!l || pfs_parse_cpulist(l + 18 + strspn(l + 18, " \t"), own, MAX_CPUS, &nown) < 0 ||
	    !nown) {
		free(st);
		return -ESRCH;
	}
	free(st);
	size_t nvis = pfs_visible_cpus(&c->src, vis, MAX_CPUS);
	memset(mask, 0, ret);
	size_t kept = 0;
	for (int pass = 0; pass < 2 && !kept; pass++)
		for (size_t i = 0; i < nown; i++) {
			bool visible = pass == 1;
			for (size_t j = 0; j < nvis && !visible; j++)
				visible = vis[j] == own[i];
			if (visible && own[i] / 8 < ret) {
				mask[own[i] / 8] |= (unsigned char)(1u << (own[i] % 8));
				kept++;
			}
		}
	*outlen = ret;
	return 0;
}

/* --- user_beancounters --- */

/* The container's own beancounters come from the beancounter module (src/ct/ubc.c), which
 * the daemon links (daemon.c defines these two); gen.c alone (its unit test) serves none. */
__attribute__((weak)) bool pfs_ubc_available(void)
{
	return false;
}

__attribute__((weak)) int pfs_render_ubc(const struct ct_ctx *ctx, unsigned ctid, char **out,
					 size_t *len)
{
	(void)ctx;
	(void)ctid;
	*out = NULL;
	*len = 0;
	return -ENOENT;
}
