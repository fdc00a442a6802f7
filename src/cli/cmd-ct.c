/* cli/cmd-ct: the container verbs other than list. Each parses its options, calls one ct_*
 * function and reports. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/parse.h"

/* Parse options of a verb taking exactly one ID; returns 0 and sets *idx, or an exit status. */
int cli_one_id(int argc, char **argv, const char *verb, const struct option *longopts,
		  int (*on_opt)(int c, void *arg), void *arg, int *idx)
{
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		if (c == '?')
			return cli_fail("%s: unknown option '%s'", verb, argv[optind - 1]);
		if (c == ':')
			return cli_fail("%s: option '%s' needs a value", verb, argv[optind - 1]);
		int r = on_opt ? on_opt(c, arg) : 2;
		if (r)
			return r;
	}
	/* Options may also follow the ID, as vzctl allows. */
	if (optind < argc) {
		*idx = optind;
		int saved = optind + 1;
		if (saved < argc) {
			optind = 1;
			int n = argc - saved + 1;
			char **rest = argv + saved - 1;
			while ((c = getopt_long(n, rest, "+:", longopts, NULL)) != -1) {
				if (c == '?')
					return cli_fail("%s: unknown option '%s'", verb, rest[optind - 1]);
				if (c == ':')
					return cli_fail("%s: option '%s' needs a value", verb,
							rest[optind - 1]);
				int r = on_opt ? on_opt(c, arg) : 2;
				if (r)
					return r;
			}
			if (optind < n)
				return cli_fail("%s: unexpected argument '%.40s'", verb, rest[optind]);
		}
		return 0;
	}
	return cli_fail("%s: missing container ID", verb);
}

