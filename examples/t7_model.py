"""A Torch7 model file in Python: load it, read its weights as numpy arrays, change one, save it.

    python examples/t7_model.py OUT.t7 [MODEL.t7]

MODEL.t7 defaults to examples/data/model.t7, a small object written by Lua Torch7 (a
``torch.class`` with a weight, a bias and two plain fields, as nn modules are). Every tensor
in the file is listed with where it sits; the weight is scaled by 2 through a numpy view (no
copy: the tensor changes), and the model is saved to OUT.t7, which Lua's ``torch.load`` reads.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from torchbind import t7
from torchbind.tensor import Tensor

MODEL = Path(__file__).parent / "data" / "model.t7"


def tensors(obj: Any, where: str = "model") -> Iterator[tuple[str, Tensor]]:
    """Every tensor inside a loaded object, with a Python expression for where it is."""
    if isinstance(obj, Tensor):
        yield where, obj
    elif isinstance(obj, t7.TorchObject):
        for k, v in obj.fields.items():
            yield from tensors(v, f"{where}.{k}" if isinstance(k, str) else f"{where}[{k!r}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from tensors(v, f"{where}[{k!r}]")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from tensors(v, f"{where}[{i}]")


def main(out: str, path: str = str(MODEL)) -> None:
    model = t7.load(path)
    print(f"{path}: a {getattr(model, 'typename', type(model).__name__)}")
    for where, t in tensors(model):
        print(f"  {where}: {t.type_name} {t.shape}")

    w = np.asarray(model.weight)  # a view of the tensor's memory
    print("weight before:", w.tolist())
    w *= 2
    print("weight after: ", model.weight.tolist())

    t7.save(out, model)
    back = t7.load(out)
    assert back.typename == model.typename
    assert np.array_equal(np.asarray(back.weight), w)
    print(f"saved to {out}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
