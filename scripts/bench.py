"""One benchmark run: torchbind, numpy and (when installed) PyTorch CPU on the same data, plus
the machine's own memory bandwidth (scripts/membw.c, built here).

    python scripts/bench.py                 # full run: table, bench/results.json, bench/results.png
    python scripts/bench.py --quick         # smaller sizes, for a smoke test
    python scripts/bench.py --only latency  # the per-call latency table only
    python scripts/bench.py --only import   # import cost against numpy's, fresh processes
    python scripts/bench.py --only sweep    # sizes 2^8..2^24, warm and after idling: bench/sweep.*

Times are the best of several repeats. Ratios are `best contender time / torchbind time`
(above 1: torchbind is faster); bandwidth is the bytes an operation must move divided by its time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# OpenBLAS's idle threads spin for about 2^28 cycles after each call, taking a core from whoever
# runs next (measured: torchbind's dot 20% slower right after numpy's). 2^4 cycles puts them to
# sleep at once, for numpy's OpenBLAS and ours alike, so that no contender pays for another's.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
PAUSE = 0.05  # seconds of idling before each timed single call (see best_times)

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench"

try:
    import torch
except ImportError:
    torch = None


def best_times(fns: dict[str, Callable[[], Any]], repeat: int, number: int = 1) -> dict[str, float]:
    """Per contender, the best of `repeat` timings of `number` calls, per call, in seconds. The
    contenders take turns within each round, so that a slow spell of the machine (a neighbour on
    the host, a frequency change) falls on all of them rather than on whoever ran then. Before
    each timing of single calls the machine idles for PAUSE: a library's thread pool spins for a
    while after a call (PyTorch's slowed the next contender's addmm by 60%), and no contender
    should pay for another's."""
    for fn in fns.values():
        fn()
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            if number == 1:
                time.sleep(PAUSE)
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (time.perf_counter() - t0) / number)
    return best


