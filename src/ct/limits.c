/* ct/limits: a container's resource limits (OpenVZ's beancounters and CPU parameters):
 * read from and written to its configuration, checked against what this host can enforce,
 * and applied to its cgroups (through cgroup.c's back ends) and to its processes
 * (RLIMIT_NOFILE, RLIMIT_MEMLOCK, I/O priority). Touches the container's cgroups and, with
 * prlimit/ioprio_set, the container's own processes; nothing else. */
#include "ct/ct-internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/parse.h"
#include "lib/util.h"

#define PAGE 4096ull
#define CPUS_MAX 1024
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1

/* Beancounters kept in the configuration, with OpenVZ's key names and units. */
static const struct {
	enum ct_ubc_res res;
	const char *key;
} conf_keys[] = {
	{ UBC_PHYSPAGES, "PHYSPAGES" }, { UBC_SWAPPAGES, "SWAPPAGES" }, { UBC_NUMPROC, "NUMPROC" },
	{ UBC_NUMFILE, "NUMFILE" },     { UBC_KMEMSIZE, "KMEMSIZE" },   { UBC_LOCKEDPAGES, "LOCKEDPAGES" },
};

static bool is_limited(uint64_t v)
{
	return v < UBC_UNLIMITED;
}

void limits_default(struct ct_limits *l)
{
	memset(l, 0, sizeof *l);
	for (size_t i = 0; i < UBC_COUNT; i++)
		l->barrier[i] = l->limit[i] = UBC_UNLIMITED;
	l->cpuunits = 1000;
	l->ioprio = -1;
}

static uint64_t norm(uint64_t v)
{
	return v >= UBC_UNLIMITED ? UBC_UNLIMITED : v;
}

/* The limits in c: a container's configuration, or the runtime copy a live change leaves. */
static int parse_conf(const struct conf *c, unsigned ctid, struct ct_limits *l,
		      struct vireo_err *err)
{
	limits_default(l);
	const char *v;
	uint64_t b, x;
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		if (!(v = conf_get(c, conf_keys[i].key)))
			continue;
		if (parse_ubc(v, 0, &b, &x, conf_keys[i].key, NULL) < 0)
			goto bad;
		l->barrier[conf_keys[i].res] = norm(b);
		l->limit[conf_keys[i].res] = norm(x);
	}
	if ((v = conf_get(c, "CPUUNITS")) &&
	    parse_u64(v, 8, 500000, &l->cpuunits, "CPUUNITS", NULL) < 0)
		goto bad;
	if ((v = conf_get(c, "CPULIMIT")) &&
	    parse_u64(v, 0, CPUS_MAX * 100, &l->cpulimit, "CPULIMIT", NULL) < 0)
		goto bad;
	if ((v = conf_get(c, "CPUS")) && parse_u64(v, 0, CPUS_MAX, &l->cpus, "CPUS", NULL) < 0)
		goto bad;
	if ((v = conf_get(c, "CPUMASK")) && strcmp(v, "all")) {
		uint64_t mask[CPUS_MAX / 64];
		if (strlen(v) >= sizeof l->cpumask || parse_cpulist(v, mask, CPUS_MAX, NULL) < 0)
			goto bad;
		snprintf(l->cpumask, sizeof l->cpumask, "%s", v);
	}
	if ((v = conf_get(c, "IOPRIO"))) {
		if (parse_u64(v, 0, 7, &x, "IOPRIO", NULL) < 0)
			goto bad;
		l->ioprio = (int)x;
	}
	return 0;
bad:;
	/* Name the key: find which one held v. */
	const char *key = "?";
	for (size_t i = 0; i < c->n; i++)
		if (c->kv[i].val == v)
			key = c->kv[i].key;
	return verr(err, EINVAL, "configuration of container %u: invalid %s=\"%.64s\"", ctid, key,
		    v);
}

int limits_load(const struct ct_config *cfg, struct ct_limits *l, struct vireo_err *err)
{
	return parse_conf(&cfg->raw, cfg->ctid, l, err);
}

