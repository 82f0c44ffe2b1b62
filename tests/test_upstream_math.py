"""Math functions pinned to upstream Torch7's observable behaviour (issue 12): dot's per-section
wrap-around, cat's dimension -2, the convolution mode characters, range / arange / linspace /
logspace into pre-sized outputs. Oracles are hand-computed or written from upstream's C
expressions; every type the function has, contiguous and non-contiguous."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import module

from torchbind import ffi
from torchbind._types import TYPES
from torchbind.errors import THError

INTEGER = [t for t in TYPES.values() if t.math and not t.floating]
FLOATING = [t for t in TYPES.values() if t.math and t.floating]
MATH = INTEGER + FLOATING


def c(T, name):
    return getattr(ffi.TH, f"TH{T.ELEMENT_TYPE.name}Tensor_{name}")


def ids(ts):
    return [t.name for t in ts]


# ---- dot ----------------------------------------------------------------------------------


def sections(t):
    """Upstream's apply walk over t: (length, stride) of its sections: everything when t is
    contiguous, else its trailing dimensions that merge (stride[d] == stride[d+1] size[d+1])."""
    if t.is_contiguous():
        return t.numel()
    size, stride = list(t.size()), list(t.stride())
    n, d = size[-1], len(size) - 1
    while d > 0 and stride[d - 1] == stride[d] * size[d]:
        n *= size[d - 1]
        d -= 1
    return n


def upstream_dot(t, u, a, b, dt):
    """Each stretch inside one section of both walks summed in the type (wrapping), the stretch
    sums added in long."""
    la, lb = sections(t), sections(u)
    x, y = [int(v) for v in a.ravel()], [int(v) for v in b.ravel()]
    bits = 8 * np.dtype(dt).itemsize
    total, i = 0, 0
    while i < len(x):
        run = min(la - i % la, lb - i % lb)
        s = sum(p * q for p, q in zip(x[i:i + run], y[i:i + run], strict=True)) % (1 << bits)
        if np.dtype(dt).kind == "i" and s >= 1 << (bits - 1):
            s -= 1 << bits
        total += s
        i += run
    return (total + 2**63) % 2**64 - 2**63  # the long accumulator wraps too


def test_dot_sections_hand_computed():
    """10 * 10 = 100 per element. Contiguous 2x3: one section, 600 wraps in the type (Char: 88,
    Byte: 88). Transposed (3x2, strides 1, 3): three sections of 2, each 200 in the type (Char:
    -56, Byte: 200), summed in long: -168 and 600."""
    for name, dt, want_t in (("Char", np.int8, -168), ("Byte", np.uint8, 600),
                             ("Short", np.int16, 600)):
        M = module(TYPES[name])
        t = M.from_numpy(np.full((2, 3), 10, dt))
        want_c = 600 if name == "Short" else 88
        assert c(M, "dot")(t, t) == want_c, name
        tt = t.transpose(0, 1)
        assert c(M, "dot")(tt, tt) == want_t, name
        assert c(M, "dot")(tt, M.from_numpy(np.full((3, 2), 10, dt))) == want_t, name


@pytest.mark.parametrize("T", INTEGER, ids=ids(INTEGER))
def test_dot_wraps_per_section(T):
    M = module(T)
    dt = T.dtype
    info = np.iinfo(dt)
    rng = np.random.default_rng(3)
    a = rng.integers(info.min, int(info.max) + 1, (6, 5, 4), dtype=dt)
    b = rng.integers(info.min, int(info.max) + 1, (6, 5, 4), dtype=dt)
    ta, tb = M.from_numpy(a), M.from_numpy(b)
    views = [
        (ta, tb, a, b),
        (ta.transpose(0, 2), tb.transpose(0, 2), a.swapaxes(0, 2), b.swapaxes(0, 2)),
        (ta.narrow(1, 1, 3), tb.narrow(1, 1, 3), a[:, 1:4], b[:, 1:4]),
        (ta.narrow(2, 0, 3), tb.narrow(2, 1, 3).transpose(0, 1), a[:, :, :3],
         b[:, :, 1:4].swapaxes(0, 1)),
        (ta.transpose(1, 2), tb, a.swapaxes(1, 2), b),
    ]
    for t, u, x, y in views:
        y = y.reshape(x.shape) if y.shape != x.shape else y
        got = c(M, "dot")(t, u)
        assert got == upstream_dot(t, u, x, np.ascontiguousarray(y), dt), (t.size(), t.stride())


@pytest.mark.parametrize("T", FLOATING, ids=ids(FLOATING))
def test_dot_floating(T):
    M = module(T)
    a = np.arange(24, dtype=T.dtype).reshape(2, 3, 4) / 7
    t = M.from_numpy(a)
    for v, x in ((t, a), (t.transpose(0, 2), a.swapaxes(0, 2)), (t.narrow(2, 1, 2), a[:, :, 1:3])):
        np.testing.assert_allclose(c(M, "dot")(v, v), float((x.astype(np.float64) ** 2).sum()),
                                   rtol=1e-5)


# ---- cat --------------------------------------------------------------------------------------


def tensor_array(tensors):
    return (ctypes.c_void_p * len(tensors))(*[t.address for t in tensors])


@pytest.mark.parametrize("T", MATH, ids=ids(MATH))
def test_cat_minus_two_is_the_last_dimension(T):
    """C dimension -2 (Lua's -1): the last dimension of the widest input; a lower-dimensional
    input counts as size 1 there. Other negative dimensions raise."""
    M = module(T)
    dt = T.dtype
    a = np.arange(6).astype(dt).reshape(2, 3)
    b = np.arange(10, 14).astype(dt).reshape(2, 2)
    ta, tb = M.from_numpy(a), M.from_numpy(b)
    for x, u in ((ta, a), (ta.narrow(1, 0, 3), a)):
        r = M.empty()
        c(M, "cat")(r, x, tb, -2)
        np.testing.assert_array_equal(np.asarray(r), np.concatenate([u, b], axis=1))
    v = np.array([7, 8], dt)
    r = M.empty()
    c(M, "cat")(r, ta, M.from_numpy(v), -2)  # (2,3) and (2,) along the last of 2 dims
    np.testing.assert_array_equal(np.asarray(r), np.concatenate([a, v[:, None]], axis=1))
    r = M.empty()
    c(M, "cat")(r, M.from_numpy(v), M.from_numpy(v), -2)  # vectors: dimension 0
    np.testing.assert_array_equal(np.asarray(r), [7, 8, 7, 8])
    keep = [M.from_numpy(a.T.copy()).transpose(0, 1), M.empty(), tb]  # non-contiguous input
    r = M.empty()
    c(M, "catArray")(r, tensor_array(keep), 3, -2)
    np.testing.assert_array_equal(np.asarray(r), np.concatenate([a, b], axis=1))
    for bad in (-1, -3, -7):
        with pytest.raises(ValueError):
            c(M, "cat")(M.empty(), ta, tb, bad)


@pytest.mark.parametrize("T", MATH, ids=ids(MATH))
def test_cat_beyond_the_dimensions_and_all_empty(T):
    """A dimension past the inputs' adds size-1 dimensions up to it (as upstream); all inputs
    empty leaves the result as it was."""
    M = module(T)
    dt = T.dtype
    a = np.arange(6).astype(dt).reshape(2, 3)
    r = M.empty()
    c(M, "cat")(r, M.from_numpy(a), M.from_numpy(a), 3)
    assert r.size() == (2, 3, 1, 2)
    np.testing.assert_array_equal(np.asarray(r)[:, :, 0, 1], a)
    r = M.from_numpy(np.array([5, 6], dt))
    c(M, "cat")(r, M.empty(), M.empty(), 0)
    np.testing.assert_array_equal(np.asarray(r), [5, 6])
    c(M, "cat")(r, M.empty(), M.empty(), -2)
    np.testing.assert_array_equal(np.asarray(r), [5, 6])
    with pytest.raises(THError):  # THError (not an argument error) as upstream
        c(M, "cat")(r, M.from_numpy(a), M.from_numpy(a[:1]), 1)


# ---- convolution modes --------------------------------------------------------------------


CONV_NAMES = ["conv2Dmv", "conv2Dmul", "conv2Dcmul", "conv2Dger", "conv2Dmm", "conv3Dmv",
              "conv3Dmul", "conv3Dcmul", "conv3Dger"]


def _conv_args(name, M, dt):
    if name.startswith("conv3D"):
        if name in ("conv3Dmul", "conv3Dcmul"):
            x, k = np.ones((4, 4, 4), dt), np.ones((2, 2, 2), dt)
            if name == "conv3Dcmul":
                x, k = np.ones((2, 4, 4, 4), dt), np.ones((2, 2, 2, 2), dt)
        elif name == "conv3Dmv":
            x, k = np.ones((2, 4, 4, 4), dt), np.ones((3, 2, 2, 2, 2), dt)
        else:
            x, k = np.ones((2, 4, 4, 4), dt), np.ones((3, 2, 2, 2), dt)
        return [M.from_numpy(x), M.from_numpy(k), 1, 1, 1]
    if name == "conv2Dmul":
        x, k = np.ones((4, 4), dt), np.ones((2, 2), dt)
    elif name == "conv2Dcmul":
        x, k = np.ones((2, 4, 4), dt), np.ones((2, 2, 2), dt)
    elif name == "conv2Dmv":
        x, k = np.ones((2, 4, 4), dt), np.ones((3, 2, 2, 2), dt)
    elif name == "conv2Dmm":
        x, k = np.ones((2, 2, 4, 4), dt), np.ones((3, 2, 2, 2), dt)
    else:
        x, k = np.ones((2, 4, 4), dt), np.ones((3, 2, 2), dt)
    return [M.from_numpy(x), M.from_numpy(k), 1, 1]


@pytest.mark.parametrize("T", MATH, ids=ids(MATH))
@pytest.mark.parametrize("name", CONV_NAMES)
def test_conv_mode_first_character_only(name, T):
    """'V'/'F' and 'X'/'C' are read by their first character: what follows is not looked at
    (Lua passes a lone char with no NUL after it)."""
    M = module(T)
    dt = T.dtype
    want = {}
    for vf, xc in (("V", "X"), ("F", "C")):
        r = M.empty()
        c(M, name)(r, 0, 1, *_conv_args(name, M, dt), vf, xc)
        want[vf] = np.asarray(r).copy()
    for vf, xc in ((b"VQ", b"Xz"), (b"Vx", b"X!"), (b"Full", b"Conv")):
        r = M.empty()
        c(M, name)(r, 0, 1, *_conv_args(name, M, dt), vf, xc)
        np.testing.assert_array_equal(np.asarray(r), want[vf[:1].decode()])
    for vf, xc in ((b"v", b"X"), (b"V", b"x"), (b"", b"X"), (b"XV", b"X")):
        with pytest.raises(ValueError):
            c(M, name)(M.empty(), 0, 1, *_conv_args(name, M, dt), vf, xc)


def test_conv_mode_reads_nothing_past_the_char():
    """The mode chars sit on the last byte of a page followed by an unreadable page: reading
    one byte further would crash (run apart, so that a crash fails this test only)."""
    code = r"""
import ctypes, mmap
import numpy as np
import torchbind.float_tensor as F
from torchbind import ffi
page = mmap.PAGESIZE
m = mmap.mmap(-1, 2 * page)
base = ctypes.addressof(ctypes.c_char.from_buffer(m))
libc = ctypes.CDLL(None, use_errno=True)
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
assert libc.mprotect(base + page, page, 0) == 0
vf = base + page - 1
ctypes.memmove(vf, b"V", 1)
xc = base + page - 2
raw = ffi.lib["THFloatTensor_conv2Dmv"]
raw.restype = None
raw.argtypes = [ctypes.c_void_p, ctypes.c_float, ctypes.c_float, ctypes.c_void_p, ctypes.c_void_p,
                ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
for mode in (b"X", b"C"):
    ctypes.memmove(xc, mode, 1)
    ctypes.memmove(vf, b"V", 1)
    x = F.from_numpy(np.ones((1, 3, 3), np.float32))
    k = F.from_numpy(np.ones((1, 1, 2, 2), np.float32))
    r = F.empty()
    raw(r.address, 0, 1, x.address, k.address, 1, 1, vf, xc)
    assert np.asarray(r).tolist() == [[[4.0, 4.0], [4.0, 4.0]]]
    # xc on the page's last byte too
    ctypes.memmove(vf - 1, b"V", 1)
    ctypes.memmove(vf, mode, 1)
    raw(r.address, 0, 1, x.address, k.address, 1, 1, vf - 1, vf)
print("ok")
"""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


# ---- range / arange -----------------------------------------------------------------------


@pytest.mark.parametrize("T", MATH, ids=ids(MATH))
def test_range_fills_a_presized_output_in_place(T):
    """As upstream: an output with the right number of elements keeps its shape and layout and
    is filled in its element order; another count makes it a vector."""
    M = module(T)
    dt = T.dtype
    r = M.from_numpy(np.zeros((2, 3), dt))
    c(M, "range")(r, 1, 6, 1)
    assert r.size() == (2, 3)
    np.testing.assert_array_equal(np.asarray(r), [[1, 2, 3], [4, 5, 6]])
    base = np.zeros((3, 2), dt)
    r = M.from_numpy(base)
    rt = r.transpose(0, 1)  # non-contiguous 2x3 view over base
    c(M, "range")(rt, 1, 6, 1)
    assert rt.size() == (2, 3) and rt._struct().storage == r._struct().storage
    np.testing.assert_array_equal(np.asarray(r), [[1, 4], [2, 5], [3, 6]])
    r = M.from_numpy(np.zeros((2, 3), dt))
    c(M, "range")(r, 1, 4, 1)
    assert r.size() == (4,)
    np.testing.assert_array_equal(np.asarray(r), [1, 2, 3, 4])
    r = M.from_numpy(np.zeros((2, 2), dt))
    c(M, "arange")(r, 0, 4, 1)  # 0..3: four elements, kept 2x2
    assert r.size() == (2, 2)
    np.testing.assert_array_equal(np.asarray(r), [[0, 1], [2, 3]])


@pytest.mark.parametrize("T", MATH, ids=ids(MATH))
def test_arange_edges_as_upstream(T):
    """arange is range up to xmax - step when step divides xmax - xmin: so xmin == xmax raises
    (upstream's range sees xmax < xmin), as does a zero step."""
    M = module(T)
    for xmin, xmax, step in ((0, 0, 1), (5, 5, 2), (3, 3, -1)):
        with pytest.raises(ValueError):
            c(M, "arange")(M.empty(), xmin, xmax, step)
    with pytest.raises(ValueError):
        c(M, "arange")(M.empty(), 0, 4, 0)
    with pytest.raises(ValueError):
        c(M, "range")(M.empty(), 0, 4, 0)
    r = M.empty()
    c(M, "arange")(r, 1, 8, 3)  # 7 % 3 != 0: range(1, 8, 3)
    np.testing.assert_array_equal(np.asarray(r), [1, 4, 7])
    c(M, "arange")(r, 1, 7, 3)  # 6 % 3 == 0: range(1, 4, 3)
    np.testing.assert_array_equal(np.asarray(r), [1, 4])
    c(M, "range")(r, 2, 2, 1)  # range includes xmax: one element
    np.testing.assert_array_equal(np.asarray(r), [2])
    if T.floating:  # the count truncates (xmax - xmin) / step + 1: 0.3 into 1.0 gives 4
        c(M, "range")(r, 0, 1.0, 0.3)
        np.testing.assert_allclose(np.asarray(r), [0, 0.3, 0.6, 0.9], rtol=1e-6)
        c(M, "arange")(r, 0, 1.5, 0.5)  # fmod(1.5, 0.5) == 0: up to 1.0
        np.testing.assert_array_equal(np.asarray(r), [0, 0.5, 1.0])


def test_range_integer_wraps_in_the_type():
    """Values are xmin + i * step in long, stored in the type: Byte 250.. wraps past 255."""
    B = module(TYPES["Byte"])
    r = B.empty()
    c(B, "range")(r, 250, 260, 5)
    np.testing.assert_array_equal(np.asarray(r), [250, 255, 4])


# ---- linspace / logspace ------------------------------------------------------------------


@pytest.mark.parametrize("T", FLOATING, ids=ids(FLOATING))
def test_linspace_logspace_upstream_formula(T):
    """a + i * (b - a) / (n - 1), in the type's own arithmetic (bit for bit), into an output
    that keeps its shape when it has n elements (a non-contiguous one filled in place)."""
    M = module(T)
    dt = T.dtype
    for a, b, n in ((0.1, 0.7, 7), (-3.3, 2.9, 11), (1.0, 1.0, 1), (5.0, -1.25, 4)):
        a_, b_ = dt.type(a), dt.type(b)
        i = np.arange(n).astype(dt)
        with np.errstate(all="ignore"):
            want = a_ + i * (b_ - a_) / dt.type(max(n - 1, 1))
        if n == 1:
            want = np.array([a_])
        for layout in ("fresh", "strided"):
            if layout == "fresh":
                r = M.empty()
                target = r
            else:
                base = np.zeros((n, 2), dt)
                r = M.from_numpy(base)
                target = r.select(1, 1)
            c(M, "linspace")(target, a, b, n)
            got = np.asarray(target)
            np.testing.assert_array_equal(got, want)
            c(M, "logspace")(target, a, b, n)
            np.testing.assert_allclose(np.asarray(target), np.power(dt.type(10), want),
                                       rtol=2e-7 if dt == np.float32 else 1e-15)
            if layout == "strided":
                np.testing.assert_array_equal(np.asarray(r)[:, 0], 0)
    r = M.from_numpy(np.zeros((2, 3), dt))
    c(M, "linspace")(r, 0, 5, 6)
    assert r.size() == (2, 3)
    np.testing.assert_array_equal(np.asarray(r), [[0, 1, 2], [3, 4, 5]])
    for a, b, n in ((0, 1, 1), (0, 1, 0), (0, 0, -2)):
        for op in ("linspace", "logspace"):
            with pytest.raises(ValueError):
                c(M, op)(M.empty(), a, b, n)
