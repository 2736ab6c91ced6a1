"""Export a trained job-shop graph policy to ONNX, check it against PyTorch, and register it.

    python -m gnn.export --ckpt runs/jssp-dispatch/best.pt --name jssp_dispatch_gnn \
        --trained-sizes 100 225 --command "neural/train/reproduce_jssp.sh"

Writes neural/models/<name>.onnx (one graph; dynamic node, arc and candidate counts, opset 18),
a parity file <name>.parity.json with a few random graphs and PyTorch's scores (the Rust test
re-runs them through ort), checks onnxruntime against PyTorch here (max abs diff <= 1e-4), and
registers the model in neural/models/models.json with its sha256.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from bq.export import common_args, export_onnx, save_checked

from .model import OneGraph, build


def random_graph(n: int, c: int, gen: torch.Generator, f: int = 5) -> tuple[torch.Tensor, ...]:
    x = torch.rand(n, f, generator=gen)
    job = torch.randint(0, n, (2, max(1, n - 1)), generator=gen)
    mach = torch.randint(0, n, (2, max(1, n // 2)), generator=gen)
    pairs = torch.randint(0, n, (c, 2), generator=gen)
    return x, job, mach, pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_args(ap)
    a = ap.parse_args()
    ck = torch.load(a.ckpt, map_location="cpu", weights_only=False)
    policy = build(ck["config"])
    policy.load_state_dict(ck["model"])
    model = OneGraph(policy).eval()
    f = int(ck["config"]["in_dim"])
    onnx_path = a.models_dir / f"{a.name}.onnx"
    gen = torch.Generator().manual_seed(7)
    sample = random_graph(30, 7, gen, f)
    big = 100_000_000
    dims = {
        "x": {0: torch.export.Dim("nodes", min=1, max=big)},
        "job": {1: torch.export.Dim("job_arcs", min=1, max=big)},
        "mach": {1: torch.export.Dim("machine_arcs", min=1, max=big)},
        "pairs": {0: torch.export.Dim("candidates", min=1, max=big)},
    }
    export_onnx(model, sample, dims, "scores", onnx_path)

    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    cases, worst = [], 0.0
    for n, c in ((1, 1), (4, 2), (50, 9), (230, 15)):
        x, job, mach, pairs = random_graph(n, c, gen, f)
        with torch.no_grad():
            y = model(x, job, mach, pairs).numpy()
        z = sess.run(["scores"], dict(x=x.numpy(), job=job.numpy(), mach=mach.numpy(), pairs=pairs.numpy()))[0]
        worst = max(worst, float(np.abs(y - z).max()))
        cases.append(dict(n=n, x=x.flatten().tolist(), job=job.flatten().tolist(), mach=mach.flatten().tolist(),
                          pairs=pairs.flatten().tolist(), output=y.tolist()))
    save_checked(a, ck, onnx_path, cases, worst, dict(
        family="jssp",
        kind="gnn",
        inputs=[f"x: float32 [nodes, {f}]", "job: int64 [2, job_arcs]", "mach: int64 [2, machine_arcs]",
                "pairs: int64 [candidates, 2]"],
        outputs=["scores: float32 [candidates]"],
    ))


if __name__ == "__main__":
    main()
