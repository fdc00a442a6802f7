#!/usr/bin/env bats
# The classic container escapes, each tried from inside a default container (user
# namespace, CTID 101) and a --userns no container (102) with the static probe
# (tests/fixtures/ct-probe.c: exit 0 = the attempt was refused, 1 = it succeeded), and each
# asserted refused: host-wide kernel knobs (core_pattern, directly and through a fresh proc;
# cgroup v1 release_agent and hierarchy roots), host devices (disk, console, the nodes bound
# into /dev), kernel modules, /proc/kcore, host processes (/proc, ptrace), host descriptors
# and working directory leaking into the container (CVE-2024-21626 class), and the host
# binary of a joining `vireo exec` (CVE-2019-5736 class).
# Writes the probe makes put back the value just read; host files are compared before and
# after, never changed. Every test checks in teardown that the host's core_pattern is intact.

load helpers

setup() {
	vireo_setup
	PROBE=$(probe_bin)
	if [ ! -x "$PROBE" ]; then
		echo "ct-probe is not built: ninja -C ${VIREO_BUILD} tests/fixtures/ct-probe" >&2
		return 1
	fi
	HOST_CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern)
}

teardown() {
	exec 7<&- 8>&- 9<&-
	local now rc=0
	now=$(cat /proc/sys/kernel/core_pattern)
	if [ "$now" != "$HOST_CORE_PATTERN" ]; then
		echo "the host's core_pattern changed: '$HOST_CORE_PATTERN' -> '$now'" >&2
		rc=1
	fi
	vireo_teardown || rc=1
	return $rc
}

start_ct() { # userns|nouserns
	create_ct "$1"
	vireo start "$CT"
	ct_put "$CT" "$PROBE" /ct-probe
}

create_ct() { # userns|nouserns: sets CT
	case "$1" in
	userns) CT=101; vireo create "$CT" >/dev/null ;;
	nouserns) CT=102; vireo create "$CT" --userns no >/dev/null ;;
	*) echo "create_ct: unknown kind $1" >&2; return 1 ;;
	esac
}

state_var() { sed -n "s/^$2=\"\\([0-9]*\\)\"\$/\\1/p" "$VIREO_ROOT/run/$1/state"; }

# Fails when the command succeeds (a bare `! cmd` never fails a bats test).
refute() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
}

expect_status() { # WANT (after `run`): show the output in the failure log, check the status
	printf '%s\n' "$output"
	[ "$status" -eq "$1" ]
}

