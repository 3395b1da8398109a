# shellcheck shell=sh
# Shared helpers for the guest scripts (BusyBox sh). Sourced, not run.
#
# Test output is TAP (ok N - name / not ok N - name, diagnostics as
# "# ..."), one scenario per function, as the kernel's own selftests do.
#
# No scenario sleeps before it asserts: every wait is a bounded poll of
# something the kernel or the host reports (wait_for).

MOD=/lib/modules/e1k.ko
PKTGEN=/lib/modules/pktgen.ko
IP=10.0.2.15
GW=10.0.2.2
SLIRP_MAC=52:55:0a:00:02:02	# slirp's gateway, 10.0.2.2

# kernel_arg NAME: the value of NAME=... on the kernel command line.
kernel_arg() {
	local arg
	for arg in $(cat /proc/cmdline); do
		case "$arg" in
		"$1"=*) echo "${arg#*=}" ;;
		esac
	done
}

# QEMU's mac= options, passed on the command line by scripts/vm.py.
MAC0=$(kernel_arg e1ktest.mac0)
MAC1=$(kernel_arg e1ktest.mac1)

# Kernel reports that fail a scenario.
KERNEL_BAD='WARNING:|\bBUG\b|Oops|Call Trace|nobody cared|waiting for eth[0-9]|KASAN|UBSAN|possible recursive locking|possible circular locking|inconsistent lock state|lock inversion|held when returning|DMA-API|kmemleak: .*(leak|unreferenced)|sleeping function called from invalid context|general protection|refcount_t:|list_(add|del) corruption|blocked for more than|ODEBUG|Kernel panic'

# Nobody's address on the QEMU hub. Its multicast-table hash (0x341) is
# not that of 01:00:5e:00:00:01 (all-hosts, 0x010), which QEMU's model
# would also match for a unicast frame.
FOREIGN_MAC=02:00:00:00:12:34

KMEMLEAK=/sys/kernel/debug/kmemleak

log() { echo "# $*"; }

uptime_s() { cut -d. -f1 /proc/uptime; }

# request TIMEOUT VERB [ARGS...]: send "@@VERB ID ARGS..." to scripts/vm.py
# and print its answer, the rest of the line "@@ack ID ANSWER". ID is new
# for each request: an answer to an earlier one is skipped. Fails after
# TIMEOUT seconds without an answer.
request() {
	local timeout=$1 verb=$2 id end left line
	shift 2
	id=$(cut -c1-8 /proc/sys/kernel/random/uuid)
	end=$(($(uptime_s) + timeout))
	echo "@@$verb $id $*" > /dev/ttyS1
	# shellcheck disable=SC3045 # BusyBox ash has read -t
	while left=$((end - $(uptime_s))) && [ "$left" -gt 0 ] &&
		read -t "$left" -r line < /dev/ttyS1; do
		case $line in
		"@@ack $id "*) echo "${line#"@@ack $id "}"; return 0 ;;
		esac
	done
	log "no answer from the host to @@$verb $* within $timeout s"
	return 1
}

# inject KIND COUNT: the host sends COUNT frames of KIND (scripts/frames.py)
# to eth0 through its port on the hub (vm.py --injector); returns once all
# are sent. While rxcount runs (rx_begin), they come in chunks, each
# followed by a barrier, and inject waits for each barrier before it asks
# for the next chunk: a chunk fits in the RX ring however slowly the guest
# takes it, so QEMU never drops one for want of descriptors. A burst comes
# whole (its point is to overflow), then a barrier.
inject() {
	local kind=$1 count=$2 seq=0 hex answer
	while :; do
		hex=$(printf %04x $seq)
		# shellcheck disable=SC2086 # no token, no arguments
		answer=$(request $((30 + count / 100)) inject "$kind" "$count" \
			${RX_TOKEN:+"$RX_TOKEN" "$hex"}) || return 1
		case $answer in
		sent*) ;;
		*) log "host: $answer"; return 1 ;;
		esac
		[ -n "$RX_TOKEN" ] || return 0
		rx_barrier "$hex" || return 1
		case $answer in
		*", last") return 0 ;;
		esac
		seq=$((seq + 1))
	done
}

# Ask the host to run a QEMU monitor command (see scripts/vm.py).
host() { echo "@@host $*" > /dev/ttyS1; }

# wait_for SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds.
wait_for() {
	local tenths=$(($1 * 10))
	shift
	while ! "$@" 2>/dev/null; do
		tenths=$((tenths - 1))
		[ "$tenths" -gt 0 ] || return 1
		usleep 100000
	done
}

