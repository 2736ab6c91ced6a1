#!/usr/bin/env python3
"""`milp.alns` against plain HiGHS on the Distributional-MIPLIB-style domains of `quotient gen milp`.

The protocol (issue 26): per domain a set of seeded instances at a size where plain HiGHS does not
prove optimality within the budget; both solvers on one thread, side by side (quotient pinned to
one core, HiGHS to the other, started together, the same time limit); each solver's incumbent over
time (quotient: `solve --trace`, every improvement the solver reports; HiGHS: highspy's
improving-solution callback with HiGHS's own running time); final solutions checked by
`quotient check` (the independent checker), never taken from a solver's report.

    python3 bench/milp_domains.py gen DIR [--domains gisp,mknap] [--seeds 1-5]
    python3 bench/milp_domains.py run DIR --out runs.jsonl -t 60 [--solver milp.alns] [--filter S]
    python3 bench/milp_domains.py report runs.jsonl [--best extra.jsonl ...] [--svg DIR] [--md out.md]
    python3 bench/milp_domains.py show runs.jsonl [--filter auction-1001] [--messages]

Metrics, per instance (Berthold 2013): the primal gap of a value z to the best known value z*,
`|z - z*| / max(|z|, |z*|)` (0 when both are 0, 1 when they differ in sign or there is no
solution); the primal integral, the integral over [0, T] of the gap of the incumbent held at time
t (1 before the first one), in gap-seconds; z* is the best checked value either solver found in
any run given to `report` (runs of other settings or longer runs can be added with `--best`).
A win / tie / loss compares the final gaps (tie: within 1e-6 relative) and, separately, the
primal integrals (tie: within 1 %).

`run` appends one JSON line per (instance, solver) to `--out` and skips pairs already there, so an
interrupted run can be continued. The HiGHS arm runs in `.venv-anchors` (highspy); the rest of this
script needs only the standard library.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

# Domain -> `quotient gen milp` arguments. Sizes chosen so that plain HiGHS on one thread does not
# prove optimality in 60 s on this machine (the `report` table says where it still did).
DOMAINS: dict[str, list[str]] = {
    "setcover": ["--kind", "setcover", "--rows", "1000", "--cols", "2000", "--density", "0.05"],
    "auction": ["--kind", "auction", "--rows", "300", "--cols", "1500"],
    # The larger auctions of the LNS literature's "hard" sets (2 000 items, 4 000 bids).
    "auction2k": ["--kind", "auction", "--rows", "2000", "--cols", "4000"],
    "facility": ["--kind", "facility", "--rows", "200", "--cols", "100", "--density", "5"],
    "indset": ["--kind", "indset", "--rows", "1500", "--cols", "4"],
    "gisp": ["--kind", "gisp", "--rows", "150", "--density", "0.5", "--alpha", "0.75"],
    "mknap": ["--kind", "mknap", "--rows", "200", "--cols", "20"],
    "loadbal": ["--kind", "loadbal", "--rows", "200", "--cols", "20"],
    "binpack": ["--kind", "binpack", "--rows", "150"],
    "placement": ["--kind", "placement", "--rows", "105", "--cols", "10"],
}
SEED_BASE = 1000  # instance seeds are SEED_BASE + 1, 2, ...: disjoint from the seeds of earlier sections


def quotient_bin(args: argparse.Namespace) -> str:
    return args.quotient or str(ROOT / "target" / "release" / "quotient")


def parse_seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def cmd_gen(args: argparse.Namespace) -> None:
    d = Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    doms = args.domains.split(",") if args.domains else list(DOMAINS)
    for dom in doms:
        for k in parse_seeds(args.seeds):
            seed = SEED_BASE + k
            path = d / f"{dom}-{seed}.mps"
            cmd = [quotient_bin(args), "gen", "milp", *DOMAINS[dom], "--seed", str(seed), "-o", str(path)]
            subprocess.run(cmd, check=True)
            print(path, flush=True)


def objective_sense(path: Path) -> str:
    """`max` when the MPS file says OBJSENSE MAX (as quotient's writer does), else `min`."""
    if not path.exists() and not Path(str(path) + ".gz").exists():
        return "min"
    if not path.exists():
        path = Path(str(path) + ".gz")
    if path.name.endswith(".gz"):
        import gzip

        with gzip.open(path, "rt") as f:
            lines = [next(f, "") for _ in range(50)]
    else:
        lines = path.read_text().splitlines()
    for i, line in enumerate(lines[:50]):
        if line.strip().upper().startswith("OBJSENSE"):
            rest = line.split()[1:] or lines[i + 1].split()
            return "max" if rest and rest[0].upper().startswith("MAX") else "min"
    return "min"


def checked(quotient: str, instance: Path, solution: Path) -> tuple[float | None, str]:
    from anchors import check

    if not solution.exists() or solution.stat().st_size == 0:
        return None, "no solution"
    return check(quotient, instance, solution.read_text(), ".sol")


# ---------------------------------------------------------------------------------------------
# The HiGHS arm (runs under .venv-anchors).


def cmd_highs1(args: argparse.Namespace) -> None:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(args.time_limit))
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", args.seed)
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.readModel(args.instance)
    trace: list[tuple[float, float]] = []

    def improving(e) -> None:
        trace.append((e.data_out.running_time, e.data_out.objective_function_value))

    h.cbMipImprovingSolution.subscribe(improving)
    t0 = time.perf_counter()
    h.run()
    secs = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus()).lower()
    info = h.getInfo()
    if info.primal_solution_status != 0:
        sol = h.getSolution()
        lp = h.getLp()
        with open(args.sol, "w") as f:
            for i in range(lp.num_col_):
                f.write(f"{lp.col_names_[i]} {sol.col_value[i]!r}\n")
    json.dump({"status": status, "seconds": secs, "trace": trace, "bound": info.mip_dual_bound}, sys.stdout)


