/* generic/THTensorLapack.c: linear algebra on tensors through LAPACK, for Float and Double.
 *
 * The results are upstream Torch7's, sizes, strides and storage included. LAPACK always works on
 * column-major copies of the inputs (so an input never changes unless it is also the result),
 * and the results are written at the end, in the layout upstream gives them:
 *   - a result that is a different tensor from the input it is computed from takes the layout
 *     of upstream's column-major clone: resized (when its sizes are not already cols x rows) to
 *     a contiguous cols x rows and, if contiguous, transposed, so rows x cols with strides
 *     (1, rows); a non-contiguous view of the right sizes is written through its strides;
 *   - a result that is the input itself (the input given as NULL, or the same tensor) keeps its
 *     sizes and strides and receives the values.
 * Where upstream reads memory it should not (results of the transposed sizes, results sharing
 * memory with inputs still to be read, non-contiguous integer outputs, ...) the safe result
 * is given instead; docs/differences.md lists those cases.
 *
 * The workspace sizes are LAPACK's own answers, as upstream takes them, so that LAPACK takes
 * the same paths and the results agree bit for bit with an upstream build on the same LAPACK.
 * Order inside each function: check the arguments, compute into new work memory, raise on a bad
 * INFO after freeing it (the results then stay as they were), write the results. */
#ifndef TH_GENERIC_FILE
#error "include through THTensorLapack.c"
#endif

#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)

/* INFO < 0 is an argument LAPACK refused (arguments are checked first, so a bug here); INFO > 0
 * says why the input has no answer. */
#define TH_LAPACK_RAISE(FN, INFO, ...)                                         \
  do {                                                                         \
    if ((INFO) < 0) THError(FN ": LAPACK rejected its argument %d", -(INFO)); \
    THError(FN ": " __VA_ARGS__);                                              \
  } while (0)

/* ---- checks, made before anything is allocated ---------------------------------------- */

static void THTensor_(lapackRequire)(void)
{
#ifndef TH_HAVE_BLAS
  THError("lapack not available");
#endif
}

static void THTensor_(checkResult)(void *r, int arg)
{
  THArgCheck(r != NULL, arg, "result tensor expected, got NULL");
}

/* Two results cannot be one tensor. */
static void THTensor_(checkDistinct)(THTensor *r1, THTensor *r2, int arg)
{
  THArgCheck(!r1 || r1 != r2, arg, "the results should be different tensors");
}

/* A matrix whose sizes fit LAPACK's int. */
static void THTensor_(checkMatrix)(THTensor *t, int arg, const char *name)
{
  THArgCheck(t != NULL, arg, "matrix %s expected, got NULL", name);
  THArgCheck(t->nDimension == 2, arg, "%s should be 2-dimensional, got %dD", name, t->nDimension);
  THArgCheck(t->size[0] <= INT_MAX && t->size[1] <= INT_MAX, arg,
             "%s is too large for LAPACK (%ld x %ld)", name, t->size[0], t->size[1]);
  /* LAPACK's balancing and scaling steps reject NaN and inf with an "illegal value" that some
   * libraries also print: refuse them here, with a message that says why. */
  int finite = 1;
  TH_TENSOR_APPLY(real, t, if (!isfinite(*t_data)) finite = 0;);
  THArgCheck(finite, arg, "%s has non-finite entries (NaN or inf): LAPACK cannot take them", name);
}

static void THTensor_(checkSquare)(THTensor *t, int arg, const char *name)
{
  THTensor_(checkMatrix)(t, arg, name);
  THArgCheck(t->size[0] == t->size[1], arg, "%s should be square, got %ld x %ld", name, t->size[0],
             t->size[1]);
}

/* Right-hand sides: a matrix with `rows` rows, or a vector of that length taken as a column. */
static void THTensor_(checkRhs)(THTensor *b, long rows, int arg)
{
  THArgCheck(b != NULL, arg, "matrix B expected, got NULL");
  THArgCheck(b->nDimension == 1 || b->nDimension == 2, arg,
             "B should be 1- or 2-dimensional, got %dD", b->nDimension);
  THArgCheck(b->size[0] == rows, arg, "A and B are incompatible: A has %ld rows, B has %ld", rows,
             b->size[0]);
  THArgCheck(b->nDimension == 1 || b->size[1] <= INT_MAX, arg, "B is too large for LAPACK");
}

static void THTensor_(checkVector)(THTensor *t, int arg, const char *name)
{
  THArgCheck(t != NULL && t->nDimension == 1, arg, "%s should be 1-dimensional, got %dD", name,
             t ? t->nDimension : 0);
}

/* The option letter (any case, as LAPACK reads it) that the first character of s names, if
 * `allowed` has it. */
static char THTensor_(lapackOption)(const char *s, const char *allowed, int arg, const char *name)
{
  char c = s ? s[0] : '\0';
  if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
  THArgCheck(c != '\0' && strchr(allowed, c) != NULL, arg,
             "%s should be one of the letters %s, got \"%s\"", name, allowed, s ? s : "(null)");
  return c;
}

/* ---- work memory ----------------------------------------------------------------------- */

/* A new column-major rows x cols tensor (rows, cols >= 1). */
static THTensor *THTensor_(newColMajor)(long rows, long cols)
{
  THTensor *t = THTensor_(new)();
  THTensor_(resizeNd)(t, 2, (long[]){rows, cols}, (long[]){1, rows});
  return t;
}

/* src (a matrix, or a vector taken as one column) in a new column-major tensor of `rows` >=
 * src's rows; the rows below src's are 0. */
