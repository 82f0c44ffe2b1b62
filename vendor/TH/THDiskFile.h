/* THDiskFile: a THFile on a file of the file system. */
#ifndef TH_DISK_FILE_H
#define TH_DISK_FILE_H

#include "THFile.h"

/* mode is "r", "w" (create or truncate) or "rw" (update, creating the file if absent). When
 * the file cannot be opened, a quiet call returns NULL; otherwise it raises. */
TH_API THFile *THDiskFile_new(const char *name, const char *mode, int isQuiet);
TH_API const char *THDiskFile_name(THFile *self);

TH_API int THDiskFile_isLittleEndianCPU(void);
TH_API int THDiskFile_isBigEndianCPU(void);
/* Byte order of binary data in the file; bytes are swapped when it differs from the CPU's. */
TH_API void THDiskFile_nativeEndianEncoding(THFile *self);
TH_API void THDiskFile_littleEndianEncoding(THFile *self);
TH_API void THDiskFile_bigEndianEncoding(THFile *self);
/* Bytes per long in binary mode: 4 or 8 (0: native). */
TH_API void THDiskFile_longSize(THFile *self, int size);
TH_API void THDiskFile_noBuffer(THFile *self);

#endif
