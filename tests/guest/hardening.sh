# Hardening scenarios, run by scripts/test on the debug kernel only (KASAN,
# lockdep, DMA-API debugging, kmemleak, fault injection): allocation
# failures swept through probe and open, RX refill failure, hostile frames
# from the host, the etherleak capture, then the stress runs. Each scenario
# is followed by a kernel-log check (t in lib.sh).
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

guest_setup

FI=/sys/kernel/debug
E1K_DRV=/sys/bus/pci/drivers/e1k

# Systematic fault injection: failnth N arms the N-th allocation of one
# system call. Sleeping allocations are included, and a failure is silent
# (no stack dump), so the log shows only what the kernel does about it.
faults_armable() {
	local attr
	[ -e /proc/self/fail-nth ] && [ -d $FI/failslab ] || return 1
	for attr in failslab fail_page_alloc; do
		echo 0 > $FI/$attr/probability
		echo N > $FI/$attr/ignore-gfp-wait
		echo 0 > $FI/$attr/verbose
	done
	echo N > $FI/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $FI/fail_page_alloc/min-order
}

e1k_load_up() { e1k_load && eth0_up && ping_all 3; }

eth0_pci() { basename "$(readlink /sys/class/net/eth0/device)"; }
bound() { [ -e "$E1K_DRV/$1" ]; }
is_up() { [ $(($(sysval eth0 flags) & 1)) = 1 ]; }

# sweep LABEL DONE CLEAN UNDO FAILNTH-ARGS...: call failnth with N = 1, 2,
# ... until the call succeeds with nothing injected. After a failed call
# CLEAN must hold (nothing half done); after a successful one DONE must,
# and UNDO reverses it for the next round.
sweep() {
	local label=$1 took_effect=$2 clean=$3 undo=$4 n=0 res errno injected=1
	local failed=0 errnos=""
	shift 4
	while [ $n -lt 3000 ]; do
		n=$((n + 1))
		res=$(failnth $n "$@" 2>/dev/null)
		errno=${res#errno=}
		errno=${errno%% *}
		injected=${res##*injected=}
		if [ "$errno" != 0 ]; then
			failed=$((failed + 1))
			case " $errnos " in *" $errno "*) ;; *) errnos="$errnos $errno" ;; esac
			$clean && continue
			log "allocation $n: $label failed ($errno) and left state behind"
			return 1
		fi
		$took_effect || { log "allocation $n: $label returned 0 but did nothing"; return 1; }
		[ "$injected" = 0 ] && break
		$undo || return 1
	done
	log "$label: $((n - 1)) allocations, each failed once; $failed calls failed, errno(s):${errnos:- none}"
	[ "$injected" = 0 ] && [ $failed -gt 0 ]
}

# Fail each allocation of eth0's probe in turn (the probe runs in the task
# that writes the PCI address to e1k's bind file). A failed probe must
# return an errno and leave the device unbound with no interface; once
# nothing is injected the probe succeeds.
probe_done() { bound "$PCI" && have_if eth0; }
probe_clean() { ! bound "$PCI" && ! have_if eth0; }
probe_undo() { echo "$PCI" > $E1K_DRV/unbind; }

probe_faults() {
	faults_armable || { echo "no fail-nth in this kernel"; return $SKIP; }
	PCI=$(eth0_pci)
	probe_undo || return 1
	sweep probe probe_done probe_clean probe_undo \
		write $E1K_DRV/bind "$PCI" && eth0_up && ping_all 3
}

# The same for `ip link set eth0 up` (SIOCSIFFLAGS): ndo_open's rings,
# buffers and IRQ, and everything the stack does on the way.
is_down() { ! is_up; }
set_down() { ip link set eth0 down; }

open_faults() {
	faults_armable || { echo "no fail-nth in this kernel"; return $SKIP; }
	set_down || return 1
	sweep open is_up is_down set_down up eth0 && eth0_up && ping_all 3
}

