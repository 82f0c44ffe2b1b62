/* THCApply.cuh: the kernels every THC concept is built from, and their launchers (CUDA C++;
 * included by the .cu sources only).
 *
 * - THCInfo: a tensor's geometry with its dimensions collapsed (size-1 dimensions dropped, runs
 *   of dimensions that are contiguous with each other merged), so that most tensors are 1-d and
 *   an element's offset is one multiply.
 * - apply kernels (1, 2 or 3 operands, any layouts, any element types): one thread per element
 *   in a grid-stride loop, calling a small functor. Each functor switches on an operation code
 *   at run time, so that one kernel per type serves every pointwise function (compile time).
 * - reductions: over a whole tensor (per-block partials, then one block) and along one
 *   dimension (a thread per output, or a block per output when outputs are few and long).
 *
 * Integer arithmetic wraps around (done in the unsigned type), as in libTH. Host launchers check
 * the launch and turn a CUDA failure into a THC error. */
#ifndef THC_APPLY_CUH
#define THC_APPLY_CUH

#include "THC.h"
#include <math.h>

#define THC_MAX_DIMS 25
#define THC_THREADS 256
#define THC_MAX_BLOCKS 65535

/* ---- numbers ------------------------------------------------------------------------------ */

template <typename T> struct THCNum;
template <> struct THCNum<int> {
  typedef unsigned int U;
  static constexpr bool floating = false;
  __host__ __device__ static int lowest() { return INT_MIN; }
  __host__ __device__ static int highest() { return INT_MAX; }
};
template <> struct THCNum<long> {
  typedef unsigned long U;
  static constexpr bool floating = false;
  __host__ __device__ static long lowest() { return LONG_MIN; }
  __host__ __device__ static long highest() { return LONG_MAX; }
};
template <> struct THCNum<float> {
  typedef float U;
  static constexpr bool floating = true;
  __host__ __device__ static float lowest() { return -HUGE_VALF; }
  __host__ __device__ static float highest() { return HUGE_VALF; }
};
template <> struct THCNum<double> {
  typedef double U;
  static constexpr bool floating = true;
  __host__ __device__ static double lowest() { return -HUGE_VAL; }
  __host__ __device__ static double highest() { return HUGE_VAL; }
};

template <typename T> __host__ __device__ inline bool thc_isnan(T x)
{
  if constexpr (THCNum<T>::floating) return x != x;
  else return false;
}
template <typename T> __host__ __device__ inline T thc_add(T a, T b)
{
  typedef typename THCNum<T>::U U;
  return (T)((U)a + (U)b);
}
template <typename T> __host__ __device__ inline T thc_mul(T a, T b)
{
  typedef typename THCNum<T>::U U;
  return (T)((U)a * (U)b);
}
template <typename T> __host__ __device__ inline T thc_neg(T a)
{
  typedef typename THCNum<T>::U U;
  if constexpr (THCNum<T>::floating) return -a;
  else return (T)((U)0 - (U)a);
}
/* Integer division truncates, as C; x / -1 is a wrapping negation (INT_MIN / -1 would trap on a
 * CPU). Division by zero is checked on the host before any kernel runs. */
template <typename T> __host__ __device__ inline T thc_div(T a, T b)
{
  if constexpr (THCNum<T>::floating) return a / b;
  else return b == -1 ? thc_neg(a) : (b == 0 ? (T)0 : (T)(a / b));
}

__device__ inline float thc_exp(float x) { return expf(x); }
__device__ inline double thc_exp(double x) { return exp(x); }
__device__ inline float thc_log(float x) { return logf(x); }
__device__ inline double thc_log(double x) { return log(x); }
__device__ inline float thc_sqrt(float x) { return sqrtf(x); }
__device__ inline double thc_sqrt(double x) { return sqrt(x); }
__device__ inline float thc_tanh(float x) { return tanhf(x); }
__device__ inline double thc_tanh(double x) { return tanh(x); }
__device__ inline float thc_pow(float x, float y) { return powf(x, y); }
__device__ inline double thc_pow(double x, double y) { return pow(x, y); }
__device__ inline float thc_fabs(float x) { return fabsf(x); }
__device__ inline double thc_fabs(double x) { return fabs(x); }

