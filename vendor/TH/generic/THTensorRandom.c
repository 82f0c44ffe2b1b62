/* generic/THTensorRandom.c: tensors filled from a THGenerator.
 *
 * Every fill walks its target in element order (TH_TENSOR_APPLY's order, a strided view
 * included) and draws from the generator once per element exactly as upstream Torch7 does, so a
 * seeded generator gives upstream's numbers. Nothing runs in parallel: the stream is sequential.
 * A NULL generator means the default one. Arguments are checked before anything is drawn or
 * allocated, so a raised error leaves the generator untouched and leaks nothing. */
#ifndef TH_GENERIC_FILE
#error "include through THTensorRandom.c"
#endif

/* ---- helpers that do not depend on the element type (defined once) ------------------------- */
#ifndef TH_TENSOR_RANDOM_HELPERS
#define TH_TENSOR_RANDOM_HELPERS

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static THGenerator *th_random_gen(THGenerator *gen)
{
  return gen ? gen : THRandom_defaultGenerator();
}

/* 64 bits from two 32-bit outputs, the first one high (as upstream's later THRandom_random64). */
static uint64_t th_random_draw64(THGenerator *gen)
{
  uint64_t hi = (uint64_t)THRandom_random(gen);
  uint64_t lo = (uint64_t)THRandom_random(gen);
  return (hi << 32) | lo;
}

/* An integer in [0, range), range >= 1, by modulo as upstream: a single 32-bit output when the
 * range fits in one (the only case upstream's 32-bit generator covers), two otherwise. */
static uint64_t th_random_below(THGenerator *gen, uint64_t range)
{
  if (range <= UINT64_C(0x100000000)) return (uint64_t)THRandom_random(gen) % range;
  return th_random_draw64(gen) % range;
}

/* First k with cum[k] > u * total: a draw from the weights whose running sums are cum[0..n-1].
 * The comparison is strict so that a zero weight (cum[k] == cum[k - 1]) is never chosen, and
 * u < 1 keeps the target below cum[n - 1]. One uniform per draw, as upstream. */
