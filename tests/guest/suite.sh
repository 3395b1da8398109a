# The e1k test suite, run in the guest by scripts/test. Each scenario is a
# function that checks what the kernel reports (sysfs, ping, dmesg, pktgen);
# t() then fails it on any report in the kernel log.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

guest_setup
load_and_bind() {
	e1k_load || return 1
	log "eth0: $(driver_of eth0), eth1: $(driver_of eth1)"
	[ "$(driver_of eth0)" = e1k ] && [ "$(driver_of eth1)" = e1k ]
}

mac_matches_qemu() {
	log "eth0 $(sysval eth0 address), eth1 $(sysval eth1 address)"
	[ "$(sysval eth0 address)" = "$MAC0" ] &&
		[ "$(sysval eth1 address)" = "$MAC1" ]
}

ethtool_reports() {
	eth0_up || return 1
	ethtool -i eth0 | grep -q '^driver: e1k$' &&
		ethtool eth0 | grep -q 'Link detected: yes'
}

# On conventional PCI the 8254x gets a 32-bit DMA mask (64-bit addresses
# can hang its TX), and probe claims the I/O BAR, through which it resets
# the MAC: both devices' ports appear under e1k in /proc/ioports.
dma_mask_io_bar() {
	local bits ports
	bits=$(cat /sys/class/net/eth0/device/dma_mask_bits)
	ports=$(grep -c ': e1k$' /proc/ioports)
	log "dma_mask_bits $bits, I/O BARs held by e1k: $ports"
	[ "$bits" = 32 ] && [ "$ports" = 2 ]
}

ping_gateway() { eth0_up && ping_all 10 -i 0.2; }

ping_1400() { ping_all 20 -s 1400 -i 0.1; }

# The kernel's own ICMP counters count the 50 echo requests and replies;
# with the gateway's ARP entry pinned the guest sends nothing else, so
# tx_packets moves by exactly 50 too. rx_packets may also count frames
# slirp sends of its own accord (IPv6 router advertisements).
counters_agree() {
	local tx0 rx0 out0 in0 dtx drx dout din ok=1
	ping_all 3 && gw_pin || return 1
	tx0=$(stat_of eth0 tx_packets) rx0=$(stat_of eth0 rx_packets)
	out0=$(icmp OutEchos) in0=$(icmp InEchoReps)
	ping_all 50 -i 0.05 || ok=0
	# transmitted frames are counted once the device is done with them
	wait_for 10 tx_reached eth0 $((tx0 + 50))
	dtx=$(delta "$tx0" "$(stat_of eth0 tx_packets)")
	drx=$(delta "$rx0" "$(stat_of eth0 rx_packets)")
	dout=$(delta "$out0" "$(icmp OutEchos)")
	din=$(delta "$in0" "$(icmp InEchoReps)")
	gw_unpin
	log "50 pings: Icmp OutEchos +$dout, InEchoReps +$din; tx_packets +$dtx, rx_packets +$drx"
	[ "$ok" = 1 ] && [ "$dout" = 50 ] && [ "$din" = 50 ] &&
		[ "$dtx" = 50 ] && [ "$drx" -ge 50 ] &&
		[ "$(stat_of eth0 rx_errors)" = 0 ] &&
		[ "$(stat_of eth0 tx_errors)" = 0 ]
}

# Replies reach a new address only if the driver loaded it into RAR0.
mac_change_then_ping() {
	local new=02:12:34:56:78:9a ok=1
	ip link set eth0 address $new || return 1
	[ "$(sysval eth0 address)" = $new ] && ping_all 5 || ok=0
	# back to the original address even on failure, for later scenarios
	ip link set eth0 address "$MAC0" && ping_all 3 || ok=0
	[ "$ok" = 1 ]
}

# eth1 sends 1000 frames to a foreign MAC across the hub, then a barrier
# to eth0; sets FOREIGN_RX to how many of eth1's frames eth0 received
# (rxcount counts them; the barrier is not counted).
foreign_rx() {
	rx_begin eth0 -s "$MAC1" || return 1
	pktgen_send eth1 $FOREIGN_MAC 1000 $FOREIGN_GAP_NS || { rx_end; return 1; }
	rx_end eth1 || return 1
	FOREIGN_RX=$RX_FRAMES
}

