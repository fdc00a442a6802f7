#!/usr/bin/env bats
# vireo-procfs: inside a container /proc/meminfo, cpuinfo, stat, loadavg, uptime and
# /sys/devices/system/cpu/online describe the container (its cgroup limits and usage, its
# start), served by one FUSE daemon per instance that starts with the first container and
# leaves with the last. Limits are written straight into the container's cgroup files (the
# same files `vireo set` writes).

load helpers

setup() {
	vireo_setup
	inst=$(vireo_instance)
}
teardown() { vireo_teardown; }

pfs_pid() { pgrep -f "^vireo-procfs --root $VIREO_ROOT " ; }
cgdir() { echo "/sys/fs/cgroup/$1/$inst/$2"; } # CONTROLLER ID
v1_or_skip() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "host has no cgroup v1"
}
# Value of KEY (in kB) in /proc/meminfo inside container ID.
ct_meminfo() { vireo exec "$1" cat /proc/meminfo | awk -v k="$2:" '$1 == k { print $2 }'; }
load1() { vireo exec "$1" cat /proc/loadavg | cut -d' ' -f1; }

@test "meminfo and sysinfo: the memory limit is what free and top show as total" {
	v1_or_skip
	vireo create 42
	vireo start 42
	echo $((64 << 20)) > "$(cgdir memory 42)/memory.limit_in_bytes"
	[ "$(ct_meminfo 42 MemTotal)" = 65536 ]
	free=$(ct_meminfo 42 MemFree)
	[ "$free" -gt 0 ] && [ "$free" -le 65536 ]
	# the kernel's own numbers for the same cgroup
	usage=$(($(cat "$(cgdir memory 42)/memory.usage_in_bytes") / 1024))
	[ $((65536 - free)) -ge $((usage / 2)) ] && [ $((65536 - free)) -le $((usage * 2 + 1024)) ]
	# busybox top reads /proc/meminfo: its used + free is the limit
	run vireo exec 42 top -bn1
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$output" | grep '^Mem:')
	used=$(echo "$line" | sed 's/^Mem: *\([0-9]*\)K used, *\([0-9]*\)K free.*/\1/')
	freek=$(echo "$line" | sed 's/^Mem: *\([0-9]*\)K used, *\([0-9]*\)K free.*/\2/')
	[ $((used + freek)) -eq 65536 ]
	# busybox free takes its totals from sysinfo(2), which vireo-procfs answers too
	run vireo exec 42 free
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | awk '$1 == "Mem:" { print $2 }')" = 65536 ]
	# the host's file is untouched
	host=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
	[ "$host" -gt 65536 ]
	# no limit: the host's total
	echo -1 > "$(cgdir memory 42)/memory.limit_in_bytes"
	[ "$(ct_meminfo 42 MemTotal)" = "$host" ]
}

@test "cpuset of one CPU: nproc, cpuinfo, stat and cpu/online all say one" {
	v1_or_skip
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	vireo create 42
	vireo start 42
	run vireo exec 42 grep -c '^processor' /proc/cpuinfo
	[ "$output" = "$(grep -c '^processor' /proc/cpuinfo)" ]
	echo 1 > "$(cgdir cpuset 42)/cpuset.cpus"
	run vireo exec 42 nproc
	[ "$output" = 1 ]
	run vireo exec 42 grep '^processor' /proc/cpuinfo
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "processor"*": 0" ]]
	run vireo exec 42 grep -c '^cpu[0-9]' /proc/stat
	[ "$output" = 1 ]
	run vireo exec 42 cat /sys/devices/system/cpu/online
	[ "$output" = 0 ]
}

@test "a CPU quota shows as that many CPUs, rounded up, nproc included" {
	v1_or_skip
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	vireo create 42
	vireo start 42
	d=$(cgdir cpu 42)
	echo 100000 > "$d/cpu.cfs_period_us"
	echo 50000 > "$d/cpu.cfs_quota_us"
	run vireo exec 42 grep -c '^processor' /proc/cpuinfo
	[ "$output" = 1 ]
	# nproc asks sched_getaffinity, which vireo-procfs cuts to the quota's CPUs
	run vireo exec 42 nproc
	[ "$output" = 1 ]
	# ... never adding one: a thread pinned to a CPU beyond the cut keeps its CPU
	run vireo exec 42 taskset -c 1 nproc
	[ "$output" = 1 ]
	echo 150000 > "$d/cpu.cfs_quota_us"
	run vireo exec 42 grep -c '^processor' /proc/cpuinfo
	[ "$output" = 2 ]
	run vireo exec 42 nproc
	[ "$output" = 2 ]
	run vireo exec 42 cat /sys/devices/system/cpu/online
	[ "$output" = 0-1 ]
	echo -1 > "$d/cpu.cfs_quota_us"
}

