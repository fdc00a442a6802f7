/* emu/linux-user/sys-time: clocks, sleeps and timers. struct timespec, timeval, itimerspec,
 * itimerval and timex have the same layout on arm64 and x86-64: only the output buffers need
 * checking. Touches: nothing but the guest buffers it is given. */
#include "emu/linux-user/sys.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

static long sys_clock_gettime(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct timespec)))
		return -EFAULT;
	return lu_ret(syscall(SYS_clock_gettime, (clockid_t)a[0], a[1]));
}

static long sys_clock_getres(struct lu_thread *t, const uint64_t *a)
{
	if (a[1] && W(t, a[1], sizeof(struct timespec)))
		return -EFAULT;
	return lu_ret(syscall(SYS_clock_getres, (clockid_t)a[0], a[1]));
}

static long sys_gettimeofday(struct lu_thread *t, const uint64_t *a)
{
	if ((a[0] && W(t, a[0], sizeof(struct timeval))) || (a[1] && W(t, a[1], 8)))
		return -EFAULT;
	return lu_ret(syscall(SYS_gettimeofday, a[0], a[1]));
}

static long sys_nanosleep(struct lu_thread *t, const uint64_t *a)
{
	if (a[1] && W(t, a[1], sizeof(struct timespec)))
		return -EFAULT;
	return SAFE(t, SYS_nanosleep, a[0], a[1]);
}

static long sys_clock_nanosleep(struct lu_thread *t, const uint64_t *a)
{
	if (a[3] && W(t, a[3], sizeof(struct timespec)))
		return -EFAULT;
	return SAFE(t, SYS_clock_nanosleep, (clockid_t)a[0], (int)a[1], a[2], a[3]);
}

static long sys_getitimer(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct itimerval)))
		return -EFAULT;
	return lu_ret(syscall(SYS_getitimer, (int)a[0], a[1]));
}

static long sys_setitimer(struct lu_thread *t, const uint64_t *a)
{
	if (a[2] && W(t, a[2], sizeof(struct itimerval)))
		return -EFAULT;
	return lu_ret(syscall(SYS_setitimer, (int)a[0], a[1], a[2]));
}

static long sys_timer_create(struct lu_thread *t, const uint64_t *a)
{
	/* struct sigevent is 64 bytes on both; SIGEV_THREAD_ID names a host thread id, which
	 * is the guest's thread id too. */
	if (W(t, a[2], sizeof(int)))
		return -EFAULT;
	return lu_ret(syscall(SYS_timer_create, (clockid_t)a[0], a[1], a[2]));
}

static long sys_timer_settime(struct lu_thread *t, const uint64_t *a)
{
	if (a[3] && W(t, a[3], sizeof(struct itimerspec)))
		return -EFAULT;
	return lu_ret(syscall(SYS_timer_settime, (int)a[0], (int)a[1], a[2], a[3]));
}

static long sys_timer_gettime(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct itimerspec)))
		return -EFAULT;
	return lu_ret(syscall(SYS_timer_gettime, (int)a[0], a[1]));
}

static long sys_timerfd_settime(struct lu_thread *t, const uint64_t *a)
{
	if (a[3] && W(t, a[3], sizeof(struct itimerspec)))
		return -EFAULT;
	return lu_ret(syscall(SYS_timerfd_settime, (int)a[0], (int)a[1], a[2], a[3]));
}

static long sys_timerfd_gettime(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct itimerspec)))
		return -EFAULT;
	return lu_ret(syscall(SYS_timerfd_gettime, (int)a[0], a[1]));
}

static long sys_adjtimex(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[0], sizeof(struct timex)))
		return -EFAULT;
	return lu_ret(syscall(SYS_adjtimex, a[0]));
}

static long sys_clock_adjtime(struct lu_thread *t, const uint64_t *a)
{
	if (W(t, a[1], sizeof(struct timex)))
		return -EFAULT;
	return lu_ret(syscall(SYS_clock_adjtime, (clockid_t)a[0], a[1]));
}

const struct lu_sysent lu_sys_time[] = {
	{A64_NR_clock_gettime, "clock_gettime", sys_clock_gettime, 0},
	{A64_NR_clock_getres, "clock_getres", sys_clock_getres, 0},
	{A64_NR_clock_settime, "clock_settime", NULL, SYS_clock_settime},
	{A64_NR_gettimeofday, "gettimeofday", sys_gettimeofday, 0},
	{A64_NR_settimeofday, "settimeofday", NULL, SYS_settimeofday},
	{A64_NR_nanosleep, "nanosleep", sys_nanosleep, 0},
	{A64_NR_clock_nanosleep, "clock_nanosleep", sys_clock_nanosleep, 0},
	{A64_NR_getitimer, "getitimer", sys_getitimer, 0},
	{A64_NR_setitimer, "setitimer", sys_setitimer, 0},
	{A64_NR_timer_create, "timer_create", sys_timer_create, 0},
	{A64_NR_timer_settime, "timer_settime", sys_timer_settime, 0},
	{A64_NR_timer_gettime, "timer_gettime", sys_timer_gettime, 0},
	{A64_NR_timer_getoverrun, "timer_getoverrun", NULL, SYS_timer_getoverrun},
	{A64_NR_timer_delete, "timer_delete", NULL, SYS_timer_delete},
	{A64_NR_timerfd_create, "timerfd_create", NULL, SYS_timerfd_create},
	{A64_NR_timerfd_settime, "timerfd_settime", sys_timerfd_settime, 0},
	{A64_NR_timerfd_gettime, "timerfd_gettime", sys_timerfd_gettime, 0},
	{A64_NR_adjtimex, "adjtimex", sys_adjtimex, 0},
	{A64_NR_clock_adjtime, "clock_adjtime", sys_clock_adjtime, 0},
	{0, NULL, NULL, 0},
};
