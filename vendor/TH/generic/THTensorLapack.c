/* generic/THTensorLapack.c: linear algebra on tensors through LAPACK, for Float and Double.
 *
 * As upstream Torch7: results come first and are resized; LAPACK works on column-major copies,
 * so the inputs stay as they were. A result that shares no memory with an input is itself the
 * column-major work matrix (it keeps that layout, stride (1, rows)); otherwise the work is done
 * in a new tensor that is copied into the result at the end. An input given as NULL, or the
 * same tensor as its result, is worked on in place when its layout allows.
 *
 * Order inside each function, so that an error leaks nothing: check every argument, take the
 * results that can be written directly (resizing them may raise), allocate, call LAPACK, and
 * free the work memory before raising on a bad INFO. */
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

/* The option letter (any case) that the first character of s names, if `allowed` has it. */
static char THTensor_(lapackOption)(const char *s, const char *allowed, int arg, const char *name)
{
  char c = s ? s[0] : '\0';
  if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
  THArgCheck(c != '\0' && strchr(allowed, c) != NULL, arg,
             "%s should be one of the letters %s, got \"%s\"", name, allowed, s ? s : "(null)");
  return c;
}

/* ---- work matrices --------------------------------------------------------------------- */

static int THTensor_(sharesStorage)(THTensor *a, THTensor *b)
{
  return a && b && a->storage && a->storage == b->storage;
}

/* The sizes and the strides (those of dimensions longer than 1: no other is ever stepped). */
static int THTensor_(hasGeometry)(THTensor *t, int nd, const long *size, const long *stride)
{
  if (t->nDimension != nd) return 0;
  for (int d = 0; d < nd; d++)
    if (t->size[d] != size[d] || (size[d] > 1 && t->stride[d] != stride[d])) return 0;
  return 1;
}

static int THTensor_(hasSizes)(THTensor *t, int nd, const long *size)
{
  if (t->nDimension != nd) return 0;
  for (int d = 0; d < nd; d++)
    if (t->size[d] != size[d]) return 0;
  return 1;
}

/* The result itself, given the work layout, when LAPACK may write it directly: it shares no
 * memory with an input still to be read, and it does not have the result's sizes already with
 * other strides (a view the caller wants written through; restriding it would write around
 * it). NULL when a new tensor must be used instead. */
static THTensor *THTensor_(lapackTake)(THTensor *result, int nd, long *size, long *stride,
                                       THTensor *in1, THTensor *in2)
{
  if (!result || THTensor_(sharesStorage)(result, in1) || THTensor_(sharesStorage)(result, in2))
    return NULL;
  if (THTensor_(hasSizes)(result, nd, size) && !THTensor_(hasGeometry)(result, nd, size, stride))
    return NULL;
  THTensor_(resizeNd)(result, nd, size, stride);
  return result;
}

static THTensor *THTensor_(lapackNew)(int nd, long *size, long *stride)
{
  THTensor *t = THTensor_(new)();
  THTensor_(resizeNd)(t, nd, size, stride);
  return t;
}

/* The work tensor holding a copy of src: w (a taken result) or, when w is NULL, src itself if it
 * is `result` and already has the layout (LAPACK then works in place), else a new tensor. */
static THTensor *THTensor_(lapackFill)(THTensor *w, THTensor *src, THTensor *result, int nd,
                                       long *size, long *stride)
{
  if (!w && src == result && THTensor_(hasGeometry)(src, nd, size, stride)) return src;
  if (!w) w = THTensor_(lapackNew)(nd, size, stride);
  THTensor_(copy)(w, src);
  return w;
}

/* Column-major rows x cols with leading dimension rows: what LAPACK takes. */
#define TH_COLMAJOR(rows, cols) 2, (long[]){(rows), (cols)}, (long[]){1, (rows)}

/* The column-major work matrix for src with `rows` >= src's rows; the rows below src are 0. */
static THTensor *THTensor_(lapackFillRows)(THTensor *w, THTensor *src, THTensor *result, long rows)
{
  long m = src->size[0], n = src->size[1];
  if (rows == m) return THTensor_(lapackFill)(w, src, result, TH_COLMAJOR(rows, n));
  if (!w) w = THTensor_(lapackNew)(TH_COLMAJOR(rows, n));
  real *d = THTensor_(data)(w);
  for (long i = 0; i < rows * n; i++) d[i] = 0;
  THTensor *top = THTensor_(newNarrow)(w, 0, 0, m);
  THTensor_(copy)(top, src);
  THTensor_(free)(top);
  return w;
}

/* Hands the work tensor back to its result: copied there unless it is the result itself. */
static void THTensor_(lapackGive)(THTensor *w, THTensor *result)
{
  if (w == result) return;
  if (result) {
    THTensor_(resizeAs)(result, w);
    THTensor_(copy)(result, w);
  }
  THTensor_(free)(w);
}

/* Frees the work tensor on an error path. */
static void THTensor_(lapackDrop)(THTensor *w, THTensor *result)
{
  if (w && w != result) THTensor_(free)(w);
}