/* run/ID/limits: what a running container's limits are after a change not saved. */
static void live_path(const struct ct_ctx *ctx, unsigned ctid, char *buf, size_t size)
{
	ct_path(ctx, ctid, CT_PATH_RUN, buf, size);
	size_t n = strlen(buf);
	util_path(buf + n, size - n, "/limits");
}

int limits_effective(const struct ct_ctx *ctx, const struct ct_config *cfg, struct ct_limits *l,
		     struct vireo_err *err)
{
	char p[PATH_MAX];
	live_path(ctx, cfg->ctid, p, sizeof p);
	struct conf c;
	/* Usually there is none: the cheap test first. */
	if (access(p, F_OK) < 0 || !ct_is_running(ctx, cfg->ctid) || conf_load(&c, p, NULL) < 0)
		return limits_load(cfg, l, err);
	int r = parse_conf(&c, cfg->ctid, l, err);
	conf_free(&c);
	return r;
}

int limits_effective_of(const struct ct_ctx *ctx, unsigned ctid, struct ct_limits *l,
			struct vireo_err *err)
{
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0)
		return r;
	r = limits_effective(ctx, &cfg, l, err);
	ct_config_free(&cfg);
	return r;
}

static int set_key(struct conf *raw, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_key(struct conf *raw, const char *key, const char *fmt, ...)
{
	char buf[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return conf_set(raw, key, buf);
}

static void ubc_text(uint64_t v, char *buf, size_t size)
{
	if (is_limited(v))
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else
		snprintf(buf, size, "unlimited");
}

int limits_store(struct conf *raw, const struct ct_limits *l)
{
	int r = 0;
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		enum ct_ubc_res res = conf_keys[i].res;
		if (!is_limited(l->barrier[res]) && !is_limited(l->limit[res])) {
			r |= conf_set(raw, conf_keys[i].key, NULL);
			continue;
		}
		char b[24], x[24];
		ubc_text(l->barrier[res], b, sizeof b);
		ubc_text(l->limit[res], x, sizeof x);
		r |= set_key(raw, conf_keys[i].key, "%s:%s", b, x);
	}
	r |= l->cpuunits == 1000 ? conf_set(raw, "CPUUNITS", NULL)
				 : set_key(raw, "CPUUNITS", "%llu", (unsigned long long)l->cpuunits);
	r |= l->cpulimit == 0 ? conf_set(raw, "CPULIMIT", NULL)
			      : set_key(raw, "CPULIMIT", "%llu", (unsigned long long)l->cpulimit);
	r |= l->cpus == 0 ? conf_set(raw, "CPUS", NULL)
			  : set_key(raw, "CPUS", "%llu", (unsigned long long)l->cpus);
	r |= !l->cpumask[0] ? conf_set(raw, "CPUMASK", NULL) : conf_set(raw, "CPUMASK", l->cpumask);
	r |= l->ioprio < 0 ? conf_set(raw, "IOPRIO", NULL) : set_key(raw, "IOPRIO", "%d", l->ioprio);
	return r ? -ENOMEM : 0;
}

bool limits_given(const struct ct_limit_args *a)
{
	const char *const all[] = { a->ram,	 a->swap,     a->physpages, a->swappages, a->numproc,
				    a->numfile,	 a->kmemsize, a->lockedpages, a->cpuunits, a->cpulimit,
				    a->cpus,	 a->cpumask,  a->ioprio };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i])
			return true;
	return false;
}

/* CPUs online on this host, as a mask; returns how many. */
static int host_cpus(uint64_t mask[CPUS_MAX / 64], char *text, size_t size)
{
	char *t = NULL;
	memset(mask, 0, CPUS_MAX / 8);
	if (util_read_file("/sys/devices/system/cpu/online", 4096, &t, NULL, NULL) < 0)
		return -1;
	t[strcspn(t, "\n")] = '\0';
	snprintf(text, size, "%s", t);
	int r = parse_cpulist(t, mask, CPUS_MAX, NULL);
	free(t);
	if (r < 0)
		return -1;
	int n = 0;
	for (size_t i = 0; i < CPUS_MAX / 64; i++)
		n += __builtin_popcountll(mask[i]);
	return n;
}

