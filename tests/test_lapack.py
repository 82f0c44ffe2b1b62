"""TH's LAPACK layer (THTensorLapack, THLapack) against numpy.linalg, for Float and Double.

Every function gets well-conditioned random matrices given contiguous, column-major and as
strided views; results are checked against numpy or by reconstruction (Q R == A, U S V^T == A),
and the inputs must come back unchanged. A library built without LAPACK must raise
"lapack not available" from every function instead.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

import torchbind.double_tensor as D
import torchbind.float_tensor as F
from torchbind import ffi
from torchbind.tensor import TENSOR_CLASSES

IntTensor = TENSOR_CLASSES["Int"]


def _lapack_available() -> bool:
    try:
        r = D.empty()
        ffi.TH.THDoubleTensor_getri(r, D.from_numpy(np.array([[2.0]])))
    except RuntimeError as e:
        if "lapack not available" in str(e):
            return False
        raise
    return True


HAVE_LAPACK = _lapack_available()
needs_lapack = pytest.mark.skipif(not HAVE_LAPACK, reason="libTH built without LAPACK")


@pytest.fixture(params=[F, D], ids=["Float", "Double"])
def T(request):
    return request.param


def th(T, name):
    """The C function TH<T>Tensor_<name> through the raw ffi."""
    return getattr(ffi.TH, T.ELEMENT_TYPE.fn(f"Tensor_{name}"))


def tol(T):
    return 2e-3 if T is F else 1e-9


def close(actual, expected, T, scale=1.0):
    t = tol(T) * scale
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=t, atol=t)


def rng(seed=0):
    return np.random.default_rng(seed)


def general(T, n, m=None, seed=0):
    """A well-conditioned m x n matrix (square: diagonally dominant)."""
    m = n if m is None else m
    a = rng(seed).uniform(-1, 1, (m, n))
    if m == n:
        a += n * np.eye(n)
    return a.astype(T.ELEMENT_TYPE.dtype)


def spd(T, n, seed=0):
    """A symmetric positive definite matrix with eigenvalues about 1..4."""
    q, _ = np.linalg.qr(rng(seed).standard_normal((n, n)))
    return ((q * rng(seed + 1).uniform(1, 4, n)) @ q.T).astype(T.ELEMENT_TYPE.dtype)


def layouts(T, a):
    """(name, tensor) for a as a row-major tensor, a column-major one and a strided view; the
    tensors share the numpy memory, so the inputs can be checked unchanged afterwards."""
    a = np.asarray(a, dtype=T.ELEMENT_TYPE.dtype)
    out = [("contiguous", T.from_numpy(a.copy())),
           ("columnmajor", T.from_numpy(np.asfortranarray(a.copy())))]
    big = np.zeros((a.shape[0] + 2,) + tuple(2 * s for s in a.shape[1:]), a.dtype)
    view = big[(slice(1, -1),) + (slice(None, None, 2),) * (a.ndim - 1)]
    view[...] = a
    out.append(("strided", T.from_numpy(view)))
    return out


def unchanged(t, a):
    np.testing.assert_array_equal(np.asarray(t), a)


# ---- linear systems ----------------------------------------------------------------------


@needs_lapack
@pytest.mark.parametrize("n,nrhs", [(1, 1), (5, 3), (8, 1)])
def test_gesv(T, n, nrhs):
    a = general(T, n)
    b = rng(1).uniform(-1, 1, (n, nrhs)).astype(a.dtype)
    x = np.linalg.solve(a.astype(np.float64), b)
    for _, ta in layouts(T, a):
        for _, tb in layouts(T, b):
            rb, ra = T.empty(), T.empty()
            th(T, "gesv")(rb, ra, tb, ta)
            close(rb, x, T)
            unchanged(ta, a)
            unchanged(tb, b)
            # ra = L + U - I with L U equal to a with its rows permuted
            lu = np.asarray(ra).astype(np.float64)
            prod = (np.tril(lu, -1) + np.eye(n)) @ np.triu(lu)
            close(np.sort(prod, axis=0), np.sort(a, axis=0), T)


@needs_lapack
def test_gesv_vector_rhs_and_in_place(T):
    a, b = general(T, 4), rng(2).uniform(-1, 1, 4).astype(T.ELEMENT_TYPE.dtype)
    x = np.linalg.solve(a.astype(np.float64), b)
    rb, ra = T.empty(), T.empty()
    th(T, "gesv")(rb, ra, T.from_numpy(b), T.from_numpy(a))
    assert rb.shape == (4, 1)
    close(np.asarray(rb)[:, 0], x, T)
    # NULL inputs: work in place on the results (which share numpy's memory)
    aa, bb = np.asfortranarray(a.copy()), np.asfortranarray(b[:, None].copy())
    ta, tb = T.from_numpy(aa), T.from_numpy(bb)
    th(T, "gesv")(tb, ta, None, None)
    close(bb[:, 0], x, T)
    # a result sharing memory with an input is computed from the original input; as upstream,
    # a 4 x 1 result is first resized to 1 x 4 (contiguous: a's first row) and transposed
    ac = a.copy()
    tac = T.from_numpy(ac)
    rb = tac.narrow(1, 0, 1)
    th(T, "gesv")(rb, T.empty(), T.from_numpy(b), tac)
    assert rb.shape == (4, 1) and rb.strides == (1, 4) and rb.storage_offset == 0
    close(ac[0, :], x, T)
    # a 1-d b as its own result becomes the 4 x 1 column-major x
    tb = T.from_numpy(b.copy())
    th(T, "gesv")(tb, T.empty(), None, T.from_numpy(a))
    assert tb.shape == (4, 1) and tb.strides == (1, 4)
    close(np.asarray(tb)[:, 0], x, T)


@needs_lapack
def test_gesv_errors(T):
    sing = np.array([[1, 2], [2, 4]], T.ELEMENT_TYPE.dtype)
    b = np.ones((2, 1), sing.dtype)
    with pytest.raises(RuntimeError, match="singular"):
        th(T, "gesv")(T.empty(), T.empty(), T.from_numpy(b), T.from_numpy(sing))
    with pytest.raises(ValueError, match="square"):
        th(T, "gesv")(T.empty(), T.empty(), T.from_numpy(b),
                      T.from_numpy(np.ones((2, 3), sing.dtype)))
    with pytest.raises(ValueError, match="incompatible"):
        th(T, "gesv")(T.empty(), T.empty(), T.from_numpy(np.ones((3, 1), sing.dtype)),
                      T.from_numpy(general(T, 2)))
    with pytest.raises(ValueError, match="2-dimensional"):
        th(T, "gesv")(T.empty(), T.empty(), T.from_numpy(b), T.from_numpy(np.ones(4, sing.dtype)))
    with pytest.raises(ValueError):
        th(T, "gesv")(T.empty(), T.empty(), T.from_numpy(b), T.empty())
    r = T.empty()
    with pytest.raises(ValueError, match="different"):
        th(T, "gesv")(r, r, T.from_numpy(b), T.from_numpy(general(T, 2)))


@needs_lapack
@pytest.mark.parametrize("uplo,trans,diag", [("U", "N", "N"), ("L", "N", "N"), ("U", "T", "N"),
                                             ("L", "T", "U"), ("u", "n", "u")])
def test_trtrs(T, uplo, trans, diag):
    n = 5
    a = general(T, n)
    b = rng(3).uniform(-1, 1, (n, 2)).astype(a.dtype)
    tri = (np.triu if uplo.upper() == "U" else np.tril)(a.astype(np.float64))
    if diag.upper() == "U":
        np.fill_diagonal(tri, 1)
    op = tri.T if trans.upper() == "T" else tri
    x = np.linalg.solve(op, b)
    for _, ta in layouts(T, a):
        rb, ra = T.empty(), T.empty()
        th(T, "trtrs")(rb, ra, T.from_numpy(b), ta, uplo, trans, diag)
        close(rb, x, T)
        unchanged(ta, a)
        close(ra, a, T)


@needs_lapack
def test_trtrs_errors(T):
    a = np.triu(general(T, 3))
    a[1, 1] = 0
    b = np.ones((3, 1), a.dtype)
    with pytest.raises(RuntimeError, match="singular"):
        th(T, "trtrs")(T.empty(), T.empty(), T.from_numpy(b), T.from_numpy(a), "U", "N", "N")
    with pytest.raises(ValueError, match="uplo"):
        th(T, "trtrs")(T.empty(), T.empty(), T.from_numpy(b), T.from_numpy(a), "X", "N", "N")
    with pytest.raises(ValueError, match="diag"):
        th(T, "trtrs")(T.empty(), T.empty(), T.from_numpy(b), T.from_numpy(a), "U", "N", "")


@needs_lapack
@pytest.mark.parametrize("m,n,nrhs", [(6, 3, 2), (3, 5, 1), (4, 4, 3)])
def test_gels(T, m, n, nrhs):
    a = general(T, n, m)
    b = rng(4).uniform(-1, 1, (m, nrhs)).astype(a.dtype)
    x = np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=None)[0]
    for _, ta in layouts(T, a):
        for _, tb in layouts(T, b)[::2]:
            rb, ra = T.empty(), T.empty()
            th(T, "gels")(rb, ra, tb, ta)
            # as upstream: n x nrhs, showing the first n rows of max(m, n) x nrhs column-major
            assert rb.shape == (n, nrhs) and rb.strides == (1, max(m, n))
            assert len(rb.storage()) == max(m, n) * nrhs
            assert ra.shape == (m, n) and ra.strides == (1, m)
            close(rb, x, T, scale=5)
            unchanged(ta, a)
            unchanged(tb, b)


@needs_lapack
def test_gels_rank_deficient(T):
    a = np.ones((4, 2), T.ELEMENT_TYPE.dtype)
    a[:, 1] = 0  # an exactly zero diagonal element in R
    with pytest.raises(RuntimeError, match="full rank"):
        th(T, "gels")(T.empty(), T.empty(), T.from_numpy(np.ones((4, 1), a.dtype)), T.from_numpy(a))


# ---- eigenvalues and singular values -----------------------------------------------------


@needs_lapack
@pytest.mark.parametrize("uplo", ["U", "L"])
def test_syev(T, uplo):
    n = 6
    s = spd(T, n) - 2 * np.eye(n, dtype=T.ELEMENT_TYPE.dtype)  # indefinite too
    # only the uplo triangle may be read: garbage in the other one
    garbage = rng(5).uniform(-9, 9, (n, n)).astype(s.dtype)
    a = np.triu(s) + np.tril(garbage, -1) if uplo == "U" else np.tril(s) + np.triu(garbage, 1)
    e = np.linalg.eigvalsh(s.astype(np.float64))
    for _, ta in layouts(T, a):
        re, rv = T.empty(), T.empty()
        th(T, "syev")(re, rv, ta, "V", uplo)
        close(re, e, T)
        v = np.asarray(rv).astype(np.float64)
        close(v.T @ v, np.eye(n), T)
        close(s @ v, v * e, T, scale=5)
        unchanged(ta, a)
        re2 = T.empty()
        th(T, "syev")(re2, T.empty(), ta, "N", uplo)
        close(re2, e, T)
    with pytest.raises(ValueError, match="jobz"):
        th(T, "syev")(T.empty(), T.empty(), T.from_numpy(a), "X", uplo)


@needs_lapack
def test_geev(T):
    n = 6
    a = rng(6).uniform(-1, 1, (n, n)).astype(T.ELEMENT_TYPE.dtype)
    w = np.linalg.eigvals(a.astype(np.float64))
    assert np.any(w.imag != 0)  # complex pairs are exercised
    for _, ta in layouts(T, a):
        re, rv = T.empty(), T.empty()
        th(T, "geev")(re, rv, ta, "V")
        e = np.asarray(re)
        assert e.shape == (n, 2)
        ours = e[:, 0] + 1j * e[:, 1]
        close(np.sort_complex(ours), np.sort_complex(w), T, scale=5)
        # LAPACK's vectors: a pair (j, j+1) of columns holds re and im of v_j, conj(v_j)
        vr = np.asarray(rv).astype(np.float64)
        j = 0
        while j < n:
            if e[j, 1] == 0:
                v, j_next = vr[:, j], j + 1
            else:
                v, j_next = vr[:, j] + 1j * vr[:, j + 1], j + 2
            close(a @ v, ours[j] * v, T, scale=5)
            j = j_next
        unchanged(ta, a)
    re = T.empty()
    th(T, "geev")(re, None, T.from_numpy(a), "N")
    e = np.asarray(re)
    close(np.sort_complex(e[:, 0] + 1j * e[:, 1]), np.sort_complex(w), T, scale=5)


@needs_lapack
@pytest.mark.parametrize("m,n", [(5, 3), (3, 5), (4, 4), (1, 3)])
@pytest.mark.parametrize("jobu", ["S", "A"])
def test_gesvd(T, m, n, jobu):
    a = general(T, n, m)
    k = min(m, n)
    s = np.linalg.svd(a.astype(np.float64), compute_uv=False)
    for _, ta in layouts(T, a):
        ru, rs, rv = T.empty(), T.empty(), T.empty()
        th(T, "gesvd")(ru, rs, rv, ta, jobu)
        u, sv, v = (np.asarray(x).astype(np.float64) for x in (ru, rs, rv))
        uc, vc = (m, n) if jobu == "A" else (k, k)
        assert u.shape == (m, uc) and sv.shape == (k,) and v.shape == (n, vc)
        close(sv, s, T)
        close(u.T @ u, np.eye(uc), T)
        close(v.T @ v, np.eye(vc), T)
        close(u[:, :k] @ np.diag(sv) @ v[:, :k].T, a, T)
        unchanged(ta, a)
    ru, rs, rv, ra = T.empty(), T.empty(), T.empty(), T.empty()
    th(T, "gesvd2")(ru, rs, rv, ra, T.from_numpy(a), jobu)
    assert ra.shape == (m, n)
    close(rs, s, T)


@needs_lapack
def test_gesvd_values_only(T):
    a = general(T, 3, 4)
    ru, rs, rv = T.empty(), T.empty(), T.empty()
    th(T, "gesvd")(ru, rs, rv, T.from_numpy(a), "N")
    close(rs, np.linalg.svd(a.astype(np.float64), compute_uv=False), T)
    # as upstream: U gets the layout of the m x k U (not written), V is n x n (zeros here)
    assert ru.shape == (4, 3) and ru.strides == (1, 4)
    assert rv.shape == (3, 3) and rv.strides == (3, 1)
    np.testing.assert_array_equal(np.asarray(rv), 0)
    with pytest.raises(ValueError, match="jobu"):
        th(T, "gesvd")(T.empty(), T.empty(), T.empty(), T.from_numpy(a), "Q")


# ---- inverse and Cholesky ----------------------------------------------------------------


@needs_lapack
@pytest.mark.parametrize("n", [1, 4, 7])
def test_getri(T, n):
    a = general(T, n)
    inv = np.linalg.inv(a.astype(np.float64))
    for _, ta in layouts(T, a):
        r = T.empty()
        th(T, "getri")(r, ta)
        close(r, inv, T)
        unchanged(ta, a)
    # in place
    aa = np.asfortranarray(a.copy())
    ta = T.from_numpy(aa)
    th(T, "getri")(ta, None)
    close(aa, inv, T)
    # a result of the right size is written through its strides, and nothing around it
    big = np.full((n + 2, 3 * n), 7, a.dtype)
    view = big[1:-1, 1::3]
    th(T, "getri")(T.from_numpy(view), T.from_numpy(a))
    close(view, inv, T)
    view[...] = 7
    assert np.all(big == 7)
    with pytest.raises(RuntimeError, match="singular"):
        th(T, "getri")(T.empty(), T.from_numpy(np.zeros((3, 3), a.dtype)))
    with pytest.raises(ValueError, match="square"):
        th(T, "getri")(T.empty(), T.from_numpy(np.ones((3, 2), a.dtype)))


@needs_lapack
@pytest.mark.parametrize("uplo", ["U", "L"])
def test_potrf_potrs_potri(T, uplo):
    n = 5
    a = spd(T, n)
    a64 = a.astype(np.float64)
    chol = np.linalg.cholesky(a64)  # lower
    b = rng(7).uniform(-1, 1, (n, 2)).astype(a.dtype)
    for _, ta in layouts(T, a):
        rf = T.empty()
        th(T, "potrf")(rf, ta, uplo)
        f = np.asarray(rf).astype(np.float64)
        close(f, chol.T if uplo == "U" else chol, T)
        close(f.T @ f if uplo == "U" else f @ f.T, a, T)
        unchanged(ta, a)
    factor = np.asarray(rf).copy()
    for (_, tb), (_, tf) in zip(layouts(T, b), layouts(T, factor), strict=True):
        rb = T.empty()
        th(T, "potrs")(rb, tb, tf, uplo)
        close(rb, np.linalg.solve(a64, b), T)
        unchanged(tb, b)
        unchanged(tf, factor)
    factor = T.from_numpy(factor)
    rb = T.empty()
    th(T, "potrs")(rb, T.from_numpy(b[:, 0].copy()), factor, uplo)
    close(np.asarray(rb)[:, 0], np.linalg.solve(a64, b[:, 0]), T)
    for _, tf in layouts(T, np.asarray(rf)):
        ri = T.empty()
        th(T, "potri")(ri, tf, uplo)
        close(ri, np.linalg.inv(a64), T)


@needs_lapack
def test_potrf_errors(T):
    a = -np.eye(3, dtype=T.ELEMENT_TYPE.dtype)
    with pytest.raises(RuntimeError, match="not positive definite"):
        th(T, "potrf")(T.empty(), T.from_numpy(a), "U")
    with pytest.raises(ValueError, match="square"):
        th(T, "potrf")(T.empty(), T.from_numpy(np.ones((2, 3), a.dtype)), "U")
    with pytest.raises(ValueError, match="uplo"):
        th(T, "potrf")(T.empty(), T.from_numpy(np.eye(2, dtype=a.dtype)), "Z")
    with pytest.raises(RuntimeError, match="singular"):
        th(T, "potri")(T.empty(), T.from_numpy(np.zeros((2, 2), a.dtype)), "U")


@needs_lapack
@pytest.mark.parametrize("uplo", ["U", "L"])
def test_pstrf(T, uplo):
    n = 6
    a = spd(T, n, seed=3)
    for _, ta in layouts(T, a):
        rf, rp = T.empty(), IntTensor.empty()
        th(T, "pstrf")(rf, rp, ta, uplo, -1.0)
        p = np.asarray(rp)
        assert p.dtype == np.int32 and sorted(p) == list(range(1, n + 1))
        f = np.asarray(rf).astype(np.float64)
        assert np.allclose(f, np.triu(f) if uplo == "U" else np.tril(f))
        perm = a.astype(np.float64)[np.ix_(p - 1, p - 1)]
        close(f.T @ f if uplo == "U" else f @ f.T, perm, T)
        unchanged(ta, a)
    v = rng(8).uniform(-1, 1, (n, 2))
    with pytest.raises(RuntimeError, match="rank deficient"):
        singular = T.from_numpy((v @ v.T).astype(a.dtype))
        th(T, "pstrf")(T.empty(), IntTensor.empty(), singular, uplo, -1.0)


# ---- QR ----------------------------------------------------------------------------------


@needs_lapack
@pytest.mark.parametrize("m,n", [(6, 4), (4, 6), (5, 5), (3, 1)])
def test_qr(T, m, n):
    a = general(T, n, m)
    k = min(m, n)
    for _, ta in layouts(T, a):
        rq, rr = T.empty(), T.empty()
        th(T, "qr")(rq, rr, ta)
        q, r = np.asarray(rq).astype(np.float64), np.asarray(rr).astype(np.float64)
        assert q.shape == (m, k) and r.shape == (k, n)
        close(q @ r, a, T)
        close(q.T @ q, np.eye(k), T)
        np.testing.assert_array_equal(r, np.triu(r))
        nq, nr = np.linalg.qr(a.astype(np.float64))
        close(np.abs(r), np.abs(nr), T)
        unchanged(ta, a)


@needs_lapack
@pytest.mark.parametrize("m,n", [(6, 4), (4, 6), (5, 5)])
def test_geqrf_orgqr(T, m, n):
    a = general(T, n, m)
    k = min(m, n)
    for _, ta in layouts(T, a):
        ra, rtau = T.empty(), T.empty()
        th(T, "geqrf")(ra, rtau, ta)
        assert ra.shape == (m, n) and rtau.shape == (k,)
        unchanged(ta, a)
        rq = T.empty()
        th(T, "orgqr")(rq, ra, rtau)
        # as upstream: m x n, Q's first k columns, then a's own columns
        assert rq.shape == (m, n) and rq.strides == (1, m)
        q = np.asarray(rq).astype(np.float64)
        np.testing.assert_array_equal(q[:, k:], np.asarray(ra)[:, k:])
        q = q[:, :k]
        r = np.triu(np.asarray(ra).astype(np.float64))[:k]
        close(q @ r, a, T)
        close(q.T @ q, np.eye(k), T)


@needs_lapack
@pytest.mark.parametrize("side", ["L", "R"])
@pytest.mark.parametrize("trans", ["N", "T"])
def test_ormqr(T, side, trans):
    n = 5
    a = general(T, n)
    ra, rtau, rq = T.empty(), T.empty(), T.empty()
    th(T, "geqrf")(ra, rtau, T.from_numpy(a))
    th(T, "orgqr")(rq, ra, rtau)
    q = np.asarray(rq).astype(np.float64)
    op = q.T if trans == "T" else q
    c = rng(9).uniform(-1, 1, (n, 3) if side == "L" else (3, n)).astype(a.dtype)
    want = op @ c if side == "L" else c @ op
    for _, tc in layouts(T, c):
        r = T.empty()
        th(T, "ormqr")(r, ra, rtau, tc, side, trans)
        close(r, want, T)
        assert r.strides == (1, c.shape[0])
        unchanged(tc, c)
    # as upstream, the reflectors are a's memory read column-major: a row-major copy of geqrf's
    # result is read as its transpose
    rowmajor = T.from_numpy(np.asarray(ra).T.copy())
    r = T.empty()
    th(T, "ormqr")(r, rowmajor, rtau, T.from_numpy(c), side, trans)
    close(r, want, T)
    with pytest.raises(ValueError, match="tau has 5 elements"):
        th(T, "ormqr")(T.empty(), ra, rtau, T.from_numpy(np.ones((2, 2), a.dtype)), side, trans)
    with pytest.raises(ValueError, match="memory holds"):
        th(T, "ormqr")(T.empty(), T.from_numpy(np.ones((5, 2), a.dtype)), rtau, T.from_numpy(c),
                       side, trans)
    with pytest.raises(ValueError, match="side"):
        th(T, "ormqr")(T.empty(), ra, rtau, T.from_numpy(c), "X", trans)


# ---- batched LU --------------------------------------------------------------------------


def apply_pivots(x, piv):
    """P^T x for LAPACK's 1-based row exchanges."""
    x = x.copy()
    for i, p in enumerate(piv):
        x[[i, p - 1]] = x[[p - 1, i]]
    return x


