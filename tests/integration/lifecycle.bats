#!/usr/bin/env bats
# The OpenVZ-style lifecycle: create, start, status, exec, enter, console, list, set, restart,
# stop, destroy, templates, vzctl/vzlist spellings, and both ways of mapping owners.

load helpers

setup() { vireo_setup; }
teardown() { vireo_teardown; }

init_pid() { sed -n 's/^INIT_PID="\(.*\)"/\1/p' "$VIREO_ROOT/run/$1/state"; }

@test "create uses the busybox template by default and registers the container stopped" {
	run vireo create 42
	[ "$status" -eq 0 ]
	[ -f "$VIREO_ROOT/conf/42.conf" ]
	grep -q '^OSTEMPLATE="busybox"$' "$VIREO_ROOT/conf/42.conf"
	grep -q '^USERNS="yes"$' "$VIREO_ROOT/conf/42.conf"
	[ -x "$VIREO_ROOT/private/42/bin/busybox" ]
	run vireo status 42
	[ "$output" = "CTID 42 exist unmounted down" ]
	run vireo list -a -H -o ctid,status
	[ "$(echo $output)" = "42 stopped" ]
	# list without -a shows running containers only
	run vireo list -H
	[ -z "$output" ]
}

@test "start, status, stop and restart follow OpenVZ's states" {
	vireo create 42 --hostname web1
	run vireo start 42
	[ "$status" -eq 0 ]
	run vireo status 42
	[ "$output" = "CTID 42 exist mounted running" ]
	first=$(init_pid 42)
	[ -n "$first" ] && kill -0 "$first"
	run vireo restart 42
	[ "$status" -eq 0 ]
	second=$(init_pid 42)
	[ -n "$second" ] && [ "$second" != "$first" ]
	! kill -0 "$first" 2>/dev/null
	run vireo stop 42
	[ "$status" -eq 0 ]
	run vireo status 42
	[ "$output" = "CTID 42 exist unmounted down" ]
	! kill -0 "$second" 2>/dev/null
	# stop --fast kills at once
	vireo start 42
	pid=$(init_pid 42)
	run vireo stop --fast 42
	[ "$status" -eq 0 ]
	! kill -0 "$pid" 2>/dev/null
}

@test "exec passes stdin, stdout, stderr, arguments and the exit status through" {
	vireo create 42
	vireo start 42
	run vireo exec 42 /bin/sh -c 'exit 7'
	[ "$status" -eq 7 ]
	out=$(echo "hello through stdin" | vireo exec 42 cat)
	[ "$out" = "hello through stdin" ]
	out=$(vireo exec 42 /bin/sh -c 'echo to-out; echo to-err >&2' 2>/dev/null)
	[ "$out" = "to-out" ]
	err=$(vireo exec 42 /bin/sh -c 'echo to-out; echo to-err >&2' 2>&1 >/dev/null)
	[ "$err" = "to-err" ]
	run vireo exec 42 printf '%s|' "a b" "" "c"
	[ "$output" = "a b||c|" ]
	run vireo exec 42 /bin/sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	run vireo exec 42 hostname
	[ "$output" = "localhost" ]
	run vireo exec 42 /bin/sh -c 'echo $HOME $PATH'
	[[ "$output" == "/root /usr/local/sbin:"* ]]
}

@test "exec joins the container: its processes, its cgroup, its root" {
	vireo create 42
	vireo start 42
	run vireo exec 42 /bin/sh -c 'echo $$; cat /proc/1/comm; ls /proc | grep -c "^[0-9]"'
	[ "${lines[1]}" = "init" ]
	[ "${lines[2]}" -le 4 ]
	# counted in NPROC while it runs
	vireo exec 42 sleep 2 &
	bg=$!
	wait_for 20 sh -c "[ \$($VIREO_BIN list -H -o numproc 42) -ge 2 ]"
	kill "$bg" 2>/dev/null || true
	wait "$bg" 2>/dev/null || true
}

