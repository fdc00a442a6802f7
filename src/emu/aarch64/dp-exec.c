/* emu/aarch64/dp-exec: the interpreter's handlers for the data-processing class (kinds and
 * fields in dp.h). One small handler per kind, width, flag setting and shift or extend type,
 * generated from always-inline templates, so a handler branches only on data; the binder picks
 * it once per op and also chooses cheaper equivalents where the fields allow (MOV for ORR with
 * the zero register, LSL/LSR/ASR for full-width bitfields...). Touches only the CPU's registers
 * and NZCV; ops are read-only. */
#include "emu/aarch64/dp.h"

#define X (cpu->x)
#define ALWAYS static inline __attribute__((always_inline))
/* Threaded dispatch: see A64_HANDLER in a64.h. */
#define HANDLER(name) A64_HANDLER(name, cpu)

/* Enumerations that generate handlers and their tables: each level calls M with one more
 * trailing argument. Distinct names, so they nest. */
#define DP_E2A(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1)
#define DP_E2B(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1)
#define DP_E2C(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1)
#define DP_E3(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1) M(__VA_ARGS__, 2)
#define DP_E4(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1) M(__VA_ARGS__, 2) M(__VA_ARGS__, 3)
#define DP_E4B(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1) M(__VA_ARGS__, 2) M(__VA_ARGS__, 3)
#define DP_E8(M, ...) DP_E4(M, __VA_ARGS__) M(__VA_ARGS__, 4) M(__VA_ARGS__, 5) \
	M(__VA_ARGS__, 6) M(__VA_ARGS__, 7)

/* ---- flags ---- */

ALWAYS uint32_t nz64(uint64_t r)
{
	return ((uint32_t)(r >> 32) & A64_N) | (r ? 0 : A64_Z);
}

ALWAYS uint32_t nz32(uint32_t r)
{
	return (r & A64_N) | (r ? 0 : A64_Z);
}

ALWAYS uint64_t add64_flags(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
	uint64_t r = a + b;
	uint32_t c = r < a, v = (uint32_t)((~(a ^ b) & (a ^ r)) >> 63);
	cpu->nzcv = nz64(r) | c << 29 | v << 28;
	return r;
}

ALWAYS uint64_t sub64_flags(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
	uint64_t r = a - b;
	uint32_t c = a >= b, v = (uint32_t)(((a ^ b) & (a ^ r)) >> 63);
	cpu->nzcv = nz64(r) | c << 29 | v << 28;
	return r;
}

ALWAYS uint32_t add32_flags(struct a64_cpu *cpu, uint32_t a, uint32_t b)
{
	uint32_t r = a + b;
	uint32_t c = r < a, v = (~(a ^ b) & (a ^ r)) >> 31;
	cpu->nzcv = nz32(r) | c << 29 | v << 28;
	return r;
}

ALWAYS uint32_t sub32_flags(struct a64_cpu *cpu, uint32_t a, uint32_t b)
{
	uint32_t r = a - b;
	uint32_t c = a >= b, v = ((a ^ b) & (a ^ r)) >> 31;
	cpu->nzcv = nz32(r) | c << 29 | v << 28;
	return r;
}

/* a + b + carry-in, the AddWithCarry of ADC and SBC (which passes ~b). */
ALWAYS uint64_t adc64_flags(struct a64_cpu *cpu, uint64_t a, uint64_t b, uint64_t cin)
{
	uint64_t t, r;
	uint32_t c = __builtin_add_overflow(a, b, &t);
	c |= __builtin_add_overflow(t, cin, &r);
	uint32_t v = (uint32_t)((~(a ^ b) & (a ^ r)) >> 63);
	cpu->nzcv = nz64(r) | c << 29 | v << 28;
	return r;
}

ALWAYS uint32_t adc32_flags(struct a64_cpu *cpu, uint32_t a, uint32_t b, uint32_t cin)
{
	uint64_t wide = (uint64_t)a + b + cin;
	uint32_t r = (uint32_t)wide;
	uint32_t v = (~(a ^ b) & (a ^ r)) >> 31;
	cpu->nzcv = nz32(r) | (uint32_t)(wide >> 32) << 29 | v << 28;
	return r;
}

/* Condition codes as a table: bit NZCV (0..15) of cond_true[cond] says whether cond holds. */
static const uint16_t cond_true[16] = {
	0xf0f0, 0x0f0f, /* EQ NE: Z */
	0xcccc, 0x3333, /* CS CC: C */
	0xff00, 0x00ff, /* MI PL: N */
	0xaaaa, 0x5555, /* VS VC: V */
	0x0c0c, 0xf3f3, /* HI LS: C && !Z */
	0xaa55, 0x55aa, /* GE LT: N == V */
	0x0a05, 0xf5fa, /* GT LE: N == V && !Z */
	0xffff, 0xffff, /* AL NV */
};

ALWAYS bool cond_holds(const struct a64_cpu *cpu, unsigned cond)
{
	return cond_true[cond] >> (cpu->nzcv >> 28) & 1;
}

/* ---- operands ---- */

