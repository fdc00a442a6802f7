/* emu/linux-user/signal: guest signals as Linux arm64 delivers them. A host signal the guest
 * handles is caught by a forwarding handler that only records it and asks the CPU to stop
 * at the next block edge; the CPU loop then builds the arm64 rt_sigframe (siginfo, ucontext
 * with the sigcontext: x0-x30, sp, pc, pstate, and the fpsimd_context record, an esr_context
 * for memory faults, the terminator) on the guest's stack or sigaltstack and enters the
 * handler with x0 = signal, x1 = &info, x2 = &uc, x29 = the frame record, x30 = the restorer
 * (SA_RESTORER) or our trampoline (there is no vDSO). rt_sigreturn restores it all.
 * Synchronous exceptions (SIGSEGV, SIGBUS, SIGILL, SIGTRAP) come from the CPU's exits with
 * the exact register state. Without a handler, the default action: the process dies of the
 * signal (or it is ignored, or the process stops).
 * Touches: the calling thread's CPU and masks, guest stacks, host dispositions and masks. */
#include "emu/aarch64/fpu.h"
#include "emu/linux-user/lu.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SS_ONSTACK_F 1
#define SS_DISABLE_F 2
#define SS_AUTODISARM_F (1u << 31)

struct a64_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct a64_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

struct a64_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct a64_stack uc_stack;
	uint64_t uc_sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct a64_sigcontext uc_mcontext;
};

struct a64_rt_sigframe {
	uint8_t info[128];
	struct a64_ucontext uc;
};

struct a64_ctx {
	uint32_t magic, size;
};

struct a64_fpsimd_context {
	struct a64_ctx head;
	uint32_t fpsr, fpcr;
	unsigned __int128 vregs[32];
};

struct a64_esr_context {
	struct a64_ctx head;
	uint64_t esr;
};

_Static_assert(sizeof(struct a64_rt_sigframe) == 4688, "arm64 rt_sigframe size");
_Static_assert(offsetof(struct a64_rt_sigframe, uc.uc_mcontext.reserved) == 592,
	       "arm64 sigcontext __reserved offset");
_Static_assert(sizeof(struct a64_fpsimd_context) == 528, "fpsimd_context size");
_Static_assert(sizeof(siginfo_t) == 128, "siginfo size");

/* Signals the emulator keeps for itself on the host, and those nobody may block. */
#define EMU_OWNED (LU_SIGBIT(SIGSEGV) | LU_SIGBIT(SIGBUS))
#define UNBLOCKABLE (LU_SIGBIT(SIGKILL) | LU_SIGBIT(SIGSTOP))

static void host_mask(uint64_t mask)
{
	uint64_t h = mask & ~(EMU_OWNED | UNBLOCKABLE);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &h, NULL, 8);
}

void lu_sigmask_set(struct lu_thread *t, uint64_t mask)
{
	t->sigmask = mask & ~UNBLOCKABLE;
	host_mask(t->sigmask);
}

void lu_sigmask_temp(struct lu_thread *t, uint64_t mask)
{
	t->saved_mask = t->sigmask;
	t->have_saved_mask = true;
	t->sigmask = mask & ~UNBLOCKABLE;
}

void lu_sigmask_temp_end(struct lu_thread *t)
{
	if (t->have_saved_mask) {
		t->have_saved_mask = false;
		lu_sigmask_set(t, t->saved_mask);
	}
}

/* The host handler for signals the guest handles: record, and stop the CPU at a block edge
 * (a blocking system call returns EINTR: no SA_RESTART here). */
static void forward(int sig, siginfo_t *info, void *uc)
{
	struct lu_thread *t = lu_thread_self();
	if (!t || sig < 1 || sig > 64)
		return;
	memcpy(&t->pinfo[sig], info, sizeof *info);
	__atomic_or_fetch(&t->pending, LU_SIGBIT(sig), __ATOMIC_SEQ_CST);
	t->cpu.interrupt = 1;
	lu_safe_syscall_fixup(uc);
}

/* The host kernel's struct sigaction and the return path of our handlers: host glibc keeps
 * signals 32 and 33 for itself, which the guest's glibc needs (cancellation, setxid), so
 * dispositions are set with the raw system call. */
