/* emu/run: running a guest CPU: fetch (or translate) the block at pc, execute its ops, repeat,
 * until the CPU exits (system call, exception, fault, interrupt). */
#ifndef VIREO_EMU_RUN_H
#define VIREO_EMU_RUN_H

#include <setjmp.h>

#include "emu/aarch64/a64.h"
#include "emu/tb.h"

struct a64_runner {
	struct a64_cpu *cpu;
	sigjmp_buf jb;       /* where a host fault in guest code lands */
	volatile int in_guest;
};

/* Run until cpu->exit is set; returns it. The runner must stay alive while running; the
 * owner's SIGSEGV/SIGBUS handler calls a64_run_fault() on the current thread's runner. */
enum a64_exit a64_run(struct a64_runner *r);
/* From a signal handler: the guest access at addr faulted. Does not return when the runner
 * was executing guest code (the CPU exits with A64_EXIT_FAULT at the faulting op's pc);
 * returns otherwise, so the handler can treat the fault as the emulator's own. */
void a64_run_fault(struct a64_runner *r, uint64_t addr, int is_write, int bus);

#endif
