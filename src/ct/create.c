/* ct/create: registering a container (create) and removing it (destroy), all or nothing.
 * create unpacks the template into a staging directory and writes the configuration to a
 * temporary file; two renames make it real, the configuration last, so a create killed at any
 * moment leaves no registered container, and its leftovers are swept by the next create or
 * destroy of that ID. Touches ROOT/{conf,private,root,run} entries of that ID only. */
#include "ct/ct-internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/parse.h"
#include "lib/util.h"

int ct_stop_running_locked(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err);

/* Remove what an interrupted create or destroy of ctid left behind. */
static int sweep(const struct ct_ctx *ctx, unsigned ctid, struct vireo_err *err)
{
	char dir[PATH_MAX], p[PATH_MAX], prefix[32];
	snprintf(prefix, sizeof prefix, ".%u.", ctid);
	static const char *const areas[] = { "private", "conf" };
	for (size_t a = 0; a < ARRAY_SIZE(areas); a++) {
		util_path(dir, sizeof dir, "%s/%s", ctx->root, areas[a]);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, prefix, strlen(prefix)))
				continue;
			util_path(p, sizeof p, "%s/%s", dir, de->d_name);
			int r = util_rm_rf(p, err);
			if (r < 0) {
				closedir(d);
				return r;
			}
		}
		closedir(d);
	}
	/* conf/ID.conf.tmp.PID files of an interrupted atomic write */
	util_path(dir, sizeof dir, "%s/conf", ctx->root);
	snprintf(prefix, sizeof prefix, "%u.conf.tmp.", ctid);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, prefix, strlen(prefix))) {
				util_path(p, sizeof p, "%s/%s", dir, de->d_name);
				unlink(p);
			}
		closedir(d);
	}
	ct_path(ctx, ctid, CT_PATH_CONF, p, sizeof p);
	if (access(p, F_OK) == 0)
		return 0; /* registered: its private area is real */
	ct_path(ctx, ctid, CT_PATH_PRIVATE, p, sizeof p);
	return util_rm_rf(p, err);
}

