/* generic/THTensorReduce.c: reductions along a dimension, whole-tensor statistics, sorting and
 * cumulative operations.
 *
 * Conventions, as upstream Torch7:
 * - `dimension` arguments are 0-based; one out of range is an IndexError (so is any dimension of
 *   an empty tensor). Other bad arguments (k out of range, ...) are ValueErrors. Every check runs
 *   before anything is allocated or resized.
 * - A reduction resizes its result with size 1 at `dimension`, then squeezes that dimension away
 *   (squeeze1d, which keeps a 1-d result 1-d) unless keepdim.
 * - Index results are 0-based positions along the dimension, in a THLongTensor (as upstream's C
 *   API; index tensors that functions TAKE are 1-based, see THTensorIndex.c).
 * - Sums and products accumulate in accreal; integer ones in uaccreal, so that they wrap around.
 * - Order: NaN is above every number and NaNs are equal among themselves (ascending sorts put
 *   NaNs last, descending sorts first; kthvalue/median count them as the largest values). Equal
 *   values keep their original order: sort is stable, and kthvalue/median/topk pick, among equal
 *   values, the ones a stable sort would put there (the lowest positions first).
 * - max/min propagate NaN (the first NaN and its position), as maxall/minall; on ties they give
 *   the first position.
 *
 * Speed: the dimension-wise reductions and cumulative ops are kernels run by runKernel. On
 * contiguous operands a kernel sees t as outer x n x inner around the dimension: a reduction over
 * the last dimension is a tight loop per slice, one over an outer dimension accumulates whole
 * rows (each output row folds in the n input rows of length inner), so memory is read in order.
 * Other operands walk the slices with TH_TENSOR_DIM_APPLY, except for reductions whose walk
 * would stride across memory (see runKernel). */
#ifndef TH_GENERIC_FILE
#error "include through THTensorReduce.c"
#endif

#include "THParallel.h"

#ifndef TH_REDUCE_ONCE
#define TH_REDUCE_ONCE
enum { THR_SUM, THR_PROD }; /* the folds of sum/prod/mean and cumsum/cumprod */
/* the p-norms with loops of their own (see normKind) */
enum { THR_P0, THR_P1, THR_P2, THR_PINF, THR_PNINF, THR_PANY };
#endif

#define THR_PAIR TH_CONCAT_3(TH, Real, ReducePair)
#define THR_ARGS TH_CONCAT_3(TH, Real, ReduceArgs)
#define THR_KERNEL TH_CONCAT_3(TH, Real, ReduceKernel)

/* A value and its 0-based position in its slice: what sort, topk, kthvalue and mode move around. */
typedef struct {
  real v;
  long i;
} THR_PAIR;

/* The parameters of a dimension-wise kernel (each uses its own). */
typedef struct {
  int op;      /* THR_SUM or THR_PROD */
  int divide;  /* mean: the sum over n */
  int wantMax; /* max rather than min */
  int biased;  /* var/std over n rather than n - 1 */
  int root;    /* std rather than var */
  int kind;    /* the p-norm's THR_P* */
  accreal p;
} THR_ARGS;

/* Writes r (and ri, when the kernel has indices) from t along dim. r and ri are already sized
 * like t with the result's length at dim. */
typedef void (*THR_KERNEL)(THTensor *r, THLongTensor *ri, THTensor *t, int dim, const THR_ARGS *a);

#ifdef TH_REAL_IS_FLOATING
#define THR_ISNAN(x) ((x) != (x))
#else
#define THR_ISNAN(x) 0
#endif
/* a below b in the order above (NaN on top) */
#define THR_LT(a, b) ((a) < (b) || (THR_ISNAN(b) && !THR_ISNAN(a)))

/* ---- shapes and results --------------------------------------------------------------------- */

static void THTensor_(checkDim)(THTensor *t, int dimension)
{
  THIndexCheck(dimension >= 0 && dimension < t->nDimension, "dimension %d out of range of a %dD tensor",
               dimension + TH_INDEX_BASE, t->nDimension);
}

/* t's sizes with `len` at dimension. */
static void THTensor_(sizesAlong)(THTensor *t, int dimension, long len, long *size)
{
  for (int d = 0; d < t->nDimension; d++) size[d] = t->size[d];
  size[dimension] = len;
}

static void THTensor_(resizeAlong)(THTensor *r, THTensor *t, int dimension, long len)
{
  long size[TH_MAX_DIM];
  THTensor_(sizesAlong)(t, dimension, len, size);
  THTensor_(resizeNd)(r, t->nDimension, size, NULL);
}

static void THTensor_(resizeIndexAlong)(THLongTensor *r, THTensor *t, int dimension, long len)
{
  long size[TH_MAX_DIM];
  THTensor_(sizesAlong)(t, dimension, len, size);
  THLongTensor_resizeNd(r, t->nDimension, size, NULL);
}

/* Where a result of a different shape than an input goes: r_ itself, or a fresh tensor when r_ is
 * that input (resizing r_ first would clobber it); settle() then makes r_ the fresh one. */
static THTensor *THTensor_(target)(THTensor *r_, THTensor *a, THTensor *b)
{
  return (r_ == a || r_ == b) ? THTensor_(new)() : r_;
}

static void THTensor_(settle)(THTensor *r_, THTensor *r)
{
  if (r == r_) return;
  THTensor_(set)(r_, r);
  THTensor_(free)(r);
}

static THLongTensor *THTensor_(indexTarget)(THLongTensor *ri_, THTensor *t)
{
  return (void *)ri_ == (void *)t ? THLongTensor_new() : ri_;
}

static void THTensor_(indexSettle)(THLongTensor *ri_, THLongTensor *ri)
{
  if (ri == ri_) return;
  THLongTensor_set(ri_, ri);
  THLongTensor_free(ri);
}

static void THTensor_(finishReduce)(THTensor *r_, THTensor *r, int dimension, int keepdim)
{
  if (!keepdim) THTensor_(squeeze1d)(r, NULL, dimension);
  THTensor_(settle)(r_, r);
}

static void THTensor_(finishIndex)(THLongTensor *ri_, THLongTensor *ri, int dimension, int keepdim)
{
  if (!keepdim) THLongTensor_squeeze1d(ri, NULL, dimension);
  THTensor_(indexSettle)(ri_, ri);
}

/* t seen as outer x n x inner around dimension; true when the contiguous kernels apply (t and
 * the results are contiguous, so a result of size 1 at dimension is outer x inner). */
static int THTensor_(split)(THTensor *t, THTensor *r, THLongTensor *ri, int dimension, long *outer,
                            long *n, long *inner)
{
  *outer = 1;
  *inner = 1;
  for (int d = 0; d < dimension; d++) *outer *= t->size[d];
  for (int d = dimension + 1; d < t->nDimension; d++) *inner *= t->size[d];
  *n = t->size[dimension];
  return THTensor_(isContiguous)(t) && (!r || THTensor_(isContiguous)(r)) &&
         (!ri || THLongTensor_isContiguous(ri));
}

/* ---- running the dimension-wise kernels ------------------------------------------------------- */

/* t's view with its dimensions ordered by decreasing stride (perm[k]: the dimension of t that
 * is view dimension k) when that view is contiguous, as for a transposed tensor; else NULL. */
static THTensor *THTensor_(newMemoryOrder)(THTensor *t, int *perm)
{
  int nd = t->nDimension;
  long size[TH_MAX_DIM], stride[TH_MAX_DIM];
  for (int k = 0; k < nd; k++) {
    int d = k, j = k;
    for (; j > 0 && t->stride[perm[j - 1]] < t->stride[d]; j--) perm[j] = perm[j - 1];
    perm[j] = d;
  }
  for (int k = 0; k < nd; k++) {
    size[k] = t->size[perm[k]];
    stride[k] = t->stride[perm[k]];
  }
  THTensor *v = THTensor_(new)();
  THTensor_(setStorageNd)(v, t->storage, t->storageOffset, nd, size, stride);
  if (THTensor_(isContiguous)(v)) return v;
  THTensor_(free)(v);
  return NULL;
}

/* r = rp, which was computed in the dimension order perm. */
static void THTensor_(copyUnpermuted)(THTensor *r, THTensor *rp, const int *perm)
{
  long size[TH_MAX_DIM], stride[TH_MAX_DIM];
  for (int k = 0; k < rp->nDimension; k++) {
    size[perm[k]] = rp->size[k];
    stride[perm[k]] = rp->stride[k];
  }
  THTensor *v = THTensor_(new)();
  THTensor_(setStorageNd)(v, rp->storage, rp->storageOffset, rp->nDimension, size, stride);
  THTensor_(copy)(r, v);
  THTensor_(free)(v);
}

