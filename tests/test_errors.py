"""Bad input raises a clear Python exception, through the modules and the raw ffi alike; the
process never exits, and the library stays usable after an error."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import threading

import numpy as np
import pytest

import torchbind
import torchbind.float_tensor as F
import torchbind.int_tensor as I
from torchbind import ffi
from torchbind.errors import THError


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        F.read1dFile(tmp_path / "nope", 10)
    # the raw C function too: pedantic open of a missing file
    with pytest.raises(FileNotFoundError):
        ffi.TH.THDiskFile_new(str(tmp_path / "nope"), "r", 0)
    assert ffi.TH.THDiskFile_new(str(tmp_path / "nope"), "r", 1) is None  # quiet: NULL


def test_short_file(tmp_path):
    p = tmp_path / "short"
    p.write_text("1 2 3")
    with pytest.raises(OSError, match="read 3 of 10"):
        I.read1dFile(p, 10)
    f = ffi.TH.THDiskFile_new(str(p), "r", 0)
    s = ffi.TH.THFloatStorage_newWithSize(10)
    try:
        with pytest.raises(OSError, match="read error"):
            ffi.TH.THFile_readFloat(f, s)
    finally:
        ffi.TH.THFile_free(f)
        ffi.TH.THFloatStorage_free(s)


def test_dot_of_different_sizes():
    with pytest.raises(ValueError, match="inconsistent tensor size"):
        F.dot(F.zeros(3), F.zeros(4))
    with pytest.raises(ValueError, match="THFloatTensor_dot"):
        ffi.TH.THFloatTensor_dot(F.zeros(3), F.zeros(4))


def test_dimension_out_of_range():
    t = F.zeros(2, 3)
    with pytest.raises(IndexError):
        t.select(2, 0)
    with pytest.raises(IndexError, match="out of range"):
        ffi.TH.THFloatTensor_size(t, 5)
    with pytest.raises(IndexError):
        ffi.TH.THFloatTensor_newNarrow(t, 3, 0, 1)


def test_negative_size():
    with pytest.raises(ValueError, match="negative"):
        F.empty(3, -1)
    t = ffi.TH.THFloatTensor_newWithSize1d(-5)  # C, as upstream: the sizes end at -5
    assert ffi.TH.THFloatTensor_nDimension(t) == 0
    ffi.TH.THFloatTensor_free(t)
    with pytest.raises(ValueError, match="negative"):
        ffi.TH.THFloatStorage_newWithSize(-1)
    with pytest.raises(ValueError):
        F.read1dFile(__file__, -1)


def test_wrong_tensor_type():
    with pytest.raises(TypeError, match="src must be a FloatTensor, not IntTensor"):
        F.dot(F.zeros(3), I.zeros(3))
    with pytest.raises(TypeError, match="expected a THFloatTensor, got a THIntTensor"):
        ffi.TH.THFloatTensor_dot(F.zeros(3), I.zeros(3))
    with pytest.raises(TypeError):
        ffi.TH.THFloatTensor_dot(F.zeros(3), "x")
    with pytest.raises(TypeError):
        F.sumall(np.zeros(3, np.float32))


def test_huge_allocation_is_memory_error():
    with pytest.raises(MemoryError):
        ffi.TH.THFloatStorage_newWithSize(2**60)
    with pytest.raises((MemoryError, ValueError)):
        F.empty(2**40, 2**40)


def test_errors_are_th_errors_with_the_message():
    try:
        F.addmm(1, F.zeros(2, 2), 1, F.zeros(2, 3), F.zeros(2, 2))
    except THError as e:
        assert isinstance(e, ValueError) and "size mismatch" in str(e)
    else:
        pytest.fail("no error")


def test_library_usable_after_many_errors():
    for _ in range(1000):
        with pytest.raises(ValueError):
            F.dot(F.zeros(1), F.zeros(2))
    assert ffi._pending.value == 0
    assert F.dot(F.from_numpy(np.ones(3, np.float32)), F.from_numpy(np.ones(3, np.float32))) == 3.0


def test_errors_stay_with_their_thread():
    """Each thread sees its own errors only (the parked error is thread-local)."""
    results: dict[int, str] = {}

    def work(i: int) -> None:
        try:
            for _ in range(200):
                if i % 2:
                    F.dot(F.zeros(i), F.zeros(i + 1))
                else:
                    assert F.sumall(F.zeros(i + 1)) == 0
            results[i] = "ok"
        except ValueError:
            results[i] = "raised"

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: "raised" if i % 2 else "ok" for i in range(8)}


def test_user_error_handler_is_called_and_we_still_raise():
    seen = []
    HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)
    ARG_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
    h = HANDLER(lambda msg, data: seen.append(msg.decode()))
    ah = ARG_HANDLER(lambda n, msg, data: seen.append(f"arg {n}: {msg.decode()}"))
    ffi.TH.THSetErrorHandler(h, None)
    ffi.TH.THSetArgErrorHandler(ah, None)
    try:
        with pytest.raises(ValueError):
            F.dot(F.zeros(1), F.zeros(2))
        with pytest.raises(THError):
            ffi.TH.THLogSub(0.0, 1.0)
    finally:
        ffi.TH.THSetErrorHandler(None, None)
        ffi.TH.THSetArgErrorHandler(None, None)
    assert seen[0].startswith("arg 2: inconsistent tensor size")  # no prefix: the handler's
    assert "LogSub" in seen[1]


def test_the_interpreter_survives_every_bad_call():
    """The same bad calls in a fresh interpreter: it must exit normally, not abort."""
    code = (
        "import torchbind.float_tensor as F\n"
        "for f in (lambda: F.dot(F.zeros(1), F.zeros(2)), lambda: F.empty(-1),\n"
        "          lambda: F.read1dFile('/nonexistent', 3), lambda: F.maxall(F.empty())):\n"
        "    try: f()\n"
        "    except Exception as e: print(type(e).__name__)\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["THValueError", "ValueError", "THFileNotFoundError",
                                  "THValueError", "alive"]


def test_bad_implementation_name():
    with pytest.raises(ValueError, match="no such implementation"):
        torchbind.implementation("complex_tensor")


def test_regressions_found_by_the_fuzzer():
    """Each of these crashed the process once (NULL or a junk address reached C)."""
    t = F.zeros(3)
    with pytest.raises(TypeError, match="src must be a FloatTensor, not NoneType"):
        F.cadd(t, 0, None)
    with pytest.raises(TypeError, match="src must be a FloatTensor"):
        F.cadd(t, 0, -1)
    with pytest.raises(TypeError, match="cannot be NULL"):
        ffi.TH.THFloatTensor_dot(t, None)
    with pytest.raises(TypeError):
        F.cat_array([t, 5], 0)
    # NULL stays allowed where TH gives it a meaning: a view of itself
    v = F.zeros(2, 3)
    ffi.TH.THFloatTensor_transpose(v, None, 0, 1)
    assert v.shape == (3, 2)


def test_python_prechecks_for_a_library_that_would_exit():
    """With an upstream libTH (no error capture), the foundation's bad calls are caught in
    Python before they reach C. Simulated: the checks are installed when CAPTURES_ERRORS is
    false, and they must raise before the (here harmless) C call."""
    code = (
        "import torchbind.ffi as ffi\n"
        "ffi.CAPTURES_ERRORS = False\n"
        "import torchbind.float_tensor as F, torchbind.int_tensor as I\n"
        "checks = [lambda: F.dot(F.zeros(3), F.zeros(4)),\n"
        "          lambda: F.cadd(F.zeros(3), 1, F.zeros(2)),\n"
        "          lambda: F.addmm(1, F.zeros(2, 2), 1, F.zeros(2, 3), F.zeros(2, 2)),\n"
        "          lambda: F.addmv(1, F.zeros(2), 1, F.zeros(2, 3), F.zeros(2)),\n"
        "          lambda: F.maxall(F.empty()), lambda: I.div(I.zeros(2), 0)]\n"
        "for c in checks:\n"
        "    try: c(); print('no error')\n"
        "    except ValueError as e: print('checked' if 'checked in Python' in str(e) else e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["checked"] * 6


def test_error_raisers_from_python_raise_and_never_format():
    """The variadic raisers called through ffi: no abort (capture parks the error and the call
    returns), and the message is text, never a printf format (a %n would write memory)."""
    with pytest.raises(THError, match=r"%n%n%s%n at f\.c:1"):
        ffi.TH._THError("f.c", 1, "%n%n%s%n")
    with pytest.raises(ValueError, match=r"invalid argument 2: bad %d at g\.c:3"):
        ffi.TH._THArgCheck("g.c", 3, 0, 2, "bad %d")
    assert ffi.TH._THArgCheck("g.c", 3, 1, 2, "fine") is None
    with pytest.raises(THError, match=r"Assertion `x' failed\. %n"):
        ffi.TH._THAssertionFailed("h.c", 4, "x", "%n")
    with pytest.raises(TypeError, match="plain text"):
        ffi.TH._THError("f.c", 1, "%d", 5)
    assert F.dot(F.ones(3), F.ones(3)) == 3.0
