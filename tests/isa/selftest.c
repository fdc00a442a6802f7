/* tests/isa/selftest: the harness's self-tests. Runs the reference emulator on programs it
 * writes into the run's temporary directory. */
#include "selftest.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "elf-writer.h"
#include "layout.h"
#include "prog.h"
#include "rng.h"
#include "state.h"

struct tally {
	int passed, failed;
};

static void result(struct tally *t, FILE *out, bool ok, const char *what)
{
	fprintf(out, "selftest: %-4s %s\n", ok ? "ok" : "FAIL", what);
	if (ok)
		t->passed++;
	else
		t->failed++;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Run a program under the reference alone. */
static int run_ref(const struct diff_opts *o, char *path, struct proc_result *res)
{
	int nr = 0;
	while (o->ref[nr])
		nr++;
	char *argv[nr + 2];
	memcpy(argv, o->ref, sizeof(char *) * (size_t)nr);
	argv[nr] = path, argv[nr + 1] = NULL;
	char *const *argvs[1] = {argv};
	int rc = exec_run(argvs, res, 1, o->timeout);
	unlink(path);
	return rc;
}

/* ---- known answers ---- */

struct known {
	const char *name;
	uint32_t w[4];
	int n;
	void (*prepare)(struct state *st); /* or NULL: adjust the random state */
	void (*expect)(const struct state *st, uint8_t *rec);
};

#define X(rec, i) ((rec) + REC_X + 8 * (i))

static void k_empty(const struct state *st, uint8_t *rec)
{
	(void)st, (void)rec;
}

static void k_add(const struct state *st, uint8_t *rec)
{
	put64(X(rec, 0), st->x[1] + st->x[2]);
}

static void k_subs(const struct state *st, uint8_t *rec)
{
	uint64_t a = st->x[4], b = st->x[5], r = a - b;
	uint64_t n = r >> 63, z = r == 0, c = a >= b, v = ((a ^ b) & (a ^ r)) >> 63;
	put64(X(rec, 3), r);
	put64(rec + REC_NZCV, n << 31 | z << 30 | c << 29 | v << 28);
}

static void k_str(const struct state *st, uint8_t *rec)
{
	put64(rec + REC_MEM + X28_START + 8, st->x[6]);
}

static void k_ldr(const struct state *st, uint8_t *rec)
{
	put64(X(rec, 7), get64(st->scratch + SP_START + 16));
}

static void k_umulh(const struct state *st, uint8_t *rec)
{
	put64(X(rec, 8), (uint64_t)(((unsigned __int128)st->x[9] * st->x[10]) >> 64));
}

/* A finite double well inside the normal range. */
static double tame(uint64_t bits)
{
	double d;
	bits = (bits & 0x800fffffffffffffull) | (uint64_t)(1023 - 20 + (bits >> 52 & 31)) << 52;
	memcpy(&d, &bits, 8);
	return d;
}

static void p_fadd(struct state *st)
{
	double a = tame(get64(st->v[1])), b = tame(get64(st->v[2]));
	memcpy(st->v[1], &a, 8);
	memcpy(st->v[2], &b, 8);
	st->fpcr = 0; /* round to nearest, as the host */
}

static void k_fadd(const struct state *st, uint8_t *rec)
{
	double a, b;
	memcpy(&a, st->v[1], 8);
	memcpy(&b, st->v[2], 8);
	volatile double s = a + b, bv = s - a, err = (a - (s - bv)) + (b - bv); /* TwoSum */
	double sum = s;
	memcpy(rec + REC_V, &sum, 8);
	memset(rec + REC_V + 8, 0, 8);
	put64(rec + REC_FPSR, err != 0 ? 1u << 4 : 0); /* IXC */
}

static void k_movv(const struct state *st, uint8_t *rec)
{
	memcpy(rec + REC_V + 16 * 3, st->v[4], 16);
}

static void k_beq(const struct state *st, uint8_t *rec)
{
	if (!(st->nzcv & (1u << 30)))
		put64(X(rec, 11), st->x[11] + 1);
}

static void k_msr(const struct state *st, uint8_t *rec)
{
	put64(rec + REC_NZCV, st->x[12] & 0xf0000000u);
}

static void k_crc(const struct state *st, uint8_t *rec)
{
	uint32_t crc = (uint32_t)st->x[14];
	for (int i = 0; i < 8; i++) {
		crc ^= (uint8_t)(st->x[15] >> (8 * i));
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (crc & 1 ? 0xedb88320u : 0);
	}
	put64(X(rec, 13), crc);
}

static const struct known known[] = {
	{"no instruction: the initial state comes back", {0}, 0, NULL, k_empty},
	{"add x0, x1, x2", {0x8b020020}, 1, NULL, k_add},
	{"subs x3, x4, x5 (NZCV)", {0xeb050083}, 1, NULL, k_subs},
	{"str x6, [x28, #8] (memory)", {0xf9000786}, 1, NULL, k_str},
	{"ldr x7, [sp, #16]", {0xf9400be7}, 1, NULL, k_ldr},
	{"umulh x8, x9, x10", {0x9bca7d28}, 1, NULL, k_umulh},
	{"fadd d0, d1, d2 (FPSR.IXC)", {0x1e622820}, 1, p_fadd, k_fadd},
	{"mov v3.16b, v4.16b", {0x4ea41c83}, 1, NULL, k_movv},
	{"b.eq over add x11, x11, #1", {0x54000040, 0x9100056b}, 2, NULL, k_beq},
	{"msr nzcv, x12", {0xd51b420c}, 1, NULL, k_msr},
	{"crc32x w13, w14, x15", {0x9acf4dcd}, 1, NULL, k_crc},
};

#define KNOWN_STATES 16

static void known_answers(const struct diff_opts *o, struct tally *t, FILE *out)
{
	size_t nk = sizeof known / sizeof known[0];
	int n = (int)nk * KNOWN_STATES;
	struct seq *seqs = calloc(nk, sizeof *seqs);
	struct state *st = calloc((size_t)n, sizeof *st);
	struct prog_item *items = calloc((size_t)n, sizeof *items);
	uint8_t *expect = calloc((size_t)n, REC_SIZE);
	if (!seqs || !st || !items || !expect) {
		result(t, out, false, "known answers: out of memory");
		goto done;
	}
	for (size_t k = 0; k < nk; k++) {
		seqs[k].n = known[k].n;
		memcpy(seqs[k].w, known[k].w, sizeof known[k].w);
	}
	for (int i = 0; i < n; i++) {
		const struct known *kn = &known[i / KNOWN_STATES];
		state_random(&st[i], rng_mix(0x5e1f7e57, (uint64_t)i));
		st[i].x[REG_PINNED] = prog_x28(i);
		uint8_t *rec = expect + (size_t)i * REC_SIZE;
		if (kn->prepare)
			kn->prepare(&st[i]);
		state_to_record(&st[i], prog_sp(i), prog_magic(i), rec);
		kn->expect(&st[i], rec);
		items[i] = (struct prog_item){i, i, &seqs[i / KNOWN_STATES], SEQ_MAX, &st[i]};
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/known.elf", o->tmpdir);
	struct image im;
	if (prog_build(&im, items, n, 4) < 0 || elf_write(path, &im) < 0) {
		result(t, out, false, "known answers: cannot write the program");
		goto done;
	}
	image_free(&im);
	struct proc_result res;
	int rc = run_ref(o, path, &res);
	if (rc < 0 || !proc_ok(&res) || res.out_len != (size_t)n * REC_SIZE) {
		char how[64];
		proc_describe(&res, how, sizeof how);
		fprintf(out, "  %s: %s, %zu bytes of dumps\n", o->ref_cmd, how, res.out_len);
		result(t, out, false, "known answers: the reference did not run the program");
		proc_result_free(&res);
		goto done;
	}
	for (size_t k = 0; k < nk; k++) {
		int bad = 0;
		for (int s = 0; s < KNOWN_STATES; s++) {
			size_t i = k * KNOWN_STATES + (size_t)s;
			if (memcmp(res.out + i * REC_SIZE, expect + i * REC_SIZE, REC_SIZE) != 0) {
				if (bad++ == 0) {
					fprintf(out, "  state %d: reference (ref) vs the value computed here (emu):\n", s);
					compare_records(res.out + i * REC_SIZE, expect + i * REC_SIZE, out, 10);
				}
			}
		}
		char what[160];
		snprintf(what, sizeof what, "known answer, %d random states: %s", KNOWN_STATES, known[k].name);
		result(t, out, bad == 0, what);
	}
	proc_result_free(&res);
done:
	free(seqs);
	free(st);
	free(items);
	free(expect);
}

/* ---- the reference against itself ---- */

static void self_identical(const struct diff_opts *base, struct tally *t, FILE *out)
{
	for (int c = 0; c < ISA_NCLASS; c++) {
		struct diff_opts o = *base;
		o.cls = (enum isa_class)c;
		o.seed = 1;
		o.first = 0;
		o.nseq = 100;
		o.emu = o.ref;
		o.emu_cmd = o.ref_cmd;
		struct diff_stats st;
		int rc = diff_run(&o, &st, out);
		char what[160];
		snprintf(what, sizeof what, "%s against itself, class %s (%ld instructions): identical",
			 o.ref_cmd, isa_class_name(o.cls), st.insns);
		result(t, out, rc == DIFF_OK && st.insns == o.nseq * o.seqlen, what);
	}
}

/* ---- corrupted dumps ---- */

static void corrupted(const struct diff_opts *o, struct tally *t, FILE *out)
{
	enum { N = 8 };
	struct seq *seqs = calloc(N, sizeof *seqs);
	struct state *st = calloc(N, sizeof *st);
	struct prog_item items[N];
	unsigned long long magic[N];
	if (!seqs || !st) {
		result(t, out, false, "corrupted dumps: out of memory");
		goto done;
	}
	for (int i = 0; i < N; i++) {
		uint64_t ss = isa_seq_seed(7, ISA_MIXED, i);
		gen_seq(&seqs[i], ISA_MIXED, ss, o->seqlen);
		state_random(&st[i], ss);
		items[i] = (struct prog_item){i, i, &seqs[i], SEQ_MAX, &st[i]};
		magic[i] = prog_magic(i);
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/corrupt.elf", o->tmpdir);
	struct image im;
	if (prog_build(&im, items, N, o->seqlen) < 0 || elf_write(path, &im) < 0) {
		result(t, out, false, "corrupted dumps: cannot write the program");
		goto done;
	}
	image_free(&im);
	struct proc_result ref;
	int rc = run_ref(o, path, &ref);
	if (rc < 0 || !proc_ok(&ref)) {
		result(t, out, false, "corrupted dumps: the reference did not run the program");
		proc_result_free(&ref);
		goto done;
	}
	static const struct {
		int rec, off;
		uint8_t flip;
		const char *name, *what;
	} cases[] = {
		{3, REC_X + 7 * 8 + 2, 0x10, "x7 ", "one bit of x7 in dump 3"},
		{0, REC_NZCV + 3, 0x10, "nzcv ", "the V flag in dump 0"},
		{5, REC_FPSR, 0x01, "fpsr ", "FPSR.IOC in dump 5"},
		{6, REC_V + 31 * 16 + 15, 0x80, "v31 ", "the top bit of v31 in dump 6"},
		{7, REC_MEM + SCRATCH_SIZE - 1, 0x01, "mem[0x3ff]", "the last byte of memory in dump 7"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct proc_result emu = ref;
		emu.out = malloc(ref.out_len);
		if (!emu.out)
			break;
		memcpy(emu.out, ref.out, ref.out_len);
		emu.out[(size_t)cases[k].rec * REC_SIZE + (size_t)cases[k].off] ^= cases[k].flip;
		struct verdict v = diff_verdict(&ref, N, magic, &emu, 0, N, 0);
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		int items_n = mem ? compare_records(ref.out + (size_t)cases[k].rec * REC_SIZE,
						    emu.out + (size_t)cases[k].rec * REC_SIZE, mem, 10) : -1;
		if (mem)
			fclose(mem);
		bool ok = v.kind == V_MISMATCH && v.at == cases[k].rec && items_n == 1 && text &&
			  strstr(text, cases[k].name);
		char what[160];
		snprintf(what, sizeof what, "a corrupted dump is reported: %s", cases[k].what);
		result(t, out, ok, what);
		if (text)
			fprintf(out, "%s", text);
		free(text);
		free(emu.out);
	}
	/* a missing dump: the emulator died in sequence 6 */
	struct proc_result emu = ref;
	emu.out_len = 6 * REC_SIZE + 100;
	emu.status = 4; /* as if killed by SIGILL */
	struct verdict v = diff_verdict(&ref, N, magic, &emu, 0, N, 0);
	result(t, out, v.kind == V_DIED && v.at == 6,
	       "a truncated output is reported as the emulator dying in that sequence");
	proc_result_free(&ref);
done:
	free(seqs);
	free(st);
}

/* ---- injected faults, found by the whole machinery (run, compare, bisect) ---- */

struct inject {
	long seq;
	int at;
	uint32_t word;
};

static void inject_edit(struct seq *body, long index, void *arg)
{
	const struct inject *in = arg;
	if (index == in->seq && in->at < body->n)
		body->w[in->at] = in->word;
}

static void injected(const struct diff_opts *base, struct tally *t, FILE *out)
{
	/* The data-processing class touches no memory and never writes x28, so an ADD to x28
	 * changes the state for certain and harmlessly. */
	struct inject add = {3, 7, 0x9100079c}; /* add x28, x28, #1 */
	struct diff_opts o = *base;
	o.cls = ISA_DP;
	o.seed = 11;
	o.first = 0;
	o.nseq = 8;
	o.emu = o.ref;
	o.emu_cmd = o.ref_cmd;
	o.edit = inject_edit;
	o.edit_arg = &add;
	struct diff_stats st;
	int rc = diff_run(&o, &st, out);
	result(t, out, rc == DIFF_FAIL && st.mismatched == 1 && st.culprit_seq == 3 &&
			       st.culprit_insn == 7,
	       "a changed instruction (7 of sequence 3) is found and bisected to instruction 7");

	struct inject udf = {2, 5, 0x00000000}; /* udf #0 */
	o.edit_arg = &udf;
	rc = diff_run(&o, &st, out);
	result(t, out, rc == DIFF_SKIP && st.sigill == 1 && st.culprit_seq == 2 &&
			       st.culprit_insn == 5 && st.seqs == 7,
	       "an undefined instruction (5 of sequence 2) is reported as SIGILL there, and the "
	       "other 7 sequences are still compared");
}

int selftest_run(const struct diff_opts *base, FILE *out)
{
	struct tally t = {0, 0};
	known_answers(base, &t, out);
	self_identical(base, &t, out);
	corrupted(base, &t, out);
	injected(base, &t, out);
	fprintf(out, "selftest: %d passed, %d failed\n", t.passed, t.failed);
	return t.failed;
}
