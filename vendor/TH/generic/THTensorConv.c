/* generic/THTensorConv.c: 2-d and 3-d convolutions and cross-correlations, as Torch7's.
 *
 * Planes are row-major and contiguous: a 2-d plane is rows x cols, a 3-d one depth x rows x cols.
 * For an input of size i and a kernel of size k along one dimension, with stride s:
 *   valid: out[y] = sum_j in[y*s + j] * w(j),         size (i - k) / s + 1
 *   full:  out[y*s + j] += in[y] * w(j),              size (i - 1) * s + k
 *   rev:   out[y] = sum_j in[y + j*s] * k[j],         size i - (k - 1) * s
 * where w(j) = k[j] for a valid cross-correlation ("X") and a full convolution ("C"), and the
 * flipped k[k - 1 - j] for a valid convolution and a full cross-correlation. Full with some w is
 * the transpose of valid with the same w (so full "C" is the input gradient of valid "X"): the
 * input is placed at every s-th position. "Rev" is the correlation used for weight gradients:
 * the kernel (a gradient plane) is dilated by the stride.
 *
 * The *ptr kernels ACCUMULATE alpha * result into their output. The tensor functions compute
 * r_ = beta * r_ + alpha * result; as upstream, r_ is zeroed instead of scaled when beta is 0,
 * when r_ was empty, or when resizing r_ changed its number of elements.
 *
 * Integer types wrap around (arithmetic in ureal); floating types accumulate dot products in
 * accreal. The hot loops are unit-stride axpys over output rows, which the compiler vectorises. */
#ifndef TH_GENERIC_FILE
#error "include through THTensorConv.c"
#endif

/* ---- type-independent helpers (compiled once per translation unit) ----------------------- */
#ifndef TH_CONV_COMMON
#define TH_CONV_COMMON

#include "THParallel.h"

#ifdef _OPENMP
#define TH_CONV_PRAGMA(x) _Pragma(#x)
#define TH_CONV_OMP_FOR(cond) TH_CONV_PRAGMA(omp parallel for if(cond))
#else
#define TH_CONV_OMP_FOR(cond)
#endif

enum { TH_CONV_VALID = 0, TH_CONV_FULL = 1, TH_CONV_REV = 2 };

/* The shape of one plane-by-plane operation; 2-d is 3-d with depth 1 (every formula above then
 * gives an output depth of 1), so one set of plane kernels serves both. */
typedef struct {
  int mode, flip;
  long isz[3], ksz[3], osz[3], str[3]; /* depth, rows, cols */
  long iplane, kplane, oplane;          /* elements per plane */
} THConvGeom;

/* 'V'/'F' or 'X'/'C': the first character only, as upstream (Lua hands over a lone char with
 * no NUL after it, so nothing past s[0] may be read). */
static char THConv_flag(const char *s, char a, char b, int arg)
{
  THArgCheck(s != NULL && (s[0] == a || s[0] == b), arg,
             "type of convolution must be '%c' or '%c'", a, b);
  return s[0];
}

/* Checks the sizes and strides (nd trailing sizes of input and kernel) and fills g. Raises
 * before anything is allocated. */
static void THConvGeom_init(THConvGeom *g, int nd, const long *isz, const long *ksz,
                            const long *stride, int mode, int flip)
{
  g->mode = mode;
  g->flip = flip;
  g->iplane = g->kplane = g->oplane = 1;
  for (int d = 0; d < 3; d++) {
    int src = d - (3 - nd); /* index into the nd given sizes; < 0 for the 2-d depth */
    long i = src < 0 ? 1 : isz[src], k = src < 0 ? 1 : ksz[src], s = src < 0 ? 1 : stride[src];
    THArgCheck(s >= 1, 6 + (src < 0 ? 0 : src), "stride should be a positive integer, got %ld", s);
    if (mode != TH_CONV_FULL)
      THArgCheck(i >= k, 4, "input image is smaller than kernel (%ld < %ld)", i, k);
    long o = 0, span = 0;
    if (mode == TH_CONV_VALID) {
      o = (i - k) / s + 1;
    } else if (mode == TH_CONV_FULL) {
      THArgCheck(!__builtin_mul_overflow(i - 1, s, &span) && !__builtin_add_overflow(span, k, &o), 4,
                 "output size overflows");
    } else {
      int big = __builtin_mul_overflow(k - 1, s, &span);
      o = big ? 0 : i - span;
      THArgCheck(o >= 1, 4, "dilated kernel (%ld with stride %ld) is larger than input (%ld)", k, s, i);
    }
    g->isz[d] = i;
    g->ksz[d] = k;
    g->osz[d] = o;
    g->str[d] = s;
    g->iplane *= i; /* the operands exist, so only the output's product can overflow */
    g->kplane *= k;
    THArgCheck(!__builtin_mul_overflow(g->oplane, o, &g->oplane), 4, "output size overflows");
  }
}

