/* THCTensorBlas: matrix and vector products: the THCudaBlas_* functions and, per type, dot,
 * addmv and addmm (generic/THCTensorBlas.cu).
 *
 * Float and double go through cuBLAS when the build found it (THC_HAVE_CUBLAS) and the operands'
 * layouts are ones BLAS takes; everything else (the integer types, expanded or oddly strided
 * operands, builds without cuBLAS) through the kernels below, which take any strides. */
#include "THCApply.cuh"
#ifdef THC_HAVE_CUBLAS
#include <cublas_v2.h>
#endif

#define THC_TILE 16

/* c = alpha a b + beta c for an m x k matrix a and a k x n matrix b, each element addressed by
 * its two strides; beta == 0 ignores c's old values (NaN included). Tiles of a and b go through
 * shared memory; the products accumulate in Acc. */
template <typename T, typename Acc>
__global__ void THC_gemmKernel(long m, long n, long k, T alpha, const T *a, long sa0, long sa1,
                               const T *b, long sb0, long sb1, T beta, T *c, long sc0, long sc1)
{
  __shared__ T As[THC_TILE][THC_TILE + 1];
  __shared__ T Bs[THC_TILE][THC_TILE + 1];
  const int tx = threadIdx.x, ty = threadIdx.y;
  for (long row0 = (long)blockIdx.y * THC_TILE; row0 < m; row0 += (long)gridDim.y * THC_TILE) {
    for (long col0 = (long)blockIdx.x * THC_TILE; col0 < n; col0 += (long)gridDim.x * THC_TILE) {
      const long row = row0 + ty, col = col0 + tx;
      Acc acc = 0;
      for (long k0 = 0; k0 < k; k0 += THC_TILE) {
        const long ka = k0 + tx, kb = k0 + ty;
        As[ty][tx] = (row < m && ka < k) ? a[row * sa0 + ka * sa1] : (T)0;
        Bs[ty][tx] = (kb < k && col < n) ? b[kb * sb0 + col * sb1] : (T)0;
        __syncthreads();
        for (int q = 0; q < THC_TILE; q++)
          acc = thc_add(acc, thc_mul((Acc)As[ty][q], (Acc)Bs[q][tx]));
        __syncthreads();
      }
      if (row < m && col < n) {
        T *p = c + row * sc0 + col * sc1;
        Acc v = thc_mul((Acc)alpha, acc);
        *p = beta == (T)0 ? (T)v : (T)thc_add(v, thc_mul((Acc)beta, (Acc)*p));
      }
    }
  }
}

template <typename T, typename Acc>
static cudaError_t THC_gemm(long m, long n, long k, T alpha, const T *a, long sa0, long sa1,
                            const T *b, long sb0, long sb1, T beta, T *c, long sc0, long sc1)
{
  if (m <= 0 || n <= 0) return cudaSuccess;
  long gx = (n + THC_TILE - 1) / THC_TILE, gy = (m + THC_TILE - 1) / THC_TILE;
  dim3 grid((unsigned)(gx > THC_MAX_BLOCKS ? THC_MAX_BLOCKS : gx),
            (unsigned)(gy > THC_MAX_BLOCKS ? THC_MAX_BLOCKS : gy));
  THC_gemmKernel<T, Acc><<<grid, dim3(THC_TILE, THC_TILE)>>>(m, n, k, alpha, a, sa0, sa1, b, sb0,
                                                             sb1, beta, c, sc0, sc1);
  return cudaGetLastError();
}

