/* generic/THCTensor.c: construction, geometry and views of device tensors: TH's rules (see
 * vendor/TH/generic/THTensor.c), with the state first. Dimensions are 0-based; a bad dimension
 * or index is an IndexError, any other bad argument a ValueError, raised before anything
 * changes. */
#ifndef THC_GENERIC_FILE
#error "include through THCTensor.c"
#endif

/* ---- accessors ------------------------------------------------------------------------- */

THCStorage *THCTensor_(storage)(THCState *state, const THCTensor *self)
{
  (void)state;
  return self->storage;
}

ptrdiff_t THCTensor_(storageOffset)(THCState *state, const THCTensor *self)
{
  (void)state;
  return self->storageOffset;
}

int THCTensor_(nDimension)(THCState *state, const THCTensor *self)
{
  (void)state;
  return self->nDimension;
}

long THCTensor_(size)(THCState *state, const THCTensor *self, int dim)
{
  (void)state;
  THCIndexCheck(dim >= 0 && dim < self->nDimension, "dimension %d out of range of %dD tensor",
                dim + TH_INDEX_BASE, self->nDimension);
  return self->size[dim];
}

long THCTensor_(stride)(THCState *state, const THCTensor *self, int dim)
{
  (void)state;
  THCIndexCheck(dim >= 0 && dim < self->nDimension, "dimension %d out of range of %dD tensor",
                dim + TH_INDEX_BASE, self->nDimension);
  return self->stride[dim];
}

/* The size and stride as CPU long storages, made by libTH. */
THLongStorage *THCTensor_(newSizeOf)(THCState *state, THCTensor *self)
{
  (void)state;
  THLongStorage *size = THLongStorage_newWithSize(self->nDimension);
  THC_checkTH();
  if (self->nDimension) memcpy(size->data, self->size, sizeof(long) * (size_t)self->nDimension);
  return size;
}

THLongStorage *THCTensor_(newStrideOf)(THCState *state, THCTensor *self)
{
  (void)state;
  THLongStorage *stride = THLongStorage_newWithSize(self->nDimension);
  THC_checkTH();
  if (self->nDimension) memcpy(stride->data, self->stride, sizeof(long) * (size_t)self->nDimension);
  return stride;
}

real *THCTensor_(data)(THCState *state, const THCTensor *self)
{
  (void)state;
  return self->storage ? self->storage->data + self->storageOffset : NULL;
}

void THCTensor_(setFlag)(THCState *state, THCTensor *self, const char flag)
{
  (void)state;
  self->flag |= flag;
}

void THCTensor_(clearFlag)(THCState *state, THCTensor *self, const char flag)
{
  (void)state;
  self->flag &= (char)~flag;
}

int THCTensor_(getDevice)(THCState *state, const THCTensor *self)
{
  (void)state;
  return self->storage ? self->storage->device : -1;
}

THCDescBuff THCTensor_(sizeDesc)(THCState *state, const THCTensor *tensor)
{
  (void)state;
  THCDescBuff buf;
  int n = snprintf(buf.str, THC_DESC_BUFF_LEN, "[");
  for (int d = 0; d < tensor->nDimension && n >= 0 && n < THC_DESC_BUFF_LEN; d++)
    n += snprintf(buf.str + n, (size_t)(THC_DESC_BUFF_LEN - n), "%s%ld", d ? " x " : "",
                  tensor->size[d]);
  if (n >= 0 && n < THC_DESC_BUFF_LEN) snprintf(buf.str + n, (size_t)(THC_DESC_BUFF_LEN - n), "]");
  return buf;
}

/* ---- construction ---------------------------------------------------------------------- */

static THCTensor *THCTensor_(alloc)(void)
{
  THCTensor *self = THC_hostAlloc(sizeof(THCTensor));
  self->size = NULL;
  self->stride = NULL;
  self->nDimension = 0;
  self->storage = NULL;
  self->storageOffset = 0;
  self->refcount = 1;
  self->flag = TH_TENSOR_REFCOUNTED;
  return self;
}

THCTensor *THCTensor_(new)(THCState *state)
{
  (void)state;
  return THCTensor_(alloc)();
}

THCTensor *THCTensor_(newWithTensor)(THCState *state, THCTensor *tensor)
{
  THCTensor *self = THCTensor_(alloc)();
  THCTensor_(set)(state, self, tensor);
  return self;
}

