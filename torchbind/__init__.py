"""torchbind: Python bindings, over ctypes, to Torch7's TH tensor library.

Three layers:

* ``vendor/TH``: the C library (``libTH.so``), Torch7's TH API with the same names and ABI;
* :mod:`torchbind.ffi`: every C function, declared from the API table;
* the per-type modules (:mod:`torchbind.float_tensor`, :mod:`torchbind.int_tensor`, ...), each
  implementing the same signature, so that generic code takes the module as a parameter::

      def app(T):
          x = T.read1dFile("x", 10)
          y = T.read1dFile("y", 10)
          return T.dot(x, y) + T.sumall(x)
"""

from __future__ import annotations

import importlib
from types import ModuleType

from torchbind.errors import (
    THError,
    THFileNotFoundError,
    THIndexError,
    THIOError,
    THMemoryError,
    THTypeError,
    THValueError,
)

__version__ = "0.1.0"

#: The per-type modules, by TH type name.
MODULES = {
    "Byte": "byte_tensor", "Char": "char_tensor", "Short": "short_tensor", "Int": "int_tensor",
    "Long": "long_tensor", "Float": "float_tensor", "Double": "double_tensor",
    "Half": "half_tensor",
}


def implementation(name: str) -> ModuleType:
    """The per-type module called ``name``: ``"float_tensor"`` (or ``"Float"``) on the CPU,
    ``"cuda.float_tensor"`` on the GPU."""
    device, _, rest = name.rpartition(".")
    if device not in ("", "cuda"):
        raise ValueError(f"no such device {device!r} in {name!r}: use 'cuda.' or nothing")
    module = MODULES.get(rest, rest)
    if module not in MODULES.values():
        raise ValueError(f"no such implementation {name!r}; choose from {sorted(MODULES.values())}"
                         " (on the GPU: cuda.<one of those>)")
    return importlib.import_module(f"torchbind.{device + '.' if device else ''}{module}")


__all__ = [
    "THError", "THValueError", "THIndexError", "THTypeError", "THMemoryError", "THIOError",
    "THFileNotFoundError", "MODULES", "implementation", "__version__",
]
