/* generic/THCTensorCopy.cu: see THCTensorCopy.h. */
#ifndef THC_GENERIC_FILE
#error "include through THCTensorCopy.cu"
#endif

static void THCTensor_(checkCopySize)(ptrdiff_t dst, ptrdiff_t src)
{
  THCArgCheck(dst == src, 3, "inconsistent tensor size: the destination has %td elements, the "
              "source %td", dst, src);
}

#define THC_NUMEL(t) ((t)->nDimension ? THC_numel((t)->nDimension, (t)->size) : (ptrdiff_t)0)
#ifndef THC_NUMEL_ONCE
#define THC_NUMEL_ONCE
static ptrdiff_t THC_numel(int nd, const long *size)
{
  ptrdiff_t n = 1;
  for (int d = 0; d < nd; d++) n *= size[d];
  return n;
}
#endif
#define THC_DATA(t) ((t)->storage ? (t)->storage->data + (t)->storageOffset : NULL)

/* ---- on the device -------------------------------------------------------------------------- */

void THCTensor_(copy)(THCState *state, THCTensor *self, THCTensor *src)
{
  (void)state;
  THCTensor_(checkCopySize)(THC_NUMEL(self), THC_NUMEL(src));
  THC_copyDevice(THC_DATA(self), self->nDimension, self->size, self->stride,
                 (const real *)THC_DATA(src), src->nDimension, src->size, src->stride,
                 THC_NUMEL(self));
}

void THCTensor_(copyCuda)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(copy)(state, self, src);
}

void THCTensor_(copyIgnoringOverlaps)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(copy)(state, self, src);
}

#define THC_COPY_FROM_DEVICE(TYPEC, TYPE)                                                       \
  void THCTensor_(copyCuda##TYPEC)(THCState *state, THCTensor *self, TH##TYPE##Tensor *src)     \
  {                                                                                             \
    (void)state;                                                                                \
    THCTensor_(checkCopySize)(THC_NUMEL(self), THC_NUMEL(src));                                  \
    THC_copyDevice(THC_DATA(self), self->nDimension, self->size, self->stride, THC_DATA(src),   \
                   src->nDimension, src->size, src->stride, THC_NUMEL(self));                   \
  }

THC_COPY_FROM_DEVICE(Int, CudaInt)
THC_COPY_FROM_DEVICE(Long, CudaLong)
THC_COPY_FROM_DEVICE(Float, Cuda)
THC_COPY_FROM_DEVICE(Double, CudaDouble)
#undef THC_COPY_FROM_DEVICE

#define THC_STORAGE_COPY_FROM_DEVICE(TYPEC, TYPE)                                                 \
  void THCStorage_(copyCuda##TYPEC)(THCState *state, THCStorage *self, TH##TYPE##Storage *src)    \
  {                                                                                               \
    (void)state;                                                                                  \
    THCArgCheck(self->size == src->size, 3, "size mismatch: %td vs %td elements", self->size,     \
                src->size);                                                                       \
    long size = (long)self->size, stride = 1;                                                     \
    THC_copyDevice(self->data, 1, &size, &stride, src->data, 1, &size, &stride, size);            \
  }

THC_STORAGE_COPY_FROM_DEVICE(Int, CudaInt)
THC_STORAGE_COPY_FROM_DEVICE(Long, CudaLong)
THC_STORAGE_COPY_FROM_DEVICE(Float, Cuda)
THC_STORAGE_COPY_FROM_DEVICE(Double, CudaDouble)
#undef THC_STORAGE_COPY_FROM_DEVICE

/* ---- from the host ---------------------------------------------------------------------------- */

#define THC_COPY_FROM_HOST(NAME, SRC)                                                           \
  void THCTensor_(NAME)(THCState *state, THCTensor *self, SRC *src)                             \
  {                                                                                             \
    THCTensor_(checkCopySize)(THC_NUMEL(self), THC_NUMEL(src));                                  \
    THC_copyFromHost(state, THC_DATA(self), self->nDimension, self->size, self->stride,         \
                     THC_DATA(src), src->nDimension, src->size, src->stride, THC_NUMEL(self));  \
  }

THC_COPY_FROM_HOST(copyCPU, THTensor)
THC_COPY_FROM_HOST(copyAsyncCPU, THTensor) /* a synchronous copy is a valid asynchronous one */
THC_COPY_FROM_HOST(copyByte, THByteTensor)
THC_COPY_FROM_HOST(copyChar, THCharTensor)
THC_COPY_FROM_HOST(copyShort, THShortTensor)
THC_COPY_FROM_HOST(copyInt, THIntTensor)
THC_COPY_FROM_HOST(copyLong, THLongTensor)
THC_COPY_FROM_HOST(copyFloat, THFloatTensor)
THC_COPY_FROM_HOST(copyDouble, THDoubleTensor)
#undef THC_COPY_FROM_HOST

/* ---- back to the host ------------------------------------------------------------------------ */

void THTensor_(copyCuda)(THCState *state, THTensor *self, THCTensor *src)
{
  THCTensor_(checkCopySize)(THC_NUMEL(self), THC_NUMEL(src));
  THC_copyToHost(state, THC_DATA(self), self->nDimension, self->size, self->stride,
                 (const real *)THC_DATA(src), src->nDimension, src->size, src->stride,
                 THC_NUMEL(self));
}

void THTensor_(copyAsyncCuda)(THCState *state, THTensor *self, THCTensor *src)
{
  THTensor_(copyCuda)(state, self, src);
}

#undef THC_NUMEL
#undef THC_DATA
