"""The fast paths of issue 13 (indexing, construction, operators, index arguments, lazy module
functions) against numpy, on every math type, contiguous and not; and the package's structure
(no tensor <-> _generic cycle, TH_ERR read from one table checked against THGeneral.h)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import torchbind.long_tensor as L
from torchbind import MODULES, errors, implementation
from torchbind.tensor import TENSOR_CLASSES

ROOT = Path(__file__).resolve().parents[1]
MATH = [implementation(m) for t, m in MODULES.items() if t != "Half"]


def _data(T, shape):
    return (np.arange(int(np.prod(shape))) % 7 + 1).astype(T.ELEMENT_TYPE.dtype).reshape(shape)


@pytest.mark.parametrize("T", MATH, ids=lambda m: m.__name__.split(".")[-1])
@pytest.mark.parametrize("transposed", [False, True])
def test_item_access_and_basic_slices_match_numpy(T, transposed):
    a = _data(T, (4, 5))
    a = a.T.copy().T if transposed else a  # a non-contiguous tensor over the same values
    t = T.from_numpy(a)
    for idx in [(1, 2), (-1, -2), (3, 4), (0, 0)]:
        v = t[idx]
        assert v == a[idx] and type(v) is type(a[idx].item())
    for i in [0, 2, -1]:
        np.testing.assert_array_equal(np.asarray(t[i]), a[i])
        assert np.shares_memory(np.asarray(t[i]), a)
    for sl in [slice(1, 3), slice(None, 2), slice(-3, None), slice(2, 100), slice(1, 3, 1)]:
        np.testing.assert_array_equal(np.asarray(t[sl]), a[sl])
        assert np.shares_memory(np.asarray(t[sl]), a)
    v = T.from_numpy(a[0].copy())
    assert v[2] == a[0, 2] and v[-1] == a[0, -1]
    for bad in [(4, 0), (0, 5), (-5, 0), 4, -5]:
        with pytest.raises(IndexError):
            t[bad]
    assert t[3:1].numel() == 0  # empty: the general path


@pytest.mark.parametrize("T", MATH, ids=lambda m: m.__name__.split(".")[-1])
def test_from_numpy_shares_and_keeps_memory(T):
    for shape in [(5,), (2, 3), (2, 3, 2), (2, 1, 3, 2), (2, 1, 1, 2, 2)]:
        a = _data(T, shape)
        t = T.from_numpy(a)
        assert t.shape == shape and np.shares_memory(np.asarray(t), a)
        np.testing.assert_array_equal(np.asarray(t), a)
        t[(0,) * len(shape)] = 5
        assert a[(0,) * len(shape)] == 5
    t = T.from_numpy(_data(T, (3, 3)))  # the array lives as long as the tensor
    np.testing.assert_array_equal(np.asarray(t), _data(T, (3, 3)))
    r = _data(T, (4,))
    r.flags.writeable = False
    assert not np.shares_memory(np.asarray(T.from_numpy(r)), r)  # read-only: a copy


@pytest.mark.parametrize("T", MATH, ids=lambda m: m.__name__.split(".")[-1])
def test_zeros_empty_and_operators(T):
    for shape in [(4,), (4, 4), (2, 3, 4), (1, 2, 3, 4), ((2, 3),)]:
        z = T.zeros(*shape)
        want = shape[0] if isinstance(shape[0], tuple) else shape
        assert z.shape == want and not np.asarray(z).any()
    assert T.empty().numel() == 0 and T.empty(0).numel() == 0
    with pytest.raises(ValueError):
        T.empty(-1)
    a, b = _data(T, (3, 4)), _data(T, (3, 4))[::-1].copy()
    x, y = T.from_numpy(a), T.from_numpy(b)
    np.testing.assert_array_equal(np.asarray(x + y), a + b)
    np.testing.assert_array_equal(np.asarray(x * 2), a * 2)
    np.testing.assert_array_equal(np.asarray(x.t() + y.t()), (a + b).T)
    np.testing.assert_array_equal(np.asarray(x + T.from_numpy(b[0].copy())), a + b[0])
    x += y
    np.testing.assert_array_equal(np.asarray(x), a)  # in place: a is x's memory
    with pytest.raises(TypeError):
        x + 1.5 if not T.ELEMENT_TYPE.floating else x + "1"


@pytest.mark.parametrize("T", MATH, ids=lambda m: m.__name__.split(".")[-1])
def test_index_select_leaves_the_index_and_matches_numpy(T):
    a = _data(T, (4, 3))
    ix = np.array([3, 0, 2, 0])
    i = L.from_numpy(ix.copy())
    np.testing.assert_array_equal(np.asarray(T.index_select(T.from_numpy(a), 0, i)),
                                  a.take(ix, 0))
    np.testing.assert_array_equal(np.asarray(T.index_select(T.from_numpy(a).t(), 1, i)),
                                  a.T.take(ix, 1))
    assert np.asarray(i).tolist() == ix.tolist()
    with pytest.raises(IndexError):
        T.index_select(T.from_numpy(a), 0, L.from_numpy(np.array([4])))


def test_module_functions_are_made_on_first_use_and_listed():
    code = ("import torchbind.float_tensor as F\n"
            "assert 'dot' not in vars(F) and 'dot' in dir(F) and 'dot' in F.__all__\n"
            "assert F.dot.__name__ == 'dot' and 'dot' in vars(F)\n"
            "import sys; assert 'inspect' not in sys.modules or True\n"
            "assert all(callable(getattr(F, n)) or n in ('AccReal', 'Real') for n in F.__all__)\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    with pytest.raises(AttributeError):
        implementation("float_tensor").no_such_function  # noqa: B018


def test_tensor_does_not_import_the_generic_module():
    tree = ast.parse((ROOT / "torchbind" / "tensor.py").read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any("_generic" in (m or "") for m in imported)
    assert "_bind" not in (ROOT / "torchbind" / "tensor.py").read_text()


def test_error_kinds_are_thgeneral_h_s():
    header = (ROOT / "vendor" / "TH" / "THGeneral.h").read_text()
    enum = {m.group(1): int(m.group(2))
            for m in re.finditer(r"\bTH_ERR_(\w+)\s*=\s*(\d+)", header)}
    assert enum == errors.TH_ERR
    assert errors.BY_KIND[enum["INDEX"]] is errors.THIndexError
    assert set(errors.BY_KIND) == set(enum.values()) - {enum["NONE"]}


def test_tensor_classes_have_fast_path_caches():
    assert all(isinstance(cls._fns, dict) for cls in TENSOR_CLASSES.values())
