"""TensorMath of issue 2 against numpy, for every type, on contiguous and strided tensors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_close, sample, views

import torchbind


def wrap(a, dtype):
    """numpy result wrapped to the type, as TH's integer arithmetic wraps."""
    return np.asarray(a).astype(dtype, casting="unsafe")


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (1,)])
def test_reductions(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    a = sample(T, shape)
    b = sample(T, shape, np.random.default_rng(1))
    for name, t, x in views(T, a):
        acc = np.float64 if dt.kind == "f" else np.int64
        assert_close(T.sumall(t), x.astype(acc).sum(), dt)
        assert_close(T.prodall(t), x.astype(acc).prod(), dt)
        assert T.maxall(t) == x.max() and T.minall(t) == x.min(), name
        assert isinstance(T.sumall(t), T.AccReal)
    for (_, t, x), (_, u, y) in zip(views(T, a), views(T, b), strict=False):
        d = T.dot(t, u)
        assert isinstance(d, T.AccReal)
        if dt.kind == "f":
            assert_close(d, (x.astype(np.float64) * y).sum(), dt)
        else:  # accumulated in real: wraps around in the type
            assert d == int(wrap((x.astype(np.int64) * y).sum(), dt))


def test_empty_reductions(T):
    e = T.empty()
    assert T.sumall(e) == 0 and T.prodall(e) == 1 and T.dot(e, e) == 0 and T.numel(e) == 0
    with pytest.raises(ValueError):
        T.maxall(e)
    with pytest.raises(ValueError):
        T.minall(e)


def test_nan_propagates_in_max():
    import torchbind.double_tensor as D
    t = D.from_numpy(np.array([1.0, np.nan, 3.0]))
    assert np.isnan(D.maxall(t)) and np.isnan(D.minall(t))


@pytest.mark.parametrize("shape", [(6,), (3, 4), (1,)])
def test_scalar_ops(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    a = sample(T, shape)
    for _name, t, x in views(T, a):
        big = x.astype(np.float64 if dt.kind == "f" else np.int64)
        assert_close(T.add(t, 3), wrap(big + 3, dt), dt)
        assert_close(T.sub(t, 2), wrap(big - 2, dt), dt)
        assert_close(T.mul(t, 3), wrap(big * 3, dt), dt)
        if dt.kind == "f":
            assert_close(T.div(t, 4), x / dt.type(4), dt)
        else:  # C division truncates toward zero
            assert_close(T.div(t, 2), wrap(np.trunc(x.astype(np.float64) / 2), dt), dt)
        f = T.empty(*x.shape)
        T.fill(f, 5)
        assert_close(f, np.full(x.shape, 5, dt), dt)
        T.zero(f)
        assert_close(f, np.zeros(x.shape, dt), dt)
        # in place on a strided view writes through to the original
        T.fill(t, 1)
        assert_close(t, np.ones(x.shape, dt), dt)


@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 2)])
def test_tensor_ops(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    big = np.float64 if dt.kind == "f" else np.int64
    a = sample(T, shape)
    b = sample(T, shape, np.random.default_rng(7), low=1)
    for (_name, t, x), (_, u, y) in zip(views(T, a), views(T, b), strict=False):
        assert_close(T.cadd(t, 2, u), wrap(x.astype(big) + 2 * y.astype(big), dt), dt)
        assert_close(T.csub(t, 2, u), wrap(x.astype(big) - 2 * y.astype(big), dt), dt)
        assert_close(T.cmul(t, u), wrap(x.astype(big) * y, dt), dt)
        if dt.kind == "f":
            assert_close(T.cdiv(t, u), x / y, dt)
        else:
            assert_close(T.cdiv(t, u), wrap(np.trunc(x.astype(np.float64) / y), dt), dt)


def test_out_argument_and_aliasing(T):
    dt = T.ELEMENT_TYPE.dtype
    a = sample(T, (5,))
    t = T.from_numpy(a.copy())
    r = T.add(t, 1, out=t)  # in place: r_ == t
    assert r is t
    assert_close(t, wrap(a.astype(np.float64 if dt.kind == "f" else np.int64) + 1, dt), dt)


def test_division_by_zero(T):
    t = T.from_numpy(np.array([1, 2, 3], T.ELEMENT_TYPE.dtype))
    if T.ELEMENT_TYPE.floating:  # IEEE: inf, no error
        assert np.isinf(np.asarray(T.div(t, 0))).all()
        return
    with pytest.raises(ValueError, match="division by zero"):
        T.div(t, 0)
    with pytest.raises(ValueError, match="division by zero"):
        T.cdiv(t, T.from_numpy(np.array([1, 0, 1], T.ELEMENT_TYPE.dtype)))


def test_int_min_divided_by_minus_one_wraps():
    import torchbind.int_tensor as I
    t = I.from_numpy(np.array([np.iinfo(np.int32).min], np.int32))
    assert I.div(t, -1).tolist() == [np.iinfo(np.int32).min]


@pytest.mark.parametrize("m,k,n", [(3, 4, 5), (1, 3, 1), (4, 1, 2), (6, 6, 6)])
def test_addmm(T, m, k, n):
    dt = T.ELEMENT_TYPE.dtype
    big = np.float64 if dt.kind == "f" else np.int64
    a, b, c = sample(T, (m, k)), sample(T, (k, n), np.random.default_rng(2)), sample(T, (m, n))
    expect = wrap(2 * c.astype(big) + 3 * (a.astype(big) @ b), dt)
    # every layout: row-major, column-major (transposed views)
    for ta in (T.from_numpy(a), T.from_numpy(np.ascontiguousarray(a.T)).t()):
        for tb in (T.from_numpy(b), T.from_numpy(np.ascontiguousarray(b.T)).t()):
            for tc in (T.from_numpy(c), T.from_numpy(np.ascontiguousarray(c.T)).t()):
                assert_close(T.addmm(2, tc, 3, ta, tb), expect, dt)
    # beta = 0 ignores t, even when t holds NaN
    if dt.kind == "f":
        nan = T.from_numpy(np.full((m, n), np.nan, dt))
        assert_close(T.addmm(0, nan, 1, T.from_numpy(a), T.from_numpy(b)),
                     a.astype(big) @ b, dt)
    # a non-contiguous operand (every other row)
    wide = sample(T, (2 * m, k))
    every_other_row = T.from_numpy(wide).unfold(0, 1, 2).select(2, 0)
    assert_close(T.addmm(1, T.from_numpy(c), 1, every_other_row, T.from_numpy(b)),
                 wrap(c.astype(big) + wide[::2].astype(big) @ b, dt), dt)


def test_addmm_shape_errors(T):
    with pytest.raises(ValueError, match="size mismatch"):
        T.addmm(1, T.zeros(2, 2), 1, T.zeros(2, 3), T.zeros(2, 2))
    with pytest.raises(ValueError, match="matrices expected"):
        T.addmm(1, T.zeros(2, 2), 1, T.zeros(4), T.zeros(2, 2))


@pytest.mark.parametrize("m,n", [(3, 4), (1, 5), (5, 1)])
def test_addmv(T, m, n):
    dt = T.ELEMENT_TYPE.dtype
    big = np.float64 if dt.kind == "f" else np.int64
    a, v, c = sample(T, (m, n)), sample(T, (n,)), sample(T, (m,))
    expect = wrap(c.astype(big) * 2 + 3 * (a.astype(big) @ v), dt)
    for ta in (T.from_numpy(a), T.from_numpy(np.ascontiguousarray(a.T)).t()):
        assert_close(T.addmv(2, T.from_numpy(c), 3, ta, T.from_numpy(v)), expect, dt)
    with pytest.raises(ValueError):
        T.addmv(1, T.zeros(m), 1, T.from_numpy(a), T.zeros(n + 1))


def test_large_blas_paths_match_numpy():
    import torchbind.double_tensor as D
    import torchbind.float_tensor as F
    rng = np.random.default_rng(3)
    a = rng.standard_normal((200, 300))
    b = rng.standard_normal((300, 100))
    np.testing.assert_allclose(D.addmm(0, D.zeros(200, 100), 1, D.from_numpy(a), D.from_numpy(b)),
                               a @ b, rtol=1e-12, atol=1e-10)
    x = rng.standard_normal(100_000).astype(np.float32)
    exact = float(x.astype(np.float64) @ x)
    assert abs(F.dot(F.from_numpy(x), F.from_numpy(x)) - exact) < 1e-2 * len(x)


def test_scalar_arguments_are_checked(T):
    t = T.zeros(3)
    if not T.ELEMENT_TYPE.floating:
        with pytest.raises(TypeError):
            T.add(t, 1.5)
        with pytest.raises(OverflowError):
            T.add(t, 10**20)
    with pytest.raises(TypeError):
        T.add(t, "one")
    with pytest.raises(TypeError):
        T.add(t)


def test_every_module_has_the_signature(AnyT):
    for name in ("Tensor", "AccReal", "read1dFile", "from_numpy", "numel"):
        assert hasattr(AnyT, name)
    if AnyT.ELEMENT_TYPE.math:
        for name in ("dot", "sumall", "prodall", "maxall", "minall", "fill", "zero", "add", "mul",
                     "div", "cadd", "csub", "cmul", "cdiv", "addmm", "addmv"):
            assert callable(getattr(AnyT, name)), name
    assert torchbind.implementation(AnyT.ELEMENT_TYPE.module) is AnyT
