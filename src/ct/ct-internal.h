/* ct: declarations shared by the container engine's files, not for other engines. */
#ifndef VIREO_CT_INTERNAL_H
#define VIREO_CT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "ct/ct.h"
#include "lib/conf.h"

/* --- template.c: the template cache --- */
/* Check a template name ([a-z0-9][a-z0-9._-]*, at most 64) and build ROOT/templates/NAME.tar.gz. */
int tmpl_path(const struct ct_ctx *ctx, const char *name, char *buf, size_t size,
	      struct vireo_err *err);
/* Make sure the template is cached: the built-in busybox template is built on demand;
 * any other missing template is an error ("unknown template"). */
int tmpl_ensure(const struct ct_ctx *ctx, const char *name, struct vireo_err *err);

/* --- extract.c: unpacking a template into a private area --- */
/* Unpack tarball into destdir (an existing empty directory). Refuses, with an error naming
 * the entry, absolute paths, '..' components, hard links leaving the tree, and device nodes;
 * never follows a symlink while writing. With uid_shift != 0 every owner is shifted by it
 * (ids >= 65536 are refused). On failure destdir may hold part of the tree: the caller
 * removes it. */
int tmpl_extract(const char *tarball, const char *destdir, uint32_t uid_shift,
		 struct vireo_err *err);

/* --- store.c: where a container's files live, and its configuration --- */
#define CT_UIDS 65536u          /* ids a container maps: 0..65535 inside */
#define CT_UIDBASE_FIRST 0x100000u  /* 1048576: above any ordinary user */

enum ct_idmap { CT_IDMAP_NONE = 0, CT_IDMAP_MOUNT, CT_IDMAP_SHIFT };

struct ct_config {
	unsigned ctid;
	char name[72];
	char hostname[72];
	char ostemplate[72];
	bool userns;
	bool onboot;
	uint32_t uidbase;       /* host uid/gid of root inside (0 without a user namespace) */
	enum ct_idmap idmap;    /* how the private area's owners reach the container */
	struct conf raw;        /* every key, including those this version does not know */
};

enum ct_path_kind { CT_PATH_CONF, CT_PATH_PRIVATE, CT_PATH_ROOT, CT_PATH_RUN, CT_PATH_LOCK,
		    CT_PATH_STATE, CT_PATH_RUNNING, CT_PATH_CONSOLE };
int ct_path(const struct ct_ctx *ctx, unsigned ctid, enum ct_path_kind kind, char *buf,
	    size_t size);
/* Load and validate ROOT/conf/ID.conf; -ENOENT with "container ID does not exist". */
int ct_config_load(const struct ct_ctx *ctx, unsigned ctid, struct ct_config *cfg,
		   struct vireo_err *err);
/* Write cfg's fields into cfg->raw and save it atomically. */
int ct_config_save(const struct ct_ctx *ctx, struct ct_config *cfg, struct vireo_err *err);
void ct_config_free(struct ct_config *cfg);
/* The per-container command lock (exclusive or shared); returns its fd. */
int ct_lock(const struct ct_ctx *ctx, unsigned ctid, bool exclusive, struct vireo_err *err);
/* migrate.c: true while a migration of ctid (to or from this instance) holds its lock. */
bool ct_migration_held(const struct ct_ctx *ctx, unsigned ctid);
/* Drop an exclusive command lock. When ctid is not registered (a verb on an ID that does not
 * exist, a create that failed) the lock file is removed first, so nothing is left behind. */
void ct_unlock(const struct ct_ctx *ctx, unsigned ctid, int lockfd);
/* The registry lock, held while IDs, names and uid ranges are handed out. */
int ct_registry_lock(const struct ct_ctx *ctx, struct vireo_err *err);
bool ct_is_running(const struct ct_ctx *ctx, unsigned ctid);

/* Runtime state of a running container, written by its supervisor. */
struct ct_runstate {
	pid_t supervisor_pid, init_pid;
	unsigned long long init_start;
};
int ct_runstate_load(const struct ct_ctx *ctx, unsigned ctid, struct ct_runstate *rs,
		     struct vireo_err *err);
/* Open a pidfd on the running container's init, checking it is still the same process. */
int ct_init_pidfd(const struct ct_ctx *ctx, unsigned ctid, struct ct_runstate *rs,
		  struct vireo_err *err);

