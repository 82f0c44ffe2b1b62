"""The signature's layers and concepts: checked at run time, and statically by mypy --strict
(on examples/ and on generic programs written here)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import torchbind
import torchbind.signature as sig
from torchbind import _plan

MATH_MODULES = ["byte_tensor", "char_tensor", "short_tensor", "int_tensor", "long_tensor",
                "float_tensor", "double_tensor"]

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
        sig.check(torchbind.implementation("half_tensor"), (sig.Core, sig.Blog))


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



# A generic program typed against Math only: it sorts, topks, takes max/min along a dimension,
# gathers, index-selects, compares and masks. mypy --strict checks it with the byte, int and
# float modules (typed_calls); the tests run it on all seven math modules.
MATH_PROGRAM = """\
import numpy as np

import torchbind.byte_tensor
import torchbind.float_tensor
import torchbind.int_tensor
import torchbind.long_tensor as L
from torchbind.signature import AccT, Math, RealT, TensorT


def app(T: Math[TensorT, AccT, RealT], x: TensorT, y: TensorT) -> list[object]:
    two = T.Real(2)
    values, indices = T.sort(x, 1, 0)
    top, top_i = T.topk(x, 2, 1, 1, 1)
    biggest, where = T.max(x, 1, 1)
    least, least_i = T.min(x, 0, 0)
    picked = T.gather(x, 1, L.from_numpy(np.array([[0, 0], [1, 0], [3, 2]])))
    rows = T.index_select(x, 0, L.from_numpy(np.array([2, 0])))
    mask = T.gt_value(x, two)
    below = T.le_tensor(x, y)
    kept = T.masked_select(x, mask)
    T.masked_fill(x, mask, two)
    return [values.tolist(), indices.tolist(), top.tolist(), top_i.tolist(), biggest.tolist(),
            where.tolist(), least.tolist(), least_i.tolist(), picked.tolist(), rows.tolist(),
            mask.tolist(), below.tolist(), kept.tolist(), x.tolist()]


def typed_calls() -> None:
    for T in (torchbind.byte_tensor, torchbind.int_tensor):
        app(T, T.zeros(3, 4), T.zeros(3, 4))
    F = torchbind.float_tensor
    app(F, F.zeros(3, 4), F.zeros(3, 4))
"""

A = np.array([[3, 1, 2, 7], [0, 5, 4, 6], [9, 8, 10, 11]])
B = np.array([[4, 1, 0, 7], [1, 1, 4, 2], [9, 9, 1, 12]])


def _math_oracle(a: np.ndarray, b: np.ndarray) -> list[object]:
    """What app computes, by numpy."""
    mask = a > 2
    top_i = np.argsort(-a, 1, kind="stable")[:, :2]
    return [np.sort(a, 1).tolist(), np.argsort(a, 1).tolist(),
            np.take_along_axis(a, top_i, 1).tolist(), top_i.tolist(),
            a.max(1, keepdims=True).tolist(), a.argmax(1)[:, None].tolist(),
            a.min(0).tolist(), a.argmin(0).tolist(),
            np.take_along_axis(a, np.array([[0, 0], [1, 0], [3, 2]]), 1).tolist(),
            a[[2, 0]].tolist(), mask.astype(int).tolist(), (a <= b).astype(int).tolist(),
            a[mask].tolist(), np.where(mask, 2, a).tolist()]


def _load(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _inputs(T: types.ModuleType, a: np.ndarray, contiguous: bool) -> object:
    """A copy of ``a`` as a tensor of T (from_numpy shares memory where the dtypes agree, and
    the programs write), contiguous or a transposed (non-contiguous) view."""
    if contiguous:
        return T.from_numpy(a.copy())
    x = T.from_numpy(np.ascontiguousarray(a.T)).t()
    assert not x.is_contiguous() and x.tolist() == a.tolist()
    return x


@pytest.fixture(scope="module")
def math_program(tmp_path_factory: pytest.TempPathFactory) -> types.ModuleType:
    """The Math program, after mypy --strict accepted it."""
    where = tmp_path_factory.mktemp("math")
    (where / "use_math.py").write_text(MATH_PROGRAM)
    out = _mypy("use_math.py", cwd=where)
    assert out.returncode == 0, out.stdout + out.stderr
    return _load(where / "use_math.py")


@pytest.mark.parametrize("contiguous", [True, False])
@pytest.mark.parametrize("name", MATH_MODULES)
def test_generic_code_typed_against_math_sorts_gathers_and_masks(math_program, name,
                                                                 contiguous):
    """Math holds sort, topk, max/min along a dim, gather, index_select, the comparisons and
    the masked ops (their LongTensor/ByteTensor types are the same for all seven math types):
    a program typed against Math passes mypy --strict with byte, int and float modules, and
    computes numpy's results on every math module."""
    T = torchbind.implementation(name)
    got = math_program.app(T, _inputs(T, A, contiguous), _inputs(T, B, contiguous))
    assert got == _math_oracle(A, B)


