/* generic/THTensorCopy.c: copies into a tensor of this type from every type. The two tensors
 * must have the same number of elements; shapes may differ (elements go in order).
 *
 * Three paths: both contiguous (split across threads when large); one contiguous and the other
 * a strided walk whose rows are further apart in memory than its columns, e.g. a transpose
 * (copied tile by tile, so that both sides stay in cache); anything else, the strided walk of
 * THTensorApply.h. The fast paths are taken only when the two tensors do not share memory;
 * otherwise the element-by-element walk keeps its order. */
#ifndef TH_GENERIC_FILE
#error "include through THTensor.c"
#endif

#include "THParallel.h"

/* ---- type-independent helpers (compiled once per translation unit) ---------------------- */
#ifndef TH_TENSOR_COPY_COMMON
#define TH_TENSOR_COPY_COMMON

/* A tiled copy works in tiles of TH_COPY_TILE x TH_COPY_TILE elements (a job: one row of tiles
 * of one plane), each moved in blocks of TH_COPY_MICRO x TH_COPY_MICRO through a buffer. */
#define TH_COPY_TILE 32
#define TH_COPY_MICRO 8

/* Whether the byte ranges [a, a + abytes) and [b, b + bbytes) meet. */
static inline int THTensorCopy_overlap(const void *a, size_t abytes, const void *b, size_t bbytes)
{
  uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return x < y + bbytes && y < x + abytes;
}

/* The lowest and highest element offsets of a strided tensor that has elements. */
static inline void THTensorCopy_span(int nd, const long *size, const long *stride, ptrdiff_t *lo,
                                     ptrdiff_t *hi)
{
  *lo = *hi = 0;
  for (int i = 0; i < nd; i++) {
    ptrdiff_t reach = (ptrdiff_t)(size[i] - 1) * stride[i];
    if (reach < 0) *lo += reach;
    else *hi += reach;
  }
}

/* The shape of a tiled copy: the strided side merged into dimensions (THIter_init), of which the
 * last two are the tiled plane (R rows of C elements, rows rs apart, elements cs apart) and the
 * others are walked plane by plane. Tiling pays when the elements of a row are further apart in
 * memory than the rows (|cs| > |rs|: a transposed plane); otherwise rows are read or written
 * in runs and the plain walk is as good. */
typedef struct {
  THIter it;
  long R, C, rs, cs;
  ptrdiff_t planes, jobs, rowTiles;
} THCopyTiles;

static inline int THCopyTiles_init(THCopyTiles *t, void *base, size_t esize, int nd,
                                   const long *size, const long *stride, ptrdiff_t n)
{
  THIter_init(&t->it, base, esize, nd, size, stride);
  int m = t->it.ndim;
  if (m < 2) return 0;
  t->R = t->it.size[m - 2];
  t->C = t->it.size[m - 1];
  t->rs = t->it.stride[m - 2];
  t->cs = t->it.stride[m - 1];
  long ars = t->rs < 0 ? -t->rs : t->rs, acs = t->cs < 0 ? -t->cs : t->cs;
  if (!(acs > ars) || t->R < TH_COPY_MICRO || t->C < TH_COPY_MICRO) return 0;
  t->planes = n / ((ptrdiff_t)t->R * t->C);
  t->rowTiles = (t->R + TH_COPY_TILE - 1) / TH_COPY_TILE;
  t->jobs = t->planes * t->rowTiles;
  return 1;
}

/* Element offset of plane p on the strided side. */
static inline ptrdiff_t THCopyTiles_planeOffset(const THCopyTiles *t, ptrdiff_t p)
{
  ptrdiff_t off = 0;
  for (int d = t->it.ndim - 3; d >= 0 && p > 0; d--) {
    off += (ptrdiff_t)(p % t->it.size[d]) * t->it.stride[d];
    p /= t->it.size[d];
  }
  return off;
}

