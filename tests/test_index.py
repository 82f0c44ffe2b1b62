"""Indexing, construction and the remaining products (generic/THTensorIndex.c) against numpy,
for every type, on contiguous and strided tensors, through the raw ffi.

Index tensors taken hold 1-based values (TH_INDEX_BASE), nonzero's subscripts are 0-based (as
upstream's C API returns them); dimension arguments are 0-based."""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import math

import numpy as np
import pytest
from conftest import assert_close, module, sample, views

from torchbind import ffi
from torchbind._types import TYPES
from torchbind.errors import THError
from torchbind.storage import STORAGE_CLASSES

L = module(TYPES["Long"])
B = module(TYPES["Byte"])
FLOATING = [module(TYPES["Float"]), module(TYPES["Double"])]


# ---- helpers ---------------------------------------------------------------------------------


def th(T, name):
    """The C function TH<T>Tensor_<name>."""
    return getattr(ffi.TH, T.ELEMENT_TYPE.fn(f"Tensor_{name}"))


def strided(T, a):
    """A non-contiguous tensor holding a's values (every other element of a bigger array)."""
    a = np.asarray(a, dtype=T.ELEMENT_TYPE.dtype)
    big = np.zeros(a.shape + (2,), a.dtype)
    big[..., 0] = a
    t = T.from_numpy(big[..., 0])
    assert a.size <= 1 or not t.is_contiguous()
    return t


def layouts(T, a):
    """(name, tensor) with a's values: contiguous and strided."""
    return [("contiguous", T.from_numpy(np.array(a, dtype=T.ELEMENT_TYPE.dtype))),
            ("strided", strided(T, a))]


def index(idx0, strided_layout=False):
    """A LongTensor of the 1-based indices for 0-based idx0."""
    v = np.asarray(idx0, dtype=np.int64) + 1
    return strided(L, v) if strided_layout else L.from_numpy(v)


def mask_tensor(m, strided_layout=False):
    m = np.asarray(m, dtype=np.uint8)
    return strided(B, m) if strided_layout else B.from_numpy(m)


def long_storage(dims):
    s = STORAGE_CLASSES["Long"].new(len(dims))
    if dims:
        np.asarray(s)[:] = dims
    return s


def tensor_array(tensors):
    """A C array of the tensors' addresses: the caller keeps the tensors alive."""
    return (ctypes.c_void_p * len(tensors))(*[t.address for t in tensors])


def wrap(a, dtype):
    """numpy's exact result wrapped to the type, as TH's integer arithmetic wraps."""
    return np.asarray(a).astype(dtype, casting="unsafe")


def wide(x):
    """x in the type its exact arithmetic is checked in."""
    return x.astype(np.float64 if x.dtype.kind == "f" else np.int64)


def is_empty(t):
    """TH's empty tensor: no dimensions at all."""
    return t._struct().nDimension == 0 and t.numel() == 0


def scalars(T):
    """Two scalars that suit the type (beta, alpha)."""
    return (0.5, 2.0) if T.ELEMENT_TYPE.floating else (2, 3)


SHAPES = [(5,), (4, 6), (3, 4, 5), (1,)]


# ---- indexSelect -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_index_select(T, shape):
    rng = np.random.default_rng(1)
    a = sample(T, shape, rng)
    for _name, t, x in views(T, a):
        for dim in range(x.ndim):
            for k in (1, 3, 7):
                idx = rng.integers(0, x.shape[dim], k)
                for strided_index in (False, True):
                    r = T.empty()
                    th(T, "indexSelect")(r, t, dim, index(idx, strided_index))
                    assert_close(r, np.take(x, idx, axis=dim), x.dtype)
            # into a preallocated strided result of the right shape: written through
            idx = rng.integers(0, x.shape[dim], 3)
            want = np.take(x, idx, axis=dim)
            r = strided(T, np.zeros_like(want))
            th(T, "indexSelect")(r, t, dim, index(idx))
            assert_close(r, want, x.dtype)


def test_index_select_edges(T):
    a = sample(T, (3, 4))
    t = T.from_numpy(a)
    r = T.empty()
    th(T, "indexSelect")(r, t, 0, L.empty())
    assert is_empty(r)
    with pytest.raises(IndexError):
        th(T, "indexSelect")(r, t, 0, index([0, 3]))  # 4 is past the end
    with pytest.raises(IndexError):
        th(T, "indexSelect")(r, t, 1, L.from_numpy(np.array([0])))  # 0 is below the base
    with pytest.raises(IndexError):
        th(T, "indexSelect")(r, t, 2, index([0]))
    with pytest.raises(IndexError):
        th(T, "indexSelect")(r, t, -1, index([0]))
    with pytest.raises(ValueError):
        th(T, "indexSelect")(r, t, 0, L.from_numpy(np.ones((2, 2), np.int64)))
    with pytest.raises(IndexError):
        th(T, "indexSelect")(r, T.empty(), 0, index([0]))
    r = T.from_numpy(np.zeros((2, 4), T.ELEMENT_TYPE.dtype))
    with pytest.raises(IndexError):  # an error leaves the result as it was
        th(T, "indexSelect")(r, t, 0, index([1, 3]))
    assert np.asarray(r).shape == (2, 4) and not np.asarray(r).any()
    # the result may be the source itself
    th(T, "indexSelect")(t, t, 1, index([3, 0]))
    assert_close(t, a[:, [3, 0]], a.dtype)


# ---- indexCopy / indexAdd / indexFill --------------------------------------------------------


def moved(x, dim):
    return np.moveaxis(x, dim, 0)


