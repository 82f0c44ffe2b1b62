/* generic/THTensorPointwise.c: elementwise math.
 *
 * Conventions, as upstream Torch7: the result comes first and is resized to the shape of the
 * (first) input; it may be that input itself. Inputs combined elementwise must have the same
 * number of elements (their shapes may differ). Integer arithmetic that may overflow is done in
 * ureal so that it wraps. Every argument check (sizes, integer division by zero, negative
 * integer exponents) runs before anything is resized or written: an error leaves r_ untouched.
 *
 * Each function is one expression of the elements x (y, z) of its inputs and its scalars v, w,
 * compiled once into a kernel (PW_KERNEL*) that the PW_MAP* loops below call.
 */
#ifndef TH_GENERIC_FILE
#error "include through THTensorPointwise.c"
#endif

#include "THParallel.h"

/* ---- the loops (type-independent text: defined once, expanded per type) ---------------- */
#ifndef TH_POINTWISE_LOOPS
#define TH_POINTWISE_LOOPS

/* Each operation's expression is compiled once, into a kernel: a file-scope function over one
 * line of n elements of its operands (a flat loop, which the compiler vectorises, when every
 * stride is 1; a strided one otherwise), given the operation's scalars as v and w. Runners
 * (pwRun*, one per arity and type) call kernels: a large contiguous job in pieces, on a team
 * when it pays (THParallel.h), anything else line by line (THTensorApply.h's THIter). Expanding
 * the expression on each of those paths instead took half again the compile time (about 11 s
 * against 7.5 s of CPU for Float's part), and expanding the runner at each operation (its team
 * region, its contiguity tests) nearly doubled it again (about 8 s against 4.4 s): neither was
 * faster (measured in one process, old and new library interleaved). */

/* A kernel: r[i] = EXPR(x) with x = a[i], for i in [0, n) (strides rs, as). RT: r's element
 * type (real, or unsigned char for 0/1 masks). */
#define PW_KERNEL1(NAME, RT, ...)                                                          \
  TH_NOINLINE static void THTensor_(NAME)(void *r_, long rs, const real *a, long as,      \
                                          ptrdiff_t n, real v, real w)                    \
  {                                                                                       \
    RT *r = r_;                                                                           \
    (void)v;                                                                              \
    (void)w;                                                                              \
    if (rs == 1 && as == 1) {                                                             \
      for (ptrdiff_t i = 0; i < n; i++) {                                                 \
        real x = a[i];                                                                    \
        r[i] = (RT)(__VA_ARGS__);                                                         \
      }                                                                                   \
    } else {                                                                              \
      for (ptrdiff_t i = 0; i < n; i++) {                                                 \
        real x = a[i * as];                                                               \
        r[i * rs] = (RT)(__VA_ARGS__);                                                    \
      }                                                                                   \
    }                                                                                     \
  }

/* r[i] = EXPR(x, y) with x = a[i], y = b[i]. */
#define PW_KERNEL2(NAME, RT, ...)                                                          \
  TH_NOINLINE static void THTensor_(NAME)(void *r_, long rs, const real *a, long as,      \
                                          const real *b, long bs, ptrdiff_t n, real v,    \
                                          real w)                                         \
  {                                                                                       \
    RT *r = r_;                                                                           \
    (void)v;                                                                              \
    (void)w;                                                                              \
    if (rs == 1 && as == 1 && bs == 1) {                                                  \
      for (ptrdiff_t i = 0; i < n; i++) {                                                 \
        real x = a[i], y = b[i];                                                          \
        r[i] = (RT)(__VA_ARGS__);                                                         \
      }                                                                                   \
    } else {                                                                              \
      for (ptrdiff_t i = 0; i < n; i++) {                                                 \
        real x = a[i * as], y = b[i * bs];                                                \
        r[i * rs] = (RT)(__VA_ARGS__);                                                    \
      }                                                                                   \
    }                                                                                     \
  }

/* r[i] = EXPR(x, y, z) with x = a[i], y = b[i], z = c[i]; r is of this type. */
#define PW_KERNEL3(NAME, ...)                                                              \
  TH_NOINLINE static void THTensor_(NAME)(real *r, long rs, const real *a, long as,       \
                                          const real *b, long bs, const real *c, long cs, \
                                          ptrdiff_t n, real v)                            \
  {                                                                                       \
    if (rs == 1 && as == 1 && bs == 1 && cs == 1) {                                       \
      for (ptrdiff_t i = 0; i < n; i++) {                                                 \
        real x = a[i], y = b[i], z = c[i];                                                \
        r[i] = (real)(__VA_ARGS__);                                                       \
      }                                                                                   \
    } else {                                                                              \
      for (ptrdiff_t i = 0; i < n; i++) {                                                 \
        real x = a[i * as], y = b[i * bs], z = c[i * cs];                                 \
        r[i * rs] = (real)(__VA_ARGS__);                                                  \
      }                                                                                   \
    }                                                                                     \
  }

/* R = KERNEL over A (and B) with scalars V, W: R is of this type (PW_MAP) or a THByteTensor of
 * 0/1 (PW_MASK), already resized to A's shape. The work is done by a runner (pwRun*, below: one
 * per arity, shared by every operation), given this call site's THParallelSite so that each
 * operation still learns on its own whether a team pays. V and W are evaluated once. */
