# shellcheck shell=sh
# Offloads, VLAN, jumbo frames, interrupt moderation, ethtool, netconsole
# and power management, one TAP scenario each. Booted by scripts/vm.py with
# --injector (peers answering ARP and ping at 10.0.9.2, and at 10.0.100.2
# on VLAN 100), --services (a TCP sink and a netconsole listener) and
# --pcap (nic0's capture, in which the host checks the TSO segments:
# scripts/frames.py check-tso).
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

SINK=$(kernel_arg e1ktest.sink)
NETCONSOLE_PORT=$(kernel_arg e1ktest.netconsole)
PEER=10.0.9.2			# answers on the wire itself (frames.py)
PEER_MAC=02:00:00:00:09:02
VLAN_PEER=10.0.100.2
BLOB=/tmp/blob

guest_setup

estat() { ethstat eth0 "$1"; }
feature() { ethtool -k eth0 | sed -n "s/^$1: \([a-z]*\).*/\1/p"; }

ping_peer() {	# ping_peer COUNT ADDR [ARGS...]
	local count=$1 addr=$2
	shift 2
	ping_to "$addr" "$count" "$@"
}

load_up() {
	e1k_load && eth0_up || return 1
	ip addr add 10.0.9.1/24 dev eth0
	# guest_setup turned IPv6 off by default; eth0 needs it
	echo 0 > /proc/sys/net/ipv6/conf/eth0/accept_dad
	echo 0 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6
	ip -6 addr add fec0::15/64 dev eth0
	dd if=/dev/urandom of=$BLOB bs=64k count=64 2> /dev/null
	BLOB_SUM="$(wc -c < $BLOB) $(sha256sum $BLOB | cut -d' ' -f1)"
	ping_all 3
}

tso6_state() { ethtool -k eth0 | sed -n 's/^[[:space:]]*tx-tcp6-segmentation: //p'; }

offloads_advertised() {
	log "sg $(feature scatter-gather), tx-csum $(feature tx-checksumming), tso $(feature tcp-segmentation-offload), tso6 $(tso6_state), rx-csum $(feature rx-checksumming)"
	[ "$(feature scatter-gather)" = on ] &&
		[ "$(feature tx-checksumming)" = on ] &&
		[ "$(feature tcp-segmentation-offload)" = on ] &&
		[ "$(tso6_state)" = off ] &&
		[ "$(feature rx-checksumming)" = off ]
}

# send_blob ADDR: the 4 MiB blob over TCP to the host's sink, which must
# get every byte intact: slirp's TCP/IP stack drops a segment whose
# checksum is wrong, so a good digest proves the device's checksums and
# segmentation right. A first line tags the connection; the host answers
# for that one (nc -w bounds only the connect).
send_blob() {
	local tag got
	tag=$(cut -c1-8 /proc/sys/kernel/random/uuid)
	{ echo "$tag"; cat $BLOB; } | timeout 120 nc -w 10 "$1" "$SINK" ||
		{ log "nc $1 failed"; return 1; }
	got=$(request 30 sink "$tag") || return 1
	[ "$got" = "$BLOB_SUM" ] || { log "sink got '$got', sent '$BLOB_SUM'"; return 1; }
}

# counter_moved TEST NAME COMMAND...: COMMAND succeeds, and ethtool's NAME
# after it compares to NAME before it by TEST (-gt: grew, =: kept).
counter_moved() {
	local test=$1 name=$2 before after
	shift 2
	before=$(estat "$name")
	"$@" || return 1
	after=$(estat "$name")
	log "$*: $name $before -> $after"
	[ "$after" "$test" "$before" ]
}

counter_grew() { counter_moved -gt "$@"; }
counter_kept() { counter_moved = "$@"; }

# counter_reached NAME VALUE: ethtool's NAME is at least VALUE. The
# device's counters (hw_*) are read from it when ethtool asks; a bounded
# poll also covers a driver that folds them in every 2 s.
counter_reached() { [ "$(estat "$1")" -ge "$2" ]; }

# counter_exact NAME VALUE: wait (up to 5 s) until NAME reaches VALUE,
# then it must be VALUE exactly.
counter_exact() {
	wait_for 5 counter_reached "$1" "$2"
	[ "$(estat "$1")" = "$2" ] ||
		{ log "$1 is $(estat "$1"), expected $2"; return 1; }
}

