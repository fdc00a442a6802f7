/* tests/isa/ldst: what the load/store generators share: choosing a base register whose value
 * the generator knows (x28, SP, or a temporary set from them by an ADD/SUB), and choosing
 * offsets so that every access stays inside the scratch buffer and pinned bases stay usable.
 * Private to gen-ldst*.c and gen-atomic.c. */
#ifndef ISA_LDST_H
#define ISA_LDST_H

#include "gen.h"
#include "layout.h"

struct base {
	int reg;     /* 28, 31 (SP) or a temporary */
	int off;     /* its offset into the scratch buffer */
	bool pinned; /* x28 or SP: writeback must keep it usable */
};

/* Choose a base from which `bytes` can be accessed at offset 0 (and aligned to `align` when
 * > 1: SP is always 16-aligned, x28 may not be). With temp_ok, sometimes (or when neither
 * pinned base will do) a temporary, set by one ADD/SUB emitted here and added to g->keep,
 * which the caller restores. False when no base will do. */
bool base_pick(struct gen *g, struct base *b, bool temp_ok, int align, int bytes);
/* May this construct move the base? (Pinned bases only outside skipped or repeated code.) */
bool base_wb_ok(const struct gen *g, const struct base *b);
/* Record a writeback of the base to a new offset. */
void base_moved(struct gen *g, struct base *b, int new_off);

/* Narrow [*lo, *hi] to the i with base + i*s .. + bytes inside the buffer. */
void range_access(int *lo, int *hi, int base, int s, int bytes);
/* Narrow [*lo, *hi] to the i that leave a pinned base at a usable offset (SP: 16-aligned). */
void range_pinned(int *lo, int *hi, const struct base *b, int s);
/* A random i in [lo, hi] that is a multiple of mult; false when there is none. */
bool pick_in(struct gen *g, int lo, int hi, int mult, int *out);
/* The multiple needed for SP writeback with scale s. */
int sp_mult(const struct base *b, int s);

/* A register index to read that is not `not` (a base that is written back). */
int gpr_r_not(struct gen *g, int not);
/* Set a GPR to v (MOVZ or MOVN, 64-bit); one instruction; |v| < 65536. */
void emit_mov_small(struct gen *g, int reg, int64_t v);

/* The constructs, each false when it cannot fit in the room left. */
bool ldst_single(struct gen *g);
bool ldst_pair(struct gen *g);
bool ldst_literal(struct gen *g);
bool ldst_exclusive(struct gen *g);
bool ldst_acqrel(struct gen *g);
bool ldst_atomic(struct gen *g);
bool ldst_cas(struct gen *g);
bool ldst_struct(struct gen *g);

#endif
