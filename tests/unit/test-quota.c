/* tests/unit/test-quota: ct_quota_usage on a stopped container, read from its image's
 * superblock (no loop device, no mount): an image made by mke2fs -d from a tree whose size and
 * file count we know, a directory container (no limits), and damaged configurations and
 * images. Everything lives under one mkdtemp directory in /tmp, removed at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ct/ct-internal.h"
#include "lib/util.h"

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void write_conf(const struct ct_ctx *ctx, unsigned id, const char *extra)
{
	char p[PATH_MAX], text[512];
	snprintf(p, sizeof p, "%s/conf/%u.conf", ctx->root, id);
	snprintf(text, sizeof text, "OSTEMPLATE=\"busybox\"\nUSERNS=\"no\"\n%s", extra);
	put(p, text);
}

static bool have_mke2fs(void)
{
	return system("mke2fs -V >/dev/null 2>&1") == 0;
}

int main(void)
{
	char base[] = "/tmp/vireo-test-quota.XXXXXX", p[PATH_MAX], cmd[PATH_MAX * 2];
	if (!mkdtemp(base))
		return 1;
	setenv("VIREO_ROOT", base, 1);
	struct ct_ctx ctx;
	struct vireo_err err;
	CHECK(ct_ctx_init(&ctx, &err) == 0);
	struct ct_quota_usage u;

	/* A directory container: no limits, nothing used as far as quotas go. */
	write_conf(&ctx, 7, "");
	snprintf(p, sizeof p, "%s/private/7", base);
	mkdir(p, 0755);
	memset(&u, 0xff, sizeof u);
	CHECK(ct_quota_usage(&ctx, 7, &u, &err) == 0 && !u.limited && u.blocks_hard == 0 &&
	      u.inodes_used == 0);
	CHECK(ct_quota_usage(&ctx, 8, &u, &err) == -ENOENT);

	if (!have_mke2fs()) {
		fprintf(stderr, "  mke2fs missing: image checks not run\n");
		CHECK(false);
		goto out;
	}
	/* An image of 32 MiB holding 3 MiB in 10 files and 2 directories. */
	snprintf(p, sizeof p, "%s/src/d", base);
	util_mkdir_p(p, 0755, NULL);
	for (int i = 0; i < 10; i++) {
		snprintf(cmd, sizeof cmd, "head -c %d /dev/urandom > %s/src/d/f%d", 300 * 1024, base, i);
		CHECK(system(cmd) == 0);
	}
	snprintf(p, sizeof p, "%s/private/9", base);
	mkdir(p, 0700);
	snprintf(cmd, sizeof cmd,
		 "truncate -s 32M %s/private/9/root.img && mke2fs -q -F -t ext4 -b 4096 -m 0 -N 2000 "
		 "-d %s/src %s/private/9/root.img", base, base, base);
	CHECK(system(cmd) == 0);
	write_conf(&ctx, 9, "VE_LAYOUT=\"image\"\nDISKSPACE=\"30000:32768\"\n"
			    "DISKINODES=\"1500:2000\"\n");
	CHECK(ct_quota_usage(&ctx, 9, &u, &err) == 0);
	CHECK(u.limited);
	CHECK(u.blocks_soft == 30000 && u.blocks_hard == 32768);
	CHECK(u.inodes_soft == 1500 && u.inodes_hard == 2000);
	/* 3000 KiB of data and a little metadata, as df would count it */
	CHECK(u.blocks_used >= 3000 && u.blocks_used < 3000 + 512);
	if (u.blocks_used < 3000 || u.blocks_used >= 3512)
		fprintf(stderr, "  blocks_used %llu\n", (unsigned long long)u.blocks_used);
	/* 10 files, d, lost+found, the root and ext4's reserved inodes 1..10 except 2 */
	CHECK(u.inodes_used >= 12 && u.inodes_used <= 24);

	/* No --diskinodes: the file system's own inode count is the limit. */
	write_conf(&ctx, 9, "VE_LAYOUT=\"image\"\nDISKSPACE=\"32768:32768\"\n");
	CHECK(ct_quota_usage(&ctx, 9, &u, &err) == 0);
	CHECK(u.inodes_hard >= 2000 && u.inodes_hard < 2200 && u.inodes_soft == u.inodes_hard);

	/* Damaged configuration and image: errors, never garbage. */
	write_conf(&ctx, 9, "VE_LAYOUT=\"image\"\nDISKSPACE=\"lots\"\n");
	CHECK(ct_quota_usage(&ctx, 9, &u, &err) == -EINVAL && strstr(err.msg, "DISKSPACE"));
	write_conf(&ctx, 9, "VE_LAYOUT=\"image\"\n");
	CHECK(ct_quota_usage(&ctx, 9, &u, &err) == -EINVAL);
	write_conf(&ctx, 9, "VE_LAYOUT=\"image\"\nDISKSPACE=\"32768:32768\"\n");
	snprintf(cmd, sizeof cmd, "dd if=/dev/zero of=%s/private/9/root.img bs=1024 seek=1 count=1 "
		 "conv=notrunc 2>/dev/null", base);
	CHECK(system(cmd) == 0);
	CHECK(ct_quota_usage(&ctx, 9, &u, &err) == -EINVAL && strstr(err.msg, "not an ext4"));
out:
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	CHECK(system(cmd) == 0);
	return check_done();
}
