"""Train a job-shop graph policy by imitation (behaviour cloning with off-path states).

    python -m gnn.train --data data/jssp/dispatch.bin --run runs/jssp-dispatch --minutes 20

Why imitation and not REINFORCE/PPO (as L2D and L2S do): the expert is available and cheap —
for dispatching, placing operations in the order of a tabu-search schedule's start times rebuilds
that schedule, so "the candidate the expert starts first" is an exact target at every state; for
improvement, the move of smallest exact makespan after it is what the tabu search approximates with
its estimates. Supervised targets at every state give far more signal per CPU second than
episode-level rewards, which matters on a 2-core machine; the data generator leaves the expert's
path with probability EPS so the policy also sees states its own mistakes lead to.

Loss: per state, cross-entropy of the softmax over its candidates against the uniform
distribution over the expert's choices. Checkpoints (last.pt, best.pt by validation accuracy:
share of states where the top-scored candidate is one of the expert's) are resumable.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import torch

from .data import collate, read
from .model import build


def group_loss(scores: torch.Tensor, target: torch.Tensor, group: torch.Tensor, groups: int):
    """Mean cross-entropy over groups and the number of groups whose argmax is a target."""
    m = torch.full((groups,), -1e30).scatter_reduce(0, group, scores, reduce="amax", include_self=True)
    z = scores - m.index_select(0, group)
    e = torch.exp(z)
    denom = torch.zeros(groups).index_add(0, group, e)
    logp = z - torch.log(denom).index_select(0, group)
    tsum = torch.zeros(groups).index_add(0, group, target).clamp(min=1e-9)
    w = target / tsum.index_select(0, group)
    loss = -(torch.zeros(groups).index_add(0, group, w * logp)).mean()
    is_max = (scores >= m.index_select(0, group)).float()
    # A group is right when its (first) maximum is a target: approximate with any max that is.
    hit = torch.zeros(groups).index_add(0, group, is_max * (target > 0).float()) > 0
    return loss, int(hit.sum())


def common_args(ap: argparse.ArgumentParser, d: int, layers: int, batch: int, minutes: float, val: int,
                val_help: str) -> None:
    """The arguments the graph trainings (this one and `heat.train`) share, with their defaults."""
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--d", type=int, default=d)
    ap.add_argument("--layers", type=int, default=layers)
    ap.add_argument("--batch", type=int, default=batch)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--minutes", type=float, default=minutes)
    ap.add_argument("--val", type=int, default=val, help=val_help)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)


def seeded_split(a: argparse.Namespace, recs: list) -> tuple[list, list, random.Random]:
    """Set torch's threads and seed, shuffle the records with a seeded generator (returned for
    the training loop) and hold the first `--val` out: (train, validation, generator)."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    rng.shuffle(recs)
    return recs[a.val :], recs[: a.val], rng


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_args(ap, d=64, layers=3, batch=32, minutes=20, val=1000, val_help="records held out for validation")
    ap.add_argument("--steps", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=5, help="features per operation (blocking policy: 9)")
    a = ap.parse_args()
    train, val, rng = seeded_split(a, read(a.data, a.features))
    print(f"train: {len(train)} states, validation {len(val)}", flush=True)
    a.run.mkdir(parents=True, exist_ok=True)
    config = dict(in_dim=a.features, d=a.d, layers=a.layers)
    model = build(config)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    step, best = 0, -1.0
    last = a.run / "last.pt"
    if last.exists():
        ck = torch.load(last, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, best = ck["step"], ck["best"]
        print(f"resumed at step {step}", flush=True)
    val_batches = [collate(val[i : i + 64]) for i in range(0, len(val), 64)]

    def evaluate() -> tuple[float, float]:
        model.eval()
        tot, hits, n = 0.0, 0, 0
        with torch.no_grad():
            for b in val_batches:
                s = model.forward_batch(b["x"], b["job"], b["mach"], b["pairs"], b["graph"], b["graphs"])
                loss, h = group_loss(s, b["target"], b["group"], b["graphs"])
                tot += float(loss) * b["graphs"]
                hits += h
                n += b["graphs"]
        model.train()
        return tot / max(n, 1), hits / max(n, 1)

    log = (a.run / "log.jsonl").open("a")
    t0 = time.time()
    run_loss = 0.0
    while step < a.steps and time.time() - t0 < a.minutes * 60:
        b = collate(rng.sample(train, min(a.batch, len(train))))
        s = model.forward_batch(b["x"], b["job"], b["mach"], b["pairs"], b["graph"], b["graphs"])
        loss, _ = group_loss(s, b["target"], b["group"], b["graphs"])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step > 1 else loss.item()
        if step % 200 == 0:
            vl, acc = evaluate()
            row = dict(step=step, minutes=round((time.time() - t0) / 60, 2), loss=round(run_loss, 4),
                       val_loss=round(vl, 4), val_acc=round(acc, 4))
            print(json.dumps(row), flush=True)
            log.write(json.dumps(row) + "\n")
            log.flush()
            ck = dict(model=model.state_dict(), opt=opt.state_dict(), step=step, best=max(best, acc), config=config)
            if acc > best:
                best = acc
                torch.save(ck, a.run / "best.pt")
            torch.save(ck, last)
    vl, acc = evaluate()
    ck = dict(model=model.state_dict(), opt=opt.state_dict(), step=step, best=max(best, acc), config=config)
    if acc > best:
        torch.save(ck, a.run / "best.pt")
    torch.save(ck, last)
    print(json.dumps(dict(step=step, val_loss=round(vl, 4), val_acc=round(acc, 4), best=round(max(best, acc), 4))))


if __name__ == "__main__":
    main()
