"""numpy-like semantics with no silent surprises (issue 15, Python users): boolean masks, mixing
with numpy scalars and arrays, integers that do not fit, floor division, sizes, numpy-like
members, and module functions that never leak ctypes' exceptions. numpy is the oracle."""

from __future__ import annotations

import ctypes
import inspect
import operator
import warnings

import numpy as np
import pytest
from conftest import ALL_TYPES, MATH_TYPES, module, sample, views

import torchbind.byte_tensor as B
import torchbind.double_tensor as D
import torchbind.float_tensor as F
import torchbind.half_tensor as H
import torchbind.int_tensor as I
import torchbind.long_tensor as L
from torchbind.errors import THZeroDivisionError
from torchbind.tensor import Tensor

INT_TYPES = [t for t in MATH_TYPES if not t.floating]
SIGNED_MATH = [t for t in MATH_TYPES if t.signed]


def arr(t):
    return np.asarray(t)


# ---- 1. boolean masks ---------------------------------------------------------------------

@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_comparison_mask_selects_like_numpy(etype):
    T = module(etype)
    a = sample(T, (4, 5), low=0)
    for name, t, x in views(T, a):
        got = t[t > 2]
        assert isinstance(got, T.Tensor), name
        np.testing.assert_array_equal(arr(got) if got.numel() else np.zeros(0, a.dtype),
                                      x[x > 2], err_msg=name)
        # the mask from a comparison with a tensor of the same shape, and on the right side
        np.testing.assert_array_equal(arr(t[t >= t]).ravel(), x.ravel(), err_msg=name)


def test_issue_examples():
    t = F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert t[t > 2].shape == (3,) and t[t > 2].tolist() == [3.0, 4.0, 5.0]
    a = np.arange(9, dtype=np.int32).reshape(3, 3)
    u = I.from_numpy(a)
    u[u > 4] = -1
    assert a.tolist() == [[0, 1, 2], [3, 4, -1], [-1, -1, -1]]  # written through


@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_mask_assignment_writes_through(etype):
    T = module(etype)
    a = sample(T, (3, 4), low=0)
    for name, t, x in views(T, a.copy()):
        want = x.copy()
        want[want > 2] = 1
        t[t > 2] = 1
        np.testing.assert_array_equal(arr(t), want, err_msg=name)
        want[want == 1] = [9] * int((want == 1).sum())
        t[t == 1] = T.from_numpy(np.full(int((arr(t) == 1).sum()), 9, a.dtype))
        np.testing.assert_array_equal(arr(t), want, err_msg=name)


def test_numpy_bool_masks_rows_and_tuples():
    a = np.arange(9.0).reshape(3, 3)
    t = D.from_numpy(a)
    rows = np.array([True, False, True])
    np.testing.assert_array_equal(arr(t[rows]), a[rows])  # a 1-d mask on the first dim
    np.testing.assert_array_equal(arr(t[rows, 1:]), a[rows, 1:])
    np.testing.assert_array_equal(arr(t[1:, rows]), a[1:, rows])
    np.testing.assert_array_equal(arr(t[a > 3]), a[a > 3])
    np.testing.assert_array_equal(arr(t[[True, False, True]]), a[rows])  # a list of bools
    byte_rows = B.from_numpy(rows.astype(np.uint8))
    np.testing.assert_array_equal(arr(t[byte_rows]), a[rows])
    np.testing.assert_array_equal(arr(t[byte_rows, 2]), a[rows, 2])
    with pytest.raises(IndexError):
        t[np.array([True, False])]  # a mask of the wrong length
    with pytest.raises(IndexError):
        t[B.ones(2, 2)]


