/* generic/THCTensorReduce.cu: reductions of one type.
 *
 * As libTH: sums and products accumulate in accreal (float for float on the GPU: cutorch's rule);
 * max and min propagate NaN; maxall/minall of an empty tensor are errors. Along a dimension
 * (0-based; out of range is an IndexError) the result is sized like the input with 1 at that
 * dimension, which is then squeezed away unless keepdim (a 1-d result stays 1-d); max and min
 * also give 1-based positions (TH_INDEX_BASE) in a THCudaLongTensor, the first on ties. */
#ifndef THC_GENERIC_FILE
#error "include through THCTensorReduce.cu"
#endif

static THCInfo THCTensor_(rinfo)(THCTensor *t)
{
  return THC_info(t->nDimension, t->size, t->stride);
}

static real *THCTensor_(rptr)(THCTensor *t)
{
  return t->storage ? t->storage->data + t->storageOffset : NULL;
}

accreal THCTensor_(sumall)(THCState *state, THCTensor *self)
{
  THCInfo a = THCTensor_(rinfo)(self);
  return THC_reduceAll<real, accreal>(state, THCTensor_(rptr)(self), a, NULL, a,
                                      (long)THCTensor_(nElement)(state, self), THC_R_SUM);
}

accreal THCTensor_(prodall)(THCState *state, THCTensor *self)
{
  THCInfo a = THCTensor_(rinfo)(self);
  return THC_reduceAll<real, accreal>(state, THCTensor_(rptr)(self), a, NULL, a,
                                      (long)THCTensor_(nElement)(state, self), THC_R_PROD);
}

real THCTensor_(maxall)(THCState *state, THCTensor *self)
{
  THCArgCheck(THCTensor_(nElement)(state, self) > 0, 2, "tensor must have one dimension");
  THCInfo a = THCTensor_(rinfo)(self);
  return THC_reduceAll<real, real>(state, THCTensor_(rptr)(self), a, NULL, a,
                                   (long)THCTensor_(nElement)(state, self), THC_R_MAX);
}

real THCTensor_(minall)(THCState *state, THCTensor *self)
{
  THCArgCheck(THCTensor_(nElement)(state, self) > 0, 2, "tensor must have one dimension");
  THCInfo a = THCTensor_(rinfo)(self);
  return THC_reduceAll<real, real>(state, THCTensor_(rptr)(self), a, NULL, a,
                                   (long)THCTensor_(nElement)(state, self), THC_R_MIN);
}

/* The reduction of src along dim into r (and ri for max/min), as the header comment says. r may
 * be src (then a fresh tensor takes the result and r is set to it at the end). */
static void THCTensor_(reduceDim)(THCState *state, THCTensor *r_, THCudaLongTensor *ri_,
                                  THCTensor *src, long dim, int keepdim, int op)
{
  THCIndexCheck(dim >= 0 && dim < src->nDimension, "dimension %ld out of range of a %dD tensor",
                dim + TH_INDEX_BASE, src->nDimension);
  int d = (int)dim, nd = src->nDimension;
  long size[TH_MAX_DIM], stride[TH_MAX_DIM];
  for (int k = 0; k < nd; k++) {
    size[k] = src->size[k];
    stride[k] = src->stride[k];
  }
  size[d] = 1;
  THCInfo ib = THC_info(nd, size, stride); /* where each slice starts */
  long n = src->size[d], sd = src->stride[d];
  long m = (long)(THCTensor_(nElement)(state, src) / n);

  THCTensor *r = r_ == src ? THCTensor_(new)(state) : r_;
  THCudaLongTensor *ri = ri_ && (void *)ri_ == (void *)src ? THCudaLongTensor_new(state) : ri_;
  THCTensor_(resizeNd)(state, r, nd, size, NULL);
  if (ri) THCudaLongTensor_resizeNd(state, ri, nd, size, NULL);
  THCInfo io = THCTensor_(rinfo)(r);
  THCInfo ii = ri ? THC_info(ri->nDimension, ri->size, ri->stride) : io;
  long *idx = ri ? ri->storage->data + ri->storageOffset : NULL;
  cudaError_t err = THC_reduceDim<real, accreal>(THCTensor_(rptr)(r), io, idx, ii,
                                                 THCTensor_(rptr)(src), ib, n, sd, m, op);
  if (err != cudaSuccess) {
    if (r != r_) THCTensor_(free)(state, r);
    if (ri != ri_) THCudaLongTensor_free(state, ri);
    THCudaCheck(err);
  }
  if (!keepdim) {
    THCTensor_(squeeze1d)(state, r, NULL, d);
    if (ri) THCudaLongTensor_squeeze1d(state, ri, NULL, d);
  }
  if (r != r_) {
    THCTensor_(set)(state, r_, r);
    THCTensor_(free)(state, r);
  }
  if (ri != ri_) {
    THCudaLongTensor_set(state, ri_, ri);
    THCudaLongTensor_free(state, ri);
  }
}

void THCTensor_(sum)(THCState *state, THCTensor *self, THCTensor *src, long dim, int keepdim)
{
  THCTensor_(reduceDim)(state, self, NULL, src, dim, keepdim, THC_R_SUM);
}

void THCTensor_(prod)(THCState *state, THCTensor *self, THCTensor *src, long dim, int keepdim)
{
  THCTensor_(reduceDim)(state, self, NULL, src, dim, keepdim, THC_R_PROD);
}

void THCTensor_(max)(THCState *state, THCTensor *values, THCudaLongTensor *indices, THCTensor *src,
                     long dim, int keepdim)
{
  THCArgCheck(indices != NULL, 3, "indices is NULL");
  THCTensor_(reduceDim)(state, values, indices, src, dim, keepdim, THC_R_MAX);
}

void THCTensor_(min)(THCState *state, THCTensor *values, THCudaLongTensor *indices, THCTensor *src,
                     long dim, int keepdim)
{
  THCArgCheck(indices != NULL, 3, "indices is NULL");
  THCTensor_(reduceDim)(state, values, indices, src, dim, keepdim, THC_R_MIN);
}
