#!/usr/bin/env bats
# The two-level CPU scheduler: level one shares CPU between containers by --cpuunits (cpu.shares)
# and caps it by --cpulimit (CFS quota); level two is the ordinary Linux scheduler inside each
# container, so nice keeps its meaning there. CPU time comes from the cpuacct controller and
# /proc/PID/stat. The machine is shared, so these tests compare ratios, or use an upper bound,
# never absolute speeds; every busy loop is ended (stop --fast) by teardown.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] && [ -d /sys/fs/cgroup/cpuacct ] ||
		skip "host has no cgroup v1 cpuacct hierarchy"
	vireo_setup
	INST=$(vireo_instance)
}
teardown() { vireo_teardown; }

usage_ns() { # ID
	cat "/sys/fs/cgroup/cpuacct/$INST/$1/cpuacct.usage"
}

# N busy loops inside container ID, detached from the exec that starts them.
busy() { # ID N
	vireo exec "$1" sh -c "i=0; while [ \$i -lt $2 ]; do (while :; do :; done) >/dev/null 2>&1 </dev/null & i=\$((i + 1)); done"
}

# One busy loop on each of CPUs 0 and 1 (taskset inside): the two containers then meet on
# every CPU, so the balancer's task placement cannot skew the split.
busy_each_cpu() { # ID
	vireo exec "$1" sh -c 'for c in 0 1; do taskset -c $c sh -c "while :; do :; done" >/dev/null 2>&1 </dev/null & done'
}

@test "cpuunits 1000 and 3000: two busy containers share the CPUs about 1:3" {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	vireo create 42
	vireo create 43
	vireo set 42 --cpuunits 1000 --save
	vireo set 43 --cpuunits 3000 --save
	vireo start 42
	vireo start 43
	[ "$(cat /sys/fs/cgroup/cpu/$INST/43/cpu.shares)" = 3072 ]
	busy_each_cpu 42
	busy_each_cpu 43
	sleep 1
	a0=$(usage_ns 42) b0=$(usage_ns 43)
	sleep 10
	a1=$(usage_ns 42) b1=$(usage_ns 43)
	ratio=$(python3 -c "print('%.3f' % (($b1 - $b0) / max(1, $a1 - $a0)))")
	echo "cpu time 42: $(((a1 - a0) / 1000000)) ms, 43: $(((b1 - b0) / 1000000)) ms, ratio $ratio" >&3
	python3 -c "import sys; sys.exit(0 if 2.4 <= $ratio <= 3.6 else 1)"
	# each supervisor has been sampling its container's load: two busy loops for 10 s
	run vireo list -H -o ctid,laverage
	echo "$output" >&3
	for l in "${lines[@]}"; do
		la=$(echo "$l" | awk '{ print $2 }')
		[[ "$la" =~ ^[0-9]+\.[0-9]{2}/[0-9]+\.[0-9]{2}/[0-9]+\.[0-9]{2}$ ]]
		python3 -c "import sys; sys.exit(0 if 0.1 <= float('${la%%/*}') <= 2.0 else 1)"
	done
	vireo stop --fast 42
	vireo stop --fast 43
}

@test "cpulimit 50 holds two busy loops at no more than 0.55 CPU" {
	vireo create 42
	vireo start 42
	vireo set 42 --cpulimit 50
	busy 42 2
	sleep 1
	t0=$(date +%s%N) u0=$(usage_ns 42)
	sleep 6
	t1=$(date +%s%N) u1=$(usage_ns 42)
	cpus=$(python3 -c "print('%.3f' % (($u1 - $u0) / ($t1 - $t0)))")
	echo "container 42 used $cpus CPU" >&3
	python3 -c "import sys; sys.exit(0 if $cpus <= 0.55 else 1)"
	# and it did run: the cap is not a stop
	python3 -c "import sys; sys.exit(0 if $cpus > 0.05 else 1)"
	# lifting the cap live lets it use more than the cap allowed
	vireo set 42 --cpulimit 0
	[ "$(cat /sys/fs/cgroup/cpu/$INST/42/cpu.cfs_quota_us)" = -1 ]
	vireo stop --fast 42
}

@test "inside a container, nice 0 and nice 19 on one CPU split at least 10:1" {
	vireo create 42
	vireo start 42
	vireo set 42 --cpumask 0
	# two loops; the second renices itself to 19 from inside, as root of the container
	vireo exec 42 sh -c '(while :; do :; done) >/dev/null 2>&1 </dev/null &
		(renice 19 -p $(sh -c "echo \$PPID") >/dev/null; while :; do :; done) >/dev/null 2>&1 </dev/null &'
	# host pids of the two loops, by nice value
	fast="" slow=""
	for i in $(seq 50); do
		for p in $(cat /sys/fs/cgroup/cpu/$INST/42/cgroup.procs); do
			[ "$(cat /proc/$p/comm 2>/dev/null)" = sh ] || continue
			n=$(awk '{ print $19 }' /proc/$p/stat 2>/dev/null)
			[ "$n" = 0 ] && [ "$(awk '{ print $3 }' /proc/$p/stat)" = R ] && fast=$p
			[ "$n" = 19 ] && slow=$p
		done
		[ -n "$fast" ] && [ -n "$slow" ] && break
		sleep 0.1
	done
	[ -n "$fast" ] && [ -n "$slow" ]
	# both confined to CPU 0 by the container's cpuset
	grep -q 'Cpus_allowed_list:[[:space:]]*0$' /proc/$fast/status
	grep -q 'Cpus_allowed_list:[[:space:]]*0$' /proc/$slow/status
	ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
	f0=$(ticks $fast) s0=$(ticks $slow)
	sleep 6
	f1=$(ticks $fast) s1=$(ticks $slow)
	echo "nice 0: $((f1 - f0)) ticks, nice 19: $((s1 - s0)) ticks" >&3
	[ $((f1 - f0)) -gt 0 ]
	[ $((f1 - f0)) -ge $((10 * (s1 - s0))) ]
	vireo stop --fast 42
}
