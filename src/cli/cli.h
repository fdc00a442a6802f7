/* cli: declarations shared by the command's files. */
#ifndef VIREO_CLI_H
#define VIREO_CLI_H

#include <stdarg.h>

#include "ct/ct.h"
#include "lib/err.h"

void cli_error(const struct vireo_err *err);
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Initialise the context and resolve argv[optind_] to a CTID; returns 0 or an exit status. */
int cli_ctx_id(int argc, char **argv, int optind_, struct ct_ctx *ctx, unsigned *ctid,
	       const char *verb);

/* Options of a verb taking exactly one ID (before or after it); on_opt returns 0 or an exit
 * status. Returns 0 and sets *idx to the ID's index, or an exit status. */
struct option;
int cli_one_id(int argc, char **argv, const char *verb, const struct option *longopts,
	       int (*on_opt)(int c, void *arg), void *arg, int *idx);

int cmd_chkpnt(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_migrate_recv(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_enter(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_ubc(int argc, char **argv);

#endif