@pytest.mark.parametrize("shape", SHAPES)
def test_index_copy_add_fill(T, shape):
    rng = np.random.default_rng(2)
    dt = T.ELEMENT_TYPE.dtype
    for _name, t, x in views(T, sample(T, shape, rng)):
        for dim in range(x.ndim):
            idx = rng.integers(0, x.shape[dim], 4)  # repeats on purpose
            src_shape = list(x.shape)
            src_shape[dim] = len(idx)
            src = sample(T, tuple(src_shape), rng)
            for _sname, s in layouts(T, src):
                for op in ("indexCopy", "indexAdd", "indexFill"):
                    before = x.copy()
                    want = wide(before)
                    if op == "indexCopy":
                        for i, j in enumerate(idx):  # in order: the last repeat wins
                            moved(want, dim)[j] = moved(src, dim)[i]
                        th(T, op)(t, dim, index(idx), s)
                    elif op == "indexAdd":
                        np.add.at(moved(want, dim), idx, moved(wide(src), dim))
                        th(T, op)(t, dim, index(idx, True), s)
                    else:
                        moved(want, dim)[idx] = 3
                        th(T, op)(t, dim, index(idx), 3)
                    assert_close(t, wrap(want, dt), dt)
                    np.asarray(t)[...] = before  # restore for the next operation


def test_index_copy_shapes_by_element_count(T):
    # as upstream, a source slice only needs the element count of the tensor's slice
    t = T.from_numpy(np.zeros((3, 2, 2), T.ELEMENT_TYPE.dtype))
    src = sample(T, (2, 4))
    th(T, "indexCopy")(t, 0, index([2, 0]), T.from_numpy(src))
    want = np.zeros((3, 2, 2), T.ELEMENT_TYPE.dtype)
    want[2] = src[0].reshape(2, 2)
    want[0] = src[1].reshape(2, 2)
    assert_close(t, want, want.dtype)
    # along the last dimension with a source of another shape: slices in row-major order
    x = sample(T, (2, 3))
    t = T.from_numpy(x.copy())
    src = sample(T, (1, 2, 2))
    th(T, "indexAdd")(t, 1, index([2, 2]), T.from_numpy(src))
    want = wide(x)
    want[:, 2] += wide(src[0, 0]) + wide(src[0, 1])
    assert_close(t, wrap(want, x.dtype), x.dtype)


def test_index_write_errors(T):
    a = sample(T, (3, 4))
    t = T.from_numpy(a.copy())
    before = np.asarray(t).copy()
    src = T.from_numpy(sample(T, (2, 4)))
    for op in ("indexCopy", "indexAdd"):
        with pytest.raises(IndexError):  # a valid index first: still nothing written
            th(T, op)(t, 0, index([0, 3]), src)
        with pytest.raises(IndexError):
            th(T, op)(t, 2, index([0, 1]), src)
        with pytest.raises(ValueError):  # 3 indices, 2 source slices
            th(T, op)(t, 0, index([0, 1, 2]), src)
        with pytest.raises(ValueError):  # slices of 4 and 5 elements
            th(T, op)(t, 0, index([0, 1]), T.from_numpy(sample(T, (2, 5))))
        with pytest.raises(ValueError):
            th(T, op)(t, 0, L.empty(), src)
        th(T, op)(t, 0, L.empty(), T.empty())  # nothing to do
    with pytest.raises(IndexError):
        th(T, "indexFill")(t, 1, index([1, 4]), 1)
    with pytest.raises(ValueError):
        th(T, "indexFill")(t, 1, L.from_numpy(np.ones((1, 1), np.int64)), 1)
    th(T, "indexFill")(t, 1, L.empty(), 1)
    np.testing.assert_array_equal(np.asarray(t), before)
    # the source may be the tensor itself: it is read before it is written
    x = sample(T, (4, 3))
    t = T.from_numpy(x.copy())
    th(T, "indexCopy")(t, 0, index([1, 2, 3, 0]), t)
    assert_close(t, x[[3, 0, 1, 2]], x.dtype)


def test_index_long_aliases():
    # a LongTensor may serve as its own index
    v = np.array([3, 1, 2, 2], np.int64)
    t = L.from_numpy(v.copy())
    r = L.empty()
    ffi.TH.THLongTensor_indexSelect(t, t, 0, t)
    np.testing.assert_array_equal(np.asarray(t), v[v - 1])
    t = L.from_numpy(v.copy())
    ffi.TH.THLongTensor_indexFill(t, 0, t, 7)
    want = v.copy()
    want[v - 1] = 7
    np.testing.assert_array_equal(np.asarray(t), want)
    t = L.from_numpy(v.copy())
    ffi.TH.THLongTensor_gather(r, t, 0, t)
    np.testing.assert_array_equal(np.asarray(r), v[v - 1])
    ffi.TH.THLongTensor_gather(t, t, 0, t)
    np.testing.assert_array_equal(np.asarray(t), v[v - 1])


# ---- gather / scatter ------------------------------------------------------------------------


def along(shape, dim, k, rng, unique=False):
    """0-based indices of shape `shape` with k along dim, values in [0, shape[dim]);
    unique along each line when asked."""
    ishape = list(shape)
    ishape[dim] = k
    if not unique:
        return rng.integers(0, shape[dim], ishape)
    perm = np.argsort(rng.random(shape), axis=dim)
    return np.take(perm, np.arange(k), axis=dim)


def coords(idx, dim):
    c = list(np.indices(idx.shape))
    c[dim] = idx
    return tuple(c)


@pytest.mark.parametrize("shape", SHAPES)
def test_gather(T, shape):
    rng = np.random.default_rng(3)
    for _name, t, x in views(T, sample(T, shape, rng)):
        for dim in range(x.ndim):
            for k in (1, 3):
                idx = along(x.shape, dim, k, rng)
                want = np.take_along_axis(x, idx, axis=dim)
                r = T.empty()
                th(T, "gather")(r, t, dim, index(idx))
                assert_close(r, want, x.dtype)
                r = strided(T, np.zeros_like(want))  # a result of index's size, strided
                th(T, "gather")(r, t, dim, index(idx, True))
                assert_close(r, want, x.dtype)


