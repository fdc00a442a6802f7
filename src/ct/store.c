/* ct/store: where a container's files live under the instance root, its configuration file,
 * its locks and the runtime state its supervisor writes. Reads and writes only below
 * ctx->root (and /proc to check a pid). */
#include "ct/ct-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/parse.h"
#include "lib/util.h"

#define DEFAULT_ROOT "/var/lib/vireo"

/* FNV-1a: a stable short tag for an instance root. */
static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int ct_ctx_init(struct ct_ctx *ctx, struct vireo_err *err)
{
	const char *root = getenv("VIREO_ROOT");
	if (!root || !*root)
		root = DEFAULT_ROOT;
	if (root[0] != '/')
		return verr(err, EINVAL, "VIREO_ROOT must be an absolute path, not '%s'", root);
	if (strlen(root) >= sizeof ctx->root - 64)
		return verr(err, ENAMETOOLONG, "VIREO_ROOT is too long");
	snprintf(ctx->root, sizeof ctx->root, "%s", root);
	ctx->migrating = 0;
	size_t n = strlen(ctx->root);
	while (n > 1 && ctx->root[n - 1] == '/')
		ctx->root[--n] = '\0';
	if (!strcmp(ctx->root, DEFAULT_ROOT))
		snprintf(ctx->instance, sizeof ctx->instance, "vireo");
	else
		snprintf(ctx->instance, sizeof ctx->instance, "vireo-%08x", hash_str(ctx->root));
	static const char *dirs[] = { "conf", "private", "root", "run", "templates", "dump" };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char p[PATH_MAX];
		util_path(p, sizeof p, "%s/%s", ctx->root, dirs[i]);
		if (access(p, F_OK) == 0)
			continue;
		int r = util_mkdir_p(p, 0700, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int ct_path(const struct ct_ctx *ctx, unsigned ctid, enum ct_path_kind kind, char *buf,
	    size_t size)
{
	switch (kind) {
	case CT_PATH_CONF: return util_path(buf, size, "%s/conf/%u.conf", ctx->root, ctid);
	case CT_PATH_PRIVATE: return util_path(buf, size, "%s/private/%u", ctx->root, ctid);
	case CT_PATH_ROOT: return util_path(buf, size, "%s/root/%u", ctx->root, ctid);
	case CT_PATH_RUN: return util_path(buf, size, "%s/run/%u", ctx->root, ctid);
	case CT_PATH_LOCK: return util_path(buf, size, "%s/run/%u.lock", ctx->root, ctid);
	case CT_PATH_STATE: return util_path(buf, size, "%s/run/%u/state", ctx->root, ctid);
	case CT_PATH_RUNNING: return util_path(buf, size, "%s/run/%u/running", ctx->root, ctid);
	case CT_PATH_CONSOLE: return util_path(buf, size, "%s/run/%u/console.sock", ctx->root, ctid);
	}
	return -EINVAL;
}

int ct_resolve(const struct ct_ctx *ctx, const char *s, unsigned *ctid, struct vireo_err *err)
{
	if (s && s[0] >= '0' && s[0] <= '9')
		return parse_ctid(s, ctid, err);
	if (s && s[0] == '-' && s[1] >= '0' && s[1] <= '9')
		return parse_ctid(s, ctid, err);
	int r = parse_ctname(s, err);
	if (r < 0)
		return verr(err, EINVAL,
			    "invalid container ID or name '%.64s': an ID is a number from 1 to %u, "
			    "a name starts with a letter",
			    s ? s : "", CTID_MAX);
	struct ct_info *list;
	size_t n;
	r = ct_list(ctx, &list, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(list[i].name, s)) {
			*ctid = list[i].ctid;
			free(list);
			return 0;
		}
	}
	free(list);
	return verr(err, ENOENT, "no container is named '%s'", s);
}

static int bad_value(struct vireo_err *err, const char *path, const char *key, const char *val)
{
	return verr(err, EINVAL, "%s: invalid %s=\"%.64s\"", path, key, val);
}

int ct_config_load(const struct ct_ctx *ctx, unsigned ctid, struct ct_config *cfg,
		   struct vireo_err *err)
{
	char path[PATH_MAX];
	memset(cfg, 0, sizeof *cfg);
	cfg->ctid = ctid;
	ct_path(ctx, ctid, CT_PATH_CONF, path, sizeof path);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return verr(err, ENOENT, "container %u does not exist", ctid);
	int r = conf_load(&cfg->raw, path, err);
	if (r < 0)
		return r;
	const char *v;
	if ((v = conf_get(&cfg->raw, "NAME")) && *v) {
		if (parse_ctname(v, NULL) < 0)
			goto bad_name;
		snprintf(cfg->name, sizeof cfg->name, "%s", v);
	}
	if ((v = conf_get(&cfg->raw, "HOSTNAME")) && *v) {
		if (parse_hostname(v, NULL) < 0) {
			r = bad_value(err, path, "HOSTNAME", v);
			goto fail;
		}
		snprintf(cfg->hostname, sizeof cfg->hostname, "%s", v);
	}
	v = conf_get(&cfg->raw, "OSTEMPLATE");
	if (!v || strlen(v) >= sizeof cfg->ostemplate) {
		r = v ? bad_value(err, path, "OSTEMPLATE", v)
		      : verr(err, EINVAL, "%s: corrupted (no OSTEMPLATE)", path);
		goto fail;
	}
	snprintf(cfg->ostemplate, sizeof cfg->ostemplate, "%s", v);
	v = conf_get(&cfg->raw, "USERNS");
	if (!v || parse_yesno(v, &cfg->userns, "USERNS", NULL) < 0) {
		r = v ? bad_value(err, path, "USERNS", v)
		      : verr(err, EINVAL, "%s: corrupted (no USERNS)", path);
		goto fail;
	}
	v = conf_get(&cfg->raw, "ONBOOT");
	if (v && parse_yesno(v, &cfg->onboot, "ONBOOT", NULL) < 0) {
		r = bad_value(err, path, "ONBOOT", v);
		goto fail;
	}
	if (cfg->userns) {
		uint64_t base;
		v = conf_get(&cfg->raw, "UIDBASE");
		if (!v || parse_u64(v, CT_UIDBASE_FIRST, 0xF0000000u, &base, "UIDBASE", NULL) < 0 ||
		    base % CT_UIDS) {
			r = v ? bad_value(err, path, "UIDBASE", v)
			      : verr(err, EINVAL, "%s: corrupted (no UIDBASE)", path);
			goto fail;
		}
		cfg->uidbase = (uint32_t)base;
		v = conf_get(&cfg->raw, "IDMAP");
		if (v && !strcmp(v, "mount"))
			cfg->idmap = CT_IDMAP_MOUNT;
		else if (v && !strcmp(v, "shift"))
			cfg->idmap = CT_IDMAP_SHIFT;
		else {
			r = v ? bad_value(err, path, "IDMAP", v)
			      : verr(err, EINVAL, "%s: corrupted (no IDMAP)", path);
			goto fail;
		}
	}
	return 0;
bad_name:
	r = bad_value(err, path, "NAME", v);
fail:
	conf_free(&cfg->raw);
	return r;
}

int ct_config_save(const struct ct_ctx *ctx, struct ct_config *cfg, struct vireo_err *err)
{
	char path[PATH_MAX], buf[32];
	struct conf *c = &cfg->raw;
	int r = 0;
	r |= conf_set(c, "OSTEMPLATE", cfg->ostemplate);
	r |= conf_set(c, "NAME", cfg->name[0] ? cfg->name : NULL);
	r |= conf_set(c, "HOSTNAME", cfg->hostname[0] ? cfg->hostname : NULL);
	r |= conf_set(c, "ONBOOT", cfg->onboot ? "yes" : "no");
	r |= conf_set(c, "USERNS", cfg->userns ? "yes" : "no");
	snprintf(buf, sizeof buf, "%u", cfg->uidbase);
	r |= conf_set(c, "UIDBASE", cfg->userns ? buf : NULL);
	r |= conf_set(c, "IDMAP", !cfg->userns ? NULL :
				  cfg->idmap == CT_IDMAP_MOUNT ? "mount" : "shift");
	ct_path(ctx, cfg->ctid, CT_PATH_PRIVATE, path, sizeof path);
	r |= conf_set(c, "VE_PRIVATE", path);
	ct_path(ctx, cfg->ctid, CT_PATH_ROOT, path, sizeof path);
	r |= conf_set(c, "VE_ROOT", path);
	if (r)
		return verr(err, ENOMEM, "out of memory");
	ct_path(ctx, cfg->ctid, CT_PATH_CONF, path, sizeof path);
	return conf_save(c, path, err);
}

void ct_config_free(struct ct_config *cfg)
{
	conf_free(&cfg->raw);
}

int ct_lock(const struct ct_ctx *ctx, unsigned ctid, bool exclusive, struct vireo_err *err)
{
	char path[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_LOCK, path, sizeof path);
	int fd = lock_take(path, exclusive, false, err);
	/* A migration holds its own lock for its whole length (migrate.c): commands that change
	 * the container are refused meanwhile; exec and enter may still run. */
	if (fd >= 0 && exclusive && ctx->migrating != ctid && ct_migration_held(ctx, ctid)) {
		ct_unlock(ctx, ctid, fd);
		return verr(err, EBUSY, "container %u is being migrated; try again when that is done",
			    ctid);
	}
	return fd;
}

void ct_unlock(const struct ct_ctx *ctx, unsigned ctid, int lockfd)
{
	char path[PATH_MAX];
	if (lockfd < 0)
		return;
	ct_path(ctx, ctid, CT_PATH_CONF, path, sizeof path);
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		/* Safe while we hold it exclusively: waiters notice the file changed and start
		 * over (lib/lock.c). */
		ct_path(ctx, ctid, CT_PATH_LOCK, path, sizeof path);
		unlink(path);
	}
	lock_drop(lockfd);
}