static long th_random_category(THGenerator *gen, const double *cum, long n)
{
  double target = THRandom_uniform(gen, 0, 1) * cum[n - 1];
  long lo = 0, hi = n - 1;
  while (lo < hi) {
    long mid = lo + (hi - lo) / 2;
    if (cum[mid] > target)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* Running sums of w[from..n-1], continuing the ones before. */
static void th_random_cumsum(double *cum, const double *w, long from, long n)
{
  double acc = from > 0 ? cum[from - 1] : 0;
  for (long k = from; k < n; k++) {
    acc += w[k];
    cum[k] = acc;
  }
}

/* A generator state restored from raw bytes must not make the generator read outside its words:
 * seeded, counters in range, the next reads (next .. next + left - 2) inside state[], every word
 * 32 bits wide (the tempering assumes it) and the cached-normal flag a flag. */
static int th_random_state_ok(THGeneratorState *st)
{
  THGenerator probe;
  memset(&probe, 0, sizeof(probe));
  if (pthread_mutex_init(&probe.mutex, NULL) != 0) return 0;
  probe.gen_state = *st;
  int ok = THGenerator_isValid(&probe);
  pthread_mutex_destroy(&probe.mutex);
  if (!ok || st->left < 1 || st->next + (unsigned long)st->left > (unsigned long)TH_MT_STATE_N + 1)
    return 0;
  if (st->normal_is_valid != 0 && st->normal_is_valid != 1) return 0;
  for (int k = 0; k < TH_MT_STATE_N; k++)
    if (st->state[k] > 0xffffffffUL) return 0;
  return 1;
}

/* bernoulli with one probability per element, for either type of probability tensor. */
#define TH_RANDOM_BERNOULLI_TENSOR(PREAL)                                                        \
  do {                                                                                           \
    THArgCheck(THTensor_nElementOf(self) == THTensor_nElementOf(p), 3,                           \
               "inconsistent tensor size: %td elements to fill, %td probabilities",              \
               THTensor_nElementOf(self), THTensor_nElementOf(p));                               \
    int ok_ = 1;                                                                                 \
    TH_TENSOR_APPLY(PREAL, p, ok_ &= (*p_data >= 0 && *p_data <= 1););                           \
    THArgCheck(ok_, 3, "every probability must be >= 0 and <= 1");                              \
    THGenerator *gen_ = th_random_gen(_generator);                                               \
    TH_TENSOR_APPLY2(real, self, PREAL, p,                                                       \
                     *self_data = (real)THRandom_bernoulli(gen_, (double)*p_data););             \
  } while (0)

#endif /* TH_TENSOR_RANDOM_HELPERS */

/* ---- integers ------------------------------------------------------------------------------- */

/* Uniform integers over the type's non-negative range: [0, max] for integer types and
 * [0, 2^mantissa] for floating ones, where every integer is exact. Long and Double take 64 bits
 * (two outputs) as upstream's later random64 does; the others one 32-bit output. */
void THTensor_(random)(THTensor *self, THGenerator *_generator)
{
  THGenerator *gen = th_random_gen(_generator);
#if defined(TH_REAL_IS_LONG)
  TH_TENSOR_APPLY(real, self,
                  *self_data = (real)(th_random_draw64(gen) % ((uint64_t)LONG_MAX + 1)););
#elif defined(TH_REAL_IS_DOUBLE)
  const uint64_t top = (UINT64_C(1) << DBL_MANT_DIG) + 1;
  TH_TENSOR_APPLY(real, self, *self_data = (real)(th_random_draw64(gen) % top););
#elif defined(TH_REAL_IS_FLOAT)
  TH_TENSOR_APPLY(real, self,
                  *self_data = (real)(THRandom_random(gen) % ((1UL << FLT_MANT_DIG) + 1)););
#else
  TH_TENSOR_APPLY(real, self,
                  *self_data = (real)(THRandom_random(gen) % ((unsigned long)TH_REAL_MAX + 1)););
#endif
}

/* Uniform integers in [min, max). Integer types reject a range they cannot hold (upstream would
 * silently wrap). The arithmetic is unsigned so that any long range works. */
void THTensor_(clampedRandom)(THTensor *self, THGenerator *_generator, long min, long max)
{
  THArgCheck(max > min, 4, "max must be greater than min, but got min = %ld, max = %ld", min, max);
#if defined(TH_REAL_IS_INTEGER) && !defined(TH_REAL_IS_LONG)
  THArgCheck(min >= (long)TH_REAL_MIN && max - 1 <= (long)TH_REAL_MAX, 3,
             "[%ld, %ld) does not fit in the tensor's type [%ld, %ld]", min, max,
             (long)TH_REAL_MIN, (long)TH_REAL_MAX);
#endif
  THGenerator *gen = th_random_gen(_generator);
  uint64_t range = (uint64_t)max - (uint64_t)min;
  TH_TENSOR_APPLY(real, self,
                  *self_data = (real)(long)((uint64_t)min + th_random_below(gen, range)););
}

/* Uniform integers in [0, max). */
void THTensor_(cappedRandom)(THTensor *self, THGenerator *_generator, long max)
{
  THTensor_(clampedRandom)(self, _generator, 0, max);
}

/* The number of trials up to the first failure when each goes on with probability p (>= 1;
 * THRandom_geometric's convention, as upstream). */
void THTensor_(geometric)(THTensor *self, THGenerator *_generator, double p)
{
  THArgCheck(p > 0 && p < 1, 3, "p must be > 0 and < 1, but got %g", p);
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_geometric(gen, p););
}

void THTensor_(bernoulli)(THTensor *self, THGenerator *_generator, double p)
{
  THArgCheck(p >= 0 && p <= 1, 3, "p must be >= 0 and <= 1, but got %g", p);
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_bernoulli(gen, p););
}