# Toggling promisc writes RCTL: wait out QEMU's hold on receive before
# the next flood, or the frames queued meanwhile overflow the ring.
promisc_set() {
	ip link set eth0 promisc "$1" && rx_resumed
}

# eth0 must drop frames for a foreign MAC in its filter, unless promisc.
# When QEMU's queue outgrows the free descriptors, its model drops the
# rest (rx_missed_errors, which it also never clears, unlike the chip).
# So the frames are paced (1 ms apart), and eth0's RX ring holds 4096
# descriptors meanwhile: a debug kernel whose vCPUs a loaded host starves
# must fall 4 s behind before a frame is lost (with 256, a quarter of a
# second did, once in a loaded run: 828 of 1000).
FOREIGN_GAP_NS=1000000
promisc_on_off() {
	local off on off2 ok=1
	ethtool -G eth0 rx 4096 && link_ready eth0 && rx_resumed &&
		ip link set eth1 up && link_ready eth1 || ok=0
	[ $ok = 1 ] && foreign_rx && off=$FOREIGN_RX &&
		promisc_set on && foreign_rx && on=$FOREIGN_RX &&
		promisc_set off && foreign_rx && off2=$FOREIGN_RX || ok=0
	ip link set eth1 down
	ethtool -G eth0 rx 256
	log "1000 foreign frames: eth0 received ${off:-?} (promisc off), ${on:-?} (on), ${off2:-?} (off again)"
	[ $ok = 1 ] && [ "$off" = 0 ] && [ "$on" = 1000 ] && [ "$off2" = 0 ] &&
		link_ready eth0 && ping_all 3
}

# With the gateway's ARP entry pinned nothing but pktgen transmits.
pktgen_100k() {
	local tx0 drop0 dtx ok=1
	gw_pin || return 1
	tx0=$(stat_of eth0 tx_packets)
	drop0=$(stat_of eth0 tx_dropped)
	pktgen_send eth0 $FOREIGN_MAC 100000 || ok=0
	wait_for 10 tx_reached eth0 $((tx0 + 100000))
	dtx=$(delta "$tx0" "$(stat_of eth0 tx_packets)")
	gw_unpin
	log "tx_packets +$dtx, tx_dropped +$(delta "$drop0" "$(stat_of eth0 tx_dropped)"), tx_errors $(stat_of eth0 tx_errors)"
	[ "$ok" = 1 ] && [ "$dtx" = 100000 ] &&
		[ "$(stat_of eth0 tx_dropped)" = "$drop0" ] &&
		[ "$(stat_of eth0 tx_errors)" = 0 ] && ping_all 3
}

link_flap() {
	dmesg -c >> /tmp/kernel.log
	host set_link nic0 off
	wait_for 10 carrier_is eth0 0 || { log "carrier stayed 1"; return 1; }
	host set_link nic0 on
	wait_for 10 carrier_is eth0 1 || { log "carrier stayed 0"; return 1; }
	log "$(dmesg | grep -c 'eth0: NIC Link is Down') link-down, $(dmesg | grep -c 'eth0: NIC Link is Up') link-up lines"
	[ "$(dmesg | grep -c 'eth0: NIC Link is Down')" = 1 ] &&
		[ "$(dmesg | grep -c 'eth0: NIC Link is Up')" = 1 ] &&
		link_ready eth0 && ping_all 5
}

down_up_100() {
	local i
	for i in $(seq 100); do
		ip link set eth0 down || return 1
		ip link set eth0 up || return 1
	done
	ip route add default via "$GW"
	link_ready eth0 && ping_all 5
}

reload_20() {
	local i
	for i in $(seq 20); do
		e1k_unload || { log "rmmod $i failed"; return 1; }
		e1k_load || { log "insmod $i failed"; return 1; }
	done
	eth0_up && ping_all 5
}

# The flood is on once a hundred echo requests have gone out.
rmmod_under_traffic() {
	local pid out0
	out0=$(icmp OutEchos)
	ping -i 0.01 -q "$GW" > /dev/null 2>&1 &
	pid=$!
	wait_for 20 icmp_reached OutEchos $((out0 + 100)) ||
		log "the flood sent $(delta "$out0" "$(icmp OutEchos)") echo requests"
	e1k_unload || { kill "$pid"; wait "$pid"; return 1; }
	kill "$pid" 2>/dev/null
	wait "$pid"
	have_if eth0 && { log "eth0 still there"; return 1; }
	e1k_load && eth0_up && ping_all 5
}

