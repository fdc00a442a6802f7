#!/usr/bin/env bats
# Migration between hosts (issue 5): two "hosts" on one machine, each a network namespace with
# its own VIREO_ROOT, joined by a veth link; DEST runs an sshd the suite starts on a private
# port with keys it makes. A migration ends with the container running on DEST only, or back
# on the source with DEST cleaned; never both, never neither.

load helpers

setup_file() {
	export MIG_DIR
	MIG_DIR=$(mktemp -d /tmp/vireo-mig.XXXXXX)
	local t=$$
	export NS_A=vmigA$t NS_B=vmigB$t
	ip netns add "$NS_A"
	ip netns add "$NS_B"
	ip link add "va$t" type veth peer name "vb$t"
	ip link set "va$t" netns "$NS_A"
	ip link set "vb$t" netns "$NS_B"
	ip -n "$NS_A" addr add 10.231.0.1/24 dev "va$t"
	ip -n "$NS_B" addr add 10.231.0.2/24 dev "vb$t"
	for n in "$NS_A" "$NS_B"; do ip -n "$n" link set lo up; done
	ip -n "$NS_A" link set "va$t" up
	ip -n "$NS_B" link set "vb$t" up
	ssh-keygen -q -t ed25519 -N '' -f "$MIG_DIR/id"
	ssh-keygen -q -t ed25519 -N '' -f "$MIG_DIR/hostkey"
	cp "$MIG_DIR/id.pub" "$MIG_DIR/authorized_keys"
	cat > "$MIG_DIR/sshd_config" <<-EOF
		Port 2222
		ListenAddress 10.231.0.2
		HostKey $MIG_DIR/hostkey
		AuthorizedKeysFile $MIG_DIR/authorized_keys
		PermitRootLogin prohibit-password
		PasswordAuthentication no
		StrictModes no
		UsePAM no
		PidFile $MIG_DIR/sshd.pid
	EOF
	mkdir -p /run/sshd
	nsenter --net="/run/netns/$NS_B" /usr/sbin/sshd -f "$MIG_DIR/sshd_config" -D -e \
		2>"$MIG_DIR/sshd.log" 3>&- &
	echo $! > "$MIG_DIR/sshd.launcher"
	export VIREO_SSH="ssh -i $MIG_DIR/id -p 2222 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5"
	local i
	for i in $(seq 50); do
		nsenter --net="/run/netns/$NS_A" $VIREO_SSH root@10.231.0.2 true 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$MIG_DIR/sshd.log" >&2
	return 1
}

teardown_file() {
	local p
	p=$(cat "$MIG_DIR/sshd.launcher" 2>/dev/null)
	[ -n "$p" ] && kill "$p" 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$MIG_DIR"
}

setup() {
	vireo_setup
	ROOT_A=$VIREO_ROOT
	vireo_setup
	ROOT_B=$VIREO_ROOT
	export VIREO_ROOT=$ROOT_A
	export VIREO_REMOTE_ROOT=$ROOT_B VIREO_REMOTE_VIREO=$VIREO_BIN
	TMPFS_B=""
	MIGPID=""
}

teardown() {
	local r=0
	[ -n "$MIGPID" ] && { kill "$MIGPID" 2>/dev/null; wait "$MIGPID" 2>/dev/null; }
	[ -n "$TMPFS_B" ] && umount -l "$TMPFS_B" 2>/dev/null
	VIREO_ROOT=$ROOT_B vireo_teardown || r=1
	VIREO_ROOT=$ROOT_A vireo_teardown || r=1
	return $r
}

on_a() { nsenter --net="/run/netns/$NS_A" "$VIREO_BIN" "$@"; }
on_b() { VIREO_ROOT=$ROOT_B "$VIREO_BIN" "$@"; }
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
DEST=root@10.231.0.2

mk_ct() { # ID [create options...]
	local id=$1; shift
	vireo create "$id" "$@" >/dev/null
	local p="$VIREO_ROOT/private/$id"
	ln -s /bin/busybox "$p/sbin/init"
	printf '::sysinit:/bin/true\n::respawn:/bin/sleep 1000000\n' > "$p/etc/inittab"
	vireo start "$id"
}