/* A read-only input as LAPACK takes it: t itself when column-major (*ld its leading dimension),
 * else a column-major copy. The caller frees the returned reference. */
static THTensor *THTensor_(lapackInput)(THTensor *t, int *ld)
{
  long m = t->size[0], n = t->size[1];
  if (t->stride[0] == 1 && (n == 1 || (t->stride[1] >= m && t->stride[1] <= INT_MAX))) {
    *ld = n == 1 ? (int)m : (int)t->stride[1];
    THTensor_(retain)(t);
    return t;
  }
  *ld = (int)m;
  return THTensor_(lapackFill)(NULL, t, NULL, TH_COLMAJOR(m, n));
}

/* b as a matrix: b itself (a new reference) when 2-d, else a one-column view. */
static THTensor *THTensor_(newMatrixView)(THTensor *b)
{
  if (b->nDimension == 2) {
    THTensor_(retain)(b);
    return b;
  }
  return THTensor_(newWithStorage2d)(b->storage, b->storageOffset, b->size[0], b->stride[0], 1, 1);
}

/* The workspace size of an lwork = -1 query, with a little slack for float's rounding. */
static int THTensor_(lapackLwork)(real query, long least)
{
  double q = ceil((double)query * (1.0 + 1e-6));
  long l = q >= (double)INT_MAX ? INT_MAX : (long)q;
  return (int)THMax(l, least);
}

static real *THTensor_(lapackAlloc)(long n)
{
  return (real *)THAlloc((ptrdiff_t)sizeof(real) * THMax(n, 1));
}

/* A 1-d result from a buffer (results of length n are written after the work is done). */
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

/* a x = b for square a: rb_ = x (n x nrhs), ra_ = the LU factors of a. */
void THTensor_(gesv)(THTensor *rb_, THTensor *ra_, THTensor *b_, THTensor *a_)
{
  THTensor_(lapackRequire)();
  if (!a_) a_ = ra_;
  if (!b_) b_ = rb_;
  THTensor_(checkSquare)(a_, 4, "A");
  THTensor_(checkRhs)(b_, a_->size[0], 3);
  THTensor_(checkDistinct)(ra_, rb_, 2);
  int n = (int)a_->size[0], nrhs = b_->nDimension == 2 ? (int)b_->size[1] : 1;

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(n, n), a_, b_);
  THTensor *wb = THTensor_(lapackTake)(rb_, TH_COLMAJOR(n, nrhs), a_, b_);
  THTensor *b = THTensor_(newMatrixView)(b_);
  wa = THTensor_(lapackFill)(wa, a_, ra_, TH_COLMAJOR(n, n));
  wb = THTensor_(lapackFill)(wb, b, rb_, TH_COLMAJOR(n, nrhs));
  THTensor_(free)(b);
  int *ipiv = THAlloc((ptrdiff_t)sizeof(int) * n);
  int info = 0;
  THLapack_(gesv)(n, nrhs, THTensor_(data)(wa), n, ipiv, THTensor_(data)(wb), n, &info);
  THFree(ipiv);
  if (info != 0) {
    THTensor_(lapackDrop)(wa, ra_);
    THTensor_(lapackDrop)(wb, rb_);
    TH_LAPACK_RAISE("gesv", info, "U(%d,%d) is zero, singular U.", info, info);
  }
  THTensor_(lapackGive)(wa, ra_);
  THTensor_(lapackGive)(wb, rb_);
}

/* op(a) x = b for triangular a: rb_ = x, ra_ = a copy of a. */
void THTensor_(trtrs)(THTensor *rb_, THTensor *ra_, THTensor *b_, THTensor *a_, const char *uplo,
                      const char *trans, const char *diag)
{
  THTensor_(lapackRequire)();
  if (!a_) a_ = ra_;
  if (!b_) b_ = rb_;
  THTensor_(checkSquare)(a_, 4, "A");
  THTensor_(checkRhs)(b_, a_->size[0], 3);
  THTensor_(checkDistinct)(ra_, rb_, 2);
  char ul = THTensor_(lapackOption)(uplo, "UL", 5, "uplo");
  char tr = THTensor_(lapackOption)(trans, "NTC", 6, "trans");
  char dg = THTensor_(lapackOption)(diag, "NU", 7, "diag");
  int n = (int)a_->size[0], nrhs = b_->nDimension == 2 ? (int)b_->size[1] : 1;

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(n, n), a_, b_);
  THTensor *wb = THTensor_(lapackTake)(rb_, TH_COLMAJOR(n, nrhs), a_, b_);
  THTensor *b = THTensor_(newMatrixView)(b_);
  wa = THTensor_(lapackFill)(wa, a_, ra_, TH_COLMAJOR(n, n));
  wb = THTensor_(lapackFill)(wb, b, rb_, TH_COLMAJOR(n, nrhs));
  THTensor_(free)(b);
  int info = 0;
  THLapack_(trtrs)(ul, tr, dg, n, nrhs, THTensor_(data)(wa), n, THTensor_(data)(wb), n, &info);
  if (info != 0) {
    THTensor_(lapackDrop)(wa, ra_);
    THTensor_(lapackDrop)(wb, rb_);
    TH_LAPACK_RAISE("trtrs", info, "A(%d,%d) is zero, singular A.", info, info);
  }
  THTensor_(lapackGive)(wa, ra_);
  THTensor_(lapackGive)(wb, rb_);
}

