/* ct/cgroup: one cgroup per container under an instance-named parent, on cgroup v1 (one
 * hierarchy per controller) or v2 (the unified hierarchy). Touches only
 * /sys/fs/cgroup/.../<instance>/<ctid>. Device rules are enforced on v1 with the devices
 * controller; on v2 they need a BPF program, which is not written yet (see notes). */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/util.h"

#define CG_ROOT "/sys/fs/cgroup"

/* The v1 controllers a container gets, when the host has them mounted. */
static const char *const v1_controllers[] = { "pids", "memory", "cpu", "cpuacct", "devices",
					      "freezer", "blkio" };

/* Device nodes a container may open: null zero full random urandom tty console ptmx pts. */
static const char *const dev_allow[] = { "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
					 "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm",
					 "c 136:* rwm" };

int devfilter_attach(const char *cgroup_dir, struct vireo_err *err);

static bool is_cgroup2(const char *path)
{
	struct statfs sf;
	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* The cgroup v2 hierarchy Vireo uses, or NULL on a v1 host. A pure v2 host mounts it at
 * /sys/fs/cgroup. A "hybrid" host also has an (often controller-less) v2 hierarchy at
 * /sys/fs/cgroup/unified; VIREO_CGROUP=v2 selects it, so the v2 back end runs for real there. */
static const char *cg_v2_root(void)
{
	if (is_cgroup2(CG_ROOT))
		return CG_ROOT;
	const char *want = getenv("VIREO_CGROUP");
	if (want && !strcmp(want, "v2") && is_cgroup2(CG_ROOT "/unified"))
		return CG_ROOT "/unified";
	return NULL;
}

static bool cg_is_v2(void)
{
	return cg_v2_root() != NULL;
}

static bool v1_has(const char *ctl)
{
	char p[PATH_MAX];
	struct statfs sf;
	util_path(p, sizeof p, CG_ROOT "/%s", ctl);
	return statfs(p, &sf) == 0 && sf.f_type == CGROUP_SUPER_MAGIC;
}

static void cg_dir(const struct ct_ctx *ctx, const char *ctl, unsigned ctid, char *buf,
		   size_t size)
{
	if (ctl)
		util_path(buf, size, CG_ROOT "/%s/%s/%u", ctl, ctx->instance, ctid);
	else
		util_path(buf, size, "%s/%s/%u", cg_v2_root(), ctx->instance, ctid);
}

static int mk_parent_and_dir(const char *dir, struct vireo_err *err)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", dir);
	*strrchr(parent, '/') = '\0';
	for (int tries = 0; tries < 5; tries++) {
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			return verr_sys(err, errno, "cannot create cgroup %s", parent);
		if (mkdir(dir, 0755) == 0)
			return 0;
		if (errno == EEXIST)
			return 0;
		if (errno != ENOENT) /* ENOENT: parent removed by a concurrent stop; retry */
			return verr_sys(err, errno, "cannot create cgroup %s", dir);
	}
	return verr(err, EAGAIN, "cannot create cgroup %s: parent keeps disappearing", dir);
}

static int v1_setup_devices(const char *dir, struct vireo_err *err)
{
	char p[PATH_MAX];
	util_path(p, sizeof p, "%s/devices.deny", dir);
	int r = util_write_str(p, "a", err);
	if (r < 0)
		return r;
	util_path(p, sizeof p, "%s/devices.allow", dir);
	for (size_t i = 0; i < ARRAY_SIZE(dev_allow); i++)
		if ((r = util_write_str(p, dev_allow[i], err)) < 0)
			return r;
	return 0;
}