@needs_lapack
def test_btrifact_btrisolve(T):
    nb, n = 3, 4
    a = np.stack([general(T, n, seed=s) for s in range(nb)])
    a[1] = a[1][::-1].copy()  # forces row exchanges
    for _, ta in layouts(T, a):
        rlu, rpiv, rinfo = T.empty(), IntTensor.empty(), IntTensor.empty()
        th(T, "btrifact")(rlu, rpiv, rinfo, 1, ta)
        lu, piv = np.asarray(rlu).astype(np.float64), np.asarray(rpiv)
        assert lu.shape == (nb, n, n) and piv.shape == (nb, n)
        np.testing.assert_array_equal(np.asarray(rinfo), 0)
        assert np.any(piv[1] != np.arange(1, n + 1))
        for i in range(nb):
            l_, u_ = np.tril(lu[i], -1) + np.eye(n), np.triu(lu[i])
            close(l_ @ u_, apply_pivots(a[i].astype(np.float64), piv[i]), T)
        unchanged(ta, a)
    b2 = rng(10).uniform(-1, 1, (nb, n)).astype(a.dtype)
    b3 = rng(11).uniform(-1, 1, (nb, n, 2)).astype(a.dtype)
    for b in (b2, b3):
        for _, tb in layouts(T, b):
            rb = T.empty()
            th(T, "btrisolve")(rb, tb, rlu, rpiv)
            want = np.stack([np.linalg.solve(a[i].astype(np.float64), b[i]) for i in range(nb)])
            close(rb, want, T)
            unchanged(tb, b)


