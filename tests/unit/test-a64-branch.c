/* tests/unit: the branch, exception-generation and system class of the AArch64 emulator
 * (emu/aarch64/branch.c, branch-exec.c): real encodings (assembled with aarch64-linux-gnu-as,
 * the source in the comment next to each word) decoded by a64_decode, bound by a64_bind and
 * run on a calloc'ed CPU whose guest addresses are host addresses (cpu->base = 0). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "emu/aarch64/a64.h"
#include "emu/aarch64/branch.h"
#include "emu/aarch64/fpu.h"
#include "emu/aarch64/features.h"
#include "emu/run.h"
#include "emu/jit/jit.h"
#include "emu/tb.h"

#define PC 0x10000000ull /* where single instructions are decoded: far enough from 0 for
                          * the largest backward offsets */
#define POISON 0xdeadbeefull

struct step {
	struct a64_op op;
	bool ends; /* what a64_decode said */
	int ret;   /* what the handler returned */
};

/* Decode insn at pc, bind it and run it once. cpu->pc is poisoned first, so a handler that
 * continues (returns 0) is seen not to touch it. */
static struct step run(struct a64_cpu *cpu, uint32_t insn, uint64_t pc)
{
	struct step s;
	s.ends = a64_decode(insn, pc, &s.op);
	a64_bind(&s.op);
	cpu->pc = POISON;
	cpu->exit = A64_EXIT_NONE;
	cpu->exit_insn = 0;
	s.ret = s.op.fn(cpu, &s.op);
	return s;
}

/* A branch leaves the block for target, without stopping the CPU. */
static bool went(struct a64_cpu *cpu, const struct step *s, uint64_t target)
{
	return s->ends && s->ret == 1 && cpu->pc == target && cpu->exit == A64_EXIT_NONE &&
	       s->op.cls == A64_CLS_BRANCH;
}

/* A non-branch that goes on with the next op in the block. */
static bool continued(struct a64_cpu *cpu, const struct step *s)
{
	return !s->ends && s->ret == 0 && cpu->pc == POISON && cpu->exit == A64_EXIT_NONE &&
	       s->op.cls == A64_CLS_BRANCH;
}

static void test_b_bl(struct a64_cpu *cpu)
{
	struct step s;
	s = run(cpu, 0x15ffffff, PC); /* b .+0x7fffffc */
	CHECK(went(cpu, &s, PC + 0x7fffffc) && s.op.kind == A64_BR_B);
	s = run(cpu, 0x16000000, PC); /* b .-0x8000000 */
	CHECK(went(cpu, &s, PC - 0x8000000));
	s = run(cpu, 0x14000000, PC); /* b . */
	CHECK(went(cpu, &s, PC));
	s = run(cpu, 0x16000000, 0); /* b .-0x8000000 at 0: wraps */
	CHECK(went(cpu, &s, 0xfffffffff8000000ull));

	cpu->x[30] = 0;
	s = run(cpu, 0x95ffffff, PC); /* bl .+0x7fffffc */
	CHECK(went(cpu, &s, PC + 0x7fffffc) && cpu->x[30] == PC + 4);
	CHECK(s.op.kind == A64_BR_BL && s.op.rd == 30);
	s = run(cpu, 0x96000000, PC + 0x100); /* bl .-0x8000000 */
	CHECK(went(cpu, &s, PC + 0x100 - 0x8000000) && cpu->x[30] == PC + 0x104);
	s = run(cpu, 0x94000002, PC); /* bl .+8 */
	CHECK(went(cpu, &s, PC + 8) && cpu->x[30] == PC + 4);
}

/* The Arm ARM's ConditionHolds, written out again; f is N:Z:C:V in bits 3:0. */
static bool ref_cond(unsigned cond, unsigned f)
{
	bool n = f & 8, z = f & 4, c = f & 2, v = f & 1;
	switch (cond) {
	case 0: return z;
	case 1: return !z;
	case 2: return c;
	case 3: return !c;
	case 4: return n;
	case 5: return !n;
	case 6: return v;
	case 7: return !v;
	case 8: return c && !z;
	case 9: return !c || z;
	case 10: return n == v;
	case 11: return n != v;
	case 12: return !z && n == v;
	case 13: return z || n != v;
	default: return true; /* AL, NV */
	}
}