# atomic_faults PERCENT: fail that share of the atomic allocations NAPI
# makes: every atomic page allocation (RX buffers) and atomic allocations
# from the skb head cache (napi_build_skb). Sleeping allocations and other
# caches are spared: DMA-API debugging's own atomic allocations must not
# fail, or it switches itself off. The kernel boots with
# slub_debug=A,skbuff_head_cache: the one cache failslab's filter passes.
atomic_faults() {
	local attr filter=Y
	[ "$1" = 0 ] && filter=N
	[ "$(cat /sys/kernel/slab/skbuff_head_cache/failslab)" = 1 ] || return 1
	echo $filter > $FI/failslab/cache-filter
	for attr in failslab fail_page_alloc; do
		echo Y > $FI/$attr/ignore-gfp-wait
		echo -1 > $FI/$attr/times
		echo 0 > $FI/$attr/verbose
		echo "$1" > $FI/$attr/probability
	done
	echo 0 > $FI/fail_page_alloc/min-order
}

# dropped_beyond IFACE N: IFACE's rx_dropped is above N.
dropped_beyond() { [ "$(stat_of "$1" rx_dropped)" -gt "$2" ]; }

alloc_failed() { ethstat eth0 rx_queue_0_alloc_failed; }
alloc_failed_beyond() { [ "$(alloc_failed)" -gt "$1" ]; }

# starved: while every allocation fails, frames keep arriving and every
# one is dropped for want of an skb (rx_dropped) with none passed up. The
# RX buffers come back to the ring's page_pool with the dropped frames, so
# the refills succeed from its cache; rx_queue_0_alloc_failed moves only
# if the pool runs dry. The NAPI skb caches may still hold a few skbs at
# first, so a window is looked for, at most 10 times.
starved() {
	local n rx drop
	for n in $(seq 10); do
		rx=$(stat_of eth0 rx_packets) drop=$(stat_of eth0 rx_dropped)
		wait_for 10 dropped_beyond eth0 "$drop" || return 1
		[ "$(stat_of eth0 rx_packets)" = "$rx" ] && return 0
	done
	return 1
}

# Every atomic allocation fails while the host floods eth0: rx_dropped
# counts the frames that got no skb, and no frame is received. Once
# memory returns, eth0 must receive again.
rx_refill_faults() {
	local drop0 rx0 rx1 ok=1
	faults_armable || { echo "no fault injection in this kernel"; return $SKIP; }
	ping_all 3 || return 1
	drop0=$(stat_of eth0 rx_dropped) rx0=$(stat_of eth0 rx_packets)
	atomic_faults 100 || { atomic_faults 0; return 1; }
	inject burst 3000 && wait_for 20 dropped_beyond eth0 "$drop0" || ok=0
	if [ $ok = 1 ]; then
		# a second burst, to be starved while it arrives
		inject burst 3000 &
		starved || ok=0
		wait
	fi
	rx1=$(stat_of eth0 rx_packets)
	atomic_faults 0
	log "under 100% atomic allocation failure: rx_dropped +$(delta "$drop0" "$(stat_of eth0 rx_dropped)"), rx_packets +$(delta "$rx0" "$rx1")"
	[ $ok = 1 ] || { log "no failure counted, or frames still received"; return 1; }
	wait_for 10 ping -c 1 -W 1 "$GW" > /dev/null ||
		{ log "eth0 did not receive again"; return 1; }
	ping_all 5 && rx_begin eth0 -p || return 1
	inject burst 1000 || { rx_end; return 1; }
	rx_end || return 1
	log "after: a burst of 1000, rx_packets +$(delta "$rx1" "$(stat_of eth0 rx_packets)")"
}

counters() {
	set -- "$(stat_of eth0 rx_packets)" "$(stat_of eth0 rx_dropped)" \
		"$(stat_of eth0 rx_length_errors)" \
		"$(ethstat eth0 rx_queue_0_alloc_failed)"
	RX=$1 DROP=$2 LEN=$3 FAIL=$4
}