static uint64_t nr_open(void)
{
	char *t;
	uint64_t v = 1048576;
	if (util_read_file("/proc/sys/fs/nr_open", 64, &t, NULL, NULL) == 0) {
		v = strtoull(t, NULL, 10);
		free(t);
	}
	return v;
}

static uint64_t to_pages(uint64_t bytes)
{
	return is_limited(bytes) ? (bytes + PAGE - 1) / PAGE : UBC_UNLIMITED;
}

/* A beancounter option: bare_unit as parse_ubc takes it; pages: store in pages. */
static int opt_ubc(const char *s, const char *opt, uint64_t bare_unit, bool pages,
		   struct ct_limits *l, enum ct_ubc_res res, struct vireo_err *err)
{
	if (!s)
		return 0;
	uint64_t b, x;
	int r = parse_ubc(s, bare_unit, &b, &x, opt, err);
	if (r < 0)
		return r;
	l->barrier[res] = pages ? to_pages(b) : norm(b);
	l->limit[res] = pages ? to_pages(x) : norm(x);
	return 0;
}

int limits_prepare(const struct ct_ctx *ctx, const struct ct_config *cfg,
		   const struct ct_limits *base, const struct ct_limit_args *a, struct ct_limits *l,
		   struct vireo_err *err)
{
	int r;
	uint64_t v;
	if (base)
		*l = *base;
	else if ((r = limits_load(cfg, l, err)) < 0)
		return r;
	if ((r = opt_ubc(a->ram, "--ram", 1, true, l, UBC_PHYSPAGES, err)) < 0 ||
	    (r = opt_ubc(a->physpages, "--physpages", PAGE, true, l, UBC_PHYSPAGES, err)) < 0 ||
	    (r = opt_ubc(a->swap, "--swap", 1, true, l, UBC_SWAPPAGES, err)) < 0 ||
	    (r = opt_ubc(a->swappages, "--swappages", PAGE, true, l, UBC_SWAPPAGES, err)) < 0 ||
	    (r = opt_ubc(a->numproc, "--numproc", 0, false, l, UBC_NUMPROC, err)) < 0 ||
	    (r = opt_ubc(a->numfile, "--numfile", 0, false, l, UBC_NUMFILE, err)) < 0 ||
	    (r = opt_ubc(a->kmemsize, "--kmemsize", 1, false, l, UBC_KMEMSIZE, err)) < 0 ||
	    (r = opt_ubc(a->lockedpages, "--lockedpages", PAGE, true, l, UBC_LOCKEDPAGES, err)) < 0)
		return r;
	uint64_t nf = nr_open();
	if (a->numfile && is_limited(l->limit[UBC_NUMFILE]) && l->limit[UBC_NUMFILE] > nf)
		return verr(err, ERANGE, "invalid --numfile '%.64s': above the kernel's fs.nr_open (%llu)",
			    a->numfile, (unsigned long long)nf);
	if (a->numfile && l->limit[UBC_NUMFILE] < 3)
		return verr(err, ERANGE, "invalid --numfile '%.64s': a process needs at least 3 files",
			    a->numfile);
	if (a->cpuunits && (r = parse_u64(a->cpuunits, 8, 500000, &l->cpuunits, "--cpuunits", err)) < 0)
		return r;
	uint64_t mask[CPUS_MAX / 64];
	char online[256];
	int ncpu = host_cpus(mask, online, sizeof online);
	if (ncpu <= 0)
		return verr(err, EIO, "cannot read the host's online CPUs");
	if (a->cpulimit) {
		if ((r = parse_u64(a->cpulimit, 0, CPUS_MAX * 100, &v, "--cpulimit", err)) < 0)
			return r;
		if (v > (uint64_t)ncpu * 100)
			return verr(err, ERANGE,
				    "invalid --cpulimit '%.64s': this host has %d CPUs, so at most %d",
				    a->cpulimit, ncpu, ncpu * 100);
		l->cpulimit = v;
	}
	if (a->cpus) {
		if (!strcmp(a->cpus, "unlimited"))
			v = 0;
		else if ((r = parse_u64(a->cpus, 0, CPUS_MAX, &v, "--cpus", err)) < 0)
			return r;
		if (v > (uint64_t)ncpu)
			return verr(err, ERANGE, "invalid --cpus '%.64s': this host has %d CPUs",
				    a->cpus, ncpu);
		l->cpus = v;
	}
	if (a->cpumask) {
		if (!strcmp(a->cpumask, "all")) {
			l->cpumask[0] = '\0';
		} else {
			uint64_t want[CPUS_MAX / 64];
			if (strlen(a->cpumask) >= sizeof l->cpumask)
				return verr(err, EINVAL, "invalid --cpumask: too long");
			if ((r = parse_cpulist(a->cpumask, want, CPUS_MAX, err)) < 0)
				return verr_wrap(err, "--cpumask");
			for (int c = 0; c < CPUS_MAX; c++)
				if ((want[c / 64] >> (c % 64) & 1) && !(mask[c / 64] >> (c % 64) & 1))
					return verr(err, EINVAL,
						    "invalid --cpumask '%.64s': this host has no CPU %d "
						    "(online: %s)",
						    a->cpumask, c, online);
			snprintf(l->cpumask, sizeof l->cpumask, "%s", a->cpumask);
		}
	}
	if (a->ioprio) {
		if ((r = parse_u64(a->ioprio, 0, 7, &v, "--ioprio", err)) < 0)
			return r;
		l->ioprio = (int)v;
	}
	return cg_check_limits(ctx, l, err);
}

