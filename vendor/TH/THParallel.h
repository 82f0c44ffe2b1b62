/* THParallel: how many threads the kernels may use, and the size above which they split work. */
#ifndef TH_PARALLEL_H
#define TH_PARALLEL_H

#include "THGeneral.h"
#include <stdint.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Work below this many elements runs on one thread: starting a team costs more than it saves. */
#define TH_OMP_THRESHOLD 100000
/* The same for elementwise kernels of tens of cycles per element (exp, sigmoid), where a warm
 * team pays from fewer (measured: exp of 2^16 floats, 44 us on one thread, 27 us on two). Only
 * for elementwise work, whose answers do not depend on the cut. */
#define TH_OMP_THRESHOLD_HEAVY 32768

/* The most threads one kernel splits into (the size of the per-thread partial arrays). */
#define TH_PARALLEL_MAX_THREADS 256

TH_EXPORT void THParallel_setNumThreads(int n);
TH_EXPORT int THParallel_getNumThreads(void);

/* GCC emits one clone per target and an ifunc resolver that picks one when the library loads:
 * runtime SIMD dispatch for the hot loops, with no code of our own. The targets are the x86-64
 * levels: v4 is AVX-512 F+BW+CD+DQ+VL (every AVX-512 CPU but the Xeon Phis; GCC 12 miscompiles
 * some byte shuffles when it has AVX512F without BW), v3 is AVX2+FMA. ISO C mode keeps FMA
 * contraction off, so every clone computes the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(TH_NO_SIMD_CLONES)
#define TH_SIMD_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TH_SIMD_CLONES
#endif

/* TH_LEAN: this function is compiled at -O2 in an -O3 build: for dispatchers that choose among
 * kernels (a copy's contiguous, tiled and element-by-element ones), where -O3 inlined and
 * versioned the kernels again at each call, which took much of the build's CPU and bought no
 * measured speed. The kernels are TH_NOINLINE, so that they keep -O3 and are compiled once. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#define TH_LEAN __attribute__((optimize("O2")))
#else
#define TH_LEAN
#endif
#if defined(__GNUC__)
#define TH_NOINLINE __attribute__((noinline))
#else
#define TH_NOINLINE
#endif

/* TH_OMP(parallel ...) is `#pragma omp parallel ...` when OpenMP is on, nothing otherwise. */
#define TH_PRAGMA_STR_(x) _Pragma(#x)
#ifdef _OPENMP
#define TH_OMP(x) TH_PRAGMA_STR_(omp x)
#else
#define TH_OMP(x)
#endif

/* How many threads a job of n elements gets: one at or below `threshold`, else
 * THGetNumThreads() (capped at TH_PARALLEL_MAX_THREADS). */
static inline int THParallel_threadsAbove(ptrdiff_t n, ptrdiff_t threshold)
{
#ifdef _OPENMP
  if (n <= threshold) return 1;
  int nt = THParallel_getNumThreads();
  return nt < 1 ? 1 : nt > TH_PARALLEL_MAX_THREADS ? TH_PARALLEL_MAX_THREADS : nt;
#else
  (void)n;
  (void)threshold;
  return 1;
#endif
}

/* The same above TH_OMP_THRESHOLD: every job but the heavy elementwise ones. */
static inline int THParallel_threadsFor(ptrdiff_t n)
{
  return THParallel_threadsAbove(n, TH_OMP_THRESHOLD);
}

/* The size of the team running this code and this thread's number in it (1 and 0 outside). */
static inline int THParallel_teamSize(void)
{
#ifdef _OPENMP
  return omp_get_num_threads();
#else
  return 1;
#endif
}

