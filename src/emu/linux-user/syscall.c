/* emu/linux-user/syscall: system call dispatch (the arm64 numbers of asm-generic/unistd.h to
 * handlers, assembled from each area's table: sys-fs.c, sys-mm.c, sys-time.c, sys-net.c,
 * sys-sig.c and the process calls here), and the process and identity calls. A call writing
 * guest memory checks the range against the page table first (EFAULT, like the kernel, and
 * never into the emulator's memory). Unknown numbers return -ENOSYS (VIREO_LOG=unimp names
 * them). Touches: the calling guest thread, the process context. */
#include "emu/linux-user/lu.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emu/linux-user/sys.h"

long lu_ret(long r)
{
	return r == -1 ? -errno : r;
}

void lu_syscall_init(struct lu_proc *p)
{
	const struct lu_sysent *tabs[] = {lu_sys_fs,  lu_sys_mm,  lu_sys_proc, lu_sys_time,
					  lu_sys_net, lu_sys_sig, lu_sys_exec, lu_sys_ipc,
					  lu_sys_thread};
	memset(p->systab, 0, sizeof p->systab);
	for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
		for (const struct lu_sysent *e = tabs[i]; e->name; e++)
			if (e->nr < A64_NR_COUNT)
				p->systab[e->nr] = e;
}

bool lu_syscall_restartable(uint64_t nr)
{
	switch (nr) {
	case A64_NR_read:
	case A64_NR_readv:
	case A64_NR_pread64:
	case A64_NR_preadv:
	case A64_NR_write:
	case A64_NR_writev:
	case A64_NR_pwrite64:
	case A64_NR_pwritev:
	case A64_NR_ioctl:
	case A64_NR_wait4:
	case A64_NR_waitid:
	case A64_NR_openat:
	case A64_NR_accept:
	case A64_NR_accept4:
	case A64_NR_connect:
	case A64_NR_recvfrom:
	case A64_NR_recvmsg:
	case A64_NR_sendto:
	case A64_NR_sendmsg:
	case A64_NR_flock:
	case A64_NR_fcntl:
	case A64_NR_futex:
	case A64_NR_getrandom:
	case A64_NR_splice:
	case A64_NR_sendfile:
	case A64_NR_msgrcv:
	case A64_NR_msgsnd:
	case A64_NR_semop:
	case A64_NR_mq_timedsend:
	case A64_NR_mq_timedreceive:
		return true;
	default:
		return false;
	}
}

long lu_syscall(struct lu_thread *t)
{
	struct a64_cpu *cpu = &t->cpu;
	struct lu_proc *p = t->proc;
	uint64_t nr = cpu->x[8];
	uint64_t a[6] = {cpu->x[0], cpu->x[1], cpu->x[2], cpu->x[3], cpu->x[4], cpu->x[5]};
	const struct lu_sysent *e = nr < A64_NR_COUNT ? p->systab[nr] : NULL;
	long r;
	if (!e) {
		if (p->log & LU_LOG_UNIMP)
			lu_log("unimplemented system call %llu", (unsigned long long)nr);
		r = -ENOSYS;
	} else if (e->fn) {
		r = e->fn(t, a);
	} else {
		r = lu_safe_syscall(t, e->host, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				    (long)a[4], (long)a[5]);
	}
	if (p->log & LU_LOG_STRACE)
		lu_log("%s(0x%llx, 0x%llx, 0x%llx, 0x%llx) = %ld", e ? e->name : "?",
		       (unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
		       (unsigned long long)a[3], r);
	return r;
}

/* --- process and identity --- */

static long sys_uname(struct lu_thread *t, const uint64_t *a)
{
	struct utsname u;
	if (uname(&u) < 0)
		return -errno;
	snprintf(u.machine, sizeof u.machine, "aarch64");
	return lu_put(&t->proc->mem, a[0], &u, sizeof u);
}

static long sys_sysinfo(struct lu_thread *t, const uint64_t *a)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return -errno;
	return lu_put(&t->proc->mem, a[0], &si, sizeof si);
}

static long sys_getrlimit(struct lu_thread *t, const uint64_t *a)
{
	struct rlimit rl;
	if (getrlimit((int)a[0], &rl) < 0)
		return -errno;
	return lu_put(&t->proc->mem, a[1], &rl, sizeof rl);
}

