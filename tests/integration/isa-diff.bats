#!/usr/bin/env bats
# The differential ISA tester (tests/isa, README at the top of tests/isa/isa-diff.c): random
# A64 instruction sequences run under vireo-aarch64 and under qemu-aarch64, and every general,
# flags, FP/SIMD register and the memory they touch compared after each sequence. Per class, a
# fixed-seed set of ISA_COUNT instructions (6 x 40,000 = 240,000); a class vireo-aarch64 cannot
# run yet (SIGILL, or vireo-aarch64 not built) is skipped with the reason. The harness's own
# tests need qemu-aarch64 alone and must pass now. Longer runs: make fuzz-isa SEED=N COUNT=M.

load helpers

ISA_SEED=20250101
ISA_COUNT=40000

setup_file() {
	# The meson-built isa-diff, or one built with gcc into this file's temporary directory.
	if [ -x "$VIREO_BUILD/tests/isa/isa-diff" ]; then
		ISA_DIFF=$VIREO_BUILD/tests/isa/isa-diff
	else
		ISA_DIFF=$("$BATS_TEST_DIRNAME/../isa/build.sh" "$BATS_FILE_TMPDIR/isa") || return 1
	fi
	export ISA_DIFF
}

emu_path() { echo "$VIREO_BUILD/src/emu/linux-user/vireo-aarch64"; }

# The fixed-seed run of one class against vireo-aarch64.
isa_class() { # CLASS
	local emu
	emu=$(emu_path)
	[ -x "$emu" ] || skip "vireo-aarch64 is not built yet ($emu)"
	run "$ISA_DIFF" run --class "$1" --seed "$ISA_SEED" --count "$ISA_COUNT" --emu "$emu"
	echo "$output"
	if [ "$status" -eq 77 ]; then
		skip "$(grep -E 'cannot run|not found' <<<"$output" | tail -1)"
	fi
	[ "$status" -eq 0 ]
	grep -q "($ISA_COUNT instructions) compared.*all identical" <<<"$output"
}

@test "isa-diff self-test: known answers; qemu-aarch64 against itself; corrupted dumps and injected faults caught" {
	run "$ISA_DIFF" selftest
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qE '^selftest: [0-9]+ passed, 0 failed$' <<<"$output"
	! grep -q '^selftest: FAIL' <<<"$output"
}

@test "isa-diff: a dump corrupted on its way out of the emulator (one bit of x7) fails the run, naming x7" {
	cat >"$BATS_TEST_TMPDIR/corrupting-emu" <<'SH'
#!/bin/bash
# qemu-aarch64, except that one bit of x7 in the fourth dump comes out flipped
set -o pipefail
qemu-aarch64 "$@" | python3 -c '
import sys
d = bytearray(sys.stdin.buffer.read())
off = 3 * 1824 + 7 * 8
if len(d) > off:
    d[off] ^= 1
sys.stdout.buffer.write(d)'
SH
	chmod +x "$BATS_TEST_TMPDIR/corrupting-emu"
	run "$ISA_DIFF" run --class dp --seed "$ISA_SEED" --count 200 --emu "$BATS_TEST_TMPDIR/corrupting-emu"
	echo "$output"
	[ "$status" -eq 1 ]
	grep -q '^FAIL: dp, seed [0-9]*, sequence 3: the dumps differ' <<<"$output"
	grep -qE '^    x7 +ref 0x[0-9a-f]{16} +emu 0x[0-9a-f]{16}$' <<<"$output"
	grep -q '1 differ, 0 died, 0 raised SIGILL' <<<"$output"
}

@test "isa-diff: an emulator without LSE atomics (qemu-aarch64 -cpu cortex-a53) gets SIGILL at an atomic: skipped, not passed" {
	run "$ISA_DIFF" run --class ldst --seed "$ISA_SEED" --count 400 --emu "qemu-aarch64 -cpu cortex-a53"
	echo "$output"
	[ "$status" -eq 77 ]
	grep -qE '^SIGILL: ldst, .* raised SIGILL at instruction [0-9]+: (ld|st|swp|cas)' <<<"$output"
	grep -q 'cannot run .* sequences yet' <<<"$output"
}

@test "isa-diff: outside loads and stores the programs need only ARMv8.0 and CRC32 (qemu max and cortex-a53 agree)" {
	local c
	for c in dp branch fp simd; do
		run "$ISA_DIFF" run --class "$c" --seed "$ISA_SEED" --count 10000 --emu "qemu-aarch64 -cpu cortex-a53"
		echo "$output"
		[ "$status" -eq 0 ]
	done
}

@test "isa-diff vs vireo-aarch64: dp (data processing), fixed seed" {
	isa_class dp
}

@test "isa-diff vs vireo-aarch64: branch, fixed seed" {
	isa_class branch
}

@test "isa-diff vs vireo-aarch64: ldst (loads, stores, exclusives, atomics, SIMD&FP), fixed seed" {
	isa_class ldst
}

@test "isa-diff vs vireo-aarch64: fp (scalar floating point), fixed seed" {
	isa_class fp
}

@test "isa-diff vs vireo-aarch64: simd (Advanced SIMD), fixed seed" {
	isa_class simd
}

@test "isa-diff vs vireo-aarch64: mixed, fixed seed" {
	isa_class mixed
}

# vireo-aarch64 compiles blocks with its x86-64 code generator; the interpreter runs what the
# generator does not (and everything with VIREO_JIT=0). The sets above test the generator; this
# keeps the interpreter's whole path honest too, on other seeds.
@test "isa-diff vs vireo-aarch64 with the interpreter only (VIREO_JIT=0): dp, branch, ldst, mixed" {
	local emu c
	emu=$(emu_path)
	[ -x "$emu" ] || skip "vireo-aarch64 is not built yet ($emu)"
	for c in dp branch ldst mixed; do
		run "$ISA_DIFF" run --class "$c" --seed $((ISA_SEED + 7)) --count 10000 --emu "env VIREO_JIT=0 $emu"
		echo "$output"
		[ "$status" -eq 0 ]
		grep -q "(10000 instructions) compared.*all identical" <<<"$output"
	done
}
