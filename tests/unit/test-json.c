/* tests/unit/test-json: lib/json — exact output of the streaming writer, compact and pretty,
 * and string escaping (quotes, backslash, control characters, UTF-8 valid and invalid). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/json.h"

struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static void mem_open(struct mem *m, struct json *j, bool pretty)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	json_init(j, m->f, pretty);
}

/* Close the stream and compare; prints both on mismatch. */
static bool mem_is(struct mem *m, const char *want)
{
	if (!m->f)
		return false;
	fclose(m->f);
	m->f = NULL;
	bool ok = m->buf && strcmp(m->buf, want) == 0;
	if (!ok)
		fprintf(stderr, "  got:  [%s]\n  want: [%s]\n", m->buf ? m->buf : "(null)", want);
	free(m->buf);
	m->buf = NULL;
	return ok;
}

/* One string value on its own, compact. */
static bool string_is(const char *s, const char *want)
{
	struct mem m;
	struct json j;
	mem_open(&m, &j, false);
	json_string(&j, s);
	return mem_is(&m, want);
}

static void test_scalars(void)
{
	struct mem m;
	struct json j;

	mem_open(&m, &j, false);
	json_array_begin(&j);
	json_int(&j, 0);
	json_int(&j, -1);
	json_int(&j, INT64_MIN);
	json_int(&j, INT64_MAX);
	json_uint(&j, UINT64_MAX);
	json_bool(&j, true);
	json_bool(&j, false);
	json_null(&j);
	json_string(&j, NULL);
	json_string(&j, "");
	json_array_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "[0,-1,-9223372036854775808,9223372036854775807,18446744073709551615,"
			 "true,false,null,null,\"\"]\n"));
}

static void test_nested(void)
{
	struct mem m;
	struct json j;

	mem_open(&m, &j, false);
	json_object_begin(&j);
	json_object_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "{}\n"));

	mem_open(&m, &j, false);
	json_array_begin(&j);
	json_array_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "[]\n"));

	mem_open(&m, &j, false);
	json_object_begin(&j);
	json_key(&j, "ctid");
	json_uint(&j, 101);
	json_key(&j, "name");
	json_string(&j, "web");
	json_key(&j, "ips");
	json_array_begin(&j);
	json_string(&j, "10.0.0.1");
	json_string(&j, "10.0.0.2");
	json_array_end(&j);
	json_key(&j, "empty_obj");
	json_object_begin(&j);
	json_object_end(&j);
	json_key(&j, "empty_arr");
	json_array_begin(&j);
	json_array_end(&j);
	json_key(&j, "limits");
	json_object_begin(&j);
	json_key(&j, "mem");
	json_object_begin(&j);
	json_key(&j, "held");
	json_int(&j, 5);
	json_key(&j, "max");
	json_null(&j);
	json_object_end(&j);
	json_key(&j, "on");
	json_bool(&j, true);
	json_object_end(&j);
	json_key(&j, "list");
	json_array_begin(&j);
	json_object_begin(&j);
	json_key(&j, "a");
	json_int(&j, 1);
	json_object_end(&j);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_begin(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_array_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "{\"ctid\":101,\"name\":\"web\",\"ips\":[\"10.0.0.1\",\"10.0.0.2\"],"
			 "\"empty_obj\":{},\"empty_arr\":[],"
			 "\"limits\":{\"mem\":{\"held\":5,\"max\":null},\"on\":true},"
			 "\"list\":[{\"a\":1},{},[[]]]}\n"));

	/* A top-level array of objects, as `vireo list --json` prints. */
	mem_open(&m, &j, false);
	json_array_begin(&j);
	for (int i = 1; i <= 3; i++) {
		json_object_begin(&j);
		json_key(&j, "id");
		json_int(&j, i);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "[{\"id\":1},{\"id\":2},{\"id\":3}]\n"));
}

