/* tests/unit: the AArch64 load/store class, front end (ldst.c) and interpreter (ldst-exec.c).
 * Real encodings (assembled with aarch64-linux-gnu-as, shown next to each word) are decoded,
 * bound and run on a CPU whose guest addresses are host addresses (base 0) into a test
 * buffer whose byte i holds i & 0xff. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "a64-block.h"
#include "check.h"
#include "emu/aarch64/a64.h"
#include "emu/aarch64/ldst.h"

static struct a64_cpu *cpu;
static uint8_t mem[8192] __attribute__((aligned(4096)));
static struct a64_op op;


#define G(off) ((uint64_t)(uintptr_t)(mem + (off)))
#define PC 0x400000ull

/* The pattern's n bytes (n <= 8) at off, little-endian. */
static uint64_t pat(unsigned off, unsigned n)
{
	uint64_t v = 0;
	for (unsigned j = 0; j < n; j++)
		v |= (uint64_t)((off + j) & 0xff) << (8 * j);
	return v;
}

static uint64_t rd(unsigned off, unsigned n)
{
	uint64_t v = 0;
	memcpy(&v, mem + off, n);
	return v;
}

static void wr(unsigned off, uint64_t v, unsigned n)
{
	memcpy(mem + off, &v, n);
}

static void reset(void)
{
	memset(cpu, 0, sizeof *cpu);
	for (unsigned i = 0; i < sizeof mem; i++)
		mem[i] = (uint8_t)i;
	for (unsigned r = 0; r < 31; r++)
		cpu->x[r] = 0xdead000000000000ull | r;
	for (unsigned r = 0; r < 32; r++)
		memset(&cpu->v[r], 0xee, 16);
	cpu->x[REG_SP] = 0x5555;
}

/* Decode at pc, bind, run; the op must belong to this class. Returns the handler's result. */
static int run_at(uint32_t insn, uint64_t pc)
{
	bool end = a64_decode(insn, pc, &op);
	a64_bind(&op);
	if (op.cls != A64_CLS_LDST || op.fn == a64_exec_undef || end) {
		fprintf(stderr, "insn %08x: not decoded as a load/store\n", insn);
		check_fail++;
		return -1;
	}
	cpu->cur_op = &op;
	cpu->exit = A64_EXIT_NONE;
	int r = run_one(cpu, &op);
	if (cpu->x[REG_ZR] != 0) {
		fprintf(stderr, "insn %08x: zero register written\n", insn);
		check_fail++;
	}
	return r;
}

static int run(uint32_t insn)
{
	return run_at(insn, PC);
}

static bool undefined(uint32_t insn)
{
	struct a64_op o;
	a64_decode(insn, PC, &o);
	a64_bind(&o);
	return o.cls == A64_CLS_INVALID && o.fn == a64_exec_undef;
}

static bool vzero_hi(unsigned r)
{
	return cpu->v[r].d[1] == 0;
}

static void test_single(void)
{
	reset();
	cpu->x[1] = G(0);
	CHECK(run(0xf9400420) == 0); /* ldr x0, [x1, #8] */
	CHECK(cpu->x[0] == pat(8, 8));
	CHECK(run(0xb9400420) == 0); /* ldr w0, [x1, #4] */
	CHECK(cpu->x[0] == pat(4, 4));
	run(0x39400420); /* ldrb w0, [x1, #1] */
	CHECK(cpu->x[0] == 1);
	run(0x79400420); /* ldrh w0, [x1, #2] */
	CHECK(cpu->x[0] == 0x0302);
	run(0x39c20020); /* ldrsb w0, [x1, #128] */
	CHECK(cpu->x[0] == 0xffffff80ull);
	run(0x79c10020); /* ldrsh w0, [x1, #128] */
	CHECK(cpu->x[0] == 0xffff8180ull);
	cpu->x[1] = G(0x90);
	run(0x39800020); /* ldrsb x0, [x1] */
	CHECK(cpu->x[0] == 0xffffffffffffff90ull);
	run(0x39c00020); /* ldrsb w0, [x1] */
	CHECK(cpu->x[0] == 0xffffff90ull);
	cpu->x[1] = G(0xa0);
	run(0x79800020); /* ldrsh x0, [x1] */
	CHECK(cpu->x[0] == 0xffffffffffffa1a0ull);
	run(0x79c00020); /* ldrsh w0, [x1] */
	CHECK(cpu->x[0] == 0xa1a0ull + 0xffff0000ull);
	cpu->x[1] = G(0xc0);
	run(0xb9800020); /* ldrsw x0, [x1] */
	CHECK(cpu->x[0] == 0xffffffffc3c2c1c0ull);
	cpu->x[1] = G(0x10);
	run(0xb9800020); /* ldrsw x0, [x1] (positive) */
	CHECK(cpu->x[0] == 0x13121110ull);
	run(0x39800020); /* ldrsb x0, [x1] (positive) */
	CHECK(cpu->x[0] == 0x10);

	/* Stores write exactly their size. */
	reset();
	cpu->x[1] = G(0x200);
	cpu->x[0] = 0x8877665544332211ull;
	run(0xf9000820); /* str x0, [x1, #16] */
	CHECK(rd(0x210, 8) == 0x8877665544332211ull && rd(0x218, 1) == 0x18);
	run(0xb9000420); /* str w0, [x1, #4] */
	CHECK(rd(0x204, 4) == 0x44332211u && rd(0x208, 1) == 0x08 && rd(0x203, 1) == 0x03);
	run(0x39000420); /* strb w0, [x1, #1] */
	CHECK(rd(0x201, 1) == 0x11 && rd(0x202, 1) == 0x02);
	run(0x79000420); /* strh w0, [x1, #2] */
	CHECK(rd(0x202, 2) == 0x2211);
	CHECK(rd(0x200, 1) == 0x00);

	/* Pre- and post-index with writeback, negative offsets. */
	reset();
	cpu->x[1] = G(0x100);
	run(0xf8408c20); /* ldr x0, [x1, #8]! */
	CHECK(cpu->x[0] == pat(0x108, 8) && cpu->x[1] == G(0x108));
	run(0xf8408420); /* ldr x0, [x1], #8 */
	CHECK(cpu->x[0] == pat(0x108, 8) && cpu->x[1] == G(0x110));
	run(0xf85f8c20); /* ldr x0, [x1, #-8]! */
	CHECK(cpu->x[0] == pat(0x108, 8) && cpu->x[1] == G(0x108));
	run(0xb85fc420); /* ldr w0, [x1], #-4 */
	CHECK(cpu->x[0] == pat(0x108, 4) && cpu->x[1] == G(0x104));
	cpu->x[0] = 0x1122334455667788ull;
	run(0xf81f0c20); /* str x0, [x1, #-16]! */
	CHECK(rd(0xf4, 8) == 0x1122334455667788ull && cpu->x[1] == G(0xf4));
	run(0x38001420); /* strb w0, [x1], #1 */
	CHECK(rd(0xf4, 1) == 0x88 && cpu->x[1] == G(0xf5));
	cpu->x[1] = G(0x7e);
	run(0x78802c20); /* ldrsh x0, [x1, #2]! */
	CHECK(cpu->x[0] == 0xffffffffffff8180ull && cpu->x[1] == G(0x80));

	/* Unscaled. */
	reset();
	cpu->x[1] = G(0x40);
	run(0xf85fd020); /* ldur x0, [x1, #-3] */
	CHECK(cpu->x[0] == pat(0x3d, 8));
	cpu->x[0] = 0xaabbccdd;
	run(0xb8001020); /* stur w0, [x1, #1] */
	CHECK(rd(0x41, 4) == 0xaabbccdd && rd(0x40, 1) == 0x40 && rd(0x45, 1) == 0x45);
	cpu->x[1] = G(0xf0);
	run(0xb8801020); /* ldursw x0, [x1, #1] */
	CHECK(cpu->x[0] == 0xfffffffff4f3f2f1ull);
	run(0x785ff020); /* ldurh w0, [x1, #-1] */
	CHECK(cpu->x[0] == 0xf0ef);
	CHECK(cpu->x[1] == G(0xf0)); /* no writeback */

	/* Unprivileged forms behave as plain accesses at EL0. */
	reset();
	cpu->x[1] = G(0x40);
	run(0xf8408820); /* ldtr x0, [x1, #8] */
	CHECK(cpu->x[0] == pat(0x48, 8));
	CHECK((op.flags & LDST_F_UNPRIV) && (op.flags & LDST_MODE_MASK) == LDST_OFF);
	cpu->x[0] = 0x77;
	run(0x381ff820); /* sttrb w0, [x1, #-1] */
	CHECK(rd(0x3f, 1) == 0x77);
	run(0xb8804820); /* ldtrsw x0, [x1, #4] */
	CHECK(cpu->x[0] == pat(0x44, 4));
	run(0x78402820); /* ldtrh w0, [x1, #2] */
	CHECK(cpu->x[0] == 0x4342);
	cpu->x[0] = 0x0102030405060708ull;
	run(0xf81f8820); /* sttr x0, [x1, #-8] */
	CHECK(rd(0x38, 8) == 0x0102030405060708ull);
	cpu->x[1] = G(0x01);
	run(0x38c7f820); /* ldtrsb w0, [x1, #127] */
	CHECK(cpu->x[0] == 0xffffff80ull);
}