static THTensor *THTensor_(newColMajorCopy)(THTensor *src, long rows)
{
  long m = src->size[0], n = src->nDimension == 2 ? src->size[1] : 1;
  THTensor *w = THTensor_(newColMajor)(rows, n);
  if (rows > m) THTensor_(zero)(w);
  THTensor *top = THTensor_(newNarrow)(w, 0, 0, m);
  THTensor_(copy)(top, src);
  THTensor_(free)(top);
  return w;
}

/* The workspace size LAPACK answered to an lwork = -1 query, truncated as upstream does; never
 * below LAPACK's documented minimum. */
static int THTensor_(lapackLwork)(real query, long least)
{
  double q = (double)query;
  long l = q >= (double)INT_MAX ? INT_MAX : (long)q;
  return (int)THMax(l, THMax(least, 1));
}

static real *THTensor_(lapackAlloc)(long n)
{
  return (real *)THAlloc((ptrdiff_t)sizeof(real) * THMax(n, 1));
}

/* ---- results --------------------------------------------------------------------------- */

/* Gives r upstream's layout for a column-major rows x cols result computed from another tensor
 * (see the top of the file). A non-contiguous r of the transposed sizes cols x rows (rows !=
 * cols), which upstream hands to LAPACK with the sizes swapped, gets the fresh layout. */
static void THTensor_(colMajorLayout)(THTensor *r, long rows, long cols)
{
  if (r->nDimension != 2 || r->size[0] != cols || r->size[1] != rows)
    THTensor_(resizeNd)(r, 2, (long[]){cols, rows}, NULL);
  if (THTensor_(isContiguous)(r)) THTensor_(transpose)(r, NULL, 0, 1);
  if (r->size[0] != rows || r->size[1] != cols)
    THTensor_(resizeNd)(r, 2, (long[]){rows, cols}, (long[]){1, rows});
}

/* Writes the column-major work w into result r (NULL: the result is not wanted) and frees w.
 * r is the input w was computed from (`same`): r keeps its geometry; else upstream's layout. */
static void THTensor_(lapackDeliver)(THTensor *w, THTensor *r, int same)
{
  if (r) {
    if (!same) THTensor_(colMajorLayout)(r, w->size[0], w->size[1]);
    THTensor_(copy)(r, w);
  }
  THTensor_(free)(w);
}

/* A 1-d result of n elements from a buffer. */
static void THTensor_(lapackStoreVector)(THTensor *r, const real *v, long n)
{
  THTensor_(resize1d)(r, n);
  real *d = THTensor_(data)(r);
  for (long i = 0; i < n; i++) d[i * r->stride[0]] = v[i];
}

/* Row `row` (or the whole of a 1-d r) of an int result. */
static void THTensor_(lapackStoreInts)(THIntTensor *r, long row, const int *v, long n)
{
  int *d = THIntTensor_data(r);
  long step = r->stride[r->nDimension - 1];
  if (r->nDimension == 2) d += row * r->stride[0];
  for (long i = 0; i < n; i++) d[i * step] = v[i];
}

/* The elements of a 1-d tensor in a buffer. */
static real *THTensor_(lapackVector)(THTensor *t)
{
  long k = t->size[0];
  real *v = THTensor_(lapackAlloc)(k), *d = THTensor_(data)(t);
  for (long i = 0; i < k; i++) v[i] = d[i * t->stride[0]];
  return v;
}

/* Upstream clears or mirrors a triangle only for the upper-case letters 'U' and 'L' (LAPACK
 * itself takes either case). */
static int THTensor_(upstreamTriangle)(const char *uplo)
{
  return uplo[0] == 'U' || uplo[0] == 'L';
}

/* Zeroes the triangle LAPACK leaves untouched: below the diagonal for 'U', above for 'L'. */
static void THTensor_(clearTriangle)(real *a, long n, char uplo)
{
  for (long j = 0; j < n; j++) {
    if (uplo == 'U')
      for (long i = j + 1; i < n; i++) a[i + j * n] = 0;
    else
      for (long i = 0; i < j; i++) a[i + j * n] = 0;
  }
}

/* Copies the computed triangle onto the other one: the full symmetric matrix. */
static void THTensor_(mirrorTriangle)(real *a, long n, char uplo)
{
  for (long j = 0; j < n; j++)
    for (long i = j + 1; i < n; i++) {
      if (uplo == 'U')
        a[i + j * n] = a[j + i * n];
      else
        a[j + i * n] = a[i + j * n];
    }
}

/* ---- linear systems -------------------------------------------------------------------- */

/* b as LAPACK's right-hand sides: whether result rb_ is b itself (a 1-d b never is: upstream
 * works on a one-column view of it, and rb_ becomes that 2-d result). */
static int THTensor_(sameRhs)(THTensor *rb_, THTensor *b)
{
  return rb_ == b && b->nDimension == 2;
}

