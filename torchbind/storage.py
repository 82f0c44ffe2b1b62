"""Storages: the reference-counted memory blocks under tensors, one class per element type."""

from __future__ import annotations

import ctypes
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

    @classmethod
    def new(cls, size: int = 0) -> Storage:
        """A storage of ``size`` uninitialised elements."""
        return cls(getattr(ffi.TH, cls.etype.fn("Storage_newWithSize"))(size))

    def _struct(self) -> StorageStruct:
        return StorageStruct.from_address(self._th_ptr)

    def __len__(self) -> int:
        return int(self._struct().size)

    @property
    def data_ptr(self) -> int:
        """Address of the first element (0 for an empty storage)."""
        return self._struct().data or 0

    @property
    def __array_interface__(self) -> dict[str, Any]:
        n = len(self)
        return {
            "version": 3,
            "shape": (n,),
            "typestr": self.etype.dtype.str,
            "data": (self.data_ptr or _EMPTY_ADDRESS, False),
        }

    def tolist(self) -> list[Any]:
        """The elements as Python numbers."""
        return list(np.asarray(self).tolist())

    def __repr__(self) -> str:
        return f"<{self._th_struct} of {len(self)} elements at {self._th_ptr:#x}>"


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
    STORAGE_CLASSES[_t.name] = _cls
