/* THTensorDimApply: visiting every 1-d slice of tensors along one dimension.
 *
 * For each position of the other dimensions, CODE runs with, for each tensor t:
 *   t_data   pointer to the slice's first element,
 *   t_stride the stride along DIM, t_size the size along DIM.
 * The tensors must have the same number of dimensions and the same sizes in all but DIM
 * (callers check and raise first). Reductions, sort, cumsum, gather and scatter use this. */
#ifndef TH_TENSOR_DIM_APPLY_H
#define TH_TENSOR_DIM_APPLY_H

#include "THGeneral.h"

#define TH_DIM_APPLY_(T1, t1, e1, T2, t2, e2, T3, t3, e3, DIM, CODE)                                          \
  do {                                                                                           \
    int nd_ = (e1)->nDimension, dim_ = (DIM);                                                    \
    long cnt_[TH_MAX_DIM] = {0};                                                                 \
    int empty_ = nd_ == 0;                                                                       \
    for (int d_ = 0; d_ < nd_; d_++) empty_ |= (e1)->size[d_] == 0;                              \
    T1 *t1##_data = empty_ ? NULL : (e1)->storage->data + (e1)->storageOffset;                   \
    T2 *t2##_data = empty_ ? NULL : (e2)->storage->data + (e2)->storageOffset;                   \
    T3 *t3##_data = empty_ ? NULL : (e3)->storage->data + (e3)->storageOffset;                   \
    long t1##_stride = empty_ ? 0 : (e1)->stride[dim_], t1##_size = empty_ ? 0 : (e1)->size[dim_]; \
    long t2##_stride = empty_ ? 0 : (e2)->stride[dim_], t2##_size = empty_ ? 0 : (e2)->size[dim_]; \
    long t3##_stride = empty_ ? 0 : (e3)->stride[dim_], t3##_size = empty_ ? 0 : (e3)->size[dim_]; \
    (void)t1##_stride; (void)t1##_size; (void)t2##_stride; (void)t2##_size;                      \
    (void)t3##_stride; (void)t3##_size;                                                          \
    while (!empty_) {                                                                            \
      CODE                                                                                       \
      int d_ = nd_ - 1;                                                                          \
      for (; d_ >= 0; d_--) {                                                                    \
        if (d_ == dim_) continue;                                                                \
        cnt_[d_]++;                                                                              \
        t1##_data += (e1)->stride[d_];                                                           \
        t2##_data += (e2)->stride[d_];                                                           \
        t3##_data += (e3)->stride[d_];                                                           \
        if (cnt_[d_] < (e1)->size[d_]) break;                                                    \
        t1##_data -= cnt_[d_] * (e1)->stride[d_];                                                \
        t2##_data -= cnt_[d_] * (e2)->stride[d_];                                                \
        t3##_data -= cnt_[d_] * (e3)->stride[d_];                                                \
        cnt_[d_] = 0;                                                                            \
      }                                                                                          \
      if (d_ < 0) break;                                                                         \
    }                                                                                            \
  } while (0)

#define TH_TENSOR_DIM_APPLY3(T1, t1, T2, t2, T3, t3, DIM, CODE) \
  TH_DIM_APPLY_(T1, t1, t1, T2, t2, t2, T3, t3, t3, DIM, CODE)

/* The one- and two-tensor forms walk the first tensor again under unused names. */
#define TH_TENSOR_DIM_APPLY2(T1, t1, T2, t2, DIM, CODE) \
  TH_DIM_APPLY_(T1, t1, t1, T2, t2, t2, T1, dim_apply_unused1_, t1, DIM, CODE)
#define TH_TENSOR_DIM_APPLY(T1, t1, DIM, CODE) \
  TH_DIM_APPLY_(T1, t1, t1, T1, dim_apply_unused2_, t1, T1, dim_apply_unused1_, t1, DIM, CODE)

#endif
