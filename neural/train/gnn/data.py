"""Read the job-shop graph records written by `neural/examples/jssp_data.rs`.

Each record: little-endian u32 n, ej, em, c; f32 x[n*F]; i32 job[2*ej]; i32 mach[2*em];
i32 pairs[2*c]; f32 target[c] (1 for the expert's choices, 0 otherwise). F is 5 for the
classic job shop's policies and 9 for the blocking one (`neural/examples/blocking_data.rs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

FEATURES = 5


@dataclass
class Record:
    x: np.ndarray  # [n, F] float32
    job: np.ndarray  # [2, ej] int64
    mach: np.ndarray  # [2, em] int64
    pairs: np.ndarray  # [c, 2] int64
    target: np.ndarray  # [c] float32


def read(path: Path, features: int = FEATURES) -> list[Record]:
    buf = Path(path).read_bytes()
    out: list[Record] = []
    at = 0
    while at < len(buf):
        n, ej, em, c = np.frombuffer(buf, dtype="<u4", count=4, offset=at)
        at += 16

        def take(dtype: str, count: int) -> np.ndarray:
            nonlocal at
            a = np.frombuffer(buf, dtype=dtype, count=count, offset=at)
            at += 4 * count
            return a

        x = take("<f4", int(n) * features).reshape(int(n), features)
        job = take("<i4", 2 * int(ej)).astype(np.int64).reshape(2, int(ej))
        mach = take("<i4", 2 * int(em)).astype(np.int64).reshape(2, int(em))
        pairs = take("<i4", 2 * int(c)).astype(np.int64).reshape(int(c), 2)
        target = take("<f4", int(c)).copy()
        out.append(Record(x.copy(), job, mach, pairs, target))
    return out


def collate(recs: list[Record]) -> dict:
    """Concatenate records into one graph batch (node indices offset per record)."""
    xs, jobs, machs, pairs, graph, targets, group = [], [], [], [], [], [], []
    off = 0
    for g, r in enumerate(recs):
        n = r.x.shape[0]
        xs.append(r.x)
        jobs.append(r.job + off)
        machs.append(r.mach + off)
        pairs.append(r.pairs + off)
        graph.append(np.full(n, g, dtype=np.int64))
        targets.append(r.target)
        group.append(np.full(len(r.target), g, dtype=np.int64))
        off += n
    return dict(
        x=torch.from_numpy(np.concatenate(xs)),
        job=torch.from_numpy(np.concatenate(jobs, axis=1)),
        mach=torch.from_numpy(np.concatenate(machs, axis=1)),
        pairs=torch.from_numpy(np.concatenate(pairs)),
        graph=torch.from_numpy(np.concatenate(graph)),
        target=torch.from_numpy(np.concatenate(targets)),
        group=torch.from_numpy(np.concatenate(group)),
        graphs=len(recs),
    )
