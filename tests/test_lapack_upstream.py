"""The LAPACK functions' results laid out as upstream Torch7 lays them out, pinned by hand.

Upstream computes in column-major "clones": a result that is not its own input is resized to
cols x rows when it has other sizes, transposed when it is then contiguous (so a fresh or a
row-major result ends rows x cols with strides (1, rows), in its own storage), and a view of
the right sizes is written through. Lua Torch7's tests rely on this (inverse, symeig and eig
into reused results, svd_reuse, gels with b as its own result). Each test states upstream's
sizes, strides and storage sizes, worked out from upstream's sources; the values come from
numpy. The last test compares with an upstream libTH when TORCHBIND_UPSTREAM_TH (or
LUATORCH_PREFIX/lib/libTH.so.0) names one, and is skipped otherwise.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import numpy as np
import pytest
from test_lapack import HAVE_LAPACK, close, general, rng, spd, th

import torchbind.double_tensor as D
import torchbind.float_tensor as F
from torchbind import ffi
from torchbind.tensor import TENSOR_CLASSES

IntTensor = TENSOR_CLASSES["Int"]
pytestmark = pytest.mark.skipif(not HAVE_LAPACK, reason="libTH built without LAPACK")


@pytest.fixture(params=[F, D], ids=["Float", "Double"])
def T(request):
    return request.param


def owned(T, a):
    """A contiguous copy of a in memory TH owns (so that it can be resized)."""
    src = T.from_numpy(np.ascontiguousarray(a, dtype=T.ELEMENT_TYPE.dtype))
    r = T.empty()
    th(T, "resizeAs")(r, src)
    th(T, "copy")(r, src)
    return r


def geometry(t):
    return t.shape, t.strides


def ptr(t):
    return t.storage().data_ptr


# ---- fresh results -----------------------------------------------------------------------


def test_fresh_results_are_column_major(T):
    dt = T.ELEMENT_TYPE.dtype
    a, b, s = general(T, 4), rng(1).uniform(-1, 1, (4, 2)).astype(dt), spd(T, 4)
    ta, tb, ts = T.from_numpy(a), T.from_numpy(b), T.from_numpy(s)
    rb, ra = T.empty(), T.empty()
    th(T, "gesv")(rb, ra, tb, ta)
    assert geometry(rb) == ((4, 2), (1, 4)) and geometry(ra) == ((4, 4), (1, 4))
    rb, ra = T.empty(), T.empty()
    th(T, "trtrs")(rb, ra, tb, ta, "U", "N", "N")
    assert geometry(rb) == ((4, 2), (1, 4)) and geometry(ra) == ((4, 4), (1, 4))
    for name, args in [("getri", (ta,)), ("potrf", (ts, "U")), ("potri", (ts, "L"))]:
        r = T.empty()
        th(T, name)(r, *args)
        assert geometry(r) == ((4, 4), (1, 4)), name
    r = T.empty()
    th(T, "potrs")(r, tb, ts, "U")
    assert geometry(r) == ((4, 2), (1, 4))
    r, piv = T.empty(), IntTensor.empty()
    th(T, "pstrf")(r, piv, ts, "U", -1.0)
    assert geometry(r) == ((4, 4), (1, 4)) and geometry(piv) == ((4,), (1,))
    e, v = T.empty(), T.empty()
    th(T, "syev")(e, v, ts, "V", "U")
    assert geometry(v) == ((4, 4), (1, 4)) and geometry(e) == ((4,), (1,))
    e, v = T.empty(), T.empty()
    th(T, "geev")(e, v, ta, "V")
    assert geometry(v) == ((4, 4), (1, 4)) and geometry(e) == ((4, 2), (2, 1))
    w = T.from_numpy(general(T, 3, 5))  # 5 x 3
    r, tau = T.empty(), T.empty()
    th(T, "geqrf")(r, tau, w)
    assert geometry(r) == ((5, 3), (1, 5)) and geometry(tau) == ((3,), (1,))
    q = T.empty()
    th(T, "orgqr")(q, r, tau)
    assert geometry(q) == ((5, 3), (1, 5))
    c = T.empty()
    th(T, "ormqr")(c, r, tau, T.from_numpy(rng(2).uniform(-1, 1, (5, 2)).astype(dt)), "L", "T")
    assert geometry(c) == ((5, 2), (1, 5))


@pytest.mark.parametrize("m,n", [(5, 3), (3, 5), (4, 4)])
def test_svd_layouts(T, m, n):
    a = general(T, n, m)
    k = min(m, n)
    for job, uc, vc in [("S", k, k), ("A", m, n)]:
        u, s, v, ra = T.empty(), T.empty(), T.empty(), T.empty()
        th(T, "gesvd2")(u, s, v, ra, T.from_numpy(a), job)
        # U: column-major, its own m * ucols storage; V: row-major n x vcols; a's scratch: (1, m)
        assert geometry(u) == ((m, uc), (1, m)) and len(u.storage()) == m * uc
        assert geometry(v) == ((n, vc), (vc, 1)) and len(v.storage()) == n * vc
        assert geometry(ra) == ((m, n), (1, m)) and geometry(s) == ((k,), (1,))
        uu, vv = np.asarray(u).astype(np.float64), np.asarray(v).astype(np.float64)
        close(uu[:, :k] * np.asarray(s) @ vv[:, :k].T, a, T)


# ---- reused results ----------------------------------------------------------------------


def test_inverse_into_a_reused_result(T):
    """Lua's torchtest.inverse: a 5 x 5 result is transposed in place, twice the same."""
    m = general(T, 5)
    inv = np.linalg.inv(m.astype(np.float64))
    r = owned(T, np.zeros((5, 5)))
    before = ptr(r)
    for _ in range(2):
        th(T, "getri")(r, T.from_numpy(m))
        assert geometry(r) == ((5, 5), (1, 5)) and not r.is_contiguous() and ptr(r) == before
        close(r, inv, T)
    # a non-square reused result gets upstream's resize (cols x rows, contiguous) and transpose
    r = owned(T, np.zeros((4, 2)))
    th(T, "gesv")(r, T.empty(), T.from_numpy(np.ones((4, 2), T.ELEMENT_TYPE.dtype)),
                  T.from_numpy(general(T, 4)))
    assert geometry(r) == ((4, 2), (1, 4))


