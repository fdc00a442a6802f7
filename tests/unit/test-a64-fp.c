/* tests/unit/test-a64-fp: the scalar floating-point class (fp.c, fp-exec.c, fpu.c), by real
 * encodings. Every case runs one instruction with v1, v2, v3 (and x1, x2, x3) as operands and
 * checks v0 (all 128 bits), x0, NZCV and FPSR.
 *
 * The same file is its own reference: built for arm64 it runs each instruction on the CPU
 * (from a code buffer) instead of the emulator, so every expectation here is checked against
 * hardware or qemu-aarch64:
 *   aarch64-linux-gnu-gcc -O2 -static -ffp-contract=off -Itests/unit \
 *     tests/unit/test-a64-fp.c -o /tmp/test-a64-fp-arm64
 *   qemu-aarch64 -cpu cortex-a57 /tmp/test-a64-fp-arm64      # FP16 not implemented, as ours
 * On arm64 it also prints the checksums of the sweeps (sweep(): many instructions over tables
 * of special and random values, every FPCR mode) that the native build compares against.
 * A64FP_DUMP=1 prints every sweep case on both builds, for a diff when a checksum differs;
 * A64FP_ONLY="fma S" runs that sweep alone; A64FP_SCALE=N runs N times the random cases and
 * prints the checksums on both builds (a longer differential run). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64-block.h"
#include "check.h"

#ifdef __aarch64__
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#else
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

#include "emu/aarch64/fp.h"

#endif

/* The state one case runs in; layout known to the arm64 trampoline below. */
struct st {
	uint64_t v[4][2]; /* 0: v0..v3 (in), v0 (out) */
	uint64_t x[4];    /* 64: x0..x3 (in), x0 (out) */
	uint64_t fpcr;    /* 96 */
	uint64_t fpsr;    /* 104: in and out */
	uint64_t nzcv;    /* 112: in and out */
	int undef;        /* the instruction raised SIGILL (arm64) / decoded INVALID (emulator) */
};

#ifdef __aarch64__
static uint32_t *code;
static sigjmp_buf ill_jb;

static void on_sigill(int sig)
{
	(void)sig;
	siglongjmp(ill_jb, 1);
}

static void exec(uint32_t insn, struct st *s)
{
	if (!code) {
		code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		signal(SIGILL, on_sigill);
	}
	code[0] = insn;
	code[1] = 0xd65f03c0; /* ret */
	__builtin___clear_cache((char *)code, (char *)(code + 2));
	s->undef = 0;
	if (sigsetjmp(ill_jb, 1)) {
		s->undef = 1;
		__asm__ volatile("msr fpcr, xzr");
		return;
	}
	__asm__ volatile("ldp q0, q1, [%0]\n\t"
			 "ldp q2, q3, [%0, #32]\n\t"
			 "ldp x0, x1, [%0, #64]\n\t"
			 "ldp x2, x3, [%0, #80]\n\t"
			 "ldr x9, [%0, #96]\n\tmsr fpcr, x9\n\t"
			 "ldr x9, [%0, #104]\n\tmsr fpsr, x9\n\t"
			 "ldr x9, [%0, #112]\n\tmsr nzcv, x9\n\t"
			 "blr %1\n\t"
			 "str q0, [%0]\n\t"
			 "str x0, [%0, #64]\n\t"
			 "mrs x9, fpsr\n\tstr x9, [%0, #104]\n\t"
			 "mrs x9, nzcv\n\tstr x9, [%0, #112]\n\t"
			 "msr fpcr, xzr\n\t"
			 :
			 : "r"(s), "r"(code)
			 : "x0", "x1", "x2", "x3", "x9", "x30", "v0", "v1", "v2", "v3", "memory",
			   "cc");
}
#else
static void exec(uint32_t insn, struct st *s)
{
	static struct a64_cpu cpu;
	struct a64_op op;
	memset(&cpu, 0, sizeof cpu);
	for (int i = 0; i < 4; i++) {
		cpu.v[i].d[0] = s->v[i][0];
		cpu.v[i].d[1] = s->v[i][1];
		cpu.x[i] = s->x[i];
	}
	a64_fpcr_write(&cpu, s->fpcr);
	a64_fpsr_write(&cpu, s->fpsr);
	cpu.nzcv = (uint32_t)s->nzcv;
	memset(&op, 0, sizeof op);
	a64_decode_fp(insn, 0x400000, &op);
	a64_handler h = op.cls == A64_CLS_FP ? a64_bind_fp(&op) : NULL;
	s->undef = !h;
	if (h && run_handler(h, &cpu, &op) != 0)
		s->undef = 2;
	s->v[0][0] = cpu.v[0].d[0];
	s->v[0][1] = cpu.v[0].d[1];
	s->x[0] = cpu.x[0];
	s->fpsr = a64_fpsr_read(&cpu);
	s->nzcv = cpu.nzcv;
}
#endif

#define PAT 0x5555555555555555ull
#define HIPAT 0xa5a5a5a5a5a5a5a5ull

static void setup(struct st *s, uint32_t fpcr, uint32_t nzcv, uint64_t n, uint64_t m, uint64_t a)
{
	memset(s, 0, sizeof *s);
	s->v[0][0] = s->v[0][1] = PAT;
	s->v[1][0] = n;
	s->v[2][0] = m;
	s->v[3][0] = a;
	s->v[1][1] = s->v[2][1] = s->v[3][1] = HIPAT;
	s->x[0] = PAT;
	s->x[1] = n;
	s->x[2] = m;
	s->x[3] = a;
	s->fpcr = fpcr;
	s->nzcv = nzcv;
}

/* --- explicit cases --- */
enum out { OV, OX, OF, OU }; /* v0 (upper half zero), x0, NZCV, v0's upper half (lower kept) */

static void t(int line, enum out kind, uint32_t insn, uint32_t fpcr, uint32_t nzcv, uint64_t n,
	      uint64_t m, uint64_t a, uint64_t want, uint32_t want_fpsr)
{
	struct st s;
	uint64_t got;
	bool ok;
	setup(&s, fpcr, nzcv, n, m, a);
	exec(insn, &s);
	switch (kind) {
	case OV: got = s.v[0][0]; ok = got == want && s.v[0][1] == 0; break;
	case OX: got = s.x[0]; ok = got == want; break;
	case OF: got = s.nzcv; ok = got == want; break;
	default: got = s.v[0][1]; ok = got == want && s.v[0][0] == PAT; break;
	}
	ok = ok && s.fpsr == want_fpsr && !s.undef;
	CHECK(ok);
	if (!ok)
		fprintf(stderr, "  line %d: %08x fpcr %08x in %llx %llx %llx: got %llx (hi %llx) fpsr "
				"%02llx undef %d, want %llx fpsr %02x\n",
			line, insn, fpcr, (unsigned long long)n, (unsigned long long)m,
			(unsigned long long)a, (unsigned long long)got,
			(unsigned long long)s.v[0][1], (unsigned long long)s.fpsr, s.undef,
			(unsigned long long)want, want_fpsr);
}

/* Vector result, GPR result, flags result; F0: FPCR 0, NZCV in 0. */
#define TV(insn, fpcr, n, m, a, want, fpsr) t(__LINE__, OV, insn, fpcr, 0, n, m, a, want, fpsr)
#define TX(insn, fpcr, n, want, fpsr) t(__LINE__, OX, insn, fpcr, 0, n, 0, 0, want, fpsr)
#define TF(insn, fpcr, nzcv, n, m, want, fpsr)                                            \
	t(__LINE__, OF, insn, fpcr, nzcv, n, m, 0, want, fpsr)

/* FPCR and FPSR values */
#define RP (1u << 22)
#define RM (2u << 22)
#define RZ (3u << 22)
#define FZ (1u << 24)
#define DN (1u << 25)
#define AHP (1u << 26)
#define IOC 0x01u
#define DZC 0x02u
#define OFC 0x04u
#define UFC 0x08u
#define IXC 0x10u
#define IDC 0x80u
/* NZCV */
#define NZCV_EQ 0x60000000u
#define NZCV_LT 0x80000000u
#define NZCV_GT 0x20000000u
#define NZCV_UN 0x30000000u

/* Single and double constants. */
#define S_ONE 0x3f800000u
#define S_TWO 0x40000000u
#define S_THREE 0x40400000u
#define S_MINNORM 0x00800000u
#define S_MAXNORM 0x7f7fffffu
#define S_MINDEN 0x00000001u
#define S_MAXDEN 0x007fffffu
#define S_INF 0x7f800000u
#define S_NINF 0xff800000u
#define S_DNAN 0x7fc00000u
#define S_QNAN1 0x7fc00001u /* quiet NaN, payload 1 */
#define S_QNAN2 0xffc00002u /* negative quiet NaN, payload 2 */
#define S_SNAN1 0x7f800001u /* signalling NaN, payload 1 */
#define S_SNAN2 0xff800002u
#define D_ONE 0x3ff0000000000000ull
#define D_TWO 0x4000000000000000ull
#define D_THREE 0x4008000000000000ull
#define D_MINNORM 0x0010000000000000ull
#define D_MAXNORM 0x7fefffffffffffffull
#define D_MINDEN 0x0000000000000001ull
#define D_INF 0x7ff0000000000000ull
#define D_NINF 0xfff0000000000000ull
#define D_DNAN 0x7ff8000000000000ull
#define D_QNAN1 0x7ff8000000000001ull
#define D_SNAN1 0x7ff0000000000001ull
#define D_SNAN2 0xfff0000000000002ull
#define NEG32 0x80000000u
#define NEG64 0x8000000000000000ull

