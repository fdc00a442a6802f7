/* ct/cgroup-v2: resource limits and counters on the unified hierarchy: memory.max/high,
 * memory.swap.max, pids.max, cpu.weight/cpu.max, cpuset.cpus, io.bfq.weight or io.weight.
 * Values come from cgroup-map.c, which follows crun's conversions. A controller the
 * hierarchy does not offer (a hybrid host binds most of them to v1) makes a limit that needs
 * it an error that says so; defaults need nothing. Writes only the container's own cgroup. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

static bool is_limited(uint64_t v)
{
	return v < UBC_UNLIMITED;
}

/* Does the hierarchy offer controller ctl (its root's cgroup.controllers)? */
static bool has_ctl(const char *ctl)
{
	char p[PATH_MAX], *text;
	const char *root = cg_v2_root();
	if (!root || util_path(p, sizeof p, "%s/cgroup.controllers", root) < 0 ||
	    util_read_file(p, 4096, &text, NULL, NULL) < 0)
		return false;
	bool found = false;
	size_t n = strlen(ctl);
	for (char *t = text; (t = strstr(t, ctl)); t += n)
		if ((t == text || t[-1] == ' ') && (t[n] == ' ' || t[n] == '\n' || !t[n]))
			found = true;
	free(text);
	return found;
}

static int missing(const char *what, const char *ctl, struct vireo_err *err)
{
	return verr(err, ENOTSUP, "%s needs the %s controller, which the cgroup v2 hierarchy at %s "
				  "does not offer (on a hybrid host it is bound to cgroup v1)",
		    what, ctl, cg_v2_root());
}

int cgv2_check(const struct ct_ctx *ctx, const struct ct_limits *l, struct vireo_err *err)
{
	(void)ctx;
	if (is_limited(l->limit[UBC_KMEMSIZE]))
		return verr(err, ENOTSUP, "kmemsize: cgroup v2 has no kernel memory limit (kernel "
					  "memory counts in ram); only 'unlimited' is accepted");
	if ((is_limited(l->limit[UBC_PHYSPAGES]) || is_limited(l->limit[UBC_SWAPPAGES])) && !has_ctl("memory"))
		return missing("a ram or swap limit", "memory", err);
	if (is_limited(l->limit[UBC_NUMPROC]) && !has_ctl("pids"))
		return missing("numproc", "pids", err);
	if ((l->cpuunits != 1000 || l->cpulimit || l->cpus) && !has_ctl("cpu"))
		return missing("cpuunits, cpulimit and cpus", "cpu", err);
	if (l->cpumask[0] && !has_ctl("cpuset"))
		return missing("cpumask", "cpuset", err);
	return 0;
}

/* On v2 every value matters: cgv2_check made sure the controllers are there. */
static int put(const char *dir, const char *file, const char *val, const char *what,
	       unsigned ctid, struct vireo_err *err)
{
	return cg_put(dir, file, val, true, what, ctid, err);
}