/* mode and flip from the vf/xc strings (arguments vfArg and vfArg + 1). */
static void THConv_mode(const char *vf, const char *xc, int vfArg, int *mode, int *flip)
{
  char v = THConv_flag(vf, 'V', 'F', vfArg);
  char x = THConv_flag(xc, 'X', 'C', vfArg + 1);
  *mode = v == 'V' ? TH_CONV_VALID : TH_CONV_FULL;
  *flip = (v == 'V') == (x == 'C');
}

#endif /* TH_CONV_COMMON */

/* ---- plane kernels ----------------------------------------------------------------------- */

#ifdef TH_REAL_IS_INTEGER
#define TH_CONV_ACC ureal /* wraps; only the low bits reach the result anyway */
#else
#define TH_CONV_ACC accreal
#endif

/* y[i*incy] += a * x[i*incx]; the unit-stride loop is the one that matters. */
static inline void THTensor_(convAxpy)(long n, real a, const real *x, long incx, real *y, long incy)
{
  if (incx == 1 && incy == 1) {
    for (long i = 0; i < n; i++) y[i] = (real)((ureal)y[i] + (ureal)a * (ureal)x[i]);
  } else {
    for (long i = 0; i < n; i++)
      y[i * incy] = (real)((ureal)y[i * incy] + (ureal)a * (ureal)x[i * incx]);
  }
}

static inline TH_CONV_ACC THTensor_(convDot)(long n, const real *x, long incx, const real *w, long incw)
{
  TH_CONV_ACC sum = 0;
  long i = 0;
  if (incx == 1 && incw == 1) {
    /* independent partial sums, so that the loop vectorises without reassociation */
    TH_CONV_ACC part[8] = {0};
    for (; i + 8 <= n; i += 8)
      for (int j = 0; j < 8; j++) part[j] += (TH_CONV_ACC)x[i + j] * (TH_CONV_ACC)w[i + j];
    sum = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  }
  for (; i < n; i++) sum += (TH_CONV_ACC)x[i * incx] * (TH_CONV_ACC)w[i * incw];
  return sum;
}

static inline real THTensor_(convScale)(real alpha, real w)
{
  return (real)((ureal)alpha * (ureal)w);
}

/* Kernel element (ky, kx) as the operation sees it: flipped or not. */
static inline real THTensor_(convWeight)(const real *k, long kr, long kc, long ky, long kx, int flip)
{
  return flip ? k[(kr - 1 - ky) * kc + (kc - 1 - kx)] : k[ky * kc + kx];
}

static void THTensor_(valid2D)(real *r, real alpha, const real *t, long ir, long ic, const real *k,
                               long kr, long kc, long sr, long sc, int flip)
{
  long orow = (ir - kr) / sr + 1, ocol = (ic - kc) / sc + 1;
  if (ocol >= 4) {
    /* one axpy of a whole output row per kernel element */
    for (long yy = 0; yy < orow; yy++) {
      real *ro = r + yy * ocol;
      for (long ky = 0; ky < kr; ky++) {
        const real *ti = t + (yy * sr + ky) * ic;
        for (long kx = 0; kx < kc; kx++) {
          real a = THTensor_(convScale)(alpha, THTensor_(convWeight)(k, kr, kc, ky, kx, flip));
          THTensor_(convAxpy)(ocol, a, ti + kx, sc, ro, 1);
        }
      }
    }
    return;
  }
  /* narrow or strided output: one dot product per output element */
  for (long yy = 0; yy < orow; yy++) {
    for (long xx = 0; xx < ocol; xx++) {
      TH_CONV_ACC sum = 0;
      for (long ky = 0; ky < kr; ky++) {
        const real *ti = t + (yy * sr + ky) * ic + xx * sc;
        if (flip)
          sum += THTensor_(convDot)(kc, ti, 1, k + (kr - 1 - ky) * kc + kc - 1, -1);
        else
          sum += THTensor_(convDot)(kc, ti, 1, k + ky * kc, 1);
      }
      real *ro = r + yy * ocol + xx;
      *ro = (real)((TH_CONV_ACC)*ro + (TH_CONV_ACC)alpha * sum);
    }
  }
}