# ---------------------------------------------------------------------------------------------
# Side by side.


def done_pairs(out: Path) -> set[tuple[str, str]]:
    if not out.exists():
        return set()
    pairs = set()
    for line in out.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            pairs.add((r["instance"], r["solver"]))
    return pairs


def instance_name(path: Path) -> str:
    n = path.name
    for ext in (".mps.gz", ".mps"):
        if n.endswith(ext):
            return n[: -len(ext)]
    return n


def time_v(path: Path) -> dict:
    """User and system CPU seconds and peak RSS (KiB) from a `/usr/bin/time -v -o PATH` file."""
    keys = {"User time (seconds)": "user_s", "System time (seconds)": "sys_s",
            "Maximum resident set size (kbytes)": "rss_kb"}
    got: dict = {}
    try:
        for line in path.read_text().splitlines():
            k, _, v = line.strip().rpartition(": ")
            if k in keys:
                got[keys[k]] = float(v)
    except (FileNotFoundError, ValueError):
        pass
    return got


def quotient_row(q: str, inst: Path, name: str, label: str, T: float, sol: Path, trace_path: Path,
                 out: str, err_text: str, wall: float) -> dict:
    """One arm run by `quotient solve --json --trace`: checked objective, status, trace."""
    obj, err = checked(q, inst, sol)
    trace, sources, status, message = [], [], "error", err_text.strip()[-300:]
    try:
        res = json.loads(out)
        status, message = res.get("status", "?"), res.get("message") or ""
        tr = json.loads(trace_path.read_text())
        trace = [(p["elapsed_ms"] / 1000.0, p["objective"]) for p in tr["improvements"]]
        sources = [p.get("source", "") for p in tr["improvements"]]
    except (json.JSONDecodeError, FileNotFoundError) as e:
        err = err or f"quotient: {e}"
    return {"instance": name, "solver": label, "time_limit": T, "objective": obj, "status": status,
            "wall": round(wall, 3), "trace": trace, "sources": sources, "error": err, "message": message}