static void test_regoff(void)
{
	reset();
	cpu->x[1] = G(0x100);
	cpu->x[2] = 0x10;
	run(0xf8626820); /* ldr x0, [x1, x2] */
	CHECK(cpu->x[0] == pat(0x110, 8));
	run(0xf8627820); /* ldr x0, [x1, x2, lsl #3] */
	CHECK(cpu->x[0] == pat(0x180, 8));
	run(0xb8626820); /* ldr w0, [x1, x2] */
	CHECK(cpu->x[0] == pat(0x110, 4));
	run(0x78627820); /* ldrh w0, [x1, x2, lsl #1] */
	CHECK(cpu->x[0] == pat(0x120, 2));
	run(0x38627820); /* ldrb w0, [x1, x2, lsl #0] */
	CHECK(cpu->x[0] == 0x10);
	cpu->x[2] = 0xffffffff00000004ull; /* UXTW ignores the upper half */
	run(0xb8625820); /* ldr w0, [x1, w2, uxtw #2] */
	CHECK(cpu->x[0] == pat(0x110, 4));
	cpu->x[2] = 0x12345678fffffff8ull; /* SXTW: -8 */
	run(0xf862c820); /* ldr x0, [x1, w2, sxtw] */
	CHECK(cpu->x[0] == pat(0xf8, 8));
	cpu->x[2] = 0xfffffffe; /* -2, scaled by 8 */
	run(0xf862d820); /* ldr x0, [x1, w2, sxtw #3] */
	CHECK(cpu->x[0] == pat(0xf0, 8));
	cpu->x[2] = (uint64_t)-3;
	run(0xf862f820); /* ldr x0, [x1, x2, sxtx #3] */
	CHECK(cpu->x[0] == pat(0xe8, 8));
	cpu->x[2] = 0x90 - 0x100;
	run(0x38a26820); /* ldrsb x0, [x1, x2] */
	CHECK(cpu->x[0] == 0xffffffffffffff90ull);
	run(0x38a27820); /* ldrsb x0, [x1, x2, lsl #0] */
	CHECK(cpu->x[0] == 0xffffffffffffff90ull);
	cpu->x[0] = 0xabcd;
	cpu->x[2] = 3;
	run(0x78225820); /* strh w0, [x1, w2, uxtw #1] */
	CHECK(rd(0x106, 2) == 0xabcd);
	cpu->x[2] = (uint64_t)-1;
	run(0xb822d820); /* str w0, [x1, w2, sxtw #2] */
	CHECK(rd(0xfc, 4) == 0xabcd);
	cpu->x[2] = 0x100000005ull;
	run(0x38224820); /* strb w0, [x1, w2, uxtw] */
	CHECK(rd(0x105, 1) == 0xcd);
	CHECK(cpu->x[1] == G(0x100));
}

static void test_literal(void)
{
	reset();
	uint64_t pc = G(0x100);
	run_at(0x58000080, pc); /* ldr x0, .+16 */
	CHECK(cpu->x[0] == pat(0x110, 8));
	CHECK(op.rn == REG_ZR && op.imm == (int64_t)G(0x110) && (op.flags & LDST_F_LIT));
	run_at(0x18ffffc0, pc); /* ldr w0, .-8 */
	CHECK(cpu->x[0] == pat(0xf8, 4));
	run_at(0x98000400, pc); /* ldrsw x0, .+0x80 */
	CHECK(cpu->x[0] == 0xffffffff83828180ull);
	run_at(0x9c000100, pc); /* ldr q0, .+32 */
	CHECK(cpu->v[0].d[0] == pat(0x120, 8) && cpu->v[0].d[1] == pat(0x128, 8));
	run_at(0x1c000020, pc); /* ldr s0, .+4 */
	CHECK(cpu->v[0].d[0] == pat(0x104, 4) && vzero_hi(0));
	run_at(0x5cffff80, pc); /* ldr d0, .-16 */
	CHECK(cpu->v[0].d[0] == pat(0xf0, 8) && vzero_hi(0));
	CHECK(run_at(0xd8000040, pc) == 0); /* prfm pldl1keep, .+8 */
	CHECK(op.kind == LDST_PRFM);
}

static void test_sp_zr_overlap(void)
{
	reset();
	cpu->x[REG_SP] = G(0x200);
	run(0xf94007e0); /* ldr x0, [sp, #8] */
	CHECK(cpu->x[0] == pat(0x208, 8));
	cpu->x[0] = 0x1234;
	run(0xf81f0fe0); /* str x0, [sp, #-16]! */
	CHECK(cpu->x[REG_SP] == G(0x1f0) && rd(0x1f0, 8) == 0x1234);
	run(0xa8c17bfd); /* ldp x29, x30, [sp], #16 */
	CHECK(cpu->x[29] == 0x1234 && cpu->x[30] == pat(0x1f8, 8) && cpu->x[REG_SP] == G(0x200));
	run(0xf84107e0); /* ldr x0, [sp], #16 */
	CHECK(cpu->x[0] == pat(0x200, 8) && cpu->x[REG_SP] == G(0x210));

	/* XZR as a source stores zeros; as a destination it is discarded. */
	cpu->x[1] = G(0x300);
	run(0xf900003f); /* str xzr, [x1] */
	CHECK(rd(0x300, 8) == 0);
	CHECK(op.rd == REG_ZR);
	cpu->x[1] = G(0x310);
	run(0xa9007c3f); /* stp xzr, xzr, [x1] */
	CHECK(rd(0x310, 8) == 0 && rd(0x318, 8) == 0);
	cpu->x[1] = G(0x320);
	run(0x3900003f); /* strb wzr, [x1] */
	CHECK(rd(0x320, 1) == 0 && rd(0x321, 1) == 0x21);
	run(0xf940003f); /* ldr xzr, [x1] */
	CHECK(op.rd == REG_ZW && cpu->x[REG_ZR] == 0);

	/* Rn == Rt with writeback (CONSTRAINED UNPREDICTABLE): the base gets the address. */
	reset();
	cpu->x[1] = G(0x100);
	run(0xf8408421); /* ldr x1, [x1], #8 */
	CHECK(cpu->x[1] == G(0x108));
	run(0xf8408c21); /* ldr x1, [x1, #8]! */
	CHECK(cpu->x[1] == G(0x110));
	run(0xf8008421); /* str x1, [x1], #8: stores the old base */
	CHECK(rd(0x110, 8) == G(0x110) && cpu->x[1] == G(0x118));
	run(0xa9bf0821); /* stp x1, x2, [x1, #-16]! */
	CHECK(rd(0x108, 8) == G(0x118) && cpu->x[1] == G(0x108));
	cpu->x[1] = G(0x140);
	run(0xa8c10821); /* ldp x1, x2, [x1], #16 */
	CHECK(cpu->x[1] == G(0x150) && cpu->x[2] == pat(0x148, 8));
	cpu->x[0] = G(0x40);
	run(0xa9400401); /* ldp x1, x1, [x0]: the first element wins, as qemu */
	CHECK(cpu->x[1] == pat(0x40, 8));
	run(0x6d400000); /* ldp d0, d0, [x0]: the second element wins, as qemu */
	CHECK(cpu->v[0].d[0] == pat(0x48, 8));
	run(0xc87f0401); /* ldxp x1, x1, [x0]: the second element wins, as qemu */
	CHECK(cpu->x[1] == pat(0x48, 8));
}

