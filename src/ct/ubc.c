/* ct/ubc: OpenVZ's beancounters for a container, from what the kernel counts today: memory,
 * swap and kernel memory from the memory cgroup, processes from the pids cgroup, open files
 * and locked pages summed over the container's processes, pseudo-terminals from the
 * container's own devpts. Barriers and limits come from its configuration. Reads only. */
#include "ct/ct-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/util.h"

#define PAGE 4096ull

static const char *const ubc_names[UBC_COUNT] = {
	[UBC_KMEMSIZE] = "kmemsize",	 [UBC_LOCKEDPAGES] = "lockedpages",
	[UBC_PHYSPAGES] = "physpages",	 [UBC_SWAPPAGES] = "swappages",
	[UBC_NUMPROC] = "numproc",	 [UBC_NUMFILE] = "numfile",
	[UBC_NUMPTY] = "numpty",	 [UBC_DISKSPACE] = "diskspace",
	[UBC_DISKINODES] = "diskinodes",
};

/* diskspace (1 KiB blocks) and diskinodes, as OpenVZ counts them. A container with disk
 * limits has its own file system: used, soft (barrier) and hard (limit) come from the quota
 * code. A plain directory area has no limits: its usage is counted by walking it. */
static void ubc_disk(const struct ct_ctx *ctx, unsigned ctid, struct ct_ubc_val *space,
		     struct ct_ubc_val *inodes)
{
	struct ct_quota_usage u;
	struct vireo_err e = {0};
	space->avail = inodes->avail = false;
	if (ct_quota_usage(ctx, ctid, &u, &e) < 0)
		return;
	space->avail = inodes->avail = true;
	if (u.limited) {
		space->held = space->maxheld = u.blocks_used;
		space->barrier = u.blocks_soft;
		space->limit = u.blocks_hard;
		inodes->held = inodes->maxheld = u.inodes_used;
		inodes->barrier = u.inodes_soft;
		inodes->limit = u.inodes_hard;
		return;
	}
	char priv[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_PRIVATE, priv, sizeof priv);
	uint64_t bytes = 0, n = 0;
	util_du(priv, &bytes, &n);
	uint64_t blocks = bytes / 1024;
	space->held = space->maxheld = blocks;
	inodes->held = inodes->maxheld = n;
	space->barrier = space->limit = inodes->barrier = inodes->limit = UBC_UNLIMITED;
}

static uint64_t count_dir(int dfd, bool numeric_only)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	uint64_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && (!numeric_only || (de->d_name[0] >= '0' && de->d_name[0] <= '9')))
			n++;
	closedir(d);
	return n;
}

/* Open files and locked pages (VmLck, in pages) over the container's processes. */
static void scan_procs(const struct ct_ctx *ctx, unsigned ctid, uint64_t *files, uint64_t *locked)
{
	pid_t *pids;
	size_t n;
	*files = *locked = 0;
	if (limits_procs(ctx, ctid, &pids, &n) < 0)
		return;
	char p[64], *st;
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof p, "/proc/%d/fd", (int)pids[i]);
		int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			*files += count_dir(fd, false);
		snprintf(p, sizeof p, "/proc/%d/status", (int)pids[i]);
		if (util_read_file(p, 1 << 16, &st, NULL, NULL) == 0) {
			char *l = strstr(st, "\nVmLck:");
			if (l)
				*locked += strtoull(l + 7, NULL, 10) * 1024 / PAGE;
			free(st);
		}
	}
	free(pids);
}

/* Pseudo-terminals open in the container's own devpts, seen through its init's root. The
 * path is resolved inside that root, and must end on a devpts. */
static uint64_t count_ptys(const struct ct_ctx *ctx, unsigned ctid)
{
	struct ct_runstate rs;
	int pidfd = ct_init_pidfd(ctx, ctid, &rs, NULL);
	if (pidfd < 0)
		return 0;
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/root", (int)rs.init_pid);
	int root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	close(pidfd);
	if (root < 0)
		return 0;
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, root, "dev/pts", &how, sizeof how);
	close(root);
	if (fd < 0)
		return 0;
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0 || sf.f_type != DEVPTS_SUPER_MAGIC) {
		close(fd);
		return 0;
	}
	return count_dir(fd, true);
}