@test "enter gives a login shell on the container's own pseudo-terminal" {
	vireo create 42
	vireo start 42
	run bash -c "printf 'tty\necho \$((6*7))\nexit 5\n' | $VIREO_BIN enter 42"
	[ "$status" -eq 5 ]
	[[ "$output" == *"/dev/pts/"* ]]
	[[ "$output" == *"42"* ]]
	# input that ends without "exit" ends the shell too
	run bash -c "printf 'echo hi\n' | timeout 10 $VIREO_BIN enter 42"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hi"* ]]
}

@test "enter on a real terminal: raw mode, the window size, the shell's exit status" {
	vireo create 42
	vireo start 42
	run bash -c "(sleep 0.5; printf 'stty size; tty\r'; sleep 0.5; printf 'exit 4\r'; sleep 0.3) | timeout 10 script -qfec 'stty rows 33 cols 99; $VIREO_BIN enter 42' /dev/null"
	[ "$status" -eq 4 ]
	[[ "$output" == *"33 99"* ]]
	[[ "$output" == *"/dev/pts/0"* ]]
}

@test "console shows what the container writes to /dev/console and takes input; Esc . detaches" {
	vireo create 42
	vireo start 42
	vireo exec 42 /bin/sh -c 'echo hello-console > /dev/console'
	# A reader inside waits for one line from the console.
	vireo exec 42 /bin/sh -c 'head -n1 /dev/console > /tmp/got' &
	reader=$!
	sleep 0.3
	run bash -c "{ sleep 0.5; printf 'typed-in\r'; sleep 0.5; printf '\033.'; } | timeout 10 $VIREO_BIN console 42"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hello-console"* ]]
	wait "$reader"
	run vireo exec 42 cat /tmp/got
	[[ "$output" == *"typed-in"* ]]
}

@test "list prints vzlist's columns, JSON, chosen fields, sorted, by name" {
	vireo create 42 --hostname web1 --name web
	vireo create 7 --hostname db --name db
	vireo start 42
	run vireo list
	[ "${lines[0]}" = "      CTID      NPROC STATUS    IP_ADDR         HOSTNAME" ]
	[[ "${lines[1]}" =~ ^\ +42\ +[0-9]+\ running\ +-\ +web1$ ]]
	[ "${#lines[@]}" -eq 2 ]
	run vireo list -a -H -o ctid,name,status
	[ "$(echo ${lines[0]})" = "7 db stopped" ]
	[ "$(echo ${lines[1]})" = "42 web running" ]
	run vireo list -a -H -o ctid -s -ctid
	[ "$(echo $output)" = "42 7" ]
	run vireo list -a -H -o ctid -s hostname
	[ "$(echo $output)" = "7 42" ]
	run vireo list -S -H -o ctid
	[ "$(echo $output)" = "7" ]
	run vireo list -a -n -H
	[[ "${lines[1]}" == *"web" ]]
	vireo list -a -j > "$BATS_TEST_TMPDIR/l.json"
	python3 - "$BATS_TEST_TMPDIR/l.json" <<'PY'
import json, sys
l = json.load(open(sys.argv[1]))
assert [c["ctid"] for c in l] == [7, 42], l
assert l[1]["status"] == "running" and l[1]["hostname"] == "web1" and l[1]["numproc"] >= 1, l
assert l[0]["status"] == "stopped" and l[0]["numproc"] is None and l[0]["ip"] is None, l
PY
	# a name works wherever an ID does
	run vireo status web
	[ "$output" = "CTID 42 exist mounted running" ]
	run vireo exec db true
	[ "$status" -ne 0 ]
	[[ "$output" == *"container 7 is not running"* ]]
}

