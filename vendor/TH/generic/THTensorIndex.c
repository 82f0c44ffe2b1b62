/* generic/THTensorIndex.c: indexing with index tensors and masks, construction and extraction
 * (cat, range, diag, ...) and the products built on ger and addmm (addr, addbmm, baddbmm).
 *
 * Conventions, as upstream: index VALUES taken are 1-based (TH_INDEX_BASE) THLongTensors, the
 * subscripts nonzero returns are 0-based, dimension ARGUMENTS are 0-based. Every argument, index value and mask value is checked before anything
 * is allocated or written, so an error leaves the tensors as they were and leaks nothing. An
 * input that is also the tensor written (r_ == src) is read from a copy, or the result is built
 * in a fresh tensor that r_ then takes over, so that nothing is overwritten while being read. */
#ifndef TH_GENERIC_FILE
#error "include through THTensorIndex.c"
#endif

#define TH_UADD(a, b) ((real)((ureal)(a) + (ureal)(b)))
#define TH_UMUL(a, b) ((real)((ureal)(a) * (ureal)(b)))

/* ---- helpers --------------------------------------------------------------------------- */

/* A tensor header on the stack that shares another tensor's storage: the views the inner loops
 * move along cost no allocation and cannot fail. Not reference counted: never retain it. */
typedef struct {
  THTensor t;
  long size[TH_MAX_DIM];
  long stride[TH_MAX_DIM];
} THTensor_(View);

static THTensor *THTensor_(viewOf)(THTensor_(View) *v, THTensor *src)
{
  v->t.size = v->size;
  v->t.stride = v->stride;
  v->t.nDimension = src->nDimension;
  v->t.storage = src->storage;
  v->t.storageOffset = src->storageOffset;
  v->t.refcount = 1;
  v->t.flag = 0;
  for (int d = 0; d < src->nDimension; d++) {
    v->size[d] = src->size[d];
    v->stride[d] = src->stride[d];
  }
  return &v->t;
}

/* src without dimension dim, at slice 0 (the slice of a vector is one element, of size 1). */
static THTensor *THTensor_(sliceOf)(THTensor_(View) *v, THTensor *src, int dim)
{
  THTensor *t = THTensor_(viewOf)(v, src);
  if (src->nDimension == 1) {
    v->size[0] = 1;
    v->stride[0] = 1;
    return t;
  }
  for (int d = dim; d < src->nDimension - 1; d++) {
    v->size[d] = v->size[d + 1];
    v->stride[d] = v->stride[d + 1];
  }
  t->nDimension--;
  return t;
}

/* Moves a view made by sliceOf to slice i (0-based) of src. */
static void THTensor_(moveSlice)(THTensor *slice, THTensor *src, int dim, long i)
{
  slice->storageOffset = src->storageOffset + i * src->stride[dim];
}

/* r_ takes over tmp's storage and geometry (cannot fail); tmp is released. */
static void THTensor_(adopt)(THTensor *r_, THTensor *tmp)
{
  THTensor_(set)(r_, tmp);
  THTensor_(free)(tmp);
}

static void THTensor_(checkDim)(const THTensor *t, int dim)
{
  THIndexCheck(dim >= 0 && dim < t->nDimension, "dimension %d out of range of a %dD tensor",
               dim + TH_INDEX_BASE, t->nDimension);
}

/* Same number of dimensions and the same sizes except along dim (dim < 0: everywhere). Takes
 * raw geometry so that tensors of different element types compare. */
static int THTensor_(sameExcept)(int nda, const long *sa, int ndb, const long *sb, int dim)
{
  if (nda != ndb) return 0;
  for (int d = 0; d < nda; d++)
    if (d != dim && sa[d] != sb[d]) return 0;
  return 1;
}

/* Every value of index lies in [1, limit]: checked before anything is written. */
static void THTensor_(checkIndexValues)(THLongTensor *index, long limit)
{
  TH_TENSOR_APPLY(long, index,
                  THIndexCheck(*index_data >= TH_INDEX_BASE && *index_data < limit + TH_INDEX_BASE,
                               "index %ld out of range [%d, %ld]", *index_data, TH_INDEX_BASE,
                               limit + TH_INDEX_BASE - 1););
}

/* An index vector (an empty tensor means no indices) of values in [1, limit]; its length. */
static ptrdiff_t THTensor_(checkIndexVector)(THLongTensor *index, long limit, int arg)
{
  THArgCheck(index->nDimension <= 1, arg, "index must be a vector, got a %dD tensor",
             index->nDimension);
  THTensor_(checkIndexValues)(index, limit);
  return THLongTensor_nElement(index);
}

/* Element i of a non-empty index vector, made 0-based. */
static inline long THTensor_(indexAt)(const THLongTensor *index, long i)
{
  return index->storage->data[index->storageOffset + i * index->stride[0]] - TH_INDEX_BASE;
}

/* An input that is also the tensor written is read from a copy; release with unshare. */
static THTensor *THTensor_(readable)(THTensor *in, THTensor *out)
{
  return in == out ? THTensor_(newClone)(in) : in;
}

static THLongTensor *THTensor_(readableIndex)(THLongTensor *index, THTensor *out)
{
  return (void *)index == (void *)out ? THLongTensor_newClone(index) : index;
}

static void THTensor_(unshare)(THTensor *copy, THTensor *in, THLongTensor *icopy, THLongTensor *index)
{
  if (copy != in) THTensor_(free)(copy);
  if (icopy != index) THLongTensor_free(icopy);
}

/* ---- by index vector along a dimension ------------------------------------------------- */

