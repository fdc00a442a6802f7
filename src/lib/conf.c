/* lib/conf: KEY="value" files. Values may hold any byte but NUL and newline; '"' and '\'
 * are escaped with a backslash. A file must end with a newline: a missing one means a
 * truncated write and is refused. */
#include "lib/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

#define CONF_MAX (1u << 20)

static int valid_key(const char *k, size_t n)
{
	if (n == 0 || n > 64 || !(isupper((unsigned char)k[0]) || k[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isupper((unsigned char)k[i]) || isdigit((unsigned char)k[i]) || k[i] == '_'))
			return 0;
	return 1;
}

int conf_set(struct conf *c, const char *key, const char *val)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->kv[i].key, key))
			continue;
		if (!val) {
			free(c->kv[i].key);
			free(c->kv[i].val);
			memmove(&c->kv[i], &c->kv[i + 1], (c->n - i - 1) * sizeof c->kv[0]);
			c->n--;
			return 0;
		}
		char *v = strdup(val);
		if (!v)
			return -ENOMEM;
		free(c->kv[i].val);
		c->kv[i].val = v;
		return 0;
	}
	if (!val)
		return 0;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		struct conf_kv *nk = realloc(c->kv, nc * sizeof *nk);
		if (!nk)
			return -ENOMEM;
		c->kv = nk;
		c->cap = nc;
	}
	char *k = strdup(key), *v = strdup(val);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	c->kv[c->n].key = k;
	c->kv[c->n].val = v;
	c->n++;
	return 0;
}

const char *conf_get(const struct conf *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->kv[i].key, key))
			return c->kv[i].val;
	return NULL;
}

void conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->kv[i].key);
		free(c->kv[i].val);
	}
	free(c->kv);
	c->kv = NULL;
	c->n = c->cap = 0;
}

/* The 1-based number of the line holding offset off. */
static size_t line_of(const char *text, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

int conf_parse(struct conf *c, const char *text, size_t len, const char *name,
	       struct vireo_err *err)
{
	memset(c, 0, sizeof *c);
	if (len > 0 && text[len - 1] != '\n')
		return verr(err, EINVAL, "%s: line %zu: truncated (last line has no newline)", name,
			    line_of(text, len));
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return verr(err, EINVAL, "%s: line %zu: corrupted (contains a NUL byte)", name,
			    line_of(text, (size_t)(nul - text)));
	size_t line = 0;
	const char *p = text, *end = text + len;
	char *val = malloc(len + 1);
	if (!val)
		return verr(err, ENOMEM, "out of memory");
	while (p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q == eol || *q == '#') {
			p = eol + 1;
			continue;
		}
		const char *eq = memchr(q, '=', (size_t)(eol - q));
		if (!eq || !valid_key(q, (size_t)(eq - q)))
			goto bad;
		const char *v = eq + 1;
		size_t vn = 0;
		if (v < eol && *v == '"') {
			v++;
			for (;;) {
				if (v >= eol)
					goto bad; /* unterminated quote */
				if (*v == '"')
					break;
				if (*v == '\\') {
					if (v + 1 >= eol)
						goto bad;
					v++;
				}
				val[vn++] = *v++;
			}
			v++;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if (v != eol && *v != '#')
				goto bad;
		} else {
			while (v < eol && *v != ' ' && *v != '\t' && *v != '#' && *v != '"' &&
			       *v != '\\')
				val[vn++] = *v++;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if (v != eol && *v != '#')
				goto bad;
		}
		val[vn] = '\0';
		char key[72];
		memcpy(key, q, (size_t)(eq - q));
		key[eq - q] = '\0';
		if (conf_set(c, key, val) < 0) {
			free(val);
			conf_free(c);
			return verr(err, ENOMEM, "out of memory");
		}
		p = eol + 1;
	}
	free(val);
	return 0;
bad:
	free(val);
	conf_free(c);
	return verr(err, EINVAL, "%s: line %zu: corrupted (expected KEY=\"value\")", name, line);
}

int conf_load(struct conf *c, const char *path, struct vireo_err *err)
{
	char *text;
	size_t len;
	int r = util_read_file(path, CONF_MAX, &text, &len, err);
	if (r < 0)
		return r;
	r = conf_parse(c, text, len, path, err);
	free(text);
	return r;
}

char *conf_format(const struct conf *c)
{
	size_t need = 1;
	for (size_t i = 0; i < c->n; i++)
		need += strlen(c->kv[i].key) + 2 * strlen(c->kv[i].val) + 5;
	char *out = malloc(need), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < c->n; i++) {
		o += sprintf(o, "%s=\"", c->kv[i].key);
		for (const char *v = c->kv[i].val; *v; v++) {
			if (*v == '\n')
				continue;
			if (*v == '"' || *v == '\\')
				*o++ = '\\';
			*o++ = *v;
		}
		*o++ = '"';
		*o++ = '\n';
	}
	*o = '\0';
	return out;
}

int conf_save(const struct conf *c, const char *path, struct vireo_err *err)
{
	char *text = conf_format(c);
	if (!text)
		return verr(err, ENOMEM, "out of memory");
	int r = util_write_file_atomic(path, text, strlen(text), 0644, err);
	free(text);
	return r;
}
