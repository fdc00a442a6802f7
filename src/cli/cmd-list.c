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
};

static const struct field fields[] = {
	{ "ctid", "CTID", 10, F_NUM },         { "numproc", "NPROC", 10, F_NUM },
	{ "status", "STATUS", -9, F_STR },     { "ip", "IP_ADDR", -15, F_STR },
	{ "hostname", "HOSTNAME", -20, F_STR }, { "name", "NAME", -12, F_STR },
	{ "ostemplate", "OSTEMPLATE", -16, F_STR }, { "onboot", "ONBOOT", -6, F_STR },
	{ "userns", "USERNS", -6, F_STR },     { "private", "PRIVATE", -30, F_STR },
	{ "root", "ROOT", -30, F_STR },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static const char *state_name(enum ct_state s)
{
	return s == CT_STATE_RUNNING ? "running" : s == CT_STATE_SUSPENDED ? "suspended" : "stopped";
}

/* The value of field f of a container as text ("-" when empty), and as a number. */
static const char *value(const struct ct_info *in, size_t f, char *buf, size_t size,
			 long long *num)
{
	*num = 0;
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
	const struct ct_info *x = a, *y = b;
	char ba[PATH_MAX], bb[PATH_MAX];
	long long na, nb;
	const char *sa = value(x, (size_t)sort_field, ba, sizeof ba, &na);
	const char *sb = value(y, (size_t)sort_field, bb, sizeof bb, &nb);
	int c = fields[sort_field].kind == F_NUM ? (na > nb) - (na < nb) : strcmp(sa, sb);
	if (c == 0)
		c = (x->ctid > y->ctid) - (x->ctid < y->ctid);
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
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool show = all || (stopped ? list[i].state != CT_STATE_RUNNING
					    : list[i].state == CT_STATE_RUNNING);
		if (nwant) {
			show = false;
			for (size_t k = 0; k < nwant; k++)
				show |= want[k] == list[i].ctid;
		}
		if (show)
			list[kept++] = list[i];
	}
	free(want);
	if (kept > 1)
		qsort(list, kept, sizeof *list, cmp);
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
				const char *v = value(&list[i], (size_t)cols[k], buf, sizeof buf, &num);
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
		free(list);
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
			const char *v = value(&list[i], (size_t)cols[k], buf, sizeof buf, &num);
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
	free(list);
	if (kept == 0 && !json && !header)
		return 0;
	return 0;
}
