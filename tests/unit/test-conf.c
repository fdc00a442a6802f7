/* tests/unit/test-conf: lib/conf — parsing KEY="value" files, strictness (every refusal names
 * file and line), conf_set, format/parse round trips, atomic conf_save and conf_load.
 * Files live in a mkdtemp directory under /tmp that is removed at the end. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "check-fs.h"
#include "lib/conf.h"
#include "lib/util.h"

static int parse_str(struct conf *c, const char *text, struct vireo_err *err)
{
	return conf_parse(c, text, strlen(text), "test.conf", err);
}

static void test_parse_basic(void)
{
	struct conf c;
	struct vireo_err err;
	const char *text = "# a comment\n"
			   "\n"
			   "   \t\n"
			   "ONBOOT=\"yes\"\n"
			   "  # indented comment\n"
			   "HOSTNAME=\"web.example.com\"   # trailing comment\n"
			   "DISKSPACE=10G\n"
			   "EMPTY=\"\"\n"
			   "BARE=\n"
			   "ESC=\"say \\\"hi\\\" C:\\\\dir\"\n"
			   "HASH=\"a#b = c\"\n"
			   "  INDENTED=\"x\"\t\n"
			   "UNQ=abc # comment\n"
			   "_UNDER1=\"u\"\n";
	verr_clear(&err);
	CHECK(parse_str(&c, text, &err) == 0);
	CHECK(c.n == 10);
	if (c.n == 10) {
		static const char *const keys[] = { "ONBOOT", "HOSTNAME", "DISKSPACE", "EMPTY",
						    "BARE",   "ESC",      "HASH",      "INDENTED",
						    "UNQ",    "_UNDER1" };
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			CHECK(strcmp(c.kv[i].key, keys[i]) == 0);
	}
	CHECK(conf_get(&c, "ONBOOT") && strcmp(conf_get(&c, "ONBOOT"), "yes") == 0);
	CHECK(conf_get(&c, "HOSTNAME") && strcmp(conf_get(&c, "HOSTNAME"), "web.example.com") == 0);
	CHECK(conf_get(&c, "DISKSPACE") && strcmp(conf_get(&c, "DISKSPACE"), "10G") == 0);
	CHECK(conf_get(&c, "EMPTY") && strcmp(conf_get(&c, "EMPTY"), "") == 0);
	CHECK(conf_get(&c, "BARE") && strcmp(conf_get(&c, "BARE"), "") == 0);
	CHECK(conf_get(&c, "ESC") && strcmp(conf_get(&c, "ESC"), "say \"hi\" C:\\dir") == 0);
	CHECK(conf_get(&c, "HASH") && strcmp(conf_get(&c, "HASH"), "a#b = c") == 0);
	CHECK(conf_get(&c, "INDENTED") && strcmp(conf_get(&c, "INDENTED"), "x") == 0);
	CHECK(conf_get(&c, "UNQ") && strcmp(conf_get(&c, "UNQ"), "abc") == 0);
	CHECK(conf_get(&c, "_UNDER1") && strcmp(conf_get(&c, "_UNDER1"), "u") == 0);
	CHECK(conf_get(&c, "MISSING") == NULL);
	CHECK(conf_get(&c, "onboot") == NULL);
	conf_free(&c);
	CHECK(c.n == 0 && c.kv == NULL);

	/* Empty input and comment-only input are valid, empty configurations. */
	CHECK(conf_parse(&c, "", 0, "empty.conf", &err) == 0 && c.n == 0);
	conf_free(&c);
	CHECK(parse_str(&c, "# only\n\n", &err) == 0 && c.n == 0);
	conf_free(&c);

	/* A key given twice: the later value wins, the first position is kept. */
	CHECK(parse_str(&c, "A=\"1\"\nB=\"2\"\nA=\"3\"\n", &err) == 0);
	CHECK(c.n == 2 && strcmp(c.kv[0].key, "A") == 0 && strcmp(c.kv[0].val, "3") == 0);
	conf_free(&c);
}

