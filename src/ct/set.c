/* ct/set: changing a container's settings: host name (applied to a running container's UTS
 * namespace at once, kept with --save), resource limits (limits.c; likewise), start at boot,
 * the network (netcfg.c), and user passwords, which land in the container's own /etc/shadow
 * only. Files inside a container are reached with openat2's
 * RESOLVE_IN_ROOT, so a symlink planted inside can never steer a write to the host. */
#include "ct/ct-internal.h"

#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/parse.h"
#include "lib/util.h"

#define ETC_MAX (4u << 20)

static int read_in(int etcfd, const char *name, char **text, struct stat *st,
		   struct vireo_err *err)
{
	int fd = openat(etcfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			*text = strdup("");
			memset(st, 0, sizeof *st);
			st->st_mode = 0;
			return *text ? 0 : verr(err, ENOMEM, "out of memory");
		}
		return verr_sys(err, errno, "cannot open /etc/%s in the container", name);
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return verr(err, EINVAL, "/etc/%s in the container is not a regular file", name);
	}
	close(fd);
	return util_read_fileat(etcfd, name, ETC_MAX, text, NULL, err);
}

/* Replace /etc/NAME atomically, keeping the old owner and mode (or using those given). */
static int write_in(int etcfd, const char *name, const char *text, const struct stat *old,
		    uid_t uid, gid_t gid, mode_t mode, struct vireo_err *err)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, ".%s.vireo-%d", name, (int)getpid());
	int fd = openat(etcfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return verr_sys(err, errno, "cannot write /etc/%s in the container", name);
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len;
	if (old->st_mode) {
		uid = old->st_uid;
		gid = old->st_gid;
		mode = old->st_mode & 07777;
	}
	ok = ok && fchown(fd, uid, gid) == 0 && fchmod(fd, mode) == 0 && fsync(fd) == 0;
	int e = errno;
	close(fd);
	if (!ok || renameat(etcfd, tmp, etcfd, name) < 0) {
		e = ok ? errno : e;
		unlinkat(etcfd, tmp, 0);
		return verr_sys(err, e, "cannot write /etc/%s in the container", name);
	}
	return 0;
}

int ct_etc_open(const struct ct_ctx *ctx, const struct ct_config *cfg, struct vireo_err *err)
{
	int rootfd = quota_private_open(ctx, cfg, err); /* the directory or its disk image */
	if (rootfd < 0)
		return rootfd;
	int etcfd = ct_open_in_root(rootfd, "/etc", O_RDONLY | O_DIRECTORY, 0);
	close(rootfd);
	if (etcfd < 0)
		return verr_sys(err, -etcfd, "container %u has no usable /etc", cfg->ctid);
	return etcfd;
}

int ct_etc_read(int etcfd, const char *name, char **text, struct stat *st, struct vireo_err *err)
{
	return read_in(etcfd, name, text, st, err);
}

int ct_etc_write(int etcfd, const char *name, const char *text, const struct stat *old,
		 uid_t uid, gid_t gid, mode_t mode, struct vireo_err *err)
{
	return write_in(etcfd, name, text, old, uid, gid, mode, err);
}

