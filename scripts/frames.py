#!/usr/bin/env python3
"""Ethernet frames for the e1k tests: what the host puts on the wire, and
the checks of what the guest put there.

scripts/vm.py imports this module:
  - frames(KIND, COUNT, DST) and barrier(DST, TOKEN): hostile and odd
    frames the host sends to nic0 through a QEMU `-netdev socket` port on
    the hub when the guest asks ("@@inject"), and the barrier frame that
    ends each such burst for the guest's rxcount (tests/guest/rxcount.c);
  - respond(FRAME): the peers on the hub that answer ARP and ping.
Run as a program it judges a capture of nic0 (vm.py --pcap):
  frames.py check-padding PCAP   short frames from eth0 padded with zeros
  frames.py check-tso PCAP       the TCP/IPv4 GSO frames of features.sh
  frames.py check-loopback PCAP  none of eth0's frames sent in loopback
                                 (UDP to port LOOPBACK_PORT) on the wire,
                                 while the ones sent after it are
                                 (gsosend -4) arrived as correct segments
  frames.py check-xdp-tx PCAP COUNT
                                 the COUNT "xdp" frames came back from eth0
                                 as xdp_tx rewrote them (xdp_progs.c)
  frames.py check-xdp-redirect PCAP COUNT
                                 the COUNT "xdp" frames went out again as
                                 xdp_redirect rewrote them (to SINK_MAC)
  frames.py check-xdp-redirect-map PCAP COUNT
                                 the same, as xdp_devmap rewrote them
                                 (to SINK2_MAC)
  frames.py check-xdp-tx-jumbo, check-xdp-redirect-jumbo PCAP COUNT
                                 the same for the COUNT "xdpjumbo" frames
  frames.py check-xsk-tx PCAP COUNT
                                 eth0 sent exactly the COUNT frames of
                                 xsktest tx (tests/guest/xsktest.c), intact

Frame sizes exclude the FCS, as QEMU's do. Deterministic: the same kind
and count give the same frames.
"""

import random
import struct
import sys

# QEMU's mac= options for nic0 (eth0) and nic1 (eth1).
MAC0 = "52:54:00:12:34:56"
MAC1 = "52:54:00:12:34:57"

BROADCAST = b"\xff" * 6
FOREIGN = bytes.fromhex("020000001234")  # nobody's: FOREIGN_MAC of lib.sh
SRC = bytes.fromhex("020000000666")     # the injector: a locally
                                        # administered nobody
LOCAL_TYPE = 0x88B5                     # IEEE local experimental: no handler

# The barrier: an ARP reply for protocol LOCAL_TYPE, which the kernel's
# ARP code discards without a trace (nothing counts it as dropped), with
# this marker, the guest's token and a sequence number after the ARP body.
# rxcount.c builds and recognises the same frame.
BARRIER_MARK = b"e1k-barrier "

# Frames sent in one go when the guest waits for a barrier after each
# chunk: fewer than e1k's smallest RX ring (80), and bytes well within a
# host socket's default receive buffer (212992), so that no frame is lost
# for want of room while the guest catches up.
CHUNK_FRAMES = 64
CHUNK_BYTES = 64 << 10

# Peers that answer ARP and ping on the injector port: (VLAN, IPv4, MAC).
PEERS = [(None, bytes([10, 0, 9, 2]), bytes.fromhex("020000000902")),
         (100, bytes([10, 0, 100, 2]), bytes.fromhex("020000006402"))]

# The TCP/IPv4 frames features.sh hands the stack with gsosend -4 (one
# segmentation offload frame each): source port -> (what segmented it,
# MSS). gsosend sends TSO_BYTES of payload from sequence number TSO_SEQ
# to port 9, payload byte k being k % 251, with ACK, PSH and FIN set and
# IPv4 ID TSO_IP_ID. At MSS 536 the device takes at most 2 KiB per
# descriptor; at MSS 100 a frame would need more descriptors than e1k
# keeps free for one, and the stack segments it.
TSO_FRAMES = {40004: ("the device (tso on)", 1448),
              40005: ("the stack (tso off)", 1448),
              40007: ("the device (tso on)", 536),
              40008: ("the stack (too many descriptors)", 100)}
TSO_BYTES = 60000
TSO_SEQ = 1
TSO_IP_ID = 1000


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


def ip_checksum(data):
    """The Internet checksum of data (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


# --- Frames the host sends ------------------------------------------------

def frame(dst, ethertype, payload):
    return dst + SRC + struct.pack("!H", ethertype) + payload


def runts(dst, count):
    """Frames of 6..59 bytes, cycling: too short for Ethernet's minimum."""
    full = frame(dst, LOCAL_TYPE, bytes(range(46)))
    return [full[:6 + i % 54] for i in range(count)]


