"""Tensors: strided views of a storage, one class per element type.

The class for each type is made here from one definition (:class:`Tensor`); the per-type
modules (``torchbind.float_tensor`` ...) export it as ``Tensor``. Dimensions and indices are
0-based, negative ones count from the end, as in numpy.
"""

from __future__ import annotations

import ctypes
import importlib
import operator
from types import ModuleType
from typing import Any, ClassVar, TypeVar, cast

import numpy as np

from torchbind import ffi
from torchbind._handle import Handle
from torchbind._types import TYPES, ElementType, real_converter
from torchbind.storage import (
    _EMPTY_ADDRESS,
    STORAGE_CLASSES,
    TH_STORAGE_FREEMEM,
    TH_STORAGE_RESIZABLE,
    Storage,
    StorageStruct,
    _Export,
    _exported,
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


class TensorGeometry(Handle):
    """Shape, strides and dimensions read from the THTensor struct: libTHC's tensors share its
    layout, so the CPU :class:`Tensor` and the CUDA tensors both inherit this."""

    __slots__ = ()
    etype: ClassVar[ElementType]

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
        return max(int(self._struct().nDimension), 1)

    def dim(self) -> int:
        """Number of dimensions (1 for an empty tensor)."""
        return self.ndim

    def numel(self) -> int:
        """Number of elements."""
        dims = self._dims()
        return int(np.prod(dims)) if dims else 0

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the elements."""
        return self.etype.dtype

    @property
    def storage_offset(self) -> int:
        """Offset of the first element in the storage, in elements."""
        return int(self._struct().storageOffset)

    def _dim(self, dim: Any, *, extra: int = 0) -> int:
        d = _index(dim, "dimension")
        n = self.ndim + extra
        if not -n <= d < n:
            raise IndexError(f"dimension {d} out of range for a {self.ndim}-d tensor")
        return d + n if d < 0 else d


_TT = TypeVar("_TT", bound="Tensor")


class Tensor(TensorGeometry):
    """A TH tensor of one element type.

    ``numpy.asarray(t)`` shares its memory (strides included) and keeps it alive. An empty
    tensor (no elements) has shape ``(0,)``: TH has no tensors with a zero-sized dimension.
    """

    __slots__ = ()
    etype: ClassVar[ElementType]
    storage_class: ClassVar[type[Storage]]
    _fns: ClassVar[dict[str, Any]]  # the fast paths' raw C functions and module functions
    _foreign: ClassVar[Any]  # raw TH<T>Tensor_newWithForeignData; None where the library lacks it
    _one: ClassVar[int | float]  # 1 in the element type (cadd's scale)
    _itemsize: ClassVar[int]  # the element's size in bytes
    _typestr: ClassVar[str]  # numpy's name of the element type ("<f4")

    @classmethod
    def _raw(cls, family: str) -> Any:
        """The raw C function TH<T><family> (plain argument types, no error check: see
        ffi.raw), kept per class. The fast paths call only constant-work functions (structs,
        elements, views) through it: they keep the GIL (ffi.raw's ``quick``)."""
        fn = cls._fns.get(family)
        if fn is None:
            fn = cls._fns[family] = ffi.raw(cls.etype.fn(family), quick=True)
        return fn

    @classmethod
    def _fn(cls, name: str) -> Any:
        """The per-type module's function ``name`` (the module is imported by name on first
        use: the modules are made from this class, not the other way round)."""
        fn = cls._fns.get(name)
        if fn is None:
            module: ModuleType = importlib.import_module(f"torchbind.{cls.etype.module}")
            fn = cls._fns[name] = getattr(module, name)
        return fn

    def _new_view(self: _TT, ptr: int) -> _TT:
        """A tensor owning ``ptr`` (just made by a raw C call) that shares this one's owner."""
        if ffi._pending.value or not ptr:
            _null(self, ptr)
        t = object.__new__(type(self))
        t._th_ptr = ptr
        t._owner = self._owner
        return t

    # ---- construction ------------------------------------------------------------------

    @classmethod
    def _c(cls, family: str) -> Any:
        return getattr(ffi.TH, cls.etype.fn(family))

    @classmethod
    def empty(cls: type[_TT], *shape: int) -> _TT:
        """A tensor of the given shape with uninitialised elements.

        >>> import torchbind.float_tensor as F
        >>> F.empty(2, 3).shape
        (2, 3)
        """
        given: tuple[Any, ...] = shape
        if len(given) == 1 and isinstance(given[0], tuple):
            given = given[0]
        n = len(given)
        if 0 < n <= 4 and all(d.__class__ is int and 0 < d < _SIZE_LIMIT for d in given):
            # the fast path: one raw call (newWithSize<n>d); errors park, checked here
            return cls._adopt(cls._raw(_NEW_WITH_SIZE[n])(*given), None)
        dims = _shape_arg(shape)
        t = cls(cls._c("Tensor_new")())
        if 0 not in dims and dims:
            sizes = (ctypes.c_long * len(dims))(*dims)
            cls._c("Tensor_resizeNd")(t, len(dims), sizes, None)
        return t

    @classmethod
    def from_numpy(cls: type[_TT], array: Any) -> _TT:
        """A tensor over ``array``'s memory when its dtype is this type's and its strides are
        non-negative multiples of the element size; a copy otherwise. Keeps ``array`` alive.

        >>> import numpy as np, torchbind.int_tensor as I
        >>> a = np.arange(6, dtype=np.int32).reshape(2, 3)
        >>> t = I.from_numpy(a)
        >>> t[1, 1] = 40
        >>> int(a[1, 1])
        40
        """
        a = array
        if a.__class__ is not np.ndarray or a.dtype is not cls.etype.dtype:
            a = _converted(array, cls.etype.dtype)
        nd = a.ndim
        if 0 < nd <= 4 and a.size and a.flags.num & _PLAIN == _PLAIN:
            foreign = cls._foreign
            if foreign is not None:  # one call (torchbind's libTH; upstream's lacks it)
                return cls._adopt(foreign(_address(_byte_at(a)), nd, *(a.shape + _PAD)[:4]), a)
            return cls._from_contiguous(a, nd)
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
    def _from_contiguous(cls: type[_TT], a: np.ndarray, nd: int) -> _TT:
        """from_numpy's fast path (a non-empty, writeable, aligned C-contiguous array of this
        type, 1 to 4 dimensions): a storage over its memory and a tensor over that storage, by
        raw calls (the same steps as the general path)."""
        shape = a.shape
        storage = cls._raw("Storage_newWithData")(
            ctypes.addressof(ctypes.c_char.from_buffer(cast(Any, a))), a.size)
        if not storage:
            _null(cls, storage)
        # The memory is numpy's: TH must neither free nor reallocate it.
        cls._raw("Storage_clearFlag")(storage, TH_STORAGE_FREEMEM | TH_STORAGE_RESIZABLE)
        if nd == 1:
            ptr = cls._raw("Tensor_newWithStorage1d")(storage, 0, shape[0], 1)
        elif nd == 2:
            ptr = cls._raw("Tensor_newWithStorage2d")(storage, 0, shape[0], shape[1],
                                                      shape[1], 1)
        else:
            args: list[int] = []
            stride = 1
            for n in reversed(shape):
                args[:0] = (n, stride)
                stride *= n
            ptr = cls._raw(f"Tensor_newWithStorage{nd}d")(storage, 0, *args)
        cls._raw("Storage_free")(storage)  # the tensor holds its own reference
        return cls._adopt(ptr, a)

    @classmethod
    def _adopt(cls: type[_TT], ptr: int, owner: Any) -> _TT:
        """A tensor owning ``ptr``, just returned by a raw call (its parked error, if any, is
        raised here), keeping ``owner`` alive."""
        if ffi._pending.value or not ptr:
            _null(cls, ptr)
        t = object.__new__(cls)
        t._th_ptr = ptr
        t._owner = owner
        return t

    @classmethod
    def from_tensor(cls: type[_TT], other: Tensor) -> _TT:
        """A copy of a tensor of any type, converted to this type by TH's copy functions.

        >>> import numpy as np, torchbind.double_tensor as D, torchbind.int_tensor as I
        >>> I.from_tensor(D.from_numpy(np.array([1.7, -2.5]))).tolist()
        [1, -2]
        """
        if not isinstance(other, Tensor):
            raise TypeError(f"expected a torchbind tensor, got {type(other).__name__}")
        t = cls.empty(*other._dims())
        cls._c(f"Tensor_copy{other.etype.name}")(t, other)
        return t

    def _view(self: _TT, family: str, *args: Any) -> _TT:
        """A new tensor made by a TH newX view constructor; it shares this tensor's owner."""
        return type(self)(self._c(family)(self, *args), owner=self._owner)

    # ---- geometry ----------------------------------------------------------------------

    def is_contiguous(self) -> bool:
        """Whether the elements are laid out in row-major order without gaps."""
        return bool(self._c("Tensor_isContiguous")(self))

    def storage(self) -> Storage | None:
        """The storage under this tensor (shared, not copied); None for a fresh empty tensor."""
        ptr = self._struct().storage
        return self.storage_class(ptr, borrowed=True, owner=self._owner) if ptr else None

    # ---- views (share memory) ----------------------------------------------------------

    def narrow(self: _TT, dim: int, start: int, length: int) -> _TT:
        """Elements ``start`` to ``start + length`` along ``dim`` (a view).

        >>> import numpy as np, torchbind.float_tensor as F
        >>> F.from_numpy(np.arange(5, dtype=np.float32)).narrow(0, 1, 3).tolist()
        [1.0, 2.0, 3.0]
        """
        d = self._dim(dim)
        start, length = _index(start), _index(length)
        if start < 0:
            start += self.shape[d]
        return self._view("Tensor_newNarrow", d, start, length)

    def select(self: _TT, dim: int, index: int) -> _TT:
        """The slice at ``index`` along ``dim``, one dimension fewer (tensor must be >= 2-d).

        >>> import numpy as np, torchbind.float_tensor as F
        >>> F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3)).select(1, 2).tolist()
        [2.0, 5.0]
        """
        d = self._dim(dim)
        i = _index(index)
        if i < 0:
            i += self.shape[d]
        return self._view("Tensor_newSelect", d, i)

    def transpose(self: _TT, dim0: int, dim1: int) -> _TT:
        """Swaps two dimensions (a view).

        >>> import torchbind.float_tensor as F
        >>> F.empty(2, 3, 4).transpose(0, 2).shape
        (4, 3, 2)
        """
        return self._view("Tensor_newTranspose", self._dim(dim0), self._dim(dim1))

    def t(self: _TT) -> _TT:
        """The transpose of a matrix."""
        if self.ndim != 2:
            raise ValueError(f"t() expects a 2-d tensor, got {self.ndim}-d")
        return self.transpose(0, 1)

    def unfold(self: _TT, dim: int, size: int, step: int) -> _TT:
        """All slices of ``size`` elements along ``dim``, ``step`` apart, as a new last dim.

        >>> import numpy as np, torchbind.int_tensor as I
        >>> I.from_numpy(np.arange(5, dtype=np.int32)).unfold(0, 2, 2).tolist()
        [[0, 1], [2, 3]]
        """
        return self._view("Tensor_newUnfold", self._dim(dim), _index(size), _index(step))

    def squeeze(self: _TT, dim: int | None = None) -> _TT:
        """Drops dimensions of size 1 (all of them, or only ``dim``)."""
        t = type(self)(self._c("Tensor_new")(), owner=self._owner)
        if dim is None:
            self._c("Tensor_squeeze")(t, self)
        else:
            self._c("Tensor_squeeze1d")(t, self, self._dim(dim))
        return t

    def unsqueeze(self: _TT, dim: int) -> _TT:
        """Inserts a dimension of size 1 at ``dim``."""
        t = type(self)(self._c("Tensor_new")(), owner=self._owner)
        self._c("Tensor_unsqueeze1d")(t, self, self._dim(dim, extra=1))
        return t

    def expand(self: _TT, *shape: int) -> _TT:
        """A broadcast view: size-1 dimensions repeat (stride 0) to the given shape.

        >>> import numpy as np, torchbind.int_tensor as I
        >>> e = I.from_numpy(np.array([[1], [2]], np.int32)).expand(2, 3)
        >>> e.tolist(), e.strides
        ([[1, 1, 1], [2, 2, 2]], (1, 0))
        """
        dims = _shape_arg(shape, allow_minus_one=True)
        sizes = _long_storage(dims)
        return self._view("Tensor_newExpand", sizes)

    def view(self: _TT, *shape: int) -> _TT:
        """The same elements with another shape (one size may be -1); must be contiguous.

        >>> import torchbind.float_tensor as F
        >>> F.zeros(2, 6).view(3, -1).shape
        (3, 4)
        """
        dims = _shape_arg(shape, allow_minus_one=True)
        return self._view("Tensor_newView", _long_storage(dims))

    # ---- copies and in-place changes ---------------------------------------------------

    def copy(self: _TT) -> _TT:
        """A contiguous copy."""
        return type(self)(self._c("Tensor_newClone")(self))

    def contiguous(self: _TT) -> _TT:
        """This tensor if contiguous, else a contiguous copy."""
        return self._view("Tensor_newContiguous")

    def copy_(self: _TT, src: Tensor) -> _TT:
        """Copies ``src`` (any type, same number of elements) into this tensor; returns self.

        >>> import numpy as np, torchbind.float_tensor as F, torchbind.long_tensor as L
        >>> F.zeros(3).copy_(L.from_numpy(np.array([7, 8, 9]))).tolist()
        [7.0, 8.0, 9.0]
        """
        if not isinstance(src, Tensor):
            raise TypeError(f"expected a torchbind tensor, got {type(src).__name__}")
        self._c(f"Tensor_copy{src.etype.name}")(self, src)
        return self

    def resize_(self: _TT, *shape: int) -> _TT:
        """Changes the shape in place, reallocating the storage when it is too small."""
        dims = _shape_arg(shape)
        sizes = (ctypes.c_long * max(len(dims), 1))(*dims)
        self._c("Tensor_resizeNd")(self, len(dims), sizes, None)
        return self

    def reshape(self: _TT, *shape: int) -> _TT:
        """The same elements with another shape: a view when contiguous, else a copy."""
        return (self if self.is_contiguous() else self.contiguous()).view(*shape)

    def to(self, target: Any) -> Tensor:
        """This tensor converted to another type (a per-type module, a Tensor class or a TH
        type name such as "Double"), through TH's copy functions; self if already that type.

        >>> import torchbind.float_tensor as F, torchbind.double_tensor as D
        >>> F.zeros(2).to(D).type_name, F.zeros(2).to("Long").type_name
        ('Double', 'Long')
        """
        cls = _tensor_class(target)
        return self if cls is type(self) else cls.from_tensor(self)

    @property
    def type_name(self) -> str:
        """TH's name of the element type ("Float", "Int" ...)."""
        return self.etype.name

    # ---- indexing (basic numpy indexing: views of the same storage) --------------------

    def __getitem__(self, index: Any) -> Any:
        """Ints, slices (positive steps), ``...`` and ``None``, as numpy; a view of the same
        storage, or a Python number when every dimension is indexed.

        >>> import numpy as np, torchbind.int_tensor as I
        >>> t = I.from_numpy(np.arange(12, dtype=np.int32).reshape(3, 4))
        >>> t[1], t[1, 2], t[:, ::2].shape
        (tensor([4, 5, 6, 7], Int), 6, (3, 2))
        """
        ptr, cls = self._th_ptr, type(self)
        if ptr and cls.etype.math:  # the fast paths: an int, a slice or all ints, no numpy
            s = TensorStruct.from_address(ptr)
            nd = s.nDimension
            if index.__class__ is int and nd:
                n = s.size[0]
                i = index + n if index < 0 else index
                if 0 <= i < n:
                    if nd == 1:
                        return cls._raw("Tensor_get1d")(ptr, i)
                    return self._new_view(cls._raw("Tensor_newSelect")(ptr, 0, i))
            elif index.__class__ is slice and nd and index.step in (None, 1):
                start, stop, _ = index.indices(s.size[0])
                if stop > start:
                    return self._new_view(cls._raw("Tensor_newNarrow")(ptr, 0, start,
                                                                       stop - start))
            elif index.__class__ is tuple and 2 <= len(index) == nd <= 4:
                size, at = s.size, []
                for d, i in enumerate(index):
                    if i.__class__ is not int:
                        break
                    n = size[d]
                    i = i + n if i < 0 else i
                    if not 0 <= i < n:
                        break
                    at.append(i)
                else:
                    return cls._raw(_GET[nd])(ptr, *at)
        full = np.asarray(self)
        part = full[index]
        if not isinstance(part, np.ndarray) or part.ndim == 0:
            return part.item() if isinstance(part, (np.ndarray, np.generic)) else part
        if part.size == 0:
            return type(self)(self._c("Tensor_new")())
        if not np.shares_memory(part, full):  # advanced indexing: numpy made a copy
            return type(self).from_numpy(part)
        item = self.etype.dtype.itemsize
        if any(st < 0 for st in part.strides):
            raise ValueError("negative steps are not supported: TH strides are non-negative")
        storage = self._struct().storage
        data = StorageStruct.from_address(storage).data
        offset = (part.ctypes.data - data) // item
        nd = part.ndim
        sizes = (ctypes.c_long * nd)(*part.shape)
        strides = (ctypes.c_long * nd)(*(st // item for st in part.strides))
        t = type(self)(self._c("Tensor_new")(), owner=self._owner)
        self._c("Tensor_setStorageNd")(t, storage, offset, nd, sizes, strides)
        return t

    def __setitem__(self, index: Any, value: Any) -> None:
        """Assignment through a numpy view of this tensor (numpy's broadcasting rules)."""
        if isinstance(value, Tensor):
            value = np.asarray(value)
        np.asarray(self)[index] = value

    def __iter__(self) -> Any:
        for i in range(len(self)):
            yield self[i]

    # ---- arithmetic: TH's functions, TH's semantics (no type promotion) ----------------

    def _operand(self, other: Any) -> Tensor | None:
        """other as a tensor of this type broadcast against self, or None for a scalar."""
        if isinstance(other, Tensor):
            if type(other) is not type(self):
                raise TypeError(f"cannot combine {self.type_name} and {other.type_name} tensors;"
                                f" convert one with .to()")
            return other
        if isinstance(other, np.ndarray):
            return type(self).from_numpy(other)
        return None

    def _binary(self: _TT, other: Any, scalar_fn: str, tensor_fn: str, *,
                out: Tensor | None = None) -> _TT:
        cls = type(self)
        if out is None or out is self:  # the fast paths: the module functions, no broadcast
            if other.__class__ is float or other.__class__ is int:
                return cast(_TT, cls._fn(_FAMILY[scalar_fn])(self, other, out=out))
            p, q = self._th_ptr, other._th_ptr if other.__class__ is cls else 0
            if q and p and cls._raw("Tensor_isSameSizeAs")(p, q):
                fn = cls._fn(_FAMILY[tensor_fn])
                if tensor_fn in _SCALED:  # r = self +- 1 * other
                    return cast(_TT, fn(self, cls._one, other, out=out))
                return cast(_TT, fn(self, other, out=out))
        r = cast(_TT, out) if out is not None else type(self)(self._c("Tensor_new")())
        o = self._operand(other)
        if o is None:
            self._c(scalar_fn)(r, self, _scalar(self.etype, other))
            return r
        a, b = _broadcast(self, o)
        if out is not None and a.shape != out.shape:
            raise ValueError(f"in-place result of shape {out.shape} cannot hold {a.shape}")
        if tensor_fn in ("Tensor_cadd", "Tensor_csub"):
            self._c(tensor_fn)(r, a, 1, b)
        else:
            self._c(tensor_fn)(r, a, b)
        return r

    def __add__(self: _TT, other: Any) -> _TT:
        """``t + u`` and ``t + 2``: TH's cadd and add, broadcasting as numpy does.

        >>> import numpy as np, torchbind.byte_tensor as B
        >>> (B.from_numpy(np.array([250, 3], np.uint8)) + 10).tolist()  # wraps, as in C
        [4, 13]
        """
        return self._binary(other, "Tensor_add", "Tensor_cadd")

    def __sub__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_sub", "Tensor_csub")

    def __mul__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_mul", "Tensor_cmul")

    def __truediv__(self: _TT, other: Any) -> _TT:
        """Division as TH does it: integer tensors divide with C's truncation."""
        return self._binary(other, "Tensor_div", "Tensor_cdiv")

    def __mod__(self: _TT, other: Any) -> _TT:
        """Python's remainder (sign of the divisor), TH's remainder/cremainder."""
        return self._binary(other, "Tensor_remainder", "Tensor_cremainder")

    def __pow__(self: _TT, other: Any) -> _TT:
        o = self._operand(other)
        if o is None and self.etype.floating:
            r = type(self)(self._c("Tensor_new")())
            self._c("Tensor_pow")(r, self, _scalar(self.etype, other))
            return r
        if o is None:
            o = type(self).empty(*self._dims()) if self._dims() else type(self).empty()
            self._c("Tensor_fill")(o, _scalar(self.etype, other))
        r = type(self)(self._c("Tensor_new")())
        a, b = _broadcast(self, o)
        self._c("Tensor_cpow")(r, a, b)
        return r

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self: _TT, other: Any) -> _TT:
        return cast(_TT, -self + other)

    def __rtruediv__(self: _TT, other: Any) -> _TT:
        return self._full_like(other) / self

    def __rpow__(self: _TT, other: Any) -> _TT:
        r = type(self)(self._c("Tensor_new")())
        self._c("Tensor_tpow")(r, _scalar(self.etype, other), self)
        return r

    def __rmod__(self: _TT, other: Any) -> _TT:
        return self._full_like(other) % self

    def _full_like(self: _TT, value: Any) -> _TT:
        t = type(self).empty(*self._dims()) if self._dims() else type(self).empty()
        self._c("Tensor_fill")(t, _scalar(self.etype, value))
        return t

    def __neg__(self: _TT) -> _TT:
        """-x; for Byte it wraps around (0 - x mod 256), as TH's arithmetic does."""
        minus_one = -1 if self.etype.signed else _wrap_neg_one(self.etype)
        return self._binary(minus_one, "Tensor_mul", "Tensor_cmul")

    def __pos__(self: _TT) -> _TT:
        return self.copy()

    def __abs__(self: _TT) -> _TT:
        """|x| by TH's abs (which Byte and Char lack: unsigned is its own, Char via numpy)."""
        if not self.etype.signed:
            return self.copy()
        if self.etype.name == "Char":
            return type(self).from_numpy(np.abs(np.asarray(self)))
        r = type(self)(self._c("Tensor_new")())
        self._c("Tensor_abs")(r, self)
        return r

    def __iadd__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_add", "Tensor_cadd", out=self)

    def __isub__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_sub", "Tensor_csub", out=self)

    def __imul__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_mul", "Tensor_cmul", out=self)

    def __itruediv__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_div", "Tensor_cdiv", out=self)

    def __imod__(self: _TT, other: Any) -> _TT:
        return self._binary(other, "Tensor_remainder", "Tensor_cremainder", out=self)

    def __matmul__(self, other: Any) -> Any:
        """Matrix products by TH's addmm / addmv / dot (beta = 0).

        >>> import numpy as np, torchbind.double_tensor as D
        >>> m = D.from_numpy(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> (m @ m).tolist(), m @ D.from_numpy(np.ones(2))
        ([[7.0, 10.0], [15.0, 22.0]], tensor([3., 7.], Double))
        """
        o = self._operand(other)
        if o is None:
            raise TypeError("@ needs two tensors")
        if self.ndim == 2 and o.ndim == 2:
            r = type(self).empty(self.shape[0], o.shape[1])
            self._c("Tensor_addmm")(r, 0, r, 1, self, o)
            return r
        if self.ndim == 2 and o.ndim == 1:
            r = type(self).empty(self.shape[0])
            self._c("Tensor_addmv")(r, 0, r, 1, self, o)
            return r
        if self.ndim == 1 and o.ndim == 2:
            return o.t() @ self
        if self.ndim == 1 and o.ndim == 1:
            if self.shape != o.shape:
                raise ValueError(f"@ of vectors of sizes {self.shape[0]} and {o.shape[0]}")
            return self._c("Tensor_dot")(self, o)
        raise ValueError(f"@ of {self.ndim}-d and {o.ndim}-d tensors is not defined")

    # comparisons give Byte masks (0/1), as TH's lt/le/gt/ge/eq/ne
    def _compare(self, other: Any, op: str) -> Tensor:
        r = TENSOR_CLASSES["Byte"].empty()
        o = self._operand(other)
        if o is None:
            self._c(f"Tensor_{op}Value")(r, self, _scalar(self.etype, other))
        else:
            a, b = _broadcast(self, o)
            self._c(f"Tensor_{op}Tensor")(r, a, b)
        return r

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, "lt")

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, "le")

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, "gt")

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, "ge")

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, "eq")

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, "ne")

    __hash__ = None  # type: ignore[assignment]  # mutable, and == is elementwise

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise ValueError("the truth value of a tensor of several elements is ambiguous")
        return bool(self.item())

    # ---- pickling and DLPack -----------------------------------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle, (self.type_name, np.array(np.asarray(self)), self.numel() == 0))

    def __dlpack__(self, **kwargs: Any) -> Any:
        """DLPack export (CPU), zero-copy: the capsule is numpy's over this tensor's memory,
        and keeps this tensor alive until the consumer releases it."""
        return np.asarray(self).__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        return (1, 0)  # kDLCPU, device 0

    # ---- numpy and Python --------------------------------------------------------------

    def _array_interface(self) -> dict[str, Any]:
        s = self._struct()
        nd, item = s.nDimension, self.etype.dtype.itemsize
        if nd == 0:
            shape: tuple[int, ...] = (0,)
            strides: tuple[int, ...] = (item,)
            addr = _EMPTY_ADDRESS
        else:
            shape = tuple(s.size[:nd])
            strides = tuple([x * item for x in s.stride[:nd]])
            st = StorageStruct.from_address(s.storage)
            addr = st.data + s.storageOffset * item
        return {"version": 3, "shape": shape, "strides": strides,
                "typestr": self.etype.dtype.str, "data": (addr, False)}

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """A numpy view (strides included). While it (or a DLPack capsule made from it) lives,
        the storage is pinned: a resize that would reallocate it raises instead."""
        ptr = self._th_ptr
        if ptr and dtype is None and not copy:  # the fast path: _exported's steps, inlined
            s = TensorStruct.from_address(ptr)
            nd, storage = s.nDimension, s.storage
            if nd and storage:
                st = StorageStruct.from_address(storage)
                # Memory that TH neither frees nor moves, lent by this tensor's owner (from_numpy's
                # array): the export keeps this tensor, and so the owner, alive; nothing to pin.
                lent = not ord(st.flag) & _MOVABLE and self._owner is not None
                export = _Export(0 if lent else storage, self.storage_class, self)  # pinned now
                item = self._itemsize
                export.__array_interface__ = {
                    "version": 3, "shape": tuple(s.size[:nd]),
                    "strides": tuple([x * item for x in s.stride[:nd]]),
                    "typestr": self._typestr, "data": (st.data + s.storageOffset * item, False)}
                return np.asarray(export)
        return _exported(self._array_interface, self._struct().storage or 0, self.storage_class,
                         self, dtype, copy)

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


