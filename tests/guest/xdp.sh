# shellcheck shell=sh
# Native XDP on e1k, one TAP scenario each: the verdicts of tests/guest/
# xdp_progs.c (/guest/xdp_progs.o) judged by e1k's own counters (ethtool
# -S rx_queue_0_xdp_*, tx_queue_0_xdp_xmit*), multi-buffer frames at MTU
# 9000, AF_XDP in copy mode (xsktest), xdp-tools, and the stress of
# attaching, resizing and unloading under a flood. Booted by scripts/vm.py
# with --injector (the host sends frames of kinds "xdp" and "xdpjumbo",
# scripts/frames.py) and --pcap (nic0's capture, in which the host checks
# what came back: scripts/frames.py check-xdp-tx, check-xdp-redirect,
# check-xdp-redirect-map, check-xsk-tx with XDP_FRAMES, and the -jumbo
# checks with JUMBO_FRAMES).
# shellcheck source=tests/guest/lib.sh
. /guest/lib.sh

# bpftool, xdp-tools, xsktest and iproute2's ip (with libbpf), from the
# host (scripts/lib.sh, e1k_xdp_initramfs). BusyBox's sh runs its own ip
# applet whatever PATH says: iproute2's is called by its path (ipr).
PATH=/opt/xdp/bin:$PATH
export PATH
ipr() { /opt/xdp/bin/ip "$@"; }

PROGS=/guest/xdp_progs.o
# frames per scenario; the host checks the capture for as many
XDP_FRAMES=200
JUMBO_FRAMES=100
XSK_OUT=/tmp/xsktest.out
VERDICTS="pass drop tx redirect aborted tx_errors redirect_errors"

guest_setup