bad_module_param() {
	e1k_unload || return 1
	if insmod "$MOD" debug=abc; then
		log "insmod accepted debug=abc"
		return 1
	fi
	no_module || return 1
	dmesg | grep -q "invalid for parameter" || return 1
	e1k_load && eth0_up && ping_all 3
}

# PCI_COMMAND of eth0's device, as 4 hex digits, through sysfs config.
pci_command() {
	dd if=/sys/class/net/eth0/device/config bs=1 skip=4 count=2 2>/dev/null |
		hexdump -v -e '1/2 "%04x"'
}

pci_command_set() {	# little-endian, two bytes at offset 4
	printf "\\x${1#??}\\x${1%??}" |
		dd of=/sys/class/net/eth0/device/config bs=1 seek=4 count=2 \
			conv=notrunc 2>/dev/null
}

tx_timeouts() { cat /sys/class/net/eth0/queues/tx-0/tx_timeout; }
tx_timed_out() { [ "$(tx_timeouts)" -gt "$1" ]; }
bus_master_on() { [ $((0x$(pci_command) & 4)) != 0 ]; }

# Clearing bus mastering stalls transmit: no descriptor is ever written
# back. The stack's watchdog must call ndo_tx_timeout and the driver's
# reset must restore the device without a reload. pktgen (100 frames/s to
# a foreign MAC, until the reset takes the carrier away) fills the ring:
# nothing answers it, so the first ping after the reset is alone on the
# wire (a ping flood's queued requests would go out after the reset, and
# their replies, held by QEMU for a second after the reset's RCTL write,
# would come back all at once and overflow the RX ring).
tx_hang_recovers() {
	local cmd before pid
	before=$(tx_timeouts)
	cmd=$(pci_command)
	pktgen_setup eth0 $FOREIGN_MAC 0 10000000 || return 1
	pci_command_set "$(printf '%04x' $((0x$cmd & ~4)))"
	bus_master_on && { log "could not clear bus mastering"; return 1; }
	echo start > /proc/net/pktgen/pgctrl &
	pid=$!
	wait_for 40 tx_timed_out "$before" || log "no TX timeout"
	wait_for 10 bus_master_on || log "bus mastering not restored"
	echo stop > /proc/net/pktgen/pgctrl
	wait "$pid"
	echo "rem_device_all" > /proc/net/pktgen/kpktgend_0
	# the reset takes the link down and up, as a down/up would
	link_ready eth0 || log "the link did not come back after the reset"
	log "tx_timeout $before -> $(tx_timeouts), PCI_COMMAND $cmd -> $(pci_command)"
	dmesg | grep -q 'eth0: TX hang: resetting the device' &&
		tx_timed_out "$before" && bus_master_on || return 1
	# The first ping after the reset must be answered: the reset leaves
	# no partial frame behind in the device (QEMU's TX engine read garbage
	# descriptors while mastering was off). One ping waits -W seconds for
	# its own reply (BusyBox ping gives up after -W only while none came).
	if ! ping -c 1 -W 5 "$GW" > /tmp/ping.out 2>&1; then
		sed 's/^/# /' /tmp/ping.out
		log "the first ping after the reset was not answered"
		return 1
	fi
	ping_all 5
}

reset_seen() { dmesg | grep -q 'eth0: link down with frames on the TX ring'; }

