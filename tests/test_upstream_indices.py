"""Index tensors that the C API RETURNS are 0-based, as upstream Torch7's C functions return them
(Lua's cwrap bindings add 1 after the call), while the index tensors it TAKES stay 1-based; and
the integer random fills draw as upstream does. Pinned through torchbind.ffi for every type each
function has, on contiguous and non-contiguous inputs.

When TORCHBIND_UPSTREAM_TH names an upstream libTH (shared/luatorch's build makes one), the same
calls are made on it and compared; without one those tests skip."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import numpy as np
import pytest

from torchbind import ffi
from torchbind.tensor import TENSOR_CLASSES

TH = ffi.TH
L = TENSOR_CLASSES["Long"]
ALL = ["Byte", "Char", "Short", "Int", "Long", "Float", "Double"]
DTYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
          "Long": np.int64, "Float": np.float32, "Double": np.float64}


def fn(tname, name):
    return getattr(TH, f"TH{tname}Tensor_{name}")


def distinct(tname, shape, seed=0):
    """Distinct values (no ties: which of equal elements is reported may differ from upstream)."""
    n = int(np.prod(shape))
    vals = np.random.default_rng(seed).permutation(n) + (0 if tname == "Byte" else -(n // 2))
    return vals.reshape(shape).astype(DTYPES[tname])


def inputs(tname, shape=(4, 6), seed=0):
    """(name, tensor, the numpy array it shows): contiguous, transposed, narrowed."""
    a = distinct(tname, shape, seed)
    T = TENSOR_CLASSES[tname]
    yield "contiguous", T.from_numpy(a.copy()), a
    yield "transposed", T.from_numpy(a.T.copy()).t(), a
    wide = np.zeros((shape[0], shape[1] + 3), a.dtype)
    wide[:, 1:-2] = a
    yield "narrowed", T.from_numpy(wide).narrow(1, 1, shape[1]), a


# ---- returned indices are 0-based --------------------------------------------------------------


@pytest.mark.parametrize("tname", ALL)
def test_max_min_indices_zero_based(tname):
    for name, t, a in inputs(tname):
        for dim in (0, 1):
            for f, arg in (("max", np.argmax), ("min", np.argmin)):
                v, i = TENSOR_CLASSES[tname].empty(), L.empty()
                fn(tname, f)(v, i, t, dim, 0)
                np.testing.assert_array_equal(np.asarray(i), arg(a, axis=dim), err_msg=name)
                # Lua's gatherMax: the indices + 1 fed to gather (which takes 1-based ones)
                idx = L.from_numpy(np.expand_dims(np.asarray(i) + 1, dim))
                g = TENSOR_CLASSES[tname].empty(*np.asarray(idx).shape)
                fn(tname, "gather")(g, t, dim, idx)
                np.testing.assert_array_equal(np.asarray(g).squeeze(dim), np.asarray(v))


@pytest.mark.parametrize("tname", ALL)
def test_sort_topk_indices_zero_based(tname):
    for name, t, a in inputs(tname):
        for dim in (0, 1):
            for desc in (0, 1):
                v, i = TENSOR_CLASSES[tname].empty(), L.empty()
                fn(tname, "sort")(v, i, t, dim, desc)
                order = np.argsort(-a.astype(np.float64) if desc else a, axis=dim)
                np.testing.assert_array_equal(np.asarray(i), order, err_msg=name)
                k = 2
                fn(tname, "topk")(v, i, t, k, dim, desc, 1)
                np.testing.assert_array_equal(np.asarray(i), np.take(order, range(k), axis=dim))


@pytest.mark.parametrize("tname", ALL)
def test_kthvalue_median_mode_indices_zero_based(tname):
    for name, t, a in inputs(tname, (5, 7)):
        for dim in (0, 1):
            order = np.argsort(a, axis=dim)
            n = a.shape[dim]
            v, i = TENSOR_CLASSES[tname].empty(), L.empty()
            fn(tname, "kthvalue")(v, i, t, 2, dim, 0)
            np.testing.assert_array_equal(np.asarray(i), np.take(order, 1, axis=dim), err_msg=name)
            fn(tname, "median")(v, i, t, dim, 0)
            np.testing.assert_array_equal(np.asarray(i), np.take(order, (n - 1) // 2, axis=dim))
            fn(tname, "mode")(v, i, t, dim, 0)  # all distinct: the smallest, where it is
            np.testing.assert_array_equal(np.asarray(i), np.argmin(a, axis=dim))


@pytest.mark.parametrize("tname", ALL)
def test_nonzero_zero_based(tname):
    T = TENSOR_CLASSES[tname]
    a = np.array([[0, 3, 0], [7, 0, 1]], DTYPES[tname])
    for t in (T.from_numpy(a.copy()), T.from_numpy(a.T.copy()).t()):
        s = L.empty()
        fn(tname, "nonzero")(s, t)
        np.testing.assert_array_equal(np.asarray(s), [[0, 1], [1, 0], [1, 2]])


@pytest.mark.parametrize("tname", ["Float", "Double"])
def test_multinomial_indices_zero_based(tname):
    T = TENSOR_CLASSES[tname]
    g = TH.THGenerator_new()
    try:
        TH.THRandom_manualSeed(g, 1)
        p = T.from_numpy(np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], DTYPES[tname]))
        for repl in (1, 0):
            r = L.empty()
            fn(tname, "multinomial")(r, g, p, 1, repl)
            np.testing.assert_array_equal(np.asarray(r), [[2], [0]])
            fn(tname, "multinomial")(r, g, p.t().select(0, 0), 1, repl)  # strided [0, 1]
            np.testing.assert_array_equal(np.asarray(r), [1])
        J, q = L.empty(), T.empty()
        fn(tname, "multinomialAliasSetup")(T.from_numpy(np.array([0.5, 0.5], DTYPES[tname])), J, q)
        assert np.asarray(J).tolist() == [0, 0] and np.asarray(q).tolist() == [1.0, 1.0]
        r = L.empty(200)
        fn(tname, "multinomialAliasDraw")(r, g, J, q)
        assert set(np.asarray(r).tolist()) == {0, 1}
    finally:
        TH.THGenerator_free(g)


def test_indices_taken_stay_one_based():
    src = TENSOR_CLASSES["Double"].from_numpy(np.array([10.0, 20.0, 30.0]))
    out = TENSOR_CLASSES["Double"].empty()
    TH.THDoubleTensor_indexSelect(out, src, 0, L.from_numpy(np.array([1, 3])))
    assert np.asarray(out).tolist() == [10.0, 30.0]


# ---- the upstream library as oracle ------------------------------------------------------------


def _upstream_path():
    p = os.environ.get("TORCHBIND_UPSTREAM_TH") or ""
    return p if Path(p).is_file() else None


class Upstream:
    """Calls into an upstream libTH (its own tensors, made and read through its own functions).
    Only valid calls are made: its error handler exits the process."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL)
        vp, lg = ctypes.c_void_p, ctypes.c_long
        for t in ALL:
            for name, res, args in (("new", vp, []), ("newWithSize1d", vp, [lg]),
                                    ("newWithSize2d", vp, [lg, lg]), ("free", None, [vp]),
                                    ("data", vp, [vp]), ("nDimension", ctypes.c_int, [vp]),
                                    ("size", lg, [vp, ctypes.c_int])):
                f = getattr(self.lib, f"TH{t}Tensor_{name}")
                f.restype, f.argtypes = res, args
        self.lib.THGenerator_new.restype = vp
        self.lib.THRandom_manualSeed.argtypes = [vp, ctypes.c_ulong]
        self.lib.THGenerator_free.argtypes = [vp]

    def f(self, tname, name, restype=None):
        fun = getattr(self.lib, f"TH{tname}Tensor_{name}")
        fun.restype = restype
        return fun

    def tensor(self, tname, a):
        a = np.ascontiguousarray(a, DTYPES[tname])
        t = (self.f(tname, "newWithSize1d", ctypes.c_void_p)(a.shape[0]) if a.ndim == 1 else
             self.f(tname, "newWithSize2d", ctypes.c_void_p)(*a.shape))
        ctypes.memmove(getattr(self.lib, f"TH{tname}Tensor_data")(t), a.ctypes.data, a.nbytes)
        return ctypes.c_void_p(t)

    def new(self, tname):
        return ctypes.c_void_p(getattr(self.lib, f"TH{tname}Tensor_new")())

    def array(self, tname, t):
        nd = getattr(self.lib, f"TH{tname}Tensor_nDimension")(t)
        shape = tuple(getattr(self.lib, f"TH{tname}Tensor_size")(t, d) for d in range(nd))
        n = int(np.prod(shape)) if nd else 0
        if n == 0:
            return np.zeros((0,), DTYPES[tname])
        buf = (ctypes.c_char * (n * np.dtype(DTYPES[tname]).itemsize)).from_address(
            getattr(self.lib, f"TH{tname}Tensor_data")(t))
        return np.frombuffer(bytes(buf), DTYPES[tname]).reshape(shape)

    def gen(self, seed):
        g = ctypes.c_void_p(self.lib.THGenerator_new())
        self.lib.THRandom_manualSeed(g, seed)
        return g


