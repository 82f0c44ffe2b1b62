"""Pointwise math (generic/THTensorPointwise.c) against numpy, for every type the API table lists,
on contiguous, transposed and narrowed inputs, into fresh, strided and aliased results."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pytest
from conftest import module, views

from torchbind import ffi
from torchbind._types import TYPES
from torchbind.errors import THError

MATH = [t for t in TYPES.values() if t.math]
BYTE = module(TYPES["Byte"])
FLOAT, DOUBLE = module(TYPES["Float"]), module(TYPES["Double"])
SHAPES = [(7,), (4, 5), (3, 4, 2), (1,), (1, 1)]
COMPARISONS = {"lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
               "eq": np.equal, "ne": np.not_equal}
MASKS = {op + s for op in COMPARISONS for s in ("Value", "Tensor")}  # results in a THByteTensor


def types_of(name):
    """The element types the API table exports TH<T>Tensor_<name> for."""
    return [t for t in MATH if f"TH{t.name}Tensor_{name}" in ffi.PROTOTYPES]


def c(T, name):
    return getattr(ffi.TH, f"TH{T.ELEMENT_TYPE.name}Tensor_{name}")


def params(names, kinds="bcsilfd"):
    """pytest params (name, module) for each name and each type the table lists for it,
    filtered by kind letters: b=Byte c=Char s=Short i=Int l=Long f=Float d=Double."""
    out = []
    for name in names:
        for t in types_of(name):
            if "bcsilfd"["Byte Char Short Int Long Float Double".split().index(t.name)] in kinds:
                out.append(pytest.param(name, module(t), id=f"{name}-{t.name}"))
    return out


def no_float_bits(ps):
    """Drops the float types' bit operations (they only raise: tested apart)."""
    return [p for p in ps if not (p.values[1].ELEMENT_TYPE.floating and "bit" in p.values[0])]


def type_params(name, kinds="bcsilfd"):
    return [pytest.param(p.values[1], id=p.id.split("-")[1]) for p in params([name], kinds)]


def rand(T, shape, seed=0, low=None, high=None):
    rng = np.random.default_rng(seed)
    dt = T.ELEMENT_TYPE.dtype
    if dt.kind == "f":
        lo, hi = -4 if low is None else low, 4 if high is None else high
        return rng.uniform(lo, hi, shape).astype(dt)
    info = np.iinfo(dt)
    lo = max(info.min, -20 if low is None else low)
    hi = min(info.max, 21 if high is None else high)
    return rng.integers(lo, hi, shape).astype(dt)


def with_arg(f, v):
    """x -> f(x, v): a numpy ufunc with its second operand fixed."""
    return lambda x: f(x, v)


def wrap(a, dt):
    """Python integers (an object array) wrapped into dt, as TH's integer arithmetic wraps."""
    dt = np.dtype(dt)
    mod = 1 << (8 * dt.itemsize)
    a = np.asarray(a, dtype=object)
    flat = np.array([int(v) % mod for v in a.ravel()], dtype=np.uint64)
    return flat.astype(dt).reshape(a.shape)


def big(a):
    """numpy integers as Python integers (no overflow), floats as float64."""
    a = np.asarray(a)
    return a.astype(object) if a.dtype.kind in "iu" else a.astype(np.float64)


def compare(actual, expected, dt, exact, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, what
    if exact or np.dtype(dt).kind != "f":
        np.testing.assert_array_equal(actual, expected.astype(dt), err_msg=what)
    else:
        tol = 1e-5 if np.dtype(dt).itemsize == 4 else 1e-12
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol, equal_nan=True,
                                   err_msg=what)


class In:
    """Placeholder for the i-th input tensor in an argument list."""

    def __init__(self, i):
        self.i = i


X, Y, Z = In(0), In(1), In(2)


def check(T, name, args, arrays, oracle, exact=False):
    """TH<T>Tensor_<name>(r, *args) against oracle(*arrays) on every view of the inputs (the
    same view of each): into a fresh result, a strided preallocated one and, for results of
    the input's type, in place (r is the first input)."""
    fn = c(T, name)
    R = BYTE if name in MASKS else T
    dt = R.ELEMENT_TYPE.dtype

    def call(r, ts):
        fn(r, *[ts[a.i] if isinstance(a, In) else a for a in args])

    for combo in zip(*(views(T, a) for a in arrays), strict=True):
        label = combo[0][0]
        ts, xs = [v[1] for v in combo], [v[2] for v in combo]
        with np.errstate(all="ignore"):
            expected = np.asarray(oracle(*xs))
        r = R.empty()
        call(r, ts)
        compare(r, expected, dt, exact, f"{name}, {label}, fresh result")
        if expected.ndim >= 2:  # a transposed result keeps its strides: written through
            base = np.zeros((expected.shape[1], expected.shape[0], *expected.shape[2:]), dt)
            r = R.from_numpy(base).transpose(0, 1)
            call(r, ts)
            compare(base.swapaxes(0, 1), expected, dt, exact, f"{name}, {label}, strided result")
        if R is T:
            own = ts[0].copy()
            call(own, [own, *ts[1:]])
            compare(own, expected, dt, exact, f"{name}, {label}, in place")


# ---- floating-point functions -------------------------------------------------------------

