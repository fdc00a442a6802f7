/* emu/linux-user/thread: guest threads and processes. clone with CLONE_VM|CLONE_THREAD makes
 * one host thread per guest thread, each with its own struct a64_cpu and runner (a copy of
 * the parent's registers, x0 = 0, the new stack, TPIDR_EL0 from CLONE_SETTLS), sharing the
 * process: guest memory, page table, translation block cache, signal dispositions. The tid
 * words of CLONE_PARENT_SETTID/CHILD_SETTID/CHILD_CLEARTID and set_tid_address are the
 * emulator's to write and wake (the host thread's own belong to the host's libc). fork and
 * vfork (done as fork) use the host's fork with the emulator's locks held, so the child finds
 * them consistent. The last thread's exit ends the process with its status.
 * Touches: the process context's thread count, host threads, guest tid words. */
#include "emu/aarch64/fpu.h"
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define THREAD_OPTIONAL (CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_DETACHED)

struct start {
	struct lu_thread *t;
	uint64_t flags, parent_tid, child_tid;
	sem_t ready;
	pid_t tid;
	int err;
};

static void *thread_main(void *arg)
{
	struct start *s = arg;
	struct lu_thread *t = s->t;
	t->tid = (pid_t)syscall(SYS_gettid);
	struct vireo_err err;
	s->err = lu_fault_init(t, &err);
	if (s->err == 0) {
		if (s->flags & CLONE_CHILD_SETTID)
			__atomic_store_n((int32_t *)(uintptr_t)s->child_tid, t->tid, __ATOMIC_SEQ_CST);
		if (s->flags & CLONE_PARENT_SETTID)
			__atomic_store_n((int32_t *)(uintptr_t)s->parent_tid, t->tid, __ATOMIC_SEQ_CST);
	}
	s->tid = t->tid;
	int failed = s->err;
	sem_post(&s->ready); /* s is the parent's: not to be touched after this */
	if (failed) {
		free(t);
		return NULL;
	}
	a64_fpu_attach(&t->cpu); /* a new host thread: no stale host FPU flags */
	lu_thread_enter(t);
	lu_sigmask_set(t, t->sigmask);
	lu_cpu_loop(t);
}

static long new_thread(struct lu_thread *t, const uint64_t *a)
{
	uint64_t flags = a[0];
	struct lu_proc *p = t->proc;
	if ((flags & THREAD_FLAGS) != THREAD_FLAGS || (flags & ~(THREAD_FLAGS | THREAD_OPTIONAL | 0xff)))
		return -EINVAL;
	if ((flags & CLONE_PARENT_SETTID) && W(t, a[2], 4))
		return -EFAULT;
	if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) && W(t, a[4], 4))
		return -EFAULT;
	struct lu_thread *nt = calloc(1, sizeof *nt);
	if (!nt)
		return -ENOMEM;
	a64_fpu_sync(&t->cpu); /* the child inherits FPSR with every flag raised so far */
	nt->cpu = t->cpu;
	nt->cpu.x[0] = 0;
	if (a[1])
		nt->cpu.x[REG_SP] = a[1];
	if (flags & CLONE_SETTLS)
		nt->cpu.tpidr_el0 = a[3];
	nt->cpu.excl_size = 0;
	nt->cpu.interrupt = 0;
	nt->cpu.exit = A64_EXIT_NONE;
	nt->cpu.cur_op = NULL;
	nt->cpu.owner = nt;
	nt->runner.cpu = &nt->cpu;
	nt->proc = p;
	/* The new thread starts with the parent's mask and no alternate stack (CLONE_VM). */
	nt->sigmask = t->sigmask;
	nt->clear_tid = (flags & CLONE_CHILD_CLEARTID) ? a[4] : 0;

	struct start s = {.t = nt, .flags = flags, .parent_tid = a[2], .child_tid = a[4]};
	sem_init(&s.ready, 0, 0);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 1 << 20);
	__atomic_add_fetch(&p->nthreads, 1, __ATOMIC_SEQ_CST);
	pthread_t th;
	int rc = pthread_create(&th, &attr, thread_main, &s);
	pthread_attr_destroy(&attr);
	if (rc) {
		__atomic_sub_fetch(&p->nthreads, 1, __ATOMIC_SEQ_CST);
		free(nt);
		sem_destroy(&s.ready);
		return -rc;
	}
	while (sem_wait(&s.ready) < 0 && errno == EINTR)
		;
	sem_destroy(&s.ready);
	if (s.err) {
		__atomic_sub_fetch(&p->nthreads, 1, __ATOMIC_SEQ_CST);
		return s.err;
	}
	return s.tid;
}

