"""Read the learned-ascent records written by `neural/examples/tsp_pi_data.rs` (`gen`).

Each record: little-endian u32 n, e; f32 node_x[n*2]; i32 src[e]; i32 dst[e]; f32 edge_x[e*5];
f32 target[n] (the Held-Karp penalties of quotient's own ascent, centred, divided by the graph's
distance scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from heat.data import EDGE_FEATURES, NODE_FEATURES, augment, read_graphs


@dataclass
class Record:
    x: np.ndarray  # [n, 2] float32
    edges: np.ndarray  # [2, e] int64
    ex: np.ndarray  # [e, 5] float32
    target: np.ndarray  # [n] float32


def read(path: Path) -> list[Record]:
    return [Record(x, edges, ex, target.copy())
            for x, edges, ex, target in read_graphs(path, "<f4", lambda n, e: n)]


def collate(recs: list[Record], rng=None) -> dict:
    """Concatenate records into one graph (node indices offset), with each node's graph index;
    with `rng`, each record's direction features get a random square symmetry."""
    xs, edges, exs, targets, graph = [], [], [], [], []
    off = 0
    for g, r in enumerate(recs):
        ex = augment(r.ex, rng)
        xs.append(r.x)
        edges.append(r.edges + off)
        exs.append(ex)
        targets.append(r.target)
        graph.append(np.full(r.x.shape[0], g, dtype=np.int64))
        off += r.x.shape[0]
    return dict(
        x=torch.from_numpy(np.concatenate(xs)),
        edges=torch.from_numpy(np.concatenate(edges, axis=1)),
        ex=torch.from_numpy(np.concatenate(exs)),
        target=torch.from_numpy(np.concatenate(targets)),
        graph=torch.from_numpy(np.concatenate(graph)),
        graphs=len(recs),
    )