def oversize(dst, count, rng):
    """Frames of 1519..16384 bytes: longer than MTU 1500 allows."""
    sizes = [1519, 1520, 1522, 1523, 1600, 2048, 4096, 9018, 9022, 16384]
    sizes += [rng.randint(1519, 16384) for _ in range(max(0, count - 10))]
    return [frame(dst, LOCAL_TYPE, bytes(n - 14)) for n in sizes[:count]]


def giant(dst, count):
    """Frames over 16 KiB, past what even jumbo-capable hardware takes."""
    return [frame(dst, LOCAL_TYPE, bytes(16385 + i * 1000 - 14))
            for i in range(count)]


def garbage(dst, count, rng):
    """Random payloads under real and bogus ethertypes, 60..1514 bytes."""
    types = [0x0800, 0x0806, 0x86DD, 0x8100, 0x88A8, 0x8847, 0x0000,
             0x05DC, 0xFFFF, LOCAL_TYPE]
    out = []
    for i in range(count):
        n = rng.randint(60, 1514)
        payload = bytes(rng.getrandbits(8) for _ in range(n - 14))
        out.append(frame(dst if i % 4 else BROADCAST, types[i % len(types)],
                         payload))
    return out


def burst(dst, count):
    """Minimum-size frames nobody handles, sent as fast as possible."""
    return [frame(dst, LOCAL_TYPE, struct.pack("!I", i) + bytes(42))
            for i in range(count)]


def arp_storm(count, rng):
    """Broadcast ARP requests for addresses on 10.0.2.0/24 that nobody has."""
    out = []
    for _ in range(count):
        target = bytes([10, 0, 2, rng.randint(100, 250)])
        sender = bytes([10, 0, 2, rng.randint(100, 250)])
        arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + SRC + sender + \
            bytes(6) + target
        out.append(frame(BROADCAST, 0x0806, arp + bytes(18)))
    return out


def vlan_frames(dst, vid, count):
    """Frames to dst tagged with VLAN vid (the filter table tests)."""
    tag = struct.pack("!HH", 0x8100, vid)
    return [dst + SRC + tag + struct.pack("!H", LOCAL_TYPE) +
            struct.pack("!I", i) + bytes(42) for i in range(count)]


# --- The XDP tests' frames (tests/guest/xdp.sh, xdp_progs.c, xsktest.c) --
#
# Frame SEQ of a sequence is seq_len(SEQ) bytes long (60..1514): after
# the Ethernet header, an 8-byte magic, SEQ (32 bits, big-endian), then
# byte k of the rest is (SEQ + k) % 251. The host injects kind "xdp"
# (magic XDP_MAGIC, from SRC, EtherType LOCAL_TYPE: no protocol handles it,
# the stack counts what reaches it in rx_dropped); xsktest rx checks them
# byte for byte; xsktest tx sends the same layout with magic XSK_TX_MAGIC
# from eth0 to SINK_MAC under XSK_TX_TYPE. xsktest.c builds the same.
XDP_MAGIC = b"e1k-xdp "
# Kind "xdpjumbo": the same layout with this magic, seq_len() 1515..9014
# bytes: longer than a 2 KiB RX buffer, within MTU 9000. Kind "xdpeth1":
# the "xdp" frames, to eth1 (MAC1).
JUMBO_MAGIC = b"e1k-jmb "
XSK_TX_MAGIC = b"e1k-xsk "
XSK_TX_TYPE = 0x88B6                    # IEEE local experimental 2
TX_MARK = bytes.fromhex("020000000f0f")  # xdp_tx's source MAC
SINK_MAC = bytes.fromhex("02000000eeee")  # xdp_redirect's and xsktest
                                          # tx's destination MAC
SINK2_MAC = bytes.fromhex("02000000eded")  # xdp_devmap's


def seq_len(seq, magic=XDP_MAGIC):
    if magic == JUMBO_MAGIC:
        return 1515 + (seq * 397) % 7500
    return 60 + (seq * 397) % 1455


def seq_frame(dst, src, ethertype, magic, seq):
    head = magic + struct.pack("!I", seq)
    n = seq_len(seq, magic) - 14 - len(head)
    return dst + src + struct.pack("!H", ethertype) + head + \
        bytes((seq + k) % 251 for k in range(n))


def xdp_frames(dst, count, magic=XDP_MAGIC):
    return [seq_frame(dst, SRC, LOCAL_TYPE, magic, i)
            for i in range(count)]


