#!/usr/bin/env python3
"""Run the anchor solvers on the instances of a `quotient bench` run, side by side.

The anchors are the tools quotient is measured against: LKH-3 (elkai) for TSP/ATSP, PyVRP for
CVRP, OR-Tools CP-SAT for job shop and flexible job shop, HiGHS (highspy) for MILP. Install them with
`scripts/bench-anchors-setup` (a separate virtualenv, `.venv-anchors`, outside CI).

    quotient bench DIR --time-limit T --threads 2 --out q.csv [filters]
    .venv-anchors/bin/python bench/anchors.py run DIR --from q.csv --time-limit T --threads 2 --out a.csv
    .venv-anchors/bin/python bench/anchors.py compare q.csv a.csv

`run` solves exactly the instances listed in quotient's CSV (so filters and size limits are
quotient's), writes each anchor solution to a file in the instance's native solution format and
has `quotient check` (the independent checker) verify it and compute its objective: anchor
numbers are never taken from the anchor's own report. `compare` prints a Markdown table with
both gaps per instance and the means.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXTENSIONS = [".tsp", ".atsp", ".vrp", ".txt", ".mps.gz", ".mps", ".lp"]


def find_instance(directory: Path, name: str) -> Path:
    for ext in EXTENSIONS:
        p = directory / (name + ext)
        if p.exists():
            return p
    raise FileNotFoundError(f"{name}: no instance file in {directory}")


def family_of(path: Path) -> str:
    s = path.name
    if s.endswith(".tsp") or s.endswith(".atsp"):
        return "tsp"
    if s.endswith(".vrp"):
        return "cvrp"
    if s.endswith(".txt"):
        return "fjsp" if looks_like_fjsp(path) else "jssp"
    return "milp"


def looks_like_fjsp(path: Path) -> bool:
    """As quotient detects it: an `n m avg` header, or a first job line of FJSP shape
    (`k`, then per operation `c` and `c` pairs) that is not a job-shop row of 2m or m numbers."""
    lines = [l for l in path.read_text().splitlines() if l.strip() and not l.lstrip().startswith("#")]
    if len(lines) < 2:
        return False
    head = lines[0].split()
    if len(head) == 3:
        return True
    if len(head) != 2:
        return False
    m = int(head[1])
    try:
        row = [int(x) for x in lines[1].split()]
    except ValueError:
        return False
    if len(row) in (m, 2 * m) or not row:
        return False
    i = 1
    for _ in range(row[0]):
        if i >= len(row) or not 1 <= row[i] <= m:
            return False
        i += 1 + 2 * row[i]
    return i == len(row)


# ---------------------------------------------------------------------------------------------
# Anchors. Each returns (solution text in quotient's native format, anchor status string).


def run_lkh(path: Path, time_limit: float, threads: int, seed: int) -> tuple[str, str]:
    """LKH-3 through elkai: RUNS as many as fit in TIME_LIMIT (LKH's own total time limit).
    More LKH parameters can be given in ANCHORS_LKH_EXTRA, separated by `;` (for example
    `CANDIDATE_SET_TYPE = POPMUSIC` for large instances, where the default ascent is too slow)."""
    from elkai import _elkai

    text = full_matrix_text(path.read_text())
    params = (
        "PROBLEM_FILE = :stdin:\n"
        f"RUNS = {RUNS}\n"
        f"TIME_LIMIT = {time_limit}\n"
        f"TOTAL_TIME_LIMIT = {time_limit}\n"
        f"SEED = {seed}\n"
    ) + os.environ.get("ANCHORS_LKH_EXTRA", "").replace(";", "\n") + "\n"
    tour = _elkai.solve_problem(params, text)
    body = "\n".join(str(v) for v in tour)
    return f"TYPE : TOUR\nDIMENSION : {len(tour)}\nTOUR_SECTION\n{body}\n-1\nEOF\n", "feasible"


def full_matrix_text(text: str) -> str:
    """elkai's LKH reads only FULL_MATRIX explicit weights (and crashes on some files, e.g. bays29
    with its DISPLAY_DATA_SECTION): rewrite every explicit symmetric instance as a plain full
    matrix (from FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW, LOWER_DIAG_ROW, _COL twins)."""
    lines = text.splitlines()
    header, i = {}, 0
    while i < len(lines) and not lines[i].strip().upper().startswith("EDGE_WEIGHT_SECTION"):
        if ":" in lines[i]:
            k, v = lines[i].split(":", 1)
            header[k.strip().upper()] = v.strip()
        i += 1
    fmt = header.get("EDGE_WEIGHT_FORMAT", "").upper()
    if header.get("EDGE_WEIGHT_TYPE", "").upper() != "EXPLICIT" or not header.get("TYPE", "").upper().startswith("TSP"):
        return text
    n = int(header["DIMENSION"])
    nums, j = [], i + 1
    while j < len(lines) and len(nums) < n * n:
        tok = lines[j].split()
        if tok and not tok[0].lstrip("-").replace(".", "").isdigit():
            break
        nums += [int(float(t)) for t in tok]
        j += 1
    col = fmt.endswith("_COL")  # a _COL layout is the transposed twin of the _ROW one
    base = fmt.replace("_COL", "_ROW")
    pairs = []
    if base == "FULL_MATRIX":  # rewritten too: elkai crashes on some FULL_MATRIX files as given
        pairs = [(a, b) for a in range(n) for b in range(n)]
    elif base == "UPPER_ROW":
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    elif base == "LOWER_ROW":
        pairs = [(a, b) for a in range(n) for b in range(a)]
    elif base == "UPPER_DIAG_ROW":
        pairs = [(a, b) for a in range(n) for b in range(a, n)]
    elif base == "LOWER_DIAG_ROW":
        pairs = [(a, b) for a in range(n) for b in range(a + 1)]
    else:
        raise ValueError(f"EDGE_WEIGHT_FORMAT {fmt} not handled")
    m = [[0] * n for _ in range(n)]
    for (a, b), w in zip(pairs, nums):
        if col:
            a, b = b, a
        if base == "FULL_MATRIX":
            m[a][b] = w
        else:
            m[a][b] = m[b][a] = w
    out = [f"NAME : {header.get('NAME', 'x')}", "TYPE : TSP", f"DIMENSION : {n}",
           "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION"]
    out += [" ".join(map(str, row)) for row in m]
    out.append("EOF")
    return "\n".join(out) + "\n"


def run_pyvrp(path: Path, time_limit: float, threads: int, seed: int) -> tuple[str, str]:
    """PyVRP's HGS, one thread (PyVRP has no parallel mode)."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    # CMT instances use unrounded distances: PyVRP's "exact" scales by 10 and rounds.
    round_func = "exact" if path.name.startswith("CMT") else "round"
    data = pyvrp.read(str(path), round_func=round_func)
    res = pyvrp.solve(data, stop=MaxRuntime(time_limit), seed=seed, display=False)
    lines = []
    for i, route in enumerate(res.best.routes(), start=1):
        if hasattr(route, "visits"):  # PyVRP < 0.14: location indices of the clients
            visits = list(route.visits())
        else:  # PyVRP 0.14: activities; a client activity's idx counts clients from 0
            visits = [a.idx + data.num_depots for a in route if a.is_client()]
        lines.append(f"Route #{i}: " + " ".join(str(c) for c in visits))
    return "\n".join(lines) + "\n", "feasible" if res.is_feasible() else "infeasible"


