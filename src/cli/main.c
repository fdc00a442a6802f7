/* cli/main: the vireo command. Parses the verb and its options, calls one engine function per
 * verb, prints results and errors (once, as "vireo: <message>"), and sets the exit status.
 * Invoked as vzctl or vzlist it accepts the same words (vzlist means "vireo list"). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/parse.h"

static const char *progname = "vireo";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vireo VERB [OPTIONS]\n"
		"Containers (OpenVZ-style; ID is a CTID or a name):\n"
		"  create ID [--ostemplate NAME] [--hostname NAME] [--name NAME] [--userns yes|no]\n"
		"  start ID | stop ID [--fast] | restart ID | status ID\n"
		"  destroy ID [--force]\n"
		"  exec ID CMD [ARG...]        run CMD inside, exit with its status\n"
		"  enter ID                    interactive shell inside\n"
		"  console ID                  attach to the console (Esc . detaches)\n"
		"  set ID [--hostname NAME] [--userpasswd USER:PASSWORD] [--onboot yes|no] [--save]\n"
		"         [--ipadd ADDR[/PREFIX]] [--ipdel ADDR|all] [--nameserver ADDR]\n"
		"         [--searchdomain NAME] [--netif_add NAME[,MAC,HOST_IFNAME,HOST_MAC,BRIDGE]]\n"
		"         [--netif_del NAME|all]\n"
		"         [--ram SIZE] [--swap SIZE] [--numproc N] [--numfile N] [--kmemsize SIZE]\n"
		"         [--lockedpages SIZE] [--cpuunits N] [--cpulimit PERCENT] [--cpus N]\n"
		"         [--cpumask LIST|all] [--ioprio 0-7]   (beancounters: VALUE or BARRIER:LIMIT)\n"
		"  ubc [ID...]                 beancounters, as /proc/user_beancounters\n"
		"  chkpnt|suspend ID [--dumpfile FILE]   checkpoint into ROOT/dump/ID or FILE; it stops\n"
		"  restore|resume ID [--dumpfile FILE] [--tcp-established]\n"
		"  migrate ID [user@]HOST [--online] [--keep-dst] [--remove-area yes|no]\n"
		"          [--remote-root DIR] [--remote-vireo CMD] [--ignore-subnet]   over ssh ($VIREO_SSH)\n"
		"  list [-a|-S] [-o FIELD,...] [-H] [-j] [-s [-]FIELD] [-n]\n"
		"Templates:\n"
		"  template create NAME        build busybox or debian-12 into the cache\n"
		"  template list\n"
		"State lives under $VIREO_ROOT (default /var/lib/vireo). See vireo(8).\n");
}

/* An error is one line: control characters a user typed (a newline in an argument, a
 * terminal escape) are shown as '?'. */
static void print_error(const char *msg)
{
	char line[sizeof ((struct vireo_err *)0)->msg];
	size_t i = 0;
	for (; msg[i] && i < sizeof line - 1; i++)
		line[i] = ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f) ? '?' : msg[i];
	line[i] = '\0';
	fprintf(stderr, "%s: %s\n", progname, line);
}

void cli_error(const struct vireo_err *err)
{
	print_error(err->msg[0] ? err->msg : "unknown error");
}

int cli_fail(const char *fmt, ...)
{
	char msg[sizeof ((struct vireo_err *)0)->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_error(msg);
	return 2;
}

int cli_ctx_id(int argc, char **argv, int optind_, struct ct_ctx *ctx, unsigned *ctid,
	       const char *verb)
{
	struct vireo_err err = { 0 };
	if (optind_ >= argc)
		return cli_fail("%s: missing container ID", verb);
	if (ct_ctx_init(ctx, &err) < 0 || ct_resolve(ctx, argv[optind_], ctid, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	return 0;
}

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct verb verbs[] = {
	{ "create", cmd_create }, { "start", cmd_start },     { "stop", cmd_stop },
	{ "restart", cmd_restart }, { "status", cmd_status }, { "destroy", cmd_destroy },
	{ "delete", cmd_destroy }, { "exec", cmd_exec },      { "enter", cmd_enter },
	{ "console", cmd_console }, { "list", cmd_list },     { "set", cmd_set },
	{ "template", cmd_template }, { "ubc", cmd_ubc },
	{ "chkpnt", cmd_chkpnt },   { "suspend", cmd_chkpnt },
	{ "restore", cmd_restore },   { "resume", cmd_restore },    { "migrate", cmd_migrate },
	{ "migrate-recv", cmd_migrate_recv },
};

int main(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argc > 0 ? argv[0] : "vireo";
	if (!strcmp(base, "vzctl") || !strcmp(base, "vzlist"))
		progname = base;
	if (!strcmp(base, "vzlist"))
		return cmd_list(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *v = argv[1];
	if (!strcmp(v, "help") || !strcmp(v, "--help") || !strcmp(v, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(v, "--version") || !strcmp(v, "version")) {
		printf("vireo %s\n", VIREO_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (!strcmp(v, verbs[i].name))
			return verbs[i].fn(argc - 1, argv + 1);
	return cli_fail("unknown verb '%.40s' (vireo help lists them)", v);
}
