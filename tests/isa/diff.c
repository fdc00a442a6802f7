/* tests/isa/diff: the differential driver: batches, comparison, bisection, reports. Writes its
 * programs into the run's temporary directory only. */
#include "diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "disasm.h"
#include "elf-writer.h"
#include "layout.h"
#include "prog.h"
#include "state.h"

struct item {
	long index;
	int slot;
	bool edited;
	struct seq ref_body, emu_body;
	struct state st;
};

static void item_make(const struct diff_opts *o, long index, struct item *it)
{
	uint64_t ss = isa_seq_seed(o->seed, o->cls, index);
	it->index = index;
	it->slot = (int)(index % o->batch);
	gen_seq(&it->ref_body, o->cls, ss, o->seqlen);
	state_random(&it->st, ss);
	it->emu_body = it->ref_body;
	if (o->edit)
		o->edit(&it->emu_body, index, o->edit_arg);
	it->edited = memcmp(&it->emu_body, &it->ref_body, sizeof it->ref_body) != 0;
}

static int write_program(const struct diff_opts *o, const struct item *items, int n, int prefix,
			 bool emu_side, const char *path)
{
	struct prog_item *pi = calloc((size_t)n, sizeof *pi);
	if (!pi)
		return -1;
	for (int i = 0; i < n; i++)
		pi[i] = (struct prog_item){items[i].index, items[i].slot,
					   emu_side ? &items[i].emu_body : &items[i].ref_body,
					   prefix < 0 ? SEQ_MAX : prefix, &items[i].st};
	struct image im;
	int rc = prog_build(&im, pi, n, o->seqlen);
	free(pi);
	if (rc == 0)
		rc = elf_write(path, &im);
	image_free(&im);
	return rc;
}

/* Run items[0..n) (each cut to `prefix` instructions unless prefix < 0) under both emulators,
 * or under the emulator alone (res[0] is then left as it is). */
static int run_items(const struct diff_opts *o, const struct item *items, int n, int prefix,
		     bool emu_only, struct proc_result res[2], FILE *out)
{
	char ref_path[4096], emu_path[4096];
	snprintf(ref_path, sizeof ref_path, "%s/ref.elf", o->tmpdir);
	snprintf(emu_path, sizeof emu_path, "%s/emu.elf", o->tmpdir);
	bool edited = false;
	for (int i = 0; i < n; i++)
		edited |= items[i].edited;
	bool two = edited || emu_only; /* the emulator's program is a file of its own */
	if ((!emu_only && write_program(o, items, n, prefix, false, ref_path) < 0) ||
	    (two && write_program(o, items, n, prefix, true, emu_path) < 0)) {
		fprintf(out, "isa-diff: cannot write a test program in %s: %s\n", o->tmpdir,
			strerror(errno));
		unlink(ref_path);
		return -1;
	}
	int nr = 0, ne = 0;
	while (o->ref[nr])
		nr++;
	while (o->emu[ne])
		ne++;
	char *ra[nr + 2], *ea[ne + 2];
	memcpy(ra, o->ref, sizeof(char *) * (size_t)nr);
	memcpy(ea, o->emu, sizeof(char *) * (size_t)ne);
	ra[nr] = ref_path, ra[nr + 1] = NULL;
	ea[ne] = two ? emu_path : ref_path, ea[ne + 1] = NULL;
	char *const *argvs[2] = {ra, ea};
	int rc = emu_only ? exec_run(argvs + 1, res + 1, 1, o->timeout)
			  : exec_run(argvs, res, 2, o->timeout);
	unlink(ref_path);
	unlink(emu_path);
	if (rc < 0) {
		fprintf(out, "isa-diff: cannot run the emulators: %s\n", strerror(errno));
		if (!emu_only)
			proc_result_free(&res[0]);
		proc_result_free(&res[1]);
	}
	return rc;
}

