/* cli/cmd-list: "vireo list" / vzlist: a table in vzlist's format or JSON. Fields are chosen
 * with -o, sorted with -s; running containers only unless -a (all) or -S (stopped). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/json.h"

enum field_kind { F_NUM, F_STR };

struct field {
	const char *name;   /* what -o and -s take */
	const char *header; /* vzlist's column title */
	int width;          /* negative: left-aligned */
	enum field_kind kind;
	int ubc;            /* beancounter fields: UBC_* + 1; 0 otherwise */
	char part;          /* of a beancounter: 'h'eld, 'm'axheld, 'b'arrier, 'l'imit, 'f'ailcnt */
	int cpu;            /* CPU fields: X_* below; 0 otherwise */
};

enum { X_CPUUNITS = 1, X_CPULIMIT, X_CPUS, X_LAVERAGE, X_UPTIME };

/* One beancounter's five columns, with OpenVZ's suffixes. */
#define UBC_FIELDS(n, H, r)                                                                  \
	{ n, H, 12, F_NUM, r + 1, 'h', 0 }, { n ".m", H ".M", 12, F_NUM, r + 1, 'm', 0 },   \
	{ n ".b", H ".B", 19, F_NUM, r + 1, 'b', 0 }, { n ".l", H ".L", 19, F_NUM, r + 1, 'l', 0 }, \
	{ n ".f", H ".F", 10, F_NUM, r + 1, 'f', 0 }

/* Entries without the beancounter/CPU members leave them 0. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct field fields[] = {
	{ "ctid", "CTID", 10, F_NUM },         { "numproc", "NPROC", 10, F_NUM },
	{ "status", "STATUS", -9, F_STR },     { "ip", "IP_ADDR", -15, F_STR },
	{ "hostname", "HOSTNAME", -20, F_STR }, { "name", "NAME", -12, F_STR },
	{ "ostemplate", "OSTEMPLATE", -16, F_STR }, { "onboot", "ONBOOT", -6, F_STR },
	{ "userns", "USERNS", -6, F_STR },     { "private", "PRIVATE", -30, F_STR },
	{ "root", "ROOT", -30, F_STR },
	/* beancounters, CPU and load: read only when asked for */
	{ "numproc.m", "NPROC.M", 10, F_NUM, UBC_NUMPROC + 1, 'm', 0 },
	{ "numproc.b", "NPROC.B", 19, F_NUM, UBC_NUMPROC + 1, 'b', 0 },
	{ "numproc.l", "NPROC.L", 19, F_NUM, UBC_NUMPROC + 1, 'l', 0 },
	{ "numproc.f", "NPROC.F", 10, F_NUM, UBC_NUMPROC + 1, 'f', 0 },
	UBC_FIELDS("kmemsize", "KMEMSIZE", UBC_KMEMSIZE),
	UBC_FIELDS("lockedpages", "LOCKEDP", UBC_LOCKEDPAGES),
	UBC_FIELDS("physpages", "PHYSP", UBC_PHYSPAGES),
	UBC_FIELDS("swappages", "SWAPP", UBC_SWAPPAGES),
	UBC_FIELDS("numfile", "NUMFILE", UBC_NUMFILE),
	UBC_FIELDS("numpty", "NUMPTY", UBC_NUMPTY),
	{ "diskspace", "DQBLOCKS", 12, F_NUM, UBC_DISKSPACE + 1, 'h', 0 },
	{ "diskspace.s", "DQBLOCKS.S", 19, F_NUM, UBC_DISKSPACE + 1, 'b', 0 },
	{ "diskspace.h", "DQBLOCKS.H", 19, F_NUM, UBC_DISKSPACE + 1, 'l', 0 },
	{ "diskinodes", "DQINODES", 12, F_NUM, UBC_DISKINODES + 1, 'h', 0 },
	{ "diskinodes.s", "DQINODES.S", 19, F_NUM, UBC_DISKINODES + 1, 'b', 0 },
	{ "diskinodes.h", "DQINODES.H", 19, F_NUM, UBC_DISKINODES + 1, 'l', 0 },
	{ "cpuunits", "CPUUNI", 8, F_NUM, 0, 0, X_CPUUNITS },
	{ "cpulimit", "CPULIM", 6, F_NUM, 0, 0, X_CPULIMIT },
	{ "cpus", "CPUS", 4, F_NUM, 0, 0, X_CPUS },
	{ "laverage", "LAVERAGE", -14, F_STR, 0, 0, X_LAVERAGE },
	{ "uptime", "UPTIME", 10, F_NUM, 0, 0, X_UPTIME },
};
#pragma GCC diagnostic pop
#define NFIELDS (sizeof fields / sizeof fields[0])

/* A listed container, and what was read for the columns asked for. */
struct row {
	struct ct_info in;
	struct ct_ubc_val ubc[UBC_COUNT];
	struct ct_cpu_stat cpu;
};

