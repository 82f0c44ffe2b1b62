"""The one definition every per-type module is instantiated from.

``instantiate("float_tensor", "Float")`` fills the module ``torchbind.float_tensor`` with the
signature (``Tensor``, ``AccReal``, ``read1dFile``, ``dot``, ``sumall`` ...) implemented by the
``THFloat*`` functions. Every ``TH<T>Tensor_<name>`` function of the API table that the library
exports becomes the module function ``snake_case(name)`` by these rules:

* result tensors (parameters such as ``r_``, ``rt_``/``ri_``, ``values_``/``indices_``) are made
  by the function and returned (a tuple when there are several), or passed with ``out=``; the
  other parameters keep the C order: ``add(t, value)``, ``addmm(beta, t, alpha, mat1, mat2)``,
  ``sort(t, dim, descending) -> (values, indices)``;
* in-place functions (``fill``, ``zero``, ``index_fill``, the random fills ...) change their
  first tensor and return None;
* value functions return Python numbers (``AccReal`` for accreal);
* a ``THGenerator *`` becomes the keyword ``generator=`` (default: the default generator); a
  ``THLongStorage *`` size takes a tuple; a tensor array takes a list;
* index tensors are 0-based, as in numpy. TH's C API takes 1-based ones (indexSelect, gather,
  ...: shifted on the way in) and returns 0-based ones (max, sort, nonzero, multinomial, ...:
  passed through), as upstream Torch7 does; LAPACK's pivots come back 1-based and are shifted.
  The alias table's J is returned 0-based by multinomialAliasSetup while
  multinomialAliasDraw reads it 1-based (upstream's convention: Lua's bindings shift it in
  between), so ``multinomial_alias_draw`` passes J + 1.
"""

from __future__ import annotations

import ctypes
import inspect
import keyword
import numbers
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from torchbind import _apitable, _examples, ffi
from torchbind._types import TYPES, ElementType
from torchbind.errors import THValueError
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
        i = int(v) if isinstance(v, numbers.Integral) else int(float(v))
        if not lo <= i <= hi:
            raise OverflowError(f"{i} is out of range for {etype.name} ({lo}..{hi})")
        return i

    return to_real


# Tensor families that are not module functions: the tensor's own structure (Tensor methods
# cover it) and the raw-pointer convolution kernels (reachable through torchbind.ffi).
_STRUCTURE = re.compile(
    r"^(new\w*|free|freeCopyTo|retain|storage\w*|nDimension|size|stride|data|desc|sizeDesc"
    r"|setFlag|clearFlag|resize\w*|set|setStorage\w*|narrow|select|transpose|unfold|squeeze\w*"
    r"|unsqueeze1d|expand\w*|isContiguous|isSameSizeAs|isSetTo|isSize|nElement|[gs]et[1-4]d"
    r"|copy\w*|\w+ptr)$")
# Functions that change their first tensor in place (the rest write into result tensors).
_INPLACE = {
    "fill", "zero", "indexCopy", "indexAdd", "indexFill", "scatter", "scatterAdd",
    "scatterFill", "maskedFill", "maskedCopy", "random", "cappedRandom", "clampedRandom",
    "geometric", "bernoulli", "bernoulli_FloatTensor", "bernoulli_DoubleTensor", "uniform",
    "normal", "normal_means", "normal_stddevs", "normal_means_stddevs", "exponential", "cauchy",
    "logNormal", "setRNGState",
}
# Result tensors, by parameter name; the Python function makes them and returns them.
_OUTPUT_NAMES = {
    "r_", "r", "rt_", "ri_", "values_", "indices_", "ra_", "rb_", "re_", "rv_", "ru_", "rs_",
    "rq_", "rr_", "rtau_", "rpiv_", "rpivots_", "rinfo_", "hist", "result", "subscript", "self",
}
_OUTPUT_BY_FUNCTION = {"gather": {"tensor"}, "indexSelect": {"tensor"},
                       "maskedSelect": {"tensor"}, "multinomialAliasSetup": {"J", "q"}}
# Index tensors: 0-based in Python. The C API takes them 1-based (TH_INDEX_BASE: shifted on the
# way in; J included, see the module docstring) and returns them 0-based (ri_, indices_,
# subscript, multinomial's draws, the alias table's J: passed through), except LAPACK's pivots,
# which come back 1-based (shifted on the way out).
_INDEX_INPUTS = {"index", "pivots", "J"}
_INDEX_OUTPUTS = {"rpiv_", "rpivots_"}
# Functions whose result's size is the request (as many draws as it has elements): out= needed.
_SIZED_BY_OUT = {"multinomialAliasDraw"}