/* Element i is 1 with probability p[i] (p in element order, any shape with as many elements). */
void THTensor_(bernoulli_FloatTensor)(THTensor *self, THGenerator *_generator, THFloatTensor *p)
{
  TH_RANDOM_BERNOULLI_TENSOR(float);
}

void THTensor_(bernoulli_DoubleTensor)(THTensor *self, THGenerator *_generator, THDoubleTensor *p)
{
  TH_RANDOM_BERNOULLI_TENSOR(double);
}

/* A random permutation of 0 .. n-1 (0-based values, as upstream's C function; its Lua wrapper
 * added 1) by Fisher-Yates from the front: r[i] swaps with r[i + random() % (n - i)]. */
void THTensor_(randperm)(THTensor *r_, THGenerator *_generator, long n)
{
  THArgCheck(n > 0, 3, "n must be strictly positive, but got %ld", n);
#if defined(TH_REAL_IS_INTEGER) && !defined(TH_REAL_IS_LONG)
  THArgCheck(n - 1 <= (long)TH_REAL_MAX, 3, "n = %ld does not fit in the tensor's type", n);
#elif defined(TH_REAL_IS_FLOAT)
  THArgCheck(n - 1 <= (1L << FLT_MANT_DIG), 3, "n = %ld is beyond float's exact integers", n);
#endif
  THGenerator *gen = th_random_gen(_generator);
  THTensor_(resize1d)(r_, n);
  real *r = THTensor_(data)(r_);
  long s = r_->stride[0];
  for (long i = 0; i < n; i++) r[i * s] = (real)i;
  for (long i = 0; i < n - 1; i++) {
    long z = (long)th_random_below(gen, (uint64_t)(n - i));
    real tmp = r[i * s];
    r[i * s] = r[(i + z) * s];
    r[(i + z) * s] = tmp;
  }
}

#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)

/* ---- continuous distributions: one scalar draw per element, computed in double ------------- */

/* Uniform on [a, b). As upstream, a float tensor gets the double draw rounded, which can round up
 * to b itself. */
void THTensor_(uniform)(THTensor *self, THGenerator *_generator, double a, double b)
{
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_uniform(gen, a, b););
}

void THTensor_(normal)(THTensor *self, THGenerator *_generator, double mean, double stdv)
{
  THArgCheck(stdv > 0, 4, "standard deviation must be strictly positive, but got %g", stdv);
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_normal(gen, mean, stdv););
}

/* The normal_* variants round as upstream's composition does (a normal fill, then cmul/cadd in
 * real): the draw is rounded to real before the tensor operands join it. */
void THTensor_(normal_means)(THTensor *self, THGenerator *gen, THTensor *means, double stddev)
{
  THArgCheck(stddev > 0, 4, "standard deviation must be strictly positive, but got %g", stddev);
  gen = th_random_gen(gen);
  THTensor_(resizeAs)(self, means);
  TH_TENSOR_APPLY2(real, self, real, means, {
    real z = (real)THRandom_normal(gen, 0, stddev);
    *self_data = z + *means_data;
  });
}

static void THTensor_(checkStddevs)(THTensor *stddevs, int arg)
{
  int ok = 1;
  TH_TENSOR_APPLY(real, stddevs, ok &= *stddevs_data >= 0;); /* NaN fails too */
  THArgCheck(ok, arg, "standard deviations must be non-negative");
}

void THTensor_(normal_stddevs)(THTensor *self, THGenerator *gen, double mean, THTensor *stddevs)
{
  THTensor_(checkStddevs)(stddevs, 4);
  gen = th_random_gen(gen);
  THTensor_(resizeAs)(self, stddevs);
  TH_TENSOR_APPLY2(real, self, real, stddevs, {
    real z = (real)THRandom_normal(gen, 0, 1);
    real scaled = z * *stddevs_data;
    *self_data = scaled + (real)mean;
  });
}