# One TCP/IPv4 frame of TSO_BYTES payload bytes, segmentation asked for
# at TSO_MSS (gsosend -4), to the peer from source port $1. The host
# checks its segments in nic0's capture (scripts/frames.py check-tso:
# TSO_FRAMES, TSO_BYTES and TSO_MSS there match these).
TSO_BYTES=60000
TSO_MSS=1448
gso4_send() {
	gsosend -4 -p "$1" eth0 $PEER_MAC 10.0.9.1 $PEER $TSO_BYTES $TSO_MSS
}

# "tso on" turns TSO6 on too: back to the default, TSO6 off (QEMU's
# model writes bad IPv6 segments, see tso6_contexts).
tso_default() {
	ethtool -K eth0 tso on && ethtool -K eth0 tx-tcp6-segmentation off &&
		[ "$(feature tcp-segmentation-offload)" = on ] &&
		[ "$(tso6_state)" = off ]
}

# segments_sent TX0 BYTES MSS: wait until tx_packets has counted, from
# TX0, the segments of a BYTES frame cut at MSS.
segments_sent() {
	wait_for 5 tx_reached eth0 $(($1 + ($2 + $3 - 1) / $3)) ||
		{ log "tx_packets $1 -> $(stat_of eth0 tx_packets)"; return 1; }
}

# With tso on the frame reaches the driver whole: one TSO frame, one TSO
# context in the device. With tso off the stack segments it and the
# driver sees none (the segments are all sent before tso goes back on).
# The blob then crosses TCP to the host intact.
tso_ipv4() {
	local tso0 ctx0 tx0 tso1 ctx1
	tso0=$(estat tx_queue_0_tso) ctx0=$(estat hw_tx_tso_contexts)
	gso4_send 40004 || return 1
	counter_exact tx_queue_0_tso $((tso0 + 1)) &&
		counter_exact hw_tx_tso_contexts $((ctx0 + 1)) || return 1
	ethtool -K eth0 tso off || return 1
	tso1=$(estat tx_queue_0_tso) ctx1=$(estat hw_tx_tso_contexts)
	tx0=$(stat_of eth0 tx_packets)
	gso4_send 40005 && segments_sent "$tx0" $TSO_BYTES $TSO_MSS ||
		{ tso_default; return 1; }
	tso_default || return 1
	log "tx_queue_0_tso $tso0 -> $tso1 (tso on) -> $(estat tx_queue_0_tso) (off), hw_tx_tso_contexts $ctx0 -> $ctx1 -> $(estat hw_tx_tso_contexts)"
	[ "$(estat tx_queue_0_tso)" = "$tso1" ] &&
		counter_exact hw_tx_tso_contexts "$ctx1" && send_blob 10.0.2.2
}

tcp_ipv6() { counter_kept tx_queue_0_tso send_blob fec0::2; }

# QEMU 7.2's model writes each IPv6 segment's payload length 40 bytes too
# long (see e1k_netdev_setup()), so data integrity cannot be checked over
# TCP. gsosend hands the stack one 20000-byte TCP/IPv6 frame marked for
# segmentation at 1400 bytes: with tx-tcp6-segmentation off the stack cuts
# it up and the driver sees no TSO frame; on, the driver gets it whole and
# writes an IPv6 segmentation context: the device's TSCTC count
# (hw_tx_tso_contexts) grows by one for it.
tso6_contexts() {
	local tso0 ctx0 tso1 ctx1 tso2 ctx2 tx0
	tso0=$(estat tx_queue_0_tso) ctx0=$(estat hw_tx_tso_contexts)
	tx0=$(stat_of eth0 tx_packets)
	gsosend eth0 $SLIRP_MAC fec0::15 fec0::2 20000 1400 &&
		segments_sent "$tx0" 20000 1400 || return 1
	tso1=$(estat tx_queue_0_tso) ctx1=$(estat hw_tx_tso_contexts)
	ethtool -K eth0 tx-tcp6-segmentation on || return 1
	gsosend eth0 $SLIRP_MAC fec0::15 fec0::2 20000 1400 ||
		{ ethtool -K eth0 tx-tcp6-segmentation off; return 1; }
	ethtool -K eth0 tx-tcp6-segmentation off
	counter_exact hw_tx_tso_contexts $((ctx1 + 1)) || return 1
	tso2=$(estat tx_queue_0_tso) ctx2=$(estat hw_tx_tso_contexts)
	log "tx_queue_0_tso $tso0 -> $tso1 (TSO6 off) -> $tso2 (on), hw_tx_tso_contexts $ctx0 -> $ctx1 -> $ctx2"
	[ "$tso1" = "$tso0" ] && [ "$ctx1" = "$ctx0" ] &&
		[ "$tso2" = $((tso1 + 1)) ]
}
csum_offload() { counter_grew tx_queue_0_csum send_blob 10.0.2.2; }