# xdp_attach IFACE SECTION|program NAME: attach the program of SECTION
# (xdp_progs.c), or the one named NAME, natively, in place of any other.
xdp_attach() {
	local iface=$1 how=sec
	shift
	[ $# = 2 ] && how=$1 && shift
	ipr -force link set dev "$iface" xdpdrv obj $PROGS $how "$1" ||
		{ log "cannot attach $how $1 to $iface"; return 1; }
}

xdp_detach() { ipr link set dev "$1" xdpdrv off; }

# The name of the program attached natively to IFACE, if any.
xdp_prog_of() {
	ipr -d link show dev "$1" | awk '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == "xdp" || $i ~ "^xdp/") on = 1 }
		on && /prog\/xdp id/ { for (i = 1; i <= NF; i++) if ($i == "name") print $(i + 1) }'
}

# xdp_shows IFACE NAME: ip -d link shows program NAME attached natively.
xdp_shows() {
	[ "$(xdp_prog_of "$1")" = "$2" ] && return 0
	log "$1: attached '$(xdp_prog_of "$1")', expected '$2':"
	ipr -d link show dev "$1" | sed 's/^/# /'
	return 1
}

xdp_none() { [ -z "$(xdp_prog_of "$1")" ]; }

xstat() { ethstat "$1" "rx_queue_0_xdp_$2"; }
xmit_stat() { ethstat "$1" "tx_queue_0_$2"; }
xstat_reached() { [ "$(xstat "$1" "$2")" -ge "$3" ]; }
stat_reached() { [ "$(stat_of "$1" "$2")" -ge "$3" ]; }
xmit_reached() { [ "$(xmit_stat "$1" "$2")" -ge "$3" ]; }

# All of IFACE's XDP verdict counters, one line.
verdicts() {
	local v out=""
	for v in $VERDICTS; do
		out="$out $v=$(xstat "$1" $v)"
	done
	echo "$out"
}

# exactly IFACE BEFORE VERDICT N: since BEFORE (a verdicts line) the
# VERDICT counter moved by N and every other by nothing.
exactly() {
	local now v want got
	now=$(verdicts "$1")
	for v in $VERDICTS; do
		want=$(echo "$2" | sed -n "s/.* $v=\([0-9]*\).*/\1/p")
		[ "$v" = "$3" ] && want=$((want + $4))
		got=$(echo "$now" | sed -n "s/.* $v=\([0-9]*\).*/\1/p")
		[ "$got" = "$want" ] && continue
		log "$1: xdp_$v $got, expected $want (before:$2)"
		return 1
	done
	log "$1:$now"
}

# xdp_verdicts IFACE VERDICT [KIND COUNT]: inject COUNT (XDP_FRAMES)
# frames of KIND (xdp); wait (up to 60 s) until the program has given
# them all VERDICT, and no frame any other.
xdp_verdicts() {
	local iface=$1 v=$2 kind=${3:-xdp} count=${4:-$XDP_FRAMES} before c0
	before=$(verdicts "$iface") c0=$(xstat "$iface" "$v")
	inject "$kind" "$count" > /dev/null || return 1
	wait_for 60 xstat_reached "$iface" "$v" $((c0 + count)) ||
		{ log "xdp_$v: $c0 -> $(xstat "$iface" "$v"), expected +$count"; return 1; }
	exactly "$iface" "$before" "$v" "$count"
}

load_up() {
	e1k_load || return 1
	mkdir -p /run /sys/fs/bpf
	mount -t bpf bpf /sys/fs/bpf || return 1
	eth0_up && gw_pin && ping_all 3 || return 1
	ethtool -S eth0 | grep xdp | sed 's/^ */# /'
}

xsk_ready() { grep -q '^xsktest: ready' $XSK_OUT; }

# xsk_receive KIND COUNT XSKTEST-ARGS...: start xsktest (rx or pkt) on
# eth0, inject COUNT frames of KIND once it is ready, and wait for its
# verdict on them (byte for byte, in order).
xsk_receive() {
	local kind=$1 count=$2 pid rc=0
	shift 2
	xsktest "$@" > $XSK_OUT 2>&1 &
	pid=$!
	if wait_for 10 xsk_ready; then
		inject "$kind" "$count" > /dev/null || rc=1
		wait $pid || rc=1
	else
		kill $pid 2> /dev/null
		wait $pid
		rc=1
	fi
	sed 's/^/# /' $XSK_OUT
	return $rc
}

# sock_check COUNT [jumbo]: the next COUNT frames the host injects reach
# a packet socket byte for byte (xsktest pkt).
sock_check() {
	local kind=xdp
	[ "${2:-}" = jumbo ] && kind=xdpjumbo
	# shellcheck disable=SC2086 # no jumbo, no argument
	xsk_receive $kind "$1" pkt eth0 "$1" 60 ${2:-}
}

# Attach, replace and detach while eth0 is down; bring it up: frames take
# the last program's way (xdp_drop's), the interface never rebuilt for it.
down_attach() {
	ip link set eth0 down || return 1
	xdp_attach eth0 xdp/drop && xdp_shows eth0 xdp_drop &&
		xdp_detach eth0 && xdp_none eth0 &&
		xdp_attach eth0 xdp/tx && xdp_attach eth0 xdp/drop &&
		xdp_shows eth0 xdp_drop || return 1
	eth0_up && gw_pin && xdp_verdicts eth0 drop xdp 20 || return 1
	ip link set eth0 down && xdp_detach eth0 && xdp_none eth0 &&
		eth0_up && gw_pin && ping_all 3
}

# XDP_PASS: every frame reaches a packet socket intact; ping works.
pass_attached() {
	local before
	xdp_attach eth0 xdp && xdp_shows eth0 xdp_pass || return 1
	before=$(verdicts eth0)
	sock_check $XDP_FRAMES && exactly eth0 "$before" pass $XDP_FRAMES &&
		ping_all 3 || return 1
	xdp_detach eth0 && xdp_none eth0
}

# withheld SECTION PROGRAM VERDICT: the program (xdp_drop, xdp_aborted)
# takes every frame: the stack sees none of them.
withheld() {
	local d0
	xdp_attach eth0 "$1" && xdp_shows eth0 "$2" || return 1
	d0=$(stat_of eth0 rx_dropped)
	xdp_verdicts eth0 "$3" || return 1
	[ "$(stat_of eth0 rx_dropped)" = "$d0" ] ||
		{ log "rx_dropped $d0 -> $(stat_of eth0 rx_dropped)"; return 1; }
	xdp_detach eth0 && xdp_none eth0 && rx_resumed
}

# An action the kernel does not know is warned about, as the kernel
# does, and counted as aborted.
unknown_action() {
	dmesg -c >> /tmp/kernel.log
	withheld xdp/unknown xdp_unknown aborted || return 1
	dmesg | grep -q 'Illegal XDP return value 42' ||
		{ log "no warning of the unknown action"; dmesg | tail -n 5 | sed 's/^/# /'; return 1; }
	dmesg | grep 'XDP return value' | sed 's/^/# /'
}

# XDP_TX sends every frame back, rewritten (the host checks them:
# frames.py check-xdp-tx).
tx_attached() {
	local t0
	xdp_attach eth0 xdp/tx && xdp_shows eth0 xdp_tx || return 1
	t0=$(stat_of eth0 tx_packets)
	xdp_verdicts eth0 tx || return 1
	wait_for 10 tx_reached eth0 $((t0 + XDP_FRAMES)) ||
		{ log "tx_packets $t0 -> $(stat_of eth0 tx_packets)"; return 1; }
	log "tx_packets $t0 -> $(stat_of eth0 tx_packets)"
	xdp_detach eth0 && xdp_none eth0
}

# u32 IFINDEX as bpftool's four bytes (little-endian)
le32() { echo $(($1 & 255)) $(($1 >> 8 & 255)) 0 0; }

# bpf_redirect() from eth0 to eth1, whose ifindex is set in redirect_cfg
# with bpftool: eth1's ndo_xdp_xmit sends every frame (the host checks
# them: frames.py check-xdp-redirect).
redirect_out() {
	local x0
	ip link set eth1 up && link_ready eth1 || return 1
	xdp_attach eth0 xdp/redirect && xdp_shows eth0 xdp_redirect || return 1
	# shellcheck disable=SC2046
	bpftool map update name redirect_cfg key 0 0 0 0 \
		value $(le32 "$(sysval eth1 ifindex)") || return 1
	x0=$(xmit_stat eth1 xdp_xmit)
	xdp_verdicts eth0 redirect || return 1
	wait_for 10 xmit_reached eth1 xdp_xmit $((x0 + XDP_FRAMES)) ||
		{ log "eth1 xdp_xmit $x0 -> $(xmit_stat eth1 xdp_xmit)"; return 1; }
	log "eth1: xdp_xmit $x0 -> $(xmit_stat eth1 xdp_xmit), errors $(xmit_stat eth1 xdp_xmit_errors)"
	[ "$(xmit_stat eth1 xdp_xmit_errors)" = 0 ] || return 1
	xdp_detach eth0 && xdp_none eth0
}

# Into eth0: a program on eth1 redirects the host's frames to eth1
# (kind xdpeth1) through a DEVMAP to eth0, whose ndo_xdp_xmit sends them
# (frames.py check-xdp-redirect-map).
redirect_in() {
	local x0 before rc=0
	ip link set eth1 up && link_ready eth1 || return 1
	xdp_attach eth1 xdp/viamap && xdp_shows eth1 xdp_devmap || rc=1
	# shellcheck disable=SC2046
	bpftool map update name tx_port key 0 0 0 0 \
		value $(le32 "$(sysval eth0 ifindex)") || rc=1
	x0=$(xmit_stat eth0 xdp_xmit) before=$(verdicts eth1)
	[ $rc = 0 ] && inject xdpeth1 $XDP_FRAMES > /dev/null &&
		wait_for 30 xmit_reached eth0 xdp_xmit $((x0 + XDP_FRAMES)) &&
		exactly eth1 "$before" redirect $XDP_FRAMES || rc=1
	log "eth0: xdp_xmit $x0 -> $(xmit_stat eth0 xdp_xmit), errors $(xmit_stat eth0 xdp_xmit_errors)"
	[ "$(xmit_stat eth0 xdp_xmit_errors)" = 0 ] || rc=1
	xdp_detach eth1 && xdp_none eth1 || rc=1
	return $rc
}

# xdp_xsk redirects every frame to xsktest's socket (XSKMAP xsks), which
# checks each byte of the host's frames.
xsk_rx() {
	local rc=0 before
	xdp_attach eth0 xdp/xsk && xdp_shows eth0 xdp_xsk || return 1
	before=$(verdicts eth0)
	xsk_receive xdp $XDP_FRAMES rx eth0 $XDP_FRAMES 60 &&
		exactly eth0 "$before" redirect $XDP_FRAMES || rc=1
	xdp_detach eth0 && xdp_none eth0 || rc=1
	return $rc
}

# xsktest sends through its TX ring (XDP_COPY) and sees every frame
# completed; the host checks them (frames.py check-xsk-tx).
xsk_tx() {
	local t0 rc=0
	t0=$(stat_of eth0 tx_packets)
	xsktest tx eth0 $XDP_FRAMES 60 > $XSK_OUT 2>&1 || rc=1
	sed 's/^/# /' $XSK_OUT
	wait_for 10 tx_reached eth0 $((t0 + XDP_FRAMES)) ||
		{ log "tx_packets $t0 -> $(stat_of eth0 tx_packets)"; return 1; }
	return $rc
}

# A frame longer than an RX buffer spans descriptors: only a program that
# supports frags may see it. At MTU 9000 one that does not is refused
# with the driver's reason; with one attached, MTU 9000 is refused.
jumbo_refusals() {
	local out rc=0
	xdp_attach eth0 xdp/drop || return 1
	if ip link set eth0 mtu 9000 2> /dev/null; then
		log "MTU 9000 accepted under a program without frags"
		rc=1
	fi
	[ "$(sysval eth0 mtu)" = 1500 ] || rc=1
	xdp_detach eth0 && ip link set eth0 mtu 9000 || return 1
	if out=$(ipr link set dev eth0 xdpdrv obj $PROGS sec xdp/drop 2>&1); then
		log "a program without frags attached at MTU 9000"
		rc=1
	fi
	echo "$out" | sed 's/^/# ip: /'
	echo "$out" | grep -q 'frags' || rc=1
	xdp_none eth0 || rc=1
	ip link set eth0 mtu 1500 && link_ready eth0 && ping_all 3 || rc=1
	return $rc
}

# jumbo_up: MTU 9000 on both interfaces, links back.
jumbo_up() {
	ip link set eth0 mtu 9000 && ip link set eth1 mtu 9000 &&
		ip link set eth1 up && link_ready eth0 && link_ready eth1 &&
		gw_pin && ping_all 3
}

jumbo_down() {
	xdp_detach eth0
	xdp_detach eth1
	ip link set eth0 mtu 1500 && ip link set eth1 mtu 1500 &&
		link_ready eth0 && gw_pin && ping_all 3
}

# Multi-buffer frames (1515..9014 bytes, up to five RX buffers) through
# xdp.frags programs: passed, they reach a socket intact; sent back by
# XDP_TX, they leave whole (the host checks them: frames.py
# check-xdp-tx-jumbo); redirected to a CPUMAP, CPU 0's kthread passes
# every one up.
jumbo_frags() {
	local before d0 rc=0
	jumbo_up || rc=1
	[ $rc = 0 ] && xdp_attach eth0 program xdp_frags_pass &&
		xdp_shows eth0 xdp_frags_pass || rc=1
	before=$(verdicts eth0)
	[ $rc = 0 ] && sock_check $JUMBO_FRAMES jumbo &&
		exactly eth0 "$before" pass $JUMBO_FRAMES || rc=1
	[ $rc = 0 ] && xdp_attach eth0 program xdp_frags_tx &&
		xdp_verdicts eth0 tx xdpjumbo $JUMBO_FRAMES || rc=1
	[ $rc = 0 ] && xdp_attach eth0 program xdp_frags_cpu &&
		bpftool map update name cpu_map key 0 0 0 0 \
			value 192 0 0 0 0 0 0 0 || rc=1
	# CPU 0's kthread passes every frame up; the stack, with no socket
	# for their type, drops and counts each (rx_dropped). (A packet
	# socket there twice missed the first 5 or 12 of the 100 on a new
	# entry, all redirected; see the README.)
	d0=$(stat_of eth0 rx_dropped) before=$(verdicts eth0)
	[ $rc = 0 ] && inject xdpjumbo $JUMBO_FRAMES > /dev/null &&
		wait_for 30 stat_reached eth0 rx_dropped $((d0 + JUMBO_FRAMES)) ||
		rc=1
	log "rx_dropped $d0 -> $(stat_of eth0 rx_dropped)"
	exactly eth0 "$before" redirect $JUMBO_FRAMES || rc=1
	jumbo_down || rc=1
	return $rc
}

# Multi-buffer frames redirected to eth1, whose ndo_xdp_xmit sends each
# from its buffers (frames.py check-xdp-redirect-jumbo). 6.1's XDP core
# redirects a multi-buffer frame to a CPUMAP only (xdp_do_redirect()):
# there the test is skipped; 6.12 takes it to a device.
jumbo_redirect() {
	local x0 rc=0
	case $(uname -r) in
	6.1.*) echo "6.1 redirects multi-buffer frames to a CPUMAP only"; return $SKIP ;;
	esac
	jumbo_up || rc=1
	# shellcheck disable=SC2046
	[ $rc = 0 ] && xdp_attach eth0 program xdp_frags_redirect &&
		bpftool map update name redirect_cfg key 0 0 0 0 \
			value $(le32 "$(sysval eth1 ifindex)") || rc=1
	x0=$(xmit_stat eth1 xdp_xmit)
	[ $rc = 0 ] && xdp_verdicts eth0 redirect xdpjumbo $JUMBO_FRAMES &&
		wait_for 10 xmit_reached eth1 xdp_xmit $((x0 + JUMBO_FRAMES)) ||
		rc=1
	log "eth1: xdp_xmit $x0 -> $(xmit_stat eth1 xdp_xmit), errors $(xmit_stat eth1 xdp_xmit_errors)"
	jumbo_down || rc=1
	return $rc
}