workload() {
	vireo exec "$1" sh -c '
		setsid sh -c "i=0; while :; do i=\$((i+1)); echo \$i > /tmp/cnt.new; mv /tmp/cnt.new /tmp/cnt; sleep 0.1; done" </dev/null >/dev/null 2>&1 &
		setsid nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &
		setsid sh -c "yes tree | cat | cat > /dev/null" </dev/null >/dev/null 2>&1 &
	'
	wait_for 30 vireo exec "$1" sh -c 'echo ping | nc -w1 127.0.0.1 7000 | grep -q ping'
}
tree_of() { "$@" ps -o pid,comm | awk 'NR > 1 && $2 != "ps" && $2 != "sleep" && $2 != "mv" { print $1, $2 }' | sort; }
cnt_b_gt() { [ "$(on_b exec "$1" cat /tmp/cnt)" -gt "$2" ]; }

# The container runs here, and DEST has nothing of it.
only_here() { # ID
	run vireo status "$1"
	[ "$output" = "CTID $1 exist mounted running" ]
	run on_b status "$1"
	[ "$output" = "CTID $1 deleted unmounted down" ]
	[ ! -e "$ROOT_B/private/$1" ]
	[ ! -e "$ROOT_B/dump/$1" ]
}

@test "online migration: counter, server and pipe tree go on on DEST; frozen time printed" {
	mk_ct 101
	workload 101
	local before_tree before
	before_tree=$(tree_of vireo exec 101)
	before=$(vireo exec 101 cat /tmp/cnt)
	run on_a migrate 101 "$DEST" --online
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" =~ ^"Container 101 migrated to $DEST (frozen for "[0-9]+" ms)"$ ]]
	run on_b status 101
	[ "$output" = "CTID 101 exist mounted running" ]
	run vireo status 101
	[ "$output" = "CTID 101 deleted unmounted down" ]
	[ ! -e "$ROOT_A/private/101" ]
	local after
	after=$(on_b exec 101 cat /tmp/cnt)
	[ "$after" -ge "$before" ]
	wait_for 30 cnt_b_gt 101 "$after"
	[ "$(tree_of on_b exec 101)" = "$before_tree" ]
	run on_b exec 101 sh -c 'echo hello | nc -w1 127.0.0.1 7000'
	[ "$output" = "hello" ]
}

@test "offline migration of a debian-12 container keeps its files, users and limits" {
	[ -s "$VIREO_ROOT/templates/debian-12.tar.gz" ] || skip "no debian-12 template"
	vireo create 102 --ostemplate debian-12 >/dev/null
	vireo start 102
	vireo set 102 --numproc 300 --userpasswd mig:secret --save >/dev/null
	vireo exec 102 sh -c 'echo kept > /root/file; chmod 640 /root/file'
	local users sum limit
	users=$(vireo exec 102 getent passwd mig)
	sum=$(vireo exec 102 md5sum /root/file /etc/shadow)
	limit=$(grep '^NUMPROC=' "$ROOT_A/conf/102.conf")
	[ -n "$limit" ]
	run on_a migrate 102 "$DEST"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "Container 102 migrated to $DEST" ]
	run on_b status 102
	[ "$output" = "CTID 102 exist mounted running" ]
	[ ! -e "$ROOT_A/conf/102.conf" ]
	[ "$(on_b exec 102 getent passwd mig)" = "$users" ]
	[ "$(on_b exec 102 md5sum /root/file /etc/shadow)" = "$sum" ]
	[ "$(on_b exec 102 stat -c %a /root/file)" = "640" ]
	[ "$(grep '^NUMPROC=' "$ROOT_B/conf/102.conf")" = "$limit" ]
}

@test "migration to an unreachable DEST changes nothing" {
	mk_ct 103
	run on_a migrate 103 root@10.231.0.99 --online
	[ "$status" -ne 0 ]
	[[ "$output" == "vireo: cannot reach root@10.231.0.99: "* ]]
	only_here 103
}

@test "migration refuses an ID that already exists on DEST, and leaves both alone" {
	mk_ct 104
	on_b create 104 >/dev/null
	run on_a migrate 104 "$DEST" --online
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: $DEST: container 104 already exists" ]
	run vireo status 104
	[ "$output" = "CTID 104 exist mounted running" ]
	run on_b status 104
	[ "$output" = "CTID 104 exist unmounted down" ]
}

@test "migration to a DEST out of disk changes nothing" {
	mk_ct 105
	TMPFS_B=$ROOT_B/private
	mkdir -p "$TMPFS_B"
	mount -t tmpfs -o size=1m vireo-mig-full "$TMPFS_B"
	run on_a migrate 105 "$DEST" --online
	[ "$status" -ne 0 ]
	echo "$output"
	[[ "$output" == "vireo: $DEST: not enough disk space in "* ]]
	umount "$TMPFS_B"
	TMPFS_B=""
	only_here 105
}