def _lgamma(x):
    return np.vectorize(math.lgamma, otypes=[np.float64])(x)


def _round(x):
    """C round: halves away from zero (np.round goes to even)."""
    x = np.asarray(x, np.float64)
    t = np.trunc(x)
    with np.errstate(invalid="ignore"):  # inf - inf
        return np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)


# name: (oracle on float64, low, high, exact)
FLOAT_FNS = {
    "exp": (np.exp, -4, 4, False),
    "log": (np.log, 0.01, 10, False),
    "log1p": (np.log1p, -0.9, 10, False),
    "lgamma": (_lgamma, 0.05, 8, False),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), -10, 10, False),
    "tanh": (np.tanh, -4, 4, False),
    "sqrt": (np.sqrt, 0, 10, False),
    "rsqrt": (lambda x: 1 / np.sqrt(x), 0.01, 10, False),
    "cinv": (lambda x: 1 / x, 0.1, 10, False),
    "floor": (np.floor, -4, 4, True),
    "ceil": (np.ceil, -4, 4, True),
    "round": (_round, -4, 4, True),
    "trunc": (np.trunc, -4, 4, True),
    "frac": (lambda x: x - np.trunc(x), -4, 4, True),
    "sin": (np.sin, -4, 4, False),
    "cos": (np.cos, -4, 4, False),
    "tan": (np.tan, -1.4, 1.4, False),
    "asin": (np.arcsin, -1, 1, False),
    "acos": (np.arccos, -1, 1, False),
    "atan": (np.arctan, -4, 4, False),
    "sinh": (np.sinh, -4, 4, False),
    "cosh": (np.cosh, -4, 4, False),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(sorted(FLOAT_FNS)))
def test_float_functions(name, T, shape):
    oracle, lo, hi, exact = FLOAT_FNS[name]
    check(T, name, [X], [rand(T, shape, low=lo, high=hi)], lambda x: oracle(big(x)), exact)


def test_float_functions_types():
    for name in FLOAT_FNS:
        assert [t.name for t in types_of(name)] == ["Float", "Double"], name


@pytest.mark.parametrize("T", [FLOAT, DOUBLE], ids=["Float", "Double"])
def test_round_halves_away_from_zero(T):
    dt = T.ELEMENT_TYPE.dtype
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, -0.0, np.inf, -np.inf, np.nan], dt)
    r = T.empty()
    c(T, "round")(r, T.from_numpy(x))
    np.testing.assert_array_equal(np.asarray(r), _round(x).astype(dt))
    assert list(np.asarray(r)[:6]) == [1, 2, 3, -1, -2, -3]


@pytest.mark.parametrize("name,T", params(sorted(FLOAT_FNS)))
def test_float_special_values(name, T):
    """nan, +-inf and +-0 go through as C's math library has them (numpy agrees)."""
    dt = T.ELEMENT_TYPE.dtype
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0])
    if name == "lgamma":  # math.lgamma raises at the poles; C gives +inf
        expected = np.array([np.nan, np.inf, np.inf, np.inf, np.inf, 0.0, np.inf])
    else:
        with np.errstate(all="ignore"):
            expected = FLOAT_FNS[name][0](x)
    r = T.empty()
    c(T, name)(r, T.from_numpy(x.astype(dt)))
    np.testing.assert_allclose(np.asarray(r), expected.astype(dt), rtol=1e-6, equal_nan=True)


# ---- signed arithmetic, clamp ---------------------------------------------------------------

UNARY_INT = {"abs": np.abs, "neg": np.negative, "sign": np.sign}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(sorted(UNARY_INT)))
def test_abs_neg_sign(name, T, shape):
    check(T, name, [X], [rand(T, shape)], UNARY_INT[name], exact=True)


def test_abs_neg_sign_types():
    signed = ["Short", "Int", "Long", "Float", "Double"]
    assert [t.name for t in types_of("abs")] == [t.name for t in types_of("neg")] == signed
    assert [t.name for t in types_of("sign")] == ["Byte", "Char", *signed]


@pytest.mark.parametrize("T", type_params("abs", "sil"))
def test_integer_abs_neg_wrap(T):
    info = np.iinfo(T.ELEMENT_TYPE.dtype)
    x = np.array([info.min, info.min + 1, -1, 0, 1, info.max], T.ELEMENT_TYPE.dtype)
    r = T.empty()
    c(T, "abs")(r, T.from_numpy(x))
    assert list(np.asarray(r)) == [info.min, info.max, 1, 0, 1, info.max]  # abs(MIN) wraps
    c(T, "neg")(r, T.from_numpy(x))
    assert list(np.asarray(r)) == [info.min, info.max, 1, 0, -1, -info.max]


def test_sign_of_zero_and_nan():
    r = DOUBLE.empty()
    c(DOUBLE, "sign")(r, DOUBLE.from_numpy(np.array([0.0, -0.0, np.nan, -np.inf, 3.0])))
    assert list(np.asarray(r)) == [0, 0, 0, -1, 1]  # NaN gives 0, as upstream


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(["clamp"]))
def test_clamp(name, T, shape):
    lo, hi = (2, 9) if T.ELEMENT_TYPE.name == "Byte" else (-3, 4)
    check(T, name, [X, lo, hi], [rand(T, shape)], lambda x: np.clip(x, lo, hi), exact=True)


