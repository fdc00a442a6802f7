/* emu/jit/jit: the code generator's block compiler and runtime: one process-wide code buffer,
 * the entry/exit stubs, the dispatcher that goes from block to block through the CPU's jump
 * cache without returning to C, and the fallback that runs any op the class emitters do not
 * compile by calling its interpreter handler. Touches: its own code buffer and the struct
 * a64_cpu fields generated code uses. */
#include "emu/jit/jit-internal.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emu/aarch64/dp.h"
#include "emu/tb.h"

#define CODE_SIZE (256u << 20)

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t jit_once = PTHREAD_ONCE_INIT;
static bool jit_on;
static FILE *perf_map; /* VIREO_JIT_PERFMAP=1: /tmp/perf-PID.map for perf report */
static uint8_t *code_cur, *code_end;
static void (*entry)(struct a64_cpu *cpu, void *code);
static uint8_t *dispatch_stub, *leave_stub, *epilogue_stub;

/* After an op called through its handler: the sentinel that follows its copy makes the
 * handler's threaded dispatch return to generated code instead of running on. */
static int jit_sentinel(struct a64_cpu *cpu, const struct a64_op *op)
{
	(void)cpu;
	(void)op;
	return 0;
}

static void emit_stubs(struct xbuf *b)
{
	static const int saved[] = {X_RBX, X_RBP, X_R12, X_R13, X_R14, X_R15};
	/* entry(cpu = rdi, code = rsi): save the callee-saved registers, keep the stack 16-byte
	 * aligned for the handlers generated code calls, and jump in. */
	entry = (void (*)(struct a64_cpu *, void *))(void *)b->p;
	for (size_t i = 0; i < 6; i++)
		x_push(b, saved[i]);
	x_alui(b, XW, XA_SUB, xr(X_RSP), 8);
	x_load(b, XW, J_CPU, xr(X_RDI));
	x_load(b, XW, J_BASE, xm(X_RDI, J_OFF(base)));
	x_jmp_r(b, X_RSI);

	uint8_t *epilogue = epilogue_stub = b->p;
	x_alui(b, XW, XA_ADD, xr(X_RSP), 8);
	for (size_t i = 6; i-- > 0;)
		x_pop(b, saved[i]);
	x_ret(b);

	/* leave: a handler ended the block; stop if the CPU exits, else dispatch. */
	leave_stub = b->p;
	x_alui(b, 0, XA_CMP, xm(J_CPU, J_OFF(exit)), 0);
	x_patch(x_jcc(b, XC_NE, NULL), epilogue);

	/* dispatch: cpu->pc is the next block's address. Return to C when the jump cache has
	 * no valid compiled block for it (C translates and comes back). Every block checks
	 * cpu->interrupt on entry, so this does not. */
	dispatch_stub = b->p;
	x_load(b, XW, X_RAX, xm(J_CPU, J_OFF(pc)));
	x_load(b, 0, X_RCX, xr(X_RAX));
	x_shifti(b, 0, XS_SHR, xr(X_RCX), 2);
	x_alui(b, 0, XA_AND, xr(X_RCX), A64_JCACHE_SIZE - 1);
	x_load(b, XW, X_RDX, xmi(J_CPU, X_RCX, 3, J_OFF(jcache)));
	x_test(b, XW, X_RDX, xr(X_RDX));
	x_patch(x_jcc(b, XC_E, NULL), epilogue);
	x_alu(b, XW, XA_CMP, X_RAX, xm(X_RDX, (int32_t)offsetof(struct tb, pc)));
	x_patch(x_jcc(b, XC_NE, NULL), epilogue);
	x_op(b, 0, 0x80, XA_CMP, xm(X_RDX, (int32_t)offsetof(struct tb, valid)));
	x1(b, 0);
	x_patch(x_jcc(b, XC_E, NULL), epilogue);
	x_load(b, XW, X_RAX, xm(X_RDX, (int32_t)offsetof(struct tb, code)));
	x_test(b, XW, X_RAX, xr(X_RAX));
	x_patch(x_jcc(b, XC_E, NULL), epilogue);
	x_jmp_r(b, X_RAX);
}