static void test_pairs(void)
{
	reset();
	cpu->x[2] = G(0x100);
	run(0x29410440); /* ldp w0, w1, [x2, #8] */
	CHECK(cpu->x[0] == pat(0x108, 4) && cpu->x[1] == pat(0x10c, 4));
	run(0xa9ff0440); /* ldp x0, x1, [x2, #-16]! */
	CHECK(cpu->x[0] == pat(0xf0, 8) && cpu->x[1] == pat(0xf8, 8) && cpu->x[2] == G(0xf0));
	cpu->x[2] = G(0x80);
	run(0x69400440); /* ldpsw x0, x1, [x2] */
	CHECK(cpu->x[0] == 0xffffffff83828180ull && cpu->x[1] == 0xffffffff87868584ull);
	run(0x68c10440); /* ldpsw x0, x1, [x2], #8 */
	CHECK(cpu->x[0] == 0xffffffff83828180ull && cpu->x[2] == G(0x88));
	run(0x69ff0440); /* ldpsw x0, x1, [x2, #-8]! */
	CHECK(cpu->x[1] == 0xffffffff87868584ull && cpu->x[2] == G(0x80));
	cpu->x[2] = G(0x20);
	run(0xa9400440); /* ldp x0, x1, [x2] */
	CHECK(cpu->x[0] == pat(0x20, 8) && cpu->x[1] == pat(0x28, 8));
	run(0xa9c10440); /* ldp x0, x1, [x2, #16]! */
	CHECK(cpu->x[0] == pat(0x30, 8) && cpu->x[2] == G(0x30));
	run(0xa8400440); /* ldnp x0, x1, [x2] */
	CHECK(op.kind == LDST_LDP && (op.flags & LDST_F_NT));
	CHECK(cpu->x[0] == pat(0x30, 8) && cpu->x[1] == pat(0x38, 8));

	cpu->x[0] = 0x1111111122222222ull;
	cpu->x[1] = 0x3333333344444444ull;
	cpu->x[2] = G(0x400);
	run(0x29008440); /* stp w0, w1, [x2, #4] */
	CHECK(rd(0x404, 4) == 0x22222222 && rd(0x408, 4) == 0x44444444 && rd(0x40c, 1) == 0x0c);
	run(0xa8810440); /* stp x0, x1, [x2], #16 */
	CHECK(rd(0x400, 8) == cpu->x[0] && rd(0x408, 8) == cpu->x[1] && cpu->x[2] == G(0x410));
	run(0x28010440); /* stnp w0, w1, [x2, #8] */
	CHECK(rd(0x418, 4) == 0x22222222 && rd(0x41c, 4) == 0x44444444);
	run(0xa9810440); /* stp x0, x1, [x2, #16]! */
	CHECK(rd(0x420, 8) == cpu->x[0] && cpu->x[2] == G(0x420));
}

static void setv(unsigned r, uint64_t lo, uint64_t hi)
{
	cpu->v[r].d[0] = lo;
	cpu->v[r].d[1] = hi;
}

