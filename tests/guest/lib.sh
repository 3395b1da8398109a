# shellcheck shell=sh
# Shared helpers for the guest scripts (BusyBox sh). Sourced, not run.
#
# Test output is TAP (ok N - name / not ok N - name, diagnostics as
# "# ..."), one scenario per function, as the kernel's own selftests do.

MOD=/lib/modules/e1k.ko
PKTGEN=/lib/modules/pktgen.ko
IP=10.0.2.15
GW=10.0.2.2

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

# Ask the host for frames from scripts/inject.py on the hub; returns once
# they are all sent (scripts/vm.py answers "@@ack").
inject() {
	local ack
	echo "@@inject $1 $2" > /dev/ttyS1
	read -r ack < /dev/ttyS1
	[ "$ack" = "@@ack" ]
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
carrier_is() { [ "$(sysval "$1" carrier)" = "$2" ]; }
driver_of() { basename "$(readlink "/sys/class/net/$1/device/driver")"; }
have_if() { [ -e "/sys/class/net/$1" ]; }
no_module() { [ ! -e /sys/module/e1k ]; }

e1k_load() {
	insmod "$MOD" "$@" || return 1
	wait_for 10 have_if eth0 && wait_for 10 have_if eth1
}

e1k_unload() {
	rmmod e1k && wait_for 10 no_module
}

# Bring eth0 up with the guest address; wait for carrier.
eth0_up() {
	ip link set eth0 up || return 1
	ip addr add "$IP/24" dev eth0 2>/dev/null
	ip route add default via "$GW" 2>/dev/null
	wait_for 10 carrier_is eth0 1 || { log "eth0 has no carrier"; return 1; }
}

# ping_all COUNT [ARGS...]: every one of COUNT pings to the gateway answered.
ping_all() {
	local count=$1 out got
	shift
	out=$(ping -c "$count" -W 2 "$@" "$GW" 2>&1)
	got=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	if [ "$got" != "$count" ]; then
		echo "$out" | sed 's/^/# /'
		log "expected $count replies, got ${got:-none}"
		return 1
	fi
}

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

# Kernel log since the last check; prints report excerpts, fails on any.
klog_check() {
	local new
	new=$(dmesg -c | drop_injected)
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

# rx_settle IFACE: wait (up to 10 s) until IFACE's rx_packets stays put for
# half a second: frames queued in QEMU while the guest was busy are in.
rx_settle() {
	local prev now tries=20
	now=$(stat_of "$1" rx_packets)
	while [ $tries -gt 0 ]; do
		usleep 500000
		prev=$now
		now=$(stat_of "$1" rx_packets)
		[ "$now" = "$prev" ] && return 0
		tries=$((tries - 1))
	done
}

# hw_stats_settle IFACE: rx_settle, then wait for the 2 s watchdog to fold
# the MAC's counters (missed, length errors) into the statistics.
hw_stats_settle() { rx_settle "$1"; sleep 3; }

# pktgen_send IFACE DST_MAC COUNT [GAP_NS]: send COUNT 60-byte UDP frames,
# GAP_NS apart (default: back to back); prints
# pktgen's result line and fails unless it reports all of them sent.
pktgen_send() {
	pktgen_setup "$@" || return 1
	echo "start" > /proc/net/pktgen/pgctrl
	grep -A 2 '^Result' /proc/net/pktgen/"$1" | sed 's/^/# pktgen: /'
	grep -q "^Result: OK" /proc/net/pktgen/"$1" &&
		grep -q "sofar: $3\b" /proc/net/pktgen/"$1" &&
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

# kmemleak reports only objects older than 5 s, found by a scan.
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