def run_cpsat(path: Path, time_limit: float, threads: int, seed: int) -> tuple[str, str]:
    """CP-SAT: one interval per operation, AddNoOverlap per machine, precedence per job."""
    from ortools.sat.python import cp_model

    jobs, machines = read_orlib_or_taillard(path)
    horizon = sum(d for job in jobs for _, d in job)
    m = cp_model.CpModel()
    starts, ends, by_machine = {}, {}, {k: [] for k in range(machines)}
    for j, job in enumerate(jobs):
        for k, (mach, dur) in enumerate(job):
            s = m.NewIntVar(0, horizon, f"s{j}_{k}")
            e = m.NewIntVar(0, horizon, f"e{j}_{k}")
            iv = m.NewIntervalVar(s, dur, e, f"i{j}_{k}")
            starts[j, k], ends[j, k] = s, e
            by_machine[mach].append(iv)
            if k > 0:
                m.Add(s >= ends[j, k - 1])
    for ivs in by_machine.values():
        m.AddNoOverlap(ivs)
    mk = m.NewIntVar(0, horizon, "makespan")
    for j, job in enumerate(jobs):
        m.Add(mk >= ends[j, len(job) - 1])
    m.Minimize(mk)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = threads
    solver.parameters.random_seed = seed
    st = solver.Solve(m)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "", solver.StatusName(st).lower()
    start = [[solver.Value(starts[j, k]) for k in range(len(job))] for j, job in enumerate(jobs)]
    seqs = {k: [] for k in range(machines)}
    for j, job in enumerate(jobs):
        for k, (mach, dur) in enumerate(job):
            seqs[mach].append((start[j][k], j, k))
    out = [f"{len(jobs)} {machines}"]
    out += [" ".join(str(s) for s in row) for row in start]
    out.append("machine sequences")
    for mach in range(machines):
        ops = sorted(seqs[mach])
        out.append(f"{mach}: " + " ".join(f"{j}/{k}" for _, j, k in ops))
    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
    return "\n".join(out) + "\n", status


