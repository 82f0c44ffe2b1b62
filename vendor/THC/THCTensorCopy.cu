/* THCTensorCopy: host <-> device and device <-> device copies (generic/THCTensorCopy.cu), and
 * the storage copies between device types. */
#include "THCApply.cuh"
#include <type_traits>

/* Host-side walks of a CPU tensor's elements in row-major order. */
template <typename T, typename U>
static void THC_hostGather(T *dst, const U *src, int nd, const long *size, const long *stride, long n)
{
  long counter[TH_MAX_DIM] = {0};
  ptrdiff_t offset = 0;
  for (long i = 0; i < n; i++) {
    dst[i] = (T)src[offset];
    for (int d = nd - 1; d >= 0; d--) {
      offset += stride[d];
      if (++counter[d] < size[d]) break;
      offset -= size[d] * stride[d];
      counter[d] = 0;
    }
  }
}

template <typename T>
static void THC_hostScatter(T *dst, int nd, const long *size, const long *stride, const T *src, long n)
{
  long counter[TH_MAX_DIM] = {0};
  ptrdiff_t offset = 0;
  for (long i = 0; i < n; i++) {
    dst[offset] = src[i];
    for (int d = nd - 1; d >= 0; d--) {
      offset += stride[d];
      if (++counter[d] < size[d]) break;
      offset -= size[d] * stride[d];
      counter[d] = 0;
    }
  }
}

static int THC_contiguous(int nd, const long *size, const long *stride)
{
  long z = 1;
  for (int d = nd - 1; d >= 0; d--) {
    if (size[d] != 1) {
      if (stride[d] != z) return 0;
      z *= size[d];
    }
  }
  return 1;
}

/* n elements of a CPU tensor (type U, any layout) into a device tensor (type T, any layout):
 * converted and packed on the host when needed, sent in one transfer, scattered by a kernel
 * when the destination is not contiguous. Temporary memory is released before any error. */
template <typename T, typename U>
static void THC_copyFromHost(THCState *state, T *dst, int ndd, const long *sd, const long *std_,
                             const U *src, int nds, const long *ss, const long *sts, long n)
{
  if (n <= 0) return;
  int dstContig = THC_contiguous(ndd, sd, std_);
  int pack = !std::is_same<T, U>::value || !THC_contiguous(nds, ss, sts);
  T *dtmp = dstContig ? NULL : (T *)THC_deviceAlloc(state, sizeof(T) * (size_t)n);
  T *htmp = NULL;
  if (pack) {
    htmp = (T *)malloc(sizeof(T) * (size_t)n);
    if (!htmp) {
      THC_deviceFree(state, dtmp);
      THCMemoryError("not enough host memory: tried to allocate %zu bytes", sizeof(T) * (size_t)n);
    }
    THC_hostGather(htmp, src, nds, ss, sts, n);
  }
  cudaError_t err = cudaMemcpy(dstContig ? dst : dtmp, pack ? (const void *)htmp : (const void *)src,
                               sizeof(T) * (size_t)n, cudaMemcpyHostToDevice);
  free(htmp);
  if (err == cudaSuccess && !dstContig)
    err = THC_apply2(dst, THC_info(ndd, sd, std_), (const T *)dtmp, THC_info1d(n, 1), n,
                     THCConvertOp<T, T>());
  THC_deviceFree(state, dtmp);
  THCudaCheck(err);
}

/* n elements of a device tensor into a CPU tensor of the same type (any layouts). */
template <typename T>
static void THC_copyToHost(THCState *state, T *dst, int ndd, const long *sd, const long *std_,
                           const T *src, int nds, const long *ss, const long *sts, long n)
{
  if (n <= 0) return;
  int srcContig = THC_contiguous(nds, ss, sts), dstContig = THC_contiguous(ndd, sd, std_);
  T *dtmp = srcContig ? NULL : (T *)THC_deviceAlloc(state, sizeof(T) * (size_t)n);
  cudaError_t err = cudaSuccess;
  if (dtmp)
    err = THC_apply2(dtmp, THC_info1d(n, 1), src, THC_info(nds, ss, sts), n, THCConvertOp<T, T>());
  T *htmp = NULL;
  if (err == cudaSuccess && !dstContig) {
    htmp = (T *)malloc(sizeof(T) * (size_t)n);
    if (!htmp) {
      THC_deviceFree(state, dtmp);
      THCMemoryError("not enough host memory: tried to allocate %zu bytes", sizeof(T) * (size_t)n);
    }
  }
  if (err == cudaSuccess)
    err = cudaMemcpy(dstContig ? dst : htmp, dtmp ? dtmp : src, sizeof(T) * (size_t)n,
                     cudaMemcpyDeviceToHost);
  THC_deviceFree(state, dtmp);
  if (err == cudaSuccess && htmp) THC_hostScatter(dst, ndd, sd, std_, htmp, n);
  free(htmp);
  THCudaCheck(err);
}

/* Device to device, converting from U to T. */
template <typename T, typename U>
static void THC_copyDevice(T *dst, int ndd, const long *sd, const long *std_, const U *src, int nds,
                           const long *ss, const long *sts, long n)
{
  if (n <= 0) return;
  if (std::is_same<T, U>::value && (const void *)dst == (const void *)src && ndd == nds &&
      !memcmp(sd, ss, sizeof(long) * (size_t)ndd) && !memcmp(std_, sts, sizeof(long) * (size_t)ndd))
    return; /* the same elements */
  if (std::is_same<T, U>::value && THC_contiguous(ndd, sd, std_) && THC_contiguous(nds, ss, sts)) {
    THCudaCheck(cudaMemcpy(dst, src, sizeof(T) * (size_t)n, cudaMemcpyDeviceToDevice));
    return;
  }
  THCudaCheck(THC_apply2(dst, THC_info(ndd, sd, std_), src, THC_info(nds, ss, sts), n,
                         THCConvertOp<T, U>()));
}

#define THC_GENERIC_FILE "generic/THCTensorCopy.cu"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
