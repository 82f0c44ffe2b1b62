"""Storages: the reference-counted memory blocks under tensors, one class per element type."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from torchbind import ffi
from torchbind._handle import Handle
from torchbind._types import TYPES, ElementType


class StorageStruct(ctypes.Structure):
    """The C layout of THStorage (the same in upstream Torch7)."""

    _fields_ = [
        ("data", ctypes.c_void_p),
        ("size", ctypes.c_ssize_t),
        ("refcount", ctypes.c_int),
        ("flag", ctypes.c_char),
        ("allocator", ctypes.c_void_p),
        ("allocatorContext", ctypes.c_void_p),
        ("view", ctypes.c_void_p),
    ]


TH_STORAGE_RESIZABLE = 2
TH_STORAGE_FREEMEM = 4


class Storage(Handle):
    """A TH storage: ``len(s)`` elements of one type, shared by the tensors that view it.

    ``numpy.asarray(storage)`` shares its memory.
    """

    __slots__ = ()
    etype: ClassVar[ElementType]
    # an export's pin (returns whether the storage was resizable) and unpin (given that): C's
    # Storage_pin/unpin, or upstream's calls in their place (see _Export)
    _pin: ClassVar[Callable[[int], int]]
    _unpin: ClassVar[Callable[[int, int], None]]

    @classmethod
    def new(cls, size: int = 0) -> Storage:
        """A storage of ``size`` uninitialised elements."""
        return cls(getattr(ffi.TH, cls.etype.fn("Storage_newWithSize"))(size))

    def _struct(self) -> StorageStruct:
        if not self._th_ptr:
            raise ValueError(f"{self._th_struct} has been freed")
        return StorageStruct.from_address(self._th_ptr)

    def __len__(self) -> int:
        return int(self._struct().size)

    @property
    def data_ptr(self) -> int:
        """Address of the first element (0 for an empty storage)."""
        return self._struct().data or 0

    def _array_interface(self) -> dict[str, Any]:
        n = len(self)
        return {
            "version": 3,
            "shape": (n,),
            "typestr": self.etype.dtype.str,
            "data": (self.data_ptr or _EMPTY_ADDRESS, False),
        }

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """A numpy view of the elements; the storage cannot be reallocated while it lives."""
        self._struct()  # raises once freed
        return _exported(self._array_interface, self._th_ptr, type(self), self, dtype, copy)

    def tolist(self) -> list[Any]:
        """The elements as Python numbers."""
        return list(np.asarray(self).tolist())

    def __repr__(self) -> str:
        if not self._th_ptr:
            return f"<{self._th_struct} (freed)>"
        return f"<{self._th_struct} of {len(self)} elements at {self._th_ptr:#x}>"

    def __copy__(self) -> Storage:
        """Another handle on the same storage, with a reference of its own."""
        self._struct()  # raises once freed
        return type(self)(self._th_ptr, borrowed=True, owner=self._owner)

    def __deepcopy__(self, memo: Any) -> Storage:
        return _storage_from_array(type(self).__name__, np.array(np.asarray(self)))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles the elements, never the address."""
        return (_storage_from_array, (type(self).__name__, np.array(np.asarray(self))))


def _storage_from_array(class_name: str, values: np.ndarray) -> Storage:
    cls = STORAGE_CLASSES[class_name[: -len("Storage")]]
    s = cls.new(len(values))
    if len(values):
        np.asarray(s)[:] = values
    return s


# ---- exported memory: numpy views and DLPack capsules pin their storage -----------------
#
# While any export of a storage lives, TH_STORAGE_RESIZABLE is cleared, so that no resize (of
# the storage, or of a tensor over it) can move or free the memory under the array; the flag
# comes back when the last export dies. Each pinned storage also holds a reference of ours.

_PIN_LOCK = threading.Lock()
_PINS: dict[int, list[Any]] = {}  # storage address -> [exports, was resizable]
_FLAG_AT = StorageStruct.flag.offset


def _pin_by_steps(cls: type[Storage]) -> tuple[Callable[[int], int], Callable[[int, int], None]]:
    """Storage_pin and Storage_unpin made of upstream's calls (a library without them)."""
    retain, clear_flag, set_flag, free = (ffi.raw(cls.etype.fn(f"Storage_{f}"), quick=True)
                                          for f in ("retain", "clearFlag", "setFlag", "free"))

    def pin(ptr: int) -> int:
        retain(ptr)
        resizable = ctypes.c_ubyte.from_address(ptr + _FLAG_AT).value & TH_STORAGE_RESIZABLE
        clear_flag(ptr, TH_STORAGE_RESIZABLE)
        return resizable

    def unpin(ptr: int, resizable: int) -> None:
        if resizable:
            set_flag(ptr, TH_STORAGE_RESIZABLE)
        free(ptr)

    return pin, unpin


