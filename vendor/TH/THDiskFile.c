/* THDiskFile: THFile over a stdio stream (a file, or a pipe for THPipeFile). */
#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "THDiskFile.h"
#include "THFilePrivate.h"

enum { LAST_NONE, LAST_READ, LAST_WRITE };

typedef struct {
  THFile file;
  FILE *handle;         /* NULL once closed */
  int isNativeEncoding; /* binary data in the CPU's byte order */
  int longSize;         /* 0, 4 or 8 */
  int isPipe;
  int lastOp;           /* LAST_*: stdio needs a seek between a write and a read */
  char name[];          /* allocated with the struct: one allocation, nothing to leak */
} THDiskFile;

static const struct THFileVTable disk_vtable;

static THDiskFile *as_disk(THFile *self)
{
  THArgCheck(self != NULL, 1, "file is NULL");
  if (self->vtable != &disk_vtable) THTypeError("not a disk file");
  return (THDiskFile *)self;
}

/* C stdio requires a flush or seek when a stream switches between reading and writing. */
static void prepare(THDiskFile *df, int op)
{
  if (!df->isPipe && df->lastOp != LAST_NONE && df->lastOp != op) fseeko(df->handle, 0, SEEK_CUR);
  df->lastOp = op;
}

/* ---- reading --------------------------------------------------------------------------- */

static int scan_elem(FILE *f, int type, void *data, size_t i)
{
  switch (type) {
  case TH_FILE_SHORT: return fscanf(f, "%hd", (short *)data + i) == 1;
  case TH_FILE_INT: return fscanf(f, "%d", (int *)data + i) == 1;
  case TH_FILE_LONG: return fscanf(f, "%ld", (long *)data + i) == 1;
  case TH_FILE_FLOAT: return fscanf(f, "%g", (float *)data + i) == 1;
  case TH_FILE_DOUBLE: return fscanf(f, "%lg", (double *)data + i) == 1;
  case TH_FILE_HALF: {
    float x;
    if (fscanf(f, "%g", &x) != 1) return 0;
    ((THHalf *)data)[i] = TH_float2half(x);
    return 1;
  }
  default: return 0;
  }
}

static size_t disk_read(THFile *self, void *data, size_t n, int type)
{
  THDiskFile *df = (THDiskFile *)self;
  size_t done = 0;
  prepare(df, LAST_READ);
  if (self->isBinary) {
    size_t fsize = THFile_fileElemSize_(type, df->longSize);
    done = fread(data, fsize, n, df->handle);
    if (!df->isNativeEncoding && fsize > 1) THFile_swapBytes_(data, fsize, done);
    if (fsize != THFile_elemSize_(type)) THFile_widenLongs_(data, data, done);
  } else {
    if (type == TH_FILE_BYTE || type == TH_FILE_CHAR) /* text: raw characters */
      done = fread(data, 1, n, df->handle);
    else
      while (done < n && scan_elem(df->handle, type, data, done)) done++;
    /* the newline that auto-spacing wrote after the values */
    if (self->isAutoSpacing && n > 0) {
      int c = getc(df->handle);
      if (c != '\n' && c != EOF) ungetc(c, df->handle);
    }
  }
  return THFile_checkCount_(self, done, n, 1);
}

/* The buffer comes from malloc (getline, realloc), so that a failure can release it before
 * raising; THFree is free(), so the caller may THFree it. */
static size_t disk_readString(THFile *self, const char *format, char **str_)
{
  THDiskFile *df = (THDiskFile *)self;
  char *p = NULL;
  size_t len = 0, cap = 0;
  prepare(df, LAST_READ);
  if (format[1] == 'l') {
    errno = 0;
    ssize_t got = getline(&p, &cap, df->handle);
    if (got < 0) { /* end of file before any character */
      int err = errno;
      free(p);
      if (err == ENOMEM)
        _THErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__, "out of memory reading a line");
      return THFile_checkCount_(self, 0, 1, 1);
    }
    len = (size_t)got;
    if (p[len - 1] == '\n') p[--len] = '\0';
  } else {
    for (;;) {
      if (cap - len < 2) {
        size_t ncap = cap ? 2 * cap : 4096;
        char *q = realloc(p, ncap);
        if (!q) {
          free(p);
          _THErrorKind(TH_ERR_MEMORY, __FILE__, __LINE__, "out of memory reading a file");
        }
        p = q;
        cap = ncap;
      }
      size_t got = fread(p + len, 1, cap - len - 1, df->handle);
      if (got == 0) break;
      len += got;
    }
    p[len] = '\0';
    if (len == 0) { /* nothing left is an error, as upstream */
      free(p);
      return THFile_checkCount_(self, 0, 1, 1);
    }
  }
  *str_ = p;
  return len;
}

