#!/usr/bin/env bats
# emu-real: real programs from Debian's arm64 archive under vireo-aarch64 give the same results as
# the x86-64 builds of the same releases on the host. tests/fixtures/emu/real.sh unpacks
# busybox-static:arm64, coreutils:arm64, dash:arm64 (the sysroot's /bin/sh, as the host's) and the
# libraries they need (libc6 ...) into a sysroot and builds a shared corpus of inputs
# ($VIREO_TEST_CACHE/emu-real, once; VIREO_EMU_REAL overrides).
#
# Every command line runs twice, in the same working directory ($T/w, which holds a link "in" to
# the corpus), with the same environment (env -i LC_ALL=C TZ=UTC PATH=...), the same argv[0]
# and the same standard input:
#   arm  vireo-aarch64 [-L sysroot] on the arm64 program
#   nat  the host's x86-64 program (/bin/busybox, or the host's coreutils)
# and stdout, stderr (byte for byte), the exit status and the files left in $T/w (type, mode,
# size, contents, link target) must be the same. The busybox PATH is $T/bin, a link to a directory
# of applet links to the side's own busybox, so what busybox executes (xargs, find -exec, sh) is
# of the same side; coreutils' PATH is /usr/bin:/bin, which -L maps into the sysroot for the arm64
# side. VIREO_LOG=unimp is set for the emulator (and removed from the guest's environment with
# -U): an unimplemented instruction or system call shows up on stderr and fails the comparison.
# The cache, scratch directory and comparison are emu-real-helpers.bash's.
#
#   bb  [-i FILE] APPLET ARG...     busybox APPLET ARG...
#   cu  [-i FILE] PROG ARG...       the coreutils program PROG
#   bbp [-i FILE] 'SCRIPT'          a bash script (pipeline) in which "R APPLET ARG..." runs
#   cup [-i FILE] 'SCRIPT'          busybox or coreutils on the current side (set -o pipefail)

bats_require_minimum_version 1.5.0
load helpers
load emu-real-helpers

# ---- the two sides ----------------------------------------------------------------------------

arm_bb() {
	# shellcheck disable=SC2086  # EMU_BACKEND: words on purpose
	timeout -k 5 "$LIMIT" env -i LC_ALL=C TZ=UTC PATH="$T/bin" VIREO_LOG=unimp ${EMU_BACKEND:-} \
		"$V" -U VIREO_LOG -U VIREO_JIT -U VIREO_JIT_BUFFER -0 busybox -L "$SYS" "$REAL/bin-arm/busybox" "$@"
}
nat_bb() {
	timeout -k 5 "$LIMIT" env -i LC_ALL=C TZ=UTC PATH="$T/bin" busybox "$@"
}
# The sysroot path of a coreutils program (Debian 12's packages keep some in /bin, some in
# /usr/bin; real.sh merges the sysroot's /bin into /usr/bin, as the host's).
cu_path() {
	if [ -f "$SYS/bin/$1" ]; then echo "/bin/$1"; elif [ -f "$SYS/usr/bin/$1" ]; then echo "/usr/bin/$1"; else
		echo "no $1 in coreutils:arm64" >&2; return 127; fi
}
arm_cu() {
	local p=$1 path
	shift
	path=$(cu_path "$p") || return 127
	# shellcheck disable=SC2086  # EMU_BACKEND: words on purpose
	timeout -k 5 "$LIMIT" env -i LC_ALL=C TZ=UTC PATH=/usr/bin:/bin VIREO_LOG=unimp ${EMU_BACKEND:-} \
		"$V" -U VIREO_LOG -U VIREO_JIT -U VIREO_JIT_BUFFER -0 "$p" -L "$SYS" "$SYS$path" "$@"
}
nat_cu() {
	timeout -k 5 "$LIMIT" env -i LC_ALL=C TZ=UTC PATH=/usr/bin:/bin "$@"
}
# For the comparison's own test: one byte apart.
arm_self() { printf '%s' "${1}x"; }
nat_self() { printf '%s' "${1}${2:-x}"; }

# KIND [-i FILE] ARG... (emu-real-helpers.bash)
bb() { _both bb cmd "$@"; }
cu() { _both cu cmd "$@"; }
bbp() { _both bb script "$@"; }
cup() { _both cu script "$@"; }

# ---- the comparison itself --------------------------------------------------------------------

