#!/usr/bin/env bats
# What a container is shut off from, checked from inside with the static probe
# (tests/fixtures/ct-probe.c: exit 0 = the attempt was refused, 1 = it succeeded) and from the
# host: namespaces, the user namespace's id map, capabilities of --userns no containers, the
# root (pivot_root), /proc, /sys, /dev, masked kernel files, the device cgroup, the seccomp
# filter, and PID 1 (Vireo's init or the template's own). Each point runs in a default
# container (user namespace, CTID 101) and, where it applies, a --userns no container (102).
# Host files are only read and compared, never changed.

load helpers

setup() {
	vireo_setup
	PROBE=$(probe_bin)
	if [ ! -x "$PROBE" ]; then
		echo "ct-probe is not built: ninja -C ${VIREO_BUILD} tests/fixtures/ct-probe" >&2
		return 1
	fi
	HOST_MARKER=""
}

teardown() {
	[ -z "${HOST_MARKER:-}" ] || rm -f "$HOST_MARKER"
	vireo_teardown
}

# Start a container of the given kind with the probe at /ct-probe; sets CT.
start_ct() { # userns|nouserns
	case "$1" in
	userns) CT=101; vireo create "$CT" >/dev/null ;;
	nouserns) CT=102; vireo create "$CT" --userns no >/dev/null ;;
	*) echo "start_ct: unknown kind $1" >&2; return 1 ;;
	esac
	vireo start "$CT"
	ct_put "$CT" "$PROBE" /ct-probe
}

# Host pid of the container's init and of its supervisor.
state_var() { sed -n "s/^$2=\"\\([0-9]*\\)\"\$/\\1/p" "$VIREO_ROOT/run/$1/state"; }
init_pid() { state_var "$1" INIT_PID; }

# Fails when the command succeeds. (A bare `! cmd` never fails a bats test: bash's errexit
# ignores negated commands.)
refute() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
}