static int run_verb(int argc, char **argv, const char *verb,
		    int (*fn)(const struct ct_ctx *, unsigned, struct vireo_err *), bool warn)
{
	static const struct option none[] = { { 0, 0, 0, 0 } };
	int idx, r = cli_one_id(argc, argv, verb, none, NULL, NULL, &idx);
	if (r)
		return r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, verb)))
		return r;
	struct vireo_err err = { 0 };
	if (fn(&ctx, ctid, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	if (warn && err.msg[0]) /* start and restart: done, but not everything */
		fprintf(stderr, "vireo: warning: %s\n", err.msg);
	return 0;
}

static int run_simple(int argc, char **argv, const char *verb,
		      int (*fn)(const struct ct_ctx *, unsigned, struct vireo_err *))
{
	return run_verb(argc, argv, verb, fn, false);
}

/* After joining a container this process is non-dumpable and inside another user namespace;
 * exit handlers (LeakSanitizer's among them, which would need to ptrace us) have nothing left
 * to do, so leave at once. */
static int __attribute__((noreturn)) joined_exit(int status)
{
	fflush(NULL);
	_exit(status);
}

struct create_args {
	struct ct_create_opts o;
};

static int create_opt(int c, void *arg)
{
	struct create_args *a = arg;
	struct vireo_err err = { 0 };
	bool b;
	switch (c) {
	case 't': a->o.ostemplate = optarg; return 0;
	case 'h': a->o.hostname = optarg; return 0;
	case 'n': a->o.name = optarg; return 0;
	case 'D': a->o.diskspace = optarg; return 0;
	case 'I': a->o.diskinodes = optarg; return 0;
	case 'u':
		if (parse_yesno(optarg, &b, "--userns", &err) < 0) {
			cli_error(&err);
			return 2;
		}
		a->o.userns = b;
		return 0;
	}
	return 2;
}

int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ostemplate", required_argument, 0, 't' }, { "hostname", required_argument, 0, 'h' },
		{ "name", required_argument, 0, 'n' },       { "userns", required_argument, 0, 'u' },
		{ "diskspace", required_argument, 0, 'D' },  { "diskinodes", required_argument, 0, 'I' },
		{ 0, 0, 0, 0 } };
	struct create_args a = { .o = { .userns = 1 } };
	int idx, r = cli_one_id(argc, argv, "create", opts, create_opt, &a, &idx);
	if (r)
		return r;
	struct vireo_err err = { 0 };
	struct ct_ctx ctx;
	unsigned ctid;
	if (parse_ctid(argv[idx], &ctid, &err) < 0 || ct_ctx_init(&ctx, &err) < 0 ||
	    ct_create(&ctx, ctid, &a.o, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	printf("Container %u created from template %s\n", ctid,
	       a.o.ostemplate ? a.o.ostemplate : CT_DEFAULT_TEMPLATE);
	return 0;
}

int cmd_start(int argc, char **argv)
{
	return run_verb(argc, argv, "start", ct_start, true);
}

int cmd_restart(int argc, char **argv)
{
	return run_verb(argc, argv, "restart", ct_restart, true);
}

static int flag_opt(int c, void *arg)
{
	*(bool *)arg = true;
	return c ? 0 : 2;
}

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = { { "fast", no_argument, 0, 'f' }, { 0, 0, 0, 0 } };
	bool fast = false;
	int idx, r = cli_one_id(argc, argv, "stop", opts, flag_opt, &fast, &idx);
	if (r)
		return r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, "stop")))
		return r;
	struct vireo_err err = { 0 };
	if (ct_stop(&ctx, ctid, fast, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	return 0;
}

int cmd_destroy(int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, 0, 'f' }, { 0, 0, 0, 0 } };
	bool force = false;
	int idx, r = cli_one_id(argc, argv, "destroy", opts, flag_opt, &force, &idx);
	if (r)
		return r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, "destroy")))
		return r;
	struct vireo_err err = { 0 };
	if (ct_destroy(&ctx, ctid, force, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	printf("Container %u destroyed\n", ctid);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	static const struct option none[] = { { 0, 0, 0, 0 } };
	int idx, r = cli_one_id(argc, argv, "status", none, NULL, NULL, &idx);
	if (r)
		return r;
	struct vireo_err err = { 0 };
	struct ct_ctx ctx;
	unsigned ctid;
	/* A name that resolves to nothing is an error; an unknown ID is "deleted". */
	if (ct_ctx_init(&ctx, &err) < 0 || ct_resolve(&ctx, argv[idx], &ctid, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	struct ct_status st;
	if (ct_status(&ctx, ctid, &st, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	printf("CTID %u %s %s %s\n", ctid, st.exists ? "exist" : "deleted",
	       st.mounted ? "mounted" : "unmounted",
	       st.running ? "running" : st.suspended ? "suspended" : "down");
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	if (argc < 2)
		return cli_fail("exec: missing container ID");
	if (argc < 3)
		return cli_fail("exec: missing command (vireo exec ID CMD [ARG...])");
	struct ct_ctx ctx;
	unsigned ctid;
	int r = cli_ctx_id(argc, argv, 1, &ctx, &ctid, "exec");
	if (r)
		return r;
	int arg0 = 2;
	if (!strcmp(argv[arg0], "--")) {
		arg0++;
		if (arg0 >= argc)
			return cli_fail("exec: missing command (vireo exec ID CMD [ARG...])");
	}
	struct vireo_err err = { 0 };
	int status = 0;
	if (ct_exec(&ctx, ctid, argv + arg0, &status, &err) < 0) {
		cli_error(&err);
		joined_exit(err.code == ENOEXEC ? 127 : 1);
	}
	return joined_exit(status);
}

int cmd_enter(int argc, char **argv)
{
	static const struct option none[] = { { 0, 0, 0, 0 } };
	int idx, r = cli_one_id(argc, argv, "enter", none, NULL, NULL, &idx);
	if (r)
		return r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, "enter")))
		return r;
	struct vireo_err err = { 0 };
	int status = 0;
	if (ct_enter(&ctx, ctid, &status, &err) < 0) {
		cli_error(&err);
		joined_exit(1);
	}
	return joined_exit(status);
}

int cmd_console(int argc, char **argv)
{
	return run_simple(argc, argv, "console", ct_console);
}

/* set's resource options (long only). */
enum { OPT_RAM = 256, OPT_SWAP, OPT_PHYSPAGES, OPT_SWAPPAGES, OPT_NUMPROC, OPT_NUMFILE,
       OPT_KMEMSIZE, OPT_LOCKEDPAGES, OPT_CPUUNITS, OPT_CPULIMIT, OPT_CPUS, OPT_CPUMASK,
       OPT_IOPRIO };

struct set_args {
	struct ct_set_opts o;
};

/* The network options' codes: above any character, so no short option collides. */
enum { NET_OPT_IPADD = 1001, NET_OPT_IPDEL, NET_OPT_NAMESERVER, NET_OPT_SEARCHDOMAIN,
       NET_OPT_NETIF_ADD, NET_OPT_NETIF_DEL };

/* Append optarg to one of the repeatable network lists (room for argc entries each). */
static void net_push(const char **list, size_t *n)
{
	list[(*n)++] = optarg;
}

static int set_opt(int c, void *arg)
{
	struct set_args *a = arg;
	struct vireo_err err = { 0 };
	bool b;
	switch (c) {
	case 'h': a->o.hostname = optarg; return 0;
	case 'p': a->o.userpasswd = optarg; return 0;
	case 's': a->o.save = true; return 0;
	case 'D': a->o.diskspace = optarg; return 0;
	case 'I': a->o.diskinodes = optarg; return 0;
	case NET_OPT_IPADD: net_push(a->o.net.ipadd, &a->o.net.n_ipadd); return 0;
	case NET_OPT_IPDEL: net_push(a->o.net.ipdel, &a->o.net.n_ipdel); return 0;
	case NET_OPT_NAMESERVER: net_push(a->o.net.nameserver, &a->o.net.n_nameserver); return 0;
	case NET_OPT_SEARCHDOMAIN: net_push(a->o.net.searchdomain, &a->o.net.n_searchdomain); return 0;
	case NET_OPT_NETIF_ADD: net_push(a->o.net.netif_add, &a->o.net.n_netif_add); return 0;
	case NET_OPT_NETIF_DEL: net_push(a->o.net.netif_del, &a->o.net.n_netif_del); return 0;
	case OPT_RAM: a->o.limits.ram = optarg; return 0;
	case OPT_SWAP: a->o.limits.swap = optarg; return 0;
	case OPT_PHYSPAGES: a->o.limits.physpages = optarg; return 0;
	case OPT_SWAPPAGES: a->o.limits.swappages = optarg; return 0;
	case OPT_NUMPROC: a->o.limits.numproc = optarg; return 0;
	case OPT_NUMFILE: a->o.limits.numfile = optarg; return 0;
	case OPT_KMEMSIZE: a->o.limits.kmemsize = optarg; return 0;
	case OPT_LOCKEDPAGES: a->o.limits.lockedpages = optarg; return 0;
	case OPT_CPUUNITS: a->o.limits.cpuunits = optarg; return 0;
	case OPT_CPULIMIT: a->o.limits.cpulimit = optarg; return 0;
	case OPT_CPUS: a->o.limits.cpus = optarg; return 0;
	case OPT_CPUMASK: a->o.limits.cpumask = optarg; return 0;
	case OPT_IOPRIO: a->o.limits.ioprio = optarg; return 0;
	case 'o':
		if (parse_yesno(optarg, &b, "--onboot", &err) < 0) {
			cli_error(&err);
			return 2;
		}
		a->o.onboot = b;
		return 0;
	}
	return 2;
}

static int set_run(int argc, char **argv, int idx, struct set_args *ap);

int cmd_set(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hostname", required_argument, 0, 'h' }, { "userpasswd", required_argument, 0, 'p' },
		{ "onboot", required_argument, 0, 'o' },   { "save", no_argument, 0, 's' },
		{ "diskspace", required_argument, 0, 'D' }, { "diskinodes", required_argument, 0, 'I' },
		{ "ipadd", required_argument, 0, NET_OPT_IPADD },    { "ipdel", required_argument, 0, NET_OPT_IPDEL },
		{ "nameserver", required_argument, 0, NET_OPT_NAMESERVER },
		{ "searchdomain", required_argument, 0, NET_OPT_SEARCHDOMAIN },
		{ "netif_add", required_argument, 0, NET_OPT_NETIF_ADD }, { "netif_del", required_argument, 0, NET_OPT_NETIF_DEL },
		{ "ram", required_argument, 0, OPT_RAM },
		{ "swap", required_argument, 0, OPT_SWAP },
		{ "physpages", required_argument, 0, OPT_PHYSPAGES },
		{ "swappages", required_argument, 0, OPT_SWAPPAGES },
		{ "numproc", required_argument, 0, OPT_NUMPROC },
		{ "numfile", required_argument, 0, OPT_NUMFILE },
		{ "kmemsize", required_argument, 0, OPT_KMEMSIZE },
		{ "lockedpages", required_argument, 0, OPT_LOCKEDPAGES },
		{ "cpuunits", required_argument, 0, OPT_CPUUNITS },
		{ "cpulimit", required_argument, 0, OPT_CPULIMIT },
		{ "cpus", required_argument, 0, OPT_CPUS },
		{ "cpumask", required_argument, 0, OPT_CPUMASK },
		{ "ioprio", required_argument, 0, OPT_IOPRIO },
		{ 0, 0, 0, 0 } };
	struct set_args a = { .o = { .onboot = -1 } };
	/* Each list can hold every argument; one allocation for all six. */
	const char **lists = calloc((size_t)argc * 6 + 6, sizeof *lists);
	if (!lists)
		return cli_fail("out of memory");
	struct ct_net_opts *no = &a.o.net;
	no->ipadd = lists;
	no->ipdel = lists + (argc + 1);
	no->nameserver = lists + 2 * (argc + 1);
	no->searchdomain = lists + 3 * (argc + 1);
	no->netif_add = lists + 4 * (argc + 1);
	no->netif_del = lists + 5 * (argc + 1);
	int idx, r = cli_one_id(argc, argv, "set", opts, set_opt, &a, &idx);
	if (r == 0)
		r = set_run(argc, argv, idx, &a);
	free(lists);
	return r;
}

static int set_run(int argc, char **argv, int idx, struct set_args *ap)
{
	struct set_args a = *ap;
	int r;
	struct ct_ctx ctx;
	unsigned ctid;
	if ((r = cli_ctx_id(argc, argv, idx, &ctx, &ctid, "set")))
		return r;
	struct vireo_err err = { 0 };
	if (ct_set(&ctx, ctid, &a.o, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	if (a.o.save)
		printf("Saved parameters for CT %u\n", ctid);
	return 0;
}

int cmd_template(int argc, char **argv)
{
	struct vireo_err err = { 0 };
	struct ct_ctx ctx;
	if (argc < 2)
		return cli_fail("template: expected 'create NAME' or 'list'");
	if (ct_ctx_init(&ctx, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	if (!strcmp(argv[1], "list") && argc == 2) {
		char **names;
		size_t n;
		if (tmpl_list(&ctx, &names, &n, &err) < 0) {
			cli_error(&err);
			return 1;
		}
		for (size_t i = 0; i < n; i++) {
			printf("%s\n", names[i]);
			free(names[i]);
		}
		free(names);
		return 0;
	}
	if (!strcmp(argv[1], "create") && argc == 3) {
		if (tmpl_create(&ctx, argv[2], &err) < 0) {
			cli_error(&err);
			return 1;
		}
		printf("Template %s cached\n", argv[2]);
		return 0;
	}
	return cli_fail("template: expected 'create NAME' or 'list'");
}