@test "uptime and boot time are the container's" {
	host_up=$(cut -d. -f1 /proc/uptime)
	[ "$host_up" -gt 120 ] || skip "the host booted less than 2 minutes ago"
	vireo create 42
	vireo start 42
	run vireo exec 42 cat /proc/uptime
	up=$(echo "$output" | cut -d. -f1)
	[ "$up" -lt 60 ]
	host_btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
	ct_btime=$(vireo exec 42 cat /proc/stat | awk '$1 == "btime" { print $2 }')
	[ "$ct_btime" -ge $((host_btime + host_up - 60)) ]
	[ "$ct_btime" -le $(($(date +%s) + 1)) ]
	# busybox uptime asks sysinfo(2): minutes, not the host's hours
	run vireo exec 42 uptime
	[ "$status" -eq 0 ]
	[[ "$output" =~ up\ +[0-9]+\ min ]]
	[[ "$(uptime)" != *"up 0 min"* ]]
}

@test "/proc/stat counts the container's CPU time, not the host's" {
	v1_or_skip
	vireo create 42
	vireo start 42
	# burn some CPU inside (busybox timeout ends the loop)
	vireo exec 42 timeout 3 sh -c 'while :; do :; done' || true
	stat=$(vireo exec 42 cat /proc/stat)
	ticks=$(awk '$1 == "cpu" { print $2 + $4 }' <<<"$stat")
	kern=$(($(cat "$(cgdir cpuacct 42)/cpuacct.usage") / 10000000)) # ns -> 1/100 s
	[ "$ticks" -gt 0 ]
	# what cpuacct counted for the cgroup, give or take the reader itself
	[ "$ticks" -le $((kern + 5)) ] && [ "$ticks" -ge $((kern * 8 / 10 - 5)) ]
	# far below the host's total
	host=$(awk '$1 == "cpu" { print $2 + $4 }' /proc/stat)
	[ "$ticks" -lt "$host" ]
	# per-CPU lines add up to the total (of the same read: the container keeps running)
	sum=$(awk '$1 ~ /^cpu[0-9]/ { s += $2 + $4 } END { print s }' <<<"$stat")
	[ "$sum" -eq "$ticks" ]
}

@test "loadavg rises in a busy container while an idle one stays near 0" {
	v1_or_skip
	vireo create 42
	vireo create 43
	vireo start 42
	vireo start 43
	vireo exec 42 sh -c '(while :; do :; done) >/dev/null 2>&1 & (while :; do :; done) >/dev/null 2>&1 &'
	# the supervisor samples every 5 s, as the kernel does: 1-minute average of 2 runnable
	# tasks passes 0.5 after about 20 s
	busy_enough() { [ "$(load1 42 | tr -d .)" -ge 50 ]; }
	wait_for 900 busy_enough
	[ "$(load1 43 | tr -d .)" -lt 30 ]
	# one sampler (the supervisor's): /proc/loadavg inside and list's laverage agree; read
	# list on both sides so that a new sample in between shows as a change, not a mismatch
	agree() {
		local a b p
		a=$(vireo list -H -o laverage 42 | tr -d ' ')
		p=$(vireo exec 42 cat /proc/loadavg | cut -d' ' -f1-3 | tr ' ' /)
		b=$(vireo list -H -o laverage 42 | tr -d ' ')
		[ "$a" = "$b" ] && [ "$p" = "$a" ]
	}
	wait_for 100 agree
	# sysinfo(2) has the same load: busybox uptime prints it
	run vireo exec 42 uptime
	la=$(echo "$output" | sed 's/.*load average: \([0-9]*\.[0-9]*\),.*/\1/' | tr -d .)
	[ "$la" -ge 40 ]
	run vireo exec 43 uptime
	la=$(echo "$output" | sed 's/.*load average: \([0-9]*\.[0-9]*\),.*/\1/' | tr -d .)
	[ "$la" -lt 30 ]
	# task counts are the container's: init, the two loops and their shells at least
	total=$(vireo exec 42 cat /proc/loadavg | cut -d' ' -f4 | cut -d/ -f2)
	[ "$total" -ge 3 ]
	total43=$(vireo exec 43 cat /proc/loadavg | cut -d' ' -f4 | cut -d/ -f2)
	[ "$total43" -lt "$total" ]
}

@test "one daemon serves two containers their own numbers at once" {
	v1_or_skip
	vireo create 42
	vireo create 43
	vireo start 42
	vireo start 43
	[ "$(pfs_pid | wc -l)" -eq 1 ]
	echo $((64 << 20)) > "$(cgdir memory 42)/memory.limit_in_bytes"
	echo $((96 << 20)) > "$(cgdir memory 43)/memory.limit_in_bytes"
	[ "$(ct_meminfo 42 MemTotal)" = 65536 ]
	[ "$(ct_meminfo 43 MemTotal)" = 98304 ]
	ls "$VIREO_ROOT/run/procfs/mnt/42" "$VIREO_ROOT/run/procfs/mnt/43"
	[ "$(stat -c %a "$VIREO_ROOT/run/procfs")" = 700 ]
}

