/* generic/THTensor.c: construction, geometry and views of tensors, for libTH and libTHC alike.
 *
 * libTHC's device tensors have TH's layout and rules, so this one body serves both: THTensor.c
 * includes it per CPU type with the hooks below set for TH (no state), THC's generic/THCTensor.c
 * per device type with THTensor/THStorage/THArgCheck... renamed to its own and the hooks set for
 * THC (THCTensor.c). The hooks:
 *   THT_STATE_DECL / THT_STATE_ONLY_DECL  the state parameter ("" / "void" for TH)
 *   THT_STATE / THT_STATE_ONLY            the state argument ("" for TH)
 *   THT_ARG(n)                            argument n's number as errors report it (THC: n + 1)
 *   THT_AFTER_TH_CALL()                   after a call into libTH (THC moves its error over)
 *   THT_LOAD(p) / THT_STORE(p, v)         one element's read / write (THC: through the device)
 *   THT_DEVICE                            defined for THC: leaves out what only libTH exports */
#if !defined(TH_GENERIC_FILE) && !defined(THT_DEVICE)
#error "include through THTensor.c (or THC's generic/THCTensor.c)"
#endif

/* ---- accessors ------------------------------------------------------------------------- */

THStorage *THTensor_(storage)(THT_STATE_DECL const THTensor *self)
{
  return self->storage;
}

ptrdiff_t THTensor_(storageOffset)(THT_STATE_DECL const THTensor *self)
{
  return self->storageOffset;
}

int THTensor_(nDimension)(THT_STATE_DECL const THTensor *self)
{
  return self->nDimension;
}

long THTensor_(size)(THT_STATE_DECL const THTensor *self, int dim)
{
  THIndexCheck(dim >= 0 && dim < self->nDimension, "dimension %d out of range of %dD tensor",
               dim + TH_INDEX_BASE, self->nDimension);
  return self->size[dim];
}

long THTensor_(stride)(THT_STATE_DECL const THTensor *self, int dim)
{
  THIndexCheck(dim >= 0 && dim < self->nDimension, "dimension %d out of range of %dD tensor",
               dim + TH_INDEX_BASE, self->nDimension);
  return self->stride[dim];
}

THLongStorage *THTensor_(newSizeOf)(THT_STATE_DECL THTensor *self)
{
  THLongStorage *size = THLongStorage_newWithSize(self->nDimension);
  THT_AFTER_TH_CALL();
  if (self->nDimension) memcpy(size->data, self->size, sizeof(long) * (size_t)self->nDimension);
  return size;
}

THLongStorage *THTensor_(newStrideOf)(THT_STATE_DECL THTensor *self)
{
  THLongStorage *stride = THLongStorage_newWithSize(self->nDimension);
  THT_AFTER_TH_CALL();
  if (self->nDimension) memcpy(stride->data, self->stride, sizeof(long) * (size_t)self->nDimension);
  return stride;
}

real *THTensor_(data)(THT_STATE_DECL const THTensor *self)
{
  return self->storage ? self->storage->data + self->storageOffset : NULL;
}

void THTensor_(setFlag)(THT_STATE_DECL THTensor *self, const char flag)
{
  self->flag |= flag;
}

void THTensor_(clearFlag)(THT_STATE_DECL THTensor *self, const char flag)
{
  self->flag &= (char)~flag;
}

#ifndef THT_DEVICE /* libTHC has its own sizeDesc text and no desc */
THDescBuff THTensor_(sizeDesc)(const THTensor *tensor)
{
  return _THSizeDesc(tensor->size, tensor->nDimension);
}

/* Upstream's exact text, its literal "torch.xTensor" included (its macro stringifies the letter
 * x, not the type): "torch.xTensor of size 2x3", cut with "..." at the buffer's end. */
THDescBuff THTensor_(desc)(const THTensor *tensor)
{
  const int L = TH_DESC_BUFF_LEN;
  THDescBuff buf;
  int n = snprintf(buf.str, L, "torch.xTensor of size ");
  for (int i = 0; i < tensor->nDimension && n < L; i++)
    n += snprintf(buf.str + n, (size_t)(L - n), "%ld%s", tensor->size[i],
                  i + 1 < tensor->nDimension ? "x" : "");
  if (n >= L) snprintf(buf.str + L - 4, 4, "...");
  return buf;
}
#endif

/* ---- construction ---------------------------------------------------------------------- */

static THTensor *THTensor_(alloc)(void)
{
  THTensor *self = THAlloc(sizeof(THTensor));
  self->size = NULL;
  self->stride = NULL;
  self->nDimension = 0;
  self->storage = NULL;
  self->storageOffset = 0;
  self->refcount = 1;
  self->flag = TH_TENSOR_REFCOUNTED;
  return self;
}

/* ---- geometry: every change of sizes, strides, offset or storage goes through here ---- */

/* As upstream: the dimensions end at the first size that is not positive. */
static int THTensor_(countDims)(int nDimension, const long *size)
{
  int nd = 0;
  while (nd < nDimension && nd <= TH_MAX_DIM && size[nd] > 0) nd++;
  THArgCheck(nd <= TH_MAX_DIM, THT_ARG(2), "too many dimensions (more than %d)", TH_MAX_DIM);
  return nd;
}

/* The strides of nd dimensions (a missing or negative stride: contiguous) and the extent in
 * storage they need, offset included; every product and sum is checked for overflow. (The
 * element count of a stride-0 tensor may still exceed ptrdiff_t, as upstream allows.) */