def _converted(array: Any, dtype: np.dtype) -> np.ndarray:
    """``array`` as a numpy array of ``dtype``; refuses what would silently become garbage:
    None, non-finite values for an integer type, values outside the type's range."""
    if array is None:
        raise TypeError("from_numpy() needs an array or a sequence of numbers, not None")
    a = np.asarray(array)
    if a.dtype == dtype:
        return a
    if a.dtype.kind == "O" and dtype.kind in "iu":  # Python ints too large for int64
        info = np.iinfo(dtype)
        for v in a.ravel().tolist():
            if isinstance(v, int) and not info.min <= v <= info.max:
                raise OverflowError(f"{v} does not fit in {dtype}")
    if a.dtype.kind not in "biufO":
        raise TypeError(f"cannot convert an array of {a.dtype} to {dtype}")
    if dtype.kind in "iu" and a.size and a.dtype.kind in "iuf":
        if a.dtype.kind == "f" and not np.isfinite(a).all():
            raise ValueError(f"cannot convert NaN or inf to {dtype}")
        info = np.iinfo(dtype)
        lo, hi = a.min(), a.max()
        if (a.dtype.kind == "f" and (lo <= info.min - 1 or hi >= info.max + 1)) or (
                a.dtype.kind != "f" and (int(lo) < info.min or int(hi) > info.max)):
            raise OverflowError(f"values from {lo} to {hi} do not fit in {dtype}")
    return a.astype(dtype)


