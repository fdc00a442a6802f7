#!/usr/bin/env bats
# Bad input: every mistake a user can type, every corrupted file and every hostile template
# gets exactly one line on stderr ("vireo: ..." naming the problem), a non-zero exit status
# below 128 (no crash, no sanitizer report), nothing on stdout, and changes nothing under
# VIREO_ROOT (a listing of every path with its type, size, mode and owner is the same before
# and after). Hostile templates also must write nothing outside VIREO_ROOT: their entries aim
# at unique marker paths under /tmp, which must not appear (teardown removes them if they do).

bats_require_minimum_version 1.5.0
load helpers

setup() {
	vireo_setup
	sanitizer_logs_setup
	# Where hostile entries aim; unique per test, never created by vireo if all is well.
	MARK=$(mktemp -u /tmp/vireo-mark.XXXXXXXX)
	vireo create 101 >/dev/null
}

teardown() {
	# Marker paths, whether the test made them or (a bug) a hostile template did.
	[ -n "${MARK:-}" ] && rm -rf "$MARK"-*
	local r=0
	vireo_teardown || r=1
	sanitizer_logs_check || r=1
	return $r
}

MKTAR="$BATS_TEST_DIRNAME/../fixtures/mktar.py"

# Every path under VIREO_ROOT with its type, size (not for directories, whose size on ext4
# never shrinks), mode and owner.
snapshot() {
	{
		find "$VIREO_ROOT" -type d -printf '%p d %m %U:%G\n'
		find "$VIREO_ROOT" ! -type d -printf '%p %y %s %m %U:%G\n'
	} | LC_ALL=C sort
}

# refuse NEEDLE CMD [ARG...]: CMD fails cleanly and changes nothing. Its exit status is 1..127,
# stdout is empty, stderr is exactly one line "PROG: ..." containing NEEDLE (a literal string),
# where PROG is the name the command was invoked by, and the snapshot is unchanged.
refuse() {
	local needle=$1 prog before after
	shift
	prog=$(basename "$1")
	[ "$prog" != vireo ] || prog=vireo
	before=$(snapshot)
	run --separate-stderr "$@"
	after=$(snapshot)
	printf '# %s\n#   status %s\n#   stdout: %s\n#   stderr: %s\n' "$*" "$status" "$output" "$stderr"
	[ "$status" -ne 0 ] || { echo "FAIL: expected a failure"; return 1; }
	[ "$status" -lt 128 ] || { echo "FAIL: crashed (status $status)"; return 1; }
	[ -z "$output" ] || { echo "FAIL: printed on stdout"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "FAIL: ${#stderr_lines[@]} lines on stderr"; return 1; }
	[[ "$stderr" == "$prog: "* ]] || { echo "FAIL: stderr does not start with '$prog: '"; return 1; }
	[[ "$stderr" == *"$needle"* ]] || { echo "FAIL: stderr does not mention '$needle'"; return 1; }
	if [ "$before" != "$after" ]; then
		echo "FAIL: the instance changed:"
		diff <(echo "$before") <(echo "$after") | head -20
		return 1
	fi
}

# Nothing of container ID is registered, staged or left half made.
not_there() { # ID
	run vireo status "$1"
	[ "$output" = "CTID $1 deleted unmounted down" ] || { echo "FAIL: status says: $output"; return 1; }
	[ ! -e "$VIREO_ROOT/conf/$1.conf" ] || { echo "FAIL: conf/$1.conf exists"; return 1; }
	[ ! -e "$VIREO_ROOT/private/$1" ] || { echo "FAIL: private/$1 exists"; return 1; }
	local left
	left=$(ls -a "$VIREO_ROOT/private" "$VIREO_ROOT/conf" | grep -E "^\.$1\." || true)
	[ -z "$left" ] || { echo "FAIL: staging left: $left"; return 1; }
	run vireo list -a -H -o ctid
	for id in $output; do
		[ "$id" != "$1" ] || { echo "FAIL: list -a shows $1"; return 1; }
	done
}

@test "invalid container IDs are refused by every verb, with one line naming the ID" {
	big=$(printf '9%.0s' {1..300})
	for id in 0 -1 2147483648 99999999999 ../x abc/def '' 007 +5 5x ' 5' "$big"; do
		shown=${id:0:64}
		refuse "'$shown" vireo create "$id"
		refuse "'$shown" vireo start "$id"
		refuse "'$shown" vireo stop "$id"
		refuse "'$shown" vireo restart "$id"
		refuse "'$shown" vireo status "$id"
		refuse "'$shown" vireo destroy "$id"
		refuse "'$shown" vireo exec "$id" true
		refuse "'$shown" vireo set "$id" --hostname x --save
	done
	# A name nobody has
	refuse "no container is named 'nosuch'" vireo start nosuch
	refuse "no container is named 'nosuch'" vireo status nosuch
}

