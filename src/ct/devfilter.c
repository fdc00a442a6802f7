/* ct/devfilter: the device allow-list as a cgroup v2 BPF program (BPF_PROG_TYPE_CGROUP_DEVICE),
 * which is how cgroup v2 controls device access. The program is a short chain of comparisons
 * built here instruction by instruction; it returns 1 (allow) for listed character devices
 * and 0 (deny) for everything else. Touches only the cgroup directory it is given. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/util.h"

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
	return i;
}

#define LDX_W(dst, src, off) insn(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define MOV_REG(dst, src) insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define AND_IMM(dst, imm) insn(BPF_ALU64 | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH_IMM(dst, imm) insn(BPF_ALU64 | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off) insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define MOV_IMM(dst, imm) insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define EXIT() insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define DEV_ANY (-1)

struct dev_rule {
	int major, minor; /* character devices; minor DEV_ANY matches all */
};

/* null zero full random urandom tty ptmx, and every pts (the container's console is one) */
static const struct dev_rule rules[] = {
	{ 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 2 }, { 136, DEV_ANY },
};

/* Build the program into prog (room for max instructions); returns its length. */
size_t devfilter_build(struct bpf_insn *prog, size_t max);
size_t devfilter_build(struct bpf_insn *prog, size_t max)
{
	size_t n = 0;
	/* r1 = struct bpf_cgroup_dev_ctx *: access_type (access << 16 | type), major, minor */
	prog[n++] = LDX_W(2, 1, 0);
	prog[n++] = AND_IMM(2, 0xffff); /* r2 = type */
	prog[n++] = LDX_W(4, 1, 4);     /* r4 = major */
	prog[n++] = LDX_W(5, 1, 8);     /* r5 = minor */
	for (size_t i = 0; i < ARRAY_SIZE(rules) && n + 6 < max; i++) {
		bool any = rules[i].minor == DEV_ANY;
		int16_t skip = any ? 3 : 4; /* past the rest of this rule */
		prog[n++] = JNE_IMM(2, BPF_DEVCG_DEV_CHAR, skip);
		prog[n++] = JNE_IMM(4, rules[i].major, (int16_t)(skip - 1));
		if (!any)
			prog[n++] = JNE_IMM(5, rules[i].minor, 2);
		prog[n++] = MOV_IMM(0, 1);
		prog[n++] = EXIT();
	}
	prog[n++] = MOV_IMM(0, 0);
	prog[n++] = EXIT();
	return n;
}

int devfilter_attach(const char *cgroup_dir, struct vireo_err *err);
int devfilter_attach(const char *cgroup_dir, struct vireo_err *err)
{
	struct bpf_insn prog[128];
	size_t n = devfilter_build(prog, ARRAY_SIZE(prog));
	char log[4096] = "";
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof log;
	a.log_level = 1;
	int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
	if (pfd < 0) {
		int e = errno;
		char *nl = strrchr(log, '\n');
		if (nl && nl == log + strlen(log) - 1)
			*nl = '\0';
		return verr_sys(err, e, "cannot load the device filter%s%s", log[0] ? ": " : "",
				log[0] ? (strrchr(log, '\n') ? strrchr(log, '\n') + 1 : log) : "");
	}
	int cfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfd < 0) {
		int e = errno;
		close(pfd);
		return verr_sys(err, e, "cannot open %s", cgroup_dir);
	}
	memset(&a, 0, sizeof a);
	a.target_fd = (uint32_t)cfd;
	a.attach_bpf_fd = (uint32_t)pfd;
	a.attach_type = BPF_CGROUP_DEVICE;
	int r = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a);
	int e = errno;
	close(cfd);
	close(pfd); /* the cgroup keeps the program */
	if (r < 0)
		return verr_sys(err, e, "cannot attach the device filter to %s", cgroup_dir);
	return 0;
}
