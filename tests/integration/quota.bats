#!/usr/bin/env bats
# Disk quotas (issue 4): --diskspace puts a container's private area in an ext4 image
# (ROOT/private/ID/root.img) on a loop device while it runs; --diskinodes caps its files.
# Every test leaves no loop device bound to an image of its instance and no mount under it.

load helpers

setup() { vireo_setup; }

# Loop devices bound to a file under this test's instance root.
our_loops() {
	losetup -a -O NAME,BACK-FILE -n 2>/dev/null | awk -v r="$VIREO_ROOT/" 'index($2, r) == 1 { print $1 }'
}

teardown() {
	local left="" l m
	if [ -n "${VIREO_ROOT:-}" ] && [ -d "$VIREO_ROOT" ]; then
		for id in $(ls "$VIREO_ROOT/conf" 2>/dev/null | sed -n 's/^\([0-9]*\)\.conf$/\1/p'); do
			vireo destroy --force "$id" >/dev/null 2>&1 || true
		done
		# Whatever a failed test left: unmount, then detach, and say so.
		for m in $(awk -v r="$VIREO_ROOT/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
			umount -l "$m" && left="$left mount:$m"
		done
		for l in $(our_loops); do
			losetup -d "$l" && left="$left loop:$l"
		done
	fi
	vireo_teardown
	if [ -n "$left" ]; then
		echo "left behind:$left" >&2
		return 1
	fi
}

img() { echo "$VIREO_ROOT/private/$1/root.img"; }
conf_sum() { md5sum < "$VIREO_ROOT/conf/$1.conf"; }
# Has this process CAP_SYS_RESOURCE (ext4 online resize needs it)?
have_sys_resource() { (( 0x$(awk '/^CapEff/ { print $2 }' /proc/self/status) >> 24 & 1 )); }
# Stop and check that nothing of the image stays attached.
stop_clean() {
	vireo stop "$1"
	[ -z "$(our_loops)" ]
	! grep -q "$VIREO_ROOT" /proc/mounts
}

@test "create --diskspace: the private area is an ext4 image, mounted only while running" {
	vireo create 101 --diskspace 48M:64M
	grep -qx 'VE_LAYOUT="image"' "$VIREO_ROOT/conf/101.conf"
	grep -qx 'DISKSPACE="49152:65536"' "$VIREO_ROOT/conf/101.conf"
	[ "$(ls "$VIREO_ROOT/private/101")" = root.img ]
	[ "$(stat -c %s "$(img 101)")" = $((64 << 20)) ]
	[ "$(stat -c %a "$(img 101)")" = 600 ]
	[ -z "$(our_loops)" ]
	vireo start 101
	[ "$(our_loops | wc -l)" = 1 ]
	# no host-visible mount: the file system is mounted in the container's namespace only
	! grep -q "$VIREO_ROOT" /proc/mounts
	run vireo exec 101 /bin/sh -c 'stat -f -c %T /; df -k / | tail -1'
	[ "$status" = 0 ]
	[[ "${lines[0]}" == ext2/ext3 ]]
	size=$(echo "${lines[1]}" | awk '{ print $2 }')
	[ "$size" -gt $((48 * 1024)) ] && [ "$size" -le $((64 * 1024)) ]
	stop_clean 101
}

@test "writing past the hard limit fails with ENOSPC inside; the host loses nothing more" {
	vireo create 101 --diskspace 32M
	vireo start 101
	before_blocks=$(stat -c %b "$(img 101)")
	before_size=$(stat -c %s "$(img 101)")
	run vireo exec 101 /bin/sh -c 'dd if=/dev/zero of=/fill bs=1M count=100 2>&1; echo "rc=$?"'
	[[ "$output" == *"No space left on device"* ]]
	[[ "$output" == *"rc=1"* ]]
	# what was written is at most the image's size
	run vireo exec 101 /bin/sh -c 'du -k /fill | cut -f1'
	[ "$output" -lt $((32 * 1024)) ]
	# the image was preallocated: filling it took no host space, and it did not grow
	[ "$(stat -c %b "$(img 101)")" = "$before_blocks" ]
	[ "$(stat -c %s "$(img 101)")" = "$before_size" ]
	# the host's own file system is still writable, the container still runs
	echo ok > "$VIREO_ROOT/host-probe"
	run vireo exec 101 /bin/sh -c 'rm /fill && echo again > /small && cat /small'
	[ "$output" = again ]
	stop_clean 101
}

@test "set --diskspace grows the disk: online where the kernel lets us, offline always" {
	vireo create 101 --diskspace 32M
	vireo start 101
	vireo exec 101 /bin/sh -c 'dd if=/dev/zero of=/a bs=1M count=100 2>/dev/null; sync' || true
	if have_sys_resource; then
		vireo set 101 --diskspace 96M
		run vireo exec 101 /bin/sh -c 'dd if=/dev/zero of=/b bs=1M count=40 2>&1 && echo wrote'
		[[ "$output" == *wrote* ]]
		grep -qx 'DISKSPACE="98304:98304"' "$VIREO_ROOT/conf/101.conf"
	else
		# This host withholds CAP_SYS_RESOURCE, which ext4 online resize requires: refused in
		# one line, and nothing changed.
		sum=$(conf_sum 101)
		run vireo set 101 --diskspace 96M
		[ "$status" -ne 0 ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == "vireo: cannot grow the disk while the container runs"*CAP_SYS_RESOURCE* ]]
		[ "$(conf_sum 101)" = "$sum" ]
		[ "$(stat -c %s "$(img 101)")" = $((32 << 20)) ]
		run vireo exec 101 /bin/sh -c 'echo still > /s && cat /s'
		[ "$output" = still ]
	fi
	stop_clean 101
	vireo set 101 --diskspace 160M
	[ "$(stat -c %s "$(img 101)")" = $((160 << 20)) ]
	grep -qx 'DISKSPACE="163840:163840"' "$VIREO_ROOT/conf/101.conf"
	vireo start 101
	run vireo exec 101 /bin/sh -c 'dd if=/dev/zero of=/c bs=1M count=60 2>&1 && echo wrote; ls /a'
	[[ "$output" == *wrote* ]]
	[[ "$output" == *"/a"* ]]
	stop_clean 101
	e2fsck -fn "$(img 101)" >/dev/null
}

