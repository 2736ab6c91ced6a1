#!/usr/bin/env python3
"""Issue 25: one Markdown table of every dispatching rule's makespan per instance (the CSV of
`solvers/examples/jssp_blocking_rules.rs`), beside the GNN job-order policy and the improvement
search (`quotient bench` CSVs), with the mean of each column.

    python3 bench/jssp_blocking_rules_table.py --rules rules-swap.csv --gnn gnn-swap.csv \
        --search ig10-swap.csv [--search-label "IG 10 s"] [--only sim-]

`--only` keeps the rules whose name starts with the prefix (`sim-`: the event-simulation rules,
the ISBJSSP paper's kind of dispatching). Nothing is tuned here.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from jssp_blocking_compare import num, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=Path, required=True)
    ap.add_argument("--gnn", type=Path, required=True)
    ap.add_argument("--search", type=Path, required=True)
    ap.add_argument("--search-label", default="IG 10 s")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    table: dict[str, dict[str, float | None]] = {}
    names: list[str] = []
    with a.rules.open() as f:
        for r in csv.DictReader(f):
            if not r["rule"].startswith(a.only):
                continue
            if r["rule"] not in names:
                names.append(r["rule"])
            table.setdefault(r["instance"], {})[r["rule"]] = num(r["makespan"])
    g, s = rows(a.gnn), rows(a.search)
    cols = names + ["GNN", a.search_label]
    print("| instance | " + " | ".join(cols) + " |")
    print("|---|" + "---:|" * len(cols))
    sums: dict[str, list[float]] = {c: [] for c in cols}
    for inst in sorted(table, key=lambda n: (len(n), n)):
        vals = [table[inst].get(c) for c in names]
        vals += [num(g.get(inst, {}).get("objective")), num(s.get(inst, {}).get("objective"))]
        for c, v in zip(cols, vals):
            if v is not None:
                sums[c].append(v)
        print(f"| {inst} | " + " | ".join("" if v is None else f"{v:.0f}" for v in vals) + " |")
    print("| **mean** | " + " | ".join(f"**{sum(v) / len(v):.1f}**" if v else "" for v in sums.values()) + " |")


if __name__ == "__main__":
    main()