@test "an ssh connection cut mid-copy leaves the container running here and DEST clean" {
	mk_ct 106
	workload 106
	dd if=/dev/urandom of="$ROOT_A/private/106/big" bs=1M count=8 status=none
	cat > "$BATS_TEST_TMPDIR/cutssh" <<-EOF
		#!/bin/sh
		# The copy's connection (slowed to 1 MB/s) is cut after a second.
		case "\$*" in *rsync*) ssh "\$@" & p=\$!; sleep 1; kill \$p; exit 255 ;; esac
		exec ssh "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/cutssh"
	local before
	before=$(vireo exec 106 cat /tmp/cnt)
	VIREO_RSYNC_OPTS=--bwlimit=1000 VIREO_SSH="$BATS_TEST_TMPDIR/cutssh ${VIREO_SSH#ssh }" \
		run on_a migrate 106 "$DEST" --online
	[ "$status" -ne 0 ]
	[[ "$output" == "vireo: copying $ROOT_A/private/106/ to $DEST failed"* ]]
	only_here 106
	[ "$(vireo exec 106 cat /tmp/cnt)" -ge "$before" ]
}

@test "a checkpoint stream cut on its way to DEST: restored here, DEST clean" {
	mk_ct 109
	workload 109
	cat > "$BATS_TEST_TMPDIR/cutstream" <<-EOF
		#!/bin/sh
		# The frozen phase's stream (the checkpoint as tar) ends after 64 KiB.
		case "\$*" in *recv-restore*) head -c 65536 | ssh "\$@"; exit \$? ;; esac
		exec ssh "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/cutstream"
	local before
	before=$(vireo exec 109 cat /tmp/cnt)
	VIREO_SSH="$BATS_TEST_TMPDIR/cutstream ${VIREO_SSH#ssh }" run on_a migrate 109 "$DEST" --online
	[ "$status" -ne 0 ]
	echo "$output"
	[[ "$output" == "vireo: $DEST: the checkpoint of container 109 did not arrive whole"* ]]
	only_here 109
	# Restored here, not restarted: the counter went on from where it was.
	[ "$(vireo exec 109 cat /tmp/cnt)" -ge "$before" ]
}

@test "the frozen phase's area copy failing: DEST drops the checkpoint it received, restored here" {
	mk_ct 110
	workload 110
	# rsync runs three times: the area while it runs, the configuration, the area while
	# frozen (beside the checkpoint's stream): the third one fails.
	cat > "$BATS_TEST_TMPDIR/cut3" <<-EOF
		#!/bin/sh
		case "\$*" in *rsync*)
			n=\$((\$(cat "$BATS_TEST_TMPDIR/n" 2>/dev/null || echo 0) + 1))
			echo \$n > "$BATS_TEST_TMPDIR/n"
			[ \$n -eq 3 ] && { echo "injected: connection lost" >&2; exit 255; } ;;
		esac
		exec ssh "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/cut3"
	local before
	before=$(vireo exec 110 cat /tmp/cnt)
	VIREO_SSH="$BATS_TEST_TMPDIR/cut3 ${VIREO_SSH#ssh }" run on_a migrate 110 "$DEST" --online
	[ "$status" -ne 0 ]
	echo "$output"
	[ "$(cat "$BATS_TEST_TMPDIR/n")" -eq 3 ]
	[[ "$output" == "vireo: copying $ROOT_A/private/110/ to $DEST failed"* ]]
	only_here 110
	[ "$(vireo exec 110 cat /tmp/cnt)" -ge "$before" ]
}

@test "a restore failing on DEST brings the container back here, restored, and cleans DEST" {
	mk_ct 107
	workload 107
	cat > "$BATS_TEST_TMPDIR/badvireo" <<-EOF
		#!/bin/sh
		# DEST's CRIU fails.
		VIREO_CRIU=/bin/false exec "$VIREO_BIN" "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/badvireo"
	local before
	before=$(vireo exec 107 cat /tmp/cnt)
	VIREO_REMOTE_VIREO=$BATS_TEST_TMPDIR/badvireo run on_a migrate 107 "$DEST" --online
	[ "$status" -ne 0 ]
	echo "$output"
	[[ "$output" == "vireo: $DEST: restore of container 107 failed"* ]]
	only_here 107
	# Restored, not restarted: the counter went on from where it was.
	[ "$(vireo exec 107 cat /tmp/cnt)" -ge "$before" ]
	run vireo exec 107 sh -c 'echo back | nc -w1 127.0.0.1 7000'
	[ "$output" = "back" ]
}

