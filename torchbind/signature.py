"""The signature, Backpack style: typing Protocols, the blog's signature, then concept
signatures composed into capability layers.

Every per-type module implements the layers its type has::

    Core      every type          Tensor, read1dFile, from_numpy, from_tensor, empty, numel
    Blog      + the blog's core   AccReal, dot, sumall
    Math      every math type     MathTypes, MathConstruction, MathPointwise, MathReduction,
                                  MathSorting, MathIndexing, MathComparison, MathMasking,
                                  MathRandom, MathLinalg, MathConv
    Signed    Short..Double       SignedPointwise (neg, abs)
    Floating  Float, Double       FloatingConstruction, FloatingPointwise, FloatingReduction,
                                  FloatingRandom, FloatingLinalg (LAPACK)

Math, Signed and Floating are composed of one Protocol per concept (the concept of each
member's C function in the plan, ``th_roles.tsv``): ``class Math(Blog, MathTypes,
MathConstruction, ..., MathConv)``. Each concept Protocol takes the type variables it uses
(``MathSorting[TensorT]``, ``MathReduction[TensorT, AccT, RealT]``); :data:`CONCEPTS_OF_LAYER`
lists a layer's, :data:`CONCEPT` names each one's concept.

Generic code names the layer, or just the concept, it needs, and a type checker then accepts
exactly the modules that have it (``mypy --strict`` runs on ``examples/``)::

    def app(T: Blog[TensorT, AccT]) -> float:
        x = T.read1dFile("x", 10)
        return T.dot(x, x) + T.sumall(x)

    def top2(T: MathSorting[TensorT], x: TensorT) -> TensorT:
        return T.topk(x, 2, 0, 1, 1)[0]

    app(torchbind.float_tensor)   # fine
    app(torchbind.half_tensor)    # error: Module is not a Blog

:func:`check` verifies the same at run time, concept by concept:

    >>> import torchbind.int_tensor, torchbind.signature as sig
    >>> sig.check(torchbind.int_tensor)
    ['Core', 'Blog', 'Math', 'Signed']
"""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

from torchbind._layers import (
    CONCEPT,
    CONCEPTS_OF_LAYER,
    AccT,
    AccT_co,
    Blog,
    Core,
    Floating,
    FloatingConstruction,
    FloatingLinalg,
    FloatingPointwise,
    FloatingRandom,
    FloatingReduction,
    Math,
    MathComparison,
    MathConstruction,
    MathConv,
    MathIndexing,
    MathLinalg,
    MathMasking,
    MathPointwise,
    MathRandom,
    MathReduction,
    MathSorting,
    MathTypes,
    RealT,
    Signed,
    SignedPointwise,
    TensorT,
)

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


def groups(layer: type) -> list[tuple[str, type]]:
    """What a layer is checked and documented by: ``("Math.Sorting", MathSorting)`` ... for each
    of its concept Protocols, or ``("Core", Core)`` for a layer that is whole."""
    concepts = CONCEPTS_OF_LAYER.get(layer, ())
    if not concepts:
        return [(layer.__name__, layer)]
    return [(f"{layer.__name__}.{CONCEPT[c].capitalize()}", c) for c in concepts]


def _label(name: str) -> str:
    """The concept Protocol (or whole layer) that adds a member: "Math.Sorting" for sort."""
    for layer in LAYERS:
        for label, group in groups(layer):
            if name in members(group):
                return label
    raise KeyError(name)


def check(module: ModuleType | Any, layers: tuple[type, ...] | None = None) -> list[str]:
    """Checks that ``module`` implements its layers (by default, those of its element type);
    returns their names, or raises SignatureError naming every missing member by the layer's
    concept that has it ("Math.Sorting lacks sort"; one a layer inherits, by the layer that
    adds it: "Blog lacks dot"), each once."""
    if layers is None:
        etype = getattr(module, "ELEMENT_TYPE", None)
        if etype is None:
            raise SignatureError(f"{getattr(module, '__name__', module)!r} is not a per-type "
                                 "module (no ELEMENT_TYPE): name the layers to check")
        # the GPU modules implement the blog's signature (Core and Blog), not the CPU's layers
        gpu = getattr(module, "__name__", "").startswith("torchbind.cuda.")
        layers = (Core, Blog) if gpu else LAYERS_OF_TYPE[etype.name]
    problems: dict[str, list[str]] = {}
    reported: set[str] = set()
    for layer in layers:
        for name in missing(module, layer):
            if name not in reported:
                problems.setdefault(_label(name), []).append(name)
                reported.add(name)
    if problems:
        order = [label for layer in LAYERS for label, _ in groups(layer)]
        detail = "; ".join(f"{k} lacks {', '.join(problems[k])}"
                           for k in sorted(problems, key=order.index))
        raise SignatureError(f"{getattr(module, '__name__', module)}: {detail}")
    return [layer.__name__ for layer in layers]


def describe(layer: type) -> str:
    """One line per member of a layer or concept Protocol, with its signature."""
    lines = []
    for name in members(layer):
        value = getattr(layer, name)
        sig = "" if isinstance(value, property) else str(inspect.signature(value))
        lines.append(f"{name}{sig.replace('(self, ', '(').replace('(self)', '()')}")
    return "\n".join(lines)


__all__ = ["Core", "Blog", "Math", "Signed", "Floating", "MathTypes", "MathConstruction",
           "MathPointwise", "MathReduction", "MathSorting", "MathIndexing", "MathComparison",
           "MathMasking", "MathRandom", "MathLinalg", "MathConv", "SignedPointwise",
           "FloatingConstruction", "FloatingPointwise", "FloatingReduction", "FloatingRandom",
           "FloatingLinalg", "LAYERS", "LAYERS_OF_TYPE", "CONCEPTS_OF_LAYER", "CONCEPT",
           "TensorT", "AccT", "AccT_co", "RealT", "SignatureError", "members", "missing",
           "groups", "check", "describe"]
