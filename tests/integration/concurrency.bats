#!/usr/bin/env bats
# Reliability under concurrency: one lock per container, so commands on the same container
# from many shells at once serialize and leave consistent state; create is all or nothing,
# even when killed with SIGKILL at any moment.
#
# Every concurrent command runs in the background under `timeout` (a hang is a failure, and
# the whole batch is bounded); its exit status must be 0, or 1 with exactly one clean line on
# stderr. Status above 128, a timeout or sanitizer output is a failure. Afterwards the state is
# checked against reality: status, the supervisor processes that exist, exec, cgroups.
# No check depends on timing: delays only spread the moments at which things happen.

bats_require_minimum_version 1.5.0
load helpers

JOB_TIMEOUT=60 # seconds for any one command; the batch runs in parallel, so this bounds it

setup() {
	vireo_setup
	sanitizer_logs_setup
	JOBS=$BATS_TEST_TMPDIR/jobs
	mkdir -p "$JOBS"
	PIDS=()
	TAGS=()
	BIN_REAL=$(readlink -f "$VIREO_BIN")
}

teardown() {
	# Background commands still around (only after a failure): stop them, by PID.
	local p
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	local r=0
	vireo_teardown || r=1
	sanitizer_logs_check || r=1
	return $r
}

# spawn TAG ARG...: run "vireo ARG..." in the background (bats' fd 3 closed, bounded by
# timeout); its stdout, stderr and exit status land in $JOBS/TAG.{out,err,rc}.
spawn() {
	local tag=$1
	shift
	echo "$*" >"$JOBS/$tag.cmd"
	timeout -k 5 "$JOB_TIMEOUT" "$VIREO_BIN" "$@" >"$JOBS/$tag.out" 2>"$JOBS/$tag.err" 3>&- &
	PIDS+=($!)
	TAGS+=("$tag")
}

# Wait for every spawned command and record its exit status.
wait_all() {
	local i rc
	for i in "${!PIDS[@]}"; do
		rc=0
		wait "${PIDS[$i]}" || rc=$?
		echo "$rc" >"$JOBS/${TAGS[$i]}.rc"
	done
	PIDS=()
	TAGS=()
}

# check_job TAG OKRE FAILRE: the command finished (no timeout, no crash, no sanitizer report);
# exit 0 with nothing on stderr and stdout matching OKRE (an ERE; '' means empty), or exit 1
# with exactly one line on stderr matching FAILRE. Prints "ok" or "failed" for counting.
check_job() {
	local tag=$1 okre=$2 failre=$3 rc out err
	rc=$(cat "$JOBS/$tag.rc")
	out=$(cat "$JOBS/$tag.out")
	err=$(cat "$JOBS/$tag.err")
	local what="job $tag ($(cat "$JOBS/$tag.cmd")): status $rc, stdout '$out', stderr '$err'"
	echo "# $what" >&2
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "FAIL: hung (timed out): $what" >&2
		return 1
	fi
	if [ "$rc" -gt 128 ]; then
		echo "FAIL: crashed: $what" >&2
		return 1
	fi
	if grep -qE 'Sanitizer|runtime error|AddressSanitizer|LeakSanitizer' "$JOBS/$tag.err"; then
		echo "FAIL: sanitizer report: $what" >&2
		return 1
	fi
	if [ "$rc" = 0 ]; then
		[ -z "$err" ] || { echo "FAIL: succeeded but wrote to stderr: $what" >&2; return 1; }
		if [ -z "$okre" ]; then
			[ -z "$out" ] || { echo "FAIL: unexpected output: $what" >&2; return 1; }
		else
			[[ "$out" =~ ^($okre)$ ]] || { echo "FAIL: unexpected output: $what" >&2; return 1; }
		fi
		echo ok
		return 0
	fi
	[ "$rc" = 1 ] || { echo "FAIL: exit status $rc: $what" >&2; return 1; }
	[ "$(wc -l <"$JOBS/$tag.err")" = 1 ] || { echo "FAIL: not one line: $what" >&2; return 1; }
	[[ "$err" =~ ^($failre)$ ]] || { echo "FAIL: unexpected message: $what" >&2; return 1; }
	echo failed
}

# PIDs of this instance's vireo processes (same binary, same VIREO_ROOT). When no command is
# running, these are exactly the supervisors.
instance_procs() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$BIN_REAL" ] || continue
		tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qxF "VIREO_ROOT=$VIREO_ROOT" || continue
		echo "${p#/proc/}"
	done
}

