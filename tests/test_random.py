"""Tensor random fills (generic/THTensorRandom.c): upstream's recorded outputs, the exact draw
order against the scalar THRandom_* stream, distribution sanity, and argument errors."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path

import numpy as np
import pytest

from torchbind import ffi
from torchbind.storage import STORAGE_CLASSES
from torchbind.tensor import TENSOR_CLASSES

TH = ffi.TH
UPSTREAM = json.loads((Path(__file__).parent / "data" / "upstream-random.json").read_text())
SEEDS = sorted(UPSTREAM["seeds"], key=int)

INT_TYPES = ["Byte", "Char", "Short", "Int", "Long"]
FLOAT_TYPES = ["Float", "Double"]
ALL_TYPES = INT_TYPES + FLOAT_TYPES
DTYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
          "Long": np.int64, "Float": np.float32, "Double": np.float64}
MAXES = {"Byte": 255, "Char": 127, "Short": 2**15 - 1, "Int": 2**31 - 1, "Long": 2**63 - 1}
N_STATS = 100_000


# ---- helpers -------------------------------------------------------------------------------


def fn(tname, name):
    return getattr(TH, f"TH{tname}Tensor_{name}")


def empty(tname, *shape):
    return TENSOR_CLASSES[tname].empty(*shape)


def arr(t):
    return np.asarray(t)


class Gen:
    """A fresh THGenerator, seeded, freed on exit."""

    def __init__(self, seed=None):
        self.ptr = TH.THGenerator_new()
        if seed is not None:
            TH.THRandom_manualSeed(self.ptr, seed)

    def __enter__(self):
        return self.ptr

    def __exit__(self, *exc):
        TH.THGenerator_free(self.ptr)


def pair(seed):
    """Two generators with the same seed: one for the tensor, one for the scalar oracle."""
    return Gen(seed), Gen(seed)


def long_storage(dims):
    s = STORAGE_CLASSES["Long"].new(len(dims))
    np.asarray(s)[:] = dims
    return s


# ---- upstream's recorded outputs -----------------------------------------------------------


def _scalar_key(key):
    """'THRandom_normal(0.0, 1.0)' -> ('THRandom_normal', (0.0, 1.0))."""
    name, args = key.split("(", 1)
    args = args.rstrip(")")
    return name, tuple(float(a) for a in args.split(",") if a.strip())


def _upstream_value(gen, key, n):
    if key == "THRandom_random":
        return [TH.THRandom_random(gen) for _ in range(n)], "exact"
    if key.startswith("THRandom_"):
        name, args = _scalar_key(key)
        kind = "exact" if name in ("THRandom_geometric", "THRandom_bernoulli") else "double"
        return [getattr(TH, name)(gen, *args) for _ in range(n)], kind
    if key == "THLongTensor_randperm n=10":
        t = empty("Long")
        TH.THLongTensor_randperm(t, gen, 10)
        return arr(t).tolist(), "exact"
    head, size = key.split(" size ")
    name, args = _scalar_key(head)
    tname = "Float" if name.startswith("THFloat") else "Double"
    t = empty(tname, int(size))
    getattr(TH, name)(t, gen, *args)
    return arr(t).tolist(), "float" if tname == "Float" else "double"


@pytest.mark.parametrize("seed", SEEDS)
def test_upstream_outputs(seed):
    record = UPSTREAM["seeds"][seed]
    assert len(record) == 13
    for key, expected in record.items():
        with Gen(int(seed)) as g:
            got, kind = _upstream_value(g, key, len(expected))
        if kind == "exact":
            assert got == expected, key
        else:  # libm may differ from upstream's in the last bit of log/sin/cos/tan/exp
            rtol = 1e-6 if kind == "float" else 1e-12
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-300, err_msg=key)
            if kind == "float":
                assert np.asarray(got, np.float32).tolist() == got, key


# ---- integer fills -------------------------------------------------------------------------


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_random_matches_stream(tname):
    (a, b) = pair(7)
    with a as g, b as h:
        t = empty(tname, 40)
        fn(tname, "random")(t, g)
        if tname in ("Long", "Double"):  # one 32-bit output each, as upstream: the output itself
            want = [TH.THRandom_random(h) for _ in range(40)]
        else:
            mod = 2**24 + 1 if tname == "Float" else MAXES[tname] + 1
            want = [TH.THRandom_random(h) % mod for _ in range(40)]
        np.testing.assert_array_equal(arr(t), np.array(want, dtype=DTYPES[tname]))


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_random_range(tname):
    with Gen(3) as g:
        t = empty(tname, 20000)
        fn(tname, "random")(t, g)
        x = arr(t).astype(np.float64)
        top = {"Float": 2.0**24, "Double": 2.0**32 - 1, "Long": 2.0**32 - 1}.get(
            tname, float(MAXES.get(tname, 0)))
        assert x.min() >= 0 and x.max() <= top
        assert np.all(x == np.floor(x))
        # spread over the whole range: the mean is near the middle
        assert abs(x.mean() / top - 0.5) < 0.02
        if tname in ("Long", "Double"):
            assert x.max() > 2.0**31


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_clamped_and_capped(tname):
    lo = 0 if tname == "Byte" else -3
    a, b = pair(11)
    with a as g, b as h:
        t = empty(tname, 3, 50)
        fn(tname, "clampedRandom")(t, g, lo, 5)
        want = [lo + TH.THRandom_random(h) % (5 - lo) for _ in range(150)]
        np.testing.assert_array_equal(arr(t).ravel(), np.array(want, dtype=DTYPES[tname]))
        fn(tname, "cappedRandom")(t, g, 4)
        want = [TH.THRandom_random(h) % 4 for _ in range(150)]
        np.testing.assert_array_equal(arr(t).ravel(), np.array(want, dtype=DTYPES[tname]))
        big = empty(tname, 5000)
        fn(tname, "clampedRandom")(big, g, lo, 5)
        assert set(arr(big).tolist()) == set(range(lo, 5))
        fn(tname, "cappedRandom")(big, g, 1)  # a range of one value
        assert set(arr(big).tolist()) == {0}


def test_clamped_wide_range():
    """One 32-bit output per element whatever the range, as upstream: min + output % range, so a
    range wider than 2^32 gives values in [min, min + 2^32) only. Ranges whose width overflows a
    long work (upstream's signed overflow there is undefined)."""
    a, b = pair(5)
    with a as g, b as h:
        t = empty("Long", 2000)
        TH.THLongTensor_clampedRandom(t, g, -(2**62), 2**62)
        want = [-(2**62) + TH.THRandom_random(h) for _ in range(2000)]
        np.testing.assert_array_equal(arr(t), want)
        TH.THLongTensor_clampedRandom(t, g, -(2**63), 2**63 - 1)
        want = [-(2**63) + TH.THRandom_random(h) for _ in range(2000)]
        np.testing.assert_array_equal(arr(t), want)
        TH.THLongTensor_clampedRandom(t, g, 10, 10 + 3 * 2**31)  # range just over 2^32
        want = [10 + TH.THRandom_random(h) % (3 * 2**31) for _ in range(2000)]
        np.testing.assert_array_equal(arr(t), want)
        TH.THLongTensor_cappedRandom(t, g, 2**40)
        want = [TH.THRandom_random(h) for _ in range(2000)]
        np.testing.assert_array_equal(arr(t), want)


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_clamped_negative_min_floating(tname):
    """Upstream adds a negative min in unsigned arithmetic, so a Float/Double tensor receives
    numbers near 2^64; ours gets min + output % range, the values the integer types get."""
    a, b = pair(9)
    with a as g, b as h:
        t = empty(tname, 2, 30).t()  # non-contiguous: filled in element order
        fn(tname, "clampedRandom")(t, g, -1000, -990)
        want = [-1000 + TH.THRandom_random(h) % 10 for _ in range(60)]
        np.testing.assert_array_equal(arr(t).ravel(), np.array(want, DTYPES[tname]))


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_clamped_errors(tname):
    t = empty(tname, 4)
    before = arr(t).copy()
    with Gen(1) as g:
        bad = [(5, 5), (5, 2), (0, 0)]  # a range the type cannot hold wraps, as upstream
        for lo, hi in bad:
            with pytest.raises(ValueError):
                fn(tname, "clampedRandom")(t, g, lo, hi)
        with pytest.raises(ValueError):
            fn(tname, "cappedRandom")(t, g, 0)
        np.testing.assert_array_equal(arr(t), before)  # nothing written on an error
        if tname in MAXES and tname != "Long":
            fn(tname, "cappedRandom")(t, g, MAXES[tname] + 1)  # [0, max] fits


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_bernoulli_and_geometric(tname):
    a, b = pair(21)
    with a as g, b as h:
        t = empty(tname, 30)
        fn(tname, "bernoulli")(t, g, 0.4)
        np.testing.assert_array_equal(arr(t), [TH.THRandom_bernoulli(h, 0.4) for _ in range(30)])
        fn(tname, "geometric")(t, g, 0.3)
        np.testing.assert_array_equal(arr(t), [TH.THRandom_geometric(h, 0.3) for _ in range(30)])
        big = empty(tname, N_STATS)
        fn(tname, "bernoulli")(big, g, 0.25)
        x = arr(big)
        assert set(np.unique(x).tolist()) == {0, 1}
        assert abs(x.mean() - 0.25) < 0.01
        for p, v in ((0.0, 0), (1.0, 1)):
            fn(tname, "bernoulli")(big, g, p)
            assert (arr(big) == v).all()
        fn(tname, "geometric")(big, g, 0.3)  # trials to the first failure: mean 1 / (1 - p)
        x = arr(big).astype(np.float64)
        assert x.min() >= 1 and abs(x.mean() - 1 / 0.7) < 0.02
        for bad in (-0.1, 1.5, 2.0, float("nan")):
            with pytest.raises(ValueError):
                fn(tname, "bernoulli")(t, g, bad)
        for bad in (0.0, 1.0, -1.0):
            with pytest.raises(ValueError):
                fn(tname, "geometric")(t, g, bad)


@pytest.mark.parametrize("ptype", FLOAT_TYPES)
@pytest.mark.parametrize("tname", ["Byte", "Long", "Float", "Double"])
def test_bernoulli_tensor(tname, ptype):
    name = f"bernoulli_{ptype}Tensor"
    probs = np.tile(np.array([0.0, 1.0, 0.5, 0.1], DTYPES[ptype]), (20000, 1))
    p = TENSOR_CLASSES[ptype].from_numpy(probs)
    a, b = pair(4)
    with a as g, b as h:
        small = TENSOR_CLASSES[ptype].from_numpy(np.array([[0.3, 0.9], [0.5, 0.2]], DTYPES[ptype]))
        t = empty(tname, 2, 2).t()  # a transposed target: filled in its own element order
        fn(tname, name)(t, g, small)
        want = [TH.THRandom_bernoulli(h, float(q)) for q in arr(small).ravel()]
        np.testing.assert_array_equal(arr(t).ravel(), want)
        r = empty(tname, 20000, 4)
        fn(tname, name)(r, g, p)
        m = arr(r).astype(np.float64).mean(axis=0)
        np.testing.assert_allclose(m, [0, 1, 0.5, 0.1], atol=0.015)
        assert m[0] == 0 and m[1] == 1
        flat = empty(tname, 4 * 20000)  # same element count, another shape
        fn(tname, name)(flat, g, p)
        with pytest.raises(ValueError):
            fn(tname, name)(empty(tname, 3), g, p)
        bad = TENSOR_CLASSES[ptype].from_numpy(np.array([0.5, 1.5], DTYPES[ptype]))
        with pytest.raises(ValueError):
            fn(tname, name)(empty(tname, 2), g, bad)


# ---- continuous fills ----------------------------------------------------------------------


def _continuous(tname, name, args, scalar, n):
    """Fills a tensor with name(args) and draws the same from the scalar stream."""
    a, b = pair(99)
    with a as g, b as h:
        t = empty(tname, n)
        fn(tname, name)(t, g, *args)
        want = np.array([getattr(TH, scalar)(h, *args) for _ in range(n)])
    return arr(t), want.astype(DTYPES[tname])


CONTINUOUS = [
    ("uniform", (-2.0, 3.0), "THRandom_uniform"),
    ("normal", (1.5, 2.0), "THRandom_normal"),
    ("exponential", (2.5,), "THRandom_exponential"),
    ("cauchy", (1.0, 0.5), "THRandom_cauchy"),
    ("logNormal", (0.5, 0.25), "THRandom_logNormal"),
]


@pytest.mark.parametrize("tname", FLOAT_TYPES)
@pytest.mark.parametrize("name,args,scalar", CONTINUOUS)
def test_continuous_matches_stream(tname, name, args, scalar):
    got, want = _continuous(tname, name, args, scalar, 51)  # odd: the Box-Muller pair splits
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_continuous_statistics(tname):
    with Gen(2024) as g:
        t = empty(tname, N_STATS)
        fn(tname, "uniform")(t, g, -2.0, 3.0)
        x = arr(t).astype(np.float64)
        assert x.min() >= -2 and x.max() <= 3
        assert abs(x.mean() - 0.5) < 0.03 and abs(x.std() - 5 / np.sqrt(12)) < 0.03
        fn(tname, "normal")(t, g, 1.5, 2.0)
        x = arr(t).astype(np.float64)
        assert abs(x.mean() - 1.5) < 0.03 and abs(x.std() - 2.0) < 0.03
        fn(tname, "exponential")(t, g, 2.5)
        x = arr(t).astype(np.float64)
        assert x.min() >= 0 and abs(x.mean() - 0.4) < 0.01 and abs(x.std() - 0.4) < 0.01
        fn(tname, "cauchy")(t, g, 1.0, 0.5)
        q1, med, q3 = np.percentile(arr(t), [25, 50, 75])
        assert abs(med - 1.0) < 0.02 and abs((q3 - q1) - 1.0) < 0.03
        fn(tname, "logNormal")(t, g, 0.5, 0.25)
        x = np.log(arr(t).astype(np.float64))
        assert abs(x.mean() - 0.5) < 0.01 and abs(x.std() - 0.25) < 0.01


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_continuous_errors(tname):
    t = empty(tname, 3)
    with Gen(1) as g:
        for name, args in (("normal", (0.0, 0.0)), ("normal", (0.0, -1.0)),
                           ("logNormal", (0.0, 0.0)), ("exponential", (0.0,)),
                           ("exponential", (-1.0,))):
            with pytest.raises(ValueError):
                fn(tname, name)(t, g, *args)
        # an empty tensor is a no-op, as is any fill of nothing
        e = empty(tname)
        fn(tname, "uniform")(e, g, 0.0, 1.0)
        assert arr(e).size == 0


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_strided_targets_filled_in_element_order(tname):
    base = np.full((6, 5), 77, DTYPES[tname])
    whole = TENSOR_CLASSES[tname].from_numpy(base)
    view = whole.narrow(0, 1, 4).narrow(1, 1, 3).transpose(0, 1)  # 3 x 4, non-contiguous
    a, b = pair(8)
    with a as g, b as h:
        if tname in FLOAT_TYPES:
            fn(tname, "uniform")(view, g, 0.0, 1.0)
            want = [TH.THRandom_uniform(h, 0.0, 1.0) for _ in range(12)]
        else:
            fn(tname, "cappedRandom")(view, g, 100)
            want = [TH.THRandom_random(h) % 100 for _ in range(12)]
    np.testing.assert_array_equal(arr(view).ravel(), np.array(want, DTYPES[tname]))
    np.testing.assert_array_equal(base[1:5, 1:4].T.ravel(), np.array(want, DTYPES[tname]))
    outside = np.ones(base.shape, bool)
    outside[1:5, 1:4] = False
    assert (base[outside] == 77).all()


# ---- normal with tensor parameters ---------------------------------------------------------


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_normal_tensor_parameters(tname):
    dt = DTYPES[tname]
    rng = np.random.default_rng(0)
    means = rng.uniform(-5, 5, (4, 6)).astype(dt)
    stds = rng.uniform(0.5, 2, (4, 6)).astype(dt)
    M = TENSOR_CLASSES[tname].from_numpy(means)
    S = TENSOR_CLASSES[tname].from_numpy(stds)
    a, b = pair(13)
    with a as g, b as h:
        r = empty(tname)
        fn(tname, "normal_means")(r, g, M, 0.5)
        assert arr(r).shape == (4, 6)
        z = np.array([TH.THRandom_normal(h, 0.0, 0.5) for _ in range(24)]).astype(dt)
        np.testing.assert_array_equal(arr(r).ravel(), z + means.ravel())
        fn(tname, "normal_stddevs")(r, g, 2.0, S)
        z = np.array([TH.THRandom_normal(h, 0.0, 1.0) for _ in range(24)]).astype(dt)
        np.testing.assert_array_equal(arr(r).ravel(), z * stds.ravel() + dt(2.0))
        r2 = empty(tname, 6, 4).t()  # already the right shape: written in place
        fn(tname, "normal_means_stddevs")(r2, g, M, S)
        z = np.array([TH.THRandom_normal(h, 0.0, 1.0) for _ in range(24)]).astype(dt)
        np.testing.assert_array_equal(arr(r2).ravel(), z * stds.ravel() + means.ravel())
        # statistics: each element has its own mean and deviation
        big_m = np.repeat(np.array([[-3.0, 4.0]], dt), N_STATS // 2, axis=0)
        big_s = np.repeat(np.array([[0.5, 2.0]], dt), N_STATS // 2, axis=0)
        out = empty(tname)
        fn(tname, "normal_means_stddevs")(out, g, TENSOR_CLASSES[tname].from_numpy(big_m),
                                          TENSOR_CLASSES[tname].from_numpy(big_s))
        x = arr(out).astype(np.float64)
        np.testing.assert_allclose(x.mean(axis=0), [-3, 4], atol=0.05)
        np.testing.assert_allclose(x.std(axis=0), [0.5, 2], atol=0.05)
        # zero deviations are allowed (the mean itself); negative ones are not
        fn(tname, "normal_stddevs")(r, g, 1.0, TENSOR_CLASSES[tname].from_numpy(np.zeros(3, dt)))
        assert (arr(r) == 1).all()
        with pytest.raises(ValueError):
            fn(tname, "normal_stddevs")(r, g, 0.0, TENSOR_CLASSES[tname].from_numpy(-stds))
        with pytest.raises(ValueError):
            fn(tname, "normal_means")(r, g, M, 0.0)
        with pytest.raises(ValueError):
            fn(tname, "normal_means_stddevs")(r, g, M, TENSOR_CLASSES[tname].from_numpy(stds[:2]))


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_rand_randn(tname):
    a, b = pair(17)
    with a as g, b as h:
        r = empty(tname, 9)
        fn(tname, "rand")(r, g, long_storage((2, 3, 4)))
        assert arr(r).shape == (2, 3, 4)
        want = [TH.THRandom_uniform(h, 0.0, 1.0) for _ in range(24)]
        np.testing.assert_array_equal(arr(r).ravel(), np.array(want, DTYPES[tname]))
        fn(tname, "randn")(r, g, long_storage((5,)))
        assert arr(r).shape == (5,)
        want = [TH.THRandom_normal(h, 0.0, 1.0) for _ in range(5)]
        np.testing.assert_array_equal(arr(r), np.array(want, DTYPES[tname]))
        fn(tname, "randn")(r, g, long_storage((N_STATS,)))
        x = arr(r).astype(np.float64)
        assert abs(x.mean()) < 0.02 and abs(x.std() - 1) < 0.02
        fn(tname, "rand")(r, g, long_storage((2, -3)))  # as upstream: the sizes end at -3
        assert arr(r).shape == (2,)


# ---- randperm ------------------------------------------------------------------------------


def _randperm_oracle(h, n):
    r = list(range(n))
    for i in range(n - 1):
        z = TH.THRandom_random(h) % (n - i)
        r[i], r[i + z] = r[i + z], r[i]
    return r


@pytest.mark.parametrize("tname", ALL_TYPES)
def test_randperm(tname):
    a, b = pair(31)
    with a as g, b as h:
        for n in (1, 2, 10, 100):
            t = empty(tname, 3, 3)
            fn(tname, "randperm")(t, g, n)
            assert arr(t).shape == (n,)
            np.testing.assert_array_equal(arr(t), _randperm_oracle(h, n))
        # a strided 1-d target of the right size keeps its stride
        base = np.full(20, -1 if tname != "Byte" else 200, DTYPES[tname])
        view = TENSOR_CLASSES[tname].from_numpy(base[::2])
        fn(tname, "randperm")(view, g, 10)
        assert sorted(base[::2].tolist()) == list(range(10))
        assert (base[1::2] == base[1]).all()
        for bad in (0, -3):
            with pytest.raises(ValueError):
                fn(tname, "randperm")(t, g, bad)
        if tname in ("Byte", "Char"):
            fn(tname, "randperm")(t, g, MAXES[tname] + 1)
            assert sorted(arr(t).tolist()) == list(range(MAXES[tname] + 1))
            with pytest.raises(ValueError):
                fn(tname, "randperm")(t, g, MAXES[tname] + 2)


def test_randperm_uniform():
    """Every position sees every value about equally often."""
    with Gen(6) as g:
        counts = np.zeros((5, 5))
        t = empty("Long")
        for _ in range(5000):
            TH.THLongTensor_randperm(t, g, 5)
            counts[np.arange(5), arr(t)] += 1
        np.testing.assert_allclose(counts / 5000, 0.2, atol=0.03)


# ---- multinomial ---------------------------------------------------------------------------


def _multinomial_oracle(h, probs, n_sample, with_replacement=True):
    """Upstream's multinomial for one distribution, 0-based: running sums in double divided by
    their total; per sample the last sum set to 1 and the first sum >= u; without replacement
    the drawn mass d comes out of the later sums and all are divided by 1 - d."""
    probs = [float(v) for v in probs]
    cum, total = [], 0.0
    for v in probs:
        total += v
        cum.append(total)
    cum = [c / total for c in cum]
    out = []
    for _ in range(n_sample):
        u = TH.THRandom_uniform(h, 0.0, 1.0)
        cum[-1] = 1.0
        k = next(i for i, c in enumerate(cum) if not c < u)
        out.append(k)
        if not with_replacement and len(out) < n_sample:
            d = cum[k] - (cum[k - 1] if k else 0.0)
            cum = [(c - d if i >= k else c) / (1.0 - d) for i, c in enumerate(cum)]
    return out


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_multinomial_with_replacement(tname):
    dt = DTYPES[tname]
    probs = np.array([0.1, 0.0, 0.4, 0.2, 0.3], dt) * 7  # weights need not sum to 1
    P = TENSOR_CLASSES[tname].from_numpy(probs)
    a, b = pair(41)
    with a as g, b as h:
        r = empty("Long")
        fn(tname, "multinomial")(r, g, P, 30, 1)
        assert arr(r).shape == (30,)
        np.testing.assert_array_equal(arr(r), _multinomial_oracle(h, probs, 30))
        fn(tname, "multinomial")(r, g, P, N_STATS, 1)
        x = arr(r)
        assert x.min() >= 0 and x.max() <= 4  # 0-based, as upstream's C API
        freq = np.bincount(x, minlength=5) / N_STATS
        np.testing.assert_allclose(freq, probs / probs.sum(), atol=0.01)
        assert freq[1] == 0  # a zero weight is never drawn


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_multinomial_rows(tname):
    dt = DTYPES[tname]
    rows = np.array([[1, 0, 0, 0], [0, 0, 0, 2], [1, 1, 1, 1]], dt)
    # a transposed (non-contiguous) distribution tensor
    P = TENSOR_CLASSES[tname].from_numpy(np.ascontiguousarray(rows.T)).t()
    a, b = pair(43)
    with a as g, b as h:
        r = empty("Long", 3, 2000)
        fn(tname, "multinomial")(r, g, P, 2000, 1)
        assert arr(r).shape == (3, 2000)
        want = [_multinomial_oracle(h, row, 2000) for row in rows]
        np.testing.assert_array_equal(arr(r), want)
        assert (arr(r)[0] == 0).all() and (arr(r)[1] == 3).all()
        np.testing.assert_allclose(np.bincount(arr(r)[2], minlength=4) / 2000, 0.25, atol=0.04)


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_multinomial_without_replacement(tname):
    dt = DTYPES[tname]
    probs = np.array([[0.5, 0.0, 0.2, 0.3, 1.0, 0.0], [1, 2, 3, 4, 5, 6]], dt)
    P = TENSOR_CLASSES[tname].from_numpy(probs)
    a, b = pair(47)
    with a as g, b as h:
        r = empty("Long")
        fn(tname, "multinomial")(r, g, P, 4, 0)
        x = arr(r)
        assert x.shape == (2, 4)
        assert sorted(x[0].tolist()) == [0, 2, 3, 4]  # all the non-zero ones, each once
        assert len(set(x[1].tolist())) == 4
        want = [_multinomial_oracle(h, row, 4, False) for row in probs]
        np.testing.assert_array_equal(x, want)  # upstream's draws
        fn(tname, "multinomial")(r, g, P.select(0, 1), 6, 0)  # a strided distribution
        assert sorted(arr(r).tolist()) == [0, 1, 2, 3, 4, 5]
        assert arr(r).tolist() == _multinomial_oracle(h, probs[1], 6, False)
    with Gen(47) as g:
        # the first draw follows the weights; later ones never repeat
        w = np.array([0.1, 0.2, 0.3, 0.4], dt)
        W = TENSOR_CLASSES[tname].from_numpy(w)
        firsts = np.zeros(5)
        for _ in range(4000):
            fn(tname, "multinomial")(r, g, W, 3, 0)
            x = arr(r)
            assert len(set(x.tolist())) == 3
            firsts[x[0]] += 1
        np.testing.assert_allclose(firsts[:4] / 4000, w, atol=0.03)


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_multinomial_errors(tname):
    dt = DTYPES[tname]
    T = TENSOR_CLASSES[tname]
    r = empty("Long", 2)
    before = arr(r).copy()
    with Gen(1) as g:
        mult = fn(tname, "multinomial")
        for probs in ([0.5, -0.1, 0.6], [0.0, 0.0], [1.0, np.nan], [1.0, np.inf]):
            with pytest.raises(ValueError):
                mult(r, g, T.from_numpy(np.array(probs, dt)), 1, 1)
        P = T.from_numpy(np.array([0.2, 0.3, 0.5], dt))
        for n, repl in ((0, 1), (-1, 1), (4, 0)):
            with pytest.raises(ValueError):
                mult(r, g, P, n, repl)
        with pytest.raises(ValueError):  # too few non-zero weights for the samples
            mult(r, g, T.from_numpy(np.array([0.2, 0.0, 0.5], dt)), 3, 0)
        with pytest.raises(ValueError):
            mult(r, g, T.from_numpy(np.ones((2, 2, 2), dt)), 1, 1)
        with pytest.raises(ValueError):
            mult(r, g, T.empty(), 1, 1)
        np.testing.assert_array_equal(arr(r), before)  # untouched by the errors
        mult(r, g, P, 3, 0)  # exactly as many as the categories is fine


def _alias_setup_oracle(probs, dt):
    """Upstream's multinomialAliasSetup, in the element type: (J, q), J 0-based."""
    n = len(probs)
    real = dt.type
    q = [real(real(n) * real(v)) for v in probs]
    J = [0] * n
    small = [k for k in range(n) if q[k] < 1.0]
    large = [k for k in range(n) if not q[k] < 1.0]
    while small and large:
        big, sm = large[-1], small[-1]
        J[sm] = big
        q[big] = real(float(q[big]) - (1.0 - float(q[sm])))
        if q[big] < 1.0:
            small[-1] = big
            large.pop()
        else:
            small.pop()
    qmax = max(q)
    if qmax > 1:
        q = [real(v / qmax) for v in q]
    q = [real(1) if J[k] <= 0 else q[k] for k in range(n)]
    return J, q


def _alias_draw_oracle(h, J, q, count):
    """Upstream's multinomialAliasDraw: column (long)uniform(0, n), kept when uniform <= q,
    else J - 1."""
    n, out = len(J), []
    for _ in range(count):
        k = int(TH.THRandom_uniform(h, 0.0, float(n)))
        keep = TH.THRandom_uniform(h, 0.0, 1.0) <= float(q[k])
        out.append(k if keep else int(J[k]) - 1)
    return out


@pytest.mark.parametrize("tname", FLOAT_TYPES)
def test_multinomial_alias(tname):
    """The table is upstream's, bit for bit: J 0-based (0 where a column keeps itself), q scaled
    by its largest value, q = 1 wherever J = 0. The draw reads J as 1-based (a rejected column k
    gives J[k] - 1), as upstream's does: Lua's bindings add 1 to the J that setup returns and the
    draw's binding takes it back, so the C pair gives upstream's numbers."""
    dt = np.dtype(DTYPES[tname])
    T = TENSOR_CLASSES[tname]
    probs = np.array([0.05, 0.02, 0.25, 0.1, 0.38, 0.2], dt)
    J, q = empty("Long"), empty(tname)
    fn(tname, "multinomialAliasSetup")(T.from_numpy(probs), J, q)
    j, qq = arr(J), arr(q)
    want_j, want_q = _alias_setup_oracle(probs, dt)
    assert j.tolist() == want_j and qq.tolist() == [float(v) for v in want_q]
    k = len(probs)
    assert j.min() >= 0 and j.max() <= k - 1 and qq.min() > 0 and qq.max() <= 1
    # a strided distribution and strided outputs give the same table
    P2 = T.from_numpy(np.stack([probs, probs], axis=1)).select(1, 0)
    J2, q2 = TENSOR_CLASSES["Long"].from_numpy(np.zeros((k, 2), np.int64)).select(1, 1), \
        T.from_numpy(np.zeros((k, 3), dt)).select(1, 2)
    fn(tname, "multinomialAliasSetup")(P2, J2, q2)
    assert arr(J2).tolist() == want_j and arr(q2).tolist() == qq.tolist()
    a, b = pair(53)
    with a as g, b as h:
        r = empty("Long", 4, 5).t()  # any shape, filled in element order
        fn(tname, "multinomialAliasDraw")(r, g, J, q)
        np.testing.assert_array_equal(arr(r).ravel(), _alias_draw_oracle(h, j, qq, 20))
        big = empty("Long", 3000)
        fn(tname, "multinomialAliasDraw")(big, g, J, q)
        np.testing.assert_array_equal(arr(big), _alias_draw_oracle(h, j, qq, 3000))
        assert arr(big).min() >= 0 and arr(big).max() <= k - 1
        # with J + 1 (what Lua's bindings hand over, and torchbind's module function) the draws
        # follow the distribution, but for upstream's q = 1 on columns aliased to column 0
        J1 = TENSOR_CLASSES["Long"].from_numpy(j + 1)
        big = empty("Long", N_STATS)
        fn(tname, "multinomialAliasDraw")(big, g, J1, q)
        encoded = qq.astype(np.float64).copy()
        np.add.at(encoded, j, np.where(j > 0, 1 - qq, 0))
        freq = np.bincount(arr(big), minlength=k) / N_STATS
        np.testing.assert_allclose(freq, encoded / encoded.sum(), atol=0.01)
        # errors: bad distributions (upstream refuses a zero weight too), corrupt tables
        for bad in (np.ones((2, 2), dt), np.array([0.5, -0.5], dt), np.zeros(3, dt),
                    np.array([0.5, 0.0, 0.5], dt), np.array([0.5, np.nan], dt)):
            with pytest.raises(ValueError):
                fn(tname, "multinomialAliasSetup")(T.from_numpy(bad), empty("Long"), empty(tname))
        with pytest.raises(ValueError):
            fn(tname, "multinomialAliasDraw")(big, g, J, T.from_numpy(qq[:3].astype(dt)))
        small_col = int(np.argmin(qq))  # q < 1 there: J - 1 must name a category
        for v in (0, k + 1):
            bad_j = TENSOR_CLASSES["Long"].from_numpy(np.where(np.arange(k) == small_col, v, j))
            with pytest.raises(ValueError):
                fn(tname, "multinomialAliasDraw")(big, g, bad_j, q)
        bad_q = T.from_numpy(np.where(np.arange(k) == 0, 1.5, qq).astype(dt))
        with pytest.raises(ValueError):
            fn(tname, "multinomialAliasDraw")(big, g, J, bad_q)


def test_alias_uniform_and_single():
    for probs, want_j in (([1.0], [0]), ([0.25] * 4, [0, 0, 0, 0]), ([0.5, 0.25, 0.25], [0, 0, 0]),
                          ([0.2, 0.3, 0.5], [2, 2, 0])):
        J, q = empty("Long"), empty("Double")
        TH.THDoubleTensor_multinomialAliasSetup(
            TENSOR_CLASSES["Double"].from_numpy(np.array(probs)), J, q)
        assert arr(J).tolist() == want_j
        with Gen(2) as g:
            r = empty("Long", 500)
            TH.THDoubleTensor_multinomialAliasDraw(r, g, J, q)
        assert set(arr(r).tolist()) <= set(range(len(probs)))


# ---- the generator's state -----------------------------------------------------------------

STATE_SIZE = 5048  # sizeof(THGeneratorState) on LP64


def _stream(g, n=20):
    """A mix of draws touching every part of the state (the Box-Muller cache included)."""
    return ([TH.THRandom_random(g) for _ in range(n)]
            + [TH.THRandom_normal(g, 0.0, 1.0) for _ in range(3)]
            + [TH.THRandom_uniform(g, 0.0, 1.0) for _ in range(n)])


def test_rng_state_roundtrip():
    with Gen(123) as g, Gen(999) as other:
        for _ in range(700):  # past a twist
            TH.THRandom_random(g)
        TH.THRandom_normal(g, 0.0, 1.0)  # leaves a cached sine deviate
        s = empty("Byte")
        TH.THByteTensor_getRNGState(g, s)
        assert arr(s).shape == (STATE_SIZE,)
        saved = arr(s).copy()
        first = _stream(g)
        TH.THByteTensor_setRNGState(g, s)
        assert _stream(g) == first
        TH.THByteTensor_setRNGState(other, s)  # into another generator
        assert _stream(other) == first
        assert TH.THGenerator_isValid(other) == 1
        # a non-contiguous byte tensor holding the same bytes works too
        holder = np.zeros((STATE_SIZE, 2), np.uint8)
        holder[:, 1] = saved
        TH.THByteTensor_setRNGState(g, TENSOR_CLASSES["Byte"].from_numpy(holder).select(1, 1))
        assert _stream(g) == first
        # getRNGState into a strided view of the right size
        TH.THByteTensor_getRNGState(g, TENSOR_CLASSES["Byte"].from_numpy(holder).select(1, 0))
        copy = TENSOR_CLASSES["Byte"].from_numpy(holder[:, 0].copy())
        mid = _stream(g)
        TH.THByteTensor_setRNGState(g, copy)
        assert _stream(g) == mid


def test_rng_state_fresh_seed_and_default():
    with Gen(77) as g:
        s = empty("Byte")
        TH.THByteTensor_getRNGState(g, s)  # right after seeding
        a = _stream(g)
        TH.THByteTensor_setRNGState(g, s)
        assert _stream(g) == a
    default = ffi.extension("THRandom_defaultGenerator", ctypes.c_void_p, [])()
    s = empty("Byte")
    TH.THByteTensor_getRNGState(None, s)  # NULL: the default generator
    a = _stream(default)
    TH.THByteTensor_setRNGState(None, s)
    assert _stream(default) == a
    t = empty("Double", 5)
    TH.THByteTensor_setRNGState(None, s)
    TH.THDoubleTensor_uniform(t, None, 0.0, 1.0)
    TH.THByteTensor_setRNGState(None, s)
    assert arr(t).tolist() == [TH.THRandom_uniform(default, 0.0, 1.0) for _ in range(5)]


def test_rng_state_rejects_bad_states():
    with Gen(5) as g:
        for _ in range(10):  # left + next == 625 from here on
            TH.THRandom_random(g)
        s = empty("Byte")
        TH.THByteTensor_getRNGState(g, s)
        good = arr(s).copy()
        expected = _stream(g)
        TH.THByteTensor_setRNGState(g, s)
        B = TENSOR_CLASSES["Byte"]

        def corrupt(offset, value, width):
            b = good.copy()
            b[offset:offset + width] = np.frombuffer(
                int(value).to_bytes(width, "little", signed=value < 0), np.uint8)
            return B.from_numpy(b)

        # layout: seed (8), left (4), seeded (4), next (8), state words (624 x 8), ...
        bad_states = [
            corrupt(12, 0, 4),  # not seeded
            corrupt(8, 0, 4),  # left == 0
            corrupt(8, 625, 4),  # left past the words
            corrupt(8, -5, 4),
            corrupt(16, 625, 8),  # next past the words
            corrupt(8, 620, 4),  # next + left would read past the end
            corrupt(24, 2**40, 8),  # a state word wider than 32 bits
            corrupt(STATE_SIZE - 8, 7, 4),  # the normal-cache flag is not a flag
            B.from_numpy(good[:-1]),  # wrong sizes
            B.from_numpy(np.concatenate([good, good[:1]])),
            empty("Byte"),
        ]
        for bad in bad_states:
            with pytest.raises(ValueError):
                TH.THByteTensor_setRNGState(g, bad)
        assert _stream(g) == expected  # the failed restores changed nothing


def test_null_generator_means_default():
    default = ffi.extension("THRandom_defaultGenerator", ctypes.c_void_p, [])()
    TH.THRandom_manualSeed(default, 2718)
    t = empty("Float", 6)
    TH.THFloatTensor_normal(t, None, 0.0, 1.0)
    u = empty("Long", 4)
    TH.THLongTensor_cappedRandom(u, None, 10)
    TH.THRandom_manualSeed(default, 2718)
    want = [TH.THRandom_normal(default, 0.0, 1.0) for _ in range(6)]
    np.testing.assert_array_equal(arr(t), np.array(want, np.float32))
    assert arr(u).tolist() == [TH.THRandom_random(default) % 10 for _ in range(4)]
    r = empty("Long")
    TH.THLongTensor_randperm(r, None, 8)
    assert sorted(arr(r).tolist()) == list(range(8))


def test_module_alias_draw_needs_out():
    """The module function draws as many samples as out= has elements; without out= it says so
    (rather than drawing nothing into an empty tensor)."""
    import torchbind.double_tensor as D
    import torchbind.long_tensor as LT
    J, q = D.multinomial_alias_setup(D.from_numpy(np.array([0.2, 0.1, 0.7])))
    assert np.asarray(J).tolist() == [2, 2, 0]  # 0-based, as the C function returns it
    with pytest.raises(TypeError, match="out="):
        D.multinomial_alias_draw(J, q)
    draws = np.asarray(D.multinomial_alias_draw(J, q, out=LT.empty(N_STATS)))
    assert draws.shape == (N_STATS,)
    # the module function hands the C draw J + 1, so the draws follow the distribution
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / N_STATS, [0.2, 0.1, 0.7],
                               atol=0.01)
