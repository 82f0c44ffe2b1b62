"""The C layer: loads libTH and declares every function of the API table with ctypes.

``TH`` gives every exported function by its C name, declared from the table
(``torchbind/th_api.tsv``, read by :mod:`torchbind._apitable`), never by hand::

    >>> from torchbind import ffi
    >>> import torchbind.float_tensor as F
    >>> x = F.from_numpy(__import__("numpy").arange(4, dtype="float32"))
    >>> ffi.TH.THFloatTensor_dot(x, x)
    14.0

Arguments that are TH objects accept torchbind objects of the right type (``Tensor``,
``Storage``, ``File``, ``Generator``) or raw addresses (``int``); functions that return a TH
object return its raw address (the caller owns it, as in C). Any error TH raises comes back as a
:class:`torchbind.errors.THError`; an argument of the wrong type raises ``TypeError``.

The library is the one inside the package, or the file named by ``TORCHBIND_TH_LIBRARY`` (an
upstream Torch7 ``libTH.so`` works: it lacks the error capture, see :data:`CAPTURES_ERRORS`).
"""

from __future__ import annotations

import ctypes
import operator
import os
import re
import sys
import threading
from collections.abc import Callable, Container
from pathlib import Path
from typing import Any

from torchbind import _apitable, _plan
from torchbind.errors import BY_KIND, THError

# ---- loading -------------------------------------------------------------------------------


def _preload_openblas() -> str | None:
    """Loads the scipy-openblas32 wheel's library globally, so libTH's dependency on it resolves.
    The wheel is found, not imported (its package imports importlib.metadata: 60 ms)."""
    import importlib.util
    spec = importlib.util.find_spec("scipy_openblas32")
    if spec is None or spec.origin is None:
        return None
    lib_dir = Path(spec.origin).parent / "lib"
    names = sorted(n for n in os.listdir(lib_dir) if n.startswith("libscipy_openblas")) if (
        lib_dir.is_dir()) else []
    if not names:
        return None
    path = str(lib_dir / names[0])
    ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    return path


def _library_path() -> tuple[Path, bool]:
    """TORCHBIND_TH_LIBRARY, else the bundled copy: beside this file, or (in an editable
    install, where the compiled files stay in site-packages) on sys.path."""
    env = os.environ.get("TORCHBIND_TH_LIBRARY")
    if env:
        return Path(env), False
    here = Path(__file__).with_name("lib") / "libTH.so"
    if not here.exists():
        for entry in sys.path:
            candidate = Path(entry or ".") / "torchbind" / "lib" / "libTH.so"
            if candidate.exists():
                return candidate, True
    return here, True


LIBRARY_PATH, BUNDLED = _library_path()
OPENBLAS_PATH = _preload_openblas()
if not LIBRARY_PATH.exists():
    raise ImportError(
        f"torchbind: libTH not found at {LIBRARY_PATH}"
        + ("" if BUNDLED else " (from TORCHBIND_TH_LIBRARY)")
        + "; install the package with `pip install .` so that CMake builds it"
    )
lib = ctypes.CDLL(str(LIBRARY_PATH))

#: True for torchbind's own libTH, whose entry points park errors instead of exiting.
CAPTURES_ERRORS = hasattr(lib, "THError_take")
if CAPTURES_ERRORS:
    # Our libTH behaves as upstream's (the default handler prints and ends the process) for hosts
    # that do not ask otherwise; torchbind asks to have errors parked, to raise them as exceptions.
    lib.THError_setCapture.argtypes = [ctypes.c_int]
    lib.THError_setCapture(1)


# ---- C types -------------------------------------------------------------------------------


class THHalf(ctypes.Structure):
    """TH's 16-bit float, passed by value as a struct of its bits."""

    _fields_ = [("x", ctypes.c_ushort)]


class THDescBuff(ctypes.Structure):
    """A fixed-size description string, returned by value."""

    _fields_ = [("str", ctypes.c_char * 64)]


class CString(ctypes.c_char_p):
    """``const char *``: accepts ``str`` (UTF-8 encoded) as well as ``bytes``."""

    @classmethod
    def from_param(cls, obj: Any) -> Any:
        if isinstance(obj, str):
            obj = obj.encode()
        if obj is None or isinstance(obj, bytes):
            return ctypes.c_char_p(obj)
        raise _refuse(TypeError(f"expected str or bytes, got {type(obj).__name__}"))


