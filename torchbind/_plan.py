"""The plan of every C function: what each parameter is for, read from data, never guessed.

The API tables (``th_api.tsv``, ``thc_api.tsv``) say what each C function's parameters ARE (their C
types); the overlay beside them, ``th_roles.tsv``, says what each is FOR, one row per table row::

    symbol               concept    roles
    TH<T>Tensor_sort     sorting    out index_out in in in
    TH<T>Tensor_random   random     inplace generator?

The roles, one per parameter in C order:

==============  ==================================================================================
``in``          an argument the caller passes (a tensor, a number, a string, a struct ...)
``out``         a result tensor the module function makes and returns (or takes as ``out=``)
``index_out``   a result tensor of indices, 0-based in C (passed through to Python as is)
``index_out1``  a result tensor of indices, 1-based in C (LAPACK's pivots, libTHC's indices:
                the module function subtracts one)
``inplace``     the tensor an in-place function changes (the module function returns None)
``index_in1``   an index tensor the C function reads 1-based (the module function adds one)
``generator``   a ``THGenerator *`` (the keyword ``generator=``)
``count``       the length of the tensor array just before it (taken from the list)
``state``       libTHC's ``THCState *`` (supplied)
==============  ==================================================================================

A trailing ``?`` marks a pointer the C function accepts as NULL (ffi then accepts None there; it
refuses None everywhere else, where C would dereference it); a trailing ``!`` marks a result the
caller must give (``out=``: its size is the request). The concept (pointwise, reduction, sorting,
indexing, comparison, masking, random, linalg, conv, construction, structure, storage, ...) groups
the functions for the signature's layers and the docs; ``structure`` functions (a tensor's own
geometry and life) are Tensor methods, not module functions.

:func:`plan` turns a prototype and its row's roles into a :class:`Plan`, which ffi (argument
types), the module functions (CPU and CUDA), the stub generator and the docs all read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from torchbind._apitable import Prototype

ROLES_TABLE = Path(__file__).with_name("th_roles.tsv")

#: Every role (without its ``?``/``!`` marks).
ROLES = frozenset({"in", "out", "index_out", "index_out1", "inplace", "index_in1", "generator",
                   "count", "state"})
#: Every concept.
CONCEPTS = frozenset({
    "pointwise", "reduction", "sorting", "indexing", "comparison", "masking", "random", "linalg",
    "conv", "construction", "structure", "storage", "blas", "lapack", "vector", "file", "memory",
    "atomic", "error", "state", "general"})
_RESULTS = frozenset({"out", "index_out", "index_out1"})


class Row(NamedTuple):
    """One overlay row: a table row's concept and its parameters' roles."""

    symbol: str  # as the table writes it: TH<T>Tensor_sort, THC<T>Tensor_add, THAlloc
    concept: str
    roles: tuple[str, ...]  # with their marks


def is_module_function(family: str | None, concept: str) -> bool:
    """Whether the per-type modules have a function for a family: the Tensor_* families that
    are not the tensor's own structure."""
    return bool(family and family.startswith("Tensor_") and concept != "structure")


class Overlay(Mapping[str, Row]):
    """The overlay's rows by table symbol; a row's fields are split when it is first read."""

    def __init__(self, path: Path) -> None:
        self._lines: dict[str, str] = {}
        for line in path.read_text().splitlines()[1:]:
            symbol, _, rest = line.partition("\t")
            if symbol.strip():
                self._lines[symbol] = rest
        self._rows: dict[str, Row] = {}

    def __getitem__(self, symbol: str) -> Row:
        row = self._rows.get(symbol)
        if row is None:
            concept, _, roles = self._lines[symbol].partition("\t")
            row = self._rows[symbol] = Row(symbol, concept, tuple(roles.split()))
        return row

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


@lru_cache(maxsize=1)
def rows() -> Overlay:
    """The overlay, by table symbol."""
    return Overlay(ROLES_TABLE)


def table_symbol(proto: Prototype) -> str:
    """The table row a prototype comes from: TH<T>Tensor_sort for THFloatTensor_sort,
    THC<T>Tensor_add for THCudaTensor_add, the symbol itself for plain functions."""
    if proto.family is None:
        return proto.symbol
    prefix = "THC<T>" if proto.symbol.startswith("THCuda") else "TH<T>"
    return prefix + proto.family


class Plan(NamedTuple):
    """What one C function's parameters are for, and what follows for its Python callers."""

    proto: Prototype
    concept: str
    roles: tuple[str, ...]  # one per parameter, without marks
    nullable: tuple[bool, ...]  # one per parameter: C accepts NULL there
    out_required: bool  # the results must be given (out=)

    @property
    def module_function(self) -> bool:
        """Whether the per-type modules have a function for it (Tensor_* families that are not
        the tensor's own structure)."""
        return is_module_function(self.proto.family, self.concept)

    @property
    def inputs(self) -> tuple[int, ...]:
        """The C positions of the module function's positional arguments, in order."""
        return tuple(i for i, r in enumerate(self.roles)
                     if r in ("in", "inplace", "index_in1"))

    @property
    def outputs(self) -> tuple[int, ...]:
        """The C positions of the result tensors the module function makes."""
        return tuple(i for i, r in enumerate(self.roles) if r in _RESULTS)

    @property
    def inplace(self) -> bool:
        return "inplace" in self.roles

    @property
    def generator(self) -> int | None:
        return self.roles.index("generator") if "generator" in self.roles else None

    @property
    def state(self) -> int | None:
        return self.roles.index("state") if "state" in self.roles else None

    @property
    def counts(self) -> dict[int, int]:
        """count position -> the position of the array it counts (the one before it)."""
        return {i: i - 1 for i, r in enumerate(self.roles) if r == "count"}


class PlanError(LookupError):
    """The overlay lacks a row, or a row does not fit its prototype."""


def _parse(row: Row, proto: Prototype) -> Plan:
    if len(row.roles) != len(proto.params):
        raise PlanError(f"{row.symbol}: {len(row.roles)} roles for {len(proto.params)} "
                        f"parameters in th_roles.tsv")
    bare = tuple(r.rstrip("?!") for r in row.roles)
    unknown = [r for r in bare if r not in ROLES]
    if unknown or row.concept not in CONCEPTS:
        raise PlanError(f"{row.symbol}: unknown role or concept {unknown or row.concept!r}")
    return Plan(proto, row.concept, bare, tuple(r.endswith("?") for r in row.roles),
                any(r.endswith("!") for r in row.roles))


def plan(proto: Prototype) -> Plan:
    """The plan of one C function (PlanError when the overlay lacks its row)."""
    return _plan_cached(proto)


@cache
def _plan_cached(proto: Prototype) -> Plan:
    key = table_symbol(proto)
    row = rows().get(key)
    if row is None:
        raise PlanError(f"{key} has no row in {ROLES_TABLE.name}: declare its parameters' roles")
    return _parse(row, proto)
