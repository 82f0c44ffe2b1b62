/* THCTensorRandom: random fills (generic/THCTensorRandom.cu) from a Philox4x32-10 generator.
 *
 * Element i of a call gets the four 32-bit words philox(counter = (i, offset), key = seed), where
 * offset is a fresh number for each call (THC_rngNext): the streams of different elements and
 * calls never overlap, and a given seed gives the same numbers whatever the launch shape. */
#include "THCApply.cuh"
#include <stdint.h>

__host__ __device__ inline void thc_philox(uint32_t c[4], uint32_t k0, uint32_t k1)
{
  const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
  for (int r = 0; r < 10; r++) {
    uint64_t p0 = (uint64_t)M0 * c[0], p1 = (uint64_t)M1 * c[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    uint32_t n0 = hi1 ^ c[1] ^ k0, n2 = hi0 ^ c[3] ^ k1;
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
    k0 += W0;
    k1 += W1;
  }
}

/* Uniform in [0, 1) from 24 (float) or 53 (double) random bits. */
__device__ inline double thc_u53(uint32_t a, uint32_t b)
{
  return ((double)(a >> 5) * 67108864.0 + (double)(b >> 6)) * (1.0 / 9007199254740992.0);
}

enum { THC_RNG_UNIFORM, THC_RNG_NORMAL };

/* x = a + (b - a) u (uniform), or mean + stdv z with z from Box-Muller (normal). Float tensors
 * draw floats, the others doubles; the conversion to real is a C cast, as in libTH. */
template <typename T>
__global__ void THC_randomKernel(T *out, THCInfo io, long n, int kind, double p0, double p1,
                                 unsigned long long seed, unsigned long long offset)
{
  THC_LOOP(i, n) {
    uint32_t c[4] = {(uint32_t)i, (uint32_t)((unsigned long long)i >> 32), (uint32_t)offset,
                     (uint32_t)(offset >> 32)};
    thc_philox(c, (uint32_t)seed, (uint32_t)(seed >> 32));
    double v;
    if (sizeof(T) == 4 && THCNum<T>::floating) {
      float u1 = (float)(c[0] >> 8) * (1.0f / 16777216.0f);
      if (kind == THC_RNG_UNIFORM) {
        float x = (float)p0 + ((float)p1 - (float)p0) * u1;
        v = x < (float)p1 || p0 == p1 ? x : (float)p0; /* rounding must not reach b */
      } else {
        float u2 = (float)(c[1] >> 8) * (1.0f / 16777216.0f);
        float z = sqrtf(-2.0f * logf(1.0f - u1)) * cospif(2.0f * u2);
        v = (float)p0 + (float)p1 * z;
      }
    } else {
      double u1 = thc_u53(c[0], c[1]);
      if (kind == THC_RNG_UNIFORM) {
        v = p0 + (p1 - p0) * u1;
        if (!(v < p1) && p0 != p1) v = p0;
      } else {
        double u2 = thc_u53(c[2], c[3]);
        v = p0 + p1 * (sqrt(-2.0 * log(1.0 - u1)) * cospi(2.0 * u2));
      }
    }
    out[THCInfo_offset(io, i)] = (T)v;
  }
}

#define THC_GENERIC_FILE "generic/THCTensorRandom.cu"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
