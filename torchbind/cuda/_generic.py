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

import inspect
import os
import re
import sys
from collections.abc import Callable
from typing import Any

from torchbind._generic import py_name, real_converter, snake
from torchbind._types import TYPES
from torchbind.cuda import _lib
from torchbind.cuda._thcapi import cuda_name

# The tensor's own structure: Tensor methods cover it, so no module function.
_STRUCTURE = re.compile(
    r"^(new\w*|free|freeCopyTo|retain|storage\w*|nDimension|size|stride|data|desc|sizeDesc"
    r"|setFlag|clearFlag|resize\w*|set|setStorage\w*|narrow|select|transpose|unfold|squeeze\w*"
    r"|unsqueeze1d|expand\w*|isContiguous|isSameSizeAs|isSetTo|isSize|nElement|[gs]et[1-4]d"
    r"|copy\w*|getDevice|checkGPU|numel)$")
_INPLACE = {"fill", "zero", "uniform", "normal"}
_OUTPUT_NAMES = {"self", "self_", "r_", "result", "values", "indices", "values_", "indices_"}
_INDEX_OUTPUTS = {"indices", "indices_"}


def _tensor_type(ctype: str) -> str | None:
    """The element type of a CUDA tensor parameter (Float for THCudaTensor *), else None."""
    m = re.fullmatch(r"THCuda(\w*)Tensor \*", ctype.replace("const ", ""))
    if not m:
        return None
    return m.group(1) or "Float"


def _make(type_name: str, family: str, classes: dict[str, Any]) -> Callable[..., Any] | None:
    name = family[len("Tensor_"):]
    symbol = f"TH{cuda_name(type_name)}{family}"
    proto = _lib.PROTOTYPES.get(symbol)
    if proto is None or _STRUCTURE.match(name) or not hasattr(_lib.library(), symbol):
        return None
    cfn = getattr(_lib.THC, symbol)
    params = proto.params[1:]  # the state is supplied
    if proto.restype != "void" or name in _INPLACE:
        outputs: list[int] = []
    else:
        outputs = [i for i, p in enumerate(params)
                   if p.name in _OUTPUT_NAMES and _tensor_type(p.ctype)]
    to_real = real_converter(TYPES[type_name])
    inputs: list[tuple[int, Callable[[Any], Any]]] = []
    for i, p in enumerate(params):
        if i in outputs:
            continue
        tt = _tensor_type(p.ctype)
        if p.template.split() == ["real"]:
            inputs.append((i, to_real))
        elif tt:
            inputs.append((i, _tensor_arg(classes[tt], py_name(p.name))))
        else:
            inputs.append((i, _identity))

    def fn(*args: Any, out: Any = None) -> Any:
        if len(args) != len(inputs):
            raise TypeError(f"{snake(name)}() takes {len(inputs)} arguments ({len(args)} given)")
        c_args: list[Any] = [None] * len(params)
        for (i, conv), a in zip(inputs, args, strict=True):
            c_args[i] = conv(a)
        given = out if isinstance(out, tuple) else (out,)
        results = []
        for k, i in enumerate(outputs):
            r = given[k] if k < len(given) and given[k] is not None else None
            rcls = classes[_tensor_type(params[i].ctype) or type_name]
            if r is None:
                r = rcls(rcls._c("Tensor_new")(_lib.state()))
            elif not isinstance(r, rcls):
                raise TypeError(f"out must be a {rcls.__name__}, not {type(r).__name__}")
            c_args[i] = r
            results.append(r)
        value = cfn(_lib.state(), *c_args)
        for i, r in zip(outputs, results, strict=True):
            if params[i].name in _INDEX_OUTPUTS and r.numel():
                _lib.THC.THCudaLongTensor_add(_lib.state(), r, r, -1)  # 1-based -> 0-based
        if not outputs:
            return None if proto.restype == "void" else value
        return results[0] if len(results) == 1 else tuple(results)

    sig = [inspect.Parameter(py_name(params[i].name), inspect.Parameter.POSITIONAL_ONLY)
           for i, _ in inputs]
    if outputs:
        sig.append(inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))
    fn.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    fn.__name__ = fn.__qualname__ = snake(name)
    fn.__doc__ = f"{snake(name)}: libTHC's `{proto.c_declaration()}`" + (
        "; returns the result tensor(s) (or writes into out=)." if outputs else
        " (changes its tensor in place)." if proto.restype == "void" else ".")
    return fn


def _identity(x: Any) -> Any:
    return x


def _tensor_arg(cls: type, name: str) -> Callable[[Any], Any]:
    def check(t: Any) -> Any:
        if not isinstance(t, cls):
            raise TypeError(f"{name} must be a {cls.__name__}, not {type(t).__name__}")
        return t
    return check


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
    ns: dict[str, Any] = {
        "Tensor": cls,
        "Storage": tensor.STORAGE_CLASSES[type_name],
        "AccReal": etype.acc,
        "Real": float if etype.floating else int,
        "from_numpy": cls.from_numpy,
        "from_tensor": cls.from_tensor,
        "empty": cls.empty,
    }

    def read1dFile(path: str | os.PathLike[str], n: int) -> Any:
        """Reads ``n`` numbers from an ascii file on the host (the CPU module's read1dFile),
        then sends them to the GPU."""
        from torchbind.cuda.tensor import _cpu_module
        return cls.from_tensor(_cpu_module(etype).read1dFile(path, n))

    def numel(t: Any) -> int:
        """The number of elements."""
        if not isinstance(t, cls):
            raise TypeError(f"expected a {cls.__name__}, got {type(t).__name__}")
        return t.numel()

    def zeros(*shape: int) -> Any:
        """A device tensor of zeros of the given shape."""
        t = cls.empty(*shape)
        ns["zero"](t)
        return t

    ns.update(read1dFile=read1dFile, numel=numel, zeros=zeros)
    families = sorted({p.family for p in _lib.PROTOTYPES.values()
                       if p.type == type_name and p.family and p.family.startswith("Tensor_")})
    for family in families:
        fn = _make(type_name, family, tensor.TENSOR_CLASSES)
        if fn is not None:
            ns[fn.__name__] = fn
    module = sys.modules[module_name]
    for key, obj in ns.items():
        if callable(obj) and getattr(obj, "__module__", None) == __name__:
            obj.__module__ = module_name
        setattr(module, key, obj)
    module.ELEMENT_TYPE = etype  # type: ignore[attr-defined]
    module.__all__ = list(ns)  # type: ignore[attr-defined]