/* Jobs [J0, J1) of the tiled copy T: BLOCK(ii, jj, RS, CONV) moves the block at row ii, column
 * jj of the plane (RS the strided side's row stride: a literal 1 in the transposed case, so that
 * the strided side is read or written in short vectors), ELEM(i, j, RS, CONV) one element (the
 * edges). Both see cbase_ / sbase_, the plane's start on the contiguous / strided side. BLOCKS:
 * whether to use BLOCK at all (a constant): only copies within one type do, where the blocks
 * measured faster (a 256x256 float transpose: about 40 against 50 us); conversions go element
 * by element within the tile (TH_COPY_TILED_OPT_0 below). */
#define TH_COPY_TILED_JOBS(T, J0, J1, BLOCK, ELEM, CONV, BLOCKS)                            \
  do {                                                                                      \
    const long R_ = (T)->R, C_ = (T)->C, rs_ = (T)->rs, cs_ = (T)->cs;                      \
    for (ptrdiff_t job_ = (J0); job_ < (J1); job_++) {                                      \
      const ptrdiff_t p_ = job_ / (T)->rowTiles;                                            \
      const long i0_ = (long)(job_ % (T)->rowTiles) * TH_COPY_TILE;                         \
      const long i1_ = THMin(R_, i0_ + TH_COPY_TILE);                                       \
      const long im_ = i0_ + (i1_ - i0_) / TH_COPY_MICRO * TH_COPY_MICRO;                   \
      const ptrdiff_t sbase_ = THCopyTiles_planeOffset(T, p_);                              \
      const ptrdiff_t cbase_ = p_ * (ptrdiff_t)R_ * C_;                                     \
      for (long j0_ = 0; j0_ < C_; j0_ += TH_COPY_TILE) {                                   \
        const long j1_ = THMin(C_, j0_ + TH_COPY_TILE);                                     \
        const long jm_ = j0_ + (j1_ - j0_) / TH_COPY_MICRO * TH_COPY_MICRO;                 \
        for (long ii_ = i0_; ii_ < im_; ii_ += TH_COPY_MICRO)                               \
          for (long jj_ = j0_; jj_ < jm_; jj_ += TH_COPY_MICRO) {                           \
            if ((BLOCKS) && rs_ == 1)                                                       \
              BLOCK(ii_, jj_, 1, CONV);                                                     \
            else /* as many elements, one by one (blocks of every stride: minutes of build) */ \
              for (long i_ = ii_; i_ < ii_ + TH_COPY_MICRO; i_++)                           \
                for (long j_ = jj_; j_ < jj_ + TH_COPY_MICRO; j_++) ELEM(i_, j_, rs_, CONV); \
          }                                                                                 \
        for (long i_ = i0_; i_ < i1_; i_++)                                                 \
          for (long j_ = (i_ < im_ ? jm_ : j0_); j_ < j1_; j_++) ELEM(i_, j_, rs_, CONV);   \
      }                                                                                     \
    }                                                                                       \
  } while (0)

/* Element (i, j) of the plane: its index on the contiguous side and on the strided side. */
#define TH_COPY_CI(i, j) (cbase_ + (ptrdiff_t)(i) * C_ + (j))
#define TH_COPY_SI(i, j, RS) (sbase_ + (ptrdiff_t)(i) * (RS) + (ptrdiff_t)(j) * cs_)

/* From a strided source into a contiguous destination (gather) and the other way (scatter). */
#define TH_COPY_GATHER_BLOCK(ii, jj, RS, CONV)                                              \
  do {                                                                                      \
    real blk_[TH_COPY_MICRO][TH_COPY_MICRO];                                                \
    for (int j = 0; j < TH_COPY_MICRO; j++)                                                 \
      for (int i = 0; i < TH_COPY_MICRO; i++)                                               \
        blk_[j][i] = CONV(s[TH_COPY_SI((ii) + i, (jj) + j, RS)]);                           \
    for (int i = 0; i < TH_COPY_MICRO; i++)                                                 \
      for (int j = 0; j < TH_COPY_MICRO; j++) d[TH_COPY_CI((ii) + i, (jj) + j)] = blk_[j][i]; \
  } while (0)