/* tensor = src with its slices along dim picked by index (src's slice index[i] is slice i). */
void THTensor_(indexSelect)(THTensor *tensor, THTensor *src, int dim, THLongTensor *index)
{
  THTensor_(checkDim)(src, dim);
  ptrdiff_t n = THTensor_(checkIndexVector)(index, src->size[dim], 4);
  if (tensor == src || (void *)tensor == (void *)index) {
    THTensor *tmp = THTensor_(new)();
    THTensor_(indexSelect)(tmp, src, dim, index);
    THTensor_(adopt)(tensor, tmp);
    return;
  }
  if (n == 0) {
    THTensor_(resizeNd)(tensor, 0, NULL, NULL);
    return;
  }
  long size[TH_MAX_DIM];
  for (int d = 0; d < src->nDimension; d++) size[d] = d == dim ? (long)n : src->size[d];
  THTensor_(resizeNd)(tensor, src->nDimension, size, NULL);

  if (dim == src->nDimension - 1) { /* the innermost dimension: gather along each line */
    TH_TENSOR_DIM_APPLY2(real, tensor, real, src, dim,
                         for (long i = 0; i < n; i++)
                           tensor_data[i * tensor_stride] =
                               src_data[THTensor_(indexAt)(index, i) * src_stride];);
    return;
  }
  THTensor_(View) rv, sv;
  THTensor *rs = THTensor_(sliceOf)(&rv, tensor, dim), *ss = THTensor_(sliceOf)(&sv, src, dim);
  for (long i = 0; i < n; i++) {
    THTensor_(moveSlice)(rs, tensor, dim, i);
    THTensor_(moveSlice)(ss, src, dim, THTensor_(indexAt)(index, i));
    THTensor_(copy)(rs, ss);
  }
}

/* indexCopy/indexAdd: src has one slice along dim per index, each the size of tensor's. */
static ptrdiff_t THTensor_(checkIndexSource)(THTensor *tensor, int dim, THLongTensor *index,
                                             THTensor *src)
{
  THTensor_(checkDim)(tensor, dim);
  ptrdiff_t n = THTensor_(checkIndexVector)(index, tensor->size[dim], 3);
  if (n == 0) {
    THArgCheck(THTensor_(nElement)(src) == 0, 4, "no indices, but a source of %td elements",
               THTensor_(nElement)(src));
    return 0;
  }
  THArgCheck(dim < src->nDimension && src->size[dim] == n, 4,
             "source must have %td slices (one per index) along dimension %d", n, dim + TH_INDEX_BASE);
  THArgCheck(THTensor_(nElement)(src) / n == THTensor_(nElement)(tensor) / tensor->size[dim], 4,
             "slices of source (%td elements) and tensor (%td elements) differ",
             THTensor_(nElement)(src) / n, THTensor_(nElement)(tensor) / tensor->size[dim]);
  return n;
}

/* Lines along the innermost dimension when the shapes allow, else slice by slice. */
static int THTensor_(byLines)(THTensor *tensor, THTensor *src, int dim)
{
  return dim == tensor->nDimension - 1 &&
         THTensor_(sameExcept)(tensor->nDimension, tensor->size, src->nDimension, src->size, dim);
}

/* Slice index[i] of tensor = slice i of src; with repeated indices the last one wins. */
void THTensor_(indexCopy)(THTensor *tensor, int dim, THLongTensor *index, THTensor *src)
{
  ptrdiff_t n = THTensor_(checkIndexSource)(tensor, dim, index, src);
  if (n == 0) return;
  THTensor *s = THTensor_(readable)(src, tensor);
  THLongTensor *ix = THTensor_(readableIndex)(index, tensor);
  if (THTensor_(byLines)(tensor, s, dim)) {
    TH_TENSOR_DIM_APPLY2(real, tensor, real, s, dim,
                         for (long i = 0; i < n; i++)
                           tensor_data[THTensor_(indexAt)(ix, i) * tensor_stride] =
                               s_data[i * s_stride];);
  } else {
    THTensor_(View) tv, sv;
    THTensor *ts = THTensor_(sliceOf)(&tv, tensor, dim), *ss = THTensor_(sliceOf)(&sv, s, dim);
    for (long i = 0; i < n; i++) {
      THTensor_(moveSlice)(ts, tensor, dim, THTensor_(indexAt)(ix, i));
      THTensor_(moveSlice)(ss, s, dim, i);
      THTensor_(copy)(ts, ss);
    }
  }
  THTensor_(unshare)(s, src, ix, index);
}

/* Slice index[i] of tensor += slice i of src; repeated indices accumulate. */
void THTensor_(indexAdd)(THTensor *tensor, int dim, THLongTensor *index, THTensor *src)
{
  ptrdiff_t n = THTensor_(checkIndexSource)(tensor, dim, index, src);
  if (n == 0) return;
  THTensor *s = THTensor_(readable)(src, tensor);
  THLongTensor *ix = THTensor_(readableIndex)(index, tensor);
  if (THTensor_(byLines)(tensor, s, dim)) {
    TH_TENSOR_DIM_APPLY2(real, tensor, real, s, dim,
                         for (long i = 0; i < n; i++) {
                           real *dst = tensor_data + THTensor_(indexAt)(ix, i) * tensor_stride;
                           *dst = TH_UADD(*dst, s_data[i * s_stride]);
                         });
  } else {
    THTensor_(View) tv, sv;
    THTensor *ts = THTensor_(sliceOf)(&tv, tensor, dim), *ss = THTensor_(sliceOf)(&sv, s, dim);
    for (long i = 0; i < n; i++) {
      THTensor_(moveSlice)(ts, tensor, dim, THTensor_(indexAt)(ix, i));
      THTensor_(moveSlice)(ss, s, dim, i);
      TH_TENSOR_APPLY2(real, ts, real, ss, *ts_data = TH_UADD(*ts_data, *ss_data););
    }
  }
  THTensor_(unshare)(s, src, ix, index);
}