def cmd_run(args: argparse.Namespace) -> None:
    q = quotient_bin(args)
    out = Path(args.out)
    done = done_pairs(out)
    label = args.label or args.solver
    files = sorted(p for p in Path(args.dir).iterdir()
                   if p.name.endswith((".mps", ".mps.gz")) and (not args.filter or any(f in p.name for f in args.filter.split(","))))
    against = "highs" if args.against == "highspy" else (args.against_label or args.against)
    if against == label:
        # `report` keys the runs by this name: two arms under one name would overwrite each other.
        sys.exit(f"both arms would be recorded as {label!r}: give --label or --against-label")
    anchors_py = str(ROOT / ".venv-anchors" / "bin" / "python")
    T = args.time_limit
    for inst in files:
        name = instance_name(inst)
        if (name, label) in done and (name, against) in done:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            qsol, qtrace, hsol = tmp / "q.sol", tmp / "q.json", tmp / "h.sol"
            # Each arm under `/usr/bin/time -v`: the CPU seconds it got, its peak memory.
            qtime, htime = tmp / "q.time", tmp / "h.time"
            qcmd = ["/usr/bin/time", "-v", "-o", str(qtime), "taskset", "-c", args.cores[0], q, "solve", str(inst), "--solver", args.solver,
                    "--threads", "1", "--seed", str(args.seed), "-t", str(T), "--json",
                    "--trace", str(qtrace), "-o", str(qsol)]
            for kv in args.params or []:
                qcmd += ["--param", kv]
            hcmd = ["taskset", "-c", args.cores[1], anchors_py, __file__, "highs1", str(inst),
                    "-t", str(T), "--seed", str(args.seed), "--sol", str(hsol)]
            htrace = tmp / "h.json"
            if args.against != "highspy":
                hcmd = ["/usr/bin/time", "-v", "-o", str(htime), "taskset", "-c", args.cores[1],
                        args.against_bin or q, "solve", str(inst), "--solver",
                        args.against, "--threads", "1", "--seed", str(args.seed), "-t", str(T), "--json",
                        "--trace", str(htrace), "-o", str(hsol)]
                for kv in args.against_params or []:
                    hcmd += ["--param", kv]
            load1 = os.getloadavg()[0]
            t0 = time.perf_counter()
            qp = subprocess.Popen(qcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            hp = subprocess.Popen(hcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            qout, qerr = qp.communicate(timeout=3 * T + 120)
            qwall = time.perf_counter() - t0
            hout, herr = hp.communicate(timeout=3 * T + 120)
            hwall = time.perf_counter() - t0
            rows = []
            rows.append(quotient_row(q, inst, name, label, T, qsol, qtrace, qout, qerr, qwall))
            if args.against != "highspy":
                rows.append(quotient_row(q, inst, name, against, T, hsol, htrace, hout, herr, hwall))
            else:
                obj, err = checked(q, inst, hsol)
                try:
                    res = json.loads(hout)
                    status, trace = res["status"], res["trace"]
                except (json.JSONDecodeError, KeyError):
                    status, trace, err = "error", [], err or herr.strip()[-300:]
                rows.append({"instance": name, "solver": "highs", "time_limit": T, "objective": obj,
                             "status": status, "wall": round(hwall, 3), "trace": trace, "error": err,
                             "message": ""})
            for r, tv in zip(rows, (qtime, htime)):
                r.update(time_v(tv))
                r["load1"] = round(load1, 2)
                r["cores"] = args.cores[0] if r is rows[0] else args.cores[1]
            with out.open("a") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
            a, b = rows
            print(f"{name:<22} {label} {a['objective']} ({a['status']}, {a.get('user_s', '?')} s CPU)  "
                  f"{b['solver']} {b['objective']} ({b['status']}, {b.get('user_s', '?')} s CPU)  load {load1:.1f}  "
                  f"{a['error']}{b['error']}", flush=True)


# ---------------------------------------------------------------------------------------------
# Metrics.


def primal_gap(z: float | None, best: float) -> float:
    if z is None:
        return 1.0
    if abs(z - best) <= 1e-9 * max(1.0, abs(best)):
        return 0.0
    if z * best < 0:
        return 1.0
    return min(1.0, abs(z - best) / max(abs(z), abs(best)))


def primal_integral(trace: list[tuple[float, float]], best: float, sense: str, T: float) -> float:
    """Integral over [0, T] of the gap of the best value held so far (1 before the first)."""
    total, t_prev, gap, held = 0.0, 0.0, 1.0, None
    for t, z in sorted(trace):
        t = min(max(t, 0.0), T)
        total += gap * (t - t_prev)
        t_prev = t
        if held is None or (z < held if sense == "min" else z > held):
            held = z
            gap = primal_gap(held, best)
    return total + gap * (T - t_prev)


def gap_at(trace: list[tuple[float, float]], best: float, sense: str, t: float) -> float:
    held = None
    for s, z in sorted(trace):
        if s > t:
            break
        if held is None or (z < held if sense == "min" else z > held):
            held = z
    return primal_gap(held, best)


def time_to(trace: list[tuple[float, float]], best: float, sense: str, gap: float, T: float) -> float:
    """When the incumbent first came within `gap` of the best known value (T if never)."""
    held = None
    for t, z in sorted(trace):
        if held is None or (z < held if sense == "min" else z > held):
            held = z
            if primal_gap(held, best) <= gap:
                return min(t, T)
    return T


def load(paths: list[str]) -> list[dict]:
    rows = []
    for p in paths:
        for line in Path(p).read_text().splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def cmd_report(args: argparse.Namespace) -> None:
    rows = load(args.runs)
    extra = load(args.best) if args.best else []
    inst_dir = Path(args.dir)
    by_inst: dict[str, dict[str, dict]] = {}
    for r in rows:
        by_inst.setdefault(r["instance"], {})[r["solver"]] = r
    base = args.baseline
    # Reference values (a CSV with `name` and `optimal_objective`, e.g. ../shared/bench/milp/optimal.csv):
    # they count for the best known value beside the checked values of the runs.
    ref: dict[str, float] = {}
    if args.ref:
        import csv

        with open(args.ref, newline="") as f:
            for rec in csv.DictReader(f):
                try:
                    ref[rec["name"]] = float(rec["optimal_objective"])
                except (KeyError, ValueError):
                    pass
    solvers = sorted({r["solver"] for r in rows} - {base})
    lines = []
    curves: dict[str, dict[str, list[list[float]]]] = {}
    for solver in solvers:
        table = {}
        for name, d in sorted(by_inst.items()):
            if solver not in d or base not in d:
                continue
            dom = name.rsplit("-", 1)[0] if name.rsplit("-", 1)[0] in DOMAINS else (args.group or name)
            sense = objective_sense(inst_dir / f"{name}.mps")
            vals = [x["objective"] for x in rows + extra if x["instance"] == name and x["objective"] is not None
                    and not x.get("error")] + ([ref[name]] if name in ref else [])
            if not vals:
                continue
            best = min(vals) if sense == "min" else max(vals)
            a, h = d[solver], d[base]
            T = float(a["time_limit"])
            # A checked final value that the trace missed (the last report) counts at the end.
            ta = [tuple(p) for p in a["trace"]] + ([(T, a["objective"])] if a["objective"] is not None else [])
            th = [tuple(p) for p in h["trace"]] + ([(T, h["objective"])] if h["objective"] is not None else [])
            ga, gh = primal_gap(a["objective"], best), primal_gap(h["objective"], best)
            pa, ph = primal_integral(ta, best, sense, T), primal_integral(th, best, sense, T)
            t10 = (time_to(ta, best, sense, 0.1, T), time_to(th, best, sense, 0.1, T))
            cpu = (a.get("user_s"), h.get("user_s"))
            table.setdefault(dom, []).append((name, ga, gh, pa, ph, a["status"], h["status"], t10, cpu))
            grid = [T * k / 100 for k in range(101)]
            c = curves.setdefault(dom, {})
            c.setdefault(solver, []).append([gap_at(ta, best, sense, t) for t in grid])
            c.setdefault(base, []).append([gap_at(th, best, sense, t) for t in grid])
        lines.append(f"\n### `{solver}` vs `{base}`\n")
        lines.append(f"| domain | n | mean gap {solver} | mean gap {base} | gap W/T/L | mean PI {solver} (gap-s) | "
                     f"mean PI {base} | PI W/T/L | optimal ({solver} / {base}) |")
        lines.append("|---|---:|---:|---:|---|---:|---:|---|---:|")
        tot = [0, 0, 0, 0, 0, 0]
        for dom, rs in sorted(table.items()):
            n = len(rs)
            w = sum(1 for r in rs if r[1] < r[2] - 1e-6)
            l_ = sum(1 for r in rs if r[1] > r[2] + 1e-6)
            pw = sum(1 for r in rs if r[3] < 0.99 * r[4])
            pl = sum(1 for r in rs if r[3] > 1.01 * r[4])
            hopt = sum(1 for r in rs if r[6] == "optimal")
            aopt = sum(1 for r in rs if r[5] == "optimal")
            for i, v in enumerate([w, n - w - l_, l_, pw, n - pw - pl, pl]):
                tot[i] += v
            lines.append(f"| {dom} | {n} | {sum(r[1] for r in rs) / n:.4f} | {sum(r[2] for r in rs) / n:.4f} | "
                         f"{w}/{n - w - l_}/{l_} | {sum(r[3] for r in rs) / n:.2f} | {sum(r[4] for r in rs) / n:.2f} | "
                         f"{pw}/{n - pw - pl}/{pl} | {aopt} / {hopt} |")
        lines.append(f"| all | {sum(len(v) for v in table.values())} | | | {tot[0]}/{tot[1]}/{tot[2]} | | | "
                     f"{tot[3]}/{tot[4]}/{tot[5]} | |")
        # Runs that ended without a (checked) solution: their gap is 1.
        none_a = sum(1 for rs in table.values() for r in rs if by_inst[r[0]][solver]["objective"] is None)
        none_b = sum(1 for rs in table.values() for r in rs if by_inst[r[0]][base]["objective"] is None)
        lines.append(f"\nWithout a solution: {solver} {none_a}, {base} {none_b}.")
        # When each came within 10 % of the best known value, and the CPU seconds each arm got.
        lines.append(f"\n| domain | mean s to 10 % {solver} | {base} | mean CPU s {solver} | {base} |")
        lines.append("|---|---:|---:|---:|---:|")
        for dom, rs in sorted(table.items()):
            n = len(rs)
            cpus = [r[8] for r in rs if None not in r[8]]
            cpu_txt = (f"{sum(c[0] for c in cpus) / len(cpus):.1f} | {sum(c[1] for c in cpus) / len(cpus):.1f}"
                       if cpus else "- | -")
            lines.append(f"| {dom} | {sum(r[7][0] for r in rs) / n:.1f} | {sum(r[7][1] for r in rs) / n:.1f} | "
                         f"{cpu_txt} |")
        lines.append("\nPer instance:\n")
        lines.append(f"| instance | gap {solver} | gap {base} | PI {solver} | PI {base} | s to 10 % {solver} | "
                     f"{base} | status {solver} | status {base} |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---|---|")
        for dom, rs in sorted(table.items()):
            for r in rs:
                lines.append(f"| {r[0]} | {r[1]:.5f} | {r[2]:.5f} | {r[3]:.2f} | {r[4]:.2f} | {r[7][0]:.1f} | "
                             f"{r[7][1]:.1f} | {r[5]} | {r[6]} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.md:
        Path(args.md).write_text(text)
    if args.svg:
        Path(args.svg).mkdir(parents=True, exist_ok=True)
        for dom, c in curves.items():
            Path(args.svg, f"{dom}.svg").write_text(svg_curves(dom, c, float(rows[0]["time_limit"])))


def svg_curves(title: str, curves: dict[str, list[list[float]]], T: float) -> str:
    """Mean primal gap over time, one polyline per solver."""
    W, H, L, B = 520, 300, 50, 30
    colours = ["#c0392b", "#2c7fb8", "#27ae60", "#8e44ad"]
    mean = {s: [sum(v[k] for v in vs) / len(vs) for k in range(len(vs[0]))] for s, vs in curves.items()}
    top = max(1e-9, max(max(m) for m in mean.values()))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" '
           f'font-size="11">', f'<text x="{L}" y="14">{title}: mean primal gap over time '
           f'({len(next(iter(curves.values())))} instances)</text>',
           f'<line x1="{L}" y1="{H - B}" x2="{W - 10}" y2="{H - B}" stroke="black"/>',
           f'<line x1="{L}" y1="20" x2="{L}" y2="{H - B}" stroke="black"/>',
           f'<text x="{L}" y="{H - 10}">0 s</text><text x="{W - 40}" y="{H - 10}">{T:g} s</text>',
           f'<text x="2" y="28">{top:.3g}</text><text x="30" y="{H - B}">0</text>']
    for i, (s, m) in enumerate(sorted(mean.items())):
        n = len(m) - 1
        pts = " ".join(f"{L + (W - 10 - L) * k / n:.1f},{H - B - (H - B - 20) * v / top:.1f}" for k, v in enumerate(m))
        col = colours[i % len(colours)]
        out.append(f'<polyline fill="none" stroke="{col}" stroke-width="1.5" points="{pts}"/>')
        out.append(f'<text x="{W - 150}" y="{30 + 14 * i}" fill="{col}">{s}</text>')
    out.append("</svg>\n")
    return "\n".join(out)


def cmd_show(args: argparse.Namespace) -> None:
    """Each run's incumbent over time, `seconds:value`, with the source of each new value
    (`H` HiGHS, `L` a sub-MIP of the LNS) when the run recorded it."""
    for r in load(args.runs):
        if args.filter and not any(f in r["instance"] for f in args.filter.split(",")):
            continue
        srcs = r.get("sources") or [""] * len(r["trace"])
        held, parts = None, []
        for (t, z), src in zip(r["trace"], srcs):
            if held is not None and z == held:
                continue
            held = z
            tag = "" if not src else ("H" if src == "highs" else "L")
            parts.append(f"{t:.1f}:{z:.6g}{tag}")
        print(f"{r['instance']} {r['solver']} {r['objective']} | {' '.join(parts)}")
        if args.messages and r.get("message"):
            print(f"    {r['message']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quotient", help="the quotient binary (default target/release/quotient)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("dir")
    g.add_argument("--domains")
    g.add_argument("--seeds", default="1-5")
    r = sub.add_parser("run")
    r.add_argument("dir")
    r.add_argument("--out", required=True)
    r.add_argument("-t", "--time-limit", type=float, default=60.0)
    r.add_argument("--solver", default="milp.alns")
    r.add_argument("--label", help="the name the runs are recorded under (default: the solver)")
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--filter", help="only instance files whose name contains this")
    r.add_argument("--against", default="highspy",
                   help="the second arm: highspy (plain HiGHS, recorded as `highs`) or a quotient solver name")
    r.add_argument("--against-bin", help="the quotient binary of the second arm (default: --quotient)")
    r.add_argument("--against-label", help="the name the second arm is recorded under (default: its solver)")
    r.add_argument("--params", nargs="*", help="NAME=VALUE solver parameters of the first arm (`--param`)")
    r.add_argument("--against-params", nargs="*", help="NAME=VALUE solver parameters of the second arm")
    r.add_argument("--cores", nargs=2, default=["0", "1"], help="cores for quotient and HiGHS")
    h = sub.add_parser("highs1")
    h.add_argument("instance")
    h.add_argument("-t", "--time-limit", type=float, required=True)
    h.add_argument("--seed", type=int, default=1)
    h.add_argument("--sol", required=True)
    p = sub.add_parser("report")
    p.add_argument("runs", nargs="+")
    p.add_argument("--dir", required=True, help="the instance directory (for the objective sense)")
    p.add_argument("--best", nargs="*", help="further runs whose checked values count for the best known")
    p.add_argument("--baseline", default="highs", help="the solver label the others are compared with")
    p.add_argument("--ref", help="a CSV of reference values (columns name, optimal_objective) for the best known")
    p.add_argument("--group", help="report instances outside the generated domains under this one name")
    p.add_argument("--md")
    p.add_argument("--svg", help="directory for one SVG of mean primal gap over time per domain")
    s = sub.add_parser("show")
    s.add_argument("runs", nargs="+")
    s.add_argument("--filter", help="only instances whose name contains one of these (comma-separated)")
    s.add_argument("--messages", action="store_true", help="print the solver's message too")
    args = ap.parse_args()
    {"gen": cmd_gen, "run": cmd_run, "highs1": cmd_highs1, "report": cmd_report, "show": cmd_show}[args.cmd](args)


if __name__ == "__main__":
    main()
