"""The signature's layers: checked at run time, and statically by mypy --strict on examples/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import torchbind
import torchbind.signature as sig

ROOT = Path(__file__).parents[1]

EXPECTED = {
    "half_tensor": ["Core"],
    "byte_tensor": ["Core", "Blog", "Math"],
    "char_tensor": ["Core", "Blog", "Math"],
    "short_tensor": ["Core", "Blog", "Math", "Signed"],
    "int_tensor": ["Core", "Blog", "Math", "Signed"],
    "long_tensor": ["Core", "Blog", "Math", "Signed"],
    "float_tensor": ["Core", "Blog", "Math", "Signed", "Floating"],
    "double_tensor": ["Core", "Blog", "Math", "Signed", "Floating"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_module_satisfies_its_layers(name):
    assert sig.check(torchbind.implementation(name)) == EXPECTED[name]


def test_layers_nest_and_hold_the_blog_signature():
    core = set(sig.members(sig.Core))
    blog = set(sig.members(sig.Blog))
    assert {"Tensor", "read1dFile"} <= core < blog
    assert {"AccReal", "dot", "sumall"} <= blog < set(sig.members(sig.Math))
    assert set(sig.members(sig.Math)) <= set(sig.members(sig.Signed)) <= set(
        sig.members(sig.Floating))


def test_missing_members_are_named():
    import torchbind.int_tensor as I
    fake = types.ModuleType("fake_tensor")
    fake.__dict__.update({k: getattr(I, k) for k in I.__all__ if k not in ("dot", "sumall")})
    with pytest.raises(sig.SignatureError, match="Blog lacks dot, sumall"):
        sig.check(fake, (sig.Core, sig.Blog))
    assert sig.check(fake, (sig.Core,)) == ["Core"]
    with pytest.raises(sig.SignatureError, match="not a per-type module"):
        sig.check(fake)
    with pytest.raises(sig.SignatureError, match="Blog lacks"):
        sig.check(torchbind.half_tensor, (sig.Core, sig.Blog))


def test_generated_stubs_and_layers_are_current():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_signature.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def _mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("mypy") is None:
        pytest.skip("mypy is not installed (pip install '.[test]' brings it)")
    return subprocess.run(["mypy", "--strict", "--no-incremental", *args], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "MYPYPATH": str(ROOT)})


def test_mypy_strict_accepts_the_examples():
    out = _mypy(str(ROOT / "examples"), cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_rejects_a_module_without_dot(tmp_path):
    pkg = tmp_path / "fakepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    stub = (ROOT / "torchbind" / "int_tensor.pyi").read_text()
    stub = "\n".join(line for line in stub.splitlines() if not line.startswith("def dot("))
    (pkg / "no_dot.pyi").write_text(stub.replace("'dot', ", ""))
    (tmp_path / "use.py").write_text(
        "import fakepkg.no_dot\n"
        "import torchbind.int_tensor\n"
        "from torchbind.signature import AccT, Blog, TensorT\n\n\n"
        "def app(T: Blog[TensorT, AccT]) -> float:\n"
        "    x = T.read1dFile('x', 10)\n"
        "    return T.dot(x, x) + T.sumall(x)\n\n\n"
        "ok = app(torchbind.int_tensor)\n"
        "bad = app(fakepkg.no_dot)\n")
    out = _mypy("use.py", cwd=tmp_path)
    assert out.returncode == 1
    assert 'use.py:12: error: Argument 1 to "app" has incompatible type Module' in out.stdout
    assert "use.py:11" not in out.stdout  # the complete module passes


MATH_PROGRAM = '''\
import numpy as np

import torchbind.byte_tensor
import torchbind.float_tensor
import torchbind.int_tensor
import torchbind.long_tensor as L
from torchbind.signature import AccT, Math, RealT, TensorT


def app(T: Math[TensorT, AccT, RealT], one: RealT) -> list[object]:
    x = T.from_numpy(np.array([[3, 1, 2], [0, 5, 4]]))
    values, indices = T.sort(x, 1, 0)
    top, top_i = T.topk(x, 2, 1, 1, 1)
    biggest, where = T.max(x, 1, 1)
    index = L.from_numpy(np.array([[0, 0], [1, 0]]))
    picked = T.gather(x, 1, index)
    rows = T.index_select(x, 0, L.from_numpy(np.array([1])))
    mask = T.gt_value(x, one)
    kept = T.masked_select(x, mask)
    T.masked_fill(x, mask, one)
    return [values.tolist(), indices.tolist(), top.tolist(), top_i.tolist(), biggest.tolist(),
            where.tolist(), picked.tolist(), rows.tolist(), kept.tolist(), x.tolist()]


results = [app(torchbind.byte_tensor, 2), app(torchbind.int_tensor, 2),
           app(torchbind.float_tensor, 2.0)]
assert results[0] == results[1] == results[2], results
print(results[0])
'''


def test_generic_code_typed_against_math_sorts_gathers_and_masks(tmp_path):
    """Math holds sort, topk, max along a dim, gather, index_select, the comparisons and the
    masked ops (their LongTensor/ByteTensor types are the same for all seven math types): a
    program typed against Math passes mypy --strict with byte, int and float modules, and runs."""
    (tmp_path / "use_math.py").write_text(MATH_PROGRAM)
    out = _mypy("use_math.py", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    run = subprocess.run([sys.executable, "use_math.py"], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("[[[1, 2, 3], [0, 4, 5]], [[1, 2, 0], [0, 2, 1]]")