class StructPointer(ctypes.c_void_p):
    """A pointer to a TH struct; subclasses name the struct (``THFloatTensor`` ...).

    As an argument it takes a torchbind object holding that struct (its ``_th_struct`` names
    it) or a raw address; an object of another TH type is a ``TypeError``. None (NULL) only
    where the C function accepts NULL (``nullable``): elsewhere C would dereference it.
    """

    struct = ""
    nullable = False

    @classmethod
    def from_param(cls, obj: Any) -> Any:
        name = getattr(obj, "_th_struct", None)
        if name is not None:
            if name != cls.struct:
                raise _refuse(TypeError(f"expected a {cls.struct}, got a {name}"))
            ptr = obj._th_ptr
            if not ptr:
                raise _refuse(ValueError(f"{cls.struct} has been freed"))
            return ctypes.c_void_p(ptr)
        if obj is None and not cls.nullable:
            raise _refuse(TypeError(f"expected a {cls.struct}, got None (this argument cannot "
                                    "be NULL)"))
        if obj is None or (isinstance(obj, int) and not isinstance(obj, bool)):
            return ctypes.c_void_p(obj)
        if isinstance(obj, ctypes.c_void_p):
            return obj
        raise _refuse(TypeError(f"expected a {cls.struct} or an address, got "
                                f"{type(obj).__name__}"))


_struct_pointers: dict[tuple[str, bool], type[StructPointer]] = {}


def struct_pointer(name: str, nullable: bool = False) -> type[StructPointer]:
    """The argument type for ``name *`` (one class per struct name and nullability)."""
    key = (name, nullable)
    if key not in _struct_pointers:
        _struct_pointers[key] = type(f"{name}_p", (StructPointer,),
                                     {"struct": name, "nullable": nullable})
    return _struct_pointers[key]


_SCALARS: dict[str, Any] = {
    "char": ctypes.c_char,
    "unsigned char": ctypes.c_ubyte,
    "short": ctypes.c_short,
    "unsigned short": ctypes.c_ushort,
    "int": ctypes.c_int,
    "long": ctypes.c_long,
    "unsigned long": ctypes.c_ulong,
    "float": ctypes.c_float,
    "double": ctypes.c_double,
    "size_t": ctypes.c_size_t,
    "ptrdiff_t": ctypes.c_ssize_t,
    "THHalf": THHalf,
    "THDescBuff": THDescBuff,
}


def _bare(ctype: str) -> str:
    return " ".join(w for w in ctype.replace("*", " * ").split() if w not in ("const", "volatile"))


# ---- arguments that ctypes would take wrongly ----------------------------------------------------

# The exception a from_param of ours raised last in this thread: ctypes wraps it in an
# ArgumentError (its class survives only as text), checked_call raises it again by its class.
_refused = threading.local()


def _refuse(exc: Exception) -> Exception:
    _refused.exc = exc
    return exc


_checked_ints: dict[Any, Any] = {}


def checked_int(base: Any) -> Any:
    """``base`` (a ctypes integer type) as an argument type that refuses what C cannot hold:
    OverflowError out of range (ctypes itself wraps 2**64 + 5 to 5), TypeError for non-integers."""
    if base not in _checked_ints:
        bits = 8 * ctypes.sizeof(base)
        signed = base(-1).value == -1
        lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)

        def from_param(cls: Any, v: Any) -> Any:
            if v.__class__ is int and lo <= v <= hi:
                return base(v)  # an instance: a bare int would travel as a C int
            try:
                i = operator.index(v)
            except TypeError:
                raise _refuse(TypeError(f"expected an integer, got {type(v).__name__}")) from None
            if not lo <= i <= hi:
                raise _refuse(OverflowError(f"{i} is out of range for {base.__name__} "
                                            f"({lo}..{hi})"))
            return base(i)

        _checked_ints[base] = type(f"checked_{base.__name__}", (base,),
                                   {"from_param": classmethod(from_param), "plain": base})
    return _checked_ints[base]


_INT_TYPES = (ctypes.c_byte, ctypes.c_ubyte, ctypes.c_short, ctypes.c_ushort, ctypes.c_int,
              ctypes.c_uint, ctypes.c_long, ctypes.c_ulong, ctypes.c_size_t, ctypes.c_ssize_t)


def ctypes_type(ctype: str, *, result: bool = False, template: str = "",
                nullable: bool = True) -> Any:
    """:func:`_ctypes_type`, with integer arguments range-checked (:func:`checked_int`)."""
    t = _ctypes_type(ctype, result=result, template=template, nullable=nullable)
    return checked_int(t) if not result and t in _INT_TYPES else t


