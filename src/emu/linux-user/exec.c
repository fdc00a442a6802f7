/* emu/linux-user/exec: execve(2) for the guest. An arm64 ELF program stays under the emulator
 * (the emulator executes itself: -0 ARGV0, the same -L, the program's host path); a "#!"
 * script is opened as Linux does (interpreter, its optional argument, the script's path) and
 * its interpreter goes through the same choice; anything else (a host program) is executed by
 * the host. With -L, absolute paths are looked up under the sysroot first. The guest's
 * variables that the host's dynamic loader and libc read at start-up (LD_*, GLIBC_TUNABLES,
 * MALLOC_*) are for the guest's loader, not the emulator's: the emulator re-executing itself
 * passes them as VIREO_GUEST_<entry> (LU_GUEST_ENV_PREFIX), which main.c renames back.
 * Touches: the process image (on success it is replaced). */
#include "emu/linux-user/sys.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_ARGS (1u << 20)
#define MAX_ARG_BYTES (32ull << 20)
#define MAX_SCRIPT_DEPTH 4

/* A guest NULL-terminated array of strings, as host pointers into guest memory (valid until
 * the exec). NULL counts as empty. Returns the count or -errno; *total adds the bytes. */
static long read_strv(struct lu_proc *p, uint64_t gv, char ***out, uint64_t *total)
{
	*out = NULL;
	size_t n = 0, cap = 0;
	char **v = NULL;
	for (; gv; n++) {
		uint64_t s;
		if (n >= MAX_ARGS || lu_get(&p->mem, &s, gv + n * 8, 8) < 0) {
			free(v);
			return n >= MAX_ARGS ? -E2BIG : -EFAULT;
		}
		if (!s)
			break;
		long l = lu_strnlen(&p->mem, s, 128 * 1024);
		if (l < 0) {
			free(v);
			return l == -ENAMETOOLONG ? -E2BIG : l;
		}
		*total += (uint64_t)l + 1;
		if (*total > MAX_ARG_BYTES) {
			free(v);
			return -E2BIG;
		}
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 16;
			char **nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n] = (char *)(uintptr_t)s;
	}
	if (!v && !(v = calloc(1, sizeof *v)))
		return -ENOMEM;
	v[n] = NULL;
	*out = v;
	return (long)n;
}

/* A host path for a guest-visible path string (already in host memory): the sysroot's copy
 * when there is one. */
static const char *host_path(struct lu_proc *p, const char *s, char *buf)
{
	if (p->sysroot && s[0] == '/' && s[1] && strncmp(s, "/proc/", 6) && strncmp(s, "/dev/", 5)) {
		int k = snprintf(buf, PATH_MAX, "%s%s", p->sysroot, s);
		if (k > 0 && k < PATH_MAX && faccessat(AT_FDCWD, buf, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			return buf;
	}
	return s;
}

enum kind { K_HOST, K_A64, K_SCRIPT };

/* What the file at path is; for a script, its interpreter line is split into interp/arg. */
static long classify(const char *path, enum kind *k, char *line, size_t linelen, char **interp,
		     char **arg)
{
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return -errno;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EACCES;
	}
	ssize_t n = pread(fd, line, linelen - 1, 0);
	close(fd);
	if (n < 0)
		return -errno;
	line[n] = 0;
	*k = K_HOST;
	if (n >= (ssize_t)sizeof(Elf64_Ehdr) && !memcmp(line, ELFMAG, SELFMAG)) {
		const Elf64_Ehdr *eh = (const Elf64_Ehdr *)line;
		if (eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_machine == EM_AARCH64)
			*k = K_A64;
		return 0;
	}
	if (n < 3 || line[0] != '#' || line[1] != '!')
		return 0;
	/* "#!interp [arg]": one optional argument, the rest of the line, trimmed. */
	char *nl = memchr(line, '\n', (size_t)n);
	if (!nl)
		return -ENOEXEC; /* longer than we read: Linux's limit is about as much */
	*nl = 0;
	char *s = line + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return -ENOEXEC;
	*interp = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	*arg = NULL;
	if (*s) {
		*s++ = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		char *e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (*s)
			*arg = s;
	}
	*k = K_SCRIPT;
	return 0;
}

/* Read by the host's ld.so or libc when a dynamically linked emulator starts. */
static bool host_loader_var(const char *e)
{
	return !strncmp(e, "LD_", 3) || !strncmp(e, "GLIBC_TUNABLES=", 15) || !strncmp(e, "MALLOC_", 7);
}

/* The environment the emulator re-executes itself with: envp, the loader's variables
 * prefixed. NULL when out of memory; free with free_emu_env. */
static char **emu_env(char **envp)
{
	size_t n = 0;
	while (envp[n])
		n++;
	char **he = calloc(n + 1, sizeof *he);
	if (!he)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!host_loader_var(envp[i])) {
			he[i] = envp[i];
			continue;
		}
		size_t len = strlen(envp[i]);
		he[i] = malloc(sizeof LU_GUEST_ENV_PREFIX + len);
		if (!he[i]) {
			for (size_t j = 0; j < i; j++)
				if (host_loader_var(envp[j]))
					free(he[j]);
			free(he);
			return NULL;
		}
		memcpy(he[i], LU_GUEST_ENV_PREFIX, sizeof LU_GUEST_ENV_PREFIX - 1);
		memcpy(he[i] + sizeof LU_GUEST_ENV_PREFIX - 1, envp[i], len + 1);
	}
	return he;
}

