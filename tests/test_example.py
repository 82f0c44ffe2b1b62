"""The blog's example runs with every per-type module and prints the blog's result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLE = Path(__file__).parents[1] / "examples" / "backpack.py"


def _env() -> dict[str, str]:
    """The environment with the torchbind these tests import on the path (a run from another
    directory must find the same one)."""
    import torchbind

    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(torchbind.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))


def run(module: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXAMPLE), module], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=_env())


@pytest.mark.parametrize("module,expected", [
    ("int_tensor", "440"), ("float_tensor", "440.0"), ("short_tensor", "440"),
    ("long_tensor", "440"), ("double_tensor", "440.0"),
])
def test_blog_result(module, expected):
    out = run(module)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected


def test_runs_from_any_directory(tmp_path):
    """The data is found beside the script, whatever the working directory."""
    out = run("int_tensor", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "440"
    out = subprocess.run([sys.executable, str(EXAMPLE.with_name("t7_model.py")), "out.t7"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=_env())
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out.t7").is_file()


@pytest.mark.parametrize("module,dtype", [("byte_tensor", np.uint8), ("char_tensor", np.int8)])
def test_byte_and_char_read_characters(module, dtype):
    """A Byte or Char file is text: the app sees character codes, and dot wraps in the type."""
    codes = np.frombuffer(b"1 2 3 4 5 ", np.uint8).astype(dtype)
    dot = int((codes.astype(np.int64) ** 2).sum().astype(dtype))
    expected = dot + int(codes.astype(np.int64).sum())
    out = run(module)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(expected)


def test_half_and_bad_names_fail_cleanly():
    out = run("half_tensor")
    assert out.returncode == 2 and "no dot" in out.stderr
    out = run("quaternion_tensor")
    assert out.returncode == 2 and "no such implementation" in out.stderr


@pytest.mark.parametrize("module", ["float_tensor", "double_tensor"])
def test_regression_example_recovers_the_weights(module):
    out = subprocess.run([sys.executable, str(EXAMPLE.with_name("regression.py")), module],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    w = [float(v) for v in out.stdout.split("[")[1].split("]")[0].split(",")]
    np.testing.assert_allclose(w, [1, 2, 3, 4], atol=0.01)
