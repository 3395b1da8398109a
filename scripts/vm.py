#!/usr/bin/env python3
"""Boot a kernel + initramfs in QEMU with two e1000 NICs and relay its output.

The guest has two serial ports:
  ttyS0  kernel console      -> written to --console-log
  ttyS1  the guest scripts   -> printed here, line by line

A line "@@host <monitor command>" on ttyS1 is sent to the QEMU monitor
(e.g. "set_link nic0 off"); "@@inject KIND COUNT" sends frames from
scripts/inject.py to nic0 and answers "@@ack" on ttyS1 once they are out;
"@@done" ends the run. Everything else is printed as it arrives. After QEMU
exits the console log is scanned for kernel reports (WARNING, BUG, Oops,
...); any hit is printed with context and makes the exit status non-zero.

Network: both NICs and a restricted user-mode (slirp) backend sit on one
QEMU hub. The guest reaches 10.0.2.2, which slirp answers itself;
restrict=on keeps every frame inside QEMU. With --injector a UDP socket
(-netdev socket) joins the hub: the host's way to put arbitrary frames on
the wire; it also answers ARP and ping for the peers of inject.respond()
(untagged and on VLAN 100, frames of any size). With --pcap, nic0's
traffic is captured (filter-dump). With --tx-sink, nic1 leaves the hub
for a socket netdev of its own whose host end is bound and never read: a
transmit flood on eth1 costs the host nothing but the send.

With --services, slirp lets the guest reach the host (restrict=off) and the
host runs: a TCP sink on 10.0.2.2:SINK (IPv4 and IPv6) that answers
"@@sink" with "@@ack BYTES SHA256" of the last connection, and a UDP
listener on 10.0.2.2:NETCONSOLE that answers "@@netconsole TEXT" with
"@@ack yes" or "@@ack no" (whether a line held TEXT). The ports are passed
to the guest as e1ktest.sink= and e1ktest.netconsole=.
"""

import argparse
import hashlib
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inject  # noqa: E402

MAC0 = "52:54:00:12:34:56"
MAC1 = "52:54:00:12:34:57"

# Kernel reports that fail a run wherever they appear.
BAD = re.compile(
    r"WARNING:|\bBUG\b|Oops|Call Trace|nobody cared|waiting for eth\d|"
    r"KASAN|UBSAN|possible recursive locking|possible circular locking|"
    r"inconsistent lock state|lock inversion|held when returning|DMA-API|"
    r"kmemleak: .*(leak|unreferenced)|"
    r"sleeping function called from invalid context|general protection|"
    r"refcount_t:|list_(add|del) corruption|blocked for more than|"
    r"ODEBUG|Kernel panic")

# The kernel's own stack dumps about an allocation that failed (e.g.
# warn_alloc(), "sysctl could not get directory") are expected, and not a
# finding, when the task is the fault-injection helper tests/guest/failnth.
# Only the dump is dropped: a WARNING, BUG or KASAN headline stays.
INJECTED = re.compile(r"CPU: \d+ PID: \d+ Comm: failnth ")
INJECTED_END = re.compile(r"</TASK>")


def drop_injected(lines):
    """Remove the fault-injection helper's stack dumps."""
    out, skipping = [], False
    for line in lines:
        if INJECTED.search(line):
            skipping = True
        if not skipping:
            out.append(line)
        elif INJECTED_END.search(line):
            skipping = False
    return out


def free_udp_ports(count):
    """COUNT distinct free UDP ports, for QEMU to bind (all held at once,
    so that two calls cannot hand out the same port)."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
             for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Services:
    """The host end of the guest's TCP sink and netconsole checks."""

    def __init__(self):
        self.sink = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.sink.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        self.sink.bind(("::", 0))
        self.sink.listen(4)
        self.netconsole = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        self.netconsole.setsockopt(socket.IPPROTO_IPV6,
                                   socket.IPV6_V6ONLY, 0)
        self.netconsole.bind(("::", 0))
        self.results, self.lines = [], []
        self.cond = threading.Condition()
        for target in (self.accept, self.listen):
            threading.Thread(target=target, daemon=True).start()

    def ports(self):
        return self.sink.getsockname()[1], self.netconsole.getsockname()[1]

    def accept(self):
        while True:
            conn, _ = self.sink.accept()
            digest, size = hashlib.sha256(), 0
            with conn:
                while True:
                    data = conn.recv(1 << 16)
                    if not data:
                        break
                    digest.update(data)
                    size += len(data)
            with self.cond:
                self.results.append(f"{size} {digest.hexdigest()}")
                self.cond.notify_all()

    def listen(self):
        while True:
            data, _ = self.netconsole.recvfrom(65536)
            with self.cond:
                self.lines.append(data.decode(errors="replace"))
                self.cond.notify_all()

    def answer(self, line):
        """The reply to "@@sink" or "@@netconsole TEXT", within 20 s."""
        with self.cond:
            if line.startswith("@@sink"):
                self.cond.wait_for(lambda: self.results, timeout=20)
                return self.results.pop(0) if self.results else "none"
            text = line.split(" ", 1)[1] if " " in line else ""
            seen = self.cond.wait_for(
                lambda: any(text in x for x in self.lines), timeout=20)
            return "yes" if seen else "no"


