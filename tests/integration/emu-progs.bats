#!/usr/bin/env bats
# emu-progs: glibc test programs for vireo-aarch64, each built static and dynamic (run with -L)
# by tests/fixtures/emu/build.sh into $VIREO_TEST_CACHE/emu: setjmp/longjmp (setjmp.c),
# floating-point corner cases (fpcorner.c), C11 and __atomic atomics from several threads with
# load/store exclusives and with LSE (atomics.c), the arm64 signal frame (sigframe.c), the
# system calls files.c, proc.c and mem.c leave out (syscalls2.c) and self-modifying code as JITs
# write it (jit.c). Each runs under vireo-aarch64 and under qemu-aarch64; stdout and the exit
# status must be the same.
#
# As in emu-user.bats, lines a program prints with a leading "!" hold on arm64 Linux but not
# under qemu-aarch64 7.2: they are left out of the comparison and must end in " 1" under
# vireo-aarch64 (the program checks the Linux value itself). qemu runs with -cpu neoverse-n1:
# its default CPU ("max") has SVE and SME, whose records then fill every signal frame and whose
# SVE record is what its sigreturn restores; neoverse-n1 (Armv8.2 with LSE, no SVE) is the qemu
# model closest to what vireo-aarch64 implements, and it runs the LSE build.
#
# Every instruction class is implemented now, so dying of SIGILL on an unimplemented instruction
# fails the test (VIREO_LOG=unimp names it) instead of skipping it; sigframe.c runs UDF on
# purpose and handles the SIGILL.

bats_require_minimum_version 1.5.0
load helpers
load emu-helpers

# compare [EMU-OPTIONS...] PROGRAM [ARGS...]: the same stdout and status under both emulators
# (the pattern of emu-user.bats). "@" in an argument becomes the per-emulator scratch directory
# ($T/v, $T/q).
compare() {
	local a vargs=() qargs=()
	for a in "$@"; do
		vargs+=("${a//@/$T/v}")
		qargs+=("${a//@/$T/q}")
	done
	run --separate-stderr env VIREO_LOG=unimp timeout 60 "$V" "${vargs[@]}"
	vstatus=$status vout=$output verr=$stderr
	if [ "$vstatus" = 132 ] && grep -q 'unimplemented instruction' <<<"$verr"; then
		echo "# died of SIGILL: $(grep -m1 'unimplemented instruction' <<<"$verr")"
		return 1
	fi
	run --separate-stderr timeout 60 qemu-aarch64 -cpu neoverse-n1 "${qargs[@]}"
	qstatus=$status qout=$output
	local vcmp qcmp bang
	vcmp=$(grep -v '^!' <<<"$vout" | sed "s|$T/v|@|g")
	qcmp=$(grep -v '^!' <<<"$qout" | sed "s|$T/q|@|g")
	if [ "$vcmp" != "$qcmp" ] || [ "$vstatus" != "$qstatus" ]; then
		echo "# vireo-aarch64 (status $vstatus) vs qemu-aarch64 (status $qstatus):"
		diff <(echo "$qcmp") <(echo "$vcmp") | head -40
		echo "# vireo stderr: $(head -c 2000 <<<"$verr")"
		return 1
	fi
	bang=$(grep '^!' <<<"$vout" | grep -v ' 1$' || true)
	if [ -n "$bang" ]; then
		echo "# arm64 Linux facts that do not hold under vireo-aarch64:"
		echo "$bang"
		return 1
	fi
}

# both KIND CHECK...: run NAME-static, then NAME-dyn with -L, through CHECK (a function).
has() { grep -qxF -- "$1" <<<"$vout" || { echo "# missing line: $1"; return 1; }; }

# --- setjmp/longjmp ---

check_setjmp() {
	[ "$vstatus" = 0 ]
	has 'regs: value 5 sp-restored 1'
	has '  x28 0x1919000000000028'
	has '  d15 -0.5'
	has 'longjmp(0) -> setjmp returns 1'
	has 'descend returned 4004, unwound at 8: 1, 4: 1, 0: 0'
	has 'sigsetjmp(savemask=1) -> 10: usr1-blocked 0 usr2-blocked 0 hup-blocked 1'
	has 'sigsetjmp(savemask=0) -> 10: usr1-blocked 1 usr2-blocked 1 hup-blocked 1'
	has 'out of nested handlers: 77 order 12 usr1-blocked 0 usr2-blocked 0'
	has 'out of the alternate stack: 5 ran-on-it 1 flags-in-handler 1 flags-after 0 usr1-blocked 0'
	has '200 faults jumped out of: sum of addresses 160800 segv-blocked 0'
	has 'fortified build'
	has 'jump into a dead frame: signaled 1 sig 6 exit -1 message "*** longjmp causes uninitialized stack frame ***: terminated"'
	has 'done'
}

@test "setjmp: registers, values, frames, masks, nested handlers, altstack, fortify checks (static)" {
	compare "$(prog setjmp-static)"
	check_setjmp
}

@test "setjmp: the same, dynamic" {
	compare -L "$SYSROOT" "$(prog setjmp-dyn)"
	check_setjmp
}