static long sys_prlimit64(struct lu_thread *t, const uint64_t *a)
{
	struct rlimit nl, ol;
	if (a[2] && lu_get(&t->proc->mem, &nl, a[2], sizeof nl) < 0)
		return -EFAULT;
	if (a[3] && lu_access(&t->proc->mem, a[3], sizeof ol, PT_W) < 0)
		return -EFAULT;
	long r = lu_ret(syscall(SYS_prlimit64, (pid_t)a[0], (int)a[1], a[2] ? &nl : NULL,
				a[3] ? &ol : NULL));
	if (r == 0 && a[3])
		r = lu_put(&t->proc->mem, a[3], &ol, sizeof ol);
	return r;
}

static long sys_getrusage(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct rusage)))
		return -EFAULT;
	return lu_ret(syscall(SYS_getrusage, (int)a[0], a[1]));
}

static long sys_times(struct lu_thread *t, const uint64_t *a)
{
	if (a[0] && W(t, a[0], 4 * 8))
		return -EFAULT;
	return lu_ret(syscall(SYS_times, a[0]));
}

static long sys_getresid(struct lu_thread *t, const uint64_t *a, long host)
{
	for (int i = 0; i < 3; i++)
		if (W(t, a[i], 4))
			return -EFAULT;
	return lu_ret(syscall(host, a[0], a[1], a[2]));
}

static long sys_getresuid(struct lu_thread *t, const uint64_t *a)
{
	return sys_getresid(t, a, SYS_getresuid);
}

static long sys_getresgid(struct lu_thread *t, const uint64_t *a)
{
	return sys_getresid(t, a, SYS_getresgid);
}

static long sys_getgroups(struct lu_thread *t, const uint64_t *a)
{
	int n = (int)a[0];
	if (n < 0)
		return -EINVAL;
	if (n > 0 && W(t, a[1], (uint64_t)n * 4))
		return -EFAULT;
	return lu_ret(syscall(SYS_getgroups, n, a[1]));
}

static long sys_get_robust_list(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], 8) || W(t, a[2], 8))
		return -EFAULT;
	return lu_ret(syscall(SYS_get_robust_list, (int)a[0], a[1], a[2]));
}

static long sys_rseq(struct lu_thread *t, const uint64_t *a)
{
	/* Restartable sequences would need the emulator to abort guest critical sections;
	 * glibc falls back when the kernel says ENOSYS. */
	return -ENOSYS;
}

static long sys_getrandom(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[0], a[1]))
		return -EFAULT;
	return SAFE(t, SYS_getrandom, a[0], a[1], (unsigned)a[2]);
}

static long sys_sched_getaffinity(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[2], a[1]))
		return -EFAULT;
	return lu_ret(syscall(SYS_sched_getaffinity, (pid_t)a[0], a[1], a[2]));
}

static long sys_sched_param(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct sched_param)))
		return -EFAULT;
	return lu_ret(syscall(SYS_sched_getparam, (pid_t)a[0], a[1]));
}

static long sys_sched_rr_get_interval(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], 16))
		return -EFAULT;
	return lu_ret(syscall(SYS_sched_rr_get_interval, (pid_t)a[0], a[1]));
}

static long sys_sched_getattr(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], a[2]))
		return -EFAULT;
	return lu_ret(syscall(SYS_sched_getattr, (pid_t)a[0], a[1], (unsigned)a[2], (unsigned)a[3]));
}

static long sys_getcpu(struct lu_thread *t, const uint64_t *a)
{
	if ((a[0] && W(t, a[0], 4)) || (a[1] && W(t, a[1], 4)))
		return -EFAULT;
	return lu_ret(syscall(SYS_getcpu, a[0], a[1], 0));
}

static long sys_wait4(struct lu_thread *t, const uint64_t *a)
{
	if ((a[1] && W(t, a[1], 4)) || (a[3] && W(t, a[3], sizeof(struct rusage))))
		return -EFAULT;
	return SAFE(t, SYS_wait4, (pid_t)a[0], a[1], (int)a[2], a[3]);
}

