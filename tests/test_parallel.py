"""Threads (vendor/TH/THParallel.*): a job above the threshold (100000 elements; 32768 for exp
and sigmoid) is cut into THGetNumThreads() pieces whatever runs them, and runs them on an OpenMP
team only when earlier calls say the team pays (TH_PARALLEL_ADAPT=0: always, as before).
Behaviour only, no timings: the thread count is still the one set, the answers do not depend on
who ran the pieces, and a first large call does not start a team. Also sort at the sizes around
its algorithm cut-offs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import MATH_TYPES, module

from torchbind import ffi

ROOT = Path(__file__).resolve().parents[1]
THRESHOLD = 100000  # TH_OMP_THRESHOLD
HEAVY_THRESHOLD = 32768  # TH_OMP_THRESHOLD_HEAVY: exp and sigmoid


def run(code: str, **env: str) -> str:
    """Runs code in a fresh interpreter (the adaptive state and OpenMP's team are per process)."""
    e = {k: v for k, v in os.environ.items() if k not in ("TH_PARALLEL_ADAPT", "OMP_NUM_THREADS")}
    e.update(env)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=e, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_set_num_threads_is_kept():
    before = ffi.TH.THGetNumThreads()
    try:
        for n in (1, 2, 3, 7):
            ffi.TH.THSetNumThreads(n)
            assert ffi.TH.THGetNumThreads() == n
        ffi.TH.THSetNumThreads(0)  # below 1: one thread, as before
        assert ffi.TH.THGetNumThreads() == 1
    finally:
        ffi.TH.THSetNumThreads(before)


def test_omp_num_threads_is_the_default():
    code = ("import torchbind.float_tensor; from torchbind import ffi; "
            "print(ffi.TH.THGetNumThreads())")
    assert run(code, OMP_NUM_THREADS="3").strip() == "3"
    assert run(code, OMP_NUM_THREADS="1").strip() == "1"


THREADS_CODE = """
import os, numpy as np
import torchbind.float_tensor as F
x = F.from_numpy(np.ones(1 << 20, np.float32))
before = len(os.listdir('/proc/self/task'))
for _ in range({calls}):
    F.sumall(x)
print(len(os.listdir('/proc/self/task')) - before)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_first_large_call_starts_no_team():
    """The first call of a call site runs its pieces on the calling thread (it measures them):
    OpenMP starts no thread. With TH_PARALLEL_ADAPT=0 (the old rule) it starts the team."""
    assert run(THREADS_CODE.format(calls=1), OMP_NUM_THREADS="2").strip() == "0"
    assert run(THREADS_CODE.format(calls=1), OMP_NUM_THREADS="3",
               TH_PARALLEL_ADAPT="0").strip() == "2"
    # a thread count of one never starts a team, adaptive or not
    assert run(THREADS_CODE.format(calls=5), OMP_NUM_THREADS="1",
               TH_PARALLEL_ADAPT="0").strip() == "0"


RESULTS_CODE = """
import hashlib, json, numpy as np
import torchbind.double_tensor as D
import torchbind.float_tensor as F
import torchbind.int_tensor as I
from torchbind import ffi
ffi.TH.THSetNumThreads({threads})
out = {{}}
for n in {sizes}:
    for mod, dt in ((F, np.float32), (D, np.float64), (I, np.int32)):
        rng = np.random.default_rng(n)
        a = (rng.standard_normal(n) * 100).astype(dt)
        c = (rng.standard_normal(n) * 100).astype(dt)
        x, y = mod.from_numpy(a), mod.from_numpy(c)
        m = mod.from_numpy(a[: n // 64 * 64].reshape(64, -1))
        seen = []
        for rep in range(6):  # the first runs alone (it measures), later ones may take a team
            r = {{}}
            r["sumall"] = repr(mod.sumall(x))
            r["dot"] = repr(mod.dot(x, y))
            r["maxall"] = repr(mod.maxall(x))
            r["minall"] = repr(mod.minall(x))
            h = hashlib.sha1()
            h.update(np.asarray(mod.cadd(x, 3, y)).tobytes())
            h.update(np.asarray(mod.sum(m, 1, 0)).tobytes())
            h.update(np.asarray(mod.sum(m, 0, 0)).tobytes())
            if dt != np.int32:
                h.update(np.asarray(mod.exp(mod.div(x, 100))).tobytes())
            z = mod.empty(n)
            mod.fill(z, 7)
            h.update(np.asarray(z).tobytes())
            r["arrays"] = h.hexdigest()
            seen.append(r)
        assert all(s == seen[0] for s in seen), (n, dt, seen)
        out[f"{{n}} {{np.dtype(dt).name}}"] = seen[0]
print(json.dumps(out))
"""

SIZES = [HEAVY_THRESHOLD + 1, 50000, THRESHOLD, THRESHOLD + 1, THRESHOLD + 64, (1 << 17) + 3,
         1 << 20]


def test_answers_do_not_depend_on_who_runs_the_pieces():
    """Near and above the threshold, the same call gives the same bits every time (first run
    alone, later ones on a team or not), and the same bits as with a team every time."""
    code = RESULTS_CODE.format(threads=2, sizes=SIZES)
    adaptive = json.loads(run(code))
    always = json.loads(run(code, TH_PARALLEL_ADAPT="0"))
    assert adaptive == always


def test_answers_match_numpy_and_one_thread():
    """The oracle: numpy (sums up to rounding); one thread gives one piece (different rounding
    for float sums, as before), exactly the same for everything else."""
    one = json.loads(run(RESULTS_CODE.format(threads=1, sizes=SIZES)))
    two = json.loads(run(RESULTS_CODE.format(threads=2, sizes=SIZES)))
    for key, r in two.items():
        n, dt = key.split()
        rng = np.random.default_rng(int(n))
        a = (rng.standard_normal(int(n)) * 100).astype(dt)
        c = (rng.standard_normal(int(n)) * 100).astype(dt)
        if dt == "int32":
            assert r == one[key], key
            assert int(r["sumall"]) == int(a.astype(np.int64).sum())
            assert int(r["dot"]) == int(np.dot(a.astype(np.int64), c.astype(np.int64)))
        else:
            assert r["arrays"] == one[key]["arrays"], key
            rel = 1e-4 if dt == "float32" else 1e-10
            assert float(r["sumall"]) == pytest.approx(float(a.astype(np.float64).sum()),
                                                       rel=rel, abs=rel * np.abs(a).sum())
        assert float(r["maxall"]) == float(a.max()) and float(r["minall"]) == float(a.min())


# ---- sort around its cut-offs ------------------------------------------------------------------

SORT_SIZES = [1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 95, 96, 97, 255, 256, 257,
              1000]


def stable_order(x: np.ndarray, desc: bool) -> np.ndarray:
    """Positions of a stable sort of the 1-d x (NaN the largest, -0.0 equal to 0.0)."""
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        value = np.where(nan, 0, -x if desc else x)
        return np.lexsort((value, ~nan if desc else nan))
    return np.argsort(~x if desc else x, kind="stable")


@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_sort_sizes_around_cutoffs(etype):
    T = module(etype)
    L = module(next(t for t in MATH_TYPES if t.name == "Long"))
    dt = etype.dtype
    rng = np.random.default_rng(5)
    for n in SORT_SIZES:
        base = rng.integers(0, 5, 2 * n + 1).astype(dt)  # few values: many ties
        if dt.kind == "f":
            base[rng.random(base.size) < 0.1] = np.nan
            base[rng.random(base.size) < 0.1] = -0.0
        t = T.from_numpy(base)
        views = [("contiguous", t.narrow(0, 0, n), base[:n]),
                 ("strided", T.from_numpy(base[::2][:n]), base[::2][:n])]
        assert n == 1 or views[1][1].stride() == (2,)
        for name, v, x in views:
            for desc in (0, 1):
                rv, ri = T.empty(), L.empty()
                getattr(ffi.TH, etype.fn("Tensor_sort"))(rv, ri, v, 0, desc)
                order = stable_order(x, bool(desc))
                got = np.asarray(rv)
                np.testing.assert_array_equal(np.asarray(ri), order, err_msg=f"{n} {name} {desc}")
                want = np.sort(x) if not desc else x[order]
                np.testing.assert_array_equal(got, want, err_msg=f"{n} {name} {desc}")
                if dt.kind == "f":  # -0.0 and 0.0 keep their own bits
                    np.testing.assert_array_equal(np.signbit(got), np.signbit(x[order]))
                vals, idx = T.sort(v, 0, desc)  # the module function: the same
                np.testing.assert_array_equal(np.asarray(idx), order)


@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_sort_large_slices(etype):
    """Above 2^17 values, 32- and 64-bit types scatter on their top digit first and sort each
    bucket below it (crowded buckets again on the next digit): the same stable order, on wide
    values, many ties, NaN and signed zeros, contiguous and strided, both directions."""
    T = module(etype)
    dt = etype.dtype
    rng = np.random.default_rng(7)
    n = (1 << 17) + 3
    if dt.kind == "f":
        base = (rng.standard_normal(2 * n) * 1000).astype(dt)
        base[rng.random(base.size) < 0.05] = np.nan
        base[rng.random(base.size) < 0.05] = -0.0
        base[rng.random(base.size) < 0.05] = 0.0
    else:
        info = np.iinfo(dt)
        base = rng.integers(info.min, info.max, 2 * n, endpoint=True).astype(dt)
    base[: n // 2] = base[: n // 2] % 3 if dt.kind != "f" else np.round(base[: n // 2] / 500)
    for name, v, x in [("contiguous", T.from_numpy(base[:n]), base[:n]),
                       ("strided", T.from_numpy(base)[::2], base[::2])]:
        for desc in (0, 1):
            vals, idx = T.sort(v, 0, desc)
            order = stable_order(x, bool(desc))
            np.testing.assert_array_equal(np.asarray(idx), order, err_msg=f"{name} {desc}")
            got = np.asarray(vals)
            np.testing.assert_array_equal(got, x[order], err_msg=f"{name} {desc}")
            if dt.kind == "f":
                np.testing.assert_array_equal(np.signbit(got), np.signbit(x[order]))
