"""TH files: disk, memory and pipe files with typed reads and writes, ascii or binary.

    >>> import torchbind.float_tensor as F
    >>> from torchbind.file import MemoryFile
    >>> with MemoryFile("rw") as f:
    ...     f.write(F.from_numpy(__import__("numpy").arange(3.0)))
    ...     f.seek(0)
    ...     f.read(F, 3).tolist()
    3
    [0.0, 1.0, 2.0]
"""

from __future__ import annotations

import os
from types import ModuleType, TracebackType

from torchbind import ffi
from torchbind._handle import Handle
from torchbind.errors import THFileNotFoundError, THIOError
from torchbind.storage import Storage
from torchbind.tensor import Tensor

TH = ffi.TH


class File(Handle):
    """A THFile. Closes and frees itself when dropped; also a context manager."""

    __slots__ = ()
    _th_struct = "THFile"
    _th_free = ffi.declare("THFile_free")

    def __copy__(self) -> File:
        raise TypeError(f"cannot copy a {type(self).__name__}: it owns an open file (THFile has "
                        f"no reference count)")

    def __deepcopy__(self, memo: object) -> File:
        return self.__copy__()

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError(f"cannot pickle a {type(self).__name__}: it is an open file, not data")

    def __enter__(self) -> File:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Closes the file (freeing is left to the finalizer)."""
        if self._th_ptr and TH.THFile_isOpened(self):
            TH.THFile_close(self)

    # modes
    def binary(self) -> File:
        """Switches to binary mode (native bytes)."""
        TH.THFile_binary(self)
        return self

    def ascii(self) -> File:
        """Switches to ascii mode (numbers as text)."""
        TH.THFile_ascii(self)
        return self

    def quiet(self) -> File:
        """Short reads set has_error() instead of raising."""
        TH.THFile_quiet(self)
        return self

    def pedantic(self) -> File:
        """Short reads raise (the default)."""
        TH.THFile_pedantic(self)
        return self

    def has_error(self) -> bool:
        """Whether an operation fell short since the last clear_error()."""
        return bool(TH.THFile_hasError(self))

    def clear_error(self) -> None:
        """Resets has_error()."""
        TH.THFile_clearError(self)

    def seek(self, position: int) -> None:
        """Moves to a byte position."""
        if position < 0:
            raise ValueError(f"negative file position {position}")
        TH.THFile_seek(self, position)

    def position(self) -> int:
        """The current byte position."""
        return int(TH.THFile_position(self))

    def read_storage(self, storage: Storage) -> int:
        """Fills ``storage`` from the file; returns how many elements were read."""
        return int(getattr(TH, f"THFile_read{storage.etype.name}")(self, storage))

    def read(self, module: ModuleType | type[Tensor], n: int) -> Tensor:
        """Reads ``n`` elements of a per-type module's type into a new 1-d tensor; raises
        THIOError if the file holds fewer."""
        cls = module if isinstance(module, type) else module.Tensor
        if n < 0:
            raise ValueError(f"negative element count {n}")
        t = cls.empty(n)
        s = t.storage()
        if s is not None:
            got = self.read_storage(s)
            if got != n:
                raise THIOError(f"read error: read {got} of {n} {cls.etype.name} values")
        return t

    def write(self, tensor: Tensor) -> int:
        """Writes a tensor's elements (in order); returns how many were written."""
        if not isinstance(tensor, Tensor):
            raise TypeError(f"expected a torchbind tensor, got {type(tensor).__name__}")
        s = tensor.contiguous()
        storage = s.storage()
        if storage is None:
            return 0
        if len(storage) != s.numel() or s.storage_offset:
            s = s.copy()
            storage = s.storage()
        return int(getattr(TH, f"THFile_write{tensor.etype.name}")(self, storage))


class DiskFile(File):
    """A file on disk, opened in mode "r", "w" or "rw", ascii unless made binary."""

    __slots__ = ()

    def __init__(self, path: str | os.PathLike[str], mode: str = "r", *, quiet: bool = False):
        name = os.fspath(path)
        if mode not in ("r", "w", "rw"):
            raise ValueError(f"file mode must be 'r', 'w' or 'rw', not {mode!r}")
        if mode == "r" and not os.path.exists(name):  # also with a library that would exit
            raise THFileNotFoundError(f"cannot open <{name}> in mode r: no such file")
        ptr = TH.THDiskFile_new(name, mode, int(quiet))
        if not ptr:
            raise THIOError(f"cannot open <{name}> in mode {mode}")
        super().__init__(ptr)


class MemoryFile(File):
    """A file in memory (a growing char storage)."""

    __slots__ = ()

    def __init__(self, mode: str = "rw") -> None:
        if mode not in ("r", "w", "rw"):
            raise ValueError(f"file mode must be 'r', 'w' or 'rw', not {mode!r}")
        super().__init__(TH.THMemoryFile_new(mode))


def read_1d(cls: type[Tensor], path: str | os.PathLike[str], n: int) -> Tensor:
    """The blog's read1dFile: ``n`` values of ``cls``'s type from an ascii file (quiet mode
    and a count check, so that a short file raises with any libTH)."""
    with DiskFile(path, "r", quiet=True) as f:
        return f.read(cls, n)


__all__ = ["File", "DiskFile", "MemoryFile", "read_1d"]
