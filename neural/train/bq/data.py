"""Training data: random instances made by `quotient gen`, labelled by quotient's own solvers
through `quotient batch`, stored as one .npz per data set.

    python -m bq.data tsp --n 100 --count 2000 --seed0 1000 --time-limit 0.3 --out data/tsp100.npz

The labelling is resumable (`quotient batch` skips instances already in its JSON-lines file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]


def quotient_binary(explicit: str | None) -> str:
    """The quotient binary: --quotient, $QUOTIENT, or the workspace's release build."""
    for cand in (explicit, os.environ.get("QUOTIENT"), str(ROOT / "target/release/quotient")):
        if cand and Path(cand).is_file():
            return cand
    sys.exit("quotient binary not found: build it (cargo build --release) or pass --quotient")


def section_rows(text: str, name: str) -> list[list[str]]:
    """The rows (split into fields) of section `name` (e.g. NODE_COORD_SECTION) of a
    TSPLIB/CVRPLIB text, up to the first line that is not a numbered row."""
    rows = []
    inside = False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith(name):
            inside = True
            continue
        if inside:
            if not s or not s[0].isdigit():
                break
            rows.append(s.split())
    return rows


def coords_of(text: str) -> np.ndarray:
    """NODE_COORD_SECTION as float64 [n, 2]."""
    rows = section_rows(text, "NODE_COORD_SECTION")
    return np.asarray([(float(r[1]), float(r[2])) for r in rows], dtype=np.float64)


def read_tsplib_coords(path: Path) -> np.ndarray:
    """NODE_COORD_SECTION of a TSPLIB/CVRPLIB file as float64 [n, 2]."""
    return coords_of(path.read_text())


def read_cvrp(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    """Coordinates [n, 2] (depot first), demands [n] and capacity of a CVRPLIB file."""
    text = path.read_text()
    capacity = 0
    for line in text.splitlines():
        if line.strip().startswith("CAPACITY"):
            capacity = int(line.split(":")[1])
    demands = [int(r[1]) for r in section_rows(text, "DEMAND_SECTION")]
    return coords_of(text), np.asarray(demands, dtype=np.int64), capacity


def generate(q: str, family: str, n: int, count: int, seed0: int, out_dir: Path,
             extra: tuple[str, ...] = ()) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for s in range(seed0, seed0 + count):
        f = out_dir / f"{family}{n}-s{s}.{'tsp' if family == 'tsp' else 'vrp'}"
        if not f.exists():
            subprocess.run(
                [q, "gen", family, "-n", str(n), "--seed", str(s), "--out", str(f), *extra], check=True
            )
        files.append(f)
    return files


def label(q: str, family: str, inst_dir: Path, jsonl: Path, time_limit: float, jobs: int) -> None:
    solver = "tsp.ils" if family == "tsp" else "cvrp.sisr"
    subprocess.run(
        [
            q, "batch", str(inst_dir), "--out", str(jsonl), "--jobs", str(jobs),
            "--threads", "1", "-t", str(time_limit), "--solver", solver,
        ],
        check=True,
    )


def load_labels(jsonl: Path) -> dict[str, dict]:
    out = {}
    for line in jsonl.read_text().splitlines():
        r = json.loads(line)
        if r.get("solution") is not None and r.get("status") in ("feasible", "optimal"):
            out[Path(r["file"]).name] = r
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("family", choices=["tsp", "cvrp"])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed0", type=int, default=1000)
    ap.add_argument("--time-limit", type=float, default=0.3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--capacity", type=int, default=50,
                    help="CVRP: uniform instances (demands 1..9) with this vehicle capacity")
    ap.add_argument("--quotient")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    q = quotient_binary(a.quotient)
    inst_dir = a.out.with_suffix("")
    extra = ("--uniform-capacity", str(a.capacity)) if a.family == "cvrp" else ()
    files = generate(q, a.family, a.n, a.count, a.seed0, inst_dir, extra)
    jsonl = a.out.with_suffix(".jsonl")
    label(q, a.family, inst_dir, jsonl, a.time_limit, a.jobs)
    labels = load_labels(jsonl)
    coords, tours, costs, names = [], [], [], []
    demands, caps, routes = [], [], []
    for f in files:
        r = labels.get(f.name)
        if r is None:
            print(f"data: no label for {f.name}, skipped", file=sys.stderr)
            continue
        names.append(f.name)
        costs.append(float(r["objective"]))
        if a.family == "tsp":
            coords.append(read_tsplib_coords(f))
            tours.append(np.asarray(r["solution"]["tour"], dtype=np.int64))
        else:
            c, d, cap = read_cvrp(f)
            coords.append(c)
            demands.append(d)
            caps.append(cap)
            routes.append(json.dumps(r["solution"]["routes"]))
    arrays = dict(coords=np.stack(coords), costs=np.asarray(costs), names=np.asarray(names))
    if a.family == "tsp":
        arrays["tours"] = np.stack(tours)
    else:
        arrays.update(demands=np.stack(demands), capacity=np.asarray(caps), routes=np.asarray(routes))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(a.out, **arrays)
    print(f"data: {len(names)} labelled {a.family}{a.n} instances -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
