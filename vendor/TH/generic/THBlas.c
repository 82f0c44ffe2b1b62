/* generic/THBlas.c: BLAS for one type. Column-major; degenerate leading dimensions are fixed
 * up as upstream does, so that vectors may be passed with any stride. */
#ifndef TH_GENERIC_FILE
#error "include through THBlas.c"
#endif

#if defined(TH_HAVE_BLAS) && (defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE))
#define TH_USE_BLAS
#ifdef TH_REAL_IS_FLOAT
#define TH_BLAS_(NAME) TH_CBLAS(TH_CONCAT_2(s, NAME))
#else
#define TH_BLAS_(NAME) TH_CBLAS(TH_CONCAT_2(d, NAME))
#endif
#endif

/* Products and sums in ureal: integer overflow wraps instead of being undefined. */
#define TH_MUL(a, b) ((real)((ureal)(a) * (ureal)(b)))
#define TH_ADD(a, b) ((real)((ureal)(a) + (ureal)(b)))

void THBlas_(swap)(long n, real *x, long incx, real *y, long incy)
{
  if (n == 1) incx = incy = 1;
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(n) && TH_FITS_INT(incx) && TH_FITS_INT(incy)) {
    TH_BLAS_(swap)((int)n, x, (int)incx, y, (int)incy);
    return;
  }
#endif
  for (long i = 0; i < n; i++) {
    real z = x[i * incx];
    x[i * incx] = y[i * incy];
    y[i * incy] = z;
  }
}

void THBlas_(scal)(long n, real a, real *x, long incx)
{
  if (n == 1) incx = 1;
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(n) && TH_FITS_INT(incx)) {
    TH_BLAS_(scal)((int)n, a, x, (int)incx);
    return;
  }
#endif
  for (long i = 0; i < n; i++) x[i * incx] = a == 0 ? 0 : TH_MUL(x[i * incx], a);
}

void THBlas_(copy)(long n, real *x, long incx, real *y, long incy)
{
  if (n == 1) incx = incy = 1;
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(n) && TH_FITS_INT(incx) && TH_FITS_INT(incy)) {
    TH_BLAS_(copy)((int)n, x, (int)incx, y, (int)incy);
    return;
  }
#endif
  for (long i = 0; i < n; i++) y[i * incy] = x[i * incx];
}

void THBlas_(axpy)(long n, real a, real *x, long incx, real *y, long incy)
{
  if (n == 1) incx = incy = 1;
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(n) && TH_FITS_INT(incx) && TH_FITS_INT(incy)) {
    TH_BLAS_(axpy)((int)n, a, x, (int)incx, y, (int)incy);
    return;
  }
#endif
  for (long i = 0; i < n; i++) y[i * incy] = TH_ADD(y[i * incy], TH_MUL(a, x[i * incx]));
}

/* Accumulates in real, as upstream: float uses sdot, integer types wrap around. */
real THBlas_(dot)(long n, real *x, long incx, real *y, long incy)
{
  if (n == 1) incx = incy = 1;
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(n) && TH_FITS_INT(incx) && TH_FITS_INT(incy))
    return TH_BLAS_(dot)((int)n, x, (int)incx, y, (int)incy);
#endif
  ureal sum = 0;
  for (long i = 0; i < n; i++) sum += (ureal)x[i * incx] * (ureal)y[i * incy];
  return (real)sum;
}

void THBlas_(gemv)(char trans, long m, long n, real alpha, real *a, long lda, real *x, long incx,
                   real beta, real *y, long incy)
{
  if (n == 1) lda = m;
  int transposed = trans == 't' || trans == 'T';
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(m) && TH_FITS_INT(n) && TH_FITS_INT(lda) && lda > 0 && lda >= THMax(1, m) &&
      TH_FITS_INT(incx) && incx != 0 && TH_FITS_INT(incy) && incy != 0) {
    TH_BLAS_(gemv)(THCblasColMajor, transposed ? THCblasTrans : THCblasNoTrans, (int)m, (int)n, alpha,
                   a, (int)lda, x, (int)incx, beta, y, (int)incy);
    return;
  }
