/* emu/jit/x86: a small x86-64 instruction encoder for the code generator: just the forms the
 * op emitters use, each written straight into a code buffer. Nothing here knows the guest.
 * Operands: a register number (X_RAX..X_R15) or a memory operand built with xm()/xmi().
 * Opcode bytes are given most significant first in an int (0x0FAF is 0F AF). */
#ifndef VIREO_JIT_X86_H
#define VIREO_JIT_X86_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum { X_RAX, X_RCX, X_RDX, X_RBX, X_RSP, X_RBP, X_RSI, X_RDI,
       X_R8, X_R9, X_R10, X_R11, X_R12, X_R13, X_R14, X_R15 };

/* x86 condition codes (the low nibble of Jcc/SETcc/CMOVcc); cc ^ 1 is the negation. */
enum { XC_O, XC_NO, XC_B, XC_AE, XC_E, XC_NE, XC_BE, XC_A,
       XC_S, XC_NS, XC_P, XC_NP, XC_L, XC_GE, XC_LE, XC_G };

struct xbuf {
	uint8_t *p, *end;
	bool full; /* ran out of room: everything emitted since the last check is void */
};

/* An r/m operand: a register, or [base + index << scale + disp] (index -1: none). */
struct xrm {
	int8_t base, index;
	uint8_t scale;
	bool mem;
	int32_t disp;
};

static inline struct xrm xr(int r) { return (struct xrm){.base = (int8_t)r, .index = -1}; }
static inline struct xrm xm(int base, int32_t disp)
{
	return (struct xrm){.base = (int8_t)base, .index = -1, .mem = true, .disp = disp};
}
static inline struct xrm xmi(int base, int index, unsigned scale, int32_t disp)
{
	return (struct xrm){.base = (int8_t)base, .index = (int8_t)index, .scale = (uint8_t)scale,
			    .mem = true, .disp = disp};
}

static inline void x1(struct xbuf *b, uint8_t v)
{
	if (b->p < b->end)
		*b->p++ = v;
	else
		b->full = true;
}
static inline void x4(struct xbuf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x1(b, (uint8_t)(v >> (8 * i)));
}
static inline void x8(struct xbuf *b, uint64_t v)
{
	x4(b, (uint32_t)v);
	x4(b, (uint32_t)(v >> 32));
}

/* Prefix and size flags of x_op. */
#define XW 0x01    /* REX.W: 64-bit operand */
#define X66 0x02   /* operand-size prefix: 16-bit, or the SSE 66 prefix */
#define XF2 0x04
#define XF3 0x08
#define XB8 0x10   /* byte registers: SPL..DIL need a REX prefix */

/* One instruction: prefixes, REX, opcode (1-3 bytes), ModRM/SIB/displacement. reg is the ModRM
 * reg field (a register, or an opcode extension /digit). An immediate, if any, follows. */
static inline void x_op(struct xbuf *b, unsigned fl, uint32_t opc, int reg, struct xrm rm)
{
	if (fl & X66)
		x1(b, 0x66);
	if (fl & XF2)
		x1(b, 0xF2);
	if (fl & XF3)
		x1(b, 0xF3);
	uint8_t rex = 0x40 | ((fl & XW) ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((rm.base & 8) ? 1 : 0);
	if (rm.mem && rm.index >= 0 && (rm.index & 8))
		rex |= 2;
	bool byte_rex = (fl & XB8) && ((reg >= 4 && reg < 8) || (!rm.mem && rm.base >= 4 && rm.base < 8));
	if (rex != 0x40 || byte_rex)
		x1(b, rex);
	if (opc > 0xFFFF)
		x1(b, (uint8_t)(opc >> 16));
	if (opc > 0xFF)
		x1(b, (uint8_t)(opc >> 8));
	x1(b, (uint8_t)opc);
	int r = reg & 7, base = rm.base & 7;
	if (!rm.mem) {
		x1(b, (uint8_t)(0xC0 | r << 3 | base));
		return;
	}
	int mod = (rm.disp == 0 && base != 5) ? 0 : (rm.disp >= -128 && rm.disp <= 127) ? 1 : 2;
	if (rm.index >= 0 || base == 4) {
		int idx = rm.index >= 0 ? (rm.index & 7) : 4;
		x1(b, (uint8_t)(mod << 6 | r << 3 | 4));
		x1(b, (uint8_t)(rm.scale << 6 | idx << 3 | base));
	} else {
		x1(b, (uint8_t)(mod << 6 | r << 3 | base));
	}
	if (mod == 1)
		x1(b, (uint8_t)rm.disp);
	else if (mod == 2)
		x4(b, (uint32_t)rm.disp);
}

/* ALU operations: the /digit of 81/83 and the base of the "r, r/m" opcode (digit * 8 + 3). */
enum { XA_ADD = 0, XA_OR = 1, XA_ADC = 2, XA_SBB = 3, XA_AND = 4, XA_SUB = 5, XA_XOR = 6, XA_CMP = 7 };

/* reg OP= r/m */
static inline void x_alu(struct xbuf *b, unsigned w, int aop, int reg, struct xrm rm)
{
	x_op(b, w, (uint32_t)(aop * 8 + 3), reg, rm);
}
/* r/m OP= imm (sign-extended 32 bits) */
static inline void x_alui(struct xbuf *b, unsigned w, int aop, struct xrm rm, int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		x_op(b, w, 0x83, aop, rm);
		x1(b, (uint8_t)imm);
	} else {
		x_op(b, w, 0x81, aop, rm);
		x4(b, (uint32_t)imm);
	}
}
static inline void x_test(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w, 0x85, reg, rm); }