static void THTensor_(full2D)(real *r, real alpha, const real *t, long ir, long ic, const real *k,
                              long kr, long kc, long sr, long sc, int flip)
{
  long ocol = (ic - 1) * sc + kc;
  if (ic >= kc) {
    /* scatter a whole input row per kernel element */
    for (long yy = 0; yy < ir; yy++) {
      for (long ky = 0; ky < kr; ky++) {
        real *ro = r + (yy * sr + ky) * ocol;
        for (long kx = 0; kx < kc; kx++) {
          real a = THTensor_(convScale)(alpha, THTensor_(convWeight)(k, kr, kc, ky, kx, flip));
          THTensor_(convAxpy)(ic, a, t + yy * ic, 1, ro + kx, sc);
        }
      }
    }
    return;
  }
  /* kernel wider than the input: scatter a whole kernel row per input element */
  for (long yy = 0; yy < ir; yy++) {
    for (long xx = 0; xx < ic; xx++) {
      real a = THTensor_(convScale)(alpha, t[yy * ic + xx]);
      for (long ky = 0; ky < kr; ky++) {
        real *ro = r + (yy * sr + ky) * ocol + xx * sc;
        if (flip)
          THTensor_(convAxpy)(kc, a, k + (kr - 1 - ky) * kc + kc - 1, -1, ro, 1);
        else
          THTensor_(convAxpy)(kc, a, k + ky * kc, 1, ro, 1);
      }
    }
  }
}

static void THTensor_(rev2D)(real *r, real alpha, const real *t, long ir, long ic, const real *k,
                             long kr, long kc, long sr, long sc)
{
  long orow = ir - (kr - 1) * sr, ocol = ic - (kc - 1) * sc;
  if (ocol < 4 && kc > ocol) {
    /* the usual weight-gradient shape (small output, large "kernel"): dot products along rows */
    for (long yy = 0; yy < orow; yy++) {
      for (long xx = 0; xx < ocol; xx++) {
        TH_CONV_ACC sum = 0;
        for (long ky = 0; ky < kr; ky++)
          sum += THTensor_(convDot)(kc, t + (yy + ky * sr) * ic + xx, sc, k + ky * kc, 1);
        real *ro = r + yy * ocol + xx;
        *ro = (real)((TH_CONV_ACC)*ro + (TH_CONV_ACC)alpha * sum);
      }
    }
    return;
  }
  for (long ky = 0; ky < kr; ky++) {
    for (long kx = 0; kx < kc; kx++) {
      real a = THTensor_(convScale)(alpha, k[ky * kc + kx]);
      const real *ti = t + ky * sr * ic + kx * sc;
      for (long yy = 0; yy < orow; yy++) THTensor_(convAxpy)(ocol, a, ti + yy * ic, 1, r + yy * ocol, 1);
    }
  }
}

/* The 3-d kernels are sums of 2-d ones over the depth; flip reverses the depth too. */
static void THTensor_(valid3D)(real *r, real alpha, const real *t, long it, long ir, long ic,
                               const real *k, long kt, long kr, long kc, long st, long sr, long sc,
                               int flip)
{
  long odep = (it - kt) / st + 1;
  long oplane = ((ir - kr) / sr + 1) * ((ic - kc) / sc + 1);
  for (long zz = 0; zz < odep; zz++)
    for (long kz = 0; kz < kt; kz++)
      THTensor_(valid2D)(r + zz * oplane, alpha, t + (zz * st + kz) * ir * ic, ir, ic,
                         k + (flip ? kt - 1 - kz : kz) * kr * kc, kr, kc, sr, sc, flip);
}

