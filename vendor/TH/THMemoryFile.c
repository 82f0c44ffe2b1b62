/* THMemoryFile: THFile over a char storage that grows as it is written. */
#include <ctype.h>
#include "THMemoryFile.h"
#include "THFilePrivate.h"

typedef struct {
  THFile file;
  THCharStorage *storage; /* NULL once closed; data[size] is always '\0' */
  size_t size;            /* content length; storage->size is the capacity, at least size + 1 */
  size_t position;
  int longSize;           /* 0, 4 or 8 */
} THMemoryFile;

static const struct THFileVTable memory_vtable;

static THMemoryFile *as_memory(THFile *self)
{
  THArgCheck(self != NULL, 1, "file is NULL");
  if (self->vtable != &memory_vtable) THTypeError("not a memory file");
  return (THMemoryFile *)self;
}

/* Room for len bytes at the position (and the '\0' after); returns where they go. */
static char *reserve(THMemoryFile *mf, size_t len)
{
  size_t cap = (size_t)mf->storage->size;
  if (len > (size_t)PTRDIFF_MAX - mf->position - 1) THError("memory file too large");
  size_t need = mf->position + len + 1;
  if (need > cap) THCharStorage_resize(mf->storage, (ptrdiff_t)THMax(need, cap + cap / 2));
  return mf->storage->data + mf->position;
}

/* Moves past len bytes just written into reserve()'s room. */
static void advance(THMemoryFile *mf, size_t len)
{
  mf->position += len;
  if (mf->position > mf->size) {
    mf->size = mf->position;
    mf->storage->data[mf->size] = '\0';
  }
}

static void append(THMemoryFile *mf, const void *bytes, size_t len)
{
  memcpy(reserve(mf, len), bytes, len);
  advance(mf, len);
}

/* ---- reading --------------------------------------------------------------------------- */

/* Parses one number: the next whitespace-delimited token, whatever its length, as upstream reads
 * it. The position moves only past a number read (a failed read leaves it where it was, as
 * upstream's does); the token is copied out, so parsing never measures the rest of the file. */
static int scan_elem(THMemoryFile *mf, int type, void *data, size_t i)
{
  const char *s = mf->storage->data;
  size_t pos = mf->position;
  while (pos < mf->size && isspace((unsigned char)s[pos])) pos++;
  size_t end = pos;
  while (end < mf->size && s[end] && !isspace((unsigned char)s[end])) end++;
  char small[256];
  char *buf = end - pos < sizeof small ? small : THAlloc((ptrdiff_t)(end - pos) + 1);
  memcpy(buf, s + pos, end - pos);
  buf[end - pos] = '\0';
  int used = 0, ok = 0;
  float x;
  switch (type) {
  case TH_FILE_SHORT: ok = sscanf(buf, "%hd%n", (short *)data + i, &used) == 1; break;
  case TH_FILE_INT: ok = sscanf(buf, "%d%n", (int *)data + i, &used) == 1; break;
  case TH_FILE_LONG: ok = sscanf(buf, "%ld%n", (long *)data + i, &used) == 1; break;
  case TH_FILE_FLOAT: ok = sscanf(buf, "%g%n", (float *)data + i, &used) == 1; break;
  case TH_FILE_DOUBLE: ok = sscanf(buf, "%lg%n", (double *)data + i, &used) == 1; break;
  case TH_FILE_HALF:
    ok = sscanf(buf, "%g%n", &x, &used) == 1;
    if (ok) ((THHalf *)data)[i] = TH_float2half(x);
    break;
  }
  if (buf != small) THFree(buf);
  if (ok) mf->position = pos + (size_t)used;
  return ok;
}

static size_t mem_read(THFile *self, void *data, size_t n, int type)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  const char *s = mf->storage->data;
  size_t avail = mf->size - mf->position, done = 0;
  if (self->isBinary) {
    size_t fsize = THFile_fileElemSize_(type, mf->longSize);
    done = THMin(n, avail / fsize);
    if (fsize != THFile_elemSize_(type)) THFile_widenLongs_(data, s + mf->position, done);
    else memcpy(data, s + mf->position, done * fsize);
    mf->position += done * fsize;
  } else {
    if (type == TH_FILE_BYTE || type == TH_FILE_CHAR) { /* text: raw characters */
      done = THMin(n, avail);
      memcpy(data, s + mf->position, done);
      mf->position += done;
    } else {
      while (done < n && scan_elem(mf, type, data, done)) done++;
    }
    /* the newline that auto-spacing wrote after the values */
    if (self->isAutoSpacing && n > 0 && mf->position < mf->size && s[mf->position] == '\n')
      mf->position++;
  }
  return THFile_checkCount_(self, done, n, 1);
}

static size_t mem_readString(THFile *self, const char *format, char **str_)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  const char *start = mf->storage->data + mf->position;
  size_t avail = mf->size - mf->position;
  if (avail == 0) return THFile_checkCount_(self, 0, 1, 1); /* nothing left, as upstream */

  size_t len = avail, skip = 0;
  if (format[1] == 'l') {
    const char *eol = memchr(start, '\n', avail);
    if (eol) {
      len = (size_t)(eol - start);
      skip = 1;
    }
  }
  char *str = THAlloc((ptrdiff_t)len + 1);
  memcpy(str, start, len);
  str[len] = '\0';
  mf->position += len + skip;
  *str_ = str;
  return len;
}

/* ---- writing --------------------------------------------------------------------------- */

