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

/* The first k in [0, n) with cum[k] >= u (n - 1 when there is none): where a uniform u falls
 * in the normalised running sums cum, as upstream's binary search finds it. */
static long th_random_search(const double *cum, long n, double u)
{
  long lo = 0, hi = n;
  while (lo < hi) {
    long mid = lo + (hi - lo) / 2;
    if (cum[mid] < u)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n ? lo : n - 1;
}

/* k itself when it is alive, else the nearest live category after it, else the nearest before:
 * upstream can land on a category of zero weight (u == 0 before it, or a sliver left by rounding
 * when the sums are renormalised); we never return one. */
static long th_random_alive(const unsigned char *dead, long n, long k)
{
  if (!dead[k]) return k;
  for (long j = k + 1; j < n; j++)
    if (!dead[j]) return j;
  for (long j = k - 1; j >= 0; j--)
    if (!dead[j]) return j;
  return k; /* unreachable: the caller checked that enough categories are alive */
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

/* Uniform integers from one 32-bit output per element, as upstream: the output modulo the
 * type's top + 1, where top is the type's maximum for Byte/Char/Short/Int and 2^24 for Float. For
 * Long and Double the modulus (2^63, 2^53 + 1) exceeds every output, so they get the output
 * itself, in [0, 2^32). */
void THTensor_(random)(THTensor *self, THGenerator *_generator)
{
  THGenerator *gen = th_random_gen(_generator);
#if defined(TH_REAL_IS_LONG) || defined(TH_REAL_IS_DOUBLE)
  TH_TENSOR_APPLY(real, self, *self_data = (real)THRandom_random(gen););
#elif defined(TH_REAL_IS_FLOAT)
  TH_TENSOR_APPLY(real, self,
                  *self_data = (real)(THRandom_random(gen) % ((1UL << FLT_MANT_DIG) + 1)););
#else
  TH_TENSOR_APPLY(real, self,
                  *self_data = (real)(THRandom_random(gen) % ((unsigned long)TH_REAL_MAX + 1)););
#endif
}

/* min + (one 32-bit output modulo max - min) per element, as upstream, so a range wider than
 * 2^32 gives values in [min, min + 2^32) only. Upstream adds a negative min in unsigned
 * arithmetic, which a floating tensor receives as a huge number; we add it as a signed number.
 * Integer types take the value modulo their width, as upstream's conversion does. */
void THTensor_(clampedRandom)(THTensor *self, THGenerator *_generator, long min, long max)
{
  THArgCheck(max > min, 4, "max must be greater than min, but got min = %ld, max = %ld", min, max);
  THGenerator *gen = th_random_gen(_generator);
  uint64_t range = (uint64_t)max - (uint64_t)min; /* no signed overflow for any long range */
  TH_TENSOR_APPLY(real, self, {
    uint64_t off = (uint64_t)THRandom_random(gen) % range;
    *self_data = (real)(long)((uint64_t)min + off); /* two's complement: min + off, wrapped */
  });
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
 * added 1) by Fisher-Yates from the front: r[i] swaps with r[i + random() % (n - i)], one 32-bit
 * output per step as upstream. */
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
    long z = (long)(THRandom_random(gen) % (unsigned long)(n - i));
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
 * holding 0-based category indices, as upstream's C function returns them (Lua's binding adds
 * 1). The arithmetic is upstream's, so a seed gives upstream's draws: the running sums of a row in
 * double, divided by their total; per sample one uniform u, the last sum set to 1, and the first
 * category whose running sum is >= u. Without replacement the drawn category's mass d is taken
 * out of the later sums and every sum divided by 1 - d. Unlike upstream, a category of zero
 * weight, or one already drawn, is never returned (see th_random_alive). */
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

  /* Nothing below can raise: the buffers are always freed. */
  double *cum = THAlloc((ptrdiff_t)sizeof(double) * n_cat);
  unsigned char *dead = THAlloc((ptrdiff_t)n_cat);
  for (long i = 0; i < n_dist; i++) {
    double total = 0;
    for (long k = 0; k < n_cat; k++) {
      real w = p[i * ps0 + k * ps1];
      total += (double)w;
      cum[k] = total;
      dead[k] = w == 0;
    }
    for (long k = 0; k < n_cat; k++) cum[k] /= total;
    for (long s = 0; s < n_sample; s++) {
      double u = THRandom_uniform(gen, 0, 1);
      cum[n_cat - 1] = 1;
      long k = th_random_alive(dead, n_cat, th_random_search(cum, n_cat, u));
      out[i * os0 + s * os1] = k;
      if (!with_replacement) {
        double mass = cum[k] - (k > 0 ? cum[k - 1] : 0), rest = 1 - mass;
        for (long j = 0; j < n_cat; j++) cum[j] = (j >= k ? cum[j] - mass : cum[j]) / rest;
        dead[k] = 1;
      }
    }
  }
  THFree(dead);
  THFree(cum);
}