# counters_reached DROP LEN: rx_dropped and rx_length_errors are at least
# that. The driver counts a poll's frames once it has passed them up, and
# the device's counters (rx_length_errors includes the MAC's oversize
# count) are read when asked, or every 2 s by an older driver: polled.
counters_reached() {
	[ "$(stat_of eth0 rx_dropped)" -ge "$1" ] &&
		[ "$(stat_of eth0 rx_length_errors)" -ge "$2" ]
}

# inject_expect KIND COUNT RX LEN: send COUNT frames of KIND and wait for
# the barrier behind them (rxcount -p, which leaves the frames to the
# stack). Nothing handles their types, so the stack drops every one that
# reaches it: rx_dropped must grow by exactly RX, rx_length_errors by
# exactly LEN, and the driver must drop none for want of memory.
inject_expect() {
	local kind=$1 count=$2 drop len fail ok=1
	counters
	set -- "$DROP" "$LEN" "$FAIL" "$3" "$4"
	rx_begin eth0 -p || return 1
	inject "$kind" "$count" || { rx_end; return 1; }
	rx_end || return 1
	wait_for 5 counters_reached $(($1 + $4)) $(($2 + $5))
	counters
	drop=$(delta "$1" "$DROP") len=$(delta "$2" "$LEN") fail=$(delta "$3" "$FAIL")
	log "$count $kind: rx_dropped +$drop, rx_length_errors +$len, rx_queue_0_alloc_failed +$fail"
	[ "$drop" = "$4" ] && [ "$len" = "$5" ] && [ "$fail" = 0 ] || ok=0
	[ "$ok" = 1 ] || log "expected rx_dropped +$4, rx_length_errors +$5, rx_queue_0_alloc_failed +0"
	[ "$ok" = 1 ]
}

# Runts reach the driver padded to 60 bytes (QEMU pads, as a MAC would
# count them); nothing handles their type, so the stack drops them.
hostile_runts() {
	ip link set eth1 down
	ping_all 3 && inject_expect runt 54 54 0
}

# 1519..16384 bytes at MTU 1500: QEMU drops what it finds oversize and
# counts it (ROC); e1k drops the 1519..1522-byte frames QEMU lets through.
# None reaches the stack.
hostile_oversize() { inject_expect oversize 40 0 40; }

# Over 16 KiB: dropped before any descriptor is written.
hostile_giant() { inject_expect giant 5 0 5; }

# Random bytes under real and bogus ethertypes: all reach the stack, the
# 50 tagged 0x8100 with random VLAN IDs too: with no VLAN in use the
# device filters none (RCTL.VFE off, as upstream), and the stack drops
# them. rxcount counts the injector's frames that arrive.
hostile_garbage() {
	local len0 len missed0
	len0=$(stat_of eth0 rx_length_errors)
	missed0=$(stat_of eth0 rx_missed_errors)
	rx_begin eth0 || return 1
	inject garbage 500 || { rx_end; return 1; }
	rx_end || return 1
	len=$(delta "$len0" "$(stat_of eth0 rx_length_errors)")
	log "500 garbage: $RX_FRAMES received, rx_length_errors +$len, rx_missed_errors +$(delta "$missed0" "$(stat_of eth0 rx_missed_errors)")"
	[ "$RX_FRAMES" = 500 ] && [ "$len" = 0 ] && ping_all 5
}

