"""torchbind.cuda: CUDA tensors through libTHC, our implementation of cutorch's THC C API.

The per-type modules implement the same signature as the CPU ones, on the GPU::

    import torchbind.cuda.float_tensor as T      # THCudaTensor
    x = T.read1dFile("x", 10)                    # read on the host, sent to the GPU
    T.dot(x, x) + T.sumall(x)

``torchbind.cuda.float_tensor``, ``double_tensor``, ``int_tensor`` and ``long_tensor`` exist where
libTHC was built (CMake found a CUDA compiler) and a GPU is usable; elsewhere importing one raises
ImportError with the reason. This package itself always imports: :func:`available` and
:func:`describe` tell what is there (``python -m torchbind info`` shows it).
"""

from __future__ import annotations

#: The CUDA per-type modules, by TH type name.
MODULES = {"Float": "float_tensor", "Double": "double_tensor", "Int": "int_tensor",
           "Long": "long_tensor"}


def unavailable_reason() -> str | None:
    """Why CUDA tensors cannot be used here (libTHC missing, no GPU or driver ...), or None."""
    try:
        from torchbind.cuda import _lib
    except ImportError as e:  # libTH itself is missing
        return str(e)
    return _lib.state_error()


def available() -> bool:
    """True when libTHC is built and a GPU is usable."""
    return unavailable_reason() is None


def describe() -> str:
    """One line about libTHC and the GPUs it sees."""
    reason = unavailable_reason()
    if reason is not None:
        return f"unavailable: {reason}"
    import ctypes

    from torchbind.cuda import _lib

    s = _lib.state()
    count = _lib.THC.THCState_getNumDevices(s)
    names = []
    for d in range(count):
        buf = ctypes.create_string_buffer(256)
        _lib.THC.THCState_deviceDescription(s, d, buf, len(buf))
        names.append(buf.value.decode(errors="replace"))
    blas = _lib.THC.THCState_blasName(s).decode()
    return (f"{count} device(s): {'; '.join(names)}; BLAS: {blas}; libTHC at {_lib.LIBRARY_PATH} "
            f"exports {len(_lib.exported())} functions")


__all__ = ["MODULES", "available", "describe", "unavailable_reason"]
