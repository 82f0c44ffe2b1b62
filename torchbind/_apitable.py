"""The Torch7 API tables, read into concrete C prototypes.

This module is the single declarative source of the C API. It serves two masters and so depends
on nothing but the standard library:

* ``torchbind.ffi`` turns each prototype into a ctypes declaration;
* the CMake build runs it as a script to generate the C side: ``THRename.h`` (every public name
  renamed to ``NAME_impl`` inside the library) and ``THExports.c`` (the public names, defined as
  guarded wrappers that turn a TH error into a parked error and a return).

A generic row such as ``TH<T>Tensor_dot`` expands to one prototype per type in its ``types``
column, with ``real``, ``accreal``, ``THTensor`` and ``THStorage`` replaced by that type's C types.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

TH_TABLE = Path(__file__).with_name("th_api.tsv")

# Per element type: (real, accreal) in C, as in the table's README.
TH_TYPES: dict[str, tuple[str, str]] = {
    "Byte": ("unsigned char", "long"),
    "Char": ("char", "long"),
    "Short": ("short", "long"),
    "Int": ("int", "long"),
    "Long": ("long", "long"),
    "Float": ("float", "double"),
    "Double": ("double", "double"),
    "Half": ("THHalf", "float"),
}

_C_TYPE_WORDS = {
    "void", "char", "short", "int", "long", "float", "double", "unsigned", "signed", "const",
    "volatile", "size_t", "ptrdiff_t", "real", "accreal", "THHalf",
}


class Param(NamedTuple):
    """One parameter: its C type (``float *``) and a name (made up when the table has none)."""

    ctype: str
    name: str
    decl: str  # the full declaration, e.g. ``float *x`` or ``void (*f)(void *data)``
    template: str = ""  # the type as the table writes it, before substitution (``real *``)


class Prototype(NamedTuple):
    """One exported C function."""

    symbol: str
    restype: str
    params: tuple[Param, ...]
    restype_template: str
    variadic: bool
    family: str | None  # e.g. "Tensor_dot" for THFloatTensor_dot; None for plain functions
    type: str | None  # e.g. "Float"; None for plain functions

    def c_declaration(self, name: str | None = None) -> str:
        args = ", ".join(p.decl for p in self.params) or "void"
        if self.variadic:
            args += ", ..."
        return f"{self.restype} {name or self.symbol}({args})"


def _split_params(text: str) -> list[str]:
    """Splits a parameter list at top-level commas (function-pointer parameters nest)."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return [] if out == ["void"] else out


def _parse_param(text: str, index: int) -> Param:
    fp = re.match(r"^(.*)\(\s*\*\s*(\w+)\s*\)\s*(\(.*\))$", text)
    if fp:  # a function pointer: keep the declaration, type is the pointer type
        ret, name, args = fp.groups()
        return Param(f"{ret.strip()} (*){args}", name, text)
    m = re.match(r"^(.*?[\s*])(\w+)$", text)
    if m and m.group(2) not in _C_TYPE_WORDS and m.group(1).strip():
        ctype, name = m.group(1).strip(), m.group(2)
    else:
        ctype, name = text.strip(), f"a{index}"
    ctype = re.sub(r"\s*\*", " *", ctype).replace("* *", "**").strip()
    return Param(ctype, name, f"{ctype}{'' if ctype.endswith('*') else ' '}{name}")


_GENERIC_WORDS = re.compile(r"\b(?:real|accreal|THTensor|THStorage)\b")


def _substitute(text: str, t: str, types: dict[str, tuple[str, str]]) -> str:
    """A template's text for type ``t``: real, accreal, THTensor and THStorage replaced (one
    pass: no replacement contains another's word)."""
    real, accreal = types[t]
    words = {"real": real, "accreal": accreal, "THTensor": f"TH{t}Tensor",
             "THStorage": f"TH{t}Storage"}
    return _GENERIC_WORDS.sub(lambda m: words[m.group()], text)


def parse_row(params: str, restype: str) -> tuple[bool, list[Param], str]:
    """A table row's (variadic, parameter templates, return template): TH and THC rows share it."""
    parts = _split_params(params)
    variadic = bool(parts) and parts[-1] == "..."
    if variadic:
        parts = parts[:-1]
    template = [_parse_param(p, i) for i, p in enumerate(parts)]
    return variadic, template, re.sub(r"\s*\*", " *", restype.strip())


def extension_table(path: Path) -> Path:
    """The table of torchbind's own functions beside an upstream table (``th_ext.tsv`` beside
    ``th_api.tsv``): same columns, rows that upstream's library lacks. A Table reads both."""
    return path.with_name(path.name.replace("_api.tsv", "_ext.tsv"))