void THTensor_(normal_means_stddevs)(THTensor *self, THGenerator *gen, THTensor *means,
                                     THTensor *stddevs)
{
  THArgCheck(THTensor_(nElement)(means) == THTensor_(nElement)(stddevs), 4,
             "inconsistent tensor size: %td means, %td standard deviations",
             THTensor_(nElement)(means), THTensor_(nElement)(stddevs));
  THTensor_(checkStddevs)(stddevs, 4);
  gen = th_random_gen(gen);
  THTensor_(resizeAs)(self, means);
  TH_TENSOR_APPLY3(real, self, real, means, real, stddevs, {
    real z = (real)THRandom_normal(gen, 0, 1);
    real scaled = z * *stddevs_data;
    *self_data = scaled + *means_data;
  });
}

/* Rate lambda (mean 1 / lambda). */
void THTensor_(exponential)(THTensor *self, THGenerator *_generator, double lambda)
{
  THArgCheck(lambda > 0, 3, "lambda must be strictly positive, but got %g", lambda);
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_exponential(gen, lambda););
}

void THTensor_(cauchy)(THTensor *self, THGenerator *_generator, double median, double sigma)
{
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_cauchy(gen, median, sigma););
}

/* exp(N(mean, stdv)): mean and stdv are those of the logarithm. */
void THTensor_(logNormal)(THTensor *self, THGenerator *_generator, double mean, double stdv)
{
  THArgCheck(stdv > 0, 4, "standard deviation must be strictly positive, but got %g", stdv);
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_logNormal(gen, mean, stdv););
}

void THTensor_(rand)(THTensor *r_, THGenerator *_generator, THLongStorage *size)
{
  THTensor_(resize)(r_, size, NULL);
  THTensor_(uniform)(r_, _generator, 0, 1);
}

void THTensor_(randn)(THTensor *r_, THGenerator *_generator, THLongStorage *size)
{
  THTensor_(resize)(r_, size, NULL);
  THTensor_(normal)(r_, _generator, 0, 1);
}

/* ---- categorical distributions -------------------------------------------------------------- */

/* Checks one distribution (n weights, stride apart): every weight finite and >= 0, a positive
 * sum, and at least `need` non-zero weights. Returns the sum. */
static double THTensor_(checkDistribution)(const real *p, long n, long stride, long need, int arg)
{
  double sum = 0;
  long nonzero = 0;
  for (long k = 0; k < n; k++) {
    double v = (double)p[k * stride];
    THArgCheck(v >= 0 && isfinite(v), arg,
               "invalid multinomial distribution (encountering probability entry < 0, "
               "infinite or NaN)");
    sum += v;
    nonzero += v > 0;
  }
  THArgCheck(sum > 0 && isfinite(sum), arg,
             "invalid multinomial distribution (sum of probabilities <= 0 or infinite)");
  THArgCheck(nonzero >= need, arg,
             "invalid multinomial distribution (%ld non-zero probabilities for %ld samples "
             "without replacement)", nonzero, need);
  return sum;
}

/* n_sample draws from each row of prob_dist (a 1-d distribution, or a 2-d tensor of one per
 * row; the weights need not sum to 1). self becomes n_sample (1-d input) or n_dist x n_sample,
 * holding 1-based category indices. Without replacement a drawn category's weight drops to zero
 * for the rest of its row. One uniform per sample, rows in order, as upstream. */