static void test_arith(void)
{
	/* 1e222820 fadd s0, s1, s2 */
	TV(0x1e222820, 0, S_ONE, S_TWO, 0, S_THREE, 0);
	TV(0x1e222820, 0, S_ONE, 0x33800000, 0, S_ONE, IXC);          /* 1 + 2^-24: tie, even */
	TV(0x1e222820, RP, S_ONE, 0x33800000, 0, 0x3f800001, IXC);    /* ... rounded up */
	TV(0x1e222820, RM, 0xbf800000, 0xb3800000, 0, 0xbf800001, IXC); /* -1 - 2^-24 down */
	TV(0x1e222820, RZ, 0xbf800000, 0xb3800000, 0, 0xbf800000, IXC);
	TV(0x1e222820, 0, 0, NEG32, 0, 0, 0);                          /* +0 + -0 = +0 */
	TV(0x1e222820, RM, 0, NEG32, 0, NEG32, 0);                     /* ... -0 rounding down */
	TV(0x1e222820, RM, S_ONE, 0xbf800000, 0, NEG32, 0);            /* 1 - 1 = -0 in RM */
	TV(0x1e222820, 0, S_INF, S_NINF, 0, S_DNAN, IOC);              /* inf - inf */
	TV(0x1e222820, 0, S_MAXNORM, 0x73800000, 0, S_INF, OFC | IXC); /* overflow */
	TV(0x1e222820, RZ, S_MAXNORM, 0x73800000, 0, S_MAXNORM, OFC | IXC);
	TV(0x1e222820, RM, S_MAXNORM, 0x73800000, 0, S_MAXNORM, OFC | IXC);
	TV(0x1e222820, RP, 0xff7fffff, 0xf3800000, 0, 0xff7fffff, OFC | IXC);
	TV(0x1e222820, 0, S_MAXDEN, S_MINDEN, 0, S_MINNORM, 0);       /* denormals: exact */
	TV(0x1e222820, FZ, S_MAXDEN, S_ONE, 0, S_ONE, IDC);            /* flushed operand */
	TV(0x1e222820, FZ, 0x00c00000, 0x80800000, 0, 0, UFC);         /* tiny exact result */
	TV(0x1e222820, FZ, S_MINDEN, S_MINDEN, 0, 0, IDC);             /* both flushed: +0 */
	/* NaNs: first signalling NaN quieted, else first quiet NaN; DN gives the default NaN. */
	TV(0x1e222820, 0, S_QNAN1, S_ONE, 0, S_QNAN1, 0);
	TV(0x1e222820, 0, S_ONE, S_QNAN2, 0, S_QNAN2, 0);
	TV(0x1e222820, 0, S_QNAN1, S_QNAN2, 0, S_QNAN1, 0);
	TV(0x1e222820, 0, S_QNAN1, S_SNAN2, 0, 0xffc00002u, IOC);      /* sNaN wins over qNaN */
	TV(0x1e222820, 0, S_SNAN1, S_SNAN2, 0, 0x7fc00001u, IOC);
	TV(0x1e222820, DN, S_QNAN2, S_ONE, 0, S_DNAN, 0);
	TV(0x1e222820, DN, S_SNAN2, S_ONE, 0, S_DNAN, IOC);
	TV(0x1e222820, FZ, S_QNAN1, S_MINDEN, 0, S_QNAN1, IDC);        /* flush before NaN rules */
	/* 1e622820 fadd d0, d1, d2 */
	TV(0x1e622820, 0, D_ONE, D_TWO, 0, D_THREE, 0);
	TV(0x1e622820, 0, D_QNAN1, D_SNAN2, 0, 0xfff8000000000002ull, IOC);
	TV(0x1e622820, 0, D_INF, D_NINF, 0, D_DNAN, IOC);
	TV(0x1e622820, RP, D_ONE, 0x3ca0000000000000ull, 0, 0x3ff0000000000001ull, IXC);
	TV(0x1e622820, FZ, 0x000fffffffffffffull, D_ONE, 0, D_ONE, IDC);
	/* 1e223820 fsub s0, s1, s2; 1e623820 fsub d0, d1, d2 */
	TV(0x1e223820, 0, S_THREE, S_ONE, 0, S_TWO, 0);
	TV(0x1e223820, 0, S_ONE, S_ONE, 0, 0, 0);
	TV(0x1e223820, RM, S_ONE, S_ONE, 0, NEG32, 0);
	TV(0x1e623820, 0, D_INF, D_INF, 0, D_DNAN, IOC);
	TV(0x1e623820, 0, D_THREE, D_ONE, 0, D_TWO, 0);
	/* 1e220820 fmul s0, s1, s2 */
	TV(0x1e220820, 0, S_TWO, S_THREE, 0, 0x40c00000, 0);
	TV(0x1e220820, 0, S_INF, 0, 0, S_DNAN, IOC);                   /* inf * 0 */
	TV(0x1e220820, 0, S_INF, NEG32, 0, S_DNAN, IOC);
	TV(0x1e220820, 0, 0xbf800000, 0, 0, NEG32, 0);                 /* -1 * +0 = -0 */
	TV(0x1e220820, 0, S_MINNORM, 0x3f000000, 0, 0x00400000, 0);    /* exact denormal */
	TV(0x1e220820, 0, S_MINDEN, 0x3f000000, 0, 0, UFC | IXC);      /* underflow to 0 */
	TV(0x1e220820, RP, S_MINDEN, 0x3f000000, 0, S_MINDEN, UFC | IXC);
	/* Tininess is detected before rounding: (1 - 2^-23) * 2^-126 * (1 + 2^-23) rounds up to
	 * 2^-126 but was tiny, so UFC; x86 alone would say not tiny. */
	TV(0x1e220820, 0, 0x3f7ffffe, 0x00800001, 0, S_MINNORM, UFC | IXC);
	TV(0x1e220820, 0, 0xbf7ffffe, 0x00800001, 0, 0x80800000, UFC | IXC);
	TV(0x1e220820, RZ, 0x3f7ffffe, 0x00800001, 0, S_MAXDEN, UFC | IXC);
	TV(0x1e220820, FZ, 0x3f7ffffe, 0x00800001, 0, 0, UFC);         /* FZ: UFC, no IXC */
	TV(0x1e220820, FZ | RP, 0xbf7ffffe, 0x00800001, 0, NEG32, UFC);
	TV(0x1e220820, 0, 0x3f7fffff, 0x00800001, 0, S_MINNORM, IXC);  /* >= 2^-126: not tiny */
	TV(0x1e220820, FZ, 0x3f7fffff, 0x00800001, 0, S_MINNORM, IXC);
	TV(0x1e220820, 0, 0x3f7fffff, 0x00800000, 0, S_MINNORM, UFC | IXC); /* tie to min */
	TV(0x1e220820, 0, S_MAXNORM, S_TWO, 0, S_INF, OFC | IXC);
	TV(0x1e220820, RZ, S_MAXNORM, S_TWO, 0, S_MAXNORM, OFC | IXC);
	/* 1e620820 fmul d0, d1, d2 */
	TV(0x1e620820, 0, 0x3feffffffffffffeull, 0x0010000000000001ull, 0, D_MINNORM, UFC | IXC);
	TV(0x1e620820, FZ, 0x3feffffffffffffeull, 0x0010000000000001ull, 0, 0, UFC);
	TV(0x1e620820, 0, D_MAXNORM, D_TWO, 0, D_INF, OFC | IXC);
	TV(0x1e620820, 0, D_SNAN1, D_ONE, 0, 0x7ff8000000000001ull, IOC);
	/* 1e228820 fnmul s0, s1, s2: the rounded product negated, NaNs too */
	TV(0x1e228820, 0, S_TWO, S_THREE, 0, 0xc0c00000, 0);
	TV(0x1e228820, 0, S_QNAN1, S_ONE, 0, 0xffc00001, 0);
	TV(0x1e228820, 0, S_INF, 0, 0, 0xffc00000, IOC);
	TV(0x1e228820, DN, S_SNAN1, S_ONE, 0, 0xffc00000, IOC);
	TV(0x1e228820, RP, S_ONE, 0x3f800001, 0, 0xbf800001, 0);
	TV(0x1e228820, RP, 0x3f800001, 0x3f800001, 0, 0xbf800003, IXC); /* -(RP(x)), not RP(-x) */
	TV(0x1e628820, 0, D_TWO, D_THREE, 0, 0xc018000000000000ull, 0);
	/* 1e221820 fdiv s0, s1, s2 */
	TV(0x1e221820, 0, S_ONE, S_THREE, 0, 0x3eaaaaab, IXC);
	TV(0x1e221820, RZ, S_ONE, S_THREE, 0, 0x3eaaaaaa, IXC);
	TV(0x1e221820, 0, S_ONE, 0, 0, S_INF, DZC);
	TV(0x1e221820, 0, 0xbf800000, 0, 0, S_NINF, DZC);
	TV(0x1e221820, 0, S_ONE, NEG32, 0, S_NINF, DZC);
	TV(0x1e221820, 0, 0, 0, 0, S_DNAN, IOC);
	TV(0x1e221820, 0, S_INF, S_INF, 0, S_DNAN, IOC);
	TV(0x1e221820, 0, S_INF, 0, 0, S_INF, 0);                      /* inf / 0: no DZC */
	TV(0x1e221820, FZ, S_ONE, S_MINDEN, 0, S_INF, IDC | DZC);      /* flushed divisor */
	TV(0x1e221820, 0, S_MINNORM, 0x3f800001, 0, S_MAXDEN, UFC | IXC);
	/* 1e621820 fdiv d0, d1, d2 */
	TV(0x1e621820, 0, D_ONE, D_THREE, 0, 0x3fd5555555555555ull, IXC);
	TV(0x1e621820, RP, D_ONE, D_THREE, 0, 0x3fd5555555555556ull, IXC);
	TV(0x1e621820, 0, D_ONE, 0, 0, D_INF, DZC);
	/* 1e21c020 fsqrt s0, s1; 1e61c020 fsqrt d0, d1 */
	TV(0x1e21c020, 0, 0x40800000, 0, 0, S_TWO, 0);
	TV(0x1e21c020, 0, S_TWO, 0, 0, 0x3fb504f3, IXC);
	TV(0x1e21c020, RP, S_TWO, 0, 0, 0x3fb504f4, IXC);
	TV(0x1e21c020, 0, NEG32, 0, 0, NEG32, 0);                      /* sqrt(-0) = -0 */
	TV(0x1e21c020, 0, 0xbf800000, 0, 0, S_DNAN, IOC);
	TV(0x1e21c020, 0, S_NINF, 0, 0, S_DNAN, IOC);
	TV(0x1e21c020, 0, S_INF, 0, 0, S_INF, 0);
	TV(0x1e21c020, 0, S_QNAN2, 0, 0, S_QNAN2, 0);
	TV(0x1e21c020, 0, S_SNAN2, 0, 0, 0xffc00002, IOC);
	TV(0x1e21c020, FZ, 0x80000001, 0, 0, NEG32, IDC);              /* -denormal flushed */
	TV(0x1e61c020, 0, 0x4010000000000000ull, 0, 0, D_TWO, 0);
	TV(0x1e61c020, 0, 0xbff0000000000000ull, 0, 0, D_DNAN, IOC);
	TV(0x1e61c020, 0, D_MINDEN, 0, 0, 0x1e60000000000000ull, 0);   /* sqrt(2^-1074) */
}

