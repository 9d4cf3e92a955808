#!/usr/bin/python3
"""A tiny authoritative DNS server (RFC 1035) answering MX, A, AAAA and TXT
queries from its command line, for the MX resolver and DKIM key lookup tests. Listens on 127.0.0.1, UDP and
TCP on the same ephemeral port, and prints "PORT <n>" on stdout once ready.

usage: dns_server.py [--ttl SECONDS] [--log FILE] [--no-additional] RECORD [RECORD ...]
  RECORD is one argument in zone-file order, NAME [TTL] TYPE DATA:
    "example.test MX 10 mx1.example.test"   "example.test 30 MX 0 ."   (null MX)
    "mx1.example.test A 127.0.0.2"          "mx1.example.test AAAA ::1"
    "txt-only.example.test TXT v=spf1 -all" (a name that exists without MX or address)
  A record without its own TTL gets --ttl (default 300). A name may have many records.

  Names starting with "servfail." are answered SERVFAIL; names starting with "timeout."
  are not answered at all; unknown names get NXDOMAIN; a known name asked for another
  type gets an empty answer (NODATA). An MX answer carries the A and AAAA records of its
  targets in the additional section, as authoritative servers do, unless --no-additional.
  A UDP answer over 512 bytes first loses its additional section, then is truncated (TC)
  so that the client asks again over TCP.

  --log FILE appends one line "NAME TYPE" (e.g. "example.test MX") per query received,
  so that a test can tell whether its client asked or answered from its cache."""
import argparse
import ipaddress
import select
import socket
import struct

TYPES = {"A": 1, "MX": 15, "TXT": 16, "AAAA": 28}
TYPE_NAMES = {number: name for name, number in TYPES.items()}

parser = argparse.ArgumentParser()
parser.add_argument("--ttl", type=int, default=300)
parser.add_argument("--log")
parser.add_argument("--no-additional", action="store_true")
parser.add_argument("records", nargs="*")
options = parser.parse_args()

# name -> list of (type, ttl, rdata-as-python-value)
records = {}
for text in options.records:
    fields = text.split()
    name, rest = fields[0].lower().rstrip("."), fields[1:]
    ttl = options.ttl
    if rest and rest[0].isdigit():
        ttl, rest = int(rest[0]), rest[1:]
    rtype = rest[0].upper()
    if rtype == "MX":
        value = (int(rest[1]), rest[2].lower())
    elif rtype in ("A", "AAAA"):
        value = rest[1]
    elif rtype == "TXT":
        # The text as written after the type, spaces and all.
        value = text.split(None, len(fields) - len(rest) + 1)[-1].encode() if rest[1:] else b""
    else:
        raise SystemExit("dns_server.py: unsupported record " + repr(text))
    records.setdefault(name, []).append((TYPES[rtype], ttl, value))


def encode_name(name):
    name = name.rstrip(".")
    labels = name.split(".") if name else []
    return b"".join(bytes([len(label)]) + label.encode() for label in labels) + b"\0"


def rdata(rtype, value):
    if rtype == 15:
        return struct.pack("!H", value[0]) + encode_name(value[1])
    if rtype == 16:
        # A TXT longer than 255 bytes is several character-strings (RFC 1035 §3.3.14):
        # DKIM keys of 2048 bits and more are.
        chunks = [value[i:i + 255] for i in range(0, len(value), 255)] or [b""]
        return b"".join(bytes([len(c)]) + c for c in chunks)
    if rtype == 1:
        return ipaddress.IPv4Address(value).packed
    return ipaddress.IPv6Address(value).packed


def record(owner, rtype, ttl, value):
    # The owner is either the question (a pointer to offset 12, RFC 1035 §4.1.4) or a
    # name written out in full.
    owner_bytes = b"\xc0\x0c" if owner is None else encode_name(owner)
    data = rdata(rtype, value)
    return owner_bytes + struct.pack("!HHIH", rtype, 1, ttl, len(data)) + data


def parse_question(query):
    labels, pos = [], 12
    while query[pos]:
        n = query[pos]
        labels.append(query[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n
    qtype, _ = struct.unpack("!HH", query[pos + 1:pos + 5])
    return ".".join(labels).lower(), qtype, query[12:pos + 5]


def answer(query, udp):
    """The reply to `query`, or None to stay silent."""
    qid, flags = struct.unpack("!HH", query[:4])
    name, qtype, question = parse_question(query)
    if options.log:
        with open(options.log, "a") as log:
            log.write("%s %s\n" % (name, TYPE_NAMES.get(qtype, str(qtype))))
    if name.startswith("timeout."):
        return None
    rcode, answers, additional = 0, [], []
    if name.startswith("servfail."):
        rcode = 2
    elif name not in records:
        rcode = 3
    else:
        for rtype, ttl, value in records[name]:
            if rtype != qtype:
                continue
            answers.append(record(None, rtype, ttl, value))
            if rtype == 15 and not options.no_additional:
                for glue_type, glue_ttl, glue in records.get(value[1], []):
                    if glue_type in (1, 28):
                        additional.append(record(value[1], glue_type, glue_ttl, glue))
    reply_flags = 0x8400 | (flags & 0x0100) | 0x0080 | rcode  # QR, AA, RD copied, RA

    def message():
        header = struct.pack("!HHHHHH", qid, reply_flags, 1, len(answers), 0, len(additional))
        return header + question + b"".join(answers) + b"".join(additional)

    if udp and len(message()) > 512:
        additional = []  # RFC 2181 §9: dropping additional data does not need TC
    if udp and len(message()) > 512:
        reply_flags |= 0x0200  # TC: ask again over TCP
        answers = []
    return message()


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def bind_udp_and_tcp():
    """A UDP and a TCP socket on the same free port. The kernel picks the UDP port; that
    number may be taken for TCP by another test running at the same time, so a few
    ports are tried."""
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        return udp, tcp, port
    raise SystemExit("dns_server.py: no port free for both UDP and TCP")


udp, tcp, port = bind_udp_and_tcp()
tcp.listen(8)
print("PORT", port, flush=True)

while True:
    ready, _, _ = select.select([udp, tcp], [], [])
    if udp in ready:
        query, peer = udp.recvfrom(4096)
        reply = answer(query, True)
        if reply is not None:
            udp.sendto(reply, peer)
    if tcp in ready:
        conn, _ = tcp.accept()
        with conn:
            # A client that stops half way must not hang the one thread serving UDP too.
            conn.settimeout(5)
            try:
                size = read_exactly(conn, 2)
                query = size and read_exactly(conn, struct.unpack("!H", size)[0])
                reply = query and answer(query, False)
                if reply:
                    conn.sendall(struct.pack("!H", len(reply)) + reply)
            except OSError:
                pass
