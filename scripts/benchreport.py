#!/usr/bin/env python3
"""Turn scripts/bench's raw results into a table and a chart.

Input lines: CLOCK DRIVER ROUND METRIC VALUE. Output, in DIR: results.md
(median, min and max per driver, and the e1k/e1000 ratio of the medians,
with the target each row must meet) and ratios.png (gnuplot: e1k's
advantage per row, the inverse ratio where lower is better).
"""

import statistics
import subprocess
import sys
from collections import defaultdict

# short names for the chart
SHORT = {
    "tx_pps_60": "TX 60 B pps",
    "tx_pps_1514": "TX 1514 B pps",
    "irq_per_pkt_tx": "irq/pkt TX",
    "rx_pps": "RX pps",
    "irq_per_pkt_rx": "irq/pkt RX",
    "tcp_tx_mbps": "TCP out",
    "tcp_rx_mbps": "TCP in",
    "ping_p50_ms": "ping p50",
    "ping_p99_ms": "ping p99",
}

# metric: (label, higher is better, target for the e1k/e1000 ratio)
METRICS = {
    "tx_pps_60": ("pktgen TX 60 B, packets/s", True, 1.15),
    "tx_pps_1514": ("pktgen TX 1514 B, packets/s", True, 1.0),
    "irq_per_pkt_tx": ("interrupts per packet, TX 60 B", False, 1.0),
    "rx_pps": ("RX from the host injector, packets/s", True, 1.0),
    "irq_per_pkt_rx": ("interrupts per packet, RX", False, 1.0),
    "tcp_tx_mbps": ("iperf3 guest to host, Mbit/s", True, 1.0),
    "tcp_rx_mbps": ("iperf3 host to guest, Mbit/s", True, 1.0),
    "ping_p50_ms": ("ping RTT p50 at idle, ms", False, 1.0),
    "ping_p99_ms": ("ping RTT p99 at idle, ms", False, 1.0),
}


def fmt(v):
    return f"{v:.4g}" if v < 100 else f"{v:,.0f}"


def main():
    raw, out = sys.argv[1], sys.argv[2]
    values = defaultdict(list)
    rounds = defaultdict(set)
    with open(raw) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 5:
                continue
            clock, driver, rnd, metric, value = parts
            try:
                values[clock, metric, driver].append(float(value))
            except ValueError:
                continue
            rounds[clock].add(rnd)

    rows, chart = [], []
    for clock in ("wall", "icount"):
        if clock not in rounds:
            continue
        rows.append(f"\n**{clock} clock** ({len(rounds[clock])} rounds each, "
                    "ABAB)\n")
        rows.append("| workload | e1k median (min-max) | "
                    "e1000 median (min-max) | e1k/e1000 | target | met |")
        rows.append("|---|---|---|---|---|---|")
        for metric, (label, higher, target) in METRICS.items():
            a = values.get((clock, metric, "e1k"))
            b = values.get((clock, metric, "e1000"))
            if not a or not b:
                continue
            ma, mb = statistics.median(a), statistics.median(b)
            ratio = ma / mb if mb else float("inf")
            if higher:
                met, want = ratio >= target, f">= {target:.2f}"
            else:
                met, want = ratio <= target, f"<= {target:.2f}"
            rows.append(
                f"| {label} | {fmt(ma)} ({fmt(min(a))}-{fmt(max(a))}) | "
                f"{fmt(mb)} ({fmt(min(b))}-{fmt(max(b))}) | {ratio:.2f} | "
                f"{want} | {'yes' if met else 'NO'} |")
            # The chart shows e1k's advantage: above 1 is better for
            # every row (the inverse ratio where lower is better).
            adv = ratio if higher else (1 / ratio if ratio else float("inf"))
            chart.append((f"{SHORT[metric]} ({clock})", adv,
                          target if higher else 1 / target))

    with open(f"{out}/results.md", "w") as f:
        f.write("e1k against upstream e1000 (Debian 6.1 kernel, QEMU "
                "e1000 under TCG).\nLower is better for interrupts per "
                "packet and ping.\n" + "\n".join(rows) + "\n")

    with open(f"{out}/ratios.dat", "w") as f:
        for name, ratio, target in chart:
            f.write(f'"{name}" {ratio:.4f} {target}\n')
    script = f"""
set terminal pngcairo size 1100,600 font ",11"
set output "{out}/ratios.png"
set termoption noenhanced
set title "e1k's advantage over upstream e1000 (median of the rounds; above 1 = e1k better)"
set style fill solid 0.8 border -1
set boxwidth 0.6
set yrange [0:*]
set xtics rotate by -30 left nomirror
set bmargin 7
set rmargin 14
set grid ytics
set key outside top center horizontal
plot "{out}/ratios.dat" using 0:2:xtic(1) with boxes lc rgb "#3b7dd8" title "e1k advantage", \\
     "" using 0:3 with points pt 7 ps 1.5 lc rgb "#d8433b" title "target", \\
     1 with lines lw 2 lc rgb "#555555" title "equal"
"""
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"no chart: {e}", file=sys.stderr)


if __name__ == "__main__":
    main()
