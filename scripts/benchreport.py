#!/usr/bin/env python3
"""Turn scripts/bench's raw results into tables and a chart.

Input lines: CLOCK DRIVER ROUND METRIC VALUE. Output, in DIR: results.md
and ratios.png (gnuplot: e1k's advantage per row, the inverse ratio where
lower is better). results.md has per clock two tables: e1k against
e1000 (median, min and max per driver, and the e1k/e1000 ratio of the
medians, with the target each row must meet), and the rows on eth0 of
XDP and plain RX (XDP_GROUPS: each driver and mode against a reference,
upstream e1000 generic for XDP, e1k-old for plain RX).
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


# The XDP and plain RX rows (tests/guest/bench.sh, bench_xdp): per group,
# its variants (name, driver, metric prefix), the reference variant, and
# the targets: (figure, clock) -> (variant, target for its ratio to the
# reference[, a note]). Figures: "pps" (the rate while the host offers
# more than the guest takes; wall clock only) and "cpu" (guest CPU per
# frame offered below capacity: ns by the wall clock, instructions under
# -icount).
XDP_GROUPS = [
    ("xdp-bench drop",
     [("e1k native", "e1k", "xdp_drop_native"),
      ("e1000 generic", "e1000", "xdp_drop_skb"),
      ("e1k generic", "e1k", "xdp_drop_skb")],
     "e1000 generic",
     {("pps", "wall"): ("e1k native", 1.5),
      ("cpu", "icount"): ("e1k native", 1 / 3)}),
    ("xdp-bench tx",
     [("e1k native", "e1k", "xdp_tx_native"),
      ("e1000 generic", "e1000", "xdp_tx_skb"),
      ("e1k generic", "e1k", "xdp_tx_skb")],
     "e1000 generic",
     {("cpu", "icount"): ("e1k native", 1 / 2)}),
    ("plain RX, no program",
     [("e1k", "e1k", "rx_plain"),
      ("e1k-old (0d7a27c)", "e1k-old", "rx_plain"),
      ("e1000", "e1000", "rx_plain")],
     "e1k-old (0d7a27c)",
     {("cpu", "icount"): ("e1k", 1.0, "ideally <= 0.95")}),
]

# figure: (higher is better, {clock: label})
FIGURES = {
    "pps": (True, {"wall": "packets/s"}),
    "cpu": (False, {"wall": "guest CPU ns per frame",
                    "icount": "instructions per frame"}),
}

# short names for the chart
XDP_SHORT = {"xdp-bench drop": "drop", "xdp-bench tx": "XDP_TX",
             "plain RX, no program": "plain RX"}


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
                    "the drivers' boots alternating)\n")
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

        xdp_table(clock, values, rows, chart)

    with open(f"{out}/results.md", "w") as f:
        f.write("e1k against upstream e1000 (Debian 6.1 kernel, QEMU "
                "e1000 under TCG).\nLower is better for interrupts per "
                "packet, ping and CPU per frame.\n" + "\n".join(rows) +
                "\n")

    with open(f"{out}/ratios.dat", "w") as f:
        for name, ratio, target in chart:
            f.write(f'"{name}" {ratio:.4f} {target}\n')
    script = f"""
set terminal pngcairo size 1500,650 font ",11"
set output "{out}/ratios.png"
set termoption noenhanced
set title "e1k's advantage (median of the rounds; above 1 = e1k better): over upstream e1000, its generic XDP for the XDP rows, over e1k as of 0d7a27c for plain RX"
set style fill solid 0.8 border -1
set boxwidth 0.6
set yrange [0:*]
set xtics rotate by -30 left nomirror
set bmargin 9
set rmargin 22
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


def xdp_table(clock, values, rows, chart):
    """The XDP and plain RX rows of CLOCK: a table under ROWS, and e1k's
    advantage over each group's reference in CHART."""
    table = []
    for group, variants, ref, targets in XDP_GROUPS:
        for figure, (higher, labels) in FIGURES.items():
            if clock not in labels:
                continue
            got = {name: values.get((clock, f"{metric}_{figure}", driver))
                   for name, driver, metric in variants}
            if not any(got.values()):
                continue
            base = got.get(ref)
            mb = statistics.median(base) if base else None
            goal = targets.get((figure, clock))
            for name, _, _ in variants:
                v = got[name]
                if not v:
                    table.append(f"| {group}, {labels[clock]} | {name} | "
                                 f"- | - | - | - |")
                    continue
                m = statistics.median(v)
                ratio = m / mb if mb else None
                want = met = "-"
                if name == ref:
                    shown = "reference"
                else:
                    shown = f"{ratio:.2f}" if ratio is not None else "-"
                if goal and goal[0] == name and ratio is not None:
                    target = goal[1]
                    if higher:
                        ok, want = ratio >= target, f">= {target:.2f}"
                    else:
                        ok, want = ratio <= target, f"<= {target:.2f}"
                    if len(goal) > 2:
                        want += f" ({goal[2]})"
                    met = "yes" if ok else "NO"
                table.append(
                    f"| {group}, {labels[clock]} | {name} | {fmt(m)} "
                    f"({fmt(min(v))}-{fmt(max(v))}) | {shown} | {want} | "
                    f"{met} |")
                # The chart: e1k's variants against the reference.
                if name != ref and name.startswith("e1k") and ratio:
                    adv = ratio if higher else 1 / ratio
                    tgt = "NaN"
                    if goal and goal[0] == name:
                        tgt = goal[1] if higher else 1 / goal[1]
                    what = "pps" if figure == "pps" else "CPU/frame"
                    short = name.replace("e1k native", "native") \
                        .replace("e1k generic", "e1k gen.")
                    chart.append((f"{XDP_SHORT[group]} {short} {what} "
                                  f"({clock})", adv, tgt))
    if table:
        rows.append("")
        rows.append("| XDP and plain RX on eth0 | driver, mode | median "
                    "(min-max) | / reference | target | met |")
        rows.append("|---|---|---|---|---|---|")
        rows.extend(table)


if __name__ == "__main__":
    main()
