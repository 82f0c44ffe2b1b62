"""The cutorch THC API table, read into concrete C prototypes (the CUDA sibling of
:mod:`torchbind._apitable`, whose parser and :class:`~torchbind._apitable.Prototype` it reuses).

Like ``_apitable`` it depends on nothing but the standard library and serves two masters:

* :mod:`torchbind.cuda._lib` turns each prototype into a ctypes declaration;
* the CMake build runs it as a script to generate the C side of ``libTHC``: ``THCRename.h`` (every
  public name renamed to ``NAME_impl`` inside the library), ``THCExports.c`` (the public names,
  defined as guarded wrappers that park a THC error and return) and ``THCExports.map`` (the linker
  version script: exactly the API is exported; the static CUDA runtime stays hidden).

The table is ``torchbind/thc_api.tsv`` (a copy of the shared ``cutorch-thc-api.tsv``). A generic row
``THC<T>Tensor_add`` expands to one prototype per element type: ``THCudaTensor_add`` (float),
``THCudaDoubleTensor_add``, ``THCudaIntTensor_add`` ... In its types ``THCTensor`` and
``THCStorage`` are the CUDA tensor/storage of that type, ``THTensor``/``THStorage`` the CPU ones
(``THFloatTensor``), ``real`` the element type and ``accreal`` the GPU accumulation type
(float for float, double for double, long for the integer types).

torchbind adds a few functions the table lacks (:data:`EXTENSIONS`): the downloads
``TH<T>Tensor_copyCuda`` / ``TH<T>Storage_copyCuda`` (upstream cutorch has them; the table does
not), and introspection used by ``python -m torchbind info``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script by the build: make `torchbind` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from torchbind import _apitable  # noqa: E402
from torchbind._apitable import Prototype, parse_row  # noqa: E402

THC_TABLE = Path(__file__).resolve().parents[1] / "thc_api.tsv"

#: Per element type (the CPU name, as in TH): (the CUDA name part, real, accreal) in C.
THC_TYPES: dict[str, tuple[str, str, str]] = {
    "Byte": ("CudaByte", "unsigned char", "long"),
    "Char": ("CudaChar", "char", "long"),
    "Short": ("CudaShort", "short", "long"),
    "Int": ("CudaInt", "int", "long"),
    "Long": ("CudaLong", "long", "long"),
    "Float": ("Cuda", "float", "float"),
    "Double": ("CudaDouble", "double", "double"),
    "Half": ("CudaHalf", "half", "float"),
}

#: The element types libTHC implements (the others are out of scope for now).
BUILT_TYPES = ("Float", "Double", "Int", "Long")

# torchbind's additions, in the table's format (symbol, return, parameters, types). TH<T> is the
# CPU name (THFloatTensor_copyCuda), THC<T> the CUDA one.
EXTENSIONS_TSV = """\
TH<T>Tensor_copyCuda\tvoid\tTHCState *state, THTensor *self, THCTensor *src\tall types
TH<T>Tensor_copyAsyncCuda\tvoid\tTHCState *state, THTensor *self, THCTensor *src\tall types
TH<T>Storage_copyCuda\tvoid\tTHCState *state, THStorage *self, THCStorage *src\tall types
THCState_synchronize\tvoid\tTHCState *state\tTHCGeneral.h
THCState_deviceDescription\tint\tTHCState *state, int device, char *buf, size_t len\tTHCGeneral.h
THCState_blasName\tconst char *\tTHCState *state\tTHCGeneral.h
"""

#: Exported by libTHC besides the wrapped functions: the error hand-over (never wrapped).
UNWRAPPED_SYMBOLS = ("THCError_take", "THCErrorPendingCount")


def cuda_name(t: str) -> str:
    """The name part of the CUDA structs of type t: Cuda (float), CudaDouble, CudaInt ..."""
    return THC_TYPES[t][0]


def _types_of(condition: str) -> list[str]:
    """The element types a generic row exists for, from its condition column."""
    named = re.findall(r"THC_REAL_IS_(\w+)", condition)
    if not named:
        return list(THC_TYPES)
    return [t for t in THC_TYPES if t.upper() in named]


def _unstruct(text: str) -> str:
    """Drops the ``struct`` keyword before TH names: the table writes both forms."""
    return re.sub(r"\bstruct\s+(TH\w+)", r"\1", text)


def _substitute(text: str, t: str) -> str:
    cname, real, accreal = THC_TYPES[t]
    text = _unstruct(text)
    text = re.sub(r"\bTHCTensor\b", f"TH{cname}Tensor", text)
    text = re.sub(r"\bTHCStorage\b", f"TH{cname}Storage", text)
    text = re.sub(r"\bTHTensor\b", f"TH{t}Tensor", text)
    text = re.sub(r"\bTHStorage\b", f"TH{t}Storage", text)
    text = re.sub(r"\baccreal\b", accreal, text)
    return re.sub(r"\breal\b", real, text)


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()[1:] if line.strip()]


def _expand(rows: list[list[str]]) -> list[Prototype]:
    protos: list[Prototype] = []
    for symbol, restype, params, condition in (r[:4] for r in rows):
        if "defined(" in restype:  # one row's guard leaked into its return column
            restype = restype.rsplit(")", 1)[1]
        generic = "<T>" in symbol
        variadic, template, ret_template = parse_row(_unstruct(params), _unstruct(restype))
        for t in _types_of(condition) if generic else [None]:
            def sub(text: str, t: str | None = t) -> str:
                return text if t is None else _substitute(text, t)

            if t is None:
                name = symbol
            elif symbol.startswith("THC<T>"):
                name = f"TH{cuda_name(t)}" + symbol[len("THC<T>"):]
            else:
                name = symbol.replace("<T>", t)
            protos.append(_apitable.instantiate(name, symbol, t, sub,
                                                (variadic, template, ret_template)))
    return protos


def load(path: Path = THC_TABLE) -> list[Prototype]:
    """The THC table: one prototype per symbol, for every element type of each row."""
    return _expand(_rows(path.read_text()))


def extensions() -> list[Prototype]:
    """torchbind's additions to the THC API, wrapped and exported like the table's."""
    return _expand(_rows("symbol\treturn\tparameters\ttypes\n" + EXTENSIONS_TSV))


def built(protos: list[Prototype]) -> list[Prototype]:
    """The prototypes of the element types libTHC is built for (and the plain ones)."""
    return [p for p in protos if p.type is None or p.type in BUILT_TYPES]


# ---- code generation for the C build ----------------------------------------------------------

_HEADER = "/* Generated by torchbind/cuda/_thcapi.py from thc_api.tsv: do not edit. */\n"


def generate_version_script(protos: list[Prototype], implemented: set[str]) -> str:
    """Exports exactly the wrapped API and the error hand-over; everything else (the _impl
    functions, the statically linked CUDA runtime) stays local."""
    names = [p.symbol for p in protos if not p.variadic and p.symbol in implemented]
    return _apitable.version_script([*names, *UNWRAPPED_SYMBOLS])


GENERATOR = _apitable.Generator("_thcapi.py", lambda table: load(table) + extensions(), "THC",
                                _HEADER, generate_version_script)

if __name__ == "__main__":
    _apitable._main(sys.argv[1:], GENERATOR)