# As fast as the host can send. What QEMU takes from its socket either
# finds a free descriptor or is dropped as missed (MPC, logged only: QEMU
# never clears it on read, so the driver's sum over-counts there). Each
# frame received has no protocol handler, so the stack drops it: every
# frame rx_packets counted is a burst frame in rx_dropped, or one of the
# barriers and other frames (slirp's) rxcount -p saw meanwhile; the
# driver drops none itself.
hostile_burst() {
	local rx drop fail missed extra
	rx_begin eth0 -p || return 1
	counters
	set -- "$RX" "$DROP" "$FAIL" "$(stat_of eth0 rx_missed_errors)"
	inject burst 20000 || { rx_end; return 1; }
	# the driver counts a poll's frames once it has passed them up
	wait_for 5 rx_reached eth0 $(($1 + $(delta "$2" "$(stat_of eth0 rx_dropped)") + 1))
	counters
	rx_end || return 1
	rx=$(delta "$1" "$RX") drop=$(delta "$2" "$DROP") fail=$(delta "$3" "$FAIL")
	missed=$(delta "$4" "$(stat_of eth0 rx_missed_errors)")
	extra=$((RX_BARRIERS + RX_OTHERS))
	log "burst of 20000: rx_packets +$rx, rx_dropped +$drop, rx_queue_0_alloc_failed +$fail, rx_missed_errors +$missed; $RX_BARRIERS barriers, $RX_OTHERS other frames"
	[ "$drop" -gt 0 ] && [ "$fail" = 0 ] && [ "$rx" -gt "$drop" ] &&
		[ "$rx" -le $((drop + extra)) ] && ping_all 5
}

hostile_arpstorm() {
	local rx
	counters
	rx=$RX
	rx_begin eth0 -p || return 1
	inject arpstorm 20000 || { rx_end; return 1; }
	rx_end || return 1
	log "ARP storm of 20000 broadcasts: rx_packets +$(delta "$rx" "$(stat_of eth0 rx_packets)")"
	[ "$(delta "$rx" "$(stat_of eth0 rx_packets)")" -gt 256 ] && ping_all 5
}

# Short frames leave padded to 60 bytes; the host checks the capture of
# nic0 (filter-dump) for the padding's bytes after the run.
short_frames() {
	ip neigh flush dev eth0
	ping_all 3 -s 0 && ping_all 3 -s 1 && ping_all 3 -s 17
}

# Offered traffic: pings 10 ms apart, restarted whenever ping gives up
# (it exits when the route or the interface goes away).
traffic_start() {
	rm -f /tmp/stop-traffic
	(while [ ! -e /tmp/stop-traffic ]; do
		ping -c 20 -i 0.01 -W 1 -q "$GW" > /dev/null 2>&1 || usleep 10000
	done) &
	TRAFFIC=$!
}

traffic_stop() {
	touch /tmp/stop-traffic
	wait "$TRAFFIC"
	# the first frames after an up wait out QEMU's 1 s RCTL hold
	wait_for 5 ping -c 1 -W 1 "$GW" > /dev/null
}

# A ping flood runs while eth0 goes down and up 1000 times.
down_up_1000_flood() {
	local i t0 tx0
	tx0=$(stat_of eth0 tx_packets)
	t0=$(date +%s)
	traffic_start
	for i in $(seq 1000); do
		ip link set eth0 down || { log "down $i failed"; break; }
		ip link set eth0 up || { log "up $i failed"; break; }
		[ $((i % 50)) = 0 ] && ip route add default via "$GW" 2>/dev/null
	done
	ip route add default via "$GW" 2>/dev/null
	link_ready eth0
	traffic_stop
	log "1000 cycles in $(($(date +%s) - t0)) s, tx_packets +$(delta "$tx0" "$(stat_of eth0 tx_packets)")"
	[ "$i" = 1000 ] && ping_all 5 && counters_sane
}

counters_sane() {
	log "tx_packets $(stat_of eth0 tx_packets), tx_errors $(stat_of eth0 tx_errors), rx_packets $(stat_of eth0 rx_packets), rx_errors $(stat_of eth0 rx_errors)"
	[ "$(stat_of eth0 tx_errors)" = 0 ] && [ "$(stat_of eth0 rx_crc_errors)" = 0 ]
}

# Traffic keeps being offered (a ping loop) while e1k is unloaded and
# loaded 100 times; each time it is loaded, until the loop's pings reach
# it (at most 2 s).
tx_started() { [ "$(stat_of eth0 tx_packets)" -gt 0 ]; }

