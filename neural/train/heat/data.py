"""Read the TSP heatmap records written by `neural/examples/tsp_heat_data.rs`.

Each record: little-endian u32 n, e; f32 node_x[n*2]; i32 src[e]; i32 dst[e]; f32 edge_x[e*5];
u8 label[e] (1: the edge is in the labelled tour).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

NODE_FEATURES = 2
EDGE_FEATURES = 5


@dataclass
class Record:
    x: np.ndarray  # [n, 2] float32
    edges: np.ndarray  # [2, e] int64
    ex: np.ndarray  # [e, 5] float32
    label: np.ndarray  # [e] float32


def read_graphs(path: Path, target_dtype: str, target_count) -> list[tuple]:
    """The records of a graph file written through `HeatGraph::record_bytes` (the heat graph,
    then a target of `target_count(n, e)` values of `target_dtype`), as tuples
    `(x [n, 2] f32, edges [2, e] i64, ex [e, 5] f32, target)`."""
    buf = Path(path).read_bytes()
    out: list[tuple] = []
    at = 0
    while at < len(buf):
        n, e = (int(v) for v in np.frombuffer(buf, dtype="<u4", count=2, offset=at))
        at += 8

        def take(dtype: str, count: int) -> np.ndarray:
            nonlocal at
            a = np.frombuffer(buf, dtype=dtype, count=count, offset=at)
            at += np.dtype(dtype).itemsize * count
            return a

        x = take("<f4", n * NODE_FEATURES).reshape(n, NODE_FEATURES).copy()
        edges = take("<i4", 2 * e).astype(np.int64).reshape(2, e)
        ex = take("<f4", e * EDGE_FEATURES).reshape(e, EDGE_FEATURES).copy()
        out.append((x, edges, ex, take(target_dtype, target_count(n, e))))
    return out


def read(path: Path) -> list[Record]:
    return [Record(x, edges, ex, label.astype(np.float32))
            for x, edges, ex, label in read_graphs(path, "u1", lambda n, e: e)]


# The 8 symmetries of the square acting on the (dx, dy) edge features.
SYMMETRIES = [(1, 0, 0, 1), (0, 1, 1, 0), (-1, 0, 0, 1), (0, -1, 1, 0),
              (1, 0, 0, -1), (0, 1, -1, 0), (-1, 0, 0, -1), (0, -1, -1, 0)]


def augment(ex: np.ndarray, rng=None) -> np.ndarray:
    """The edge features with a random square symmetry applied to the direction features (with
    `rng`; unchanged without)."""
    if rng is None:
        return ex
    a, b, c, d = SYMMETRIES[rng.randrange(8)]
    out = ex.copy()
    dx, dy = ex[:, 1].copy(), ex[:, 2].copy()
    out[:, 1], out[:, 2] = a * dx + b * dy, c * dx + d * dy
    return out


def collate(recs: list[Record], rng=None) -> dict:
    """Concatenate records into one graph (node indices offset); with `rng`, each record's
    direction features get a random square symmetry."""
    xs, edges, exs, labels, graph = [], [], [], [], []
    off = 0
    for g, r in enumerate(recs):
        ex = augment(r.ex, rng)
        xs.append(r.x)
        edges.append(r.edges + off)
        exs.append(ex)
        labels.append(r.label)
        graph.append(np.full(r.edges.shape[1], g, dtype=np.int64))
        off += r.x.shape[0]
    return dict(
        x=torch.from_numpy(np.concatenate(xs)),
        edges=torch.from_numpy(np.concatenate(edges, axis=1)),
        ex=torch.from_numpy(np.concatenate(exs)),
        label=torch.from_numpy(np.concatenate(labels)),
        n=off,
    )
