#!/usr/bin/env bats
# The container network: veth pairs on the instance's bridge, addresses, the default route,
# resolv.conf, live and saved changes, and that stop, destroy and a crashed supervisor leave no
# link behind. Each test has its own instance, so its own bridge (named after the instance)
# and its own subnet (written to ROOT/vireo.conf); teardown checks that no link of the instance
# is left and removes any it finds.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	vireo_setup
	sanitizer_logs_setup
	INST=$(vireo_instance)
	BR=$INST                      # the instance's bridge
	VPFX="v${INST:6:6}."          # host ends: v<6 hex>.<CTID>.<N>
	# A subnet of our own: 10.(200..249).(0..255).0/24
	NET="10.$((200 + $$ % 50)).$(((BATS_TEST_NUMBER * 7 + $$ / 50) % 256))"
	GW=$NET.1
	echo "BRIDGE_ADDRESS=\"$GW/24\"" > "$VIREO_ROOT/vireo.conf"
	USERBR=""
	vireo create 101 >/dev/null
	vireo create 102 >/dev/null
}

# Host links of this instance: its bridge and every veth host end.
our_links() {
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' |
		grep -E "^($BR|${VPFX//./\\.}[0-9]+\.[0-9]+|vt-$$-.*)\$" || true
}

teardown() {
	local r=0 left
	[ -z "$USERBR" ] || ip link del "$USERBR" 2>/dev/null || true
	vireo_teardown || r=1
	sanitizer_logs_check || r=1
	left=$(our_links)
	if [ -n "$left" ]; then
		echo "links left behind: $left" >&2
		for l in $left; do ip link del "$l" 2>/dev/null; done
		r=1
	fi
	return $r
}

# ips ID: the IPv4 addresses inside, one per line (ADDR/PREFIX dev).
ips() {
	vireo exec "$1" ip -4 -o addr show | awk '$2 != "lo" {print $4, $2}'
}

link_exists() { ip link show "$1" >/dev/null 2>&1; }

# Every path under VIREO_ROOT (type, size but for directories, mode), the configuration and live
# network files' contents, and the instance's host links.
snapshot() {
	{
		find "$VIREO_ROOT" -type d -printf '%p d %m\n'
		find "$VIREO_ROOT" ! -type d -printf '%p %y %s %m\n'
	} | LC_ALL=C sort
	cat "$VIREO_ROOT"/conf/*.conf "$VIREO_ROOT"/run/*/net 2>/dev/null
	our_links
}

# refuse NEEDLE CMD...: one line "vireo: ..." naming NEEDLE, non-zero status, nothing on stdout,
# and nothing changed (snapshot).
refuse() {
	local needle=$1 before after
	shift
	before=$(snapshot)
	run --separate-stderr "$@"
	after=$(snapshot)
	printf '# %s\n#   status %s\n#   stdout: %s\n#   stderr: %s\n' "$*" "$status" "$output" "$stderr"
	[ "$status" -ne 0 ] && [ "$status" -lt 128 ] || { echo "FAIL: status $status"; return 1; }
	[ -z "$output" ] || { echo "FAIL: printed on stdout"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "FAIL: ${#stderr_lines[@]} lines on stderr"; return 1; }
	[[ "$stderr" == "vireo: "*"$needle"* ]] || { echo "FAIL: stderr does not mention '$needle'"; return 1; }
	[ "$before" = "$after" ] || { echo "FAIL: something changed"; diff <(echo "$before") <(echo "$after"); return 1; }
}