void THTensor_(indexFill)(THTensor *tensor, int dim, THLongTensor *index, real val)
{
  THTensor_(checkDim)(tensor, dim);
  ptrdiff_t n = THTensor_(checkIndexVector)(index, tensor->size[dim], 3);
  if (n == 0) return;
  THLongTensor *ix = THTensor_(readableIndex)(index, tensor);
  if (dim == tensor->nDimension - 1) {
    TH_TENSOR_DIM_APPLY(real, tensor, dim,
                        for (long i = 0; i < n; i++)
                          tensor_data[THTensor_(indexAt)(ix, i) * tensor_stride] = val;);
  } else {
    THTensor_(View) tv;
    THTensor *ts = THTensor_(sliceOf)(&tv, tensor, dim);
    for (long i = 0; i < n; i++) {
      THTensor_(moveSlice)(ts, tensor, dim, THTensor_(indexAt)(ix, i));
      THTensor_(fill)(ts, val);
    }
  }
  if (ix != index) THLongTensor_free(ix);
}

/* ---- by index tensor, element by element (gather / scatter) ----------------------------- */

/* tensor[..i..] = src[..index[..i..]..] along dim. tensor must be empty (it is then resized)
 * or already have index's size, as upstream requires. */
void THTensor_(gather)(THTensor *tensor, THTensor *src, int dim, THLongTensor *index)
{
  THTensor_(checkDim)(src, dim);
  THArgCheck(index->nDimension == 0 || THTensor_(sameExcept)(index->nDimension, index->size,
                                                             src->nDimension, src->size, dim),
             4, "index must have the size of src except in dimension %d", dim + TH_INDEX_BASE);
  THArgCheck(tensor->nDimension == 0 || THTensor_(sameExcept)(tensor->nDimension, tensor->size,
                                                              index->nDimension, index->size, -1),
             1, "the result must be empty or have the size of index");
  THTensor_(checkIndexValues)(index, src->size[dim]);
  if (index->nDimension == 0) return;
  if (tensor == src || (void *)tensor == (void *)index) {
    THTensor *tmp = THTensor_(new)();
    THTensor_(gather)(tmp, src, dim, index);
    THTensor_(freeCopyTo)(tmp, tensor);
    return;
  }
  if (tensor->nDimension == 0) THTensor_(resizeNd)(tensor, index->nDimension, index->size, NULL);
  TH_TENSOR_DIM_APPLY3(real, tensor, real, src, long, index, dim,
                       for (long i = 0; i < index_size; i++)
                         tensor_data[i * tensor_stride] =
                             src_data[(index_data[i * index_stride] - TH_INDEX_BASE) * src_stride];);
}

/* scatter*: index has tensor's size except along dim; src (if any) covers index. */
static int THTensor_(checkScatter)(THTensor *tensor, int dim, THLongTensor *index, THTensor *src)
{
  THTensor_(checkDim)(tensor, dim);
  if (index->nDimension == 0) return 0;
  THArgCheck(THTensor_(sameExcept)(index->nDimension, index->size, tensor->nDimension, tensor->size,
                                   dim),
             3, "index must have the size of the tensor except in dimension %d", dim + TH_INDEX_BASE);
  if (src)
    THArgCheck(THTensor_(sameExcept)(src->nDimension, src->size, index->nDimension, index->size, dim) &&
                   src->size[dim] >= index->size[dim],
               4, "src must have the size of index, at least along dimension %d", dim + TH_INDEX_BASE);
  THTensor_(checkIndexValues)(index, tensor->size[dim]);
  return 1;
}

/* tensor[..index[..i..]..] = src[..i..] along dim. */
void THTensor_(scatter)(THTensor *tensor, int dim, THLongTensor *index, THTensor *src)
{
  if (!THTensor_(checkScatter)(tensor, dim, index, src)) return;
  THTensor *s = THTensor_(readable)(src, tensor);
  THLongTensor *ix = THTensor_(readableIndex)(index, tensor);
  TH_TENSOR_DIM_APPLY3(real, tensor, real, s, long, ix, dim,
                       for (long i = 0; i < ix_size; i++)
                         tensor_data[(ix_data[i * ix_stride] - TH_INDEX_BASE) * tensor_stride] =
                             s_data[i * s_stride];);
  THTensor_(unshare)(s, src, ix, index);
}

void THTensor_(scatterAdd)(THTensor *tensor, int dim, THLongTensor *index, THTensor *src)
{
  if (!THTensor_(checkScatter)(tensor, dim, index, src)) return;
  THTensor *s = THTensor_(readable)(src, tensor);
  THLongTensor *ix = THTensor_(readableIndex)(index, tensor);
  TH_TENSOR_DIM_APPLY3(real, tensor, real, s, long, ix, dim,
                       for (long i = 0; i < ix_size; i++) {
                         real *dst = tensor_data + (ix_data[i * ix_stride] - TH_INDEX_BASE) * tensor_stride;
                         *dst = TH_UADD(*dst, s_data[i * s_stride]);
                       });
  THTensor_(unshare)(s, src, ix, index);
}

void THTensor_(scatterFill)(THTensor *tensor, int dim, THLongTensor *index, real val)
{
  if (!THTensor_(checkScatter)(tensor, dim, index, NULL)) return;
  THLongTensor *ix = THTensor_(readableIndex)(index, tensor);
  TH_TENSOR_DIM_APPLY2(real, tensor, long, ix, dim,
                       for (long i = 0; i < ix_size; i++)
                         tensor_data[(ix_data[i * ix_stride] - TH_INDEX_BASE) * tensor_stride] = val;);
  if (ix != index) THLongTensor_free(ix);
}

