"""Export a trained BQ policy to ONNX, check it against PyTorch, and register it.

    python -m bq.export --ckpt runs/tsp100/best.pt --name tsp_bq --family tsp \
        --trained-sizes 100 --command "neural/train/reproduce_tsp.sh"

Writes neural/models/<name>.onnx (dynamic batch and node axes, opset 18, one file), a parity
file <name>.parity.json with a few inputs and PyTorch's outputs (the Rust test runs ort on the
same inputs: CI needs no torch), checks onnxruntime against PyTorch here (max abs diff <= 1e-4),
and writes or replaces the model's entry in neural/models/models.json (with its sha256).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import torch

from .model import build

MODELS = Path(__file__).resolve().parents[2] / "models"
TOLERANCE = 1e-4


def common_args(ap: argparse.ArgumentParser) -> None:
    """The arguments every export takes."""
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--trained-sizes", type=int, nargs="+", required=True)
    ap.add_argument("--command", required=True, help="the command that reproduces the model")
    ap.add_argument("--metrics", default="{}", help="JSON object of measured figures to record")
    ap.add_argument("--models-dir", type=Path, default=MODELS, help="where models.json lives")


def export_onnx(model: torch.nn.Module, sample: tuple, dims: dict, output: str, path: Path) -> None:
    """One-file ONNX export (opset 18) with the dynamic axes `dims` (input name -> axes)."""
    prog = torch.onnx.export(model, sample, dynamo=True, input_names=list(dims), output_names=[output],
                             dynamic_shapes=dims, opset_version=18, external_data=False)
    prog.save(str(path), external_data=False)


def save_checked(a: argparse.Namespace, ck: dict, onnx_path: Path, cases: list, worst: float, entry: dict,
                 tolerance: float = TOLERANCE) -> None:
    """Fail when onnxruntime and PyTorch differ by more than `tolerance` (TOLERANCE unless the
    model's outputs are on a larger scale); otherwise write the parity file and register `entry`
    (completed with file, sha256, parity, config and training facts)."""
    print(f"export: onnxruntime vs PyTorch max abs diff {worst:.2e}", file=sys.stderr)
    if worst > tolerance:
        sys.exit(f"export: parity check failed ({worst:.2e} > {tolerance})")
    parity = a.models_dir / f"{a.name}.parity.json"
    parity.write_text(json.dumps(dict(tolerance=tolerance, cases=cases)))
    sha = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    register(a.models_dir, dict(
        name=a.name,
        **entry,
        file=onnx_path.name,
        sha256=sha,
        trained_sizes=a.trained_sizes,
        config=ck["config"],
        parity=parity.name,
        training_command=a.command,
        trained_steps=ck["step"],
        metrics=json.loads(a.metrics),
    ))
    print(f"export: {onnx_path} ({onnx_path.stat().st_size} bytes, sha256 {sha[:12]}...) registered", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_args(ap)
    ap.add_argument("--family", required=True, choices=["tsp", "cvrp"])
    a = ap.parse_args()
    ck = torch.load(a.ckpt, map_location="cpu", weights_only=False)
    model = build(ck["config"])
    model.load_state_dict(ck["model"])
    model.eval()
    in_dim = ck["config"]["in_dim"]
    onnx_path = a.models_dir / f"{a.name}.onnx"
    sample = torch.rand(2, 20, in_dim)
    dims = {0: torch.export.Dim("batch", min=1, max=4096), 1: torch.export.Dim("nodes", min=3, max=100000)}
    export_onnx(model, (sample,), {"nodes": dims}, "scores", onnx_path)

    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    gen = torch.Generator().manual_seed(7)
    cases = []
    worst = 0.0
    for b, n in ((1, 3), (1, 12), (3, 50), (2, 101)):
        x = torch.rand(b, n, in_dim, generator=gen)
        with torch.no_grad():
            y = model(x).numpy()
        z = sess.run(["scores"], {"nodes": x.numpy()})[0]
        worst = max(worst, float(np.abs(y - z).max()))
        cases.append(dict(shape=[b, n, in_dim], input=x.flatten().tolist(), output=y.flatten().tolist()))
    save_checked(a, ck, onnx_path, cases, worst, dict(
        family=a.family,
        kind="bq",
        inputs=[f"nodes: float32 [batch, nodes, {in_dim}]"],
        outputs=[f"scores: float32 [batch, nodes, {ck['config']['heads_out']}]"],
    ))

def register(models: Path, entry: dict) -> None:
    """Write or replace `entry` (by name) in `models`/models.json."""
    reg_path = models / "models.json"
    reg = json.loads(reg_path.read_text()) if reg_path.exists() else {"models": []}
    reg["models"] = [m for m in reg["models"] if m["name"] != entry["name"]] + [entry]
    # Atomically: a running quotient may read the registry at any moment.
    tmp = reg_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(reg, indent=2) + "\n")
    tmp.replace(reg_path)


if __name__ == "__main__":
    main()
