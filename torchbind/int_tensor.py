"""The signature implemented by TH's Int functions (THIntTensor, THIntStorage).

Instantiated from the one definition in torchbind._generic (see there for the rules).
"""

from torchbind._generic import instantiate

instantiate(__name__, "Int")
