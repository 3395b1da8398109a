# shellcheck shell=sh
# Everything at once, for minutes, on a kernel with two vCPUs (SMP and
# preemptible; the debug kernel, then the KCSAN kernel): traffic both ways
# on both NICs while other tasks loop every control path that takes the
# device apart or reads it - ring resize, coalescing, pause, link settings,
# the offline self-test, statistics, MTU, promisc, VLANs, down/up - and the
# host flaps the link. Afterwards traffic must flow, and the counters agree.
#
# QEMU's model receives nothing for a second after any RCTL write, and the
# loops that reset eth0 or change its filters write RCTL several times a
# second between them; those that renegotiate or flap the link keep the
# carrier off for half a second each time. They all pause every other 5 s
# (the gate), so that eth0 also receives and sends while the other control
# paths (coalescing, statistics, VLANs, rx mode) run.
# A report in the kernel log fails the scenario that was running (t in
# lib.sh); on the KCSAN kernel, a data race in an e1k function does.
# Booted by scripts/test with --smp 2 --injector.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

guest_setup

DURATION=$(kernel_arg e1ktest.duration)
DURATION=${DURATION:-120}
STOP=/tmp/stop-concurrency
QUIET=/tmp/quiet-concurrency
LOOPS=""

# The loops that write RCTL wait here while QUIET exists.
gate() {
	while [ -e $QUIET ] && [ ! -e $STOP ]; do
		usleep 100000
	done
}

# Each quiet half waits (bounded) until eth0's link is up and a ping is
# answered, so that traffic surely crosses eth0 while the rest runs.
phase_round() {
	usleep 5000000
	touch $QUIET
	link_ready eth0 && rx_resumed
	usleep 5000000
	rm -f $QUIET
}

# loop NAME COMMAND...: run COMMAND over and over in the background until
# STOP exists, counting the rounds in /tmp/rounds.NAME.
loop() {
	local name=$1
	shift
	echo 0 > "/tmp/rounds.$name"
	(
		n=0
		while [ ! -e $STOP ]; do
			"$@" > /dev/null 2>&1
			n=$((n + 1))
			echo $n > "/tmp/rounds.$name"
		done
	) &
	eval "PID_$name=$!"
	LOOPS="$LOOPS $!"
}

# The control paths, one round each. The pauses only pace the load.
ring_round() {
	local n
	gate
	for n in 80 1024 256; do
		ethtool -G eth0 rx $n tx $n
		usleep 300000
	done
}

coalesce_round() {
	local usecs
	for usecs in 0 100 250; do
		ethtool -C eth0 rx-usecs $usecs
		usleep 200000
	done
}

pause_round() {
	gate
	ethtool -A eth0 autoneg on rx off tx off
	usleep 500000
	ethtool -A eth0 autoneg on rx on tx on
	usleep 500000
}

link_round() {
	gate
	ethtool -s eth0 advertise 0x00f
	usleep 700000
	ethtool -s eth0 advertise 0x02f
	usleep 700000
}

selftest_round() {
	gate
	ethtool -t eth0 offline
	usleep 500000
}

