"""Optional oracle: our libTH against an upstream Torch7 libTH, call for call.

Runs scripts/diff_upstream.py (forked children, identical arguments built through each
library's own API, every tensor argument and the return value compared after the call) over a
representative subset of the API table: at least one family of each group (reductions, index
functions, random draws, math, pointwise, convolutions, LAPACK, tensor manipulation, storages,
copies), on a signed integer, an unsigned integer and a floating type.

Skipped unless the environment variable TORCHBIND_UPSTREAM_TH names an upstream libTH (the
build in ../shared/luatorch puts one at PREFIX/lib/libTH.so.0); the library compared with it is
the one torchbind loads (torchbind.ffi.LIBRARY_PATH). The full comparison over every (function,
type) pair of the table is `python scripts/diff_upstream.py --ours ... --upstream ...`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

UPSTREAM = os.environ.get("TORCHBIND_UPSTREAM_TH", "")

pytestmark = pytest.mark.skipif(
    not UPSTREAM or not Path(UPSTREAM).exists(),
    reason="TORCHBIND_UPSTREAM_TH does not name an upstream libTH",
)

# Known, deliberate differences: symbol -> reason (see docs/differences.md). A symbol listed
# here is not reported, whatever its difference.
ALLOWED: dict[str, str] = {}

FAMILIES = [
    # Reduce
    "max", "min", "sort", "topk", "kthvalue", "median", "mode", "sum", "cumsum", "std",
    "norm", "dist", "histc", "renorm", "sumall", "dot",
    # Index
    "indexSelect", "indexCopy", "indexAdd", "gather", "scatter", "maskedSelect", "nonzero",
    # Random
    "random", "uniform", "normal", "bernoulli", "multinomial", "multinomialAliasSetup",
    "multinomialAliasDraw", "randperm",
    # Math and pointwise
    "addmm", "addmv", "cross", "diag", "range", "linspace", "cat", "catArray", "tril",
    "cadd", "addcdiv", "rshift", "crshift", "clamp", "pow", "cdiv", "sign", "eqValue",
    # Conv, Lapack
    "conv2Dmv", "conv2Dger", "conv3Dmv", "gesv", "syev", "qr", "gesvd", "potrf", "btrifact",
    # Tensor, Storage, Copy
    "expand", "newExpand", "unfold", "narrow", "resizeNd", "setStorage2d", "newWithSize",
    "squeeze1d", "copyFloat", "copyByte",
]
TYPES = ["Byte", "Int", "Long", "Double", "Float"]
ONLY = (r"^(TH(" + "|".join(TYPES) + r")(Tensor|Storage)_(" + "|".join(FAMILIES) + r")"
        r"|THRandom_\w+|TH_float2half|TH_half2float|THSize_nElement)$")


def _harness():
    path = Path(__file__).resolve().parent.parent / "scripts" / "diff_upstream.py"
    spec = importlib.util.spec_from_file_location("diff_upstream", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("diff_upstream", mod)
    spec.loader.exec_module(mod)
    return mod


def test_subset_matches_upstream():
    from torchbind import ffi

    h = _harness()
    results, _ = h.run(str(ffi.LIBRARY_PATH), UPSTREAM, only=ONLY, seed=1)
    assert len(results) > 100, "the subset selected too few (function, type) pairs"
    bad = [r for r in results
           if r.status in ("CRASH", "ERROR-MISMATCH", "DIFF") and r.symbol not in ALLOWED]
    if bad:
        lines = [f"{r.status} {r.symbol}: {r.detail}" for r in bad]
        pytest.fail(f"{len(bad)} differences from upstream:\n" + "\n".join(lines), pytrace=False)


def test_allow_list_names_real_symbols():
    from torchbind import _apitable

    symbols = {p.symbol for p in _apitable.load()}
    assert set(ALLOWED) <= symbols
    assert all(reason.strip() for reason in ALLOWED.values())


def test_subset_pattern_is_valid():
    assert re.compile(ONLY).match("THFloatTensor_max")
