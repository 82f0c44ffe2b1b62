"""Exceptions raised for errors reported by TH.

Every error TH raises reaches Python as a :class:`THError` (a ``RuntimeError``). Errors of a
recognisable kind are also instances of the matching built-in class, so ordinary ``except
ValueError`` or ``except FileNotFoundError`` clauses work::

    >>> import torchbind.float_tensor as F
    >>> try:
    ...     F.dot(F.zeros(3), F.zeros(4))
    ... except ValueError as e:
    ...     print(type(e).__name__)
    THValueError
"""

from __future__ import annotations


class THError(RuntimeError):
    """An error reported by the TH C library (``THError``), with TH's message."""


class THValueError(THError, ValueError):
    """A bad argument value or shape (``THArgCheck``)."""


class THZeroDivisionError(THValueError, ZeroDivisionError):
    """An integer division or remainder by zero (TH reports it as a bad argument; the tensor
    operators ``/``, ``//`` and ``%`` raise this, which is also Python's ZeroDivisionError)."""


class THIndexError(THError, IndexError):
    """An index or dimension out of range."""


class THTypeError(THError, TypeError):
    """An object of the wrong kind, e.g. a tensor of another element type."""


class THMemoryError(THError, MemoryError):
    """TH could not allocate memory."""


class THIOError(THError, OSError):
    """A file operation failed, or a file held less data than asked for."""


class THFileNotFoundError(THIOError, FileNotFoundError):
    """A file to read does not exist."""


#: The C library's error kinds, as THGeneral.h's enum numbers them (its TH_ERR_* names without
#: the prefix); tests/test_fastpaths.py reads the header and checks this table against it.
TH_ERR: dict[str, int] = {
    "NONE": 0, "RUNTIME": 1, "ARG": 2, "INDEX": 3, "TYPE": 4, "MEMORY": 5, "IO": 6,
    "NOTFOUND": 7,
}

#: The exception class of each kind, by the kind's number.
BY_KIND: dict[int, type[THError]] = {
    TH_ERR[kind]: cls for kind, cls in (
        ("RUNTIME", THError), ("ARG", THValueError), ("INDEX", THIndexError),
        ("TYPE", THTypeError), ("MEMORY", THMemoryError), ("IO", THIOError),
        ("NOTFOUND", THFileNotFoundError))
}

__all__ = [
    "THError", "THValueError", "THZeroDivisionError", "THIndexError", "THTypeError",
    "THMemoryError", "THIOError",
    "THFileNotFoundError",
]
