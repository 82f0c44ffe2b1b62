/* generic/THTensorMath.c: pointwise math, whole-tensor reductions and BLAS-backed products.
 *
 * Conventions, as upstream: the result r_ comes first and is resized to the input's shape
 * (r_ may be the input itself); inputs combined elementwise must have the same number of
 * elements; reductions accumulate in accreal. Contiguous operands take THVector's kernels,
 * anything else the strided walk of THTensorApply.h. */
#ifndef TH_GENERIC_FILE
#error "include through THTensorMath.c"
#endif

#include "THParallel.h"

#define TH_UADD(a, b) ((real)((ureal)(a) + (ureal)(b)))
#define TH_UMUL(a, b) ((real)((ureal)(a) * (ureal)(b)))

static int THTensor_(allContiguous)(THTensor *a, THTensor *b, THTensor *c)
{
  return THTensor_(isContiguous)(a) && (!b || THTensor_(isContiguous)(b)) &&
         (!c || THTensor_(isContiguous)(c));
}

static void THTensor_(checkSameNumel)(THTensor *a, THTensor *b, int arg)
{
  THArgCheck(THTensor_(nElement)(a) == THTensor_(nElement)(b), arg,
             "inconsistent tensor size: %td vs %td elements", THTensor_(nElement)(a),
             THTensor_(nElement)(b));
}

void THTensor_(fill)(THTensor *r_, real value)
{
  if (THTensor_(isContiguous)(r_)) {
    real *rp = THTensor_(data)(r_);
    TH_PARALLEL_RANGE(THTensor_(nElement)(r_), b, e, THVector_(fill)(rp + b, value, e - b););
  } else
    TH_TENSOR_APPLY(real, r_, *r__data = value;);
}

void THTensor_(zero)(THTensor *r_)
{
  THTensor_(fill)(r_, 0);
}

ptrdiff_t THTensor_(numel)(THTensor *t)
{
  return THTensor_(nElement)(t);
}

/* ---- reductions over everything -------------------------------------------------------- */

/* ---- contiguous reduction kernels: several independent accumulators (lanes) so that the
 * loop vectorises; float sums still accumulate in accreal (double). Integer sums and products
 * wrap in uaccreal, which does not depend on the order. */
#define TH_RED_LANES 32

TH_SIMD_CLONES static uaccreal THTensor_(sumKernel)(const real *x, ptrdiff_t n)
{
  uaccreal acc[TH_RED_LANES] = {0};
  ptrdiff_t i = 0;
  for (; i + TH_RED_LANES <= n; i += TH_RED_LANES)
    for (int k = 0; k < TH_RED_LANES; k++) acc[k] += (uaccreal)x[i + k];
  for (int w = TH_RED_LANES / 2; w > 0; w /= 2) /* pairwise */
    for (int k = 0; k < w; k++) acc[k] += acc[k + w];
  uaccreal sum = acc[0];
  for (; i < n; i++) sum += (uaccreal)x[i];
  return sum;
}

TH_SIMD_CLONES static uaccreal THTensor_(prodKernel)(const real *x, ptrdiff_t n)
{
  uaccreal acc[TH_RED_LANES];
  for (int k = 0; k < TH_RED_LANES; k++) acc[k] = 1;
  ptrdiff_t i = 0;
  for (; i + TH_RED_LANES <= n; i += TH_RED_LANES)
    for (int k = 0; k < TH_RED_LANES; k++) acc[k] *= (uaccreal)x[i + k];
  uaccreal prod = acc[0];
  for (int k = 1; k < TH_RED_LANES; k++) prod *= acc[k];
  for (; i < n; i++) prod *= (uaccreal)x[i];
  return prod;
}

/* The maxall (IS_MAX) / minall rule over x[0 .. n), n > 0: the first NaN if there is one, else
 * the first element holding the extreme value. Lanes keep their extreme (or a NaN, which
 * sticks); the first NaN, or the first zero when the extreme is zero (+0 and -0 compare
 * equal), is then found by a plain scan, so the answer is the sequential one bit for bit. */