#define PW_RUN(RUN, RT, RCONTIG, RDATA, R, KERNEL, ...)                                     \
  do {                                                                                   \
    static THParallelSite pwSite_;                                                       \
    THTensor_(RUN)(&pwSite_, THTensor_(KERNEL), RDATA(R), sizeof(RT), RCONTIG(R),         \
                   (R)->nDimension, (R)->size, (R)->stride, __VA_ARGS__);                \
  } while (0)

/* Results of this type, and 0/1 masks in a THByteTensor. */
#define PW_MAP1(R, A, KERNEL, V, W) \
  PW_RUN(pwRun1, real, THTensor_(isContiguous), THTensor_(data), R, KERNEL, A, V, W)
#define PW_MAP2(R, A, B, KERNEL, V, W) \
  PW_RUN(pwRun2, real, THTensor_(isContiguous), THTensor_(data), R, KERNEL, A, B, V, W)
#define PW_MASK1(R, A, KERNEL, V, W)                                                   \
  PW_RUN(pwRun1, unsigned char, THByteTensor_isContiguous, THByteTensor_data, R, KERNEL, A, \
         V, W)
#define PW_MASK2(R, A, B, KERNEL, V, W)                                                \
  PW_RUN(pwRun2, unsigned char, THByteTensor_isContiguous, THByteTensor_data, R, KERNEL, A, \
         B, V, W)

/* R = KERNEL(x, y, z) over A, B, C with scalar V, all of this type. */
#define PW_MAP3(R, A, B, C, KERNEL, V)                                    \
  do {                                                                   \
    static THParallelSite pwSite_;                                       \
    THTensor_(pwRun3)(&pwSite_, THTensor_(KERNEL), R, A, B, C, V);       \
  } while (0)

/* ---- exp without libm: a form the compiler vectorises --------------------------------------
 * exp(x) = 2^n exp(r) with n = round(x / ln 2) and r = x - n ln 2 (ln 2 in two parts, Cody and
 * Waite, so that r is exact to well below an ulp), |r| <= ln(2) / 2 (and a hair), exp(r) =
 * 1 + r + r^2 q(r) with q a near-minimax fit (Chebyshev, relative error of exp(r) about 1e-8
 * for float and 1.4e-17 for double), and 2^n applied as two powers of two of about n / 2 each
 * (n >> 1, which GCC and Clang shift arithmetically, and the rest) so that results in the
 * subnormal range round once, correctly: the first product stays normal, exact. x is clamped first to where the answer
 * is surely +inf (or 0), which also keeps n small; NaN goes through the arithmetic as NaN. The
 * integer n comes from the bits of x / ln 2 + 1.5 * 2^(mantissa bits) (no float-to-int
 * conversion, which is undefined for NaN). The multiply-adds are written as fma: one rounding
 * each, a third fewer instructions, and the same bits in every SIMD clone and in the scalar code
 * (nothing else is contracted or reordered in ISO C mode); a CPU without FMA (x86 before 2013)
 * runs the default clone, which gets them from libm, correct but several times slower. Within
 * about 1 ulp. */
static inline float THPointwise_expf(float x)
{
  const float shifter = 0x1.8p23f;
  x = x > 88.8f ? 88.8f : x < -104.0f ? -104.0f : x; /* one select: fewer vector blends */
  float t = fmaf(x, 1.44269504088896341f, shifter);
  float kf = t - shifter;
  uint32_t tb, sb;
  memcpy(&tb, &t, sizeof tb);
  memcpy(&sb, &shifter, sizeof sb);
  int32_t n = (int32_t)(tb - sb);
  float r = fmaf(kf, -0.693359375f, x); /* ln 2 = 0x1.63p-1 (exact in kf * it) ... */
  r = fmaf(kf, 2.12194440e-4f, r);      /* ... + this */
  float q = 1.392692661402190648e-3f;
  q = fmaf(q, r, 8.363773874405573499e-3f);
  q = fmaf(q, r, 4.166655011030512444e-2f);
  q = fmaf(q, r, 1.666657338190084602e-1f);
  q = fmaf(q, r, 0.5f);
  float p = 1.0f + fmaf(r * r, q, r);
  int32_t n1 = n >> 1, n2 = n - n1;     /* |n| <= 151: both halves are normal exponents */
  uint32_t b1 = (uint32_t)(n1 + 127) << 23, b2 = (uint32_t)(n2 + 127) << 23;
  float s1, s2;
  memcpy(&s1, &b1, sizeof s1);
  memcpy(&s2, &b2, sizeof s2);
  return (p * s1) * s2;
}

static inline double THPointwise_exp(double x)
{
  const double shifter = 0x1.8p52;
  x = x > 709.8 ? 709.8 : x < -745.2 ? -745.2 : x;
  double t = fma(x, 1.44269504088896338700e+00, shifter);
  double kf = t - shifter;
  uint64_t tb, sb;
  memcpy(&tb, &t, sizeof tb);
  memcpy(&sb, &shifter, sizeof sb);
  int64_t n = (int64_t)(tb - sb);
  double r = fma(kf, -6.93147180369123816490e-01, x); /* ln 2, high 21 bits ... */
  r = fma(kf, -1.90821492927058770002e-10, r);        /* ... + the rest */
  double q = 2.510134692835034019878844e-8;
  q = fma(q, r, 2.762133866914292380112564e-7);
  q = fma(q, r, 2.755726641861230370310709e-6);
  q = fma(q, r, 2.480151864139599358273675e-5);
  q = fma(q, r, 1.984126986438051329547047e-4);
  q = fma(q, r, 1.388888891893916778499382e-3);
  q = fma(q, r, 8.333333333329793499595376e-3);
  q = fma(q, r, 4.166666666662063858374340e-2);
  q = fma(q, r, 1.666666666666666753413095e-1);
  q = fma(q, r, 5.000000000000001127956642e-1);
  double p = 1.0 + fma(r * r, q, r);
  int64_t n1 = n >> 1, n2 = n - n1;     /* |n| <= 1076: both halves are normal exponents */
  uint64_t b1 = (uint64_t)(n1 + 1023) << 52, b2 = (uint64_t)(n2 + 1023) << 52;
  double s1, s2;
  memcpy(&s1, &b1, sizeof s1);
  memcpy(&s2, &b2, sizeof s2);
  return (p * s1) * s2;
}

