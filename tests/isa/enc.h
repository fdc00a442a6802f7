/* tests/isa/enc: encoders for the few fixed A64 instructions the harness itself needs (the
 * prologue, the epilogue, the exit stub, the self-test's known-answer programs and the
 * generators' helper instructions). Random instructions are encoded by the gen-*.c files. */
#ifndef ISA_ENC_H
#define ISA_ENC_H

#include <stdint.h>

#define A64_NOP 0xd503201fu
#define A64_CLREX 0xd5033f5fu
#define A64_SVC0 0xd4000001u

/* System registers for MRS/MSR, as the encoding's bits 20:5. */
#define SR_NZCV 0x5a10u
#define SR_FPCR 0x5a20u
#define SR_FPSR 0x5a21u
#define SR_TPIDR_EL0 0x5e82u

static inline uint32_t enc_mrs(int rt, uint32_t sr)
{
	return 0xd5300000u | sr << 5 | (uint32_t)rt;
}

static inline uint32_t enc_msr(uint32_t sr, int rt)
{
	return 0xd5100000u | sr << 5 | (uint32_t)rt;
}

static inline uint32_t enc_b(int64_t words)
{
	return 0x14000000u | ((uint32_t)words & 0x3ffffffu);
}

static inline uint32_t enc_adrp(int rd, uint64_t pc, uint64_t target)
{
	uint32_t pages = (uint32_t)((int64_t)((target >> 12) - (pc >> 12)));
	return 0x90000000u | (pages & 3) << 29 | ((pages >> 2) & 0x7ffffu) << 5 | (uint32_t)rd;
}

/* ADD/SUB (immediate), 64-bit; 31 is SP in both register fields. */
static inline uint32_t enc_add_imm(int rd, int rn, uint32_t imm12)
{
	return 0x91000000u | (imm12 & 0xfff) << 10 | (uint32_t)rn << 5 | (uint32_t)rd;
}

static inline uint32_t enc_sub_imm(int rd, int rn, uint32_t imm12)
{
	return 0xd1000000u | (imm12 & 0xfff) << 10 | (uint32_t)rn << 5 | (uint32_t)rd;
}

/* MOVZ/MOVN (64-bit when sf), imm16 shifted left by 16 * hw. */
static inline uint32_t enc_movz(int sf, int rd, uint32_t imm16, int hw)
{
	return (uint32_t)sf << 31 | 0x52800000u | (uint32_t)hw << 21 | (imm16 & 0xffff) << 5 |
	       (uint32_t)rd;
}

static inline uint32_t enc_movn(int sf, int rd, uint32_t imm16, int hw)
{
	return (uint32_t)sf << 31 | 0x12800000u | (uint32_t)hw << 21 | (imm16 & 0xffff) << 5 |
	       (uint32_t)rd;
}

/* ORR Xd, XZR, Xm (MOV). */
static inline uint32_t enc_mov(int rd, int rm)
{
	return 0xaa0003e0u | (uint32_t)rm << 16 | (uint32_t)rd;
}

/* LDR/STR Xt, [Xn, #off] (unsigned offset, a multiple of 8). */
static inline uint32_t enc_ldr_x(int rt, int rn, uint32_t off)
{
	return 0xf9400000u | (off / 8) << 10 | (uint32_t)rn << 5 | (uint32_t)rt;
}

static inline uint32_t enc_str_x(int rt, int rn, uint32_t off)
{
	return 0xf9000000u | (off / 8) << 10 | (uint32_t)rn << 5 | (uint32_t)rt;
}

/* LDP/STP Xt1, Xt2, [Xn, #off] (signed offset, a multiple of 8). */
static inline uint32_t enc_ldp_x(int rt, int rt2, int rn, int32_t off)
{
	return 0xa9400000u | ((uint32_t)(off / 8) & 0x7f) << 15 | (uint32_t)rt2 << 10 |
	       (uint32_t)rn << 5 | (uint32_t)rt;
}

static inline uint32_t enc_stp_x(int rt, int rt2, int rn, int32_t off)
{
	return 0xa9000000u | ((uint32_t)(off / 8) & 0x7f) << 15 | (uint32_t)rt2 << 10 |
	       (uint32_t)rn << 5 | (uint32_t)rt;
}

/* LDP/STP Qt1, Qt2, [Xn], #32 (post-index). */
static inline uint32_t enc_ldp_q_post32(int rt, int rt2, int rn)
{
	return 0xacc00000u | 2u << 15 | (uint32_t)rt2 << 10 | (uint32_t)rn << 5 | (uint32_t)rt;
}

static inline uint32_t enc_stp_q_post32(int rt, int rt2, int rn)
{
	return 0xac800000u | 2u << 15 | (uint32_t)rt2 << 10 | (uint32_t)rn << 5 | (uint32_t)rt;
}

#endif
