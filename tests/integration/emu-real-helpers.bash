# Shared by the suites that compare Debian's arm64 programs under vireo-aarch64 with the host's
# x86-64 builds of the same releases (emu-real.bats, emu-apps.bats): the cache that
# tests/fixtures/emu/real.sh prepares ($VIREO_TEST_CACHE/emu-real, once; VIREO_EMU_REAL
# overrides), the per-test scratch directory $T, and the comparison.
#
# both KIND STDIN MODE ARG... runs a command line twice, in the same working directory ($T/w,
# which holds a link "in" to the corpus), with the same standard input, through the suite's
# functions arm_KIND (vireo-aarch64 on the arm64 program) and nat_KIND (the host's program); MODE
# "cmd" runs arm_KIND/nat_KIND ARG..., MODE "script" evaluates ARG (a bash script, set -o
# pipefail) in which "R ARG..." stands for the side's function. stdout, stderr (byte for byte),
# the exit status and the files left in $T/w (type, mode, size, contents, link target) must be the
# same. $s is the side (arm or nat); $T/bin links to $REAL/bin-$s (busybox applet links).

# shellcheck disable=SC2034 # LIMIT and SYS are the suites'
REAL=${VIREO_EMU_REAL:-$VIREO_TEST_CACHE/emu-real}
LIMIT=${VIREO_EMU_REAL_TIMEOUT:-60}

setup_file() {
	"$BATS_TEST_DIRNAME/../fixtures/emu/real.sh" "$REAL"
}

setup() {
	V="$VIREO_BUILD/src/emu/linux-user/vireo-aarch64"
	[ -x "$V" ] || { echo "no $V (build first)"; return 1; }
	# shellcheck disable=SC2034
	SYS=$REAL/sysroot
	T=$(mktemp -d /tmp/vireo-emu-real.XXXXXX)
}

teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}

# What a command left in the working directory.
manifest() {
	(cd "$T/w" && find . -mindepth 1 -path ./in -prune -o -printf '%y %m %s %l %p\n' | LC_ALL=C sort &&
		find . -mindepth 1 -path ./in -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
}

# both KIND STDIN MODE ARG...: run on both sides, compare. MODE is "cmd" or "script".
both() {
	local kind=$1 in=$2 mode=$3 s st rc=0
	shift 3
	for s in arm nat; do
		rm -rf "${T:?}/w" "${T:?}/bin"
		mkdir "$T/w"
		ln -s "$REAL/corpus" "$T/w/in"
		ln -s "$REAL/bin-$s" "$T/bin"
		st=0
		(
			set +e
			cd "$T/w" || exit 99
			exec <"$in" || exit 98
			R() { "${s}_$kind" "$@"; }
			if [ "$mode" = script ]; then
				set -o pipefail
				eval "$1"
			else
				R "$@"
			fi
		) >"$T/$s.out" 2>"$T/$s.err" || st=$?
		echo $st >"$T/$s.rc"
		# bash's own notice of a command killed by a signal names the script line: keep the signal
		sed -i -E 's/^.*: line [0-9]+: +[0-9]+ ([A-Za-z ]*[a-z]).* timeout -k 5 .*/[shell: \1]/' "$T/$s.err"
		manifest >"$T/$s.files"
	done
	local what="[$kind] $*"
	if ! cmp -s "$T/arm.rc" "$T/nat.rc"; then
		echo "# $what: exit status arm64 $(cat "$T/arm.rc"), x86-64 $(cat "$T/nat.rc")"
		rc=1
	fi
	if ! cmp -s "$T/arm.out" "$T/nat.out"; then
		echo "# $what: stdout differs ($(cmp "$T/arm.out" "$T/nat.out" 2>&1 | head -1)); diff x86-64 arm64:"
		diff -a "$T/nat.out" "$T/arm.out" | head -20 | cut -c1-200
		rc=1
	fi
	if ! cmp -s "$T/arm.err" "$T/nat.err"; then
		echo "# $what: stderr differs; diff x86-64 arm64:"
		diff -a "$T/nat.err" "$T/arm.err" | head -20 | cut -c1-200
		rc=1
	fi
	if ! cmp -s "$T/arm.files" "$T/nat.files"; then
		echo "# $what: the files left differ; diff x86-64 arm64:"
		diff "$T/nat.files" "$T/arm.files" | head -20
		rc=1
	fi
	[ $rc = 0 ] && [ -n "${EMU_REAL_VERBOSE:-}" ] && echo "# ok $what ($(wc -c <"$T/nat.out") bytes, status $(cat "$T/nat.rc"))"
	return $rc
}

# KIND MODE [-i FILE] ARG...
_both() {
	local kind=$1 mode=$2 in=/dev/null
	shift 2
	if [ "${1:-}" = -i ]; then
		in=$2
		shift 2
	fi
	both "$kind" "$in" "$mode" "$@"
}
