/* emu/aarch64/ldst: the load/store class's op kinds and what each field of struct a64_op means
 * for them. Written by the front end (ldst.c), read by every back end (ldst-exec.c today). */
#ifndef VIREO_A64_LDST_H
#define VIREO_A64_LDST_H

/* Common to every kind:
 *   rn    base register (REG_SP for 31); REG_ZR for a literal (PC-relative) load
 *   flags addressing mode (LDST_MODE_MASK) and the LDST_F_* bits below
 *   size  access size log2 (0 B, 1 H, 2 W/S, 3 X/D, 4 Q); element size for pairs and
 *         structures
 *   rm    REG_ZR unless a field below gives it a meaning
 * Transfer registers: general registers that are loaded are REG_ZW when the encoding says 31,
 * general registers that are stored are REG_ZR; SIMD&FP registers are 0..31 into cpu->v[].
 *
 * Addressing modes (flags & LDST_MODE_MASK), addr being the first byte accessed:
 *   LDST_OFF   addr = X[rn] + imm                      (unsigned offset, unscaled, unprivileged,
 *                                                       literal with rn = REG_ZR, imm = target)
 *   LDST_PRE   addr = X[rn] + imm, then X[rn] = addr
 *   LDST_POST  addr = X[rn], then X[rn] = addr + imm + X[rm] (rm is REG_ZR except for the
 *              register post-index of structure kinds)
 *   LDST_REG   addr = X[rn] + (extend(X[rm], ext) << shift), ext being the encoding's option
 *              field: 2 UXTW, 3 LSL (UXTX), 6 SXTW, 7 SXTX; shift is 0 or size
 * imm is already scaled (a byte offset). Writeback happens after the access and after the
 * transfer registers are written, so when rn is also a loaded register (CONSTRAINED
 * UNPREDICTABLE) the base gets the written-back address, as qemu does.
 *
 * Faults: no register changes before the instruction's last access that can fault, so a
 * faulting op can be restarted or reported with exact state (a store that crosses into a bad
 * page may have written its first part, as hardware may). Exclusives, ordered accesses (but
 * LDAPR) and atomics check natural alignment (of the whole pair for LDXP/STXP/CASP; no
 * FEAT_LSE2) and exit A64_EXIT_ALIGN with fault_addr, fault_write, exit_insn and
 * pc = op->pc; the op has changed nothing then. */
