"""BQ-MDP for the CVRP: states, the imitation-learning sampler, and batched greedy decoding.

A state is the remaining sub-problem: the origin (the last customer served, or the depot before
the first), the depot (destination marker), the unserved customers with their demands, and the
capacity left in the current vehicle. Input features per node (in_dim = 4): x, y (normalised per
state), demand / capacity, and the remaining capacity / capacity on the origin's row (0 elsewhere).
The policy scores every node twice (heads_out = 2): head 0 "go there directly", head 1 "go there
via the depot" (a new route). Going directly to a customer whose demand exceeds the remaining
capacity is masked.

Labels: a solution is turned into a sequence of customers with "via depot" flags. Its routes are
put in counter-clockwise order of their centroids around the depot, starting from a random route,
each route in a random direction; so "the next route" is a learnable notion, and every suffix of
the sequence is a labelled state (the BQ trick).
"""

from __future__ import annotations

import json
import math
import random

import torch

from .model import BQPolicy, normalise, unit_box
from .tsp import SYMMETRIES


def sequences(coords, routes, rng: random.Random):
    """(customers [n], via [n] flags) of one solution for coordinates already augmented."""
    depot = coords[0]

    def angle(route):
        cx = sum(float(coords[v][0]) for v in route) / len(route) - float(depot[0])
        cy = sum(float(coords[v][1]) for v in route) / len(route) - float(depot[1])
        return math.atan2(cy, cx)

    rs = sorted((r for r in routes if r), key=angle)
    start = rng.randrange(len(rs))
    rs = rs[start:] + rs[:start]
    seq, via = [], []
    for i, r in enumerate(rs):
        r = list(r) if rng.random() < 0.5 else list(reversed(r))
        for j, v in enumerate(r):
            seq.append(v)
            via.append(j == 0 and i > 0)
    return seq, via


def augment_one(xy: torch.Tensor, rng: random.Random) -> torch.Tensor:
    swap, fx, fy = SYMMETRIES[rng.randrange(8)]
    t = xy.flip(-1) if swap else xy.clone()
    if fx:
        t[:, 0] = 1.0 - t[:, 0]
    if fy:
        t[:, 1] = 1.0 - t[:, 1]
    return t


def state_features(xy, demand, cap, origin, rem_cap, remaining):
    """Input rows [origin, depot, remaining...] x 4 features (unnormalised coordinates)."""
    sel = [origin, 0] + remaining
    f = torch.zeros(len(sel), 4)
    f[:, :2] = xy[sel]
    f[:, 2] = demand[sel] / cap
    f[0, 2] = 0.0
    f[1, 2] = 0.0
    f[0, 3] = rem_cap / cap
    return f


def sample_batch(data: dict, batch: int, rng: random.Random) -> tuple[torch.Tensor, torch.Tensor]:
    """States with the same number k of unserved customers and their targets: the index
    `2 * node + head` into the flattened [N, 2] scores."""
    coords, demands, caps, routes = data["coords"], data["demands"], data["capacity"], data["routes"]
    m, n1, _ = coords.shape
    n = n1 - 1
    k = rng.randint(1, n)  # unserved customers in the state, the target among them
    feats, targets = [], []
    for _ in range(batch):
        i = rng.randrange(m)
        xy = augment_one(coords[i], rng)
        seq, via = sequences(xy, routes[i], rng)
        t = n - k  # customers already served
        served = seq[:t]
        # Capacity used in the current route: back to the last "via" at or before t - 1.
        used = 0.0
        for j in range(t - 1, -1, -1):
            used += float(demands[i][served[j]])
            if via[j] or j == 0:
                break
        origin = served[-1] if t > 0 else 0
        rem_cap = float(caps[i]) - used if t > 0 else float(caps[i])
        remaining = seq[t:]
        rng.shuffle(remaining)
        f = state_features(xy, demands[i].float(), float(caps[i]), origin, rem_cap, remaining)
        pos = remaining.index(seq[t]) + 2
        head = 1 if via[t] else 0
        feats.append(f)
        targets.append(2 * pos + head)
    x = torch.stack(feats)
    x[..., :2] = normalise(x[..., :2])
    return x, torch.tensor(targets, dtype=torch.long)


def masked_logits(scores: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """[B, N, 2] scores -> [B, 2N] logits with origin, depot and over-capacity moves masked.
    x holds the (normalised) features the scores came from."""
    s = scores.clone()
    s[:, :2, :] = float("-inf")
    rem = x[:, 0, 3][:, None]
    s[..., 0] = s[..., 0].masked_fill(x[..., 2] > rem + 1e-6, float("-inf"))
    return s.reshape(s.shape[0], -1)


def load(path) -> dict:
    import numpy as np

    z = np.load(path)
    return dict(
        coords=unit_box(torch.tensor(z["coords"], dtype=torch.float32)),
        demands=torch.tensor(z["demands"], dtype=torch.float32),
        capacity=torch.tensor(z["capacity"], dtype=torch.float32),
        routes=[json.loads(r) for r in z["routes"]],
    )


@torch.no_grad()
def greedy(model: BQPolicy, data: dict, idx: list[int]) -> list[list[list[int]]]:
    """Greedy solutions (routes of customer ids) of instances `idx`, batched."""
    coords, demands, caps = data["coords"][idx], data["demands"][idx], data["capacity"][idx]
    b, n1, _ = coords.shape
    origin = [0] * b
    rem_cap = [float(c) for c in caps]
    remaining = [list(range(1, n1)) for _ in range(b)]
    routes: list[list[list[int]]] = [[[]] for _ in range(b)]
    while remaining[0]:
        feats = [
            state_features(coords[r], demands[r], float(caps[r]), origin[r], rem_cap[r], remaining[r])
            for r in range(b)
        ]
        x = torch.stack(feats)
        x[..., :2] = normalise(x[..., :2])
        pick = masked_logits(model(x), x).argmax(dim=1)
        for r in range(b):
            pos, head = divmod(int(pick[r]), 2)
            v = remaining[r].pop(pos - 2)
            if head == 1 and routes[r][-1]:
                routes[r].append([])
                rem_cap[r] = float(caps[r])
            routes[r][-1].append(v)
            rem_cap[r] -= float(demands[r][v])
            origin[r] = v
    return routes


def cost(coords: torch.Tensor, routes: list[list[int]]) -> float:
    total = 0.0
    for r in routes:
        path = [0] + r + [0]
        for a, b in zip(path, path[1:]):
            total += float((coords[a] - coords[b]).norm())
    return total