def membw() -> dict[str, float]:
    """Copy and triad bandwidth of this machine in GB/s, from scripts/membw.c."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return {}
    with tempfile.TemporaryDirectory() as d:
        exe = Path(d) / "membw"
        subprocess.run([cc, "-O3", "-fopenmp", str(ROOT / "scripts" / "membw.c"), "-o", str(exe)],
                       check=True)
        out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    words = out.split()
    return {"copy": float(words[1]), "triad": float(words[3])}


class Bench:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.rows: list[dict[str, Any]] = []

    def add(self, name: str, dtype: str, fns: dict[str, Callable[[], Any] | None],
            nbytes: int = 0, repeat: int = 9, number: int = 1) -> None:
        times = best_times({k: f for k, f in fns.items() if f is not None}, repeat, number)
        others = [t for k, t in times.items() if k != "torchbind"]
        row = {"workload": name, "dtype": dtype, "seconds": times,
               "ratio_vs_best": min(others) / times["torchbind"] if others else None}
        if nbytes:
            row["bytes"] = nbytes
            row["torchbind_GBps"] = nbytes / times["torchbind"] / 1e9
        self.rows.append(row)
        shown = "  ".join(f"{k} {v * 1e6:10.1f}us" if v < 1e-3 else f"{k} {v * 1e3:8.2f}ms"
                          for k, v in times.items())
        ratio = f"{row['ratio_vs_best']:.2f}" if row["ratio_vs_best"] else "-"
        print(f"{name:<28} {dtype:<7} {shown}   ratio {ratio}", flush=True)


LATENCY_ROWS = ("t + t", "t * 2.0", "t[2:5]", "t[1, 2]", "sort 16", "max dim=1", "index_select",
                "dot", "sumall", "zeros((4, 4))", "from_numpy", "np.asarray(t)")


def latency_calls() -> dict[str, dict[str, Callable[[], Any]]]:
    """The small calls of issue 13, per row: torchbind, PyTorch and numpy on the same float32
    data (16 values; a 4x4 matrix for item access, max and index_select)."""
    import torchbind.float_tensor as F
    import torchbind.long_tensor as L
    a = np.arange(16, dtype=np.float32)[::-1].copy()
    m = a.reshape(4, 4).copy()
    ix = np.array([3, 0, 2], dtype=np.int64)
    x, xm, xi = F.from_numpy(a), F.from_numpy(m), L.from_numpy(ix)
    rows: dict[str, dict[str, Callable[[], Any]]] = {
        "t + t": {"torchbind": lambda: x + x, "numpy": lambda: a + a},
        "t * 2.0": {"torchbind": lambda: x * 2.0, "numpy": lambda: a * 2.0},
        "t[2:5]": {"torchbind": lambda: x[2:5], "numpy": lambda: a[2:5]},
        "t[1, 2]": {"torchbind": lambda: xm[1, 2], "numpy": lambda: m[1, 2]},
        "sort 16": {"torchbind": lambda: F.sort(x, 0, 0), "numpy": lambda: np.sort(a)},
        "max dim=1": {"torchbind": lambda: F.max(xm, 1, 0),
                      "numpy": lambda: (m.max(1), m.argmax(1))},
        "index_select": {"torchbind": lambda: F.index_select(xm, 0, xi),
                         "numpy": lambda: m.take(ix, 0)},
        "dot": {"torchbind": lambda: F.dot(x, x), "numpy": lambda: np.dot(a, a)},
        "sumall": {"torchbind": lambda: F.sumall(x), "numpy": lambda: a.sum()},
        "zeros((4, 4))": {"torchbind": lambda: F.zeros((4, 4)),
                          "numpy": lambda: np.zeros((4, 4), np.float32)},
        "from_numpy": {"torchbind": lambda: F.from_numpy(a), "numpy": lambda: np.asarray(a)},
        "np.asarray(t)": {"torchbind": lambda: np.asarray(x), "numpy": lambda: np.asarray(a)},
    }
    if torch is not None:
        ta, tm, ti = torch.from_numpy(a), torch.from_numpy(m), torch.from_numpy(ix)
        extra: dict[str, Callable[[], Any]] = {
            "t + t": lambda: ta + ta, "t * 2.0": lambda: ta * 2.0, "t[2:5]": lambda: ta[2:5],
            "t[1, 2]": lambda: tm[1, 2], "sort 16": lambda: torch.sort(ta),
            "max dim=1": lambda: tm.max(1), "index_select": lambda: tm.index_select(0, ti),
            "dot": lambda: torch.dot(ta, ta), "sumall": lambda: ta.sum(),
            "zeros((4, 4))": lambda: torch.zeros((4, 4)),
            "from_numpy": lambda: torch.from_numpy(a), "np.asarray(t)": lambda: np.asarray(ta)}
        for k, fn in extra.items():
            rows[k]["torch"] = fn
    assert tuple(rows) == LATENCY_ROWS
    return rows


def latency_table(rounds: int = 5, number: int = 2000) -> dict[str, dict[str, float]]:
    """Per row and contender, the median over `rounds` of the best of 5 timings of `number`
    calls (seconds per call); prints the table with torchbind/PyTorch, torchbind/numpy and the
    geometric means. The contenders take turns within each timing (see best_times)."""
    calls = latency_calls()
    runs: dict[str, dict[str, list[float]]] = {r: {} for r in calls}
    for _ in range(rounds):
        for row, fns in calls.items():
            for k, v in best_times(fns, 5, number).items():
                runs[row].setdefault(k, []).append(v)
    med = {row: {k: sorted(v)[len(v) // 2] for k, v in d.items()} for row, d in runs.items()}
    print(f"latency, float32, median of {rounds} rounds (us per call):")
    print(f"{'call':<15} {'torchbind':>9} {'PyTorch':>8} {'numpy':>7} {'tb/PyTorch':>10} "
          f"{'tb/numpy':>8}")
    ratios_t, ratios_n = [], []
    for row, t in med.items():
        rt = t["torchbind"] / t["torch"] if "torch" in t else float("nan")
        rn = t["torchbind"] / t["numpy"]
        ratios_t.append(rt)
        ratios_n.append(rn)
        print(f"{row:<15} {t['torchbind'] * 1e6:9.2f} {t.get('torch', float('nan')) * 1e6:8.2f}"
              f" {t['numpy'] * 1e6:7.2f} {rt:10.2f} {rn:8.2f}")
    gm_t = float(np.exp(np.mean(np.log(ratios_t))))
    gm_n = float(np.exp(np.mean(np.log(ratios_n))))
    print(f"{'geometric mean':<42} {gm_t:10.2f} {gm_n:8.2f}", flush=True)
    return med


def latency(b: Bench) -> None:
    for row, fns in latency_calls().items():
        b.add(f"latency {row}", "float32", fns, repeat=7, number=2000)


def import_cost(runs: int = 21) -> dict[str, float]:
    """Median import times (ms) of numpy and torchbind.float_tensor in fresh processes, taking
    turns in one loop: `-X importtime`'s cumulative figure for the module, and the wall time of
    the whole process. Bytecode is written and used (as an installed package's is)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    mods = ("numpy", "torchbind.float_tensor")
    samples: dict[str, list[float]] = {f"{m} {k}": [] for m in mods for k in ("import", "wall")}
    for i in range(runs + 1):
        for m in mods:
            t0 = time.perf_counter()
            err = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {m}"],
                                 cwd=ROOT, env=env, capture_output=True, text=True,
                                 check=True).stderr
            wall = time.perf_counter() - t0
            if i == 0:
                continue  # the first run writes the bytecode
            top = [ln for ln in err.splitlines() if ln.rstrip().endswith(f"| {m}")]
            samples[f"{m} import"].append(int(top[-1].split("|")[1]) / 1e3)
            samples[f"{m} wall"].append(wall * 1e3)
    med = {k: sorted(v)[len(v) // 2] for k, v in samples.items()}
    print(f"import (median of {runs} fresh processes each, ms): "
          + ", ".join(f"{k} {v:.1f}" for k, v in med.items())
          + f"; ratio import {med['torchbind.float_tensor import'] / med['numpy import']:.2f},"
          f" wall {med['torchbind.float_tensor wall'] / med['numpy wall']:.2f}", flush=True)
    return med


def large(b: Bench) -> None:
    import torchbind.double_tensor as D
    import torchbind.float_tensor as F
    import torchbind.int_tensor as I
    n = 1 << (20 if b.quick else 25)
    rng = np.random.default_rng(0)
    for mod, dt in ((F, "float32"), (D, "float64"), (I, "int32")):
        item = np.dtype(dt).itemsize
        a = (rng.standard_normal(n) if dt != "int32" else rng.integers(-9, 9, n)).astype(dt)
        c = (rng.standard_normal(n) if dt != "int32" else rng.integers(1, 9, n)).astype(dt)
        r = np.empty_like(a)
        x, y, z = mod.from_numpy(a), mod.from_numpy(c), mod.from_numpy(r)
        ta, tc, tr = (torch.from_numpy(v) for v in (a, c, r)) if torch else (None,) * 3
        T = torch is not None
        b.add(f"dot 2^{n.bit_length() - 1}", dt, {
            "torchbind": lambda: mod.dot(x, y), "numpy": lambda: np.dot(a, c),
            "torch": (lambda: torch.dot(ta, tc)) if T and dt != "int32" else None}, 2 * n * item)
        b.add("sumall", dt, {
            "torchbind": lambda: mod.sumall(x), "numpy": lambda: a.sum(),
            "torch": (lambda: ta.sum()) if T else None}, n * item)
        b.add("cadd (out=)", dt, {
            "torchbind": lambda: mod.cadd(x, 1, y, out=z), "numpy": lambda: np.add(a, c, out=r),
            "torch": (lambda: torch.add(ta, tc, out=tr)) if T else None}, 3 * n * item)
        b.add("cmul (out=)", dt, {
            "torchbind": lambda: mod.cmul(x, y, out=z),
            "numpy": lambda: np.multiply(a, c, out=r),
            "torch": (lambda: torch.mul(ta, tc, out=tr)) if T else None}, 3 * n * item)
        b.add("fill", dt, {
            "torchbind": lambda: mod.fill(z, 1), "numpy": lambda: r.fill(1),
            "torch": (lambda: tr.fill_(1)) if T else None}, n * item)
        b.add("copy contiguous", dt, {
            "torchbind": lambda: z.copy_(x), "numpy": lambda: np.copyto(r, a),
            "torch": (lambda: tr.copy_(ta)) if T else None}, 2 * n * item)
        side = 1 << ((n.bit_length() - 1) // 2)
        a2, r2 = a[: side * side].reshape(side, side), r[: side * side].reshape(side, side)
        x2, z2 = mod.from_numpy(a2), mod.from_numpy(r2)
        ta2, tr2 = (torch.from_numpy(a2), torch.from_numpy(r2)) if T else (None, None)
        b.add("copy transposed", dt, {
            "torchbind": lambda: z2.copy_(x2.t()), "numpy": lambda: np.copyto(r2, a2.T),
            "torch": (lambda: tr2.copy_(ta2.t())) if T else None}, 2 * side * side * item)
        if dt == "int32":
            continue
        b.add("exp (out=)", dt, {
            "torchbind": lambda: mod.exp(x, out=z), "numpy": lambda: np.exp(a, out=r),
            "torch": (lambda: torch.exp(ta, out=tr)) if T else None}, 2 * n * item)

        def np_sigmoid() -> None:
            np.negative(a, out=r)
            np.exp(r, out=r)
            np.add(r, 1, out=r)
            np.reciprocal(r, out=r)

        b.add("sigmoid (out=)", dt, {
            "torchbind": lambda: mod.sigmoid(x, out=z), "numpy": np_sigmoid,
            "torch": (lambda: torch.sigmoid(ta, out=tr)) if T else None}, 2 * n * item)


def matrices(b: Bench) -> None:
    import torchbind.double_tensor as D
    import torchbind.float_tensor as F
    rng = np.random.default_rng(1)
    side = 1024 if b.quick else 4096
    for mod, dt in ((F, "float32"), (D, "float64")):
        a = rng.standard_normal((side, side)).astype(dt)
        x = mod.from_numpy(a)
        ta = torch.from_numpy(a) if torch else None
        T = torch is not None
        item = a.itemsize
        for dim in (0, 1):
            b.add(f"sum dim={dim} {side}^2", dt, {
                "torchbind": lambda dim=dim: mod.sum(x, dim, 0),
                "numpy": lambda dim=dim: a.sum(dim),
                "torch": (lambda dim=dim: ta.sum(dim)) if T else None}, side * side * item)
            b.add(f"max dim={dim} {side}^2", dt, {
                "torchbind": lambda dim=dim: mod.max(x, dim, 0),
                "numpy": lambda dim=dim: (a.max(dim), a.argmax(dim)),
                "torch": (lambda dim=dim: ta.max(dim)) if T else None}, side * side * item)
        m = 256 if b.quick else 1024
        p, q = (rng.standard_normal((m, m)).astype(dt) for _ in range(2))
        r = np.empty((m, m), dt)
        xp, xq, xr = mod.from_numpy(p), mod.from_numpy(q), mod.from_numpy(r)
        tp, tq, tr = (torch.from_numpy(v) for v in (p, q, r)) if T else (None,) * 3
        b.add(f"addmm {m}^3", dt, {
            "torchbind": lambda: mod.addmm(0, xr, 1, xp, xq, out=xr),
            "numpy": lambda: np.matmul(p, q, out=r),
            "torch": (lambda: torch.mm(tp, tq, out=tr)) if T else None}, repeat=7)
    n = 1 << (18 if b.quick else 22)
    a = rng.standard_normal(n).astype(np.float32)
    x = F.from_numpy(a)
    ta = torch.from_numpy(a) if torch else None
    b.add(f"sort 2^{n.bit_length() - 1}", "float32", {
        "torchbind": lambda: F.sort(x, 0, 0), "numpy": lambda: np.sort(a),
        "torch": (lambda: torch.sort(ta)) if torch else None}, repeat=5)


def chart(rows: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    labels = [f"{r['workload']} {r['dtype']}" for r in rows if r["ratio_vs_best"]]
    ratios = [r["ratio_vs_best"] for r in rows if r["ratio_vs_best"]]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(labels) + 1.5))
    ax.barh(labels, ratios, color=["tab:green" if v >= 0.9 else "tab:red" for v in ratios])
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.axvline(0.9, color="gray", linestyle="--", linewidth=0.8)
    ax.set_xlabel("best of numpy / PyTorch time ÷ torchbind time (>1: torchbind faster)")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True

SWEEP_OPS = ("sumall", "cadd", "fill", "exp", "sort")
SWEEP_PATTERNS = ("warm", "idle")
SORT_MAX_LOG2 = 20  # sort above this takes seconds per size


def machine_line() -> str:
    """CPU model, cores, torchbind's and PyTorch's threads and the load: the sweep's caption."""
    from torchbind import ffi
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    tt = f", PyTorch {torch.__version__} {torch.get_num_threads()} threads" if torch else ""
    return (f"{model}, {os.cpu_count()} cores, torchbind {ffi.TH.THGetNumThreads()} OpenMP "
            f"threads, numpy {np.__version__}{tt}, load average {load:.1f}")


def sweep_calls(n: int) -> dict[str, dict[str, Callable[[], Any]]]:
    """Per operation, torchbind's, numpy's and PyTorch's call on the same n float32 values."""
    import torchbind.float_tensor as F
    rng = np.random.default_rng(n)
    a, c = rng.standard_normal(n).astype(np.float32), rng.standard_normal(n).astype(np.float32)
    r = np.empty_like(a)
    x, y, z = F.from_numpy(a), F.from_numpy(c), F.from_numpy(r)
    calls: dict[str, dict[str, Callable[[], Any]]] = {
        "sumall": {"torchbind": lambda: F.sumall(x), "numpy": lambda: a.sum()},
        "cadd": {"torchbind": lambda: F.cadd(x, 1, y, out=z), "numpy": lambda: np.add(a, c, out=r)},
        "fill": {"torchbind": lambda: F.fill(z, 1), "numpy": lambda: r.fill(1)},
        "exp": {"torchbind": lambda: F.exp(x, out=z), "numpy": lambda: np.exp(a, out=r)},
        "sort": {"torchbind": lambda: F.sort(x, 0, 0), "numpy": lambda: np.sort(a)},
    }
    if torch is not None:
        ta, tc, tr = (torch.from_numpy(v) for v in (a, c, r))
        calls["sumall"]["torch"] = lambda: ta.sum()
        calls["cadd"]["torch"] = lambda: torch.add(ta, tc, out=tr)
        calls["fill"]["torch"] = lambda: tr.fill_(1)
        calls["exp"]["torch"] = lambda: torch.exp(ta, out=tr)
        calls["sort"]["torch"] = lambda: torch.sort(ta)
    if n > 1 << SORT_MAX_LOG2:
        del calls["sort"]
    return calls


def median_times(fns: dict[str, Callable[[], Any]], idle: bool, rounds: int) -> dict[str, float]:
    """Per contender, the median over `rounds` of one timing, the contenders taking turns. Warm:
    a timing is a batch of back-to-back calls (about 0.2 ms or one call), after one untimed call.
    Idle: a timing is one call after time.sleep(PAUSE), as in a program that did other things."""
    number = dict.fromkeys(fns, 1)
    if not idle:
        for k, fn in fns.items():
            fn()
            t0 = time.perf_counter()
            fn()
            number[k] = max(1, min(1000, int(2e-4 / max(time.perf_counter() - t0, 1e-7))))
    runs: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            if idle:
                time.sleep(PAUSE)
            else:
                fn()
            t0 = time.perf_counter()
            for _ in range(number[k]):
                fn()
            runs[k].append((time.perf_counter() - t0) / number[k])
    return {k: sorted(v)[len(v) // 2] for k, v in runs.items()}


def sweep(out: Path, quick: bool = False, rounds: int = 7) -> list[dict[str, Any]]:
    """Every even power of two from 2^8 to 2^24 (2^16 with quick), each operation in both
    patterns; prints the ratio table and writes sweep.csv (and sweep.png with matplotlib)."""
    sizes = [1 << p for p in range(8, (16 if quick else 24) + 1, 2)]
    caption = machine_line()
    print(f"sweep, float32: {caption}", flush=True)
    rows: list[dict[str, Any]] = []
    for n in sizes:
        calls = sweep_calls(n)
        for pattern in SWEEP_PATTERNS:
            for op, fns in calls.items():
                reps = rounds if pattern == "warm" else max(3, rounds - 2)
                if n >= 1 << 22 or (op == "sort" and n >= 1 << 18):
                    reps = max(3, reps - 2)
                t = median_times(fns, pattern == "idle", reps)
                best = min(v for k, v in t.items() if k != "torchbind")
                rows.append({"op": op, "pattern": pattern, "n": n, "torchbind": t["torchbind"],
                             "numpy": t["numpy"], "torch": t.get("torch"),
                             "ratio": best / t["torchbind"]})
    print("ratio = best of numpy/PyTorch time / torchbind time (median; >1: torchbind faster)")
    print(f"{'op':<7} {'pattern':<7} " + " ".join(f"{'2^' + str(n.bit_length() - 1):>6}"
                                                 for n in sizes))
    for op in SWEEP_OPS:
        for pattern in SWEEP_PATTERNS:
            got = {r["n"]: r["ratio"] for r in rows if r["op"] == op and r["pattern"] == pattern}
            print(f"{op:<7} {pattern:<7} " + " ".join(f"{got[n]:6.2f}" if n in got else f"{'-':>6}"
                                                     for n in sizes))
    low = [r for r in rows if r["ratio"] < 0.9]
    print(f"{len(low)} of {len(rows)} below 0.9" + (": " + ", ".join(
        f"{r['op']} {r['pattern']} 2^{r['n'].bit_length() - 1} {r['ratio']:.2f}" for r in low)
        if low else ""))
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "sweep.csv", "w") as f:
        f.write(f"# {caption}\n")
        f.write("op,pattern,n,torchbind_s,numpy_s,torch_s,ratio\n")
        for r in rows:
            f.write(f"{r['op']},{r['pattern']},{r['n']},{r['torchbind']:.4g},{r['numpy']:.4g},"
                    f"{'' if r['torch'] is None else format(r['torch'], '.4g')},"
                    f"{r['ratio']:.3f}\n")
    png = sweep_chart(rows, caption, out / "sweep.png")
    print(f"wrote {out / 'sweep.csv'}" + (f" and {out / 'sweep.png'}" if png else
                                          " (no matplotlib: no chart)"), flush=True)
    return rows


def sweep_chart(rows: list[dict[str, Any]], caption: str, path: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(9, 5.5))
    colors = dict(zip(SWEEP_OPS, ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"),
                      strict=True))
    for op in SWEEP_OPS:
        for pattern, style in zip(SWEEP_PATTERNS, ("-", "--"), strict=True):
            pts = sorted((r["n"], r["ratio"]) for r in rows
                         if r["op"] == op and r["pattern"] == pattern)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", markersize=3,
                        color=colors[op], label=f"{op} ({pattern})")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.axhline(0.9, color="gray", linestyle=":", linewidth=0.8)
    ax.set_xlabel("float32 elements")
    ax.set_ylabel("best of numpy/PyTorch time ÷ torchbind time (>1: torchbind faster)")
    ax.set_title("torchbind against the best of numpy and PyTorch: warm calls (solid), "
                 "one call after 50 ms idle (dashed)", fontsize=9)
    fig.text(0.5, 0.01, caption, ha="center", fontsize=7)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True



def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    ap.add_argument("--out", type=Path, default=OUT, help="where results.json/.png go")
    ap.add_argument("--only", choices=("latency", "import", "sweep"),
                    help="one table only: the small calls' latency, the import cost, or the "
                    "size sweep (bench/sweep.csv and .png)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the --only tables")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.only == "latency":
        latency_table(args.rounds)
        return 0
    if args.only == "import":
        import_cost(args.rounds)
        return 0
    if args.only == "sweep":
        sweep(args.out, args.quick, max(3, args.rounds + 2))
        return 0
    from torchbind.__main__ import info

    machine = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
               "numpy": np.__version__, "torch": torch.__version__ if torch else None,
               "torch_threads": torch.get_num_threads() if torch else None, **info()}
    bw = membw()
    print(f"machine: {machine['cores']} cores, memory bandwidth {bw} GB/s, BLAS {machine['BLAS']}")
    b = Bench(args.quick)
    latency(b)
    large(b)
    matrices(b)
    for row in b.rows:
        if "torchbind_GBps" in row and bw:
            row["fraction_of_machine_bandwidth"] = row["torchbind_GBps"] / bw["copy"]
    args.out.mkdir(parents=True, exist_ok=True)
    result = {"machine": machine, "bandwidth_GBps": bw, "rows": b.rows, "quick": args.quick}
    (args.out / "results.json").write_text(json.dumps(result, indent=1))
    png = chart(b.rows, args.out / "results.png")
    print(f"wrote {args.out / 'results.json'}" + (f" and {args.out / 'results.png'}" if png else
                                                  " (no matplotlib: no chart)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