/* ---- masks ----------------------------------------------------------------------------- */

/* The number of ones in a mask of n elements, which may hold only 0 and 1 (as upstream). */
static ptrdiff_t THTensor_(maskCount)(THByteTensor *mask, ptrdiff_t n, int arg)
{
  THArgCheck(THByteTensor_nElement(mask) == n, arg, "the mask has %td elements, the tensor %td",
             THByteTensor_nElement(mask), n);
  ptrdiff_t ones = 0;
  TH_TENSOR_APPLY(unsigned char, mask, {
    if (*mask_data > 1) THArgCheck(0, arg, "a mask may hold only 0 and 1, found %d", *mask_data);
    ones += *mask_data;
  });
  return ones;
}

void THTensor_(maskedFill)(THTensor *tensor, THByteTensor *mask, real value)
{
  THTensor_(maskCount)(mask, THTensor_(nElement)(tensor), 2);
  TH_TENSOR_APPLY2(real, tensor, unsigned char, mask, if (*mask_data) *tensor_data = value;);
}

/* Where mask is 1, in order, the next element of src (src may have more elements). */
void THTensor_(maskedCopy)(THTensor *tensor, THByteTensor *mask, THTensor *src)
{
  ptrdiff_t ones = THTensor_(maskCount)(mask, THTensor_(nElement)(tensor), 2);
  THArgCheck(THTensor_(nElement)(src) >= ones, 3, "the source has %td elements, the mask %td ones",
             THTensor_(nElement)(src), ones);
  if (ones == 0) return;
  THTensor *s = src == tensor ? THTensor_(newClone)(src) : THTensor_(newContiguous)(src);
  const real *next = THTensor_(data)(s);
  TH_TENSOR_APPLY2(real, tensor, unsigned char, mask, if (*mask_data) *tensor_data = *next++;);
  THTensor_(free)(s);
}

/* tensor = the elements of src where mask is 1, as a vector. */
void THTensor_(maskedSelect)(THTensor *tensor, THTensor *src, THByteTensor *mask)
{
  ptrdiff_t ones = THTensor_(maskCount)(mask, THTensor_(nElement)(src), 3);
  if (tensor == src || (void *)tensor == (void *)mask) {
    THTensor *tmp = THTensor_(new)();
    THTensor_(maskedSelect)(tmp, src, mask);
    THTensor_(adopt)(tensor, tmp);
    return;
  }
  if (ones == 0) {
    THTensor_(resizeNd)(tensor, 0, NULL, NULL);
    return;
  }
  THTensor_(resize1d)(tensor, (long)ones);
  real *out = THTensor_(data)(tensor);
  long step = tensor->stride[0];
  TH_TENSOR_APPLY2(real, src, unsigned char, mask, if (*mask_data) {
    *out = *src_data;
    out += step;
  });
}

/* subscript = the subscripts of the nonzero elements, one row each, in storage order of a
 * contiguous tensor (row-major). They are 0-based, as upstream's C API returns them (Lua's
 * binding adds 1). No nonzero element gives an empty subscript. */
void THTensor_(nonzero)(THLongTensor *subscript, THTensor *tensor)
{
  if ((void *)subscript == (void *)tensor) {
    THLongTensor *tmp = THLongTensor_new();
    THTensor_(nonzero)(tmp, tensor);
    THLongTensor_set(subscript, tmp);
    THLongTensor_free(tmp);
    return;
  }
  ptrdiff_t count = 0;
  TH_TENSOR_APPLY(real, tensor, count += *tensor_data != 0;);
  if (count == 0) {
    THLongTensor_resizeNd(subscript, 0, NULL, NULL);
    return;
  }
  int nd = tensor->nDimension;
  THLongTensor_resize2d(subscript, (long)count, nd);
  long *row = THLongTensor_data(subscript);
  long rstep = subscript->stride[0], cstep = subscript->stride[1];
  long pos[TH_MAX_DIM] = {0};
  const real *p = THTensor_(data)(tensor);
  for (ptrdiff_t left = THTensor_(nElement)(tensor); left > 0; left--) {
    if (*p != 0) {
      for (int d = 0; d < nd; d++) row[d * cstep] = pos[d];
      row += rstep;
    }
    for (int d = nd - 1; d >= 0; d--) { /* odometer step in row-major order */
      p += tensor->stride[d];
      if (++pos[d] < tensor->size[d]) break;
      p -= pos[d] * tensor->stride[d];
      pos[d] = 0;
    }
  }
}

/* ---- concatenation --------------------------------------------------------------------- */

/* A tensor's size in dimension d, where dimensions past its last count as 1. */
static long THTensor_(sizeAt)(const THTensor *t, int d)
{
  return d < t->nDimension ? t->size[d] : 1;
}

/* Concatenation along dimension, as upstream: dimension may be any d >= 0 (the result has
 * max(d + 1, the inputs' largest nDimension) dimensions, missing ones counting as size 1), or
 * -2 (Lua's -1): the last of those dimensions. Empty inputs are skipped; the others must agree
 * in every other dimension. When every input is empty, result is left as it was. */
