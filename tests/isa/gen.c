/* tests/isa/gen: the instruction classes, sequence seeds, and what every class's generator
 * shares (emitting, choosing registers). Pure computation. */
#include "gen.h"

#include <string.h>

#include "layout.h"

static const struct {
	const char *name, *what;
} classes[ISA_NCLASS] = {
	[ISA_DP] = {"dp", "data processing: arithmetic, logical, bitfield, extract, conditional "
			  "select and compare, shifts, multiply and divide, CRC32, NZCV"},
	[ISA_BRANCH] = {"branch", "forward B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET, counted "
				  "backward loops"},
	[ISA_LDST] = {"ldst", "loads and stores: every addressing mode, pairs, sign extension, "
			      "exclusives, acquire/release, LSE atomics, SIMD&FP and structure loads"},
	[ISA_FP] = {"fp", "scalar floating point: arithmetic, fused, conversions, compares, FCSEL, "
			  "FRINT*, min/max, FPCR/FPSR"},
	[ISA_SIMD] = {"simd", "Advanced SIMD: integer and FP vector ops, scalar forms, permutes, "
			      "across-lane, shifts, widen/narrow, TBL/TBX, EXT, DUP/INS/UMOV, MOVI"},
	[ISA_MIXED] = {"mixed", "all of the above interleaved"},
};

const char *isa_class_name(enum isa_class c)
{
	return classes[c].name;
}

const char *isa_class_what(enum isa_class c)
{
	return classes[c].what;
}

int isa_class_parse(const char *name)
{
	for (int i = 0; i < ISA_NCLASS; i++)
		if (strcmp(name, classes[i].name) == 0)
			return i;
	return -1;
}

uint64_t isa_seq_seed(uint64_t seed, enum isa_class c, long index)
{
	return rng_mix(rng_mix(seed, (uint64_t)c + 1), (uint64_t)index);
}

void emit(struct gen *g, uint32_t w)
{
	if (g->s->n < SEQ_MAX)
		g->s->w[g->s->n++] = w;
}

static void remember(int *ring, int r)
{
	memmove(ring + 1, ring, 3 * sizeof *ring);
	ring[0] = r;
}

int gpr_w(struct gen *g, bool zr)
{
	if (zr && chance(g, 8))
		return 31;
	int r;
	do
		r = (int)rnd(g, 31);
	while (g->keep & (1u << r));
	remember(g->recent_x, r);
	return r;
}

int gpr_w_sp(struct gen *g)
{
	if (g->sp_write && chance(g, 8))
		return 31;
	return gpr_w(g, false);
}

int gpr_r(struct gen *g)
{
	if (chance(g, 40)) {
		int r = g->recent_x[rnd(g, 4)];
		if (r >= 0)
			return r;
	}
	return (int)rnd(g, 32);
}

int vreg_w(struct gen *g)
{
	int r = (int)rnd(g, 32);
	remember(g->recent_v, r);
	return r;
}

int vreg_r(struct gen *g)
{
	if (chance(g, 40)) {
		int r = g->recent_v[rnd(g, 4)];
		if (r >= 0)
			return r;
	}
	return (int)rnd(g, 32);
}

void any_emit(struct gen *g)
{
	unsigned k = rnd(g, g->nomem ? 3 : 4);
	switch (k) {
	case 0: dp_emit(g); break;
	case 1: fp_emit(g); break;
	case 2: simd_emit(g); break;
	default: ldst_emit(g); break;
	}
}

void gen_seq(struct seq *s, enum isa_class c, uint64_t seq_seed, int len)
{
	struct gen g;
	memset(&g, 0, sizeof g);
	rng_seed(&g.rng, rng_mix(seq_seed, 2));
	g.s = s;
	g.cls = c;
	g.limit = len > SEQ_MAX ? SEQ_MAX : len;
	g.sp_write = c == ISA_DP;
	g.keep = 1u << REG_PINNED;
	g.off28 = X28_START;
	g.offsp = SP_START;
	for (int i = 0; i < 4; i++)
		g.recent_x[i] = g.recent_v[i] = -1;
	s->n = 0;
	while (s->n < g.limit) {
		switch (c) {
		case ISA_DP: dp_emit(&g); break;
		case ISA_BRANCH: branch_emit(&g); break;
		case ISA_LDST: ldst_emit(&g); break;
		case ISA_FP: fp_emit(&g); break;
		case ISA_SIMD: simd_emit(&g); break;
		default:
			if (chance(&g, 15))
				branch_emit(&g);
			else
				any_emit(&g);
			break;
		}
	}
}