@test "comparison: a differing byte, status, stderr or file fails; the same passes" {
	run both self /dev/null cmd abc x
	[ "$status" = 0 ]
	run both self /dev/null cmd abc y
	[ "$status" = 1 ]
	[[ "$output" == *"stdout differs"* ]]
	run both cu /dev/null script 'R true && exit $([ "$s" = arm ] && echo 1 || echo 0)'
	[ "$status" = 1 ]
	[[ "$output" == *"exit status arm64 1, x86-64 0"* ]]
	run both cu /dev/null script 'echo oops >&$([ "$s" = arm ] && echo 2 || echo 1)'
	[ "$status" = 1 ]
	[[ "$output" == *"stderr differs"* ]]
	run both cu /dev/null script 'echo $s >f'
	[ "$status" = 1 ]
	[[ "$output" == *"files left differ"* ]]
	# The sides really are the arm64 and the x86-64 programs.
	run both cu /dev/null cmd uname -m
	[ "$status" = 1 ]
	[[ "$output" == *"< x86_64"*"> aarch64"* ]]
	run both bb /dev/null cmd uname -m
	[ "$status" = 1 ]
	[[ "$output" == *"< x86_64"*"> aarch64"* ]]
}

@test "the arm64 packages are the host's releases" {
	grep -qx "coreutils $(dpkg-query -W -f='${Version}' coreutils)" "$REAL/versions"
	grep -qx "busybox-static $(dpkg-query -W -f='${Version}' busybox-static)" "$REAL/versions"
	grep -qx "dash $(dpkg-query -W -f='${Version}' dash)" "$REAL/versions"
	[ "$(/bin/busybox | head -1)" = "$("$V" "$REAL/bin-arm/busybox" | head -1)" ]
	[ "$(ls --version | head -1)" = "$("$V" -L "$SYS" "$SYS/bin/ls" --version | head -1)" ]
}

# ---- busybox ----------------------------------------------------------------------------------

@test "busybox sh: loops, arithmetic, functions, case, expansions, here-documents, subshells" {
	bb sh in/script.sh
	bb sh -c 'i=0; s=0; while [ $i -lt 500 ]; do s=$((s + i * i)); i=$((i + 1)); done; echo $s'
	bb sh -c 'f() { local x=$1; [ "$x" -gt 0 ] && { echo -n "$x "; f $((x - 1)); }; }; f 9; echo; echo $((1 << 62)) $((-9223372036854775807 - 1))'
	bb sh -c 'x=$(seq 5 | sort -r | tr "\n" " "); echo "[$x]"; false || echo or; true && echo and; echo ${#x}'
	bb sh -c 'exit 42'
	bb sh -c 'kill -TERM $$; echo not reached'
	bb sh -c 'trap "echo trapped" USR1; kill -USR1 $$; echo after; for s in 1 2 3; do ( exit $s ); echo $?; done'
	bb sh -c 'cd in/tree && echo * && cd a && pwd -P | sed "s|.*/corpus|corpus|"'
	bb sh -c 'no-such-command-here'
}

@test "busybox awk" {
	bb awk -f in/prog.awk in/fields.txt
	bb awk '{ n += NF; c += length($0) } END { print NR, n, c }' in/words.txt in/unicode.txt
	bb awk -F, 'NR > 1 { s[$4] += $3; k[$4]++ } END { for (c in s) printf "%s %.4f\n", c, s[c] / k[c] }' in/table.csv
	bb awk 'BEGIN { for (i = 0; i < 20; i++) printf "%.17g %d %s\n", i / 7, i * i * i, substr("abcdefghijklmnop", i, 3); printf "%d %d %.0f\n", 2147483647, -2147483648, 9007199254740993 }'
	bb awk '{ $2 = toupper($2); print }' in/short.txt
	bb awk 'BEGIN { srand(1); x = 0; for (i = 0; i < 3; i++) x += 1; print x, 1e300 * 1e10, -1e300 * 1e10, 7 % 3 }'
	bb awk '/alpha/ && !/beta/ { c++ } END { print c + 0 }' in/words.txt
}

@test "busybox sed" {
	bb sed -f in/sed.txt in/words.txt
	bb sed -n '/alpha/,/beta/p' in/words.txt
	bb sed -E 's/([a-z]+)[[:space:]]+([a-z]+)/\2 \1/; s/[0-9]/#/g' in/words.txt
	bb sed -n '$=' in/long.txt
	bb sed 's/./&&/g;10q' in/unicode.txt
	bbp 'R cp in/short.txt s && R sed -i -e "s/e/E/2" -e "/^t/d" s && R cat s'
}

@test "busybox grep: -E -i -v -c -n -o -w -l -r -F" {
	bb grep -E 'al(pha|so)|^[0-9]' in/words.txt
	bb grep -i -c apple in/words.txt
	bb grep -v -n a in/words.txt
	bb grep -o -w '[a-z]*ta' in/words.txt
	bb grep -rl one in/tree
	bb grep -F -x -e two -e ten in/short.txt
	bb grep nothing-matches in/words.txt
	bb grep -c é in/unicode.txt
	bb grep -E '(' in/short.txt
}

