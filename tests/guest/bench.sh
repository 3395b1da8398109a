# shellcheck shell=sh
# One benchmark round for one driver (e1ktest.driver=e1k, e1000 or
# e1k-old), booted by scripts/bench. Prints "@@result NAME VALUE" lines;
# scripts/bench collects them across rounds and drivers.
#
# e1k and e1000 run the TX, ping, RX and TCP rows (under -icount,
# e1ktest.icount=1, only TX), then the rows on eth0 of bench_xdp: every
# driver plain RX with no program, e1k and e1000 xdp-bench drop and tx
# generically (-m skb), e1k natively too. e1k-old (e1k as of 0d7a27c,
# /lib/modules/e1k-old.ko) runs only those plain RX rows.
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

# xdp-tools and bpftool from the host (scripts/lib.sh, e1k_xdp_initramfs)
PATH=/opt/xdp/bin:$PATH
export PATH

DRIVER=$(kernel_arg e1ktest.driver)
ICOUNT=$(kernel_arg e1ktest.icount)
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
	e1k-old) insmod /lib/modules/e1k-old.ko ;;
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

# --- XDP and plain RX on eth0 (bench_xdp) --------------------------------
#
# Two figures per row, from frames of the host's C flooder (vm.py
# --flooder, "@@flood": frames.py's 60-byte burst frame to eth0, numbered,
# EtherType 0x88B5, which no protocol handles):
#   NAME_pps  (wall clock only) the rate while FLOOD_SENDERS senders offer
#             FLOOD_PPS frames/s, more than the guest takes: the rate
#             xdp-bench reports (the median of its 1 s lines but the first
#             and the last), or, with no program, rx_packets over the flood
#             as bench_rx counts them;
#   NAME_cpu  the guest's CPU per frame over CPF_FRAMES frames offered at
#             CPF_PPS, below capacity (none lost, else the row says so):
#             the time the CPU was not idle over the frames received.
#             By the wall clock ns per frame; under -icount (8 ns of guest
#             time per instruction) instructions per frame. Less the
#             tare: what the window costs without the frames (the request
#             to the host, reading the figures, the guest's timers).
# Non-idle time: elapsed minus idle from /proc/timer_list ("now at", and
# the tick code's idle_sleeptime and iowait_sleeptime, in ns: the same
# idle time /proc/stat shows, in 10 ms units). NAME_cpustat is the same
# figure from /proc/stat's non-idle fields (user nice system irq softirq
# steal), which the tick samples every 4 ms: a cross-check.
FLOOD_PPS=$(kernel_arg e1ktest.floodpps)
FLOOD_PPS=${FLOOD_PPS:-400000}
FLOOD_SENDERS=2
FLOOD_SECONDS=5
CPF_FRAMES=$(kernel_arg e1ktest.cpfframes)
CPF_FRAMES=${CPF_FRAMES:-100000}
CPF_PPS=$(kernel_arg e1ktest.cpfpps)
# Below every driver's capacity (under -icount e1000's generic XDP_TX, the
# costliest row, keeps the CPU busy about 40 % of the time), yet several
# frames to an interrupt: at 5000/s about one, and the figure varied by
# 10 % between boots with the moment each frame came.
CPF_PPS=${CPF_PPS:-20000}
BIG=1000000	# s: guest time under -icount leaps while the guest idles

# xdp-bench's action and mode of each row (NAME ACTION MODE; plain: none).
xdp_rows() {
	case $DRIVER in
	e1k) echo "xdp_drop_native drop native xdp_tx_native tx native
		xdp_drop_skb drop skb xdp_tx_skb tx skb rx_plain - -" ;;
	e1000) echo "xdp_drop_skb drop skb xdp_tx_skb tx skb rx_plain - -" ;;
	e1k-old) echo "rx_plain - -" ;;
	esac
}

# flood COUNT SENDERS PPS: the host sends; returns once all are out.
flood() {
	local answer
	answer=$(request $BIG flood burst "$@") || return 1
	case $answer in
	sent*) ;;
	*) log "host: $answer"; return 1 ;;
	esac
}

