#!/usr/bin/python3
"""Scores bounce readers against the hand-checked table (tests/bounce/labels/*.tsv).

Input: one or more label files, and for each reader a JSON-lines file with one line per
recipient found ({"file","recipient","hard"|"softbounce",...}) or {"file","recipients":[]}
for a file with none (what `b2bmail bounce parse` and bench/sisimai_parse.pl print).
A file counts as right when the reader's set of recipients (lower case) equals the
table's. Hard/soft is compared on the recipients both name. Prints per-reader figures
and every disagreement.

usage: bounce_accuracy.py --labels A.tsv [B.tsv...] --reader NAME=FILE.jsonl [...]
                          [--only FILE-LIST] [--quiet]
"""
import argparse
import json
import os
import sys


def normal(address):
    """Lower case; a quoted local part without its quotes ("a..b"@x is a..b@x)."""
    a = address.strip().lower()
    at = a.rfind("@")
    if at >= 2 and a.startswith('"') and a[at - 1] == '"':
        a = a[1:at - 1] + a[at:]
    return a


def load_labels(paths):
    table = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f):
                line = line.rstrip("\n")
                if n == 0 or not line.strip():
                    continue
                cols = line.split("\t")
                name, kind, recips = cols[0], cols[1], cols[2] if len(cols) > 2 else ""
                entries = {}
                for item in filter(None, recips.split(";")):
                    parts = item.split("|")
                    addr = normal(parts[0])
                    entries[addr] = {
                        "action": parts[1] if len(parts) > 1 else "failed",
                        "hard": len(parts) > 2 and parts[2] == "hard",
                        "category": parts[3] if len(parts) > 3 else "other",
                    }
                table[name] = {"kind": kind, "recipients": entries, "note": cols[3] if len(cols) > 3 else ""}
    return table


def key_of(path):
    base = os.path.basename(path)
    return "not/" + base if os.sep + "not" + os.sep in path else base


def load_reader(path):
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            k = key_of(row["file"])
            entry = found.setdefault(k, {})
            if "recipient" in row:
                if "hard" in row:
                    hard = bool(row["hard"])
                else:  # Sisimai: softbounce 0 is a hard bounce, 1 soft, -1 unknown
                    hard = row.get("softbounce") == 0
                entry[normal(row["recipient"])] = {"hard": hard, "category": row.get("category", row.get("reason", ""))}
    return found


OTHER = {"tls-failure", "network", "protocol", "other"}


def score(name, table, found, quiet):
    files = right = 0
    hs_total = hs_right = cat_total = cat_right = 0
    wrong = []
    for k, want in sorted(table.items()):
        files += 1
        got = found.get(k, {})
        if set(got) == set(want["recipients"]):
            right += 1
        else:
            wrong.append((k, sorted(want["recipients"]), sorted(got)))
        for addr, w in want["recipients"].items():
            if addr in got:
                hs_total += 1
                hs_right += got[addr]["hard"] == w["hard"]
                if name == "b2bmail":
                    cat_total += 1
                    g = got[addr]["category"]
                    g = "other" if g in OTHER else g
                    cat_right += g == w["category"]
    pct = 100.0 * right / files if files else 0.0
    print(f"{name:10s} recipients right on {right}/{files} files ({pct:.1f}%); "
          f"hard/soft right on {hs_right}/{hs_total} recipients"
          + (f"; category right on {cat_right}/{cat_total}" if cat_total else ""))
    if not quiet:
        for k, w, g in wrong:
            print(f"  {name}: {k}: table {w or '[]'} / {name} {g or '[]'}")
    return right, files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", nargs="+", required=True)
    ap.add_argument("--reader", action="append", required=True)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    table = load_labels(args.labels)
    for spec in args.reader:
        name, path = spec.split("=", 1)
        score(name, table, load_reader(path), args.quiet)


if __name__ == "__main__":
    sys.exit(main())