static long sys_waitid(struct lu_thread *t, const uint64_t *a)
{
	if ((a[2] && W(t, a[2], sizeof(siginfo_t))) || (a[4] && W(t, a[4], sizeof(struct rusage))))
		return -EFAULT;
	return SAFE(t, SYS_waitid, (int)a[0], (pid_t)a[1], a[2], (int)a[3], a[4]);
}

static long sys_capget(struct lu_thread *t, const uint64_t *a)
{
	/* Header (8 bytes, version written back) and up to two data structs of 12 bytes. */
	if (W(t, a[0], 8) || (a[1] && W(t, a[1], 24)))
		return -EFAULT;
	return lu_ret(syscall(SYS_capget, a[0], a[1]));
}

static long sys_prctl(struct lu_thread *t, const uint64_t *a)
{
	int op = (int)a[0];
	switch (op) {
	case PR_GET_NAME:
		if (W(t, a[1], 16))
			return -EFAULT;
		break;
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
	case PR_GET_TID_ADDRESS:
		if (W(t, a[1], op == PR_GET_TID_ADDRESS ? 8 : 4))
			return -EFAULT;
		break;
	case PR_SET_NAME:
	case PR_SET_PDEATHSIG:
	case PR_GET_DUMPABLE:
	case PR_SET_DUMPABLE:
	case PR_SET_CHILD_SUBREAPER:
	case PR_SET_NO_NEW_PRIVS:
	case PR_GET_NO_NEW_PRIVS:
	case PR_GET_KEEPCAPS:
	case PR_SET_KEEPCAPS:
	case PR_CAPBSET_READ:
	case PR_CAP_AMBIENT:
	case PR_GET_SECUREBITS:
	case PR_GET_TIMERSLACK:
	case PR_SET_TIMERSLACK:
	case PR_SET_VMA:
	case PR_GET_THP_DISABLE:
	case PR_SET_THP_DISABLE:
		break;
	case PR_SET_MM:
	case PR_SET_SECCOMP:
		/* Would describe or filter the emulator, not the guest. */
		return -EINVAL;
	default:
		/* arm64's own (SVE, PAC, tagged addresses, SME) and the rest: not here. */
		return -EINVAL;
	}
	return lu_ret(syscall(SYS_prctl, op, a[1], a[2], a[3], a[4]));
}

static long sys_personality(struct lu_thread *t, const uint64_t *a)
{
	return lu_ret(syscall(SYS_personality, (unsigned)a[0]));
}