static void test_minmax(void)
{
	/* 1e224820 fmax s0, s1, s2; 1e225820 fmin; 1e226820 fmaxnm; 1e227820 fminnm */
	TV(0x1e224820, 0, S_ONE, S_TWO, 0, S_TWO, 0);
	TV(0x1e224820, 0, 0, NEG32, 0, 0, 0);                          /* -0 < +0 */
	TV(0x1e224820, 0, NEG32, 0, 0, 0, 0);
	TV(0x1e225820, 0, 0, NEG32, 0, NEG32, 0);
	TV(0x1e225820, 0, NEG32, 0, 0, NEG32, 0);
	TV(0x1e224820, 0, S_QNAN1, S_ONE, 0, S_QNAN1, 0);
	TV(0x1e224820, 0, S_ONE, S_SNAN2, 0, 0xffc00002, IOC);
	TV(0x1e224820, 0, S_NINF, S_INF, 0, S_INF, 0);
	TV(0x1e225820, 0, S_NINF, S_INF, 0, S_NINF, 0);
	TV(0x1e224820, 0, S_MINDEN, 0, 0, S_MINDEN, 0);                /* denormal kept */
	TV(0x1e224820, FZ, S_MINDEN, 0, 0, 0, IDC);                    /* flushed: +0 */
	TV(0x1e224820, FZ, 0x80000001, 0xbf800000, 0, NEG32, IDC);     /* max(-den, -1) = -0 */
	TV(0x1e226820, 0, S_QNAN1, S_ONE, 0, S_ONE, 0);                /* one quiet NaN loses */
	TV(0x1e226820, 0, S_ONE, S_QNAN1, 0, S_ONE, 0);
	TV(0x1e226820, 0, S_QNAN1, S_NINF, 0, S_NINF, 0);
	TV(0x1e227820, 0, S_QNAN1, S_INF, 0, S_INF, 0);
	TV(0x1e226820, 0, S_QNAN1, S_QNAN2, 0, S_QNAN1, 0);            /* two: NaN rules */
	TV(0x1e226820, 0, S_SNAN1, S_ONE, 0, 0x7fc00001, IOC);         /* signalling: NaN */
	TV(0x1e226820, 0, S_QNAN1, S_SNAN2, 0, 0xffc00002, IOC);
	TV(0x1e226820, DN, S_SNAN1, S_ONE, 0, S_DNAN, IOC);
	TV(0x1e227820, 0, S_TWO, S_QNAN2, 0, S_TWO, 0);
	TV(0x1e227820, 0, 0, NEG32, 0, NEG32, 0);
	TV(0x1e624820, 0, D_ONE, D_TWO, 0, D_TWO, 0);
	TV(0x1e625820, 0, 0, NEG64, 0, NEG64, 0);
	TV(0x1e626820, 0, D_QNAN1, D_ONE, 0, D_ONE, 0);
	TV(0x1e627820, 0, D_ONE, D_SNAN1, 0, 0x7ff8000000000001ull, IOC);
}

static void test_fma(void)
{
	/* 1f020c20 fmadd s0, s1, s2, s3: s3 + s1 * s2 */
	TV(0x1f020c20, 0, S_TWO, S_THREE, S_ONE, 0x40e00000, 0);
	/* fused: (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46 exactly (unfused would give 0) */
	TV(0x1f020c20, 0, 0x3f800001, 0x3f800001, 0xbf800002, 0x28800000, 0);
	TV(0x1f020c20, 0, 0, S_INF, S_QNAN1, S_DNAN, IOC);             /* 0 * inf + qNaN */
	TV(0x1f020c20, 0, 0, S_INF, S_SNAN2, 0xffc00002, IOC);
	TV(0x1f020c20, 0, S_QNAN1, S_SNAN2, S_QNAN2, 0xffc00002, IOC); /* sNaN first */
	TV(0x1f020c20, 0, S_QNAN1, S_ONE, S_QNAN2, S_QNAN2, 0);        /* addend first */
	TV(0x1f020c20, 0, S_ONE, S_QNAN1, S_ONE, S_QNAN1, 0);
	TV(0x1f020c20, 0, S_INF, S_ONE, S_NINF, S_DNAN, IOC);          /* inf - inf */
	TV(0x1f020c20, 0, S_ONE, 0, NEG32, 0, 0);                      /* +0 + -0 */
	TV(0x1f020c20, 0, 0xbf800000, 0, NEG32, NEG32, 0);             /* -0 + -0 */
	TV(0x1f020c20, RM, S_ONE, S_ONE, 0xbf800000, NEG32, 0);        /* exact 0 in RM */
	TV(0x1f020c20, 0, 0x3f7ffffe, 0x00800001, 0, S_MINNORM, UFC | IXC);
	TV(0x1f020c20, FZ, S_ONE, S_MINDEN, S_ONE, S_ONE, IDC);
	/* 1f028c20 fmsub s0, s1, s2, s3: s3 - s1 * s2 (s1 negated, NaN sign too) */
	TV(0x1f028c20, 0, S_TWO, S_THREE, S_ONE, 0xc0a00000, 0);
	TV(0x1f028c20, 0, S_QNAN1, S_ONE, S_ONE, 0xffc00001, 0);
	TV(0x1f028c20, 0, S_SNAN1, S_ONE, S_ONE, 0xffc00001, IOC);
	/* 1f220c20 fnmadd s0, s1, s2, s3: -s3 - s1 * s2 */
	TV(0x1f220c20, 0, S_TWO, S_THREE, S_ONE, 0xc0e00000, 0);
	TV(0x1f220c20, 0, S_ONE, S_ONE, S_QNAN1, 0xffc00001, 0);
	/* 1f228c20 fnmsub s0, s1, s2, s3: s1 * s2 - s3 */
	TV(0x1f228c20, 0, S_TWO, S_THREE, S_ONE, 0x40a00000, 0);
	TV(0x1f228c20, 0, S_QNAN1, S_ONE, S_ONE, S_QNAN1, 0);
	TV(0x1f228c20, 0, S_ONE, S_ONE, S_QNAN1, 0xffc00001, 0);
	/* double: 1f420c20 fmadd, 1f428c20 fmsub, 1f620c20 fnmadd, 1f628c20 fnmsub */
	TV(0x1f420c20, 0, D_TWO, D_THREE, D_ONE, 0x401c000000000000ull, 0);
	TV(0x1f420c20, 0, 0x3ff0000000000001ull, 0x3ff0000000000001ull, 0xbff0000000000002ull,
	   0x3970000000000000ull, 0);
	TV(0x1f420c20, 0, D_INF, 0, D_QNAN1, D_DNAN, IOC);
	TV(0x1f428c20, 0, D_TWO, D_THREE, D_ONE, 0xc014000000000000ull, 0);
	TV(0x1f620c20, 0, D_TWO, D_THREE, D_ONE, 0xc01c000000000000ull, 0);
	TV(0x1f628c20, 0, D_TWO, D_THREE, D_ONE, 0x4014000000000000ull, 0);
	TV(0x1f628c20, DN, D_SNAN1, D_ONE, D_ONE, D_DNAN, IOC);
}

static void test_unary(void)
{
	/* 1e204020 fmov s0, s1; 1e604020 fmov d0, d1: bits, no flags, upper bits zeroed */
	TV(0x1e204020, 0, S_SNAN1, 0, 0, S_SNAN1, 0);
	TV(0x1e604020, FZ, D_MINDEN, 0, 0, D_MINDEN, 0);
	/* 1e20c020 fabs s0, s1; 1e214020 fneg s0, s1; 1e60c020 fabs d0, d1; 1e614020 fneg d0, d1 */
	TV(0x1e20c020, 0, S_SNAN2, 0, 0, 0x7f800002, 0);
	TV(0x1e214020, 0, S_SNAN1, 0, 0, 0xff800001, 0);
	TV(0x1e214020, FZ, S_MINDEN, 0, 0, 0x80000001, 0);             /* no flush, no IDC */
	TV(0x1e60c020, 0, 0xbff0000000000000ull, 0, 0, D_ONE, 0);
	TV(0x1e614020, 0, 0, 0, 0, NEG64, 0);
	/* frint: 1e244020 frintn s0, s1; 1e24c020 frintp; 1e254020 frintm; 1e25c020 frintz;
	 * 1e264020 frinta; 1e274020 frintx; 1e27c020 frinti */
	TV(0x1e244020, 0, 0x40200000, 0, 0, S_TWO, 0);                 /* 2.5 -> 2 */
	TV(0x1e244020, 0, 0x40600000, 0, 0, 0x40800000, 0);            /* 3.5 -> 4 */
	TV(0x1e264020, 0, 0x40200000, 0, 0, S_THREE, 0);               /* 2.5 -> 3 */
	TV(0x1e264020, 0, 0xc0200000, 0, 0, 0xc0400000, 0);            /* -2.5 -> -3 */
	TV(0x1e24c020, 0, 0x3fc00000, 0, 0, S_TWO, 0);                 /* ceil 1.5 */
	TV(0x1e24c020, 0, 0xbf000000, 0, 0, NEG32, 0);                 /* ceil -0.5 = -0 */
	TV(0x1e254020, 0, 0xbfc00000, 0, 0, 0xc0000000, 0);            /* floor -1.5 */
	TV(0x1e254020, 0, 0x3f000000, 0, 0, 0, 0);                     /* floor 0.5 = +0 */
	TV(0x1e25c020, 0, 0xbfc00000, 0, 0, 0xbf800000, 0);            /* trunc -1.5 */
	TV(0x1e274020, 0, 0x3fc00000, 0, 0, S_TWO, IXC);               /* frintx: inexact */
	TV(0x1e274020, RM, 0x3fc00000, 0, 0, S_ONE, IXC);
	TV(0x1e274020, 0, S_TWO, 0, 0, S_TWO, 0);
	TV(0x1e27c020, RP, 0x3fc00000, 0, 0, S_TWO, 0);                /* frinti: FPCR, no IXC */
	TV(0x1e27c020, RZ, 0xbfc00000, 0, 0, 0xbf800000, 0);
	TV(0x1e244020, 0, 0x4b000001, 0, 0, 0x4b000001, 0);            /* 2^23 + 1: integral */
	TV(0x1e244020, 0, S_SNAN1, 0, 0, 0x7fc00001, IOC);
	TV(0x1e244020, 0, S_NINF, 0, 0, S_NINF, 0);
	TV(0x1e24c020, FZ, S_MINDEN, 0, 0, 0, IDC);                    /* flushed, not 1.0 */
	TV(0x1e24c020, 0, S_MINDEN, 0, 0, S_ONE, 0);
	TV(0x1e644020, 0, 0x4004000000000000ull, 0, 0, D_TWO, 0);      /* 2.5 -> 2 */
	TV(0x1e664020, 0, 0x4004000000000000ull, 0, 0, D_THREE, 0);
	TV(0x1e674020, 0, 0x3fe0000000000000ull, 0, 0, 0, IXC);        /* 0.5 -> 0 */
	TV(0x1e654020, 0, 0xbfe0000000000000ull, 0, 0, 0xbff0000000000000ull, 0);
}