@pytest.fixture(scope="module")
def up():
    path = _upstream_path()
    if path is None:
        pytest.skip("no upstream libTH (set TORCHBIND_UPSTREAM_TH)")
    return Upstream(path)


def _ours(tname, a):
    return TENSOR_CLASSES[tname].from_numpy(np.ascontiguousarray(a, DTYPES[tname]))


@pytest.mark.parametrize("tname", ALL)
def test_upstream_index_results(up, tname):
    a = distinct(tname, (6, 9), 3)
    for dim in (0, 1):
        calls = [("max", (dim, 0)), ("min", (dim, 0)), ("kthvalue", (3, dim, 0)),
                 ("median", (dim, 0)), ("mode", (dim, 0)), ("sort", (dim, 0)),
                 ("sort", (dim, 1)), ("topk", (3, dim, 1, 1)), ("topk", (2, dim, 0, 1))]
        for name, extra in calls:
            cargs = [ctypes.c_long(x) if name in ("kthvalue", "topk") and k == 0 else
                     ctypes.c_int(x) for k, x in enumerate(extra)]
            uv, ui = up.new(tname), up.new("Long")
            up.f(tname, name)(uv, ui, up.tensor(tname, a), *cargs)
            v, i = TENSOR_CLASSES[tname].empty(), L.empty()
            fn(tname, name)(v, i, _ours(tname, a), *extra)
            np.testing.assert_array_equal(np.asarray(i), up.array("Long", ui), err_msg=name)
            np.testing.assert_array_equal(np.asarray(v), up.array(tname, uv), err_msg=name)
    b = np.where(a % 3 == 0, 0, a).astype(DTYPES[tname])
    us = up.new("Long")
    up.f(tname, "nonzero")(us, up.tensor(tname, b))
    s = L.empty()
    fn(tname, "nonzero")(s, _ours(tname, b))
    np.testing.assert_array_equal(np.asarray(s), up.array("Long", us))