def frames(kind, count, dst_mac):
    rng = random.Random(f"{kind}/{count}")
    dst = mac_bytes(dst_mac)
    if kind == "xdp":
        return xdp_frames(dst, count)
    if kind == "xdpjumbo":
        return xdp_frames(dst, count, JUMBO_MAGIC)
    if kind == "xdpeth1":
        return xdp_frames(mac_bytes(MAC1), count)
    if kind == "runt":
        return runts(dst, count)
    if kind == "oversize":
        return oversize(dst, count, rng)
    if kind == "giant":
        return giant(dst, count)
    if kind == "garbage":
        return garbage(dst, count, rng)
    if kind == "burst":
        return burst(dst, count)
    if kind == "arpstorm":
        return arp_storm(count, rng)
    if kind in ("vlan100", "vlan200"):
        return vlan_frames(BROADCAST, int(kind[4:]), count)
    if kind == "vlan123-foreign":
        return vlan_frames(FOREIGN, 123, count)
    raise ValueError(f"unknown frame kind {kind!r}")


def chunks(all_frames):
    """all_frames cut into chunks of at most CHUNK_FRAMES and CHUNK_BYTES."""
    out, size = [[]], 0
    for f in all_frames:
        if out[-1] and (len(out[-1]) == CHUNK_FRAMES or
                        size + len(f) > CHUNK_BYTES):
            out.append([])
            size = 0
        out[-1].append(f)
        size += len(f)
    return out


def barrier(dst_mac, token, seq):
    """The frame that tells the guest's rxcount all before it is in."""
    dst = mac_bytes(dst_mac)
    arp = struct.pack("!HHBBH", 1, LOCAL_TYPE, 6, 4, 2) + SRC + bytes(4) + \
        dst + bytes(4)
    tail = f"{token[:8]} {seq & 0xFFFF:04x}".encode()
    return frame(dst, 0x0806, arp + BARRIER_MARK + tail)


def respond(f):
    """The reply a peer sends to an ARP request or echo request, or None."""
    vid, off = None, 12
    if f[12:14] == b"\x81\x00":
        vid, off = struct.unpack("!H", f[14:16])[0] & 0xFFF, 16
    ethertype = f[off:off + 2]
    body = f[off + 2:]
    for peer_vid, ip, mac in PEERS:
        if peer_vid != vid:
            continue
        tag = f[12:16] if vid is not None else b""
        if ethertype == b"\x08\x06" and len(body) >= 28 and \
                body[6:8] == b"\x00\x01" and body[24:28] == ip:
            arp = body[:6] + b"\x00\x02" + mac + ip + body[8:14] + \
                body[14:18]
            return f[6:12] + mac + tag + b"\x08\x06" + arp
        if ethertype == b"\x08\x00" and len(body) >= 28 and \
                body[16:20] == ip and body[9] == 1 and \
                body[(body[0] & 15) * 4] == 8:
            ihl = (body[0] & 15) * 4
            total = struct.unpack("!H", body[2:4])[0]
            icmp = bytearray(body[ihl:total])
            icmp[0], icmp[2:4] = 0, b"\0\0"
            icmp[2:4] = struct.pack("!H", ip_checksum(bytes(icmp)))
            hdr = bytearray(body[:ihl])
            hdr[12:16], hdr[16:20] = body[16:20], body[12:16]
            hdr[10:12] = b"\0\0"
            hdr[10:12] = struct.pack("!H", ip_checksum(bytes(hdr)))
            return f[6:12] + mac + tag + b"\x08\x00" + bytes(hdr) + \
                bytes(icmp)
    return None


# --- Captures (QEMU filter-dump: classic pcap) ----------------------------

def pcap_frames(path):
    """The bytes of each frame of a classic pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    out, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def payload_end(f):
    """Where the protocol's own bytes end in an ARP or IPv4 frame, or None."""
    ethertype = struct.unpack("!H", f[12:14])[0]
    if ethertype == 0x0806:
        return 14 + 28
    if ethertype == 0x0800 and len(f) >= 18:
        return 14 + struct.unpack("!H", f[16:18])[0]
    return None


def check_padding(path, src_mac):
    """Judge the short frames src_mac sent: (ok, summary lines)."""
    src = mac_bytes(src_mac)
    short = padded = 0
    bad = []
    for f in pcap_frames(path):
        if len(f) < 14 or f[6:12] != src:
            continue
        end = payload_end(f)
        if end is None or end >= 60:
            continue
        short += 1
        if len(f) < 60:
            bad.append(f"{len(f)}-byte frame: not padded to 60")
        elif any(f[end:60]):
            bad.append(f"frame of {end} bytes padded with {f[end:60].hex()}")
        else:
            padded += 1
    lines = [f"{short} short frames from {src_mac}, {padded} padded to "
             f"60 bytes with zeros"] + bad[:10]
    return short > 0 and not bad, lines