/* The locks a forked child must find free: taken around the host's fork. */
static void fork_lock(struct lu_proc *p)
{
	pthread_mutex_lock(&p->sig_lock);
	pthread_mutex_lock(&p->mem.lock);
	pthread_mutex_lock(&p->tbs.lock);
}

static void fork_unlock(struct lu_proc *p)
{
	pthread_mutex_unlock(&p->tbs.lock);
	pthread_mutex_unlock(&p->mem.lock);
	pthread_mutex_unlock(&p->sig_lock);
}

static long new_process(struct lu_thread *t, const uint64_t *a)
{
	uint64_t flags = a[0];
	uint64_t known = CLONE_VFORK | CLONE_VM | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
			 CLONE_PARENT_SETTID;
	if (flags & ~(known | 0xff))
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL;
	if ((flags & CLONE_PARENT_SETTID) && W(t, a[2], 4))
		return -EFAULT;
	if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) && W(t, a[4], 4))
		return -EFAULT;
	struct lu_proc *p = t->proc;
	if ((flags & 0xff) != SIGCHLD)
		return -EINVAL; /* another exit signal: not with fork() */
	fork_lock(p);
	/* The host libc's fork, so its own state (malloc's locks...) is right in the child. */
	pid_t pid = fork();
	if (pid != 0)
		fork_unlock(p);
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		fork_unlock(p);
		/* The child is this thread alone. */
		p->nthreads = 1;
		t->tid = (pid_t)syscall(SYS_gettid);
		if (flags & CLONE_CHILD_SETTID)
			*(int32_t *)(uintptr_t)a[4] = t->tid;
		if (flags & CLONE_CHILD_CLEARTID)
			t->clear_tid = a[4];
		if (a[1])
			t->cpu.x[REG_SP] = a[1];
		return 0;
	}
	if (flags & CLONE_PARENT_SETTID)
		*(int32_t *)(uintptr_t)a[2] = pid;
	return pid;
}

static long sys_clone(struct lu_thread *t, const uint64_t *a)
{
	/* arm64 order: flags, stack, parent_tid, tls, child_tid. */
	if ((a[0] & CLONE_VM) && !(a[0] & CLONE_VFORK))
		return new_thread(t, a);
	return new_process(t, a);
}

static long sys_set_tid_address(struct lu_thread *t, const uint64_t *a)
{
	t->clear_tid = a[0];
	return t->tid;
}

/* The end of a guest thread: its clear_tid word zeroed and woken (pthread_join waits on it). */
static void clear_tid(struct lu_thread *t)
{
	if (t->clear_tid && lu_access(&t->proc->mem, t->clear_tid, 4, PT_W) == 0) {
		__atomic_store_n((int32_t *)(uintptr_t)t->clear_tid, 0, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, t->clear_tid, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	}
}

static long sys_exit(struct lu_thread *t, const uint64_t *a)
{
	struct lu_proc *p = t->proc;
	int code = (int)a[0];
	if (__atomic_sub_fetch(&p->nthreads, 1, __ATOMIC_SEQ_CST) == 0) {
		/* The last one: the process ends with this status. */
		syscall(SYS_exit_group, code);
		_exit(code);
	}
	clear_tid(t);
	lu_thread_enter(NULL);
	/* This host thread's signal stack goes with it. */
	stack_t ss = {.ss_flags = SS_DISABLE};
	sigaltstack(&ss, NULL);
	if (t->altstack)
		munmap(t->altstack, t->altstack_size);
	free(t);
	pthread_exit(NULL);
}

static long sys_exit_group(struct lu_thread *t, const uint64_t *a)
{
	syscall(SYS_exit_group, (int)a[0]);
	_exit((int)a[0]);
}

static long sys_clone3(struct lu_thread *t, const uint64_t *a)
{
	/* glibc falls back to clone. */
	return -ENOSYS;
}

const struct lu_sysent lu_sys_thread[] = {
	{A64_NR_clone, "clone", sys_clone, 0},
	{A64_NR_clone3, "clone3", sys_clone3, 0},
	{A64_NR_exit, "exit", sys_exit, 0},
	{A64_NR_exit_group, "exit_group", sys_exit_group, 0},
	{A64_NR_set_tid_address, "set_tid_address", sys_set_tid_address, 0},
	{0, NULL, NULL, 0},
};
