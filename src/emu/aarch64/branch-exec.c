/* emu/aarch64/branch-exec: interpreter for this instruction class (placeholder). */
#include "emu/aarch64/a64.h"

a64_handler a64_bind_branch(const struct a64_op *op)
{
	(void)op;
	return NULL;
}