def tcp4_segments(path, src_mac, sport):
    """(IPv4 header, TCP header, payload) of each TCP/IPv4 frame src_mac
    sent from port sport, in capture order."""
    src = mac_bytes(src_mac)
    out = []
    for f in pcap_frames(path):
        if len(f) < 54 or f[6:12] != src or f[12:14] != b"\x08\x00":
            continue
        ihl = (f[14] & 15) * 4
        total = struct.unpack("!H", f[16:18])[0]
        if f[23] != 6 or ihl < 20 or len(f) < 14 + total:
            continue
        ip = f[14:14 + ihl]
        tcp_and_data = f[14 + ihl:14 + total]
        if len(tcp_and_data) < 20 or \
                struct.unpack("!H", tcp_and_data[:2])[0] != sport:
            continue
        thl = (tcp_and_data[12] >> 4) * 4
        out.append((ip, tcp_and_data[:thl], tcp_and_data[thl:]))
    return out


def tso_pattern(offset, length):
    return bytes((offset + k) % 251 for k in range(length))


# features.sh's loopback scenario: pktgen's frames, UDP to this port, sent
# with ethtool -K loopback on, and the same after it is off again.
LOOPBACK_PORT = 7777
AFTER_LOOPBACK_PORT = 7778


def udp4_dport(f):
    """The UDP/IPv4 destination port of an untagged frame, or None."""
    if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17:
        return None
    ihl = (f[14] & 15) * 4
    if len(f) < 14 + ihl + 8:
        return None
    return struct.unpack("!H", f[14 + ihl + 2:14 + ihl + 4])[0]


def check_loopback(path, src_mac):
    """No looped frame from src_mac on the wire, the later ones there."""
    src = mac_bytes(src_mac)
    looped = after = 0
    for f in pcap_frames(path):
        if f[6:12] != src:
            continue
        port = udp4_dport(f)
        looped += port == LOOPBACK_PORT
        after += port == AFTER_LOOPBACK_PORT
    lines = [f"frames sent in loopback seen on the wire: {looped} (want 0); "
             f"sent after it: {after} (want 100)"]
    return looped == 0 and after == 100, lines


def check_tso_frame(segments, nbytes, mss):
    """What is wrong with the segments of one gsosend -4 frame (a list)."""
    want = -(-nbytes // mss)
    bad = []
    if len(segments) != want:
        bad.append(f"{len(segments)} segments, expected {want}")
    offset = 0
    for i, (ip, tcp, data) in enumerate(segments):
        last = i == len(segments) - 1
        seq = struct.unpack("!I", tcp[4:8])[0]
        size = min(mss, nbytes - offset) if offset < nbytes else 0
        what = f"segment {i + 1}"
        if seq != (TSO_SEQ + offset) & 0xFFFFFFFF:
            bad.append(f"{what}: sequence {seq}, expected "
                       f"{TSO_SEQ + offset}")
        if len(data) != size:
            bad.append(f"{what}: {len(data)} payload bytes, expected {size}")
        total = struct.unpack("!H", ip[2:4])[0]
        if total != len(ip) + len(tcp) + len(data):
            bad.append(f"{what}: IPv4 total length {total}")
        ip_id = struct.unpack("!H", ip[4:6])[0]
        if ip_id != (TSO_IP_ID + i) & 0xFFFF:
            bad.append(f"{what}: IPv4 ID {ip_id}, expected "
                       f"{(TSO_IP_ID + i) & 0xFFFF}")
        if ip_checksum(ip):
            bad.append(f"{what}: bad IPv4 header checksum")
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp) + len(data))
        if ip_checksum(pseudo + tcp + data):
            bad.append(f"{what}: bad TCP checksum")
        flags = tcp[13]
        if not flags & 0x10:
            bad.append(f"{what}: no ACK")
        if last and flags & 0x09 != 0x09:
            bad.append(f"{what} (the last): PSH or FIN missing")
        if not last and flags & 0x09:
            bad.append(f"{what}: PSH or FIN before the last segment")
        if data != tso_pattern(offset, len(data)):
            bad.append(f"{what}: payload differs from the pattern")
        offset += len(data)
    return bad


