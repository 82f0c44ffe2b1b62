"""torchbind's own C functions (torchbind/th_ext.tsv), which upstream's libTH lacks: through
ffi by their C names, and the fast paths that use them against the upstream calls they replace
(taken when the library lacks them)."""

from __future__ import annotations

import numpy as np
import pytest

from torchbind import errors, ffi
from torchbind.storage import (
    STORAGE_CLASSES,
    TH_STORAGE_FREEMEM,
    TH_STORAGE_RESIZABLE,
    StorageStruct,
    _pin_by_steps,
)
from torchbind.tensor import TENSOR_CLASSES, TensorStruct

TYPES = list(TENSOR_CLASSES)
TH_STORAGE_REFCOUNTED = 1


def _fn(t: str, family: str):
    return getattr(ffi.TH, f"TH{t}{family}")


@pytest.mark.parametrize("t", TYPES)
@pytest.mark.parametrize("shape", [(1,), (5,), (2, 3), (1, 4, 1), (2, 3, 4, 5)])
def test_new_with_foreign_data_is_a_contiguous_view_that_never_frees(t, shape):
    cls = TENSOR_CLASSES[t]
    a = np.zeros(int(np.prod(shape)), dtype=cls.etype.dtype)
    padded = (*shape, 1, 1, 1)[:4]
    ptr = _fn(t, "Tensor_newWithForeignData")(a.ctypes.data, len(shape), *padded)
    s = TensorStruct.from_address(ptr)
    assert tuple(s.size[:s.nDimension]) == shape
    strides = tuple(int(np.prod(shape[d + 1:])) for d in range(len(shape)))
    assert tuple(s.stride[:s.nDimension]) == strides and s.storageOffset == 0
    st = StorageStruct.from_address(s.storage)
    assert st.data == a.ctypes.data and st.size == a.size and st.refcount == 1
    assert ord(st.flag) == TH_STORAGE_REFCOUNTED  # neither FREEMEM nor RESIZABLE
    _fn(t, "Tensor_free")(ptr)  # frees the structs only: the array's memory stays numpy's
    a[:] = 1
    assert a.sum() == a.size


@pytest.mark.parametrize("args, message", [
    ((0, 1, 1, 1, 1), "dimensions"), ((5, 1, 1, 1, 1), "dimensions"),
    ((2, 3, 0, 1, 1), "not positive"), ((1, -4, 1, 1, 1), "not positive"),
    ((4, 2**40, 2**40, 2**40, 1), "too many elements")])
def test_new_with_foreign_data_refuses_bad_geometry(args, message):
    a = np.zeros(4, np.float32)
    with pytest.raises(errors.THValueError, match=message):
        ffi.TH.THFloatTensor_newWithForeignData(a.ctypes.data, *args)


def test_new_with_foreign_data_refuses_null():
    with pytest.raises((ValueError, TypeError)):
        ffi.TH.THFloatTensor_newWithForeignData(None, 1, 1, 1, 1, 1)


@pytest.mark.parametrize("t", TYPES)
def test_pin_and_unpin(t):
    cls = STORAGE_CLASSES[t]
    s = cls.new(3)
    st = StorageStruct.from_address(s.address)
    assert ord(st.flag) & TH_STORAGE_RESIZABLE and st.refcount == 1
    assert _fn(t, "Storage_pin")(s) == 1
    assert not ord(st.flag) & TH_STORAGE_RESIZABLE and st.refcount == 2
    _fn(t, "Storage_unpin")(s, 1)
    assert ord(st.flag) & TH_STORAGE_RESIZABLE and st.refcount == 1
    # a storage that was not resizable stays so
    _fn(t, "Storage_clearFlag")(s, TH_STORAGE_RESIZABLE)
    assert _fn(t, "Storage_pin")(s) == 0
    _fn(t, "Storage_unpin")(s, 0)
    assert not ord(st.flag) & TH_STORAGE_RESIZABLE and st.refcount == 1
    assert ord(st.flag) & TH_STORAGE_FREEMEM