def test_byte_mask_nonzero_is_true():
    """Any nonzero byte selects (PyTorch's uint8 masks did the same)."""
    a = np.arange(4.0)
    t = D.from_numpy(a)
    m = B.from_numpy(np.array([0, 2, 255, 1], np.uint8))
    assert t[m].tolist() == [1.0, 2.0, 3.0]
    t[m] = 0
    assert a.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_integer_indices_stay_integer():
    a = np.arange(12, dtype=np.int64).reshape(4, 3)
    t = L.from_numpy(a)
    idx = np.array([3, 0, 3])
    np.testing.assert_array_equal(arr(t[idx]), a[idx])
    np.testing.assert_array_equal(arr(t[[1, 2]]), a[[1, 2]])
    np.testing.assert_array_equal(arr(t[L.from_numpy(idx)]), a[idx])  # 0-based, as numpy
    np.testing.assert_array_equal(arr(t[I.from_numpy(idx.astype(np.int32)), 1:]), a[idx, 1:])
    np.testing.assert_array_equal(arr(t[np.array([1, 0], np.uint8)]), a[[1, 0]])  # numpy's
    t[L.from_numpy(np.array([0, 2]))] = 7
    assert a[0].tolist() == [7, 7, 7] and a[2].tolist() == [7, 7, 7]
    with pytest.raises(IndexError):
        t[F.zeros(2)]  # float tensors are no indices


# ---- 2. mixing with numpy -----------------------------------------------------------------

MIX_TENSORS = [F, D, I, L]
MIX_NUMPY = [np.float32, np.float64, np.int32, np.int64]
OPS = [("+", operator.add), ("-", operator.sub), ("*", operator.mul), ("/", operator.truediv),
       ("//", operator.floordiv), ("%", operator.mod), ("**", operator.pow),
       ("<", operator.lt), ("<=", operator.le), (">", operator.gt), (">=", operator.ge),
       ("==", operator.eq), ("!=", operator.ne)]
COMPARE = {"<", "<=", ">", ">=", "==", "!="}


def _oracle(sym, x, y, dt):
    """torchbind's operator in numpy's result type dt: TH's truncating / for integers."""
    x, y = np.asarray(x).astype(dt), np.asarray(y).astype(dt)
    with np.errstate(all="ignore"):
        if sym == "/" and dt.kind in "iu":
            return np.trunc(x.astype(np.float64) / y).astype(dt)
        return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide,
                "//": np.floor_divide, "%": np.remainder, "**": np.power, "<": np.less,
                "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
                "!=": np.not_equal}[sym](x, y)


@pytest.mark.parametrize("T", MIX_TENSORS, ids=lambda m: m.ELEMENT_TYPE.name)
@pytest.mark.parametrize("nt", MIX_NUMPY, ids=lambda n: n.__name__)
@pytest.mark.parametrize("kind", ["scalar", "array"])
@pytest.mark.parametrize("sym,op", OPS, ids=[s for s, _ in OPS])
def test_both_orders_agree_with_numpy_promotion(T, nt, kind, sym, op):
    dt_t = T.ELEMENT_TYPE.dtype
    a = np.array([[1, 2, 3], [4, 5, 6]], dt_t)  # positive: ** and / stay exact
    t = T.from_numpy(a).t().contiguous().t()  # non-contiguous too
    x = nt(2) if kind == "scalar" else np.array([1, 2, 3], nt)
    want_dt = np.result_type(dt_t, x)
    for r, want in ((op(t, x), _oracle(sym, a, x, want_dt)),
                    (op(x, t), _oracle(sym, x, a, want_dt))):
        assert isinstance(r, Tensor), (sym, type(r))
        if sym in COMPARE:
            assert r.type_name == "Byte"
            np.testing.assert_array_equal(arr(r), want.astype(np.uint8))
        else:
            assert r.dtype == want_dt, (sym, r.dtype, want_dt)  # never a silent downcast
            np.testing.assert_allclose(arr(r), want, rtol=1e-6)


def test_issue_mixing_examples():
    t = F.from_numpy(np.arange(3, dtype=np.float32))
    assert type(np.float32(1) + t) is type(t + np.float32(1)) is F.Tensor
    assert (np.ones(3) + t).type_name == (t + np.ones(3)).type_name == "Double"
    assert (np.ones(3, np.float32) + t).type_name == "Float"
    assert (t + 1).type_name == "Float" and (1.5 + t).type_name == "Float"  # Python: weak
    assert (I.ones(2) + np.int8(3)).type_name == "Int"  # numpy: int8 fits in int32
    assert (I.ones(2) + np.array(3)).type_name == "Long"  # a 0-d array is an array (numpy 2)
    assert (np.array([1, 2]) + I.ones(2)).tolist() == [2, 3]
    assert (np.add([1, 2], I.ones(2))).type_name == "Long"  # a list as numpy sees it


