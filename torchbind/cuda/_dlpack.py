"""DLPack export: a real ``DLManagedTensor`` in a ``"dltensor"`` PyCapsule, built with ctypes.

:func:`capsule` describes memory (a data address, shape and strides in elements, a dtype, a
device) and keeps ``owner`` alive until the consumer calls the deleter (or, if no consumer ever
takes the capsule, until the capsule is destroyed). CUDA tensors use it with ``kDLCUDA``; it is
device-agnostic, so it can be tested on host memory too::

    >>> import numpy as np
    >>> a = np.arange(6, dtype=np.float32).reshape(2, 3)
    >>> class View:
    ...     def __dlpack__(self, **kw):
    ...         return capsule(a.ctypes.data, a.shape, (3, 1), a.dtype, (KDL_CPU, 0), owner=a)
    ...     def __dlpack_device__(self):
    ...         return (KDL_CPU, 0)
    >>> np.from_dlpack(View()).tolist()
    [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

KDL_CPU = 1
KDL_CUDA = 2

_DTYPE_CODES = {"i": 0, "u": 1, "f": 2}


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("device", DLDevice),
        ("ndim", ctypes.c_int32),
        ("dtype", DLDataType),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
        ("byte_offset", ctypes.c_uint64),
    ]


class DLManagedTensor(ctypes.Structure):
    pass


_Deleter = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
DLManagedTensor._fields_ = [
    ("dl_tensor", DLTensor),
    ("manager_ctx", ctypes.c_void_p),
    ("deleter", _Deleter),
]

# What each live DLManagedTensor keeps alive (itself, its shape and strides, the owner), by the
# struct's address. The deleter drops the entry; it may run on any thread.
_live: dict[int, tuple[Any, ...]] = {}
_live_lock = threading.Lock()


def _delete(address: int | None) -> None:
    if address:
        with _live_lock:
            _live.pop(address, None)


_DELETER = _Deleter(_delete)

# Capsules point at this name: it lives as long as the module.
_NAME = ctypes.create_string_buffer(b"dltensor")

_api = ctypes.pythonapi
_api.PyCapsule_New.restype = ctypes.py_object
_api.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_api.PyCapsule_IsValid.restype = ctypes.c_int
_api.PyCapsule_IsValid.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]

_CapsuleDestructor = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


def _destroy_capsule(capsule: int | None) -> None:
    """The capsule's destructor: it still carries the name "dltensor" only if no consumer took it
    (a consumer renames it "used_dltensor" and calls the deleter itself)."""
    if capsule and _api.PyCapsule_IsValid(capsule, _NAME):
        _delete(_api.PyCapsule_GetPointer(capsule, _NAME))


_DESTRUCTOR = _CapsuleDestructor(_destroy_capsule)


def dtype_of(dtype: Any) -> DLDataType:
    dt = np.dtype(dtype)
    if dt.kind not in _DTYPE_CODES:
        raise TypeError(f"no DLPack type for {dt}")
    return DLDataType(_DTYPE_CODES[dt.kind], dt.itemsize * 8, 1)


def capsule(data: int, shape: Sequence[int], strides: Sequence[int], dtype: Any,
            device: tuple[int, int], owner: Any) -> Any:
    """A "dltensor" capsule over ``data`` (strides in elements), keeping ``owner`` alive."""
    ndim = len(shape)
    shape_arr = (ctypes.c_int64 * max(ndim, 1))(*shape)
    strides_arr = (ctypes.c_int64 * max(ndim, 1))(*strides)
    managed = DLManagedTensor()
    t = managed.dl_tensor
    t.data = data or None
    t.device = DLDevice(*device)
    t.ndim = ndim
    t.dtype = dtype_of(dtype)
    t.shape = ctypes.cast(shape_arr, ctypes.POINTER(ctypes.c_int64))
    t.strides = ctypes.cast(strides_arr, ctypes.POINTER(ctypes.c_int64))
    t.byte_offset = 0
    address = ctypes.addressof(managed)
    managed.manager_ctx = address
    managed.deleter = _DELETER
    with _live_lock:
        _live[address] = (managed, shape_arr, strides_arr, owner)
    try:
        return _api.PyCapsule_New(address, _NAME, ctypes.cast(_DESTRUCTOR, ctypes.c_void_p))
    except BaseException:
        _delete(address)
        raise


def live_count() -> int:
    """How many exported tensors are still held by consumers (for tests)."""
    with _live_lock:
        return len(_live)
