#!/usr/bin/python3
"""Independent DKIM signer for the verifier's tests: python3-dkim (dkimpy), with
python3-nacl for Ed25519. Writes the message with one DKIM-Signature prepended to stdout.

usage: sign_dkim.py MESSAGE.eml KEY.pem DOMAIN SELECTOR [options]
  --algorithm rsa-sha256|ed25519-sha256|rsa-sha1   (default rsa-sha256)
  --canon HEADER/BODY   simple or relaxed each (default relaxed/relaxed)
  --headers a:b:c       the h= list (default: dkimpy's own choice)
  --length              add l= (the body length)
  --time T              t= (seconds since 1970; default now)
  --expire X            add x= (dkimpy's sign() has no x=, so the signature is built
                        with dkimpy's own header generator, DKIM.gen_header)

KEY.pem is a PKCS#8 private key, as `b2bmail dkim keygen` writes it; for Ed25519 the
32-byte seed dkimpy wants is taken from it."""
import argparse
import base64
import sys

import dkim
import dkim.crypto
import nacl.encoding
import nacl.signing
from dkim.canonicalization import CanonicalizationPolicy

# PKCS#8 DER of an Ed25519 private key: this 16-byte prefix, then the 32-byte seed
# (RFC 8410 §7).
ED25519_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")


def ed25519_seed_base64(pem):
    body = b"".join(l for l in pem.splitlines() if l and not l.startswith(b"-----"))
    der = base64.b64decode(body)
    if len(der) != 48 or not der.startswith(ED25519_PKCS8_PREFIX):
        sys.exit("sign_dkim.py: not a PKCS#8 Ed25519 private key")
    return base64.b64encode(der[16:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("message")
    p.add_argument("key")
    p.add_argument("domain")
    p.add_argument("selector")
    p.add_argument("--algorithm", default="rsa-sha256")
    p.add_argument("--canon", default="relaxed/relaxed")
    p.add_argument("--headers")
    p.add_argument("--length", action="store_true")
    p.add_argument("--time", type=int)
    p.add_argument("--expire", type=int)
    a = p.parse_args()

    message = open(a.message, "rb").read()
    pem = open(a.key, "rb").read()
    algorithm = a.algorithm.encode()
    key = ed25519_seed_base64(pem) if algorithm == b"ed25519-sha256" else pem
    canon = tuple(x.encode() for x in a.canon.split("/"))
    headers = [h.encode() for h in a.headers.split(":")] if a.headers else None
    if a.time is not None:
        dkim.time.time = lambda: a.time

    if a.expire is None:
        signature = dkim.sign(message, a.selector.encode(), a.domain.encode(), key,
                              canonicalize=canon, signature_algorithm=algorithm,
                              include_headers=headers, length=a.length)
        sys.stdout.buffer.write(signature + message)
        return

    # DKIM.sign() with an x= tag added, otherwise as dkimpy builds it.
    d = dkim.DKIM(message, signature_algorithm=algorithm)
    if algorithm == b"ed25519-sha256":
        pk = nacl.signing.SigningKey(key, encoder=nacl.encoding.Base64Encoder)
    else:
        pk = dkim.crypto.parse_pem_private_key(key)
    policy = CanonicalizationPolicy.from_c_value(b"/".join(canon))
    include = tuple(x.lower() for x in (headers or d.default_sign_headers()))
    d.hasher = dkim.HASH_ALGORITHMS[algorithm]
    body = policy.canonicalize_body(d.body)
    if a.length:
        sys.exit("sign_dkim.py: --length with --expire is not supported")
    now = a.time if a.time is not None else int(dkim.time.time())
    fields = [
        (b"v", b"1"),
        (b"a", algorithm),
        (b"c", policy.to_c_value()),
        (b"d", a.domain.encode()),
        (b"s", a.selector.encode()),
        (b"t", str(now).encode()),
        (b"x", str(a.expire).encode()),
        (b"h", b" : ".join(include)),
        (b"bh", base64.b64encode(d.hasher(body).digest())),
        (b"b", b"0" * 60),
    ]
    value = d.gen_header(fields, include, policy, b"DKIM-Signature", pk)
    sys.stdout.buffer.write(b"DKIM-Signature: " + value + message)


main()