# PIDs of the supervisors of container ID: instance processes holding its "running" lock open.
supervisors_of() { # ID
	local p fd
	for p in $(instance_procs); do
		for fd in /proc/"$p"/fd/*; do
			if [ "$(readlink "$fd" 2>/dev/null)" = "$VIREO_ROOT/run/$1/running" ]; then
				echo "$p"
				break
			fi
		done
	done
}

cgroups_of() { # ID: the container's cgroup directories that exist
	local inst
	inst=$(vireo_instance)
	ls -d /sys/fs/cgroup/*/"$inst"/"$1" /sys/fs/cgroup/"$inst"/"$1" 2>/dev/null || true
}

# status agrees with reality. Prints "running" or "down".
check_consistent() { # ID
	local id=$1 st sups n statepid
	st=$(vireo status "$id")
	sups=$(supervisors_of "$id")
	n=$(echo $sups | wc -w)
	case "$st" in
	"CTID $id exist mounted running")
		[ "$n" = 1 ] || { echo "FAIL: $id running with $n supervisors: $sups" >&2; return 1; }
		statepid=$(sed -n 's/^SUPERVISOR_PID="\(.*\)"$/\1/p' "$VIREO_ROOT/run/$id/state")
		[ "$statepid" = "$sups" ] || { echo "FAIL: $id state names $statepid, supervisor is $sups" >&2; return 1; }
		"$VIREO_BIN" exec "$id" true 3>&- || { echo "FAIL: exec in running $id failed" >&2; return 1; }
		[ -n "$(cgroups_of "$id")" ] || { echo "FAIL: $id running without cgroups" >&2; return 1; }
		echo running
		;;
	"CTID $id exist unmounted down")
		[ "$n" = 0 ] || { echo "FAIL: $id down but supervisors exist: $sups" >&2; return 1; }
		[ ! -e "$VIREO_ROOT/run/$id/state" ] || { echo "FAIL: $id down with a state file" >&2; return 1; }
		local e
		e=$("$VIREO_BIN" exec "$id" true 2>&1 3>&-) && { echo "FAIL: exec in stopped $id worked" >&2; return 1; }
		[ "$e" = "vireo: container $id is not running" ] || { echo "FAIL: exec said: $e" >&2; return 1; }
		[ -z "$(cgroups_of "$id")" ] || { echo "FAIL: $id down with cgroups: $(cgroups_of "$id")" >&2; return 1; }
		echo down
		;;
	*)
		echo "FAIL: status of $id: $st" >&2
		return 1
		;;
	esac
}

@test "20 concurrent start/stop/status on one container serialize and leave consistent state" {
	vireo create 101 >/dev/null
	local round i verb res state before=down want
	for round in 1 2 3 4 5; do
		TAGS=()
		for i in $(seq 1 20); do
			# a different mix each round
			case $(((i + round) % 3)) in
			0) verb=start ;; 1) verb=stop ;; 2) verb=status ;;
			esac
			spawn "$round.$i.$verb" "$verb" 101
		done
		wait_all
		local starts=0 stops=0
		for i in $(seq 1 20); do
			for verb in start stop status; do
				[ -e "$JOBS/$round.$i.$verb.rc" ] || continue
				case $verb in
				start) res=$(check_job "$round.$i.$verb" '' 'vireo: container 101 is already running') ;;
				stop) res=$(check_job "$round.$i.$verb" '' 'vireo: container 101 is not running') ;;
				status) res=$(check_job "$round.$i.$verb" 'CTID 101 exist (mounted running|unmounted down)' '') ;;
				esac
				if [ "$res" = ok ] && [ "$verb" = start ]; then starts=$((starts + 1)); fi
				if [ "$res" = ok ] && [ "$verb" = stop ]; then stops=$((stops + 1)); fi
			done
		done
		state=$(check_consistent 101)
		echo "# round $round: $starts starts and $stops stops succeeded, now $state"
		# Serialized commands alternate: every successful start follows a stopped state and
		# every successful stop a running one, so the counts tell the final state.
		if [ "$before" = running ]; then want=$((1 + starts - stops)); else want=$((starts - stops)); fi
		[ "$want" = 0 ] || [ "$want" = 1 ]
		if [ "$want" = 1 ]; then [ "$state" = running ]; else [ "$state" = down ]; fi
		before=$state
	done
	# A final stop leaves nothing of the instance behind.
	if [ "$state" = running ]; then
		run vireo stop 101
		[ "$status" -eq 0 ]
	fi
	[ "$(check_consistent 101)" = down ]
	[ -z "$(instance_procs)" ]
	[ -z "$(cgroups_of 101)" ]
}