# cpu_now: "ELAPSED_NS IDLE_NS STAT_NONIDLE_TICKS" of the one CPU.
cpu_now() {
	awk '$1 == "now" && $2 == "at" { now = $3 }
		$1 == ".idle_sleeptime" || $1 == ".iowait_sleeptime" { idle += $3 }
		END { printf "%s %s ", now, idle }' /proc/timer_list
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# rx_now: eth0's rx_packets (a shell builtin reads it: no process)
rx_now() {
	local n
	read -r n < /sys/class/net/eth0/statistics/rx_packets
	echo "$n"
}

# rx_wait TARGET: wait until rx_packets reaches TARGET, or stays put for
# 20 polls of 0.1 s.
rx_wait() {
	local n prev=-1 still=0
	read -r n < /sys/class/net/eth0/statistics/rx_packets
	while [ "$n" -lt "$1" ] && [ $still -lt 20 ]; do
		usleep 100000
		prev=$n
		read -r n < /sys/class/net/eth0/statistics/rx_packets
		if [ "$n" = "$prev" ]; then still=$((still + 1)); else still=0; fi
	done
}

# warm_up: 200 frames at 2000/s, until all of them arrive (3 tries):
# nothing holds eth0's frames back any more (QEMU's e1000 does for a
# second after an RCTL write, which attaching or detaching a program may
# bring: see rx_resumed), and the frames of a flood before have all been
# taken.
warm_up() {
	local tries=3 rx0
	while [ $tries -gt 0 ]; do
		rx0=$(rx_now)
		flood 200 1 2000 || return 1
		rx_wait $((rx0 + 200))
		[ "$(rx_now)" -ge $((rx0 + 200)) ] && return 0
		tries=$((tries - 1))
	done
	log "warm-up: eth0 does not receive every frame"
}

# cpu_per_frame NAME: CPF_FRAMES frames at CPF_PPS; NAME_cpu. Tried again
# (3 tries in all) while more than 1 % of them are lost (the host's socket
# buffer or the ring overflowed while QEMU's threads waited for a busy
# host's CPU): the guest then took the rest in larger batches, and more
# cheaply.
cpu_per_frame() {
	local rx0 c0 c1 rx tries=3
	while [ $tries -gt 0 ]; do
		warm_up
		rx0=$(rx_now) c0=$(cpu_now)
		flood "$CPF_FRAMES" 1 "$CPF_PPS" || return 1
		rx_wait $((rx0 + CPF_FRAMES))
		c1=$(cpu_now)
		rx=$(($(rx_now) - rx0))
		# (a few more may come: slirp's router advertisements)
		[ "$rx" -ge "$CPF_FRAMES" ] && break
		log "$1: $rx of $CPF_FRAMES frames received: lost $((CPF_FRAMES - rx))"
		[ $((rx * 100)) -ge $((CPF_FRAMES * 99)) ] && break
		tries=$((tries - 1))
	done
	[ "$rx" -gt 0 ] || { log "$1: no frame received"; return 1; }
	echo "$c0 $c1" | awk -v rx="$rx" -v name="$1" -v ic="$ICOUNT" \
		-v tare="$TARE_NS" -v bg="$BG_NS_PER_S" '{
		busy = ($4 - $1) - ($5 - $2); elapsed = ($4 - $1) / 1e9
		net = busy - tare - bg * elapsed
		ticks = $6 - $3
		# ns, or instructions (8 ns each) under -icount
		unit = ic == 1 ? 8 : 1
		printf "# %s: %d frames, %.3f s elapsed, %.4f s busy (%.1f%%), %.4f s less the tare: %.1f per frame (%.1f before); /proc/stat: %d ticks non-idle, %.1f per frame\n",
			name, rx, elapsed, busy / 1e9, busy / 1e7 / elapsed, net / 1e9,
			net / unit / rx, busy / unit / rx, ticks, ticks * 1e7 / unit / rx
		printf "@@result %s_cpu %.1f\n", name, net / unit / rx }'
}

# bench_attached: xdp-bench's program is on eth0 (ip -d link shows it).
bench_attached() { /opt/xdp/bin/ip -d link show dev eth0 | grep -q 'prog/xdp'; }
bench_gone() { ! bench_attached; }

# xdp_bench_start ACTION MODE INTERVAL: xdp-bench in the background
# (BENCH_PID, output in /tmp/xdp-bench.out), once its program is attached.
xdp_bench_start() {
	xdp-bench "$1" -m "$2" -i "$3" eth0 > /tmp/xdp-bench.out 2>&1 &
	BENCH_PID=$!
	# QEMU's e1000 holds received frames back for a second after an RCTL
	# write (see rx_resumed), which attaching may bring
	wait_for 10 bench_attached && sleep 2 && return 0
	sed 's/^/# /' /tmp/xdp-bench.out
	xdp_bench_stop
	return 1
}

xdp_bench_stop() {
	kill -INT "$BENCH_PID" 2> /dev/null
	wait "$BENCH_PID"
	wait_for 10 bench_gone || log "xdp-bench left its program on eth0"
}