static ptrdiff_t THTensor_(extent)(int nd, const long *size, const long *stride, ptrdiff_t offset,
                                   long *strides)
{
  THArgCheck(offset >= 0, THT_ARG(3), "negative storage offset %td", offset);
  ptrdiff_t total = 1;
  for (int d = nd - 1; d >= 0; d--) {
    ptrdiff_t step;
    if (stride && stride[d] >= 0)
      strides[d] = stride[d];
    else if (d == nd - 1)
      strides[d] = 1;
    else
      THArgCheck(!__builtin_mul_overflow(size[d + 1], strides[d + 1], &strides[d]), THT_ARG(2),
                 "size overflows");
    THArgCheck(!__builtin_mul_overflow(size[d] - 1, strides[d], &step) &&
                   !__builtin_add_overflow(total, step, &total),
               THT_ARG(2), "size %ld overflows", size[d]);
  }
  if (nd == 0) return 0;
  THArgCheck(!__builtin_add_overflow(total, offset, &total), THT_ARG(3),
             "storage offset %td overflows with the tensor's extent", offset);
  return total;
}

/* What can fail comes first: the geometry is checked and the storage grown (or made when
 * *storage is NULL; the caller then owns that new reference) before any tensor changes. */
static int THTensor_(prepare)(THT_STATE_DECL THStorage **storage, ptrdiff_t offset, int nDimension,
                              const long *size,
                              const long *stride, long *strides)
{
  int nd = THTensor_(countDims)(nDimension, size);
  ptrdiff_t needed = THTensor_(extent)(nd, size, stride, offset, strides);
  if (nd > 0) {
    if (!*storage)
      *storage = THStorage_(newWithSize)(THT_STATE needed);
    else if (needed > (*storage)->size)
      THStorage_(resize)(THT_STATE *storage, needed);
  }
  return nd;
}

/* Sets a prepared geometry; only the growth of the size arrays can still fail, and it comes
 * before anything else changes. */
static void THTensor_(install)(THT_STATE_DECL THTensor *self, THStorage *storage, ptrdiff_t offset,
                               int nd,
                               const long *size, const long *strides)
{
  if (nd > self->nDimension) {
    self->size = THRealloc(self->size, (ptrdiff_t)sizeof(long) * nd);
    self->stride = THRealloc(self->stride, (ptrdiff_t)sizeof(long) * nd);
  }
  if (self->storage != storage) {
    /* before the free: storage may be kept alive only by self */
    THStorage_(retain)(THT_STATE storage);
    if (self->storage) THStorage_(free)(THT_STATE self->storage);
    self->storage = storage;
  }
  self->storageOffset = offset;
  self->nDimension = nd;
  for (int d = 0; d < nd; d++) {
    self->size[d] = size[d];
    self->stride[d] = strides[d];
  }
}

/* Whether two elements of the tensor certainly share a memory location: a dimension of stride 0
 * (an expanded tensor) or two dimensions of the same stride. Other layouts may overlap too (an
 * unfold with a small step); as in PyTorch, only the certain cases are refused. */
int THTensor_(hasInternalOverlap)(const THTensor *self)
{
  for (int d = 0; d < self->nDimension; d++) {
    if (self->size[d] < 2) continue;
    if (self->stride[d] == 0) return 1;
    for (int e = d + 1; e < self->nDimension; e++)
      if (self->size[e] > 1 && self->stride[e] == self->stride[d]) return 1;
  }
  return 0;
}

/* Refuses an output whose elements overlap: writes to it would be lost (PyTorch refuses too). */
void THTensor_(checkOutput)(const THTensor *self, int arg)
{
  THArgCheck(!THTensor_(hasInternalOverlap)(self), arg,
             "unsupported operation: more than one element of the written-to tensor refers to a "
             "single memory location (an expanded or overlapping tensor)");
}

/* The storage offsets an element of t can have: [*lo, *hi). */
static void THTensor_(span)(const THTensor *t, ptrdiff_t *lo, ptrdiff_t *hi)
{
  ptrdiff_t a = t->storageOffset, b = t->storageOffset;
  for (int d = 0; d < t->nDimension; d++) {
    ptrdiff_t step = (ptrdiff_t)(t->size[d] - 1) * t->stride[d];
    if (step < 0) a += step; else b += step;
  }
  *lo = a;
  *hi = b + 1;
}

/* Whether writing a may change what b reads (the same storage, intersecting spans). */
int THTensor_(mayOverlap)(const THTensor *a, const THTensor *b)
{
  if (!a || !b || !a->storage || a->storage != b->storage || a->nDimension == 0 ||
      b->nDimension == 0)
    return 0;
  ptrdiff_t alo, ahi, blo, bhi;
  THTensor_(span)(a, &alo, &ahi);
  THTensor_(span)(b, &blo, &bhi);
  return alo < bhi && blo < ahi;
}

THTensor *THTensor_(new)(THT_STATE_ONLY_DECL)
{
  return THTensor_(alloc)();
}

THTensor *THTensor_(newWithTensor)(THT_STATE_DECL THTensor *tensor)
{
  THTensor *self = THTensor_(alloc)();
  THTensor_(set)(THT_STATE self, tensor);
  return self;
}

/* The fixed-arity forms and newWithStorage: the dimensions end at the first size <= 0, as
 * upstream. The geometry is checked and any storage made before the tensor struct exists: a
 * failed call leaks nothing. */
