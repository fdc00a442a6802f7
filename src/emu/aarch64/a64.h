/* emu/aarch64: the AArch64 guest CPU as the emulator sees it: the architectural state of one
 * guest CPU (struct a64_cpu), and the pre-decoded operation (struct a64_op) that the front end
 * (decoders, one file per instruction class) produces and a back end consumes. The front end
 * knows nothing of how ops are executed; today's back end is the interpreter (*-exec.c files),
 * a later x86-64 code generator reads the same ops. */
#ifndef VIREO_A64_H
#define VIREO_A64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Register numbers in ops. The decoder resolves the encoding's 31 into SP or the zero register,
 * so a back end never has to: reads of REG_ZR give 0, writes to REG_ZW are discarded (the
 * interpreter keeps x[REG_ZR] == 0 and lets x[REG_ZW] absorb writes). */
#define REG_SP 31
#define REG_ZR 32
#define REG_ZW 33
#define A64_NREGS 34

union a64_vreg {
	uint8_t b[16];
	uint16_t h[8];
	uint32_t s[4];
	uint64_t d[2];
	float f[4];
	double df[2];
	unsigned __int128 q;
} __attribute__((aligned(16)));

/* NZCV as in PSTATE: bit 31 N, 30 Z, 29 C, 28 V. */
#define A64_N (1u << 31)
#define A64_Z (1u << 30)
#define A64_C (1u << 29)
#define A64_V (1u << 28)

/* Why the CPU stopped running guest code and returned to its owner (linux-user or a board). */
enum a64_exit {
	A64_EXIT_NONE = 0,
	A64_EXIT_SVC,       /* SVC #imm: system call; pc is the instruction after it */
	A64_EXIT_UNDEF,     /* undefined or unimplemented instruction at pc (SIGILL) */
	A64_EXIT_BRK,       /* BRK #imm at pc (SIGTRAP) */
	A64_EXIT_FAULT,     /* memory fault at pc, address in fault_addr (SIGSEGV/SIGBUS) */
	A64_EXIT_ALIGN,     /* alignment fault (exclusives, atomics): SIGBUS */
	A64_EXIT_INTERRUPT, /* asked to stop (a signal is pending, another thread wants us) */
};

struct a64_mem;  /* the guest's address space: owned by linux-user or the board */
struct tb_cache; /* translated blocks: emu/tb.c */

struct a64_cpu {
	uint64_t x[A64_NREGS]; /* x0..x30, SP, zero-read, zero-write sink */
	uint64_t pc;
	uint32_t nzcv;
	uint32_t fpcr, fpsr;
	union a64_vreg v[32];
	uint64_t tpidr_el0;
	/* Exclusive monitor (LDXR/STXR): address and the value(s) loaded. */
	uint64_t excl_addr;
	uint64_t excl_val[2];
	int excl_size; /* bytes, 0 when the monitor is open */
	/* Host address of guest address 0: guest memory is host memory at an offset. */
	uintptr_t base;
	/* Exit details. */
	enum a64_exit exit;
	uint32_t exit_insn;  /* the encoding (UNDEF, SVC and BRK carry their immediate in it) */
	uint64_t fault_addr;
	int fault_write;
	volatile int interrupt; /* set from a signal handler or another thread: stop at a TB edge */
	struct a64_mem *mem;
	struct tb_cache *tbs;
	void *owner; /* linux-user's thread, or the board */
	const struct a64_op *cur_op; /* the op executing now (to recover pc on a host fault) */
	/* This CPU's jump cache: recently run blocks by pc, checked before the shared cache
	 * (entries are struct tb *; a stale one is recognised by its pc and valid flag). */
#define A64_JCACHE_SIZE 4096
	void *jcache[A64_JCACHE_SIZE];
	/* Constants the x86-64 code generator's flag helper reads (emu/jit: jit_cpu_init). */
	uint32_t jit_pext_mask;
	void *jit_link; /* the direct exit generated code just left by, unchained (emu/jit) */
	uint32_t jit_nzcv[2][16];
};

/* Instruction classes: one front-end file (and one interpreter file) each. */
enum a64_class {
	A64_CLS_INVALID = 0,
	A64_CLS_DP,     /* data processing, immediate and register (dp.c) */
	A64_CLS_BRANCH, /* branches, exception generation, system (branch.c) */
	A64_CLS_LDST,   /* loads and stores, exclusives, atomics (ldst.c) */
	A64_CLS_FP,     /* scalar floating point and conversions (fp.c) */
	A64_CLS_SIMD,   /* Advanced SIMD (simd.c) */
	A64_CLS_COUNT
};

struct a64_op;
/* An interpreter handler: 0 to go on with the next op, non-zero to leave the block (the
 * handler has set cpu->pc, and cpu->exit when the CPU must stop). */
typedef int (*a64_handler)(struct a64_cpu *cpu, const struct a64_op *op);

