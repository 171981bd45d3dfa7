#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What remains after the default neutralization, measured over a corpus.

Runs `amtless inspect --json --no-verify` on every real image of
$AMTLESS_CORPUS/images (or --corpus DIR) and prints, per generation, the
code the default neutralization keeps: kept KiB and share of the code
(the "remains" section of the JSON: the code measure, FTPR's code modules,
every partition's on CSME 12+ and IFWI), median and range over the images. The table is
Markdown, as README.md publishes it between its remains-table markers.

Images left out: assembled ones (DERIVED-*, copies of real regions
measured already), descriptors alone (ifd_*), files without ME firmware
(update files) and firmware already neutralized (stripped).

usage: bench/remains_table.py [--amtless PATH] [--corpus DIR]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

GROUPS = [
    ("ME 2–5", lambda f, g, v: g == 1),
    ("ME 6–10", lambda f, g, v: g == 2 and f == "ME"),
    ("ME 11", lambda f, g, v: g == 3 and f in ("ME", "CSME") and v == 11),
    ("CSME 12–16", lambda f, g, v: g == 3 and f == "CSME" and 12 <= v <= 16),
    ("TXE 1–4", lambda f, g, v: f in ("TXE", "CSTXE")),
]


def measure(amtless, path):
    r = subprocess.run([amtless, "inspect", "--json", "--no-verify", path],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    if r.returncode != 0:
        return None
    d = json.loads(r.stdout)
    fw, rem = d.get("firmware"), d.get("remains")
    if not fw or not rem or fw.get("stripped") or not rem["code_bytes"]:
        return None
    major = int(fw["version"].split(".")[0]) if fw.get("version") else 0
    return fw["family"], fw["generation"], major, rem["kept_bytes"], rem["code_bytes"]


def fmt(values, digits):
    med = statistics.median(values)
    lo, hi = min(values), max(values)
    if lo == hi:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--amtless", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                      "cli", "amtless"))
    ap.add_argument("--corpus", default=os.environ.get("AMTLESS_CORPUS"))
    a = ap.parse_args()
    if not a.corpus:
        print("remains_table: no corpus (set AMTLESS_CORPUS or --corpus)", file=sys.stderr)
        return 77
    images = os.path.join(a.corpus, "images")
    rows = {name: [] for name, _ in GROUPS}
    for name in sorted(os.listdir(images)):
        if name.startswith(("DERIVED-", "ifd_")):
            continue
        m = measure(a.amtless, os.path.join(images, name))
        if not m:
            continue
        fam, gen, major, kept, code = m
        for gname, match in GROUPS:
            if match(fam, gen, major):
                rows[gname].append((kept / 1024.0, 100.0 * kept / code))
                break
    print("| Firmware | Images | Kept code, KiB: median (range) | Share of FTPR's code, %: median (range) |")
    print("|---|---:|---|---|")
    for gname, _ in GROUPS:
        v = rows[gname]
        if not v:
            continue
        print(f"| {gname} | {len(v)} | {fmt([k for k, _ in v], 1)} | {fmt([p for _, p in v], 1)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
