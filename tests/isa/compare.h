/* tests/isa/compare: comparing two dump records and saying, register by register and memory
 * range by memory range, what differs. */
#ifndef ISA_COMPARE_H
#define ISA_COMPARE_H

#include <stdint.h>
#include <stdio.h>

/* Print one line per differing item (x0..x30, sp, nzcv, fpsr, fpcr, v0..v31, ranges of the
 * scratch buffer), at most max_lines; return the number of differing items (0: identical). */
int compare_records(const uint8_t *ref, const uint8_t *emu, FILE *out, int max_lines);

#endif
