/* emu/linux-user/loop: running a guest thread: the CPU loop that turns the CPU's exits into
 * system calls and guest signals, and the host SIGSEGV/SIGBUS handler (on an alternate stack)
 * that tells self-modifying code (a write to a page of translated code: invalidate and retry)
 * from a guest fault (the runner's a64_run_fault) and from the emulator's own crash.
 * Touches: the calling thread's guest CPU, host signal dispositions of SIGSEGV/SIGBUS. */
#include "emu/aarch64/fpu.h"
#include "emu/linux-user/lu.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

/* The guest thread the calling host thread runs: per-CPU state, read by the fault handler. */
static __thread struct lu_thread *self;

void lu_thread_enter(struct lu_thread *t)
{
	self = t;
}

struct lu_thread *lu_thread_self(void)
{
	return self;
}

/* The blocking system calls' door: the flag (the CPU's interrupt request, which a
 * forwarding signal handler sets) is tested right before the syscall instruction; a signal
 * landing between the test and the instruction is caught by lu_safe_syscall_fixup, which
 * moves the thread to the "interrupted" exit. So a signal is never left waiting while the
 * thread sleeps in the host. x86-64 SysV in, Linux syscall convention out. */
long vireo_lu_safe_syscall(volatile int *flag, long nr, long a1, long a2, long a3, long a4,
			   long a5, long a6) __asm__("vireo_lu_safe_syscall");
extern const char vireo_lu_safe_start[] __asm__("vireo_lu_safe_start");
extern const char vireo_lu_safe_end[] __asm__("vireo_lu_safe_end");
extern const char vireo_lu_safe_intr[] __asm__("vireo_lu_safe_intr");
__asm__(".text\n"
	".type vireo_lu_safe_syscall, @function\n"
	"vireo_lu_safe_syscall:\n"
	"\tmov %rsi, %rax\n"
	"\tmov %rdi, %r11\n"
	"\tmov %rdx, %rdi\n"
	"\tmov %rcx, %rsi\n"
	"\tmov %r8, %rdx\n"
	"\tmov %r9, %r10\n"
	"\tmov 8(%rsp), %r8\n"
	"\tmov 16(%rsp), %r9\n"
	"vireo_lu_safe_start:\n"
	"\tcmpl $0, (%r11)\n"
	"\tjnz vireo_lu_safe_intr\n"
	"\tsyscall\n"
	"vireo_lu_safe_end:\n"
	"\tret\n"
	"vireo_lu_safe_intr:\n"
	"\tmov $-4, %rax\n" /* -EINTR */
	"\tret\n"
	".size vireo_lu_safe_syscall, . - vireo_lu_safe_syscall\n");

long lu_safe_syscall(struct lu_thread *t, long nr, long a1, long a2, long a3, long a4, long a5,
		     long a6)
{
	return vireo_lu_safe_syscall(t ? &t->cpu.interrupt : &(int){0}, nr, a1, a2, a3, a4, a5, a6);
}

void lu_safe_syscall_fixup(void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	if (ip >= (uintptr_t)vireo_lu_safe_start && ip < (uintptr_t)vireo_lu_safe_end)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)vireo_lu_safe_intr;
}

void lu_log(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	/* One write: lines from threads do not interleave. */
	dprintf(STDERR_FILENO, "vireo-aarch64: %.*s", n, buf);
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	struct lu_thread *t = self;
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	/* x86-64 page fault error code: bit 1 set for a write. */
	int write = sig == SIGSEGV && (uc->uc_mcontext.gregs[REG_ERR] & 2);
	if (t && si->si_code <= 0) {
		/* Sent (kill, tgkill, sigqueue), not a fault: the guest's to handle, or to die of. */
		struct lu_sigaction *a = &t->proc->sigact[sig];
		if (a->handler > 1) {
			memcpy(&t->pinfo[sig], si, sizeof *si);
			__atomic_or_fetch(&t->pending, LU_SIGBIT(sig), __ATOMIC_SEQ_CST);
			t->cpu.interrupt = 1;
			lu_safe_syscall_fixup(ucv);
			return;
		}
		if (a->handler == 1)
			return;
		lu_die_by_signal(sig);
	}
	if (t) {
		if (sig == SIGSEGV && si->si_code == SEGV_ACCERR && write &&
		    lu_mem_write_fault(&t->proc->mem, addr))
			return;
		t->fault_code = si->si_code;
		/* The handler runs with a fresh host FPU state and siglongjmp keeps it: save the
		 * flags the interrupted guest code raised first. */
		if (t->runner.in_guest)
			a64_fpu_signal_fold(&t->cpu, ucv);
		a64_run_fault(&t->runner, addr, write, sig == SIGBUS);
	}
	/* Not the guest's: the emulator itself crashed. Die of it (the instruction reruns). */
	signal(sig, SIG_DFL);
}

