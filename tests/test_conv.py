"""THTensorConv (2-d and 3-d convolutions) against direct numpy references, for every type."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import sample

from torchbind import ffi

# ---- numpy references (computed exactly in int64 / float64) -------------------------------


def big(a):
    a = np.asarray(a)
    return a.astype(np.float64 if a.dtype.kind == "f" else np.int64)


def ref_valid(x, w, s):
    """Valid cross-correlation: out[y] = sum_j x[y*s + j] * w[j]."""
    x, w = big(x), big(w)
    win = np.lib.stride_tricks.sliding_window_view(x, w.shape)
    win = win[tuple(slice(None, None, st) for st in s)]
    nd = w.ndim
    return np.tensordot(win, w, axes=(list(range(nd, 2 * nd)), list(range(nd))))


def ref_full(x, w, s):
    """Full scatter: out[y*s + j] += x[y] * w[j] (transpose of the strided valid one)."""
    x, w = big(x), big(w)
    out = np.zeros(
        [(i - 1) * st + k for i, k, st in zip(x.shape, w.shape, s, strict=True)], x.dtype
    )
    for j in np.ndindex(*w.shape):
        sl = tuple(
            slice(jj, jj + (i - 1) * st + 1, st) for jj, i, st in zip(j, x.shape, s, strict=True)
        )
        out[sl] += w[j] * x
    return out


def ref_rev(x, k, s):
    """Weight-gradient correlation: out[y] = sum_j x[y + j*s] * k[j]."""
    x, k = big(x), big(k)
    osz = [i - (kk - 1) * st for i, kk, st in zip(x.shape, k.shape, s, strict=True)]
    out = np.zeros(osz, x.dtype)
    for j in np.ndindex(*k.shape):
        sl = tuple(slice(jj * st, jj * st + o) for jj, st, o in zip(j, s, osz, strict=True))
        out += k[j] * x[sl]
    return out


def ref_op(x, w, s, vf, xc):
    """Torch's conv2/xcorr2 semantics: "C" flips the kernel relative to "X"."""
    if vf == "V":
        return ref_valid(x, w if xc == "X" else np.flip(w), s)
    return ref_full(x, np.flip(w) if xc == "X" else w, s)


def test_references_agree_with_textbook_definitions():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(5, 6)), rng.normal(size=(2, 3))
    # full cross-correlation == valid cross-correlation of the zero-padded input
    pad = np.pad(x, [(1, 1), (2, 2)])
    np.testing.assert_allclose(ref_op(x, w, (1, 1), "F", "X"), ref_valid(pad, w, (1, 1)))
    # 1-d against numpy's own convolve / correlate
    a, b = rng.normal(size=9), rng.normal(size=4)
    np.testing.assert_allclose(ref_op(a, b, (1,), "F", "C"), np.convolve(a, b, "full"))
    np.testing.assert_allclose(ref_op(a, b, (1,), "V", "C"), np.convolve(a, b, "valid"))
    np.testing.assert_allclose(ref_op(a, b, (1,), "V", "X"), np.correlate(a, b, "valid"))
    np.testing.assert_allclose(ref_op(a, b, (1,), "F", "X"), np.correlate(a, b, "full"))
    # strided valid xcorr == subsampled unit-stride one; rev == valid xcorr with a dilated kernel
    np.testing.assert_allclose(ref_valid(x, w, (2, 3)), ref_valid(x, w, (1, 1))[::2, ::3])
    dil = np.zeros((3, 5))
    dil[::2, ::2] = w
    np.testing.assert_allclose(ref_rev(x, w, (2, 2)), ref_valid(x, dil, (1, 1)))


# ---- helpers ------------------------------------------------------------------------------


def fn(T, name):
    return getattr(ffi.TH, T.ELEMENT_TYPE.fn("Tensor_" + name))


def wrap(a, dtype):
    return np.asarray(a).astype(dtype, casting="unsafe")


def check(actual, expected, dtype):
    actual = np.asarray(actual)
    assert actual.shape == expected.shape
    if np.dtype(dtype).kind == "f":
        tol = 1e-4 if np.dtype(dtype).itemsize == 4 else 1e-10
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * 20)
    else:
        np.testing.assert_array_equal(actual, wrap(expected, dtype))


