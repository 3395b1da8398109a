#!/usr/bin/env python3
"""Boot a kernel + initramfs in QEMU with two e1000 NICs and relay its output.

The guest has two serial ports:
  ttyS0  kernel console      -> written to --console-log
  ttyS1  the guest scripts   -> printed here, line by line

Lines from the guest that start with "@@" are requests:
  @@host COMMAND            a QEMU monitor command (e.g. "set_link nic0 off");
                            no answer
  @@inject ID KIND COUNT    send COUNT frames of KIND (scripts/frames.py) to
                            nic0; answers once they are out
  @@inject ID KIND COUNT TOKEN SEQ
                            send chunk SEQ of them (frames.chunks(); a burst
                            goes whole), then the barrier TOKEN SEQ for the
                            guest's rxcount; the answer ends in "more" or
                            "last"
  @@barrier ID TOKEN SEQ    send the barrier TOKEN SEQ again
  @@flood ID KIND COUNT SENDERS [PPS]
                            send COUNT frames of KIND (a burst's: one
                            frame, numbered) to nic0 with the C flooder
                            (--flooder, scripts/flood.c): SENDERS threads,
                            PPS frames/s in all (0 or none: as fast as
                            they can); answers once they are out
  @@sink ID TAG             the byte count and SHA-256 of what the TCP sink
                            got on the connection that began with line TAG
  @@netconsole ID TEXT      whether a netconsole line held TEXT
  @@done                    the end of the run
A request with an ID is answered on ttyS1 with "@@ack ID ANSWER", so that
the guest can tell an answer to an earlier request from this one.
Everything else is printed as it arrives. After QEMU exits the console log
is scanned for kernel reports (WARNING, BUG, Oops, ...); any hit is printed
with context and makes the exit status non-zero.

Network: both NICs and a restricted user-mode (slirp) backend sit on one
QEMU hub. The guest reaches 10.0.2.2, which slirp answers itself;
restrict=on keeps every frame inside QEMU. With --injector a UDP socket
(-netdev socket) joins the hub: the host's way to put arbitrary frames on
the wire; it also answers ARP and ping for the peers of frames.respond()
(untagged and on VLAN 100, frames of any size). With --pcap, nic0's
traffic is captured (filter-dump). With --tx-sink, nic1 leaves the hub
for a socket netdev of its own whose host end is bound and never read: a
transmit flood on eth1 costs the host nothing but the send.

With --services, slirp lets the guest reach the host (restrict=off) and the
host runs: a TCP sink on 10.0.2.2:SINK (IPv4 and IPv6) that takes a first
line TAG and then data, and a UDP listener on 10.0.2.2:NETCONSOLE. The
ports are passed to the guest as e1ktest.sink= and e1ktest.netconsole=.
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
from frames import MAC0, MAC1  # noqa: E402
import frames  # noqa: E402

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


# A KCSAN report runs from its "BUG: KCSAN:" headline to a rule of "="
# signs. The KCSAN kernel's run judges e1k: a report whose headline names
# no e1k function is counted, not failed. The headline names the two
# racing functions; the stacks below it may pass through e1k (its NAPI
# poll hands frames to the stack) in a race that is not e1k's.
KCSAN_START = re.compile(r"BUG: KCSAN: ")
RULE = re.compile(r"={40,}")


def drop_foreign_races(lines):
    """Remove KCSAN reports whose headline names no e1k function; return
    (lines, count)."""
    out, report, dropped = [], None, 0
    for line in lines:
        if report is None:
            if KCSAN_START.search(line):
                report = [out.pop()] if out and RULE.search(out[-1]) else []
                report.append(line)
            else:
                out.append(line)
            continue
        report.append(line)
        if RULE.search(line):
            if any(KCSAN_START.search(x) and "e1k" in x for x in report):
                out.extend(report)
            else:
                dropped += 1
            report = None
    out.extend(report or [])
    return out, dropped


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
        self.results, self.lines = {}, []
        self.cond = threading.Condition()
        for target in (self.accept, self.listen):
            threading.Thread(target=target, daemon=True).start()

    def ports(self):
        return self.sink.getsockname()[1], self.netconsole.getsockname()[1]

    def accept(self):
        while True:
            conn, _ = self.sink.accept()
            threading.Thread(target=self.receive, args=(conn,),
                             daemon=True).start()

    def receive(self, conn):
        """One connection: a first line TAG, then the data to digest."""
        digest, size, head = hashlib.sha256(), 0, b""
        with conn:
            while True:
                data = conn.recv(1 << 16)
                if not data:
                    break
                if head is not None:
                    head += data
                    if b"\n" not in head and len(head) < 256:
                        continue
                    line, _, data = head.partition(b"\n")
                    tag, head = line.decode(errors="replace").strip(), None
                digest.update(data)
                size += len(data)
        if head is not None:
            tag = head.decode(errors="replace").strip()
        with self.cond:
            self.results[tag] = f"{size} {digest.hexdigest()}"
            self.cond.notify_all()

    def listen(self):
        while True:
            data, _ = self.netconsole.recvfrom(65536)
            with self.cond:
                self.lines.append(data.decode(errors="replace"))
                self.cond.notify_all()

    def sink_result(self, tag):
        """"BYTES SHA256" of the connection tagged TAG, within 20 s."""
        with self.cond:
            self.cond.wait_for(lambda: tag in self.results, timeout=20)
            return self.results.pop(tag, "none")

    def netconsole_seen(self, text):
        """Whether a netconsole line holds TEXT, within 20 s."""
        with self.cond:
            seen = self.cond.wait_for(
                lambda: any(text in x for x in self.lines), timeout=20)
            return "yes" if seen else "no"


def respond(inj):
    """Answer ARP and ping from the guest for frames.respond()'s peers."""
    while True:
        try:
            frame = inj.sock.recv(65536)
        except OSError:
            return
        reply = frames.respond(frame)
        if reply:
            inj.send(reply)


