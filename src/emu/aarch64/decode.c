/* emu/aarch64/decode: the front end's entry point. Splits an encoding by its top-level group
 * (bits 28:25, Arm ARM C4.1) and hands it to the decoder of that instruction class. Pure:
 * no CPU state, no memory. */
#include "emu/aarch64/a64.h"

static bool invalid(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	memset(op, 0, sizeof *op);
	op->insn = insn;
	op->pc = pc;
	op->cls = A64_CLS_INVALID;
	return true; /* an undefined instruction ends the block: it raises SIGILL */
}

bool a64_decode(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	unsigned op0 = (insn >> 25) & 0xf;
	bool end;
	memset(op, 0, sizeof *op);
	op->insn = insn;
	op->pc = pc;
	switch (op0) {
	case 0x8: case 0x9: /* 100x: data processing, immediate */
	case 0x5: case 0xd: /* x101: data processing, register */
		end = a64_decode_dp(insn, pc, op);
		break;
	case 0xa: case 0xb: /* 101x: branches, exception generation, system */
		end = a64_decode_branch(insn, pc, op);
		break;
	case 0x4: case 0x6: case 0xc: case 0xe: /* x1x0: loads and stores */
		end = a64_decode_ldst(insn, pc, op);
		break;
	case 0x7: case 0xf: /* x111: scalar FP and Advanced SIMD */
		if ((insn & (1u << 28)) && !(insn & (1u << 30)))
			end = a64_decode_fp(insn, pc, op);
		else
			end = a64_decode_simd(insn, pc, op);
		break;
	default: /* SME, SVE and unallocated groups */
		return invalid(insn, pc, op);
	}
	if (op->cls == A64_CLS_INVALID)
		return invalid(insn, pc, op);
	return end;
}