@test "shrinking: offline above usage works; below usage or while running is refused" {
	vireo create 101 --diskspace 96M
	vireo start 101
	vireo exec 101 /bin/sh -c 'dd if=/dev/zero of=/keep bs=1M count=40 2>/dev/null'
	sum=$(conf_sum 101)
	run vireo set 101 --diskspace 64M
	[ "$status" -ne 0 ] && [ "${#lines[@]}" = 1 ]
	[[ "$output" == *"is running: stop it to shrink"* ]]
	run vireo set 101 --diskspace 20M
	[ "$status" -ne 0 ] && [ "${#lines[@]}" = 1 ]
	[[ "$output" == "vireo: container 101 uses "*" KiB: --diskspace cannot be below that" ]]
	[ "$(conf_sum 101)" = "$sum" ]
	stop_clean 101
	run vireo set 101 --diskspace 20M
	[ "$status" -ne 0 ] && [ "${#lines[@]}" = 1 ]
	[[ "$output" == *"cannot be below that" ]]
	[ "$(conf_sum 101)" = "$sum" ]
	[ "$(stat -c %s "$(img 101)")" = $((96 << 20)) ]
	vireo set 101 --diskspace 64M
	[ "$(stat -c %s "$(img 101)")" = $((64 << 20)) ]
	e2fsck -fn "$(img 101)" >/dev/null
	vireo start 101
	run vireo exec 101 /bin/sh -c 'du -k /keep | cut -f1'
	[ "$output" -ge $((40 * 1024)) ]
	stop_clean 101
}

