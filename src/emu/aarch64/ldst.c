/* emu/aarch64/ldst: front end for this instruction class (placeholder: decodes nothing yet). */
#include "emu/aarch64/a64.h"

bool a64_decode_ldst(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	(void)insn;
	(void)pc;
	(void)op;
	return true;
}