sysval() { cat "/sys/class/net/$1/$2" 2>/dev/null; }
stat_of() { sysval "$1" "statistics/$2"; }
ethstat() { ethtool -S "$1" | sed -n "s/^ *$2: //p"; }
tx_reached() { [ "$(stat_of "$1" tx_packets)" -ge "$2" ]; }
rx_reached() { [ "$(stat_of "$1" rx_packets)" -ge "$2" ]; }
carrier_is() { [ "$(sysval "$1" carrier)" = "$2" ]; }
operstate_up() { [ "$(sysval "$1" operstate)" = up ]; }
driver_of() { basename "$(readlink "/sys/class/net/$1/device/driver")"; }
have_if() { [ -e "/sys/class/net/$1" ]; }
no_module() { [ ! -e /sys/module/e1k ]; }

# The link is up for traffic: carrier, operstate "up" (linkwatch has run
# and attached the qdisc again) and a speed, which e1k reports only while
# the device's link is up (a negotiation just restarted has taken it
# down, even before the driver has noticed).
link_up() {
	carrier_is "$1" 1 && operstate_up "$1" &&
		ethtool "$1" | grep -q 'Speed: [0-9]'
}

# link_ready IFACE: wait (up to 10 s) until IFACE's link is up for traffic.
link_ready() {
	wait_for 10 link_up "$1" && return 0
	log "$1: carrier $(sysval "$1" carrier), operstate $(sysval "$1" operstate), $(ethtool "$1" | grep 'Speed:')"
	return 1
}

e1k_load() {
	insmod "$MOD" "$@" || return 1
	wait_for 10 have_if eth0 && wait_for 10 have_if eth1
}

e1k_unload() {
	rmmod e1k && wait_for 10 no_module
}

# Bring eth0 up with the guest address; wait until the link is up.
eth0_up() {
	ip link set eth0 up || return 1
	ip addr add "$IP/24" dev eth0 2>/dev/null
	ip route add default via "$GW" 2>/dev/null
	link_ready eth0
}

# icmp FIELD: a counter of the Icmp line of /proc/net/snmp.
icmp() {
	awk -v f="$1" '/^Icmp:/ { if (!n++) for (i = 2; i <= NF; i++) c[$i] = i
		else print $c[f] }' /proc/net/snmp
}
icmp_reached() { [ "$(icmp "$1")" -ge "$2" ]; }

# ping_to ADDR COUNT [PING-ARGS...]: COUNT echo requests to ADDR, every
# one answered. The kernel counts the requests and the replies (Icmp
# OutEchos, InEchoReps); replies are waited for up to 10 s after ping
# ends, as BusyBox ping counts one later than about a second as lost.
# Late replies to earlier pings count too (and are logged): nothing else
# may send echo requests meanwhile. ping's own output is in /tmp/ping.out.
ping_to() {
	local addr=$1 count=$2 out0 in0 sent got
	shift 2
	out0=$(icmp OutEchos) in0=$(icmp InEchoReps)
	ping -c "$count" -W 2 "$@" "$addr" > /tmp/ping.out 2>&1
	wait_for 10 icmp_reached InEchoReps $((in0 + count))
	sent=$(delta "$out0" "$(icmp OutEchos)")
	got=$(delta "$in0" "$(icmp InEchoReps)")
	if [ "$sent" != "$count" ] || [ "$got" -lt "$count" ]; then
		sed 's/^/# /' /tmp/ping.out
		log "$addr: $sent echo requests sent, $got replies; expected $count"
		return 1
	fi
	[ "$got" = "$count" ] ||
		log "$addr: $((got - count)) more replies: late ones to earlier pings"
}

# ping_all COUNT [ARGS...]: every one of COUNT pings to the gateway answered.
ping_all() {
	local count=$1
	shift
	ping_to "$GW" "$count" "$@"
}

# QEMU's e1000 holds received frames back for a second after each RCTL
# write (its flush_queue_timer), and drops what outgrows the free
# descriptors when it lets them go. rx_resumed: wait (up to 10 s) until
# eth0 receives again: a ping to the gateway is answered.
rx_resumed() {
	wait_for 10 ping -c 1 -W 1 "$GW" > /dev/null ||
		{ log "eth0 receives nothing"; return 1; }
}

# Pin the gateway's ARP entry (permanent): the guest then sends no ARP
# probe of its own, so it transmits only what a scenario sends.
gw_pin() { arp -i eth0 -s "$GW" "$SLIRP_MAC"; }
gw_unpin() { arp -i eth0 -d "$GW" > /dev/null 2>&1; }

# --- Counting received frames (tests/guest/rxcount.c) --------------------
#
# rx_begin starts rxcount on an interface; inject's frames then end with
# barrier frames carrying rxcount's token. Once rxcount has seen the last,
# every frame sent before it has been received, or lost. rx_end stops
# rxcount and reads its counts: interface counters read between the two
# cover frames rxcount saw too.
RXCOUNT_OUT=/tmp/rxcount.out
RX_TOKEN=""

