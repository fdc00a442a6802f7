/* ct/security: what a process about to run container code gives up: capabilities from the
 * bounding set (all of them stay inside a user namespace, where they reach only the
 * container's own world) and the system calls that must never reach the host kernel from a
 * container (libseccomp filter). Runs in the process itself; touches nothing else. */
#include "ct/ct-internal.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/prctl.h>

/* Without a user namespace, root inside is root on the host: these go. sys_ptrace goes too,
 * so nothing inside can attach to a process Vireo is joining into the container. */
static const cap_value_t drop_no_userns[] = {
	CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_SYS_BOOT,
	CAP_MAC_ADMIN, CAP_MAC_OVERRIDE, CAP_SYS_PTRACE, CAP_SYSLOG, CAP_BPF, CAP_PERFMON,
	CAP_DAC_READ_SEARCH,
};

/* Refused with EPERM in every container: kernel modules, kexec, file handles (the
 * "shocker" escape), kernel keyrings (not namespaced), and host-global knobs. */
static const char *const denied_syscalls[] = {
	"init_module", "finit_module", "delete_module", "create_module",
	"kexec_load", "kexec_file_load",
	"open_by_handle_at", "name_to_handle_at",
	"add_key", "request_key", "keyctl",
	"iopl", "ioperm", "swapon", "swapoff", "acct", "lookup_dcookie",
	"uselib", "nfsservctl", "quotactl_fd", "get_kernel_syms", "query_module",
	"_sysctl", "vm86", "vm86old",
};

static int drop_caps(const struct ct_config *cfg, struct vireo_err *err)
{
	if (cfg->userns)
		return 0;
	for (size_t i = 0; i < sizeof drop_no_userns / sizeof drop_no_userns[0]; i++) {
		if (!CAP_IS_SUPPORTED(drop_no_userns[i]))
			continue;
		if (cap_drop_bound(drop_no_userns[i]) < 0)
			return verr_sys(err, errno, "cannot drop capability %s",
					cap_to_name(drop_no_userns[i]));
	}
	cap_t caps = cap_get_proc();
	if (!caps)
		return verr_sys(err, errno, "cannot read capabilities");
	int r = cap_set_flag(caps, CAP_EFFECTIVE, sizeof drop_no_userns / sizeof drop_no_userns[0],
			     drop_no_userns, CAP_CLEAR);
	r |= cap_set_flag(caps, CAP_PERMITTED, sizeof drop_no_userns / sizeof drop_no_userns[0],
			  drop_no_userns, CAP_CLEAR);
	r |= cap_set_flag(caps, CAP_INHERITABLE, sizeof drop_no_userns / sizeof drop_no_userns[0],
			  drop_no_userns, CAP_CLEAR);
	if (r == 0)
		r = cap_set_proc(caps);
	int e = errno;
	cap_free(caps);
	if (r < 0)
		return verr_sys(err, e, "cannot drop capabilities");
	return 0;
}

static int load_seccomp(const struct ct_config *cfg, int *notify_fd, struct vireo_err *err)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return verr(err, ENOMEM, "cannot create the seccomp filter");
	int r = 0;
	/* Cover the 32-bit entry points too, or they would bypass the filter. */
	seccomp_arch_add(f, SCMP_ARCH_X86);
	seccomp_arch_add(f, SCMP_ARCH_X32);
	for (size_t i = 0; i < sizeof denied_syscalls / sizeof denied_syscalls[0]; i++) {
		int nr = seccomp_syscall_resolve_name(denied_syscalls[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		r = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (r < 0 && r != -EDOM && r != -EEXIST)
			break;
		r = 0;
	}
	/* Without a user namespace of its own, a container must not make one: inside it, root
	 * would regain the capabilities dropped above over new mounts (cgroup v1 hierarchies...).
	 * clone3 passes its flags in memory, out of the filter's sight: make it look absent, so
	 * libc falls back to clone. */
	if (r == 0 && !cfg->userns) {
		r = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
		if (r == 0)
			r = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
					     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
		if (r == 0)
			r = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	}
	/* sysinfo(2) answered by vireo-procfs with the container's memory, uptime and load, and
	 * sched_getaffinity(0, ...) with at most the CPUs a CPU quota leaves (so nproc agrees with
	 * --cpus); the daemon answers the native ABI, a 32-bit caller gets the kernel's answer. */
	bool notify = notify_fd && seccomp_api_get() >= 5;
	if (r == 0 && notify)
		r = seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(sysinfo), 0);
	if (r == 0 && notify)
		r = seccomp_rule_add(f, SCMP_ACT_NOTIFY, SCMP_SYS(sched_getaffinity), 1,
				     SCMP_A0(SCMP_CMP_EQ, 0));
	if (r == 0)
		r = seccomp_load(f);
	if (r == 0 && notify)
		*notify_fd = seccomp_notify_fd(f);
	seccomp_release(f);
	if (r < 0)
		return verr_sys(err, -r, "cannot load the seccomp filter");
	return 0;
}

int sec_confine(const struct ct_config *cfg, struct vireo_err *err)
{
	int r = drop_caps(cfg, err);
	if (r < 0)
		return r;
	return load_seccomp(cfg, NULL, err);
}

int sec_confine_notify(const struct ct_config *cfg, int *notify_fd, struct vireo_err *err)
{
	*notify_fd = -1;
	int r = drop_caps(cfg, err);
	if (r < 0)
		return r;
	return load_seccomp(cfg, notify_fd, err);
}