def test_symeig_twice(T):
    """Lua's torchtest.test_symeig: the second call into the now transposed result."""
    x = rng(3).uniform(0, 1, (100, 3))
    cov = (x.T @ x).astype(T.ELEMENT_TYPE.dtype)
    e, v = owned(T, np.zeros(3)), owned(T, np.zeros((3, 3)))
    assert v.is_contiguous()
    for _ in range(2):
        th(T, "syev")(e, v, T.from_numpy(cov.copy()), "V", "U")
        assert geometry(v) == ((3, 3), (1, 3)) and geometry(e) == ((3,), (1,))
        vv, ee = np.asarray(v).astype(np.float64), np.asarray(e).astype(np.float64)
        close(vv * ee @ vv.T, cov, T, scale=50)


def test_eig_reuse_and_noncontiguous_results(T):
    """Lua's torchtest.eig_reuse and eig_noncontig."""
    x = rng(4).standard_normal((4, 4))
    x = (x.T @ x).astype(T.ELEMENT_TYPE.dtype)
    e, v = owned(T, np.zeros((4, 2))), owned(T, np.zeros((4, 4)))
    for _ in range(2):
        th(T, "geev")(e, v, T.from_numpy(x), "V")
        assert geometry(v) == ((4, 4), (1, 4)) and geometry(e) == ((4, 2), (2, 1))
        vv, ee = np.asarray(v).astype(np.float64), np.asarray(e)[:, 0].astype(np.float64)
        close(vv * ee @ vv.T, x, T, scale=50)
    # views of the right sizes are written through their strides, nothing around them
    big_e, big_v = np.full((4, 2, 2), 7, x.dtype), np.full((4, 2, 4), 7, x.dtype)
    e, v = T.from_numpy(big_e[:, 1, :]), T.from_numpy(big_v[:, 1, :])
    th(T, "geev")(e, v, T.from_numpy(x), "V")
    assert geometry(v) == ((4, 4), (8, 1)) and geometry(e) == ((4, 2), (4, 1))
    vv, ee = big_v[:, 1, :].astype(np.float64), big_e[:, 1, 0].astype(np.float64)
    close(vv * ee @ vv.T, x, T, scale=50)
    assert np.all(big_v[:, 0, :] == 7) and np.all(big_e[:, 0, :] == 7)
    # jobvr "N" leaves v alone; "n" is LAPACK's "N"; "v" is refused (upstream gives LAPACK no
    # room for the vectors)
    v = owned(T, np.full((2, 2), 5.0))
    th(T, "geev")(T.empty(), v, T.from_numpy(x), "n")
    np.testing.assert_array_equal(np.asarray(v), 5)
    with pytest.raises(ValueError, match="jobvr"):
        th(T, "geev")(T.empty(), T.empty(), T.from_numpy(x), "v")