static void THTensor_(full3D)(real *r, real alpha, const real *t, long it, long ir, long ic,
                              const real *k, long kt, long kr, long kc, long st, long sr, long sc,
                              int flip)
{
  long oplane = ((ir - 1) * sr + kr) * ((ic - 1) * sc + kc);
  for (long zz = 0; zz < it; zz++)
    for (long kz = 0; kz < kt; kz++)
      THTensor_(full2D)(r + (zz * st + kz) * oplane, alpha, t + zz * ir * ic, ir, ic,
                        k + (flip ? kt - 1 - kz : kz) * kr * kc, kr, kc, sr, sc, flip);
}

static void THTensor_(rev3D)(real *r, real alpha, const real *t, long it, long ir, long ic,
                             const real *k, long kt, long kr, long kc, long st, long sr, long sc)
{
  long odep = it - (kt - 1) * st;
  long oplane = (ir - (kr - 1) * sr) * (ic - (kc - 1) * sc);
  for (long zz = 0; zz < odep; zz++)
    for (long kz = 0; kz < kt; kz++)
      THTensor_(rev2D)(r + zz * oplane, alpha, t + (zz + kz * st) * ir * ic, ir, ic,
                       k + kz * kr * kc, kr, kc, sr, sc);
}

static void THTensor_(convPlane)(const THConvGeom *g, real *r, real alpha, const real *t, const real *k)
{
  const long *i = g->isz, *w = g->ksz, *s = g->str;
  if (g->mode == TH_CONV_VALID)
    THTensor_(valid3D)(r, alpha, t, i[0], i[1], i[2], k, w[0], w[1], w[2], s[0], s[1], s[2], g->flip);
  else if (g->mode == TH_CONV_FULL)
    THTensor_(full3D)(r, alpha, t, i[0], i[1], i[2], k, w[0], w[1], w[2], s[0], s[1], s[2], g->flip);
  else
    THTensor_(rev3D)(r, alpha, t, i[0], i[1], i[2], k, w[0], w[1], w[2], s[0], s[1], s[2]);
}

/* ---- raw pointer API --------------------------------------------------------------------- */

/* The public kernels check what they can (sizes, strides), so a bad call raises instead of
 * reading out of bounds. */
static void THTensor_(convPtr)(real *r_, real alpha, real *t_, int nd, const long *isz, real *k_,
                               const long *ksz, const long *stride, int mode, int flip)
{
  for (int d = 0; d < nd; d++) {
    THArgCheck(isz[d] >= 1, 3, "input sizes must be positive, got %ld", isz[d]);
    THArgCheck(ksz[d] >= 1, 4, "kernel sizes must be positive, got %ld", ksz[d]);
  }
  THConvGeom g;
  THConvGeom_init(&g, nd, isz, ksz, stride, mode, flip);
  THTensor_(convPlane)(&g, r_, alpha, t_, k_);
}

#define TH_CONV_PTR2D(NAME, MODE, FLIP)                                                          \
  void THTensor_(NAME)(real *r_, real alpha, real *t_, long ir, long ic, real *k_, long kr,      \
                       long kc, long sr, long sc)                                                \
  {                                                                                              \
    long isz[2] = {ir, ic}, ksz[2] = {kr, kc}, str[2] = {sr, sc};                                \
    THTensor_(convPtr)(r_, alpha, t_, 2, isz, k_, ksz, str, MODE, FLIP);                         \
  }
#define TH_CONV_PTR3D(NAME, MODE, FLIP)                                                          \
  void THTensor_(NAME)(real *r_, real alpha, real *t_, long it, long ir, long ic, real *k_,      \
                       long kt, long kr, long kc, long st, long sr, long sc)                     \
  {                                                                                              \
    long isz[3] = {it, ir, ic}, ksz[3] = {kt, kr, kc}, str[3] = {st, sr, sc};                    \
    THTensor_(convPtr)(r_, alpha, t_, 3, isz, k_, ksz, str, MODE, FLIP);                         \
  }

