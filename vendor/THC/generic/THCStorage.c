/* generic/THCStorage.c: construction, reference counting, resizing and host transfers of device
 * storages. Device memory comes from the storage's allocator (the state's by default); errors
 * are raised before anything is allocated where they can be. */
#ifndef THC_GENERIC_FILE
#error "include through THCStorage.c"
#endif

real *THCStorage_(data)(THCState *state, const THCStorage *self)
{
  (void)state;
  return self->data;
}

ptrdiff_t THCStorage_(size)(THCState *state, const THCStorage *self)
{
  (void)state;
  return self->size;
}

int THCStorage_(elementSize)(THCState *state)
{
  (void)state;
  return (int)sizeof(real);
}

int THCStorage_(getDevice)(THCState *state, const THCStorage *storage)
{
  (void)state;
  return storage->device;
}

THCStorage *THCStorage_(new)(THCState *state)
{
  return THCStorage_(newWithSize)(state, 0);
}

THCStorage *THCStorage_(newWithSize)(THCState *state, ptrdiff_t size)
{
  return THCStorage_(newWithAllocator)(state, size, NULL, NULL);
}

static THCStorage *THCStorage_(wrap)(real *data, ptrdiff_t size, THCDeviceAllocator *allocator,
                                     void *allocatorContext)
{
  THCStorage *self = THC_hostAlloc(sizeof(THCStorage));
  self->data = data;
  self->size = size;
  self->refcount = 1;
  self->flag = TH_STORAGE_REFCOUNTED | TH_STORAGE_RESIZABLE | TH_STORAGE_FREEMEM;
  self->allocator = allocator;
  self->allocatorContext = allocatorContext;
  self->view = NULL;
  self->device = THC_currentDevice();
  return self;
}

/* A NULL allocator means the state's (what newWithSize uses). The device memory comes first:
 * its allocation is what fails in practice, and then nothing is left to free. */
THCStorage *THCStorage_(newWithAllocator)(THCState *state, ptrdiff_t size,
                                          THCDeviceAllocator *allocator, void *allocatorContext)
{
  THCArgCheck(size >= 0, 2, "negative storage size %td", size);
  THCArgCheck((size_t)size <= (size_t)PTRDIFF_MAX / sizeof(real), 2, "storage size %td overflows",
              size);
  if (!allocator) {
    THCArgCheck(state != NULL, 1, "THCState is NULL");
    allocator = THCState_getDeviceAllocator(state);
  }
  real *data = THC_deviceAllocWith(state, allocator, allocatorContext, sizeof(real) * (size_t)size);
  return THCStorage_(wrap)(data, size, allocator, allocatorContext);
}

/* Takes ownership of data (device memory): it is released through the allocator at the end. */
THCStorage *THCStorage_(newWithData)(THCState *state, real *data, ptrdiff_t size)
{
  THCArgCheck(state != NULL, 1, "THCState is NULL");
  return THCStorage_(newWithDataAndAllocator)(state, data, size, THCState_getDeviceAllocator(state),
                                              NULL);
}

THCStorage *THCStorage_(newWithDataAndAllocator)(THCState *state, real *data, ptrdiff_t size,
                                                 THCDeviceAllocator *allocator,
                                                 void *allocatorContext)
{
  (void)state;
  THCArgCheck(size >= 0, 3, "negative storage size %td", size);
  THCArgCheck(allocator != NULL, 4, "allocator is NULL");
  THCArgCheck(data != NULL || size == 0, 2, "NULL data for a storage of %td elements", size);
  return THCStorage_(wrap)(data, size, allocator, allocatorContext);
}

static THCStorage *THCStorage_(newWithValues)(THCState *state, int n, const real *values)
{
  THCStorage *self = THCStorage_(newWithSize)(state, n);
  cudaError_t err = cudaMemcpy(self->data, values, sizeof(real) * (size_t)n, cudaMemcpyHostToDevice);
  if (err != cudaSuccess) THCStorage_(free)(state, self);
  THCudaCheck(err);
  return self;
}

