/* ct/cgroup-v1: resource limits and counters on cgroup v1, one hierarchy per controller:
 * memory (ram, swap through memsw, kmem where the kernel still enforces it), pids, cpu
 * (shares, CFS quota), cpuset and blkio. Writes only the container's own cgroups, and a
 * short-lived probe cgroup under the instance's memory parent. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"

/* Root of the v1 hierarchy holding ctl, or -ENOENT. */
static int v1_root(const char *ctl, char *buf, size_t size)
{
	/* cg_controller_dir gives ROOT/INSTANCE/CTID: strip the last two components. */
	struct ct_ctx fake = { .root = "/", .instance = "x" };
	int r = cg_controller_dir(&fake, 1, ctl, buf, size);
	if (r < 0)
		return r;
	for (int i = 0; i < 2; i++)
		*strrchr(buf, '/') = '\0';
	return 0;
}

static bool has_file(const char *dir, const char *file)
{
	char p[PATH_MAX];
	return util_path(p, sizeof p, "%s/%s", dir, file) == 0 && access(p, F_OK) == 0;
}

int cg_put(const char *dir, const char *file, const char *val, bool matters, const char *what,
	   unsigned ctid, struct vireo_err *err)
{
	char p[PATH_MAX];
	util_path(p, sizeof p, "%s/%s", dir, file);
	if (!matters && access(p, F_OK) < 0)
		return 0;
	int r = util_write_str(p, val, err);
	if (r < 0)
		return verr_wrap(err, "cannot set %s of container %u", what, ctid);
	return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *v)
{
	char p[PATH_MAX], *text;
	util_path(p, sizeof p, "%s/%s", dir, file);
	if (util_read_file(p, 4096, &text, NULL, NULL) < 0)
		return -1;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(text, &end, 10);
	int r = errno || end == text ? -1 : 0;
	free(text);
	if (r == 0)
		*v = x;
	return r;
}

