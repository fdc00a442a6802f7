/* emu/aarch64/fpu: IEEE 754 arithmetic as an Arm CPU does it, for the scalar FP class (fp-exec.c)
 * and the Advanced SIMD class: the Arm NaN rules, rounding from FPCR, the FPSR cumulative flags,
 * FZ flush-to-zero with IDC/UFC, DN, AHP, tininess detected before rounding, saturating
 * conversions to integer, and half <-> single/double conversions. Operands and results are raw
 * bit patterns (uint16_t/uint32_t/uint64_t for H/S/D).
 *
 * FPSR strategy (x86-64 hosts)
 * ----------------------------
 * The default case (FPCR.RMode = RN, FPCR.FZ = 0) runs on the host FPU directly: an inline fast
 * path below does the SSE operation and checks its result for the few cases where x86 and Arm
 * differ (a NaN result: x86 propagates NaNs in another order and its default NaN is negative;
 * for MUL/DIV/FMA/narrowing, a result of exactly +-min-normal: x86 detects tininess after
 * rounding, Arm before). Those cases, and every operation when RMode != RN or FZ = 1, call the
 * out-of-line *_slow functions, which try, in order:
 *   1. FZ with RN (the -ffast-math setting): when no operand is a denormal and the result
 *      cannot be tiny and inexact (exponent checks), the host operation as on the fast path; a
 *      tiny result, then exact, is flushed with UFC;
 *   2. RP, RM, RZ (not for FMA): the host's round-to-nearest result, an error-free
 *      transformation (TwoSum, fma residue) for the sign of its error, and a one-ulp step
 *      when the guest's mode wants the other neighbour; only where the residue is exact and
 *      nothing overflows or underflows (exponent checks), so the host's flags are Arm's;
 *   3. the exact path: Arm's NaN rules and FZ on operands in software, then the host operation
 *      under the guest's rounding mode with the MXCSR saved, set, read and restored (about
 *      30-70 ns on the development host, most of it in LDMXCSR), then the default NaN, tininess
 *      before rounding (redone towards zero when the result is +-min-normal) and FZ on the
 *      result; its flags are ORed into *fpsr.
 * Paths 1 and 2 leave their flags pending in the MXCSR like the fast path.
 *
 * The fast path does not touch FPSR at all: the host's MXCSR exception flags are themselves the
 * accumulator. They are sticky like FPSR's, and on the fast path the flags x86 raises are always
 * a subset of those Arm raises for the same operation (IE->IOC, ZE->DZC, OE->OFC, UE->UFC,
 * PE->IXC; x86's DE "denormal operand" has no Arm meaning and is dropped). So the guest's FPSR
 * is cpu->fpsr | map(host MXCSR flags), folded when the guest (or anyone) looks:
 *   - read FPSR (MRS, signal frame, state dump, differential tester): a64_fpsr_read();
 *   - write FPSR (MSR, sigreturn): a64_fpsr_write(), which also clears the host flags;
 *     never assign cpu->fpsr directly from outside, or stale host flags come back;
 *   - write FPCR (MSR, sigreturn): a64_fpcr_write() (masks the implemented bits).
 * The host's MXCSR stays at its default (RN, all exceptions masked, DAZ = FTZ = 0) outside a
 * slow path; FPCR is never mirrored into it. Rules for the owner of a guest CPU (linux-user,
 * a board), because the accumulator belongs to the host thread:
 *   - a host thread that starts running a CPU calls a64_fpu_attach(cpu) (clears host flags);
 *     one that stops running it, or before the CPU state is copied (clone) or saved, calls
 *     a64_fpu_sync(cpu) (folds the host flags into cpu->fpsr and clears them);
 *   - Linux runs a host signal handler with a fresh MXCSR and siglongjmp() does not restore
 *     it: a handler that leaves guest code by siglongjmp (a64_run_fault) must first call
 *     a64_fpu_signal_fold(cpu, ucontext) to keep the flags the interrupted code raised;
 *   - host code that runs on a guest CPU's thread between guest instructions must not do
 *     floating-point arithmetic that raises flags (or must bracket it with a64_fpu_sync and
 *     a64_fpu_attach); integer SSE (memcpy, string functions) raises none.
 * A later x86-64 code generator inherits the same contract: emit the host operation and the
 * result check inline, call the slow path out of line.
 *
 * Trapped exceptions are not implemented: FPCR's trap enable bits read as zero (as on QEMU and on
 * most Arm cores). FEAT_FP16 arithmetic, FEAT_AFP (FPCR.AH/FIZ/NEP) and FPCR.FZ16 are not
 * implemented; half precision appears only in FCVT, which honours FPCR.AHP (the Arm ARM's
 * FPConvert does, in AArch64 too). */