int ct_registry_lock(const struct ct_ctx *ctx, struct vireo_err *err)
{
	char path[PATH_MAX];
	util_path(path, sizeof path, "%s/run/registry.lock", ctx->root);
	return lock_take(path, true, false, err);
}

bool ct_is_running(const struct ct_ctx *ctx, unsigned ctid)
{
	char path[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_RUNNING, path, sizeof path);
	return lock_is_held(path);
}

int ct_runstate_load(const struct ct_ctx *ctx, unsigned ctid, struct ct_runstate *rs,
		     struct vireo_err *err)
{
	char path[PATH_MAX];
	struct conf c;
	memset(rs, 0, sizeof *rs);
	ct_path(ctx, ctid, CT_PATH_STATE, path, sizeof path);
	if (!ct_is_running(ctx, ctid) || access(path, F_OK) < 0)
		return verr(err, ESRCH, "container %u is not running", ctid);
	int r = conf_load(&c, path, err);
	if (r < 0)
		return r;
	const char *sp = conf_get(&c, "SUPERVISOR_PID"), *ip = conf_get(&c, "INIT_PID"),
		   *is = conf_get(&c, "INIT_START");
	uint64_t a, b, s;
	if (!sp || !ip || !is || parse_u64(sp, 1, 1u << 22, &a, "pid", NULL) < 0 ||
	    parse_u64(ip, 1, 1u << 22, &b, "pid", NULL) < 0 ||
	    parse_u64(is, 0, UINT64_MAX, &s, "start time", NULL) < 0) {
		conf_free(&c);
		return verr(err, EINVAL, "%s: corrupted runtime state", path);
	}
	conf_free(&c);
	rs->supervisor_pid = (pid_t)a;
	rs->init_pid = (pid_t)b;
	rs->init_start = s;
	return 0;
}

