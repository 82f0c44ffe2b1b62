"""Upstream Torch7 TH's observable behaviour in the core of the C API, pinned through torchbind.ffi
(the C functions by their names): size lists and strides as Lua Torch7 passes them, errors for
hosts that did not ask for capture, the garbage-collector hook, generators, half conversions,
ascii memory files and descriptions. Each expectation is upstream's, read off its sources and
checked against an upstream libTH (shared/luatorch's build)."""

from __future__ import annotations

import ctypes
import math
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import torchbind.float_tensor as F
from torchbind import ffi

TH = ffi.TH


def long_storage(values):
    s = TH.THLongStorage_newWithSize(len(values))
    for i, v in enumerate(values):
        TH.THLongStorage_set(s, i, v)
    return s


def geometry(t):
    n = TH.THFloatTensor_nDimension(t)
    return ([TH.THFloatTensor_size(t, d) for d in range(n)],
            [TH.THFloatTensor_stride(t, d) for d in range(n)])


# ---- size lists and strides ---------------------------------------------------------------

def test_size_lists_end_at_the_first_size_not_positive():
    """Lua Torch7 pads its size storages with -1 up to 8 entries: torch.Tensor(2, 3) passes
    {2, 3, -1, -1, -1, -1, -1, -1}."""
    size = long_storage([2, 3, -1, -1, -1, -1, -1, -1])
    stride = long_storage([-1] * 8)
    try:
        t = TH.THFloatTensor_newWithSize(size, stride)
        assert geometry(t) == ([2, 3], [3, 1])  # a negative stride: contiguous
        ends = long_storage([4, 0, 7])
        TH.THFloatTensor_resize(t, ends, None)
        TH.THLongStorage_free(ends)
        assert geometry(t) == ([4], [1])  # ends at the 0
        TH.THFloatTensor_free(t)
        t = TH.THFloatTensor_newWithSize4d(5, -1, -1, -1)
        assert geometry(t) == ([5], [1])
        TH.THFloatTensor_resize2d(t, -3, 4)
        assert TH.THFloatTensor_nDimension(t) == 0
        TH.THFloatTensor_free(t)
    finally:
        TH.THLongStorage_free(size)
        TH.THLongStorage_free(stride)


def test_explicit_strides_with_contiguous_fill_ins():
    s = TH.THFloatStorage_newWithSize(24)
    size, stride = long_storage([2, 3, 4]), long_storage([1, -1, -1])
    t = TH.THFloatTensor_newWithStorage(s, 0, size, stride)
    assert geometry(t) == ([2, 3, 4], [1, 4, 1])
    TH.THFloatTensor_free(t)
    t = TH.THFloatTensor_newWithStorage2d(s, 2, 3, -1, 4, -1)
    assert geometry(t) == ([3, 4], [4, 1])
    assert TH.THFloatTensor_storageOffset(t) == 2
    for p in (t, size, stride):
        (TH.THFloatTensor_free if p is t else TH.THLongStorage_free)(p)
    TH.THFloatStorage_free(s)


def test_expand_strides_as_upstream():
    """A new leading dimension of size 1 gets the stride of the dimension after it times its
    size (upstream's inferExpandGeometry); any other expanded dimension gets stride 0."""
    t = TH.THFloatTensor_newWithSize2d(3, 1)
    for sizes, expected in (([1, 3, 1], ([1, 3, 1], [3, 1, 1])),
                            ([2, 3, 4], ([2, 3, 4], [0, 1, 0])),
                            ([1, 1, 3, 5], ([1, 1, 3, 5], [3, 3, 1, 0]))):
        s = long_storage(sizes)
        e = TH.THFloatTensor_newExpand(t, s)
        assert geometry(e) == expected, sizes
        TH.THFloatTensor_free(e)
        TH.THLongStorage_free(s)
    TH.THFloatTensor_free(t)


# ---- errors for hosts that did not ask for capture ------------------------------------------

def run_without_capture(body: str) -> subprocess.CompletedProcess[str]:
    """Python code run with torchbind's capture switched off again: what a C program or Lua
    Torch7 sees. `lib` is the raw ctypes library (no checked wrappers)."""
    code = "import ctypes, sys\nfrom torchbind import ffi\nlib = ffi.lib\n" \
           "lib.THError_setCapture(0)\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)


def test_default_handler_prints_and_ends_the_process():
    out = run_without_capture("""
        lib.THFloatTensor_newWithSize1d.restype = ctypes.c_void_p
        x = lib.THFloatTensor_newWithSize1d(3)
        y = lib.THFloatTensor_newWithSize1d(4)
        lib.THFloatTensor_dot(ctypes.c_void_p(x), ctypes.c_void_p(y))
        print("went on")
    """)
    assert out.returncode == 255, out
    assert out.stdout.startswith("$ Invalid argument 2: inconsistent tensor size")
    assert "went on" not in out.stdout
    out = run_without_capture("""
        lib.THLogSub.argtypes = [ctypes.c_double, ctypes.c_double]
        lib.THLogSub(0.0, 1.0)
        print("went on")
    """)
    assert out.returncode == 255, out
    assert out.stdout.startswith("$ Error: LogSub")