def _tensor_class(target: Any) -> type[Tensor]:
    if isinstance(target, type) and issubclass(target, Tensor):
        return target
    name = getattr(target, "ELEMENT_TYPE", None)
    name = name.name if name is not None else target
    if isinstance(name, str) and name.capitalize() in TENSOR_CLASSES:
        return TENSOR_CLASSES[name.capitalize()]
    raise TypeError(f"cannot convert to {target!r}: give a per-type module, a Tensor class or a "
                    f"type name")


def _scalar(etype: ElementType, value: Any) -> Any:
    """A Python scalar for a `real` argument, checked as the per-type modules check it."""
    return real_converter(etype)(value)


def _null(obj: Any, ptr: int | None) -> None:
    """After a fast path's raw call: raises the error TH parked for this thread, if any; else
    MemoryError if the call returned NULL (other threads' errors stay theirs)."""
    if ffi._pending.value:
        ffi.raise_pending(obj._th_struct)
    if not ptr:
        raise MemoryError(f"{obj._th_struct}: allocation failed (NULL)")


# from_numpy's fast path: an array C-contiguous, aligned and writeable (numpy's flag bits), its
# address (ctypes reads it through the buffer protocol) and its sizes padded to four
_PLAIN = 0x1 | 0x100 | 0x400
_address, _byte_at = ctypes.addressof, ctypes.c_char.from_buffer
_PAD = (1, 1, 1)