# With an offload turned off the stack segments or checksums in software.
gso_fallback() {
	local tso0
	ethtool -K eth0 tso off || return 1
	counter_kept tx_queue_0_tso send_blob 10.0.2.2 &&
		counter_kept tx_queue_0_tso send_blob fec0::2 || return 1
	ethtool -K eth0 tx off || return 1
	counter_kept tx_queue_0_csum send_blob 10.0.2.2 || return 1
	ethtool -K eth0 tx on sg on && tso_default || return 1
	tso0=$(estat tx_queue_0_tso)
	gso4_send 40006 && counter_exact tx_queue_0_tso $((tso0 + 1)) &&
		send_blob 10.0.2.2
}

vlan_ping() {
	# Debian's 8021q needs its GARP/MRP stack; the debug kernel's does not.
	[ -e /sys/module/8021q ] || for m in llc stp garp mrp 8021q; do
		[ -f /lib/modules/$m.ko ] || [ $m = 8021q ] || continue
		insmod /lib/modules/$m.ko || return 1
	done
	vconfig add eth0 100 > /dev/null || return 1
	ip addr add 10.0.100.1/24 dev eth0.100
	ip link set eth0.100 up
	log "rx-vlan-offload $(feature rx-vlan-offload), tx-vlan-offload $(feature tx-vlan-offload), rx-vlan-filter $(feature rx-vlan-filter)"
	ping_peer 5 $VLAN_PEER && ping_peer 3 $VLAN_PEER -s 1400 &&
		[ "$(stat_of eth0.100 rx_packets)" -ge 8 ]
}

# inject_rx KIND COUNT VID: how many of COUNT frames of KIND eth0
# received from the injector (rxcount), and how many of those on VLAN VID.
inject_rx() {
	rx_begin eth0 || return 1
	inject "$1" "$2" || { rx_end; return 1; }
	rx_end || return 1
	echo "$RX_FRAMES $(rx_vlan "$3")"
}

# The VLAN filter table passes VLAN 100 (eth0.100) and drops VLAN 200,
# until filtering is turned off. Toggling the filter writes RCTL: QEMU
# holds receive for a second, which the barrier after the frames waits
# out.
vlan_filter() {
	local v100 v200 v200_open
	v100=$(inject_rx vlan100 50 100) && v200=$(inject_rx vlan200 50 200) &&
		ethtool -K eth0 rx-vlan-filter off &&
		v200_open=$(inject_rx vlan200 50 200) &&
		ethtool -K eth0 rx-vlan-filter on || return 1
	log "received (all, on the VLAN): VLAN 100 $v100 of 50, VLAN 200 $v200 (filter on), $v200_open (off)"
	[ "$v100" = "50 50" ] && [ "$v200" = "0 0" ] &&
		[ "$v200_open" = "50 50" ] && ping_peer 3 $VLAN_PEER
}

mtu_bounds() {
	local ok=1
	ip link set eth0 mtu 67 2> /dev/null && { log "MTU 67 accepted"; ok=0; }
	ip link set eth0 mtu 16111 2> /dev/null && { log "MTU 16111 accepted"; ok=0; }
	ip link set eth0 mtu 68 && [ "$(sysval eth0 mtu)" = 68 ] || ok=0
	ip link set eth0 mtu 16110 && [ "$(sysval eth0 mtu)" = 16110 ] || ok=0
	ip link set eth0 mtu 1500
	[ $ok = 1 ] && link_ready eth0 && ping_all 3
}