#endif
  if (transposed) {
    for (long i = 0; i < n; i++) {
      ureal sum = 0;
      for (long j = 0; j < m; j++) sum += (ureal)a[j + i * lda] * (ureal)x[j * incx];
      real s = TH_MUL(alpha, (real)sum);
      y[i * incy] = beta == 0 ? s : TH_ADD(TH_MUL(beta, y[i * incy]), s);
    }
  } else {
    if (beta != 1)
      for (long i = 0; i < m; i++) y[i * incy] = beta == 0 ? 0 : TH_MUL(beta, y[i * incy]);
    for (long j = 0; j < n; j++) {
      real z = TH_MUL(alpha, x[j * incx]);
      for (long i = 0; i < m; i++) y[i * incy] = TH_ADD(y[i * incy], TH_MUL(z, a[j * lda + i]));
    }
  }
}

void THBlas_(ger)(long m, long n, real alpha, real *x, long incx, real *y, long incy, real *a, long lda)
{
  if (n == 1) lda = m;
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(m) && TH_FITS_INT(n) && TH_FITS_INT(lda) && lda > 0 && lda >= THMax(1, m) &&
      TH_FITS_INT(incx) && incx != 0 && TH_FITS_INT(incy) && incy != 0) {
    TH_BLAS_(ger)(THCblasColMajor, (int)m, (int)n, alpha, x, (int)incx, y, (int)incy, a, (int)lda);
    return;
  }
#endif
  for (long j = 0; j < n; j++) {
    real z = TH_MUL(alpha, y[j * incy]);
    for (long i = 0; i < m; i++) a[j * lda + i] = TH_ADD(a[j * lda + i], TH_MUL(z, x[i * incx]));
  }
}

void THBlas_(gemm)(char transa, char transb, long m, long n, long k, real alpha, real *a, long lda,
                   real *b, long ldb, real beta, real *c, long ldc)
{
  int ta = transa == 't' || transa == 'T';
  int tb = transb == 't' || transb == 'T';
  if (n == 1) ldc = m;
  if (ta) {
    if (m == 1) lda = k;
  } else if (k == 1) {
    lda = m;
  }
  if (tb) {
    if (k == 1) ldb = n;
  } else if (n == 1) {
    ldb = k;
  }
#ifdef TH_USE_BLAS
  if (TH_FITS_INT(m) && TH_FITS_INT(n) && TH_FITS_INT(k) && TH_FITS_INT(lda) && TH_FITS_INT(ldb) &&
      TH_FITS_INT(ldc) && lda >= THMax(1, ta ? k : m) && ldb >= THMax(1, tb ? n : k) &&
      ldc >= THMax(1, m)) {
    TH_BLAS_(gemm)(THCblasColMajor, ta ? THCblasTrans : THCblasNoTrans, tb ? THCblasTrans : THCblasNoTrans,
                   (int)m, (int)n, (int)k, alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    return;
  }
#endif
  /* c[i,j] = beta c[i,j] + alpha sum_l op(a)[i,l] op(b)[l,j]; the l loop innermost over a's
   * contiguous direction when a is transposed, otherwise an axpy-style update. */
  for (long j = 0; j < n; j++) {
    real *cj = c + j * ldc;
    for (long i = 0; i < m; i++) cj[i] = beta == 0 ? 0 : TH_MUL(beta, cj[i]);
    for (long l = 0; l < k; l++) {
      real blj = tb ? b[j + l * ldb] : b[l + j * ldb];
      real z = TH_MUL(alpha, blj);
      if (z == 0) continue;
      if (ta) {
        for (long i = 0; i < m; i++) cj[i] = TH_ADD(cj[i], TH_MUL(z, a[l + i * lda]));
      } else {
        real *al = a + l * lda;
        for (long i = 0; i < m; i++) cj[i] = TH_ADD(cj[i], TH_MUL(z, al[i]));
      }
    }
  }
}

#undef TH_MUL
#undef TH_ADD
#ifdef TH_USE_BLAS
#undef TH_USE_BLAS
#undef TH_BLAS_
#endif