void THTensor_(catArray)(THTensor *result, THTensor **inputs, int numInputs, int dimension)
{
  THArgCheck(numInputs > 0 && inputs != NULL, 3, "at least one input expected, got %d", numInputs);
  int maxDim = THMax(dimension + 1, 0), first = -1, aliased = 0;
  for (int i = 0; i < numInputs; i++) {
    THArgCheck(inputs[i] != NULL, 2, "input %d is NULL", i + TH_INDEX_BASE);
    if (inputs[i]->nDimension > 0 && first < 0) first = i;
    maxDim = THMax(maxDim, inputs[i]->nDimension);
    aliased |= inputs[i] == result;
  }
  int cat = dimension;
  if (dimension + TH_INDEX_BASE == -1) cat = maxDim > 0 ? maxDim - 1 : 0;
  THArgCheck(cat >= 0, 4, "invalid dimension %d", dimension + TH_INDEX_BASE);
  THArgCheck(maxDim <= TH_MAX_DIM, 4, "dimension %d: more than %d dimensions",
             dimension + TH_INDEX_BASE, TH_MAX_DIM);
  if (first < 0) return; /* all empty: result untouched */
  long size[TH_MAX_DIM];
  for (int d = 0; d < maxDim; d++) size[d] = THTensor_(sizeAt)(inputs[first], d);
  size[cat] = 0;
  for (int i = 0; i < numInputs; i++) {
    THTensor *t = inputs[i];
    if (t->nDimension == 0) continue;
    for (int d = 0; d < maxDim; d++)
      if (d != cat && THTensor_(sizeAt)(t, d) != size[d])
        THError("inconsistent tensor sizes: input %d has size %ld in dimension %d, input %d %ld",
                i + TH_INDEX_BASE, THTensor_(sizeAt)(t, d), d + TH_INDEX_BASE,
                first + TH_INDEX_BASE, size[d]);
    size[cat] += THTensor_(sizeAt)(t, cat);
  }
  if (aliased) {
    THTensor *tmp = THTensor_(new)();
    THTensor_(catArray)(tmp, inputs, numInputs, cat);
    THTensor_(adopt)(result, tmp);
    return;
  }
  THTensor_(resizeNd)(result, maxDim, size, NULL);
  /* each input goes into a narrowed view of the result; the element orders match */
  THTensor_(View) v;
  THTensor *part = THTensor_(viewOf)(&v, result);
  long offset = 0;
  for (int i = 0; i < numInputs; i++) {
    THTensor *t = inputs[i];
    if (t->nDimension == 0) continue;
    v.size[cat] = THTensor_(sizeAt)(t, cat);
    part->storageOffset = result->storageOffset + offset * result->stride[cat];
    THTensor_(copy)(part, t);
    offset += v.size[cat];
  }
}

void THTensor_(cat)(THTensor *r_, THTensor *ta, THTensor *tb, int dimension)
{
  THTensor *inputs[2] = {ta, tb};
  THTensor_(catArray)(r_, inputs, 2, dimension);
}

/* ---- ranges ---------------------------------------------------------------------------- */

/* The number of points of range(xmin, xmax, step), as upstream: (xmax - xmin) / step + 1,
 * truncated (in accreal: integer division for the integer types). */
static ptrdiff_t THTensor_(rangeSize)(accreal xmin, accreal xmax, accreal step)
{
  THArgCheck(step > 0 || step < 0, 3, "step must be a non-null number");
  THArgCheck((step > 0 && xmax >= xmin) || (step < 0 && xmax <= xmin), 2,
             "upper bound and larger bound incoherent with step sign");
#ifdef TH_REAL_IS_FLOATING
  /* infinite bounds would make the count undefined (upstream converts inf to an integer) */
  THArgCheck(isfinite(xmin) && isfinite(xmax), 2, "bounds must be finite");
  double q = ((double)xmax - (double)xmin) / (double)step + 1;
  THArgCheck(q < (double)PTRDIFF_MAX / 2, 3, "too many elements (%g)", q);
  return (ptrdiff_t)q;
#else
  /* in unsigned arithmetic: the span of two longs may not fit in a long */
  uaccreal span = step > 0 ? (uaccreal)xmax - (uaccreal)xmin : (uaccreal)xmin - (uaccreal)xmax;
  uaccreal ustep = step > 0 ? (uaccreal)step : 0 - (uaccreal)step;
  uaccreal q = span / ustep;
  THArgCheck(q < (uaccreal)PTRDIFF_MAX / 2, 3, "too many elements");
  return (ptrdiff_t)q + 1;
#endif
}

/* xmin, xmin + step, ... up to xmax included (when reached). As upstream, r_ keeps its shape
 * (and layout) when it already has that many elements, and is filled in its element order;
 * otherwise it becomes a vector. Values are xmin + i * step in accreal, i counted in real (so a
 * Float range stalls where upstream's does, past 2^24 points; integer types wrap). */
void THTensor_(range)(THTensor *r_, accreal xmin, accreal xmax, accreal step)
{
  ptrdiff_t n = THTensor_(rangeSize)(xmin, xmax, step);
  if (THTensor_(nElement)(r_) != n) THTensor_(resize1d)(r_, n);
#ifdef TH_REAL_IS_FLOATING
  real i = 0;
  TH_TENSOR_APPLY(real, r_, *r__data = (real)(xmin + (accreal)i * step); i++;);
#else
  uaccreal i = 0;
  TH_TENSOR_APPLY(real, r_, *r__data = (real)((uaccreal)xmin + i * (uaccreal)step); i++;);
#endif
}

/* range without xmax: as upstream, xmax - step is used when step divides xmax - xmin exactly
 * (so xmin == xmax raises, as there is then no point). */
void THTensor_(arange)(THTensor *r_, accreal xmin, accreal xmax, accreal step)
{
#ifdef TH_REAL_IS_FLOATING
  if (fmod(xmax - xmin, step) == 0) xmax -= step;
#else
  THArgCheck(step != 0, 3, "step must be a non-null number"); /* upstream divides by it */
  uaccreal span = (uaccreal)xmax - (uaccreal)xmin, ustep = (uaccreal)step;
  /* (xmax - xmin) % step == 0, without signed overflow */
  uaccreal aspan = (accreal)span < 0 ? 0 - span : span, astep = step < 0 ? 0 - ustep : ustep;
  if (aspan % astep == 0) xmax = (accreal)((uaccreal)xmax - ustep);
#endif
  THTensor_(range)(r_, xmin, xmax, step);
}