static void test_simd_single(void)
{
	reset();
	cpu->x[1] = G(0x100);
	run(0x3d400420); /* ldr b0, [x1, #1] */
	CHECK(cpu->v[0].d[0] == 0x01 && vzero_hi(0));
	memset(&cpu->v[0], 0xee, 16);
	run(0x7d400420); /* ldr h0, [x1, #2] */
	CHECK(cpu->v[0].d[0] == pat(0x102, 2) && vzero_hi(0));
	memset(&cpu->v[0], 0xee, 16);
	run(0xbd400420); /* ldr s0, [x1, #4] */
	CHECK(cpu->v[0].d[0] == pat(0x104, 4) && vzero_hi(0));
	memset(&cpu->v[0], 0xee, 16);
	run(0xfd400420); /* ldr d0, [x1, #8] */
	CHECK(cpu->v[0].d[0] == pat(0x108, 8) && vzero_hi(0));
	run(0x3dc00420); /* ldr q0, [x1, #16] */
	CHECK(cpu->v[0].d[0] == pat(0x110, 8) && cpu->v[0].d[1] == pat(0x118, 8));
	run(0x3dc00020); /* ldr q0, [x1] */
	CHECK(cpu->v[0].d[0] == pat(0x100, 8));
	run(0x3cc10c20); /* ldr q0, [x1, #16]! */
	CHECK(cpu->v[0].d[0] == pat(0x110, 8) && cpu->x[1] == G(0x110));
	memset(&cpu->v[0], 0xee, 16);
	run(0xfc408420); /* ldr d0, [x1], #8 */
	CHECK(cpu->v[0].d[0] == pat(0x110, 8) && vzero_hi(0) && cpu->x[1] == G(0x118));
	run(0x3cdff020); /* ldur q0, [x1, #-1] */
	CHECK(cpu->v[0].d[0] == pat(0x117, 8) && cpu->v[0].d[1] == pat(0x11f, 8));
	run(0xfc5fd020); /* ldur d0, [x1, #-3] */
	CHECK(cpu->v[0].d[0] == pat(0x115, 8) && vzero_hi(0));
	cpu->x[1] = G(0x100);
	cpu->x[2] = 2;
	run(0x3ce27820); /* ldr q0, [x1, x2, lsl #4] */
	CHECK(cpu->v[0].d[0] == pat(0x120, 8) && cpu->v[0].d[1] == pat(0x128, 8));
	cpu->x[2] = 0xffffffff; /* -1 */
	memset(&cpu->v[0], 0xee, 16);
	run(0xbc62d820); /* ldr s0, [x1, w2, sxtw #2] */
	CHECK(cpu->v[0].d[0] == pat(0xfc, 4) && vzero_hi(0));

	setv(0, 0x8877665544332211ull, 0xffeeddccbbaa9900ull);
	setv(1, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
	cpu->x[1] = G(0x400);
	run(0x3d000020); /* str b0, [x1] */
	CHECK(rd(0x400, 1) == 0x11 && rd(0x401, 1) == 0x01);
	run(0x7d000020); /* str h0, [x1] */
	CHECK(rd(0x400, 2) == 0x2211 && rd(0x402, 1) == 0x02);
	run(0xbd000020); /* str s0, [x1] */
	CHECK(rd(0x400, 4) == 0x44332211 && rd(0x404, 1) == 0x04);
	run(0xfd000020); /* str d0, [x1] */
	CHECK(rd(0x400, 8) == 0x8877665544332211ull && rd(0x408, 1) == 0x08);
	run(0x3d800020); /* str q0, [x1] */
	CHECK(rd(0x408, 8) == 0xffeeddccbbaa9900ull && rd(0x410, 1) == 0x10);
	run(0x3c803021); /* stur q1, [x1, #3] */
	CHECK(rd(0x403, 8) == 0x0706050403020100ull && rd(0x40b, 8) == 0x0f0e0d0c0b0a0908ull);
	run(0x3c9e0c21); /* str q1, [x1, #-32]! */
	CHECK(rd(0x3e0, 8) == 0x0706050403020100ull && cpu->x[1] == G(0x3e0));
	cpu->x[2] = 1;
	run(0x3ca27820); /* str q0, [x1, x2, lsl #4] */
	CHECK(rd(0x3f0, 8) == 0x8877665544332211ull && rd(0x3f8, 8) == 0xffeeddccbbaa9900ull);
	cpu->x[1] = G(0x500);
	run(0x7c001020); /* stur h0, [x1, #1] */
	CHECK(rd(0x501, 2) == 0x2211 && rd(0x500, 1) == 0x00 && rd(0x503, 1) == 0x03);

	/* Pairs of S, D and Q registers. */
	reset();
	cpu->x[0] = G(0x100);
	run(0x2d400400); /* ldp s0, s1, [x0] */
	CHECK(cpu->v[0].d[0] == pat(0x100, 4) && vzero_hi(0));
	CHECK(cpu->v[1].d[0] == pat(0x104, 4) && vzero_hi(1));
	run(0x6dc10400); /* ldp d0, d1, [x0, #16]! */
	CHECK(cpu->v[0].d[0] == pat(0x110, 8) && cpu->v[1].d[0] == pat(0x118, 8) && vzero_hi(1));
	CHECK(cpu->x[0] == G(0x110));
	run(0xacc10400); /* ldp q0, q1, [x0], #32 */
	CHECK(cpu->v[0].d[1] == pat(0x118, 8) && cpu->v[1].d[0] == pat(0x120, 8) &&
	      cpu->v[1].d[1] == pat(0x128, 8) && cpu->x[0] == G(0x130));
	run(0xac400400); /* ldnp q0, q1, [x0] */
	CHECK(cpu->v[0].d[0] == pat(0x130, 8) && cpu->v[1].d[1] == pat(0x148, 8));
	setv(0, 0x1111111111111111ull, 0x2222222222222222ull);
	setv(1, 0x3333333333333333ull, 0x4444444444444444ull);
	cpu->x[0] = G(0x400);
	run(0x2d000400); /* stp s0, s1, [x0] */
	CHECK(rd(0x400, 4) == 0x11111111 && rd(0x404, 4) == 0x33333333 && rd(0x408, 1) == 0x08);
	run(0x6d008400); /* stp d0, d1, [x0, #8] */
	CHECK(rd(0x408, 8) == 0x1111111111111111ull && rd(0x410, 8) == 0x3333333333333333ull);
	run(0xadbf0400); /* stp q0, q1, [x0, #-32]! */
	CHECK(rd(0x3e0, 8) == 0x1111111111111111ull && rd(0x3e8, 8) == 0x2222222222222222ull &&
	      rd(0x3f0, 8) == 0x3333333333333333ull && rd(0x3f8, 8) == 0x4444444444444444ull &&
	      cpu->x[0] == G(0x3e0));
}

static void test_prfm(void)
{
	reset();
	cpu->x[1] = 0x10; /* nowhere: a prefetch never faults */
	cpu->x[2] = 0x1234;
	CHECK(run(0xf9800420) == 0); /* prfm pldl1keep, [x1, #8] */
	CHECK(run(0xf89ff020) == 0); /* prfum pldl1keep, [x1, #-1] */
	CHECK(run(0xf8a26820) == 0); /* prfm pldl1keep, [x1, x2] */
	CHECK(cpu->x[1] == 0x10 && cpu->x[2] == 0x1234);
}

static void test_exclusive(void)
{
	reset();
	cpu->x[1] = G(0x40);
	run(0xc85f7c20); /* ldxr x0, [x1] */
	CHECK(cpu->x[0] == pat(0x40, 8) && cpu->excl_size == 8 && cpu->excl_addr == G(0x40));
	cpu->x[3] = 0x1234;
	run(0xc8027c23); /* stxr w2, x3, [x1] */
	CHECK(cpu->x[2] == 0 && rd(0x40, 8) == 0x1234 && cpu->excl_size == 0);
	cpu->x[3] = 0x5678;
	run(0xc8027c23); /* stxr w2, x3, [x1]: monitor now open -> fails */
	CHECK(cpu->x[2] == 1 && rd(0x40, 8) == 0x1234);

	/* The value changed between the two: fails, memory keeps the other writer's value. */
	run(0xc85f7c20); /* ldxr x0, [x1] */
	wr(0x40, 0x9999, 8);
	run(0xc8027c23); /* stxr w2, x3, [x1] */
	CHECK(cpu->x[2] == 1 && rd(0x40, 8) == 0x9999 && cpu->excl_size == 0);

	/* Another address: fails without touching memory. */
	run(0xc85f7c20); /* ldxr x0, [x1] */
	cpu->x[1] = G(0x48);
	run(0xc8027c23); /* stxr w2, x3, [x1] */
	CHECK(cpu->x[2] == 1 && rd(0x48, 8) == pat(0x48, 8) && cpu->excl_size == 0);

	/* Byte, halfword, word with acquire/release. */
	cpu->x[1] = G(0x41);
	cpu->x[3] = 0x1ab;
	run(0x085f7c20); /* ldxrb w0, [x1] */
	CHECK(cpu->x[0] == 0x99 && cpu->excl_size == 1);
	run(0x08027c23); /* stxrb w2, w3, [x1] */
	CHECK(cpu->x[2] == 0 && rd(0x41, 1) == 0xab && rd(0x42, 1) == 0);
	cpu->x[1] = G(0x50);
	run(0x485f7c20); /* ldxrh w0, [x1] */
	CHECK(cpu->x[0] == pat(0x50, 2));
	run(0x48027c23); /* stxrh w2, w3, [x1] */
	CHECK(cpu->x[2] == 0 && rd(0x50, 2) == 0x01ab);
	run(0x885ffc20); /* ldaxr w0, [x1] */
	CHECK(cpu->x[0] == (pat(0x52, 2) << 16 | 0x01ab) && (op.flags & LDST_F_ACQ));
	cpu->x[3] = 0xfeedface;
	run(0x8802fc23); /* stlxr w2, w3, [x1] */
	CHECK(cpu->x[2] == 0 && rd(0x50, 4) == 0xfeedface && (op.flags & LDST_F_REL));

	/* Pairs. */
	cpu->x[2] = G(0x60);
	run(0xc87f0440); /* ldxp x0, x1, [x2] */
	CHECK(cpu->x[0] == pat(0x60, 8) && cpu->x[1] == pat(0x68, 8) && cpu->excl_size == 16);
	cpu->x[4] = 0xaaaa;
	cpu->x[5] = 0xbbbb;
	run(0xc8231444); /* stxp w3, x4, x5, [x2] */
	CHECK(cpu->x[3] == 0 && rd(0x60, 8) == 0xaaaa && rd(0x68, 8) == 0xbbbb);
	run(0xc8231444); /* stxp again: fails */
	CHECK(cpu->x[3] == 1);
	run(0xc87f0440); /* ldxp x0, x1, [x2] */
	wr(0x68, 1, 8); /* the high half changes */
	run(0xc8231444); /* stxp w3, x4, x5, [x2] */
	CHECK(cpu->x[3] == 1 && rd(0x68, 8) == 1);
	cpu->x[2] = G(0x78);
	run(0x887f8440); /* ldaxp w0, w1, [x2] */
	CHECK(cpu->x[0] == pat(0x78, 4) && cpu->x[1] == pat(0x7c, 4) && cpu->excl_size == 8);
	cpu->x[4] = 0x11112222;
	cpu->x[5] = 0x33334444;
	run(0x88239444); /* stlxp w3, w4, w5, [x2] */
	CHECK(cpu->x[3] == 0 && rd(0x78, 4) == 0x11112222 && rd(0x7c, 4) == 0x33334444);

	/* Misaligned: an alignment exit at the op's pc, nothing written. */
	reset();
	cpu->x[1] = G(0x44);
	CHECK(run(0xc85f7c20) == 1); /* ldxr x0, [x1] */
	CHECK(cpu->exit == A64_EXIT_ALIGN && cpu->fault_addr == G(0x44) && cpu->pc == PC);
	CHECK(cpu->x[0] == 0xdead000000000000ull && cpu->excl_size == 0);
	cpu->x[1] = G(0x41);
	CHECK(run(0x485f7c20) == 1 && cpu->exit == A64_EXIT_ALIGN); /* ldxrh w0, [x1] */
	cpu->x[2] = G(0x48);
	CHECK(run(0xc87f0440) == 1 && cpu->exit == A64_EXIT_ALIGN); /* ldxp x0, x1, [x2] */
	CHECK(cpu->x[0] == 0xdead000000000000ull && cpu->x[1] == G(0x41));
	cpu->x[2] = G(0x44);
	CHECK(run(0x887f0440) == 1 && cpu->exit == A64_EXIT_ALIGN); /* ldxp w0, w1, [x2] */
	/* An armed monitor at an odd address, then a wider store-exclusive there. */
	cpu->x[1] = G(0x41);
	CHECK(run(0x085f7c20) == 0); /* ldxrb w0, [x1] */
	CHECK(run(0xc8027c23) == 1 && cpu->exit == A64_EXIT_ALIGN); /* stxr w2, x3, [x1] */
	CHECK(cpu->x[2] == G(0x44) && cpu->fault_write && cpu->excl_size == 1);
}

static void test_ordered(void)
{
	reset();
	cpu->x[1] = G(0x80);
	run(0xc8dffc20); /* ldar x0, [x1] */
	CHECK(cpu->x[0] == pat(0x80, 8));
	run(0x08dffc20); /* ldarb w0, [x1] */
	CHECK(cpu->x[0] == 0x80);
	run(0x48dffc20); /* ldarh w0, [x1] */
	CHECK(cpu->x[0] == 0x8180);
	run(0x88dffc20); /* ldar w0, [x1] */
	CHECK(cpu->x[0] == 0x83828180);
	run(0xf8bfc020); /* ldapr x0, [x1] */
	CHECK(cpu->x[0] == pat(0x80, 8) && op.kind == LDST_LDAPR);
	run(0x38bfc020); /* ldaprb w0, [x1] */
	CHECK(cpu->x[0] == 0x80);
	run(0xc8df7c20); /* ldlar x0, [x1] */
	CHECK(cpu->x[0] == pat(0x80, 8));
	cpu->x[1] = G(0x88);
	run(0xd95f8020); /* ldapur x0, [x1, #-8] */
	CHECK(cpu->x[0] == pat(0x80, 8));
	cpu->x[1] = G(0x8f);
	run(0x19c01020); /* ldapursb w0, [x1, #1] */
	CHECK(cpu->x[0] == 0xffffff90ull);
	cpu->x[1] = G(0x90);
	run(0x99804020); /* ldapursw x0, [x1, #4] */
	CHECK(cpu->x[0] == 0xffffffff97969594ull);

	cpu->x[0] = 0x0123456789abcdefull;
	cpu->x[1] = G(0x200);
	run(0xc89ffc20); /* stlr x0, [x1] */
	CHECK(rd(0x200, 8) == 0x0123456789abcdefull);
	cpu->x[1] = G(0x210);
	run(0x089ffc20); /* stlrb w0, [x1] */
	CHECK(rd(0x210, 1) == 0xef && rd(0x211, 1) == 0x11);
	run(0x489ffc20); /* stlrh w0, [x1] */
	CHECK(rd(0x210, 2) == 0xcdef && rd(0x212, 1) == 0x12);
	run(0x889ffc20); /* stlr w0, [x1] */
	CHECK(rd(0x210, 4) == 0x89abcdef && rd(0x214, 1) == 0x14);
	cpu->x[1] = G(0x220);
	run(0x889f7c20); /* stllr w0, [x1] */
	CHECK(rd(0x220, 4) == 0x89abcdef);
	run(0x59002020); /* stlurh w0, [x1, #2] */
	CHECK(rd(0x222, 2) == 0xcdef);

	/* Misaligned ordered accesses fault (LDAPR excepted, as in qemu 7.2). */
	cpu->x[1] = G(0x81);
	CHECK(run(0xc8dffc20) == 1 && cpu->exit == A64_EXIT_ALIGN); /* ldar x0, [x1] */
	CHECK(cpu->fault_addr == G(0x81) && !cpu->fault_write);
	CHECK(run(0xc89ffc20) == 1 && cpu->exit == A64_EXIT_ALIGN); /* stlr x0, [x1] */
	CHECK(cpu->fault_write && rd(0x81, 8) == pat(0x81, 8));
	cpu->x[0] = 0;
	CHECK(run(0xf8bfc020) == 0 && cpu->x[0] == pat(0x81, 8)); /* ldapr x0, [x1] */
	cpu->x[1] = G(0x40);
	CHECK(run(0x99003020) == 1 && cpu->exit == A64_EXIT_ALIGN); /* stlur w0, [x1, #3] */
	CHECK(cpu->fault_addr == G(0x43));
}

static void test_atomics(void)
{
	reset();
	cpu->x[2] = G(0x100);
	wr(0x100, 10, 8);
	cpu->x[0] = 5;
	run(0xf8200041); /* ldadd x0, x1, [x2] */
	CHECK(cpu->x[1] == 10 && rd(0x100, 8) == 15);
	wr(0x100, 0xffffffff, 4);
	cpu->x[0] = 2;
	run(0xb8e00041); /* ldaddal w0, w1, [x2] */
	CHECK(cpu->x[1] == 0xffffffff && rd(0x100, 4) == 1 && rd(0x104, 4) == 0);
	CHECK((op.flags & (LDST_F_ACQ | LDST_F_REL)) == (LDST_F_ACQ | LDST_F_REL));
	wr(0x100, 0xff, 1);
	run(0x38200041); /* ldaddb w0, w1, [x2] */
	CHECK(cpu->x[1] == 0xff && rd(0x100, 1) == 1 && rd(0x101, 1) == 0);
	wr(0x100, 0xfffe, 2);
	cpu->x[0] = 0x10003;
	run(0x78200041); /* ldaddh w0, w1, [x2] */
	CHECK(cpu->x[1] == 0xfffe && rd(0x100, 2) == 1 && rd(0x102, 2) == 0);
	wr(0x100, 0xff00ff, 8);
	cpu->x[0] = 0xf0;
	run(0xf8201041); /* ldclr x0, x1, [x2] */
	CHECK(cpu->x[1] == 0xff00ff && rd(0x100, 8) == 0xff000f);
	cpu->x[0] = 0xffff;
	run(0xb8a02041); /* ldeora w0, w1, [x2] */
	CHECK(cpu->x[1] == 0xff000f && rd(0x100, 4) == 0xfffff0);
	cpu->x[0] = 0x100000000ull;
	run(0xf8603041); /* ldsetl x0, x1, [x2] */
	CHECK(cpu->x[1] == 0xfffff0 && rd(0x100, 8) == 0x100fffff0ull);
	wr(0x100, (uint64_t)-5, 8);
	cpu->x[0] = 3;
	run(0xf8204041); /* ldsmax x0, x1, [x2] */
	CHECK(cpu->x[1] == (uint64_t)-5 && rd(0x100, 8) == 3);
	cpu->x[0] = (uint64_t)-7;
	run(0xf8204041); /* ldsmax x0, x1, [x2]: 3 stays */
	CHECK(cpu->x[1] == 3 && rd(0x100, 8) == 3);
	wr(0x100, 0x80, 1);
	cpu->x[0] = 5;
	run(0x38205041); /* ldsminb w0, w1, [x2]: -128 stays, old value zero-extended */
	CHECK(cpu->x[1] == 0x80 && rd(0x100, 1) == 0x80);
	wr(0x100, 0x80000000, 4);
	run(0xb8206041); /* ldumax w0, w1, [x2] */
	CHECK(cpu->x[1] == 0x80000000 && rd(0x100, 4) == 0x80000000);
	wr(0x100, 0x8000, 2);
	run(0x78207041); /* lduminh w0, w1, [x2] */
	CHECK(cpu->x[1] == 0x8000 && rd(0x100, 2) == 5);
	wr(0x100, 0x8000, 2);
	cpu->x[0] = 1;
	run(0x78204041); /* ldsmaxh w0, w1, [x2] */
	CHECK(cpu->x[1] == 0x8000 && rd(0x100, 2) == 1);
	wr(0x100, 0x1122334455667788ull, 8);
	cpu->x[0] = 0xabc;
	run(0xf8208041); /* swp x0, x1, [x2] */
	CHECK(cpu->x[1] == 0x1122334455667788ull && rd(0x100, 8) == 0xabc);
	cpu->x[0] = 0x1ff;
	run(0x38e08041); /* swpalb w0, w1, [x2] */
	CHECK(cpu->x[1] == 0xbc && rd(0x100, 2) == 0x0aff);
	wr(0x100, 100, 8);
	cpu->x[0] = 23;
	cpu->x[1] = 0x77;
	run(0xf820005f); /* stadd x0, [x2] */
	CHECK(rd(0x100, 8) == 123 && op.rd == REG_ZW && cpu->x[1] == 0x77);
	cpu->x[0] = 3;
	run(0xb860105f); /* stclrl w0, [x2] */
	CHECK(rd(0x100, 8) == 120);

	cpu->x[2] = G(0x102);
	cpu->x[1] = 0x42;
	CHECK(run(0xf8200041) == 1 && cpu->exit == A64_EXIT_ALIGN); /* ldadd x0, x1, [x2] */
	CHECK(cpu->x[1] == 0x42 && rd(0x100, 8) == 120 && cpu->fault_addr == G(0x102));
	CHECK(run(0x78200041) == 0); /* ldaddh w0, w1, [x2]: halfword aligned */
}

static void test_cas(void)
{
	reset();
	cpu->x[2] = G(0x100);
	wr(0x100, 100, 8);
	cpu->x[0] = 100;
	cpu->x[1] = 200;
	run(0xc8a07c41); /* cas x0, x1, [x2] */
	CHECK(cpu->x[0] == 100 && rd(0x100, 8) == 200);
	cpu->x[0] = 5;
	run(0xc8a07c41); /* cas x0, x1, [x2]: fails, x0 gets the value */
	CHECK(cpu->x[0] == 200 && rd(0x100, 8) == 200);
	wr(0x100, 0xfe, 1);
	cpu->x[0] = 0x1fe; /* compared at the access size */
	cpu->x[1] = 0x7;
	run(0x08a07c41); /* casb w0, w1, [x2] */
	CHECK(cpu->x[0] == 0xfe && rd(0x100, 1) == 7 && rd(0x101, 1) == 0);
	wr(0x100, 0xbeef, 2);
	cpu->x[0] = 0xbeef;
	cpu->x[1] = 0x12345;
	run(0x48a07c41); /* cash w0, w1, [x2] */
	CHECK(cpu->x[0] == 0xbeef && rd(0x100, 2) == 0x2345);
	wr(0x100, 0x80000000, 4);
	cpu->x[0] = 0xffffffff80000000ull;
	cpu->x[1] = 9;
	run(0x88e0fc41); /* casal w0, w1, [x2] */
	CHECK(cpu->x[0] == 0x80000000 && rd(0x100, 4) == 9);
	wr(0x100, 0, 8);
	cpu->x[1] = 0x55;
	run(0xc8bf7c41); /* cas xzr, x1, [x2] */
	CHECK(rd(0x100, 8) == 0x55 && cpu->x[REG_ZR] == 0);
	run(0xc8bf7c41); /* cas xzr, x1, [x2]: fails, result discarded */
	CHECK(rd(0x100, 8) == 0x55 && cpu->x[REG_ZR] == 0);

	/* CASP, 64-bit and 32-bit pairs. */
	cpu->x[4] = G(0x200);
	wr(0x200, 1, 8);
	wr(0x208, 2, 8);
	cpu->x[0] = 1;
	cpu->x[1] = 2;
	cpu->x[2] = 3;
	cpu->x[3] = 4;
	run(0x48207c82); /* casp x0, x1, x2, x3, [x4] */
	CHECK(rd(0x200, 8) == 3 && rd(0x208, 8) == 4 && cpu->x[0] == 1 && cpu->x[1] == 2);
	run(0x48207c82); /* casp again: fails, x0:x1 get the value */
	CHECK(rd(0x200, 8) == 3 && cpu->x[0] == 3 && cpu->x[1] == 4);
	cpu->x[0] = 3;
	cpu->x[1] = 5;
	run(0x48207c82); /* casp: high half differs -> fails */
	CHECK(rd(0x208, 8) == 4 && cpu->x[1] == 4);
	cpu->x[4] = G(0x218);
	wr(0x218, 0x2222222211111111ull, 8);
	cpu->x[0] = 0x11111111;
	cpu->x[1] = 0x22222222;
	cpu->x[2] = 0xaaaa;
	cpu->x[3] = 0xbbbb;
	run(0x0860fc82); /* caspal w0, w1, w2, w3, [x4] */
	CHECK(rd(0x218, 8) == 0x0000bbbb0000aaaaull && cpu->x[0] == 0x11111111 &&
	      cpu->x[1] == 0x22222222);
	cpu->x[4] = G(0x220);
	wr(0x220, 0x77, 8);
	wr(0x228, 0, 8);
	cpu->x[30] = 0x77;
	run(0x483e7c82); /* casp x30, xzr, x2, x3, [x4] */
	CHECK(rd(0x220, 8) == 0xaaaa && rd(0x228, 8) == 0xbbbb && cpu->x[REG_ZR] == 0);
	cpu->x[4] = G(0x228);
	CHECK(run(0x48207c82) == 1 && cpu->exit == A64_EXIT_ALIGN); /* casp x0, x1, x2, x3, [x4] */
	CHECK(cpu->x[0] == 0x11111111);
	cpu->x[2] = G(0x101);
	CHECK(run(0x48a07c41) == 1 && cpu->exit == A64_EXIT_ALIGN); /* cash w0, w1, [x2] */
}

/* v[r] := bytes base+16r .. base+16r+15 */
static void seqv(unsigned first, unsigned n, unsigned base)
{
	for (unsigned r = 0; r < n; r++)
		for (unsigned i = 0; i < 16; i++)
			cpu->v[(first + r) & 31].b[i] = (uint8_t)(base + 16 * r + i);
}

static void test_struct_mult(void)
{
	reset();
	cpu->x[0] = G(0);
	run(0x4c407000); /* ld1 {v0.16b}, [x0] */
	CHECK(cpu->v[0].d[0] == pat(0, 8) && cpu->v[0].d[1] == pat(8, 8) && cpu->x[0] == G(0));
	run(0x0c407000); /* ld1 {v0.8b}, [x0] */
	CHECK(cpu->v[0].d[0] == pat(0, 8) && vzero_hi(0));
	run(0x4cdf2800); /* ld1 {v0.4s-v3.4s}, [x0], #64 */
	CHECK(cpu->x[0] == G(64));
	for (unsigned r = 0; r < 4; r++)
		CHECK(cpu->v[r].d[0] == pat(16 * r, 8) && cpu->v[r].d[1] == pat(16 * r + 8, 8));
	cpu->x[3] = 100;
	run(0x4cc3ac01); /* ld1 {v1.2d, v2.2d}, [x0], x3 */
	CHECK(cpu->v[1].d[0] == pat(64, 8) && cpu->v[2].d[1] == pat(88, 8) && cpu->x[0] == G(164));
	cpu->x[0] = G(0);
	run(0x4c40a01f); /* ld1 {v31.16b, v0.16b}, [x0] */
	CHECK(cpu->v[31].d[0] == pat(0, 8) && cpu->v[0].d[0] == pat(16, 8));
	run(0x0c406c00); /* ld1 {v0.1d-v2.1d}, [x0] */
	CHECK(cpu->v[0].d[0] == pat(0, 8) && cpu->v[1].d[0] == pat(8, 8) &&
	      cpu->v[2].d[0] == pat(16, 8) && vzero_hi(0) && vzero_hi(1) && vzero_hi(2));

	/* Interleaved: element e of register r is memory element e * n + r. */
	reset();
	cpu->x[0] = G(0);
	run(0x4c408400); /* ld2 {v0.8h, v1.8h}, [x0] */
	bool ok = true;
	for (unsigned e = 0; e < 8; e++)
		ok &= cpu->v[0].h[e] == pat(4 * e, 2) && cpu->v[1].h[e] == pat(4 * e + 2, 2);
	CHECK(ok);
	run(0x4c404800); /* ld3 {v0.4s-v2.4s}, [x0] */
	ok = true;
	for (unsigned e = 0; e < 4; e++)
		for (unsigned r = 0; r < 3; r++)
			ok &= cpu->v[r].s[e] == pat((3 * e + r) * 4, 4);
	CHECK(ok);
	run(0x4c400000); /* ld4 {v0.16b-v3.16b}, [x0] */
	ok = true;
	for (unsigned e = 0; e < 16; e++)
		for (unsigned r = 0; r < 4; r++)
			ok &= cpu->v[r].b[e] == 4 * e + r;
	CHECK(ok);
	run(0x0cdf0000); /* ld4 {v0.8b-v3.8b}, [x0], #32 */
	ok = true;
	for (unsigned e = 0; e < 8; e++)
		for (unsigned r = 0; r < 4; r++)
			ok &= cpu->v[r].b[e] == 4 * e + r;
	CHECK(ok && vzero_hi(0) && vzero_hi(3) && cpu->x[0] == G(32));
	cpu->x[0] = G(0);
	run(0x0c408800); /* ld2 {v0.2s, v1.2s}, [x0] */
	CHECK(cpu->v[0].s[0] == pat(0, 4) && cpu->v[0].s[1] == pat(8, 4) &&
	      cpu->v[1].s[0] == pat(4, 4) && cpu->v[1].s[1] == pat(12, 4) && vzero_hi(0) &&
	      vzero_hi(1));

	/* Stores. */
	reset();
	seqv(0, 4, 0x40);
	cpu->x[0] = G(0x400);
	run(0x4c007000); /* st1 {v0.16b}, [x0] */
	CHECK(rd(0x400, 8) == pat(0x40, 8) && rd(0x408, 8) == pat(0x48, 8) && rd(0x410, 1) == 0x10);
	run(0x0c9fa000); /* st1 {v0.8b, v1.8b}, [x0], #16 */
	CHECK(rd(0x400, 8) == pat(0x40, 8) && rd(0x408, 8) == pat(0x50, 8) && cpu->x[0] == G(0x410));
	run(0x4c9f8800); /* st2 {v0.4s, v1.4s}, [x0], #32 */
	CHECK(rd(0x410, 4) == pat(0x40, 4) && rd(0x414, 4) == pat(0x50, 4) &&
	      rd(0x418, 4) == pat(0x44, 4) && rd(0x42c, 4) == pat(0x5c, 4) && cpu->x[0] == G(0x430));
	run(0x0c004000); /* st3 {v0.8b-v2.8b}, [x0] */
	ok = true;
	for (unsigned e = 0; e < 8; e++)
		for (unsigned r = 0; r < 3; r++)
			ok &= rd(0x430 + 3 * e + r, 1) == 0x40 + 16 * r + e;
	CHECK(ok && rd(0x448, 1) == 0x48);
	run(0x4c000c00); /* st4 {v0.2d-v3.2d}, [x0] */
	ok = true;
	for (unsigned e = 0; e < 2; e++)
		for (unsigned r = 0; r < 4; r++)
			ok &= rd(0x430 + 8 * (4 * e + r), 8) == cpu->v[r].d[e];
	CHECK(ok);
	/* Round trip: LD4 then ST4 gives back the bytes. */
	cpu->x[0] = G(0x100);
	run(0x4c400000); /* ld4 {v0.16b-v3.16b}, [x0] */
	cpu->x[0] = G(0x600);
	run(0x4c000000); /* st4 {v0.16b-v3.16b}, [x0] */
	CHECK(memcmp(mem + 0x600, mem + 0x100, 64) == 0);
}

static void test_struct_single(void)
{
	reset();
	cpu->x[0] = G(0x10);
	run(0x0d409000); /* ld1 {v0.s}[1], [x0] */
	CHECK(cpu->v[0].s[1] == pat(0x10, 4) && cpu->v[0].s[0] == 0xeeeeeeee &&
	      cpu->v[0].d[1] == 0xeeeeeeeeeeeeeeeeull);
	run(0x4dff4800); /* ld2 {v0.h, v1.h}[5], [x0], #4 */
	CHECK(cpu->v[0].h[5] == pat(0x10, 2) && cpu->v[1].h[5] == pat(0x12, 2) &&
	      cpu->v[1].h[4] == 0xeeee && cpu->x[0] == G(0x14));
	run(0x4d403c00); /* ld3 {v0.b-v2.b}[15], [x0] */
	CHECK(cpu->v[0].b[15] == 0x14 && cpu->v[1].b[15] == 0x15 && cpu->v[2].b[15] == 0x16 &&
	      cpu->v[2].b[14] == 0xee);
	cpu->x[3] = 0x20;
	run(0x4de3a400); /* ld4 {v0.d-v3.d}[1], [x0], x3 */
	CHECK(cpu->v[0].d[1] == pat(0x14, 8) && cpu->v[3].d[1] == pat(0x2c, 8) &&
	      cpu->v[3].d[0] == 0xeeeeeeeeeeeeeeeeull && cpu->x[0] == G(0x34));

	seqv(0, 4, 0x80);
	cpu->x[0] = G(0x400);
	run(0x4d008400); /* st1 {v0.d}[1], [x0] */
	CHECK(rd(0x400, 8) == pat(0x88, 8) && rd(0x408, 1) == 0x08);
	run(0x4d20b000); /* st4 {v0.s-v3.s}[3], [x0] */
	CHECK(rd(0x400, 4) == pat(0x8c, 4) && rd(0x404, 4) == pat(0x9c, 4) &&
	      rd(0x40c, 4) == pat(0xbc, 4) && rd(0x410, 1) == 0x10);
	run(0x4dbf0400); /* st2 {v0.b, v1.b}[9], [x0], #2 */
	CHECK(rd(0x400, 1) == 0x89 && rd(0x401, 1) == 0x99 && cpu->x[0] == G(0x402));

	/* Load and replicate. */
	reset();
	cpu->x[0] = G(0x20);
	run(0x4d40c800); /* ld1r {v0.4s}, [x0] */
	CHECK(cpu->v[0].s[0] == pat(0x20, 4) && cpu->v[0].s[3] == pat(0x20, 4));
	run(0x0d40c000); /* ld1r {v0.8b}, [x0] */
	CHECK(cpu->v[0].d[0] == 0x2020202020202020ull && vzero_hi(0));
	run(0x4dffc400); /* ld2r {v0.8h, v1.8h}, [x0], #4 */
	CHECK(cpu->v[0].h[0] == 0x2120 && cpu->v[0].h[7] == 0x2120 && cpu->v[1].h[3] == 0x2322 &&
	      cpu->x[0] == G(0x24));
	cpu->x[3] = (uint64_t)-4;
	run(0x4de3ec00); /* ld4r {v0.2d-v3.2d}, [x0], x3 */
	CHECK(cpu->v[0].d[0] == pat(0x24, 8) && cpu->v[0].d[1] == pat(0x24, 8) &&
	      cpu->v[3].d[1] == pat(0x3c, 8) && cpu->x[0] == G(0x20));
	run(0x0d40e800); /* ld3r {v0.2s-v2.2s}, [x0] */
	CHECK(cpu->v[2].s[0] == pat(0x28, 4) && cpu->v[2].s[1] == pat(0x28, 4) && vzero_hi(2) &&
	      cpu->v[0].s[1] == pat(0x20, 4));
}

static void test_undefined(void)
{
	CHECK(undefined(0xf9c00000)); /* LDR size 3, opc 11 */
	CHECK(undefined(0xb9c00000)); /* LDRS size 2, opc 11 */
	CHECK(undefined(0xe9400000)); /* LDP opc 11 */
	CHECK(undefined(0x68400000)); /* LDNPSW does not exist */
	CHECK(undefined(0x69000000)); /* STGP (MTE) */
	CHECK(undefined(0x0c408c00)); /* ld2 {v0.1d, v1.1d} */
	CHECK(undefined(0xf8620820)); /* register offset, option UXTB */
	CHECK(undefined(0x3c400800)); /* LDTR of a SIMD&FP register */
	CHECK(undefined(0xf8800400)); /* PRFM post-index */
	CHECK(undefined(0xc8a00041)); /* CAS with Rt2 != 31 */
	CHECK(undefined(0x48217c82)); /* CASP with an odd register */
	CHECK(undefined(0xf8a0c020)); /* LDAPR with Rs != 31 */
	CHECK(undefined(0x4c417000)); /* ld1 (no offset) with Rm != 0 */
	CHECK(undefined(0x4d40d000)); /* ld1r with S = 1 */
	CHECK(undefined(0x4d00c000)); /* st1r does not exist */
	CHECK(undefined(0x4d408c00)); /* ld1 {v0.s}[..] with size 11 (d with S=1) */
	CHECK(undefined(0xbca00020 | (2u << 22))); /* ldr q-sized with size 10 */
	CHECK(undefined(0xf8202c3f)); /* LDRAA (pointer authentication) */
	CHECK(undefined(0x1d000000)); /* LDAPUR of a SIMD&FP register (RCPC3) */
	CHECK(undefined(0xdc000000)); /* LDR literal, V, opc 11 */
}

/* ---- faults: nothing changes before the last access that can fault ---------------------- */
static sigjmp_buf fault_jb;
static volatile sig_atomic_t faulted;

static void on_fault(int sig)
{
	(void)sig;
	faulted = 1;
	siglongjmp(fault_jb, 1);
}

static struct a64_cpu saved;

/* Run insn, expecting a host fault; then no register and no monitor state may have changed. */
static bool faults_clean(uint32_t insn)
{
	a64_decode(insn, PC, &op);
	a64_bind(&op);
	cpu->cur_op = &op;
	saved = *cpu;
	faulted = 0;
	if (!sigsetjmp(fault_jb, 1))
		run_one(cpu, &op);
	bool same = !memcmp(saved.x, cpu->x, sizeof cpu->x) &&
		    !memcmp(saved.v, cpu->v, sizeof cpu->v) && saved.excl_size == cpu->excl_size &&
		    saved.excl_addr == cpu->excl_addr;
	if (!faulted || !same)
		fprintf(stderr, "insn %08x: faulted %d, state unchanged %d\n", insn, (int)faulted,
			same);
	return faulted && same;
}

static void test_faults(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *area = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	if (area == MAP_FAILED)
		return;
	CHECK(mprotect(area + pg, pg, PROT_NONE) == 0);
	uint64_t bad = (uint64_t)(uintptr_t)(area + pg); /* first unmapped byte */
	struct sigaction sa, old_segv, old_bus;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);

	reset();
	cpu->x[1] = bad;
	CHECK(faults_clean(0xf9400020)); /* ldr x0, [x1] */
	CHECK(faults_clean(0xf8408421)); /* ldr x1, [x1], #8 */
	CHECK(faults_clean(0xf8008420)); /* str x0, [x1], #8 */
	cpu->x[1] = bad - 8;
	CHECK(faults_clean(0xf8408c20)); /* ldr x0, [x1, #8]! */
	CHECK(faults_clean(0x3dc00020)); /* ldr q0, [x1]: straddles */
	cpu->x[2] = bad - 8;
	CHECK(faults_clean(0xa9400440)); /* ldp x0, x1, [x2]: the second faults */
	cpu->x[2] = bad - 16;
	CHECK(faults_clean(0xa9c10440)); /* ldp x0, x1, [x2, #16]! */
	CHECK(faults_clean(0xa9810440)); /* stp x0, x1, [x2, #16]! */
	CHECK(faults_clean(0xad400440)); /* ldp q0, q1, [x2] */
	cpu->x[0] = bad - 48;
	CHECK(faults_clean(0x4cdf2800)); /* ld1 {v0.4s-v3.4s}, [x0], #64 */
	CHECK(faults_clean(0x4c400000)); /* ld4 {v0.16b-v3.16b}, [x0] */
	cpu->x[0] = bad - 24;
	CHECK(faults_clean(0x4de3ec00)); /* ld4r {v0.2d-v3.2d}, [x0], x3 */
	CHECK(faults_clean(0x4de3a400)); /* ld4 {v0.d-v3.d}[1], [x0], x3 */
	cpu->x[0] = bad - 2;
	CHECK(faults_clean(0x4dff4800)); /* ld2 {v0.h, v1.h}[5], [x0], #4 */
	cpu->x[2] = bad;
	CHECK(faults_clean(0xc87f0440)); /* ldxp x0, x1, [x2] */
	CHECK(faults_clean(0xf8200041)); /* ldadd x0, x1, [x2] */
	CHECK(faults_clean(0xf8204041)); /* ldsmax x0, x1, [x2] */
	CHECK(faults_clean(0xc8a07c41)); /* cas x0, x1, [x2] */
	cpu->x[4] = bad;
	CHECK(faults_clean(0x48207c82)); /* casp x0, x1, x2, x3, [x4] */
	cpu->x[1] = bad;
	CHECK(faults_clean(0xc8dffc20)); /* ldar x0, [x1] */
	/* A prefetch of an unmapped address does nothing. */
	faulted = 0;
	if (!sigsetjmp(fault_jb, 1))
		CHECK(run(0xf9800020) == 0); /* prfm pldl1keep, [x1] */
	CHECK(!faulted);

	/* Read-only memory: the load half of an atomic succeeds, the write faults. */
	CHECK(mprotect(area, pg, PROT_READ) == 0);
	cpu->x[2] = (uint64_t)(uintptr_t)area;
	CHECK(faults_clean(0xf8204041)); /* ldsmax x0, x1, [x2] */
	CHECK(faults_clean(0xf8208041)); /* swp x0, x1, [x2] */
	cpu->x[1] = (uint64_t)(uintptr_t)area;
	CHECK(run(0xc85f7c20) == 0); /* ldxr x0, [x1] */
	CHECK(faults_clean(0xc8027c23)); /* stxr w2, x3, [x1]: status not written */

	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	munmap(area, 2 * pg);
}

