/* emu/aarch64/simd-dec: what the Advanced SIMD decoder files (simd.c, simd-arith.c) share:
 * field extraction and the group decoders simd.c dispatches to. Private to the front end. */
#ifndef VIREO_A64_SIMD_DEC_H
#define VIREO_A64_SIMD_DEC_H

#include "emu/aarch64/simd.h"

static inline unsigned simd_field(uint32_t insn, unsigned lo, unsigned n)
{
	return (insn >> lo) & ((1u << n) - 1);
}

/* Group decoders: fill op (kind and fields; cls is set by the caller) and return true, or
 * return false for an unallocated or unimplemented encoding. scalar: the encoding is in the
 * scalar space (bits 31:30 = 01, bit 28 = 1). */
bool simd_dec_three_same(uint32_t insn, struct a64_op *op, bool scalar);
bool simd_dec_three_diff(uint32_t insn, struct a64_op *op, bool scalar);
bool simd_dec_two_misc(uint32_t insn, struct a64_op *op, bool scalar);
bool simd_dec_across(uint32_t insn, struct a64_op *op);
bool simd_dec_pairwise(uint32_t insn, struct a64_op *op);
bool simd_dec_shift_imm(uint32_t insn, struct a64_op *op, bool scalar);
bool simd_dec_elem(uint32_t insn, struct a64_op *op, bool scalar);

#endif