/* Least squares (m >= n) or minimum norm (m < n) solution of a x = b, a of full rank:
 * rb_ is max(m, n) x nrhs with x in its first n rows; ra_ holds the QR (or LQ) factors. */
void THTensor_(gels)(THTensor *rb_, THTensor *ra_, THTensor *b_, THTensor *a_)
{
  THTensor_(lapackRequire)();
  if (!a_) a_ = ra_;
  if (!b_) b_ = rb_;
  THTensor_(checkMatrix)(a_, 4, "A");
  THTensor_(checkRhs)(b_, a_->size[0], 3);
  THTensor_(checkDistinct)(ra_, rb_, 2);
  int m = (int)a_->size[0], n = (int)a_->size[1], ldb = THMax(m, n);
  int nrhs = b_->nDimension == 2 ? (int)b_->size[1] : 1;

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(m, n), a_, b_);
  THTensor *wb = THTensor_(lapackTake)(rb_, TH_COLMAJOR(ldb, nrhs), a_, b_);
  THTensor *b = THTensor_(newMatrixView)(b_);
  wa = THTensor_(lapackFill)(wa, a_, ra_, TH_COLMAJOR(m, n));
  wb = THTensor_(lapackFillRows)(wb, b, rb_, ldb);
  THTensor_(free)(b);
  real *A = THTensor_(data)(wa), *B = THTensor_(data)(wb), query = 0;
  int info = 0;
  THLapack_(gels)('N', m, n, nrhs, A, m, B, ldb, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, THMax(1, THMin(m, n) + THMax(THMax(m, n), nrhs)));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(gels)('N', m, n, nrhs, A, m, B, ldb, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THTensor_(lapackDrop)(wa, ra_);
    THTensor_(lapackDrop)(wb, rb_);
    TH_LAPACK_RAISE("gels", info,
                    "the %d-th diagonal element of the triangular factor of A is zero, so A does "
                    "not have full rank; the least squares solution could not be computed.", info);
  }
  THTensor_(lapackGive)(wa, ra_);
  THTensor_(lapackGive)(wb, rb_);
}

/* ---- eigenvalues and singular values --------------------------------------------------- */

/* Symmetric a (only the `uplo` triangle is read): re_ = eigenvalues in ascending order, rv_ =
 * the orthonormal eigenvectors in its columns when jobz is "V" (with "N", LAPACK's scratch). */
void THTensor_(syev)(THTensor *re_, THTensor *rv_, THTensor *a_, const char *jobz, const char *uplo)
{
  THTensor_(lapackRequire)();
  if (!a_) a_ = rv_;
  THTensor_(checkResult)(re_, 1);
  THTensor_(checkDistinct)(rv_, re_, 2);
  THTensor_(checkSquare)(a_, 3, "A");
  char jz = THTensor_(lapackOption)(jobz, "NV", 4, "jobz");
  char ul = THTensor_(lapackOption)(uplo, "UL", 5, "uplo");
  int n = (int)a_->size[0];

  THTensor *wv = THTensor_(lapackTake)(rv_, TH_COLMAJOR(n, n), a_, NULL);
  if (re_ != a_) THTensor_(resize1d)(re_, n);
  wv = THTensor_(lapackFill)(wv, a_, rv_, TH_COLMAJOR(n, n));
  real *w = THTensor_(lapackAlloc)(n), *A = THTensor_(data)(wv), query = 0;
  int info = 0;
  THLapack_(syev)(jz, ul, n, A, n, w, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, THMax(1, 3 * n - 1));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(syev)(jz, ul, n, A, n, w, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THFree(w);
    THTensor_(lapackDrop)(wv, rv_);
    TH_LAPACK_RAISE("syev", info,
                    "the algorithm failed to converge; %d off-diagonal elements of an "
                    "intermediate tridiagonal form did not converge to zero.", info);
  }
  THTensor_(lapackGive)(wv, rv_);
  THTensor_(lapackStoreVector)(re_, w, n);
  THFree(w);
}

/* General square a: re_ = the eigenvalues as n x 2 (real part, imaginary part), rv_ = the right
 * eigenvectors when jobvr is "V", in LAPACK's form: a complex pair (j, j+1) has the vectors
 * rv_[:, j] +- i rv_[:, j+1]. With "N", rv_ is left alone. */
