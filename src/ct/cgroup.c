/* ct/cgroup: one cgroup per container under an instance-named parent, on cgroup v1 (one
 * hierarchy per controller) or v2 (the unified hierarchy). Touches only
 * /sys/fs/cgroup/.../<instance>/<ctid>. Resource limits and counters are the back ends'
 * (cgroup-v1.c, cgroup-v2.c); this file picks one. Device rules are enforced on v1 with the devices
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

/* Device nodes a container may open: null zero full random urandom tty ptmx pts. The host's
 * console (5:1) is not among them: the container's /dev/console is a pty (136:N). */
static const char *const dev_allow[] = { "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
					 "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm" };

#define V1_MAX 16

/* Every cgroup v1 hierarchy mounted on the host, with its super options ("cpu", "pids",
 * "name=systemd"...). A container joins all of them: a hierarchy it is left out of would have
 * its cgroup namespace rooted at the host's root cgroup there. */
struct v1_list {
	size_t n;
	char path[V1_MAX][128];
	char opts[V1_MAX][128];
};

static void v1_scan(struct v1_list *l)
{
	l->n = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	char line[1024];
	while (l->n < V1_MAX && fgets(line, sizeof line, f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS */
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		char fstype[32], src[64], super[256], mp[256];
		/* A hybrid host's controller-less v2 hierarchy ("unified") too: left at its root
		 * there, a container's checkpoint would take the whole hierarchy along (criu.c). */
		if (sscanf(sep + 3, "%31s %63s %255s", fstype, src, super) != 3 ||
		    (strcmp(fstype, "cgroup") && strcmp(fstype, "cgroup2")))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %255s", mp) != 1 || strlen(mp) >= 128)
			continue;
		bool dup = false;
		for (size_t i = 0; i < l->n; i++)
			dup |= !strcmp(l->path[i], mp);
		if (dup)
			continue;
		snprintf(l->path[l->n], sizeof l->path[0], "%s", mp);
		snprintf(l->opts[l->n], sizeof l->opts[0], "%s", super);
		l->n++;
	}
	fclose(f);
}

static bool v1_opt(const struct v1_list *l, size_t i, const char *ctl)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", l->opts[i]);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, ctl))
			return true;
	return false;
}

/* A cpuset cgroup starts with no CPUs and no memory nodes: copy its parent's. */
static int v1_cpuset_init(const char *dir, struct vireo_err *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char parent[PATH_MAX], p[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", dir);
	*strrchr(parent, '/') = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *val = NULL;
		util_path(p, sizeof p, "%s/%s", parent, files[i]);
		if (util_read_file(p, 4096, &val, NULL, err) < 0)
			return -EIO;
		util_path(p, sizeof p, "%s/%s", dir, files[i]);
		char *cur = NULL;
		if (util_read_file(p, 4096, &cur, NULL, NULL) == 0 && cur[0] != '\n' && cur[0]) {
			free(cur);
			free(val);
			continue;
		}
		free(cur);
		int r = util_write_str(p, val, err);
		free(val);
		if (r < 0)
			return r;
	}
	return 0;
}

int devfilter_attach(const char *cgroup_dir, struct vireo_err *err);

static bool is_cgroup2(const char *path)
{
	struct statfs sf;
	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* The cgroup v2 hierarchy Vireo uses, or NULL on a v1 host. A pure v2 host mounts it at
 * /sys/fs/cgroup. A "hybrid" host also has an (often controller-less) v2 hierarchy at
 * /sys/fs/cgroup/unified; VIREO_CGROUP=v2 selects it, so the v2 back end runs for real there. */
const char *cg_v2_root(void)
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

/* The container's cgroup in the v1 hierarchy mounted at mp, or in the v2 hierarchy (mp NULL). */
static void cg_dir(const struct ct_ctx *ctx, const char *mp, unsigned ctid, char *buf,
		   size_t size)
{
	if (mp)
		util_path(buf, size, "%s/%s/%u", mp, ctx->instance, ctid);
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
	struct v1_list l;
	v1_scan(&l);
	for (size_t i = 0; i < l.n; i++) {
		cg_dir(ctx, l.path[i], ctid, dir, sizeof dir);
		int r = mk_parent_and_dir(dir, err);
		if (r == 0 && v1_opt(&l, i, "cpuset")) {
			char parent[PATH_MAX];
			snprintf(parent, sizeof parent, "%s", dir);
			*strrchr(parent, '/') = '\0';
			r = v1_cpuset_init(parent, err);
			if (r == 0)
				r = v1_cpuset_init(dir, err);
		}
		if (r == 0 && v1_opt(&l, i, "devices"))
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
	struct v1_list l;
	v1_scan(&l);
	for (size_t i = 0; i < l.n; i++) {
		cg_dir(ctx, l.path[i], ctid, dir, sizeof dir);
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
	struct v1_list l;
	v1_scan(&l);
	for (size_t i = 0; i < l.n; i++) {
		cg_dir(ctx, l.path[i], ctid, dir, sizeof dir);
		if (access(dir, F_OK) == 0)
			rmdir_retry(dir);
	}
}

long cg_nproc(const struct ct_ctx *ctx, unsigned ctid)
{
	char dir[PATH_MAX], p[PATH_MAX];
	if (cg_is_v2()) {
		cg_dir(ctx, NULL, ctid, dir, sizeof dir);
	} else {
		struct v1_list l;
		v1_scan(&l);
		size_t i = 0;
		while (i < l.n && !v1_opt(&l, i, "pids"))
			i++;
		if (i == l.n)
			return -1;
		cg_dir(ctx, l.path[i], ctid, dir, sizeof dir);
	}
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
	struct v1_list l;
	bool v2 = cg_is_v2();
	if (!v2)
		v1_scan(&l);
	size_t count = v2 ? 1 : l.n;
	for (size_t i = 0; i < count && n < max; i++) {
		cg_dir(ctx, v2 ? NULL : l.path[i], ctid, dir, sizeof dir);
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

int cg_controller_dir(const struct ct_ctx *ctx, unsigned ctid, const char *controller,
		      char *buf, size_t size)
{
	if (cg_is_v2()) {
		cg_dir(ctx, NULL, ctid, buf, size);
		return 1;
	}
	struct v1_list l;
	v1_scan(&l);
	for (size_t i = 0; i < l.n; i++)
		if (v1_opt(&l, i, controller)) {
			cg_dir(ctx, l.path[i], ctid, buf, size);
			return 0;
		}
	return -ENOENT;
}

/* Limits go to the back end of the hierarchy in use (cgroup-v1.c, cgroup-v2.c). */
int cg_check_limits(const struct ct_ctx *ctx, const struct ct_limits *l, struct vireo_err *err)
{
	return cg_is_v2() ? cgv2_check(ctx, l, err) : cgv1_check(ctx, l, err);
}

int cg_apply_limits(const struct ct_ctx *ctx, unsigned ctid, const struct ct_limits *l,
		    bool fresh, struct vireo_err *err)
{
	return cg_is_v2() ? cgv2_apply(ctx, ctid, l, fresh, err)
			  : cgv1_apply(ctx, ctid, l, fresh, err);
}

void cg_read_stats(const struct ct_ctx *ctx, unsigned ctid, struct cg_stats *s)
{
	memset(s, 0, sizeof *s);
	if (cg_is_v2())
		cgv2_stats(ctx, ctid, s);
	else
		cgv1_stats(ctx, ctid, s);
}