TH_CONV_PTR2D(validXCorr2Dptr, TH_CONV_VALID, 0)
TH_CONV_PTR2D(validConv2Dptr, TH_CONV_VALID, 1)
TH_CONV_PTR2D(fullXCorr2Dptr, TH_CONV_FULL, 1)
TH_CONV_PTR2D(fullConv2Dptr, TH_CONV_FULL, 0)
TH_CONV_PTR2D(validXCorr2DRevptr, TH_CONV_REV, 0)
TH_CONV_PTR3D(validXCorr3Dptr, TH_CONV_VALID, 0)
TH_CONV_PTR3D(validConv3Dptr, TH_CONV_VALID, 1)
TH_CONV_PTR3D(fullXCorr3Dptr, TH_CONV_FULL, 1)
TH_CONV_PTR3D(fullConv3Dptr, TH_CONV_FULL, 0)
TH_CONV_PTR3D(validXCorr3DRevptr, TH_CONV_REV, 0)

#undef TH_CONV_PTR2D
#undef TH_CONV_PTR3D

/* ---- tensor API -------------------------------------------------------------------------- */

/* Every tensor function is a set of output planes o, each accumulating nRed plane operations
 * q. With o = a * B + b, the input plane is a*c[0] + b*c[1] + q*c[2] and the kernel plane
 * a*c[3] + b*c[4] + q*c[5]. */
typedef struct {
  long nOut, B, nRed, c[6];
} THTensor_(ConvPlan);

static void THTensor_(convCheckDim)(THTensor *x, int n, int arg, const char *what)
{
  THArgCheck(x->nDimension == n, arg, "%s: %dD tensor expected, got %dD", what, n, x->nDimension);
}

/* An operand as a contiguous tensor that r_'s resize cannot disturb. */
static THTensor *THTensor_(convOperand)(THTensor *x, THTensor *r_)
{
  if (x->storage != NULL && x->storage == r_->storage) return THTensor_(newClone)(x);
  return THTensor_(newContiguous)(x);
}

/* The operands are checked by now: resize r_ to (lead..., output plane), apply beta, run the plan. */
static void THTensor_(convRun)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_,
                               const THConvGeom *g, int nd, int nLead, const long *lead,
                               const THTensor_(ConvPlan) *p)
{
  long size[5];
  for (int d = 0; d < nLead; d++) size[d] = lead[d];
  for (int d = 0; d < nd; d++) size[nLead + d] = g->osz[3 - nd + d];

  /* Resizing first: it is the last thing that can raise, and nothing is allocated yet. An input
   * sharing r_'s storage is copied after it (still intact) but before r_ is zeroed or scaled. */
  THArgCheck(r_ != t_ && r_ != k_, 1, "the result tensor cannot be one of the inputs");
  ptrdiff_t nelem = THTensor_(nElement)(r_);
  THTensor_(resizeNd)(r_, nLead + nd, size, NULL);
  THTensor *input = THTensor_(convOperand)(t_, r_);
  THTensor *kernel = THTensor_(convOperand)(k_, r_);
  if (nelem == 0 || beta == 0 || nelem != THTensor_(nElement)(r_))
    THTensor_(zero)(r_);
  else if (beta != 1)
    THTensor_(mul)(r_, r_, beta);
  THTensor *output = THTensor_(newContiguous)(r_);

  real *in = THTensor_(data)(input), *ker = THTensor_(data)(kernel), *out = THTensor_(data)(output);
  /* rough multiply-adds per output plane, to decide whether threads pay */
  double work = (double)p->nRed * (double)(g->mode == TH_CONV_FULL ? g->iplane : g->oplane) *
                (double)g->kplane;
  long nOut = p->nOut;
  TH_CONV_OMP_FOR(nOut > 1 && (double)nOut * work > TH_OMP_THRESHOLD)
  for (long o = 0; o < nOut; o++) {
    long a = o / p->B, b = o % p->B;
    for (long q = 0; q < p->nRed; q++) {
      long ii = a * p->c[0] + b * p->c[1] + q * p->c[2];
      long kk = a * p->c[3] + b * p->c[4] + q * p->c[5];
      THTensor_(convPlane)(g, out + o * g->oplane, alpha, in + ii * g->iplane, ker + kk * g->kplane);
    }
  }

  THTensor_(free)(input);
  THTensor_(free)(kernel);
  THTensor_(freeCopyTo)(output, r_);
}

/* The trailing nd sizes of x. */
static const long *THTensor_(convSpatial)(THTensor *x, int nd)
{
  return x->size + x->nDimension - nd;
}

