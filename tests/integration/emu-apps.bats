#!/usr/bin/env bats
# emu-apps: bash, perl, python3, sqlite3, xz and gzip from Debian's arm64 archive under
# vireo-aarch64 -L SYSROOT, on real work, give the same results as the host's x86-64 builds of
# the same releases. tests/fixtures/emu/real.sh unpacks them (with libc6 and every library they
# and their extension modules need) into the sysroot of $VIREO_TEST_CACHE/emu-real and copies the
# programs of tests/fixtures/emu/apps/ into the corpus (in/script.bash, in/script.pl, ...). The
# cache, the scratch directory and the comparison (stdout, stderr, exit status, files left) are
# emu-real-helpers.bash's.
#
# Both sides run with env -i LC_ALL=C (or $APPLC) TZ=UTC PATH=/usr/bin:/bin PYTHONHASHSEED=0
# PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 (string hashes, hence set and hash orders, are fixed and
# must agree) and argv[0] the program's name:
#   arm  vireo-aarch64 -U VIREO_LOG -0 NAME -L SYSROOT SYSROOT/usr/bin/NAME ARG... (VIREO_LOG=unimp:
#        an unimplemented instruction or system call shows on stderr and fails the comparison);
#        what the program executes through PATH is the sysroot's arm64 program (-L)
#   nat  NAME ARG... found in the host's PATH (/usr/bin)
# python3.11 runs with -S in the scripts: site would add the host's /usr/lib/python3/dist-packages
# on both sides (-L falls back to host paths missing from the sysroot) and run whatever .pth files
# the host's installed packages put there; the standard library needs no site. The start-up with
# site is tested on its own (version_info).
#
#   app  [-i FILE] NAME ARG...   the program NAME (bash, perl, python3.11, sqlite3, xz, gzip)
#   appp [-i FILE] 'SCRIPT'      a bash script in which "R NAME ARG..." runs NAME on the current
#                                side (set -o pipefail); other commands are the host's, on both

bats_require_minimum_version 1.5.0
load helpers
load emu-real-helpers

APPENV=(TZ=UTC PATH=/usr/bin:/bin PYTHONHASHSEED=0 PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0)

arm_app() {
	local p=$1
	shift
	[ -f "$SYS/usr/bin/$p" ] || { echo "no /usr/bin/$p in the sysroot" >&2; return 127; }
	timeout -k 5 "$LIMIT" env -i LC_ALL="${APPLC:-C}" "${APPENV[@]}" VIREO_LOG=unimp \
		"$V" -U VIREO_LOG -0 "$p" -L "$SYS" "$SYS/usr/bin/$p" "$@"
}
nat_app() {
	timeout -k 5 "$LIMIT" env -i LC_ALL="${APPLC:-C}" "${APPENV[@]}" "$@"
}
app() { _both app cmd "$@"; }
appp() { _both app script "$@"; }
# The same under qemu-aarch64 on the "x86-64" side, for what the two architectures compute apart.
arm_q() { arm_app "$@"; }
nat_q() {
	local p=$1
	shift
	timeout -k 5 "$LIMIT" env -i LC_ALL="${APPLC:-C}" "${APPENV[@]}" qemu-aarch64 -0 "$p" -L "$SYS" "$SYS/usr/bin/$p" "$@"
}
appq() { _both q script "$@"; }

