"""The element types: what each per-type module is instantiated with."""

from __future__ import annotations

import ctypes
import math
import numbers
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from torchbind.ffi import THHalf


class ElementType(NamedTuple):
    """One TH element type and how it looks from Python."""

    name: str  # TH's name: the <T> of TH<T>Tensor_*
    module: str  # the per-type module, e.g. "float_tensor"
    ctype: type  # ctypes type of `real`
    dtype: np.dtype  # numpy dtype of `real`
    acc: type  # Python type of `accreal`: float or int
    floating: bool
    signed: bool
    math: bool  # has TensorMath (every type but Half)

    @property
    def tensor_struct(self) -> str:
        return f"TH{self.name}Tensor"

    @property
    def storage_struct(self) -> str:
        return f"TH{self.name}Storage"

    def fn(self, family: str) -> str:
        """The C name of a generic function, e.g. fn("Tensor_dot") -> "THFloatTensor_dot"."""
        return f"TH{self.name}{family}"


def _t(name: str, ctype: type, dtype: str, acc: type, floating: bool, signed: bool,
       math: bool = True) -> ElementType:
    return ElementType(name, f"{name.lower()}_tensor", ctype, np.dtype(dtype), acc, floating,
                       signed, math)


TYPES: dict[str, ElementType] = {
    t.name: t
    for t in [
        _t("Byte", ctypes.c_ubyte, "uint8", int, False, False),
        _t("Char", ctypes.c_byte, "int8", int, False, True),
        _t("Short", ctypes.c_short, "int16", int, False, True),
        _t("Int", ctypes.c_int, "int32", int, False, True),
        _t("Long", ctypes.c_long, "int64", int, False, True),
        _t("Float", ctypes.c_float, "float32", float, True, True),
        _t("Double", ctypes.c_double, "float64", float, True, True),
        _t("Half", THHalf, "float16", float, True, True, math=False),
    ]
}

BY_DTYPE: dict[np.dtype, ElementType] = {t.dtype: t for t in TYPES.values()}


def real_converter(etype: ElementType) -> Callable[[Any], Any]:
    """Checks a Python or numpy scalar for a `real` parameter (ctypes would wrap or truncate
    silently): integer types reject non-integers (TypeError), NaN and infinities (ValueError)
    and values out of range (OverflowError, naming the value and the type); floating types
    reject numbers beyond any double (OverflowError)."""
    if etype.floating:
        def to_float(v: Any) -> float:
            if not isinstance(v, numbers.Real):
                raise TypeError(f"expected a real number, got {type(v).__name__}")
            try:
                return float(v)
            except OverflowError:
                raise OverflowError(f"{_short(v)} does not fit in {etype.name} (a C "
                                    f"{etype.dtype})") from None

        return to_float
    info = np.iinfo(etype.dtype)
    lo, hi = int(info.min), int(info.max)

    def to_real(v: Any) -> int:
        if isinstance(v, (numbers.Integral, np.bool_)):
            i = int(v)
        elif isinstance(v, numbers.Real):
            f = float(v)
            if math.isnan(f) or math.isinf(f):
                raise ValueError(f"cannot convert {v!r} to {etype.name} (an integer type)")
            if not f.is_integer():
                raise TypeError(f"{etype.name} tensors take integer scalars, got {v!r}")
            i = int(f)
        else:
            raise TypeError(f"expected a number, got {type(v).__name__}")
        if not lo <= i <= hi:
            raise OverflowError(f"{_short(i)} is out of range for {etype.name} ({lo}..{hi})")
        return i

    return to_real


def _short(v: Any) -> str:
    """A number for a message: huge integers abbreviated."""
    s = repr(v)
    return s if len(s) <= 40 else f"{s[:12]}...{s[-6:]} ({len(s)} digits)"