@test "invalid container names are refused and register nothing" {
	for name in a/b ../x 1abc 9 '' -x 'a b' "$(printf 'n%.0s' {1..65})"; do
		refuse "invalid container name '${name:0:64}" vireo create 102 --name "$name"
		not_there 102
	done
}

@test "an unknown or invalid template is refused and registers nothing" {
	refuse "unknown template 'nope'" vireo create 102 --ostemplate nope
	not_there 102
	for t in ../busybox /etc/passwd Busybox 'busy box' '' .hidden; do
		refuse "invalid template name '$t'" vireo create 102 --ostemplate "$t"
		not_there 102
	done
}

@test "create of an existing ID is refused and leaves it intact" {
	vireo set 101 --hostname keep --save >/dev/null
	conf=$(cat "$VIREO_ROOT/conf/101.conf")
	refuse "container 101 already exists" vireo create 101
	refuse "container 101 already exists" vireo create 101 --ostemplate nope
	[ "$(cat "$VIREO_ROOT/conf/101.conf")" = "$conf" ]
	run vireo start 101
	[ "$status" -eq 0 ]
}

@test "start of a running container, stop of a stopped one, exec in a stopped one are refused" {
	refuse "container 101 is not running" vireo stop 101
	refuse "container 101 is not running" vireo stop --fast 101
	refuse "container 101 is not running" vireo exec 101 true
	vireo start 101
	refuse "container 101 is already running" vireo start 101
	run vireo status 101
	[ "$output" = "CTID 101 exist mounted running" ]
	vireo stop 101
	refuse "container 101 is not running" vireo stop 101
	refuse "container 101 is not running" vireo exec 101 /bin/true
}

@test "exec of a missing command exits 127 with one line naming the command" {
	vireo start 101
	before=$(snapshot)
	run -127 --separate-stderr vireo exec 101 /no/such/command arg
	echo "stderr: $stderr"
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "vireo: "*"/no/such/command"* ]]
	run -127 --separate-stderr vireo exec 101 no-such-command-in-path
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "vireo: "*"no-such-command-in-path"* ]]
	[ "$(snapshot)" = "$before" ]
	# The container is unharmed
	run vireo exec 101 true
	[ "$status" -eq 0 ]
}

@test "destroy of a running container needs --force" {
	vireo start 101
	refuse "container 101 is running" vireo destroy 101
	run vireo exec 101 true
	[ "$status" -eq 0 ]
	run --separate-stderr vireo destroy --force 101
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	not_there 101
	inst=$(vireo_instance)
	[ -z "$(ls -d /sys/fs/cgroup/*/"$inst"/101 /sys/fs/cgroup/"$inst"/101 2>/dev/null)" ]
}

@test "status of a nonexistent ID says deleted and creates nothing" {
	before=$(snapshot)
	run --separate-stderr vireo status 555
	[ "$status" -eq 0 ]
	[ "$output" = "CTID 555 deleted unmounted down" ]
	[ -z "$stderr" ]
	[ "$(snapshot)" = "$before" ]
}

@test "verbs on a nonexistent ID are refused and leave nothing behind" {
	refuse "container 555 does not exist" vireo start 555
	refuse "container 555 does not exist" vireo stop 555
	refuse "container 555 does not exist" vireo restart 555
	refuse "container 555 does not exist" vireo exec 555 true
	refuse "container 555 does not exist" vireo set 555 --hostname x --save
	refuse "container 555 does not exist" vireo destroy 555
	refuse "container 555 does not exist" vireo destroy --force 555
}

# corrupt_test ID: start, exec and set refuse naming the file; list and destroy still work.
corrupt_check() {
	local conf=$VIREO_ROOT/conf/101.conf what=$1
	refuse "$conf: line" vireo start 101
	refuse "$conf: line" vireo restart 101
	refuse "$conf: line" vireo exec 101 true
	refuse "$conf: line" vireo set 101 --hostname other --save
	refuse "$conf: line" vireo set 101 --onboot yes --save
	refuse "$conf: line" vireo set 101 --userpasswd root:secret
	run --separate-stderr vireo list -a -H -o ctid,status
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(echo $output)" = "101 stopped" ]
	run --separate-stderr vireo list -a -j
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	echo "$output" | python3 -c 'import json,sys; l=json.load(sys.stdin); assert [c["ctid"] for c in l] == [101], l'
	run vireo status 101
	[ "$output" = "CTID 101 exist unmounted down" ]
	run --separate-stderr vireo destroy 101
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	not_there 101
	# and the ID can be used again
	run vireo create 101
	[ "$status" -eq 0 ]
}