@test "20 containers created, started, queried and stopped all at once" {
	local id
	TAGS=()
	for id in $(seq 201 220); do spawn "create.$id" create "$id"; done
	wait_all
	for id in $(seq 201 220); do
		[ "$(check_job "create.$id" "Container $id created from template busybox" '')" = ok ]
	done
	# Concurrent creates handed out distinct uid ranges.
	bases=$(cat "$VIREO_ROOT"/conf/2*.conf | sed -n 's/^UIDBASE="\(.*\)"$/\1/p' | sort)
	[ "$(echo "$bases" | wc -l)" = 20 ]
	[ "$(echo "$bases" | sort -u | wc -l)" = 20 ]

	for id in $(seq 201 220); do spawn "start.$id" start "$id"; done
	wait_all
	for id in $(seq 201 220); do
		[ "$(check_job "start.$id" '' '')" = ok ]
	done
	run vireo list -H -o ctid,status
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '$2 == "running"' | wc -l)" = 20 ]
	[ "$(echo "$output" | wc -l)" = 20 ]
	run vireo list -j
	echo "$output" | python3 -c '
import json, sys
l = json.load(sys.stdin)
assert sorted(c["ctid"] for c in l) == list(range(201, 221)), l
assert all(c["status"] == "running" and c["numproc"] >= 1 for c in l), l'

	for id in $(seq 201 220); do spawn "status.$id" status "$id"; spawn "exec.$id" exec "$id" true; done
	wait_all
	for id in $(seq 201 220); do
		[ "$(check_job "status.$id" "CTID $id exist mounted running" '')" = ok ]
		[ "$(check_job "exec.$id" '' '')" = ok ]
		[ "$(check_consistent "$id")" = running ]
	done
	[ "$(instance_procs | wc -l)" = 20 ]

	for id in $(seq 201 220); do spawn "stop.$id" stop "$id"; done
	wait_all
	for id in $(seq 201 220); do
		[ "$(check_job "stop.$id" '' '')" = ok ]
	done
	run vireo list -a -H -o ctid,status
	[ "$(echo "$output" | awk '$2 == "stopped"' | wc -l)" = 20 ]
	run vireo list -H
	[ -z "$output" ]
	for id in $(seq 201 220); do
		[ "$(check_consistent "$id")" = down ]
	done
	[ -z "$(instance_procs)" ]
}

# The container was fully made: status says it exists, it is listed, it starts and stops.
check_complete() { # ID
	run vireo status "$1"
	[ "$output" = "CTID $1 exist unmounted down" ]
	run vireo list -a -H -o ctid
	[[ " $(echo $output) " == *" $1 "* ]]
	run vireo start "$1"
	[ "$status" -eq 0 ]
	run vireo exec "$1" /bin/true
	[ "$status" -eq 0 ]
	run vireo stop "$1"
	[ "$status" -eq 0 ]
}

# Nothing of container ID exists or is listed (a killed create may have left staging files:
# they are invisible and swept by the next create or destroy).
check_absent() { # ID
	run vireo status "$1"
	[ "$output" = "CTID $1 deleted unmounted down" ]
	[ ! -e "$VIREO_ROOT/conf/$1.conf" ]
	run vireo list -a -H -o ctid
	[[ " $(echo $output) " != *" $1 "* ]]
	run --separate-stderr vireo start "$1"
	[ "$status" -eq 1 ]
	[ "$stderr" = "vireo: container $1 does not exist" ]
}

no_leftovers() { # ID: no staging directory, no half-written configuration
	local left
	left=$(ls -a "$VIREO_ROOT/private" "$VIREO_ROOT/conf" | grep -E "^\.$1\.|^$1\.conf\.tmp" || true)
	[ -z "$left" ] || { echo "FAIL: left behind: $left"; return 1; }
}

