"""The one definition every CUDA per-type module is instantiated from.

``instantiate("torchbind.cuda.float_tensor", "Float")`` fills that module with the same signature
as the CPU modules (``Tensor``, ``Storage``, ``AccReal``, ``Real``, ``read1dFile``, ``from_numpy``,
``from_tensor``, ``empty``, ``numel``, ``zeros``, ``dot``, ``sumall`` ...), implemented by the
``THCuda*`` functions of libTHC. Every ``THC<T>Tensor_<name>`` function libTHC exports becomes the
module function ``snake_case(name)`` by the CPU modules' rules (see :mod:`torchbind._generic`):

* the state is supplied (the process-wide one);
* result tensors (``self`` of a void function, ``values``/``indices`` ...) are made and returned,
  or passed with ``out=``; the other parameters keep the C order: ``add(t, value)``,
  ``addmm(beta, t, alpha, mat1, mat2)``, ``max(t, dim, keepdim) -> (values, indices)``;
* in-place functions (``fill``, ``zero``, ``uniform``, ``normal``) change their tensor;
* value functions return Python numbers (``AccReal`` for accreal);
* index results are 0-based, as in numpy (libTHC's are 1-based, as upstream's).

A module cannot be imported where CUDA is not usable: ImportError says why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from torchbind import _plan
from torchbind._generic import core_members, describe, generate, snake, zeros_of
from torchbind._types import TYPES
from torchbind.cuda import _lib
from torchbind.cuda._thcapi import cuda_name


def _make(type_name: str, family: str, classes: dict[str, Any]) -> Callable[..., Any] | None:
    """The module function for libTHC's THC<T><family>: the CPU modules' maker
    (:func:`torchbind._generic.generate` and :func:`~torchbind._generic.describe`, reading the
    same plan), with the device's differences as its parameters: libTHC's functions and errors,
    the process-wide state, and the index shift done on the device."""
    name = family[len("Tensor_"):]
    symbol = f"TH{cuda_name(type_name)}{family}"
    proto = _lib.PROTOTYPES.get(symbol)
    if proto is None or not hasattr(_lib.library(), symbol):
        return None
    p = _plan.plan(proto)
    if not p.module_function:
        return None
    fn = generate(p, TYPES[type_name], snake(name), _lib.library()[symbol], _lib.declare(symbol),
                  classes, _lib.pending(), _lib.raise_pending, _new_result, state=_lib.state,
                  shift=_shift)
    return describe(fn, p, snake(name), "libTHC's")


def _new_result(cls: Any) -> Any:
    """libTHC's constructor of an empty result tensor (raw: its errors park)."""
    made = cls._c("Tensor_new")
    return getattr(made, "cfunc", made)


def _shift(t: Any, k: int) -> None:
    """Adds k to an index tensor on the device (1-based results -> 0-based)."""
    if t.numel():
        _lib.THC.THCudaLongTensor_add(_lib.state(), t, t, k)


def instantiate(module_name: str, type_name: str) -> None:
    """Fills the module ``module_name`` with the signature for element type ``type_name``;
    ImportError when libTHC is missing or no GPU is usable."""
    reason = _lib.state_error()
    if reason is not None:
        raise ImportError(f"{module_name} is not usable here: {reason}")
    from torchbind.cuda import tensor

    tensor.bind()
    etype = TYPES[type_name]
    cls = tensor.TENSOR_CLASSES[type_name]
    def read(path: str | os.PathLike[str], n: int) -> Any:
        from torchbind.cuda.tensor import _cpu_module
        return cls.from_tensor(_cpu_module(etype).read1dFile(path, n))

    ns = core_members(etype, cls, tensor.STORAGE_CLASSES[type_name], read,
                      "Reads ``n`` numbers from an ascii file on the host (the CPU module's "
                      "read1dFile), then sends them to the GPU.")
    ns["zeros"] = zeros_of(cls, lambda: ns["zero"], "A device tensor of zeros of the given shape.")
    classes = {**tensor.TENSOR_CLASSES,
               **{cuda_name(t): c for t, c in tensor.TENSOR_CLASSES.items()}}
    families = sorted({p.family for p in _lib.PROTOTYPES.values()
                       if p.type == type_name and p.family and p.family.startswith("Tensor_")})
    for family in families:
        fn = _make(type_name, family, classes)
        if fn is not None:
            ns[fn.__name__] = fn
    module = sys.modules[module_name]
    for key, obj in ns.items():
        if callable(obj) and getattr(obj, "__module__", None) == __name__:
            obj.__module__ = module_name
        setattr(module, key, obj)
    module.ELEMENT_TYPE = etype  # type: ignore[attr-defined]
    module.__all__ = list(ns)  # type: ignore[attr-defined]
