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
import keyword
import numbers
import os
import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from torchbind import _apitable, _plan, ffi
from torchbind._types import TYPES, ElementType, real_converter
from torchbind.errors import THValueError
from torchbind.file import read_1d
from torchbind.generator import Generator
from torchbind.storage import STORAGE_CLASSES
from torchbind.tensor import TENSOR_CLASSES, Tensor

# Functions whose result's size is the request are marked `!` in th_roles.tsv (out= needed).


def py_name(c_name: str) -> str:
    """A C parameter's name in Python: no trailing underscore, no keyword, no `self`."""
    name = c_name.rstrip("_") or "x"
    if name == "self":
        return "tensor"
    return f"{name}_" if keyword.iskeyword(name) else name


def snake(name: str) -> str:
    """TH's camelCase name as the Python name: indexSelect -> index_select."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def tensor_type(ctype: str) -> str | None:
    """The element type of a ``TH<T>Tensor *`` parameter (its C type, not its name)."""
    m = _TENSOR.fullmatch(ctype.replace("const ", ""))
    return m.group(1) if m else None


_TENSOR = re.compile(r"TH(\w+)Tensor \*")
#: C integer types: their ranges, checked before ctypes (which would wrap silently).
INT_RANGES: dict[str, tuple[int, int]] = {
    "int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1), "ptrdiff_t": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1), "unsigned long": (0, 2**64 - 1), "size_t": (0, 2**64 - 1),
    "unsigned int": (0, 2**32 - 1),
}


def check_int(v: Any, lo: int, hi: int, name: str) -> int:
    """An integer argument as C will see it: TypeError for a non-integer, OverflowError out of
    [lo, hi] (the fast test in the generated functions only lets plain in-range ints by)."""
    if not isinstance(v, numbers.Integral):  # bools too: flags such as keepdim take them
        raise TypeError(f"{name} must be an integer, not {type(v).__name__}")
    i = int(v)
    if not lo <= i <= hi:
        raise OverflowError(f"{name}={i} is out of range for its C type ({lo}..{hi})")
    return i


def check_float(v: Any, name: str) -> float:
    if not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a real number, not {type(v).__name__}")
    return float(v)


def variadic_size(proto: _apitable.Prototype, inputs: tuple[int, ...]) -> bool:
    """Whether a module function's only argument is a size (``THLongStorage *``: ones, rand,
    randn): it then takes the sizes as ``zeros`` and numpy do, ``ones(2, 3)`` or
    ``ones((2, 3))``."""
    return len(inputs) == 1 and " ".join(
        proto.params[inputs[0]].ctype.replace("const ", "").split()) == "THLongStorage *"


def check_str(v: Any, name: str, nullable: bool) -> Any:
    """A ``const char *`` argument: a str or bytes (None only where C accepts NULL)."""
    if v is None and nullable:
        return v
    if not isinstance(v, (str, bytes)):
        raise TypeError(f"{name} must be a str, not {type(v).__name__}")
    return v


def _named(convert: Callable[[Any], Any], v: Any, name: str) -> Any:
    """convert(v), its errors prefixed with the parameter's name."""
    try:
        return convert(v)
    except (TypeError, ValueError, OverflowError) as e:
        raise type(e)(f"{name}: {e}") from None


def _argument_error(symbol: str, error: Exception, names: dict[int, str]) -> TypeError:
    """ctypes' ArgumentError ("argument 3: TypeError: ...") as a TypeError naming the
    parameter as the Python signature does."""
    m = re.match(r"argument (\d+): (.*)", str(error))
    if m and int(m.group(1)) in names:
        return TypeError(f"{symbol}: {names[int(m.group(1))]}: {m.group(2)}")
    return TypeError(f"{symbol}: {error}")


class Binding(NamedTuple):
    """How a module function maps onto its C function (its plan's positions)."""

    proto: _apitable.Prototype
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    generator: int | None


def _make(etype: ElementType, name: str) -> Callable[..., Any] | None:
    """The module function for C function TH<T>Tensor_<name>, from its plan."""
    symbol = etype.fn(f"Tensor_{name}")
    proto = ffi.PROTOTYPES[symbol]
    p = _plan.plan(proto)
    if not p.module_function or not hasattr(ffi.lib, symbol):
        return None
    fn = generate(p, etype, snake(name), ffi.lib[symbol], getattr(ffi.TH, symbol).cfunc,
                  TENSOR_CLASSES, ffi._pending, ffi.raise_pending, _new_result)
    if not ffi.CAPTURES_ERRORS and name in _PRECHECKS:
        fn = _prechecked(fn, _PRECHECKS[name], etype)
    return describe(fn, p, snake(name), "TH's")


