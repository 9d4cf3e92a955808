#!/usr/bin/python3
"""A tiny authoritative DNS server (RFC 1035) answering TXT queries from its command line,
for the DKIM key lookup tests. Listens on 127.0.0.1, UDP and TCP on the same ephemeral
port, and prints "PORT <n>" on stdout once ready.

usage: dns_txt_server.py NAME=TXT [NAME=TXT ...]
  A name may be given several times (several records). A TXT longer than 255 bytes is
  sent as several character-strings, as DNS requires. Names starting with "servfail."
  are answered SERVFAIL; a known name asked for another type gets an empty answer
  (NODATA); unknown names get NXDOMAIN. A UDP answer over 512 bytes is truncated (TC)
  so that the client asks again over TCP."""
import select
import socket
import struct
import sys

records = {}
for arg in sys.argv[1:]:
    name, txt = arg.split("=", 1)
    records.setdefault(name.lower().rstrip("."), []).append(txt.encode())


def parse_question(query):
    labels, pos = [], 12
    while query[pos]:
        n = query[pos]
        labels.append(query[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n
    qtype, _ = struct.unpack("!HH", query[pos + 1:pos + 5])
    return ".".join(labels).lower(), qtype, query[12:pos + 5]


def answer(query, udp):
    qid, flags = struct.unpack("!HH", query[:4])
    name, qtype, question = parse_question(query)
    rcode, rrs = 0, []
    if name.startswith("servfail."):
        rcode = 2
    elif name not in records:
        rcode = 3
    elif qtype == 16:
        for txt in records[name]:
            chunks = [txt[i:i + 255] for i in range(0, len(txt), 255)] or [b""]
            rdata = b"".join(bytes([len(c)]) + c for c in chunks)
            # The owner name points back at the question (compression, RFC 1035 §4.1.4).
            rrs.append(struct.pack("!HHHIH", 0xC00C, 16, 1, 60, len(rdata)) + rdata)
    reply_flags = 0x8400 | (flags & 0x0100) | 0x0080 | rcode  # QR, AA, RD copied, RA
    body = question + b"".join(rrs)
    if udp and 12 + len(body) > 512:
        reply_flags |= 0x0200  # TC: ask again over TCP
        rrs = []
        body = question
    return struct.pack("!HHHHHH", qid, reply_flags, 1, len(rrs), 0, 0) + body


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
port = udp.getsockname()[1]
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", port))
tcp.listen(8)
print("PORT", port, flush=True)

while True:
    ready, _, _ = select.select([udp, tcp], [], [])
    if udp in ready:
        query, peer = udp.recvfrom(4096)
        udp.sendto(answer(query, True), peer)
    if tcp in ready:
        conn, _ = tcp.accept()
        with conn:
            size = read_exactly(conn, 2)
            query = size and read_exactly(conn, struct.unpack("!H", size)[0])
            if query:
                reply = answer(query, False)
                conn.sendall(struct.pack("!H", len(reply)) + reply)
