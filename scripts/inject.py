"""Hostile and odd Ethernet frames for the guest, and the etherleak check.

scripts/vm.py sends these through a QEMU `-netdev socket` port on the hub
when the guest asks ("@@inject KIND COUNT"), so every frame reaches the
NICs exactly as a wire would deliver it. Frame sizes exclude the FCS, as
QEMU's do. Deterministic: the same kind and count give the same frames.
"""

import random
import struct

BROADCAST = b"\xff" * 6
SRC = bytes.fromhex("020000000666")     # a locally administered nobody
LOCAL_TYPE = 0x88B5                     # IEEE local experimental: no handler


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


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
    """Broadcast frames tagged with VLAN vid (for the filter table test)."""
    tag = struct.pack("!HH", 0x8100, vid)
    return [BROADCAST + SRC + tag + struct.pack("!H", LOCAL_TYPE) +
            struct.pack("!I", i) + bytes(42) for i in range(count)]


# Peers that answer ARP and ping on the injector port: (VLAN, IPv4, MAC).
PEERS = [(None, bytes([10, 0, 9, 2]), bytes.fromhex("020000000902")),
         (100, bytes([10, 0, 100, 2]), bytes.fromhex("020000006402"))]


def ip_checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


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


def frames(kind, count, dst_mac):
    rng = random.Random(f"{kind}/{count}")
    dst = mac_bytes(dst_mac)
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
        return vlan_frames(dst, int(kind[4:]), count)
    raise ValueError(f"unknown frame kind {kind!r}")


def pcap_frames(path):
    """(captured length, bytes) of each frame of a classic pcap file."""
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


def main():
    """scripts/inject.py check-padding PCAP: the etherleak verdict."""
    import sys
    import vm
    if len(sys.argv) != 3 or sys.argv[1] != "check-padding":
        sys.exit("usage: inject.py check-padding PCAP")
    ok, lines = check_padding(sys.argv[2], vm.MAC0)
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