# the operators' C families by their module functions' names; those that scale their operand
_FAMILY = {f"Tensor_{n}": n for n in (
    "add", "sub", "mul", "div", "remainder", "cadd", "csub", "cmul", "cdiv", "cremainder")}
_SCALED = ("Tensor_cadd", "Tensor_csub")

_MOVABLE = TH_STORAGE_FREEMEM | TH_STORAGE_RESIZABLE  # storage flags of memory that TH owns

_SIZE_LIMIT = 2**62  # sizes the fast paths take as they are (larger ones: _shape_arg checks)
_NEW_WITH_SIZE = {n: f"Tensor_newWithSize{n}d" for n in range(1, 5)}
_GET = {n: f"Tensor_get{n}d" for n in range(1, 5)}


def _wrap_neg_one(etype: ElementType) -> int:
    return int(np.iinfo(etype.dtype).max)  # -1 in the type's wrap-around arithmetic


def _broadcast(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """Both operands expanded to their common shape (numpy's rules), as views."""
    if a._dims() == b._dims():
        return a, b
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"shapes {a.shape} and {b.shape} do not broadcast") from None
    return (a if a.shape == shape else a.expand(*shape)), (b if b.shape == shape else
                                                          b.expand(*shape))


def _unpickle(type_name: str, array: np.ndarray, empty: bool) -> Tensor:
    cls = TENSOR_CLASSES[type_name]
    return cls.empty() if empty else cls.from_numpy(array)


