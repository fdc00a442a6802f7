/* cli/cmd-ubc: "vireo ubc [ID...]": OpenVZ's /proc/user_beancounters for the containers
 * named, or for every running one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cmd_ubc(int argc, char **argv)
{
	struct ct_ctx ctx;
	struct vireo_err err = { 0 };
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return cli_fail("ubc: unknown option '%.40s'", argv[i]);
	if (ct_ctx_init(&ctx, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	unsigned *ids = calloc((size_t)argc, sizeof *ids);
	if (!ids)
		return cli_fail("out of memory");
	size_t n = 0;
	for (int i = 1; i < argc; i++)
		if (ct_resolve(&ctx, argv[i], &ids[n++], &err) < 0) {
			free(ids);
			cli_error(&err);
			return 1;
		}
	char *text;
	int r = ct_ubc_format(&ctx, ids, n, &text, &err);
	free(ids);
	if (r < 0) {
		cli_error(&err);
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}