# xdp-loader (libxdp: its dispatcher, which needs the kernel's BTF) loads
# and unloads a program of xdp_progs.o by section.
loader() {
	have_btf || return
	xdp_detach eth0
	xdp-loader load -m native -s xdp/drop eth0 $PROGS || return 1
	xdp-loader status eth0 | sed 's/^/# /'
	xdp-loader status eth0 | grep -q 'xdp_drop' || return 1
	xdp-loader unload -a eth0 && wait_for 5 xdp_none eth0 && rx_resumed
}

# xdp-loader and xdp-bench need the kernel's BTF (the kernels of
# scripts/kernel have none).
have_btf() {
	[ -e /sys/kernel/btf/vmlinux ] && return 0
	echo "no kernel BTF (/sys/kernel/btf/vmlinux)"
	return $SKIP
}

bench_attached() { [ -n "$(xdp_prog_of eth0)" ]; }

# xdp-bench ACTION runs for 3 s while the host sends frames, prints its
# rate, and leaves no program behind; e1k's counter agrees.
xdp_bench() {
	local action=$1 verdict=$1 pid out=/tmp/xdp-bench.out before
	have_btf || return
	xdp_detach eth0
	before=$(verdicts eth0)
	timeout -s INT 3 xdp-bench "$action" -m native -i 1 eth0 \
		> $out 2>&1 &
	pid=$!
	wait_for 10 bench_attached || { wait $pid; sed 's/^/# /' $out; return 1; }
	inject xdp 300 > /dev/null
	wait $pid
	sed 's/^/# /' $out
	# a rate above 0 (the host's frames), and the program gone
	grep -Eq '[1-9][0-9,.]* rx/s' $out && wait_for 5 xdp_none eth0 &&
		exactly eth0 "$before" "$verdict" 300
}

