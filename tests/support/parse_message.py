#!/usr/bin/python3
"""Independent MIME check: parses each message file with Python's `email` package
(policy=default, strict header parsing) and prints one JSON object per file with what
a mail client would show. Used by the C++ tests and the demo."""
import email
import email.policy
import json
import sys


def describe(path):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        "file": path,
        "defects": [type(d).__name__ for d in msg.defects],
        "subject": str(msg["subject"]) if msg["subject"] is not None else None,
        "from_name": msg["from"].addresses[0].display_name if msg["from"] else None,
        "from_addr": msg["from"].addresses[0].addr_spec if msg["from"] else None,
        "to_name": msg["to"].addresses[0].display_name if msg["to"] else None,
        "to_addr": msg["to"].addresses[0].addr_spec if msg["to"] else None,
        "message_id": msg["message-id"],
        "content_type": msg.get_content_type(),
        "text": None,
        "html": None,
        "max_line": max((len(l) for l in raw.split(b"\r\n")), default=0),
        "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
    }
    for part in msg.walk():
        out["defects"] += [type(d).__name__ for d in part.defects]
        if part.get_content_type() == "text/plain" and out["text"] is None:
            out["text"] = part.get_content().replace("\r\n", "\n")
        elif part.get_content_type() == "text/html" and out["html"] is None:
            out["html"] = part.get_content().replace("\r\n", "\n")
    return out


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(describe(p), ensure_ascii=False))