static void test_fcvt(void)
{
	/* 1e22c020 fcvt d0, s1 */
	TV(0x1e22c020, 0, S_ONE, 0, 0, D_ONE, 0);
	TV(0x1e22c020, 0, S_MINDEN, 0, 0, 0x36a0000000000000ull, 0);   /* exact */
	TV(0x1e22c020, FZ, S_MINDEN, 0, 0, 0, IDC);
	TV(0x1e22c020, 0, 0x7fc12345, 0, 0, 0x7ff82468a0000000ull, 0); /* payload kept */
	TV(0x1e22c020, 0, 0xff812345, 0, 0, 0xfff82468a0000000ull, IOC);
	TV(0x1e22c020, DN, 0x7fc12345, 0, 0, D_DNAN, 0);
	/* 1e624020 fcvt s0, d1 */
	TV(0x1e624020, 0, 0x3fd5555555555555ull, 0, 0, 0x3eaaaaab, IXC);
	TV(0x1e624020, RZ, 0x3fd5555555555555ull, 0, 0, 0x3eaaaaaa, IXC);
	TV(0x1e624020, 0, D_MAXNORM, 0, 0, S_INF, OFC | IXC);
	TV(0x1e624020, RZ, D_MAXNORM, 0, 0, S_MAXNORM, OFC | IXC);
	TV(0x1e624020, 0, D_MINDEN, 0, 0, 0, UFC | IXC);
	TV(0x1e624020, 0, 0x380fffffffffffffull, 0, 0, S_MINNORM, UFC | IXC); /* tiny, rounds up */
	TV(0x1e624020, FZ, 0x380fffffffffffffull, 0, 0, 0, UFC);
	TV(0x1e624020, 0, 0x36a0000000000000ull, 0, 0, S_MINDEN, 0);   /* exact denormal */
	TV(0x1e624020, FZ, 0x36a0000000000000ull, 0, 0, 0, UFC);
	TV(0x1e624020, 0, 0x7ff82468a0000001ull, 0, 0, 0x7fc12345, 0); /* payload truncated */
	TV(0x1e624020, 0, D_SNAN1, 0, 0, S_DNAN, IOC);
	/* 1e23c020 fcvt h0, s1; 1e63c020 fcvt h0, d1 */
	TV(0x1e23c020, 0, S_ONE, 0, 0, 0x3c00, 0);
	TV(0x1e23c020, 0, 0x477fe000, 0, 0, 0x7bff, 0);                /* 65504 */
	TV(0x1e23c020, 0, 0x477ff000, 0, 0, 0x7c00, OFC | IXC);        /* 65520: overflows */
	TV(0x1e23c020, RZ, 0x477ff000, 0, 0, 0x7bff, IXC);             /* ... not in RZ */
	TV(0x1e23c020, 0, 0x33800000, 0, 0, 0x0001, 0);                /* 2^-24 */
	TV(0x1e23c020, 0, 0x33000000, 0, 0, 0, UFC | IXC);             /* 2^-25: tie to 0 */
	TV(0x1e23c020, 0, 0x33000001, 0, 0, 0x0001, UFC | IXC);
	TV(0x1e23c020, FZ, 0x33800000, 0, 0, 0x0001, 0);               /* FZ: not for half */
	TV(0x1e23c020, FZ, S_MINDEN, 0, 0, 0, IDC);                    /* ...but for single */
	TV(0x1e23c020, 0, 0x7fc12345, 0, 0, 0x7e09, 0);
	TV(0x1e23c020, 0, S_SNAN2, 0, 0, 0xfe00, IOC);
	TV(0x1e23c020, 0, S_NINF, 0, 0, 0xfc00, 0);
	TV(0x1e23c020, AHP, S_INF, 0, 0, 0x7fff, IOC);                 /* alternative half */
	TV(0x1e23c020, AHP, S_QNAN2, 0, 0, 0x8000, IOC);
	TV(0x1e23c020, AHP, 0x47800000, 0, 0, 0x7c00, 0);              /* 65536 fits */
	TV(0x1e23c020, AHP, 0x48000000, 0, 0, 0x7fff, IOC);            /* 131072 does not */
	TV(0x1e63c020, 0, 0x3fd5555555555555ull, 0, 0, 0x3555, IXC);
	TV(0x1e63c020, 0, D_QNAN1, 0, 0, 0x7e00, 0);
	/* 1ee24020 fcvt s0, h1; 1ee2c020 fcvt d0, h1 */
	TV(0x1ee24020, 0, 0x3c00, 0, 0, S_ONE, 0);
	TV(0x1ee24020, 0, 0x0001, 0, 0, 0x33800000, 0);
	TV(0x1ee24020, FZ, 0x0001, 0, 0, 0x33800000, 0);               /* half never flushed */
	TV(0x1ee24020, 0, 0x7c00, 0, 0, S_INF, 0);
	TV(0x1ee24020, AHP, 0x7c00, 0, 0, 0x47800000, 0);
	TV(0x1ee24020, AHP, 0xffff, 0, 0, 0xc7ffe000, 0);
	TV(0x1ee24020, 0, 0x7d23, 0, 0, 0x7fe46000, IOC);              /* sNaN quieted */
	TV(0x1ee2c020, 0, 0xfe01, 0, 0, 0xfff8040000000000ull, 0);
	TV(0x1ee2c020, DN, 0xfe01, 0, 0, D_DNAN, 0);
	TV(0x1ee2c020, 0, 0x3555, 0, 0, 0x3fd5540000000000ull, 0);
}

static void test_compare(void)
{
	/* 1e222020 fcmp s1, s2; 1e222030 fcmpe s1, s2; 1e202028 fcmp s1, #0.0;
	 * 1e202038 fcmpe s1, #0.0; 1e622020 fcmp d1, d2 */
	TF(0x1e222020, 0, 0, S_ONE, S_ONE, NZCV_EQ, 0);
	TF(0x1e222020, 0, 0, S_ONE, S_TWO, NZCV_LT, 0);
	TF(0x1e222020, 0, 0, S_TWO, S_ONE, NZCV_GT, 0);
	TF(0x1e222020, 0, 0, 0, NEG32, NZCV_EQ, 0);
	TF(0x1e222020, 0, 0, S_QNAN1, S_ONE, NZCV_UN, 0);
	TF(0x1e222020, 0, 0, S_ONE, S_SNAN1, NZCV_UN, IOC);
	TF(0x1e222030, 0, 0, S_QNAN1, S_ONE, NZCV_UN, IOC);
	TF(0x1e222030, 0, 0, S_NINF, S_ONE, NZCV_LT, 0);
	TF(0x1e222020, FZ, 0, S_MINDEN, 0, NZCV_EQ, IDC);
	TF(0x1e222020, 0, 0, S_MINDEN, 0, NZCV_GT, 0);
	TF(0x1e222020, FZ, 0, S_QNAN1, S_MINDEN, NZCV_UN, IDC);
	TF(0x1e202028, 0, 0, 0xbf800000, S_TWO, NZCV_LT, 0);          /* Rm ignored */
	TF(0x1e202028, 0, 0, NEG32, 0, NZCV_EQ, 0);
	TF(0x1e202028, 0, 0, S_QNAN1, 0, NZCV_UN, 0);
	TF(0x1e202038, 0, 0, S_QNAN1, 0, NZCV_UN, IOC);
	TF(0x1e622020, 0, 0, D_ONE, D_TWO, NZCV_LT, 0);
	TF(0x1e622030, 0, 0, D_QNAN1, D_ONE, NZCV_UN, IOC);
	TF(0x1e602028, 0, 0, D_INF, 0, NZCV_GT, 0);
	/* 1e220420 fccmp s1, s2, #0, eq; 1e220430 fccmpe s1, s2, #0, eq;
	 * 1e22142f fccmp s1, s2, #0xf, ne */
	TF(0x1e220420, 0, NZCV_EQ, S_ONE, S_TWO, NZCV_LT, 0);         /* eq holds: compare */
	TF(0x1e220420, 0, 0, S_ONE, S_TWO, 0, 0);                     /* else #nzcv */
	TF(0x1e22142f, 0, 0, S_ONE, S_TWO, NZCV_LT, 0);
	TF(0x1e22142f, 0, NZCV_EQ, S_QNAN1, S_TWO, 0xf0000000, 0);    /* no compare, no IOC */
	TF(0x1e220430, 0, NZCV_EQ, S_QNAN1, S_TWO, NZCV_UN, IOC);
	TF(0x1e220420, 0, NZCV_EQ, S_QNAN1, S_TWO, NZCV_UN, 0);
	TF(0x1e620420, 0, NZCV_EQ, D_TWO, D_ONE, NZCV_GT, 0);
	/* 1e220c20 fcsel s0, s1, s2, eq; 1e621c20 fcsel d0, d1, d2, ne */
	t(__LINE__, OV, 0x1e220c20, 0, NZCV_EQ, S_SNAN1, S_ONE, 0, S_SNAN1, 0);
	t(__LINE__, OV, 0x1e220c20, 0, 0, S_SNAN1, S_ONE, 0, S_ONE, 0);
	t(__LINE__, OV, 0x1e621c20, 0, 0, D_ONE, D_TWO, 0, D_ONE, 0);
}

static void test_moves(void)
{
	/* 1e2e1000 fmov s0, #1.0; 1e6e1000 fmov d0, #1.0; 1e3f1000 fmov s0, #-1.5 (imm8 0xf8);
	 * 1e601000 fmov d0, #2.0 (imm8 0); 1e3ff000 fmov s0, #-1.9375 (imm8 0xff);
	 * 1e301000 fmov s0, #-2.0 (imm8 0x80) */
	TV(0x1e2e1000, 0, 0, 0, 0, S_ONE, 0);
	TV(0x1e6e1000, 0, 0, 0, 0, D_ONE, 0);
	TV(0x1e3f1000, 0, 0, 0, 0, 0xbfc00000, 0);
	TV(0x1e601000, 0, 0, 0, 0, D_TWO, 0);
	TV(0x1e3ff000, 0, 0, 0, 0, 0xbff80000, 0);
	TV(0x1e301000, 0, 0, 0, 0, 0xc0000000, 0);
	TV(0x1e341000, 0, 0, 0, 0, 0xc1000000, 0);                       /* imm8 0xa0: -8 */
	TV(0x1e381000, 0, 0, 0, 0, 0xbe000000, 0);                       /* imm8 0xc0: -0.125 */
	/* 1e260020 fmov w0, s1; 1e270020 fmov s0, w1; 9e660020 fmov x0, d1; 9e670020 fmov d0, x1 */
	TX(0x1e260020, 0, 0xdeadbeefcafef00dull, 0xcafef00d, 0);
	TV(0x1e270020, 0, 0xdeadbeefcafef00dull, 0, 0, 0xcafef00d, 0);
	TX(0x9e660020, 0, 0xdeadbeefcafef00dull, 0xdeadbeefcafef00dull, 0);
	TV(0x9e670020, 0, 0xdeadbeefcafef00dull, 0, 0, 0xdeadbeefcafef00dull, 0);
	/* 9eae0020 fmov x0, v1.d[1]; 9eaf0020 fmov v0.d[1], x1 (keeps v0.d[0]) */
	TX(0x9eae0020, 0, 0, HIPAT, 0);
	t(__LINE__, OU, 0x9eaf0020, 0, 0, 0x0123456789abcdefull, 0, 0, 0x0123456789abcdefull, 0);
	/* 1e2703e0 fmov s0, wzr; 9e6703e0 fmov d0, xzr */
	TV(0x1e2703e0, 0, 0, 0, 0, 0, 0);
	TV(0x9e6703e0, 0, 0, 0, 0, 0, 0);
}

