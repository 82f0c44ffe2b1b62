/* open, O_CLOEXEC and clock_gettime are POSIX, not C11. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include "THRandom.h"

/* MT19937's constants (Matsumoto and Nishimura, 1998). */
#define MT_MATRIX_A 0x9908b0dfUL
#define MT_UPPER_MASK 0x80000000UL
#define MT_LOWER_MASK 0x7fffffffUL
#define MT_INIT_MULT 1812433253UL
#define MT_WORD_MASK 0xffffffffUL

static const double TH_RANDOM_PI = 3.14159265358979323846;
/* 2^-32: turns a 32-bit output into a double in [0, 1), as upstream does. */
static const double TH_RANDOM_2POW_M32 = 1.0 / 4294967296.0;

/* ---- the bare state: every helper here expects the caller to hold the mutex ------------ */

/* Unseeded, nothing cached; left == 1 so that the first draw seeds and twists. */
static void state_reset(THGeneratorState *st)
{
  memset(st, 0, sizeof(*st));
  st->left = 1;
  st->seeded = 0;
}

/* init_genrand: the state words follow from the low 32 bits of the seed. */
static void state_seed(THGeneratorState *st, unsigned long seed)
{
  state_reset(st); /* reseeding must forget a cached normal deviate too */
  st->the_initial_seed = seed;
  st->state[0] = seed & MT_WORD_MASK;
  for (int j = 1; j < TH_MT_STATE_N; j++) {
    unsigned long prev = st->state[j - 1];
    st->state[j] = (MT_INIT_MULT * (prev ^ (prev >> 30)) + (unsigned long)j) & MT_WORD_MASK;
  }
  st->seeded = 1;
}

/* One step of the recurrence: the top bit of u, the low 31 of v, fed through the matrix. */
static unsigned long mt_mix(unsigned long far, unsigned long u, unsigned long v)
{
  unsigned long y = (u & MT_UPPER_MASK) | (v & MT_LOWER_MASK);
  return far ^ (y >> 1) ^ ((y & 1UL) ? MT_MATRIX_A : 0UL);
}

/* Regenerates all 624 words at once; split in three so no index needs a modulo. */
static void state_twist(THGeneratorState *st)
{
  unsigned long *s = st->state;
  const int n = TH_MT_STATE_N, m = TH_MT_STATE_M;
  int k = 0;
  for (; k < n - m; k++) s[k] = mt_mix(s[k + m], s[k], s[k + 1]);
  for (; k < n - 1; k++) s[k] = mt_mix(s[k + m - n], s[k], s[k + 1]);
  s[n - 1] = mt_mix(s[m - 1], s[n - 1], s[0]);
  st->left = n;
  st->next = 0;
}

/* A seed from the kernel's entropy pool; the clock and pid when that cannot be read. */
static unsigned long entropy_seed(void)
{
  unsigned long s = 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t got = read(fd, &s, sizeof(s));
    close(fd);
    if (got == (ssize_t)sizeof(s)) return s;
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (unsigned long)ts.tv_sec ^ ((unsigned long)ts.tv_nsec << 20) ^ (unsigned long)getpid();
}

