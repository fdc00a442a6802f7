/* tests/unit: the data-processing class (emu/aarch64/dp.c, dp-exec.c): real encodings (from
 * aarch64-linux-gnu-as, the assembly beside each) decoded, bound and run on a bare CPU; results,
 * NZCV and the decoded fields that dp.h promises are checked, as are encodings that must stay
 * unallocated. */
#include <stdlib.h>
#include <string.h>

#include "a64-block.h"
#include "check.h"
#include "emu/aarch64/a64.h"
#include "emu/aarch64/dp.h"

#define PC 0x0000aaaabbbbc124ull

static struct a64_cpu *cpu;
static struct a64_op op;


#define X(n) (cpu->x[n])
#define SP (cpu->x[REG_SP])
#define N A64_N
#define Z A64_Z
#define C A64_C
#define V A64_V

/* Decode at PC; true when the encoding is a DP op that does not end the block. */
static bool decode(uint32_t insn)
{
	bool end = a64_decode(insn, PC, &op);
	return !end && op.cls == A64_CLS_DP && op.insn == insn && op.pc == PC;
}

/* Decode, bind and run one instruction: 0 when it ran and asked to go on. */
static int exec(uint32_t insn)
{
	if (!decode(insn))
		return -1;
	a64_bind(&op);
	if (!op.fn || op.fn == a64_exec_undef)
		return -2;
	int r = run_one(cpu, &op);
	/* the zero register reads zero whatever was written */
	if (cpu->x[REG_ZR] != 0)
		return -3;
	return r;
}

#define RUN(insn) CHECK(exec(insn) == 0)

static void reset(void)
{
	memset(cpu, 0, sizeof *cpu);
}