# The upstream release of a Debian version (no epoch, no Debian revision).
upstream() { sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' <<<"$1"; }

@test "the arm64 programs are the host's releases" {
	local p v a
	for p in bash perl-base python3.11-minimal libpython3.11-stdlib sqlite3 libsqlite3-0 xz-utils liblzma5 gzip; do
		v=$(dpkg-query -W -f='${Version}' "$p:amd64" 2>/dev/null || dpkg-query -W -f='${Version}' "$p")
		a=$(sed -n "s/^$p //p" "$REAL/versions")
		echo "# $p: host $v, arm64 $a"
		[ -n "$a" ]
		[ "$(upstream "$v")" = "$(upstream "$a")" ]
	done
	# and the programs say so themselves (the target triplet aside)
	[ "$(nat_app bash --version | head -1 | sed 's/x86_64-pc/ARCH/')" = "$(arm_app bash --version | head -1 | sed 's/aarch64-unknown/ARCH/')" ]
	[ "$(nat_app perl -e 'print $^V')" = "$(arm_app perl -e 'print $^V')" ]
	[ "$(nat_app python3.11 -V)" = "$(arm_app python3.11 -V)" ]
	[ "$(nat_app sqlite3 --version)" = "$(arm_app sqlite3 --version)" ]
	[ "$(nat_app xz --version)" = "$(arm_app xz --version)" ]
	[ "$(nat_app gzip --version)" = "$(arm_app gzip --version)" ]
	# the arm64 side really is the arm64 program (and what it runs through PATH too)
	[ "$(arm_app bash -c 'uname -m; cat /proc/self/auxv >/dev/null && echo "$HOSTTYPE"')" = "aarch64
aarch64" ]
	[ "$(arm_app python3.11 -S -c 'import platform; print(platform.machine())')" = aarch64 ]
}

# ---- bash -------------------------------------------------------------------------------------

@test "bash: arithmetic, arrays, functions, string operations, subshell pipelines, printf" {
	app bash in/script.bash
	app bash -c 'declare -i s=0; for ((i = 0; i < 5000; i++)); do ((s = (s * 31 + i) % 1000003)); done; echo $s'
	app bash -c 'a=(); for i in {1..300}; do a[i*i%97]=$i; done; echo ${#a[@]} "${!a[@]}" | md5sum; f() { (( $1 <= 1 )) && echo 1 || echo $(( $1 * $(f $(( $1 - 1 ))) )); }; f 20'
	app -i in/fields.txt bash -c 'declare -A tot; while IFS=: read -r u a b w f; do tot[$u]=$(( ${tot[$u]:-0} + a )); done; for u in $(printf "%s\n" "${!tot[@]}" | sort); do printf "%-6s %8d\n" $u ${tot[$u]}; done'
	app bash -c 'set -e; trap "echo exit trap \$?" EXIT; x=$(printf "%s\n" c b a | sort | tr "\n" ,); echo "$x"; false; echo not reached'
	app bash -c 'exit 300'
	app bash -c 'for s in TERM INT HUP; do (trap "echo caught $s" $s; kill -$s $BASHPID; echo after); bash -c "exit 7"; echo $?; done; (ulimit -t; ulimit -n) | tr "\n" " "'
}

# ---- perl -------------------------------------------------------------------------------------

@test "perl: regexes, hashes, sort, sprintf of floats, pack/unpack, fork" {
	app perl in/script.pl
	app perl -ne 'chomp; my @f = split /:/; $s{$f[0]} += $f[4]; END { printf "%s %.2f\n", $_, $s{$_} for sort keys %s }' in/fields.txt
	app perl -pe 's/(\w+)/\U$1/ if $. % 3; $_ = reverse($_) if /a.*e/' in/words.txt
	app perl -0777 -ne 'my %c; $c{$_}++ for /\b\w{5,}\b/g; print map { "$_ $c{$_}\n" } (sort { $c{$b} <=> $c{$a} || $a cmp $b } keys %c)[0 .. 9]' in/prose.txt
	app perl -le 'my $x = 1; $x = ($x * 6364136223846793005 + 1442695040888963407) % 2**53 for 1 .. 1000; print $x; print 1e15 + 0.3, " ", 2**64, " ", -17 / 4, " ", 1 <=> "nan"'
	app perl -e 'die "fatal at the end\n"'
}

# ---- python3 ----------------------------------------------------------------------------------

@test "python3: start-up (with site), big ints, floats, json, re, hashlib, zlib, sorting" {
	app python3.11 -c 'import sys; print(sys.version_info[:2], sys.prefix, sys.float_repr_style, sys.maxunicode)'
	app python3.11 -I -c 'import sys; print(sys.version_info[:3], sorted(sys.builtin_module_names)[:8], sys.flags.isolated)'
	app python3.11 -S in/script.py
	app python3.11 -S -c 'import sys; sys.set_int_max_str_digits(20000); print(len(str(2**40000)), str(7**5000)[-40:], (10**500 + 1) // 3 % 10**20, (3**3000).bit_length(), hex(2**521 - 1)[-12:]); print(str(2**20000))'
	app -i in/fields.txt python3.11 -S -c 'import sys, collections; c = collections.defaultdict(float)
for l in sys.stdin: u, a, b, w, f = l.rstrip("\n").split(":"); c[u] += float(f) * int(b)
for u in sorted(c, key=c.get): print(f"{u:>6} {c[u]:15.4f} {c[u]:.6e}")'
	app python3.11 -S -c 'import re; raise SystemExit(re.sub("a+", "b", "caaat"))'
	app python3.11 -S -c 'def f(n): return f(n + 1)
f(0)'
}

@test "python3: threads, fork, subprocess, signals, sockets, mmap, ctypes, sqlite3, lzma, bz2" {
	app python3.11 -S in/system.py
	appp 'R python3.11 -S -m zipfile -e in/files.zip out && find out -type f | sort'
}

@test "python3: files, descriptors, epoll, clocks, sigwait, posix_spawn, asyncio, multiprocessing" {
	app python3.11 -S in/files.py
}

@test "python3: glibc's libm on 4000 arguments per function, bit for bit (erf, erfc: as under qemu-aarch64)" {
	# x86-64's libm rounds erf and erfc differently in the last bit: those two are compared
	# with qemu-aarch64, the other 35 functions with the host too.
	appp 'R python3.11 -S in/libm.py 4000 | grep -v -E "^erfc? "'
	command -v qemu-aarch64 >/dev/null || skip "qemu-aarch64 is not installed"
	appq 'R python3.11 -S in/libm.py 4000'
}

@test "exec: the guest's LD_PRELOAD, LD_LIBRARY_PATH, GLIBC_TUNABLES, MALLOC_* are for its loader, not the emulator's" {
	# An arm64 program executing another re-executes the emulator: the host's ld.so must not
	# apply the guest's loader variables to it (twice the "cannot be preloaded" error, or under
	# ASan "ASan runtime does not come first"), and the guest must see them in place.
	app bash -c 'LD_PRELOAD=/nonexistent/x.so bash -c "echo \$LD_PRELOAD"; LD_LIBRARY_PATH=/nowhere GLIBC_TUNABLES=glibc.malloc.check=3 A=1 MALLOC_ARENA_MAX=2 env | grep -E "^(LD_|GLIBC_|A=|MALLOC_|VIREO)"'
	app stdbuf -oL bash -c 'echo line-buffered; env | grep -c "^LD_PRELOAD=.*libstdbuf"'
}

@test "C.UTF-8 (glibc's built-in locale): multibyte text in bash, perl, python3 and coreutils" {
	APPLC=C.UTF-8 app bash -c 's="naïve café ÆØÅ straße"; echo "${s^^} ${s,,} ${#s} ${s:3:4}"; printf "%-12s|%5.3s|\n" "$s" "ñññññ"
		while IFS= read -r l; do echo "${#l} ${l^}"; done <in/unicode.txt; [[ é == [[:alpha:]] ]] && echo alpha; printf "%q\n" "日本 語"
		sort in/unicode.txt | md5sum; wc -m -L in/unicode.txt; printf "%5s|%b\n" é "\u00e9"'
	APPLC=C.UTF-8 app perl -CSD -Mutf8 -ne 'chomp; print length($_), " ", uc($_), " ", join(",", map { sprintf "%04x", ord } split //, substr($_, 0, 3)), "\n"; print lc("ǅ ΣΑΣ"), " ", ucfirst("ßa"), "\n" if $. == 1' in/unicode.txt
	APPLC=C.UTF-8 app python3.11 -S -c 'import sys, locale, unicodedata; locale.setlocale(locale.LC_ALL, ""); print(sys.stdout.encoding, locale.getpreferredencoding())
print([unicodedata.name(c) for c in "é€😀"], unicodedata.normalize("NFD", "é").encode(), "Straße".upper(), sorted(["é", "e", "f", "E", "ä"], key=locale.strxfrm))
print(len(open("in/unicode.txt", encoding="utf-8", errors="replace").read()), "%5s|%-5s|" % ("é", "日本"), "ǅ".lower(), "ﬃ".upper())'
}

# ---- sqlite3 ----------------------------------------------------------------------------------

@test "sqlite3: thousands of rows, aggregates, floats, ORDER BY, LIKE, windows; the database file" {
	# the database file left in the working directory is compared byte for byte too
	app -i in/script.sql sqlite3 -batch db
	local sql
	sql=$(cat <<'EOS'
R sqlite3 -batch db "create table t(x real, y text); with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000) insert into t select i / 7.0, hex(i) from c;" &&
R sqlite3 -batch -csv -header db "select y, x, x * x, round(x, 3) from t where y like '%A%' order by x desc limit 20;" &&
R sqlite3 -batch -line db "select count(*) n, sum(x) s, avg(x) a, group_concat(y, '') like '%FF%' g from t;"
EOS
)
	appp "$sql"
	# .dump and -json print reals with 20 significant digits (%!.20g), which sqlite computes in
	# long double: 80-bit on x86-64, 128-bit (software) on arm64, so the last digits differ from
	# the host's (arm64's are the correctly rounded ones). Compared with qemu-aarch64 instead.
	command -v qemu-aarch64 >/dev/null || skip "qemu-aarch64 is not installed"
	appq "$sql"' && R sqlite3 -batch -json db "select sum(x), avg(x), max(x * x) from t;" && R sqlite3 -batch db .dump | md5sum'
	app sqlite3 -batch :memory: 'select 1/0.0, nosuchfunction(1);'
}

# ---- xz, gzip ---------------------------------------------------------------------------------

# A corpus of text and binary data (about 200 KB), made on both sides with the host's tools.
CORPUS='(cat in/words.txt in/long.txt in/unicode.txt in/prose.txt && head -c 65536 in/random.bin) >c && touch -d @1700000000 c'

@test "xz: compressed bytes identical to the host's xz at each level, round trips, threads" {
	appp "$CORPUS"' && for o in -0 -6 -9e "-3 --check=sha256" "--format=lzma -2" "--x86 --lzma2=preset=4,lc=4"; do
		R xz $o -c c | md5sum; done'
	appp "$CORPUS"' && R xz -T2 --block-size=150000 -k c && R xz -l c.xz && R xz -t c.xz && mv c c.orig && R xz -d c.xz && cmp c c.orig'
	appp "$CORPUS"' && R xz -6 -c c | R xz -dc | md5sum && R xz -dc in/words.txt.xz | md5sum && R xz -dc in/words.txt.lzma | md5sum'
	app xz -dc in/words.txt
}

@test "gzip: compressed bytes identical to the host's gzip at each level, round trips, gunzip and zcat" {
	appp "$CORPUS"' && for o in -1 -6 -9 "--rsyncable -5" "-n -3"; do R gzip $o -c c | md5sum; done'
	appp "$CORPUS"' && R gzip -9 -k c && R gzip -lv c.gz && R gzip -t c.gz && mv c c.orig && R gzip -d c.gz && cmp c c.orig'
	# (gzip -r keeps names and times in the headers: cp -p, and no symbolic links, which it skips
	# with a warning and status 2.) gunzip and zcat are /bin/sh scripts: the sysroot's dash runs
	# them, and they the sysroot's gzip.
	appp 'cp -rp in/tree t && find t -type l -delete && R gzip -r t && find t | sort && R sh /usr/bin/gunzip -r t && R sh /usr/bin/zcat in/words.txt.gz | md5sum'
	app gzip -d in/words.txt
}

# ---- every instruction ------------------------------------------------------------------------

@test "the front end implements every instruction of the sysroot's programs and libraries, but for extensions not advertised" {
	# tests/isa/a64-scan decodes every word of every executable section as the translator would
	# and prints those it cannot run; a64-scan-explain.py disassembles them (objdump) and accepts
	# only data and the extensions AT_HWCAP does not advertise (SVE, MTE, MOPS, crypto, FP16 ...).
	local scan=$VIREO_BUILD/tests/isa/a64-scan explain=$BATS_TEST_DIRNAME/../isa/a64-scan-explain.py
	[ -x "$scan" ] || { echo "no $scan (build first)"; return 1; }
	"$explain" --self-test
	# the scan does see what is not implemented: glibc's SVE string functions
	"$scan" "$SYS/usr/lib/aarch64-linux-gnu/libc.so.6" >"$T/libc"
	[ "$(grep -c . "$T/libc")" -gt 10 ]
	"$explain" <"$T/libc" | grep -E '^ +[0-9]+  SVE, SME$'
	find "$SYS/usr" -type f \( -path '*/bin/*' -o -name '*.so' -o -name '*.so.*' \) -print0 |
		xargs -0 "$scan" -n -s >"$T/scan" 2>"$T/summary"
	echo "# $(wc -l <"$T/summary") files, $(awk '{ n += $2 } END { print n }' "$T/summary") words"
	[ "$(wc -l <"$T/summary")" -gt 400 ]
	"$explain" <"$T/scan"
}
