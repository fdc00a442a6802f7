/* emu/linux-user/sys: helpers shared by the system call files (syscall.c, sys-*.c). */
#ifndef VIREO_LU_SYS_H
#define VIREO_LU_SYS_H

#include "emu/linux-user/lu.h"

/* True when the guest may not have [addr, addr+len) written (the caller returns -EFAULT).
 * Lifts translated-code protection on the way, so the host kernel can write there. */
static inline bool W(struct lu_thread *t, uint64_t addr, uint64_t len)
{
	return lu_access(&t->proc->mem, addr, len, PT_W) < 0;
}

/* True when the guest may not read [addr, addr+len). */
static inline bool R(struct lu_thread *t, uint64_t addr, uint64_t len)
{
	return lu_access(&t->proc->mem, addr, len, PT_R) < 0;
}

/* A host call that may block, through the safe door (lu_safe_syscall). */
#define SAFE(t, nr, ...) lu_safe_call(t, nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define lu_safe_call(t, nr, a1, a2, a3, a4, a5, a6, ...) \
	lu_safe_syscall(t, nr, (long)(a1), (long)(a2), (long)(a3), (long)(a4), (long)(a5), (long)(a6))

static inline void *H(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

#endif
