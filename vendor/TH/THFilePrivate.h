/* THFilePrivate: the THFile struct, its vtable, and helpers shared by the file kinds.
 * Private to the library. */
#ifndef TH_FILE_PRIVATE_H
#define TH_FILE_PRIVATE_H

#include <stdint.h>
#include "THFile.h"

#define TH_FILE_INTERNAL __attribute__((visibility("hidden")))

struct THFileVTable {
  int (*isOpened)(THFile *self);

  size_t (*readByte)(THFile *self, unsigned char *data, size_t n);
  size_t (*readChar)(THFile *self, char *data, size_t n);
  size_t (*readShort)(THFile *self, short *data, size_t n);
  size_t (*readInt)(THFile *self, int *data, size_t n);
  size_t (*readLong)(THFile *self, long *data, size_t n);
  size_t (*readFloat)(THFile *self, float *data, size_t n);
  size_t (*readDouble)(THFile *self, double *data, size_t n);
  size_t (*readHalf)(THFile *self, THHalf *data, size_t n);
  size_t (*readString)(THFile *self, const char *format, char **str_);

  size_t (*writeByte)(THFile *self, unsigned char *data, size_t n);
  size_t (*writeChar)(THFile *self, char *data, size_t n);
  size_t (*writeShort)(THFile *self, short *data, size_t n);
  size_t (*writeInt)(THFile *self, int *data, size_t n);
  size_t (*writeLong)(THFile *self, long *data, size_t n);
  size_t (*writeFloat)(THFile *self, float *data, size_t n);
  size_t (*writeDouble)(THFile *self, double *data, size_t n);
  size_t (*writeHalf)(THFile *self, THHalf *data, size_t n);
  size_t (*writeString)(THFile *self, const char *str, size_t size);

  void (*synchronize)(THFile *self);
  void (*seek)(THFile *self, size_t position);
  void (*seekEnd)(THFile *self);
  size_t (*position)(THFile *self);
  void (*close)(THFile *self);
  void (*free)(THFile *self);
};

/* Upstream's layout. The generic layer (THFile.c) checks that the file is open and readable or
 * writable before calling the vtable, so the implementations need not. */
struct THFile__ {
  const struct THFileVTable *vtable;
  int isQuiet;
  int isReadable;
  int isWritable;
  int isBinary;
  int isAutoSpacing;
  int hasError;
};

/* Element types, so that each file kind writes one read and one write function, not eight. */
enum { TH_FILE_BYTE, TH_FILE_CHAR, TH_FILE_SHORT, TH_FILE_INT, TH_FILE_LONG, TH_FILE_FLOAT,
       TH_FILE_DOUBLE, TH_FILE_HALF };

static inline size_t THFile_elemSize_(int type)
{
  static const size_t sizes[] = {sizeof(unsigned char), sizeof(char), sizeof(short), sizeof(int),
                                 sizeof(long), sizeof(float), sizeof(double), sizeof(THHalf)};
  return sizes[type];
}

/* Bytes per element in a binary file: longs take longSize bytes (0: native); we assume LP64,
 * so 4 is the only size that differs from memory. */
static inline size_t THFile_fileElemSize_(int type, int longSize)
{
  if (type == TH_FILE_LONG && longSize == 4) return 4;
  return THFile_elemSize_(type);
}

static inline void THFile_initFlags_(THFile *self, const struct THFileVTable *vtable,
                                     int isReadable, int isWritable, int isQuiet)
{
  self->vtable = vtable;
  self->isQuiet = isQuiet ? 1 : 0;
  self->isReadable = isReadable;
  self->isWritable = isWritable;
  self->isBinary = 0;
  self->isAutoSpacing = 1;
  self->hasError = 0;
}

/* "r", "w" or "rw"; returns 0 for anything else. */
static inline int THFile_parseMode_(const char *mode, int *isReadable, int *isWritable)
{
  if (!mode) return 0;
  *isReadable = strcmp(mode, "r") == 0 || strcmp(mode, "rw") == 0;
  *isWritable = strcmp(mode, "w") == 0 || strcmp(mode, "rw") == 0;
  return *isReadable || *isWritable;
}

/* The text of element i in ASCII mode (not for bytes and chars, which are moved raw). */
static inline int THFile_formatElem_(char *buf, size_t len, int type, const void *data, size_t i)
{
  switch (type) {
  case TH_FILE_SHORT: return snprintf(buf, len, "%hd", ((const short *)data)[i]);
  case TH_FILE_INT: return snprintf(buf, len, "%d", ((const int *)data)[i]);
  case TH_FILE_LONG: return snprintf(buf, len, "%ld", ((const long *)data)[i]);
  case TH_FILE_FLOAT: return snprintf(buf, len, "%.9g", (double)((const float *)data)[i]);
  case TH_FILE_DOUBLE: return snprintf(buf, len, "%.17g", ((const double *)data)[i]);
  case TH_FILE_HALF:
    return snprintf(buf, len, "%.9g", (double)TH_half2float(((const THHalf *)data)[i]));
  default: return -1;
  }
}

/* Reverses the bytes of each of n elements of the given size, in place. */
static inline void THFile_swapBytes_(void *data, size_t elemSize, size_t n)
{
  unsigned char *p = data;
  for (size_t i = 0; i < n; i++, p += elemSize)
    for (size_t a = 0, b = elemSize - 1; a < b; a++, b--) {
      unsigned char t = p[a];
      p[a] = p[b];
      p[b] = t;
    }
}

/* Longs stored as 4 bytes: narrowing (truncating, as upstream) and widening. Widening walks
 * backwards so that it may run in place, the int32s packed at the start of the long array. */
static inline void THFile_narrowLongs_(void *dst, const long *src, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int32_t v = (int32_t)src[i];
    memcpy((char *)dst + 4 * i, &v, 4);
  }
}

static inline void THFile_widenLongs_(long *dst, const void *src, size_t n)
{
  for (size_t i = n; i-- > 0;) {
    int32_t v;
    memcpy(&v, (const char *)src + 4 * i, 4);
    dst[i] = v;
  }
}

/* After a read or write of n elements that moved only done: flag it, and raise unless quiet. */
static inline size_t THFile_checkCount_(THFile *self, size_t done, size_t n, int reading)
{
  if (done != n) {
    self->hasError = 1;
    if (!self->isQuiet) {
      if (reading) THIOError("read error: read %zu blocks instead of %zu", done, n);
      else THIOError("write error: wrote %zu blocks instead of %zu", done, n);
    }
  }
  return done;
}

/* A seek or position failure: flag it, and raise unless quiet. */
#define THFile_fail_(SELF, ...)                 \
  do {                                          \
    (SELF)->hasError = 1;                       \
    if (!(SELF)->isQuiet) THIOError(__VA_ARGS__); \
  } while (0)

/* THDiskFile.c: opens a disk file, or a pipe (popen) when isPipe; THPipeFile.c uses it. */
TH_FILE_INTERNAL THFile *THDiskFile_open_(const char *name, const char *mode, int isQuiet,
                                          int isPipe);

#endif
