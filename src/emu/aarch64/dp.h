/* emu/aarch64/dp: the data-processing class (immediate and register): the kinds its decoder
 * (dp.c) produces and, per kind, what each field of struct a64_op means. This header is the
 * contract between the front end and every back end (the interpreter in dp-exec.c today, a
 * code generator later): a back end needs nothing but this and a64.h to run a DP op.
 *
 * Common to every kind (cls == A64_CLS_DP):
 *   sf     1: 64-bit operation; 0: 32-bit (operands are the low 32 bits of the registers and
 *          the result is zero-extended into the 64-bit destination).
 *   rd     destination; rn, rm, ra sources. The encoding's 31 is already resolved: 31 is SP
 *          only where the kind says "SP"; otherwise sources read REG_ZR (0) and destinations
 *          write REG_ZW (discarded).
 *   flags  A64_DP_F_S exactly when the op writes NZCV: the S forms (ADDS, SUBS, ANDS, BICS,
 *          ADCS, SBCS and the CMP, CMN, TST, NEGS, NGCS aliases) and CCMN/CCMP.
 *   Fields a kind does not name are zero. Every immediate is final: no back end re-derives
 *   anything from insn.
 *
 * Flags, when set: adds and subtracts give N, Z, C (carry out; for a subtraction "no borrow")
 * and V (signed overflow) computed at the operation's width (32 or 64); logical ops give N
 * and Z of the result and clear C and V.
 *
 * Shifts (A64_DP_SHIFT_*) and extends (A64_DP_EXT_*) of a register operand:
 *   shift(rm)  = rm LSL/LSR/ASR/ROR shift, at the operation's width (ext = type, shift = amount
 *                0..width-1). An amount of 0 is always reported as LSL #0.
 *   extend(rm) = rm zero- or sign-extended from byte/half/word/doubleword (ext = UXTB..SXTX),
 *                then shifted left by shift (0..4), then taken at the operation's width.
 *
 * Kind              Computes (at width sf)         Registers and fields
 * A64_DP_ADR        rd = imm                       imm = pc + offset (the target)
 * A64_DP_ADRP       rd = imm                       imm = (pc & ~0xfff) + (offset << 12)
 * A64_DP_ADD_IMM    rd = rn + imm                  rn SP; rd SP, or ZW when F_S;
 * A64_DP_SUB_IMM    rd = rn - imm                  imm = imm12, shifted left by 12 if asked
 * A64_DP_ADD_SREG   rd = rn + shift(rm)            ext = LSL, LSR or ASR
 * A64_DP_SUB_SREG   rd = rn - shift(rm)
 * A64_DP_ADD_XREG   rd = rn + extend(rm)           rn SP; rd SP, or ZW when F_S; rm ZR
 * A64_DP_SUB_XREG   rd = rn - extend(rm)
 * A64_DP_ADC        rd = rn + rm + C
 * A64_DP_SBC        rd = rn + ~rm + C (= rn - rm - !C)
 * A64_DP_AND_IMM    rd = rn & imm                  rd SP, or ZW when F_S (ANDS, TST);
 * A64_DP_ORR_IMM    rd = rn | imm                  imm = the decoded bitmask, its upper 32
 * A64_DP_EOR_IMM    rd = rn ^ imm                  bits zero when sf = 0
 * A64_DP_AND_SREG   rd = rn & shift(rm)            F_S: ANDS, TST
 * A64_DP_BIC_SREG   rd = rn & ~shift(rm)           F_S: BICS
 * A64_DP_ORR_SREG   rd = rn | shift(rm)            MOV (register) when rn = ZR, LSL #0
 * A64_DP_ORN_SREG   rd = rn | ~shift(rm)           (ROR is allowed in every logical SREG
 * A64_DP_EOR_SREG   rd = rn ^ shift(rm)            kind, not in add/subtract)
 * A64_DP_EON_SREG   rd = rn ^ ~shift(rm)
 * A64_DP_MOVZ       rd = imm                       imm = imm16 << shift, the final value
 * A64_DP_MOVN       rd = imm                       imm = ~(imm16 << shift) at width sf, final
 * A64_DP_MOVK       rd = (rd & imm2) | imm         imm = imm16 << shift; imm2 = the bits of rd
 *                                                  kept (none above bit 31 when sf = 0);
 *                                                  shift = 0, 16, 32 or 48
 * Bitfield kinds: SBFM, UBFM, BFM as the alias they are (LSL, LSR, ASR, SXTB/H/W, UXTB/H,
 * BFC ... included). shift = lsb (0..width-1); size = the field width w (1..64, and
 * lsb + w <= 32 when sf = 0); imm = (1 << w) - 1; imm2 (BFI, BFXIL only) = the bits of rd
 * kept, none above bit 31 when sf = 0.
 * A64_DP_UBFX       rd = (rn >> lsb) & imm         LSR when lsb + w = width
 * A64_DP_UBFIZ      rd = (rn & imm) << lsb         LSL when lsb + w = width
 * A64_DP_SBFX       rd = sext(w bits of rn at lsb) ASR when lsb + w = width
 * A64_DP_SBFIZ      rd = sext(rn<w-1:0>) << lsb
 * A64_DP_BFXIL      rd = (rd & imm2) | ((rn >> lsb) & imm)
 * A64_DP_BFI        rd = (rd & imm2) | ((rn & imm) << lsb)
 * A64_DP_EXTR       rd = (rn:rm) >> shift          the low width bits; shift = 0..width-1
 * A64_DP_CCMN_REG   NZCV = cond ? flags(rn + rm) : imm2
 * A64_DP_CCMP_REG   NZCV = cond ? flags(rn - rm) : imm2
 * A64_DP_CCMN_IMM   NZCV = cond ? flags(rn + imm) : imm2     imm = imm5 (0..31)
 * A64_DP_CCMP_IMM   NZCV = cond ? flags(rn - imm) : imm2     (all four: cond; imm2 = the
 *                                                  NZCV to set when cond fails, bits 31:28)
 * A64_DP_CSEL       rd = cond ? rn : rm            cond
 * A64_DP_CSINC      rd = cond ? rn : rm + 1        (CSET, CINC)
 * A64_DP_CSINV      rd = cond ? rn : ~rm           (CSETM, CINV)
 * A64_DP_CSNEG      rd = cond ? rn : -rm           (CNEG)
 * A64_DP_RBIT       rd = rn bit-reversed
 * A64_DP_REV16      rd = the bytes of each halfword of rn swapped
 * A64_DP_REV32      rd = the bytes of each word of rn reversed   sf = 1 only
 * A64_DP_REV        rd = the bytes of rn reversed  sf = 0: REV Wd; sf = 1: REV Xd (REV64)
 * A64_DP_CLZ        rd = leading zero bits of rn (width when rn = 0)
 * A64_DP_CLS        rd = leading bits equal to the sign bit, the sign bit not counted
 * A64_DP_UDIV       rd = rm ? rn / rm : 0          unsigned
 * A64_DP_SDIV       rd = rm ? rn / rm : 0          signed, toward zero; INT_MIN / -1 = INT_MIN
 * A64_DP_LSLV       rd = rn << (rm % width)
 * A64_DP_LSRV       rd = rn >> (rm % width)        logical
 * A64_DP_ASRV       rd = rn >> (rm % width)        arithmetic
 * A64_DP_RORV       rd = rn rotated right by (rm % width)
 * A64_DP_CRC32      rd = CRC-32 (0x04C11DB7) of 2^size bytes of rm into the accumulator rn
 * A64_DP_CRC32C     rd = the same with CRC-32C (0x1EDC6F41). Both bit-reflected, no
 *                   inversion, data low byte first, 32-bit accumulator and result; size =
 *                   0..3 (B, H, W, X); sf = 1 for the X forms only.
 * A64_DP_MADD       rd = ra + rn * rm
 * A64_DP_MSUB       rd = ra - rn * rm
 * A64_DP_SMADDL     rd = ra + sext(rn<31:0>) * sext(rm<31:0>)   sf = 1 (also SMULL)
 * A64_DP_SMSUBL     rd = ra - sext(rn<31:0>) * sext(rm<31:0>)   sf = 1
 * A64_DP_UMADDL     rd = ra + zext(rn<31:0>) * zext(rm<31:0>)   sf = 1 (also UMULL)
 * A64_DP_UMSUBL     rd = ra - zext(rn<31:0>) * zext(rm<31:0>)   sf = 1
 * A64_DP_SMULH      rd = (rn * rm) >> 64, signed 128-bit product  sf = 1; ra unused (0)
 * A64_DP_UMULH      rd = (rn * rm) >> 64, unsigned               sf = 1; ra unused (0)
 *
 * Where a kind's table line names no SP, every register is ZR/ZW-resolved. Not decoded (left
 * INVALID, so they raise SIGILL like the unallocated encodings): the features the CPU does not
 * advertise, i.e. MTE (ADDG, SUBG, SUBP, IRG, GMI), PAuth (PACGA, PAC*, AUT*, XPAC* outside the
 * hint space), FlagM (RMIF, SETF8/16) and CSSC (ABS, CNT, CTZ, SMAX ...). */
