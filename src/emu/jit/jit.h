/* emu/jit: the x86-64 code generator, the emulator's second back end. It compiles a translation
 * block's ops (the front end's output, unchanged) into host code: the common integer, branch and
 * load/store kinds natively, every other op as a call to its interpreter handler. Generated
 * code keeps all guest state in struct a64_cpu at every instruction boundary, so a fault or an
 * exit anywhere leaves exact architectural state, as the interpreter does. */
#ifndef VIREO_JIT_H
#define VIREO_JIT_H

#include <stdbool.h>

#include "emu/aarch64/a64.h"

struct tb;

/* Set up the code buffer once per process (later calls return the first answer). False when
 * the host cannot run generated code (no BMI2, no executable memory) or VIREO_JIT=0 asks for
 * the interpreter: blocks then have no code and the interpreter runs them. */
bool jit_init(void);
/* Host code for tb, or NULL (the buffer is full, or the JIT is off): the interpreter runs it. */
void *jit_compile(struct tb *tb);
/* Prepare a CPU's constant tables used by generated code (idempotent). */
void jit_cpu_init(struct a64_cpu *cpu);
/* Run generated code from code until a block ends without a cached successor, or the CPU
 * exits or is interrupted; cpu->pc then says where to go on. */
void jit_run(struct a64_cpu *cpu, void *code);

/* Chain the direct exit whose jump is at site (from cpu->jit_link) to tb's code. The caller
 * holds the tb cache's lock, so tb cannot be invalidated meanwhile. */
void jit_link(void *site, struct tb *tb);
/* tb is being invalidated (tb cache lock held): every chained jump into it goes back to its
 * slow path. */
void jit_unlink(struct tb *tb);

#endif