/* A pre-decoded instruction. Field meaning per kind is documented in the class's header. */
struct a64_op {
	a64_handler fn;  /* back end's: bound at translation time */
	uint64_t pc;     /* guest address of the instruction */
	int64_t imm;     /* immediate, offset, or absolute branch target */
	int64_t imm2;    /* second immediate where a kind needs one */
	uint32_t insn;   /* raw encoding */
	uint16_t kind;   /* class-specific operation */
	uint8_t cls;     /* enum a64_class */
	uint8_t rd, rn, rm, ra, rt2; /* register numbers (see REG_*) */
	uint8_t sf;      /* 1: 64-bit operation, 0: 32-bit */
	uint8_t cond;    /* condition code (0..15) where used */
	uint8_t size;    /* access size log2, element size, or shift type per kind */
	uint8_t flags;   /* kind-specific bits (set flags, signed, writeback, pre-index...) */
	uint8_t shift;   /* shift or extend amount */
	uint8_t ext;     /* extend or shift type */
};

/* --- front end --- */
/* Decode one instruction into op (all fields set; cls/kind INVALID for an unallocated or
 * unimplemented encoding). Returns true when the op ends a translation block (a branch,
 * an exception, a system register write that changes translation). */
bool a64_decode(uint32_t insn, uint64_t pc, struct a64_op *op);
/* Per-class decoders, called by a64_decode on the encoding's top-level group. */
bool a64_decode_dp(uint32_t insn, uint64_t pc, struct a64_op *op);
bool a64_decode_branch(uint32_t insn, uint64_t pc, struct a64_op *op);
bool a64_decode_ldst(uint32_t insn, uint64_t pc, struct a64_op *op);
bool a64_decode_fp(uint32_t insn, uint64_t pc, struct a64_op *op);
bool a64_decode_simd(uint32_t insn, uint64_t pc, struct a64_op *op);

/* --- interpreter back end --- */
/* Bind op->fn for the op's class and kind (an UNDEF handler when the kind is unknown). */
void a64_bind(struct a64_op *op);
a64_handler a64_bind_dp(const struct a64_op *op);
a64_handler a64_bind_branch(const struct a64_op *op);
a64_handler a64_bind_ldst(const struct a64_op *op);
a64_handler a64_bind_fp(const struct a64_op *op);
a64_handler a64_bind_simd(const struct a64_op *op);
/* Define an interpreter handler with threaded dispatch: the body (which follows the macro, with
 * the CPU named cpuvar and the op named op) returns 0 to go on or 1 to leave the block; going
 * on, the handler records the next op in cur_op and calls its handler itself (a tail call at
 * -O2), instead of returning to the run loop. A block holds at most TB_MAX_OPS + 1 ops, so even
 * without tail calls the depth stays bounded. A handler that reuses another must call its
 * name##_body, never the handler itself (which would step the next op twice). */
#define A64_HANDLER(name, cpuvar)                                                              \
	static inline __attribute__((always_inline)) int name##_body(struct a64_cpu *cpuvar,   \
								     const struct a64_op *op); \
	static int name(struct a64_cpu *cpuvar, const struct a64_op *op)                       \
	{                                                                                      \
		if (name##_body(cpuvar, op))                                                   \
			return 1;                                                              \
		cpuvar->cur_op = op + 1;                                                       \
		return op[1].fn(cpuvar, op + 1);                                               \
	}                                                                                      \
	static inline __attribute__((always_inline)) int name##_body(struct a64_cpu *cpuvar,   \
								     const struct a64_op *op)

/* The handler every back end uses for what it cannot run: exit UNDEF at op->pc. */
int a64_exec_undef(struct a64_cpu *cpu, const struct a64_op *op);

/* --- helpers for back ends --- */
static inline uint64_t a64_reg(const struct a64_cpu *c, unsigned r, bool sf)
{
	return sf ? c->x[r] : (uint32_t)c->x[r];
}

/* Writes of a 32-bit result zero the upper half, as the architecture says. */
static inline void a64_set(struct a64_cpu *c, unsigned r, uint64_t v, bool sf)
{
	c->x[r] = sf ? v : (uint32_t)v;
}

/* Condition codes: EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL NV. */
static inline bool a64_cond(uint32_t nzcv, unsigned cond)
{
	bool n = nzcv & A64_N, z = nzcv & A64_Z, c = nzcv & A64_C, v = nzcv & A64_V, r;
	switch (cond >> 1) {
	case 0: r = z; break;
	case 1: r = c; break;
	case 2: r = n; break;
	case 3: r = v; break;
	case 4: r = c && !z; break;
	case 5: r = n == v; break;
	case 6: r = n == v && !z; break;
	default: return true; /* AL and NV */
	}
	return (cond & 1) ? !r : r;
}

/* Guest memory: host address = guest address + cpu->base. Accesses may be unaligned (memcpy);
 * a bad address raises a host SIGSEGV that the owner turns into a guest fault. */
static inline void *a64_g2h(const struct a64_cpu *c, uint64_t addr)
{
	return (void *)(uintptr_t)(addr + c->base);
}
#define A64_LOAD(T, c, addr) ({ T v_; memcpy(&v_, a64_g2h(c, addr), sizeof v_); v_; })
#define A64_STORE(T, c, addr, val) do { T v_ = (val); memcpy(a64_g2h(c, addr), &v_, sizeof v_); } while (0)

#endif
