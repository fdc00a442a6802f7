#!/usr/bin/env bats
# emu-user: vireo-aarch64 runs arm64 Linux programs. Each program of tests/fixtures/emu/ (built
# into $VIREO_TEST_CACHE/emu by build.sh) runs under vireo-aarch64 and under qemu-aarch64;
# stdout and the exit status must be the same. Lines a program prints with a leading "!" hold
# on arm64 Linux but not under qemu-aarch64 7.2: they are left out of the comparison and must
# end in " 1" under vireo-aarch64. A program that dies of SIGILL under vireo-aarch64 because an
# instruction is not implemented yet (VIREO_LOG=unimp names it) is skipped, not failed: the
# instruction classes are arriving one by one. Bad input (not an ELF, wrong architecture,
# truncated or lying headers, missing interpreter) gets one line on stderr and a status below 128.

bats_require_minimum_version 1.5.0
load helpers
load emu-helpers

# Skip when vireo-aarch64 died of SIGILL on an instruction it does not implement yet.
skip_if_unimplemented() { # STATUS STDERR
	local line
	if [ "$1" = 132 ] && line=$(grep -m1 'unimplemented instruction' <<<"$2"); then
		skip "needs an instruction class not implemented yet (${line#vireo-aarch64: })"
	fi
}

# compare [EMU-OPTIONS...] PROGRAM [ARGS...]: the same stdout and status under both emulators.
# "@" in an argument becomes v or q: the per-emulator scratch directory ($T/v, $T/q).
compare() {
	local a vargs=() qargs=()
	for a in "$@"; do
		vargs+=("${a//@/$T/v}")
		qargs+=("${a//@/$T/q}")
	done
	run --separate-stderr env VIREO_LOG=unimp "$V" "${vargs[@]}"
	vstatus=$status vout=$output verr=$stderr
	skip_if_unimplemented "$vstatus" "$verr"
	run --separate-stderr qemu-aarch64 "${qargs[@]}"
	qstatus=$status qout=$output
	local vcmp qcmp bang
	vcmp=$(grep -v '^!' <<<"$vout" | sed "s|$T/v|@|g")
	qcmp=$(grep -v '^!' <<<"$qout" | sed "s|$T/q|@|g")
	if [ "$vcmp" != "$qcmp" ] || [ "$vstatus" != "$qstatus" ]; then
		echo "# vireo-aarch64 (status $vstatus) vs qemu-aarch64 (status $qstatus):"
		diff <(echo "$qcmp") <(echo "$vcmp") | head -40
		echo "# vireo stderr: $verr"
		return 1
	fi
	bang=$(grep '^!' <<<"$vout" | grep -v ' 1$' || true)
	if [ -n "$bang" ]; then
		echo "# arm64 Linux facts that do not hold under vireo-aarch64:"
		echo "$bang"
		return 1
	fi
}

@test "hello-asm: a MOV/SVC program writes its line and exits 7" {
	compare "$(prog hello-asm)"
	[ "$vstatus" = 7 ]
	[ "$vout" = "hello from arm64" ]
}

@test "args: argv, stack alignment, auxv, /proc/self/auxv and /proc/self/exe" {
	compare "$(prog args)" one "two words" ""
	[ "$vstatus" = 3 ]
	grep -qx 'proc-auxv-match 1' <<<"$vout"
	grep -qx 'sp-aligned 1' <<<"$vout"
	grep -qx 'AT_PLATFORM aarch64' <<<"$vout"
	grep -qx "proc-exe $(prog args)" <<<"$vout"
	grep -qx 'AT_SYSINFO_EHDR-present 0' <<<"$vout"
}

@test "args: -E and -U edit the guest's environment" {
	export VIREO_T2=two VIREO_T3=three
	compare -E VIREO_T1=one -U VIREO_T2 -E VIREO_T3=changed "$(prog args)"
	grep -qx 'VIREO_T1 one' <<<"$vout"
	grep -qx 'VIREO_T2 (unset)' <<<"$vout"
	grep -qx 'VIREO_T3 changed' <<<"$vout"
}