/* Refused: -EINVAL, c left empty, the message names the file and "line N". */
static bool refused(const char *text, size_t len, size_t line)
{
	struct conf c;
	struct vireo_err err;
	char want[64];
	verr_clear(&err);
	memset(&c, 0xa5, sizeof c);
	int r = conf_parse(&c, text, len, "/etc/vireo/101.conf", &err);
	snprintf(want, sizeof want, "line %zu:", line);
	bool ok = r == -EINVAL && err.code == EINVAL && c.n == 0 && c.kv == NULL &&
		  strstr(err.msg, "/etc/vireo/101.conf") != NULL && strstr(err.msg, want) != NULL;
	if (!ok)
		fprintf(stderr, "  conf_parse r=%d msg='%s' (want file and '%s')\n", r, err.msg, want);
	if (r == 0)
		conf_free(&c);
	return ok;
}

#define REFUSED(lit, line) refused(lit, sizeof(lit) - 1, line)

static void test_parse_strict(void)
{
	CHECK(REFUSED("A=\"1\"\nB=\"2\"", 2));                  /* truncated: no final newline */
	CHECK(REFUSED("A=\"1\"\nB=\"2", 2));                    /* truncated inside a quote */
	CHECK(REFUSED("A", 1));                                 /* truncated, single line */
	CHECK(REFUSED("A=\"1\"\nB=\"unterminated\n", 2));       /* unterminated quote */
	CHECK(REFUSED("A=\"ends in backslash\\\"\n", 1));       /* the quote is escaped */
	CHECK(REFUSED("A=\"x\\\n", 1));                         /* backslash before newline */
	CHECK(REFUSED("# c\n\nNOEQUALS\n", 3));                 /* line without '=' */
	CHECK(REFUSED("A=\"1\"\nlower=\"x\"\n", 2));            /* lowercase key */
	CHECK(REFUSED("A=\"1\"\nMixed=\"x\"\n", 2));
	CHECK(REFUSED("=\"x\"\n", 1));                          /* empty key */
	CHECK(REFUSED("1A=\"x\"\n", 1));                        /* key starts with a digit */
	CHECK(REFUSED("A-B=\"x\"\n", 1));
	CHECK(REFUSED("A =\"x\"\n", 1));                        /* space before '=' */
	CHECK(REFUSED("A=\"1\"\nB=\"2\"x\n", 2));               /* garbage after closing quote */
	CHECK(REFUSED("A=\"1\"\"2\"\n", 1));
	CHECK(REFUSED("A=\"1\"\r\n", 1));                       /* CRLF line ending */
	CHECK(REFUSED("A=two words\n", 1));                     /* unquoted value with a space */
	CHECK(REFUSED("A=a\"b\"\n", 1));
	CHECK(REFUSED("A=a\\b\n", 1));
	CHECK(REFUSED("A=\"1\"\nB=\"2\"\nC=\"a\0b\"\nD=\"4\"\n", 3)); /* NUL byte on line 3 */
	CHECK(REFUSED("\0A=\"1\"\n", 1));

	/* A key longer than 64 characters is refused; 64 is fine. */
	char text[200];
	char k64[65];
	memset(k64, 'K', 64);
	k64[64] = '\0';
	snprintf(text, sizeof text, "%s=\"v\"\n", k64);
	struct conf c;
	struct vireo_err err;
	CHECK(parse_str(&c, text, &err) == 0 && c.n == 1);
	conf_free(&c);
	snprintf(text, sizeof text, "A=\"1\"\n%sK=\"v\"\n", k64);
	CHECK(refused(text, strlen(text), 2));
}