@test "vzctl and vzlist are the same tool under OpenVZ's names" {
	vz="$VIREO_BUILD/src/cli"
	run "$vz/vzctl" create 43 --ostemplate busybox --hostname old
	[ "$status" -eq 0 ]
	"$vz/vzctl" start 43
	run "$vz/vzctl" exec 43 hostname
	[ "$output" = "old" ]
	run "$vz/vzlist" -H -o ctid,hostname
	[ "$(echo $output)" = "43 old" ]
	run "$vz/vzctl" status 43
	[ "$output" = "CTID 43 exist mounted running" ]
	"$vz/vzctl" stop 43
	run "$vz/vzlist" -a -H -o status
	[ "$(echo $output)" = "stopped" ]
}

@test "set --hostname applies at once; without --save it lasts until stop" {
	vireo create 42 --hostname first
	vireo start 42
	vireo set 42 --hostname second
	run vireo exec 42 hostname
	[ "$output" = "second" ]
	grep -q '^HOSTNAME="first"$' "$VIREO_ROOT/conf/42.conf"
	vireo restart 42
	run vireo exec 42 hostname
	[ "$output" = "first" ]
	vireo set 42 --hostname third --save
	grep -q '^HOSTNAME="third"$' "$VIREO_ROOT/conf/42.conf"
	run vireo exec 42 cat /etc/hostname
	[ "$output" = "third" ]
	vireo restart 42
	run vireo exec 42 hostname
	[ "$output" = "third" ]
	# a stopped container's configuration only changes with --save
	vireo stop 42
	run vireo set 42 --hostname fourth
	[ "$status" -ne 0 ]
	[[ "$output" == *"--save"* ]]
	vireo set 42 --onboot yes --save
	grep -q '^ONBOOT="yes"$' "$VIREO_ROOT/conf/42.conf"
	run vireo list -a -H -o onboot
	[ "$(echo $output)" = "yes" ]
}

@test "set --userpasswd lands in the container's own /etc/shadow only" {
	host_shadow=$(sha256sum /etc/shadow)
	vireo create 42
	vireo start 42
	vireo set 42 --userpasswd root:s3cret-pw
	vireo set 42 --userpasswd alice:wonder
	hash=$(vireo exec 42 sed -n 's/^root:\([^:]*\):.*/\1/p' /etc/shadow)
	[[ "$hash" == '$6$'* ]]
	python3 -c 'import crypt,sys; sys.exit(crypt.crypt("s3cret-pw", sys.argv[1]) != sys.argv[1])' "$hash" 2>/dev/null
	run vireo exec 42 grep -c '^alice:' /etc/passwd /etc/shadow /etc/group
	[ "$status" -eq 0 ]
	[[ "$output" == *"passwd:1"* && "$output" == *"shadow:1"* && "$output" == *"group:1"* ]]
	run vireo exec 42 stat -c '%U %a' /etc/shadow
	[ "$output" = "root 600" ]
	[ "$(sha256sum /etc/shadow)" = "$host_shadow" ]
	# a symlink planted inside is not followed to the host
	vireo exec 42 /bin/sh -c 'rm /etc/shadow; ln -s /etc/passwd-host-target /etc/shadow'
	marker="/etc/passwd-host-target"
	[ ! -e "$marker" ]
	run vireo set 42 --userpasswd root:again
	[ "$status" -ne 0 ]
	[[ "$output" == *"/etc/shadow"* ]]
	[ ! -e "$marker" ]
	[ "$(sha256sum /etc/shadow)" = "$host_shadow" ]
	# works on a stopped container too
	vireo exec 42 /bin/sh -c 'rm /etc/shadow; echo "root:*:19000:0:99999:7:::" > /etc/shadow'
	vireo stop 42
	run vireo set 42 --userpasswd bob:builder
	[ "$status" -eq 0 ]
	grep -q '^bob:\$6\$' "$VIREO_ROOT/private/42/etc/shadow"
}

