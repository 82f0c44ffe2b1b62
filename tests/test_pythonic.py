"""The Tensor as a Python array: indexing, operators, conversion, pickling, DLPack."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from conftest import sample

import torchbind.byte_tensor as B
import torchbind.double_tensor as D
import torchbind.float_tensor as F
import torchbind.int_tensor as I
from torchbind.tensor import from_dlpack

INDEXES = [1, -1, (1, 2), (slice(None), 1), (slice(1, None, 2),), (Ellipsis, 0),
           (None, 1), (slice(None), None, slice(0, 3)), (1, Ellipsis, None), slice(0, 0),
           (slice(None, None, 3), -2)]


@pytest.mark.parametrize("index", INDEXES, ids=repr)
def test_indexing_matches_numpy_and_shares_memory(index):
    a = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
    t = D.from_numpy(a)
    got, want = t[index], a[index]
    if np.ndim(want) == 0:
        assert got == want
        return
    np.testing.assert_array_equal(np.asarray(got), want.reshape(got.shape) if want.size else
                                  np.zeros(0))
    if want.size:
        assert np.shares_memory(np.asarray(got), a)
        assert got.storage().address == t.storage().address  # a TH view of the same storage


def test_assignment_writes_through():
    a = np.zeros((3, 4), np.int32)
    t = I.from_numpy(a)
    t[1] = 5
    t[:, 2] = I.from_numpy(np.array([7, 8, 9], np.int32))
    t[0, 0] = -1
    assert a.tolist() == [[-1, 0, 7, 0], [5, 5, 8, 5], [0, 0, 9, 0]]
    with pytest.raises(ValueError, match="negative steps"):
        t[::-1]


def test_iteration_len_bool():
    t = F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3))
    rows = [r.tolist() for r in t]
    assert rows == [[0, 1, 2], [3, 4, 5]] and len(t) == 2
    assert bool(F.from_numpy(np.ones(1, np.float32)))
    with pytest.raises(ValueError):
        bool(t)


@pytest.mark.parametrize("mod", [F, D, I, B], ids=lambda m: m.ELEMENT_TYPE.name)
def test_operators_follow_th_semantics(mod):
    dt = mod.ELEMENT_TYPE.dtype
    a = sample(mod, (3, 4), low=1)
    b = sample(mod, (3, 4), np.random.default_rng(3), low=1)
    t, u = mod.from_numpy(a), mod.from_numpy(b)
    big = np.float64 if dt.kind == "f" else np.int64

    def same(x, y):
        y = np.asarray(y).astype(dt, casting="unsafe")
        if dt.kind == "f":
            np.testing.assert_allclose(np.asarray(x), y, rtol=1e-5)
        else:
            np.testing.assert_array_equal(np.asarray(x), y)

    same(t + u, a.astype(big) + b)
    same(t - u, a.astype(big) - b)
    same(t * u, a.astype(big) * b)
    same(t + 2, a.astype(big) + 2)
    same(2 + t, a.astype(big) + 2)
    same(10 - t, 10 - a.astype(big))
    same(t * 3, a.astype(big) * 3)
    same(-t, -a.astype(big))
    if dt.kind == "f":
        same(t / u, a / b)
        same(t ** 2, a ** 2)
        same(2 ** t, 2.0 ** a)
    else:
        same(t / u, np.trunc(a.astype(np.float64) / b))  # C division
        same(t % u, np.remainder(a.astype(big), b))
        same(t ** 2, a.astype(big) ** 2)
    same(t @ u.t(), a.astype(big) @ b.T.astype(big))
    same(t < u, a < b)
    same(t == 3, a == 3)
    c = t.copy()
    c += u
    c *= 2
    same(c, (a.astype(big) + b) * 2)
    with pytest.raises(TypeError, match="convert one with .to"):
        _ = t + (F.zeros(3, 4) if mod is not F else D.zeros(3, 4))


def test_broadcasting_and_matmul_shapes():
    a = np.arange(6.0).reshape(2, 3)
    t = D.from_numpy(a)
    np.testing.assert_array_equal(np.asarray(t + D.from_numpy(np.array([1.0, 2, 3]))),
                                  a + [1, 2, 3])
    np.testing.assert_array_equal(np.asarray(t * D.from_numpy(np.array([[2.0], [3.0]]))),
                                  a * [[2], [3]])
    assert (t @ D.from_numpy(np.ones(3))).tolist() == [3.0, 12.0]
    assert D.from_numpy(np.ones(3)) @ D.from_numpy(np.ones(3)) == 3.0
    with pytest.raises(ValueError, match="broadcast"):
        _ = t + D.zeros(4)


def test_to_and_pickle(tmp_path):
    t = F.from_numpy(np.array([1.5, -2.5, 3.0], np.float32)).narrow(0, 0, 2)
    assert t.to(I).tolist() == [1, -2] and t.to("double").type_name == "Double"
    assert t.to(F) is t
    for obj in (t, I.empty(), D.from_numpy(np.arange(6.0).reshape(2, 3)).t()):
        back = pickle.loads(pickle.dumps(obj))
        assert type(back) is type(obj) and back.tolist() == obj.tolist()


def test_dlpack_with_numpy_both_ways():
    t = F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3)).t()
    arr = np.from_dlpack(t)
    arr[0, 1] = 99
    assert t[0, 1] == 99 and arr.strides == (4, 12)
    src = np.arange(5, dtype=np.int32)
    u = from_dlpack(src)
    u[2] = -7
    assert src[2] == -7 and u.type_name == "Int"
    assert t.__dlpack_device__() == (1, 0)


def test_dlpack_with_torch():
    torch = pytest.importorskip("torch")
    t = D.from_numpy(np.arange(12.0).reshape(3, 4)).narrow(1, 1, 2)
    x = torch.from_dlpack(t)
    x[0, 0] = -1.0
    assert t[0, 0] == -1.0
    y = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()
    u = from_dlpack(y)
    u[1, 1] = 123
    assert y[1, 1].item() == 123 and u.strides == (1, 3)