class Table(Mapping[str, Prototype]):
    """A TH table as a mapping from exported symbol to prototype, in table order.

    Opening it only splits the file into rows; a symbol is found by its row (``THFloatTensor_dot``
    in row ``TH<T>Tensor_dot``), its parameters are parsed and its prototype made when it is
    first looked up. Importing torchbind so pays for the few functions it declares, not for the
    whole table; iterating it makes every prototype (as :func:`load` does)."""

    def __init__(self, path: Path = TH_TABLE,
                 types: dict[str, tuple[str, str]] = TH_TYPES) -> None:
        self.path, self.types = path, types
        # row symbol (TH<T>Tensor_dot, THAlloc) -> (return, parameters, types)
        self._rows: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        #: the rows of the extension table beside this one (torchbind's own functions)
        self.extension_rows: frozenset[str] = frozenset()
        ext = extension_table(path)
        for table in (path, ext) if ext.exists() else (path,):
            for line in table.read_text().splitlines()[1:]:
                if line.strip():
                    symbol, restype, params, type_list = line.split("\t")[:4]
                    generic = "<T>" in symbol
                    self._rows[symbol] = (restype, params,
                                          tuple(type_list.split(",")) if generic else ())
                    if table is ext:
                        self.extension_rows |= {symbol}
        self._templates: dict[tuple[str, str], tuple[bool, list[Param], str]] = {}
        self._protos: dict[str, Prototype] = {}
        self._symbols: list[str] | None = None

    def _row(self, symbol: str) -> tuple[str, str | None] | None:
        """(the row's symbol, the type) of an exported symbol; None when the table lacks it."""
        if "<T>" not in symbol and symbol in self._rows:
            return symbol, None
        if symbol.startswith("TH"):
            for t in self.types:
                if symbol.startswith(t, 2):
                    key = "TH<T>" + symbol[2 + len(t):]
                    row = self._rows.get(key)
                    if row is not None and t in row[2]:
                        return key, t
        return None

    def is_extension(self, symbol: str) -> bool:
        """Whether ``symbol`` comes from the extension table (upstream's library lacks it)."""
        found = self._row(symbol)
        return found is not None and found[0] in self.extension_rows

    def families(self, t: str) -> list[str]:
        """The families (``Tensor_dot`` ...) the table declares for type ``t``, in order."""
        return [s.split("<T>", 1)[1] for s, row in self._rows.items() if t in row[2]]

    def __getitem__(self, symbol: str) -> Prototype:
        proto = self._protos.get(symbol)
        if proto is not None:
            return proto
        found = self._row(symbol)
        if found is None:
            raise KeyError(symbol)
        row_symbol, t = found
        restype, params, _ = self._rows[row_symbol]
        key = (params, restype)
        if key not in self._templates:
            self._templates[key] = parse_row(params, restype)
        variadic, template, ret_template = self._templates[key]

        def sub(text: str) -> str:
            return text if t is None else _substitute(text, t, self.types)

        proto = self._protos[symbol] = instantiate(
            symbol, row_symbol, t, sub, (variadic, template, ret_template))
        return proto

    def __contains__(self, symbol: object) -> bool:
        return isinstance(symbol, str) and self._row(symbol) is not None

    def _all(self) -> list[str]:
        if self._symbols is None:
            self._symbols = list(dict.fromkeys(
                s.replace("<T>", t) if types else s
                for s, (_, _, types) in self._rows.items() for t in (types or ("",))))
        return self._symbols

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def instantiate(symbol: str, row_symbol: str, t: str | None, sub: Callable[[str], str],
                row: tuple[bool, list[Param], str]) -> Prototype:
    """The prototype of ``symbol``: table row ``row_symbol`` (parsed by parse_row) for element
    type ``t`` (None for a plain row), its C types rewritten by ``sub`` (TH's or THC's
    substitution of real, accreal, THTensor ...). TH and THC share it."""
    variadic, template, ret_template = row
    return Prototype(
        symbol=symbol,
        restype=sub(ret_template),
        params=tuple(Param(sub(q.ctype), q.name, sub(q.decl), q.ctype) for q in template),
        restype_template=ret_template,
        variadic=variadic,
        family=row_symbol.split("<T>", 1)[1] if t else None,
        type=t,
    )


def load(path: Path = TH_TABLE, types: dict[str, tuple[str, str]] = TH_TYPES) -> list[Prototype]:
    """Reads a TH table into one prototype per exported symbol, in table order."""
    return list(Table(path, types).values())


# ---- code generation for the C build ----------------------------------------------------------

_HEADER = "/* Generated by torchbind/_apitable.py from th_api.tsv: do not edit. */\n"

# What libTH exports besides the table: torchbind's own extensions (declared TH_EXPORT in C).
EXTENSION_SYMBOLS = (
    "THError_take", "THError_setCapture", "THErrorPendingCount", "THBlas_name",
    "THBlas_setNumThreads",
    "THVector_simdLevel", "THParallel_setNumThreads", "THParallel_getNumThreads",
    "THRandom_defaultGenerator", "THDefaultAllocator", "THMapAllocator",
    "THRefcountedMapAllocator",
)