def _without_extensions(monkeypatch):
    """The Python layer as it runs on an upstream libTH (no extension functions)."""
    for cls in TENSOR_CLASSES.values():
        monkeypatch.setattr(cls, "_foreign", None)
        monkeypatch.setattr(cls, "_new_cadd", None)
        monkeypatch.setattr(cls, "_new_cmul", None)
    for cls in STORAGE_CLASSES.values():
        pin, unpin = _pin_by_steps(cls)
        monkeypatch.setattr(cls, "_pin", staticmethod(pin))
        monkeypatch.setattr(cls, "_unpin", staticmethod(unpin))


@pytest.mark.parametrize("upstream_calls", [False, True], ids=["extensions", "upstream calls"])
@pytest.mark.parametrize("t", [t for t in TYPES if t != "Half"])
def test_from_numpy_and_asarray_agree_with_and_without_extensions(t, upstream_calls,
                                                                   monkeypatch):
    if upstream_calls:
        _without_extensions(monkeypatch)
    cls = TENSOR_CLASSES[t]
    for shape in [(1,), (7,), (3, 4), (2, 1, 3), (2, 2, 2, 2), (2, 1, 2, 1, 2)]:
        a = (np.arange(int(np.prod(shape))) % 5).astype(cls.etype.dtype).reshape(shape)
        x = cls.from_numpy(a)
        assert x.shape == shape and x.strides == tuple(s // a.itemsize for s in a.strides)
        v = np.asarray(x)
        assert v.ctypes.data == a.ctypes.data
        np.testing.assert_array_equal(v, a)
        v[(0,) * len(shape)] = 3
        assert a[(0,) * len(shape)] == 3
        with pytest.raises(errors.THError, match="not resizable"):
            x.resize_(100)  # numpy's memory: never reallocated
        storage = TensorStruct.from_address(x.address).storage
        del v  # the export ends: the storage stays numpy's, still not resizable
        st = StorageStruct.from_address(storage)
        assert not ord(st.flag) & (TH_STORAGE_RESIZABLE | TH_STORAGE_FREEMEM)
    # an export of TH's own memory pins it while it lives, and only then
    y = cls.empty(4)
    v = np.asarray(y)
    with pytest.raises(errors.THError, match="not resizable"):
        y.resize_(1000)
    w = np.asarray(y)
    del v
    with pytest.raises(errors.THError, match="not resizable"):
        y.resize_(1000)  # w still lives
    del w
    y.resize_(1000)
    assert y.shape == (1000,)


def test_an_upstream_library_lacks_them():
    """raw_if_exported is None for a symbol the library lacks (an upstream libTH's case)."""
    assert ffi.raw_if_exported("THFloatTensor_newWithForeignData") is not None
    assert not hasattr(ffi.lib, "THFloatTensor_noSuchFunction")



def test_an_export_of_lent_memory_keeps_the_lender_alive():
    """np.asarray of a tensor over numpy's memory pins nothing (TH can neither free nor move
    that memory); the view keeps the tensor, and so the array, alive."""
    import gc
    import weakref

    cls = TENSOR_CLASSES["Double"]
    a = np.arange(6.0)
    lender = weakref.ref(a)
    t = cls.from_numpy(a)
    del a
    v = np.asarray(t)
    ref = weakref.ref(t)
    del t
    gc.collect()
    assert ref() is not None and lender() is not None
    np.testing.assert_array_equal(v, np.arange(6.0))
    del v
    gc.collect()
    assert ref() is None and lender() is None


MATH = [t for t in TYPES if t != "Half"]


def _operands(cls, shape, views):
    """Two tensors of `shape` (non-contiguous when views) and their numpy copies."""
    rng = np.random.default_rng(len(shape))
    a = (rng.integers(0, 200, size=shape) - (0 if cls.etype.dtype.kind == "u" else 100))
    a, b = a.astype(cls.etype.dtype), a[::-1].astype(cls.etype.dtype)
    if views:  # transposed / strided views over bigger arrays
        x = cls.from_numpy(np.ascontiguousarray(a.T)).t() if a.ndim == 2 else (
            cls.from_numpy(np.repeat(a, 2)[::2].copy().repeat(2))[::2])
        y = cls.from_numpy(np.ascontiguousarray(b.T)).t() if b.ndim == 2 else (
            cls.from_numpy(b.repeat(2))[::2])
    else:
        x, y = cls.from_numpy(a), cls.from_numpy(b)
    return x, y, a, b


@pytest.mark.parametrize("t", MATH)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 4)])
@pytest.mark.parametrize("views", [False, True], ids=["contiguous", "views"])
def test_new_cadd_and_new_cmul(t, shape, views):
    """newCadd(t, v, src) = t + v * src and newCmul(t, src) = t * src, in a new contiguous
    tensor of t's sizes, wrapping as the type's arithmetic does (numpy's oracle)."""
    cls = TENSOR_CLASSES[t]
    x, y, a, b = _operands(cls, shape, views)
    if views and len(shape) == 2:
        assert not x.is_contiguous() and not y.is_contiguous()
    with np.errstate(over="ignore"):
        for value in (1, 3, cls._minus_one):
            r = cls._adopt(_fn(t, "Tensor_newCadd")(x.address, value, y.address), None)
            assert r.shape == shape and r.is_contiguous()
            expect = (a + np.asarray(value).astype(a.dtype) * b).astype(a.dtype)
            np.testing.assert_array_equal(np.asarray(r), expect)
        r = cls._adopt(_fn(t, "Tensor_newCmul")(x.address, y.address), None)
        np.testing.assert_array_equal(np.asarray(r), (a * b).astype(a.dtype))


