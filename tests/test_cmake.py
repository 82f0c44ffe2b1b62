"""Plain CMake gives the same library, for C users: here without BLAS (plain loops), linked
from a C program, and loaded from Python through TORCHBIND_TH_LIBRARY."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory):
    if not shutil.which("cmake") or not shutil.which("cc"):
        pytest.skip("cmake or a C compiler is missing")
    build = tmp_path_factory.mktemp("cmake-build")
    subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DTH_USE_BLAS=OFF",
                    "-DTH_CUDA=OFF", "-DCMAKE_BUILD_TYPE=Release"], check=True, capture_output=True)
    subprocess.run(["cmake", "--build", str(build), "-j2"], check=True, capture_output=True)
    return build


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
    assert "none" in out.stdout


def test_same_exports_as_the_bundled_library(plain_build):
    from torchbind import ffi

    def exported(path):
        out = subprocess.run(["nm", "-D", "--defined-only", str(path)], capture_output=True,
                             text=True, check=True).stdout
        return {line.split()[-1] for line in out.splitlines() if line.strip()}

    assert exported(plain_build / "libTH.so") == exported(ffi.LIBRARY_PATH)
