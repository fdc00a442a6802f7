/* lib/parse: parsing of user input: container IDs and names, sizes, numbers, yes/no. */
#ifndef VIREO_PARSE_H
#define VIREO_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/err.h"

#define CTID_MAX 2147483647u
#define CTNAME_MAX 64
#define HOSTNAME_MAX_LEN 63
#define SIZE_UNLIMITED UINT64_MAX

/* A CTID: decimal 1..CTID_MAX, no sign, no leading zeros, no spaces. */
int parse_ctid(const char *s, unsigned *id, struct vireo_err *err);
/* A symbolic name: 1..64 of [A-Za-z0-9_.-], starting with a letter (so never a CTID). */
int parse_ctname(const char *s, struct vireo_err *err);
/* A host name: RFC 1123 labels joined by dots, at most 63 characters in all. */
int parse_hostname(const char *s, struct vireo_err *err);
/* Unsigned decimal in [min, max]; what names the quantity in messages. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out, const char *what,
	      struct vireo_err *err);
/* OpenVZ sizes: N[KMGT] bytes, NP pages, "unlimited"; a bare number is multiplied by bare_unit. */
int parse_size(const char *s, uint64_t bare_unit, uint64_t *out, const char *what,
	       struct vireo_err *err);
/* An OpenVZ disk limit "SOFT[:HARD]" (a single value sets both). With sizes, each part is a
 * parse_size with bare numbers in bare_unit bytes and the result in bytes; without, a plain
 * count. "unlimited" is refused (a limit is required here), as is soft > hard. */
int parse_limit_pair(const char *s, bool sizes, uint64_t bare_unit, uint64_t *soft,
		     uint64_t *hard, const char *what, struct vireo_err *err);
int parse_yesno(const char *s, bool *out, const char *what, struct vireo_err *err);

#endif