/* a x = b for square a: rb_ = x (n x nrhs), ra_ = the LU factors of a. */
void THTensor_(gesv)(THTensor *rb_, THTensor *ra_, THTensor *b_, THTensor *a_)
{
  THTensor_(lapackRequire)();
  THTensor *a = a_ ? a_ : ra_, *b = b_ ? b_ : rb_;
  THTensor_(checkSquare)(a, 4, "A");
  THTensor_(checkRhs)(b, a->size[0], 3);
  THTensor_(checkDistinct)(ra_, rb_, 2);
  int n = (int)a->size[0];
  int same_a = ra_ == a, same_b = THTensor_(sameRhs)(rb_, b);

  THTensor *wa = THTensor_(newColMajorCopy)(a, n), *wb = THTensor_(newColMajorCopy)(b, n);
  int nrhs = (int)wb->size[1], info = 0;
  int *ipiv = THAlloc((ptrdiff_t)sizeof(int) * n);
  THLapack_(gesv)(n, nrhs, THTensor_(data)(wa), n, ipiv, THTensor_(data)(wb), n, &info);
  THFree(ipiv);
  if (info != 0) {
    THTensor_(free)(wa);
    THTensor_(free)(wb);
    TH_LAPACK_RAISE("gesv", info, "U(%d,%d) is zero, singular U.", info, info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
  THTensor_(lapackDeliver)(wb, rb_, same_b);
}

/* op(a) x = b for triangular a: rb_ = x, ra_ = a copy of a. */
void THTensor_(trtrs)(THTensor *rb_, THTensor *ra_, THTensor *b_, THTensor *a_, const char *uplo,
                      const char *trans, const char *diag)
{
  THTensor_(lapackRequire)();
  THTensor *a = a_ ? a_ : ra_, *b = b_ ? b_ : rb_;
  THTensor_(checkSquare)(a, 4, "A");
  THTensor_(checkRhs)(b, a->size[0], 3);
  THTensor_(checkDistinct)(ra_, rb_, 2);
  char ul = THTensor_(lapackOption)(uplo, "UL", 5, "uplo");
  char tr = THTensor_(lapackOption)(trans, "NTC", 6, "trans");
  char dg = THTensor_(lapackOption)(diag, "NU", 7, "diag");
  int n = (int)a->size[0];
  int same_a = ra_ == a, same_b = THTensor_(sameRhs)(rb_, b);

  THTensor *wa = THTensor_(newColMajorCopy)(a, n), *wb = THTensor_(newColMajorCopy)(b, n);
  int nrhs = (int)wb->size[1], info = 0;
  THLapack_(trtrs)(ul, tr, dg, n, nrhs, THTensor_(data)(wa), n, THTensor_(data)(wb), n, &info);
  if (info != 0) {
    THTensor_(free)(wa);
    THTensor_(free)(wb);
    TH_LAPACK_RAISE("trtrs", info, "A(%d,%d) is zero, singular A.", info, info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
  THTensor_(lapackDeliver)(wb, rb_, same_b);
}

/* Least squares (m >= n) or minimum norm (m < n) solution of a x = b, a of full rank:
 * rb_ = x, n x nrhs; ra_ = the QR (or LQ) factors of a.
 *
 * As upstream, LAPACK works on max(m, n) x nrhs; rb_ keeps that column-major storage and shows
 * its first n rows (strides (1, max(m, n)): for m > n the rows below hold the residuals). When
 * rb_ is b itself, it is resized to n x nrhs (its strides kept when that is its size already)
 * and given x; except that upstream solves in b itself, then only relabels its sizes, when b
 * is column-major with as many columns as rows (m >= n). */
void THTensor_(gels)(THTensor *rb_, THTensor *ra_, THTensor *b_, THTensor *a_)
{
  THTensor_(lapackRequire)();
  THTensor *a = a_ ? a_ : ra_, *b = b_ ? b_ : rb_;
  THTensor_(checkMatrix)(a, 4, "A");
  THTensor_(checkRhs)(b, a->size[0], 3);
  THTensor_(checkDistinct)(ra_, rb_, 2);
  int m = (int)a->size[0], n = (int)a->size[1], ldb = THMax(m, n), mn = THMin(m, n);
  int same_a = ra_ == a, same_b = THTensor_(sameRhs)(rb_, b);
  int in_b = same_b && m >= n && b->stride[0] == 1 && b->stride[1] == b->size[0] &&
             b->size[1] == ldb;

  THTensor *wa = THTensor_(newColMajorCopy)(a, m), *wb = THTensor_(newColMajorCopy)(b, ldb);
  int nrhs = (int)wb->size[1], info = 0;
  real *A = THTensor_(data)(wa), *B = THTensor_(data)(wb), query = 0;
  THLapack_(gels)('N', m, n, nrhs, A, m, B, ldb, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, mn + THMax(mn, nrhs));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(gels)('N', m, n, nrhs, A, m, B, ldb, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THTensor_(free)(wa);
    THTensor_(free)(wb);
    TH_LAPACK_RAISE("gels",
                    info, "the %d-th diagonal element of the triangular factor of A is zero, so A "
                    "does not have full rank; the least squares solution could not be computed.",
                    info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
  if (rb_) {
    if (same_b && !in_b) {
      THTensor_(resize2d)(rb_, n, nrhs);
      THTensor *x = THTensor_(newNarrow)(wb, 0, 0, n);
      THTensor_(copy)(rb_, x);
      THTensor_(free)(x);
    } else {
      if (!same_b) THTensor_(colMajorLayout)(rb_, ldb, nrhs);
      THTensor_(copy)(rb_, wb);
      THTensor_(resizeNd)(rb_, 2, (long[]){n, nrhs}, (long[]){rb_->stride[0], rb_->stride[1]});
    }
  }
  THTensor_(free)(wb);
}

/* ---- eigenvalues and singular values --------------------------------------------------- */

/* Symmetric a (only the `uplo` triangle is read): re_ = eigenvalues in ascending order, rv_ =
 * the orthonormal eigenvectors in its columns when jobz is "V" (with "N", LAPACK's scratch). */
void THTensor_(syev)(THTensor *re_, THTensor *rv_, THTensor *a_, const char *jobz, const char *uplo)
{
  THTensor_(lapackRequire)();
  THTensor *a = a_ ? a_ : rv_;
  THTensor_(checkResult)(re_, 1);
  THTensor_(checkDistinct)(rv_, re_, 2);
  THTensor_(checkSquare)(a, 3, "A");
  char jz = THTensor_(lapackOption)(jobz, "NV", 4, "jobz");
  char ul = THTensor_(lapackOption)(uplo, "UL", 5, "uplo");
  int n = (int)a->size[0], same_v = rv_ == a;

  THTensor *wv = THTensor_(newColMajorCopy)(a, n);
  real *w = THTensor_(lapackAlloc)(n), *A = THTensor_(data)(wv), query = 0;
  int info = 0;
  THLapack_(syev)(jz, ul, n, A, n, w, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, 3 * (long)n - 1);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(syev)(jz, ul, n, A, n, w, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THFree(w);
    THTensor_(free)(wv);
    TH_LAPACK_RAISE("syev", info,
                    "the algorithm failed to converge; %d off-diagonal elements of an "
                    "intermediate tridiagonal form did not converge to zero.", info);
  }
  THTensor_(lapackDeliver)(wv, rv_, same_v);
  THTensor_(lapackStoreVector)(re_, w, n);
  THFree(w);
}

/* General square a: re_ = the eigenvalues as n x 2 (real part, imaginary part), rv_ = the right
 * eigenvectors when jobvr is "V", in LAPACK's form: a complex pair (j, j+1) has the vectors
 * rv_[:, j] +- i rv_[:, j+1]. With "N" (or "n"), rv_ is left alone. Upstream tests for the
 * vectors with an upper-case 'V' only (a lower-case one makes it hand LAPACK no room for them),
 * so "v" is refused. */
void THTensor_(geev)(THTensor *re_, THTensor *rv_, THTensor *a_, const char *jobvr)
{
  THTensor_(lapackRequire)();
  THTensor_(checkResult)(re_, 1);
  THTensor_(checkDistinct)(rv_, re_, 2);
  THTensor_(checkSquare)(a_, 3, "A");
  char jv = jobvr ? jobvr[0] : '\0';
  THArgCheck(jv == 'V' || jv == 'N' || jv == 'n', 4,
             "jobvr should be \"N\" or \"V\", got \"%s\"", jobvr ? jobvr : "(null)");
  if (jv == 'n') jv = 'N';
  if (jv == 'V') THTensor_(checkResult)(rv_, 2);
  int n = (int)a_->size[0];

  THTensor *wa = THTensor_(newColMajorCopy)(a_, n);
  THTensor *wv = jv == 'V' ? THTensor_(newColMajor)(n, n) : NULL;
  real *wr = THTensor_(lapackAlloc)(2 * (long)n), *wi = wr + n, query = 0, dummy = 0;
  real *A = THTensor_(data)(wa), *V = wv ? THTensor_(data)(wv) : &dummy;
  int ldv = wv ? n : 1, info = 0;
  THLapack_(geev)('N', jv, n, A, n, wr, wi, &dummy, 1, V, ldv, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, (jv == 'V' ? 4 : 3) * (long)n);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(geev)('N', jv, n, A, n, wr, wi, &dummy, 1, V, ldv, work, lwork, &info);
    THFree(work);
  }
  THTensor_(free)(wa);
  if (info != 0) {
    THFree(wr);
    if (wv) THTensor_(free)(wv);
    TH_LAPACK_RAISE("geev", info,
                    "the QR algorithm failed to compute all the eigenvalues (those from %d on "
                    "converged); no eigenvectors have been computed.", info + 1);
  }
  if (wv) THTensor_(lapackDeliver)(wv, rv_, 0);
  THTensor_(resize2d)(re_, n, 2);
  real *e = THTensor_(data)(re_);
  for (long i = 0; i < n; i++) {
    e[i * re_->stride[0]] = wr[i];
    e[i * re_->stride[0] + re_->stride[1]] = wi[i];
  }
  THFree(wr);
}

/* a = U diag(S) V^T: ru_ = U, rs_ = S (descending), rv_ = V (not V^T), ra_ = LAPACK's scratch
 * copy of a (may be NULL). jobu "A": U is m x m and V n x n; "S": U is m x k and V n x k,
 * k = min(m, n); "N": only S. Layouts as upstream's: U column-major (upstream's layout for a
 * result, with U's rows-by-columns transposed sizes as the starting point), V row-major (it is
 * V^T column-major, copied into rv_ as upstream resizes it); with "N" U keeps the contents it
 * had (upstream: whatever its memory held) and V is n x n zeros (upstream: uninitialised). */
static void THTensor_(svd)(THTensor *ru_, THTensor *rs_, THTensor *rv_, THTensor *ra_, THTensor *a,
                           const char *jobu, int argA)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkResult)(rs_, 2);
  THTensor_(checkMatrix)(a, argA, "A");
  char job = THTensor_(lapackOption)(jobu, "ASN", argA + 1, "jobu");
  if (job != 'N') {
    THTensor_(checkResult)(ru_, 1);
    THTensor_(checkResult)(rv_, 3);
  }
  THTensor_(checkDistinct)(ru_, rs_, 2);
  THTensor_(checkDistinct)(ru_, rv_, 3);
  THTensor_(checkDistinct)(rs_, rv_, 3);
  THTensor_(checkDistinct)(ra_, ru_, 4);
  THTensor_(checkDistinct)(ra_, rs_, 4);
  THTensor_(checkDistinct)(ra_, rv_, 4);
  int m = (int)a->size[0], n = (int)a->size[1], k = THMin(m, n), same_a = ra_ == a;
  long ucols = job == 'A' ? m : k, vcols = job == 'S' ? k : n;

  THTensor *wa = THTensor_(newColMajorCopy)(a, m);
  THTensor *wu = THTensor_(newColMajor)(m, ucols);
  /* V^T column-major with leading dimension n: V row-major */
  THTensor *wvt = THTensor_(new)();
  THTensor_(resize2d)(wvt, n, n);
  THTensor_(zero)(wvt);
  real *s = THTensor_(lapackAlloc)(k), query = 0;
  real *A = THTensor_(data)(wa), *U = THTensor_(data)(wu), *VT = THTensor_(data)(wvt);
  int info = 0;
  THLapack_(gesvd)(job, job, m, n, A, m, s, U, m, VT, n, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, THMax(3 * k + THMax(m, n), 5 * k));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(gesvd)(job, job, m, n, A, m, s, U, m, VT, n, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THFree(s);
    THTensor_(free)(wa);
    THTensor_(free)(wu);
    THTensor_(free)(wvt);
    TH_LAPACK_RAISE("gesvd", info,
                    "%d superdiagonals of an intermediate bidiagonal form did not converge to "
                    "zero.", info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
  if (ru_) {
    /* upstream sizes U as ucols x m, transposes it when contiguous, and lets LAPACK write it
     * directly (leading dimension m) when it then has strides (1, rows); else copies it in */
    if (ru_->nDimension != 2 || ru_->size[0] != ucols || ru_->size[1] != m)
      THTensor_(resizeNd)(ru_, 2, (long[]){ucols, m}, NULL);
    if (THTensor_(isContiguous)(ru_)) THTensor_(transpose)(ru_, NULL, 0, 1);
    if (job != 'N') {
      if (ru_->stride[0] == 1 && ru_->stride[1] == ru_->size[0]) {
        real *d = THTensor_(data)(ru_);
        for (long i = 0; i < m * ucols; i++) d[i] = U[i];
      } else {
        THTensor_(copy)(ru_, wu);
      }
    }
  }
  THTensor_(free)(wu);
  if (rv_) {
    THTensor *v = THTensor_(newNarrow)(wvt, 1, 0, vcols);
    THTensor_(resizeAs)(rv_, v);
    THTensor_(copy)(rv_, v);
    THTensor_(free)(v);
  }
  THTensor_(free)(wvt);
  THTensor_(lapackStoreVector)(rs_, s, k);
  THFree(s);
}

void THTensor_(gesvd)(THTensor *ru_, THTensor *rs_, THTensor *rv_, THTensor *a, const char *jobu)
{
  THTensor_(checkMatrix)(a, 4, "A");
  THTensor_(svd)(ru_, rs_, rv_, NULL, a, jobu, 4);
}

void THTensor_(gesvd2)(THTensor *ru_, THTensor *rs_, THTensor *rv_, THTensor *ra_, THTensor *a,
                       const char *jobu)
{
  THTensor_(svd)(ru_, rs_, rv_, ra_, a, jobu, 5);
}

/* ---- inverse and Cholesky -------------------------------------------------------------- */

/* ra_ = the inverse of square a, through its LU factorization. */
void THTensor_(getri)(THTensor *ra_, THTensor *a)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkSquare)(a, 2, "A");
  int n = (int)a->size[0], same_a = ra_ == a;

  THTensor *wa = THTensor_(newColMajorCopy)(a, n);
  real *A = THTensor_(data)(wa), query = 0;
  int *ipiv = THAlloc((ptrdiff_t)sizeof(int) * n);
  int info = 0;
  THLapack_(getrf)(n, n, A, n, ipiv, &info);
  if (info == 0) THLapack_(getri)(n, A, n, ipiv, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, n);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(getri)(n, A, n, ipiv, work, lwork, &info);
    THFree(work);
  }
  THFree(ipiv);
  if (info != 0) {
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("getri", info, "U(%d,%d) is zero, singular U: the matrix is not invertible.",
                    info, info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
}

/* Cholesky factor of symmetric positive definite a: a = U^T U ("U") or L L^T ("L"); the other
 * triangle of ra_ is zero (with "u" or "l", as upstream, it keeps a's values). */
void THTensor_(potrf)(THTensor *ra_, THTensor *a, const char *uplo)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkSquare)(a, 2, "A");
  char ul = THTensor_(lapackOption)(uplo, "UL", 3, "uplo");
  int n = (int)a->size[0], same_a = ra_ == a;

  THTensor *wa = THTensor_(newColMajorCopy)(a, n);
  int info = 0;
  THLapack_(potrf)(ul, n, THTensor_(data)(wa), n, &info);
  if (info != 0) {
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("potrf", info,
                    "the leading minor of order %d is not positive definite, the factorization "
                    "could not be completed.", info);
  }
  if (THTensor_(upstreamTriangle)(uplo)) THTensor_(clearTriangle)(THTensor_(data)(wa), n, ul);
  THTensor_(lapackDeliver)(wa, ra_, same_a);
}

/* a x = b, a symmetric positive definite given by its Cholesky factor a_ (as potrf makes it
 * with the same uplo): rb_ = x. */
void THTensor_(potrs)(THTensor *rb_, THTensor *b_, THTensor *a_, const char *uplo)
{
  THTensor_(lapackRequire)();
  THTensor *b = b_ ? b_ : rb_;
  THTensor_(checkSquare)(a_, 3, "A");
  THTensor_(checkRhs)(b, a_->size[0], 2);
  char ul = THTensor_(lapackOption)(uplo, "UL", 4, "uplo");
  int n = (int)a_->size[0], same_b = THTensor_(sameRhs)(rb_, b);

  THTensor *wa = THTensor_(newColMajorCopy)(a_, n), *wb = THTensor_(newColMajorCopy)(b, n);
  int nrhs = (int)wb->size[1], info = 0;
  THLapack_(potrs)(ul, n, nrhs, THTensor_(data)(wa), n, THTensor_(data)(wb), n, &info);
  THTensor_(free)(wa);
  if (info != 0) {
    THTensor_(free)(wb);
    TH_LAPACK_RAISE("potrs", info, "failed with info %d.", info);
  }
  THTensor_(lapackDeliver)(wb, rb_, same_b);
}

/* ra_ = the inverse of the symmetric positive definite matrix whose Cholesky factor is a (as
 * potrf makes it with the same uplo), both triangles filled (with "u" or "l", as upstream, only
 * the uplo triangle is: the other keeps a's values). */
void THTensor_(potri)(THTensor *ra_, THTensor *a, const char *uplo)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkSquare)(a, 2, "A");
  char ul = THTensor_(lapackOption)(uplo, "UL", 3, "uplo");
  int n = (int)a->size[0], same_a = ra_ == a;

  THTensor *wa = THTensor_(newColMajorCopy)(a, n);
  int info = 0;
  THLapack_(potri)(ul, n, THTensor_(data)(wa), n, &info);
  if (info != 0) {
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("potri", info, "A(%d,%d) is zero, singular A: the inverse could not be "
                    "computed.", info, info);
  }
  if (THTensor_(upstreamTriangle)(uplo)) THTensor_(mirrorTriangle)(THTensor_(data)(wa), n, ul);
  THTensor_(lapackDeliver)(wa, ra_, same_a);
}