/* The next tempered 32-bit output. */
static unsigned long state_next32(THGeneratorState *st)
{
  if (!st->seeded) state_seed(st, entropy_seed()); /* an unseeded generator seeds itself lazily */
  if (--st->left == 0) state_twist(st);
  unsigned long y = st->state[st->next++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680UL;
  y ^= (y << 15) & 0xefc60000UL;
  y ^= y >> 18;
  return y;
}

/* One output scaled to [0, 1): 32 bits of resolution, as upstream (not 53). */
static double state_uniform(THGeneratorState *st)
{
  return (double)state_next32(st) * TH_RANDOM_2POW_M32;
}

/* Box-Muller: two uniforms give a radius and an angle, hence two deviates. The cosine one is
 * returned now; the angle and radius are kept and the sine one is returned by the next call
 * (scaled by that call's mean and stdv). 1 - y keeps the log's argument in (0, 1]. */
static double state_normal(THGeneratorState *st, double mean, double stdv)
{
  if (st->normal_is_valid) {
    st->normal_is_valid = 0;
    return st->normal_rho * sin(2.0 * TH_RANDOM_PI * st->normal_x) * stdv + mean;
  }
  st->normal_x = state_uniform(st);
  st->normal_y = state_uniform(st);
  st->normal_rho = sqrt(-2.0 * log(1.0 - st->normal_y));
  st->normal_is_valid = 1;
  return st->normal_rho * cos(2.0 * TH_RANDOM_PI * st->normal_x) * stdv + mean;
}

static int state_is_valid(const THGeneratorState *st)
{
  return st->seeded == 1 && st->left > 0 && st->left <= TH_MT_STATE_N &&
         st->next <= (unsigned long)TH_MT_STATE_N;
}

/* ---- locking: argument checks run before lock() since a raised error never returns -------- */

static void lock(THGenerator *gen)
{
  pthread_mutex_lock(&gen->mutex);
}

static void unlock(THGenerator *gen)
{
  pthread_mutex_unlock(&gen->mutex);
}

/* ---- generators ---------------------------------------------------------------------------- */

/* The default generator is static storage, so making it cannot fail inside pthread_once. */
static THGenerator default_generator;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void default_generator_init(void)
{
  pthread_mutex_init(&default_generator.mutex, NULL);
  state_seed(&default_generator.gen_state, entropy_seed());
}

THGenerator *THRandom_defaultGenerator(void)
{
  pthread_once(&default_once, default_generator_init);
  return &default_generator;
}

THGenerator *THGenerator_new(void)
{
  THGenerator *gen = THAlloc(sizeof(THGenerator));
  if (pthread_mutex_init(&gen->mutex, NULL) != 0) {
    THFree(gen);
    THError("THGenerator_new: could not initialise the generator's mutex");
  }
  state_reset(&gen->gen_state);
  state_seed(&gen->gen_state, entropy_seed()); /* seeded at birth, as upstream: isValid is 1 */
  return gen;
}

/* Snapshot then write, never holding both mutexes: two threads copying a->b and b->a at once
 * cannot deadlock. */
THGenerator *THGenerator_copy(THGenerator *self, THGenerator *from)
{
  THArgCheck(self != NULL, 1, "generator expected");
  THArgCheck(from != NULL, 2, "generator expected");
  if (self == from) return self;
  THGeneratorState snapshot;
  lock(from);
  snapshot = from->gen_state;
  unlock(from);
  lock(self);
  self->gen_state = snapshot;
  unlock(self);
  return self;
}

void THGenerator_free(THGenerator *gen)
{
  if (!gen || gen == &default_generator) return; /* the default one lives as long as the process */
  pthread_mutex_destroy(&gen->mutex);
  THFree(gen);
}

int THGenerator_isValid(THGenerator *_generator)
{
  lock(_generator);
  int ok = state_is_valid(&_generator->gen_state);
  unlock(_generator);
  return ok;
}

/* ---- seeding ------------------------------------------------------------------------------- */

unsigned long THRandom_seed(THGenerator *_generator)
{
  unsigned long s = entropy_seed(); /* read outside the lock: it is a system call */
  lock(_generator);
  state_seed(&_generator->gen_state, s);
  unlock(_generator);
  return s;
}

void THRandom_manualSeed(THGenerator *_generator, unsigned long the_seed_)
{
  lock(_generator);
  state_seed(&_generator->gen_state, the_seed_);
  unlock(_generator);
}

unsigned long THRandom_initialSeed(THGenerator *_generator)
{
  lock(_generator);
  unsigned long s = _generator->gen_state.the_initial_seed;
  unlock(_generator);
  return s;
}

/* ---- draws --------------------------------------------------------------------------------- */

unsigned long THRandom_random(THGenerator *_generator)
{
  lock(_generator);
  unsigned long r = state_next32(&_generator->gen_state);
  unlock(_generator);
  return r;
}

/* Uniform on [a, b): b <= a is allowed, as upstream (it just maps [0, 1) onto (b, a]). */
double THRandom_uniform(THGenerator *_generator, double a, double b)
{
  lock(_generator);
  double u = state_uniform(&_generator->gen_state);
  unlock(_generator);
  return u * (b - a) + a;
}

double THRandom_normal(THGenerator *_generator, double mean, double stdv)
{
  THArgCheck(stdv > 0, 2, "standard deviation must be strictly positive");
  lock(_generator);
  double r = state_normal(&_generator->gen_state, mean, stdv);
  unlock(_generator);
  return r;
}

/* Inversion of the CDF: -log(1 - u) / lambda. lambda is not checked, as upstream. */
double THRandom_exponential(THGenerator *_generator, double lambda)
{
  lock(_generator);
  double u = state_uniform(&_generator->gen_state);
  unlock(_generator);
  return -1.0 / lambda * log(1.0 - u);
}

/* Inversion of the CDF: median + sigma * tan(pi * (u - 1/2)). */
double THRandom_cauchy(THGenerator *_generator, double median, double sigma)
{
  lock(_generator);
  double u = state_uniform(&_generator->gen_state);
  unlock(_generator);
  return median + sigma * tan(TH_RANDOM_PI * (u - 0.5));
}

/* Shares the Box-Muller cache with THRandom_normal, as upstream. */
double THRandom_logNormal(THGenerator *_generator, double mean, double stdv)
{
  THArgCheck(stdv > 0, 2, "standard deviation must be strictly positive");
  lock(_generator);
  double r = state_normal(&_generator->gen_state, mean, stdv);
  unlock(_generator);
  return exp(r);
}

/* Upstream's inversion, kept for reproducibility: floor(log(1 - u) / log(p)) + 1, which is >= 1
 * and takes p as the chance of going on (P(k) = (1 - p) p^(k-1)). */
int THRandom_geometric(THGenerator *_generator, double p)
{
  THArgCheck(p > 0 && p < 1, 1, "must be > 0 and < 1");
  lock(_generator);
  double u = state_uniform(&_generator->gen_state);
  unlock(_generator);
  return (int)(log(1.0 - u) / log(p)) + 1;
}

int THRandom_bernoulli(THGenerator *_generator, double p)
{
  THArgCheck(p >= 0 && p <= 1, 1, "must be >= 0 and <= 1");
  lock(_generator);
  double u = state_uniform(&_generator->gen_state);
  unlock(_generator);
  return u <= p;
}