int cg_create(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	char dir[PATH_MAX];
	cg_destroy(ctx, ctid); /* leftovers of a supervisor that died */
	const char *v2 = cg_v2_root();
	if (v2) {
		char p[PATH_MAX];
		cg_dir(ctx, NULL, ctid, dir, sizeof dir);
		int r = mk_parent_and_dir(dir, err);
		if (r < 0)
			return r;
		/* Delegate what the host offers; a missing controller is not fatal. */
		util_path(p, sizeof p, "%s/cgroup.subtree_control", v2);
		util_write_str(p, "+pids +memory +cpu +io +cpuset", NULL);
		util_path(p, sizeof p, "%s/%s/cgroup.subtree_control", v2, ctx->instance);
		util_write_str(p, "+pids +memory +cpu +io +cpuset", NULL);
		if ((r = devfilter_attach(dir, err)) < 0) {
			cg_destroy(ctx, ctid);
			return r;
		}
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(v1_controllers); i++) {
		const char *ctl = v1_controllers[i];
		if (!v1_has(ctl))
			continue;
		cg_dir(ctx, ctl, ctid, dir, sizeof dir);
		int r = mk_parent_and_dir(dir, err);
		if (r == 0 && !strcmp(ctl, "devices"))
			r = v1_setup_devices(dir, err);
		if (r < 0) {
			cg_destroy(ctx, ctid);
			return r;
		}
	}
	return 0;
}

int cg_attach(const struct ct_ctx *ctx, unsigned ctid, pid_t pid, struct vireo_err *err)
{
	char dir[PATH_MAX], p[PATH_MAX], pidbuf[16];
	snprintf(pidbuf, sizeof pidbuf, "%d", (int)pid);
	if (cg_is_v2()) {
		cg_dir(ctx, NULL, ctid, dir, sizeof dir);
		util_path(p, sizeof p, "%s/cgroup.procs", dir);
		return util_write_str(p, pidbuf, err);
	}
	for (size_t i = 0; i < ARRAY_SIZE(v1_controllers); i++) {
		if (!v1_has(v1_controllers[i]))
			continue;
		cg_dir(ctx, v1_controllers[i], ctid, dir, sizeof dir);
		util_path(p, sizeof p, "%s/cgroup.procs", dir);
		int r = util_write_str(p, pidbuf, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static void rmdir_retry(const char *dir)
{
	/* A cgroup whose last task just exited can stay busy for a moment. */
	for (int i = 0; i < 50; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY)
			break;
		usleep(10000);
	}
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", dir);
	*strrchr(parent, '/') = '\0';
	rmdir(parent); /* the instance parent goes when its last container does */
}

void cg_destroy(const struct ct_ctx *ctx, unsigned ctid)
{
	char dir[PATH_MAX];
	if (cg_is_v2()) {
		cg_dir(ctx, NULL, ctid, dir, sizeof dir);
		if (access(dir, F_OK) == 0)
			rmdir_retry(dir);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(v1_controllers); i++) {
		cg_dir(ctx, v1_controllers[i], ctid, dir, sizeof dir);
		if (access(dir, F_OK) == 0)
			rmdir_retry(dir);
	}
}

long cg_nproc(const struct ct_ctx *ctx, unsigned ctid)
{
	char dir[PATH_MAX], p[PATH_MAX];
	if (cg_is_v2())
		cg_dir(ctx, NULL, ctid, dir, sizeof dir);
	else
		cg_dir(ctx, "pids", ctid, dir, sizeof dir);
	util_path(p, sizeof p, "%s/cgroup.procs", dir);
	char *text;
	if (util_read_file(p, 1 << 24, &text, NULL, NULL) < 0)
		return -1;
	long n = 0;
	for (char *c = text; *c; c++)
		n += *c == '\n';
	free(text);
	return n;
}

/* Open cgroup.procs of every hierarchy the container has, so a process can later be placed
 * there after its opener has left the host's mount namespace. Returns how many. */
int ct_cgroup_procs_fds(const struct ct_ctx *ctx, unsigned ctid, int *fds, size_t max,
			struct vireo_err *err);
int ct_cgroup_procs_fds(const struct ct_ctx *ctx, unsigned ctid, int *fds, size_t max,
			struct vireo_err *err)
{
	char dir[PATH_MAX], p[PATH_MAX];
	size_t n = 0;
	bool v2 = cg_is_v2();
	size_t count = v2 ? 1 : ARRAY_SIZE(v1_controllers);
	for (size_t i = 0; i < count && n < max; i++) {
		if (!v2 && !v1_has(v1_controllers[i]))
			continue;
		cg_dir(ctx, v2 ? NULL : v1_controllers[i], ctid, dir, sizeof dir);
		util_path(p, sizeof p, "%s/cgroup.procs", dir);
		int fd = open(p, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			while (n)
				close(fds[--n]);
			return verr_sys(err, e, "cannot open %s", p);
		}
		fds[n++] = fd;
	}
	return (int)n;
}
