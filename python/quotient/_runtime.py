"""Where the ONNX Runtime library for the neural solvers is. Internal."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path


def onnxruntime_library() -> str | None:
    """`ORT_DYLIB_PATH` when set, else the `libonnxruntime.so*` shipped by the `onnxruntime`
    package importable from this Python (found without importing it), else `None`."""
    env = os.environ.get("ORT_DYLIB_PATH")
    if env:
        return env
    try:
        spec = importlib.util.find_spec("onnxruntime")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        capi = Path(location) / "capi"
        libs = sorted(capi.glob("libonnxruntime.so*")) + sorted(capi.glob("libonnxruntime*.dylib"))
        if libs:
            return str(libs[-1])
    return None
