"""Reductions, statistics, sorting and cumulative ops (generic/THTensorReduce.c) against numpy.

Every function runs through the raw ffi (C names, 0-based dimensions, 0-based index results as
upstream's C API returns them),
for every type the API table lists it for, on contiguous tensors and on transposed and narrowed
views, with keepdim both ways.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import MATH_TYPES, assert_close, module, sample, views

from torchbind import ffi
from torchbind.tensor import TENSOR_CLASSES

L = TENSOR_CLASSES["Long"]
FLOAT_TYPES = [t for t in MATH_TYPES if t.floating]
SHAPES = [(7,), (4, 5), (3, 4, 2), (1,), (1, 3), (5, 1)]


@pytest.fixture(params=FLOAT_TYPES, ids=lambda t: t.name)
def FT(request):
    """The per-type modules of Float and Double (mean, std, var, norm, ... exist only there)."""
    return module(request.param)


def th(T, name):
    return getattr(ffi.TH, T.ELEMENT_TYPE.fn(f"Tensor_{name}"))


def big(dt):
    """The numpy type a TH accumulation of dt is done in."""
    return np.float64 if np.dtype(dt).kind == "f" else np.int64


def wrap(a, dt):
    return np.asarray(a).astype(dt, casting="unsafe")


def shaped(expected, dim, keepdim, ndim):
    """numpy's keepdims=True result as TH shapes it: squeezed at dim unless keepdim or 1-d."""
    return expected if keepdim or ndim == 1 else np.squeeze(expected, axis=dim)


def all_views(T, a):
    """conftest's views plus the layouts that take other paths: narrowed along the last
    dimension (slices striding across memory), a 3-d permutation, a stride-0 expansion."""
    out = views(T, a)
    t = T.from_numpy(a)
    if a.ndim >= 2 and a.shape[-1] > 2:
        out.append(("inner-narrowed", t.narrow(a.ndim - 1, 1, a.shape[-1] - 2), a[..., 1:-1]))
    if a.ndim == 3:
        out.append(("permuted", t.transpose(0, 2), a.swapaxes(0, 2)))
    out.append(("expanded", t.unsqueeze(0).expand(2, *a.shape), np.broadcast_to(a, (2, *a.shape))))
    return out


def cases(T, shape, seed=0, **kw):
    """(view name, tensor, numpy twin, dim, keepdim) over views, dimensions and keepdim."""
    a = sample(T, shape, np.random.default_rng(seed), **kw)
    for name, t, x in all_views(T, a):
        for dim, keepdim in itertools.product(range(x.ndim), (0, 1)):
            yield name, t, x, dim, keepdim


def stable_order(x, axis, desc=False):
    """Positions in a stable ascending (or descending) sort along axis; NaN counts as largest."""
    key = x.astype(np.float64)
    if desc:
        key = np.where(np.isnan(key), -np.inf, -key)
        # NaN first in descending order: -inf sorts first; real -inf values do not occur here
    return np.argsort(key, axis=axis, kind="stable")


# ---- sum, prod, mean --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_sum_prod(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    for _, t, x, dim, keepdim in cases(T, shape, low=-2 if dt.kind != "u" else 0, high=3):
        for fn, ref in (("sum", np.sum), ("prod", np.prod)):
            r = T.empty()
            th(T, fn)(r, t, dim, keepdim)
            expected = wrap(ref(x.astype(big(dt)), axis=dim, keepdims=True), dt)
            assert_close(r, shaped(expected, dim, keepdim, x.ndim), dt)


def test_sum_wraps_and_accumulates():
    import torchbind.byte_tensor as B
    import torchbind.float_tensor as F
    x = np.full((3, 200), 200, np.uint8)
    r = B.empty()
    ffi.TH.THByteTensor_sum(r, B.from_numpy(x), 1, 0)
    assert list(np.asarray(r)) == [(200 * 200) % 256] * 3
    # float sums accumulate in double: 1 + many tiny values is not lost
    y = np.concatenate([[1.0], np.full(100000, 1e-8)]).astype(np.float32)
    r = F.empty()
    ffi.TH.THFloatTensor_sum(r, F.from_numpy(y), 0, 0)
    assert abs(float(np.asarray(r)[0]) - 1.001) < 1e-6


