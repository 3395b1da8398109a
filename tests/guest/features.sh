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

# feature_state NAME: "on", "off [fixed]"...: NAME's line of ethtool -k.
feature_state() { ethtool -k eth0 | sed -n "s/^[[:space:]]*$1: //p"; }

# No TSO6 (upstream offers it on no 8254x), and no HIGHDMA: the DMA mask
# is 32 bits on a conventional PCI bus (tests/guest/suite.sh checks it).
offloads_advertised() {
	log "sg $(feature scatter-gather), tx-csum $(feature tx-checksumming), tso $(feature tcp-segmentation-offload), tso6 $(feature_state tx-tcp6-segmentation), rx-csum $(feature rx-checksumming), highdma $(feature_state highdma)"
	[ "$(feature scatter-gather)" = on ] &&
		[ "$(feature tx-checksumming)" = on ] &&
		[ "$(feature tcp-segmentation-offload)" = on ] &&
		[ "$(feature_state tx-tcp6-segmentation)" = "off [fixed]" ] &&
		[ "$(feature rx-checksumming)" = off ] &&
		[ "$(feature_state highdma)" = "off [fixed]" ]
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
counter_reached() { counter_reached_of eth0 "$1" "$2"; }
counter_reached_of() { [ "$(ethstat "$1" "$2")" -ge "$3" ]; }

# counter_exact NAME VALUE: wait (up to 5 s) until NAME reaches VALUE,
# then it must be VALUE exactly.
counter_exact() {
	wait_for 5 counter_reached "$1" "$2"
	[ "$(estat "$1")" = "$2" ] ||
		{ log "$1 is $(estat "$1"), expected $2"; return 1; }
}

# One TCP/IPv4 frame of TSO_BYTES payload bytes, segmentation asked for
# at MSS $2 (default TSO_MSS; gsosend -4), to the peer from source port
# $1. The host checks its segments in nic0's capture (scripts/frames.py
# check-tso: TSO_FRAMES and TSO_BYTES there match these).
TSO_BYTES=60000
TSO_MSS=1448
gso4_send() {
	gsosend -4 -p "$1" eth0 $PEER_MAC 10.0.9.1 $PEER $TSO_BYTES "${2:-$TSO_MSS}"
}

tso_default() {
	ethtool -K eth0 tso on && [ "$(feature tcp-segmentation-offload)" = on ]
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

# A small MSS: the device takes at most 4 x MSS bytes per descriptor
# (2 KiB at MSS 536, a power of two). At 536 the frame still takes no
# more descriptors than e1k keeps free for one, and the device segments
# it; at 100 it would take about 150, and the stack segments it. The host
# checks both on the wire (ports 40007 and 40008).
tso_small_mss() {
	local tso0 ctx0 tx0
	tso0=$(estat tx_queue_0_tso) ctx0=$(estat hw_tx_tso_contexts)
	gso4_send 40007 536 || return 1
	counter_exact tx_queue_0_tso $((tso0 + 1)) &&
		counter_exact hw_tx_tso_contexts $((ctx0 + 1)) || return 1
	tx0=$(stat_of eth0 tx_packets)
	gso4_send 40008 100 && segments_sent "$tx0" $TSO_BYTES 100 || return 1
	log "tx_queue_0_tso $tso0 -> $(estat tx_queue_0_tso), hw_tx_tso_contexts $ctx0 -> $(estat hw_tx_tso_contexts) (MSS 536, then 100)"
	[ "$(estat tx_queue_0_tso)" = $((tso0 + 1)) ] &&
		counter_exact hw_tx_tso_contexts $((ctx0 + 1))
}

# IPv6 TCP is segmented by the stack: the driver sees no TSO frame.
tcp_ipv6() { counter_kept tx_queue_0_tso send_blob fec0::2; }

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

# Promiscuous mode turns VLAN filtering off: 200 frames tagged VLAN 123,
# which nothing here has, to a foreign MAC, all arrive with promisc on and
# none with it off. VLAN 100 is in use, so the filter is on otherwise.
promisc_vlan() {
	local off on
	off=$(inject_rx vlan123-foreign 200 123) &&
		ip link set eth0 promisc on && rx_resumed &&
		on=$(inject_rx vlan123-foreign 200 123) || return 1
	ip link set eth0 promisc off && rx_resumed || return 1
	log "200 frames on VLAN 123 to a foreign MAC, received (all, on the VLAN): $off with promisc off, $on on"
	[ "$off" = "0 0" ] && [ "$on" = "200 200" ]
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

# reg OFFSET: a register as 8 hex digits, from e1k's dump (ethtool -d:
# pairs of 32-bit words, offset then value).
reg() {
	ethtool -d eth0 raw on | hexdump -v -e '2/4 "%08x " "\n"' |
		awk -v o="$(printf %08x "$1")" '$1 == o { print $2 }'
}

# buffer_split MTU RX_KIB: at MTU, the packet buffer gives receive
# RX_KIB. QEMU models PBA but not the flow control thresholds (FCRTH and
# FCRTL read 0 whatever is written), which e1k derives from it and the
# largest frame: logged, not asserted.
buffer_split() {
	local pba
	ip link set eth0 mtu "$1" && link_ready eth0 || return 1
	pba=$(reg 0x1000)
	log "MTU $1: PBA $pba (expected $2 KiB), FCRTH $(reg 0x2168), FCRTL $(reg 0x2160)"
	[ -n "$pba" ] && [ $((0x$pba & 0xffff)) = "$2" ]
}

# Above 8 KiB frames, transmit gets 24 KiB of the 64 instead of 16.
packet_buffer() {
	local ok=1
	buffer_split 1500 48 && buffer_split 9000 40 &&
		buffer_split 16110 40 && buffer_split 1500 48 || ok=0
	ip link set eth0 mtu 1500
	[ $ok = 1 ] && link_ready eth0 && ping_all 3
}

phy() { miireg eth0 "$@"; }

# The M88 PHY's setup: CRS asserted on transmit (PSCR bit 11), polarity
# correction on (bit 1 clear), automatic MDI/MDI-X crossover (bits 6:5 =
# 11) while negotiating, MDI (00) and the PHY reset with a forced speed;
# for this early revision the TX clock at 25 MHz (EPSCR bits 6:4 = 111)
# and downshift after one try (bits 11:8 = 0001). QEMU keeps what is
# written and acts on none of it.
phy_setup() {
	local pscr epscr forced bmcr auto ok=1
	pscr=$(phy 0x10) epscr=$(phy 0x14) || return 1
	ethtool -s eth0 autoneg off speed 100 duplex full || return 1
	forced=$(phy 0x10) bmcr=$(phy 0)
	ethtool -s eth0 autoneg on advertise 0x02f || ok=0
	auto=$(phy 0x10)
	log "PSCR $pscr, EPSCR $epscr; forced 100/full: PSCR $forced, BMCR $bmcr; autoneg again: PSCR $auto"
	[ $ok = 1 ] && [ $((0x$pscr & 0x0862)) = $((0x0860)) ] &&
		[ $((0x$epscr & 0x0f70)) = $((0x0170)) ] &&
		[ $((0x$forced & 0x0862)) = $((0x0800)) ] &&
		[ $((0x$bmcr & 0x3140)) = $((0x2100)) ] &&
		[ $((0x$auto & 0x0862)) = $((0x0860)) ] &&
		link_ready eth0 && ping_all 3
}

pause_adv() { echo $((0x$(phy 4) & 0x0c00)); }

eth0_down_up() {
	ip link set eth0 down && ip link set eth0 up && link_ready eth0 &&
		{ ip route add default via "$GW" 2>/dev/null; true; }
}

# Every link setup (here the one of open) advertises the pause settings of
# ethtool -A: none after "rx off tx off", symmetric pause (0x0400) after
# "rx on tx on".
pause_advertised() {
	local off off_up on on_up
	ethtool -A eth0 autoneg on rx off tx off && link_ready eth0 &&
		off=$(pause_adv) && eth0_down_up && off_up=$(pause_adv) &&
		ethtool -A eth0 autoneg on rx on tx on && link_ready eth0 &&
		on=$(pause_adv) && eth0_down_up && on_up=$(pause_adv) ||
		return 1
	log "pause bits advertised: $off, after down/up $off_up (rx off tx off); $on, $on_up (rx on tx on)"
	[ "$off" = 0 ] && [ "$off_up" = 0 ] && [ "$on" = 1024 ] &&
		[ "$on_up" = 1024 ] && ping_all 3
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

# What the self-test must leave as it was: rings, interrupt moderation,
# pause, features, and the PHY's advertisement and crossover settings.
settings() {
	ethtool -g eth0 && ethtool -c eth0 && ethtool -a eth0 &&
		ethtool -k eth0 && phy 4 9 0x10
}

# offline_passed OUTPUT: the four offline tests of ethtool -t passed.
offline_passed() {
	[ "$(echo "$1" | grep -c '(offline)[[:space:]]*0$')" = 4 ]
}

# Upstream's order: the link test first, then registers, EEPROM,
# interrupt, and PHY loopback at 1000/full on rings of the test's own.
# Run with settings away from the defaults, which must all be as they
# were after it; then on the interface down, where it takes the
# interrupt for itself and gives it back.
self_test() {
	local out before after down ok=1
	ethtool -G eth0 rx 512 tx 1024 && ethtool -C eth0 rx-usecs 100 &&
		ethtool -A eth0 autoneg on rx off tx off &&
		ethtool -K eth0 rx-vlan-filter off && link_ready eth0 || ok=0
	before=$(settings)
	out=$(ethtool -t eth0 offline)
	echo "$out" | sed 's/^/# /'
	link_ready eth0 || ok=0
	after=$(settings)
	[ "$after" = "$before" ] ||
		{ log "settings changed:"; diff_lines "$before" "$after"; ok=0; }
	echo "$out" | grep -q 'The test result is PASS' || ok=0
	ip link set eth0 down && down=$(ethtool -t eth0 offline)
	ip link set eth0 up
	echo "$down" | sed 's/^/# (down) /'
	offline_passed "$down" || ok=0
	ethtool -G eth0 rx 256 tx 256 && ethtool -C eth0 rx-usecs 250 &&
		ethtool -A eth0 autoneg on rx on tx on &&
		ethtool -K eth0 rx-vlan-filter on || ok=0
	ip route add default via "$GW" 2>/dev/null
	[ $ok = 1 ] && link_ready eth0 && ping_all 3
}

# ethtool's standard groups, against frames of known sizes: pktgen sends
# 10, 20, ... 60 frames of 60, 100, 200, 400, 800 and 1400 bytes (64 to
# 1404 with the CRC: one per RMON bucket) from eth0 to eth1's MAC. eth1 is
# up with no address and IPv6 off, so it receives those frames only; both
# take no other traffic meanwhile. The histograms, frame and octet
# counters of the eth-mac group move by exactly that much: eth0's
# transmit side, eth1's receive side (the device's counters clear on
# read, QEMU's too: each is read as a delta).
STD_SIZES="60 100 200 400 800 1400"

# std_stat IFACE GROUP NAME: one counter of ethtool -S --groups GROUP.
std_stat() {
	ethtool -S "$1" --groups "$2" | sed -n "s/^ *$3: *//p"
}

# The RMON histogram as one line: rx then tx, bucket by bucket.
rmon_hist() {
	ethtool -S "$1" --groups rmon |
		sed -En 's/^ *(rx|tx)-rmon-etherStatsPkts[0-9to]*Octets: *//p' |
		tr '\n' ' '
}

standard_stats() {
	local before0 before1 after0 after1 s n=0 total=0 octets=0 want
	local tx0 rx1 oct1 rxg1
	echo 1 > /proc/sys/net/ipv6/conf/eth1/disable_ipv6
	ip link set eth1 up && link_ready eth1 || return 1
	ethtool -S eth0 --groups eth-mac eth-phy eth-ctrl rmon | sed 's/^/# eth0: /'
	before0=$(rmon_hist eth0) before1=$(rmon_hist eth1)
	tx0=$(std_stat eth0 eth-mac eth-mac-FramesTransmittedOK)
	rx1=$(std_stat eth1 eth-mac eth-mac-FramesReceivedOK)
	oct1=$(std_stat eth1 eth-mac eth-mac-OctetsReceivedOK)
	rxg1=$(ethstat eth1 hw_rx_good_packets)
	for s in $STD_SIZES; do
		n=$((n + 10))
		pktgen_setup eth0 "$MAC1" $n &&
			echo "pkt_size $s" > /proc/net/pktgen/eth0 &&
			pktgen_run eth0 $n > /dev/null || return 1
		total=$((total + n)) octets=$((octets + n * (s + 4)))
	done
	wait_for 5 counter_reached_of eth1 hw_rx_good_packets $((rxg1 + total))
	after0=$(rmon_hist eth0) after1=$(rmon_hist eth1)
	log "eth0 rmon rx..tx before: $before0"
	log "eth0 rmon rx..tx after:  $after0"
	log "eth1 rmon rx..tx before: $before1"
	log "eth1 rmon rx..tx after:  $after1"
	# eth0's TX buckets (the second six) and eth1's RX buckets (the first)
	want="10 20 30 40 50 60"
	[ "$(hist_delta "$before0" "$after0" 7)" = "$want" ] ||
		{ log "eth0 TX histogram moved by $(hist_delta "$before0" "$after0" 7), expected $want"; return 1; }
	[ "$(hist_delta "$before1" "$after1" 1)" = "$want" ] ||
		{ log "eth1 RX histogram moved by $(hist_delta "$before1" "$after1" 1), expected $want"; return 1; }
	mac_moved eth0 FramesTransmittedOK "$tx0" $total &&
		mac_moved eth1 FramesReceivedOK "$rx1" $total &&
		mac_moved eth1 OctetsReceivedOK "$oct1" $octets || return 1
	# no PAUSE or other MAC control frame: QEMU sends none
	ethtool -I -a eth0 | sed 's/^/# /'
	[ "$(ethtool -I -a eth0 | sed -n 's/^ *tx_pause_frames: *//p')" = 0 ] &&
		[ "$(std_stat eth0 eth-ctrl eth-ctrl-MACControlFramesReceived)" = 0 ] &&
		ip link set eth1 down
}

# mac_moved IFACE NAME BEFORE DELTA: the eth-mac counter NAME is BEFORE
# plus DELTA.
mac_moved() {
	local now
	now=$(std_stat "$1" eth-mac "eth-mac-$2")
	[ $((now - $3)) = "$4" ] ||
		{ log "$1 $2 +$((now - $3)), expected +$4"; return 1; }
}

# hist_delta BEFORE AFTER FIRST: the six buckets from field FIRST on,
# after minus before.
hist_delta() {
	local i out=""
	for i in $(seq "$3" $(($3 + 5))); do
		out="$out $(($(echo "$2" | cut -d' ' -f"$i") - $(echo "$1" | cut -d' ' -f"$i")))"
	done
	echo "${out# }"
}

# ethtool -K loopback on: what eth0 sends comes back to it (pktgen frames
# to its own MAC are received: rx_packets grows by as many), also after a
# down and up, and nothing reaches the wire (nic0's capture: the host
# counts the marked frames, scripts/frames.py check-loopback, none
# expected); off again, the link comes back as it was and traffic flows.
loopback_feature() {
	local rx0 rx1 tx0
	[ "$(feature_state loopback)" = off ] || { log "loopback: $(feature_state loopback)"; return 1; }
	ethtool -K eth0 loopback on && [ "$(feature loopback)" = on ] || return 1
	link_ready eth0 || return 1
	rx0=$(stat_of eth0 rx_packets)
	pktgen_port eth0 "$MAC0" 100 7777 || return 1
	wait_for 5 rx_reached eth0 $((rx0 + 100))
	rx1=$(stat_of eth0 rx_packets)
	log "loopback on: 100 frames to itself, rx_packets $rx0 -> $rx1"
	[ $((rx1 - rx0)) -ge 100 ] || return 1
	# a down and up sets the link up again: the loop stays. The up writes
	# RCTL, after which QEMU drops looped frames for a second: probes
	# first, until one comes back.
	ip link set eth0 down && ip link set eth0 up && link_ready eth0 &&
		wait_for 10 loop_probe || return 1
	ip route add default via "$GW" 2>/dev/null
	rx1=$(stat_of eth0 rx_packets)
	pktgen_port eth0 "$MAC0" 100 7777 || return 1
	wait_for 5 rx_reached eth0 $((rx1 + 100))
	log "after down/up: rx_packets $rx1 -> $(stat_of eth0 rx_packets)"
	[ $(($(stat_of eth0 rx_packets) - rx1)) -ge 100 ] || return 1
	ethtool -K eth0 loopback off && [ "$(feature loopback)" = off ] &&
		link_ready eth0 || return 1
	# the same frames now go out (frames.py check-loopback counts them)
	tx0=$(stat_of eth0 tx_packets)
	pktgen_port eth0 "$MAC0" 100 7778 &&
		wait_for 5 tx_reached eth0 $((tx0 + 100)) && ping_all 3
}

# loop_probe: one frame to eth0 itself (port 7779) comes back within 1 s.
loop_probe() {
	local rx
	rx=$(stat_of eth0 rx_packets)
	pktgen_port eth0 "$MAC0" 1 7779 > /dev/null &&
		wait_for 1 rx_reached eth0 $((rx + 1))
}

# pktgen_port IFACE DST_MAC COUNT PORT: COUNT frames to UDP port PORT.
pktgen_port() {
	pktgen_setup "$1" "$2" "$3" &&
		echo "udp_dst_min $4" > /proc/net/pktgen/"$1" &&
		echo "udp_dst_max $4" > /proc/net/pktgen/"$1" &&
		pktgen_run "$1" "$3"
}

diff_lines() {
	echo "$1" > /tmp/before
	echo "$2" > /tmp/after
	diff /tmp/before /tmp/after | sed 's/^/# /'
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

tap_plan 28
t "insmod, eth0 up, ping" load_up
t "SG, TX checksum and TSO advertised; not TSO6, HIGHDMA, RX checksum" offloads_advertised
t "TSO over IPv4: a GSO frame reaches the device whole (tso on) or not (off); 4 MiB to the host intact" tso_ipv4
t "TSO at MSS 536 by the device (2 KiB per descriptor), at MSS 100 by the stack" tso_small_mss
t "TCP over IPv6 (no TSO6): 4 MiB to the host intact" tcp_ipv6
t "TX checksum offload used" csum_offload
t "ethtool -K tso/tx off: software fallback, data intact" gso_fallback
t "VLAN 100 sub-interface pings a tagged peer" vlan_ping
t "VLAN filter table: 100 passes, 200 dropped until filtering is off" vlan_filter
t "promisc: 200 frames on an unknown VLAN to a foreign MAC received" promisc_vlan
t "MTU 68..16110 accepted, 67 and 16111 rejected" mtu_bounds
t "jumbo pings at MTU 9000 and 16110" jumbo
t "ethtool -C rx-usecs set, read back, bad value rejected" coalesce
t "ethtool -G resize under traffic, bad sizes rejected" ringparam
t "ethtool -S counters, -d register dump, -e EEPROM holds the MAC" stats_dumps
t "ethtool link settings: 1000/full autoneg, advertise change" link_settings
t "ethtool msglvl set and read back" msglevel
t "packet buffer split follows the MTU: 48 KiB receive, 40 above 8 KiB" packet_buffer
t "M88 PHY: CRS on TX, polarity correction, auto MDI-X; MDI when forced" phy_setup
t "pause advertised as ethtool -A says, at every link setup" pause_advertised
t "ethtool -r restarts autonegotiation" nway_reset
t "ethtool -A/-a pause parameters" pauseparam
t "ethtool standard groups: RMON histograms, eth-mac frames and octets match pktgen's frames" standard_stats
t "ethtool -K loopback on: frames come back, none reach the wire; off: ping" loopback_feature
t "ethtool -t offline: passes up or down, settings unchanged, ping after" self_test
t "netconsole delivers a kernel message to the host" netconsole
t "suspend/resume (pm_test devices): ping and TCP after" suspend_resume
t "final rmmod removes both interfaces" final_unload
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