static const char *extra_value(const struct row *r, const struct field *f, char *buf,
			       size_t size, long long *num)
{
	bool running = r->in.state == CT_STATE_RUNNING;
	if (f->ubc) {
		const struct ct_ubc_val *v = &r->ubc[f->ubc - 1];
		uint64_t x;
		if (!v->avail)
			return "-";
		switch (f->part) {
		case 'm': x = v->maxheld; break;
		case 'b': x = v->barrier; break;
		case 'l': x = v->limit; break;
		case 'f': x = v->failcnt; break;
		default: x = v->held; break;
		}
		if (!running && f->part != 'b' && f->part != 'l')
			return "-";
		if (x > UBC_UNLIMITED)
			x = UBC_UNLIMITED;
		*num = (long long)x;
		snprintf(buf, size, "%llu", (unsigned long long)x);
		return buf;
	}
	const struct ct_cpu_stat *c = &r->cpu;
	switch (f->cpu) {
	case X_CPUUNITS: *num = (long long)c->cpuunits; break;
	case X_CPULIMIT: *num = (long long)c->cpulimit; break;
	case X_CPUS: *num = (long long)c->cpus; break;
	case X_LAVERAGE:
		if (!c->la_avail)
			return "-";
		*num = (long long)(c->laverage[0] * 100);
		snprintf(buf, size, "%.2f/%.2f/%.2f", c->laverage[0], c->laverage[1],
			 c->laverage[2]);
		return buf;
	case X_UPTIME:
		if (!c->running)
			return "-";
		*num = (long long)c->uptime;
		snprintf(buf, size, "%.3f", c->uptime);
		return buf;
	}
	snprintf(buf, size, "%lld", *num);
	return buf;
}

static const char *state_name(enum ct_state s)
{
	return s == CT_STATE_RUNNING ? "running" : s == CT_STATE_SUSPENDED ? "suspended" : "stopped";
}

/* The value of field f of a container as text ("-" when empty), and as a number. */
static const char *value(const struct row *r, size_t f, char *buf, size_t size, long long *num)
{
	const struct ct_info *in = &r->in;
	*num = 0;
	if (fields[f].ubc || fields[f].cpu)
		return extra_value(r, &fields[f], buf, size, num);
	switch (f) {
	case 0: *num = in->ctid; snprintf(buf, size, "%u", in->ctid); return buf;
	case 1:
		*num = in->nproc;
		if (in->nproc < 0)
			return "-";
		snprintf(buf, size, "%ld", in->nproc);
		return buf;
	case 2: return state_name(in->state);
	case 3: return in->ip[0] ? in->ip : "-";
	case 4: return in->hostname[0] ? in->hostname : "-";
	case 5: return in->name[0] ? in->name : "-";
	case 6: return in->ostemplate;
	case 7: return in->onboot ? "yes" : "no";
	case 8: return in->userns ? "yes" : "no";
	case 9: return in->private_path;
	case 10: return in->root_path;
	}
	return "-";
}

static int find_field(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(fields[i].name, name))
			return (int)i;
	/* vzlist's spellings */
	if (!strcmp(name, "veid") || !strcmp(name, "vpsid"))
		return 0;
	if (!strcmp(name, "nproc"))
		return 1;
	if (!strcmp(name, "ip_addr"))
		return 3;
	return -1;
}

static int sort_field, sort_desc;

