/* ct: the container engine's public interface (OS-level virtualization, OpenVZ-style).
 * The CLI calls one function per verb. Every function returns 0 or a negative errno and
 * fills err; none prints or exits. */
#ifndef VIREO_CT_H
#define VIREO_CT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"

/* Where a Vireo instance keeps its state: $VIREO_ROOT or /var/lib/vireo. */
struct ct_ctx {
	char root[PATH_MAX - 256];
	/* Derived from root so two instances on one host never share cgroups or bridges:
	 * "vireo" for the default root, "vireo-XXXXXXXX" (hash of the root path) otherwise. */
	char instance[32];
	/* Set (ct_ctx_init: 0) only inside a migration of this ID (migrate.c): its own steps pass
	 * the migration lock that refuses every other command changing the container. */
	unsigned migrating;
};

int ct_ctx_init(struct ct_ctx *ctx, struct vireo_err *err);
/* Resolve "42" or a symbolic name to a CTID. Fails when a name is unknown. */
int ct_resolve(const struct ct_ctx *ctx, const char *id_or_name, unsigned *ctid,
	       struct vireo_err *err);

struct ct_create_opts {
	const char *ostemplate; /* NULL: the built-in default, "busybox" */
	const char *hostname;   /* NULL: none */
	const char *name;       /* NULL: none */
	int userns;             /* 1 (default) or 0 for --userns no */
	const char *diskspace;  /* SOFT[:HARD], NULL: no disk image (see quota.c) */
	const char *diskinodes; /* SOFT[:HARD], NULL: the file system's default */
};
int ct_create(const struct ct_ctx *ctx, unsigned ctid, const struct ct_create_opts *o,
	      struct vireo_err *err);
int ct_destroy(const struct ct_ctx *ctx, unsigned ctid, bool force, struct vireo_err *err);

int ct_start(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);
int ct_stop(const struct ct_ctx *ctx, unsigned ctid, bool fast, struct vireo_err *err);
int ct_restart(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);

enum ct_state { CT_STATE_STOPPED = 0, CT_STATE_RUNNING, CT_STATE_SUSPENDED };

struct ct_status {
	bool exists, mounted, running, suspended;
};
int ct_status(const struct ct_ctx *ctx, unsigned ctid, struct ct_status *st,
	      struct vireo_err *err);

/* Run argv inside; *status gets its exit status (128+N when killed by signal N). */
int ct_exec(const struct ct_ctx *ctx, unsigned ctid, char *const argv[], int *status,
	    struct vireo_err *err);
/* Interactive shell on a pseudo-terminal of the container's own devpts. */
int ct_enter(const struct ct_ctx *ctx, unsigned ctid, int *status, struct vireo_err *err);
/* Attach the caller's terminal to the container's console; Esc then '.' detaches. */
int ct_console(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);

/* Checkpoint (chkpnt.c): the whole container into ROOT/dump/ID/ (or one tar file), then it
 * stops and is "suspended"; a failed checkpoint leaves it running. restore brings it back. */
int ct_chkpnt(const struct ct_ctx *ctx, unsigned ctid, const char *dumpfile,
	      struct vireo_err *err);
int ct_restore(const struct ct_ctx *ctx, unsigned ctid, const char *dumpfile,
	       bool tcp_established, struct vireo_err *err);

/* Migration (migrate.c) to DEST (user@host) over ssh, as OpenVZ's vzmigrate. */
struct ct_migrate_opts {
	bool online, keep_dst, remove_area;
	bool ignore_subnet;       /* move it even when its addresses are outside DEST's bridge */
	const char *remote_root;  /* VIREO_ROOT on DEST; NULL: its default */
	const char *remote_vireo; /* the vireo command on DEST; NULL: "vireo" */
	long long frozen_ms;      /* out: how long the container was frozen (online) */
};
int ct_migrate(const struct ct_ctx *ctx, unsigned ctid, const char *dest,
	       struct ct_migrate_opts *o, struct vireo_err *err);
/* DEST's side, step by step: check SIZE, register, start, restore, abort [keep]. */
int ct_migrate_recv(const struct ct_ctx *ctx, unsigned ctid, const char *step, const char *arg,
		    struct vireo_err *err);

