/* tests/isa/diff: the differential run. Sequences are generated in batches (one program per
 * batch, each sequence followed by its dump), each program runs under the reference and the
 * emulator under test at the same time, and the dumps are compared byte for byte. A sequence
 * whose dumps differ, or in which the emulator dies, is rebuilt alone and bisected: the shortest
 * prefix that still differs names the instruction at fault, which is printed disassembled with
 * the registers and memory that differ after it. */
#ifndef ISA_DIFF_H
#define ISA_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "exec.h"
#include "gen.h"

enum { DIFF_OK = 0, DIFF_FAIL = 1, DIFF_ERROR = 2, DIFF_SKIP = 77 };

struct diff_opts {
	enum isa_class cls;
	unsigned long long seed;
	long first;      /* index of the first sequence */
	long nseq;       /* sequences */
	int seqlen;      /* instructions per sequence */
	int batch;       /* sequences per program */
	int max_fail;    /* stop after this many differing sequences; bisect this many SIGILLs
			  * (later ones are only counted, and the run goes on up to 500) */
	int timeout;     /* seconds per program run */
	char **ref, **emu; /* command prefixes (the program's path is appended) */
	const char *ref_cmd, *emu_cmd; /* the same, as typed: for messages */
	const char *tmpdir;
	/* Test hook for the self-test: change the emulator's copy of a sequence. */
	void (*edit)(struct seq *body, long index, void *arg);
	void *edit_arg;
};

struct diff_stats {
	long seqs, insns;      /* compared (both dumps complete) */
	long mismatched, died; /* failures: different dumps; emulator died otherwise than by SIGILL */
	long sigill;           /* the emulator raised SIGILL */
	long culprit_seq;      /* the last failure bisected: sequence and instruction (or -1) */
	int culprit_insn;
	char culprit_text[96]; /* its disassembly */
	char sigill_text[96];  /* the first instruction that raised SIGILL */
	bool harness_dies;     /* the emulator fails even with no instruction: nothing to test */
	double seconds;
};

/* Run; print failures and a summary line to out. DIFF_OK when every dump matched, DIFF_FAIL on
 * a mismatch or an emulator death, DIFF_SKIP when the only failures were SIGILL (instructions
 * the emulator does not implement yet: the sequences without them are still compared),
 * DIFF_ERROR when the harness or the reference failed. */
int diff_run(const struct diff_opts *o, struct diff_stats *st, FILE *out);

/* How a pair of runs compare: ref ran the n sequences of a program (magic[i]: the magic of
 * position i), emu ran positions [eb, ee) of it; positions before `from` are done. */
enum verdict_kind { V_SAME, V_MISMATCH, V_DIED, V_REF_BAD };
struct verdict {
	enum verdict_kind kind;
	int at; /* the position whose dumps differ, or in which the emulator died (no dump) */
};
struct verdict diff_verdict(const struct proc_result *ref, int n, const unsigned long long *magic,
			    const struct proc_result *emu, int eb, int ee, int from);

#endif
