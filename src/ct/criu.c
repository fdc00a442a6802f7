/* ct/criu: the CRIU glue. Dumps a running container's whole process tree (every namespace it
 * has, files, pipes, sockets, cgroup properties) into an image directory, and restores it as
 * a child of the calling process (a new supervisor), through libcriu, which runs the CRIU
 * 4.1.1 that scripts/install-criu builds as `criu swrk` (VIREO_CRIU overrides its path).
 * What lies outside the container is named to CRIU as external: the console (a host pty) and
 * the host device files bound into its /dev and over masked /proc files; restore maps them to
 * the new supervisor's console and the same host files. Touches only the image directory and,
 * through CRIU, the container's processes and cgroups. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/util.h"

#ifdef VIREO_HAVE_CRIU
#include <criu.h>

const char *cr_binary(void)
{
	const char *b = getenv("VIREO_CRIU");
	return b && *b ? b : VIREO_CRIU_DIR "/criu";
}

/* The last error line CRIU wrote to its log, for the message. */
static void log_tail(int imgfd, const char *log, char *out, size_t size)
{
	char *text = NULL;
	out[0] = '\0';
	if (util_read_fileat(imgfd, log, 1 << 24, &text, NULL, NULL) < 0)
		return;
	/* The first error that says why; not CRIU's closing "FAILED" nor its rlimit notice. */
	char *best = NULL;
	for (char *line = strtok(text, "\n"); line && !best; line = strtok(NULL, "\n"))
		if (strstr(line, "Error (") && !strstr(line, "FAILED") && !strstr(line, "rlimit:") &&
		    !strstr(line, "execvp(") && !strstr(line, " -V failed"))
			best = line;
	if (best) {
		char *p = strstr(best, "): ");
		snprintf(out, size, "%s", p ? p + 3 : best);
	}
	free(text);
}

static int opts_new(criu_opts **o, int imgfd, const char *log, struct vireo_err *err)
{
	*o = NULL; /* libcriu frees what *o points to first */
	if (criu_local_init_opts(o) < 0)
		return verr(err, ENOMEM, "cannot set up libcriu");
	const char *bin = cr_binary();
	if (access(bin, X_OK) < 0) {
		criu_local_free_opts(*o);
		return verr_sys(err, errno, "CRIU is not installed at %s (run scripts/install-deps "
				"or set VIREO_CRIU)", bin);
	}
	criu_local_set_service_binary(*o, bin);
	criu_local_set_images_dir_fd(*o, imgfd);
	criu_local_set_log_file(*o, log);
	criu_local_set_log_level(*o, 4);
	criu_local_set_file_locks(*o, true);
	criu_local_set_ext_masters(*o, true);
	criu_local_set_ext_sharing(*o, true);
	criu_local_set_manage_cgroups(*o, true);
	criu_local_set_manage_cgroups_mode(*o, CRIU_CG_MODE_FULL);
	criu_local_set_network_lock(*o, CRIU_NETWORK_LOCK_NFTABLES);
	criu_local_set_ghost_limit(*o, 64u << 20);
	criu_local_set_weak_sysctls(*o, true);
	return 0;
}

/* Mounts of the container that come from the host: binds of host device files (devtmpfs) and
 * the console (a host devpts file). meta gets MNT_N="KEY HOSTPATH" and CONSOLE=tty[...]. */
