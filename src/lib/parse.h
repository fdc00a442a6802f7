/* lib/parse: parsing of user input: container IDs and names, sizes, numbers, yes/no. */
#ifndef VIREO_PARSE_H
#define VIREO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
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
/* A count: decimal up to 2^63-1, or "unlimited" (SIZE_UNLIMITED). */
int parse_count(const char *s, uint64_t *out, const char *what, struct vireo_err *err);
/* An OpenVZ beancounter value: VALUE (barrier = limit) or BARRIER:LIMIT. Each side is a size
 * (parse_size with bare_unit) or, with bare_unit 0, a count. Anything from 2^63-1 up, and
 * "unlimited", give SIZE_UNLIMITED. A barrier above the limit is refused. */
int parse_ubc(const char *s, uint64_t bare_unit, uint64_t *barrier, uint64_t *limit,
	      const char *what, struct vireo_err *err);
/* A CPU list such as "0-2,5" into a bit mask of nbits bits (mask has (nbits+63)/64 words);
 * numbers of nbits or more are refused. mask is untouched on error. */
int parse_cpulist(const char *s, uint64_t *mask, size_t nbits, struct vireo_err *err);
int parse_yesno(const char *s, bool *out, const char *what, struct vireo_err *err);

#endif
