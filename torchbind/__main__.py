"""``python -m torchbind info``: what this installation is made of."""

from __future__ import annotations

import ctypes
import importlib
import platform
import sys

import numpy as np

import torchbind
from torchbind import ffi


def info() -> dict[str, str]:
    """Versions, the library loaded, BLAS, SIMD level and threads."""
    blas = ffi.extension("THBlas_name", ctypes.c_char_p, [])
    simd = ffi.extension("THVector_simdLevel", ctypes.c_char_p, [])
    return {
        "torchbind": torchbind.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "platform": platform.platform(),
        "libTH": f"{ffi.LIBRARY_PATH} ({'bundled' if ffi.BUNDLED else 'TORCHBIND_TH_LIBRARY'})",
        "error capture": "yes" if ffi.CAPTURES_ERRORS else "no (upstream library: Python checks)",
        "symbols exported": f"{len(ffi.exported())} of {len(ffi.PROTOTYPES)} in the API table",
        "BLAS": blas().decode() if blas else "unknown (upstream library)",
        "OpenBLAS library": ffi.OPENBLAS_PATH or "not installed",
        "SIMD": simd().decode() if simd else "unknown (upstream library)",
        "threads": str(ffi.TH.THGetNumThreads()),
        "cores": str(ffi.TH.THGetNumCores()) if "THGetNumCores" in ffi.exported() else "?",
        "CUDA": _cuda(),
    }


def _cuda() -> str:
    """Whether libTHC was built and a GPU is visible."""
    lib = ffi.LIBRARY_PATH.with_name("libTHC.so")
    if not lib.exists():
        return "not built (no libTHC.so: the build found no CUDA compiler)"
    try:
        cuda = importlib.import_module("torchbind.cuda")
    except (ImportError, OSError) as e:
        return f"libTHC.so present but unusable: {e}"
    return str(cuda.describe())


def main(argv: list[str]) -> int:
    if argv[:1] != ["info"]:
        print("usage: python -m torchbind info", file=sys.stderr)
        return 2
    for key, value in info().items():
        print(f"{key:>17}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
