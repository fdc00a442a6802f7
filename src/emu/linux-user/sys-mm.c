/* emu/linux-user/sys-mm: the memory system calls. The work (page table, code invalidation,
 * never mapping over the emulator) is mem.c's; here are the argument conventions.
 * Touches: guest memory through mem.c. */
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_brk(struct lu_thread *t, const uint64_t *a)
{
	return lu_brk(&t->proc->mem, a[0]);
}

static long sys_mmap(struct lu_thread *t, const uint64_t *a)
{
	return lu_mmap(&t->proc->mem, a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
}

static long sys_munmap(struct lu_thread *t, const uint64_t *a)
{
	return lu_munmap(&t->proc->mem, a[0], a[1]);
}

static long sys_mprotect(struct lu_thread *t, const uint64_t *a)
{
	return lu_mprotect(&t->proc->mem, a[0], a[1], (int)a[2]);
}

static long sys_mremap(struct lu_thread *t, const uint64_t *a)
{
	return lu_mremap(&t->proc->mem, a[0], a[1], a[2], (int)a[3], a[4]);
}

static long sys_madvise(struct lu_thread *t, const uint64_t *a)
{
	return lu_madvise(&t->proc->mem, a[0], a[1], (int)a[2]);
}

/* Calls that take a guest range and change nothing we track: the range must be the guest's. */
static long range_call(struct lu_thread *t, const uint64_t *a, long host)
{
	uint64_t start = LU_PAGE_DOWN(a[0]), len = a[1] + (a[0] - start);
	for (uint64_t p = start; p < start + len; p += LU_PAGE)
		if (!(lu_pt_get(&t->proc->mem, p) & PT_VALID))
			return -ENOMEM;
	return lu_ret(syscall(host, a[0], a[1], a[2]));
}

static long sys_msync(struct lu_thread *t, const uint64_t *a)
{
	return range_call(t, a, SYS_msync);
}

static long sys_mlock(struct lu_thread *t, const uint64_t *a)
{
	return range_call(t, a, SYS_mlock);
}

static long sys_munlock(struct lu_thread *t, const uint64_t *a)
{
	return range_call(t, a, SYS_munlock);
}

static long sys_mlock2(struct lu_thread *t, const uint64_t *a)
{
	return range_call(t, a, SYS_mlock2);
}

static long sys_mincore(struct lu_thread *t, const uint64_t *a)
{
	if (a[0] & LU_PAGE_MASK)
		return -EINVAL;
	uint64_t pages = (a[1] + LU_PAGE_MASK) >> 12;
	for (uint64_t i = 0; i < pages; i++)
		if (!(lu_pt_get(&t->proc->mem, a[0] + i * LU_PAGE) & PT_VALID))
			return -ENOMEM;
	if (W(t, a[2], pages))
		return -EFAULT;
	return lu_ret(syscall(SYS_mincore, a[0], a[1], a[2]));
}

const struct lu_sysent lu_sys_mm[] = {
	{A64_NR_brk, "brk", sys_brk, 0},
	{A64_NR_mmap, "mmap", sys_mmap, 0},
	{A64_NR_munmap, "munmap", sys_munmap, 0},
	{A64_NR_mprotect, "mprotect", sys_mprotect, 0},
	{A64_NR_mremap, "mremap", sys_mremap, 0},
	{A64_NR_madvise, "madvise", sys_madvise, 0},
	{A64_NR_msync, "msync", sys_msync, 0},
	{A64_NR_mlock, "mlock", sys_mlock, 0},
	{A64_NR_munlock, "munlock", sys_munlock, 0},
	{A64_NR_mlock2, "mlock2", sys_mlock2, 0},
	{A64_NR_mlockall, "mlockall", NULL, SYS_mlockall},
	{A64_NR_munlockall, "munlockall", NULL, SYS_munlockall},
	{A64_NR_mincore, "mincore", sys_mincore, 0},
	{0, NULL, NULL, 0},
};