rxcount_ready() { grep -q '^ready ' $RXCOUNT_OUT; }

# rx_begin IFACE [RXCOUNT-OPTIONS...]: start rxcount; returns once its
# sockets are open.
rx_begin() {
	local iface=$1
	shift
	command -v rxcount > /dev/null ||
		{ log "no rxcount: scripts/lib.sh builds tests/guest/rxcount.c"; return 1; }
	rm -f $RXCOUNT_OUT
	rxcount -t 600 "$@" "$iface" > $RXCOUNT_OUT 2>&1 &
	RX_PID=$! RX_IF=$iface
	if ! wait_for 10 rxcount_ready; then
		rx_end
		return 1
	fi
	RX_TOKEN=$(sed -n 's/^ready //p' $RXCOUNT_OUT)
}

# rx_barrier SEQ [FROM]: wait until rxcount has seen barrier SEQ, sent by
# the host (inject), or, with FROM, now, from the interface FROM. A
# barrier the device dropped (a full ring) is sent again every 2 s, up to
# 8 times.
rx_barrier() {
	local seq=$1 from=${2:-} n=0
	while :; do
		if [ -n "$from" ]; then
			rxcount -b "$from" "$(sysval "$RX_IF" address)" \
				"$RX_TOKEN" "$seq"
		elif [ $n -gt 0 ]; then
			request 10 barrier "$RX_TOKEN" "$seq" > /dev/null
		fi
		wait_for 2 grep -q "^barrier $seq\$" $RXCOUNT_OUT && return 0
		n=$((n + 1))
		[ $n -lt 8 ] || break
	done
	log "rxcount on $RX_IF never saw barrier $seq"
	return 1
}

# rx_end [FROM]: with FROM, send a barrier from the interface FROM and wait
# for it first. Stops rxcount; sets RX_FRAMES (frames from the injector,
# or from rxcount -s's address), RX_OTHERS (frames from anyone else) and
# RX_BARRIERS (barriers seen); rx_vlan VID is how many of RX_FRAMES came
# on VLAN VID. Fails if no barrier came, or if rxcount lost frames.
# shellcheck disable=SC2120 # FROM is optional
rx_end() {
	local ok=0
	if [ -n "${1:-}" ]; then
		rx_barrier 0000 "$1" || ok=1
	fi
	kill "$RX_PID" 2>/dev/null
	wait "$RX_PID" || ok=1
	RX_TOKEN=""
	RX_FRAMES=$(sed -n 's/^frames //p' $RXCOUNT_OUT)
	RX_OTHERS=$(sed -n 's/^others //p' $RXCOUNT_OUT)
	RX_BARRIERS=$(sed -n 's/^barriers //p' $RXCOUNT_OUT)
	[ $ok = 0 ] && return 0
	sed 's/^/# rxcount: /' $RXCOUNT_OUT
	return 1
}

rx_vlan() { sed -n "s/^vlan $1 //p" $RXCOUNT_OUT | grep . || echo 0; }

# Set the boot log aside: a debug kernel announces its checkers at boot
# ("DMA-API: preallocated ...", "kmemleak: ... initialized"); only what
# happens after this is judged.
klog_baseline() {
	dmesg -c > /tmp/kernel-boot.log
}

# The kernel's stack dumps for the fault-injection helper's failed
# allocations (see scripts/vm.py), dropped; report headlines stay.
drop_injected() {
	awk '/CPU: [0-9]+ PID: [0-9]+ Comm: failnth / { skip = 1 }
		!skip { print }
		skip && /<\/TASK>/ { skip = 0 }'
}

# KCSAN reports (headline to the closing rule of "=" signs) whose headline
# names no e1k function are dropped and counted in /tmp/foreign-races: a
# race elsewhere in the kernel is not e1k's finding, even when a stack
# passes through e1k's NAPI poll (scripts/vm.py does the same for the
# console log).
drop_foreign_races() {
	awk 'function flush(keep) { if (keep) printf "%s", r; else dropped++; r = "" }
		inr { r = r $0 "\n"
			if (/====================/) { flush(e1k); inr = 0 }; next }
		/BUG: KCSAN: / { inr = 1; e1k = /e1k/; r = prev_rule $0 "\n"
			prev_rule = ""; next }
		{ if (prev_rule != "") printf "%s", prev_rule; prev_rule = ""
			if (/====================/) { prev_rule = $0 "\n"; next }; print }
		END { if (prev_rule != "") printf "%s", prev_rule
			if (inr) printf "%s", r
			if (dropped) print dropped >> "/tmp/foreign-races" }'
}