#endif /* TH_POINTWISE_LOOPS */

typedef void (*THTensor_(PwKernel1))(void *, long, const real *, long, ptrdiff_t, real, real);
typedef void (*THTensor_(PwKernel2))(void *, long, const real *, long, const real *, long,
                                     ptrdiff_t, real, real);
typedef void (*THTensor_(PwKernel3))(real *, long, const real *, long, const real *, long,
                                     const real *, long, ptrdiff_t, real);

/* THIter over a tensor of this type. */
static void THTensor_(pwIter)(THIter *it, THTensor *t)
{
  THIter_init(it, THTensor_(data)(t), sizeof(real), t->nDimension, t->size, t->stride);
}

/* The strided walks: kernel k over the lines that r and the operands share. r's data, element
 * size, dimensions, sizes and strides are given apart (it is of this type or a THByteTensor);
 * every tensor has n elements. */
static void THTensor_(pwWalk1)(THTensor_(PwKernel1) k, ptrdiff_t n, THIter *ir, THTensor *a,
                               real v, real w)
{
  THIter ia;
  THTensor_(pwIter)(&ia, a);
  while (n > 0) {
    long run = THMin(ir->left, ia.left);
    k(ir->ptr, TH_ITER_STRIDE(*ir), (const real *)ia.ptr, TH_ITER_STRIDE(ia), run, v, w);
    THIter_advance(ir, run);
    THIter_advance(&ia, run);
    n -= run;
  }
}

static void THTensor_(pwWalk2)(THTensor_(PwKernel2) k, ptrdiff_t n, THIter *ir, THTensor *a,
                               THTensor *b, real v, real w)
{
  THIter ia, ib;
  THTensor_(pwIter)(&ia, a);
  THTensor_(pwIter)(&ib, b);
  while (n > 0) {
    long run = THMin(THMin(ir->left, ia.left), ib.left);
    k(ir->ptr, TH_ITER_STRIDE(*ir), (const real *)ia.ptr, TH_ITER_STRIDE(ia),
      (const real *)ib.ptr, TH_ITER_STRIDE(ib), run, v, w);
    THIter_advance(ir, run);
    THIter_advance(&ia, run);
    THIter_advance(&ib, run);
    n -= run;
  }
}

static void THTensor_(pwWalk3)(THTensor_(PwKernel3) k, ptrdiff_t n, THTensor *r, THTensor *a,
                               THTensor *b, THTensor *c, real v)
{
  THIter it[4];
  THTensor *ts[4] = {r, a, b, c};
  for (int j = 0; j < 4; j++) THTensor_(pwIter)(&it[j], ts[j]);
  while (n > 0) {
    long run = it[0].left;
    for (int j = 1; j < 4; j++) run = THMin(run, it[j].left);
    k((real *)it[0].ptr, TH_ITER_STRIDE(it[0]), (const real *)it[1].ptr, TH_ITER_STRIDE(it[1]),
      (const real *)it[2].ptr, TH_ITER_STRIDE(it[2]), (const real *)it[3].ptr,
      TH_ITER_STRIDE(it[3]), run, v);
    for (int j = 0; j < 4; j++) THIter_advance(&it[j], run);
    n -= run;
  }
}

/* The runners: kernel k over every element, a contiguous job cut in pieces (on a team when the
 * call site's measurements say it pays), anything else walked line by line. r's data, element
 * size, contiguity and geometry are given apart (it is of this type or a THByteTensor), and
 * has as many elements as a. */
TH_NOINLINE static void THTensor_(pwRun1)(THParallelSite *site, THTensor_(PwKernel1) k,
                                          void *rp, size_t rsz, int rcontig, int rdim,
                                          long *rsize, long *rstride, THTensor *a, real v,
                                          real w)
{
  ptrdiff_t n = THTensor_(nElement)(a);
  if (n == 0) return;
  if (rcontig && THTensor_(isContiguous)(a)) {
    char *r = rp;
    const real *ap = THTensor_(data)(a);
    TH_PARALLEL_RANGE_AT(site, n, b, e, k(r + (size_t)b * rsz, 1, ap + b, 1, e - b, v, w););
  } else {
    THIter ir;
    THIter_init(&ir, rp, rsz, rdim, rsize, rstride);
    THTensor_(pwWalk1)(k, n, &ir, a, v, w);
  }
}

TH_NOINLINE static void THTensor_(pwRun2)(THParallelSite *site, THTensor_(PwKernel2) k,
                                          void *rp, size_t rsz, int rcontig, int rdim,
                                          long *rsize, long *rstride, THTensor *a, THTensor *b,
                                          real v, real w)
{
  ptrdiff_t n = THTensor_(nElement)(a);
  if (n == 0) return;
  if (rcontig && THTensor_(isContiguous)(a) && THTensor_(isContiguous)(b)) {
    char *r = rp;
    const real *ap = THTensor_(data)(a), *bp = THTensor_(data)(b);
    TH_PARALLEL_RANGE_AT(site, n, pb, pe,
                         k(r + (size_t)pb * rsz, 1, ap + pb, 1, bp + pb, 1, pe - pb, v, w););
  } else {
    THIter ir;
    THIter_init(&ir, rp, rsz, rdim, rsize, rstride);
    THTensor_(pwWalk2)(k, n, &ir, a, b, v, w);
  }
}