int cgv2_apply(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *l, bool fresh,
	       struct vireo_err *err)
{
	char dir[PATH_MAX], val[64];
	int r;
	cg_controller_dir(ctx, ctid, "memory", dir, sizeof dir);
	const uint64_t ram = l->limit[UBC_PHYSPAGES], ramb = l->barrier[UBC_PHYSPAGES],
		       swap = l->limit[UBC_SWAPPAGES];
	if (has_ctl("memory") && (!fresh || is_limited(ram) || is_limited(swap))) {
		/* The barrier throttles (memory.high), the limit is the hard cap (memory.max). */
		cgmap_v2_bytes(is_limited(ramb) && ramb < ram ? ramb : UBC_UNLIMITED, true, val, sizeof val);
		if ((r = put(dir, "memory.high", val, "ram barrier", ctid, err)) < 0)
			return r;
		cgmap_v2_bytes(ram, true, val, sizeof val);
		if ((r = put(dir, "memory.max", val, "ram", ctid, err)) < 0)
			return r;
		char p[PATH_MAX];
		util_path(p, sizeof p, "%s/memory.swap.max", dir);
		cgmap_v2_bytes(swap, true, val, sizeof val);
		if ((is_limited(swap) || access(p, F_OK) == 0) &&
		    (r = put(dir, "memory.swap.max", val, "swap", ctid, err)) < 0)
			return r;
	}
	uint64_t n = l->limit[UBC_NUMPROC];
	if (has_ctl("pids") && (!fresh || is_limited(n))) {
		if (is_limited(n))
			snprintf(val, sizeof val, "%llu", (unsigned long long)n);
		else
			snprintf(val, sizeof val, "max");
		if ((r = put(dir, "pids.max", val, "numproc", ctid, err)) < 0)
			return r;
	}
	if (has_ctl("cpu")) {
		if (!fresh || l->cpuunits != 1000) {
			snprintf(val, sizeof val, "%llu", (unsigned long long)cgmap_weight_from_shares(
							       cgmap_shares(l->cpuunits)));
			if ((r = put(dir, "cpu.weight", val, "cpuunits", ctid, err)) < 0)
				return r;
		}
		uint64_t q = cgmap_quota_us(l->cpulimit, l->cpus);
		if (!fresh || q) {
			cgmap_cpu_max(q, val, sizeof val);
			if ((r = put(dir, "cpu.max", val, "cpulimit", ctid, err)) < 0)
				return r;
		}
	}
	if (has_ctl("cpuset") && (!fresh || l->cpumask[0])) {
		/* An empty cpuset.cpus on v2 means "the parent's". */
		if ((r = put(dir, "cpuset.cpus", l->cpumask[0] ? l->cpumask : "\n", "cpumask", ctid,
			     err)) < 0)
			return r;
	}
	if (l->ioprio >= 0 && has_ctl("io")) {
		uint64_t w = cgmap_blkio_weight(l->ioprio);
		char p[PATH_MAX];
		util_path(p, sizeof p, "%s/io.bfq.weight", dir);
		if (access(p, F_OK) == 0)
			snprintf(val, sizeof val, "%llu", (unsigned long long)w);
		else
			snprintf(val, sizeof val, "%llu", (unsigned long long)cgmap_io_weight(w));
		if ((r = put(dir, access(p, F_OK) == 0 ? "io.bfq.weight" : "io.weight", val, "ioprio",
			     ctid, err)) < 0)
			return r;
	}
	return 0;
}

void cgv2_stats(const struct ct_ctx *ctx, unsigned ctid, struct cg_stats *s)
{
	char dir[PATH_MAX];
	cg_controller_dir(ctx, ctid, "memory", dir, sizeof dir);
	if (cg_read_u64(dir, "memory.current", &s->mem_usage) == 0) {
		s->mem = true;
		if (cg_read_u64(dir, "memory.peak", &s->mem_max) < 0)
			s->mem_max = s->mem_usage;
		cg_read_key(dir, "memory.events", "max", &s->mem_fail);
		uint64_t kills = 0;
		if (cg_read_key(dir, "memory.events", "oom_kill", &kills) == 0 && kills > s->mem_fail)
			s->mem_fail = kills;
		if (cg_read_key(dir, "memory.stat", "kernel", &s->kmem_usage) == 0) {
			s->kmem = true;
			s->kmem_max = s->kmem_usage;
		}
	}
	if (cg_read_u64(dir, "memory.swap.current", &s->swap_usage) == 0) {
		s->memsw = true;
		if (cg_read_u64(dir, "memory.swap.peak", &s->swap_max) < 0)
			s->swap_max = s->swap_usage;
		cg_read_key(dir, "memory.swap.events", "max", &s->swap_fail);
	}
	if (cg_read_u64(dir, "pids.current", &s->pids_cur) == 0) {
		s->pids = true;
		if (cg_read_u64(dir, "pids.peak", &s->pids_peak) < 0)
			s->pids_peak = s->pids_cur;
		cg_read_key(dir, "pids.events", "max", &s->pids_fail);
	}
}
