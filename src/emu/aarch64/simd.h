/* emu/aarch64/simd: the Advanced SIMD class (vector and scalar forms, the x111 group less scalar
 * FP): the kinds its decoder (simd.c, simd-arith.c) produces and, per kind, what each
 * field of struct a64_op means. This header is the contract between the front end and every back
 * end (the interpreter in simd*-exec.c today, a code generator later): a back end needs nothing
 * but this, a64.h and fpu.h to run a SIMD op.
 *
 * Common to every kind (cls == A64_CLS_SIMD):
 *   rd, rn, rm, ra  FP/SIMD register numbers 0..31 (cpu->v[]), except where a kind names a
 *          general register (DUP_GEN, INS_GEN, UMOV, SMOV): those are normalized like every
 *          GPR in ops (sources REG_ZR for 31, destinations REG_ZW for 31).
 *   sf     Q: 1 for a 128-bit vector, 0 for a 64-bit one. Every write of a 64-bit vector (and
 *          of a scalar) zeroes bits 127:64 of rd; a scalar zeroes everything above its element.
 *          For the long kinds ("2" forms: SADDL2, UMULL2, SSHLL2, SHLL2...) Q = 1 means the
 *          narrow sources are the upper halves of rn (and rm); for the narrowing kinds (XTN2,
 *          SHRN2, ADDHN2, SQXTN2, FCVTN2...) Q = 1 means the result goes to the upper half of
 *          rd and the lower half is kept.
 *   size   element size log2 (0 B, 1 H, 2 S, 3 D). Kinds that mix widths give the NARROW size:
 *          the sources of long kinds, rm of the wide kinds (SADDW...), the destination of
 *          narrowing kinds. FP kinds: 2 single, 3 double (FCVTL/FCVTN/FCVTXN: the narrow
 *          format, 1 half or 2 single).
 *   flags  A64_SIMD_F_SCALAR: the scalar form (sf = 0): one element of the kind's result size
 *            at lane 0 of rd, computed from lane 0 of the sources (or lanes 0 and 1 of rn for
 *            the pairwise kinds: rd = op(rn[0], rn[1])), bits above it zeroed.
 *          A64_SIMD_F_ELEM: by-element form: the second operand is element imm2 of rm, of the
 *            kind's (narrow) source size, broadcast to every lane (rm is 0..15 for H elements).
 *   imm, imm2  per kind below; everything derivable at decode time is final.
 *   Fields a kind does not name are zero.
 * Saturating kinds (SQ*, UQ*, SUQADD, USQADD) set FPSR.QC (A64_FPSR_QC, fpu.h) when any lane
 * saturates, and never clear it. Lanes are little-endian: lane i of size s is bytes
 * [i << s, (i + 1) << s) of the register (union a64_vreg).
 *
 * Kind           Computes, per lane i (a = rn, b = rm or the element, d = rd before)     Fields
 * -- copy, permute, immediate --
 * DUP_ELEM       d[i] = rn[imm]  (SCALAR: the "DUP/MOV Bd, Vn.B[i]" form)          imm = index
 * DUP_GEN        d[i] = low bits of GPR rn                                         rn GPR
 * INS_ELEM       d[imm] = rn[imm2], other lanes kept (sf = 1)                      imm, imm2
 * INS_GEN        d[imm] = low bits of GPR rn, other lanes kept (sf = 1)            rn GPR, imm
 * UMOV           GPR rd = zero-extended rn[imm]; sf: 64-bit destination          rd GPR, imm
 * SMOV           GPR rd = sign-extended rn[imm] to 32 (sf = 0) or 64 bits         rd GPR, imm
 * EXT            bytes imm.. of rn:rm (concatenated, rn low; 8 or 16 bytes)        imm = 0..15
 * TBL, TBX       d.b[i] = byte b.b[i] of the table rn, rn+1 .. rn+imm-1 (mod 32) (imm = 1..4
 *                registers, 16 bytes each); an index out of range gives 0 (TBL) or
 *                keeps d.b[i] (TBX). size = 0. Here rm is the index vector.
 * ZIP1, ZIP2     interleave the lower (1) or upper (2) halves of rn and rm
 * UZP1, UZP2     even (1) or odd (2) elements of rn:rm
 * TRN1, TRN2     d[2j] = rn[2j + k], d[2j+1] = rm[2j + k], k = 0 (1) or 1 (2)
 * MOVI           d.d[0] = d.d[1] = imm (the 64-bit pattern; MVNI and FMOV (vector,
 *                immediate) are MOVI with their final pattern)                  imm, size = 3
 * ORR_IMM        d.d[j] |= imm                                                  imm, size = 3
 * BIC_IMM        d.d[j] &= ~imm                                                 imm, size = 3
 * -- three registers, same width (integer) --
 * ADD SUB MUL    a + b, a - b, a * b (low half of the product)
 * PMUL           polynomial (carry-less) multiply of bytes, low 8 bits (size 0)
 * MLA MLS        d + a * b, d - a * b
 * AND BIC ORR    a & b, a & ~b, a | b, a | ~b, a ^ b (size = 0, the lanes are bytes)
 * ORN EOR
 * BSL BIT BIF    (d & a) | (~d & b);  (d & ~b) | (a & b);  (d & b) | (a & ~b)  (size 0)
 * SHADD UHADD    (a + b) >> 1, (a + b + 1) >> 1, (a - b) >> 1 at full precision,
 * SRHADD URHADD  signed or unsigned
 * SHSUB UHSUB
 * SQADD UQADD    saturating a + b, a - b (signed, unsigned)
 * SQSUB UQSUB
 * CMGT CMHI      all ones when a > b (signed, unsigned), a >= b, a == b, (a & b) != 0,
 * CMGE CMHS      else zero
 * CMEQ CMTST
 * SSHL USHL      a shifted by the signed low byte of b: left if positive, right (arithmetic for S)
 * SRSHL URSHL    if negative; R: rounding right shifts; Q: saturating left shifts
 * SQSHL UQSHL
 * SQRSHL UQRSHL
 * SMAX UMAX      max, min, |a - b|, d + |a - b| (signed or unsigned)
 * SMIN UMIN
 * SABD UABD
 * SABA UABA
 * SMAXP UMAXP    pairwise: d = [op(x[0], x[1]), op(x[2], x[3]) ...] over x = rn:rm (the
 * SMINP UMINP    low halves only when sf = 0). SCALAR (ADDP Dd, Vn.2D): op(rn[0], rn[1])
 * ADDP
 * SQDMULH        saturating (2 * a * b) >> esize; SQRDMULH rounds (size 1 or 2)
 * SQRDMULH
 * -- two registers (integer) --
 * REV16 REV32    reverse the elements of size `size` in each 16/32/64-bit container
 * REV64
 * CNT            bits set in each byte; NOT: ~a; RBIT: bits of each byte reversed (size 0)
 * NOT RBIT
 * CLS CLZ        leading sign bits (excluding the sign) / leading zero bits
 * ABS NEG        |a|, -a (wrapping); SQABS SQNEG saturate
 * SQABS SQNEG
 * SUQADD         saturating signed d + unsigned a; USQADD: saturating unsigned d + signed a
 * USQADD
 * CMGT0 CMGE0    a > 0, a >= 0, a == 0, a <= 0, a < 0 (signed): all ones or zero
 * CMEQ0 CMLE0
 * CMLT0
 * SADDLP UADDLP  pairs of rn's elements added into a double-width lane; ADALP: d + that
 * SADALP UADALP
 * XTN            narrowing: rn's 2*size elements truncated / saturated (signed to signed,
 * SQXTN UQXTN    unsigned to unsigned, signed to unsigned); sf = Q: the "2" form
 * SQXTUN
 * SHLL           long: a << (8 << size) (sf = Q: the "2" form)
 * -- across lanes (the result is one element at lane 0; the rest of rd zeroed) --
 * ADDV           sum of the lanes (size), wrapping; SADDLV/UADDLV: widened to 2*size
 * SADDLV UADDLV
 * SMAXV UMAXV    max, min of the lanes
 * SMINV UMINV
 * -- three registers, different widths (size = the narrow size; Q the "2" forms) --
 * SADDL UADDL    wide = ext(a) + ext(b), ext(a) - ext(b)
 * SSUBL USUBL
 * SADDW UADDW    wide = a(wide) + ext(b), a - ext(b)
 * SSUBW USUBW
 * ADDHN SUBHN    narrow = high half of (a + b), (a - b) over wide lanes; R: rounded
 * RADDHN RSUBHN
 * SABDL UABDL    wide = |ext(a) - ext(b)|; ABAL: d + that
 * SABAL UABAL
 * SMULL UMULL    wide = ext(a) * ext(b); MLAL: d + that; MLSL: d - that
 * SMLAL UMLAL
 * SMLSL UMLSL
 * SQDMULL        wide = sat(2 * a * b); SQDMLAL: sat(d + that); SQDMLSL: sat(d - that)
 * SQDMLAL          (size 1 or 2)
 * SQDMLSL
 * PMULL          polynomial multiply: size 0 bytes to halfwords; size 3 (crypto) D to Q
 * -- shift by immediate (imm = the shift amount, final: 1..esize right, 0..esize-1 left) --
 * SSHR USHR      a >> imm (arithmetic / logical; imm = esize gives sign / 0)
 * SSRA USRA      d + (a >> imm)
 * SRSHR URSHR    rounding: (a + (1 << (imm - 1))) >> imm, computed without overflow
 * SRSRA URSRA    d + rounding shift
 * SRI            shift right and insert: d = (d & ~(ones >> imm)) | (a >> imm) (unsigned)
 * SHL            a << imm; SLI: d = (d & ~(ones << imm)) | (a << imm)
 * SLI
 * SQSHL_IMM      saturating a << imm (signed to signed, unsigned to unsigned, signed to
 * UQSHL_IMM      unsigned)
 * SQSHLU
 * SHRN RSHRN     narrowing (size = narrow size, imm = 1..esize of the narrow size): the
 * SQSHRN UQSHRN  wide lanes of rn shifted right (R: rounding), truncated (SHRN, RSHRN) or
 * SQRSHRN        saturated to narrow (SQ: signed to signed, UQ: unsigned to unsigned,
 * UQRSHRN        SQ..UN: signed to unsigned); sf = Q: the "2" form
 * SQSHRUN
 * SQRSHRUN
 * SSHLL USHLL    long: ext(a) << imm (imm 0..esize-1 of the narrow size); SXTL/UXTL: imm = 0
 * -- floating point (size 2: single, 3: double; ops from fpu.h with cpu->fpcr, flags into
 *    FPSR; arithmetic by elements also exists with F_ELEM) --
 * FADD FSUB FMUL FDIV  a + b, a - b, a * b, a / b
 * FMULX          a * b, but (0 * inf) = 2 with the sign of the product
 * FMLA FMLS      d + a * b, d - a * b (fused; FMLS negates a)
 * FABD           |a - b|
 * FMAX FMIN FMAXNM FMINNM  fpu.h's max/min
 * FMAXP FMINP FMAXNMP FMINNMP FADDP  pairwise, as SMAXP (SCALAR: op(rn[0], rn[1]))
 * FMAXV FMINV FMAXNMV FMINNMV  across lanes (4S only), reduced as a tree: op(op(0,1), op(2,3))
 * FCMEQ FCMGE FCMGT FACGE FACGT  all ones when a == b, a >= b, a > b, |a| >= |b|, |a| > |b|
 * FCMEQ0 FCMGE0 FCMGT0 FCMLE0 FCMLT0  compares with zero
 * FRECPS FRSQRTS 2 - a * b, (3 - a * b) / 2 (fused)
 * FRECPE FRSQRTE FRECPX URECPE URSQRTE  estimates as the Arm ARM's pseudocode
 * FABS FNEG FSQRT  |a|, -a (sign bit only), sqrt(a)
 * FRINTN FRINTP FRINTM FRINTZ FRINTA FRINTX FRINTI  round to integral (FRINTX: IXC if inexact;
 *                FRINTI/FRINTX use FPCR's mode)
 * FCVTNS FCVTNU FCVTPS FCVTPU FCVTMS FCVTMU FCVTZS FCVTZU FCVTAS FCVTAU  to a same-size
 *                integer, saturating; imm = fraction bits (FCVTZS/FCVTZU fixed-point forms; 0
 *                otherwise)
 * SCVTF UCVTF    from a same-size integer; imm = fraction bits (0 for the integer forms)
 * FCVTL          long: narrow format (size 1 H, 2 S) to the next wider, Q: upper half of rn
 * FCVTN FCVTXN   narrowing to size (1 H, 2 S); FCVTXN rounds to odd (size 2); Q: upper half
 *                of rd, the lower kept
 */