/* Cholesky with complete pivoting of symmetric positive semidefinite a: with p = rpiv_ - 1
 * (rpiv_ holds LAPACK's 1-based pivots), a[p][:, p] = U^T U ("U") or L L^T ("L"). tol < 0
 * asks for LAPACK's default tolerance. A rank deficient matrix is an error, as upstream. */
void THTensor_(pstrf)(THTensor *ra_, THIntTensor *rpiv_, THTensor *a, const char *uplo, real tol)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkResult)(rpiv_, 2);
  THTensor_(checkSquare)(a, 3, "A");
  char ul = THTensor_(lapackOption)(uplo, "UL", 4, "uplo");
  int n = (int)a->size[0], same_a = ra_ == a;

  THTensor *wa = THTensor_(newColMajorCopy)(a, n);
  int *piv = THAlloc((ptrdiff_t)sizeof(int) * n);
  real *work = THTensor_(lapackAlloc)(2 * (long)n);
  int rank = 0, info = 0;
  THLapack_(pstrf)(ul, n, THTensor_(data)(wa), n, piv, &rank, tol, work, &info);
  THFree(work);
  if (info != 0) {
    THFree(piv);
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("pstrf", info, "the matrix is rank deficient (computed rank %d of %d) or "
                    "not positive semidefinite.", rank, n);
  }
  THIntTensor_resize1d(rpiv_, n);
  THTensor_(lapackStoreInts)(rpiv_, 0, piv, n);
  THFree(piv);
  if (THTensor_(upstreamTriangle)(uplo)) THTensor_(clearTriangle)(THTensor_(data)(wa), n, ul);
  THTensor_(lapackDeliver)(wa, ra_, same_a);
}