TH_NOINLINE static void THTensor_(pwRun3)(THParallelSite *site, THTensor_(PwKernel3) k,
                                          THTensor *r, THTensor *a, THTensor *b, THTensor *c,
                                          real v)
{
  ptrdiff_t n = THTensor_(nElement)(r);
  if (n == 0) return;
  if (THTensor_(isContiguous)(r) && THTensor_(isContiguous)(a) &&
      THTensor_(isContiguous)(b) && THTensor_(isContiguous)(c)) {
    real *rp = THTensor_(data)(r);
    const real *ap = THTensor_(data)(a), *bp = THTensor_(data)(b), *cp = THTensor_(data)(c);
    TH_PARALLEL_RANGE_AT(site, n, pb, pe,
                         k(rp + pb, 1, ap + pb, 1, bp + pb, 1, cp + pb, 1, pe - pb, v););
  } else {
    THTensor_(pwWalk3)(k, n, r, a, b, c, v);
  }
}


/* The C math function of this precision: expf for float, exp for double. */
#if defined(TH_REAL_IS_FLOAT)
#define PW_M(NAME) NAME##f
#else
#define PW_M(NAME) NAME
#endif

/* Wrapping integer arithmetic. */
#define PW_UADD(a, b) ((real)((ureal)(a) + (ureal)(b)))
#define PW_UMUL(a, b) ((real)((ureal)(a) * (ureal)(b)))

/* ---- helpers --------------------------------------------------------------------------- */

static void THTensor_(pwCheckNumel)(THTensor *a, THTensor *b, int arg)
{
  THArgCheck(THTensor_(nElement)(a) == THTensor_(nElement)(b), arg,
             "inconsistent tensor size: %td vs %td elements", THTensor_(nElement)(a),
             THTensor_(nElement)(b));
}

#ifdef TH_REAL_IS_INTEGER
static int THTensor_(pwAnyZero)(THTensor *t)
{
  int found = 0;
  TH_TENSOR_APPLY(real, t, found |= *t_data == 0;);
  return found;
}

/* C's / and %: truncation, the remainder has the sign of the dividend. The divisor -1 is done
 * apart: INT_MIN / -1 and INT_MIN % -1 would trap. y != 0 (the callers check). */
static inline real THTensor_(pwIdiv)(real x, real y)
{
#ifdef TH_REAL_IS_SIGNED
  if (y == -1) return (real)(0 - (ureal)x);
#endif
  return (real)(x / y);
}

static inline real THTensor_(pwImod)(real x, real y)
{
#ifdef TH_REAL_IS_SIGNED
  if (y == -1) return 0;
#endif
  return (real)(x % y);
}

/* Python's %: the remainder has the sign of the divisor (x - floor(x / y) * y). */
static inline real THTensor_(pwIrem)(real x, real y)
{
  real m = THTensor_(pwImod)(x, y);
#ifdef TH_REAL_IS_SIGNED
  if (m != 0 && (m < 0) != (y < 0)) m = (real)(m + y); /* |m| < |y|: no overflow */
#endif
  return m;
}

#define PW_BITS ((int)(sizeof(real) * CHAR_BIT))

/* Shifts as upstream computes them: the value is taken as the unsigned type of its own width
 * (Byte is unsigned already), so >> brings zeros in from the left (Char -2 >> 3 is 254 >> 3 =
 * 31) and << wraps to the type. A count outside [0, width) is undefined in C (upstream reads
 * it as whatever the machine does); here every bit is shifted out: 0 either way. */
#if defined(TH_REAL_IS_BYTE) || defined(TH_REAL_IS_CHAR)
#define PW_UWIDTH unsigned char
#elif defined(TH_REAL_IS_SHORT)
#define PW_UWIDTH unsigned short
#elif defined(TH_REAL_IS_INT)
#define PW_UWIDTH unsigned int
#else
#define PW_UWIDTH unsigned long
#endif
static inline real THTensor_(pwShl)(real x, real n)
{
#ifdef TH_REAL_IS_SIGNED
  if (n < 0) return 0;
#endif
  if (n >= PW_BITS) return 0;
  return (real)(PW_UWIDTH)((PW_UWIDTH)x << n);
}

static inline real THTensor_(pwShr)(real x, real n)
{
#ifdef TH_REAL_IS_SIGNED
  if (n < 0) return 0;
#endif
  if (n >= PW_BITS) return 0;
  return (real)((PW_UWIDTH)x >> n);
}
#undef PW_UWIDTH
#undef PW_BITS
#endif /* TH_REAL_IS_INTEGER */


#ifdef TH_REAL_IS_FLOATING
/* Python's % for floats: fmod (exact), moved into the divisor's sign; a zero takes the divisor's
 * sign too. This is x - floor(x / y) * y without that formula's rounding error, and agrees with
 * numpy.remainder (y == 0 gives NaN). */
static inline real THTensor_(pwFrem)(real x, real y)
{
  real m = PW_M(fmod)(x, y);
  if (m == 0) return PW_M(copysign)(0, y);
  if ((m < 0) != (y < 0)) m += y;
  return m;
}
#endif

/* ---- signed arithmetic ----------------------------------------------------------------- */

