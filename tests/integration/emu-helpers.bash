# Shared by the suites that run tests/fixtures/emu programs under vireo-aarch64 and
# qemu-aarch64 (emu-user.bats, emu-progs.bats): the program cache, per-test scratch directories
# ($T/v for vireo, $T/q for qemu) and their cleanup.

EMU_CACHE="$VIREO_TEST_CACHE/emu"
SYSROOT=/usr/aarch64-linux-gnu

setup_file() {
	"$BATS_TEST_DIRNAME/../fixtures/emu/build.sh" "$EMU_CACHE"
}

setup() {
	V="$VIREO_BUILD/src/emu/linux-user/vireo-aarch64"
	[ -x "$V" ] || { echo "no $V (build first)"; return 1; }
	command -v qemu-aarch64 >/dev/null || skip "qemu-aarch64 is not installed"
	T=$(mktemp -d /tmp/vireo-emu.XXXXXX)
	mkdir -p "$T/v" "$T/q"
}

teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}

prog() { echo "$EMU_CACHE/$1"; }