def tensor(T, x, layout):
    """A tensor holding x: contiguous, or a non-contiguous view (transposed / narrowed)."""
    if layout == "contiguous" or x.ndim < 2:
        return T.from_numpy(x.copy())  # a copy: the tensor shares memory with its array
    if layout == "transposed":
        d = x.ndim
        return T.from_numpy(np.ascontiguousarray(np.swapaxes(x, d - 1, d - 2))).transpose(
            d - 1, d - 2
        )
    base = np.zeros(x.shape[:-1] + (x.shape[-1] + 3,), x.dtype)
    base[..., 1:-2] = x
    return T.from_numpy(base).narrow(x.ndim - 1, 1, x.shape[-1])


def scalars(T):
    """(beta, alpha) pairs; integer types get small ones (Byte is unsigned)."""
    if T.ELEMENT_TYPE.floating:
        return [(0, 1), (1, 1), (0.5, -2.0), (2, 0.25)]
    return (
        [(0, 1), (1, 1), (2, 3), (0, 2)]
        if not T.ELEMENT_TYPE.signed
        else [(0, 1), (1, 1), (2, -3), (-1, 2)]
    )


# ---- raw pointer kernels -------------------------------------------------------------------

PTR2D = {
    "validXCorr2Dptr": lambda x, w, s: ref_op(x, w, s, "V", "X"),
    "validConv2Dptr": lambda x, w, s: ref_op(x, w, s, "V", "C"),
    "fullXCorr2Dptr": lambda x, w, s: ref_op(x, w, s, "F", "X"),
    "fullConv2Dptr": lambda x, w, s: ref_op(x, w, s, "F", "C"),
    "validXCorr2DRevptr": ref_rev,
}
PTR3D = {k.replace("2D", "3D"): v for k, v in PTR2D.items()}

# (input shape, kernel shape): wide rows take the axpy paths, narrow ones the dot paths
# (full only: kernels larger than the input, the other scatter path)
SHAPES2D = [
    ((7, 9), (3, 2)),
    ((5, 4), (2, 3)),
    ((6, 6), (6, 1)),
    ((4, 3), (1, 1)),
    ((3, 2), (3, 2)),
    ((6, 12), (2, 5)),
    ((3, 2), (2, 4)),
    ((2, 3), (4, 5)),
]
SHAPES3D = [
    ((4, 5, 7), (2, 3, 2)),
    ((3, 4, 3), (3, 1, 3)),
    ((2, 2, 2), (1, 2, 1)),
    ((2, 3, 2), (3, 2, 4)),
]


def ptr(a):
    return a.ctypes.data


@pytest.mark.parametrize("name", list(PTR2D) + list(PTR3D))
def test_ptr_kernels_accumulate(T, name):
    dt = T.ELEMENT_TYPE.dtype
    nd = 3 if "3D" in name else 2
    ref = {**PTR2D, **PTR3D}[name]
    alpha = 2 if not T.ELEMENT_TYPE.floating else 0.5
    rng = np.random.default_rng(11)
    for (isz, ksz), s in itertools.product(
        SHAPES3D if nd == 3 else SHAPES2D, itertools.product((1, 2), repeat=nd)
    ):
        if "Rev" in name and any(
            i - (k - 1) * st < 1 for i, k, st in zip(isz, ksz, s, strict=True)
        ):
            continue
        if "full" not in name and any(k > i for i, k in zip(isz, ksz, strict=True)):
            continue
        x, w = sample(T, isz, rng), sample(T, ksz, rng)
        expected_conv = ref(x, w, s)
        r0 = sample(T, expected_conv.shape, rng)
        r = r0.copy()
        fn(T, name)(ptr(r), alpha, ptr(x), *isz, ptr(w), *ksz, *s)
        check(r, big(r0) + alpha * expected_conv, dt)