# kill_creates ID TEMPLATE ROUNDS [EXTRA_DELAY_MS...]: kill "vireo create" with SIGKILL at
# ROUNDS moments spread over 0..1.5 times its undisturbed run, then at the extra delays.
kill_creates() {
	local id=$1 tmpl=$2 rounds=$3 t0 t1 dur k delay rc complete=0 absent=0
	shift 3
	# How long an undisturbed create takes, to spread the kills over it.
	t0=$(date +%s%N)
	vireo create "$id" --ostemplate "$tmpl" >/dev/null
	t1=$(date +%s%N)
	dur=$(((t1 - t0) / 1000000))
	vireo destroy "$id" >/dev/null
	echo "# create from $tmpl takes ${dur} ms"
	local delays=()
	for k in $(seq 0 $((rounds - 1))); do delays+=($((k * (dur * 3 / 2 + 10) / (rounds - 1)))); done
	delays+=("$@")
	for k in "${!delays[@]}"; do
		delay=${delays[$k]}
		"$VIREO_BIN" create "$id" --ostemplate "$tmpl" >/dev/null 2>"$JOBS/kill.err" 3>&- &
		local pid=$!
		PIDS+=("$pid")
		sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
		kill -KILL "$pid" 2>/dev/null || true
		rc=0
		wait "$pid" 2>/dev/null || rc=$?
		PIDS=()
		# Finished on its own (0) or killed (137); nothing else.
		[ "$rc" = 0 ] || [ "$rc" = 137 ] || { echo "FAIL: create exited $rc: $(cat "$JOBS/kill.err")"; return 1; }
		run vireo status "$id"
		if [ "$output" = "CTID $id exist unmounted down" ]; then
			complete=$((complete + 1))
			check_complete "$id"
			run vireo destroy "$id"
			[ "$status" -eq 0 ]
			no_leftovers "$id"
			[ ! -e "$VIREO_ROOT/private/$id" ]
		else
			absent=$((absent + 1))
			check_absent "$id"
			if [ $((k % 2)) = 0 ]; then
				# the next destroy attempt sweeps what the killed create left
				run --separate-stderr vireo destroy "$id"
				[ "$status" -eq 1 ]
				[ "$stderr" = "vireo: container $id does not exist" ]
				no_leftovers "$id"
				[ ! -e "$VIREO_ROOT/private/$id" ]
			fi
		fi
		# ... and the next create of the same ID succeeds, leaving no staging behind.
		run vireo create "$id" --ostemplate "$tmpl"
		[ "$status" -eq 0 ]
		no_leftovers "$id"
		run vireo status "$id"
		[ "$output" = "CTID $id exist unmounted down" ]
		run vireo destroy "$id"
		[ "$status" -eq 0 ]
		echo "# kill after ${delay} ms: $([ "$rc" = 0 ] && echo finished || echo killed)"
	done
	echo "# $tmpl: $complete complete, $absent absent after the kill"
}

@test "create killed with SIGKILL at any moment leaves all or nothing" {
	kill_creates 301 busybox 15 100 200 300
	if [ -s "$VIREO_ROOT/templates/debian-12.tar.gz" ]; then
		# bigger, so the window is longer; fewer rounds, as each takes seconds
		kill_creates 302 debian-12 8
	else
		echo "# debian-12 is not in the template cache: busybox only"
	fi
}

@test "two concurrent creates of the same ID: exactly one succeeds" {
	local round wins
	for round in 1 2 3 4 5; do
		TAGS=()
		spawn "$round.a" create 401
		spawn "$round.b" create 401
		wait_all
		wins=0
		for t in a b; do
			res=$(check_job "$round.$t" 'Container 401 created from template busybox' \
				'vireo: container 401 already exists')
			if [ "$res" = ok ]; then wins=$((wins + 1)); fi
		done
		[ "$wins" = 1 ]
		no_leftovers 401
		check_complete 401
		run vireo destroy 401
		[ "$status" -eq 0 ]
	done
}

@test "two concurrent creates with the same name: exactly one succeeds" {
	local round winner loser
	for round in 1 2 3 4 5; do
		TAGS=()
		spawn "$round.402" create 402 --name web
		spawn "$round.403" create 403 --name web
		wait_all
		winner=
		for id in 402 403; do
			res=$(check_job "$round.$id" "Container $id created from template busybox" \
				"vireo: name 'web' is already used by container 40[23]")
			if [ "$res" = ok ]; then
				[ -z "$winner" ]
				winner=$id
			fi
		done
		[ -n "$winner" ]
		loser=$((402 + 403 - winner))
		grep -q "container $winner\$" "$JOBS/$round.$loser.err"
		check_absent "$loser"
		no_leftovers "$loser"
		[ ! -e "$VIREO_ROOT/private/$loser" ]
		run vireo status web
		[ "$output" = "CTID $winner exist unmounted down" ]
		run vireo destroy web
		[ "$status" -eq 0 ]
	done
}
