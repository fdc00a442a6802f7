/* lib/lock: advisory file locks that survive the lock file being replaced or removed. */
#ifndef VIREO_LOCK_H
#define VIREO_LOCK_H

#include <stdbool.h>

#include "lib/err.h"

/* Take an flock on path (created if missing): exclusive or shared, waiting or not.
 * Returns the fd holding it, -EWOULDBLOCK when nowait and held elsewhere, or another -errno. */
int lock_take(const char *path, bool exclusive, bool nowait, struct vireo_err *err);
void lock_drop(int fd);
/* True when some process holds an exclusive or shared lock on path. */
bool lock_is_held(const char *path);

#endif
