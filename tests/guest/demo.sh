# The demo, run in the guest by scripts/demo: load e1k, ping through it,
# bring it down and up, unload and reload it, ping again.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

STEPS=0
FAILED=0

step() {
	local what=$1
	shift
	STEPS=$((STEPS + 1))
	echo "\$ $what"
	if "$@" > /tmp/step.out 2>&1; then
		sed 's/^/    /' /tmp/step.out
		echo "  [ ok ] $what"
	else
		sed 's/^/    /' /tmp/step.out
		echo "  [FAIL] $what"
		FAILED=$((FAILED + 1))
	fi
}

bound() {
	echo "eth0: driver $(driver_of eth0), address $(sysval eth0 address)"
	[ "$(driver_of eth0)" = e1k ]
}

bring_up() {
	eth0_up || return 1
	ip -4 addr show dev eth0 | grep inet
	echo "carrier $(sysval eth0 carrier)"
}

# ping's summary, and the kernel's count of the replies (ping_all)
pings() {
	local rc=0
	ping_all 3 || rc=1
	grep -v '^$' /tmp/ping.out
	return $rc
}

down_up() {
	ip link set eth0 down && ip link set eth0 up &&
		link_ready eth0 && ip route add default via "$GW"
}

klog_baseline
step "insmod e1k.ko" e1k_load
step "eth0 is driven by e1k" bound
step "ip link set eth0 up; ip addr add $IP/24; ip route add default via $GW" bring_up
step "ping -c 3 $GW" pings
step "ip link set eth0 down; ip link set eth0 up" down_up
step "ping -c 3 $GW" pings
step "rmmod e1k" e1k_unload
step "insmod e1k.ko" e1k_load
step "ip link set eth0 up (again)" bring_up
step "ping -c 3 $GW" pings

echo "--- kernel messages from e1k ---"
dmesg | grep -E 'e1k|eth[01]' | grep -v e1k-harness | sed 's/^/    /'
if ! klog_check > /tmp/klog.out; then
	cat /tmp/klog.out
	FAILED=$((FAILED + 1))
	echo "  [FAIL] kernel log has reports"
fi

if [ "$FAILED" = 0 ]; then
	echo "demo: PASS - $STEPS steps, kernel log clean"
else
	echo "demo: FAIL - $FAILED of $STEPS steps failed"
fi