@test "--diskinodes caps the number of files; changing it rebuilds the disk, keeping its files" {
	vireo create 101 --diskspace 64M --diskinodes 900:1000
	grep -qx 'DISKINODES="900:1000"' "$VIREO_ROOT/conf/101.conf"
	vireo start 101
	run vireo exec 101 /bin/sh -c 'mkdir /many; i=0; while [ $i -lt 3000 ] && touch /many/f$i; do i=$((i+1)); done; echo "made $i"; touch /one-more 2>/dev/null || echo refused; df -i / | tail -1'
	[[ "$output" == *"No space left on device"* ]]
	[[ "$output" == *refused* ]]
	df=$(echo "$output" | grep ' /$')
	total=$(echo "$df" | awk '{ print $2 }')
	free=$(echo "$df" | awk '{ print $4 }')
	# ext4 rounds the count up to whole inode-table blocks per group, never far
	[ "$total" -ge 1000 ] && [ "$total" -le 1100 ]
	[ "$free" = 0 ]
	made=$(echo "$output" | sed -n 's/^made //p')
	[ "$made" -lt 1000 ] && [ "$made" -gt 400 ]
	# a running container's inode count cannot change
	run vireo set 101 --diskinodes 3000
	[ "$status" -ne 0 ] && [[ "$output" == *"is running: stop it"* ]]
	vireo exec 101 /bin/sh -c 'rm -rf /many; echo kept > /marker'
	stop_clean 101
	vireo set 101 --diskinodes 3000
	grep -qx 'DISKINODES="3000:3000"' "$VIREO_ROOT/conf/101.conf"
	vireo start 101
	run vireo exec 101 /bin/sh -c 'cat /marker; df -i / | tail -1'
	[ "${lines[0]}" = kept ]
	total=$(echo "${lines[1]}" | awk '{ print $2 }')
	[ "$total" -ge 3000 ] && [ "$total" -le 3100 ]
	stop_clean 101
}

@test "data survives stop/start and a restart from nothing in memory" {
	vireo create 101 --diskspace 64M
	vireo start 101
	vireo exec 101 /bin/sh -c 'head -c 100000 /dev/urandom > /data; md5sum /data > /data.md5; sync'
	sum1=$(vireo exec 101 cat /data.md5)
	stop_clean 101
	# no vireo process of this instance is left: the next start has only the config
	! pgrep -f "$VIREO_ROOT" >/dev/null
	vireo start 101
	run vireo exec 101 md5sum /data
	[ "$output" = "$sum1" ]
	vireo restart 101
	run vireo exec 101 md5sum /data
	[ "$output" = "$sum1" ]
	stop_clean 101
}

@test "destroy removes the image and leaves no loop device and no mount" {
	before=$(losetup -a -O BACK-FILE -n | sort)
	vireo create 101 --diskspace 32M
	vireo start 101
	vireo exec 101 /bin/sh -c 'echo x > /x'
	[ -n "$(our_loops)" ]
	vireo destroy --force 101
	[ ! -e "$VIREO_ROOT/private/101" ]
	[ ! -e "$VIREO_ROOT/conf/101.conf" ]
	[ -z "$(our_loops)" ]
	[ "$(losetup -a -O BACK-FILE -n | grep -c "$VIREO_ROOT")" = 0 ]
	! grep -q "$VIREO_ROOT" /proc/mounts
	# and destroying a stopped one
	vireo create 102 --diskspace 32M
	vireo destroy 102
	[ ! -e "$VIREO_ROOT/private/102" ]
	[ -z "$(our_loops)" ]
	after=$(losetup -a -O BACK-FILE -n | sort | grep -v "$VIREO_ROOT" || true)
	[ "$(echo "$before" | grep -v "$VIREO_ROOT" || true)" = "$after" ] || \
		echo "note: other helpers' loop devices changed meanwhile" >&2
}

# Every file with owner, group, mode, type and link target (not sizes: ext4 sizes directories
# its own way), as on disk: the directory itself, or the image mounted read-only on the host.
tree_list='find . -xdev ! -path "./lost+found*" ! -name . -printf "%p %U %G %m %y %l\n" | sort'
disk_list() { # ID (stopped)
	local mnt="$VIREO_ROOT/mnt" dev out
	mkdir -p "$mnt"
	dev=$(losetup -f --show -r "$(img "$1")")
	mount -o ro,noload "$dev" "$mnt" || { losetup -d "$dev"; return 1; }
	out=$(cd "$mnt" && eval "$tree_list")
	umount "$mnt"
	losetup -d "$dev"
	echo "$out"
}

