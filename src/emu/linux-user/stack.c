/* emu/linux-user/stack: the guest's initial stack, laid out as Linux arm64's binfmt_elf
 * (create_elf_tables) does. From the top: a zero word, the AT_EXECFN string, the environment
 * strings, the argument strings (argv[0] lowest), 16-byte alignment, the AT_PLATFORM string,
 * the 16 AT_RANDOM bytes; below them, 16-byte aligned: argc, argv[], NULL, envp[], NULL and the
 * auxiliary vector. No vDSO: no AT_SYSINFO_EHDR (glibc then makes real system calls).
 * Touches: guest memory (a new stack mapping), the process context (its saved auxv, where the
 * argument strings are). */
#include "emu/linux-user/lu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "emu/aarch64/features.h"

#define STACK_DEFAULT (8ull << 20)
#define STACK_MIN (256ull << 10)
#define ARG_STRLEN_MAX (32 * 4096) /* MAX_ARG_STRLEN */
/* The kernel's signal_minsigstksz for a CPU without SVE/SME: the whole rt_sigframe (siginfo
 * 128 + ucontext 4560), a frame record and alignment (16 + 16). Our frames have that size. */
#define MINSIGSTKSZ_A64 4720

static uint64_t stack_size(void)
{
	struct rlimit rl;
	uint64_t size = STACK_DEFAULT;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < size)
		size = rl.rlim_cur < STACK_MIN ? STACK_MIN : rl.rlim_cur;
	return LU_PAGE_UP(size);
}

static size_t count(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int lu_stack_setup(struct lu_proc *p, const struct lu_exec_args *ea, uint64_t *sp_out,
		   struct vireo_err *err)
{
	uint64_t size = stack_size();
	size_t argc = count(ea->argv), envc = count(ea->envp);
	/* Strings may take a quarter of the stack, as Linux allows. */
	uint64_t strbytes = strlen(ea->execfn) + 1;
	for (size_t i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? ea->argv[i] : ea->envp[i - argc];
		size_t l = strlen(s) + 1;
		if (l > ARG_STRLEN_MAX)
			return verr(err, E2BIG, "argument or environment string too long (%zu bytes)", l);
		strbytes += l;
	}
	uint64_t need = strbytes + (argc + envc + 3) * 8 + 64 * 8 + 64;
	if (need > size / 4)
		return verr(err, E2BIG, "argument list too long (%llu bytes)",
			    (unsigned long long)strbytes);

	/* The stack and a guard page under it (not the guest's: touching it is SEGV_MAPERR). */
	void *r = mmap(NULL, size + LU_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return verr_sys(err, errno, "cannot map the guest stack (%llu bytes)",
				(unsigned long long)size);
	uint64_t base = (uint64_t)(uintptr_t)r;
	mprotect(r, LU_PAGE, PROT_NONE);
	if (lu_pt_set(&p->mem, base + LU_PAGE, size,
		      PT_VALID | PT_R | PT_W | (ea->prog->exec_stack ? PT_X : 0)) < 0)
		return verr(err, ENOMEM, "out of memory");
	uint64_t top = base + LU_PAGE + size;

	/* Strings, from the top down. */
	uint64_t pos = top - 8;
	memset((void *)(uintptr_t)pos, 0, 8);
	size_t l = strlen(ea->execfn) + 1;
	pos -= l;
	uint64_t execfn = pos;
	memcpy((void *)(uintptr_t)pos, ea->execfn, l);
	uint64_t *argp = calloc(argc + envc + 1, sizeof *argp);
	if (!argp)
		return verr(err, ENOMEM, "out of memory");
	for (size_t i = argc + envc; i-- > 0;) {
		const char *s = i < argc ? ea->argv[i] : ea->envp[i - argc];
		l = strlen(s) + 1;
		pos -= l;
		memcpy((void *)(uintptr_t)pos, s, l);
		argp[i] = pos;
	}
	/* What Linux shows in /proc/PID/cmdline: the argument strings, as they are now. */
	p->arg_start = argc ? argp[0] : 0;
	p->arg_end = argc ? argp[argc - 1] + strlen(ea->argv[argc - 1]) + 1 : 0;
	pos &= ~15ull;
	static const char platform[] = "aarch64";
	pos -= sizeof platform;
	uint64_t plat = pos;
	memcpy((void *)(uintptr_t)pos, platform, sizeof platform);
	pos -= 16;
	uint64_t rnd = pos;
	unsigned char bytes[16];
	if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
		free(argp);
		return verr_sys(err, errno, "getrandom");
	}
	memcpy((void *)(uintptr_t)rnd, bytes, sizeof bytes);

	/* The auxiliary vector, in the order Linux arm64 writes it. */
	uint64_t aux[2 * 32];
	size_t n = 0;
#define AUX(k, v) (aux[n++] = (k), aux[n++] = (uint64_t)(v))
	AUX(A64_AT_MINSIGSTKSZ, MINSIGSTKSZ_A64);
	AUX(A64_AT_HWCAP, a64_hwcap());
	AUX(A64_AT_PAGESZ, LU_PAGE);
	AUX(A64_AT_CLKTCK, sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100);
	AUX(A64_AT_PHDR, ea->prog->phdr);
	AUX(A64_AT_PHENT, 56);
	AUX(A64_AT_PHNUM, ea->prog->phnum);
	AUX(A64_AT_BASE, ea->interp ? ea->interp->bias : 0);
	AUX(A64_AT_FLAGS, 0);
	AUX(A64_AT_ENTRY, ea->prog->entry);
	AUX(A64_AT_UID, getuid());
	AUX(A64_AT_EUID, geteuid());
	AUX(A64_AT_GID, getgid());
	AUX(A64_AT_EGID, getegid());
	AUX(A64_AT_SECURE, 0);
	AUX(A64_AT_RANDOM, rnd);
	AUX(A64_AT_HWCAP2, a64_hwcap2());
	AUX(A64_AT_EXECFN, execfn);
	AUX(A64_AT_PLATFORM, plat);
	AUX(A64_AT_NULL, 0);
#undef AUX

	size_t items = (argc + 1) + (envc + 1) + 1;
	uint64_t sp = (pos - n * 8 - items * 8) & ~15ull;
	uint64_t *w = (uint64_t *)(uintptr_t)sp;
	*w++ = argc;
	for (size_t i = 0; i < argc; i++)
		*w++ = argp[i];
	*w++ = 0;
	for (size_t i = 0; i < envc; i++)
		*w++ = argp[argc + i];
	*w++ = 0;
	memcpy(w, aux, n * 8);
	free(argp);

	free(p->auxv);
	p->auxv = malloc(n * 8);
	if (!p->auxv)
		return verr(err, ENOMEM, "out of memory");
	memcpy(p->auxv, aux, n * 8);
	p->auxv_len = n * 8;
	*sp_out = sp;
	return 0;
}