@test "a configuration file with a garbage line: start, exec, set refuse naming the file" {
	echo 'this is not KEY="value"' >>"$VIREO_ROOT/conf/101.conf"
	corrupt_check
}

@test "a truncated configuration file: start, exec, set refuse naming the file" {
	conf=$VIREO_ROOT/conf/101.conf
	# cut the last line short, without its newline
	size=$(stat -c %s "$conf")
	truncate -s $((size - 3)) "$conf"
	[ "$(tail -c1 "$conf" | od -An -c | tr -d ' ')" != '\n' ]
	run vireo start 101
	[[ "$output" == *"truncated"* ]]
	corrupt_check
}

@test "a running container whose configuration got corrupted can still be stopped" {
	conf=$VIREO_ROOT/conf/101.conf
	vireo start 101
	echo 'garbage' >>"$conf"
	refuse "$conf: line" vireo exec 101 true
	refuse "$conf: line" vireo set 101 --hostname other
	refuse "$conf: line" vireo start 101
	run --separate-stderr vireo stop 101
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run vireo status 101
	[ "$output" = "CTID 101 exist unmounted down" ]
	inst=$(vireo_instance)
	[ -z "$(ls -d /sys/fs/cgroup/*/"$inst"/101 /sys/fs/cgroup/"$inst"/101 2>/dev/null)" ]
	refuse "$conf: line" vireo start 101
	run vireo destroy 101
	[ "$status" -eq 0 ]
	not_there 101
}

@test "a configuration file with an invalid value is refused naming the key" {
	sed -i 's/^UIDBASE=.*/UIDBASE="12"/' "$VIREO_ROOT/conf/101.conf"
	refuse "invalid UIDBASE=\"12\"" vireo start 101
	sed -i 's/^UIDBASE=.*/UIDBASE="1048576"/; s/^USERNS=.*/USERNS="maybe"/' "$VIREO_ROOT/conf/101.conf"
	refuse "invalid USERNS=\"maybe\"" vireo start 101
	sed -i '/^OSTEMPLATE=/d; s/^USERNS=.*/USERNS="yes"/' "$VIREO_ROOT/conf/101.conf"
	refuse "corrupted (no OSTEMPLATE)" vireo start 101
	run vireo destroy 101
	[ "$status" -eq 0 ]
	not_there 101
}

@test "unknown verbs, unknown options, missing and extra arguments" {
	refuse "unknown verb 'frobnicate'" vireo frobnicate
	refuse "unknown verb '--bogus'" vireo --bogus
	refuse "unknown option '--bogus'" vireo start --bogus 101
	refuse "unknown option '--bogus'" vireo start 101 --bogus
	refuse "unknown option '--bogus'" vireo create 102 --bogus
	refuse "unknown option '-z'" vireo stop -z 101
	refuse "unknown option '--force'" vireo start --force 101
	refuse "needs a value" vireo create 102 --ostemplate
	refuse "needs a value" vireo set 101 --hostname
	refuse "missing container ID" vireo start
	refuse "missing container ID" vireo destroy --force
	refuse "missing container ID" vireo exec
	refuse "missing command" vireo exec 101
	refuse "unexpected argument '102'" vireo start 101 102
	refuse "--userns" vireo create 102 --userns maybe
	refuse "--onboot" vireo set 101 --onboot maybe --save
	refuse "nothing to change" vireo set 101
	refuse "unknown option '--bogus'" vireo list --bogus
	refuse "unknown field 'bogus'" vireo list -o ctid,bogus
	refuse "template" vireo template frob
	refuse "invalid template name" vireo template create ../x
	refuse "unknown template 'nope'" vireo template create nope
	not_there 102
}

@test "user text with control characters still makes one line" {
	refuse "unknown verb" vireo $'fr\nob'
	refuse "unknown option" vireo start $'--bo\ngus' 101
	refuse "unexpected argument" vireo start 101 $'x\ny'
	refuse "invalid container ID" vireo start $'1\n2'
	refuse "invalid container name" vireo create 102 --name $'a\nb'
	refuse "invalid host name" vireo set 101 --hostname $'a\nb' --save
	refuse "unknown field" vireo list -o $'a\nb'
}