@needs_lapack
def test_btrifact_singular_and_nopivot(T):
    dt = T.ELEMENT_TYPE.dtype
    a = np.stack([general(T, 3), np.zeros((3, 3), dt)])
    rinfo = IntTensor.empty()
    th(T, "btrifact")(T.empty(), IntTensor.empty(), rinfo, 1, T.from_numpy(a))
    info = np.asarray(rinfo)
    assert info[0] == 0 and info[1] > 0
    with pytest.raises(RuntimeError, match="singular"):
        th(T, "btrifact")(T.empty(), IntTensor.empty(), None, 1, T.from_numpy(a))
    # upstream has no LU without pivoting on the CPU
    a = np.stack([general(T, 4, seed=s) for s in range(2)])
    with pytest.raises(RuntimeError, match="without pivoting"):
        th(T, "btrifact")(T.empty(), IntTensor.empty(), None, 0, T.from_numpy(a))
    rlu, rpiv = T.empty(), IntTensor.empty()
    th(T, "btrifact")(rlu, rpiv, None, 1, T.from_numpy(a))
    with pytest.raises(ValueError, match="3-dimensional"):
        th(T, "btrifact")(T.empty(), IntTensor.empty(), None, 1, T.from_numpy(a[0]))
    bad = IntTensor.from_numpy(np.full((2, 4), 9, np.int32))
    with pytest.raises(ValueError, match="out of range"):
        th(T, "btrisolve")(T.empty(), T.from_numpy(np.ones((2, 4), a.dtype)), rlu, bad)


