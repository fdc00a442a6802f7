/* tests/isa/state: the architectural state a sequence starts from (random, from the sequence's
 * seed), and its image in a dump record, which is what an empty sequence must give back. */
#ifndef ISA_STATE_H
#define ISA_STATE_H

#include <stdint.h>

#include "layout.h"

struct state {
	uint64_t x[31];
	uint64_t nzcv, fpcr;
	uint8_t v[32][16];
	uint8_t scratch[SCRATCH_SIZE];
};

/* The random state of the sequence with this seed. x28 and SP are not set here: they are
 * addresses, fixed by the slot the sequence runs in (prog_pin_state). */
void state_random(struct state *st, uint64_t seq_seed);
/* The record an empty sequence dumps (FPSR is cleared by the prologue). */
void state_to_record(const struct state *st, uint64_t sp, uint64_t magic, uint8_t rec[REC_SIZE]);

#endif