#ifdef TH_REAL_IS_FLOATING
#define TH_RED_BETTER(v, b, IS_MAX) ((IS_MAX) ? (v) > (b) : (v) < (b))
#define TH_EXTREME_KERNEL(NAME, IS_MAX)                                                    \
  TH_SIMD_CLONES static real THTensor_(NAME)(const real *x, ptrdiff_t n)                  \
  {                                                                                        \
    real best = x[0];                                                                      \
    ptrdiff_t i = 1;                                                                       \
    if (n >= 2 * TH_RED_LANES) {                                                           \
      real lane[TH_RED_LANES];                                                             \
      for (int k = 0; k < TH_RED_LANES; k++) lane[k] = x[k];                               \
      for (i = TH_RED_LANES; i + TH_RED_LANES <= n; i += TH_RED_LANES)                     \
        for (int k = 0; k < TH_RED_LANES; k++) {                                           \
          real v = x[i + k];                                                               \
          lane[k] = (TH_RED_BETTER(v, lane[k], IS_MAX) || v != v) ? v : lane[k];           \
        }                                                                                  \
      for (int k = 0; k < TH_RED_LANES; k++) {                                             \
        real v = lane[k];                                                                  \
        if (TH_RED_BETTER(v, best, IS_MAX) || v != v) best = v;                            \
      }                                                                                    \
    }                                                                                      \
    for (; i < n; i++) {                                                                   \
      real v = x[i];                                                                       \
      if (TH_RED_BETTER(v, best, IS_MAX) || v != v) best = v;                              \
    }                                                                                      \
    if (best != best) {                                                                    \
      for (i = 0; x[i] == x[i]; i++) {                                                     \
      }                                                                                    \
      return x[i];                                                                         \
    }                                                                                      \
    if (best == 0) {                                                                       \
      for (i = 0; x[i] != 0; i++) {                                                        \
      }                                                                                    \
      return x[i];                                                                         \
    }                                                                                      \
    return best;                                                                           \
  }
#else
#define TH_EXTREME_KERNEL(NAME, IS_MAX)                                                    \
  TH_SIMD_CLONES static real THTensor_(NAME)(const real *x, ptrdiff_t n)                  \
  {                                                                                        \
    real best = x[0];                                                                      \
    for (ptrdiff_t i = 1; i < n; i++) {                                                    \
      real v = x[i];                                                                       \
      best = ((IS_MAX) ? v > best : v < best) ? v : best;                                  \
    }                                                                                      \
    return best;                                                                           \
  }
#endif
TH_EXTREME_KERNEL(maxKernel, 1)
TH_EXTREME_KERNEL(minKernel, 0)
#undef TH_EXTREME_KERNEL
#undef TH_RED_BETTER

/* The dot product of x[0 .. n) and y[0 .. n) accumulated in real, as THBlas_(dot) does (and so
 * upstream); the kernel the threads run on large contiguous tensors, where calling BLAS from
 * inside a team is not an option (a pthreads OpenBLAS cannot be entered from OpenMP threads). */
TH_SIMD_CLONES static real THTensor_(dotKernel)(const real *x, const real *y, ptrdiff_t n)
{
  ureal acc[TH_RED_LANES] = {0};
  ptrdiff_t i = 0;
  for (; i + TH_RED_LANES <= n; i += TH_RED_LANES)
    for (int k = 0; k < TH_RED_LANES; k++) acc[k] += (ureal)x[i + k] * (ureal)y[i + k];
  for (int w = TH_RED_LANES / 2; w > 0; w /= 2)
    for (int k = 0; k < w; k++) acc[k] += acc[k + w];
  ureal sum = acc[0];
  for (; i < n; i++) sum += (ureal)x[i] * (ureal)y[i];
  return (real)sum;
}

/* Upstream's apply loop walks a tensor in sections: the whole of it when it is contiguous
 * (size-1 dimensions ignored), else the trailing dimensions that merge (stride[d] ==
 * stride[d+1] * size[d+1]), stepped by the last dimension's stride. The length of a section
 * and its stride. */