def test_gather_errors(T):
    x = sample(T, (3, 4))
    t = T.from_numpy(x)
    idx = index(np.zeros((2, 4), np.int64))
    with pytest.raises(ValueError):  # a non-empty result of another size
        th(T, "gather")(T.empty(2, 3), t, 0, idx)
    with pytest.raises(ValueError):  # index differs from src outside dim
        th(T, "gather")(T.empty(), t, 0, index(np.zeros((2, 3), np.int64)))
    with pytest.raises(ValueError):
        th(T, "gather")(T.empty(), t, 0, index(np.zeros(4, np.int64)))
    with pytest.raises(IndexError):
        th(T, "gather")(T.empty(), t, 0, index(np.full((2, 4), 3)))
    with pytest.raises(IndexError):
        th(T, "gather")(T.empty(), t, 2, idx)
    r = T.empty()
    th(T, "gather")(r, t, 0, L.empty())
    assert is_empty(r)
    # the result may be the source
    sq = sample(T, (3, 3))
    s = T.from_numpy(sq.copy())
    ii = np.array([[2, 0, 1], [0, 0, 0], [1, 2, 2]])
    th(T, "gather")(s, s, 1, index(ii))
    assert_close(s, np.take_along_axis(sq, ii, axis=1), sq.dtype)


@pytest.mark.parametrize("shape", SHAPES)
def test_scatter(T, shape):
    rng = np.random.default_rng(4)
    dt = T.ELEMENT_TYPE.dtype
    for _name, t, x in views(T, sample(T, shape, rng)):
        for dim in range(x.ndim):
            k = min(2, x.shape[dim])
            uidx = along(x.shape, dim, k, rng, unique=True)
            ridx = along(x.shape, dim, 3, rng)  # repeats: scatterAdd accumulates them
            for extra in (0, 2):  # src may be longer than index along dim
                sshape = list(uidx.shape)
                sshape[dim] += extra
                src = sample(T, tuple(sshape), rng)
                part = np.take(src, np.arange(k), axis=dim)
                for sname, s in layouts(T, src):
                    before = x.copy()
                    want = before.copy()
                    want[coords(uidx, dim)] = part
                    th(T, "scatter")(t, dim, index(uidx, sname == "strided"), s)
                    assert_close(t, want, dt)
                    np.asarray(t)[...] = before
            src = sample(T, ridx.shape, rng)
            for _sname, s in layouts(T, src):
                before = x.copy()
                want = wide(before)
                np.add.at(want, coords(ridx, dim), wide(src))
                th(T, "scatterAdd")(t, dim, index(ridx), s)
                assert_close(t, wrap(want, dt), dt)
                np.asarray(t)[...] = before
            want = x.copy()
            want[coords(ridx, dim)] = 5
            th(T, "scatterFill")(t, dim, index(ridx, True), 5)
            assert_close(t, want, dt)


def test_scatter_errors(T):
    x = sample(T, (3, 4))
    t = T.from_numpy(x.copy())
    src = T.from_numpy(sample(T, (2, 4)))
    bad = np.zeros((2, 4), np.int64)
    bad[1, 3] = 3  # the last element is out of range: nothing may be written before
    for op, arg in (("scatter", src), ("scatterAdd", src), ("scatterFill", 1)):
        with pytest.raises(IndexError):
            th(T, op)(t, 0, index(bad), arg)
        with pytest.raises(IndexError):
            th(T, op)(t, 2, index(np.zeros((2, 4), np.int64)), arg)
        with pytest.raises(ValueError):  # index differs from tensor outside dim
            th(T, op)(t, 0, index(np.zeros((2, 3), np.int64)), arg)
        th(T, op)(t, 0, L.empty(), arg)  # no indices: nothing to do
    with pytest.raises(ValueError):  # src shorter than index along dim
        th(T, "scatter")(t, 0, index(np.zeros((3, 4), np.int64)), src)
    with pytest.raises(ValueError):
        narrow_src = T.from_numpy(sample(T, (2, 3)))
        th(T, "scatterAdd")(t, 0, index(np.zeros((2, 4), np.int64)), narrow_src)
    np.testing.assert_array_equal(np.asarray(t), x)


# ---- masks and nonzero -----------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_masked(T, shape):
    rng = np.random.default_rng(5)
    dt = T.ELEMENT_TYPE.dtype
    for _name, t, x in views(T, sample(T, shape, rng)):
        for density in (0.0, 0.5, 1.0):
            m = (rng.random(x.shape) < density).astype(np.uint8)
            for flat in (False, True):  # a mask needs only the same number of elements
                mt = mask_tensor(m.ravel() if flat else m, strided_layout=flat)
                sel = m.astype(bool)
                r = T.empty()
                th(T, "maskedSelect")(r, t, mt)
                if sel.any():
                    assert_close(r, x[sel], dt)
                else:
                    assert is_empty(r)
                before = x.copy()
                want = before.copy()
                want[sel] = 7
                th(T, "maskedFill")(t, mt, 7)
                assert_close(t, want, dt)
                np.asarray(t)[...] = before
                src = sample(T, (int(sel.sum()) + 2,), rng)  # more elements than ones is fine
                for _sname, s in layouts(T, src):
                    want = before.copy()
                    want[sel] = src[: sel.sum()]
                    th(T, "maskedCopy")(t, mt, s)
                    assert_close(t, want, dt)
                    np.asarray(t)[...] = before


