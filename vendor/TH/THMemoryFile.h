/* THMemoryFile: a THFile on a char storage, which grows as it is written. The storage always
 * ends with a '\0' after the content, so its size is the content length + 1. */
#ifndef TH_MEMORY_FILE_H
#define TH_MEMORY_FILE_H

#include "THFile.h"

/* mode is "r", "w" or "rw". */
TH_API THFile *THMemoryFile_new(const char *mode);
/* Retains storage, whose last byte must be '\0'; NULL gives a fresh empty storage. */
TH_API THFile *THMemoryFile_newWithStorage(THCharStorage *storage, const char *mode);
/* The storage, resized to the content length + 1; borrowed: retain it to keep it. */
TH_API THCharStorage *THMemoryFile_storage(THFile *self);
/* Bytes per long in binary mode: 4 or 8 (0: native). */
TH_API void THMemoryFile_longSize(THFile *self, int size);

#endif
