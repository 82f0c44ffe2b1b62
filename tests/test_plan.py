"""The plan: every C function's parameter roles are declared in torchbind/th_roles.tsv (data),
read by one module (torchbind._plan), and no other place guesses them from names."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import torchbind.float_tensor as F
from torchbind import _apitable, _plan, ffi
from torchbind.cuda import _thcapi

ROOT = Path(__file__).resolve().parents[1]


def _table_rows() -> list[tuple[str, int]]:
    """(symbol, parameter count) for every row of both API tables and their extensions."""
    out = []
    th = _apitable.TH_TABLE
    for line in [*th.read_text().splitlines()[1:],
                 *_apitable.extension_table(th).read_text().splitlines()[1:]]:
        if line.strip():
            symbol, restype, params = line.split("\t")[:3]
            out.append((symbol, len(_apitable.parse_row(params, restype)[1])))
    rows = _thcapi._rows(_thcapi.THC_TABLE.read_text())
    rows += _thcapi._rows("h\n" + _thcapi.EXTENSIONS_TSV)
    for symbol, _restype, params in (r[:3] for r in rows):
        out.append((symbol, len(_apitable.parse_row(_thcapi._unstruct(params), "void")[1])))
    return out


def test_every_table_row_has_its_roles():
    overlay = _plan.rows()
    missing = [s for s, _ in _table_rows() if s not in overlay]
    assert not missing, f"no roles in th_roles.tsv for {missing}"
    wrong = [s for s, n in _table_rows() if len(overlay[s].roles) != n]
    assert not wrong, f"roles do not match the parameters of {wrong}"
    stale = set(overlay) - {s for s, _ in _table_rows()}
    assert not stale, f"rows in th_roles.tsv for no table row: {sorted(stale)}"
    for row in overlay.values():
        assert row.concept in _plan.CONCEPTS, row
        assert all(r.rstrip("?!") in _plan.ROLES for r in row.roles), row


def test_every_prototype_has_a_plan():
    for proto in ffi.PROTOTYPES.values():
        p = _plan.plan(proto)
        assert len(p.roles) == len(proto.params)


def test_a_missing_row_is_an_error(monkeypatch):
    rows = dict(_plan.rows())
    del rows["TH<T>Tensor_sort"]
    monkeypatch.setattr(_plan, "rows", lambda: rows)
    _plan._plan_cached.cache_clear()
    try:
        with pytest.raises(_plan.PlanError, match="TH<T>Tensor_sort"):
            _plan.plan(ffi.PROTOTYPES["THFloatTensor_sort"])
    finally:
        _plan._plan_cached.cache_clear()


def test_the_plan_reads_the_roles():
    p = _plan.plan(ffi.PROTOTYPES["THFloatTensor_sort"])
    assert (p.concept, p.outputs, p.inputs) == ("sorting", (0, 1), (2, 3, 4))
    p = _plan.plan(ffi.PROTOTYPES["THDoubleTensor_gesv"])
    assert all(p.nullable)
    p = _plan.plan(ffi.PROTOTYPES["THFloatTensor_indexSelect"])
    assert p.roles == ("out", "in", "in", "index_in1")


def test_no_role_is_guessed_from_a_name_elsewhere():
    """The name sets and regexes that used to decide roles are gone from the package."""
    old = re.compile(r"_OUTPUT_NAMES|_INPLACE\b|_INDEX_INPUTS|_INDEX_OUTPUTS|_OUTPUT_BY_FUNCTION"
                     r"|_NULLABLE|_STRUCTURE\b|MATH_VALUE|MATH_INPLACE|MATH_OUT")
    hits = [str(p.relative_to(ROOT)) for p in (ROOT / "torchbind").rglob("*.py")
            if old.search(p.read_text())]
    hits += [str(p.relative_to(ROOT)) for p in (ROOT / "scripts").glob("*.py")
             if old.search(p.read_text())]
    assert not hits, hits


@pytest.mark.parametrize("call", [
    lambda: ffi.TH.THRandom_seed(None),
    lambda: ffi.TH.THRandom_random(None),
    lambda: ffi.TH.THGenerator_isValid(None),
    lambda: ffi.TH.THFloatTensor_transpose(None, None, 0, 1),
    lambda: ffi.TH.THFloatTensor_narrow(None, None, 0, 0, 1),
    lambda: ffi.TH.THByteTensor_setStorage1d(None, None, 0, 1, 1),
    lambda: ffi.TH.THMapAllocatorContext_filename(None),
    lambda: ffi.TH.THMapAllocatorContext_free(None),
])
def test_ffi_refuses_none_where_c_dereferences_it(call):
    with pytest.raises(TypeError, match="cannot be NULL"):
        call()


def test_ffi_takes_none_where_c_accepts_null():
    t = F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3))
    ffi.TH.THFloatTensor_transpose(t, None, 0, 1)  # src NULL: self
    assert t.shape == (3, 2)
    ffi.TH.THFloatTensor_free(None)
    ffi.TH.THGenerator_free(None)


def test_ffi_integers_out_of_range_overflow():
    t = F.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3))
    with pytest.raises(OverflowError):
        ffi.TH.THFloatTensor_select(t, None, 0, 2**64 + 1)
    with pytest.raises(OverflowError):
        ffi.TH.THFloatStorage_newWithSize(2**64 + 3)
    with pytest.raises(TypeError):
        ffi.TH.THFloatTensor_select(t, None, 0, 1.0)