static void THTensor_(applySection)(THTensor *t, long *len, long *stride)
{
  if (THTensor_(isContiguous)(t)) {
    *len = (long)THTensor_(nElement)(t);
    *stride = 1;
    return;
  }
  int d = t->nDimension - 1;
  long n = t->size[d];
  *stride = t->stride[d];
  for (; d > 0 && t->stride[d - 1] == t->stride[d] * t->size[d]; d--) n *= t->size[d - 1];
  *len = n;
}

/* The address of t's element number i in its logical (row-major) order. */
static real *THTensor_(elementAt)(THTensor *t, ptrdiff_t i)
{
  real *p = THTensor_(data)(t);
  for (int d = t->nDimension - 1; d >= 0; d--) {
    p += (i % t->size[d]) * t->stride[d];
    i /= t->size[d];
  }
  return p;
}

/* As upstream: every stretch where both operands stay within one section of their apply walk
 * goes through THBlas_(dot), which sums in real (an integer type wraps there); the stretches
 * add up in accreal. So integer results depend on the layouts exactly as upstream's do. Large
 * contiguous float operands are split across threads instead (one section upstream: the same
 * sum up to rounding). */
accreal THTensor_(dot)(THTensor *tensor, THTensor *src)
{
  THTensor_(checkSameNumel)(tensor, src, 2);
  ptrdiff_t n = THTensor_(nElement)(tensor);
  if (n == 0) return 0;
#ifdef TH_REAL_IS_INTEGER
  int own = 1; /* BLAS has no integer dot: the kernel is THBlas_(dot)'s loop, vectorised */
#else
  int own = THParallel_threadsFor(n) > 1;
#endif
  if (own && THTensor_(allContiguous)(tensor, src, NULL)) {
    const real *x = THTensor_(data)(tensor), *y = THTensor_(data)(src);
    uaccreal sum = 0;
#ifdef TH_REAL_IS_INTEGER
    sum = (uaccreal)THTensor_(dotKernel)(x, y, n); /* one section: wraps in real */
#else
    uaccreal part[TH_PARALLEL_MAX_THREADS];
    int pieces = 1;
    TH_PARALLEL_PIECES(n, b, e, k, kn, {
      part[k] = (uaccreal)THTensor_(dotKernel)(x + b, y + b, e - b);
      if (k == 0) pieces = kn;
    });
    for (int k = 0; k < pieces; k++) sum += part[k];
#endif
    return (accreal)sum;
  }
  long lenA, strideA, lenB, strideB;
  THTensor_(applySection)(tensor, &lenA, &strideA);
  THTensor_(applySection)(src, &lenB, &strideB);
  accreal sum = 0;
  for (ptrdiff_t i = 0; i < n;) {
    long run = THMin(lenA - (long)(i % lenA), lenB - (long)(i % lenB));
    real r = THBlas_(dot)(run, THTensor_(elementAt)(tensor, i), strideA,
                          THTensor_(elementAt)(src, i), strideB);
#ifdef TH_REAL_IS_INTEGER
    sum = (accreal)((uaccreal)sum + (uaccreal)(accreal)r);
#else
    sum += (accreal)r;
#endif
    i += run;
  }
  return sum;
}

accreal THTensor_(sumall)(THTensor *tensor)
{
  uaccreal sum = 0;
  if (THTensor_(isContiguous)(tensor)) {
    const real *x = THTensor_(data)(tensor);
    uaccreal part[TH_PARALLEL_MAX_THREADS];
    int pieces = 1;
    TH_PARALLEL_PIECES(THTensor_(nElement)(tensor), b, e, k, kn, {
      part[k] = THTensor_(sumKernel)(x + b, e - b);
      if (k == 0) pieces = kn;
    });
    for (int k = 0; k < pieces; k++) sum += part[k];
  } else {
    TH_TENSOR_APPLY(real, tensor, sum += (uaccreal)*tensor_data;);
  }
  return (accreal)sum;
}