#ifndef VIREO_A64_SIMD_H
#define VIREO_A64_SIMD_H

#include "emu/aarch64/a64.h"

/* op->flags */
#define A64_SIMD_F_SCALAR 0x01
#define A64_SIMD_F_ELEM 0x02

enum a64_simd_kind {
	A64_SIMD_INVALID = 0,
	/* copy, permute, immediate */
	A64_SIMD_DUP_ELEM,
	A64_SIMD_DUP_GEN,
	A64_SIMD_INS_ELEM,
	A64_SIMD_INS_GEN,
	A64_SIMD_UMOV,
	A64_SIMD_SMOV,
	A64_SIMD_EXT,
	A64_SIMD_TBL,
	A64_SIMD_TBX,
	A64_SIMD_ZIP1,
	A64_SIMD_ZIP2,
	A64_SIMD_UZP1,
	A64_SIMD_UZP2,
	A64_SIMD_TRN1,
	A64_SIMD_TRN2,
	A64_SIMD_MOVI,
	A64_SIMD_ORR_IMM,
	A64_SIMD_BIC_IMM,
	/* three same, integer */
	A64_SIMD_ADD,
	A64_SIMD_SUB,
	A64_SIMD_MUL,
	A64_SIMD_PMUL,
	A64_SIMD_MLA,
	A64_SIMD_MLS,
	A64_SIMD_AND,
	A64_SIMD_BIC,
	A64_SIMD_ORR,
	A64_SIMD_ORN,
	A64_SIMD_EOR,
	A64_SIMD_BSL,
	A64_SIMD_BIT,
	A64_SIMD_BIF,
	A64_SIMD_SHADD,
	A64_SIMD_UHADD,
	A64_SIMD_SRHADD,
	A64_SIMD_URHADD,
	A64_SIMD_SHSUB,
	A64_SIMD_UHSUB,
	A64_SIMD_SQADD,
	A64_SIMD_UQADD,
	A64_SIMD_SQSUB,
	A64_SIMD_UQSUB,
	A64_SIMD_CMGT,
	A64_SIMD_CMHI,
	A64_SIMD_CMGE,
	A64_SIMD_CMHS,
	A64_SIMD_CMEQ,
	A64_SIMD_CMTST,
	A64_SIMD_SSHL,
	A64_SIMD_USHL,
	A64_SIMD_SRSHL,
	A64_SIMD_URSHL,
	A64_SIMD_SQSHL,
	A64_SIMD_UQSHL,
	A64_SIMD_SQRSHL,
	A64_SIMD_UQRSHL,
	A64_SIMD_SMAX,
	A64_SIMD_UMAX,
	A64_SIMD_SMIN,
	A64_SIMD_UMIN,
	A64_SIMD_SABD,
	A64_SIMD_UABD,
	A64_SIMD_SABA,
	A64_SIMD_UABA,
	A64_SIMD_SMAXP,
	A64_SIMD_UMAXP,
	A64_SIMD_SMINP,
	A64_SIMD_UMINP,
	A64_SIMD_ADDP,
	A64_SIMD_SQDMULH,
	A64_SIMD_SQRDMULH,
	/* two registers, integer */
	A64_SIMD_REV16,
	A64_SIMD_REV32,
	A64_SIMD_REV64,
	A64_SIMD_CNT,
	A64_SIMD_NOT,
	A64_SIMD_RBIT,
	A64_SIMD_CLS,
	A64_SIMD_CLZ,
	A64_SIMD_ABS,
	A64_SIMD_NEG,
	A64_SIMD_SQABS,
	A64_SIMD_SQNEG,
	A64_SIMD_SUQADD,
	A64_SIMD_USQADD,
	A64_SIMD_CMGT0,
	A64_SIMD_CMGE0,
	A64_SIMD_CMEQ0,
	A64_SIMD_CMLE0,
	A64_SIMD_CMLT0,
	A64_SIMD_SADDLP,
	A64_SIMD_UADDLP,
	A64_SIMD_SADALP,
	A64_SIMD_UADALP,
	A64_SIMD_XTN,
	A64_SIMD_SQXTN,
	A64_SIMD_UQXTN,
	A64_SIMD_SQXTUN,
	A64_SIMD_SHLL,
	/* across lanes */
	A64_SIMD_ADDV,
	A64_SIMD_SADDLV,
	A64_SIMD_UADDLV,
	A64_SIMD_SMAXV,
	A64_SIMD_UMAXV,
	A64_SIMD_SMINV,
	A64_SIMD_UMINV,
	/* three different */
	A64_SIMD_SADDL,
	A64_SIMD_UADDL,
	A64_SIMD_SSUBL,
	A64_SIMD_USUBL,
	A64_SIMD_SADDW,
	A64_SIMD_UADDW,
	A64_SIMD_SSUBW,
	A64_SIMD_USUBW,
	A64_SIMD_ADDHN,
	A64_SIMD_RADDHN,
	A64_SIMD_SUBHN,
	A64_SIMD_RSUBHN,
	A64_SIMD_SABDL,
	A64_SIMD_UABDL,
	A64_SIMD_SABAL,
	A64_SIMD_UABAL,
	A64_SIMD_SMULL,
	A64_SIMD_UMULL,
	A64_SIMD_SMLAL,
	A64_SIMD_UMLAL,
	A64_SIMD_SMLSL,
	A64_SIMD_UMLSL,
	A64_SIMD_SQDMULL,
	A64_SIMD_SQDMLAL,
	A64_SIMD_SQDMLSL,
	A64_SIMD_PMULL,
	/* shift by immediate */
	A64_SIMD_SSHR,
	A64_SIMD_USHR,
	A64_SIMD_SSRA,
	A64_SIMD_USRA,
	A64_SIMD_SRSHR,
	A64_SIMD_URSHR,
	A64_SIMD_SRSRA,
	A64_SIMD_URSRA,
	A64_SIMD_SRI,
	A64_SIMD_SHL,
	A64_SIMD_SLI,
	A64_SIMD_SQSHL_IMM,
	A64_SIMD_UQSHL_IMM,
	A64_SIMD_SQSHLU,
	A64_SIMD_SHRN,
	A64_SIMD_RSHRN,
	A64_SIMD_SQSHRN,
	A64_SIMD_UQSHRN,
	A64_SIMD_SQRSHRN,
	A64_SIMD_UQRSHRN,
	A64_SIMD_SQSHRUN,
	A64_SIMD_SQRSHRUN,
	A64_SIMD_SSHLL,
	A64_SIMD_USHLL,
	/* floating point */
	A64_SIMD_FADD,
	A64_SIMD_FSUB,
	A64_SIMD_FMUL,
	A64_SIMD_FDIV,
	A64_SIMD_FMULX,
	A64_SIMD_FMLA,
	A64_SIMD_FMLS,
	A64_SIMD_FABD,
	A64_SIMD_FMAX,
	A64_SIMD_FMIN,
	A64_SIMD_FMAXNM,
	A64_SIMD_FMINNM,
	A64_SIMD_FMAXP,
	A64_SIMD_FMINP,
	A64_SIMD_FMAXNMP,
	A64_SIMD_FMINNMP,
	A64_SIMD_FADDP,
	A64_SIMD_FMAXV,
	A64_SIMD_FMINV,
	A64_SIMD_FMAXNMV,
	A64_SIMD_FMINNMV,
	A64_SIMD_FCMEQ,
	A64_SIMD_FCMGE,
	A64_SIMD_FCMGT,
	A64_SIMD_FACGE,
	A64_SIMD_FACGT,
	A64_SIMD_FCMEQ0,
	A64_SIMD_FCMGE0,
	A64_SIMD_FCMGT0,
	A64_SIMD_FCMLE0,
	A64_SIMD_FCMLT0,
	A64_SIMD_FRECPS,
	A64_SIMD_FRSQRTS,
	A64_SIMD_FRECPE,
	A64_SIMD_FRSQRTE,
	A64_SIMD_FRECPX,
	A64_SIMD_URECPE,
	A64_SIMD_URSQRTE,
	A64_SIMD_FABS,
	A64_SIMD_FNEG,
	A64_SIMD_FSQRT,
	A64_SIMD_FRINTN,
	A64_SIMD_FRINTP,
	A64_SIMD_FRINTM,
	A64_SIMD_FRINTZ,
	A64_SIMD_FRINTA,
	A64_SIMD_FRINTX,
	A64_SIMD_FRINTI,
	A64_SIMD_FCVTNS,
	A64_SIMD_FCVTNU,
	A64_SIMD_FCVTPS,
	A64_SIMD_FCVTPU,
	A64_SIMD_FCVTMS,
	A64_SIMD_FCVTMU,
	A64_SIMD_FCVTZS,
	A64_SIMD_FCVTZU,
	A64_SIMD_FCVTAS,
	A64_SIMD_FCVTAU,
	A64_SIMD_SCVTF,
	A64_SIMD_UCVTF,
	A64_SIMD_FCVTL,
	A64_SIMD_FCVTN,
	A64_SIMD_FCVTXN,
	A64_SIMD_KIND_COUNT
};

#endif