/* The lowest uid range no other container of this instance uses. */
static int alloc_uidbase(const struct ct_ctx *ctx, uint32_t *base, struct vireo_err *err)
{
	struct ct_info *list;
	size_t n;
	int r = ct_list(ctx, &list, &n, err);
	if (r < 0)
		return r;
	size_t nused = 0;
	uint32_t *used = calloc(n + 1, sizeof *used);
	if (!used) {
		free(list);
		return verr(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct ct_config cfg;
		if (ct_config_load(ctx, list[i].ctid, &cfg, NULL) == 0) {
			if (cfg.userns)
				used[nused++] = cfg.uidbase;
			ct_config_free(&cfg);
		}
	}
	free(list);
	for (uint32_t b = CT_UIDBASE_FIRST; b < 0xF0000000u; b += CT_UIDS) {
		bool taken = false;
		for (size_t i = 0; i < nused && !taken; i++)
			taken = used[i] == b;
		if (!taken) {
			free(used);
			*base = b;
			return 0;
		}
	}
	free(used);
	return verr(err, ENOSPC, "no free uid range for another container");
}

static int name_taken(const struct ct_ctx *ctx, const char *name, unsigned self,
		      struct vireo_err *err)
{
	struct ct_info *list;
	size_t n;
	int r = ct_list(ctx, &list, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (list[i].ctid != self && !strcmp(list[i].name, name)) {
			r = verr(err, EEXIST, "name '%s' is already used by container %u", name,
				 list[i].ctid);
			break;
		}
	free(list);
	return r;
}

int ct_create(const struct ct_ctx *ctx, unsigned ctid, const struct ct_create_opts *o,
	      struct vireo_err *err)
{
	const char *tmpl = o->ostemplate ? o->ostemplate : CT_DEFAULT_TEMPLATE;
	char tarball[PATH_MAX], conf_path[PATH_MAX], stage[PATH_MAX], priv[PATH_MAX];
	int r;
	if (o->hostname && (r = parse_hostname(o->hostname, err)) < 0)
		return r;
	if (o->name && (r = parse_ctname(o->name, err)) < 0)
		return r;
	if ((r = tmpl_path(ctx, tmpl, tarball, sizeof tarball, err)) < 0)
		return r;
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	int reg = -1;
	ct_path(ctx, ctid, CT_PATH_CONF, conf_path, sizeof conf_path);
	if (access(conf_path, F_OK) == 0) {
		r = verr(err, EEXIST, "container %u already exists", ctid);
		goto out;
	}
	if ((r = tmpl_ensure(ctx, tmpl, err)) < 0)
		goto out;
	if ((r = sweep(ctx, ctid, err)) < 0)
		goto out;
	/* IDs, names and uid ranges are handed out one create at a time. */
	if ((reg = ct_registry_lock(ctx, err)) < 0) {
		r = reg;
		goto out;
	}
	if (o->name && (r = name_taken(ctx, o->name, ctid, err)) < 0)
		goto out;
	struct ct_config cfg = { .ctid = ctid, .userns = o->userns != 0 };
	snprintf(cfg.ostemplate, sizeof cfg.ostemplate, "%s", tmpl);
	if (o->hostname)
		snprintf(cfg.hostname, sizeof cfg.hostname, "%s", o->hostname);
	if (o->name)
		snprintf(cfg.name, sizeof cfg.name, "%s", o->name);
	if (cfg.userns && (r = alloc_uidbase(ctx, &cfg.uidbase, err)) < 0)
		goto out;
	util_path(stage, sizeof stage, "%s/private/.%u.new", ctx->root, ctid);
	if (mkdir(stage, 0755) < 0) {
		r = verr_sys(err, errno, "cannot create %s", stage);
		goto out;
	}
	uint32_t shift = 0;
	if (cfg.userns) {
		const char *force = getenv("VIREO_IDMAP"); /* "shift" forces the fallback */
		bool idmap = !(force && !strcmp(force, "shift")) && userns_idmap_supported(stage);
		cfg.idmap = idmap ? CT_IDMAP_MOUNT : CT_IDMAP_SHIFT;
		shift = idmap ? 0 : cfg.uidbase;
	}
	if ((r = tmpl_extract(tarball, stage, shift, err)) < 0) {
		verr_wrap(err, "cannot create container %u from template %s", ctid, tmpl);
		util_rm_rf(stage, NULL);
		goto out;
	}
	if ((o->diskspace || o->diskinodes) &&
	    (r = quota_create_stage(ctx, &cfg, stage, o->diskspace, o->diskinodes, err)) < 0) {
		util_rm_rf(stage, NULL);
		ct_config_free(&cfg);
		goto out;
	}
	ct_path(ctx, ctid, CT_PATH_PRIVATE, priv, sizeof priv);
	if (rename(stage, priv) < 0) {
		r = verr_sys(err, errno, "cannot move %s to %s", stage, priv);
		util_rm_rf(stage, NULL);
		ct_config_free(&cfg);
		goto out;
	}
	/* The configuration appears last: this rename is the moment the container exists. */
	r = ct_config_save(ctx, &cfg, err);
	ct_config_free(&cfg);
	if (r < 0)
		util_rm_rf(priv, NULL);
out:
	lock_drop(reg);
	ct_unlock(ctx, ctid, lockfd); /* a failed create leaves not even its lock file */
	return r;
}

int ct_destroy(const struct ct_ctx *ctx, unsigned ctid, bool force, struct vireo_err *err)
{
	char p[PATH_MAX], gone[PATH_MAX];
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	struct ct_config cfg;
	int r = ct_config_load(ctx, ctid, &cfg, err);
	if (r < 0 && r != -ENOENT) {
		/* A corrupted configuration must not make a container impossible to remove. */
		ct_path(ctx, ctid, CT_PATH_CONF, p, sizeof p);
		if (access(p, F_OK) == 0)
			r = 0;
	} else if (r == 0) {
		ct_config_free(&cfg);
	} else {
		/* Not registered, but a create killed midway may have left files: sweep them. */
		sweep(ctx, ctid, NULL);
	}
	if (r < 0)
		goto out;
	if (ct_is_running(ctx, ctid)) {
		if (!force) {
			r = verr(err, EBUSY, "container %u is running: stop it first or use --force",
				 ctid);
			goto out;
		}
		if ((r = ct_stop_running_locked(ctx, ctid, err)) < 0)
			goto out;
	}
	/* No loop device may outlive the disk image (quota.c). */
	if ((r = quota_release(ctx, ctid, err)) < 0)
		goto out;
	/* Unregister first; then the files can go at leisure. */
	ct_path(ctx, ctid, CT_PATH_CONF, p, sizeof p);
	util_path(gone, sizeof gone, "%s/conf/.%u.destroyed", ctx->root, ctid);
	if (rename(p, gone) < 0) {
		r = verr_sys(err, errno, "cannot unregister container %u", ctid);
		goto out;
	}
	if ((r = sweep(ctx, ctid, err)) < 0)
		goto out;
	ct_path(ctx, ctid, CT_PATH_RUN, p, sizeof p);
	util_rm_rf(p, NULL);
	util_path(p, sizeof p, "%s/dump/%u", ctx->root, ctid); /* its checkpoint, if suspended */
	util_rm_rf(p, NULL);
	/* CRIU's last logs, and spent checkpoints still being removed (chkpnt.c rm_later). */
	char pre[32];
	snprintf(pre, sizeof pre, ".%u.spent.", ctid);
	util_path(p, sizeof p, "%s/dump", ctx->root);
	DIR *d = opendir(p);
	for (struct dirent *de; d && (de = readdir(d));) {
		char n1[32], n2[32], q[PATH_MAX];
		snprintf(n1, sizeof n1, "%u.restore.log", ctid);
		snprintf(n2, sizeof n2, "%u.failed.log", ctid);
		if (strcmp(de->d_name, n1) && strcmp(de->d_name, n2) &&
		    strncmp(de->d_name, pre, strlen(pre)))
			continue;
		util_path(q, sizeof q, "%s/%s", p, de->d_name);
		util_rm_rf(q, NULL);
	}
	if (d)
		closedir(d);
	ct_path(ctx, ctid, CT_PATH_ROOT, p, sizeof p);
	rmdir(p);
	ct_path(ctx, ctid, CT_PATH_LOCK, p, sizeof p);
	unlink(p); /* waiters notice the lock file changed and start over */
	ct_net_destroy(ctx);
out:
	ct_unlock(ctx, ctid, lockfd);
	return r;
}