static void setup(void)
{
	const char *e = getenv("VIREO_JIT");
	if (e && !strcmp(e, "0"))
		return;
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("bmi2"))
		return;
	/* VIREO_JIT_BUFFER=BYTES (tests): a smaller buffer, to see what happens when it is full. */
	size_t size = CODE_SIZE;
	const char *bs = getenv("VIREO_JIT_BUFFER");
	if (bs && *bs) {
		char *end;
		unsigned long long v = strtoull(bs, &end, 10);
		if (!*end && v >= 8192 && v <= CODE_SIZE)
			size = (size_t)v;
	}
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return;
	struct xbuf b = {.p = m, .end = (uint8_t *)m + 4096};
	emit_stubs(&b);
	if (b.full)
		return;
	code_cur = (uint8_t *)(((uintptr_t)b.p + 63) & ~(uintptr_t)63);
	code_end = (uint8_t *)m + size;
	jit_on = true;
	const char *pm = getenv("VIREO_JIT_PERFMAP");
	if (pm && !strcmp(pm, "1")) {
		char path[64];
		snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
		perf_map = fopen(path, "we");
	}
}

bool jit_init(void)
{
	pthread_once(&jit_once, setup);
	return jit_on;
}

void jit_cpu_init(struct a64_cpu *cpu)
{
	/* PEXT of RFLAGS with this mask gives CF, ZF, SF, OF in bits 0..3; the tables turn
	 * that index into NZCV, with C = CF (kind 0, JF_ADD) or C = !CF (kind 1, JF_SUB). */
	cpu->jit_pext_mask = 1u << 0 | 1u << 6 | 1u << 7 | 1u << 11;
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; i < 16; i++) {
			bool cf = i & 1, zf = i & 2, sf = i & 4, of = i & 8;
			cpu->jit_nzcv[k][i] = (sf ? A64_N : 0) | (zf ? A64_Z : 0) |
					      ((cf != (k == 1)) ? A64_C : 0) | (of ? A64_V : 0);
		}
}

void jit_run(struct a64_cpu *cpu, void *code)
{
	entry(cpu, code);
}

/* --- helpers for the class emitters --- */

static const int cache_regs[J_NCACHE] = {X_R12, X_R13, X_R14, X_RBP, X_RDI, X_R8, X_R9};

static int cache_find(struct jit *j, unsigned r)
{
	for (int i = 0; i < J_NCACHE; i++)
		if (j->cached[i] == (int8_t)r) {
			j->used[i] = ++j->clock;
			return i;
		}
	return -1;
}

/* A slot for guest register r: a free one, or the least recently used (stored first when
 * dirty). */
static int cache_take(struct jit *j, unsigned r)
{
	int v = 0;
	for (int k = 1; k < J_NCACHE; k++)
		if (j->cached[k] < 0 || (j->cached[v] >= 0 && j->used[k] < j->used[v]))
			v = k;
	if (j->cached[v] >= 0 && j->dirty[v])
		x_store(&j->b, XW, j_x((unsigned)j->cached[v]), cache_regs[v]);
	j->cached[v] = (int8_t)r;
	j->dirty[v] = false;
	j->used[v] = ++j->clock;
	return v;
}

void j_flush(struct jit *j)
{
	for (int i = 0; i < J_NCACHE; i++)
		if (j->cached[i] >= 0 && j->dirty[i]) {
			x_store(&j->b, XW, j_x((unsigned)j->cached[i]), cache_regs[i]);
			j->dirty[i] = false;
		}
}

void j_forget(struct jit *j)
{
	memset(j->cached, -1, sizeof j->cached);
	memset(j->dirty, 0, sizeof j->dirty);
}

struct xrm j_src(struct jit *j, unsigned r)
{
	int i = r == REG_ZR ? -1 : cache_find(j, r);
	return i >= 0 ? xr(cache_regs[i]) : j_x(r);
}

void j_get(struct jit *j, int hreg, unsigned r, bool sf)
{
	if (r == REG_ZR) {
		x_movi(&j->b, hreg, 0);
		return;
	}
	int i = cache_find(j, r);
	if (i < 0) {
		/* Load all 64 bits into a cache register (the next reader may well be the next
		 * instruction), then take what this one needs. */
		i = cache_take(j, r);
		x_load(&j->b, XW, cache_regs[i], j_x(r));
	}
	x_load(&j->b, sf ? XW : 0, hreg, xr(cache_regs[i]));
}

void j_put(struct jit *j, unsigned r, int hreg)
{
	if (r == REG_ZW || r == REG_ZR)
		return;
	int i = cache_find(j, r);
	if (i < 0)
		i = cache_take(j, r);
	x_load(&j->b, XW, cache_regs[i], xr(hreg));
	j->dirty[i] = true;
}