static int cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	char ba[PATH_MAX], bb[PATH_MAX];
	long long na, nb;
	const char *sa = value(x, (size_t)sort_field, ba, sizeof ba, &na);
	const char *sb = value(y, (size_t)sort_field, bb, sizeof bb, &nb);
	int c = fields[sort_field].kind == F_NUM ? (na > nb) - (na < nb) : strcmp(sa, sb);
	if (c == 0)
		c = (x->in.ctid > y->in.ctid) - (x->in.ctid < y->in.ctid);
	return sort_desc ? -c : c;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, 0, 'a' },      { "stopped", no_argument, 0, 'S' },
		{ "output", required_argument, 0, 'o' }, { "no-header", no_argument, 0, 'H' },
		{ "json", no_argument, 0, 'j' },     { "sort", required_argument, 0, 's' },
		{ "name", no_argument, 0, 'n' },     { 0, 0, 0, 0 } };
	bool all = false, stopped = false, header = true, json = false, names = false;
	int cols[NFIELDS * 2], ncols = 0;
	const char *sort = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:aSo:Hjs:n", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'S': stopped = true; break;
		case 'H': header = false; break;
		case 'j': json = true; break;
		case 'n': names = true; break;
		case 's': sort = optarg; break;
		case 'o': {
			char *list = strdup(optarg), *save = NULL;
			if (!list)
				return cli_fail("out of memory");
			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				int f = find_field(t);
				if (f < 0) {
					int r = cli_fail("list: unknown field '%.40s'", t);
					free(list);
					return r;
				}
				if (ncols < (int)(sizeof cols / sizeof cols[0]))
					cols[ncols++] = f;
			}
			free(list);
			if (ncols == 0)
				return cli_fail("list: -o needs at least one field");
			break;
		}
		case ':': return cli_fail("list: option '%s' needs a value", argv[optind - 1]);
		default: return cli_fail("list: unknown option '%s'", argv[optind - 1]);
		}
	}
	struct ct_ctx ctx;
	struct vireo_err err = { 0 };
	if (ct_ctx_init(&ctx, &err) < 0) {
		cli_error(&err);
		return 1;
	}
	/* Optional IDs or names restrict the listing. */
	unsigned *want = NULL;
	size_t nwant = 0;
	if (optind < argc) {
		want = calloc((size_t)(argc - optind), sizeof *want);
		if (!want)
			return cli_fail("out of memory");
		for (int i = optind; i < argc; i++)
			if (ct_resolve(&ctx, argv[i], &want[nwant++], &err) < 0) {
				free(want);
				cli_error(&err);
				return 1;
			}
		all = true;
	}
	if (ncols == 0) {
		int def[] = { 0, 1, 2, 3, names ? 5 : 4 };
		memcpy(cols, def, sizeof def);
		ncols = 5;
	}
	sort_field = 0;
	sort_desc = 0;
	if (sort) {
		sort_desc = sort[0] == '-';
		int f = find_field(sort + sort_desc);
		if (f < 0) {
			free(want);
			return cli_fail("list: unknown sort field '%.40s'", sort + sort_desc);
		}
		sort_field = f;
	}
	struct ct_info *list;
	size_t n;
	if (ct_list(&ctx, &list, &n, &err) < 0) {
		free(want);
		cli_error(&err);
		return 1;
	}
	/* Beancounters and CPU state are read only for the columns asked for. */
	bool need_ubc = fields[sort_field].ubc != 0, need_cpu = fields[sort_field].cpu != 0;
	for (int k = 0; k < ncols; k++) {
		need_ubc |= fields[cols[k]].ubc != 0;
		need_cpu |= fields[cols[k]].cpu != 0;
	}
	struct row *rows = calloc(n ? n : 1, sizeof *rows);
	if (!rows) {
		free(list);
		free(want);
		return cli_fail("out of memory");
	}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool show = all || (stopped ? list[i].state != CT_STATE_RUNNING
					    : list[i].state == CT_STATE_RUNNING);
		if (nwant) {
			show = false;
			for (size_t k = 0; k < nwant; k++)
				show |= want[k] == list[i].ctid;
		}
		if (!show)
			continue;
		struct row *r = &rows[kept++];
		r->in = list[i];
		if (need_ubc && ct_ubc_get(&ctx, r->in.ctid, r->ubc, &err) < 0)
			memset(r->ubc, 0, sizeof r->ubc); /* removed meanwhile: "-" */
		if (need_cpu && ct_cpu_stat_get(&ctx, r->in.ctid, &r->cpu, &err) < 0)
			memset(&r->cpu, 0, sizeof r->cpu);
	}
	free(list);
	free(want);
	if (kept > 1)
		qsort(rows, kept, sizeof *rows, cmp);
	char buf[PATH_MAX];
	long long num;
	if (json) {
		struct json j;
		json_init(&j, stdout, true);
		json_array_begin(&j);
		for (size_t i = 0; i < kept; i++) {
			json_object_begin(&j);
			for (int k = 0; k < ncols; k++) {
				const struct field *f = &fields[cols[k]];
				const char *v = value(&rows[i], (size_t)cols[k], buf, sizeof buf, &num);
				json_key(&j, f->name);
				if (f->kind == F_NUM && strcmp(v, "-"))
					json_int(&j, num);
				else if (!strcmp(v, "-"))
					json_null(&j);
				else
					json_string(&j, v);
			}
			json_object_end(&j);
		}
		json_array_end(&j);
		json_end(&j);
		free(rows);
		return 0;
	}
	if (header) {
		for (int k = 0; k < ncols; k++) {
			const struct field *f = &fields[cols[k]];
			bool last = k == ncols - 1;
			if (f->width < 0 && last)
				printf("%s", f->header);
			else
				printf("%*s", f->width, f->header);
			if (!last)
				putchar(' ');
		}
		putchar('\n');
	}
	for (size_t i = 0; i < kept; i++) {
		for (int k = 0; k < ncols; k++) {
			const struct field *f = &fields[cols[k]];
			const char *v = value(&rows[i], (size_t)cols[k], buf, sizeof buf, &num);
			bool last = k == ncols - 1;
			if (f->width < 0 && last)
				printf("%s", v);
			else
				printf("%*s", f->width, v);
			if (!last)
				putchar(' ');
		}
		putchar('\n');
	}
	free(rows);
	if (kept == 0 && !json && !header)
		return 0;
	return 0;
}