static inline int THParallel_teamId(void)
{
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/* Where piece k of [0, n) cut in `pieces` starts: the pieces are equal but for the last, and
 * their starts are multiples of `align` (64 elements: no two threads write one cache line). */
static inline ptrdiff_t THParallel_pieceStartAligned(ptrdiff_t n, int pieces, int k, ptrdiff_t align)
{
  ptrdiff_t len = (n + pieces - 1) / pieces;
  len = (len + align - 1) / align * align;
  ptrdiff_t at = len * k;
  return at < n ? at : n;
}

static inline ptrdiff_t THParallel_pieceStart(ptrdiff_t n, int pieces, int k)
{
  return THParallel_pieceStartAligned(n, pieces, k, 64);
}

/* Whether two arrays of `bytes` bytes each share some but not all of their memory: then
 * elementwise work from one to the other depends on the order and must stay on one thread. */
static inline int THParallel_partialOverlap(const void *a, const void *b, size_t abytes,
                                            size_t bbytes)
{
  uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return x != y && x < y + bbytes && y < x + abytes;
}

/* ---- whether a team pays ---------------------------------------------------------------------
 * A job above TH_OMP_THRESHOLD is cut into THParallel_threadsFor(n) pieces whatever happens next,
 * so its answer (a float sum's rounding, say) never depends on the timing below. Whether those
 * pieces then run on a team or one after the other on the calling thread is decided per call, from
 * what earlier calls measured: the time one thread takes per unit of work at this call site and
 * size class, and what a team cost beyond its work the last times, by how long the team had been
 * idle (woken from sleep, a team costs milliseconds on a busy VM; spinning, microseconds). A
 * team is used when that estimate says it saves at least a tenth. Old team costs fade (half-life
 * THParallel_FADE_NS), so a team is tried again once the machine may have become quiet. The
 * environment variable TH_PARALLEL_ADAPT=0 turns this off: a team for every job above the
 * threshold, as before. */

/* Size classes of a job's work (log2 of its element count, from 2^16), each with its own cost. */
#define TH_PARALLEL_SIZE_CLASSES 16

/* What one call site has measured: picoseconds per unit of work on one thread, per size class
 * (0: not measured yet). One per call site (a static: TH_PARALLEL_SPLIT's own, or the one given
 * to TH_PARALLEL_SPLIT_AT), shared by threads. */
typedef struct {
  _Atomic int_least64_t ps[TH_PARALLEL_SIZE_CLASSES];
} THParallelSite;

/* The monotonic clock in nanoseconds. */
TH_EXPORT int64_t THParallel_nowNs(void);
/* Whether a job of `work` units cut in `threads` pieces should run on a team; *t0 = now. */
TH_EXPORT int THParallel_useTeam(THParallelSite *site, ptrdiff_t work, int threads, int64_t *t0);
/* Record a job that ran on one thread from t0 to now. */
TH_EXPORT void THParallel_serialDone(THParallelSite *site, ptrdiff_t work, int64_t t0);
/* Record a job that ran on a team from t0 to now, whose piece 0 (`len` of the `n` items) took
 * `piece0Ns` of it. */
TH_EXPORT void THParallel_teamDone(THParallelSite *site, ptrdiff_t work, ptrdiff_t n, ptrdiff_t len,
                                   int64_t t0, int64_t piece0Ns);

/* Runs CODE on pieces [BEGIN, END) of [0, N) cut in THREADS pieces (when THREADS is 1, once over
 * everything, with no team), piece starts being multiples of ALIGN, on a team or one piece after
 * another as the estimate above says (WORK: the job's size in elements, for that estimate); each
 * piece sees its number in PIECE (0 ... PIECES - 1, in the order of the pieces) and the count in
 * PIECES. CODE must not raise a TH error (it would leave the team), nor break or continue. */
#define TH_PARALLEL_SPLIT_W(THREADS, N, WORK, ALIGN, BEGIN, END, PIECE, PIECES, ...)          \
  do {                                                                                        \
    static THParallelSite thpSiteHere_;                                                       \
    TH_PARALLEL_SPLIT_AT(&thpSiteHere_, THREADS, N, WORK, ALIGN, BEGIN, END, PIECE, PIECES,   \
                         __VA_ARGS__);                                                        \
  } while (0)

/* The same with the call site's measurements in SITE (a THParallelSite *), for a function that
 * runs the jobs of several call sites: each still adapts to its own. */
#define TH_PARALLEL_SPLIT_AT(SITE, THREADS, N, WORK, ALIGN, BEGIN, END, PIECE, PIECES, ...)    \
  do {                                                                                        \
    ptrdiff_t thpN_ = (N);                                                                    \
    int thpT_ = (THREADS);                                                                    \
    THParallelSite *thpSite_ = (SITE);                                                        \
    ptrdiff_t thpW_ = (WORK);                                                                 \
    int64_t thpT0_ = 0;                                                                       \
    if (thpT_ > 1 && THParallel_useTeam(thpSite_, thpW_, thpT_, &thpT0_)) {                   \
      int64_t thpPiece0Ns_ = 0;                                                               \
      ptrdiff_t thpPiece0Len_ = thpN_;                                                        \
      TH_OMP(parallel num_threads(thpT_))                                                     \
      {                                                                                       \
        const int PIECES = THParallel_teamSize(), PIECE = THParallel_teamId();                \
        const ptrdiff_t BEGIN = THParallel_pieceStartAligned(thpN_, PIECES, PIECE, ALIGN);    \
        const ptrdiff_t END = THParallel_pieceStartAligned(thpN_, PIECES, PIECE + 1, ALIGN);  \
        const int64_t thpA_ = PIECE == 0 ? THParallel_nowNs() : 0;                            \
        (void)PIECES;                                                                         \
        __VA_ARGS__                                                                           \
        if (PIECE == 0) {                                                                     \
          thpPiece0Ns_ = THParallel_nowNs() - thpA_;                                          \
          thpPiece0Len_ = END - BEGIN;                                                        \
        }                                                                                     \
      }                                                                                       \
      THParallel_teamDone(thpSite_, thpW_, thpN_, thpPiece0Len_, thpT0_, thpPiece0Ns_);      \
    } else {                                                                                  \
      /* one piece (THREADS <= 1), or the pieces one after the other: CODE's second and last \
       * expansion (each is a vectorised loop or more: a third doubled some files' build) */ \
      const int thpP_ = thpT_ > 1 ? thpT_ : 1;                                                \
      for (int thpK_ = 0; thpK_ < thpP_; thpK_++) {                                           \
        const int PIECES = thpP_, PIECE = thpK_;                                              \
        const ptrdiff_t BEGIN =                                                               \
            thpP_ == 1 ? 0 : THParallel_pieceStartAligned(thpN_, PIECES, PIECE, ALIGN);       \
        const ptrdiff_t END =                                                                 \
            thpP_ == 1 ? thpN_ : THParallel_pieceStartAligned(thpN_, PIECES, PIECE + 1, ALIGN); \
        (void)PIECE;                                                                          \
        (void)PIECES;                                                                         \
        __VA_ARGS__                                                                           \
      }                                                                                       \
      if (thpT_ > 1) THParallel_serialDone(thpSite_, thpW_, thpT0_);                         \
    }                                                                                         \
  } while (0)

/* The same with WORK = N. */
#define TH_PARALLEL_SPLIT(THREADS, N, ALIGN, BEGIN, END, PIECE, PIECES, ...) \
  TH_PARALLEL_SPLIT_W(THREADS, N, N, ALIGN, BEGIN, END, PIECE, PIECES, __VA_ARGS__)

/* The same with elements aligned to 64. */
#define TH_PARALLEL_PIECES_T(THREADS, N, BEGIN, END, PIECE, PIECES, ...) \
  TH_PARALLEL_SPLIT(THREADS, N, 64, BEGIN, END, PIECE, PIECES, __VA_ARGS__)

/* The same with as many threads as THParallel_threadsFor(N) says. */
#define TH_PARALLEL_PIECES(N, BEGIN, END, PIECE, PIECES, ...) \
  TH_PARALLEL_PIECES_T(THParallel_threadsFor(N), N, BEGIN, END, PIECE, PIECES, __VA_ARGS__)

/* The same without the piece numbers: CODE(BEGIN, END) for an elementwise job. */
#define TH_PARALLEL_RANGE(N, BEGIN, END, ...) \
  TH_PARALLEL_PIECES(N, BEGIN, END, thpPiece_, thpPieces_, __VA_ARGS__)

/* The same with SITE's measurements (TH_PARALLEL_SPLIT_AT). */
#define TH_PARALLEL_RANGE_AT(SITE, N, BEGIN, END, ...)                                \
  TH_PARALLEL_SPLIT_AT(SITE, THParallel_threadsFor(N), N, N, 64, BEGIN, END, thpPiece_, \
                       thpPieces_, __VA_ARGS__)

#endif