/* ---- geometry ------------------------------------------------------------------------------ */

struct THCInfo {
  int dims;
  long sizes[THC_MAX_DIMS];
  long strides[THC_MAX_DIMS];
};

/* The offset (in elements) of the element at row-major position `linear`. */
__host__ __device__ inline long THCInfo_offset(const THCInfo &info, long linear)
{
  if (info.dims == 1) return linear * info.strides[0];
  long offset = 0;
  for (int d = info.dims - 1; d > 0; d--) {
    long s = info.sizes[d];
    offset += (linear % s) * info.strides[d];
    linear /= s;
  }
  return offset + linear * info.strides[0];
}

/* Collapses a geometry; an empty one (nd == 0) becomes a single element. Row-major positions are
 * unchanged by collapsing, so operands collapsed differently still agree element by element. */
static inline THCInfo THC_info(int nd, const long *size, const long *stride)
{
  THCInfo info;
  info.dims = 0;
  for (int d = 0; d < nd; d++) {
    if (size[d] == 1) continue;
    if (info.dims > 0 && info.strides[info.dims - 1] == size[d] * stride[d]) {
      info.sizes[info.dims - 1] *= size[d];
      info.strides[info.dims - 1] = stride[d];
    } else {
      THCArgCheck(info.dims < THC_MAX_DIMS, 2,
                  "tensor has too many non-contiguous dimensions for a kernel (limit %d)",
                  THC_MAX_DIMS);
      info.sizes[info.dims] = size[d];
      info.strides[info.dims] = stride[d];
      info.dims++;
    }
  }
  if (info.dims == 0) {
    info.dims = 1;
    info.sizes[0] = 1;
    info.strides[0] = 1;
  }
  return info;
}

/* A contiguous run of n elements. */
static inline THCInfo THC_info1d(long n, long stride)
{
  long size[1] = {n}, st[1] = {stride};
  return THC_info(1, size, st);
}

static inline unsigned THC_blocks(long n)
{
  long b = (n + THC_THREADS - 1) / THC_THREADS;
  return (unsigned)(b < 1 ? 1 : (b > THC_MAX_BLOCKS ? THC_MAX_BLOCKS : b));
}

#define THC_LOOP(i, n) \
  for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long)gridDim.x * blockDim.x)

/* ---- pointwise ---------------------------------------------------------------------------- */

template <typename Op, typename A>
__global__ void THC_apply1Kernel(A *a, THCInfo ia, long n, Op op)
{
  THC_LOOP(i, n) op(a[THCInfo_offset(ia, i)]);
}

template <typename Op, typename A, typename B>
__global__ void THC_apply2Kernel(A *a, THCInfo ia, const B *b, THCInfo ib, long n, Op op)
{
  THC_LOOP(i, n) op(a[THCInfo_offset(ia, i)], b[THCInfo_offset(ib, i)]);
}

template <typename Op, typename A, typename B, typename C>
__global__ void THC_apply3Kernel(A *a, THCInfo ia, const B *b, THCInfo ib, const C *c, THCInfo ic,
                                 long n, Op op)
{
  THC_LOOP(i, n) op(a[THCInfo_offset(ia, i)], b[THCInfo_offset(ib, i)], c[THCInfo_offset(ic, i)]);
}

/* The launchers return the launch's status rather than raising, so that callers holding
 * temporary memory can release it first. */
template <typename Op, typename A>
static cudaError_t THC_apply1(A *a, const THCInfo &ia, long n, Op op)
{
  if (n <= 0) return cudaSuccess;
  THC_apply1Kernel<<<THC_blocks(n), THC_THREADS>>>(a, ia, n, op);
  return cudaGetLastError();
}

