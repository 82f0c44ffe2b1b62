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

/* ---- whether a team pays (THParallel.h) -------------------------------------------------- */

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* Idle classes: how long since the last team finished (below 0.1 ms, 1 ms, 10 ms, 100 ms, more). */
#define TH_PARALLEL_IDLE_CLASSES 5
/* A recorded team cost halves every this many nanoseconds without a new measurement. */
#define THParallel_FADE_NS 1000000000LL

/* Per idle class: what a team cost beyond its work (ns, a moving average; 0: not measured), and
 * when it was last measured. Shared by every thread: atomics, and a lost update only loses one
 * sample. */
static _Atomic int_least64_t team_cost[TH_PARALLEL_IDLE_CLASSES];
static _Atomic int_least64_t team_cost_at[TH_PARALLEL_IDLE_CLASSES];
static _Atomic int_least64_t team_last_end; /* when the last team finished; 0: never */
static _Atomic int_least64_t call_last_end; /* when the last job above the threshold finished */
static _Atomic unsigned warm_tries;         /* counts the chances of waking a team (see below) */
static _Atomic int adapt = -1;              /* -1: not read yet; 0: TH_PARALLEL_ADAPT=0; 1 */

/* Before a class has a measurement: a guess on the cheap side, so that the first jobs try. */
static const int_least64_t team_cost_guess[TH_PARALLEL_IDLE_CLASSES] = {5000, 20000, 60000,
                                                                        150000, 300000};

int64_t THParallel_nowNs(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int THParallel_sizeClass(ptrdiff_t work)
{
  int c = -16;
  for (ptrdiff_t w = work; w > 1; w >>= 1) c++;
  return c < 0 ? 0 : c >= TH_PARALLEL_SIZE_CLASSES ? TH_PARALLEL_SIZE_CLASSES - 1 : c;
}

static int THParallel_idleClass(int64_t now)
{
  int64_t last = atomic_load_explicit(&team_last_end, memory_order_relaxed);
  if (last == 0) return TH_PARALLEL_IDLE_CLASSES - 1;
  int64_t idle = now - last, bound = 100000;
  int c = 0;
  while (c < TH_PARALLEL_IDLE_CLASSES - 1 && idle >= bound) {
    c++;
    bound *= 10;
  }
  return c;
}

static int THParallel_adaptive(void)
{
  int a = atomic_load_explicit(&adapt, memory_order_relaxed);
  if (a < 0) {
    const char *e = getenv("TH_PARALLEL_ADAPT");
    a = !(e && e[0] == '0' && e[1] == 0);
    atomic_store_explicit(&adapt, a, memory_order_relaxed);
  }
  return a;
}

/* The average's new value: half the old, half the sample (team costs come in bursts). */
static void THParallel_average(_Atomic int_least64_t *avg, int64_t sample)
{
  int64_t old = atomic_load_explicit(avg, memory_order_relaxed);
  atomic_store_explicit(avg, old ? (old + sample) / 2 : sample, memory_order_relaxed);
}

/* What a team idle for idle class c is expected to cost now: its class's faded measurement (or
 * the guess), and never more than a longer-idle class has measured, since a team woken sooner
 * is at least as warm. Without that bound, one slow sample in a class would keep teams out of
 * it for good: a class is measured again only when a team runs in it (seen as warm back-to-back
 * calls alternating between a team and one thread). */
static int64_t THParallel_teamCost(int c, int64_t now)
{
  int64_t best = -1;
  for (int k = c; k < TH_PARALLEL_IDLE_CLASSES; k++) {
    int64_t cost = atomic_load_explicit(&team_cost[k], memory_order_relaxed);
    if (cost == 0) {
      if (k == c) best = team_cost_guess[c];
      continue;
    }
    int64_t age = now - atomic_load_explicit(&team_cost_at[k], memory_order_relaxed);
    int64_t halvings = age / THParallel_FADE_NS;
    cost = halvings >= 62 ? 0 : cost >> halvings;
    if (best < 0 || cost < best) best = cost;
  }
  return best;
}

int THParallel_useTeam(THParallelSite *site, ptrdiff_t work, int threads, int64_t *t0)
{
  int64_t now = THParallel_nowNs();
  *t0 = now;
  if (!THParallel_adaptive()) return 1;
  int64_t ps = atomic_load_explicit(&site->ps[THParallel_sizeClass(work)], memory_order_relaxed);
  if (ps == 0) return 0; /* measure this site and size on one thread first */
  double serial = (double)ps * (double)work * 1e-3; /* ns */
  int c = THParallel_idleClass(now);
  int64_t cost = THParallel_teamCost(c, now);
  if (serial / threads + (double)cost < 0.9 * serial) return 1;
  /* Back-to-back jobs on one thread never see a warm team: it went to sleep after its last job.
   * When they come within the warm class's window and a warm team would pay, wake one every
   * 16th job: the jobs after it find it spinning (and measure what it costs then). */
  if (c > 0 && now - atomic_load_explicit(&call_last_end, memory_order_relaxed) < 100000) {
    int64_t warm = atomic_load_explicit(&team_cost[0], memory_order_relaxed);
    if (warm == 0) warm = team_cost_guess[0];
    if (serial / threads + (double)warm < 0.9 * serial &&
        atomic_fetch_add_explicit(&warm_tries, 1, memory_order_relaxed) % 16 == 0)
      return 1;
  }
  return 0;
}

void THParallel_serialDone(THParallelSite *site, ptrdiff_t work, int64_t t0)
{
  if (work <= 0) return;
  int64_t end = THParallel_nowNs(), ps = (end - t0) * 1000 / (int64_t)work;
  THParallel_average(&site->ps[THParallel_sizeClass(work)], ps > 0 ? ps : 1);
  atomic_store_explicit(&call_last_end, end, memory_order_relaxed);
}

void THParallel_teamDone(THParallelSite *site, ptrdiff_t work, ptrdiff_t n, ptrdiff_t len,
                         int64_t t0, int64_t piece0Ns)
{
  int64_t end = THParallel_nowNs();
  if (THParallel_adaptive() && work > 0 && n > 0 && len > 0) {
    /* the cost per unit of work, from piece 0 (which this thread ran) */
    double units = (double)work * (double)len / (double)n;
    int64_t ps = (int64_t)((double)piece0Ns * 1e3 / units);
    THParallel_average(&site->ps[THParallel_sizeClass(work)], ps > 0 ? ps : 1);
    /* the team's cost: the time beyond this thread's own piece (waking the others, waiting) */
    int c = THParallel_idleClass(t0);
    int64_t cost = end - t0 - piece0Ns;
    THParallel_average(&team_cost[c], cost > 0 ? cost : 1);
    atomic_store_explicit(&team_cost_at[c], end, memory_order_relaxed);
  }
  atomic_store_explicit(&team_last_end, end, memory_order_relaxed);
  atomic_store_explicit(&call_last_end, end, memory_order_relaxed);
}