def test_ptr_kernels_check_arguments(T):
    dt = T.ELEMENT_TYPE.dtype
    x, w, r = np.ones((3, 3), dt), np.ones((4, 2), dt), np.zeros((9, 9), dt)
    for name in ("validXCorr2Dptr", "validConv2Dptr", "validXCorr2DRevptr"):
        with pytest.raises(ValueError):  # kernel taller than the input
            fn(T, name)(ptr(r), 1, ptr(x), 3, 3, ptr(w), 4, 2, 1, 1)
    with pytest.raises(ValueError):  # stride 0
        fn(T, "fullConv2Dptr")(ptr(r), 1, ptr(x), 3, 3, ptr(w), 4, 2, 0, 1)
    with pytest.raises(ValueError):  # dilated kernel larger than the input
        fn(T, "validXCorr2DRevptr")(ptr(r), 1, ptr(x), 3, 3, ptr(w), 2, 2, 3, 1)
    with pytest.raises(ValueError):
        fn(T, "validXCorr3Dptr")(ptr(r), 1, ptr(x), 1, 3, 3, ptr(w), 2, 2, 2, 1, 1, 1)
    assert not r.any()


# ---- tensor level --------------------------------------------------------------------------


def ref_tensor(op, x, w, s, vf, xc):
    """The numpy result of conv<op> (before alpha/beta)."""
    conv = (
        (lambda a, b: ref_rev(a, b, s)) if "Rev" in op else (lambda a, b: ref_op(a, b, s, vf, xc))
    )
    if op == "mul":
        return conv(x, w)
    if op == "cmul":
        return np.stack([conv(x[i], w[i]) for i in range(x.shape[0])])
    if op == "mv":
        return np.stack(
            [sum(conv(x[i], w[k, i]) for i in range(x.shape[0])) for k in range(w.shape[0])]
        )
    if op == "mm":
        return np.stack([ref_tensor("mv", xb, w, s, vf, xc) for xb in x])
    if op in ("ger", "Revger"):
        return np.stack(
            [np.stack([conv(x[i], w[k]) for i in range(x.shape[0])]) for k in range(w.shape[0])]
        )
    if op == "Revgerm":
        return sum(ref_tensor("Revger", x[b], w[b], s, vf, xc) for b in range(x.shape[0]))
    raise AssertionError(op)


def operand_shapes(op, isz, ksz, nIn=3, nK=2, nb=2):
    return {
        "mul": (isz, ksz),
        "cmul": ((nIn,) + isz, (nIn,) + ksz),
        "mv": ((nIn,) + isz, (nK, nIn) + ksz),
        "mm": ((nb, nIn) + isz, (nK, nIn) + ksz),
        "ger": ((nIn,) + isz, (nK,) + ksz),
        "Revger": ((nIn,) + isz, (nK,) + ksz),
        "Revgerm": ((nb, nIn) + isz, (nb, nK) + ksz),
    }[op]


OPS2D = ["mul", "cmul", "mv", "mm", "ger", "Revger", "Revgerm"]
OPS3D = ["mul", "cmul", "mv", "ger", "Revger"]


