#!/usr/bin/env bats
# Checkpoint and restore (issue 5): vireo chkpnt puts the whole container (processes, pids,
# namespaces, files, pipes, sockets, cgroup limits) into ROOT/dump/ID or one file, it stops and
# is "suspended"; vireo restore brings it back where it was. A failed checkpoint leaves it
# running. Both kinds of PID 1 are covered: busybox's own init (mk_ct) and Vireo's vireo-init,
# run from the container's read-only tmpfs at /dev/.vireo when the template has no /sbin/init
# (mk_vinit_ct). Needs the CRIU that scripts/install-deps builds.

load helpers

setup() {
	vireo_setup
	# The networked tests' subnet: one of our own, 10.(150..199).(0..255).0/24, so runs of
	# this suite (and network.bats, 10.200-249) side by side do not collide.
	NET="10.$((150 + $$ % 50)).$(((BATS_TEST_NUMBER * 7 + $$ / 50) % 256))"
	HOSTPIDS=()
}

teardown() {
	local p
	for p in "${HOSTPIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -f "${DUMPFILE:-/nonexistent}"
	vireo_teardown
}

# A busybox container whose own /sbin/init is busybox init.
mk_ct() { # ID [create options...]
	local id=$1; shift
	vireo create "$id" "$@" >/dev/null
	local p="$VIREO_ROOT/private/$id"
	ln -s /bin/busybox "$p/sbin/init"
	printf '::sysinit:/bin/true\n::respawn:/bin/sleep 1000000\n' > "$p/etc/inittab"
	vireo start "$id"
}

# A busybox container as the template makes it: no /sbin/init, so PID 1 is vireo-init.
mk_vinit_ct() { # ID [create options...]
	local id=$1; shift
	vireo create "$id" "$@" >/dev/null
	[ ! -e "$VIREO_ROOT/private/$id/sbin/init" ]
	vireo start "$id"
}

# Start the workload: a counter, a TCP echo server on 127.0.0.1:7000 inside the container's
# network namespace, and a tree of processes joined by pipes. Each leads its own session
# inside, with nothing of the host open.
workload() { # ID
	vireo exec "$1" sh -c '
		setsid sh -c "i=0; while :; do i=\$((i+1)); echo \$i > /tmp/cnt.new; mv /tmp/cnt.new /tmp/cnt; sleep 0.1; done" </dev/null >/dev/null 2>&1 &
		setsid nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &
		setsid sh -c "yes tree | cat | cat > /dev/null" </dev/null >/dev/null 2>&1 &
	'
	wait_for 30 vireo exec "$1" sh -c 'echo ping | nc -w1 127.0.0.1 7000 | grep -q ping'
}

counter() { vireo exec "$1" cat /tmp/cnt; }
counter_gt() { [ "$(counter "$1")" -gt "$2" ]; }
lines_gt() { [ "$(vireo exec "$1" sh -c "wc -l < $2")" -gt "$3" ]; }
# The container's lasting processes: not ps, sleep, mv, nor a shell's child caught between its
# fork and its exec (still "sh", its parent a shell), which the counter makes all the time.
tree() {
	vireo exec "$1" ps -o pid,ppid,comm | awk 'NR > 1 { comm[$1] = $3; ppid[$1] = $2 }
		END { for (p in comm) if (comm[p] != "ps" && comm[p] != "sleep" && comm[p] != "mv" &&
			!(comm[p] == "sh" && comm[ppid[p]] == "sh")) print p, comm[p] }' | sort
}

check_survives() { # ID CHKPNT-ARGS...
	local id=$1; shift
	workload "$id"
	local before_tree before_cnt after
	before_tree=$(tree "$id")
	before_cnt=$(counter "$id")
	run vireo chkpnt "$id" "$@"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run vireo status "$id"
	[ "$output" = "CTID $id exist unmounted suspended" ]
	run vireo list -a -H -o ctid,status
	[[ "$output" == *"$id suspended"* ]]
	# Frozen: nothing runs, the counter file stays where it was.
	[ ! -e "$VIREO_ROOT/run/$id/state" ]
	run vireo restore "$id" "$@"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run vireo status "$id"
	[ "$output" = "CTID $id exist mounted running" ]
	# The counter goes on from where it was (no restart from 1).
	after=$(counter "$id")
	[ "$after" -ge "$before_cnt" ]
	[ "$after" -lt $((before_cnt + 20)) ]
	wait_for 30 counter_gt "$id" "$after"
	# The same processes with the same pids inside.
	local after_tree; after_tree=$(tree "$id")
	[ "$after_tree" = "$before_tree" ] || { printf "before:\n%s\nafter:\n%s\n" "$before_tree" "$after_tree"; return 1; }
	# The server answers.
	run vireo exec "$id" sh -c 'echo hello | nc -w1 127.0.0.1 7000'
	[ "$output" = "hello" ]
}