xdpdump_listening() { grep -q 'listening on' /tmp/xdpdump.out; }
dropped_reached() { xstat_reached eth0 drop "$1"; }

# xdpdump (its fentry program on xdp_drop, which needs the kernel's BTF)
# captures the 20 frames the host sends, as the program saw them.
xdpdump_capture() {
	local pid d0 rc=0
	have_btf || return
	xdp_attach eth0 xdp/drop || return 1
	d0=$(xstat eth0 drop)
	xdpdump -i eth0 -w /tmp/xdpdump.pcap > /tmp/xdpdump.out 2>&1 &
	pid=$!
	if wait_for 10 xdpdump_listening; then
		inject xdp 20 > /dev/null &&
			wait_for 30 dropped_reached $((d0 + 20)) || rc=1
	else
		rc=1
	fi
	kill -INT $pid 2> /dev/null
	wait $pid
	sed 's/^/# /' /tmp/xdpdump.out
	grep -q '^20 packets captured' /tmp/xdpdump.out || rc=1
	xdp_detach eth0 && xdp_none eth0 || rc=1
	return $rc
}

# --- stress, on two vCPUs in CI's debug kernel ---------------------------
#
# Only where scripts/test asks for it (e1ktest.stress=1: the debug kernel,
# which runs BPF in the interpreter; see tests/kernel/debug.config).

