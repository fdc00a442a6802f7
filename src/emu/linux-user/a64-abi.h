/* emu/linux-user/a64-abi: the arm64 Linux user ABI as a guest sees it, written down from the
 * kernel's uapi headers (asm-generic/unistd.h, asm-generic/stat.h, asm/sigcontext.h, ...):
 * system call numbers, and the structures and constants whose arm64 form differs from the
 * x86-64 host's. Everything else (errno values, signal numbers, most flags) is the same on
 * both and is used from the host's headers. Data only. */
#ifndef VIREO_LU_A64_ABI_H
#define VIREO_LU_A64_ABI_H

#include <stdint.h>

/* System call numbers (asm-generic/unistd.h, 64-bit). */
enum a64_nr {
	A64_NR_io_setup = 0,
	A64_NR_io_destroy = 1,
	A64_NR_io_submit = 2,
	A64_NR_io_cancel = 3,
	A64_NR_io_getevents = 4,
	A64_NR_setxattr = 5,
	A64_NR_lsetxattr = 6,
	A64_NR_fsetxattr = 7,
	A64_NR_getxattr = 8,
	A64_NR_lgetxattr = 9,
	A64_NR_fgetxattr = 10,
	A64_NR_listxattr = 11,
	A64_NR_llistxattr = 12,
	A64_NR_flistxattr = 13,
	A64_NR_removexattr = 14,
	A64_NR_lremovexattr = 15,
	A64_NR_fremovexattr = 16,
	A64_NR_getcwd = 17,
	A64_NR_lookup_dcookie = 18,
	A64_NR_eventfd2 = 19,
	A64_NR_epoll_create1 = 20,
	A64_NR_epoll_ctl = 21,
	A64_NR_epoll_pwait = 22,
	A64_NR_dup = 23,
	A64_NR_dup3 = 24,
	A64_NR_fcntl = 25,
	A64_NR_inotify_init1 = 26,
	A64_NR_inotify_add_watch = 27,
	A64_NR_inotify_rm_watch = 28,
	A64_NR_ioctl = 29,
	A64_NR_ioprio_set = 30,
	A64_NR_ioprio_get = 31,
	A64_NR_flock = 32,
	A64_NR_mknodat = 33,
	A64_NR_mkdirat = 34,
	A64_NR_unlinkat = 35,
	A64_NR_symlinkat = 36,
	A64_NR_linkat = 37,
	A64_NR_renameat = 38,
	A64_NR_umount2 = 39,
	A64_NR_mount = 40,
	A64_NR_pivot_root = 41,
	A64_NR_nfsservctl = 42,
	A64_NR_statfs = 43,
	A64_NR_fstatfs = 44,
	A64_NR_truncate = 45,
	A64_NR_ftruncate = 46,
	A64_NR_fallocate = 47,
	A64_NR_faccessat = 48,
	A64_NR_chdir = 49,
	A64_NR_fchdir = 50,
	A64_NR_chroot = 51,
	A64_NR_fchmod = 52,
	A64_NR_fchmodat = 53,
	A64_NR_fchownat = 54,
	A64_NR_fchown = 55,
	A64_NR_openat = 56,
	A64_NR_close = 57,
	A64_NR_vhangup = 58,
	A64_NR_pipe2 = 59,
	A64_NR_quotactl = 60,
	A64_NR_getdents64 = 61,
	A64_NR_lseek = 62,
	A64_NR_read = 63,
	A64_NR_write = 64,
	A64_NR_readv = 65,
	A64_NR_writev = 66,
	A64_NR_pread64 = 67,
	A64_NR_pwrite64 = 68,
	A64_NR_preadv = 69,
	A64_NR_pwritev = 70,
	A64_NR_sendfile = 71,
	A64_NR_pselect6 = 72,
	A64_NR_ppoll = 73,
	A64_NR_signalfd4 = 74,
	A64_NR_vmsplice = 75,
	A64_NR_splice = 76,
	A64_NR_tee = 77,
	A64_NR_readlinkat = 78,
	A64_NR_newfstatat = 79,
	A64_NR_fstat = 80,
	A64_NR_sync = 81,
	A64_NR_fsync = 82,
	A64_NR_fdatasync = 83,
	A64_NR_sync_file_range = 84,
	A64_NR_timerfd_create = 85,
	A64_NR_timerfd_settime = 86,
	A64_NR_timerfd_gettime = 87,
	A64_NR_utimensat = 88,
	A64_NR_acct = 89,
	A64_NR_capget = 90,
	A64_NR_capset = 91,
	A64_NR_personality = 92,
	A64_NR_exit = 93,
	A64_NR_exit_group = 94,
	A64_NR_waitid = 95,
	A64_NR_set_tid_address = 96,
	A64_NR_unshare = 97,
	A64_NR_futex = 98,
	A64_NR_set_robust_list = 99,
	A64_NR_get_robust_list = 100,
	A64_NR_nanosleep = 101,
	A64_NR_getitimer = 102,
	A64_NR_setitimer = 103,
	A64_NR_kexec_load = 104,
	A64_NR_init_module = 105,
	A64_NR_delete_module = 106,
	A64_NR_timer_create = 107,
	A64_NR_timer_gettime = 108,
	A64_NR_timer_getoverrun = 109,
	A64_NR_timer_settime = 110,
	A64_NR_timer_delete = 111,
	A64_NR_clock_settime = 112,
	A64_NR_clock_gettime = 113,
	A64_NR_clock_getres = 114,
	A64_NR_clock_nanosleep = 115,
	A64_NR_syslog = 116,
	A64_NR_ptrace = 117,
	A64_NR_sched_setparam = 118,
	A64_NR_sched_setscheduler = 119,
	A64_NR_sched_getscheduler = 120,
	A64_NR_sched_getparam = 121,
	A64_NR_sched_setaffinity = 122,
	A64_NR_sched_getaffinity = 123,
	A64_NR_sched_yield = 124,
	A64_NR_sched_get_priority_max = 125,
	A64_NR_sched_get_priority_min = 126,
	A64_NR_sched_rr_get_interval = 127,
	A64_NR_restart_syscall = 128,
	A64_NR_kill = 129,
	A64_NR_tkill = 130,
	A64_NR_tgkill = 131,
	A64_NR_sigaltstack = 132,
	A64_NR_rt_sigsuspend = 133,
	A64_NR_rt_sigaction = 134,
	A64_NR_rt_sigprocmask = 135,
	A64_NR_rt_sigpending = 136,
	A64_NR_rt_sigtimedwait = 137,
	A64_NR_rt_sigqueueinfo = 138,
	A64_NR_rt_sigreturn = 139,
	A64_NR_setpriority = 140,
	A64_NR_getpriority = 141,
	A64_NR_reboot = 142,
	A64_NR_setregid = 143,
	A64_NR_setgid = 144,
	A64_NR_setreuid = 145,
	A64_NR_setuid = 146,
	A64_NR_setresuid = 147,
	A64_NR_getresuid = 148,
	A64_NR_setresgid = 149,
	A64_NR_getresgid = 150,
	A64_NR_setfsuid = 151,
	A64_NR_setfsgid = 152,
	A64_NR_times = 153,
	A64_NR_setpgid = 154,
	A64_NR_getpgid = 155,
	A64_NR_getsid = 156,
	A64_NR_setsid = 157,
	A64_NR_getgroups = 158,
	A64_NR_setgroups = 159,
	A64_NR_uname = 160,
	A64_NR_sethostname = 161,
	A64_NR_setdomainname = 162,
	A64_NR_getrlimit = 163,
	A64_NR_setrlimit = 164,
	A64_NR_getrusage = 165,
	A64_NR_umask = 166,
	A64_NR_prctl = 167,
	A64_NR_getcpu = 168,
	A64_NR_gettimeofday = 169,
	A64_NR_settimeofday = 170,
	A64_NR_adjtimex = 171,
	A64_NR_getpid = 172,
	A64_NR_getppid = 173,
	A64_NR_getuid = 174,
	A64_NR_geteuid = 175,
	A64_NR_getgid = 176,
	A64_NR_getegid = 177,
	A64_NR_gettid = 178,
	A64_NR_sysinfo = 179,
	A64_NR_mq_open = 180,
	A64_NR_mq_unlink = 181,
	A64_NR_mq_timedsend = 182,
	A64_NR_mq_timedreceive = 183,
	A64_NR_mq_notify = 184,
	A64_NR_mq_getsetattr = 185,
	A64_NR_msgget = 186,
	A64_NR_msgctl = 187,
	A64_NR_msgrcv = 188,
	A64_NR_msgsnd = 189,
	A64_NR_semget = 190,
	A64_NR_semctl = 191,
	A64_NR_semtimedop = 192,
	A64_NR_semop = 193,
	A64_NR_shmget = 194,
	A64_NR_shmctl = 195,
	A64_NR_shmat = 196,
	A64_NR_shmdt = 197,
	A64_NR_socket = 198,
	A64_NR_socketpair = 199,
	A64_NR_bind = 200,
	A64_NR_listen = 201,
	A64_NR_accept = 202,
	A64_NR_connect = 203,
	A64_NR_getsockname = 204,
	A64_NR_getpeername = 205,
	A64_NR_sendto = 206,
	A64_NR_recvfrom = 207,
	A64_NR_setsockopt = 208,
	A64_NR_getsockopt = 209,
	A64_NR_shutdown = 210,
	A64_NR_sendmsg = 211,
	A64_NR_recvmsg = 212,
	A64_NR_readahead = 213,
	A64_NR_brk = 214,
	A64_NR_munmap = 215,
	A64_NR_mremap = 216,
	A64_NR_add_key = 217,
	A64_NR_request_key = 218,
	A64_NR_keyctl = 219,
	A64_NR_clone = 220,
	A64_NR_execve = 221,
	A64_NR_mmap = 222,
	A64_NR_fadvise64 = 223,
	A64_NR_swapon = 224,
	A64_NR_swapoff = 225,
	A64_NR_mprotect = 226,
	A64_NR_msync = 227,
	A64_NR_mlock = 228,
	A64_NR_munlock = 229,
	A64_NR_mlockall = 230,
	A64_NR_munlockall = 231,
	A64_NR_mincore = 232,
	A64_NR_madvise = 233,
	A64_NR_remap_file_pages = 234,
	A64_NR_mbind = 235,
	A64_NR_get_mempolicy = 236,
	A64_NR_set_mempolicy = 237,
	A64_NR_migrate_pages = 238,
	A64_NR_move_pages = 239,
	A64_NR_rt_tgsigqueueinfo = 240,
	A64_NR_perf_event_open = 241,
	A64_NR_accept4 = 242,
	A64_NR_recvmmsg = 243,
	A64_NR_wait4 = 260,
	A64_NR_prlimit64 = 261,
	A64_NR_fanotify_init = 262,
	A64_NR_fanotify_mark = 263,
	A64_NR_name_to_handle_at = 264,
	A64_NR_open_by_handle_at = 265,
	A64_NR_clock_adjtime = 266,
	A64_NR_syncfs = 267,
	A64_NR_setns = 268,
	A64_NR_sendmmsg = 269,
	A64_NR_process_vm_readv = 270,
	A64_NR_process_vm_writev = 271,
	A64_NR_kcmp = 272,
	A64_NR_finit_module = 273,
	A64_NR_sched_setattr = 274,
	A64_NR_sched_getattr = 275,
	A64_NR_renameat2 = 276,
	A64_NR_seccomp = 277,
	A64_NR_getrandom = 278,
	A64_NR_memfd_create = 279,
	A64_NR_bpf = 280,
	A64_NR_execveat = 281,
	A64_NR_userfaultfd = 282,
	A64_NR_membarrier = 283,
	A64_NR_mlock2 = 284,
	A64_NR_copy_file_range = 285,
	A64_NR_preadv2 = 286,
	A64_NR_pwritev2 = 287,
	A64_NR_pkey_mprotect = 288,
	A64_NR_pkey_alloc = 289,
	A64_NR_pkey_free = 290,
	A64_NR_statx = 291,
	A64_NR_io_pgetevents = 292,
	A64_NR_rseq = 293,
	A64_NR_kexec_file_load = 294,
	A64_NR_pidfd_send_signal = 424,
	A64_NR_io_uring_setup = 425,
	A64_NR_io_uring_enter = 426,
	A64_NR_io_uring_register = 427,
	A64_NR_open_tree = 428,
	A64_NR_move_mount = 429,
	A64_NR_fsopen = 430,
	A64_NR_fsconfig = 431,
	A64_NR_fsmount = 432,
	A64_NR_fspick = 433,
	A64_NR_pidfd_open = 434,
	A64_NR_clone3 = 435,
	A64_NR_close_range = 436,
	A64_NR_openat2 = 437,
	A64_NR_pidfd_getfd = 438,
	A64_NR_faccessat2 = 439,
	A64_NR_process_madvise = 440,
	A64_NR_epoll_pwait2 = 441,
	A64_NR_mount_setattr = 442,
	A64_NR_quotactl_fd = 443,
	A64_NR_landlock_create_ruleset = 444,
	A64_NR_landlock_add_rule = 445,
	A64_NR_landlock_restrict_self = 446,
	A64_NR_memfd_secret = 447,
	A64_NR_process_mrelease = 448,
	A64_NR_futex_waitv = 449,
	A64_NR_set_mempolicy_home_node = 450,
	A64_NR_COUNT = 512, /* numbers at or above this are unknown */
};

