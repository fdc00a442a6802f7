/* emu/linux-user/sys-sig: the signal system calls. Dispositions are the guest's (struct
 * lu_sigaction in the process); on the host, SIG_DFL and SIG_IGN are set as they are and a
 * guest handler becomes the forwarding handler of signal.c. The guest's mask is mirrored on
 * the host, less SIGSEGV and SIGBUS, which the emulator needs for itself (their guest
 * handlers run from the CPU's exits). Calls that wait with a temporary mask leave the old one
 * for the delivery to restore, as Linux.
 * Touches: host signal dispositions and masks of the calling thread, the process context. */
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define A64_SIGSET 8
#define SS_ONSTACK_FLAG 1
#define SS_DISABLE_FLAG 2
#define SS_AUTODISARM_FLAG (1u << 31)
#define UNBLOCKABLE (LU_SIGBIT(SIGKILL) | LU_SIGBIT(SIGSTOP))
#define EMU_OWNED (LU_SIGBIT(SIGSEGV) | LU_SIGBIT(SIGBUS))

/* struct sigaction as the arm64 kernel takes it: handler, flags, restorer, mask. */
struct a64_ksigaction {
	uint64_t handler, flags, restorer, mask;
};

static long sys_rt_sigaction(struct lu_thread *t, const uint64_t *a)
{
	int sig = (int)a[0];
	if (a[3] != A64_SIGSET)
		return -EINVAL;
	if (sig < 1 || sig > 64)
		return -EINVAL;
	struct lu_proc *p = t->proc;
	struct a64_ksigaction na, oa;
	if (a[1] && lu_get(&p->mem, &na, a[1], sizeof na) < 0)
		return -EFAULT;
	if (a[2] && W(t, a[2], sizeof oa))
		return -EFAULT;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	pthread_mutex_lock(&p->sig_lock);
	struct lu_sigaction *cur = &p->sigact[sig];
	oa = (struct a64_ksigaction){cur->handler, cur->flags, cur->restorer, cur->mask};
	long rc = 0;
	if (a[1]) {
		rc = lu_signal_host_action(sig, na.handler, na.flags);
		if (rc == 0)
			*cur = (struct lu_sigaction){na.handler, na.flags, na.restorer,
						     na.mask & ~UNBLOCKABLE};
	}
	pthread_mutex_unlock(&p->sig_lock);
	if (rc == 0 && a[2])
		memcpy(H(a[2]), &oa, sizeof oa);
	return rc;
}

static long sys_rt_sigprocmask(struct lu_thread *t, const uint64_t *a)
{
	if (a[3] != A64_SIGSET)
		return -EINVAL;
	uint64_t set = 0, old = t->sigmask;
	if (a[1] && lu_get(&t->proc->mem, &set, a[1], 8) < 0)
		return -EFAULT;
	if (a[2] && W(t, a[2], 8))
		return -EFAULT;
	if (a[1]) {
		uint64_t m = t->sigmask;
		switch ((int)a[0]) {
		case SIG_BLOCK: m |= set; break;
		case SIG_UNBLOCK: m &= ~set; break;
		case SIG_SETMASK: m = set; break;
		default: return -EINVAL;
		}
		lu_sigmask_set(t, m);
	}
	if (a[2])
		memcpy(H(a[2]), &old, 8);
	return 0;
}

static long sys_rt_sigpending(struct lu_thread *t, const uint64_t *a)
{
	if (a[1] != A64_SIGSET)
		return -EINVAL;
	if (W(t, a[0], 8))
		return -EFAULT;
	uint64_t set = 0;
	if (syscall(SYS_rt_sigpending, &set, 8) < 0)
		return -errno;
	set |= __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST);
	memcpy(H(a[0]), &set, 8);
	return 0;
}

static long sys_rt_sigsuspend(struct lu_thread *t, const uint64_t *a)
{
	uint64_t set;
	if (a[1] != A64_SIGSET)
		return -EINVAL;
	if (lu_get(&t->proc->mem, &set, a[0], 8) < 0)
		return -EFAULT;
	lu_sigmask_temp(t, set);
	/* A signal the suspend mask lets in may already be waiting with us. */
	if (lu_signal_next(t))
		return -EINTR;
	uint64_t h = set & ~(EMU_OWNED | UNBLOCKABLE);
	SAFE(t, SYS_rt_sigsuspend, &h, 8);
	return -EINTR; /* the delivery restores the old mask after the handler's frame is built */
}