int lu_fault_init(struct lu_thread *t, struct vireo_err *err)
{
	/* Large enough for sanitizer builds, whose handler frames are big. */
	size_t size = 256 << 10;
	void *st = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
			-1, 0);
	if (st == MAP_FAILED)
		return verr_sys(err, errno, "cannot map a signal stack");
	stack_t ss = {.ss_sp = st, .ss_size = size, .ss_flags = 0};
	if (sigaltstack(&ss, NULL) < 0) {
		int e = errno;
		munmap(st, size);
		return verr_sys(err, e, "sigaltstack");
	}
	t->altstack = st;
	t->altstack_size = size;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) < 0 || sigaction(SIGBUS, &sa, NULL) < 0)
		return verr_sys(err, errno, "sigaction");
	return 0;
}

_Noreturn void lu_die_by_signal(int sig)
{
	/* No host core of the emulator: the guest's core would be what a user wants, and we
	 * write none. The status is the signal's all the same (139 for SIGSEGV in a shell). */
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* The whole process: every guest thread dies with it. */
	kill(getpid(), sig);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
	/* A signal whose default is to be ignored: end as if it had killed us. */
	_exit(128 + sig);
}

/* ESR_EL1 as arm64 Linux reports it for a memory abort from EL0: the exception class (data
 * or instruction abort, lower EL), IL, WnR and the fault status code. */
static uint64_t abort_esr(const struct a64_cpu *cpu, unsigned fsc)
{
	bool fetch = cpu->fault_addr == cpu->pc && !cpu->fault_write;
	uint64_t esr = ((uint64_t)(fetch ? 0x20 : 0x24) << 26) | (1u << 25) | fsc;
	if (!fetch && cpu->fault_write)
		esr |= 1u << 6;
	return esr;
}

_Noreturn void lu_cpu_loop(struct lu_thread *t)
{
	struct a64_cpu *cpu = &t->cpu;
	struct lu_proc *p = t->proc;
	for (;;) {
		t->fault_code = 0;
		enum a64_exit e = a64_run(&t->runner);
		switch (e) {
		case A64_EXIT_SVC: {
			uint64_t nr = cpu->x[8], a0 = cpu->x[0];
			long r = lu_syscall(t);
			if (r == LU_SYSRET_KEEP)
				break;
			if (r == -EINTR && lu_syscall_restartable(nr)) {
				/* Interrupted by a signal: restarted unless the handler that runs now
				 * lacks SA_RESTART (Linux's ERESTARTSYS). */
				int sig = lu_signal_next(t);
				if (!sig || (p->sigact[sig].handler > 1 && (p->sigact[sig].flags & SA_RESTART)) ||
				    p->sigact[sig].handler <= 1) {
					cpu->pc -= 4;
					cpu->x[0] = a0;
					break;
				}
			}
			cpu->x[0] = (uint64_t)r;
			break;
		}
		case A64_EXIT_UNDEF:
			if (p->log & LU_LOG_UNIMP)
				lu_log("unimplemented instruction at 0x%llx: %08x",
				       (unsigned long long)cpu->pc, cpu->exit_insn);
			/* As Linux (force_signal_inject): no fault address, no esr_context. */
			lu_signal_fault(t, SIGILL, ILL_ILLOPC, cpu->pc, 0, 0);
			break;
		case A64_EXIT_BRK:
			/* As Linux (send_user_sigtrap): no esr_context. */
			lu_signal_fault(t, SIGTRAP, TRAP_BRKPT, cpu->pc, 0, 0);
			break;
		case A64_EXIT_FAULT: {
			uint8_t pe = lu_pt_get(&p->mem, cpu->fault_addr);
			bool mapped = pe & PT_VALID;
			lu_signal_fault(t, SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, cpu->fault_addr,
					cpu->fault_addr, abort_esr(cpu, mapped ? 0x0f : 0x07));
			break;
		}
		case A64_EXIT_ALIGN: {
			bool adrerr = t->fault_code == BUS_ADRERR;
			lu_signal_fault(t, SIGBUS, adrerr ? BUS_ADRERR : BUS_ADRALN, cpu->fault_addr,
					cpu->fault_addr, abort_esr(cpu, adrerr ? 0x10 : 0x21));
			break;
		}
		case A64_EXIT_INTERRUPT:
		case A64_EXIT_NONE:
		default:
			break;
		}
		cpu->interrupt = 0;
		lu_signal_deliver(t);
	}
}
