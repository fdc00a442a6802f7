/* ct/migrate: placeholder, written next. */
#include "ct/ct-internal.h"

#include <errno.h>

int ct_migrate(const struct ct_ctx *ctx, unsigned ctid, const char *dest,
	       struct ct_migrate_opts *o, struct vireo_err *err)
{
	return verr(err, ENOSYS, "not yet");
}
