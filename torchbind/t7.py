"""Torch7 files (``.t7``): the format of Lua Torch7's ``torch.save`` / ``torch.load``.

Reads and writes Torch7's object serialization (``File:writeObject`` / ``readObject``) on TH's
own files (:class:`torchbind.file.DiskFile`, :class:`torchbind.file.MemoryFile`), in binary or
ascii, with 8-byte or 4-byte longs (``long_size=4``: files written where C's long had 4 bytes).

===========================================  ===============================================
Lua (Torch7)                                 Python (torchbind)
===========================================  ===============================================
``nil``                                      ``None``
number                                       ``float`` (saving also takes ``int``)
string                                       ``str`` if valid UTF-8, else ``bytes``
boolean                                      ``bool``
table with keys exactly ``1..n``             ``list`` (an empty table too)
any other table                              ``dict`` (integral number keys as ``int``)
``torch.<Type>Tensor`` / ``Storage``         torchbind tensor / storage of that type
``torch.Cuda<Type>Tensor`` / ``Storage``     the CPU tensor / storage (as ``torchfile``)
instance of a ``torch.class`` (``nn.*``)     :class:`TorchObject`
===========================================  ===============================================

An object referenced twice (a table, a tensor, a storage) loads as one Python object, and saving
keeps it one object; two tensors over one storage share memory after loading. A storage loads
with one read straight into its memory. Several objects in one open file load (and save) one
after another, a later one referring to an earlier one's objects as in Lua, as long as each
call starts where the previous one ended.

    >>> import numpy as np, torchbind.float_tensor as F
    >>> from torchbind import t7
    >>> w = F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3))
    >>> model = t7.TorchObject("nn.Linear", {"weight": w, "bias": F.zeros(2)})
    >>> back = t7.loads(t7.dumps({"model": model, "epochs": 3}))
    >>> back["epochs"], back["model"].typename, back["model"].weight.tolist()
    (3.0, 'nn.Linear', [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])

Bad files raise :class:`T7FormatError` (a ``ValueError``; :class:`T7TruncatedError` when the
file ends early) naming where in the object the problem sits (``<root>['model'].weight``, with
Lua's keys: a list's first entry is ``[1]``) and at which byte, before any allocation larger
than the file; what Python cannot hold (a Lua function, a table used as a key) raises
:class:`T7UnsupportedError`, and what Lua cannot hold (a ``set``, say) :class:`T7UnwritableError`.

    >>> t7.loads(bytes([9, 0, 0, 0]))
    Traceback (most recent call last):
    ...
    torchbind.t7.T7FormatError: unknown type id 9 (not a Torch7 file, ...), at <root> (byte 0)

Speed (``PYTHONPATH=. python scripts/bench_t7.py``): a 256 MiB FloatTensor loads from the page
cache in the time ``numpy.fromfile`` takes on the same file (ratio 1.01; see the README).
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import sys
import weakref
from collections.abc import Callable, Iterator, Mapping
from types import FrameType
from typing import Any

import numpy as np

from torchbind import ffi
from torchbind._types import BY_DTYPE, TYPES, ElementType
from torchbind.errors import THTypeError
from torchbind.file import DiskFile, File, MemoryFile
from torchbind.storage import STORAGE_CLASSES, Storage, StorageStruct
from torchbind.tensor import TENSOR_CLASSES, Tensor

TH = ffi.TH

# The type ids of Torch7's serializer.
TYPE_NIL = 0
TYPE_NUMBER = 1
TYPE_STRING = 2
TYPE_TABLE = 3
TYPE_TORCH = 4
TYPE_BOOLEAN = 5
TYPE_FUNCTION = 6
TYPE_LEGACY_RECUR_FUNCTION = 7
TYPE_RECUR_FUNCTION = 8

#: The most dimensions a tensor in a file may have (a guard against garbage, not a TH limit).
MAX_DIMENSIONS = 1024

# Beyond this many bytes a storage or string from a file of unknown length (a pipe) is read in
# pieces, so that a bogus size cannot allocate more than the file holds plus one piece.
_CHUNK = 64 << 20
_INT32_MAX = 2**31 - 1
_CLASS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

TENSOR_TYPES: dict[str, ElementType] = {f"torch.{n}Tensor": t for n, t in TYPES.items()}
STORAGE_TYPES: dict[str, ElementType] = {f"torch.{n}Storage": t for n, t in TYPES.items()}
# cutorch writes its tensors as the CPU ones (the data copied to the host): load them on the CPU.
for _n in ("Byte", "Char", "Short", "Int", "Double"):
    TENSOR_TYPES[f"torch.Cuda{_n}Tensor"] = TYPES[_n]
    STORAGE_TYPES[f"torch.Cuda{_n}Storage"] = TYPES[_n]
TENSOR_TYPES["torch.CudaTensor"] = TYPES["Float"]
STORAGE_TYPES["torch.CudaStorage"] = TYPES["Float"]

# Classes whose own write method stores something other than a table of fields.
_UNREADABLE = {
    "torch.Generator": "a random generator (its C struct, copied byte for byte)",
    "tds.Hash": "a tds hash (tds's own format)",
    "tds.Vec": "a tds vector (tds's own format)",
    "tds.Atomic": "a tds atomic counter (tds's own format)",
}
_TORCH_DATA = re.compile(r"torch\.\w*(Tensor|Storage)")


# ---- straight C calls -----------------------------------------------------------------------

# The file's scalar reads and writes, declared here with a plain pointer argument: the checked
# wrappers of torchbind.ffi cost a few microseconds a call, which a table of a million numbers
# pays twenty times an entry. _call still raises what the library parked.


def _raw(symbol: str, restype: Any, *argtypes: Any) -> Any:
    fn = ffi.lib[symbol]  # a new function object: the one ffi declared keeps its types
    fn.restype = restype
    fn.argtypes = [ctypes.c_void_p, *argtypes]
    return fn


def _call(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    if _PENDING.value:
        ffi.raise_pending(fn.__name__)
    return result


_PENDING = ffi._pending
_READ_INT = _raw("THFile_readIntScalar", ctypes.c_int)
_READ_LONG = _raw("THFile_readLongScalar", ctypes.c_long)
_READ_DOUBLE = _raw("THFile_readDoubleScalar", ctypes.c_double)
_READ_CHARS = _raw("THFile_readCharRaw", ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t)
_WRITE_INT = _raw("THFile_writeIntScalar", None, ctypes.c_int)
_WRITE_LONG = _raw("THFile_writeLongScalar", None, ctypes.c_long)
_WRITE_DOUBLE = _raw("THFile_writeDoubleScalar", None, ctypes.c_double)
_WRITE_CHARS = _raw("THFile_writeCharRaw", ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t)
_POSITION = _raw("THFile_position", ctypes.c_size_t)
_HAS_ERROR = _raw("THFile_hasError", ctypes.c_int)
_CLEAR_ERROR = _raw("THFile_clearError", None)


# ---- errors --------------------------------------------------------------------------------


class T7Error(ValueError):
    """Something that cannot be read from or written to a Torch7 file."""


class T7FormatError(T7Error):
    """The file is not a valid Torch7 file (wrong format, bad sizes, references to nothing)."""


class T7TruncatedError(T7FormatError, EOFError):
    """The file ends in the middle of an object."""


class T7UnsupportedError(T7Error):
    """A valid Torch7 object that Python cannot represent (a Lua function, a table as a key)."""


class T7UnwritableError(T7Error, TypeError):
    """A Python object that has no Torch7 form (a set, a complex number ...)."""


# ---- TorchObject ---------------------------------------------------------------------------


class TorchObject:
    """An instance of a Lua ``torch.class`` (an ``nn`` module, a criterion, a user class).

    ``typename`` is the class's name (``"nn.Linear"``), ``fields`` its fields, also reachable
    as attributes (``obj.weight``) and items (``obj["weight"]``); ``version`` is the class
    version written in the file (None for files older than versions).

        >>> from torchbind.t7 import TorchObject
        >>> m = TorchObject("nn.ReLU", {"inplace": False})
        >>> m.inplace, m["inplace"], "inplace" in m
        (False, False, True)
        >>> m.threshold = 0.0
        >>> sorted(m.fields)
        ['inplace', 'threshold']
    """

    __slots__ = ("typename", "fields", "version")
    typename: str
    fields: dict[Any, Any]
    version: str | None

    def __init__(self, typename: str, fields: Mapping[Any, Any] | None = None, *,
                 version: str | None = "1") -> None:
        if not isinstance(typename, str):
            raise TypeError(f"typename must be a str, not {type(typename).__name__}")
        object.__setattr__(self, "typename", typename)
        object.__setattr__(self, "fields", dict(fields) if fields is not None else {})
        object.__setattr__(self, "version", version)

    def __getattr__(self, name: str) -> Any:
        if name in TorchObject.__slots__ or name.startswith("__"):
            raise AttributeError(name)
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(f"{self.typename} object has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in TorchObject.__slots__:
            object.__setattr__(self, name, value)
        else:
            self.fields[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self.fields[name]
        except KeyError:
            raise AttributeError(f"{self.typename} object has no field {name!r}") from None

    def __getitem__(self, key: Any) -> Any:
        return self.fields[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.fields[key] = value

    def __delitem__(self, key: Any) -> None:
        del self.fields[key]

    def __contains__(self, key: Any) -> bool:
        return key in self.fields

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def keys(self) -> Any:
        """The field names (as ``dict.keys``)."""
        return self.fields.keys()

    def __dir__(self) -> list[str]:
        names = [k for k in self.fields if isinstance(k, str) and _IDENTIFIER.fullmatch(k)]
        return sorted(set(object.__dir__(self)) | set(names))

    def __repr__(self) -> str:
        names = ", ".join(str(k) for k in list(self.fields)[:8])
        more = ", ..." if len(self.fields) > 8 else ""
        return f"TorchObject({self.typename!r}, fields: {names}{more})"


# ---- reading -------------------------------------------------------------------------------


def _lua_number(text: bytes) -> float | None:
    """What Lua's tonumber makes of a version string (None: not a number)."""
    s = text.strip()
    try:
        return float(s)
    except ValueError:
        pass
    try:
        return float(int(s, 16)) if s.lower().startswith((b"0x", b"-0x")) else None
    except ValueError:
        return None


