/* emu/tb: translation blocks: runs of pre-decoded guest instructions, cached by guest address
 * and invalidated by guest page when the code under them changes (a write to a page that holds
 * translated code, IC IVAU, munmap, mprotect). Shared by all guest CPUs of a process. */
#ifndef VIREO_TB_H
#define VIREO_TB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "emu/aarch64/a64.h"

#define TB_MAX_OPS 64
#define TB_PAGE_BITS 12
#define TB_PAGE_SIZE (1ull << TB_PAGE_BITS)

struct tb {
	uint64_t pc;   /* guest address of the first instruction */
	uint64_t end;  /* guest address after the last one */
	struct tb *hash_next;
	struct tb *page_next; /* TBs starting on the same guest page */
	volatile bool valid;
	uint32_t nops;
	void *code; /* host code from the code generator (emu/jit), or NULL: interpret ops */
	struct a64_op *jit_ops; /* the code generator's copies of ops it calls handlers for */
	struct jit_link *jit_links; /* chained jumps into this block's code */
	struct a64_op ops[]; /* nops ops, the last always leaves the block */
};

/* What the owner of the address space does for the cache. */
struct tb_hooks {
	/* A page just got its first TB: write-protect it on the host so writes are seen.
	 * Returns false when the page is not executable for the guest (then no TB is made). */
	bool (*code_page_added)(void *owner, uint64_t page);
	void *owner;
};

#define TB_HASH_SIZE 65536
#define TB_PAGE_HASH 16384

struct tb_cache {
	pthread_mutex_t lock;
	struct tb_hooks hooks;
	struct tb *hash[TB_HASH_SIZE]; /* read without the lock: entries are published last */
	struct tb *pages[TB_PAGE_HASH]; /* chains of TBs by page, under lock */
	uint64_t translated, invalidated;
	bool jit; /* compile blocks to host code (jit_init succeeded) */
};

int tb_cache_init(struct tb_cache *c, const struct tb_hooks *hooks);
void tb_cache_destroy(struct tb_cache *c);
/* The valid TB starting at pc, translating it when needed. Reads guest code through cpu
 * (a fault while reading becomes the guest's fault at pc). */
struct tb *tb_lookup(struct tb_cache *c, struct a64_cpu *cpu, uint64_t pc);
/* Invalidate every TB that overlaps [start, start+len). Returns how many. */
unsigned tb_invalidate(struct tb_cache *c, uint64_t start, uint64_t len);
/* Chain generated code's direct exit at site to tb (see jit_link), under the cache's lock. */
void tb_link(struct tb_cache *c, void *site, struct tb *tb);
/* The handler of the op that ends a block which stops without a branch (page end, size). */
int tb_exec_next(struct a64_cpu *cpu, const struct a64_op *op);
/* True when some TB starts on this page (its host protection is then ours to manage). */
bool tb_page_has_code(struct tb_cache *c, uint64_t page);

#endif