void j_nzcv(struct jit *j, enum jflags kind)
{
	struct xbuf *b = &j->b;
	x_pushf(b);
	x_pop(b, X_R11);
	x_pext32(b, X_R11, X_R11, xm(J_CPU, J_OFF(jit_pext_mask)));
	x_load(b, 0, X_R11, xmi(J_CPU, X_R11, 2, J_OFF(jit_nzcv) + (kind == JF_SUB ? 64 : 0)));
	x_store(b, 0, xm(J_CPU, J_OFF(nzcv)), X_R11);
	j->fout = kind;
}

int j_cond(struct jit *j, unsigned cond)
{
	bool inv = cond & 1;
	int cc = -1;
	if (j->fin != JF_NONE) {
		switch (cond >> 1) {
		case 0: cc = XC_E; break;
		case 1: cc = j->fin == JF_SUB ? XC_AE : XC_B; break;
		case 2: cc = XC_S; break;
		case 3: cc = XC_O; break;
		case 4: cc = j->fin == JF_SUB ? XC_A : -1; break;
		case 5: cc = XC_GE; break;
		case 6: cc = XC_G; break;
		default: break;
		}
		if (cc >= 0)
			return inv ? cc ^ 1 : cc;
	}
	/* Bit i of mask: the condition holds when NZCV (bits 31:28) is i. */
	uint32_t mask = 0;
	for (uint32_t i = 0; i < 16; i++)
		if (a64_cond(i << 28, cond))
			mask |= 1u << i;
	struct xbuf *b = &j->b;
	j->fin = JF_NONE; /* BT below changes the x86 flags */
	x_load(b, 0, X_R11, xm(J_CPU, J_OFF(nzcv)));
	x_shifti(b, 0, XS_SHR, xr(X_R11), 28);
	x_movi(b, X_R10, mask);
	x_bt(b, 0, X_R10, X_R11);
	return XC_B;
}

void j_mark(struct jit *j)
{
	j_flush(j);
	x_movi(&j->b, X_R11, (uint64_t)(uintptr_t)j->op);
	x_store(&j->b, XW, xm(J_CPU, J_OFF(cur_op)), X_R11);
}

void j_goto(struct jit *j, uint64_t pc)
{
	struct xbuf *b = &j->b;
	j_flush(j);
	/* A direct exit: a jump whose 4-byte displacement is aligned, so it can be repointed
	 * atomically while other threads run it. It first goes to the slow path just after it,
	 * which sets cpu->pc, names itself in cpu->jit_link and returns to C; C chains it to the
	 * target's code (jit_link), and from then on the jump goes there directly. */
	while (((uintptr_t)b->p + 1) & 3)
		x1(b, 0x90);
	uint8_t *site = x_jmp(b, NULL);
	x_patch(site, b->p);
	if ((int64_t)pc >= INT32_MIN && (int64_t)pc <= INT32_MAX) {
		x_storei(b, XW, xm(J_CPU, J_OFF(pc)), (int32_t)pc);
	} else {
		x_movi(b, X_RAX, pc);
		x_store(b, XW, xm(J_CPU, J_OFF(pc)), X_RAX);
	}
	x_movi(b, X_R11, (uint64_t)(uintptr_t)site);
	x_store(b, XW, xm(J_CPU, J_OFF(jit_link)), X_R11);
	x_jmp(b, epilogue_stub);
}

void j_goto_r(struct jit *j, int hreg)
{
	j_flush(j);
	x_store(&j->b, XW, xm(J_CPU, J_OFF(pc)), hreg);
	x_jmp(&j->b, j->dispatch);
}

/* --- the block compiler --- */

/* Call the op's handler on a copy followed by the sentinel. */
static void emit_call(struct jit *j, struct a64_op *copy)
{
	struct xbuf *b = &j->b;
	j_flush(j);
	j_forget(j); /* the handler may write any guest register */
	x_movi(b, X_RSI, (uint64_t)(uintptr_t)copy);
	x_store(b, XW, xm(J_CPU, J_OFF(cur_op)), X_RSI);
	x_load(b, XW, X_RDI, xr(J_CPU));
	x_movi(b, X_RAX, (uint64_t)(uintptr_t)copy->fn);
	x_call_r(b, X_RAX);
	x_test(b, 0, X_RAX, xr(X_RAX));
	x_jcc(b, XC_NE, leave_stub);
}

static bool emit_native(struct jit *j, const struct a64_op *op)
{
	switch (op->cls) {
	case A64_CLS_DP: return jit_emit_dp(j, op);
	case A64_CLS_BRANCH: return jit_emit_branch(j, op);
	case A64_CLS_LDST: return jit_emit_ldst(j, op);
	default: return false;
	}
}