# rate NAME ACTION MODE: NAME_pps, by the wall clock.
rate() {
	local rx0 t0 t1 rate
	if [ "$2" = - ]; then
		warm_up
		rx0=$(rx_now) t0=$(uptime_cs)
		flood $((FLOOD_PPS * FLOOD_SECONDS)) $FLOOD_SENDERS "$FLOOD_PPS" || return 1
		rx_settle eth0
		t1=$(($(uptime_cs) - 50))	# rx_settle's last quiet half second
		result "$1_pps" "$((($(rx_now) - rx0) * 100 / (t1 - t0)))"
		return
	fi
	xdp_bench_start "$2" "$3" 1 || return 1
	warm_up
	flood $((FLOOD_PPS * FLOOD_SECONDS)) $FLOOD_SENDERS "$FLOOD_PPS"
	xdp_bench_stop
	sed 's/^/# /' /tmp/xdp-bench.out
	# xdp-bench's 1 s lines, "Summary N rx/s ...": those of the flood
	# (the warm-up's are below 10,000/s) but the first and the last, which
	# it fills in part
	rate=$(sed -n 's/^Summary *\([0-9,]*\) rx\/s.*/\1/p' /tmp/xdp-bench.out |
		tr -d , | awk '$1 >= 10000 { v[++m] = $1 } END {
			n = 0; for (i = 2; i < m; i++) w[++n] = v[i]
			if (n == 0) exit
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
			print (n % 2) ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2 }')
	[ -n "$rate" ] || { log "$1: no rate from xdp-bench"; return 1; }
	result "$1_pps" "$rate"
}

# per_frame NAME ACTION MODE: NAME_cpu with xdp-bench's program attached
# (and xdp-bench asleep: one line a day).
per_frame() {
	[ "$2" = - ] && { cpu_per_frame "$1"; return; }
	xdp_bench_start "$2" "$3" 86400 || return 1
	cpu_per_frame "$1"
	xdp_bench_stop
}

# busy_ns C0 C1: the ns the CPU was not idle between two cpu_now, and the
# elapsed ns
busy_ns() {
	echo "$1 $2" | awk '{ printf "%d %d\n", ($4 - $1) - ($5 - $2), $4 - $1 }'
}

# tare: what a row's window costs without its frames, subtracted from
# each row: TARE_NS, the window's own cost (the request to the host and
# reading the figures: the median of 3 windows with no frame), and
# BG_NS_PER_S, what the guest does anyway (its timers), over 10 s with a
# frame a second. The CPU is otherwise idle: nothing but this script runs
# (ps, printed).
tare() {
	local c0 c1 list="" try
	warm_up
	for try in 1 2 3; do
		c0=$(cpu_now)
		flood 0 1 1
		c1=$(cpu_now)
		list="$list $(busy_ns "$c0" "$c1" | cut -d' ' -f1)"
		: "$try"
	done
	# shellcheck disable=SC2086 # one word each
	TARE_NS=$(printf '%s\n' $list | sort -n | sed -n 2p)
	c0=$(cpu_now)
	flood 10 1 1
	c1=$(cpu_now)
	BG_NS_PER_S=$(busy_ns "$c0" "$c1" | awk -v t="$TARE_NS" '{
		b = ($1 - t) / ($2 / 1e9); print (b > 0 ? int(b) : 0) }')
	log "tare: a window with no frame costs$list ns (the median is subtracted); the guest otherwise $BG_NS_PER_S ns/s"
	# shellcheck disable=SC2009 # the list is the point
	ps | grep -v ' \[' | sed 's/^/# ps: /'
}

bench_xdp() {
	local name action mode
	mkdir -p /run /sys/fs/bpf
	mount -t bpf bpf /sys/fs/bpf || return 1
	# nothing of the guest's own on the wire: no ARP for the gateway
	arp -i eth0 -s "$GW" "$SLIRP_MAC"
	tare
	# shellcheck disable=SC2046 # word splitting wanted
	set -- $(xdp_rows)
	while [ $# -ge 3 ]; do
		name=$1 action=$2 mode=$3
		shift 3
		[ "$ICOUNT" = 1 ] || rate "$name" "$action" "$mode"
		per_frame "$name" "$action" "$mode"
	done
}

load || { echo "# bench: $DRIVER did not come up"; exit 1; }
echo "# bench: $DRIVER, $(ethtool -i eth0 | head -n 1)"
# e1ktest.rows=xdp: only bench_xdp's rows (a quick check of them)
if [ "$DRIVER" != e1k-old ] && [ "$(kernel_arg e1ktest.rows)" != xdp ]; then
	bench_tx
	# Under -icount, guest time counts instructions: only the guest-timed
	# transmit rows mean something there.
	if [ "$ICOUNT" != 1 ]; then
		bench_ping
		bench_rx
		bench_tcp
	fi
fi
bench_xdp