def test_masked_errors(T):
    x = sample(T, (2, 3))
    t = T.from_numpy(x.copy())
    bad = np.ones((2, 3), np.uint8)
    bad[1, 2] = 2  # only 0 and 1 are masks (as upstream); checked before writing
    for args in ((mask_tensor(bad), 1), (mask_tensor(np.ones(5, np.uint8)), 1)):
        with pytest.raises(ValueError):
            th(T, "maskedFill")(t, *args)
    with pytest.raises(ValueError):
        th(T, "maskedCopy")(t, mask_tensor(bad), T.from_numpy(sample(T, (6,))))
    with pytest.raises(ValueError):  # fewer source elements than ones
        th(T, "maskedCopy")(t, mask_tensor(np.ones((2, 3))), T.from_numpy(sample(T, (5,))))
    with pytest.raises(ValueError):
        th(T, "maskedSelect")(T.empty(), t, mask_tensor(bad))
    with pytest.raises(ValueError):
        th(T, "maskedSelect")(T.empty(), t, mask_tensor(np.ones(7, np.uint8)))
    np.testing.assert_array_equal(np.asarray(t), x)
    # empty tensors with an empty mask
    r = T.empty()
    th(T, "maskedSelect")(r, T.empty(), B.empty())
    assert is_empty(r)
    th(T, "maskedFill")(T.empty(), B.empty(), 1)
    # the result may be the source; maskedCopy may copy a tensor into itself
    m = np.array([[1, 0, 1], [0, 1, 1]], np.uint8)
    th(T, "maskedSelect")(t, t, mask_tensor(m))
    assert_close(t, x[m.astype(bool)], x.dtype)
    t = T.from_numpy(x.copy())
    th(T, "maskedCopy")(t, mask_tensor(m), t)
    want = x.copy()
    want[m.astype(bool)] = x.ravel()[:4]
    assert_close(t, want, x.dtype)


@pytest.mark.parametrize("shape", SHAPES + [(2, 1, 3, 2)])
def test_nonzero(T, shape):
    rng = np.random.default_rng(6)
    a = sample(T, shape, rng) * (rng.random(shape) < 0.6).astype(T.ELEMENT_TYPE.dtype)
    for _name, t, x in views(T, a):
        want = np.stack(np.nonzero(x), axis=1)  # 0-based, as upstream's C API
        for s in (L.empty(), strided(L, np.zeros(want.shape)) if len(want) else L.empty(3)):
            th(T, "nonzero")(s, t)
            if len(want):
                np.testing.assert_array_equal(np.asarray(s), want)
            else:
                assert is_empty(s)
    s = L.empty()
    th(T, "nonzero")(s, T.from_numpy(np.zeros(shape, T.ELEMENT_TYPE.dtype)))
    assert is_empty(s)
    th(T, "nonzero")(s, T.empty())
    assert is_empty(s)


def test_nonzero_nan_and_alias():
    D = FLOATING[1]
    s = L.empty()
    th(D, "nonzero")(s, D.from_numpy(np.array([0.0, np.nan, -0.0, 2.0])))
    np.testing.assert_array_equal(np.asarray(s), [[1], [3]])
    v = L.from_numpy(np.array([0, 5, 0, 1], np.int64))
    ffi.TH.THLongTensor_nonzero(v, v)
    np.testing.assert_array_equal(np.asarray(v), [[1], [3]])


# ---- cat -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_cat(T, shape):
    rng = np.random.default_rng(7)
    for dim in range(len(shape)):
        bshape = list(shape)
        bshape[dim] = 2
        a, b = sample(T, shape, rng), sample(T, tuple(bshape), rng)
        want = np.concatenate([a, b], axis=dim)
        for (_an, ta), (_bn, tb) in zip(layouts(T, a), layouts(T, b)[::-1], strict=True):
            r = T.empty()
            th(T, "cat")(r, ta, tb, dim)
            assert_close(r, want, a.dtype)
            c = sample(T, tuple(bshape), rng)
            r = strided(T, np.zeros(np.concatenate([a, b, c], axis=dim).shape))
            inputs = [ta, T.empty(), tb, T.from_numpy(c)]  # kept alive across the call
            th(T, "catArray")(r, tensor_array(inputs), 4, dim)
            assert_close(r, np.concatenate([a, b, c], axis=dim), a.dtype)
    # along a new trailing dimension (dimension == nDimension), as upstream
    a, b = sample(T, shape, rng), sample(T, shape, rng)
    r = T.empty()
    th(T, "cat")(r, T.from_numpy(a), T.from_numpy(b), len(shape))
    assert_close(r, np.stack([a, b], axis=-1), a.dtype)


def test_cat_edges(T):
    a, b = sample(T, (2, 3)), sample(T, (4, 3))
    ta, tb = T.from_numpy(a), T.from_numpy(b)
    r = T.empty()
    th(T, "cat")(r, ta, T.empty(), 0)  # empty inputs are skipped
    assert_close(r, a, a.dtype)
    th(T, "cat")(r, T.empty(), T.empty(), 0)  # all empty: r untouched, as upstream
    assert_close(r, a, a.dtype)
    e = T.empty()
    th(T, "cat")(e, T.empty(), T.empty(), 0)
    assert is_empty(e)
    th(T, "catArray")(r, tensor_array([ta]), 1, 1)
    assert_close(r, a, a.dtype)
    # missing trailing dimensions count as 1: (2,3) and (2,) along dim 1 give (2,4)
    v = sample(T, (2,))
    th(T, "cat")(r, ta, T.from_numpy(v), 1)
    assert_close(r, np.concatenate([a, v[:, None]], axis=1), a.dtype)
    with pytest.raises(THError):  # sizes differ outside the dimension (THError, as upstream)
        th(T, "cat")(r, ta, tb, 1)
    with pytest.raises(THError):  # a new dimension 3: the sizes in dimension 0 differ
        th(T, "cat")(r, ta, tb, 3)
    with pytest.raises(ValueError):  # negative dimensions other than -2 (Lua's -1)
        th(T, "cat")(r, ta, tb, -1)
    with pytest.raises(ValueError):
        th(T, "cat")(r, ta, tb, -3)
    with pytest.raises(ValueError):
        th(T, "catArray")(r, tensor_array([ta]), 0, 0)
    # the result may be one of the inputs
    t = T.from_numpy(a.copy())
    th(T, "catArray")(t, tensor_array([t, tb, t]), 3, 0)
    assert_close(t, np.concatenate([a, b, a]), a.dtype)