stress_wanted() {
	[ "$(kernel_arg e1ktest.stress)" = 1 ] && return 0
	echo "stress runs on the debug kernel (e1ktest.stress=1)"
	return $SKIP
}

# flood_start IFACE DST_MAC: pktgen floods DST_MAC from IFACE with
# 60-byte frames until flood_stop.
flood_start() {
	pktgen_setup "$1" "$2" 0 || return 1
	(echo "start" > /proc/net/pktgen/pgctrl) &
	FLOOD_PID=$!
}

# flood_stop IFACE: stop the flood from IFACE, and wait (10 s at most)
# until eth0 has taken what was in flight.
flood_stop() {
	echo "stop" > /proc/net/pktgen/pgctrl
	wait "$FLOOD_PID"
	grep -A 2 '^Result' "/proc/net/pktgen/$1" | sed 's/^/# pktgen: /'
	wait_for 10 rx_quiet eth0
}

# rx_quiet IFACE: IFACE received nothing for 0.3 s.
rx_quiet() {
	local r0
	r0=$(stat_of "$1" rx_packets)
	usleep 300000
	[ "$(stat_of "$1" rx_packets)" = "$r0" ]
}

# flooded IFACE: IFACE's rx_packets still grows (the flood runs).
rx_grows() {
	local r0
	r0=$(stat_of "$1" rx_packets)
	wait_for 10 stat_reached "$1" rx_packets $((r0 + 100))
}