def describe(fn: Callable[..., Any], p: _plan.Plan, name: str,
             library: str) -> Callable[..., Any]:
    """Gives a module function made by :func:`generate` (CPU or CUDA) its name, signature,
    binding (``__th__``) and docstring, all from its plan."""
    import inspect  # first use of a module function, not import: inspect costs 12 ms

    proto = p.proto
    params = proto.params
    sig = [inspect.Parameter(py_name(params[i].name), inspect.Parameter.VAR_POSITIONAL
                             if variadic_size(proto, p.inputs) else
                             inspect.Parameter.POSITIONAL_ONLY)
           for i in p.inputs]
    if p.outputs:
        sig.append(inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))
    if p.generator is not None:
        sig.append(inspect.Parameter("generator", inspect.Parameter.KEYWORD_ONLY, default=None))
    fn.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    # what the stub generator (scripts/gen_signature.py) needs to type the function
    fn.__th__ = Binding(proto, p.inputs, p.outputs, p.generator)  # type: ignore[attr-defined]
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{name}: {library} `{proto.c_declaration()}`" + (
        "; returns the result tensor(s) (or writes into out=)." if p.outputs else
        " (changes its tensor in place)." if proto.restype == "void" else ".")
    return fn


_BIG = 2**1000  # ints below it in magnitude convert to a double

def _new_result(cls: Any) -> Any:
    """libTH's constructor of an empty result tensor: constant work, so it keeps the GIL."""
    return cls._raw("Tensor_new")