static void THCTensor_(checkGeometry)(THLongStorage *size, THLongStorage *stride, int arg)
{
  if (size) THCArgCheck(size->size <= TH_MAX_DIM, arg, "too many dimensions (%td)", size->size);
  if (size && stride)
    THCArgCheck(size->size == stride->size, arg + 1, "inconsistent size (%td) and stride (%td)",
                size->size, stride->size);
  if (size)
    for (ptrdiff_t d = 0; d < size->size; d++)
      THCArgCheck(size->data[d] >= 0, arg, "negative size %ld in dimension %td", size->data[d],
                  d + TH_INDEX_BASE);
}

THCTensor *THCTensor_(newWithStorage)(THCState *state, THCStorage *storage, ptrdiff_t storageOffset,
                                      THLongStorage *size, THLongStorage *stride)
{
  THCTensor_(checkGeometry)(size, stride, 4);
  THCArgCheck(storageOffset >= 0, 3, "negative storage offset %td", storageOffset);
  THCTensor *self = THCTensor_(alloc)();
  THCTensor_(setStorageNd)(state, self, storage, storageOffset, size ? (int)size->size : 0,
                           size ? size->data : NULL, stride ? stride->data : NULL);
  return self;
}

/* The fixed-arity forms: a size of -1 means "no such dimension", as upstream. */
static int THCTensor_(countDims)(int n, const long *size)
{
  int d = 0;
  while (d < n && size[d] >= 0) d++;
  return d;
}

static THCTensor *THCTensor_(newWithStorageNd)(THCState *state, THCStorage *storage, ptrdiff_t offset,
                                               int n, long *size, long *stride)
{
  THCArgCheck(offset >= 0, 3, "negative storage offset %td", offset);
  for (int d = THCTensor_(countDims)(n, size); d < n; d++)
    THCArgCheck(size[d] == -1, 4 + 2 * d, "negative size %ld", size[d]);
  THCTensor *self = THCTensor_(alloc)();
  THCTensor_(setStorageNd)(state, self, storage, offset, THCTensor_(countDims)(n, size), size, stride);
  return self;
}

THCTensor *THCTensor_(newWithStorage1d)(THCState *state, THCStorage *storage, ptrdiff_t storageOffset,
                                        long size0, long stride0)
{
  long size[1] = {size0}, stride[1] = {stride0};
  return THCTensor_(newWithStorageNd)(state, storage, storageOffset, 1, size, stride);
}

THCTensor *THCTensor_(newWithStorage2d)(THCState *state, THCStorage *storage, ptrdiff_t storageOffset,
                                        long size0, long stride0, long size1, long stride1)
{
  long size[2] = {size0, size1}, stride[2] = {stride0, stride1};
  return THCTensor_(newWithStorageNd)(state, storage, storageOffset, 2, size, stride);
}

THCTensor *THCTensor_(newWithStorage3d)(THCState *state, THCStorage *storage, ptrdiff_t storageOffset,
                                        long size0, long stride0, long size1, long stride1,
                                        long size2, long stride2)
{
  long size[3] = {size0, size1, size2}, stride[3] = {stride0, stride1, stride2};
  return THCTensor_(newWithStorageNd)(state, storage, storageOffset, 3, size, stride);
}

THCTensor *THCTensor_(newWithStorage4d)(THCState *state, THCStorage *storage, ptrdiff_t storageOffset,
                                        long size0, long stride0, long size1, long stride1,
                                        long size2, long stride2, long size3, long stride3)
{
  long size[4] = {size0, size1, size2, size3}, stride[4] = {stride0, stride1, stride2, stride3};
  return THCTensor_(newWithStorageNd)(state, storage, storageOffset, 4, size, stride);
}

THCTensor *THCTensor_(newWithSize)(THCState *state, THLongStorage *size, THLongStorage *stride)
{
  return THCTensor_(newWithStorage)(state, NULL, 0, size, stride);
}

/* Sizes are checked first: a negative one is an error (not "fewer dimensions") here. */
static THCTensor *THCTensor_(newWithSizeNd)(THCState *state, int n, long *size)
{
  for (int d = 0; d < n; d++)
    THCArgCheck(size[d] >= 0, d + 2, "negative size %ld in dimension %d", size[d], d + TH_INDEX_BASE);
  THCTensor *self = THCTensor_(alloc)();
  THCTensor_(resizeNd)(state, self, n, size, NULL);
  return self;
}

THCTensor *THCTensor_(newWithSize1d)(THCState *state, long size0)
{
  long size[1] = {size0};
  return THCTensor_(newWithSizeNd)(state, 1, size);
}