void THTensor_(multinomial)(THLongTensor *self, THGenerator *_generator, THTensor *prob_dist,
                            int n_sample, int with_replacement)
{
  int nd = prob_dist->nDimension;
  THArgCheck(nd == 1 || nd == 2, 3, "prob_dist must be 1 or 2 dim, but got %dD", nd);
  long n_dist = nd == 1 ? 1 : prob_dist->size[0];
  long n_cat = prob_dist->size[nd - 1];
  long ps0 = nd == 1 ? 0 : prob_dist->stride[0], ps1 = prob_dist->stride[nd - 1];
  THArgCheck(n_sample > 0, 4, "cannot sample n_sample <= 0 samples (got %d)", n_sample);
  THArgCheck(with_replacement || n_sample <= n_cat, 4,
             "cannot sample n_sample = %d > prob_dist.size(%d) = %ld samples without replacement",
             n_sample, nd, n_cat);
  const real *p = THTensor_(data)(prob_dist);
  for (long i = 0; i < n_dist; i++)
    THTensor_(checkDistribution)(p + i * ps0, n_cat, ps1, with_replacement ? 1 : n_sample, 3);
  THGenerator *gen = th_random_gen(_generator);

  if (nd == 1)
    THLongTensor_resize1d(self, n_sample);
  else
    THLongTensor_resize2d(self, n_dist, n_sample);
  long *out = THLongTensor_data(self);
  long os0 = nd == 1 ? 0 : self->stride[0], os1 = self->stride[nd - 1];

  /* Nothing below can raise: the buffer is always freed. */
  double *w = THAlloc((ptrdiff_t)sizeof(double) * 2 * n_cat), *cum = w + n_cat;
  for (long i = 0; i < n_dist; i++) {
    for (long k = 0; k < n_cat; k++) w[k] = (double)p[i * ps0 + k * ps1];
    th_random_cumsum(cum, w, 0, n_cat);
    for (long s = 0; s < n_sample; s++) {
      long k = th_random_category(gen, cum, n_cat);
      out[i * os0 + s * os1] = k + TH_INDEX_BASE;
      if (!with_replacement) { /* the sums are rebuilt, not corrected, so no error creeps in */
        w[k] = 0;
        th_random_cumsum(cum, w, k, n_cat);
      }
    }
  }
  THFree(w);
}

/* Walker's alias method (Vose's construction) for the 1-d distribution prob_dist (weights need
 * not sum to 1). Afterwards q[k] in [0, 1] is the chance of keeping category k when it is picked
 * and J[k] the 1-based category taken otherwise (k's own index when q[k] == 1). J and q are
 * resized to prob_dist's size. O(n). */
void THTensor_(multinomialAliasSetup)(THTensor *prob_dist, THLongTensor *J, THTensor *q)
{
  THArgCheck(prob_dist->nDimension == 1, 1, "prob_dist must be 1-d, but got %dD",
             prob_dist->nDimension);
  long n = prob_dist->size[0], ps = prob_dist->stride[0];
  double sum = THTensor_(checkDistribution)(THTensor_(data)(prob_dist), n, ps, 1, 1);
  THLongTensor_resize1d(J, n);
  THTensor_(resize1d)(q, n); /* q may be prob_dist itself: it is read into qd first */

  /* qd: scaled weights; stack: small ones grow up from 0, large ones down from n. */
  double *qd = THAlloc((ptrdiff_t)(sizeof(double) + sizeof(long)) * n);
  long *stack = (long *)(qd + n);
  long *jd = THLongTensor_data(J), js = J->stride[0];
  const real *p = THTensor_(data)(prob_dist);
  long n_small = 0, large = n;
  for (long k = 0; k < n; k++) {
    qd[k] = (double)p[k * ps] * (double)n / sum;
    jd[k * js] = k + TH_INDEX_BASE;
    if (qd[k] < 1)
      stack[n_small++] = k;
    else
      stack[--large] = k;
  }
  /* Each step fills a small column's gap from a large one; at most n steps. */
  while (n_small > 0 && large < n) {
    long s = stack[--n_small], l = stack[large++];
    jd[s * js] = l + TH_INDEX_BASE;
    qd[l] -= 1 - qd[s];
    if (qd[l] < 1)
      stack[n_small++] = l;
    else
      stack[--large] = l;
  }
  /* What is left is 1 up to rounding: keep it always. */
  for (long i = 0; i < n_small; i++) qd[stack[i]] = 1;
  for (long i = large; i < n; i++) qd[stack[i]] = 1;

  real *qo = THTensor_(data)(q);
  long qs = q->stride[0];
  for (long k = 0; k < n; k++) qo[k * qs] = (real)THMin(THMax(qd[k], 0.0), 1.0);
  THFree(qd);
}