static void free_emu_env(char **he, char **envp)
{
	for (size_t i = 0; he[i]; i++)
		if (host_loader_var(envp[i]))
			free(he[i]);
	free(he);
}

static long do_exec(struct lu_thread *t, const char *gpath, char **argv, long argc, char **envp)
{
	struct lu_proc *p = t->proc;
	char buf[PATH_MAX], line[256];
	/* Scripts add their interpreter (and its argument) in front: room for a few levels. */
	char **args = calloc((size_t)argc + 2 * MAX_SCRIPT_DEPTH + 8, sizeof *args);
	if (!args)
		return -ENOMEM;
	long n = 0;
	for (long i = 0; i < argc; i++)
		args[n++] = argv[i];
	const char *cur = gpath; /* as the guest names it */
	char paths[MAX_SCRIPT_DEPTH + 1][PATH_MAX];
	long rc = 0;
	for (int depth = 0;; depth++) {
		const char *hp = lu_proc_self(cur, "exe") ? p->exe : host_path(p, cur, buf);
		char *interp = NULL, *iarg = NULL;
		enum kind k = K_HOST;
		rc = classify(hp, &k, line, sizeof line, &interp, &iarg);
		if (rc < 0)
			break;
		if (k == K_HOST) {
			rc = lu_ret(execve(hp, args, envp));
			break;
		}
		if (k == K_A64) {
			/* vireo-aarch64 -0 ARGV0 [-L SYSROOT] -- HOSTPATH ARGV[1..] */
			char **ev = calloc((size_t)n + 8, sizeof *ev);
			char **he = emu_env(envp);
			if (!ev || !he) {
				free(ev);
				if (he)
					free_emu_env(he, envp);
				rc = -ENOMEM;
				break;
			}
			size_t m = 0;
			ev[m++] = "vireo-aarch64";
			ev[m++] = "-0";
			ev[m++] = n > 0 ? args[0] : "";
			if (p->sysroot) {
				ev[m++] = "-L";
				ev[m++] = (char *)p->sysroot;
			}
			ev[m++] = "--";
			ev[m++] = (char *)hp;
			for (long i = 1; i < n; i++)
				ev[m++] = args[i];
			ev[m] = NULL;
			execve(p->emu_path, ev, he);
			rc = -errno;
			free(ev);
			free_emu_env(he, envp);
			break;
		}
		if (depth == MAX_SCRIPT_DEPTH) {
			rc = -ELOOP;
			break;
		}
		/* Script: [interp, iarg?, path, argv[1..]]. */
		snprintf(paths[depth], sizeof paths[depth], "%s", cur);
		long extra = iarg ? 2 : 1;
		long keep = n > 0 ? n - 1 : 0;
		memmove(args + extra + 1, args + (n > 0 ? 1 : 0), (size_t)keep * sizeof *args);
		snprintf(paths[depth + 1], sizeof paths[depth + 1], "%s", interp);
		args[0] = paths[depth + 1];
		if (iarg) {
			/* The argument lives in line, which the next round overwrites: keep a copy. */
			args[1] = strdup(iarg);
			if (!args[1]) {
				rc = -ENOMEM;
				break;
			}
		}
		args[extra] = paths[depth];
		n = extra + 1 + keep;
		args[n] = NULL;
		cur = paths[depth + 1];
	}
	free(args);
	return rc;
}

static long sys_execve(struct lu_thread *t, const uint64_t *a)
{
	struct lu_proc *p = t->proc;
	long l = lu_strnlen(&p->mem, a[0], PATH_MAX);
	if (l < 0)
		return l;
	char **argv, **envp;
	uint64_t total = 0;
	long argc = read_strv(p, a[1], &argv, &total);
	if (argc < 0)
		return argc;
	long envc = read_strv(p, a[2], &envp, &total);
	if (envc < 0) {
		free(argv);
		return envc;
	}
	long rc = do_exec(t, H(a[0]), argv, argc, envp);
	free(argv);
	free(envp);
	return rc;
}

const struct lu_sysent lu_sys_exec[] = {
	{A64_NR_execve, "execve", sys_execve, 0},
	{0, NULL, NULL, 0},
};