static int THTensor_(unfoldGeometry)(THTensor *src, int dimension, long size, long step,
                                     long *newSize,
                                     long *newStride);

static THTensor *THTensor_(newWithStorageNd)(THT_STATE_DECL THStorage *storage, ptrdiff_t offset,
                                             int n, long *size,
                                             long *stride)
{
  long strides[TH_MAX_DIM];
  THStorage *s = storage;
  int nd = THTensor_(prepare)(THT_STATE &s, offset, n, size, stride, strides);
  THTensor *self = THTensor_(alloc)();
  THTensor_(install)(THT_STATE self, s, offset, nd, size, strides);
  if (s != storage) THStorage_(free)(THT_STATE s);
  return self;
}

/* Checks a size/stride pair of long storages before anything is allocated. As upstream, a size
 * list ends at its first entry <= 0 (Lua Torch7 pads its size storages with -1), and a negative
 * stride means "contiguous". */
static void THTensor_(checkGeometry)(THLongStorage *size, THLongStorage *stride, int arg)
{
  if (size && stride)
    THArgCheck(size->size == stride->size, arg + 1, "inconsistent size (%td) and stride (%td)",
               size->size, stride->size);
}
THTensor *THTensor_(newWithStorage)(THT_STATE_DECL THStorage *storage, ptrdiff_t storageOffset,
                                    THLongStorage *size,
                                    THLongStorage *stride)
{
  THTensor_(checkGeometry)(size, stride, THT_ARG(3));
  return THTensor_(newWithStorageNd)(THT_STATE storage, storageOffset, size ? (int)size->size : 0,
                                     size ? size->data : NULL, stride ? stride->data : NULL);
}

THTensor *THTensor_(newWithStorage1d)(THT_STATE_DECL THStorage *storage, ptrdiff_t storageOffset,
                                      long size0,
                                      long stride0)
{
  long size[1] = {size0}, stride[1] = {stride0};
  return THTensor_(newWithStorageNd)(THT_STATE storage, storageOffset, 1, size, stride);
}

THTensor *THTensor_(newWithStorage2d)(THT_STATE_DECL THStorage *storage, ptrdiff_t storageOffset,
                                      long size0,
                                      long stride0, long size1, long stride1)
{
  long size[2] = {size0, size1}, stride[2] = {stride0, stride1};
  return THTensor_(newWithStorageNd)(THT_STATE storage, storageOffset, 2, size, stride);
}

THTensor *THTensor_(newWithStorage3d)(THT_STATE_DECL THStorage *storage, ptrdiff_t storageOffset,
                                      long size0, long stride0, long size1, long stride1,
                                      long size2, long stride2)
{
  long size[3] = {size0, size1, size2}, stride[3] = {stride0, stride1, stride2};
  return THTensor_(newWithStorageNd)(THT_STATE storage, storageOffset, 3, size, stride);
}

THTensor *THTensor_(newWithStorage4d)(THT_STATE_DECL THStorage *storage, ptrdiff_t storageOffset,
                                      long size0, long stride0, long size1, long stride1,
                                      long size2, long stride2, long size3, long stride3)
{
  long size[4] = {size0, size1, size2, size3}, stride[4] = {stride0, stride1, stride2, stride3};
  return THTensor_(newWithStorageNd)(THT_STATE storage, storageOffset, 4, size, stride);
}

THTensor *THTensor_(newWithSize)(THT_STATE_DECL THLongStorage *size, THLongStorage *stride)
{
  return THTensor_(newWithStorage)(THT_STATE NULL, 0, size, stride);
}

THTensor *THTensor_(newWithSize1d)(THT_STATE_DECL long size0)
{
  return THTensor_(newWithStorage1d)(THT_STATE NULL, 0, size0, -1);
}

THTensor *THTensor_(newWithSize2d)(THT_STATE_DECL long size0, long size1)
{
  return THTensor_(newWithStorage2d)(THT_STATE NULL, 0, size0, -1, size1, -1);
}

THTensor *THTensor_(newWithSize3d)(THT_STATE_DECL long size0, long size1, long size2)
{
  return THTensor_(newWithStorage3d)(THT_STATE NULL, 0, size0, -1, size1, -1, size2, -1);
}

THTensor *THTensor_(newWithSize4d)(THT_STATE_DECL long size0, long size1, long size2, long size3)
{
  return THTensor_(newWithStorage4d)(THT_STATE NULL, 0, size0, -1, size1, -1, size2, -1, size3, -1);
}

/* Sized, its storage allocated, before the struct exists: a clone too large leaks nothing. */
THTensor *THTensor_(newClone)(THT_STATE_DECL THTensor *self)
{
  THTensor *tensor = THTensor_(newWithStorageNd)(THT_STATE NULL, 0, self->nDimension, self->size,
                                                 NULL);
  THTensor_(copy)(THT_STATE tensor, self);
  return tensor;
}

THTensor *THTensor_(newContiguous)(THT_STATE_DECL THTensor *self)
{
  if (!THTensor_(isContiguous)(THT_STATE self)) return THTensor_(newClone)(THT_STATE self);
  THTensor_(retain)(THT_STATE self);
  return self;
}

