"""Least-squares regression by gradient descent, written only against the signature.

    python examples/regression.py float_tensor
    python examples/regression.py double_tensor

``fit`` sees nothing but the module ``T`` (any implementation of the Math layer): the same code
runs in single and double precision. The data is synthetic: y = X w_true + noise.
"""

from __future__ import annotations

import sys
from typing import Any, cast

import numpy as np

import torchbind
import torchbind.double_tensor
import torchbind.float_tensor
from torchbind.signature import AccT, Math, RealT, TensorT


def fit(T: Math[TensorT, AccT, RealT], X: TensorT, y: TensorT, steps: int = 300,
        lr: float = 0.5) -> tuple[TensorT, float]:
    """Minimises |X w - y|^2 / n from w = 0; returns w and the final mean squared error."""
    n = T.numel(y)
    w = T.zeros(T.numel(X) // n)
    Xt = X.t()  # a view: X transposed, no copy
    one, zero = T.Real(1), T.Real(0)
    mse = 0.0
    for _ in range(steps):
        r = T.addmv(T.Real(-1), y, one, X, w)             # r = X w - y
        g = T.addmv(zero, w, T.Real(2.0 / n), Xt, r)      # g = 2 X^T r / n
        w = T.cadd(w, T.Real(-lr), g)                     # w -= lr g
        mse = float(T.dot(r, r)) / n
    return w, mse


def data(n: int = 200, d: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = np.arange(1.0, d + 1)
    y = X @ w_true + 0.01 * rng.standard_normal(n)
    return X, y, w_true


def run(T: Math[TensorT, AccT, RealT]) -> tuple[list[float], float]:
    X, y, _ = data()
    w, mse = fit(T, T.from_numpy(X), T.from_numpy(y))
    return [round(float(v), 3) for v in np.asarray(w)], mse


def both() -> None:
    """Statically checked: both modules implement Math."""
    run(torchbind.float_tensor)
    run(torchbind.double_tensor)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: regression.py MODULE   (float_tensor or double_tensor)", file=sys.stderr)
        return 2
    T = cast("Math[Any, Any, Any]", torchbind.implementation(argv[0]))
    w, mse = run(T)
    print(f"w = {w}  (true: {data()[2].tolist()}), mse = {mse:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
