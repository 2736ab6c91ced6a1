"""Conversions of user data to the contiguous numpy arrays the Rust side reads, with errors
that name the field. Internal."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._errors import InvalidInput


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", "input.invalid", {"field": field})


def float_array(value: Any, ndim: int, field: str) -> np.ndarray:
    """`value` as a C-contiguous float64 array of `ndim` dimensions, every entry finite."""
    try:
        arr = np.ascontiguousarray(value, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise _fail(field, f"expected numbers ({e})") from None
    if arr.ndim != ndim:
        raise _fail(field, f"expected a {ndim}-dimensional array, got shape {arr.shape}")
    if arr.size and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise _fail(field, f"entry {tuple(int(i) for i in bad)} is not finite")
    return arr


def int_array(value: Any, ndim: int, field: str) -> np.ndarray:
    """`value` as a C-contiguous int64 array of `ndim` dimensions; floats must be integral."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as e:
        raise _fail(field, f"expected integers ({e})") from None
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise _fail(field, f"expected integers, got {arr.dtype} entries")
    if arr.ndim != ndim:
        raise _fail(field, f"expected a {ndim}-dimensional array, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if arr.size and not (np.isfinite(arr).all() and (arr == np.round(arr)).all()):
            bad = np.argwhere(~(np.isfinite(arr) & (arr == np.round(arr))))[0]
            raise _fail(field, f"entry {tuple(int(i) for i in bad)} is not an integer")
        if arr.size and np.abs(arr).max() > 2.0**62:
            raise _fail(field, "entries above 2^62 are not supported")
    if arr.dtype.kind == "u" and arr.size and arr.max() > np.iinfo(np.int64).max:
        raise _fail(field, "entries above 2^63 - 1 are not supported")
    return np.ascontiguousarray(arr, dtype=np.int64)


def int_rows(value: Any, field: str) -> list[np.ndarray]:
    """A table of integers with one row per job (rows may differ in length)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 2:
            raise _fail(field, f"expected a 2-dimensional array, got shape {value.shape}")
        return [int_array(row, 1, f"{field}[{j}]") for j, row in enumerate(value)]
    try:
        rows = list(value)
    except TypeError:
        raise _fail(field, "expected a sequence of rows") from None
    return [int_array(row, 1, f"{field}[{j}]") for j, row in enumerate(rows)]
