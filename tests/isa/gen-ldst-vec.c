/* tests/isa/gen-ldst-vec: Advanced SIMD structure loads and stores: LD1-LD4/ST1-ST4 of whole
 * registers, of one lane, and LD1R-LD4R, with no offset or post-indexed by the transfer size or
 * by a register. Pure computation. */
#include "ldst.h"

bool ldst_struct(struct gen *g)
{
	uint32_t kind = rnd(g, 3), q = rnd(g, 2), l = rnd(g, 2), size, fields;
	int bytes;
	if (kind == 0) { /* multiple structures: LD1 x1..x4, LD2, LD3, LD4 */
		static const uint32_t opcode[] = {7, 10, 6, 2, 8, 4, 0};
		static const int regs[] = {1, 2, 3, 4, 2, 3, 4};
		uint32_t k = rnd(g, 7);
		size = rnd(g, 4);
		if (k >= 4 && size == 3)
			q = 1; /* no .1D arrangement with more than one element per structure */
		bytes = regs[k] * (q ? 16 : 8);
		fields = q << 30 | 0x0c000000u | l << 22 | opcode[k] << 12 | size << 10;
	} else if (kind == 1) { /* one lane: LD1-LD4 {Vt.T}[index] */
		uint32_t selem = 1 + rnd(g, 4), scale = rnd(g, 4), idx = rnd(g, 16u >> scale), s;
		switch (scale) {
		case 0: q = idx >> 3; s = (idx >> 2) & 1; size = idx & 3; break;
		case 1: q = idx >> 2; s = (idx >> 1) & 1; size = (idx & 1) << 1; break;
		case 2: q = idx >> 1; s = idx & 1; size = 0; break;
		default: q = idx; s = 0; size = 1; break;
		}
		uint32_t opcode = (scale == 3 ? 2 : scale) << 1 | (selem - 1) >> 1;
		bytes = (int)selem << scale;
		fields = q << 30 | 0x0d000000u | l << 22 | ((selem - 1) & 1) << 21 | opcode << 13 |
			 s << 12 | size << 10;
	} else { /* LD1R-LD4R */
		uint32_t selem = 1 + rnd(g, 4);
		size = rnd(g, 4);
		bytes = (int)selem << size;
		fields = q << 30 | 0x0d400000u | ((selem - 1) & 1) << 21 | (6 | (selem - 1) >> 1) << 13 |
			 size << 10;
		l = 1;
	}
	uint32_t rt = (uint32_t)(l ? vreg_w(g) : vreg_r(g));
	uint32_t saved_keep = g->keep;
	struct base b;
	uint32_t post = rnd(g, 3); /* none, by the size, by a register */
	if (post == 2 && room(g) < 2)
		post = 1;
	if (!base_pick(g, &b, room(g) >= (post == 2 ? 3 : 2), 1, bytes)) {
		g->keep = saved_keep;
		return false;
	}
	int lo = -256, hi = 256, step = 0;
	range_pinned(&lo, &hi, &b, 1);
	if (post && !base_wb_ok(g, &b))
		post = 0;
	if (post == 1 && (bytes < lo || bytes > hi || bytes % sp_mult(&b, 1)))
		post = 0;
	if (post == 2 && !pick_in(g, lo, hi, sp_mult(&b, 1), &step))
		post = 0;
	uint32_t rm = 0;
	if (post == 1) {
		rm = 31;
		step = bytes;
	} else if (post == 2) {
		rm = (uint32_t)gpr_w(g, false);
		emit_mov_small(g, (int)rm, step);
	}
	emit(g, fields | (post ? 0x00800000u | rm << 16 : 0) | (uint32_t)b.reg << 5 | rt);
	if (post)
		base_moved(g, &b, b.off + step);
	g->keep = saved_keep;
	return true;
}