def test_symeig_into_views_of_other_sizes(T):
    """Lua's torchtest.symeig_noncontig: 4-element views for a 5 x 5 problem are resized."""
    x = rng(5).uniform(0, 1, (5, 5))
    x = (x.T @ x).astype(T.ELEMENT_TYPE.dtype)
    e = owned(T, np.zeros((4, 2))).select(1, 1)
    v = owned(T, np.zeros((4, 2, 4))).select(1, 1)
    th(T, "syev")(e, v, T.from_numpy(x), "V", "U")
    assert geometry(e) == ((5,), (1,)) and e.storage_offset == 1
    assert geometry(v) == ((5, 5), (1, 5)) and v.storage_offset == 4
    vv, ee = np.asarray(v).astype(np.float64), np.asarray(e).astype(np.float64)
    close(vv * ee @ vv.T, x, T, scale=50)


def test_svd_reuse_and_noncontiguous(T):
    """Lua's torchtest.svd_reuse and svd_noncontig."""
    x = rng(6).standard_normal((4, 4)).astype(T.ELEMENT_TYPE.dtype)
    u, s, v = T.empty(), T.empty(), T.empty()
    for _ in range(2):
        th(T, "gesvd")(u, s, v, T.from_numpy(x), "S")
        assert geometry(u) == ((4, 4), (1, 4)) and geometry(v) == ((4, 4), (4, 1))
        close(np.asarray(u) * np.asarray(s) @ np.asarray(v).T, x, T)
    x = rng(7).standard_normal((5, 5)).astype(x.dtype)
    bu, bs, bv = (np.zeros(shape, x.dtype) for shape in ((5, 2, 5), (5, 2), (5, 2, 5)))
    u, s, v = T.from_numpy(bu[:, 1, :]), T.from_numpy(bs[:, 1]), T.from_numpy(bv[:, 1, :])
    th(T, "gesvd")(u, s, v, T.from_numpy(x), "S")
    assert geometry(u) == ((5, 5), (10, 1)) and geometry(v) == ((5, 5), (10, 1))
    close(bu[:, 1, :] * bs[:, 1] @ bv[:, 1, :].T, x, T)
    # a U of U's transposed sizes with strides (1, rows) is written as LAPACK's memory (upstream
    # hands its memory to LAPACK with leading dimension m)
    a = general(T, 2, 3)  # m = 3, n = 2, k = 2: U is 3 x 2
    big = np.zeros((3, 2), a.dtype)
    u = T.from_numpy(big.T)  # 2 x 3, strides (1, 2)
    ref = T.empty()
    th(T, "gesvd")(ref, T.empty(), T.empty(), T.from_numpy(a), "S")
    th(T, "gesvd")(u, T.empty(), T.empty(), T.from_numpy(a), "S")
    assert geometry(u) == ((2, 3), (1, 2))
    np.testing.assert_array_equal(big.ravel(), np.asarray(ref).ravel(order="F"))


# ---- gels --------------------------------------------------------------------------------


@pytest.mark.parametrize("m,n", [(6, 4), (3, 4), (4, 4)])
def test_gels_sizes(T, m, n):
    """n x nrhs over max(m, n) x nrhs column-major memory; the rows below n hold the residual
    components for m > n."""
    a = general(T, n, m, seed=1)
    b = rng(8).uniform(-1, 1, (m, 2)).astype(a.dtype)
    x, res = np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=None)[:2]
    ldb = max(m, n)
    rb, ra = T.empty(), T.empty()
    th(T, "gels")(rb, ra, T.from_numpy(b), T.from_numpy(a))
    assert geometry(rb) == ((n, 2), (1, ldb)) and len(rb.storage()) == ldb * 2
    close(rb, x, T, scale=5)
    if m > n:
        full = np.asarray(rb.storage()).reshape(2, ldb).T.astype(np.float64)
        close((full[n:] ** 2).sum(0), res, T, scale=5)
    # b as its own result (Lua's torch.gels(b, a, b, a)): resized to n x 2
    tb = owned(T, b)
    th(T, "gels")(tb, T.empty(), None, T.from_numpy(a))
    assert tb.shape == (n, 2)
    assert tb.strides == (2, 1)  # m == n: kept; else resized, contiguous
    close(tb, x, T, scale=5)