#define TH_COPY_SCATTER_BLOCK(ii, jj, RS, CONV)                                             \
  do {                                                                                      \
    real blk_[TH_COPY_MICRO][TH_COPY_MICRO];                                                \
    for (int i = 0; i < TH_COPY_MICRO; i++)                                                 \
      for (int j = 0; j < TH_COPY_MICRO; j++)                                               \
        blk_[j][i] = CONV(s[TH_COPY_CI((ii) + i, (jj) + j)]);                               \
    for (int j = 0; j < TH_COPY_MICRO; j++)                                                 \
      for (int i = 0; i < TH_COPY_MICRO; i++) d[TH_COPY_SI((ii) + i, (jj) + j, RS)] = blk_[j][i]; \
  } while (0)
#define TH_COPY_GATHER_ELEM(i, j, RS, CONV) d[TH_COPY_CI(i, j)] = CONV(s[TH_COPY_SI(i, j, RS)])
#define TH_COPY_SCATTER_ELEM(i, j, RS, CONV) d[TH_COPY_SI(i, j, RS)] = CONV(s[TH_COPY_CI(i, j)])

/* The tiled kernels' attributes by SAME (below): copy's own, with 8x8 register blocks, per
 * instruction set; the conversions', element by element within the tile, at -O2. A 256x256
 * transposed conversion then takes 40-60 us against numpy's and PyTorch's 60-66 us here (at -O3
 * about 30-40 us), and a copy unit builds in half the CPU (Float's: 6 -> 3 s, 114 -> 60 KB). */
#define TH_COPY_TILED_OPT_1 TH_SIMD_CLONES
#define TH_COPY_TILED_OPT_0 TH_LEAN

/* Whether source elements of type ST are this type's: copy<Real> then tiles as copy does. */
#define TH_COPY_ALIKE(ST) _Generic((ST *)0, real *: 1, default: 0)

/* A copy's source, of any type: its data (at its first element), element size, geometry,
 * contiguity and element count. */
typedef struct {
  char *data;
  size_t esize;
  int nd;
  const long *size, *stride;
  int contig;
  ptrdiff_t n;
} THCopySource;

/* The source tensor SRC, of elements ST, as a THCopySource (CONTIG, NEL: its type's functions;
 * an empty tensor may have no storage). */
#define TH_COPY_SOURCE(SRC, ST, CONTIG, NEL)                                                \
  ((THCopySource){                                                                          \
      (SRC)->storage ? (char *)((SRC)->storage->data + (SRC)->storageOffset) : NULL,        \
      sizeof(ST), (SRC)->nDimension, (SRC)->size, (SRC)->stride, CONTIG(SRC), NEL(SRC)})

#endif /* TH_TENSOR_COPY_COMMON */

/* A copy's kernels from one source type: both contiguous (contig), jobs of a tiled copy
 * (tiled), and `lines` lines of n elements of the strided walk, dl and sl elements apart
 * (plane: as many lines per call as both sides allow, THIter_runs; a call per line cost a tenth
 * more on short lines). Sources are passed untyped: the kernels know their type. One dispatcher
 * (copyRun) for every source type, instead of one each with the walk expanded in it, cut a
 * third of the code (Float's unit: 58 -> 37 KB, 3.4 -> 2.3 s of CPU); the walk got faster on
 * short lines (a 64x64 narrowed copy 10-25%), the other paths' calls 5-8 ns slower. */
typedef struct {
  void (*contig)(real *d, const void *s, ptrdiff_t n);
  void (*tiled)(real *d, const void *s, const THCopyTiles *t, int gather, ptrdiff_t j0,
                ptrdiff_t j1);
  void (*plane)(real *d, long ds, long dl, const void *s, long ss, long sl, long n, long lines);
  int same; /* copy itself: overlapping contiguous tensors are a memmove */
} THTensor_(CopyKernels);

/* The copy from src with kernels k, for every source type (site: the caller's, for the team's
 * measurements). Three paths: both contiguous (split across threads when large); one contiguous
 * and the other a strided walk worth tiling (THCopyTiles_init); anything else, the strided walk,
 * line by line, in element order. The first two are taken only when the tensors do not share
 * memory; copy itself keeps the order there too, but for the memmove of two contiguous ones. */