static void test_addsub_imm(void)
{
	reset();
	X(1) = 1;
	RUN(0x913ffc20 /* add x0, x1, #0xfff */);
	CHECK(X(0) == 0x1000);
	CHECK(op.kind == A64_DP_ADD_IMM && op.sf && op.imm == 0xfff && op.flags == 0);
	X(1) = ~0ull;
	RUN(0x91400420 /* add x0, x1, #1, lsl #12 */);
	CHECK(X(0) == 0xfff && op.imm == 0x1000);
	X(1) = ~0ull;
	RUN(0x11000420 /* add w0, w1, #1 */);
	CHECK(X(0) == 0); /* upper half zeroed */
	X(1) = 0x12345678fffffffeull;
	RUN(0x11000420 /* add w0, w1, #1 */);
	CHECK(X(0) == 0xffffffff);
	/* 31 is SP for both registers of the non-flag-setting form */
	SP = 0x1000;
	RUN(0x910043ff /* add sp, sp, #16 */);
	CHECK(SP == 0x1010 && op.rd == REG_SP && op.rn == REG_SP);
	RUN(0x910003e2 /* mov x2, sp */);
	CHECK(X(2) == 0x1010);
	RUN(0xd10083ff /* sub sp, sp, #0x20 */);
	CHECK(SP == 0xff0);
	X(3) = 0xffffffff00000010ull;
	RUN(0x1100007f /* mov wsp, w3 */);
	CHECK(SP == 0x10);
	RUN(0x510047e4 /* sub w4, wsp, #0x11 */);
	CHECK(X(4) == 0xffffffff);

	/* ADDS: carry and overflow boundaries, 64 bits */
	X(1) = 0x7fffffffffffffffull;
	RUN(0xb1000420 /* adds x0, x1, #1 */);
	CHECK(X(0) == 0x8000000000000000ull && cpu->nzcv == (N | V));
	CHECK(op.flags == A64_DP_F_S);
	X(1) = ~0ull;
	RUN(0xb1000420 /* adds x0, x1, #1 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 5;
	RUN(0xb1000420 /* adds x0, x1, #1 */);
	CHECK(X(0) == 6 && cpu->nzcv == 0);
	/* 32 bits: the upper half of the source does not matter */
	X(1) = 0x123456787fffffffull;
	RUN(0x31000420 /* adds w0, w1, #1 */);
	CHECK(X(0) == 0x80000000 && cpu->nzcv == (N | V));
	X(1) = 0xabcdef00ffffffffull;
	RUN(0x31000420 /* adds w0, w1, #1 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));

	/* SUBS: C is "no borrow" */
	X(1) = 0;
	RUN(0xf1000420 /* subs x0, x1, #1 */);
	CHECK(X(0) == ~0ull && cpu->nzcv == N);
	X(1) = 1;
	RUN(0xf1000420 /* subs x0, x1, #1 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 0x8000000000000000ull;
	RUN(0xf1000420 /* subs x0, x1, #1 */);
	CHECK(X(0) == 0x7fffffffffffffffull && cpu->nzcv == (C | V));
	X(1) = 0x80000000;
	RUN(0x71000020 /* subs w0, w1, #0 */);
	CHECK(X(0) == 0x80000000 && cpu->nzcv == (N | C));
	X(1) = 0x80000000;
	RUN(0x71000420 /* subs w0, w1, #1 */);
	CHECK(X(0) == 0x7fffffff && cpu->nzcv == (C | V));

	/* CMP/CMN: 31 is the zero register as destination; SP is left alone */
	SP = 0x5000;
	X(1) = 4095;
	RUN(0x713ffc3f /* cmp w1, #4095 */);
	CHECK(cpu->nzcv == (Z | C) && SP == 0x5000 && op.rd == REG_ZW);
	X(1) = (uint64_t)-4096;
	RUN(0xb140043f /* cmn x1, #1, lsl #12 */);
	CHECK(cpu->nzcv == (Z | C) && SP == 0x5000);
	/* ... but SP as the source of CMP (immediate) */
	RUN(0xf14017ff /* cmp sp, #0x5, lsl #12 */);
	CHECK(cpu->nzcv == (Z | C) && op.rn == REG_SP);
	RUN(0xb10007e5 /* adds x5, sp, #1 */);
	CHECK(X(5) == 0x5001 && cpu->nzcv == 0);
}

static void test_addsub_sreg(void)
{
	reset();
	X(1) = 10;
	X(2) = 3;
	RUN(0x8b020c20 /* add x0, x1, x2, lsl #3 */);
	CHECK(X(0) == 34 && op.kind == A64_DP_ADD_SREG && op.ext == A64_DP_SHIFT_LSL && op.shift == 3);
	X(2) = 0xf000000000000000ull;
	RUN(0x8b42f020 /* add x0, x1, x2, lsr #60 */);
	CHECK(X(0) == 25 && op.ext == A64_DP_SHIFT_LSR);
	X(2) = 0x8000000000000000ull;
	RUN(0x8b82fc20 /* add x0, x1, x2, asr #63 */);
	CHECK(X(0) == 9);
	/* an amount of 0 is reported as LSL #0 */
	RUN(0x8b820020 /* add x0, x1, x2, asr #0 */);
	CHECK(op.ext == A64_DP_SHIFT_LSL && op.shift == 0 && X(0) == 0x800000000000000aull);
	/* 32 bits: the shifted operand is the 32-bit register */
	X(1) = 7;
	X(2) = 0xffffffff00000000ull;
	RUN(0x0b427c20 /* add w0, w1, w2, lsr #31 */);
	CHECK(X(0) == 7);
	X(2) = 0x80000000;
	RUN(0x0b821020 /* add w0, w1, w2, asr #4 */);
	CHECK(X(0) == 0xf8000007);
	X(2) = 0x80000001;
	RUN(0x0b027c20 /* add w0, w1, w2, lsl #31 */);
	CHECK(X(0) == 0x80000007);
	RUN(0xcb020020 /* sub x0, x1, x2 */);
	CHECK(X(0) == 7 - 0x80000001ull);
	RUN(0x4b020020 /* sub w0, w1, w2 */);
	CHECK(X(0) == (uint32_t)(7 - 0x80000001u));

	/* flags */
	X(1) = 42;
	X(2) = 42;
	RUN(0xeb020020 /* subs x0, x1, x2 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 1;
	X(2) = 2;
	RUN(0xeb020020 /* subs x0, x1, x2 */);
	CHECK(X(0) == ~0ull && cpu->nzcv == N);
	X(1) = 0x8000000000000000ull;
	X(2) = 1;
	RUN(0xeb020020 /* subs x0, x1, x2 */);
	CHECK(X(0) == 0x7fffffffffffffffull && cpu->nzcv == (C | V));
	X(1) = 0x7fffffffffffffffull;
	X(2) = ~0ull;
	RUN(0xeb020020 /* subs x0, x1, x2 */);
	CHECK(X(0) == 0x8000000000000000ull && cpu->nzcv == (N | V));
	X(1) = 0x80000000;
	X(2) = 1;
	RUN(0x6b020020 /* subs w0, w1, w2 */);
	CHECK(X(0) == 0x7fffffff && cpu->nzcv == (C | V));
	X(1) = 0xffffffff;
	X(2) = 1;
	RUN(0x2b020020 /* adds w0, w1, w2 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 0x7fffffff;
	RUN(0x2b020020 /* adds w0, w1, w2 */);
	CHECK(X(0) == 0x80000000 && cpu->nzcv == (N | V));
	X(1) = 0x80000000;
	X(2) = 0x80000000;
	RUN(0x2b020020 /* adds w0, w1, w2 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C | V));
	X(1) = 0x8000000000000000ull;
	X(2) = 0x8000000000000000ull;
	RUN(0xab020020 /* adds x0, x1, x2 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C | V));
	X(1) = ~0ull;
	X(2) = ~0ull;
	RUN(0xab020020 /* adds x0, x1, x2 */);
	CHECK(X(0) == ~1ull && cpu->nzcv == (N | C));

	/* 31 is the zero register in every position */
	SP = 0x999;
	X(1) = 5;
	RUN(0xcb0103e0 /* neg x0, x1 */);
	CHECK(X(0) == (uint64_t)-5 && op.rn == REG_ZR);
	X(1) = 0x80;
	RUN(0x6b810fe0 /* negs w0, w1, asr #3 */);
	CHECK(X(0) == 0xfffffff0 && cpu->nzcv == N);
	X(1) = 0;
	RUN(0xeb0103e0 /* negs x0, x1 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 3;
	X(2) = 3;
	RUN(0xeb02003f /* cmp x1, x2 */);
	CHECK(cpu->nzcv == (Z | C) && op.rd == REG_ZW && SP == 0x999);
	RUN(0x8b1f0020 /* add x0, x1, xzr */);
	CHECK(X(0) == 3 && op.rm == REG_ZR);
}

static void test_addsub_xreg(void)
{
	reset();
	SP = 0x1000;
	X(2) = 0xffffffff80000001ull;
	RUN(0x8b224be0 /* add x0, sp, w2, uxtw #2 */);
	CHECK(X(0) == 0x1000 + 0x200000004ull);
	CHECK(op.kind == A64_DP_ADD_XREG && op.rn == REG_SP && op.ext == A64_DP_EXT_UXTW && op.shift == 2);
	X(1) = 0x100000000ull;
	X(2) = 0x80000000;
	RUN(0x8b22c020 /* add x0, x1, w2, sxtw */);
	CHECK(X(0) == 0x80000000);
	X(2) = 0x1234567890abcdefull;
	RUN(0x8b220020 /* add x0, x1, w2, uxtb */);
	CHECK(X(0) == 0x1000000efull);
	RUN(0x8b222420 /* add x0, x1, w2, uxth #1 */);
	CHECK(X(0) == 0x100000000ull + 0x19bdeull);
	RUN(0x8b228020 /* add x0, x1, w2, sxtb */);
	CHECK(X(0) == 0x100000000ull - 0x11);
	RUN(0x8b22b020 /* add x0, x1, w2, sxth #4 */);
	CHECK(X(0) == 0x100000000ull + (uint64_t)(-0x3211 * 16));
	RUN(0x8b22e020 /* add x0, x1, x2, sxtx */);
	CHECK(X(0) == 0x1234567990abcdefull);
	RUN(0x8b226c20 /* add x0, x1, x2, uxtx #3 */);
	CHECK(X(0) == 0x100000000ull + (0x1234567890abcdefull << 3));
	X(1) = 0x10;
	RUN(0xcb2163ff /* sub sp, sp, x1 */);
	CHECK(SP == 0xff0 && op.rd == REG_SP);
	X(1) = 0x1000;
	X(2) = 0x82;
	RUN(0xcb22903f /* sub sp, x1, x2, sxtb #4 */);
	CHECK(SP == 0x1000 + 0x7e0);
	/* flag setting: SP source, ZR destination */
	SP = 0x10;
	X(2) = 0x1ff;
	RUN(0xab2207e0 /* adds x0, sp, w2, uxtb #1 */);
	CHECK(X(0) == 0x10 + 0x1fe && cpu->nzcv == 0);
	X(1) = 0x10;
	RUN(0xeb2163ff /* cmp sp, x1 */);
	CHECK(cpu->nzcv == (Z | C) && op.rd == REG_ZW && op.rn == REG_SP);
	X(1) = 0xffffffff;
	RUN(0xeb21403f /* cmp x1, w1, uxtw */);
	CHECK(cpu->nzcv == (Z | C));
	RUN(0xab21c03f /* cmn x1, w1, sxtw */);
	CHECK(cpu->nzcv == C); /* 0xffffffff + -1 */
	/* 32 bits */
	SP = 0xabcdef0000000040ull;
	X(2) = 0x100000002ull;
	RUN(0x0b2263e0 /* add w0, wsp, w2, uxtx */);
	CHECK(X(0) == 0x42);
	X(2) = 0xffff8000;
	X(3) = 0x8000;
	RUN(0x6b23a841 /* subs w1, w2, w3, sxth #2 */);
	CHECK(X(1) == (uint32_t)(0xffff8000u + 0x20000u) && cpu->nzcv == C);
	X(2) = 5;
	X(3) = 0xfffffffe00000001ull;
	RUN(0x4b23cc41 /* sub w1, w2, w3, sxtw #3 */);
	CHECK(X(1) == (uint32_t)(5 - 8));
}

static void test_adc(void)
{
	reset();
	X(1) = 5;
	X(2) = 7;
	cpu->nzcv = C;
	RUN(0x9a020020 /* adc x0, x1, x2 */);
	CHECK(X(0) == 13 && cpu->nzcv == C);
	cpu->nzcv = 0;
	RUN(0x9a020020 /* adc x0, x1, x2 */);
	CHECK(X(0) == 12);
	X(1) = ~0ull;
	X(2) = 0;
	cpu->nzcv = C;
	RUN(0xba020020 /* adcs x0, x1, x2 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 0x7fffffffffffffffull;
	cpu->nzcv = C;
	RUN(0xba020020 /* adcs x0, x1, x2 */);
	CHECK(X(0) == 0x8000000000000000ull && cpu->nzcv == (N | V));
	X(1) = ~0ull;
	X(2) = ~0ull;
	cpu->nzcv = C;
	RUN(0xba020020 /* adcs x0, x1, x2 */);
	CHECK(X(0) == ~0ull && cpu->nzcv == (N | C));
	X(1) = 0xffffffff;
	X(2) = 0xffffffff;
	cpu->nzcv = C;
	RUN(0x3a020020 /* adcs w0, w1, w2 */);
	CHECK(X(0) == 0xffffffff && cpu->nzcv == (N | C));
	X(1) = 0x7fffffff;
	X(2) = 0;
	RUN(0x3a020020 /* adcs w0, w1, w2 */);
	CHECK(X(0) == 0x80000000 && cpu->nzcv == (N | V));
	X(1) = 0xffffffff;
	X(2) = 0xffffffff00000000ull;
	cpu->nzcv = C;
	RUN(0x1a020020 /* adc w0, w1, w2 */);
	CHECK(X(0) == 0);
	/* SBC: rn - rm - !C */
	X(1) = 10;
	X(2) = 3;
	cpu->nzcv = C;
	RUN(0xda020020 /* sbc x0, x1, x2 */);
	CHECK(X(0) == 7);
	cpu->nzcv = 0;
	RUN(0xda020020 /* sbc x0, x1, x2 */);
	CHECK(X(0) == 6);
	X(1) = 0;
	X(2) = 0;
	cpu->nzcv = 0;
	RUN(0xfa020020 /* sbcs x0, x1, x2 */);
	CHECK(X(0) == ~0ull && cpu->nzcv == N);
	X(1) = 9;
	X(2) = 9;
	cpu->nzcv = C;
	RUN(0xfa020020 /* sbcs x0, x1, x2 */);
	CHECK(X(0) == 0 && cpu->nzcv == (Z | C));
	X(1) = 0x80000000;
	X(2) = 0;
	cpu->nzcv = 0;
	RUN(0x7a020020 /* sbcs w0, w1, w2 */);
	CHECK(X(0) == 0x7fffffff && cpu->nzcv == (C | V));
	X(1) = 0;
	cpu->nzcv = 0;
	RUN(0x5a020020 /* sbc w0, w1, w2 */);
	CHECK(X(0) == 0xffffffff);
	X(1) = 1;
	cpu->nzcv = C;
	RUN(0xda0103e0 /* ngc x0, x1 */);
	CHECK(X(0) == (uint64_t)-1 && op.rn == REG_ZR);
	cpu->nzcv = 0;
	RUN(0x7a0103e0 /* ngcs w0, w1 */);
	CHECK(X(0) == 0xfffffffe && cpu->nzcv == N);
}

static void test_logical_imm(void)
{
	reset();
	X(1) = 0x123456789abcdef0ull;
	RUN(0x92401c20 /* and x0, x1, #0xff */);
	CHECK(X(0) == 0xf0 && op.kind == A64_DP_AND_IMM && op.imm == 0xff);
	SP = 0x999;
	RUN(0xb200f3e0 /* mov x0, #0x5555555555555555 */);
	CHECK(X(0) == 0x5555555555555555ull && op.kind == A64_DP_ORR_IMM && op.rn == REG_ZR);
	RUN(0x52010420 /* eor w0, w1, #0x80000001 */);
	CHECK(X(0) == 0x1abcdef1 && op.imm == 0x80000001);
	RUN(0x3200cc20 /* orr w0, w1, #0x0f0f0f0f */);
	CHECK(X(0) == 0x9fbfdfff);
	RUN(0xd2103c20 /* eor x0, x1, #0xffff0000ffff0000 */);
	CHECK(X(0) == 0xedcb56786543def0ull);
	RUN(0x12181c20 /* and w0, w1, #0xff00 */);
	CHECK(X(0) == 0xde00);
	/* AND (immediate) writes SP */
	X(1) = 0x12345;
	RUN(0x927cec3f /* and sp, x1, #0xfffffffffffffff0 */);
	CHECK(SP == 0x12340 && op.rd == REG_SP);
	RUN(0x321003ff /* orr wsp, wzr, #0x10000 */);
	CHECK(SP == 0x10000);
	/* ANDS / TST: N and Z, C and V cleared */
	cpu->nzcv = C | V;
	X(1) = 0x8000000000000001ull;
	RUN(0xf2410020 /* ands x0, x1, #0x8000000000000000 */);
	CHECK(X(0) == 0x8000000000000000ull && cpu->nzcv == N);
	cpu->nzcv = N | C | V;
	X(1) = 0xfffffffe;
	RUN(0x7200003f /* tst w1, #1 */);
	CHECK(cpu->nzcv == Z && op.rd == REG_ZW && SP == 0x10000);
	X(1) = 0x80000000;
	RUN(0x72020420 /* ands w0, w1, #0xc0000000 */);
	CHECK(X(0) == 0x80000000 && cpu->nzcv == N);

	/* bitmask decoding at the edges of each element size */
	CHECK(decode(0x92400020 /* and x0, x1, #0x1 */) && op.imm == 1);
	CHECK(decode(0x9240f820 /* and x0, x1, #0x7fffffffffffffff */) && op.imm == 0x7fffffffffffffffll);
	CHECK(decode(0x927ff820 /* and x0, x1, #0xfffffffffffffffe */) &&
	      (uint64_t)op.imm == 0xfffffffffffffffeull);
	CHECK(decode(0x92410020 /* and x0, x1, #0x8000000000000000 */) &&
	      (uint64_t)op.imm == 0x8000000000000000ull);
	CHECK(decode(0x9201f020 /* and x0, x1, #0xaaaaaaaaaaaaaaaa */) &&
	      (uint64_t)op.imm == 0xaaaaaaaaaaaaaaaaull);
	CHECK(decode(0x9200c020 /* and x0, x1, #0x0101010101010101 */) && op.imm == 0x0101010101010101ll);
	CHECK(decode(0x9200d820 /* and x0, x1, #0x7f7f7f7f7f7f7f7f */) && op.imm == 0x7f7f7f7f7f7f7f7fll);
	CHECK(decode(0x92018420 /* and x0, x1, #0x8001800180018001 */) &&
	      (uint64_t)op.imm == 0x8001800180018001ull);
	CHECK(decode(0x9200e420 /* and x0, x1, #0x3333333333333333 */) && op.imm == 0x3333333333333333ll);
	CHECK(decode(0x92607c20 /* and x0, x1, #0xffffffff00000000 */) &&
	      (uint64_t)op.imm == 0xffffffff00000000ull);
	CHECK(decode(0x927f7820 /* and x0, x1, #0x00000000fffffffe */) && op.imm == 0xfffffffell);
	CHECK(decode(0x121f7820 /* and w0, w1, #0xfffffffe */) && op.imm == 0xfffffffell && !op.sf);
	CHECK(decode(0x1200f020 /* and w0, w1, #0x55555555 */) && op.imm == 0x55555555);
	CHECK(decode(0x12007820 /* and w0, w1, #0x7fffffff */) && op.imm == 0x7fffffff);
	CHECK(decode(0x120f3c20 /* and w0, w1, #0xfffe0001 */) && op.imm == 0xfffe0001ll);
}

static void test_logical_sreg(void)
{
	reset();
	X(1) = 0xff00ff00ff00ff00ull;
	X(2) = 0x0ff00ff00ff00ff0ull;
	RUN(0x8a021020 /* and x0, x1, x2, lsl #4 */);
	CHECK(X(0) == 0xff00ff00ff00ff00ull && op.kind == A64_DP_AND_SREG);
	RUN(0x8a220020 /* bic x0, x1, x2 */);
	CHECK(X(0) == 0xf000f000f000f000ull && op.kind == A64_DP_BIC_SREG);
	RUN(0xaac22020 /* orr x0, x1, x2, ror #8 */);
	CHECK(X(0) == 0xff0fff0fff0fff0full && op.ext == A64_DP_SHIFT_ROR);
	RUN(0x2a620420 /* orn w0, w1, w2, lsr #1 */);
	CHECK(X(0) == (0xff00ff00u | ~(0x0ff00ff0u >> 1)));
	X(2) = 0x8000000000000000ull;
	RUN(0xca82fc20 /* eor x0, x1, x2, asr #63 */);
	CHECK(X(0) == 0x00ff00ff00ff00ffull);
	X(2) = 0x80000001;
	RUN(0x4ae27c20 /* eon w0, w1, w2, ror #31 */);
	CHECK(X(0) == (uint32_t)~(0xff00ff00u ^ 0x00000003u));
	RUN(0x2ac213e0 /* orr w0, wzr, w2, ror #4 */);
	CHECK(X(0) == 0x18000000);
	X(1) = 0x1234567890abcdefull;
	X(2) = 0x00000000ffff0000ull;
	RUN(0x0a422020 /* and w0, w1, w2, lsr #8 */);
	CHECK(X(0) == 0x00abcd00 && !op.sf);
	RUN(0x4a024020 /* eor w0, w1, w2, lsl #16 */);
	CHECK(X(0) == 0x90abcdef);
	RUN(0xcaa24020 /* eon x0, x1, x2, asr #16 */);
	CHECK(X(0) == ~(0x1234567890abcdefull ^ 0xffffull));
	RUN(0xaa0213e0 /* orr x0, xzr, x2, lsl #4 */);
	CHECK(X(0) == 0xffff00000ull);
	X(1) = 0xff00ff00ff00ff00ull;
	/* MOV (register) is ORR with the zero register */
	X(3) = 0x1122334455667788ull;
	SP = 0x999;
	RUN(0xaa0303e0 /* mov x0, x3 */);
	CHECK(X(0) == 0x1122334455667788ull && op.kind == A64_DP_ORR_SREG && op.rn == REG_ZR);
	RUN(0x2a0303e0 /* mov w0, w3 */);
	CHECK(X(0) == 0x55667788);
	RUN(0xaa2303e0 /* mvn x0, x3 */);
	CHECK(X(0) == ~0x1122334455667788ull);
	RUN(0x2a2313e0 /* mvn w0, w3, lsl #4 */);
	CHECK(X(0) == (uint32_t)~0x56677880u);
	RUN(0xaa1f03e0 /* mov x0, xzr */);
	CHECK(X(0) == 0);
	/* flags: N and Z, C and V cleared */
	cpu->nzcv = C | V;
	X(1) = 0x8000000000000000ull;
	X(2) = ~0ull;
	RUN(0xea020020 /* ands x0, x1, x2 */);
	CHECK(X(0) == 0x8000000000000000ull && cpu->nzcv == N);
	cpu->nzcv = N | C | V;
	RUN(0xea42043f /* tst x1, x2, lsr #1 */);
	CHECK(cpu->nzcv == Z && op.rd == REG_ZW);
	X(1) = 0xffffffff;
	X(2) = 1;
	RUN(0x6a227c20 /* bics w0, w1, w2, lsl #31 */);
	CHECK(X(0) == 0x7fffffff && cpu->nzcv == 0);
	X(2) = 0xffffffff;
	cpu->nzcv = C;
	RUN(0x6a220020 /* bics w0, w1, w2 */);
	CHECK(X(0) == 0 && cpu->nzcv == Z);
	/* writes to the zero register are dropped */
	X(1) = 1;
	X(2) = 2;
	SP = 0x999;
	RUN(0xaa02003f /* orr xzr, x1, x2 */);
	CHECK(op.rd == REG_ZW && SP == 0x999);
}

static void test_movewide(void)
{
	reset();
	RUN(0xd2e24680 /* movz x0, #0x1234, lsl #48 */);
	CHECK(X(0) == 0x1234000000000000ull && op.kind == A64_DP_MOVZ);
	RUN(0x92800000 /* movn x0, #0 */);
	CHECK(X(0) == ~0ull && op.kind == A64_DP_MOVN);
	RUN(0x12800000 /* movn w0, #0 */);
	CHECK(X(0) == 0xffffffff);
	RUN(0x12a24680 /* movn w0, #0x1234, lsl #16 */);
	CHECK(X(0) == 0xedcbffff);
	RUN(0x92c24680 /* movn x0, #0x1234, lsl #32 */);
	CHECK(X(0) == 0xffffedcbffffffffull);
	X(0) = 0x1111222233334444ull;
	RUN(0xf2d7dde0 /* movk x0, #0xbeef, lsl #32 */);
	CHECK(X(0) == 0x1111beef33334444ull && op.kind == A64_DP_MOVK && op.shift == 32);
	RUN(0xf2995fc0 /* movk x0, #0xcafe */);
	CHECK(X(0) == 0x1111beef3333cafeull);
	X(0) = 0x1111222233334444ull;
	RUN(0x72b7dde0 /* movk w0, #0xbeef, lsl #16 */);
	CHECK(X(0) == 0xbeef4444);
	RUN(0x52bfffe0 /* movz w0, #0xffff, lsl #16 */);
	CHECK(X(0) == 0xffff0000);
	SP = 0x999;
	RUN(0xd280003f /* movz xzr, #1 */);
	CHECK(op.rd == REG_ZW && SP == 0x999);
}

static void test_pcrel(void)
{
	reset();
	RUN(0x10000800 /* adr x0, .+0x100 */);
	CHECK(X(0) == PC + 0x100 && op.kind == A64_DP_ADR && op.imm == (int64_t)(PC + 0x100));
	RUN(0x10ffffe1 /* adr x1, .-4 */);
	CHECK(X(1) == PC - 4);
	RUN(0x707fffe2 /* adr x2, .+0xfffff */);
	CHECK(X(2) == PC + 0xfffff);
	RUN(0x10800003 /* adr x3, .-0x100000 */);
	CHECK(X(3) == PC - 0x100000);
	RUN(0xb0000024 /* adrp x4, .+0x5000 */);
	CHECK(X(4) == (PC & ~0xfffull) + 0x5000 && op.kind == A64_DP_ADRP);
	RUN(0x90800005 /* adrp x5, .-0x100000000 */);
	CHECK(X(5) == (PC & ~0xfffull) - 0x100000000ull);
	RUN(0xf07fffe6 /* adrp x6, .+0xfffff000 */);
	CHECK(X(6) == (PC & ~0xfffull) + 0xfffff000ull);
	SP = 0x999;
	RUN(0x1000005f /* adr xzr, .+8 */);
	CHECK(op.rd == REG_ZW && SP == 0x999);
}

static void test_bitfield(void)
{
	reset();
	X(1) = 0xfedcba9876543210ull;
	RUN(0xd3484c20 /* ubfx x0, x1, #8, #12 */);
	CHECK(X(0) == 0x432 && op.kind == A64_DP_UBFX);
	CHECK(op.shift == 8 && op.size == 12 && op.imm == 0xfff);
	RUN(0x531c7c20 /* ubfx w0, w1, #28, #4 */);
	CHECK(X(0) == 0x7);
	RUN(0xd3440c20 /* ubfiz x0, x1, #60, #4 */);
	CHECK(X(0) == 0 && op.kind == A64_DP_UBFIZ && op.shift == 60 && op.size == 4);
	RUN(0xd37d1020 /* ubfiz x0, x1, #3, #5 */);
	CHECK(X(0) == 0x80);
	RUN(0x53010020 /* ubfiz w0, w1, #31, #1 */);
	CHECK(X(0) == 0);
	RUN(0xd3410020 /* ubfiz x0, x1, #63, #1 */);
	CHECK(X(0) == 0);
	RUN(0x937cfc20 /* sbfx x0, x1, #60, #4 */);
	CHECK(X(0) == ~0ull);
	RUN(0x93442c20 /* sbfx x0, x1, #4, #8 */);
	CHECK(X(0) == 0x21);
	RUN(0x934c4c20 /* sbfx x0, x1, #12, #8 */);
	CHECK(X(0) == (uint64_t)(int8_t)0x43);
	RUN(0x131c7c20 /* sbfx w0, w1, #28, #4 */);
	CHECK(X(0) == 7);
	X(2) = 0x80000000;
	RUN(0x131c7c40 /* sbfx w0, w2, #28, #4 */);
	CHECK(X(0) == 0xfffffff8);
	RUN(0x937c7c40 /* sbfiz x0, x2, #4, #32 */);
	CHECK(X(0) == 0xfffffff800000000ull && op.kind == A64_DP_SBFIZ);
	X(2) = 3;
	RUN(0x13020440 /* sbfiz w0, w2, #30, #2 */);
	CHECK(X(0) == 0xc0000000);
	X(2) = 1;
	RUN(0x13010040 /* sbfiz w0, w2, #31, #1 */);
	CHECK(X(0) == 0x80000000);
	/* BFI / BFXIL keep the rest of rd; 32-bit forms clear the upper half */
	X(0) = 0xffffffffffffffffull;
	X(2) = 0;
	RUN(0xb3764c40 /* bfi x0, x2, #10, #20 */);
	CHECK(X(0) == 0xffffffffc00003ffull && op.kind == A64_DP_BFI);
	X(0) = 0xffffffffffffffffull;
	RUN(0x33010040 /* bfi w0, w2, #31, #1 */);
	CHECK(X(0) == 0x7fffffff);
	X(0) = 0x1111111111111111ull;
	X(2) = 0xabcd;
	RUN(0xb3442c40 /* bfxil x0, x2, #4, #8 */);
	CHECK(X(0) == 0x11111111111111bcull && op.kind == A64_DP_BFXIL);
	X(0) = 0xffffffffffffffffull;
	X(2) = 0x5a;
	RUN(0x33032440 /* bfxil w0, w2, #3, #7 */);
	CHECK(X(0) == 0xffffff8b);
	X(2) = 0x123456789abcdef0ull;
	RUN(0xb340fc40 /* bfxil x0, x2, #0, #64 */);
	CHECK(X(0) == 0x123456789abcdef0ull);
	X(0) = ~0ull;
	RUN(0xb37c1fe0 /* bfi x0, xzr, #4, #8 */);
	CHECK(X(0) == 0xfffffffffffff00full && op.rn == REG_ZR);

	/* the aliases */
	X(1) = 0x80000000000000f1ull;
	RUN(0xd37be820 /* lsl x0, x1, #5 */);
	CHECK(X(0) == 0x1e20 && op.kind == A64_DP_UBFIZ && op.shift == 5 && op.size == 59);
	RUN(0x53010020 /* lsl w0, w1, #31 */);
	CHECK(X(0) == 0x80000000);
	RUN(0xd37ffc20 /* lsr x0, x1, #63 */);
	CHECK(X(0) == 1 && op.kind == A64_DP_UBFX && op.shift == 63 && op.size == 1);
	RUN(0x53017c20 /* lsr w0, w1, #1 */);
	CHECK(X(0) == 0x78);
	RUN(0x9344fc20 /* asr x0, x1, #4 */);
	CHECK(X(0) == 0xf80000000000000full && op.kind == A64_DP_SBFX);
	RUN(0x9340fc20 /* asr x0, x1, #0 */);
	CHECK(X(0) == 0x80000000000000f1ull);
	X(2) = 0x0000000180000000ull;
	RUN(0x131f7c40 /* asr w0, w2, #31 */);
	CHECK(X(0) == 0xffffffff);
	X(2) = 0xff80;
	RUN(0x93401c40 /* sxtb x0, w2 */);
	CHECK(X(0) == 0xffffffffffffff80ull);
	RUN(0x93403c40 /* sxth x0, w2 */);
	CHECK(X(0) == 0xffffffffffffff80ull);
	X(2) = 0x1234567880000000ull;
	RUN(0x93407c40 /* sxtw x0, w2 */);
	CHECK(X(0) == 0xffffffff80000000ull && op.shift == 0 && op.size == 32);
	X(2) = 0xffff;
	RUN(0x13001c40 /* sxtb w0, w2 */);
	CHECK(X(0) == 0xffffffff);
	RUN(0x13003c40 /* sxth w0, w2 */);
	CHECK(X(0) == 0xffffffff);
	X(2) = 0x1234567890abcdefull;
	RUN(0x53001c40 /* uxtb w0, w2 */);
	CHECK(X(0) == 0xef);
	RUN(0x53003c40 /* uxth w0, w2 */);
	CHECK(X(0) == 0xcdef);
}

static void test_extr(void)
{
	reset();
	X(1) = 0x1122334455667788ull;
	X(2) = 0x99aabbccddeeff00ull;
	RUN(0x93c22020 /* extr x0, x1, x2, #8 */);
	CHECK(X(0) == 0x8899aabbccddeeffull && op.kind == A64_DP_EXTR && op.shift == 8);
	RUN(0x93c20020 /* extr x0, x1, x2, #0 */);
	CHECK(X(0) == 0x99aabbccddeeff00ull);
	RUN(0x13827c20 /* extr w0, w1, w2, #31 */);
	CHECK(X(0) == ((0x55667788u << 1) | (0xddeeff00u >> 31)));
	RUN(0x13820020 /* extr w0, w1, w2, #0 */);
	CHECK(X(0) == 0xddeeff00);
	RUN(0x93c11020 /* ror x0, x1, #4 */);
	CHECK(X(0) == 0x8112233445566778ull);
	RUN(0x13814020 /* ror w0, w1, #16 */);
	CHECK(X(0) == 0x77885566);
}

static void test_condcmp(void)
{
	reset();
	X(1) = 5;
	X(2) = 5;
	cpu->nzcv = Z;
	RUN(0xfa42002f /* ccmp x1, x2, #0xf, eq */);
	CHECK(cpu->nzcv == (Z | C) && op.kind == A64_DP_CCMP_REG);
	CHECK(op.cond == 0 && op.imm2 == 0xf0000000ll && op.flags == A64_DP_F_S);
	cpu->nzcv = 0;
	RUN(0xfa42002f /* ccmp x1, x2, #0xf, eq */);
	CHECK(cpu->nzcv == (N | Z | C | V));
	cpu->nzcv = 0;
	X(1) = 0x80000000;
	RUN(0x7a5f1824 /* ccmp w1, #31, #4, ne */);
	CHECK(cpu->nzcv == (C | V) && op.kind == A64_DP_CCMP_IMM && op.imm == 31);
	cpu->nzcv = Z;
	RUN(0x7a5f1824 /* ccmp w1, #31, #4, ne */);
	CHECK(cpu->nzcv == Z);
	X(1) = ~0ull;
	cpu->nzcv = 0; /* GE holds: N == V */
	RUN(0xba41a822 /* ccmn x1, #1, #2, ge */);
	CHECK(cpu->nzcv == (Z | C) && op.kind == A64_DP_CCMN_IMM);
	cpu->nzcv = N; /* GE fails */
	RUN(0xba41a822 /* ccmn x1, #1, #2, ge */);
	CHECK(cpu->nzcv == C);
	X(1) = 0x7fffffff;
	X(2) = 1;
	cpu->nzcv = N | Z | C | V;
	RUN(0x3a42e020 /* ccmn w1, w2, #0, al */);
	CHECK(cpu->nzcv == (N | V) && op.kind == A64_DP_CCMN_REG);
	X(1) = 1;
	X(2) = 2;
	RUN(0x7a42f028 /* ccmp w1, w2, #8, nv */);
	CHECK(cpu->nzcv == N);
	X(1) = 0x8000000000000000ull;
	X(2) = 0x8000000000000000ull;
	cpu->nzcv = C;
	RUN(0xba422020 /* ccmn x1, x2, #0, cs */);
	CHECK(cpu->nzcv == (Z | C | V));
	cpu->nzcv = 0;
	RUN(0xba422023 /* ccmn x1, x2, #3, cs */);
	CHECK(cpu->nzcv == (C | V));
	X(1) = 0xffffffe1; /* -31 */
	cpu->nzcv = V;
	RUN(0x3a5f6820 /* ccmn w1, #31, #0, vs */);
	CHECK(cpu->nzcv == (Z | C));
	X(1) = 31;
	cpu->nzcv = 0;
	RUN(0xfa5f5820 /* ccmp x1, #31, #0, pl */);
	CHECK(cpu->nzcv == (Z | C));
	X(1) = 0x100000000ull;
	RUN(0xfa415820 /* ccmp x1, #1, #0, pl */);
	CHECK(cpu->nzcv == C);
	RUN(0x7a415820 /* ccmp w1, #1, #0, pl */);
	CHECK(cpu->nzcv == N);
	/* the zero register, not SP */
	SP = 0x999;
	X(1) = 0;
	cpu->nzcv = 0;
	RUN(0xfa5f0020 /* ccmp x1, xzr, #0, eq */);
	CHECK(cpu->nzcv == 0);
	cpu->nzcv = Z;
	RUN(0xfa5f0020 /* ccmp x1, xzr, #0, eq */);
	CHECK(cpu->nzcv == (Z | C) && op.rm == REG_ZR);
}

static void test_condsel(void)
{
	reset();
	X(1) = 0x1111111111111111ull;
	X(2) = 0x2222222222222222ull;
	cpu->nzcv = Z;
	RUN(0x9a820020 /* csel x0, x1, x2, eq */);
	CHECK(X(0) == X(1) && op.kind == A64_DP_CSEL);
	cpu->nzcv = 0;
	RUN(0x9a820020 /* csel x0, x1, x2, eq */);
	CHECK(X(0) == X(2));
	RUN(0x1a820020 /* csel w0, w1, w2, eq */);
	CHECK(X(0) == 0x22222222);
	RUN(0x1a820420 /* csinc w0, w1, w2, eq */);
	CHECK(X(0) == 0x22222223 && op.kind == A64_DP_CSINC);
	X(2) = 0xffffffff;
	RUN(0x1a820420 /* csinc w0, w1, w2, eq */);
	CHECK(X(0) == 0);
	RUN(0x9a820420 /* csinc x0, x1, x2, eq */);
	CHECK(X(0) == 0x100000000ull);
	RUN(0xda820020 /* csinv x0, x1, x2, eq */);
	CHECK(X(0) == 0xffffffff00000000ull && op.kind == A64_DP_CSINV);
	RUN(0x5a820020 /* csinv w0, w1, w2, eq */);
	CHECK(X(0) == 0);
	RUN(0x5a820420 /* csneg w0, w1, w2, eq */);
	CHECK(X(0) == 1 && op.kind == A64_DP_CSNEG);
	X(2) = 0x8000000000000000ull;
	RUN(0xda820420 /* csneg x0, x1, x2, eq */);
	CHECK(X(0) == 0x8000000000000000ull);
	RUN(0x5a820420 /* csneg w0, w1, w2, eq */);
	CHECK(X(0) == 0);
	/* aliases */
	cpu->nzcv = Z;
	RUN(0x1a9f17e0 /* cset w0, eq */);
	CHECK(X(0) == 1);
	RUN(0x1a9f07e0 /* cset w0, ne */);
	CHECK(X(0) == 0);
	cpu->nzcv = N;
	RUN(0xda9fa3e0 /* csetm x0, lt */);
	CHECK(X(0) == ~0ull);
	cpu->nzcv = N | V;
	RUN(0xda9fa3e0 /* csetm x0, lt */);
	CHECK(X(0) == 0);
	X(2) = 41;
	cpu->nzcv = C;
	RUN(0x9a829440 /* cinc x0, x2, hi */);
	CHECK(X(0) == 42);
	cpu->nzcv = C | Z;
	RUN(0x9a829440 /* cinc x0, x2, hi */);
	CHECK(X(0) == 41);
	cpu->nzcv = N;
	RUN(0xda825440 /* cneg x0, x2, mi */);
	CHECK(X(0) == (uint64_t)-41);
	RUN(0x5a825040 /* cinv w0, w2, mi */);
	CHECK(X(0) == (uint32_t)~41u);

	/* every condition against every NZCV, compared with a64_cond */
	uint32_t base = 0x9a820020 /* csel x0, x1, x2, eq */;
	X(1) = 1;
	X(2) = 2;
	int bad = 0;
	for (unsigned cond = 0; cond < 16; cond++) {
		for (uint32_t f = 0; f < 16; f++) {
			cpu->nzcv = f << 28;
			if (exec(base | cond << 12) != 0 || X(0) != (a64_cond(f << 28, cond) ? 1u : 2u))
				bad++;
		}
	}
	CHECK(bad == 0);
}

static void test_1src(void)
{
	reset();
	X(1) = 1;
	RUN(0xdac00020 /* rbit x0, x1 */);
	CHECK(X(0) == 0x8000000000000000ull && op.kind == A64_DP_RBIT);
	X(1) = 0xffffffff00000001ull;
	RUN(0x5ac00020 /* rbit w0, w1 */);
	CHECK(X(0) == 0x80000000);
	X(1) = 0x0123456789abcdefull;
	RUN(0xdac00020 /* rbit x0, x1 */);
	CHECK(X(0) == 0xf7b3d591e6a2c480ull);
	RUN(0xdac00420 /* rev16 x0, x1 */);
	CHECK(X(0) == 0x23016745ab89efcdull && op.kind == A64_DP_REV16);
	RUN(0x5ac00420 /* rev16 w0, w1 */);
	CHECK(X(0) == 0xab89efcd);
	RUN(0xdac00820 /* rev32 x0, x1 */);
	CHECK(X(0) == 0x67452301efcdab89ull && op.kind == A64_DP_REV32);
	RUN(0x5ac00820 /* rev w0, w1 */);
	CHECK(X(0) == 0xefcdab89 && op.kind == A64_DP_REV && !op.sf);
	RUN(0xdac00c20 /* rev x0, x1 */);
	CHECK(X(0) == 0xefcdab8967452301ull && op.kind == A64_DP_REV && op.sf);
	X(1) = 0;
	RUN(0xdac01020 /* clz x0, x1 */);
	CHECK(X(0) == 64 && op.kind == A64_DP_CLZ);
	RUN(0x5ac01020 /* clz w0, w1 */);
	CHECK(X(0) == 32);
	X(1) = 0x100000000ull;
	RUN(0x5ac01020 /* clz w0, w1 */);
	CHECK(X(0) == 32);
	RUN(0xdac01020 /* clz x0, x1 */);
	CHECK(X(0) == 31);
	X(1) = ~0ull;
	RUN(0xdac01020 /* clz x0, x1 */);
	CHECK(X(0) == 0);
	RUN(0xdac01420 /* cls x0, x1 */);
	CHECK(X(0) == 63 && op.kind == A64_DP_CLS);
	RUN(0x5ac01420 /* cls w0, w1 */);
	CHECK(X(0) == 31);
	X(1) = 0;
	RUN(0xdac01420 /* cls x0, x1 */);
	CHECK(X(0) == 63);
	X(1) = 1;
	RUN(0xdac01420 /* cls x0, x1 */);
	CHECK(X(0) == 62);
	RUN(0x5ac01420 /* cls w0, w1 */);
	CHECK(X(0) == 30);
	X(1) = 0x4000000000000000ull;
	RUN(0xdac01420 /* cls x0, x1 */);
	CHECK(X(0) == 0);
	X(1) = 0x8000000000000000ull;
	RUN(0xdac01420 /* cls x0, x1 */);
	CHECK(X(0) == 0);
	X(1) = 0xc000000000000000ull;
	RUN(0xdac01420 /* cls x0, x1 */);
	CHECK(X(0) == 1);
	X(1) = 0x00000000fffffff0ull;
	RUN(0x5ac01420 /* cls w0, w1 */);
	CHECK(X(0) == 27);
}

static void test_2src(void)
{
	reset();
	X(1) = 10;
	X(2) = 3;
	RUN(0x9ac20820 /* udiv x0, x1, x2 */);
	CHECK(X(0) == 3 && op.kind == A64_DP_UDIV);
	X(2) = 0;
	RUN(0x9ac20820 /* udiv x0, x1, x2 */);
	CHECK(X(0) == 0);
	RUN(0x1ac20820 /* udiv w0, w1, w2 */);
	CHECK(X(0) == 0);
	X(1) = ~0ull;
	X(2) = 2;
	RUN(0x9ac20820 /* udiv x0, x1, x2 */);
	CHECK(X(0) == 0x7fffffffffffffffull);
	RUN(0x1ac20820 /* udiv w0, w1, w2 */);
	CHECK(X(0) == 0x7fffffff);
	X(1) = 0x8000000000000000ull;
	X(2) = ~0ull;
	RUN(0x9ac20c20 /* sdiv x0, x1, x2 */);
	CHECK(X(0) == 0x8000000000000000ull && op.kind == A64_DP_SDIV);
	X(1) = 0x80000000;
	X(2) = 0xffffffff;
	RUN(0x1ac20c20 /* sdiv w0, w1, w2 */);
	CHECK(X(0) == 0x80000000);
	X(1) = (uint64_t)-7;
	X(2) = 2;
	RUN(0x9ac20c20 /* sdiv x0, x1, x2 */);
	CHECK(X(0) == (uint64_t)-3);
	RUN(0x1ac20c20 /* sdiv w0, w1, w2 */);
	CHECK(X(0) == 0xfffffffd);
	X(1) = 7;
	X(2) = (uint64_t)-2;
	RUN(0x9ac20c20 /* sdiv x0, x1, x2 */);
	CHECK(X(0) == (uint64_t)-3);
	X(2) = 0;
	RUN(0x9ac20c20 /* sdiv x0, x1, x2 */);
	CHECK(X(0) == 0);
	RUN(0x1adf0c20 /* sdiv w0, w1, wzr */);
	CHECK(X(0) == 0);
	X(1) = 9;
	X(2) = 0xffffffff00000003ull; /* only w2 counts */
	RUN(0x1ac20c20 /* sdiv w0, w1, w2 */);
	CHECK(X(0) == 3);

	X(1) = 1;
	X(2) = 65;
	RUN(0x9ac22020 /* lsl x0, x1, x2 */);
	CHECK(X(0) == 2 && op.kind == A64_DP_LSLV);
	X(2) = 33;
	RUN(0x1ac22020 /* lsl w0, w1, w2 */);
	CHECK(X(0) == 2);
	X(1) = 0x8000000000000000ull;
	X(2) = 127;
	RUN(0x9ac22420 /* lsr x0, x1, x2 */);
	CHECK(X(0) == 1 && op.kind == A64_DP_LSRV);
	RUN(0x9ac22820 /* asr x0, x1, x2 */);
	CHECK(X(0) == ~0ull && op.kind == A64_DP_ASRV);
	X(1) = 0x80000000;
	X(2) = 31;
	RUN(0x1ac22820 /* asr w0, w1, w2 */);
	CHECK(X(0) == 0xffffffff);
	X(2) = 32;
	RUN(0x1ac22420 /* lsr w0, w1, w2 */);
	CHECK(X(0) == 0x80000000);
	X(1) = 0x0123456789abcdefull;
	X(2) = 68;
	RUN(0x9ac22c20 /* ror x0, x1, x2 */);
	CHECK(X(0) == 0xf0123456789abcdeull && op.kind == A64_DP_RORV);
	X(2) = 8;
	RUN(0x1ac22c20 /* ror w0, w1, w2 */);
	CHECK(X(0) == 0xef89abcd);
	X(2) = 0;
	RUN(0x9ac22c20 /* ror x0, x1, x2 */);
	CHECK(X(0) == 0x0123456789abcdefull);
}

/* CRC-32 and CRC-32C of "123456789": 0xcbf43926 and 0xe3069283 (with the usual inversions,
 * which the instructions leave to the program), fed a byte, halfword, word or doubleword at
 * a time. */
static uint32_t crc_run(uint32_t insn, const char *data, unsigned step, unsigned len, uint32_t acc)
{
	for (unsigned i = 0; i + step <= len; i += step) {
		uint64_t v = 0;
		memcpy(&v, data + i, step);
		X(1) = acc | 0xdead000000000000ull; /* only w1 counts */
		X(2) = v;
		if (exec(insn) != 0)
			return 0;
		acc = (uint32_t)X(0);
		CHECK(X(0) == acc); /* a 32-bit result */
	}
	return acc;
}

static void test_crc(void)
{
	static const char data[] = "123456789";
	uint32_t b = 0x1ac24020 /* crc32b w0, w1, w2 */, h = 0x1ac24420 /* crc32h w0, w1, w2 */;
	uint32_t w = 0x1ac24820 /* crc32w w0, w1, w2 */, x = 0x9ac24c20 /* crc32x w0, w1, x2 */;
	uint32_t cb = 0x1ac25020 /* crc32cb w0, w1, w2 */, ch = 0x1ac25420 /* crc32ch w0, w1, w2 */;
	uint32_t cw = 0x1ac25820 /* crc32cw w0, w1, w2 */, cx = 0x9ac25c20 /* crc32cx w0, w1, x2 */;
	reset();
	CHECK(~crc_run(b, data, 1, 9, ~0u) == 0xcbf43926);
	CHECK(op.kind == A64_DP_CRC32 && op.size == 0 && !op.sf);
	CHECK(~crc_run(b, data + 8, 1, 1, crc_run(h, data, 2, 8, ~0u)) == 0xcbf43926);
	CHECK(~crc_run(b, data + 8, 1, 1, crc_run(w, data, 4, 8, ~0u)) == 0xcbf43926);
	CHECK(~crc_run(b, data + 8, 1, 1, crc_run(x, data, 8, 8, ~0u)) == 0xcbf43926);
	CHECK(decode(x) && op.kind == A64_DP_CRC32 && op.size == 3 && op.sf);
	CHECK(decode(cx) && op.kind == A64_DP_CRC32C && op.size == 3 && op.sf);
	CHECK(decode(h) && op.kind == A64_DP_CRC32 && op.size == 1 && !op.sf);
	CHECK(decode(cw) && op.kind == A64_DP_CRC32C && op.size == 2 && !op.sf);
	CHECK(~crc_run(cb, data, 1, 9, ~0u) == 0xe3069283);
	CHECK(op.kind == A64_DP_CRC32C && op.size == 0);
	CHECK(~crc_run(cb, data + 8, 1, 1, crc_run(ch, data, 2, 8, ~0u)) == 0xe3069283);
	CHECK(~crc_run(cb, data + 8, 1, 1, crc_run(cw, data, 4, 8, ~0u)) == 0xe3069283);
	CHECK(~crc_run(cb, data + 8, 1, 1, crc_run(cx, data, 8, 8, ~0u)) == 0xe3069283);
	/* a data byte's upper bits do not count */
	X(1) = 0;
	X(2) = 0xffffffffffffff00ull;
	RUN(b);
	CHECK(X(0) == 0);
}

static void test_3src(void)
{
	reset();
	X(1) = 6;
	X(2) = 7;
	X(3) = 100;
	RUN(0x9b020c20 /* madd x0, x1, x2, x3 */);
	CHECK(X(0) == 142 && op.kind == A64_DP_MADD && op.ra == 3);
	RUN(0x9b028c20 /* msub x0, x1, x2, x3 */);
	CHECK(X(0) == 58 && op.kind == A64_DP_MSUB);
	RUN(0x1b038440 /* msub w0, w2, w3, w1 */);
	CHECK(X(0) == (uint32_t)(6 - 700));
	X(1) = 0x100000001ull;
	X(2) = 0xffffffff;
	RUN(0x1b020c20 /* madd w0, w1, w2, w3 */);
	CHECK(X(0) == 99);
	SP = 0x999;
	RUN(0x9b027c20 /* mul x0, x1, x2 */);
	CHECK(X(0) == 0x100000001ull * 0xffffffffull && op.ra == REG_ZR);
	RUN(0x1b02fc20 /* mneg w0, w1, w2 */);
	CHECK(X(0) == 1);
	X(1) = 0xffffffff;  /* -1 */
	X(2) = 0x80000000;  /* INT32_MIN */
	X(3) = 1;
	RUN(0x9b220c20 /* smaddl x0, w1, w2, x3 */);
	CHECK(X(0) == 0x80000001ull && op.kind == A64_DP_SMADDL);
	RUN(0x9b228c20 /* smsubl x0, w1, w2, x3 */);
	CHECK(X(0) == 1 - 0x80000000ull);
	RUN(0x9ba20c20 /* umaddl x0, w1, w2, x3 */);
	CHECK(X(0) == 0xffffffffull * 0x80000000ull + 1 && op.kind == A64_DP_UMADDL);
	RUN(0x9ba28c20 /* umsubl x0, w1, w2, x3 */);
	CHECK(X(0) == 1 - 0xffffffffull * 0x80000000ull && op.kind == A64_DP_UMSUBL);
	X(1) = 0xdeadbeef00000002ull;
	X(2) = 0x12345678fffffffdull;
	RUN(0x9b227c20 /* smull x0, w1, w2 */);
	CHECK(X(0) == (uint64_t)-6);
	RUN(0x9ba27c20 /* umull x0, w1, w2 */);
	CHECK(X(0) == 2 * 0xfffffffdull);
	RUN(0x9b22fc20 /* smnegl x0, w1, w2 */);
	CHECK(X(0) == 6);
	X(1) = ~0ull;
	X(2) = 1;
	RUN(0x9b427c20 /* smulh x0, x1, x2 */);
	CHECK(X(0) == ~0ull && op.kind == A64_DP_SMULH);
	RUN(0x9bc27c20 /* umulh x0, x1, x2 */);
	CHECK(X(0) == 0 && op.kind == A64_DP_UMULH);
	X(2) = ~0ull;
	RUN(0x9bc27c20 /* umulh x0, x1, x2 */);
	CHECK(X(0) == 0xfffffffffffffffeull);
	RUN(0x9b427c20 /* smulh x0, x1, x2 */);
	CHECK(X(0) == 0);
	X(1) = 0x8000000000000000ull;
	X(2) = 0x8000000000000000ull;
	RUN(0x9b427c20 /* smulh x0, x1, x2 */);
	CHECK(X(0) == 0x4000000000000000ull);
	RUN(0x9bc27c20 /* umulh x0, x1, x2 */);
	CHECK(X(0) == 0x4000000000000000ull);
}

/* Encodings in the DP space that are unallocated, reserved, or belong to features the CPU
 * does not advertise (checked with qemu-aarch64 -cpu cortex-a57: all raise SIGILL). */
static void test_unallocated(void)
{
	static const uint32_t words[] = {
		0x8b223420, /* add (extended) with shift 5 */
		0x8b623020, /* add (extended) with opt = 01 */
		0x8bc20020, /* add (shifted) with ROR */
		0x0b028020, /* add w, lsl #32 */
		0x0a028020, /* and w, lsl #32 */
		0x12400000, /* logical immediate: N = 1 at 32 bits */
		0x9240fc00, /* logical immediate: all-ones 64-bit element */
		0x9200fc00, /* logical immediate: no element size */
		0x9200f800, /* logical immediate: element size 1 */
		0x9200f400, /* logical immediate: all-ones 2-bit element */
		0x92007c00, /* logical immediate: all-ones 32-bit element */
		0x12007c00, /* ... at 32 bits */
		0xb2800000, /* move wide opc = 01 */
		0x52c00000, /* movz w, hw = 2 */
		0xf3400000, /* bitfield opc = 11 */
		0xd3000000, /* ubfm x with N = 0 */
		0x53400000, /* ubfm w with N = 1 */
		0x53200000, /* ubfm w, immr = 32 */
		0x53008000, /* ubfm w, imms = 32 */
		0xb3c00000, /* extr op21 = 01 */
		0x93e00000, /* extr o0 = 1 */
		0x93800000, /* extr x with N = 0 */
		0x13808000, /* extr w, lsb 32 */
		0xba018404, /* rmif (FlagM) */
		0x3a00080d, /* setf8 (FlagM) */
		0x3a00480d, /* setf16 (FlagM) */
		0x9a020420, /* add/sub with carry, op3 != 0 */
		0xda420020, /* ccmp with S = 0 */
		0xfa420420, /* ccmp with o2 = 1 */
		0xfa420030, /* ccmp with o3 = 1 */
		0xba820020, /* csel with S = 1 */
		0x9a820820, /* csel with op2 = 1x */
		0x9ac20020, /* subp (MTE) */
		0xbac20020, /* subps (MTE) */
		0x9ac21020, /* irg (MTE) */
		0x9ac21420, /* gmi (MTE) */
		0x9ac23020, /* pacga (PAuth) */
		0x9ac20420, /* 2-source opcode 000001 */
		0x9ac26020, /* smax (CSSC) */
		0xbac20820, /* udiv with S = 1 */
		0x1ac24c20, /* crc32x at 32 bits */
		0x9ac24020, /* crc32b at 64 bits */
		0x5ac00c20, /* rev (64-bit opcode) at 32 bits */
		0xdac10020, /* pacia (PAuth) */
		0xdac143e0, /* xpaci (PAuth) */
		0xdac01820, /* ctz (CSSC) */
		0xdac01c20, /* cnt (CSSC) */
		0xdac02020, /* abs (CSSC) */
		0xfac00020, /* 1-source with S = 1 */
		0xbb020c20, /* 3-source op54 = 01 */
		0x9b620c20, /* 3-source op31 = 011 */
		0x1b220c20, /* smaddl at 32 bits */
		0x9b42fc20, /* smulh with o0 = 1 */
		0x1bc27c20, /* umulh at 32 bits */
		0x9b820c20, /* 3-source op31 = 100 */
		0x9be20c20, /* 3-source op31 = 111 */
		0x9a220020, /* register group op2 = 0001 */
		0x9a620020, /* op2 = 0011 */
		0x9aa20020, /* op2 = 0101 */
		0x9ae20020, /* op2 = 0111 */
		0x91810420, /* addg (MTE) */
		0xd1810420, /* subg (MTE) */
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct a64_op o;
		bool end = a64_decode(words[i], PC, &o);
		if (!end || o.cls != A64_CLS_INVALID) {
			fprintf(stderr, "decoded: %08x\n", words[i]);
			bad++;
		}
		/* the class decoder alone leaves it invalid and does not end the block */
		if (a64_decode_dp(words[i], PC, &o) || o.cls != A64_CLS_INVALID)
			bad++;
		a64_bind(&o);
		if (o.fn != a64_exec_undef)
			bad++;
	}
	CHECK(bad == 0);
}

/* Handlers read their op and never write it (ops are shared by threads running a block). */
static void test_op_readonly(void)
{
	static const uint32_t words[] = {
		0xb1000420 /* adds x0, x1, #1 */,
		0x8b22c820 /* add x0, x1, w2, sxtw #2 */,
		0x6ac20c20 /* ands w0, w1, w2, ror #3 */,
		0xb3764c40 /* bfi x0, x2, #10, #20 */,
		0xfa42002f /* ccmp x1, x2, #0xf, eq */,
		0x5a820420 /* csneg w0, w1, w2, eq */,
		0x9ac25c20 /* crc32cx w0, w1, x2 */,
		0x9bc27c20 /* umulh x0, x1, x2 */,
		0xf2d7dde0 /* movk x0, #0xbeef, lsl #32 */,
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct a64_op copy;
		reset();
		X(1) = 0x8000000000000001ull;
		X(2) = 0x1234;
		if (exec(words[i]) != 0)
			bad++;
		memcpy(&copy, &op, sizeof op);
		run_one(cpu, &op);
		if (memcmp(&copy, &op, sizeof op))
			bad++;
	}
	CHECK(bad == 0);
}

int main(void)
{
	cpu = calloc(1, sizeof *cpu);
	if (!cpu)
		return 1;
	test_addsub_imm();
	test_addsub_sreg();
	test_addsub_xreg();
	test_adc();
	test_logical_imm();
	test_logical_sreg();
	test_movewide();
	test_pcrel();
	test_bitfield();
	test_extr();
	test_condcmp();
	test_condsel();
	test_1src();
	test_2src();
	test_crc();
	test_3src();
	test_unallocated();
	test_op_readonly();
	free(cpu);
	return check_done();
}