struct verdict diff_verdict(const struct proc_result *ref, int n, const unsigned long long *magic,
			    const struct proc_result *emu, int eb, int ee, int from)
{
	struct verdict v = {V_SAME, 0};
	if (!proc_ok(ref) || ref->out_len != (size_t)n * REC_SIZE) {
		v.kind = V_REF_BAD;
		return v;
	}
	for (int i = 0; i < n; i++) {
		unsigned long long m;
		memcpy(&m, ref->out + (size_t)i * REC_SIZE + REC_MAGIC, 8);
		if (m != magic[i]) {
			v.kind = V_REF_BAD;
			return v;
		}
	}
	int r = (int)(emu->out_len / REC_SIZE);
	for (int i = from > eb ? from : eb; i < ee && i - eb < r; i++)
		if (memcmp(ref->out + (size_t)i * REC_SIZE, emu->out + (size_t)(i - eb) * REC_SIZE,
			   REC_SIZE)) {
			v.kind = V_MISMATCH;
			v.at = i;
			return v;
		}
	if (eb + r < ee || !proc_ok(emu) || emu->out_len != (size_t)(ee - eb) * REC_SIZE) {
		v.kind = V_DIED;
		v.at = eb + r < ee ? eb + r : ee - 1;
	}
	return v;
}

/* Run one item cut to `prefix`; the verdict, and the results in res (to be freed). */
static struct verdict check(const struct diff_opts *o, const struct item *it, int prefix,
			    struct proc_result res[2], FILE *out)
{
	unsigned long long magic = prog_magic(it->index);
	struct diff_opts one = *o;
	if (one.timeout > 20)
		one.timeout = 20; /* one sequence: a hang shows sooner */
	if (run_items(&one, it, 1, prefix, false, res, out) < 0)
		return (struct verdict){V_REF_BAD, -1};
	return diff_verdict(&res[0], 1, &magic, &res[1], 0, 1, 0);
}

static void print_stderr(FILE *out, const char *who, const struct proc_result *r)
{
	const char *s = r->err;
	for (int lines = 0; s && *s && lines < 4; lines++) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);
		fprintf(out, "    %s: %.*s\n", who, len, s);
		s = nl ? nl + 1 : s + len;
	}
}

static void print_reproduce(const struct diff_opts *o, long index, FILE *out)
{
	/* from the top of the source tree; tests/isa/build.sh builds isa-diff and prints its path */
	fprintf(out, "  reproduce: \"$(tests/isa/build.sh)\" run --class %s --seed %llu --first %ld "
		"--count %d --seqlen %d", isa_class_name(o->cls), o->seed, index, o->seqlen, o->seqlen);
	if (o->batch != 1000)
		fprintf(out, " --batch %d", o->batch);
	if (strcmp(o->ref_cmd, "qemu-aarch64"))
		fprintf(out, " --ref '%s'", o->ref_cmd);
	fprintf(out, " --emu '%s'\n", o->emu_cmd);
}

static void harness_error(const struct diff_opts *o, const struct proc_result *ref, long index,
			  FILE *out)
{
	char how[64];
	proc_describe(ref, how, sizeof how);
	fprintf(out, "isa-diff: %s: the reference (%s) did not give a complete dump of sequence %ld "
		"and the ones around it (%s, %zu bytes): the generator made a program it cannot run\n",
		isa_class_name(o->cls), o->ref_cmd, index, how, ref->out_len);
	print_stderr(out, "ref", ref);
}

/* A failing sequence: bisect it and report. bref and bemu are the batch's runs, where the
 * sequence's records are at rpos and epos. Returns DIFF_ERROR on a harness error, else 0. */
