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
from torchbind._types import BY_DTYPE, TYPES, ElementType, real_converter
from torchbind.errors import THValueError, THZeroDivisionError
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

    With numpy (the README's "numpy users" section says the same):

    * Operators compute with TH in one element type. A Python ``int``/``float`` takes the
      tensor's type (it must fit: OverflowError otherwise; NaN/inf into an integer type:
      ValueError; a float with a fraction into an integer type: TypeError). A numpy scalar or
      array takes part in numpy's promotion (``numpy.result_type``, numpy 2 rules): the result
      is a tensor of that type, whichever side the numpy operand is on (``t + a``, ``a + t``,
      ``np.float32(1) + t``, ``np.add(a, t)`` all agree), never a silent downcast. In-place
      operators keep the tensor's type when numpy's ``same_kind`` rule allows the cast
      (else TypeError, as numpy). Two tensors of different types: TypeError (``.to()``).
    * numpy ufuncs on tensors (``np.exp(t)``, ``np.add.reduce(t)``) compute with numpy on the
      tensor's memory and return a tensor of the result's type (bool results as Byte masks);
      the ufuncs of the operators (add, subtract, ..., less, equal) run the operators, with
      TH's semantics. Other numpy functions (``np.sum(t)``, ``np.concatenate``, ``np.where``)
      see tensors as numpy views of their memory (no copy) and return numpy's own results.
    * Indexing: Byte tensors (what comparisons return) and numpy bool arrays are boolean
      masks (any nonzero byte counts as true); other integer tensors and arrays are 0-based
      integer indices; both as numpy's advanced indexing (a copy; assignment writes through).
    """

    __array_priority__ = 1000  # numpy defers to the tensor's operators

    __slots__ = ()
    etype: ClassVar[ElementType]
    storage_class: ClassVar[type[Storage]]
    _fns: ClassVar[dict[str, Any]]  # the fast paths' raw C functions and module functions
    _foreign: ClassVar[Any]  # raw TH<T>Tensor_newWithForeignData; None where the library lacks it
    _new_cadd: ClassVar[Any]  # raw TH<T>Tensor_newCadd / newCmul: t + u, t - u, t * u of one size
    _new_cmul: ClassVar[Any]  # in one call; None where the library (or the type) lacks them
    _minus_one: ClassVar[int | float]  # -1 in the element type's arithmetic (csub's scale)
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

    # ---- numpy-like members ------------------------------------------------------------

    def astype(self, dtype: Any) -> Tensor:
        """A copy converted to another element type, always a copy (numpy's ``astype``).
        ``dtype`` is what numpy's astype takes (``np.float32``, ``"int64"``, ``float``: numpy's
        meaning, so ``"float"`` is float64) or a TH type name (``"Float"``), a per-type module
        or a Tensor class; ``bool`` gives a Byte mask (nonzero -> 1). Unlike numpy's unsafe
        cast, values the new type cannot hold raise: OverflowError out of range, ValueError
        for NaN/inf into an integer type (fractions truncate toward zero, as numpy).

        >>> import numpy as np, torchbind.float_tensor as F
        >>> F.from_numpy(np.array([1.5, -2.5], np.float32)).astype(np.int64)
        tensor([ 1, -2], Long)
        """
        if dtype is bool or (not isinstance(dtype, (str, ModuleType)) and
                             not (isinstance(dtype, type) and issubclass(dtype, Tensor)) and
                             np.dtype(dtype) == np.bool_):
            return self != 0
        if isinstance(dtype, str) and dtype in TENSOR_CLASSES:
            cls = TENSOR_CLASSES[dtype]
        elif isinstance(dtype, ModuleType) or (isinstance(dtype, type) and
                                               issubclass(dtype, Tensor)):
            cls = _tensor_class(dtype)
        else:
            try:
                dt = np.dtype(dtype)
            except TypeError:
                raise TypeError(f"astype: {dtype!r} is neither a numpy dtype nor a TH type"
                                ) from None
            etype = BY_DTYPE.get(dt)
            if etype is None:
                raise TypeError(f"astype: no TH tensor type holds {dt}")
            cls = TENSOR_CLASSES[etype.name]
        if cls is type(self):
            return self.copy()
        if not self.numel():
            return cls.empty()
        return cls.from_numpy(_converted(np.asarray(self), cls.etype.dtype))

    @property
    def T(self: _TT) -> _TT:
        """All dimensions reversed (a view), as numpy's ``.T``; a 1-d tensor is returned as
        it is."""
        nd = len(self._dims())
        t = self
        for i in range(nd // 2):
            t = t.transpose(i, nd - 1 - i)
        return t

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return int(self.etype.dtype.itemsize)

    @property
    def nbytes(self) -> int:
        """Bytes of the elements (numel * itemsize; not the storage's size)."""
        return self.numel() * self.itemsize

    def _reduce(self, axis: Any, keepdims: bool, whole: str, along: str) -> Any:
        """A reduction by TH: the whole tensor (a Python number) when ``axis`` is None, else
        along one dimension (a tensor; a Python number for a 1-d tensor, as numpy)."""
        if not self.etype.math:
            raise TypeError(f"{self.type_name} tensors have no arithmetic")
        if axis is None:
            v = self._fn(whole)(self)
            if not keepdims:
                return v
            return type(self).from_numpy(np.full((1,) * self.ndim, v, self.etype.dtype))
        d = self._dim(axis)
        if self.ndim == 1 and not keepdims:
            return self._fn(whole)(self)
        r = self._fn(along)(self, d, int(bool(keepdims)))
        return r[0] if isinstance(r, tuple) else r

    def sum(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """The sum of all elements (a Python number: int for integer types, accumulated as
        TH's accreal) or along ``axis`` (a tensor of this type, as TH sums).

        >>> import numpy as np, torchbind.int_tensor as I
        >>> t = I.from_numpy(np.arange(6, dtype=np.int32).reshape(2, 3))
        >>> t.sum(), t.sum(0).tolist(), t.sum(axis=1, keepdims=True).tolist()
        (15, [3, 5, 7], [[3], [12]])
        """
        return self._reduce(axis, keepdims, "sumall", "sum")

    def prod(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """The product of all elements, or along ``axis`` (as :meth:`sum`)."""
        return self._reduce(axis, keepdims, "prodall", "prod")

    def max(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """The largest element (a Python number), or the largest along ``axis`` (a tensor;
        TH's max, without its indices). ValueError for an empty tensor."""
        return self._reduce(axis, keepdims, "maxall", "max")

    def min(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """The smallest element, or the smallest along ``axis`` (as :meth:`max`)."""
        return self._reduce(axis, keepdims, "minall", "min")

    def mean(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """The mean of all elements (a float), or along ``axis`` (a tensor). Integer tensors
        are averaged as Double (numpy gives float64 too)."""
        if not self.etype.floating:
            if not self.etype.math:
                raise TypeError(f"{self.type_name} tensors have no arithmetic")
            return self.to("Double").mean(axis, keepdims)
        return self._reduce(axis, keepdims, "meanall", "mean")

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
        part = full[_numpy_index(index)]
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
        """Assignment through a numpy view of this tensor (numpy's broadcasting rules; Byte
        tensors and bool arrays as masks). Values that an integer type cannot hold raise:
        OverflowError out of range, ValueError for NaN or infinity.

        >>> import numpy as np, torchbind.int_tensor as I
        >>> t = I.from_numpy(np.arange(9, dtype=np.int32).reshape(3, 3))
        >>> t[t > 4] = -1
        >>> t.tolist()
        [[0, 1, 2], [3, 4, -1], [-1, -1, -1]]
        """
        if value is None:
            raise TypeError(f"cannot assign None to elements of a {self.type_name} tensor")
        if isinstance(value, Tensor):
            value = np.asarray(value)
        try:
            value = _converted(value, self.etype.dtype)
        except (OverflowError, ValueError) as e:
            raise type(e)(f"{self.type_name} tensor: {e}") from None
        np.asarray(self)[_numpy_index(index)] = value

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

    def _numpy_operands(self, other: Any) -> tuple[Tensor, Any]:
        """numpy's promotion for a numpy operand (scalar or array): self converted to numpy's
        result type (self when it is already that type) and other (a numpy scalar as a Python
        one). Other operands come back as they are."""
        if isinstance(other, np.generic):
            dt = np.result_type(self.etype.dtype, other)
            other = other.item()
        elif isinstance(other, np.ndarray):
            dt = np.result_type(self.etype.dtype, other)
        else:
            return self, other
        if dt == self.etype.dtype:
            return self, other
        etype = BY_DTYPE.get(dt)
        if etype is None or not etype.math:
            raise TypeError(f"a {self.type_name} tensor with numpy's {np.asarray(other).dtype}: "
                            f"numpy's result type {dt} has no TH tensor with arithmetic")
        return TENSOR_CLASSES[etype.name].from_tensor(self), other

    def _into(self: _TT, out: Tensor | None, r: Tensor) -> _TT:
        """r (computed in a promoted type) as the result: out, when given, receives it (cast
        as numpy's in-place operators allow: the same kind of number, the same shape)."""
        if out is None:
            return cast(_TT, r)
        if not np.can_cast(r.dtype, out.dtype, "same_kind"):
            raise TypeError(f"cannot cast the {r.type_name} result into a {out.type_name} tensor "
                            f"in place (numpy's same_kind rule); use t = t <op> x")
        if r.shape != out.shape:
            raise ValueError(f"in-place result of shape {out.shape} cannot hold {r.shape}")
        out.copy_(r)
        return cast(_TT, out)

    def _binary(self: _TT, other: Any, scalar_fn: str, tensor_fn: str, *,
                out: Tensor | None = None) -> _TT:
        cls = type(self)
        if out is None or out is self:  # the fast paths: the module functions, no broadcast
            if other.__class__ is float or other.__class__ is int:
                return cast(_TT, cls._fn(_FAMILY[scalar_fn])(self, other, out=out))
            p, q = self._th_ptr, other._th_ptr if other.__class__ is cls else 0
            if q and p and out is None and tensor_fn in _FUSED and cls._new_cadd is not None:
                ptr = (cls._new_cmul(p, q) if tensor_fn == "Tensor_cmul" else
                       cls._new_cadd(p, cls._one if tensor_fn == "Tensor_cadd" else
                                     cls._minus_one, q))
                if ptr or ffi._pending.value:
                    return cls._adopt(ptr, None)
                # NULL and no error: the sizes differ (broadcasting, below)
            elif q and p and cls._raw("Tensor_isSameSizeAs")(p, q):
                fn = cls._fn(_FAMILY[tensor_fn])
                if tensor_fn in _SCALED:  # r = self +- 1 * other
                    return cast(_TT, fn(self, cls._one, other, out=out))
                return cast(_TT, fn(self, other, out=out))
        if isinstance(other, (np.ndarray, np.generic)):  # numpy's promotion
            a, other = self._numpy_operands(other)
            if a is not self:
                return self._into(out, a._binary(other, scalar_fn, tensor_fn))
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
        """Division as TH does it (TH's div/cdiv): integer tensors divide with C's truncation
        toward zero, in their own type (``-7 / 2 == -3``), unlike numpy's true_divide (which
        gives floats); ``//`` floors. Integer division by zero raises ZeroDivisionError
        (THZeroDivisionError); floats give inf/NaN.

        >>> import numpy as np, torchbind.int_tensor as I
        >>> a = I.from_numpy(np.array([-7, 7], np.int32))
        >>> (a / 2).tolist(), (a // 2).tolist(), (a % 2).tolist()
        ([-3, 3], [-4, 3], [1, 1])
        """
        try:
            return self._binary(other, "Tensor_div", "Tensor_cdiv")
        except THValueError as e:
            raise _zero_division(e) from None

    def __mod__(self: _TT, other: Any) -> _TT:
        """Python's remainder (sign of the divisor), TH's remainder/cremainder: agrees with
        ``//`` (``(a // b) * b + a % b == a`` for integer types). Integer remainder by zero
        raises ZeroDivisionError."""
        try:
            return self._binary(other, "Tensor_remainder", "Tensor_cremainder")
        except THValueError as e:
            raise _zero_division(e) from None

    def __floordiv__(self: _TT, other: Any) -> _TT:
        """Floor division, as Python's ``//`` and numpy's floor_divide (computed by numpy on
        the tensors' memory: TH has none): rounds toward minus infinity and agrees with ``%``.
        Integer division by zero raises ZeroDivisionError; floats follow numpy (inf/NaN)."""
        return self._floordiv(other, None)

    def __rfloordiv__(self: _TT, other: Any) -> _TT:
        a, other = self._numpy_operands(other)
        if a is not self:
            return cast(_TT, a.__rfloordiv__(other))
        return self._left(other)._floordiv(self, None)

    def __ifloordiv__(self: _TT, other: Any) -> _TT:
        return self._floordiv(other, self)

    def _floordiv(self: _TT, other: Any, out: Tensor | None) -> _TT:
        if isinstance(other, (np.ndarray, np.generic)):
            a, other = self._numpy_operands(other)
            if a is not self:
                return self._into(out, a._floordiv(other, None))
        o = self._operand(other)
        if o is None:
            b: Any = _scalar(self.etype, other)
            a = self
        else:
            a, o = _broadcast(self, o)
            b = np.asarray(o)
            if out is not None and a.shape != out.shape:
                raise ValueError(f"in-place result of shape {out.shape} cannot hold {a.shape}")
        if not self.etype.floating and np.any(np.asarray(b) == 0) and a.numel():
            raise THZeroDivisionError(f"{self.type_name} tensor // 0: integer division by zero")
        r = out if out is not None else (type(self).empty(*a._dims()) if a.numel() else
                                         type(self).empty())
        if a.numel():
            with np.errstate(all="ignore"):
                np.floor_divide(np.asarray(a), b, out=np.asarray(r), casting="unsafe")
        return cast(_TT, r)

    def __pow__(self: _TT, other: Any) -> _TT:
        a, other = self._numpy_operands(other)
        if a is not self:
            return cast(_TT, a ** other)
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
        a, other = self._numpy_operands(other)
        if a is not self:
            return cast(_TT, a.__rsub__(other))
        return cast(_TT, -self + other)

    def __rtruediv__(self: _TT, other: Any) -> _TT:
        a, other = self._numpy_operands(other)
        if a is not self:
            return cast(_TT, a.__rtruediv__(other))
        return self._left(other) / self

    def __rpow__(self: _TT, other: Any) -> _TT:
        a, other = self._numpy_operands(other)
        if a is not self:
            return cast(_TT, a.__rpow__(other))
        if isinstance(other, np.ndarray):
            return self._left(other) ** self
        r = type(self)(self._c("Tensor_new")())
        self._c("Tensor_tpow")(r, _scalar(self.etype, other), self)
        return r

    def __rmod__(self: _TT, other: Any) -> _TT:
        a, other = self._numpy_operands(other)
        if a is not self:
            return cast(_TT, a.__rmod__(other))
        return self._left(other) % self

    def __rmatmul__(self, other: Any) -> Any:
        a, other = self._numpy_operands(other)
        if a is not self:
            return a.__rmatmul__(other)
        if not isinstance(other, np.ndarray):
            raise TypeError("@ needs two tensors (or arrays)")
        return type(self).from_numpy(other) @ self

    def _left(self: _TT, other: Any) -> _TT:
        """The left operand of a reflected operator as a tensor of this type: an array as it
        is (broadcast later), a scalar filled to this tensor's shape."""
        if isinstance(other, np.ndarray):
            return type(self).from_numpy(other)
        return self._full_like(other)

    def _full_like(self: _TT, value: Any) -> _TT:
        t = type(self).empty(*self._dims()) if self._dims() else type(self).empty()
        self._c("Tensor_fill")(t, _scalar(self.etype, value))
        return t

    def __neg__(self: _TT) -> _TT:
        """-x; for Byte it wraps around (0 - x mod 256), as TH's arithmetic does."""
        return self._binary(self._minus_one, "Tensor_mul", "Tensor_cmul")

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
        try:
            return self._binary(other, "Tensor_div", "Tensor_cdiv", out=self)
        except THValueError as e:
            raise _zero_division(e) from None

    def __imod__(self: _TT, other: Any) -> _TT:
        try:
            return self._binary(other, "Tensor_remainder", "Tensor_cremainder", out=self)
        except THValueError as e:
            raise _zero_division(e) from None

    def __matmul__(self, other: Any) -> Any:
        """Matrix products by TH's addmm / addmv / dot (beta = 0).

        >>> import numpy as np, torchbind.double_tensor as D
        >>> m = D.from_numpy(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> (m @ m).tolist(), m @ D.from_numpy(np.ones(2))
        ([[7.0, 10.0], [15.0, 22.0]], tensor([3., 7.], Double))
        """
        a, other = self._numpy_operands(other)
        if a is not self:
            return a @ other
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
        a, other = self._numpy_operands(other)
        if a is not self:
            return a._compare(other, op)
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

    def __float__(self) -> float:
        """The value of a one-element tensor (ValueError for any other number of elements)."""
        if self.numel() != 1:
            raise ValueError(f"only a one-element tensor converts to float; this one has "
                             f"{self.numel()}")
        return float(self.item())

    def __int__(self) -> int:
        """The value of a one-element tensor, truncated as int() does (ValueError for any
        other number of elements, and for NaN)."""
        if self.numel() != 1:
            raise ValueError(f"only a one-element tensor converts to int; this one has "
                             f"{self.numel()}")
        return int(self.item())

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
                if not ord(st.flag) & _MOVABLE and self._owner is not None:
                    export: _Lent | _Export = _Lent(self)
                else:
                    export = _Export(storage, self.storage_class, self)  # pinned from here on
                item = self._itemsize
                if nd == 1:
                    shape: tuple[int, ...] = (s.size[0],)
                    strides: tuple[int, ...] = (s.stride[0] * item,)
                else:
                    shape, strides = tuple(s.size[:nd]), tuple([x * item for x in s.stride[:nd]])
                export.__array_interface__ = {
                    "version": 3, "shape": shape, "strides": strides, "typestr": self._typestr,
                    "data": (st.data + s.storageOffset * item, False)}
                return np.asarray(export)
        return _exported(self._array_interface, self._struct().storage or 0, self.storage_class,
                         self, dtype, copy)

    def numpy(self) -> np.ndarray:
        """A numpy array sharing this tensor's memory."""
        return np.asarray(self)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy ufuncs on tensors. The operators' ufuncs (``np.add(a, t)``, ``a + t`` with an
        array on the left, ``np.float32(1) * t``, ``np.less(a, t)``...) run the tensor's
        operators, so both operand orders agree; any other ufunc, method (``reduce``...) or
        keyword (``out=``, ``where=``...) computes with numpy on the tensors' memory and
        returns a tensor of the result's type (bool as Byte; numpy's result where no TH type
        holds it, and numpy scalars for 0-d results). ``out=`` tensors are written through.

        >>> import numpy as np, torchbind.float_tensor as F
        >>> t = F.from_numpy(np.array([0.0, 1.0], np.float32))
        >>> np.exp(t).type_name, (np.ones(2) + t).type_name, (np.float32(1) + t).type_name
        ('Float', 'Double', 'Float')
        """
        if method == "__call__" and not kwargs:
            ops = _UFUNC_OPERATORS.get(ufunc)
            if ops is not None and len(inputs) == 1 and isinstance(inputs[0], Tensor):
                return getattr(inputs[0], ops[0])()
            if ops is not None and len(inputs) == 2:
                x, y = (_numpy_operand(v) for v in inputs)
                if isinstance(x, Tensor):
                    return getattr(x, ops[0])(y)
                if isinstance(y, Tensor):
                    return getattr(y, ops[1])(x)
        arrays = [np.asarray(v) if isinstance(v, Tensor) else v for v in inputs]
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(np.asarray(o) if isinstance(o, Tensor) else o for o in out)
        result = getattr(ufunc, method)(*arrays, **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        if isinstance(result, tuple):
            return tuple(_from_ufunc(r) for r in result)
        return _from_ufunc(result)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        """numpy functions (``np.sum(t)``, ``np.mean``, ``np.concatenate``, ``np.where``...)
        see tensors as numpy views of their memory (no copy) and return numpy's own results
        (arrays, numpy scalars): a documented conversion, not a dispatch to TH."""
        return func(*_as_arrays(args), **_as_arrays(kwargs))

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


def _numpy_index(index: Any) -> Any:
    """An index for numpy: Byte tensors become bool masks (nonzero is true), other tensors
    numpy arrays of their elements (0-based integer indices), inside tuples too."""
    if isinstance(index, tuple):
        return tuple(_numpy_index_part(i) for i in index)
    return _numpy_index_part(index)


def _numpy_index_part(i: Any) -> Any:
    if isinstance(i, Tensor):
        a = np.asarray(i)
        return a != 0 if i.etype.name == "Byte" else a
    return i


def _zero_division(e: THValueError) -> THValueError:
    """TH's integer "division by zero"/"remainder by zero" argument errors as Python's
    ZeroDivisionError (still a THValueError); other errors as they are."""
    if "by zero" in str(e):
        return THZeroDivisionError(*e.args)
    return e


def _numpy_operand(v: Any) -> Any:
    """A ufunc operand for the operators: tensors, arrays and scalars as they are, anything
    else (lists...) as numpy would see it."""
    if isinstance(v, (Tensor, np.ndarray, np.generic, int, float)):
        return v
    return np.asarray(v)


def _from_ufunc(r: Any) -> Any:
    """A ufunc's result: an array of a TH type as a tensor (bool as Byte), 0-d as a scalar."""
    if isinstance(r, np.ndarray):
        if r.ndim == 0:
            return r[()]
        if r.dtype == np.bool_:
            r = r.view(np.uint8)
        etype = BY_DTYPE.get(r.dtype)
        if etype is not None and r.size:
            return TENSOR_CLASSES[etype.name].from_numpy(r)
    return r


def _as_arrays(obj: Any) -> Any:
    """obj with every tensor in it (lists, tuples, dicts) as a numpy view."""
    if isinstance(obj, Tensor):
        return np.asarray(obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(_as_arrays(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _as_arrays(v) for k, v in obj.items()}
    return obj


_UFUNC_OPERATORS: dict[Any, tuple[str, str]] = {
    np.add: ("__add__", "__radd__"), np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"), np.true_divide: ("__truediv__", "__rtruediv__"),
    np.floor_divide: ("__floordiv__", "__rfloordiv__"), np.remainder: ("__mod__", "__rmod__"),
    np.power: ("__pow__", "__rpow__"), np.matmul: ("__matmul__", "__rmatmul__"),
    np.less: ("__lt__", "__gt__"), np.less_equal: ("__le__", "__ge__"),
    np.greater: ("__gt__", "__lt__"), np.greater_equal: ("__ge__", "__le__"),
    np.equal: ("__eq__", "__eq__"), np.not_equal: ("__ne__", "__ne__"),
    np.negative: ("__neg__", "__neg__"), np.positive: ("__pos__", "__pos__"),
    np.absolute: ("__abs__", "__abs__"),
}


class _Lent:
    """The base of a numpy view of lent memory (see Tensor.__array__): keeps the tensor, and so
    the memory's owner, alive; no pin to release."""

    __slots__ = ("__array_interface__", "_source")
    __array_interface__: dict[str, Any]

    def __init__(self, source: Tensor) -> None:
        self._source = source


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
_FUSED = ("Tensor_cadd", "Tensor_csub", "Tensor_cmul")  # newCadd / newCmul where exported

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
    # O(n) work: released GIL (not quick); both or neither (one table row each, same types)
    _cls._new_cadd = ffi.raw_if_exported(_t.fn("Tensor_newCadd"))
    _cls._new_cmul = ffi.raw_if_exported(_t.fn("Tensor_newCmul"))
    _cls._minus_one = -1.0 if _t.floating else -1 if _t.signed else _wrap_neg_one(_t)
    TENSOR_CLASSES[_t.name] = _cls
