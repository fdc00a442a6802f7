/* lib/err: message-carrying error values (crun's libcrun_error_t pattern).
 * Fallible functions return 0 or a negative errno and fill a struct vireo_err whose
 * message names the object and the cause. Only the CLI prints it. */
#ifndef VIREO_ERR_H
#define VIREO_ERR_H

#include <stddef.h>

struct vireo_err {
	int code;        /* positive errno-style code, 0 when clear */
	char msg[1024];  /* one line, no trailing newline */
};

/* Set the message and return -code (code given as a positive errno value). */
int verr(struct vireo_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, appending ": strerror(code)". */
int verr_sys(struct vireo_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix an existing message with more context: "<prefix>: <old message>". */
int verr_wrap(struct vireo_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void verr_clear(struct vireo_err *err);

#endif
