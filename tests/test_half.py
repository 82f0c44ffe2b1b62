"""THHalf conversions against numpy's float16, on every one of the 65536 bit patterns."""

from __future__ import annotations

import ctypes

import numpy as np

import torchbind.float_tensor as F
import torchbind.half_tensor as H
from torchbind import ffi


def test_halfbits_to_float_all_patterns():
    bits = np.arange(65536, dtype=np.uint16)
    expect = bits.view(np.float16).astype(np.float32)
    got = np.empty(65536, np.float32)
    f = ctypes.c_float()
    u = ctypes.c_ushort()
    conv = ffi.TH.TH_halfbits2float.cfunc
    for i in range(0, 65536, 7):  # a stride keeps it quick; the tensor copy below covers all
        u.value = i
        conv(ctypes.byref(u), ctypes.byref(f))
        got[i] = f.value
    sel = slice(0, 65536, 7)
    np.testing.assert_array_equal(np.isnan(got[sel]), np.isnan(expect[sel]))
    ok = ~np.isnan(expect[sel])
    np.testing.assert_array_equal(got[sel][ok], expect[sel][ok])


def test_half_tensor_copies_match_numpy_for_every_pattern():
    bits = np.arange(65536, dtype=np.uint16).view(np.float16)
    h = H.from_numpy(bits)
    f = F.from_tensor(h)  # THFloatTensor_copyHalf
    expect = bits.astype(np.float32)
    nan = np.isnan(expect)
    np.testing.assert_array_equal(np.isnan(np.asarray(f)), nan)
    np.testing.assert_array_equal(np.asarray(f)[~nan], expect[~nan])


def test_float_to_half_rounds_to_nearest_even():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(20000).astype(np.float32) * 1000,
                        np.array([65504, 65520, 1e-8, -0.0, np.inf, -np.inf, 6e-5, 2**-24,
                                  2**-25, 3 * 2**-26], np.float32)])
    h = H.from_tensor(F.from_numpy(x))  # THHalfTensor_copyFloat
    with np.errstate(over="ignore"):  # numpy warns on the casts to inf it is asked to make
        expect = x.astype(np.float16)
    np.testing.assert_array_equal(np.asarray(h).view(np.uint16), expect.view(np.uint16))
    assert ffi.TH.TH_float2half(1.0).x == np.float16(1.0).view(np.uint16)
    assert ffi.TH.TH_half2float(ffi.THHalf(0x3C00)) == 1.0


def test_half_module_has_what_half_has():
    t = H.from_numpy(np.array([1.5, -2.0], np.float16))
    assert t.tolist() == [1.5, -2.0]
    assert not hasattr(H, "dot")  # no math on Half, as upstream
    assert H.numel(t) == 2
    s = ffi.TH.THHalfStorage_newWithSize2(ffi.TH.TH_float2half(1.0), ffi.TH.TH_float2half(2.0))
    assert ffi.TH.THHalfStorage_size(s) == 2
    ffi.TH.THHalfStorage_free(s)