def respond(inj, ports):
    """Answer ARP and ping from the guest for inject.respond()'s peers."""
    while True:
        try:
            frame = inj.recv(65536)
        except OSError:
            return
        reply = inject.respond(frame)
        if reply:
            inj.sendto(reply, ("127.0.0.1", ports[1]))


def qemu_cmd(args, ctl_path, mon_path, inj_ports=None, sink_ports=None):
    cmd = [
        "qemu-system-x86_64", "-accel", "tcg", "-m", str(args.memory),
        "-smp", "1", "-nodefaults", "-no-reboot", "-display", "none",
        "-kernel", args.kernel, "-initrd", args.initrd,
        "-append", args.append,
        "-netdev", "user,id=slirp,restrict="
        + ("off" if args.services else "on"),
        "-netdev", "hubport,id=hub_slirp,hubid=0,netdev=slirp",
        "-netdev", "hubport,id=hub0,hubid=0",
        "-device", f"e1000,netdev=hub0,mac={MAC0},id=nic0,addr=0x3",
    ]
    if sink_ports:
        # nic1 alone on a socket whose host end nobody reads
        host_port, qemu_port = sink_ports
        cmd += ["-netdev", f"socket,id=sink,udp=127.0.0.1:{host_port},"
                f"localaddr=127.0.0.1:{qemu_port}",
                "-device", f"e1000,netdev=sink,mac={MAC1},id=nic1,addr=0x4"]
    else:
        cmd += ["-netdev", "hubport,id=hub1,hubid=0",
                "-device", f"e1000,netdev=hub1,mac={MAC1},id=nic1,addr=0x4"]
    if inj_ports:
        host_port, qemu_port = inj_ports
        cmd += ["-netdev", f"socket,id=inj,udp=127.0.0.1:{host_port},"
                f"localaddr=127.0.0.1:{qemu_port}",
                "-netdev", "hubport,id=hub_inj,hubid=0,netdev=inj"]
    if args.icount:
        cmd += ["-icount", "shift=3,sleep=off"]
    if args.pcap:
        cmd += ["-object", f"filter-dump,id=dump0,netdev=hub0,"
                f"file={args.pcap}"]
    if args.interactive:
        return cmd + ["-serial", "mon:stdio", "-serial", "null"]
    return cmd + [
        "-serial", f"file:{args.console_log}",
        "-chardev", f"socket,id=ctl,path={ctl_path}",
        "-serial", "chardev:ctl",
        "-chardev", f"socket,id=mon,path={mon_path}",
        "-mon", "chardev=mon,mode=readline",
    ]


# The guest writes this to /dev/kmsg once booted: boot-time messages of
# the kernel itself (e.g. a debug kernel announcing its checkers) come
# before it and are not the driver's.
MARK = "e1k-harness: begin"


def scan_console(path):
    """Return excerpts around each kernel report in the console log."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        return [f"cannot read the console log: {e}"]
    for i, line in enumerate(lines):
        if MARK in line:
            lines = lines[i:]
            break
    lines = drop_injected(lines)
    excerpts, shown_to = [], -1
    for i, line in enumerate(lines):
        if i > shown_to and BAD.search(line):
            lo, hi = max(0, i - 3), min(len(lines), i + 25)
            excerpts.append("\n".join(lines[lo:hi]))
            shown_to = hi
    return excerpts


def drain(sock):
    """Read and discard the monitor's prompts and echoes."""
    try:
        while sock.recv(4096):
            pass
    except OSError:
        pass


def send_frames(inj, ports, line):
    """Carry out "@@inject KIND COUNT"; returns what was sent."""
    try:
        _, kind, count = line.split()
        frames = inject.frames(kind, int(count), MAC0)
    except ValueError as e:
        return f"bad inject request {line!r}: {e}"
    if inj is None:
        return "no injector: run with --injector"
    for f in frames:
        inj.sendto(f, ("127.0.0.1", ports[1]))
        # QEMU reads its socket only while nic0 has room; a burst may
        # overflow the host's socket buffer (that is its point), the other
        # kinds are paced so that every frame arrives.
        if kind != "burst":
            time.sleep(0.002 + len(f) / 50e6)
    sizes = sorted(len(f) for f in frames)
    return (f"sent {len(frames)} {kind} frames of {sizes[0]}..{sizes[-1]} "
            f"bytes" if frames else f"sent no {kind} frames")


