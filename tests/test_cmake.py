"""Plain CMake gives the same library, for C users: built with the system's BLAS/LAPACK when
FindBLAS/FindLAPACK find one (else without BLAS: plain loops), linked from a C program, installed
(find_package(TH), pkg-config, the README's example as written) and loaded from Python through
TORCHBIND_TH_LIBRARY."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

C_PROGRAM = r"""
#include <stdio.h>
#include "TH.h"

static void on_arg_error(int arg, const char *msg, void *data) {
  (void)data;
  fprintf(stderr, "handler %d: %s\n", arg, msg);
}

int main(void) {
  THFloatTensor *x = THFloatTensor_newWithSize1d(10);
  for (long i = 0; i < 10; i++) THFloatTensor_set1d(x, i, (float)(i + 1));
  printf("%.1f %.1f\n", THFloatTensor_dot(x, x), THFloatTensor_sumall(x));
  THSetArgErrorHandler(on_arg_error, NULL);
  THFloatTensor *y = THFloatTensor_newWithSize1d(3);
  double bad = THFloatTensor_dot(x, y); /* an error: returns 0, the message is parked */
  char msg[256];
  int kind = THError_take(msg, sizeof msg);
  printf("%.1f %d\n", bad, kind);
  THFloatTensor_free(x);
  THFloatTensor_free(y);
  return 0;
}
"""


def _configure(build: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DTH_CUDA=OFF",
                           "-DCMAKE_BUILD_TYPE=Release", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory):
    """A plain CMake build with the system's BLAS/LAPACK (the C user's case: no wheel), or with
    none where the system has none; installed into a prefix beside it."""
    if not shutil.which("cmake") or not shutil.which("cc"):
        pytest.skip("cmake or a C compiler is missing")
    build = tmp_path_factory.mktemp("cmake-build")
    out = _configure(build, "-DTH_BLAS=SYSTEM")
    if out.returncode != 0:
        shutil.rmtree(build)
        build.mkdir()
        out = _configure(build, "-DTH_BLAS=NONE")
        assert out.returncode == 0, out.stdout + out.stderr
    build.joinpath("configure.log").write_text(out.stdout)
    subprocess.run(["cmake", "--build", str(build), "-j2"], check=True, capture_output=True)
    prefix = tmp_path_factory.mktemp("prefix")
    subprocess.run(["cmake", "--install", str(build), "--prefix", str(prefix)], check=True,
                   capture_output=True)
    build.joinpath("prefix").write_text(str(prefix))
    return build


def blas_line(build: Path) -> str:
    """What the configure step said about BLAS."""
    return next(line for line in build.joinpath("configure.log").read_text().splitlines()
                if "TH: BLAS:" in line)


def has_blas(build: Path) -> bool:
    """Whether the build has a BLAS and LAPACK (the system's here, or the wheel's)."""
    return "TH: BLAS: none" not in blas_line(build)


def installed(build: Path) -> Path:
    return Path(build.joinpath("prefix").read_text())


def installed_lib(build: Path) -> Path:
    prefix = installed(build)
    return next(p for p in (prefix / "lib", prefix / "lib64") if p.is_dir()) / "libTH.so.0"


def dynamic_section(lib: Path) -> str:
    return subprocess.run(["readelf", "-d", str(lib)], capture_output=True, text=True,
                          check=True).stdout


def test_c_program_links_and_runs(plain_build, tmp_path):
    src = tmp_path / "app.c"
    src.write_text(C_PROGRAM)
    exe = tmp_path / "app"
    subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", str(src), f"-I{ROOT / 'vendor/TH'}",
                    f"-I{plain_build / 'generated'}", f"-L{plain_build}", "-lTH", "-o", str(exe),
                    f"-Wl,-rpath,{plain_build}"], check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["385.0 55.0", "0.0 2"]
    assert "handler 2: inconsistent tensor size" in out.stderr


def test_python_on_the_plain_build(plain_build):
    lib = plain_build / "libTH.so"
    code = ("import torchbind.float_tensor as F, numpy as np, torchbind.__main__ as m\n"
            "x = F.from_numpy(np.arange(1, 11, dtype=np.float32))\n"
            "print(F.dot(x, x) + F.sumall(x), m.info()['BLAS'])\n")
    env = dict(os.environ, TORCHBIND_TH_LIBRARY=str(lib))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.split()[0] == "440.0"
    expected = "CBLAS|OpenBLAS" if has_blas(plain_build) else "none"
    assert re.search(expected, out.stdout.split(None, 1)[1]), out.stdout


def test_same_exports_as_the_bundled_library(plain_build):
    from torchbind import ffi

    def exported(path):
        out = subprocess.run(["nm", "-D", "--defined-only", str(path)], capture_output=True,
                             text=True, check=True).stdout
        return {line.split()[-1] for line in out.splitlines() if line.strip()}

    assert exported(plain_build / "libTH.so") == exported(ffi.LIBRARY_PATH)


# ---- installed: cmake --install into a prefix --------------------------------------------------

APP = r"""
#include <stdio.h>
#include "TH.h"