def from_dlpack(obj: Any, module: Any = None) -> Tensor:
    """A tensor sharing the memory of any CPU object with ``__dlpack__`` (a torch tensor, a
    numpy array, a torchbind tensor...). The element type follows the data unless ``module``
    (a per-type module or type name) says otherwise (then the data is converted, a copy)."""
    from torchbind._types import BY_DTYPE
    array = np.from_dlpack(obj)
    if module is not None:
        return _tensor_class(module).from_numpy(array)
    etype = BY_DTYPE.get(array.dtype)
    if etype is None:
        raise TypeError(f"no TH type holds {array.dtype}")
    return TENSOR_CLASSES[etype.name].from_numpy(array)


def _shape_arg(shape: tuple[Any, ...], *, allow_minus_one: bool = False) -> tuple[int, ...]:
    """Accepts f(2, 3) and f((2, 3)); checks every size."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    dims = tuple(_index(s, "size") for s in shape)
    for s in dims:
        if s > 2**63 - 1:  # a C long: ctypes would wrap it silently
            raise OverflowError(f"size {s} in shape {dims} does not fit a C long")
        if s < 0 and not (allow_minus_one and s == -1):
            raise ValueError(f"negative size {s} in shape {dims}")
    return dims


def _long_storage(dims: tuple[int, ...]) -> Storage:
    cls = STORAGE_CLASSES["Long"]
    s = cls.new(len(dims))
    if dims:
        np.asarray(s)[:] = dims
    return s


# One class per element type, stated here so that type checkers see them; the loop below
# fills in what each one is made of.
class ByteTensor(Tensor):
    """A tensor of uint8 elements (THByteTensor)."""

    __slots__ = ()


class CharTensor(Tensor):
    """A tensor of int8 elements (THCharTensor)."""

    __slots__ = ()


class ShortTensor(Tensor):
    """A tensor of int16 elements (THShortTensor)."""

    __slots__ = ()


class IntTensor(Tensor):
    """A tensor of int32 elements (THIntTensor)."""

    __slots__ = ()


class LongTensor(Tensor):
    """A tensor of int64 elements (THLongTensor)."""

    __slots__ = ()


class FloatTensor(Tensor):
    """A tensor of float32 elements (THFloatTensor)."""

    __slots__ = ()


class DoubleTensor(Tensor):
    """A tensor of float64 elements (THDoubleTensor)."""

    __slots__ = ()


class HalfTensor(Tensor):
    """A tensor of float16 elements (THHalfTensor): storage, views, copies and files only."""

    __slots__ = ()


TENSOR_CLASSES: dict[str, type[Tensor]] = {}
for _cls in (ByteTensor, CharTensor, ShortTensor, IntTensor, LongTensor, FloatTensor,
             DoubleTensor, HalfTensor):
    _t = TYPES[_cls.__name__[: -len("Tensor")]]
    _cls.etype = _t
    _cls.storage_class = STORAGE_CLASSES[_t.name]
    _cls._th_struct = _t.tensor_struct
    _cls._th_free = ffi.raw(_t.fn("Tensor_free"), quick=True)  # an address: cheap in __del__
    _cls._th_retain = ffi.declare(_t.fn("Tensor_retain"))
    _cls._fns = {}
    _cls._itemsize, _cls._typestr = _t.dtype.itemsize, _t.dtype.str
    _cls._one = 1.0 if _t.floating else 1
    _cls._foreign = ffi.raw_if_exported(_t.fn("Tensor_newWithForeignData"), quick=True)
    TENSOR_CLASSES[_t.name] = _cls