def test_clamp_nan_and_crossed_bounds():
    r = DOUBLE.empty()
    c(DOUBLE, "clamp")(r, DOUBLE.from_numpy(np.array([np.nan, -5.0, 5.0, 0.0])), -1, 1)
    np.testing.assert_array_equal(np.asarray(r), [np.nan, -1, 1, 0])
    # min > max, as upstream: below min gives min, else above max gives max
    c(DOUBLE, "clamp")(r, DOUBLE.from_numpy(np.array([0.0, 1.5, 3.0])), 2, 1)
    assert list(np.asarray(r)) == [2, 2, 1]


# ---- powers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [2, 3, -1, 0.5, 1, 0, -2.5, 1.7])
@pytest.mark.parametrize("shape", [(7,), (4, 5), (1,)])
@pytest.mark.parametrize("name,T", params(["pow"]))
def test_pow(name, T, shape, value):
    a = rand(T, shape, low=0.1, high=4)
    check(T, name, [X, value], [a], lambda x: np.power(big(x), value))


def test_pow_specials():
    x = np.array([-2.0, -0.0, 0.0, np.nan, np.inf, -np.inf])
    # as upstream, 0.5 and -0.5 are sqrt (sqrt(-0) = -0, sqrt(-inf) = NaN) and 1 / sqrt
    for v in (2, -1, 0, 3, -2, 1):
        r = DOUBLE.empty()
        c(DOUBLE, "pow")(r, DOUBLE.from_numpy(x), v)
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(np.asarray(r), np.power(x, v))
    for v, want in ((0.5, [np.nan, -0.0, 0.0, np.nan, np.inf, np.nan]),
                    (-0.5, [np.nan, -np.inf, np.inf, np.nan, 0.0, np.nan])):
        r = DOUBLE.empty()
        c(DOUBLE, "pow")(r, DOUBLE.from_numpy(x), v)
        np.testing.assert_array_equal(np.asarray(r), want)
        assert np.signbit(np.asarray(r)[1])  # sqrt(-0) is -0 (and 1 / -0 is -inf)
    # x * x * x and 1 / (x * x): their roundings, as upstream
    f = np.array([1.1, 0.3, 7.7], np.float32)
    for v, want in ((3, f * f * f), (-2, np.float32(1) / (f * f))):
        r = FLOAT.empty()
        c(FLOAT, "pow")(r, FLOAT.from_numpy(f), v)
        np.testing.assert_array_equal(np.asarray(r), want)


def _x86pow(base, e, dt):
    """Upstream's integer powers: C's double pow, converted to the type as x86-64 converts
    (through int32, int64 for Long; out of range, NaN or inf gives that integer's minimum),
    then wrapped to the type."""
    dt = np.dtype(dt)
    b = np.broadcast_to(np.asarray(base), np.shape(e))
    out = []
    for p, q in zip(b.ravel(), np.ravel(e), strict=True):
        try:
            d = math.pow(float(p), float(q))
        except (OverflowError, ValueError):
            d = math.inf
        lim = 2**63 if dt.itemsize == 8 else 2**31
        out.append(int(d) if math.isfinite(d) and -lim <= d < lim else -lim)
    return wrap(out, dt).reshape(np.shape(e))


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (1,)])
@pytest.mark.parametrize("name,T", params(["tpow", "cpow"]))
def test_tpow_cpow(name, T, shape):
    dt = T.ELEMENT_TYPE.dtype
    if dt.kind == "f":
        e = rand(T, shape, low=-3, high=3)
        b = rand(T, shape, 1, low=0.1, high=3)
        if name == "tpow":
            check(T, name, [1.5, X], [e], lambda x: np.power(1.5, big(x)))
        else:
            check(T, name, [X, Y], [b, e], lambda x, y: np.power(big(x), y))
    else:  # exponents up to 19 (past the type's range: x86's conversion) and negative ones
        e = rand(T, shape, low=0 if dt.kind == "u" else -3, high=20)
        b = rand(T, shape, 1, low=-5, high=6)
        if name == "tpow":
            check(T, name, [3, X], [e], lambda x: _x86pow(3, x, dt), exact=True)
        else:
            check(T, name, [X, Y], [b, e], lambda x, y: _x86pow(x, y, dt), exact=True)


@pytest.mark.parametrize("T", type_params("cpow", "csil"))
def test_integer_powers_hand_computed(T):
    """As upstream (pow in double, truncated): 2 ** -1 is 0, (-1) ** -3 is -1, 1 ** -5 is 1;
    0 ** -1 is inf, which converts to int32's minimum (Long: int64's), wrapped to the type."""
    dt = T.ELEMENT_TYPE.dtype
    bits = 8 * dt.itemsize
    indefinite = {8: 0, 16: 0, 32: -(2**31), 64: -(2**63)}[bits]
    base = T.from_numpy(np.array([1, 2, 3, -1, 1, 0, 3], dt))
    exps = T.from_numpy(np.array([2, -1, 0, -3, -5, -1, 5], dt))
    r = T.empty()
    c(T, "cpow")(r, base, exps)
    assert list(np.asarray(r)) == [1, 0, 1, -1, 1, indefinite, int(wrap([243], dt)[0])]
    c(T, "tpow")(r, 2, exps)
    assert list(np.asarray(r)) == [4, 0, 1, 0, 0, 0, 32]
    r = T.empty()
    c(T, "cpow")(r, exps, T.from_numpy(np.zeros(7, dt)))
    assert list(np.asarray(r)) == [1] * 7  # 0 ** 0 == 1


