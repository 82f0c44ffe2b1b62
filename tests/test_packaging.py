"""The installed torchbind is the publishable wheel the README documents: tagged py3-none-<platform>
(ctypes only, no CPython extension), with LICENSE and without test files, and one that auditwheel
accepts as a manylinux wheel once the scipy-openblas32 wheel's OpenBLAS is excluded.

The wheel is not built again here (that is the whole library, minutes): pip installed exactly its
files, and its RECORD lists them, so the wheel is put back together from the installed files,
less what the installer added (INSTALLER, REQUESTED, direct_url.json, byte code)."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
INSTALLER_FILES = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}
# what the wheel links but does not carry: OpenBLAS, from its own wheel (a dependency). libTHC,
# where it was built, links the CUDA runtime statically and needs nothing else outside.
EXTERNAL = ["libscipy_openblas.so"]


@pytest.fixture(scope="module")
def dist() -> metadata.Distribution:
    try:
        d = metadata.distribution("torchbind")
    except metadata.PackageNotFoundError:
        pytest.skip("torchbind is not installed (pip install . installs it)")
    if not any(str(f) == "torchbind/lib/libTH.so" for f in d.files or []):
        pytest.skip("the installed torchbind carries no libTH.so (not installed from a wheel)")
    return d


def wheel_field(d: metadata.Distribution, key: str) -> list[str]:
    text = d.read_text("WHEEL") or ""
    return [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith(key + ": ")]


def test_wheel_is_tagged_for_every_python3(dist):
    """One wheel per platform for every Python 3: py3-none-<platform>, not cpXY-cpXY."""
    tags = wheel_field(dist, "Tag")
    assert len(tags) == 1 and re.fullmatch(r"py3-none-linux_\w+", tags[0]), tags
    assert wheel_field(dist, "Root-Is-Purelib") == ["false"]  # it carries a native library


def test_wheel_has_the_license_and_no_test_files(dist):
    files = [str(f) for f in dist.files or []]
    licenses = [f for f in dist.files or [] if str(f).endswith(".dist-info/licenses/LICENSE")]
    assert len(licenses) == 1, files
    assert licenses[0].read_text() == (ROOT / "LICENSE").read_text()
    assert dist.metadata["License-Expression"] == "BSD-3-Clause"
    assert not [f for f in files if Path(f).name == "conftest.py" or f.startswith("tests/")]


def repack(d: metadata.Distribution, out: Path) -> Path:
    """The wheel pip installed, from its installed files (RECORD rewritten without hashes)."""
    files = [f for f in d.files or [] if not str(f).startswith("..")
             and f.name not in INSTALLER_FILES and "__pycache__" not in f.parts]
    record = next(f for f in d.files or [] if f.name == "RECORD")
    wheel = out / f"torchbind-{d.version}-{wheel_field(d, 'Tag')[0]}.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f.locate(), str(f))
        z.writestr(str(record), "".join(f"{f},,\n" for f in [*files, record]))
    return wheel


def test_auditwheel_accepts_it_as_manylinux(dist, tmp_path):
    """The README's packaging command: auditwheel repair, OpenBLAS excluded, gives a
    py3-none-manylinux wheel (without the exclusion it fails: the library is in another wheel)."""
    pytest.importorskip("auditwheel", reason="auditwheel is not installed (requirements-test.txt)")
    wheel = repack(dist, tmp_path)
    excludes = [arg for lib in EXTERNAL for arg in ("--exclude", lib)]
    out = subprocess.run([sys.executable, "-m", "auditwheel", "repair", *excludes, "-w",
                          str(tmp_path / "wheelhouse"), str(wheel)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    (repaired,) = (tmp_path / "wheelhouse").glob("*.whl")
    assert re.fullmatch(r"torchbind-[\w.]+-py3-none-manylinux_\d+_\d+_\w+\.whl", repaired.name)
    with zipfile.ZipFile(repaired) as z:
        names = z.namelist()
    assert "torchbind/lib/libTH.so" in names
    assert not [n for n in names if "openblas" in n.lower()]  # left to its own wheel


def test_sdist_carries_the_license_and_the_sources(tmp_path):
    """The source distribution (the build backend's own sdist hook, as `python -m build --sdist`
    calls it) has LICENSE, CHANGELOG.md and everything the build reads."""
    pytest.importorskip("scikit_build_core", reason="scikit-build-core is not installed")
    code = ("import sys\nfrom scikit_build_core.build import build_sdist\n"
            "print(build_sdist(sys.argv[1]))\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    name = out.stdout.split()[-1]
    with tarfile.open(tmp_path / name) as tar:
        top = name.removesuffix(".tar.gz")
        members = {m.name.removeprefix(top + "/"): m for m in tar.getmembers()}
        license_file = tar.extractfile(members["LICENSE"])
        assert license_file is not None
        assert license_file.read().decode() == (ROOT / "LICENSE").read_text()
        pkg_info = tar.extractfile(members["PKG-INFO"])
        assert pkg_info is not None
        assert "License-Expression: BSD-3-Clause" in pkg_info.read().decode()
    tracked = subprocess.run(["git", "ls-files", "CMakeLists.txt", "vendor", "cmake", "torchbind"],
                             cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    needed = set(tracked.stdout.split()) | {"CHANGELOG.md", "pyproject.toml", "README.md"}
    assert not needed - set(members), sorted(needed - set(members))


def test_requirements_file_is_the_test_extra():
    """README command 2 installs requirements-test.txt (nothing to build); it must be exactly the
    [test] extra that `pip install '.[test]'` would bring."""
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml")
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["test"]
    lines = (ROOT / "requirements-test.txt").read_text().splitlines()
    listed = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert listed == extra
