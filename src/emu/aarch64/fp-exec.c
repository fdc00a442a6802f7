/* emu/aarch64/fp-exec: interpreter for this instruction class (placeholder). */
#include "emu/aarch64/a64.h"

a64_handler a64_bind_fp(const struct a64_op *op)
{
	(void)op;
	return NULL;
}
