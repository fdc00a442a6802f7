/* tests/isa/isa-diff: the differential A64 instruction tester; command line and README.
 *
 * README
 * ======
 * isa-diff checks vireo-aarch64's CPU against Debian's qemu-aarch64. It generates random
 * sequences of A64 instructions, runs each under both emulators and compares the complete
 * architectural state after it: x0-x30, SP, NZCV, FPCR, FPSR, v0-v31 and the 1 KiB of memory
 * the sequence may touch. Any difference is bisected to the first instruction whose result
 * differs, and printed with that instruction disassembled and the registers and bytes that
 * differ.
 *
 *   make fuzz-isa [SEED=N] [COUNT=M] [CLASS=name|all]   long run (COUNT instructions per class)
 *   isa-diff run --emu CMD [--class C|all] [--seed N] [--count M] [--first K] [--seqlen L]
 *                [--batch B] [--ref CMD] [--max-fail N] [--timeout S]
 *   isa-diff selftest [--ref CMD]       the harness checks itself with the reference alone
 *   isa-diff show --class C --seed N --first K [--seqlen L]   a sequence and its start state
 *   isa-diff elf --class C --seed N [--first K] [--count M] -o FILE   write a test program
 *   isa-diff classes
 *
 * Exit status of run: 0 all identical; 1 a difference, or the emulator died otherwise than by
 * SIGILL; 77 the only failures were SIGILL (instructions not implemented yet; the test suite
 * reports the class as skipped; the sequences without them are still compared, until 500
 * sequences have raised SIGILL); 2 a harness error (the reference could not run a program, a
 * usage error). An emulator that is not there at all also gives 77. A run stops after
 * --max-fail (5) differing sequences, each bisected and printed.
 *
 * Classes (isa-diff classes; gen.h lists what is never generated, and why):
 *   dp      data processing: add/sub (immediate, shifted, extended, with carry), logical
 *           (immediate, shifted), move wide, bitfield, extract, ADR/ADRP, conditional select and
 *           compare, CLZ/CLS/RBIT/REV*, shifts, MADD/MSUB, S/UMADDL, S/UMULH, UDIV/SDIV, CRC32(C),
 *           MRS/MSR NZCV; SP is an operand and, here only, a destination
 *   branch  forward B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET through ADR, skipping a few
 *           instructions; counted backward loops (CBNZ, B.NE, B.GT)
 *   ldst    LDR/STR of every size and sign extension in every addressing mode (unsigned offset,
 *           unscaled, pre/post-index, register offset with UXTW/SXTW/LSL/SXTX, literal,
 *           unprivileged), PRFM, LDP/STP/LDNP/STNP/LDPSW, exclusives (LDXR/STXR, LDAXR/STLXR,
 *           pairs, CLREX), LDAR/STLR, LSE atomics (LD<op>/ST<op>, SWP, CAS, CASP), and the same
 *           for SIMD&FP registers: LDR/STR B-Q, LDP/STP S/D/Q, LD1-LD4/ST1-ST4 (multiple,
 *           one lane), LD1R-LD4R, post-indexed by immediate or register
 *   fp      scalar single/double: FADD..FNMUL, FMADD..FNMSUB, FSQRT, FABS/FNEG, FRINT*, FMAX/
 *           FMIN(NM), FCMP/FCMPE/FCCMP(E) (NZCV), FCSEL, FMOV (register, immediate, general),
 *           FCVT (S/D/H), FCVT[NPMZA][SU], SCVTF/UCVTF (also fixed point); FPCR's rounding mode,
 *           FZ, DN, AHP random at the start and changed mid-sequence (MSR), FPSR read and written
 *   simd    vector integer (three same/different, widening, narrowing, saturating, shifts by
 *           immediate, across lanes, by element, PMUL/PMULL), vector FP (arithmetic, compares,
 *           rounding, conversions, estimates, FCVTN/FCVTL/FCVTXN, across lanes, by element),
 *           scalar forms, UZP/ZIP/TRN, EXT, TBL/TBX, DUP/INS/UMOV/SMOV, MOVI/MVNI/ORR/BIC/FMOV
 *   mixed   all of the above interleaved (branch shadows may hold loads, stores and SIMD)
 * Values are random with a bias for edges: integer limits of every width, and FP zeros,
 * infinities, quiet and signalling NaNs with payloads, denormals, exact integers, ties.
 *
 * How a test program looks (prog.c, layout.h): a static ELF of one code and one data segment;
 * for each sequence, a prologue loads all 31 GPRs, SP, NZCV, FPCR and the 32 V registers from
 * its data slot and clears FPSR; then the sequence; then an epilogue stores everything, plus the
 * scratch memory, as a 1824-byte record written to stdout (write, svc #0). After the last
 * sequence, exit_group(0). Sequences are short (20 instructions by default) so that failures
 * are small, and batched (1000 to a program) so that process start-up does not dominate.
 * Every sequence comes from its own seed, so one can be rebuilt alone at the same addresses:
 * that is how a failure is bisected (the sequence's tail replaced by NOPs) and reproduced
 * (the "reproduce:" line of a report).
 *
 * Reading a failure:
 *   FAIL: fp, seed 1, sequence 1234: the dumps differ at instruction 7: fmadd d3, d1, d2, d0
 *     bisected: the first 7 instructions give identical states, 8 do not
 *     the sequence (at fault: <==): ... every instruction, with its address and encoding
 *     state after that instruction, qemu-aarch64 (ref) vs vireo-aarch64 (emu):
 *       v3     ref 0x..._...   emu 0x..._...
 *       fpsr   ref 0x00000010 (IXC)   emu 0x00000000 ()
 *     reproduce: "$(tests/isa/build.sh)" run --class fp --seed 1 --first 1234 --count 20 ...
 * "SIGILL:" instead of "FAIL:" means the emulator raised SIGILL at that instruction.
 *
 * Self-test (isa-diff selftest; tests/integration/isa-diff.bats runs it): known answers
 * computed here (an empty sequence gives its initial state back; ADD, SUBS with NZCV, STR, LDR,
 * UMULH, FADD with FPSR.IXC, MOV vector, B.EQ, MSR NZCV, CRC32X); the reference against itself
 * in every class; corrupted dumps (a bit of x7, NZCV.V, FPSR, v31 or memory flipped; a dump cut
 * short) reported as exactly that; an instruction changed in the emulator's copy found and
 * bisected to exactly that instruction; an undefined one reported as SIGILL there.
 *
 * Build: meson (tests/isa/meson.build), or tests/isa/build.sh, which compiles it with gcc into a
 * cache directory; the Makefile and the bats suite use either. Programs are written to a
 * temporary directory ($TMPDIR) and removed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "disasm.h"
#include "elf-writer.h"
#include "gen.h"
#include "layout.h"
#include "prog.h"
#include "selftest.h"
#include "state.h"

/* The temporary directory, for the signal handler to remove. */
static char tmpdir[4096];