@test "two containers exchange TCP and ping each other and the host" {
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	vireo set 102 --ipadd "$NET.12/24" --save >/dev/null
	vireo start 101
	vireo start 102
	# The bridge exists, has the gateway address and both host ends as ports.
	ip -4 addr show dev "$BR" | grep -q "inet $GW/24"
	[ "$(cat /sys/class/net/"${VPFX}101.0"/master/ifindex)" = "$(cat /sys/class/net/"$BR"/ifindex)" ]
	[ "$(cat /sys/class/net/"${VPFX}102.0"/master/ifindex)" = "$(cat /sys/class/net/"$BR"/ifindex)" ]
	# Inside: eth0 with the address, a default route through the gateway.
	[ "$(ips 101)" = "$NET.11/24 eth0" ]
	vireo exec 101 ip route | grep -q "^default via $GW dev eth0"
	# TCP: a listener in 102, a client in 101 (retried until the listener is up).
	vireo exec 102 timeout 20 sh -c "nc -l -p 5000 > /tmp/got" 3>&- &
	server=$!
	wait_for 100 sh -c "echo hello-from-101 | '$VIREO_BIN' exec 101 nc -w 2 $NET.12 5000"
	wait "$server"
	[ "$(vireo exec 102 cat /tmp/got)" = "hello-from-101" ]
	# ICMP between the containers, to the host's address on the bridge, and from the host.
	vireo exec 101 ping -c 1 -W 3 "$NET.12"
	vireo exec 102 ping -c 1 -W 3 "$NET.11"
	vireo exec 101 ping -c 1 -W 3 "$GW"
	busybox ping -c 1 -W 3 "$NET.12"
	vireo list | grep -E "^ +101 .* $NET\.11 "
	vireo list | grep -E "^ +102 .* $NET\.12 "
}

@test "ping works without a raw socket for every user inside (ping_group_range)" {
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	vireo start 101
	# Every group of the container may open ICMP datagram sockets, as on an OpenVZ host.
	[ "$(vireo exec 101 cat /proc/sys/net/ipv4/ping_group_range | tr -s ' \t' ' ')" = "0 65535" ]
	# root inside pings with a raw socket (CAP_NET_RAW of its own namespace).
	vireo exec 101 ping -c 1 -W 3 "$GW"
}

@test "a container without a user namespace is networked the same way" {
	vireo create 103 --userns no >/dev/null
	vireo set 103 --ipadd "$NET.13" --save >/dev/null
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	vireo start 103
	vireo start 101
	vireo exec 103 ping -c 1 -W 3 "$NET.11"
	[ "$(vireo exec 103 cat /proc/sys/net/ipv4/ping_group_range | tr -s ' \t' ' ')" = "0 2147483647" ]
}

@test "an address used by another container is refused, saved or live" {
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	refuse "address $NET.11 is already used by container 101" vireo set 102 --ipadd "$NET.11" --save
	vireo start 102
	# A live-only address of 102 is taken too.
	vireo set 102 --ipadd "$NET.22" >/dev/null
	refuse "address $NET.22 is already used by container 102" vireo set 101 --ipadd "$NET.22" --save
	vireo start 101
	refuse "address $NET.11 is already used by container 101" vireo set 102 --ipadd "$NET.11"
	# The same address twice in one container
	refuse "container 101 already has address $NET.11" vireo set 101 --ipadd "$NET.11/24"
	# A stopped container's saved address stays reserved.
	vireo stop 101
	refuse "address $NET.11 is already used by container 101" vireo set 102 --ipadd "$NET.11"
	# A configuration edited by hand to take a live address cannot start.
	sed -i "s|^IP_ADDRESS=.*|IP_ADDRESS=\"$NET.22\"|" "$VIREO_ROOT/conf/101.conf"
	run vireo start 101
	[ "$status" -ne 0 ]
	[[ "$output" == *"address $NET.22 is already used by container 102"* ]]
	! link_exists "${VPFX}101.0"
}