/* ---- QR -------------------------------------------------------------------------------- */

/* LAPACK's QR factorization of m x n a: ra_ = R on and above the diagonal, the Householder
 * vectors below it; rtau_ = their k = min(m, n) scale factors. */
void THTensor_(geqrf)(THTensor *ra_, THTensor *rtau_, THTensor *a)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkResult)(rtau_, 2);
  THTensor_(checkDistinct)(ra_, rtau_, 2);
  THTensor_(checkMatrix)(a, 3, "A");
  int m = (int)a->size[0], n = (int)a->size[1], k = THMin(m, n), same_a = ra_ == a;

  THTensor *wa = THTensor_(newColMajorCopy)(a, m);
  real *A = THTensor_(data)(wa), *tau = THTensor_(lapackAlloc)(k), query = 0;
  int info = 0;
  THLapack_(geqrf)(m, n, A, m, tau, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, n);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(geqrf)(m, n, A, m, tau, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THFree(tau);
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("geqrf", info, "failed with info %d.", info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
  THTensor_(lapackStoreVector)(rtau_, tau, k);
  THFree(tau);
}

/* Q from geqrf's (a, tau), k = tau's length <= min(m, n): ra_ is m x n (a's sizes) with the
 * first k columns of Q = H(1) ... H(k) in its first k columns and a's own values in the others,
 * as upstream (LAPACK's orgqr(m, k, k) on a copy of a). */
void THTensor_(orgqr)(THTensor *ra_, THTensor *a, THTensor *tau)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkMatrix)(a, 2, "A");
  THTensor_(checkVector)(tau, 3, "tau");
  int m = (int)a->size[0], n = (int)a->size[1], same_a = ra_ == a;
  THArgCheck(tau->size[0] <= THMin(m, n), 3,
             "tau has %ld elements, A (%d x %d) has at most %d reflectors", tau->size[0], m, n,
             THMin(m, n));
  int k = (int)tau->size[0];

  real *t = THTensor_(lapackVector)(tau);
  THTensor *wa = THTensor_(newColMajorCopy)(a, m);
  real *A = THTensor_(data)(wa), query = 0;
  int info = 0;
  THLapack_(orgqr)(m, k, k, A, m, t, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, k);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(orgqr)(m, k, k, A, m, t, work, lwork, &info);
    THFree(work);
  }
  THFree(t);
  if (info != 0) {
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("orgqr", info, "failed with info %d.", info);
  }
  THTensor_(lapackDeliver)(wa, ra_, same_a);
}