/* The line of text for user (name followed by ':'), or NULL. */
static char *find_line(char *text, const char *user)
{
	size_t n = strlen(user);
	for (char *l = text; l && *l;) {
		if (!strncmp(l, user, n) && l[n] == ':')
			return l;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return NULL;
}

static int valid_user(const char *u, size_t n)
{
	if (n == 0 || n > 32 || !(islower((unsigned char)u[0]) || u[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)u[i]) && !isdigit((unsigned char)u[i]) &&
		    !strchr("_-.", u[i]))
			return 0;
	return 1;
}

/* Replace the line starting at line (up to its newline) with repl; returns new text. */
static char *text_splice(const char *text, const char *line, const char *repl)
{
	const char *end = strchr(line, '\n');
	end = end ? end + 1 : line + strlen(line);
	size_t a = (size_t)(line - text), b = strlen(end);
	char *out = malloc(a + strlen(repl) + b + 2);
	if (!out)
		return NULL;
	memcpy(out, text, a);
	strcpy(out + a, repl);
	strcat(out, end);
	return out;
}

static char *text_append(const char *text, const char *line)
{
	size_t n = strlen(text);
	char *out = malloc(n + strlen(line) + 2);
	if (!out)
		return NULL;
	strcpy(out, text);
	if (n && text[n - 1] != '\n')
		strcat(out, "\n");
	strcat(out, line);
	return out;
}

static long next_uid(const char *passwd)
{
	long max = 999;
	for (const char *l = passwd; l && *l;) {
		const char *f = strchr(l, ':');
		if (f)
			f = strchr(f + 1, ':');
		if (f) {
			long u = strtol(f + 1, NULL, 10);
			if (u > max && u < 60000)
				max = u;
		}
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return max + 1;
}

static int set_password(const struct ct_ctx *ctx, const struct ct_config *cfg,
			const char *spec, struct vireo_err *err)
{
	const char *colon = strchr(spec, ':');
	if (!colon || !valid_user(spec, (size_t)(colon - spec)))
		return verr(err, EINVAL, "invalid --userpasswd '%.40s': expected USER:PASSWORD", spec);
	const char *pw = colon + 1;
	if (!*pw || strchr(pw, '\n'))
		return verr(err, EINVAL, "invalid --userpasswd: the password is empty or has a newline");
	char user[40];
	snprintf(user, sizeof user, "%.*s", (int)(colon - spec), spec);

	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!crypt_gensalt_rn("$6$", 0, NULL, 0, salt, sizeof salt))
		return verr_sys(err, errno, "cannot make a password salt");
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *hash = crypt_r(pw, salt, &cd);
	if (!hash || hash[0] == '*')
		return verr(err, EINVAL, "cannot hash the password");

	int etcfd = ct_etc_open(ctx, cfg, err);
	if (etcfd < 0)
		return etcfd;
	/* On-disk owner of a file that root inside owns. */
	uid_t root_disk = cfg->userns && cfg->idmap == CT_IDMAP_SHIFT ? cfg->uidbase : 0;
	char *passwd = NULL, *shadow = NULL, *group = NULL, *out = NULL, line[512];
	struct stat pst, sst, gst;
	int r;
	if ((r = read_in(etcfd, "passwd", &passwd, &pst, err)) < 0 ||
	    (r = read_in(etcfd, "shadow", &shadow, &sst, err)) < 0 ||
	    (r = read_in(etcfd, "group", &group, &gst, err)) < 0)
		goto out;
	if (!find_line(passwd, user)) {
		/* As vzctl does, a missing user is created. */
		long uid = next_uid(passwd);
		snprintf(line, sizeof line, "%s:x:%ld:%ld::/home/%s:/bin/sh\n", user, uid, uid, user);
		if (!(out = text_append(passwd, line))) {
			r = verr(err, ENOMEM, "out of memory");
			goto out;
		}
		if ((r = write_in(etcfd, "passwd", out, &pst, root_disk, root_disk, 0644, err)) < 0)
			goto out;
		free(out);
		out = NULL;
		if (!find_line(group, user)) {
			snprintf(line, sizeof line, "%s:x:%ld:\n", user, uid);
			if (!(out = text_append(group, line))) {
				r = verr(err, ENOMEM, "out of memory");
				goto out;
			}
			if ((r = write_in(etcfd, "group", out, &gst, root_disk, root_disk, 0644,
					  err)) < 0)
				goto out;
			free(out);
			out = NULL;
		}
	}
	long days = (long)(time(NULL) / 86400);
	snprintf(line, sizeof line, "%s:%s:%ld:0:99999:7:::\n", user, hash, days);
	char *old = find_line(shadow, user);
	out = old ? text_splice(shadow, old, line) : text_append(shadow, line);
	if (!out) {
		r = verr(err, ENOMEM, "out of memory");
		goto out;
	}
	r = write_in(etcfd, "shadow", out, &sst, root_disk, root_disk, 0600, err);
out:
	free(passwd);
	free(shadow);
	free(group);
	free(out);
	close(etcfd);
	return r;
}

static int write_hostname_file(const struct ct_ctx *ctx, const struct ct_config *cfg,
			       struct vireo_err *err)
{
	char text[80];
	int rootfd = quota_private_open(ctx, cfg, err);
	if (rootfd < 0)
		return rootfd;
	int etcfd = ct_open_in_root(rootfd, "/etc", O_RDONLY | O_DIRECTORY, 0);
	close(rootfd);
	if (etcfd < 0)
		return 0; /* no /etc: nothing to keep in step */
	uid_t root_disk = cfg->userns && cfg->idmap == CT_IDMAP_SHIFT ? cfg->uidbase : 0;
	struct stat st;
	char *old;
	int r = read_in(etcfd, "hostname", &old, &st, err);
	if (r == 0) {
		free(old);
		snprintf(text, sizeof text, "%s\n", cfg->hostname);
		r = write_in(etcfd, "hostname", text, &st, root_disk, root_disk, 0644, err);
	}
	close(etcfd);
	return r;
}

/* Set the host name of a running container from a child that joins only its UTS namespace. */
static int apply_hostname(const struct ct_ctx *ctx, unsigned ctid, const char *name,
			  struct vireo_err *err)
{
	struct ct_runstate rs;
	int pidfd = ct_init_pidfd(ctx, ctid, &rs, err);
	if (pidfd < 0)
		return pidfd;
	pid_t pid = fork();
	if (pid == 0) {
		if (setns(pidfd, CLONE_NEWUTS) < 0 || sethostname(name, strlen(name)) < 0)
			_exit(1);
		_exit(0);
	}
	close(pidfd);
	int st = 1;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || st != 0)
		return verr(err, EIO, "cannot set the host name of container %u", ctid);
	return 0;
}