static void test_set(void)
{
	struct conf c = { 0 };
	CHECK(conf_set(&c, "A", "1") == 0);
	CHECK(conf_set(&c, "B", "2") == 0);
	CHECK(conf_set(&c, "C", "3") == 0);
	CHECK(c.n == 3);
	/* Replace keeps the position. */
	CHECK(conf_set(&c, "B", "two") == 0);
	CHECK(c.n == 3 && strcmp(c.kv[1].key, "B") == 0 && strcmp(c.kv[1].val, "two") == 0);
	/* Setting to the value it already holds (aliasing) works. */
	CHECK(conf_set(&c, "B", conf_get(&c, "B")) == 0);
	CHECK(strcmp(conf_get(&c, "B"), "two") == 0);
	/* Remove keeps the others in order. */
	CHECK(conf_set(&c, "A", NULL) == 0);
	CHECK(c.n == 2 && strcmp(c.kv[0].key, "B") == 0 && strcmp(c.kv[1].key, "C") == 0);
	CHECK(conf_get(&c, "A") == NULL);
	/* Removing a missing key is a no-op. */
	CHECK(conf_set(&c, "NOPE", NULL) == 0 && c.n == 2);
	/* Add appends. */
	CHECK(conf_set(&c, "A", "again") == 0);
	CHECK(c.n == 3 && strcmp(c.kv[2].key, "A") == 0);
	CHECK(conf_set(&c, "C", NULL) == 0);
	CHECK(conf_set(&c, "B", NULL) == 0);
	CHECK(conf_set(&c, "A", NULL) == 0);
	CHECK(c.n == 0);

	/* Many keys: growth keeps everything and the order. */
	char k[16], v[16];
	for (int i = 0; i < 100; i++) {
		snprintf(k, sizeof k, "K%d", i);
		snprintf(v, sizeof v, "v%d", i);
		CHECK(conf_set(&c, k, v) == 0);
	}
	CHECK(c.n == 100);
	bool order = c.n == 100;
	for (int i = 0; order && i < 100; i++) {
		snprintf(k, sizeof k, "K%d", i);
		order = strcmp(c.kv[i].key, k) == 0;
	}
	CHECK(order);
	CHECK(conf_get(&c, "K57") && strcmp(conf_get(&c, "K57"), "v57") == 0);
	conf_free(&c);
}

static const char *const tricky[] = {
	"",
	"plain",
	"with \"quotes\" inside",
	"\"",
	"\\",
	"\\\"",
	"ends with backslash\\",
	"C:\\path\\to\\",
	"# not a comment",
	"a=b=c",
	"  leading and trailing spaces  ",
	"tab\there",
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa6",
	"'single' `back` $dollar ${VAR} $(cmd)",
	"\xff\xfe raw high bytes",
	"\r carriage return",
};

static void test_roundtrip(void)
{
	struct conf c = { 0 }, d;
	struct vireo_err err;
	char k[16];
	for (size_t i = 0; i < ARRAY_SIZE(tricky); i++) {
		snprintf(k, sizeof k, "KEY_%zu", i);
		CHECK(conf_set(&c, k, tricky[i]) == 0);
	}
	char *text = conf_format(&c);
	CHECK(text != NULL);
	if (!text) {
		conf_free(&c);
		return;
	}
	const char *head = "KEY_0=\"\"\nKEY_1=\"plain\"\nKEY_2=\"with \\\"quotes\\\" inside\"\n"
			   "KEY_3=\"\\\"\"\nKEY_4=\"\\\\\"\n";
	CHECK(strncmp(text, head, strlen(head)) == 0);
	verr_clear(&err);
	int r = conf_parse(&d, text, strlen(text), "roundtrip", &err);
	if (r < 0)
		fprintf(stderr, "  %s\n", err.msg);
	CHECK(r == 0);
	CHECK(r == 0 && d.n == c.n);
	for (size_t i = 0; r == 0 && i < c.n && i < d.n; i++) {
		CHECK(strcmp(d.kv[i].key, c.kv[i].key) == 0);
		bool same = strcmp(d.kv[i].val, c.kv[i].val) == 0;
		if (!same)
			fprintf(stderr, "  round trip of [%s] gave [%s]\n", c.kv[i].val, d.kv[i].val);
		CHECK(same);
	}
	if (r == 0) {
		/* Formatting the parsed copy gives the same text. */
		char *again = conf_format(&d);
		CHECK(again && strcmp(again, text) == 0);
		free(again);
		conf_free(&d);
	}
	free(text);
	conf_free(&c);

	/* An empty configuration formats to an empty file. */
	struct conf e = { 0 };
	text = conf_format(&e);
	CHECK(text && text[0] == '\0');
	free(text);
}