/* ra_ = Q c, Q^T c (side "L") or c Q, c Q^T (side "R"), trans "N" or "T", where Q = H(1) ...
 * H(k) comes from geqrf's (a, tau) without being formed, k = tau's length.
 *
 * As upstream, the reflectors are read from a's memory as LAPACK takes it, whatever a's sizes
 * and strides: column j is the nq elements from a's first element + j * lda, nq = Q's order
 * (m for side "L", n for "R") and lda = m for side "L" (upper case) and n otherwise. geqrf's
 * own result is laid out so. Memory beyond a's storage is refused. */
void THTensor_(ormqr)(THTensor *ra_, THTensor *a, THTensor *tau, THTensor *c, const char *side,
                      const char *trans)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  if (!c) c = ra_;
  THTensor_(checkMatrix)(a, 2, "A");
  THTensor_(checkVector)(tau, 3, "tau");
  THTensor_(checkMatrix)(c, 4, "C");
  char sd = THTensor_(lapackOption)(side, "LR", 5, "side");
  char tr = THTensor_(lapackOption)(trans, "NT", 6, "trans");
  int m = (int)c->size[0], n = (int)c->size[1], nq = sd == 'L' ? m : n;
  int lda = side[0] == 'L' ? m : n, same_c = ra_ == c;
  THArgCheck(tau->size[0] <= nq, 3, "tau has %ld elements, Q is %d x %d", tau->size[0], nq, nq);
  int k = (int)tau->size[0];
  THArgCheck(lda >= nq, 5, "side \"%s\" reads A with leading dimension %d, below Q's order %d",
             side, lda, nq);
  long need = k > 0 ? a->storageOffset + (long)(k - 1) * lda + nq : 0;
  THArgCheck(k == 0 || (a->storage && need <= a->storage->size), 2,
             "A's memory holds %ld elements from its first one, the %d reflectors (leading "
             "dimension %d) need %ld", a->storage ? a->storage->size - a->storageOffset : 0L, k,
             lda, need - a->storageOffset);

  /* the reflectors and tau first: ra_ may be a */
  real *V = THTensor_(lapackAlloc)((long)nq * k), *t = THTensor_(lapackVector)(tau);
  if (k > 0) {
    const real *ad = THTensor_(data)(a);
    for (long j = 0; j < k; j++)
      for (long i = 0; i < nq; i++) V[i + j * nq] = ad[i + j * lda];
  }
  THTensor *wc = THTensor_(newColMajorCopy)(c, m);
  real *C = THTensor_(data)(wc), query = 0;
  int info = 0;
  THLapack_(ormqr)(sd, tr, m, n, k, V, THMax(nq, 1), t, C, m, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, sd == 'L' ? n : m);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(ormqr)(sd, tr, m, n, k, V, THMax(nq, 1), t, C, m, work, lwork, &info);
    THFree(work);
  }
  THFree(V);
  THFree(t);
  if (info != 0) {
    THTensor_(free)(wc);
    TH_LAPACK_RAISE("ormqr", info, "failed with info %d.", info);
  }
  THTensor_(lapackDeliver)(wc, ra_, same_c);
}