static void test_to_int(void)
{
	/* 1e380020 fcvtzs w0, s1; 9e380020 fcvtzs x0, s1; 1e390020 fcvtzu w0, s1 */
	TX(0x1e380020, 0, 0x3fc00000, 1, IXC);
	TX(0x1e380020, 0, 0xbfc00000, 0xffffffff, IXC);                /* -1, zero-extended */
	TX(0x1e380020, 0, 0x4effffff, 0x7fffff80, 0);
	TX(0x1e380020, 0, 0x4f000000, 0x7fffffff, IOC);                /* 2^31 saturates */
	TX(0x1e380020, 0, 0xcf000000, 0x80000000, 0);                  /* -2^31 fits */
	TX(0x1e380020, 0, 0xcf000001, 0x80000000, IOC);
	TX(0x1e380020, 0, S_QNAN1, 0, IOC);
	TX(0x1e380020, 0, S_INF, 0x7fffffff, IOC);
	TX(0x1e380020, 0, S_NINF, 0x80000000, IOC);
	TX(0x1e380020, 0, S_MINDEN, 0, IXC);
	TX(0x1e380020, FZ, S_MINDEN, 0, IDC);                          /* flushed: exact 0 */
	TX(0x1e380020, RP, 0x3fc00000, 1, IXC);                        /* FPCR ignored */
	TX(0x9e380020, 0, 0x5effffff, 0x7fffff8000000000ull, 0);
	TX(0x9e380020, 0, 0x5f000000, 0x7fffffffffffffffull, IOC);
	TX(0x9e380020, 0, 0xdf000000, 0x8000000000000000ull, 0);
	TX(0x1e390020, 0, 0xbf000000, 0, IXC);                         /* -0.5 -> 0, inexact */
	TX(0x1e390020, 0, 0xbf800000, 0, IOC);                         /* -1 saturates to 0 */
	TX(0x1e390020, 0, 0x4f7fffff, 0xffffff00, 0);
	TX(0x1e390020, 0, 0x4f800000, 0xffffffff, IOC);
	/* 1e780020 fcvtzs w0, d1; 9e780020 fcvtzs x0, d1; 1e790020 fcvtzu w0, d1;
	 * 9e790020 fcvtzu x0, d1 */
	TX(0x1e780020, 0, 0x41dfffffffc00000ull, 0x7fffffff, 0);       /* 2^31 - 1 */
	TX(0x1e780020, 0, 0x41dfffffffe00000ull, 0x7fffffff, IXC);     /* 2^31 - 0.5 */
	TX(0x1e780020, 0, 0xc1e0000000100000ull, 0x80000000, IXC);     /* -2^31 - 0.5 */
	TX(0x1e780020, 0, 0xc1e0000000200000ull, 0x80000000, IOC);     /* -2^31 - 1 */
	TX(0x9e780020, 0, 0x43dfffffffffffffull, 0x7ffffffffffffc00ull, 0);
	TX(0x9e780020, 0, 0x43e0000000000000ull, 0x7fffffffffffffffull, IOC);
	TX(0x9e780020, 0, D_SNAN1, 0, IOC);
	TX(0x1e790020, 0, 0x41effffffff00000ull, 0xffffffff, IXC);     /* 2^32 - 0.5 */
	TX(0x9e790020, 0, 0x43efffffffffffffull, 0xfffffffffffff800ull, 0);
	TX(0x9e790020, 0, 0x43f0000000000000ull, 0xffffffffffffffffull, IOC);
	TX(0x9e790020, 0, 0x43e0000000000000ull, 0x8000000000000000ull, 0);
	TX(0x9e790020, 0, NEG64, 0, 0);                                /* -0 */
	/* 1e200020 fcvtns w0, s1; 1e240020 fcvtas w0, s1; 1e280020 fcvtps w0, s1;
	 * 1e300020 fcvtms w0, s1; 1e210020 fcvtnu w0, s1; 1e250020 fcvtau w0, s1 */
	TX(0x1e200020, 0, 0x40200000, 2, IXC);                         /* 2.5 -> 2 */
	TX(0x1e200020, 0, 0x40600000, 4, IXC);                         /* 3.5 -> 4 */
	TX(0x1e200020, 0, 0xc0200000, 0xfffffffe, IXC);                /* -2.5 -> -2 */
	TX(0x1e240020, 0, 0x40200000, 3, IXC);
	TX(0x1e240020, 0, 0xc0200000, 0xfffffffd, IXC);                /* -2.5 -> -3 */
	TX(0x1e280020, 0, 0x3f000001, 1, IXC);
	TX(0x1e280020, 0, 0xbf7fffff, 0, IXC);
	TX(0x1e300020, 0, 0xbf000000, 0xffffffff, IXC);                /* floor -0.5 = -1 */
	TX(0x1e210020, 0, 0xbf000000, 0, IXC);                         /* -0.5 -> -0: fits */
	TX(0x1e210020, 0, 0xbf400000, 0, IOC);                         /* -0.75 -> -1: no */
	TX(0x1e250020, 0, 0xbf000000, 0, IOC);                         /* -0.5 away -> -1 */
	TX(0x1e200020, 0, 0x4effffff, 0x7fffff80, 0);
	/* 9e600020 fcvtns x0, d1 */
	TX(0x9e600020, 0, 0x43dfffffffffffffull, 0x7ffffffffffffc00ull, 0);
	TX(0x9e600020, 0, 0x3fe0000000000001ull, 1, IXC);
	/* fixed point: 1e18fc20 fcvtzs w0, s1, #1; 9e58fc20 fcvtzs x0, d1, #1;
	 * 1e19fc20 fcvtzu w0, s1, #1; 1e188020 fcvtzs w0, s1, #32; 9e580020 fcvtzs x0, d1, #64 */
	TX(0x1e18fc20, 0, 0x3fc00000, 3, 0);                           /* 1.5 * 2 */
	TX(0x1e18fc20, 0, 0x3fd00000, 3, IXC);                         /* 1.625 * 2 */
	TX(0x1e18fc20, 0, 0x4e800000, 0x7fffffff, IOC);                /* 2^30 * 2 */
	TX(0x9e58fc20, 0, 0xc008000000000000ull, 0xfffffffffffffffaull, 0);
	TX(0x1e19fc20, 0, 0x4f000000, 0xffffffff, IOC);
	TX(0x1e188020, 0, 0x3e800000, 0x40000000, 0);                  /* 0.25 * 2^32 */
	TX(0x1e188020, 0, 0x3f000000, 0x7fffffff, IOC);                /* 0.5 * 2^32 */
	TX(0x9e580020, 0, 0x3fd0000000000000ull, 0x4000000000000000ull, 0);
	TX(0x9e580020, 0, 0xbfe0000000000000ull, 0x8000000000000000ull, 0);
	TX(0x9e580020, 0, 0x3c00000000000000ull, 2, 0);                /* 2^-63 * 2^64 */
	TX(0x9e580020, 0, 0x3bf0000000000000ull, 1, 0);                /* 2^-64 * 2^64 */
	TX(0x9e580020, 0, 0x3be0000000000000ull, 0, IXC);              /* 2^-65 * 2^64 */
}

static void test_from_int(void)
{
	/* 1e220020 scvtf s0, w1; 9e220020 scvtf s0, x1; 1e230020 ucvtf s0, w1;
	 * 9e230020 ucvtf s0, x1; 1e620020 scvtf d0, w1; 9e620020 scvtf d0, x1;
	 * 1e630020 ucvtf d0, w1; 9e630020 ucvtf d0, x1 */
	TV(0x1e220020, 0, 0xffffffff00000001ull, 0, 0, S_ONE, 0);      /* W: upper bits ignored */
	TV(0x1e220020, 0, 0xffffffff, 0, 0, 0xbf800000, 0);
	TV(0x1e220020, 0, 0x80000000, 0, 0, 0xcf000000, 0);
	TV(0x1e220020, 0, 0x7fffffff, 0, 0, 0x4f000000, IXC);
	TV(0x1e220020, RZ, 0x7fffffff, 0, 0, 0x4effffff, IXC);
	TV(0x1e220020, RM, 0x80000001, 0, 0, 0xcf000000, IXC);
	TV(0x1e220020, RP, 0x80000001, 0, 0, 0xceffffff, IXC);
	TV(0x1e220020, 0, 0, 0, 0, 0, 0);
	TV(0x1e220020, RM, 0, 0, 0, 0, 0);                             /* +0 even in RM */
	TV(0x1e230020, 0, 0xffffffff, 0, 0, 0x4f800000, IXC);
	TV(0x9e220020, 0, 0x8000000000000000ull, 0, 0, 0xdf000000, 0);
	TV(0x9e220020, 0, 0x0000000001000001ull, 0, 0, 0x4b800000, IXC); /* tie to even */
	TV(0x9e220020, 0, 0x0000000001000003ull, 0, 0, 0x4b800002, IXC);
	TV(0x9e230020, 0, 0xffffffffffffffffull, 0, 0, 0x5f800000, IXC);
	TV(0x9e230020, RZ, 0xffffffffffffffffull, 0, 0, 0x5f7fffff, IXC);
	TV(0x9e230020, 0, 0x8000008000000000ull, 0, 0, 0x5f000000, IXC); /* tie, even */
	TV(0x9e230020, 0, 0x8000008000000001ull, 0, 0, 0x5f000001, IXC);
	TV(0x1e620020, 0, 0x80000000, 0, 0, 0xc1e0000000000000ull, 0);
	TV(0x1e630020, 0, 0xffffffff, 0, 0, 0x41efffffffe00000ull, 0);
	TV(0x9e620020, 0, 0x7fffffffffffffffull, 0, 0, 0x43e0000000000000ull, IXC);
	TV(0x9e620020, RZ, 0x7fffffffffffffffull, 0, 0, 0x43dfffffffffffffull, IXC);
	TV(0x9e630020, 0, 0xfffffffffffff801ull, 0, 0, 0x43efffffffffffffull, IXC);
	TV(0x9e630020, 0, 0xfffffffffffffc01ull, 0, 0, 0x43f0000000000000ull, IXC);
	TV(0x9e630020, RM, 0xfffffffffffffc01ull, 0, 0, 0x43efffffffffffffull, IXC);
	/* fixed point: 1e02fc20 scvtf s0, w1, #1; 9e42fc20 scvtf d0, x1, #1;
	 * 1e03fc20 ucvtf s0, w1, #1; 9e430020 ucvtf d0, x1, #64 */
	TV(0x1e02fc20, 0, 3, 0, 0, 0x3fc00000, 0);
	TV(0x1e02fc20, 0, 0xffffffff, 0, 0, 0xbf000000, 0);
	TV(0x1e03fc20, 0, 0xffffffff, 0, 0, 0x4f000000, IXC);
	TV(0x9e42fc20, 0, 0xfffffffffffffffdull, 0, 0, 0xbff8000000000000ull, 0);
	TV(0x9e430020, 0, 1, 0, 0, 0x3bf0000000000000ull, 0);
	TV(0x9e430020, FZ, 1, 0, 0, 0x3bf0000000000000ull, 0);
	TV(0x9e430020, 0, 0xffffffffffffffffull, 0, 0, D_ONE, IXC);
}

