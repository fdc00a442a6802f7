/* emu/linux-user/lu: the internals of vireo-aarch64, the user-mode emulator: one process-wide
 * context (struct lu_proc: the guest's address space and its page table, the translation block
 * cache, the loaded program) and one struct lu_thread per guest thread (its CPU and runner).
 * Guest memory is host memory at the same address (cpu->base == 0), as with qemu's
 * guest_base 0: a guest pointer is a host pointer once checked against the page table. */
#ifndef VIREO_LU_H
#define VIREO_LU_H

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/aarch64/a64.h"
#include "emu/linux-user/a64-abi.h"
#include "emu/run.h"
#include "emu/tb.h"
#include "lib/err.h"

#define LU_PAGE 4096ull
#define LU_PAGE_MASK (LU_PAGE - 1)
#define LU_PAGE_UP(x) (((x) + LU_PAGE_MASK) & ~LU_PAGE_MASK)
#define LU_PAGE_DOWN(x) ((x) & ~LU_PAGE_MASK)
/* The host's user address space (x86-64, 4-level paging) bounds the guest's: 47 bits of the
 * 48 an arm64 kernel gives. */
#define LU_VA_END (1ull << 47)

/* --- page table (mem.c) --- */
/* One byte per guest page. R/W/X are the guest's protections; VALID says the page is the
 * guest's (mapped by it or for it); WP says the host copy is write-protected because the page
 * holds translated code (the guest still may write: the fault handler lifts it). */
#define PT_R 0x01
#define PT_W 0x02
#define PT_X 0x04
#define PT_VALID 0x08
#define PT_WP 0x10
#define PT_PROT (PT_R | PT_W | PT_X)

struct lu_pt_l2; /* 4096 leaves of 4096 pages: 16 GiB */

struct lu_mem {
	pthread_mutex_t lock; /* serializes changes; lookups are lock-free (signal handlers) */
	struct lu_pt_l2 *l1[(LU_VA_END >> 12) >> 24];
	struct tb_cache *tbs;
	uint64_t brk_start, brk_cur; /* the guest's program break */
	uint64_t brk_end;            /* end of the pages mapped for it */
};

int lu_mem_init(struct lu_mem *m, struct tb_cache *tbs);
/* Free the page table (single-threaded, when the emulator gives up before running). */
void lu_mem_destroy(struct lu_mem *m);
/* The entry of the page holding addr (0 when not the guest's). Async-signal-safe. */
uint8_t lu_pt_get(const struct lu_mem *m, uint64_t addr);
/* 0 when [addr, addr+len) is all guest pages with every bit of prot (PT_R/PT_W); for
 * PT_W, translated code in the range is invalidated and its pages made writable again, so the
 * kernel or the emulator may write there. -EFAULT otherwise. */
int lu_access(struct lu_mem *m, uint64_t addr, uint64_t len, int prot);
/* How much of [addr, addr+len) from addr on is accessible with prot (PT_W lifting code
 * protection as lu_access does): a read() may fill less than its count, as with the kernel. */
uint64_t lu_access_prefix(struct lu_mem *m, uint64_t addr, uint64_t len, int prot);
/* Length of the NUL-terminated guest string at addr (at most max), or -EFAULT, or
 * -ENAMETOOLONG when no NUL comes within max bytes. */
long lu_strnlen(struct lu_mem *m, uint64_t addr, size_t max);
/* Copy between guest and emulator memory, checked: 0 or -EFAULT. */
int lu_get(struct lu_mem *m, void *dst, uint64_t addr, size_t len);
int lu_put(struct lu_mem *m, uint64_t addr, const void *src, size_t len);

/* Guest memory management: the system calls' semantics, page table kept in step. Return the
 * address or a negative errno. mmap's fixed flavours never replace memory that is not the
 * guest's (the emulator's own). */
long lu_mmap(struct lu_mem *m, uint64_t addr, uint64_t len, int prot, int flags, int fd,
	     uint64_t off);
long lu_munmap(struct lu_mem *m, uint64_t addr, uint64_t len);
long lu_mprotect(struct lu_mem *m, uint64_t addr, uint64_t len, int prot);
long lu_mremap(struct lu_mem *m, uint64_t old, uint64_t oldlen, uint64_t newlen, int flags,
	       uint64_t new_addr);
long lu_madvise(struct lu_mem *m, uint64_t addr, uint64_t len, int advice);
long lu_brk(struct lu_mem *m, uint64_t want);
/* Record pages mapped by the emulator for the guest (loader, stack). Lock held or single
 * threaded. 0 or -ENOMEM. */