# --- floating point ---

check_fp() {
	[ "$vstatus" = 0 ]
	# Arm detects tininess before rounding: a product rounding up to the smallest normal is tiny.
	has 'tiny rn 0010000000000000 * 3fefffffffffffff = 0010000000000000 ---UX-'
	# FMA: inf * 0 + qNaN is the default NaN with Invalid; the first signalling NaN wins.
	has 'fmadd.d rn 7ff0000000000000 0000000000000000 7ff8000000000123 = 7ff8000000000000 I-----'
	has 'fadd.d rn 7ff8000000000123 7ff0000000000456 = 7ff8000000000456 I-----'
	# Conversions saturate; NaN converts to 0 with Invalid.
	has 'fcvtzs 7ff8000000000123 x 0000000000000000 I----- w 00000000 I----- | 7ff80000 x 0000000000000000 I----- w 00000000 I-----'
	# FZ: a denormal operand is flushed (IDC), a tiny result too (UFC without IXC).
	has 'fz add-denorm-0 = 0000000000000000 -----D'
	has 'fz mul-tiny = 0000000000000000 ---U--'
	has 'fpcr-trap-bits 0'
	# printf and strtod follow the rounding mode.
	has 'rp printf 0.3 -0.2 0.4 3 3.334e-01 0.10000000000000001'
	has 'rm printf 0.2 -0.3 0.3 2 3.333e-01 0.1'
	has 'round trips failed 0'
	has 'done'
}

@test "fpcorner: IEEE corner cases, rounding modes, flags, conversions, libm, strtod/printf (static)" {
	compare "$(prog fpcorner-static)"
	check_fp
}

@test "fpcorner: the same, dynamic" {
	compare -L "$SYSROOT" "$(prog fpcorner-dyn)"
	check_fp
}

# --- atomics ---

check_atomics() {
	[ "$vstatus" = 0 ]
	has "flavour $1"
	has 'fetch_add: u8 128 u16 43392 u32 560000 u64 0x1388000013880 guards 0x5a 0xa5 0x5a5a 0xa5a5'
	has 'returned olds: u8 1 u16 1 u32 1 u64 1'
	has 'fetch_sub: 840000'
	has 'fetch_or: u64 0x1010101 u32 0xffffffff u16 0xffff u8 0xff'
	has 'fetch_and: u64 0xffffffff00000000 u32 0 u16 0 u8 0'
	has 'fetch_xor: u64 0xf0f0f0f0f0f0f0f u32 0xffffffff u16 0xffff u8 0xff'
	has 'exchange: conserved 1 last-is-a-final-value 1 u32-is-final 1'
	has 'cas strong: u64 400000 u32 80000 u16 14464 u8 128'
	has 'cas weak: u64 160000 u32 240000'
	has 'message passing: stale reads 0'
	has 'spinlock: counter 80000 sum-ok 1'
	has 'queue: produced 10000 consumed 10000 sum-ok 1'
	grep -q '^128-bit: libatomic .* ok 1 asm .* ok 1$' <<<"$vout"
	has '128-bit cas 1 then fail 0 expected-now-current 1 xchg-old 1 now 3'
	has 'done'
}

@test "atomics: load/store exclusives (armv8-a), 8 to 128 bits, 4 threads, exact totals (static)" {
	compare "$(prog atomics-llsc-static)"
	check_atomics llsc
}

@test "atomics: load/store exclusives, dynamic" {
	compare -L "$SYSROOT" "$(prog atomics-llsc-dyn)"
	check_atomics llsc
}

@test "atomics: LSE (armv8.1-a: LDADD, SWP, CAS, CASP, LDSMAX...), static" {
	compare "$(prog atomics-lse-static)"
	check_atomics lse
	has 'ldsmaxb old 0x80 new 0x7f ldumaxb 0x80 ldsminh 0x8000 ldsmax.w 0xffffffff00000001 old 0x1 ldumin.x 0x5 ldclrh 0x1010 swpal 0x9 old 0x7 casab 0xcd old 0xab'
}

@test "atomics: LSE, dynamic" {
	compare -L "$SYSROOT" "$(prog atomics-lse-dyn)"
	check_atomics lse
}

# --- the signal frame ---

