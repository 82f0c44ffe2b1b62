"""Property tests (hypothesis): differential against numpy over random shapes, strides, types
and values; a fuzzer over THFile reading; and one over the Python API's argument handling.

CI runs a few thousand examples; `bash scripts/fuzz.sh` runs the nightly-sized profile."""

from __future__ import annotations

import ctypes
import os

import numpy as np
import pytest
from conftest import MATH_TYPES, module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_upstream_math import upstream_dot

from torchbind import ffi
from torchbind.errors import THError
from torchbind.file import MemoryFile

settings.register_profile("ci", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=20000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

types = st.sampled_from(MATH_TYPES)


@st.composite
def strided(draw, etype=None):
    """(module, tensor, numpy twin): a random array seen through random TH views."""
    etype = etype or draw(types)
    T = module(etype)
    shape = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))
    if etype.floating:
        values = draw(st.lists(st.floats(-100, 100, width=32), min_size=int(np.prod(shape)),
                               max_size=int(np.prod(shape))))
    else:
        info = np.iinfo(etype.dtype)
        lo, hi = max(int(info.min), -50), min(int(info.max), 50)
        values = draw(st.lists(st.integers(lo, hi), min_size=int(np.prod(shape)),
                               max_size=int(np.prod(shape))))
    a = np.array(values, dtype=etype.dtype).reshape(shape)
    t = T.from_numpy(a)
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["narrow", "transpose", "select", "unfold", "expand"]))
        d = draw(st.integers(0, a.ndim - 1))
        if op == "narrow":
            start = draw(st.integers(0, a.shape[d] - 1))
            length = draw(st.integers(1, a.shape[d] - start))
            t, a = t.narrow(d, start, length), np.take(a, range(start, start + length), d)
        elif op == "transpose":
            e = draw(st.integers(0, a.ndim - 1))
            t, a = t.transpose(d, e), np.swapaxes(a, d, e)
        elif op == "select" and a.ndim > 1:
            i = draw(st.integers(0, a.shape[d] - 1))
            t, a = t.select(d, i), np.take(a, i, d)
        elif op == "unfold" and a.ndim < 4:
            size = draw(st.integers(1, a.shape[d]))
            step = draw(st.integers(1, 3))
            t = t.unfold(d, size, step)
            a = np.moveaxis(np.lib.stride_tricks.sliding_window_view(a, size, axis=d), -1, -1)
            a = np.take(a, range(0, a.shape[d], step), d)
        elif op == "expand" and 1 in a.shape:
            target = tuple(3 if n == 1 else n for n in a.shape)
            t, a = t.expand(*target), np.broadcast_to(a, target)
    return T, t, a


def wrap(x, dtype):
    return np.asarray(x).astype(dtype, casting="unsafe")


@given(strided())
def test_views_read_like_numpy(case):
    T, t, a = case
    assert t.shape == a.shape
    np.testing.assert_array_equal(np.asarray(t), a)
    np.testing.assert_array_equal(np.asarray(t.contiguous()), a)


@given(strided(), st.integers(-3, 3))
def test_reductions_and_scalar_math(case, k):
    T, t, a = case
    dt = T.ELEMENT_TYPE.dtype
    k = abs(k) if dt.kind == "u" else k  # Byte rejects negative scalars (OverflowError)
    big = a.astype(np.float64 if dt.kind == "f" else np.int64)
    if dt.kind == "f":
        assert T.sumall(t) == pytest.approx(big.sum(), rel=1e-5, abs=1e-3)
    else:
        assert T.sumall(t) == big.sum()
    assert T.maxall(t) == a.max() and T.minall(t) == a.min()
    got = np.asarray(T.add(t, k if not T.ELEMENT_TYPE.floating else float(k)))
    np.testing.assert_allclose(got, wrap(big + k, dt), rtol=1e-6)
    got = np.asarray(T.mul(t, 2))
    np.testing.assert_allclose(got, wrap(big * 2, dt), rtol=1e-6)


@given(st.data())
def test_elementwise_between_views(data):
    T, t, a = data.draw(strided())
    etype = T.ELEMENT_TYPE
    # a second operand with the same shape, through its own views
    b = data.draw(st.lists(st.integers(1, 9), min_size=a.size, max_size=a.size))
    b = np.array(b, dtype=etype.dtype).reshape(a.shape)
    u = T.from_numpy(np.ascontiguousarray(b.T).T)  # the same values, column-major strides
    big = np.float64 if etype.floating else np.int64
    expect = wrap(a.astype(big) + 3 * b, etype.dtype)
    np.testing.assert_allclose(np.asarray(T.cadd(t, 3, u)), expect, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(T.cmul(t, u)), wrap(a.astype(big) * b, etype.dtype),
                               rtol=1e-5)
    d = T.dot(t, u)
    if etype.floating:
        assert d == pytest.approx(float((a.astype(np.float64) * b).sum()), rel=1e-4, abs=1e-2)
    else:  # as upstream: each stretch of the apply walk wraps in the type, the stretches add
        assert d == upstream_dot(t, u, a, b, etype.dtype)