/* ---- atomicity against other threads ---------------------------------------------------- */
#define THREADS 4
#define ITERS 20000
static uint64_t counters[2] __attribute__((aligned(16)));

static void *hammer(void *arg)
{
	(void)arg;
	struct a64_cpu *c = calloc(1, sizeof *c);
	struct a64_op add, ldx, stx;
	a64_decode(0xf8200041, PC, &add); /* ldadd x0, x1, [x2] */
	a64_decode(0xc85f7ca4, PC, &ldx); /* ldxr x4, [x5] */
	a64_decode(0xc8067ca7, PC, &stx); /* stxr w6, x7, [x5] */
	a64_bind(&add);
	a64_bind(&ldx);
	a64_bind(&stx);
	c->x[0] = 1;
	c->x[2] = (uint64_t)(uintptr_t)&counters[0];
	c->x[5] = (uint64_t)(uintptr_t)&counters[1];
	for (int i = 0; i < ITERS; i++) {
		run_one(c, &add);
		do {
			run_one(c, &ldx);
			c->x[7] = c->x[4] + 1;
			run_one(c, &stx);
		} while (c->x[6] != 0);
	}
	free(c);
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, hammer, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(counters[0] == (uint64_t)THREADS * ITERS);
	CHECK(counters[1] == (uint64_t)THREADS * ITERS);
}

int main(void)
{
	cpu = calloc(1, sizeof *cpu);
	test_single();
	test_regoff();
	test_literal();
	test_sp_zr_overlap();
	test_pairs();
	test_simd_single();
	test_prfm();
	test_exclusive();
	test_ordered();
	test_atomics();
	test_cas();
	test_struct_mult();
	test_struct_single();
	test_undefined();
	test_faults();
	test_threads();
	free(cpu);
	return check_done();
}