@test "a same ID runs on both instances at once without collision" {
	mk_ct 108
	on_b create 108 >/dev/null
	on_b start 108
	run on_b status 108
	[ "$output" = "CTID 108 exist mounted running" ]
	run vireo status 108
	[ "$output" = "CTID 108 exist mounted running" ]
	vireo exec 108 sh -c 'echo a > /tmp/who'
	on_b exec 108 sh -c 'echo b > /tmp/who'
	[ "$(vireo exec 108 cat /tmp/who)" = "a" ]
	[ "$(on_b exec 108 cat /tmp/who)" = "b" ]
	on_b stop 108
	run vireo status 108
	[ "$output" = "CTID 108 exist mounted running" ]
}

@test "while a migration runs, both sides refuse stop, destroy, set, chkpnt, a second migrate, create" {
	mk_ct 109
	workload 109
	# 6 MiB copied at 1 MB/s: a few seconds in which to try.
	dd if=/dev/urandom of="$ROOT_A/private/109/big" bs=1M count=6 status=none
	VIREO_RSYNC_OPTS=--bwlimit=1000 on_a migrate 109 "$DEST" --online \
		>"$BATS_TEST_TMPDIR/mig.out" 2>&1 &
	MIGPID=$!
	# DEST's session holds its lock from the first step on.
	wait_for 100 test -e "$ROOT_B/run/109.migrating"
	local busy="container 109 is being migrated; try again when that is done" c
	for c in "stop 109" "destroy 109" "set 109 --hostname x --save" "chkpnt 109" \
		"migrate 109 $DEST --online" "start 109"; do
		run on_a $c
		[ "$status" -ne 0 ] || { echo "$c: $output"; false; }
		[ "$output" = "vireo: $busy" ] || { echo "$c: $output"; false; }
	done
	for c in "create 109" "destroy 109" "start 109"; do
		run on_b $c
		[ "$status" -ne 0 ] || { echo "DEST $c: $output"; false; }
		[ "$output" = "vireo: $busy" ] || { echo "DEST $c: $output"; false; }
	done
	# (an exec would be allowed, but could meet the checkpoint: see checkpoint.bats)
	[ -e "$ROOT_A/run/109.migrating" ]
	local st=0
	wait "$MIGPID" || st=$?
	MIGPID=""
	cat "$BATS_TEST_TMPDIR/mig.out"
	[ "$st" -eq 0 ]
	[[ "$(cat "$BATS_TEST_TMPDIR/mig.out")" =~ ^"Container 109 migrated to $DEST (frozen for "[0-9]+" ms)"$ ]]
	# On exactly one side, and no lock is left on either.
	run on_b status 109
	[ "$output" = "CTID 109 exist mounted running" ]
	run vireo status 109
	[ "$output" = "CTID 109 deleted unmounted down" ]
	[ ! -e "$ROOT_A/run/109.migrating" ]
	[ ! -e "$ROOT_B/run/109.migrating" ]
	on_b exec 109 cat /tmp/cnt >/dev/null
	# And the ID is free again for commands on DEST.
	on_b stop 109
	run on_b status 109
	[ "$output" = "CTID 109 exist unmounted down" ]
}

