/* emu/aarch64/fp: the scalar floating-point class (A64_CLS_FP): what fp.c decodes into a
 * struct a64_op and what every back end reads from it. Encodings: Arm ARM C4.1.96, "Data
 * Processing -- Scalar Floating-Point and Advanced SIMD" with op0 = x0x1 (bit 28 set, bit 30
 * clear): FP <-> fixed/integer conversions, FP data processing with 1, 2 and 3 sources,
 * compare, conditional compare and select, and FMOV (immediate, register, general).
 *
 * Field contract (fields not listed are zero):
 *   size  the FP format of the operation, enum a64_fpfmt (fpu.h): 1 H, 2 S, 3 D. Only FCVT
 *         touches H (FEAT_FP16 is not implemented: other H encodings decode as INVALID).
 *   rd, rn, rm, ra  FP/SIMD register numbers 0..31, except where a kind says "GPR": then a
 *         normalized GPR number (REG_ZR for a source 31, REG_ZW for a destination 31).
 *   sf    GPR width for kinds with a GPR operand: 1 = X (64-bit), 0 = W (32-bit).
 *   ext   enum a64_round (fpu.h) for FRINT and FP->integer conversions; for FCVT, the
 *         source format (the destination is size).
 *   flags A64_FPF_* below.
 *   imm   per kind, below.
 * Every write of an H, S or D register zeroes the rest of the 128-bit vector register; only
 * FMOV Vd.D[1], Xn writes the upper half and keeps the lower. No FP op ends a block. */
#ifndef VIREO_A64_FP_H
#define VIREO_A64_FP_H

#include "emu/aarch64/a64.h"
#include "emu/aarch64/fpu.h"

enum a64_fp_kind {
	A64_FP_NONE = 0,
	/* Moves (no FP semantics: no flags, NaNs untouched). */
	A64_FP_MOV,      /* FMOV Vd, Vn (S, D) */
	A64_FP_MOVI,     /* FMOV Vd, #imm: imm = the constant's bits in format size */
	A64_FP_TO_GPR,   /* FMOV Wd, Sn / Xd, Dn / Xd, Vn.D[1]: rd GPR, imm = 64-bit element
			    index (0, or 1 for Vn.D[1] with size D); sf = 0 for W, 1 for X */
	A64_FP_FROM_GPR, /* FMOV Sd, Wn / Dd, Xn / Vd.D[1], Xn: rn GPR, imm = element index;
			    index 1 writes bits 127:64 and keeps bits 63:0 */
	A64_FP_ABS,      /* FABS Vd, Vn (bit operation) */
	A64_FP_NEG,      /* FNEG Vd, Vn (bit operation) */
	A64_FP_CSEL,     /* FCSEL Vd, Vn, Vm, cond */
	/* Arithmetic (fpu.c semantics). */
	A64_FP_SQRT,     /* FSQRT Vd, Vn */
	A64_FP_ADD,      /* FADD Vd, Vn, Vm */
	A64_FP_SUB,      /* FSUB */
	A64_FP_MUL,      /* FMUL */
	A64_FP_DIV,      /* FDIV */
	A64_FP_NMUL,     /* FNMUL: -(Vn * Vm), negated after rounding (NaN signs flip too) */
	A64_FP_MAX,      /* FMAX */
	A64_FP_MIN,      /* FMIN */
	A64_FP_MAXNM,    /* FMAXNM */
	A64_FP_MINNM,    /* FMINNM */
	A64_FP_FMA,      /* FMADD/FMSUB/FNMADD/FNMSUB: Vd = (+-Va) + (+-Vn) * Vm, fused; the
			    negations (flags NEG_A, NEG_N) flip sign bits before the operation,
			    NaN operands included; NaN order a, n, m */
	A64_FP_RINT,     /* FRINTN/P/M/Z/A/X/I: ext = rounding (A64_RFPCR for X and I),
			    flags EXACT for FRINTX */
	A64_FP_CVT,      /* FCVT Vd(size), Vn(ext) between H, S and D */
	/* Comparisons: set PSTATE.NZCV. */
	A64_FP_CMP,      /* FCMP/FCMPE Vn, Vm or #0.0 (flags ZERO; rm then 0 and unused),
			    flags SIGNAL for FCMPE */
	A64_FP_CCMP,     /* FCCMP/FCCMPE Vn, Vm, #nzcv, cond: imm = nzcv << 28 (PSTATE position)
			    when cond fails; flags SIGNAL for FCCMPE */
	/* Conversions with general registers. */
	A64_FP_TO_INT,   /* FCVT{N,P,M,Z,A}{S,U} Rd, Vn[, #fbits]: rd GPR, ext = rounding,
			    flags UNSIGNED, imm = fbits (0 for the integer forms) */
	A64_FP_FROM_INT, /* SCVTF/UCVTF Vd, Rn[, #fbits]: rn GPR, flags UNSIGNED, imm = fbits;
			    rounding from FPCR */
	A64_FP_KIND_COUNT
};

#define A64_FPF_UNSIGNED (1u << 0) /* TO_INT, FROM_INT */
#define A64_FPF_EXACT (1u << 1)    /* RINT: FRINTX raises IXC */
#define A64_FPF_SIGNAL (1u << 2)   /* CMP, CCMP: FCMPE/FCCMPE, IOC on quiet NaNs too */
#define A64_FPF_ZERO (1u << 3)     /* CMP: compare with +0.0 */
#define A64_FPF_NEG_A (1u << 4)    /* FMA: negate Va (FNMADD, FNMSUB) */
#define A64_FPF_NEG_N (1u << 5)    /* FMA: negate Vn (FMSUB, FNMADD) */

#endif
