"""Export the learned ascent to ONNX, check it against PyTorch, and register it.

    python -m pi.export --ckpt runs/tsp-pi/best.pt --name tsp_pi_gnn \
        --trained-sizes 100 1000 --command "neural/train/reproduce_pi.sh"

Writes neural/models/<name>.onnx (dynamic node and edge counts, opset 18), the parity file
<name>.parity.json (random graphs and PyTorch's outputs, re-run through ort by the Rust test),
and registers the model in neural/models/models.json with its sha256 (kind `penalties`).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import torch

from bq.export import TOLERANCE, common_args, export_onnx, save_checked
from heat.export import random_graph

from .data import EDGE_FEATURES, NODE_FEATURES
from .model import build


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
    export_onnx(model, sample, dims, "pi", onnx_path)

    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    cases, worst, scale = [], 0.0, 1.0
    for n, k in ((2, 1), (5, 2), (40, 6), (120, 16)):
        x, edges, ex = random_graph(n, k, gen)
        with torch.no_grad():
            y = model(x, edges, ex).numpy()
        z = sess.run(["pi"], dict(x=x.numpy(), edges=edges.numpy(), ex=ex.numpy()))[0]
        worst = max(worst, float(np.abs(y - z).max()))
        scale = max(scale, float(np.abs(y).max()))
        cases.append(dict(n=n, x=x.flatten().tolist(), edges=edges.flatten().tolist(), ex=ex.flatten().tolist(),
                          output=y.tolist()))
    # The outputs are penalties in units of the nearest-neighbour distance (a warm start that the
    # ascent goes on from): ten times the usual tolerance, relative to the largest output (the
    # float32 sums of the six residual layers differ by up to about 7e-4 of it).
    print(f"export: largest output {scale:.1f}", file=sys.stderr)
    save_checked(a, ck, onnx_path, cases, worst, dict(
        family="tsp",
        kind="penalties",
        inputs=[f"x: float32 [nodes, {NODE_FEATURES}]", "edges: int64 [2, edges]",
                f"ex: float32 [edges, {EDGE_FEATURES}]"],
        outputs=["pi: float32 [nodes] (Held-Karp penalty / distance scale; centred by the caller)"],
    ), tolerance=10 * TOLERANCE * scale)


if __name__ == "__main__":
    main()
