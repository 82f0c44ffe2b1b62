"""Ownership of C pointers: the one place where TH objects are freed.

A :class:`Handle` owns one reference to a TH object, like Haskell's ``ForeignPtr`` with a
finalizer: it calls the matching ``*_free`` exactly once, when the handle is garbage collected or
when :meth:`Handle.free` is called first. A pointer that Python only borrows is retained before
it is wrapped, so that the count stays balanced.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Handle:
    """Owns one reference to a TH object of type :attr:`_th_struct`."""

    __slots__ = ("_th_ptr", "_owner", "__weakref__")
    _th_struct: ClassVar[str] = ""
    _th_free: ClassVar[Any] = None  # the raw C *_free function
    _th_retain: ClassVar[Any] = None  # the raw C *_retain function (None: not refcounted)

    def __init__(self, ptr: int, *, borrowed: bool = False, owner: Any = None) -> None:
        """Wraps ``ptr``. ``borrowed``: someone else owns it, so take a reference first.
        ``owner``: a Python object whose memory the TH object uses, kept alive as long."""
        if not ptr:
            raise ValueError(f"NULL {self._th_struct} pointer")
        if borrowed:
            if self._th_retain is None:
                raise TypeError(f"{self._th_struct} is not reference counted")
            self._th_retain(ptr)
        self._th_ptr: int = ptr
        self._owner = owner

    def free(self) -> None:
        """Drops this handle's reference now; using the handle afterwards is an error."""
        ptr, self._th_ptr = self._th_ptr, 0
        if ptr:
            self._th_free(ptr)

    def __del__(self) -> None:
        ptr = getattr(self, "_th_ptr", 0)  # free(), inlined: every temporary passes here
        if ptr:
            self._th_ptr = 0
            self._th_free(ptr)

    @property
    def address(self) -> int:
        """The C address of the TH object (0 once freed)."""
        return self._th_ptr