int ct_set(const struct ct_ctx *ctx, unsigned ctid, const struct ct_set_opts *o,
	   struct vireo_err *err)
{
	int r;
	if (o->hostname && (r = parse_hostname(o->hostname, err)) < 0)
		return r;
	bool net = ct_net_opts_any(&o->net);
	if (net && (r = ct_net_check_opts(&o->net, err)) < 0)
		return r;
	bool lim = limits_given(&o->limits);
	if (!o->hostname && !o->userpasswd && o->onboot < 0 && !o->diskspace && !o->diskinodes &&
	    !net && !lim)
		return verr(err, EINVAL, "set: nothing to change (see vireo set --help)");
	int lockfd = ct_lock(ctx, ctid, true, err);
	if (lockfd < 0)
		return lockfd;
	struct ct_config cfg;
	if ((r = ct_config_load(ctx, ctid, &cfg, err)) < 0)
		goto out_lock;
	bool running = ct_is_running(ctx, ctid);
	if (!o->save && !running && (o->hostname || o->onboot >= 0 || net || lim)) {
		r = verr(err, EINVAL,
			 "container %u is not running: add --save to change its configuration", ctid);
		goto out;
	}
	if (o->onboot >= 0 && !o->save) {
		r = verr(err, EINVAL, "--onboot changes the configuration: add --save");
		goto out;
	}
	/* Limits are checked in full before anything changes. */
	struct ct_limits old_lim, new_lim, saved_lim;
	if (lim && ((r = limits_effective(ctx, &cfg, &old_lim, err)) < 0 ||
		    (r = limits_prepare(ctx, &cfg, &old_lim, &o->limits, &new_lim, err)) < 0 ||
		    (o->save && (r = limits_prepare(ctx, &cfg, NULL, &o->limits, &saved_lim, err)) < 0)))
		goto out;
	/* Then the network: it checks everything before it changes anything. */
	if (net && (r = ct_net_set(ctx, &cfg, &o->net, running, o->save, err)) < 0)
		goto out;
	/* Disk limits change the image itself: applied at once and always kept (quota.c). */
	if ((o->diskspace || o->diskinodes) &&
	    (r = quota_set(ctx, &cfg, o->diskspace, o->diskinodes, running, err)) < 0)
		goto out;
	if (o->userpasswd && (r = set_password(ctx, &cfg, o->userpasswd, err)) < 0)
		goto out;
	if (lim && running && (r = limits_apply_live(ctx, ctid, &old_lim, &new_lim, err)) < 0)
		goto out;
	if (o->hostname && running && (r = apply_hostname(ctx, ctid, o->hostname, err)) < 0)
		goto out;
	if (o->save && (o->hostname || o->onboot >= 0 || net || lim)) {
		if (o->hostname)
			snprintf(cfg.hostname, sizeof cfg.hostname, "%s", o->hostname);
		if (o->onboot >= 0)
			cfg.onboot = o->onboot;
		if (lim && limits_store(&cfg.raw, &saved_lim) < 0) {
			r = verr(err, ENOMEM, "out of memory");
			goto out;
		}
		if ((r = ct_config_save(ctx, &cfg, err)) < 0)
			goto out;
		if (o->hostname)
			r = write_hostname_file(ctx, &cfg, err);
	}
out:
	ct_config_free(&cfg);
out_lock:
	ct_unlock(ctx, ctid, lockfd);
	return r;
}
