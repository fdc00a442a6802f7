/* tests/isa/disasm: instruction words as text, by aarch64-linux-gnu-objdump (or $OBJDUMP);
 * without it, the words in hex alone. */
#ifndef ISA_DISASM_H
#define ISA_DISASM_H

#include <stdint.h>
#include <stdio.h>

#define DISASM_TEXT 96

/* text[i] receives instruction i's disassembly ("add x0, x1, x2"); 0, or -1 when objdump
 * could not be run (text[i] is then empty). tmpdir holds a scratch file. */
int disasm_words(const uint32_t *w, int n, uint64_t addr, char (*text)[DISASM_TEXT],
		 const char *tmpdir);
/* Print "  addr: word  text" lines; the instruction at index mark (if >= 0) gets "<==". */
void disasm_print(FILE *out, const uint32_t *w, int n, uint64_t addr, int mark,
		  const char *tmpdir);

#endif