@test "a container reads only its own files, read-only" {
	v1_or_skip
	vireo create 42
	vireo create 43
	vireo start 42
	vireo start 43
	run vireo exec 42 sh -c 'echo 1 > /proc/meminfo'
	[ "$status" -ne 0 ]
	run vireo exec 42 sh -c 'echo 1 > /proc/uptime'
	[ "$status" -ne 0 ]
	# a process in 43's cgroup may read 43's files and not 42's, even with the path
	m=$VIREO_ROOT/run/procfs/mnt
	run sh -c "echo \$\$ > $(cgdir pids 43)/cgroup.procs && cat $m/43/uptime >/dev/null && echo own-ok && cat $m/42/meminfo"
	[[ "$output" == *own-ok* ]]
	[ "$status" -ne 0 ]
	[[ "$output" == *"ermission denied"* ]]
	# the host reads both
	cat "$m/42/meminfo" "$m/43/meminfo" >/dev/null
	# nothing to write, no links
	run sh -c "echo 1 > $m/42/meminfo"
	[ "$status" -ne 0 ]
	[ -z "$(find "$m/" -type l)" ]
}

@test "the daemon leaves with the last container, and comes back with the next" {
	vireo create 42
	vireo create 43
	vireo start 42
	vireo start 43
	pid=$(pfs_pid)
	[ -n "$pid" ]
	vireo stop 42
	sleep 0.5
	[ "$(pfs_pid)" = "$pid" ]
	run vireo exec 43 cat /proc/uptime
	[ "$status" -eq 0 ]
	vireo stop 43
	wait_for 50 procfs_gone
	vireo start 42
	new=$(pfs_pid)
	[ -n "$new" ] && [ "$new" != "$pid" ]
	run vireo exec 42 cat /proc/uptime
	[ "$status" -eq 0 ]
	vireo stop 42
	wait_for 50 procfs_gone
}

@test "a killed daemon: reads fail at once (ENOTCONN), restart brings the files back" {
	vireo create 42
	vireo start 42
	pid=$(pfs_pid)
	[ -n "$pid" ]
	kill -9 "$pid"
	run timeout 20 "$VIREO_BIN" exec 42 cat /proc/meminfo
	[ "$status" -ne 0 ] && [ "$status" -ne 124 ]
	[[ "$output" == *"not connected"* ]] || [[ "$output" == *"connection abort"* ]]
	# a process joining now gets the host's sysinfo (no listener to ask), not a hang
	run timeout 20 "$VIREO_BIN" exec 42 uptime
	[ "$status" -eq 0 ]
	run timeout 20 "$VIREO_BIN" exec 42 cat /proc/uptime
	[ "$status" -ne 0 ] && [ "$status" -ne 124 ]
	vireo restart 42
	[ -n "$(pfs_pid)" ]
	run vireo exec 42 cat /proc/uptime
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d. -f1)" -lt 60 ]
}

@test "without the daemon a container still starts, with the host's files and a warning" {
	export VIREO_PROCFS_BIN=/nonexistent/vireo-procfs
	vireo create 42
	run vireo start 42
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning"*"/nonexistent/vireo-procfs"* ]]
	unset VIREO_PROCFS_BIN
	vireo status 42 | grep -q running
	[ "$(ct_meminfo 42 MemTotal)" = "$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" ]
	[ -z "$(pfs_pid)" ]
	run vireo exec 42 grep -c fuse /proc/self/mountinfo
	[ "$output" = 0 ]
}

@test "user_beancounters: the daemon serves each container its own counters (vireo ubc's text)" {
	vireo create 42
	vireo create 43
	vireo start 42
	vireo start 43
	vireo set 42 --numproc 77
	f=$VIREO_ROOT/run/procfs/mnt/42/user_beancounters
	run cat "$f"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Version: 2.5" ]
	[[ "$output" == *" 42: "* ]]
	[[ "$output" != *" 43: "* ]]
	printf '%s\n' "$output" | grep -Eq '^ +numproc +[0-9]+ +[0-9]+ +77 +77 +0$'
	# the same resources and limits as vireo ubc (held counts may move between the reads)
	diff <(awk '{ print $(NF-5), $(NF-2), $(NF-1) }' "$f" | tail -n +3) \
		<(vireo ubc 42 | awk '{ print $(NF-5), $(NF-2), $(NF-1) }' | tail -n +3)
	# procfs has no /proc/user_beancounters to bind over on this kernel: not there inside
	if [ ! -e /proc/user_beancounters ]; then
		run vireo exec 42 cat /proc/user_beancounters
		[ "$status" -ne 0 ]
	fi
}