/* Count the entries of dir; *others counts (and reports) those not named except. */
static int count_named(const char *dir, const char *except, int *others)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	*others = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		if (strcmp(de->d_name, except)) {
			(*others)++;
			fprintf(stderr, "  stray file: %s/%s\n", dir, de->d_name);
		}
	}
	closedir(d);
	return n;
}

static void test_save_load(const char *dir)
{
	char path[4096], bad[4096];
	struct vireo_err err;
	struct conf c = { 0 }, d;
	CHECK(util_path(path, sizeof path, "%s/101.conf", dir) == 0);

	for (size_t i = 0; i < ARRAY_SIZE(tricky); i++) {
		char k[16];
		snprintf(k, sizeof k, "V%zu", i);
		CHECK(conf_set(&c, k, tricky[i]) == 0);
	}
	mode_t old = umask(077); /* the mode must not depend on the umask */
	verr_clear(&err);
	CHECK(conf_save(&c, path, &err) == 0);
	umask(old);

	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644);
	int others = -1;
	CHECK(count_named(dir, "101.conf", &others) == 1 && others == 0);

	CHECK(conf_load(&d, path, &err) == 0);
	CHECK(d.n == c.n);
	for (size_t i = 0; i < c.n && i < d.n; i++)
		CHECK(strcmp(d.kv[i].key, c.kv[i].key) == 0 && strcmp(d.kv[i].val, c.kv[i].val) == 0);
	conf_free(&d);

	/* Save again over the existing file: replaced, still no temporaries. */
	CHECK(conf_set(&c, "V0", "changed") == 0);
	CHECK(conf_set(&c, "V1", NULL) == 0);
	CHECK(conf_save(&c, path, &err) == 0);
	CHECK(count_named(dir, "101.conf", &others) == 1 && others == 0);
	CHECK(conf_load(&d, path, &err) == 0);
	CHECK(d.n == c.n && conf_get(&d, "V1") == NULL);
	CHECK(conf_get(&d, "V0") && strcmp(conf_get(&d, "V0"), "changed") == 0);
	conf_free(&d);

	/* The file on disk is exactly conf_format's text. */
	char *want = conf_format(&c), *got = NULL;
	size_t len = 0;
	CHECK(util_read_file(path, 1 << 20, &got, &len, &err) == 0);
	CHECK(want && got && len == strlen(want) && memcmp(got, want, len) == 0);
	free(want);
	free(got);
	conf_free(&c);

	/* Saving into a missing directory fails, names the path, and leaves nothing. */
	CHECK(util_path(bad, sizeof bad, "%s/nodir/1.conf", dir) == 0);
	struct conf one = { 0 };
	CHECK(conf_set(&one, "A", "1") == 0);
	verr_clear(&err);
	CHECK(conf_save(&one, bad, &err) == -ENOENT);
	CHECK(strstr(err.msg, "nodir") != NULL);
	conf_free(&one);

	/* Loading: a missing file, and a truncated file on disk naming path and line. */
	verr_clear(&err);
	CHECK(conf_load(&d, bad, &err) == -ENOENT && strstr(err.msg, "nodir/1.conf") != NULL);
	CHECK(util_path(bad, sizeof bad, "%s/trunc.conf", dir) == 0);
	const char *trunc = "A=\"1\"\nB=\"2\"\nC=\"3";
	CHECK(util_write_file_atomic(bad, trunc, strlen(trunc), 0644, &err) == 0);
	verr_clear(&err);
	CHECK(conf_load(&d, bad, &err) == -EINVAL);
	CHECK(strstr(err.msg, bad) != NULL && strstr(err.msg, "line 3") != NULL);
	unlink(bad);
	unlink(path);
}

int main(void)
{
	char dir[] = "/tmp/vireo-test-conf.XXXXXX";
	test_parse_basic();
	test_parse_strict();
	test_set();
	test_roundtrip();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		CHECK(0);
		return check_done();
	}
	test_save_load(dir);
	check_remove_tmpdir(dir);
	return check_done();
}