int main(void) {
  THFloatTensor *x = THFloatTensor_newWithSize1d(10);
  for (long i = 0; i < 10; i++) THFloatTensor_set1d(x, i, (float)(i + 1));
  printf("%.1f\n", THFloatTensor_dot(x, x) + THFloatTensor_sumall(x));
  /* gesv: 2x = 4 */
  THDoubleTensor *a = THDoubleTensor_newWithSize2d(1, 1), *b = THDoubleTensor_newWithSize2d(1, 1);
  THDoubleTensor_fill(a, 2);
  THDoubleTensor_fill(b, 4);
  THDoubleTensor *rb = THDoubleTensor_new(), *ra = THDoubleTensor_new();
  THError_setCapture(1);
  THDoubleTensor_gesv(rb, ra, b, a);
  char msg[256];
  if (THError_take(msg, sizeof msg)) printf("gesv: %s\n", msg);
  else printf("gesv %.1f\n", THDoubleTensor_get2d(rb, 0, 0));
  THDoubleTensor_free(a); THDoubleTensor_free(b); THDoubleTensor_free(ra); THDoubleTensor_free(rb);
  THFloatTensor_free(x);
  return 0;
}
"""


def check_app_output(build: Path, stdout: str) -> None:
    lines = stdout.splitlines()
    assert lines[0] == "440.0"
    if has_blas(build):
        assert lines[1] == "gesv 2.0"
    else:
        assert "lapack not available" in lines[1]


def test_install_layout(plain_build):
    """Public headers only, a versioned library with its SONAME, the CMake package, TH.pc."""
    prefix = installed(plain_build)
    lib = installed_lib(plain_build)
    assert lib.is_file() and lib.with_name("libTH.so").resolve() == lib.resolve()
    dyn = dynamic_section(lib)
    assert re.search(r"\(SONAME\)\s+Library soname: \[libTH\.so\.0\]", dyn), dyn
    headers = {p.name for p in (prefix / "include" / "TH").glob("*.h")}
    assert {"TH.h", "THGeneral.h", "THTensor.h", "THStorage.h", "THFile.h"} <= headers
    assert not headers & {"THBlasExtern.h", "THFilePrivate.h", "THGuard.h", "THParallel.h",
                          "THTensorApply.h", "THTensorDimApply.h", "THRename.h"}
    assert (prefix / "include" / "TH" / "generic" / "THTensor.h").is_file()
    assert not list((prefix / "include").rglob("*.c"))
    cmake_dir = lib.parent / "cmake" / "TH"
    assert {"THConfig.cmake", "THConfigVersion.cmake", "THTargets.cmake"} <= {
        p.name for p in cmake_dir.iterdir()}
    assert (lib.parent / "pkgconfig" / "TH.pc").is_file()


def test_find_package_target_and_variables(plain_build, tmp_path):
    """find_package(TH): the TH::TH target, and upstream's TH_INCLUDE_DIR / TH_LIBRARIES."""
    (tmp_path / "app.c").write_text(APP)
    (tmp_path / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.18)\nproject(app C)\n"
        "find_package(TH 0.1 REQUIRED)\n"
        "add_executable(app_target app.c)\ntarget_link_libraries(app_target PRIVATE TH::TH)\n"
        "add_executable(app_vars app.c)\ntarget_include_directories(app_vars PRIVATE "
        "${TH_INCLUDE_DIR})\ntarget_link_libraries(app_vars PRIVATE ${TH_LIBRARIES})\n"
        'message(STATUS "TH_INCLUDE_DIR=${TH_INCLUDE_DIR}")\n')
    build = tmp_path / "build"
    out = subprocess.run(["cmake", "-S", str(tmp_path), "-B", str(build),
                          f"-DCMAKE_PREFIX_PATH={installed(plain_build)}"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"TH_INCLUDE_DIR={installed(plain_build)}/include;" in out.stdout
    out = subprocess.run(["cmake", "--build", str(build)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    for exe in ("app_target", "app_vars"):
        run = subprocess.run([str(build / exe)], capture_output=True, text=True, check=True)
        check_app_output(plain_build, run.stdout)


def pkg_config(build: Path, *args: str) -> list[str]:
    if not shutil.which("pkg-config"):
        pytest.skip("pkg-config is missing")
    env = dict(os.environ, PKG_CONFIG_PATH=str(installed_lib(build).parent / "pkgconfig"))
    return subprocess.run(["pkg-config", *args, "TH"], capture_output=True, text=True,
                          check=True, env=env).stdout.split()


def test_pkg_config(plain_build, tmp_path):
    (tmp_path / "app.c").write_text(APP)
    exe = tmp_path / "app"
    flags = pkg_config(plain_build, "--cflags", "--libs")
    subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", str(tmp_path / "app.c"), *flags,
                    f"-Wl,-rpath,{installed_lib(plain_build).parent}", "-o", str(exe)],
                   check=True)
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    check_app_output(plain_build, run.stdout)


def readme_block(lang: str, after: str) -> str:
    """The first ```LANG block of the README after the line containing AFTER."""
    text = (ROOT / "README.md").read_text()
    text = text[text.index(after):]
    return text.split(f"```{lang}\n", 1)[1].split("```", 1)[0]


def test_readme_c_example_as_written(plain_build, tmp_path):
    """The README's C program and its compile command, exactly as written (prefix: $HOME/.local
    there, the test's prefix here), and the outputs its comments promise."""
    src = readme_block("c", "For C users")
    (tmp_path / "app.c").write_text(src)
    command = readme_block("sh", "A complete program").strip().replace("\\\n", " ")
    prefix = installed(plain_build)
    libdir = installed_lib(plain_build).parent
    command = command.replace("$HOME/.local/lib", str(libdir)).replace("$HOME/.local", str(prefix))
    out = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "40"
    assert lines[1].startswith("error: ") and "inconsistent tensor size" in lines[1]
    assert "/tmp" not in out.stdout and str(ROOT) not in out.stdout  # no build paths


def test_installed_library_loads_alone(plain_build):
    """A fresh process loads the installed library with plain ctypes (nothing preloaded) and
    calls into it, its BLAS included."""
    code = ("import ctypes, sys\n"
            "lib = ctypes.CDLL(sys.argv[1])\n"
            "lib.THBlas_name.restype = ctypes.c_char_p\n"
            "print(lib.THBlas_name().decode())\n"
            "lib.THFloatTensor_newWithSize1d.restype = ctypes.c_void_p\n"
            "t = lib.THFloatTensor_newWithSize1d(ctypes.c_long(5))\n"
            "lib.THFloatTensor_fill(ctypes.c_void_p(t), ctypes.c_float(3))\n"
            "lib.THFloatTensor_sumall.restype = ctypes.c_double\n"
            "print(lib.THFloatTensor_sumall(ctypes.c_void_p(t)))\n")
    lib = installed_lib(plain_build)
    out = subprocess.run([sys.executable, "-S", "-c", code, str(lib)], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1] == "15.0"


def test_wheel_runpath_reaches_the_openblas_wheel(tmp_path):
    """Configured as scikit-build-core does (SKBUILD), libTH is installed into torchbind/lib with
    the RUNPATH that reaches the scipy-openblas32 wheel in the same site-packages."""
    if not shutil.which("cmake") or not shutil.which("cc"):
        pytest.skip("cmake or a C compiler is missing")
    out = _configure(tmp_path, "-DSKBUILD=ON", "-DTH_BLAS=WHEEL")
    if out.returncode != 0 and "cannot import scipy_openblas32" in out.stderr:
        pytest.skip("the scipy-openblas32 wheel is not installed")
    assert out.returncode == 0, out.stdout + out.stderr
    script = (tmp_path / "cmake_install.cmake").read_text()
    assert "$ORIGIN/../../scipy_openblas32/lib" in script
    assert "torchbind/lib" in script


def test_bundled_library_runpath():
    """Where torchbind's own libTH was installed by pip (not copied from a dev build), it
    carries that RUNPATH and loads with plain ctypes, OpenBLAS not preloaded."""
    from torchbind import ffi

    dyn = dynamic_section(ffi.LIBRARY_PATH)
    if "$ORIGIN" not in dyn:
        pytest.skip("the bundled libTH is a development build (no $ORIGIN RUNPATH)")
    assert "$ORIGIN/../../scipy_openblas32/lib" in dyn
    code = ("import ctypes, sys\nlib = ctypes.CDLL(sys.argv[1])\n"
            "lib.THBlas_name.restype = ctypes.c_char_p\nprint(lib.THBlas_name().decode())\n")
    out = subprocess.run([sys.executable, "-S", "-c", code, str(ffi.LIBRARY_PATH)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "OpenBLAS" in out.stdout
