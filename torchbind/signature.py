"""The signature, Backpack style: typing Protocols layered by what element types can do.

Every per-type module implements the layers its type has::

    Core      every type          Tensor, read1dFile, from_numpy, from_tensor, empty, numel
    Blog      + the blog's core   AccReal, dot, sumall
    Math      every math type     zeros, add, mul, addmm, fill, random, ... (all but Half)
    Signed    Short..Double       neg, abs, ...
    Floating  Float, Double       exp, log, sqrt, sigmoid, uniform, normal, gesv, gels, ...

Generic code names the layer it needs, and a type checker then accepts exactly the modules that
have it (``mypy --strict`` runs on ``examples/``)::

    def app(T: Blog[TensorT, AccT]) -> float:
        x = T.read1dFile("x", 10)
        return T.dot(x, x) + T.sumall(x)

    app(torchbind.float_tensor)   # fine
    app(torchbind.half_tensor)    # error: Module is not a Blog

:func:`check` verifies the same at run time:

    >>> import torchbind.int_tensor, torchbind.signature as sig
    >>> sig.check(torchbind.int_tensor)
    ['Core', 'Blog', 'Math', 'Signed']
"""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

from torchbind._layers import AccT, AccT_co, Blog, Core, Floating, Math, RealT, Signed, TensorT

#: The layers in order, each extending the one before.
LAYERS: tuple[type, ...] = (Core, Blog, Math, Signed, Floating)

#: Which layers each element type implements.
LAYERS_OF_TYPE: dict[str, tuple[type, ...]] = {
    "Half": (Core,),
    "Byte": (Core, Blog, Math),
    "Char": (Core, Blog, Math),
    "Short": (Core, Blog, Math, Signed),
    "Int": (Core, Blog, Math, Signed),
    "Long": (Core, Blog, Math, Signed),
    "Float": LAYERS,
    "Double": LAYERS,
}


class SignatureError(TypeError):
    """A module lacks members of a layer it should implement."""


def members(layer: type) -> list[str]:
    """The names a layer requires (its own and those of the layers it extends)."""
    names = set()
    for cls in layer.__mro__:
        if cls.__module__ == Core.__module__:
            names |= {n for n, v in vars(cls).items()
                      if not n.startswith("_") and (callable(v) or isinstance(v, property))}
    return sorted(names)


def missing(module: ModuleType | Any, layer: type) -> list[str]:
    """The members of ``layer`` that ``module`` lacks (or has but cannot call)."""
    out = []
    for name in members(layer):
        value = getattr(module, name, None)
        if value is None or (name not in ("Tensor", "AccReal") and not callable(value)):
            out.append(name)
    return out


def check(module: ModuleType | Any, layers: tuple[type, ...] | None = None) -> list[str]:
    """Checks that ``module`` implements its layers (by default, those of its element type);
    returns their names, or raises SignatureError naming every missing member."""
    if layers is None:
        etype = getattr(module, "ELEMENT_TYPE", None)
        if etype is None:
            raise SignatureError(f"{getattr(module, '__name__', module)!r} is not a per-type "
                                 "module (no ELEMENT_TYPE): name the layers to check")
        # the GPU modules implement the blog's signature (Core and Blog), not the CPU's layers
        gpu = getattr(module, "__name__", "").startswith("torchbind.cuda.")
        layers = (Core, Blog) if gpu else LAYERS_OF_TYPE[etype.name]
    problems = {layer.__name__: missing(module, layer) for layer in layers}
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        detail = "; ".join(f"{k} lacks {', '.join(v)}" for k, v in problems.items())
        raise SignatureError(f"{getattr(module, '__name__', module)}: {detail}")
    return [layer.__name__ for layer in layers]


def describe(layer: type) -> str:
    """One line per member of a layer, with its signature."""
    lines = []
    for name in members(layer):
        value = getattr(layer, name)
        sig = "" if isinstance(value, property) else str(inspect.signature(value))
        lines.append(f"{name}{sig.replace('(self, ', '(').replace('(self)', '()')}")
    return "\n".join(lines)


__all__ = ["Core", "Blog", "Math", "Signed", "Floating", "LAYERS", "LAYERS_OF_TYPE", "TensorT",
           "AccT", "AccT_co", "RealT", "SignatureError", "members", "missing", "check", "describe"]
