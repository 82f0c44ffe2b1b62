/* membw: the machine's own memory bandwidth, STREAM-style (copy and triad on arrays far larger
 * than the caches), all cores via OpenMP. Prints "copy <GB/s> triad <GB/s>". Built and run by
 * scripts/bench.py. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* n doubles on huge pages where the kernel gives them on request (numpy asks for them for its
 * large arrays, so the contenders' data sits on them too). */
static double *alloc(long n)
{
  size_t bytes = sizeof(double) * (size_t)n, huge = (size_t)2 << 20;
  bytes = (bytes + huge - 1) / huge * huge;
  double *p = aligned_alloc(huge, bytes);
#ifdef MADV_HUGEPAGE
  if (p) madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

int main(int argc, char **argv)
{
  long n = argc > 1 ? atol(argv[1]) : 1L << 25;
  double *a = alloc(n), *b = alloc(n), *c = alloc(n);
  if (!a || !b || !c) return 1;
#pragma omp parallel for
  for (long i = 0; i < n; i++) a[i] = 1.0, b[i] = 2.0, c[i] = 0.0;
  double best_copy = 1e30, best_triad = 1e30;
  for (int rep = 0; rep < 8; rep++) {
    double t0 = now();
#pragma omp parallel for
    for (long i = 0; i < n; i++) c[i] = a[i];
    double t1 = now();
#pragma omp parallel for
    for (long i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
    double t2 = now();
    if (t1 - t0 < best_copy) best_copy = t1 - t0;
    if (t2 - t1 < best_triad) best_triad = t2 - t1;
  }
  printf("copy %.2f triad %.2f\n", 2.0 * 8 * (double)n / best_copy / 1e9,
         3.0 * 8 * (double)n / best_triad / 1e9);
  free(a);
  free(b);
  free(c);
  return 0;
}