def test_in_place_keeps_type_when_numpy_would():
    a = np.zeros(3, np.float32)
    t = F.from_numpy(a)
    t += np.ones(3)  # numpy: float32 += float64 is allowed (same kind)
    t *= np.float64(3)
    assert t.type_name == "Float" and a.tolist() == [3.0, 3.0, 3.0]
    u = I.zeros(3)
    u += np.int64(2)
    assert u.type_name == "Int" and u.tolist() == [2, 2, 2]
    with pytest.raises(TypeError, match="same_kind"):
        u += np.ones(3)  # float into int in place: numpy refuses too
    with pytest.raises(TypeError, match="same_kind"):
        u //= np.float64(2)


def test_numpy_types_without_th_arithmetic():
    with pytest.raises(TypeError, match="no TH tensor"):
        _ = B.ones(2) + np.ones(2, np.uint16)
    with pytest.raises(TypeError, match="no TH tensor"):
        _ = F.ones(2) + np.complex64(1)


def test_ufuncs_return_tensors():
    a = np.array([[0.5, 1.0], [2.0, 3.0]], np.float32)
    t = F.from_numpy(a).t()
    r = np.exp(t)
    assert r.type_name == "Float"
    np.testing.assert_allclose(arr(r), np.exp(a.T), rtol=1e-6)
    assert np.exp(I.from_numpy(np.array([0, 1], np.int32))).type_name == "Double"
    nan = np.isnan(F.from_numpy(np.array([np.nan, 1], np.float32)))
    assert nan.type_name == "Byte" and nan.tolist() == [1, 0]
    red = np.add.reduce(t, axis=0)
    assert red.type_name == "Float" and red.tolist() == a.T.sum(axis=0).tolist()
    assert np.maximum(t, np.float32(1)).tolist() == np.maximum(a.T, 1).tolist()
    out = F.zeros(2, 2)
    assert np.multiply(t, 2, out=out) is out and arr(out).tolist() == (a.T * 2).tolist()
    np.negative(t, out=t)
    assert a.tolist() == (-np.array([[0.5, 1.0], [2.0, 3.0]])).tolist()
    assert (-np.ones(2) < D.zeros(2)).tolist() == [1, 1]
    assert np.less(D.zeros(2), np.ones(2)).tolist() == [1, 1]
    assert np.abs(I.from_numpy(np.array([-3, 2], np.int32))).tolist() == [3, 2]


def test_numpy_functions_convert_as_documented():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    t = I.from_numpy(a)
    assert np.sum(t) == 15 and isinstance(np.sum(t), np.integer)
    m = np.mean(t, axis=0)
    assert isinstance(m, np.ndarray) and m.tolist() == [1.5, 2.5, 3.5]
    c = np.concatenate([t, t])
    assert isinstance(c, np.ndarray) and c.shape == (4, 3)
    assert np.shares_memory(np.transpose(t), a)  # a view of the tensor's memory
    assert np.array_equal(t, a)


# ---- 3. values that do not fit ------------------------------------------------------------

@pytest.mark.parametrize("etype", INT_TYPES, ids=lambda t: t.name)
def test_integers_that_do_not_fit_raise(etype):
    T = module(etype)
    info = np.iinfo(etype.dtype)
    def attempts(t, big):
        return (lambda: T.fill(t, big), lambda: T.add(t, big), lambda: t + big,
                lambda: big + t, lambda: t.__setitem__(0, big),
                lambda: t.__setitem__(slice(None), [1, big, 2]), lambda: t < big)

    for big in (int(info.max) + 1, int(info.min) - 1, 2**70):
        t = T.zeros(3)
        for f in attempts(t, big):
            with pytest.raises(OverflowError, match=etype.name if big != 2**70 else None):
                f()
        assert t.tolist() == [0, 0, 0]
    with pytest.raises(OverflowError, match=str(int(info.max) + 1)):
        T.fill(T.zeros(1), int(info.max) + 1)
    with pytest.raises(OverflowError):
        T.from_numpy([int(info.max) + 1])


