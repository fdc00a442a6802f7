/* ct/loadavg: a container's load average, as the kernel computes the host's: every 5 seconds
 * the supervisor counts the container's tasks that are running or in uninterruptible sleep
 * and folds the count into 1, 5 and 15 minute exponential averages (fixed point, the
 * kernel's constants). The one sampler of a container: the result goes to run/ID/loadavg,
 * which both list's laverage field (limits.c) and the container's /proc/loadavg, stat and
 * sysinfo(2) (vireo-procfs, src/procfs/daemon.c) read through loadavg_read, so the two
 * always agree. The file is one line, private to this file:
 *   AVG1 AVG5 AVG15 RUNNING BLOCKED LASTPID
 * the averages fixed point (LOADAVG_FSHIFT bits), the task counts of the last sample, and
 * the highest pid inside the container (its own numbering) at that sample.
 * Reads the container's cgroup and /proc; writes only that file. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

#define LOAD_FREQ_MS 5000
static const unsigned long exp_k[3] = { 1884, 2014, 2037 }; /* 1/exp(5s/1min), 5min, 15min */

unsigned long loadavg_calc(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (LOADAVG_FIXED_1 - exp);
	if (active >= load)
		newload += LOADAVG_FIXED_1 - 1; /* round up while rising, as the kernel does */
	return newload / LOADAVG_FIXED_1;
}

void loadavg_init(struct ct_loadavg *la, const struct ct_ctx *ctx, unsigned ctid)
{
	memset(la, 0, sizeof *la);
	la->ctx = ctx;
	la->ctid = ctid;
	la->next_ms = util_now_ms() + LOAD_FREQ_MS;
}

int loadavg_timeout_ms(const struct ct_loadavg *la)
{
	long long d = la->next_ms - util_now_ms();
	return d < 0 ? 0 : d > LOAD_FREQ_MS ? LOAD_FREQ_MS : (int)d;
}

/* The innermost pid (the container's own numbering) of host task tid; 0 if unknown. */
static unsigned ns_pid(unsigned tid)
{
	char path[PATH_MAX], *st;
	util_path(path, sizeof path, "/proc/%u/status", tid);
	if (util_read_file(path, 1 << 16, &st, NULL, NULL) < 0)
		return 0;
	unsigned pid = 0;
	char *l = strstr(st, "\nNSpid:");
	if (l) {
		l += 7;
		char *end = strchr(l, '\n');
		if (end)
			*end = '\0';
		char *last = strrchr(l, '\t');
		pid = (unsigned)strtoul(last ? last + 1 : l, NULL, 10);
	}
	free(st);
	return pid;
}

/* Count the container's tasks running (R) and in uninterruptible sleep (D). */
static void count_tasks(const struct ct_ctx *ctx, unsigned ctid, struct ct_load *l)
{
	char dir[PATH_MAX], p[PATH_MAX], *text;
	l->running = l->blocked = 0;
	if (cg_controller_dir(ctx, ctid, "cpu", dir, sizeof dir) < 0 &&
	    cg_controller_dir(ctx, ctid, "pids", dir, sizeof dir) < 0)
		return;
	util_path(p, sizeof p, "%s/tasks", dir);
	if (util_read_file(p, 1 << 24, &text, NULL, NULL) < 0) {
		util_path(p, sizeof p, "%s/cgroup.threads", dir);
		if (util_read_file(p, 1 << 24, &text, NULL, NULL) < 0)
			return;
	}
	unsigned maxtid = 0;
	char stat[512];
	for (char *c = text; *c;) {
		unsigned tid = (unsigned)strtoul(c, &c, 10);
		while (*c == '\n')
			c++;
		if (!tid)
			break;
		snprintf(p, sizeof p, "/proc/%u/stat", tid);
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, stat, sizeof stat - 1);
		close(fd);
		if (len <= 0)
			continue;
		stat[len] = '\0';
		/* the state follows the last ')' of the command name */
		char *rp = strrchr(stat, ')');
		if (!rp || rp[1] != ' ' || !rp[2])
			continue;
		l->running += rp[2] == 'R';
		l->blocked += rp[2] == 'D';
		if (tid > maxtid)
			maxtid = tid;
	}
	free(text);
	if (maxtid)
		l->last_pid = ns_pid(maxtid);
}

static void file_path(const struct ct_ctx *ctx, unsigned ctid, char *path, size_t size)
{
	ct_path(ctx, ctid, CT_PATH_RUN, path, size);
	size_t n = strlen(path);
	util_path(path + n, size - n, "/loadavg");
}

void loadavg_tick(struct ct_loadavg *la)
{
	long long now = util_now_ms();
	if (now < la->next_ms)
		return;
	la->next_ms += LOAD_FREQ_MS;
	if (la->next_ms <= now) /* a long stall: do not catch up sample by sample */
		la->next_ms = now + LOAD_FREQ_MS;
	struct ct_load *l = &la->load;
	count_tasks(la->ctx, la->ctid, l);
	unsigned long active = (unsigned long)(l->running + l->blocked) * LOADAVG_FIXED_1;
	for (int i = 0; i < 3; i++)
		l->avg[i] = loadavg_calc(l->avg[i], exp_k[i], active);
	char path[PATH_MAX], tmp[PATH_MAX], text[128];
	file_path(la->ctx, la->ctid, path, sizeof path);
	util_path(tmp, sizeof tmp, "%s.tmp", path);
	int len = snprintf(text, sizeof text, "%lu %lu %lu %u %u %u\n", l->avg[0], l->avg[1],
			   l->avg[2], l->running, l->blocked, l->last_pid);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return;
	bool ok = write(fd, text, (size_t)len) == len;
	close(fd);
	/* No fsync: a load average lost in a crash is of no account. */
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
}

int loadavg_read(const struct ct_ctx *ctx, unsigned ctid, struct ct_load *l)
{
	char path[PATH_MAX], *text;
	file_path(ctx, ctid, path, sizeof path);
	int r = util_read_file(path, 256, &text, NULL, NULL);
	if (r < 0)
		return r;
	bool ok = sscanf(text, "%lu %lu %lu %u %u %u", &l->avg[0], &l->avg[1], &l->avg[2],
			 &l->running, &l->blocked, &l->last_pid) == 6;
	free(text);
	return ok ? 0 : -EINVAL;
}

void loadavg_remove(const struct ct_ctx *ctx, unsigned ctid)
{
	char path[PATH_MAX];
	file_path(ctx, ctid, path, sizeof path);
	unlink(path);
}