#if defined(TH_REAL_IS_SHORT) || defined(TH_REAL_IS_INT) || defined(TH_REAL_IS_LONG) || \
    defined(TH_REAL_IS_FLOATING)
#ifdef TH_REAL_IS_FLOATING
PW_KERNEL1(absK, real, PW_M(fabs)(x))
PW_KERNEL1(negK, real, -x)
#else
PW_KERNEL1(absK, real, x < 0 ? (real)(0 - (ureal)x) : x) /* abs(INT_MIN) wraps to INT_MIN */
PW_KERNEL1(negK, real, 0 - (ureal)x)
#endif

void THTensor_(abs)(THTensor *r_, THTensor *t)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, absK, 0, 0);
}

void THTensor_(neg)(THTensor *r_, THTensor *t)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, negK, 0, 0);
}
#endif

/* 1, 0 or -1; NaN gives 0, as upstream (it is neither > 0 nor < 0). */
#ifdef TH_REAL_IS_BYTE
PW_KERNEL1(signK, real, x != 0)
#else
PW_KERNEL1(signK, real, (x > 0) - (x < 0))
#endif
void THTensor_(sign)(THTensor *r_, THTensor *t)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, signK, 0, 0);
}

/* As upstream: below min (v) gives min, else above max (w) gives max (so min > max gives min for
 * the elements below min and max for the rest); NaN stays NaN. */
PW_KERNEL1(clampK, real, x < v ? v : (x > w ? w : x))
void THTensor_(clamp)(THTensor *r_, THTensor *t, real min_value, real max_value)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, clampK, min_value, max_value);
}

/* ---- powers ---------------------------------------------------------------------------- */

#ifdef TH_REAL_IS_FLOATING
/* As upstream: the exponents 1, 2, 3, 0.5, -0.5, -1 and -2 are done as x, x * x, x * x * x,
 * sqrt(x), 1 / sqrt(x), 1 / x and 1 / (x * x) (their roundings, and sqrt's -0 and NaN for -inf),
 * any other with pow of the type's precision. */
PW_KERNEL1(pow1K, real, x)
PW_KERNEL1(pow2K, real, x * x)
PW_KERNEL1(pow3K, real, x * x * x)
PW_KERNEL1(powHalfK, real, PW_M(sqrt)(x))
PW_KERNEL1(powMinusHalfK, real, 1 / PW_M(sqrt)(x))
PW_KERNEL1(powMinus1K, real, 1 / x)
PW_KERNEL1(powMinus2K, real, 1 / (x * x))
PW_KERNEL1(powK, real, PW_M(pow)(x, v))
void THTensor_(pow)(THTensor *r_, THTensor *t, real value)
{
  THTensor_(resizeAs)(r_, t);
  if (value == 1)
    PW_MAP1(r_, t, pow1K, 0, 0);
  else if (value == 2)
    PW_MAP1(r_, t, pow2K, 0, 0);
  else if (value == 3)
    PW_MAP1(r_, t, pow3K, 0, 0);
  else if (value == (real)0.5)
    PW_MAP1(r_, t, powHalfK, 0, 0);
  else if (value == (real)-0.5)
    PW_MAP1(r_, t, powMinusHalfK, 0, 0);
  else if (value == -1)
    PW_MAP1(r_, t, powMinus1K, 0, 0);
  else if (value == -2)
    PW_MAP1(r_, t, powMinus2K, 0, 0);
  else
    PW_MAP1(r_, t, powK, value, 0);
}

/* tpow and cpow call the double pow for every type, as upstream (Float rounds its result). */
PW_KERNEL1(tpowK, real, pow((double)v, (double)x))
PW_KERNEL2(cpowK, real, pow((double)x, (double)y))
#else
/* As upstream: the double pow, converted to the type. The conversion of a result outside the
 * type's range is undefined in C; it is done here as x86-64 does it (upstream's platform):
 * through a 32-bit integer (64-bit for Long), whose "indefinite" value (its minimum) stands for
 * anything out of its range, NaN and infinities included, and then wraps to the type. So 2 ** -1
 * is 0, (-1) ** -3 is -1, and 0 ** -1 (inf) is the indefinite value. */
static inline real THTensor_(pwPow)(real a, real b)
{
  double d = pow((double)a, (double)b);
#ifdef TH_REAL_IS_LONG
  if (!(d >= -0x1p63 && d < 0x1p63)) return LONG_MIN;
  return (real)(long)d;
#else
  if (!(d > -0x1p31 - 1 && d < 0x1p31)) return (real)(ureal)0x80000000u;
  return (real)(ureal)(int)d;
#endif
}

PW_KERNEL1(tpowK, real, THTensor_(pwPow)(v, x))
PW_KERNEL2(cpowK, real, THTensor_(pwPow)(x, y))
#endif

void THTensor_(tpow)(THTensor *r_, real value, THTensor *t)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, tpowK, value, 0);
}

void THTensor_(cpow)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  THTensor_(resizeAs)(r_, t);
  PW_MAP2(r_, t, src, cpowK, 0, 0);
}

/* ---- floating-point functions ---------------------------------------------------------- */