void THTensor_(geev)(THTensor *re_, THTensor *rv_, THTensor *a_, const char *jobvr)
{
  THTensor_(lapackRequire)();
  THTensor_(checkResult)(re_, 1);
  THTensor_(checkDistinct)(rv_, re_, 2);
  THTensor_(checkSquare)(a_, 3, "A");
  char jv = THTensor_(lapackOption)(jobvr, "NV", 4, "jobvr");
  if (jv == 'V') THTensor_(checkResult)(rv_, 2);
  int n = (int)a_->size[0];

  THTensor *wv = jv == 'V' ? THTensor_(lapackTake)(rv_, TH_COLMAJOR(n, n), a_, NULL) : NULL;
  if (re_ != a_) THTensor_(resize2d)(re_, n, 2);
  /* geev destroys its copy of a, which is no result here */
  THTensor *wa = THTensor_(lapackFill)(NULL, a_, NULL, TH_COLMAJOR(n, n));
  if (jv == 'V' && !wv) wv = THTensor_(lapackNew)(TH_COLMAJOR(n, n));
  real *wr = THTensor_(lapackAlloc)(2 * (long)n), *wi = wr + n, query = 0, dummy = 0;
  real *A = THTensor_(data)(wa), *V = wv ? THTensor_(data)(wv) : &dummy;
  int ldv = wv ? n : 1, info = 0;
  THLapack_(geev)('N', jv, n, A, n, wr, wi, &dummy, 1, V, ldv, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, THMax(1, (jv == 'V' ? 4 : 3) * n));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(geev)('N', jv, n, A, n, wr, wi, &dummy, 1, V, ldv, work, lwork, &info);
    THFree(work);
  }
  THTensor_(free)(wa);
  if (info != 0) {
    THFree(wr);
    THTensor_(lapackDrop)(wv, rv_);
    TH_LAPACK_RAISE("geev", info,
                    "the QR algorithm failed to compute all the eigenvalues (those from %d on "
                    "converged); no eigenvectors have been computed.", info + 1);
  }
  if (wv) THTensor_(lapackGive)(wv, rv_);
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
 * k = min(m, n); "N": only S, and ru_, rv_ become empty. */
static void THTensor_(svd)(THTensor *ru_, THTensor *rs_, THTensor *rv_, THTensor *ra_, THTensor *a,
                           const char *jobu, int argA)
{
  THTensor_(lapackRequire)();
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
  int m = (int)a->size[0], n = (int)a->size[1], k = THMin(m, n);
  int ucols = job == 'A' ? m : k, vtrows = job == 'A' ? n : k; /* unused with "N" */

  /* V^T column-major with leading dimension vtrows is V row-major n x vtrows: rv_'s layout. */
  long vsize[2] = {n, vtrows}, vstride[2] = {vtrows, 1};
  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(m, n), a, NULL);
  THTensor *wu = NULL, *wv = NULL;
  if (job != 'N') {
    wu = THTensor_(lapackTake)(ru_, TH_COLMAJOR(m, ucols), a, ra_);
    wv = THTensor_(lapackTake)(rv_, 2, vsize, vstride, a, ra_);
  }
  if (rs_ != a) THTensor_(resize1d)(rs_, k);

  wa = THTensor_(lapackFill)(wa, a, ra_, TH_COLMAJOR(m, n));
  if (job != 'N') {
    if (!wu) wu = THTensor_(lapackNew)(TH_COLMAJOR(m, ucols));
    if (!wv) wv = THTensor_(lapackNew)(2, vsize, vstride);
  }
  real *s = THTensor_(lapackAlloc)(k), query = 0, dummy = 0;
  real *A = THTensor_(data)(wa), *U = wu ? THTensor_(data)(wu) : &dummy;
  real *VT = wv ? THTensor_(data)(wv) : &dummy;
  int ldu = wu ? m : 1, ldvt = wv ? vtrows : 1, info = 0;
  THLapack_(gesvd)(job, job, m, n, A, m, s, U, ldu, VT, ldvt, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, THMax(1, THMax(3 * k + THMax(m, n), 5 * k)));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(gesvd)(job, job, m, n, A, m, s, U, ldu, VT, ldvt, work, lwork, &info);
    THFree(work);
  }
  if (info != 0) {
    THFree(s);
    THTensor_(lapackDrop)(wa, ra_);
    THTensor_(lapackDrop)(wu, ru_);
    THTensor_(lapackDrop)(wv, rv_);
    TH_LAPACK_RAISE("gesvd", info,
                    "%d superdiagonals of an intermediate bidiagonal form did not converge to "
                    "zero.", info);
  }
  THTensor_(lapackGive)(wa, ra_);
  if (job != 'N') {
    THTensor_(lapackGive)(wu, ru_);
    THTensor_(lapackGive)(wv, rv_);
  } else {
    if (ru_) THTensor_(resizeNd)(ru_, 0, NULL, NULL);
    if (rv_) THTensor_(resizeNd)(rv_, 0, NULL, NULL);
  }
  THTensor_(lapackStoreVector)(rs_, s, k);
  THFree(s);
}

void THTensor_(gesvd)(THTensor *ru_, THTensor *rs_, THTensor *rv_, THTensor *a, const char *jobu)
{
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
  int n = (int)a->size[0];

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(n, n), a, NULL);
  wa = THTensor_(lapackFill)(wa, a, ra_, TH_COLMAJOR(n, n));
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
    THTensor_(lapackDrop)(wa, ra_);
    TH_LAPACK_RAISE("getri", info, "U(%d,%d) is zero, singular U: the matrix is not invertible.",
                    info, info);
  }
  THTensor_(lapackGive)(wa, ra_);
}