@test "args: the auxiliary vector in Linux arm64's order, without a vDSO" {
	run --separate-stderr "$V" "$(prog args)" --auxv-keys
	[ "$status" = 0 ]
	# AT_MINSIGSTKSZ HWCAP PAGESZ CLKTCK PHDR PHENT PHNUM BASE FLAGS ENTRY UID EUID GID EGID
	# SECURE RANDOM HWCAP2 EXECFN PLATFORM NULL
	[ "$output" = "51 16 6 17 3 4 5 7 8 9 11 12 13 14 23 25 26 31 15 0" ]
}

@test "binfmt_misc style: the program's path first, relative or absolute, from any directory" {
	cp "$(prog args)" "$T/args"
	cd "$T"
	run --separate-stderr "$V" ./args x
	[ "$status" = 3 ]
	grep -qx 'argv ./args' <<<"$output"
	grep -qx 'AT_EXECFN ./args' <<<"$output"
	grep -qx "proc-exe $T/args" <<<"$output"
	cd /
	run --separate-stderr "$V" "$T/args" -L x
	[ "$status" = 3 ]
	grep -qx 'argv -L' <<<"$output"
}

@test "files: open flags, read/write, stat layout, statx, getdents64, links, pipes, fcntl, epoll" {
	compare "$(prog files)" @
	[ "$vstatus" = 0 ]
}

@test "mem: brk, mmap, mprotect, munmap, mremap, madvise, fixed mappings" {
	compare "$(prog mem)"
	[ "$vstatus" = 0 ]
}

@test "smc: self-modifying code through stores, read(2), mprotect and remapping" {
	compare "$(prog smc)"
	[ "$vstatus" = 0 ]
	grep -qx 'loop-sum 19900' <<<"$vout"
	grep -qx 'data-on-code-page 1800' <<<"$vout"
	grep -qx 'after-read 42' <<<"$vout"
}

@test "proc: uname, ids, rlimits, clocks, getrandom, fork and wait4, ENOSYS" {
	compare "$(prog proc)"
	[ "$vstatus" = 0 ]
	grep -qx 'machine aarch64' <<<"$vout"
	grep -qx 'status 0x500' <<<"$vout"
	grep -qx 'child-signal 11' <<<"$vout"
}

# A synchronous exception with no guest handler: the process dies of the signal, as on Linux.
fault() { # MODE EXPECTED-STATUS
	compare "$(prog faults)" "$1" @/busfile
	[ "$vstatus" = "$2" ] || { echo "status $vstatus, expected $2"; return 1; }
}

@test "faults: a store to NULL dies of SIGSEGV" { fault segv-null 139; }
@test "faults: a load from an unmapped page dies of SIGSEGV" { fault segv-read 139; }
@test "faults: a store into read-only code dies of SIGSEGV" { fault segv-ro 139; }
@test "faults: a jump into a page without PROT_EXEC dies of SIGSEGV" { fault segv-nx 139; }
@test "faults: a jump to an unmapped address dies of SIGSEGV" { fault segv-unmapped-pc 139; }
@test "faults: stack overflow into the guard page dies of SIGSEGV" { fault stack-overflow 139; }
@test "faults: a load past the end of a mapped file dies of SIGBUS" { fault bus 135; }
@test "faults: BRK dies of SIGTRAP" { fault trap 133; }
@test "faults: kill(getpid(), SIGTERM) dies of SIGTERM" { fault kill 143; }

@test "faults: UDF dies of SIGILL, and VIREO_LOG=unimp names the address and encoding" {
	run --separate-stderr "$V" "$(prog faults)" ill
	[ "$status" = 132 ]
	[ "$output" = before ]
	[ -z "$stderr" ]
	run --separate-stderr env VIREO_LOG=unimp "$V" "$(prog faults)" ill
	[ "$status" = 132 ]
	[[ "$stderr" =~ "vireo-aarch64: unimplemented instruction at 0x"[0-9a-f]+": 00000000" ]]
}

