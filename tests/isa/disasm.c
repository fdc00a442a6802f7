/* tests/isa/disasm: running objdump on a scratch file in the run's temporary directory. */
#include "disasm.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int disasm_words(const uint32_t *w, int n, uint64_t addr, char (*text)[DISASM_TEXT],
		 const char *tmpdir)
{
	for (int i = 0; i < n; i++)
		text[i][0] = 0;
	char path[4096], cmd[8192];
	snprintf(path, sizeof path, "%s/disasm.bin", tmpdir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(w, 4, (size_t)n, f);
	if (fclose(f) != 0)
		return -1;
	const char *objdump = getenv("OBJDUMP");
	if (!objdump || !*objdump)
		objdump = "aarch64-linux-gnu-objdump";
	snprintf(cmd, sizeof cmd, "'%s' -D -b binary -maarch64 --adjust-vma=0x%" PRIx64 " '%s' 2>/dev/null",
		 objdump, addr, path);
	FILE *p = popen(cmd, "r");
	if (!p) {
		unlink(path);
		return -1;
	}
	char line[512];
	int got = 0;
	while (fgets(line, sizeof line, p)) {
		/* "  400100:	8b020020 	add	x0, x1, x2" */
		char *colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		char *end;
		uint64_t a = strtoull(line, &end, 16);
		if (end != colon || a < addr || (a - addr) % 4 || (a - addr) / 4 >= (uint64_t)n)
			continue;
		char *tab = strchr(colon + 2, '\t');
		if (!tab)
			continue;
		char *t = tab + 1, *o = text[(a - addr) / 4];
		size_t k = 0;
		for (; *t && *t != '\n' && k + 1 < DISASM_TEXT; t++)
			o[k++] = *t == '\t' ? ' ' : *t;
		while (k > 0 && o[k - 1] == ' ')
			k--;
		o[k] = 0;
		got++;
	}
	int rc = pclose(p);
	unlink(path);
	return got > 0 && rc == 0 ? 0 : -1;
}

void disasm_print(FILE *out, const uint32_t *w, int n, uint64_t addr, int mark, const char *tmpdir)
{
	char (*text)[DISASM_TEXT] = calloc((size_t)(n ? n : 1), sizeof *text);
	if (!text)
		return;
	disasm_words(w, n, addr, text, tmpdir);
	for (int i = 0; i < n; i++)
		fprintf(out, i == mark ? "    %3d  %08" PRIx64 ":  %08x  %-44s <==\n" :
					 "    %3d  %08" PRIx64 ":  %08x  %s\n",
			i, addr + 4 * (uint64_t)i, w[i], text[i]);
	free(text);
}
