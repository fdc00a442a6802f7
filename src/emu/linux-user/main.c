/* emu/linux-user/main: the vireo-aarch64 command. Parses the command line (qemu-aarch64's
 * -L, -E, -U), loads the program and its interpreter, builds the initial stack and runs the
 * first guest thread. Also a binfmt_misc interpreter: then the program's path comes first.
 * Prints "vireo-aarch64: <message>" once and exits non-zero when the program cannot start.
 * Touches: the process context it creates; nothing else. */
#include "emu/linux-user/lu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define USAGE \
	"usage: vireo-aarch64 [-L SYSROOT] [-E VAR=VALUE]... [-U VAR]... [-0 ARGV0] PROGRAM [ARG...]"

struct opts {
	const char *sysroot;
	const char *argv0; /* -0: the guest's argv[0] when not PROGRAM (execve, binfmt_misc P) */
	const char **edits; /* "VAR=VALUE" to set, "VAR" to unset, in command-line order */
	size_t nedits;
	int prog; /* argv index of the program */
};

/* 0, or 2 with a message for a usage error. -1 for --help/--version (printed, exit 0). */
static int parse_args(int argc, char **argv, struct opts *o, struct vireo_err *err)
{
	memset(o, 0, sizeof *o);
	o->edits = calloc((size_t)argc + 1, sizeof *o->edits);
	if (!o->edits)
		return verr(err, ENOMEM, "out of memory");
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == 0)
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("%s\n", USAGE);
			return -1;
		}
		if (!strcmp(a, "--version")) {
			printf("vireo-aarch64 0.1.0\n");
			return -1;
		}
		bool takes = !strcmp(a, "-L") || !strcmp(a, "-E") || !strcmp(a, "-U") || !strcmp(a, "-0");
		if (!takes)
			return verr(err, EINVAL, "unknown option %s (%s)", a, USAGE);
		if (i + 1 >= argc)
			return verr(err, EINVAL, "option %s needs an argument", a);
		const char *v = argv[++i];
		if (a[1] == 'L') {
			o->sysroot = v;
		} else if (a[1] == '0') {
			o->argv0 = v;
		} else if (a[1] == 'E') {
			if (!strchr(v, '=') || v[0] == '=')
				return verr(err, EINVAL, "-E %s: expected VAR=VALUE", v);
			o->edits[o->nedits++] = v;
		} else {
			if (!v[0] || strchr(v, '='))
				return verr(err, EINVAL, "-U %s: expected a variable name", v);
			o->edits[o->nedits++] = v;
		}
	}
	if (i >= argc)
		return verr(err, EINVAL, "no program given (%s)", USAGE);
	o->prog = i;
	return 0;
}

static bool same_var(const char *entry, const char *name, size_t nlen)
{
	return !strncmp(entry, name, nlen) && entry[nlen] == '=';
}

/* The guest's environment: ours with the -E/-U edits applied, and the loader's variables an
 * emulator re-executing itself passed under LU_GUEST_ENV_PREFIX renamed back (exec.c). */
static char **guest_env(const struct opts *o)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **env = calloc(n + o->nedits + 1, sizeof *env);
	if (!env)
		return NULL;
	size_t m = 0;
	const size_t plen = sizeof LU_GUEST_ENV_PREFIX - 1;
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(environ[i], LU_GUEST_ENV_PREFIX, plen) && strchr(environ[i] + plen, '='))
			env[m++] = environ[i] + plen;
		else
			env[m++] = environ[i];
	}
	for (size_t k = 0; k < o->nedits; k++) {
		const char *ed = o->edits[k], *eq = strchr(ed, '=');
		size_t nlen = eq ? (size_t)(eq - ed) : strlen(ed);
		size_t j = 0;
		for (size_t i = 0; i < m; i++)
			if (!same_var(env[i], ed, nlen))
				env[j++] = env[i];
		m = j;
		if (eq)
			env[m++] = (char *)ed;
	}
	env[m] = NULL;
	return env;
}

static unsigned parse_log(const char *s)
{
	unsigned m = 0;
	if (!s)
		return 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "unimp"))
			m |= LU_LOG_UNIMP;
		else if (!strcmp(w, "strace"))
			m |= LU_LOG_STRACE;
		else if (!strcmp(w, "all"))
			m |= ~0u;
	}
	return m;
}

/* The interpreter's host path: under the sysroot first, then as named. */
static int find_interp(const struct lu_proc *p, const char *prog, const char *interp, char *out,
		       size_t outlen, struct vireo_err *err)
{
	if (p->sysroot && interp[0] == '/') {
		int n = snprintf(out, outlen, "%s%s", p->sysroot, interp);
		if (n > 0 && (size_t)n < outlen && access(out, F_OK) == 0)
			return 0;
	}
	if (access(interp, F_OK) == 0) {
		snprintf(out, outlen, "%s", interp);
		return 0;
	}
	if (p->sysroot)
		return verr(err, ENOENT, "%s: interpreter %s not found (looked in %s and /)", prog,
			    interp, p->sysroot);
	return verr(err, ENOENT, "%s: interpreter %s not found (give its root with -L SYSROOT)",
		    prog, interp);
}

