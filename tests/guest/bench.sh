# shellcheck shell=sh
# One benchmark round for one driver (e1ktest.driver=e1k or e1000), booted
# by scripts/bench. Prints "@@result NAME VALUE" lines; scripts/bench
# collects them across rounds and drivers.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

DRIVER=$(kernel_arg e1ktest.driver)
# pktgen floods eth1, alone on a socket netdev whose host end nobody reads
# (vm.py --tx-sink): the frames cost the host a send and nothing more.
TX_IF=eth1
SINK_MAC=02:00:00:00:99:99

result() { echo "@@result $1 $2"; }

uptime_cs() { tr -d '.' < /proc/uptime | cut -d' ' -f1; }

# rx_settle IFACE: wait (up to 10 s) until IFACE's rx_packets stays put for
# half a second: the end of a burst, for the rate (a measurement, not a
# test: no assertion depends on it).
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

# Interrupts of IFACE's line so far (all CPUs).
irqs() {
	local irq
	irq=$(sysval "$1" device/irq)
	awk -v irq="$irq:" '$1 == irq { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i; print n }' /proc/interrupts
}

pktgen_pps() {	# pktgen_pps SIZE COUNT
	local pg=/proc/net/pktgen
	pktgen_setup $TX_IF $SINK_MAC "$2" || return 1
	echo "pkt_size $1" > $pg/$TX_IF
	# One skb sent over and over: what is measured is the driver's
	# transmit and completion, not pktgen building frames.
	echo "clone_skb 1000000" > $pg/$TX_IF
	echo "start" > $pg/pgctrl
	sed -n 's/.* \([0-9]*\)pps.*/\1/p' $pg/$TX_IF
}

load() {
	case $DRIVER in
	e1k) insmod "$MOD" ;;
	e1000) insmod /lib/modules/e1000.ko ;;
	esac
	wait_for 10 have_if eth1 && eth0_up && ip link set $TX_IF up &&
		link_ready $TX_IF && ping_all 3 > /dev/null
}

bench_tx() {
	local size irq0 tx0 pps
	for size in 60 1514; do
		irq0=$(irqs $TX_IF) tx0=$(stat_of $TX_IF tx_packets)
		pps=$(pktgen_pps $size 200000)
		result "tx_pps_$size" "$pps"
		if [ $size = 60 ]; then
			result irq_per_pkt_tx "$(awk -v i="$(($(irqs $TX_IF) - irq0))" \
				-v p="$(($(stat_of $TX_IF tx_packets) - tx0))" \
				'BEGIN { printf "%.4f", i / p }')"
		fi
	done
}

# The host sends a burst as fast as it can; eth0 receives what it can.
bench_rx() {
	local rx0 irq0 t0 t1 rx
	rx0=$(stat_of eth0 rx_packets) irq0=$(irqs eth0) t0=$(uptime_cs)
	inject burst 200000 > /dev/null
	rx_settle eth0
	t1=$(($(uptime_cs) - 50))	# rx_settle's last quiet half second
	rx=$(($(stat_of eth0 rx_packets) - rx0))
	result rx_pps "$((rx * 100 / (t1 - t0)))"
	result irq_per_pkt_rx "$(awk -v i="$(($(irqs eth0) - irq0))" -v p="$rx" \
		'BEGIN { printf "%.4f", i / p }')"
}

bench_tcp() {
	local port out
	port=$(kernel_arg e1ktest.iperf)
	[ -n "$port" ] && [ -x /usr/bin/iperf3 ] || return 0
	out=$(timeout 60 iperf3 -c "$GW" -p "$port" -t 5 -f m 2>&1 | sed -n 's/.* \([0-9.]*\) Mbits\/sec.*receiver/\1/p')
	result tcp_tx_mbps "${out:-0}"
	out=$(timeout 60 iperf3 -c "$GW" -p "$port" -t 5 -f m -R 2>&1 | sed -n 's/.* \([0-9.]*\) Mbits\/sec.*receiver/\1/p')
	result tcp_rx_mbps "${out:-0}"
}

bench_ping() {
	ping -c 60 -i 0.05 "$GW" | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' |
		sort -n | awk '{ v[NR] = $1 } END {
			printf "@@result ping_p50_ms %s\n", v[int(NR * 0.5 + 0.5)]
			printf "@@result ping_p99_ms %s\n", v[int(NR * 0.99 + 0.5)] }'
}

load || { echo "# bench: $DRIVER did not come up"; exit 1; }
echo "# bench: $DRIVER, $(ethtool -i eth0 | head -n 1)"
bench_tx
# Under -icount, guest time counts instructions: only the guest-timed
# transmit rows mean something there.
[ "$(kernel_arg e1ktest.icount)" = 1 ] && exit 0
bench_ping
bench_rx
bench_tcp