static void remove_tmpdir(void)
{
	static const char *const files[] = {"ref.elf", "emu.elf", "disasm.bin", "known.elf",
					    "corrupt.elf"};
	char path[4200];
	if (!tmpdir[0])
		return;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	tmpdir[0] = 0;
}

static void on_signal(int sig)
{
	remove_tmpdir();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: isa-diff run --emu CMD [--class C|all] [--seed N] [--count M] [--first K]\n"
		"                    [--seqlen L] [--batch B] [--ref CMD] [--max-fail N] [--timeout S]\n"
		"       isa-diff selftest [--ref CMD]\n"
		"       isa-diff show --class C --seed N --first K [--seqlen L]\n"
		"       isa-diff elf --class C --seed N [--first K] [--count M] [--seqlen L] -o FILE\n"
		"       isa-diff classes\n"
		"(the README is at the top of tests/isa/isa-diff.c)\n");
}

/* Split a command at spaces into a NULL-terminated vector (the string is modified). */
static char **split(char *cmd)
{
	size_t n = 0, cap = 8;
	char **v = malloc(cap * sizeof *v);
	for (char *tok = strtok(cmd, " \t"); v && tok; tok = strtok(NULL, " \t")) {
		if (n + 2 > cap) {
			char **nv = realloc(v, (cap *= 2) * sizeof *v);
			if (!nv) {
				free(v);
				return NULL;
			}
			v = nv;
		}
		v[n++] = tok;
	}
	if (v)
		v[n] = NULL;
	return v;
}

/* Is the command there to be run (a path, or a name on PATH)? */
static bool runnable(const char *cmd)
{
	if (strchr(cmd, '/'))
		return access(cmd, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[4096];
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, cmd);
		if (access(buf, X_OK) == 0)
			return true;
		p += len + (colon != NULL);
	}
	return false;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = (long)v;
	return true;
}

struct args {
	const char *cls, *ref, *emu, *out;
	unsigned long long seed;
	long count, first, seqlen, batch, max_fail, timeout;
};