def run_cpsat_fjsp(path: Path, time_limit: float, threads: int, seed: int) -> tuple[str, str]:
    """CP-SAT for the flexible job shop: per operation one interval (start, end) and per
    eligible machine an optional interval of that machine's time, exactly one of them present;
    AddNoOverlap per machine over its optional intervals, precedence per job."""
    from ortools.sat.python import cp_model

    jobs, machines = read_fjsp(path)
    horizon = sum(max(d for _, d in op) for job in jobs for op in job)
    m = cp_model.CpModel()
    starts, ends, chosen, by_machine = {}, {}, {}, {k: [] for k in range(machines)}
    for j, job in enumerate(jobs):
        for k, op in enumerate(job):
            lo, hi = min(d for _, d in op), max(d for _, d in op)
            s = m.NewIntVar(0, horizon, f"s{j}_{k}")
            e = m.NewIntVar(0, horizon, f"e{j}_{k}")
            d = m.NewIntVar(lo, hi, f"d{j}_{k}")
            m.NewIntervalVar(s, d, e, f"i{j}_{k}")
            starts[j, k], ends[j, k] = s, e
            if len(op) == 1:
                mach, dur = op[0]
                by_machine[mach].append(m.NewIntervalVar(s, dur, e, f"o{j}_{k}_{mach}"))
            else:
                lits = []
                for mach, dur in op:
                    lit = m.NewBoolVar(f"x{j}_{k}_{mach}")
                    iv = m.NewOptionalIntervalVar(s, dur, e, lit, f"o{j}_{k}_{mach}")
                    by_machine[mach].append(iv)
                    m.Add(d == dur).OnlyEnforceIf(lit)
                    chosen[j, k, mach] = lit
                    lits.append(lit)
                m.AddExactlyOne(lits)
            if k > 0:
                m.Add(s >= ends[j, k - 1])
    for ivs in by_machine.values():
        m.AddNoOverlap(ivs)
    mk = m.NewIntVar(0, horizon, "makespan")
    for j, job in enumerate(jobs):
        if job:
            m.Add(mk >= ends[j, len(job) - 1])
    m.Minimize(mk)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = threads
    solver.parameters.random_seed = seed
    st = solver.Solve(m)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "", solver.StatusName(st).lower()
    out = [f"{len(jobs)} {machines}"]
    for j, job in enumerate(jobs):
        row = []
        for k, op in enumerate(job):
            mach = op[0][0] if len(op) == 1 else next(
                mc for mc, _ in op if solver.BooleanValue(chosen[j, k, mc]))
            row.append(f"{mach} {solver.Value(starts[j, k])}")
        out.append("  ".join(row))
    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
    return "\n".join(out) + "\n", status


def read_fjsp(path: Path) -> tuple[list[list[list[tuple[int, int]]]], int]:
    """Brandimarte / Hurink text, machines 0-based when a 0 appears, else 1-based (as quotient
    reads it): per job, per operation, its (machine, time) alternatives."""
    lines = [l for l in path.read_text().splitlines() if l.strip() and not l.lstrip().startswith("#")]
    n, m = (int(x) for x in lines[0].split()[:2])
    jobs = []
    for line in lines[1:n + 1]:
        nums = [int(x) for x in line.split()]
        ops, i = [], 1
        for _ in range(nums[0]):
            c = nums[i]
            ops.append([(nums[i + 1 + 2 * a], nums[i + 2 + 2 * a]) for a in range(c)])
            i += 1 + 2 * c
        jobs.append(ops)
    if not any(mc == 0 for job in jobs for op in job for mc, _ in op):
        jobs = [[[(mc - 1, d) for mc, d in op] for op in job] for job in jobs]
    return jobs, m


