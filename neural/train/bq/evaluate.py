"""Evaluate a policy through quotient itself (ort in Rust, not PyTorch) against reference
solutions of quotient's classical solver, on a fixed set of generated instances.

    python -m bq.evaluate --family tsp --n 100 --count 1000 --seed0 900000 --ref-time 1 --out runs/eval-tsp100

Makes (once) the instances and the reference solutions (`tsp.ils` / `cvrp.sisr`, `--ref-time` s
each), then decodes them with the shipped model through the Rust decoder and ort: the
`bq_eval` example (`cargo build --release --workspace --example bq_eval`), greedy batched
over `--batch` instances per model call or `--beam K`, one thread; or, with `--solver`, through
`quotient batch` (e.g. `tsp.bq+ils` with `--time-limit`). Prints a summary JSON (mean gap,
instances per second) on stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .data import generate, quotient_binary


def batch(q: str, inst_dir: Path, out: Path, solver: str, time_limit: float | None, jobs: int,
          extra: list[str]) -> float:
    cmd = [q, "batch", str(inst_dir), "--out", str(out), "--jobs", str(jobs), "--threads", "1",
           "--solver", solver, *extra]
    if time_limit is not None:
        cmd += ["-t", str(time_limit)]
    t0 = time.time()
    subprocess.run(cmd, check=True)
    return time.time() - t0


def objectives(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text().splitlines():
        r = json.loads(line)
        if "file" in r and r.get("objective") is not None:
            out[Path(r["file"]).name] = float(r["objective"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family", choices=["tsp", "cvrp"], default="tsp")
    ap.add_argument("--capacity", type=int, default=50)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed0", type=int, default=900000)
    ap.add_argument("--ref-time", type=float, default=1.0)
    ap.add_argument("--solver", default=None, help="default: <family>.bq")
    ap.add_argument("--beam", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=None, help="for --solver tsp.bq+ils / tsp.ils")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--limit", type=int, default=0, help="evaluate only the first N instances")
    ap.add_argument("--quotient")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    q = quotient_binary(a.quotient)
    a.out.mkdir(parents=True, exist_ok=True)
    solver = a.solver or f"{a.family}.bq"
    ref_solver = "tsp.ils" if a.family == "tsp" else "cvrp.sisr"
    inst_dir = a.out / f"{a.family}{a.n}"
    extra_gen = ("--uniform-capacity", str(a.capacity)) if a.family == "cvrp" else ()
    generate(q, a.family, a.n, a.count, a.seed0, inst_dir, extra_gen)
    ref_path = a.out / f"ref-{ref_solver}-{a.ref_time}s.jsonl"
    batch(q, inst_dir, ref_path, ref_solver, a.ref_time, a.jobs, [])
    tag = f"{solver}-beam{a.beam}" + (f"-{a.time_limit}s" if a.time_limit else "")
    res_path = a.out / f"{tag}.jsonl"
    res_path.unlink(missing_ok=True)
    if a.solver is None:
        ev = Path(q).parent / "examples" / "bq_eval"
        if not ev.is_file():
            sys.exit(f"evaluate: {ev} missing: cargo build --release --workspace --example bq_eval")
        cmd = [str(ev), a.family, str(inst_dir), str(a.batch), str(max(1, a.beam)), str(a.limit or a.count)]
        t0 = time.time()
        res = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        secs = time.time() - t0
        res_path.write_text(res)
        jobs = 1
    else:
        extra = ["--beam", str(a.beam)] if a.beam else []
        secs = batch(q, inst_dir, res_path, solver, a.time_limit, a.jobs, extra)
        jobs = a.jobs
    ref, got = objectives(ref_path), objectives(res_path)
    gaps = [100 * (got[k] / ref[k] - 1) for k in ref if k in got]
    if not gaps:
        sys.exit("evaluate: no instance solved")
    summary = dict(
        solver=solver, beam=a.beam, time_limit=a.time_limit, n=a.n, instances=len(gaps),
        mean_gap_pct=statistics.fmean(gaps), median_gap_pct=statistics.median(gaps),
        max_gap_pct=max(gaps), wall_s=secs, instances_per_s=len(gaps) / secs, jobs=jobs,
        batch=a.batch if a.solver is None else None,
        reference=f"{ref_solver} {a.ref_time} s",
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
