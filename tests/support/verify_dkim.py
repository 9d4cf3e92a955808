#!/usr/bin/python3
"""Independent DKIM check with python3-dkim (and python3-nacl for Ed25519): verifies
every DKIM-Signature of a message against public keys given on the command line
instead of DNS. Prints one line per signature: "<index> <a=> ok|FAIL <detail>".

usage: verify_dkim.py MESSAGE.eml NAME=TXT [NAME=TXT ...]
  NAME is <selector>._domainkey.<domain>, TXT the record ("v=DKIM1; k=rsa; p=...")."""
import sys

import dkim

message = open(sys.argv[1], "rb").read()
records = {}
for arg in sys.argv[2:]:
    name, txt = arg.split("=", 1)
    records[name.lower().rstrip(".") + "."] = txt.encode()


def dns(name, timeout=5):
    return records.get(name.decode().lower() if isinstance(name, bytes) else name.lower())


d = dkim.DKIM(message)
count = message.count(b"\nDKIM-Signature:") + (1 if message.startswith(b"DKIM-Signature:") else 0)
failed = False
for i in range(count):
    try:
        ok = d.verify(idx=i, dnsfunc=dns)
    except Exception as e:  # a verifier error is a failure, with its reason
        ok = False
        print(i, "error", e)
    algo = d.signature_fields.get(b"a", b"?").decode() if d.signature_fields else "?"
    print(i, algo, "ok" if ok else "FAIL")
    failed = failed or not ok
sys.exit(1 if failed or count == 0 else 0)
