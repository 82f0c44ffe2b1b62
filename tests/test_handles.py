"""Ownership: every pointer Python owns is freed exactly once; borrowed ones are retained."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import torchbind.float_tensor as F
from torchbind import ffi
from torchbind.storage import StorageStruct
from torchbind.tensor import TensorStruct


def refcount(t) -> int:
    return TensorStruct.from_address(t.address).refcount


def storage_refcount(ptr: int) -> int:
    return StorageStruct.from_address(ptr).refcount


def test_free_exactly_once():
    t = F.zeros(3)
    ptr = t.address
    ffi.TH.THFloatTensor_retain(ptr)  # keep the struct alive to observe it
    assert refcount(t) == 2
    t.free()
    assert t.address == 0
    t.free()  # idempotent
    del t
    gc.collect()
    # only our extra reference is left
    assert TensorStruct.from_address(ptr).refcount == 1
    ffi.TH.THFloatTensor_free(ptr)


def test_using_a_freed_handle_raises():
    t = F.zeros(3)
    t.free()
    with pytest.raises(ValueError, match="freed"):
        F.sumall(t)
    with pytest.raises(ValueError, match="freed"):
        _ = t.shape


def test_borrowed_pointer_is_retained():
    raw = ffi.TH.THFloatTensor_newWithSize1d(4)
    t = F.Tensor(raw, borrowed=True)
    assert refcount(t) == 2
    del t
    gc.collect()
    assert TensorStruct.from_address(raw).refcount == 1
    ffi.TH.THFloatTensor_free(raw)


def test_storage_of_a_numpy_tensor_is_counted_once_per_holder():
    t = F.from_numpy(np.arange(10, dtype=np.float32))
    s = t.storage()
    assert storage_refcount(s.address) == 2  # t's reference and s


def test_storage_refcounts_balance():
    t = F.empty(5)
    s1 = t.storage()
    sptr = s1.address
    base = storage_refcount(sptr)
    s2 = t.storage()
    assert storage_refcount(sptr) == base + 1
    del s2
    gc.collect()
    assert storage_refcount(sptr) == base
    v = t.narrow(0, 1, 2)
    assert storage_refcount(sptr) == base + 1
    del v, t
    gc.collect()
    assert storage_refcount(sptr) == base - 1  # only s1 left
    assert len(s1) == 5


def test_sub_tensor_outlives_parent():
    t = F.from_numpy(np.arange(6, dtype=np.float32))
    v = t.narrow(0, 2, 3)
    del t
    gc.collect()
    assert v.tolist() == [2.0, 3.0, 4.0]


def test_numpy_view_of_storage_keeps_it_alive():
    t = F.from_numpy(np.arange(4, dtype=np.float32))
    arr = np.asarray(t.storage())
    del t
    gc.collect()
    assert arr.tolist() == [0, 1, 2, 3]


def test_file_context_manager_closes(tmp_path):
    from torchbind.file import DiskFile
    p = tmp_path / "f"
    with DiskFile(p, "w") as f:
        f.write(F.from_numpy(np.arange(3, dtype=np.float32)))
        assert ffi.TH.THFile_isOpened(f)
    assert not ffi.TH.THFile_isOpened(f)
    f.close()  # closing twice through Python is harmless
    assert p.read_text().split() == ["0", "1", "2"]
