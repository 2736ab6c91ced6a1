#!/usr/bin/env python3
"""The table a Python user would make: `quotient.solve` vs an anchor called from Python, one
thread each, at the same time, on two pinned cores side by side (`taskset -c 0` / `-c 1`).

    .venv-anchors/bin/python bench/python_side_by_side.py cvrp ../shared/bench/cvrp --glob 'X-n*.vrp' --max-n 301 -t 30 --out pyvrp.csv
    .venv-anchors/bin/python bench/python_side_by_side.py tsp ../shared/bench/tsp --min-n 1000 --max-n 5000 -t 20 --out elkai.csv
    .venv-anchors/bin/python bench/python_side_by_side.py overhead instances/cvrp/X-style-n100-s1.vrp --solver cvrp.savings

Both arms' solutions are verified and measured by `quotient.check` (the independent checker);
nothing is taken from an anchor's own report. The `quotient` package must be installed in the
interpreter running this (`pip install ./python`), beside the anchors (`scripts/bench-anchors-setup`).
`overhead` compares the Python call with `quotient solve` (the release binary) on one instance.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def size_of(path: Path, family: str) -> int:
    import quotient

    inst = quotient.read(path, family=family)
    return inst.n


def arm(kind: str, path: Path, time_limit: float, seed: int) -> dict:
    """One arm in this process: solve, then check with quotient's checker."""
    import quotient

    family = "cvrp" if kind in ("quotient-cvrp", "pyvrp") else "tsp"
    inst = quotient.read(path, family=family)
    t0 = time.perf_counter()
    if kind.startswith("quotient"):
        res = quotient.solve(inst, time_limit=time_limit, seed=seed, threads=1)
        solution = res.solution
        solver = res.solver
    else:
        import anchors

        run = anchors.run_pyvrp if kind == "pyvrp" else anchors.run_lkh
        solution, _ = run(path, time_limit, 1, seed)
        solver = kind
    wall = time.perf_counter() - t0
    rep = quotient.check(inst, solution)
    return {"solver": solver, "objective": rep.objective, "feasible": rep.feasible, "wall": wall}


def side_by_side(args: argparse.Namespace) -> None:
    family = args.family
    anchor = "pyvrp" if family == "cvrp" else "elkai"
    ext = ".vrp" if family == "cvrp" else ".tsp"
    files = sorted(p for p in Path(args.dir).glob(args.glob or f"*{ext}") if p.name.endswith(ext))
    picked = [p for p in files if args.min_n <= size_of(p, family) <= args.max_n]
    if args.filter:
        keep = set(args.filter.split(","))
        picked = [p for p in picked if p.stem in keep]
    rows = []
    for path in picked:
        procs = {}
        for core, kind in ((0, f"quotient-{family}"), (1, anchor)):
            cmd = ["taskset", "-c", str(core), sys.executable, __file__, "arm", kind, str(path),
                   "-t", str(args.time_limit), "--seed", str(args.seed)]
            procs[kind] = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        out = {k: json.loads(p.communicate()[0].strip().splitlines()[-1]) for k, p in procs.items()}
        q, a = out[f"quotient-{family}"], out[anchor]
        row = {"instance": path.stem, "n": size_of(path, family), "quotient_solver": q["solver"],
               "quotient": q["objective"], "quotient_feasible": q["feasible"], "quotient_wall": round(q["wall"], 2),
               anchor: a["objective"], f"{anchor}_feasible": a["feasible"], f"{anchor}_wall": round(a["wall"], 2),
               "ratio": q["objective"] / a["objective"] if a["objective"] else None}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.out and rows:
        with open(args.out, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    if ratios:
        better = sum(r < 1 - 1e-12 for r in ratios)
        worse = sum(r > 1 + 1e-12 for r in ratios)
        print(f"{len(rows)} instances: mean ratio quotient/{anchor} = {statistics.mean(ratios):.5f}, "
              f"quotient better on {better}, equal on {len(ratios) - better - worse}, worse on {worse}")


def overhead(args: argparse.Namespace) -> None:
    """The Python call vs `quotient solve` on the same instance, solver and seed."""
    import quotient

    binary = args.binary
    walls_py, walls_cli, inner_py, inner_cli = [], [], [], []
    objective_py = objective_cli = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        inst = quotient.read(args.instance)
        res = quotient.solve(inst, solver=args.solver, seed=1, threads=1, time_limit=args.time_limit)
        walls_py.append(time.perf_counter() - t0)
        inner_py.append(res.elapsed)
        objective_py = res.objective
        cmd = [binary, "solve", args.instance, "--solver", args.solver, "--seed", "1", "--threads", "1", "--json"]
        if args.time_limit:
            cmd += ["--time-limit", str(args.time_limit)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        walls_cli.append(time.perf_counter() - t0)
        doc = json.loads(out)
        inner_cli.append(doc["elapsed_ms"] / 1000)
        objective_cli = doc["objective"]
    med = statistics.median
    print(json.dumps({
        "instance": args.instance, "solver": args.solver, "repeat": args.repeat,
        "objective_python": objective_py, "objective_cli": objective_cli,
        "python_wall_median_ms": round(1000 * med(walls_py), 2),
        "python_solve_elapsed_median_ms": round(1000 * med(inner_py), 2),
        "python_overhead_median_ms": round(1000 * med(w - e for w, e in zip(walls_py, inner_py)), 2),
        "cli_process_wall_median_ms": round(1000 * med(walls_cli), 2),
        "cli_solve_elapsed_median_ms": round(1000 * med(inner_cli), 2),
        "cli_overhead_median_ms": round(1000 * med(w - e for w, e in zip(walls_cli, inner_cli)), 2),
    }))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for fam in ("cvrp", "tsp"):
        p = sub.add_parser(fam)
        p.add_argument("dir")
        p.add_argument("--min-n", type=int, default=0)
        p.add_argument("--max-n", type=int, default=10**9)
        p.add_argument("--filter")
        p.add_argument("--glob", help="file pattern, e.g. 'X-n*.vrp'")
        p.add_argument("-t", "--time-limit", type=float, required=True)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--out")
        p.set_defaults(family=fam)
    p = sub.add_parser("arm")
    p.add_argument("kind")
    p.add_argument("path")
    p.add_argument("-t", "--time-limit", type=float, required=True)
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("overhead")
    p.add_argument("instance")
    p.add_argument("--solver", required=True)
    p.add_argument("--time-limit", type=float)
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--binary", default=str(HERE.parent / "target" / "release" / "quotient"))
    args = ap.parse_args()
    if args.cmd == "arm":
        print(json.dumps(arm(args.kind, Path(args.path), args.time_limit, args.seed)))
    elif args.cmd == "overhead":
        overhead(args)
    else:
        side_by_side(args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