/* Cholesky factor of symmetric positive definite a: a = U^T U ("U") or L L^T ("L"); the other
 * triangle of ra_ is zero. */
void THTensor_(potrf)(THTensor *ra_, THTensor *a, const char *uplo)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkSquare)(a, 2, "A");
  char ul = THTensor_(lapackOption)(uplo, "UL", 3, "uplo");
  int n = (int)a->size[0];

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(n, n), a, NULL);
  wa = THTensor_(lapackFill)(wa, a, ra_, TH_COLMAJOR(n, n));
  int info = 0;
  THLapack_(potrf)(ul, n, THTensor_(data)(wa), n, &info);
  if (info != 0) {
    THTensor_(lapackDrop)(wa, ra_);
    TH_LAPACK_RAISE("potrf", info,
                    "the leading minor of order %d is not positive definite, the factorization "
                    "could not be completed.", info);
  }
  THTensor_(clearTriangle)(THTensor_(data)(wa), n, ul);
  THTensor_(lapackGive)(wa, ra_);
}

/* a x = b, a symmetric positive definite given by its Cholesky factor a_ (as potrf makes it
 * with the same uplo): rb_ = x. */
void THTensor_(potrs)(THTensor *rb_, THTensor *b_, THTensor *a_, const char *uplo)
{
  THTensor_(lapackRequire)();
  if (!b_) b_ = rb_;
  THTensor_(checkSquare)(a_, 3, "A");
  THTensor_(checkRhs)(b_, a_->size[0], 2);
  char ul = THTensor_(lapackOption)(uplo, "UL", 4, "uplo");
  int n = (int)a_->size[0], nrhs = b_->nDimension == 2 ? (int)b_->size[1] : 1, lda;

  THTensor *wb = THTensor_(lapackTake)(rb_, TH_COLMAJOR(n, nrhs), a_, b_);
  THTensor *b = THTensor_(newMatrixView)(b_);
  THTensor *ca = THTensor_(lapackInput)(a_, &lda);
  wb = THTensor_(lapackFill)(wb, b, rb_, TH_COLMAJOR(n, nrhs));
  THTensor_(free)(b);
  int info = 0;
  THLapack_(potrs)(ul, n, nrhs, THTensor_(data)(ca), lda, THTensor_(data)(wb), n, &info);
  THTensor_(free)(ca);
  if (info != 0) {
    THTensor_(lapackDrop)(wb, rb_);
    TH_LAPACK_RAISE("potrs", info, "failed with info %d.", info);
  }
  THTensor_(lapackGive)(wb, rb_);
}

/* ra_ = the inverse of the symmetric positive definite matrix whose Cholesky factor is a (as
 * potrf makes it with the same uplo), both triangles filled. */
void THTensor_(potri)(THTensor *ra_, THTensor *a, const char *uplo)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkSquare)(a, 2, "A");
  char ul = THTensor_(lapackOption)(uplo, "UL", 3, "uplo");
  int n = (int)a->size[0];

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(n, n), a, NULL);
  wa = THTensor_(lapackFill)(wa, a, ra_, TH_COLMAJOR(n, n));
  int info = 0;
  THLapack_(potri)(ul, n, THTensor_(data)(wa), n, &info);
  if (info != 0) {
    THTensor_(lapackDrop)(wa, ra_);
    TH_LAPACK_RAISE("potri", info, "A(%d,%d) is zero, singular A: the inverse could not be "
                    "computed.", info, info);
  }
  THTensor_(mirrorTriangle)(THTensor_(data)(wa), n, ul);
  THTensor_(lapackGive)(wa, ra_);
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
  int n = (int)a->size[0];

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(n, n), a, NULL);
  THIntTensor_resize1d(rpiv_, n);
  wa = THTensor_(lapackFill)(wa, a, ra_, TH_COLMAJOR(n, n));
  int *piv = THAlloc((ptrdiff_t)sizeof(int) * n);
  real *work = THTensor_(lapackAlloc)(2 * (long)n);
  int rank = 0, info = 0;
  THLapack_(pstrf)(ul, n, THTensor_(data)(wa), n, piv, &rank, tol, work, &info);
  THFree(work);
  if (info != 0) {
    THFree(piv);
    THTensor_(lapackDrop)(wa, ra_);
    TH_LAPACK_RAISE("pstrf", info, "the matrix is rank deficient (computed rank %d of %d) or "
                    "not positive semidefinite.", rank, n);
  }
  THTensor_(lapackStoreInts)(rpiv_, 0, piv, n);
  THFree(piv);
  THTensor_(clearTriangle)(THTensor_(data)(wa), n, ul);
  THTensor_(lapackGive)(wa, ra_);
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
  int m = (int)a->size[0], n = (int)a->size[1], k = THMin(m, n);

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(m, n), a, NULL);
  if (rtau_ != a) THTensor_(resize1d)(rtau_, k);
  wa = THTensor_(lapackFill)(wa, a, ra_, TH_COLMAJOR(m, n));
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
    THTensor_(lapackDrop)(wa, ra_);
    TH_LAPACK_RAISE("geqrf", info, "failed with info %d.", info);
  }
  THTensor_(lapackGive)(wa, ra_);
  THTensor_(lapackStoreVector)(rtau_, tau, k);
  THFree(tau);
}

