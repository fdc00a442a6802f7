# Shared by every bats suite. Each test file gets its own Vireo instance (VIREO_ROOT under
# /tmp), so suites never see each other's containers, cgroups or locks; teardown removes every
# container the test made, even when the test failed, and checks nothing was left behind.
#
# Environment (set by scripts/test): VIREO_BIN (the vireo binary), VIREO_BUILD (build dir),
# VIREO_TEST_CACHE (templates built once per run: busybox.tar.gz, debian-12.tar.gz).

: "${VIREO_BUILD:=$BATS_TEST_DIRNAME/../../build}"
: "${VIREO_BIN:=$VIREO_BUILD/src/cli/vireo}"
: "${VIREO_TEST_CACHE:=/var/cache/vireo-test}"

vireo() { "$VIREO_BIN" "$@"; }

# A fresh instance root for this test; templates come from the shared cache (hard links).
vireo_setup() {
	export VIREO_ROOT
	VIREO_ROOT=$(mktemp -d /tmp/vireo-test.XXXXXX)
	mkdir -p "$VIREO_ROOT/templates"
	local t
	for t in "$VIREO_TEST_CACHE"/templates/*.tar.gz; do
		[ -e "$t" ] && ln "$t" "$VIREO_ROOT/templates/" 2>/dev/null || cp "$t" "$VIREO_ROOT/templates/" 2>/dev/null
	done
	export VIREO_STOP_TIMEOUT=5
}

# The instance tag Vireo derives from VIREO_ROOT (cgroup directory names use it).
vireo_instance() {
	# FNV-1a of the root path, as src/ct/store.c computes it
	python3 - "$VIREO_ROOT" <<'PY'
import sys
h = 2166136261
for b in sys.argv[1].encode():
    h = ((h ^ b) * 16777619) & 0xffffffff
print("vireo-%08x" % h)
PY
}

vireo_teardown() {
	[ -n "${VIREO_ROOT:-}" ] && [ -d "$VIREO_ROOT" ] || return 0
	local id
	for id in $(ls "$VIREO_ROOT/conf" 2>/dev/null | sed -n 's/^\([0-9]*\)\.conf$/\1/p'); do
		"$VIREO_BIN" destroy --force "$id" >/dev/null 2>&1 || true
	done
	local inst left="" p
	inst=$(vireo_instance)
	# The instance's /proc daemon (vireo-procfs) leaves with its last container, mount and all.
	if ! wait_for 50 procfs_gone; then
		left="vireo-procfs: $(pgrep -fa "^vireo-procfs --root $VIREO_ROOT " | head -1)"
		for p in $(pgrep -f "^vireo-procfs --root $VIREO_ROOT "); do kill -9 "$p"; done
		umount -l "$VIREO_ROOT/run/procfs/mnt" 2>/dev/null || true
	fi
	# Every supervisor of this instance must be gone, and so must its cgroups.
	if ls -d /sys/fs/cgroup/*/"$inst"/* /sys/fs/cgroup/"$inst"/* >/dev/null 2>&1; then
		left="$left cgroups: $(ls -d /sys/fs/cgroup/*/"$inst"/* /sys/fs/cgroup/"$inst"/* 2>/dev/null | head -3)"
	fi
	rm -rf "$VIREO_ROOT"
	unset VIREO_ROOT
	if [ -n "$left" ]; then
		echo "left behind: $left" >&2
		return 1
	fi
}

# No vireo-procfs daemon of this instance runs and nothing is mounted at its mount point.
procfs_gone() {
	! pgrep -f "^vireo-procfs --root $VIREO_ROOT " >/dev/null &&
		! grep -q " $VIREO_ROOT/run/procfs/mnt " /proc/self/mountinfo
}

# Sanitizer reports of every vireo process of a test, supervisors included (their stderr is
# /dev/null), go to files under the test's directory; teardown fails when there is any.
# Plain builds ignore these variables.
sanitizer_logs_setup() {
	SANLOG=$BATS_TEST_TMPDIR/sanitizer
	mkdir -p "$SANLOG"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$SANLOG/asan"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$SANLOG/ubsan"
}

sanitizer_logs_check() {
	[ -n "$(ls -A "$SANLOG" 2>/dev/null)" ] || return 0
	echo "sanitizer reports:" >&2
	head -60 "$SANLOG"/* >&2
	return 1
}

# Copy a host file into a running container (through exec, so it lands as the container's root).
ct_put() { # ID SRC DST [MODE]
	vireo exec "$1" /bin/sh -c "cat > '$3' && chmod ${4:-0755} '$3'" < "$2"
}

# The static probe program used by the security suites.
probe_bin() { echo "$VIREO_BUILD/tests/fixtures/ct-probe"; }

# Wait (up to N tenths of a second) until a command succeeds.
wait_for() { # TENTHS CMD...
	local n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