def test_gels_in_place_relabel(T):
    """b column-major with as many columns as rows (m >= n): upstream solves in b and relabels
    its sizes to n x nrhs, strides kept."""
    a = general(T, 3, 4, seed=2)
    b = rng(9).uniform(-1, 1, (4, 4)).astype(a.dtype)
    tb = owned(T, b.T)
    th(T, "transpose")(tb, None, 0, 1)  # 4 x 4, strides (1, 4)
    th(T, "gels")(tb, T.empty(), None, T.from_numpy(a))
    assert geometry(tb) == ((3, 4), (1, 4))
    x = np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=None)[0]
    close(tb, x, T, scale=5)


def test_gels_lua_cases(T):
    """Lua's gels_uniquely_determined/overdetermined/underdetermined with (b, a, b, a)."""
    for m, n in [(4, 4), (6, 4), (3, 4)]:
        a = general(T, n, m, seed=3)
        b = rng(10).uniform(-1, 1, (m, 2)).astype(a.dtype)
        ta, tb = owned(T, a.T), owned(T, b.T)
        th(T, "transpose")(ta, None, 0, 1)
        th(T, "transpose")(tb, None, 0, 1)
        th(T, "gels")(tb, ta, tb, ta)
        want = (2, 1) if m != n else (1, 4)  # resized unless already n x 2
        assert geometry(tb) == ((n, 2), want) and geometry(ta) == ((m, n), (1, m))
        x = np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=None)[0]
        close(tb, x, T, scale=5)


# ---- QR ----------------------------------------------------------------------------------


@pytest.mark.parametrize("m,n", [(5, 3), (3, 5), (4, 4)])
def test_qr_layouts(T, m, n):
    """Q: m x k with strides (1, m) over orgqr's m x n output; R: k x n, row-major."""
    a = general(T, n, m, seed=4)
    k = min(m, n)
    q, r = T.empty(), T.empty()
    th(T, "qr")(q, r, T.from_numpy(a))
    assert geometry(q) == ((m, k), (1, m)) and len(q.storage()) == m * n
    assert geometry(r) == ((k, n), (n, 1))
    close(np.asarray(q).astype(np.float64) @ np.asarray(r), a, T)
    ra, tau = T.empty(), T.empty()
    th(T, "geqrf")(ra, tau, T.from_numpy(a))
    full = np.asarray(q.storage()).reshape(n, m).T
    np.testing.assert_array_equal(full[:, k:], np.asarray(ra)[:, k:])


def test_orgqr_with_fewer_reflectors(T):
    """orgqr(m, k, k): Q's first k columns, a's values in the other columns."""
    a = general(T, 4, 6, seed=5)
    ra, tau = T.empty(), T.empty()
    th(T, "geqrf")(ra, tau, T.from_numpy(a))
    q_all = T.empty()
    th(T, "orgqr")(q_all, ra, tau)
    q2 = T.empty()
    th(T, "orgqr")(q2, ra, tau.narrow(0, 0, 2))
    got = np.asarray(q2)
    assert geometry(q2) == ((6, 4), (1, 6))
    # H(1) H(2) applied to the identity's first columns are Q's first columns
    close(got[:, :2], np.asarray(q_all)[:, :2], T)
    np.testing.assert_array_equal(got[:, 2:], np.asarray(ra)[:, 2:])