struct host_ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

#define HOST_SA_RESTORER 0x04000000ul
void vireo_lu_restore_rt(void) __asm__("vireo_lu_restore_rt");
__asm__(".text\n"
	".type vireo_lu_restore_rt, @function\n"
	"vireo_lu_restore_rt:\n"
	"\tmov $15, %rax\n" /* rt_sigreturn */
	"\tsyscall\n"
	".size vireo_lu_restore_rt, . - vireo_lu_restore_rt\n");

int lu_signal_host_action(int sig, uint64_t handler, uint64_t flags)
{
	if (LU_SIGBIT(sig) & EMU_OWNED)
		return 0;
	struct host_ksigaction ka;
	memset(&ka, 0, sizeof ka);
	if (handler == (uint64_t)(uintptr_t)SIG_DFL || handler == (uint64_t)(uintptr_t)SIG_IGN) {
		ka.handler = handler ? (void *)SIG_IGN : (void *)SIG_DFL;
	} else {
		ka.handler = (void *)forward;
		ka.flags = SA_SIGINFO | SA_ONSTACK;
		ka.mask = ~EMU_OWNED;
	}
	ka.flags |= HOST_SA_RESTORER;
	ka.restorer = vireo_lu_restore_rt;
	/* What the kernel does with children's state changes follows the guest's wish. */
	ka.flags |= flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
	return syscall(SYS_rt_sigaction, sig, &ka, NULL, 8) < 0 ? -errno : 0;
}