convert_check() { # ID
	local id=$1
	vireo set "$id" --userpasswd alice:secret
	vireo start "$id"
	vireo exec "$id" /bin/sh -c 'mkdir -p /home/alice/d && echo hi > /home/alice/d/f && chown -R 1000:1000 /home/alice && chmod 0700 /home/alice/d && chmod 4755 /bin/busybox && ln /home/alice/d/f /home/alice/hard && mkfifo /fifo'
	vireo stop "$id"
	# an xattr, put there from the host
	python3 -c "import os,sys; os.setxattr(sys.argv[1], 'user.vireo', b'kept')" "$VIREO_ROOT/private/$id/etc/passwd"
	before=$(cd "$VIREO_ROOT/private/$id" && eval "$tree_list")
	[ "$(echo "$before" | wc -l)" -gt 200 ]
	vireo set "$id" --diskspace 1G
	[ "$(ls "$VIREO_ROOT/private/$id")" = root.img ]
	[ -z "$(our_loops)" ]
	run debugfs -R "ea_get /etc/passwd user.vireo" "$(img "$id")"
	[[ "$output" == *kept* ]]
	diff <(echo "$before") <(disk_list "$id")
	vireo start "$id"
	run vireo exec "$id" /bin/sh -c 'su alice -c "cat /home/alice/d/f; id -u"; stat -c "%h %a %u" /home/alice/hard /bin/busybox'
	[ "${lines[0]}" = hi ] && [ "${lines[1]}" = 1000 ]
	[ "${lines[2]}" = "2 644 1000" ] && [ "${lines[3]}" = "1 4755 0" ]
	stop_clean "$id"
}

@test "converting an existing busybox container keeps files, owners, modes, links and xattrs (userns)" {
	vireo create 101
	grep -qx 'IDMAP="mount"' "$VIREO_ROOT/conf/101.conf"
	convert_check 101
}

@test "converting a --userns no container keeps everything too" {
	vireo create 102 --userns no
	convert_check 102
}

@test "converting a shifted-owner container (no idmapped mounts) keeps host owners" {
	VIREO_IDMAP=shift vireo create 103
	grep -qx 'IDMAP="shift"' "$VIREO_ROOT/conf/103.conf"
	base=$(sed -n 's/^UIDBASE="\(.*\)"/\1/p' "$VIREO_ROOT/conf/103.conf")
	convert_check 103
	# on disk the owners stay shifted; inside they read as the container's own
	run debugfs -R "stat /home/alice/d/f" "$(img 103)"
	[[ "$output" == *"User: $((base + 1000)) "* ]]
	vireo start 103
	run vireo exec 103 /bin/sh -c 'stat -c "%u %g" /etc/passwd /etc/shadow /lost+found; touch /new; stat -c %u /new'
	[ "${lines[0]}" = "0 0" ] && [ "${lines[1]}" = "0 0" ] && [ "${lines[2]}" = "0 0" ]
	[ "${lines[3]}" = 0 ]
	stop_clean 103
}

@test "debian-12: converting keeps the user's files and owners; passwords work on the image" {
	vireo create 104 --ostemplate debian-12
	vireo start 104
	vireo exec 104 /bin/sh -c 'useradd -m alice && su alice -c "echo hi > ~/f && mkdir -m 700 ~/d"'
	vireo stop 104
	# what the guest's own services do not touch
	list='find ./home ./usr ./var/lib/dpkg -xdev -printf "%p %U %G %m %y %l\n" | sort'
	before=$(cd "$VIREO_ROOT/private/104" && eval "$list")
	vireo set 104 --diskspace 2G
	vireo set 104 --userpasswd alice:secret1
	tree_list=$list
	diff <(echo "$before") <(disk_list 104)
	vireo start 104
	run vireo exec 104 /bin/sh -c 'stat -c "%U %a" /home/alice/f /home/alice/d; grep ^alice: /etc/shadow | cut -d: -f2 | cut -c1-3'
	[ "${lines[0]}" = "alice 644" ] && [ "${lines[1]}" = "alice 700" ] && [ "${lines[2]}" = '$6$' ]
	stop_clean 104
}