accreal THTensor_(prodall)(THTensor *tensor)
{
  uaccreal prod = 1;
  if (THTensor_(isContiguous)(tensor)) {
    const real *x = THTensor_(data)(tensor);
    uaccreal part[TH_PARALLEL_MAX_THREADS];
    int pieces = 1;
    TH_PARALLEL_PIECES(THTensor_(nElement)(tensor), b, e, k, kn, {
      part[k] = THTensor_(prodKernel)(x + b, e - b);
      if (k == 0) pieces = kn;
    });
    for (int k = 0; k < pieces; k++) prod *= part[k];
  } else {
    TH_TENSOR_APPLY(real, tensor, prod *= (uaccreal)*tensor_data;);
  }
  return (accreal)prod;
}

/* NaN wins, as upstream: once seen it stays the answer (best == best fails only for NaN). Among
 * equal values the first is kept (this decides between +0 and -0). Pieces run the same rule and
 * their answers are combined in order, which gives the sequential answer. */
#define TH_EXTREME_ALL(NAME, KERNEL, KEEP)                                                 \
  real THTensor_(NAME)(THTensor *tensor)                                                   \
  {                                                                                        \
    ptrdiff_t n = THTensor_(nElement)(tensor);                                             \
    THArgCheck(n > 0, 1, "tensor must have one dimension");                                \
    real best = THTensor_(data)(tensor)[0];                                                \
    if (THTensor_(isContiguous)(tensor)) {                                                 \
      const real *x = THTensor_(data)(tensor);                                             \
      real part[TH_PARALLEL_MAX_THREADS];                                                  \
      int pieces = 1;                                                                      \
      TH_PARALLEL_PIECES(n, b, e, k, kn, {                                                 \
        if (e > b) part[k] = THTensor_(KERNEL)(x + b, e - b);                              \
        if (k == 0) pieces = kn;                                                           \
      });                                                                                  \
      for (int k = 0; k < pieces; k++) {                                                   \
        if (THParallel_pieceStart(n, pieces, k) >= n) break;                               \
        real v = part[k];                                                                  \
        if (best == best && !(KEEP)) best = v;                                             \
      }                                                                                    \
    } else {                                                                               \
      TH_TENSOR_APPLY(real, tensor, real v = *tensor_data; if (best == best && !(KEEP)) best = v;); \
    }                                                                                      \
    return best;                                                                           \
  }

TH_EXTREME_ALL(maxall, maxKernel, v <= best)
TH_EXTREME_ALL(minall, minKernel, v >= best)
#undef TH_EXTREME_ALL

/* ---- pointwise with a scalar ----------------------------------------------------------- */

/* r = KERNEL(t, value) over contiguous r and t, split across threads when large, unless the
 * two overlap partially (then the answer depends on the order: one thread, as before). */
static int THTensor_(threadsFor2)(real *a, real *b, ptrdiff_t n)
{
  size_t bytes = sizeof(real) * (size_t)n;
  return THParallel_partialOverlap(a, b, bytes, bytes) ? 1 : THParallel_threadsFor(n);
}

static void THTensor_(mapScalar)(void (*kernel)(real *, const real *, const real, const ptrdiff_t),
                                 THTensor *r_, THTensor *t, real value)
{
  real *rp = THTensor_(data)(r_), *tp = THTensor_(data)(t);
  ptrdiff_t n = THTensor_(nElement)(t);
  TH_PARALLEL_PIECES_T(THTensor_(threadsFor2)(rp, tp, n), n, b, e, k_, kn_,
                       kernel(rp + b, tp + b, value, e - b););
}

