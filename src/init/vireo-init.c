/* init/vireo-init: the minimal PID 1 Vireo gives a container whose template has no init.
 * It reaps orphans and, on SIGTERM (or SIGINT, SIGPWR, SIGRTMIN+3), asks every process to
 * end, waits a little, kills what is left and exits 0. Freestanding x86-64: no libc, raw
 * system calls only, no signal handlers (all signals are blocked and taken synchronously
 * with rt_sigtimedwait), so it runs in any root file system: each container executes its own
 * copy from a read-only tmpfs of its own (src/ct/initfs.c).
 * It touches nothing but its own process and the processes of its PID namespace. */

#define SYS_rt_sigprocmask 14
#define SYS_kill 62
#define SYS_wait4 61
#define SYS_exit_group 231
#define SYS_rt_sigtimedwait 128
#define SYS_prctl 157
#define PR_SET_NAME 15

#define SIGINT 2
#define SIGKILL 9
#define SIGTERM 15
#define SIGCHLD 17
#define SIGPWR 30
#define SIGRTMIN_3 37 /* systemd's "halt" request, which container managers send */
#define WNOHANG 1
#define ECHILD 10
#define EAGAIN 11
#define SIG_BLOCK 0

#define GRACE_MS 3000

struct ktimespec {
	long tv_sec, tv_nsec;
};

struct ksiginfo {
	int si_signo, si_errno, si_code, pad;
	char rest[112];
};

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static __attribute__((noreturn)) void sys_exit(int code)
{
	for (;;)
		sys6(SYS_exit_group, code, 0, 0, 0, 0, 0);
}

/* Reap every exited child; returns 1 when no child is left. */
static int reap(void)
{
	for (;;) {
		int status;
		long r = sys6(SYS_wait4, -1, (long)&status, WNOHANG, 0, 0, 0);
		if (r == -ECHILD)
			return 1;
		if (r <= 0)
			return 0;
	}
}

static long wait_signal(const unsigned long *set, long timeout_ms)
{
	struct ksiginfo info;
	struct ktimespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	return sys6(SYS_rt_sigtimedwait, (long)set, (long)&info, timeout_ms < 0 ? 0 : (long)&ts,
		    8, 0, 0);
}

static __attribute__((noreturn)) void shutdown(const unsigned long *set)
{
	sys6(SYS_kill, -1, SIGTERM, 0, 0, 0, 0);
	for (long waited = 0; waited < GRACE_MS; waited += 100) {
		if (reap())
			sys_exit(0);
		wait_signal(set, 100);
	}
	sys6(SYS_kill, -1, SIGKILL, 0, 0, 0, 0);
	while (!reap())
		wait_signal(set, 100);
	sys_exit(0);
}

void init_main(void);
void init_main(void)
{
	unsigned long all = ~0UL;
	/* Whatever file name we were executed under, ps shows us as init. */
	sys6(SYS_prctl, PR_SET_NAME, (long)"init", 0, 0, 0, 0);
	sys6(SYS_rt_sigprocmask, SIG_BLOCK, (long)&all, 0, 8, 0, 0);
	for (;;) {
		long sig = wait_signal(&all, -1);
		switch (sig) {
		case SIGCHLD:
			reap();
			break;
		case SIGTERM:
		case SIGINT:
		case SIGPWR:
		case SIGRTMIN_3:
			shutdown(&all);
		default:
			break; /* every other signal is ignored, as a PID 1 should */
		}
	}
}

/* Entry point: align the stack and call init_main; it never returns. */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	and $-16, %rsp\n"
	"	call init_main\n"
	"	hlt\n");