# ---- modulo ---------------------------------------------------------------------------------

def _divisors(T):
    kind = T.ELEMENT_TYPE.dtype.kind
    return {"u": [3, 7, 1], "i": [3, -3, -1, 7], "f": [3, -3, 2.5, -0.75, -1, 1]}[kind]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(["fmod", "remainder"]))
def test_fmod_remainder_value(name, T, shape):
    oracle = np.fmod if name == "fmod" else np.remainder
    for v in _divisors(T):
        vv = T.ELEMENT_TYPE.dtype.type(v)
        check(T, name, [X, v], [rand(T, shape)], with_arg(oracle, vv), exact=True)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(["cfmod", "cremainder"]))
def test_cfmod_cremainder(name, T, shape):
    dt = T.ELEMENT_TYPE.dtype
    a = rand(T, shape)
    b = rand(T, shape, 1) if dt.kind == "f" else rand(T, shape, 1, low=1)
    if dt.kind == "i":  # divisors of both signs
        b = np.where(np.arange(b.size).reshape(shape) % 2 == 0, b, -b).astype(dt)
    check(T, name, [X, Y], [a, b], np.fmod if name == "cfmod" else np.remainder, exact=True)


@pytest.mark.parametrize("T", type_params("fmod", "csil"))
def test_integer_modulo_extremes(T):
    dt = T.ELEMENT_TYPE.dtype
    m = np.iinfo(dt).min
    x = T.from_numpy(np.array([m, m + 1, -7, 7, 0, -6], dt))
    y = T.from_numpy(np.array([-1, -1, 2, -2, -3, 3], dt))
    r = T.empty()
    c(T, "cfmod")(r, x, y)
    assert list(np.asarray(r)) == [0, 0, -1, 1, 0, 0]  # MIN % -1 is 0 (would trap in C)
    c(T, "cremainder")(r, x, y)
    assert list(np.asarray(r)) == [0, 0, 1, -1, 0, 0]
    c(T, "remainder")(r, x, -1)
    assert list(np.asarray(r)) == [0] * 6


@pytest.mark.parametrize("T", type_params("fmod", "bcsil"))
def test_integer_modulo_by_zero_raises(T):
    dt = T.ELEMENT_TYPE.dtype
    t = T.from_numpy(np.array([5, 6, 7], dt))
    z = T.from_numpy(np.array([1, 0, 2], dt))
    r = T.from_numpy(np.array([9], dt))
    for name, arg in [("fmod", 0), ("remainder", 0), ("cfmod", z), ("cremainder", z)]:
        with pytest.raises(ValueError, match="by zero"):
            c(T, name)(r, t, arg)
    assert list(np.asarray(r)) == [9]


@pytest.mark.parametrize("T", [FLOAT, DOUBLE], ids=["Float", "Double"])
def test_float_modulo_by_zero_and_signs(T):
    dt = T.ELEMENT_TYPE.dtype
    x = np.array([5.0, -5.0, 0.0, -0.0, np.inf, np.nan, 1e-30, -1e-30], dt)
    for v in (0.0, 2.0, -2.0, np.inf):
        r = T.empty()
        with np.errstate(all="ignore"):
            c(T, "fmod")(r, T.from_numpy(x), v)
            np.testing.assert_array_equal(np.asarray(r), np.fmod(x, dt.type(v)))
            c(T, "remainder")(r, T.from_numpy(x), v)
            expected = np.remainder(x, dt.type(v))
        np.testing.assert_array_equal(np.asarray(r), expected)
        # a zero takes the divisor's sign, as numpy's
        np.testing.assert_array_equal(np.signbit(np.asarray(r)), np.signbit(expected))


# ---- bits -----------------------------------------------------------------------------------

BITOPS = {"bitand": np.bitwise_and, "bitor": np.bitwise_or, "bitxor": np.bitwise_xor}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(sorted(BITOPS), "bcsil"))
def test_bitops(name, T, shape):
    dt = T.ELEMENT_TYPE.dtype
    info = np.iinfo(dt)
    a = rand(T, shape, low=info.min, high=info.max)
    b = rand(T, shape, 1, low=info.min, high=info.max)
    v = 0x5A if dt.kind == "u" else -0x35
    check(T, name, [X, v], [a], with_arg(BITOPS[name], dt.type(v)), exact=True)
    check(T, "c" + name, [X, Y], [a, b], BITOPS[name], exact=True)


def test_bitops_types():
    for name in BITOPS:
        assert len(types_of(name)) == len(types_of("c" + name)) == 7


@pytest.mark.parametrize("name,T", params(sorted(BITOPS), "fd"))
def test_bitops_on_floats_raise(name, T):
    t = T.from_numpy(np.array([1.0, 2.0], T.ELEMENT_TYPE.dtype))
    r = T.empty()
    with pytest.raises(THError, match=f"^.*: {name} is only supported for integer type") as e:
        c(T, name)(r, t, 1)
    assert not isinstance(e.value, ValueError)  # THError: a RuntimeError, as upstream
    with pytest.raises(THError, match=f"c{name} is only supported for integer type"):
        c(T, "c" + name)(r, t, t)