/* ger: input (nIn x plane), kernels (nK x plane) -> (nK x nIn x plane); Rev or vf/xc. */
static void THTensor_(convGer)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, int nd,
                               const long *stride, int rev, const char *vf, const char *xc)
{
  THTensor_(convCheckDim)(t_, nd + 1, 4, "input");
  THTensor_(convCheckDim)(k_, nd + 1, 5, "kernel");
  int mode = TH_CONV_REV, flip = 0;
  if (!rev) THConv_mode(vf, xc, 6 + nd, &mode, &flip);
  THConvGeom g;
  THConvGeom_init(&g, nd, THTensor_(convSpatial)(t_, nd), THTensor_(convSpatial)(k_, nd), stride, mode, flip);
  long nIn = t_->size[0], nK = k_->size[0];
  long lead[2] = {nK, nIn};
  THTensor_(ConvPlan) p = {nK * nIn, nIn, 1, {0, 1, 0, 1, 0, 0}};
  THTensor_(convRun)(r_, beta, alpha, t_, k_, &g, nd, 2, lead, &p);
}

/* mv: input (nIn x plane), kernel (nOut x nIn x plane) -> (nOut x plane), summed over nIn. */
static void THTensor_(convMv)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, int nd,
                              const long *stride, const char *vf, const char *xc)
{
  THTensor_(convCheckDim)(t_, nd + 1, 4, "input");
  THTensor_(convCheckDim)(k_, nd + 2, 5, "kernel");
  int mode, flip;
  THConv_mode(vf, xc, 6 + nd, &mode, &flip);
  long nIn = t_->size[0], nOut = k_->size[0];
  THArgCheck(k_->size[1] == nIn, 5, "invalid number of input planes: kernel has %ld, input %ld",
             k_->size[1], nIn);
  THConvGeom g;
  THConvGeom_init(&g, nd, THTensor_(convSpatial)(t_, nd), THTensor_(convSpatial)(k_, nd), stride, mode, flip);
  long lead[1] = {nOut};
  THTensor_(ConvPlan) p = {nOut, 1, nIn, {0, 0, 1, nIn, 0, 1}};
  THTensor_(convRun)(r_, beta, alpha, t_, k_, &g, nd, 1, lead, &p);
}

/* mul (cmul = 0): one plane by one kernel; cmul: plane i by kernel i. */
static void THTensor_(convMul)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, int nd,
                               const long *stride, int cmul, const char *vf, const char *xc)
{
  THTensor_(convCheckDim)(t_, nd + cmul, 4, "input");
  THTensor_(convCheckDim)(k_, nd + cmul, 5, "kernel");
  int mode, flip;
  THConv_mode(vf, xc, 6 + nd, &mode, &flip);
  long n = cmul ? t_->size[0] : 1;
  if (cmul)
    THArgCheck(k_->size[0] == n, 5, "invalid number of input/kernel planes: %ld vs %ld", n,
               k_->size[0]);
  THConvGeom g;
  THConvGeom_init(&g, nd, THTensor_(convSpatial)(t_, nd), THTensor_(convSpatial)(k_, nd), stride, mode, flip);
  long lead[1] = {n};
  THTensor_(ConvPlan) p = {n, 1, 1, {1, 0, 0, 1, 0, 0}};
  THTensor_(convRun)(r_, beta, alpha, t_, k_, &g, nd, cmul, lead, &p);
}

void THTensor_(conv2DRevger)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                             long scol)
{
  long stride[2] = {srow, scol};
  THTensor_(convGer)(r_, beta, alpha, t_, k_, 2, stride, 1, NULL, NULL);
}

/* Batched Revger: input (nb x nIn x plane), kernel (nb x nK x plane) -> (nK x nIn x plane),
 * summed over the batch. */
void THTensor_(conv2DRevgerm)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                              long scol)
{
  long stride[2] = {srow, scol};
  THTensor_(convCheckDim)(t_, 4, 4, "input");
  THTensor_(convCheckDim)(k_, 4, 5, "kernel");
  long nb = t_->size[0], nIn = t_->size[1], nK = k_->size[1];
  THArgCheck(k_->size[0] == nb, 5, "input batch (%ld) and kernel batch (%ld) differ", nb, k_->size[0]);
  THConvGeom g;
  THConvGeom_init(&g, 2, THTensor_(convSpatial)(t_, 2), THTensor_(convSpatial)(k_, 2), stride,
                  TH_CONV_REV, 0);
  long lead[2] = {nK, nIn};
  THTensor_(ConvPlan) p = {nK * nIn, nIn, nb, {0, 1, nIn, 1, 0, nK}};
  THTensor_(convRun)(r_, beta, alpha, t_, k_, &g, 2, 2, lead, &p);
}

