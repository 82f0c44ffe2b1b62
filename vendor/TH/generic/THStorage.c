/* generic/THStorage.c: construction, reference counting and resizing of storages. */
#ifndef TH_GENERIC_FILE
#error "include through THStorage.c"
#endif

real *THStorage_(data)(const THStorage *self)
{
  return self->data;
}

ptrdiff_t THStorage_(size)(const THStorage *self)
{
  return self->size;
}

size_t THStorage_(elementSize)(void)
{
  return sizeof(real);
}

THStorage *THStorage_(new)(void)
{
  return THStorage_(newWithSize)(0);
}

THStorage *THStorage_(newWithSize)(ptrdiff_t size)
{
  return THStorage_(newWithAllocator)(size, &THDefaultAllocator, NULL);
}

/* The element array comes first: a failed allocation then leaves nothing to free. */
THStorage *THStorage_(newWithAllocator)(ptrdiff_t size, THAllocator *allocator,
                                        void *allocatorContext)
{
  THArgCheck(size >= 0, 1, "negative storage size %td", size);
  THArgCheck(allocator != NULL, 2, "allocator is NULL");
  THArgCheck((size_t)size <= (size_t)PTRDIFF_MAX / sizeof(real), 1,
             "storage size %td overflows", size);
  real *data = allocator->malloc(allocatorContext, (ptrdiff_t)sizeof(real) * size);
  THStorage *self = THAlloc(sizeof(THStorage));
  self->data = data;
  self->size = size;
  self->refcount = 1;
  self->flag = TH_STORAGE_REFCOUNTED | TH_STORAGE_RESIZABLE | TH_STORAGE_FREEMEM;
  self->allocator = allocator;
  self->allocatorContext = allocatorContext;
  self->view = NULL;
  return self;
}

THStorage *THStorage_(newWithMapping)(const char *filename, ptrdiff_t size, int flags)
{
  THArgCheck(filename != NULL, 1, "filename is NULL");
  THArgCheck(size >= 0, 2, "negative storage size %td", size);
  THMapAllocatorContext *ctx = THMapAllocatorContext_new(filename, flags);
  THStorage *self = THStorage_(newWithAllocator)(size, &THMapAllocator, ctx);
  if (size <= 0) self->size = THMapAllocatorContext_size(ctx) / (ptrdiff_t)sizeof(real);
  THStorage_(clearFlag)(self, TH_STORAGE_RESIZABLE);
  return self;
}

#define TH_NEW_WITH_VALUES(N, ...)                       \
  do {                                                   \
    real values_[N] = {__VA_ARGS__};                     \
    THStorage *self_ = THStorage_(newWithSize)(N);       \
    memcpy(self_->data, values_, sizeof values_);        \
    return self_;                                        \
  } while (0)

THStorage *THStorage_(newWithSize1)(real data0)
{
  TH_NEW_WITH_VALUES(1, data0);
}

THStorage *THStorage_(newWithSize2)(real data0, real data1)
{
  TH_NEW_WITH_VALUES(2, data0, data1);
}

THStorage *THStorage_(newWithSize3)(real data0, real data1, real data2)
{
  TH_NEW_WITH_VALUES(3, data0, data1, data2);
}

THStorage *THStorage_(newWithSize4)(real data0, real data1, real data2, real data3)
{
  TH_NEW_WITH_VALUES(4, data0, data1, data2, data3);
}

#undef TH_NEW_WITH_VALUES

THStorage *THStorage_(newWithData)(real *data, ptrdiff_t size)
{
  return THStorage_(newWithDataAndAllocator)(data, size, &THDefaultAllocator, NULL);
}

/* Takes ownership of data: it is released through the allocator when the storage dies. */
THStorage *THStorage_(newWithDataAndAllocator)(real *data, ptrdiff_t size, THAllocator *allocator,
                                               void *allocatorContext)
{
  THArgCheck(size >= 0, 2, "negative storage size %td", size);
  THArgCheck(allocator != NULL, 3, "allocator is NULL");
  THStorage *self = THAlloc(sizeof(THStorage));
  self->data = data;
  self->size = size;
  self->refcount = 1;
  self->flag = TH_STORAGE_REFCOUNTED | TH_STORAGE_RESIZABLE | TH_STORAGE_FREEMEM;
  self->allocator = allocator;
  self->allocatorContext = allocatorContext;
  self->view = NULL;
  return self;
}

void THStorage_(setFlag)(THStorage *storage, const char flag)
{
  storage->flag |= flag;
}

void THStorage_(clearFlag)(THStorage *storage, const char flag)
{
  storage->flag &= (char)~flag;
}

void THStorage_(retain)(THStorage *storage)
{
  if (storage && (storage->flag & TH_STORAGE_REFCOUNTED))
    __atomic_fetch_add(&storage->refcount, 1, __ATOMIC_RELAXED);
}

void THStorage_(free)(THStorage *storage)
{
  if (!storage || !(storage->flag & TH_STORAGE_REFCOUNTED)) return;
  if (__atomic_sub_fetch(&storage->refcount, 1, __ATOMIC_ACQ_REL) != 0) return;
  if (storage->flag & TH_STORAGE_FREEMEM) storage->allocator->free(storage->allocatorContext, storage->data);
  if (storage->flag & TH_STORAGE_VIEW) THStorage_(free)(storage->view);
  THFree(storage);
}

