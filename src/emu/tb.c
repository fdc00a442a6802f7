/* emu/tb: the translation block cache. A block is translated once (front end: a64_decode;
 * back end binding: a64_bind), stored in a hash by guest pc and on a per-page chain, and marked
 * invalid when its page's code changes. Invalid blocks are unlinked but never freed while the
 * process runs: another thread may still be executing one (its ops stay readable). */
#include "emu/tb.h"

#include "emu/jit/jit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static inline size_t tb_hash(uint64_t pc)
{
	return (size_t)((pc >> 2) ^ (pc >> 18)) & (TB_HASH_SIZE - 1);
}

static inline size_t page_hash(uint64_t page)
{
	return (size_t)((page >> TB_PAGE_BITS) ^ (page >> 26)) & (TB_PAGE_HASH - 1);
}

int tb_cache_init(struct tb_cache *c, const struct tb_hooks *hooks)
{
	memset(c, 0, sizeof *c);
	if (hooks)
		c->hooks = *hooks;
	c->jit = jit_init();
	return -pthread_mutex_init(&c->lock, NULL);
}

void tb_cache_destroy(struct tb_cache *c)
{
	/* Blocks are owned by the process; it is ending. */
	pthread_mutex_destroy(&c->lock);
}

/* Leaves the block for the next instruction when a block ends without a branch. */
int tb_exec_next(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->pc = (uint64_t)op->imm;
	return 1;
}

static struct tb *translate(struct tb_cache *c, struct a64_cpu *cpu, uint64_t pc)
{
	struct a64_op ops[TB_MAX_OPS + 1];
	uint32_t n = 0;
	uint64_t at = pc, page = pc & ~(TB_PAGE_SIZE - 1);
	bool end = false;
	/* Stop at the page's end: a block never spans two pages, so one page's invalidation
	 * covers it. */
	while (!end && n < TB_MAX_OPS && (at & ~(TB_PAGE_SIZE - 1)) == page) {
		uint32_t insn = A64_LOAD(uint32_t, cpu, at);
		end = a64_decode(insn, at, &ops[n]);
		a64_bind(&ops[n]);
		n++;
		at += 4;
	}
	if (!end) {
		memset(&ops[n], 0, sizeof ops[n]);
		ops[n].pc = at;
		ops[n].imm = (int64_t)at;
		ops[n].fn = tb_exec_next;
		n++;
	}
	struct tb *tb = malloc(sizeof *tb + n * sizeof(struct a64_op));
	if (!tb)
		abort(); /* the emulator cannot go on without memory for code */
	tb->pc = pc;
	tb->end = at;
	tb->nops = n;
	tb->valid = true;
	memcpy(tb->ops, ops, n * sizeof(struct a64_op));
	tb->jit_ops = NULL;
	tb->jit_links = NULL;
	tb->code = c->jit ? jit_compile(tb) : NULL;
	return tb;
}

struct tb *tb_lookup(struct tb_cache *c, struct a64_cpu *cpu, uint64_t pc)
{
	size_t h = tb_hash(pc);
	for (struct tb *t = __atomic_load_n(&c->hash[h], __ATOMIC_ACQUIRE); t; t = t->hash_next)
		if (t->pc == pc && t->valid)
			return t;
	if (pc & 3) {
		/* A misaligned pc is an alignment fault at that pc. */
		return NULL;
	}
	pthread_mutex_lock(&c->lock);
	struct tb *t;
	for (t = c->hash[h]; t; t = t->hash_next)
		if (t->pc == pc && t->valid)
			break;
	if (!t) {
		uint64_t page = pc & ~(TB_PAGE_SIZE - 1);
		size_t ph = page_hash(page);
		bool known = false;
		for (struct tb *p = c->pages[ph]; p && !known; p = p->page_next)
			known = (p->pc & ~(TB_PAGE_SIZE - 1)) == page;
		if (!known && c->hooks.code_page_added &&
		    !c->hooks.code_page_added(c->hooks.owner, page)) {
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		/* Unlock while reading guest code: a fault there longjmps out of us. */
		pthread_mutex_unlock(&c->lock);
		t = translate(c, cpu, pc);
		pthread_mutex_lock(&c->lock);
		t->page_next = c->pages[ph];
		c->pages[ph] = t;
		t->hash_next = c->hash[h];
		__atomic_store_n(&c->hash[h], t, __ATOMIC_RELEASE); /* readers hold no lock */
		c->translated++;
	}
	pthread_mutex_unlock(&c->lock);
	return t;
}

unsigned tb_invalidate(struct tb_cache *c, uint64_t start, uint64_t len)
{
	if (len == 0)
		return 0;
	unsigned n = 0;
	uint64_t first = start & ~(TB_PAGE_SIZE - 1), last = (start + len - 1) & ~(TB_PAGE_SIZE - 1);
	pthread_mutex_lock(&c->lock);
	for (uint64_t page = first;; page += TB_PAGE_SIZE) {
		size_t ph = page_hash(page);
		struct tb **pp = &c->pages[ph];
		while (*pp) {
			struct tb *t = *pp;
			if ((t->pc & ~(TB_PAGE_SIZE - 1)) == page && t->pc < start + len &&
			    t->end > start) {
				t->valid = false;
				if (t->code)
					jit_unlink(t);
				*pp = t->page_next;
				struct tb **hp = &c->hash[tb_hash(t->pc)];
				while (*hp && *hp != t)
					hp = &(*hp)->hash_next;
				if (*hp)
					*hp = t->hash_next;
				n++;
				continue;
			}
			pp = &t->page_next;
		}
		if (page == last || n > (1u << 30))
			break;
		/* Walking a huge range page by page is wasteful: bound it. */
		if (((page - first) >> TB_PAGE_BITS) > (1u << 20))
			break;
	}
	c->invalidated += n;
	pthread_mutex_unlock(&c->lock);
	return n;
}

bool tb_page_has_code(struct tb_cache *c, uint64_t page)
{
	bool found = false;
	pthread_mutex_lock(&c->lock);
	for (struct tb *p = c->pages[page_hash(page)]; p && !found; p = p->page_next)
		found = (p->pc & ~(TB_PAGE_SIZE - 1)) == page;
	pthread_mutex_unlock(&c->lock);
	return found;
}

void tb_link(struct tb_cache *c, void *site, struct tb *tb)
{
	pthread_mutex_lock(&c->lock);
	jit_link(site, tb);
	pthread_mutex_unlock(&c->lock);
}