stats_round() {
	ethtool -S eth0
	ethtool -S eth1
	cat /sys/class/net/eth0/statistics/* /sys/class/net/eth1/statistics/*
	ethtool eth0
	ethtool -a eth0
}

mtu_round() {
	gate
	ip link set eth0 mtu 9000
	usleep 400000
	ip link set eth0 mtu 1500
	usleep 400000
}

promisc_round() {
	gate
	ip link set eth0 promisc on
	usleep 200000
	ip link set eth0 promisc off
	usleep 200000
}

vlan_round() {
	vconfig add eth0 7
	ip link set eth0.7 up
	usleep 200000
	vconfig rem eth0.7
	usleep 200000
}

updown_round() {
	gate
	ip link set eth0 down
	usleep 100000
	ip link set eth0 up
	ip route add default via "$GW"
	usleep 1500000
}

flap_round() {
	gate
	host set_link nic0 off
	wait_for 10 carrier_is eth0 0
	usleep 300000
	host set_link nic0 on
	wait_for 10 carrier_is eth0 1
	usleep 2000000
}

# Traffic: pings through slirp, and pktgen floods from each NIC to the
# other (one kpktgend per CPU), 2000 frames a round. pktgen stops early
# when its device goes down; the loop starts it again.
pktgen_dev() {	# pktgen_dev THREAD IFACE DST_MAC
	local pg=/proc/net/pktgen
	echo "add_device $2" > $pg/kpktgend_$1
	echo "count 2000" > $pg/"$2"
	echo "pkt_size 60" > $pg/"$2"
	echo "delay 50000" > $pg/"$2"
	echo "dst 10.0.2.99" > $pg/"$2"
	echo "dst_mac $3" > $pg/"$2"
}

# "start" returns only when pktgen stops: at a carrier loss or a down, or
# at the "stop" all_at_once sends when time is up.
pktgen_round() {
	echo start > /proc/net/pktgen/pgctrl
	usleep 100000
}

ping_round() { ping -c 20 -i 0.01 -W 1 -q "$GW"; }

load_all() {
	e1k_load && eth0_up || return 1
	ip link set eth1 up && link_ready eth1 || return 1
	[ -e /sys/module/8021q ] || insmod /lib/modules/8021q.ko || return 1
	[ -d /proc/net/pktgen ] || insmod "$PKTGEN" || return 1
	[ -e /proc/net/pktgen/kpktgend_1 ] ||
		{ log "one pktgen thread: this kernel runs on one CPU"; return 1; }
	ping_all 3
}

LOOP_NAMES="phase ping pktgen ring coalesce pause link selftest stats mtu
promisc vlan updown flap"

all_at_once() {
	local name rounds idle="" rx0 tx0 rx tx
	echo "rem_device_all" > /proc/net/pktgen/kpktgend_0
	echo "rem_device_all" > /proc/net/pktgen/kpktgend_1
	pktgen_dev 0 eth0 "$MAC1" && pktgen_dev 1 eth1 "$MAC0" || return 1
	rm -f $STOP $QUIET
	rx0=$(stat_of eth0 rx_packets) tx0=$(stat_of eth0 tx_packets)
	for name in $LOOP_NAMES; do
		loop "$name" "${name}_round"
	done
	log "$DURATION s of all at once, on $(grep -c ^processor /proc/cpuinfo) CPUs"
	sleep "$DURATION"
	touch $STOP
	# shellcheck disable=SC2154
	while kill -0 "$PID_pktgen" 2>/dev/null; do
		echo stop > /proc/net/pktgen/pgctrl
		usleep 100000
	done
	# shellcheck disable=SC2086
	wait $LOOPS
	rm -f $QUIET
	for name in $LOOP_NAMES; do
		rounds=$(cat "/tmp/rounds.$name")
		log "$name: $rounds rounds"
		[ "$rounds" -gt 0 ] || idle="$idle $name"
	done
	rx=$(delta "$rx0" "$(stat_of eth0 rx_packets)")
	tx=$(delta "$tx0" "$(stat_of eth0 tx_packets)")
	log "eth0 meanwhile: rx_packets +$rx, tx_packets +$tx"
	[ -z "$idle" ] || { log "never completed a round:$idle"; return 1; }
	# both directions ran on eth0 during the storm (how much depends on
	# how fast the host runs the guest: logged, not asserted)
	[ "$rx" -gt 0 ] && [ "$tx" -gt 0 ]
}

# Every setting back to its default; the link up; both NICs work.
restored() {
	host set_link nic0 on
	ip link set eth0 promisc off
	ip link set eth0 mtu 1500
	ip link set eth0 up
	ethtool -G eth0 rx 256 tx 256 &&
		ethtool -C eth0 rx-usecs 250 &&
		ethtool -A eth0 autoneg on rx on tx on &&
		ethtool -s eth0 advertise 0x02f || return 1
	ip route add default via "$GW" 2>/dev/null
	link_ready eth0 && rx_resumed && ping_all 10
}

# eth0 sends 1000 frames to eth1 across the hub, 1 ms apart: eth1 receives
# every one (rxcount counts the frames from eth0's address, up to a barrier
# eth0 sends after them).
nic_to_nic() {
	echo "rem_device_all" > /proc/net/pktgen/kpktgend_1
	rx_begin eth1 -p -s "$MAC0" || return 1
	pktgen_send eth0 "$MAC1" 1000 1000000 || { rx_end; return 1; }
	rx_end eth0 || return 1
	log "eth0 -> eth1: 1000 frames sent, eth1 received $RX_FRAMES from eth0 ($RX_OTHERS from others)"
	[ "$RX_FRAMES" = 1000 ]
}

# With both NICs down nothing moves: the interface statistics and the
# per-ring ethtool counters must be the same numbers.
counters_add_up() {
	local dev ok=1 a b
	ip link set eth0 down && ip link set eth1 down || return 1
	for dev in eth0 eth1; do
		for a in tx_packets rx_packets tx_bytes rx_bytes; do
			case $a in
			tx_*) b=tx_queue_0_${a#tx_} ;;
			rx_*) b=rx_queue_0_${a#rx_} ;;
			esac
			[ "$(stat_of $dev $a)" = "$(ethstat $dev "$b")" ] ||
				{ log "$dev: $a $(stat_of $dev $a), $b $(ethstat $dev "$b")"; ok=0; }
		done
		log "$dev: tx_packets $(stat_of $dev tx_packets), rx_packets $(stat_of $dev rx_packets), tx_errors $(stat_of $dev tx_errors), rx_crc_errors $(stat_of $dev rx_crc_errors)"
		[ "$(stat_of $dev tx_errors)" = 0 ] &&
			[ "$(stat_of $dev rx_crc_errors)" = 0 ] || ok=0
	done
	[ $ok = 1 ]
}

tap_plan 7
t "insmod, eth0 and eth1 up, ping" load_all
t "traffic both ways and every control path at once, on 2 CPUs" all_at_once
t "settings restored: carrier, operstate up, ping" restored
t "after: eth1 receives 1000 frames from eth0" nic_to_nic
t "counters add up: interface and per-ring statistics agree, no errors" counters_add_up
t "final rmmod removes both interfaces" final_unload
t "kmemleak finds no leak after the run" kmemleak_clean
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