@test "live ipadd and ipdel change a running container at once; --save keeps them" {
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	vireo start 101
	vireo start 102
	# 102 had no network: a live --ipadd gives it eth0 on the bridge.
	vireo set 102 --ipadd "$NET.12" >/dev/null
	[ "$(ips 102)" = "$NET.12/24 eth0" ]
	link_exists "${VPFX}102.0"
	vireo exec 101 ping -c 1 -W 3 "$NET.12"
	! grep -q IP_ADDRESS "$VIREO_ROOT/conf/102.conf"
	vireo set 101 --ipadd "$NET.31" --ipadd "$NET.32/24" >/dev/null
	[ "$(ips 101)" = "$(printf '%s\n' "$NET.11/24 eth0" "$NET.31/24 eth0" "$NET.32/24 eth0")" ]
	vireo exec 102 ping -c 1 -W 3 "$NET.32"
	vireo list 101 | grep -q "$NET.11 $NET.31 $NET.32"
	vireo set 101 --ipdel "$NET.31" >/dev/null
	[ "$(ips 101)" = "$(printf '%s\n' "$NET.11/24 eth0" "$NET.32/24 eth0")" ]
	# The configuration kept only what was saved.
	grep -qx "IP_ADDRESS=\"$NET.11\"" "$VIREO_ROOT/conf/101.conf"
	vireo set 101 --ipdel all >/dev/null
	[ -z "$(ips 101)" ]
	! vireo exec 101 ip route | grep -q default
	# A new address brings the default route back.
	vireo set 101 --ipadd "$NET.33" --save >/dev/null
	vireo exec 101 ip route | grep -q "^default via $GW dev eth0"
	grep -qx "IP_ADDRESS=\"$NET.11 $NET.33\"" "$VIREO_ROOT/conf/101.conf"
	# After a restart the configuration is what counts.
	vireo restart 101
	[ "$(ips 101)" = "$(printf '%s\n' "$NET.11/24 eth0" "$NET.33/24 eth0")" ]
	# Removing the first address live keeps the others (promote_secondaries).
	vireo set 101 --ipdel "$NET.11" >/dev/null
	[ "$(ips 101)" = "$NET.33/24 eth0" ]
	# --save on a running container: the configuration is the authority, live follows.
	vireo set 101 --ipdel "$NET.11" --save >/dev/null
	grep -qx "IP_ADDRESS=\"$NET.33\"" "$VIREO_ROOT/conf/101.conf"
	vireo restart 101
	[ "$(ips 101)" = "$NET.33/24 eth0" ]
	vireo list 101 | grep -q " $NET.33 "
}

@test "netif_add and netif_del, live and saved, with MACs, host names and another bridge" {
	USERBR=vt-$$-br
	ip link add "$USERBR" type bridge
	vireo start 101
	vireo set 101 --netif_add "eth1,02:11:22:33:44:55,vt-$$-h1,02:11:22:33:44:66" --save >/dev/null
	vireo exec 101 cat /sys/class/net/eth1/address | grep -qx 02:11:22:33:44:55
	[ "$(cat /sys/class/net/vt-$$-h1/address)" = 02:11:22:33:44:66 ]
	[ "$(cat /sys/class/net/vt-$$-h1/master/ifindex)" = "$(cat /sys/class/net/"$BR"/ifindex)" ]
	grep -q "^NETIF=\"ifname=eth1,mac=02:11:22:33:44:55,host_ifname=vt-$$-h1,host_mac=02:11:22:33:44:66\"" \
		"$VIREO_ROOT/conf/101.conf"
	# A second one on a bridge of the host's own, with generated names and addresses.
	vireo set 101 --netif_add "eth2,,,,$USERBR" --save >/dev/null
	vireo exec 101 cat /sys/class/net/eth2/operstate
	[ "$(cat /sys/class/net/"${VPFX}101.0"/master/ifindex)" = "$(cat /sys/class/net/"$USERBR"/ifindex)" ]
	# Addresses land on the first interface on the instance's bridge: eth1.
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	[ "$(ips 101)" = "$NET.11/24 eth1" ]
	vireo restart 101
	[ "$(ips 101)" = "$NET.11/24 eth1" ]
	vireo exec 101 cat /sys/class/net/eth1/address | grep -qx 02:11:22:33:44:55
	link_exists "${VPFX}101.0"
	# Live-only removal: gone now, back after a restart.
	vireo set 101 --netif_del eth2 >/dev/null
	! link_exists "${VPFX}101.0"
	! vireo exec 101 test -e /sys/class/net/eth2
	vireo restart 101
	link_exists "${VPFX}101.0"
	vireo set 101 --netif_del all --save >/dev/null
	! grep -q '^NETIF=' "$VIREO_ROOT/conf/101.conf"
	! vireo exec 101 test -e /sys/class/net/eth1
	! vireo exec 101 test -e /sys/class/net/eth2
	! link_exists "vt-$$-h1"
	# With its interfaces gone, the addresses moved to an implicit eth0 on the bridge.
	[ "$(ips 101)" = "$NET.11/24 eth0" ]
	[ "$(cat /sys/class/net/"${VPFX}101.0"/master/ifindex)" = "$(cat /sys/class/net/"$BR"/ifindex)" ]
	vireo stop 101
	[ -z "$(our_links | grep -vx -e "$BR" -e "$USERBR")" ]
}

