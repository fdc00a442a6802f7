/* tests/isa/prog: a test program's code and data, in memory: for each sequence, a prologue that
 * loads its initial state, the sequence, and an epilogue that dumps the final state to stdout;
 * then exit_group(0). elf.c writes the result to a file. */
#ifndef ISA_PROG_H
#define ISA_PROG_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "state.h"

struct prog_item {
	long index;              /* the sequence's index in the run (its record's magic) */
	int slot;                /* items' slots must be consecutive, in order */
	const struct seq *body;
	int prefix;              /* instructions kept; the rest become NOPs */
	const struct state *st;  /* x28 is replaced by the slot's scratch address */
};

struct image {
	uint64_t entry;
	uint64_t code_addr, data_addr;
	uint8_t *code, *data;
	size_t code_len, data_len;
};

/* Address of instruction 0 of the sequence in a slot, for sequences of up to seqlen. */
uint64_t prog_body_addr(int slot, int seqlen);
uint64_t prog_scratch_addr(int slot);
/* The initial x28 and SP of a slot. */
uint64_t prog_x28(int slot);
uint64_t prog_sp(int slot);
/* The magic a sequence's record carries. */
uint64_t prog_magic(long index);
/* Lay the items out; 0, or -1 when out of memory. */
int prog_build(struct image *im, const struct prog_item *items, int n, int seqlen);
void image_free(struct image *im);

#endif