static int collect_external(pid_t pid, criu_opts *o, struct conf *meta, struct vireo_err *err)
{
	char path[64], line[1024];
	snprintf(path, sizeof path, "/proc/%d/mountinfo", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return verr_sys(err, errno, "cannot read %s", path);
	int n = 0, r = 0;
	while (r == 0 && fgets(line, sizeof line, f)) {
		char root[256], mp[256], fstype[32];
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %255s %255s", root, mp) != 2 ||
		    sscanf(sep + 3, "%31s", fstype) != 1)
			continue;
		char host[300], key[64], val[400];
		if (!strcmp(fstype, "devtmpfs") && strcmp(root, "/")) {
			snprintf(host, sizeof host, "/dev%s", root);
		} else if (!strcmp(fstype, "devpts") && !strcmp(mp, "/dev/console")) {
			snprintf(host, sizeof host, "/dev/pts%s", root);
			struct stat st;
			if (stat(host, &st) < 0) {
				r = verr_sys(err, errno, "cannot stat the console %s", host);
				break;
			}
			char tty[64];
			snprintf(tty, sizeof tty, "tty[%llx:%llx]", (unsigned long long)st.st_rdev,
				 (unsigned long long)st.st_dev);
			if (criu_local_add_external(o, tty) < 0 || conf_set(meta, "CONSOLE", tty) < 0)
				r = verr(err, ENOMEM, "out of memory");
			snprintf(host, sizeof host, "console");
		} else if (!strncmp(fstype, "fuse", 4) && root[0] == '/') {
			/* Files served by the instance's vireo-procfs daemon (procfs.c). */
			snprintf(host, sizeof host, "procfs:%s", root);
		} else {
			continue;
		}
		snprintf(key, sizeof key, "vireo-ext-%d", n);
		snprintf(val, sizeof val, "%s %s", key, host);
		char name[32];
		snprintf(name, sizeof name, "MNT_%d", n++);
		if (r == 0 && (criu_local_add_ext_mount(o, mp, key) < 0 || conf_set(meta, name, val) < 0))
			r = verr(err, ENOMEM, "out of memory");
	}
	fclose(f);
	return r;
}

/* The veth pairs of the checkpoint's network (vireo-net.conf): netcfg makes them on the host,
 * each container end under a temporary name, and CRIU moves that end into the restored
 * network namespace with the dump's name, ifindex and MAC (--external netdev[IFNAME]:TEMP;
 * through its usernsd when there is a user namespace, where making a pair from inside would
 * be refused), then restores addresses, routes and firewall rules inside as dumped. */
static int add_veths(const struct ct_ctx *ctx, unsigned ctid, int imgfd, criu_opts *o,
		     struct vireo_err *err)
{
	char *text = NULL, *moves = NULL, *save = NULL;
	size_t len = 0;
	if (util_read_fileat(imgfd, "vireo-net.conf", 1 << 20, &text, &len, NULL) < 0)
		return 0;
	int r = ct_net_restore_links(ctx, ctid, text, len, &moves, err);
	free(text);
	for (char *m = r == 0 ? strtok_r(moves, "\n", &save) : NULL; m && r == 0;
	     m = strtok_r(NULL, "\n", &save))
		if (criu_local_add_external(o, m) < 0)
			r = verr(err, ENOMEM, "out of memory");
	free(moves);
	return r;
}

int cr_dump(const struct ct_ctx *ctx, unsigned ctid, pid_t init_pid, int imgfd,
	    struct conf *meta, struct vireo_err *err)
{
	criu_opts *o;
	int r = opts_new(&o, imgfd, "dump.log", err);
	if (r < 0)
		return r;
	criu_local_set_pid(o, init_pid);
	criu_local_set_leave_running(o, false);
	/* Established connections are always saved; restore chooses to revive or close them. */
	criu_local_set_tcp_established(o, true);
	criu_local_set_link_remap(o, true);
	if ((r = collect_external(init_pid, o, meta, err)) < 0)
		goto out;
	char buf[64];
	snprintf(buf, sizeof buf, "%u", ctid);
	if (conf_set(meta, "CTID", buf) < 0 || conf_set(meta, "INSTANCE", ctx->instance) < 0) {
		r = verr(err, ENOMEM, "out of memory");
		goto out;
	}
	int cr = criu_local_dump(o);
	if (cr < 0) {
		char why[400];
		log_tail(imgfd, "dump.log", why, sizeof why);
		r = verr(err, EIO, "checkpoint of container %u failed: %s", ctid,
			 why[0] ? why : strerror(-cr));
	}
out:
	criu_local_free_opts(o);
	return r;
}

