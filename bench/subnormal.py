#!/usr/bin/env python3
"""Tabulate BenchmarkSubnormal: for each activation, direction and tier, the
median ns/element on ordinary inputs, on subnormal inputs (inputs=tiny) and,
where measured, on inputs with subnormal results (inputs=subnormal), each with
its ratio to the ordinary time. SPEC asks every ratio to stay within 2.

    subnormal.py ACT_BENCH.txt
"""
import re
import statistics
import sys
from collections import defaultdict

pat = re.compile(r"^BenchmarkSubnormal/fn=([^/]+)/dir=([^/]+)/isa=([^/]+)/inputs=([^/\s-]+)(?:-\d+)?\s.*?([\d.]+) ns/elem")
res = defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        m = pat.match(line)
        if m:
            res[m.groups()[:4]].append(float(m.group(5)))

print("| activation | dir | tier | ordinary x in [-10, 10] | subnormal x | ratio | x in [-100, -87] (subnormal results) | ratio |")
print("|---|---|---|---|---|---|---|---|")
for key in sorted({k[:3] for k in res}):
    med = {kind: statistics.median(res[key + (kind,)]) for kind in ("ordinary", "tiny", "subnormal") if key + (kind,) in res}
    o = med["ordinary"]
    cells = []
    for kind in ("tiny", "subnormal"):
        if kind in med:
            cells += [f"{med[kind]:.3f}", f"{med[kind] / o:.2f}"]
        else:
            cells += ["", ""]
    print(f"| {key[0]} | {key[1]} | {key[2]} | {o:.3f} | " + " | ".join(cells) + " |")
