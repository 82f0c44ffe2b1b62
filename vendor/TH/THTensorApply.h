/* THTensorApply: walking the elements of one, two or three strided tensors in step.
 *
 * Each tensor gets a THIter: its dimensions with the contiguous ones merged, and a counter. The
 * walk goes in runs: a run is the longest stretch that is a plain strided line in every tensor,
 * so the innermost loop is a simple `for` the compiler can vectorise when all strides are 1
 * (the common, contiguous case is a single run over everything). */
#ifndef TH_TENSOR_APPLY_H
#define TH_TENSOR_APPLY_H

#include "THGeneral.h"

typedef struct THIter {
  char *ptr;          /* start of the current run */
  size_t esize;       /* element size in bytes */
  int ndim;           /* merged dimensions */
  long size[TH_MAX_DIM], stride[TH_MAX_DIM], counter[TH_MAX_DIM];
  long left;          /* elements left in the current innermost line */
} THIter;

static inline void THIter_init(THIter *it, void *base, size_t esize, int nd, const long *size,
                               const long *stride)
{
  it->ptr = base;
  it->esize = esize;
  it->ndim = 0;
  for (int d = 0; d < nd; d++) {
    if (size[d] == 1) continue;                      /* size-1 dimensions do not move */
    int m = it->ndim;
    if (m > 0 && it->stride[m - 1] == size[d] * stride[d]) {
      it->size[m - 1] *= size[d];                    /* merge with the outer dimension */
      it->stride[m - 1] = stride[d];
    } else {
      it->size[m] = size[d];
      it->stride[m] = stride[d];
      it->ndim++;
    }
  }
  if (it->ndim == 0) {                               /* a single element */
    it->size[0] = 1;
    it->stride[0] = 1;
    it->ndim = 1;
  }
  for (int d = 0; d < it->ndim; d++) it->counter[d] = 0;
  it->left = it->size[it->ndim - 1];
}

/* Moves past n elements of the current line (n <= left); at its end, on to the next line. */
static inline void THIter_advance(THIter *it, long n)
{
  int last = it->ndim - 1;
  it->ptr += (ptrdiff_t)n * it->stride[last] * (ptrdiff_t)it->esize;
  it->counter[last] += n;
  it->left -= n;
  if (it->left > 0) return;
  it->ptr -= (ptrdiff_t)it->size[last] * it->stride[last] * (ptrdiff_t)it->esize;
  it->counter[last] = 0;
  for (int d = last - 1; d >= 0; d--) {
    it->counter[d]++;
    it->ptr += (ptrdiff_t)it->stride[d] * (ptrdiff_t)it->esize;
    if (it->counter[d] < it->size[d]) break;
    it->ptr -= (ptrdiff_t)it->size[d] * it->stride[d] * (ptrdiff_t)it->esize;
    it->counter[d] = 0;
  }
  it->left = it->size[last];
}

#define TH_ITER_STRIDE(it) ((it).stride[(it).ndim - 1])

/* Whether the THIter is at the start of a line `run` long that has lines after it in its plane
 * (more than one merged dimension): runs of `run` are then whole lines, one plane stride apart. */
static inline int THIter_atWholeLine(const THIter *it, long run)
{
  int last = it->ndim - 1;
  return last > 0 && run == it->size[last] && it->left == run;
}

/* Runs of `run` elements that a walk can take in one go from where it is, and the element
 * stride from one run to the next (*step): the runs that are left in the current line, or, at
 * the start of a line `run` long, the lines that are left in its plane. A walk over several
 * tensors takes the fewest any of them has (at least 1), then moves on with THIter_skipRuns. */
static inline long THIter_runs(const THIter *it, long run, long *step)
{
  int last = it->ndim - 1;
  if (THIter_atWholeLine(it, run)) {
    *step = it->stride[last - 1];
    return it->size[last - 1] - it->counter[last - 1];
  }
  *step = run * it->stride[last];
  return it->left / run;
}

/* Moves past `runs` runs of `run` elements (no more than THIter_runs gave). */
static inline void THIter_skipRuns(THIter *it, long run, long runs)
{
  if (runs > 1 && THIter_atWholeLine(it, run)) {
    int plane = it->ndim - 2;
    it->ptr += (ptrdiff_t)(runs - 1) * it->stride[plane] * (ptrdiff_t)it->esize;
    it->counter[plane] += runs - 1;
    THIter_advance(it, run);
  } else {
    THIter_advance(it, run * runs);
  }
}

/* CODE sees NAME_data, a pointer to the current element of each tensor. The tensors must have the
 * same number of elements (their shapes may differ, as upstream allows). */
