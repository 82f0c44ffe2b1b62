"""scripts/diff_upstream.py's rules, without an upstream library: what it lets pass as a tie."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("diff_upstream", ROOT / "scripts" /
                                                  "diff_upstream.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("diff_upstream", mod)
    spec.loader.exec_module(mod)
    return mod


def _tensor(a: np.ndarray) -> tuple:
    """An argument as the harness describes a tensor after a call."""
    a = np.asarray(a)
    return ("tensor", "Float", a.ndim, a.shape, (), 0, a.size, a)


SRC = np.array([[3.0, 1.0, 3.0, 2.0], [5.0, 5.0, 0.0, 5.0]], np.float32)


@pytest.mark.parametrize("keepdim", [False, True])
def test_any_index_of_an_equal_value_passes(harness, keepdim):
    vals = np.array([3.0, 5.0], np.float32)  # the maxima of each row (dim 1)
    for idx in ([0, 0], [2, 1], [0, 3]):
        i = np.array(idx, np.int64)
        v, i = (vals[:, None], i[:, None]) if keepdim else (vals, i)
        args = [_tensor(v), _tensor(i), _tensor(SRC), ("num", 1), ("num", int(keepdim))]
        assert harness.picks_ties(args, 3)


@pytest.mark.parametrize("idx", [[1, 0], [0, 2], [0, 4], [-1, 0]])
def test_an_index_of_another_value_or_out_of_range_fails(harness, idx):
    args = [_tensor(np.array([3.0, 5.0], np.float32)), _tensor(np.array(idx, np.int64)),
            _tensor(SRC), ("num", 1), ("num", 0)]
    assert not harness.picks_ties(args, 3)


def test_topk_rows_and_a_missing_dimension(harness):
    vals = np.array([[3.0, 3.0], [5.0, 5.0]], np.float32)
    good = [_tensor(vals), _tensor(np.array([[2, 0], [3, 1]], np.int64)), _tensor(SRC),
            ("num", 2), ("num", 1)]
    assert harness.picks_ties(good, 4)
    bad = list(good)
    bad[1] = _tensor(np.array([[2, 1], [3, 1]], np.int64))
    assert not harness.picks_ties(bad, 4)
    bad[4] = ("null",)
    assert not harness.picks_ties(bad, 4)