/* ---- writing --------------------------------------------------------------------------- */

/* Binary data that needs converting (byte order, 4-byte longs) goes through a stack buffer. */
static size_t write_binary(THDiskFile *df, const void *data, size_t n, int type)
{
  size_t esize = THFile_elemSize_(type);
  size_t fsize = THFile_fileElemSize_(type, df->longSize);
  int swap = !df->isNativeEncoding && fsize > 1;
  if (!swap && fsize == esize) return fwrite(data, esize, n, df->handle);

  unsigned char buf[8192];
  size_t chunk = sizeof buf / fsize, done = 0;
  while (done < n) {
    size_t k = THMin(chunk, n - done);
    const char *src = (const char *)data + done * esize;
    if (fsize != esize) THFile_narrowLongs_(buf, (const long *)src, k);
    else memcpy(buf, src, k * esize);
    if (swap) THFile_swapBytes_(buf, fsize, k);
    size_t w = fwrite(buf, fsize, k, df->handle);
    done += w;
    if (w < k) break;
  }
  return done;
}

static size_t disk_write(THFile *self, const void *data, size_t n, int type)
{
  THDiskFile *df = (THDiskFile *)self;
  size_t done = 0;
  prepare(df, LAST_WRITE);
  if (self->isBinary) {
    done = write_binary(df, data, n, type);
  } else {
    if (type == TH_FILE_BYTE || type == TH_FILE_CHAR) {
      done = fwrite(data, 1, n, df->handle);
    } else {
      for (; done < n; done++) {
        char buf[64];
        int len = THFile_formatElem_(buf, sizeof buf, type, data, done);
        if (len < 0 || fwrite(buf, 1, (size_t)len, df->handle) != (size_t)len) break;
        if (self->isAutoSpacing && done + 1 < n && putc(' ', df->handle) == EOF) break;
      }
    }
    if (self->isAutoSpacing && n > 0) putc('\n', df->handle); /* a failure shows at close */
  }
  return THFile_checkCount_(self, done, n, 0);
}

static size_t disk_writeString(THFile *self, const char *str, size_t size)
{
  THDiskFile *df = (THDiskFile *)self;
  prepare(df, LAST_WRITE);
  return THFile_checkCount_(self, fwrite(str, 1, size, df->handle), size, 0);
}

#define DISK_TYPE(TYPEC, TYPE, TAG)                                           \
  static size_t disk_read##TYPEC(THFile *self, TYPE *data, size_t n)          \
  {                                                                           \
    return disk_read(self, data, n, TAG);                                     \
  }                                                                           \
  static size_t disk_write##TYPEC(THFile *self, TYPE *data, size_t n)         \
  {                                                                           \
    return disk_write(self, data, n, TAG);                                    \
  }

DISK_TYPE(Byte, unsigned char, TH_FILE_BYTE)
DISK_TYPE(Char, char, TH_FILE_CHAR)
DISK_TYPE(Short, short, TH_FILE_SHORT)
DISK_TYPE(Int, int, TH_FILE_INT)
DISK_TYPE(Long, long, TH_FILE_LONG)
DISK_TYPE(Float, float, TH_FILE_FLOAT)
DISK_TYPE(Double, double, TH_FILE_DOUBLE)
DISK_TYPE(Half, THHalf, TH_FILE_HALF)

/* ---- positioning and lifetime ---------------------------------------------------------- */

static int disk_isOpened(THFile *self)
{
  return ((THDiskFile *)self)->handle != NULL;
}

static void disk_synchronize(THFile *self)
{
  THDiskFile *df = (THDiskFile *)self;
  if (fflush(df->handle) != 0) THFile_fail_(self, "unable to flush <%s>", df->name);
}

static void disk_seek(THFile *self, size_t position)
{
  THDiskFile *df = (THDiskFile *)self;
  df->lastOp = LAST_NONE;
  if (df->isPipe || position > (size_t)INT64_MAX ||
      fseeko(df->handle, (off_t)position, SEEK_SET) != 0)
    THFile_fail_(self, "unable to seek to position %zu in <%s>", position, df->name);
}

static void disk_seekEnd(THFile *self)
{
  THDiskFile *df = (THDiskFile *)self;
  df->lastOp = LAST_NONE;
  if (df->isPipe || fseeko(df->handle, 0, SEEK_END) != 0)
    THFile_fail_(self, "unable to seek to the end of <%s>", df->name);
}

static size_t disk_position(THFile *self)
{
  THDiskFile *df = (THDiskFile *)self;
  off_t offset = df->isPipe ? -1 : ftello(df->handle);
  if (offset < 0) {
    THFile_fail_(self, "unable to get the position in <%s>", df->name);
    return 0;
  }
  return (size_t)offset;
}

