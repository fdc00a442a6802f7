/* lib/err: building error messages. Touches nothing but the struct it is given. */
#include "lib/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void strip_newlines(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

int verr(struct vireo_err *err, int code, const char *fmt, ...)
{
	if (code <= 0)
		code = code ? -code : EINVAL;
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		strip_newlines(err->msg);
		err->code = code;
	}
	return -code;
}

int verr_sys(struct vireo_err *err, int code, const char *fmt, ...)
{
	if (code <= 0)
		code = code ? -code : EIO;
	if (err) {
		char head[sizeof err->msg];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(head, sizeof head, fmt, ap);
		va_end(ap);
		snprintf(err->msg, sizeof err->msg, "%s: %s", head, strerror(code));
		strip_newlines(err->msg);
		err->code = code;
	}
	return -code;
}

int verr_wrap(struct vireo_err *err, const char *fmt, ...)
{
	if (!err)
		return -EIO;
	char head[sizeof err->msg], old[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", head, old);
	strip_newlines(err->msg);
	if (err->code <= 0)
		err->code = EIO;
	return -err->code;
}

void verr_clear(struct vireo_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
