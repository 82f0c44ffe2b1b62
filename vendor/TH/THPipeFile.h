/* THPipeFile: a THFile on a shell command's input or output (popen). A disk file underneath:
 * THDiskFile_* apply, but it cannot seek. */
#ifndef TH_PIPE_FILE_H
#define TH_PIPE_FILE_H

#include "THFile.h"

/* mode is "r" (read the command's output) or "w" (write to its input). */
TH_API THFile *THPipeFile_new(const char *name, const char *mode, int isQuiet);

#endif