@test "busybox sort: -n -r -k -u -t -f -s" {
	bb sort in/words.txt
	bb sort -n in/nums.txt
	bb sort -r -u in/words.txt
	bb sort -t: -k3,3n -k1,1 in/fields.txt
	bb sort -f -s -k2 in/words.txt
	bb sort -g in/floats.txt
	bb sort -n -r in/ints.txt in/nums.txt
	bb sort -c in/words.txt
}

@test "busybox uniq, wc, head, tail" {
	bb uniq -c in/dup.txt
	bb uniq -d -i in/dup.txt
	bb uniq -u in/dup.txt
	bb wc in/words.txt in/long.txt in/unicode.txt in/random.bin
	bb wc -L -l in/long.txt
	bb head -n 7 in/words.txt
	bb head -c 1000 in/random.bin
	bb tail -n 5 in/words.txt
	bb tail -c 33 in/long.txt
	bb tail -n +1490 in/words.txt
	bb -i in/nums.txt tail -n 3
}

@test "busybox cut, tr, paste, fold, expand, unexpand, nl, tac, rev" {
	bb cut -d: -f1,3 in/fields.txt
	bb cut -c 2-5,9- in/short.txt
	bb cut -b 1-3 in/unicode.txt
	bb -i in/words.txt tr a-z A-Z
	bb -i in/words.txt tr -d 'aeiou \t'
	bb -i in/words.txt tr -s 'a-z' 
	bb -i in/random.bin tr -c '[:alnum:]' '.'
	bb paste -d ',;' in/short.txt in/versions.txt in/human.txt
	bb paste -s in/short.txt
	bb fold -w 37 in/long.txt
	bb fold -s -w 20 in/prose.txt
	bb expand -t 4 in/tabs.txt
	bb unexpand -a in/tabs.txt
	bb nl in/sections.txt
	bb tac in/short.txt in/noeol.txt
	bb rev in/unicode.txt
}

@test "busybox od, hexdump, xxd, strings" {
	bb od -A x -t x1 in/small.bin
	bb od -c in/unicode.txt
	bb od -t d4 -N 64 in/random.bin
	bb hexdump -C in/small.bin
	bb hexdump -n 100 -e '16/1 "%02x " "\n"' in/random.bin
	bb xxd -s 10 -l 200 in/random.bin
	bb strings -n 6 in/random.bin
}

@test "busybox md5sum, sha1sum, sha256sum, sha512sum, sha3sum, crc32" {
	bb md5sum in/random.bin in/words.txt in/zero.bin
	bb sha1sum in/random.bin in/long.txt
	bb sha256sum in/random.bin in/unicode.txt
	bb sha512sum in/random.bin in/small.bin
	bb sha3sum in/random.bin
	bb crc32 in/random.bin
	bbp 'cd in && R sha256sum -c sums.sha256 && R md5sum -c sums.md5'
}

@test "busybox gzip, gunzip, zcat" {
	bb gzip -c in/words.txt
	bb gzip -9 -c in/random.bin
	bb gunzip -c in/words.txt.gz
	bb zcat in/random.bin.gz
	bbp 'R gzip -1 -c in/long.txt | R gunzip | R md5sum'
	bbp 'R cp in/short.txt s && R gzip s && R ls && R gunzip s.gz'
}

@test "busybox bzip2, bunzip2, bzcat" {
	bb bzip2 -c in/words.txt
	bb bunzip2 -c in/words.txt.bz2
	bb bzcat in/random.bin.bz2
	bbp 'R bzip2 -c in/long.txt | R bunzip2 | R md5sum'
}

@test "busybox unxz, xzcat" {
	bb unxz -c in/words.txt.xz
	bb xzcat in/random.bin.xz
}

@test "busybox tar, cpio" {
	bb tar -cf - -C in tree
	bbp 'R tar -cf - -C in tree | R tar -tvf -'
	bbp 'R tar -czf - -C in tree | R tar -xzf - && R find tree | R sort'
	bbp 'cd in && R find tree | R sort | R cpio -o -H newc'
	bbp 'cd in && R find tree | R cpio -o -H newc | R cpio -it'
}

@test "busybox base64, uuencode, uudecode" {
	bb base64 in/small.bin
	bbp 'R base64 in/random.bin | R base64 -d | R md5sum'
	bb uuencode in/small.bin small
	bbp 'R uuencode -m in/small.bin small | R uudecode -o - | R md5sum'
}

