"""Export a trained TSP heatmap to ONNX, check it against PyTorch, and register it.

    python -m heat.export --ckpt runs/tsp-heat/best.pt --name tsp_heatmap_gnn \
        --trained-sizes 100 --command "neural/train/reproduce_heat.sh"

Writes neural/models/<name>.onnx (one graph; dynamic node and edge counts, opset 18), a parity file
<name>.parity.json with a few random graphs and PyTorch's logits (the Rust test re-runs them through
ort), checks onnxruntime against PyTorch here (max abs diff <= 1e-4), and registers the model in
neural/models/models.json with its sha256.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from bq.export import common_args, export_onnx, save_checked

from .data import EDGE_FEATURES, NODE_FEATURES
from .model import build


def random_graph(n: int, k: int, gen: torch.Generator) -> tuple[torch.Tensor, ...]:
    x = torch.rand(n, NODE_FEATURES, generator=gen) * 2
    src = torch.arange(n).repeat_interleave(k)
    dst = (src + torch.randint(1, max(2, n), (n * k,), generator=gen)) % n
    ex = torch.randn(n * k, EDGE_FEATURES, generator=gen)
    return x, torch.stack([src, dst]), ex


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_args(ap)
    a = ap.parse_args()
    ck = torch.load(a.ckpt, map_location="cpu", weights_only=False)
    model = build(ck["config"])
    model.load_state_dict(ck["model"])
    model.eval()
    onnx_path = a.models_dir / f"{a.name}.onnx"
    gen = torch.Generator().manual_seed(7)
    sample = random_graph(30, 4, gen)
    big = 100_000_000
    dims = {
        "x": {0: torch.export.Dim("nodes", min=1, max=big)},
        "edges": {1: torch.export.Dim("edges", min=1, max=big)},
        "ex": {0: torch.export.Dim("edges", min=1, max=big)},
    }
    export_onnx(model, sample, dims, "logits", onnx_path)

    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    cases, worst = [], 0.0
    for n, k in ((2, 1), (5, 2), (40, 6), (120, 16)):
        x, edges, ex = random_graph(n, k, gen)
        with torch.no_grad():
            y = model(x, edges, ex).numpy()
        z = sess.run(["logits"], dict(x=x.numpy(), edges=edges.numpy(), ex=ex.numpy()))[0]
        worst = max(worst, float(np.abs(y - z).max()))
        cases.append(dict(n=n, x=x.flatten().tolist(), edges=edges.flatten().tolist(), ex=ex.flatten().tolist(),
                          output=y.tolist()))
    save_checked(a, ck, onnx_path, cases, worst, dict(
        family="tsp",
        kind="heatmap",
        inputs=[f"x: float32 [nodes, {NODE_FEATURES}]", "edges: int64 [2, edges]",
                f"ex: float32 [edges, {EDGE_FEATURES}]"],
        outputs=["logits: float32 [edges]"],
    ))


if __name__ == "__main__":
    main()
