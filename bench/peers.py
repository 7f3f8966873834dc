#!/usr/bin/env python3
"""Put act's benchmark results beside the peers' (oneDNN, XNNPACK, Eigen,
SLEEF, libmvec, PyTorch, ...), measured in the same session on the same core.

    peers.py ACT_BENCH.txt ANCHORS_BENCH.csv [more.csv ...]

ACT_BENCH.txt is `go test -bench` output from this module (ns/elem metric);
ANCHORS_BENCH.csv is the `anchors bench --out` file of the shared anchors
(columns anchor,act,dir,n,run,min_ns,med_ns). For each activation, direction
and size both have, it prints the median ns/element of every act tier, the
fastest peer and its median, and act's best tier divided by it (< 1: act is
faster). Backward from y (the peers' bwd_y) is matched with act's backward for
the activations whose backward reads y.
"""
import csv
import re
import statistics
import sys
from collections import defaultdict

# act's names for the peers' activation names, where they differ.
NAMES = {"sin": "sine"}
# act activations whose backward reads y: compare with the peers' bwd_y.
READS_Y = {"exp", "sigmoid", "tanh"}


def act_results(path):
    """{(act, dir, n): {tier: [ns/elem, ...]}} from go test -bench output."""
    pat = re.compile(r"^Benchmark(Forward|Backward)/fn=([^/]+)/isa=([^/]+)/n=(\d+)(?:-\d+)?\s.*?([\d.]+) ns/elem")
    out = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        for line in f:
            m = pat.match(line)
            if m:
                d = "fwd" if m.group(1) == "Forward" else "bwd"
                out[(m.group(2), d, int(m.group(4)))][m.group(3)].append(float(m.group(5)))
    return out


def peer_results(paths):
    """{(act, dir, n): {anchor: [med_ns, ...]}} from anchors CSV files."""
    out = defaultdict(lambda: defaultdict(list))
    for path in paths:
        with open(path) as f:
            fields = ["anchor", "act", "dir", "n", "run", "min_ns", "med_ns"]
            for row in csv.DictReader(f, fieldnames=fields):
                if row["anchor"] == "anchor":
                    continue  # a header line
                name = NAMES.get(row["act"], row["act"])
                d = row["dir"]
                if d == "bwd_y":
                    if name not in READS_Y:
                        continue
                    d = "bwd"
                elif d == "bwd" and name in READS_Y:
                    continue  # act's backward for these reads y
                out[(name, d, int(row["n"]))][row["anchor"]].append(float(row["med_ns"]))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    act = act_results(sys.argv[1])
    peers = peer_results(sys.argv[2:])
    tiers = sorted({t for v in act.values() for t in v if t not in ("naive",)},
                   key=lambda t: ["avx512", "avx2", "neon", "generic"].index(t) if t in
                   ["avx512", "avx2", "neon", "generic"] else 9)
    print("| activation | dir | n | " + " | ".join(tiers) + " | naive | fastest peer | best act / peer |")
    print("|---|---|---|" + "---|" * len(tiers) + "---|---|---|")
    for key in sorted(act, key=lambda k: (k[0], k[1], k[2])):
        if key not in peers:
            continue
        med = {t: statistics.median(v) for t, v in act[key].items()}
        best_peer, best_ns = min(((a, statistics.median(v)) for a, v in peers[key].items()), key=lambda p: p[1])
        simd = [med[t] for t in tiers if t in med and t != "generic"]
        ratio = min(simd) / best_ns if simd else float("nan")
        cells = [f"{med[t]:.3f}" if t in med else "-" for t in tiers]
        naive = f"{med['naive']:.2f}" if "naive" in med else "-"
        print(f"| {key[0]} | {key[1]} | {key[2]} | " + " | ".join(cells) +
              f" | {naive} | {best_ns:.3f} {best_peer} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