# ---- the raw routines --------------------------------------------------------------------


def intp(v=0):
    return ctypes.c_int(v)


@needs_lapack
def test_raw_gesv_potrf_syev():
    n = 4
    a = general(D, n)
    b = rng(12).uniform(-1, 1, (n, 2))
    af, bf = np.asfortranarray(a), np.asfortranarray(b)
    ipiv, info = np.zeros(n, np.int32), intp(-99)
    ffi.TH.THDoubleLapack_gesv(n, 2, af.ctypes.data, n, ipiv.ctypes.data, bf.ctypes.data, n,
                               ctypes.byref(info))
    assert info.value == 0 and np.all((ipiv >= 1) & (ipiv <= n))
    np.testing.assert_allclose(bf, np.linalg.solve(a, b), rtol=1e-10, atol=1e-12)

    s = np.asfortranarray(spd(D, n))
    s0 = s.copy()
    ffi.TH.THDoubleLapack_potrf(b"L", n, s.ctypes.data, n, ctypes.byref(info))
    assert info.value == 0
    np.testing.assert_allclose(np.tril(s), np.linalg.cholesky(s0), rtol=1e-10, atol=1e-12)
    ffi.TH.THDoubleLapack_potrf(b"U", n, (-np.eye(n)).ctypes.data, n, ctypes.byref(info))
    assert info.value == 1  # not positive definite: reported, not raised

    # workspace query, then the call; float
    sf = np.asfortranarray(spd(F, n))
    w, query = np.zeros(n, np.float32), np.zeros(1, np.float32)
    ffi.TH.THFloatLapack_syev(b"N", b"U", n, sf.ctypes.data, n, w.ctypes.data, query.ctypes.data,
                              -1, ctypes.byref(info))
    assert info.value == 0 and query[0] >= 3 * n - 1
    work = np.zeros(int(query[0]), np.float32)
    ffi.TH.THFloatLapack_syev(b"N", b"U", n, sf.ctypes.data, n, w.ctypes.data, work.ctypes.data,
                              len(work), ctypes.byref(info))
    np.testing.assert_allclose(w, np.linalg.eigvalsh(spd(D, n)), rtol=1e-4)