static int parse(int argc, char **argv, struct args *a)
{
	*a = (struct args){"all", "qemu-aarch64", NULL, NULL, 1, 20000, 0, 20, 1000, 5, 120};
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		long *num = NULL, min = 0, max = 0;
		if (!strcmp(opt, "--class") || !strcmp(opt, "--ref") || !strcmp(opt, "--emu") ||
		    !strcmp(opt, "-o")) {
			if (!val)
				goto missing;
			if (!strcmp(opt, "--class"))
				a->cls = val;
			else if (!strcmp(opt, "--ref"))
				a->ref = val;
			else if (!strcmp(opt, "--emu"))
				a->emu = val;
			else
				a->out = val;
			i++;
			continue;
		}
		if (!strcmp(opt, "--seed")) {
			char *end;
			if (!val)
				goto missing;
			errno = 0;
			a->seed = strtoull(val, &end, 0);
			if (errno || end == val || *end) {
				fprintf(stderr, "isa-diff: --seed: not a number: %s\n", val);
				return -1;
			}
			i++;
			continue;
		}
		if (!strcmp(opt, "--count"))
			num = &a->count, min = 1, max = 1000000000000l;
		else if (!strcmp(opt, "--first"))
			num = &a->first, min = 0, max = 1000000000000l;
		else if (!strcmp(opt, "--seqlen"))
			num = &a->seqlen, min = 1, max = SEQ_MAX;
		else if (!strcmp(opt, "--batch"))
			num = &a->batch, min = 1, max = 20000;
		else if (!strcmp(opt, "--max-fail"))
			num = &a->max_fail, min = 1, max = 1000000;
		else if (!strcmp(opt, "--timeout"))
			num = &a->timeout, min = 1, max = 86400;
		if (!num) {
			fprintf(stderr, "isa-diff: unknown option %s\n", opt);
			usage(stderr);
			return -1;
		}
		if (!val)
			goto missing;
		if (!parse_long(val, min, max, num)) {
			fprintf(stderr, "isa-diff: %s: expected a number from %ld to %ld, not %s\n", opt,
				min, max, val);
			return -1;
		}
		i++;
	}
	return 0;
missing:
	fprintf(stderr, "isa-diff: %s needs a value\n", argv[argc - 1]);
	return -1;
}

/* The classes named by --class: one, or all; 0 when unknown. */
static int classes_of(const char *name, enum isa_class out[ISA_NCLASS])
{
	if (!strcmp(name, "all")) {
		for (int i = 0; i < ISA_NCLASS; i++)
			out[i] = (enum isa_class)i;
		return ISA_NCLASS;
	}
	int c = isa_class_parse(name);
	if (c < 0) {
		fprintf(stderr, "isa-diff: unknown class %s (isa-diff classes lists them)\n", name);
		return 0;
	}
	out[0] = (enum isa_class)c;
	return 1;
}

static int cmd_run(const struct args *a, struct diff_opts *o)
{
	enum isa_class cls[ISA_NCLASS];
	int n = classes_of(a->cls, cls);
	if (!n)
		return DIFF_ERROR;
	if (!a->emu) {
		fprintf(stderr, "isa-diff: run needs --emu (the emulator under test)\n");
		return DIFF_ERROR;
	}
	if (!o->emu[0] || !runnable(o->emu[0])) {
		printf("isa-diff: %s: not found or not executable (is vireo-aarch64 built?)\n",
		       o->emu_cmd);
		return DIFF_SKIP;
	}
	int worst = DIFF_OK;
	for (int i = 0; i < n; i++) {
		o->cls = cls[i];
		struct diff_stats st;
		int rc = diff_run(o, &st, stdout);
		fflush(stdout);
		if (rc == DIFF_ERROR)
			return rc;
		if (rc == DIFF_FAIL || (rc == DIFF_SKIP && worst == DIFF_OK))
			worst = rc;
	}
	return worst;
}

static int cmd_show(const struct args *a, const struct diff_opts *o)
{
	int c = isa_class_parse(a->cls);
	if (c < 0) {
		fprintf(stderr, "isa-diff: show needs --class with one class\n");
		return DIFF_ERROR;
	}
	uint64_t ss = isa_seq_seed(o->seed, (enum isa_class)c, a->first);
	static struct seq s;
	static struct state st;
	gen_seq(&s, (enum isa_class)c, ss, (int)a->seqlen);
	state_random(&st, ss);
	int slot = (int)(a->first % a->batch);
	printf("class %s, seed %llu, sequence %ld (slot %d):\n", isa_class_name((enum isa_class)c),
	       o->seed, a->first, slot);
	disasm_print(stdout, s.w, s.n, prog_body_addr(slot, (int)a->seqlen), -1, o->tmpdir);
	printf("initial state:\n");
	for (int i = 0; i < 31; i++)
		printf("    x%-2d 0x%016llx%s", i,
		       (unsigned long long)(i == REG_PINNED ? prog_x28(slot) : st.x[i]),
		       i % 3 == 2 ? "\n" : "");
	printf("    sp  0x%016llx\n    nzcv 0x%08llx  fpcr 0x%08llx\n",
	       (unsigned long long)prog_sp(slot), (unsigned long long)st.nzcv,
	       (unsigned long long)st.fpcr);
	for (int i = 0; i < 32; i++) {
		uint64_t lo, hi;
		memcpy(&lo, st.v[i], 8);
		memcpy(&hi, st.v[i] + 8, 8);
		printf("    v%-2d 0x%016llx_%016llx%s", i, (unsigned long long)hi,
		       (unsigned long long)lo, i % 2 ? "\n" : "");
	}
	return 0;
}