SORTING_PROGRAM = """\
import torchbind.byte_tensor
import torchbind.float_tensor
import torchbind.int_tensor
from torchbind.signature import MathSorting, TensorT
from torchbind.tensor import LongTensor


def order_stats(T: MathSorting[TensorT], x: TensorT) -> list[object]:
    low, low_i = T.topk(x, 2, 0, 0, 1)
    mid, mid_i = T.median(x, 0, 0)
    third, third_i = T.kthvalue(x, 3, 0, 0)
    down, down_i = T.sort(x, 0, 1)
    order: LongTensor = down_i
    return [low.tolist(), low_i.tolist(), mid.tolist(), mid_i.tolist(), third.tolist(),
            third_i.tolist(), down.tolist(), order.tolist()]


def typed_calls() -> None:
    for T in (torchbind.byte_tensor, torchbind.int_tensor):
        order_stats(T, T.zeros(5, 2))
    F = torchbind.float_tensor
    order_stats(F, F.zeros(5, 2))
"""

S = np.array([[7, 2], [1, 9], [4, 3], [8, 5], [0, 6]])


@pytest.mark.parametrize("name", MATH_MODULES)
def test_generic_code_typed_against_one_concept(tmp_path, name):
    """A function typed against MathSorting alone type-checks with byte/int/float modules and
    runs on every math module (numpy's order statistics, contiguous and not); the concept
    Protocol holds sorting and nothing else, so mypy refuses a pointwise call through it."""
    (tmp_path / "use_sorting.py").write_text(SORTING_PROGRAM)
    if name == "byte_tensor":  # type-check once
        out = _mypy("use_sorting.py", cwd=tmp_path)
        assert out.returncode == 0, out.stdout + out.stderr
        (tmp_path / "add.py").write_text(
            "from torchbind.signature import MathSorting, TensorT\n\n\n"
            "def f(T: MathSorting[TensorT], x: TensorT) -> TensorT:\n"
            "    return T.add(x, 1)\n")
        out = _mypy("add.py", cwd=tmp_path)
        assert out.returncode == 1
        assert '"MathSorting[TensorT]" has no attribute "add"' in out.stdout, out.stdout
    program = _load(tmp_path / "use_sorting.py")
    T = torchbind.implementation(name)
    low_i = np.argsort(S, 0, kind="stable")[:2]
    mid_i = np.argsort(S, 0, kind="stable")[2]  # median of 5: the 3rd smallest
    down_i = np.argsort(-S, 0, kind="stable")
    want = [np.take_along_axis(S, low_i, 0).tolist(), low_i.tolist(), np.median(S, 0).tolist(),
            mid_i.tolist(), np.sort(S, 0)[2].tolist(), mid_i.tolist(),
            np.take_along_axis(S, down_i, 0).tolist(), down_i.tolist()]
    for contiguous in (True, False):
        assert program.order_stats(T, _inputs(T, S, contiguous)) == want


def test_mypy_rejects_modules_without_the_layer(tmp_path):
    """Half is no Math module, Int no Floating one, Byte has no SignedPointwise: mypy --strict
    says so at each call, and accepts the calls with modules that have the layer."""
    head = [
        "import torchbind.byte_tensor",
        "import torchbind.double_tensor",
        "import torchbind.half_tensor",
        "import torchbind.int_tensor",
        "from torchbind.signature import AccT, Floating, Math, RealT, SignedPointwise, TensorT",
        "", "",
        "def m(T: Math[TensorT, AccT, RealT], x: TensorT) -> TensorT:",
        "    return T.sort(x, 0, 0)[0]", "", "",
        "def f(T: Floating[TensorT, AccT, RealT], x: TensorT) -> TensorT:",
        "    return T.exp(x)", "", "",
        "def s(T: SignedPointwise[TensorT], x: TensorT) -> TensorT:",
        "    return T.neg(x)", "", "",
        "H, I, D, B = (torchbind.half_tensor, torchbind.int_tensor, torchbind.double_tensor,",
        "              torchbind.byte_tensor)",
    ]
    calls = [("m(I, I.zeros(2))", None), ("m(H, H.empty(2))", '"Math[HalfTensor, '),
             ("f(D, D.zeros(2))", None), ("f(I, I.zeros(2))", '"Floating[IntTensor, '),
             ("s(I, I.zeros(2))", None), ("s(B, B.zeros(2))", '"SignedPointwise[ByteTensor]"')]
    (tmp_path / "use.py").write_text("\n".join(head + [c for c, _ in calls]) + "\n")
    out = _mypy("use.py", cwd=tmp_path)
    assert out.returncode == 1
    errors = [line for line in out.stdout.splitlines() if ": error:" in line]
    bad = [(len(head) + 1 + i, expected) for i, (_, expected) in enumerate(calls) if expected]
    assert len(errors) == len(bad), out.stdout
    for (line, expected), error in zip(bad, errors, strict=True):
        assert error.startswith(f"use.py:{line}: error: Argument 1 to "), out.stdout
        assert f"has incompatible type Module; expected {expected}" in error, out.stdout