@pytest.mark.parametrize("shape", [(301, 257), (5, 300, 33), (7, 2100), (130, 1030)])
def test_fast_paths_large(shape):
    """Contiguous tensors take the tight-loop and row-accumulation paths (four rows at a time,
    blocks of columns, shared between threads above 100000 elements); a transposed one runs in
    memory order."""
    import torchbind.double_tensor as D
    import torchbind.int_tensor as I
    x = np.random.default_rng(3).uniform(-1, 1, shape)
    xi = np.random.default_rng(4).integers(-1000, 1000, shape).astype(np.int32)
    for dim in range(len(shape)):
        for t, a in ((D.from_numpy(x), x), (D.from_numpy(x).transpose(0, 1), x.swapaxes(0, 1))):
            for fn, ref in (("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min)):
                r = D.empty()
                if fn in ("max", "min"):
                    i = L.empty()
                    th(D, fn)(r, i, t, dim, 0)
                    arg = (np.argmax if fn == "max" else np.argmin)(a, axis=dim)
                    np.testing.assert_array_equal(np.asarray(i), arg)
                else:
                    th(D, fn)(r, t, dim, 0)
                np.testing.assert_allclose(np.asarray(r), ref(a, axis=dim), rtol=1e-12, atol=1e-12)
            for fn, ref in (("var", np.var), ("std", np.std)):
                r = D.empty()
                th(D, fn)(r, t, dim, 0, 0)
                np.testing.assert_allclose(np.asarray(r), ref(a, axis=dim, ddof=1), rtol=1e-10)
            r = D.empty()
            D_norm = th(D, "norm")
            D_norm(r, t, 2.0, dim, 0)
            np.testing.assert_allclose(np.asarray(r), np.sqrt((a * a).sum(axis=dim)), rtol=1e-12)
            r = D.empty()
            th(D, "cumsum")(r, t, dim)
            np.testing.assert_allclose(np.asarray(r), np.cumsum(a, axis=dim), rtol=1e-10,
                                       atol=1e-10)
        r = I.empty()
        ffi.TH.THIntTensor_sum(r, I.from_numpy(xi), dim, 1)
        expected = wrap(xi.astype(np.int64).sum(axis=dim, keepdims=True), np.int32)
        np.testing.assert_array_equal(np.asarray(r), expected)


@pytest.mark.parametrize("shape", SHAPES)
def test_mean(FT, shape):
    dt = FT.ELEMENT_TYPE.dtype
    for _, t, x, dim, keepdim in cases(FT, shape):
        r = FT.empty()
        th(FT, "mean")(r, t, dim, keepdim)
        expected = x.astype(np.float64).mean(axis=dim, keepdims=True)
        assert_close(r, shaped(expected, dim, keepdim, x.ndim), dt)


# ---- std, var, norm -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_std_var(FT, shape):
    dt = FT.ELEMENT_TYPE.dtype
    for _, t, x, dim, keepdim in cases(FT, shape):
        for fn, ref in (("var", np.var), ("std", np.std)):
            for biased in (0, 1):
                r = FT.empty()
                th(FT, fn)(r, t, dim, biased, keepdim)
                with np.errstate(invalid="ignore", divide="ignore"):
                    import warnings
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        expected = ref(x.astype(np.float64), axis=dim, ddof=0 if biased else 1,
                                       keepdims=True)
                assert_close(r, shaped(expected, dim, keepdim, x.ndim), dt)


def _np_norm(x, p, axis=None, keepdims=False):
    a = np.abs(x.astype(np.float64))
    if p == 0:
        return (a != 0).sum(axis=axis, keepdims=keepdims).astype(np.float64)
    if p == np.inf:
        return a.max(axis=axis, keepdims=keepdims)
    if p == -np.inf:
        return a.min(axis=axis, keepdims=keepdims)
    return (a ** p).sum(axis=axis, keepdims=keepdims) ** (1.0 / p)


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (1,)])
def test_norm(FT, shape):
    dt = FT.ELEMENT_TYPE.dtype
    for name, t, x, dim, keepdim in cases(FT, shape):
        x = np.asarray(x)
        if name == "contiguous" and x.size > 2:
            x.flat[1] = 0  # so that p = 0 counts something less than everything
        for p in (2.0, 1.0, 0.0, 3.0, 0.5, np.inf, -np.inf):
            r = FT.empty()
            th(FT, "norm")(r, t, p, dim, keepdim)
            assert_close(r, shaped(_np_norm(x, p, dim, True), dim, keepdim, x.ndim), dt)
        for p in (2.0, 1.0, 0.0, 3.0, np.inf):
            assert_close(th(FT, "normall")(t, p), _np_norm(x, p), dt)
    assert np.isclose(th(FT, "normall")(FT.from_numpy(np.array([3.0, -4.0])), 2), 5.0)
    assert th(FT, "normall")(FT.empty(), 2) == 0


def test_norm_against_linalg(FT):
    x = sample(FT, (6, 5))
    t = FT.from_numpy(x)
    for p in (1, 2, np.inf):
        assert_close(th(FT, "normall")(t, p), np.linalg.norm(x.ravel().astype(np.float64), p),
                     x.dtype)