def generate(p: _plan.Plan, etype: ElementType, name: str, raw: Any, declared: Any,
             classes: dict[str, Any], pending: Any, raise_parked: Callable[[str], None],
             new: Callable[[Any], Any], state: Callable[[], int] | None = None,
             shift: Callable[[Any, int], None] | None = None) -> Callable[..., Any]:
    """The one implementation of a module function, written from its plan as straight-line
    Python and compiled once (no per-argument calls on the common path; the ctypes function
    ``raw`` takes raw addresses). CPU and CUDA modules share it: ``classes`` maps element types
    to their tensor classes, ``new(cls)`` gives the C function that makes an empty result,
    ``state`` supplies libTHC's state, ``shift(t, k)`` adds k to an index tensor in place."""
    proto, params = p.proto, p.proto.params
    # the checks below run inline: the plain ctypes types, not ffi's checking ones
    argtypes = [getattr(a, "plain", a) for a in declared.argtypes]
    env: dict[str, Any] = {
        "__name__": __name__, "_c": raw, "_pending": pending, "_raise": raise_parked,
        "_symbol": proto.symbol, "_bad": _bad_tensor, "_freed": _freed, "_int": check_int,
        "_float": check_float, "_argerr": ctypes.ArgumentError, "_Gen": Generator,
        "_array": _pointer_array, "_shape": _long_storage_arg, "_shift": shift or _shift_cpu,
        "_state": state, "_outs": _out_tuple, "_BIG": _BIG, "_wrap": _wrap_new, "_str": check_str,
        "_argument": _argument_error, "_named": _named,
        "_names": {i + 1: py_name(params[i].name) for i in p.inputs}}
    names, body, call = [], [], [""] * len(params)
    before: list[str] = []  # lines just before the call: the shifted index copies
    shifted: list[str] = []  # their names, freed after the call
    for k, i in enumerate(p.inputs):
        q, role, arg = params[i], p.roles[i], f"a{k}"
        names.append(arg)
        bare = " ".join(q.ctype.replace("const ", "").split())
        ttype = tensor_type(bare)
        if ttype:
            env[f"C{k}"] = classes[ttype]
            body.append(f"    if {arg}.__class__ is not C{k} and not isinstance({arg}, C{k}): "
                        f"_bad({py_name(q.name)!r}, C{k}, {arg})")
            call[i] = f"({arg}._th_ptr or _freed({arg}))"
            if role == "index_in1":  # C reads it 1-based: a shifted copy, made in C, freed after
                if state is not None:
                    raise NotImplementedError(f"{proto.symbol}: 1-based index arguments on CUDA")
                env.update({f"_new{k}": ffi.raw(f"TH{ttype}Tensor_new"),
                            f"_add{k}": ffi.raw(f"TH{ttype}Tensor_add"),
                            f"_free{k}": ffi.raw(f"TH{ttype}Tensor_free")})
                shifted.append(f"_free{k}(s{k})")
                before.append(f"    s{k} = _new{k}(); _add{k}(s{k}, {call[i]}, 1)")
                call[i] = f"s{k}"
            argtypes[i] = ctypes.c_void_p
        elif bare.endswith("Tensor **"):
            env[f"C{k}"] = classes[etype.name]
            body.append(f"    {arg}, n{k}, keep{k} = _array({arg}, C{k}, {py_name(q.name)!r})")
            call[i] = arg
            for c, a in p.counts.items():
                if a == i:
                    call[c] = f"n{k}"
        elif bare == "THLongStorage *" and variadic_size(proto, p.inputs):  # f(2, 3), f((2, 3))
            body.append(f"    {arg} = _shape({arg}[0] if len({arg}) == 1 else {arg}, "
                        f"{py_name(q.name)!r})")
            call[i] = f"{arg}._th_ptr"
            argtypes[i] = ctypes.c_void_p
        elif bare == "THLongStorage *":
            body.append(f"    {arg} = _shape({arg}, {py_name(q.name)!r})")
            call[i] = f"{arg}._th_ptr"
            argtypes[i] = ctypes.c_void_p
        elif q.template.split() in (["real"], ["accreal"]):
            env[f"conv{k}"] = real_converter(etype) if q.template.strip() == "real" else (
                _acc_converter(etype))
            slow = f"{arg} = _named(conv{k}, {arg}, {py_name(q.name)!r})"
            if etype.floating:
                # an int goes straight to float (conv's numbers.Real check costs a microsecond)
                body.append(f"    if {arg}.__class__ is not float: {arg} = float({arg}) if "
                            f"{arg}.__class__ is int and -_BIG < {arg} < _BIG else "
                            f"_named(conv{k}, {arg}, {py_name(q.name)!r})")
            else:
                lo, hi = _real_range(etype) if q.template.strip() == "real" else INT_RANGES["long"]
                body.append(f"    if not ({arg}.__class__ is int and {lo} <= {arg} <= {hi}): "
                            f"{slow}")
            call[i] = arg
        elif bare in INT_RANGES:
            lo, hi = INT_RANGES[bare]
            body.append(f"    if not ({arg}.__class__ is int and {lo} <= {arg} <= {hi}): "
                        f"{arg} = _int({arg}, {lo}, {hi}, {py_name(q.name)!r})")
            call[i] = arg
        elif bare in ("double", "float"):
            body.append(f"    if {arg}.__class__ is not float: "
                        f"{arg} = _float({arg}, {py_name(q.name)!r})")
            call[i] = arg
        elif bare == "char *":  # strings: str or bytes (ffi's argument type encodes a str)
            body.append(f"    if {arg}.__class__ is not str: {arg} = _str({arg}, "
                        f"{py_name(q.name)!r}, {p.nullable[i]})")
            call[i] = arg
        else:  # char: ctypes converts (and refuses with ArgumentError, named below)
            call[i] = arg
    results = []
    if len(p.outputs) > 1:
        body.append(f"    o = _outs(out, {len(p.outputs)})")
    for k, i in enumerate(p.outputs):
        rcls = classes[tensor_type(params[i].ctype) or etype.name]
        env[f"R{k}"] = rcls
        env[f"new{k}"] = new(rcls)  # a raw function: its errors park (checked below)
        results.append(f"r{k}")
        given = "out" if len(p.outputs) == 1 else f"o[{k}]"
        make = f"_wrap(R{k}, new{k}({'_state()' if state else ''}), _pending, _raise)"
        if p.out_required:
            body.append(f"    if {given} is None: raise TypeError({name!r} + '() fills out= (as "
                        f"many draws as it has elements): pass out=, e.g. long_tensor.empty(n)')")
        body.append(f"    r{k} = {make} if {given} is None else {given}")
        body.append(f"    if r{k}.__class__ is not R{k} and not isinstance(r{k}, R{k}): "
                    f"_bad('out', R{k}, r{k})")
        call[i] = f"(r{k}._th_ptr or _freed(r{k}))"
        argtypes[i] = ctypes.c_void_p
    if p.generator is not None:
        body.append("    if generator is None: g = None")
        body.append("    elif generator.__class__ is _Gen or isinstance(generator, _Gen): "
                    "g = generator._th_ptr or _freed(generator)")
        body.append("    else: _bad('generator', _Gen, generator)")
        call[p.generator] = "g"
        argtypes[p.generator] = ctypes.c_void_p
    if p.state is not None:
        call[p.state] = "_state()"
    raw.argtypes = argtypes
    raw.restype = declared.restype
    kw = (["out=None"] if p.outputs else []) + (["generator=None"] if p.generator is not None
                                                else [])
    if variadic_size(proto, p.inputs):
        sig = ", ".join([f"*{names[0]}", *kw])
    else:
        sig = ", ".join([*names, "/"] if names else []) + (", " if names and kw else "") + (
            "*, " + ", ".join(kw) if kw else "")
    body += before
    body.append(f"    try: v = _c({', '.join(call)})")
    body.append("    except _argerr as e: raise _argument(_symbol, e, _names) from None")
    if shifted:
        body.append(f"    finally: {'; '.join(shifted)}")
    body.append("    if _pending.value: _raise(_symbol)")
    for k, i in enumerate(p.outputs):
        if p.roles[i] == "index_out1":  # 1-based in C: 0-based in Python
            body.append(f"    _shift(r{k}, -1)")
    if results:
        body.append(f"    return {', '.join(results)}")
    else:
        body.append("    return v" if proto.restype != "void" else "    return None")
    src = f"def {name}({sig}):\n" + "\n".join(body) + "\n"
    exec(compile(src, f"<torchbind {proto.symbol}>", "exec"), env)
    fn = env[name]
    fn.__source__ = src
    return fn  # type: ignore[no-any-return]