@test "set with an invalid host name is refused, running or not" {
	for h in bad_host -x x- a..b .a 'a b' "$(printf 'h%.0s' {1..300})" ''; do
		refuse "invalid host name '${h:0:64}" vireo set 101 --hostname "$h" --save
		refuse "invalid host name '${h:0:64}" vireo create 102 --hostname "$h"
	done
	vireo start 101
	refuse "invalid host name 'bad_host'" vireo set 101 --hostname bad_host
	run vireo exec 101 hostname
	[ "$output" = "localhost" ]
	not_there 102
}

@test "VIREO_ROOT must be absolute, and a relative one creates nothing" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr env VIREO_ROOT=relative/root "$VIREO_BIN" list -a
	[ "$status" -ne 0 ] && [ "$status" -lt 128 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "vireo: VIREO_ROOT must be an absolute path"* ]]
	[ ! -e relative ]
}

# --- hostile templates ---

passwd_stat() { stat -c '%i %h %s %a %u %g %Y' /etc/passwd; }

# hostile KIND [PROG]: a template built by mktar.py KIND is refused by "PROG create" with one
# line naming the bad entry; nothing is registered or staged, nothing changes under
# VIREO_ROOT, and nothing appears where the entry aims outside it.
hostile() {
	local kind=$1 prog=${2:-vireo} bad pw
	# Targets an escaping entry would reach, made so that following them would succeed.
	mkdir "$MARK-dir"
	echo original >"$MARK-hlsrc"
	pw=$(passwd_stat)
	bad=$(python3 "$MKTAR" "$kind" "$VIREO_ROOT/templates/hostile.tar.gz" "$MARK")
	[ -n "$bad" ]
	if [ "$prog" = vireo ]; then
		refuse "'${bad:0:200}" vireo create 150 --ostemplate hostile
	else
		refuse "'${bad:0:200}" "$VIREO_BUILD/src/cli/$prog" create 150 --ostemplate hostile
	fi
	[[ "$stderr" == *"150"* ]]
	not_there 150
	# Nothing escaped: no marker, nothing in the target directory, the link target and the
	# host's passwd untouched, no device node anywhere in the instance.
	local m
	for m in "$MARK"-*; do
		case "$m" in
		"$MARK-dir") [ -z "$(ls -A "$m")" ] || { echo "FAIL: written into $m: $(ls -A "$m")"; return 1; } ;;
		"$MARK-hlsrc")
			[ "$(stat -c %h "$m")" = 1 ] || { echo "FAIL: $m was linked"; return 1; }
			[ "$(cat "$m")" = original ] || { echo "FAIL: $m was changed"; return 1; } ;;
		*) echo "FAIL: $m appeared"; return 1 ;;
		esac
	done
	[ "$(passwd_stat)" = "$pw" ] || { echo "FAIL: /etc/passwd changed: $pw -> $(passwd_stat)"; return 1; }
	[ -z "$(find "$VIREO_ROOT" -type b -o -type c)" ] || { echo "FAIL: device node made"; return 1; }
	# The ID is not spoiled: a good template creates it.
	run vireo create 150
	[ "$status" -eq 0 ]
	run ls -a "$VIREO_ROOT/private"
	[[ "$output" != *".150."* ]]
}

@test "hostile template: an entry climbing out with ../" { hostile dotdot; }
@test "hostile template: '..' in the middle of a path" { hostile dotdot-inner; }
@test "hostile template: an absolute path" { hostile absolute; }
@test "hostile template: a character device node" { hostile chardev; }
@test "hostile template: a block device node" { hostile blockdev; }
@test "hostile template: a hard link to ../../etc/passwd" { hostile hardlink-passwd; }
@test "hostile template: a hard link climbing out with ../" { hostile hardlink-up; }
@test "hostile template: a hard link to an absolute path" { hostile hardlink-abs; }
@test "hostile template: a symlink out of the tree, then a file through it" { hostile symlink-dir; }
@test "hostile template: a relative symlink climbing out, then a file through it" { hostile symlink-up; }
@test "hostile template: a symlink, then a directory through it" { hostile symlink-nested; }
@test "hostile template through vzctl names itself vzctl" { hostile symlink-dir vzctl; }

