#!/usr/bin/env bats
# One cgroup per container, on cgroup v1 (this host's controllers) and on cgroup v2 (the
# unified hierarchy, selected with VIREO_CGROUP=v2 on a hybrid host), with the device
# allow-list enforced by the devices controller (v1) or a BPF program (v2).

load helpers

setup() { vireo_setup; }
teardown() { vireo_teardown; unset VIREO_CGROUP; }

v2_root() {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then echo /sys/fs/cgroup
	elif [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then echo /sys/fs/cgroup/unified
	fi
}

# Inside a --userns no container (which keeps CAP_MKNOD), only the allowed nodes open.
check_devices() { # ID
	run vireo exec "$1" /bin/sh -c 'echo x > /dev/null && echo null-ok'
	[ "$output" = "null-ok" ]
	run vireo exec "$1" /bin/sh -c 'head -c 4 /dev/urandom | wc -c'
	[ "$output" = "4" ]
	# /dev/mem (c 1:1) and a block device: created or not, never opened
	run vireo exec "$1" /bin/sh -c 'mknod /tmp/mem c 1 1 2>/dev/null; head -c 1 /tmp/mem >/dev/null 2>&1 && echo OPENED'
	[[ "$output" != *OPENED* ]]
	run vireo exec "$1" /bin/sh -c 'mknod /tmp/disk b 7 0 2>/dev/null; head -c 1 /tmp/disk >/dev/null 2>&1 && echo OPENED'
	[[ "$output" != *OPENED* ]]
}

@test "v1: a cgroup per controller, NPROC from pids, devices allow-list, removed at stop" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "host has no cgroup v1"
	inst=$(vireo_instance)
	vireo create 42 --userns no
	vireo start 42
	for c in pids memory devices freezer; do
		[ -d "/sys/fs/cgroup/$c/$inst/42" ]
	done
	pid=$(sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/42/state")
	grep -qx "$pid" "/sys/fs/cgroup/pids/$inst/42/cgroup.procs"
	grep -q '^c 136:\* rwm$' "/sys/fs/cgroup/devices/$inst/42/devices.list"
	! grep -q '^a ' "/sys/fs/cgroup/devices/$inst/42/devices.list"
	check_devices 42
	# the container sees its own cgroup as the root (cgroup namespace)
	run vireo exec 42 grep ':pids:' /proc/self/cgroup
	[ "$output" = "8:pids:/" ] || [[ "$output" == *":pids:/" ]]
	vireo stop 42
	for c in pids memory devices freezer; do
		[ ! -e "/sys/fs/cgroup/$c/$inst/42" ]
	done
}

@test "v2: the unified hierarchy with a BPF device filter, counted and removed at stop" {
	root=$(v2_root)
	[ -n "$root" ] || skip "no cgroup v2 hierarchy"
	export VIREO_CGROUP=v2
	inst=$(vireo_instance)
	vireo create 42 --userns no
	vireo create 43
	vireo start 42
	vireo start 43
	[ -d "$root/$inst/42" ]
	pid=$(sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/42/state")
	grep -qx "$pid" "$root/$inst/42/cgroup.procs"
	run vireo list -H -o numproc 42
	[ "$(echo $output)" = 1 ]
	check_devices 42
	# the filter refuses even mknod of a disallowed node
	run vireo exec 42 /bin/sh -c 'mknod /tmp/m2 c 1 1 && echo MADE'
	[[ "$output" != *MADE* ]]
	run vireo exec 43 /bin/sh -c 'echo ok > /dev/null && cat /proc/self/cgroup | grep "^0::"'
	[ "$output" = "0::/" ]
	vireo stop 42
	vireo stop 43
	[ ! -e "$root/$inst/42" ]
	[ ! -e "$root/$inst/43" ]
}
