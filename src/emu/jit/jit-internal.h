/* emu/jit: what the class emitters (jit-dp.c, jit-branch.c, jit-ldst.c) share with the block
 * compiler (jit.c). Register use in generated code: rbx = the CPU, r15 = guest base; rax, rcx,
 * rdx, rsi, rdi, r8-r11 are scratch within one guest instruction (nothing lives across two),
 * r10/r11 are reserved for flag and condition helpers. */
#ifndef VIREO_JIT_INTERNAL_H
#define VIREO_JIT_INTERNAL_H

#include <stddef.h>

#include "emu/aarch64/a64.h"
#include "emu/jit/jit.h"
#include "emu/jit/x86.h"

#define J_CPU X_RBX
#define J_BASE X_R15

/* What the x86 flags hold after an op, for the op that follows (fusing CMP + B.cond etc.). */
enum jflags {
	JF_NONE = 0, /* unknown */
	JF_ADD,      /* from ADD/ADC/CMN or a logical op: Arm C = CF, V = OF */
	JF_SUB,      /* from SUB/SBC/CMP: Arm C = !CF */
};

#define J_NCACHE 7

struct jit {
	struct xbuf b;
	int8_t cached[J_NCACHE];  /* guest register held by each cache register, or -1 */
	bool dirty[J_NCACHE];     /* newer than cpu->x[] */
	uint32_t used[J_NCACHE];  /* when it was last used (LRU) */
	uint32_t clock;
	const struct a64_op *op;  /* the op being compiled (in its tb) */
	enum jflags fin;          /* x86 flags on entry to this op */
	enum jflags fout;         /* what this op leaves (set by the emitter; JF_NONE by default) */
	uint8_t *dispatch;        /* the shared stub: cpu->pc is set, find the next block */
};

#define J_X(r) ((int32_t)(offsetof(struct a64_cpu, x) + 8 * (size_t)(r)))
#define J_V(r) ((int32_t)(offsetof(struct a64_cpu, v) + 16 * (size_t)(r)))
#define J_OFF(field) ((int32_t)offsetof(struct a64_cpu, field))

static inline struct xrm j_x(unsigned r) { return xm(J_CPU, J_X(r)); }
static inline unsigned j_w(const struct a64_op *op) { return op->sf ? XW : 0; }

/* Helpers in jit.c. */
/* hreg = guest register r (32 bits zero-extended when !sf). */
void j_get(struct jit *j, int hreg, unsigned r, bool sf);
/* guest register r = hreg (already zero-extended when 32-bit). */
void j_put(struct jit *j, unsigned r, int hreg);
/* Guest register r as an r/m operand: its cache register, or cpu->x[r]. */
struct xrm j_src(struct jit *j, unsigned r);
/* Forget the cache (something other than generated code may have written cpu->x[]). */
void j_forget(struct jit *j);
/* Store every dirty cached register to cpu->x[] (no flags touched). */
void j_flush(struct jit *j);
/* cpu->nzcv from the x86 flags of the last ALU instruction (kind JF_ADD or JF_SUB); keeps
 * the x86 flags, so the next op may still use them. */
void j_nzcv(struct jit *j, enum jflags kind);
/* Emit what is needed for Arm condition cond (0..13; not AL/NV) and return the x86 condition
 * code true exactly when it holds. Uses the live x86 flags when the previous op left them,
 * else reads cpu->nzcv (clobbering the x86 flags and r10, r11). */
int j_cond(struct jit *j, unsigned cond);
/* Before an access that may fault: flush the cache and set cpu->cur_op to the op, so the
 * fault has exact registers and its pc. */
void j_mark(struct jit *j);
/* cpu->pc = pc; then on to the next block. */
void j_goto(struct jit *j, uint64_t pc);
/* cpu->pc = hreg; then on to the next block. */
void j_goto_r(struct jit *j, int hreg);

/* Per-class emitters: true when the op was compiled natively, false to call its handler. */
bool jit_emit_dp(struct jit *j, const struct a64_op *op);
bool jit_emit_branch(struct jit *j, const struct a64_op *op);
bool jit_emit_ldst(struct jit *j, const struct a64_op *op);

#endif
