"""Imitation learning of a BQ policy (TSP or CVRP) from labelled solutions; resumable.

    python -m bq.train --data data/tsp100.npz --run runs/tsp100 --steps 20000
    python -m bq.train --family cvrp --data data/cvrp100.npz --run runs/cvrp100 --steps 20000

Every `--ckpt-every` steps the run directory gets `last.pt` (model, optimiser, step, RNG) and,
when the validation greedy gap improved, `best.pt`. Starting again with the same --run resumes
from `last.pt`. Validation: greedy tours of the last `--val` instances of the data set (held out
from training) against their labels.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import cvrp
from .model import build, unit_box
from .tsp import greedy, masked_logits, sample_batch, tour_length


def load(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    z = np.load(path)
    coords = unit_box(torch.tensor(z["coords"], dtype=torch.float32))
    return coords, torch.tensor(z["tours"], dtype=torch.long)


def lr_at(step: int, steps: int, base: float, warmup: int) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    p = (step - warmup) / max(1, steps - warmup)
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, p))))


def validate(model, coords: torch.Tensor, tours: torch.Tensor) -> float:
    dev = next(model.parameters()).device
    coords, tours = coords.to(dev), tours.to(dev)
    model.eval()
    g = greedy(model, coords)
    model.train()
    return float((tour_length(coords, g) / tour_length(coords, tours) - 1).mean() * 100)


class TspTask:
    """The TSP: tours, one score per node."""

    in_dim, heads_out = 2, 1

    def __init__(self, path: Path, val: int, seed: int) -> None:
        coords, tours = load(path)
        if coords.shape[0] <= val:
            sys.exit(f"train: {coords.shape[0]} instances, need more than --val {val}")
        self.vc, self.vt = coords[-val:], tours[-val:]
        self.tc, self.tt = coords[:-val], tours[:-val]
        self.gen = torch.Generator().manual_seed(seed)

    def batch(self, size: int):
        nodes, target = sample_batch(self.tc, self.tt, size, self.gen)
        return nodes, target

    def logits(self, model, nodes):
        return masked_logits(model(nodes))

    def validate(self, model) -> float:
        return validate(model, self.vc, self.vt)

    def rng_state(self):
        return self.gen.get_state()

    def set_rng_state(self, s) -> None:
        self.gen.set_state(s)


class CvrpTask:
    """The CVRP: routes, two scores per node (direct / via the depot)."""

    in_dim, heads_out = 4, 2

    def __init__(self, path: Path, val: int, seed: int) -> None:
        import random

        d = cvrp.load(path)
        m = d["coords"].shape[0]
        if m <= val:
            sys.exit(f"train: {m} instances, need more than --val {val}")
        cut = m - val
        self.train = dict(coords=d["coords"][:cut], demands=d["demands"][:cut],
                          capacity=d["capacity"][:cut], routes=d["routes"][:cut])
        self.val = dict(coords=d["coords"][cut:], demands=d["demands"][cut:],
                        capacity=d["capacity"][cut:], routes=d["routes"][cut:])
        self.rng = random.Random(seed)

    def batch(self, size: int):
        return cvrp.sample_batch(self.train, size, self.rng)

    def logits(self, model, x):
        return cvrp.masked_logits(model(x), x)

    def validate(self, model) -> float:
        model.eval()
        idx = list(range(len(self.val["routes"])))
        got = cvrp.greedy(model, self.val, idx)
        model.train()
        gaps = []
        for i, routes in zip(idx, got):
            c = self.val["coords"][i]
            gaps.append(cvrp.cost(c, routes) / cvrp.cost(c, self.val["routes"][i]) - 1)
        return 100 * sum(gaps) / len(gaps)

    def rng_state(self):
        return self.rng.getstate()

    def set_rng_state(self, s) -> None:
        self.rng.setstate(s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family", choices=["tsp", "cvrp"], default="tsp")
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--d", type=int, default=128)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--ff", type=int, default=512)
    ap.add_argument("--geo", action="store_true", help="geometric features and distance-biased attention")
    ap.add_argument("--val", type=int, default=128)
    ap.add_argument("--ckpt-every", type=int, default=250)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-minutes", type=float, default=0.0, help="stop (after a checkpoint) after this long")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    task = (TspTask if a.family == "tsp" else CvrpTask)(a.data, a.val, a.seed)
    a.run.mkdir(parents=True, exist_ok=True)
    config = dict(in_dim=task.in_dim, heads_out=task.heads_out, d=a.d, layers=a.layers, heads=a.heads, ff=a.ff)
    if a.geo:
        config["geo"] = True
    model = build(config).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-5)
    step, best = 0, float("inf")
    last = a.run / "last.pt"
    if last.exists():
        ck = torch.load(last, map_location=dev, weights_only=False)
        if ck["config"] != config:
            sys.exit(f"train: {last} was trained with {ck['config']}, not {config}")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        task.set_rng_state(ck["gen"])
        step, best = ck["step"], ck["best"]
        print(f"train: resumed at step {step} (best val gap {best:.3f} %)", file=sys.stderr)
    log = (a.run / "log.jsonl").open("a")
    t0 = time.time()
    run_loss, run_acc, seen = 0.0, 0.0, 0
    model.train()
    while step < a.steps:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a.steps, a.lr, a.warmup)
        nodes, target = task.batch(a.batch)
        nodes, target = nodes.to(dev), target.to(dev)
        logits = task.logits(model, nodes)
        loss = F.cross_entropy(logits, target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss += float(loss.detach())
        run_acc += float((logits.argmax(1) == target).float().mean())
        seen += 1
        out_of_time = a.max_minutes > 0 and time.time() - t0 > 60 * a.max_minutes
        if step % a.ckpt_every == 0 or step == a.steps or out_of_time:
            gap = task.validate(model)
            rec = dict(step=step, loss=run_loss / seen, acc=run_acc / seen, val_gap=gap,
                       lr=opt.param_groups[0]["lr"], minutes=(time.time() - t0) / 60)
            print(json.dumps(rec), file=sys.stderr)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            run_loss, run_acc, seen = 0.0, 0.0, 0
            ck = dict(model=model.state_dict(), opt=opt.state_dict(), gen=task.rng_state(),
                      step=step, best=min(best, gap), config=config)
            if gap < best:
                best = gap
                torch.save(ck, a.run / "best.pt")
            torch.save(ck, a.run / "last.pt.tmp")
            (a.run / "last.pt.tmp").replace(last)
        if out_of_time:
            print(f"train: stopped after {a.max_minutes} min at step {step}", file=sys.stderr)
            break


if __name__ == "__main__":
    main()