# 100 cycles of attach, replace, replace and detach on eth0 while eth1
# floods it, with the programs loaded once (bpftool prog loadall) and
# attached by their pins; then no program is left and eth0 pings.
PINS=/sys/fs/bpf/e1k
pinned() { ipr -force link set dev eth0 xdpdrv pinned "$PINS/$1"; }

attach_cycles() {
	local n=0 rc=0
	stress_wanted || return
	bpftool prog loadall $PROGS $PINS type xdp || return 1
	ip link set eth1 up && link_ready eth1 &&
		flood_start eth1 "$MAC0" && rx_grows eth0 || rc=1
	while [ $rc = 0 ] && [ $n -lt 100 ]; do
		n=$((n + 1))
		pinned xdp_drop && pinned xdp_tx && pinned xdp_pass &&
			xdp_detach eth0 || { log "cycle $n failed"; rc=1; }
	done
	log "$n cycles;$(verdicts eth0)"
	rx_grows eth0 || rc=1
	flood_stop eth1
	rm -r $PINS
	xdp_none eth0 && gw_pin && ping_all 3 || rc=1
	return $rc
}

# eth0's rx_queue_0_packets, xdp_tx and xdp_tx_errors from one ethtool -S.
rx_snapshot() {
	ethtool -S eth0 | awk '$1 == "rx_queue_0_packets:" { p = $2 }
		$1 == "rx_queue_0_xdp_tx:" { t = $2 }
		$1 == "rx_queue_0_xdp_tx_errors:" { e = $2 }
		END { print p, t, e }'
}

