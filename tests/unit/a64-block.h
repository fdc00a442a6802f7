/* tests/unit: running one pre-decoded op as the interpreter would. Handlers call the next op's
 * handler themselves (threaded dispatch, A64_HANDLER in a64.h), so a lone op is run as a block of
 * two whose second op is a stop that returns "go on". */
#ifndef VIREO_A64_BLOCK_H
#define VIREO_A64_BLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "emu/aarch64/a64.h"
#include "emu/jit/jit.h"
#include "emu/tb.h"

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

/* With VIREO_TEST_JIT=1 (scripts/test runs the a64 tests both ways) run_one compiles the op
 * with the x86-64 code generator instead: a block of the op and an "on to pc + 4" end. The
 * result is 1 when the op left the block (an exit, or a pc other than the next). */
static inline bool a64_test_jit(void)
{
	static int on = -1;
	if (on < 0) {
		const char *e = getenv("VIREO_TEST_JIT");
		on = e && !strcmp(e, "1") && jit_init();
	}
	return on;
}

static inline void a64_test_free_tb(void *p)
{
	struct tb *tb = p;
	free(tb->jit_ops);
	free(tb);
}

static pthread_once_t a64_test_once = PTHREAD_ONCE_INIT;
static pthread_key_t a64_test_key;
static inline void a64_test_make_key(void)
{
	pthread_key_create(&a64_test_key, a64_test_free_tb);
}

static inline int run_one_jit(struct a64_cpu *c, struct a64_op *o)
{
	/* The thread's previous block, freed here (a test may longjmp out of a faulting run)
	 * or when the thread ends. */
	pthread_once(&a64_test_once, a64_test_make_key);
	struct tb *last = pthread_getspecific(a64_test_key);
	if (last)
		a64_test_free_tb(last);
	struct tb *tb = calloc(1, sizeof *tb + 2 * sizeof(struct a64_op));
	if (!tb)
		abort();
	pthread_setspecific(a64_test_key, tb);
	tb->pc = o->pc;
	tb->end = o->pc + 4;
	tb->valid = true;
	tb->nops = 2;
	tb->ops[0] = *o;
	tb->ops[1].pc = o->pc + 4;
	tb->ops[1].imm = (int64_t)(o->pc + 4);
	tb->ops[1].fn = tb_exec_next;
	void *code = jit_compile(tb);
	if (!code)
		abort();
	jit_cpu_init(c);
	memset(c->jcache, 0, sizeof c->jcache);
	c->pc = o->pc;
	c->exit = A64_EXIT_NONE;
	jit_run(c, code);
	return c->exit != A64_EXIT_NONE || c->pc != o->pc + 4;
}

/* Run *o with its bound handler and copy the op back, so a test can see that a handler never
 * writes its op. */
static inline int run_one(struct a64_cpu *c, struct a64_op *o)
{
	if (a64_test_jit())
		return run_one_jit(c, o);
	struct a64_op block[2];
	block[0] = *o;
	memset(&block[1], 0, sizeof block[1]);
	block[1].fn = a64_test_stop;
	int r = block[0].fn(c, block);
	*o = block[0];
	return r;
}

#endif