@test "VIREO_LOG=unimp names unknown system calls; they return ENOSYS" {
	run --separate-stderr env VIREO_LOG=unimp "$V" "$(prog proc)"
	skip_if_unimplemented "$status" "$stderr"
	[ "$status" = 0 ]
	grep -qx 'unknown-syscall -38' <<<"$output"
	grep -q 'vireo-aarch64: unimplemented system call 4000' <<<"$stderr"
}

# execve: qemu-aarch64 passes it to the host (arm64 children then need binfmt_misc), so these
# compare with what arm64 Linux prints, not with qemu.
run_vireo() { # ARGS...: run under vireo-aarch64, skipping on an unimplemented instruction
	run --separate-stderr env VIREO_LOG=unimp "$V" "$@"
	skip_if_unimplemented "$status" "$stderr"
}

@test "exec: an arm64 program stays under the emulator, with the argv and environment given" {
	run_vireo "$(prog exec)" self
	[ "$status" = 4 ]
	[ "$output" = "parent
child-argc 3
child-argv renamed-argv0
child-argv child
child-argv x y
child-VIREO_T1 from-parent" ]
}

@test "exec: a #! script gets its interpreter, one optional argument and its path" {
	run_vireo "$(prog exec)" script "$T" "$(prog args)"
	[ "$status" = 3 ]
	[ "$(grep '^argv' <<<"$output")" = "argv $(prog args)
argv -x  y
argv $T/script.sh
argv s1" ]
	grep -qx "proc-exe $(prog args)" <<<"$output"
}

@test "exec: a host program runs natively; errors come back" {
	run_vireo "$(prog exec)" host
	[ "$status" = 0 ]
	[ "$output" = "from the host" ]
	run_vireo "$(prog exec)" missing "$T"
	[ "$status" = 0 ]
	[ "$output" = "execve-enoent -2
execve-efault -14
execve-eacces -13" ]
}

@test "exec: fork, execve in the child, wait4 in the parent" {
	run_vireo "$(prog exec)" fork
	[ "$status" = 0 ]
	grep -qx 'child-argv kid' <<<"$output"
	grep -qx 'child-status 0x400' <<<"$output"
}

@test "busybox (Debian arm64, static): shell pipelines, command substitution, applets" {
	bb="$EMU_CACHE/debian/bin/busybox"
	[ -x "$bb" ] || skip "Debian's arm64 busybox-static could not be downloaded"
	script='echo a b c | tr " " "\n" | sort -r | head -2; x=$(echo sub); echo "$x";
		i=0; while [ $i -lt 50 ]; do i=$((i + 1)); done; echo $i;
		printf "%s\n" 3 1 2 > @/n; sort -n @/n | md5sum; ls @; uname -m; false || echo $?'
	compare "$bb" sh -c "$script"
	[ "$vstatus" = 0 ]
	grep -qx aarch64 <<<"$vout"
}

# glibc programs: they need every instruction class, so they skip until those land.
@test "glibc: hello, static" {
	compare "$(prog hello-static)" a "b c"
	[ "$vstatus" = 13 ]
}

@test "glibc: hello, static PIE" {
	compare "$(prog hello-static-pie)" a
	[ "$vstatus" = 12 ]
}

@test "glibc: hello, dynamically linked PIE, interpreter and libraries from -L" {
	compare -L "$SYSROOT" "$(prog hello-dyn)" x
	[ "$vstatus" = 12 ]
	grep -qx 'hello, world' <<<"$vout"
}

@test "glibc: hello, dynamically linked, not PIE" {
	compare -L "$SYSROOT" -E VIREO_T1=set "$(prog hello-dyn-nopie)"
	[ "$vstatus" = 11 ]
	grep -qx 'VIREO_T1=set' <<<"$vout"
}

@test "glibc: malloc, strings, stdio, directories, static" {
	compare "$(prog libc-mix-static)" @
	[ "$vstatus" = 0 ]
}

@test "signals: handlers, the arm64 frame, sigreturn, masks, sigaltstack, SA_RESTART, timers" {
	compare -L "$SYSROOT" "$(prog signals)"
	[ "$vstatus" = 0 ]
	grep -qx 'segv: signo 11 code 1 pc-ok 1 addr-ok 1' <<<"$vout"
	grep -qx 'edited: x19 0x1234' <<<"$vout"
	grep -qx 'read with SA_RESTART: 4 late got 1' <<<"$vout"
	grep -qx 'done' <<<"$vout"
}

@test "threads: pthreads (mutex, atomics, TLS, condvars, pthread_kill, fork, exit from a thread), dynamic" {
	compare -L "$SYSROOT" "$(prog threads)"
	[ "$vstatus" = 3 ]
	grep -qx 'counter 80000 atomic 80000 joins 104 main-tls 0' <<<"$vout"
}

@test "threads: the same, static" {
	compare "$(prog threads-static)"
	[ "$vstatus" = 3 ]
	grep -qx 'fork child status 91' <<<"$vout"
}

@test "glibc: malloc, strings, stdio, directories, dynamic" {
	compare -L "$SYSROOT" "$(prog libc-mix-dyn)" @
	[ "$vstatus" = 0 ]
}

# --- bad input: one line "vireo-aarch64: ..." naming the problem, status 1..127 ---

refuse() { # NEEDLE ARGS...
	local needle=$1
	shift
	run --separate-stderr "$V" "$@"
	printf '#   status %s\n#   stdout: %s\n#   stderr: %s\n' "$status" "$output" "$stderr"
	[ "$status" -ge 1 ] && [ "$status" -lt 128 ] || { echo "FAIL: status $status"; return 1; }
	[ -z "$output" ] || { echo "FAIL: printed on stdout"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "FAIL: ${#stderr_lines[@]} lines on stderr"; return 1; }
	[[ "$stderr" == "vireo-aarch64: "* ]] || { echo "FAIL: no 'vireo-aarch64: ' prefix"; return 1; }
	[[ "$stderr" == *"$needle"* ]] || { echo "FAIL: does not mention '$needle'"; return 1; }
}

# patch FILE OFFSET FORMAT VALUE: overwrite bytes (struct format: B, H, I, Q little-endian).
patch() {
	python3 - "$@" <<'PY'
import struct, sys
path, off, fmt, val = sys.argv[1], int(sys.argv[2], 0), sys.argv[3], int(sys.argv[4], 0)
with open(path, "r+b") as f:
    f.seek(off)
    f.write(struct.pack("<" + fmt, val))
PY
}

bad() { cp "$(prog hello-asm)" "$T/bad"; chmod +x "$T/bad"; echo "$T/bad"; }

@test "bad input: no program, unknown option, missing file, a directory" {
	refuse "no program" 
	refuse "unknown option -Z" -Z "$(prog hello-asm)"
	refuse "-E" -E novalue "$(prog hello-asm)"
	refuse "No such file" "$T/none"
	refuse "not a regular file" "$T"
}

@test "bad input: not an ELF file" {
	printf '#!/bin/sh\necho hi\n' > "$T/script"
	refuse "not an ELF file" "$T/script"
	: > "$T/empty"
	refuse "not an ELF file" "$T/empty"
}

@test "bad input: wrong architecture (x86-64, 32-bit, big-endian)" {
	refuse "wrong architecture: x86-64" /bin/true
	f=$(bad); patch "$f" 4 B 1
	refuse "wrong architecture: 32-bit" "$f"
	f=$(bad); patch "$f" 5 B 2
	refuse "wrong architecture: big-endian" "$f"
	f=$(bad); patch "$f" 18 H 40
	refuse "wrong architecture: 32-bit arm" "$f"
}

@test "bad input: not an executable (a relocatable object)" {
	aarch64-linux-gnu-as -o "$T/obj.o" "$BATS_TEST_DIRNAME/../fixtures/emu/hello.S"
	refuse "not an executable" "$T/obj.o"
}

@test "bad input: truncated ELF header and program headers" {
	head -c 40 "$(prog hello-asm)" > "$T/t1"
	refuse "truncated ELF header" "$T/t1"
	head -c 100 "$(prog hello-asm)" > "$T/t2"
	refuse "program headers outside the file" "$T/t2"
	# The first segment's bytes are cut off.
	head -c 1000 "$(prog hello-static)" > "$T/t3"
	refuse "outside the file" "$T/t3"
}

@test "bad input: lying e_phoff, e_phnum, e_phentsize" {
	f=$(bad); patch "$f" 32 Q 0x7fffffffffffff00
	refuse "program headers outside the file" "$f"
	f=$(bad); patch "$f" 56 H 0xffff
	refuse "bad program header count" "$f"
	f=$(bad); patch "$f" 56 H 0
	refuse "bad program header count" "$f"
	f=$(bad); patch "$f" 54 H 32
	refuse "bad program header size" "$f"
}

@test "bad input: lying segments and entry point" {
	# The first program header is at 64: p_offset at 72, p_vaddr at 80, p_filesz at 96.
	f=$(bad); patch "$f" 72 Q 0x100000000
	refuse "outside the file" "$f"
	f=$(bad); patch "$f" 96 Q 0x7fffffffffffffff
	refuse "segment 0" "$f"
	f=$(bad); patch "$f" 80 Q 0xfffffffffffff000
	refuse "out of range" "$f"
	f=$(bad); patch "$f" 24 Q 0x1234
	refuse "entry point 0x1234 outside the loaded segments" "$f"
}

@test "bad input: missing interpreter, with and without -L" {
	refuse "interpreter /lib/vireo-no-such-loader.so.1 not found" "$(prog bad-interp)"
	refuse "interpreter /lib/vireo-no-such-loader.so.1 not found" -L "$SYSROOT" "$(prog bad-interp)"
	refuse "interpreter /lib/ld-linux-aarch64.so.1 not found" -L "$T" "$(prog hello-dyn)"
}

@test "bad input: the ELF checks' fuzz target survives 20000 mutations per program (smoke run)" {
	f="$VIREO_BUILD/src/emu/linux-user/fuzz-elf"
	[ -x "$f" ] || { echo "no $f"; return 1; }
	run --separate-stderr "$f" -n 20000 -s 7 "$(prog hello-asm)" "$(prog args)" "$(prog hello-dyn)" "$(prog hello-static-pie)"
	echo "# $output $stderr"
	[ "$status" = 0 ]
	[[ "$output" == "80004 inputs, "*" accepted" ]]
}

@test "bad input: random corruption of program headers never crashes the loader" {
	# Mutated headers either load (then the program runs or dies of a guest signal) or get
	# one clear line; a crash of the emulator itself would show a sanitizer report.
	for i in $(seq 1 60); do
		f=$(bad)
		python3 - "$f" "$i" <<'PY'
import random, sys
path, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed)
data = bytearray(open(path, "rb").read())
end = 64 + 56 * data[56]  # the ELF header and program headers, not the code
for _ in range(r.randint(1, 6)):
    off = r.randrange(16, end)
    data[off] = r.randrange(256)
open(path, "wb").write(data)
PY
		run --separate-stderr timeout 10 "$V" "$f"
		if grep -qE 'Sanitizer|runtime error' <<<"$stderr"; then
			echo "seed $i: $stderr"
			return 1
		fi
		[ "$status" != 124 ] || { echo "seed $i: hung"; return 1; }
		if [ "$status" -lt 128 ] && [ "$status" != 7 ] && [ "$status" != 0 ] &&
			[ "${#stderr_lines[@]}" -ne 1 ]; then
			echo "seed $i: status $status, ${#stderr_lines[@]} lines on stderr: $stderr"
			return 1
		fi
	done
}
