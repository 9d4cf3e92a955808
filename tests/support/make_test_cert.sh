#!/bin/sh
# Writes a throwaway self-signed certificate for the test servers and its unencrypted
# RSA-2048 key into DIR: DIR/cert.pem and DIR/key.pem. CN=localhost, valid for two days;
# subjectAltName: localhost, 127.0.0.1 to 127.0.0.16 (the addresses the scripted servers
# listen on) and any extra DNS names or IP addresses given after DIR.
# Usage: tests/support/make_test_cert.sh DIR [NAME_OR_IP...]
set -eu
dir="${1:?usage: make_test_cert.sh DIR [NAME_OR_IP...]}"
shift
san="DNS:localhost"
i=1
while [ "$i" -le 16 ]; do san="$san,IP:127.0.0.$i"; i=$((i + 1)); done
for name in "$@"; do
  case "$name" in
    *[!0-9.]*) san="$san,DNS:$name" ;;
    *) san="$san,IP:$name" ;;
  esac
done
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=$san" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 600 "$dir/key.pem"