#if defined(TH_REAL_IS_FLOAT) || defined(TH_REAL_IS_DOUBLE)
#ifdef TH_REAL_IS_FLOAT
#define PW_POW10(x) powf(10.0f, (x))
#else
#define PW_POW10(x) pow(10.0, (x))
#endif
/* n points a + i (b - a) / (n - 1), computed in real as upstream (so its roundings), through
 * 10^x for logspace; n == 1 needs a == b. r_ keeps its shape when it has n elements. */
static void THTensor_(spaced)(THTensor *r_, real a, real b, long n, int logScale)
{
  THArgCheck(n > 1 || (n == 1 && a == b), 3, "invalid number of points");
  if (THTensor_(nElement)(r_) != n) THTensor_(resize1d)(r_, n);
  if (n == 1) {
    THTensor_(set1d)(r_, 0, logScale ? PW_POW10(a) : a);
    return;
  }
  real i = 0;
  real span = b - a, last = (real)(n - 1);
  TH_TENSOR_APPLY(real, r_, {
    real v = a + i * span / last;
    *r__data = logScale ? PW_POW10(v) : v;
    i++;
  });
}

void THTensor_(linspace)(THTensor *r_, real a, real b, long n)
{
  THTensor_(spaced)(r_, a, b, n, 0);
}

/* 10^x for the points x of linspace(a, b, n). */
void THTensor_(logspace)(THTensor *r_, real a, real b, long n)
{
  THTensor_(spaced)(r_, a, b, n, 1);
}
#undef PW_POW10
#endif

/* ---- matrices -------------------------------------------------------------------------- */

/* The n x m identity (m <= 0 means n x n). */
void THTensor_(eye)(THTensor *r_, long n, long m)
{
  THArgCheck(n > 0, 2, "invalid number of rows %ld", n);
  if (m <= 0) m = n;
  THTensor_(resize2d)(r_, n, m);
  THTensor_(zero)(r_);
  real *d = THTensor_(data)(r_);
  long step = r_->stride[0] + r_->stride[1];
  for (long i = 0; i < THMin(n, m); i++) d[i * step] = 1;
}

/* A vector t: the square matrix with t on its k-th diagonal (k > 0 above the main one, k < 0
 * below). A matrix t: its k-th diagonal as a vector (empty when there is none). */
void THTensor_(diag)(THTensor *r_, THTensor *t, int k)
{
  THArgCheck(t->nDimension == 1 || t->nDimension == 2, 2, "matrix or vector expected, got a %dD tensor",
             t->nDimension);
  long row0 = k < 0 ? -(long)k : 0, col0 = k > 0 ? (long)k : 0;
  if (t->nDimension == 2 && THMin(t->size[0] - row0, t->size[1] - col0) <= 0) {
    /* as upstream: r_ emptied, then an error (upstream reads stride 0 of the empty r_) */
    long rows = t->size[0], cols = t->size[1];
    THTensor_(resizeNd)(r_, 0, NULL, NULL);
    THArgCheck(0, 2, "diagonal %d of a %ldx%ld matrix is empty", k, rows, cols);
  }
  if (r_ == t) {
    THTensor *tmp = THTensor_(new)();
    THTensor_(diag)(tmp, t, k);
    THTensor_(adopt)(r_, tmp);
    return;
  }
  const real *td = THTensor_(data)(t);
  if (t->nDimension == 1) {
    long n = t->size[0], side = n + row0 + col0;
    THTensor_(resize2d)(r_, side, side);
    THTensor_(zero)(r_);
    real *rd = THTensor_(data)(r_);
    for (long i = 0; i < n; i++)
      rd[(i + row0) * r_->stride[0] + (i + col0) * r_->stride[1]] = td[i * t->stride[0]];
    return;
  }
  long len = THMin(t->size[0] - row0, t->size[1] - col0);
  THTensor_(resize1d)(r_, len);
  real *rd = THTensor_(data)(r_);
  for (long i = 0; i < len; i++)
    rd[i * r_->stride[0]] = td[(i + row0) * t->stride[0] + (i + col0) * t->stride[1]];
}

/* r_ = t where keep(j - i), 0 elsewhere (r_ may be t). */
static void THTensor_(triangle)(THTensor *r_, THTensor *t, long k, int upper)
{
  THArgCheck(t->nDimension == 2, 2, "matrix expected, got a %dD tensor", t->nDimension);
  THTensor_(resizeAs)(r_, t);
  const real *td = THTensor_(data)(t);
  real *rd = THTensor_(data)(r_);
  long rows = t->size[0], cols = t->size[1];
  for (long i = 0; i < rows; i++) {
    const real *trow = td + i * t->stride[0];
    real *rrow = rd + i * r_->stride[0];
    for (long j = 0; j < cols; j++) {
      int keep = upper ? j - i >= k : j - i <= k;
      rrow[j * r_->stride[1]] = keep ? trow[j * t->stride[1]] : 0;
    }
  }
}

/* The elements on and below the k-th diagonal. */
void THTensor_(tril)(THTensor *r_, THTensor *t, long k)
{
  THTensor_(triangle)(r_, t, k, 0);
}

/* The elements on and above the k-th diagonal. */
void THTensor_(triu)(THTensor *r_, THTensor *t, long k)
{
  THTensor_(triangle)(r_, t, k, 1);
}