# XDP_TX on eth0 answers the host's burst while the stack transmits on
# eth0 (pktgen to eth1): both share eth0's one TX ring. The stack's
# frames are all sent; every frame eth0 receives is sent back or, when
# the stack holds the ring, counted in xdp_tx_errors; the stack's queue
# never reports busy (XDP leaves it the room it keeps for a frame), and
# no TX timeout resets the device.
tx_shared() {
	local busy0 tx0 err0 rx0 pid rc=0
	stress_wanted || return
	xdp_attach eth0 xdp/tx || return 1
	busy0=$(xmit_stat eth0 busy)
	# shellcheck disable=SC2046
	set -- $(rx_snapshot)
	rx0=$1 tx0=$2 err0=$3
	dmesg -c >> /tmp/kernel.log
	pktgen_setup eth0 "$MAC1" 200000 || return 1
	inject burst 200000 > /dev/null &
	pid=$!
	wait_for 10 xstat_reached eth0 tx $((tx0 + 100)) || rc=1
	# in a subshell: the end of the inject job must not signal the
	# shell writing "start", which would stop pktgen
	(pktgen_run eth0 200000) || rc=1
	wait $pid
	wait_for 10 rx_quiet eth0
	# one snapshot: the poll adds these counters together
	# shellcheck disable=SC2046
	set -- $(rx_snapshot)
	log "eth0: rx_queue_0_packets +$(($1 - rx0)), xdp_tx +$(($2 - tx0)), xdp_tx_errors +$(($3 - err0)), busy $busy0 -> $(xmit_stat eth0 busy)"
	[ "$2" -gt $((tx0 + 100)) ] || rc=1
	[ $(($2 - tx0 + $3 - err0)) = $(($1 - rx0)) ] || rc=1
	[ "$(xmit_stat eth0 busy)" = "$busy0" ] || rc=1
	if dmesg | grep -q 'TX hang\|transmit queue 0 timed out'; then
		dmesg | grep 'TX hang\|timed out' | sed 's/^/# /'
		rc=1
	fi
	xdp_detach eth0 && gw_pin && ping_all 3 || rc=1
	return $rc
}

# Ring resize and MTU changes with a program attached under the flood;
# frames are then still given to the program.
reconfigure() {
	local rc=0 before
	stress_wanted || return
	xdp_attach eth0 xdp/drop || return 1
	flood_start eth1 "$MAC0" || return 1
	rx_grows eth0 || rc=1
	ethtool -G eth0 rx 512 tx 512 && rx_grows eth0 &&
		ip link set eth0 mtu 1400 && rx_grows eth0 &&
		ethtool -G eth0 rx 80 tx 80 && rx_grows eth0 &&
		ip link set eth0 mtu 1500 && rx_grows eth0 &&
		ethtool -G eth0 rx 256 tx 256 || rc=1
	flood_stop eth1
	link_ready eth0 || rc=1
	# frames QEMU held back while the ring was rebuilt may still come:
	# at least the host's are dropped
	before=$(xstat eth0 drop)
	[ $rc = 0 ] && inject xdp $XDP_FRAMES > /dev/null &&
		wait_for 30 xstat_reached eth0 drop $((before + XDP_FRAMES)) || rc=1
	log "after:$(verdicts eth0)"
	xdp_detach eth0 && gw_pin && ping_all 3 || rc=1
	return $rc
}

