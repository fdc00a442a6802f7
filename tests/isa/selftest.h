/* tests/isa/selftest: proof that the harness itself works, with the reference emulator only:
 * known answers (empty sequences give back their initial state; a few instructions give the
 * results computed here), the reference against itself (identical), corrupted dumps (reported,
 * naming the register or memory that was changed), and injected faults (a changed instruction
 * is bisected to exactly that instruction; an undefined one is reported as SIGILL there). */
#ifndef ISA_SELFTEST_H
#define ISA_SELFTEST_H

#include <stdio.h>

#include "diff.h"

/* base: the options of a run (reference command, tmpdir...); its emu is ignored. Returns the
 * number of failed checks. */
int selftest_run(const struct diff_opts *base, FILE *out);

#endif