/* A 1-d tau copied to a buffer (it may share memory with a result written later). */
static real *THTensor_(lapackTau)(THTensor *tau)
{
  long k = tau->size[0];
  real *t = THTensor_(lapackAlloc)(k), *d = THTensor_(data)(tau);
  for (long i = 0; i < k; i++) t[i] = d[i * tau->stride[0]];
  return t;
}

/* The orthogonal Q of a QR factorization from geqrf's (a, tau): ra_ = the first min(m, n)
 * columns of Q = H(1) ... H(k), an m x min(m, n) matrix with orthonormal columns. */
void THTensor_(orgqr)(THTensor *ra_, THTensor *a, THTensor *tau)
{
  THTensor_(lapackRequire)();
  if (!a) a = ra_;
  THTensor_(checkMatrix)(a, 2, "A");
  THTensor_(checkVector)(tau, 3, "tau");
  int m = (int)a->size[0], cols = (int)THMin(a->size[0], a->size[1]);
  THArgCheck(tau->size[0] <= cols, 3,
             "tau has %ld elements, A (%d x %ld) has at most %d reflectors", tau->size[0], m,
             a->size[1], cols);
  int k = (int)tau->size[0];

  THTensor *wa = THTensor_(lapackTake)(ra_, TH_COLMAJOR(m, cols), a, tau);
  real *t = THTensor_(lapackTau)(tau);
  THTensor *reflectors = THTensor_(newNarrow)(a, 1, 0, cols);
  wa = THTensor_(lapackFill)(wa, reflectors, ra_, TH_COLMAJOR(m, cols));
  THTensor_(free)(reflectors);
  real *A = THTensor_(data)(wa), query = 0;
  int info = 0;
  THLapack_(orgqr)(m, cols, k, A, m, t, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, cols);
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(orgqr)(m, cols, k, A, m, t, work, lwork, &info);
    THFree(work);
  }
  THFree(t);
  if (info != 0) {
    THTensor_(lapackDrop)(wa, ra_);
    TH_LAPACK_RAISE("orgqr", info, "failed with info %d.", info);
  }
  THTensor_(lapackGive)(wa, ra_);
}

/* ra_ = Q c, Q^T c (side "L") or c Q, c Q^T (side "R"), trans "N" or "T", where Q comes from
 * geqrf's (a, tau) without being formed. */
void THTensor_(ormqr)(THTensor *ra_, THTensor *a, THTensor *tau, THTensor *c, const char *side,
                      const char *trans)
{
  THTensor_(lapackRequire)();
  if (!c) c = ra_;
  THTensor_(checkMatrix)(a, 2, "A");
  THTensor_(checkVector)(tau, 3, "tau");
  THTensor_(checkMatrix)(c, 4, "C");
  char sd = THTensor_(lapackOption)(side, "LR", 5, "side");
  char tr = THTensor_(lapackOption)(trans, "NT", 6, "trans");
  int m = (int)c->size[0], n = (int)c->size[1], nq = sd == 'L' ? m : n;
  THArgCheck(a->size[0] == nq, 2, "A should have %d rows (those of Q), got %ld", nq, a->size[0]);
  THArgCheck(tau->size[0] <= a->size[1] && tau->size[0] <= nq, 3,
             "tau has %ld elements, A (%ld x %ld) has fewer reflectors", tau->size[0], a->size[0],
             a->size[1]);
  int k = (int)tau->size[0], lda;

  THTensor *wc = THTensor_(lapackTake)(ra_, TH_COLMAJOR(m, n), c, a);
  real *t = THTensor_(lapackTau)(tau);
  THTensor *reflectors = THTensor_(newNarrow)(a, 1, 0, k);
  THTensor *ca = THTensor_(lapackInput)(reflectors, &lda);
  THTensor_(free)(reflectors);
  wc = THTensor_(lapackFill)(wc, c, ra_, TH_COLMAJOR(m, n));
  real *A = THTensor_(data)(ca), *C = THTensor_(data)(wc), query = 0;
  int info = 0;
  THLapack_(ormqr)(sd, tr, m, n, k, A, lda, t, C, m, &query, -1, &info);
  if (info == 0) {
    int lwork = THTensor_(lapackLwork)(query, THMax(1, sd == 'L' ? n : m));
    real *work = THTensor_(lapackAlloc)(lwork);
    THLapack_(ormqr)(sd, tr, m, n, k, A, lda, t, C, m, work, lwork, &info);
    THFree(work);
  }
  THFree(t);
  THTensor_(free)(ca);
  if (info != 0) {
    THTensor_(lapackDrop)(wc, ra_);
    TH_LAPACK_RAISE("ormqr", info, "failed with info %d.", info);
  }
  THTensor_(lapackGive)(wc, ra_);
}