@pytest.mark.parametrize("tname", ALL)
def test_upstream_random_fills(up, tname):
    for name, extra in (("random", ()), ("cappedRandom", (37,)), ("clampedRandom", (5, 100)),
                        ("cappedRandom", (100,))):
        ug, g = up.gen(99), TH.THGenerator_new()
        try:
            TH.THRandom_manualSeed(g, 99)
            ut = up.tensor(tname, np.zeros(50))
            up.f(tname, name)(ut, ug, *[ctypes.c_long(x) for x in extra])
            t = TENSOR_CLASSES[tname].empty(50)
            fn(tname, name)(t, g, *extra)
            np.testing.assert_array_equal(np.asarray(t), up.array(tname, ut), err_msg=name)
        finally:
            TH.THGenerator_free(g)
            up.lib.THGenerator_free(ug)


@pytest.mark.parametrize("tname", ["Float", "Double"])
def test_upstream_multinomial_alias_dist(up, tname):
    dt = DTYPES[tname]
    probs = np.array([[0.1, 0.0, 0.4, 0.2, 0.3], [1.0, 2.0, 3.0, 4.0, 5.0]], dt)
    for repl, n in ((1, 40), (0, 4)):
        ug, g = up.gen(7), TH.THGenerator_new()
        try:
            TH.THRandom_manualSeed(g, 7)
            ur = up.new("Long")
            up.f(tname, "multinomial")(ur, ug, up.tensor(tname, probs), ctypes.c_int(n),
                                       ctypes.c_int(repl))
            r = L.empty()
            fn(tname, "multinomial")(r, g, _ours(tname, probs), n, repl)
            np.testing.assert_array_equal(np.asarray(r), up.array("Long", ur))
        finally:
            TH.THGenerator_free(g)
            up.lib.THGenerator_free(ug)
    p = np.array([0.05, 0.15, 0.3, 0.1, 0.25, 0.15], dt)
    uj, uq = up.new("Long"), up.new(tname)
    up.f(tname, "multinomialAliasSetup")(up.tensor(tname, p), uj, uq)
    J, q = L.empty(), TENSOR_CLASSES[tname].empty()
    fn(tname, "multinomialAliasSetup")(_ours(tname, p), J, q)
    np.testing.assert_array_equal(np.asarray(J), up.array("Long", uj))
    np.testing.assert_array_equal(np.asarray(q), up.array(tname, uq))
    ug, g = up.gen(8), TH.THGenerator_new()
    try:
        TH.THRandom_manualSeed(g, 8)
        ur = up.tensor("Long", np.zeros(300))
        up.f(tname, "multinomialAliasDraw")(ur, ug, uj, uq)
        r = L.empty(300)
        fn(tname, "multinomialAliasDraw")(r, g, J, q)
        np.testing.assert_array_equal(np.asarray(r), up.array("Long", ur))
    finally:
        TH.THGenerator_free(g)
        up.lib.THGenerator_free(ug)
    x, y = np.linspace(-2, 3, 12).astype(dt), np.linspace(1, -1, 12).astype(dt)
    for pval in (0.0, 1.0, 2.0, 3.0, np.inf):
        dist = up.f(tname, "dist", ctypes.c_double)
        want = dist(up.tensor(tname, x), up.tensor(tname, y),
                    (ctypes.c_float if tname == "Float" else ctypes.c_double)(pval))
        got = fn(tname, "dist")(_ours(tname, x), _ours(tname, y), pval)
        assert got == want or (np.isnan(got) and np.isnan(want)), pval