def _wrap_new(cls: Any, ptr: int, pending: Any, raise_parked: Callable[[str], None]) -> Any:
    """A new handle of class ``cls`` owning ``ptr`` (Handle.__init__ without its options); a
    NULL ``ptr`` raises the error the library parked, else MemoryError."""
    if not ptr:
        if pending.value:
            raise_parked(cls._th_struct)
        raise MemoryError(f"{cls._th_struct}: allocation failed (NULL)")
    obj = object.__new__(cls)
    obj._th_ptr = ptr
    obj._owner = None
    return obj


def _out_tuple(out: Any, n: int) -> tuple[Any, ...]:
    if out is None:
        return (None,) * n
    if not isinstance(out, tuple) or len(out) > n:
        raise TypeError(f"out must be a tuple of at most {n} tensors (or None)")
    return out + (None,) * (n - len(out))


def _shift_cpu(t: Any, k: int) -> None:
    if t.numel():
        np.asarray(t)[...] += k


def _acc_converter(etype: ElementType) -> Callable[[Any], Any]:
    if etype.floating:
        return lambda v: check_float(v, "value")
    return lambda v: check_int(v, *INT_RANGES["long"], "value")


def _real_range(etype: ElementType) -> tuple[int, int]:
    info = np.iinfo(etype.dtype)
    return int(info.min), int(info.max)


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


def _bad_tensor(name: str, cls: type, value: Any) -> None:
    raise TypeError(f"{name} must be a {cls.__name__}, not {type(value).__name__}")


def _freed(t: Any) -> int:
    raise ValueError(f"{t._th_struct} has been freed")


def _long_storage_arg(shape: Any, name: str = "size") -> Any:
    """A shape from Python as TH's size list. numpy's meaning: a shape with a 0 in it has no
    elements (TH's list would end at the 0 and keep the sizes before it), so it becomes ()."""
    from torchbind.tensor import _long_storage, _shape_arg
    if not isinstance(shape, (int, tuple, list)) and not hasattr(shape, "__index__"):
        raise TypeError(f"{name} must be a tuple of integers, not {type(shape).__name__}")
    dims = _shape_arg(tuple(shape) if not hasattr(shape, "__index__") else (shape,))
    return _long_storage(() if 0 in dims else dims)