@test "destroy removes every file of the container and refuses a running one without --force" {
	vireo create 42
	vireo start 42
	run vireo destroy 42
	[ "$status" -ne 0 ]
	[[ "$output" == *"running"* ]]
	run vireo destroy --force 42
	[ "$status" -eq 0 ]
	[ ! -e "$VIREO_ROOT/conf/42.conf" ]
	[ ! -e "$VIREO_ROOT/private/42" ]
	[ ! -e "$VIREO_ROOT/run/42" ]
	run vireo status 42
	[ "$output" = "CTID 42 deleted unmounted down" ]
	# the ID is free again
	run vireo create 42
	[ "$status" -eq 0 ]
}

@test "template list shows the cache; template create rebuilds busybox; unknown names are refused" {
	run vireo template list
	[[ "$output" == *"busybox"* ]]
	rm -f "$VIREO_ROOT/templates/busybox.tar.gz"
	run vireo template list
	[[ "$output" != *"busybox"* ]]
	run vireo template create busybox
	[ "$status" -eq 0 ]
	[ -s "$VIREO_ROOT/templates/busybox.tar.gz" ]
	run vireo template create centos-7
	[ "$status" -ne 0 ]
	[[ "$output" == *"unknown template 'centos-7'"* ]]
	# the built-in default is built on demand when missing
	rm -f "$VIREO_ROOT/templates/busybox.tar.gz"
	run vireo create 42
	[ "$status" -eq 0 ]
}

@test "debian-12: create from the debootstrap template, run Debian's tools, set a password" {
	[ -s "$VIREO_ROOT/templates/debian-12.tar.gz" ] || skip "debian-12 template not cached"
	vireo create 101 --ostemplate debian-12 --hostname deb
	vireo start 101
	run vireo exec 101 cat /etc/debian_version
	[[ "$output" == 12.* ]]
	run vireo exec 101 dpkg-query -W -f '${Package}\n' apt
	[ "$output" = "apt" ]
	run vireo exec 101 /bin/bash -c 'hostname; id -u; stat -c %U /root'
	[ "${lines[0]}" = "deb" ]
	[ "${lines[1]}" = "0" ]
	[ "${lines[2]}" = "root" ]
	vireo set 101 --userpasswd root:debpw
	run vireo exec 101 /bin/bash -c 'getent shadow root | cut -d: -f2 | cut -c1-3'
	[ "$output" = '$6$' ]
	run vireo exec 101 cat /proc/1/comm
	[ "$output" = "init" ]
	vireo stop 101
	vireo destroy 101
}

@test "owners: idmapped mount keeps the private area unshifted; VIREO_IDMAP=shift shifts once" {
	vireo create 42
	grep -q '^IDMAP="mount"$' "$VIREO_ROOT/conf/42.conf"
	[ "$(stat -c %u "$VIREO_ROOT/private/42/bin/busybox")" = 0 ]
	VIREO_IDMAP=shift vireo create 43
	grep -q '^IDMAP="shift"$' "$VIREO_ROOT/conf/43.conf"
	base=$(sed -n 's/^UIDBASE="\(.*\)"/\1/p' "$VIREO_ROOT/conf/43.conf")
	[ "$base" -ge 1048576 ]
	[ "$(stat -c %u "$VIREO_ROOT/private/43/bin/busybox")" = "$base" ]
	# each container has its own range
	base42=$(sed -n 's/^UIDBASE="\(.*\)"/\1/p' "$VIREO_ROOT/conf/42.conf")
	[ "$base42" != "$base" ]
	for id in 42 43; do
		vireo start $id
		run vireo exec $id /bin/sh -c 'stat -c %u /bin/busybox; touch /root/new; stat -c %u /root/new'
		[ "$(echo $output)" = "0 0" ]
	done
	# a file root made inside lands on disk as 0 (idmapped) or as the base (shifted)
	[ "$(stat -c %u "$VIREO_ROOT/private/42/root/new")" = 0 ]
	[ "$(stat -c %u "$VIREO_ROOT/private/43/root/new")" = "$base" ]
}
