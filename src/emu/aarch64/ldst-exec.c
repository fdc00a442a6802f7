/* emu/aarch64/ldst-exec: interpreter for the loads and stores (ops as ldst.h describes them).
 * One handler per kind, access type and addressing mode, chosen at bind time, so a handler
 * decodes nothing. Touches only the CPU state it is given and guest memory; every handler
 * finishes all accesses that can fault before it writes a register. Atomics use the host's
 * __atomic builtins on the host address, so they are atomic against other guest threads. */
#include "emu/aarch64/a64.h"
#include "emu/aarch64/ldst.h"

/* Threaded dispatch: see A64_HANDLER in a64.h. */
#define H(name) A64_HANDLER(name, c)

/* ------------------------------------------------------------------------------------------
 * Single registers: ACC(c, op, a) does the access at guest address a and writes the register.
 * Six addressing variants each: unsigned offset/unscaled, pre, post, register (X, UXTW, SXTW).
 */
#define MODES3(name, ACC)                                                                         \
	H(name##_off)                                                                              \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + (uint64_t)op->imm;                                     \
		ACC(c, op, a);                                                                     \
		return 0;                                                                          \
	}                                                                                          \
	H(name##_pre)                                                                              \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + (uint64_t)op->imm;                                     \
		ACC(c, op, a);                                                                     \
		c->x[op->rn] = a;                                                                  \
		return 0;                                                                          \
	}                                                                                          \
	H(name##_post)                                                                             \
	{                                                                                          \
		uint64_t a = c->x[op->rn];                                                         \
		ACC(c, op, a);                                                                     \
		c->x[op->rn] = a + (uint64_t)op->imm;                                              \
		return 0;                                                                          \
	}
#define ROW3(name) { name##_off, name##_pre, name##_post }

#define MODES(name, ACC)                                                                          \
	MODES3(name, ACC)                                                                          \
	H(name##_rx)                                                                               \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + (c->x[op->rm] << op->shift);                           \
		ACC(c, op, a);                                                                     \
		return 0;                                                                          \
	}                                                                                          \
	H(name##_ruw)                                                                              \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + ((uint64_t)(uint32_t)c->x[op->rm] << op->shift);       \
		ACC(c, op, a);                                                                     \
		return 0;                                                                          \
	}                                                                                          \
	H(name##_rsw)                                                                              \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + ((uint64_t)(int64_t)(int32_t)c->x[op->rm] << op->shift); \
		ACC(c, op, a);                                                                     \
		return 0;                                                                          \
	}

#define ROW6(name) { name##_off, name##_pre, name##_post, name##_rx, name##_ruw, name##_rsw }

/* General-register loads: zero-extending, and sign-extending to 32 (W) or 64 (X) bits. */
#define ACC_LDU8(c, op, a) (c)->x[(op)->rd] = A64_LOAD(uint8_t, c, a)
#define ACC_LDU16(c, op, a) (c)->x[(op)->rd] = A64_LOAD(uint16_t, c, a)
#define ACC_LDU32(c, op, a) (c)->x[(op)->rd] = A64_LOAD(uint32_t, c, a)
#define ACC_LDU64(c, op, a) (c)->x[(op)->rd] = A64_LOAD(uint64_t, c, a)
#define ACC_LDS8W(c, op, a) (c)->x[(op)->rd] = (uint32_t)(int32_t)A64_LOAD(int8_t, c, a)
#define ACC_LDS16W(c, op, a) (c)->x[(op)->rd] = (uint32_t)(int32_t)A64_LOAD(int16_t, c, a)
#define ACC_LDS8X(c, op, a) (c)->x[(op)->rd] = (uint64_t)(int64_t)A64_LOAD(int8_t, c, a)
#define ACC_LDS16X(c, op, a) (c)->x[(op)->rd] = (uint64_t)(int64_t)A64_LOAD(int16_t, c, a)
#define ACC_LDS32X(c, op, a) (c)->x[(op)->rd] = (uint64_t)(int64_t)A64_LOAD(int32_t, c, a)
MODES(ldu8, ACC_LDU8)
MODES(ldu16, ACC_LDU16)
MODES(ldu32, ACC_LDU32)
MODES(ldu64, ACC_LDU64)
MODES(lds8w, ACC_LDS8W)
MODES(lds16w, ACC_LDS16W)
MODES(lds8x, ACC_LDS8X)
MODES(lds16x, ACC_LDS16X)
MODES(lds32x, ACC_LDS32X)
/* Index: size for unsigned, 4 + size signed to W, 6 + size signed to X. */
static const a64_handler ldr_tab[9][6] = {
	ROW6(ldu8), ROW6(ldu16), ROW6(ldu32), ROW6(ldu64), ROW6(lds8w),
	ROW6(lds16w), ROW6(lds8x), ROW6(lds16x), ROW6(lds32x),
};

#define ACC_ST8(c, op, a) A64_STORE(uint8_t, c, a, (uint8_t)(c)->x[(op)->rd])
#define ACC_ST16(c, op, a) A64_STORE(uint16_t, c, a, (uint16_t)(c)->x[(op)->rd])
#define ACC_ST32(c, op, a) A64_STORE(uint32_t, c, a, (uint32_t)(c)->x[(op)->rd])
#define ACC_ST64(c, op, a) A64_STORE(uint64_t, c, a, (c)->x[(op)->rd])
MODES(st8, ACC_ST8)
MODES(st16, ACC_ST16)
MODES(st32, ACC_ST32)
MODES(st64, ACC_ST64)
static const a64_handler str_tab[4][6] = { ROW6(st8), ROW6(st16), ROW6(st32), ROW6(st64) };

/* SIMD&FP registers: loads zero the rest of the vector. */
#define ACC_LDV(T)                                                                                \
	{                                                                                          \
		uint64_t lv = A64_LOAD(T, c, a);                                                   \
		c->v[op->rd].d[0] = lv;                                                            \
		c->v[op->rd].d[1] = 0;                                                             \
	}
#define ACC_LDVB(c, op, a) ACC_LDV(uint8_t)
#define ACC_LDVH(c, op, a) ACC_LDV(uint16_t)
#define ACC_LDVS(c, op, a) ACC_LDV(uint32_t)
#define ACC_LDVD(c, op, a) ACC_LDV(uint64_t)
#define ACC_LDVQ(c, op, a)                                                                        \
	{                                                                                          \
		unsigned __int128 lq = A64_LOAD(unsigned __int128, c, a);                          \
		c->v[op->rd].q = lq;                                                               \
	}
MODES(ldvb, ACC_LDVB)
MODES(ldvh, ACC_LDVH)
MODES(ldvs, ACC_LDVS)
MODES(ldvd, ACC_LDVD)
MODES(ldvq, ACC_LDVQ)
static const a64_handler ldrv_tab[5][6] = {
	ROW6(ldvb), ROW6(ldvh), ROW6(ldvs), ROW6(ldvd), ROW6(ldvq),
};

#define ACC_STVB(c, op, a) A64_STORE(uint8_t, c, a, (c)->v[(op)->rd].b[0])
#define ACC_STVH(c, op, a) A64_STORE(uint16_t, c, a, (c)->v[(op)->rd].h[0])
#define ACC_STVS(c, op, a) A64_STORE(uint32_t, c, a, (c)->v[(op)->rd].s[0])
#define ACC_STVD(c, op, a) A64_STORE(uint64_t, c, a, (c)->v[(op)->rd].d[0])
#define ACC_STVQ(c, op, a) A64_STORE(unsigned __int128, c, a, (c)->v[(op)->rd].q)
MODES(stvb, ACC_STVB)
MODES(stvh, ACC_STVH)
MODES(stvs, ACC_STVS)
MODES(stvd, ACC_STVD)
MODES(stvq, ACC_STVQ)
static const a64_handler strv_tab[5][6] = {
	ROW6(stvb), ROW6(stvh), ROW6(stvs), ROW6(stvd), ROW6(stvq),
};

H(prfm)
{
	(void)c;
	(void)op;
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Pairs: offset, pre, post. General-register loads write Rt2, then Rt; SIMD&FP loads Rt,
 * then Rt2 (so Rt == Rt2 ends as qemu leaves it); then the base. Their handlers come from
 * MODES3 and ROW3, defined with MODES above. */

#define ACC_LDP(T, CONV)                                                                          \
	{                                                                                          \
		uint64_t p1 = CONV(A64_LOAD(T, c, a));                                             \
		uint64_t p2 = CONV(A64_LOAD(T, c, a + sizeof(T)));                                 \
		c->x[op->rt2] = p2;                                                                \
		c->x[op->rd] = p1;                                                                 \
	}
#define CONV_U(v) (v)
#define CONV_SX(v) ((uint64_t)(int64_t)(v))
#define ACC_LDPW(c, op, a) ACC_LDP(uint32_t, CONV_U)
#define ACC_LDPX(c, op, a) ACC_LDP(uint64_t, CONV_U)
#define ACC_LDPSW(c, op, a) ACC_LDP(int32_t, CONV_SX)
MODES3(ldpw, ACC_LDPW)
MODES3(ldpx, ACC_LDPX)
MODES3(ldpsw, ACC_LDPSW)

#define ACC_STPW(c, op, a)                                                                        \
	{                                                                                          \
		A64_STORE(uint32_t, c, a, (uint32_t)c->x[op->rd]);                                 \
		A64_STORE(uint32_t, c, a + 4, (uint32_t)c->x[op->rt2]);                            \
	}
#define ACC_STPX(c, op, a)                                                                        \
	{                                                                                          \
		A64_STORE(uint64_t, c, a, c->x[op->rd]);                                           \
		A64_STORE(uint64_t, c, a + 8, c->x[op->rt2]);                                      \
	}
MODES3(stpw, ACC_STPW)
MODES3(stpx, ACC_STPX)

#define ACC_LDPV(T)                                                                               \
	{                                                                                          \
		uint64_t p1 = A64_LOAD(T, c, a);                                                   \
		uint64_t p2 = A64_LOAD(T, c, a + sizeof(T));                                       \
		c->v[op->rd].d[0] = p1;                                                            \
		c->v[op->rd].d[1] = 0;                                                             \
		c->v[op->rt2].d[0] = p2;                                                           \
		c->v[op->rt2].d[1] = 0;                                                            \
	}
#define ACC_LDPVS(c, op, a) ACC_LDPV(uint32_t)
#define ACC_LDPVD(c, op, a) ACC_LDPV(uint64_t)
#define ACC_LDPVQ(c, op, a)                                                                       \
	{                                                                                          \
		unsigned __int128 p1 = A64_LOAD(unsigned __int128, c, a);                          \
		unsigned __int128 p2 = A64_LOAD(unsigned __int128, c, a + 16);                     \
		c->v[op->rd].q = p1;                                                               \
		c->v[op->rt2].q = p2;                                                              \
	}
MODES3(ldpvs, ACC_LDPVS)
MODES3(ldpvd, ACC_LDPVD)
MODES3(ldpvq, ACC_LDPVQ)

#define ACC_STPVS(c, op, a)                                                                       \
	{                                                                                          \
		A64_STORE(uint32_t, c, a, c->v[op->rd].s[0]);                                      \
		A64_STORE(uint32_t, c, a + 4, c->v[op->rt2].s[0]);                                 \
	}
#define ACC_STPVD(c, op, a)                                                                       \
	{                                                                                          \
		A64_STORE(uint64_t, c, a, c->v[op->rd].d[0]);                                      \
		A64_STORE(uint64_t, c, a + 8, c->v[op->rt2].d[0]);                                 \
	}
#define ACC_STPVQ(c, op, a)                                                                       \
	{                                                                                          \
		A64_STORE(unsigned __int128, c, a, c->v[op->rd].q);                                \
		A64_STORE(unsigned __int128, c, a + 16, c->v[op->rt2].q);                          \
	}
MODES3(stpvs, ACC_STPVS)
MODES3(stpvd, ACC_STPVD)
MODES3(stpvq, ACC_STPVQ)

/* ------------------------------------------------------------------------------------------
 * Alignment faults, and a 16-byte compare-and-swap. */
__attribute__((cold, noinline)) static int align_exit(struct a64_cpu *c, const struct a64_op *op,
						      uint64_t a, int write)
{
	c->exit = A64_EXIT_ALIGN;
	c->fault_addr = a;
	c->fault_write = write;
	c->exit_insn = op->insn;
	c->pc = op->pc;
	return 1;
}

#define CHECK_ALIGN(a, bytes, write)                                                              \
	do {                                                                                       \
		if ((a) & ((bytes) - 1))                                                           \
			return align_exit(c, op, a, write);                                        \
	} while (0)

/* Compare the 16 bytes at p (16-byte aligned host address) with lo:hi and store nlo:nhi if
 * equal; lo:hi receive the old value. */
static inline bool host_cas16(void *p, uint64_t *lo, uint64_t *hi, uint64_t nlo, uint64_t nhi)
{
#if defined(__x86_64__)
	bool ok;
	uint64_t l = *lo, h = *hi;
	__asm__ __volatile__("lock cmpxchg16b %1"
			     : "=@ccz"(ok), "+m"(*(volatile unsigned __int128 *)p), "+a"(l), "+d"(h)
			     : "b"(nlo), "c"(nhi)
			     : "memory");
	*lo = l;
	*hi = h;
	return ok;
#else
	unsigned __int128 e = (unsigned __int128)*hi << 64 | *lo;
	unsigned __int128 n = (unsigned __int128)nhi << 64 | nlo;
	bool ok = __atomic_compare_exchange_n((unsigned __int128 *)p, &e, n, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	*lo = (uint64_t)e;
	*hi = (uint64_t)(e >> 64);
	return ok;
#endif
}

/* ------------------------------------------------------------------------------------------
 * Exclusives. The monitor remembers the address and the value loaded; a store-exclusive
 * succeeds when the monitor is armed for its address, the recorded value fits the store's
 * size, and a host compare-and-swap of the recorded value against the new one succeeds (so
 * a load-exclusive of one size and a store of another succeed as in qemu when the value
 * allows it). A store-exclusive whose address is not the monitor's fails without touching
 * memory and without an alignment check (as qemu: only an armed monitor checks it; a real
 * program cannot tell, its load-exclusive would have faulted first). */
#define LDXR(name, T)                                                                             \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn];                                                         \
		CHECK_ALIGN(a, sizeof(T), 0);                                                      \
		T v = __atomic_load_n((T *)a64_g2h(c, a), __ATOMIC_ACQUIRE);                       \
		c->excl_addr = a;                                                                  \
		c->excl_val[0] = v;                                                                \
		c->excl_val[1] = 0;                                                                \
		c->excl_size = sizeof(T);                                                          \
		c->x[op->rd] = v;                                                                  \
		return 0;                                                                          \
	}
LDXR(ldxr8, uint8_t)
LDXR(ldxr16, uint16_t)
LDXR(ldxr32, uint32_t)
LDXR(ldxr64, uint64_t)

#define STXR(name, T)                                                                             \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn];                                                         \
		uint64_t st = 1;                                                                   \
		if (c->excl_size && c->excl_addr == a) {                                           \
			CHECK_ALIGN(a, sizeof(T), 1);                                              \
			T e = (T)c->excl_val[0];                                                   \
			if (e == c->excl_val[0] &&                                                 \
			    __atomic_compare_exchange_n((T *)a64_g2h(c, a), &e, (T)c->x[op->rd],  \
							false, __ATOMIC_SEQ_CST,                   \
							__ATOMIC_SEQ_CST))                         \
				st = 0;                                                            \
		}                                                                                  \
		c->excl_size = 0;                                                                  \
		c->x[op->rm] = st;                                                                 \
		return 0;                                                                          \
	}
STXR(stxr8, uint8_t)
STXR(stxr16, uint16_t)
STXR(stxr32, uint32_t)
STXR(stxr64, uint64_t)

H(ldxp32)
{
	uint64_t a = c->x[op->rn];
	CHECK_ALIGN(a, 8, 0);
	uint64_t v = __atomic_load_n((uint64_t *)a64_g2h(c, a), __ATOMIC_ACQUIRE);
	c->excl_addr = a;
	c->excl_val[0] = v;
	c->excl_val[1] = 0;
	c->excl_size = 8;
	c->x[op->rd] = (uint32_t)v;
	c->x[op->rt2] = v >> 32;
	return 0;
}

H(ldxp64)
{
	uint64_t a = c->x[op->rn];
	CHECK_ALIGN(a, 16, 0);
	uint64_t *p = a64_g2h(c, a);
	/* Two loads: a torn pair only makes the following STXP fail and retry. */
	uint64_t lo = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	uint64_t hi = __atomic_load_n(p + 1, __ATOMIC_ACQUIRE);
	c->excl_addr = a;
	c->excl_val[0] = lo;
	c->excl_val[1] = hi;
	c->excl_size = 16;
	c->x[op->rd] = lo;
	c->x[op->rt2] = hi;
	return 0;
}

H(stxp32)
{
	uint64_t a = c->x[op->rn];
	uint64_t st = 1;
	if (c->excl_size && c->excl_addr == a) {
		CHECK_ALIGN(a, 8, 1);
		uint64_t e = c->excl_val[0];
		uint64_t n = (uint32_t)c->x[op->rd] | c->x[op->rt2] << 32;
		if (__atomic_compare_exchange_n((uint64_t *)a64_g2h(c, a), &e, n, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			st = 0;
	}
	c->excl_size = 0;
	c->x[op->rm] = st;
	return 0;
}

H(stxp64)
{
	uint64_t a = c->x[op->rn];
	uint64_t st = 1;
	if (c->excl_size && c->excl_addr == a) {
		CHECK_ALIGN(a, 16, 1);
		uint64_t lo = c->excl_val[0], hi = c->excl_val[1];
		if (host_cas16(a64_g2h(c, a), &lo, &hi, c->x[op->rd], c->x[op->rt2]))
			st = 0;
	}
	c->excl_size = 0;
	c->x[op->rm] = st;
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Ordered accesses: acquire loads are plain loads on x86-64; release stores are sequentially
 * consistent (xchg) so that a later acquire load cannot pass them (RCsc). */
#define LDAR(name, T, CONV)                                                                       \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + (uint64_t)op->imm;                                     \
		CHECK_ALIGN(a, sizeof(T), 0);                                                      \
		T v = __atomic_load_n((T *)a64_g2h(c, a), __ATOMIC_ACQUIRE);                       \
		c->x[op->rd] = CONV(v);                                                            \
		return 0;                                                                          \
	}
#define CONV_S8W(v) ((uint32_t)(int32_t)(int8_t)(v))
#define CONV_S16W(v) ((uint32_t)(int32_t)(int16_t)(v))
#define CONV_S8X(v) ((uint64_t)(int64_t)(int8_t)(v))
#define CONV_S16X(v) ((uint64_t)(int64_t)(int16_t)(v))
#define CONV_S32X(v) ((uint64_t)(int64_t)(int32_t)(v))
LDAR(ldar8, uint8_t, CONV_U)
LDAR(ldar16, uint16_t, CONV_U)
LDAR(ldar32, uint32_t, CONV_U)
LDAR(ldar64, uint64_t, CONV_U)
LDAR(ldars8w, uint8_t, CONV_S8W)
LDAR(ldars16w, uint16_t, CONV_S16W)
LDAR(ldars8x, uint8_t, CONV_S8X)
LDAR(ldars16x, uint16_t, CONV_S16X)
LDAR(ldars32x, uint32_t, CONV_S32X)
static const a64_handler ldar_tab[9] = {
	ldar8, ldar16, ldar32, ldar64, ldars8w, ldars16w, ldars8x, ldars16x, ldars32x,
};

#define STLR(name, T)                                                                             \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn] + (uint64_t)op->imm;                                     \
		CHECK_ALIGN(a, sizeof(T), 1);                                                      \
		__atomic_store_n((T *)a64_g2h(c, a), (T)c->x[op->rd], __ATOMIC_SEQ_CST);           \
		return 0;                                                                          \
	}
STLR(stlr8, uint8_t)
STLR(stlr16, uint16_t)
STLR(stlr32, uint32_t)
STLR(stlr64, uint64_t)
static const a64_handler stlr_tab[4] = { stlr8, stlr16, stlr32, stlr64 };

/* ------------------------------------------------------------------------------------------
 * Compare and swap. Rs may be the zero register: the old value lands in x[REG_ZR], which is
 * then zeroed again (cheaper than a branch). */
#define CAS(name, T)                                                                              \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn];                                                         \
		CHECK_ALIGN(a, sizeof(T), 1);                                                      \
		T e = (T)c->x[op->rm];                                                             \
		__atomic_compare_exchange_n((T *)a64_g2h(c, a), &e, (T)c->x[op->rd], false,        \
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                   \
		c->x[op->rm] = e;                                                                  \
		c->x[REG_ZR] = 0;                                                                  \
		return 0;                                                                          \
	}
CAS(cas8, uint8_t)
CAS(cas16, uint16_t)
CAS(cas32, uint32_t)
CAS(cas64, uint64_t)
static const a64_handler cas_tab[4] = { cas8, cas16, cas32, cas64 };

H(casp32)
{
	uint64_t a = c->x[op->rn];
	CHECK_ALIGN(a, 8, 1);
	uint64_t e = (uint32_t)c->x[op->rm] | c->x[op->ra] << 32;
	uint64_t n = (uint32_t)c->x[op->rd] | c->x[op->rt2] << 32;
	__atomic_compare_exchange_n((uint64_t *)a64_g2h(c, a), &e, n, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	c->x[op->rm] = (uint32_t)e;
	c->x[op->ra] = e >> 32;
	c->x[REG_ZR] = 0;
	return 0;
}

H(casp64)
{
	uint64_t a = c->x[op->rn];
	CHECK_ALIGN(a, 16, 1);
	uint64_t lo = c->x[op->rm], hi = c->x[op->ra];
	host_cas16(a64_g2h(c, a), &lo, &hi, c->x[op->rd], c->x[op->rt2]);
	c->x[op->rm] = lo;
	c->x[op->ra] = hi;
	c->x[REG_ZR] = 0;
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * LSE atomics: old value to Rt (zero-extended), memory gets old OP Rs. */
#define AMO_FETCH(name, T, BUILTIN, OPND)                                                         \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn];                                                         \
		CHECK_ALIGN(a, sizeof(T), 1);                                                      \
		T s = (T)c->x[op->rm];                                                             \
		T old = BUILTIN((T *)a64_g2h(c, a), OPND, __ATOMIC_SEQ_CST);                       \
		c->x[op->rd] = old;                                                                \
		return 0;                                                                          \
	}
#define AMO_LOOP(name, T, NEWV)                                                                   \
	H(name)                                                                                    \
	{                                                                                          \
		uint64_t a = c->x[op->rn];                                                         \
		CHECK_ALIGN(a, sizeof(T), 1);                                                      \
		T s = (T)c->x[op->rm], *p = a64_g2h(c, a);                                         \
		T old = __atomic_load_n(p, __ATOMIC_RELAXED), nv;                                  \
		do {                                                                               \
			nv = (NEWV);                                                               \
		} while (!__atomic_compare_exchange_n(p, &old, nv, true, __ATOMIC_SEQ_CST,         \
						      __ATOMIC_RELAXED));                          \
		c->x[op->rd] = old;                                                                \
		return 0;                                                                          \
	}
#define AMO_ALL(T, ST, sfx)                                                                       \
	AMO_FETCH(swp##sfx, T, __atomic_exchange_n, s)                                             \
	AMO_FETCH(ldadd##sfx, T, __atomic_fetch_add, s)                                            \
	AMO_FETCH(ldclr##sfx, T, __atomic_fetch_and, (T)~s)                                        \
	AMO_FETCH(ldeor##sfx, T, __atomic_fetch_xor, s)                                            \
	AMO_FETCH(ldset##sfx, T, __atomic_fetch_or, s)                                             \
	AMO_LOOP(ldsmax##sfx, T, (ST)old > (ST)s ? old : s)                                        \
	AMO_LOOP(ldsmin##sfx, T, (ST)old < (ST)s ? old : s)                                        \
	AMO_LOOP(ldumax##sfx, T, old > s ? old : s)                                                \
	AMO_LOOP(ldumin##sfx, T, old < s ? old : s)
AMO_ALL(uint8_t, int8_t, 8)
AMO_ALL(uint16_t, int16_t, 16)
AMO_ALL(uint32_t, int32_t, 32)
AMO_ALL(uint64_t, int64_t, 64)
#define AMO_ROW(n) { n##8, n##16, n##32, n##64 }
/* In kind order from LDST_SWP. */
static const a64_handler amo_tab[9][4] = {
	AMO_ROW(swp), AMO_ROW(ldadd), AMO_ROW(ldclr), AMO_ROW(ldeor), AMO_ROW(ldset),
	AMO_ROW(ldsmax), AMO_ROW(ldsmin), AMO_ROW(ldumax), AMO_ROW(ldumin),
};

/* ------------------------------------------------------------------------------------------
 * Advanced SIMD structures. Loads gather into temporaries, then write the registers. The base
 * is always written back with addr + imm + X[rm]: for the no-offset forms the decoder leaves
 * imm 0 and rm REG_ZR, so that write leaves the base as it was. */
static inline union a64_vreg *vreg(struct a64_cpu *c, const struct a64_op *op, unsigned i)
{
	return &c->v[(op->rd + i) & 31];
}

H(ld1_mult)
{
	uint64_t a = c->x[op->rn];
	unsigned n = op->shift;
	union a64_vreg t[4];
	if (op->sf) {
		for (unsigned i = 0; i < n; i++)
			t[i].q = A64_LOAD(unsigned __int128, c, a + 16 * i);
	} else {
		for (unsigned i = 0; i < n; i++) {
			t[i].d[0] = A64_LOAD(uint64_t, c, a + 8 * i);
			t[i].d[1] = 0;
		}
	}
	for (unsigned i = 0; i < n; i++)
		*vreg(c, op, i) = t[i];
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
	return 0;
}

H(st1_mult)
{
	uint64_t a = c->x[op->rn];
	unsigned n = op->shift;
	if (op->sf) {
		for (unsigned i = 0; i < n; i++)
			A64_STORE(unsigned __int128, c, a + 16 * i, vreg(c, op, i)->q);
	} else {
		for (unsigned i = 0; i < n; i++)
			A64_STORE(uint64_t, c, a + 8 * i, vreg(c, op, i)->d[0]);
	}
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
	return 0;
}

/* LD2-LD4 / ST2-ST4 (multiple): interleaved elements; esz is a constant in each caller. */
static inline __attribute__((always_inline)) void ldn_mult(struct a64_cpu *c,
							  const struct a64_op *op, unsigned esz)
{
	uint64_t a = c->x[op->rn];
	unsigned selem = op->ext, nel = (8u << op->sf) / esz;
	const uint8_t *p = a64_g2h(c, a);
	union a64_vreg t[4];
	memset(t, 0, sizeof t);
	for (unsigned e = 0; e < nel; e++)
		for (unsigned r = 0; r < selem; r++)
			memcpy(&t[r].b[e * esz], p + (e * selem + r) * esz, esz);
	for (unsigned r = 0; r < selem; r++)
		*vreg(c, op, r) = t[r];
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
}

static inline __attribute__((always_inline)) void stn_mult(struct a64_cpu *c,
							  const struct a64_op *op, unsigned esz)
{
	uint64_t a = c->x[op->rn];
	unsigned selem = op->ext, nel = (8u << op->sf) / esz;
	uint8_t *p = a64_g2h(c, a);
	for (unsigned e = 0; e < nel; e++)
		for (unsigned r = 0; r < selem; r++)
			memcpy(p + (e * selem + r) * esz, &vreg(c, op, r)->b[e * esz], esz);
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
}

/* Single lanes and load-and-replicate. */
static inline __attribute__((always_inline)) void ld_lane(struct a64_cpu *c,
							 const struct a64_op *op, unsigned esz)
{
	uint64_t a = c->x[op->rn];
	unsigned selem = op->ext, idx = (unsigned)op->imm2;
	const uint8_t *p = a64_g2h(c, a);
	uint64_t t[4];
	for (unsigned r = 0; r < selem; r++) {
		t[r] = 0;
		memcpy(&t[r], p + r * esz, esz);
	}
	for (unsigned r = 0; r < selem; r++)
		memcpy(&vreg(c, op, r)->b[idx * esz], &t[r], esz);
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
}

static inline __attribute__((always_inline)) void st_lane(struct a64_cpu *c,
							 const struct a64_op *op, unsigned esz)
{
	uint64_t a = c->x[op->rn];
	unsigned selem = op->ext, idx = (unsigned)op->imm2;
	uint8_t *p = a64_g2h(c, a);
	for (unsigned r = 0; r < selem; r++)
		memcpy(p + r * esz, &vreg(c, op, r)->b[idx * esz], esz);
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
}

static inline __attribute__((always_inline)) void ld_repl(struct a64_cpu *c,
							 const struct a64_op *op, unsigned esz)
{
	uint64_t a = c->x[op->rn];
	unsigned selem = op->ext;
	const uint8_t *p = a64_g2h(c, a);
	uint64_t t[4];
	for (unsigned r = 0; r < selem; r++) {
		t[r] = 0;
		memcpy(&t[r], p + r * esz, esz);
	}
	for (unsigned r = 0; r < selem; r++) {
		/* Replicate the element over 64 bits, then over the register. */
		uint64_t v = t[r];
		for (unsigned w = esz; w < 8; w *= 2)
			v |= v << (8 * w);
		union a64_vreg *d = vreg(c, op, r);
		d->d[0] = v;
		d->d[1] = op->sf ? v : 0;
	}
	c->x[op->rn] = a + (uint64_t)op->imm + c->x[op->rm];
}

#define BY_ESIZE(fn)                                                                              \
	H(fn##_1) { fn(c, op, 1); return 0; }                                                      \
	H(fn##_2) { fn(c, op, 2); return 0; }                                                      \
	H(fn##_4) { fn(c, op, 4); return 0; }                                                      \
	H(fn##_8) { fn(c, op, 8); return 0; }                                                      \
	static const a64_handler fn##_tab[4] = { fn##_1, fn##_2, fn##_4, fn##_8 };
BY_ESIZE(ldn_mult)
BY_ESIZE(stn_mult)
BY_ESIZE(ld_lane)
BY_ESIZE(st_lane)
BY_ESIZE(ld_repl)

/* ------------------------------------------------------------------------------------------
 * Binding. */

/* Column in the six-mode tables, or -1. */
static int mode_col(const struct a64_op *op)
{
	switch (op->flags & LDST_MODE_MASK) {
	case LDST_OFF: return 0;
	case LDST_PRE: return 1;
	case LDST_POST: return 2;
	default:
		switch (op->ext) {
		case LDST_EXT_LSL:
		case LDST_EXT_SXTX: return 3;
		case LDST_EXT_UXTW: return 4;
		case LDST_EXT_SXTW: return 5;
		default: return -1;
		}
	}
}

/* Row in the load tables (ldr_tab, ldar_tab), or -1. */
static int load_row(const struct a64_op *op)
{
	if (!(op->flags & LDST_F_SIGNED))
		return op->size <= 3 ? op->size : -1;
	if (op->sf)
		return op->size <= 2 ? 6 + op->size : -1;
	return op->size <= 1 ? 4 + op->size : -1;
}

a64_handler a64_bind_ldst(const struct a64_op *op)
{
	int col = mode_col(op), row;
	bool col3 = col >= 0 && col <= 2;
	switch (op->kind) {
	case LDST_LDR:
		row = load_row(op);
		return row >= 0 && col >= 0 ? ldr_tab[row][col] : NULL;
	case LDST_STR:
		return op->size <= 3 && col >= 0 ? str_tab[op->size][col] : NULL;
	case LDST_LDR_V:
		return op->size <= 4 && col >= 0 ? ldrv_tab[op->size][col] : NULL;
	case LDST_STR_V:
		return op->size <= 4 && col >= 0 ? strv_tab[op->size][col] : NULL;
	case LDST_PRFM:
		return prfm;
	case LDST_LDP: {
		static const a64_handler w[3] = ROW3(ldpw), x[3] = ROW3(ldpx), sw[3] = ROW3(ldpsw);
		if (!col3)
			return NULL;
		if (op->flags & LDST_F_SIGNED)
			return op->size == 2 ? sw[col] : NULL;
		return op->size == 2 ? w[col] : op->size == 3 ? x[col] : NULL;
	}
	case LDST_STP: {
		static const a64_handler w[3] = ROW3(stpw), x[3] = ROW3(stpx);
		if (!col3)
			return NULL;
		return op->size == 2 ? w[col] : op->size == 3 ? x[col] : NULL;
	}
	case LDST_LDP_V: {
		static const a64_handler t[3][3] = { ROW3(ldpvs), ROW3(ldpvd), ROW3(ldpvq) };
		return col3 && op->size >= 2 && op->size <= 4 ? t[op->size - 2][col] : NULL;
	}
	case LDST_STP_V: {
		static const a64_handler t[3][3] = { ROW3(stpvs), ROW3(stpvd), ROW3(stpvq) };
		return col3 && op->size >= 2 && op->size <= 4 ? t[op->size - 2][col] : NULL;
	}
	case LDST_LDXR: {
		static const a64_handler t[4] = { ldxr8, ldxr16, ldxr32, ldxr64 };
		return op->size <= 3 ? t[op->size] : NULL;
	}
	case LDST_STXR: {
		static const a64_handler t[4] = { stxr8, stxr16, stxr32, stxr64 };
		return op->size <= 3 ? t[op->size] : NULL;
	}
	case LDST_LDXP:
		return op->size == 2 ? ldxp32 : op->size == 3 ? ldxp64 : NULL;
	case LDST_STXP:
		return op->size == 2 ? stxp32 : op->size == 3 ? stxp64 : NULL;
	case LDST_LDAR:
		row = load_row(op);
		return row >= 0 ? ldar_tab[row] : NULL;
	case LDST_STLR:
		return op->size <= 3 ? stlr_tab[op->size] : NULL;
	case LDST_LDAPR:
		/* On x86-64 every load is an acquire: a plain zero-extending load at [rn]. */
		return op->size <= 3 && !(op->flags & LDST_F_SIGNED) ? ldr_tab[op->size][0] : NULL;
	case LDST_CAS:
		return op->size <= 3 ? cas_tab[op->size] : NULL;
	case LDST_CASP:
		return op->size == 2 ? casp32 : op->size == 3 ? casp64 : NULL;
	case LDST_SWP: case LDST_LDADD: case LDST_LDCLR: case LDST_LDEOR: case LDST_LDSET:
	case LDST_LDSMAX: case LDST_LDSMIN: case LDST_LDUMAX: case LDST_LDUMIN:
		return op->size <= 3 ? amo_tab[op->kind - LDST_SWP][op->size] : NULL;
	case LDST_LD_MULT:
		if (op->size > 3 || op->ext < 1 || op->ext > 4 || op->shift < 1 || op->shift > 4)
			return NULL;
		return op->ext == 1 ? ld1_mult : ldn_mult_tab[op->size];
	case LDST_ST_MULT:
		if (op->size > 3 || op->ext < 1 || op->ext > 4 || op->shift < 1 || op->shift > 4)
			return NULL;
		return op->ext == 1 ? st1_mult : stn_mult_tab[op->size];
	case LDST_LD_LANE:
		return op->size <= 3 && op->ext >= 1 && op->ext <= 4 ? ld_lane_tab[op->size] : NULL;
	case LDST_ST_LANE:
		return op->size <= 3 && op->ext >= 1 && op->ext <= 4 ? st_lane_tab[op->size] : NULL;
	case LDST_LD_REPL:
		return op->size <= 3 && op->ext >= 1 && op->ext <= 4 ? ld_repl_tab[op->size] : NULL;
	default:
		return NULL;
	}
}
