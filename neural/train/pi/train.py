"""Train the learned ascent on quotient's own ascents (supervised regression of the centred
penalties; no labels from outside).

    python -m pi.train --data data/pi.bin --run runs/tsp-pi --minutes 10

The loss is the mean squared error between the per-graph centred outputs and the centred targets
(both in units of the graph's distance scale). Validation reports that error and R^2 (the share
of the targets' variance the prediction explains; 0 = the zero penalties a cold ascent starts
from). Checkpoints (last.pt; best.pt by validation R^2) are resumable; the learning rate follows a
cosine from --lr to 0 over --minutes.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import torch

from gnn.train import common_args, seeded_split

from .data import EDGE_FEATURES, NODE_FEATURES, collate, read
from .model import build


def centred(y: torch.Tensor, graph: torch.Tensor, graphs: int) -> torch.Tensor:
    """`y` minus its mean over each node's graph."""
    total = torch.zeros(graphs).index_add(0, graph, y)
    count = torch.zeros(graphs).index_add(0, graph, torch.ones_like(y))
    return y - (total / count.clamp(min=1)).index_select(0, graph)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_args(ap, d=32, layers=6, batch=8, minutes=10, val=40, val_help="instances held out for validation")
    a = ap.parse_args()
    train, val, rng = seeded_split(a, read(a.data))
    print(f"train: {len(train)} instances, validation {len(val)}", flush=True)
    a.run.mkdir(parents=True, exist_ok=True)
    config = dict(node_dim=NODE_FEATURES, edge_dim=EDGE_FEATURES, d=a.d, layers=a.layers)
    model = build(config)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    step, best, spent = 0, -math.inf, 0.0
    last = a.run / "last.pt"
    if last.exists():
        ck = torch.load(last, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, best, spent = ck["step"], ck["best"], ck.get("seconds", 0.0)
        print(f"resumed at step {step}", flush=True)
    val_batches = [collate(val[i : i + 8]) for i in range(0, len(val), 8)]

    def evaluate() -> dict:
        model.eval()
        err, var, cnt = 0.0, 0.0, 0
        with torch.no_grad():
            for b in val_batches:
                p = centred(model(b["x"], b["edges"], b["ex"]), b["graph"], b["graphs"])
                err += float(((p - b["target"]) ** 2).sum())
                var += float((b["target"] ** 2).sum())
                cnt += p.numel()
        model.train()
        return dict(val_mse=round(err / max(cnt, 1), 6), val_r2=round(1 - err / max(var, 1e-12), 5))

    def save(metrics: dict, seconds: float) -> None:
        nonlocal best
        improved = metrics["val_r2"] > best
        best = max(best, metrics["val_r2"])
        ck = dict(model=model.state_dict(), opt=opt.state_dict(), step=step, best=best,
                  config=config, seconds=seconds, metrics=metrics)
        if improved:
            torch.save(ck, a.run / "best.pt")
        torch.save(ck, last)

    log = (a.run / "log.jsonl").open("a")
    budget = a.minutes * 60
    t0 = time.time() - spent
    run_loss = None
    while time.time() - t0 < budget:
        frac = min(1.0, (time.time() - t0) / budget)
        for g in opt.param_groups:
            g["lr"] = a.lr * 0.5 * (1 + math.cos(math.pi * frac))
        b = collate(rng.sample(train, min(a.batch, len(train))), rng)
        p = centred(model(b["x"], b["edges"], b["ex"]), b["graph"], b["graphs"])
        loss = ((p - b["target"]) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss = loss.item() if run_loss is None else 0.98 * run_loss + 0.02 * loss.item()
        if step % 100 == 0:
            m = evaluate()
            row = dict(step=step, minutes=round((time.time() - t0) / 60, 2), loss=round(run_loss, 6), **m)
            print(json.dumps(row), flush=True)
            log.write(json.dumps(row) + "\n")
            log.flush()
            save(m, time.time() - t0)
    m = evaluate()
    save(m, time.time() - t0)
    print(json.dumps(dict(step=step, final=m, best_r2=round(best, 5))), flush=True)


if __name__ == "__main__":
    main()
