/* generic/THStorageCopy.c: copies into a storage of this type from every type. */
#ifndef TH_GENERIC_FILE
#error "include through THStorage.c"
#endif

void THStorage_(rawCopy)(THStorage *storage, real *src)
{
  if (storage->size) memmove(storage->data, src, sizeof(real) * (size_t)storage->size);
}

void THStorage_(copy)(THStorage *storage, THStorage *src)
{
  THArgCheck(storage->size == src->size, 2, "size mismatch: %td vs %td", storage->size, src->size);
  THStorage_(rawCopy)(storage, src->data);
}

/* TO_NUM turns a source element into C arithmetic (empty, or TH_half2float for Half). */
#define TH_STORAGE_COPY_FROM(SRC, TO_NUM)                                             \
  void THStorage_(copy##SRC)(THStorage *storage, TH##SRC##Storage *src)               \
  {                                                                                   \
    THArgCheck(storage->size == src->size, 2, "size mismatch: %td vs %td",            \
               storage->size, src->size);                                             \
    for (ptrdiff_t i = 0; i < storage->size; i++)                                     \
      storage->data[i] = THNumToReal(TO_NUM(src->data[i]));                           \
  }

TH_STORAGE_COPY_FROM(Byte, )
TH_STORAGE_COPY_FROM(Char, )
TH_STORAGE_COPY_FROM(Short, )
TH_STORAGE_COPY_FROM(Int, )
TH_STORAGE_COPY_FROM(Long, )
TH_STORAGE_COPY_FROM(Float, )
TH_STORAGE_COPY_FROM(Double, )
TH_STORAGE_COPY_FROM(Half, TH_half2float)

#undef TH_STORAGE_COPY_FROM