void *jit_compile(struct tb *tb)
{
	if (!jit_on)
		return NULL;
	/* Copies of the ops run through their handlers, each followed by the sentinel; they
	 * live as long as the block (blocks are never freed). */
	struct a64_op *fb = calloc(2 * (size_t)tb->nops, sizeof *fb);
	if (!fb)
		return NULL;
	pthread_mutex_lock(&jit_lock);
	struct jit j = {.b = {.p = code_cur, .end = code_end}, .dispatch = dispatch_stub};
	j_forget(&j);
	uint8_t *start = code_cur;
	size_t nfb = 0;
	/* Every entry (from C, the dispatcher or a chained jump) first checks for an interrupt:
	 * then cpu->pc is this block and C takes over. */
	x_alui(&j.b, 0, XA_CMP, xm(J_CPU, J_OFF(interrupt)), 0);
	uint8_t *intr = x_jcc(&j.b, XC_NE, NULL);
	for (uint32_t i = 0; i < tb->nops && !j.b.full; i++) {
		const struct a64_op *op = &tb->ops[i];
		j.op = op;
		j.fin = j.fout;
		j.fout = JF_NONE;
		if (op->fn == tb_exec_next) {
			j_goto(&j, (uint64_t)op->imm);
			break;
		}
		uint8_t *mark = j.b.p;
		struct jit saved = j;
		if (emit_native(&j, op))
			continue;
		j = saved;
		j.b.p = mark;
		j.fout = JF_NONE;
		struct a64_op *copy = &fb[2 * nfb++];
		*copy = *op;
		copy[1] = *op;
		copy[1].pc = op->pc + 4;
		copy[1].fn = jit_sentinel;
		emit_call(&j, copy);
		if (i == tb->nops - 1)
			/* The last op always leaves: its handler returned non-zero above. Should it
			 * not, go on at the next instruction. */
			j_goto(&j, op->pc + 4);
	}
	x_patch(intr, j.b.p);
	x_movi(&j.b, X_RAX, tb->pc);
	x_store(&j.b, XW, xm(J_CPU, J_OFF(pc)), X_RAX);
	x_jmp(&j.b, epilogue_stub);
	void *code = NULL;
	if (j.b.full) {
		code_cur = code_end; /* full: no more code, the interpreter runs new blocks */
	} else {
		code = start;
		code_cur = (uint8_t *)(((uintptr_t)j.b.p + 15) & ~(uintptr_t)15);
		const char *dump = getenv("VIREO_JIT_DUMP"); /* a directory: each block's code */
		if (dump && *dump) {
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/%llx.bin", dump, (unsigned long long)tb->pc);
			FILE *f = fopen(path, "we");
			if (f) {
				fwrite(start, 1, (size_t)(j.b.p - start), f);
				fclose(f);
			}
		}
		if (perf_map) {
			fprintf(perf_map, "%lx %lx guest_%llx\n", (unsigned long)(uintptr_t)start,
				(unsigned long)(j.b.p - start), (unsigned long long)tb->pc);
			fflush(perf_map);
		}
	}
	pthread_mutex_unlock(&jit_lock);
	if (!code || nfb == 0)
		free(fb);
	else
		tb->jit_ops = fb;
	return code;
}

/* --- chaining --- */

struct jit_link {
	uint8_t *site;          /* a direct exit's rel32, now pointing at the block's code */
	struct jit_link *next;  /* the block's other incoming links */
};

static void repoint(uint8_t *site, const uint8_t *target)
{
	int32_t d = (int32_t)(target - (site + 4));
	__atomic_store_n((int32_t *)(void *)site, d, __ATOMIC_RELEASE);
}

void jit_link(void *site, struct tb *tb)
{
	if (!site || !tb->code || !tb->valid)
		return;
	struct jit_link *l = malloc(sizeof *l);
	if (!l)
		return; /* stays unchained: slower, still right */
	pthread_mutex_lock(&jit_lock);
	int32_t d;
	memcpy(&d, site, 4);
	if (d != 0) {
		/* Chained already (two threads raced to it). */
		pthread_mutex_unlock(&jit_lock);
		free(l);
		return;
	}
	l->site = site;
	l->next = tb->jit_links;
	tb->jit_links = l;
	repoint(site, tb->code);
	pthread_mutex_unlock(&jit_lock);
}

void jit_unlink(struct tb *tb)
{
	pthread_mutex_lock(&jit_lock);
	struct jit_link *l = tb->jit_links;
	tb->jit_links = NULL;
	while (l) {
		struct jit_link *next = l->next;
		repoint(l->site, l->site + 4); /* back to its slow path */
		free(l);
		l = next;
	}
	pthread_mutex_unlock(&jit_lock);
}