int ct_init_pidfd(const struct ct_ctx *ctx, unsigned ctid, struct ct_runstate *rs,
		  struct vireo_err *err)
{
	int r = ct_runstate_load(ctx, ctid, rs, err);
	if (r < 0)
		return r;
	int fd = (int)syscall(SYS_pidfd_open, rs->init_pid, 0);
	if (fd < 0)
		return verr(err, ESRCH, "container %u is not running", ctid);
	/* The pidfd pins the process: if it is still the one we started, it stays so. */
	if (util_proc_starttime(rs->init_pid) != rs->init_start) {
		close(fd);
		return verr(err, ESRCH, "container %u is not running", ctid);
	}
	return fd;
}

int ct_open_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

static int cmp_info(const void *a, const void *b)
{
	const struct ct_info *x = a, *y = b;
	return x->ctid < y->ctid ? -1 : x->ctid > y->ctid;
}

static void info_fill(const struct ct_ctx *ctx, const struct ct_config *cfg, struct ct_info *in)
{
	memset(in, 0, sizeof *in);
	in->ctid = cfg->ctid;
	snprintf(in->name, sizeof in->name, "%s", cfg->name);
	snprintf(in->hostname, sizeof in->hostname, "%s", cfg->hostname);
	snprintf(in->ostemplate, sizeof in->ostemplate, "%s", cfg->ostemplate);
	in->onboot = cfg->onboot;
	in->userns = cfg->userns;
	ct_path(ctx, cfg->ctid, CT_PATH_PRIVATE, in->private_path, sizeof in->private_path);
	ct_path(ctx, cfg->ctid, CT_PATH_ROOT, in->root_path, sizeof in->root_path);
	in->state = ct_is_running(ctx, cfg->ctid)     ? CT_STATE_RUNNING
		    : ct_is_suspended(ctx, cfg->ctid) ? CT_STATE_SUSPENDED
						      : CT_STATE_STOPPED;
	ct_net_list_ip(ctx, cfg, in->state == CT_STATE_RUNNING, in->ip, sizeof in->ip);
	in->nproc = in->state == CT_STATE_RUNNING ? cg_nproc(ctx, cfg->ctid) : -1;
}