template <typename Op, typename A, typename B>
static cudaError_t THC_apply2(A *a, const THCInfo &ia, const B *b, const THCInfo &ib, long n, Op op)
{
  if (n <= 0) return cudaSuccess;
  THC_apply2Kernel<<<THC_blocks(n), THC_THREADS>>>(a, ia, b, ib, n, op);
  return cudaGetLastError();
}

template <typename Op, typename A, typename B, typename C>
static cudaError_t THC_apply3(A *a, const THCInfo &ia, const B *b, const THCInfo &ib, const C *c,
                              const THCInfo &ic, long n, Op op)
{
  if (n <= 0) return cudaSuccess;
  THC_apply3Kernel<<<THC_blocks(n), THC_THREADS>>>(a, ia, b, ib, c, ic, n, op);
  return cudaGetLastError();
}

template <typename T> struct THCFillOp {
  T v;
  __device__ void operator()(T &out) const { out = v; }
};

template <typename T, typename U> struct THCConvertOp {
  __device__ void operator()(T &out, const U &in) const { out = (T)in; }
};

enum {
  THC_U_ADD, THC_U_MUL, THC_U_DIV, THC_U_NEG, THC_U_ABS,
  THC_U_EXP, THC_U_LOG, THC_U_SQRT, THC_U_SIGMOID, THC_U_TANH, THC_U_POW /* floating only */
};

/* out = f(x), with a scalar v: one functor for every unary pointwise function. */
template <typename T> struct THCUnaryOp {
  int op;
  T v;
  __device__ void operator()(T &out, const T &x) const
  {
    switch (op) {
      case THC_U_ADD: out = thc_add(x, v); return;
      case THC_U_MUL: out = thc_mul(x, v); return;
      case THC_U_DIV: out = thc_div(x, v); return;
      case THC_U_NEG: out = thc_neg(x); return;
      default: break;
    }
    if constexpr (THCNum<T>::floating) {
      switch (op) {
        case THC_U_ABS: out = thc_fabs(x); return;
        case THC_U_EXP: out = thc_exp(x); return;
        case THC_U_LOG: out = thc_log(x); return;
        case THC_U_SQRT: out = thc_sqrt(x); return;
        case THC_U_SIGMOID: out = (T)1 / ((T)1 + thc_exp(-x)); return;
        case THC_U_TANH: out = thc_tanh(x); return;
        case THC_U_POW: out = thc_pow(x, v); return;
        default: break;
      }
    } else {
      if (op == THC_U_ABS) {
        out = x < 0 ? thc_neg(x) : x; /* abs(INT_MIN) wraps to INT_MIN, as in libTH */
        return;
      }
    }
    out = x;
  }
};

enum { THC_B_CADD, THC_B_CMUL, THC_B_CDIV };

/* out = f(a, b), with a scalar v (cadd: a + v * b). */
template <typename T> struct THCBinaryOp {
  int op;
  T v;
  __device__ void operator()(T &out, const T &a, const T &b) const
  {
    switch (op) {
      case THC_B_CADD: out = thc_add(a, thc_mul(v, b)); return;
      case THC_B_CMUL: out = thc_mul(a, b); return;
      default: out = thc_div(a, b); return;
    }
  }
};

/* ---- reductions ----------------------------------------------------------------------------- */

enum { THC_R_SUM, THC_R_PROD, THC_R_MAX, THC_R_MIN, THC_R_DOT, THC_R_COUNTZERO };

template <typename Acc> __host__ __device__ inline Acc thc_rinit(int op)
{
  switch (op) {
    case THC_R_PROD: return (Acc)1;
    case THC_R_MAX: return THCNum<Acc>::lowest();
    case THC_R_MIN: return THCNum<Acc>::highest();
    default: return (Acc)0;
  }
}

/* max and min propagate NaN: once one is seen it is the answer (as libTH's maxall/minall). */
template <typename Acc> __device__ inline Acc thc_rcombine(int op, Acc a, Acc b)
{
  switch (op) {
    case THC_R_PROD: return thc_mul(a, b);
    case THC_R_MAX: return thc_isnan(a) ? a : (thc_isnan(b) ? b : (a >= b ? a : b));
    case THC_R_MIN: return thc_isnan(a) ? a : (thc_isnan(b) ? b : (a <= b ? a : b));
    default: return thc_add(a, b);
  }
}