# ---- a build without LAPACK --------------------------------------------------------------


@pytest.mark.skipif(HAVE_LAPACK, reason="libTH has LAPACK")
def test_without_lapack_every_function_raises(T):
    a = T.from_numpy(np.eye(2, dtype=T.ELEMENT_TYPE.dtype))
    b = T.from_numpy(np.ones((2, 1), T.ELEMENT_TYPE.dtype))
    tau = T.from_numpy(np.ones(2, T.ELEMENT_TYPE.dtype))
    calls = {
        "gesv": (T.empty(), T.empty(), b, a), "trtrs": (T.empty(), T.empty(), b, a, "U", "N", "N"),
        "gels": (T.empty(), T.empty(), b, a), "syev": (T.empty(), T.empty(), a, "V", "U"),
        "geev": (T.empty(), T.empty(), a, "V"), "gesvd": (T.empty(), T.empty(), T.empty(), a, "S"),
        "gesvd2": (T.empty(), T.empty(), T.empty(), T.empty(), a, "S"), "getri": (T.empty(), a),
        "potrf": (T.empty(), a, "U"), "potrs": (T.empty(), b, a, "U"), "potri": (T.empty(), a, "U"),
        "qr": (T.empty(), T.empty(), a), "geqrf": (T.empty(), T.empty(), a),
        "orgqr": (T.empty(), a, tau), "ormqr": (T.empty(), a, tau, a, "L", "N"),
        "pstrf": (T.empty(), IntTensor.empty(), a, "U", -1.0),
    }
    for name, args in calls.items():
        with pytest.raises(RuntimeError, match="lapack not available"):
            th(T, name)(*args)
    m = T.from_numpy(np.array([[[2, 1], [1, 1]]], T.ELEMENT_TYPE.dtype))
    for pivot in (0, 1):
        with pytest.raises(RuntimeError, match="lapack not available"):
            th(T, "btrifact")(T.empty(), IntTensor.empty(), None, pivot, m)
    info = ctypes.c_int(0)
    with pytest.raises(RuntimeError, match="lapack not available"):
        getattr(ffi.TH, T.ELEMENT_TYPE.fn("Lapack_potrf"))(b"U", 2, None, 2, ctypes.byref(info))
