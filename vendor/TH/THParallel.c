/* THParallel: the thread count shared by OpenMP kernels and BLAS. */
#include "THParallel.h"
#include "THBlas.h"
#ifdef _OPENMP
#include <omp.h>
#endif

static int num_threads = 0; /* 0: not set yet, use the machine's cores */

void THParallel_setNumThreads(int n)
{
  if (n < 1) n = 1;
  __atomic_store_n(&num_threads, n, __ATOMIC_RELAXED);
#ifdef _OPENMP
  omp_set_num_threads(n);
#endif
  THBlas_setNumThreads(n);
}

int THParallel_getNumThreads(void)
{
  int n = __atomic_load_n(&num_threads, __ATOMIC_RELAXED);
  if (n > 0) return n;
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}