@pytest.mark.parametrize("t", MATH)
def test_new_cadd_and_new_cmul_give_null_for_different_sizes(t):
    """Different sizes (even with as many elements): NULL and no error, for the caller to
    broadcast; nothing allocated."""
    cls = TENSOR_CLASSES[t]
    for sx, sy in [((3,), (4,)), ((2, 3), (3, 2)), ((6,), (2, 3)), ((2, 3), (1, 3))]:
        x, y = cls.empty(*sx), cls.empty(*sy)
        assert ffi.raw(f"TH{t}Tensor_newCadd")(x.address, 1, y.address) is None
        assert ffi.raw(f"TH{t}Tensor_newCmul")(x.address, y.address) is None
        assert not ffi._pending.value


@pytest.mark.parametrize("upstream_calls", [False, True], ids=["extensions", "upstream calls"])
@pytest.mark.parametrize("t", MATH)
def test_operators_agree_with_and_without_extensions(t, upstream_calls, monkeypatch):
    """t + u, t - u, t * u: the one-call path and the upstream calls give the same tensors,
    for one size (fused) and for broadcast shapes (the general path)."""
    if upstream_calls:
        _without_extensions(monkeypatch)
    cls = TENSOR_CLASSES[t]
    for shape, views in [((5,), False), ((3, 4), True), ((0,), False), ((1,), False)]:
        x, y, a, b = _operands(cls, shape, views)
        with np.errstate(over="ignore"):
            for got, expect in [(x + y, a + b), (x - y, a - b), (x * y, a * b)]:
                assert type(got) is cls and got.shape == shape
                np.testing.assert_array_equal(np.asarray(got), expect.astype(a.dtype))
    row = cls.from_numpy(np.arange(4).astype(cls.etype.dtype))
    m = cls.from_numpy(np.ones((3, 4), cls.etype.dtype))
    np.testing.assert_array_equal(np.asarray(m + row), 1 + np.arange(4)[None, :].repeat(3, 0))
    np.testing.assert_array_equal(np.asarray(m * row), np.arange(4)[None, :].repeat(3, 0))