static void test_bcond(struct a64_cpu *cpu)
{
	struct step s;
	/* b.eq .+8 is 0x54000040; the condition is bits 3:0 (b.ne 0x54000041 ... b.al
	 * 0x5400004e, b.nv 0x5400004f). Every condition under every NZCV. */
	int wrong = 0, wrong_helper = 0;
	for (unsigned cond = 0; cond < 16; cond++) {
		for (unsigned f = 0; f < 16; f++) {
			cpu->nzcv = f << 28;
			s = run(cpu, 0x54000040u | cond, PC);
			uint64_t want = ref_cond(cond, f) ? PC + 8 : PC + 4;
			if (!went(cpu, &s, want) || s.op.kind != A64_BR_BCOND || s.op.cond != cond)
				wrong++;
			if (a64_cond(f << 28, cond) != ref_cond(cond, f))
				wrong_helper++;
		}
	}
	CHECK(wrong == 0);
	CHECK(wrong_helper == 0);

	/* Some flags set outside bits 31:28 must not matter. */
	cpu->nzcv = A64_Z | 0x0fffffffu;
	s = run(cpu, 0x54000040, PC); /* b.eq .+8 */
	CHECK(went(cpu, &s, PC + 8));

	cpu->nzcv = A64_Z;
	s = run(cpu, 0x547fffe0, PC); /* b.eq .+0xffffc */
	CHECK(went(cpu, &s, PC + 0xffffc));
	cpu->nzcv = 0;
	s = run(cpu, 0x54800001, PC); /* b.ne .-0x100000 */
	CHECK(went(cpu, &s, PC - 0x100000));
	s = run(cpu, 0x54800000, PC); /* b.eq .-0x100000, not taken */
	CHECK(went(cpu, &s, PC + 4));
	s = run(cpu, 0x5400004e, PC); /* b.al .+8 */
	CHECK(went(cpu, &s, PC + 8));
	s = run(cpu, 0x5400004f, PC); /* b.nv .+8: taken as AL */
	CHECK(went(cpu, &s, PC + 8));
}

static void test_cb_tb(struct a64_cpu *cpu)
{
	struct step s;
	cpu->x[3] = 0;
	s = run(cpu, 0xb47fffe3, PC); /* cbz x3, .+0xffffc */
	CHECK(went(cpu, &s, PC + 0xffffc) && s.op.kind == A64_BR_CBZ && s.op.rn == 3 && s.op.sf);
	cpu->x[3] = 1ull << 32;
	s = run(cpu, 0xb47fffe3, PC); /* cbz x3: upper half counts */
	CHECK(went(cpu, &s, PC + 4));
	s = run(cpu, 0x34800003, PC); /* cbz w3, .-0x100000: only the low half */
	CHECK(went(cpu, &s, PC - 0x100000) && !s.op.sf);
	cpu->x[3] = 0x80000000;
	s = run(cpu, 0x34800003, PC);
	CHECK(went(cpu, &s, PC + 4));

	cpu->x[4] = 1ull << 63;
	s = run(cpu, 0xb5000084, PC); /* cbnz x4, .+16 */
	CHECK(went(cpu, &s, PC + 16) && s.op.kind == A64_BR_CBNZ);
	s = run(cpu, 0x35ffff84, PC); /* cbnz w4, .-16: low half is 0 */
	CHECK(went(cpu, &s, PC + 4));
	cpu->x[4] = 7;
	s = run(cpu, 0x35ffff84, PC);
	CHECK(went(cpu, &s, PC - 16));
	s = run(cpu, 0xb400005f, PC); /* cbz xzr, .+8 */
	CHECK(went(cpu, &s, PC + 8) && s.op.rn == REG_ZR);

	cpu->x[5] = 0x7fffffffffffffffull;
	s = run(cpu, 0xb6fbffe5, PC); /* tbz x5, #63, .+0x7ffc */
	CHECK(went(cpu, &s, PC + 0x7ffc) && s.op.kind == A64_BR_TBZ && s.op.shift == 63);
	s = run(cpu, 0xb7fc0005, PC); /* tbnz x5, #63, .-0x8000 */
	CHECK(went(cpu, &s, PC + 4) && s.op.kind == A64_BR_TBNZ);
	cpu->x[5] = 1ull << 63;
	s = run(cpu, 0xb6fbffe5, PC);
	CHECK(went(cpu, &s, PC + 4));
	s = run(cpu, 0xb7fc0005, PC);
	CHECK(went(cpu, &s, PC - 0x8000));

	cpu->x[6] = 0xfffffffe;
	s = run(cpu, 0x36000046, PC); /* tbz w6, #0, .+8 */
	CHECK(went(cpu, &s, PC + 8) && s.op.shift == 0);
	s = run(cpu, 0x37f80046, PC); /* tbnz w6, #31, .+8 */
	CHECK(went(cpu, &s, PC + 8) && s.op.shift == 31);
	cpu->x[7] = 1ull << 32;
	s = run(cpu, 0xb6000047, PC); /* tbz x7, #32, .+8 */
	CHECK(went(cpu, &s, PC + 4) && s.op.shift == 32);
	cpu->x[7] = ~(1ull << 32);
	s = run(cpu, 0xb6000047, PC);
	CHECK(went(cpu, &s, PC + 8));
}

