"""CUDA tensors: libTHC (vendor/THC) and torchbind.cuda.

Two kinds of tests:

* what runs on any machine: libTHC is built wherever a CUDA compiler is (it sits next to libTH),
  it exports every table symbol it implements (the rows it does not are listed below, with the
  reason, so the count is honest) and nothing else; the API table parses; torchbind.cuda imports
  without a GPU and says why CUDA is unusable; errors (no device, bad arguments) come back as
  exceptions and never kill the process; the DLPack capsule builder works (on host memory);
  ``-DTH_CUDA=OFF`` configures without CUDA.
* what needs a GPU (skipped with the reason otherwise): every implemented function against
  numpy for Float, Double, Int and Long, on contiguous and transposed views, and its errors.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import torchbind.cuda
from torchbind import ffi
from torchbind.cuda import _dlpack, _thcapi

ROOT = Path(__file__).parents[1]
THC_PATH = ffi.LIBRARY_PATH.with_name("libTHC.so")
BUILT = _thcapi.BUILT_TYPES


def _nvcc() -> str | None:
    return shutil.which("nvcc") or next(
        (p for p in ("/usr/local/cuda/bin/nvcc",) if os.path.exists(p)), None)


needs_lib = pytest.mark.skipif(
    not THC_PATH.exists(),
    reason=f"libTHC.so is not built (no GPU or no CUDA compiler at build time): {THC_PATH}")

GPU_REASON = torchbind.cuda.unavailable_reason()
needs_gpu = pytest.mark.skipif(GPU_REASON is not None, reason=f"no usable GPU: {GPU_REASON}")

# ---- the table rows libTHC does not implement (for Float, Double, Int, Long) -------------------
# Byte, Char, Short and Half tensors are out of scope: none of their symbols is built.

NOT_IMPLEMENTED = {
    # copies from/to the CUDA types that are not built, and Half
    "Storage_copyCudaByte": "type not built", "Storage_copyCudaChar": "type not built",
    "Storage_copyCudaShort": "type not built", "Storage_copyCudaHalf": "type not built",
    "Storage_copyHalf": "Half", "Tensor_copyCudaByte": "type not built",
    "Tensor_copyCudaChar": "type not built", "Tensor_copyCudaShort": "type not built",
    "Tensor_copyCudaHalf": "type not built", "Tensor_copyHalf": "Half",
    "Storage_newWithMapping": "no file-mapped device memory",
    # pointwise math beyond this list
    **{f"Tensor_{n}": "pointwise, not in this issue" for n in (
        "acos", "asin", "atan", "atan2", "ceil", "floor", "round", "trunc", "frac", "cos", "cosh",
        "sin", "sinh", "tan", "cinv", "rsqrt", "log1p", "lgamma", "lerp", "sign", "clamp", "cmax",
        "cmaxValue", "cmin", "cminValue", "cpow", "tpow", "fmod", "remainder", "cfmod",
        "cremainder", "addcdiv", "addcmul", "bitand", "bitor", "bitxor", "cbitand", "cbitor",
        "cbitxor", "lshift", "rshift", "clshift", "crshift")},
    # comparisons
    **{f"Tensor_{c}{k}": "comparisons, not in this issue"
       for c in ("eq", "ne", "lt", "le", "gt", "ge")
       for k in ("Value", "ValueT", "Tensor", "TensorT")},
    "Tensor_equal": "comparisons, not in this issue",
    # reductions beyond sum/prod/max/min and the *all ones
    **{f"Tensor_{n}": "reduction, not in this issue" for n in (
        "mean", "meanall", "median", "medianall", "mode", "std", "stdall", "var", "varall",
        "norm", "normall", "renorm", "dist", "trace", "cumsum", "cumprod", "sort",
        "sortKeyValueInplace", "topk")},
    # products beyond addmm/addmv
    **{f"Tensor_{n}": "product, not in this issue" for n in (
        "addbmm", "baddbmm", "addr", "cross")},
    # construction and shape
    **{f"Tensor_{n}": "construction, not in this issue" for n in (
        "arange", "range", "linspace", "logspace", "eye", "diag", "tril", "triu", "ones",
        "onesLike", "zeros", "zerosLike", "rand", "randn", "reshape", "cat", "catArray",
        "expandNd", "nonzero")},
    # indexing
    **{f"Tensor_{n}": "indexing, not in this issue" for n in (
        "gather", "scatter", "scatterAdd", "scatterFill", "indexAdd", "indexAdd_long",
        "indexCopy", "indexCopy_long", "indexFill", "indexFill_long", "indexSelect",
        "indexSelect_long", "maskedCopy", "maskedCopyByte", "maskedFill", "maskedFillByte",
        "maskedSelect", "maskedSelectByte", "calculateAdvancedIndexingOffsets")},
    # random distributions beyond uniform/normal
    **{f"Tensor_{n}": "distribution, not in this issue" for n in (
        "bernoulli", "bernoulli_DoubleTensor", "bernoulli_FloatTensor", "cauchy",
        "exponential", "geometric", "logNormal", "multinomial", "multinomialAliasDraw",
        "multinomialAliasSetup", "normal_means", "normal_stddevs", "normal_means_stddevs")},
    # linear algebra (MAGMA upstream)
    **{f"Tensor_{n}": "LAPACK (MAGMA upstream)" for n in (
        "geev", "gels", "gesv", "gesvd", "gesvd2", "getri", "potrf", "potri", "potrs", "qr",
        "syev", "btrifact", "btrisolve")},
    "Tensor_checkGPU": "variadic (not wrapped)",
    "Tensor_getTextureObject": "texture objects are not used",
}
# As in libTH (and upstream cutorch): floating-point functions have no integer versions.
FLOATING_ONLY = {"Tensor_exp", "Tensor_log", "Tensor_sqrt", "Tensor_sigmoid", "Tensor_tanh",
                 "Tensor_pow"}
NOT_IMPLEMENTED_PLAIN = {
    **{n: "caching allocators (libTHC allocates with cudaMalloc)" for n in (
        "THCCachingAllocator_get", "THCCachingAllocator_getBaseAllocation",
        "THCCachingAllocator_getCudaFreeMutex", "THCCachingAllocator_recordStream",
        "THCCachingHostAllocator_emptyCache", "THCCachingHostAllocator_recordEvent",
        "THCudaHostAlloc", "THCudaHostFree", "THCudaHostRecord",
        "THCState_getCudaHostAllocator", "THCState_getCudaUVAAllocator")},
    **{n: "streams and handles (libTHC uses the default stream and one cuBLAS handle)" for n in (
        "THCStream_defaultStream", "THCStream_free", "THCStream_new", "THCStream_newWithPriority",
        "THCStream_retain", "THCState_getStream", "THCState_setStream", "THCState_getNumStreams",
        "THCState_reserveStreams", "THCState_setCurrentStreamIndex", "THCState_getDeviceStream",
        "THCState_getCurrentBlasHandle", "THCState_getCurrentBlasHandleIndex",
        "THCState_getDeviceBlasHandle", "THCState_getNumBlasHandles",
        "THCState_reserveBlasHandles", "THCState_setCurrentBlasHandleIndex",
        "THCState_getCurrentSparseHandle", "THCState_getCurrentSparseHandleIndex",
        "THCState_getDeviceSparseHandle", "THCState_getNumSparseHandles",
        "THCState_reserveSparseHandles", "THCState_setCurrentSparseHandleIndex",
        "THCState_getCurrentDeviceScratchSpace", "THCState_getCurrentDeviceScratchSpaceSize",
        "THCState_getDeviceScratchSpace", "THCState_getDeviceScratchSpaceSize",
        "THCState_getKernelPeerToPeerAccessEnabled", "THCState_setKernelPeerToPeerAccessEnabled",
        "THCState_getPeerToPeerAccess", "THCState_setPeerToPeerAccess")},
    "THCState_getRngState": "the generator is inside the state (THCRandom_*)",
    "THCRandom_generatorStates": "curand MTGP32 states: libTHC uses Philox",
    "THCMagma_init": "no MAGMA",
    **{n: "Half" for n in ("THC_fastHalfInstructions", "THC_float2half", "THC_half2float",
                           "THC_nativeHalfInstructions", "THCudaBlas_Hdot", "THCudaBlas_Hgemm")},
    "THC_sleep": "not in this issue",
    **{n: "batched BLAS / LAPACK, not in this issue" for n in (
        "THCudaBlas_SgemmBatched", "THCudaBlas_DgemmBatched", "THCudaBlas_SgemmStridedBatched",
        "THCudaBlas_DgemmStridedBatched", "THCudaBlas_Sgetrf", "THCudaBlas_Dgetrf",
        "THCudaBlas_Sgetri", "THCudaBlas_Dgetri", "THCudaBlas_Sgetrs", "THCudaBlas_Dgetrs")},
    "THCudaByteTensor_logicalall": "Byte type not built",
    "THCudaByteTensor_logicalany": "Byte type not built",
    **{f"THCudaTensor_{n}": "convolutions, not in this issue" for n in (
        "conv2DRevger", "conv2DRevgerm", "conv2Dmap", "conv2Dmm", "conv2Dmv")},
}


def _expected_missing(p) -> bool:
    if p.family is None:
        return p.symbol in NOT_IMPLEMENTED_PLAIN
    return p.family in NOT_IMPLEMENTED or (p.family in FLOATING_ONLY and p.type in ("Int", "Long"))


# ---- what runs everywhere ----------------------------------------------------------------------

def test_table_parses():
    protos = _thcapi.load()
    rows = [r for r in _thcapi.THC_TABLE.read_text().splitlines()[1:] if r.strip()]
    assert len(rows) == 427
    assert len({p.symbol for p in protos}) == len(protos)
    for p in protos + _thcapi.extensions():
        assert p.symbol.isidentifier(), p.symbol
        assert "<T>" not in p.c_declaration()
        for q in p.params:
            assert q.name.isidentifier()
            if p.type is not None:
                assert not re.search(r"\b(real|accreal|THCTensor|THCStorage)\b", q.ctype), p
    names = {p.symbol for p in protos}
    assert {"THCudaTensor_add", "THCudaDoubleTensor_dot", "THCudaIntTensor_sumall",
            "THCudaLongTensor_max", "THCudaTensor_copyCPU", "THCState_alloc"} <= names
    dot = next(p for p in protos if p.symbol == "THCudaIntTensor_dot")
    assert dot.restype == "long"  # accreal of the integer types on the GPU
    assert next(p for p in protos if p.symbol == "THCudaTensor_dot").restype == "float"


def test_allowlists_name_table_rows():
    """Every name in the allowlists is a row of the table (no stale entries)."""
    families = {p.family for p in _thcapi.load() if p.family}
    plain = {p.symbol for p in _thcapi.load() if p.family is None}
    assert set(NOT_IMPLEMENTED) <= families, set(NOT_IMPLEMENTED) - families
    assert FLOATING_ONLY <= families
    assert set(NOT_IMPLEMENTED_PLAIN) <= plain, set(NOT_IMPLEMENTED_PLAIN) - plain


def _gpu_archs() -> list[str]:
    """This machine's GPUs' compute capabilities as CMake spells them ("90"), as the build
    reads them from nvidia-smi; none without a GPU or its driver."""
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=compute_cap", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return []
    caps = re.findall(r"[0-9]+\.[0-9]+", out.stdout) if out.returncode == 0 else []
    return list(dict.fromkeys(c.replace(".", "") for c in caps))


def test_libthc_is_built_where_a_cuda_compiler_and_a_gpu_are():
    if not ffi.BUNDLED:
        pytest.skip("libTH is from TORCHBIND_TH_LIBRARY: only the bundled build is checked")
    if _nvcc() is None or not _gpu_archs():
        pytest.skip("no CUDA compiler (nvcc) or no GPU on this machine: libTHC is built here "
                    "only with TH_CUDA=ON")
    assert THC_PATH.exists(), f"nvcc and a GPU exist but no libTHC.so is next to {ffi.LIBRARY_PATH}"


def test_cmake_auto_builds_libthc_for_this_machines_gpus(tmp_path):
    """TH_CUDA=AUTO: no libTHC without a GPU (it could not run, and it costs a fifth of the
    build); with one (and nvcc), libTHC for exactly that GPU's architecture."""
    if not shutil.which("cmake"):
        pytest.skip("no cmake")
    if os.environ.get("TORCHBIND_SANITIZE_RUN"):
        pytest.skip("runs cmake, which the sanitizer runtimes preloaded here would disturb")
    archs = _gpu_archs()
    if archs and _nvcc() is None:
        pytest.skip("a GPU but no CUDA compiler: AUTO builds no libTHC for want of nvcc")
    out = subprocess.run(["cmake", "-S", str(ROOT), "-B", str(tmp_path / "auto")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    if archs:
        assert f"building libTHC for CUDA architectures {';'.join(archs)};" in out.stdout
    else:
        assert "THC: not built (TH_CUDA=AUTO and no GPU on this machine" in out.stdout


@needs_lib
def test_libthc_exports_every_implemented_table_symbol(capsys):
    lib = ctypes.CDLL(str(THC_PATH))
    protos = _thcapi.built(_thcapi.load())
    expected = {p.symbol for p in protos if not _expected_missing(p)}
    exported = {p.symbol for p in protos if hasattr(lib, p.symbol)}
    with capsys.disabled():
        print(f"\n[coverage] libTHC exports {len(exported)} of {len(protos)} table symbols for "
              f"{', '.join(BUILT)} ({len(protos) - len(exported)} listed as not implemented)")
    missing = sorted(expected - exported)
    assert not missing, f"{len(missing)} implemented symbols not exported: {missing[:20]}"
    unlisted = sorted(exported - expected)
    assert not unlisted, f"exported but listed as not implemented (update the lists): {unlisted}"
    for p in _thcapi.extensions():
        if p.type is None or p.type in BUILT:
            assert hasattr(lib, p.symbol), p.symbol


@needs_lib
def test_libthc_exports_nothing_else():
    """The version script keeps the _impl functions and the static CUDA runtime private."""
    out = subprocess.run(["nm", "-D", "--defined-only", str(THC_PATH)], capture_output=True,
                         text=True, check=True).stdout
    names = {line.split()[-1] for line in out.splitlines() if line.strip()}
    allowed = ({p.symbol for p in _thcapi.load() + _thcapi.extensions()}
               | set(_thcapi.UNWRAPPED_SYMBOLS))
    extra = sorted(n for n in names if n not in allowed and not n.startswith(("_", "GLIBC")))
    assert not extra, extra[:20]


def test_package_imports_without_gpu():
    assert isinstance(torchbind.cuda.available(), bool)
    text = torchbind.cuda.describe()
    assert isinstance(text, str) and text
    if GPU_REASON is not None:
        assert text.startswith("unavailable: ")
        for name in torchbind.cuda.MODULES.values():
            with pytest.raises(ImportError, match="not usable here"):
                importlib.import_module(f"torchbind.cuda.{name}")


def test_info_reports_cuda():
    out = subprocess.run([sys.executable, "-m", "torchbind", "info"], capture_output=True,
                         text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.strip().startswith("CUDA:"))
    if GPU_REASON is None:
        assert "device(s)" in line
    else:
        assert "unavailable" in line or "not built" in line


@needs_lib
def test_errors_come_back_as_exceptions_without_a_gpu():
    """With a state of our own: no device is a RuntimeError, bad arguments are ValueErrors; the
    process survives all of them (run in a child, so that a crash would be seen as one)."""
    code = r"""
import torchbind.errors as E
from torchbind.cuda._lib import THC
s = THC.THCState_alloc()
gpu = True
try:
    THC.THCudaInit(s)
except E.THError as e:
    gpu = False
    assert "CUDA" in str(e) and isinstance(e, RuntimeError), e
t = THC.THCudaTensor_new(s)
assert THC.THCudaTensor_nDimension(s, t) == 0
from torchbind.ffi import TH
sizes = TH.THLongStorage_newWithSize(2)
try:  # the argument numbers count the state, as cutorch's
    THC.THCudaTensor_newExpand(s, t, sizes)
except ValueError as e:
    assert "invalid argument 2: can't expand an empty tensor" in str(e), e
else:
    raise AssertionError("expanding an empty tensor succeeded")
# libTH's geometry rules (one body serves both): a size <= 0 ends the dimensions, as upstream's
THC.THCudaTensor_resize1d(s, t, -5)
assert THC.THCudaTensor_nDimension(s, t) == 0
for call, cls in [
    (lambda: THC.THCudaTensor_size(s, t, 3), IndexError),
    (lambda: THC.THCudaTensor_narrow(s, t, None, 0, 0, 1), IndexError),
    (lambda: THC.THCudaTensor_newExpand(s, t, sizes), ValueError),
    (lambda: THC.THCudaLongStorage_newWithSize(s, -1), ValueError),
]:
    try:
        call()
    except cls:
        pass
    else:
        raise AssertionError(call)
if not gpu:
    for call in (lambda: THC.THCudaTensor_resize1d(s, t, 5),
                 lambda: THC.THCudaIntStorage_newWithSize(s, 3)):
        try:
            call()
        except RuntimeError as e:
            assert "not initialized" in str(e), e
        else:
            raise AssertionError("allocation without a device succeeded")
THC.THCudaTensor_free(s, t)
TH.THLongStorage_free(sizes)
THC.THCudaShutdown(s)
THC.THCState_free(s)
print("survived")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "survived" in out.stdout


def test_dlpack_capsule_on_host_memory():
    """The capsule builder the CUDA tensors use, on host memory (kDLCPU): consumers read the
    right elements and strides, and the owner lives exactly until the consumer lets go."""
    base = np.arange(12, dtype=np.float64).reshape(3, 4)
    released = []

    class Owner:
        def __del__(self):
            released.append(True)

    class View:  # base transposed, through the capsule
        def __init__(self):
            self.owner = Owner()

        def __dlpack__(self, **kwargs):
            return _dlpack.capsule(base.ctypes.data, (4, 3), (1, 4), base.dtype,
                                   (_dlpack.KDL_CPU, 0), owner=self.owner)

        def __dlpack_device__(self):
            return (_dlpack.KDL_CPU, 0)

    before = _dlpack.live_count()
    v = View()
    a = np.from_dlpack(v)
    np.testing.assert_array_equal(a, base.T)
    del v
    gc.collect()
    assert not released and _dlpack.live_count() == before + 1
    del a
    gc.collect()
    assert released and _dlpack.live_count() == before
    cap = View().__dlpack__()  # never consumed: the capsule's destructor releases it
    del cap
    gc.collect()
    assert _dlpack.live_count() == before
    torch = pytest.importorskip("torch")
    t = torch.from_dlpack(View())
    assert t.tolist() == base.T.tolist()
    del t
    gc.collect()
    assert _dlpack.live_count() == before
    for dt, code in ((np.int32, (0, 32, 1)), (np.int64, (0, 64, 1)), (np.float32, (2, 32, 1))):
        d = _dlpack.dtype_of(dt)
        assert (d.code, d.bits, d.lanes) == code


def test_cmake_without_cuda_configures(tmp_path):
    """-DTH_CUDA=OFF never looks for CUDA; a bad value is an error."""
    if not shutil.which("cmake"):
        pytest.skip("no cmake")
    if os.environ.get("TORCHBIND_SANITIZE_RUN"):
        pytest.skip("runs cmake, which the sanitizer runtimes preloaded here would disturb")
    out = subprocess.run(["cmake", "-S", str(ROOT), "-B", str(tmp_path / "off"), "-DTH_CUDA=OFF"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "CUDA" not in out.stdout
    bad = subprocess.run(["cmake", "-S", str(ROOT), "-B", str(tmp_path / "bad"),
                          "-DTH_CUDA=maybe"], capture_output=True, text=True)
    assert bad.returncode != 0 and "TH_CUDA must be" in bad.stderr


# ---- on the GPU ---------------------------------------------------------------------------------

TYPES = ["Float", "Double", "Int", "Long"]
FLOATING = {"Float", "Double"}


def cuda(t):
    return importlib.import_module(f"torchbind.cuda.{t.lower()}_tensor")


def cpu(t):
    return importlib.import_module(f"torchbind.{t.lower()}_tensor")


@pytest.fixture(params=TYPES)
def tn(request):
    return request.param


def sample(t, shape, seed=0, low=-4, high=5, nonzero=False):
    rng = np.random.default_rng(seed)
    dt = cpu(t).ELEMENT_TYPE.dtype
    if t in FLOATING:
        a = rng.uniform(low, high, shape).astype(dt)
    else:
        a = rng.integers(low, high, shape).astype(dt)
    if nonzero:
        a[a == 0] = 1
    return a


def close(actual, expected, t):
    if t == "Float":
        np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4)
    elif t == "Double":
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-10)
    else:
        np.testing.assert_array_equal(actual, expected)


def views(t, a):
    """(device tensor, numpy twin) for a contiguous tensor and non-contiguous views of it."""
    T = cuda(t)
    d = T.from_numpy(a)
    out = [(d, a)]
    if a.ndim >= 2:
        out.append((d.transpose(0, 1), a.swapaxes(0, 1)))
    if a.shape[0] > 2:
        out.append((d.narrow(0, 1, a.shape[0] - 2), a[1:-1]))
    return out


@needs_gpu
def test_round_trip_and_views(tn):
    T = cuda(tn)
    a = sample(tn, (5, 7))
    d = T.from_numpy(a)
    assert d.shape == (5, 7) and d.strides == (7, 1) and d.is_contiguous()
    np.testing.assert_array_equal(d.numpy(), a)
    np.testing.assert_array_equal(T.from_numpy(a.T).numpy(), a.T)  # a strided source
    np.testing.assert_array_equal(d.t().numpy(), a.T)  # a strided download
    np.testing.assert_array_equal(d.t().contiguous().numpy(), a.T)
    np.testing.assert_array_equal(d.narrow(1, 2, 3).numpy(), a[:, 2:5])
    np.testing.assert_array_equal(d.select(0, 3).numpy(), a[3])
    a3 = sample(tn, (3, 4, 5))
    d3 = T.from_numpy(a3).transpose(0, 2)
    np.testing.assert_array_equal(d3.numpy(), a3.transpose(2, 1, 0))
    np.testing.assert_array_equal(d3.copy().numpy(), a3.transpose(2, 1, 0))
    assert d.tolist() == a.tolist()
    with pytest.raises(TypeError, match="on the GPU"):
        np.asarray(d)
    assert T.empty().shape == (0,) and T.empty().numpy().size == 0


@needs_gpu
def test_views_share_memory(tn):
    T = cuda(tn)
    d = T.zeros(4, 6)
    T.fill(d.narrow(0, 1, 2), 3)
    T.fill(d.t().select(0, 5), 7)
    expect = np.zeros((4, 6))
    expect[1:3] = 3
    expect[:, 5] = 7
    np.testing.assert_array_equal(d.numpy(), expect)


@needs_gpu
def test_structure_functions(tn):
    from torchbind.cuda._lib import THC, state
    s, name = state(), f"TH{_thcapi.cuda_name(tn)}"

    def f(x):
        return getattr(THC, f"{name}{x}")

    T = cuda(tn)
    for k, shape in enumerate([(3,), (3, 4), (3, 4, 5), (2, 3, 4, 5)], start=1):
        t = T.Tensor(f(f"Tensor_newWithSize{k}d")(s, *shape))
        assert t.shape == shape and f("Tensor_nDimension")(s, t) == k
        assert [f("Tensor_size")(s, t, i) for i in range(k)] == list(shape)
        assert f("Tensor_stride")(s, t, k - 1) == 1 and f("Tensor_isContiguous")(s, t)
        assert f("Tensor_nElement")(s, t) == int(np.prod(shape))
    t = T.empty(2)
    for k, shape in enumerate([(6,), (2, 3), (2, 3, 4), (1, 2, 3, 4), (1, 1, 2, 3, 4)], start=1):
        f(f"Tensor_resize{k}d")(s, t, *shape)
        assert t.shape == shape
    st = T.Storage(f("Storage_newWithSize")(s, 10))
    assert f("Storage_size")(s, st) == 10 and len(st) == 10
    f("Storage_fill")(s, st, 2)
    assert st.tolist() == [2] * 10
    f("Storage_resize")(s, st, 12)
    assert len(st) == 12 and st.tolist()[:10] == [2] * 10
    host = cpu(tn).Storage.new(12)
    np.asarray(host)[:] = np.arange(12)
    f("Storage_copyCPU")(s, st, host)
    assert st.tolist() == list(range(12))
    assert f("Storage_get")(s, st, 5) == 5
    f("Storage_set")(s, st, 5, 50)
    assert f("Storage_get")(s, st, 5) == 50
    v = T.Tensor(f("Tensor_newWithStorage2d")(s, st, 2, 2, 5, 5, 1))
    np.testing.assert_array_equal(v.numpy(), np.array([[2, 3, 4, 50, 6], [7, 8, 9, 10, 11]]))
    assert f("Tensor_data")(s, v) is not None
    # reference counts: a view holds the storage; dropping it gives the reference back
    refcount = st._struct().refcount
    del v
    gc.collect()
    assert st._struct().refcount == refcount - 1
    r = T.from_numpy(sample(tn, (3, 4)))
    f("Tensor_retain")(s, r)
    f("Tensor_free")(s, r)
    assert r.numpy().shape == (3, 4)


@needs_gpu
@pytest.mark.parametrize("src", ["Byte", "Char", "Short", "Int", "Long", "Float", "Double"])
def test_copies_from_every_cpu_type(tn, src):
    a = np.arange(-6, 6).reshape(3, 4)
    if src == "Byte":
        a = np.abs(a)
    h = cpu(src).from_numpy(a.astype(cpu(src).ELEMENT_TYPE.dtype))
    d = cuda(tn).Tensor.from_tensor(h)
    np.testing.assert_array_equal(d.numpy(), a)
    d2 = cuda(tn).zeros(4, 3)
    d2.t().copy_(h)  # into a non-contiguous destination
    np.testing.assert_array_equal(d2.t().numpy(), a)


@needs_gpu
@pytest.mark.parametrize("src", TYPES)
def test_copies_between_device_types(tn, src):
    a = sample(src, (4, 5))
    d = cuda(src).from_numpy(a)
    out = cuda(tn).Tensor.from_tensor(d.t())
    np.testing.assert_array_equal(out.numpy(), a.T.astype(cuda(tn).ELEMENT_TYPE.dtype))


@needs_gpu
def test_async_copies_and_downloads(tn):
    from torchbind.cuda._lib import THC, state
    a = sample(tn, (6, 3))
    h = cpu(tn).from_numpy(a)
    d = cuda(tn).zeros(6, 3)
    getattr(THC, f"TH{_thcapi.cuda_name(tn)}Tensor_copyAsyncCPU")(state(), d, h)
    back = cpu(tn).zeros(3, 6)
    getattr(THC, f"TH{tn}Tensor_copyAsyncCuda")(state(), back.t(), d)
    np.testing.assert_array_equal(np.asarray(back).T, a)


@needs_gpu
def test_fill_zero(tn):
    T = cuda(tn)
    for d, _ in views(tn, sample(tn, (5, 4))):
        T.fill(d, 3)
        assert (d.numpy() == 3).all()
        T.zero(d)
        assert (d.numpy() == 0).all()


@needs_gpu
def test_whole_reductions(tn):
    T = cuda(tn)
    for d, a in views(tn, sample(tn, (9, 7), low=-3, high=4)):
        acc = float if tn in FLOATING else int
        assert isinstance(T.sumall(d), acc)
        close(T.sumall(d), a.sum(dtype=np.float64 if tn in FLOATING else np.int64), tn)
        close(T.maxall(d), a.max(), tn)
        close(T.minall(d), a.min(), tn)
        close(T.dot(d, d), (a.astype(np.float64) * a).sum(), tn)
    small = sample(tn, (2, 3), low=1, high=3)
    close(T.prodall(T.from_numpy(small).t()), np.prod(small.astype(np.float64)), tn)
    big = np.ones(3_000_001, dtype=cuda(tn).ELEMENT_TYPE.dtype)  # many blocks
    assert T.sumall(T.from_numpy(big)) == 3_000_001
    if tn in FLOATING:
        nan = np.array([1, np.nan, 3], dtype=cuda(tn).ELEMENT_TYPE.dtype)
        assert np.isnan(T.maxall(T.from_numpy(nan))) and np.isnan(T.minall(T.from_numpy(nan)))


@needs_gpu
def test_scalar_and_tensor_pointwise(tn):
    T = cuda(tn)
    a = sample(tn, (6, 5))
    b = sample(tn, (6, 5), seed=1, nonzero=True)
    for (d, x), (e, y) in zip(views(tn, a), views(tn, b), strict=True):
        close(T.add(d, 3).numpy(), x + 3, tn)
        close(T.sub(d, 3).numpy(), x - 3, tn)
        close(T.mul(d, 2).numpy(), x * 2, tn)
        close(T.cadd(d, 2, e).numpy(), x + 2 * y, tn)
        close(T.csub(d, 2, e).numpy(), x - 2 * y, tn)
        close(T.cmul(d, e).numpy(), x * y, tn)
        close(T.neg(d).numpy(), -x, tn)
        close(T.abs(d).numpy(), np.abs(x), tn)
        if tn in FLOATING:
            close(T.div(d, 4).numpy(), x / 4, tn)
            close(T.cdiv(d, e).numpy(), x / y, tn)
        else:  # C division truncates toward zero
            close(T.div(d, 2).numpy(), np.trunc(x / 2).astype(x.dtype), tn)
            close(T.cdiv(d, e).numpy(), np.trunc(x / y).astype(x.dtype), tn)
    out = T.zeros(3)
    r = T.add(T.from_numpy(a), 1, out=out)
    assert r is out and out.shape == (6, 5)
    d = T.from_numpy(a)
    T.mul(d, 2, out=d)  # in place
    close(d.numpy(), a * 2, tn)


@needs_gpu
def test_integer_division_by_zero_raises(tn):
    if tn in FLOATING:
        pytest.skip("floating division by zero gives inf, as in C")
    T = cuda(tn)
    d = T.from_numpy(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="division by zero"):
        T.div(d, 0)
    with pytest.raises(ValueError, match="division by zero"):
        T.cdiv(d, T.from_numpy(np.array([1, 0, 1])))


@needs_gpu
def test_floating_functions(tn):
    T = cuda(tn)
    if tn not in FLOATING:
        for name in ("exp", "log", "sqrt", "sigmoid", "tanh", "pow"):
            assert not hasattr(T, name)
        return
    a = sample(tn, (7, 4), low=0.1, high=3)
    for d, x in views(tn, a):
        close(T.exp(d).numpy(), np.exp(x), tn)
        close(T.log(d).numpy(), np.log(x), tn)
        close(T.sqrt(d).numpy(), np.sqrt(x), tn)
        close(T.sigmoid(d).numpy(), 1 / (1 + np.exp(-x)), tn)
        close(T.tanh(d).numpy(), np.tanh(x), tn)
        close(T.pow(d, 2.5).numpy(), x ** 2.5, tn)


@needs_gpu
@pytest.mark.parametrize("shape", [(5, 6), (4, 3, 5), (3, 5000), (5000, 3)])
def test_reductions_along_a_dimension(tn, shape):
    T = cuda(tn)
    a = sample(tn, shape, low=-3, high=4)
    for d, x in views(tn, a):
        for dim in range(x.ndim):
            for keepdim in (False, True):
                s = T.sum(d, dim, keepdim)
                close(s.numpy(), x.sum(axis=dim, keepdims=keepdim, dtype=x.dtype), tn)
                vals, idx = T.max(d, dim, keepdim)
                close(vals.numpy(), x.max(axis=dim, keepdims=keepdim), tn)
                np.testing.assert_array_equal(idx.numpy(), np.expand_dims(
                    x.argmax(axis=dim), dim) if keepdim else x.argmax(axis=dim))
                vals, idx = T.min(d, dim, keepdim)
                close(vals.numpy(), x.min(axis=dim, keepdims=keepdim), tn)
                np.testing.assert_array_equal(idx.numpy(), np.expand_dims(
                    x.argmin(axis=dim), dim) if keepdim else x.argmin(axis=dim))
    small = sample(tn, (3, 4), low=1, high=3)
    close(T.prod(T.from_numpy(small), 1, False).numpy(), small.prod(axis=1), tn)
    close(T.prod(T.from_numpy(small).t(), 0, True).numpy(), small.T.prod(axis=0, keepdims=True),
          tn)


@needs_gpu
@pytest.mark.parametrize("layout", ["nn", "tn", "nt", "tt"])
def test_addmm(tn, layout):
    T = cuda(tn)
    a = sample(tn, (7, 5), low=-3, high=4)
    b = sample(tn, (5, 9), seed=1, low=-3, high=4)
    c = sample(tn, (7, 9), seed=2, low=-3, high=4)
    da = T.from_numpy(a.T.copy()).t() if layout[0] == "t" else T.from_numpy(a)
    db = T.from_numpy(b.T.copy()).t() if layout[1] == "t" else T.from_numpy(b)
    for dc, cc in views(tn, c)[:1] + [(T.from_numpy(c.T.copy()).t(), c)]:
        close(T.addmm(2, dc, 3, da, db).numpy(), 2 * cc + 3 * (a @ b), tn)
        close(T.addmm(0, dc, 1, da, db).numpy(), a @ b, tn)
    big_a, big_b = sample(tn, (70, 40), low=-2, high=3), sample(tn, (40, 33), low=-2, high=3)
    close(T.addmm(0, T.zeros(70, 33), 1, T.from_numpy(big_a), T.from_numpy(big_b)).numpy(),
          big_a @ big_b, tn)
    with pytest.raises(ValueError):
        T.addmm(1, T.zeros(7, 9), 1, da, T.zeros(4, 9))


@needs_gpu
def test_addmv(tn):
    T = cuda(tn)
    m = sample(tn, (6, 40), low=-3, high=4)
    v = sample(tn, (40,), seed=1, low=-3, high=4)
    y = sample(tn, (6,), seed=2, low=-3, high=4)
    for dm, mm in views(tn, m)[:1] + [(T.from_numpy(m.T.copy()).t(), m)]:
        close(T.addmv(2, T.from_numpy(y), 3, dm, T.from_numpy(v)).numpy(), 2 * y + 3 * (mm @ v), tn)
    with pytest.raises(ValueError):
        T.addmv(1, T.from_numpy(y), 1, T.from_numpy(m), T.zeros(3))


@needs_gpu
def test_blas_functions():
    from torchbind.cuda._lib import THC, state
    s = state()
    F = cuda("Float")
    a = sample("Float", (4, 3))  # row-major 4 x 3 is column-major 3 x 4 with lda 3
    b = sample("Float", (5, 4), seed=1)
    c = F.zeros(5, 3)
    da, db = F.from_numpy(a), F.from_numpy(b)
    # column-major: C(3x5) = A(3x4) B(4x5); our row-major c is that C transposed
    THC.THCudaBlas_Sgemm(s, b"n", b"n", 3, 5, 4, 1.0, da.data_ptr, 3, db.data_ptr, 4, 0.0,
                         c.data_ptr, 3)
    close(c.numpy(), b @ a, "Float")
    x = F.from_numpy(np.arange(3, dtype=np.float32))
    assert THC.THCudaBlas_Sdot(s, 3, x.data_ptr, 1, x.data_ptr, 1) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="lda"):
        THC.THCudaBlas_Sgemm(s, b"n", b"n", 3, 5, 4, 1.0, da.data_ptr, 1, db.data_ptr, 4,
                             0.0, c.data_ptr, 3)


@needs_gpu
def test_random_fills(tn):
    from torchbind.cuda._lib import THC, state
    T = cuda(tn)
    d = T.empty(200_000)
    T.uniform(d, -2, 6)
    x = d.numpy()
    assert x.min() >= -2 and x.max() < 6
    if tn in FLOATING:
        assert abs(x.mean() - 2) < 0.05 and abs(x.std() - 8 / 12 ** 0.5) < 0.05
        T.normal(d, 1.5, 2.0)
        y = d.numpy()
        assert abs(y.mean() - 1.5) < 0.05 and abs(y.std() - 2.0) < 0.05
    THC.THCRandom_manualSeed(state(), 1234)
    e = T.zeros(10, 10)
    T.uniform(e.t(), 0, 100)
    first = e.numpy()
    THC.THCRandom_manualSeed(state(), 1234)
    T.uniform(e.t(), 0, 100)
    np.testing.assert_array_equal(e.numpy(), first)
    assert THC.THCRandom_initialSeed(state()) == 1234
    with pytest.raises(ValueError):
        T.normal(e, 0, -1)


@needs_gpu
def test_errors(tn):
    T = cuda(tn)
    d = T.from_numpy(sample(tn, (3, 4)))
    with pytest.raises(ValueError, match="inconsistent tensor size"):
        T.dot(d, T.zeros(5))
    with pytest.raises(ValueError):
        d.narrow(1, 2, 5)
    with pytest.raises(IndexError):
        T.sum(d, 2, False)
    with pytest.raises(ValueError):
        T.maxall(T.empty())
    with pytest.raises(TypeError):
        T.add(d, "x")
    with pytest.raises(TypeError):
        T.dot(d, cpu(tn).zeros(3, 4))
    with pytest.raises(MemoryError):
        T.empty(1 << 22, 1 << 22)  # 16 Ti elements
    T.add(d, 1)  # still usable after the errors


@needs_gpu
def test_backpack_app_runs_on_the_gpu(tn):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        backpack = importlib.import_module("backpack")
    finally:
        sys.path.pop(0)
    T = cuda(tn)
    result = backpack.app(T)
    assert result == 440 and isinstance(result, T.AccReal)


@needs_gpu
def test_dlpack_shares_device_memory_with_torch():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("torch has no CUDA here")
    F = cuda("Float")
    d = F.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4))
    assert d.__dlpack_device__() == (_dlpack.KDL_CUDA, d.device)
    t = torch.from_dlpack(d.t())
    assert t.device.type == "cuda" and t.shape == (4, 3)
    t[0, 1] = 100.0  # through torch, seen by torchbind
    torch.cuda.synchronize()
    assert d.numpy()[1, 0] == 100.0
    del d
    gc.collect()
    assert t.cpu()[0, 1].item() == 100.0  # the capsule kept the tensor alive


@needs_gpu
def test_handles_free_exactly_once():
    F = cuda("Float")
    base = F.zeros(100)
    st = base.storage()
    start = st._struct().refcount
    views_ = [base.narrow(0, i, 10) for i in range(50)]
    assert st._struct().refcount == start + 50
    del views_
    gc.collect()
    assert st._struct().refcount == start
    x = F.zeros(3)
    x.free()
    x.free()  # a second free does nothing
    with pytest.raises(ValueError, match="freed"):
        x.numel()


def test_cpu_and_cuda_share_their_pieces() -> None:
    """CPU and CUDA share instead of mirroring (issue 13): one namespace class and one error
    channel (ffi's), one build entry point (_apitable._main), one module-function maker
    (_generic.generate + describe), one guard header and one body for tensor geometry."""
    import inspect

    from torchbind import _apitable, _generic
    from torchbind.cuda import _generic as cuda_generic
    from torchbind.cuda import _lib

    assert type(_lib.THC) is ffi.Namespace and type(ffi.TH) is ffi.Namespace
    own = [n for n, v in vars(_lib).items()
           if inspect.isclass(v) and v.__module__ == _lib.__name__]
    assert not [n for n in own if "Namespace" in n], own
    assert "create_string_buffer" not in inspect.getsource(_lib)  # errors: ffi.error_channel
    assert "def _main" not in inspect.getsource(_thcapi)
    assert isinstance(_thcapi.GENERATOR, _apitable.Generator)
    maker = inspect.getsource(cuda_generic._make)
    assert "describe(" in maker and "inspect.Parameter" not in maker
    assert _generic.describe is cuda_generic.describe
    assert not (ROOT / "vendor/THC/THCGuard.h").exists()
    body = (ROOT / "vendor/THC/generic/THCTensor.c").read_text()
    assert '#include "generic/THTensor.c"' in body and "resizeNd" not in body
    cmake = (ROOT / "CMakeLists.txt").read_text()
    assert cmake.count("add_custom_command(") == 2 and "th_api_library(THC" in cmake