/* torchbind's extensions (not upstream's): an export of the memory (a numpy view, a DLPack
 * capsule) pins its storage in one call, and its end unpins it in one. pin takes a reference and
 * clears TH_STORAGE_RESIZABLE, so that nothing can move the memory under the export, and returns
 * whether it was resizable; unpin restores that and drops the reference. Python counts the
 * exports of each storage and calls them for the first and the last. */
int THStorage_(pin)(THStorage *storage)
{
  THArgCheck(storage != NULL, 1, "storage is NULL");
  THStorage_(retain)(storage);
  int resizable = (storage->flag & TH_STORAGE_RESIZABLE) != 0;
  THStorage_(clearFlag)(storage, TH_STORAGE_RESIZABLE);
  return resizable;
}

void THStorage_(unpin)(THStorage *storage, int resizable)
{
  THArgCheck(storage != NULL, 1, "storage is NULL");
  if (resizable) THStorage_(setFlag)(storage, TH_STORAGE_RESIZABLE);
  THStorage_(free)(storage);
}

/* Exchanges the memory (data, size, allocator, flags) of two storages; each keeps its own
 * reference count, which belongs to its holders. Tensors stay on their storage and see the other
 * memory: refused when a storage that others hold would shrink under them, and when either
 * memory is pinned (not resizable: borrowed, mapped or exported), since its address must not
 * move to another owner. */
void THStorage_(swap)(THStorage *storage1, THStorage *storage2)
{
  if (storage1 == storage2) return;
  THArgCheck((storage1->flag & TH_STORAGE_RESIZABLE) && (storage2->flag & TH_STORAGE_RESIZABLE), 1,
             "cannot swap storages whose memory is not resizable (borrowed, mapped or exported)");
  THArgCheck(storage2->size >= storage1->size || __atomic_load_n(&storage1->refcount, __ATOMIC_ACQUIRE) <= 1,
             1, "cannot swap: storage 1 is shared and would shrink from %td to %td elements",
             storage1->size, storage2->size);
  THArgCheck(storage1->size >= storage2->size || __atomic_load_n(&storage2->refcount, __ATOMIC_ACQUIRE) <= 1,
             2, "cannot swap: storage 2 is shared and would shrink from %td to %td elements",
             storage2->size, storage1->size);
  THStorage tmp = *storage1;
  const char keep = TH_STORAGE_REFCOUNTED;
  storage1->data = storage2->data;
  storage1->size = storage2->size;
  storage1->flag = (char)((storage1->flag & keep) | (storage2->flag & ~keep));
  storage1->allocator = storage2->allocator;
  storage1->allocatorContext = storage2->allocatorContext;
  storage1->view = storage2->view;
  storage2->data = tmp.data;
  storage2->size = tmp.size;
  storage2->flag = (char)((storage2->flag & keep) | (tmp.flag & ~keep));
  storage2->allocator = tmp.allocator;
  storage2->allocatorContext = tmp.allocatorContext;
  storage2->view = tmp.view;
}

void THStorage_(resize)(THStorage *storage, ptrdiff_t size)
{
  THArgCheck(storage->flag & TH_STORAGE_RESIZABLE, 1,
             "Trying to resize storage that is not resizable (its memory is borrowed from numpy, "
             "mapped, or exported to a numpy array or DLPack capsule that is still alive)");
  THArgCheck(size >= 0, 2, "negative storage size %td", size);
  THArgCheck((size_t)size <= (size_t)PTRDIFF_MAX / sizeof(real), 2, "storage size %td overflows", size);
  if (size == storage->size) return;
  if (storage->allocator->realloc == NULL) {
    /* An allocator that cannot grow in place: copy into a fresh block. */
    real *old = storage->data;
    ptrdiff_t old_size = storage->size;
    real *data = storage->allocator->malloc(storage->allocatorContext, (ptrdiff_t)sizeof(real) * size);
    if (old) {
      if (data) memcpy(data, old, sizeof(real) * (size_t)THMin(old_size, size));
      if (storage->flag & TH_STORAGE_FREEMEM) storage->allocator->free(storage->allocatorContext, old);
    }
    storage->data = data;
  } else {
    storage->data = storage->allocator->realloc(storage->allocatorContext, storage->data,
                                                (ptrdiff_t)sizeof(real) * size);
  }
  storage->size = size;
}

void THStorage_(fill)(THStorage *storage, real value)
{
  for (ptrdiff_t i = 0; i < storage->size; i++) storage->data[i] = value;
}

void THStorage_(set)(THStorage *self, ptrdiff_t idx, real value)
{
  THIndexCheck(idx >= 0 && idx < self->size, "index %td out of range for storage of size %td", idx,
               self->size);
  self->data[idx] = value;
}

real THStorage_(get)(const THStorage *self, ptrdiff_t idx)
{
  THIndexCheck(idx >= 0 && idx < self->size, "index %td out of range for storage of size %td", idx,
               self->size);
  return self->data[idx];
}
