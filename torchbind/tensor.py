"""Tensors: strided views of a storage, one class per element type.

The class for each type is made here from one definition (:class:`Tensor`); the per-type
modules (``torchbind.float_tensor`` ...) export it as ``Tensor``. Dimensions and indices are
0-based, negative ones count from the end, as in numpy.
"""

from __future__ import annotations

import ctypes
import operator
from typing import Any, ClassVar

import numpy as np

from torchbind import ffi
from torchbind._handle import Handle
from torchbind._types import TYPES, ElementType
from torchbind.storage import (
    _EMPTY_ADDRESS,
    STORAGE_CLASSES,
    TH_STORAGE_FREEMEM,
    TH_STORAGE_RESIZABLE,
    Storage,
    StorageStruct,
)


class TensorStruct(ctypes.Structure):
    """The C layout of THTensor (the same in upstream Torch7)."""

    _fields_ = [
        ("size", ctypes.POINTER(ctypes.c_long)),
        ("stride", ctypes.POINTER(ctypes.c_long)),
        ("nDimension", ctypes.c_int),
        ("storage", ctypes.c_void_p),
        ("storageOffset", ctypes.c_ssize_t),
        ("refcount", ctypes.c_int),
        ("flag", ctypes.c_char),
    ]


def _index(i: Any, what: str = "index") -> int:
    try:
        return operator.index(i)
    except TypeError:
        raise TypeError(f"{what} must be an integer, not {type(i).__name__}") from None