# ---- THFile reading fuzzer ----------------------------------------------------------------

READERS = ["Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half"]


@given(st.binary(max_size=200), st.sampled_from(READERS), st.booleans(), st.booleans(),
       st.integers(0, 20))
def test_file_reading_never_crashes(blob, type_name, binary, quiet, n):
    """Garbage and truncated input in ascii and binary: a count, or a THError, never a crash."""
    f = MemoryFile("rw")
    ffi.TH.THFile_writeStringRaw(f, blob, len(blob))  # raw bytes, no spacing added
    f.seek(0)
    if binary:
        f.binary()
    if quiet:
        f.quiet()
    storage = getattr(ffi.TH, f"TH{type_name}Storage_newWithSize")(n)
    try:
        got = getattr(ffi.TH, f"THFile_read{type_name}")(f, storage)
        assert 0 <= got <= n
        if binary:
            size = {"Byte": 1, "Char": 1, "Short": 2, "Int": 4, "Long": 8, "Float": 4,
                    "Double": 8, "Half": 2}[type_name]
            assert got == min(n, len(blob) // size)
    except THError as e:
        assert not quiet and isinstance(e, OSError)
    finally:
        getattr(ffi.TH, f"TH{type_name}Storage_free")(storage)
        f.close()


@given(st.binary(max_size=100), st.sampled_from(["*a", "*l", "x", ""]))
def test_string_reading_never_crashes(blob, fmt):
    f = MemoryFile("rw")
    ffi.TH.THFile_writeStringRaw(f, blob, len(blob))
    f.seek(0)
    out = ctypes.c_char_p()
    try:
        n = ffi.TH.THFile_readStringRaw(f, fmt, ctypes.byref(out))
        assert n >= 0
        if out.value is not None:
            ffi.TH.THFree(ctypes.cast(out, ctypes.c_void_p).value)
    except (THError, ValueError):
        pass
    finally:
        f.close()


# ---- Python API argument fuzzer -----------------------------------------------------------

junk = st.one_of(st.none(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                 st.text(max_size=3), st.lists(st.integers(-3, 3), max_size=3),
                 st.just(-1), st.just(0), st.just(2**63), st.just(np.zeros(3)))
SAFE = (TypeError, ValueError, IndexError, OverflowError, MemoryError, THError)


@given(st.sampled_from(MATH_TYPES), st.sampled_from(
    ["empty", "zeros", "add", "mul", "div", "cadd", "cmul", "cdiv", "dot", "sumall", "maxall",
     "addmm", "addmv", "fill", "narrow", "select", "transpose", "view", "expand", "unfold",
     "resize_"]), st.lists(junk, max_size=5))
def test_api_rejects_bad_arguments_cleanly(etype, name, args):
    T = module(etype)
    t = T.zeros(3, 2)
    try:
        if hasattr(T, name):
            fn = getattr(T, name)
            if name in ("empty", "zeros"):
                fn(*args)
            else:
                fn(t, *args)
        else:
            getattr(t, name)(*args)
    except SAFE:
        pass


# ---- issue 14's classes: failed resizes, exports, overflowing geometry, handle copies,
# aliasing outputs, threads with resizes -------------------------------------------------

HUGE = st.one_of(st.integers(0, 40), st.integers(2**30, 2**62), st.just(2**63 - 1))


@given(types, st.booleans(), st.lists(HUGE, min_size=1, max_size=3))
def test_failed_resizes_leave_the_tensor_intact(etype, numpy_backed, shape):
    T = module(etype)
    a = np.arange(6).astype(etype.dtype)
    t = T.from_numpy(a) if numpy_backed else T.from_numpy(a).copy()
    try:
        t.resize_(*shape)
    except (ValueError, MemoryError, OverflowError, THError):
        assert t.shape == (6,) and np.asarray(t).tolist() == a.tolist()
    else:
        st_ = t.storage()
        assert st_ is None or t.numel() <= len(st_)
    T.sumall(t)


@given(types, st.sampled_from(["asarray", "dlpack", "storage"]), st.integers(0, 50),
       st.booleans())
def test_exported_buffers_never_move(etype, how, n, through_out):
    T = module(etype)
    t = T.from_numpy(np.arange(5).astype(etype.dtype)).copy()
    view = {"asarray": np.asarray, "dlpack": np.from_dlpack,
            "storage": lambda x: np.asarray(x.storage())}[how](t)
    before = view.copy()
    try:
        if through_out:
            T.add(T.ones((n,)) if n else T.ones((1,)), 1, out=t)
        else:
            t.resize_(n) if n else t.resize_(1)
    except (ValueError, THError):
        pass
    assert through_out or (view == before).all()  # an in-place write may change values
    assert view.shape == before.shape
    del view
    t.resize_(n + 100)  # the storage is resizable again


@given(types, st.lists(HUGE, min_size=5, max_size=5))
def test_overflowing_sizes_and_offsets_never_reach_past_the_storage(etype, xs):
    T = module(etype)
    t = T.zeros(3)
    s = t.storage()
    n = etype.name
    try:
        getattr(ffi.TH, f"TH{n}Tensor_setStorage2d")(t, s, xs[0], xs[1], xs[2], xs[3], xs[4])
    except (ValueError, MemoryError, OverflowError, THError):
        assert t.shape == (3,) and t.storage_offset == 0
        return
    if t.numel() == 0:
        return
    extent = t.storage_offset + sum((d - 1) * k for d, k in zip(t.shape, t.strides, strict=True))
    assert extent < len(t.storage())


@given(st.lists(st.sampled_from(["copy", "deepcopy", "pickle", "free"]), max_size=8))
def test_handle_copies_own_their_references(ops):
    import copy
    import pickle

    import torchbind.float_tensor as F
    t = F.from_numpy(np.arange(4, dtype=np.float32)).copy()
    handles = [t.storage()]
    for op in ops:
        h = handles[-1]
        if op == "free":
            h.free()
            handles.pop()
            if not handles:
                handles.append(t.storage())
            continue
        handles.append({"copy": copy.copy, "deepcopy": copy.deepcopy,
                        "pickle": lambda x: pickle.loads(pickle.dumps(x))}[op](h))
    del t
    for h in handles:
        assert h.tolist() == [0, 1, 2, 3]


@given(types, st.integers(0, 2), st.integers(1, 4), st.sampled_from(["mv", "mm", "r"]),
       st.integers(0, 2))
def test_aliasing_outputs_match_numpy(etype, beta, n, op, which):
    T = module(etype)
    rng = np.random.default_rng(n)
    m = rng.integers(-3, 4, (n, n)).astype(etype.dtype)
    if etype.dtype.kind == "u":
        m = np.abs(m)
    f = m.astype(np.float64)
    M = T.from_numpy(m.copy())
    if op == "mv":
        out = [M.select(1, 0), M.select(0, n - 1), T.from_numpy(f[:, 0].astype(etype.dtype))][which]
        t0 = np.asarray(out).astype(np.float64)
        vec = M.select(1, 0)
        want = beta * t0 + f @ f[:, 0]
        T.addmv(beta, out, 1, M, vec, out=out)
    elif op == "mm":
        out = [M, M.t(), T.from_numpy(m.copy())][which]
        t0 = np.asarray(out).astype(np.float64)
        want = beta * t0 + f @ f
        T.addmm(beta, out, 1, M, M, out=out)
    else:
        out = [M, M.t(), T.from_numpy(m.copy())][which]
        t0 = np.asarray(out).astype(np.float64)
        want = beta * t0 + np.outer(f[0], f[:, 0])
        T.addr(beta, out, 1, M.select(0, 0), M.select(1, 0), out=out)
    np.testing.assert_allclose(np.asarray(out).astype(np.float64),
                               wrap(want, etype.dtype).astype(np.float64), rtol=1e-4)


@settings(max_examples=10)
@given(st.integers(1, 2000), st.booleans())
def test_threads_with_resizes_never_crash(n, export_first):
    import threading

    import torchbind.float_tensor as F
    t = F.zeros(8)
    stop = threading.Event()

    def read():
        while not stop.is_set():
            a = np.asarray(t)  # a pinned view: resizes that would move it are refused
            float(a.sum())

    readers = [threading.Thread(target=read) for _ in range(2)]
    for r in readers:
        r.start()
    try:
        for k in range(200):
            try:
                t.resize_(n + k % 7)
            except ValueError:
                pass
    finally:
        stop.set()
        for r in readers:
            r.join()