static int failure(const struct diff_opts *o, const struct item *it, const struct proc_result *bref,
		   int bpos_ref, const struct proc_result *bemu, int bpos_emu, struct diff_stats *st,
		   FILE *out)
{
	struct proc_result res[2];
	int n = it->ref_body.n, lo = 0, hi = n, rc = 0;
	bool alone = true, empty_fails = false;
	struct verdict v = check(o, it, n, res, out);
	if (v.kind == V_REF_BAD) {
		harness_error(o, &res[0], it->index, out);
		rc = DIFF_ERROR;
		goto done;
	}
	if (v.kind == V_SAME) {
		alone = false;
	} else {
		proc_result_free(&res[0]);
		proc_result_free(&res[1]);
		v = check(o, it, 0, res, out);
		if (v.kind == V_REF_BAD) {
			harness_error(o, &res[0], it->index, out);
			rc = DIFF_ERROR;
			goto done;
		}
		if (v.kind != V_SAME) {
			empty_fails = true;
			st->harness_dies = true;
			hi = 0;
		} else {
			while (hi - lo > 1) {
				int mid = (lo + hi) / 2;
				proc_result_free(&res[0]);
				proc_result_free(&res[1]);
				v = check(o, it, mid, res, out);
				if (v.kind == V_REF_BAD) {
					harness_error(o, &res[0], it->index, out);
					rc = DIFF_ERROR;
					goto done;
				}
				if (v.kind == V_SAME)
					lo = mid;
				else
					hi = mid;
			}
			proc_result_free(&res[0]);
			proc_result_free(&res[1]);
			v = check(o, it, hi, res, out);
		}
	}
	/* What failed, in the run that shows it best: the shortest failing prefix, or the batch. */
	const struct proc_result *rr = alone ? &res[0] : bref, *re = alone ? &res[1] : bemu;
	int rpos = alone ? 0 : bpos_ref, epos = alone ? 0 : bpos_emu;
	const uint8_t *rrec = rr->out + (size_t)rpos * REC_SIZE, *erec = NULL;
	bool missing = re->out_len < (size_t)(epos + 1) * REC_SIZE;
	if (!missing)
		erec = re->out + (size_t)epos * REC_SIZE;
	bool died = missing || (!memcmp(rrec, erec, REC_SIZE) && !proc_ok(re)); /* or a bad exit */
	bool sigill = died && proc_sigill(re);
	char how[64];
	proc_describe(re, how, sizeof how);
	uint64_t body = prog_body_addr(it->slot, o->seqlen);
	int culprit = empty_fails || !alone ? -1 : hi - 1;
	char text[1][DISASM_TEXT];
	text[0][0] = 0;
	if (culprit >= 0)
		disasm_words(&it->emu_body.w[culprit], 1, body + 4 * (uint64_t)culprit, text, o->tmpdir);

	fprintf(out, "\n%s: %s, seed %llu, sequence %ld: ", sigill ? "SIGILL" : "FAIL",
		isa_class_name(o->cls), o->seed, it->index);
	if (sigill)
		fprintf(out, "%s raised SIGILL", o->emu_cmd);
	else if (died)
		fprintf(out, "%s died (%s)", o->emu_cmd, how);
	else
		fprintf(out, "the dumps differ");
	if (culprit >= 0)
		fprintf(out, " at instruction %d: %s\n", culprit, text[0]);
	else
		fprintf(out, "\n");
	if (!alone)
		fprintf(out, "  (not when the sequence runs alone: it depends on what ran before it in "
			"the same process)\n");
	else if (empty_fails)
		fprintf(out, "  (even with no instruction at all: the prologue or epilogue, which load "
			"and dump the state, fails)\n");
	else
		fprintf(out, "  bisected: the first %d instructions give identical states, %d do not\n",
			hi - 1, hi);
	fprintf(out, "  the sequence (at fault: <==):\n");
	disasm_print(out, it->emu_body.w, n, body, culprit, o->tmpdir);
	if (it->edited) {
		fprintf(out, "  the reference ran this unedited sequence (self-test):\n");
		disasm_print(out, it->ref_body.w, n, body, culprit, o->tmpdir);
	}
	if (!died) {
		fprintf(out, "  %s, %s (ref) vs %s (emu):\n",
			culprit >= 0 ? "state after that instruction" : "final state", o->ref_cmd,
			o->emu_cmd);
		compare_records(rrec, erec, out, 40);
	}
	print_stderr(out, "emu", re);
	print_reproduce(o, it->index, out);

	st->culprit_seq = it->index;
	st->culprit_insn = culprit;
	snprintf(st->culprit_text, sizeof st->culprit_text, "%s", text[0]);
	if (sigill) {
		if (st->sigill++ == 0)
			snprintf(st->sigill_text, sizeof st->sigill_text, "%s", culprit >= 0 ? text[0] : "?");
	} else if (died) {
		st->died++;
	} else {
		st->mismatched++;
	}
done:
	proc_result_free(&res[0]);
	proc_result_free(&res[1]);
	return rc;
}