check_sigframe() {
	[ "$vstatus" = 0 ]
	has 'entry: x0 10 x1-is-info 1 x2-is-uc 1 uc-info-gap 128 sp-is-frame 1'
	has 'entry: x3-x28 untouched 26/26'
	has 'entry: interrupted-sp - frame 4704, x29 = interrupted-sp - 16, record fp-ok 1 lr 0x3030'
	has 'entry: x30 is mov-x8-139-svc 1'
	has 'mcontext: fault_address 0 x-match 31/31 x0 0 x8 129 sp-ok 1 pc-is-after-svc 1 pstate 0x60000000'
	has 'kill records: 0x46508001/528 0/0'
	has 'fpsimd: fpsr 0x800009f fpcr 0x7c00000 vregs-match 32/32'
	has 'edited: x-match 31/31 nzcv 0x90000000 fpcr 0x800000 fpsr 0x1 v-match 32/32'
	has 'clobbered after: x-match 31/31 sp-ok 1 nzcv 0x60000000 fpcr 0x7c00000 fpsr 0x800009f v-match 32/32'
	has 'brk records: 0x46508001/528 0/0'
	has 'udf records: 0x46508001/528 0/0'
	has 'load-unmapped: signo 11 code 1 addr-ok 1 pc-ok 1 pstate 0x60000000'
	has 'store-readonly: code-is-ACCERR 1'
	has 'exec-noexec: code-is-ACCERR 1 lr-is-after-blr 1'
	has 'ldxr-misaligned: signo 7 code 1 addr-ok 1 pc-ok 1 pstate 0x60000000'
	has 'pc-misaligned: signo 7 code 1 addr-ok 1 pc-ok 1 pstate 0x60000000'
	has 'on the altstack: top - outer-info 4704 inner-below-outer 1 inner-on-alt 1 outer-uc_stack-flags 0 flags-in-handler 1'
	has 'corrupt frame misaligned-sp: killed-by-SIGSEGV 1'
	has 'integer division: 7/0 0 INT64_MIN/-1 -9223372036854775808 7%0 7 7/0.w 0 INT32_MIN/-1 -2147483648 u7/0 0 SIGFPE 0'
	has 'done'
}

@test "sigframe: registers at entry, ucontext, records, siginfo, edits and sigreturn, faults (static)" {
	compare "$(prog sigframe-static)"
	check_sigframe
}

@test "sigframe: the same, dynamic" {
	compare -L "$SYSROOT" "$(prog sigframe-dyn)"
	check_sigframe
}

# --- more system calls ---

check_syscalls() {
	[ "$vstatus" = 0 ]
	has 'epoll event 0x1 data 0xfeedface12345678'
	has 'ppoll with a pending signal: -1 EINTR handler-ran 1 usr1-blocked-after 1 handler-saw-usr1-blocked 1'
	has 'signalfd signo-is-rtmin+2 1 code -1 int 777'
	has 'rights: new fds 1 file passed-through pipe via-pipe cloexec 1'
	has 'rights 1 creds 1'
	has 'mmsg 2 len 5 data fifty truncated 1'
	has 'getdents64 entries 600 dots 2 sum 179700 duplicates 0 several-calls 1'
	has 'child: flock-nb -1 EAGAIN getlk type 1 start 10 len 20 pid-is-parent 1 setlk-conflict -1 EAGAIN setlk-free 0'
	has 'times atime 1000000000.123456789 mtime 1500000000.987654321'
	has 'sigwaitinfo signo-ok 1 code -2 value 31337'
	has 'waitid pid-ok 1 code 1 status 23 signo 17'
	has 'msg qnum 2 cbytes 12 lspid-ok 1 perm-mode 600'
	has 'shm segsz 10000 nattch 2 cpid-ok 1 mode 600'
	has 'done'
}

@test "syscalls2: poll/select, event/signal/timer/inotify fds, splice, sockets, locks, openat2, IPC (static)" {
	compare "$(prog syscalls2-static)" @
	check_syscalls
}

@test "syscalls2: the same, dynamic" {
	compare -L "$SYSROOT" "$(prog syscalls2-dyn)" @
	check_syscalls
}

# --- self-modifying code, JIT style ---

check_jit() {
	[ "$vstatus" = 0 ]
	has 'rwx: 300 re-emitted loops total 4515000'
	has 'rwx: 64 functions 2016, half patched 34016'
	has 'w^x by mprotect: 50 rounds total 4900 rc 0'
	has 'self-rewriting function: 2 3 3'
	has 'cross-thread patch seen by the spinning thread: 1'
	has 'done'
}

@test "jit: RWX and W^X code, a function rewriting itself, a patch seen by another thread, dual mapping (static)" {
	compare "$(prog jit-static)"
	check_jit
}

@test "jit: the same, dynamic" {
	compare -L "$SYSROOT" "$(prog jit-dyn)"
	check_jit
}

# --- loops that never enter the kernel (the code generator chains blocks to each other) ---

check_spin() {
	[ "$vstatus" = 0 ]
	has 'poll loop left by the timer: 1'
	has 'two-block loop ran through 5 ticks: 1'
	has 'b . left by the handler moving pc: 1'
	has 'flag from another thread seen: 1'
	has 'generated loop left when the word changed: 1'
	has 'rewritten loop: 2000'
	has 'rewritten again: 3000'
	has 'done'
}

@test "spin: timers and other threads end loops that never call the kernel; rewritten chained code runs anew" {
	compare "$(prog spin)"
	check_spin
}

@test "spin, jit and threads with the interpreter only (VIREO_JIT=0) and with a full code buffer" {
	local mode
	for mode in VIREO_JIT=0 VIREO_JIT_BUFFER=16384; do
		export "${mode?}"
		compare "$(prog spin)"
		check_spin
		compare "$(prog jit-static)"
		check_jit
		compare "$(prog threads-static)"
		[ "$vstatus" = 3 ]
		grep -qx 'counter 80000 atomic 80000 joins 104 main-tls 0' <<<"$vout"
		unset "${mode%%=*}"
	done
}
