/* The CBLAS entry points THBlas uses, declared here so no BLAS header is needed. OpenBLAS from
 * the scipy-openblas32 wheel prefixes every symbol with "scipy_" (TH_BLAS_PREFIX). */
#ifndef TH_BLAS_EXTERN_H
#define TH_BLAS_EXTERN_H

#ifdef TH_HAVE_BLAS
#ifndef TH_BLAS_PREFIX
#define TH_BLAS_PREFIX
#endif
#define TH_CBLAS(NAME) TH_CONCAT_3(TH_BLAS_PREFIX, cblas_, NAME)
#define TH_OPENBLAS(NAME) TH_CONCAT_3(TH_BLAS_PREFIX, openblas_, NAME)

enum { THCblasColMajor = 102, THCblasNoTrans = 111, THCblasTrans = 112 };

#define TH_CBLAS_LEVEL12(T, P)                                                                     \
  void TH_CBLAS(P##swap)(int n, T *x, int incx, T *y, int incy);                                   \
  void TH_CBLAS(P##scal)(int n, T a, T *x, int incx);                                              \
  void TH_CBLAS(P##copy)(int n, const T *x, int incx, T *y, int incy);                             \
  void TH_CBLAS(P##axpy)(int n, T a, const T *x, int incx, T *y, int incy);                        \
  T TH_CBLAS(P##dot)(int n, const T *x, int incx, const T *y, int incy);                           \
  void TH_CBLAS(P##gemv)(int order, int trans, int m, int n, T alpha, const T *a, int lda,          \
                         const T *x, int incx, T beta, T *y, int incy);                            \
  void TH_CBLAS(P##ger)(int order, int m, int n, T alpha, const T *x, int incx, const T *y,         \
                        int incy, T *a, int lda);                                                  \
  void TH_CBLAS(P##gemm)(int order, int transa, int transb, int m, int n, int k, T alpha,           \
                         const T *a, int lda, const T *b, int ldb, T beta, T *c, int ldc);

TH_CBLAS_LEVEL12(float, s)
TH_CBLAS_LEVEL12(double, d)
void TH_OPENBLAS(set_num_threads)(int n);
char *TH_OPENBLAS(get_config)(void);
#endif

#endif