def test_a_handler_that_returns_from_a_direct_call_returns_to_the_caller():
    out = run_without_capture("""
        H = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)
        A = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
        h = H(lambda msg, data: print("handler:", msg.decode()))
        a = A(lambda n, msg, data: print("arg handler:", n, msg.decode()))
        lib.THSetErrorHandler(h, None)
        lib.THSetArgErrorHandler(a, None)
        lib._THError(b"here.c", 7, b"%s", b"boom")
        lib._THArgCheck(b"here.c", 8, 0, 3, b"%s", b"bad")
        lib._THArgCheck(b"here.c", 9, 1, 4, b"%s", b"fine")
        lib._THAssertionFailed(b"here.c", 10, b"x > 0", b"%s", b"why")
        print("returned")
    """)
    assert out.returncode == 0, out
    assert out.stdout.splitlines() == [
        "handler: boom at here.c:7", "arg handler: 3 bad at here.c:8",
        "handler: Assertion `x > 0' failed. why at here.c:10", "returned"]


def test_a_handler_inside_an_entry_point_unwinds_it():
    """A handler that returns from an error inside a library call: the call ends there (library
    code never continues past an error) and returns 0; the process goes on."""
    out = run_without_capture("""
        A = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
        a = A(lambda n, msg, data: print("arg handler:", n, msg.decode().split(" at ")[0]))
        lib.THSetArgErrorHandler(a, None)
        lib.THFloatTensor_newWithSize1d.restype = ctypes.c_void_p
        lib.THFloatTensor_dot.restype = ctypes.c_double
        x = lib.THFloatTensor_newWithSize1d(3)
        y = lib.THFloatTensor_newWithSize1d(4)
        lib.THFloatTensor_fill(ctypes.c_void_p(x), ctypes.c_float(2))  # new elements are garbage
        print(lib.THFloatTensor_dot(ctypes.c_void_p(x), ctypes.c_void_p(y)))
        print(lib.THFloatTensor_dot(ctypes.c_void_p(x), ctypes.c_void_p(x)))
        lib.THFloatTensor_free(ctypes.c_void_p(x))
        lib.THFloatTensor_free(ctypes.c_void_p(y))
    """)
    assert out.returncode == 0, out
    assert out.stdout.splitlines() == [
        "arg handler: 2 inconsistent tensor size: 3 vs 4 elements", "0.0", "12.0"]


def test_arg_handler_gets_the_message_without_a_prefix():
    seen = []
    A = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
    a = A(lambda n, msg, data: seen.append((n, msg.decode())))
    TH.THSetArgErrorHandler(a, None)
    try:
        with pytest.raises(ValueError, match="invalid argument 2: inconsistent tensor size"):
            F.dot(F.zeros(1), F.zeros(2))
    finally:
        TH.THSetArgErrorHandler(None, None)
    assert seen[0][0] == 2 and seen[0][1].startswith("inconsistent tensor size")


def test_messages_name_sources_relative_to_the_project():
    with pytest.raises(ValueError) as info:
        F.dot(F.zeros(1), F.zeros(2))
    assert " at vendor/TH/" in str(info.value)


def test_errors_in_a_handler_stay_in_the_handlers_own_call():
    """The handler makes a failing call of its own: that call raises inside the handler (whose
    Python frames finish normally), and the outer call raises its own error afterwards."""
    inner = []
    H = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)

    def handler(msg, data):
        try:
            F.dot(F.zeros(1), F.zeros(5))
        except ValueError as e:
            inner.append(str(e))
        finally:
            inner.append("finally ran")

    h = H(handler)
    TH.THSetErrorHandler(h, None)
    try:
        with pytest.raises(ffi.THError, match="LogSub"):
            TH.THLogSub(0.0, 1.0)
    finally:
        TH.THSetErrorHandler(None, None)
    assert "1 vs 5" in inner[0] and inner[1] == "finally ran"
    assert F.dot(F.ones(2), F.ones(2)) == 2.0


# ---- the garbage-collector hook ----------------------------------------------------------------

def test_gc_handler_runs_past_the_soft_limit_and_on_failure():
    calls = []
    G = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
    g = G(lambda data: calls.append(1))
    TH.THSetGCHandler(g, None)
    try:
        s = TH.THByteStorage_newWithSize(100_000_000)  # under the 300 MB soft limit
        assert calls == []
        big = TH.THByteStorage_newWithSize(300_000_000)  # past it: the host is asked to collect
        assert len(calls) == 1
        TH.THByteStorage_free(big)
        TH.THByteStorage_free(s)
        with pytest.raises(MemoryError):
            TH.THByteStorage_newWithSize(1 << 50)  # fails, the host collects, fails again
        assert len(calls) == 2
    finally:
        TH.THSetGCHandler(None, None)


# ---- generators, half, files, descriptions ---------------------------------------------

