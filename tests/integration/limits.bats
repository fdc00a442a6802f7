#!/usr/bin/env bats
# Resource limits (vireo set --ram/--swap/--numproc/--numfile/--kmemsize/--cpuunits/--cpulimit/
# --cpus/--cpumask/--ioprio), applied live to a running container and kept with --save over a
# restart; beancounters (vireo ubc, list -o) counting what the kernel refused; bad input.
# The cgroup v1 back end runs for real on this host; VIREO_CGROUP=v2 checks the v2 back end's
# refusal on a hybrid host whose unified hierarchy has no controllers.

bats_require_minimum_version 1.5.0
load helpers

setup() { vireo_setup; INST=$(vireo_instance); }
teardown() { vireo_teardown; unset VIREO_CGROUP; }

v1() { # CONTROLLER FILE [ID]
	cat "/sys/fs/cgroup/$1/$INST/${3:-42}/$2"
}

skip_unless_v1() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] && [ -d /sys/fs/cgroup/memory ] ||
		skip "host has no cgroup v1 memory hierarchy"
}

# The ubc row of a resource: held maxheld barrier limit failcnt.
ubc_row() { # ID RESOURCE
	vireo ubc "$1" | awk -v r="$2" '{ if ($1 ~ /:$/) $1 = ""; $0 = $0; if ($1 == r) print $2, $3, $4, $5, $6 }'
}

ubc_field() { # ID RESOURCE N (1 held, 2 maxheld, 3 barrier, 4 limit, 5 failcnt)
	ubc_row "$1" "$2" | cut -d' ' -f"$3"
}

@test "limits apply at once to a running container and, with --save, again after a restart" {
	skip_unless_v1
	vireo create 42
	vireo start 42
	vireo set 42 --ram 64M --numproc 40 --numfile 100:200 --cpuunits 2000 --cpulimit 50 --cpumask 0 --ioprio 6
	[ "$(v1 memory memory.limit_in_bytes)" = $((64 << 20)) ]
	[ "$(v1 pids pids.max)" = 40 ]
	[ "$(v1 cpu cpu.shares)" = 2048 ]
	[ "$(v1 cpu cpu.cfs_quota_us)" = 50000 ]
	[ "$(v1 cpu cpu.cfs_period_us)" = 100000 ]
	[ "$(v1 cpuset cpuset.cpus)" = 0 ]
	if [ -e "/sys/fs/cgroup/blkio/$INST/42/blkio.bfq.weight" ]; then
		[ "$(v1 blkio blkio.bfq.weight)" = 700 ]
	fi
	# numfile: RLIMIT_NOFILE of what runs inside (soft = barrier, hard = limit)
	run vireo exec 42 sh -c 'ulimit -n; ulimit -Hn'
	[ "$output" = "$(printf '100\n200')" ]
	grep -q '^Max open files  *100  *200 ' "/proc/$(sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/42/state")/limits"
	# ubc shows what holds now; without --save the configuration is untouched
	[ "$(ubc_field 42 physpages 4)" = 16384 ]
	[ "$(ubc_field 42 numfile 3)" = 100 ]
	! grep -q 'PHYSPAGES\|NUMPROC\|CPUUNITS' "$VIREO_ROOT/conf/42.conf"
	# back to unlimited, live
	vireo set 42 --ram unlimited --numproc unlimited --cpulimit 0 --cpumask all
	[ "$(v1 memory memory.limit_in_bytes)" -gt $((1 << 50)) ]
	[ "$(v1 pids pids.max)" = max ]
	[ "$(v1 cpu cpu.cfs_quota_us)" = -1 ]
	[ "$(v1 cpuset cpuset.cpus)" = "$(cat "/sys/fs/cgroup/cpuset/$INST/cpuset.cpus")" ]
	# a restart forgets what was not saved
	vireo restart 42
	[ "$(v1 cpu cpu.shares)" = 1024 ]
	run vireo exec 42 sh -c 'ulimit -Hn'
	[ "$output" != 200 ]

	# --save: applied now, and again at every start
	vireo set 42 --ram 48M --swap 16M --numproc 30 --numfile 150 --cpuunits 3000 --cpulimit 80 --cpus 1 --cpumask 1 --ioprio 2 --save
	grep -qx 'PHYSPAGES="12288:12288"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'SWAPPAGES="4096:4096"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'NUMPROC="30:30"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'NUMFILE="150:150"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'CPUUNITS="3000"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'CPULIMIT="80"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'CPUS="1"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'CPUMASK="1"' "$VIREO_ROOT/conf/42.conf"
	grep -qx 'IOPRIO="2"' "$VIREO_ROOT/conf/42.conf"
	vireo stop 42
	vireo start 42
	[ "$(v1 memory memory.limit_in_bytes)" = $((48 << 20)) ]
	if [ -e "/sys/fs/cgroup/memory/$INST/42/memory.memsw.limit_in_bytes" ]; then
		[ "$(v1 memory memory.memsw.limit_in_bytes)" = $((64 << 20)) ]
	fi
	[ "$(v1 pids pids.max)" = 30 ]
	[ "$(v1 cpu cpu.shares)" = 3072 ]
	# --cpus 1 caps at one CPU: the lower of cpulimit 80% and 100% wins
	[ "$(v1 cpu cpu.cfs_quota_us)" = 80000 ]
	[ "$(v1 cpuset cpuset.cpus)" = 1 ]
	run vireo exec 42 sh -c 'ulimit -n'
	[ "$output" = 150 ]
	# lockedpages: RLIMIT_MEMLOCK in pages (16 pages = 64 KiB)
	vireo set 42 --lockedpages 16
	run vireo exec 42 sh -c 'ulimit -l'
	[ "$output" = 64 ]
	[ "$(ubc_field 42 lockedpages 4)" = 16 ]
	# the I/O priority of init: best effort, level 7 - ioprio
	pid=$(sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/42/state")
	run ionice -p "$pid"
	[[ "$output" == *"best-effort: prio 5"* ]]
	# a stopped container: --save alone changes the configuration
	vireo stop 42
	vireo set 42 --numproc 25 --save
	grep -qx 'NUMPROC="25:25"' "$VIREO_ROOT/conf/42.conf"
	run vireo set 42 --numproc 20
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"*"--save"* ]]
	grep -qx 'NUMPROC="25:25"' "$VIREO_ROOT/conf/42.conf"
}

