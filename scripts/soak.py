"""Soak: creates and drops tensors, views, storages and numpy round trips in a loop and reports
the process's resident memory along the way; it must stay flat.

    python scripts/soak.py --iterations 1000000      # about 4 minutes; progress on stderr
    python scripts/soak.py --iterations 1000000 -q   # only the result
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time

import numpy as np


def rss_mib() -> float:
    """Current resident set size (Linux /proc), in MiB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def one_round(F, L, a: np.ndarray) -> None:
    t = F.from_numpy(a)                  # storage over numpy memory
    v = t.narrow(0, 1, 5).t()            # views
    s = t.storage()                      # a borrowed storage
    c = v.contiguous()                   # a copy
    n = np.asarray(c)                    # numpy view of a TH tensor
    e = F.empty(3, 4)
    e.copy_(L.from_tensor(t.select(0, 0).narrow(0, 0, 1).expand(12).reshape(3, 4)))
    F.add(v, 1.0)
    try:
        F.dot(t, e)                      # an error path
    except ValueError:
        pass
    del t, v, s, c, n, e


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=1_000_000)
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args(argv)
    import torchbind.float_tensor as F
    import torchbind.long_tensor as L
    a = np.arange(8 * 6, dtype=np.float32).reshape(8, 6)
    warm = max(args.iterations // 20, 1000)
    for _ in range(warm):
        one_round(F, L, a)
    gc.collect()
    start, t0 = rss_mib(), time.perf_counter()
    peak = start
    step = max(args.iterations // 20, 1)          # a progress line every 5%
    if not args.quiet:
        print(f"soak: warmed up ({warm} rounds), {args.iterations} rounds to go, "
              f"rss {start:.1f} MiB", file=sys.stderr, flush=True)
    for i in range(args.iterations):
        one_round(F, L, a)
        if i % 10000 == 0:
            peak = max(peak, rss_mib())
        if not args.quiet and (i + 1) % step == 0:
            done = i + 1
            elapsed = time.perf_counter() - t0
            eta = elapsed * (args.iterations - done) / done
            print(f"soak: {done}/{args.iterations} ({100 * done // args.iterations}%), "
                  f"rss {rss_mib():.1f} MiB, {elapsed:.0f} s elapsed, ~{eta:.0f} s left",
                  file=sys.stderr, flush=True)
    gc.collect()
    end = rss_mib()
    result = {"iterations": args.iterations, "objects": args.iterations * 9,
              "rss_start_mib": round(start, 1), "rss_end_mib": round(end, 1),
              "rss_peak_mib": round(max(peak, end), 1), "growth_mib": round(end - start, 2),
              "seconds": round(time.perf_counter() - t0, 1)}
    print(result)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