# Frames longer than a 2 KiB buffer span descriptors on receive.
jumbo() {
	local mtu size
	for mtu in 9000 16110; do
		ip link set eth0 mtu $mtu && link_ready eth0 || return 1
		size=$((mtu - 28))
		ping_peer 3 $PEER -s $size || { log "MTU $mtu, $size-byte pings"; return 1; }
		log "MTU $mtu: 3 pings of $size bytes answered"
	done
	ip link set eth0 mtu 1500 && link_ready eth0 &&
		ping_all 3 && ping_peer 3 $PEER -s 1472
}

coalesce() {
	local usecs
	usecs=$(ethtool -c eth0 | sed -n 's/^rx-usecs: *//p')
	log "default rx-usecs $usecs"
	ethtool -C eth0 rx-usecs 100 &&
		[ "$(ethtool -c eth0 | sed -n 's/^rx-usecs: *//p')" = 100 ] &&
		! ethtool -C eth0 rx-usecs 20000 2> /dev/null &&
		ethtool -C eth0 rx-usecs "$usecs" && ping_all 3
}

ring_of() { ethtool -g eth0 | sed -n "/^Current/,\$s/^$1:[[:space:]]*//p"; }

# Resized live, while pings run; bad sizes rejected.
ringparam() {
	local pid n ok=1
	ping -i 0.02 -q "$GW" > /dev/null 2>&1 &
	pid=$!
	for n in 80 4096 1000 256; do
		ethtool -G eth0 rx $n tx $n || ok=0
		[ "$(ring_of RX)" = $n ] && [ "$(ring_of TX)" = $n ] || ok=0
	done
	ethtool -G eth0 rx 79 2> /dev/null && { log "79 accepted"; ok=0; }
	ethtool -G eth0 tx 4097 2> /dev/null && { log "4097 accepted"; ok=0; }
	ethtool -G eth0 rx 100 && [ "$(ring_of RX)" = 104 ] || ok=0
	ethtool -G eth0 rx 256 || ok=0
	kill $pid
	wait $pid
	log "rings: RX $(ring_of RX), TX $(ring_of TX)"
	[ $ok = 1 ] && link_ready eth0 && ping_all 5
}

stats_dumps() {
	local eeprom mac
	log "$(ethtool -S eth0 | grep -c ':') counters; hw_rx_good_packets $(estat hw_rx_good_packets), tx_queue_0_packets $(estat tx_queue_0_packets)"
	[ "$(estat hw_rx_good_packets)" -gt 0 ] &&
		[ "$(estat tx_queue_0_packets)" -gt 0 ] || return 1
	[ "$(ethtool -d eth0 | wc -l)" -gt 2 ] || { log "no register dump"; return 1; }
	eeprom=$(ethtool -e eth0 | sed -n 's/^0x0000:[[:space:]]*//p')
	mac=$(echo "$eeprom" | cut -d' ' -f1-6 | tr ' ' ':')
	log "EEPROM 0x0000: $eeprom"
	[ "$mac" = "$MAC0" ]
}

link_settings() {
	local out
	out=$(ethtool eth0)
	echo "$out" | grep -q 'Speed: 1000Mb/s' &&
		echo "$out" | grep -q 'Auto-negotiation: on' || { echo "$out" | sed 's/^/# /'; return 1; }
	ethtool -s eth0 advertise 0x008 || return 1
	out=$(ethtool eth0 | sed -n '/Advertised link modes/,/Advertised pause/p')
	log "advertising: $(echo "$out" | head -n 1)"
	ethtool -s eth0 advertise 0x02f || return 1
	echo "$out" | grep -q '100baseT/Full' &&
		! echo "$out" | grep -q '1000baseT/Full' || return 1
	link_ready eth0 && ping_all 3
}

msglevel() {
	local level
	level=$(ethtool eth0 | sed -n 's/.*Current message level: *\(0x[0-9a-f]*\).*/\1/p')
	ethtool -s eth0 msglvl 0x2005 &&
		ethtool eth0 | grep -q 'Current message level: *0x00002005' || return 1
	log "default message level $level"
	ethtool -s eth0 msglvl "$level"
}

nway_reset() {
	dmesg -c >> /tmp/kernel.log
	ethtool -r eth0 || return 1
	wait_for 10 carrier_is eth0 0 || { log "no link drop"; return 1; }
	link_ready eth0 && ping_all 3
}