static void THTensor_(mapPair)(void (*kernel)(real *, const real *, const real *, const ptrdiff_t),
                               THTensor *r_, THTensor *t, THTensor *src)
{
  real *rp = THTensor_(data)(r_), *tp = THTensor_(data)(t), *sp = THTensor_(data)(src);
  ptrdiff_t n = THTensor_(nElement)(t);
  int threads = THTensor_(threadsFor2)(rp, sp, n) == 1 ? 1 : THTensor_(threadsFor2)(rp, tp, n);
  TH_PARALLEL_PIECES_T(threads, n, b, e, k_, kn_, kernel(rp + b, tp + b, sp + b, e - b););
}

void THTensor_(add)(THTensor *r_, THTensor *t, real value)
{
  THTensor_(resizeAs)(r_, t);
  if (THTensor_(allContiguous)(r_, t, NULL))
    THTensor_(mapScalar)(THVector_(adds), r_, t, value);
  else
    TH_TENSOR_APPLY2(real, r_, real, t, *r__data = TH_UADD(*t_data, value););
}

void THTensor_(sub)(THTensor *r_, THTensor *t, real value)
{
  THTensor_(add)(r_, t, (real)(0 - (ureal)value));
}

void THTensor_(mul)(THTensor *r_, THTensor *t, real value)
{
  THTensor_(resizeAs)(r_, t);
  if (THTensor_(allContiguous)(r_, t, NULL))
    THTensor_(mapScalar)(THVector_(muls), r_, t, value);
  else
    TH_TENSOR_APPLY2(real, r_, real, t, *r__data = TH_UMUL(*t_data, value););
}

void THTensor_(div)(THTensor *r_, THTensor *t, real value)
{
#ifdef TH_REAL_IS_INTEGER
  THArgCheck(value != 0, 3, "division by zero");
#endif
  THTensor_(resizeAs)(r_, t);
  if (THTensor_(allContiguous)(r_, t, NULL)) {
    THTensor_(mapScalar)(THVector_(divs), r_, t, value);
  } else {
    /* one element at a time through the same kernel, so the integer rules stay in one place */
    TH_TENSOR_APPLY2(real, r_, real, t, THVector_(divs)(r__data, t_data, value, 1););
  }
}

/* ---- pointwise between tensors --------------------------------------------------------- */

void THTensor_(cadd)(THTensor *r_, THTensor *t, real value, THTensor *src)
{
  THTensor_(checkSameNumel)(t, src, 4);
  THTensor_(resizeAs)(r_, t);
  if (THTensor_(allContiguous)(r_, t, src))
  {
    real *rp = THTensor_(data)(r_), *tp = THTensor_(data)(t), *sp = THTensor_(data)(src);
    ptrdiff_t n = THTensor_(nElement)(t);
    int threads = THTensor_(threadsFor2)(rp, sp, n) == 1 ? 1 : THTensor_(threadsFor2)(rp, tp, n);
    TH_PARALLEL_PIECES_T(threads, n, b, e, k_, kn_,
                         THVector_(cadd)(rp + b, tp + b, sp + b, value, e - b););
  }
  else
    TH_TENSOR_APPLY3(real, r_, real, t, real, src,
                     *r__data = TH_UADD(*t_data, TH_UMUL(value, *src_data)););
}

void THTensor_(csub)(THTensor *r_, THTensor *t, real value, THTensor *src)
{
  THTensor_(cadd)(r_, t, (real)(0 - (ureal)value), src);
}

void THTensor_(cmul)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(checkSameNumel)(t, src, 3);
  THTensor_(resizeAs)(r_, t);
  if (THTensor_(allContiguous)(r_, t, src))
    THTensor_(mapPair)(THVector_(cmul), r_, t, src);
  else
    TH_TENSOR_APPLY3(real, r_, real, t, real, src, *r__data = TH_UMUL(*t_data, *src_data););
}

/* torchbind's extensions (torchbind/th_ext.tsv): Python's `t + u`, `t - u` and `t * u` for two
 * tensors of one size in one call, where upstream's functions take three (isSameSizeAs, new,
 * cadd). Tensors of different sizes give NULL and no error: the caller broadcasts. The result's
 * elements are allocated before anything else, so a failed allocation leaves nothing behind, and
 * nothing after it can fail (the result has t's sizes already). */
