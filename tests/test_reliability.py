"""Reliability: memory stays flat under churn, threads can share tensors, sanitizer-clean."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import torchbind.double_tensor as D
import torchbind.float_tensor as F
from torchbind.storage import StorageStruct
from torchbind.tensor import TensorStruct

ROOT = Path(__file__).parents[1]


def test_soak_keeps_memory_flat():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import soak
    finally:
        sys.path.pop(0)
    result = soak.main(["--iterations", "30000"])
    assert result["growth_mib"] < 2.0, result


def test_threads_share_and_release_tensors():
    """8 threads for a bounded time: views, copies, storages and math on shared tensors."""
    base = np.arange(4096, dtype=np.float64)
    shared = D.from_numpy(base)
    storage = shared.storage()
    tptr, sptr = shared.address, storage.address
    t_ref0 = TensorStruct.from_address(tptr).refcount
    s_ref0 = StorageStruct.from_address(sptr).refcount
    errors: list[BaseException] = []
    stop = time.monotonic() + 3.0
    expected_sum = float(base.sum())

    def work(k: int) -> None:
        rng = np.random.default_rng(k)
        try:
            while time.monotonic() < stop:
                start = int(rng.integers(0, 4000))
                v = shared.narrow(0, start, 64)
                w = D.Tensor(tptr, borrowed=True)           # retain + release of one struct
                s = w.storage()                             # storage retain + release
                assert D.sumall(w) == expected_sum
                assert D.dot(v, v) == float((base[start:start + 64] ** 2).sum())
                c = v.copy()
                assert np.array_equal(np.asarray(c), base[start:start + 64])
                try:
                    D.dot(v, shared)
                except ValueError:
                    pass
                del v, w, s, c
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert TensorStruct.from_address(tptr).refcount == t_ref0
    assert StorageStruct.from_address(sptr).refcount == s_ref0
    assert np.array_equal(np.asarray(shared), base)


def test_parallel_random_fills_from_one_generator_are_safe():
    F.uniform  # noqa: B018 - the module has it
    outs = [F.empty(10000) for _ in range(8)]

    def fill(t):
        for _ in range(20):
            F.uniform(t, 0.0, 1.0)

    threads = [threading.Thread(target=fill, args=(t,)) for t in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in outs:
        a = np.asarray(t)
        assert ((a >= 0) & (a <= 1)).all() and 0.45 < a.mean() < 0.55


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_valgrind_finds_nothing_in_libth_on_the_example():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "valgrind_check.py"),
                          str(ROOT / "examples" / "backpack.py"), "float_tensor"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout
    assert "0 error/leak records in libTH" in out.stdout


@pytest.mark.skipif(os.environ.get("TORCHBIND_SANITIZE_RUN") == "1",
                    reason="already running under the sanitizers")
def test_sanitizer_script_exists_and_is_documented():
    script = ROOT / "scripts" / "sanitize.sh"
    assert script.exists()
    assert "scripts/sanitize.sh" in (ROOT / "README.md").read_text()