def test_ormqr_reads_a_as_lapack_memory(T):
    a = general(T, 4, seed=6)
    ra, tau, q = T.empty(), T.empty(), T.empty()
    th(T, "geqrf")(ra, tau, T.from_numpy(a))
    th(T, "orgqr")(q, ra, tau)
    c = rng(11).uniform(-1, 1, (4, 6)).astype(a.dtype)
    r = T.empty()
    th(T, "ormqr")(r, ra, tau, T.from_numpy(c), "L", "N")
    close(r, np.asarray(q).astype(np.float64) @ c, T)
    # a row-major copy of the factors is read through its memory: the transpose
    rowmajor = T.from_numpy(np.asarray(ra).copy())
    r2 = T.empty()
    th(T, "ormqr")(r2, rowmajor, tau, T.from_numpy(c), "L", "N")
    r3 = T.empty()
    th(T, "ormqr")(r3, T.from_numpy(np.asarray(ra).T.copy(order="F")), tau, T.from_numpy(c), "L",
                   "N")
    np.testing.assert_array_equal(np.asarray(r2), np.asarray(r3))
    # side "l" (lower case) reads a with leading dimension n (upstream tests 'L' only): with
    # n = 6 > m = 4 the columns are 6 apart
    wide = np.zeros((6, 4), a.dtype)
    wide[:4] = np.asarray(ra)
    r4 = T.empty()
    th(T, "ormqr")(r4, T.from_numpy(np.asfortranarray(wide)), tau, T.from_numpy(c), "l", "N")
    close(r4, np.asarray(r), T)
    with pytest.raises(ValueError, match="leading dimension"):
        th(T, "ormqr")(T.empty(), ra, tau, T.from_numpy(c.T.copy()), "l", "N")


# ---- Cholesky, upper and lower case ------------------------------------------------------


def test_lower_case_uplo_leaves_the_other_triangle(T):
    """LAPACK takes "u"; upstream clears (potrf, pstrf) or mirrors (potri) only for "U"/"L"."""
    a = spd(T, 4, seed=7)
    f_up, f_lo = T.empty(), T.empty()
    th(T, "potrf")(f_up, T.from_numpy(a), "U")
    th(T, "potrf")(f_lo, T.from_numpy(a), "u")
    lo = np.asarray(f_lo)
    np.testing.assert_array_equal(np.triu(lo), np.asarray(f_up))
    np.testing.assert_array_equal(np.tril(lo, -1), np.tril(a, -1))
    inv_up, inv_lo = T.empty(), T.empty()
    th(T, "potri")(inv_up, f_up, "U")
    th(T, "potri")(inv_lo, f_up, "u")
    np.testing.assert_array_equal(np.triu(np.asarray(inv_lo)), np.triu(np.asarray(inv_up)))
    np.testing.assert_array_equal(np.tril(np.asarray(inv_lo), -1), 0)  # f_up's lower triangle
    p_up, p_lo = T.empty(), T.empty()
    th(T, "pstrf")(p_up, IntTensor.empty(), T.from_numpy(a), "L", -1.0)
    th(T, "pstrf")(p_lo, IntTensor.empty(), T.from_numpy(a), "l", -1.0)
    np.testing.assert_array_equal(np.tril(np.asarray(p_lo)), np.asarray(p_up))


# ---- batched LU --------------------------------------------------------------------------


def test_btrifact_btrisolve_layouts(T):
    a = np.stack([general(T, 3, seed=s) for s in range(2)])
    lu, piv, info = T.empty(), IntTensor.empty(), IntTensor.empty()
    th(T, "btrifact")(lu, piv, info, 1, T.from_numpy(a))
    assert geometry(lu) == ((2, 3, 3), (9, 3, 1))  # resized as a: row-major
    assert geometry(piv) == ((2, 3), (3, 1)) and geometry(info) == ((2,), (1,))
    b = rng(12).uniform(-1, 1, (2, 3, 2)).astype(a.dtype)
    x = T.empty()
    th(T, "btrisolve")(x, T.from_numpy(b), lu, piv)
    assert geometry(x) == ((2, 3, 2), (6, 2, 1))
    close(x, np.linalg.solve(a.astype(np.float64), b), T)
    # a view of b's sizes keeps its strides
    big = np.zeros((2, 3, 4), a.dtype)
    x = T.from_numpy(big[:, :, ::2])
    th(T, "btrisolve")(x, T.from_numpy(b), lu, piv)
    assert geometry(x) == ((2, 3, 2), (12, 4, 2))
    close(big[:, :, ::2], np.linalg.solve(a.astype(np.float64), b), T)
    # upstream refuses non-contiguous pivots and LU without pivoting
    wide = IntTensor.from_numpy(np.ones((2, 6), np.int32))
    th_int = ffi.TH.THIntTensor_copy
    th_int(wide.narrow(1, 0, 3), piv)
    with pytest.raises(RuntimeError, match="not contiguous"):
        th(T, "btrisolve")(T.empty(), T.from_numpy(b), lu, wide.narrow(1, 0, 3))
    with pytest.raises(RuntimeError, match="without pivoting"):
        th(T, "btrifact")(T.empty(), IntTensor.empty(), None, 0, T.from_numpy(a))