/* Fills self (any shape, element order) with 1-based draws from the alias table (J, q) that
 * multinomialAliasSetup made: pick a column uniformly, keep it with probability q, else take its
 * alias. Two uniforms per sample, as upstream's uniform + bernoulli. */
void THTensor_(multinomialAliasDraw)(THLongTensor *self, THGenerator *_generator, THLongTensor *J,
                                     THTensor *q)
{
  THArgCheck(q->nDimension == 1, 4, "q must be 1-d, but got %dD", q->nDimension);
  THArgCheck(J->nDimension == 1 && J->size[0] == q->size[0], 3,
             "J must be 1-d with as many elements as q (%ld)", q->size[0]);
  long n = q->size[0], qs = q->stride[0], js = J->stride[0];
  const real *qd = THTensor_(data)(q);
  const long *jd = THLongTensor_data(J);
  for (long k = 0; k < n; k++) {
    THArgCheck(qd[k * qs] >= 0 && qd[k * qs] <= 1, 4, "q[%ld] = %g is not in [0, 1]",
               k + TH_INDEX_BASE, (double)qd[k * qs]);
    THArgCheck(jd[k * js] >= TH_INDEX_BASE && jd[k * js] < n + TH_INDEX_BASE, 3,
               "J[%ld] = %ld is not a category index", k + TH_INDEX_BASE, jd[k * js]);
  }
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(long, self, {
    long k = (long)THRandom_uniform(gen, 0, (double)n);
    if (k >= n) k = n - 1; /* only by rounding, for huge n */
    double u = THRandom_uniform(gen, 0, 1);
    *self_data = u < (double)qd[k * qs] ? k + TH_INDEX_BASE : jd[k * js];
  });
}

#endif /* floating types */

#if defined(TH_REAL_IS_BYTE)

/* ---- the generator's state as bytes (the THGeneratorState part, not the mutex) ------------- */

void THTensor_(getRNGState)(THGenerator *_generator, THTensor *self)
{
  THGenerator *gen = th_random_gen(_generator);
  THTensor_(resize1d)(self, (long)sizeof(THGeneratorState));
  /* A snapshot under gen's lock, taken through THGenerator_copy into a local generator. */
  THGenerator snap;
  memset(&snap, 0, sizeof(snap));
  if (pthread_mutex_init(&snap.mutex, NULL) != 0) THError("getRNGState: could not make a mutex");
  THGenerator_copy(&snap, gen);
  pthread_mutex_destroy(&snap.mutex);
  const unsigned char *src = (const unsigned char *)&snap.gen_state;
  size_t i = 0;
  TH_TENSOR_APPLY(real, self, *self_data = src[i++];);
}

void THTensor_(setRNGState)(THGenerator *_generator, THTensor *self)
{
  THArgCheck(THTensor_(nElement)(self) == (ptrdiff_t)sizeof(THGeneratorState), 2,
             "RNG state is wrong size: %td bytes, expected %zu", THTensor_(nElement)(self),
             sizeof(THGeneratorState));
  THGenerator tmp;
  memset(&tmp, 0, sizeof(tmp));
  unsigned char *dst = (unsigned char *)&tmp.gen_state;
  size_t i = 0;
  TH_TENSOR_APPLY(real, self, dst[i++] = *self_data;);
  THArgCheck(th_random_state_ok(&tmp.gen_state), 2, "Invalid RNG state");
  THGenerator *gen = th_random_gen(_generator);
  if (pthread_mutex_init(&tmp.mutex, NULL) != 0) THError("setRNGState: could not make a mutex");
  THGenerator_copy(gen, &tmp);
  pthread_mutex_destroy(&tmp.mutex);
}

#endif