def _ctypes_type(ctype: str, *, result: bool = False, template: str = "",
                 nullable: bool = True) -> Any:
    """The ctypes type for a C type string from the table. ``template`` is the type as the
    generic row writes it: where it says ``real``, ``char`` is a number (THCharTensor's
    elements), elsewhere a character or, as ``const char *``, a string."""
    t = _bare(ctype)
    is_real = bool(re.search(r"\breal\b", template))
    if t == "void":
        return None
    if is_real and "*" not in t:
        return ctypes.c_byte if t == "char" else _SCALARS[t]
    if is_real:  # a pointer to elements
        base = t.replace("*", "").strip()
        elem = ctypes.c_byte if base == "char" else _SCALARS[base]
        return ctypes.POINTER(elem) if result and t.count("*") == 1 else ctypes.c_void_p
    if t in _SCALARS:
        return _SCALARS[t]
    if "(*)" in t or t.endswith("Function"):
        return ctypes.c_void_p  # a C function pointer (e.g. a ctypes CFUNCTYPE object)
    if t == "char *":
        if result:
            return ctypes.c_char_p
        return CString if "const" in ctype else ctypes.c_void_p
    stars = t.count("*")
    base = t.replace("*", "").strip()
    if stars == 1 and base.startswith("TH") and base not in _SCALARS:
        return ctypes.c_void_p if result else struct_pointer(base, nullable)
    if stars == 1 and result and base in _SCALARS:
        return ctypes.POINTER(_SCALARS[base])
    return ctypes.c_void_p  # data pointers, arrays of pointers, void *


# ---- errors --------------------------------------------------------------------------------

def error_channel(library: ctypes.CDLL, prefix: str) -> tuple[Any, Callable[[str], None]]:
    """A library's parked errors (libTH: prefix TH, libTHC: THC): its parked-error count
    ``<prefix>ErrorPendingCount`` (a ctypes long, read after every call) and the function that
    raises the error it parked for this thread, if any (through ``<prefix>Error_take``)."""
    pending = ctypes.c_long.in_dll(library, f"{prefix}ErrorPendingCount")
    take = library[f"{prefix}Error_take"]
    take.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    take.restype = ctypes.c_int

    def raise_pending(where: str) -> None:
        """Raises the error the library parked for this thread, if any."""
        buf = ctypes.create_string_buffer(2048)
        kind = take(buf, len(buf))
        if kind:
            raise BY_KIND.get(kind, THError)(f"{where}: {buf.value.decode(errors='replace')}")

    return pending, raise_pending


def _nothing_parked(where: str) -> None:
    """An upstream library parks nothing (its errors exit the process)."""


if CAPTURES_ERRORS:
    _pending, raise_pending = error_channel(lib, "TH")
else:
    _pending, raise_pending = ctypes.c_long(0), _nothing_parked


def checked_call(symbol: str, cfunc: Any, pending: Any, raise_parked: Callable[[str], None],
                 declaration: str) -> Callable[..., Any]:
    """The Python callable for one C function: call, then check the library's parked-error
    count ``pending`` (libTH and libTHC each have their own) and raise what it parked."""
    argument_error = ctypes.ArgumentError

    def call(*args: Any) -> Any:
        try:
            result = cfunc(*args)
        except argument_error as e:  # ctypes wraps from_param's exception: raise its class
            exc, _refused.exc = getattr(_refused, "exc", None), None
            raise (type(exc) if exc is not None else TypeError)(f"{symbol}: {e}") from None
        if pending.value:
            raise_parked(symbol)
        return result

    call.__name__ = call.__qualname__ = symbol
    call.__doc__ = "C: " + declaration
    return call


def _wrap(symbol: str, cfunc: Any) -> Callable[..., Any]:
    """The Python callable for one TH function: call, then check for a parked TH error."""
    proto = PROTOTYPES[symbol]
    call = checked_call(symbol, cfunc, _pending, raise_pending, proto.c_declaration())
    if proto.variadic:
        call = _literal_format(proto, call)
    call.cfunc = cfunc  # type: ignore[attr-defined]
    return call


def _literal_format(proto: _apitable.Prototype, call: Callable[..., Any]) -> Callable[..., Any]:
    """The variadic raisers (_THError, _THArgCheck, _THAssertionFailed) from Python: their format
    parameter is taken as plain text, passed as the argument of a "%s" format, so that no string
    from Python is ever interpreted as a printf format (a "%n" would write through memory)."""
    n = len(proto.params)

    def literal(*args: Any) -> Any:
        if len(args) != n:
            raise TypeError(f"{proto.symbol}() takes {n} arguments ({len(args)} given): its "
                            f"message is plain text, not a format with arguments")
        *head, text = args
        return call(*head, b"%s", text.encode() if isinstance(text, str) else text)

    literal.__name__ = literal.__qualname__ = proto.symbol
    literal.__doc__ = call.__doc__
    return literal