void THTensor_(conv2Dger)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                          long scol, const char *vf, const char *xc)
{
  long stride[2] = {srow, scol};
  THTensor_(convGer)(r_, beta, alpha, t_, k_, 2, stride, 0, vf, xc);
}

void THTensor_(conv2Dmv)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                         long scol, const char *vf, const char *xc)
{
  long stride[2] = {srow, scol};
  THTensor_(convMv)(r_, beta, alpha, t_, k_, 2, stride, vf, xc);
}

/* Batched mv: input (nb x nIn x plane), kernel (nOut x nIn x plane) -> (nb x nOut x plane). */
void THTensor_(conv2Dmm)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                         long scol, const char *vf, const char *xc)
{
  long stride[2] = {srow, scol};
  THTensor_(convCheckDim)(t_, 4, 4, "input");
  THTensor_(convCheckDim)(k_, 4, 5, "kernel");
  int mode, flip;
  THConv_mode(vf, xc, 8, &mode, &flip);
  long nb = t_->size[0], nIn = t_->size[1], nOut = k_->size[0];
  THArgCheck(k_->size[1] == nIn, 5, "invalid number of input planes: kernel has %ld, input %ld",
             k_->size[1], nIn);
  THConvGeom g;
  THConvGeom_init(&g, 2, THTensor_(convSpatial)(t_, 2), THTensor_(convSpatial)(k_, 2), stride, mode, flip);
  long lead[2] = {nb, nOut};
  THTensor_(ConvPlan) p = {nb * nOut, nOut, nIn, {nIn, 0, 1, 0, nIn, 1}};
  THTensor_(convRun)(r_, beta, alpha, t_, k_, &g, 2, 2, lead, &p);
}

void THTensor_(conv2Dmul)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                          long scol, const char *vf, const char *xc)
{
  long stride[2] = {srow, scol};
  THTensor_(convMul)(r_, beta, alpha, t_, k_, 2, stride, 0, vf, xc);
}

void THTensor_(conv2Dcmul)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long srow,
                           long scol, const char *vf, const char *xc)
{
  long stride[2] = {srow, scol};
  THTensor_(convMul)(r_, beta, alpha, t_, k_, 2, stride, 1, vf, xc);
}

void THTensor_(conv3DRevger)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_,
                             long sdepth, long srow, long scol)
{
  long stride[3] = {sdepth, srow, scol};
  THTensor_(convGer)(r_, beta, alpha, t_, k_, 3, stride, 1, NULL, NULL);
}

void THTensor_(conv3Dger)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long sdepth,
                          long srow, long scol, const char *vf, const char *xc)
{
  long stride[3] = {sdepth, srow, scol};
  THTensor_(convGer)(r_, beta, alpha, t_, k_, 3, stride, 0, vf, xc);
}

void THTensor_(conv3Dmv)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long sdepth,
                         long srow, long scol, const char *vf, const char *xc)
{
  long stride[3] = {sdepth, srow, scol};
  THTensor_(convMv)(r_, beta, alpha, t_, k_, 3, stride, vf, xc);
}

void THTensor_(conv3Dmul)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long sdepth,
                          long srow, long scol, const char *vf, const char *xc)
{
  long stride[3] = {sdepth, srow, scol};
  THTensor_(convMul)(r_, beta, alpha, t_, k_, 3, stride, 0, vf, xc);
}

void THTensor_(conv3Dcmul)(THTensor *r_, real beta, real alpha, THTensor *t_, THTensor *k_, long sdepth,
                           long srow, long scol, const char *vf, const char *xc)
{
  long stride[3] = {sdepth, srow, scol};
  THTensor_(convMul)(r_, beta, alpha, t_, k_, 3, stride, 1, vf, xc);
}

#undef TH_CONV_ACC