ALWAYS uint64_t shifted(const struct a64_cpu *cpu, const struct a64_op *op, bool sf, int type)
{
	unsigned s = op->shift;
	if (sf) {
		uint64_t m = X[op->rm];
		switch (type) {
		case A64_DP_SHIFT_LSL: return m << s;
		case A64_DP_SHIFT_LSR: return m >> s;
		case A64_DP_SHIFT_ASR: return (uint64_t)((int64_t)m >> s);
		default: return (m >> s) | (m << (-s & 63));
		}
	}
	uint32_t m = (uint32_t)X[op->rm];
	switch (type) {
	case A64_DP_SHIFT_LSL: return (uint32_t)(m << s);
	case A64_DP_SHIFT_LSR: return m >> s;
	case A64_DP_SHIFT_ASR: return (uint32_t)((int32_t)m >> s);
	default: return (uint32_t)((m >> s) | (m << (-s & 31)));
	}
}

ALWAYS uint64_t extended(const struct a64_cpu *cpu, const struct a64_op *op, int opt)
{
	uint64_t m = X[op->rm];
	switch (opt) {
	case A64_DP_EXT_UXTB: m = (uint8_t)m; break;
	case A64_DP_EXT_UXTH: m = (uint16_t)m; break;
	case A64_DP_EXT_UXTW: m = (uint32_t)m; break;
	case A64_DP_EXT_SXTB: m = (uint64_t)(int64_t)(int8_t)m; break;
	case A64_DP_EXT_SXTH: m = (uint64_t)(int64_t)(int16_t)m; break;
	case A64_DP_EXT_SXTW: m = (uint64_t)(int64_t)(int32_t)m; break;
	default: break; /* UXTX, SXTX */
	}
	return m << op->shift;
}

/* ---- add/subtract ---- */

/* Tables: arith_imm[sub][S][sf], arith_sreg[sub][S][sf][shift type],
 * arith_xreg[sub][S][sf][extend], adc_tab[sbc][S][sf]. */

ALWAYS int arith(struct a64_cpu *cpu, const struct a64_op *op, uint64_t b, bool sf, bool sub,
		 bool s)
{
	if (sf) {
		uint64_t a = X[op->rn], r;
		if (s)
			r = sub ? sub64_flags(cpu, a, b) : add64_flags(cpu, a, b);
		else
			r = sub ? a - b : a + b;
		X[op->rd] = r;
	} else {
		uint32_t a = (uint32_t)X[op->rn], b32 = (uint32_t)b, r;
		if (s)
			r = sub ? sub32_flags(cpu, a, b32) : add32_flags(cpu, a, b32);
		else
			r = sub ? a - b32 : a + b32;
		X[op->rd] = r;
	}
	return 0;
}