#ifndef VIREO_A64_DP_H
#define VIREO_A64_DP_H

#include "emu/aarch64/a64.h"

enum a64_dp_kind {
	A64_DP_INVALID = 0,
	/* PC-relative addressing */
	A64_DP_ADR,
	A64_DP_ADRP,
	/* add/subtract */
	A64_DP_ADD_IMM,
	A64_DP_SUB_IMM,
	A64_DP_ADD_SREG,
	A64_DP_SUB_SREG,
	A64_DP_ADD_XREG,
	A64_DP_SUB_XREG,
	A64_DP_ADC,
	A64_DP_SBC,
	/* logical */
	A64_DP_AND_IMM,
	A64_DP_ORR_IMM,
	A64_DP_EOR_IMM,
	A64_DP_AND_SREG,
	A64_DP_BIC_SREG,
	A64_DP_ORR_SREG,
	A64_DP_ORN_SREG,
	A64_DP_EOR_SREG,
	A64_DP_EON_SREG,
	/* move wide */
	A64_DP_MOVZ,
	A64_DP_MOVN,
	A64_DP_MOVK,
	/* bitfield and extract */
	A64_DP_UBFX,
	A64_DP_UBFIZ,
	A64_DP_SBFX,
	A64_DP_SBFIZ,
	A64_DP_BFXIL,
	A64_DP_BFI,
	A64_DP_EXTR,
	/* conditional */
	A64_DP_CCMN_REG,
	A64_DP_CCMP_REG,
	A64_DP_CCMN_IMM,
	A64_DP_CCMP_IMM,
	A64_DP_CSEL,
	A64_DP_CSINC,
	A64_DP_CSINV,
	A64_DP_CSNEG,
	/* one source */
	A64_DP_RBIT,
	A64_DP_REV16,
	A64_DP_REV32,
	A64_DP_REV,
	A64_DP_CLZ,
	A64_DP_CLS,
	/* two sources */
	A64_DP_UDIV,
	A64_DP_SDIV,
	A64_DP_LSLV,
	A64_DP_LSRV,
	A64_DP_ASRV,
	A64_DP_RORV,
	A64_DP_CRC32,
	A64_DP_CRC32C,
	/* three sources */
	A64_DP_MADD,
	A64_DP_MSUB,
	A64_DP_SMADDL,
	A64_DP_SMSUBL,
	A64_DP_UMADDL,
	A64_DP_UMSUBL,
	A64_DP_SMULH,
	A64_DP_UMULH,
	A64_DP_KIND_COUNT
};

/* op->flags */
#define A64_DP_F_S 0x01 /* sets NZCV */

/* op->ext for the *_SREG kinds: the shift type, as encoded */
enum a64_dp_shift {
	A64_DP_SHIFT_LSL = 0,
	A64_DP_SHIFT_LSR = 1,
	A64_DP_SHIFT_ASR = 2,
	A64_DP_SHIFT_ROR = 3, /* logical kinds only */
};

/* op->ext for the *_XREG kinds: the extend option, as encoded */
enum a64_dp_extend {
	A64_DP_EXT_UXTB = 0,
	A64_DP_EXT_UXTH = 1,
	A64_DP_EXT_UXTW = 2,
	A64_DP_EXT_UXTX = 3,
	A64_DP_EXT_SXTB = 4,
	A64_DP_EXT_SXTH = 5,
	A64_DP_EXT_SXTW = 6,
	A64_DP_EXT_SXTX = 7,
};

#endif