def _pointer_array(tensors: Any, cls: type, name: str = "tensors") -> tuple[Any, int, list[Any]]:
    """A list of tensors of class ``cls`` as a C array of their addresses, its length, and the
    tensors (the caller keeps them alive through the call)."""
    if isinstance(tensors, (Tensor, str, bytes)) or not hasattr(tensors, "__iter__"):
        raise TypeError(f"{name} must be a list of {cls.__name__}, not {type(tensors).__name__}")
    tensors = list(tensors)
    for t in tensors:
        if not isinstance(t, cls):
            raise TypeError(f"{name} must be a list of {cls.__name__}, got a "
                            f"{type(t).__name__} in it")
    arr = (ctypes.c_void_p * max(len(tensors), 1))(*[t._th_ptr or _freed(t) for t in tensors])
    return arr, len(tensors), tensors


def core_members(etype: ElementType, cls: Any, storage: Any,
                 read: Callable[[str | os.PathLike[str], int], Any],
                 read_doc: str) -> dict[str, Any]:
    """The members every per-type module has, CPU and CUDA alike (the signature's Core and
    the types of Blog and Math): its classes, constructors, ``read1dFile`` (by ``read``, which
    ``read_doc`` describes) and ``numel``."""

    def read1dFile(path: str | os.PathLike[str], n: int) -> Any:
        return read(path, n)

    def numel(t: Any) -> int:
        """The number of elements."""
        if not isinstance(t, cls):
            raise TypeError(f"expected a {cls.__name__}, got {type(t).__name__}")
        return int(t.numel())

    read1dFile.__doc__ = read_doc
    return {"Tensor": cls, "Storage": storage, "AccReal": etype.acc,
            "Real": float if etype.floating else int, "read1dFile": read1dFile,
            "from_numpy": cls.from_numpy, "from_tensor": cls.from_tensor, "empty": cls.empty,
            "numel": numel}


def zeros_of(cls: Any, zero: Callable[[], Callable[[Any], Any]], doc: str) -> Callable[..., Any]:
    """The module's ``zeros``: an empty tensor of ``cls`` filled by the module's ``zero()``
    (looked up at the call: the module functions are made on first use)."""

    def zeros(*shape: int) -> Any:
        t = cls.empty(*shape)
        zero()(t)
        return t

    zeros.__doc__ = doc
    return zeros


def instantiate(module_name: str, type_name: str) -> None:
    """Fills the module ``module_name`` with the signature for element type ``type_name``."""
    etype = TYPES[type_name]
    cls = TENSOR_CLASSES[type_name]
    ns = core_members(etype, cls, STORAGE_CLASSES[type_name], lambda path, n: read_1d(cls, path, n),
                      "Reads ``n`` numbers from an ascii file into a 1-d tensor (THDiskFile_new + "
                      "THFile_read<Type>). Byte and Char read characters, as TH does.")
    names = list(ns)
    module = sys.modules[module_name]
    # The module functions are made on first use (module __getattr__, PEP 562): importing a
    # module costs only knowing their names. Python name -> the family's name after Tensor_.
    lazy: dict[str, str] = {}
    if etype.math:
        roles = _plan.rows()
        for family in sorted(set(ffi.PROTOTYPES.families(type_name))):
            row = roles.get("TH<T>" + family)
            symbol = etype.fn(family)
            if (family.startswith("Tensor_") and hasattr(ffi.lib, symbol)
                    and (row is None or _plan.is_module_function(family, row.concept))):
                lazy[snake(family[len("Tensor_"):])] = family[len("Tensor_"):]

        # rather than C's THTensor_zeros (which takes a LongStorage)
        ns["zeros"] = zeros_of(cls, lambda: module.zero, "A tensor of zeros of the given shape.")
        lazy.pop("zeros", None)
        names += [n for n in [*lazy, "zeros"] if n not in names]
    for name in names:
        if name in lazy:  # C's function wins over the Python one (numel: THTensor_numel)
            continue
        obj = ns[name]
        if callable(obj) and getattr(obj, "__module__", None) == __name__:
            obj.__module__ = module_name
        setattr(module, name, obj)

    def __getattr__(attr: str) -> Any:
        family = lazy.get(attr)
        if family is None:
            raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
        fn = _make(etype, family)
        if fn is None:  # the overlay lacks the row: _make's plan() has raised PlanError
            raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
        fn.__module__ = module_name
        setattr(module, attr, fn)
        return fn

    def __dir__() -> list[str]:
        return sorted({*module.__dict__, *lazy})

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    module.__dir__ = __dir__  # type: ignore[method-assign]
    module.ELEMENT_TYPE = etype  # type: ignore[attr-defined]
    module.__all__ = names  # type: ignore[attr-defined]