SHIFTS = ["lshift", "rshift", "clshift", "crshift"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(SHIFTS, "fd"))
def test_float_shifts_scale_by_powers_of_two(name, T, shape):
    a = rand(T, shape)
    if name.startswith("c"):
        n = rand(T, shape, 1, low=-3, high=6).round()
        sign = 1 if name == "clshift" else -1
        check(T, name, [X, Y], [a, n], lambda x, y: big(x) * 2.0 ** (sign * big(y)))
        return
    sign = 1 if name == "lshift" else -1
    for v in (0, 3, -2, 1.5):
        check(T, name, [X, v], [a], partial(lambda x, p: big(x) * 2.0 ** p, p=sign * v))


def _ushift(x, n, left, dt):
    """Upstream's integer shift: x taken as the unsigned type of its width, shifted (>> brings
    in zeros), wrapped back into dt; a count outside [0, width) (undefined in C) gives 0."""
    dt = np.dtype(dt)
    bits = 8 * dt.itemsize
    mask = (1 << bits) - 1
    x, n = np.broadcast_arrays(np.asarray(x), np.asarray(n))
    out = []
    for xv, nv in zip(x.ravel(), n.ravel(), strict=True):
        u, k = int(xv) & mask, int(nv)
        out.append(0 if not 0 <= k < bits else ((u << k) if left else (u >> k)) & mask)
    return wrap(np.array(out, dtype=object), dt).reshape(x.shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(SHIFTS, "bcsil"))
def test_integer_shifts(name, T, shape):
    """Counts across the whole range: negative (signed types), in range, at and past the width;
    values of both signs (a signed value is shifted as its unsigned bits, as upstream)."""
    dt = T.ELEMENT_TYPE.dtype
    info = np.iinfo(dt)
    bits = 8 * dt.itemsize
    a = rand(T, shape, low=info.min, high=info.max)
    left = "lshift" in name
    if name.startswith("c"):
        n = rand(T, shape, 1, low=-3 if info.min < 0 else 0, high=bits + 3)
        check(T, name, [X, Y], [a, n], partial(_ushift, left=left, dt=dt), exact=True)
        return
    for v in [0, 1, 3, bits - 1, bits, bits + 2] + ([-1] if info.min < 0 else []):
        check(T, name, [X, v], [a], partial(_ushift, n=v, left=left, dt=dt), exact=True)


def test_shift_semantics_spelled_out():
    """Hand-computed, as upstream's C: ((unsigned char)x) >> n for Char, and so on."""
    C = module(TYPES["Char"])
    x = C.from_numpy(np.array([1, -8, 64, -128, -2], np.int8))
    r = C.empty()
    c(C, "lshift")(r, x, 1)
    assert list(np.asarray(r)) == [2, -16, -128, 0, -4]  # wraps in the type's width
    c(C, "rshift")(r, x, 2)
    assert list(np.asarray(r)) == [0, 62, 16, 32, 63]  # logical: 248 >> 2, 128 >> 2, 254 >> 2
    c(C, "rshift")(r, x, 3)
    assert list(np.asarray(r))[-1] == 31  # the example: Char -2 >> 3 is 31
    c(C, "rshift")(r, x, 9)
    assert list(np.asarray(r)) == [0, 0, 0, 0, 0]  # past the width: every bit shifted out
    c(C, "lshift")(r, x, 8)
    assert list(np.asarray(r)) == [0, 0, 0, 0, 0]
    c(C, "lshift")(r, x, -1)
    assert list(np.asarray(r)) == [0, 0, 0, 0, 0]  # a negative count shifts everything out
    c(C, "crshift")(r, x, C.from_numpy(np.array([0, 1, 6, 7, 3], np.int8)))
    assert list(np.asarray(r)) == [1, 124, 1, 1, 31]
    for n, dt, bits in (("Short", np.int16, 16), ("Int", np.int32, 32), ("Long", np.int64, 64)):
        M = module(TYPES[n])
        r = M.empty()
        c(M, "rshift")(r, M.from_numpy(np.array([-2, -1, 5], dt)), 3)
        assert list(np.asarray(r)) == [(2**bits - 2) >> 3, (2**bits - 1) >> 3, 0]
        x, n = M.from_numpy(np.array([-2, -1, 5], dt)), M.from_numpy(np.array([1, 0, 1], dt))
        c(M, "crshift")(r, x, n)
        assert list(np.asarray(r)) == [(2**bits - 2) >> 1, -1, 2]
    r = BYTE.empty()
    c(BYTE, "rshift")(r, BYTE.from_numpy(np.array([255, 128], np.uint8)), 7)
    assert list(np.asarray(r)) == [1, 1]  # logical for the unsigned type
    c(BYTE, "lshift")(r, BYTE.from_numpy(np.array([255, 3], np.uint8)), 7)
    assert list(np.asarray(r)) == [128, 128]