def generate_rename(protos: list[Prototype], prefix: str = "TH", header: str = _HEADER) -> str:
    """THRename.h (or THCRename.h, with prefix THC): inside the library every wrapped public
    name is NAME_impl."""
    lines = [header, f"#ifndef {prefix}_RENAME_H", f"#define {prefix}_RENAME_H"]
    lines += [f"#define {p.symbol} {p.symbol}_impl" for p in protos if not p.variadic]
    lines.append("#endif")
    return "\n".join(lines) + "\n"


def generate_exports(protos: list[Prototype], implemented: set[str], prefix: str = "TH",
                     header: str = _HEADER, parts: int = 1) -> list[str]:
    """THExports.c (or THCExports.c, with prefix THC): each implemented public function as a
    call of its _impl, guarded by THGuard.h's TH_GUARDED_* macros (each library has its own
    guard state); in ``parts`` files of about equal length, which the build compiles in parallel
    (it compiles them last, after every object they wrap)."""
    wrapped = [p for p in protos if not p.variadic and p.symbol in implemented]
    files = []
    for k in range(parts):
        out = [header, f'#include "{prefix}.h"', '#include "THGuard.h"', ""]
        for p in wrapped[k * len(wrapped) // parts:(k + 1) * len(wrapped) // parts]:
            call = f"{p.symbol}_impl({', '.join(q.name for q in p.params)})"
            out.append(p.c_declaration(p.symbol + "_impl") + ";")
            out.append(p.c_declaration() + "\n{")
            if p.restype == "void":
                out.append(f"  TH_GUARDED_VOID({call});")
            else:
                out.append(f"  TH_GUARDED_VALUE({p.restype}, {call});")
            out.append("}\n")
        files.append("\n".join(out))
    return files


def version_script(names: list[str]) -> str:
    """A linker version script exporting exactly ``names``: both libraries hide the rest."""
    body = "".join(f"    {n};\n" for n in names)
    return f"{{\n  global:\n{body}  local: *;\n}};\n"


def generate_version_script(protos: list[Prototype], implemented: set[str]) -> str:
    """A linker version script exporting exactly the API: the wrappers, the variadic error
    functions and the extensions; everything else (the _impl functions, their SIMD clones'
    resolvers) stays local."""
    names = [p.symbol for p in protos if p.variadic or p.symbol in implemented]
    return version_script([*names, *EXTENSION_SYMBOLS])


def defined_impls(nm: str, objects: list[str]) -> set[str]:
    """The public names whose NAME_impl the compiled objects define."""
    import subprocess  # the build's use only: not on the import path
    text = subprocess.run([nm, "--defined-only", "--extern-only", *objects], check=True,
                          capture_output=True, text=True).stdout  # static helpers don't count
    names = set()
    for line in text.splitlines():
        sym = line.split()[-1] if line.split() else ""
        sym = sym.lstrip("_") if sym.startswith("_TH") and sys.platform == "darwin" else sym
        if sym.endswith("_impl"):
            names.add(sym[: -len("_impl")])
    return names


class Generator(NamedTuple):
    """What the build script generates one library's C side from: libTH's (:data:`TH_GENERATOR`)
    or libTHC's (``torchbind.cuda._thcapi.GENERATOR``)."""

    script: str  # for the usage message
    load: Callable[[Path], list[Prototype]]  # the table file -> every prototype to wrap
    prefix: str  # TH / THC: the names of the generated files' headers
    header: str  # the "generated by" comment
    version_script: Callable[[list[Prototype], set[str]], str]


def _main(argv: list[str], gen: Generator | None = None) -> None:
    """The build's entry point (CMake's th_api_library), for either library:
    ``rename TABLE OUT`` writes PREFIXRename.h; ``exports TABLE OUT NM OBJECT...`` writes
    PREFIXExports.c and PREFIXExports_1.c (two halves) and the version script (.map) for the _impl
    functions the objects define."""
    gen = gen or TH_GENERATOR
    if len(argv) >= 3 and argv[0] == "rename":
        Path(argv[2]).write_text(generate_rename(gen.load(Path(argv[1])), gen.prefix, gen.header))
    elif len(argv) >= 4 and argv[0] == "exports":
        table, out, nm, *objects = argv[1:]
        impls, protos = defined_impls(nm, objects), gen.load(Path(table))
        first, second = generate_exports(protos, impls, gen.prefix, gen.header, parts=2)
        Path(out).write_text(first)
        Path(out).with_name(Path(out).stem + "_1.c").write_text(second)
        Path(out).with_suffix(".map").write_text(gen.version_script(protos, impls))
    else:
        sys.exit(f"usage: {gen.script} rename TABLE OUT | exports TABLE OUT NM OBJECT...")


TH_GENERATOR = Generator("_apitable.py", load, "TH", _HEADER, generate_version_script)

if __name__ == "__main__":
    _main(sys.argv[1:])