# ---- differential: the same calls on an upstream libTH -----------------------------------


def _upstream_path():
    env = os.environ.get("TORCHBIND_UPSTREAM_TH")
    if env:
        return Path(env)
    prefix = os.environ.get("LUATORCH_PREFIX")
    return Path(prefix) / "lib" / "libTH.so.0" if prefix else None


UPSTREAM = _upstream_path()
needs_upstream = pytest.mark.skipif(UPSTREAM is None or not UPSTREAM.exists(),
                                    reason="no upstream libTH (TORCHBIND_UPSTREAM_TH)")

_P = ctypes.c_void_p


class Side:
    """One library seen through bare ctypes: builds tensors from numpy, calls, reads back."""

    def __init__(self, lib, name, ours):
        self.lib, self.name, self.ours = lib, name, ours
        self.dtype = np.float32 if name == "Float" else np.float64
        self.real = ctypes.c_float if name == "Float" else ctypes.c_double

    def f(self, fn, restype, *argtypes):
        c = getattr(self.lib, fn)
        c.restype, c.argtypes = restype, list(argtypes)
        return c

    def check(self, fn):
        if self.ours:
            ffi.raise_pending(fn)

    def tensor(self, a, layout="c", kind=None, extra=0):
        """a in a new tensor: "c" row-major, "f" column-major, "s" a strided view with an
        offset; "new" an empty tensor."""
        kind = kind or self.name
        if layout == "new":
            return self.f(f"TH{kind}Tensor_new", _P)()
        dt = np.int32 if kind == "Int" else self.dtype
        a = np.asarray(a, dt)
        step = 2 if layout == "s" else 1
        off = 3 if layout == "s" else 0
        sizes = list(a.shape)
        if layout == "f":
            strides = [int(np.prod(sizes[:d])) for d in range(len(sizes))]
        else:
            strides = [int(np.prod(sizes[d + 1:])) * step for d in range(len(sizes))]
        total = off + sum((s - 1) * st for s, st in zip(sizes, strides, strict=True)) + 1 + extra
        buf = np.full(total, -7, dt)
        for idx in np.ndindex(*sizes):
            buf[off + sum(i * st for i, st in zip(idx, strides, strict=True))] = a[idx]
        st = self.f(f"TH{kind}Storage_newWithSize", _P, ctypes.c_ssize_t)(total)
        data = self.f(f"TH{kind}Storage_data", _P, _P)(st)
        ctypes.memmove(data, buf.ctypes.data, buf.nbytes)
        n = len(sizes)
        args = [st, off]
        for s, t in zip(sizes, strides, strict=True):
            args += [s, t]
        t = self.f(f"TH{kind}Tensor_newWithStorage{n}d", _P, _P, ctypes.c_ssize_t,
                   *([ctypes.c_long] * (2 * n)))(*args)
        self.f(f"TH{kind}Storage_free", None, _P)(st)
        self.check("tensor")
        return t

    def result(self, shape, layout):
        """A result to reuse, of the given shape: new, or zeros laid out as `layout`. Upstream
        hands a square non-contiguous result that is not column-major to LAPACK as it is (the
        wrong memory), and syev writes a non-contiguous e as if it were contiguous: such views
        are made one row (element) longer, so that they are resized."""
        shape = (shape,) if isinstance(shape, int) else shape
        if layout == "s" and len(shape) == 2 and shape[0] == shape[1]:
            shape = (shape[0] + 1, shape[1])
        if layout == "s" and len(shape) == 1:  # syev writes a strided e as if contiguous
            shape = (shape[0] + 1,)
        return self.tensor(np.zeros(shape), layout)

    def read(self, t, kind=None):
        kind = kind or self.name
        nd = self.f(f"TH{kind}Tensor_nDimension", ctypes.c_int, _P)(t)
        sizes = tuple(self.f(f"TH{kind}Tensor_size", ctypes.c_long, _P, ctypes.c_int)(t, d)
                      for d in range(nd))
        strides = tuple(self.f(f"TH{kind}Tensor_stride", ctypes.c_long, _P, ctypes.c_int)(t, d)
                        for d in range(nd))
        st = self.f(f"TH{kind}Tensor_storage", _P, _P)(t)
        off = self.f(f"TH{kind}Tensor_storageOffset", ctypes.c_ssize_t, _P)(t)
        ssize = self.f(f"TH{kind}Storage_size", ctypes.c_ssize_t, _P)(st) if st else 0
        dt = np.int32 if kind == "Int" else self.dtype
        values = np.zeros(sizes, dt)
        if nd:
            data = self.f(f"TH{kind}Storage_data", _P, _P)(st)
            elem = ctypes.POINTER(np.ctypeslib.as_ctypes_type(dt))
            mem = np.ctypeslib.as_array(ctypes.cast(data, elem), (ssize,))
            for idx in np.ndindex(*sizes):
                values[idx] = mem[off + sum(i * s for i, s in zip(idx, strides, strict=True))]
        return {"sizes": sizes, "strides": strides, "offset": off, "storage": ssize,
                "values": values}

    def call(self, fn, *args):
        types = []
        for a in args:
            if isinstance(a, bytes):
                types.append(ctypes.c_char_p)
            elif isinstance(a, float):
                types.append(self.real)
            elif isinstance(a, bool) or (isinstance(a, int) and a < 1000):
                types.append(ctypes.c_int)
            else:
                types.append(_P)
        self.f(f"TH{self.name}Tensor_{fn}", None, *types)(*args)
        self.check(fn)