static void test_branch_reg(struct a64_cpu *cpu)
{
	struct step s;
	cpu->x[8] = 0x401000;
	s = run(cpu, 0xd61f0100, PC); /* br x8 */
	CHECK(went(cpu, &s, 0x401000) && s.op.kind == A64_BR_BR && s.op.rn == 8);
	/* Top byte ignored (TBI0): bits 63:56 become copies of bit 55. */
	cpu->x[8] = 0x5a00000000401000ull;
	s = run(cpu, 0xd61f0100, PC);
	CHECK(went(cpu, &s, 0x401000));
	cpu->x[8] = 0x0080000000001000ull;
	s = run(cpu, 0xd61f0100, PC);
	CHECK(went(cpu, &s, 0xff80000000001000ull));
	s = run(cpu, 0xd61f03e0, PC); /* br xzr */
	CHECK(went(cpu, &s, 0) && s.op.rn == REG_ZR);

	cpu->x[9] = 0x402000;
	cpu->x[30] = 0;
	s = run(cpu, 0xd63f0120, PC); /* blr x9 */
	CHECK(went(cpu, &s, 0x402000) && cpu->x[30] == PC + 4 && s.op.kind == A64_BR_BLR);
	cpu->x[30] = 0x403000;
	s = run(cpu, 0xd63f03c0, PC); /* blr x30: the old x30 is the target */
	CHECK(went(cpu, &s, 0x403000) && cpu->x[30] == PC + 4);

	cpu->x[30] = 0x404000;
	s = run(cpu, 0xd65f03c0, PC); /* ret */
	CHECK(went(cpu, &s, 0x404000) && s.op.kind == A64_BR_RET && s.op.rn == 30);
	CHECK(cpu->x[30] == 0x404000);
	cpu->x[10] = 0x405000;
	s = run(cpu, 0xd65f0140, PC); /* ret x10 */
	CHECK(went(cpu, &s, 0x405000) && s.op.rn == 10);
}

static void test_exceptions(struct a64_cpu *cpu)
{
	struct step s;
	s = run(cpu, 0xd4000001, PC); /* svc #0 */
	CHECK(s.ends && s.ret == 1 && cpu->exit == A64_EXIT_SVC && cpu->pc == PC + 4);
	CHECK(cpu->exit_insn == 0xd4000001 && s.op.kind == A64_BR_SVC && s.op.imm == 0);
	s = run(cpu, 0xd41fffe1, PC); /* svc #0xffff */
	CHECK(cpu->exit == A64_EXIT_SVC && cpu->pc == PC + 4 && s.op.imm == 0xffff);
	CHECK(cpu->exit_insn == 0xd41fffe1);

	s = run(cpu, 0xd4200000, PC); /* brk #0 */
	CHECK(s.ends && s.ret == 1 && cpu->exit == A64_EXIT_BRK && cpu->pc == PC);
	CHECK(cpu->exit_insn == 0xd4200000 && s.op.kind == A64_BR_BRK);
	s = run(cpu, 0xd4207d00, PC); /* brk #0x3e8 */
	CHECK(cpu->exit == A64_EXIT_BRK && cpu->pc == PC && s.op.imm == 0x3e8);
}

static void test_hints(struct a64_cpu *cpu)
{
	static const uint32_t hints[] = {
		0xd503201f, /* nop */
		0xd503203f, /* yield */
		0xd503205f, /* wfe */
		0xd503207f, /* wfi */
		0xd503209f, /* sev */
		0xd50320bf, /* sevl */
		0xd503221f, /* esb */
		0xd503229f, /* csdb */
		0xd503223f, /* psb csync */
		0xd503241f, /* bti */
		0xd503245f, /* bti c */
		0xd503249f, /* bti j */
		0xd50324df, /* bti jc */
		0xd503233f, /* paciasp */
		0xd50323bf, /* autiasp */
		0xd503237f, /* pacibsp */
		0xd50323ff, /* autibsp */
		0xd50320ff, /* xpaclri */
		0xd503211f, /* pacia1716 */
		0xd503219f, /* autia1716 */
		0xd503215f, /* pacib1716 */
		0xd50321df, /* autib1716 */
		0xd503231f, /* paciaz */
		0xd5032fff, /* hint #0x7f */
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		/* PAC hints would change x30 or x17 with PAuth: without it, nothing changes. */
		cpu->x[30] = 0x00ff000000401234ull;
		cpu->x[16] = 0x1616;
		cpu->x[17] = 0x00ff000000405678ull;
		struct step s = run(cpu, hints[i], PC);
		if (!continued(cpu, &s) || s.op.kind != A64_BR_NOP ||
		    cpu->x[30] != 0x00ff000000401234ull || cpu->x[16] != 0x1616 ||
		    cpu->x[17] != 0x00ff000000405678ull)
			wrong++;
	}
	CHECK(wrong == 0);
	struct step s = run(cpu, 0xd5032fff, PC); /* hint #0x7f */
	CHECK(s.op.imm == 0x7f);
}

static void test_barriers(struct a64_cpu *cpu)
{
	struct step s;
	s = run(cpu, 0xd5033bbf, PC); /* dmb ish */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DMB && s.op.imm == 11);
	s = run(cpu, 0xd50339bf, PC); /* dmb ishld */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DMB && s.op.imm == 9);
	s = run(cpu, 0xd5033fbf, PC); /* dmb sy */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DMB);
	s = run(cpu, 0xd5033f9f, PC); /* dsb sy */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DSB);
	s = run(cpu, 0xd5033b9f, PC); /* dsb ish */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DSB);
	s = run(cpu, 0xd503309f, PC); /* ssbb */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DSB && s.op.imm == 0);
	s = run(cpu, 0xd503349f, PC); /* pssbb */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DSB && s.op.imm == 4);
	s = run(cpu, 0xd5033fdf, PC); /* isb */
	CHECK(went(cpu, &s, PC + 4) && s.op.kind == A64_BR_ISB);
	s = run(cpu, 0xd50330df, PC); /* isb #0 */
	CHECK(went(cpu, &s, PC + 4) && s.op.kind == A64_BR_ISB);

	cpu->excl_size = 8;
	cpu->excl_addr = 0x1000;
	s = run(cpu, 0xd5033f5f, PC); /* clrex */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_CLREX && cpu->excl_size == 0);
	cpu->excl_size = 16;
	s = run(cpu, 0xd503355f, PC); /* clrex #5 */
	CHECK(continued(cpu, &s) && cpu->excl_size == 0);
}