def _depth_budget() -> int:
    """How many levels of tables and objects a reader or writer called from here may nest:
    a level takes up to 4 Python frames, and 100 are left for what the levels call."""
    used = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        used += 1
        frame = frame.f_back
    return max((sys.getrecursionlimit() - used - 100) // 4, 0)


def _key_repr(key: Any) -> str:
    """A table key in an error's path: Lua's keys (a list's first entry is [1])."""
    return f"[{key!r}]"


def _field_repr(key: Any) -> str:
    """A field of an object in an error's path: .name, or [key] for other keys."""
    return f".{key}" if isinstance(key, str) and _IDENTIFIER.fullmatch(key) else f"[{key!r}]"


class _Reader:
    """One readObject pass over a file (its own table of objects already read)."""

    def __init__(self, f: File, binary: bool, long_size: int, objects: dict[int, Any]) -> None:
        self.f = f
        self.binary = binary
        self.long_size = long_size
        self.objects = objects  # by index: the file's objects read so far
        self.open_tables: dict[int, bool] = {}  # tables being read: referenced from inside?
        self.path: list[str] = []
        self.ptr = f.address
        self.end = self._length()
        self.depth, self.max_depth = 0, _depth_budget()

    # -- positions and errors

    def _length(self) -> int | None:
        """The file's length in bytes, or None when it cannot seek (a pipe)."""
        here = self.position()
        TH.THFile_seekEnd(self.f)
        end = int(TH.THFile_position(self.f))
        failed = TH.THFile_hasError(self.f)
        TH.THFile_clearError(self.f)
        TH.THFile_seek(self.f, here)
        if failed or TH.THFile_hasError(self.f):
            TH.THFile_clearError(self.f)
            return None
        return end

    def position(self) -> int:
        pos = int(_call(_POSITION, self.ptr))
        _CLEAR_ERROR(self.ptr)
        return pos

    def back(self, nbytes: int) -> int:
        """The position ``nbytes`` back in a binary file (where the last scalar started); the
        current position in an ascii file."""
        return self.position() - (nbytes if self.binary else 0)

    def where(self) -> str:
        path = self.path if len(self.path) <= 24 else [*self.path[:8], "...", *self.path[-12:]]
        return "<root>" + "".join(path)

    def fail(self, cls: type[T7Error], message: str, pos: int | None = None) -> T7Error:
        if self.end is None:  # a pipe: no positions
            return cls(f"{message}, at {self.where()}")
        at = self.position() if pos is None else pos
        return cls(f"{message}, at {self.where()} (byte {at})")

    def need(self, nbytes: int, what: str) -> None:
        """Raises unless at least ``nbytes`` are left (when the length is known)."""
        if self.end is None:
            return
        left = self.end - self.position()
        if nbytes > left:
            raise self.fail(T7TruncatedError,
                            f"{what} needs {nbytes} bytes but the file has {left} left")

    def short(self, what: str) -> T7Error:
        """The error for a scalar read that fell short (the file's error flag is set)."""
        _CLEAR_ERROR(self.ptr)
        pos = self.position()
        if self.binary or (self.end is not None and pos >= self.end):
            return self.fail(T7TruncatedError, f"the file ends where {what} should be", pos)
        return self.fail(T7FormatError, f"{what} is not a number", pos)

    # -- scalars: straight C calls (this is the loop of a table of a million numbers)

    def int_(self, what: str) -> int:
        v = int(_READ_INT(self.ptr))
        if _PENDING.value:
            ffi.raise_pending("THFile_readIntScalar")
        if _HAS_ERROR(self.ptr):
            raise self.short(what)
        return v

    def long_(self, what: str) -> int:
        v = int(_call(_READ_LONG, self.ptr))
        if _HAS_ERROR(self.ptr):
            raise self.short(what)
        return v

    def double_(self) -> float:
        """A number. Not checked here: the file's error flag stays set until the next check
        (the next type id, or the end of the object), which saves a call per number."""
        v = float(_READ_DOUBLE(self.ptr))
        if _PENDING.value:
            ffi.raise_pending("THFile_readDoubleScalar")
        return v

    def count(self, what: str, per_item: int, *, is_long: bool = False, small: int = 0) -> int:
        """A size from the file: non-negative, and no larger than the rest of the file holds
        at ``per_item`` bytes an item (binary) or one byte an item (ascii). Sizes up to
        ``small`` are not checked (a short read finds them out without a large allocation)."""
        n = self.long_(what) if is_long else self.int_(what)
        if n < 0:
            raise self.fail(T7FormatError, f"{what} is negative ({n})",
                            self.back(self.long_size if is_long else 4))
        if self.end is not None and n > small:
            self.need(n * (per_item if self.binary else 1), f"{what} of {n}")
        return n

    def bytes_(self, n: int, what: str) -> bytes:
        """``n`` raw characters (a string's bytes)."""
        if self.end is None and n > _CHUNK:
            return b"".join(self.bytes_(min(_CHUNK, n - i), what) for i in range(0, n, _CHUNK))
        buf = ctypes.create_string_buffer(max(n, 1))
        got = int(_call(_READ_CHARS, self.ptr, ctypes.addressof(buf), n)) if n else 0
        if got != n or _HAS_ERROR(self.ptr):
            _CLEAR_ERROR(self.ptr)
            raise self.fail(T7TruncatedError, f"the file ends inside {what} ({got} of {n} bytes)")
        return buf.raw[:n]

    def string(self, what: str) -> bytes:
        n = self.count(f"the length of {what}", 1, small=4096)
        return self.bytes_(n, what)

    # -- objects

    def object(self) -> Any:
        t = self.int_("a type id")
        if t == TYPE_NUMBER:
            return self.double_()
        if t == TYPE_STRING:
            raw = self.string("a string")
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw
        if t == TYPE_NIL:
            return None
        if t == TYPE_BOOLEAN:
            return self.int_("a boolean") == 1
        if t == TYPE_FUNCTION:
            raise self.fail(T7UnsupportedError, "a Lua function (bytecode) cannot be loaded in "
                            "Python", self.back(4))
        if t not in (TYPE_TABLE, TYPE_TORCH, TYPE_RECUR_FUNCTION, TYPE_LEGACY_RECUR_FUNCTION):
            raise self.fail(T7FormatError, f"unknown type id {t} (not a Torch7 file, or not "
                            f"this format={'binary' if self.binary else 'ascii'!r} / "
                            f"long_size={self.long_size})", self.back(4))
        index = self.int_("an object index")
        if index in self.objects:
            if index in self.open_tables:
                self.open_tables[index] = True
            return self.objects[index]
        self.new_index(index)
        if t in (TYPE_RECUR_FUNCTION, TYPE_LEGACY_RECUR_FUNCTION):
            raise self.fail(T7UnsupportedError, "a Lua function (bytecode) cannot be loaded in "
                            "Python", self.back(8))
        if self.depth >= self.max_depth:
            raise self.fail(T7UnsupportedError, f"objects nested deeper than {self.max_depth} "
                            "levels (Python's recursion limit: sys.setrecursionlimit raises it)")
        self.depth += 1
        obj = self.table(index) if t == TYPE_TABLE else self.torch(index)
        self.depth -= 1
        return obj

    def new_index(self, index: int) -> None:
        """Raises unless ``index`` numbers the next new object (as the writer numbers them)."""
        expected = len(self.objects) + 1
        if index != expected:
            raise self.fail(T7FormatError, f"a reference to object #{index}, which the file "
                            f"has not defined (the next new object is #{expected})",
                            self.back(4))

    def table(self, index: int, *, as_dict: bool = False) -> Any:
        n = self.count("the table's size", 8)
        d: dict[Any, Any] = {}
        self.objects[index] = d
        self.open_tables[index] = False
        path = self.path
        for i in range(n):
            path.append(f"<key #{i + 1}>")
            key = self.object()
            if type(key) is float and key.is_integer():
                key = int(key)
            elif type(key) is not str:
                key = self.key(key)
            path[-1] = _field_repr(key) if as_dict else f"[{key!r}]"
            value = self.object()
            path.pop()
            if value is None:  # Lua: a nil value is no entry
                continue
            if key in d:
                old = next(k for k in d if k == key)
                cls = T7UnsupportedError if type(old) is not type(key) else T7FormatError
                raise self.fail(cls, f"the table has the key {old!r} and also the key {key!r}, "
                                "one Python key")
            d[key] = value
        referenced = self.open_tables.pop(index)
        if not as_dict and not referenced and all(type(k) is int for k in d) and (
                not d or (min(d) == 1 and max(d) == len(d))):
            lst = [d[k] for k in range(1, len(d) + 1)]
            self.objects[index] = lst
            return lst
        return d

    def key(self, key: Any) -> Any:
        if key is None:
            raise self.fail(T7FormatError, "a table key is nil")
        if isinstance(key, float):
            if math.isnan(key):
                raise self.fail(T7FormatError, "a table key is NaN")
            return key
        try:
            hash(key)
        except TypeError:
            raise self.fail(T7UnsupportedError, f"a table key is a {type(key).__name__}, which "
                            "cannot be a Python dict key") from None
        return key

    def class_name(self, what: str) -> tuple[str, str | None]:
        """The version string and the class name (legacy files have only the name)."""
        pos = self.position()
        first = self.string(what)
        m = re.fullmatch(rb"V (.*)", first, re.S)
        version: str | None = None
        raw = first
        if m and _lua_number(m[1]) is not None:
            version = m[1].decode("latin-1")
            pos = self.position()
            raw = self.string(what)
        name = raw.decode("latin-1")
        if len(raw) > 256 or not _CLASS_NAME.fullmatch(name):
            shown = raw[:60] + (b"..." if len(raw) > 60 else b"")
            raise self.fail(T7FormatError, f"{shown!r} is not a Torch7 class name", pos)
        return name, version

    def torch(self, index: int) -> Any:
        pos = self.position()
        name, version = self.class_name("a class name")
        if name in TENSOR_TYPES:
            return self.tensor(index, name, TENSOR_TYPES[name])
        if name in STORAGE_TYPES:
            return self.storage(index, name, STORAGE_TYPES[name])
        if name in _UNREADABLE or _TORCH_DATA.fullmatch(name) or name.startswith("tds."):
            what = _UNREADABLE.get(name, "a type whose layout torchbind does not know")
            raise self.fail(T7UnsupportedError, f"cannot load {name}: {what}", pos)
        obj = TorchObject(name, version=version)
        self.objects[index] = obj
        pos = self.position()
        t = self.int_("the type id of the fields")
        if t != TYPE_TABLE:
            raise self.fail(T7FormatError, f"the fields of a {name} are not a table (type id "
                            f"{t})", pos)
        fields_index = self.int_("an object index")
        if fields_index in self.objects:
            fields = self.objects[fields_index]
            if isinstance(fields, list):
                fields = {i + 1: v for i, v in enumerate(fields)}
        else:
            expected = len(self.objects) + 1
            if fields_index != expected:
                raise self.fail(T7FormatError, f"a reference to object #{fields_index}, which "
                                f"the file has not defined (the next new object is "
                                f"#{expected})", pos)
            fields = self.table(fields_index, as_dict=True)
        if not isinstance(fields, dict):
            raise self.fail(T7FormatError, f"the fields of a {name} are not a table", pos)
        object.__setattr__(obj, "fields", fields)
        return obj

    def storage_data(self, etype: ElementType, n: int, what: str) -> Storage:
        """A new storage of ``n`` elements filled from the file: one read into its memory."""
        cls = STORAGE_CLASSES[etype.name]
        read = getattr(TH, f"THFile_read{etype.name}Raw")
        if self.end is not None or n * etype.dtype.itemsize <= _CHUNK:
            storage = cls.new(n)
            got = int(getattr(TH, f"THFile_read{etype.name}")(self.f, storage)) if n else 0
        else:  # unknown length: grow as the data arrives
            storage = cls.new(0)
            got, step = 0, _CHUNK // etype.dtype.itemsize
            resize = getattr(TH, etype.fn("Storage_resize"))
            while got < n:
                k = min(step, n - got)
                resize(storage, got + k)
                data = StorageStruct.from_address(storage.address).data
                r = int(read(self.f, data + got * etype.dtype.itemsize, k))
                got += r
                if r < k:
                    break
        if got != n or TH.THFile_hasError(self.f):
            TH.THFile_clearError(self.f)
            raise self.fail(T7TruncatedError, f"the file ends inside {what} (read {got} of {n} "
                            "elements)")
        return storage

    def storage(self, index: int, name: str, etype: ElementType) -> Storage:
        self.objects[index] = None  # nothing can refer to a storage while it is read
        per = self.long_size if etype.name == "Long" else etype.dtype.itemsize
        n = self.count(f"the size of a {name}", per, is_long=True)
        storage = self.storage_data(etype, n, f"the data of a {name}")
        self.objects[index] = storage
        return storage

    def tensor(self, index: int, name: str, etype: ElementType) -> Tensor:
        cls = TENSOR_CLASSES[etype.name]
        t = cls(getattr(TH, etype.fn("Tensor_new"))())
        self.objects[index] = t
        pos = self.position()
        nd = self.int_(f"the number of dimensions of a {name}")
        if not 0 <= nd <= MAX_DIMENSIONS:
            raise self.fail(T7FormatError, f"a {name} with {nd} dimensions", pos)
        self.need(nd * 2 * (self.long_size if self.binary else 1) + 1,
                  f"the sizes and strides of a {name}")
        sizes = (ctypes.c_long * max(nd, 1))()
        strides = (ctypes.c_long * max(nd, 1))()
        for arr, what in ((sizes, "sizes"), (strides, "strides")):
            got = int(TH.THFile_readLongRaw(self.f, ctypes.addressof(arr), nd)) if nd else 0
            if got != nd or TH.THFile_hasError(self.f):
                TH.THFile_clearError(self.f)
                raise self.fail(T7TruncatedError, f"the file ends inside the {what} of a {name}")
        offset = self.long_(f"the storage offset of a {name}") - 1
        self.path.append(".storage")
        storage = self.object()
        self.path.pop()
        expected = f"torch.{etype.name}Storage"
        if storage is not None and not (isinstance(storage, Storage)
                                        and storage.etype is etype):
            found = (f"torch.{storage.etype.name}Storage" if isinstance(storage, Storage)
                     else type(storage).__name__)
            raise self.fail(T7FormatError, f"the storage of a {name} is a {found}, not a "
                            f"{expected}", pos)
        dims, steps = list(sizes[:nd]), list(strides[:nd])
        if offset < 0:
            raise self.fail(T7FormatError, f"a {name} with storage offset {offset + 1} (Torch7 "
                            "offsets start at 1)", pos)
        if any(s <= 0 for s in dims):
            raise self.fail(T7FormatError, f"a {name} with sizes {dims} (Torch7 sizes are "
                            "positive)", pos)
        if any(s < 0 for s in steps):
            raise self.fail(T7FormatError, f"a {name} with strides {steps} (TH strides are "
                            "non-negative)", pos)
        if math.prod(dims) > 2**63 - 1:
            raise self.fail(T7FormatError, f"a {name} of sizes {dims} has more elements than "
                            "a C long counts", pos)
        if nd and storage is None:
            raise self.fail(T7FormatError, f"a {name} of sizes {dims} has no storage", pos)
        if nd:
            assert storage is not None
            last = offset + sum((n - 1) * s for n, s in zip(dims, steps, strict=True))
            if last >= len(storage):
                raise self.fail(T7FormatError, f"a {name} of sizes {dims}, strides {steps} and "
                                f"offset {offset + 1} reaches element {last + 1} of a storage "
                                f"of {len(storage)}", pos)
        if storage is not None or nd:
            getattr(TH, etype.fn("Tensor_setStorageNd"))(t, storage, offset, nd, sizes, strides)
        return t


# ---- writing -------------------------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


class _WriteState:
    """What a file remembers of the objects written to it, so that a second save to the same
    open file refers to objects of the first, as Lua's writeObject does."""

    def __init__(self) -> None:
        self.indices: dict[Any, int] = {}  # object key -> index
        self.keep: list[Any] = []  # what the keys of `indices` and `arrays` need alive
        self.arrays: dict[int, Tensor] = {}  # numpy arrays written so far, as tensors


class _Writer:
    """One writeObject pass: numbers every table and torch object it writes, in order."""

    def __init__(self, f: File, long_size: int, state: _WriteState) -> None:
        self.f = f
        self.ptr = f.address
        self.long_size = long_size
        self.state = state
        self.indices = state.indices
        self.keep = state.keep
        self.arrays = state.arrays
        self.path: list[str] = []
        self.depth, self.max_depth = 0, _depth_budget()

    def where(self) -> str:
        path = self.path if len(self.path) <= 24 else [*self.path[:8], "...", *self.path[-12:]]
        return "<root>" + "".join(path)

    def fail(self, cls: type[Exception], message: str) -> Exception:
        return cls(f"{message}, at {self.where()}")

    def int_(self, v: int, what: str) -> None:
        if not -2**31 <= v <= _INT32_MAX:
            raise self.fail(T7UnwritableError, f"{what} {v} does not fit the format's 4-byte int")
        _call(_WRITE_INT, self.ptr, v)

    def fits(self, v: int, what: str) -> None:
        """Raises if a long does not fit the file's longs (C would cut it silently)."""
        if self.long_size == 4 and not -2**31 <= v <= _INT32_MAX:
            raise self.fail(T7UnwritableError, f"{what} {v} does not fit long_size=4")

    def long_(self, v: int, what: str) -> None:
        self.fits(v, what)
        _call(_WRITE_LONG, self.ptr, v)

    def number(self, x: Any) -> float:
        if isinstance(x, (int, np.integer)):
            v = int(x)
            f = float(v) if abs(v) <= 2**1023 else math.inf
            if f != v:
                raise self.fail(T7UnwritableError, f"the integer {v} is not exactly a Lua number "
                                "(a double)")
            return f
        return float(x)

    def chars(self, raw: bytes) -> None:
        self.int_(len(raw), "a string of length")
        if raw:
            _call(_WRITE_CHARS, self.ptr, raw, len(raw))

    def new_index(self, key: Any, type_id: int, obj: Any) -> bool:
        """Writes the type id and the index; True if the object must follow (first time)."""
        self.int_(type_id, "type id")
        if key in self.indices:
            self.int_(self.indices[key], "object index")
            return False
        index = len(self.indices) + 1
        self.indices[key] = index
        self.keep.append(obj)
        self.int_(index, "object index")
        return True

    def object(self, x: Any) -> None:
        if x is None:
            self.int_(TYPE_NIL, "type id")
        elif isinstance(x, (bool, np.bool_)):
            self.int_(TYPE_BOOLEAN, "type id")
            self.int_(1 if x else 0, "boolean")
        elif _is_number(x):
            v = self.number(x)
            self.int_(TYPE_NUMBER, "type id")
            _call(_WRITE_DOUBLE, self.ptr, v)
        elif isinstance(x, str):
            self.int_(TYPE_STRING, "type id")
            self.chars(x.encode("utf-8"))
        elif isinstance(x, (bytes, bytearray, memoryview)):
            self.int_(TYPE_STRING, "type id")
            self.chars(bytes(x))
        elif isinstance(x, Tensor):
            self.tensor(x)
        elif isinstance(x, Storage):
            self.storage(x)
        elif isinstance(x, np.ndarray):
            t = self.arrays.get(id(x))
            if t is None:
                if x.dtype not in BY_DTYPE:
                    raise self.fail(T7UnwritableError, f"a numpy array of dtype {x.dtype} (TH "
                                    "has no such tensor type)")
                t = TENSOR_CLASSES[BY_DTYPE[x.dtype].name].from_numpy(x)
                self.arrays[id(x)] = t
                self.keep.append(x)
            self.tensor(t)
        elif isinstance(x, TorchObject):
            self.torch_object(x)
        elif isinstance(x, (list, tuple)):
            if self.new_index(("py", id(x)), TYPE_TABLE, x):
                entries = [(i + 1, v) for i, v in enumerate(x) if v is not None]
                self.entries(entries)
        elif isinstance(x, dict):
            if self.new_index(("py", id(x)), TYPE_TABLE, x):
                self.entries([(k, v) for k, v in x.items() if v is not None])
        else:
            raise self.fail(T7UnwritableError, f"a {type(x).__name__} has no Torch7 form")

    def entries(self, entries: list[tuple[Any, Any]], *, fields: bool = False) -> None:
        if self.depth >= self.max_depth:
            raise self.fail(T7UnwritableError, f"objects nested deeper than {self.max_depth} "
                            "levels (Python's recursion limit: sys.setrecursionlimit raises it)")
        self.depth += 1
        self.table_entries(entries, _field_repr if fields else _key_repr)
        self.depth -= 1

    def table_entries(self, entries: list[tuple[Any, Any]], where: Callable[[Any], str]) -> None:
        self.int_(len(entries), "table size")
        for k, v in entries:
            self.path.append(where(k))
            if isinstance(k, (bool, np.bool_, str, bytes)):
                pass
            elif _is_number(k):
                if isinstance(k, (float, np.floating)) and math.isnan(k):
                    raise self.fail(T7UnwritableError, "a NaN key (Lua tables refuse it)")
            else:
                raise self.fail(T7UnwritableError, f"a key of type {type(k).__name__} (keys "
                                "must be strings, numbers or booleans)")
            self.object(k)
            self.object(v)
            self.path.pop()

    def class_header(self, name: str, version: str | None) -> None:
        if version is not None:
            self.chars(f"V {version}".encode())
        self.chars(name.encode())

    def torch_object(self, x: TorchObject) -> None:
        name = x.typename
        if not _CLASS_NAME.fullmatch(name) or len(name) > 256:
            raise self.fail(T7UnwritableError, f"{name!r} is not a Torch7 class name")
        if name in TENSOR_TYPES or name in STORAGE_TYPES or name in _UNREADABLE:
            raise self.fail(T7UnwritableError, f"a TorchObject cannot be a {name} (save a "
                            "torchbind tensor or storage instead)")
        if x.version is not None and _lua_number(x.version.encode()) is None:
            raise self.fail(T7UnwritableError, f"the version {x.version!r} of a {name} is not a "
                            "number")
        if not isinstance(x.fields, dict):
            raise self.fail(T7UnwritableError, f"the fields of a {name} are not a dict")
        if self.new_index(("py", id(x)), TYPE_TORCH, x):
            self.class_header(name, x.version)
            f = x.fields
            if self.new_index(("py", id(f)), TYPE_TABLE, f):
                self.entries([(k, v) for k, v in f.items() if v is not None], fields=True)

    def tensor(self, t: Tensor) -> None:
        if not self.new_index(("tensor", t.address), TYPE_TORCH, t):
            return
        name = f"torch.{t.etype.name}Tensor"
        self.class_header(name, "1")
        s = t._struct()
        nd = int(s.nDimension)
        self.int_(nd, "number of dimensions")
        for arr in (s.size, s.stride):
            for v in arr[:nd]:
                self.fits(int(v), "size or stride")
            if nd:
                TH.THFile_writeLongRaw(self.f, ctypes.cast(arr, ctypes.c_void_p), nd)
        self.long_(int(s.storageOffset) + 1, "storage offset")
        storage = t.storage()
        self.path.append(".storage")
        if storage is None:
            self.int_(TYPE_NIL, "type id")
        else:
            self.storage(storage)
        self.path.pop()

    def storage(self, s: Storage) -> None:
        if not self.new_index(("storage", s.address), TYPE_TORCH, s):
            return
        self.class_header(f"torch.{s.etype.name}Storage", "1")
        n = len(s)
        self.long_(n, "storage size")
        if self.long_size == 4 and s.etype.name == "Long" and n:
            a = np.asarray(s)
            low, high = int(a.min()), int(a.max())
            if low < -2**31 or high > _INT32_MAX:
                bad = low if low < -2**31 else high
                raise self.fail(T7UnwritableError, f"the LongStorage holds {bad}, which does not "
                                "fit long_size=4")
        if n:
            written = int(getattr(TH, f"THFile_write{s.etype.name}")(self.f, s))
            if written != n:
                raise OSError(f"wrote {written} of {n} elements, at {self.where()}")


# ---- the public functions ------------------------------------------------------------------


def _check_options(format: str, long_size: int) -> bool:
    if format not in ("binary", "ascii"):
        raise ValueError(f"format must be 'binary' or 'ascii', not {format!r}")
    if long_size not in (4, 8):
        raise ValueError(f"long_size must be 4 or 8, not {long_size!r}")
    return format == "binary"


def _configure(f: File, binary: bool, long_size: int) -> None:
    """Sets the mode and the size of longs on a file."""
    if binary:
        f.binary()
    else:
        f.ascii()
    if isinstance(f, DiskFile):
        TH.THDiskFile_longSize(f, long_size)
    elif isinstance(f, MemoryFile):
        TH.THMemoryFile_longSize(f, long_size)
    else:
        try:
            TH.THDiskFile_longSize(f, long_size)
        except THTypeError:
            TH.THMemoryFile_longSize(f, long_size)


# Per open file, as Lua keeps them in the file's environment: the objects read from it and
# written to it so far, so that an object in a later call may refer to one of an earlier call.
# Kept only while calls follow each other: a call that starts anywhere but where the last one
# ended (after a seek, say) starts afresh, and so does any call after a failed one.
_READ: weakref.WeakKeyDictionary[File, tuple[int | None, dict[int, Any]]] = (
    weakref.WeakKeyDictionary())
_WRITTEN: weakref.WeakKeyDictionary[File, tuple[int | None, _WriteState]] = (
    weakref.WeakKeyDictionary())


def _tell(f: File) -> int | None:
    """The file's position, or None where it has none (a pipe)."""
    pos = int(TH.THFile_position(f))
    if TH.THFile_hasError(f):
        TH.THFile_clearError(f)
        return None
    return pos


def _read(f: File, binary: bool, long_size: int) -> Any:
    _configure(f, binary, long_size)
    was_quiet = bool(TH.THFile_isQuiet(f))
    f.quiet()  # short reads flag an error that the reader turns into a T7 exception
    f.clear_error()
    at, objects = _READ.pop(f, (None, {}))
    reader = _Reader(f, binary, long_size, objects if at == _tell(f) else {})
    try:
        obj = reader.object()
        if TH.THFile_hasError(f):  # a number at the very end fell short
            raise reader.short("a number")
        _READ[f] = (_tell(f), reader.objects)
        return obj
    except RecursionError:
        raise T7UnsupportedError(f"objects nested too deeply for Python, at {reader.where()}"
                                 ) from None
    finally:
        if not was_quiet and TH.THFile_isOpened(f):
            f.pedantic()


def _write(f: File, obj: Any, binary: bool, long_size: int) -> None:
    _configure(f, binary, long_size)
    at, state = _WRITTEN.pop(f, (None, _WriteState()))
    writer = _Writer(f, long_size, state if at == _tell(f) else _WriteState())
    try:
        writer.object(obj)
    except RecursionError:
        raise T7UnwritableError(f"objects nested too deeply for Python, at {writer.where()}"
                                ) from None
    _WRITTEN[f] = (_tell(f), writer.state)


PathOrFile = str | os.PathLike[str] | File


def load(path_or_file: PathOrFile, *, format: str = "binary", long_size: int = 8) -> Any:
    """The object in a Torch7 file (what Lua's ``torch.load`` returns; see the module's table
    for what each Lua value becomes).

    ``path_or_file``: a path, or an open readable :class:`torchbind.file.File` (read from its
    position: several objects in one file load one after another; the file is switched to
    ``format`` and ``long_size``). ``format``: ``"binary"`` or ``"ascii"``. ``long_size``: 8,
    or 4 for files from a system whose C long has 4 bytes (Lua's ``torch.load(f, "b32")``).

    Raises :class:`T7FormatError` (a ``ValueError``) for files that are not Torch7 files,
    :class:`T7UnsupportedError` for content Python cannot hold, ``OSError`` when the file
    cannot be read.
    """
    binary = _check_options(format, long_size)
    if isinstance(path_or_file, File):
        return _read(path_or_file, binary, long_size)
    with DiskFile(path_or_file, "r") as f:
        return _read(f, binary, long_size)


def save(path_or_file: PathOrFile, obj: Any, *, format: str = "binary",
         long_size: int = 8) -> None:
    """Writes ``obj`` as a Torch7 file that Lua's ``torch.load`` reads (see the module's table
    for what each Python value becomes; numpy arrays become tensors of their dtype, tuples
    tables like lists, and None values in lists and dicts are absent entries, as nil is in Lua).

    ``path_or_file``: a path (created or replaced) or an open writable
    :class:`torchbind.file.File` (written at its position). Raises :class:`T7UnwritableError`
    (a ``TypeError`` and a ``ValueError``) naming where in ``obj`` a value has no Torch7 form;
    a file may then hold a part of the object.
    """
    binary = _check_options(format, long_size)
    if isinstance(path_or_file, File):
        _write(path_or_file, obj, binary, long_size)
        return
    with DiskFile(path_or_file, "w") as f:
        _write(f, obj, binary, long_size)


def loads(data: bytes | bytearray | memoryview, *, format: str = "binary",
          long_size: int = 8) -> Any:
    """The object in a Torch7 serialization held in memory (Lua's ``torch.deserialize``)."""
    binary = _check_options(format, long_size)
    raw = bytes(data)
    chars = STORAGE_CLASSES["Char"].new(len(raw) + 1)
    ctypes.memmove(chars.data_ptr, raw, len(raw))
    ctypes.c_char.from_address(chars.data_ptr + len(raw)).value = b"\0"
    f = MemoryFile.__new__(MemoryFile)
    File.__init__(f, TH.THMemoryFile_newWithStorage(chars, "r"))
    with f:
        return _read(f, binary, long_size)


def dumps(obj: Any, *, format: str = "binary", long_size: int = 8) -> bytes:
    """``obj`` serialized as a Torch7 file's bytes (Lua's ``torch.serialize``)."""
    binary = _check_options(format, long_size)
    with MemoryFile("rw") as f:
        _write(f, obj, binary, long_size)
        chars = TH.THMemoryFile_storage(f)
        s = StorageStruct.from_address(chars)
        return ctypes.string_at(s.data, s.size - 1) if s.size > 1 else b""


__all__ = [
    "load", "save", "loads", "dumps", "TorchObject", "T7Error", "T7FormatError",
    "T7TruncatedError", "T7UnsupportedError", "T7UnwritableError", "MAX_DIMENSIONS",
]
