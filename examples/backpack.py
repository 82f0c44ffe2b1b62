"""The blog's Backpack app, ported: one generic program written against the signature only.

    python examples/backpack.py int_tensor      # 440
    python examples/backpack.py float_tensor    # 440.0

The implementation is chosen on the command line, as Backpack chooses it at link time: ``app``
sees nothing but the module ``T`` and the names of the signature (read1dFile, dot, sumall).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, cast

import torchbind
import torchbind.float_tensor
import torchbind.int_tensor
from torchbind.signature import AccT, Blog, TensorT

DATA = Path(__file__).with_name("data")


def app(T: Blog[TensorT, AccT]) -> float:
    """dot x y + sumall x, for x and y read from the files x and y (1..10)."""
    x = T.read1dFile(DATA / "x", 10)
    y = T.read1dFile(DATA / "y", 10)
    return T.dot(x, y) + T.sumall(x)


def both() -> tuple[float, float]:
    """The app on two implementations, checked statically: mypy --strict accepts these calls
    because both modules implement Blog, and would reject torchbind.half_tensor (no dot)."""
    return app(torchbind.int_tensor), app(torchbind.float_tensor)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(f"usage: {Path(sys.argv[0]).name} MODULE   (e.g. int_tensor, float_tensor)",
              file=sys.stderr)
        return 2
    try:
        T = torchbind.implementation(argv[0])
    except (ValueError, ImportError) as e:  # a bad name, or a GPU module without a GPU
        print(e, file=sys.stderr)
        return 2
    if not hasattr(T, "dot"):
        print(f"{argv[0]} does not implement the signature: it has no dot", file=sys.stderr)
        return 2
    print(app(cast("Blog[Any, Any]", T)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