static void THTensor_(copyIndexUnpermuted)(THLongTensor *r, THLongTensor *rp, const int *perm)
{
  long size[TH_MAX_DIM], stride[TH_MAX_DIM];
  for (int k = 0; k < rp->nDimension; k++) {
    size[perm[k]] = rp->size[k];
    stride[perm[k]] = rp->stride[k];
  }
  THLongTensor *v = THLongTensor_new();
  THLongTensor_setStorageNd(v, rp->storage, rp->storageOffset, rp->nDimension, size, stride);
  THLongTensor_copy(r, v);
  THLongTensor_free(v);
}

/* Whether t's slices along dim stride across memory: some other dimension is laid out tighter. */
static int THTensor_(stridedSlices)(THTensor *t, int dim)
{
  for (int d = 0; d < t->nDimension; d++)
    if (d != dim && t->size[d] > 1 && t->stride[d] < t->stride[dim]) return 1;
  return 0;
}

/* Runs kernel into r (and ri) of length len at dim. Its fast paths want contiguous operands; for
 * a reduction (len 1: the result is n times smaller than t, cheap to copy back) that has others,
 * the kernel runs on a contiguous source into contiguous scratch results, copied back in r's
 * order. The source is t's memory-order view when that is contiguous (a transposed or permuted
 * t), else a contiguous copy of t when its slices stride across memory (a narrowed t, say), where
 * walking them in place would be slow. */
static void THTensor_(runKernel)(THR_KERNEL kernel, THTensor *r, THLongTensor *ri, THTensor *t, int dim,
                                 long len, const THR_ARGS *a)
{
  int perm[TH_MAX_DIM];
  THTensor *src = NULL;
  int contiguous = THTensor_(isContiguous)(t) && THTensor_(isContiguous)(r) &&
                   (!ri || THLongTensor_isContiguous(ri));
  if (!contiguous && len == 1) {
    src = THTensor_(newMemoryOrder)(t, perm);
    if (!src && THTensor_(stridedSlices)(t, dim)) {
      src = THTensor_(newContiguous)(t);
      for (int d = 0; d < t->nDimension; d++) perm[d] = d;
    }
  }
  if (!src) {
    kernel(r, ri, t, dim, a);
    return;
  }
  int pd = 0;
  while (perm[pd] != dim) pd++;
  THTensor *rp = THTensor_(new)();
  THLongTensor *rip = ri ? THLongTensor_new() : NULL;
  THTensor_(resizeAlong)(rp, src, pd, len);
  if (rip) THTensor_(resizeIndexAlong)(rip, src, pd, len);
  kernel(rp, rip, src, pd, a);
  THTensor_(copyUnpermuted)(r, rp, perm);
  THTensor_(free)(rp);
  if (rip) {
    THTensor_(copyIndexUnpermuted)(ri, rip, perm);
    THLongTensor_free(rip);
  }
  THTensor_(free)(src);
}

/* A reduction along dimension (ri_ NULL when it has no indices): checks, result sizes, kernel,
 * keepdim. */
static void THTensor_(reduce)(THTensor *r_, THLongTensor *ri_, THTensor *t, int dimension, int keepdim,
                              THR_KERNEL kernel, const THR_ARGS *a)
{
  THTensor_(checkDim)(t, dimension);
  THTensor *r = THTensor_(target)(r_, t, NULL);
  THLongTensor *ri = ri_ ? THTensor_(indexTarget)(ri_, t) : NULL;
  THTensor_(resizeAlong)(r, t, dimension, 1);
  if (ri) THTensor_(resizeIndexAlong)(ri, t, dimension, 1);
  THTensor_(runKernel)(kernel, r, ri, t, dimension, 1, a);
  THTensor_(finishReduce)(r_, r, dimension, keepdim);
  if (ri) THTensor_(finishIndex)(ri_, ri, dimension, keepdim);
}

/* ---- sum, prod, mean ------------------------------------------------------------------------ */

/* The sum of x[0 .. n) in uaccreal with 32 partial sums (several vectors' worth, so that the
 * additions do not wait on one another), added pairwise at the end. */
TH_SIMD_CLONES static uaccreal THTensor_(sumContig)(const real *x, long n)
{
  uaccreal p[32] = {0};
  long i = 0;
  for (; i + 32 <= n; i += 32)
    for (int j = 0; j < 32; j++) p[j] += (uaccreal)x[i + j];
  for (int w = 16; w > 0; w /= 2)
    for (int j = 0; j < w; j++) p[j] += p[j + w];
  uaccreal acc = p[0];
  for (; i < n; i++) acc += (uaccreal)x[i];
  return acc;
}

/* Folds x[0], x[s], ... x[(n-1)s]. The contiguous loops keep partial results so that they
 * vectorise; integers wrap in uaccreal. */