static void test_undef(void)
{
	/* Not implemented (FEAT_FP16, FRINTTS, JSCVT, BF16) or unallocated: SIGILL. */
	static const uint32_t insns[] = {
		0x1ee22820, /* fadd h0, h1, h2 */
		0x1ee70020, /* fmov h0, w1 */
		0x1ee60020, /* fmov w0, h1 */
		0x1eee1000, /* fmov h0, #1.0 */
		0x1ee04020, /* fmov h0, h1 */
		0x1e284020, /* frint32z s0, s1 */
		0x1e69c020, /* frint64x d0, d1 */
		0x1e7e0020, /* fjcvtzs w0, d1 */
		0x1e634020, /* bfcvt h0, s1 */
		0x1ee20020, /* scvtf h0, w1 */
		0x1ef80020, /* fcvtzs w0, h1 */
		0x1ee22020, /* fcmp h1, h2 */
		0x1fc20c20, /* fmadd h0, h1, h2, h3 */
		0x1ee1c020, /* fsqrt h0, h1 */
		0x1e224020, /* fcvt s0, s1 (same format) */
		0x1e229820, /* fp 2-source opcode 9 */
		0x3e222820, /* fadd with S = 1 */
		0x9e222820, /* fadd with M = 1 */
		0x1ea22820, /* fadd, ftype 10 */
		0x1e2e1020, /* fmov s0, #1.0 with imm5 != 0 */
		0x1e226020, /* fcmp with op = 01 */
		0x1e222021, /* fcmp with opcode2<2:0> != 0 */
		0x1e02fc20 & ~(1u << 15), /* scvtf s0, w1, #33: scale < 32 with sf = 0 */
		0x9e260020, /* fmov x0, s1 (sf/type mismatch) */
		0x1e2e0020, /* fmov w0, v1.d[1] form with sf = 0 */
		0x1e2a0020, /* scvtf with rmode 01 */
		0x1e2c0020, /* fcvtas with rmode 01 */
		0x1e08fc20, /* fixed-point conversion, rmode 01 opcode 000 */
		0x1ee20420, /* fccmp h1, h2 */
		0x1ee20c20, /* fcsel h0, h1, h2 */
		0x1e208020, /* bits 15:10 = 100000 */
	};
	for (size_t i = 0; i < sizeof insns / sizeof insns[0]; i++) {
		struct st s;
		setup(&s, 0, 0, 0, 0, 0);
		exec(insns[i], &s);
		CHECK(s.undef == 1);
		if (s.undef != 1)
			fprintf(stderr, "  %08x should be undefined\n", insns[i]);
	}
}

#ifndef __aarch64__
/* --- the decoder's fields (fp.h's contract) --- */
static void dec(uint32_t insn, struct a64_op *op)
{
	memset(op, 0, sizeof *op); /* as a64_decode leaves it */
	CHECK(!a64_decode_fp(insn, 0x1234, op)); /* no FP op ends a block */
	CHECK(op->cls == A64_CLS_FP && op->pc == 0x1234 && op->insn == insn);
}

static void test_decode(void)
{
	struct a64_op op;
	dec(0x1e622820, &op); /* fadd d0, d1, d2 */
	CHECK(op.kind == A64_FP_ADD && op.size == A64_FMT_D && op.rd == 0 && op.rn == 1 &&
	      op.rm == 2 && op.flags == 0);
	dec(0x1f228c20, &op); /* fnmsub s0, s1, s2, s3 */
	CHECK(op.kind == A64_FP_FMA && op.size == A64_FMT_S && op.ra == 3 &&
	      op.flags == A64_FPF_NEG_A);
	dec(0x1f220c20, &op); /* fnmadd s0, s1, s2, s3 */
	CHECK(op.flags == (A64_FPF_NEG_A | A64_FPF_NEG_N));
	dec(0x1f028c20, &op); /* fmsub s0, s1, s2, s3 */
	CHECK(op.flags == A64_FPF_NEG_N);
	dec(0x9eae0020, &op); /* fmov x0, v1.d[1] */
	CHECK(op.kind == A64_FP_TO_GPR && op.imm == 1 && op.sf == 1 && op.size == A64_FMT_D &&
	      op.rd == 0 && op.rn == 1 && op.rm == 0);
	dec(0x1e26003f, &op); /* fmov wzr, s1 */
	CHECK(op.kind == A64_FP_TO_GPR && op.rd == REG_ZW && op.sf == 0 && op.size == A64_FMT_S);
	dec(0x1e2703e0, &op); /* fmov s0, wzr */
	CHECK(op.kind == A64_FP_FROM_GPR && op.rn == REG_ZR && op.imm == 0);
	dec(0x1e38003f, &op); /* fcvtzs wzr, s1 */
	CHECK(op.kind == A64_FP_TO_INT && op.rd == REG_ZW && op.ext == A64_RZ && op.imm == 0 &&
	      op.rm == 0);
	dec(0x9e59fc20, &op); /* fcvtzu x0, d1, #1 */
	CHECK(op.kind == A64_FP_TO_INT && op.imm == 1 && op.sf == 1 &&
	      op.flags == A64_FPF_UNSIGNED && op.size == A64_FMT_D);
	dec(0x1e2503e0, &op); /* fcvtau w0, s31 */
	CHECK(op.kind == A64_FP_TO_INT && op.ext == A64_RA && op.rn == 31);
	dec(0x9e4303e0, &op); /* ucvtf d0, xzr, #64 */
	CHECK(op.kind == A64_FP_FROM_INT && op.rn == REG_ZR && op.imm == 64 &&
	      op.flags == A64_FPF_UNSIGNED && op.sf == 1);
	dec(0x1e3ff000, &op); /* fmov s0, #-1.9375 */
	CHECK(op.kind == A64_FP_MOVI && op.imm == 0xbff80000 && op.rn == 0 && op.rm == 0);
	dec(0x1e6e1000, &op); /* fmov d0, #1.0 */
	CHECK(op.imm == (int64_t)D_ONE);
	dec(0x1e63c020, &op); /* fcvt h0, d1 */
	CHECK(op.kind == A64_FP_CVT && op.size == A64_FMT_H && op.ext == A64_FMT_D && op.rm == 0);
	dec(0x1e274020, &op); /* frintx s0, s1 */
	CHECK(op.kind == A64_FP_RINT && op.ext == A64_RFPCR && op.flags == A64_FPF_EXACT);
	dec(0x1e202038, &op); /* fcmpe s1, #0.0 */
	CHECK(op.kind == A64_FP_CMP && op.flags == (A64_FPF_ZERO | A64_FPF_SIGNAL) && op.rn == 1);
	dec(0x1e22142f, &op); /* fccmp s1, s2, #0xf, ne */
	CHECK(op.kind == A64_FP_CCMP && op.cond == 1 && op.imm == 0xf0000000ll && op.rm == 2);
	dec(0x1e621c20, &op); /* fcsel d0, d1, d2, ne */
	CHECK(op.kind == A64_FP_CSEL && op.cond == 1 && op.size == A64_FMT_D);
}

/* --- the FPSR strategy (fpu.h): host flags pending in MXCSR, folded when FPSR is read --- */
static void emu1(struct a64_cpu *cpu, uint32_t insn)
{
	struct a64_op op;
	memset(&op, 0, sizeof op);
	a64_decode_fp(insn, 0x400000, &op);
	a64_handler h = a64_bind_fp(&op);
	CHECK(h && run_handler(h, cpu, &op) == 0);
}

static uint32_t host_mxcsr(void)
{
	uint32_t m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static sigjmp_buf usr_jb;
static struct a64_cpu *usr_cpu;
static uint32_t usr_mxcsr;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	usr_mxcsr = host_mxcsr();                 /* the kernel gave the handler a fresh MXCSR */
	a64_fpu_signal_fold(usr_cpu, uc);
	siglongjmp(usr_jb, 1);                    /* as a64_run_fault does */
}

static void test_fpsr_strategy(void)
{
	static struct a64_cpu cpu;
	memset(&cpu, 0, sizeof cpu);
	a64_fpcr_write(&cpu, ~0ull);
	CHECK(cpu.fpcr == 0x07f70000u);           /* trap enables RAZ/WI, no FZ16 */
	a64_fpsr_write(&cpu, ~0ull);
	CHECK(a64_fpsr_read(&cpu) == 0xf800009fu);
	a64_fpcr_write(&cpu, 0);
	a64_fpsr_write(&cpu, 0);
	CHECK(a64_fpsr_read(&cpu) == 0);

	/* 1e222820 fadd s0, s1, s2 with 1 + 2^-24: inexact on the fast path; the flag waits in
	 * the host's MXCSR and appears when FPSR is read. */
	cpu.v[1].s[0] = S_ONE;
	cpu.v[2].s[0] = 0x33800000;
	emu1(&cpu, 0x1e222820);
	CHECK(cpu.fpsr == 0);
	CHECK(a64_fpsr_read(&cpu) == IXC);
	/* 1e221820 fdiv s0, s1, s2 by zero: flags accumulate */
	cpu.v[2].s[0] = 0;
	emu1(&cpu, 0x1e221820);
	CHECK(a64_fpsr_read(&cpu) == (IXC | DZC));
	a64_fpsr_write(&cpu, 0);                  /* clears the pending host flags too */
	CHECK(a64_fpsr_read(&cpu) == 0);

	/* A slow path (FPCR.RMode = RZ) keeps pending flags and leaves the host in RN. */
	cpu.v[2].s[0] = 0x33800000;
	emu1(&cpu, 0x1e222820);                   /* IXC pending */
	a64_fpcr_write(&cpu, RZ);
	cpu.v[2].s[0] = 0;
	emu1(&cpu, 0x1e221820);                   /* DZC from the slow path, into cpu.fpsr */
	CHECK(cpu.fpsr == DZC);
	CHECK(((host_mxcsr() >> 13) & 3) == 0);
	CHECK(a64_fpsr_read(&cpu) == (IXC | DZC));
	a64_fpcr_write(&cpu, 0);
	a64_fpsr_write(&cpu, 0);

	/* sync: fold into cpu.fpsr and clear the host (then the state may be copied). */
	cpu.v[2].s[0] = 0x33800000;
	emu1(&cpu, 0x1e222820);
	a64_fpu_sync(&cpu);
	CHECK(cpu.fpsr == IXC);
	cpu.fpsr = 0;
	CHECK(a64_fpsr_read(&cpu) == 0);
	/* attach: a thread starting a CPU drops what its host flags held. */
	emu1(&cpu, 0x1e222820);
	a64_fpu_attach(&cpu);
	CHECK(a64_fpsr_read(&cpu) == 0);

	/* signal_fold: the flags saved in the signal frame (DE is not an Arm flag). */
	ucontext_t uc;
	struct _libc_fpstate fp;
	memset(&uc, 0, sizeof uc);
	memset(&fp, 0, sizeof fp);
	fp.mxcsr = 0x1f80 | 0x20 | 0x04 | 0x02;
	uc.uc_mcontext.fpregs = &fp;
	a64_fpu_signal_fold(&cpu, &uc);
	CHECK(cpu.fpsr == (IXC | DZC));
	a64_fpsr_write(&cpu, 0);

	/* The same with a real signal left by siglongjmp: without the fold the flag is lost. */
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, &old);
	usr_cpu = &cpu;
	emu1(&cpu, 0x1e222820);                   /* IXC pending in MXCSR */
	if (!sigsetjmp(usr_jb, 1))
		raise(SIGUSR1);
	sigaction(SIGUSR1, &old, NULL);
	CHECK((usr_mxcsr & 0x3f) == 0);
	CHECK((host_mxcsr() & 0x3f) == 0);        /* lost from the host... */
	CHECK(a64_fpsr_read(&cpu) == IXC);        /* ...but folded */
	a64_fpsr_write(&cpu, 0);
}
#endif