static int start(struct lu_proc *p, const struct opts *o, int argc, char **argv,
		 struct lu_thread **tp, struct vireo_err *err)
{
	const char *prog = argv[o->prog];
	struct tb_hooks hooks = {.code_page_added = lu_code_page_added, .owner = &p->mem};
	int rc = tb_cache_init(&p->tbs, &hooks);
	if (rc < 0)
		return verr_sys(err, -rc, "tb cache");
	rc = lu_mem_init(&p->mem, &p->tbs);
	if (rc < 0)
		return verr_sys(err, -rc, "page table");
	pthread_mutex_init(&p->sig_lock, NULL);
	/* Absolute, so it survives the guest's chdir and is passed on by execve. */
	if (o->sysroot) {
		char *abs = realpath(o->sysroot, NULL);
		if (!abs)
			return verr_sys(err, errno, "-L %s", o->sysroot);
		p->sysroot = abs;
	}
	/* The emulator's own file, for execve of arm64 programs. */
	ssize_t n = readlink("/proc/self/exe", p->emu_path, sizeof p->emu_path - 1);
	if (n <= 0)
		snprintf(p->emu_path, sizeof p->emu_path, "/proc/self/exe");
	else
		p->emu_path[n] = 0;
	p->log = parse_log(getenv("VIREO_LOG"));
	lu_syscall_init(p);
	/* Ignored signals stay ignored across execve: the guest starts with them so. */
	for (int sig = 1; sig <= 64; sig++) {
		struct sigaction old;
		if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			p->sigact[sig].handler = 1;
	}
	rc = lu_signal_init(p, err);
	if (rc < 0)
		return rc;

	struct lu_image img, iimg;
	rc = lu_elf_load(p, prog, false, &img, err);
	if (rc < 0)
		return rc;
	if (!realpath(prog, p->exe))
		snprintf(p->exe, sizeof p->exe, "%s", prog);
	/* The task's name (/proc/self/comm, stat, status) is the program's, as execve makes it. */
	const char *base = strrchr(prog, '/');
	prctl(PR_SET_NAME, base ? base + 1 : prog, 0, 0, 0);
	if (img.has_interp) {
		char ipath[PATH_MAX];
		rc = find_interp(p, prog, img.interp, ipath, sizeof ipath, err);
		if (rc < 0)
			return rc;
		rc = lu_elf_load(p, ipath, true, &iimg, err);
		if (rc < 0)
			return rc;
	}
	p->mem.brk_start = p->mem.brk_cur = p->mem.brk_end = img.hi;

	char **env = guest_env(o);
	if (!env)
		return verr(err, ENOMEM, "out of memory");
	char **gargv = argv + o->prog;
	if (o->argv0)
		gargv[0] = (char *)o->argv0;
	struct lu_exec_args ea = {
		.argv = gargv,
		.envp = env,
		.execfn = prog,
		.prog = &img,
		.interp = img.has_interp ? &iimg : NULL,
	};
	(void)argc;
	uint64_t sp;
	rc = lu_stack_setup(p, &ea, &sp, err);
	free(env);
	if (rc < 0)
		return rc;

	struct lu_thread *t = calloc(1, sizeof *t);
	if (!t)
		return verr(err, ENOMEM, "out of memory");
	*tp = t;
	t->proc = p;
	t->cpu.x[REG_SP] = sp;
	t->cpu.pc = img.has_interp ? iimg.entry : img.entry;
	t->cpu.base = 0;
	t->cpu.tbs = &p->tbs;
	t->cpu.owner = t;
	t->runner.cpu = &t->cpu;
	t->tid = getpid();
	p->nthreads = 1;
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	for (int sig = 1; sig <= 64; sig++)
		if (sigismember(&cur, sig) == 1)
			t->sigmask |= LU_SIGBIT(sig);
	return lu_fault_init(t, err);
}

int main(int argc, char **argv)
{
	struct vireo_err err = {0};
	struct opts o;
	int rc = parse_args(argc, argv, &o, &err);
	if (rc < 0)
		free(o.edits);
	if (rc == -1)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "vireo-aarch64: %s\n", err.msg);
		return 2;
	}
	struct lu_proc *p = calloc(1, sizeof *p);
	if (!p) {
		fprintf(stderr, "vireo-aarch64: out of memory\n");
		return 1;
	}
	struct lu_thread *t = NULL;
	rc = start(p, &o, argc, argv, &t, &err);
	free(o.edits);
	if (rc < 0) {
		fprintf(stderr, "vireo-aarch64: %s\n", err.msg);
		if (p->mem.tbs)
			lu_mem_destroy(&p->mem);
		free((char *)p->sysroot);
		free(p->auxv);
		free(t);
		free(p);
		return 1;
	}
	lu_thread_enter(t);
	lu_cpu_loop(t);
}
