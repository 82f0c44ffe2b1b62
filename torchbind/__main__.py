"""``python -m torchbind``: what this installation is made of.

    python -m torchbind info        # versions, the libTH loaded, BLAS, SIMD level, threads, CUDA
    python -m torchbind --version   # torchbind's version
    python -m torchbind --help
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import platform
import sys

import numpy as np

import torchbind


def info() -> dict[str, str]:
    """Versions, the library loaded, BLAS, SIMD level and threads."""
    from torchbind import ffi  # here, so that --help and --version work without libTH

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
    from torchbind import ffi

    lib = ffi.LIBRARY_PATH.with_name("libTHC.so")
    if not lib.exists():
        return "not built (no libTHC.so: the build found no GPU or no CUDA compiler)"
    try:
        cuda = importlib.import_module("torchbind.cuda")
    except (ImportError, OSError) as e:
        return f"libTHC.so present but unusable: {e}"
    return str(cuda.describe())


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m torchbind",
        description="torchbind: Python bindings over ctypes to Torch7's TH tensor library.",
        epilog="Documentation: README.md and docs/ in the source distribution.")
    ap.add_argument("--version", action="version", version=f"torchbind {torchbind.__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("info", help="versions, the libTH loaded, BLAS, SIMD level, threads and CUDA",
                   description="Prints what this installation is made of.")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.command is None:
        ap.print_help(sys.stderr)
        return 2
    for key, value in info().items():
        print(f"{key:>17}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