@test "an address outside DEST's bridge subnet: refused before anything moves; --ignore-subnet routes it there" {
	echo 'BRIDGE_ADDRESS="10.231.81.1/24"' > "$ROOT_A/vireo.conf"
	echo 'BRIDGE_ADDRESS="10.231.82.1/24"' > "$ROOT_B/vireo.conf"
	vireo create 110 --userns no >/dev/null
	local p="$ROOT_A/private/110"
	ln -s /bin/busybox "$p/sbin/init"
	printf '::sysinit:/bin/true\n::respawn:/bin/sleep 1000000\n' > "$p/etc/inittab"
	vireo set 110 --ipadd 10.231.81.5 --save >/dev/null
	on_a start 110
	vireo exec 110 sh -c 'nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &'
	wait_for 30 in_ns "$NS_A" sh -c 'echo a | busybox nc -w1 10.231.81.5 7000 | grep -q a'
	local br_b
	br_b=$(VIREO_ROOT=$ROOT_B vireo_instance)
	local refusal="vireo: $DEST: address 10.231.81.5 of container 110 is not in the subnet of bridge $br_b (10.231.82.1/24): it would be unreachable there (--ignore-subnet moves it anyway)"
	local mode
	for mode in --online ""; do
		run on_a migrate 110 "$DEST" $mode
		[ "$status" -ne 0 ]
		[ "$output" = "$refusal" ] || { echo "$output"; false; }
		only_here 110
		[ ! -e "$ROOT_B/run/110.migrating" ]
		[ ! -e "$ROOT_A/run/110.migrating" ]
		# Never stopped nor frozen: the server it had still answers.
		run in_ns "$NS_A" sh -c 'echo still | busybox nc -w1 10.231.81.5 7000'
		[ "$output" = "still" ]
	done
	# An address another container of DEST uses is refused too.
	echo 'BRIDGE_ADDRESS="10.231.81.1/24"' > "$ROOT_B/vireo.conf"
	on_b create 120 >/dev/null
	on_b set 120 --ipadd 10.231.81.5 --save >/dev/null
	run on_a migrate 110 "$DEST" --online
	[ "$status" -ne 0 ]
	[ "$output" = "vireo: $DEST: address 10.231.81.5 is already used by container 120" ]
	only_here 110
	on_b destroy 120 >/dev/null
	# --ignore-subnet: it keeps its address; DEST routes that /32 to its bridge (as OpenVZ's
	# venet does) and points the container's default route at its own bridge address.
	echo 'BRIDGE_ADDRESS="10.231.82.1/24"' > "$ROOT_B/vireo.conf"
	run on_a migrate 110 "$DEST" --online --ignore-subnet
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run on_b status 110
	[ "$output" = "CTID 110 exist mounted running" ]
	run in_ns "$NS_B" sh -c 'echo moved | busybox nc -w1 10.231.81.5 7000'
	[ "$output" = "moved" ]
	ip -n "$NS_B" route show 10.231.81.5 | grep -q "dev $br_b"
	run on_b exec 110 ping -c1 -W3 10.231.82.1
	[ "$status" -eq 0 ]
	# Started again on DEST (its network made by start, not restore): the same.
	in_ns "$NS_B" env VIREO_ROOT="$ROOT_B" "$VIREO_BIN" restart 110 >/dev/null
	on_b exec 110 sh -c 'nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &'
	wait_for 30 in_ns "$NS_B" sh -c 'echo b | busybox nc -w1 10.231.81.5 7000 | grep -q b'
	# Stopped: the route goes with it.
	on_b stop 110
	[ -z "$(ip -n "$NS_B" route show 10.231.81.5)" ]
}

@test "online migration of a container with an address (user namespace): it answers there" {
	# Both hosts use the same subnet (a LAN the container moves within); each bridge lives in
	# its host's network namespace, DEST's made by the restore (no container ran there).
	echo 'BRIDGE_ADDRESS="10.231.83.1/24"' > "$ROOT_A/vireo.conf"
	echo 'BRIDGE_ADDRESS="10.231.83.1/24"' > "$ROOT_B/vireo.conf"
	vireo create 111 >/dev/null
	local p="$ROOT_A/private/111"
	ln -s /bin/busybox "$p/sbin/init"
	printf '::sysinit:/bin/true\n::respawn:/bin/sleep 1000000\n' > "$p/etc/inittab"
	vireo set 111 --ipadd 10.231.83.5 --save >/dev/null
	on_a start 111
	vireo exec 111 sh -c 'nc -ll -p 7000 -e cat </dev/null >/dev/null 2>&1 &'
	wait_for 30 in_ns "$NS_A" sh -c 'echo a | busybox nc -w1 10.231.83.5 7000 | grep -q a'
	run on_a migrate 111 "$DEST" --online
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run on_b status 111
	[ "$output" = "CTID 111 exist mounted running" ]
	run nsenter --net="/run/netns/$NS_B" sh -c 'echo there | busybox nc -w1 10.231.83.5 7000'
	[ "$output" = "there" ]
	run nsenter --net="/run/netns/$NS_A" busybox nc -w1 10.231.83.5 7000 </dev/null
	[ "$status" -ne 0 ]
	run on_b exec 111 ping -c1 -W3 10.231.83.1
	[ "$status" -eq 0 ]
}