def _hand_written_concepts() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("gen_signature",
                                                  ROOT / "scripts" / "gen_signature.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return dict(gen.HAND_WRITTEN_CONCEPT)


def test_every_layer_member_is_in_exactly_one_concept_of_its_plan():
    """Math, Signed and Floating are each composed of concept Protocols: every member the layer
    adds is in exactly one of them, and that Protocol's concept is the member's C function's
    concept in the plan (th_roles.tsv), or the hand-written table's for members without one."""
    hand = _hand_written_concepts()
    seen: dict[str, type] = {}
    for layer, base in ((sig.Math, sig.Blog), (sig.Signed, sig.Math),
                        (sig.Floating, sig.Signed)):
        concepts = sig.CONCEPTS_OF_LAYER[layer]
        assert concepts and all(c in layer.__mro__ for c in concepts)
        assert all(getattr(sig, c.__name__) is c for c in concepts)  # exported
        added = set(sig.members(layer)) - set(sig.members(base))
        for name in sorted(added):
            homes = [c for c in concepts if name in sig.members(c)]
            assert len(homes) == 1, (layer.__name__, name, homes)
            assert name not in seen, (name, seen.get(name), homes)
            seen[name] = homes[0]
        assert set().union(*(sig.members(c) for c in concepts)) == added
    assert {"sort", "topk", "max", "min", "gather", "index_select", "gt_value",
            "masked_select", "masked_fill"} <= set(sig.members(sig.Math))
    for name, home in seen.items():
        types_ = [t for t, ls in sig.LAYERS_OF_TYPE.items()
                  if any(home in sig.CONCEPTS_OF_LAYER[la] for la in ls)]
        for t in types_:
            fn = getattr(torchbind.implementation(f"{t.lower()}_tensor"), name)
            binding = getattr(fn, "__th__", None)
            want = hand[name] if binding is None else _plan.plan(binding.proto).concept
            assert sig.CONCEPT[home] == want, (name, t, home.__name__, want)
            assert home.__name__ == home_name(home), home
    assert sig.CONCEPT[sig.MathSorting] == "sorting"
    assert seen["normall"] is sig.FloatingReduction  # th_roles.tsv had it as random


def home_name(protocol: type) -> str:
    layer = next(la for la, cs in sig.CONCEPTS_OF_LAYER.items() if protocol in cs)
    return layer.__name__ + sig.CONCEPT[protocol].capitalize()


def test_check_names_missing_members_by_concept():
    import torchbind.int_tensor as I
    fake = types.ModuleType("fake_tensor")
    drop = ("sort", "gather", "neg", "dot")
    fake.__dict__.update({k: getattr(I, k) for k in I.__all__ if k not in drop})
    with pytest.raises(sig.SignatureError) as e:
        sig.check(fake, (sig.Core, sig.Blog, sig.Math, sig.Signed))
    assert str(e.value) == ("fake_tensor: Blog lacks dot; Math.Sorting lacks sort; "
                            "Math.Indexing lacks gather; Signed.Pointwise lacks neg")
    with pytest.raises(sig.SignatureError, match=r"^fake_tensor: Math.Sorting lacks sort$"):
        sig.check(fake, (sig.MathSorting,))
    assert sig.check(fake, (sig.MathReduction, sig.MathMasking)) == ["MathReduction",
                                                                     "MathMasking"]
    assert sig.groups(sig.Blog) == [("Blog", sig.Blog)]
    assert ("Math.Sorting", sig.MathSorting) in sig.groups(sig.Math)


def test_describe_works_on_concept_protocols():
    lines = sig.describe(sig.MathSorting).splitlines()
    assert [line.split("(")[0] for line in lines] == ["kthvalue", "median", "mode", "sort",
                                                      "topk"]
    assert lines[3].startswith("sort(t: 'TensorT', dimension: 'int', descendingOrder: 'int'")