pauseparam() {
	local out
	ethtool -A eth0 autoneg off rx off tx off || return 1
	out=$(ethtool -a eth0)
	ethtool -A eth0 autoneg on rx on tx on || return 1
	echo "$out" | grep -q 'RX:[[:space:]]*off' &&
		echo "$out" | grep -q 'TX:[[:space:]]*off' &&
		ethtool -a eth0 | grep -q 'Autonegotiate:[[:space:]]*on' &&
		link_ready eth0 && ping_all 3
}

self_test() {
	local out
	out=$(ethtool -t eth0 offline)
	echo "$out" | sed 's/^/# /'
	echo "$out" | grep -q 'The test result is PASS' &&
		link_ready eth0 && ping_all 3
}

netconsole() {
	local marker seen
	marker="e1k-netconsole-$(date +%s)"
	insmod /lib/modules/configfs.ko 2> /dev/null
	insmod /lib/modules/netconsole.ko \
		netconsole="6665@$IP/eth0,$NETCONSOLE_PORT@$GW/$SLIRP_MAC" ||
		return 1
	echo "<4>$marker" > /dev/kmsg
	seen=$(request 30 netconsole "$marker")
	rmmod netconsole
	log "host listener saw '$marker': $seen"
	[ "$seen" = yes ]
}

# Suspend and resume the devices (pm_test stops there) under s2idle: the
# kernel must report the suspend entered and left, and count it a success.
SUSPEND_STATS=/sys/power/suspend_stats/success
suspend_resume() {
	local ok0 ok1
	[ -w /sys/power/pm_test ] || { echo "no /sys/power/pm_test"; return $SKIP; }
	ok0=$(cat $SUSPEND_STATS 2>/dev/null)
	dmesg -c >> /tmp/kernel.log
	echo devices > /sys/power/pm_test &&
		echo freeze > /sys/power/state || return 1
	echo none > /sys/power/pm_test
	ok1=$(cat $SUSPEND_STATS 2>/dev/null)
	dmesg | grep -E 'PM: suspend (entry|exit)|e1k' | sed 's/^/# /'
	log "suspend_stats/success ${ok0:-?} -> ${ok1:-?}"
	dmesg | grep -q 'PM: suspend entry' &&
		dmesg | grep -q 'PM: suspend exit' || return 1
	[ -z "$ok0" ] || [ "$ok1" = $((ok0 + 1)) ] || return 1
	link_ready eth0 && ping_all 5 && send_blob 10.0.2.2
}

tap_plan 22
t "insmod, eth0 up, ping" load_up
t "SG, TX checksum and TSO advertised; RX checksum not (QEMU lacks it)" offloads_advertised
t "TSO over IPv4: a GSO frame reaches the device whole (tso on) or not (off); 4 MiB to the host intact" tso_ipv4
t "TCP over IPv6 (TSO6 off by default): 4 MiB to the host intact" tcp_ipv6
t "TSO6 on request: an IPv6 GSO frame reaches the device whole" tso6_contexts
t "TX checksum offload used" csum_offload
t "ethtool -K tso/tx off: software fallback, data intact" gso_fallback
t "VLAN 100 sub-interface pings a tagged peer" vlan_ping
t "VLAN filter table: 100 passes, 200 dropped until filtering is off" vlan_filter
t "MTU 68..16110 accepted, 67 and 16111 rejected" mtu_bounds
t "jumbo pings at MTU 9000 and 16110" jumbo
t "ethtool -C rx-usecs set, read back, bad value rejected" coalesce
t "ethtool -G resize under traffic, bad sizes rejected" ringparam
t "ethtool -S counters, -d register dump, -e EEPROM holds the MAC" stats_dumps
t "ethtool link settings: 1000/full autoneg, advertise change" link_settings
t "ethtool msglvl set and read back" msglevel
t "ethtool -r restarts autonegotiation" nway_reset
t "ethtool -A/-a pause parameters" pauseparam
t "ethtool -t offline self-test passes, ping after" self_test
t "netconsole delivers a kernel message to the host" netconsole
t "suspend/resume (pm_test devices): ping and TCP after" suspend_resume
t "final rmmod removes both interfaces" final_unload
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
