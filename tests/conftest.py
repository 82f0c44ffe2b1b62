"""Shared fixtures: the element types and oracles."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from torchbind._types import TYPES

MATH_TYPES = [t for t in TYPES.values() if t.math]
ALL_TYPES = list(TYPES.values())


def module(etype):
    return importlib.import_module(f"torchbind.{etype.module}")


@pytest.fixture(params=MATH_TYPES, ids=lambda t: t.name)
def T(request):
    """Each per-type module with math (every type but Half)."""
    return module(request.param)


@pytest.fixture(params=ALL_TYPES, ids=lambda t: t.name)
def AnyT(request):
    """Each per-type module, Half included."""
    return module(request.param)


def sample(T, shape, rng=None, low=None, high=None):
    """Random values that fit the type and keep products small enough not to overflow."""
    rng = rng or np.random.default_rng(0)
    dt = T.ELEMENT_TYPE.dtype
    if dt.kind == "f":
        lo, hi = -4 if low is None else low, 4 if high is None else high
        return rng.uniform(lo, hi, shape).astype(dt)
    lo = (0 if dt.kind == "u" else -5) if low is None else low
    hi = 6 if high is None else high
    return rng.integers(lo, hi, shape).astype(dt)


def views(T, a):
    """(name, tensor, numpy twin) for a contiguous tensor and non-contiguous views of it."""
    t = T.from_numpy(a)
    out = [("contiguous", t, a)]
    if a.ndim >= 2:
        out.append(("transposed", t.transpose(0, 1), a.swapaxes(0, 1)))
    if a.ndim >= 1 and a.shape[0] > 2:
        out.append(("narrowed", t.narrow(0, 1, a.shape[0] - 2), a[1:-1]))
    return out


def assert_close(actual, expected, dtype):
    actual = np.asarray(actual)
    if np.dtype(dtype).kind == "f":
        tol = {2: 1e-2, 4: 1e-4}.get(np.dtype(dtype).itemsize, 1e-10)
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(actual, expected)