/* Moves. */
static inline void x_load(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w, 0x8B, reg, rm); }
static inline void x_store(struct xbuf *b, unsigned w, struct xrm rm, int reg) { x_op(b, w, 0x89, reg, rm); }
static inline void x_store8(struct xbuf *b, struct xrm rm, int reg) { x_op(b, XB8, 0x88, reg, rm); }
static inline void x_store16(struct xbuf *b, struct xrm rm, int reg) { x_op(b, X66, 0x89, reg, rm); }
static inline void x_lea(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w, 0x8D, reg, rm); }
static inline void x_movzx8(struct xbuf *b, int reg, struct xrm rm) { x_op(b, XB8, 0x0FB6, reg, rm); }
static inline void x_movzx16(struct xbuf *b, int reg, struct xrm rm) { x_op(b, 0, 0x0FB7, reg, rm); }
static inline void x_movsx8(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w | XB8, 0x0FBE, reg, rm); }
static inline void x_movsx16(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w, 0x0FBF, reg, rm); }
static inline void x_movsxd(struct xbuf *b, int reg, struct xrm rm) { x_op(b, XW, 0x63, reg, rm); }

/* reg = imm: the shortest form that gives the 64-bit value (no flags touched). */
static inline void x_movi(struct xbuf *b, int reg, uint64_t imm)
{
	if (imm <= 0xFFFFFFFFu) {
		if (reg & 8)
			x1(b, 0x41);
		x1(b, (uint8_t)(0xB8 + (reg & 7)));
		x4(b, (uint32_t)imm);
	} else if ((int64_t)imm >= INT32_MIN && (int64_t)imm <= INT32_MAX) {
		x_op(b, XW, 0xC7, 0, xr(reg));
		x4(b, (uint32_t)imm);
	} else {
		x1(b, (uint8_t)(0x48 | ((reg & 8) ? 1 : 0)));
		x1(b, (uint8_t)(0xB8 + (reg & 7)));
		x8(b, imm);
	}
}
/* [m] = sign-extended imm32 (64-bit with XW, else 32-bit) */
static inline void x_storei(struct xbuf *b, unsigned w, struct xrm rm, int32_t imm)
{
	x_op(b, w, 0xC7, 0, rm);
	x4(b, (uint32_t)imm);
}

/* Shifts: /4 SHL, /5 SHR, /7 SAR, /0 ROL, /1 ROR. */
enum { XS_ROL = 0, XS_ROR = 1, XS_SHL = 4, XS_SHR = 5, XS_SAR = 7 };
static inline void x_shifti(struct xbuf *b, unsigned w, int sop, struct xrm rm, unsigned n)
{
	if (n == 0)
		return;
	x_op(b, w, 0xC1, sop, rm);
	x1(b, (uint8_t)n);
}
static inline void x_shiftcl(struct xbuf *b, unsigned w, int sop, struct xrm rm) { x_op(b, w, 0xD3, sop, rm); }
/* rm = rm >> n, filled from reg (SHRD) */
static inline void x_shrd(struct xbuf *b, unsigned w, struct xrm rm, int reg, unsigned n)
{
	x_op(b, w, 0x0FAC, reg, rm);
	x1(b, (uint8_t)n);
}

/* Unary group 3: /2 NOT, /3 NEG, /4 MUL, /5 IMUL (rdx:rax = rax * r/m). */
static inline void x_not(struct xbuf *b, unsigned w, struct xrm rm) { x_op(b, w, 0xF7, 2, rm); }
static inline void x_neg(struct xbuf *b, unsigned w, struct xrm rm) { x_op(b, w, 0xF7, 3, rm); }
static inline void x_mul(struct xbuf *b, unsigned w, struct xrm rm) { x_op(b, w, 0xF7, 4, rm); }
static inline void x_imul1(struct xbuf *b, unsigned w, struct xrm rm) { x_op(b, w, 0xF7, 5, rm); }
static inline void x_imul(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w, 0x0FAF, reg, rm); }
static inline void x_lzcnt(struct xbuf *b, unsigned w, int reg, struct xrm rm) { x_op(b, w | XF3, 0x0FBD, reg, rm); }
static inline void x_bswap(struct xbuf *b, unsigned w, int reg)
{
	uint8_t rex = 0x40 | ((w & XW) ? 8 : 0) | ((reg & 8) ? 1 : 0);
	if (rex != 0x40)
		x1(b, rex);
	x1(b, 0x0F);
	x1(b, (uint8_t)(0xC8 + (reg & 7)));
}
/* CF = bit n of r/m */
static inline void x_bti(struct xbuf *b, unsigned w, struct xrm rm, unsigned n)
{
	x_op(b, w, 0x0FBA, 4, rm);
	x1(b, (uint8_t)n);
}
/* CF = bit (reg) of r/m, register form only (the memory form addresses a bit string) */
static inline void x_bt(struct xbuf *b, unsigned w, int rm, int reg) { x_op(b, w, 0x0FA3, reg, xr(rm)); }
static inline void x_cmc(struct xbuf *b) { x1(b, 0xF5); }
static inline void x_cmov(struct xbuf *b, unsigned w, int cc, int reg, struct xrm rm)
{
	x_op(b, w, 0x0F40 + (uint32_t)cc, reg, rm);
}
static inline void x_setcc(struct xbuf *b, int cc, struct xrm rm) { x_op(b, XB8, 0x0F90 + (uint32_t)cc, 0, rm); }
static inline void x_mfence(struct xbuf *b) { x1(b, 0x0F); x1(b, 0xAE); x1(b, 0xF0); }