# ---- max, min ---------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_max_min(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    for _, t, x, dim, keepdim in cases(T, shape, low=0, high=4):  # many ties
        for fn, ref, arg in (("max", np.max, np.argmax), ("min", np.min, np.argmin)):
            r, i = T.empty(), L.empty()
            th(T, fn)(r, i, t, dim, keepdim)
            assert_close(r, shaped(ref(x, axis=dim, keepdims=True), dim, keepdim, x.ndim), dt)
            idx = np.expand_dims(arg(x, axis=dim), dim)  # first of the ties, 0-based
            np.testing.assert_array_equal(np.asarray(i), shaped(idx, dim, keepdim, x.ndim))


def test_max_min_nan():
    import torchbind.double_tensor as D
    x = np.array([[1.0, np.nan, 3.0, np.nan, 2.0],
                  [4.0, 2.0, 0.0, 1.0, 7.0],
                  [np.nan, 5.0, np.nan, 0.0, 1.0]])
    # the first NaN wins, for max and min alike; both paths, along both dimensions
    for t in (D.from_numpy(x), D.from_numpy(x.T.copy()).t()):
        for fn in ("max", "min"):
            r, i = D.empty(), L.empty()
            th(D, fn)(r, i, t, 1, 0)
            v = np.array(r)  # a copy: a live view would pin r's memory, and r is resized next
            assert np.isnan(v[[0, 2]]).all() and v[1] == (7.0 if fn == "max" else 0.0)
            assert list(np.asarray(i)) == [1, 4 if fn == "max" else 2, 0]
            th(D, fn)(r, i, t, 0, 0)
            v = np.array(r)
            assert np.isnan(v[:4]).all() and v[4] == (7.0 if fn == "max" else 1.0)
            assert list(np.asarray(i)) == [2, 0, 2, 0, 1 if fn == "max" else 2]


# ---- kthvalue, median, mode, medianall ------------------------------------------------------


def _take(x, order, pos, axis):
    return np.take_along_axis(x, np.take(order, [pos], axis=axis), axis=axis)