@test "nameserver and searchdomain land in the container's /etc/resolv.conf" {
	printf 'options ndots:2\nnameserver 192.0.2.99\n' > "$VIREO_ROOT/private/101/etc/resolv.conf"
	vireo set 101 --nameserver 192.0.2.53 --nameserver 2001:db8::53 --searchdomain example.org --save >/dev/null
	grep -qx 'NAMESERVER="192.0.2.53 2001:db8::53"' "$VIREO_ROOT/conf/101.conf"
	grep -qx 'SEARCHDOMAIN="example.org"' "$VIREO_ROOT/conf/101.conf"
	vireo start 101
	[ "$(vireo exec 101 cat /etc/resolv.conf)" = "$(printf '%s\n' 'search example.org' \
		'nameserver 192.0.2.53' 'nameserver 2001:db8::53' 'options ndots:2')" ]
	# Live, not saved: the file changes, the configuration does not.
	vireo set 101 --nameserver 198.51.100.1 >/dev/null
	vireo exec 101 grep -qx 'nameserver 198.51.100.1' /etc/resolv.conf
	grep -qx 'NAMESERVER="192.0.2.53 2001:db8::53"' "$VIREO_ROOT/conf/101.conf"
	# At start the configuration is written again.
	vireo restart 101
	vireo exec 101 grep -qx 'nameserver 192.0.2.53' /etc/resolv.conf
	! vireo exec 101 grep -q 198.51.100.1 /etc/resolv.conf
	# A symlink planted inside cannot steer the write out of the container.
	vireo stop 101
	rm "$VIREO_ROOT/private/101/etc/resolv.conf"
	ln -s /etc/vireo-net-test-escape "$VIREO_ROOT/private/101/etc/resolv.conf"
	run vireo set 101 --nameserver 192.0.2.1 --save
	[ ! -e /etc/vireo-net-test-escape ]
	rm -f /etc/vireo-net-test-escape
}

@test "stop, destroy and a crashed supervisor leave no links; the bridge goes with the last container" {
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	vireo set 102 --ipadd "$NET.12" --netif_add eth1 --save >/dev/null
	vireo start 101
	vireo start 102
	link_exists "${VPFX}101.0"
	link_exists "${VPFX}102.0"
	# eth1 is 102's primary interface: no implicit eth0 beside it.
	! link_exists "${VPFX}102.1"
	[ "$(ips 102)" = "$NET.12/24 eth1" ]
	# A live-only interface is removed by stop too.
	vireo set 101 --netif_add eth5 >/dev/null
	link_exists "${VPFX}101.1"
	vireo stop 101
	! link_exists "${VPFX}101.0"
	! link_exists "${VPFX}101.1"
	# A supervisor killed outright: the container dies with it, and its veth with its namespace.
	sup=$(sed -n 's/^SUPERVISOR_PID="\{0,1\}\([0-9]*\)"\{0,1\}$/\1/p' "$VIREO_ROOT/run/102/state")
	[ -n "$sup" ]
	kill -9 "$sup"
	wait_for 100 sh -c "! ip link show ${VPFX}102.0"
	vireo start 102
	link_exists "${VPFX}102.0"
	vireo stop 102
	[ "$(our_links)" = "$BR" ]
	# The bridge stays while a container still has network in its configuration...
	vireo destroy 101
	link_exists "$BR"
	# ...and goes with the last one.
	vireo destroy 102
	! link_exists "$BR"
	[ -z "$(our_links)" ]
}