/* Walker's alias table for the 1-d distribution prob_dist, built as upstream builds it (its J and
 * q, bit for bit). The weights are taken to sum to 1 (they are not normalised) and must all be
 * > 0, as upstream requires. q[k] starts as n * p[k] (in real); columns below 1 are "small", the
 * others "large", each kept on a stack. While both stacks hold one, the top small column s gets
 * the top large column l as its alias: J[s] = l (0-based), q[l] -= 1 - q[s], and l replaces s
 * on the small stack if it fell below 1. Then, when the largest q is above 1, every q is divided
 * by it; and every column whose J is 0 (no alias, or alias 0) gets q = 1. */
void THTensor_(multinomialAliasSetup)(THTensor *prob_dist, THLongTensor *J, THTensor *q)
{
  THArgCheck(prob_dist->nDimension == 1, 1, "prob_dist must be 1-d, but got %dD",
             prob_dist->nDimension);
  long n = prob_dist->size[0], ps = prob_dist->stride[0];
  const real *p = THTensor_(data)(prob_dist);
  THTensor_(checkDistribution)(p, n, ps, 1, 1);
  for (long k = 0; k < n; k++)
    THArgCheck(p[k * ps] > 0, 1, "every probability must be > 0 (p[%ld] = %g)", k,
               (double)p[k * ps]);

  /* qd: the q column in real, read from prob_dist before q (which may be prob_dist) is written;
   * jd: J; small stack grows up from stack[0], large stack up from stack[n]. */
  real *qd = THAlloc((ptrdiff_t)sizeof(real) * n);
  long *jd = THAlloc((ptrdiff_t)sizeof(long) * 3 * n), *small = jd + n, *large = jd + 2 * n;
  long n_small = 0, n_large = 0;
  for (long k = 0; k < n; k++) {
    real nq = (real)n * p[k * ps];
    qd[k] = nq;
    jd[k] = 0;
    if (nq < 1.0)
      small[n_small++] = k;
    else
      large[n_large++] = k;
  }
  while (n_small > 0 && n_large > 0) {
    long l = large[n_large - 1], s = small[n_small - 1];
    jd[s] = l;
    qd[l] = (real)((double)qd[l] - (1.0 - (double)qd[s]));
    if (qd[l] < 1.0) { /* l takes s's place on the small stack */
      small[n_small - 1] = l;
      n_large--;
    } else {
      n_small--;
    }
  }
  real qmax = qd[0], qmin = qd[0];
  for (long k = 1; k < n; k++) {
    if (qd[k] > qmax) qmax = qd[k];
    if (qd[k] < qmin) qmin = qd[k];
  }
  if (!(qmin > 0)) { /* only by rounding (a tiny weight beside one near 1): upstream refuses it */
    THFree(jd);
    THFree(qd);
    THArgCheck(0, 1, "invalid distribution for an alias table: a column's q fell to %g", (double)qmin);
  }
  if (qmax > 1)
    for (long k = 0; k < n; k++) qd[k] /= qmax;
  for (long k = 0; k < n; k++)
    if (jd[k] <= 0) qd[k] = 1;

  THLongTensor_resize1d(J, n);
  THTensor_(resize1d)(q, n);
  long *jo = THLongTensor_data(J), js = J->stride[0];
  real *qo = THTensor_(data)(q);
  long qs = q->stride[0];
  for (long k = 0; k < n; k++) {
    jo[k * js] = jd[k];
    qo[k * qs] = qd[k];
  }
  THFree(jd);
  THFree(qd);
}

/* Fills self (any shape, element order) with draws from an alias table (J, q) read as upstream
 * reads it: per draw a column k = (long)uniform(0, n) and a keep test uniform(0, 1) <= q[k]
 * (upstream's bernoulli); a kept draw gives k, the other draws J[k] - 1 (upstream's draw reads J
 * as 1-based, while its setup writes it 0-based: Lua's bindings shift it in between; torchbind's
 * module function passes J + 1). So J[k] must be in [1, n] wherever q[k] < 1, and q in [0, 1]. */
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
    THArgCheck(qd[k * qs] >= 0 && qd[k * qs] <= 1, 4, "q[%ld] = %g is not in [0, 1]", k,
               (double)qd[k * qs]);
    THArgCheck(qd[k * qs] == 1 || (jd[k * js] >= 1 && jd[k * js] <= n), 3,
               "J[%ld] = %ld does not name a category (J[k] - 1 is drawn when q[k] < 1)", k,
               jd[k * js]);
  }
  THGenerator *gen = th_random_gen(_generator);
  TH_TENSOR_APPLY(long, self, {
    long k = (long)THRandom_uniform(gen, 0, (double)n);
    if (k >= n) k = n - 1; /* only by rounding, for huge n */
    double u = THRandom_uniform(gen, 0, 1);
    *self_data = u <= (double)qd[k * qs] ? k : jd[k * js] - 1;
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