/* a = Q R for m x n a, k = min(m, n): rq_ = Q (m x k, orthonormal columns), rr_ = R (k x n,
 * upper triangular). */
void THTensor_(qr)(THTensor *rq_, THTensor *rr_, THTensor *a)
{
  THTensor_(lapackRequire)();
  THTensor_(checkResult)(rq_, 1);
  THTensor_(checkResult)(rr_, 2);
  THTensor_(checkMatrix)(a, 3, "A");
  THTensor_(checkDistinct)(rq_, rr_, 2);
  int m = (int)a->size[0], n = (int)a->size[1], k = THMin(m, n);

  /* results that are not a itself are resized first: nothing is allocated yet */
  if (rq_ != a) THTensor_(resize2d)(rq_, m, k);
  if (rr_ != a) THTensor_(resize2d)(rr_, k, n);
  THTensor *wa = THTensor_(lapackFill)(NULL, a, NULL, TH_COLMAJOR(m, n));
  real *A = THTensor_(data)(wa), *tau = THTensor_(lapackAlloc)(k), query = 0, query2 = 0;
  int info = 0;
  THLapack_(geqrf)(m, n, A, m, tau, &query, -1, &info);
  if (info == 0) THLapack_(orgqr)(m, k, k, A, m, tau, &query2, -1, &info);
  real *work = NULL;
  int lwork = 0;
  if (info == 0) {
    lwork = THMax(THTensor_(lapackLwork)(query, n), THTensor_(lapackLwork)(query2, k));
    work = THTensor_(lapackAlloc)(lwork);
    THLapack_(geqrf)(m, n, A, m, tau, work, lwork, &info);
  }
  if (info == 0) {
    /* R from the upper triangle, then Q from the reflectors in place */
    THTensor_(resize2d)(rr_, k, n);
    real *R = THTensor_(data)(rr_);
    for (long i = 0; i < k; i++)
      for (long j = 0; j < n; j++)
        R[i * rr_->stride[0] + j * rr_->stride[1]] = j >= i ? A[i + j * (long)m] : 0;
    THLapack_(orgqr)(m, k, k, A, m, tau, work, lwork, &info);
  }
  THFree(work);
  THFree(tau);
  if (info != 0) {
    THTensor_(free)(wa);
    TH_LAPACK_RAISE("qr", info, "failed with info %d.", info);
  }
  THTensor *q = THTensor_(newNarrow)(wa, 1, 0, k);
  THTensor_(resize2d)(rq_, m, k);
  THTensor_(copy)(rq_, q);
  THTensor_(free)(q);
  THTensor_(free)(wa);
}

/* ---- batched LU ------------------------------------------------------------------------ */

/* LU of one column-major n x n matrix without row exchanges (btrifact with pivot = 0): the
 * same result as getrf when no exchange is needed; INFO as getrf's. */
static int THTensor_(luNoPivot)(real *a, long n, int *ipiv)
{
  int info = 0;
  for (long j = 0; j < n; j++) {
    ipiv[j] = (int)(j + 1);
    real p = a[j + j * n];
    if (p != 0) {
      for (long i = j + 1; i < n; i++) a[i + j * n] /= p;
    } else if (info == 0) {
      info = (int)(j + 1);
    }
    for (long c = j + 1; c < n; c++) {
      real f = a[j + c * n];
      if (f != 0)
        for (long i = j + 1; i < n; i++) a[i + c * n] -= a[i + j * n] * f;
    }
  }
  return info;
}

/* LU factorization of each n x n matrix of the batch a (B x n x n): ra_[b] = L + U - I (L unit
 * lower triangular), rpivots_[b] = the 1-based row exchanges (LAPACK's ipiv; 1..n when pivot is
 * 0). rinfo_ (may be NULL) receives each INFO; without it a singular matrix is an error. */
void THTensor_(btrifact)(THTensor *ra_, THIntTensor *rpivots_, THIntTensor *rinfo_, int pivot,
                         THTensor *a)
{
  if (pivot) THTensor_(lapackRequire)(); /* without pivoting the loops below do it */
  if (!a) a = ra_;
  THTensor_(checkResult)(rpivots_, 2);
  THArgCheck(a != NULL && a->nDimension == 3, 5, "A should be 3-dimensional (a batch of matrices), "
             "got %dD", a ? a->nDimension : 0);
  THArgCheck(a->size[1] == a->size[2], 5, "the matrices should be square, got %ld x %ld",
             a->size[1], a->size[2]);
  THArgCheck(a->size[1] <= INT_MAX, 5, "the matrices are too large for LAPACK");
  long batches = a->size[0], n = a->size[1];

  /* each matrix column-major, one after the other */
  long size[3] = {batches, n, n}, stride[3] = {n * n, 1, n};
  THTensor *w = THTensor_(lapackTake)(ra_, 3, size, stride, a, NULL);
  THIntTensor_resize2d(rpivots_, batches, n);
  if (rinfo_) THIntTensor_resize1d(rinfo_, batches);
  w = THTensor_(lapackFill)(w, a, ra_, 3, size, stride);
  int *ipiv = THAlloc((ptrdiff_t)sizeof(int) * n);
  int info = 0;
  long b = 0;
  for (; b < batches; b++) {
    real *A = THTensor_(data)(w) + b * n * n;
    if (pivot)
      THLapack_(getrf)((int)n, (int)n, A, (int)n, ipiv, &info);
    else
      info = THTensor_(luNoPivot)(A, n, ipiv);
    THTensor_(lapackStoreInts)(rpivots_, b, ipiv, n);
    if (rinfo_)
      THIntTensor_data(rinfo_)[b * rinfo_->stride[0]] = info;
    else if (info != 0)
      break;
  }
  THFree(ipiv);
  if (!rinfo_ && info != 0) {
    THTensor_(lapackDrop)(w, ra_);
    TH_LAPACK_RAISE("btrifact", info, "U(%d,%d) is zero in batch element %ld, singular U.", info,
                    info, b + TH_INDEX_BASE);
  }
  THTensor_(lapackGive)(w, ra_);
}