def _sides(name):
    up = ctypes.CDLL(str(UPSTREAM), mode=ctypes.RTLD_LOCAL)
    return Side(ffi.lib, name, True), Side(up, name, False)


def _mats(seed=0):
    g = np.random.default_rng(seed)
    a = g.uniform(-1, 1, (4, 4)) + 4 * np.eye(4)
    q, _ = np.linalg.qr(g.standard_normal((4, 4)))
    s = (q * g.uniform(1, 4, 4)) @ q.T
    return a, s, g.uniform(-1, 1, (4, 2)), g.uniform(-1, 1, (6, 4)), g.uniform(-1, 1, (3, 5))


def _scenarios():
    """(id, function(side, layout) -> [(tensor, kind)]): every LAPACK function, results fresh,
    reused (row-major, column-major, a view) or the input itself."""
    a, s, b, tall, wide = _mats()
    out = []

    def add(name, fn):
        out.append((name, fn))

    for res in ("new", "c", "f", "s"):
        def gesv(S, lay, res=res):
            rb = S.result((4, 2), res)
            ra = S.result((4, 4), res)
            S.call("gesv", rb, ra, S.tensor(b, lay), S.tensor(a, lay))
            return [rb, ra]
        add(f"gesv-{res}", gesv)

        def trtrs(S, lay, res=res):
            rb = S.result((4, 2), res)
            ra = S.result((4, 4), res)
            S.call("trtrs", rb, ra, S.tensor(b, lay), S.tensor(a, lay), b"L", b"T", b"N")
            return [rb, ra]
        add(f"trtrs-{res}", trtrs)

        for mat in ("tall", "wide", "square"):
            m = {"tall": tall, "wide": wide, "square": a}[mat]
            rhs = np.arange(m.shape[0] * 2, dtype=float).reshape(-1, 2) / 7

            def gels(S, lay, res=res, m=m, rhs=rhs):
                rb = S.result((3, 3), res)
                ra = S.result(m.shape, res)
                S.call("gels", rb, ra, S.tensor(rhs, lay), S.tensor(m, lay))
                return [rb, ra]
            add(f"gels-{mat}-{res}", gels)

            def qr(S, lay, res=res, m=m):
                q, r = S.result(m.shape, res), S.result(m.shape, res)
                S.call("qr", q, r, S.tensor(m, lay))
                return [q, r]
            add(f"qr-{mat}-{res}", qr)

            def geqrf_orgqr_ormqr(S, lay, res=res, m=m):
                r, tau = S.result(m.shape, res), S.result((2,), "new")
                S.call("geqrf", r, tau, S.tensor(m, lay))
                q = S.result(m.shape, res)
                S.call("orgqr", q, r, tau)
                c = S.result((m.shape[0], 3), res)
                cin = np.arange(m.shape[0] * 3.0).reshape(-1, 3)
                S.call("ormqr", c, r, tau, S.tensor(cin, lay), b"L", b"T")
                return [r, tau, q, c]
            add(f"geqrf-{mat}-{res}", geqrf_orgqr_ormqr)

            for job in (b"S", b"A", b"N"):
                def svd(S, lay, res=res, m=m, job=job):
                    u, sv, v, ra = (S.result(m.shape, res) for _ in range(4))
                    S.call("gesvd2", u, sv, v, ra, S.tensor(m, lay), job)
                    return [u, sv, v, ra] if job != b"N" else [u, sv, ra]
                add(f"gesvd-{mat}-{job.decode()}-{res}", svd)

        def getri(S, lay, res=res):
            r = S.result((4, 4), res)
            S.call("getri", r, S.tensor(a, lay))
            return [r]
        add(f"getri-{res}", getri)

        for uplo in (b"U", b"L", b"u"):
            def chol(S, lay, res=res, uplo=uplo):
                f = S.result((4, 4), res)
                S.call("potrf", f, S.tensor(s, lay), uplo)
                x = S.result((4, 2), res)
                S.call("potrs", x, S.tensor(b, lay), f, uplo)
                i = S.result((4, 4), res)
                S.call("potri", i, f, uplo)
                p, piv = S.result((4, 4), res), S.tensor(None, "new", "Int")
                S.call("pstrf", p, piv, S.tensor(s, lay), uplo, -1.0)
                return [f, x, i, p, (piv, "Int")]
            add(f"cholesky-{uplo.decode()}-{res}", chol)

        def syev(S, lay, res=res):
            e, v = S.result(4, res), S.result((4, 4), res)
            S.call("syev", e, v, S.tensor(s, lay), b"V", b"L")
            return [e, v]
        add(f"syev-{res}", syev)

        def geev(S, lay, res=res):
            e, v = S.result((4, 2), res), S.result((4, 4), res)
            S.call("geev", e, v, S.tensor(s, lay), b"V")
            return [e, v]
        add(f"geev-{res}", geev)

        def btri(S, lay, res=res):
            batch = np.stack([a, a[::-1]])
            lu = S.result((2, 4, 4), res)
            piv, info = S.tensor(None, "new", "Int"), S.tensor(None, "new", "Int")
            S.call("btrifact", lu, piv, info, 1, S.tensor(batch, lay))
            x = S.result((2, 4, 2), res)
            S.call("btrisolve", x, S.tensor(np.stack([b, b]), lay), lu, piv)
            return [lu, (piv, "Int"), (info, "Int"), x]
        add(f"btri-{res}", btri)

    # inputs worked on in place (NULL input or the same tensor)
    def in_place(S, lay):
        ta, tb = S.tensor(a, lay), S.tensor(b, lay)
        S.call("gesv", tb, ta, tb, ta)
        t2 = S.tensor(a, lay)
        S.call("getri", t2, t2)
        t3, tb3 = S.tensor(tall, lay), S.tensor(np.ones((6, 2)), lay)
        S.call("gels", tb3, t3, tb3, t3)
        return [ta, tb, t2, t3, tb3]
    add("in-place", in_place)
    return out


