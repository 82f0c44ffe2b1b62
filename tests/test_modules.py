"""The per-type modules reach every TensorMath function of the table, for exactly the types
that have it, by _generic's rule; index tensors are 0-based at the Python boundary."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import MATH_TYPES, module

import torchbind.double_tensor as D
import torchbind.float_tensor as F
import torchbind.long_tensor as L
from torchbind import _generic, _plan, ffi
from torchbind.generator import Generator


@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_every_table_function_is_reachable_for_exactly_its_types(etype):
    T = module(etype)
    for proto in ffi.PROTOTYPES.values():
        if not (proto.family or "").startswith("Tensor_"):
            continue
        name = proto.family[len("Tensor_"):]
        if not _plan.plan(proto).module_function:  # the tensor's own structure: methods
            continue
        py = _generic.snake(name)
        has = any(p.type == etype.name and p.family == proto.family
                  for p in ffi.PROTOTYPES.values())
        assert hasattr(T, py) == has, (etype.name, py)


def test_sort_and_topk_indices_are_zero_based():
    a = np.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    values, indices = D.sort(D.from_numpy(a), 1, 0)
    np.testing.assert_array_equal(np.asarray(values), np.sort(a, 1))
    np.testing.assert_array_equal(np.asarray(indices), np.argsort(a, 1, kind="stable"))
    v, i = D.topk(D.from_numpy(a), 2, 1, 1, 1)
    np.testing.assert_array_equal(np.asarray(v), [[3, 2], [5, 4]])
    np.testing.assert_array_equal(np.asarray(i), [[0, 2], [1, 2]])
    m, mi = D.max(D.from_numpy(a), 0, 1)
    np.testing.assert_array_equal(np.asarray(mi), [[0, 1, 1]])


def test_gather_scatter_index_select_nonzero_are_zero_based():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([[0, 3], [2, 1], [1, 1]])
    np.testing.assert_array_equal(np.asarray(F.gather(F.from_numpy(a), 1, L.from_numpy(idx))),
                                  np.take_along_axis(a, idx, 1))
    np.testing.assert_array_equal(
        np.asarray(F.index_select(F.from_numpy(a), 0, L.from_numpy(np.array([2, 0])))), a[[2, 0]])
    t = F.zeros(3, 4)
    F.index_fill(t, 1, L.from_numpy(np.array([1, 3])), 7.0)
    assert np.asarray(t)[:, [1, 3]].tolist() == [[7, 7]] * 3
    nz = L.nonzero(L.from_numpy(np.array([[0, 2], [3, 0]])))
    np.testing.assert_array_equal(np.asarray(nz), np.argwhere(np.array([[0, 2], [3, 0]])))
    with pytest.raises((IndexError, ValueError)):
        F.index_select(F.from_numpy(a), 0, L.from_numpy(np.array([3])))  # 0-based: 3 is out


def test_reductions_and_pointwise_through_modules():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 5))
    t = D.from_numpy(a).t()  # strided
    np.testing.assert_allclose(np.asarray(D.sum(t, 0, 0)), a.T.sum(0))
    np.testing.assert_allclose(np.asarray(D.mean(t, 1, 1)), a.T.mean(1, keepdims=True))
    np.testing.assert_allclose(np.asarray(D.std(t, 1, 0, 0)), a.T.std(1, ddof=1))
    np.testing.assert_allclose(np.asarray(D.cumsum(t, 1)), np.cumsum(a.T, 1))
    np.testing.assert_allclose(np.asarray(D.exp(t)), np.exp(a.T))
    np.testing.assert_allclose(np.asarray(D.sigmoid(t)), 1 / (1 + np.exp(-a.T)))
    assert np.asarray(D.gt_value(t, 0.0)).dtype == np.uint8
    np.testing.assert_array_equal(np.asarray(t > 0), (a.T > 0).astype(np.uint8))


def test_linear_algebra_through_modules():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 4)) + 4 * np.eye(4)
    b = rng.standard_normal((4, 2))
    x, lu = D.gesv(D.from_numpy(b), D.from_numpy(a))
    np.testing.assert_allclose(np.asarray(x), np.linalg.solve(a, b), rtol=1e-10)
    q, r = D.qr(D.from_numpy(a))
    np.testing.assert_allclose(np.asarray(q) @ np.asarray(r), a, atol=1e-12)
    lu3, piv, info = F.btrifact(1, F.from_numpy(a[None].astype(np.float32)))
    x3 = F.btrisolve(F.from_numpy(b[None, :, 0].astype(np.float32)), lu3, piv)
    np.testing.assert_allclose(np.asarray(x3)[0], np.linalg.solve(a, b[:, 0]), rtol=1e-4)


def test_random_through_modules_with_a_generator():
    g = Generator()
    ffi.TH.THRandom_manualSeed(g, 42)
    t = D.empty(5)
    D.uniform(t, 0.0, 1.0, generator=g)
    g.manual_seed(42)
    u = D.empty(5)
    D.uniform(u, 0.0, 1.0, generator=g)
    assert t.tolist() == u.tolist()
    s = D.multinomial(D.from_numpy(np.array([0.0, 1.0, 0.0])), 4, 1, generator=g)
    assert np.asarray(s).tolist() == [1, 1, 1, 1]  # 0-based category 1


def test_module_functions_take_only_objects_of_their_class():
    """Raw addresses are for ffi: a module function refuses them (they used to reach C)."""
    t = D.from_numpy(np.array([3.0, 1.0, 2.0]))
    g = ffi.TH.THGenerator_new()
    try:
        with pytest.raises(TypeError, match="Generator"):
            D.uniform(t, 0.0, 1.0, generator=g)
    finally:
        ffi.TH.THGenerator_free(g)
    with pytest.raises(TypeError):
        D.uniform(t, 0.0, 1.0, generator=1)
    for out in [(12345, None), (None, 12345), 12345, t, [t, None], (None, None, None)]:
        with pytest.raises(TypeError):
            D.sort(t, 0, 0, out=out)
        with pytest.raises(TypeError):
            D.max(t, 0, 1, out=out)
    with pytest.raises(TypeError):
        D.add(t, 1.0, out=12345)
    with pytest.raises(TypeError):
        D.add(12345, 1.0)
    with pytest.raises(TypeError):
        D.cat_array([t, 12345], 0)


@pytest.mark.parametrize("call", [
    lambda F, L, t: F.empty(2**64 + 5),
    lambda F, L, t: t.select(0, 2**64 + 1),
    lambda F, L, t: F.sum(t, 2**32 + 1, 0),
    lambda F, L, t: F.sum(t, 0, 2**64),
    lambda F, L, t: F.topk(t, 2**64 + 2, 0, 0, 1),
    lambda F, L, t: F.narrow(t, 0, 0, 2**63) if hasattr(F, "narrow") else t.narrow(0, 0, 2**63),
    lambda F, L, t: F.index_select(t, 2**31, L.from_numpy(np.array([0]))),
    lambda F, L, t: F.eye(2**64 + 1, 1),
    lambda F, L, t: L.add(L.from_numpy(np.arange(3)), 2**64),
])
def test_integer_arguments_out_of_range_overflow(call):
    """ctypes wraps out-of-range ints silently (2**64 + 5 became 5): every one is checked."""
    import torchbind.long_tensor as L
    t = D.from_numpy(np.arange(6.0).reshape(2, 3))
    with pytest.raises((OverflowError, ValueError)):
        call(D, L, t)
