/* tests/isa/state: random initial states. Pure computation. */
#include "state.h"

#include <string.h>

#include "rng.h"
#include "values.h"

void state_random(struct state *st, uint64_t seq_seed)
{
	struct rng r;
	rng_seed(&r, rng_mix(seq_seed, 1));
	for (int i = 0; i < 31; i++)
		st->x[i] = val_int(&r);
	st->nzcv = (uint64_t)rng_below(&r, 16) << 28;
	/* FPCR: a rounding mode (bits 23:22), now and then FZ (24), DN (25), AHP (26). Trap
	 * enables and FZ16 stay clear: they depend on optional features. */
	st->fpcr = (uint64_t)rng_below(&r, 4) << 22;
	if (rng_chance(&r, 25))
		st->fpcr |= 1u << 24;
	if (rng_chance(&r, 25))
		st->fpcr |= 1u << 25;
	if (rng_chance(&r, 10))
		st->fpcr |= 1u << 26;
	for (int i = 0; i < 32; i++)
		val_vreg(&r, st->v[i]);
	for (int i = 0; i < SCRATCH_SIZE; i += 8) {
		uint64_t v = rng_chance(&r, 50) ? rng_next(&r) : val_int(&r);
		memcpy(st->scratch + i, &v, 8);
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

void state_to_record(const struct state *st, uint64_t sp, uint64_t magic, uint8_t rec[REC_SIZE])
{
	memset(rec, 0, REC_SIZE);
	for (int i = 0; i < 31; i++)
		put64(rec + REC_X + 8 * i, st->x[i]);
	put64(rec + REC_SP, sp);
	put64(rec + REC_NZCV, st->nzcv);
	put64(rec + REC_FPSR, 0);
	put64(rec + REC_FPCR, st->fpcr);
	put64(rec + REC_MAGIC, magic);
	memcpy(rec + REC_V, st->v, sizeof st->v);
	memcpy(rec + REC_MEM, st->scratch, SCRATCH_SIZE);
}