#define ARITH_IMM(SUB, S, SF) \
	HANDLER(arith_imm_##SUB##S##SF) { return arith(cpu, op, (uint64_t)op->imm, SF, SUB, S); }
#define ARITH_IMM_ENTRY(SUB, S, SF) [SUB][S][SF] = arith_imm_##SUB##S##SF,
DP_E2A(DP_E2B, DP_E2C, ARITH_IMM)
static const a64_handler arith_imm[2][2][2] = { DP_E2A(DP_E2B, DP_E2C, ARITH_IMM_ENTRY) };

#define ARITH_SREG(SUB, S, SF, T) \
	HANDLER(arith_sreg_##SUB##S##SF##T) \
	{ \
		return arith(cpu, op, shifted(cpu, op, SF, T), SF, SUB, S); \
	}
#define ARITH_SREG_ENTRY(SUB, S, SF, T) [SUB][S][SF][T] = arith_sreg_##SUB##S##SF##T,
DP_E2A(DP_E2B, DP_E2C, DP_E3, ARITH_SREG)
static const a64_handler arith_sreg[2][2][2][3] = {
	DP_E2A(DP_E2B, DP_E2C, DP_E3, ARITH_SREG_ENTRY)
};

#define ARITH_XREG(SUB, S, SF, E) \
	HANDLER(arith_xreg_##SUB##S##SF##E) \
	{ \
		return arith(cpu, op, extended(cpu, op, E), SF, SUB, S); \
	}
#define ARITH_XREG_ENTRY(SUB, S, SF, E) [SUB][S][SF][E] = arith_xreg_##SUB##S##SF##E,
DP_E2A(DP_E2B, DP_E2C, DP_E8, ARITH_XREG)
static const a64_handler arith_xreg[2][2][2][8] = {
	DP_E2A(DP_E2B, DP_E2C, DP_E8, ARITH_XREG_ENTRY)
};

ALWAYS int adc(struct a64_cpu *cpu, const struct a64_op *op, bool sf, bool sbc, bool s)
{
	uint64_t a = X[op->rn], b = sbc ? ~X[op->rm] : X[op->rm], cin = cpu->nzcv >> 29 & 1;
	if (sf)
		X[op->rd] = s ? adc64_flags(cpu, a, b, cin) : a + b + cin;
	else
		X[op->rd] = s ? adc32_flags(cpu, (uint32_t)a, (uint32_t)b, (uint32_t)cin)
			      : (uint32_t)(a + b + cin);
	return 0;
}

#define ADC(SBC, S, SF) HANDLER(adc_##SBC##S##SF) { return adc(cpu, op, SF, SBC, S); }
#define ADC_ENTRY(SBC, S, SF) [SBC][S][SF] = adc_##SBC##S##SF,
DP_E2A(DP_E2B, DP_E2C, ADC)
static const a64_handler adc_tab[2][2][2] = { DP_E2A(DP_E2B, DP_E2C, ADC_ENTRY) };

/* ---- logical ---- */

/* Tables: logic_imm[opc][sf], logic_sreg[opc][N (inverted)][sf][shift type]. */

/* opc as encoded: 0 AND, 1 ORR, 2 EOR, 3 ANDS; inv: the second operand inverted (BIC ...). */
ALWAYS int logic(struct a64_cpu *cpu, const struct a64_op *op, uint64_t b, bool sf, int opc,
		 bool inv)
{
	uint64_t a = X[op->rn], r;
	if (inv)
		b = ~b;
	r = opc == 1 ? a | b : opc == 2 ? a ^ b : a & b;
	if (sf) {
		if (opc == 3)
			cpu->nzcv = nz64(r);
		X[op->rd] = r;
	} else {
		if (opc == 3)
			cpu->nzcv = nz32((uint32_t)r);
		X[op->rd] = (uint32_t)r;
	}
	return 0;
}

#define LOGIC_IMM(OPC, SF) \
	HANDLER(logic_imm_##OPC##SF) { return logic(cpu, op, (uint64_t)op->imm, SF, OPC, 0); }
#define LOGIC_IMM_ENTRY(OPC, SF) [OPC][SF] = logic_imm_##OPC##SF,
DP_E4(DP_E2A, LOGIC_IMM)
static const a64_handler logic_imm[4][2] = { DP_E4(DP_E2A, LOGIC_IMM_ENTRY) };

#define LOGIC_SREG(OPC, N, SF, T) \
	HANDLER(logic_sreg_##OPC##N##SF##T) \
	{ \
		return logic(cpu, op, shifted(cpu, op, SF, T), SF, OPC, N); \
	}
#define LOGIC_SREG_ENTRY(OPC, N, SF, T) [OPC][N][SF][T] = logic_sreg_##OPC##N##SF##T,
DP_E4(DP_E2A, DP_E2B, DP_E4B, LOGIC_SREG)
static const a64_handler logic_sreg[4][2][2][4] = {
	DP_E4(DP_E2A, DP_E2B, DP_E4B, LOGIC_SREG_ENTRY)
};

/* MOV (register): ORR with the zero register, no shift; also EXTR #0. */
HANDLER(mov64)
{
	X[op->rd] = X[op->rm];
	return 0;
}

HANDLER(mov32)
{
	X[op->rd] = (uint32_t)X[op->rm];
	return 0;
}

/* ---- constants: ADR, ADRP, MOVZ, MOVN, ORR (immediate) from the zero register ---- */

HANDLER(movi)
{
	X[op->rd] = (uint64_t)op->imm;
	return 0;
}

HANDLER(movk)
{
	X[op->rd] = (X[op->rd] & (uint64_t)op->imm2) | (uint64_t)op->imm;
	return 0;
}

/* ---- bitfields ---- */

/* Zero-extending ones work at either width: the field never reaches bit 32 at 32 bits. */
HANDLER(ubfx)
{
	X[op->rd] = (X[op->rn] >> op->shift) & (uint64_t)op->imm;
	return 0;
}

HANDLER(ubfiz)
{
	X[op->rd] = (X[op->rn] & (uint64_t)op->imm) << op->shift;
	return 0;
}

HANDLER(lsr64)
{
	X[op->rd] = X[op->rn] >> op->shift;
	return 0;
}

HANDLER(lsr32)
{
	X[op->rd] = (uint32_t)X[op->rn] >> op->shift;
	return 0;
}

HANDLER(lsl64)
{
	X[op->rd] = X[op->rn] << op->shift;
	return 0;
}

HANDLER(lsl32)
{
	X[op->rd] = (uint32_t)(X[op->rn] << op->shift);
	return 0;
}

HANDLER(asr64)
{
	X[op->rd] = (uint64_t)((int64_t)X[op->rn] >> op->shift);
	return 0;
}

HANDLER(asr32)
{
	X[op->rd] = (uint32_t)((int32_t)X[op->rn] >> op->shift);
	return 0;
}

HANDLER(sxtb64)
{
	X[op->rd] = (uint64_t)(int64_t)(int8_t)X[op->rn];
	return 0;
}

HANDLER(sxth64)
{
	X[op->rd] = (uint64_t)(int64_t)(int16_t)X[op->rn];
	return 0;
}

HANDLER(sxtw64)
{
	X[op->rd] = (uint64_t)(int64_t)(int32_t)X[op->rn];
	return 0;
}

/* The field moved to the top, then arithmetically back down: lsb + width <= 64 (32). */
HANDLER(sbfx64)
{
	unsigned lsb = op->shift, w = op->size;
	X[op->rd] = (uint64_t)((int64_t)(X[op->rn] << (64 - lsb - w)) >> (64 - w));
	return 0;
}

HANDLER(sbfx32)
{
	unsigned lsb = op->shift, w = op->size;
	X[op->rd] = (uint32_t)((int64_t)(X[op->rn] << (64 - lsb - w)) >> (64 - w));
	return 0;
}

HANDLER(sbfiz64)
{
	unsigned w = op->size;
	X[op->rd] = (uint64_t)((int64_t)(X[op->rn] << (64 - w)) >> (64 - w)) << op->shift;
	return 0;
}

HANDLER(sbfiz32)
{
	unsigned w = op->size;
	X[op->rd] = (uint32_t)((uint64_t)((int64_t)(X[op->rn] << (64 - w)) >> (64 - w)) << op->shift);
	return 0;
}

/* imm2 already clears the upper half at 32 bits. */
HANDLER(bfxil)
{
	X[op->rd] = (X[op->rd] & (uint64_t)op->imm2) | ((X[op->rn] >> op->shift) & (uint64_t)op->imm);
	return 0;
}

HANDLER(bfi)
{
	X[op->rd] = (X[op->rd] & (uint64_t)op->imm2) | ((X[op->rn] & (uint64_t)op->imm) << op->shift);
	return 0;
}

HANDLER(extr64)
{
	unsigned lsb = op->shift; /* 1..63: 0 binds mov64 */
	X[op->rd] = (X[op->rm] >> lsb) | (X[op->rn] << (64 - lsb));
	return 0;
}

HANDLER(extr32)
{
	uint64_t pair = (uint64_t)(uint32_t)X[op->rn] << 32 | (uint32_t)X[op->rm];
	X[op->rd] = (uint32_t)(pair >> op->shift);
	return 0;
}

/* ---- conditional compare and select ---- */

ALWAYS int condcmp(struct a64_cpu *cpu, const struct a64_op *op, bool sf, bool cmp, bool imm)
{
	if (!cond_holds(cpu, op->cond)) {
		cpu->nzcv = (uint32_t)op->imm2;
		return 0;
	}
	uint64_t b = imm ? (uint64_t)op->imm : X[op->rm];
	if (sf) {
		if (cmp)
			sub64_flags(cpu, X[op->rn], b);
		else
			add64_flags(cpu, X[op->rn], b);
	} else {
		if (cmp)
			sub32_flags(cpu, (uint32_t)X[op->rn], (uint32_t)b);
		else
			add32_flags(cpu, (uint32_t)X[op->rn], (uint32_t)b);
	}
	return 0;
}

#define CONDCMP(CMP, IMM, SF) \
	HANDLER(condcmp_##CMP##IMM##SF) { return condcmp(cpu, op, SF, CMP, IMM); }
#define CONDCMP_ENTRY(CMP, IMM, SF) [CMP][IMM][SF] = condcmp_##CMP##IMM##SF,
DP_E2A(DP_E2B, DP_E2C, CONDCMP)
static const a64_handler condcmp_tab[2][2][2] = { DP_E2A(DP_E2B, DP_E2C, CONDCMP_ENTRY) };

/* opc: 0 CSEL, 1 CSINC, 2 CSINV, 3 CSNEG */
ALWAYS int condsel(struct a64_cpu *cpu, const struct a64_op *op, bool sf, int opc)
{
	uint64_t r;
	if (cond_holds(cpu, op->cond)) {
		r = X[op->rn];
	} else {
		r = X[op->rm];
		r = opc == 1 ? r + 1 : opc == 2 ? ~r : opc == 3 ? -r : r;
	}
	X[op->rd] = sf ? r : (uint32_t)r;
	return 0;
}

#define CONDSEL(OPC, SF) HANDLER(condsel_##OPC##SF) { return condsel(cpu, op, SF, OPC); }
#define CONDSEL_ENTRY(OPC, SF) [OPC][SF] = condsel_##OPC##SF,
DP_E4(DP_E2A, CONDSEL)
static const a64_handler condsel_tab[4][2] = { DP_E4(DP_E2A, CONDSEL_ENTRY) };

/* ---- one source ---- */

ALWAYS uint64_t rbit64(uint64_t x)
{
	x = __builtin_bswap64(x);
	x = (x >> 4 & 0x0f0f0f0f0f0f0f0full) | (x & 0x0f0f0f0f0f0f0f0full) << 4;
	x = (x >> 2 & 0x3333333333333333ull) | (x & 0x3333333333333333ull) << 2;
	return (x >> 1 & 0x5555555555555555ull) | (x & 0x5555555555555555ull) << 1;
}

HANDLER(rbit_64)
{
	X[op->rd] = rbit64(X[op->rn]);
	return 0;
}

HANDLER(rbit_32)
{
	X[op->rd] = rbit64(X[op->rn]) >> 32;
	return 0;
}

HANDLER(rev16_64)
{
	uint64_t x = X[op->rn];
	X[op->rd] = (x >> 8 & 0x00ff00ff00ff00ffull) | (x & 0x00ff00ff00ff00ffull) << 8;
	return 0;
}

HANDLER(rev16_32)
{
	uint32_t x = (uint32_t)X[op->rn];
	X[op->rd] = (x >> 8 & 0x00ff00ffu) | (x & 0x00ff00ffu) << 8;
	return 0;
}

HANDLER(rev32_64)
{
	uint64_t x = __builtin_bswap64(X[op->rn]);
	X[op->rd] = x >> 32 | x << 32;
	return 0;
}

HANDLER(rev_64)
{
	X[op->rd] = __builtin_bswap64(X[op->rn]);
	return 0;
}

HANDLER(rev_32)
{
	X[op->rd] = __builtin_bswap32((uint32_t)X[op->rn]);
	return 0;
}

HANDLER(clz_64)
{
	uint64_t x = X[op->rn];
	X[op->rd] = x ? (uint64_t)__builtin_clzll(x) : 64;
	return 0;
}

HANDLER(clz_32)
{
	uint32_t x = (uint32_t)X[op->rn];
	X[op->rd] = x ? (uint64_t)__builtin_clz(x) : 32;
	return 0;
}

/* Leading sign bits: the leading zeros of x ^ (x << 1), a bit per adjacent pair that differs;
 * the | 1 gives width - 1 when all are equal. */
HANDLER(cls_64)
{
	uint64_t x = X[op->rn];
	X[op->rd] = (uint64_t)__builtin_clzll((x ^ (x << 1)) | 1);
	return 0;
}

HANDLER(cls_32)
{
	uint32_t x = (uint32_t)X[op->rn];
	X[op->rd] = (uint64_t)__builtin_clz((x ^ (x << 1)) | 1);
	return 0;
}

/* ---- two sources ---- */

HANDLER(udiv_64)
{
	uint64_t a = X[op->rn], b = X[op->rm];
	X[op->rd] = b ? a / b : 0;
	return 0;
}

HANDLER(udiv_32)
{
	uint32_t a = (uint32_t)X[op->rn], b = (uint32_t)X[op->rm];
	X[op->rd] = b ? a / b : 0;
	return 0;
}

HANDLER(sdiv_64)
{
	int64_t a = (int64_t)X[op->rn], b = (int64_t)X[op->rm];
	X[op->rd] = b == 0 ? 0 : b == -1 ? -(uint64_t)a : (uint64_t)(a / b);
	return 0;
}

HANDLER(sdiv_32)
{
	int32_t a = (int32_t)X[op->rn], b = (int32_t)X[op->rm];
	X[op->rd] = b == 0 ? 0 : b == -1 ? (uint32_t)-(uint32_t)a : (uint32_t)(a / b);
	return 0;
}

HANDLER(lslv_64)
{
	X[op->rd] = X[op->rn] << (X[op->rm] & 63);
	return 0;
}

HANDLER(lslv_32)
{
	X[op->rd] = (uint32_t)(X[op->rn] << (X[op->rm] & 31));
	return 0;
}

HANDLER(lsrv_64)
{
	X[op->rd] = X[op->rn] >> (X[op->rm] & 63);
	return 0;
}

HANDLER(lsrv_32)
{
	X[op->rd] = (uint32_t)X[op->rn] >> (X[op->rm] & 31);
	return 0;
}

HANDLER(asrv_64)
{
	X[op->rd] = (uint64_t)((int64_t)X[op->rn] >> (X[op->rm] & 63));
	return 0;
}

HANDLER(asrv_32)
{
	X[op->rd] = (uint32_t)((int32_t)X[op->rn] >> (X[op->rm] & 31));
	return 0;
}

HANDLER(rorv_64)
{
	uint64_t x = X[op->rn];
	unsigned s = X[op->rm] & 63;
	X[op->rd] = (x >> s) | (x << (-s & 63));
	return 0;
}

HANDLER(rorv_32)
{
	uint32_t x = (uint32_t)X[op->rn];
	unsigned s = X[op->rm] & 31;
	X[op->rd] = (uint32_t)((x >> s) | (x << (-s & 31)));
	return 0;
}

/* CRC-32 (0x04C11DB7) and CRC-32C (0x1EDC6F41) bit-reflected, byte at a time. */
static const uint32_t crc32_table[256] = {
	0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
	0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
	0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
	0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
	0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
	0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
	0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
	0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
	0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
	0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
	0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
	0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
	0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
	0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
	0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
	0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
	0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
	0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
	0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
	0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
	0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
	0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
	0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
	0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
	0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
	0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
	0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
	0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
	0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
	0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
	0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
	0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
	0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
	0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
	0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
	0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
	0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
	0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
	0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
	0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
	0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
	0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
	0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};
static const uint32_t crc32c_table[256] = {
	0x00000000, 0xf26b8303, 0xe13b70f7, 0x1350f3f4, 0xc79a971f, 0x35f1141c,
	0x26a1e7e8, 0xd4ca64eb, 0x8ad958cf, 0x78b2dbcc, 0x6be22838, 0x9989ab3b,
	0x4d43cfd0, 0xbf284cd3, 0xac78bf27, 0x5e133c24, 0x105ec76f, 0xe235446c,
	0xf165b798, 0x030e349b, 0xd7c45070, 0x25afd373, 0x36ff2087, 0xc494a384,
	0x9a879fa0, 0x68ec1ca3, 0x7bbcef57, 0x89d76c54, 0x5d1d08bf, 0xaf768bbc,
	0xbc267848, 0x4e4dfb4b, 0x20bd8ede, 0xd2d60ddd, 0xc186fe29, 0x33ed7d2a,
	0xe72719c1, 0x154c9ac2, 0x061c6936, 0xf477ea35, 0xaa64d611, 0x580f5512,
	0x4b5fa6e6, 0xb93425e5, 0x6dfe410e, 0x9f95c20d, 0x8cc531f9, 0x7eaeb2fa,
	0x30e349b1, 0xc288cab2, 0xd1d83946, 0x23b3ba45, 0xf779deae, 0x05125dad,
	0x1642ae59, 0xe4292d5a, 0xba3a117e, 0x4851927d, 0x5b016189, 0xa96ae28a,
	0x7da08661, 0x8fcb0562, 0x9c9bf696, 0x6ef07595, 0x417b1dbc, 0xb3109ebf,
	0xa0406d4b, 0x522bee48, 0x86e18aa3, 0x748a09a0, 0x67dafa54, 0x95b17957,
	0xcba24573, 0x39c9c670, 0x2a993584, 0xd8f2b687, 0x0c38d26c, 0xfe53516f,
	0xed03a29b, 0x1f682198, 0x5125dad3, 0xa34e59d0, 0xb01eaa24, 0x42752927,
	0x96bf4dcc, 0x64d4cecf, 0x77843d3b, 0x85efbe38, 0xdbfc821c, 0x2997011f,
	0x3ac7f2eb, 0xc8ac71e8, 0x1c661503, 0xee0d9600, 0xfd5d65f4, 0x0f36e6f7,
	0x61c69362, 0x93ad1061, 0x80fde395, 0x72966096, 0xa65c047d, 0x5437877e,
	0x4767748a, 0xb50cf789, 0xeb1fcbad, 0x197448ae, 0x0a24bb5a, 0xf84f3859,
	0x2c855cb2, 0xdeeedfb1, 0xcdbe2c45, 0x3fd5af46, 0x7198540d, 0x83f3d70e,
	0x90a324fa, 0x62c8a7f9, 0xb602c312, 0x44694011, 0x5739b3e5, 0xa55230e6,
	0xfb410cc2, 0x092a8fc1, 0x1a7a7c35, 0xe811ff36, 0x3cdb9bdd, 0xceb018de,
	0xdde0eb2a, 0x2f8b6829, 0x82f63b78, 0x709db87b, 0x63cd4b8f, 0x91a6c88c,
	0x456cac67, 0xb7072f64, 0xa457dc90, 0x563c5f93, 0x082f63b7, 0xfa44e0b4,
	0xe9141340, 0x1b7f9043, 0xcfb5f4a8, 0x3dde77ab, 0x2e8e845f, 0xdce5075c,
	0x92a8fc17, 0x60c37f14, 0x73938ce0, 0x81f80fe3, 0x55326b08, 0xa759e80b,
	0xb4091bff, 0x466298fc, 0x1871a4d8, 0xea1a27db, 0xf94ad42f, 0x0b21572c,
	0xdfeb33c7, 0x2d80b0c4, 0x3ed04330, 0xccbbc033, 0xa24bb5a6, 0x502036a5,
	0x4370c551, 0xb11b4652, 0x65d122b9, 0x97baa1ba, 0x84ea524e, 0x7681d14d,
	0x2892ed69, 0xdaf96e6a, 0xc9a99d9e, 0x3bc21e9d, 0xef087a76, 0x1d63f975,
	0x0e330a81, 0xfc588982, 0xb21572c9, 0x407ef1ca, 0x532e023e, 0xa145813d,
	0x758fe5d6, 0x87e466d5, 0x94b49521, 0x66df1622, 0x38cc2a06, 0xcaa7a905,
	0xd9f75af1, 0x2b9cd9f2, 0xff56bd19, 0x0d3d3e1a, 0x1e6dcdee, 0xec064eed,
	0xc38d26c4, 0x31e6a5c7, 0x22b65633, 0xd0ddd530, 0x0417b1db, 0xf67c32d8,
	0xe52cc12c, 0x1747422f, 0x49547e0b, 0xbb3ffd08, 0xa86f0efc, 0x5a048dff,
	0x8ecee914, 0x7ca56a17, 0x6ff599e3, 0x9d9e1ae0, 0xd3d3e1ab, 0x21b862a8,
	0x32e8915c, 0xc083125f, 0x144976b4, 0xe622f5b7, 0xf5720643, 0x07198540,
	0x590ab964, 0xab613a67, 0xb831c993, 0x4a5a4a90, 0x9e902e7b, 0x6cfbad78,
	0x7fab5e8c, 0x8dc0dd8f, 0xe330a81a, 0x115b2b19, 0x020bd8ed, 0xf0605bee,
	0x24aa3f05, 0xd6c1bc06, 0xc5914ff2, 0x37faccf1, 0x69e9f0d5, 0x9b8273d6,
	0x88d28022, 0x7ab90321, 0xae7367ca, 0x5c18e4c9, 0x4f48173d, 0xbd23943e,
	0xf36e6f75, 0x0105ec76, 0x12551f82, 0xe03e9c81, 0x34f4f86a, 0xc69f7b69,
	0xd5cf889d, 0x27a40b9e, 0x79b737ba, 0x8bdcb4b9, 0x988c474d, 0x6ae7c44e,
	0xbe2da0a5, 0x4c4623a6, 0x5f16d052, 0xad7d5351,
};

/* The bit-reflected CRC of `bytes` bytes of data, low byte first, into acc: no inversion
 * before or after (the program does that). */
ALWAYS uint32_t crc_update(const uint32_t *table, uint32_t acc, uint64_t data, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++, data >>= 8)
		acc = table[(acc ^ data) & 0xff] ^ (acc >> 8);
	return acc;
}

#define CRC(C, SZ) \
	HANDLER(crc_##C##SZ) \
	{ \
		X[op->rd] = crc_update(C ? crc32c_table : crc32_table, (uint32_t)X[op->rn], X[op->rm], \
				       1u << SZ); \
		return 0; \
	}
#define CRC_ENTRY(C, SZ) [C][SZ] = crc_##C##SZ,
DP_E2A(DP_E4, CRC)
static const a64_handler crc_tab[2][4] = { DP_E2A(DP_E4, CRC_ENTRY) };

/* ---- three sources ---- */

HANDLER(madd_64)
{
	X[op->rd] = X[op->ra] + X[op->rn] * X[op->rm];
	return 0;
}

HANDLER(madd_32)
{
	X[op->rd] = (uint32_t)(X[op->ra] + X[op->rn] * X[op->rm]);
	return 0;
}

HANDLER(msub_64)
{
	X[op->rd] = X[op->ra] - X[op->rn] * X[op->rm];
	return 0;
}

HANDLER(msub_32)
{
	X[op->rd] = (uint32_t)(X[op->ra] - X[op->rn] * X[op->rm]);
	return 0;
}

ALWAYS uint64_t smul32(const struct a64_cpu *cpu, const struct a64_op *op)
{
	return (uint64_t)((int64_t)(int32_t)X[op->rn] * (int32_t)X[op->rm]);
}

ALWAYS uint64_t umul32(const struct a64_cpu *cpu, const struct a64_op *op)
{
	return (uint64_t)(uint32_t)X[op->rn] * (uint32_t)X[op->rm];
}

HANDLER(smaddl)
{
	X[op->rd] = X[op->ra] + smul32(cpu, op);
	return 0;
}

HANDLER(smsubl)
{
	X[op->rd] = X[op->ra] - smul32(cpu, op);
	return 0;
}

HANDLER(umaddl)
{
	X[op->rd] = X[op->ra] + umul32(cpu, op);
	return 0;
}

HANDLER(umsubl)
{
	X[op->rd] = X[op->ra] - umul32(cpu, op);
	return 0;
}

HANDLER(smulh)
{
	__int128 p = (__int128)(int64_t)X[op->rn] * (int64_t)X[op->rm];
	X[op->rd] = (uint64_t)(p >> 64);
	return 0;
}

HANDLER(umulh)
{
	unsigned __int128 p = (unsigned __int128)X[op->rn] * X[op->rm];
	X[op->rd] = (uint64_t)(p >> 64);
	return 0;
}

/* ---- binding ---- */

static a64_handler bind_bitfield(const struct a64_op *op)
{
	unsigned width = op->sf ? 64 : 32;
	bool sf = op->sf, full = op->shift + op->size == width;
	switch (op->kind) {
	case A64_DP_UBFX:
		if (full)
			return sf ? lsr64 : lsr32;
		return ubfx;
	case A64_DP_UBFIZ:
		if (full)
			return sf ? lsl64 : lsl32;
		return ubfiz;
	case A64_DP_SBFX:
		if (full)
			return sf ? asr64 : asr32;
		if (sf && op->shift == 0 && op->size == 8)
			return sxtb64;
		if (sf && op->shift == 0 && op->size == 16)
			return sxth64;
		if (sf && op->shift == 0 && op->size == 32)
			return sxtw64;
		return sf ? sbfx64 : sbfx32;
	case A64_DP_SBFIZ:
		return sf ? sbfiz64 : sbfiz32;
	case A64_DP_BFXIL:
		return bfxil;
	default: /* BFI */
		return bfi;
	}
}

static a64_handler bind_xreg(const struct a64_op *op, bool sub, bool s)
{
	unsigned e = op->ext;
	/* Extends that change nothing at the operation's width are the plain shifted register. */
	if (e == A64_DP_EXT_UXTX || e == A64_DP_EXT_SXTX ||
	    (!op->sf && (e == A64_DP_EXT_UXTW || e == A64_DP_EXT_SXTW)))
		return arith_sreg[sub][s][op->sf][A64_DP_SHIFT_LSL];
	return arith_xreg[sub][s][op->sf][e];
}

a64_handler a64_bind_dp(const struct a64_op *op)
{
	bool sf = op->sf, s = op->flags & A64_DP_F_S;
	switch (op->kind) {
	case A64_DP_ADR:
	case A64_DP_ADRP:
	case A64_DP_MOVZ:
	case A64_DP_MOVN:
		return movi;
	case A64_DP_MOVK:
		return movk;
	case A64_DP_ADD_IMM:
	case A64_DP_SUB_IMM:
		return arith_imm[op->kind == A64_DP_SUB_IMM][s][sf];
	case A64_DP_ADD_SREG:
	case A64_DP_SUB_SREG:
		if (op->ext > A64_DP_SHIFT_ASR)
			return NULL;
		return arith_sreg[op->kind == A64_DP_SUB_SREG][s][sf][op->ext];
	case A64_DP_ADD_XREG:
	case A64_DP_SUB_XREG:
		return bind_xreg(op, op->kind == A64_DP_SUB_XREG, s);
	case A64_DP_ADC:
	case A64_DP_SBC:
		return adc_tab[op->kind == A64_DP_SBC][s][sf];
	case A64_DP_AND_IMM:
		return logic_imm[s ? 3 : 0][sf];
	case A64_DP_ORR_IMM:
		if (op->rn == REG_ZR)
			return movi;
		return logic_imm[1][sf];
	case A64_DP_EOR_IMM:
		return logic_imm[2][sf];
	case A64_DP_ORR_SREG:
		if (op->rn == REG_ZR && op->shift == 0)
			return sf ? mov64 : mov32;
		return logic_sreg[1][0][sf][op->ext & 3];
	case A64_DP_AND_SREG: return logic_sreg[s ? 3 : 0][0][sf][op->ext & 3];
	case A64_DP_BIC_SREG: return logic_sreg[s ? 3 : 0][1][sf][op->ext & 3];
	case A64_DP_ORN_SREG: return logic_sreg[1][1][sf][op->ext & 3];
	case A64_DP_EOR_SREG: return logic_sreg[2][0][sf][op->ext & 3];
	case A64_DP_EON_SREG: return logic_sreg[2][1][sf][op->ext & 3];
	case A64_DP_UBFX:
	case A64_DP_UBFIZ:
	case A64_DP_SBFX:
	case A64_DP_SBFIZ:
	case A64_DP_BFXIL:
	case A64_DP_BFI:
		return bind_bitfield(op);
	case A64_DP_EXTR:
		if (op->shift == 0)
			return sf ? mov64 : mov32;
		return sf ? extr64 : extr32;
	case A64_DP_CCMN_REG: return condcmp_tab[0][0][sf];
	case A64_DP_CCMN_IMM: return condcmp_tab[0][1][sf];
	case A64_DP_CCMP_REG: return condcmp_tab[1][0][sf];
	case A64_DP_CCMP_IMM: return condcmp_tab[1][1][sf];
	case A64_DP_CSEL: return condsel_tab[0][sf];
	case A64_DP_CSINC: return condsel_tab[1][sf];
	case A64_DP_CSINV: return condsel_tab[2][sf];
	case A64_DP_CSNEG: return condsel_tab[3][sf];
	case A64_DP_RBIT: return sf ? rbit_64 : rbit_32;
	case A64_DP_REV16: return sf ? rev16_64 : rev16_32;
	case A64_DP_REV32: return sf ? rev32_64 : rev_32;
	case A64_DP_REV: return sf ? rev_64 : rev_32;
	case A64_DP_CLZ: return sf ? clz_64 : clz_32;
	case A64_DP_CLS: return sf ? cls_64 : cls_32;
	case A64_DP_UDIV: return sf ? udiv_64 : udiv_32;
	case A64_DP_SDIV: return sf ? sdiv_64 : sdiv_32;
	case A64_DP_LSLV: return sf ? lslv_64 : lslv_32;
	case A64_DP_LSRV: return sf ? lsrv_64 : lsrv_32;
	case A64_DP_ASRV: return sf ? asrv_64 : asrv_32;
	case A64_DP_RORV: return sf ? rorv_64 : rorv_32;
	case A64_DP_CRC32: return crc_tab[0][op->size & 3];
	case A64_DP_CRC32C: return crc_tab[1][op->size & 3];
	case A64_DP_MADD: return sf ? madd_64 : madd_32;
	case A64_DP_MSUB: return sf ? msub_64 : msub_32;
	case A64_DP_SMADDL: return smaddl;
	case A64_DP_SMSUBL: return smsubl;
	case A64_DP_UMADDL: return umaddl;
	case A64_DP_UMSUBL: return umsubl;
	case A64_DP_SMULH: return smulh;
	case A64_DP_UMULH: return umulh;
	default: return NULL;
	}
}