@test "numproc: a fork bomb is capped, failcnt counts the refusals, the host stays responsive" {
	skip_unless_v1
	vireo create 42
	vireo start 42
	vireo set 42 --numproc 20
	[ "$(ubc_field 42 numproc 5)" = 0 ]
	# 100 background sleepers asked for; forks past 20 tasks fail
	run vireo exec 42 sh -c 'i=0; while [ $i -lt 100 ]; do sleep 30 & i=$((i + 1)); done 2>/dev/null; echo started'
	[ "$(v1 pids pids.current)" -le 20 ]
	[ "$(ubc_field 42 numproc 1)" -le 20 ]
	[ "$(ubc_field 42 numproc 2)" -le 20 ]
	[ "$(ubc_field 42 numproc 2)" -ge 15 ]
	[ "$(ubc_field 42 numproc 5)" -gt 0 ]
	[ "$(ubc_field 42 numproc 4)" = 20 ]
	# the host still answers; the container is still usable once the sleepers are gone
	run vireo list -H -o ctid,numproc.f
	[ "$status" -eq 0 ]
	[[ "$output" == *42* ]]
	vireo exec 42 killall sleep || true
	wait_for 50 sh -c "[ \$(cat /sys/fs/cgroup/pids/$INST/42/pids.current) -le 3 ]"
	run vireo exec 42 echo alive
	[ "$output" = alive ]
	vireo stop --fast 42
}

@test "physpages: a memory hog is killed at the limit, failcnt counts, the container lives on" {
	skip_unless_v1
	vireo create 42
	vireo start 42
	vireo set 42 --ram 32M --swap 0
	[ "$(ubc_field 42 physpages 5)" = 0 ]
	# dd's 128 MiB buffer cannot fit in 32 MiB: the kernel's OOM killer ends it
	run vireo exec 42 dd if=/dev/zero of=/dev/null bs=128M count=1
	[ "$status" -ne 0 ]
	[ "$(ubc_field 42 physpages 5)" -gt 0 ]
	[ "$(ubc_field 42 physpages 2)" -le 8192 ]
	[ "$(ubc_field 42 physpages 4)" = 8192 ]
	grep -q '^oom_kill [1-9]' "/sys/fs/cgroup/memory/$INST/42/memory.oom_control"
	run vireo list -H -o ctid,physpages.f
	[ "$status" -eq 0 ]
	run vireo exec 42 echo alive
	[ "$output" = alive ]
	# a small allocation still fits
	run vireo exec 42 dd if=/dev/zero of=/dev/null bs=4M count=1
	[ "$status" -eq 0 ]
}