TH_LEAN static void THTensor_(copyRun)(THTensor *tensor, const THCopySource *src,
                                       const THTensor_(CopyKernels) *k, THParallelSite *site)
{
  ptrdiff_t n = THTensor_(nElement)(tensor);
  THArgCheck(n == src->n, 2, "sizes do not match: %td vs %td elements", n, src->n);
  if (n == 0) return;
  real *d = tensor->storage->data + tensor->storageOffset;
  const char *s = src->data;
  int dc = THTensor_(isContiguous)(tensor), sc = src->contig;
  if (dc && sc) {
    if (k->same && (const void *)d == (const void *)s) return;
    if (!THTensorCopy_overlap(d, sizeof(real) * (size_t)n, s, src->esize * (size_t)n)) {
      TH_PARALLEL_RANGE_AT(site, n, b, e, k->contig(d + b, s + (size_t)b * src->esize, e - b););
      return;
    }
    if (k->same) {
      memmove(d, s, sizeof(real) * (size_t)n);
      return;
    }
  } else if (dc != sc) {
    ptrdiff_t dlo, dhi, slo, shi;
    THTensorCopy_span(tensor->nDimension, tensor->size, tensor->stride, &dlo, &dhi);
    THTensorCopy_span(src->nd, src->size, src->stride, &slo, &shi);
    THCopyTiles tiles;
    int gather = dc;
    if (!THTensorCopy_overlap(d + dlo, sizeof(real) * (size_t)(dhi - dlo + 1),
                              s + slo * (ptrdiff_t)src->esize,
                              src->esize * (size_t)(shi - slo + 1)) &&
        (gather ? THCopyTiles_init(&tiles, (void *)s, src->esize, src->nd, src->size,
                                   src->stride, n)
                : THCopyTiles_init(&tiles, d, sizeof(real), tensor->nDimension, tensor->size,
                                   tensor->stride, n))) {
      int threads = THParallel_threadsFor(n);
      const ptrdiff_t jobs = tiles.jobs;
      if (threads > 1 && jobs > 1) {
        TH_OMP(parallel for schedule(static) num_threads(threads))
        for (ptrdiff_t j = 0; j < jobs; j++) k->tiled(d, s, &tiles, gather, j, j + 1);
      } else {
        k->tiled(d, s, &tiles, gather, 0, jobs);
      }
      return;
    }
  }
  THIter id, is;
  THIter_init(&id, d, sizeof(real), tensor->nDimension, tensor->size, tensor->stride);
  THIter_init(&is, (void *)s, src->esize, src->nd, src->size, src->stride);
  while (n > 0) {
    long run = THMin(id.left, is.left), dstep, sstep;
    long lines = THMin(THIter_runs(&id, run, &dstep), THIter_runs(&is, run, &sstep));
    k->plane((real *)id.ptr, TH_ITER_STRIDE(id), dstep, is.ptr, TH_ITER_STRIDE(is), sstep, run,
             lines);
    THIter_skipRuns(&id, run, lines);
    THIter_skipRuns(&is, run, lines);
    n -= (ptrdiff_t)run * lines;
  }
}

/* The copy into this type from a source of type ST (named SRC; its tensor type SRC_TENSOR, with
 * functions SRC_NEL and SRC_CONTIG), CONV(x) turning a source element into a real: its kernels,
 * and the exported function that runs them with copyRun. SAME says whether this is copy itself
 * (memcpy for the contiguous kernel, memmove when contiguous tensors overlap). copy<Real> keeps
 * the element order where they overlap, as upstream's, but tiles with copy's kernel
 * (TH_COPY_ALIKE). */
