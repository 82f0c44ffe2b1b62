/* THCBlas: BLAS on device memory (column-major, as Fortran BLAS), for float and double. Through
 * cuBLAS when libTHC was built with it (THC_HAVE_CUBLAS), else through libTHC's own kernels. */
#ifndef THC_BLAS_H
#define THC_BLAS_H

#include "THCGeneral.h"

THC_API float THCudaBlas_Sdot(THCState *state, long n, float *x, long incx, float *y, long incy);
THC_API double THCudaBlas_Ddot(THCState *state, long n, double *x, long incx, double *y, long incy);
THC_API void THCudaBlas_Sgemv(THCState *state, char trans, long m, long n, float alpha, float *a,
                              long lda, float *x, long incx, float beta, float *y, long incy);
THC_API void THCudaBlas_Dgemv(THCState *state, char trans, long m, long n, double alpha, double *a,
                              long lda, double *x, long incx, double beta, double *y, long incy);
THC_API void THCudaBlas_Sger(THCState *state, long m, long n, float alpha, float *x, long incx,
                             float *y, long incy, float *a, long lda);
THC_API void THCudaBlas_Dger(THCState *state, long m, long n, double alpha, double *x, long incx,
                             double *y, long incy, double *a, long lda);
THC_API void THCudaBlas_Sgemm(THCState *state, char transa, char transb, long m, long n, long k,
                              float alpha, float *a, long lda, float *b, long ldb, float beta,
                              float *c, long ldc);
THC_API void THCudaBlas_Dgemm(THCState *state, char transa, char transb, long m, long n, long k,
                              double alpha, double *a, long lda, double *b, long ldb, double beta,
                              double *c, long ldc);

#endif
