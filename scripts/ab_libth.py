"""A/B speed of two libTH builds in one process: best-of times per call, interleaved.

    OMP_NUM_THREADS=1 python scripts/ab_libth.py OLD.so NEW.so [--only SUBSTR]
        [--sizes 4096,65536] [--types Float,Int] [--rounds 25]

Both libraries are loaded side by side (ctypes, RTLD_LOCAL) and called directly, without
torchbind, so a build change is measured apart from the Python layer. Each operation runs on
four views of the same data: c contiguous, t transposed, n narrowed (row-contiguous, not
contiguous, result too), m narrowed operands into a contiguous result. Rounds alternate between
the libraries; each keeps its best time. Ratios NEW/OLD above 1.08 are marked <<, below 0.92 >>.

Reading the figures: with one thread (OMP_NUM_THREADS=1) runs repeat within a few percent on a
quiet machine; with a team, the VM's preempted second vCPU makes single rows swing by 2x. Run a
flagged row again, and swap the libraries: a row whose ratio follows the library is real. Real
is not always the code: on this project's VM (an Intel core with the JCC erratum's microcode
fix) a tight loop runs 1.5-2x slower when a jump in it crosses a 32-byte boundary, so an
unrelated change elsewhere in a unit can move one loop's speed with the same instructions
(compare them with valgrind --tool=cachegrind before blaming the compiler's code).
"""

from __future__ import annotations

import argparse
import ctypes as C
import math
import time
from collections.abc import Callable
from functools import partial
from typing import Any

T, F, D, INT, L = C.c_void_p, C.c_float, C.c_double, C.c_int, C.c_long
Call = Callable[[], Any]