/* --- sweeps: many cases, one checksum per group --- */
static int dump, scale = 1; /* A64FP_SCALE=N: N times the random cases, checksums printed */

static uint64_t fnv(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

static void run_case(uint64_t *h, uint32_t insn, uint32_t fpcr, uint32_t nzcv, uint64_t n,
		     uint64_t m, uint64_t a)
{
	struct st s;
	setup(&s, fpcr, nzcv, n, m, a);
	exec(insn, &s);
	*h = fnv(*h, s.v[0][0]);
	*h = fnv(*h, s.v[0][1]);
	*h = fnv(*h, s.x[0]);
	*h = fnv(*h, s.fpsr << 32 | s.nzcv >> 28 | (uint64_t)s.undef << 8);
	if (dump)
		printf("%08x %08x %x %016llx %016llx %016llx -> %016llx:%016llx %016llx %x %02llx "
		       "%d\n",
		       insn, fpcr, nzcv >> 28, (unsigned long long)n, (unsigned long long)m,
		       (unsigned long long)a, (unsigned long long)s.v[0][1],
		       (unsigned long long)s.v[0][0], (unsigned long long)s.x[0],
		       (unsigned)(s.nzcv >> 28), (unsigned long long)s.fpsr, s.undef);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Formats: ftype field, fraction bits, exponent bias. */
struct fmt {
	unsigned ftype, fbits, bias, ebits;
};
static const struct fmt FS = { 0, 23, 127, 8 }, FD = { 1, 52, 1023, 11 }, FH = { 3, 10, 15, 5 };

static uint64_t pack(const struct fmt *f, unsigned sign, unsigned biased, uint64_t frac)
{
	unsigned n = 1 + f->ebits + f->fbits;
	return (uint64_t)sign << (n - 1) | (uint64_t)biased << f->fbits |
	       (frac & ((1ull << f->fbits) - 1));
}

/* (Generators call rnd() once per full expression: argument evaluation order differs between
 * the two builds.) A random value biased towards the edges: denormals, tiny and huge
 * exponents, infinities and NaNs, all-ones and near-empty fractions. */
static uint64_t rand_fp(const struct fmt *f)
{
	uint64_t r = rnd(), frac;
	unsigned emax = (1u << f->ebits) - 1, e;
	switch ((r >> 1) & 15) {
	case 0: e = 0; break;
	case 1: e = 1; break;
	case 2: e = emax - 1; break;
	case 3: e = emax; break;
	case 4: e = 1 + (unsigned)(rnd() % (emax - 1)); break;
	case 5: e = f->bias + f->fbits - 2 + (unsigned)(rnd() % 5); break; /* integral edge */
	case 6: e = f->bias + 29 + (unsigned)(rnd() % 5); break;          /* int32 edge */
	case 7: e = f->bias + 61 + (unsigned)(rnd() % 5); break;          /* int64 edge */
	default: e = f->bias - 8 + (unsigned)(rnd() % 17); break;
	}
	if (e > emax)
		e = emax - 1;
	switch ((r >> 5) & 7) {
	case 0: frac = 0; break;
	case 1: frac = ~0ull; break;
	case 2: frac = 1ull << (rnd() % f->fbits); break;
	case 3: frac = ~0ull << (rnd() % f->fbits); break;
	case 4:
		frac = rnd();
		frac >>= 60 - (rnd() % 8);
		break;
	default: frac = rnd(); break;
	}
	return pack(f, r & 1, e, frac);
}

/* Pairs whose product (quot = 0) or quotient (quot = 1) lands within a few units in the last
 * place of 2^target, target chosen near the smallest normal or the overflow threshold:
 * integers only, so both builds make the same pairs. */
static void boundary_pair(const struct fmt *f, bool quot, uint64_t *a, uint64_t *b)
{
	unsigned F = f->fbits;
	int emin = 1 - (int)f->bias, emax = (int)f->bias;
	uint64_t one = 1ull << F, ma = one | (rnd() & (one - 1)), mb;
	int k = (int)(rnd() % 7) - 3, target;
	switch (rnd() % 4) {
	case 0: target = emin; break;
	case 1: target = emin - 1; break;
	case 2: target = emin + 1; break;
	default: target = emax + 1; break;
	}
	if (!quot) { /* ma * mb ~ 2^(2F) (rounded fraction product ~1.0 or ~2.0) */
		unsigned __int128 p = (unsigned __int128)1 << (2 * F + (rnd() & 1));
		mb = (uint64_t)(p / ma) + (uint64_t)(int64_t)k;
	} else {     /* ma / mb ~ 1 */
		mb = ma + (uint64_t)(int64_t)k;
	}
	if (mb < one)
		mb = one;
	if (mb >= 2 * one)
		mb = 2 * one - 1;
	/* exponents: a = 2^ea * ma/2^F, b = 2^eb * mb/2^F, both normal */
	int ea, eb;
	if (!quot) {
		ea = target / 2 + (int)(rnd() % 9) - 4;
		eb = target - ea;
	} else {
		eb = target < 0 ? (int)(rnd() % 20) + 1 : -(int)(rnd() % 20) - 1;
		ea = target + eb;
		if (ea > emax) {
			eb -= ea - emax;
			ea = emax;
		}
		if (ea < emin) {
			eb += emin - ea;
			ea = emin;
		}
	}
	*a = pack(f, rnd() & 1, (unsigned)(ea + (int)f->bias), ma);
	*b = pack(f, rnd() & 1, (unsigned)(eb + (int)f->bias), mb);
}

static const uint64_t s_special[] = {
	0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
	0x00800001, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3f000000,
	0xbf000000, 0x3eaaaaab, 0x3f7fffff, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc12345, 0x7f800001, 0xff8abcde, 0x4f000000, 0xcf000000, 0x4f800000,
	0x5f000000, 0xdf000001, 0x4b000001, 0x33800000, 0x0c000000, 0x72800000, 0x40490fdb,
};
static const uint64_t d_special[] = {
	0, NEG64, 1, 0x8000000000000001ull, 0x000fffffffffffffull, 0x800fffffffffffffull,
	D_MINNORM, 0x8010000000000000ull, 0x0010000000000001ull, D_ONE, 0xbff0000000000000ull,
	0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
	0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3fd5555555555555ull,
	0x3fefffffffffffffull, D_MAXNORM, 0xffefffffffffffffull, D_INF, D_NINF, D_DNAN,
	0xfff8123456789abcull, D_SNAN1, 0xfff0fedcba987654ull, 0x41dfffffffc00000ull,
	0xc1e0000000000000ull, 0x41f0000000000000ull, 0x43e0000000000000ull,
	0xc3e0000000000001ull, 0x4330000000000001ull, 0x3ca0000000000000ull,
	0x0180000000000000ull, 0x7e50000000000000ull, 0x400921fb54442d18ull,
	0x380fffffffffffffull, 0x47efffffe0000000ull, 0x3e70000000000000ull,
};
#define NSPEC(x) (sizeof(x) / sizeof((x)[0]))

static const uint32_t fpcrs[] = { 0, RP, RM, RZ, FZ, DN, FZ | DN | RP };
#define NFPCR (sizeof fpcrs / sizeof fpcrs[0])

static const uint64_t *specials(const struct fmt *f, size_t *n)
{
	*n = f == &FS ? NSPEC(s_special) : NSPEC(d_special);
	return f == &FS ? s_special : d_special;
}

static uint64_t sweep_arith2(const struct fmt *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t ns;
	const uint64_t *sp = specials(f, &ns);
	for (unsigned opc = 0; opc <= 8; opc++) {
		uint32_t insn = 0x1e220820 | f->ftype << 22 | opc << 12;
		for (size_t c = 0; c < NFPCR; c++) {
			for (size_t i = 0; i < ns; i++)
				for (size_t j = 0; j < ns; j++)
					run_case(&h, insn, fpcrs[c], 0, sp[i], sp[j], 0);
			rng_state = 0x9e3779b97f4a7c15ull + opc * 131 + c;
			for (int i = 0; i < 600 * scale; i++) {
				uint64_t a = rand_fp(f), b = rand_fp(f);
				run_case(&h, insn, fpcrs[c], 0, a, b, 0);
			}
			if (opc <= 1 || opc == 8) /* FMUL, FDIV, FNMUL near the edges */
				for (int i = 0; i < 600 * scale; i++) {
					uint64_t a, b;
					boundary_pair(f, opc == 1, &a, &b);
					run_case(&h, insn, fpcrs[c], 0, a, b, 0);
				}
		}
	}
	return h;
}

static uint64_t sweep_fma(const struct fmt *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t ns;
	const uint64_t *sp = specials(f, &ns);
	static const size_t pick[] = { 0, 1, 2, 6, 9, 10, 12, 17, 18, 20, 21, 22, 23, 24, 25, 33 };
	for (unsigned o = 0; o < 4; o++) {
		uint32_t insn = 0x1f020c20 | f->ftype << 22 | (o >> 1) << 21 | (o & 1) << 15;
		for (size_t c = 0; c < NFPCR; c++) {
			for (size_t i = 0; i < 16; i++)
				for (size_t j = 0; j < 16; j++)
					for (size_t k = 0; k < 16; k++)
						run_case(&h, insn, fpcrs[c], 0, sp[pick[i]],
							 sp[pick[j]], sp[pick[k]]);
			rng_state = 0x1234567887654321ull + o * 17 + c;
			for (int i = 0; i < 800 * scale; i++) {
				uint64_t a = rand_fp(f), b = rand_fp(f), d = rand_fp(f);
				run_case(&h, insn, fpcrs[c], 0, a, b, d);
			}
			for (int i = 0; i < 800 * scale; i++) {
				uint64_t a, b, d;
				boundary_pair(f, false, &a, &b);
				/* addend: zero, a denormal or +-min-normal, of either sign */
				unsigned sign = rnd() & 1, e = (rnd() & 3) == 0;
				uint64_t frac = rnd() % 3 ? rnd() % 5 : 0;
				d = pack(f, sign, e, frac);
				run_case(&h, insn, fpcrs[c], 0, a, b, d);
			}
		}
	}
	return h;
}

static uint64_t sweep_unary(const struct fmt *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t ns;
	const uint64_t *sp = specials(f, &ns);
	/* fmov fabs fneg fsqrt, frintn p m z a x i, fcvt to the other format and to half */
	static const unsigned opcs[] = { 0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15, 7 };
	uint32_t fpcr_more[NFPCR + 1];
	memcpy(fpcr_more, fpcrs, sizeof fpcrs);
	fpcr_more[NFPCR] = AHP | RM;
	for (size_t o = 0; o < sizeof opcs / sizeof opcs[0] + 1; o++) {
		unsigned opc = o < sizeof opcs / sizeof opcs[0] ? opcs[o] : (f == &FS ? 5 : 4);
		uint32_t insn = 0x1e204020 | f->ftype << 22 | opc << 15;
		for (size_t c = 0; c < NFPCR + 1; c++) {
			for (size_t i = 0; i < ns; i++)
				run_case(&h, insn, fpcr_more[c], 0, sp[i], 0, 0);
			rng_state = 0xabcdef0123456789ull + o * 7 + c;
			for (int i = 0; i < 1500 * scale; i++)
				run_case(&h, insn, fpcr_more[c], 0, rand_fp(f), 0, 0);
			/* values near the half and single ranges' edges (for FCVT) */
			for (int i = 0; i < 500 * scale; i++) {
				static const int ex[] = { -14, -15, -24, -25, -26, 15, 16, -126, -127,
							  -149, -150, 127, 128 };
				int e = ex[rnd() % (sizeof ex / sizeof ex[0])];
				uint64_t frac = (rnd() & 1) ? rnd() : ~0ull << (rnd() % f->fbits);
				if (e + (int)f->bias <= 0 || e + (int)f->bias >= (1 << f->ebits) - 1)
					continue;
				unsigned sign = rnd() & 1;
				run_case(&h, insn, fpcr_more[c], 0,
					 pack(f, sign, (unsigned)(e + (int)f->bias), frac), 0, 0);
			}
		}
	}
	return h;
}

/* FCVT from half: every half value, to single and double. */
static uint64_t sweep_from_half(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	static const uint32_t fc[] = { 0, AHP, FZ, DN };
	for (unsigned to = 0; to < 2; to++)
		for (size_t c = 0; c < 4; c++)
			for (uint32_t v = 0; v < 0x10000; v += (c ? 7 : 1))
				run_case(&h, 0x1ee24020 | to << 15, fc[c], 0, v, 0, 0);
	return h;
}

static uint64_t sweep_compare(const struct fmt *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t ns;
	const uint64_t *sp = specials(f, &ns);
	static const uint32_t fc[] = { 0, FZ };
	for (unsigned opc2 = 0; opc2 < 32; opc2 += 8) {
		uint32_t insn = 0x1e222020 | f->ftype << 22 | opc2;
		for (size_t c = 0; c < 2; c++)
			for (size_t i = 0; i < ns; i++)
				for (size_t j = 0; j < ns; j++)
					run_case(&h, insn, fc[c], 0, sp[i], sp[j], 0);
	}
	rng_state = 77;
	for (unsigned cond = 0; cond < 16; cond++)
		for (unsigned e = 0; e < 2; e++)
			for (int i = 0; i < 300 * scale; i++) {
				uint32_t insn = 0x1e220420 | f->ftype << 22 | cond << 12 | e << 4 |
						(uint32_t)(rnd() & 15);
				uint32_t nzcv = (uint32_t)(rnd() & 15) << 28;
				size_t a = rnd() % ns, b = rnd() % ns;
				run_case(&h, insn, 0, nzcv, sp[a], sp[b], 0);
				insn = 0x1e220c20 | f->ftype << 22 | cond << 12; /* fcsel */
				run_case(&h, insn, 0, nzcv, sp[a], sp[b], 0);
			}
	return h;
}

static uint64_t sweep_to_int(const struct fmt *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t ns;
	const uint64_t *sp = specials(f, &ns);
	static const uint32_t fc[] = { 0, FZ, RM };
	/* rmode:opcode for N P M Z (S/U) and A (S/U) */
	static const unsigned ops[] = { 0, 1, 8, 9, 16, 17, 24, 25, 4, 5 };
	for (unsigned sf = 0; sf < 2; sf++)
		for (size_t o = 0; o < 10; o++) {
			uint32_t insn = sf << 31 | 0x1e200020 | f->ftype << 22 | ops[o] << 16;
			for (size_t c = 0; c < 3; c++) {
				for (size_t i = 0; i < ns; i++)
					run_case(&h, insn, fc[c], 0, sp[i], 0, 0);
				rng_state = 0x5555aaaa0000ull + sf * 100 + o * 3 + c;
				for (int i = 0; i < 1200 * scale; i++)
					run_case(&h, insn, fc[c], 0, rand_fp(f), 0, 0);
			}
		}
	/* fixed point: fcvtz[su] with fbits */
	static const unsigned fbits[] = { 1, 2, 16, 31, 32, 33, 52, 63, 64 };
	for (unsigned sf = 0; sf < 2; sf++)
		for (unsigned u = 0; u < 2; u++)
			for (size_t k = 0; k < 9; k++) {
				if (!sf && fbits[k] > 32)
					continue;
				uint32_t insn = sf << 31 | 0x1e180020 | f->ftype << 22 | u << 16 |
						(64 - fbits[k]) << 10;
				for (size_t i = 0; i < ns; i++)
					run_case(&h, insn, 0, 0, sp[i], 0, 0);
				rng_state = 99 + k;
				for (int i = 0; i < 500 * scale; i++)
					run_case(&h, insn, 0, 0, rand_fp(f), 0, 0);
			}
	return h;
}

static uint64_t sweep_from_int(const struct fmt *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	static const uint64_t ints[] = {
		0, 1, 2, 3, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull,
		0x00ffffff, 0x01000001, 0x01000003, 0x7fffffffffffffffull,
		0x8000000000000000ull, 0xffffffffffffffffull, 0x0020000000000001ull,
		0x0020000000000003ull, 0xfffffffffffff801ull, 0x8000008000000000ull,
		0xffffff7fffffffffull, 0x123456789abcdef0ull,
	};
	static const unsigned fbits[] = { 0, 1, 17, 32, 64 };
	for (unsigned sf = 0; sf < 2; sf++)
		for (unsigned u = 0; u < 2; u++)
			for (size_t k = 0; k < 5; k++) {
				if (!sf && fbits[k] > 32)
					continue;
				uint32_t insn = fbits[k] ? sf << 31 | 0x1e020020 | f->ftype << 22 |
								   u << 16 | (64 - fbits[k]) << 10
							 : sf << 31 | 0x1e220020 | f->ftype << 22 |
								   u << 16;
				for (size_t c = 0; c < 4; c++) {
					for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
						run_case(&h, insn, fpcrs[c], 0, ints[i], 0, 0);
					rng_state = 4242 + sf * 10 + u * 5 + k + c * 1000;
					for (int i = 0; i < 400 * scale; i++) {
						uint64_t v = rnd();
						v >>= rnd() % 64;
						run_case(&h, insn, fpcrs[c], 0,
							 (rnd() & 1) ? v : -v, 0, 0);
					}
				}
			}
	return h;
}

static uint64_t sweep_moves(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t imm8 = 0; imm8 < 256; imm8++)
		for (uint32_t ft = 0; ft < 2; ft++)
			run_case(&h, 0x1e201000 | ft << 22 | imm8 << 13, 0, 0, 0, 0, 0);
	static const uint32_t gpr[] = { 0x1e260020, 0x1e270020, 0x9e660020, 0x9e670020,
					0x9eae0020, 0x9eaf0020, 0x1e26003f, 0x1e2703e0 };
	for (size_t i = 0; i < sizeof gpr / sizeof gpr[0]; i++)
		run_case(&h, gpr[i], 0, 0, 0x0123456789abcdefull, 0, 0);
	return h;
}

struct sweep {
	const char *name;
	uint64_t (*fn)(const struct fmt *f);
	const struct fmt *f;
	uint64_t want; /* from the arm64 build under qemu-aarch64 -cpu cortex-a57 */
};

static uint64_t from_half(const struct fmt *f)
{
	(void)f;
	return sweep_from_half();
}

static uint64_t moves(const struct fmt *f)
{
	(void)f;
	return sweep_moves();
}

static const struct sweep sweeps[] = {
	{ "arith2 S", sweep_arith2, &FS, 0x4144d0d63d0ac30bull },
	{ "arith2 D", sweep_arith2, &FD, 0x3830dae6bbe1c5f6ull },
	{ "fma S", sweep_fma, &FS, 0x53e9835ecc55db4eull },
	{ "fma D", sweep_fma, &FD, 0x69a1d3ee3f446f0aull },
	{ "unary S", sweep_unary, &FS, 0x796d72a4e6868d4aull },
	{ "unary D", sweep_unary, &FD, 0x0846ff5e95281bc4ull },
	{ "fcvt from H", from_half, &FH, 0x532d75e053415e5dull },
	{ "compare S", sweep_compare, &FS, 0x4a547241a9d18498ull },
	{ "compare D", sweep_compare, &FD, 0x576431217d577ec1ull },
	{ "to int S", sweep_to_int, &FS, 0x08d477becb239f96ull },
	{ "to int D", sweep_to_int, &FD, 0x7a3b546274da6e2bull },
	{ "from int S", sweep_from_int, &FS, 0xbbb9df8471dc290dull },
	{ "from int D", sweep_from_int, &FD, 0x1c9d22c189ba6574ull },
	{ "moves", moves, NULL, 0x7d65d028288446fdull },
};

static void test_sweeps(void)
{
	const char *only = getenv("A64FP_ONLY");
	for (size_t i = 0; i < sizeof sweeps / sizeof sweeps[0]; i++) {
		if (only && strcmp(only, sweeps[i].name))
			continue;
		uint64_t got = sweeps[i].fn(sweeps[i].f);
#ifdef __aarch64__
		fprintf(stderr, "  { \"%s\", ..., 0x%016llxull },\n", sweeps[i].name,
			(unsigned long long)got);
#endif
		if (scale != 1) {
#ifndef __aarch64__
			fprintf(stderr, "  { \"%s\", ..., 0x%016llxull },\n", sweeps[i].name,
				(unsigned long long)got);
#endif
			continue;
		}
		/* On arm64 hardware this checks that qemu, where the values come from, agrees. */
		CHECK(got == sweeps[i].want);
		if (got != sweeps[i].want)
			fprintf(stderr, "  sweep %s: checksum %016llx, want %016llx\n", sweeps[i].name,
				(unsigned long long)got, (unsigned long long)sweeps[i].want);
	}
}

int main(void)
{
	dump = getenv("A64FP_DUMP") != NULL;
	if (getenv("A64FP_SCALE"))
		scale = atoi(getenv("A64FP_SCALE")) > 0 ? atoi(getenv("A64FP_SCALE")) : 1;
	if (!dump) {
		test_arith();
		test_minmax();
		test_fma();
		test_unary();
		test_fcvt();
		test_compare();
		test_moves();
		test_to_int();
		test_from_int();
		test_undef();
#ifndef __aarch64__
		test_decode();
		test_fpsr_strategy();
#endif
	}
	test_sweeps();
	return check_done();
}
