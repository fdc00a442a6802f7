/* tests/isa/gen-branch: branches that stay inside the sequence. Forward branches (direct,
 * conditional, compare-and-branch, test-and-branch, and indirect through ADR) skip a few
 * instructions; a counted loop branches backward. The instructions in a branch's shadow or a
 * loop's body come from the data-processing class (or, in the mixed class, from any class).
 * Pure computation. */
#include "gen.h"

#include "enc.h"

static void filler(struct gen *g)
{
	if (g->cls == ISA_MIXED)
		any_emit(g);
	else
		dp_one(g);
}

/* Emit k instructions' worth of whole constructs that may be skipped or repeated (fewer when
 * the current construct's room ends first). */
static void fill(struct gen *g, int k)
{
	int saved = g->limit;
	if (g->s->n + k < g->limit)
		g->limit = g->s->n + k;
	g->cond++;
	while (g->s->n < g->limit)
		filler(g);
	g->cond--;
	g->limit = saved;
}

static int pick_k(struct gen *g, int reserved)
{
	int max = room(g) - reserved;
	if (max > 4)
		max = 4;
	return max <= 0 ? 0 : (int)rnd(g, (uint32_t)max + 1);
}

static void forward(struct gen *g)
{
	/* B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ over k instructions */
	uint32_t kind = rnd(g, 8), w, off;
	int at = g->s->n, k = pick_k(g, 1);
	switch (kind) {
	case 0: w = 0x14000000u; break;
	case 1: w = 0x94000000u; g->recent_x[0] = 30; break;
	case 2: case 3: case 4: w = 0x54000000u | cond_any(g); break;
	case 5: case 6: {
		uint32_t sf = rnd(g, 2), op = rnd(g, 2), rt = (uint32_t)gpr_r(g);
		w = sf << 31 | 0x34000000u | op << 24 | rt;
		break;
	}
	default: {
		uint32_t bit = rnd(g, 64), op = rnd(g, 2), rt = (uint32_t)gpr_r(g);
		w = (bit >> 5) << 31 | 0x36000000u | op << 24 | (bit & 31) << 19 | rt;
		break;
	}
	}
	emit(g, w);
	fill(g, k);
	off = (uint32_t)(g->s->n - at); /* imm26 at bit 0; imm19 and imm14 at bit 5 */
	g->s->w[at] |= kind <= 1 ? off : off << 5;
}

static void indirect(struct gen *g)
{
	/* ADR xA, target; BR/BLR/RET xA; k instructions never executed; target: */
	uint32_t kind = rnd(g, 3);
	int at = g->s->n, a = gpr_w(g, false), k = pick_k(g, 2);
	emit(g, 0x10000000u | (uint32_t)a); /* ADR, offset patched below */
	emit(g, (kind == 0 ? 0xd61f0000u : kind == 1 ? 0xd63f0000u : 0xd65f0000u) | (uint32_t)a << 5);
	if (kind == 1)
		g->recent_x[0] = 30;
	fill(g, k);
	uint32_t off = (uint32_t)(g->s->n - at) * 4;
	g->s->w[at] |= (off & 3) << 29 | (off >> 2) << 5;
}

static void loop(struct gen *g)
{
	/* MOVZ wK, #count; body: k instructions; SUB(S) wK, wK, #1; CBNZ wK / B.NE / B.GT body */
	uint32_t kind = rnd(g, 3), count = 1 + rnd(g, 4);
	int max = room(g) - 3;
	if (max > 5)
		max = 5;
	int k = 1 + (int)rnd(g, (uint32_t)max);
	int kreg = gpr_w(g, false);
	uint32_t saved_keep = g->keep;
	bool saved_nomem = g->nomem;
	emit(g, enc_movz(0, kreg, count, 0));
	int top = g->s->n;
	g->keep |= 1u << kreg;
	g->nomem = true;
	fill(g, k);
	g->keep = saved_keep;
	g->nomem = saved_nomem;
	uint32_t s = kind != 0;
	emit(g, 0x51000000u | s << 29 | 1u << 10 | (uint32_t)kreg << 5 | (uint32_t)kreg);
	uint32_t back = (uint32_t)(top - g->s->n) & 0x7ffff;
	if (kind == 0)
		emit(g, 0x35000000u | back << 5 | (uint32_t)kreg);
	else
		emit(g, 0x54000000u | back << 5 | (kind == 1 ? 1u : 0xcu)); /* NE, GT */
}

void branch_emit(struct gen *g)
{
	uint32_t k = rnd(g, 8);
	if (k < 2 || room(g) < 2)
		filler(g);
	else if (k < 5)
		forward(g);
	else if (k < 6 || room(g) < 5)
		indirect(g);
	else
		loop(g);
}