/* Per-process limits on pid (0: the caller). With old, only what changed is written. */
static int proc_limits(pid_t pid, const struct ct_limits *l, const struct ct_limits *old,
		       struct vireo_err *err)
{
	const enum ct_ubc_res res[] = { UBC_NUMFILE, UBC_LOCKEDPAGES };
	const int rl[] = { RLIMIT_NOFILE, RLIMIT_MEMLOCK };
	for (size_t i = 0; i < 2; i++) {
		uint64_t b = l->barrier[res[i]], x = l->limit[res[i]];
		if (old && old->barrier[res[i]] == b && old->limit[res[i]] == x)
			continue;
		if (!old && !is_limited(x))
			continue; /* leave what the process inherited */
		struct rlimit r;
		uint64_t unit = res[i] == UBC_LOCKEDPAGES ? PAGE : 1;
		uint64_t inf = res[i] == UBC_NUMFILE ? nr_open() : RLIM_INFINITY;
		r.rlim_max = is_limited(x) ? x * unit : inf;
		r.rlim_cur = is_limited(b) ? b * unit : r.rlim_max;
		if (prlimit(pid, rl[i], &r, NULL) < 0 && errno != ESRCH) {
			const char *what = res[i] == UBC_NUMFILE ? "numfile" : "lockedpages";
			if (errno == EPERM)
				return verr(err, EPERM,
					    "cannot raise the %s limit of process %d: raising a hard "
					    "limit needs CAP_SYS_RESOURCE (use --save and restart)",
					    what, (int)pid);
			return verr_sys(err, errno, "cannot set %s of process %d", what, (int)pid);
		}
	}
	if (l->ioprio >= 0 && (!old || old->ioprio != l->ioprio)) {
		int prio = IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | (7 - l->ioprio);
		if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, (int)pid, prio) < 0 && errno != ESRCH)
			return verr_sys(err, errno, "cannot set ioprio of process %d", (int)pid);
	}
	return 0;
}

int limits_apply_start(const struct ct_ctx *ctx, const struct ct_config *cfg, pid_t pid,
		       struct vireo_err *err)
{
	struct ct_limits l;
	char p[PATH_MAX];
	live_path(ctx, cfg->ctid, p, sizeof p);
	unlink(p); /* a previous run's */
	int r = limits_load(cfg, &l, err);
	if (r < 0)
		return r;
	struct ct_limits def;
	limits_default(&def);
	if (!memcmp(&l, &def, sizeof l))
		return 0; /* nothing to set: start stays as fast as without limits */
	if ((r = cg_apply_limits(ctx, cfg->ctid, &l, true, err)) < 0)
		return r;
	return proc_limits(pid, &l, NULL, err);
}