static uint64_t mrs_value(struct a64_cpu *cpu, uint32_t insn, unsigned rt, bool *ok)
{
	cpu->x[rt] = POISON;
	struct step s = run(cpu, insn, PC);
	*ok = continued(cpu, &s) && s.op.rd == rt;
	return cpu->x[rt];
}

static void test_sysregs(struct a64_cpu *cpu)
{
	struct step s;
	bool ok;
	uint64_t v;

	/* TPIDR_EL0 round trip. */
	cpu->x[7] = 0x0123456789abcdefull;
	s = run(cpu, 0xd51bd047, PC); /* msr tpidr_el0, x7 */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_MSR_TPIDR && s.op.rn == 7);
	CHECK(cpu->tpidr_el0 == 0x0123456789abcdefull);
	v = mrs_value(cpu, 0xd53bd046, 6, &ok); /* mrs x6, tpidr_el0 */
	CHECK(ok && v == 0x0123456789abcdefull);
	s = run(cpu, 0xd53bd05f, PC); /* mrs xzr, tpidr_el0 */
	CHECK(continued(cpu, &s) && s.op.rd == REG_ZW && cpu->x[REG_ZR] == 0);
	s = run(cpu, 0xd51bd05f, PC); /* msr tpidr_el0, xzr */
	CHECK(continued(cpu, &s) && s.op.rn == REG_ZR && cpu->tpidr_el0 == 0);

	/* NZCV: bits 31:28 only. */
	cpu->x[1] = ~0ull;
	s = run(cpu, 0xd51b4201, PC); /* msr nzcv, x1 */
	CHECK(continued(cpu, &s) && cpu->nzcv == 0xf0000000u);
	v = mrs_value(cpu, 0xd53b4200, 0, &ok); /* mrs x0, nzcv */
	CHECK(ok && v == 0xf0000000u);
	cpu->x[1] = A64_Z | A64_C;
	run(cpu, 0xd51b4201, PC);
	v = mrs_value(cpu, 0xd53b4200, 0, &ok);
	CHECK(ok && v == (A64_Z | A64_C) && cpu->nzcv == (A64_Z | A64_C));

	/* FPCR: the bits fpu.h keeps (AHP, DN, FZ, RMode, and Len/Stride as qemu does); the write
	 * ends the block. */
	cpu->x[3] = 0xffffffffffffffffull;
	s = run(cpu, 0xd51b4403, PC); /* msr fpcr, x3 */
	CHECK(went(cpu, &s, PC + 4) && s.op.kind == A64_BR_MSR_FPCR && cpu->fpcr == A64_FPCR_WRITABLE);
	v = mrs_value(cpu, 0xd53b4402, 2, &ok); /* mrs x2, fpcr */
	CHECK(ok && v == A64_FPCR_WRITABLE);
	cpu->x[3] = 0x00c00000; /* RMode = RZ */
	run(cpu, 0xd51b4403, PC);
	v = mrs_value(cpu, 0xd53b4402, 2, &ok);
	CHECK(ok && v == 0x00c00000u && cpu->fpcr == 0x00c00000u);

	/* FPSR: QC, the cumulative flags, and the AArch32 NZCV bits (kept, as qemu does). */
	cpu->x[5] = ~0ull;
	s = run(cpu, 0xd51b4425, PC); /* msr fpsr, x5 */
	CHECK(continued(cpu, &s) && a64_fpsr_read(cpu) == A64_FPSR_WRITABLE);
	v = mrs_value(cpu, 0xd53b4424, 4, &ok); /* mrs x4, fpsr */
	CHECK(ok && v == A64_FPSR_WRITABLE);
	cpu->x[5] = 0x10; /* IXC */
	run(cpu, 0xd51b4425, PC);
	v = mrs_value(cpu, 0xd53b4424, 4, &ok);
	CHECK(ok && v == 0x10);

	v = mrs_value(cpu, 0xd53bd068, 8, &ok); /* mrs x8, tpidrro_el0 */
	CHECK(ok && v == 0);

	/* The virtual counter counts nanoseconds, at CNTFRQ_EL0 = 1 GHz. */
	uint64_t frq = mrs_value(cpu, 0xd53be00b, 11, &ok); /* mrs x11, cntfrq_el0 */
	CHECK(ok && frq == 1000000000u);
	uint64_t t0 = mrs_value(cpu, 0xd53be049, 9, &ok); /* mrs x9, cntvct_el0 */
	CHECK(ok);
	struct timespec ms = {0, 2000000};
	nanosleep(&ms, NULL);
	uint64_t t1 = mrs_value(cpu, 0xd53be0ca, 10, &ok); /* mrs x10, cntvctss_el0 */
	CHECK(ok && t1 > t0 && t1 - t0 >= 2000000u && t1 - t0 < 10000000000u);
	uint64_t t2 = mrs_value(cpu, 0xd53be049, 9, &ok);
	CHECK(ok && t2 >= t1);

	/* Read-only identification, the same as features.c says. */
	static const struct {
		uint32_t insn;
		unsigned rt;
		uint32_t id; /* bits 19:5 */
	} ids[] = {
		{0xd53b00ec, 12, 0x5807}, /* mrs x12, dczid_el0 */
		{0xd53b002d, 13, 0x5801}, /* mrs x13, ctr_el0 */
		{0xd538000e, 14, 0x4000}, /* mrs x14, midr_el1 */
		{0xd53800af, 15, 0x4005}, /* mrs x15, mpidr_el1 */
		{0xd53800d0, 16, 0x4006}, /* mrs x16, revidr_el1 */
		{0xd5380611, 17, 0x4030}, /* mrs x17, id_aa64isar0_el1 */
		{0xd5380412, 18, 0x4020}, /* mrs x18, id_aa64pfr0_el1 */
		{0xd5380713, 19, 0x4038}, /* mrs x19, id_aa64mmfr0_el1 */
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		uint64_t want = 0;
		bool known = a64_sysreg_id(ids[i].id, &want);
		v = mrs_value(cpu, ids[i].insn, ids[i].rt, &ok);
		s = run(cpu, ids[i].insn, PC);
		if (!known || !ok || v != want || s.op.kind != A64_BR_MRS_CONST ||
		    s.op.imm2 != ids[i].id)
			wrong++;
	}
	CHECK(wrong == 0);
	/* Unknown registers of the ID space read as zero, as Linux emulates them. */
	v = mrs_value(cpu, 0xd5380214, 20, &ok); /* mrs x20, id_isar0_el1 (CRm 2) */
	CHECK(ok && v == 0);
	v = mrs_value(cpu, 0xd53807f5, 21, &ok); /* mrs x21, s3_0_c0_c7_7 */
	CHECK(ok && v == 0);
	/* The cache geometry DC ZVA and IC IVAU use is the one CTR_EL0 and DCZID_EL0 show. */
	uint64_t dczid = 0, ctr = 0;
	CHECK(a64_sysreg_id(0x5807, &dczid) && a64_sysreg_id(0x5801, &ctr));
	CHECK(!(dczid & 0x10) && (4u << (dczid & 0xf)) == A64_DCZVA_BYTES);
	CHECK((4u << (ctr & 0xf)) == A64_ICACHE_LINE);
	CHECK((4u << ((ctr >> 16) & 0xf)) == A64_DCZVA_BYTES);
}

