#include "THVector.h"

/* GCC/Clang emit one clone per target and an ifunc resolver that picks one when the library
 * loads: runtime dispatch with no code of our own. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(TH_NO_SIMD_CLONES)
#define TH_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TH_SIMD_CLONES
#endif

const char *THVector_simdLevel(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "AVX512F";
  if (__builtin_cpu_supports("avx2")) return "AVX2";
  if (__builtin_cpu_supports("sse4.2")) return "SSE4.2";
  return "SSE2";
#else
  return "none";
#endif
}

#define TH_GENERIC_FILE "generic/THVector.c"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