/* The new* view constructors check first, so that a bad argument leaks nothing. */
THTensor *THTensor_(newSelect)(THT_STATE_DECL THTensor *tensor, int dimension, long sliceIndex)
{
  THIndexCheck(dimension >= 0 && dimension < tensor->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THIndexCheck(sliceIndex >= 0 && sliceIndex < tensor->size[dimension], "index %ld out of range",
               sliceIndex + TH_INDEX_BASE);
  /* select's own check, made before the view exists: a failed call leaks nothing */
  THArgCheck(tensor->nDimension > 1, THT_ARG(1), "cannot select on a vector");
  THTensor *self = THTensor_(newWithTensor)(THT_STATE tensor);
  THTensor_(select)(THT_STATE self, NULL, dimension, sliceIndex);
  return self;
}

THTensor *THTensor_(newNarrow)(THT_STATE_DECL THTensor *tensor, int dimension, long firstIndex,
                               long size)
{
  THIndexCheck(dimension >= 0 && dimension < tensor->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THArgCheck(firstIndex >= 0 && firstIndex < tensor->size[dimension] && size > 0 &&
                 size <= tensor->size[dimension] - firstIndex,
             THT_ARG(3),
             "out of range: narrow of %ld elements from %ld in a size of %ld", size, firstIndex,
             tensor->size[dimension]);
  THTensor *self = THTensor_(newWithTensor)(THT_STATE tensor);
  THTensor_(narrow)(THT_STATE self, NULL, dimension, firstIndex, size);
  return self;
}

THTensor *THTensor_(newTranspose)(THT_STATE_DECL THTensor *tensor, int dimension1, int dimension2)
{
  THIndexCheck(dimension1 >= 0 && dimension1 < tensor->nDimension, "dimension %d out of range",
               dimension1 + TH_INDEX_BASE);
  THIndexCheck(dimension2 >= 0 && dimension2 < tensor->nDimension, "dimension %d out of range",
               dimension2 + TH_INDEX_BASE);
  THTensor *self = THTensor_(newWithTensor)(THT_STATE tensor);
  THTensor_(transpose)(THT_STATE self, NULL, dimension1, dimension2);
  return self;
}

THTensor *THTensor_(newUnfold)(THT_STATE_DECL THTensor *tensor, int dimension, long size, long step)
{
  long newSize[TH_MAX_DIM], newStride[TH_MAX_DIM];
  int nd = THTensor_(unfoldGeometry)(tensor, dimension, size, step, newSize, newStride);
  return THTensor_(newWithStorageNd)(THT_STATE tensor->storage, tensor->storageOffset, nd, newSize,
                                     newStride);
}

/* The size of a view: one entry may be -1 and is inferred from the element count. */
static void THTensor_(inferViewSize)(long *out, THLongStorage *size, ptrdiff_t numel)
{
  ptrdiff_t known = 1;
  int infer = -1;
  THArgCheck(size->size <= TH_MAX_DIM, THT_ARG(2), "too many dimensions (%td)", size->size);
  for (ptrdiff_t d = 0; d < size->size; d++) {
    long s = size->data[d];
    if (s == -1) {
      THArgCheck(infer < 0, THT_ARG(2), "only one dimension can be inferred");
      infer = (int)d;
    } else {
      THArgCheck(s >= 0, THT_ARG(2), "invalid size %ld", s);
      known *= s;
    }
    out[d] = s;
  }
  if (infer >= 0) {
    THArgCheck(known > 0 && numel % known == 0, THT_ARG(2),
               "size mismatch: cannot infer a dimension");
    out[infer] = (long)(numel / known);
    known *= out[infer];
  }
  THArgCheck(known == numel || (size->size == 0 && numel == 0), THT_ARG(2),
             "size mismatch: view of %td elements as %td", numel, known);
}

THTensor *THTensor_(newView)(THT_STATE_DECL THTensor *tensor, THLongStorage *size)
{
  THArgCheck(THTensor_(isContiguous)(THT_STATE tensor), THT_ARG(1), "input is not contiguous");
  long sizes[TH_MAX_DIM];
  THTensor_(inferViewSize)(sizes, size, THTensor_(nElement)(THT_STATE tensor));
  if (THTensor_(nElement)(THT_STATE tensor) == 0) return THTensor_(new)(THT_STATE_ONLY);
  return THTensor_(newWithStorageNd)(THT_STATE tensor->storage, tensor->storageOffset,
                                     (int)size->size, sizes,
                                     NULL);
}

/* Broadcast geometry: sizes align to the right; a size-1 dimension repeats with stride 0. */
static void THTensor_(expandGeometry)(long *outSize, long *outStride, const THTensor *tensor,
                                      THLongStorage *size)
{
  int ndim = (int)size->size, tdim = tensor->nDimension;
  THArgCheck(tdim > 0, THT_ARG(1), "can't expand an empty tensor");
  THArgCheck(ndim >= tdim && ndim <= TH_MAX_DIM, THT_ARG(2),
             "the number of sizes provided (%d) must be at least the number of dimensions (%d)",
             ndim, tdim);
  for (int i = ndim - 1; i >= 0; i--) {
    int t = i - (ndim - tdim);
    long target = size->data[i];
    if (t >= 0) {
      long have = tensor->size[t];
      THArgCheck(have == target || have == 1 || target == -1, THT_ARG(2),
                 "expanded size %ld must match the existing size %ld at dimension %d", target, have,
                 i + TH_INDEX_BASE);
      outSize[i] = target == -1 ? have : target;
      outStride[i] = have == 1 && outSize[i] != 1 ? 0 : tensor->stride[t];
    } else { /* a new leading dimension: as upstream, stride 0 unless its size is 1 */
      THArgCheck(target > 0, THT_ARG(2), "invalid size %ld for a new leading dimension", target);
      outSize[i] = target;
      outStride[i] = 0;
      if (target == 1)
        THArgCheck(!__builtin_mul_overflow(outSize[i + 1], outStride[i + 1], &outStride[i]),
                   THT_ARG(2),
                   "size overflows");
    }
  }
}

THTensor *THTensor_(newExpand)(THT_STATE_DECL THTensor *tensor, THLongStorage *size)
{
  long sizes[TH_MAX_DIM], strides[TH_MAX_DIM];
  THTensor_(expandGeometry)(sizes, strides, tensor, size);
  return THTensor_(newWithStorageNd)(THT_STATE tensor->storage, tensor->storageOffset,
                                     (int)size->size, sizes,
                                     strides);
}

void THTensor_(expand)(THT_STATE_DECL THTensor *r, THTensor *tensor, THLongStorage *size)
{
  long sizes[TH_MAX_DIM], strides[TH_MAX_DIM];
  THTensor_(expandGeometry)(sizes, strides, tensor, size);
  THTensor_(setStorageNd)(THT_STATE r, tensor->storage, tensor->storageOffset, (int)size->size,
                          sizes, strides);
}

#ifndef THT_DEVICE /* libTHC does not export expandNd */
void THTensor_(expandNd)(THTensor **rets, THTensor **ops, int count)
{
  THArgCheck(count > 0, 3, "need at least one tensor");
  int ndim = 0;
  for (int i = 0; i < count; i++) {
    THArgCheck(ops[i]->nDimension > 0, i + 1, "can't expand empty tensor %d", i + TH_INDEX_BASE);
    ndim = THMax(ndim, ops[i]->nDimension);
  }
  long target[TH_MAX_DIM];
  for (int d = 0; d < ndim; d++) target[d] = 1;
  for (int i = 0; i < count; i++) {
    for (int d = 0; d < ops[i]->nDimension; d++) {
      int o = ndim - ops[i]->nDimension + d;
      long s = ops[i]->size[d];
      THArgCheck(s == target[o] || s == 1 || target[o] == 1, i + 1,
                 "sizes %ld and %ld do not broadcast at dimension %d", s, target[o], o + TH_INDEX_BASE);
      if (s != 1) target[o] = s;
    }
  }
  THLongStorage sizes = {target, ndim, 1, 0, &THDefaultAllocator, NULL, NULL};
  for (int i = 0; i < count; i++) THTensor_(expand)(rets[i], ops[i], &sizes);
}
#endif

/* ---- resize and set -------------------------------------------------------------------- */

/* self's storage is grown first: its sizes change only once that has succeeded. A resize that
 * keeps the geometry is how outputs are prepared: one with overlapping elements is refused. */
void THTensor_(resizeNd)(THT_STATE_DECL THTensor *self, int nDimension, long *size, long *stride)
{
  int nd = THTensor_(countDims)(nDimension, size);
  int same = nd == self->nDimension;
  for (int d = 0; same && d < nd; d++)
    same = self->size[d] == size[d] && (!stride || stride[d] < 0 || self->stride[d] == stride[d]);
  if (same) {
    if (!stride) THTensor_(checkOutput)(self, THT_ARG(1));
    return;
  }
  long strides[TH_MAX_DIM];
  THStorage *before = self->storage, *storage = before;
  nd = THTensor_(prepare)(THT_STATE &storage, self->storageOffset, nd, size, stride, strides);
  THTensor_(install)(THT_STATE self, storage, self->storageOffset, nd, size, strides);
  /* made by prepare: self holds it now */
  if (storage != before) THStorage_(free)(THT_STATE storage);
}

void THTensor_(resize)(THT_STATE_DECL THTensor *self, THLongStorage *size, THLongStorage *stride)
{
  THArgCheck(size != NULL, THT_ARG(2), "invalid size");
  THTensor_(checkGeometry)(size, stride, THT_ARG(2));
  THTensor_(resizeNd)(THT_STATE self, (int)size->size, size->data, stride ? stride->data : NULL);
}

void THTensor_(resizeAs)(THT_STATE_DECL THTensor *self, THTensor *src)
{
  THTensor_(resizeNd)(THT_STATE self, src->nDimension, src->size, NULL);
}

void THTensor_(resize1d)(THT_STATE_DECL THTensor *tensor, long size0)
{
  long size[1] = {size0};
  THTensor_(resizeNd)(THT_STATE tensor, 1, size, NULL);
}

void THTensor_(resize2d)(THT_STATE_DECL THTensor *tensor, long size0, long size1)
{
  long size[2] = {size0, size1};
  THTensor_(resizeNd)(THT_STATE tensor, 2, size, NULL);
}

void THTensor_(resize3d)(THT_STATE_DECL THTensor *tensor, long size0, long size1, long size2)
{
  long size[3] = {size0, size1, size2};
  THTensor_(resizeNd)(THT_STATE tensor, 3, size, NULL);
}

void THTensor_(resize4d)(THT_STATE_DECL THTensor *tensor, long size0, long size1, long size2,
                         long size3)
{
  long size[4] = {size0, size1, size2, size3};
  THTensor_(resizeNd)(THT_STATE tensor, 4, size, NULL);
}

void THTensor_(resize5d)(THT_STATE_DECL THTensor *tensor, long size0, long size1, long size2,
                         long size3, long size4)
{
  long size[5] = {size0, size1, size2, size3, size4};
  THTensor_(resizeNd)(THT_STATE tensor, 5, size, NULL);
}

void THTensor_(set)(THT_STATE_DECL THTensor *self, THTensor *src)
{
  if (self != src)
    THTensor_(setStorageNd)(THT_STATE self, src->storage, src->storageOffset, src->nDimension,
                            src->size,
                            src->stride);
}

void THTensor_(setStorageNd)(THT_STATE_DECL THTensor *self, THStorage *storage,
                             ptrdiff_t storageOffset,
                             int nDimension, long *size, long *stride)
{
  long strides[TH_MAX_DIM];
  THStorage *s = storage;
  int nd = THTensor_(prepare)(THT_STATE &s, storageOffset, nDimension, size, stride, strides);
  THTensor_(install)(THT_STATE self, s, storageOffset, nd, size, strides);
  if (s != storage) THStorage_(free)(THT_STATE s); /* made by prepare: self holds it now */
}

void THTensor_(setStorage)(THT_STATE_DECL THTensor *self, THStorage *storage,
                           ptrdiff_t storageOffset,
                           THLongStorage *size, THLongStorage *stride)
{
  THTensor_(checkGeometry)(size, stride, THT_ARG(4));
  THTensor_(setStorageNd)(THT_STATE self, storage, storageOffset, size ? (int)size->size : 0,
                          size ? size->data : NULL, stride ? stride->data : NULL);
}

static void THTensor_(setStorageFixed)(THT_STATE_DECL THTensor *self, THStorage *storage,
                                       ptrdiff_t offset, int n,
                                       long *size, long *stride)
{
  THTensor_(setStorageNd)(THT_STATE self, storage, offset, n, size, stride);
}

void THTensor_(setStorage1d)(THT_STATE_DECL THTensor *self, THStorage *storage,
                             ptrdiff_t storageOffset, long size0,
                             long stride0)
{
  long size[1] = {size0}, stride[1] = {stride0};
  THTensor_(setStorageFixed)(THT_STATE self, storage, storageOffset, 1, size, stride);
}

void THTensor_(setStorage2d)(THT_STATE_DECL THTensor *self, THStorage *storage,
                             ptrdiff_t storageOffset, long size0,
                             long stride0, long size1, long stride1)
{
  long size[2] = {size0, size1}, stride[2] = {stride0, stride1};
  THTensor_(setStorageFixed)(THT_STATE self, storage, storageOffset, 2, size, stride);
}

void THTensor_(setStorage3d)(THT_STATE_DECL THTensor *self, THStorage *storage,
                             ptrdiff_t storageOffset, long size0,
                             long stride0, long size1, long stride1, long size2, long stride2)
{
  long size[3] = {size0, size1, size2}, stride[3] = {stride0, stride1, stride2};
  THTensor_(setStorageFixed)(THT_STATE self, storage, storageOffset, 3, size, stride);
}

void THTensor_(setStorage4d)(THT_STATE_DECL THTensor *self, THStorage *storage,
                             ptrdiff_t storageOffset, long size0,
                             long stride0, long size1, long stride1, long size2, long stride2,
                             long size3, long stride3)
{
  long size[4] = {size0, size1, size2, size3}, stride[4] = {stride0, stride1, stride2, stride3};
  THTensor_(setStorageFixed)(THT_STATE self, storage, storageOffset, 4, size, stride);
}

/* ---- views in place: self becomes a view of src (src NULL means self) -------------------- */

void THTensor_(narrow)(THT_STATE_DECL THTensor *self, THTensor *src, int dimension,
                       long firstIndex, long size)
{
  if (!src) src = self;
  THIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THArgCheck(firstIndex >= 0 && firstIndex < src->size[dimension], THT_ARG(4),
             "out of range: first index %ld",
             firstIndex);
  THArgCheck(size > 0 && size <= src->size[dimension] - firstIndex, THT_ARG(5),
             "out of range: size %ld", size);
  THTensor_(set)(THT_STATE self, src);
  if (firstIndex > 0) self->storageOffset += firstIndex * self->stride[dimension];
  self->size[dimension] = size;
}

void THTensor_(select)(THT_STATE_DECL THTensor *self, THTensor *src, int dimension, long sliceIndex)
{
  if (!src) src = self;
  THArgCheck(src->nDimension > 1, THT_ARG(1), "cannot select on a vector");
  THIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THIndexCheck(sliceIndex >= 0 && sliceIndex < src->size[dimension], "index %ld out of range",
               sliceIndex + TH_INDEX_BASE);
  THTensor_(set)(THT_STATE self, src);
  self->storageOffset += sliceIndex * self->stride[dimension];
  for (int d = dimension; d < self->nDimension - 1; d++) {
    self->size[d] = self->size[d + 1];
    self->stride[d] = self->stride[d + 1];
  }
  self->nDimension--;
}

void THTensor_(transpose)(THT_STATE_DECL THTensor *self, THTensor *src, int dimension1,
                          int dimension2)
{
  if (!src) src = self;
  THIndexCheck(dimension1 >= 0 && dimension1 < src->nDimension, "dimension %d out of range",
               dimension1 + TH_INDEX_BASE);
  THIndexCheck(dimension2 >= 0 && dimension2 < src->nDimension, "dimension %d out of range",
               dimension2 + TH_INDEX_BASE);
  THTensor_(set)(THT_STATE self, src);
  long z = self->stride[dimension1];
  self->stride[dimension1] = self->stride[dimension2];
  self->stride[dimension2] = z;
  z = self->size[dimension1];
  self->size[dimension1] = self->size[dimension2];
  self->size[dimension2] = z;
}

/* The geometry of unfold: a last dimension of the given size, slices of src along `dimension`,
 * `step` apart. Returns the new number of dimensions. */
static int THTensor_(unfoldGeometry)(THTensor *src, int dimension, long size, long step,
                                     long *newSize,
                                     long *newStride)
{
  THIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THArgCheck(size >= 0 && size <= src->size[dimension], THT_ARG(3), "size %ld out of range", size);
  THArgCheck(step > 0, THT_ARG(4), "step %ld must be positive", step);
  THArgCheck(src->nDimension < TH_MAX_DIM, THT_ARG(1), "too many dimensions");
  int nd = src->nDimension;
  for (int d = 0; d < nd; d++) {
    newSize[d] = d == dimension ? (src->size[d] - size) / step + 1 : src->size[d];
    newStride[d] = src->stride[d];
    if (d == dimension)
      THArgCheck(!__builtin_mul_overflow(step, src->stride[d], &newStride[d]), THT_ARG(4),
                 "step %ld overflows", step);
  }
  newSize[nd] = size;
  newStride[nd] = src->stride[dimension];
  return nd + 1;
}

void THTensor_(unfold)(THT_STATE_DECL THTensor *self, THTensor *src, int dimension, long size,
                       long step)
{
  if (!src) src = self;
  long newSize[TH_MAX_DIM], newStride[TH_MAX_DIM];
  int nd = THTensor_(unfoldGeometry)(src, dimension, size, step, newSize, newStride);
  THTensor_(setStorageNd)(THT_STATE self, src->storage, src->storageOffset, nd, newSize, newStride);
}

/* Drops every size-1 dimension; an all-ones tensor keeps one dimension, as upstream. */
void THTensor_(squeeze)(THT_STATE_DECL THTensor *self, THTensor *src)
{
  if (!src) src = self;
  THTensor_(set)(THT_STATE self, src);
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

void THTensor_(squeeze1d)(THT_STATE_DECL THTensor *self, THTensor *src, int dimension)
{
  if (!src) src = self;
  THIndexCheck(dimension >= 0 && dimension < src->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THTensor_(set)(THT_STATE self, src);
  if (src->size[dimension] == 1 && src->nDimension > 1) {
    for (int d = dimension; d < self->nDimension - 1; d++) {
      self->size[d] = self->size[d + 1];
      self->stride[d] = self->stride[d + 1];
    }
    self->nDimension--;
  }
}

void THTensor_(unsqueeze1d)(THT_STATE_DECL THTensor *self, THTensor *src, int dimension)
{
  if (!src) src = self;
  THIndexCheck(dimension >= 0 && dimension <= src->nDimension, "dimension %d out of range",
               dimension + TH_INDEX_BASE);
  THArgCheck(src->nDimension > 0, THT_ARG(2), "cannot unsqueeze empty tensor");
  THArgCheck(src->nDimension < TH_MAX_DIM, THT_ARG(2), "too many dimensions");
  long size[TH_MAX_DIM], stride[TH_MAX_DIM];
  int nd = src->nDimension;
  for (int d = 0, s = 0; d <= nd; d++) {
    if (d == dimension) {
      size[d] = 1;
      stride[d] = 1;
      if (d < nd)
        THArgCheck(!__builtin_mul_overflow(src->size[d], src->stride[d], &stride[d]), THT_ARG(3),
                   "size overflows");
    } else {
      size[d] = src->size[s];
      stride[d] = src->stride[s];
      s++;
    }
  }
  THTensor_(setStorageNd)(THT_STATE self, src->storage, src->storageOffset, nd + 1, size, stride);
}

/* ---- predicates ------------------------------------------------------------------------ */

int THTensor_(isContiguous)(THT_STATE_DECL const THTensor *self)
{
  long z = 1;
  for (int d = self->nDimension - 1; d >= 0; d--) {
    if (self->size[d] != 1) {
      if (self->stride[d] != z) return 0;
      z *= self->size[d];
    }
  }
  return 1;
}

int THTensor_(isSize)(THT_STATE_DECL const THTensor *self, const THLongStorage *dims)
{
  if (self->nDimension != dims->size) return 0;
  for (int d = 0; d < self->nDimension; d++)
    if (self->size[d] != dims->data[d]) return 0;
  return 1;
}

int THTensor_(isSameSizeAs)(THT_STATE_DECL const THTensor *self, const THTensor *src)
{
  if (self->nDimension != src->nDimension) return 0;
  for (int d = 0; d < self->nDimension; d++)
    if (self->size[d] != src->size[d]) return 0;
  return 1;
}

int THTensor_(isSetTo)(THT_STATE_DECL const THTensor *self, const THTensor *src)
{
  if (!self->storage) return 0;
  if (self->storage != src->storage || self->storageOffset != src->storageOffset ||
      self->nDimension != src->nDimension)
    return 0;
  for (int d = 0; d < self->nDimension; d++)
    if (self->size[d] != src->size[d] || self->stride[d] != src->stride[d]) return 0;
  return 1;
}

ptrdiff_t THTensor_(nElement)(THT_STATE_DECL const THTensor *self)
{
  if (self->nDimension == 0) return 0;
  ptrdiff_t n = 1;
  for (int d = 0; d < self->nDimension; d++) n *= self->size[d];
  return n;
}

/* ---- lifetime -------------------------------------------------------------------------- */

void THTensor_(retain)(THT_STATE_DECL THTensor *self)
{
  if (self->flag & TH_TENSOR_REFCOUNTED) __atomic_fetch_add(&self->refcount, 1, __ATOMIC_RELAXED);
}

void THTensor_(free)(THT_STATE_DECL THTensor *self)
{
  if (!self || !(self->flag & TH_TENSOR_REFCOUNTED)) return;
  if (__atomic_sub_fetch(&self->refcount, 1, __ATOMIC_ACQ_REL) != 0) return;
  THFree(self->size);
  THFree(self->stride);
  if (self->storage) THStorage_(free)(THT_STATE self->storage);
  THFree(self);
}

void THTensor_(freeCopyTo)(THT_STATE_DECL THTensor *self, THTensor *dst)
{
  if (self != dst) THTensor_(copy)(THT_STATE dst, self);
  THTensor_(free)(THT_STATE self);
}

/* ---- element access -------------------------------------------------------------------- */

static real *THTensor_(elementPtr)(const THTensor *t, int n, const long *x)
{
  THArgCheck(t->nDimension == n, THT_ARG(1), "tensor must have %d dimension%s, not %d", n,
             n > 1 ? "s" : "",
             t->nDimension);
  ptrdiff_t offset = t->storageOffset;
  for (int d = 0; d < n; d++) {
    THIndexCheck(x[d] >= 0 && x[d] < t->size[d],
                 "index %ld out of range for dimension %d of size %ld",
                 x[d], d + TH_INDEX_BASE, t->size[d]);
    offset += x[d] * t->stride[d];
  }
  return t->storage->data + offset;
}

void THTensor_(set1d)(THT_STATE_DECL THTensor *tensor, long x0, real value)
{
  long x[1] = {x0};
  THT_STORE(THTensor_(elementPtr)(tensor, 1, x), value);
}

void THTensor_(set2d)(THT_STATE_DECL THTensor *tensor, long x0, long x1, real value)
{
  long x[2] = {x0, x1};
  THT_STORE(THTensor_(elementPtr)(tensor, 2, x), value);
}

void THTensor_(set3d)(THT_STATE_DECL THTensor *tensor, long x0, long x1, long x2, real value)
{
  long x[3] = {x0, x1, x2};
  THT_STORE(THTensor_(elementPtr)(tensor, 3, x), value);
}

void THTensor_(set4d)(THT_STATE_DECL THTensor *tensor, long x0, long x1, long x2, long x3,
                      real value)
{
  long x[4] = {x0, x1, x2, x3};
  THT_STORE(THTensor_(elementPtr)(tensor, 4, x), value);
}

real THTensor_(get1d)(THT_STATE_DECL const THTensor *tensor, long x0)
{
  long x[1] = {x0};
  return THT_LOAD(THTensor_(elementPtr)(tensor, 1, x));
}

real THTensor_(get2d)(THT_STATE_DECL const THTensor *tensor, long x0, long x1)
{
  long x[2] = {x0, x1};
  return THT_LOAD(THTensor_(elementPtr)(tensor, 2, x));
}

real THTensor_(get3d)(THT_STATE_DECL const THTensor *tensor, long x0, long x1, long x2)
{
  long x[3] = {x0, x1, x2};
  return THT_LOAD(THTensor_(elementPtr)(tensor, 3, x));
}

real THTensor_(get4d)(THT_STATE_DECL const THTensor *tensor, long x0, long x1, long x2, long x3)
{
  long x[4] = {x0, x1, x2, x3};
  return THT_LOAD(THTensor_(elementPtr)(tensor, 4, x));
}

#ifndef THT_DEVICE /* libTH only: Python's from_numpy */
/* torchbind's extension (not upstream's): a contiguous tensor of 1 to 4 dimensions over memory
 * that TH does not own (a numpy array's, say), in one call: its storage neither frees nor
 * reallocates `data`. Sizes past nDimension are ignored. Python's from_numpy makes its tensors
 * here, where upstream's calls would take four (storage, flags, tensor, storage release). */
THTensor *THTensor_(newWithForeignData)(real *data, int nDimension, long size0, long size1,
                                        long size2, long size3)
{
  THArgCheck(data != NULL, 1, "data is NULL");
  THArgCheck(nDimension >= 1 && nDimension <= 4, 2, "%d dimensions (1 to 4 expected)", nDimension);
  long size[4] = {size0, size1, size2, size3}, stride[4];
  ptrdiff_t n = 1;
  for (int d = nDimension - 1; d >= 0; d--) {
    THArgCheck(size[d] > 0, d + 3, "size %ld of dimension %d is not positive", size[d], d);
    THArgCheck(n <= PTRDIFF_MAX / (ptrdiff_t)sizeof(real) / size[d], d + 3,
               "%d dimensions of sizes up to %ld: too many elements", nDimension, size[d]);
    stride[d] = n;
    n *= size[d];
  }
  THStorage *storage = THStorage_(newWithData)(data, n);
  THStorage_(clearFlag)(storage, TH_STORAGE_FREEMEM | TH_STORAGE_RESIZABLE);
  THTensor *self = THTensor_(newWithStorageNd)(storage, 0, nDimension, size, stride);
  THStorage_(free)(storage); /* the tensor holds its own reference */
  return self;
}
#endif