/* a = Q R for m x n a, k = min(m, n): rq_ = Q (m x k, orthonormal columns), rr_ = R (k x n,
 * upper triangular). As upstream: rr_ is resized to k x n (its strides kept when that is its
 * size already); rq_ takes the layout of an m x n result, holds orgqr's whole m x n output and
 * shows its first k columns. */
void THTensor_(qr)(THTensor *rq_, THTensor *rr_, THTensor *a)
{
  THTensor_(lapackRequire)();
  THTensor_(checkResult)(rq_, 1);
  THTensor_(checkResult)(rr_, 2);
  THTensor_(checkMatrix)(a, 3, "A");
  THTensor_(checkDistinct)(rq_, rr_, 2);
  int m = (int)a->size[0], n = (int)a->size[1], k = THMin(m, n);

  THTensor *wa = THTensor_(newColMajorCopy)(a, m);
  real *A = THTensor_(data)(wa), *tau = THTensor_(lapackAlloc)(k), query = 0;
  int info = 0;
  THLapack_(geqrf)(m, n, A, m, tau, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, n);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(geqrf)(m, n, A, m, tau, work, lwork, &info);
    THFree(work);
  }
  THTensor *r = NULL;
  if (info == 0) {
    /* R before orgqr overwrites the factors */
    r = THTensor_(newColMajor)(k, n);
    real *R = THTensor_(data)(r);
    for (long j = 0; j < n; j++)
      for (long i = 0; i < k; i++) R[i + j * k] = j >= i ? A[i + j * (long)m] : 0;
    THLapack_(orgqr)(m, k, k, A, m, tau, &query, -1, &info);
  }
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, k);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(orgqr)(m, k, k, A, m, tau, work, lwork, &info);
    THFree(work);
  }
  THFree(tau);
  if (info != 0) {
    THTensor_(free)(wa);
    if (r) THTensor_(free)(r);
    TH_LAPACK_RAISE("qr", info, "failed with info %d.", info);
  }
  THTensor_(resize2d)(rr_, k, n);
  THTensor_(copy)(rr_, r);
  THTensor_(free)(r);
  THTensor_(lapackDeliver)(wa, rq_, 0);
  THTensor_(narrow)(rq_, NULL, 1, 0, k);
}

/* ---- batched LU ------------------------------------------------------------------------ */

/* The batch t (B x rows x cols) in a new tensor, each matrix column-major, one after the other. */
static THTensor *THTensor_(newBatchColMajorCopy)(THTensor *t, long rows, long cols)
{
  THTensor *w = THTensor_(new)();
  long size[3] = {t->size[0], rows, cols}, stride[3] = {rows * cols, 1, rows};
  THTensor_(resizeNd)(w, 3, size, stride);
  THTensor_(copy)(w, t);
  return w;
}

/* Writes the work w into result r as upstream leaves it: r resized as `like` (its strides kept
 * when it has those sizes already) unless r is `like` itself; then w's values. Frees w. */