int limits_apply_proc(pid_t pid, const struct ct_limits *l, struct vireo_err *err)
{
	return proc_limits(pid, l, NULL, err);
}

int limits_procs(const struct ct_ctx *ctx, unsigned ctid, pid_t **pids, size_t *n)
{
	char dir[PATH_MAX], p[PATH_MAX], *text;
	*pids = NULL;
	*n = 0;
	if (cg_controller_dir(ctx, ctid, "pids", dir, sizeof dir) < 0 &&
	    cg_controller_dir(ctx, ctid, "memory", dir, sizeof dir) < 0)
		return -ENOENT;
	util_path(p, sizeof p, "%s/cgroup.procs", dir);
	if (util_read_file(p, 1 << 24, &text, NULL, NULL) < 0)
		return -ENOENT;
	size_t cap = 0;
	for (char *c = text; *c; c++)
		cap += *c == '\n';
	*pids = calloc(cap + 1, sizeof **pids);
	if (!*pids) {
		free(text);
		return -ENOMEM;
	}
	for (char *c = text; *c && *n < cap;) {
		long v = strtol(c, &c, 10);
		if (v > 0)
			(*pids)[(*n)++] = (pid_t)v;
		while (*c == '\n')
			c++;
	}
	free(text);
	return 0;
}

int limits_apply_live(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *old,
		      const struct ct_limits *l, struct vireo_err *err)
{
	int r = cg_apply_limits(ctx, ctid, l, false, err);
	if (r < 0) {
		cg_apply_limits(ctx, ctid, old, false, NULL);
		return r;
	}
	pid_t *pids;
	size_t n;
	if (limits_procs(ctx, ctid, &pids, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = proc_limits(pids[i], l, old, err);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			proc_limits(pids[i], old, l, NULL);
		cg_apply_limits(ctx, ctid, old, false, NULL);
	}
	free(pids);
	if (r == 0) {
		/* Keep what now holds, for ubc, list and exec. */
		struct conf c = { 0 };
		char p[PATH_MAX];
		live_path(ctx, ctid, p, sizeof p);
		if (limits_store(&c, l) < 0 || conf_save(&c, p, NULL) < 0)
			unlink(p);
		conf_free(&c);
	}
	return r;
}

/* The supervisor's load average, if it has written one (run/ID/loadavg), rounded as the
 * container's /proc/loadavg shows it. */
static bool read_loadavg(const struct ct_ctx *ctx, unsigned ctid, double la[3])
{
	struct ct_load l;
	if (loadavg_read(ctx, ctid, &l) < 0)
		return false;
	for (int i = 0; i < 3; i++)
		la[i] = loadavg_value(l.avg[i]);
	return true;
}

int ct_cpu_stat_get(const struct ct_ctx *ctx, unsigned ctid, struct ct_cpu_stat *st,
		    struct vireo_err *err)
{
	struct ct_limits l;
	memset(st, 0, sizeof *st);
	int r = limits_effective_of(ctx, ctid, &l, err);
	if (r < 0)
		return r;
	st->cpuunits = l.cpuunits;
	st->cpulimit = l.cpulimit;
	st->cpus = l.cpus;
	struct ct_runstate rs;
	if (ct_runstate_load(ctx, ctid, &rs, NULL) < 0)
		return 0;
	st->running = true;
	char *t;
	double up;
	if (util_read_file("/proc/uptime", 256, &t, NULL, NULL) == 0) {
		if (sscanf(t, "%lf", &up) == 1)
			st->uptime = up - (double)rs.init_start / (double)sysconf(_SC_CLK_TCK);
		free(t);
		if (st->uptime < 0)
			st->uptime = 0;
	}
	st->la_avail = read_loadavg(ctx, ctid, st->laverage);
	return 0;
}
