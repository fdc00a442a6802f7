/* tests/unit: running one pre-decoded op as the interpreter would. Handlers call the next op's
 * handler themselves (threaded dispatch, A64_HANDLER in a64.h), so a lone op is run as a block of
 * two whose second op is a stop that returns "go on". */
#ifndef VIREO_A64_BLOCK_H
#define VIREO_A64_BLOCK_H

#include <string.h>

#include "emu/aarch64/a64.h"

static inline int a64_test_stop(struct a64_cpu *c, const struct a64_op *o)
{
	(void)c;
	(void)o;
	return 0;
}

/* Run handler h on a copy of *o (as op 0 of a two-op block); returns the handler's result. */
static inline int run_handler(a64_handler h, struct a64_cpu *c, const struct a64_op *o)
{
	struct a64_op block[2];
	block[0] = *o;
	block[0].fn = h;
	memset(&block[1], 0, sizeof block[1]);
	block[1].fn = a64_test_stop;
	return h(c, block);
}

/* Run *o with its bound handler and copy the op back, so a test can see that a handler never
 * writes its op. */
static inline int run_one(struct a64_cpu *c, struct a64_op *o)
{
	struct a64_op block[2];
	block[0] = *o;
	memset(&block[1], 0, sizeof block[1]);
	block[1].fn = a64_test_stop;
	int r = block[0].fn(c, block);
	*o = block[0];
	return r;
}

#endif
