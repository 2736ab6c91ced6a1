#!/usr/bin/env python3
"""OR-Tools CP-SAT on the blocking job shops (BJSSP without swaps, SBJSSP with swaps), the
anchor for `jssp.blocking` (issue 25).

    .venv-anchors/bin/python bench/jssp_blocking_cpsat.py --variant blocking -t 10 \
        --quotient target/release/quotient --out cpsat.csv ../shared/bench/jssp/la0?.txt

Model (Mascis & Pacciarelli's alternative graph as CP): operation (j, k) starts at s[j][k]
and holds its machine over [s, r) with r = s[j][k+1] (its job's next start; r = s + p for the
last operation) and r - s >= p; one interval [s, r) per operation, `AddNoOverlap` per machine
(half-open intervals: a hand-over at the same instant is allowed, so this alone is SBJSSP,
swaps allowed). For BJSSP (no swaps) every pair (a, b) on a machine gets an order literal
x: x -> s_b >= r_a, not x -> s_a >= r_b, and a tie-break rank t per operation: when b enters
the machine exactly as a leaves it (s_b == s[next of a]) t_b > t[next of a]. Ranks exist iff
the simultaneous hand-overs form no cycle, which is the definition of "no swap" that
`quotient check` applies (a swap is a cycle of simultaneous hand-overs).

Each solution is written as a JSON schedule and, with --quotient, checked and priced by
`quotient check --variant V` (the independent checker); the CSV reports the checked makespan.
One worker (num_workers = 1) unless --threads says otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from ortools.sat.python import cp_model


def read_orlib(path: Path):
    """OR-Library job shop: `n m`, then per job m (machine, time) pairs (lines before the
    header that are not numbers, and `#` comments, are skipped)."""
    nums: list[int] = []
    header = None
    for line in path.read_text().splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        toks = s.split()
        try:
            vals = [int(t) for t in toks]
        except ValueError:
            if header is None:
                continue
            raise
        if header is None:
            header = vals[:2]
            continue
        nums.extend(vals)
    n, m = header
    jobs = []
    for j in range(n):
        row = nums[j * 2 * m : (j + 1) * 2 * m]
        jobs.append([(row[2 * i], row[2 * i + 1]) for i in range(m)])
    return n, m, jobs


def solve(jobs, machines: int, variant: str, time_limit: float, threads: int, seed: int):
    model = cp_model.CpModel()
    horizon = sum(sum(d for _, d in job) for job in jobs)
    s = []
    r = []
    on_machine: dict[int, list[tuple[int, int]]] = {m: [] for m in range(machines)}
    intervals: dict[int, list] = {m: [] for m in range(machines)}
    for j, job in enumerate(jobs):
        sj = [model.NewIntVar(0, horizon, f"s{j}_{k}") for k in range(len(job))]
        s.append(sj)
        for k in range(1, len(job)):
            model.Add(sj[k] >= sj[k - 1] + job[k - 1][1])
        rj = []
        for k, (mach, d) in enumerate(job):
            if k + 1 < len(job):
                rel = sj[k + 1]
            else:
                rel = model.NewIntVar(0, horizon, f"r{j}_{k}")
                model.Add(rel == sj[k] + d)
            size = model.NewIntVar(d, horizon, f"h{j}_{k}")
            iv = model.NewIntervalVar(sj[k], size, rel, f"occ{j}_{k}")
            rj.append(rel)
            on_machine[mach].append((j, k))
            intervals[mach].append(iv)
        r.append(rj)
    for mach in range(machines):
        model.AddNoOverlap(intervals[mach])
    if variant == "blocking":
        n_ops = sum(len(job) for job in jobs)
        rank = [[model.NewIntVar(0, n_ops, f"t{j}_{k}") for k in range(len(job))] for j, job in enumerate(jobs)]
        for mach in range(machines):
            ops = on_machine[mach]
            for x in range(len(ops)):
                for y in range(x + 1, len(ops)):
                    (ja, ka), (jb, kb) = ops[x], ops[y]
                    if ja == jb:
                        continue
                    lit = model.NewBoolVar(f"o{ja}_{ka}_{jb}_{kb}")
                    for (j1, k1), (j2, k2), cond in (
                        ((ja, ka), (jb, kb), lit),
                        ((jb, kb), (ja, ka), lit.Not()),
                    ):
                        model.Add(s[j2][k2] >= r[j1][k1]).OnlyEnforceIf(cond)
                        if k1 + 1 < len(jobs[j1]):
                            # j2 enters as j1 leaves (moving to k1 + 1): rank must rise.
                            nxt_s = s[j1][k1 + 1]
                            nxt_t = rank[j1][k1 + 1]
                            model.Add(
                                rank[j2][k2] - nxt_t + (n_ops + 1) * (s[j2][k2] - nxt_s) >= 1
                            ).OnlyEnforceIf(cond)
    makespan = model.NewIntVar(0, horizon, "cmax")
    for j, job in enumerate(jobs):
        model.Add(makespan >= r[j][-1])
    model.Minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = max(1, threads)
    solver.parameters.random_seed = seed
    t0 = time.time()
    status = solver.Solve(model)
    secs = time.time() - t0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, None, solver.StatusName(status), secs
    start = [[solver.Value(v) for v in sj] for sj in s]
    return start, solver.BestObjectiveBound(), solver.StatusName(status), secs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--variant", choices=["blocking", "swap"], required=True)
    ap.add_argument("-t", "--time-limit", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quotient", type=Path, help="quotient binary, to check every schedule")
    ap.add_argument("--solutions", type=Path, default=Path("cpsat-solutions"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    a.solutions.mkdir(parents=True, exist_ok=True)
    rows = []
    for f in a.files:
        n, m, jobs = read_orlib(f)
        start, bound, status, secs = solve(jobs, m, a.variant, a.time_limit, a.threads, a.seed)
        name = f.stem
        row = {"instance": name, "variant": a.variant, "status": status, "seconds": round(secs, 2),
               "bound": bound, "makespan": "", "checked": ""}
        if start is not None:
            sol = a.solutions / f"{name}-{a.variant}.json"
            sol.write_text(json.dumps({"start": start}))
            row["makespan"] = max(st[-1] + job[-1][1] for st, job in zip(start, jobs))
            if a.quotient:
                out = subprocess.run(
                    [str(a.quotient), "check", str(f), str(sol), "--variant", a.variant, "--json"],
                    capture_output=True, text=True,
                )
                try:
                    rep = json.loads(out.stdout)
                    row["checked"] = rep["objective"] if rep["feasible"] else "INFEASIBLE"
                except (json.JSONDecodeError, KeyError):
                    row["checked"] = "check failed: " + out.stderr.strip()[:200]
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    with a.out.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