def run(args):
    tmp = tempfile.mkdtemp(prefix="e1k-vm-")
    ctl_path, mon_path = os.path.join(tmp, "ctl"), os.path.join(tmp, "mon")
    listeners = []
    for path in (ctl_path, mon_path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(1)
        s.settimeout(30)
        listeners.append(s)

    # The host's ends first, then QEMU's: no port can be handed out twice.
    inj = sink = inj_ports = sink_ports = None
    if args.injector:
        inj = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        inj.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        inj.bind(("127.0.0.1", 0))
    if args.tx_sink:
        # Bound and never read: the host kernel drops what overflows it.
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sink.bind(("127.0.0.1", 0))
    qemu_inj_port, qemu_sink_port = free_udp_ports(2)
    if inj:
        inj_ports = (inj.getsockname()[1], qemu_inj_port)
        threading.Thread(target=respond, args=(inj, inj_ports),
                         daemon=True).start()
    if sink:
        sink_ports = (sink.getsockname()[1], qemu_sink_port)
    services = Services() if args.services else None
    if services:
        args.append += " e1ktest.sink=%d e1ktest.netconsole=%d" % \
            services.ports()

    qemu = subprocess.Popen(qemu_cmd(args, ctl_path, mon_path, inj_ports,
                                     sink_ports),
                            stdin=subprocess.DEVNULL)
    status, done = 0, False
    try:
        ctl, _ = listeners[0].accept()
        mon, _ = listeners[1].accept()
        threading.Thread(target=drain, args=(mon,), daemon=True).start()
        deadline = time.monotonic() + args.timeout
        buf = b""
        while not done:
            left = deadline - time.monotonic()
            if left <= 0:
                print(f"# vm: timed out after {args.timeout} s", flush=True)
                status = 1
                break
            ready, _, _ = select.select([ctl], [], [], min(left, 1.0))
            if not ready:
                if qemu.poll() is not None:
                    break
                continue
            data = ctl.recv(65536)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode(errors="replace").rstrip("\r")
                if line.startswith("@@host "):
                    mon.sendall(line[len("@@host "):].encode() + b"\n")
                elif line.startswith("@@inject "):
                    print("# host: " + send_frames(inj, inj_ports, line),
                          flush=True)
                    ctl.sendall(b"@@ack\n")
                elif line.startswith(("@@sink", "@@netconsole ")):
                    answer = services.answer(line) if services else "none"
                    ctl.sendall(f"@@ack {answer}\n".encode())
                elif line.startswith("@@done"):
                    done = True
                    break
                else:
                    print(line, flush=True)
        if not done and status == 0:
            print("# vm: guest stopped before it finished", flush=True)
            status = 1
    except socket.timeout:
        print("# vm: QEMU never connected its serial port", flush=True)
        status = 1
    finally:
        try:
            qemu.wait(timeout=60)
        except subprocess.TimeoutExpired:
            qemu.kill()
            qemu.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        if inj:
            inj.close()

    reports = scan_console(args.console_log)
    for excerpt in reports:
        print("# kernel report in the console log:", flush=True)
        for line in excerpt.splitlines():
            print("#   " + line)
    if reports:
        status = 1
    print(f"@@kernel-log {'clean' if not reports else 'REPORTS'}", flush=True)
    return status


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--append", required=True)
    p.add_argument("--console-log", default="console.log")
    p.add_argument("--memory", type=int, default=1024)
    p.add_argument("--timeout", type=int, default=1200)
    p.add_argument("--injector", action="store_true",
                   help="a host UDP socket on the hub for @@inject")
    p.add_argument("--pcap", help="capture nic0's frames into this file")
    p.add_argument("--tx-sink", action="store_true",
                   help="nic1 on its own socket netdev that the host never "
                   "reads, for transmit floods (scripts/bench)")
    p.add_argument("--icount", action="store_true",
                   help="guest time counts instructions (-icount shift=3)")
    p.add_argument("--services", action="store_true",
                   help="let the guest reach the host's TCP sink and "
                   "netconsole listener")
    p.add_argument("--interactive", action="store_true",
                   help="console on this terminal (Ctrl-A X quits)")
    args = p.parse_args()
    # The guest learns the NICs' addresses from here: one source of truth.
    args.append += f" e1ktest.mac0={MAC0} e1ktest.mac1={MAC1}"
    if args.interactive:
        os.execvp("qemu-system-x86_64", qemu_cmd(args, None, None))
    sys.exit(run(args))


if __name__ == "__main__":
    main()