@test "numfile: a process cannot open more files than the limit; held counts open files" {
	vireo create 42
	vireo start 42
	# soft limit (barrier) 8; raising a hard limit needs CAP_SYS_RESOURCE, which the host
	# side may lack, so the later change stays under the hard limit 64
	vireo set 42 --numfile 8:64
	# sh has 0-2; 3..9 would make 10 open files
	run vireo exec 42 sh -c 'exec 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 8</dev/null 9</dev/null; echo opened-all'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Too many open files"* ]]
	[[ "$output" != *opened-all* ]]
	vireo set 42 --numfile 64
	run vireo exec 42 sh -c 'exec 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 8</dev/null 9</dev/null; echo opened-all'
	[ "$output" = opened-all ]
	# a process holding 7 files more raises held by at least 7
	before=$(ubc_field 42 numfile 1)
	vireo exec 42 sh -c '(exec 3</dev/null 4</dev/null 5</dev/null 6</dev/null 7</dev/null 8</dev/null 9</dev/null; exec sleep 60) >/dev/null 2>&1 &'
	wait_for 50 sh -c "[ \$('$VIREO_BIN' ubc 42 | awk '\$1 == \"numfile\" { print \$2 }') -ge $((before + 7)) ]"
	# the limit also binds the container's init, so everything it starts later
	pid=$(sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/42/state")
	grep -q '^Max open files  *64  *64 ' "/proc/$pid/limits"
	# root inside cannot raise its hard limit (no CAP_SYS_RESOURCE outside its user namespace)
	run vireo exec 42 sh -c 'ulimit -Hn 1000 && echo raised'
	[[ "$output" != *raised* ]]
}

@test "ubc prints OpenVZ's user_beancounters format" {
	vireo create 42
	vireo create 43
	vireo start 42
	vireo start 43
	vireo set 42 --numproc 50:60 --ram 100M
	run vireo ubc 42
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Version: 2.5" ]
	[[ "${lines[1]}" =~ ^\ +uid\ +resource\ +held\ +maxheld\ +barrier\ +limit\ +failcnt$ ]]
	[[ "${lines[2]}" =~ ^\ +42:\ \ [a-z]+\ +[0-9]+\ +[0-9]+\ +[0-9]+\ +[0-9]+\ +[0-9]+$ ]]
	# columns line up like the kernel's: a 10-wide uid, a 12-wide name, 20-wide numbers
	[ "${#lines[2]}" = $((10 + 2 + 12 + 5 * 21)) ]
	for r in numproc physpages numfile lockedpages numpty; do
		[ -n "$(ubc_row 42 $r)" ]
	done
	[ "$(ubc_row 42 numproc | cut -d' ' -f3-4)" = "50 60" ]
	[ "$(ubc_row 42 physpages | cut -d' ' -f3-4)" = "25600 25600" ]
	[ "$(ubc_row 42 numfile | cut -d' ' -f3)" = 9223372036854775807 ]
	[ "$(ubc_field 42 numproc 1)" -ge 1 ]
	[ "$(ubc_field 42 physpages 1)" -ge 1 ]
	# every running container without IDs, each starting with "ID:"
	run vireo ubc
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^ *4[23]:')" = 2 ]
	vireo stop 43
	run vireo ubc
	[ "$(echo "$output" | grep -c '^ *4[23]:')" = 1 ]
	run vireo ubc 43
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: container 43 is not running" ]
	run vireo ubc 44
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" = 1 ]
}

@test "list -o shows beancounter, CPU and uptime fields; only the columns asked for are read" {
	vireo create 42
	vireo create 43
	vireo start 42
	vireo set 42 --numproc 70:80 --cpuunits 1500 --cpulimit 25
	vireo set 43 --numproc 90 --save
	run vireo list -a -H -o ctid,numproc.b,numproc.l,numproc.f,physpages.l,cpuunits,cpulimit,diskspace
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -s ' ' | sed 's/^ //; s/ [0-9]*$//')" = "42 70 80 0 9223372036854775807 1500 25" ]
	[ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "43 90 90 - 9223372036854775807 1000 0 -" ]
	# diskspace: the private area's usage in 1 KiB blocks (a directory area: counted by a walk)
	local du42
	du42=$(du -sk --apparent-size "$VIREO_ROOT/private/42" | cut -f1)
	read -r -a f <<<"${lines[0]}"
	[ "${f[7]}" -gt 100 ] && [ "${f[7]}" -ge $((du42 / 4)) ]
	run vireo list -o ctid,numproc.m,physpages,uptime,laverage
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *NPROC.M*PHYSP*UPTIME*LAVERAGE* ]]
	read -r id maxheld held up _ <<<"${lines[1]}"
	[ "$id" = 42 ] && [ "$maxheld" -ge 1 ] && [ "$held" -ge 1 ]
	[[ "$up" =~ ^[0-9]+\.[0-9]{3}$ ]]
	run vireo list -j -o ctid,numproc.l,kmemsize
	[[ "$output" == *'"numproc.l": 80'* ]]
	run vireo list -s -numproc.l -a -H -o ctid
	[ "$(echo $output)" = "43 42" ]
	run vireo list -o ctid,numproc.x
	[ "$status" -eq 2 ]
	[ "$output" = "vireo: list: unknown field 'numproc.x'" ]
}