THCStorage *THCStorage_(newWithSize1)(THCState *state, real data0)
{
  real v[1] = {data0};
  return THCStorage_(newWithValues)(state, 1, v);
}

THCStorage *THCStorage_(newWithSize2)(THCState *state, real data0, real data1)
{
  real v[2] = {data0, data1};
  return THCStorage_(newWithValues)(state, 2, v);
}

THCStorage *THCStorage_(newWithSize3)(THCState *state, real data0, real data1, real data2)
{
  real v[3] = {data0, data1, data2};
  return THCStorage_(newWithValues)(state, 3, v);
}

THCStorage *THCStorage_(newWithSize4)(THCState *state, real data0, real data1, real data2,
                                      real data3)
{
  real v[4] = {data0, data1, data2, data3};
  return THCStorage_(newWithValues)(state, 4, v);
}

void THCStorage_(setFlag)(THCState *state, THCStorage *storage, const char flag)
{
  (void)state;
  storage->flag |= flag;
}

void THCStorage_(clearFlag)(THCState *state, THCStorage *storage, const char flag)
{
  (void)state;
  storage->flag &= (char)~flag;
}

void THCStorage_(retain)(THCState *state, THCStorage *storage)
{
  (void)state;
  if (storage && (storage->flag & TH_STORAGE_REFCOUNTED))
    __atomic_fetch_add(&storage->refcount, 1, __ATOMIC_RELAXED);
}

/* Never raises: a failing cudaFree (a device already in error) is cleared and ignored. */
void THCStorage_(free)(THCState *state, THCStorage *storage)
{
  if (!storage || !(storage->flag & TH_STORAGE_REFCOUNTED)) return;
  if (__atomic_sub_fetch(&storage->refcount, 1, __ATOMIC_ACQ_REL) != 0) return;
  if ((storage->flag & TH_STORAGE_FREEMEM) && storage->data &&
      storage->allocator->free(storage->allocatorContext, storage->data) != cudaSuccess)
    (void)cudaGetLastError();
  if (storage->flag & TH_STORAGE_VIEW) THCStorage_(free)(state, storage->view);
  free(storage);
}

/* A new block, the common prefix copied over, the old block released. */
void THCStorage_(resize)(THCState *state, THCStorage *storage, ptrdiff_t size)
{
  THCArgCheck(storage->flag & TH_STORAGE_RESIZABLE, 2, "Trying to resize storage that is not resizable");
  THCArgCheck(size >= 0, 3, "negative storage size %td", size);
  THCArgCheck((size_t)size <= (size_t)PTRDIFF_MAX / sizeof(real), 3, "storage size %td overflows",
              size);
  if (size == storage->size) return;
  real *data = THC_deviceAllocWith(state, storage->allocator, storage->allocatorContext,
                                   sizeof(real) * (size_t)size);
  ptrdiff_t keep = THMin(size, storage->size);
  if (keep > 0) {
    cudaError_t err = cudaMemcpy(data, storage->data, sizeof(real) * (size_t)keep,
                                 cudaMemcpyDeviceToDevice);
    if (err != cudaSuccess) {
      storage->allocator->free(storage->allocatorContext, data);
      THCudaCheck(err);
    }
  }
  if ((storage->flag & TH_STORAGE_FREEMEM) && storage->data &&
      storage->allocator->free(storage->allocatorContext, storage->data) != cudaSuccess)
    (void)cudaGetLastError();
  storage->data = data;
  storage->size = size;
  storage->flag |= TH_STORAGE_FREEMEM;
  storage->device = THC_currentDevice();
}

void THCStorage_(set)(THCState *state, THCStorage *self, ptrdiff_t index, real value)
{
  (void)state;
  THCIndexCheck(index >= 0 && index < self->size, "index %td out of range for storage of size %td",
                index, self->size);
  THCudaCheck(cudaMemcpy(self->data + index, &value, sizeof(real), cudaMemcpyHostToDevice));
}

