#include "THVector.h"
#include "THParallel.h"

/* TH_SIMD_CLONES (THParallel.h): one clone per instruction set, picked when the library loads. */

const char *THVector_simdLevel(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
#if !defined(__clang__)
  if (__builtin_cpu_supports("x86-64-v4")) return "AVX512F"; /* the levels of the clones */
  if (__builtin_cpu_supports("x86-64-v3")) return "AVX2";
#else
  if (__builtin_cpu_supports("avx512f")) return "AVX512F";
  if (__builtin_cpu_supports("avx2")) return "AVX2";
#endif
  if (__builtin_cpu_supports("sse4.2")) return "SSE4.2";
  return "SSE2";
#else
  return "none";
#endif
}

#define TH_GENERIC_FILE "generic/THVector.c"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