/* y = alpha a x + beta y for an m x n matrix a: a warp per row. */
template <typename T, typename Acc>
__global__ void THC_gemvKernel(long m, long n, T alpha, const T *a, long sa0, long sa1, const T *x,
                               long sx, T beta, T *y, long sy)
{
  const long nwarps = (long)gridDim.x * blockDim.x / 32;
  const int lane = threadIdx.x % 32;
  for (long row = ((long)blockIdx.x * blockDim.x + threadIdx.x) / 32; row < m; row += nwarps) {
    Acc acc = 0;
    for (long col = lane; col < n; col += 32)
      acc = thc_add(acc, thc_mul((Acc)a[row * sa0 + col * sa1], (Acc)x[col * sx]));
    for (int off = 16; off > 0; off >>= 1) acc = thc_add(acc, (Acc)__shfl_down_sync(0xffffffffu, acc, off));
    if (lane == 0) {
      T *p = y + row * sy;
      Acc v = thc_mul((Acc)alpha, acc);
      *p = beta == (T)0 ? (T)v : (T)thc_add(v, thc_mul((Acc)beta, (Acc)*p));
    }
  }
}

template <typename T, typename Acc>
static cudaError_t THC_gemv(long m, long n, T alpha, const T *a, long sa0, long sa1, const T *x,
                            long sx, T beta, T *y, long sy)
{
  if (m <= 0) return cudaSuccess;
  long warpsPerBlock = THC_THREADS / 32, b = (m + warpsPerBlock - 1) / warpsPerBlock;
  THC_gemvKernel<T, Acc><<<(unsigned)(b > THC_MAX_BLOCKS ? THC_MAX_BLOCKS : b), THC_THREADS>>>(
      m, n, alpha, a, sa0, sa1, x, sx, beta, y, sy);
  return cudaGetLastError();
}

/* ---- the BLAS interface (column-major) ------------------------------------------------------ */

static int THC_isTrans(char t)
{
  return t == 't' || t == 'T' || t == 'c' || t == 'C';
}

static void THC_checkTrans(char t, int arg)
{
  THCArgCheck(t == 'n' || t == 'N' || THC_isTrans(t), arg, "trans must be one of n, t, c (got %c)", t);
}

/* Where element 0 of a BLAS vector is: a negative increment walks it backwards. */
template <typename T> static T *THC_vecBase(T *x, long len, long inc)
{
  return inc < 0 && len > 0 ? x + (len - 1) * -inc : x;
}

#ifdef THC_HAVE_CUBLAS
static void THC_cublasCheck(cublasStatus_t st, const char *what)
{
  if (st != CUBLAS_STATUS_SUCCESS) THCError("cuBLAS error %d in %s", (int)st, what);
}
static cublasOperation_t THC_cublasOp(char t)
{
  return THC_isTrans(t) ? CUBLAS_OP_T : CUBLAS_OP_N;
}
static int THC_fitsInt(long x)
{
  return x >= INT_MIN && x <= INT_MAX;
}
static void THC_cublasGemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                           int k, const float *alpha, const float *a, int lda, const float *b,
                           int ldb, const float *beta, float *c, int ldc)
{
  THC_cublasCheck(cublasSgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), "cublasSgemm");
}
static void THC_cublasGemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                           int k, const double *alpha, const double *a, int lda, const double *b,
                           int ldb, const double *beta, double *c, int ldc)
{
  THC_cublasCheck(cublasDgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), "cublasDgemm");
}
static void THC_cublasGemv(cublasHandle_t h, cublasOperation_t t, int m, int n, const float *alpha,
                           const float *a, int lda, const float *x, int incx, const float *beta,
                           float *y, int incy)
{
  THC_cublasCheck(cublasSgemv(h, t, m, n, alpha, a, lda, x, incx, beta, y, incy), "cublasSgemv");
}
static void THC_cublasGemv(cublasHandle_t h, cublasOperation_t t, int m, int n, const double *alpha,
                           const double *a, int lda, const double *x, int incx, const double *beta,
                           double *y, int incy)
{
  THC_cublasCheck(cublasDgemv(h, t, m, n, alpha, a, lda, x, incx, beta, y, incy), "cublasDgemv");
}
static float THC_cublasDot(cublasHandle_t h, int n, const float *x, int incx, const float *y, int incy)
{
  float r = 0;
  THC_cublasCheck(cublasSdot(h, n, x, incx, y, incy, &r), "cublasSdot");
  return r;
}
static double THC_cublasDot(cublasHandle_t h, int n, const double *x, int incx, const double *y,
                            int incy)
{
  double r = 0;
  THC_cublasCheck(cublasDdot(h, n, x, incx, y, incy, &r), "cublasDdot");
  return r;
}
#endif