def check_tso(path, src_mac, nbytes=TSO_BYTES):
    """Judge the gsosend -4 frames of TSO_FRAMES: (ok, summary lines)."""
    ok, lines = True, []
    for sport, (by, mss) in TSO_FRAMES.items():
        segments = tcp4_segments(path, src_mac, sport)
        bad = check_tso_frame(segments, nbytes, mss)
        sizes = sorted({len(s[2]) for s in segments})
        lines.append(f"port {sport}, MSS {mss}, segmented by {by}: "
                     f"{len(segments)} "
                     f"segments of {'/'.join(map(str, sizes)) or 'no'} "
                     f"payload bytes" + (", all correct" if not bad else ""))
        lines += ["  " + b for b in bad[:10]]
        ok = ok and not bad
    return ok, lines


def seq_of(f, ethertype, magic):
    """SEQ of a frame of the XDP tests' layout, or None."""
    if len(f) < 26 or f[12:14] != struct.pack("!H", ethertype) or \
            f[14:22] != magic:
        return None
    return struct.unpack("!I", f[22:26])[0]


def check_sequence(path, what, dst, src, ethertype, magic, count):
    """Exactly frames 0..count-1 of a sequence from src to dst, each once
    and intact: (ok, summary lines)."""
    seen, bad = {}, []
    for f in pcap_frames(path):
        if f[0:6] != dst or f[6:12] != src:
            continue
        seq = seq_of(f, ethertype, magic)
        if seq is None:
            continue                    # another test's frame

        seen[seq] = seen.get(seq, 0) + 1
        if seq >= count:
            bad.append(f"frame {seq}: beyond the {count} sent")
        elif f != seq_frame(dst, src, ethertype, magic, seq):
            bad.append(f"frame {seq}: {len(f)} bytes, expected "
                       f"{seq_len(seq, magic)}, or its bytes differ")
    missing = [s for s in range(count) if s not in seen]
    twice = sorted(s for s, n in seen.items() if n > 1)
    if missing:
        bad.append(f"{len(missing)} missing, the first {missing[:10]}")
    if twice:
        bad.append(f"{len(twice)} seen more than once, the first "
                   f"{twice[:10]}")
    lines = [f"{sum(seen.values())} frames {what} ({src.hex(':')} -> "
             f"{dst.hex(':')}), {count} expected"] + bad[:10]
    return not bad, lines


def check_xdp_tx(path, count, magic=XDP_MAGIC):
    """The "xdp" frames came back as xdp_tx left them: to the injector,
    from TX_MARK, the rest unchanged."""
    return check_sequence(path, "sent back by XDP_TX", SRC, TX_MARK,
                          LOCAL_TYPE, magic, count)


def check_xdp_redirect(path, count, magic=XDP_MAGIC):
    """The "xdp" frames went out again as xdp_redirect left them: to
    SINK_MAC, from the injector, the rest unchanged."""
    return check_sequence(path, "redirected by XDP", SINK_MAC, SRC,
                          LOCAL_TYPE, magic, count)


def check_xdp_redirect_map(path, count):
    """The "xdp" frames went out again as xdp_devmap left them."""
    return check_sequence(path, "redirected by XDP through a DEVMAP",
                          SINK2_MAC, SRC, LOCAL_TYPE, XDP_MAGIC, count)


def check_xsk_tx(path, count):
    """xsktest tx's frames, from eth0 to SINK_MAC."""
    return check_sequence(path, "sent by xsktest tx", SINK_MAC,
                          mac_bytes(MAC0), XSK_TX_TYPE, XSK_TX_MAGIC, count)


def main():
    checks = {"check-padding": check_padding, "check-tso": check_tso,
              "check-loopback": check_loopback}
    counted = {"check-xdp-tx": check_xdp_tx,
               "check-xdp-redirect": check_xdp_redirect,
               "check-xsk-tx": check_xsk_tx,
               "check-xdp-redirect-map": check_xdp_redirect_map,
               "check-xdp-tx-jumbo":
               lambda p, n: check_xdp_tx(p, n, JUMBO_MAGIC),
               "check-xdp-redirect-jumbo":
               lambda p, n: check_xdp_redirect(p, n, JUMBO_MAGIC)}
    if len(sys.argv) == 4 and sys.argv[1] in counted and \
            sys.argv[3].isdigit():
        ok, lines = counted[sys.argv[1]](sys.argv[2], int(sys.argv[3]))
        print("\n".join(lines))
        sys.exit(0 if ok else 1)
    if len(sys.argv) != 3 or sys.argv[1] not in checks:
        sys.exit("usage: frames.py check-padding|check-tso|check-loopback "
                 "PCAP\n"
                 "       frames.py check-xdp-tx[-jumbo]|"
                 "check-xdp-redirect[-jumbo|-map]|check-xsk-tx PCAP COUNT")
    ok, lines = checks[sys.argv[1]](sys.argv[2], MAC0)
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
