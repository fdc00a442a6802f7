/* tests/isa/a64-scan: the emulator's front end over every instruction of real arm64 programs.
 * For each ELF file named, every 32-bit word of its executable sections (SHF_EXECINSTR,
 * SHT_PROGBITS) is decoded by a64_decode and bound by a64_bind, as the translator would; the
 * words that come out invalid or bound to the UNDEF handler are printed, one line each:
 *   FILE<TAB>ADDRESS<TAB>WORD          (address and word in hex)
 * A word that is not printed runs (how well is isa-diff's and the program suites' business).
 * tests/integration/emu-apps.bats runs it over Debian's arm64 glibc, busybox, coreutils, bash,
 * perl, python, sqlite, xz and gzip and their libraries, and accepts only words that are data or
 * belong to extensions the emulator does not advertise (SVE, MTE, crypto ...).
 *   a64-scan [-s] [-n] FILE...   -s: a summary per file (words, unknown) on stderr
 *                                -n: skip the files that are not ELF (scripts, data)
 * tests/isa/a64-scan-explain.py names what the printed words are (objdump) and fails on any
 * that is not explained.
 * Exit status: 0, or 2 when a file cannot be read or is not a little-endian ELF64 AArch64 file.
 * Touches: nothing but reading the files named. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/aarch64/a64.h"

static int read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	size_t cap = 1 << 20, n = 0;
	unsigned char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		unsigned char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	int err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!buf)
		return -ENOMEM;
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* Scan one file; returns 0, or -1 with a message on stderr. */
static int scan(const char *path, int summary, int skip_non_elf)
{
	unsigned char *d = NULL;
	size_t len = 0;
	int rc = read_file(path, &d, &len);
	if (rc) {
		fprintf(stderr, "a64-scan: %s: %s\n", path, strerror(-rc));
		return -1;
	}
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)d;
	if (skip_non_elf && (len < SELFMAG || memcmp(d, ELFMAG, SELFMAG))) {
		free(d);
		return 0;
	}
	if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_AARCH64) {
		fprintf(stderr, "a64-scan: %s: not a little-endian ELF64 AArch64 file\n", path);
		free(d);
		return -1;
	}
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
	    (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > len - eh->e_shoff) {
		fprintf(stderr, "a64-scan: %s: section headers out of the file\n", path);
		free(d);
		return -1;
	}
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(d + eh->e_shoff);
	unsigned long words = 0, unknown = 0;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_PROGBITS || !(sh[i].sh_flags & SHF_EXECINSTR))
			continue;
		if (sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset) {
			fprintf(stderr, "a64-scan: %s: section %u out of the file\n", path, i);
			free(d);
			return -1;
		}
		for (uint64_t off = 0; off + 4 <= sh[i].sh_size; off += 4) {
			const unsigned char *p = d + sh[i].sh_offset + off;
			uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
			uint64_t pc = sh[i].sh_addr + off;
			struct a64_op op;
			a64_decode(w, pc, &op);
			a64_bind(&op);
			words++;
			if (op.cls == A64_CLS_INVALID || op.fn == a64_exec_undef) {
				unknown++;
				printf("%s\t%llx\t%08x\n", path, (unsigned long long)pc, w);
			}
		}
	}
	if (summary)
		fprintf(stderr, "%s: %lu words, %lu not implemented\n", path, words, unknown);
	free(d);
	return 0;
}

int main(int argc, char **argv)
{
	int summary = 0, skip = 0, i = 1, bad = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-s"))
			summary = 1;
		else if (!strcmp(argv[i], "-n"))
			skip = 1;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: a64-scan [-s] [-n] FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		if (scan(argv[i], summary, skip))
			bad = 1;
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "a64-scan: writing the output: %s\n", strerror(errno));
		return 2;
	}
	return bad ? 2 : 0;
}