@test "chkpnt/restore: counter, TCP server and a pipe tree survive (user namespace)" {
	mk_ct 101
	check_survives 101
	[ ! -e "$VIREO_ROOT/dump/101/inventory.img" ] # a restored checkpoint is spent
	# The supervisor is a new one and serves as before: exec, stop.
	run vireo exec 101 hostname
	[ "$status" -eq 0 ]
	run vireo stop 101
	[ "$status" -eq 0 ]
	run vireo status 101
	[ "$output" = "CTID 101 exist unmounted down" ]
}

@test "chkpnt/restore: a container without a user namespace (--userns no)" {
	mk_ct 102 --userns no
	check_survives 102
}

@test "suspend/resume --dumpfile: one file, the image directory keeps only its name" {
	mk_ct 103
	DUMPFILE=$(mktemp -u /tmp/vireo-dump.XXXXXX)
	check_survives 103 --dumpfile "$DUMPFILE"
	[ -s "$DUMPFILE" ]
}

@test "suspend then resume without --dumpfile find the recorded dump file" {
	mk_ct 104
	workload 104
	DUMPFILE=$(mktemp -u /tmp/vireo-dump.XXXXXX)
	vireo suspend 104 --dumpfile "$DUMPFILE"
	[ -s "$DUMPFILE" ]
	[ "$(ls "$VIREO_ROOT/dump/104")" = "vireo-dump.conf" ]
	vireo resume 104
	run vireo exec 104 sh -c 'echo x | nc -w1 127.0.0.1 7000'
	[ "$output" = "x" ]
}

@test "restore --tcp-established keeps an open connection" {
	mk_ct 105
	vireo exec 105 sh -c '
		setsid nc -l -p 7001 -e cat </dev/null >/dev/null 2>&1 &
		sleep 0.3
		setsid sh -c "(while :; do echo tick; sleep 0.1; done) | nc 127.0.0.1 7001 > /tmp/echo" </dev/null >/dev/null 2>&1 &
	'
	wait_for 30 vireo exec 105 sh -c 'test -s /tmp/echo'
	vireo chkpnt 105
	vireo restore 105 --tcp-established
	local n
	n=$(vireo exec 105 sh -c 'wc -l < /tmp/echo')
	wait_for 30 lines_gt 105 /tmp/echo "$n"
}