# rmmod while eth0 (XDP_TX) and eth1 (redirect to eth0) have programs
# attached, and with stress (see above) while pktgen floods eth0 from
# eth1: both interfaces go, the kernel log stays clean, and every page
# returns to its pool.
rmmod_attached() {
	local rc=0
	dmesg -c >> /tmp/kernel.log
	xdp_attach eth0 xdp/tx && xdp_attach eth1 xdp/viamap || rc=1
	if [ $rc = 0 ] && [ "$(kernel_arg e1ktest.stress)" = 1 ]; then
		flood_start eth1 "$MAC0" && rx_grows eth0 || rc=1
	fi
	e1k_unload || return 1
	[ -n "${FLOOD_PID:-}" ] && wait "$FLOOD_PID"
	! have_if eth0 && ! have_if eth1 || return 1
	umount /sys/fs/bpf
	if dmesg | grep -q 'stalled pool shutdown'; then
		dmesg | grep 'page_pool' | sed 's/^/# /'
		return 1
	fi
	return $rc
}

reload() {
	e1k_load && mount -t bpf bpf /sys/fs/bpf && eth0_up && gw_pin &&
		ping_all 3
}

tap_plan 26
t "e1k loads, eth0 is up, bpffs is mounted" load_up
t "attach, replace, detach while down; up: frames go the attached program's way" down_attach
t "XDP_PASS: every frame reaches a socket intact, counted in xdp_pass" pass_attached
t "XDP_DROP: the stack sees none, counted in xdp_drop" withheld xdp/drop xdp_drop drop
t "XDP_ABORTED: the stack sees none, counted in xdp_aborted" withheld xdp/aborted xdp_aborted aborted
t "an unknown action is warned about and counted in xdp_aborted" unknown_action
t "XDP_TX: every frame goes back out of eth0, counted in xdp_tx" tx_attached
t "XDP_REDIRECT out of e1k: eth0 to eth1's ndo_xdp_xmit" redirect_out
t "XDP_REDIRECT into e1k: eth1 through a DEVMAP to eth0's ndo_xdp_xmit" redirect_in
t "AF_XDP copy mode: xsktest receives every frame intact" xsk_rx
t "AF_XDP copy mode: xsktest's frames are all sent and completed" xsk_tx
t "MTU 9000 refuses a program without frags, with the reason; and the reverse" jumbo_refusals
t "multi-buffer at MTU 9000: xdp.frags programs pass (intact), send back and redirect to a CPUMAP" jumbo_frags
t "multi-buffer at MTU 9000: redirected to eth1's ndo_xdp_xmit" jumbo_redirect
t "xdp-loader loads and unloads xdp_drop natively" loader
t "xdp-bench drop natively: a rate, and xdp_drop agrees" xdp_bench drop
t "xdp-bench tx natively: a rate, and xdp_tx agrees" xdp_bench tx
t "xdpdump captures the frames xdp_drop sees" xdpdump_capture
t "100 attach/replace/detach cycles under a flood" attach_cycles
t "XDP_TX while the stack transmits on the same ring: no busy, no hang" tx_shared
t "ring resize and MTU change with a program attached under a flood" reconfigure
t "rmmod with programs attached under a flood" rmmod_attached
t "kmemleak finds nothing" kmemleak_clean
t "e1k loads again, and pings" reload
t "XDP_DROP after the reload" withheld xdp/drop xdp_drop drop
t "final rmmod removes both interfaces" final_unload
echo "# guest: $((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