@dataclass(frozen=True)
class Binding:
    """How a module function maps onto its C function: which C parameters are its positional
    arguments, which are result tensors it makes, and where the generator goes."""

    proto: _apitable.Prototype
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    generator: int | None


def py_name(c_name: str) -> str:
    """A C parameter's name in Python: no trailing underscore, no keyword, no `self`."""
    name = c_name.rstrip("_") or "x"
    if name == "self":
        return "tensor"
    return f"{name}_" if keyword.iskeyword(name) else name


def snake(name: str) -> str:
    """TH's camelCase name as the Python name: indexSelect -> index_select."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def _tensor_type(ctype: str) -> str | None:
    m = re.fullmatch(r"TH(\w+)Tensor \*", ctype.replace("const ", ""))
    return m.group(1) if m else None


def _make(etype: ElementType, name: str) -> Callable[..., Any] | None:
    """The module function for C function TH<T>Tensor_<name>, by the rules in the docstring."""
    symbol = etype.fn(f"Tensor_{name}")
    proto = ffi.PROTOTYPES[symbol]
    if _STRUCTURE.match(name) or not hasattr(ffi.lib, symbol):
        return None
    cfn = getattr(ffi.TH, symbol)
    params = proto.params
    if proto.restype != "void" or name in _INPLACE:
        outputs: set[int] = set()
    else:
        names = _OUTPUT_BY_FUNCTION.get(name, _OUTPUT_NAMES)
        outputs = {i for i, p in enumerate(params) if p.name in names and _tensor_type(p.ctype)}
    to_real = real_converter(etype)
    inputs: list[tuple[int, Callable[[Any], Any]]] = []  # (C position, converter)
    generator_pos = None
    skip: set[int] = set()
    for i, p in enumerate(params):
        if i in outputs or i in skip:
            continue
        bare = p.ctype.replace("const ", "")
        if bare == "THGenerator *":
            generator_pos = i
        elif bare == "THLongStorage *":
            inputs.append((i, _long_storage_arg))
        elif bare.endswith("Tensor **") and i + 1 < len(params):
            inputs.append((i, _pointer_array))
            skip.add(i + 1)  # the count: taken from the list
        elif p.template.split() == ["real"]:
            inputs.append((i, to_real))
        elif p.name in _INDEX_INPUTS and _tensor_type(p.ctype) in ("Long", "Int"):
            inputs.append((i, _one_based(TENSOR_CLASSES[_tensor_type(p.ctype) or "Long"])))
        elif _tensor_type(p.ctype):
            inputs.append((i, _tensor_arg(TENSOR_CLASSES[_tensor_type(p.ctype) or ""],
                                          py_name(p.name))))
        else:
            inputs.append((i, _identity))
    array_count = {c: c - 1 for c in skip}  # count position -> array position

    def fn(*args: Any, out: Any = None, generator: Any = None) -> Any:
        if len(args) != len(inputs):
            raise TypeError(f"{snake(name)}() takes {len(inputs)} arguments ({len(args)} given)")
        if out is None and name in _SIZED_BY_OUT:
            raise TypeError(f"{snake(name)}() fills out= (as many draws as it has elements): "
                            "pass out=, e.g. long_tensor.empty(n)")
        c_args: list[Any] = [None] * len(params)
        for (i, conv), a in zip(inputs, args, strict=True):
            c_args[i] = conv(a)
        for count_pos, array_pos in array_count.items():
            c_args[count_pos] = len(args[[i for i, _ in inputs].index(array_pos)])
        results = []
        given = out if isinstance(out, tuple) else (out,)
        for k, i in enumerate(sorted(outputs)):
            r = given[k] if k < len(given) and given[k] is not None else None
            if r is None:
                rcls = TENSOR_CLASSES[_tensor_type(params[i].ctype) or etype.name]
                r = rcls(rcls._c("Tensor_new")())
            c_args[i] = r
            results.append(r)
        if generator is not None and generator_pos is not None:
            c_args[generator_pos] = generator
        value = cfn(*c_args)
        for i, r in zip(sorted(outputs), results, strict=True):
            if params[i].name in _INDEX_OUTPUTS and r.numel():
                np.asarray(r)[...] -= 1
        if not outputs:
            return None if proto.restype == "void" else value
        return results[0] if len(results) == 1 else tuple(results)

    simple = _fast_path(etype, symbol, params, inputs, outputs, generator_pos, skip)
    if simple is not None:
        simple.generic = fn  # type: ignore[attr-defined]
        fn = simple
    if not ffi.CAPTURES_ERRORS and name in _PRECHECKS:
        fn = _prechecked(fn, _PRECHECKS[name], etype)
    sig = [inspect.Parameter(py_name(params[i].name), inspect.Parameter.POSITIONAL_ONLY)
           for i, _ in inputs]
    if outputs:
        sig.append(inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))
    if generator_pos is not None:
        sig.append(inspect.Parameter("generator", inspect.Parameter.KEYWORD_ONLY, default=None))
    fn.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    # what the stub generator (scripts/gen_signature.py) needs to type the function
    fn.__th__ = Binding(proto, tuple(i for i, _ in inputs), tuple(sorted(outputs)), generator_pos)  # type: ignore[attr-defined]
    fn.__name__ = fn.__qualname__ = snake(name)
    fn.__doc__ = f"{snake(name)}: TH's `{proto.c_declaration()}`" + (
        "; returns the result tensor(s) (or writes into out=)." if outputs else
        " (changes its tensor in place)." if proto.restype == "void" else ".") + (
        _examples.example(snake(name)) or "")
    return fn


def _fast_path(etype: ElementType, symbol: str, params: tuple[_apitable.Param, ...],
               inputs: list[tuple[int, Callable[[Any], Any]]], outputs: set[int],
               generator_pos: int | None, skip: set[int]) -> Callable[..., Any] | None:
    """For the common shape of function (tensors of known classes, `real` scalars, plain
    numbers, at most one result tensor) a straight-line Python function, compiled once: the
    same checks as the general path, but no per-argument calls, and a ctypes function that
    takes raw addresses (no from_param). Small calls spend most of their time here."""
    if generator_pos is not None or skip or len(outputs) > 1:
        return None
    if any(params[i].name in _INDEX_OUTPUTS for i in outputs):
        return None
    raw = ffi.lib[symbol]  # an independent function object: its own argtypes
    argtypes = list(getattr(ffi.TH, symbol).cfunc.argtypes)
    env: dict[str, Any] = {"_c": raw, "_pending": ffi._pending, "_raise": ffi.raise_pending,
                           "_symbol": symbol, "_bad": _bad_tensor, "_freed": _freed}
    names, body, call = [], [], [""] * len(params)
    for k, (i, conv) in enumerate(inputs):
        p = params[i]
        arg = f"a{k}"
        names.append(arg)
        ttype = _tensor_type(p.ctype)
        if ttype and p.name not in _INDEX_INPUTS:
            env[f"C{k}"] = TENSOR_CLASSES[ttype]
            body.append(f"    if {arg}.__class__ is not C{k} and not isinstance({arg}, C{k}):")
            body.append(f"        _bad({py_name(p.name)!r}, C{k}, {arg})")
            call[i] = f"({arg}._th_ptr or _freed({arg}))"
            argtypes[i] = ctypes.c_void_p
        elif p.template.split() == ["real"]:
            env[f"conv{k}"] = conv
            fast = "float" if etype.floating else "int"
            check = "" if etype.floating else f" and {_int_range(etype)}"
            body.append(f"    if not ({arg}.__class__ is {fast}{check.replace('V', arg)}):")
            body.append(f"        {arg} = conv{k}({arg})")
            call[i] = arg
        elif conv is _identity and "*" not in p.ctype:
            call[i] = arg
        else:
            return None
    for i in outputs:
        ttype = _tensor_type(params[i].ctype) or etype.name
        env["R"] = TENSOR_CLASSES[ttype]
        env["_new"] = ffi.declare(TENSOR_CLASSES[ttype].etype.fn("Tensor_new"))
        body.append("    r = R(_new()) if out is None else out")
        body.append("    if r.__class__ is not R and not isinstance(r, R): _bad('out', R, r)")
        call[i] = "(r._th_ptr or _freed(r))"
        argtypes[i] = ctypes.c_void_p
    raw.argtypes = argtypes
    raw.restype = getattr(ffi.TH, symbol).cfunc.restype
    sig = ", ".join(names) + (", /" if names else "") + (", *, out=None" if outputs else "")
    body.append(f"    v = _c({', '.join(call)})")
    body.append("    if _pending.value: _raise(_symbol)")
    body.append("    return r" if outputs else "    return v")
    src = f"def fast({sig}):\n" + "\n".join(body) + "\n"
    exec(compile(src, f"<torchbind {symbol}>", "exec"), env)
    return env["fast"]  # type: ignore[no-any-return]


# An upstream libTH exits the process on a bad argument: with one, these checks run in Python
# first, so that the bad calls of the foundation still raise (torchbind's own libTH raises
# from C and needs none of this).
def _same_numel(*positions: int) -> Callable[[tuple[Any, ...], ElementType], str | None]:
    def check(args: tuple[Any, ...], etype: ElementType) -> str | None:
        sizes = {args[i].numel() for i in positions}
        return None if len(sizes) == 1 else f"inconsistent tensor size: {sorted(sizes)}"
    return check


def _check_addmm(args: tuple[Any, ...], etype: ElementType) -> str | None:
    t, m1, m2 = args[1], args[3], args[4]
    if m1.ndim != 2 or m2.ndim != 2 or m1.shape[1] != m2.shape[0]:
        return f"size mismatch, m1: {m1.shape}, m2: {m2.shape}"
    return None if t.shape == (m1.shape[0], m2.shape[1]) else f"size mismatch: t is {t.shape}"


def _check_addmv(args: tuple[Any, ...], etype: ElementType) -> str | None:
    t, m, v = args[1], args[3], args[4]
    if m.ndim != 2 or v.ndim != 1 or m.shape[1] != v.shape[0] or t.shape != (m.shape[0],):
        return f"size mismatch: t {t.shape}, mat {m.shape}, vec {v.shape}"
    return None


def _check_nonempty(args: tuple[Any, ...], etype: ElementType) -> str | None:
    return None if args[0].numel() else "tensor must have one dimension"


def _check_divisor(args: tuple[Any, ...], etype: ElementType) -> str | None:
    d = args[-1]
    zero = (d == 0) if not isinstance(d, Tensor) else not np.asarray(d).all()
    return "division by zero" if zero and not etype.floating else None


_PRECHECKS = {
    "dot": _same_numel(0, 1), "cadd": _same_numel(0, 2), "csub": _same_numel(0, 2),
    "cmul": _same_numel(0, 1), "cdiv": lambda a, e: _same_numel(0, 1)(a, e) or
    _check_divisor(a, e), "div": _check_divisor, "addmm": _check_addmm,
    "addmv": _check_addmv, "maxall": _check_nonempty, "minall": _check_nonempty,
}


def _prechecked(fn: Callable[..., Any], check: Any, etype: ElementType) -> Callable[..., Any]:
    def checked(*args: Any, **kwargs: Any) -> Any:
        problem = check(args, etype) if all(hasattr(a, "numel") or not isinstance(a, Tensor)
                                             for a in args) else None
        if problem:
            raise THValueError(f"{fn.__name__}: {problem} (checked in Python: the loaded "
                               f"libTH would exit on it)")
        return fn(*args, **kwargs)
    return checked


def _int_range(etype: ElementType) -> str:
    info = np.iinfo(etype.dtype)
    return f"{int(info.min)} <= V <= {int(info.max)}"


def _bad_tensor(name: str, cls: type, value: Any) -> None:
    raise TypeError(f"{name} must be a {cls.__name__}, not {type(value).__name__}")


def _freed(t: Any) -> int:
    raise ValueError(f"{t._th_struct} has been freed")


def _one_based(cls: type[Tensor]) -> Callable[[Any], Any]:
    """An index tensor as TH's C API wants it: a copy with every index plus one."""
    def convert(t: Any) -> Tensor:
        return cls.from_numpy(np.asarray(t) + 1)
    return convert