int lu_pt_set(struct lu_mem *m, uint64_t addr, uint64_t len, uint8_t flags);
/* Host protection for a guest protection (PT_R/W/X or PROT_*: the same bits). */
int lu_host_prot(int prot);

/* The tb cache's hook: a page gets its first block. */
bool lu_code_page_added(void *owner, uint64_t page);
/* The SIGSEGV/SIGBUS handler's part: a write to a guest-writable page the host refused (it
 * holds translated code): invalidate that code, give the page its write permission back and
 * return true (the write is retried). Async-signal-safe. */
bool lu_mem_write_fault(struct lu_mem *m, uint64_t addr);

/* --- process and threads --- */
enum { LU_LOG_UNIMP = 1, LU_LOG_STRACE = 2 };
/* The guest's variables for the dynamic loader and libc (LD_*, GLIBC_TUNABLES, MALLOC_*) travel
 * through an emulator that re-executes itself under this prefix, so that the host's loader does
 * not apply them to the emulator; the new emulator's guest sees them renamed back, in place. */
#define LU_GUEST_ENV_PREFIX "VIREO_GUEST_"

struct lu_thread;
typedef long (*lu_sysfn)(struct lu_thread *t, const uint64_t *a);
/* One system call: a handler, or (fn NULL) a host call number for calls whose arguments mean
 * the same on both sides and which write no guest memory. */
struct lu_sysent {
	uint16_t nr;
	const char *name;
	lu_sysfn fn;
	long host;
};

struct lu_proc {
	struct lu_mem mem;
	struct tb_cache tbs;
	const char *sysroot; /* -L: where the interpreter and absolute paths are looked up first */
	char emu_path[PATH_MAX]; /* the emulator itself (for execve of arm64 programs) */
	char exe[PATH_MAX];   /* the program's absolute path: the guest's /proc/self/exe */
	unsigned char *auxv;  /* the guest's auxiliary vector: /proc/self/auxv */
	size_t auxv_len;
	uint64_t arg_start, arg_end; /* the argument strings on the guest stack: /proc/self/cmdline */
	unsigned log;
	unsigned nthreads; /* guest threads alive (atomic) */
	/* System V shared memory attached by the guest (shmdt needs the sizes). */
	struct lu_shm {
		uint64_t addr, size;
	} shm[64];
	const struct lu_sysent *systab[A64_NR_COUNT];
	/* Guest signal dispositions (rt_sigaction), as the guest set them. */
	uint64_t sigtramp; /* guest address of the rt_sigreturn trampoline */
	pthread_mutex_t sig_lock;
	struct lu_sigaction {
		uint64_t handler, flags, restorer, mask;
	} sigact[65];
};

struct lu_thread {
	struct a64_cpu cpu;
	struct a64_runner runner;
	struct lu_proc *proc;
	int fault_code;   /* si_code of the last host SIGBUS/SIGSEGV in guest code */
	void *altstack;
	size_t altstack_size;
	/* The guest's sigaltstack (not the host's, which is the emulator's). */
	uint64_t ss_sp, ss_size;
	int ss_flags;
	/* Signals: the guest's mask (bit n-1 for signal n), the mask to restore after a call that
	 * waited with a temporary one (rt_sigsuspend, ppoll...), and what host handlers queued
	 * for delivery at the next exit of the CPU. */
	uint64_t sigmask, saved_mask;
	bool have_saved_mask;
	uint64_t pending; /* atomic */
	siginfo_t pinfo[65];
	uint64_t clear_tid; /* set_tid_address / CLONE_CHILD_CLEARTID: cleared and woken at exit */
	pid_t tid;
};

/* Make t the calling host thread's guest thread: its runner receives the thread's faults. */
void lu_thread_enter(struct lu_thread *t);
/* The calling host thread's guest thread (NULL in none). */
struct lu_thread *lu_thread_self(void);
/* Install the SIGSEGV/SIGBUS handler on an alternate stack for the calling thread. */
int lu_fault_init(struct lu_thread *t, struct vireo_err *err);

/* --- signals (signal.c) --- */
#define LU_SIGBIT(sig) (1ull << ((sig) - 1))
/* What a system call returns when it set x0 itself (rt_sigreturn). */
#define LU_SYSRET_KEEP (-4096L - 1)
/* The sigreturn trampoline for handlers without SA_RESTORER (no vDSO here). */
int lu_signal_init(struct lu_proc *p, struct vireo_err *err);
/* Make the guest's disposition of sig effective on the host: SIG_DFL and SIG_IGN as they
 * are, a guest handler as the emulator's forwarding handler. Lock held. */