#define TH_COPY_DEFINE(NAME, SRC, ST, SRC_TENSOR, SRC_NEL, SRC_CONTIG, CONV, SAME)           \
  TH_SIMD_CLONES TH_NOINLINE static void THTensor_(copy##SRC##Contig)(real *d, const void *s_, \
                                                                       ptrdiff_t n)         \
  {                                                                                         \
    const ST *s = s_;                                                                       \
    if (SAME) /* the C library's copy: it knows the machine (non-temporal stores and all) */ \
      memcpy(d, s, sizeof(real) * (size_t)n);                                               \
    else                                                                                    \
      for (ptrdiff_t i = 0; i < n; i++) d[i] = CONV(s[i]);                                  \
  }                                                                                         \
  TH_COPY_TILED_OPT_##SAME TH_NOINLINE static void THTensor_(copy##SRC##Tiled)(             \
      real *d, const void *s_, const THCopyTiles *t, int gather, ptrdiff_t j0, ptrdiff_t j1) \
  {                                                                                         \
    const ST *s = s_;                                                                       \
    if (gather)                                                                             \
      TH_COPY_TILED_JOBS(t, j0, j1, TH_COPY_GATHER_BLOCK, TH_COPY_GATHER_ELEM, CONV, SAME); \
    else                                                                                    \
      TH_COPY_TILED_JOBS(t, j0, j1, TH_COPY_SCATTER_BLOCK, TH_COPY_SCATTER_ELEM, CONV, SAME); \
  }                                                                                         \
  TH_NOINLINE static void THTensor_(copy##SRC##Plane)(real *d, long ds, long dl,             \
                                                      const void *s_, long ss, long sl,     \
                                                      long n, long lines)                   \
  {                                                                                         \
    const ST *s = s_;                                                                       \
    if (ds == 1 && ss == 1)                                                                 \
      for (long l = 0; l < lines; l++, d += dl, s += sl)                                    \
        for (long i = 0; i < n; i++) d[i] = CONV(s[i]);                                     \
    else                                                                                    \
      for (long l = 0; l < lines; l++, d += dl, s += sl)                                    \
        for (long i = 0; i < n; i++) d[i * ds] = CONV(s[i * ss]);                           \
  }                                                                                         \
  void NAME(THTensor *tensor, SRC_TENSOR *src)                                              \
  {                                                                                         \
    static const THTensor_(CopyKernels) k = {                                               \
        THTensor_(copy##SRC##Contig),                                                       \
        TH_COPY_ALIKE(ST) ? THTensor_(copySameTiled) : THTensor_(copy##SRC##Tiled),         \
        THTensor_(copy##SRC##Plane), SAME};                                                  \
    static THParallelSite site;                                                             \
    THCopySource from = TH_COPY_SOURCE(src, ST, SRC_CONTIG, SRC_NEL);                       \
    THTensor_(copyRun)(tensor, &from, &k, &site);                                           \
  }

#define TH_COPY_SAME(x) (x)
#define TH_COPY_NUM(x) THNumToReal(x)
#define TH_COPY_HALF(x) THNumToReal(TH_half2float(x))

TH_COPY_DEFINE(THTensor_(copy), Same, real, THTensor, THTensor_(nElement), THTensor_(isContiguous),
               TH_COPY_SAME, 1)
#define TH_COPY_FROM(SRC, ST, CONV)                                                         \
  TH_COPY_DEFINE(THTensor_(copy##SRC), SRC, ST, TH##SRC##Tensor, TH##SRC##Tensor_nElement,   \
                 TH##SRC##Tensor_isContiguous, CONV, 0)
TH_COPY_FROM(Byte, unsigned char, TH_COPY_NUM)
TH_COPY_FROM(Char, char, TH_COPY_NUM)
TH_COPY_FROM(Short, short, TH_COPY_NUM)
TH_COPY_FROM(Int, int, TH_COPY_NUM)
TH_COPY_FROM(Long, long, TH_COPY_NUM)
TH_COPY_FROM(Float, float, TH_COPY_NUM)
TH_COPY_FROM(Double, double, TH_COPY_NUM)
TH_COPY_FROM(Half, THHalf, TH_COPY_HALF)

#undef TH_COPY_FROM
#undef TH_COPY_DEFINE
#undef TH_COPY_SAME
#undef TH_COPY_NUM
#undef TH_COPY_HALF