#ifndef VIREO_A64_FPU_H
#define VIREO_A64_FPU_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/aarch64/a64.h"

/* FPCR */
#define A64_FPCR_AHP (1u << 26)
#define A64_FPCR_DN (1u << 25)
#define A64_FPCR_FZ (1u << 24)
#define A64_FPCR_RMODE_SHIFT 22
#define A64_FPCR_RMODE (3u << 22)
/* What MSR FPCR keeps: AHP, DN, FZ, RMode, Stride and Len (no function in AArch64, kept for
 * AArch32 context switches, as QEMU's cortex-a57 keeps them); trap enables are RAZ/WI. */
#define A64_FPCR_WRITABLE 0x07f70000u
/* FPCR bits that take every operation off the fast path. */
#define A64_FPCR_SLOW (A64_FPCR_RMODE | A64_FPCR_FZ)

/* FPSR */
#define A64_FPSR_IOC (1u << 0)
#define A64_FPSR_DZC (1u << 1)
#define A64_FPSR_OFC (1u << 2)
#define A64_FPSR_UFC (1u << 3)
#define A64_FPSR_IXC (1u << 4)
#define A64_FPSR_IDC (1u << 7)
#define A64_FPSR_QC (1u << 27)
#define A64_FPSR_WRITABLE 0xf800009fu /* NZCV (AArch32 context), QC, IDC and the five flags */

/* Floating-point formats, numbered as log2 of the size in bytes (op->size in fp.h). */
enum a64_fpfmt {
	A64_FMT_H = 1,
	A64_FMT_S = 2,
	A64_FMT_D = 3,
};

/* Rounding modes. 0..3 are FPCR.RMode's encodings; TIEAWAY is only ever explicit (FRINTA,
 * FCVTA*); FPCR means "FPCR.RMode at execution time" (FRINTI/FRINTX, SCVTF...). */
enum a64_round {
	A64_RN = 0, /* to nearest, ties to even */
	A64_RP = 1, /* towards +infinity */
	A64_RM = 2, /* towards -infinity */
	A64_RZ = 3, /* towards zero */
	A64_RA = 4, /* to nearest, ties away from zero */
	A64_RFPCR = 5,
};

static inline enum a64_round a64_fpcr_rmode(uint32_t fpcr)
{
	return (enum a64_round)((fpcr >> A64_FPCR_RMODE_SHIFT) & 3);
}

/* --- bits <-> host values --- */
static inline float a64_f32(uint32_t b)
{
	float f;
	memcpy(&f, &b, sizeof f);
	return f;
}
static inline double a64_f64(uint64_t b)
{
	double f;
	memcpy(&f, &b, sizeof f);
	return f;
}
static inline uint32_t a64_b32(float f)
{
	uint32_t b;
	memcpy(&b, &f, sizeof b);
	return b;
}
static inline uint64_t a64_b64(double f)
{
	uint64_t b;
	memcpy(&b, &f, sizeof b);
	return b;
}

#define A64_DNAN16 0x7e00u
#define A64_DNAN32 0x7fc00000u
#define A64_DNAN64 0x7ff8000000000000ull