#ifdef TH_REAL_IS_FLOATING
#define PW_FLOAT_FN(NAME, ...)                      \
  PW_KERNEL1(NAME##K, real, __VA_ARGS__)            \
  void THTensor_(NAME)(THTensor *r_, THTensor *t)   \
  {                                                 \
    THTensor_(resizeAs)(r_, t);                     \
    PW_MAP1(r_, t, NAME##K, 0, 0);                  \
  }
/* exp and sigmoid: THPointwise_exp(f) in a SIMD-cloned kernel over contiguous pieces. */
#if defined(TH_REAL_IS_FLOAT)
#define PW_EXP(x) THPointwise_expf(x)
#else
#define PW_EXP(x) THPointwise_exp(x)
#endif
#define PW_FAST_FN(NAME, ...)                                                                \
  TH_SIMD_CLONES static void THTensor_(NAME##Kernel)(real *r, const real *a, ptrdiff_t n)   \
  {                                                                                          \
    for (ptrdiff_t i = 0; i < n; i++) {                                                      \
      real x = a[i];                                                                         \
      r[i] = (real)(__VA_ARGS__);                                                            \
    }                                                                                        \
  }                                                                                          \
  void THTensor_(NAME)(THTensor *r_, THTensor *t)                                            \
  {                                                                                          \
    THTensor_(resizeAs)(r_, t);                                                              \
    if (THTensor_(isContiguous)(r_) && THTensor_(isContiguous)(t)) {                         \
      real *rp = THTensor_(data)(r_), *tp = THTensor_(data)(t);                              \
      ptrdiff_t n = THTensor_(nElement)(t);                                                  \
      size_t bytes = sizeof(real) * (size_t)n;                                               \
      int threads = THParallel_partialOverlap(rp, tp, bytes, bytes)                          \
                        ? 1                                                                  \
                        : THParallel_threadsAbove(n, TH_OMP_THRESHOLD_HEAVY);                \
      TH_PARALLEL_PIECES_T(threads, n, b, e, k_, kn_, THTensor_(NAME##Kernel)(rp + b, tp + b, e - b);); \
    } else {                                                                                 \
      TH_TENSOR_APPLY2(real, r_, real, t, real x = *t_data; *r__data = (real)(__VA_ARGS__);); \
    }                                                                                        \
  }

PW_FAST_FN(exp, PW_EXP(x))
PW_FAST_FN(sigmoid, 1 / (1 + PW_EXP(-x)))
#undef PW_FAST_FN
#undef PW_EXP
PW_FLOAT_FN(log, PW_M(log)(x))
PW_FLOAT_FN(log1p, PW_M(log1p)(x))
PW_FLOAT_FN(tanh, PW_M(tanh)(x))
PW_FLOAT_FN(sqrt, PW_M(sqrt)(x))
PW_FLOAT_FN(rsqrt, 1 / PW_M(sqrt)(x))
PW_FLOAT_FN(cinv, 1 / x)
PW_FLOAT_FN(floor, PW_M(floor)(x))
PW_FLOAT_FN(ceil, PW_M(ceil)(x))
PW_FLOAT_FN(round, PW_M(round)(x)) /* C round: halves go away from zero */
PW_FLOAT_FN(trunc, PW_M(trunc)(x))
PW_FLOAT_FN(frac, x - PW_M(trunc)(x)) /* as upstream: NaN for +-inf */
PW_FLOAT_FN(sin, PW_M(sin)(x))
PW_FLOAT_FN(cos, PW_M(cos)(x))
PW_FLOAT_FN(tan, PW_M(tan)(x))
PW_FLOAT_FN(asin, PW_M(asin)(x))
PW_FLOAT_FN(acos, PW_M(acos)(x))
PW_FLOAT_FN(atan, PW_M(atan)(x))
PW_FLOAT_FN(sinh, PW_M(sinh)(x))
PW_FLOAT_FN(cosh, PW_M(cosh)(x))
#undef PW_FLOAT_FN

/* Serial: lgamma sets the global signgam, which threads would race on. */
void THTensor_(lgamma)(THTensor *r_, THTensor *t)
{
  THTensor_(resizeAs)(r_, t);
  TH_TENSOR_APPLY2(real, r_, real, t, *r__data = PW_M(lgamma)(*t_data););
}

/* x + weight (v) * (y - x) */
PW_KERNEL2(lerpK, real, x + v * (y - x))
void THTensor_(lerp)(THTensor *r_, THTensor *a, THTensor *b, real weight)
{
  THTensor_(pwCheckNumel)(a, b, 3);
  THTensor_(resizeAs)(r_, a);
  PW_MAP2(r_, a, b, lerpK, weight, 0);
}

/* atan2(tx, ty), elementwise: tx is the numerator, as C's atan2(y, x) takes it. */
PW_KERNEL2(atan2K, real, PW_M(atan2)(x, y))
void THTensor_(atan2)(THTensor *r_, THTensor *tx, THTensor *ty)
{
  THTensor_(pwCheckNumel)(tx, ty, 3);
  THTensor_(resizeAs)(r_, tx);
  PW_MAP2(r_, tx, ty, atan2K, 0, 0);
}
#endif

/* ---- modulo: fmod has the sign of the dividend (C), remainder that of the divisor (Python).
 * An integer zero divisor is an error; a floating one gives NaN. -------------------------- */

#ifdef TH_REAL_IS_INTEGER
PW_KERNEL1(fmodK, real, THTensor_(pwImod)(x, v))
PW_KERNEL1(remainderK, real, THTensor_(pwIrem)(x, v))
PW_KERNEL2(cfmodK, real, THTensor_(pwImod)(x, y))
PW_KERNEL2(cremainderK, real, THTensor_(pwIrem)(x, y))
#define PW_NONZERO(VALUE, ARG, WHAT) THArgCheck((VALUE) != 0, ARG, WHAT " by zero")
#define PW_NO_ZERO_IN(T, ARG, WHAT) THArgCheck(!THTensor_(pwAnyZero)(T), ARG, WHAT " by zero")
#else
PW_KERNEL1(fmodK, real, PW_M(fmod)(x, v))
PW_KERNEL1(remainderK, real, THTensor_(pwFrem)(x, v))
PW_KERNEL2(cfmodK, real, PW_M(fmod)(x, y))
PW_KERNEL2(cremainderK, real, THTensor_(pwFrem)(x, y))
#define PW_NONZERO(VALUE, ARG, WHAT)
#define PW_NO_ZERO_IN(T, ARG, WHAT)
#endif

void THTensor_(fmod)(THTensor *r_, THTensor *t, real value)
{
  PW_NONZERO(value, 3, "fmod");
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, fmodK, value, 0);
}

void THTensor_(remainder)(THTensor *r_, THTensor *t, real value)
{
  PW_NONZERO(value, 3, "remainder");
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, remainderK, value, 0);
}

void THTensor_(cfmod)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  PW_NO_ZERO_IN(src, 3, "fmod");
  THTensor_(resizeAs)(r_, t);
  PW_MAP2(r_, t, src, cfmodK, 0, 0);
}

void THTensor_(cremainder)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  PW_NO_ZERO_IN(src, 3, "remainder");
  THTensor_(resizeAs)(r_, t);
  PW_MAP2(r_, t, src, cremainderK, 0, 0);
}
#undef PW_NONZERO

/* ---- bits: integer types only (the float types export them to raise, as upstream) ------- */

#ifdef TH_REAL_IS_FLOATING
#define PW_BITOP(NAME, OP)                                                       \
  void THTensor_(NAME)(THTensor *r_, THTensor *t, real value)                    \
  {                                                                              \
    THError(#NAME " is only supported for integer type tensors");                \
  }                                                                              \
  void THTensor_(c##NAME)(THTensor *r_, THTensor *t, THTensor *src)              \
  {                                                                              \
    THError("c" #NAME " is only supported for integer type tensors");           \
  }
#else
#define PW_BITOP(NAME, OP)                                                       \
  PW_KERNEL1(NAME##K, real, x OP v)                                              \
  PW_KERNEL2(c##NAME##K, real, x OP y)                                           \
  void THTensor_(NAME)(THTensor *r_, THTensor *t, real value)                    \
  {                                                                              \
    THTensor_(resizeAs)(r_, t);                                                  \
    PW_MAP1(r_, t, NAME##K, value, 0);                                           \
  }                                                                              \
  void THTensor_(c##NAME)(THTensor *r_, THTensor *t, THTensor *src)              \
  {                                                                              \
    THTensor_(pwCheckNumel)(t, src, 3);                                          \
    THTensor_(resizeAs)(r_, t);                                                  \
    PW_MAP2(r_, t, src, c##NAME##K, 0, 0);                                       \
  }
#endif
PW_BITOP(bitand, &)
PW_BITOP(bitor, |)
PW_BITOP(bitxor, ^)
#undef PW_BITOP

/* Floating shifts scale by a power of two, as upstream: x * 2^n and x / 2^n (lshift and rshift
 * get the scale as v). */
#ifdef TH_REAL_IS_FLOATING
PW_KERNEL1(lshiftK, real, x * v)
PW_KERNEL1(rshiftK, real, x / v)
PW_KERNEL2(clshiftK, real, x * PW_M(pow)(2, y))
PW_KERNEL2(crshiftK, real, x / PW_M(pow)(2, y))
#define PW_SHIFT_SCALE(VALUE) PW_M(pow)(2, VALUE)
#else
PW_KERNEL1(lshiftK, real, THTensor_(pwShl)(x, v))
PW_KERNEL1(rshiftK, real, THTensor_(pwShr)(x, v))
PW_KERNEL2(clshiftK, real, THTensor_(pwShl)(x, y))
PW_KERNEL2(crshiftK, real, THTensor_(pwShr)(x, y))
#define PW_SHIFT_SCALE(VALUE) (VALUE)
#endif

void THTensor_(lshift)(THTensor *r_, THTensor *t, real value)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, lshiftK, PW_SHIFT_SCALE(value), 0);
}

void THTensor_(rshift)(THTensor *r_, THTensor *t, real value)
{
  THTensor_(resizeAs)(r_, t);
  PW_MAP1(r_, t, rshiftK, PW_SHIFT_SCALE(value), 0);
}
#undef PW_SHIFT_SCALE

void THTensor_(clshift)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  THTensor_(resizeAs)(r_, t);
  PW_MAP2(r_, t, src, clshiftK, 0, 0);
}

void THTensor_(crshift)(THTensor *r_, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  THTensor_(resizeAs)(r_, t);
  PW_MAP2(r_, t, src, crshiftK, 0, 0);
}

/* ---- max, min -------------------------------------------------------------------------- */
/* As upstream: the first operand when it compares strictly greater (less), else the second.
 * So NaN propagates from the second operand (src, value) but not from the first (t). */

PW_KERNEL2(cmaxK, real, x > y ? x : y)
PW_KERNEL2(cminK, real, x < y ? x : y)
PW_KERNEL1(cmaxValueK, real, x > v ? x : v)
PW_KERNEL1(cminValueK, real, x < v ? x : v)

void THTensor_(cmax)(THTensor *r, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  THTensor_(resizeAs)(r, t);
  PW_MAP2(r, t, src, cmaxK, 0, 0);
}

void THTensor_(cmin)(THTensor *r, THTensor *t, THTensor *src)
{
  THTensor_(pwCheckNumel)(t, src, 3);
  THTensor_(resizeAs)(r, t);
  PW_MAP2(r, t, src, cminK, 0, 0);
}

void THTensor_(cmaxValue)(THTensor *r, THTensor *t, real value)
{
  THTensor_(resizeAs)(r, t);
  PW_MAP1(r, t, cmaxValueK, value, 0);
}

void THTensor_(cminValue)(THTensor *r, THTensor *t, real value)
{
  THTensor_(resizeAs)(r, t);
  PW_MAP1(r, t, cminValueK, value, 0);
}

/* ---- fused: r_ = t + value * src1 * src2, and t + value * src1 / src2 ------------------- */

#ifdef TH_REAL_IS_FLOATING
PW_KERNEL3(addcmulK, x + v * y * z)
PW_KERNEL3(addcdivK, x + v * y / z)
#else
PW_KERNEL3(addcmulK, PW_UADD(x, PW_UMUL(PW_UMUL(v, y), z)))
/* (value * src1) / src2, in that order and in C's types as upstream: Byte, Char and Short
 * are promoted to int (the product is exact), Int and Long multiply in their own width
 * (wrapping); the division truncates. An integer zero divisor raises (undefined upstream). */
#if defined(TH_REAL_IS_BYTE) || defined(TH_REAL_IS_CHAR) || defined(TH_REAL_IS_SHORT)
PW_KERNEL3(addcdivK, PW_UADD(x, (int)v * (int)y / (int)z))
#else
PW_KERNEL3(addcdivK, PW_UADD(x, THTensor_(pwIdiv)(PW_UMUL(v, y), z)))
#endif
#endif

void THTensor_(addcmul)(THTensor *r_, THTensor *t, real value, THTensor *src1, THTensor *src2)
{
  THTensor_(pwCheckNumel)(t, src1, 4);
  THTensor_(pwCheckNumel)(src1, src2, 5);
  THTensor_(resizeAs)(r_, t);
  PW_MAP3(r_, t, src1, src2, addcmulK, value);
}

void THTensor_(addcdiv)(THTensor *r_, THTensor *t, real value, THTensor *src1, THTensor *src2)
{
  THTensor_(pwCheckNumel)(t, src1, 4);
  THTensor_(pwCheckNumel)(src1, src2, 5);
  PW_NO_ZERO_IN(src2, 5, "division");
  THTensor_(resizeAs)(r_, t);
  PW_MAP3(r_, t, src1, src2, addcdivK, value);
}
#undef PW_NO_ZERO_IN

/* ---- comparisons ----------------------------------------------------------------------- */

#define PW_COMPARE(NAME, OP)                                                       \
  PW_KERNEL1(NAME##ValueK, unsigned char, x OP v)                                  \
  PW_KERNEL1(NAME##ValueTK, real, x OP v)                                          \
  PW_KERNEL2(NAME##TensorK, unsigned char, x OP y)                                 \
  PW_KERNEL2(NAME##TensorTK, real, x OP y)                                         \
  void THTensor_(NAME##Value)(THByteTensor *r_, THTensor *t, real value)          \
  {                                                                                \
    THByteTensor_resizeNd(r_, t->nDimension, t->size, NULL);                       \
    PW_MASK1(r_, t, NAME##ValueK, value, 0);                                       \
  }                                                                                \
  void THTensor_(NAME##ValueT)(THTensor *r_, THTensor *t, real value)             \
  {                                                                                \
    THTensor_(resizeAs)(r_, t);                                                    \
    PW_MAP1(r_, t, NAME##ValueTK, value, 0);                                       \
  }                                                                                \
  void THTensor_(NAME##Tensor)(THByteTensor *r_, THTensor *ta, THTensor *tb)      \
  {                                                                                \
    THTensor_(pwCheckNumel)(ta, tb, 3);                                            \
    THByteTensor_resizeNd(r_, ta->nDimension, ta->size, NULL);                     \
    PW_MASK2(r_, ta, tb, NAME##TensorK, 0, 0);                                     \
  }                                                                                \
  void THTensor_(NAME##TensorT)(THTensor *r_, THTensor *ta, THTensor *tb)         \
  {                                                                                \
    THTensor_(pwCheckNumel)(ta, tb, 3);                                            \
    THTensor_(resizeAs)(r_, ta);                                                   \
    PW_MAP2(r_, ta, tb, NAME##TensorTK, 0, 0);                                     \
  }
PW_COMPARE(lt, <)
PW_COMPARE(le, <=)
PW_COMPARE(gt, >)
PW_COMPARE(ge, >=)
PW_COMPARE(eq, ==)
PW_COMPARE(ne, !=)
#undef PW_COMPARE

/* 1 iff the same sizes and every element equal (so never with a NaN). */
int THTensor_(equal)(THTensor *ta, THTensor *tb)
{
  if (!THTensor_(isSameSizeAs)(ta, tb)) return 0;
  if (THTensor_(isContiguous)(ta) && THTensor_(isContiguous)(tb)) {
    const real *a = THTensor_(data)(ta), *b = THTensor_(data)(tb);
    ptrdiff_t n = THTensor_(nElement)(ta);
    for (ptrdiff_t i = 0; i < n; i++)
      if (!(a[i] == b[i])) return 0;
    return 1;
  }
  int same = 1;
  TH_TENSOR_APPLY2(real, ta, real, tb, same &= *ta_data == *tb_data;);
  return same;
}

#undef PW_M
#undef PW_UADD
#undef PW_UMUL
