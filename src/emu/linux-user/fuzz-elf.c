/* emu/linux-user/fuzz-elf: the ELF loader's header checks (lu_elf_check) as a fuzz target.
 * With clang and libFuzzer, from the top of the tree after a build:
 *   clang -fsanitize=fuzzer,address -DVIREO_LIBFUZZER -D_GNU_SOURCE -Isrc \
 *     src/emu/linux-user/{fuzz-elf,elf,mem}.c build/src/emu/libvireo-emu.a \
 *     build/src/lib/libvireo-lib.a -lpthread -lm -o fuzz-elf
 *   ./fuzz-elf -max_len=4096 CORPUS_DIR   (a few arm64 programs make a good corpus)
 * Without (the normal build), a deterministic smoke driver: each FILE as is, then N mutations
 * of it (byte flips and boundary values, mostly in the headers) from SEED; the build's
 * sanitizers catch any out-of-bounds read. tests/integration/emu-user.bats runs it.
 *   fuzz-elf [-n N] [-s SEED] FILE...
 * Touches: nothing but its own memory. */
#include "emu/linux-user/lu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vireo_err err;
	/* A copy of exactly size bytes: a read past the end is the sanitizer's to see. */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	lu_elf_check(copy, size, &err);
	free(copy);
	return 0;
}

#ifndef VIREO_LIBFUZZER
static uint64_t next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static void mutate(uint8_t *d, size_t n, uint64_t *s)
{
	static const uint64_t special[] = {0, 1, 0x38, 0x40, 0xff, 0xffff, 0x7fffffff, 0xffffffff,
					   0x8000000000000000ull, 0xffffffffffffffffull};
	unsigned k = 1 + (unsigned)(next(s) % 8);
	for (unsigned i = 0; i < k && n; i++) {
		/* Mostly the ELF header and the program headers that follow it. */
		size_t lim = (next(s) % 4) ? (n < 512 ? n : 512) : n;
		size_t off = (size_t)(next(s) % lim);
		if (next(s) % 2) {
			d[off] = (uint8_t)next(s);
		} else {
			uint64_t v = special[next(s) % (sizeof special / sizeof special[0])];
			size_t w = (size_t)1 << (next(s) % 4);
			for (size_t b = 0; b < w && off + b < n; b++)
				d[off + b] = (uint8_t)(v >> (8 * b));
		}
	}
}

int main(int argc, char **argv)
{
	unsigned long n = 1000;
	uint64_t seed = 1;
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-n"))
			n = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-s"))
			seed = strtoull(argv[i + 1], NULL, 0) | 1;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: fuzz-elf [-n N] [-s SEED] FILE...\n");
		return 2;
	}
	unsigned long runs = 0, accepted = 0;
	for (; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		/* The first 64 KiB: headers live there. */
		static uint8_t orig[65536];
		size_t len = fread(orig, 1, sizeof orig, f);
		fclose(f);
		struct vireo_err err;
		for (unsigned long r = 0; r <= n; r++) {
			uint8_t *d = malloc(len ? len : 1);
			if (!d)
				return 1;
			memcpy(d, orig, len);
			size_t l = len;
			if (r) {
				mutate(d, l, &seed);
				if (next(&seed) % 16 == 0)
					l = (size_t)(next(&seed) % (l + 1));
			}
			accepted += lu_elf_check(d, l, &err) == 0;
			runs++;
			free(d);
		}
	}
	printf("%lu inputs, %lu accepted\n", runs, accepted);
	return 0;
}
#endif