class Tensor(Handle):
    """A TH tensor of one element type.

    ``numpy.asarray(t)`` shares its memory (strides included) and keeps it alive. An empty
    tensor (no elements) has shape ``(0,)``: TH has no tensors with a zero-sized dimension.
    """

    __slots__ = ()
    etype: ClassVar[ElementType]
    storage_class: ClassVar[type[Storage]]

    # ---- construction ------------------------------------------------------------------

    @classmethod
    def _c(cls, family: str) -> Any:
        return getattr(ffi.TH, cls.etype.fn(family))

    @classmethod
    def empty(cls, *shape: int) -> Tensor:
        """A tensor of the given shape with uninitialised elements."""
        dims = _shape_arg(shape)
        t = cls(cls._c("Tensor_new")())
        if 0 not in dims and dims:
            sizes = (ctypes.c_long * len(dims))(*dims)
            cls._c("Tensor_resizeNd")(t, len(dims), sizes, None)
        return t

    @classmethod
    def from_numpy(cls, array: Any) -> Tensor:
        """A tensor over ``array``'s memory when its dtype is this type's and its strides are
        non-negative multiples of the element size; a copy otherwise. Keeps ``array`` alive."""
        a = np.asarray(array)
        if a.dtype != cls.etype.dtype:
            a = a.astype(cls.etype.dtype)
        item = a.itemsize
        if a.size == 0:
            return cls(cls._c("Tensor_new")())
        if (not a.flags.aligned or any(s < 0 or s % item for s in a.strides)
                or not a.flags.writeable):
            a = np.ascontiguousarray(a) if a.flags.writeable else a.copy()
            if any(s < 0 or s % item for s in a.strides):
                a = a.copy()
        strides = [s // item for s in a.strides]
        extent = 1 + sum((n - 1) * s for n, s in zip(a.shape, strides, strict=False))
        ptr = a.ctypes.data
        storage = cls.storage_class(cls._c("Storage_newWithData")(ptr, extent), owner=a)
        # The memory is numpy's: TH must neither free nor reallocate it.
        cls._c("Storage_clearFlag")(storage, TH_STORAGE_FREEMEM | TH_STORAGE_RESIZABLE)
        nd = max(a.ndim, 1)
        sizes = (ctypes.c_long * nd)(*(a.shape or (1,)))
        strd = (ctypes.c_long * nd)(*(strides or (1,)))
        t = cls(cls._c("Tensor_new")(), owner=a)
        cls._c("Tensor_setStorageNd")(t, storage, 0, nd, sizes, strd)
        return t

    @classmethod
    def from_tensor(cls, other: Tensor) -> Tensor:
        """A copy of a tensor of any type, converted to this type by TH's copy functions."""
        if not isinstance(other, Tensor):
            raise TypeError(f"expected a torchbind tensor, got {type(other).__name__}")
        t = cls.empty(*other._dims())
        cls._c(f"Tensor_copy{other.etype.name}")(t, other)
        return t

    def _view(self, family: str, *args: Any) -> Tensor:
        """A new tensor made by a TH newX view constructor; it shares this tensor's owner."""
        return type(self)(self._c(family)(self, *args), owner=self._owner)

    # ---- geometry ----------------------------------------------------------------------

    def _struct(self) -> TensorStruct:
        if not self._th_ptr:
            raise ValueError(f"{self._th_struct} has been freed")
        return TensorStruct.from_address(self._th_ptr)

    def _dims(self) -> tuple[int, ...]:
        s = self._struct()
        return tuple(s.size[:s.nDimension])

    @property
    def shape(self) -> tuple[int, ...]:
        """The sizes of the dimensions; ``(0,)`` for an empty tensor."""
        return self._dims() or (0,)

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the size of one dimension."""
        return self.shape if dim is None else self.shape[self._dim(dim)]

    @property
    def strides(self) -> tuple[int, ...]:
        """Element strides (numpy's are in bytes)."""
        s = self._struct()
        return tuple(s.stride[:s.nDimension]) or (1,)

    def stride(self, dim: int | None = None) -> Any:
        """The strides, or the stride of one dimension, in elements."""
        return self.strides if dim is None else self.strides[self._dim(dim)]

    @property
    def ndim(self) -> int:
        """Number of dimensions (1 for an empty tensor)."""
        return max(self._struct().nDimension, 1)

    def dim(self) -> int:
        """Number of dimensions (1 for an empty tensor)."""
        return self.ndim

    def numel(self) -> int:
        """Number of elements."""
        return int(np.prod(self._dims())) if self._dims() else 0

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the elements."""
        return self.etype.dtype

    @property
    def storage_offset(self) -> int:
        """Offset of the first element in the storage, in elements."""
        return int(self._struct().storageOffset)

    def is_contiguous(self) -> bool:
        """Whether the elements are laid out in row-major order without gaps."""
        return bool(self._c("Tensor_isContiguous")(self))

    def storage(self) -> Storage | None:
        """The storage under this tensor (shared, not copied); None for a fresh empty tensor."""
        ptr = self._struct().storage
        return self.storage_class(ptr, borrowed=True, owner=self._owner) if ptr else None

    def _dim(self, dim: Any, *, extra: int = 0) -> int:
        d = _index(dim, "dimension")
        n = self.ndim + extra
        if not -n <= d < n:
            raise IndexError(f"dimension {d} out of range for a {self.ndim}-d tensor")
        return d + n if d < 0 else d

    # ---- views (share memory) ----------------------------------------------------------

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """Elements ``start`` to ``start + length`` along ``dim``."""
        d = self._dim(dim)
        start, length = _index(start), _index(length)
        if start < 0:
            start += self.shape[d]
        return self._view("Tensor_newNarrow", d, start, length)

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at ``index`` along ``dim``, one dimension fewer (tensor must be >= 2-d)."""
        d = self._dim(dim)
        i = _index(index)
        if i < 0:
            i += self.shape[d]
        return self._view("Tensor_newSelect", d, i)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swaps two dimensions."""
        return self._view("Tensor_newTranspose", self._dim(dim0), self._dim(dim1))

    def t(self) -> Tensor:
        """The transpose of a matrix."""
        if self.ndim != 2:
            raise ValueError(f"t() expects a 2-d tensor, got {self.ndim}-d")
        return self.transpose(0, 1)

    def unfold(self, dim: int, size: int, step: int) -> Tensor:
        """All slices of ``size`` elements along ``dim``, ``step`` apart, as a new last dim."""
        return self._view("Tensor_newUnfold", self._dim(dim), _index(size), _index(step))

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Drops dimensions of size 1 (all of them, or only ``dim``)."""
        t = type(self)(self._c("Tensor_new")(), owner=self._owner)
        if dim is None:
            self._c("Tensor_squeeze")(t, self)
        else:
            self._c("Tensor_squeeze1d")(t, self, self._dim(dim))
        return t

    def unsqueeze(self, dim: int) -> Tensor:
        """Inserts a dimension of size 1 at ``dim``."""
        t = type(self)(self._c("Tensor_new")(), owner=self._owner)
        self._c("Tensor_unsqueeze1d")(t, self, self._dim(dim, extra=1))
        return t

    def expand(self, *shape: int) -> Tensor:
        """A broadcast view: size-1 dimensions repeat (stride 0) to the given shape."""
        dims = _shape_arg(shape, allow_minus_one=True)
        sizes = _long_storage(dims)
        return self._view("Tensor_newExpand", sizes)

    def view(self, *shape: int) -> Tensor:
        """The same elements with another shape (one size may be -1); must be contiguous."""
        dims = _shape_arg(shape, allow_minus_one=True)
        return self._view("Tensor_newView", _long_storage(dims))

    # ---- copies and in-place changes ---------------------------------------------------

    def copy(self) -> Tensor:
        """A contiguous copy."""
        return type(self)(self._c("Tensor_newClone")(self))

    def contiguous(self) -> Tensor:
        """This tensor if contiguous, else a contiguous copy."""
        return self._view("Tensor_newContiguous")

    def copy_(self, src: Tensor) -> Tensor:
        """Copies ``src`` (any type, same number of elements) into this tensor; returns self."""
        if not isinstance(src, Tensor):
            raise TypeError(f"expected a torchbind tensor, got {type(src).__name__}")
        self._c(f"Tensor_copy{src.etype.name}")(self, src)
        return self

    def resize_(self, *shape: int) -> Tensor:
        """Changes the shape in place, reallocating the storage when it is too small."""
        dims = _shape_arg(shape)
        sizes = (ctypes.c_long * max(len(dims), 1))(*dims)
        self._c("Tensor_resizeNd")(self, len(dims), sizes, None)
        return self

    # ---- numpy and Python --------------------------------------------------------------

    @property
    def __array_interface__(self) -> dict[str, Any]:
        s = self._struct()
        nd, item = s.nDimension, self.etype.dtype.itemsize
        if nd == 0:
            shape: tuple[int, ...] = (0,)
            strides: tuple[int, ...] = (item,)
            addr = _EMPTY_ADDRESS
        else:
            shape = tuple(s.size[:nd])
            strides = tuple(x * item for x in s.stride[:nd])
            st = StorageStruct.from_address(s.storage)
            addr = st.data + s.storageOffset * item
        return {"version": 3, "shape": shape, "strides": strides,
                "typestr": self.etype.dtype.str, "data": (addr, False)}

    def numpy(self) -> np.ndarray:
        """A numpy array sharing this tensor's memory."""
        return np.asarray(self)

    def tolist(self) -> Any:
        """The elements as nested lists of Python numbers."""
        return np.asarray(self).tolist()

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self.numel() != 1:
            raise ValueError(f"item() needs exactly one element, tensor has {self.numel()}")
        return np.asarray(self).reshape(()).item()

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        body = np.array2string(np.asarray(self), separator=", ", prefix="tensor(")
        return f"tensor({body}, {self.etype.name})"


def _shape_arg(shape: tuple[Any, ...], *, allow_minus_one: bool = False) -> tuple[int, ...]:
    """Accepts f(2, 3) and f((2, 3)); checks every size."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    dims = tuple(_index(s, "size") for s in shape)
    for s in dims:
        if s < 0 and not (allow_minus_one and s == -1):
            raise ValueError(f"negative size {s} in shape {dims}")
    return dims


def _long_storage(dims: tuple[int, ...]) -> Storage:
    cls = STORAGE_CLASSES["Long"]
    s = cls.new(len(dims))
    if dims:
        np.asarray(s)[:] = dims
    return s


TENSOR_CLASSES: dict[str, type[Tensor]] = {}
for _t in TYPES.values():
    _cls = type(
        f"{_t.name}Tensor",
        (Tensor,),
        {
            "__slots__": (),
            "__module__": __name__,
            "__doc__": f"A tensor of {_t.dtype.name} elements (TH{_t.name}Tensor).",
            "etype": _t,
            "storage_class": STORAGE_CLASSES[_t.name],
            "_th_struct": _t.tensor_struct,
            "_th_free": ffi.declare(_t.fn("Tensor_free")),
            "_th_retain": ffi.declare(_t.fn("Tensor_retain")),
        },
    )
    TENSOR_CLASSES[_t.name] = _cls
    globals()[_cls.__name__] = _cls