# ---- max, min -------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(["cmax", "cmin", "cmaxValue", "cminValue"]))
def test_cmax_cmin(name, T, shape):
    oracle = np.maximum if "max" in name else np.minimum
    a, b = rand(T, shape), rand(T, shape, 1)
    if name.endswith("Value"):
        check(T, name, [X, 3], [a], with_arg(oracle, T.ELEMENT_TYPE.dtype.type(3)), exact=True)
    else:
        check(T, name, [X, Y], [a, b], oracle, exact=True)


def test_cmax_nan_follows_upstream():
    """As upstream, t > src ? t : src: NaN in src (or value) propagates, NaN in t does not."""
    t = DOUBLE.from_numpy(np.array([np.nan, 1.0, np.nan]))
    s = DOUBLE.from_numpy(np.array([2.0, np.nan, np.nan]))
    r = DOUBLE.empty()
    c(DOUBLE, "cmax")(r, t, s)
    np.testing.assert_array_equal(np.asarray(r), [2.0, np.nan, np.nan])
    c(DOUBLE, "cmin")(r, t, s)
    np.testing.assert_array_equal(np.asarray(r), [2.0, np.nan, np.nan])
    c(DOUBLE, "cmaxValue")(r, t, 0.5)
    np.testing.assert_array_equal(np.asarray(r), [0.5, 1.0, 0.5])
    c(DOUBLE, "cminValue")(r, s, np.nan)
    assert np.isnan(np.asarray(r)).all()


# ---- fused ----------------------------------------------------------------------------------

def _addcdiv_int(x, y, z, v, dt):
    """As upstream's C: value * y in int for Byte/Char/Short (exact: C promotes them), in the
    type for Int/Long (wrapping); the division truncates toward zero; t + q wraps."""
    p = big(y) * v
    if np.dtype(dt).itemsize >= 4:
        p = wrap(p, dt)
    q = [int(pp) // int(zz) if (int(pp) < 0) == (int(zz) < 0) or int(pp) % int(zz) == 0
         else int(pp) // int(zz) + 1 for pp, zz in zip(np.ravel(p), z.ravel(), strict=True)]
    return wrap(big(x).ravel() + np.array(q, dtype=object), dt).reshape(x.shape)


def test_addcdiv_narrow_product_is_not_wrapped():
    """Hand-computed: Char 100 * 3 = 300 (not 300 - 256 = 44) before / 7: 42; Byte 200 * 2 =
    400 / 5 = 80 (not 144 / 5 = 28); Short 300 * 300 = 90000 / 1000 = 90."""
    for name, dt, v, y, z, want in (("Char", np.int8, 3, 100, 7, 42),
                                    ("Byte", np.uint8, 2, 200, 5, 80),
                                    ("Short", np.int16, 300, 300, 1000, 90),
                                    ("Int", np.int32, 65536, 65536, 1, 0)):
        M = module(TYPES[name])
        for layout in ("contiguous", "strided"):
            t = M.from_numpy(np.zeros(4, dt))
            s1 = M.from_numpy(np.full(4, y, dt))
            s2 = M.from_numpy(np.full(4, z, dt))
            if layout == "strided":
                t, s1, s2 = (u.narrow(0, 0, 4) for u in (t, s1, s2))
                t = M.from_numpy(np.zeros((4, 2), dt)).select(1, 0)
            r = M.empty()
            c(M, "addcdiv")(r, t, v, s1, s2)
            assert list(np.asarray(r)) == [want] * 4, (name, layout)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(["addcmul", "addcdiv"]))
def test_addcmul_addcdiv(name, T, shape):
    dt = T.ELEMENT_TYPE.dtype
    a, b = rand(T, shape), rand(T, shape, 1)
    d = rand(T, shape, 2, low=1)
    if dt.kind == "f":
        if name == "addcmul":
            check(T, name, [X, 0.5, Y, Z], [a, b, d], lambda x, y, z: big(x) + 0.5 * big(y) * z)
        else:
            check(T, name, [X, -1.5, Y, Z], [a, b, d], lambda x, y, z: big(x) - 1.5 * big(y) / z)
        return
    v = 3 if dt.kind == "u" else -7
    if dt.kind == "i":  # divisors of both signs, and -1
        d = np.where(np.arange(d.size).reshape(shape) % 3 == 0, -d, d).astype(dt)
        d.flat[0] = -1
    if name == "addcmul":
        check(T, name, [X, v, Y, Z], [a, b, d], lambda x, y, z: wrap(big(x) + v * big(y) * z, dt))
    else:
        check(T, name, [X, v, Y, Z], [a, b, d], partial(_addcdiv_int, v=v, dt=dt))


@pytest.mark.parametrize("T", type_params("addcdiv", "bcsil"))
def test_addcdiv_integer_zero_and_min(T):
    dt = T.ELEMENT_TYPE.dtype
    one = T.from_numpy(np.array([1, 1], dt))
    r = T.from_numpy(np.array([9], dt))
    with pytest.raises(ValueError, match="division by zero"):
        c(T, "addcdiv")(r, one, 1, one, T.from_numpy(np.array([1, 0], dt)))
    assert list(np.asarray(r)) == [9]
    if dt.kind == "i":  # MIN / -1 wraps to MIN instead of trapping
        m = int(np.iinfo(dt).min)
        c(T, "addcdiv")(r, T.from_numpy(np.array([0], dt)), 1, T.from_numpy(np.array([m], dt)),
                        T.from_numpy(np.array([-1], dt)))
        assert list(np.asarray(r)) == [m]


