/* THFile: the generic layer. Checks the file's state, then dispatches to its kind's vtable. */
#include "THFilePrivate.h"

static void check_file(THFile *self)
{
  THArgCheck(self != NULL, 1, "file is NULL");
}

static void check_open(THFile *self)
{
  check_file(self);
  if (!self->vtable->isOpened(self)) THIOError("attempt to use a closed file");
}

static void check_readable(THFile *self)
{
  check_open(self);
  if (!self->isReadable) THIOError("attempt to read in a write-only file");
}

static void check_writable(THFile *self)
{
  check_open(self);
  if (!self->isWritable) THIOError("attempt to write in a read-only file");
}

/* ---- flags ----------------------------------------------------------------------------- */

int THFile_isOpened(THFile *self)
{
  check_file(self);
  return self->vtable->isOpened(self);
}

#define TH_FILE_FLAG(NAME, FIELD, SETTER, ON, CLEARER, OFF) \
  int THFile_##NAME(THFile *self)                           \
  {                                                         \
    check_file(self);                                       \
    return self->FIELD;                                     \
  }                                                         \
  void THFile_##SETTER(THFile *self)                        \
  {                                                         \
    check_file(self);                                       \
    self->FIELD = ON;                                       \
  }                                                         \
  void THFile_##CLEARER(THFile *self)                       \
  {                                                         \
    check_file(self);                                       \
    self->FIELD = OFF;                                      \
  }

TH_FILE_FLAG(isQuiet, isQuiet, quiet, 1, pedantic, 0)
TH_FILE_FLAG(isBinary, isBinary, binary, 1, ascii, 0)
TH_FILE_FLAG(isAutoSpacing, isAutoSpacing, autoSpacing, 1, noAutoSpacing, 0)

int THFile_isReadable(THFile *self)
{
  check_file(self);
  return self->isReadable;
}

int THFile_isWritable(THFile *self)
{
  check_file(self);
  return self->isWritable;
}

int THFile_hasError(THFile *self)
{
  check_file(self);
  return self->hasError;
}

void THFile_clearError(THFile *self)
{
  check_file(self);
  self->hasError = 0;
}

/* ---- typed reads and writes ------------------------------------------------------------ */

#define TH_FILE_TYPE(TYPEC, TYPE)                                                  \
  size_t THFile_read##TYPEC##Raw(THFile *self, TYPE *data, size_t n)               \
  {                                                                                \
    check_readable(self);                                                          \
    THArgCheck(data != NULL || n == 0, 2, "data is NULL");                         \
    if (n == 0) return 0; /* an empty storage has no data pointer to pass on */    \
    return self->vtable->read##TYPEC(self, data, n);                               \
  }                                                                                \
  size_t THFile_write##TYPEC##Raw(THFile *self, TYPE *data, size_t n)              \
  {                                                                                \
    check_writable(self);                                                          \
    THArgCheck(data != NULL || n == 0, 2, "data is NULL");                         \
    if (n == 0) return 0;                                                          \
    return self->vtable->write##TYPEC(self, data, n);                              \
  }                                                                                \
  size_t THFile_read##TYPEC(THFile *self, TH##TYPEC##Storage *storage)             \
  {                                                                                \
    THArgCheck(storage != NULL, 2, "storage is NULL");                             \
    return THFile_read##TYPEC##Raw(self, storage->data, (size_t)storage->size);    \
  }                                                                                \
  size_t THFile_write##TYPEC(THFile *self, TH##TYPEC##Storage *storage)            \
  {                                                                                \
    THArgCheck(storage != NULL, 2, "storage is NULL");                             \
    return THFile_write##TYPEC##Raw(self, storage->data, (size_t)storage->size);   \
  }                                                                                \
  TYPE THFile_read##TYPEC##Scalar(THFile *self)                                    \
  {                                                                                \
    TYPE scalar;                                                                   \
    memset(&scalar, 0, sizeof scalar); /* what a quiet failed read returns */      \
    THFile_read##TYPEC##Raw(self, &scalar, 1);                                     \
    return scalar;                                                                 \
  }                                                                                \
  void THFile_write##TYPEC##Scalar(THFile *self, TYPE scalar)                      \
  {                                                                                \
    THFile_write##TYPEC##Raw(self, &scalar, 1);                                    \
  }

TH_FILE_TYPE(Byte, unsigned char)
TH_FILE_TYPE(Char, char)
TH_FILE_TYPE(Short, short)
TH_FILE_TYPE(Int, int)
TH_FILE_TYPE(Long, long)
TH_FILE_TYPE(Float, float)
TH_FILE_TYPE(Double, double)
TH_FILE_TYPE(Half, THHalf)

size_t THFile_readStringRaw(THFile *self, const char *format, char **str_)
{
  check_readable(self);
  THArgCheck(format != NULL && format[0] == '*' && (format[1] == 'a' || format[1] == 'l'), 2,
             "format must be '*a' or '*l'");
  THArgCheck(str_ != NULL, 3, "str_ is NULL");
  *str_ = NULL;
  return self->vtable->readString(self, format, str_);
}

size_t THFile_writeStringRaw(THFile *self, const char *str, size_t size)
{
  check_writable(self);
  THArgCheck(str != NULL || size == 0, 2, "str is NULL");
  return self->vtable->writeString(self, str, size);
}

/* ---- positioning and lifetime ---------------------------------------------------------- */

void THFile_synchronize(THFile *self)
{
  check_open(self);
  self->vtable->synchronize(self);
}

void THFile_seek(THFile *self, size_t position)
{
  check_open(self);
  self->vtable->seek(self, position);
}

void THFile_seekEnd(THFile *self)
{
  check_open(self);
  self->vtable->seekEnd(self);
}

size_t THFile_position(THFile *self)
{
  check_open(self);
  return self->vtable->position(self);
}

void THFile_close(THFile *self)
{
  check_open(self); /* closing twice is an error, as upstream */
  self->vtable->close(self);
}

void THFile_free(THFile *self)
{
  if (self) self->vtable->free(self);
}
