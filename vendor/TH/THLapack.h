/* THLapack: LAPACK for float and double, as thin wrappers of the Fortran routines.
 *
 * Matrices are column-major, sizes and chars are passed by value here and by address to
 * Fortran. The routines come from OpenBLAS (the scipy-openblas32 wheel, symbols prefixed with
 * "scipy_", TH_BLAS_PREFIX); a build without it raises "lapack not available" from each. */
#ifndef TH_LAPACK_H
#define TH_LAPACK_H

#include "THGeneral.h"

#define THLapack_(NAME) TH_CONCAT_4(TH, Real, Lapack_, NAME)

#define TH_GENERIC_FILE "generic/THLapack.h"
#include "THGenerateFloatTypes.h"
#undef TH_GENERIC_FILE

/* Inside the library only: the Fortran routines, declared so that no LAPACK header is needed. */
#ifdef TH_IMPL

#ifdef TH_HAVE_BLAS
#ifndef TH_BLAS_PREFIX
#define TH_BLAS_PREFIX
#endif
/* The Fortran name: prefix, routine, trailing underscore (gfortran's mangling). */
#define TH_LAPACK_F(NAME) TH_CONCAT_3(TH_BLAS_PREFIX, NAME, _)

/* Fortran passes everything by address; each CHARACTER argument adds a hidden length (size_t
 * since gfortran 8) after the ordinary arguments. T is the element type, P its letter. */
#define TH_LAPACK_EXTERNS(T, P)                                                                    \
  void TH_LAPACK_F(P##gesv)(const int *n, const int *nrhs, T *a, const int *lda, int *ipiv, T *b,  \
                            const int *ldb, int *info);                                            \
  void TH_LAPACK_F(P##trtrs)(const char *uplo, const char *trans, const char *diag, const int *n,  \
                             const int *nrhs, const T *a, const int *lda, T *b, const int *ldb,    \
                             int *info, size_t, size_t, size_t);                                   \
  void TH_LAPACK_F(P##gels)(const char *trans, const int *m, const int *n, const int *nrhs, T *a,  \
                            const int *lda, T *b, const int *ldb, T *work, const int *lwork,       \
                            int *info, size_t);                                                    \
  void TH_LAPACK_F(P##syev)(const char *jobz, const char *uplo, const int *n, T *a,                \
                            const int *lda, T *w, T *work, const int *lwork, int *info, size_t,    \
                            size_t);                                                               \
  void TH_LAPACK_F(P##geev)(const char *jobvl, const char *jobvr, const int *n, T *a,              \
                            const int *lda, T *wr, T *wi, T *vl, const int *ldvl, T *vr,           \
                            const int *ldvr, T *work, const int *lwork, int *info, size_t,         \
                            size_t);                                                               \
  void TH_LAPACK_F(P##gesvd)(const char *jobu, const char *jobvt, const int *m, const int *n,      \
                             T *a, const int *lda, T *s, T *u, const int *ldu, T *vt,              \
                             const int *ldvt, T *work, const int *lwork, int *info, size_t,        \
                             size_t);                                                              \
  void TH_LAPACK_F(P##getrf)(const int *m, const int *n, T *a, const int *lda, int *ipiv,          \
                             int *info);                                                           \
  void TH_LAPACK_F(P##getrs)(const char *trans, const int *n, const int *nrhs, const T *a,         \
                             const int *lda, const int *ipiv, T *b, const int *ldb, int *info,     \
                             size_t);                                                              \
  void TH_LAPACK_F(P##getri)(const int *n, T *a, const int *lda, const int *ipiv, T *work,         \
                             const int *lwork, int *info);                                         \
  void TH_LAPACK_F(P##potrf)(const char *uplo, const int *n, T *a, const int *lda, int *info,      \
                             size_t);                                                              \
  void TH_LAPACK_F(P##potri)(const char *uplo, const int *n, T *a, const int *lda, int *info,      \
                             size_t);                                                              \
  void TH_LAPACK_F(P##potrs)(const char *uplo, const int *n, const int *nrhs, const T *a,          \
                             const int *lda, T *b, const int *ldb, int *info, size_t);             \
  void TH_LAPACK_F(P##pstrf)(const char *uplo, const int *n, T *a, const int *lda, int *piv,       \
                             int *rank, const T *tol, T *work, int *info, size_t);                 \
  void TH_LAPACK_F(P##geqrf)(const int *m, const int *n, T *a, const int *lda, T *tau, T *work,    \
                             const int *lwork, int *info);                                         \
  void TH_LAPACK_F(P##orgqr)(const int *m, const int *n, const int *k, T *a, const int *lda,       \
                             const T *tau, T *work, const int *lwork, int *info);                  \
  void TH_LAPACK_F(P##ormqr)(const char *side, const char *trans, const int *m, const int *n,      \
                             const int *k, const T *a, const int *lda, const T *tau, T *c,         \
                             const int *ldc, T *work, const int *lwork, int *info, size_t, size_t);

TH_LAPACK_EXTERNS(float, s)
TH_LAPACK_EXTERNS(double, d)
#endif /* TH_HAVE_BLAS */

#endif /* TH_IMPL */

#endif