int ct_ubc_get(const struct ct_ctx *ctx, unsigned ctid, struct ct_ubc_val out[UBC_COUNT],
	       struct vireo_err *err)
{
	struct ct_limits l;
	int r = limits_effective_of(ctx, ctid, &l, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < UBC_COUNT; i++) {
		out[i] = (struct ct_ubc_val){ .name = ubc_names[i], .avail = true,
					      .barrier = l.barrier[i], .limit = l.limit[i] };
	}
	ubc_disk(ctx, ctid, &out[UBC_DISKSPACE], &out[UBC_DISKINODES]);
	if (!ct_is_running(ctx, ctid))
		return 0;
	struct cg_stats s;
	cg_read_stats(ctx, ctid, &s);
	out[UBC_KMEMSIZE].avail = s.kmem;
	out[UBC_KMEMSIZE].held = s.kmem_usage;
	out[UBC_KMEMSIZE].maxheld = s.kmem_max;
	out[UBC_KMEMSIZE].failcnt = s.kmem_fail;
	out[UBC_PHYSPAGES].avail = s.mem;
	out[UBC_PHYSPAGES].held = s.mem_usage / PAGE;
	out[UBC_PHYSPAGES].maxheld = s.mem_max / PAGE;
	out[UBC_PHYSPAGES].failcnt = s.mem_fail;
	out[UBC_SWAPPAGES].avail = s.memsw;
	out[UBC_SWAPPAGES].held = s.swap_usage / PAGE;
	out[UBC_SWAPPAGES].maxheld = s.swap_max / PAGE;
	out[UBC_SWAPPAGES].failcnt = s.swap_fail;
	out[UBC_NUMPROC].avail = s.pids;
	out[UBC_NUMPROC].held = s.pids_cur;
	out[UBC_NUMPROC].maxheld = s.pids_peak;
	out[UBC_NUMPROC].failcnt = s.pids_fail;
	uint64_t files, locked;
	scan_procs(ctx, ctid, &files, &locked);
	/* No high-water mark or refusal count exists for these: maxheld is held, failcnt 0. */
	out[UBC_NUMFILE].held = out[UBC_NUMFILE].maxheld = files;
	out[UBC_LOCKEDPAGES].held = out[UBC_LOCKEDPAGES].maxheld = locked;
	out[UBC_NUMPTY].held = out[UBC_NUMPTY].maxheld = count_ptys(ctx, ctid);
	return 0;
}

static void row(FILE *f, const char *uid, const struct ct_ubc_val *v)
{
	fprintf(f, "%10s  %-12s %20llu %20llu %20llu %20llu %20llu\n", uid, v->name,
		(unsigned long long)v->held, (unsigned long long)v->maxheld,
		(unsigned long long)(v->barrier > UBC_UNLIMITED ? UBC_UNLIMITED : v->barrier),
		(unsigned long long)(v->limit > UBC_UNLIMITED ? UBC_UNLIMITED : v->limit),
		(unsigned long long)v->failcnt);
}

static int format_one(const struct ct_ctx *ctx, unsigned ctid, FILE *f, struct vireo_err *err)
{
	struct ct_ubc_val v[UBC_COUNT];
	int r = ct_ubc_get(ctx, ctid, v, err);
	if (r < 0)
		return r;
	char uid[16];
	snprintf(uid, sizeof uid, "%u:", ctid);
	for (size_t i = 0; i < UBC_COUNT; i++) {
		if (!v[i].avail)
			continue;
		row(f, uid, &v[i]);
		uid[0] = '\0';
	}
	return 0;
}

int ct_ubc_format(const struct ct_ctx *ctx, const unsigned *ctids, size_t n, char **text,
		  struct vireo_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	*text = NULL;
	for (size_t i = 0; i < n; i++) {
		struct ct_config cfg;
		int r = ct_config_load(ctx, ctids[i], &cfg, err);
		if (r < 0)
			return r;
		ct_config_free(&cfg);
		if (!ct_is_running(ctx, ctids[i]))
			return verr(err, ESRCH, "container %u is not running", ctids[i]);
	}
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return verr(err, ENOMEM, "out of memory");
	fprintf(f, "Version: 2.5\n");
	fprintf(f, "%10s  %-12s %20s %20s %20s %20s %20s\n", "uid", "resource", "held", "maxheld",
		"barrier", "limit", "failcnt");
	int r = 0;
	if (n) {
		for (size_t i = 0; i < n && r == 0; i++)
			r = format_one(ctx, ctids[i], f, err);
	} else {
		struct ct_info *list = NULL;
		size_t cnt = 0;
		r = ct_list(ctx, &list, &cnt, err);
		for (size_t i = 0; r == 0 && i < cnt; i++) {
			if (list[i].state != CT_STATE_RUNNING)
				continue;
			struct vireo_err e2;
			/* A container that stops meanwhile is left out. */
			if (format_one(ctx, list[i].ctid, f, &e2) < 0 && ct_is_running(ctx, list[i].ctid)) {
				*err = e2;
				r = -e2.code;
			}
		}
		free(list);
	}
	fclose(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	*text = buf;
	return 0;
}