static inline bool a64_isnan32(uint32_t a)
{
	return (a & 0x7fffffffu) > 0x7f800000u;
}
static inline bool a64_isnan64(uint64_t a)
{
	return (a & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

/* --- FPSR/FPCR as the guest sees them, and the host-thread contract (see above) --- */
uint32_t a64_fpsr_read(struct a64_cpu *cpu);
void a64_fpsr_write(struct a64_cpu *cpu, uint64_t value);
void a64_fpcr_write(struct a64_cpu *cpu, uint64_t value);
void a64_fpu_attach(struct a64_cpu *cpu);
void a64_fpu_sync(struct a64_cpu *cpu);
/* ucontext: the third argument of an SA_SIGINFO handler (a ucontext_t *). */
void a64_fpu_signal_fold(struct a64_cpu *cpu, const void *ucontext);
/* The Arm flags of an x86 MXCSR value (exception flag bits only). */
static inline uint32_t a64_fpu_mxcsr_flags(uint32_t mxcsr)
{
	return (mxcsr & 1) | ((mxcsr >> 1) & 0x1e);
}

/* --- slow paths: exact Arm semantics for any FPCR; flags ORed into *fpsr --- */
uint32_t a64_fpu_add32_slow(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_sub32_slow(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_mul32_slow(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_div32_slow(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_sqrt32_slow(uint32_t a, uint32_t fpcr, uint32_t *fpsr);
/* addend + n * m, fused (FPMulAdd: NaN order addend, n, m). */
uint32_t a64_fpu_fma32_slow(uint32_t addend, uint32_t n, uint32_t m, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_add64_slow(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_sub64_slow(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_mul64_slow(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_div64_slow(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_sqrt64_slow(uint64_t a, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_fma64_slow(uint64_t addend, uint64_t n, uint64_t m, uint32_t fpcr, uint32_t *fpsr);

/* --- operations with no fast/slow split (done in software, cheap) --- */
/* FMAX, FMIN, FMAXNM, FMINNM (Arm: -0 < +0; NM: a single quiet NaN loses to a number). */
uint32_t a64_fpu_max32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_min32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_maxnm32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_minnm32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_max64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_min64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_maxnm64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_minnm64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr);
/* FCMP/FCMPE: NZCV in PSTATE position (bits 31:28): equal 0110, less 1000, greater 0010,
 * unordered 0011. signal: FCMPE (IOC on a quiet NaN too). */
uint32_t a64_fpu_cmp32_slow(uint32_t a, uint32_t b, bool signal, uint32_t fpcr, uint32_t *fpsr);
uint32_t a64_fpu_cmp64_slow(uint64_t a, uint64_t b, bool signal, uint32_t fpcr, uint32_t *fpsr);
/* FRINT*: round to an integral value in the same format; exact: FRINTX (IXC when inexact). */
uint32_t a64_fpu_rint32(uint32_t a, enum a64_round rm, bool exact, uint32_t fpcr, uint32_t *fpsr);
uint64_t a64_fpu_rint64(uint64_t a, enum a64_round rm, bool exact, uint32_t fpcr, uint32_t *fpsr);
/* FCVT between formats (FPConvert: FZ on S/D operands and results, AHP for H, DN). */
uint64_t a64_fpu_convert(uint64_t a, enum a64_fpfmt from, enum a64_fpfmt to, uint32_t fpcr,
			 uint32_t *fpsr);
/* FPToFixed: a (format fmt) * 2^fbits rounded with rm to a signed or unsigned integer of
 * width 32 or 64, saturated; NaN gives 0; IOC on NaN or saturation (then no IXC), else IXC
 * when inexact. The result is zero-extended from width. */
uint64_t a64_fpu_to_int(uint64_t a, enum a64_fpfmt fmt, unsigned fbits, bool is_unsigned,
			unsigned width, enum a64_round rm, uint32_t fpcr, uint32_t *fpsr);
/* FixedToFP: the integer v (width 32 or 64, signed or not) / 2^fbits, rounded per FPCR. */
uint64_t a64_fpu_from_int(uint64_t v, unsigned width, bool is_unsigned, unsigned fbits,
			  enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr);
/* Arm's default NaN, and NaN propagation (first signalling NaN quieted, else the first quiet
 * NaN; DN gives the default NaN; IOC for a signalling one): for SIMD ops with NaN operands. */
uint64_t a64_fpu_nan2(uint64_t a, uint64_t b, enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr);

/* --- fast paths: inline, host FPU, fall back to the slow path --- */
#define A64_LIKELY(x) __builtin_expect(!!(x), 1)
#define A64_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Results that need a second look after a MUL, DIV, FMA or narrowing FCVT: NaN, or exactly
 * +-min-normal (maybe tiny before rounding). */
static inline bool a64_fpu_check32(float r)
{
	uint32_t t = a64_b32(r) & 0x7fffffffu;
	return t > 0x7f800000u || t == 0x00800000u;
}
static inline bool a64_fpu_check64(double r)
{
	uint64_t t = a64_b64(r) & ~(1ull << 63);
	return t > 0x7ff0000000000000ull || t == 0x0010000000000000ull;
}

#define A64_FPU_BINOP(name, bits, ftype, expr, check)                                      \
	static inline uint##bits##_t a64_fpu_##name##bits(uint##bits##_t a, uint##bits##_t b, \
						       uint32_t fpcr, uint32_t *fpsr) \
	{                                                                                  \
		if (A64_LIKELY(!(fpcr & A64_FPCR_SLOW))) {                                 \
			ftype x = a64_f##bits(a), y = a64_f##bits(b);                      \
			ftype r = expr;                                                    \
			if (A64_LIKELY(!check(r)))                                         \
				return a64_b##bits(r);                                     \
		}                                                                          \
		return a64_fpu_##name##bits##_slow(a, b, fpcr, fpsr);                      \
	}
/* Additions never round a tiny result (it is exact): only NaN needs a second look. */
#define A64_FPU_NANCHECK(r) ((r) != (r))
A64_FPU_BINOP(add, 32, float, x + y, A64_FPU_NANCHECK)
A64_FPU_BINOP(sub, 32, float, x - y, A64_FPU_NANCHECK)
A64_FPU_BINOP(mul, 32, float, x * y, a64_fpu_check32)
A64_FPU_BINOP(div, 32, float, x / y, a64_fpu_check32)
A64_FPU_BINOP(add, 64, double, x + y, A64_FPU_NANCHECK)
A64_FPU_BINOP(sub, 64, double, x - y, A64_FPU_NANCHECK)
A64_FPU_BINOP(mul, 64, double, x * y, a64_fpu_check64)
A64_FPU_BINOP(div, 64, double, x / y, a64_fpu_check64)

static inline uint32_t a64_fpu_sqrt32(uint32_t a, uint32_t fpcr, uint32_t *fpsr)
{
	if (A64_LIKELY(!(fpcr & A64_FPCR_SLOW))) {
		float r = __builtin_sqrtf(a64_f32(a));
		if (A64_LIKELY(r == r))
			return a64_b32(r);
	}
	return a64_fpu_sqrt32_slow(a, fpcr, fpsr);
}
static inline uint64_t a64_fpu_sqrt64(uint64_t a, uint32_t fpcr, uint32_t *fpsr)
{
	if (A64_LIKELY(!(fpcr & A64_FPCR_SLOW))) {
		double r = __builtin_sqrt(a64_f64(a));
		if (A64_LIKELY(r == r))
			return a64_b64(r);
	}
	return a64_fpu_sqrt64_slow(a, fpcr, fpsr);
}

/* Fused multiply-add: addend + n * m. __builtin_fma is one instruction where the including
 * function is compiled for the "fma" target (see fp-exec.c), a call to libm's correctly
 * rounded fma() elsewhere. */
static inline uint32_t a64_fpu_fma32(uint32_t addend, uint32_t n, uint32_t m, uint32_t fpcr,
				     uint32_t *fpsr)
{
	if (A64_LIKELY(!(fpcr & A64_FPCR_SLOW))) {
		float r = __builtin_fmaf(a64_f32(n), a64_f32(m), a64_f32(addend));
		if (A64_LIKELY(!a64_fpu_check32(r)))
			return a64_b32(r);
	}
	return a64_fpu_fma32_slow(addend, n, m, fpcr, fpsr);
}
static inline uint64_t a64_fpu_fma64(uint64_t addend, uint64_t n, uint64_t m, uint32_t fpcr,
				     uint32_t *fpsr)
{
	if (A64_LIKELY(!(fpcr & A64_FPCR_SLOW))) {
		double r = __builtin_fma(a64_f64(n), a64_f64(m), a64_f64(addend));
		if (A64_LIKELY(!a64_fpu_check64(r)))
			return a64_b64(r);
	}
	return a64_fpu_fma64_slow(addend, n, m, fpcr, fpsr);
}

/* FCMP (ucomis: x86 raises IE only for a signalling NaN, as FCMP raises IOC) and FCMPE (comis:
 * IE for any NaN, as FCMPE). x86's ZF,PF,CF are 111 unordered, 100 equal, 001 less, 000
 * greater. FZ needs the slow path (denormal operands are flushed, with IDC). */
static inline uint32_t a64_fpu_nzcv_of(bool zf, bool pf, bool cf)
{
	if (pf)
		return A64_C | A64_V;
	if (zf)
		return A64_Z | A64_C;
	return cf ? A64_N : A64_C;
}
static inline uint32_t a64_fpu_cmp32(uint32_t a, uint32_t b, bool signal, uint32_t fpcr,
				     uint32_t *fpsr)
{
	bool zf, pf, cf;
	if (A64_UNLIKELY(fpcr & A64_FPCR_FZ))
		return a64_fpu_cmp32_slow(a, b, signal, fpcr, fpsr);
	if (signal)
		__asm__ volatile("comiss %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)
				 : "x"(a64_f32(b)), "x"(a64_f32(a)));
	else
		__asm__ volatile("ucomiss %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)
				 : "x"(a64_f32(b)), "x"(a64_f32(a)));
	return a64_fpu_nzcv_of(zf, pf, cf);
}
static inline uint32_t a64_fpu_cmp64(uint64_t a, uint64_t b, bool signal, uint32_t fpcr,
				     uint32_t *fpsr)
{
	bool zf, pf, cf;
	if (A64_UNLIKELY(fpcr & A64_FPCR_FZ))
		return a64_fpu_cmp64_slow(a, b, signal, fpcr, fpsr);
	if (signal)
		__asm__ volatile("comisd %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)
				 : "x"(a64_f64(b)), "x"(a64_f64(a)));
	else
		__asm__ volatile("ucomisd %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)
				 : "x"(a64_f64(b)), "x"(a64_f64(a)));
	return a64_fpu_nzcv_of(zf, pf, cf);
}

#endif