def run_tensor_op(T, op, nd, isz, ksz, modes, strides, layouts, rng):
    dt = T.ELEMENT_TYPE.dtype
    f = fn(T, f"conv{nd}D{op}")
    tshape, kshape = operand_shapes(op, isz, ksz)
    # every mode x stride, each with a few (layout, beta/alpha) combinations taken in turn so
    # that all of those are covered too, without the full product
    cases = list(itertools.product(modes, strides))
    extras = list(itertools.product(layouts, scalars(T)))
    per = max(3, -(-len(extras) // len(cases)))
    for n in range(len(cases) * per):
        (vf, xc), s = cases[n // per]
        layout, (beta, alpha) = extras[n % len(extras)]
        if "Rev" in op and any(i - (k - 1) * st < 1 for i, k, st in zip(isz, ksz, s, strict=True)):
            continue
        x, w = sample(T, tshape, rng), sample(T, kshape, rng)
        conv = ref_tensor(op, x, w, s, vf, xc)
        r0 = sample(T, conv.shape, rng)
        t, k = tensor(T, x, layout), tensor(T, w, layout)
        flags = () if "Rev" in op else (vf, xc)
        # result given with the right shape: beta applies (r_ non-contiguous for "transposed")
        r = tensor(T, r0, layout)
        f(r, beta, alpha, t, k, *s, *flags)
        expected = (0 if beta == 0 else beta * big(r0)) + alpha * conv
        check(r, expected, dt)
        assert np.asarray(t).tolist() == x.tolist() and np.asarray(k).tolist() == w.tolist()
        # a fresh result: zeroed whatever beta is
        e = T.empty()
        f(e, beta, alpha, t, k, *s, *flags)
        check(e, alpha * conv, dt)


@pytest.mark.parametrize("op", OPS2D)
def test_conv2D(T, op):
    rng = np.random.default_rng(5)
    modes = [("V", "X"), ("V", "C"), ("F", "X"), ("F", "C")]
    if "Rev" in op:
        modes = [("V", "X")]
    for isz, ksz in [((6, 7), (3, 2)), ((4, 9), (2, 4)), ((3, 3), (3, 3))]:
        run_tensor_op(
            T,
            op,
            2,
            isz,
            ksz,
            modes,
            [(1, 1), (2, 1), (2, 2)],
            ["contiguous", "transposed", "narrowed"][: 3 if isz == (6, 7) else 1],
            rng,
        )


@pytest.mark.parametrize("op", OPS3D)
def test_conv3D(T, op):
    rng = np.random.default_rng(6)
    modes = [("V", "X"), ("V", "C"), ("F", "X"), ("F", "C")]
    if "Rev" in op:
        modes = [("V", "X")]
    run_tensor_op(
        T,
        op,
        3,
        (4, 5, 6),
        (2, 3, 2),
        modes,
        [(1, 1, 1), (2, 1, 2)],
        ["contiguous", "transposed"],
        rng,
    )


def test_full_kernel_larger_than_input():
    import torchbind.double_tensor as D

    x, w = np.arange(6.0).reshape(2, 3), np.arange(20.0).reshape(4, 5) - 7
    for xc, s in itertools.product("XC", [(1, 1), (2, 3)]):
        r = D.empty()
        D_fn = fn(D, "conv2Dmul")
        D_fn(r, 0, 1, D.from_numpy(x), D.from_numpy(w), *s, "F", xc)
        check(r, ref_op(x, w, s, "F", xc), np.float64)


def test_beta_rules():
    import torchbind.float_tensor as F

    x, w = sample(F, (2, 5, 5)), sample(F, (3, 2, 2, 2))
    conv = ref_tensor("mv", x, w, (1, 1), "V", "X")
    f = fn(F, "conv2Dmv")
    # beta == 0 ignores what r_ held, NaN included
    r = F.from_numpy(np.full(conv.shape, np.nan, np.float32))
    f(r, 0, 1, F.from_numpy(x), F.from_numpy(w), 1, 1, "V", "X")
    check(r, conv, np.float32)
    # a result with another number of elements is resized and zeroed, beta notwithstanding
    r = F.Tensor.empty(2, 3)
    np.asarray(r)[...] = 1
    f(r, 5, 2, F.from_numpy(x), F.from_numpy(w), 1, 1, "V", "X")
    check(r, 2 * conv, np.float32)
    # a result sharing the input's storage (another view of it) sees the input as it was
    for shared in ("input", "kernel"):
        t, k = F.Tensor.empty(*x.shape), F.Tensor.empty(*w.shape)
        np.asarray(t)[...], np.asarray(k)[...] = x, w
        r = (t if shared == "input" else k).narrow(0, 0, 1)
        f(r, 0, 1, t, k, 1, 1, "V", "X")
        check(r, conv, np.float32)
    # ... but the result cannot be the input object itself
    t = F.Tensor.empty(*x.shape)
    with pytest.raises(ValueError):
        f(t, 0, 1, t, F.from_numpy(w), 1, 1, "V", "X")
    # a result over numpy memory cannot grow: an error, not a crash
    r = F.from_numpy(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError):
        f(r, 0, 1, F.from_numpy(x), F.from_numpy(w), 1, 1, "V", "X")


def test_large_threaded_matches():
    """Big enough to cross the threading threshold."""
    import torchbind.float_tensor as F

    rng = np.random.default_rng(9)
    x, w = sample(F, (2, 4, 40, 40), rng), sample(F, (6, 4, 5, 5), rng)
    r = F.empty()
    fn(F, "conv2Dmm")(r, 0, 1, F.from_numpy(x), F.from_numpy(w), 1, 1, "V", "C")
    check(r, ref_tensor("mm", x, w, (1, 1), "V", "C"), np.float32)


def test_errors(T):
    dt = T.ELEMENT_TYPE.dtype
    e = T.empty()

    def t(*shape):
        return T.from_numpy(np.ones(shape, dt))

    bad = [
        ("conv2Dmul", t(3, 3, 3), t(2, 2), (1, 1, "V", "X")),  # input not 2-d
        ("conv2Dmul", t(3, 3), t(2, 2, 1), (1, 1, "V", "X")),  # kernel not 2-d
        ("conv2Dmul", t(3, 3), t(4, 2), (1, 1, "V", "X")),  # kernel larger than input (valid)
        ("conv2Dmul", t(3, 3), t(2, 2), (1, 1, "v", "X")),
        ("conv2Dmul", t(3, 3), t(2, 2), (1, 1, "vf", "X")),  # lower case
        ("conv2Dmul", t(3, 3), t(2, 2), (1, 1, "", "X")),
        ("conv2Dmul", t(3, 3), t(2, 2), (1, 1, "V", "Y")),
        ("conv2Dmul", t(3, 3), t(2, 2), (0, 1, "V", "X")),  # stride 0
        ("conv2Dmul", t(3, 3), t(2, 2), (1, -1, "F", "X")),
        ("conv2Dcmul", t(3, 3, 3), t(2, 2, 2), (1, 1, "V", "X")),  # plane counts differ
        ("conv2Dmv", t(3, 3, 3), t(2, 2, 2, 2), (1, 1, "V", "X")),  # kernel's nIn differs
        ("conv2Dmv", t(3, 3, 3), t(2, 3, 2), (1, 1, "V", "X")),
        ("conv2Dmm", t(3, 3, 3), t(2, 3, 2, 2), (1, 1, "V", "X")),
        ("conv2Dger", t(3, 3), t(2, 2, 2), (1, 1, "V", "X")),
        ("conv2DRevger", t(2, 3, 3), t(2, 4, 2), (1, 1)),
        ("conv2DRevger", t(2, 5, 5), t(2, 3, 3), (3, 1)),  # dilated kernel larger than input
        ("conv2DRevgerm", t(2, 2, 3, 3), t(3, 2, 2, 2), (1, 1)),  # batch differs
        ("conv3Dmul", t(3, 3), t(2, 2), (1, 1, 1, "V", "X")),
        ("conv3Dmv", t(2, 3, 3, 3), t(2, 3, 2, 2, 2), (1, 1, 1, "V", "X")),
        ("conv3Dcmul", t(2, 3, 3, 3), t(2, 4, 2, 2), (1, 1, 1, "V", "X")),
        ("conv3Dger", t(2, 3, 3, 3), t(2, 2, 2, 2), (1, 1, 1, "F", "c")),
        ("conv3DRevger", t(2, 3, 3, 3), t(2, 2, 2, 2), (1, 1, 0)),
        ("conv3Dmul", t(3, 3, 3), t(2, 2, 2), (1, 1, 1, "V", None)),
        ("conv2Dmul", t(3, 3), t(2, 2), (2**62, 1, "F", "X")),  # output size overflows
        ("conv2DRevger", t(1, 3, 3), t(1, 2, 2), (1, 2**62)),
    ]
    for name, a, b, rest in bad:
        with pytest.raises(ValueError):
            fn(T, name)(e, 0, 1, a, b, *rest)
        assert np.asarray(e).shape == (0,), name  # nothing was resized
    # full convolution accepts a kernel larger than the input
    fn(T, "conv2Dmul")(e, 0, 1, t(3, 3), t(4, 2), 1, 1, "F", "X")
    assert np.asarray(e).shape == (6, 4)