int lu_signal_init(struct lu_proc *p, struct vireo_err *err)
{
	/* One guest page: mov x8, #139 (rt_sigreturn); svc #0. */
	long r = lu_mmap(&p->mem, 0, LU_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (r < 0)
		return verr_sys(err, (int)-r, "cannot map the signal trampoline");
	uint32_t code[2] = {0xd2801168u, 0xd4000001u};
	memcpy((void *)(uintptr_t)r, code, sizeof code);
	long m = lu_mprotect(&p->mem, (uint64_t)r, LU_PAGE, PROT_READ | PROT_EXEC);
	if (m < 0)
		return verr_sys(err, (int)-m, "cannot protect the signal trampoline");
	p->sigtramp = (uint64_t)r;
	return 0;
}

int lu_signal_next(struct lu_thread *t)
{
	uint64_t ready = __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & ~t->sigmask;
	return ready ? __builtin_ctzll(ready) + 1 : 0;
}

static bool on_altstack(const struct lu_thread *t, uint64_t sp)
{
	return t->ss_size && sp > t->ss_sp && sp - t->ss_sp <= t->ss_size;
}

/* Build the frame and enter the handler. false when the stack cannot take the frame. */
static bool setup_frame(struct lu_thread *t, int sig, const siginfo_t *info,
			const struct lu_sigaction *act, uint64_t fault_addr, uint64_t esr)
{
	struct a64_cpu *c = &t->cpu;
	struct lu_proc *p = t->proc;
	uint64_t sp = c->x[REG_SP];
	uint64_t ss_sp = t->ss_sp, ss_size = t->ss_size;
	/* uc_stack as Linux (4.7+) saves it: the flags sigaltstack was given, not SS_ONSTACK
	 * computed from sp; SS_DISABLE without an alternate stack. */
	int32_t ss_flags = (int32_t)(!ss_size ? SS_DISABLE_F : (uint32_t)t->ss_flags);
	if ((act->flags & SA_ONSTACK) && ss_size && !on_altstack(t, sp))
		sp = ss_sp + ss_size;
	/* SS_AUTODISARM: disarmed for every handler (Linux's signal_delivered), until the
	 * sigreturn restores uc_stack. */
	if (t->ss_flags & (int)SS_AUTODISARM_F) {
		t->ss_sp = t->ss_size = 0;
		t->ss_flags = SS_DISABLE_F;
	}
	uint64_t top = sp;
	uint64_t rec = (sp - 16) & ~15ull;
	uint64_t frame = (rec - sizeof(struct a64_rt_sigframe)) & ~15ull;
	if (frame > top || lu_access(&p->mem, frame, top - frame, PT_W) < 0)
		return false;

	struct a64_rt_sigframe *f = (struct a64_rt_sigframe *)(uintptr_t)frame;
	memset(f, 0, sizeof *f);
	memcpy(f->info, info, sizeof f->info);
	f->uc.uc_stack = (struct a64_stack){ss_sp, ss_flags, 0, ss_size};
	f->uc.uc_sigmask = t->have_saved_mask ? t->saved_mask : t->sigmask;
	struct a64_sigcontext *sc = &f->uc.uc_mcontext;
	sc->fault_address = fault_addr;
	memcpy(sc->regs, c->x, sizeof sc->regs);
	sc->sp = c->x[REG_SP];
	sc->pc = c->pc;
	sc->pstate = c->nzcv & 0xf0000000u;
	size_t off = 0;
	struct a64_fpsimd_context fp = {{A64_FPSIMD_MAGIC, sizeof fp}, a64_fpsr_read(c), c->fpcr, {0}};
	for (int i = 0; i < 32; i++)
		fp.vregs[i] = c->v[i].q;
	memcpy(sc->reserved + off, &fp, sizeof fp);
	off += sizeof fp;
	if (esr) {
		struct a64_esr_context e = {{A64_ESR_MAGIC, sizeof e}, esr};
		memcpy(sc->reserved + off, &e, sizeof e);
		off += sizeof e;
	}
	/* The terminator: a zero header (already zero). The frame record links to the
	 * interrupted code for unwinders. */
	uint64_t *fr = (uint64_t *)(uintptr_t)rec;
	fr[0] = c->x[29];
	fr[1] = c->x[30];

	uint64_t newmask = t->sigmask | act->mask;
	if (!(act->flags & SA_NODEFER))
		newmask |= LU_SIGBIT(sig);
	t->have_saved_mask = false;
	lu_sigmask_set(t, newmask);

	c->x[0] = (uint64_t)sig;
	if (act->flags & SA_SIGINFO) {
		c->x[1] = frame + offsetof(struct a64_rt_sigframe, info);
		c->x[2] = frame + offsetof(struct a64_rt_sigframe, uc);
	}
	c->x[REG_SP] = frame;
	c->x[29] = rec;
	c->x[30] = (act->flags & A64_SA_RESTORER) ? act->restorer : p->sigtramp;
	c->pc = act->handler;
	c->excl_size = 0; /* an exception clears the exclusive monitor */
	return true;
}

static struct lu_sigaction get_action(struct lu_proc *p, int sig, bool reset)
{
	pthread_mutex_lock(&p->sig_lock);
	struct lu_sigaction a = p->sigact[sig];
	if (reset && a.handler > 1 && (a.flags & SA_RESETHAND)) {
		p->sigact[sig] = (struct lu_sigaction){0, 0, 0, 0};
		lu_signal_host_action(sig, 0, 0);
	}
	pthread_mutex_unlock(&p->sig_lock);
	return a;
}

/* The default action of an asynchronous signal nobody handles now. */
static void default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
		return;
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
	case SIGSTOP: {
		/* Stop for real: the host's default does it; continue where we were. */
		struct sigaction sa, old;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigaction(sig, &sa, &old);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		kill(getpid(), sig);
		sigaction(sig, &old, NULL);
		return;
	}
	default:
		lu_die_by_signal(sig);
	}
}

void lu_signal_deliver(struct lu_thread *t)
{
	struct lu_proc *p = t->proc;
	int sig;
	while ((sig = lu_signal_next(t))) {
		__atomic_and_fetch(&t->pending, ~LU_SIGBIT(sig), __ATOMIC_SEQ_CST);
		siginfo_t info = t->pinfo[sig];
		struct lu_sigaction a = get_action(p, sig, true);
		if (a.handler == (uint64_t)(uintptr_t)SIG_IGN)
			continue;
		if (a.handler == (uint64_t)(uintptr_t)SIG_DFL) {
			default_action(sig);
			continue;
		}
		if (!setup_frame(t, sig, &info, &a, 0, 0))
			lu_die_by_signal(SIGSEGV); /* no room for the frame: as Linux, fatal */
	}
	lu_sigmask_temp_end(t);
}