static accreal THTensor_(foldRun)(const real *x, long n, long s, int op)
{
  uaccreal acc = op == THR_SUM ? 0 : 1;
  long i = 0;
  if (s == 1 && op == THR_SUM) {
    return (accreal)THTensor_(sumContig)(x, n);
  } else if (s == 1) {
    uaccreal p[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    for (; i + 8 <= n; i += 8)
      for (int j = 0; j < 8; j++) p[j] *= (uaccreal)x[i + j];
    acc = ((p[0] * p[1]) * (p[2] * p[3])) * ((p[4] * p[5]) * (p[6] * p[7]));
  }
  if (op == THR_SUM)
    for (; i < n; i++) acc += (uaccreal)x[i * s];
  else
    for (; i < n; i++) acc *= (uaccreal)x[i * s];
  return (accreal)acc;
}

/* acc[k] (op)= row[k]: one input row into the running row. */
TH_SIMD_CLONES static void THTensor_(foldRow)(uaccreal *acc, const real *row, long m, int op)
{
  if (op == THR_SUM)
    for (long k = 0; k < m; k++) acc[k] += (uaccreal)row[k];
  else
    for (long k = 0; k < m; k++) acc[k] *= (uaccreal)row[k];
}

/* acc[k] += the sum of four rows' row[k] (rows `inner` apart): a quarter of the running values'
 * loads and stores. */
TH_SIMD_CLONES static void THTensor_(foldRows4)(uaccreal *acc, const real *row, long inner, long m)
{
  const real *r0 = row, *r1 = row + inner, *r2 = r1 + inner, *r3 = r2 + inner;
  for (long k = 0; k < m; k++)
    acc[k] += ((uaccreal)r0[k] + (uaccreal)r1[k]) + ((uaccreal)r2[k] + (uaccreal)r3[k]);
}

/* Columns [k0, k1) of one outer slice: y[k] = fold of x[j * inner + k] over j < n, a block of
 * columns at a time, so that their running values stay in L1 while the rows stream past. */
static void THTensor_(foldColumns)(real *y, uaccreal *acc, const real *x, long n, long inner,
                                   long k0, long k1, int op, int divide)
{
  const long block = 8192 / (long)sizeof(uaccreal); /* 8 KiB of running values */
  for (long b0 = k0; b0 < k1; b0 += block) {
    long b1 = k1 - b0 > block ? b0 + block : k1;
    for (long k = b0; k < b1; k++) acc[k] = op == THR_SUM ? 0 : 1;
    long j = 0;
    if (op == THR_SUM)
      for (; j + 4 <= n; j += 4)
        THTensor_(foldRows4)(acc + b0, x + j * inner + b0, inner, b1 - b0);
    for (; j < n; j++) THTensor_(foldRow)(acc + b0, x + j * inner + b0, b1 - b0, op);
    for (long k = b0; k < b1; k++) y[k] = (real)(divide ? (accreal)acc[k] / n : (accreal)acc[k]);
  }
}

/* Large reductions are shared out between threads: by outer slice (rows of t when the dimension
 * is the last) when there are enough of them, else by columns of each slice. Each result is
 * folded the same way whatever the split. */
static void THTensor_(foldKernel)(THTensor *r, THLongTensor *ri, THTensor *t, int dim, const THR_ARGS *a)
{
  int op = a->op, divide = a->divide;
  long outer, n, inner;
  if (THTensor_(split)(t, r, NULL, dim, &outer, &n, &inner)) {
    const real *x = THTensor_(data)(t);
    real *y = THTensor_(data)(r);
    int threads = THParallel_threadsFor((ptrdiff_t)outer * n * inner);
    if (inner == 1) {
      TH_PARALLEL_SPLIT(threads, outer, 1, b, e, k_, kn_, {
        for (long o = b; o < e; o++) {
          accreal v = THTensor_(foldRun)(x + o * n, n, 1, op);
          y[o] = (real)(divide ? v / n : v);
        }
      });
    } else if (threads > 1 && outer >= threads) {
      uaccreal *acc = THAlloc((ptrdiff_t)sizeof(uaccreal) * inner * threads);
      TH_PARALLEL_SPLIT(threads, outer, 1, b, e, k, kn_, {
        for (long o = b; o < e; o++)
          THTensor_(foldColumns)(y + o * inner, acc + (ptrdiff_t)k * inner, x + o * n * inner, n,
                                 inner, 0, inner, op, divide);
      });
      THFree(acc);
    } else {
      uaccreal *acc = THAlloc((ptrdiff_t)sizeof(uaccreal) * inner);
      for (long o = 0; o < outer; o++, x += n * inner, y += inner)
        TH_PARALLEL_SPLIT(threads, inner, 16, b, e, k_, kn_,
                          THTensor_(foldColumns)(y, acc, x, n, inner, b, e, op, divide););
      THFree(acc);
    }
  } else {
    TH_TENSOR_DIM_APPLY2(real, t, real, r, dim,
      accreal v = THTensor_(foldRun)(t_data, t_size, t_stride, op);
      *r_data = (real)(divide ? v / t_size : v););
  }
}

void THTensor_(sum)(THTensor *r_, THTensor *t, int dimension, int keepdim)
{
  THR_ARGS a = {.op = THR_SUM};
  THTensor_(reduce)(r_, NULL, t, dimension, keepdim, THTensor_(foldKernel), &a);
}

void THTensor_(prod)(THTensor *r_, THTensor *t, int dimension, int keepdim)
{
  THR_ARGS a = {.op = THR_PROD};
  THTensor_(reduce)(r_, NULL, t, dimension, keepdim, THTensor_(foldKernel), &a);
}

/* ---- max, min --------------------------------------------------------------------------------- */

/* Position of the largest (wantMax) or smallest of x[0], x[s], ...: the first one on ties; the
 * first NaN wins outright. */
static long THTensor_(extremeRunStrided)(const real *x, long n, long s, int wantMax)
{
  real best = x[0];
  long at = 0;
  if (THR_ISNAN(best)) return 0;
  for (long i = 1; i < n; i++) {
    real v = x[i * s];
    if (wantMax ? v > best : v < best) {
      best = v;
      at = i;
    } else if (THR_ISNAN(v)) {
      return i;
    }
  }
  return at;
}

/* The same on a contiguous run, in two passes that vectorise: the extreme value (32 lanes, in
 * which a NaN sticks), then the first position holding it (or the first NaN). The first equal
 * element is the one the one-pass rule picks (-0 and +0 compare equal, as there). */
#define THR_EXTREME_LANES(BETTER)                                                          \
  for (; i + 32 <= n; i += 32)                                                             \
    for (int j = 0; j < 32; j++) {                                                         \
      real v = x[i + j];                                                                   \
      lane[j] = (BETTER(v, lane[j]) || THR_ISNAN(v)) ? v : lane[j];                        \
    }
#define THR_GT(a, b) ((a) > (b))
#define THR_LT_PLAIN(a, b) ((a) < (b))
TH_SIMD_CLONES static long THTensor_(extremeRunContig)(const real *x, long n, int wantMax)
{
  real lane[32];
  for (int j = 0; j < 32; j++) lane[j] = x[j];
  long i = 32;
  if (wantMax) {
    THR_EXTREME_LANES(THR_GT)
  } else {
    THR_EXTREME_LANES(THR_LT_PLAIN)
  }
  real best = lane[0];
  for (int j = 1; j < 32; j++) {
    real v = lane[j];
    if ((wantMax ? v > best : v < best) || THR_ISNAN(v)) best = v;
  }
  for (; i < n; i++) {
    real v = x[i];
    if ((wantMax ? v > best : v < best) || THR_ISNAN(v)) best = v;
  }
  /* the search, a block of 32 at a time (a test per block vectorises; a per-element exit not) */
  int nan = THR_ISNAN(best);
  for (i = 0; i + 32 <= n; i += 32) {
    int hit = 0;
    for (int j = 0; j < 32; j++) hit |= nan ? THR_ISNAN(x[i + j]) : x[i + j] == best;
    if (hit) break;
  }
  for (;; i++)
    if (nan ? THR_ISNAN(x[i]) : x[i] == best) return i;
}
#undef THR_EXTREME_LANES
#undef THR_GT
#undef THR_LT_PLAIN

static long THTensor_(extremeRun)(const real *x, long n, long s, int wantMax)
{
  if (s == 1 && n >= 64) return THTensor_(extremeRunContig)(x, n, wantMax);
  return THTensor_(extremeRunStrided)(x, n, s, wantMax);
}

/* Row j of an outer slice (row[k], k in [k0, k1)) into the running best y / position yi of each
 * column; a NaN, once in, stays. Written without branches, so that it vectorises. */
TH_SIMD_CLONES static void THTensor_(extremeRow)(real *y, long *yi, const real *row, long k0,
                                                 long k1, long pos, int wantMax)
{
  if (wantMax) {
    for (long k = k0; k < k1; k++) {
      real v = row[k], b = y[k];
      int take = !THR_ISNAN(b) && (v > b || THR_ISNAN(v));
      y[k] = take ? v : b;
      yi[k] = take ? pos : yi[k];
    }
  } else {
    for (long k = k0; k < k1; k++) {
      real v = row[k], b = y[k];
      int take = !THR_ISNAN(b) && (v < b || THR_ISNAN(v));
      y[k] = take ? v : b;
      yi[k] = take ? pos : yi[k];
    }
  }
}

static void THTensor_(extremeColumns)(real *y, long *yi, const real *x, long n, long inner,
                                      long k0, long k1, int wantMax)
{
  for (long k = k0; k < k1; k++) {
    y[k] = x[k];
    yi[k] = 0;
  }
  for (long j = 1; j < n; j++)
    THTensor_(extremeRow)(y, yi, x + j * inner, k0, k1, j, wantMax);
}

static void THTensor_(extremeKernel)(THTensor *r, THLongTensor *ri, THTensor *t, int dim, const THR_ARGS *a)
{
  int wantMax = a->wantMax;
  long outer, n, inner;
  if (THTensor_(split)(t, r, ri, dim, &outer, &n, &inner)) {
    const real *x = THTensor_(data)(t);
    real *y = THTensor_(data)(r);
    long *yi = THLongTensor_data(ri);
    int threads = THParallel_threadsFor((ptrdiff_t)outer * n * inner);
    if (inner == 1) {
      TH_PARALLEL_SPLIT(threads, outer, 1, b, e, k_, kn_, {
        for (long o = b; o < e; o++) {
          long at = THTensor_(extremeRun)(x + o * n, n, 1, wantMax);
          y[o] = x[o * n + at];
          yi[o] = at;
        }
      });
    } else if (threads > 1 && outer >= threads) {
      TH_PARALLEL_SPLIT(threads, outer, 1, b, e, k_, kn_, {
        for (long o = b; o < e; o++)
          THTensor_(extremeColumns)(y + o * inner, yi + o * inner, x + o * n * inner, n, inner, 0,
                                    inner, wantMax);
      });
    } else {
      for (long o = 0; o < outer; o++, x += n * inner, y += inner, yi += inner)
        TH_PARALLEL_SPLIT(threads, inner, 16, b, e, k_, kn_,
                          THTensor_(extremeColumns)(y, yi, x, n, inner, b, e, wantMax););
    }
  } else {
    TH_TENSOR_DIM_APPLY3(real, t, real, r, long, ri, dim,
      long at = THTensor_(extremeRun)(t_data, t_size, t_stride, wantMax);
      *r_data = t_data[at * t_stride];
      *ri_data = at;);
  }
}

void THTensor_(max)(THTensor *values_, THLongTensor *indices_, THTensor *t, int dimension, int keepdim)
{
  THR_ARGS a = {.wantMax = 1};
  THTensor_(reduce)(values_, indices_, t, dimension, keepdim, THTensor_(extremeKernel), &a);
}

void THTensor_(min)(THTensor *values_, THLongTensor *indices_, THTensor *t, int dimension, int keepdim)
{
  THR_ARGS a = {.wantMax = 0};
  THTensor_(reduce)(values_, indices_, t, dimension, keepdim, THTensor_(extremeKernel), &a);
}

/* ---- ordering: merge sort and selection on (value, position) pairs ---------------------------- */

/* a comes before b in ascending (or descending) order; equal values by position, so that every
 * order below is total and matches a stable sort. */
static inline int THTensor_(before)(const THR_PAIR *a, const THR_PAIR *b, int desc)
{
  if (desc ? THR_LT(b->v, a->v) : THR_LT(a->v, b->v)) return 1;
  if (desc ? THR_LT(a->v, b->v) : THR_LT(b->v, a->v)) return 0;
  return a->i < b->i;
}

static void THTensor_(insertionSort)(THR_PAIR *a, long n, int desc)
{
  for (long i = 1; i < n; i++) {
    THR_PAIR x = a[i];
    long j = i;
    for (; j > 0 && THTensor_(before)(&x, &a[j - 1], desc); j--) a[j] = a[j - 1];
    a[j] = x;
  }
}

/* Top-down merge sort: O(n log n) always. tmp holds at least n/2 pairs. */
static void THTensor_(mergeSort)(THR_PAIR *a, THR_PAIR *tmp, long n, int desc)
{
  if (n <= 16) {
    THTensor_(insertionSort)(a, n, desc);
    return;
  }
  long h = n / 2;
  THTensor_(mergeSort)(a, tmp, h, desc);
  THTensor_(mergeSort)(a + h, tmp, n - h, desc);
  if (!THTensor_(before)(&a[h], &a[h - 1], desc)) return; /* already in order */
  memcpy(tmp, a, sizeof(THR_PAIR) * (size_t)h);
  long i = 0, j = h, k = 0;
  while (i < h && j < n) {
    if (THTensor_(before)(&a[j], &tmp[i], desc))
      a[k++] = a[j++];
    else
      a[k++] = tmp[i++];
  }
  while (i < h) a[k++] = tmp[i++];
}

static inline void THTensor_(swapPairs)(THR_PAIR *a, long i, long j)
{
  THR_PAIR x = a[i];
  a[i] = a[j];
  a[j] = x;
}

/* Quickselect (median-of-three pivots): afterwards a[k] is what a sort would put there, with
 * everything before it coming before it. Too many rounds (an adversarial input) and it sorts
 * the rest, so the worst case stays O(n log n). tmp holds at least n/2 pairs. */
static void THTensor_(quickSelect)(THR_PAIR *a, THR_PAIR *tmp, long n, long k, int desc)
{
  long lo = 0, hi = n - 1;
  int budget = 16;
  for (long m = n; m > 1; m >>= 1) budget += 2;
  while (hi > lo) {
    if (budget-- == 0) {
      THTensor_(mergeSort)(a + lo, tmp, hi - lo + 1, desc);
      return;
    }
    long mid = lo + (hi - lo) / 2;
    if (THTensor_(before)(&a[mid], &a[lo], desc)) THTensor_(swapPairs)(a, mid, lo);
    if (THTensor_(before)(&a[hi], &a[lo], desc)) THTensor_(swapPairs)(a, hi, lo);
    if (THTensor_(before)(&a[hi], &a[mid], desc)) THTensor_(swapPairs)(a, hi, mid);
    if (hi - lo < 3) return; /* at most three elements: now sorted */
    /* pivot to hi-1; a[lo] and a[hi] bound both scans (all keys are distinct) */
    THTensor_(swapPairs)(a, mid, hi - 1);
    THR_PAIR p = a[hi - 1];
    long i = lo, j = hi - 1;
    for (;;) {
      while (THTensor_(before)(&a[++i], &p, desc)) {
      }
      while (THTensor_(before)(&p, &a[--j], desc)) {
      }
      if (i >= j) break;
      THTensor_(swapPairs)(a, i, j);
    }
    THTensor_(swapPairs)(a, i, hi - 1);
    if (k == i) return;
    if (k < i)
      hi = i - 1;
    else
      lo = i + 1;
  }
}

/* ---- radix sort: the large slices ------------------------------------------------------------ */

/* An LSD radix sort of keys whose unsigned order is the order above, carrying 32-bit positions:
 * stable by construction and a few linear passes, where merging takes log2(n) of them. Integers
 * flip their sign bit; floats flip the sign bit of positives and every bit of negatives, with one
 * key for both zeros and the largest key for every NaN; descending order complements the keys.
 * Those keys lose -0.0 and NaN payloads, so such values are read back from the slice. */
#if defined(TH_REAL_IS_BYTE) || defined(TH_REAL_IS_CHAR)
#define THR_KEY uint8_t
#elif defined(TH_REAL_IS_SHORT)
#define THR_KEY uint16_t
#elif defined(TH_REAL_IS_INT) || defined(TH_REAL_IS_FLOAT)
#define THR_KEY uint32_t
#elif defined(TH_REAL_IS_LONG)
#define THR_KEY unsigned long
#else
#define THR_KEY uint64_t
#endif
_Static_assert(sizeof(THR_KEY) == sizeof(real), "a radix key has the bits of a value");
#define THR_KEY_BITS (8 * (int)sizeof(THR_KEY))
#define THR_SIGN_BIT ((THR_KEY)1 << (THR_KEY_BITS - 1))
/* what turns an integer's bits into its key and back: the sign bit, for signed types (char's
 * sign is the platform's) */
#define THR_INT_FLIP ((real)-1 < 0 ? THR_SIGN_BIT : (THR_KEY)0)
/* Byte digits: a pass scatters into 256 places, few enough for L1 to keep their lines (11-bit
 * digits, one pass in four fewer, measured slower on 2^22 floats). */
#define THR_DIGIT_BITS 8
#define THR_DIGITS (1 << THR_DIGIT_BITS)
#define THR_PASSES ((THR_KEY_BITS + THR_DIGIT_BITS - 1) / THR_DIGIT_BITS)
/* Below this many values merge sort wins: a radix sort first clears and sums the counts of
 * every pass (measured: even at 32 floats and at about 80 doubles, radix twice as fast at 64
 * floats). */
#define THR_RADIX_MIN (THR_PASSES <= 2 ? 32 : 12 * THR_PASSES)

static inline THR_KEY THTensor_(radixKey)(real v)
{
#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)
  if (v != v) return (THR_KEY)~(THR_KEY)0;
  if (v == 0) return THR_SIGN_BIT;
  THR_KEY u;
  memcpy(&u, &v, sizeof u);
  return (u & THR_SIGN_BIT) ? (THR_KEY)~u : (THR_KEY)(u | THR_SIGN_BIT);
#else
  return (THR_KEY)((THR_KEY)v ^ THR_INT_FLIP);
#endif
}

static inline real THTensor_(radixValue)(THR_KEY k)
{
  real v;
#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)
  THR_KEY u = (k & THR_SIGN_BIT) ? (THR_KEY)(k ^ THR_SIGN_BIT) : (THR_KEY)~k;
#else
  THR_KEY u = (THR_KEY)(k ^ THR_INT_FLIP);
#endif
  memcpy(&v, &u, sizeof v);
  return v;
}

/* The key does not give its value back (a zero or a NaN). */
static inline int THTensor_(radixLossy)(THR_KEY k)
{
#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)
  return k == THR_SIGN_BIT || k == (THR_KEY)~(THR_KEY)0;
#else
  (void)k;
  return 0;
#endif
}

/* A key and the position of its value: one move per value and pass keeps a pass's writes to
 * THR_DIGITS streams (two arrays would double them past what L1 holds). */
#define THR_RADIX TH_CONCAT_3(TH, Real, ReduceRadix)
typedef struct {
  THR_KEY k;
  uint32_t i;
} THR_RADIX;

/* The bytes radixSort works in for slices of n values: two arrays of n THR_RADIX, then counts. */
static size_t THTensor_(radixBytes)(long n)
{
  return sizeof(THR_RADIX) * 2 * (size_t)n + sizeof(uint32_t) * THR_PASSES * THR_DIGITS;
}

/* LSD passes over the digits [0, passes) of the n pairs at a (b: room for as many): count[p] holds
 * the digit counts of pass p, counted here unless `counted`. A pass whose digit is the same for
 * every pair is skipped. Returns where the sorted pairs are: a or b. */
static THR_RADIX *THTensor_(radixLsd)(THR_RADIX *a, THR_RADIX *b, long n, int passes,
                                      uint32_t (*count)[THR_DIGITS], int counted)
{
  if (!counted) {
    memset(count, 0, sizeof(uint32_t) * (size_t)passes * THR_DIGITS);
    for (long i = 0; i < n; i++)
      for (int p = 0; p < passes; p++)
        count[p][(a[i].k >> (p * THR_DIGIT_BITS)) & (THR_DIGITS - 1)]++;
  }
  for (int p = 0; p < passes; p++) {
    const int shift = p * THR_DIGIT_BITS;
    uint32_t *at = count[p];
    if (at[(a[0].k >> shift) & (THR_DIGITS - 1)] == (uint32_t)n) continue; /* one digit for all */
    uint32_t sum = 0;
    for (int d = 0; d < THR_DIGITS; d++) {
      uint32_t c = at[d];
      at[d] = sum;
      sum += c;
    }
    for (long i = 0; i < n; i++) b[at[(a[i].k >> shift) & (THR_DIGITS - 1)]++] = a[i];
    THR_RADIX *t = a;
    a = b;
    b = t;
  }
  return a;
}

/* Slices above THR_MSD_MIN values first scatter on their top digit (stably), then sort each
 * bucket by the digits below: a bucket of at most THR_MSD_LEAF pairs fits in L2 and takes the LSD
 * passes there, a bigger one (floats crowd into a few top digits) scatters again on its next digit.
 * On 2^20 and 2^22 floats, 1.5x faster than LSD passes over the whole slice, each of which misses
 * the cache on every scattered write; below 2^17 slower (measured). */
#define THR_MSD_MIN (1L << 17)
#define THR_MSD_LEAF 16384L

/* Sorts the n pairs at a by digits [0, top] into out, which is a or b (b: room for as many, spare)
 * and stays stable. */
static void THTensor_(radixMsd)(THR_RADIX *a, THR_RADIX *b, long n, int top, THR_RADIX *out)
{
  if (n <= THR_MSD_LEAF || top == 0) {
    uint32_t count[THR_PASSES][THR_DIGITS];
    THR_RADIX *r = THTensor_(radixLsd)(a, b, n, top + 1, count, 0);
    if (r != out) memcpy(out, r, sizeof(THR_RADIX) * (size_t)n);
    return;
  }
  const int shift = top * THR_DIGIT_BITS;
  uint32_t start[THR_DIGITS + 1] = {0}, at[THR_DIGITS];
  for (long i = 0; i < n; i++) start[((a[i].k >> shift) & (THR_DIGITS - 1)) + 1]++;
  for (int d = 0; d < THR_DIGITS; d++) start[d + 1] += start[d];
  memcpy(at, start, sizeof at);
  for (long i = 0; i < n; i++) b[at[(a[i].k >> shift) & (THR_DIGITS - 1)]++] = a[i];
  /* each bucket now in b, sorted into out's range with a's as the spare */
  for (int d = 0; d < THR_DIGITS; d++)
    if (start[d + 1] > start[d])
      THTensor_(radixMsd)(b + start[d], a + start[d], (long)(start[d + 1] - start[d]), top - 1,
                          out + start[d]);
}

/* Sorts the n values at x (stride s) into y (stride ys) and their positions into yi (stride yis);
 * y may be x. n is at most UINT32_MAX. */
static void THTensor_(radixSort)(void *work, const real *x, long n, long s, int desc, real *y,
                                 long ys, long *yi, long yis)
{
  THR_RADIX *a = work, *b = a + n;
  uint32_t(*count)[THR_DIGITS] = (void *)(b + n);
  const THR_KEY flip = desc ? (THR_KEY)~(THR_KEY)0 : 0;
  const int msd = THR_PASSES > 2 && n > THR_MSD_MIN;
  /* one read of the slice: the keys (and, for the LSD passes, every pass's digit counts) */
  if (msd) {
    for (long i = 0; i < n; i++)
      a[i] = (THR_RADIX){(THR_KEY)(THTensor_(radixKey)(x[i * s]) ^ flip), (uint32_t)i};
    THTensor_(radixMsd)(a, b, n, THR_PASSES - 1, a);
  } else {
    memset(count, 0, sizeof(uint32_t) * THR_PASSES * THR_DIGITS);
    for (long i = 0; i < n; i++) {
      THR_KEY k = (THR_KEY)(THTensor_(radixKey)(x[i * s]) ^ flip);
      a[i] = (THR_RADIX){k, (uint32_t)i};
      for (int p = 0; p < THR_PASSES; p++)
        count[p][(k >> (p * THR_DIGIT_BITS)) & (THR_DIGITS - 1)]++;
    }
    THR_RADIX *sorted = THTensor_(radixLsd)(a, b, n, THR_PASSES, count, 1);
    if (sorted != a) { /* the spare array is b */
      b = a;
      a = sorted;
    }
  }
  /* values the keys lost, read before y (which may be x) is written: into the spare array */
  for (long i = 0; i < n; i++)
    if (THTensor_(radixLossy)((THR_KEY)(a[i].k ^ flip)))
      memcpy(&b[i].k, &x[(long)a[i].i * s], sizeof(real));
  for (long i = 0; i < n; i++) {
    THR_KEY k = (THR_KEY)(a[i].k ^ flip);
    real v;
    if (THTensor_(radixLossy)(k))
      memcpy(&v, &b[i].k, sizeof v);
    else
      v = THTensor_(radixValue)(k);
    y[i * ys] = v;
    yi[i * yis] = (long)a[i].i;
  }
}

/* Room for a slice of n pairs plus the merge buffer. */
static THR_PAIR *THTensor_(newPairs)(long n)
{
  return THAlloc((ptrdiff_t)sizeof(THR_PAIR) * (n + n / 2 + 1));
}

static void THTensor_(gatherPairs)(THR_PAIR *a, const real *x, long n, long s)
{
  for (long i = 0; i < n; i++) {
    a[i].v = x[i * s];
    a[i].i = i;
  }
}

static void THTensor_(scatterPairs)(const THR_PAIR *a, long n, real *y, long ys, long *yi, long yis)
{
  for (long i = 0; i < n; i++) {
    y[i * ys] = a[i].v;
    yi[i * yis] = a[i].i;
  }
}

void THTensor_(sort)(THTensor *rt_, THLongTensor *ri_, THTensor *t, int dimension, int descendingOrder)
{
  THTensor_(checkDim)(t, dimension);
  int desc = descendingOrder != 0;
  long n = t->size[dimension];
  int radix = n >= THR_RADIX_MIN && (unsigned long)n <= UINT32_MAX;
  /* rt_ may be t (an in-place sort): each slice is read whole before it is written. The outputs
   * are sized (which may fail) before the work buffer exists, so a failure leaks nothing. */
  THTensor_(resizeAs)(rt_, t);
  THLongTensor *ri = THTensor_(indexTarget)(ri_, t);
  THTensor_(resizeIndexAlong)(ri, t, dimension, n);
  void *work = radix ? THAlloc((ptrdiff_t)THTensor_(radixBytes)(n)) : THTensor_(newPairs)(n);
  THR_PAIR *buf = work, *tmp = buf + n;
  TH_TENSOR_DIM_APPLY3(real, t, real, rt_, long, ri, dimension,
    if (radix) {
      THTensor_(radixSort)(work, t_data, t_size, t_stride, desc, rt__data, rt__stride, ri_data,
                           ri_stride);
    } else {
      THTensor_(gatherPairs)(buf, t_data, t_size, t_stride);
      THTensor_(mergeSort)(buf, tmp, t_size, desc);
      THTensor_(scatterPairs)(buf, t_size, rt__data, rt__stride, ri_data, ri_stride);
    });
  THFree(work);
  THTensor_(indexSettle)(ri_, ri);
}

void THTensor_(topk)(THTensor *rt_, THLongTensor *ri_, THTensor *t, long k, int dim, int dir, int sorted)
{
  THTensor_(checkDim)(t, dim);
  long n = t->size[dim];
  THArgCheck(k >= 1 && k <= n, 4, "k %ld out of range [1, %ld]", k, n); /* k = 0 too, as upstream */
  THTensor *rt = THTensor_(target)(rt_, t, NULL);
  THLongTensor *ri = THTensor_(indexTarget)(ri_, t);
  int desc = dir != 0; /* dir: the k largest, in descending order */
  THR_PAIR *buf = THTensor_(newPairs)(n), *tmp = buf + n;
  THTensor_(resizeAlong)(rt, t, dim, k);
  THTensor_(resizeIndexAlong)(ri, t, dim, k);
  TH_TENSOR_DIM_APPLY3(real, t, real, rt, long, ri, dim,
    THTensor_(gatherPairs)(buf, t_data, t_size, t_stride);
    if (k < t_size) THTensor_(quickSelect)(buf, tmp, t_size, k - 1, desc);
    if (sorted) THTensor_(mergeSort)(buf, tmp, k, desc);
    THTensor_(scatterPairs)(buf, k, rt_data, rt_stride, ri_data, ri_stride););
  THFree(buf);
  THTensor_(settle)(rt_, rt);
  THTensor_(indexSettle)(ri_, ri);
}

/* The k-th smallest (1-based) of each slice; callers check k. */
static void THTensor_(kth)(THTensor *values_, THLongTensor *indices_, THTensor *t, long k, int dimension,
                           int keepdim)
{
  long n = t->size[dimension];
  THR_PAIR *buf = THTensor_(newPairs)(n), *tmp = buf + n;
  THTensor *r = THTensor_(target)(values_, t, NULL);
  THLongTensor *ri = THTensor_(indexTarget)(indices_, t);
  THTensor_(resizeAlong)(r, t, dimension, 1);
  THTensor_(resizeIndexAlong)(ri, t, dimension, 1);
  TH_TENSOR_DIM_APPLY3(real, t, real, r, long, ri, dimension,
    THTensor_(gatherPairs)(buf, t_data, t_size, t_stride);
    THTensor_(quickSelect)(buf, tmp, t_size, k - 1, 0);
    *r_data = buf[k - 1].v;
    *ri_data = buf[k - 1].i;);
  THFree(buf);
  THTensor_(finishReduce)(values_, r, dimension, keepdim);
  THTensor_(finishIndex)(indices_, ri, dimension, keepdim);
}

void THTensor_(kthvalue)(THTensor *values_, THLongTensor *indices_, THTensor *t, long k, int dimension,
                         int keepdim)
{
  THTensor_(checkDim)(t, dimension);
  THArgCheck(k >= 1 && k <= t->size[dimension], 4, "k %ld out of range [1, %ld]", k,
             t->size[dimension]);
  THTensor_(kth)(values_, indices_, t, k, dimension, keepdim);
}

/* The lower median: the ((n+1)/2)-th smallest. */
void THTensor_(median)(THTensor *values_, THLongTensor *indices_, THTensor *t, int dimension, int keepdim)
{
  THTensor_(checkDim)(t, dimension);
  THTensor_(kth)(values_, indices_, t, (t->size[dimension] + 1) / 2, dimension, keepdim);
}

real THTensor_(medianall)(THTensor *t)
{
  ptrdiff_t n = THTensor_(nElement)(t);
  THArgCheck(n > 0, 1, "median of an empty tensor");
  THR_PAIR *buf = THTensor_(newPairs)(n), *tmp = buf + n;
  long pos = 0;
  TH_TENSOR_APPLY(real, t, buf[pos].v = *t_data; buf[pos].i = pos; pos++;);
  THTensor_(quickSelect)(buf, tmp, n, (n - 1) / 2, 0);
  real v = buf[(n - 1) / 2].v;
  THFree(buf);
  return v;
}

/* The most frequent value of a slice: the smallest one on ties (NaNs count as one value), at
 * its last position. */
static void THTensor_(modeRun)(THR_PAIR *a, THR_PAIR *tmp, long n, real *value, long *index)
{
  THTensor_(mergeSort)(a, tmp, n, 0);
  long bestLen = 0, bestEnd = 0, start = 0;
  for (long i = 1; i <= n; i++) {
    if (i < n && !THR_LT(a[start].v, a[i].v)) continue; /* the run of a[start]'s value goes on */
    if (i - start > bestLen) {
      bestLen = i - start;
      bestEnd = i - 1;
    }
    start = i;
  }
  *value = a[bestEnd].v;
  *index = a[bestEnd].i;
}

void THTensor_(mode)(THTensor *values_, THLongTensor *indices_, THTensor *t, int dimension, int keepdim)
{
  THTensor_(checkDim)(t, dimension);
  long n = t->size[dimension];
  THR_PAIR *buf = THTensor_(newPairs)(n), *tmp = buf + n;
  THTensor *r = THTensor_(target)(values_, t, NULL);
  THLongTensor *ri = THTensor_(indexTarget)(indices_, t);
  THTensor_(resizeAlong)(r, t, dimension, 1);
  THTensor_(resizeIndexAlong)(ri, t, dimension, 1);
  TH_TENSOR_DIM_APPLY3(real, t, real, r, long, ri, dimension,
    THTensor_(gatherPairs)(buf, t_data, t_size, t_stride);
    THTensor_(modeRun)(buf, tmp, t_size, r_data, ri_data););
  THFree(buf);
  THTensor_(finishReduce)(values_, r, dimension, keepdim);
  THTensor_(finishIndex)(indices_, ri, dimension, keepdim);
}

/* ---- cumulative ------------------------------------------------------------------------------- */

static void THTensor_(cumRun)(real *y, long ys, const real *x, long xs, long n, int op)
{
  uaccreal acc = op == THR_SUM ? 0 : 1;
  for (long i = 0; i < n; i++) {
    if (op == THR_SUM)
      acc += (uaccreal)x[i * xs];
    else
      acc *= (uaccreal)x[i * xs];
    y[i * ys] = (real)(accreal)acc;
  }
}

/* r may be t: element i is read before it is written. */
static void THTensor_(cumKernel)(THTensor *r, THLongTensor *ri, THTensor *t, int dim, const THR_ARGS *a)
{
  int op = a->op;
  long outer, n, inner;
  if (THTensor_(split)(t, r, NULL, dim, &outer, &n, &inner)) {
    const real *x = THTensor_(data)(t);
    real *y = THTensor_(data)(r);
    if (inner == 1) {
      for (long o = 0; o < outer; o++) THTensor_(cumRun)(y + o * n, 1, x + o * n, 1, n, op);
    } else {
      uaccreal *acc = THAlloc((ptrdiff_t)sizeof(uaccreal) * inner);
      for (long o = 0; o < outer; o++, x += n * inner, y += n * inner) {
        for (long k = 0; k < inner; k++) acc[k] = op == THR_SUM ? 0 : 1;
        for (long j = 0; j < n; j++) {
          THTensor_(foldRow)(acc, x + j * inner, inner, op);
          for (long k = 0; k < inner; k++) y[j * inner + k] = (real)(accreal)acc[k];
        }
      }
      THFree(acc);
    }
  } else {
    TH_TENSOR_DIM_APPLY2(real, t, real, r, dim,
      THTensor_(cumRun)(r_data, r_stride, t_data, t_stride, t_size, op););
  }
}

static void THTensor_(cumulate)(THTensor *r_, THTensor *t, int dimension, int op)
{
  THTensor_(checkDim)(t, dimension);
  THTensor_(resizeAs)(r_, t);
  THR_ARGS a = {.op = op};
  THTensor_(runKernel)(THTensor_(cumKernel), r_, NULL, t, dimension, t->size[dimension], &a);
}

void THTensor_(cumsum)(THTensor *r_, THTensor *t, int dimension)
{
  THTensor_(cumulate)(r_, t, dimension, THR_SUM);
}

void THTensor_(cumprod)(THTensor *r_, THTensor *t, int dimension)
{
  THTensor_(cumulate)(r_, t, dimension, THR_PROD);
}

/* ---- matrix-wide ------------------------------------------------------------------------------ */

/* Sum of the main diagonal (of min(rows, columns) elements). */
accreal THTensor_(trace)(THTensor *t)
{
  THArgCheck(t->nDimension == 2, 1, "expected a matrix, got a %dD tensor", t->nDimension);
  const real *x = THTensor_(data)(t);
  long m = THMin(t->size[0], t->size[1]), step = t->stride[0] + t->stride[1];
  uaccreal sum = 0;
  for (long i = 0; i < m; i++) sum += (uaccreal)x[i * step];
  return (accreal)sum;
}

/* r_[i][j] = gain * ||m1_i - m2_j||^2 over the rows of m1 (N1 x ...) and m2 (N2 x ...), each row
 * being everything after the first dimension. Integer results wrap around. */
void THTensor_(match)(THTensor *r_, THTensor *m1, THTensor *m2, real gain)
{
  THArgCheck(m1->nDimension > 0, 2, "m1 is empty");
  THArgCheck(m2->nDimension > 0, 3, "m2 is empty");
  long n1 = m1->size[0], n2 = m2->size[0];
  long d = THTensor_(nElement)(m1) / n1;
  THArgCheck(THTensor_(nElement)(m2) / n2 == d, 3, "m1 and m2 rows differ in size: %ld vs %ld", d,
             (long)(THTensor_(nElement)(m2) / n2));
  THTensor *a = THTensor_(newContiguous)(m1), *b = THTensor_(newContiguous)(m2);
  THTensor *r = THTensor_(target)(r_, m1, m2);
  THTensor_(resize2d)(r, n1, n2);
  THTensor *out = THTensor_(isContiguous)(r) ? r : THTensor_(newWithSize2d)(n1, n2);
  const real *pa = THTensor_(data)(a), *pb = THTensor_(data)(b);
  real *y = THTensor_(data)(out);
  for (long i = 0; i < n1; i++) {
    for (long j = 0; j < n2; j++) {
      const real *u = pa + i * d, *v = pb + j * d;
      uaccreal acc = 0;
      for (long k = 0; k < d; k++) {
        uaccreal diff = (uaccreal)u[k] - (uaccreal)v[k];
        acc += diff * diff;
      }
      y[i * n2 + j] = (real)(accreal)((uaccreal)gain * acc);
    }
  }
  if (out != r) {
    THTensor_(copy)(r, out);
    THTensor_(free)(out);
  }
  THTensor_(free)(a);
  THTensor_(free)(b);
  THTensor_(settle)(r_, r);
}

/* ---- floating point: mean, var, std, norms, histograms ---------------------------------------- */
#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)

void THTensor_(mean)(THTensor *r_, THTensor *t, int dimension, int keepdim)
{
  THR_ARGS a = {.op = THR_SUM, .divide = 1};
  THTensor_(reduce)(r_, NULL, t, dimension, keepdim, THTensor_(foldKernel), &a);
}

/* Sum of TERM(v) over v = x[0], x[s], ...: eight partial sums on a contiguous run, so that the
 * loop vectorises. */
#define THR_PARTIAL_SUM(x, n, s, TERM)                                                   \
  do {                                                                                 \
    accreal p_[8] = {0, 0, 0, 0, 0, 0, 0, 0}, acc_ = 0;                                \
    long i_ = 0;                                                                       \
    if ((s) == 1)                                                                      \
      for (; i_ + 8 <= (n); i_ += 8)                                                   \
        for (int j_ = 0; j_ < 8; j_++) {                                               \
          accreal v = (x)[i_ + j_];                                                    \
          p_[j_] += (TERM);                                                            \
        }                                                                              \
    for (; i_ < (n); i_++) {                                                           \
      accreal v = (x)[i_ * (s)];                                                       \
      acc_ += (TERM);                                                                  \
    }                                                                                  \
    return acc_ + (((p_[0] + p_[1]) + (p_[2] + p_[3])) + ((p_[4] + p_[5]) + (p_[6] + p_[7]))); \
  } while (0)

static accreal THTensor_(sqDevRun)(const real *x, long n, long s, accreal mean)
{
  THR_PARTIAL_SUM(x, n, s, (v - mean) * (v - mean));
}

static accreal THTensor_(absSumRun)(const real *x, long n, long s)
{
  THR_PARTIAL_SUM(x, n, s, fabs(v));
}

static accreal THTensor_(sqSumRun)(const real *x, long n, long s)
{
  THR_PARTIAL_SUM(x, n, s, v * v);
}

/* Two passes (mean, then squared deviations): steadier than one-pass sums of squares. An
 * unbiased variance of one element is 0/0 = NaN, as numpy's ddof=1. */
static accreal THTensor_(varEnd)(accreal m2, long n, const THR_ARGS *a)
{
  accreal v = m2 / (accreal)(a->biased ? n : n - 1);
  return a->root ? sqrt(v) : v;
}

static accreal THTensor_(varRun)(const real *x, long n, long s, const THR_ARGS *a)
{
  accreal mean = THTensor_(foldRun)(x, n, s, THR_SUM) / n;
  return THTensor_(varEnd)(THTensor_(sqDevRun)(x, n, s, mean), n, a);
}

static void THTensor_(momentKernel)(THTensor *r, THLongTensor *ri, THTensor *t, int dim, const THR_ARGS *a)
{
  long outer, n, inner;
  if (THTensor_(split)(t, r, NULL, dim, &outer, &n, &inner)) {
    const real *x = THTensor_(data)(t);
    real *y = THTensor_(data)(r);
    if (inner == 1) {
      for (long o = 0; o < outer; o++) y[o] = (real)THTensor_(varRun)(x + o * n, n, 1, a);
    } else {
      accreal *mean = THAlloc((ptrdiff_t)sizeof(accreal) * inner * 2), *m2 = mean + inner;
      for (long o = 0; o < outer; o++, x += n * inner, y += inner) {
        for (long k = 0; k < inner; k++) mean[k] = m2[k] = 0;
        for (long j = 0; j < n; j++) THTensor_(foldRow)(mean, x + j * inner, inner, THR_SUM);
        for (long k = 0; k < inner; k++) mean[k] /= n;
        for (long j = 0; j < n; j++) {
          const real *row = x + j * inner;
          for (long k = 0; k < inner; k++) {
            accreal dev = row[k] - mean[k];
            m2[k] += dev * dev;
          }
        }
        for (long k = 0; k < inner; k++) y[k] = (real)THTensor_(varEnd)(m2[k], n, a);
      }
      THFree(mean);
    }
  } else {
    TH_TENSOR_DIM_APPLY2(real, t, real, r, dim,
      *r_data = (real)THTensor_(varRun)(t_data, t_size, t_stride, a););
  }
}

void THTensor_(var)(THTensor *r_, THTensor *t, int dimension, int biased, int keepdim)
{
  THR_ARGS a = {.biased = biased, .root = 0};
  THTensor_(reduce)(r_, NULL, t, dimension, keepdim, THTensor_(momentKernel), &a);
}

void THTensor_(std)(THTensor *r_, THTensor *t, int dimension, int biased, int keepdim)
{
  THR_ARGS a = {.biased = biased, .root = 1};
  THTensor_(reduce)(r_, NULL, t, dimension, keepdim, THTensor_(momentKernel), &a);
}

/* p-norms. p = 0 counts the nonzero elements, p = inf is the largest magnitude, p = -inf the
 * smallest; otherwise (sum |x|^p)^(1/p), with p = 1 and 2 on their own loops. A norm is an
 * accumulator (normAcc folds a run into it, runs combine) and a last step (normEnd). */
static int THTensor_(normKind)(accreal p)
{
  if (p == 0) return THR_P0;
  if (p == 1) return THR_P1;
  if (p == 2) return THR_P2;
  if (isinf(p)) return p > 0 ? THR_PINF : THR_PNINF;
  return THR_PANY;
}

static accreal THTensor_(normStart)(int kind)
{
  return kind == THR_PNINF ? INFINITY : 0;
}

/* One magnitude a = |x| into the accumulator; for the infinite norms NaN propagates. */
static inline accreal THTensor_(normStep)(accreal acc, accreal a, int kind, accreal p)
{
  switch (kind) {
  case THR_P0: return acc + (a != 0);
  case THR_P1: return acc + a;
  case THR_P2: return acc + a * a;
  case THR_PINF: return (acc != acc || a <= acc) ? acc : a;
  case THR_PNINF: return (acc != acc || a >= acc) ? acc : a;
  default: return acc + pow(a, p);
  }
}

/* A run x[0], x[s], ... into the accumulator. */
static accreal THTensor_(normAcc)(accreal acc, const real *x, long n, long s, int kind, accreal p)
{
  if (kind == THR_P1) return acc + THTensor_(absSumRun)(x, n, s);
  if (kind == THR_P2) return acc + THTensor_(sqSumRun)(x, n, s);
  for (long i = 0; i < n; i++) acc = THTensor_(normStep)(acc, fabs((accreal)x[i * s]), kind, p);
  return acc;
}

/* Row k of a contiguous block into acc[k], with the kind's choice out of the loop. */
static void THTensor_(normRow)(accreal *acc, const real *row, long m, int kind, accreal p)
{
  if (kind == THR_P2) {
    for (long k = 0; k < m; k++) acc[k] += (accreal)row[k] * row[k];
  } else if (kind == THR_P1) {
    for (long k = 0; k < m; k++) acc[k] += fabs((accreal)row[k]);
  } else {
    for (long k = 0; k < m; k++) acc[k] = THTensor_(normStep)(acc[k], fabs((accreal)row[k]), kind, p);
  }
}

static accreal THTensor_(normEnd)(accreal acc, int kind, accreal p)
{
  if (kind == THR_P2) return sqrt(acc);
  if (kind == THR_PANY) return pow(acc, 1 / p);
  return acc;
}

static void THTensor_(normKernel)(THTensor *r, THLongTensor *ri, THTensor *t, int dim, const THR_ARGS *a)
{
  int kind = a->kind;
  accreal p = a->p;
  long outer, n, inner;
  if (THTensor_(split)(t, r, NULL, dim, &outer, &n, &inner)) {
    const real *x = THTensor_(data)(t);
    real *y = THTensor_(data)(r);
    if (inner == 1) {
      for (long o = 0; o < outer; o++) {
        accreal acc = THTensor_(normAcc)(THTensor_(normStart)(kind), x + o * n, n, 1, kind, p);
        y[o] = (real)THTensor_(normEnd)(acc, kind, p);
      }
    } else {
      accreal *acc = THAlloc((ptrdiff_t)sizeof(accreal) * inner);
      for (long o = 0; o < outer; o++, x += n * inner, y += inner) {
        for (long k = 0; k < inner; k++) acc[k] = THTensor_(normStart)(kind);
        for (long j = 0; j < n; j++) THTensor_(normRow)(acc, x + j * inner, inner, kind, p);
        for (long k = 0; k < inner; k++) y[k] = (real)THTensor_(normEnd)(acc[k], kind, p);
      }
      THFree(acc);
    }
  } else {
    TH_TENSOR_DIM_APPLY2(real, t, real, r, dim,
      accreal acc = THTensor_(normAcc)(THTensor_(normStart)(kind), t_data, t_size, t_stride, kind, p);
      *r_data = (real)THTensor_(normEnd)(acc, kind, p););
  }
}

void THTensor_(norm)(THTensor *r_, THTensor *t, real value, int dimension, int keepdim)
{
  THR_ARGS a = {.kind = THTensor_(normKind)(value), .p = value};
  THTensor_(reduce)(r_, NULL, t, dimension, keepdim, THTensor_(normKernel), &a);
}

/* The norm of any tensor, run by run (0 for an empty one, except for p = -inf: inf). */
static accreal THTensor_(normOf)(THTensor *t, int kind, accreal p)
{
  accreal acc = THTensor_(normStart)(kind);
  ptrdiff_t n = THTensor_(nElement)(t);
  if (n == 0) return THTensor_(normEnd)(acc, kind, p);
  THIter it;
  THIter_init(&it, THTensor_(data)(t), sizeof(real), t->nDimension, t->size, t->stride);
  while (n > 0) {
    long run = it.left;
    acc = THTensor_(normAcc)(acc, (real *)it.ptr, run, TH_ITER_STRIDE(it), kind, p);
    THIter_advance(&it, run);
    n -= run;
  }
  return THTensor_(normEnd)(acc, kind, p);
}

accreal THTensor_(normall)(THTensor *t, real value)
{
  return THTensor_(normOf)(t, THTensor_(normKind)(value), value);
}

/* sum over the elements of |a - b|^p, then that sum to the power 1/p, all as upstream computes
 * it: the difference, |.|, the power and the sum in `real` (float arithmetic for Float). So p = 0
 * gives count^inf (inf for more than one element, 1 for one) and p = inf gives sum^0 = 1: not
 * norms, but upstream's results. Same number of elements; shapes may differ, as upstream. */
accreal THTensor_(dist)(THTensor *a, THTensor *b, real value)
{
  THArgCheck(THTensor_(nElement)(a) == THTensor_(nElement)(b), 2,
             "inconsistent tensor size: %td vs %td elements", THTensor_(nElement)(a),
             THTensor_(nElement)(b));
  real sum = 0;
#if defined(TH_REAL_IS_FLOAT)
  TH_TENSOR_APPLY2(real, a, real, b, sum += powf(fabsf(*a_data - *b_data), value););
  return powf(sum, (float)(1.0 / value));
#else
  TH_TENSOR_APPLY2(real, a, real, b, sum += pow(fabs(*a_data - *b_data), value););
  return pow(sum, 1.0 / value);
#endif
}

/* Each sub-tensor t.select(dimension, i) whose p-norm exceeds maxnorm is scaled by
 * maxnorm / (norm + 1e-7), as upstream; the others are copied. r_ may be t. */
void THTensor_(renorm)(THTensor *r_, THTensor *t, real value, int dimension, real maxnorm)
{
  THTensor_(checkDim)(t, dimension);
  THArgCheck(value > 0, 3, "non-positive norm %g not supported", (double)value);
  THArgCheck(t->nDimension > 1, 2, "need at least 2 dimensions, got %d", t->nDimension);
  int kind = THTensor_(normKind)(value);
  THTensor_(resizeAs)(r_, t);
  for (long i = 0; i < t->size[dimension]; i++) {
    THTensor *ts = THTensor_(newSelect)(t, dimension, i), *rs = THTensor_(newSelect)(r_, dimension, i);
    accreal norm = THTensor_(normOf)(ts, kind, value);
    if (norm > maxnorm) {
      accreal scale = maxnorm / (norm + 1e-7);
      TH_TENSOR_APPLY2(real, rs, real, ts, *rs_data = (real)(*ts_data * scale););
    } else if (r_ != t) {
      THTensor_(copy)(rs, ts);
    }
    THTensor_(free)(ts);
    THTensor_(free)(rs);
  }
}

accreal THTensor_(meanall)(THTensor *self)
{
  ptrdiff_t n = THTensor_(nElement)(self);
  THArgCheck(n > 0, 1, "mean of an empty tensor");
  return THTensor_(sumall)(self) / n;
}

accreal THTensor_(varall)(THTensor *self, int biased)
{
  ptrdiff_t n = THTensor_(nElement)(self), left = n;
  THArgCheck(n > 0, 1, "variance of an empty tensor");
  accreal mean = THTensor_(sumall)(self) / n, m2 = 0;
  THIter it;
  THIter_init(&it, THTensor_(data)(self), sizeof(real), self->nDimension, self->size, self->stride);
  while (left > 0) {
    long run = it.left;
    m2 += THTensor_(sqDevRun)((real *)it.ptr, run, TH_ITER_STRIDE(it), mean);
    THIter_advance(&it, run);
    left -= run;
  }
  return m2 / (accreal)(biased ? n : n - 1);
}

accreal THTensor_(stdall)(THTensor *self, int biased)
{
  return sqrt(THTensor_(varall)(self, biased));
}

/* The histogram range: [minvalue, maxvalue], or when they are equal the data's own range (NaN
 * ignored); a range of one point is widened by 1 on each side. */
static void THTensor_(histRange)(THTensor *t, real minvalue, real maxvalue, accreal *lo, accreal *hi)
{
  *lo = minvalue;
  *hi = maxvalue;
  if (*lo == *hi) {
    accreal mn = INFINITY, mx = -INFINITY;
    TH_TENSOR_APPLY(real, t, real v = *t_data; if (v < mn) mn = v; if (v > mx) mx = v;);
    if (mn <= mx) {
      *lo = mn;
      *hi = mx;
    }
  }
  if (*lo == *hi) {
    *lo -= 1;
    *hi += 1;
  }
}

/* Counts x into one of nbins equal bins over [lo, hi] (hi falls in the last bin; outside values
 * and NaN are not counted). */
static inline void THTensor_(histAdd)(real *h, long hs, long nbins, accreal lo, accreal hi, real x)
{
  if (x >= lo && x <= hi) {
    long bin = (long)((x - lo) / (hi - lo) * nbins);
    h[THMin(bin, nbins - 1) * hs] += 1;
  }
}

static void THTensor_(checkHist)(long nbins, real minvalue, real maxvalue)
{
  THArgCheck(nbins > 0, 3, "the number of bins must be positive, got %ld", nbins);
  THArgCheck(minvalue <= maxvalue, 5, "max %g below min %g", (double)maxvalue, (double)minvalue);
}

void THTensor_(histc)(THTensor *hist, THTensor *tensor, long nbins, real minvalue, real maxvalue)
{
  THTensor_(checkHist)(nbins, minvalue, maxvalue);
  accreal lo, hi;
  THTensor_(histRange)(tensor, minvalue, maxvalue, &lo, &hi);
  THTensor *h = THTensor_(target)(hist, tensor, NULL);
  THTensor_(resize1d)(h, nbins);
  THTensor_(zero)(h);
  real *hd = THTensor_(data)(h);
  long hs = h->stride[0];
  TH_TENSOR_APPLY(real, tensor, THTensor_(histAdd)(hd, hs, nbins, lo, hi, *tensor_data););
  THTensor_(settle)(hist, h);
}

/* One histogram per row of a matrix, all over the same range (from the whole matrix when
 * minvalue == maxvalue). */
void THTensor_(bhistc)(THTensor *hist, THTensor *tensor, long nbins, real minvalue, real maxvalue)
{
  THArgCheck(tensor->nDimension == 2, 2, "expected a matrix, got a %dD tensor", tensor->nDimension);
  THTensor_(checkHist)(nbins, minvalue, maxvalue);
  accreal lo, hi;
  THTensor_(histRange)(tensor, minvalue, maxvalue, &lo, &hi);
  THTensor *h = THTensor_(target)(hist, tensor, NULL);
  THTensor_(resize2d)(h, tensor->size[0], nbins);
  THTensor_(zero)(h);
  TH_TENSOR_DIM_APPLY2(real, tensor, real, h, 1,
    for (long i = 0; i < tensor_size; i++)
      THTensor_(histAdd)(h_data, h_stride, nbins, lo, hi, tensor_data[i * tensor_stride]););
  THTensor_(settle)(hist, h);
}

#endif /* float, double */

/* ---- byte masks ------------------------------------------------------------------------------- */
#if defined(TH_REAL_IS_BYTE)

/* 1 when every element is nonzero (so for an empty tensor). */
int THTensor_(logicalall)(THTensor *self)
{
  int all = 1;
  TH_TENSOR_APPLY(real, self, all &= *self_data != 0;);
  return all;
}

/* 1 when some element is nonzero. */
int THTensor_(logicalany)(THTensor *self)
{
  int any = 0;
  TH_TENSOR_APPLY(real, self, any |= *self_data != 0;);
  return any;
}

#endif

#undef THR_PARTIAL_SUM
#undef THR_PAIR
#undef THR_ARGS
#undef THR_KERNEL
#undef THR_ISNAN
#undef THR_LT
#undef THR_KEY
#undef THR_RADIX
#undef THR_KEY_BITS
#undef THR_SIGN_BIT
#undef THR_INT_FLIP
#undef THR_DIGIT_BITS
#undef THR_DIGITS
#undef THR_PASSES
#undef THR_RADIX_MIN
#undef THR_MSD_MIN
#undef THR_MSD_LEAF