static THTensor *THTensor_(newResultOf)(THTensor *t)
{
  ptrdiff_t n = THTensor_(nElement)(t);
  THStorage *s = THStorage_(newWithSize)(n);
  THTensor *r = THTensor_(newWithStorage1d)(s, 0, n, 1);
  THStorage_(free)(s);
  THTensor_(resizeAs)(r, t);
  return r;
}

THTensor *THTensor_(newCadd)(THTensor *t, real value, THTensor *src)
{
  if (!THTensor_(isSameSizeAs)(t, src)) return NULL;
  THTensor *r = THTensor_(newResultOf)(t);
  THTensor_(cadd)(r, t, value, src);
  return r;
}

THTensor *THTensor_(newCmul)(THTensor *t, THTensor *src)
{
  if (!THTensor_(isSameSizeAs)(t, src)) return NULL;
  THTensor *r = THTensor_(newResultOf)(t);
  THTensor_(cmul)(r, t, src);
  return r;
}

void THTensor_(cdiv)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(checkSameNumel)(t, src, 3);
#ifdef TH_REAL_IS_INTEGER
  /* check before writing anything: integer division by zero would trap */
  TH_TENSOR_APPLY(real, src, THArgCheck(*src_data != 0, 3, "division by zero"););
#endif
  THTensor_(resizeAs)(r_, t);
  if (THTensor_(allContiguous)(r_, t, src))
    THTensor_(mapPair)(THVector_(cdiv), r_, t, src);
  else
    TH_TENSOR_APPLY3(real, r_, real, t, real, src, THVector_(cdiv)(r__data, t_data, src_data, 1););
}

/* ---- products -------------------------------------------------------------------------- */

/* r_ = beta t + alpha mat vec */
void THTensor_(addmv)(THTensor *r_, real beta, THTensor *t, real alpha, THTensor *mat, THTensor *vec)
{
  THArgCheck(mat->nDimension == 2 && vec->nDimension == 1, 5, "matrix and vector expected, got %dD, %dD",
             mat->nDimension, vec->nDimension);
  THArgCheck(mat->size[1] == vec->size[0], 6, "size mismatch: %ld columns, vector of %ld",
             mat->size[1], vec->size[0]);
  THArgCheck(t->nDimension == 1 && t->size[0] == mat->size[0], 3, "size mismatch: vector of %ld "
             "expected for t", mat->size[0]);
  THTensor_(resizeAs)(r_, t); /* also refuses an output with overlapping elements */
  if (THTensor_(mayOverlap)(r_, mat) || THTensor_(mayOverlap)(r_, vec) ||
      (r_ != t && THTensor_(mayOverlap)(r_, t))) { /* the output aliases an input: use a temporary */
    THTensor *tmp_ = THTensor_(new)();
    THTensor_(addmv)(tmp_, beta, t, alpha, mat, vec);
    THTensor_(freeCopyTo)(tmp_, r_);
    return;
  }
  if (r_ != t) THTensor_(copy)(r_, t);
  long m = mat->size[0], n = mat->size[1];
  if (mat->stride[0] == 1 && mat->stride[1] >= THMax(1, m)) {          /* column-major */
    THBlas_(gemv)('n', m, n, alpha, THTensor_(data)(mat), mat->stride[1], THTensor_(data)(vec),
                  vec->stride[0], beta, THTensor_(data)(r_), r_->stride[0]);
  } else if (mat->stride[1] == 1 && mat->stride[0] >= THMax(1, n)) {   /* row-major: transposed */
    THBlas_(gemv)('t', n, m, alpha, THTensor_(data)(mat), mat->stride[0], THTensor_(data)(vec),
                  vec->stride[0], beta, THTensor_(data)(r_), r_->stride[0]);
  } else {
    THTensor *cmat = THTensor_(newContiguous)(mat);
    THBlas_(gemv)('t', n, m, alpha, THTensor_(data)(cmat), cmat->stride[0], THTensor_(data)(vec),
                  vec->stride[0], beta, THTensor_(data)(r_), r_->stride[0]);
    THTensor_(free)(cmat);
  }
}