static void THTensor_(lapackDeliverAs)(THTensor *w, THTensor *r, THTensor *like)
{
  if (r) {
    if (r != like) THTensor_(resizeAs)(r, like);
    THTensor_(copy)(r, w);
  }
  THTensor_(free)(w);
}

/* LU factorization with partial pivoting of each n x n matrix of the batch a (B x n x n):
 * ra_[b] = L + U - I (L unit lower triangular), rpivots_[b] = LAPACK's 1-based row exchanges.
 * rinfo_ (may be NULL) receives each INFO; without it a singular matrix is an error, raised
 * after ra_ has received the batch as far as it went (as upstream). ra_ is resized as a (a
 * contiguous result is row-major). Upstream has no LU without pivoting on the CPU: pivot = 0
 * is an error. */
void THTensor_(btrifact)(THTensor *ra_, THIntTensor *rpivots_, THIntTensor *rinfo_, int pivot,
                         THTensor *a)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkResult)(rpivots_, 2);
  THArgCheck(a != NULL && a->nDimension == 3, 5, "A should be 3-dimensional (a batch of matrices), "
             "got %dD", a ? a->nDimension : 0);
  if (!pivot) THError("btrifact without pivoting is not implemented on the CPU");
  THArgCheck(a->size[1] == a->size[2], 5, "the matrices should be square, got %ld x %ld",
             a->size[1], a->size[2]);
  THArgCheck(a->size[1] <= INT_MAX, 5, "the matrices are too large for LAPACK");
  long batches = a->size[0], n = a->size[1];

  THTensor *w = THTensor_(newBatchColMajorCopy)(a, n, n);
  THIntTensor_resize2d(rpivots_, batches, n);
  if (rinfo_) THIntTensor_resize1d(rinfo_, batches);
  int *ipiv = THAlloc((ptrdiff_t)sizeof(int) * n);
  int info = 0;
  long b = 0;
  for (; b < batches; b++) {
    THLapack_(getrf)((int)n, (int)n, THTensor_(data)(w) + b * n * n, (int)n, ipiv, &info);
    THTensor_(lapackStoreInts)(rpivots_, b, ipiv, n);
    if (rinfo_)
      THIntTensor_data(rinfo_)[b * rinfo_->stride[0]] = info;
    else if (info != 0)
      break;
  }
  THFree(ipiv);
  THTensor_(lapackDeliverAs)(w, ra_, a);
  if (!rinfo_ && info != 0)
    TH_LAPACK_RAISE("btrifact", info, "failed to factorize batch element %ld (info == %d): "
                    "U(%d,%d) is zero, singular U.", b, info, info, info);
}

/* Solves a[b] x = b[b] for each element of the batch, from btrifact's (atf, pivots): rb_ = x,
 * resized as b (B x n, or B x n x nrhs). As upstream, the pivots must be contiguous. */
void THTensor_(btrisolve)(THTensor *rb_, THTensor *b, THTensor *atf, THIntTensor *pivots)
{
  THTensor_(lapackRequire)();
  if (!b) b = rb_;
  THArgCheck(atf != NULL && atf->nDimension == 3, 3, "the LU factors should be 3-dimensional, "
             "got %dD", atf ? atf->nDimension : 0);
  THArgCheck(b != NULL && (b->nDimension == 2 || b->nDimension == 3), 2,
             "B should be 2- or 3-dimensional, got %dD", b ? b->nDimension : 0);
  THArgCheck(atf->size[1] == atf->size[2], 3, "the LU factors should be square, got %ld x %ld",
             atf->size[1], atf->size[2]);
  THArgCheck(atf->size[1] <= INT_MAX, 3, "the matrices are too large for LAPACK");
  long batches = atf->size[0], n = atf->size[1];
  THArgCheck(b->size[0] == batches, 2, "B has %ld batch elements, the LU factors %ld", b->size[0],
             batches);
  THArgCheck(b->size[1] == n, 2, "B has %ld rows, the matrices are %ld x %ld", b->size[1], n, n);
  THArgCheck(b->nDimension == 2 || b->size[2] <= INT_MAX, 2, "B is too large for LAPACK");
  THArgCheck(pivots != NULL, 4, "pivots expected, got NULL");
  if (!THIntTensor_isContiguous(pivots)) THError("btrisolve: the pivots are not contiguous");
  THArgCheck(pivots->nDimension == 2 && pivots->size[0] == batches && pivots->size[1] == n, 4,
             "pivots should be %ld x %ld", batches, n);
  /* getrs trusts the pivots: out of range ones would make it write out of bounds */
  int *pd = THIntTensor_data(pivots);
  for (long i = 0; i < batches * n; i++)
    THArgCheck(pd[i] >= 1 && pd[i] <= n, 4, "pivot %d of batch element %ld is out of range 1..%ld",
               pd[i], i / n + TH_INDEX_BASE, n);
  long nrhs = b->nDimension == 3 ? b->size[2] : 1;

  THTensor *w = THTensor_(newBatchColMajorCopy)(b, n, nrhs);
  THTensor *lu = THTensor_(newBatchColMajorCopy)(atf, n, n);
  int info = 0;
  for (long i = 0; i < batches && info == 0; i++)
    THLapack_(getrs)('N', (int)n, (int)nrhs, THTensor_(data)(lu) + i * n * n, (int)n, pd + i * n,
                     THTensor_(data)(w) + i * n * nrhs, (int)n, &info);
  THTensor_(free)(lu);
  if (info != 0) {
    THTensor_(free)(w);
    TH_LAPACK_RAISE("btrisolve", info, "failed with info %d.", info);
  }
  THTensor_(lapackDeliverAs)(w, rb_, b);
}

#undef TH_LAPACK_RAISE

#endif
