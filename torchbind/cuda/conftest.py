"""pytest, when it collects doctests here (--doctest-modules): the per-type modules raise
ImportError where CUDA is not usable, so they are left out there instead of failing collection."""

import torchbind.cuda

collect_ignore_glob = [] if torchbind.cuda.available() else ["*_tensor.py"]