/* --- cgroup.c: one cgroup per container, v1 or v2 --- */
int cg_create(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
int cg_attach(const struct ct_ctx *ctx, unsigned ctid, pid_t pid, struct vireo_err *err);
void cg_destroy(const struct ct_ctx *ctx, unsigned ctid);
long cg_nproc(const struct ct_ctx *ctx, unsigned ctid);
/* The container's cgroup directory holding controller's files ("memory", "cpu", "cpuacct",
 * "cpuset", "pids"): 1 on cgroup v2 (one directory for all), 0 on v1, -ENOENT when the host
 * has no hierarchy with that controller. */
int cg_controller_dir(const struct ct_ctx *ctx, unsigned ctid, const char *controller,
		      char *buf, size_t size);
/* The cgroup v2 hierarchy in use, or NULL on a v1 host. */
const char *cg_v2_root(void);

/* --- limits.c, cgroup-v1.c, cgroup-v2.c, cgroup-map.c: resource limits --- */
struct ct_limits {
	/* per beancounter, UBC_UNLIMITED when none: pages (physpages, swappages, lockedpages),
	 * bytes (kmemsize) or counts (numproc, numfile) */
	uint64_t barrier[UBC_COUNT], limit[UBC_COUNT];
	uint64_t cpuunits; /* 8..500000, default 1000 */
	uint64_t cpulimit; /* percent of one CPU, 0: none */
	uint64_t cpus;     /* 0: all */
	char cpumask[256]; /* "": all */
	int ioprio;        /* 0..7, -1: not set */
};
void limits_default(struct ct_limits *l);
/* The limits in a container's configuration; a malformed key is an error naming it. */
int limits_load(const struct ct_config *cfg, struct ct_limits *l, struct vireo_err *err);
/* Into the container's cgroups (already created) and onto its first process, before it runs
 * container code: cgroup limits, RLIMIT_NOFILE/RLIMIT_MEMLOCK and the I/O priority. */
int limits_apply_start(const struct ct_ctx *ctx, const struct ct_config *cfg, pid_t pid,
		       struct vireo_err *err);
/* exec.c: fails (one line) while a process of the container is still the child of a waiting
 * `vireo exec` or `enter` on the host: a checkpoint would end it, and nothing would bring it back. */
int ct_exec_check_attached(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
/* exec/enter: the per-process limits (numfile, lockedpages, ioprio) on a process about to
 * run in the container. */
int limits_apply_proc(pid_t pid, const struct ct_limits *l, struct vireo_err *err);
/* What holds now: the runtime copy a live change left (running), else the configuration. */
int limits_effective(const struct ct_ctx *ctx, const struct ct_config *cfg, struct ct_limits *l,
		     struct vireo_err *err);
/* The same for container ctid, its configuration loaded here. */
int limits_effective_of(const struct ct_ctx *ctx, unsigned ctid, struct ct_limits *l,
			struct vireo_err *err);
/* set: */
bool limits_given(const struct ct_limit_args *a);
/* base (or, when NULL, the configuration's limits) with the arguments applied, every value
 * checked. */
int limits_prepare(const struct ct_ctx *ctx, const struct ct_config *cfg,
		   const struct ct_limits *base, const struct ct_limit_args *a, struct ct_limits *out,
		   struct vireo_err *err);
/* Change a running container's limits from old to new; on failure old is put back. */
int limits_apply_live(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *old,
		      const struct ct_limits *new_, struct vireo_err *err);
int limits_store(struct conf *raw, const struct ct_limits *l);
/* The container's processes (from cgroup.procs); the caller frees *pids. */
int limits_procs(const struct ct_ctx *ctx, unsigned ctid, pid_t **pids, size_t *n);

/* Counters a cgroup back end reads; the bools say which are there. */
struct cg_stats {
	bool mem, memsw, kmem, pids;
	uint64_t mem_usage, mem_max, mem_fail;       /* bytes, bytes, count */
	uint64_t swap_usage, swap_max, swap_fail;    /* bytes */
	uint64_t kmem_usage, kmem_max, kmem_fail;    /* bytes */
	uint64_t pids_cur, pids_peak, pids_fail;
};
/* Can this host enforce every limit in l? 0, or an error naming the first it cannot. */
int cg_check_limits(const struct ct_ctx *ctx, const struct ct_limits *l, struct vireo_err *err);
/* fresh: the cgroup was just made, so values at their defaults need no write (start stays fast). */
int cg_apply_limits(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *l,
		    bool fresh, struct vireo_err *err);
void cg_read_stats(const struct ct_ctx *ctx, unsigned ctid, struct cg_stats *s);
/* The number after "key " in a flat keyed cgroup file (pids.events, memory.stat...). */
int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *v);
/* A file holding one number (memory.current, pids.max...); -1 when absent or not a number. */
int cg_read_u64(const char *dir, const char *file, uint64_t *v);
/* Write val to dir/file; what names the setting in the error. A file that is absent is an
 * error only when the value matters (not a default). */
int cg_put(const char *dir, const char *file, const char *val, bool matters, const char *what,
	   unsigned ctid, struct vireo_err *err);
int cgv1_check(const struct ct_ctx *ctx, const struct ct_limits *l, struct vireo_err *err);
int cgv1_apply(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *l,
	       bool fresh, struct vireo_err *err);
void cgv1_stats(const struct ct_ctx *ctx, unsigned ctid, struct cg_stats *s);
int cgv2_check(const struct ct_ctx *ctx, const struct ct_limits *l, struct vireo_err *err);
int cgv2_apply(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *l,
	       bool fresh, struct vireo_err *err);
void cgv2_stats(const struct ct_ctx *ctx, unsigned ctid, struct cg_stats *s);
/* cgroup-map.c: OpenVZ parameters to cgroup values (pure; tests/unit/test-cgroup-map.c). */
#define CG_CPU_PERIOD_US 100000u
uint64_t cgmap_shares(uint64_t cpuunits);          /* v1 cpu.shares, 1000 units = 1024 */
uint64_t cgmap_weight_from_shares(uint64_t shares); /* v2 cpu.weight, as crun converts */
/* CFS quota in microseconds per CG_CPU_PERIOD_US for cpulimit and cpus; 0: none. */
uint64_t cgmap_quota_us(uint64_t cpulimit, uint64_t cpus);
void cgmap_cpu_max(uint64_t quota_us, char *buf, size_t size);   /* v2 cpu.max */
uint64_t cgmap_blkio_weight(int ioprio);           /* v1 blkio(.bfq).weight, 10..1000 */
uint64_t cgmap_io_weight(uint64_t blkio_weight);   /* v2 io.weight, as crun converts */
/* A byte value for a v2 file: "max" when unlimited. pages: multiply by the page size. */
void cgmap_v2_bytes(uint64_t v, bool pages, char *buf, size_t size);
/* A byte value for a v1 file: "-1" when unlimited. */
void cgmap_v1_bytes(uint64_t v, bool pages, char *buf, size_t size);
/* v1 memory.memsw.limit_in_bytes for ram + swap, both in pages ("-1" when either is unlimited). */
void cgmap_v1_memsw(uint64_t ram, uint64_t swap, char *buf, size_t size);

/* --- security.c: what a process inside gives up before it runs container code --- */
/* Drop capabilities per the container's kind, then load the seccomp filter. */
int sec_confine(const struct ct_config *cfg, struct vireo_err *err);
/* The same, with sysinfo(2) sent to a listener: *notify_fd is its fd (for vireo-procfs), or
 * -1 when the kernel or libseccomp cannot do that. */
int sec_confine_notify(const struct ct_config *cfg, int *notify_fd, struct vireo_err *err);

/* --- initfs.c: vireo-init for a container without /sbin/init --- */
/* Its own read-only tmpfs inside the container's /dev, holding only the init it executes. */
#define CT_INITFS_DIR "/dev/.vireo"
#define CT_INITFS_INIT CT_INITFS_DIR "/init"
/* Called by the container's first process after pivot_root, before it gives up its
 * capabilities: mount the tmpfs, write vireo-init, make it read-only. */
int ct_initfs_install(struct vireo_err *err);

/* --- userns.c: user namespaces and idmapped mounts --- */
int userns_write_maps(pid_t pid, uint32_t base, struct vireo_err *err);
/* Can the private area be mounted idmapped on this kernel and file system? */
bool userns_idmap_supported(const char *dir);
/* A user namespace (an open descriptor of it) with the map a container at base has; no
 * process stays in it. */
int userns_mapped_ns(uint32_t base, struct vireo_err *err);
/* A detached clone of the mount tree at dir; idmapped for userns_fd unless that is -1. */
int userns_idmapped_tree(const char *dir, int userns_fd, struct vireo_err *err);

/* --- quota.c: disk quotas; the private area as an ext4 image (VE_LAYOUT="image") --- */
struct ct_quota_usage {
	bool limited;            /* false: a directory area, no disk limits (all zero) */
	uint64_t blocks_used, blocks_soft, blocks_hard; /* 1 KiB blocks */
	uint64_t inodes_used, inodes_soft, inodes_hard; /* hard: the file system's inode count
							   when no --diskinodes was given */
};
/* Disk usage and limits of a container, running or not; takes no lock. */
int ct_quota_usage(const struct ct_ctx *ctx, unsigned ctid, struct ct_quota_usage *u,
		   struct vireo_err *err);
bool quota_is_image(const struct ct_config *cfg);
/* A directory fd on the root of the private area as it is on disk (never idmapped): the
 * directory, or a detached mount of the image (closing the fd unmounts and detaches). */
int quota_private_open(const struct ct_ctx *ctx, const struct ct_config *cfg,
		       struct vireo_err *err);
/* The detached mount tree the container gets as its root; idmapped for userns_fd >= 0. */
int quota_private_tree(const struct ct_ctx *ctx, const struct ct_config *cfg, int userns_fd,
		       struct vireo_err *err);
/* After the container's last process is gone: wait for its loop device to detach. */
void quota_after_stop(const struct ct_ctx *ctx, const struct ct_config *cfg);
/* Before destroy removes the files: no loop device may stay bound to the image. */
int quota_release(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
/* Apply --diskspace/--diskinodes (either may be NULL) under the command lock: convert a
 * directory area (stopped), grow (online or not), shrink or rebuild (stopped); saves cfg. */
int quota_set(const struct ct_ctx *ctx, struct ct_config *cfg, const char *diskspace,
	      const char *diskinodes, bool running, struct vireo_err *err);
/* create --diskspace: turn the unpacked template in stage into stage/root.img; sets cfg's keys
 * (the caller saves it). */
int quota_create_stage(const struct ct_ctx *ctx, struct ct_config *cfg, const char *stage,
		       const char *diskspace, const char *diskinodes, struct vireo_err *err);

/* --- rootfs.c: the container's mount namespace, run inside the new namespaces --- */
struct rootfs_spec {
	const char *root_path;  /* for messages */
	int tree_fd;            /* detached mount of the private area (idmapped or not) */
	int mountpoint_fd;      /* O_PATH fd of ROOT/root/ID, opened before giving up host ids */
	int console_fd;         /* host pty slave for /dev/console, or -1 */
	int procfs_fd;          /* O_PATH fd of the container's vireo-procfs directory, or -1 */
};
int rootfs_setup(const struct rootfs_spec *spec, struct vireo_err *err);

/* --- procfs.c: the container side of vireo-procfs (src/procfs) --- */
/* Make sure the instance's vireo-procfs daemon runs and register ctid with it. Returns the
 * registration connection, to keep open for the container's life, or -errno with the
 * reason (the caller starts the container anyway, with the host's files, and warns). */
int ct_procfs_attach(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
/* Close the registration; when the daemon died meanwhile, remove its dead mount. */
void ct_procfs_detach(const struct ct_ctx *ctx, int conn);
/* O_PATH fd of ROOT/run/procfs/mnt/CTID, opened while the caller still has host ids; -1
 * when the daemon does not serve this container. */
int ct_procfs_open_dir(const struct ct_ctx *ctx, unsigned ctid);
/* From rootfs_setup (cwd = the new root): bind the served files over proc/meminfo, ...,
 * read-only. A file that cannot be bound keeps the host's version. */
void ct_procfs_bind(int dirfd);
/* A connection on which vireo-procfs will take the sysinfo listener of a process joining
 * ctid; -1 when no daemon serves ctid. Open it while the host's paths are reachable. */
int ct_procfs_notify_conn(const struct ct_ctx *ctx, unsigned ctid);
/* Hand the listener (from sec_confine_notify) over, then close both. */
void ct_procfs_send_notify(int conn, int notify_fd);

/* --- loadavg.c: a container's load average, sampled by its supervisor --- */
/* Kernel-style fixed point load averages (include/linux/sched/loadavg.h). */
#define LOADAVG_FSHIFT 11
#define LOADAVG_FIXED_1 (1UL << LOADAVG_FSHIFT)
/* What a sample leaves in run/ID/loadavg. */
struct ct_load {
	unsigned long avg[3];      /* 1, 5, 15 minutes, fixed point */
	unsigned running, blocked; /* tasks running and in uninterruptible sleep */
	unsigned last_pid;         /* highest pid inside (its own numbering) */
};
struct ct_loadavg {
	const struct ct_ctx *ctx;
	unsigned ctid;
	struct ct_load load;
	long long next_ms;  /* next sample, util_now_ms() clock */
};
/* The kernel's calc_load step (exp is EXP_1, EXP_5 or EXP_15). */
unsigned long loadavg_calc(unsigned long load, unsigned long exp, unsigned long active);
/* An average as the kernel shows it in /proc/loadavg: rounded to 2 decimals. Both list's
 * laverage and vireo-procfs print this, with "%.2f". */
static inline double loadavg_value(unsigned long avg)
{
	unsigned long a = avg + LOADAVG_FIXED_1 / 200;
	return (double)(a >> LOADAVG_FSHIFT) +
	       (double)(((a & (LOADAVG_FIXED_1 - 1)) * 100) >> LOADAVG_FSHIFT) / 100.0;
}
/* The last sample the supervisor wrote; 0, or -ENOENT before the first (or -errno). */
int loadavg_read(const struct ct_ctx *ctx, unsigned ctid, struct ct_load *l);
void loadavg_init(struct ct_loadavg *la, const struct ct_ctx *ctx, unsigned ctid);
/* How long the supervisor may sleep before the next sample. */
int loadavg_timeout_ms(const struct ct_loadavg *la);
/* Sample if it is time, and write run/ID/loadavg. */
void loadavg_tick(struct ct_loadavg *la);
void loadavg_remove(const struct ct_ctx *ctx, unsigned ctid);

/* --- supervise.c: the process that holds a running container --- */
int ct_supervise(const struct ct_ctx *ctx, struct ct_config *cfg, int report_fd);
/* crimg.c: unpack the checkpoint archive read from in_fd (what names it in messages) into
 * the directory dirfd: only plain regular files, or nothing (the caller removes a partial
 * result). */
int cr_unpack(int in_fd, const char *what, int dirfd, struct vireo_err *err);
/* start.c: ROOT/root/ID (mount point) and ROOT/run/ID, if missing. */
int ct_make_run_dirs(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
/* start.c: fork a supervisor. The parent gets its pid and, in *report, the read end of the
 * pipe it reports on; the child gets 0 and the write end, and keeps nothing of the caller's
 * but keep[] (at most 7) in a session of its own, /dev/null on 0-2. */
pid_t ct_fork_supervisor(int lockfd, const int *keep, size_t nkeep, int *report,
			 struct vireo_err *err);
struct ct_restore_req;
int ct_supervise_restore(const struct ct_ctx *ctx, struct ct_config *cfg, int report_fd,
			 const struct ct_restore_req *req);

/* --- criu.c / chkpnt.c: checkpoint and restore through CRIU --- */
const char *cr_binary(void);
/* Dump the tree of init_pid into the image directory imgfd; the tree is gone on success and
 * untouched (still running) on failure. meta gets what restore needs (external resources). */
int cr_dump(const struct ct_ctx *ctx, unsigned ctid, pid_t init_pid, int imgfd,
	    struct conf *meta, struct vireo_err *err);
/* Restore as a child of the caller, with root_path as its root; returns the init's pid.
 * procfs_base: where the procfs daemon's files are reachable from inside the container's
 * user namespace (the "procfs:" external mounts of the checkpoint). */
pid_t cr_restore(const struct ct_ctx *ctx, const struct ct_config *cfg, int imgfd,
		 const struct conf *meta, const char *root_path, int console_fd,
		 const char *console_path, const char *procfs_base, bool tcp_established,
		 struct vireo_err *err);
/* In the restoring supervisor: mount the private area privately, then cr_restore. */
pid_t cr_restore_tree(const struct ct_ctx *ctx, const struct ct_config *cfg,
		      const struct ct_restore_req *req, int console_fd, struct vireo_err *err);
bool cr_restore_has_net(const struct ct_restore_req *req);
/* Open ping to every user inside the network namespace of pid, as start does. */
void cr_ping_range_open(pid_t pid, const struct ct_config *cfg);
/* Is there a checkpoint of this (stopped) container? */
bool ct_is_suspended(const struct ct_ctx *ctx, unsigned ctid);

/* --- netcfg.c: the container's network (src/net does the links) --- */
/* Supervisor, after clone: resolv.conf, veth pairs, addresses, route; records ROOT/run/ID/net. */
int ct_net_start(const struct ct_ctx *ctx, const struct ct_config *cfg, int pidfd,
		 struct vireo_err *err);
/* Supervisor, when the container ends: delete the host ends it recorded. */
void ct_net_stop(const struct ct_ctx *ctx, unsigned ctid);
/* Restoring supervisor, before CRIU: make the veth pairs of a checkpoint's network state (its
 * vireo-net.conf, text), host ends on their bridges, each container end on the host under a
 * temporary name, and record them as ROOT/run/ID/net of the caller (so ct_net_stop removes
 * them). *moves gets one "netdev[IFNAME]:TEMPNAME" line per pair, CRIU's external to move
 * TEMPNAME into the restored namespace as IFNAME (the caller frees it). Refused when another
 * running container holds one of its addresses; nothing is left on failure. */
int ct_net_restore_links(const struct ct_ctx *ctx, unsigned ctid, const char *text, size_t len,
			 char **moves, struct vireo_err *err);
/* netcfg.c: the host ends of a restored container's pairs come up (made down by
 * ct_net_restore_links), once CRIU has brought the tree back. */
int ct_net_restore_up(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
/* After a destroy: remove the instance's bridge when no container uses it any more. */
void ct_net_destroy(const struct ct_ctx *ctx);
/* The addresses `list` shows: live when running, configured otherwise. */
void ct_net_list_ip(const struct ct_ctx *ctx, const struct ct_config *cfg, bool running,
		    char *buf, size_t size);
bool ct_net_opts_any(const struct ct_net_opts *o);
/* migrate.c, on DEST: the addresses (comma-separated) a container brings are free here and,
 * unless any_subnet, in the bridge's subnet (else it would be unreachable). */
int ct_net_check_incoming(const struct ct_ctx *ctx, unsigned ctid, const char *ips,
			  bool any_subnet, struct vireo_err *err);
/* After a container restored from another host's checkpoint runs: its default route goes
 * through this instance's bridge, and the host routes its addresses outside that subnet. */
int ct_net_adopt(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
/* Syntax of every network option, before anything is locked. */
int ct_net_check_opts(const struct ct_net_opts *o, struct vireo_err *err);
/* Apply the options to the live container (running) and to cfg->raw (save; the caller
 * saves cfg). Nothing changes when any check fails. */
int ct_net_set(const struct ct_ctx *ctx, struct ct_config *cfg, const struct ct_net_opts *o,
	       bool running, bool save, struct vireo_err *err);

/* --- set.c: files in a container's /etc, reached through an fd from ct_open_in_root --- */
/* The container's /etc (in its private area or disk image), O_DIRECTORY; or -errno. */
int ct_etc_open(const struct ct_ctx *ctx, const struct ct_config *cfg, struct vireo_err *err);
/* Read /etc/NAME (a missing one reads as "", st->st_mode 0); refuses anything but a file. */
int ct_etc_read(int etcfd, const char *name, char **text, struct stat *st, struct vireo_err *err);
/* Replace /etc/NAME atomically, keeping old's owner and mode (uid, gid, mode when new). */
int ct_etc_write(int etcfd, const char *name, const char *text, const struct stat *old,
		 uid_t uid, gid_t gid, mode_t mode, struct vireo_err *err);

/* --- shared helpers --- */
/* Join the running container ctid: cgroups, then namespaces via its init's pidfd. The caller
 * must fork afterwards for the pid namespace to apply. */
int ct_join(const struct ct_ctx *ctx, const struct ct_config *cfg, struct vireo_err *err);
/* openat2 with RESOLVE_IN_ROOT: a path inside a container's tree, symlinks kept inside. */
int ct_open_in_root(int rootfd, const char *path, int flags, mode_t mode);

#endif
