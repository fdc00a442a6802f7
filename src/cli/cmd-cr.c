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

int cmd_chkpnt(int argc, char **argv)
{
	static const struct option opts[] = { { "dumpfile", required_argument, 0, 'd' },
					      { 0, 0, 0, 0 } };
	struct cr_args a = { 0 };
	int idx, r = cli_one_id(argc, argv, argv[0], opts, cr_opt, &a, &idx);
	if (r)
		return r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, argv[0])))
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
	int idx, r = cli_one_id(argc, argv, argv[0], opts, cr_opt, &a, &idx);
	if (r)
		return r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, argv[0])))
		return r;
	struct vireo_err err = { 0 };
	if (ct_restore(&ctx, ctid, a.dumpfile, a.tcp_established, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	printf("Container %u restored\n", ctid);
	return 0;
}