@pytest.mark.parametrize("shape", SHAPES)
def test_kthvalue_median(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    rng = np.random.default_rng(5)
    for _, t, x, dim, keepdim in cases(T, shape, low=0, high=5):
        n = x.shape[dim]
        order = stable_order(x, dim)
        for k in sorted({1, n, int(rng.integers(1, n + 1))}):
            r, i = T.empty(), L.empty()
            th(T, "kthvalue")(r, i, t, k, dim, keepdim)
            assert_close(r, shaped(_take(x, order, k - 1, dim), dim, keepdim, x.ndim), dt)
            pos = np.take(order, [k - 1], axis=dim)
            np.testing.assert_array_equal(np.asarray(i), shaped(pos, dim, keepdim, x.ndim))
        r, i = T.empty(), L.empty()
        th(T, "median")(r, i, t, dim, keepdim)
        m = (n - 1) // 2  # the lower median
        assert_close(r, shaped(_take(x, order, m, dim), dim, keepdim, x.ndim), dt)
        np.testing.assert_array_equal(
            np.asarray(i), shaped(np.take(order, [m], axis=dim), dim, keepdim, x.ndim))


def test_medianall(T):
    for shape in [(7,), (4, 5), (3, 4, 2), (1,), (6,)]:
        a = sample(T, shape)
        for name, t, x in views(T, a):
            assert th(T, "medianall")(t) == np.sort(x.ravel())[(x.size - 1) // 2], (shape, name)
    with pytest.raises(ValueError):
        th(T, "medianall")(T.empty())


def _mode_ref(s):
    vals, counts = np.unique(s, return_counts=True)
    best = vals[np.argmax(counts)]  # the smallest of the most frequent
    return best, np.nonzero(s == best)[0][-1]  # at its last position, 0-based


@pytest.mark.parametrize("shape", SHAPES + [(3, 40)])
def test_mode(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    for _, t, x, dim, keepdim in cases(T, shape, low=0, high=4):
        r, i = T.empty(), L.empty()
        th(T, "mode")(r, i, t, dim, keepdim)
        moved = np.moveaxis(x, dim, -1)
        ev = np.empty(moved.shape[:-1], dt)
        ei = np.empty(moved.shape[:-1], np.int64)
        for idx in np.ndindex(*moved.shape[:-1]):
            ev[idx], ei[idx] = _mode_ref(moved[idx])
        ev, ei = np.expand_dims(ev, dim), np.expand_dims(ei, dim)
        assert_close(r, shaped(ev, dim, keepdim, x.ndim), dt)
        np.testing.assert_array_equal(np.asarray(i), shaped(ei, dim, keepdim, x.ndim))


def test_kth_errors(T):
    t = T.from_numpy(sample(T, (3, 4)))
    r, i = T.empty(), L.empty()
    for k in (0, 5, -1):
        with pytest.raises(ValueError):
            th(T, "kthvalue")(r, i, t, k, 1, 0)
    for dim in (2, -1):
        with pytest.raises(IndexError):
            th(T, "kthvalue")(r, i, t, 1, dim, 0)
        with pytest.raises(IndexError):
            th(T, "median")(r, i, t, dim, 0)
        with pytest.raises(IndexError):
            th(T, "mode")(r, i, t, dim, 0)
    with pytest.raises(IndexError):
        th(T, "median")(r, i, T.empty(), 0, 0)


# ---- sort, topk -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES + [(2, 300)])
def test_sort(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    for _, t, x, dim, _ in cases(T, shape, low=0, high=6):
        for desc in (0, 1):
            rt, ri = T.empty(), L.empty()
            th(T, "sort")(rt, ri, t, dim, desc)
            order = stable_order(x, dim, desc=bool(desc))
            assert_close(rt, np.take_along_axis(x, order, axis=dim), dt)
            np.testing.assert_array_equal(np.asarray(ri), order)


def test_sort_large_and_patterns(T):
    dt = T.ELEMENT_TYPE.dtype
    rng = np.random.default_rng(9)
    n = 5000
    lo, hi = (0, 120) if dt.kind in "ui" else (-50, 50)
    patterns = {
        "random": sample(T, (n,), rng, low=lo, high=hi),
        "few values": sample(T, (n,), rng, low=0, high=3),
        "sorted": np.sort(sample(T, (n,), rng, low=lo, high=hi)),
        "reversed": np.sort(sample(T, (n,), rng, low=lo, high=hi))[::-1].copy(),
        "constant": np.full(n, 2, dt),
    }
    for name, x in patterns.items():
        t = T.from_numpy(x)
        for desc in (0, 1):
            rt, ri = T.empty(), L.empty()
            th(T, "sort")(rt, ri, t, 0, desc)
            order = stable_order(x, 0, desc=bool(desc))
            np.testing.assert_array_equal(np.asarray(ri), order, err_msg=name)
        for k in (1, 17, n // 2, n):
            for d in (0, 1):
                rt, ri = T.empty(), L.empty()
                th(T, "topk")(rt, ri, t, k, 0, d, 1)
                order = stable_order(x, 0, desc=bool(d))[:k]
                np.testing.assert_array_equal(np.asarray(ri), order, err_msg=f"{name} k={k}")
        r, i = T.empty(), L.empty()
        th(T, "kthvalue")(r, i, t, n // 3, 0, 0)
        assert np.asarray(i)[0] == stable_order(x, 0)[n // 3 - 1], name


def exact_order(x, desc=False):
    """Positions in a stable sort of the 1-d x without a detour through float64 (which merges
    large longs): NaN is largest, -0.0 equals 0.0."""
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        value = np.where(nan, 0, -x if desc else x)
        return np.lexsort((value, ~nan if desc else nan))
    return np.argsort(~x if desc else x, kind="stable")  # ~ reverses the order, never overflows


def test_sort_radix_special_values(T):
    """Slices of 2500 values take the radix sort (merge sort is below 32-96 values, by width):
    extremes, both zeros and NaNs with payloads come back bit for bit, ties in their original
    order, on a strided view and in place."""
    dt = T.ELEMENT_TYPE.dtype
    rng = np.random.default_rng(5)
    if dt.kind == "f":
        fi = np.finfo(dt)
        odd_nan = np.array([np.nan], dt).view(f"u{dt.itemsize}") | 3  # a payload
        pool = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5, fi.max, fi.min,
                         fi.tiny, -fi.tiny, fi.smallest_subnormal], dt)
        pool = np.append(pool, odd_nan.view(dt))
    else:
        ii = np.iinfo(dt)
        pool = np.array([ii.min, ii.max, ii.min + 1, ii.max - 1, 0, 1] + ([-1] if ii.min else []),
                        dt)
    n = 2500
    a = np.concatenate([rng.choice(pool, n), sample(T, (n,), rng)]).reshape(n, 2)
    bits = f"u{dt.itemsize}"
    for desc in (0, 1):
        for col in (1, 0):  # strided views of a
            x = a[:, col]
            view = th(T, "newSelect")(T.from_numpy(a), 1, col)
            rt, ri = T.empty(), L.empty()
            th(T, "sort")(rt, ri, view, 0, desc)
            th(T, "free")(view)
            order = exact_order(x, bool(desc))
            np.testing.assert_array_equal(np.asarray(ri), order)
            np.testing.assert_array_equal(np.asarray(rt).view(bits), x[order].view(bits))
        y = a[:, 0].copy()
        ri = L.empty()
        t = T.from_numpy(y)
        th(T, "sort")(t, ri, t, 0, desc)  # in place
        order = exact_order(a[:, 0], bool(desc))
        np.testing.assert_array_equal(y.view(bits), a[order, 0].view(bits))
        np.testing.assert_array_equal(np.asarray(ri), order)


def test_sort_in_place_and_nan():
    import torchbind.float_tensor as F
    x = np.array([[3.0, np.nan, 1.0, 2.0, np.nan, 1.0]], np.float32)
    t = F.from_numpy(x)
    ri = L.empty()
    ffi.TH.THFloatTensor_sort(t, ri, t, 1, 0)  # in place: the values land in t itself
    np.testing.assert_array_equal(x[0, :4], [1, 1, 2, 3])
    assert np.isnan(x[0, 4:]).all()
    np.testing.assert_array_equal(np.asarray(ri)[0], [2, 5, 3, 0, 1, 4])
    y = np.array([3.0, np.nan, 1.0, np.nan], np.float32)
    rt, ri = F.empty(), L.empty()
    ffi.TH.THFloatTensor_sort(rt, ri, F.from_numpy(y), 0, 1)  # descending: NaN first
    assert np.isnan(np.asarray(rt)[:2]).all() and list(np.asarray(rt)[2:]) == [3, 1]
    np.testing.assert_array_equal(np.asarray(ri), [1, 3, 0, 2])
    # NaN counts as the largest value in kthvalue / median / topk
    r, i = F.empty(), L.empty()
    ffi.TH.THFloatTensor_median(r, i, F.from_numpy(y), 0, 0)
    assert np.asarray(r)[0] == 3 and np.asarray(i)[0] == 0
    assert ffi.TH.THFloatTensor_medianall(F.from_numpy(y)) == 3
    ffi.TH.THFloatTensor_topk(r, i, F.from_numpy(y), 1, 0, 0, 1)
    assert np.asarray(r)[0] == 1 and np.asarray(i)[0] == 2


@pytest.mark.parametrize("shape", SHAPES)
def test_topk(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    for _, t, x, dim, _ in cases(T, shape, low=0, high=6):
        n = x.shape[dim]
        for k, d in itertools.product(sorted({1, (n + 1) // 2, n}), (0, 1)):
            order = np.take(stable_order(x, dim, desc=bool(d)), range(k), axis=dim)
            rt, ri = T.empty(), L.empty()
            th(T, "topk")(rt, ri, t, k, dim, d, 1)
            assert_close(rt, np.take_along_axis(x, order, axis=dim), dt)
            np.testing.assert_array_equal(np.asarray(ri), order)
            rt, ri = T.empty(), L.empty()
            th(T, "topk")(rt, ri, t, k, dim, d, 0)  # unsorted: the same set
            got = np.sort(np.asarray(ri), axis=dim)
            np.testing.assert_array_equal(got, np.sort(order, axis=dim))
            np.testing.assert_array_equal(
                np.asarray(rt), np.take_along_axis(x, np.asarray(ri), axis=dim))


def test_topk_errors(T):
    t = T.from_numpy(sample(T, (3, 4)))
    rt, ri = T.empty(), L.empty()
    for k in (-1, 5):
        with pytest.raises(ValueError):
            th(T, "topk")(rt, ri, t, k, 1, 1, 1)
    with pytest.raises(IndexError):
        th(T, "topk")(rt, ri, t, 1, 2, 1, 1)
    with pytest.raises(IndexError):
        th(T, "sort")(rt, ri, t, 2, 0)
    with pytest.raises(IndexError):
        th(T, "sort")(rt, ri, T.empty(), 0, 0)
    with pytest.raises(ValueError):  # k = 0: upstream refuses it too
        th(T, "topk")(rt, ri, t, 0, 1, 1, 1)


# ---- cumulative -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_cumsum_cumprod(T, shape):
    dt = T.ELEMENT_TYPE.dtype
    for _, t, x, dim, keepdim in cases(T, shape, low=-2 if dt.kind != "u" else 0, high=3):
        if keepdim:
            continue
        for fn, ref in (("cumsum", np.cumsum), ("cumprod", np.cumprod)):
            r = T.empty()
            th(T, fn)(r, t, dim)
            assert_close(r, wrap(ref(x.astype(big(dt)), axis=dim), dt), dt)
    # in place
    a = sample(T, (3, 4), low=0, high=3)
    expected = wrap(np.cumsum(a.astype(big(dt)), axis=0), dt)
    t = T.from_numpy(a)
    th(T, "cumsum")(t, t, 0)
    assert_close(a, expected, dt)
    with pytest.raises(IndexError):
        th(T, "cumsum")(T.empty(), t, 2)
    with pytest.raises(IndexError):
        th(T, "cumprod")(T.empty(), T.empty(), 0)


# ---- whole-tensor statistics --------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (1,)])
def test_meanall_varall_stdall(FT, shape):
    dt = FT.ELEMENT_TYPE.dtype
    a = sample(FT, shape)
    for _, t, x in views(FT, a):
        xd = x.astype(np.float64)
        assert_close(th(FT, "meanall")(t), xd.mean(), dt)
        for biased in (0, 1):
            if x.size == 1 and not biased:
                assert np.isnan(th(FT, "varall")(t, biased))
                continue
            assert_close(th(FT, "varall")(t, biased), xd.var(ddof=1 - biased), dt)
            assert_close(th(FT, "stdall")(t, biased), xd.std(ddof=1 - biased), dt)
    for fn, args in (("meanall", ()), ("varall", (0,)), ("stdall", (1,))):
        with pytest.raises(ValueError):
            th(FT, fn)(FT.empty(), *args)


def _upstream_dist(x, y, p, dt):
    """Upstream's dist: (sum |x - y|^p)^(1/p) with the difference, power and running sum in the
    element type, in element order."""
    p = dt.type(p)
    total = dt.type(0)
    with np.errstate(all="ignore"):
        for d in (x.astype(dt) - y.astype(dt)).ravel():
            total = dt.type(total + np.power(np.abs(d), p))
        return float(np.power(total, dt.type(1.0 / float(p)) if p else dt.type(np.inf)))


def test_dist(FT):
    dt = FT.ELEMENT_TYPE.dtype
    a, b = sample(FT, (4, 5)), sample(FT, (4, 5), np.random.default_rng(2))
    for (_, t, x), (_, u, y) in zip(views(FT, a), views(FT, b), strict=True):
        for p in (2.0, 1.0, 3.0, 0.5):
            got = th(FT, "dist")(t, u, p)
            assert_close(got, _np_norm(x.astype(np.float64) - y, p), dt)
            assert_close(got, _upstream_dist(x, y, p, dt), dt)
        # upstream's arithmetic for the degenerate p: count^(1/0) = inf, sum^(1/inf) = 1
        assert th(FT, "dist")(t, u, 0.0) == np.inf
        assert th(FT, "dist")(t, u, np.inf) == 1.0
        assert th(FT, "dist")(t, u, -np.inf) == 1.0
    one = FT.from_numpy(np.array([3.0], dt))
    assert th(FT, "dist")(one, FT.from_numpy(np.array([1.0], dt)), 0.0) == 1.0
    assert th(FT, "dist")(one, one, 0.0) == 1.0  # 0^0 = 1 counts too
    # the sum runs in the element type: float's rounding shows on many elements
    big = np.full(3000, 1.0, dt)
    zero = np.zeros(3000, dt) + dt.type(0.1)
    got = th(FT, "dist")(FT.from_numpy(big), FT.from_numpy(zero), 1.0)
    assert got == _upstream_dist(big, zero, 1.0, dt)
    # same number of elements is enough (as upstream); otherwise a ValueError
    assert_close(th(FT, "dist")(FT.from_numpy(a), FT.from_numpy(b.reshape(20)), 2),
                 np.linalg.norm((a.astype(np.float64) - b).ravel()), dt)
    with pytest.raises(ValueError):
        th(FT, "dist")(FT.from_numpy(a), FT.from_numpy(b[:3]), 2)


def test_trace(T):
    dt = T.ELEMENT_TYPE.dtype
    for shape in [(4, 4), (3, 5), (5, 2), (1, 1)]:
        a = sample(T, shape)
        for _, t, x in views(T, a):
            assert_close(th(T, "trace")(t), wrap(np.trace(x.astype(big(dt))), big(dt)), dt)
    with pytest.raises(ValueError):
        th(T, "trace")(T.from_numpy(sample(T, (4,))))
    with pytest.raises(ValueError):
        th(T, "trace")(T.empty())


def test_renorm(FT):
    dt = FT.ELEMENT_TYPE.dtype
    a = sample(FT, (4, 5, 3))
    for _, t, x in views(FT, a):
        for dim, p, maxnorm in ((0, 2.0, 5.0), (1, 1.0, 4.0), (2, 3.0, 2.5), (0, 2.0, 100.0)):
            r = FT.empty()
            th(FT, "renorm")(r, t, p, dim, maxnorm)
            m = np.moveaxis(x.astype(np.float64), dim, 0)
            norms = (np.abs(m.reshape(m.shape[0], -1)) ** p).sum(1) ** (1 / p)
            scale = np.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
            expected = np.moveaxis(m * scale.reshape((-1,) + (1,) * (m.ndim - 1)), 0, dim)
            assert_close(r, expected, dt)
    # in place
    x = sample(FT, (3, 4))
    norms = np.linalg.norm(x.astype(np.float64), axis=1, keepdims=True)
    expected = x * np.where(norms > 1, 1 / (norms + 1e-7), 1)
    t = FT.from_numpy(x)
    th(FT, "renorm")(t, t, 2.0, 0, 1.0)
    assert_close(x, expected, dt)
    with pytest.raises(ValueError):
        th(FT, "renorm")(FT.empty(), t, 0.0, 0, 1.0)
    with pytest.raises(ValueError):
        th(FT, "renorm")(FT.empty(), FT.from_numpy(sample(FT, (4,))), 2.0, 0, 1.0)
    with pytest.raises(IndexError):
        th(FT, "renorm")(FT.empty(), t, 2.0, 2, 1.0)


# ---- histograms -------------------------------------------------------------------------------


def test_histc(FT):
    dt = FT.ELEMENT_TYPE.dtype
    rng = np.random.default_rng(11)
    # values between bin edges, so that rounding cannot move them
    a = (rng.integers(0, 10, (6, 7)) + 0.5).astype(dt)
    for _, t, x in views(FT, a):
        h = FT.empty()
        th(FT, "histc")(h, t, 10, 0, 10)
        np.testing.assert_array_equal(np.asarray(h), np.histogram(x, 10, (0, 10))[0])
        th(FT, "histc")(h, t, 5, 2, 6)  # out-of-range values are not counted
        np.testing.assert_array_equal(np.asarray(h), np.histogram(x, 5, (2, 6))[0])
        th(FT, "histc")(h, t, 9, 0, 0)  # min == max: the data's range
        np.testing.assert_array_equal(np.asarray(h), np.histogram(x, 9, (x.min(), x.max()))[0])
    b = rng.uniform(-3, 3, 1000).astype(dt)
    h = FT.empty()
    th(FT, "histc")(h, FT.from_numpy(b), 100, 0, 0)
    np.testing.assert_array_equal(np.asarray(h), np.histogram(b, 100)[0])
    # the maximum falls in the last bin; NaN is not counted; a constant tensor gets [v-1, v+1]
    c = np.array([0, 1, 2, 3, 4, np.nan], dt)
    th(FT, "histc")(h, FT.from_numpy(c), 4, 0, 4)
    np.testing.assert_array_equal(np.asarray(h), [1, 1, 1, 2])
    th(FT, "histc")(h, FT.from_numpy(np.full(5, 3, dt)), 4, 0, 0)
    np.testing.assert_array_equal(np.asarray(h), [0, 0, 5, 0])
    th(FT, "histc")(h, FT.empty(), 3, 0, 0)
    np.testing.assert_array_equal(np.asarray(h), [0, 0, 0])
    with pytest.raises(ValueError):
        th(FT, "histc")(h, FT.from_numpy(c), 0, 0, 1)
    with pytest.raises(ValueError):
        th(FT, "histc")(h, FT.from_numpy(c), 3, 2, 1)


def test_bhistc(FT):
    dt = FT.ELEMENT_TYPE.dtype
    rng = np.random.default_rng(12)
    a = (rng.integers(0, 8, (5, 9)) + 0.5).astype(dt)
    for _, t, x in views(FT, a):
        h = FT.empty()
        th(FT, "bhistc")(h, t, 8, 0, 8)
        np.testing.assert_array_equal(np.asarray(h), [np.histogram(row, 8, (0, 8))[0] for row in x])
        th(FT, "bhistc")(h, t, 4, 0, 0)  # one range for all rows: the whole matrix's
        rng_ = (x.min(), x.max())
        np.testing.assert_array_equal(np.asarray(h), [np.histogram(row, 4, rng_)[0] for row in x])
    with pytest.raises(ValueError):
        th(FT, "bhistc")(FT.empty(), FT.from_numpy(a[0]), 4, 0, 1)
    with pytest.raises(ValueError):
        th(FT, "bhistc")(FT.empty(), FT.from_numpy(a), 0, 0, 1)


# ---- match, logical ---------------------------------------------------------------------------


def test_match(T):
    dt = T.ELEMENT_TYPE.dtype
    a, b = sample(T, (4, 3)), sample(T, (5, 3), np.random.default_rng(1))
    for (_, t, x), (_, u, y) in zip(views(T, a), views(T, b), strict=True):
        if x.shape[1] != y.shape[1]:
            continue
        r = T.empty()
        th(T, "match")(r, t, u, 2)
        d = x.astype(big(dt))[:, None, :] - y.astype(big(dt))[None, :, :]
        assert_close(r, wrap(2 * (d * d).sum(-1), dt), dt)
    # rows are everything after the first dimension
    r = T.empty()
    c = sample(T, (2, 3, 2))
    th(T, "match")(r, T.from_numpy(c), T.from_numpy(sample(T, (4, 6))), 1)
    assert np.asarray(r).shape == (2, 4)
    with pytest.raises(ValueError):
        th(T, "match")(r, T.from_numpy(a), T.from_numpy(sample(T, (5, 2))), 1)


def test_logical():
    import torchbind.byte_tensor as B
    for x, all_, any_ in (([1, 2, 3], 1, 1), ([1, 0, 3], 0, 1), ([0, 0], 0, 0), ([5], 1, 1)):
        a = np.array(x, np.uint8)
        assert ffi.TH.THByteTensor_logicalall(B.from_numpy(a)) == all_
        assert ffi.TH.THByteTensor_logicalany(B.from_numpy(a)) == any_
    m = np.ones((3, 4), np.uint8)
    m[0, 1] = 0
    t = B.from_numpy(m)
    assert ffi.TH.THByteTensor_logicalall(t.narrow(0, 1, 2)) == 1
    assert ffi.TH.THByteTensor_logicalall(t.t()) == 0
    assert ffi.TH.THByteTensor_logicalall(B.empty()) == 1
    assert ffi.TH.THByteTensor_logicalany(B.empty()) == 0


# ---- results: reuse, aliasing, errors ---------------------------------------------------------


def test_result_reuse_and_aliasing(T):
    dt = T.ELEMENT_TYPE.dtype
    a = sample(T, (4, 6))
    expected = wrap(a.astype(big(dt)).sum(axis=1), dt)
    # a non-contiguous result of the right shape is written through its strides
    for src in (T.from_numpy(a), T.from_numpy(a.T.copy()).t()):
        backing = T.empty(4, 2)
        th(T, "fill")(backing, 7)
        r = backing.narrow(1, 0, 1)
        th(T, "sum")(r, src, 1, 1)
        assert_close(np.asarray(backing)[:, 0], expected, dt)
        assert (np.asarray(backing)[:, 1] == 7).all()
    # the result may be the input itself
    t = T.from_numpy(a.copy())
    th(T, "sum")(t, t, 1, 0)
    assert_close(t, expected, dt)
    t = T.from_numpy(a.copy())
    i = L.empty()
    th(T, "max")(t, i, t, 0, 1)
    assert_close(t, a.max(axis=0, keepdims=True), dt)
    t = T.from_numpy(a.copy())
    ri = L.empty()
    th(T, "topk")(t, ri, t, 2, 1, 1, 1)
    assert_close(t, -np.sort(-a.astype(np.float64), axis=1, kind="stable")[:, :2], dt)


def test_long_indices_may_be_the_input():
    import torchbind.long_tensor as LT
    a = np.array([[3, 1, 2], [0, 5, 4]])
    t = LT.from_numpy(a.copy())
    r = LT.empty()
    ffi.TH.THLongTensor_max(r, t, t, 1, 0)  # indices written over the input: computed first
    assert list(np.asarray(r)) == [3, 5] and list(np.asarray(t)) == [0, 1]


def test_bad_dimensions(T):
    t = T.from_numpy(sample(T, (3, 4)))
    r, i = T.empty(), L.empty()
    calls = [
        lambda d: th(T, "sum")(r, t, d, 0),
        lambda d: th(T, "prod")(r, t, d, 1),
        lambda d: th(T, "max")(r, i, t, d, 0),
        lambda d: th(T, "min")(r, i, t, d, 0),
        lambda d: th(T, "cumsum")(r, t, d),
    ]
    if T.ELEMENT_TYPE.floating:
        calls += [
            lambda d: th(T, "mean")(r, t, d, 0),
            lambda d: th(T, "std")(r, t, d, 0, 0),
            lambda d: th(T, "var")(r, t, d, 1, 0),
            lambda d: th(T, "norm")(r, t, 2.0, d, 0),
        ]
    for call in calls:
        for d in (2, -1, 100):
            with pytest.raises(IndexError):
                call(d)
    with pytest.raises(IndexError):
        th(T, "sum")(r, T.empty(), 0, 0)


def test_table_types_only():
    """Each function exists for exactly the types the API table lists."""
    for name in ("mean", "std", "var", "norm", "renorm", "meanall", "stdall", "varall", "normall",
                 "dist", "histc", "bhistc"):
        assert hasattr(ffi.TH, f"THDoubleTensor_{name}")
        assert f"THIntTensor_{name}" not in ffi.PROTOTYPES
    assert hasattr(ffi.TH, "THByteTensor_logicalall")
    assert "THFloatTensor_logicalall" not in ffi.PROTOTYPES