# ---- lerp, atan2 ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params(["lerp", "atan2"]))
def test_lerp_atan2(name, T, shape):
    a, b = rand(T, shape), rand(T, shape, 1)
    if name == "atan2":  # atan2(tx, ty): tx is the numerator
        check(T, name, [X, Y], [a, b], lambda x, y: np.arctan2(big(x), big(y)))
        return
    for w in (0.0, 0.25, 1.0, -0.5):
        check(T, name, [X, Y, w], [a, b], partial(lambda x, y, w: big(x) + w * (big(y) - x), w=w))


def test_lerp_atan2_types():
    assert [t.name for t in types_of("lerp")] == [t.name for t in types_of("atan2")] == [
        "Float", "Double"]


# ---- comparisons ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,T", params([op + s for op in COMPARISONS
                                           for s in ("Value", "Tensor", "ValueT", "TensorT")]))
def test_comparisons(name, T, shape):
    dt = T.ELEMENT_TYPE.dtype
    oracle = COMPARISONS[name[:2]]
    out = np.uint8 if name in MASKS else dt
    a, b = rand(T, shape, low=0, high=4), rand(T, shape, 1, low=0, high=4)  # many ties
    if dt.kind == "f":
        a, b = a.round(), b.round()
        a.flat[-1] = np.nan  # compares false, except !=
    if "Value" in name:
        check(T, name, [X, 2], [a], lambda x: oracle(x, dt.type(2)).astype(out), exact=True)
    else:
        check(T, name, [X, Y], [a, b], lambda x, y: oracle(x, y).astype(out), exact=True)


@pytest.mark.parametrize("T", type_params("equal"))
def test_equal(T):
    a = rand(T, (4, 5))
    eq = c(T, "equal")
    assert eq(T.from_numpy(a), T.from_numpy(a.copy())) == 1
    b = a.copy()
    b[3, 4] += 1
    assert eq(T.from_numpy(a), T.from_numpy(b)) == 0
    assert eq(T.from_numpy(a), T.from_numpy(a.reshape(5, 4))) == 0  # sizes differ
    assert eq(T.from_numpy(a).transpose(0, 1), T.from_numpy(np.ascontiguousarray(a.T))) == 1
    assert eq(T.from_numpy(a).narrow(0, 1, 2), T.from_numpy(a[1:3].copy())) == 1
    assert eq(T.from_numpy(a).transpose(0, 1), T.from_numpy(b).transpose(0, 1)) == 0
    assert eq(T.empty(), T.empty()) == 1
    assert eq(T.empty(), T.from_numpy(a)) == 0
    if T.ELEMENT_TYPE.floating:
        n = a.copy()
        n[0, 0] = np.nan
        assert eq(T.from_numpy(n), T.from_numpy(n)) == 0  # NaN != NaN


# ---- shapes, errors, empty, large -----------------------------------------------------------

def _binary(f, r, a, b):
    f(r, a, b)


# binary functions: name -> call(f, r, a, b); a and b need the same number of elements
BINARY = {n: _binary for n in ["cpow", "cfmod", "cremainder", "cbitand", "clshift", "crshift",
                               "cmax", "cmin", "atan2", "ltTensor", "eqTensor", "neTensorT",
                               "geTensorT"]}
BINARY["addcmul"] = BINARY["addcdiv"] = lambda f, r, a, b: f(r, a, 1, a, b)
BINARY["lerp"] = lambda f, r, a, b: f(r, a, b, 0.5)


@pytest.mark.parametrize("name,T", no_float_bits(params(sorted(BINARY))))
def test_size_mismatch_raises(name, T):
    dt = T.ELEMENT_TYPE.dtype
    a, b = T.from_numpy(np.ones((2, 3), dt)), T.from_numpy(np.ones(5, dt))
    R = BYTE if name in MASKS else T
    r = R.from_numpy(np.full(4, 7, R.ELEMENT_TYPE.dtype))
    for x, y in ((a, b), (b, a)):
        with pytest.raises(ValueError, match="inconsistent tensor size"):
            BINARY[name](c(T, name), r, x, y)
    assert np.asarray(r).tolist() == [7] * 4  # untouched
    if name in ("addcmul", "addcdiv"):  # t against src1
        with pytest.raises(ValueError, match="inconsistent tensor size"):
            c(T, name)(r, b, 1, a, a)


@pytest.mark.parametrize("name,T", no_float_bits(params(sorted(BINARY))))
def test_same_count_other_shape(name, T):
    """As upstream, elementwise inputs need the same count, not the same shape: elements pair
    in order and the result takes the first input's shape."""
    a = rand(T, (2, 6), low=1, high=5)
    b = rand(T, (3, 4), 1, low=1, high=5)
    R = BYTE if name in MASKS else T
    r1, r2 = R.empty(), R.empty()
    BINARY[name](c(T, name), r1, T.from_numpy(a), T.from_numpy(b))
    BINARY[name](c(T, name), r2, T.from_numpy(a), T.from_numpy(b.reshape(2, 6).copy()))
    assert np.asarray(r1).shape == (2, 6)
    np.testing.assert_array_equal(np.asarray(r1), np.asarray(r2))