@test "the container reaches neither the loop device nor the image; the mount is nodev" {
	vireo create 101 --diskspace 32M --userns no
	vireo create 102 --diskspace 32M
	[ "$(stat -c %a "$VIREO_ROOT/private/101")" = 700 ]
	for id in 101 102; do
		vireo start "$id"
		run vireo exec "$id" /bin/sh -c 'ls /dev | grep -c loop; find / -xdev -name root.img | wc -l'
		[ "${lines[0]}" = 0 ] && [ "${lines[1]}" = 0 ]
		run vireo exec "$id" /bin/sh -c 'grep " / " /proc/mounts | head -1'
		[[ "$output" == *nodev* ]]
		dev=$(our_loops | head -1)
		minor=$(( 0x$(stat -c %T "$dev") ))
		# a node for our own loop device: refused, or made but never opened
		run vireo exec "$id" /bin/sh -c "mknod /loop b 7 $minor 2>&1; head -c 1 /loop >/dev/null 2>&1 && echo OPENED; rm -f /loop"
		[[ "$output" != *OPENED* ]]
		vireo stop "$id"
	done
	[ -z "$(our_loops)" ]
}

@test "bad input: one line, non-zero, nothing changed" {
	vireo create 101 --diskspace 32M --diskinodes 1000
	sum=$(conf_sum 101)
	size=$(stat -c %s "$(img 101)")
	for bad in 12Q -5M 2G:1G 9223372036854775808 9007199254740992 8388608T unlimited 1M:12Q 1M 64M:1G:2G ""; do
		run vireo set 101 --diskspace "$bad"
		[ "$status" -ne 0 ] || { echo "accepted --diskspace '$bad'"; false; }
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == vireo:* ]]
	done
	for bad in 1K -5 2000:1000 x 10 18446744073709551616; do
		run vireo set 101 --diskinodes "$bad"
		[ "$status" -ne 0 ] || { echo "accepted --diskinodes '$bad'"; false; }
		[ "${#lines[@]}" = 1 ]
	done
	# below what is in use
	run vireo set 101 --diskinodes 100
	[ "$status" -ne 0 ] && [ "${#lines[@]}" = 1 ]
	[[ "$output" == *"files: --diskinodes cannot be below that" ]]
	[ "$(conf_sum 101)" = "$sum" ]
	[ "$(stat -c %s "$(img 101)")" = "$size" ]
	# create with a bad size makes nothing
	run vireo create 102 --diskspace 12Q
	[ "$status" -ne 0 ] && [ "${#lines[@]}" = 1 ]
	[ ! -e "$VIREO_ROOT/conf/102.conf" ] && [ ! -e "$VIREO_ROOT/private/102" ]
	# a template that does not fit
	run vireo create 103 --ostemplate debian-12 --diskspace 16M
	[ "$status" -ne 0 ] && [ "${#lines[@]}" = 1 ]
	[ ! -e "$VIREO_ROOT/conf/103.conf" ] && [ ! -e "$VIREO_ROOT/private/103" ]
	ls "$VIREO_ROOT/private" | { ! grep -q '^\.10[23]'; }
	# --diskinodes alone on a directory container
	vireo create 104
	run vireo set 104 --diskinodes 5000
	[ "$status" -ne 0 ] && [[ "$output" == *"give --diskspace too"* ]]
	[ -d "$VIREO_ROOT/private/104/etc" ]
	# a running directory container cannot be converted
	vireo start 104
	run vireo set 104 --diskspace 1G
	[ "$status" -ne 0 ] && [[ "$output" == *"stop it to move its files into a disk image"* ]]
	[ -d "$VIREO_ROOT/private/104/etc" ]
	! grep -q DISKSPACE "$VIREO_ROOT/conf/104.conf"
	vireo stop 104
	[ -z "$(our_loops)" ]
}
