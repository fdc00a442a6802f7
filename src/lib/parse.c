/* lib/parse: validation of every identifier and number a user types. Pure functions. */
#include "lib/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int parse_ctid(const char *s, unsigned *id, struct vireo_err *err)
{
	if (!s || !*s)
		return verr(err, EINVAL, "invalid container ID '': expected a number from 1 to %u",
			    CTID_MAX);
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p == s && *p == '0') || p - s > 10)
			return verr(err, EINVAL,
				    "invalid container ID '%.64s': expected a number from 1 to %u", s,
				    CTID_MAX);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > CTID_MAX)
		return verr(err, ERANGE, "invalid container ID '%.64s': larger than %u", s, CTID_MAX);
	*id = (unsigned)v;
	return 0;
}

int parse_ctname(const char *s, struct vireo_err *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > CTNAME_MAX || !isalpha((unsigned char)s[0]))
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			goto bad;
	return 0;
bad:
	return verr(err, EINVAL,
		    "invalid container name '%.64s': use 1 to %d letters, digits, '_', '.' or '-', "
		    "starting with a letter",
		    s ? s : "", CTNAME_MAX);
}

int parse_hostname(const char *s, struct vireo_err *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > HOSTNAME_MAX_LEN)
		goto bad;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				goto bad;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) && c != '-')
			goto bad;
		if (c == '-' && label == 0)
			goto bad;
		label++;
	}
	if (label == 0 || s[n - 1] == '-')
		goto bad;
	return 0;
bad:
	return verr(err, EINVAL, "invalid host name '%.80s'", s ? s : "");
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out, const char *what,
	      struct vireo_err *err)
{
	if (!s || !*s)
		return verr(err, EINVAL, "invalid %s '': expected a number", what);
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return verr(err, EINVAL, "invalid %s '%.64s': expected a number", what, s);
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return verr(err, ERANGE, "invalid %s '%.64s': too large", what, s);
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return verr(err, ERANGE, "invalid %s '%.64s': must be from %llu to %llu", what, s,
			    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t bare_unit, uint64_t *out, const char *what,
	       struct vireo_err *err)
{
	if (s && !strcmp(s, "unlimited")) {
		*out = SIZE_UNLIMITED;
		return 0;
	}
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || !isdigit((unsigned char)s[0]))
		return verr(err, EINVAL, "invalid %s '%.64s': expected a size such as 512M", what,
			    s ? s : "");
	uint64_t unit = bare_unit;
	char num[32];
	size_t digits = n;
	if (!isdigit((unsigned char)s[n - 1])) {
		digits = n - 1;
		switch (toupper((unsigned char)s[n - 1])) {
		case 'K': unit = 1ull << 10; break;
		case 'M': unit = 1ull << 20; break;
		case 'G': unit = 1ull << 30; break;
		case 'T': unit = 1ull << 40; break;
		case 'P': unit = (uint64_t)sysconf(_SC_PAGESIZE); break;
		default:
			return verr(err, EINVAL,
				    "invalid %s '%.64s': unknown suffix (use K, M, G, T or P for pages)",
				    what, s);
		}
	}
	if (digits >= sizeof num)
		return verr(err, ERANGE, "invalid %s '%.64s': too large", what, s);
	memcpy(num, s, digits);
	num[digits] = '\0';
	uint64_t v;
	int r = parse_u64(num, 0, UINT64_MAX, &v, what, NULL);
	if (r < 0)
		return verr(err, EINVAL, "invalid %s '%.64s': expected a size such as 512M", what, s);
	if (unit && v > (uint64_t)INT64_MAX / unit)
		return verr(err, ERANGE, "invalid %s '%.64s': larger than 2^63 bytes", what, s);
	*out = v * unit;
	return 0;
}

int parse_limit_pair(const char *s, bool sizes, uint64_t bare_unit, uint64_t *soft,
		     uint64_t *hard, const char *what, struct vireo_err *err)
{
	char part[2][48];
	const char *colon = s ? strchr(s, ':') : NULL;
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= sizeof part[0] * 2 || (colon && strchr(colon + 1, ':')))
		return verr(err, EINVAL, "invalid %s '%.64s': expected SOFT[:HARD]", what,
			    s ? s : "");
	size_t a = colon ? (size_t)(colon - s) : n;
	if (a >= sizeof part[0] || (colon && strlen(colon + 1) >= sizeof part[1]))
		return verr(err, ERANGE, "invalid %s '%.64s': too large", what, s);
	memcpy(part[0], s, a);
	part[0][a] = '\0';
	snprintf(part[1], sizeof part[1], "%s", colon ? colon + 1 : part[0]);
	uint64_t v[2];
	for (int i = 0; i < 2; i++) {
		int r;
		if (!strcmp(part[i], "unlimited"))
			return verr(err, EINVAL, "invalid %s '%.64s': a disk limit cannot be unlimited",
				    what, s);
		if (sizes)
			r = parse_size(part[i], bare_unit, &v[i], what, NULL);
		else
			r = parse_u64(part[i], 0, (uint64_t)INT64_MAX, &v[i], what, NULL);
		if (r < 0)
			return verr(err, -r, "invalid %s '%.64s': %s", what, s,
				    r == -ERANGE ? (sizes ? "larger than 2^63 bytes" : "too large")
				    : sizes ? "expected SOFT[:HARD] sizes such as 1G:1200M"
					    : "expected SOFT[:HARD] counts such as 200000:220000");
	}
	if (v[0] > v[1])
		return verr(err, EINVAL, "invalid %s '%.64s': the soft limit is above the hard limit",
			    what, s);
	*soft = v[0];
	*hard = v[1];
	return 0;
}