static int cmd_elf(const struct args *a, const struct diff_opts *o)
{
	int c = isa_class_parse(a->cls);
	if (c < 0 || !a->out) {
		fprintf(stderr, "isa-diff: elf needs --class with one class, and -o FILE\n");
		return DIFF_ERROR;
	}
	long n = o->nseq;
	if (n > o->batch)
		n = o->batch;
	struct seq *s = calloc((size_t)n, sizeof *s);
	struct state *st = calloc((size_t)n, sizeof *st);
	struct prog_item *it = calloc((size_t)n, sizeof *it);
	int rc = DIFF_ERROR;
	if (s && st && it) {
		for (long i = 0; i < n; i++) {
			long index = a->first + i;
			uint64_t ss = isa_seq_seed(o->seed, (enum isa_class)c, index);
			gen_seq(&s[i], (enum isa_class)c, ss, o->seqlen);
			state_random(&st[i], ss);
			it[i] = (struct prog_item){index, (int)(index % o->batch), &s[i], SEQ_MAX, &st[i]};
		}
		/* slots must run on consecutively: stop at the batch's end */
		long k = 1;
		while (k < n && it[k].slot == it[k - 1].slot + 1)
			k++;
		struct image im;
		if (prog_build(&im, it, (int)k, o->seqlen) == 0) {
			if (elf_write(a->out, &im) == 0) {
				printf("%s: %ld sequences of %d instructions; each writes a %d-byte dump "
				       "to stdout\n", a->out, k, o->seqlen, REC_SIZE);
				rc = 0;
			} else {
				fprintf(stderr, "isa-diff: %s: %s\n", a->out, strerror(errno));
			}
			image_free(&im);
		}
	}
	free(s);
	free(st);
	free(it);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? DIFF_ERROR : 0;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "classes")) {
		for (int i = 0; i < ISA_NCLASS; i++)
			printf("%-7s %s\n", isa_class_name((enum isa_class)i),
			       isa_class_what((enum isa_class)i));
		return 0;
	}
	struct args a;
	if (parse(argc, argv, &a) < 0)
		return DIFF_ERROR;
	if (strcmp(cmd, "run") && strcmp(cmd, "selftest") && strcmp(cmd, "show") &&
	    strcmp(cmd, "elf")) {
		fprintf(stderr, "isa-diff: unknown command %s\n", cmd);
		usage(stderr);
		return DIFF_ERROR;
	}

	char *ref_copy = strdup(a.ref), *emu_copy = strdup(a.emu ? a.emu : "");
	struct diff_opts o = {
		.seed = a.seed,
		.first = a.first,
		.nseq = (a.count + a.seqlen - 1) / a.seqlen,
		.seqlen = (int)a.seqlen,
		.batch = (int)a.batch,
		.max_fail = (int)a.max_fail,
		.timeout = (int)a.timeout,
		.ref = ref_copy ? split(ref_copy) : NULL,
		.emu = emu_copy ? split(emu_copy) : NULL,
		.ref_cmd = a.ref,
		.emu_cmd = a.emu ? a.emu : "",
	};
	if (!o.ref || !o.emu || !o.ref[0]) {
		fprintf(stderr, "isa-diff: out of memory, or an empty --ref\n");
		return DIFF_ERROR;
	}
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/isa-diff.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "isa-diff: cannot make a temporary directory %s: %s\n", tmpdir,
			strerror(errno));
		return DIFF_ERROR;
	}
	o.tmpdir = tmpdir;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	int rc;
	if (!strcmp(cmd, "run")) {
		rc = cmd_run(&a, &o);
	} else if (!strcmp(cmd, "selftest")) {
		if (!runnable(o.ref[0])) {
			fprintf(stderr, "isa-diff: the reference %s is not installed\n", a.ref);
			rc = DIFF_ERROR;
		} else {
			rc = selftest_run(&o, stdout) ? DIFF_FAIL : DIFF_OK;
		}
	} else if (!strcmp(cmd, "show")) {
		rc = cmd_show(&a, &o);
	} else {
		rc = cmd_elf(&a, &o);
	}
	remove_tmpdir();
	free(o.ref);
	free(o.emu);
	free(ref_copy);
	free(emu_copy);
	return rc;
}