def _identity(x: Any) -> Any:
    return x


def _tensor_arg(cls: type[Tensor], name: str) -> Callable[[Any], Any]:
    """Module functions take tensors of the right class only (raw addresses are for ffi)."""
    def check(t: Any) -> Any:
        if not isinstance(t, cls):
            raise TypeError(f"{name} must be a {cls.__name__}, not {type(t).__name__}")
        return t
    return check


def _long_storage_arg(shape: Any) -> Any:
    from torchbind.tensor import _long_storage, _shape_arg
    return _long_storage(_shape_arg(tuple(shape) if not isinstance(shape, int) else (shape,)))


def _pointer_array(tensors: Any) -> Any:
    tensors = list(tensors)
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected a list of tensors, got a {type(t).__name__} in it")
    return (ctypes.c_void_p * max(len(tensors), 1))(*[t.address for t in tensors])


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
        for family in sorted({p.family for p in ffi.PROTOTYPES.values()
                              if p.type == type_name and p.family and
                              p.family.startswith("Tensor_")}):
            fn = _make(etype, family[len("Tensor_"):])
            if fn is not None:
                ns[fn.__name__] = fn

        def zeros(*shape: int) -> Tensor:
            """A tensor of zeros of the given shape."""
            t = cls.empty(*shape)
            ns["zero"](t)
            return t

        ns["zeros"] = zeros
        names += [n for n in ns if n not in names and n not in ("ELEMENT_TYPE",)]
    module = sys.modules[module_name]
    for name in names:
        obj = ns[name]
        if callable(obj) and getattr(obj, "__module__", None) == __name__:
            obj.__module__ = module_name
        setattr(module, name, obj)
    module.ELEMENT_TYPE = etype  # type: ignore[attr-defined]
    module.__all__ = names  # type: ignore[attr-defined]