def qemu_cmd(args, ctl_path, mon_path, inj_ports=None, sink_ports=None):
    cmd = [
        "qemu-system-x86_64", "-accel", "tcg", "-m", str(args.memory),
        "-smp", str(args.smp), "-nodefaults", "-no-reboot", "-display", "none",
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
        cmd += ["-icount", "shift=3,sleep=" +
                ("on" if args.icount_sleep else "off")]
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
    lines, races = drop_foreign_races(drop_injected(lines))
    if races:
        print(f"# {races} KCSAN report(s) naming no e1k function, not "
              f"counted", flush=True)
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


# The flooders running (Injector.flood): killed, with their process
# groups, when vm.py ends.
FLOODERS = set()


def kill_group(proc):
    """Kill PROC's process group (it leads one) and reap PROC."""
    try:
        os.killpg(proc.pid, 9)
    except OSError:
        pass
    proc.wait()


class Injector:
    """The host's port on the hub: frames to nic0, and the peers."""

    def __init__(self, sock, ports):
        self.sock, self.ports = sock, ports
        self.cache = (None, [])

    def send(self, frame):
        self.sock.sendto(frame, ("127.0.0.1", self.ports[1]))

    def frames(self, kind, count):
        if self.cache[0] != (kind, count):
            self.cache = ((kind, count), frames.frames(kind, count, MAC0))
        return self.cache[1]

    def flood(self, flooder, kind, count, senders, pps=0):
        """Send COUNT numbered copies of KIND's first frame with the
        flooder, in a process group of its own that does not outlive the
        flood (nor vm.py: see run()); the answer for the guest."""
        frame = frames.frames(kind, 1, MAC0)[0]
        proc = subprocess.Popen(
            [flooder, str(self.ports[1]), frame.hex(), str(int(count)),
             str(int(senders)), str(float(pps))],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        FLOODERS.add(proc)
        try:
            out, _ = proc.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            out = "timed out"
        finally:
            kill_group(proc)
            FLOODERS.discard(proc)
        text = " ".join(out.split()) or "no output"
        print(f"# host: flood {kind} {count} x{senders} at {pps} pps: "
              f"{text}", flush=True)
        return text if proc.returncode == 0 else f"error: {text}"

    def inject(self, kind, count, token=None, seq=0):
        """Send the frames (a chunk of them with a barrier if token); the
        answer for the guest."""
        try:
            out = self.frames(kind, int(count))
        except ValueError as e:
            return f"error: {e}"
        todo, last = out, True
        if token and kind != "burst":
            parts = frames.chunks(out)
            todo, last = parts[seq] if seq < len(parts) else [], \
                seq >= len(parts) - 1
        start = time.monotonic()
        for f in todo:
            self.send(f)
            # QEMU reads its socket only while nic0 has room; a burst may
            # overflow the host's socket buffer (that is its point), the
            # other kinds are paced so that every frame arrives: 2 ms apart
            # plus the wire time at 50 MB/s, on a schedule that a late
            # wake-up does not stretch.
            if kind != "burst":
                start += 0.002 + len(f) / 50e6
                time.sleep(max(0.0, start - time.monotonic()))
        if token:
            self.send(frames.barrier(MAC0, token, seq))
        if not last:
            return f"sent chunk {seq} of {kind}, more"
        sizes = sorted(len(f) for f in out)
        text = (f"sent {len(out)} {kind} frames of {sizes[0]}..{sizes[-1]} "
                f"bytes" if out else f"sent no {kind} frames")
        print("# host: " + text, flush=True)
        return text + (", last" if token else "")


def answer(line, inj, services, flooder=None):
    """(ID, answer) to a request "@@VERB ID ARGS..." from the guest."""
    verb, _, rest = line[2:].partition(" ")
    rid, _, rest = rest.partition(" ")
    args = rest.split()
    try:
        if verb == "inject" and len(args) in (2, 4) and inj:
            return rid, inj.inject(args[0], args[1], *args[2:3],
                                   *[int(a, 16) for a in args[3:]])
        if verb == "flood" and len(args) in (3, 4) and inj and flooder:
            return rid, inj.flood(flooder, args[0], int(args[1]),
                                  int(args[2]),
                                  float(args[3]) if len(args) == 4 else 0)
        if verb == "barrier" and len(args) == 2 and inj:
            inj.send(frames.barrier(MAC0, args[0], int(args[1], 16)))
            return rid, "sent"
    except ValueError as e:
        return rid, f"error: {e}"
    if verb == "sink" and len(args) == 1 and services:
        return rid, services.sink_result(args[0])
    if verb == "netconsole" and services:
        return rid, services.netconsole_seen(rest)
    if verb in ("inject", "barrier", "flood") and not inj:
        return rid, "error: no injector: run with --injector"
    if verb == "flood" and not flooder:
        return rid, "error: no flooder: run with --flooder"
    return rid, f"error: cannot answer {line!r}"


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
    inj_sock = inj = sink = inj_ports = sink_ports = None
    if args.injector:
        inj_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        inj_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        inj_sock.bind(("127.0.0.1", 0))
    if args.tx_sink:
        # Bound and never read: the host kernel drops what overflows it.
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sink.bind(("127.0.0.1", 0))
    qemu_inj_port, qemu_sink_port = free_udp_ports(2)
    if inj_sock:
        inj_ports = (inj_sock.getsockname()[1], qemu_inj_port)
        inj = Injector(inj_sock, inj_ports)
        threading.Thread(target=respond, args=(inj,), daemon=True).start()
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
                elif line.startswith(("@@inject ", "@@barrier ", "@@sink ",
                                       "@@netconsole ", "@@flood ")):
                    rid, text = answer(line, inj, services, args.flooder)
                    ctl.sendall(f"@@ack {rid} {text}\n".encode())
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
        for proc in list(FLOODERS):
            kill_group(proc)
        if inj_sock:
            inj_sock.close()

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
    p.add_argument("--memory", type=int, default=1024, help="MiB")
    p.add_argument("--smp", type=int, default=1, help="vCPUs")
    p.add_argument("--timeout", type=int, default=1200)
    p.add_argument("--injector", action="store_true",
                   help="a host UDP socket on the hub for @@inject")
    p.add_argument("--pcap", help="capture nic0's frames into this file")
    p.add_argument("--flooder",
                   help="scripts/flood.c's program, for @@flood (with "
                   "--injector)")
    p.add_argument("--tx-sink", action="store_true",
                   help="nic1 on its own socket netdev that the host never "
                   "reads, for transmit floods (scripts/bench)")
    p.add_argument("--icount", action="store_true",
                   help="guest time counts instructions (-icount shift=3)")
    p.add_argument("--icount-sleep", action="store_true",
                   help="with --icount, guest time runs at the real pace "
                   "while the guest idles (sleep=on) instead of leaping to "
                   "the next timer (sleep=off): an idle guest then runs "
                   "no timer more often than by the wall clock")
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