/* Cross products of the 3-vectors along dimension (< 0: the first dimension of size 3). */
void THTensor_(cross)(THTensor *r_, THTensor *a, THTensor *b, int dimension)
{
  THArgCheck(a->nDimension > 0, 2, "non-empty tensors expected");
  THArgCheck(THTensor_(sameExcept)(a->nDimension, a->size, b->nDimension, b->size, -1), 3,
             "inconsistent tensor sizes %s and %s", THTensor_(sizeDesc)(a).str,
             THTensor_(sizeDesc)(b).str);
  if (dimension < 0) {
    for (int d = 0; d < a->nDimension && dimension < 0; d++)
      if (a->size[d] == 3) dimension = d;
    THArgCheck(dimension >= 0, 4, "no dimension of size 3");
  }
  THTensor_(checkDim)(a, dimension);
  THArgCheck(a->size[dimension] == 3, 4, "dimension %d has size %ld, not 3", dimension + TH_INDEX_BASE,
             a->size[dimension]);
  THTensor_(resizeAs)(r_, a);
  /* every component is read before any is written, so r_ may be a or b */
  TH_TENSOR_DIM_APPLY3(real, r_, real, a, real, b, dimension, {
    ureal a0 = (ureal)a_data[0];
    ureal a1 = (ureal)a_data[a_stride];
    ureal a2 = (ureal)a_data[2 * a_stride];
    ureal b0 = (ureal)b_data[0];
    ureal b1 = (ureal)b_data[b_stride];
    ureal b2 = (ureal)b_data[2 * b_stride];
    r__data[0] = (real)(a1 * b2 - a2 * b1);
    r__data[r__stride] = (real)(a2 * b0 - a0 * b2);
    r__data[2 * r__stride] = (real)(a0 * b1 - a1 * b0);
  });
}

/* ---- shaped constructors --------------------------------------------------------------- */

/* A size argument's element count. As upstream, the sizes end at the first one <= 0 (Lua pads
 * its size lists with -1); none left means the empty tensor. */
static ptrdiff_t THTensor_(checkSize)(THLongStorage *size, int arg)
{
  THArgCheck(size != NULL, arg, "a size is required");
  ptrdiff_t n = 0;
  for (ptrdiff_t d = 0; d < size->size && size->data[d] > 0; d++) {
    THArgCheck(d < TH_MAX_DIM, arg, "too many dimensions (more than %d)", TH_MAX_DIM);
    if (d == 0) n = 1;
    THArgCheck(!__builtin_mul_overflow(n, size->data[d], &n), arg, "size overflows");
  }
  return n;
}

/* Resizes to a checked size (resizeNd ends the dimensions where checkSize did). */
static void THTensor_(resizeToSize)(THTensor *r_, THLongStorage *size, ptrdiff_t numel)
{
  if (numel == 0)
    THTensor_(resizeNd)(r_, 0, NULL, NULL);
  else
    THTensor_(resizeNd)(r_, (int)THMin(size->size, TH_MAX_DIM + 1), size->data, NULL);
}

void THTensor_(zeros)(THTensor *r_, THLongStorage *size)
{
  THTensor_(resizeToSize)(r_, size, THTensor_(checkSize)(size, 2));
  THTensor_(zero)(r_);
}

void THTensor_(ones)(THTensor *r_, THLongStorage *size)
{
  THTensor_(resizeToSize)(r_, size, THTensor_(checkSize)(size, 2));
  THTensor_(fill)(r_, 1);
}

void THTensor_(zerosLike)(THTensor *r_, THTensor *input)
{
  THTensor_(resizeAs)(r_, input);
  THTensor_(zero)(r_);
}

void THTensor_(onesLike)(THTensor *r_, THTensor *input)
{
  THTensor_(resizeAs)(r_, input);
  THTensor_(fill)(r_, 1);
}

/* A copy of t's elements (row-major) in a new shape of the same element count. */
void THTensor_(reshape)(THTensor *r_, THTensor *t, THLongStorage *size)
{
  ptrdiff_t n = THTensor_(checkSize)(size, 3);
  THArgCheck(n == THTensor_(nElement)(t), 3, "cannot reshape %td elements into %td", THTensor_(nElement)(t),
             n);
  if (r_ == t) {
    THTensor *tmp = THTensor_(new)();
    THTensor_(reshape)(tmp, t, size);
    THTensor_(adopt)(r_, tmp);
    return;
  }
  THTensor_(resizeToSize)(r_, size, n);
  THTensor_(copy)(r_, t);
}

/* ---- products -------------------------------------------------------------------------- */

/* r_ = beta t + alpha vec1 vec2^T, through BLAS ger. */
void THTensor_(addr)(THTensor *r_, real beta, THTensor *t, real alpha, THTensor *vec1, THTensor *vec2)
{
  THArgCheck(vec1->nDimension == 1, 5, "vector expected, got a %dD tensor", vec1->nDimension);
  THArgCheck(vec2->nDimension == 1, 6, "vector expected, got a %dD tensor", vec2->nDimension);
  long m = vec1->size[0], n = vec2->size[0];
  THArgCheck(t->nDimension == 2 && t->size[0] == m && t->size[1] == n, 3,
             "size mismatch: t must be %ldx%ld, is %s", m, n, THTensor_(sizeDesc)(t).str);
  THTensor_(resizeAs)(r_, t); /* also refuses an output with overlapping elements */
  if (THTensor_(mayOverlap)(r_, vec1) || THTensor_(mayOverlap)(r_, vec2) ||
      (r_ != t && THTensor_(mayOverlap)(r_, t))) { /* the output aliases an input: use a temporary */
    THTensor *tmp_ = THTensor_(new)();
    THTensor_(addr)(tmp_, beta, t, alpha, vec1, vec2);
    THTensor_(freeCopyTo)(tmp_, r_);
    return;
  }
  if (r_ != t && beta != 0) THTensor_(copy)(r_, t);
  if (beta == 0)
    THTensor_(zero)(r_);
  else if (beta != 1)
    THTensor_(mul)(r_, r_, beta);

  real *x = THTensor_(data)(vec1), *y = THTensor_(data)(vec2);
  long sx = vec1->stride[0], sy = vec2->stride[0];
  if (r_->stride[0] == 1 && r_->stride[1] >= THMax(1, m)) {          /* column-major */
    THBlas_(ger)(m, n, alpha, x, sx, y, sy, THTensor_(data)(r_), r_->stride[1]);
  } else if (r_->stride[1] == 1 && r_->stride[0] >= THMax(1, n)) {   /* row-major: r_^T += y x^T */
    THBlas_(ger)(n, m, alpha, y, sy, x, sx, THTensor_(data)(r_), r_->stride[0]);
  } else {
    THTensor *c = THTensor_(newClone)(r_);
    THBlas_(ger)(n, m, alpha, y, sy, x, sx, THTensor_(data)(c), c->stride[0]);
    THTensor_(freeCopyTo)(c, r_);
  }
}