const struct lu_sysent lu_sys_proc[] = {
	{A64_NR_getpid, "getpid", NULL, SYS_getpid},
	{A64_NR_getppid, "getppid", NULL, SYS_getppid},
	{A64_NR_gettid, "gettid", NULL, SYS_gettid},
	{A64_NR_getuid, "getuid", NULL, SYS_getuid},
	{A64_NR_geteuid, "geteuid", NULL, SYS_geteuid},
	{A64_NR_getgid, "getgid", NULL, SYS_getgid},
	{A64_NR_getegid, "getegid", NULL, SYS_getegid},
	{A64_NR_getresuid, "getresuid", sys_getresuid, 0},
	{A64_NR_getresgid, "getresgid", sys_getresgid, 0},
	{A64_NR_getgroups, "getgroups", sys_getgroups, 0},
	{A64_NR_setuid, "setuid", NULL, SYS_setuid},
	{A64_NR_setgid, "setgid", NULL, SYS_setgid},
	{A64_NR_setreuid, "setreuid", NULL, SYS_setreuid},
	{A64_NR_setregid, "setregid", NULL, SYS_setregid},
	{A64_NR_setresuid, "setresuid", NULL, SYS_setresuid},
	{A64_NR_setresgid, "setresgid", NULL, SYS_setresgid},
	{A64_NR_setfsuid, "setfsuid", NULL, SYS_setfsuid},
	{A64_NR_setfsgid, "setfsgid", NULL, SYS_setfsgid},
	{A64_NR_setgroups, "setgroups", NULL, SYS_setgroups},
	{A64_NR_setsid, "setsid", NULL, SYS_setsid},
	{A64_NR_getsid, "getsid", NULL, SYS_getsid},
	{A64_NR_setpgid, "setpgid", NULL, SYS_setpgid},
	{A64_NR_getpgid, "getpgid", NULL, SYS_getpgid},
	{A64_NR_umask, "umask", NULL, SYS_umask},
	{A64_NR_uname, "uname", sys_uname, 0},
	{A64_NR_sethostname, "sethostname", NULL, SYS_sethostname},
	{A64_NR_setdomainname, "setdomainname", NULL, SYS_setdomainname},
	{A64_NR_sysinfo, "sysinfo", sys_sysinfo, 0},
	{A64_NR_getrlimit, "getrlimit", sys_getrlimit, 0},
	{A64_NR_setrlimit, "setrlimit", NULL, SYS_setrlimit},
	{A64_NR_prlimit64, "prlimit64", sys_prlimit64, 0},
	{A64_NR_getrusage, "getrusage", sys_getrusage, 0},
	{A64_NR_times, "times", sys_times, 0},
	{A64_NR_getpriority, "getpriority", NULL, SYS_getpriority},
	{A64_NR_setpriority, "setpriority", NULL, SYS_setpriority},
	/* The kernel walks this list at thread exit: guest memory is ours. */
	{A64_NR_set_robust_list, "set_robust_list", NULL, SYS_set_robust_list},
	{A64_NR_get_robust_list, "get_robust_list", sys_get_robust_list, 0},
	/* Guest memory is host memory: futex words are where the guest says. */
	{A64_NR_futex, "futex", NULL, SYS_futex},
	{A64_NR_futex_waitv, "futex_waitv", NULL, SYS_futex_waitv},

	{A64_NR_rseq, "rseq", sys_rseq, 0},
	{A64_NR_getrandom, "getrandom", sys_getrandom, 0},
	{A64_NR_sched_getaffinity, "sched_getaffinity", sys_sched_getaffinity, 0},
	{A64_NR_sched_setaffinity, "sched_setaffinity", NULL, SYS_sched_setaffinity},
	{A64_NR_sched_yield, "sched_yield", NULL, SYS_sched_yield},
	{A64_NR_sched_getscheduler, "sched_getscheduler", NULL, SYS_sched_getscheduler},
	{A64_NR_sched_setscheduler, "sched_setscheduler", NULL, SYS_sched_setscheduler},
	{A64_NR_sched_getparam, "sched_getparam", sys_sched_param, 0},
	{A64_NR_sched_setparam, "sched_setparam", NULL, SYS_sched_setparam},
	{A64_NR_sched_get_priority_max, "sched_get_priority_max", NULL, SYS_sched_get_priority_max},
	{A64_NR_sched_get_priority_min, "sched_get_priority_min", NULL, SYS_sched_get_priority_min},
	{A64_NR_sched_rr_get_interval, "sched_rr_get_interval", sys_sched_rr_get_interval, 0},
	{A64_NR_sched_getattr, "sched_getattr", sys_sched_getattr, 0},
	{A64_NR_sched_setattr, "sched_setattr", NULL, SYS_sched_setattr},
	{A64_NR_getcpu, "getcpu", sys_getcpu, 0},
	{A64_NR_wait4, "wait4", sys_wait4, 0},
	{A64_NR_waitid, "waitid", sys_waitid, 0},
	{A64_NR_capget, "capget", sys_capget, 0},
	{A64_NR_capset, "capset", NULL, SYS_capset},
	{A64_NR_prctl, "prctl", sys_prctl, 0},
	{A64_NR_personality, "personality", sys_personality, 0},
	{A64_NR_unshare, "unshare", NULL, SYS_unshare},
	{A64_NR_setns, "setns", NULL, SYS_setns},
	{A64_NR_membarrier, "membarrier", NULL, SYS_membarrier},
	{A64_NR_pidfd_open, "pidfd_open", NULL, SYS_pidfd_open},
	{A64_NR_pidfd_send_signal, "pidfd_send_signal", NULL, SYS_pidfd_send_signal},
	{A64_NR_ioprio_get, "ioprio_get", NULL, SYS_ioprio_get},
	{A64_NR_ioprio_set, "ioprio_set", NULL, SYS_ioprio_set},
	{0, NULL, NULL, 0},
};