THCTensor *THCTensor_(newWithSize2d)(THCState *state, long size0, long size1)
{
  long size[2] = {size0, size1};
  return THCTensor_(newWithSizeNd)(state, 2, size);
}

THCTensor *THCTensor_(newWithSize3d)(THCState *state, long size0, long size1, long size2)
{
  long size[3] = {size0, size1, size2};
  return THCTensor_(newWithSizeNd)(state, 3, size);
}

THCTensor *THCTensor_(newWithSize4d)(THCState *state, long size0, long size1, long size2, long size3)
{
  long size[4] = {size0, size1, size2, size3};
  return THCTensor_(newWithSizeNd)(state, 4, size);
}

THCTensor *THCTensor_(newClone)(THCState *state, THCTensor *self)
{
  THCTensor *tensor = THCTensor_(new)(state);
  THCTensor_(resizeAs)(state, tensor, self);
  THCTensor_(copy)(state, tensor, self);
  return tensor;
}

THCTensor *THCTensor_(newContiguous)(THCState *state, THCTensor *self)
{
  if (!THCTensor_(isContiguous)(state, self)) return THCTensor_(newClone)(state, self);
  THCTensor_(retain)(state, self);
  return self;
}

THCTensor *THCTensor_(newSelect)(THCState *state, THCTensor *tensor, int dimension, long sliceIndex)
{
  THCIndexCheck(dimension >= 0 && dimension < tensor->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCIndexCheck(sliceIndex >= 0 && sliceIndex < tensor->size[dimension], "index %ld out of range",
                sliceIndex + TH_INDEX_BASE);
  THCArgCheck(tensor->nDimension > 1, 2, "cannot select on a vector");
  THCTensor *self = THCTensor_(newWithTensor)(state, tensor);
  THCTensor_(select)(state, self, NULL, dimension, sliceIndex);
  return self;
}

THCTensor *THCTensor_(newNarrow)(THCState *state, THCTensor *tensor, int dimension, long firstIndex,
                                 long size)
{
  THCIndexCheck(dimension >= 0 && dimension < tensor->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCArgCheck(firstIndex >= 0 && size > 0 && firstIndex + size <= tensor->size[dimension], 4,
              "out of range: narrow of [%ld, %ld) from size %ld", firstIndex, firstIndex + size,
              tensor->size[dimension]);
  THCTensor *self = THCTensor_(newWithTensor)(state, tensor);
  THCTensor_(narrow)(state, self, NULL, dimension, firstIndex, size);
  return self;
}

THCTensor *THCTensor_(newTranspose)(THCState *state, THCTensor *tensor, int dimension1, int dimension2)
{
  THCIndexCheck(dimension1 >= 0 && dimension1 < tensor->nDimension, "dimension %d out of range",
                dimension1 + TH_INDEX_BASE);
  THCIndexCheck(dimension2 >= 0 && dimension2 < tensor->nDimension, "dimension %d out of range",
                dimension2 + TH_INDEX_BASE);
  THCTensor *self = THCTensor_(newWithTensor)(state, tensor);
  THCTensor_(transpose)(state, self, NULL, dimension1, dimension2);
  return self;
}

THCTensor *THCTensor_(newUnfold)(THCState *state, THCTensor *tensor, int dimension, long size,
                                 long step)
{
  THCIndexCheck(dimension >= 0 && dimension < tensor->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCArgCheck(size >= 0 && size <= tensor->size[dimension], 4, "size %ld out of range", size);
  THCArgCheck(step > 0, 5, "step %ld must be positive", step);
  THCArgCheck(tensor->nDimension < TH_MAX_DIM, 2, "too many dimensions");
  THCTensor *self = THCTensor_(newWithTensor)(state, tensor);
  THCTensor_(unfold)(state, self, NULL, dimension, size, step);
  return self;
}

THCTensor *THCTensor_(newView)(THCState *state, THCTensor *tensor, THLongStorage *size)
{
  THCArgCheck(THCTensor_(isContiguous)(state, tensor), 2, "input is not contiguous");
  THCArgCheck(size != NULL && size->size <= TH_MAX_DIM, 3, "invalid size");
  ptrdiff_t numel = THCTensor_(nElement)(state, tensor), known = 1;
  long sizes[TH_MAX_DIM];
  int infer = -1;
  for (ptrdiff_t d = 0; d < size->size; d++) {
    long s = size->data[d];
    if (s == -1) {
      THCArgCheck(infer < 0, 3, "only one dimension can be inferred");
      infer = (int)d;
    } else {
      THCArgCheck(s >= 0, 3, "invalid size %ld", s);
      known *= s;
    }
    sizes[d] = s;
  }
  if (infer >= 0) {
    THCArgCheck(known > 0 && numel % known == 0, 3, "size mismatch: cannot infer a dimension");
    sizes[infer] = (long)(numel / known);
    known *= sizes[infer];
  }
  THCArgCheck(known == numel || (size->size == 0 && numel == 0), 3,
              "size mismatch: view of %td elements as %td", numel, known);
  THCTensor *self = THCTensor_(new)(state);
  if (numel > 0)
    THCTensor_(setStorageNd)(state, self, tensor->storage, tensor->storageOffset, (int)size->size,
                             sizes, NULL);
  return self;
}

/* Broadcast geometry: sizes align to the right; a size-1 dimension repeats with stride 0. */
static void THCTensor_(expandGeometry)(long *outSize, long *outStride, const THCTensor *tensor,
                                       THLongStorage *size)
{
  THCArgCheck(size != NULL, 3, "size is NULL");
  int ndim = (int)size->size, tdim = tensor->nDimension;
  THCArgCheck(tdim > 0, 2, "can't expand an empty tensor");
  THCArgCheck(ndim >= tdim && ndim <= TH_MAX_DIM, 3,
              "the number of sizes provided (%d) must be at least the number of dimensions (%d)",
              ndim, tdim);
  for (int i = ndim - 1; i >= 0; i--) {
    int t = i - (ndim - tdim);
    long target = size->data[i];
    if (t >= 0) {
      long have = tensor->size[t];
      THCArgCheck(have == target || have == 1 || target == -1, 3,
                  "expanded size %ld must match the existing size %ld at dimension %d", target,
                  have, i + TH_INDEX_BASE);
      outSize[i] = target == -1 ? have : target;
      outStride[i] = have == 1 && outSize[i] != 1 ? 0 : tensor->stride[t];
    } else {
      THCArgCheck(target > 0, 3, "invalid size %ld for a new leading dimension", target);
      outSize[i] = target;
      outStride[i] = 0;
    }
  }
}

THCTensor *THCTensor_(newExpand)(THCState *state, THCTensor *tensor, THLongStorage *size)
{
  long sizes[TH_MAX_DIM], strides[TH_MAX_DIM];
  THCTensor_(expandGeometry)(sizes, strides, tensor, size);
  THCTensor *self = THCTensor_(new)(state);
  THCTensor_(setStorageNd)(state, self, tensor->storage, tensor->storageOffset, (int)size->size,
                           sizes, strides);
  return self;
}

void THCTensor_(expand)(THCState *state, THCTensor *r, THCTensor *tensor, THLongStorage *size)
{
  long sizes[TH_MAX_DIM], strides[TH_MAX_DIM];
  THCTensor_(expandGeometry)(sizes, strides, tensor, size);
  THCTensor_(setStorageNd)(state, r, tensor->storage, tensor->storageOffset, (int)size->size, sizes,
                           strides);
}

/* ---- resize and set -------------------------------------------------------------------- */

void THCTensor_(resizeNd)(THCState *state, THCTensor *self, int nDimension, long *size, long *stride)
{
  THCArgCheck(nDimension >= 0 && nDimension <= TH_MAX_DIM, 3, "invalid number of dimensions %d",
              nDimension);
  THCArgCheck(nDimension == 0 || size != NULL, 4, "size is NULL");
  /* As upstream: the dimensions end at the first size that is not positive. */
  int nd = 0;
  while (nd < nDimension && size[nd] > 0) nd++;
  int same = nd == self->nDimension;
  for (int d = 0; same && d < nd; d++)
    same = self->size[d] == size[d] && (!stride || stride[d] < 0 || self->stride[d] == stride[d]);
  if (same) return;

  /* The extent in storage, checked for overflow before anything changes. */
  ptrdiff_t total = nd > 0 ? 1 : 0;
  long strides[TH_MAX_DIM];
  for (int d = nd - 1; d >= 0; d--) {
    ptrdiff_t step;
    if (stride && stride[d] >= 0)
      strides[d] = stride[d];
    else if (d == nd - 1)
      strides[d] = 1;
    else
      THCArgCheck(!__builtin_mul_overflow(size[d + 1], strides[d + 1], &strides[d]), 4,
                  "size overflows");
    THCArgCheck(!__builtin_mul_overflow(size[d] - 1, strides[d], &step) &&
                    !__builtin_add_overflow(total, step, &total),
                4, "size %ld overflows", size[d]);
  }
  /* The storage first: growing it is what can fail (out of device memory). */
  if (nd > 0) {
    if (!self->storage) self->storage = THCStorage_(new)(state);
    if (total + self->storageOffset > self->storage->size)
      THCStorage_(resize)(state, self->storage, total + self->storageOffset);
  }
  if (nd != self->nDimension) {
    long *newSize = THC_hostAlloc(sizeof(long) * (size_t)(nd ? nd : 1));
    long *newStride = realloc(self->stride, sizeof(long) * (size_t)(nd ? nd : 1));
    if (!newStride) {
      free(newSize);
      THCMemoryError("not enough host memory");
    }
    free(self->size);
    self->size = newSize;
    self->stride = newStride;
    self->nDimension = nd;
  }
  for (int d = 0; d < nd; d++) {
    self->size[d] = size[d];
    self->stride[d] = strides[d];
  }
}

static void THCTensor_(resizeChecked)(THCState *state, THCTensor *self, int n, long *size)
{
  for (int d = 0; d < n; d++)
    THCArgCheck(size[d] >= 0, d + 3, "negative size %ld in dimension %d", size[d], d + TH_INDEX_BASE);
  THCTensor_(resizeNd)(state, self, n, size, NULL);
}

void THCTensor_(resize)(THCState *state, THCTensor *self, THLongStorage *size, THLongStorage *stride)
{
  THCArgCheck(size != NULL, 3, "invalid size");
  THCTensor_(checkGeometry)(size, stride, 3);
  THCTensor_(resizeNd)(state, self, (int)size->size, size->data, stride ? stride->data : NULL);
}

void THCTensor_(resizeAs)(THCState *state, THCTensor *self, THCTensor *src)
{
  if (!THCTensor_(isSameSizeAs)(state, self, src))
    THCTensor_(resizeNd)(state, self, src->nDimension, src->size, NULL);
}

void THCTensor_(resize1d)(THCState *state, THCTensor *tensor, long size0)
{
  long size[1] = {size0};
  THCTensor_(resizeChecked)(state, tensor, 1, size);
}

void THCTensor_(resize2d)(THCState *state, THCTensor *tensor, long size0, long size1)
{
  long size[2] = {size0, size1};
  THCTensor_(resizeChecked)(state, tensor, 2, size);
}

void THCTensor_(resize3d)(THCState *state, THCTensor *tensor, long size0, long size1, long size2)
{
  long size[3] = {size0, size1, size2};
  THCTensor_(resizeChecked)(state, tensor, 3, size);
}

void THCTensor_(resize4d)(THCState *state, THCTensor *tensor, long size0, long size1, long size2,
                          long size3)
{
  long size[4] = {size0, size1, size2, size3};
  THCTensor_(resizeChecked)(state, tensor, 4, size);
}

void THCTensor_(resize5d)(THCState *state, THCTensor *tensor, long size0, long size1, long size2,
                          long size3, long size4)
{
  long size[5] = {size0, size1, size2, size3, size4};
  THCTensor_(resizeChecked)(state, tensor, 5, size);
}

void THCTensor_(set)(THCState *state, THCTensor *self, THCTensor *src)
{
  if (self != src)
    THCTensor_(setStorageNd)(state, self, src->storage, src->storageOffset, src->nDimension,
                             src->size, src->stride);
}

void THCTensor_(setStorageNd)(THCState *state, THCTensor *self, THCStorage *storage,
                              ptrdiff_t storageOffset, int nDimension, long *size, long *stride)
{
  THCArgCheck(storageOffset >= 0, 4, "negative storage offset %td", storageOffset);
  if (self->storage != storage) {
    THCStorage_(retain)(state, storage); /* first: storage may be kept alive only by self */
    if (self->storage) THCStorage_(free)(state, self->storage);
    self->storage = storage;
  }
  self->storageOffset = storageOffset;
  THCTensor_(resizeNd)(state, self, nDimension, size, stride);
}

void THCTensor_(setStorage)(THCState *state, THCTensor *self, THCStorage *storage,
                            ptrdiff_t storageOffset, THLongStorage *size, THLongStorage *stride)
{
  THCTensor_(checkGeometry)(size, stride, 5);
  THCTensor_(setStorageNd)(state, self, storage, storageOffset, size ? (int)size->size : 0,
                           size ? size->data : NULL, stride ? stride->data : NULL);
}

static void THCTensor_(setStorageFixed)(THCState *state, THCTensor *self, THCStorage *storage,
                                        ptrdiff_t offset, int n, long *size, long *stride)
{
  for (int d = THCTensor_(countDims)(n, size); d < n; d++)
    THCArgCheck(size[d] == -1, 5 + 2 * d, "negative size %ld", size[d]);
  THCTensor_(setStorageNd)(state, self, storage, offset, THCTensor_(countDims)(n, size), size, stride);
}

void THCTensor_(setStorage1d)(THCState *state, THCTensor *self, THCStorage *storage,
                              ptrdiff_t storageOffset, long size0, long stride0)
{
  long size[1] = {size0}, stride[1] = {stride0};
  THCTensor_(setStorageFixed)(state, self, storage, storageOffset, 1, size, stride);
}

void THCTensor_(setStorage2d)(THCState *state, THCTensor *self, THCStorage *storage,
                              ptrdiff_t storageOffset, long size0, long stride0, long size1,
                              long stride1)
{
  long size[2] = {size0, size1}, stride[2] = {stride0, stride1};
  THCTensor_(setStorageFixed)(state, self, storage, storageOffset, 2, size, stride);
}

void THCTensor_(setStorage3d)(THCState *state, THCTensor *self, THCStorage *storage,
                              ptrdiff_t storageOffset, long size0, long stride0, long size1,
                              long stride1, long size2, long stride2)
{
  long size[3] = {size0, size1, size2}, stride[3] = {stride0, stride1, stride2};
  THCTensor_(setStorageFixed)(state, self, storage, storageOffset, 3, size, stride);
}

void THCTensor_(setStorage4d)(THCState *state, THCTensor *self, THCStorage *storage,
                              ptrdiff_t storageOffset, long size0, long stride0, long size1,
                              long stride1, long size2, long stride2, long size3, long stride3)
{
  long size[4] = {size0, size1, size2, size3}, stride[4] = {stride0, stride1, stride2, stride3};
  THCTensor_(setStorageFixed)(state, self, storage, storageOffset, 4, size, stride);
}

/* ---- views in place: self becomes a view of src (src NULL means self) -------------------- */

void THCTensor_(narrow)(THCState *state, THCTensor *self, THCTensor *src, int dimension,
                        long firstIndex, long size)
{
  if (!src) src = self;
  THCIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCArgCheck(firstIndex >= 0 && firstIndex < src->size[dimension], 5,
              "out of range: first index %ld", firstIndex);
  THCArgCheck(size > 0 && firstIndex + size <= src->size[dimension], 6, "out of range: size %ld",
              size);
  THCTensor_(set)(state, self, src);
  if (firstIndex > 0) self->storageOffset += firstIndex * self->stride[dimension];
  self->size[dimension] = size;
}

void THCTensor_(select)(THCState *state, THCTensor *self, THCTensor *src, int dimension,
                        long sliceIndex)
{
  if (!src) src = self;
  THCArgCheck(src->nDimension > 1, 3, "cannot select on a vector");
  THCIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCIndexCheck(sliceIndex >= 0 && sliceIndex < src->size[dimension], "index %ld out of range",
                sliceIndex + TH_INDEX_BASE);
  THCTensor_(set)(state, self, src);
  self->storageOffset += sliceIndex * self->stride[dimension];
  for (int d = dimension; d < self->nDimension - 1; d++) {
    self->size[d] = self->size[d + 1];
    self->stride[d] = self->stride[d + 1];
  }
  self->nDimension--;
}

void THCTensor_(transpose)(THCState *state, THCTensor *self, THCTensor *src, int dimension1,
                           int dimension2)
{
  if (!src) src = self;
  THCIndexCheck(dimension1 >= 0 && dimension1 < src->nDimension, "dimension %d out of range",
                dimension1 + TH_INDEX_BASE);
  THCIndexCheck(dimension2 >= 0 && dimension2 < src->nDimension, "dimension %d out of range",
                dimension2 + TH_INDEX_BASE);
  THCTensor_(set)(state, self, src);
  long z = self->stride[dimension1];
  self->stride[dimension1] = self->stride[dimension2];
  self->stride[dimension2] = z;
  z = self->size[dimension1];
  self->size[dimension1] = self->size[dimension2];
  self->size[dimension2] = z;
}

void THCTensor_(unfold)(THCState *state, THCTensor *self, THCTensor *src, int dimension, long size,
                        long step)
{
  if (!src) src = self;
  THCIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCArgCheck(size >= 0 && size <= src->size[dimension], 5, "size %ld out of range", size);
  THCArgCheck(step > 0, 6, "step %ld must be positive", step);
  THCArgCheck(src->nDimension < TH_MAX_DIM, 3, "too many dimensions");
  long newSize[TH_MAX_DIM], newStride[TH_MAX_DIM];
  int nd = src->nDimension;
  for (int d = 0; d < nd; d++) {
    newSize[d] = d == dimension ? (src->size[d] - size) / step + 1 : src->size[d];
    newStride[d] = d == dimension ? step * src->stride[d] : src->stride[d];
  }
  newSize[nd] = size;
  newStride[nd] = src->stride[dimension];
  THCTensor_(setStorageNd)(state, self, src->storage, src->storageOffset, nd + 1, newSize, newStride);
}

void THCTensor_(squeeze)(THCState *state, THCTensor *self, THCTensor *src)
{
  if (!src) src = self;
  THCTensor_(set)(state, self, src);
  int nd = 0;
  for (int d = 0; d < src->nDimension; d++) {
    if (src->size[d] != 1) {
      self->size[nd] = src->size[d];
      self->stride[nd] = src->stride[d];
      nd++;
    }
  }
  if (nd == 0 && src->nDimension > 0) {
    self->size[0] = 1;
    self->stride[0] = 1;
    nd = 1;
  }
  self->nDimension = nd;
}

void THCTensor_(squeeze1d)(THCState *state, THCTensor *self, THCTensor *src, int dimension)
{
  if (!src) src = self;
  THCIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCTensor_(set)(state, self, src);
  if (src->size[dimension] == 1 && src->nDimension > 1) {
    for (int d = dimension; d < self->nDimension - 1; d++) {
      self->size[d] = self->size[d + 1];
      self->stride[d] = self->stride[d + 1];
    }
    self->nDimension--;
  }
}

void THCTensor_(unsqueeze1d)(THCState *state, THCTensor *self, THCTensor *src, int dimension)
{
  if (!src) src = self;
  THCIndexCheck(dimension >= 0 && dimension <= src->nDimension, "dimension %d out of range",
                dimension + TH_INDEX_BASE);
  THCArgCheck(src->nDimension > 0, 3, "cannot unsqueeze empty tensor");
  THCArgCheck(src->nDimension < TH_MAX_DIM, 3, "too many dimensions");
  long size[TH_MAX_DIM], stride[TH_MAX_DIM];
  int nd = src->nDimension;
  for (int d = 0, s = 0; d <= nd; d++) {
    if (d == dimension) {
      size[d] = 1;
      stride[d] = d < nd ? src->size[d] * src->stride[d] : 1;
    } else {
      size[d] = src->size[s];
      stride[d] = src->stride[s];
      s++;
    }
  }
  THCTensor_(setStorageNd)(state, self, src->storage, src->storageOffset, nd + 1, size, stride);
}

/* ---- predicates ------------------------------------------------------------------------ */

int THCTensor_(isContiguous)(THCState *state, const THCTensor *self)
{
  (void)state;
  long z = 1;
  for (int d = self->nDimension - 1; d >= 0; d--) {
    if (self->size[d] != 1) {
      if (self->stride[d] != z) return 0;
      z *= self->size[d];
    }
  }
  return 1;
}

int THCTensor_(isSize)(THCState *state, const THCTensor *self, const THLongStorage *dims)
{
  (void)state;
  THCArgCheck(dims != NULL, 3, "dims is NULL");
  if (self->nDimension != dims->size) return 0;
  for (int d = 0; d < self->nDimension; d++)
    if (self->size[d] != dims->data[d]) return 0;
  return 1;
}

int THCTensor_(isSameSizeAs)(THCState *state, const THCTensor *self, const THCTensor *src)
{
  (void)state;
  if (self->nDimension != src->nDimension) return 0;
  for (int d = 0; d < self->nDimension; d++)
    if (self->size[d] != src->size[d]) return 0;
  return 1;
}

int THCTensor_(isSetTo)(THCState *state, const THCTensor *self, const THCTensor *src)
{
  (void)state;
  if (!self->storage) return 0;
  if (self->storage != src->storage || self->storageOffset != src->storageOffset ||
      self->nDimension != src->nDimension)
    return 0;
  for (int d = 0; d < self->nDimension; d++)
    if (self->size[d] != src->size[d] || self->stride[d] != src->stride[d]) return 0;
  return 1;
}

ptrdiff_t THCTensor_(nElement)(THCState *state, const THCTensor *self)
{
  (void)state;
  if (self->nDimension == 0) return 0;
  ptrdiff_t n = 1;
  for (int d = 0; d < self->nDimension; d++) n *= self->size[d];
  return n;
}

ptrdiff_t THCTensor_(numel)(THCState *state, THCTensor *t)
{
  return THCTensor_(nElement)(state, t);
}

/* ---- lifetime -------------------------------------------------------------------------- */

void THCTensor_(retain)(THCState *state, THCTensor *self)
{
  (void)state;
  if (self->flag & TH_TENSOR_REFCOUNTED) __atomic_fetch_add(&self->refcount, 1, __ATOMIC_RELAXED);
}

void THCTensor_(free)(THCState *state, THCTensor *self)
{
  if (!self || !(self->flag & TH_TENSOR_REFCOUNTED)) return;
  if (__atomic_sub_fetch(&self->refcount, 1, __ATOMIC_ACQ_REL) != 0) return;
  free(self->size);
  free(self->stride);
  if (self->storage) THCStorage_(free)(state, self->storage);
  free(self);
}

void THCTensor_(freeCopyTo)(THCState *state, THCTensor *self, THCTensor *dst)
{
  if (self != dst) THCTensor_(copy)(state, dst, self);
  THCTensor_(free)(state, self);
}

/* ---- element access (one element moved between host and device) ---------------------- */

static real *THCTensor_(elementPtr)(const THCTensor *t, int n, const long *x)
{
  THCArgCheck(t->nDimension == n, 2, "tensor must have %d dimension%s, not %d", n, n > 1 ? "s" : "",
              t->nDimension);
  ptrdiff_t offset = t->storageOffset;
  for (int d = 0; d < n; d++) {
    THCIndexCheck(x[d] >= 0 && x[d] < t->size[d],
                  "index %ld out of range for dimension %d of size %ld", x[d], d + TH_INDEX_BASE,
                  t->size[d]);
    offset += x[d] * t->stride[d];
  }
  return t->storage->data + offset;
}

static void THCTensor_(setElement)(const THCTensor *t, int n, const long *x, real value)
{
  THCudaCheck(cudaMemcpy(THCTensor_(elementPtr)(t, n, x), &value, sizeof(real),
                         cudaMemcpyHostToDevice));
}

static real THCTensor_(getElement)(const THCTensor *t, int n, const long *x)
{
  real value;
  THCudaCheck(cudaMemcpy(&value, THCTensor_(elementPtr)(t, n, x), sizeof(real),
                         cudaMemcpyDeviceToHost));
  return value;
}

void THCTensor_(set1d)(THCState *state, THCTensor *tensor, long x0, real value)
{
  (void)state;
  long x[1] = {x0};
  THCTensor_(setElement)(tensor, 1, x, value);
}

void THCTensor_(set2d)(THCState *state, THCTensor *tensor, long x0, long x1, real value)
{
  (void)state;
  long x[2] = {x0, x1};
  THCTensor_(setElement)(tensor, 2, x, value);
}

void THCTensor_(set3d)(THCState *state, THCTensor *tensor, long x0, long x1, long x2, real value)
{
  (void)state;
  long x[3] = {x0, x1, x2};
  THCTensor_(setElement)(tensor, 3, x, value);
}

void THCTensor_(set4d)(THCState *state, THCTensor *tensor, long x0, long x1, long x2, long x3,
                       real value)
{
  (void)state;
  long x[4] = {x0, x1, x2, x3};
  THCTensor_(setElement)(tensor, 4, x, value);
}

real THCTensor_(get1d)(THCState *state, const THCTensor *tensor, long x0)
{
  (void)state;
  long x[1] = {x0};
  return THCTensor_(getElement)(tensor, 1, x);
}

real THCTensor_(get2d)(THCState *state, const THCTensor *tensor, long x0, long x1)
{
  (void)state;
  long x[2] = {x0, x1};
  return THCTensor_(getElement)(tensor, 2, x);
}

real THCTensor_(get3d)(THCState *state, const THCTensor *tensor, long x0, long x1, long x2)
{
  (void)state;
  long x[3] = {x0, x1, x2};
  return THCTensor_(getElement)(tensor, 3, x);
}

real THCTensor_(get4d)(THCState *state, const THCTensor *tensor, long x0, long x1, long x2, long x3)
{
  (void)state;
  long x[4] = {x0, x1, x2, x3};
  return THCTensor_(getElement)(tensor, 4, x);
}