enum a64_ldst_kind {
	LDST_NONE = 0,
	/* Single register, any mode. LDR: rd <- mem; LDST_F_SIGNED sign-extends to 64 bits
	 * (sf = 1) or to 32 bits then zero-extends (sf = 0); unsigned loads zero-extend.
	 * STR: mem <- low bytes of rd. Sizes 0..3 (LDRSW: size 2, sf 1). */
	LDST_LDR,
	LDST_STR,
	/* SIMD&FP single register, sizes 0..4, any mode: V[rd] <- mem, the rest of the register
	 * zeroed; STR_V: mem <- low bytes of V[rd]. */
	LDST_LDR_V,
	LDST_STR_V,
	/* PRFM/PRFUM (any form): no effect, never faults. */
	LDST_PRFM,
	/* Pairs, modes OFF (also LDNP/STNP, flagged LDST_F_NT), PRE, POST. rd = Rt at addr,
	 * rt2 = Rt2 at addr + (1 << size); size 2 or 3 (LDPSW: size 2, LDST_F_SIGNED, sf 1).
	 * Loads write rt2 first, then rd (Rt == Rt2 gets the first element, as qemu). */
	LDST_LDP,
	LDST_STP,
	/* SIMD&FP pairs: size 2 (S), 3 (D), 4 (Q). Loads write rd, then rt2 (Rt == Rt2 gets
	 * the second element, as qemu). */
	LDST_LDP_V,
	LDST_STP_V,
	/* Exclusives (mode OFF, imm 0). LDXR: rd <- mem, size 0..3; arms the monitor
	 * (excl_addr, excl_val[0], excl_size = bytes). STXR: rm = status register (REG_ZW for
	 * 31) <- 0 when the monitor is armed for addr, the recorded value fits the store's size
	 * and memory still holds it (compare-and-swap at the store's size), else 1; the monitor
	 * is cleared either way. A store-exclusive to an address the monitor does not hold fails
	 * without an alignment check, as in qemu.
	 * Pairs: size is the element size (2 or 3); rd = Rt, rt2 = Rt2; an access of 2 << size
	 * bytes aligned to its whole size. LDXP writes rd then rt2 (Rt == Rt2 gets the second).
	 * LDST_F_ACQ / LDST_F_REL for LDAXR / STLXR and pairs. */
	LDST_LDXR,
	LDST_STXR,
	LDST_LDXP,
	LDST_STXP,
	/* Ordered single accesses, mode OFF: LDAR, LDLAR (imm 0) and LDAPUR* (imm9
	 * unscaled; LDST_F_SIGNED and sf as LDR); STLR, STLLR (imm 0), STLUR (imm9). Sizes 0..3.
	 * LDAR-type loads are acquire, STLR-type stores are release and ordered before a later
	 * acquire load. */
	LDST_LDAR,
	LDST_STLR,
	/* LDAPR{,B,H} (RCpc load-acquire, mode OFF, imm 0): like LDAR, but without the
	 * alignment check, as qemu 7.2 runs it (without FEAT_LSE2 hardware would fault). */
	LDST_LDAPR,
	/* Compare and swap, mode OFF: rm = Rs (compare value, then receives the old value
	 * zero-extended; REG_ZR when 31: reads 0, the write is dropped), rd = Rt (new value,
	 * REG_ZR when 31). Sizes 0..3. LDST_F_ACQ / LDST_F_REL. */
	LDST_CAS,
	/* CASP: rm = Rs, ra = Rs+1, rd = Rt, rt2 = Rt+1 (each REG_ZR when it would be 31; Rs and
	 * Rt are even); size = element size 2 or 3. Rs (low) and Rs+1 (high) are compared with
	 * the 2 << size bytes at addr, little-endian; both receive the old value. */
	LDST_CASP,
	/* LSE atomics, mode OFF, sizes 0..3: rm = Rs (operand, REG_ZR for 31), rd = Rt (old value,
	 * zero-extended; REG_ZW for 31, which is the ST<op> alias). mem <- old OP Rs atomically.
	 * LDST_F_ACQ / LDST_F_REL from the A/R bits. */
	LDST_SWP,   /* mem <- Rs */
	LDST_LDADD, /* old + Rs */
	LDST_LDCLR, /* old & ~Rs */
	LDST_LDEOR, /* old ^ Rs */
	LDST_LDSET, /* old | Rs */
	LDST_LDSMAX,
	LDST_LDSMIN,
	LDST_LDUMAX,
	LDST_LDUMIN,
	/* Advanced SIMD structures, modes OFF (imm 0) and POST (imm = bytes transferred with
	 * rm = REG_ZR, or imm 0 with rm = Xm). rd = first register Vt, then (Vt + i) % 32;
	 * size = element size log2; sf = Q (1: 128-bit registers, 0: 64-bit with the upper half
	 * zeroed on loads); ext = selem (elements per structure, 1..4).
	 * MULT (LD1-4/ST1-4 multiple): shift = number of registers (1..4; equals ext unless
	 * ext is 1). Structure j's element r is at addr + ((j * ext + r) << size); for ext = 1 the
	 * registers are simply consecutive in memory.
	 * LANE (single structure): imm2 = lane index; element r at addr + (r << size) goes to
	 * lane imm2 of register rd + r; other lanes are kept (no zeroing).
	 * REPL (LD1R-LD4R): element r at addr + (r << size) is copied to every lane of
	 * register rd + r. */
	LDST_LD_MULT,
	LDST_ST_MULT,
	LDST_LD_LANE,
	LDST_ST_LANE,
	LDST_LD_REPL,
	LDST_KIND_COUNT
};

#define LDST_MODE_MASK 0x03
#define LDST_OFF 0
#define LDST_PRE 1
#define LDST_POST 2
#define LDST_REG 3
#define LDST_F_SIGNED 0x04 /* sign-extending load */
#define LDST_F_ACQ 0x08    /* acquire semantics */
#define LDST_F_REL 0x10    /* release semantics */
#define LDST_F_LIT 0x20    /* literal: rn = REG_ZR, imm = absolute guest address */
#define LDST_F_UNPRIV 0x40 /* LDTR/STTR family (same as normal accesses at EL0) */
#define LDST_F_NT 0x80     /* non-temporal pair hint (LDNP/STNP) */

/* Extend types for LDST_REG (the encoding's option field). */
#define LDST_EXT_UXTW 2
#define LDST_EXT_LSL 3
#define LDST_EXT_SXTW 6
#define LDST_EXT_SXTX 7

#endif