AREA = set(FLOAT_FNS) | set(UNARY_INT) | set(BINARY) | set(SHIFTS) | {
    "clamp", "pow", "tpow", "fmod", "remainder", "cmaxValue", "cminValue", "equal"} | {
    p + n for p in ("", "c") for n in BITOPS} | {
    op + s for op in COMPARISONS for s in ("Value", "Tensor", "ValueT", "TensorT")}
# one call per function on one input x, for the empty-input test
VALUE_ARG = {"pow", "fmod", "remainder", "lshift", "rshift", "cmaxValue", "cminValue", *BITOPS} | {
    op + s for op in COMPARISONS for s in ("Value", "ValueT")}


def _call_on(name, f, r, x):
    if name in VALUE_ARG:
        f(r, x, 1)
    elif name == "clamp":
        f(r, x, 0, 1)
    elif name == "tpow":
        f(r, 2, x)
    elif name in AREA - set(FLOAT_FNS) - set(UNARY_INT) - {"equal"}:
        (BINARY.get(name) or _binary)(f, r, x, x)
    else:
        f(r, x)


@pytest.mark.parametrize("name,T", no_float_bits(params(sorted(AREA - {"equal"}))))
def test_empty_input_gives_empty_result(name, T):
    """An empty input (nDimension 0) gives an empty result, whatever r held."""
    R = BYTE if name in MASKS else T
    r = R.from_numpy(np.ones(3, R.ELEMENT_TYPE.dtype))
    _call_on(name, c(T, name), r, T.empty())
    assert np.asarray(r).shape == (0,)


def test_every_table_function_of_this_area_is_exported():
    assert len(AREA) == 76
    wanted = [f"TH{t.name}Tensor_{n}" for n in AREA for t in types_of(n)]
    assert len(wanted) == 403
    exported = set(ffi.exported())
    assert [w for w in wanted if w not in exported] == []


@pytest.mark.parametrize("T", [FLOAT, DOUBLE], ids=["Float", "Double"])
def test_exp_sigmoid_ulps_and_same_bits_on_every_path(T):
    """exp and sigmoid have their own vectorised kernels: across exp's whole finite range, within
    about 1 ulp (sigmoid 2.5: exp, an add and a divide) of a long double oracle, and the strided
    path (scalar code) gives the bits of the contiguous one (SIMD clones)."""
    if np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps:
        pytest.skip("long double is double here: no oracle finer than the results")
    dt = T.ELEMENT_TYPE.dtype
    top = 88.7 if dt == np.float32 else 709.7
    x = np.concatenate([np.linspace(-top - 15, top, 400_003), np.linspace(-2, 2, 100_001)])
    x = x.astype(dt)
    wide = x.astype(np.longdouble)
    bits = f"u{dt.itemsize}"
    sigmoid = 1 / (1 + np.exp(-wide))
    for name, exact, ulps in (("exp", np.exp(wide), 1.1), ("sigmoid", sigmoid, 2.5)):
        r = T.empty()
        c(T, name)(r, T.from_numpy(x))
        got = np.asarray(r).astype(np.longdouble)
        normal = (exact >= np.finfo(dt).tiny) & (exact <= np.finfo(dt).max)
        spacing = np.spacing(exact[normal].astype(dt)).astype(np.longdouble)
        assert (np.abs(got[normal] - exact[normal]) / spacing).max() <= ulps, name
        pair = np.stack([x, x], 1)
        view = c(T, "newSelect")(T.from_numpy(pair), 1, 0)
        rs = T.empty()
        c(T, name)(rs, view)
        c(T, "free")(view)
        np.testing.assert_array_equal(np.asarray(rs).view(bits), np.asarray(r).view(bits))


def test_large_contiguous_threaded():
    """Past the OpenMP threshold (100000 elements) the flat loops may split across threads."""
    n = 300_001
    rng = np.random.default_rng(5)
    a = rng.uniform(-3, 3, n).astype(np.float32)
    b = rng.uniform(-3, 3, n).astype(np.float32)
    t, u, r = FLOAT.from_numpy(a), FLOAT.from_numpy(b), FLOAT.empty()
    c(FLOAT, "exp")(r, t)
    np.testing.assert_allclose(np.asarray(r), np.exp(a.astype(np.float64)), rtol=1e-5)
    c(FLOAT, "cmax")(r, t, u)
    np.testing.assert_array_equal(np.asarray(r), np.maximum(a, b))
    c(FLOAT, "addcmul")(r, t, 2.0, t, u)
    np.testing.assert_allclose(np.asarray(r), a + 2.0 * big(a) * b, rtol=1e-5, atol=1e-5)
    m = BYTE.empty()
    c(FLOAT, "ltTensor")(m, t, u)
    np.testing.assert_array_equal(np.asarray(m), (a < b).astype(np.uint8))
    L = module(TYPES["Long"])
    x = rng.integers(-1000, 1000, n)
    rl = L.empty()
    c(L, "remainder")(rl, L.from_numpy(x), -7)
    np.testing.assert_array_equal(np.asarray(rl), np.remainder(x, -7))
    c(L, "rshift")(rl, L.from_numpy(x), 3)
    logical = np.right_shift(x.astype(np.uint64), 3).astype(np.int64)  # upstream: unsigned
    np.testing.assert_array_equal(np.asarray(rl), logical)
