/* tests/isa/compare: record comparison and its report. Writes only to the stream given. */
#include "compare.h"

#include <string.h>

#include "layout.h"

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void flags_nzcv(uint64_t v, char *buf)
{
	snprintf(buf, 8, "%c%c%c%c", v >> 31 & 1 ? 'N' : 'n', v >> 30 & 1 ? 'Z' : 'z',
		 v >> 29 & 1 ? 'C' : 'c', v >> 28 & 1 ? 'V' : 'v');
}

static void flags_fpsr(uint64_t v, char *buf, size_t len)
{
	static const struct {
		int bit;
		const char *name;
	} f[] = {{0, "IOC"}, {1, "DZC"}, {2, "OFC"}, {3, "UFC"}, {4, "IXC"}, {7, "IDC"}, {27, "QC"}};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (v >> f[i].bit & 1) {
			size_t n = strlen(buf);
			snprintf(buf + n, len - n, "%s%s", n ? " " : "", f[i].name);
		}
}

static void flags_fpcr(uint64_t v, char *buf, size_t len)
{
	static const char *const rm[] = {"RN", "RP", "RM", "RZ"};
	snprintf(buf, len, "%s%s%s%s", rm[v >> 22 & 3], v >> 24 & 1 ? " FZ" : "",
		 v >> 25 & 1 ? " DN" : "", v >> 26 & 1 ? " AHP" : "");
}

struct out {
	FILE *f;
	int lines, max, items;
};

static void line(struct out *o, const char *name, const char *ref, const char *emu)
{
	o->items++;
	if (o->lines++ < o->max)
		fprintf(o->f, "    %-10s ref %-37s  emu %s\n", name, ref, emu);
	else if (o->lines == o->max + 1)
		fprintf(o->f, "    ...\n");
}

static void word(struct out *o, const char *name, const uint8_t *r, const uint8_t *e, int kind)
{
	uint64_t a = get64(r), b = get64(e);
	if (a == b)
		return;
	char ra[80], eb[80], fa[40], fb[40];
	fa[0] = fb[0] = 0;
	if (kind == 1)
		flags_nzcv(a, fa), flags_nzcv(b, fb);
	else if (kind == 2)
		flags_fpsr(a, fa, sizeof fa), flags_fpsr(b, fb, sizeof fb);
	else if (kind == 3)
		flags_fpcr(a, fa, sizeof fa), flags_fpcr(b, fb, sizeof fb);
	if (kind) {
		snprintf(ra, sizeof ra, "0x%08llx (%s)", (unsigned long long)a, fa);
		snprintf(eb, sizeof eb, "0x%08llx (%s)", (unsigned long long)b, fb);
	} else {
		snprintf(ra, sizeof ra, "0x%016llx", (unsigned long long)a);
		snprintf(eb, sizeof eb, "0x%016llx", (unsigned long long)b);
	}
	line(o, name, ra, eb);
}

static void hex(char *buf, const uint8_t *p, int n)
{
	for (int i = 0; i < n; i++)
		sprintf(buf + 2 * i, "%02x", p[i]);
}

int compare_records(const uint8_t *ref, const uint8_t *emu, FILE *f, int max_lines)
{
	struct out o = {f, 0, max_lines, 0};
	char name[16];
	for (int i = 0; i < 31; i++) {
		snprintf(name, sizeof name, "x%d", i);
		word(&o, name, ref + REC_X + 8 * i, emu + REC_X + 8 * i, 0);
	}
	word(&o, "sp", ref + REC_SP, emu + REC_SP, 0);
	word(&o, "nzcv", ref + REC_NZCV, emu + REC_NZCV, 1);
	word(&o, "fpsr", ref + REC_FPSR, emu + REC_FPSR, 2);
	word(&o, "fpcr", ref + REC_FPCR, emu + REC_FPCR, 3);
	word(&o, "magic", ref + REC_MAGIC, emu + REC_MAGIC, 0);
	for (int i = 0; i < 32; i++) {
		const uint8_t *r = ref + REC_V + 16 * i, *e = emu + REC_V + 16 * i;
		if (memcmp(r, e, 16) == 0)
			continue;
		char ra[40], eb[40];
		/* high doubleword first, as a 128-bit number */
		snprintf(ra, sizeof ra, "0x%016llx_%016llx", (unsigned long long)get64(r + 8),
			 (unsigned long long)get64(r));
		snprintf(eb, sizeof eb, "0x%016llx_%016llx", (unsigned long long)get64(e + 8),
			 (unsigned long long)get64(e));
		snprintf(name, sizeof name, "v%d", i);
		line(&o, name, ra, eb);
	}
	/* memory: runs of differing bytes (16 at most a line), by offset in the scratch buffer */
	const uint8_t *rm = ref + REC_MEM, *em = emu + REC_MEM;
	for (int i = 0; i < SCRATCH_SIZE;) {
		if (rm[i] == em[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < SCRATCH_SIZE && j - i < 16 && rm[j] != em[j])
			j++;
		char ra[40], eb[40];
		hex(ra, rm + i, j - i);
		hex(eb, em + i, j - i);
		snprintf(name, sizeof name, "mem[%#x]", i);
		line(&o, name, ra, eb);
		i = j;
	}
	return o.items;
}