static long sys_rt_sigtimedwait(struct lu_thread *t, const uint64_t *a)
{
	if (a[3] != A64_SIGSET)
		return -EINVAL;
	uint64_t set;
	if (lu_get(&t->proc->mem, &set, a[0], 8) < 0)
		return -EFAULT;
	if (a[1] && W(t, a[1], sizeof(siginfo_t)))
		return -EFAULT;
	/* One our handler took already (it was unblocked when it came)? */
	uint64_t mine = __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & set;
	if (mine) {
		int sig = __builtin_ctzll(mine) + 1;
		__atomic_and_fetch(&t->pending, ~LU_SIGBIT(sig), __ATOMIC_SEQ_CST);
		if (a[1])
			memcpy(H(a[1]), &t->pinfo[sig], sizeof(siginfo_t));
		return sig;
	}
	uint64_t h = set & ~EMU_OWNED;
	return SAFE(t, SYS_rt_sigtimedwait, &h, a[1], a[2], 8);
}

static long sys_sigaltstack(struct lu_thread *t, const uint64_t *a)
{
	/* stack_t: ss_sp (8), ss_flags (4, padded to 8), ss_size (8). */
	uint64_t sp = t->cpu.x[REG_SP];
	bool on = t->ss_size && sp > t->ss_sp && sp - t->ss_sp <= t->ss_size;
	uint64_t ns[3], os[3] = {t->ss_sp, 0, t->ss_size};
	os[1] = (uint64_t)(on ? SS_ONSTACK_FLAG : !t->ss_size ? SS_DISABLE_FLAG : 0) |
		((uint32_t)t->ss_flags & SS_AUTODISARM_FLAG);
	if (a[0] && lu_get(&t->proc->mem, ns, a[0], sizeof ns) < 0)
		return -EFAULT;
	if (a[1] && W(t, a[1], sizeof os))
		return -EFAULT;
	if (a[0]) {
		uint32_t fl = (uint32_t)ns[1];
		if (on)
			return -EPERM;
		if (fl & ~(SS_DISABLE_FLAG | SS_ONSTACK_FLAG | SS_AUTODISARM_FLAG))
			return -EINVAL;
		/* t->ss_flags keeps the flags as given: Linux saves them in signal frames. */
		if (fl & SS_DISABLE_FLAG) {
			t->ss_sp = t->ss_size = 0;
			t->ss_flags = (int)fl;
		} else {
			if (ns[2] < A64_MINSIGSTKSZ)
				return -ENOMEM;
			t->ss_sp = ns[0];
			t->ss_size = ns[2];
			t->ss_flags = (int)fl;
		}
	}
	if (a[1])
		memcpy(H(a[1]), os, sizeof os);
	return 0;
}

static long sys_rt_sigreturn(struct lu_thread *t, const uint64_t *a)
{
	return lu_signal_return(t);
}

const struct lu_sysent lu_sys_sig[] = {
	{A64_NR_rt_sigaction, "rt_sigaction", sys_rt_sigaction, 0},
	{A64_NR_rt_sigprocmask, "rt_sigprocmask", sys_rt_sigprocmask, 0},
	{A64_NR_rt_sigpending, "rt_sigpending", sys_rt_sigpending, 0},
	{A64_NR_rt_sigsuspend, "rt_sigsuspend", sys_rt_sigsuspend, 0},
	{A64_NR_rt_sigtimedwait, "rt_sigtimedwait", sys_rt_sigtimedwait, 0},
	{A64_NR_rt_sigqueueinfo, "rt_sigqueueinfo", NULL, SYS_rt_sigqueueinfo},
	{A64_NR_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", NULL, SYS_rt_tgsigqueueinfo},
	{A64_NR_sigaltstack, "sigaltstack", sys_sigaltstack, 0},
	{A64_NR_rt_sigreturn, "rt_sigreturn", sys_rt_sigreturn, 0},
	{A64_NR_kill, "kill", NULL, SYS_kill},
	{A64_NR_tkill, "tkill", NULL, SYS_tkill},
	{A64_NR_tgkill, "tgkill", NULL, SYS_tgkill},
	{0, NULL, NULL, 0},
};
