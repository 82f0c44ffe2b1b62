"""Loading a big .t7 tensor against numpy.fromfile on the same file.

    PYTHONPATH=. python scripts/bench_t7.py          # 256 MiB FloatTensor, best of 5
    PYTHONPATH=. python scripts/bench_t7.py 64 9     # 64 MiB, best of 9

Writes the tensor with torchbind.t7.save to a temporary file, then times, alternately,
``torchbind.t7.load(path)`` and ``numpy.fromfile(path, float32, offset=<header>)`` (the same
bytes, read by numpy with nothing to parse), both from the page cache after a first read.
Prints the best time of each and their ratio (the issue's target: at most 1.5).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np

import torchbind.float_tensor as F
from torchbind import t7


def main(mib: int = 256, repeats: int = 5) -> float:
    n = mib * (1 << 20) // 4
    x = F.from_numpy((np.arange(n) % 1000).astype(np.float32))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "big.t7")
        t7.save(path, x)
        header = os.path.getsize(path) - 4 * n
        best_t7 = best_np = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            y = t7.load(path)
            t1 = time.perf_counter()
            z = np.fromfile(path, dtype=np.float32, offset=header)
            t2 = time.perf_counter()
            best_t7, best_np = min(best_t7, t1 - t0), min(best_np, t2 - t1)
            assert y.numel() == z.size == n and float(y[n - 1]) == float(z[-1]) == (n - 1) % 1000
            del y, z
    ratio = best_t7 / best_np
    print(f"{mib} MiB FloatTensor: t7.load {best_t7 * 1e3:.1f} ms, numpy.fromfile "
          f"{best_np * 1e3:.1f} ms, ratio {ratio:.2f} (best of {repeats})")
    return ratio


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
