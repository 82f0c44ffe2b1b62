"""`python -m torchbind` (argparse: info, --version, --help) and the soak script's progress."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import torchbind

ROOT = Path(__file__).parents[1]
# the scripts import torchbind: the one these tests run on (the source tree or the installed one)
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(
    [str(Path(torchbind.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "torchbind", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_version():
    out = cli("--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"torchbind {torchbind.__version__}"


def test_help_lists_the_commands():
    out = cli("--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: python -m torchbind")
    assert "info" in out.stdout and "--version" in out.stdout
    out = cli("info", "--help")
    assert out.returncode == 0 and "usage: python -m torchbind info" in out.stdout


def test_info():
    out = cli("info")
    assert out.returncode == 0, out.stderr
    fields = dict(line.split(": ", 1) for line in out.stdout.splitlines())
    assert {k.strip() for k in fields} >= {"torchbind", "libTH", "BLAS", "SIMD", "threads"}


def test_bad_usage():
    for args in ((), ("bogus",)):
        out = cli(*args)
        assert out.returncode == 2
        assert out.stderr.startswith("usage: python -m torchbind")
    assert "invalid choice: 'bogus'" in cli("bogus").stderr


def test_soak_shows_progress():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"), "--iterations",
                          "2000"], capture_output=True, text=True, timeout=300, env=ENV)
    assert out.returncode == 0, out.stderr
    progress = [line for line in out.stderr.splitlines() if line.startswith("soak: ")]
    assert len(progress) == 21 and "2000/2000 (100%)" in progress[-1], out.stderr
    assert "growth_mib" in out.stdout
    quiet = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"), "--iterations",
                            "100", "-q"], capture_output=True, text=True, timeout=300, env=ENV)
    assert quiet.returncode == 0 and quiet.stderr == ""