#define TH_TENSOR_APPLY(T1, t1, CODE)                                                   \
  do {                                                                                  \
    ptrdiff_t n_ = THTensor_nElementOf(t1);                                             \
    if (n_ == 0) break;                                                                 \
    THIter i1_;                                                                         \
    THIter_init(&i1_, (t1)->storage->data + (t1)->storageOffset, sizeof(T1),           \
                (t1)->nDimension, (t1)->size, (t1)->stride);                            \
    while (n_ > 0) {                                                                    \
      long run_ = i1_.left, s1_ = TH_ITER_STRIDE(i1_);                                  \
      T1 *t1##_data = (T1 *)i1_.ptr;                                                    \
      if (s1_ == 1) {                                                                   \
        for (long k_ = 0; k_ < run_; k_++, t1##_data++) { CODE }                        \
      } else {                                                                          \
        for (long k_ = 0; k_ < run_; k_++, t1##_data += s1_) { CODE }                   \
      }                                                                                 \
      THIter_advance(&i1_, run_);                                                       \
      n_ -= run_;                                                                       \
    }                                                                                   \
  } while (0)

#define TH_TENSOR_APPLY2(T1, t1, T2, t2, CODE)                                          \
  do {                                                                                  \
    ptrdiff_t n_ = THTensor_nElementOf(t1);                                             \
    if (n_ == 0) break;                                                                 \
    THIter i1_, i2_;                                                                    \
    THIter_init(&i1_, (t1)->storage->data + (t1)->storageOffset, sizeof(T1),           \
                (t1)->nDimension, (t1)->size, (t1)->stride);                            \
    THIter_init(&i2_, (t2)->storage->data + (t2)->storageOffset, sizeof(T2),           \
                (t2)->nDimension, (t2)->size, (t2)->stride);                            \
    while (n_ > 0) {                                                                    \
      long run_ = THMin(i1_.left, i2_.left);                                            \
      long s1_ = TH_ITER_STRIDE(i1_), s2_ = TH_ITER_STRIDE(i2_);                        \
      T1 *t1##_data = (T1 *)i1_.ptr;                                                    \
      T2 *t2##_data = (T2 *)i2_.ptr;                                                    \
      if (s1_ == 1 && s2_ == 1) {                                                       \
        for (long k_ = 0; k_ < run_; k_++, t1##_data++, t2##_data++) { CODE }           \
      } else {                                                                          \
        for (long k_ = 0; k_ < run_; k_++, t1##_data += s1_, t2##_data += s2_) { CODE } \
      }                                                                                 \
      THIter_advance(&i1_, run_);                                                       \
      THIter_advance(&i2_, run_);                                                       \
      n_ -= run_;                                                                       \
    }                                                                                   \
  } while (0)

#define TH_TENSOR_APPLY3(T1, t1, T2, t2, T3, t3, CODE)                                  \
  do {                                                                                  \
    ptrdiff_t n_ = THTensor_nElementOf(t1);                                             \
    if (n_ == 0) break;                                                                 \
    THIter i1_, i2_, i3_;                                                               \
    THIter_init(&i1_, (t1)->storage->data + (t1)->storageOffset, sizeof(T1),           \
                (t1)->nDimension, (t1)->size, (t1)->stride);                            \
    THIter_init(&i2_, (t2)->storage->data + (t2)->storageOffset, sizeof(T2),           \
                (t2)->nDimension, (t2)->size, (t2)->stride);                            \
    THIter_init(&i3_, (t3)->storage->data + (t3)->storageOffset, sizeof(T3),           \
                (t3)->nDimension, (t3)->size, (t3)->stride);                            \
    while (n_ > 0) {                                                                    \
      long run_ = THMin(THMin(i1_.left, i2_.left), i3_.left);                           \
      long s1_ = TH_ITER_STRIDE(i1_), s2_ = TH_ITER_STRIDE(i2_), s3_ = TH_ITER_STRIDE(i3_); \
      T1 *t1##_data = (T1 *)i1_.ptr;                                                    \
      T2 *t2##_data = (T2 *)i2_.ptr;                                                    \
      T3 *t3##_data = (T3 *)i3_.ptr;                                                    \
      if (s1_ == 1 && s2_ == 1 && s3_ == 1) {                                           \
        for (long k_ = 0; k_ < run_; k_++, t1##_data++, t2##_data++, t3##_data++) { CODE } \
      } else {                                                                          \
        for (long k_ = 0; k_ < run_; k_++, t1##_data += s1_, t2##_data += s2_,          \
                  t3##_data += s3_) { CODE }                                            \
      }                                                                                 \
      THIter_advance(&i1_, run_);                                                       \
      THIter_advance(&i2_, run_);                                                       \
      THIter_advance(&i3_, run_);                                                       \
      n_ -= run_;                                                                       \
    }                                                                                   \
  } while (0)

/* Element count of any tensor type (the struct layout is shared). */
#define THTensor_nElementOf(t) THTensor_countElements((t)->nDimension, (t)->size)
static inline ptrdiff_t THTensor_countElements(int nd, const long *size)
{
  if (nd == 0) return 0;
  ptrdiff_t n = 1;
  for (int d = 0; d < nd; d++) n *= size[d];
  return n;
}

#endif