int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *v)
{
	char p[PATH_MAX], *text;
	util_path(p, sizeof p, "%s/%s", dir, file);
	if (util_read_file(p, 1 << 16, &text, NULL, NULL) < 0)
		return -1;
	size_t kl = strlen(key);
	int r = -1;
	for (char *l = text; l && *l;) {
		if (!strncmp(l, key, kl) && l[kl] == ' ') {
			*v = strtoull(l + kl + 1, NULL, 10);
			r = 0;
			break;
		}
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	free(text);
	return r;
}

/* Since Linux 6.x memory.kmem.limit_in_bytes still exists on v1 but writes to it are
 * accepted and ignored. Find out by writing one in a probe cgroup and reading it back. */
static bool kmem_enforced(const struct ct_ctx *ctx)
{
	char root[PATH_MAX], dir[PATH_MAX];
	if (v1_root("memory", root, sizeof root) < 0 || !has_file(root, "memory.kmem.limit_in_bytes"))
		return false;
	util_path(dir, sizeof dir, "%s/%s-kmemprobe-%d", root, ctx->instance, (int)getpid());
	if (mkdir(dir, 0755) < 0)
		return false;
	uint64_t v = 0;
	bool ok = cg_put(dir, "memory.kmem.limit_in_bytes", "67108864", true, "kmem", 0, NULL) == 0 &&
		  cg_read_u64(dir, "memory.kmem.limit_in_bytes", &v) == 0 && v == 67108864;
	rmdir(dir);
	return ok;
}

static bool is_limited(uint64_t v)
{
	return v < UBC_UNLIMITED;
}

int cgv1_check(const struct ct_ctx *ctx, const struct ct_limits *l, struct vireo_err *err)
{
	char root[PATH_MAX];
	bool mem = v1_root("memory", root, sizeof root) == 0;
	if (!mem && (is_limited(l->limit[UBC_PHYSPAGES]) || is_limited(l->limit[UBC_SWAPPAGES])))
		return verr(err, ENOTSUP, "ram and swap limits need the memory cgroup controller, "
					  "which this host does not have");
	if (is_limited(l->limit[UBC_SWAPPAGES])) {
		if (!has_file(root, "memory.memsw.limit_in_bytes"))
			return verr(err, ENOTSUP, "swap limits need swap accounting, which this kernel "
						  "has not enabled (boot with swapaccount=1)");
		if (!is_limited(l->limit[UBC_PHYSPAGES]))
			return verr(err, EINVAL, "on cgroup v1 a swap limit needs a ram limit as well "
						 "(swap is limited as ram + swap)");
	}
	if (is_limited(l->limit[UBC_KMEMSIZE]) && !kmem_enforced(ctx))
		return verr(err, ENOTSUP,
			    "kmemsize: this kernel does not enforce kernel memory limits "
			    "(memory.kmem.limit_in_bytes is ignored); only 'unlimited' is accepted");
	if (is_limited(l->limit[UBC_NUMPROC]) && v1_root("pids", root, sizeof root) < 0)
		return verr(err, ENOTSUP, "numproc needs the pids cgroup controller, which this "
					  "host does not have");
	if ((l->cpuunits != 1000 || l->cpulimit || l->cpus) && v1_root("cpu", root, sizeof root) < 0)
		return verr(err, ENOTSUP, "cpuunits, cpulimit and cpus need the cpu cgroup "
					  "controller, which this host does not have");
	if (l->cpumask[0] && v1_root("cpuset", root, sizeof root) < 0)
		return verr(err, ENOTSUP, "cpumask needs the cpuset cgroup controller, which this "
					  "host does not have");
	return 0;
}

int cgv1_apply(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *l, bool fresh,
	       struct vireo_err *err)
{
	char dir[PATH_MAX], val[64];
	int r;
	const uint64_t ram = l->limit[UBC_PHYSPAGES], ramb = l->barrier[UBC_PHYSPAGES];
	if (cg_controller_dir(ctx, ctid, "memory", dir, sizeof dir) >= 0) {
		bool memsw = has_file(dir, "memory.memsw.limit_in_bytes");
		bool set = is_limited(ram) || is_limited(l->limit[UBC_SWAPPAGES]);
		if (set || !fresh) {
			/* memory.limit <= memsw.limit must hold after every write: open memsw
			 * first, set memory, then close memsw to ram + swap. */
			if (memsw && (r = cg_put(dir, "memory.memsw.limit_in_bytes", "-1", true, "swap",
					      ctid, err)) < 0)
				return r;
			cgmap_v1_bytes(ram, true, val, sizeof val);
			if ((r = cg_put(dir, "memory.limit_in_bytes", val, true, "ram", ctid, err)) < 0)
				return r;
			cgmap_v1_memsw(ram, l->limit[UBC_SWAPPAGES], val, sizeof val);
			if (memsw && (r = cg_put(dir, "memory.memsw.limit_in_bytes", val, true, "swap",
					      ctid, err)) < 0)
				return r;
		}
		/* A barrier below the limit is a soft limit: reclaimed toward under pressure. */
		if (is_limited(ramb) && ramb < ram)
			cgmap_v1_bytes(ramb, true, val, sizeof val);
		else
			snprintf(val, sizeof val, "-1");
		if ((is_limited(ramb) && ramb < ram) || !fresh)
			if ((r = cg_put(dir, "memory.soft_limit_in_bytes", val, true, "ram barrier", ctid,
				     err)) < 0)
				return r;
		if (is_limited(l->limit[UBC_KMEMSIZE])) {
			cgmap_v1_bytes(l->limit[UBC_KMEMSIZE], false, val, sizeof val);
			if ((r = cg_put(dir, "memory.kmem.limit_in_bytes", val, true, "kmemsize", ctid,
				     err)) < 0)
				return r;
		}
	}
	if (cg_controller_dir(ctx, ctid, "pids", dir, sizeof dir) >= 0) {
		uint64_t n = l->limit[UBC_NUMPROC];
		if (is_limited(n) || !fresh) {
			if (is_limited(n))
				snprintf(val, sizeof val, "%llu", (unsigned long long)n);
			else
				snprintf(val, sizeof val, "max");
			if ((r = cg_put(dir, "pids.max", val, is_limited(n), "numproc", ctid, err)) < 0)
				return r;
		}
	}
	if (cg_controller_dir(ctx, ctid, "cpu", dir, sizeof dir) >= 0) {
		if (l->cpuunits != 1000 || !fresh) {
			snprintf(val, sizeof val, "%llu", (unsigned long long)cgmap_shares(l->cpuunits));
			if ((r = cg_put(dir, "cpu.shares", val, l->cpuunits != 1000, "cpuunits", ctid,
				     err)) < 0)
				return r;
		}
		uint64_t q = cgmap_quota_us(l->cpulimit, l->cpus);
		if (q || !fresh) {
			snprintf(val, sizeof val, "%u", CG_CPU_PERIOD_US);
			if ((r = cg_put(dir, "cpu.cfs_period_us", val, q != 0, "cpulimit", ctid, err)) < 0)
				return r;
			if (q)
				snprintf(val, sizeof val, "%llu", (unsigned long long)q);
			else
				snprintf(val, sizeof val, "-1");
			if ((r = cg_put(dir, "cpu.cfs_quota_us", val, q != 0, "cpulimit", ctid, err)) < 0)
				return r;
		}
	}
	if (cg_controller_dir(ctx, ctid, "cpuset", dir, sizeof dir) >= 0 && (l->cpumask[0] || !fresh)) {
		char *cpus = NULL;
		if (!l->cpumask[0]) {
			/* "all": whatever the parent has */
			char p[PATH_MAX];
			snprintf(p, sizeof p, "%s", dir);
			*strrchr(p, '/') = '\0';
			util_path(p + strlen(p), sizeof p - strlen(p), "/cpuset.cpus");
			if (util_read_file(p, 4096, &cpus, NULL, err) < 0)
				return verr_wrap(err, "cannot set cpumask of container %u", ctid);
			cpus[strcspn(cpus, "\n")] = '\0';
		}
		r = cg_put(dir, "cpuset.cpus", cpus ? cpus : l->cpumask, l->cpumask[0] != 0, "cpumask",
			ctid, err);
		free(cpus);
		if (r < 0)
			return r;
	}
	if (l->ioprio >= 0 && cg_controller_dir(ctx, ctid, "blkio", dir, sizeof dir) >= 0) {
		/* BFQ's weight where the kernel has BFQ; it only acts on disks BFQ schedules. */
		snprintf(val, sizeof val, "%llu", (unsigned long long)cgmap_blkio_weight(l->ioprio));
		const char *f = has_file(dir, "blkio.bfq.weight") ? "blkio.bfq.weight" : "blkio.weight";
		if ((r = cg_put(dir, f, val, false, "ioprio", ctid, err)) < 0)
			return r;
	}
	return 0;
}

void cgv1_stats(const struct ct_ctx *ctx, unsigned ctid, struct cg_stats *s)
{
	char dir[PATH_MAX];
	if (cg_controller_dir(ctx, ctid, "memory", dir, sizeof dir) >= 0) {
		s->mem = cg_read_u64(dir, "memory.usage_in_bytes", &s->mem_usage) == 0;
		cg_read_u64(dir, "memory.max_usage_in_bytes", &s->mem_max);
		cg_read_u64(dir, "memory.failcnt", &s->mem_fail);
		/* Recent kernels may leave failcnt at 0 while the OOM killer acts at the limit:
		 * count its kills as refusals too. */
		uint64_t kills = 0;
		if (cg_read_key(dir, "memory.oom_control", "oom_kill", &kills) == 0 && kills > s->mem_fail)
			s->mem_fail = kills;
		uint64_t u = 0, m = 0;
		if (cg_read_u64(dir, "memory.memsw.usage_in_bytes", &u) == 0) {
			s->memsw = true;
			cg_read_u64(dir, "memory.memsw.max_usage_in_bytes", &m);
			cg_read_u64(dir, "memory.memsw.failcnt", &s->swap_fail);
			s->swap_usage = u > s->mem_usage ? u - s->mem_usage : 0;
			s->swap_max = m > s->mem_max ? m - s->mem_max : 0;
		}
		if (cg_read_u64(dir, "memory.kmem.usage_in_bytes", &s->kmem_usage) == 0) {
			s->kmem = true;
			cg_read_u64(dir, "memory.kmem.max_usage_in_bytes", &s->kmem_max);
			cg_read_u64(dir, "memory.kmem.failcnt", &s->kmem_fail);
		}
	}
	if (cg_controller_dir(ctx, ctid, "pids", dir, sizeof dir) >= 0) {
		s->pids = cg_read_u64(dir, "pids.current", &s->pids_cur) == 0;
		if (cg_read_u64(dir, "pids.peak", &s->pids_peak) < 0)
			s->pids_peak = s->pids_cur;
		cg_read_key(dir, "pids.events", "max", &s->pids_fail);
	}
}
