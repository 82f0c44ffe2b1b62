#!/usr/bin/env python
"""Call-for-call differential comparison of our libTH with an upstream (Torch7) libTH.

For every (function, type) pair of the API table (torchbind/th_api.tsv) this builds several
argument sets, deterministically from a seed, and calls the function once in each library, each
call in a forked child (upstream's default error handler exits the process). After the call it
compares the outcome: both raised, or both returned and every tensor/storage/generator argument and
the return value agree (dimensions, sizes, strides, storage offset, storage size, contents with
NaN-equality and a float tolerance; a generator argument is compared by its next draw).

    python scripts/diff_upstream.py --ours build/dev/libTH.so \\
        --upstream /tmp/luatorch-dev/lib/libTH.so.0 [--only REGEX] [--seed N] [--report FILE]

Functions taking raw data pointers (BLAS/LAPACK/Vector wrappers, the *ptr convolutions), files,
mapped allocators, atomics, handlers and memory management are skipped: they are listed at the
end of the report. The module is importable (tests/test_upstream_oracle.py uses ``run``).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import pickle
import re
import signal
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# No thread pools: the children are forked from a process that has loaded both libraries.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from torchbind import _apitable  # noqa: E402

TYPES = ["Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half"]
DTYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
          "Long": np.int64, "Float": np.float32, "Double": np.float64, "Half": np.float16}
FLOATS = ("Float", "Double", "Half")
N_ARGSETS = 6
CALL_TIMEOUT_S = 20

# ---- which functions ------------------------------------------------------------------------

SKIP_FAMILIES = re.compile(
    r"^(Tensor_(data|free|retain|freeCopyTo|\w+ptr)|Storage_(data|free|retain|newWithAllocator"
    r"|newWithData\w*|newWithMapping|rawCopy)|Blas_\w+|Lapack_\w+|Vector_\w+)$")
SKIP_PLAIN = re.compile(
    r"^(THAlloc|THRealloc|THFree|THAtomic\w+|THDiskFile_\w+|THFile_\w+|THMemoryFile_\w+"
    r"|THPipeFile_\w+|THMapAllocator\w+|THRefcountedMapAllocator\w+|THSet\w*Handler"
    r"|THSetNumThreads|THGetNumThreads|THGetNumCores|THInferNumThreads|THHeapUpdate"
    r"|THRandom_seed|THGenerator_new|_TH(Error|ArgCheck|AssertionFailed)|THGenerator_free)$")

FAMILY_GROUPS = [  # (group, full match on the family's name after "Tensor_")
    ("Random", r"random|cappedRandom|clampedRandom|bernoulli\w*|cauchy|exponential|geometric"
               r"|logNormal|normal|normal_\w+|multinomial\w*|rand|randn|randperm|uniform|\w+RNGState"),
    ("Index", r"index\w+|gather|scatter\w*|masked\w+|nonzero"),
    ("Reduce", r"max|min|median|mode|kthvalue|sort|topk|sum|prod|mean|std|var|norm|dist|\w+all"
               r"|logicalany|cumsum|cumprod|trace|b?histc|renorm"),
    ("Conv", r"conv\w+"),
    ("Lapack", r"gesv|trtrs|gels|syev|geev|gesvd2?|getri|potr[fsi]|pstrf|qr|geqrf|orgqr|ormqr"
               r"|btrifact|btrisolve"),
    ("Math", r"addmm|addmv|addr|addbmm|baddbmm|dot|match|cross|diag|eye|range|arange|linspace"
             r"|logspace|tril|triu|cat|catArray|lerp|atan2|pow|cpow|tpow"),
    ("Copy", r"copy\w*"),
    ("Tensor", r"new\w*|resize\w*|set\w*|narrow|select|transpose|unfold|squeeze\w*|unsqueeze1d"
               r"|expand\w*|isContiguous|isSameSizeAs|isSetTo|isSize|nDimension|nElement|numel"
               r"|size|stride|storage\w*|desc|sizeDesc|\w+Flag|reshape|zeros\w*|ones\w*|fill|zero"
               r"|get[1-4]d|equal"),
]


def family_group(symbol: str, family: str | None) -> str:
    if family is None:
        return "Random" if symbol.startswith(("THRandom_", "THGenerator_")) else "other"
    if family.startswith("Storage_"):
        return "Copy" if family.startswith("Storage_copy") else "Storage"
    name = family.split("_", 1)[1]
    for group, pattern in FAMILY_GROUPS:
        if re.fullmatch(pattern, name):
            return group
    return "Pointwise"


def skipped(proto: _apitable.Prototype) -> bool:
    if proto.variadic:
        return True
    if proto.family is not None:
        return bool(SKIP_FAMILIES.match(proto.family))
    return bool(SKIP_PLAIN.match(proto.symbol))


# ---- ctypes declarations ---------------------------------------------------------------------

class THDescBuff(ctypes.Structure):
    _fields_ = [("str", ctypes.c_char * 64)]


SCALARS: dict[str, Any] = {
    "char": ctypes.c_byte, "unsigned char": ctypes.c_ubyte, "short": ctypes.c_short,
    "unsigned short": ctypes.c_ushort, "int": ctypes.c_int, "long": ctypes.c_long,
    "unsigned long": ctypes.c_ulong, "float": ctypes.c_float, "double": ctypes.c_double,
    "size_t": ctypes.c_size_t, "ptrdiff_t": ctypes.c_ssize_t, "THHalf": ctypes.c_uint16,
    "THDescBuff": THDescBuff,
}


def bare(ctype: str) -> str:
    return " ".join(w for w in ctype.replace("*", " * ").split() if w not in ("const", "volatile"))


def ctype_of(ctype: str) -> Any:
    t = bare(ctype)
    if t == "void":
        return None
    if t in SCALARS:
        return SCALARS[t]
    if t == "char *" and "const" in ctype:
        return ctypes.c_char_p
    return ctypes.c_void_p


class Lib:
    """One libTH, loaded RTLD_LOCAL, with every table prototype declared."""

    def __init__(self, path: str, protos: list[_apitable.Prototype], ours: bool) -> None:
        self.path = path
        self.ours = ours
        self.cdll = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL)
        self.fn: dict[str, Any] = {}
        for p in protos:
            try:
                f = getattr(self.cdll, p.symbol)
            except AttributeError:
                continue
            if not p.variadic:
                f.argtypes = [ctype_of(q.ctype) for q in p.params]
            f.restype = ctype_of(p.restype)
            self.fn[p.symbol] = f
        self.take = getattr(self.cdll, "THError_take", None) if ours else None
        if self.take is not None:
            self.take.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
            self.take.restype = ctypes.c_int
        self.set_capture = getattr(self.cdll, "THError_setCapture", None) if ours else None
        if self.set_capture is not None:
            self.set_capture.argtypes = [ctypes.c_int]
            self.set_capture.restype = ctypes.c_int

    def __getattr__(self, name: str) -> Any:
        try:
            return self.fn[name]
        except KeyError:
            raise AttributeError(name) from None


def preload_openblas() -> None:
    try:
        import scipy_openblas32  # type: ignore[import-untyped]
    except ImportError:
        return
    path = os.path.join(scipy_openblas32.get_lib_dir(), scipy_openblas32.get_library(True))
    if os.path.exists(path):
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)


# ---- argument specifications (lib-independent, picklable) ------------------------------------
# ("tensor", T, values | None, layout)   layout: "c" contiguous, "t" last two dims transposed,
#                                         "n" narrowed along dim 0; values None: a fresh tensor
# ("tensors", [tensor specs])            a THxTensor ** array
# ("storage", T, values)                 ("longstorage", list | None)
# ("longarr", list | None)               a long * (None: NULL)
# ("gen", seed)                          ("str", bytes)      ("num", value)
# ("ptr", ctype, value)                  a pointer to one scalar
# ("alias_J"|"alias_q", T, probs)        tables made by the lib's own multinomialAliasSetup
# ("rngstate", seed)                     a Byte tensor from THByteTensor_getRNGState
# ("null",)

OUT_NAMES = {"r_", "r", "values_", "indices_", "rt_", "ri_", "ra_", "rb_", "re_", "rv_", "ru_",
             "rs_", "rtau_", "rq_", "rr_", "rpivots_", "rinfo_", "rpiv_", "hist", "result",
             "subscript"}
SHAPES = [(6,), (3, 4), (3, 4), (2, 3, 4), (4, 4), (2, 3, 4)]
LAYOUTS = ["c", "c", "t", "n", "c", "t"]
KINDS = ["pos", "mixed", "frac", "pos", "frac", "mixed"]
OUT_MODE = ["fresh", "fresh", "fresh", "fresh", "presized_t", "presized_c"]
DIMS = [0, 1, 0, 2, 1, 1]


def values(rng: np.random.Generator, t: str, shape: tuple[int, ...], kind: str) -> np.ndarray:
    dt = DTYPES[t]
    if kind == "bits":
        return rng.integers(0, 2, size=shape).astype(dt)
    if kind == "unit":
        return rng.uniform(0.05, 0.95, size=shape).astype(dt)
    if kind == "pos" or (kind == "mixed" and t == "Byte"):
        v = rng.integers(1, 10, size=shape)
    elif kind == "mixed" or t not in FLOATS:
        v = rng.integers(-5, 6, size=shape)
        if t == "Byte":
            v = np.abs(v)
    elif kind == "frac":
        v = np.round(rng.uniform(-3, 3, size=shape) * 4) / 4
    elif kind == "unit":
        v = rng.uniform(0.05, 0.95, size=shape)
    elif kind == "bits":
        v = rng.integers(0, 2, size=shape)
    else:
        raise ValueError(kind)
    return np.asarray(v).astype(dt)


def tensor_type(ctype: str) -> str | None:
    m = re.match(r"^(?:const )?TH(\w+?)Tensor \*$", ctype.strip())
    return m.group(1) if m else None


def storage_type(ctype: str) -> str | None:
    m = re.match(r"^(?:const )?TH(\w+?)Storage \*$", ctype.strip())
    return m.group(1) if m else None


def T(t: str, v: np.ndarray | None, layout: str = "c") -> tuple:
    return ("tensor", t, v, layout)


def spd(rng: np.random.Generator, n: int, dt: Any) -> np.ndarray:
    a = rng.integers(-3, 4, size=(n, n)).astype(np.float64)
    return (a @ a.T + n * np.eye(n)).astype(dt)


def well(rng: np.random.Generator, shape: tuple[int, ...], dt: Any) -> np.ndarray:
    a = rng.integers(-3, 4, size=shape).astype(np.float64)
    n = min(shape[-2:])
    for i in range(n):
        a[..., i, i] += 8
    return a.astype(dt)


def perm_index(rng: np.random.Generator, shape: tuple[int, ...], dim: int) -> np.ndarray:
    """1-based index tensor of ``shape``: along ``dim`` each line a permutation of 1..n."""
    out = np.empty(shape, dtype=np.int64)
    moved = np.moveaxis(out, dim, -1)
    for idx in np.ndindex(*moved.shape[:-1]):
        moved[idx] = rng.permutation(moved.shape[-1]) + 1
    return out


def special(fam: str, t: str, k: int, rng: np.random.Generator, names: list[str],
            lay: str, kind: str, seed: int) -> dict[str, Any]:
    """Arguments by parameter name for the families that need consistent shapes or values."""
    dt = DTYPES[t]

    def v(shape: tuple[int, ...], kd: str = kind, tt: str = t) -> np.ndarray:
        return values(rng, tt, shape, kd)

    n, m, p, b = 3, 4, 2, 2
    d = k % 2
    if fam == "addmm":
        return {"t": T(t, v((n, p)), lay), "mat1": T(t, v((n, m)), lay), "mat2": T(t, v((m, p)))}
    if fam == "addmv":
        return {"t": T(t, v((n,))), "mat": T(t, v((n, m)), lay), "vec": T(t, v((m,)), "n")}
    if fam == "addr":
        return {"t": T(t, v((n, m)), lay), "vec1": T(t, v((n,))), "vec2": T(t, v((m,)), "n")}
    if fam == "addbmm":
        return {"t": T(t, v((n, p)), lay), "batch1": T(t, v((b, n, m)), lay),
                "batch2": T(t, v((b, m, p)))}
    if fam == "baddbmm":
        return {"t": T(t, v((b, n, p)), lay), "batch1": T(t, v((b, n, m)), lay),
                "batch2": T(t, v((b, m, p)))}
    if fam == "match":
        return {"m1": T(t, v((n, m)), lay), "m2": T(t, v((p, m))), "gain": ("num", 1 + k % 2)}
    if fam == "cross":
        shape = (3, 4) if d == 0 else (2, 3)
        return {"a": T(t, v(shape), lay), "b": T(t, v(shape)),
                "dimension": ("num", [d, d, -1, d, -1, d][k])}
    if fam in ("cat", "catArray"):
        shape = SHAPES[k]
        dim = [0, 0, 1, -2, 1, 2][k]
        if fam == "cat":
            return {"ta": T(t, v(shape), lay), "tb": T(t, v(shape)), "dimension": ("num", dim)}
        return {"inputs": ("tensors", [T(t, v(shape), lay), T(t, v(shape)), T(t, v(shape))]),
                "numInputs": ("num", 3), "dimension": ("num", dim)}
    if fam in ("expand", "newExpand"):
        src, dst = [((3, 1), [3, 4]), ((1, 4), [2, 3, 4]), ((1,), [5]), ((2, 1, 4), [2, 3, 4]),
                    ((3, 1), [3, 1]), ((1, 1), [2, 3])][k]
        return {"tensor": T(t, v(src)), "size": ("longstorage", dst)}
    if fam == "expandNd":
        return {"rets": ("tensors", [T(t, None), T(t, None)]),
                "ops": ("tensors", [T(t, v((3, 1))), T(t, v((1, 4) if k % 2 else (2, 3, 1)))]),
                "count": ("num", 2)}
    if fam == "diag":
        shape = [(4,), (3, 4), (4, 3), (3, 4), (4, 4), (2,)][k]
        return {"t": T(t, v(shape), lay if len(shape) == 2 else "c"),
                "k": ("num", [0, 1, -1, 4, 0, -2][k])}
    if fam == "eye":
        nm = [(3, 4), (4, 0), (2, 2), (1, 3), (4, 4), (3, 1)][k]
        return {"n": ("num", nm[0]), "m": ("num", nm[1])}
    if fam in ("range", "arange"):
        args = [(1, 6, 1), (0, 2, 0.5), (5, 1, -1), (2, 2, 1), (1, 4, 1), (0, 10, 3)][k]
        if t not in FLOATS:
            args = tuple(int(a) if a == int(a) else 1 for a in args)  # type: ignore[assignment]
        out = {"xmin": ("num", args[0]), "xmax": ("num", args[1]), "step": ("num", args[2])}
        if k >= 4:  # a pre-sized output of the right element count, non-contiguous
            out["r_"] = T(t, np.full((2, 3) if k == 4 else (4,), 9, DTYPES[t]), "t" if k == 4
                          else "n")
        return out
    if fam in ("linspace", "logspace"):
        args = [(1, 5, 5), (0, 1, 1), (2, -2, 4), (0, 3, 16), (1, 4, 4), (0, 0, 2)][k]
        out = {"a": ("num", args[0]), "b": ("num", args[1]), "n": ("num", args[2])}
        if k >= 4:  # a pre-sized output of the right element count, non-contiguous
            out["r_"] = T(t, np.full((2, 2) if k == 4 else (2,), 9, DTYPES[t]), "t" if k == 4
                          else "n")
        return out
    if fam == "gather":
        shape = SHAPES[k] if len(SHAPES[k]) > 1 else (5,)
        dim = min(DIMS[k], len(shape) - 1)
        idx = rng.integers(1, shape[dim] + 1, size=shape)
        return {"tensor": T(t, np.zeros(shape, DTYPES[t]), "t" if k % 2 else "c"),
                "src": T(t, v(shape), lay), "dim": ("num", dim),
                "index": T("Long", idx.astype(np.int64))}
    if fam in ("cdiv", "cfmod", "cremainder", "addcdiv"):  # no integer division by zero
        den = v(SHAPES[k])
        den[den == 0] = 1
        return {"src": T(t, den, lay), "src2": T(t, den, lay),
                "value": ("num", [2, 3, 1, 50, 3, 100][k])}
    if fam in ("scatter", "scatterAdd", "scatterFill"):
        shape = SHAPES[k]
        dim = min(DIMS[k], len(shape) - 1)
        return {"tensor": T(t, v(shape), lay), "dim": ("num", dim),
                "index": T("Long", perm_index(rng, shape, dim)), "src": T(t, v(shape)),
                "val": ("num", 7)}
    if fam in ("indexSelect", "indexCopy", "indexAdd", "indexFill"):
        shape = SHAPES[k]
        dim = min(DIMS[k], len(shape) - 1)
        size = shape[dim]
        if fam == "indexSelect":
            idx = rng.integers(1, size + 1, size=(size + 1,))
            return {"tensor": T(t, None), "src": T(t, v(shape), lay), "dim": ("num", dim),
                    "index": T("Long", idx.astype(np.int64))}
        idx = (rng.permutation(size) + 1) if fam != "indexAdd" else rng.integers(1, size + 1, size)
        return {"tensor": T(t, v(shape), lay), "dim": ("num", dim),
                "index": T("Long", np.asarray(idx, dtype=np.int64)), "src": T(t, v(shape)),
                "val": ("num", 7)}
    if fam in ("maskedFill", "maskedCopy", "maskedSelect"):
        shape = SHAPES[k]
        mask = values(rng, "Byte", shape, "bits")
        if fam == "maskedCopy":
            return {"tensor": T(t, v(shape), lay), "mask": T("Byte", mask, lay),
                    "src": T(t, v((int(np.prod(shape)),)))}
        if fam == "maskedSelect":
            return {"tensor": T(t, None), "src": T(t, v(shape), lay), "mask": T("Byte", mask)}
        return {"tensor": T(t, v(shape), lay), "mask": T("Byte", mask, lay), "value": ("num", 3)}
    if fam == "kthvalue":
        return {"k": ("num", 1 + k % 3)}
    if fam == "topk":
        return {"k": ("num", 1 + k % 3), "dir": ("num", k % 2), "sorted": ("num", 1)}
    if fam == "multinomial":
        shape = [(5,), (2, 5), (4,), (3, 6), (5,), (2, 4)][k]
        probs = values(rng, t, shape, "unit")
        return {"prob_dist": T(t, probs, lay), "n_sample": ("num", [2, 3, 4, 1, 5, 2][k]),
                "with_replacement": ("num", [1, 0, 0, 1, 1, 0][k])}
    if fam == "multinomialAliasSetup":
        return {"prob_dist": T(t, values(rng, t, (5 + k,), "unit")), "J": T("Long", None),
                "q": T(t, None)}
    if fam == "multinomialAliasDraw":
        probs = values(rng, t, (5 + k,), "unit")
        return {"self": T("Long", np.zeros(7, dtype=np.int64)), "J": ("alias_J", t, probs),
                "q": ("alias_q", t, probs)}
    if fam in ("bernoulli_FloatTensor", "bernoulli_DoubleTensor"):
        pt = "Float" if "Float" in fam else "Double"
        return {"p": T(pt, values(rng, pt, SHAPES[k], "unit"), lay)}
    if fam.startswith("normal_"):
        return {"means": T(t, v(SHAPES[k]), lay), "stddevs": T(t, values(rng, t, SHAPES[k],
                                                                           "pos"))}
    if fam in ("getRNGState", "setRNGState"):
        return {"self": T("Byte", None) if fam == "getRNGState" else ("rngstate", seed + 1)}
    if fam.startswith("conv"):
        return conv_args(fam, t, k, v, lay)
    if fam in LAPACK:
        return lapack_args(fam, t, k, rng, dt, lay)
    if fam in ("histc", "bhistc"):
        shape = SHAPES[k] if fam == "histc" else (3, 5)
        return {"tensor": T(t, v(shape), lay), "nbins": ("num", [5, 3, 4, 6, 2, 5][k]),
                "minvalue": ("num", [0, 1, 0, 2, -1, 0][k]),
                "maxvalue": ("num", [0, 8, 0, 7, 4, 0][k])}
    if fam == "renorm":
        return {"value": ("num", [2, 1, 3, 2, 1, 2][k]), "maxnorm": ("num", [5, 3, 4, 6, 1, 5][k]),
                "dimension": ("num", min(DIMS[k], len(SHAPES[k]) - 1))}
    if fam in ("norm", "normall", "dist"):
        return {"value": ("num", [2, 1, 0, 3, 1.5 if t in FLOATS else 2, 2][k])}
    if fam in ("unfold", "newUnfold"):
        return {"size_": ("num", 2), "step_": ("num", 1 + k % 2)}
    if fam in ("narrow", "newNarrow"):
        return {"firstIndex_": ("num", 1), "size_": ("num", 2)}
    if fam in ("select", "newSelect"):
        return {"sliceIndex_": ("num", 1)}
    if fam in ("squeeze", "squeeze1d", "unsqueeze1d"):
        shape = [(1, 4), (3, 1, 4), (1, 1), (2, 1), (4,), (1, 3, 1)][k]
        dim = [0, 1, 1, 0, 0, 2][k]
        return {"src": T(t, v(shape)), "dimension_": ("num", dim)}
    if fam in ("transpose", "newTranspose"):
        return {"dimension1_": ("num", 0), "dimension2_": ("num", [0, 1, 1, 2, 1, 1][k])}
    if fam in ("tril", "triu"):
        return {"t": T(t, v((3, 4) if k % 2 else (4, 3)), lay),
                "k": ("num", [0, 1, -1, 2, 0, -2][k])}
    if fam == "trace":
        return {"t": T(t, v((3, 4) if k % 2 else (4, 4)), lay)}
    if fam in ("fill", "zero"):
        return {"r_": T(t, v(SHAPES[k]), lay)}
    if fam in ("resize", "newWithSize"):
        size = [[4], [2, 3], [2, 3], [2, 1, 3], [0], [3, -1]][k]
        stride = [None, None, [1, 2], None, None, None][k]
        return {"size": ("longstorage", size), "size_": ("longstorage", size),
                "stride": ("longstorage", stride), "stride_": ("longstorage", stride)}
    if fam in ("newView", "reshape", "zeros", "ones", "rand", "randn"):
        size = [[6], [4, 3], [12], [2, 3, 4], [16], [-1, 4]][k]
        if fam in ("newView", "reshape"):
            return {"size": ("longstorage", size)}
        return {"size": ("longstorage", [[6], [4, 3], [2, 2], [2, 3, 4], [0], [3, -1]][k])}
    if fam == "isSize":
        return {"dims": ("longstorage", list(SHAPES[k]) if k % 2 else [3])}
    if fam in ("resizeNd", "setStorageNd"):
        size = [[4], [2, 3], [2, 3], [2, 1, 3], [3, 2], [2, -1]][k]
        stride = [None, None, [1, 2], None, [1, 3], None][k]
        return {"nDimension": ("num", len(size)), "size": ("longarr", size),
                "stride": ("longarr", stride), "storage_": ("storage", t, v((24,))),
                "storageOffset_": ("num", k % 2)}
    if fam.startswith(("setStorage", "newWithStorage")):
        return {"storage_": ("storage", t, v((32,))), "storageOffset_": ("num", k % 3),
                "size_": ("longstorage", list(SHAPES[k])),
                "stride_": ("longstorage", None if k % 2 == 0 else
                            [int(x) for x in np.cumprod((1,) + SHAPES[k][::-1][:-1])[::-1]]),
                "stride0_": ("num", [1, 4, 1, 12, 4, 2][k]),
                "stride1_": ("num", [2, 1, 1, 4, 1, 1][k]),
                "stride2_": ("num", 1), "stride3_": ("num", 1)}
    if fam.startswith(("get", "set")) and fam[-2:] in ("1d", "2d", "3d", "4d"):
        nd = int(fam[-2])
        shape = [(2, 3, 4, 2)[:nd], (3, 4, 2, 2)[:nd]][k % 2]
        return {"tensor": T(t, v(shape), lay if nd > 1 else "n"),
                **{f"x{i}": ("num", (k + i) % shape[i]) for i in range(nd)}, "value": ("num", 5)}
    if fam == "randperm":
        return {"n": ("num", [5, 1, 10, 3, 7, 2][k])}
    if fam in ("cappedRandom", "clampedRandom"):
        return {"max": ("num", [10, 3, 1000, 2, 100, 50][k]),
                "min": ("num", [2, 0, -5, 1, 3, -2][k])}
    if fam in ("pow", "tpow"):
        return {"value": ("num", [2, 3, 0.5 if t in FLOATS else 2, 1, -1 if t in FLOATS else 0,
                                  0][k])}
    if fam in ("lshift", "rshift", "clshift", "crshift"):
        return {"value": ("num", [1, 3, 2, 1, 4, 2][k]), "src": T(t, values(rng, t, SHAPES[k],
                                                                            "pos") % 4)}
    if fam == "clamp":
        return {"min_value": ("num", [2, -1, 0, 3, -2, 1][k]),
                "max_value": ("num", [7, 2, 1, 5, 2, 1][k])}
    if fam == "addcdiv":
        return {"value": ("num", [2, 3, 1, 50, 3, 100][k])}
    if fam == "lerp":
        return {"weight": ("num", 0.25 if t in FLOATS else 1)}
    return {}


CONV2 = {  # family: (input shape, kernel shape)
    "conv2Dmv": ((2, 5, 6), (3, 2, 2, 3)), "conv2Dmm": ((2, 2, 5, 6), (3, 2, 2, 3)),
    "conv2Dmul": ((5, 6), (2, 3)), "conv2Dcmul": ((2, 5, 6), (2, 2, 3)),
    "conv2Dger": ((2, 5, 6), (3, 2, 3)), "conv2DRevger": ((2, 5, 6), (3, 2, 3)),
    "conv2DRevgerm": ((2, 2, 5, 6), (2, 3, 2, 3)),
    "conv3Dmv": ((2, 4, 5, 4), (3, 2, 2, 2, 3)), "conv3Dmul": ((4, 5, 4), (2, 2, 3)),
    "conv3Dcmul": ((2, 4, 5, 4), (2, 2, 2, 3)), "conv3Dger": ((2, 4, 5, 4), (3, 2, 2, 3)),
    "conv3DRevger": ((2, 4, 5, 4), (3, 2, 2, 3)),
}


def conv_args(fam: str, t: str, k: int, v: Any, lay: str) -> dict[str, Any]:
    ish, ksh = CONV2[fam]
    s = 1 + (k == 3)
    return {"t_": T(t, v(ish), lay), "k_": T(t, v(ksh), "c" if k % 2 == 0 else lay),
            "beta": ("num", [0, 1, 0, 1, 2, 0][k]), "alpha": ("num", [1, 2, 1, 1, 1, 3][k]),
            "srow": ("num", s), "scol": ("num", 1), "sdepth": ("num", 1),
            "vf": ("str", [b"V", b"F", b"V", b"V", b"Fv", b"F"][k]),  # only the first character
            "xc": ("str", [b"X", b"C", b"C", b"X", b"Xc", b"C"][k])}  # counts in upstream


LAPACK = {"gesv", "trtrs", "gels", "syev", "geev", "gesvd", "gesvd2", "getri", "potrf", "potrs",
          "potri", "pstrf", "qr", "geqrf", "orgqr", "ormqr", "btrifact", "btrisolve"}


def lapack_args(fam: str, t: str, k: int, rng: np.random.Generator, dt: Any,
                lay: str) -> dict[str, Any]:
    n = 3 + k % 2
    uplo = [b"U", b"L"][k % 2]
    out: dict[str, Any] = {"uplo": ("str", uplo)}
    if k >= 4:  # outputs reused: already of a square shape, row- (5) or column-major (4)
        for name in OUT_NAMES:
            out[name] = T(t, np.zeros((n, n), dt), "t" if k == 4 else "c")
    a_sq = well(rng, (n, n), dt)
    b = rng.integers(-4, 5, size=(n, 2)).astype(dt)
    if fam == "gesv":
        out.update(b_=T(t, b, lay), a_=T(t, a_sq, lay))
    elif fam == "trtrs":
        tri = np.triu(a_sq) if uplo == b"U" else np.tril(a_sq)
        out.update(b_=T(t, b, lay), a_=T(t, tri, lay), trans=("str", [b"N", b"T"][k // 3]),
                   diag=("str", [b"N", b"U", b"N"][k % 3]))
    elif fam == "gels":
        m = n + 2
        out.update(b_=T(t, rng.integers(-4, 5, size=(m, 2)).astype(dt), lay),
                   a_=T(t, well(rng, (m, n), dt), lay))
    elif fam in ("syev", "potrf", "potri", "pstrf", "potrs"):
        a = spd(rng, n, dt)
        if fam == "potri":
            a = np.linalg.cholesky(a.astype(np.float64)).astype(dt)
            a = a.T.copy() if uplo == b"U" else a
        out.update(a_=T(t, a, lay), a=T(t, a, lay), jobz=("str", [b"V", b"N"][k // 3]),
                   tol=("num", -1))
        if fam == "potrs":
            c = np.linalg.cholesky(a.astype(np.float64)).astype(dt)
            out.update(a_=T(t, c.T.copy() if uplo == b"U" else c, lay), b_=T(t, b))
    elif fam == "geev":
        out.update(a_=T(t, a_sq, lay), jobvr=("str", [b"N", b"V"][k % 2]))
    elif fam in ("gesvd", "gesvd2"):
        shape = [(3, 3), (4, 3), (3, 4), (4, 2), (2, 4), (3, 3)][k]
        out.update(a=T(t, rng.integers(-4, 5, size=shape).astype(dt), lay),
                   jobu=("str", [b"S", b"A", b"S", b"A", b"S", b"A"][k]))
    elif fam == "getri":
        out.update(a=T(t, a_sq, lay))
    elif fam in ("qr", "geqrf"):
        shape = [(3, 3), (4, 3), (3, 4), (4, 2), (2, 4), (3, 3)][k]
        out.update(a=T(t, well(rng, shape, dt), lay))
    elif fam in ("orgqr", "ormqr"):
        shape = [(3, 3), (4, 3), (4, 2), (4, 3), (3, 3), (5, 2)][k]
        kk = min(shape)
        out.update(a=T(t, well(rng, shape, dt), lay),
                   tau=T(t, (rng.uniform(0.5, 1.5, size=(kk,))).astype(dt)),
                   c=T(t, rng.integers(-4, 5, size=(shape[0], 3) if k % 2 == 0
                                      else (3, shape[0])).astype(dt)),
                   side=("str", [b"L", b"R"][k % 2]), trans=("str", [b"N", b"T"][(k // 2) % 2]))
    elif fam == "btrifact":
        out.update(a=T(t, np.stack([well(rng, (n, n), dt), well(rng, (n, n), dt)]), lay),
                   pivot=("num", [1, 1, 0, 1, 1, 1][k]),
                   rinfo_=T("Int", None) if k != 3 else ("null",))
    elif fam == "btrisolve":
        piv = np.stack([[rng.integers(i + 1, n + 1) for i in range(n)] for _ in range(2)])
        out.update(b=T(t, rng.integers(-4, 5, size=(2, n)).astype(dt)),
                   atf=T(t, np.stack([well(rng, (n, n), dt), well(rng, (n, n), dt)]), lay),
                   pivots=T("Int", piv.astype(np.int32), "t" if k % 2 else "c"))
    return out


def scalar_for(name: str, ctype: str, t: str | None, k: int) -> Any:
    """A generic value for a scalar parameter, by its name."""
    floaty = t in FLOATS or bare(ctype) in ("double", "float")
    byname: dict[str, list[Any]] = {
        "value": [2, 3, 1, 2, 3, 1], "beta": [1, 0, 2, 1, 0, 1], "alpha": [1, 2, 1, 3, 1, 2],
        "keepdim": [0, 1, 0, 1, 1, 0], "biased": [0, 1, 1, 0, 0, 1],
        "descendingOrder": [0, 1, 0, 1, 1, 0], "p": [0.3, 0.7, 0.5, 0.1, 0.9, 0.5],
        "mean": [0, 1, -1, 2, 0, 0.5], "stdv": [1, 2, 0.5, 1, 3, 1], "stddev": [1, 2, 0.5, 1, 3, 1],
        "median": [0, 1, -1, 2, 0, 0.5], "sigma": [1, 2, 0.5, 1, 3, 1],
        "lambda": [1, 2, 0.5, 1, 3, 1], "a": [0, 1, -1, 2, 0, -3], "b": [1, 2, 1, 5, 3, 3],
        "n": [4, 3, 5, 1, 2, 4], "m": [3, 0, 4, 2, 2, 1], "k": [1, 2, 1, 2, 1, 2],
        "the_seed_": [1, 2, 3, 4, 5, 6], "x": [0.5, -2, 3, 0, 1e-8, 20],
        "log_a": [0, 1, -2, 3, -1e10, 2], "log_b": [1, 0, -3, 3, 0, -1e10],
        "flag": [1, 2, 1, 4, 2, 1], "nbins": [5, 3, 4, 6, 2, 5], "pivot": [1, 1, 0, 1, 1, 1],
        "sorted": [1, 1, 1, 1, 1, 1], "dir": [0, 1, 0, 1, 0, 1], "with_replacement": [1, 0] * 3,
        "n_sample": [2, 3, 1, 2, 4, 1], "count": [2] * 6, "numInputs": [2] * 6,
        "size0_": [3, 2, 4, 2, 1, 5], "size1_": [2, 3, 1, 2, 4, 1], "size2_": [2, 1, 3, 2, 2, 1],
        "size3_": [1, 2, 2, 1, 3, 2], "size4_": [2, 1, 1, 2, 1, 2], "dims": [1, 2, 3, 2, 1, 2],
        "ptrdiff_t": [1, 0, 2, 3, 1, 0], "size": [4, 2, 5, 0, 3, 1],
        "dimension1_": [0] * 6, "dimension2_": [0, 1, 1, 2, 1, 1],
        "storageOffset_": [0, 1, 2, 0, 1, 0], "max": [10, 3, 100, 2, 50, 7],
        "min": [2, 0, -5, 1, 3, -2], "dimsA": [2] * 6, "dimsB": [2, 2, 1, 2, 2, 2],
        "ndim": [2, 1, 3, 0, 2, 1], "a0": [1.5, -2, 65504, float("nan"), 1e-8, 70000],
    }
    if name in ("dimension", "dim", "dimension_"):
        return ("num", min(DIMS[k], len(SHAPES[k]) - 1))
    if name in byname:
        val = byname[name][k]
    elif bare(ctype) in ("long", "int", "ptrdiff_t", "size_t", "char", "unsigned long"):
        val = [1, 2, 1, 0, 2, 1][k]
    else:
        val = [2, 3, 1, 2, 0.5, 1][k]
    if not floaty and isinstance(val, float) and bare(ctype) not in ("THHalf",):
        val = int(val) if val == val and abs(val) < 1e9 else 1
    return ("num", val)


STRINGS = {"vf": [b"V", b"F"], "xc": [b"X", b"C"], "jobvr": [b"N", b"V"], "jobu": [b"S", b"A"],
           "jobz": [b"V", b"N"], "uplo": [b"U", b"L"], "trans": [b"N", b"T"],
           "diag": [b"N", b"U"], "side": [b"L", b"R"]}


def make_argsets(proto: _apitable.Prototype, seed: int) -> list[list[Any]]:
    """N_ARGSETS argument lists for ``proto``: identical for both libraries."""
    fam = proto.family or proto.symbol
    if fam.startswith("Tensor_"):
        fam = fam[len("Tensor_"):]
    t = proto.type
    names = [q.name for q in proto.params]
    argsets = []
    for k in range(N_ARGSETS):
        rng = np.random.default_rng(zlib.crc32(f"{seed}:{proto.symbol}:{k}".encode()))
        shape, lay, kind, omode = SHAPES[k], LAYOUTS[k], KINDS[k], OUT_MODE[k]
        if len(shape) == 1 and lay == "t":
            lay = "n"
        over = special(fam, t, k, rng, names, lay, kind, seed) if t else {}
        has_src = any(nm.startswith("src") for nm in names)
        args: list[Any] = []
        for q in proto.params:
            ct, nm = q.ctype, q.name
            tt, st = tensor_type(ct), storage_type(ct)
            if nm in over:
                args.append(over[nm])
            elif tt:
                is_out = nm in OUT_NAMES or (nm in ("self", "tensor") and has_src
                                             and not fam.startswith("copy"))
                if fam == "getRNGState" or (nm == "self" and "Generator" in str(proto.params)):
                    is_out = False
                if is_out and omode == "fresh":
                    args.append(T(tt, None))
                elif is_out:
                    args.append(T(tt, np.full(shape, 9, dtype=DTYPES[tt]),
                                  "t" if omode == "presized_t" else "c"))
                else:
                    vk = "bits" if tt == "Byte" and t != "Byte" else kind
                    if tt != t and t in FLOATS and tt not in FLOATS:
                        vk = "pos" if kind == "frac" else kind
                    if fam.startswith("copy") and nm == "tensor":
                        vk = "pos"
                    args.append(T(tt, values(rng, tt, shape, vk), lay))
            elif st == "Long" and nm in ("size", "size_", "dims", "stride", "stride_"):
                args.append(("longstorage", list(shape) if "stride" not in nm else None))
            elif st:
                args.append(("storage", st, values(rng, st, (6,), kind)))
            elif bare(ct) == "THGenerator *":
                args.append(("gen", seed + (1 if nm == "from" else 0)))
            elif "const char *" == ct:
                args.append(("str", STRINGS.get(nm, [b"N", b"V"])[k % 2]))
            elif bare(ct) in ("long *",):
                args.append(("longarr", [3, 4, 2, 5]))
            elif bare(ct) in ("float *", "unsigned short *"):
                base = bare(ct).replace("*", "").strip()
                val = [1.5, -2.0, 65504.0, float("nan"), 1e-8, 70000.0][k]
                if base == "unsigned short":
                    val = [0x3C00, 0xC000, 0x7BFF, 0x7E00, 0x0001, 0x7C00][k]
                args.append(("ptr", base, val))
            elif tensor_type(ct.replace("**", "*")):
                tt = tensor_type(ct.replace("**", "*"))
                args.append(("tensors", [T(tt, values(rng, tt, shape, kind), lay)
                                         for _ in range(2)]))
            elif bare(ct) in SCALARS:
                args.append(scalar_for(nm, ct, t, k))
            else:
                raise NotImplementedError(f"{proto.symbol}: {ct} {nm}")
        argsets.append(args)
    return argsets


def describe_args(args: list[Any]) -> str:
    out = []
    for a in args:
        if a[0] == "tensor":
            out.append("empty" if a[2] is None else f"{a[1]}{list(a[2].shape)}{a[3]}")
        elif a[0] == "tensors":
            out.append("[" + ",".join(describe_args([x]) for x in a[1]) + "]")
        elif a[0] in ("num", "str", "longstorage", "longarr"):
            out.append(repr(a[1]))
        else:
            out.append(a[0])
    return "(" + ", ".join(out) + ")"


# ---- the child: build, call, describe --------------------------------------------------------

class Builder:
    def __init__(self, lib: Lib) -> None:
        self.lib = lib
        self.keep: list[Any] = []
        self.alias: dict[int, tuple[int, int]] = {}

    def f(self, name: str) -> Any:
        return getattr(self.lib, name)

    def longstorage(self, vals: list[int]) -> int:
        s = self.lib.THLongStorage_newWithSize(len(vals))
        for i, x in enumerate(vals):
            self.lib.THLongStorage_set(s, i, x)
        return s

    def fill(self, ptr: int, arr: np.ndarray) -> None:
        data = np.ascontiguousarray(arr)
        ctypes.memmove(ptr, data.ctypes.data, data.nbytes)

    def tensor(self, t: str, v: np.ndarray | None, layout: str) -> int:
        new = self.f(f"TH{t}Tensor_new")
        if v is None:
            return new()
        if v.ndim == 0 or v.size == 0:
            x = new()
            self.f(f"TH{t}Tensor_resizeNd")(x, v.ndim, (ctypes.c_long * max(v.ndim, 1))(*v.shape),
                                            None)
            return x
        if layout == "t" and v.ndim >= 2:
            base = np.swapaxes(v, -1, -2)
        elif layout == "n":
            base = np.concatenate([v[:1] * 0, v, v[:1] * 0], axis=0)
        else:
            base = v
        x = self.f(f"TH{t}Tensor_newWithSize")(self.longstorage(list(base.shape)), None)
        self.fill(self.f(f"TH{t}Tensor_data")(x), base.astype(DTYPES[t]))
        if layout == "t" and v.ndim >= 2:
            y = self.f(f"TH{t}Tensor_newTranspose")(x, v.ndim - 2, v.ndim - 1)
        elif layout == "n":
            y = self.f(f"TH{t}Tensor_newNarrow")(x, 0, 1, v.shape[0])
        else:
            return x
        self.f(f"TH{t}Tensor_free")(x)
        return y

    def build(self, spec: Any) -> Any:
        kind = spec[0]
        lib = self.lib
        if kind == "tensor":
            return self.tensor(spec[1], spec[2], spec[3])
        if kind == "tensors":
            ptrs = [self.build(s) for s in spec[1]]
            arr = (ctypes.c_void_p * len(ptrs))(*ptrs)
            self.keep.append(arr)
            return ctypes.cast(arr, ctypes.c_void_p)
        if kind == "storage":
            t, v = spec[1], spec[2]
            s = self.f(f"TH{t}Storage_newWithSize")(v.size)
            self.fill(self.f(f"TH{t}Storage_data")(s), v)
            return s
        if kind == "longstorage":
            return None if spec[1] is None else self.longstorage(spec[1])
        if kind == "longarr":
            if spec[1] is None:
                return None
            arr = (ctypes.c_long * len(spec[1]))(*spec[1])
            self.keep.append(arr)
            return ctypes.cast(arr, ctypes.c_void_p)
        if kind == "gen":
            g = lib.THGenerator_new()
            lib.THRandom_manualSeed(g, spec[1])
            return g
        if kind == "rngstate":
            g = lib.THGenerator_new()
            lib.THRandom_manualSeed(g, spec[1])
            lib.THRandom_random(g)
            st = lib.THByteTensor_new()
            lib.THByteTensor_getRNGState(g, st)
            return st
        if kind in ("alias_J", "alias_q"):
            key = id(spec[2])
            if key not in self.alias:
                t = spec[1]
                probs = self.tensor(t, spec[2], "c")
                j, q = lib.THLongTensor_new(), self.f(f"TH{t}Tensor_new")()
                self.f(f"TH{t}Tensor_multinomialAliasSetup")(probs, j, q)
                self.alias[key] = (j, q)
            return self.alias[key][0 if kind == "alias_J" else 1]
        if kind == "ptr":
            c = SCALARS[spec[1]](spec[2])
            self.keep.append(c)
            return ctypes.cast(ctypes.pointer(c), ctypes.c_void_p)
        if kind == "str":
            return spec[1]
        if kind == "num":
            return spec[1]
        if kind == "null":
            return None
        raise ValueError(kind)

    def describe_tensor(self, t: str, x: int | None) -> Any:
        if not x:
            return ("null",)
        f = self.f
        nd = f(f"TH{t}Tensor_nDimension")(x)
        sizes = tuple(f(f"TH{t}Tensor_size")(x, d) for d in range(nd))
        strides = tuple(f(f"TH{t}Tensor_stride")(x, d) for d in range(nd))
        off = f(f"TH{t}Tensor_storageOffset")(x)
        st = f(f"TH{t}Tensor_storage")(x)
        ssize = f(f"TH{t}Storage_size")(st) if st else None
        n = int(np.prod(sizes)) if nd else 0
        vals = None
        if n > 0 and all(s >= 0 for s in strides):
            dt = np.dtype(DTYPES[t])
            span = sum((s - 1) * k for s, k in zip(sizes, strides, strict=True)) + 1
            ptr = f(f"TH{t}Tensor_data")(x)
            raw = np.frombuffer(ctypes.string_at(ptr, span * dt.itemsize), dtype=dt)
            vals = np.lib.stride_tricks.as_strided(
                raw, shape=sizes, strides=tuple(k * dt.itemsize for k in strides)).copy()
        return ("tensor", t, nd, sizes, strides, off, ssize, vals)

    def describe_storage(self, t: str, s: int | None) -> Any:
        if not s:
            return ("null",)
        n = self.f(f"TH{t}Storage_size")(s)
        dt = np.dtype(DTYPES[t])
        ptr = self.f(f"TH{t}Storage_data")(s)
        vals = (np.frombuffer(ctypes.string_at(ptr, n * dt.itemsize), dtype=dt).copy()
                if n > 0 and ptr else np.zeros(0, dt))
        return ("storage", t, n, vals)

    def describe_gen(self, g: int | None) -> Any:
        if not g:
            return ("null",)
        return ("gen", self.lib.THRandom_random(g), self.lib.THRandom_initialSeed(g))

    def describe(self, ctype: str, spec: Any, val: Any, after: bool) -> Any:
        tt, st = tensor_type(ctype), storage_type(ctype)
        if tt:
            return self.describe_tensor(tt, val)
        if st:
            return self.describe_storage(st, val)
        if bare(ctype) == "THGenerator *":
            return self.describe_gen(val)
        if spec is not None and spec[0] == "tensors":
            tt = tensor_type(ctype.replace("**", "*"))
            arr = ctypes.cast(val, ctypes.POINTER(ctypes.c_void_p))
            return ("list", [self.describe_tensor(tt, arr[i]) for i in range(len(spec[1]))])
        if spec is not None and spec[0] == "ptr":
            return ("num", self.keep_value(val, spec[1]))
        if spec is not None and spec[0] == "longarr" and val is not None:
            arr = ctypes.cast(val, ctypes.POINTER(ctypes.c_long))
            return ("num", tuple(arr[i] for i in range(len(spec[1]))))
        if bare(ctype) == "THDescBuff":
            return ("str", bytes(val.str).split(b"\0")[0])
        if isinstance(val, (int, float)):
            return ("num", val)
        return None

    def keep_value(self, ptr: Any, base: str) -> Any:
        return ctypes.cast(ptr, ctypes.POINTER(SCALARS[base]))[0]


def run_child(lib: Lib, proto: _apitable.Prototype, args: list[Any], wfd: int,
              outfile: str) -> None:
    """In the forked child: call and write the pickled outcome to ``wfd``; never returns."""
    try:
        fd = os.open(outfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        signal.alarm(CALL_TIMEOUT_S)
        if lib.set_capture is not None:
            lib.set_capture(1)
        b = Builder(lib)
        built = [b.build(s) for s in args]
        for i, (q, s) in enumerate(zip(proto.params, args, strict=True)):
            if bare(q.ctype) == "THHalf" and s[0] == "num":
                built[i] = int(np.array(s[1], dtype=np.float16).view(np.uint16))
        if lib.take is not None:  # an error while building: not the function's
            buf = ctypes.create_string_buffer(512)
            if lib.take(buf, 512):
                raise RuntimeError("building the arguments failed: " + buf.value.decode())
        ret = getattr(lib, proto.symbol)(*built)
        if lib.take is not None:
            buf = ctypes.create_string_buffer(2048)
            kind = lib.take(buf, 2048)
            if kind:
                outcome: Any = ("error", buf.value.decode(errors="replace"))
                os.write(wfd, pickle.dumps(outcome))
                os._exit(0)
        res = [b.describe(q.ctype, s, x, True) for q, s, x in zip(proto.params, args, built,
                                                              strict=True)]
        rdesc = b.describe(proto.restype, None, ret, True)
        if bare(proto.restype) == "THHalf":
            rdesc = ("num", float(np.array(ret, dtype=np.uint16).view(np.float16)))
        outcome = ("ok", rdesc, res)
        data = pickle.dumps(outcome)
        while data:
            n = os.write(wfd, data)
            data = data[n:]
        os._exit(0)
    except BaseException as e:  # noqa: BLE001 - harness failure, reported as such
        try:
            os.write(wfd, pickle.dumps(("harness", f"{type(e).__name__}: {e}")))
        finally:
            os._exit(3)


@dataclass
class Outcome:
    kind: str  # ok, error, crash, timeout, harness
    detail: Any = None
    ret: Any = None
    args: list[Any] = field(default_factory=list)


def call(lib: Lib, proto: _apitable.Prototype, args: list[Any]) -> Outcome:
    r, w = os.pipe()
    with tempfile.NamedTemporaryFile(prefix="thdiff", delete=False) as tmp:
        outfile = tmp.name
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        run_child(lib, proto, args, w, outfile)
    os.close(w)
    chunks = []
    while True:
        c = os.read(r, 1 << 20)
        if not c:
            break
        chunks.append(c)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    try:
        text = Path(outfile).read_text(errors="replace")
    finally:
        os.unlink(outfile)
    data = b"".join(chunks)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGALRM:
            return Outcome("timeout", f"no result after {CALL_TIMEOUT_S}s")
        return Outcome("crash", f"signal {signal.Signals(sig).name}: {text.strip()[-200:]}")
    code = os.WEXITSTATUS(status)
    if data:
        res = pickle.loads(data)
        if res[0] == "ok":
            return Outcome("ok", None, res[1], res[2])
        return Outcome(res[0], res[1])
    if code == 255 and ("$ Error" in text or "$ Invalid argument" in text):
        return Outcome("error", text.strip().splitlines()[-1][:300])
    return Outcome("crash", f"exit status {code}: {text.strip()[-200:]}")


# ---- comparison ------------------------------------------------------------------------------

def fmt_vals(v: np.ndarray | None) -> str:
    if v is None:
        return "None"
    flat = np.asarray(v).ravel()
    s = np.array2string(flat[:8], precision=5, separator=",")
    return s[:-1] + ",...]" if flat.size > 8 else s


def close(a: np.ndarray, b: np.ndarray, t: str) -> bool:
    if a.shape != b.shape:
        return False
    if t in FLOATS:
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        tol = 1e-3 if t == "Half" else (1e-4 if t == "Float" else 1e-5)
        return bool(np.allclose(a64, b64, rtol=tol, atol=tol * 1e-1, equal_nan=True))
    return bool(np.array_equal(a, b))


# Families whose results hold uninitialised memory: their contents are not compared.
UNINIT = re.compile(r"^(Tensor_(resize\w*|newWithSize\w*)|Storage_(new|newWithSize|resize))$")


def compare_desc(ours: Any, up: Any, what: str, contents: bool = True) -> str | None:
    """None when equal, else a description of the first difference."""
    if ours is None and up is None:
        return None
    if ours is None or up is None or ours[0] != up[0]:
        return f"{what}: ours {ours and ours[0]} upstream {up and up[0]}"
    kind = ours[0]
    if kind == "null":
        return None
    if kind == "tensor":
        _, t, nd, sz, st, off, ss, vals = ours
        _, _, und, usz, ust, uoff, uss, uvals = up
        if nd != und:
            return f"{what} nDimension differs: ours {nd} {list(sz)} upstream {und} {list(usz)}"
        if sz != usz:
            return f"{what} sizes differ: ours {list(sz)} upstream {list(usz)}"
        if contents and ((vals is None) != (uvals is None)
                         or (vals is not None and not close(vals, uvals, t))):
            return f"{what} contents differ: ours {fmt_vals(vals)} upstream {fmt_vals(uvals)}"
        if st != ust:
            return f"{what} strides differ: ours {list(st)} upstream {list(ust)} (sizes {list(sz)})"
        if off != uoff:
            return f"{what} storage offset differs: ours {off} upstream {uoff}"
        if (ss or 0) != (uss or 0):  # no storage (upstream's new()) counts as an empty one
            return f"{what} storage size differs: ours {ss} upstream {uss}"
        return None
    if kind == "storage":
        if ours[2] != up[2]:
            return f"{what} storage size differs: ours {ours[2]} upstream {up[2]}"
        if contents and not close(ours[3], up[3], ours[1]):
            return f"{what} storage contents differ: ours {fmt_vals(ours[3])} upstream " \
                   f"{fmt_vals(up[3])}"
        return None
    if kind == "gen":
        if ours[1:] != up[1:]:
            return f"{what} generator state differs (next draw, initialSeed): ours {ours[1:]} " \
                   f"upstream {up[1:]}"
        return None
    if kind == "list":
        for i, (a, b) in enumerate(zip(ours[1], up[1], strict=False)):
            d = compare_desc(a, b, f"{what}[{i}]")
            if d:
                return d
        return None
    if kind == "num":
        a, b = ours[1], up[1]
        if isinstance(a, float) or isinstance(b, float):
            if np.isnan(a) and np.isnan(b):
                return None
            if a == b or (np.isfinite(a) and np.isfinite(b)
                          and abs(a - b) <= 1e-5 * max(abs(a), abs(b), 1e-3)):
                return None
        elif a == b:
            return None
        return f"{what} differs: ours {a!r} upstream {b!r}"
    if kind == "str":
        return None if ours[1] == up[1] else f"{what} differs: ours {ours[1]!r} upstream {up[1]!r}"
    return None


# Selections whose index output may name any of several equal elements (docs/differences.md,
# "Ties"): family -> position of the dimension argument. Values (the first argument) must agree;
# the indices (the second) must then pick those values out of the input (the third).
TIES = {"Tensor_kthvalue": 4, "Tensor_median": 3, "Tensor_mode": 3, "Tensor_topk": 4}


def picks_ties(args: list[Any], dim_at: int) -> bool:
    """Whether the index tensor in args[1] selects the values of args[0] from args[2] along the
    dimension in args[dim_at] (0-based indices; a dimension the outputs dropped is put back)."""
    described = args[0], args[1], args[2]
    if any(a is None or a[0] != "tensor" or a[7] is None for a in described):
        return False
    vals, idx, src = (a[7] for a in described)
    dim = args[dim_at][1] if args[dim_at] and args[dim_at][0] == "num" else None
    if not isinstance(dim, int) or not 0 <= dim < src.ndim:
        return False
    if idx.ndim == src.ndim - 1:
        vals, idx = np.expand_dims(vals, dim), np.expand_dims(idx, dim)
    if idx.shape != vals.shape or idx.ndim != src.ndim:
        return False
    if idx.size and (idx.min() < 0 or idx.max() >= src.shape[dim]):
        return False
    picked = np.take_along_axis(src, idx.astype(np.intp), axis=dim)
    return bool(np.array_equal(picked, vals, equal_nan=picked.dtype.kind == "f"))


def compare(proto: _apitable.Prototype, ours: Outcome, up: Outcome) -> tuple[str, str] | None:
    """(status, description) of a disagreement, or None."""
    if ours.kind == "harness" or up.kind == "harness":
        return "HARNESS", f"ours: {ours.detail} / upstream: {up.detail}"
    if ours.kind in ("crash", "timeout") or up.kind in ("crash", "timeout"):
        if ours.kind == up.kind:
            return "BOTH-CRASH", f"both {ours.kind}: upstream {up.detail}"
        return "CRASH", f"ours {ours.kind} {ours.detail or ''} / upstream {up.kind} " \
                        f"{up.detail or ''}".strip()
    if ours.kind != up.kind:
        if up.kind == "error":
            return "ERROR-MISMATCH", f"upstream raised ({up.detail}), ours returned"
        return "ERROR-MISMATCH", f"ours raised ({ours.detail}), upstream returned"
    if ours.kind == "error":
        return None
    contents = not UNINIT.match(proto.family or "")
    d = compare_desc(ours.ret, up.ret, "return value", contents)
    if d:
        return "DIFF", d
    ties = TIES.get(proto.family or "")
    for i, (q, a, b) in enumerate(zip(proto.params, ours.args, up.args, strict=True)):
        d = compare_desc(a, b, f"arg {i + 1} ({q.name})", contents or i > 0)
        if d and not (ties is not None and i == 1 and compare_desc(a, b, "", False) is None
                      and picks_ties(ours.args, ties)):
            return "DIFF", d
    return None


SEVERITY = ["CRASH", "ERROR-MISMATCH", "DIFF", "HARNESS", "BOTH-CRASH"]


@dataclass
class PairResult:
    symbol: str
    group: str
    status: str  # OK, UNTESTED (every argument set raised in both), or a SEVERITY entry
    detail: str = ""
    others: list[str] = field(default_factory=list)
    agree_ok: int = 0
    agree_err: int = 0


def run_pair(ours: Lib, up: Lib, proto: _apitable.Prototype, seed: int) -> PairResult:
    group = family_group(proto.symbol, proto.family)
    res = PairResult(proto.symbol, group, "OK")
    if proto.symbol not in up.fn:
        return PairResult(proto.symbol, group, "MISSING", "not exported by upstream")
    if proto.symbol not in ours.fn:
        return PairResult(proto.symbol, group, "MISSING", "not exported by ours")
    try:
        argsets = make_argsets(proto, seed)
    except NotImplementedError as e:
        return PairResult(proto.symbol, group, "SKIPPED", str(e))
    found: list[tuple[str, str]] = []
    for k, args in enumerate(argsets):
        o, u = call(ours, proto, args), call(up, proto, args)
        d = compare(proto, o, u)
        if d is None:
            if o.kind == "ok":
                res.agree_ok += 1
            else:
                res.agree_err += 1
            continue
        found.append((d[0], f"[set {k} {describe_args(args)}] {d[1]}"))
    if found:
        found.sort(key=lambda x: SEVERITY.index(x[0]))
        res.status, res.detail = found[0]
        res.others = [f"{st}: {d}" for st, d in found[1:]]
        if len(found) > 1:
            res.detail += f" (+{len(found) - 1} more argument sets differ)"
    elif res.agree_ok == 0:
        res.status = "UNTESTED"
        res.detail = "every argument set raised in both"
    return res


def load_libs(ours_path: str, up_path: str) -> tuple[Lib, Lib, list[_apitable.Prototype]]:
    protos = _apitable.load()
    preload_openblas()
    return Lib(ours_path, protos, True), Lib(up_path, protos, False), protos


def run(ours_path: str, up_path: str, only: str | None = None, seed: int = 1,
        progress: bool = False) -> tuple[list[PairResult], list[str]]:
    ours, up, protos = load_libs(ours_path, up_path)
    results, skipped_syms = [], []
    pattern = re.compile(only) if only else None
    for p in protos:
        if pattern and not pattern.search(p.symbol):
            continue
        if skipped(p):
            skipped_syms.append(p.symbol)
            continue
        t0 = time.time()
        r = run_pair(ours, up, p, seed)
        results.append(r)
        if progress:
            print(f"{r.status:15s} {p.symbol} ({time.time() - t0:.2f}s) {r.detail[:150]}",
                  file=sys.stderr, flush=True)
    return results, skipped_syms


def report(results: list[PairResult], skipped_syms: list[str], ours: str, up: str,
           seed: int) -> str:
    from collections import Counter, defaultdict
    lines = [f"libTH differential comparison: ours {ours} vs upstream {up}, seed {seed}, "
             f"{N_ARGSETS} argument sets per (function, type)", ""]
    counts = Counter(r.status for r in results)
    lines.append("Summary: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) +
                 f", skipped (raw pointers, files, handlers, memory) {len(skipped_syms)}")
    lines.append(f"(function, type) pairs compared: {len(results)}")
    bad = [r for r in results if r.status in SEVERITY]
    by_group: dict[str, list[PairResult]] = defaultdict(list)
    for r in bad:
        by_group[r.group].append(r)
    order = ["Reduce", "Index", "Random", "Math", "Pointwise", "Conv", "Lapack", "Tensor",
             "Storage", "Copy", "other"]
    for g in order:
        if g not in by_group:
            continue
        lines += ["", f"== {g} ({len(by_group[g])})"]
        for r in by_group[g]:
            lines.append(f"{r.status:14s} {r.symbol}: {r.detail}")
            lines += [f"{'':14s}   also {o}" for o in r.others]
    for status, title in (("UNTESTED", "every argument set raised in both libraries"),
                          ("MISSING", "symbol missing"), ("SKIPPED", "no argument generator")):
        sel = [r for r in results if r.status == status]
        if sel:
            lines += ["", f"== {status}: {title} ({len(sel)})"]
            lines += [f"{r.symbol}: {r.detail}" for r in sel]
    lines += ["", f"== skipped ({len(skipped_syms)}): " + " ".join(skipped_syms)]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ours", required=True, help="our libTH.so")
    ap.add_argument("--upstream", required=True, help="upstream libTH.so.0")
    ap.add_argument("--only", help="regular expression on the C symbol")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report", help="write the report here (default: stdout)")
    ap.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    a = ap.parse_args()
    results, skipped_syms = run(a.ours, a.upstream, a.only, a.seed, a.verbose)
    text = report(results, skipped_syms, a.ours, a.upstream, a.seed)
    if a.report:
        Path(a.report).write_text(text)
        print(text.split("\n\n")[1] if "\n\n" in text else text)
    else:
        sys.stdout.write(text)
    return 1 if any(r.status in SEVERITY[:3] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