reload_100_traffic() {
	local i t0 reached=0
	t0=$(date +%s)
	traffic_start
	for i in $(seq 100); do
		e1k_unload || { log "rmmod $i failed"; break; }
		e1k_load && eth0_up > /dev/null || { log "load $i failed"; break; }
		wait_for 2 tx_started && reached=$((reached + 1))
	done
	traffic_stop
	log "100 cycles in $(($(date +%s) - t0)) s, traffic reached $reached of them"
	[ "$i" = 100 ] && ping_all 5 && counters_sane
}

# The link drops 20 times under a pktgen flood (pktgen stops at carrier
# loss; the loop restarts it). Each time the driver must see it go (carrier
# 0) before it comes back, and come back (carrier 1: QEMU's model returns
# the link after its 500 ms autonegotiation) before the next drop, so
# exactly 20 link-down lines are logged.
link_flaps_flood() {
	local i pid tx0 downs n
	tx0=$(stat_of eth0 tx_packets)
	dmesg -c >> /tmp/kernel.log
	pktgen_setup eth0 $FOREIGN_MAC 0 || return 1
	rm -f /tmp/stop-pktgen
	(while [ ! -e /tmp/stop-pktgen ]; do
		echo start > /proc/net/pktgen/pgctrl 2>/dev/null
		usleep 50000
	done) &
	pid=$!
	for i in $(seq 20); do
		host set_link nic0 off
		wait_for 10 carrier_is eth0 0 || { log "flap $i: carrier stayed 1"; break; }
		host set_link nic0 on
		wait_for 10 carrier_is eth0 1 || { log "flap $i: carrier stayed 0"; break; }
	done
	touch /tmp/stop-pktgen
	for n in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		echo stop > /proc/net/pktgen/pgctrl
		usleep 100000
	done
	wait "$pid"
	downs=$(dmesg | grep -c 'eth0: NIC Link is Down')
	log "20 flaps: $downs link-down lines, tx_packets +$(delta "$tx0" "$(stat_of eth0 tx_packets)")"
	echo "rem_device_all" > /proc/net/pktgen/kpktgend_0
	[ "$downs" = 20 ] && link_ready eth0 && ping_all 5 && counters_sane
}

# `ip link set eth0 down` and rmmod started together, 20 times.
down_races_rmmod() {
	local i pid
	for i in $(seq 20); do
		ip link set eth0 down &
		pid=$!
		rmmod e1k || { log "rmmod $i failed"; return 1; }
		wait "$pid"
		wait_for 10 no_module || { log "e1k still loaded ($i)"; return 1; }
		e1k_load && eth0_up > /dev/null || { log "reload $i failed"; return 1; }
	done
	ping_all 5
}

tap_plan 18
t "insmod binds eth0 and eth1, eth0 pings" e1k_load_up
t "probe: each allocation failed in turn, clean errno, then binds" probe_faults
t "open: each allocation failed in turn, clean errno, then pings" open_faults
t "RX refill failure under a flood: receives again once memory returns" rx_refill_faults
t "kmemleak finds no leak after the fault injection" kmemleak_clean
t "hostile: 54 runts (6..59 bytes) received padded, dropped by the stack" hostile_runts
t "hostile: 40 frames of 1519..16384 bytes dropped, rx_length_errors +40" hostile_oversize
t "hostile: 5 frames over 16 KiB dropped, rx_length_errors +5" hostile_giant
t "hostile: 500 garbage frames received, no errors, ping" hostile_garbage
t "hostile: a 20000-frame burst, every frame received is counted" hostile_burst
t "hostile: a 20000-frame ARP broadcast storm, then ping" hostile_arpstorm
t "short frames sent for the padding check (host reads the capture)" short_frames
t "1000 down/up cycles under a ping flood, then ping" down_up_1000_flood
t "100 rmmod/insmod cycles with traffic offered, then ping" reload_100_traffic
t "20 link flaps under a pktgen flood, then ping" link_flaps_flood
t "ip link set down racing rmmod, 20 times, then ping" down_races_rmmod
t "final rmmod removes both interfaces" final_unload
t "kmemleak finds no leak after the whole run" kmemleak_clean
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