static void test_pretty(void)
{
	struct mem m;
	struct json j;

	mem_open(&m, &j, true);
	json_object_begin(&j);
	json_key(&j, "a");
	json_int(&j, 1);
	json_key(&j, "b");
	json_array_begin(&j);
	json_int(&j, 1);
	json_string(&j, "two");
	json_array_end(&j);
	json_key(&j, "c");
	json_object_begin(&j);
	json_object_end(&j);
	json_key(&j, "d");
	json_array_begin(&j);
	json_array_end(&j);
	json_key(&j, "e");
	json_object_begin(&j);
	json_key(&j, "f");
	json_null(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "{\n"
			 "  \"a\": 1,\n"
			 "  \"b\": [\n"
			 "    1,\n"
			 "    \"two\"\n"
			 "  ],\n"
			 "  \"c\": {},\n"
			 "  \"d\": [],\n"
			 "  \"e\": {\n"
			 "    \"f\": null\n"
			 "  }\n"
			 "}\n"));

	mem_open(&m, &j, true);
	json_array_begin(&j);
	json_object_begin(&j);
	json_key(&j, "k");
	json_bool(&j, false);
	json_object_end(&j);
	json_array_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "[\n"
			 "  {\n"
			 "    \"k\": false\n"
			 "  }\n"
			 "]\n"));

	mem_open(&m, &j, true);
	json_object_begin(&j);
	json_object_end(&j);
	json_end(&j);
	CHECK(mem_is(&m, "{}\n"));
}

static void test_escaping(void)
{
	CHECK(string_is("plain", "\"plain\""));
	CHECK(string_is("say \"hi\"", "\"say \\\"hi\\\"\""));
	CHECK(string_is("C:\\dir\\", "\"C:\\\\dir\\\\\""));
	CHECK(string_is("a\nb", "\"a\\nb\""));
	CHECK(string_is("a\tb\rc", "\"a\\tb\\rc\""));
	CHECK(string_is("\x01", "\"\\u0001\""));
	CHECK(string_is("x\x1fy\x7fz\x08", "\"x\\u001fy\\u007fz\\u0008\""));
	CHECK(string_is("/ and ' stay", "\"/ and ' stay\""));
	/* Valid UTF-8 of 2, 3 and 4 bytes passes through unchanged. */
	CHECK(string_is("caf\xc3\xa9", "\"caf\xc3\xa9\""));
	CHECK(string_is("\xe2\x82\xac 5", "\"\xe2\x82\xac 5\""));
	CHECK(string_is("\xf0\x9f\x90\xa6", "\"\xf0\x9f\x90\xa6\""));
	/* Invalid bytes are escaped one by one; what follows is still handled. */
	CHECK(string_is("a\xff" "b", "\"a\\u00ffb\""));
	CHECK(string_is("\x80", "\"\\u0080\""));
	CHECK(string_is("\xc3" "A", "\"\\u00c3A\""));        /* lead byte, no continuation */
	CHECK(string_is("\xc3", "\"\\u00c3\""));              /* truncated at end of string */
	CHECK(string_is("\xe2\x82", "\"\\u00e2\\u0082\""));   /* 3-byte sequence cut short */
	CHECK(string_is("\xf0\x9f\x90" "\"", "\"\\u00f0\\u009f\\u0090\\\"\""));
	CHECK(string_is("\xf8\x88\x80\x80\x80", "\"\\u00f8\\u0088\\u0080\\u0080\\u0080\""));

	/* Keys are escaped the same way. */
	struct mem m;
	struct json j;
	mem_open(&m, &j, false);
	json_object_begin(&j);
	json_key(&j, "k\"\n\xff");
	json_string(&j, "v");
	json_object_end(&j);
	CHECK(mem_is(&m, "{\"k\\\"\\n\\u00ff\":\"v\"}"));
}

int main(void)
{
	test_scalars();
	test_nested();
	test_pretty();
	test_escaping();
	return check_done();
}