@test "a truncated or non-tarball template is refused and leaves nothing" {
	head -c 200000 "$VIREO_ROOT/templates/busybox.tar.gz" >"$VIREO_ROOT/templates/cut.tar.gz"
	refuse "cut" vireo create 150 --ostemplate cut
	not_there 150
	echo "not a tarball" >"$VIREO_ROOT/templates/junk.tar.gz"
	refuse "junk" vireo create 150 --ostemplate junk
	not_there 150
	: >"$VIREO_ROOT/templates/empty.tar.gz"
	refuse "empty" vireo create 150 --ostemplate empty
	not_there 150
}

# --- checkpoint archives (restore --dumpfile) ---

# hostile_dump KIND FILE: a checkpoint tar with a few plain images, then one hostile entry
# aiming at $MARK-..., then a trailer that must never be written.
hostile_dump() {
	python3 - "$1" "$2" "$MARK" <<-'PY'
		import io, sys, tarfile
		kind, out, mark = sys.argv[1:]
		def info(name, t=tarfile.REGTYPE, size=0, link=""):
		    ti = tarfile.TarInfo(name); ti.type = t; ti.size = size; ti.linkname = link
		    ti.mode = 0o644; return ti
		with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tf:
		    tf.addfile(info("./", tarfile.DIRTYPE))
		    for n in ("inventory.img", "vireo-dump.conf"):
		        tf.addfile(info("./" + n, size=3), io.BytesIO(b"abc"))
		    bad = {
		        "symlink": lambda: tf.addfile(info("./pages-1.img", tarfile.SYMTYPE, link=mark + "-ln")),
		        "dotdot": lambda: tf.addfile(info("../" + mark.split("/")[-1] + "-up", size=1), io.BytesIO(b"x")),
		        "absolute": lambda: tf.addfile(info(mark + "-abs", size=1), io.BytesIO(b"x")),
		        "subdir": lambda: tf.addfile(info("./sub/core-1.img", size=1), io.BytesIO(b"x")),
		        "hardlink": lambda: tf.addfile(info("./core-1.img", tarfile.LNKTYPE, link="inventory.img")),
		        "device": lambda: tf.addfile(info("./tty.img", tarfile.CHRTYPE)),
		        "twice": lambda: tf.addfile(info("inventory.img", size=1), io.BytesIO(b"x")),
		    }[kind]
		    bad()
		    tf.addfile(info("./trailer.img", size=1), io.BytesIO(b"x"))
	PY
}

@test "restore --dumpfile refuses a hostile or broken archive, writes nothing, changes nothing" {
	local kind f="$BATS_TEST_TMPDIR/dump.tar"
	for kind in symlink dotdot absolute subdir hardlink device twice; do
		hostile_dump "$kind" "$f"
		refuse "the dump file $f is not a checkpoint" vireo restore 101 --dumpfile "$f"
		[ ! -e "$VIREO_ROOT/dump/101" ]
		run ls -d "$MARK"-*
		[ "$status" -ne 0 ] || { echo "escaped: $output"; false; }
	done
	echo "not a tar file at all" >"$f"
	refuse "cannot read the dump file $f" vireo restore 101 --dumpfile "$f"
	python3 -c 'import tarfile,sys; tarfile.open(sys.argv[1], "w").close()' "$f"
	refuse "is not a checkpoint: it is empty" vireo restore 101 --dumpfile "$f"
	refuse "cannot read the dump file" vireo restore 101 --dumpfile "$BATS_TEST_TMPDIR/none"
	run vireo status 101
	[ "$output" = "CTID 101 exist unmounted down" ]
}

# --- the vzctl and vzlist spellings ---

@test "vzctl and vzlist give the same errors under their own names" {
	local cmd
	for cmd in "start 0" "start -1" "create 99999999999" "start abc/def" "create 101" \
		"stop 101" "exec 101 true" "frob" "start 101 --bogus" "create 102 --ostemplate nope" \
		"set 101 --hostname bad_host --save" "start 555"; do
		# shellcheck disable=SC2086
		refuse "" vireo $cmd
		local want=${stderr#vireo: }
		# shellcheck disable=SC2086
		refuse "$want" "$VIREO_BUILD/src/cli/vzctl" $cmd
		[ "$stderr" = "vzctl: $want" ]
	done
	refuse "unknown option '--bogus'" "$VIREO_BUILD/src/cli/vzlist" --bogus
	refuse "unknown field 'bogus'" "$VIREO_BUILD/src/cli/vzlist" -o bogus
	run --separate-stderr "$VIREO_BUILD/src/cli/vzlist" -a -H -o ctid
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "101" ]
}