class Side:
    """One library's tensors for one element type and size: the operands every case uses."""

    def __init__(self, path: str, ty: str, n: int) -> None:
        self.lib = C.CDLL(path, mode=C.RTLD_LOCAL)
        self.ty = ty
        self.real: Any = {"Float": F, "Double": D, "Int": INT, "Long": L}[ty]
        self.rows = rows = max(n // 256, 1)
        gen = self.fn("THGenerator_new", [], T)()
        uniform = self.fn("THFloatTensor_uniform", [T, T, D, D])
        fnew = self.fn("THFloatTensor_newWithSize2d", [L, L], T)
        new = self.op("newWithSize2d", [L, L], T)
        copy = self.op("copyFloat", [T, T])
        narrow = self.op("newNarrow", [T, INT, L, L], T)
        transpose = self.op("newTranspose", [T, INT, INT], T)

        def filled(r: int, c: int) -> int:
            src, t = fnew(r, c), new(r, c)
            uniform(src, gen, 1.0, 100.0)
            copy(t, src)
            return int(t)

        self.a, self.b = filled(1, n), filled(1, n)
        self.A, self.B = filled(rows, 256), filled(rows, 256)
        self.views = {
            "c": (self.a, self.b, new(1, n)),
            "t": (transpose(self.A, 0, 1), transpose(self.B, 0, 1), new(256, rows)),
            "n": (narrow(self.A, 1, 0, 128), narrow(self.B, 1, 0, 128),
                  narrow(new(rows, 256), 1, 0, 128)),
            "m": (narrow(self.A, 1, 0, 128), narrow(self.B, 1, 0, 128), new(rows, 128)),
        }
        self.out, self.byte = new(0, 0), self.fn("THByteTensor_new", [], T)()
        self.longs = self.fn("THLongTensor_new", [], T)()
        lnew = self.fn("THLongTensor_newWithSize1d", [L], T)
        ldata = self.fn("THLongTensor_data", [T], C.POINTER(C.c_long))
        self.index = lnew(max(rows // 2, 1))  # every other row, last first (1-based, as TH's)
        p = ldata(self.index)
        for j in range(max(rows // 2, 1)):
            p[j] = max(rows - 2 * j, 1)

    def fn(self, name: str, argtypes: list[Any], restype: Any = None) -> Any:
        """The library's NAME with its prototype."""
        f = getattr(self.lib, name)
        f.argtypes, f.restype = argtypes, restype
        return f

    def op(self, name: str, argtypes: list[Any], restype: Any = None) -> Any:
        """TH<type>Tensor_NAME of this side's type."""
        return self.fn(f"TH{self.ty}Tensor_{name}", argtypes, restype)


def cases(s: Side) -> list[tuple[str, Call]]:
    """(name, call) for every case on this side; both sides list the same names."""
    R, floating = s.real, s.ty in ("Float", "Double")
    out: list[tuple[str, Call]] = []
    unary = ["abs"] + (["exp", "sigmoid", "tanh"] if floating else [])
    for view, (a, b, r) in s.views.items():
        for name in unary:
            g = s.op(name, [T, T])
            out.append((f"{name}.{view}", partial(g, r, a)))
        g = s.op("clamp", [T, T, R, R])
        out.append((f"clamp.{view}", partial(g, r, a, R(10), R(50))))
        g = s.op("ltValue", [T, T, R])
        out.append((f"ltValue.{view}", partial(g, s.byte, a, R(50))))
        g = s.op("cadd", [T, T, R, T])
        out.append((f"cadd.{view}", partial(g, r, a, R(2), b)))
        g = s.op("cmul", [T, T, T])
        out.append((f"cmul.{view}", partial(g, r, a, b)))
        g = s.op("add", [T, T, R])
        out.append((f"add.{view}", partial(g, r, a, R(3))))
        g = s.op("copy", [T, T])
        out.append((f"copy.{view}", partial(g, r, a)))
        g = s.op("sumall", [T], D if floating else L)
        out.append((f"sumall.{view}", partial(g, a)))
    for view, x in (("c", s.A), ("t", s.views["t"][0])):
        for dim in (0, 1):
            g = s.op("sum", [T, T, INT, INT])
            out.append((f"sum{dim}.{view}", partial(g, s.out, x, dim, 1)))
            g = s.op("max", [T, T, T, INT, INT])
            out.append((f"max{dim}.{view}", partial(g, s.out, s.longs, x, dim, 1)))
        g = s.op("sort", [T, T, T, INT, INT])
        out.append((f"sort1.{view}", partial(g, s.out, s.longs, x, 1, 0)))
        g = s.op("kthvalue", [T, T, T, L, INT, INT])
        out.append((f"kth1.{view}", partial(g, s.out, s.longs, x, 5, 1, 1)))
        g = s.op("indexSelect", [T, T, INT, T])
        out.append((f"indexSelect0.{view}", partial(g, s.out, x, 0, s.index)))
    return out


def best_of(calls: tuple[Call, Call], rounds: int) -> tuple[float, float]:
    """Best ns per call of each, the two alternating in batches of 1-4 ms (the calls per batch
    grow fourfold until the first callable's batch takes over 1 ms)."""
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            calls[0]()
        if time.perf_counter() - t0 > 0.001 or reps > 100_000:
            break
        reps *= 4
    best = [math.inf, math.inf]
    for _ in range(rounds):
        for k, call in enumerate(calls):
            t0 = time.perf_counter_ns()
            for _ in range(reps):
                call()
            best[k] = min(best[k], (time.perf_counter_ns() - t0) / reps)
    return best[0], best[1]


def main() -> None:
    """Parse the arguments, run every case at every size and type, print the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this")
    ap.add_argument("--sizes", default="4096,65536")
    ap.add_argument("--types", default="Float,Int")
    ap.add_argument("--rounds", type=int, default=25)
    args = ap.parse_args()
    ratios: list[float] = []
    for ty in args.types.split(","):
        for n in (int(v) for v in args.sizes.split(",")):
            old, new = Side(args.old, ty, n), Side(args.new, ty, n)
            for (name, c0), (_, c1) in zip(cases(old), cases(new), strict=True):
                if args.only not in name:
                    continue
                t0, t1 = best_of((c0, c1), args.rounds)
                ratios.append(t1 / t0)
                mark = " <<" if t1 / t0 > 1.08 else " >>" if t1 / t0 < 0.92 else ""
                print(f"{ty:6} {n:8} {name:16} old {t0 / 1e3:9.2f} us  new {t1 / 1e3:9.2f} us"
                      f"  new/old {t1 / t0:5.2f}{mark}", flush=True)
    if ratios:
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"geometric mean new/old: {geo:.3f} over {len(ratios)} cases")


if __name__ == "__main__":
    main()