/* How a matrix is handed to column-major gemm: as is ('n'), as its transpose ('t'), or NULL when
 * neither stride is 1 and a contiguous copy is needed. */
static char THTensor_(gemmLayout)(THTensor *m, long *ld)
{
  if (m->stride[0] == 1 && m->stride[1] >= THMax(1, m->size[0])) {
    *ld = m->stride[1];
    return 'n';
  }
  if (m->stride[1] == 1 && m->stride[0] >= THMax(1, m->size[1])) {
    *ld = m->stride[0];
    return 't';
  }
  return 0;
}

/* r_ = beta t + alpha mat1 mat2 */
void THTensor_(addmm)(THTensor *r_, real beta, THTensor *t, real alpha, THTensor *m1, THTensor *m2)
{
  THArgCheck(m1->nDimension == 2 && m2->nDimension == 2, 5, "matrices expected, got %dD, %dD tensors",
             m1->nDimension, m2->nDimension);
  THArgCheck(m1->size[1] == m2->size[0], 6, "size mismatch, m1: %ldx%ld, m2: %ldx%ld", m1->size[0],
             m1->size[1], m2->size[0], m2->size[1]);
  THArgCheck(t->nDimension == 2 && t->size[0] == m1->size[0] && t->size[1] == m2->size[1], 3,
             "size mismatch: t must be %ldx%ld", m1->size[0], m2->size[1]);
  THTensor_(resizeAs)(r_, t); /* also refuses an output with overlapping elements */
  if (THTensor_(mayOverlap)(r_, m1) || THTensor_(mayOverlap)(r_, m2) ||
      (r_ != t && THTensor_(mayOverlap)(r_, t))) { /* the output aliases an input: use a temporary */
    THTensor *tmp_ = THTensor_(new)();
    THTensor_(addmm)(tmp_, beta, t, alpha, m1, m2);
    THTensor_(freeCopyTo)(tmp_, r_);
    return;
  }
  if (r_ != t && beta != 0) THTensor_(copy)(r_, t);
  long m = m1->size[0], n = m2->size[1], k = m1->size[1];
  if (m == 0 || n == 0) return;

  /* Column-major gemm computes r_ directly if r_ is column-major, else r_^T = m2^T m1^T. */
  THTensor *r = r_, *a = m1, *b = m2;
  int swap = 0;
  long ldr = 0;
  char lr = THTensor_(gemmLayout)(r_, &ldr);
  if (lr == 0) {
    r = THTensor_(newClone)(r_);
    lr = THTensor_(gemmLayout)(r, &ldr);
  }
  if (lr == 't') {
    swap = 1;
    a = m2;
    b = m1;
    long tmp = m;
    m = n;
    n = tmp;
  }
  long lda = 0, ldb = 0;
  THTensor *ca = a, *cb = b;
  char ta = THTensor_(gemmLayout)(a, &lda), tb = THTensor_(gemmLayout)(b, &ldb);
  if (!ta) {
    ca = THTensor_(newContiguous)(a);
    ta = THTensor_(gemmLayout)(ca, &lda);
  }
  if (!tb) {
    cb = THTensor_(newContiguous)(b);
    tb = THTensor_(gemmLayout)(cb, &ldb);
  }
  if (swap) { /* we multiply the transposes: flip each operand's layout */
    ta = ta == 'n' ? 't' : 'n';
    tb = tb == 'n' ? 't' : 'n';
  }
  THBlas_(gemm)(ta, tb, m, n, k, alpha, THTensor_(data)(ca), lda, THTensor_(data)(cb), ldb, beta,
                THTensor_(data)(r), ldr);
  if (ca != a) THTensor_(free)(ca);
  if (cb != b) THTensor_(free)(cb);
  if (r != r_) THTensor_(freeCopyTo)(r, r_);
}

#undef TH_UADD
#undef TH_UMUL