/* After this many sequences with SIGILL a run stops: each costs a process start. */
#define SIGILL_LIMIT 500

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int diff_run(const struct diff_opts *o, struct diff_stats *st, FILE *out)
{
	memset(st, 0, sizeof *st);
	st->culprit_seq = -1;
	double t0 = now();
	struct item *items = calloc((size_t)o->batch, sizeof *items);
	unsigned long long *magic = calloc((size_t)o->batch, sizeof *magic);
	if (!items || !magic) {
		free(items);
		free(magic);
		fprintf(out, "isa-diff: out of memory\n");
		return DIFF_ERROR;
	}
	int rc = DIFF_OK;
	long idx = o->first, end = o->first + o->nseq;
	while (idx < end && st->mismatched + st->died < o->max_fail && !st->harness_dies &&
	       st->sigill < SIGILL_LIMIT) {
		long bend = (idx / o->batch + 1) * o->batch;
		if (bend > end)
			bend = end;
		int n = (int)(bend - idx);
		for (int i = 0; i < n; i++) {
			item_make(o, idx + i, &items[i]);
			magic[i] = prog_magic(idx + i);
		}
		/* Both run the batch; after the emulator dies in a sequence, it alone runs on from the
		 * next one (the reference's dumps do not depend on what ran before in the process),
		 * first a few sequences, then twice as many each time it survives. */
		struct proc_result res[2];
		if (run_items(o, items, n, -1, false, res, out) < 0) {
			rc = DIFF_ERROR;
			break;
		}
		int from = 0, eb = 0, ee = n, chunk = n;
		while (rc == DIFF_OK) {
			struct verdict v = diff_verdict(&res[0], n, magic, &res[1], eb, ee, from);
			bool rerun;
			if (v.kind == V_REF_BAD) {
				harness_error(o, &res[0], idx, out);
				rc = DIFF_ERROR;
				break;
			}
			if (v.kind == V_SAME) {
				st->seqs += ee - from;
				from = ee;
				chunk *= 2;
				rerun = true;
			} else {
				st->seqs += v.at - from + (v.kind == V_MISMATCH);
				if (v.kind == V_DIED && proc_sigill(&res[1]) && st->sigill >= o->max_fail)
					st->sigill++; /* enough of them shown: only count */
				else if (failure(o, &items[v.at], &res[0], v.at, &res[1], v.at - eb, st,
						 out) == DIFF_ERROR)
					rc = DIFF_ERROR;
				from = v.at + 1;
				rerun = v.kind == V_DIED || from >= ee;
				if (v.kind == V_DIED)
					chunk = 8;
			}
			if (rc != DIFF_OK || from >= n || st->mismatched + st->died >= o->max_fail ||
			    st->harness_dies || st->sigill >= SIGILL_LIMIT)
				break;
			if (!rerun)
				continue;
			eb = from;
			ee = eb + chunk < n ? eb + chunk : n;
			proc_result_free(&res[1]);
			if (run_items(o, items + eb, ee - eb, -1, true, res, out) < 0)
				rc = DIFF_ERROR;
		}
		proc_result_free(&res[0]);
		proc_result_free(&res[1]);
		if (rc == DIFF_ERROR)
			break;
		idx = idx + from;
		if (from < n)
			break; /* stopped */
	}
	free(items);
	free(magic);
	st->insns = st->seqs * o->seqlen;
	st->seconds = now() - t0;
	if (rc == DIFF_ERROR)
		return rc;

	long failures = st->mismatched + st->died + st->sigill;
	bool early = idx < end;
	fprintf(out, "isa-diff: %s, seed %llu: %ld sequences of %d instructions (%ld instructions) "
		"compared, %s vs %s: ", isa_class_name(o->cls), o->seed, st->seqs, o->seqlen,
		st->insns, o->ref_cmd, o->emu_cmd);
	if (failures == 0) {
		fprintf(out, "all identical (%.1f s)\n", st->seconds);
		return DIFF_OK;
	}
	fprintf(out, "%ld differ, %ld died, %ld raised SIGILL%s (%.1f s)\n", st->mismatched, st->died,
		st->sigill, early ? "; stopped early" : "", st->seconds);
	if (st->mismatched + st->died)
		return DIFF_FAIL;
	fprintf(out, "isa-diff: %s: %s cannot run %ld of %ld sequences yet (SIGILL; the first at %s); "
		"the %ld it ran were identical\n", isa_class_name(o->cls), o->emu_cmd, st->sigill,
		st->sigill + st->seqs, st->harness_dies ? "the prologue" : st->sigill_text, st->seqs);
	return DIFF_SKIP;
}