@test "bad limits: one line, non-zero exit, nothing changed" {
	vireo create 42
	vireo start 42
	vireo set 42 --ram 64M --numproc 40 --save
	conf_before=$(cat "$VIREO_ROOT/conf/42.conf")
	cg_before=$(cat /sys/fs/cgroup/pids/$INST/42/pids.max 2>/dev/null || true)
	ncpu=$(nproc --all)
	while IFS='|' read -r args want; do
		[ -n "$args" ] || continue
		# shellcheck disable=SC2086
		run vireo set 42 --numproc 33 $args --save
		if [ "$status" -eq 0 ] || [ "${#lines[@]}" -ne 1 ] || [[ "$output" != "vireo: "*"$want"* ]]; then
			echo "set 42 $args: status $status, output: $output" >&2
			return 1
		fi
	done <<EOF2
--ram 12Q|--ram
--ram -5M|--ram
--ram 9223372036854775808|2^63
--ram 8388608T|2^63
--ram 1G:512M|barrier exceeds the limit
--swap 1:2:3|--swap
--numproc 1K|--numproc
--numproc -1|--numproc
--numproc 9223372036854775808|--numproc
--numfile 0|at least 3
--numfile 99999999999|fs.nr_open
--kmemsize 1.5M|--kmemsize
--cpuunits 7|--cpuunits
--cpuunits 500001|--cpuunits
--cpuunits x|--cpuunits
--cpulimit $((ncpu * 100 + 1))|--cpulimit
--cpulimit -1|--cpulimit
--cpus $((ncpu + 1))|--cpus
--cpumask $ncpu|no CPU $ncpu
--cpumask 0-$((ncpu + 3))|no CPU
--cpumask 3-1|--cpumask
--cpumask 0,,1|--cpumask
--ioprio 8|--ioprio
--ioprio -1|--ioprio
EOF2
	[ "$(cat "$VIREO_ROOT/conf/42.conf")" = "$conf_before" ]
	[ "$(cat /sys/fs/cgroup/pids/$INST/42/pids.max 2>/dev/null || true)" = "$cg_before" ]
	run vireo set 42 --numproc
	[ "$status" -eq 2 ]
	# a corrupted limit in the configuration: start refuses, naming the key
	vireo stop 42
	sed -i 's/^NUMPROC=.*/NUMPROC="lots"/' "$VIREO_ROOT/conf/42.conf"
	run vireo start 42
	[ "$status" -ne 0 ]
	[[ "$output" == *'NUMPROC="lots"'* ]]
	run vireo status 42
	[[ "$output" == *down* ]]
}

@test "kmemsize: refused where the kernel does not enforce it, unlimited accepted, usage still shown" {
	skip_unless_v1
	vireo create 42
	vireo start 42
	probe=/sys/fs/cgroup/memory/vireo-kmem-test-$$
	mkdir "$probe"
	echo 67108864 > "$probe/memory.kmem.limit_in_bytes" 2>/dev/null || true
	enforced=no
	[ "$(cat "$probe/memory.kmem.limit_in_bytes" 2>/dev/null)" = 67108864 ] && enforced=yes
	rmdir "$probe"
	if [ $enforced = no ]; then
		run vireo set 42 --kmemsize 32M
		[ "$status" -ne 0 ]
		[[ "$output" == *"does not enforce kernel memory limits"* ]]
		! grep -q KMEMSIZE "$VIREO_ROOT/conf/42.conf"
	else
		vireo set 42 --kmemsize 32M
		[ "$(v1 memory memory.kmem.limit_in_bytes)" = $((32 << 20)) ]
	fi
	vireo set 42 --kmemsize unlimited
	[ -n "$(ubc_row 42 kmemsize)" ]
	[ "$(ubc_field 42 kmemsize 1)" -gt 0 ]
}

@test "v2 back end on a hybrid host: limits without their controller are refused, defaults start" {
	[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] || skip "not a hybrid host"
	grep -qw memory /sys/fs/cgroup/unified/cgroup.controllers && skip "unified hierarchy has a memory controller"
	export VIREO_CGROUP=v2
	vireo create 42
	vireo start 42
	run vireo set 42 --ram 64M
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == *"needs the memory controller"*"/sys/fs/cgroup/unified"* ]]
	run vireo set 42 --kmemsize 1M
	[[ "$output" == *"cgroup v2 has no kernel memory limit"* ]]
	# per-process limits need no controller
	vireo set 42 --numfile 50
	run vireo exec 42 sh -c 'ulimit -n'
	[ "$output" = 50 ]
	run vireo ubc 42
	[ "$status" -eq 0 ]
	[[ "$output" == *numfile* ]]
	# a saved limit the hierarchy cannot enforce is refused before it is written
	vireo stop 42
	run vireo set 42 --numproc 10 --save
	[ "$status" -ne 0 ]
	! grep -q NUMPROC "$VIREO_ROOT/conf/42.conf"
}
