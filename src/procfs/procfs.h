/* procfs: vireo-procfs, the FUSE daemon that gives containers their own /proc/meminfo,
 * cpuinfo, stat, loadavg, uptime, user_beancounters and /sys/devices/system/cpu/online.
 * This header is shared by the daemon's two files: gen.c (what a file says, computed from
 * a container's cgroup files) and daemon.c (the FUSE file system, the control socket and
 * the daemon's lifetime). Nothing outside src/procfs includes it. */
#ifndef VIREO_PROCFS_H
#define VIREO_PROCFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct/ct-internal.h"
#include "lib/err.h"

/* The files of a container's directory, in the order they are listed. */
enum pfs_file {
	PFS_DIR = 0,
	PFS_MEMINFO,
	PFS_CPUINFO,
	PFS_STAT,
	PFS_LOADAVG,
	PFS_UPTIME,
	PFS_UBC,       /* user_beancounters */
	PFS_CPUONLINE, /* /sys/devices/system/cpu/online */
	PFS_NFILES
};
extern const char *const pfs_file_names[PFS_NFILES];

/* Where a container's numbers come from. On cgroup v1 each controller has its own
 * directory (empty string: that controller is not mounted); on v2 all are the same. */
struct pfs_src {
	bool v2;
	char memory[PATH_MAX], cpu[PATH_MAX], cpuacct[PATH_MAX], cpuset[PATH_MAX],
		pids[PATH_MAX];
	const char *proc; /* "/proc" (unit tests point it at a fake tree) */
};

/* One container the daemon serves. */
struct pfs_ct {
	unsigned ctid;
	int conn;                       /* the supervisor's registration socket */
	double start;                   /* CLOCK_BOOTTIME seconds at the container's start */
	struct pfs_src src;
	/* The supervisor's last load sample (run/ID/loadavg, see src/ct/loadavg.c). */
	unsigned long avenrun[3];       /* fixed point (LOADAVG_FSHIFT), as the kernel's */
	unsigned nr_running, nr_blocked; /* at the last sample */
	unsigned last_pid;              /* highest pid inside (its own namespace) at the sample */
	unsigned handles;               /* files it has open on us */
	size_t held;                    /* bytes of renderings those open files keep */
	size_t last_len[PFS_NFILES];    /* length of each file's last rendering (its st_size) */
	int *notify;                    /* seccomp listeners whose sysinfo(2) we answer */
	size_t nnotify;
};

/* What a rendering needs besides the container: the instance, and the moment (the host's
 * boot clock and wall clock, in seconds). */
struct pfs_env {
	const struct ct_ctx *ctx;
	double boottime;
	double realtime;
};

/* Render file f for container c into a malloc'd buffer. Returns 0 or -errno. */
int pfs_render(const struct pfs_ct *c, enum pfs_file f, const struct pfs_env *env, char **out,
	       size_t *len);

struct sysinfo;
/* sysinfo(2) as the container should see it: its uptime, load, memory and task count. */
int pfs_sysinfo(const struct pfs_ct *c, const struct pfs_env *env, struct sysinfo *si);

/* sched_getaffinity(0, len, ...) for thread tid of the container: its own mask cut to the
 * visible CPUs (never widened; left whole when the cut would empty it). Fills mask with the
 * kernel's return length in *outlen, or returns -EINVAL as the kernel would for len. */
int pfs_affinity(const struct pfs_ct *c, int tid, size_t len, unsigned char *mask, size_t cap,
		 size_t *outlen);

/* The CPUs the container may use, as host CPU numbers, in increasing order: the cpuset,
 * cut to ceil(quota / period) when a CPU quota is set. Returns how many (at least 1). */
size_t pfs_visible_cpus(const struct pfs_src *s, unsigned *cpus, size_t max);

/* Parse a CPU list such as "0-3,8,10-11" into sorted host CPU numbers; -EINVAL on junk. */
int pfs_parse_cpulist(const char *text, unsigned *cpus, size_t max, size_t *n);

/* user_beancounters: filled by the beancounter module (src/ct/ubc.c) when it is there. */
int pfs_render_ubc(const struct ct_ctx *ctx, unsigned ctid, char **out, size_t *len);
/* Whether user_beancounters is served at all (false until the beancounter module is wired). */
bool pfs_ubc_available(void);

#endif