template <typename T>
static void THC_blasGemm(THCState *state, char transa, char transb, long m, long n, long k, T alpha,
                         T *a, long lda, T *b, long ldb, T beta, T *c, long ldc)
{
  THC_checkTrans(transa, 2);
  THC_checkTrans(transb, 3);
  THCArgCheck(m >= 0 && n >= 0 && k >= 0, 4, "negative size (m %ld, n %ld, k %ld)", m, n, k);
  THCArgCheck(lda >= THMax(1, THC_isTrans(transa) ? k : m), 9, "lda %ld too small", lda);
  THCArgCheck(ldb >= THMax(1, THC_isTrans(transb) ? n : k), 11, "ldb %ld too small", ldb);
  THCArgCheck(ldc >= THMax(1, m), 14, "ldc %ld too small", ldc);
  if (m == 0 || n == 0) return;
  THC_checkState(state);
#ifdef THC_HAVE_CUBLAS
  if (THC_fitsInt(m) && THC_fitsInt(n) && THC_fitsInt(k) && THC_fitsInt(lda) && THC_fitsInt(ldb) &&
      THC_fitsInt(ldc)) {
    THC_cublasGemm((cublasHandle_t)THC_blasHandle(state), THC_cublasOp(transa), THC_cublasOp(transb),
                   (int)m, (int)n, (int)k, &alpha, a, (int)lda, b, (int)ldb, &beta, c, (int)ldc);
    return;
  }
#endif
  int ta = THC_isTrans(transa), tb = THC_isTrans(transb);
  THCudaCheck((THC_gemm<T, T>(m, n, k, alpha, a, ta ? lda : 1, ta ? 1 : lda, b, tb ? ldb : 1,
                              tb ? 1 : ldb, beta, c, 1, ldc)));
}

template <typename T>
static void THC_blasGemv(THCState *state, char trans, long m, long n, T alpha, T *a, long lda, T *x,
                         long incx, T beta, T *y, long incy)
{
  THC_checkTrans(trans, 2);
  THCArgCheck(m >= 0 && n >= 0, 3, "negative size (m %ld, n %ld)", m, n);
  THCArgCheck(lda >= THMax(1, m), 7, "lda %ld too small", lda);
  THCArgCheck(incx != 0, 9, "incx is 0");
  THCArgCheck(incy != 0, 12, "incy is 0");
  if (m == 0 || n == 0) return;
  THC_checkState(state);
  int t = THC_isTrans(trans);
  long rows = t ? n : m, cols = t ? m : n;
#ifdef THC_HAVE_CUBLAS
  if (THC_fitsInt(m) && THC_fitsInt(n) && THC_fitsInt(lda) && THC_fitsInt(incx) && THC_fitsInt(incy)) {
    THC_cublasGemv((cublasHandle_t)THC_blasHandle(state), THC_cublasOp(trans), (int)m, (int)n, &alpha,
                   a, (int)lda, x, (int)incx, &beta, y, (int)incy);
    return;
  }
#endif
  THCudaCheck((THC_gemv<T, T>(rows, cols, alpha, a, t ? lda : 1, t ? 1 : lda,
                              THC_vecBase(x, cols, incx), incx, beta, THC_vecBase(y, rows, incy),
                              incy)));
}

