/* emu/aarch64/dp-exec: interpreter for this instruction class (placeholder). */
#include "emu/aarch64/a64.h"

a64_handler a64_bind_dp(const struct a64_op *op)
{
	(void)op;
	return NULL;
}