int lu_signal_host_action(int sig, uint64_t handler, uint64_t flags);
/* Set the guest's signal mask (and the host's, less the signals the emulator keeps). */
void lu_sigmask_set(struct lu_thread *t, uint64_t mask);
/* A call that waits with a temporary mask: set it (the old one is restored after delivery,
 * or by lu_sigmask_temp_end when no signal came). */
void lu_sigmask_temp(struct lu_thread *t, uint64_t mask);
void lu_sigmask_temp_end(struct lu_thread *t);
/* The first pending signal the guest can take now, or 0. */
int lu_signal_next(struct lu_thread *t);
/* Deliver every pending signal the guest can take (handler frames, or default actions). */
void lu_signal_deliver(struct lu_thread *t);
/* A synchronous exception at cpu->pc: to the guest's handler with this siginfo (si_addr =
 * addr), the sigcontext's fault_address far and an esr_context when esr is not 0; or the
 * default action (death) when there is no handler, or it is blocked or ignored. */
void lu_signal_fault(struct lu_thread *t, int sig, int code, uint64_t addr, uint64_t far,
		     uint64_t esr);
/* rt_sigreturn: restore the state saved in the frame at sp. */
long lu_signal_return(struct lu_thread *t);

/* Run the guest thread until the process ends. Does not return. */
_Noreturn void lu_cpu_loop(struct lu_thread *t);
/* End the process as a guest signal's default action would (core or terminate). */
_Noreturn void lu_die_by_signal(int sig);

/* --- loading (elf.c, stack.c) --- */
struct lu_image {
	uint64_t bias;    /* load address minus link address */
	uint64_t entry;   /* guest address */
	uint64_t phdr;    /* guest address of the program headers */
	uint16_t phnum;
	uint64_t lo, hi;  /* lowest and past-highest guest address mapped */
	bool has_interp;
	bool exec_stack;  /* PT_GNU_STACK asks for an executable stack */
	char interp[PATH_MAX];
};

/* Validate an ELF header and program headers held in memory (the loader's checks, without
 * mapping anything; the fuzz target's entry). 0 or -ENOEXEC with a message. */
int lu_elf_check(const void *data, size_t len, struct vireo_err *err);
/* Map the ELF file at path into the guest: the program (is_interp false: ET_EXEC at its
 * addresses, ET_DYN at a chosen base) or its interpreter (anywhere). */
int lu_elf_load(struct lu_proc *p, const char *path, bool is_interp, struct lu_image *img,
		struct vireo_err *err);

struct lu_exec_args {
	char *const *argv;
	char *const *envp;
	const char *execfn;      /* AT_EXECFN: the path as given */
	const struct lu_image *prog, *interp; /* interp NULL when statically linked */
};
/* Map the guest's stack and build argc, argv, envp, auxv on it as Linux arm64 does. Sets
 * *sp and keeps a copy of the auxv in p. */
int lu_stack_setup(struct lu_proc *p, const struct lu_exec_args *ea, uint64_t *sp,
		   struct vireo_err *err);

/* --- system calls (syscall.c and sys-*.c) --- */
void lu_syscall_init(struct lu_proc *p);
/* Linux restarts these after a handler with SA_RESTART (ERESTARTSYS); others get EINTR. */
bool lu_syscall_restartable(uint64_t nr);
/* Execute the system call in t->cpu (number in x8, arguments x0..x5); returns the result or a
 * negative errno for x0. */
long lu_syscall(struct lu_thread *t);
extern const struct lu_sysent lu_sys_fs[], lu_sys_mm[], lu_sys_proc[], lu_sys_time[],
	lu_sys_net[], lu_sys_sig[], lu_sys_exec[], lu_sys_ipc[], lu_sys_thread[];

/* A host system call that may block: returns the result or -errno, and -EINTR without
 * calling when a signal for the guest is already waiting (no lost wake-ups). */
long lu_safe_syscall(struct lu_thread *t, long nr, long a1, long a2, long a3, long a4, long a5,
		     long a6);
/* From a forwarding signal handler: a thread about to enter a safe syscall leaves with EINTR. */
void lu_safe_syscall_fixup(void *ucontext);
/* Host call result as the guest wants it: the value or -errno. */
long lu_ret(long r);
/* A guest path made a host path: under the sysroot when it exists there (absolute paths only),
 * else itself. buf holds PATH_MAX bytes. Returns the path to use or NULL (-errno in *rc). */
const char *lu_path(struct lu_proc *p, uint64_t gpath, char *buf, long *rc);
/* Is s /proc/self/LEAF, /proc/thread-self/LEAF or /proc/<our pid>/LEAF? (The guest's view
 * of /proc/self/exe, /proc/self/auxv and /proc/self/cmdline is the emulator's to give.) */
bool lu_proc_self(const char *s, const char *leaf);
void lu_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