void lu_signal_fault(struct lu_thread *t, int sig, int code, uint64_t addr, uint64_t far,
		     uint64_t esr)
{
	struct lu_sigaction a = get_action(t->proc, sig, true);
	/* A fault the guest blocks or ignores kills it, as the kernel's force_sig. */
	if (a.handler <= 1 || (t->sigmask & LU_SIGBIT(sig)))
		lu_die_by_signal(sig);
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = (void *)(uintptr_t)addr;
	if (!setup_frame(t, sig, &info, &a, far, esr))
		lu_die_by_signal(SIGSEGV);
}

long lu_signal_return(struct lu_thread *t)
{
	struct a64_cpu *c = &t->cpu;
	struct lu_proc *p = t->proc;
	uint64_t frame = c->x[REG_SP];
	const struct a64_rt_sigframe *f = (const struct a64_rt_sigframe *)(uintptr_t)frame;
	if ((frame & 15) || lu_access(&p->mem, frame, sizeof *f, PT_R) < 0)
		goto bad;
	const struct a64_sigcontext *sc = &f->uc.uc_mcontext;
	/* The records: fpsimd_context must be there; esr is informative; nothing else known. */
	const struct a64_fpsimd_context *fp = NULL;
	size_t off = 0;
	for (;;) {
		struct a64_ctx h;
		if (off + sizeof h > sizeof sc->reserved)
			goto bad;
		memcpy(&h, sc->reserved + off, sizeof h);
		if (h.magic == 0 && h.size == 0)
			break;
		if (h.size < sizeof h || (h.size & 15) || h.size > sizeof sc->reserved - off)
			goto bad;
		if (h.magic == A64_FPSIMD_MAGIC) {
			if (h.size != sizeof *fp || fp)
				goto bad;
			fp = (const struct a64_fpsimd_context *)(sc->reserved + off);
		} else if (h.magic != A64_ESR_MAGIC) {
			goto bad;
		}
		off += h.size;
	}
	if (!fp)
		goto bad;
	/* Linux's valid_user_regs: EL0t, AArch64, D, A, I and F clear (bit 5 is RES0). */
	if (sc->pstate & 0x3dfull)
		goto bad;
	memcpy(c->x, sc->regs, sizeof sc->regs);
	c->x[REG_SP] = sc->sp;
	c->pc = sc->pc;
	c->nzcv = (uint32_t)sc->pstate & 0xf0000000u;
	a64_fpsr_write(c, fp->fpsr);
	a64_fpcr_write(c, fp->fpcr);
	for (int i = 0; i < 32; i++)
		memcpy(&c->v[i], &fp->vregs[i], 16);
	c->excl_size = 0;
	lu_sigmask_set(t, f->uc.uc_sigmask);
	/* The alternate stack as saved, as sigaltstack would take it (errors ignored), unless we
	 * are on it (EPERM: Linux keeps it). */
	if (!on_altstack(t, c->x[REG_SP])) {
		const struct a64_stack *ss = &f->uc.uc_stack;
		uint32_t mode = (uint32_t)ss->ss_flags & ~SS_AUTODISARM_F;
		if (mode == SS_DISABLE_F) {
			t->ss_sp = t->ss_size = 0;
			t->ss_flags = ss->ss_flags;
		} else if ((mode == 0 || mode == SS_ONSTACK_F) && ss->ss_size >= A64_MINSIGSTKSZ) {
			t->ss_sp = ss->ss_sp;
			t->ss_size = ss->ss_size;
			t->ss_flags = ss->ss_flags;
		}
	}
	return (long)c->x[0];
bad:
	/* As arm64_notify_segfault(sp): SEGV_ACCERR where memory is mapped, no fault address in
	 * the sigcontext, no esr_context. */
	lu_signal_fault(t, SIGSEGV,
			(lu_pt_get(&p->mem, frame) & PT_VALID) ? SEGV_ACCERR : SEGV_MAPERR, frame, 0,
			0);
	return LU_SYSRET_KEEP;
}