/* struct stat of asm-generic/stat.h (x86-64's differs: st_nlink is 64-bit and comes first). */
struct a64_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	int64_t st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t unused4;
	uint32_t unused5;
};
_Static_assert(sizeof(struct a64_stat) == 128, "arm64 struct stat is 128 bytes");

/* struct epoll_event: natural alignment on arm64 (16 bytes), packed on x86-64 (12). */
struct a64_epoll_event {
	uint32_t events;
	uint32_t pad;
	uint64_t data;
};

/* open(2) flags whose values differ (asm/fcntl.h of arm64 vs x86-64). */
#define A64_O_DIRECTORY 0040000
#define A64_O_NOFOLLOW 0100000
#define A64_O_DIRECT 0200000
#define A64_O_LARGEFILE 0400000

/* mmap/mprotect protection bits arm64 adds (asm/mman.h). */
#define A64_PROT_BTI 0x10
#define A64_PROT_MTE 0x20

/* Signal frame pieces (asm/sigcontext.h, asm/ucontext.h). */
#define A64_FPSIMD_MAGIC 0x46508001u
#define A64_ESR_MAGIC 0x45535201u
#define A64_MINSIGSTKSZ 5120
#define A64_SA_RESTORER 0x04000000u

/* The auxiliary vector's keys (uapi linux/auxvec.h and asm/auxvec.h). */
#define A64_AT_NULL 0
#define A64_AT_PHDR 3
#define A64_AT_PHENT 4
#define A64_AT_PHNUM 5
#define A64_AT_PAGESZ 6
#define A64_AT_BASE 7
#define A64_AT_FLAGS 8
#define A64_AT_ENTRY 9
#define A64_AT_UID 11
#define A64_AT_EUID 12
#define A64_AT_GID 13
#define A64_AT_EGID 14
#define A64_AT_PLATFORM 15
#define A64_AT_HWCAP 16
#define A64_AT_CLKTCK 17
#define A64_AT_SECURE 23
#define A64_AT_RANDOM 25
#define A64_AT_HWCAP2 26
#define A64_AT_EXECFN 31
#define A64_AT_MINSIGSTKSZ 51

/* struct utsname field length. */
#define A64_UTS_LEN 65

#endif