# Contents of the host files an escape would change, to compare before and after.
host_knobs() {
	local f
	for f in /proc/sys/kernel/core_pattern /sys/fs/cgroup/*/release_agent \
		/sys/fs/cgroup/*/notify_on_release /sys/fs/cgroup/*/cgroup.clone_children; do
		[ -r "$f" ] && printf '%s: %s\n' "$f" "$(cat "$f")"
	done
	return 0
}

# --- host-wide kernel knobs -------------------------------------------------------------

check_core_pattern() { # KIND
	start_ct "$1"
	local before
	before=$(host_knobs)
	# Directly: /proc/sys is read-only (and, in a user namespace, not root's to write).
	run vireo exec "$CT" /ct-probe write-same /proc/sys/kernel/core_pattern
	expect_status 0
	# Through a fresh proc, mounted directly or from a nested user namespace.
	run vireo exec "$CT" /ct-probe mount-proc-core
	expect_status 0
	[ "$(host_knobs)" = "$before" ]
}

@test "core_pattern: not writable directly nor through a freshly mounted proc (user namespace)" {
	check_core_pattern userns
}

@test "core_pattern: not writable directly nor through a freshly mounted proc (--userns no)" {
	check_core_pattern nouserns
}

check_release_agent() { # KIND
	start_ct "$1"
	local before
	before=$(host_knobs)
	run vireo exec "$CT" /ct-probe release-agent
	expect_status 0
	[ "$(host_knobs)" = "$before" ]
}

@test "cgroup v1 release_agent: cannot be written (user namespace)" {
	check_release_agent userns
}

@test "cgroup v1 release_agent: cannot be written (--userns no)" {
	check_release_agent nouserns
}

# A container must not reach the root of any cgroup v1 hierarchy with write access: where
# Vireo does not place it in a cgroup of its own, its cgroup namespace is rooted at the
# host's root, and (with --userns no) root inside is the host's root, which owns those files.
check_cgroup_root() { # KIND
	start_ct "$1"
	local before
	before=$(host_knobs)
	run vireo exec "$CT" /ct-probe cgroup-root
	expect_status 0
	[ "$(host_knobs)" = "$before" ]
}

@test "cgroup v1 hierarchies: the host's root cgroups cannot be changed (user namespace)" {
	check_cgroup_root userns
}

@test "cgroup v1 hierarchies: the host's root cgroups cannot be changed (--userns no)" {
	check_cgroup_root nouserns
}

# --- host devices -----------------------------------------------------------------------

host_root_dev() { # major and minor (decimal) of the host's root block device, or 253 0
	local src t
	src=$(findmnt -no SOURCE / 2>/dev/null) || true
	if [ -b "$src" ] && t=$(stat -Lc '%t %T' "$src"); then
		set -- $t
		echo "$((16#$1)) $((16#$2))"
	else
		echo "253 0"
	fi
}

check_disk() { # KIND
	start_ct "$1"
	local dev
	dev=$(host_root_dev)
	for d in "$dev" "8 0" "253 0"; do
		run vireo exec "$CT" /ct-probe open-dev b $d
		expect_status 0
	done
	# The control: the probe can open what the container may.
	if [ "$1" = nouserns ]; then
		run vireo exec "$CT" /ct-probe open-dev c 1 3
		expect_status 1
	fi
}

@test "host disk: mknod and open of its block device refused (user namespace)" {
	check_disk userns
}

@test "host disk: mknod and open of its block device refused (--userns no)" {
	check_disk nouserns
}

# 5:1 is the host's system console (console= on the kernel command line), not the
# container's /dev/console (one of the host's pseudo-terminals, major 136).
check_console() { # KIND
	start_ct "$1"
	run vireo exec "$CT" /ct-probe open-dev c 5 1
	expect_status 0
}

@test "host console: a node for 5:1 cannot be opened (user namespace)" {
	check_console userns
}

@test "host console: a node for 5:1 cannot be opened (--userns no)" {
	check_console nouserns
}

# /dev/null and its siblings inside are bind mounts of the host's own nodes: the container
# must not be able to change them (chmod 000 /dev/null would break the host). The probe
# chmods and chowns to the current mode and owner, so nothing changes even when it works.
check_dev_nodes() { # KIND
	start_ct "$1"
	local n before
	before=$(stat -c '%n %a %u:%g' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty)
	for n in null zero full random urandom tty; do
		run vireo exec "$CT" /ct-probe attr-same /dev/$n
		expect_status 0
	done
	[ "$(stat -c '%n %a %u:%g' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty)" = "$before" ]
}

@test "host device nodes bound into /dev: cannot be chmod'ed or chown'ed (user namespace)" {
	check_dev_nodes userns
}

@test "host device nodes bound into /dev: cannot be chmod'ed or chown'ed (--userns no)" {
	check_dev_nodes nouserns
}

# --- kernel modules, kernel memory ------------------------------------------------------

check_modules() { # KIND
	start_ct "$1"
	local before
	before=$(cat /proc/modules 2>/dev/null || true)
	run vireo exec "$CT" /ct-probe syscall finit_module init_module delete_module
	expect_status 0
	# finit_module on a file of our choosing, then busybox insmod on any file.
	vireo exec "$CT" /bin/sh -c 'head -c 8192 /ct-probe > /tmp/fake.ko'
	run vireo exec "$CT" insmod /tmp/fake.ko
	printf '%s\n' "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	run vireo exec "$CT" rmmod vireo_no_such_module
	[ "$status" -ne 0 ]
	[ "$(cat /proc/modules 2>/dev/null || true)" = "$before" ]
}

@test "kernel modules: finit_module, init_module and insmod refused (user namespace)" {
	check_modules userns
}

@test "kernel modules: finit_module, init_module and insmod refused (--userns no)" {
	check_modules nouserns
}

check_kcore() { # KIND
	start_ct "$1"
	[ -e /proc/kcore ] || echo "(the host has no /proc/kcore: only its absence inside is checked)"
	run vireo exec "$CT" /ct-probe read /proc/kcore
	expect_status 0
}

@test "/proc/kcore: reads nothing (user namespace)" {
	check_kcore userns
}

@test "/proc/kcore: reads nothing (--userns no)" {
	check_kcore nouserns
}

# --- host processes ---------------------------------------------------------------------

check_host_procs() { # KIND
	start_ct "$1"
	local pid sup init
	sup=$(state_var "$CT" SUPERVISOR_PID)
	init=$(state_var "$CT" INIT_PID)
	# The bats shell running this test, the container's supervisor, its init's host pid.
	for pid in $$ "$sup" "$init"; do
		[ "$pid" -gt 100 ] || continue # a small number may be a container pid too
		run vireo exec "$CT" /bin/sh -c "ls -d /proc/$pid"
		printf '%s\n' "$output"
		[ "$status" -ne 0 ]
		run vireo exec "$CT" /ct-probe ptrace "$pid"
		expect_status 0
	done
	# The control: a process of the container's own can be traced.
	run vireo exec "$CT" /bin/sh -c 'sleep 5 & p=$!; /ct-probe ptrace $p; r=$?; kill -9 $p; exit $r'
	expect_status 1
}

@test "host processes: not in /proc, not reachable with ptrace (user namespace)" {
	check_host_procs userns
}

@test "host processes: not in /proc, not reachable with ptrace (--userns no)" {
	check_host_procs nouserns
}

# --- descriptors and working directory (CVE-2024-21626 class) ---------------------------

check_fd_leaks() { # KIND
	create_ct "$1"
	# Descriptors the caller of vireo holds: a file, a file opened for writing, and the
	# host's root directory (the runc leak: /proc/self/fd/N/.. walks out to the host).
	exec 7</etc/hostname 8>>"$BATS_TEST_TMPDIR/fd8" 9</
	vireo start "$CT"
	ct_put "$CT" "$PROBE" /ct-probe
	run vireo exec "$CT" ls /proc/1/fd
	expect_status 0
	[ "$(echo $output)" = "0 1 2" ]
	# The exec'd process: run from a host directory, with the same three open.
	cd "$BATS_TEST_TMPDIR"
	run vireo exec "$CT" /ct-probe fds
	expect_status 0
	[ "${lines[0]}" = "fds: 0 1 2" ]
	run vireo exec "$CT" /bin/sh -c 'readlink /proc/self/cwd; pwd; [ "$(stat -c %d:%i .)" = "$(stat -c %d:%i /)" ] && echo "cwd is the root"'
	expect_status 0
	[ "$output" = "$(printf '/\n/\ncwd is the root')" ]
	cd /
	exec 7<&- 8>&- 9<&-
}

@test "no host descriptor reaches init or an exec'd process, exec starts in / (user namespace)" {
	check_fd_leaks userns
}

@test "no host descriptor reaches init or an exec'd process, exec starts in / (--userns no)" {
	check_fd_leaks nouserns
}

# --- the host binary of a joining vireo exec (CVE-2019-5736 class) ----------------------

check_exe_race() { # KIND
	start_ct "$1"
	local bin sum
	bin=$(readlink -f "$VIREO_BIN")
	sum=$(sha256sum < "$bin")
	# The racer scans /proc inside for 2.5 s; meanwhile a vireo exec joins the container and,
	# with the test delay, waits 400 ms inside before it executes the command: a process of
	# the container's PID namespace still running the host's vireo binary.
	vireo exec "$CT" /bin/sh -c '/ct-probe exe-race 2500 > /tmp/race.out 2>&1 < /dev/null &'
	wait_for 30 vireo exec "$CT" grep -q scanning /tmp/race.out
	VIREO_TEST_EXEC_DELAY_MS=400 vireo exec "$CT" /bin/true
	wait_for 60 vireo exec "$CT" grep -q '^exe-race: .* succeeded$' /tmp/race.out
	run vireo exec "$CT" cat /tmp/race.out
	expect_status 0
	# It saw the joining process (so the window was really raced)...
	grep -Eq '^saw pid [0-9]+ comm=vireo ' <<< "$output"
	grep -Eq '^pid [0-9]+ comm=vireo tries=[1-9]' <<< "$output"
	# ...and every open of its exe, mem, environ, fds, cwd and root failed.
	grep -Eq '^exe-race: .* 0 succeeded$' <<< "$output"
	refute grep -q SUCCEEDED <<< "$output"
	[ "$(sha256sum < "$bin")" = "$sum" ]
}

@test "CVE-2019-5736: a joining vireo exec's exe and memory are out of reach (user namespace)" {
	check_exe_race userns
}

@test "CVE-2019-5736: a joining vireo exec's exe and memory are out of reach (--userns no)" {
	check_exe_race nouserns
}

# --- the init a container without /sbin/init runs (vireo-init) ---------------------------

# Vireo writes a copy of vireo-init into the container's own tmpfs at /dev/.vireo, made
# read-only, and executes that copy: no host file is executed or reachable. Without a user
# namespace root inside has no CAP_SYS_ADMIN, so every attempt on the copy is refused; in a
# user namespace root may remount its own tmpfs and replace its own copy, which changes
# nothing outside that container. Either way the host's binaries and other containers'
# copies stay as they were.
check_init_copy() { # KIND
	start_ct "$1"
	local bin init_bin sum init_sum
	bin=$(readlink -f "$VIREO_BIN")
	init_bin="$(dirname "$bin")/../init/vireo-init"
	[ -f "$init_bin" ]
	sum=$(sha256sum < "$bin")
	init_sum=$(sha256sum < "$init_bin")
	run vireo exec "$CT" /bin/sh -c 'readlink /proc/1/exe; sha256sum < /dev/.vireo/init'
	expect_status 0
	[ "${lines[0]}" = /dev/.vireo/init ]
	[ "${lines[1]}" = "$init_sum" ]
	# While read-only (as it always is without a user namespace): no write through
	# /proc/1/exe or the path, no rename, link, new file or chmod.
	run vireo exec "$CT" /ct-probe open-w /proc/1/exe
	expect_status 0
	run vireo exec "$CT" /ct-probe write-same /dev/.vireo/init
	expect_status 0
	run vireo exec "$CT" /ct-probe replace /dev/.vireo/init
	expect_status 0
	if [ "$1" = nouserns ]; then
		# No remount, no cover, no detach: all need CAP_SYS_ADMIN.
		run vireo exec "$CT" /ct-probe remount-rw /dev/.vireo --detach
		expect_status 0
		run vireo exec "$CT" /bin/sh -c 'mount -o remount,rw /dev/.vireo'
		printf '%s\n' "$output"
		[ "$status" -ne 0 ]
		run vireo exec "$CT" /bin/sh -c 'grep " /dev/.vireo " /proc/mounts; sha256sum < /dev/.vireo/init'
		expect_status 0
		[[ "${lines[0]}" == "vireo-init /dev/.vireo tmpfs ro,nosuid,nodev,"* ]]
		[ "${lines[1]}" = "$init_sum" ]
	else
		# Root of its own user namespace owns that tmpfs: it can make it writable and put
		# something else in place of its copy (done here, so what follows checks a real
		# replacement). The running init cannot be written even so.
		run vireo exec "$CT" /bin/sh -c 'mount -t tmpfs -o remount,rw none /dev/.vireo && rm /dev/.vireo/init && echo tampered > /dev/.vireo/init && cat /dev/.vireo/init'
		expect_status 0
		[ "$output" = tampered ]
		run vireo exec "$CT" /ct-probe open-w /proc/1/exe
		expect_status 0
		# Another container gets its own, untouched copy.
		vireo create 103 >/dev/null
		vireo start 103
		run vireo exec 103 /bin/sh -c 'sha256sum < /dev/.vireo/init'
		expect_status 0
		[ "$output" = "$init_sum" ]
	fi
	# Nothing reached the host: its binaries, its /dev, its mount table.
	[ "$(sha256sum < "$bin")" = "$sum" ]
	[ "$(sha256sum < "$init_bin")" = "$init_sum" ]
	[ ! -e /dev/.vireo ]
	refute grep -q ' /dev/.vireo ' /proc/self/mountinfo
	# Init runs on, from what it executed, and stops as asked.
	run vireo exec "$CT" /bin/sh -c 'cat /proc/1/comm'
	expect_status 0
	[ "$output" = init ]
	run vireo stop "$CT"
	expect_status 0
}

@test "vireo-init: the container's copy and its tmpfs cannot be written, replaced or remounted (--userns no)" {
	check_init_copy nouserns
}

@test "vireo-init: replacing its own copy (user namespace) reaches no host file nor another container" {
	check_init_copy userns
}
