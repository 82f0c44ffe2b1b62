"""CUDA tensors and storages: handles on libTHC's THCuda*Tensor / THCuda*Storage.

One class per element type (:class:`FloatTensor` is ``THCudaTensor``, :class:`DoubleTensor`
``THCudaDoubleTensor``, :class:`IntTensor`, :class:`LongTensor`); the per-type modules
(``torchbind.cuda.float_tensor`` ...) export them as ``Tensor``. The memory is on the GPU: data
moves to the host only when asked (:meth:`CudaTensor.numpy`, :meth:`CudaTensor.cpu`,
:meth:`CudaTensor.tolist`), and ``numpy.asarray`` refuses (as torch does) rather than copy
silently. DLPack (``torch.from_dlpack(t)``) shares the device memory without a copy.

Each handle owns one reference and its finalizer calls the matching ``*_free`` exactly once (with
the process-wide state); after the state is shut down at exit, finalizers leave the memory to
the operating system.
"""

from __future__ import annotations

import ctypes
import importlib
from typing import Any, ClassVar, TypeVar

import numpy as np

from torchbind._handle import Handle
from torchbind._types import TYPES, ElementType
from torchbind.cuda import _dlpack, _lib
from torchbind.cuda._thcapi import BUILT_TYPES, cuda_name
from torchbind.storage import StorageStruct
from torchbind.tensor import Tensor as CpuTensor
from torchbind.tensor import TensorGeometry, _index, _shape_arg


class CudaStorageStruct(StorageStruct):
    """The C layout of THCStorage: TH's (the base fields), then the device."""

    _fields_ = [("device", ctypes.c_int)]


class CudaHandle(Handle):
    """A Handle whose C functions take the THCState first."""

    __slots__ = ()
    _lib: ClassVar[Any] = _lib  # held here: finalizers may run while modules are torn down

    def __init__(self, ptr: int, *, borrowed: bool = False, owner: Any = None) -> None:
        if not ptr:
            raise ValueError(f"NULL {self._th_struct} pointer")
        if borrowed:
            self._th_retain(_lib.state(), ptr)
        self._th_ptr = ptr
        self._owner = owner

    def free(self) -> None:
        ptr, self._th_ptr = self._th_ptr, 0
        lib = self._lib
        if ptr and not lib.closed():
            self._th_free(lib.state(), ptr)


def _cpu_module(etype: ElementType) -> Any:
    return importlib.import_module(f"torchbind.{etype.module}")


class CudaStorage(CudaHandle):
    """A device storage: ``len(s)`` elements of one type on the GPU."""

    __slots__ = ()
    etype: ClassVar[ElementType]

    @classmethod
    def _c(cls, family: str) -> Any:
        return getattr(_lib.THC, f"TH{cuda_name(cls.etype.name)}{family}")

    @classmethod
    def new(cls, size: int = 0) -> CudaStorage:
        """A storage of ``size`` uninitialised elements on the current device."""
        return cls(cls._c("Storage_newWithSize")(_lib.state(), _index(size, "size")))

    def _struct(self) -> CudaStorageStruct:
        if not self._th_ptr:
            raise ValueError(f"{self._th_struct} has been freed")
        return CudaStorageStruct.from_address(self._th_ptr)

    def __len__(self) -> int:
        return int(self._struct().size)

    @property
    def data_ptr(self) -> int:
        """The device address of the first element (0 for an empty storage)."""
        return self._struct().data or 0

    @property
    def device(self) -> int:
        return int(self._struct().device)

    def fill_(self, value: Any) -> CudaStorage:
        from torchbind._types import real_converter
        self._c("Storage_fill")(_lib.state(), self, real_converter(self.etype)(value))
        return self

    def numpy(self) -> np.ndarray:
        """A host copy of the elements."""
        cpu = _cpu_module(self.etype).Storage.new(len(self))
        getattr(_lib.THC, self.etype.fn("Storage_copyCuda"))(_lib.state(), cpu, self)
        return np.array(np.asarray(cpu))

    def tolist(self) -> list[Any]:
        return list(self.numpy().tolist())

    def __repr__(self) -> str:
        return f"<{self._th_struct} of {len(self)} elements at {self._th_ptr:#x}>"


_TT = TypeVar("_TT", bound="CudaTensor")


