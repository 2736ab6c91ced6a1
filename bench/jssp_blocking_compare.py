#!/usr/bin/env python3
"""Side-by-side table for issue 25's blocking job shops: `quotient bench --variant V` CSVs
(one per solver) against `bench/jssp_blocking_cpsat.py` CSVs (checked makespans and bounds).

    python3 bench/jssp_blocking_compare.py --quotient q.csv [--dispatch d.csv] --cpsat c.csv

Prints a Markdown table: per instance the dispatching makespan (if given), quotient's, CP-SAT's
(checked by `quotient check`), CP-SAT's bound and status, quotient / CP-SAT - 1 in percent,
and the mean of that ratio and the win/tie/loss counts. Reference values are CP-SAT's own
(the best known we could compute here), never tuned.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path


def rows(path: Path) -> dict[str, dict]:
    with path.open() as fh:
        return {r["instance"]: r for r in csv.DictReader(fh)}


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quotient", type=Path, required=True)
    ap.add_argument("--dispatch", type=Path)
    ap.add_argument("--cpsat", type=Path, required=True)
    a = ap.parse_args()
    q = rows(a.quotient)
    c = rows(a.cpsat)
    d = rows(a.dispatch) if a.dispatch else {}
    print("| instance | dispatch | quotient | CP-SAT (checked) | CP-SAT bound | CP-SAT status | quotient vs CP-SAT % |")
    print("|---|---:|---:|---:|---:|---|---:|")
    ratios = []
    wins = ties = losses = 0
    for name in sorted(q, key=lambda n: (len(n), n)):
        qo = num(q[name].get("objective"))
        cr = c.get(name, {})
        co = num(cr.get("checked"))
        do = num(d.get(name, {}).get("objective")) if d else None
        rel = ""
        if qo is not None and co is not None:
            r = qo / co - 1.0
            ratios.append(r)
            rel = f"{100 * r:+.2f}"
            if qo < co:
                wins += 1
            elif qo == co:
                ties += 1
            else:
                losses += 1
        fmt = lambda v: "" if v is None else f"{v:.0f}"
        print(f"| {name} | {fmt(do)} | {fmt(qo)} | {fmt(co)} | {fmt(num(cr.get('bound')))} | {cr.get('status', '')} | {rel} |")
    if ratios:
        print(f"| **mean** | | | | | | **{100 * sum(ratios) / len(ratios):+.2f}** |")
        print()
        print(f"quotient better on {wins}, equal on {ties}, worse on {losses} of {len(ratios)}")


if __name__ == "__main__":
    main()