@pytest.mark.parametrize("etype", INT_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -np.inf, np.float32("nan")],
                         ids=repr)
def test_nan_and_inf_into_integer_types_raise(etype, bad):
    T = module(etype)
    t = T.zeros(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "invalid value in cast" warning either
        for f in (lambda: T.fill(t, bad), lambda: T.add(t, bad), lambda: T.mul(t, bad),
                  lambda: t.__setitem__(0, bad),
                  lambda: t.__setitem__(slice(None), np.array([1.0, bad]))):
            with pytest.raises(ValueError):
                f()
    assert t.tolist() == [0, 0]


def test_floats_still_take_any_double():
    t = D.zeros(2)
    t[0] = np.nan
    D.fill(t, 1e300)
    assert t.tolist() == [1e300, 1e300]
    with pytest.raises(OverflowError, match="Double"):
        D.fill(t, 10**400)


# ---- 4. floor division ----------------------------------------------------------------------

@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_floordiv_floors_and_agrees_with_mod(etype):
    T = module(etype)
    rng = np.random.default_rng(4)
    a = sample(T, (4, 5), rng, low=0 if not etype.signed else -9, high=10)
    b = sample(T, (4, 5), rng, low=1, high=5)
    if etype.signed:
        b = b * np.where(rng.integers(0, 2, b.shape) == 1, 1, -1).astype(b.dtype)
    for (name, t, x), (_, u, y) in zip(views(T, a), views(T, b), strict=True):
        with np.errstate(all="ignore"):
            q = t // u
            np.testing.assert_array_equal(arr(q), np.floor_divide(x, y), err_msg=name)
            r = t % u
            for s in (3, -3) if etype.signed else (3,):
                np.testing.assert_array_equal(arr(t // s), np.floor_divide(x, s), err_msg=name)
                np.testing.assert_array_equal(arr(7 // u), np.floor_divide(7, y), err_msg=name)
        if etype.floating:
            np.testing.assert_allclose(arr(q) * y + arr(r), x, rtol=1e-5, atol=1e-5)
        else:
            np.testing.assert_array_equal(arr(q) * y + arr(r), x, err_msg=name)
            np.testing.assert_array_equal(arr(r), np.remainder(x, y), err_msg=name)
        c = t.copy()
        c //= u
        np.testing.assert_array_equal(arr(c), np.floor_divide(x, y))


def test_floordiv_negative_examples_and_true_division():
    a = I.from_numpy(np.array([-7, 7, -8, 8], np.int32))
    assert (a // 2).tolist() == [-4, 3, -4, 4] and (a % 2).tolist() == [1, 1, 0, 0]
    assert (a // -2).tolist() == [3, -4, 4, -4] and (a % -2).tolist() == [-1, -1, 0, 0]
    assert (a / 2).tolist() == [-3, 3, -4, 4]  # TH's division truncates, documented
    f = F.from_numpy(np.array([-7.5, 7.5], np.float32))
    assert (f // 2).tolist() == [-4.0, 3.0] and (f // -2.0).tolist() == [3.0, -4.0]


@pytest.mark.parametrize("etype", INT_TYPES, ids=lambda t: t.name)
def test_integer_division_by_zero(etype):
    T = module(etype)
    t = T.from_numpy(np.array([1, 2, 3], etype.dtype))
    z = T.from_numpy(np.array([1, 0, 1], etype.dtype))
    for f in (lambda: t // 0, lambda: t // z, lambda: t / 0, lambda: t / z, lambda: t % 0,
              lambda: t % z, lambda: 5 // z, lambda: t.__ifloordiv__(0)):
        with pytest.raises(ZeroDivisionError):
            f()
    with pytest.raises(THZeroDivisionError):  # also a THValueError, as before
        t / 0
    assert t.tolist() == [1, 2, 3]


def test_float_division_by_zero_as_numpy():
    a = np.array([-1.0, 0.0, 1.0])
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(arr(D.from_numpy(a) // 0.0), np.floor_divide(a, 0.0))
        np.testing.assert_array_equal(arr(D.from_numpy(a) / 0.0), a / 0.0)


# ---- 5. sizes as zeros takes them -----------------------------------------------------------

@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_ones_takes_sizes_as_zeros(etype):
    T = module(etype)
    for args in ((2, 3), ((2, 3),), ([2, 3],)):
        assert T.ones(*args).shape == T.zeros(*args).shape == (2, 3)
        assert T.ones(*args).tolist() == [[1, 1, 1], [1, 1, 1]]
    assert T.ones(4).shape == (4,)
    out = T.empty(6)
    assert T.ones(2, 3, out=out) is out and out.shape == (2, 3)
    assert "*size" in str(inspect.signature(T.ones))
    if etype.floating:
        for f in (T.rand, T.randn):
            assert f(2, 3).shape == f((2, 3)).shape == (2, 3)
        assert 0 <= T.rand(5).min() and T.rand(5).max() < 1
    with pytest.raises(TypeError, match="size"):
        T.ones(2.5)
    with pytest.raises(ValueError):
        T.ones(-2)


# ---- 6. numpy-like members ------------------------------------------------------------------

@pytest.mark.parametrize("etype", ALL_TYPES, ids=lambda t: t.name)
def test_T_nbytes_itemsize(etype):
    T = module(etype)
    a = np.arange(24).reshape(2, 3, 4).astype(etype.dtype)
    t = T.from_numpy(a)
    for name, v, x in ((*views(T, a)[0],), ("transposed", t.transpose(0, 1), a.swapaxes(0, 1))):
        np.testing.assert_array_equal(arr(v.T), x.T, err_msg=name)
        assert np.shares_memory(arr(v.T), a)  # a view
        assert v.itemsize == x.itemsize and v.nbytes == x.nbytes
    one = T.from_numpy(a.ravel())
    assert one.T is one
    m = T.from_numpy(a[0])
    np.testing.assert_array_equal(arr(m.T), a[0].T)


def test_astype():
    a = np.array([[1.5, -2.5], [300.0, 0.0]], np.float32)
    t = F.from_numpy(a).t()
    for target, name in ((np.int64, "Long"), ("int32", "Int"), (np.dtype("float64"), "Double"),
                         (float, "Double"), ("Float", "Float"), (D, "Double"),
                         (I.Tensor, "Int"), ("float", "Double")):
        r = t.astype(target)
        assert r.type_name == name, target
        np.testing.assert_array_equal(arr(r), a.T.astype(r.dtype))
        assert not np.shares_memory(arr(r), a)  # always a copy
    assert t.astype(bool).tolist() == [[1, 1], [1, 0]]
    with pytest.raises(OverflowError):
        t.astype(np.int8)  # 300 does not fit (numpy's astype would wrap silently)
    with pytest.raises(ValueError):
        F.from_numpy(np.array([np.nan], np.float32)).astype("Int")
    with pytest.raises(TypeError):
        t.astype(np.complex64)
    assert H.from_numpy(np.ones(2, np.float16)).astype(np.float32).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("etype", MATH_TYPES, ids=lambda t: t.name)
def test_reduction_methods(etype):
    T = module(etype)
    a = sample(T, (3, 4), low=1, high=4)
    for name, t, x in views(T, a):
        big = x.astype(np.float64)
        assert t.sum() == pytest.approx(big.sum(), rel=1e-5), name
        assert t.prod() == pytest.approx(big.prod(), rel=1e-4), name
        assert t.max() == x.max() and t.min() == x.min(), name
        assert t.mean() == pytest.approx(big.mean(), rel=1e-5), name
        assert isinstance(t.sum(), float if etype.floating else int)
        for axis in (0, 1, -1):
            for keep in (False, True):
                np.testing.assert_allclose(arr(t.sum(axis, keep)), big.sum(axis, keepdims=keep)
                                           .astype(x.dtype), rtol=1e-5, err_msg=name)
                np.testing.assert_array_equal(arr(t.max(axis=axis, keepdims=keep)),
                                              x.max(axis, keepdims=keep), err_msg=name)
                np.testing.assert_array_equal(arr(t.min(axis, keepdims=keep)),
                                              x.min(axis, keepdims=keep), err_msg=name)
                np.testing.assert_allclose(arr(t.mean(axis, keep)), big.mean(axis,
                                           keepdims=keep), rtol=1e-5, err_msg=name)
        assert arr(t.sum(keepdims=True)).shape == (1, 1)
        assert t.mean(0).dtype == (x.dtype if etype.floating else np.float64)
    v = T.from_numpy(a[0])
    assert v.sum(0) == v.sum() and v.max(0) == a[0].max()  # 1-d along its axis: a number


def test_float_and_int_of_one_element():
    assert float(F.from_numpy(np.array([[2.5]], np.float32))) == 2.5
    assert int(D.from_numpy(np.array([-2.7]))) == -2
    assert int(L.from_numpy(np.array([2**40]))) == 2**40
    for f in (float, int):
        with pytest.raises(ValueError, match="one-element"):
            f(F.zeros(2))
        with pytest.raises(ValueError, match="one-element"):
            f(F.empty())
    with pytest.raises(ValueError):
        int(F.from_numpy(np.array([np.nan], np.float32)))


# ---- 7. no ctypes exception escapes ---------------------------------------------------------

def _good_argument(T, q):
    """A valid value for parameter q of a module function of T."""
    import torchbind.long_tensor as LT
    ct = " ".join(q.ctype.replace("const ", "").split())
    if ct.endswith("Tensor **"):
        return [T.zeros(2, 2)]
    if ct.endswith("Tensor *"):
        name = ct[2:-len("Tensor *")]
        return LT.zeros(2, 2) if name == "Long" else module(
            next(e for e in ALL_TYPES if e.name == name)).zeros(2, 2) if name in (
            "Byte", "Float", "Double", "Int", "Char", "Short") else T.zeros(2, 2)
    if ct == "THLongStorage *":
        return (2, 2)
    if ct == "char *":
        return "U"
    return 1


@pytest.mark.parametrize("T", [F, I], ids=lambda m: m.ELEMENT_TYPE.name)
def test_wrong_argument_types_raise_typeerror_naming_the_parameter(T):
    """Every module function with one argument replaced by a wrong type: TypeError or
    ValueError (never ctypes.ArgumentError), and a TypeError names the parameter."""
    from torchbind._generic import py_name, variadic_size
    checked = 0
    for name in sorted(dir(T)):
        fn = getattr(T, name)
        b = getattr(fn, "__th__", None)
        if b is None:
            continue
        params = [b.proto.params[i] for i in b.inputs]
        for k, p in enumerate(params):
            ct = " ".join(p.ctype.replace("const ", "").split())
            tensor = ct.endswith("Tensor *") or ct.endswith("Tensor **")
            integer = not tensor and ct in ("int", "long", "ptrdiff_t", "size_t", "short",
                                            "unsigned long", "unsigned int")
            bads = ["x", None, object()] + ([0.5] if integer or tensor else [])
            if "real" in p.template and not T.ELEMENT_TYPE.floating:
                bads.append(0.5)
            for bad in bads:
                args = [bad if j == k else _good_argument(T, q) for j, q in enumerate(params)]
                try:
                    fn(*args)
                except ctypes.ArgumentError as e:  # pragma: no cover - the failure
                    pytest.fail(f"{name}({p.name}={bad!r}) leaked {e!r}")
                except TypeError as e:
                    if not variadic_size(b.proto, b.inputs):
                        assert py_name(p.name) in str(e), (name, p.name, bad, str(e))
                except (ValueError, OverflowError, IndexError):
                    assert bad is None or not tensor, (name, p.name, bad)
                except RuntimeError:  # TH refused the (valid) other arguments
                    pass
                else:
                    # None is accepted only where C takes NULL; "x" never; 0.5 only as a real
                    assert bad is None and b.proto.params[b.inputs[k]] is not None, (
                        name, p.name, bad)
                checked += 1
    assert checked > 500


def test_issue_sum_example():
    with pytest.raises(TypeError, match="dimension"):
        F.sum(F.zeros(3, 4), 0.5, 0)
    with pytest.raises(TypeError, match="uplo"):
        F.potrf(F.from_numpy(np.eye(2, dtype=np.float32)), 0.5)
    with pytest.raises(TypeError, match="value"):
        I.add(I.zeros(2), 0.5)
    with pytest.raises(TypeError, match="inputs must be a list"):
        F.cat_array(F.zeros(2), 0)