class CudaTensor(CudaHandle, TensorGeometry):
    """A device tensor of one element type: the geometry is on the host, the data on the GPU.

    An empty tensor (no elements) has shape ``(0,)``, as in TH.
    """

    __slots__ = ()
    etype: ClassVar[ElementType]
    storage_class: ClassVar[type[CudaStorage]]

    # ---- construction ------------------------------------------------------------------

    @classmethod
    def _c(cls, family: str) -> Any:
        return getattr(_lib.THC, f"TH{cuda_name(cls.etype.name)}{family}")

    @classmethod
    def empty(cls, *shape: int) -> CudaTensor:
        """A device tensor of the given shape with uninitialised elements."""
        dims = _shape_arg(shape)
        s = _lib.state()
        t = cls(cls._c("Tensor_new")(s))
        if dims and 0 not in dims:
            sizes = (ctypes.c_long * len(dims))(*dims)
            cls._c("Tensor_resizeNd")(s, t, len(dims), sizes, None)
        return t

    @classmethod
    def from_tensor(cls, other: Any) -> CudaTensor:
        """A device copy of a tensor of any type: a CPU torchbind tensor (uploaded, converted as
        TH converts) or a CUDA one (converted on the device)."""
        if isinstance(other, CudaTensor):
            t = cls.empty(*other._dims())
            cls._c(f"Tensor_copyCuda{other.etype.name}")(_lib.state(), t, other)
            return t
        if isinstance(other, CpuTensor):
            if other.etype.name == "Half":
                return cls.from_numpy(np.asarray(other).astype(cls.etype.dtype))
            t = cls.empty(*other._dims())
            cls._c(f"Tensor_copy{other.etype.name}")(_lib.state(), t, other)
            return t
        raise TypeError(f"expected a torchbind tensor, got {type(other).__name__}")

    @classmethod
    def from_numpy(cls, array: Any) -> CudaTensor:
        """A device copy of an array (converted to this type; any strides)."""
        a = np.asarray(array)
        if a.dtype != cls.etype.dtype:
            a = a.astype(cls.etype.dtype)
        return cls.from_tensor(_cpu_module(cls.etype).Tensor.from_numpy(a))

    def _view(self: _TT, family: str, *args: Any) -> _TT:
        return type(self)(self._c(family)(_lib.state(), self, *args), owner=self._owner)

    # ---- geometry ----------------------------------------------------------------------

    @property
    def device(self) -> int:
        """The CUDA device the data is on (-1 for a tensor without storage)."""
        return int(self._c("Tensor_getDevice")(_lib.state(), self))

    @property
    def data_ptr(self) -> int:
        """The device address of the first element (0 when there is none)."""
        s = self._struct()
        if not s.storage or not s.nDimension:
            return 0
        base = CudaStorageStruct.from_address(s.storage).data or 0
        return base + s.storageOffset * self.etype.dtype.itemsize if base else 0

    def is_contiguous(self) -> bool:
        return bool(self._c("Tensor_isContiguous")(_lib.state(), self))

    def storage(self) -> CudaStorage | None:
        ptr = self._struct().storage
        return self.storage_class(ptr, borrowed=True, owner=self._owner) if ptr else None

    # ---- views (0-based, as numpy) -----------------------------------------------------

    def narrow(self: _TT, dim: int, start: int, length: int) -> _TT:
        d = self._dim(dim)
        i = _index(start)
        if i < 0:
            i += self.shape[d]
        return self._view("Tensor_newNarrow", d, i, _index(length, "length"))

    def select(self: _TT, dim: int, index: int) -> _TT:
        d = self._dim(dim)
        i = _index(index)
        if i < 0:
            i += self.shape[d]
        return self._view("Tensor_newSelect", d, i)

    def transpose(self: _TT, dim0: int, dim1: int) -> _TT:
        return self._view("Tensor_newTranspose", self._dim(dim0), self._dim(dim1))

    def t(self: _TT) -> _TT:
        if self.ndim != 2:
            raise ValueError(f"t() needs a 2-d tensor, not {self.ndim}-d")
        return self.transpose(0, 1)

    def contiguous(self: _TT) -> _TT:
        return type(self)(self._c("Tensor_newContiguous")(_lib.state(), self))

    def copy(self: _TT) -> _TT:
        """A new tensor with the same elements (contiguous)."""
        return type(self)(self._c("Tensor_newClone")(_lib.state(), self))

    def copy_(self: _TT, src: Any) -> _TT:
        """Copies src's elements (a CUDA or CPU tensor of any type, same count) into this one."""
        if isinstance(src, CudaTensor):
            self._c(f"Tensor_copyCuda{src.etype.name}")(_lib.state(), self, src)
        elif isinstance(src, CpuTensor) and src.etype.name != "Half":
            self._c(f"Tensor_copy{src.etype.name}")(_lib.state(), self, src)
        else:
            self.copy_(type(self).from_numpy(np.asarray(src)))
        return self

    # ---- to the host -------------------------------------------------------------------

    def cpu(self) -> CpuTensor:
        """A CPU torchbind tensor of the same type and shape, holding a copy of the elements."""
        out: CpuTensor = _cpu_module(self.etype).empty(*self._dims())
        if self.numel():
            getattr(_lib.THC, self.etype.fn("Tensor_copyCuda"))(_lib.state(), out, self)
        return out

    def numpy(self) -> np.ndarray:
        """A host copy as a numpy array (the shape included)."""
        if not self.numel():
            return np.empty((0,), dtype=self.dtype)
        return np.asarray(self.cpu())

    def tolist(self) -> Any:
        return self.numpy().tolist()

    def item(self) -> Any:
        if self.numel() != 1:
            raise ValueError(f"item() needs exactly one element, not {self.numel()}")
        return self.numpy().reshape(()).item()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(f"{type(self).__name__} is on the GPU: use .numpy() (a copy to the host)")

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        return (f"<{self._th_struct} of shape {self.shape} on cuda:{self.device} "
                f"at {self._th_ptr:#x}>")

    # ---- DLPack --------------------------------------------------------------------------

    def __dlpack__(self, *, stream: Any = None, max_version: Any = None, dl_device: Any = None,
                   copy: Any = None) -> Any:
        """DLPack export (kDLCUDA), zero-copy: ``torch.from_dlpack(t)`` shares this memory and
        keeps this tensor alive. The device is synchronised first, so the data is ready on any
        stream (the consumer's ``stream`` included)."""
        if dl_device is not None and tuple(dl_device) != self.__dlpack_device__():
            raise BufferError(f"cannot export to device {dl_device} without a copy")
        if copy:
            raise BufferError("copy=True is not supported: export shares the device memory")
        if stream != -1:
            _lib.THC.THCState_synchronize(_lib.state())
        return _dlpack.capsule(self.data_ptr, self.shape if self.numel() else (0,),
                               self.strides if self.numel() else (1,), self.dtype,
                               self.__dlpack_device__(), owner=self)

    def __dlpack_device__(self) -> tuple[int, int]:
        return (_dlpack.KDL_CUDA, max(self.device, 0))