static void test_dc(struct a64_cpu *cpu)
{
	unsigned char *buf = aligned_alloc(64, 256);
	CHECK(buf != NULL);
	if (!buf)
		return;
	memset(buf, 0xff, 256);
	cpu->x[0] = (uint64_t)(uintptr_t)buf + 64 + 17;
	struct step s = run(cpu, 0xd50b7420, PC); /* dc zva, x0 */
	CHECK(continued(cpu, &s) && s.op.kind == A64_BR_DC_ZVA && s.op.rn == 0);
	int bad = 0;
	for (int i = 0; i < 256; i++)
		bad += buf[i] != ((i >= 64 && i < 128) ? 0 : 0xff);
	CHECK(bad == 0);

	static const uint32_t clean[] = {
		0xd50b7a21, /* dc cvac, x1 */
		0xd50b7b22, /* dc cvau, x2 */
		0xd50b7c23, /* dc cvap, x3 */
		0xd50b7e24, /* dc civac, x4 */
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
		cpu->x[1 + i] = (uint64_t)(uintptr_t)buf;
		s = run(cpu, clean[i], PC);
		if (!continued(cpu, &s) || s.op.kind != A64_BR_DC_CLEAN || s.op.rn != 1 + i ||
		    buf[0] != 0xff)
			wrong++;
	}
	CHECK(wrong == 0);
	free(buf);
}

/* Blocks are never freed by the cache (another thread may run one): the test frees the
 * ones still hashed, and the invalidated ones it kept. */
static void free_cache(struct tb_cache *c, struct tb **dead, size_t ndead)
{
	for (size_t h = 0; h < TB_HASH_SIZE; h++) {
		struct tb *t = c->hash[h];
		while (t) {
			struct tb *next = t->hash_next;
			jit_unlink(t);
			free(t->jit_ops);
			free(t);
			t = next;
		}
	}
	for (size_t i = 0; i < ndead; i++) {
		free(dead[i]->jit_ops);
		free(dead[i]);
	}
	tb_cache_destroy(c);
	free(c);
}