# ---- range / arange / linspace / logspace ----------------------------------------------------


def range_cases(T):
    cases = [(2, 11, 3), (10, 2, -4), (5, 5, 1), (0, 7, 1), (1, 2, 5)]
    if T.ELEMENT_TYPE.signed:
        cases += [(-3, 4, 2), (3, -4, -3)]
    if T.ELEMENT_TYPE.floating:
        cases += [(0.0, 1.0, 0.1), (2.0, 5.0, 1.2), (1.5, -2.0, -0.5)]
    return cases


def upstream_range_count(op, xmin, xmax, step, floating):
    """How many values upstream's range/arange give, or None where they raise: arange is
    range(xmin, xmax - step) when step divides xmax - xmin exactly (fmod for floats), else
    range(xmin, xmax); range gives (xmax - xmin) / step + 1, truncated."""
    if op == "arange":
        exact = math.fmod(xmax - xmin, step) == 0 if floating else (xmax - xmin) % step == 0
        if exact:
            xmax -= step
    if not ((step > 0 and xmax >= xmin) or (step < 0 and xmax <= xmin)):
        return None
    return int((xmax - xmin) / step) + 1 if floating else abs(xmax - xmin) // abs(step) + 1


def test_range_arange(T):
    dt = T.ELEMENT_TYPE.dtype
    floating = T.ELEMENT_TYPE.floating
    for xmin, xmax, step in range_cases(T):
        for op in ("range", "arange"):
            n = upstream_count = upstream_range_count(op, xmin, xmax, step, floating)
            if upstream_count is None:  # arange(x, x): upstream raises
                with pytest.raises(ValueError):
                    th(T, op)(T.empty(), xmin, xmax, step)
                continue
            want = (xmin + np.arange(n, dtype=np.float64) * step).astype(dt)
            r = T.empty()
            th(T, op)(r, xmin, xmax, step)
            assert_close(r, want, dt)
            r = strided(T, np.zeros(n))  # a strided result of the right size: filled in place
            th(T, op)(r, xmin, xmax, step)
            assert_close(r, want, dt)
            if n % 2 == 0:  # a pre-sized result of the right count keeps its shape
                base = np.zeros((n // 2, 2), dt)
                r = T.from_numpy(base)
                th(T, op)(r, xmin, xmax, step)
                assert r.shape == (n // 2, 2)
                np.testing.assert_array_equal(base.ravel(), want)
                base = np.zeros((2, n // 2), dt)
                r = T.from_numpy(base).t()  # non-contiguous: filled in element order
                th(T, op)(r, xmin, xmax, step)
                np.testing.assert_array_equal(base.T.ravel(), want)
            r = T.empty(n + 1)  # any other count: a fresh 1-d result
            th(T, op)(r, xmin, xmax, step)
            assert r.shape == (n,)
    if floating:  # upstream's arange(0, 1, 0.1): fmod(1, 0.1) != 0, so 1 - eps is reached
        r = T.empty()
        th(T, "arange")(r, 0.0, 1.0, 0.1)
        assert r.shape == (11,)
    for op in ("range", "arange"):
        with pytest.raises(ValueError):
            th(T, op)(T.empty(), 0, 5, 0)
        with pytest.raises(ValueError):
            th(T, op)(T.empty(), 0, 5, -1)
        with pytest.raises(ValueError):
            th(T, op)(T.empty(), 5, 0, 1)


def test_range_integer_extremes():
    r = L.empty()
    lo, hi = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    ffi.TH.THLongTensor_range(r, lo, hi, hi)  # the span does not fit a long
    np.testing.assert_array_equal(np.asarray(r), [lo, -1, hi - 1])
    ffi.TH.THLongTensor_arange(r, hi - 3, hi, 1)
    np.testing.assert_array_equal(np.asarray(r), [hi - 3, hi - 2, hi - 1])
    with pytest.raises(ValueError):
        ffi.TH.THLongTensor_range(r, lo, hi, 1)  # far too many elements


def upstream_spaced(a, b, n, dt, log):
    """Upstream's linspace/logspace: a + i (b - a) / (n - 1) in the element type (i a counter
    of that type), 10 to that power for logspace."""
    real = dt.type
    a, b = real(a), real(b)
    with np.errstate(all="ignore"):
        xs = [a] if n == 1 else [real(a + real(real(i) * real(b - a)) / real(n - 1))
                                 for i in range(n)]
        return np.array([_libm_pow10(x, dt) if log else x for x in xs], dt)


def _libm_pow10(x, dt):
    """10^x by the C library's pow/powf, as TH computes it (numpy's power may differ by an ulp)."""
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    f = libm.powf if dt == np.float32 else libm.pow
    ctype = ctypes.c_float if dt == np.float32 else ctypes.c_double
    f.restype, f.argtypes = ctype, [ctype, ctype]
    return dt.type(f(10.0, float(x)))


@pytest.mark.parametrize("T", FLOATING, ids=["Float", "Double"])
def test_linspace_logspace(T):
    dt = T.ELEMENT_TYPE.dtype
    for a, b, n in ((0, 1, 5), (-2, 3, 7), (3, -1, 2), (1, 1, 1), (0.5, 0.5, 4), (-1, 2, 100),
                    (0.1, 0.7, 10)):
        for op, log in (("linspace", False), ("logspace", True)):
            want = upstream_spaced(a, b, n, dt, log)
            ref = np.logspace(a, b, n) if log else np.linspace(a, b, n)
            tol = 1e-5 if dt == np.float32 else 1e-12
            np.testing.assert_allclose(want, ref.astype(dt), rtol=tol)
            r = T.empty()
            th(T, op)(r, a, b, n)
            np.testing.assert_array_equal(np.asarray(r), want)  # upstream's bits
            r = strided(T, np.zeros(n))  # right count: filled in place
            th(T, op)(r, a, b, n)
            np.testing.assert_array_equal(np.asarray(r), want)
            if n % 2 == 0:
                base = np.zeros((2, n // 2), dt)
                r = T.from_numpy(base).t()  # keeps its shape, filled in element order
                th(T, op)(r, a, b, n)
                assert r.shape == (n // 2, 2)
                np.testing.assert_array_equal(base.T.ravel(), want)
    for op in ("linspace", "logspace"):
        for a, b, n in ((0, 1, 1), (0, 1, 0), (0, 0, -3)):
            with pytest.raises(ValueError):
                th(T, op)(T.empty(), a, b, n)


def test_linspace_types():
    # exported for the floating types only, as upstream
    for name in ("Byte", "Char", "Short", "Int", "Long"):
        assert not hasattr(ffi.lib, f"TH{name}Tensor_linspace")
        assert not hasattr(ffi.lib, f"TH{name}Tensor_logspace")


# ---- eye / diag / tril / triu ----------------------------------------------------------------


def test_eye(T):
    dt = T.ELEMENT_TYPE.dtype
    for n, m in ((3, 0), (3, -1), (2, 5), (4, 2), (1, 1), (1, 0)):
        r = T.empty()
        th(T, "eye")(r, n, m)
        assert_close(r, np.eye(n, m if m > 0 else n, dtype=dt), dt)
    r = strided(T, np.full((3, 3), 9))
    th(T, "eye")(r, 3, 3)
    assert_close(r, np.eye(3, dtype=dt), dt)
    with pytest.raises(ValueError):
        th(T, "eye")(T.empty(), 0, 3)


@pytest.mark.parametrize("shape", [(4,), (1,), (3, 5), (5, 3), (1, 1)])
def test_diag(T, shape):
    rng = np.random.default_rng(8)
    for _name, t, x in views(T, sample(T, shape, rng)):
        for k in range(-6, 7):
            r = T.empty()
            want = np.diag(x, k)
            if want.size:
                th(T, "diag")(r, t, k)
                assert_close(r, want, x.dtype)
            else:  # an empty diagonal of a matrix: upstream empties r, then raises
                r = T.zeros(2)
                with pytest.raises(ValueError, match="is empty"):
                    th(T, "diag")(r, t, k)
                assert is_empty(r)
    x = sample(T, shape, rng)
    t = T.from_numpy(x.copy())
    if np.diag(x, -1).size:
        th(T, "diag")(t, t, -1)  # the result may be the input
        assert_close(t, np.diag(x, -1), x.dtype)


def test_diag_errors(T):
    with pytest.raises(ValueError):
        th(T, "diag")(T.empty(), T.from_numpy(sample(T, (2, 2, 2))), 0)
    with pytest.raises(ValueError):
        th(T, "diag")(T.empty(), T.empty(), 0)


@pytest.mark.parametrize("shape", [(4, 6), (5, 3), (1, 1), (1, 4)])
def test_tril_triu(T, shape):
    rng = np.random.default_rng(9)
    for _name, t, x in views(T, sample(T, shape, rng)):
        for k in range(-6, 8):
            for op, ref in (("tril", np.tril), ("triu", np.triu)):
                r = T.empty()
                th(T, op)(r, t, k)
                assert_close(r, ref(x, k), x.dtype)
                r = strided(T, np.zeros(x.shape))
                th(T, op)(r, t, k)
                assert_close(r, ref(x, k), x.dtype)
    x = sample(T, shape, rng)
    t = T.from_numpy(x.copy()).transpose(0, 1)
    th(T, "triu")(t, t, 0)  # in place, on a transposed view
    assert_close(t, np.triu(x.T), x.dtype)
    for bad in (T.from_numpy(sample(T, (3,))), T.from_numpy(sample(T, (2, 2, 2))), T.empty()):
        for op in ("tril", "triu"):
            with pytest.raises(ValueError):
                th(T, op)(T.empty(), bad, 0)


# ---- cross -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape,dim", [((3,), 0), ((3, 4), 0), ((4, 3), 1), ((2, 3, 5), 1),
                                       ((2, 3, 3), -1), ((5, 2, 3), -1)])
def test_cross(T, shape, dim):
    rng = np.random.default_rng(10)
    dt = T.ELEMENT_TYPE.dtype
    a, b = sample(T, shape, rng), sample(T, shape, rng)
    checked = 0
    for (_an, ta, x), (_bn, tb, y) in zip(views(T, a), views(T, b), strict=True):
        if 3 not in x.shape or (dim >= 0 and x.shape[dim] != 3):
            continue
        axis = dim if dim >= 0 else x.shape.index(3)  # -1: the first dimension of size 3
        r = T.empty()
        th(T, "cross")(r, ta, tb, dim)
        assert_close(r, wrap(np.cross(wide(x), wide(y), axis=axis), dt), dt)
        checked += 1
    assert checked >= 1
    # the result may be an input
    axis = dim if dim >= 0 else shape.index(3)
    ta = T.from_numpy(a.copy())
    th(T, "cross")(ta, ta, T.from_numpy(b), dim)
    assert_close(ta, wrap(np.cross(wide(a), wide(b), axis=axis), dt), dt)


def test_cross_errors(T):
    a = T.from_numpy(sample(T, (3, 4)))
    with pytest.raises(ValueError):
        th(T, "cross")(T.empty(), a, T.from_numpy(sample(T, (3, 5))), 0)
    with pytest.raises(ValueError):
        th(T, "cross")(T.empty(), a, a, 1)  # size 4, not 3
    with pytest.raises(IndexError):
        th(T, "cross")(T.empty(), a, a, 2)
    b = T.from_numpy(sample(T, (2, 4)))
    with pytest.raises(ValueError):
        th(T, "cross")(T.empty(), b, b, -1)  # no dimension of size 3
    with pytest.raises(ValueError):
        th(T, "cross")(T.empty(), T.empty(), T.empty(), -1)


# ---- zeros / ones / *Like / reshape ----------------------------------------------------------


def test_zeros_ones(T):
    dt = T.ELEMENT_TYPE.dtype
    for dims in ((2, 3, 4), (5,), (1,), (2, 1, 1, 2, 1)):
        for op, val in (("zeros", 0), ("ones", 1)):
            r = T.empty()
            th(T, op)(r, long_storage(dims))
            assert_close(r, np.full(dims, val, dt), dt)
            r = strided(T, np.full(dims, 9))
            th(T, op)(r, long_storage(dims))
            assert_close(r, np.full(dims, val, dt), dt)
    for dims in ((0,), ()):
        r = T.empty(2, 2)
        th(T, "ones")(r, long_storage(dims))
        assert is_empty(r)
    for dims in ((2, 0, 3), (2, -1, 5)):  # C, as upstream: the sizes end at the first <= 0
        r = T.empty()
        th(T, "ones")(r, long_storage(dims))
        assert r.shape == (2,) and np.asarray(r).tolist() == [1, 1]
    assert T.ones((2, 0)).shape == (0,)  # the module function: numpy's meaning
    with pytest.raises(ValueError):
        T.zeros(2, -1)
    with pytest.raises(TypeError, match="cannot be NULL"):  # refused before it reaches C
        th(T, "zeros")(T.empty(), None)


def test_zeros_ones_like(T):
    dt = T.ELEMENT_TYPE.dtype
    for shape in ((3, 4), (2, 3, 2), (1,)):
        for _name, t, x in views(T, sample(T, shape)):
            for op, val in (("zerosLike", 0), ("onesLike", 1)):
                r = T.empty()
                th(T, op)(r, t)
                assert_close(r, np.full(x.shape, val, dt), dt)
            th(T, "onesLike")(t, t)  # in place
            assert_close(t, np.ones(x.shape, dt), dt)
    r = T.empty(3)
    th(T, "zerosLike")(r, T.empty())
    assert is_empty(r)


def test_reshape(T):
    x = sample(T, (3, 4))
    for _name, t, v in views(T, x):
        for dims in ((v.size,), (2, v.size // 2), (1, v.size), (v.size // 2, 1, 2)):
            r = T.empty()
            th(T, "reshape")(r, t, long_storage(dims))
            assert_close(r, v.reshape(dims), v.dtype)
            r = strided(T, np.zeros(dims))
            th(T, "reshape")(r, t, long_storage(dims))
            assert_close(r, v.reshape(dims), v.dtype)
        with pytest.raises(ValueError):
            th(T, "reshape")(T.empty(), t, long_storage((5, 5)))
        with pytest.raises(ValueError):
            th(T, "reshape")(T.empty(), t, long_storage((-1, v.size)))
    t = T.from_numpy(x.copy()).t()
    th(T, "reshape")(t, t, long_storage((2, 6)))  # the result may be the input
    assert_close(t, x.T.reshape(2, 6), x.dtype)
    r = T.empty()
    th(T, "reshape")(r, T.empty(), long_storage((0, 3)))
    assert is_empty(r)


# ---- addr / addbmm / baddbmm -----------------------------------------------------------------


def result_layouts(T, shape):
    """Results to write into: fresh, column-major, and with no unit stride (copied through)."""
    dt = T.ELEMENT_TYPE.dtype
    col = T.from_numpy(np.zeros(shape[::-1], dt)).t() if len(shape) == 2 else T.empty()
    return [("fresh", T.empty()), ("column-major", col), ("strided", strided(T, np.zeros(shape)))]


@pytest.mark.parametrize("m,n", [(3, 4), (1, 5), (4, 1), (1, 1)])
def test_addr(T, m, n):
    rng = np.random.default_rng(11)
    dt = T.ELEMENT_TYPE.dtype
    beta, alpha = scalars(T)
    t, v1, v2 = sample(T, (m, n), rng), sample(T, (m,), rng), sample(T, (n,), rng)
    outer = np.outer(wide(v1), wide(v2))
    for _tn, tt, x in views(T, t):
        if x.shape != (m, n):
            continue
        for (_an, ta), (_bn, tb) in itertools.product(layouts(T, v1), layouts(T, v2)):
            for _rn, r in result_layouts(T, (m, n)):
                for b_ in (beta, 0, 1):
                    th(T, "addr")(r, b_, tt, alpha, ta, tb)
                    assert_close(r, wrap(b_ * wide(x) + alpha * outer, dt), dt)
    # in place, on a transposed view
    tt = T.from_numpy(t.T.copy()).t()
    th(T, "addr")(tt, beta, tt, alpha, T.from_numpy(v1), T.from_numpy(v2))
    assert_close(tt, wrap(beta * wide(t) + alpha * outer, dt), dt)


def test_addr_beta_zero_ignores_nan():
    D = FLOATING[1]
    t = D.from_numpy(np.full((2, 2), np.nan))
    r = D.empty()
    ffi.TH.THDoubleTensor_addr(r, 0.0, t, 1.0, D.from_numpy(np.ones(2)), D.from_numpy(np.ones(2)))
    np.testing.assert_array_equal(np.asarray(r), np.ones((2, 2)))


def test_addr_errors(T):
    t = T.from_numpy(sample(T, (3, 4)))
    v3, v4 = T.from_numpy(sample(T, (3,))), T.from_numpy(sample(T, (4,)))
    with pytest.raises(ValueError):
        th(T, "addr")(T.empty(), 1, t, 1, v4, v3)
    with pytest.raises(ValueError):
        th(T, "addr")(T.empty(), 1, t, 1, t, v4)
    with pytest.raises(ValueError):
        th(T, "addr")(T.empty(), 1, t, 1, v3, T.empty())


def batches(T, rng, b, n, k, m):
    b1, b2 = sample(T, (b, n, k), rng), sample(T, (b, k, m), rng)
    # a permuted layout: stored (n, b, k), viewed as (b, n, k)
    perm = T.from_numpy(np.ascontiguousarray(b1.transpose(1, 0, 2)).transpose(1, 0, 2))
    return b1, b2, [(T.from_numpy(b1), T.from_numpy(b2)), (strided(T, b1), perm_b2(T, b2)),
                    (perm, strided(T, b2))]


def perm_b2(T, b2):
    return T.from_numpy(np.ascontiguousarray(b2.transpose(0, 2, 1)).transpose(0, 2, 1))


@pytest.mark.parametrize("b,n,k,m", [(3, 2, 4, 5), (1, 3, 3, 3), (2, 1, 1, 1), (4, 5, 1, 2)])
def test_addbmm_baddbmm(T, b, n, k, m):
    rng = np.random.default_rng(12)
    dt = T.ELEMENT_TYPE.dtype
    beta, alpha = scalars(T)
    b1, b2, pairs = batches(T, rng, b, n, k, m)
    t2, t3 = sample(T, (n, m), rng), sample(T, (b, n, m), rng)
    summed = np.einsum("bik,bkj->ij", wide(b1), wide(b2))
    each = np.einsum("bik,bkj->bij", wide(b1), wide(b2))
    for ta, tb in pairs:
        for b_ in (beta, 0):
            for _rn, r in result_layouts(T, (n, m)):
                th(T, "addbmm")(r, b_, T.from_numpy(t2), alpha, ta, tb)
                assert_close(r, wrap(b_ * wide(t2) + alpha * summed, dt), dt)
            for _rn, r in result_layouts(T, (b, n, m)):
                th(T, "baddbmm")(r, b_, strided(T, t3), alpha, ta, tb)
                assert_close(r, wrap(b_ * wide(t3) + alpha * each, dt), dt)
    # in place
    r = T.from_numpy(t2.copy())
    th(T, "addbmm")(r, beta, r, alpha, *pairs[0])
    assert_close(r, wrap(beta * wide(t2) + alpha * summed, dt), dt)
    r = T.from_numpy(t3.copy())
    th(T, "baddbmm")(r, beta, r, alpha, *pairs[1])
    assert_close(r, wrap(beta * wide(t3) + alpha * each, dt), dt)


def test_batched_errors(T):
    rng = np.random.default_rng(13)
    b1, b2 = T.from_numpy(sample(T, (2, 3, 4), rng)), T.from_numpy(sample(T, (2, 4, 5), rng))
    t2, t3 = T.from_numpy(sample(T, (3, 5), rng)), T.from_numpy(sample(T, (2, 3, 5), rng))
    other = T.from_numpy(sample(T, (3, 4, 5), rng))
    for op, t in (("addbmm", t2), ("baddbmm", t3)):
        with pytest.raises(ValueError):  # batch counts differ
            th(T, op)(T.empty(), 1, t, 1, b1, other)
        with pytest.raises(ValueError):  # inner sizes differ
            th(T, op)(T.empty(), 1, t, 1, b1, b1)
        with pytest.raises(ValueError):
            th(T, op)(T.empty(), 1, t, 1, t2, b2)
        with pytest.raises(ValueError):  # t of the wrong size
            th(T, op)(T.empty(), 1, t3 if op == "addbmm" else t2, 1, b1, b2)


def test_cat_minus_two_is_the_last_dimension():
    """C dimension -2 (Lua's -1 after its bindings take 1 off) concatenates along the last
    dimension of the widest input, as upstream; other negative dimensions are errors."""
    D = FLOATING[1]
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(4.0).reshape(2, 2)
    r = D.empty()
    th(D, "cat")(r, D.from_numpy(a), D.from_numpy(b).t().t(), -2)
    np.testing.assert_array_equal(np.asarray(r), np.concatenate([a, b], axis=1))
    keep = [D.from_numpy(a), D.from_numpy(a.T.copy()).t()]  # alive while C reads them
    inputs = (ctypes.c_void_p * 2)(*[t.address for t in keep])
    th(D, "catArray")(r, inputs, 2, -2)
    np.testing.assert_array_equal(np.asarray(r), np.concatenate([a, a], axis=1))
    v = D.from_numpy(np.array([1.0, 2.0]))
    th(D, "cat")(r, v, v, -2)  # 1-d inputs: their only dimension
    np.testing.assert_array_equal(np.asarray(r), [1.0, 2.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="invalid dimension"):  # upstream's arg check
        th(D, "cat")(r, v, v, -3)
