/* generic/THStorage.h: the storage of one element type (see THStorage.h). */
#ifdef TH_GENERIC_STRUCT_ONLY

/* Same layout as upstream: an upstream libTH and this one can read each other's storages. */
typedef struct THStorage {
  real *data;
  ptrdiff_t size;
  int refcount;
  char flag;
  THAllocator *allocator;
  void *allocatorContext;
  struct THStorage *view;
} THStorage;

#else

TH_API real *THStorage_(data)(const THStorage *);
TH_API ptrdiff_t THStorage_(size)(const THStorage *);
TH_API size_t THStorage_(elementSize)(void);
TH_API void THStorage_(set)(THStorage *, ptrdiff_t, real);
TH_API real THStorage_(get)(const THStorage *, ptrdiff_t);

TH_API THStorage *THStorage_(new)(void);
TH_API THStorage *THStorage_(newWithSize)(ptrdiff_t size);
TH_API THStorage *THStorage_(newWithSize1)(real);
TH_API THStorage *THStorage_(newWithSize2)(real, real);
TH_API THStorage *THStorage_(newWithSize3)(real, real, real);
TH_API THStorage *THStorage_(newWithSize4)(real, real, real, real);
TH_API THStorage *THStorage_(newWithMapping)(const char *filename, ptrdiff_t size, int flags);
TH_API THStorage *THStorage_(newWithData)(real *data, ptrdiff_t size);
TH_API THStorage *THStorage_(newWithAllocator)(ptrdiff_t size, THAllocator *allocator,
                                               void *allocatorContext);
TH_API THStorage *THStorage_(newWithDataAndAllocator)(real *data, ptrdiff_t size,
                                                      THAllocator *allocator,
                                                      void *allocatorContext);

TH_API void THStorage_(setFlag)(THStorage *storage, const char flag);
TH_API void THStorage_(clearFlag)(THStorage *storage, const char flag);
/* torchbind's extensions: pin the memory for an export (see THStorage.c) */
TH_API int THStorage_(pin)(THStorage *storage);
TH_API void THStorage_(unpin)(THStorage *storage, int resizable);
TH_API void THStorage_(retain)(THStorage *storage);
TH_API void THStorage_(swap)(THStorage *storage1, THStorage *storage2);
TH_API void THStorage_(free)(THStorage *storage);
TH_API void THStorage_(resize)(THStorage *storage, ptrdiff_t size);
TH_API void THStorage_(fill)(THStorage *storage, real value);

TH_API void THStorage_(rawCopy)(THStorage *storage, real *src);
TH_API void THStorage_(copy)(THStorage *storage, THStorage *src);
TH_API void THStorage_(copyByte)(THStorage *storage, THByteStorage *src);
TH_API void THStorage_(copyChar)(THStorage *storage, THCharStorage *src);
TH_API void THStorage_(copyShort)(THStorage *storage, THShortStorage *src);
TH_API void THStorage_(copyInt)(THStorage *storage, THIntStorage *src);
TH_API void THStorage_(copyLong)(THStorage *storage, THLongStorage *src);
TH_API void THStorage_(copyFloat)(THStorage *storage, THFloatStorage *src);
TH_API void THStorage_(copyDouble)(THStorage *storage, THDoubleStorage *src);
TH_API void THStorage_(copyHalf)(THStorage *storage, THHalfStorage *src);

#endif