static void test_ic_ivau(struct a64_cpu *cpu)
{
	struct tb_cache *c = malloc(sizeof *c);
	uint32_t *code = aligned_alloc(4096, 4096);
	CHECK(c && code);
	if (!c || !code) {
		free(c);
		free(code);
		return;
	}
	CHECK(tb_cache_init(c, NULL) == 0);
	uint64_t at = (uint64_t)(uintptr_t)code;
	code[0] = 0xd503201f; /* nop */
	code[1] = 0xd503201f; /* nop */
	code[2] = 0x14000000; /* b . */
	code[32] = 0xd503201f; /* nop (at +128, another line) */
	code[33] = 0x14000000; /* b . */
	cpu->tbs = c;
	struct tb *tb = tb_lookup(c, cpu, at);
	struct tb *other = tb_lookup(c, cpu, at + 128);
	CHECK(tb && tb->valid && tb->nops == 3 && tb->end == at + 12);
	CHECK(other && other->valid && other->nops == 2);

	cpu->x[5] = at + 8; /* within the block's line */
	struct step s = run(cpu, 0xd50b7525, at + 64); /* ic ivau, x5 */
	CHECK(went(cpu, &s, at + 68) && s.op.kind == A64_BR_IC_IVAU && s.op.rn == 5);
	CHECK(tb && !tb->valid);
	CHECK(other && other->valid); /* another line of the same page stays */
	struct tb *again = tb_lookup(c, cpu, at);
	CHECK(again && again != tb && again->valid);

	/* Without a cache (nothing translated yet), IC IVAU still ends the block. */
	cpu->tbs = NULL;
	s = run(cpu, 0xd50b7525, PC);
	CHECK(went(cpu, &s, PC + 4));

	/* Run loop: a block that invalidates itself, then leaves by a system call. */
	cpu->tbs = c;
	code[64] = 0xd50b7520; /* ic ivau, x0 */
	code[65] = 0xd4000021; /* svc #1 */
	uint64_t self = at + 256;
	struct tb *first = tb_lookup(c, cpu, self);
	cpu->x[0] = self;
	cpu->pc = self;
	struct a64_runner r = {.cpu = cpu};
	enum a64_exit e = a64_run(&r);
	CHECK(e == A64_EXIT_SVC && cpu->pc == self + 8 && cpu->exit_insn == 0xd4000021);
	CHECK(first && !first->valid);

	struct tb *dead[] = {tb, first};
	cpu->tbs = NULL;
	free_cache(c, dead, 2);
	free(code);
}

/* A small program of this class only, through the run loop:
 *   0x00 bl 0x10          94000004
 *   0x04 svc #0x11        d4000221
 *   0x08 brk #1           d4200020
 *   0x0c nop              d503201f
 *   0x10 mrs x1, tpidr_el0 d53bd041
 *   0x14 cbnz x1, 0x1c    b5000041
 *   0x18 svc #0x22        d4000441
 *   0x1c tbz x1, #63, 0x24 b6f80041
 *   0x20 brk #2           d4200040
 *   0x24 ret              d65f03c0
 *   0x28 hlt #0           d4400000 */
static void test_program(struct a64_cpu *cpu)
{
	static const uint32_t prog[] = {
		0x94000004, 0xd4000221, 0xd4200020, 0xd503201f, 0xd53bd041,
		0xb5000041, 0xd4000441, 0xb6f80041, 0xd4200040, 0xd65f03c0, 0xd4400000,
	};
	struct tb_cache *c = malloc(sizeof *c);
	uint32_t *code = aligned_alloc(4096, 4096);
	CHECK(c && code);
	if (!c || !code) {
		free(c);
		free(code);
		return;
	}
	CHECK(tb_cache_init(c, NULL) == 0);
	memcpy(code, prog, sizeof prog);
	uint64_t at = (uint64_t)(uintptr_t)code;
	cpu->tbs = c;
	struct a64_runner r = {.cpu = cpu};

	cpu->tpidr_el0 = 0;
	cpu->pc = at;
	CHECK(a64_run(&r) == A64_EXIT_SVC && cpu->pc == at + 0x1c && cpu->x[30] == at + 4);
	CHECK(cpu->exit_insn == 0xd4000441);
	CHECK(a64_run(&r) == A64_EXIT_SVC && cpu->pc == at + 8 && cpu->exit_insn == 0xd4000221);
	CHECK(a64_run(&r) == A64_EXIT_BRK && cpu->pc == at + 8 && cpu->exit_insn == 0xd4200020);

	cpu->tpidr_el0 = 1ull << 63;
	cpu->pc = at;
	CHECK(a64_run(&r) == A64_EXIT_BRK && cpu->pc == at + 0x20);

	cpu->tpidr_el0 = 5;
	cpu->pc = at;
	CHECK(a64_run(&r) == A64_EXIT_SVC && cpu->pc == at + 8);

	/* An undefined instruction stops the CPU at it. */
	cpu->pc = at + 0x28;
	CHECK(a64_run(&r) == A64_EXIT_UNDEF && cpu->pc == at + 0x28 && cpu->exit_insn == 0xd4400000);
	CHECK(c->invalidated == 0);
	cpu->tbs = NULL;
	free_cache(c, NULL, 0);
	free(code);
}