/* Solves a[b] x = b[b] for each element of the batch, from btrifact's (atf, pivots): rb_ = x,
 * the shape of b (B x n, or B x n x nrhs). */
void THTensor_(btrisolve)(THTensor *rb_, THTensor *b, THTensor *atf, THIntTensor *pivots)
{
  THTensor_(lapackRequire)();
  if (!b) b = rb_;
  THArgCheck(atf != NULL && atf->nDimension == 3, 3, "the LU factors should be 3-dimensional, "
             "got %dD", atf ? atf->nDimension : 0);
  THArgCheck(atf->size[1] == atf->size[2], 3, "the LU factors should be square, got %ld x %ld",
             atf->size[1], atf->size[2]);
  THArgCheck(atf->size[1] <= INT_MAX, 3, "the matrices are too large for LAPACK");
  long batches = atf->size[0], n = atf->size[1];
  THArgCheck(b != NULL && (b->nDimension == 2 || b->nDimension == 3), 2,
             "B should be 2- or 3-dimensional, got %dD", b ? b->nDimension : 0);
  THArgCheck(b->size[0] == batches, 2, "B has %ld batch elements, the LU factors %ld", b->size[0],
             batches);
  THArgCheck(b->size[1] == n, 2, "B has %ld rows, the matrices are %ld x %ld", b->size[1], n, n);
  THArgCheck(b->nDimension == 2 || b->size[2] <= INT_MAX, 2, "B is too large for LAPACK");
  THArgCheck(pivots != NULL && pivots->nDimension == 2 && pivots->size[0] == batches &&
                 pivots->size[1] == n, 4, "pivots should be %ld x %ld", batches, n);
  /* getrs trusts the pivots: out of range ones would make it write out of bounds */
  int *pd = THIntTensor_data(pivots);
  for (long i = 0; i < batches; i++)
    for (long j = 0; j < n; j++) {
      int p = pd[i * pivots->stride[0] + j * pivots->stride[1]];
      THArgCheck(p >= 1 && p <= n, 4, "pivot %d of batch element %ld is out of range 1..%ld", p,
                 i + TH_INDEX_BASE, n);
    }
  int nrhs = b->nDimension == 3 ? (int)b->size[2] : 1;

  /* each right-hand side column-major, one after the other */
  long size[3] = {batches, n, nrhs}, stride[3] = {n * nrhs, 1, n};
  THTensor *w = THTensor_(lapackTake)(rb_, b->nDimension, size, stride, b, atf);
  w = THTensor_(lapackFill)(w, b, rb_, b->nDimension, size, stride);
  int lda;
  long lustride;
  THTensor *lu;
  if (atf->stride[1] == 1 && (n == 1 || (atf->stride[2] >= n && atf->stride[2] <= INT_MAX))) {
    lu = atf;
    THTensor_(retain)(lu);
    lda = n == 1 ? 1 : (int)atf->stride[2];
    lustride = atf->stride[0];
  } else {
    long lsize[3] = {batches, n, n}, lstride[3] = {n * n, 1, n};
    lu = THTensor_(lapackFill)(NULL, atf, NULL, 3, lsize, lstride);
    lda = (int)n;
    lustride = n * n;
  }
  int *ipiv = THAlloc((ptrdiff_t)sizeof(int) * n);
  int info = 0;
  for (long i = 0; i < batches && info == 0; i++) {
    for (long j = 0; j < n; j++) ipiv[j] = pd[i * pivots->stride[0] + j * pivots->stride[1]];
    THLapack_(getrs)('N', (int)n, nrhs, THTensor_(data)(lu) + i * lustride, lda, ipiv,
                     THTensor_(data)(w) + i * n * nrhs, (int)n, &info);
  }
  THFree(ipiv);
  THTensor_(free)(lu);
  if (info != 0) {
    THTensor_(lapackDrop)(w, rb_);
    TH_LAPACK_RAISE("btrisolve", info, "failed with info %d.", info);
  }
  THTensor_(lapackGive)(w, rb_);
}

#undef TH_COLMAJOR
#undef TH_LAPACK_RAISE

#endif