template <typename T>
static void THC_blasGer(THCState *state, long m, long n, T alpha, T *x, long incx, T *y, long incy,
                        T *a, long lda)
{
  THCArgCheck(m >= 0 && n >= 0, 2, "negative size (m %ld, n %ld)", m, n);
  THCArgCheck(incx != 0, 6, "incx is 0");
  THCArgCheck(incy != 0, 8, "incy is 0");
  THCArgCheck(lda >= THMax(1, m), 10, "lda %ld too small", lda);
  if (m == 0 || n == 0) return;
  THC_checkState(state);
  /* a += alpha x y^T is a product with k = 1 */
  THCudaCheck((THC_gemm<T, T>(m, n, 1, alpha, THC_vecBase(x, m, incx), incx, 0,
                              THC_vecBase(y, n, incy), 0, incy, (T)1, a, 1, lda)));
}

template <typename T>
static T THC_blasDot(THCState *state, long n, T *x, long incx, T *y, long incy)
{
  THCArgCheck(n >= 0, 2, "negative size %ld", n);
  if (n == 0) return 0;
  THC_checkState(state);
  THCInfo ix = THC_info1d(n, incx), iy = THC_info1d(n, incy);
  return THC_reduceAll<T, T>(state, THC_vecBase(x, n, incx), ix, THC_vecBase(y, n, incy), iy, n,
                             THC_R_DOT);
}

float THCudaBlas_Sdot(THCState *state, long n, float *x, long incx, float *y, long incy)
{
  return THC_blasDot(state, n, x, incx, y, incy);
}

double THCudaBlas_Ddot(THCState *state, long n, double *x, long incx, double *y, long incy)
{
  return THC_blasDot(state, n, x, incx, y, incy);
}

void THCudaBlas_Sgemv(THCState *state, char trans, long m, long n, float alpha, float *a, long lda,
                      float *x, long incx, float beta, float *y, long incy)
{
  THC_blasGemv(state, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

void THCudaBlas_Dgemv(THCState *state, char trans, long m, long n, double alpha, double *a, long lda,
                      double *x, long incx, double beta, double *y, long incy)
{
  THC_blasGemv(state, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

void THCudaBlas_Sger(THCState *state, long m, long n, float alpha, float *x, long incx, float *y,
                     long incy, float *a, long lda)
{
  THC_blasGer(state, m, n, alpha, x, incx, y, incy, a, lda);
}

void THCudaBlas_Dger(THCState *state, long m, long n, double alpha, double *x, long incx, double *y,
                     long incy, double *a, long lda)
{
  THC_blasGer(state, m, n, alpha, x, incx, y, incy, a, lda);
}

void THCudaBlas_Sgemm(THCState *state, char transa, char transb, long m, long n, long k, float alpha,
                      float *a, long lda, float *b, long ldb, float beta, float *c, long ldc)
{
  THC_blasGemm(state, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void THCudaBlas_Dgemm(THCState *state, char transa, char transb, long m, long n, long k,
                      double alpha, double *a, long lda, double *b, long ldb, double beta,
                      double *c, long ldc)
{
  THC_blasGemm(state, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

#ifdef THC_HAVE_CUBLAS
/* How a tensor matrix (rows x cols, strides s0, s1) is handed to column-major BLAS so that op(its
 * memory) is the matrix (want == 'n') or its transpose (want == 't'): the op and the leading
 * dimension; 0 when its strides fit neither column- nor row-major storage. */
static char THC_blasLayout(long rows, long cols, long s0, long s1, char want, long *ld)
{
  if (s0 == 1 && s1 >= THMax(1, rows)) { /* column-major: the memory is the matrix */
    *ld = s1;
    return want == 'n' ? 'n' : 't';
  }
  if (s1 == 1 && s0 >= THMax(1, cols)) { /* row-major: the memory is the transpose */
    *ld = s0;
    return want == 'n' ? 't' : 'n';
  }
  return 0;
}
#endif

#define THC_GENERIC_FILE "generic/THCTensorBlas.cu"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