int ct_info_get(const struct ct_ctx *ctx, unsigned ctid, struct ct_info *info,
		struct vireo_err *err)
{
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0)
		return r;
	info_fill(ctx, &cfg, info);
	ct_config_free(&cfg);
	return 0;
}

int ct_list(const struct ct_ctx *ctx, struct ct_info **out, size_t *n, struct vireo_err *err)
{
	char dir[PATH_MAX];
	util_path(dir, sizeof dir, "%s/conf", ctx->root);
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : verr_sys(err, errno, "cannot read %s", dir);
	size_t cap = 0;
	struct ct_info *list = NULL;
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d))) {
		char idbuf[16];
		const char *dot = strchr(de->d_name, '.');
		size_t len = dot ? (size_t)(dot - de->d_name) : 0;
		if (!dot || strcmp(dot, ".conf") || len == 0 || len >= sizeof idbuf)
			continue;
		memcpy(idbuf, de->d_name, len);
		idbuf[len] = '\0';
		unsigned ctid;
		if (parse_ctid(idbuf, &ctid, NULL) < 0)
			continue;
		struct ct_config cfg;
		struct vireo_err e2;
		if (ct_config_load(ctx, ctid, &cfg, &e2) < 0) {
			/* A corrupted file still names a container: list it with what we know. */
			memset(&cfg, 0, sizeof cfg);
			cfg.ctid = ctid;
			snprintf(cfg.ostemplate, sizeof cfg.ostemplate, "?");
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct ct_info *nl = realloc(list, cap * sizeof *nl);
			if (!nl) {
				ct_config_free(&cfg);
				r = verr(err, ENOMEM, "out of memory");
				break;
			}
			list = nl;
		}
		info_fill(ctx, &cfg, &list[(*n)++]);
		ct_config_free(&cfg);
	}
	closedir(d);
	if (r < 0) {
		free(list);
		*n = 0;
		return r;
	}
	if (*n > 1)
		qsort(list, *n, sizeof *list, cmp_info);
	*out = list;
	return 0;
}
