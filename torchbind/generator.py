"""Random number generators: the ``generator=`` of the random module functions.

    >>> import torchbind.double_tensor as D
    >>> from torchbind.generator import Generator
    >>> g = Generator(seed=42); t = D.empty(3); D.uniform(t, 0.0, 1.0, generator=g)
    >>> g.manual_seed(42); u = D.empty(3); D.uniform(u, 0.0, 1.0, generator=g)
    >>> t.tolist() == u.tolist()
    True
"""

from __future__ import annotations

from torchbind import ffi
from torchbind._handle import Handle


class Generator(Handle):
    """Owns one THGenerator (THGenerator_new; freed with THGenerator_free when collected)."""

    __slots__ = ()
    _th_struct = "THGenerator"
    _th_free = ffi.declare("THGenerator_free")

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(ffi.TH.THGenerator_new())
        if seed is not None:
            self.manual_seed(seed)

    def manual_seed(self, seed: int) -> None:
        """Seeds the generator (THRandom_manualSeed)."""
        ffi.TH.THRandom_manualSeed(self, seed)

    def seed(self) -> int:
        """Seeds from the system's entropy and returns the seed (THRandom_seed)."""
        return int(ffi.TH.THRandom_seed(self))

    def initial_seed(self) -> int:
        """The seed last set (THRandom_initialSeed)."""
        return int(ffi.TH.THRandom_initialSeed(self))