static size_t mem_write(THFile *self, const void *data, size_t n, int type)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  if (self->isBinary) {
    size_t esize = THFile_elemSize_(type), fsize = THFile_fileElemSize_(type, mf->longSize);
    if (n > (size_t)PTRDIFF_MAX / fsize) THError("memory file too large");
    char *dst = reserve(mf, n * fsize);
    if (fsize != esize) THFile_narrowLongs_(dst, data, n);
    else memcpy(dst, data, n * fsize);
    advance(mf, n * fsize);
  } else if (type == TH_FILE_BYTE || type == TH_FILE_CHAR) {
    append(mf, data, n);
  } else {
    for (size_t i = 0; i < n; i++) {
      char buf[64];
      int len = THFile_formatElem_(buf, sizeof buf, type, data, i);
      append(mf, buf, (size_t)len);
      if (self->isAutoSpacing && i + 1 < n) append(mf, " ", 1);
    }
  }
  if (!self->isBinary && self->isAutoSpacing && n > 0) append(mf, "\n", 1);
  return n; /* growing either succeeds or raises */
}

static size_t mem_writeString(THFile *self, const char *str, size_t size)
{
  append((THMemoryFile *)self, str, size);
  return size;
}

#define MEMORY_TYPE(TYPEC, TYPE, TAG)                                         \
  static size_t mem_read##TYPEC(THFile *self, TYPE *data, size_t n)           \
  {                                                                           \
    return mem_read(self, data, n, TAG);                                      \
  }                                                                           \
  static size_t mem_write##TYPEC(THFile *self, TYPE *data, size_t n)          \
  {                                                                           \
    return mem_write(self, data, n, TAG);                                     \
  }

MEMORY_TYPE(Byte, unsigned char, TH_FILE_BYTE)
MEMORY_TYPE(Char, char, TH_FILE_CHAR)
MEMORY_TYPE(Short, short, TH_FILE_SHORT)
MEMORY_TYPE(Int, int, TH_FILE_INT)
MEMORY_TYPE(Long, long, TH_FILE_LONG)
MEMORY_TYPE(Float, float, TH_FILE_FLOAT)
MEMORY_TYPE(Double, double, TH_FILE_DOUBLE)
MEMORY_TYPE(Half, THHalf, TH_FILE_HALF)

/* ---- positioning and lifetime ---------------------------------------------------------- */

static int mem_isOpened(THFile *self)
{
  return ((THMemoryFile *)self)->storage != NULL;
}

static void mem_synchronize(THFile *self)
{
  (void)self; /* nothing is buffered */
}

static void mem_seek(THFile *self, size_t position)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  if (position > mf->size)
    THFile_fail_(self, "unable to seek to position %zu (memory file size is %zu)", position,
                 mf->size);
  else
    mf->position = position;
}

static void mem_seekEnd(THFile *self)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  mf->position = mf->size;
}

static size_t mem_position(THFile *self)
{
  return ((THMemoryFile *)self)->position;
}

static void mem_close(THFile *self)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  THCharStorage_free(mf->storage);
  mf->storage = NULL;
}

static void mem_free(THFile *self)
{
  THMemoryFile *mf = (THMemoryFile *)self;
  if (mf->storage) THCharStorage_free(mf->storage);
  free(mf);
}

static const struct THFileVTable memory_vtable = {
  mem_isOpened,
  mem_readByte, mem_readChar, mem_readShort, mem_readInt, mem_readLong,
  mem_readFloat, mem_readDouble, mem_readHalf, mem_readString,
  mem_writeByte, mem_writeChar, mem_writeShort, mem_writeInt, mem_writeLong,
  mem_writeFloat, mem_writeDouble, mem_writeHalf, mem_writeString,
  mem_synchronize, mem_seek, mem_seekEnd, mem_position, mem_close, mem_free,
};

/* ---- construction ---------------------------------------------------------------------- */

THFile *THMemoryFile_newWithStorage(THCharStorage *storage, const char *mode)
{
  int isReadable = 0, isWritable = 0;
  THArgCheck(storage == NULL || (storage->size > 0 && storage->data[storage->size - 1] == '\0'), 1,
             "provided CharStorage must be terminated by 0");
  THArgCheck(THFile_parseMode_(mode, &isReadable, &isWritable), 2,
             "file mode should be 'r','w' or 'rw'");

  if (storage) {
    THCharStorage_retain(storage);
  } else {
    storage = THCharStorage_newWithSize(1);
    storage->data[0] = '\0';
  }
  /* calloc, not THAlloc: on failure the storage must be released before raising */
  THMemoryFile *mf = calloc(1, sizeof *mf);
  if (!mf) {
    THCharStorage_free(storage);
    _THErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__, "out of memory creating a memory file");
  }
  THFile_initFlags_(&mf->file, &memory_vtable, isReadable, isWritable, 0);
  mf->storage = storage;
  mf->size = (size_t)storage->size - 1;
  mf->position = 0;
  mf->longSize = 0;
  return &mf->file;
}

THFile *THMemoryFile_new(const char *mode)
{
  return THMemoryFile_newWithStorage(NULL, mode);
}

THCharStorage *THMemoryFile_storage(THFile *self)
{
  THMemoryFile *mf = as_memory(self);
  if (!mf->storage) THIOError("attempt to use a closed file");
  if ((size_t)mf->storage->size != mf->size + 1)
    THCharStorage_resize(mf->storage, (ptrdiff_t)mf->size + 1);
  return mf->storage;
}

void THMemoryFile_longSize(THFile *self, int size)
{
  THMemoryFile *mf = as_memory(self);
  THArgCheck(size == 0 || size == 4 || size == 8, 2, "invalid long size %d: use 0, 4 or 8", size);
  mf->longSize = size;
}