static void test_fields(struct a64_cpu *cpu)
{
	struct a64_op op;
	/* The decoder fills op completely on its own. */
	memset(&op, 0xa5, sizeof op);
	CHECK(a64_decode_branch(0xd65f03c0, PC, &op)); /* ret */
	CHECK(op.cls == A64_CLS_BRANCH && op.kind == A64_BR_RET && op.pc == PC &&
	      op.insn == 0xd65f03c0 && op.rd == 0 && op.imm == 0 && op.fn == NULL);
	/* Kinds that do not end a block. */
	CHECK(!a64_decode(0xd503201f, PC, &op) && op.kind == A64_BR_NOP);
	CHECK(!a64_decode(0xd5033bbf, PC, &op));
	CHECK(!a64_decode(0xd53bd046, PC, &op));
	CHECK(!a64_decode(0xd51bd047, PC, &op));
	CHECK(!a64_decode(0xd50b7420, PC, &op));
	/* Kinds that do. */
	CHECK(a64_decode(0xd51b4403, PC, &op) && op.kind == A64_BR_MSR_FPCR);
	CHECK(a64_decode(0xd50b7525, PC, &op) && op.kind == A64_BR_IC_IVAU);
	CHECK(a64_decode(0xd5033fdf, PC, &op) && op.kind == A64_BR_ISB);
	CHECK(a64_decode(0xd4000001, PC, &op) && op.kind == A64_BR_SVC);
	(void)cpu;
}

/* AT_HWCAP names exactly what is implemented, and the ID registers say the same: each
 * advertised extension's instructions decode to a handler, and neighbours that are not
 * advertised stay UNDEF. */
static bool implemented(uint32_t insn)
{
	struct a64_op op;
	a64_decode(insn, PC, &op);
	a64_bind(&op);
	return op.cls != A64_CLS_INVALID && op.fn != a64_exec_undef;
}

static void test_features(void)
{
	uint64_t hw = a64_hwcap(), isar0 = 0, isar1 = 0, pfr0 = 0;
	CHECK(a64_sysreg_id(0x4030, &isar0) && a64_sysreg_id(0x4031, &isar1) &&
	      a64_sysreg_id(0x4020, &pfr0));
	CHECK(!!(hw & A64_HWCAP_CRC32) == (((isar0 >> 16) & 0xf) >= 1));
	CHECK(!!(hw & A64_HWCAP_ATOMICS) == (((isar0 >> 20) & 0xf) >= 2));
	CHECK(!!(hw & A64_HWCAP_LRCPC) == (((isar1 >> 20) & 0xf) >= 1));
	CHECK(!!(hw & A64_HWCAP_ILRCPC) == (((isar1 >> 20) & 0xf) >= 2));
	CHECK(!!(hw & A64_HWCAP_DCPOP) == ((isar1 & 0xf) >= 1));
	CHECK(!(hw & (A64_HWCAP_FPHP | A64_HWCAP_ASIMDHP)) && ((pfr0 >> 16) & 0xff) == 0);
	CHECK(!(hw & (A64_HWCAP_AES | A64_HWCAP_PMULL | A64_HWCAP_SHA1 | A64_HWCAP_SHA2)) &&
	      ((isar0 >> 4) & 0xfff) == 0);
	CHECK(a64_hwcap2() == 0);
	CHECK(implemented(0x9ac14c20)); /* crc32x w0, w1, x1 */
	CHECK(implemented(0xf8e10040)); /* ldaddal x1, x0, [x2] */
	CHECK(implemented(0xf8bfc020)); /* ldapr x0, [x1] */
	CHECK(implemented(0x38bfc020)); /* ldaprb w0, [x1] */
	CHECK(implemented(0xd9408020)); /* ldapur x0, [x1, #8] */
	CHECK(implemented(0xd9000020)); /* stlur x0, [x1] */
	CHECK(implemented(0xd50b7c20)); /* dc cvap, x0 */
	CHECK(!implemented(0xd50b7d20)); /* dc cvadp, x0 (DCPODP, not advertised) */
	CHECK(!implemented(0x4e829420)); /* sdot v0.4s, v1.16b, v2.16b (ASIMDDP) */
	CHECK(!implemented(0x1ee22820)); /* fadd h0, h1, h2 (FPHP) */
	CHECK(!implemented(0x4e284820)); /* aese v0.16b, v1.16b (AES) */
	CHECK(!implemented(0xdac10020)); /* pacia x0, x1 (PACA) */
	CHECK(!implemented(0xd500401f)); /* cfinv (FLAGM) */
}