@test "busybox expr, seq, printf, echo, test, [" {
	bb expr 12345678901 \* 3 - 17
	bb expr '(' 7 + 3 ')' / 4 % 3
	bb expr abcdef : 'ab\(.*\)e'
	bb expr 1 / 0
	bb seq 1 3 100
	bb seq -w 5 3 25
	bb seq -s, 10 -3 -10
	bb seq 1.5 0.25 3
	bb printf '%d|%5s|%-5s|%x|%o|%c|%%|%.3f|%e|%g\n' 42 ab cd 255 8 Zed 3.14159 12345.678 0.0001
	bb printf '%s\n' a b c
	bb printf '%d\n' 99999999999999999999
	bb echo -e 'tab\there\nnew \x41\0101'
	bb echo -n no newline
	bb test 3 -lt 10
	bb test abc = abd
	bb test -d in/tree -a -f in/words.txt -a ! -e in/nothing
	bb [ -L in/tree/link-to-one ]
	bb [ 1 -eq
}

@test "busybox basename, dirname, realpath, readlink, pwd" {
	bb basename /a/b/c.txt .txt
	bb dirname /a/b/c.txt
	bb dirname relative
	bbp 'R realpath in/tree/link-to-one | sed "s|.*/corpus/|corpus/|"'
	bb readlink in/tree/link-to-one
	bbp 'R readlink -f in/tree/a/../z | sed "s|.*/corpus/|corpus/|"'
	bbp 'R pwd | sed "s|$T|T|"'
}

@test "busybox find, xargs" {
	bb find in/tree
	bb find in/tree -type f -name '*.txt'
	bb find in/tree -size +10k -o -type l
	bb find in/tree -mindepth 2 -maxdepth 3 -type d
	bb find in/tree -name '*.txt' -exec wc -c {} +
	bb find in/tree -perm 600
	bb -i in/list.txt xargs -n 5 echo
	bbp 'R find in/tree -type f -print0 | R xargs -0 -n 2 md5sum'
	bb -i in/short.txt xargs -I @ echo [@]
}

@test "busybox diff, cmp" {
	bb diff in/sorted1.txt in/sorted2.txt
	bb diff -u in/sorted1.txt in/sorted2.txt
	bb diff -r in/tree/a in/tree/x
	bb cmp in/words.txt in/words.txt
	bb cmp in/sorted1.txt in/sorted2.txt
	bb cmp -l in/small.bin in/random.bin
}

@test "busybox factor, dc, bc" {
	bb factor 1 2 60 1234567890 9223372036854775807 18446744073709551615 4294967291
	bb dc in/calc.dc
	bb dc -e '2 100 ^ p 10 3 / p'
	bb bc -l in/calc.bc
	bbp 'echo "2^64; 10/3; scale=5; 10/3; x=7; x*x" | R bc'
}

@test "busybox date, cal" {
	bb date -d @1700000000
	bb date -u -d @0 '+%Y-%m-%d %H:%M:%S %A %j %U %s %Z'
	bb date -d '2024-02-29 12:34:56' '+%s %a %b %e'
	bb date -d @-86401 -R
	bb cal 2 2024
	bb cal 9 1752
}

@test "busybox ls, stat, du" {
	bb ls in/tree
	bb ls -la in/tree
	bb ls -lanR in/tree
	bb ls -1 -S -r in/tree/a
	bb stat -c '%n %s %a %A %F %h %u %g %U %G %Y %N' in/tree/a/one.txt in/tree/link-to-one in/tree/emptydir in/tree/.hidden
	bb stat -L -c '%n %s %F' in/tree/link-to-one
	bb stat -f -c '%t %b %s' in/tree
	bb du -s in/tree
	bb du -a in/tree
	bb du -sh in/
}

@test "busybox cp, mv, ln, mkdir, rm, touch, chmod, truncate, dd, tee" {
	bbp 'R cp -r in/tree t && R mv t/a t/A && R rm -r t/x && R mkdir -p t/new/deep && R ln -s ../A t/new/l && R ls -a t && R find t -exec stat -c "%n %A %s %h %N" {} +'
	bbp 'R touch -d "2001-02-03 04:05:06" f && R chmod 640 f && R stat -c "%Y %a %s" f'
	bbp 'R truncate -s 12345 g && R truncate -s 100 g && R truncate -c -s 5 h; R wc -c g; R ls'
	bb dd if=in/random.bin of=d bs=1000 skip=3 count=7 conv=swab status=none
	bb dd if=in/short.txt ibs=7 count=3 conv=sync status=none
	bbp 'R tee t1 t2 < in/short.txt | R wc -l'
	bbp 'R cp -p in/tree/script s && R env ./s'
}

@test "busybox env, id, true, false, sleep, timeout, nice, uname, dos2unix, cat" {
	bb env
	bb env -i A=1 B=2 env
	bb sh -c 'echo "$PATH $LC_ALL $TZ"'
	bb id -u
	bb true
	bb false
	bb sleep 0.1
	bb timeout 5 sh -c 'echo inside'
	bb timeout -s KILL 0.2 sleep 5
	bb uname -s -r -v
	bb dos2unix -u in/crlf.txt
	bbp 'R cat in/crlf.txt | R unix2dos | R od -c'
	bb cat -n in/short.txt in/noeol.txt
	bb cat -A in/tabs.txt
}

@test "busybox sh builtins: read, getopts, umask, ulimit, trap, set -e, pipelines of applets" {
	bb -i in/fields.txt sh -c 'IFS=: n=0; while read -r u a b w f; do n=$((n + a % 7 + b)); done; echo $n'
	bb sh -c 'while getopts "ab:c" o; do echo "$o ${OPTARG:-}"; done; shift $((OPTIND - 1)); echo "rest $*"' sh -a -b x -c -- y z
	bb sh -c 'umask; umask 027; umask; ulimit -n; ulimit -s; ulimit -c; ulimit -t'
	bb sh -c 'trap "echo bye \$?" EXIT; set -e; echo start; false; echo not reached'
	bb sh -c 'seq 1000 | grep 7 | wc -l; echo $(( $(seq 1000 | wc -l) * 2 )); seq 20 | sed -n "/1/p" | sort -r | head -3'
	bb sh -c 'read a b <<EOF
first second third
EOF
echo "[$a] [$b]"; x=abc; printf "%s\n" "${x}def" | cut -c2-4; echo "$((0x10 + 010 + 1))"'
	bb sh -c 'for i in 1 2 3; do sh -c "exit $i" & done; wait; echo waited; (sleep 0.3; echo late) & echo early; wait'
	# the guest's view of its own /proc/self/cmdline and comm
	bb sh -c 'cat /proc/self/cmdline | tr "\0" " "; echo; tr "\0" " " </proc/self/cmdline; echo; head -c 4 /proc/self/comm'
}

@test "busybox patch, ed, lzop, unlzma, unzip, cpio -i, tar -x" {
	bbp 'R cp in/sorted1.txt f; R diff -u in/sorted1.txt in/sorted2.txt > p; R patch f < p && R cmp f in/sorted2.txt && R cat f'
	bbp 'R cp in/short.txt f && printf "2d\n\$a\nappended\n.\n1,3s/o/0/g\nw\nq\n" | R ed f; R cat f'
	bb lzop -c in/words.txt
	bbp 'R lzop -c in/random.bin | R lzop -dc | R md5sum'
	bb unlzma -c in/words.txt.lzma
	bb unzip -l in/files.zip
	bb unzip -p in/files.zip zipped/words.txt
	bbp 'R unzip -q in/files.zip && R ls -lR zipped'
	bbp '(cd in && R find tree | R cpio -o -H newc) > t.cpio && R cpio -idm < t.cpio && R find tree ! -type d ! -type l -exec stat -c "%n %a %s %Y" {} +'
	bbp 'R tar -cf - -C in tree | R tar -xvf - && R find tree ! -type d ! -type l -exec stat -c "%n %a %s %Y" {} +'
}

@test "busybox getopt, kill -l, ascii, ipcalc, mkpasswd, which, hostname, whoami, tty, usleep, yes" {
	bb getopt -o ab:c -l long: -- -a -b x --long y rest
	bb kill -l
	bb ascii
	bb ipcalc -n -b -m 192.168.10.77/21
	bb mkpasswd -m sha512 -S abcdefgh secret
	bb mkpasswd -m sha256 -S abcdefghijklmnop secret
	bb mkpasswd -m md5 -S abcdefgh secret
	bb mkpasswd -m des -S ab secret
	bb which sh ls no-such-program
	bb hostname
	bb whoami
	bb tty
	bb usleep 1000
	bbp 'R yes abc | R head -n 3'
}

# ---- coreutils --------------------------------------------------------------------------------

@test "coreutils cat, tac, nl, od" {
	cu cat -A in/unicode.txt in/crlf.txt
	cu cat -s -n in/prose.txt
	cu tac in/words.txt
	cu tac -s , in/table.csv
	cu nl -ba -w3 -s: in/sections.txt
	cu od -t x1z -A x in/small.bin
	cu od -A d -t d8 -t f8 -N 64 in/random.bin
	cu od -c -w12 in/unicode.txt
}

@test "coreutils base64, base32, basenc" {
	cu base64 in/random.bin
	cu base64 -w 50 in/small.bin
	cup 'R base64 in/random.bin | R base64 -d | R md5sum'
	cu base32 in/small.bin
	cup 'R base32 in/random.bin | R base32 -d | R md5sum'
	cu basenc --base64url in/small.bin
	cu basenc --base16 in/small.bin
	cu basenc --base2msbf in/short.txt
	cu basenc --z85 in/tree/a/two.txt
	cu -i in/short.txt base64 -d
}

@test "coreutils md5sum, sha1sum, sha224sum, sha256sum, sha384sum, sha512sum, b2sum" {
	cu md5sum in/random.bin in/zero.bin in/unicode.txt
	cu sha1sum in/random.bin in/long.txt
	cu sha224sum in/random.bin
	cu sha256sum in/random.bin in/tree/a/b/big.dat
	cu sha384sum in/random.bin
	cu sha512sum in/random.bin in/small.bin
	cu b2sum in/random.bin
	cu b2sum -l 128 in/words.txt
	cup 'cd in && R sha256sum -c sums.sha256 && R md5sum --check --strict sums.md5'
	cu md5sum -c in/sums.md5
}

@test "coreutils cksum, sum" {
	cu cksum in/random.bin in/words.txt
	cu cksum -a sha256 in/random.bin
	cu cksum -a blake2b -l 256 in/small.bin
	cu cksum -a crc in/long.txt
	cu cksum -a sm3 in/random.bin
	cu sum in/random.bin
	cu sum -s in/random.bin
}

@test "coreutils wc, head, tail" {
	cu wc in/words.txt in/long.txt in/unicode.txt in/random.bin
	cu wc -L -m in/long.txt
	cu head -n -1490 in/words.txt
	cu head -c 1k in/random.bin
	cu head -v -n 2 in/short.txt in/versions.txt
	cu tail -n 5 in/words.txt
	cu tail -c +262000 in/random.bin
	cu -i in/nums.txt tail -n 3
	cu tail -z -n 1 in/short.txt
}

@test "coreutils cut, paste, join, comm" {
	cu cut -d: -f2- --output-delimiter=' | ' in/fields.txt
	cu cut -c 3-7 in/words.txt
	cu cut -d, -f1,3 --complement in/table.csv
	cu paste -d '\t,' in/short.txt in/versions.txt in/human.txt
	cu paste -s -d + in/ints.txt
	cu join in/join1.txt in/join2.txt
	cu join -a1 -a2 -e NONE -o auto in/join1.txt in/join2.txt
	cu join -v 2 in/join1.txt in/join2.txt
	cu comm in/sorted1.txt in/sorted2.txt
	cu comm -12 in/sorted1.txt in/sorted2.txt
	cu comm --total -3 in/sorted1.txt in/sorted2.txt
}

@test "coreutils sort: -n -r -k -u -t -h -V -g -R --random-source, --parallel" {
	cu sort in/words.txt
	cu sort -n in/nums.txt
	cu sort -r -u in/words.txt
	cu sort -t: -k3,3n -k1,1 -k2,2nr in/fields.txt
	cu sort -h in/human.txt
	cu sort -V in/versions.txt
	cu sort -g in/floats.txt
	cu sort -R --random-source=in/random.bin in/words.txt
	cu sort -f -s -k2 in/words.txt
	cu sort --parallel=4 -S 64K -n in/nums.txt
	cu sort -S 16K --compress-program=gzip -k2 in/words.txt
	cu sort -m in/sorted1.txt in/sorted2.txt
	cu sort -c in/words.txt
	cu sort -z in/names.txt
	cup 'R sort -n -o out in/ints.txt && R md5sum out'
}

@test "coreutils uniq, shuf, tsort" {
	cu uniq -c in/dup.txt
	cu uniq -D -i in/dup.txt
	cu uniq -u -f 1 in/dup.txt
	cu shuf --random-source=in/random.bin in/words.txt
	cu shuf -i 1-1000 -n 20 --random-source=in/random.bin
	cu shuf -e -r -n 10 --random-source=in/small.bin a b c d
	cu tsort in/pairs.txt
	cu -i in/words.txt tsort
}

@test "coreutils ptx, csplit, split" {
	cu ptx in/short.txt
	cu ptx -A -w 60 in/prose.txt
	cu csplit -f part in/sections.txt '/^header/' '{*}'
	cu csplit -z -s -n 3 in/words.txt 200 '%alpha%' '/beta/+2' '{3}'
	cu split -l 300 in/words.txt chunk-
	cu split -b 100K -d -a 3 in/random.bin bin.
	cu split -n l/3 --additional-suffix=.txt in/words.txt n-
	cu split -n 5 in/small.bin
	# through /bin/sh (the sysroot's: busybox) and programs it finds in PATH
	cu split -n l/4 --filter='wc -lc > $FILE.count; tail -n 1 >> $FILE.count' in/words.txt f-
}

@test "coreutils pr, fmt, fold, expand, unexpand" {
	cu pr -h title in/short.txt
	cu pr -3 -t -w 60 in/words.txt
	cu pr -m -t in/short.txt in/versions.txt
	cu fmt -w 40 in/prose.txt
	cu fmt -u -p al in/words.txt
	cu fold -w 37 in/long.txt
	cu fold -s -b -w 20 in/unicode.txt
	cu expand -t 3,9,20 in/tabs.txt
	cu unexpand -a -t 4 in/tabs.txt
}

@test "coreutils tr, expr, printf, echo, seq, factor, numfmt" {
	cu -i in/words.txt tr '[:lower:]' '[:upper:]'
	cu -i in/random.bin tr -cd '[:print:]'
	cu -i in/words.txt tr -s '[:space:]' '\n'
	cu expr 12345678901 \* 3 - 17
	cu expr length 'hello world' + index abc c
	cu expr 99999999999999999999 + 1
	cu expr abcdef : 'ab\(.*\)e'
	cu printf '%d|%5s|%-5s|%x|%o|%c|%%|%.3f|%e|%g\n' 42 ab cd 255 8 Zed 3.14159 12345.678 0.0001
	cu printf '%s %q\n' "a b" "it's"
	cu printf '%.20Lf %Lg %g\n' 0.1 1e4000 1e-320
	cu echo -e 'a\tb\x41\0101\c not printed'
	cu seq 1 3 100
	cu seq -w -s, -5 2 12
	cu seq 0.1 0.1 1
	cu seq 1e3 1e2 2e3
	cu seq -f '%08.3f' 1 0.5 4
	cu factor 1 2 60 1234567890 9223372036854775807 18446744073709551615
	# past 128 bits, GMP: (2^127-1) * 6 * 1000000007, (2^89-1)(2^31-1)65537, 10^40+1, 2^70 * four primes
	cu factor 1020847107908745095729831555026171390429132440534 87113615119190593385173819630821354569729 10000000000000000000000000000000000000001 1180657734072459490574532766249692127188484096
	cu numfmt --to=si 1000 1500000 123456789
	cu numfmt --to=iec-i --format='%.2f' 1024 1048576 1536
	cu -i in/bytes.txt numfmt --to=iec --padding=10
	cu -i in/human.txt numfmt --from=auto --invalid=warn
}

@test "coreutils date" {
	cu date -d @1700000000
	cu date -u -d @0 '+%Y-%m-%d %H:%M:%S %A %j %U %V %G %s %Z %:z'
	cu date -d '2024-02-29 12:34:56 +0530' --iso-8601=ns
	cu date -d '2001-09-09 01:46:40 UTC + 3 weeks 2 days' -R
	cu date --rfc-3339=seconds -d '@-86401'
	cu date -d 'not a date'
	cu date -r in/words.txt '+%F %T'
}

@test "coreutils ls, stat, du" {
	cu ls in/tree
	cu ls -la --time-style=full-iso in/tree
	cu ls -lanR --time-style=+%s in/tree
	cu ls -1 -S -r -F in/tree/a
	cu ls -l --block-size=1 --time-style=long-iso -Q in/tree/a in/tree/z
	cup 'R ls -d in/tree/*'
	cu ls in/no-such-file
	cu stat -c '%n %s %a %A %F %h %u %g %U %G %Y %N' in/tree/a/one.txt in/tree/link-to-one in/tree/emptydir in/tree/.hidden
	cu stat -L -c '%n %s %F %b %B' in/tree/link-to-one
	cu stat --printf '%n %y\n' in/words.txt
	cu stat -f -c '%T %b %s %l' in/tree
	cu du -s in/tree
	cu du -ab in/tree
	cu du -sh --apparent-size in/
}

@test "coreutils cp, mv, ln, mkdir, rm, rmdir, touch, chmod, truncate, dd, tee, install, shred" {
	cup 'R cp -r in/tree t && R mv t/a t/A && R rm -r t/x && R mkdir -p t/new/deep && R ln -s ../A t/new/l && R rmdir t/emptydir && R ls -la --time-style=+ t'
	cup 'R touch -d "2001-02-03 04:05:06.789" f && R chmod u=rw,g=r f && R stat -c "%y %a %s" f'
	cup 'R truncate -s 12345 g && R truncate -s -45 g && R truncate -s %1000 g && R wc -c g'
	cu dd if=in/random.bin of=d bs=1000 skip=3 count=7 conv=swab status=none
	cu dd if=in/short.txt conv=ucase,sync ibs=7 obs=3 status=none
	cup 'R tee t1 t2 < in/short.txt | R wc -l'
	cup 'R install -m 700 -D in/short.txt a/b/c && R cp --preserve=mode,timestamps in/tree/script s && R env ./s'
	cup 'R cp in/small.bin x && R shred -n 0 -z -u -v x; R ls'
	cup 'R ln in/short.txt hard; R link in/short.txt hard2; R unlink hard2; R ls'
}

@test "coreutils basename, dirname, realpath, readlink, pathchk, test, [, true, false" {
	cu basename -a /a/b/c.txt /x/y/ z
	cu basename -s .txt /a/b/c.txt
	cu dirname /a/b/c.txt relative / //x
	cup 'R realpath -e in/tree/link-to-one | sed "s|.*/corpus/|corpus/|"'
	cu realpath --relative-to=in/tree/a in/tree/z/last
	cu realpath -m /a/../b/./c
	cu readlink in/tree/link-to-one
	cu readlink -f in/tree/dangling
	cu pathchk -p 'bad*name' ok_name
	cu test 3 -lt 10
	cu test abc = abd
	cu test -d in/tree -a -f in/words.txt -a ! -e in/nothing
	cu [ -L in/tree/link-to-one ]
	cu [ 1 -eq
	cu true
	cu false
}

@test "coreutils ls -i, stat %i %d, du --inodes, cp -a, mkfifo, chown, touch -r, dir, vdir" {
	cu ls -i in/tree
	cu stat -c '%n %i %d %b %B %o %h %f %W' in/tree/a/one.txt in/tree
	cu du --inodes in/tree
	cup 'R cp -a in/tree t && R ls -lAR --time-style=full-iso t'
	cup 'R mkfifo -m 600 fifo && R mknod p2 p && R ls -l --time-style=+ fifo p2'
	cup 'R touch f && R chown 0:0 f && R chgrp 0 f && R touch -r in/words.txt f && R stat -c "%y %U" f'
	cu dir in/tree
	cu vdir --time-style=+%s in/tree
}

@test "coreutils nohup, tty, logname, whoami, groups, hostid, users, who, mktemp -u" {
	cu nohup echo hi
	cu tty
	cu logname
	cu whoami
	cu groups
	cu hostid
	cu users /dev/null
	cu who /dev/null
	cup 'R mktemp -u -p /x XXXXXXXXXXXX | R wc -c'
	# the guest's view of its own /proc/self/cmdline and comm
	cup 'R cat /proc/self/cmdline | tr "\0" " "; R cat /proc/self/comm; R cut -d" " -f2 /proc/self/stat'
}

@test "coreutils pipelines: seq | shuf | sort | uniq | wc, up to 100000 lines" {
	cup 'R seq 100000 | R sort -R --random-source=in/random.bin | R tee r | R sort -n | R uniq -c | R wc; R md5sum r'
	cup 'R seq 20000 | R shuf --random-source=in/random.bin | R md5sum'
	cup 'R seq -f %.3f 0 0.001 50 | R sort -g -r | R head -n 4'
	cup 'R cat in/words.txt in/words.txt | R tr -s " \t" "\n\n" | R sort | R uniq -c | R sort -k1,1nr -k2 | R head -n 20'
}

@test "coreutils env, printenv, yes, nice, timeout, sleep, id, nproc, stdbuf, dircolors" {
	cu env
	cu env -i A=1 B=2 env
	cu env -u TZ printenv
	cu printenv LC_ALL TZ
	cup 'R yes | R head -n 5'
	cup 'R yes abc def | R head -c 100000 | R md5sum'
	cu nice -n 7 nice
	cu timeout 5 echo inside
	cu timeout -s KILL 0.2 sleep 5
	cu timeout 0.2 sleep 5
	cu sleep 0.1
	cu id -u
	cu id -G
	cu nproc
	cup 'R stdbuf -oL echo line-buffered'
	cu dircolors -p
	cu dircolors -b
	cu uname -s -r -v
}

# ---- the emulator's back ends -----------------------------------------------------------------
# Everything above runs on the x86-64 code generator. The same work on the interpreter alone
# (VIREO_JIT=0), and with a code buffer so small it fills at once (VIREO_JIT_BUFFER: blocks then
# stay interpreted, mixed with compiled ones), must give the same results.

backend_mix() {
	bb sh -c 'i=0; s=0; while [ $i -lt 500 ]; do s=$((s + i * i)); i=$((i + 1)); done; echo $s'
	bb sh in/script.sh
	bb awk -F, 'NR > 1 { s[$4] += $3; k[$4]++ } END { for (c in s) printf "%s %.4f\n", c, s[c] / k[c] }' in/table.csv
	bb sort -n -r in/nums.txt
	bb sha256sum in/random.bin in/unicode.txt
	bb gzip -9 -c in/random.bin
	bbp 'R gzip -1 -c in/long.txt | R gunzip | R md5sum'
	cu sort -g in/floats.txt
	cu sha512sum in/random.bin
}

@test "back ends: the interpreter alone (VIREO_JIT=0) gives the same results" {
	EMU_BACKEND="VIREO_JIT=0" backend_mix
}

@test "back ends: a full code buffer (VIREO_JIT_BUFFER=16384) gives the same results" {
	EMU_BACKEND="VIREO_JIT_BUFFER=16384" backend_mix
}
