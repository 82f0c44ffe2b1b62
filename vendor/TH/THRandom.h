/* THRandom: the Mersenne Twister (MT19937) generator and the scalar distributions drawn from it. */
#ifndef TH_RANDOM_H
#define TH_RANDOM_H

#include <pthread.h>
#include "THGeneral.h"

#define TH_MT_STATE_N 624 /* words of MT19937 state */
#define TH_MT_STATE_M 397 /* the twist's middle offset */

/* Upstream's layout, so that a saved generator state means the same thing in either library.
 * state[] holds 32-bit values in unsigned longs; next indexes the word to hand out next and left
 * counts down to the next twist (left == 1 right after seeding, so the first draw twists). */
typedef struct THGeneratorState {
  unsigned long the_initial_seed;
  int left;
  int seeded;
  unsigned long next;
  unsigned long state[TH_MT_STATE_N];
  double normal_x, normal_y, normal_rho; /* Box-Muller pair kept for the second deviate */
  int normal_is_valid;
} THGeneratorState;

/* Every THRandom_* call holds the mutex, so one generator may be shared between threads. */
typedef struct THGenerator {
  pthread_mutex_t mutex;
  THGeneratorState gen_state;
} THGenerator;

/* A new generator is unseeded: its first draw seeds it from the system's entropy, as upstream. */
TH_API THGenerator *THGenerator_new(void);
/* Copies from's state (not its mutex) into self and returns self. */
TH_API THGenerator *THGenerator_copy(THGenerator *self, THGenerator *from);
TH_API void THGenerator_free(THGenerator *gen);
/* 1 when the state is seeded and its counters are in range (e.g. after restoring raw bytes). */
TH_API int THGenerator_isValid(THGenerator *_generator);

/* Seeds from /dev/urandom (the time if that fails) and returns the seed used. */
TH_API unsigned long THRandom_seed(THGenerator *_generator);
/* MT19937's init_genrand with the low 32 bits of the seed; also drops any cached normal deviate. */
TH_API void THRandom_manualSeed(THGenerator *_generator, unsigned long the_seed_);
/* The seed last given (all 64 bits, although only the low 32 reach the state). */
TH_API unsigned long THRandom_initialSeed(THGenerator *_generator);
/* The next tempered 32-bit MT19937 output. */
TH_API unsigned long THRandom_random(THGenerator *_generator);

TH_API double THRandom_uniform(THGenerator *_generator, double a, double b);
TH_API double THRandom_normal(THGenerator *_generator, double mean, double stdv);
TH_API double THRandom_exponential(THGenerator *_generator, double lambda);
TH_API double THRandom_cauchy(THGenerator *_generator, double median, double sigma);
/* exp of a normal deviate: mean and stdv are those of the logarithm. */
TH_API double THRandom_logNormal(THGenerator *_generator, double mean, double stdv);
TH_API int THRandom_geometric(THGenerator *_generator, double p);
TH_API int THRandom_bernoulli(THGenerator *_generator, double p);

/* Not in upstream: the process-wide generator, made and seeded once on first use. It lives for
 * the whole process; THGenerator_free ignores it. */
TH_EXPORT THGenerator *THRandom_defaultGenerator(void);

#endif