real THCStorage_(get)(THCState *state, const THCStorage *self, ptrdiff_t index)
{
  (void)state;
  THCIndexCheck(index >= 0 && index < self->size, "index %td out of range for storage of size %td",
                index, self->size);
  real value;
  THCudaCheck(cudaMemcpy(&value, self->data + index, sizeof(real), cudaMemcpyDeviceToHost));
  return value;
}

/* src is device memory holding at least the storage's size. */
void THCStorage_(rawCopy)(THCState *state, THCStorage *self, real *src)
{
  (void)state;
  THCArgCheck(src != NULL || self->size == 0, 3, "src is NULL");
  if (self->size > 0)
    THCudaCheck(cudaMemcpy(self->data, src, sizeof(real) * (size_t)self->size,
                           cudaMemcpyDeviceToDevice));
}

void THCStorage_(copy)(THCState *state, THCStorage *self, THCStorage *src)
{
  (void)state;
  THCArgCheck(self->size == src->size, 3, "size mismatch: %td vs %td elements", self->size,
              src->size);
  if (self->size > 0 && self->data != src->data)
    THCudaCheck(cudaMemcpy(self->data, src->data, sizeof(real) * (size_t)self->size,
                           cudaMemcpyDeviceToDevice));
}

void THCStorage_(copyCuda)(THCState *state, THCStorage *self, THCStorage *src)
{
  THCStorage_(copy)(state, self, src);
}

void THCStorage_(copyCPU)(THCState *state, THCStorage *self, THStorage *src)
{
  (void)state;
  THCArgCheck(self->size == src->size, 3, "size mismatch: %td vs %td elements", self->size,
              src->size);
  if (self->size > 0)
    THCudaCheck(cudaMemcpy(self->data, src->data, sizeof(real) * (size_t)self->size,
                           cudaMemcpyHostToDevice));
}

/* From a CPU storage of another type: converted on the host (as TH's copy converts), then sent. */
#define THC_STORAGE_COPY_FROM(TYPEC)                                                            \
  void THCStorage_(copy##TYPEC)(THCState *state, THCStorage *self, TH##TYPEC##Storage *src)     \
  {                                                                                             \
    (void)state;                                                                                \
    THCArgCheck(self->size == src->size, 3, "size mismatch: %td vs %td elements", self->size,   \
                src->size);                                                                     \
    if (self->size == 0) return;                                                                \
    real *buf = THC_hostAlloc(sizeof(real) * (size_t)self->size);                               \
    for (ptrdiff_t i = 0; i < self->size; i++) buf[i] = (real)src->data[i];                     \
    cudaError_t err = cudaMemcpy(self->data, buf, sizeof(real) * (size_t)self->size,            \
                                 cudaMemcpyHostToDevice);                                       \
    free(buf);                                                                                  \
    THCudaCheck(err);                                                                           \
  }

THC_STORAGE_COPY_FROM(Byte)
THC_STORAGE_COPY_FROM(Char)
THC_STORAGE_COPY_FROM(Short)
THC_STORAGE_COPY_FROM(Int)
THC_STORAGE_COPY_FROM(Long)
THC_STORAGE_COPY_FROM(Float)
THC_STORAGE_COPY_FROM(Double)
#undef THC_STORAGE_COPY_FROM

/* Back to the host (torchbind's addition: upstream has it, the table does not). */
void THStorage_(copyCuda)(THCState *state, THStorage *self, THCStorage *src)
{
  (void)state;
  THCArgCheck(self->size == src->size, 3, "size mismatch: %td vs %td elements", self->size,
              src->size);
  if (self->size > 0)
    THCudaCheck(cudaMemcpy(self->data, src->data, sizeof(real) * (size_t)self->size,
                           cudaMemcpyDeviceToHost));
}