# Has host process PID ended? (Exited and not yet reaped by its parent counts as ended.)
gone() {
	local st
	st=$(sed -n 's/^State:\s*\(.\).*/\1/p' /proc/"$1"/status 2>/dev/null) || true
	[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

# Show a command's output in the failure log, then check its status.
expect_status() { # WANT (after `run`)
	printf '%s\n' "$output"
	[ "$status" -eq "$1" ]
}

# --- namespaces -------------------------------------------------------------------------

check_namespaces() { # KIND
	start_ct "$1"
	local init ns host inside ofinit
	init=$(init_pid "$CT")
	[ -n "$init" ]
	for ns in user pid mnt uts ipc net cgroup; do
		host=$(readlink /proc/self/ns/$ns)
		ofinit=$(readlink /proc/$init/ns/$ns)
		run vireo exec "$CT" readlink /proc/self/ns/$ns
		[ "$status" -eq 0 ]
		inside=$output
		echo "$ns: host=$host init=$ofinit exec=$inside"
		# An exec'd process lands in the namespaces of the container's init...
		[ "$inside" = "$ofinit" ]
		# ...and those are not the host's (a --userns no container keeps the host's users).
		if [ "$ns" = user ] && [ "$1" = nouserns ]; then
			[ "$inside" = "$host" ]
		else
			[ "$inside" != "$host" ]
		fi
	done
}

@test "namespaces: user, pid, mnt, uts, ipc, net, cgroup are the container's own (user namespace)" {
	check_namespaces userns
}

@test "namespaces: pid, mnt, uts, ipc, net, cgroup are the container's own (--userns no)" {
	check_namespaces nouserns
}

@test "user namespace: uid and gid map 0 BASE 65536, BASE >= 1048576, init runs on the host as BASE" {
	start_ct userns
	local map base count init
	for map in uid_map gid_map; do
		run vireo exec "$CT" cat /proc/self/$map
		expect_status 0
		# shellcheck disable=SC2086
		set -- $output
		[ "$#" -eq 3 ] && [ "$1" = 0 ] && [ "$3" = 65536 ]
		[ "$2" -ge 1048576 ]
		[ -z "${base:-}" ] || [ "$2" = "$base" ]
		base=$2
	done
	init=$(init_pid "$CT")
	grep -E "^Uid:\s+$base\s+$base\s+$base\s+$base\s*$" /proc/$init/status
	grep -E "^Gid:\s+$base\s+$base\s+$base\s+$base\s*$" /proc/$init/status
	[ "$(stat -c %u /proc/$init)" = "$base" ]
	# The same map, seen from the host.
	read -r a b c < /proc/$init/uid_map
	[ "$a $b $c" = "0 $base 65536" ]
}

@test "user namespace: root's files are root's inside, the host's root is nobody" {
	start_ct userns
	run vireo exec "$CT" /bin/sh -c 'id -u; stat -c %u:%g / /bin/busybox /etc /root; touch /new; stat -c %u:%g /new'
	expect_status 0
	[ "$output" = "$(printf '0\n0:0\n0:0\n0:0\n0:0\n0:0')" ]
	# /dev/null is the host's node (owned by host root, which has no id in the map).
	run vireo exec "$CT" stat -c %u:%g /dev/null
	expect_status 0
	[ "$output" = "65534:65534" ]
}

@test "--userns no: no user namespace, uid map is the host's, dangerous capabilities are gone" {
	start_ct nouserns
	run vireo exec "$CT" cat /proc/self/uid_map
	expect_status 0
	[ "$(echo $output)" = "0 0 4294967295" ]
	[ "$(vireo exec "$CT" readlink /proc/self/ns/user)" = "$(readlink /proc/self/ns/user)" ]
	# An exec'd process: none of these in CapEff, CapPrm or CapBnd.
	run vireo exec "$CT" /ct-probe caps sys_admin sys_module sys_rawio sys_time sys_boot \
		mac_admin mac_override sys_ptrace dac_read_search
	expect_status 0
	# The control: what root keeps is reported as held.
	run vireo exec "$CT" /ct-probe caps chown
	expect_status 1
	# The container's init, read from the host: bits cleared in its bounding set.
	local init bnd bit
	init=$(init_pid "$CT")
	bnd=$(sed -n 's/^CapBnd:\s*//p' /proc/$init/status)
	echo "init CapBnd=$bnd"
	# sys_module 16, sys_rawio 17, sys_ptrace 19, sys_admin 21, sys_boot 22, sys_time 25,
	# mac_override 32, mac_admin 33
	for bit in 16 17 19 21 22 25 32 33; do
		[ $(( (0x$bnd >> bit) & 1 )) -eq 0 ]
	done
}

# --- the root ---------------------------------------------------------------------------

check_root() { # KIND
	start_ct "$1"
	HOST_MARKER=$(mktemp /tmp/vireo-host-marker.XXXXXX)
	[ -e "$HOST_MARKER" ]
	# /proc/1/root is the container's root: the probe is there, the host's marker is not.
	run vireo exec "$CT" /bin/sh -c "readlink /proc/1/root; if test -e /proc/1/root/ct-probe; then echo probe; fi; if test -e /proc/1/root$HOST_MARKER; then echo HOST; fi"
	expect_status 0
	[ "$output" = "$(printf '/\nprobe')" ]
	# The classic chroot escape climbs only to the container's root.
	run vireo exec "$CT" /ct-probe chroot-escape "$HOST_MARKER"
	expect_status 0
	[[ "$output" == *"the container's own root; marker not visible"* ]]
}

@test "pivot_root: /proc/1/root is the container's root and the chroot escape fails (user namespace)" {
	check_root userns
}

@test "pivot_root: /proc/1/root is the container's root and the chroot escape fails (--userns no)" {
	check_root nouserns
}

# --- /proc, /sys, /dev ------------------------------------------------------------------

check_proc_pids() { # KIND
	start_ct "$1"
	local init sup
	init=$(init_pid "$CT")
	sup=$(state_var "$CT" SUPERVISOR_PID)
	run vireo exec "$CT" /bin/sh -c 'cd /proc && for p in [0-9]*; do echo "$p $(cat $p/comm)"; done'
	expect_status 0
	# Only the container's own: init as 1, the shell that lists, nothing of the host's.
	[[ "$output" == "1 "* ]]
	[ "$(echo "$output" | wc -l)" -le 4 ]
	refute grep -Eq '^[0-9]+ (bash|bats|vireo|sshd|systemd)$' <<< "$output"
	for p in $$ "$init" "$sup"; do
		[ "$p" -le 10 ] || refute grep -q "^$p " <<< "$output"
	done
}

@test "/proc: a fresh proc shows only the container's processes (user namespace)" {
	check_proc_pids userns
}

@test "/proc: a fresh proc shows only the container's processes (--userns no)" {
	check_proc_pids nouserns
}

check_sys_ro() { # KIND
	start_ct "$1"
	run vireo exec "$CT" grep -E '^[^ ]+ /sys [^ ]+ ro[, ]' /proc/mounts
	expect_status 0
	# lo's MTU belongs to the container's own network namespace: only the read-only mount
	# stands in the way (the value written is the one read).
	run vireo exec "$CT" /ct-probe write-same /sys/class/net/lo/mtu
	expect_status 0
	[[ "$output" == *"refused (EROFS)"* ]]
	# Nor can a fresh, writable sysfs be mounted, even from a nested user namespace.
	run vireo exec "$CT" /ct-probe mount-sysfs
	expect_status 0
}

@test "/sys: read-only, no writable sysfs can be mounted (user namespace)" {
	check_sys_ro userns
}

@test "/sys: read-only, no writable sysfs can be mounted (--userns no)" {
	check_sys_ro nouserns
}

check_dev() { # KIND
	start_ct "$1"
	run vireo exec "$CT" ls -A /dev
	expect_status 0
	# .vireo: the mount point of vireo-init's read-only tmpfs (the busybox template has no
	# /sbin/init), holding that one regular file and nothing else.
	[ "$(echo $output)" = ".vireo console fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero" ]
	run vireo exec "$CT" /bin/sh -c 'ls -A /dev/.vireo; stat -c %F /dev/.vireo/init'
	expect_status 0
	[ "$(echo $output)" = "init regular file" ]
	run vireo exec "$CT" /bin/sh -c 'cd /dev && for n in null zero full random urandom tty console; do echo "$n $(stat -c "%F %t:%T" $n)"; done; for n in ptmx fd stdin stdout stderr; do echo "$n $(readlink $n)"; done; for n in pts shm mqueue; do echo "$n $(stat -c %F $n)"; done'
	expect_status 0
	# The host's nodes (hex major:minor), and the console: one of the host's pseudo-terminal
	# slaves (major 136 = 0x88), never the host's own console (5:1).
	diff <(printf '%s\n' "${lines[@]:0:6}") - <<-EOF
		null character special file 1:3
		zero character special file 1:5
		full character special file 1:7
		random character special file 1:8
		urandom character special file 1:9
		tty character special file 5:0
	EOF
	[[ "${lines[6]}" =~ ^console\ character\ special\ file\ 88:[0-9a-f]+$ ]]
	diff <(printf '%s\n' "${lines[@]:7}") - <<-EOF
		ptmx pts/ptmx
		fd /proc/self/fd
		stdin /proc/self/fd/0
		stdout /proc/self/fd/1
		stderr /proc/self/fd/2
		pts directory
		shm directory
		mqueue directory
	EOF
}

@test "/dev: exactly null zero full random urandom tty console ptmx pts shm mqueue fd std* .vireo (user namespace)" {
	check_dev userns
}

@test "/dev: exactly null zero full random urandom tty console ptmx pts shm mqueue fd std* .vireo (--userns no)" {
	check_dev nouserns
}

check_masked() { # KIND
	start_ct "$1"
	local f
	# kcore (when the host has one), keys, and the rest of the host's kernel state: nothing
	# comes out. A missing file reads nothing too (the probe exits 0 for "refused").
	for f in kcore keys timer_list sched_debug kallsyms vmallocinfo latency_stats kpagecount \
		kpageflags kpagecgroup config.gz; do
		run vireo exec "$CT" /ct-probe read /proc/$f
		expect_status 0
		# Where the host has it, it is /dev/null's node.
		if [ -e /proc/$f ]; then
			run vireo exec "$CT" stat -c %t:%T /proc/$f
			expect_status 0
			[ "$output" = "1:3" ]
		fi
	done
	# kmsg is never read (reading takes messages away from the host's logger): just masked.
	if [ -e /proc/kmsg ]; then
		[ "$(vireo exec "$CT" stat -c %t:%T /proc/kmsg)" = "1:3" ]
	fi
	run vireo exec "$CT" cat /proc/keys
	expect_status 0
	[ -z "$output" ]
	# The masked directories are empty.
	for f in /proc/acpi /proc/scsi /sys/firmware; do
		[ -d "$f" ] || continue
		run vireo exec "$CT" ls -A "$f"
		expect_status 0
		[ -z "$output" ]
	done
}

@test "/proc: kcore, keys and other host kernel files are masked (user namespace)" {
	check_masked userns
}

@test "/proc: kcore, keys and other host kernel files are masked (--userns no)" {
	check_masked nouserns
}

check_proc_sys_ro() { # KIND
	start_ct "$1"
	run vireo exec "$CT" grep -E '^[^ ]+ /proc/sys [^ ]+ ro[, ]' /proc/mounts
	expect_status 0
	# ip_forward belongs to the container's own network namespace: only the read-only mount
	# refuses the write (which would write back the value read).
	run vireo exec "$CT" /ct-probe write-same /proc/sys/net/ipv4/ip_forward
	expect_status 0
	[[ "$output" == *"refused (EROFS)"* ]]
	run vireo exec "$CT" /ct-probe write-same /proc/sys/kernel/core_pattern
	expect_status 0
	run vireo exec "$CT" /ct-probe open-w /proc/sysrq-trigger
	expect_status 0
	run vireo exec "$CT" sysctl -w net.ipv4.ip_forward=0
	[ "$status" -ne 0 ]
}

@test "/proc/sys: read-only (user namespace)" {
	check_proc_sys_ro userns
}

@test "/proc/sys: read-only (--userns no)" {
	check_proc_sys_ro nouserns
}

# --- the device cgroup ------------------------------------------------------------------

# major and minor (decimal) of the block device holding the host's root, or 253 0.
host_root_dev() {
	local src t
	src=$(findmnt -no SOURCE / 2>/dev/null)
	if [ -b "$src" ] && t=$(stat -Lc '%t %T' "$src"); then
		set -- $t
		echo "$((16#$1)) $((16#$2))"
	else
		echo "253 0"
	fi
}

@test "device cgroup (--userns no): the host's disk cannot be opened, /dev/null can" {
	start_ct nouserns
	local dev
	dev=$(host_root_dev)
	# Root keeps CAP_MKNOD (the control below makes a node): the device cgroup is what
	# refuses, at mknod (no "m" for block devices) or at open.
	run vireo exec "$CT" /ct-probe open-dev b $dev
	expect_status 0
	[[ "$output" == *"mknod block ${dev/ /:}: refused (EPERM)"* ||
	   "$output" == *"open block ${dev/ /:}: refused (EPERM)"* ]]
	run vireo exec "$CT" /ct-probe open-dev b 8 0
	expect_status 0
	# /dev/mem neither.
	run vireo exec "$CT" /ct-probe open-dev c 1 1
	expect_status 0
	# The control: a node for /dev/null opens.
	run vireo exec "$CT" /ct-probe open-dev c 1 3
	expect_status 1
	[[ "$output" == *"open char 1:3: SUCCEEDED"* ]]
	# And the bound /dev/null works.
	run vireo exec "$CT" /bin/sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c'
	expect_status 0
	[ "$output" = 4 ]
}

@test "device nodes (user namespace): mknod is refused, /dev/null works" {
	start_ct userns
	run vireo exec "$CT" /ct-probe open-dev b $(host_root_dev)
	expect_status 0
	[[ "$output" == *"refused (EPERM)"* ]]
	run vireo exec "$CT" /bin/sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c'
	expect_status 0
	[ "$output" = 4 ]
}

# --- seccomp ----------------------------------------------------------------------------

check_seccomp() { # KIND
	start_ct "$1"
	local init abi
	init=$(init_pid "$CT")
	grep -E '^Seccomp:\s+2$' /proc/$init/status
	run vireo exec "$CT" grep -E '^Seccomp:' /proc/self/status
	expect_status 0
	[[ "$output" =~ ^Seccomp:[[:space:]]+2$ ]]
	# The control, on the host: these need no privilege, so without the filter they do not
	# fail with EPERM (the module and kexec calls would, from missing capabilities alone).
	run "$PROBE" syscall name_to_handle_at keyctl add_key request_key
	expect_status 1
	refute grep -q EPERM <<< "$output"
	# Inside: every listed call fails with EPERM.
	run vireo exec "$CT" /ct-probe syscall init_module finit_module delete_module kexec_load \
		kexec_file_load open_by_handle_at name_to_handle_at keyctl add_key request_key \
		iopl ioperm swapon swapoff acct
	expect_status 0
	# The 32-bit entry points, where this kernel has them, are filtered too.
	for abi in i386 x32; do
		run "$PROBE" syscall --abi $abi keyctl
		if [[ "$output" == *ENOSYS* ]]; then
			echo "host kernel has no $abi entry point: nothing to reach"
			continue
		fi
		run vireo exec "$CT" /ct-probe syscall --abi $abi all
		expect_status 0
	done
}

@test "seccomp: filter in mode 2, listed syscalls fail with EPERM (user namespace)" {
	check_seccomp userns
}

@test "seccomp: filter in mode 2, listed syscalls fail with EPERM (--userns no)" {
	check_seccomp nouserns
}

# --- PID 1 ------------------------------------------------------------------------------

check_vireo_init() { # KIND
	start_ct "$1"
	run vireo exec "$CT" /bin/sh -c 'readlink /proc/1/exe; cat /proc/1/comm; grep " /dev/.vireo " /proc/mounts'
	expect_status 0
	# Its own copy, on a read-only tmpfs of its own (nosuid, nodev) in its /dev.
	[ "${lines[0]}" = /dev/.vireo/init ]
	[ "${lines[1]}" = init ]
	[[ "${lines[2]}" == "vireo-init /dev/.vireo tmpfs ro,nosuid,nodev,"* ]]
	# Read-only and running: it cannot be opened for writing (escapes.bats tries more).
	run vireo exec "$CT" /ct-probe open-w /proc/1/exe
	expect_status 0
	# vireo stop ends it.
	local init sup
	init=$(init_pid "$CT")
	sup=$(state_var "$CT" SUPERVISOR_PID)
	run vireo stop "$CT"
	expect_status 0
	gone "$init"
	gone "$sup"
	run vireo status "$CT"
	[[ "$output" != *running* ]]
}

@test "PID 1: Vireo's init from its own read-only tmpfs when the template has none; stop works (user namespace)" {
	check_vireo_init userns
}

@test "PID 1: Vireo's init from its own read-only tmpfs when the template has none; stop works (--userns no)" {
	check_vireo_init nouserns
}

check_reaps() { # KIND
	start_ct "$1"
	local orphan
	# The shell exits at once, leaving its child to PID 1.
	orphan=$(vireo exec "$CT" /bin/sh -c 'sleep 1 >/dev/null 2>&1 </dev/null & echo $!')
	[ -n "$orphan" ]
	run vireo exec "$CT" /bin/sh -c "cut -d' ' -f4 /proc/$orphan/stat"
	expect_status 0
	[ "$output" = 1 ]
	# Once it ends, init reaps it: no /proc entry (a zombie would keep one).
	wait_for 50 vireo exec "$CT" /bin/sh -c "! test -e /proc/$orphan"
	# Same with a very short-lived one, and no zombie anywhere.
	vireo exec "$CT" /bin/sh -c 'sleep 0.2 >/dev/null 2>&1 </dev/null &'
	sleep 0.5
	wait_for 30 vireo exec "$CT" /bin/sh -c '! grep -l "^State:.*Z" /proc/[0-9]*/status'
	run vireo exec "$CT" /bin/sh -c 'grep -l "^State:.*Z" /proc/[0-9]*/status'
	[ -z "$output" ]
}

@test "PID 1: Vireo's init reaps orphans (user namespace)" {
	check_reaps userns
}

@test "PID 1: Vireo's init reaps orphans (--userns no)" {
	check_reaps nouserns
}

check_own_init() { # KIND
	start_ct "$1"
	vireo exec "$CT" /bin/sh -c 'ln -s /bin/busybox /sbin/init && printf "::sysinit:/bin/true\n::respawn:/bin/sleep 1000\n" > /etc/inittab'
	run vireo restart "$CT"
	expect_status 0
	run vireo exec "$CT" /bin/sh -c 'readlink /proc/1/exe; cat /proc/1/comm'
	expect_status 0
	[ "${lines[0]}" = /bin/busybox ]
	[ "${lines[1]}" = init ]
	# busybox init ran the inittab: its respawned sleep is there.
	wait_for 50 vireo exec "$CT" /bin/sh -c 'grep -l "^sleep" /proc/[0-9]*/comm'
	local init
	init=$(init_pid "$CT")
	run vireo stop "$CT"
	expect_status 0
	gone "$init"
}

@test "PID 1: the template's /sbin/init (busybox init) runs after a restart; stop works (user namespace)" {
	check_own_init userns
}

@test "PID 1: the template's /sbin/init (busybox init) runs after a restart; stop works (--userns no)" {
	check_own_init nouserns
}

# --- uts, ipc, net, cgroup --------------------------------------------------------------

check_uts() { # KIND
	start_ct "$1"
	local before
	before=$(hostname)
	run vireo exec "$CT" hostname
	expect_status 0
	[ "$output" = localhost ]
	# Root in a default container may rename its own namespace; --userns no lacks
	# sys_admin. Either way the host keeps its name.
	vireo exec "$CT" hostname vireo-probe-renamed || true
	[ "$(hostname)" = "$before" ]
	[ "$(cat /proc/sys/kernel/hostname)" = "$before" ]
}

@test "uts: the host name is the container's own (user namespace)" {
	check_uts userns
}

@test "uts: the host name is the container's own (--userns no)" {
	check_uts nouserns
}

check_ipc_net() { # KIND
	start_ct "$1"
	local shm=""
	if command -v ipcmk >/dev/null; then
		shm=$(ipcmk -M 4096 | grep -Eo '[0-9]+$')
	fi
	run vireo exec "$CT" /bin/sh -c 'tail -n +2 /proc/sysvipc/shm | wc -l; ls /sys/class/net; tail -n +3 /proc/net/dev | cut -d: -f1'
	[ -z "$shm" ] || ipcrm -m "$shm"
	expect_status 0
	[ "$(echo $output)" = "0 lo lo" ]
}

@test "ipc and net: no host SysV objects, only a loopback interface (user namespace)" {
	check_ipc_net userns
}

@test "ipc and net: no host SysV objects, only a loopback interface (--userns no)" {
	check_ipc_net nouserns
}

check_cgroupns() { # KIND
	start_ct "$1"
	local inst init
	inst=$(vireo_instance)
	init=$(init_pid "$CT")
	# On the host the container sits in its own cgroup...
	grep -q "/$inst/$CT\$" /proc/$init/cgroup
	# ...which is the root of what it sees: no path leads above it.
	run vireo exec "$CT" cat /proc/self/cgroup
	expect_status 0
	refute grep -q "$inst" <<< "$output"
	refute grep -q ':/\.\.' <<< "$output"
	# Every hierarchy Vireo placed the container in shows as "/" inside (an exec'd process
	# outside the container's cgroup would show "/.." here).
	local line ctl
	while IFS= read -r line; do
		ctl=${line#*:}
		ctl=${ctl%%:*}
		if grep -q ":$ctl:/$inst/$CT\$" /proc/$init/cgroup; then
			echo "$output" | grep -qx "[0-9]*:$ctl:/"
		fi
	done < /proc/$init/cgroup
}

@test "cgroup namespace: rooted at the container's own cgroup (user namespace)" {
	check_cgroupns userns
}

@test "cgroup namespace: rooted at the container's own cgroup (--userns no)" {
	check_cgroupns nouserns
}
