/* cli/cmd-cr: chkpnt (suspend), restore (resume) and migrate. Each parses its options, calls
 * one ct_* function and reports. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/parse.h"

struct cr_args {
	const char *dumpfile;
	bool tcp_established;
};

static int cr_opt(int c, void *arg)
{
	struct cr_args *a = arg;
	switch (c) {
	case 'd': a->dumpfile = optarg; return 0;
	case 't': a->tcp_established = true; return 0;
	}
	return 2;
}

/* ID and the options of chkpnt or restore; 0, or the exit status to return. */
static int cr_parse(int argc, char **argv, const struct option *opts, struct cr_args *a,
		    struct ct_ctx *ctx, unsigned *ctid)
{
	int idx, r = cli_one_id(argc, argv, argv[0], opts, cr_opt, a, &idx);
	return r ? r : cli_ctx_id(argc, argv, idx, ctx, ctid, argv[0]);
}

int cmd_chkpnt(int argc, char **argv)
{
	static const struct option opts[] = { { "dumpfile", required_argument, 0, 'd' },
					      { 0, 0, 0, 0 } };
	struct cr_args a = { 0 };
	struct ct_ctx ctx;
	unsigned ctid;
	int r = cr_parse(argc, argv, opts, &a, &ctx, &ctid);
	if (r)
		return r;
	struct vireo_err err = { 0 };
	if (ct_chkpnt(&ctx, ctid, a.dumpfile, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	printf("Container %u checkpointed%s%s\n", ctid, a.dumpfile ? " to " : "",
	       a.dumpfile ? a.dumpfile : "");
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = { { "dumpfile", required_argument, 0, 'd' },
					      { "tcp-established", no_argument, 0, 't' },
					      { 0, 0, 0, 0 } };
	struct cr_args a = { 0 };
	struct ct_ctx ctx;
	unsigned ctid;
	int r = cr_parse(argc, argv, opts, &a, &ctx, &ctid);
	if (r)
		return r;
	struct vireo_err err = { 0 };
	if (ct_restore(&ctx, ctid, a.dumpfile, a.tcp_established, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	printf("Container %u restored\n", ctid);
	return 0;
}

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "online", no_argument, 0, 'o' },          { "keep-dst", no_argument, 0, 'k' },
		{ "remove-area", required_argument, 0, 'r' }, { "remote-root", required_argument, 0, 'R' },
		{ "remote-vireo", required_argument, 0, 'V' }, { "ignore-subnet", no_argument, 0, 'i' },
		{ 0, 0, 0, 0 } };
	struct ct_migrate_opts o = { .remove_area = true };
	struct vireo_err err = { 0 };
	o.remote_root = getenv("VIREO_REMOTE_ROOT");
	o.remote_vireo = getenv("VIREO_REMOTE_VIREO");
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o.online = true; break;
		case 'k': o.keep_dst = true; break;
		case 'i': o.ignore_subnet = true; break;
		case 'R': o.remote_root = optarg; break;
		case 'V': o.remote_vireo = optarg; break;
		case 'r':
			if (parse_yesno(optarg, &o.remove_area, "--remove-area", &err) < 0) {
				cli_error(&err);
				return 2;
			}
			break;
		case ':': return cli_fail("migrate: option '%s' needs a value", argv[optind - 1]);
		default: return cli_fail("migrate: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_fail("migrate: expected ID DEST (vireo migrate ID [user@]host [--online])");
	struct ct_ctx ctx;
	unsigned ctid;
	int r = cli_ctx_id(argc, argv, optind, &ctx, &ctid, "migrate");
	if (r)
		return r;
	if (ct_migrate(&ctx, ctid, argv[optind + 1], &o, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	if (o.online)
		printf("Container %u migrated to %s (frozen for %lld ms)\n", ctid, argv[optind + 1],
		       o.frozen_ms);
	else
		printf("Container %u migrated to %s\n", ctid, argv[optind + 1]);
	return 0;
}

/* The receiving side of migrate, run over ssh: vireo migrate-recv ID STEP [ARG]. */
int cmd_migrate_recv(int argc, char **argv)
{
	if (argc < 3 || argc > 4)
		return cli_fail("migrate-recv: expected ID STEP [ARG]");
	struct vireo_err err = { 0 };
	struct ct_ctx ctx;
	unsigned ctid;
	if (parse_ctid(argv[1], &ctid, &err) < 0 || ct_ctx_init(&ctx, &err) < 0 ||
	    ct_migrate_recv(&ctx, ctid, argv[2], argc == 4 ? argv[3] : NULL, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	return 0;
}