/* Block-wide reduction of one value per thread through shared memory; thread 0 gets the result. */
template <typename Acc> __device__ inline Acc thc_blockReduce(Acc *buf, Acc v, int op)
{
  buf[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) buf[threadIdx.x] = thc_rcombine(op, buf[threadIdx.x], buf[threadIdx.x + s]);
    __syncthreads();
  }
  Acc r = buf[0];
  __syncthreads();
  return r;
}

/* Per-block partials of a whole-tensor reduction; b is the second operand of a dot product. */
template <typename T, typename Acc>
__global__ void THC_reduceAllKernel(const T *a, THCInfo ia, const T *b, THCInfo ib, long n, int op,
                                    Acc *partials)
{
  __shared__ Acc buf[THC_THREADS];
  Acc acc = thc_rinit<Acc>(op);
  THC_LOOP(i, n) {
    T x = a[THCInfo_offset(ia, i)];
    Acc v;
    if (op == THC_R_DOT) v = thc_mul((Acc)x, (Acc)b[THCInfo_offset(ib, i)]);
    else if (op == THC_R_COUNTZERO) v = x == 0 ? (Acc)1 : (Acc)0;
    else v = (Acc)x;
    acc = thc_rcombine(op, acc, v);
  }
  acc = thc_blockReduce(buf, acc, op);
  if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

template <typename Acc> __global__ void THC_reduceFinalKernel(Acc *partials, int count, int op)
{
  __shared__ Acc buf[THC_THREADS];
  Acc acc = thc_rinit<Acc>(op);
  for (int i = threadIdx.x; i < count; i += blockDim.x) acc = thc_rcombine(op, acc, partials[i]);
  acc = thc_blockReduce(buf, acc, op);
  if (threadIdx.x == 0) partials[0] = acc;
}

/* The reduction of n elements of a (and b, for THC_R_DOT) to one value on the host. */
template <typename T, typename Acc>
static Acc THC_reduceAll(THCState *state, const T *a, const THCInfo &ia, const T *b,
                         const THCInfo &ib, long n, int op)
{
  if (n <= 0) return thc_rinit<Acc>(op);
  long nb = (n + THC_THREADS - 1) / THC_THREADS;
  int blocks = (int)(nb > 1024 ? 1024 : nb);
  Acc *partials = (Acc *)THC_deviceAlloc(state, sizeof(Acc) * (size_t)blocks);
  THC_reduceAllKernel<T, Acc><<<blocks, THC_THREADS>>>(a, ia, b, ib, n, op, partials);
  cudaError_t err = cudaGetLastError();
  if (err == cudaSuccess && blocks > 1) {
    THC_reduceFinalKernel<Acc><<<1, THC_THREADS>>>(partials, blocks, op);
    err = cudaGetLastError();
  }
  Acc result = thc_rinit<Acc>(op);
  if (err == cudaSuccess) err = cudaMemcpy(&result, partials, sizeof(Acc), cudaMemcpyDeviceToHost);
  THC_deviceFree(state, partials);
  THCudaCheck(err);
  return result;
}

/* v beats best for max (min): NaN beats everything and, once best, nothing beats it; on ties
 * the earlier position stays. */
template <typename T> __device__ inline bool thc_better(int op, T v, T best)
{
  if (thc_isnan(best)) return false;
  if (thc_isnan(v)) return true;
  return op == THC_R_MAX ? v > best : v < best;
}

/* Along one dimension: output j reduces in[base_j + k * sd], k < n, where base_j is the offset
 * of position j in `ib` (the input with that dimension at size 1). Sums and products accumulate
 * in Acc; max and min also write the 1-based position (TH_INDEX_BASE) into idx. One thread per
 * output. */
template <typename T, typename Acc>
__global__ void THC_reduceDimKernel(T *out, THCInfo io, long *idx, THCInfo ii, const T *in,
                                    THCInfo ib, long n, long sd, long m, int op)
{
  THC_LOOP(j, m) {
    const T *p = in + THCInfo_offset(ib, j);
    if (op == THC_R_MAX || op == THC_R_MIN) {
      T best = p[0];
      long bi = 0;
      for (long k = 1; k < n; k++) {
        T v = p[k * sd];
        if (thc_better(op, v, best)) {
          best = v;
          bi = k;
        }
      }
      out[THCInfo_offset(io, j)] = best;
      idx[THCInfo_offset(ii, j)] = bi + TH_INDEX_BASE;
    } else {
      Acc acc = thc_rinit<Acc>(op);
      for (long k = 0; k < n; k++) acc = thc_rcombine(op, acc, (Acc)p[k * sd]);
      out[THCInfo_offset(io, j)] = (T)acc;
    }
  }
}

/* The same with a block per output: for few, long slices. */
template <typename T, typename Acc>
__global__ void THC_reduceDimBlockKernel(T *out, THCInfo io, long *idx, THCInfo ii, const T *in,
                                         THCInfo ib, long n, long sd, long m, int op)
{
  __shared__ Acc abuf[THC_THREADS];
  __shared__ T vbuf[THC_THREADS];
  __shared__ long ibuf[THC_THREADS];
  for (long j = blockIdx.x; j < m; j += gridDim.x) {
    const T *p = in + THCInfo_offset(ib, j);
    if (op == THC_R_MAX || op == THC_R_MIN) {
      T best = p[0];
      long bi = -1; /* none yet */
      for (long k = threadIdx.x; k < n; k += blockDim.x) {
        T v = p[k * sd];
        if (bi < 0 || thc_better(op, v, best)) {
          best = v;
          bi = k;
        }
      }
      vbuf[threadIdx.x] = best;
      ibuf[threadIdx.x] = bi;
      __syncthreads();
      for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
          T v = vbuf[threadIdx.x + s], b = vbuf[threadIdx.x];
          long vi = ibuf[threadIdx.x + s], i0 = ibuf[threadIdx.x];
          bool take = vi >= 0 && (i0 < 0 || thc_better(op, v, b) ||
                                  (!thc_better(op, b, v) && vi < i0));
          if (take) {
            vbuf[threadIdx.x] = v;
            ibuf[threadIdx.x] = vi;
          }
        }
        __syncthreads();
      }
      if (threadIdx.x == 0) {
        out[THCInfo_offset(io, j)] = vbuf[0];
        idx[THCInfo_offset(ii, j)] = ibuf[0] + TH_INDEX_BASE;
      }
      __syncthreads();
    } else {
      Acc acc = thc_rinit<Acc>(op);
      for (long k = threadIdx.x; k < n; k += blockDim.x) acc = thc_rcombine(op, acc, (Acc)p[k * sd]);
      acc = thc_blockReduce(abuf, acc, op);
      if (threadIdx.x == 0) out[THCInfo_offset(io, j)] = (T)acc;
    }
  }
}

template <typename T, typename Acc>
static cudaError_t THC_reduceDim(T *out, const THCInfo &io, long *idx, const THCInfo &ii,
                                 const T *in, const THCInfo &ib, long n, long sd, long m, int op)
{
  if (m <= 0) return cudaSuccess;
  if (m <= 4096 && n >= 256) {
    unsigned blocks = (unsigned)(m > THC_MAX_BLOCKS ? THC_MAX_BLOCKS : m);
    THC_reduceDimBlockKernel<T, Acc><<<blocks, THC_THREADS>>>(out, io, idx, ii, in, ib, n, sd, m, op);
  } else {
    THC_reduceDimKernel<T, Acc><<<THC_blocks(m), THC_THREADS>>>(out, io, idx, ii, in, ib, n, sd, m, op);
  }
  return cudaGetLastError();
}

#endif