@test "without BRIDGE_ADDRESS an instance gets a /24 of its own, named in the refusal" {
	rm "$VIREO_ROOT/vireo.conf"
	run --separate-stderr vireo set 101 --ipadd 192.0.2.200 --save
	[ "$status" -ne 0 ]
	[[ "$stderr" =~ "is not in the subnet of bridge $BR (10."[0-9]+"."[0-9]+".1/24)" ]]
	sub=$(echo "$stderr" | sed -n 's/.*(\(10\.[0-9]*\.[0-9]*\)\.1\/24).*/\1/p')
	[ -n "$sub" ]
	# (a host that happens to use it would be refused at start with a clear message)
	if ! ip -4 -o addr show | grep -q " $sub\."; then
		vireo set 101 --ipadd "$sub.11" --save >/dev/null
		vireo start 101
		ip -4 addr show dev "$BR" | grep -q "inet $sub.1/24"
		vireo exec 101 ping -c 1 -W 3 "$sub.1"
	fi
}

@test "a subnet that overlaps a host interface is refused when the bridge is made" {
	echo 'BRIDGE_ADDRESS="127.0.10.1/24"' > "$VIREO_ROOT/vireo.conf"
	vireo set 101 --ipadd 127.0.10.5 --save >/dev/null
	run vireo start 101
	[ "$status" -ne 0 ]
	[[ "$output" == *"the subnet overlaps lo (127.0.0.1/8)"* ]]
	! link_exists "$BR"
	! link_exists "${VPFX}101.0"
}

