"""The one definition every per-type module is instantiated from.

``instantiate("float_tensor", "Float")`` fills the module ``torchbind.float_tensor`` with the
signature (``Tensor``, ``AccReal``, ``read1dFile``, ``dot``, ``sumall`` ...) implemented by the
``THFloat*`` functions. Each function is made from its row of the API table by one rule:

* a function whose first parameter is its result tensor (``r_``) returns a new tensor instead
  (or writes into ``out=``); its other parameters keep the C order: ``add(t, value)``,
  ``addmm(beta, t, alpha, mat1, mat2)``;
* an in-place function (``fill``, ``zero``) changes its tensor and returns None;
* a function returning a value returns it as a Python number (``AccReal`` for accreal).
"""

from __future__ import annotations

import inspect
import numbers
import os
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from torchbind import ffi
from torchbind._types import TYPES, ElementType
from torchbind.file import read_1d
from torchbind.storage import STORAGE_CLASSES
from torchbind.tensor import TENSOR_CLASSES, Tensor

# The signature, by layer. Every type has CORE; the math types add MATH.
CORE = ("Tensor", "Storage", "AccReal", "Real", "read1dFile", "from_numpy", "from_tensor",
        "empty", "numel")
MATH_VALUE = ("dot", "sumall", "prodall", "maxall", "minall")
MATH_INPLACE = ("fill", "zero")
MATH_OUT = ("add", "sub", "mul", "div", "cadd", "csub", "cmul", "cdiv", "addmm", "addmv")
MATH = ("zeros", *MATH_VALUE, *MATH_INPLACE, *MATH_OUT)


def real_converter(etype: ElementType) -> Callable[[Any], Any]:
    """Checks a Python scalar for a `real` parameter: integer types reject non-integers and
    values out of range (ctypes would wrap them silently)."""
    if etype.floating:
        def to_float(v: Any) -> float:
            if not isinstance(v, numbers.Real):
                raise TypeError(f"expected a real number, got {type(v).__name__}")
            return float(v)

        return to_float
    info = np.iinfo(etype.dtype)
    lo, hi = int(info.min), int(info.max)

    def to_real(v: Any) -> int:
        if not isinstance(v, numbers.Real):
            raise TypeError(f"expected a number, got {type(v).__name__}")
        if not float(v).is_integer():
            raise TypeError(f"{etype.name} tensors take integer scalars, got {v!r}")
        i = int(v)
        if not lo <= i <= hi:
            raise OverflowError(f"{i} is out of range for {etype.name} ({lo}..{hi})")
        return i

    return to_real


def _make(etype: ElementType, name: str, kind: str) -> Callable[..., Any]:
    symbol = etype.fn(f"Tensor_{name}")
    cfn = getattr(ffi.TH, symbol)
    proto = ffi.PROTOTYPES[symbol]
    params = proto.params[1:] if kind == "out" else proto.params
    cls = TENSOR_CLASSES[etype.name]
    to_real = real_converter(etype)
    # which positions take a `real` (checked and converted before the call)
    reals = tuple(i for i, p in enumerate(params) if p.template.split() == ["real"])

    def convert(args: tuple[Any, ...]) -> list[Any]:
        if len(args) != len(params):
            raise TypeError(f"{name}() takes {len(params)} arguments ({len(args)} given)")
        a = list(args)
        for i in reals:
            a[i] = to_real(a[i])
        return a

    if kind == "out":
        def fn(*args: Any, out: Tensor | None = None) -> Tensor:
            a = convert(args)
            r = cls(cls._c("Tensor_new")()) if out is None else out
            cfn(r, *a)
            return r
    elif kind == "inplace":
        def fn(*args: Any) -> None:  # type: ignore[misc]
            cfn(*convert(args))
    else:
        def fn(*args: Any) -> Any:  # type: ignore[misc]
            return cfn(*convert(args))

    sig = [inspect.Parameter(p.name.rstrip("_"), inspect.Parameter.POSITIONAL_ONLY)
           for p in params]
    if kind == "out":
        sig.append(inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))
    fn.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{name}: calls C `{proto.c_declaration()}`" + (
        "; returns a new tensor (or writes into out=)." if kind == "out" else ".")
    return fn


def instantiate(module_name: str, type_name: str) -> None:
    """Fills the module ``module_name`` with the signature for element type ``type_name``."""
    etype = TYPES[type_name]
    cls = TENSOR_CLASSES[type_name]
    ns: dict[str, Any] = {
        "Tensor": cls,
        "Storage": STORAGE_CLASSES[type_name],
        "AccReal": etype.acc,
        "Real": float if etype.floating else int,
        "ELEMENT_TYPE": etype,
        "from_numpy": cls.from_numpy,
        "from_tensor": cls.from_tensor,
        "empty": cls.empty,
    }

    def read1dFile(path: str | os.PathLike[str], n: int) -> Tensor:
        """Reads ``n`` numbers from an ascii file into a 1-d tensor (THDiskFile_new +
        THFile_read<Type>). Byte and Char read characters, as TH does."""
        return read_1d(cls, path, n)

    def numel(t: Tensor) -> int:
        """The number of elements."""
        if not isinstance(t, cls):
            raise TypeError(f"expected a {cls.__name__}, got {type(t).__name__}")
        return t.numel()

    ns["read1dFile"], ns["numel"] = read1dFile, numel
    names = list(CORE)
    if etype.math:
        for kind, group in (("value", MATH_VALUE), ("inplace", MATH_INPLACE), ("out", MATH_OUT)):
            for name in group:
                ns[name] = _make(etype, name, kind)

        def zeros(*shape: int) -> Tensor:
            """A tensor of zeros of the given shape."""
            t = cls.empty(*shape)
            ns["zero"](t)
            return t

        ns["zeros"] = zeros
        names += MATH
    module = sys.modules[module_name]
    for name in names:
        obj = ns[name]
        if callable(obj) and getattr(obj, "__module__", None) == __name__:
            obj.__module__ = module_name
        setattr(module, name, obj)
    module.ELEMENT_TYPE = etype  # type: ignore[attr-defined]
    module.__all__ = names  # type: ignore[attr-defined]