def test_new_generator_is_valid_and_seeded():
    g = TH.THGenerator_new()
    try:
        assert TH.THGenerator_isValid(g) == 1
        assert TH.THRandom_initialSeed(g) != 0
    finally:
        TH.THGenerator_free(g)


def test_half_nan_is_upstreams_one_nan():
    for nan_bits in (0x7FC00000, 0xFFC00000, 0x7F800001, 0xFFFFFFFF):
        nan = struct.unpack("<f", struct.pack("<I", nan_bits))[0]
        assert TH.TH_float2half(nan).x == 0x7FFF
    back = ffi.THHalf()
    back.x = 0xFE01
    f = TH.TH_half2float(back)
    assert math.isnan(f) and struct.unpack("<I", struct.pack("<f", f))[0] == 0x7FFFFFFF
    inf = ffi.THHalf()
    inf.x = 0xFC00
    assert TH.TH_half2float(inf) == -math.inf
    assert TH.TH_float2half(math.inf).x == 0x7C00 and TH.TH_float2half(-1e6).x == 0xFC00


def memory_file(text: bytes):
    s = TH.THCharStorage_newWithSize(len(text) + 1)
    ctypes.memmove(TH.THCharStorage_data(s), text + b"\0", len(text) + 1)
    f = TH.THMemoryFile_newWithStorage(s, "r")
    TH.THCharStorage_free(s)
    return f


@pytest.mark.parametrize("text, count, read, position", [
    (b"1 2 ", 3, [1.0, 2.0], 3),       # the failed read leaves the position before the blank
    (b"1 2 x 4", 4, [1.0, 2.0], 3),
    (b"1 2\n", 3, [1.0, 2.0], 4),      # the newline auto-spacing wrote is taken
    (b"5", 2, [5.0], 1),
])
def test_ascii_memory_file_position_after_a_short_quiet_read(text, count, read, position):
    f = memory_file(text)
    s = TH.THFloatStorage_newWithSize(count)
    try:
        TH.THFile_quiet(f)
        assert TH.THFile_readFloat(f, s) == len(read)
        assert [TH.THFloatStorage_get(s, i) for i in range(len(read))] == read
        assert TH.THFile_position(f) == position
        assert TH.THFile_hasError(f)
    finally:
        TH.THFile_free(f)
        TH.THFloatStorage_free(s)


def test_ascii_memory_file_reads_long_tokens_whole():
    """A token is read whole, whatever its length (a 400-digit number is one value: inf)."""
    f = memory_file(b"1" * 400 + b" 7")
    s = TH.THDoubleStorage_newWithSize(2)
    try:
        assert TH.THFile_readDouble(f, s) == 2
        assert [TH.THDoubleStorage_get(s, i) for i in range(2)] == [math.inf, 7.0]
    finally:
        TH.THFile_free(f)
        TH.THDoubleStorage_free(s)


def test_desc_as_upstream():
    t = F.zeros(2, 3)
    assert TH.THFloatTensor_desc(t).str == b"torch.xTensor of size 2x3"
    assert TH.THFloatTensor_sizeDesc(t).str == b"[2 x 3]"
    storage = TH.THFloatStorage_newWithSize(1)
    sizes, strides = long_storage([123456789] * 5), long_storage([0] * 5)
    wide = TH.THFloatTensor_newWithStorage(storage, 0, sizes, strides)
    try:
        full = "torch.xTensor of size " + "x".join(["123456789"] * 5)
        assert TH.THFloatTensor_desc(wide).str.decode() == full[:60] + "..."
    finally:
        TH.THFloatTensor_free(wide)
        TH.THFloatStorage_free(storage)
        TH.THLongStorage_free(sizes)
        TH.THLongStorage_free(strides)
    assert np.asarray(t).shape == (2, 3)


def test_log_add_and_sub_as_upstream():
    """Upstream drops the smaller term under e^-18.42 of the larger, and LogSub of two equal
    values is its log-zero, -DBL_MAX."""
    assert TH.THLogAdd(0.0, -20.0) == 0.0
    assert TH.THLogAdd(0.0, -18.0) == pytest.approx(math.log1p(math.exp(-18.0)))
    assert TH.THLogSub(3.0, 3.0) == -sys.float_info.max
    assert TH.THLogSub(0.0, -20.0) == 0.0
    assert TH.THLogSub(math.log(3), math.log(1)) == pytest.approx(math.log(2))


def test_clamped_random_wraps_integer_types_as_upstream():
    """Upstream converts min + draw % (max - min) to the element type: modulo its width."""
    g = TH.THGenerator_new()
    try:
        TH.THRandom_manualSeed(g, 7)
        draws = [TH.THRandom_random(g) for _ in range(6)]
        TH.THRandom_manualSeed(g, 7)
        t = TH.THByteTensor_newWithSize1d(6)
        TH.THByteTensor_clampedRandom(t, g, -2, 300)
        assert [TH.THByteTensor_get1d(t, i) for i in range(6)] == \
            [(-2 + d % 302) % 256 for d in draws]
        TH.THByteTensor_free(t)
    finally:
        TH.THGenerator_free(g)