/* PEXT dst, src, r/m (BMI2; 32-bit): VEX.LZ.F3.0F38.W0 F5 /r, vvvv = src. */
static inline void x_pext32(struct xbuf *b, int dst, int src, struct xrm rm)
{
	x1(b, 0xC4);
	uint8_t rxb = (uint8_t)(((dst & 8) ? 0 : 0x80) | ((rm.mem && rm.index >= 0 && (rm.index & 8)) ? 0 : 0x40) |
				((rm.base & 8) ? 0 : 0x20));
	x1(b, rxb | 0x02); /* map 0F38 */
	x1(b, (uint8_t)(((~src & 15) << 3) | 0x02)); /* W0, vvvv, L0, pp = F3 */
	/* ModRM etc. as for a legacy op, without prefixes or REX (VEX carries them). */
	struct xbuf t = *b;
	uint8_t tmp[16];
	t.p = tmp;
	t.end = tmp + sizeof tmp;
	t.full = false;
	x_op(&t, 0, 0xF5, dst & 7, (struct xrm){.base = (int8_t)(rm.base & 7), .index = (int8_t)(rm.index >= 0 ? (rm.index & 7) : -1),
						   .scale = rm.scale, .mem = rm.mem, .disp = rm.disp});
	/* A base or index of 4..7 without REX was emitted as is; r12/r13 need the same SIB and
	 * disp rules as rsp/rbp, which the low 3 bits already give. */
	for (uint8_t *q = tmp; q < t.p; q++)
		x1(b, *q);
}

/* SSE moves (xmm registers 0..15): 128-bit unaligned, 64 and 32 bits (loads zero the rest). */
static inline void x_movdqu_load(struct xbuf *b, int x, struct xrm rm) { x_op(b, XF3, 0x0F6F, x, rm); }
static inline void x_movdqu_store(struct xbuf *b, struct xrm rm, int x) { x_op(b, XF3, 0x0F7F, x, rm); }
static inline void x_movq_load(struct xbuf *b, int x, struct xrm rm) { x_op(b, XF3, 0x0F7E, x, rm); }
static inline void x_movq_store(struct xbuf *b, struct xrm rm, int x) { x_op(b, X66, 0x0FD6, x, rm); }

/* Control flow. */
static inline void x_push(struct xbuf *b, int r)
{
	if (r & 8)
		x1(b, 0x41);
	x1(b, (uint8_t)(0x50 + (r & 7)));
}
static inline void x_pop(struct xbuf *b, int r)
{
	if (r & 8)
		x1(b, 0x41);
	x1(b, (uint8_t)(0x58 + (r & 7)));
}
static inline void x_pushf(struct xbuf *b) { x1(b, 0x9C); }
static inline void x_ret(struct xbuf *b) { x1(b, 0xC3); }
static inline void x_call_r(struct xbuf *b, int r) { x_op(b, 0, 0xFF, 2, xr(r)); }
static inline void x_jmp_r(struct xbuf *b, int r) { x_op(b, 0, 0xFF, 4, xr(r)); }

/* rel32 jumps: return the address of the displacement, to patch with x_patch(). A target
 * already known is given directly (NULL: patch later). */
static inline uint8_t *x_rel32(struct xbuf *b, const uint8_t *target)
{
	uint8_t *at = b->p;
	int64_t d = target ? target - (b->p + 4) : 0;
	x4(b, (uint32_t)(int32_t)d);
	return b->full ? NULL : at;
}
static inline uint8_t *x_jmp(struct xbuf *b, const uint8_t *target) { x1(b, 0xE9); return x_rel32(b, target); }
static inline uint8_t *x_jcc(struct xbuf *b, int cc, const uint8_t *target)
{
	x1(b, 0x0F);
	x1(b, (uint8_t)(0x80 + cc));
	return x_rel32(b, target);
}
/* Point the rel32 at `at` to target. */
static inline void x_patch(uint8_t *at, const uint8_t *target)
{
	if (!at)
		return;
	int32_t d = (int32_t)(target - (at + 4));
	memcpy(at, &d, 4);
}

#endif