static void test_invalid(struct a64_cpu *cpu)
{
	static const uint32_t undef[] = {
		0xd65f0bff, /* retaa */
		0xd65f0fff, /* retab */
		0xd61f083f, /* braaz x1 */
		0xd63f083f, /* blraaz x1 */
		0xd71f0822, /* braa x1, x2 */
		0xd73f0c64, /* blrab x3, x4 */
		0xd69f03e0, /* eret */
		0xd6bf03e0, /* drps */
		0xd4000002, /* hvc #0 */
		0xd4000003, /* smc #0 */
		0xd4400000, /* hlt #0 */
		0xd4a00001, /* dcps1 */
		0xd4a00002, /* dcps2 */
		0xd4a00003, /* dcps3 */
		0xd4600000, /* tcancel #0 */
		0xd4000005, /* svc #0 with op2 = 1 */
		0xd4200001, /* brk #0 with LL = 1 */
		0x54000010, /* bc.eq . (FEAT_HBC) */
		0x55000000, /* b.cond with o1 = 1 */
		0xd50330ff, /* sb */
		0xd503307f, /* tcommit */
		0xd503323f, /* dsb oshnxs */
		0xd5031000, /* wfet x0 */
		0xd5031021, /* wfit x1 */
		0xd500401f, /* cfinv */
		0xd500403f, /* xaflag */
		0xd500405f, /* axflag */
		0xd503413f, /* msr ssbs, #1 */
		0xd503415f, /* msr dit, #1 */
		0xd503419f, /* msr tco, #1 */
		0xd50342df, /* msr daifset, #2 */
		0xd50342ff, /* msr daifclr, #2 */
		0xd50040bf, /* msr spsel, #0 */
		0xd500419f, /* msr pan, #1 */
		0xd500417f, /* msr uao, #1 */
		0xd53b4220, /* mrs x0, daif */
		0xd51b4220, /* msr daif, x0 */
		0xd53be020, /* mrs x0, cntpct_el0 */
		0xd53be0a0, /* mrs x0, cntpctss_el0 */
		0xd53b42a0, /* mrs x0, dit */
		0xd53b42c0, /* mrs x0, ssbs */
		0xd53b42e0, /* mrs x0, tco */
		0xd51bd060, /* msr tpidrro_el0, x0 */
		0xd51be000, /* msr cntfrq_el0, x0 */
		0xd51be040, /* msr cntvct_el0, x0 */
		0xd5380100, /* mrs x0, id_pfr0_el1 (CRm 1: SIGILL under Linux) */
		0xd5380020, /* mrs x0, s3_0_c0_c0_1 */
		0xd5180000, /* msr midr_el1, x0 */
		0xd5180600, /* msr id_aa64isar0_el1, x0 */
		0xd51b0020, /* msr ctr_el0, x0 */
		0xd51b00e0, /* msr dczid_el0, x0 */
		0xd5384240, /* mrs x0, currentel */
		0xd5381000, /* mrs x0, sctlr_el1 */
		0xd53bd0a0, /* mrs x0, tpidr2_el0 */
		0xd53b2400, /* mrs x0, rndr */
		0xd53be320, /* mrs x0, cntv_ctl_el0 */
		0xd53b9d00, /* mrs x0, pmccntr_el0 */
		0xd5330100, /* mrs x0, mdccsr_el0 */
		0xd5384200, /* mrs x0, spsel */
		0xd5390000, /* mrs x0, ccsidr_el1 */
		0xd508751f, /* ic iallu */
		0xd508711f, /* ic ialluis */
		0xd5087620, /* dc ivac, x0 */
		0xd50b7460, /* dc gva, x0 */
		0xd50b7480, /* dc gzva, x0 */
		0xd50b7380, /* cfp rctx, x0 */
		0xd50b7d20, /* dc cvadp, x0 */
		0xd508871f, /* tlbi vmalle1 */
		0xd5087840, /* at s1e0r, x0 */
		0xd5280000, /* sysl x0, #0, c0, c0, #0 */
		0xd52b7420, /* sysl x0, #3, c7, c4, #1 */
		0xd5032000, /* hint space with Rt = 0 */
		0xd5033bb0, /* dmb ish with Rt = 16 */
		0xd5033f40, /* clrex with Rt = 0 */
		0xd503301f, /* barrier op2 = 0 */
		0x74000000, /* group 101, op0 = 011 */
		0xf4000000, /* op0 = 111 */
		0x56000000, /* op0 = 010, bit 25 set */
		0xd5400000, /* op0 = 110, bits 25:22 = 0101 */
		0xd5800000, /* 0110 */
		0xd5c00000, /* 0111 */
		0xd6000000, /* br with op2 != 11111 */
		0xd61f0001, /* br with op4 != 0 */
		0xd61f0400, /* br with op3 = 1 */
		0xd61e0000, /* op2 = 11110 */
		0xd65f0bc0, /* retaa-like with Rn = 30 */
		0x00000000, /* udf #0 */
		0x0000ffff, /* udf #65535 */
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof undef / sizeof undef[0]; i++) {
		struct step s = run(cpu, undef[i], PC);
		if (!s.ends || s.op.cls != A64_CLS_INVALID || s.ret != 1 ||
		    cpu->exit != A64_EXIT_UNDEF || cpu->pc != PC || cpu->exit_insn != undef[i]) {
			fprintf(stderr, "not UNDEF: %08x\n", undef[i]);
			wrong++;
		}
	}
	CHECK(wrong == 0);
	/* The branch decoder alone leaves them INVALID too. */
	struct a64_op op;
	wrong = 0;
	for (size_t i = 0; i < sizeof undef / sizeof undef[0]; i++)
		if (((undef[i] >> 26) & 7) == 5 && (a64_decode_branch(undef[i], PC, &op), op.cls))
			wrong++;
	CHECK(wrong == 0);
}

int main(void)
{
	struct a64_cpu *cpu = calloc(1, sizeof *cpu);
	if (!cpu)
		return 1;
	test_b_bl(cpu);
	test_bcond(cpu);
	test_cb_tb(cpu);
	test_branch_reg(cpu);
	test_exceptions(cpu);
	test_hints(cpu);
	test_barriers(cpu);
	test_sysregs(cpu);
	test_dc(cpu);
	test_ic_ivau(cpu);
	test_program(cpu);
	test_fields(cpu);
	test_invalid(cpu);
	test_features();
	free(cpu);
	return check_done();
}