def read_orlib_or_taillard(path: Path) -> tuple[list[list[tuple[int, int]]], int]:
    """The two JSSP layouts of ../shared/bench/jssp: OR-Library pairs or Taillard blocks."""
    lines = [l for l in path.read_text().splitlines() if l.strip() and not l.lstrip().startswith("#")]
    n, m = (int(x) for x in lines[0].split()[:2])
    if any(l.strip().lower().rstrip(":") == "times" for l in lines):
        ti = next(i for i, l in enumerate(lines) if l.strip().lower().rstrip(":") == "times")
        mi = next(i for i, l in enumerate(lines) if l.strip().lower().rstrip(":") == "machines")
        times = [[int(x) for x in lines[ti + 1 + j].split()] for j in range(n)]
        machs = [[int(x) - 1 for x in lines[mi + 1 + j].split()] for j in range(n)]
        return [list(zip(machs[j], times[j])) for j in range(n)], m
    nums = [int(x) for l in lines[1:] for x in l.split()]
    jobs = []
    for j in range(n):
        row = nums[j * 2 * m:(j + 1) * 2 * m]
        jobs.append([(row[2 * k], row[2 * k + 1]) for k in range(m)])
    return jobs, m


def run_highs(path: Path, time_limit: float, threads: int, seed: int) -> tuple[str, str]:
    """Plain HiGHS through highspy."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", threads)
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.readModel(str(path))
    t0 = time.perf_counter()
    h.run()
    SOLVE_SECONDS[0] = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus()).lower()
    info = h.getInfo()
    if info.primal_solution_status == 0:
        return "", status
    sol = h.getSolution()
    lp = h.getLp()
    names = [lp.col_names_[i] for i in range(lp.num_col_)]
    body = "\n".join(f"{nm} {v!r}" for nm, v in zip(names, sol.col_value))
    return body + "\n", "optimal" if status == "optimal" else "feasible"


# The anchor's own solve time when it can be separated from reading the instance (HiGHS's
# `run()`); reported as `solve_seconds` beside the wall time of the whole child process.
SOLVE_SECONDS: list[float | None] = [None]

ANCHORS = {"tsp": ("LKH-3 (elkai)", run_lkh), "cvrp": ("PyVRP", run_pyvrp),
           "jssp": ("CP-SAT", run_cpsat), "fjsp": ("CP-SAT", run_cpsat_fjsp),
           "milp": ("HiGHS (highspy)", run_highs)}
RUNS = 1_000_000


def check(quotient: str, instance: Path, solution_text: str, suffix: str) -> tuple[float | None, str]:
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False) as f:
        f.write(solution_text)
        sol = f.name
    try:
        p = subprocess.run([quotient, "check", str(instance), sol, "--json"],
                           capture_output=True, text=True)
        if p.returncode not in (0, 1):
            return None, "check error: " + p.stderr.strip()[:200]
        rep = json.loads(p.stdout)
        if rep.get("violations"):
            return rep.get("objective"), f"infeasible ({len(rep['violations'])} violations)"
        return rep.get("objective"), ""
    finally:
        os.unlink(sol)


def solve_isolated(inst: Path, args: argparse.Namespace) -> tuple[str, str, str, float | None]:
    """Run one anchor solve in a child process: anchors can crash (elkai segfaults on some
    inputs) or hang, and a crash must be a row of the table, not the end of the run."""
    cmd = [sys.executable, __file__, "solve1", str(inst), "--time-limit", str(args.time_limit),
           "--threads", str(args.threads), "--seed", str(args.seed)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * args.time_limit + 60)
    except subprocess.TimeoutExpired:
        return "", "error", "anchor did not stop (killed)", None
    if p.returncode != 0:
        tail = p.stderr.strip().splitlines()[-1:] or [""]
        return "", "error", f"anchor exited with {p.returncode}: {tail[0][:160]}", None
    out = json.loads(p.stdout)
    return out["text"], out["status"], "", out.get("solve_seconds")


def cmd_solve1(args: argparse.Namespace) -> None:
    inst = Path(args.instance)
    _, fn = ANCHORS[family_of(inst)]
    text, status = fn(inst, args.time_limit, args.threads, args.seed)
    json.dump({"text": text, "status": status, "solve_seconds": SOLVE_SECONDS[0]}, sys.stdout)


def cmd_run(args: argparse.Namespace) -> None:
    with open(args.from_csv) as f:
        rows = list(csv.DictReader(f))
    out_rows = []
    for row in rows:
        name = row["instance"]
        inst = find_instance(Path(args.dir), name)
        fam = family_of(inst)
        label = ANCHORS[fam][0]
        t0 = time.perf_counter()
        text, status, err, solve_secs = solve_isolated(inst, args)
        secs = time.perf_counter() - t0
        obj = None
        if text:
            suffix = {"tsp": ".tour", "cvrp": ".sol", "jssp": ".txt", "fjsp": ".txt", "milp": ".sol"}[fam]
            obj, cerr = check(args.quotient, inst, text, suffix)
            err = err or cerr
        ref = float(row["reference"]) if row.get("reference") else None
        gap = None
        if obj is not None and ref is not None and not err:
            gap = 100.0 * (obj - ref) / max(abs(ref), 1e-9)
        r = {"instance": name, "size": row["size"], "anchor": label, "reference": ref,
             "objective": obj, "gap_pct": gap, "seconds": round(secs, 3),
             "solve_seconds": None if solve_secs is None else round(solve_secs, 3), "status": status,
             "error": err}
        out_rows.append(r)
        g = "-" if gap is None else f"{gap:.3f}"
        print(f"{name:<18} {row['size']:>7} {label:<16} {str(obj):>14} {g:>8} {secs:8.2f} {status} {err}",
              flush=True)
        if args.out:
            write_csv(args.out, out_rows)


def write_csv(path: str, rows: list[dict]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def num(x: str | None) -> float | None:
    if x is None or x == "":
        return None
    try:
        v = float(x)
    except ValueError:
        return None
    return None if math.isnan(v) else v


def cmd_compare(args: argparse.Namespace) -> None:
    with open(args.quotient_csv) as f:
        q = {r["instance"]: r for r in csv.DictReader(f)}
    with open(args.anchor_csv) as f:
        a = {r["instance"]: r for r in csv.DictReader(f)}
    label = next(iter(a.values()))["anchor"] if a else "anchor"
    print(f"| instance | n | reference | quotient | gap % | s | {label} | gap % | s |")
    print("|---|---|---|---|---|---|---|---|---|")
    f = lambda x: "-" if x is None else f"{x:.3f}"
    qg, ag, both, wins, ties, losses = [], [], [], 0, 0, 0
    for name, qr in q.items():
        ar = a.get(name, {})
        g1, g2 = num(qr.get("gap_pct")), num(ar.get("gap_pct"))
        if g1 is not None:
            qg.append(g1)
        if g2 is not None:
            ag.append(g2)
        if g1 is not None and g2 is not None:
            both.append((g1, g2))
            if abs(g1 - g2) < 1e-9:
                ties += 1
            elif g1 < g2:
                wins += 1
            else:
                losses += 1
        note = ar.get("error", "") or ar.get("status", "")
        anchor_obj = ar.get("objective", "") or note
        print(f"| {name} | {qr['size']} | {qr.get('reference', '')} | {qr.get('objective', '')} | {f(g1)} | "
              f"{float(qr.get('seconds') or 0):.1f} | {anchor_obj} | {f(g2)} | {float(ar.get('seconds') or 0):.1f} |")
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
    print()
    print(f"instances {len(q)}; quotient mean gap {mean(qg):.3f} % over its {len(qg)}; "
          f"{label} mean gap {mean(ag):.3f} % over its {len(ag)}")
    print(f"on the {len(both)} instances both solved: quotient {mean([x for x, _ in both]):.3f} %, "
          f"{label} {mean([y for _, y in both]):.3f} %; quotient better on {wins}, equal on {ties}, "
          f"worse on {losses}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the family's anchor on the instances of a quotient bench CSV")
    r.add_argument("dir")
    r.add_argument("--from", dest="from_csv", required=True, help="CSV written by `quotient bench --out`")
    r.add_argument("--time-limit", "-t", type=float, default=10.0)
    r.add_argument("--threads", type=int, default=2, help="CP-SAT workers / HiGHS threads (LKH and PyVRP are single-threaded)")
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--quotient", default="target/release/quotient", help="binary used to check anchor solutions")
    r.add_argument("--out", "-o")
    c = sub.add_parser("compare", help="Markdown table of quotient vs anchor")
    c.add_argument("quotient_csv")
    c.add_argument("anchor_csv")
    s1 = sub.add_parser("solve1", help="(internal) one anchor solve, JSON on stdout")
    s1.add_argument("instance")
    s1.add_argument("--time-limit", type=float, required=True)
    s1.add_argument("--threads", type=int, required=True)
    s1.add_argument("--seed", type=int, required=True)
    args = ap.parse_args()
    if args.cmd == "run":
        cmd_run(args)
    elif args.cmd == "solve1":
        cmd_solve1(args)
    else:
        cmd_compare(args)


if __name__ == "__main__":
    sys.exit(main())
