/* lib/conf: OpenVZ-style configuration files, one KEY="value" per line.
 * Reading is strict (a corrupted or truncated file is an error naming file and line);
 * writing is atomic. Keys keep their order; unknown keys survive a load/save cycle. */
#ifndef VIREO_CONF_H
#define VIREO_CONF_H

#include <stddef.h>

#include "lib/err.h"

struct conf_kv {
	char *key;
	char *val;
};

struct conf {
	size_t n, cap;
	struct conf_kv *kv;
};

int conf_parse(struct conf *c, const char *text, size_t len, const char *name,
	       struct vireo_err *err);
int conf_load(struct conf *c, const char *path, struct vireo_err *err);
/* Serialise; the caller frees the result. */
char *conf_format(const struct conf *c);
int conf_save(const struct conf *c, const char *path, struct vireo_err *err);
const char *conf_get(const struct conf *c, const char *key);
/* val NULL removes the key. Returns 0 or -ENOMEM. */
int conf_set(struct conf *c, const char *key, const char *val);
void conf_free(struct conf *c);

#endif