@test "a checkpoint that fails leaves the container running" {
	mk_ct 106
	workload 106
	# A container process that a host process already traces cannot be seized by CRIU.
	local init
	init=$(sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/106/state")
	python3 -c 'import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(0x4206, int(sys.argv[1]), 0, 0) != 0:  # PTRACE_SEIZE
    sys.exit(1)
open(sys.argv[2], "w").close()
time.sleep(1000)' "$init" "$BATS_TEST_TMPDIR/traced" >/dev/null 2>&1 3>&- &
	HOSTPIDS+=($!)
	wait_for 50 test -e "$BATS_TEST_TMPDIR/traced"
	local before
	before=$(counter 106)
	run vireo chkpnt 106
	[ "$status" -ne 0 ]
	[[ "$output" == "vireo: checkpoint of container 106 failed: "* ]]
	[[ "$output" != *$'\n'* ]]
	run vireo status 106
	[ "$output" = "CTID 106 exist mounted running" ]
	wait_for 30 counter_gt 106 "$before"
	[ ! -e "$VIREO_ROOT/dump/106" ]
}

@test "chkpnt and restore refuse what cannot be done, and change nothing" {
	mk_ct 107
	vireo stop 107
	run vireo chkpnt 107
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: container 107 is not running" ]
	run vireo restore 107
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: container 107 has no checkpoint (vireo chkpnt 107 makes one)" ]
	run vireo chkpnt 999
	[ "$status" -ne 0 ]
	run vireo restore 107 --dumpfile /nonexistent/dump
	[ "$status" -ne 0 ]
	[[ "$output" == "vireo: cannot read the dump file /nonexistent/dump"* ]]
	run vireo status 107
	[ "$output" = "CTID 107 exist unmounted down" ]
	vireo start 107
	run vireo chkpnt 107 --dumpfile /nonexistent/dir/file
	[ "$status" -ne 0 ]
	run vireo status 107
	[ "$output" = "CTID 107 exist mounted running" ]
	run vireo restore 107
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: container 107 is already running" ]
}

@test "a dump of one container is not restored as another" {
	mk_ct 108
	mk_ct 109
	DUMPFILE=$(mktemp -u /tmp/vireo-dump.XXXXXX)
	vireo chkpnt 108 --dumpfile "$DUMPFILE"
	vireo stop 109
	run vireo restore 109 --dumpfile "$DUMPFILE"
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: the checkpoint is of container 108, not 109" ]
	run vireo status 109
	[ "$output" = "CTID 109 exist unmounted down" ]
}

@test "destroy of a suspended container removes its checkpoint" {
	mk_ct 110
	vireo chkpnt 110
	[ -e "$VIREO_ROOT/dump/110/inventory.img" ]
	vireo destroy 110
	[ ! -e "$VIREO_ROOT/dump/110" ]
}

@test "chkpnt/restore of a container with an address on the bridge: it answers there again (--userns no)" {
	echo "BRIDGE_ADDRESS=\"$NET.1/24\"" > "$VIREO_ROOT/vireo.conf"
	vireo create 111 --userns no >/dev/null
	local p="$VIREO_ROOT/private/111"
	ln -s /bin/busybox "$p/sbin/init"
	printf '::sysinit:/bin/true\n::respawn:/bin/sleep 1000000\n' > "$p/etc/inittab"
	vireo set 111 --ipadd "$NET.5" --save >/dev/null
	vireo start 111
	vireo exec 111 sh -c 'setsid nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &'
	wait_for 30 sh -c "echo a | busybox nc -w1 $NET.5 7000 | grep -q a"
	vireo chkpnt 111
	run busybox nc -w1 "$NET.5" 7000 </dev/null
	[ "$status" -ne 0 ]
	vireo restore 111
	run sh -c "echo again | busybox nc -w1 $NET.5 7000"
	[ "$output" = "again" ]
	# The restored supervisor owns the pair: stop removes the host end.
	local host_if
	host_if=$(sed -n 's/.*host_ifname=\([^,";]*\).*/\1/p' "$VIREO_ROOT/run/111/net")
	[ -n "$host_if" ]
	ip link show "$host_if" >/dev/null
	vireo stop 111
	run ip link show "$host_if"
	[ "$status" -ne 0 ]
}

# A container (user namespace unless options say otherwise) with ADDR on the instance's bridge
# (BRIDGE_ADDRESS $NET.1/24, NET set by setup), running busybox init, a counter and a TCP echo server on
# port 7000 of every address.
mk_net_ct() { # ID ADDR [create options...]
	local id=$1 addr=$2; shift 2
	echo "BRIDGE_ADDRESS=\"$NET.1/24\"" > "$VIREO_ROOT/vireo.conf"
	vireo create "$id" "$@" >/dev/null
	local p="$VIREO_ROOT/private/$id"
	ln -s /bin/busybox "$p/sbin/init"
	printf '::sysinit:/bin/true\n::respawn:/bin/sleep 1000000\n' > "$p/etc/inittab"
	vireo set "$id" --ipadd "$addr" --save >/dev/null
	vireo start "$id"
	vireo exec "$id" sh -c '
		setsid sh -c "i=0; while :; do i=\$((i+1)); echo \$i > /tmp/cnt.new; mv /tmp/cnt.new /tmp/cnt; sleep 0.1; done" </dev/null >/dev/null 2>&1 &
		setsid nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &
	'
	wait_for 30 answers "$addr"
}

answers() { [ "$(echo "hi $1" | busybox nc -w1 "$1" 7000)" = "hi $1" ]; }
host_if() { sed -n 's/.*host_ifname=\([^,";]*\).*/\1/p' "$VIREO_ROOT/run/$1/net"; }
# The container's interfaces, addresses and routes as seen inside (the host end's ifindex,
# "@ifN", changes with the new pair; IPv6 addresses without their DAD flags).
net_inside() {
	vireo exec "$1" sh -c 'ip -o link | sed "s/@if[0-9]*//"; ip -4 -o addr;
		ip -6 -o addr | awk "{ print \$2, \$4 }"; ip route'
}
bridge_ports() { ip -o link show master "$(vireo_instance)" 2>/dev/null | wc -l; }

# chkpnt/restore of ID (made by mk_net_ct with ADDR): same address from the host, same
# interfaces, addresses and routes inside, the counter goes on; no veth left after stop.
check_net_survives() { # ID ADDR
	local id=$1 addr=$2 hif before_net before_cnt after
	hif=$(host_if "$id")
	[ -n "$hif" ]
	before_net=$(net_inside "$id")
	[[ "$before_net" == *"inet $addr/24"* ]]
	[[ "$before_net" == *"default via $NET.1 dev eth0"* ]]
	before_cnt=$(counter "$id")
	run vireo chkpnt "$id"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run vireo status "$id"
	[ "$output" = "CTID $id exist unmounted suspended" ]
	# The pair went with the container: no host end, nothing on the bridge, no answer.
	run ip link show "$hif"
	[ "$status" -ne 0 ]
	[ "$(bridge_ports)" -eq 0 ]
	run answers "$addr"
	[ "$status" -ne 0 ]
	run vireo restore "$id"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run vireo status "$id"
	[ "$output" = "CTID $id exist mounted running" ]
	# The server answers the host at the same address; the counter goes on from where it was.
	answers "$addr"
	after=$(counter "$id")
	[ "$after" -ge "$before_cnt" ]
	[ "$after" -lt $((before_cnt + 20)) ]
	wait_for 30 counter_gt "$id" "$after"
	# The same interfaces (names, MAC, flags), addresses and routes inside.
	[ "$(net_inside "$id")" = "$before_net" ]
	# The same host end on the bridge, owned by the new supervisor: stop removes it.
	[ "$(host_if "$id")" = "$hif" ]
	ip link show "$hif" >/dev/null
	[ "$(bridge_ports)" -eq 1 ]
	# Its network can be changed live again.
	local addr2="${addr%.*}.$((${addr##*.} + 100))"
	vireo set "$id" --ipadd "$addr2" >/dev/null
	wait_for 30 answers "$addr2"
	vireo stop "$id"
	run ip link show "$hif"
	[ "$status" -ne 0 ]
	[ "$(bridge_ports)" -eq 0 ]
}

@test "chkpnt/restore of a user-namespace container with an address on the bridge: same address, interfaces and counter" {
	mk_net_ct 112 "$NET.5"
	# It has a user namespace: root inside is not root on the host.
	[ "$(vireo exec 112 cat /proc/self/uid_map | awk '{ print $1, ($2 != 0) }')" = "0 1" ]
	check_net_survives 112 "$NET.5"
}

@test "chkpnt/restore with an address on the bridge, without a user namespace: the same path" {
	mk_net_ct 116 "$NET.11" --userns no
	[ "$(vireo exec 116 cat /proc/self/uid_map | awk '{ print $1, $2 }')" = "0 0" ]
	check_net_survives 116 "$NET.11"
}

@test "restore --tcp-established of a user-namespace container keeps a connection from the host" {
	mk_net_ct 113 "$NET.7"
	# The host sends a line every 0.1 s; the container echoes it back into a host file.
	local out=$BATS_TEST_TMPDIR/echo
	(while :; do echo tick; sleep 0.1; done) | busybox nc "$NET.7" 7000 > "$out" 2>/dev/null 3>&- &
	HOSTPIDS+=($!)
	wait_for 50 test -s "$out"
	vireo chkpnt 113
	vireo restore 113 --tcp-established
	local n
	n=$(wc -l < "$out")
	# Retransmission backs off while the container was away: allow it 30 s to catch up.
	wait_for 300 sh -c "[ \$(wc -l < '$out') -gt $((n + 5)) ]"
	# The same connection, not a new one: the host's nc never reconnects, and it runs on.
	kill -0 "${HOSTPIDS[0]}"
	[ "$(vireo exec 113 cat /proc/net/tcp /proc/net/tcp6 | awk '$4 == "01"' | wc -l)" -eq 1 ]
}

@test "a failed restore of a networked container leaves no veth and the checkpoint intact" {
	mk_net_ct 114 "$NET.9"
	# An address held live only (not saved), so another container may take it meanwhile.
	vireo set 114 --ipadd "$NET.10" >/dev/null
	wait_for 30 answers "$NET.10"
	local hif
	hif=$(host_if 114)
	vireo chkpnt 114
	[ -e "$VIREO_ROOT/dump/114/inventory.img" ]
	vireo create 115 >/dev/null
	vireo set 115 --ipadd "$NET.10" --save >/dev/null
	vireo start 115
	run vireo restore 114
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: address $NET.10 is already used by container 115" ]
	run vireo status 114
	[ "$output" = "CTID 114 exist unmounted suspended" ]
	[ -e "$VIREO_ROOT/dump/114/inventory.img" ]
	run ip link show "$hif"
	[ "$status" -ne 0 ]
	vireo stop 115
	# CRIU failing after the pair was made and moved into the restored namespace
	# (CRIU's own fault injection: FI_POST_RESTORE).
	CRIU_FAULT=6 run vireo restore 114
	[ "$status" -ne 0 ]
	[[ "$output" == "vireo: restore of container 114 failed"* ]]
	run vireo status 114
	[ "$output" = "CTID 114 exist unmounted suspended" ]
	[ -e "$VIREO_ROOT/dump/114/inventory.img" ]
	run ip link show "$hif"
	[ "$status" -ne 0 ]
	[ "$(bridge_ports)" -eq 0 ]
	# The checkpoint still restores, at both addresses.
	vireo restore 114
	answers "$NET.9"
	answers "$NET.10"
	vireo stop 114
	run ip link show "$hif"
	[ "$status" -ne 0 ]
}

@test "a recorded dump file that went bad: restore refuses, the container stays suspended" {
	mk_ct 117
	DUMPFILE=$(mktemp -u /tmp/vireo-dump.XXXXXX)
	vireo chkpnt 117 --dumpfile "$DUMPFILE"
	cp "$DUMPFILE" "$BATS_TEST_TMPDIR/good"
	head -c 20000 "$BATS_TEST_TMPDIR/good" >"$DUMPFILE"
	run vireo restore 117
	[ "$status" -ne 0 ]
	echo "$output"
	[[ "$output" == "vireo: cannot read the dump file $DUMPFILE: "* ]]
	run vireo status 117
	[ "$output" = "CTID 117 exist unmounted suspended" ]
	# The record still names the file: the good copy put back restores it.
	cp "$BATS_TEST_TMPDIR/good" "$DUMPFILE"
	vireo restore 117
	run vireo status 117
	[ "$output" = "CTID 117 exist mounted running" ]
}

# The ps lines "PID ARGS" of processes whose arguments are exactly $2.
procs_with_args() { vireo exec "$1" ps -o pid,args | awk -v a="$2" '{ p = $1; $1 = ""; sub(/^ /, ""); if ($0 == a) print p }'; }

@test "what vireo exec leaves running (no setsid, a shell that exits) survives chkpnt/restore" {
	mk_ct 130
	# No setsid: each background job stays in the session vireo exec gave its shell.
	vireo exec 130 sh -c '
		sh -c "i=0; while :; do i=\$((i+1)); echo \$i > /tmp/cnt.new; mv /tmp/cnt.new /tmp/cnt; sleep 0.1; done" </dev/null >/dev/null 2>&1 &
		nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &
	'
	vireo exec 130 sh -c 'sleep 100000 </dev/null >/dev/null 2>&1 &'
	wait_for 30 vireo exec 130 sh -c 'echo ping | nc -w1 127.0.0.1 7000 | grep -q ping'
	# Every session and group leader is inside the container (none is 0, i.e. on the host).
	run vireo exec 130 ps -o sid,pgid,comm
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\n'"    0 "* ]] || { echo "$output"; false; }
	local before_tree before_cnt sleeper after
	before_tree=$(tree 130)
	before_cnt=$(counter 130)
	sleeper=$(procs_with_args 130 "sleep 100000")
	[ -n "$sleeper" ]
	run vireo chkpnt 130
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run vireo restore 130
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(tree 130)" = "$before_tree" ]
	[ "$(procs_with_args 130 "sleep 100000")" = "$sleeper" ]
	after=$(counter 130)
	[ "$after" -ge "$before_cnt" ]
	wait_for 30 counter_gt 130 "$after"
	run vireo exec 130 sh -c 'echo hello | nc -w1 127.0.0.1 7000'
	[ "$output" = "hello" ]
}

@test "a command vireo exec still waits for: chkpnt refuses, signals reach it, then chkpnt works" {
	mk_ct 131
	"$VIREO_BIN" exec 131 sh -c 'trap "echo got TERM > /tmp/sig; exit 5" TERM; sleep 1000 & wait' \
		</dev/null >/dev/null 2>&1 3>&- &
	local ep=$!
	HOSTPIDS+=("$ep")
	wait_for 50 sh -c "[ -n \"\$(\"$VIREO_BIN\" exec 131 ps -o args | grep -x 'sleep 1000')\" ]"
	# Its parent is the vireo exec on the host: a checkpoint would end it for good.
	run vireo chkpnt 131
	[ "$status" -ne 0 ]
	[[ "$output" =~ ^"vireo: container 131: 'sh' (pid "[0-9]+") still runs for a vireo exec or enter on this host; checkpoint it when that has ended"$ ]] || { echo "$output"; false; }
	run vireo status 131
	[ "$output" = "CTID 131 exist mounted running" ]
	[ ! -e "$VIREO_ROOT/dump/131" ]
	# ^Z (TSTP) stops the command with vireo exec; CONT goes on with both.
	local cmd
	cmd=$(pgrep -P "$ep")
	[ -n "$cmd" ]
	kill -TSTP "$ep"
	wait_for 30 sh -c "ps -o stat= -p $cmd | grep -q T"
	wait_for 30 sh -c "ps -o stat= -p $ep | grep -q T"
	kill -CONT "$ep"
	wait_for 30 sh -c "ps -o stat= -p $cmd | grep -qv T"
	# A TERM sent to vireo exec reaches the command's group; its exit status comes back.
	kill -TERM "$ep"
	local st=0
	wait "$ep" || st=$?
	[ "$st" -eq 5 ]
	[ "$(vireo exec 131 cat /tmp/sig)" = "got TERM" ]
	run vireo chkpnt 131
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	vireo restore 131
	run vireo status 131
	[ "$output" = "CTID 131 exist mounted running" ]
}

# PID 1 is vireo-init, run from the container's own read-only copy, and it does its work:
# an orphan it inherits is reaped (no zombie is left), and it stops the container on request.
check_vireo_init() { # ID
	run vireo exec "$1" /bin/sh -c 'readlink /proc/1/exe; cat /proc/1/comm
		[ "$(stat -Lc %d:%i /proc/1/exe)" = "$(stat -c %d:%i /dev/.vireo/init)" ] && echo same-file
		grep " /dev/.vireo " /proc/mounts'
	printf '%s\n' "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /dev/.vireo/init ]
	[ "${lines[1]}" = init ]
	[ "${lines[2]}" = same-file ]
	[[ "${lines[3]}" == "vireo-init /dev/.vireo tmpfs ro,nosuid,nodev,"* ]]
	local orphan
	orphan=$(vireo exec "$1" /bin/sh -c 'sleep 2 >/dev/null 2>&1 </dev/null & echo $!')
	[ -n "$orphan" ]
	run vireo exec "$1" cut -d' ' -f4 "/proc/$orphan/stat"
	[ "$output" = 1 ]
	wait_for 80 vireo exec "$1" /bin/sh -c "! test -e /proc/$orphan"
	# No zombie is left to init (the counter's shell reaps its own children: those may be
	# seen for an instant, so only PID 1's are counted).
	wait_for 30 init_zombies_none "$1"
	run init_zombies "$1"
	[ -z "$output" ]
}

init_zombies() { # ID: zombies whose parent is PID 1 (each status read once: it may vanish)
	vireo exec "$1" /bin/sh -c 'for f in /proc/[0-9]*/status; do
		s=$(cat "$f" 2>/dev/null) || continue
		echo "$s" | grep -q "^State:[[:space:]]*Z" && echo "$s" | grep -q "^PPid:[[:space:]]*1$" &&
			echo "$f"
	done; true'
}
init_zombies_none() { local z; z=$(init_zombies "$1") && [ -z "$z" ]; }

check_vireo_init_survives() { # ID CHKPNT-ARGS...
	local id=$1
	check_vireo_init "$id"
	check_survives "$@"
	check_vireo_init "$id"
	run vireo stop "$id"
	[ "$status" -eq 0 ]
	run vireo status "$id"
	[ "$output" = "CTID $id exist unmounted down" ]
}

@test "chkpnt/restore of a container whose PID 1 is vireo-init (no /sbin/init, user namespace)" {
	mk_vinit_ct 121
	check_vireo_init_survives 121
}

@test "chkpnt/restore of a container whose PID 1 is vireo-init (--userns no)" {
	mk_vinit_ct 122 --userns no
	check_vireo_init_survives 122
}

@test "suspend/resume --dumpfile of a container whose PID 1 is vireo-init" {
	mk_vinit_ct 123
	DUMPFILE=$(mktemp -u /tmp/vireo-dump.XXXXXX)
	check_vireo_init_survives 123 --dumpfile "$DUMPFILE"
	[ -s "$DUMPFILE" ]
}