pid_t cr_restore(const struct ct_ctx *ctx, const struct ct_config *cfg, int imgfd,
		 const struct conf *meta, const char *root_path, int console_fd,
		 const char *console_path, const char *procfs_base, bool tcp_established,
		 struct vireo_err *err)
{
	criu_opts *o;
	int r = opts_new(&o, imgfd, "restore.log", err);
	if (r < 0)
		return r;
	criu_local_set_root(o, root_path);
	if (tcp_established)
		criu_local_set_tcp_established(o, true);
	else
		criu_local_set_tcp_close(o, true);
	/* The cgroups are this instance's: /INSTANCE/ID in every hierarchy. */
	char cg[128];
	snprintf(cg, sizeof cg, "/%s/%u", ctx->instance, cfg->ctid);
	if (criu_local_add_cg_root(o, NULL, cg) < 0) {
		r = verr(err, ENOMEM, "out of memory");
		goto out;
	}
	const char *tty = conf_get(meta, "CONSOLE");
	if (tty && criu_local_add_inherit_fd(o, console_fd, tty) < 0) {
		r = verr(err, ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < 256; i++) {
		char name[32], key[64], host[400];
		snprintf(name, sizeof name, "MNT_%d", i);
		const char *v = conf_get(meta, name);
		if (!v)
			break;
		char own[32];
		snprintf(own, sizeof own, "procfs:/%u/", cfg->ctid);
		if (sscanf(v, "%63s %399s", key, host) != 2 || strncmp(key, "vireo-ext-", 10) ||
		    (strcmp(host, "console") && strncmp(host, "/dev/", 5) &&
		     strncmp(host, own, strlen(own))) || strstr(host, "..")) {
			r = verr(err, EINVAL, "the checkpoint's %s is corrupted", name);
			goto out;
		}
		if (!strcmp(host, "console"))
			snprintf(host, sizeof host, "%s", console_path);
		else if (!strncmp(host, "procfs:", 7)) {
			char tail[400];
			snprintf(tail, sizeof tail, "%s", host + 7);
			util_path(host, sizeof host, "%s%s", procfs_base, tail);
		}
		if (criu_local_add_ext_mount(o, key, host) < 0) {
			r = verr(err, ENOMEM, "out of memory");
			goto out;
		}
	}
	if ((r = add_veths(ctx, cfg->ctid, imgfd, o, err)) < 0)
		goto out;
	/* CRIU stops its helpers with SIGTERM: they must not inherit our "ignore". */
	void (*old_term)(int) = signal(SIGTERM, SIG_DFL);
	void (*old_int)(int) = signal(SIGINT, SIG_DFL);
	void (*old_hup)(int) = signal(SIGHUP, SIG_DFL);
	void (*old_pipe)(int) = signal(SIGPIPE, SIG_DFL);
	int pid = criu_local_restore_child(o);
	signal(SIGTERM, old_term);
	signal(SIGINT, old_int);
	signal(SIGHUP, old_hup);
	signal(SIGPIPE, old_pipe);
	if (pid <= 0) {
		char why[400];
		log_tail(imgfd, "restore.log", why, sizeof why);
		r = verr(err, EIO, "restore of container %u failed: %s", cfg->ctid,
			 why[0] ? why : "CRIU did not say why");
		goto out;
	}
	r = pid;
out:
	criu_local_free_opts(o);
	return r;
}

#else

const char *cr_binary(void)
{
	return "criu";
}

int cr_dump(const struct ct_ctx *ctx, unsigned ctid, pid_t init_pid, int imgfd,
	    struct conf *meta, struct vireo_err *err)
{
	return verr(err, ENOTSUP, "this vireo was built without CRIU (run scripts/install-deps, "
		    "then rebuild)");
}

pid_t cr_restore(const struct ct_ctx *ctx, const struct ct_config *cfg, int imgfd,
		 const struct conf *meta, const char *root_path, int console_fd,
		 const char *console_path, const char *procfs_base, bool tcp_established,
		 struct vireo_err *err)
{
	return verr(err, ENOTSUP, "this vireo was built without CRIU (run scripts/install-deps, "
		    "then rebuild)");
}
#endif
