"""BQ-MDP for the TSP: states, the imitation-learning sampler, and batched greedy decoding.

A state of the TSP BQ-MDP is the remaining sub-problem: the origin (last node visited), the
destination (the first node of the tour) and the nodes not yet visited. Every suffix of a good
tour is a good path through its own sub-problem, so one labelled tour yields a training sample
for every position (the BQ trick), and each of the n rotations and both directions of the tour
is as good as the tour itself.
"""

from __future__ import annotations

import torch

from .model import BQPolicy, normalise

# The 8 symmetries of the unit square: (swap axes, flip x, flip y).
SYMMETRIES = [(s, fx, fy) for s in (False, True) for fx in (False, True) for fy in (False, True)]


def augment(xy: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Apply one random square symmetry per instance to coordinates in [0, 1]^2 ([B, n, 2])."""
    b = xy.shape[0]
    pick = torch.randint(0, 8, (b,), generator=gen)
    out = xy.clone()
    for i, (swap, fx, fy) in enumerate(SYMMETRIES):
        m = pick == i
        if not m.any():
            continue
        t = xy[m]
        if swap:
            t = t.flip(-1)
        if fx:
            t = torch.stack([1.0 - t[..., 0], t[..., 1]], dim=-1)
        if fy:
            t = torch.stack([t[..., 0], 1.0 - t[..., 1]], dim=-1)
        out[m] = t
    return out


def sample_batch(
    coords: torch.Tensor, tours: torch.Tensor, batch: int, gen: torch.Generator, k_min: int = 2
) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch of (state, target) pairs, all with the same number k of remaining nodes.

    coords [M, n, 2] in [0, 1]^2; tours [M, n]. Returns nodes [B, k + 2, 2] (normalised per
    state) and the target index [B] (in 2..k+2) of the node the labelled tour visits next.
    """
    m, n, _ = coords.shape
    k = int(torch.randint(k_min, n - 1, (1,), generator=gen))  # remaining nodes: 2 ..= n-2
    idx = torch.randint(0, m, (batch,), generator=gen)
    t = tours[idx]
    # Random rotation and direction of each tour.
    rot = torch.randint(0, n, (batch,), generator=gen)
    ar = torch.arange(n)
    order = (ar[None, :] + rot[:, None]) % n
    rev = torch.rand(batch, generator=gen) < 0.5
    order[rev] = order[rev].flip(-1)
    path = torch.gather(t, 1, order)  # path[:, 0] is the destination
    origin = path[:, n - k - 1]
    dest = path[:, 0]
    rem = path[:, n - k :]  # rem[:, 0] is the target
    perm = torch.randperm(k, generator=gen)
    rem = rem[:, perm]
    target = (perm == 0).nonzero()[0, 0] + 2
    sel = torch.cat([origin[:, None], dest[:, None], rem], dim=1)  # [B, k + 2]
    xy = augment(coords[idx], gen)
    nodes = torch.gather(xy, 1, sel[..., None].expand(-1, -1, 2))
    return normalise(nodes), torch.full((batch,), int(target), dtype=torch.long)


def masked_logits(scores: torch.Tensor) -> torch.Tensor:
    """[B, N, 1] scores -> [B, N] logits with the origin and destination excluded."""
    s = scores[..., 0].clone()
    s[:, :2] = float("-inf")
    return s


@torch.no_grad()
def greedy(model: BQPolicy, coords: torch.Tensor, start: int = 0) -> torch.Tensor:
    """Greedy tours [B, n] for coordinates [B, n, 2], all starting at node `start`."""
    b, n, _ = coords.shape
    ar = torch.arange(n, device=coords.device)
    origin = torch.full((b,), start, dtype=torch.long, device=coords.device)
    dest = origin.clone()
    rem = ar[ar != start].repeat(b, 1)  # [B, n - 1]
    tour = [origin]
    while rem.shape[1] > 1:
        sel = torch.cat([origin[:, None], dest[:, None], rem], dim=1)
        nodes = normalise(torch.gather(coords, 1, sel[..., None].expand(-1, -1, 2)))
        j = masked_logits(model(nodes)).argmax(dim=1) - 2
        rows = torch.arange(b, device=coords.device)
        origin = rem[rows, j]
        tour.append(origin)
        keep = torch.ones_like(rem, dtype=torch.bool)
        keep[rows, j] = False
        rem = rem[keep].view(b, -1)
    tour.append(rem[:, 0])
    return torch.stack(tour, dim=1)


def tour_length(coords: torch.Tensor, tours: torch.Tensor) -> torch.Tensor:
    """Euclidean lengths [B] (unrounded) of closed tours."""
    p = torch.gather(coords, 1, tours[..., None].expand(-1, -1, 2))
    return (p - p.roll(-1, dims=1)).norm(dim=-1).sum(dim=1)