struct ct_info {
	unsigned ctid;
	char name[72];
	char hostname[72];
	char ostemplate[72];
	char ip[256];
	enum ct_state state;
	bool onboot, userns;
	long nproc; /* -1 when stopped */
	char private_path[PATH_MAX];
	char root_path[PATH_MAX];
};
/* Every registered container, in CTID order. The caller frees *out. */
int ct_list(const struct ct_ctx *ctx, struct ct_info **out, size_t *n, struct vireo_err *err);
int ct_info_get(const struct ct_ctx *ctx, unsigned ctid, struct ct_info *info,
		struct vireo_err *err);

/* Network options of set, each repeatable (vzctl's --ipadd, --ipdel ADDR|all, --nameserver,
 * --searchdomain, --netif_add NAME[,MAC,HOST_IFNAME,HOST_MAC,BRIDGE], --netif_del NAME|all). */
struct ct_net_opts {
	const char **ipadd, **ipdel, **nameserver, **searchdomain, **netif_add, **netif_del;
	size_t n_ipadd, n_ipdel, n_nameserver, n_searchdomain, n_netif_add, n_netif_del;
};

/* Resource limits as typed (parsed and checked by the engine); NULL: unchanged. Sizes take
 * K, M, G, T, P (pages) and "unlimited"; beancounters take VALUE or BARRIER:LIMIT. */
struct ct_limit_args {
	const char *ram, *swap, *physpages, *swappages, *numproc, *numfile, *kmemsize,
		*lockedpages, *cpuunits, *cpulimit, *cpus, *cpumask, *ioprio;
};

struct ct_set_opts {
	const char *hostname;   /* NULL: unchanged */
	const char *userpasswd; /* USER:PASSWORD, NULL: none */
	int onboot;             /* -1 unchanged, 0 no, 1 yes */
	const char *diskspace;  /* SOFT[:HARD], NULL: unchanged; applied and kept at once */
	const char *diskinodes; /* SOFT[:HARD], NULL: unchanged */
	struct ct_net_opts net;
	struct ct_limit_args limits;
	bool save;
};
int ct_set(const struct ct_ctx *ctx, unsigned ctid, const struct ct_set_opts *o,
	   struct vireo_err *err);

/* Beancounters (ubc.c): OpenVZ's per-container resource accounting, from the cgroups. */
enum ct_ubc_res { UBC_KMEMSIZE, UBC_LOCKEDPAGES, UBC_PHYSPAGES, UBC_SWAPPAGES, UBC_NUMPROC,
		  UBC_NUMFILE, UBC_NUMPTY, UBC_DISKSPACE, UBC_DISKINODES, UBC_COUNT };
#define UBC_UNLIMITED 9223372036854775807ull /* what OpenVZ prints for "unlimited" */
struct ct_ubc_val {
	const char *name; /* "kmemsize", "physpages"... */
	bool avail;       /* false: Vireo cannot account it here (the row is left out) */
	uint64_t held, maxheld, barrier, limit, failcnt;
};
/* One container's counters; held, maxheld and failcnt are 0 when it is stopped. */
int ct_ubc_get(const struct ct_ctx *ctx, unsigned ctid, struct ct_ubc_val out[UBC_COUNT],
	       struct vireo_err *err);
/* OpenVZ's /proc/user_beancounters text ("Version: 2.5"; uid resource held maxheld barrier
 * limit failcnt) for the containers given, or every running one when n is 0. The caller
 * frees *text. A container named that is not running is an error. */
int ct_ubc_format(const struct ct_ctx *ctx, const unsigned *ctids, size_t n, char **text,
		  struct vireo_err *err);

/* CPU settings and load of one container (limits.c), for listings. */
struct ct_cpu_stat {
	uint64_t cpuunits, cpulimit, cpus; /* cpulimit and cpus 0: none */
	bool running;
	bool la_avail;      /* load average known */
	double laverage[3]; /* 1, 5, 15 minutes */
	double uptime;      /* seconds since the container's init started */
};
int ct_cpu_stat_get(const struct ct_ctx *ctx, unsigned ctid, struct ct_cpu_stat *st,
		    struct vireo_err *err);

/* Templates: cached tarballs under ROOT/templates/NAME.tar.gz. */
#define CT_DEFAULT_TEMPLATE "busybox"
int tmpl_create(const struct ct_ctx *ctx, const char *name, struct vireo_err *err);
/* Names of cached templates, sorted; the caller frees each and the array. */
int tmpl_list(const struct ct_ctx *ctx, char ***names, size_t *n, struct vireo_err *err);

#endif