# Kernel log since the last check; prints report excerpts, fails on any.
klog_check() {
	local new
	new=$(dmesg -c | drop_injected | drop_foreign_races)
	[ -n "$new" ] && echo "$new" >> /tmp/kernel.log
	if echo "$new" | grep -qE "$KERNEL_BAD"; then
		echo "$new" | grep -E -B 2 -A 12 "$KERNEL_BAD" | head -n 60 |
			sed 's/^/# kernel: /'
		return 1
	fi
}

TAP_N=0
TAP_FAILED=0

# A scenario returns SKIP when the kernel lacks what it checks.
SKIP=77

# Scenario functions to skip, for a quicker run while developing:
# E1K_GUEST_ARGS=e1ktest.skip=fn1,fn2 on the host.
TAP_SKIP=",$(kernel_arg e1ktest.skip),"

# t NAME FUNCTION [ARGS...]: run one scenario, then check the kernel log.
t() {
	local name=$1 ok=1 rc=0
	shift
	TAP_N=$((TAP_N + 1))
	case $TAP_SKIP in
	*",$1,"*) echo "ok $TAP_N - $name # SKIP e1ktest.skip"; return 0 ;;
	esac
	"$@" > /tmp/scenario.out 2>&1 || rc=$?
	[ "$rc" = 0 ] || [ "$rc" = $SKIP ] || ok=0
	klog_check >> /tmp/scenario.out || ok=0
	if [ "$ok" = 1 ] && [ "$rc" = $SKIP ]; then
		echo "ok $TAP_N - $name # SKIP $(tail -n 1 /tmp/scenario.out)"
		return 0
	elif [ "$ok" = 1 ]; then
		echo "ok $TAP_N - $name"
	else
		echo "not ok $TAP_N - $name"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	if [ "$ok" = 1 ]; then
		grep '^#' /tmp/scenario.out
	else
		sed -e '/^#/!s/^/# /' /tmp/scenario.out
	fi
	return 0
}

# Quiet links: no IPv6 autoconfiguration chatter in the counters, and ARP
# answers only on the interface that owns the address. The boot log and,
# on a kernel with kmemleak, what boot leaked are set aside: only what
# happens from here on is judged.
guest_setup() {
	echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null
	echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null
	echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore
	klog_baseline
	[ -w $KMEMLEAK ] && echo clear > $KMEMLEAK
}

delta() { echo $(($2 - $1)); }

# pktgen_send IFACE DST_MAC COUNT [GAP_NS]: send COUNT 60-byte UDP frames,
# GAP_NS apart (default: back to back); prints
# pktgen's result line and fails unless it reports all of them sent.
pktgen_send() {
	pktgen_setup "$@" && pktgen_run "$1" "$3"
}

# pktgen_run IFACE COUNT: start what pktgen_setup (and the caller after
# it) set up; prints pktgen's result and fails unless it reports all
# COUNT frames sent, without error.
pktgen_run() {
	echo "start" > /proc/net/pktgen/pgctrl
	grep -A 2 '^Result' /proc/net/pktgen/"$1" | sed 's/^/# pktgen: /'
	grep -q "^Result: OK" /proc/net/pktgen/"$1" &&
		grep -q "sofar: $2\b" /proc/net/pktgen/"$1" &&
		grep -q "errors: 0\b" /proc/net/pktgen/"$1"
}

pktgen_setup() {
	local dev=$1 dst=$2 count=$3 pg=/proc/net/pktgen
	[ -d $pg ] || insmod "$PKTGEN" || return 1
	echo "rem_device_all" > $pg/kpktgend_0
	echo "add_device $dev" > $pg/kpktgend_0
	echo "count $count" > $pg/"$dev"
	echo "pkt_size 60" > $pg/"$dev"
	echo "delay ${4:-0}" > $pg/"$dev"
	echo "dst 10.0.2.2" > $pg/"$dev"
	echo "udp_dst_min 9" > $pg/"$dev"
	echo "udp_dst_max 9" > $pg/"$dev"
	echo "dst_mac $dst" > $pg/"$dev"
}

final_unload() {
	e1k_unload && ! have_if eth0 && ! have_if eth1
}

# kmemleak reports an unreferenced object only once it is older than 5 s
# (its MSECS_MIN_AGE), so what the last scenario leaked shows only after
# that long: the one fixed wait, whose length is kmemleak's rule.
kmemleak_clean() {
	[ -w $KMEMLEAK ] || { echo "no kmemleak in this kernel"; return $SKIP; }
	sleep 6
	echo scan > $KMEMLEAK && echo scan > $KMEMLEAK
	if [ -s $KMEMLEAK ]; then
		head -n 40 $KMEMLEAK | sed 's/^/# kmemleak: /'
		return 1
	fi
}

tap_plan() { echo "TAP version 13"; echo "1..$1"; }