def is_pinned(storage_address: int) -> bool:
    """Whether a numpy view or DLPack capsule of the storage at this address is alive."""
    with _PIN_LOCK:
        return storage_address in _PINS


class _Export:
    """The base of an exported numpy array: pins a storage for as long as the array lives, and
    keeps the exporting object (and so the memory's owner) alive. Its __array_interface__ is
    set once the storage is pinned."""

    __slots__ = ("__array_interface__", "_ptr", "_cls", "_source")
    __array_interface__: dict[str, Any]

    def __init__(self, ptr: int, cls: type[Storage], source: Any):
        self._ptr = 0
        self._source = source
        self._cls = cls
        if ptr:  # the first export pins (one C call), the others count
            with _PIN_LOCK:
                entry = _PINS.get(ptr)
                if entry is None:
                    _PINS[ptr] = [1, cls._pin(ptr)]
                else:
                    entry[0] += 1
            self._ptr = ptr

    def __del__(self) -> None:
        ptr = self._ptr
        if ptr:  # the last export unpins
            self._ptr = 0
            with _PIN_LOCK:
                entry = _PINS[ptr]
                entry[0] -= 1
                if not entry[0]:
                    del _PINS[ptr]
                    self._cls._unpin(ptr, entry[1])


def _exported(interface: Any, ptr: int, cls: type[Storage], source: Any, dtype: Any,
              copy: bool | None) -> np.ndarray:
    """A numpy array over ``interface()``, read only once the storage at ``ptr`` is pinned (so
    that no resize in another thread can move the memory between the read and the pin)."""
    export = _Export(ptr, cls, source)
    export.__array_interface__ = interface()
    a = np.asarray(export)
    if dtype is not None and np.dtype(dtype) != a.dtype:
        if copy is False:
            raise ValueError("a conversion of the element type needs a copy")
        return a.astype(dtype)
    return a.copy() if copy else a


# numpy refuses a NULL data pointer even for zero elements: point empty views here instead.
_EMPTY = (ctypes.c_char * 16)()
_EMPTY_ADDRESS = ctypes.addressof(_EMPTY)

# One class per element type, stated here so that type checkers see them.
class ByteStorage(Storage):
    """A storage of uint8 elements (THByteStorage)."""

    __slots__ = ()


class CharStorage(Storage):
    """A storage of int8 elements (THCharStorage)."""

    __slots__ = ()


class ShortStorage(Storage):
    """A storage of int16 elements (THShortStorage)."""

    __slots__ = ()


class IntStorage(Storage):
    """A storage of int32 elements (THIntStorage)."""

    __slots__ = ()


class LongStorage(Storage):
    """A storage of int64 elements (THLongStorage)."""

    __slots__ = ()


class FloatStorage(Storage):
    """A storage of float32 elements (THFloatStorage)."""

    __slots__ = ()


class DoubleStorage(Storage):
    """A storage of float64 elements (THDoubleStorage)."""

    __slots__ = ()


class HalfStorage(Storage):
    """A storage of float16 elements (THHalfStorage)."""

    __slots__ = ()


STORAGE_CLASSES: dict[str, type[Storage]] = {}
for _cls in (ByteStorage, CharStorage, ShortStorage, IntStorage, LongStorage, FloatStorage,
             DoubleStorage, HalfStorage):
    _t = TYPES[_cls.__name__[: -len("Storage")]]
    _cls.etype = _t
    _cls._th_struct = _t.storage_struct
    _cls._th_free = ffi.declare(_t.fn("Storage_free"))
    _cls._th_retain = ffi.declare(_t.fn("Storage_retain"))
    # torchbind's libTH: one call each (ctypes functions bind no self); upstream's: its calls
    _one_call = ffi.raw_if_exported(_t.fn("Storage_pin"), quick=True)
    pins = ((_one_call, ffi.raw(_t.fn("Storage_unpin"), quick=True)) if _one_call is not None
            else _pin_by_steps(_cls))
    _cls._pin, _cls._unpin = staticmethod(pins[0]), staticmethod(pins[1])
    STORAGE_CLASSES[_t.name] = _cls