@test "bad network input: one line, non-zero exit, nothing changed" {
	vireo set 102 --ipadd "$NET.12" --save >/dev/null
	long=$(printf 'e%.0s' {1..16})
	while IFS='|' read -r needle args; do
		[ -n "$needle" ] || continue
		eval "set -- $args"
		refuse "$needle" vireo set 101 "$@" --save
	done <<EOF
invalid --ipadd address '$NET.300'|--ipadd $NET.300
invalid --ipadd address '$NET'|--ipadd $NET
invalid --ipadd address ''|--ipadd ''
invalid --ipadd address 'abc'|--ipadd abc
invalid --ipadd address '$NET.5 '|--ipadd '$NET.5 '
the prefix must be a number from 1 to 32|--ipadd $NET.5/33
the prefix must be a number from 1 to 32|--ipadd $NET.5/0
the prefix must be a number from 1 to 32|--ipadd $NET.5/
the prefix must be a number from 1 to 32|--ipadd $NET.5/x
the prefix must be a number from 1 to 32|--ipadd $NET.5/024
only IPv4 addresses are supported|--ipadd 2001:db8::1
is not in the subnet of bridge $BR ($GW/24)|--ipadd 10.9.9.9
is the gateway, network or broadcast address|--ipadd $GW
is the gateway, network or broadcast address|--ipadd $NET.0
is the gateway, network or broadcast address|--ipadd $NET.255
container 101 already has address $NET.7|--ipadd $NET.7 --ipadd $NET.7
address $NET.12 is already used by container 102|--ipadd $NET.12
container 101 has no address $NET.8|--ipdel $NET.8
invalid --ipdel address 'x'|--ipdel x
invalid --nameserver 'nope'|--nameserver nope
invalid --nameserver '1.2.3.4.5'|--nameserver 1.2.3.4.5
invalid --searchdomain 'a..b'|--searchdomain a..b
invalid --searchdomain 'x y'|--searchdomain 'x y'
invalid interface name ''|--netif_add ''
invalid interface name 'a/b'|--netif_add a/b
invalid interface name '$long'|--netif_add $long
invalid interface name '..'|--netif_add ..
invalid MAC address 'zz:11:22:33:44:55'|--netif_add eth1,zz:11:22:33:44:55
invalid MAC address '02:11:22:33:44'|--netif_add eth1,02:11:22:33:44
invalid MAC address '01:00:5e:00:00:01': not a unicast|--netif_add eth1,01:00:5e:00:00:01
invalid MAC address '00:00:00:00:00:00': not a unicast|--netif_add eth1,00:00:00:00:00:00
invalid host MAC address 'x'|--netif_add eth1,,,x
invalid host interface name 'h/1'|--netif_add eth1,,h/1
invalid bridge name '$long'|--netif_add eth1,,,,$long
expected NAME[,MAC,HOST_IFNAME,HOST_MAC,BRIDGE]|--netif_add eth1,,,,,x
container 101 already has interface eth1|--netif_add eth1 --netif_add eth1
container 101 has no interface eth9|--netif_del eth9
invalid --netif_del interface name 'a b'|--netif_del 'a b'
EOF
	# Not running and no --save
	refuse "container 101 is not running: add --save" vireo set 101 --ipadd "$NET.5"
	# A broken BRIDGE_ADDRESS
	for bad in 10.1.1.1 10.1.1.1/31 10.1.1/24 x; do
		echo "BRIDGE_ADDRESS=\"$bad\"" > "$VIREO_ROOT/vireo.conf"
		refuse "BRIDGE_ADDRESS" vireo set 101 --ipadd 10.1.1.5 --save
	done
	echo "BRIDGE_ADDRESS=\"$GW/24\"" > "$VIREO_ROOT/vireo.conf"
	# A corrupted IP_ADDRESS in a configuration stops the start with one line.
	sed -i "s|^IP_ADDRESS=.*|IP_ADDRESS=\"$NET.12/99\"|" "$VIREO_ROOT/conf/102.conf"
	run vireo start 102
	[ "$status" -ne 0 ]
	[[ "$output" == *"IP_ADDRESS"* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "a container sees only its own end of the pair and cannot reach the host's" {
	vireo create 103 --userns no >/dev/null
	vireo set 101 --ipadd "$NET.11" --save >/dev/null
	vireo set 103 --ipadd "$NET.13" --save >/dev/null
	vireo start 101
	vireo start 103
	for id in 101 103; do
		# Only lo and eth0 exist inside: no host end, no bridge, no other container's end.
		[ "$(vireo exec "$id" ls /sys/class/net | sort | tr '\n' ' ')" = "eth0 lo " ]
		! vireo exec "$id" ip link set "${VPFX}$id.0" down
		! vireo exec "$id" ip link set "$BR" down
		# Moving its end to "the host" lands it in its own namespace: pid 1 is its own init.
		vireo exec "$id" ip link set eth0 netns 1 || true
		vireo exec "$id" test -e /sys/class/net/eth0
	done
	# The host ends are untouched: up, on the bridge.
	for id in 101 103; do
		[ "$(cat /sys/class/net/"${VPFX}$id.0"/master/ifindex)" = "$(cat /sys/class/net/"$BR"/ifindex)" ]
		ip link show "${VPFX}$id.0" | grep -q "state UP"
	done
	ip link show "$BR" | grep -q "<.*UP.*>"
	vireo exec 101 ping -c 1 -W 3 "$NET.13"
}