/* Checks batch1 (b x n x k) and batch2 (b x k x m) of a batched product. */
static void THTensor_(checkBatches)(THTensor *batch1, THTensor *batch2)
{
  THArgCheck(batch1->nDimension == 3, 5, "3D tensor expected, got a %dD tensor", batch1->nDimension);
  THArgCheck(batch2->nDimension == 3, 6, "3D tensor expected, got a %dD tensor", batch2->nDimension);
  THArgCheck(batch1->size[0] == batch2->size[0], 6, "batch sizes differ: %ld and %ld", batch1->size[0],
             batch2->size[0]);
  THArgCheck(batch1->size[2] == batch2->size[1], 6, "matrix sizes do not match: %ldx%ld and %ldx%ld",
             batch1->size[1], batch1->size[2], batch2->size[1], batch2->size[2]);
}

/* r_ = beta t + alpha sum_i batch1[i] batch2[i]. */
void THTensor_(addbmm)(THTensor *r_, real beta, THTensor *t, real alpha, THTensor *batch1,
                       THTensor *batch2)
{
  THTensor_(checkBatches)(batch1, batch2);
  THArgCheck(t->nDimension == 2 && t->size[0] == batch1->size[1] && t->size[1] == batch2->size[2], 3,
             "size mismatch: t must be %ldx%ld, is %s", batch1->size[1], batch2->size[2],
             THTensor_(sizeDesc)(t).str);
  THTensor_(resizeAs)(r_, t); /* also refuses an output with overlapping elements */
  if (THTensor_(mayOverlap)(r_, batch1) || THTensor_(mayOverlap)(r_, batch2) ||
      (r_ != t && THTensor_(mayOverlap)(r_, t))) { /* the output aliases an input: use a temporary */
    THTensor *tmp_ = THTensor_(new)();
    THTensor_(addbmm)(tmp_, beta, t, alpha, batch1, batch2);
    THTensor_(freeCopyTo)(tmp_, r_);
    return;
  }
  if (r_ != t && beta != 0) THTensor_(copy)(r_, t);
  /* the batches as views on the stack: an error in addmm leaks nothing */
  THTensor_(View) v1, v2;
  THTensor *m1 = THTensor_(sliceOf)(&v1, batch1, 0), *m2 = THTensor_(sliceOf)(&v2, batch2, 0);
  for (long i = 0; i < batch1->size[0]; i++) {
    THTensor_(moveSlice)(m1, batch1, 0, i);
    THTensor_(moveSlice)(m2, batch2, 0, i);
    THTensor_(addmm)(r_, i == 0 ? beta : 1, r_, alpha, m1, m2);
  }
}

/* r_[i] = beta t[i] + alpha batch1[i] batch2[i]. */
void THTensor_(baddbmm)(THTensor *r_, real beta, THTensor *t, real alpha, THTensor *batch1,
                        THTensor *batch2)
{
  THTensor_(checkBatches)(batch1, batch2);
  THArgCheck(t->nDimension == 3 && t->size[0] == batch1->size[0] && t->size[1] == batch1->size[1] &&
                 t->size[2] == batch2->size[2],
             3, "size mismatch: t must be %ldx%ldx%ld, is %s", batch1->size[0], batch1->size[1],
             batch2->size[2], THTensor_(sizeDesc)(t).str);
  THTensor_(resizeAs)(r_, t); /* also refuses an output with overlapping elements */
  if (THTensor_(mayOverlap)(r_, batch1) || THTensor_(mayOverlap)(r_, batch2) ||
      (r_ != t && THTensor_(mayOverlap)(r_, t))) { /* the output aliases an input: use a temporary */
    THTensor *tmp_ = THTensor_(new)();
    THTensor_(baddbmm)(tmp_, beta, t, alpha, batch1, batch2);
    THTensor_(freeCopyTo)(tmp_, r_);
    return;
  }
  if (r_ != t && beta != 0) THTensor_(copy)(r_, t);
  /* the batches as views on the stack: an error in addmm leaks nothing */
  THTensor_(View) v1, v2, vr;
  THTensor *m1 = THTensor_(sliceOf)(&v1, batch1, 0), *m2 = THTensor_(sliceOf)(&v2, batch2, 0);
  THTensor *ri = THTensor_(sliceOf)(&vr, r_, 0);
  for (long i = 0; i < batch1->size[0]; i++) {
    THTensor_(moveSlice)(m1, batch1, 0, i);
    THTensor_(moveSlice)(m2, batch2, 0, i);
    THTensor_(moveSlice)(ri, r_, 0, i);
    THTensor_(addmm)(ri, beta, ri, alpha, m1, m2);
  }
}

#undef TH_UADD
#undef TH_UMUL
