"""The signature implemented on the GPU by libTHC's Float functions (THCudaTensor).

Instantiated from the one definition in torchbind.cuda._generic; ImportError where CUDA is not
usable (no libTHC, no GPU or driver), with the reason.
"""

from torchbind.cuda._generic import instantiate

instantiate(__name__, "Float")