int parse_yesno(const char *s, bool *out, const char *what, struct vireo_err *err)
{
	if (s && !strcmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (s && !strcmp(s, "no")) {
		*out = false;
		return 0;
	}
	return verr(err, EINVAL, "invalid %s '%.64s': expected yes or no", what, s ? s : "");
}

int parse_count(const char *s, uint64_t *out, const char *what, struct vireo_err *err)
{
	if (s && !strcmp(s, "unlimited")) {
		*out = SIZE_UNLIMITED;
		return 0;
	}
	if (!s || !*s || !isdigit((unsigned char)s[0]))
		return verr(err, EINVAL, "invalid %s '%.64s': expected a number or 'unlimited'", what,
			    s ? s : "");
	return parse_u64(s, 0, (uint64_t)INT64_MAX, out, what, err);
}

/* One side of BARRIER:LIMIT, as a size or a count. */
static int ubc_side(const char *s, size_t n, uint64_t bare_unit, uint64_t *out, const char *what,
		    struct vireo_err *err)
{
	char part[64];
	if (n >= sizeof part)
		return verr(err, ERANGE, "invalid %s '%.64s': too long", what, s);
	memcpy(part, s, n);
	part[n] = '\0';
	int r = bare_unit ? parse_size(part, bare_unit, out, what, err)
			  : parse_count(part, out, what, err);
	if (r == 0 && *out >= (uint64_t)INT64_MAX)
		*out = SIZE_UNLIMITED;
	return r;
}

int parse_ubc(const char *s, uint64_t bare_unit, uint64_t *barrier, uint64_t *limit,
	      const char *what, struct vireo_err *err)
{
	if (!s || !*s)
		return verr(err, EINVAL, "invalid %s '': expected VALUE or BARRIER:LIMIT", what);
	const char *colon = strchr(s, ':');
	uint64_t b, l;
	int r;
	if (!colon) {
		if ((r = ubc_side(s, strlen(s), bare_unit, &b, what, err)) < 0)
			return r;
		l = b;
	} else {
		if (strchr(colon + 1, ':'))
			return verr(err, EINVAL, "invalid %s '%.64s': expected VALUE or BARRIER:LIMIT",
				    what, s);
		if ((r = ubc_side(s, (size_t)(colon - s), bare_unit, &b, what, err)) < 0 ||
		    (r = ubc_side(colon + 1, strlen(colon + 1), bare_unit, &l, what, err)) < 0)
			return r;
		if (b > l)
			return verr(err, EINVAL, "invalid %s '%.64s': the barrier exceeds the limit",
				    what, s);
	}
	*barrier = b;
	*limit = l;
	return 0;
}

int parse_cpulist(const char *s, uint64_t *mask, size_t nbits, struct vireo_err *err)
{
	size_t words = (nbits + 63) / 64;
	uint64_t tmp[words ? words : 1];
	memset(tmp, 0, sizeof tmp);
	const char *p = s;
	if (!s || !*s)
		goto bad;
	for (;;) {
		uint64_t a, b;
		if (!isdigit((unsigned char)*p))
			goto bad;
		a = 0;
		while (isdigit((unsigned char)*p)) {
			a = a * 10 + (uint64_t)(*p++ - '0');
			if (a >= nbits)
				return verr(err, ERANGE, "invalid CPU list '%.64s': CPU numbers go up to %zu",
					    s, nbits - 1);
		}
		b = a;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			b = 0;
			while (isdigit((unsigned char)*p)) {
				b = b * 10 + (uint64_t)(*p++ - '0');
				if (b >= nbits)
					return verr(err, ERANGE,
						    "invalid CPU list '%.64s': CPU numbers go up to %zu", s,
						    nbits - 1);
			}
			if (b < a)
				goto bad;
		}
		for (uint64_t c = a; c <= b; c++)
			tmp[c / 64] |= 1ull << (c % 64);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			goto bad;
	}
	memcpy(mask, tmp, words * sizeof *mask);
	return 0;
bad:
	return verr(err, EINVAL, "invalid CPU list '%.64s': expected numbers and ranges such as 0-2,5",
		    s ? s : "");
}