class FloatTensor(CudaTensor):
    """A device tensor of float32 elements (THCudaTensor)."""

    __slots__ = ()


class DoubleTensor(CudaTensor):
    """A device tensor of float64 elements (THCudaDoubleTensor)."""

    __slots__ = ()


class IntTensor(CudaTensor):
    """A device tensor of int32 elements (THCudaIntTensor)."""

    __slots__ = ()


class LongTensor(CudaTensor):
    """A device tensor of int64 elements (THCudaLongTensor)."""

    __slots__ = ()


class FloatStorage(CudaStorage):
    __slots__ = ()


class DoubleStorage(CudaStorage):
    __slots__ = ()


class IntStorage(CudaStorage):
    __slots__ = ()


class LongStorage(CudaStorage):
    __slots__ = ()


TENSOR_CLASSES: dict[str, type[CudaTensor]] = {}
STORAGE_CLASSES: dict[str, type[CudaStorage]] = {}


def bind() -> None:
    """Fills in each class's C functions (needs libTHC; called by the per-type modules)."""
    if TENSOR_CLASSES:
        return
    for tcls, scls in ((FloatTensor, FloatStorage), (DoubleTensor, DoubleStorage),
                       (IntTensor, IntStorage), (LongTensor, LongStorage)):
        name = tcls.__name__[: -len("Tensor")]
        assert name in BUILT_TYPES
        etype, cname = TYPES[name], cuda_name(name)
        for cls, kind in ((tcls, "Tensor"), (scls, "Storage")):
            cls.etype = etype
            cls._th_struct = f"TH{cname}{kind}"
            cls._th_free = _lib.raw(f"TH{cname}{kind}_free")
            cls._th_retain = _lib.raw(f"TH{cname}{kind}_retain")
        tcls.storage_class = scls
        STORAGE_CLASSES[name] = scls
        TENSOR_CLASSES[name] = tcls