# ---- the namespace of functions ------------------------------------------------------------

#: Every prototype of the table by symbol (each parsed on first look-up).
PROTOTYPES = _apitable.Table()


def declare(symbol: str) -> Any | None:
    """The library's function ``symbol`` with argtypes and restype set from the table, or None
    when the library does not export it."""
    proto = PROTOTYPES[symbol]
    try:
        cfunc = getattr(lib, symbol)
    except AttributeError:
        return None
    nullable = _plan.plan(proto).nullable  # where C accepts NULL: declared, not guessed
    cfunc.argtypes = [ctypes_type(p.ctype, template=p.template, nullable=n)
                      for p, n in zip(proto.params, nullable, strict=True)]
    if proto.variadic:  # the error raisers: one more char * (see _literal_format)
        cfunc.argtypes.append(ctypes.c_char_p)
    cfunc.restype = ctypes_type(proto.restype, result=True, template=proto.restype_template)
    return cfunc


_raw: dict[tuple[str, bool], Any] = {}
_gil_lib: list[ctypes.PyDLL] = []  # the library again, its calls keeping the GIL (made once)


def raw(symbol: str, *, quick: bool = False) -> Any:
    """The library's function ``symbol`` as a separate ctypes object with plain argument types
    from the table (a TH object is its raw address, integers unchecked): for the fast paths,
    which check their arguments themselves and read the parked-error count after the call.

    ``quick``: the function does constant work (makes or frees a struct, reads an element), so
    the call keeps the GIL instead of releasing and taking it back, which costs more than such a
    call (ctypes.PyDLL's convention). Functions whose work grows with the data must not be
    quick: other Python threads would wait for them."""
    key = (symbol, quick)
    fn = _raw.get(key)
    if fn is None:
        proto = PROTOTYPES[symbol]
        if quick and not _gil_lib:
            _gil_lib.append(ctypes.PyDLL(str(LIBRARY_PATH)))
        # a new function object: TH's own (checking) declaration stays as is
        fn = (_gil_lib[0] if quick else lib)[symbol]
        types = [ctypes_type(p.ctype, template=p.template) for p in proto.params]
        fn.argtypes = [ctypes.c_void_p if isinstance(t, type) and issubclass(t, StructPointer)
                       else getattr(t, "plain", t) for t in types]
        fn.restype = ctypes_type(proto.restype, result=True, template=proto.restype_template)
        _raw[key] = fn
    return fn


def raw_if_exported(symbol: str, *, quick: bool = False) -> Any:
    """:func:`raw`, or None where the library does not export ``symbol`` (torchbind's own
    functions, which an upstream libTH lacks)."""
    return raw(symbol, quick=quick) if hasattr(lib, symbol) else None


class Namespace:
    """Attribute access to one library's functions by their C names (libTH's ``TH``, libTHC's
    ``torchbind.cuda._lib.THC``), each declared from its table on first use and kept: ``table``
    names what is known (for the error), ``declare`` gives the ctypes function or None when the
    library lacks it, ``wrap`` makes the checked Python callable, ``exported`` lists the rest."""

    def __init__(self, table: Container[str], table_name: str, library_path: Path,
                 declare: Callable[[str], Any | None], wrap: Callable[[str, Any], Any],
                 exported: Callable[[], list[str]]) -> None:
        self._table, self._table_name, self._path = table, table_name, library_path
        self._declare, self._wrap, self._exported = declare, wrap, exported

    def __getattr__(self, symbol: str) -> Callable[..., Any]:
        if symbol not in self._table:
            raise AttributeError(f"{symbol} is not in {self._table_name}")
        cfunc = self._declare(symbol)
        if cfunc is None:
            raise AttributeError(f"{symbol} is not exported by {self._path}")
        fn: Callable[..., Any] = self._wrap(symbol, cfunc)
        setattr(self, symbol, fn)
        return fn

    def __dir__(self) -> list[str]:
        return sorted(self._exported())


def exported() -> list[str]:
    """The table's symbols that the loaded library exports."""
    return [s for s in PROTOTYPES if hasattr(lib, s)]


#: Every function of the TH API, by its C name.
TH = Namespace(PROTOTYPES, "the TH API table", LIBRARY_PATH, declare, _wrap, exported)


def extension(name: str, restype: Any, argtypes: list[Any]) -> Any | None:
    """One of torchbind's own C extensions (None with an upstream library)."""
    fn = getattr(lib, name, None)
    if fn is not None:
        fn.restype, fn.argtypes = restype, argtypes
    return fn
