"""The C layer of :mod:`torchbind.cuda`: loads libTHC and declares its functions with ctypes.

``THC`` gives every function libTHC exports by its C name, declared from the THC table
(:mod:`torchbind.cuda._thcapi`), with the state as the first argument as in C::

    THC.THCudaTensor_fill(state(), t, 2.0)

Errors that libTHC parks come back as :class:`torchbind.errors.THError` (and the fitting built-in
class), as with libTH. :func:`state` is the process-wide ``THCState``: made and initialised on
first use (``THCState_alloc`` + ``THCudaInit``), shut down and freed at exit.

The library is ``libTHC.so`` beside the libTH that :mod:`torchbind.ffi` loaded, or the file named by
``TORCHBIND_THC_LIBRARY``. Loading it needs no GPU (the CUDA runtime is linked in statically and
looks for the driver only when first used); :func:`state` is what fails without one.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from torchbind import _plan, ffi
from torchbind._apitable import Prototype
from torchbind.cuda import _thcapi
from torchbind.errors import THError

LIBRARY_PATH = Path(os.environ.get("TORCHBIND_THC_LIBRARY") or
                    ffi.LIBRARY_PATH.with_name("libTHC.so"))

#: Every prototype libTHC may export: the table's rows for the built types, and the extensions.
PROTOTYPES: dict[str, Prototype] = {
    p.symbol: p for p in _thcapi.built(_thcapi.load()) + _thcapi.extensions()
}

_lib: ctypes.CDLL | None = None
_load_lock = threading.Lock()


def library() -> ctypes.CDLL:
    """libTHC, loaded on first use; ImportError when it is missing or cannot be loaded."""
    global _lib
    if _lib is None:
        with _load_lock:
            if _lib is None:
                if not LIBRARY_PATH.exists():
                    raise ImportError(
                        f"libTHC not found at {LIBRARY_PATH}: the build found no GPU or no CUDA "
                        "compiler (it builds libTHC where both are; with nvcc on PATH, "
                        "pip install -Ccmake.define.TH_CUDA=ON . builds it anyway)")
                try:
                    lib = ctypes.CDLL(str(LIBRARY_PATH))
                except OSError as e:
                    raise ImportError(f"libTHC at {LIBRARY_PATH} cannot be loaded: {e}") from e
                _setup_errors(lib)
                _lib = lib
    return _lib


# ---- errors --------------------------------------------------------------------------------

_pending: Any = ctypes.c_long(0)
_raise_pending: Callable[[str], None] = ffi._nothing_parked


def _setup_errors(lib: ctypes.CDLL) -> None:
    global _pending, _raise_pending
    _pending, _raise_pending = ffi.error_channel(lib, "THC")


def pending() -> Any:
    """libTHC's parked-error count (a ctypes long; valid once the library is loaded)."""
    library()
    return _pending


def raise_pending(where: str) -> None:
    """Raises the error libTHC parked for this thread, if any (ffi.error_channel's)."""
    _raise_pending(where)


# ---- declarations ----------------------------------------------------------------------------

class DescBuff(ctypes.Structure):
    """THCDescBuff, returned by value."""

    _fields_ = [("str", ctypes.c_char * 64)]


_EXTRA_TYPES: dict[str, Any] = {
    "THCState *": ctypes.c_void_p,
    "THCDescBuff": DescBuff,
    "unsigned long long": ctypes.c_ulonglong,
    "unsigned int": ctypes.c_uint,
    "long long": ctypes.c_longlong,
    "cudaError_t": ctypes.c_int,
    "cudaStream_t": ctypes.c_void_p,
    "THCDeviceAllocator *": ctypes.c_void_p,
}

def _ctype(ctype: str, *, result: bool = False, template: str = "", nullable: bool = True) -> Any:
    bare = " ".join(w for w in ctype.replace("*", " * ").split() if w != "const")
    bare = bare.replace(" *", " *").replace("* *", "**")
    if bare in _EXTRA_TYPES:
        return _EXTRA_TYPES[bare]
    return ffi.ctypes_type(ctype, result=result, template=template, nullable=nullable)


def declare(symbol: str) -> Any | None:
    """libTHC's function ``symbol`` with argtypes and restype set from the table, or None."""
    proto = PROTOTYPES[symbol]
    try:
        cfunc = getattr(library(), symbol)
    except AttributeError:
        return None
    nullable = _plan.plan(proto).nullable  # declared in th_roles.tsv
    cfunc.argtypes = [_ctype(p.ctype, template=p.template, nullable=n)
                      for p, n in zip(proto.params, nullable, strict=True)]
    cfunc.restype = _ctype(proto.restype, result=True, template=proto.restype_template)
    return cfunc


def _wrap(symbol: str, cfunc: Any) -> Callable[..., Any]:
    """The Python callable for one THC function: call, then check for a parked THC error."""
    return ffi.checked_call(symbol, cfunc, _pending, raise_pending,
                            PROTOTYPES[symbol].c_declaration())


def exported() -> list[str]:
    """The table's (and the extensions') symbols that libTHC exports."""
    lib = library()
    return [s for s in PROTOTYPES if hasattr(lib, s)]


#: Every function of libTHC, by its C name (the state first, as in C): ffi's namespace class.
THC = ffi.Namespace(PROTOTYPES, "the THC API table (for the built types)", LIBRARY_PATH, declare,
                    _wrap, exported)


def raw(symbol: str) -> Any:
    """The bare ctypes function (no error check): for finalizers, which must not raise."""
    cfunc = declare(symbol)
    if cfunc is None:
        raise AttributeError(f"{symbol} is not exported by {LIBRARY_PATH}")
    return cfunc


# ---- the process-wide state ----------------------------------------------------------------

_state: int = 0
_state_error: str | None = None
_closed = False
_state_lock = threading.Lock()


def state() -> int:
    """The address of the process-wide THCState, initialised on first use. RuntimeError (with
    the reason) when CUDA is not usable: no GPU, no driver, a driver too old for the runtime."""
    if _state:
        return _state
    return _make_state()


def _make_state() -> int:
    global _state, _state_error
    with _state_lock:
        if _state:
            return _state
        if _closed:
            raise RuntimeError("torchbind.cuda: the CUDA state was shut down at exit")
        if _state_error is not None:
            raise RuntimeError(_state_error)
        s: int = THC.THCState_alloc()
        if not s:
            raise MemoryError("torchbind.cuda: THCState_alloc returned NULL")
        try:
            THC.THCudaInit(s)
        except THError as e:
            THC.THCState_free(s)
            _state_error = str(e).split(": ", 1)[-1]
            raise RuntimeError(_state_error) from None
        _state = s
        atexit.register(_shutdown)
        return s


def _shutdown() -> None:
    """At exit: objects still alive stop freeing their C side (the process is ending), then the
    state is shut down and freed."""
    global _closed, _state
    with _state_lock:
        _closed = True
        s, _state = _state, 0
    if s:
        raw("THCudaShutdown")(s)
        raw("THCState_free")(s)


def closed() -> bool:
    """True once the state was shut down at exit (finalizers then leave memory to the OS)."""
    return _closed


def state_error() -> str | None:
    """Why CUDA is not usable, or None (tries to make the state)."""
    try:
        library()
        state()
    except (ImportError, RuntimeError) as e:
        return str(e)
    return None
