/* tests/isa/exec: running emulators: several commands at once, each with stdin from /dev/null
 * and its stdout and stderr captured, killed if still running after a timeout. */
#ifndef ISA_EXEC_H
#define ISA_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc_result {
	uint8_t *out; /* stdout */
	size_t out_len;
	char *err; /* stderr, at most 64 KiB, NUL-terminated */
	size_t err_len;
	int status; /* as waitpid gives it */
	bool timed_out;
};

/* Run argvs[0..n) concurrently. 0, or -1 when a process could not be started (errno). */
int exec_run(char *const *const argvs[], struct proc_result res[], int n, int timeout_s);
void proc_result_free(struct proc_result *r);
/* "exit 0", "exit 3", "killed by SIGILL", "timed out" ... */
void proc_describe(const struct proc_result *r, char *buf, size_t len);
bool proc_ok(const struct proc_result *r);     /* exited with status 0 */
bool proc_sigill(const struct proc_result *r); /* died of SIGILL (or a shell's 128+4) */

#endif
