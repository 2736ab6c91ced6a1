"""Train the TSP edge heatmap on labelled tours (supervised, per-edge binary cross-entropy).

    python -m heat.train --data data/heat100.bin --run runs/tsp-heat --minutes 25

Labels are the tours of quotient's own `tsp.ils` (near-optimal on TSP100); every edge of the
16-nearest graph is a sample (positive: in the tour). Direction features get a random square
symmetry per graph. Validation reports recall@5 and recall@8: the share of tour edges among each
node's 5 / 8 best-scored out-edges, next to the same share for the 5 / 8 nearest (what the
candidate lists see). Checkpoints (last.pt; best.pt by validation recall@5) are resumable; the
learning rate follows a cosine from --lr to 0 over --minutes.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import torch
import torch.nn.functional as F

from gnn.train import common_args, seeded_split

from .data import EDGE_FEATURES, NODE_FEATURES, collate, read
from .model import build

K = 16


def recall(logits: torch.Tensor, label: torch.Tensor, n: int, top: int) -> tuple[float, float, float]:
    """(tour edges among the `top` best-scored out-edges, among the `top` nearest, tour edges)."""
    s = logits.reshape(n, K)
    y = label.reshape(n, K)
    idx = s.topk(top, dim=1).indices
    by_score = float(y.gather(1, idx).sum())
    by_dist = float(y[:, :top].sum())
    return by_score, by_dist, float(y.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_args(ap, d=48, layers=6, batch=16, minutes=25, val=300, val_help="instances held out for validation")
    a = ap.parse_args()
    train, val, rng = seeded_split(a, read(a.data))
    assert all(r.edges.shape[1] == r.x.shape[0] * K for r in val), "validation needs k = 16 lists"
    print(f"train: {len(train)} instances, validation {len(val)}", flush=True)
    a.run.mkdir(parents=True, exist_ok=True)
    config = dict(node_dim=NODE_FEATURES, edge_dim=EDGE_FEATURES, d=a.d, layers=a.layers)
    model = build(config)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    step, best, spent = 0, -1.0, 0.0
    last = a.run / "last.pt"
    if last.exists():
        ck = torch.load(last, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, best, spent = ck["step"], ck["best"], ck.get("seconds", 0.0)
        print(f"resumed at step {step}", flush=True)
    val_batches = [collate(val[i : i + 32]) for i in range(0, len(val), 32)]

    def evaluate() -> dict:
        model.eval()
        tot, cnt = 0.0, 0
        r = {5: [0.0, 0.0, 0.0], 8: [0.0, 0.0, 0.0]}
        with torch.no_grad():
            for b in val_batches:
                s = model(b["x"], b["edges"], b["ex"])
                tot += float(F.binary_cross_entropy_with_logits(s, b["label"], reduction="sum"))
                cnt += s.numel()
                for top in r:
                    for i, v in enumerate(recall(s, b["label"], b["n"], top)):
                        r[top][i] += v
        model.train()
        out = dict(val_loss=round(tot / max(cnt, 1), 5))
        for top, (sc, di, y) in r.items():
            out[f"recall{top}"] = round(sc / y, 5)
            out[f"recall{top}_nearest"] = round(di / y, 5)
        return out

    def save(metrics: dict, seconds: float) -> None:
        nonlocal best
        ck = dict(model=model.state_dict(), opt=opt.state_dict(), step=step,
                  best=max(best, metrics["recall5"]), config=config, seconds=seconds, metrics=metrics)
        if metrics["recall5"] > best:
            best = metrics["recall5"]
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
        s = model(b["x"], b["edges"], b["ex"])
        loss = F.binary_cross_entropy_with_logits(s, b["label"])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss = loss.item() if run_loss is None else 0.98 * run_loss + 0.02 * loss.item()
        if step % 250 == 0:
            m = evaluate()
            row = dict(step=step, minutes=round((time.time() - t0) / 60, 2), loss=round(run_loss, 5), **m)
            print(json.dumps(row), flush=True)
            log.write(json.dumps(row) + "\n")
            log.flush()
            save(m, time.time() - t0)
    m = evaluate()
    save(m, time.time() - t0)
    print(json.dumps(dict(step=step, final=m, best_recall5=round(best, 5))), flush=True)


if __name__ == "__main__":
    main()
