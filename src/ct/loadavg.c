/* ct/loadavg: a container's load average, as the kernel computes the host's: every 5 seconds
 * the supervisor counts the container's tasks that are running or in uninterruptible sleep
 * and folds the count into 1, 5 and 15 minute exponential averages (fixed point, the
 * kernel's constants). The result goes to run/ID/loadavg for list's laverage field. Reads
 * the container's cgroup and /proc; writes only that file. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

#define FSHIFT 11
#define FIXED_1 (1 << FSHIFT)
#define LOAD_FREQ_MS 5000
static const uint64_t exp_k[3] = { 1884, 2014, 2037 }; /* 1/exp(5s/1min), 5min, 15min */

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

/* Tasks of the container running or in uninterruptible sleep. */
static uint64_t active_tasks(const struct ct_ctx *ctx, unsigned ctid)
{
	char dir[PATH_MAX], p[PATH_MAX], *text;
	if (cg_controller_dir(ctx, ctid, "cpu", dir, sizeof dir) < 0 &&
	    cg_controller_dir(ctx, ctid, "pids", dir, sizeof dir) < 0)
		return 0;
	util_path(p, sizeof p, "%s/tasks", dir);
	if (util_read_file(p, 1 << 24, &text, NULL, NULL) < 0) {
		util_path(p, sizeof p, "%s/cgroup.threads", dir);
		if (util_read_file(p, 1 << 24, &text, NULL, NULL) < 0)
			return 0;
	}
	uint64_t n = 0;
	char stat[512];
	for (char *c = text; *c;) {
		long tid = strtol(c, &c, 10);
		while (*c == '\n')
			c++;
		if (tid <= 0)
			continue;
		snprintf(p, sizeof p, "/proc/%ld/stat", tid);
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
		if (rp && rp[1] == ' ' && (rp[2] == 'R' || rp[2] == 'D'))
			n++;
	}
	free(text);
	return n;
}

void loadavg_tick(struct ct_loadavg *la)
{
	long long now = util_now_ms();
	if (now < la->next_ms)
		return;
	la->next_ms += LOAD_FREQ_MS;
	if (la->next_ms <= now) /* a long stall: do not catch up sample by sample */
		la->next_ms = now + LOAD_FREQ_MS;
	uint64_t active = active_tasks(la->ctx, la->ctid) * FIXED_1;
	for (int i = 0; i < 3; i++) {
		uint64_t a = la->avg[i] * exp_k[i] + active * (FIXED_1 - exp_k[i]);
		if (active >= la->avg[i])
			a += FIXED_1 - 1; /* round up while rising, as the kernel does */
		la->avg[i] = a / FIXED_1;
	}
	char path[PATH_MAX], tmp[PATH_MAX], text[96];
	ct_path(la->ctx, la->ctid, CT_PATH_RUN, path, sizeof path);
	size_t n = strlen(path);
	util_path(path + n, sizeof path - n, "/loadavg");
	util_path(tmp, sizeof tmp, "%s.tmp", path);
	int len = snprintf(text, sizeof text, "%.2f %.2f %.2f\n", (double)la->avg[0] / FIXED_1,
			   (double)la->avg[1] / FIXED_1, (double)la->avg[2] / FIXED_1);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return;
	bool ok = write(fd, text, (size_t)len) == len;
	close(fd);
	/* No fsync: a load average lost in a crash is of no account. */
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
}

void loadavg_remove(const struct ct_ctx *ctx, unsigned ctid)
{
	char path[PATH_MAX];
	ct_path(ctx, ctid, CT_PATH_RUN, path, sizeof path);
	size_t n = strlen(path);
	util_path(path + n, sizeof path - n, "/loadavg");
	unlink(path);
}