/* Returns the status of fclose/pclose; a pipe's command exit status is not our error. */
static int close_handle(THDiskFile *df)
{
  FILE *h = df->handle;
  df->handle = NULL;
  return df->isPipe ? pclose(h) : fclose(h);
}

static void disk_close(THFile *self)
{
  THDiskFile *df = (THDiskFile *)self;
  if (close_handle(df) == -1) THFile_fail_(self, "error while closing <%s>", df->name);
}

static void disk_free(THFile *self)
{
  THDiskFile *df = (THDiskFile *)self;
  if (df->handle) close_handle(df);
  THFree(df);
}

static const struct THFileVTable disk_vtable = {
  disk_isOpened,
  disk_readByte, disk_readChar, disk_readShort, disk_readInt, disk_readLong,
  disk_readFloat, disk_readDouble, disk_readHalf, disk_readString,
  disk_writeByte, disk_writeChar, disk_writeShort, disk_writeInt, disk_writeLong,
  disk_writeFloat, disk_writeDouble, disk_writeHalf, disk_writeString,
  disk_synchronize, disk_seek, disk_seekEnd, disk_position, disk_close, disk_free,
};

/* ---- construction ---------------------------------------------------------------------- */

static FILE *open_handle(const char *name, int isReadable, int isWritable, int isPipe)
{
  if (isPipe) return popen(name, isReadable ? "r" : "w");
  if (!isReadable) return fopen(name, "wb");
  if (!isWritable) {
    FILE *f = fopen(name, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) { /* fopen accepts directories */
      fclose(f);
      errno = EISDIR;
      return NULL;
    }
    return f;
  }
  FILE *f = fopen(name, "r+b");
  if (!f && errno == ENOENT) f = fopen(name, "w+b");
  return f;
}

THFile *THDiskFile_open_(const char *name, const char *mode, int isQuiet, int isPipe)
{
  int isReadable = 0, isWritable = 0;
  THArgCheck(name != NULL, 1, "file name is NULL");
  THArgCheck(THFile_parseMode_(mode, &isReadable, &isWritable), 2,
             "file mode should be 'r','w' or 'rw'");

  size_t len = strlen(name);
  THDiskFile *df = THAlloc((ptrdiff_t)(sizeof(THDiskFile) + len + 1));
  memcpy(df->name, name, len + 1);
  df->handle = open_handle(name, isReadable, isWritable, isPipe);
  if (!df->handle) {
    int err = errno;
    THFree(df);
    if (isQuiet) return NULL;
    if (err == ENOENT && !isPipe) THNotFoundError("cannot open <%s> in mode %s", name, mode);
    THIOError("cannot open <%s> in mode %s: %s", name, mode, strerror(err));
  }
  THFile_initFlags_(&df->file, &disk_vtable, isReadable, isWritable, isQuiet);
  df->isNativeEncoding = 1;
  df->longSize = 0;
  df->isPipe = isPipe;
  df->lastOp = LAST_NONE;
  return &df->file;
}

THFile *THDiskFile_new(const char *name, const char *mode, int isQuiet)
{
  return THDiskFile_open_(name, mode, isQuiet, 0);
}

const char *THDiskFile_name(THFile *self)
{
  return as_disk(self)->name;
}

int THDiskFile_isLittleEndianCPU(void)
{
  const int one = 1;
  return *(const unsigned char *)&one == 1;
}

int THDiskFile_isBigEndianCPU(void)
{
  return !THDiskFile_isLittleEndianCPU();
}

void THDiskFile_nativeEndianEncoding(THFile *self)
{
  as_disk(self)->isNativeEncoding = 1;
}

void THDiskFile_littleEndianEncoding(THFile *self)
{
  as_disk(self)->isNativeEncoding = THDiskFile_isLittleEndianCPU();
}

void THDiskFile_bigEndianEncoding(THFile *self)
{
  as_disk(self)->isNativeEncoding = THDiskFile_isBigEndianCPU();
}

void THDiskFile_longSize(THFile *self, int size)
{
  THDiskFile *df = as_disk(self);
  THArgCheck(size == 0 || size == 4 || size == 8, 2, "invalid long size %d: use 0, 4 or 8", size);
  df->longSize = size;
}

void THDiskFile_noBuffer(THFile *self)
{
  THDiskFile *df = as_disk(self);
  if (!df->handle) THIOError("attempt to use a closed file");
  if (setvbuf(df->handle, NULL, _IONBF, 0) != 0)
    THIOError("cannot disable buffering of <%s>", df->name);
}
