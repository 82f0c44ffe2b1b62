/* THCTensorRandom: the generator (one per state: Philox4x32-10, counter based, so every element
 * of every call has its own counter and threads need no state) and the random fills. */
#ifndef THC_TENSOR_RANDOM_H
#define THC_TENSOR_RANDOM_H

#include "THCTensor.h"

THC_API void THCRandom_init(THCState *state, int num_devices, int current_device);
THC_API void THCRandom_shutdown(THCState *state);
THC_API unsigned long long THCRandom_seed(THCState *state);
THC_API unsigned long long THCRandom_seedAll(THCState *state);
THC_API void THCRandom_manualSeed(THCState *state, unsigned long long the_seed_);
THC_API void THCRandom_manualSeedAll(THCState *state, unsigned long long the_seed_);
THC_API unsigned long long THCRandom_initialSeed(THCState *state);
THC_API void THCRandom_getRNGState(THCState *state, THByteTensor *rng_state);
THC_API void THCRandom_setRNGState(THCState *state, THByteTensor *rng_state);

#define THC_GENERIC_FILE "generic/THCTensorRandom.h"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE

#endif
