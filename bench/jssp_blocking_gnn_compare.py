#!/usr/bin/env python3
"""Issue 25, the blocking job shops' GNN dispatching policy: one Markdown table per variant from
`quotient bench --variant V` CSVs (jssp.blocking-gnn, jssp.blocking-dispatch, jssp.blocking at a
short and a long limit) and a `bench/jssp_blocking_cpsat.py` CSV.

    python3 bench/jssp_blocking_gnn_compare.py --gnn g.csv --dispatch d.csv --ig-short i1.csv \
        --ig i10.csv --cpsat c.csv [--short-label "IG 1 s"] [--label "IG 10 s"] \
        [--cpsat-label "CP-SAT 10 s"]

Per instance: each makespan, the GNN's seconds, and the reference = the best of the IG and
CP-SAT makespans (CP-SAT's checked value); then the mean gap of each column to that reference and
how often the GNN beats / ties / loses to the best dispatching rule. Nothing is tuned here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# The CSV readers of the blocking side-by-side table (this script's directory is on sys.path).
from jssp_blocking_compare import num, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    for k in ("gnn", "dispatch", "ig_short", "ig", "cpsat"):
        ap.add_argument("--" + k.replace("_", "-"), type=Path, required=True)
    ap.add_argument("--short-label", default="IG 1 s")
    ap.add_argument("--label", default="IG 10 s")
    ap.add_argument("--cpsat-label", default="CP-SAT 10 s")
    a = ap.parse_args()
    g, d, i1, i10, c = (rows(p) for p in (a.gnn, a.dispatch, a.ig_short, a.ig, a.cpsat))
    cols = ["GNN", "best rule", a.short_label, a.label, a.cpsat_label]
    print("| instance | " + " | ".join(cols) + " | GNN s | reference | GNN gap % | rule gap % |")
    print("|---|" + "---:|" * (len(cols) + 4))
    gaps: dict[str, list[float]] = {k: [] for k in cols}
    win = tie = loss = 0
    for name in sorted(g, key=lambda n: (len(n), n)):
        vals = [
            num(g[name].get("objective")),
            num(d.get(name, {}).get("objective")),
            num(i1.get(name, {}).get("objective")),
            num(i10.get(name, {}).get("objective")),
            num(c.get(name, {}).get("checked")),
        ]
        known = [v for v in vals[2:] if v is not None]
        ref = min(known) if known else None
        for k, v in zip(cols, vals):
            if v is not None and ref:
                gaps[k].append(100 * (v / ref - 1))
        if vals[0] is not None and vals[1] is not None:
            if vals[0] < vals[1]:
                win += 1
            elif vals[0] == vals[1]:
                tie += 1
            else:
                loss += 1
        fmt = lambda v: "" if v is None else f"{v:.0f}"  # noqa: E731
        gap = lambda v: "" if v is None or not ref else f"{100 * (v / ref - 1):+.2f}"  # noqa: E731
        print(f"| {name} | " + " | ".join(fmt(v) for v in vals)
              + f" | {num(g[name].get('seconds')) or 0:.3f} | {fmt(ref)} | {gap(vals[0])} | {gap(vals[1])} |")
    print()
    print("Mean gap to the reference (best of the IG runs and CP-SAT), over the instances with a value:")
    print()
    for k in cols:
        v = gaps[k]
        if v:
            print(f"- {k}: {sum(v) / len(v):+.2f} % ({len(v)} instances)")
    print(f"- GNN vs best rule: better on {win}, equal on {tie}, worse on {loss}")


if __name__ == "__main__":
    main()
