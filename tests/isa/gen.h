/* tests/isa/gen: random A64 instruction sequences, per instruction class. A sequence is a list
 * of constructs: most are one instruction, some are a few (an address set up, then an atomic on
 * it; a loop with its counter). Only encodings whose result the architecture defines for a
 * Linux user program are generated: no UNPREDICTABLE or CONSTRAINED UNPREDICTABLE register
 * combinations, no system registers but NZCV, FPCR and FPSR, nothing beyond ARMv8.0 with
 * CRC32 and (in the load/store class) LSE atomics, no half-precision arithmetic.
 *
 * Invariants every class keeps, so that any sequence and any prefix of it runs safely:
 *  - x28 is never written except by base-register writeback, and then the generator knows its
 *    value; SP likewise, except in the data-processing class, where SP is never a base and
 *    may take any value. Memory is only ever accessed inside the scratch buffer.
 *  - Branches go forward inside the sequence (or backward in a counted loop whose counter no
 *    other instruction writes), and skip or repeat whole constructs only, so no construct is
 *    entered in the middle. Code that may be skipped or repeated does not move x28 or SP. */
#ifndef ISA_GEN_H
#define ISA_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

enum isa_class { ISA_DP, ISA_BRANCH, ISA_LDST, ISA_FP, ISA_SIMD, ISA_MIXED, ISA_NCLASS };

#define SEQ_MAX 1000

struct seq {
	int n;
	uint32_t w[SEQ_MAX];
};

const char *isa_class_name(enum isa_class c);
const char *isa_class_what(enum isa_class c);
int isa_class_parse(const char *name); /* -1 when unknown */
/* The seed of sequence `index` of a run. */
uint64_t isa_seq_seed(uint64_t seed, enum isa_class c, long index);
/* Fill s with exactly len (<= SEQ_MAX) instructions. */
void gen_seq(struct seq *s, enum isa_class c, uint64_t seq_seed, int len);

/* ---- for the gen-*.c files ---- */

#define REG_PINNED 28

struct gen {
	struct rng rng;
	struct seq *s;
	enum isa_class cls;
	int limit;      /* the current construct must end at or before this index */
	bool sp_write;  /* data processing may write SP (SP is then never a memory base) */
	int cond;       /* > 0: emitting code that may be skipped or repeated */
	bool nomem;     /* no memory access (loop bodies) */
	uint32_t keep;  /* GPRs that must not be written (bit 28 always) */
	int off28, offsp; /* where x28 and SP point, as offsets into the scratch buffer */
	int recent_x[4], recent_v[4]; /* recently written registers, read preferentially */
};

void emit(struct gen *g, uint32_t w);
static inline int room(const struct gen *g)
{
	return g->limit - g->s->n;
}
static inline uint32_t rnd(struct gen *g, uint32_t n)
{
	return rng_below(&g->rng, n);
}
static inline bool chance(struct gen *g, unsigned pct)
{
	return rng_chance(&g->rng, pct);
}

/* A GPR to write: 0..30 outside g->keep; with zr, sometimes 31 (the zero register). */
int gpr_w(struct gen *g, bool zr);
/* A GPR field where 31 is SP, to write: 31 only when g->sp_write. */
int gpr_w_sp(struct gen *g);
/* A GPR to read: 0..31 (31 is the zero register or SP, as the encoding says). */
int gpr_r(struct gen *g);
int vreg_w(struct gen *g);
int vreg_r(struct gen *g);
/* A condition code 0..15. */
static inline uint32_t cond_any(struct gen *g)
{
	return rnd(g, 16);
}

/* One construct of the class, at most room(g) (>= 1) instructions. */
void dp_emit(struct gen *g);
void branch_emit(struct gen *g);
void ldst_emit(struct gen *g);
void fp_emit(struct gen *g);
void simd_emit(struct gen *g);
/* One instruction that touches no memory and no control flow: fillers for branch
 * shadows and loop bodies. */
void dp_one(struct gen *g);
void fp_one(struct gen *g);
void simd_one(struct gen *g);
/* The Advanced SIMD groups (gen-simd*.c). */
void simd_int_one(struct gen *g);
void simd_perm_one(struct gen *g);
void simd_fp_one(struct gen *g);
void simd_scalar_one(struct gen *g);
/* One construct of any class but branches (the mixed class's filler), at most room(g). */
void any_emit(struct gen *g);

#endif
