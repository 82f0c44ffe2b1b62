/* generic/THCStorage.h: the device storage of one element type (see THCStorage.h). */
#ifdef THC_GENERIC_STRUCT_ONLY

/* Upstream cutorch's layout: TH's storage plus the device the memory is on. */
typedef struct THCStorage {
  real *data;
  ptrdiff_t size;
  int refcount;
  char flag;
  THCDeviceAllocator *allocator;
  void *allocatorContext;
  struct THCStorage *view;
  int device;
} THCStorage;

#else

THC_API real *THCStorage_(data)(THCState *state, const THCStorage *self);
THC_API ptrdiff_t THCStorage_(size)(THCState *state, const THCStorage *self);
THC_API int THCStorage_(elementSize)(THCState *state);
THC_API int THCStorage_(getDevice)(THCState *state, const THCStorage *storage);
THC_API void THCStorage_(set)(THCState *state, THCStorage *self, ptrdiff_t index, real value);
THC_API real THCStorage_(get)(THCState *state, const THCStorage *self, ptrdiff_t index);

THC_API THCStorage *THCStorage_(new)(THCState *state);
THC_API THCStorage *THCStorage_(newWithSize)(THCState *state, ptrdiff_t size);
THC_API THCStorage *THCStorage_(newWithSize1)(THCState *state, real data0);
THC_API THCStorage *THCStorage_(newWithSize2)(THCState *state, real data0, real data1);
THC_API THCStorage *THCStorage_(newWithSize3)(THCState *state, real data0, real data1, real data2);
THC_API THCStorage *THCStorage_(newWithSize4)(THCState *state, real data0, real data1, real data2,
                                              real data3);
THC_API THCStorage *THCStorage_(newWithData)(THCState *state, real *data, ptrdiff_t size);
THC_API THCStorage *THCStorage_(newWithAllocator)(THCState *state, ptrdiff_t size,
                                                  THCDeviceAllocator *allocator,
                                                  void *allocatorContext);
THC_API THCStorage *THCStorage_(newWithDataAndAllocator)(THCState *state, real *data,
                                                         ptrdiff_t size,
                                                         THCDeviceAllocator *allocator,
                                                         void *allocatorContext);

THC_API void THCStorage_(setFlag)(THCState *state, THCStorage *storage, const char flag);
THC_API void THCStorage_(clearFlag)(THCState *state, THCStorage *storage, const char flag);
THC_API void THCStorage_(retain)(THCState *state, THCStorage *storage);
THC_API void THCStorage_(free)(THCState *state, THCStorage *storage);
THC_API void THCStorage_(resize)(THCState *state, THCStorage *storage, ptrdiff_t size);
THC_API void THCStorage_(fill)(THCState *state, THCStorage *storage, real value);
THC_API void THCStorage_(rawCopy)(THCState *state, THCStorage *storage, real *src);

/* copies: from the CPU (copyCPU, copy<Type>), on the GPU (copy, copyCuda, copyCuda<Type>), and
 * back to the CPU (TH<T>Storage_copyCuda, torchbind's addition: the table lacks it) */
THC_API void THCStorage_(copy)(THCState *state, THCStorage *storage, THCStorage *src);
THC_API void THCStorage_(copyCuda)(THCState *state, THCStorage *self, THCStorage *src);
THC_API void THCStorage_(copyCPU)(THCState *state, THCStorage *self, THStorage *src);
THC_API void THCStorage_(copyByte)(THCState *state, THCStorage *storage, THByteStorage *src);
THC_API void THCStorage_(copyChar)(THCState *state, THCStorage *storage, THCharStorage *src);
THC_API void THCStorage_(copyShort)(THCState *state, THCStorage *storage, THShortStorage *src);
THC_API void THCStorage_(copyInt)(THCState *state, THCStorage *storage, THIntStorage *src);
THC_API void THCStorage_(copyLong)(THCState *state, THCStorage *storage, THLongStorage *src);
THC_API void THCStorage_(copyFloat)(THCState *state, THCStorage *storage, THFloatStorage *src);
THC_API void THCStorage_(copyDouble)(THCState *state, THCStorage *storage, THDoubleStorage *src);
THC_API void THCStorage_(copyCudaInt)(THCState *state, THCStorage *storage, THCudaIntStorage *src);
THC_API void THCStorage_(copyCudaLong)(THCState *state, THCStorage *storage, THCudaLongStorage *src);
THC_API void THCStorage_(copyCudaFloat)(THCState *state, THCStorage *storage, THCudaStorage *src);
THC_API void THCStorage_(copyCudaDouble)(THCState *state, THCStorage *storage,
                                         THCudaDoubleStorage *src);
THC_API void THStorage_(copyCuda)(THCState *state, THStorage *self, THCStorage *src);

#endif
