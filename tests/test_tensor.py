"""Tensor construction, geometry, views and copies against numpy, for every type."""

from __future__ import annotations

import ctypes
import gc

import numpy as np
import pytest
from conftest import ALL_TYPES, module, sample

from torchbind import ffi
from torchbind.tensor import TENSOR_CLASSES


def arange(T, *shape):
    dt = T.ELEMENT_TYPE.dtype
    return (np.arange(int(np.prod(shape))) % 50).astype(dt).reshape(shape)


def test_from_numpy_shares_memory_both_ways(AnyT):
    a = arange(AnyT, 3, 4)
    t = AnyT.from_numpy(a)
    assert t.shape == (3, 4) and t.strides == (4, 1) and t.is_contiguous()
    b = np.asarray(t)
    assert np.shares_memory(a, b)
    b[1, 2] = 7
    assert a[1, 2] == 7
    a[0, 0] = 3
    assert np.asarray(t)[0, 0] == 3


def test_from_numpy_strided_view_is_shared(AnyT):
    a = arange(AnyT, 6, 5)
    v = a[::2, 1::2]
    t = AnyT.from_numpy(v)
    assert t.shape == v.shape and t.strides == tuple(s // a.itemsize for s in v.strides)
    np.testing.assert_array_equal(np.asarray(t), v)
    np.asarray(t)[0, 0] = 9
    assert a[0, 1] == 9


def test_from_numpy_copies_what_it_cannot_share(T):
    a = arange(T, 4, 3)[::-1]  # negative strides
    t = T.from_numpy(a)
    np.testing.assert_array_equal(np.asarray(t), a)
    f = T.from_numpy(np.arange(5.0))  # another dtype: converted copy
    assert np.asarray(f).dtype == T.ELEMENT_TYPE.dtype


def test_asarray_keeps_tensor_alive(T):
    t = T.from_numpy(arange(T, 100))
    b = np.asarray(t.narrow(0, 10, 20))
    del t
    gc.collect()
    np.testing.assert_array_equal(b, arange(T, 100)[10:30])


def test_tensor_keeps_array_alive(T):
    a = arange(T, 1000)
    t = T.from_numpy(a)
    del a
    gc.collect()
    np.testing.assert_array_equal(np.asarray(t), arange(T, 1000))


def test_empty_and_zero_size(AnyT):
    e = AnyT.empty()
    assert e.shape == (0,) and e.numel() == 0 and np.asarray(e).shape == (0,)
    z = AnyT.from_numpy(np.zeros((3, 0), AnyT.ELEMENT_TYPE.dtype))
    assert z.numel() == 0 and np.asarray(z).size == 0
    assert AnyT.empty(0).numel() == 0 and AnyT.empty(2, 0).numel() == 0


def test_views_match_numpy(AnyT):
    a = arange(AnyT, 4, 5, 6)
    t = AnyT.from_numpy(a)
    cases = [
        (t.narrow(1, 1, 3), a[:, 1:4]),
        (t.narrow(2, -2, 2), a[:, :, -2:]),
        (t.select(0, 2), a[2]),
        (t.select(-1, -1), a[..., -1]),
        (t.transpose(0, 2), a.transpose(2, 1, 0)),
        (t.select(2, 0).t(), a[:, :, 0].T),
        (t.unfold(2, 3, 2), np.lib.stride_tricks.sliding_window_view(a, 3, axis=2)[:, :, ::2]),
        (t.narrow(0, 1, 1).squeeze(), a[1]),
        (t.narrow(0, 1, 1).squeeze(0), a[1]),
        (t.unsqueeze(1), a[:, None]),
        (t.unsqueeze(-1), a[..., None]),
        (t.view(20, 6), a.reshape(20, 6)),
        (t.view(-1), a.reshape(-1)),
        (t.select(1, 0).narrow(1, 0, 1).expand(4, 6), np.broadcast_to(a[:, 0, :1], (4, 6))),
        (t.select(0, 0).select(0, 0).expand(3, 6), np.broadcast_to(a[0, 0], (3, 6))),
    ]
    for view, expect in cases:
        assert view.shape == expect.shape
        np.testing.assert_array_equal(np.asarray(view), expect)
        assert np.shares_memory(np.asarray(view), a)


def test_view_errors(AnyT):
    t = AnyT.from_numpy(arange(AnyT, 3, 4))
    with pytest.raises(IndexError):
        t.narrow(2, 0, 1)
    with pytest.raises(ValueError):
        t.narrow(0, 2, 5)
    with pytest.raises(IndexError):
        t.select(0, 3)
    with pytest.raises(IndexError):
        t.transpose(0, 5)
    with pytest.raises(ValueError):
        t.view(5, 5)
    with pytest.raises(ValueError):
        t.t().view(12)  # not contiguous
    with pytest.raises(ValueError):
        t.expand(3, 5)
    with pytest.raises(ValueError):
        t.unfold(1, 5, 1)
    with pytest.raises(ValueError):
        t.unfold(1, 2, 0)
    with pytest.raises(ValueError):
        AnyT.empty(-1)
    with pytest.raises(TypeError):
        t.narrow(0, 1.5, 1)


def test_copy_contiguous_and_resize(AnyT):
    a = arange(AnyT, 5, 4)
    t = AnyT.from_numpy(a).t()
    assert not t.is_contiguous()
    c = t.contiguous()
    assert c.is_contiguous() and not np.shares_memory(np.asarray(c), a)
    np.testing.assert_array_equal(np.asarray(c), a.T)
    d = t.copy()
    np.asarray(d)[0, 0] = 42
    assert a[0, 0] != 42
    r = AnyT.empty(2)
    r.resize_(3, 7)
    assert r.shape == (3, 7) and r.is_contiguous()
    with pytest.raises(ValueError):
        r.resize_(2, -3)


@pytest.mark.parametrize("dst", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("src", ALL_TYPES, ids=lambda t: t.name)
def test_copy_between_every_pair_of_types(src, dst):
    S, D = module(src), module(dst)
    a = (np.arange(12) % 100).astype(src.dtype).reshape(3, 4)
    s = S.from_numpy(a).t()  # strided source
    d = D.empty(4, 3)
    d.copy_(s)
    np.testing.assert_array_equal(np.asarray(d), a.T.astype(dst.dtype))
    np.testing.assert_array_equal(np.asarray(D.from_tensor(s)), a.T.astype(dst.dtype))
    # into a strided destination, and the raw C function directly
    d2 = D.from_numpy(np.zeros((3, 4), dst.dtype)).t()
    getattr(ffi.TH, f"TH{dst.name}Tensor_copy{src.name}")(d2, s)
    np.testing.assert_array_equal(np.asarray(d2), a.T.astype(dst.dtype))
    with pytest.raises(ValueError):
        D.empty(5).copy_(s)


@pytest.mark.parametrize("dst", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("src", ALL_TYPES, ids=lambda t: t.name)
def test_tiled_copies_between_every_pair_of_types(src, dst):
    """Transposed planes of at least 8x8 take the tiled copies (blocks within one type, element
    by element across types), with edges that are not a multiple of a block or a tile."""
    S, D = module(src), module(dst)
    a = (np.arange(2 * 37 * 19) % 100).astype(src.dtype).reshape(2, 37, 19)
    want = a.transpose(0, 2, 1).astype(dst.dtype)
    d = D.empty(2, 19, 37)
    d.copy_(S.from_numpy(a).transpose(1, 2))  # gather: strided source, contiguous destination
    np.testing.assert_array_equal(np.asarray(d), want)
    d2 = D.from_numpy(np.zeros((2, 37, 19), dst.dtype)).transpose(1, 2)
    d2.copy_(S.from_numpy(np.ascontiguousarray(a.transpose(0, 2, 1))))  # scatter
    np.testing.assert_array_equal(np.asarray(d2), want)


@pytest.mark.parametrize("dst", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("src", ALL_TYPES, ids=lambda t: t.name)
def test_walked_copies_between_every_pair_of_types(src, dst):
    """Copies that neither side's contiguity nor tiles serve walk both in element order, many
    lines per kernel call where the two sides' lines allow: lines of one length on both sides
    (a whole plane at once), lines of different lengths (one side's line in pieces), size-1 and
    mergeable dimensions, and an empty source with no storage."""
    S, D = module(src), module(dst)
    a = (np.arange(5 * 9 * 4) % 100).astype(src.dtype).reshape(5, 9, 4)
    sources = [a[1:4, 2:7, 1], a[:, 1:8, :].transpose(1, 0, 2)[:, :, ::3], a[:2, None, 3:, 2]]
    for v in sources:
        s = S.from_numpy(v)
        assert not s.is_contiguous()
        flat = v.reshape(-1).astype(dst.dtype)
        for shape in [v.shape, (v.size,), (v.size // v.shape[-1], 1, v.shape[-1]),
                      (v.size // 3, 3) if v.size % 3 == 0 else (1, v.size)]:
            d = D.empty(*shape)  # contiguous: one line, taken in pieces of the source's lines
            d.copy_(s)
            np.testing.assert_array_equal(np.asarray(d).reshape(-1), flat)
            big = np.zeros(shape + (2,), dst.dtype)
            d2 = D.from_numpy(big[..., 0])  # every other element: strided lines on both sides
            d2.copy_(s)
            np.testing.assert_array_equal(np.asarray(d2).reshape(-1), flat)
    D.empty(0, 3).copy_(S.empty())  # nothing to copy, from a tensor without storage


def test_get_set_through_ffi(AnyT):
    name = AnyT.ELEMENT_TYPE.name
    a = arange(AnyT, 2, 3, 4, 5)
    t = AnyT.from_numpy(a)
    th = ffi.TH
    get4 = getattr(th, f"TH{name}Tensor_get4d")
    v = get4(t, 1, 2, 3, 4)
    v = ffi.TH.TH_half2float(v) if name == "Half" else v
    assert v == a[1, 2, 3, 4]
    t1 = AnyT.from_numpy(arange(AnyT, 6))
    val = ffi.TH.TH_float2half(5.0) if name == "Half" else 5
    getattr(th, f"TH{name}Tensor_set1d")(t1, 3, val)
    assert np.asarray(t1)[3] == 5
    with pytest.raises(IndexError):
        getattr(th, f"TH{name}Tensor_get1d")(t1, 6)
    with pytest.raises(ValueError):  # wrong number of dimensions
        getattr(th, f"TH{name}Tensor_get2d")(t1, 0, 0)


def test_raw_constructors_and_geometry(AnyT):
    name = AnyT.ELEMENT_TYPE.name
    th = ffi.TH
    Tcls = TENSOR_CLASSES[name]
    t = Tcls(getattr(th, f"TH{name}Tensor_newWithSize3d")(2, 3, 4))
    assert t.shape == (2, 3, 4) and t.strides == (12, 4, 1)
    assert getattr(th, f"TH{name}Tensor_nElement")(t) == 24
    assert getattr(th, f"TH{name}Tensor_nDimension")(t) == 3
    assert getattr(th, f"TH{name}Tensor_size")(t, 1) == 3
    desc = getattr(th, f"TH{name}Tensor_desc")(t).str.decode()
    assert desc == "torch.xTensor of size 2x3x4"  # upstream's text, literal x included
    s = t.storage()
    u = Tcls(getattr(th, f"TH{name}Tensor_newWithStorage2d")(s, 2, 3, 1, 2, 3))
    assert u.shape == (3, 2) and u.storage_offset == 2
    assert getattr(th, f"TH{name}Tensor_isSetTo")(t, t) == 1
    assert getattr(th, f"TH{name}Tensor_isSameSizeAs")(t, u) == 0
    v = Tcls(getattr(th, f"TH{name}Tensor_newWithSize2d")(3, -2))  # as upstream: ends at -2
    assert v.shape == (3,)


def test_expand_nd_broadcasts(T):
    name = T.ELEMENT_TYPE.name
    a, b = T.from_numpy(arange(T, 3, 1)), T.from_numpy(arange(T, 1, 4))
    ra, rb = T.empty(), T.empty()
    ops = (ctypes.c_void_p * 2)(a.address, b.address)
    rets = (ctypes.c_void_p * 2)(ra.address, rb.address)
    getattr(ffi.TH, f"TH{name}Tensor_expandNd")(rets, ops, 2)
    x, y = np.broadcast_arrays(arange(T, 3, 1), arange(T, 1, 4))
    np.testing.assert_array_equal(np.asarray(ra), x)
    np.testing.assert_array_equal(np.asarray(rb), y)


def test_repr_tolist_item(T):
    t = T.from_numpy(np.array([1, 2, 3], T.ELEMENT_TYPE.dtype))
    assert "1" in repr(t) and T.ELEMENT_TYPE.name in repr(t)
    assert t.tolist() == [1, 2, 3] and len(t) == 3
    assert t.narrow(0, 1, 1).item() == 2
    with pytest.raises(ValueError):
        t.item()


def test_random_shapes_against_numpy(T):
    rng = np.random.default_rng(5)
    for _ in range(30):
        shape = tuple(rng.integers(1, 5, rng.integers(1, 4)))
        a = sample(T, shape, rng)
        t = T.from_numpy(a)
        d = int(rng.integers(0, len(shape)))
        start = int(rng.integers(0, shape[d]))
        length = int(rng.integers(1, shape[d] - start + 1))
        v = t.narrow(d, start, length)
        np.testing.assert_array_equal(np.asarray(v), np.take(a, range(start, start + length), d))
        expect = np.take(a, range(start, start + length), d).astype(float).sum()
        assert T.sumall(v) == pytest.approx(expect, rel=1e-5)