# Frames stranded by a link loss: the device stops DMA without a link,
# and the stack's TX watchdog ignores a queue without carrier (or one not
# stopped), so e1k resets the device itself once its watchdog has seen no
# progress for two seconds. QEMU's model completes frames with or without
# a link: bus mastering is cleared first to keep one echo request on the
# ring; the reset sets it again.
link_loss_tx_pending() {
	local cmd ok=1
	dmesg -c >> /tmp/kernel.log
	cmd=$(pci_command)
	gw_pin || return 1
	pci_command_set "$(printf '%04x' $((0x$cmd & ~4)))"
	bus_master_on && { log "could not clear bus mastering"; gw_unpin; return 1; }
	ping -c 1 -W 1 "$GW" > /dev/null 2>&1
	host set_link nic0 off
	wait_for 10 carrier_is eth0 0 || { log "carrier stayed 1"; ok=0; }
	wait_for 15 reset_seen || { log "no reset while the link was down"; ok=0; }
	wait_for 10 bus_master_on || { log "bus mastering not restored"; ok=0; }
	log "PCI_COMMAND $cmd -> $(pci_command), carrier $(sysval eth0 carrier)"
	host set_link nic0 on
	gw_unpin
	pci_command_set "$cmd"
	[ $ok = 1 ] && link_ready eth0 && ping_all 3
}

PCI_ERROR=/lib/modules/pci_error.ko
eth0_slot() { basename "$(readlink /sys/class/net/eth0/device)"; }
no_eth0() { ! have_if eth0; }

# pci_error SLOT MODE: tests/modules/pci_error.c plays PCI error recovery
# on SLOT, as the PCI core would after an uncorrectable error.
pci_error() {
	insmod $PCI_ERROR slot="$1" mode="$2" || return 1
	rmmod pci_error
	dmesg | grep "pci_error: $1" | sed 's/^/# /'
}

# error_detected takes eth0 down, slot_reset resets it, resume starts it.
pci_error_recovers() {
	local slot
	[ -f $PCI_ERROR ] || { echo "no pci_error.ko (debug kernel only)"; return $SKIP; }
	slot=$(eth0_slot)
	dmesg -c >> /tmp/kernel.log
	pci_error "$slot" recover || return 1
	dmesg | grep -q "pci_error: $slot: resumed" &&
		link_ready eth0 && ping_all 5
}

# Recovery given up after error_detected took eth0 down (and disabled
# the device), and a permanent failure: the device is removed, its
# interface closed after the down (the close skips what the down did),
# and a rescan probes it again.
pci_error_removed() {
	local slot mode
	[ -f $PCI_ERROR ] || { echo "no pci_error.ko (debug kernel only)"; return $SKIP; }
	for mode in give-up perm; do
		slot=$(eth0_slot)
		dmesg -c >> /tmp/kernel.log
		pci_error "$slot" $mode &&
			dmesg | grep -q "pci_error: $slot: removed" &&
			wait_for 10 no_eth0 || { log "$mode: eth0 not removed"; return 1; }
		echo 1 > /sys/bus/pci/rescan
		wait_for 10 have_if eth0 && [ "$(driver_of eth0)" = e1k ] &&
			eth0_up && ping_all 3 || { log "$mode: eth0 not back"; return 1; }
	done
}

tap_plan 21
t "insmod binds eth0 and eth1 to e1k" load_and_bind
t "eth0 and eth1 MACs equal QEMU's mac= options" mac_matches_qemu
t "ethtool reports driver e1k and link detected" ethtool_reports
t "32-bit DMA mask; the I/O BAR claimed" dma_mask_io_bar
t "ping 10.0.2.2: 10 of 10 replies" ping_gateway
t "1400-byte pings: 20 of 20 replies" ping_1400
t "rx/tx packet counters agree with 50 pings" counters_agree
t "MAC change: ping works at the new address and back" mac_change_then_ping
t "promisc on/off: foreign frames received only when on" promisc_on_off
t "pktgen 100000 frames: tx_packets +100000, no drops or errors" pktgen_100k
t "link flap via QEMU monitor: carrier 0 then 1, ping recovers" link_flap
t "100 down/up cycles, then ping" down_up_100
t "20 rmmod/insmod cycles, then ping" reload_20
t "rmmod while a ping flood runs, reload, ping" rmmod_under_traffic
t "malformed module parameter debug=abc is rejected" bad_module_param
t "TX hang (bus mastering cleared): timeout, reset, ping recovers" tx_hang_recovers
t "link lost with a frame on the ring: reset while down, ping after" link_loss_tx_pending
t "PCI error recovery: error_detected, slot_reset, resume; ping" pci_error_recovers
t "PCI error, recovery given up or permanent: removed cleanly, rescan" pci_error_removed
t "final rmmod removes both interfaces" final_unload
t "kmemleak finds no leak after the whole run" kmemleak_clean
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
