"""The signature implemented by TH's Half functions (THHalfTensor, THHalfStorage).

real is THHalf (16-bit float). Half has storage, construction, views, copies and file I/O,
no math, as upstream.
"""

from torchbind._generic import instantiate

instantiate(__name__, "Half")