SCENARIOS = _scenarios()


@needs_upstream
@pytest.mark.parametrize("name,scenario", SCENARIOS, ids=[n for n, _ in SCENARIOS])
@pytest.mark.parametrize("etype", ["Float", "Double"])
def test_same_as_upstream(etype, name, scenario):
    """Sizes, strides, storage offsets and sizes, values: inputs row-major, column-major and
    strided views."""
    ours, up = _sides(etype)
    for layout in ("c", "f", "s"):
        _compare(ours, up, etype, name, scenario, layout)


def _compare(ours, up, etype, name, scenario, layout):
    got = [x if isinstance(x, tuple) else (x, None) for x in scenario(ours, layout)]
    want = [x if isinstance(x, tuple) else (x, None) for x in scenario(up, layout)]
    tol = 1e-3 if etype == "Float" else 1e-9
    for i, ((g, gk), (w, wk)) in enumerate(zip(got, want, strict=True)):
        rg, rw = ours.read(g, gk), up.read(w, wk)
        for key in ("sizes", "strides", "offset", "storage"):
            assert rg[key] == rw[key], (layout, i, key, rg[key], rw[key])
        vg, vw = rg["values"].astype(np.float64), rw["values"].astype(np.float64)
        if "gesvd" in name and name.split("-")[2] == "N" and i == 0:
            continue  # U is not computed: upstream leaves uninitialised memory
        np.testing.assert_allclose(vg, vw, rtol=tol, atol=tol, err_msg=f"{layout}: result {i}")
