/* THPipeFile: popen behind the disk file implementation. */
#include "THPipeFile.h"
#include "THFilePrivate.h"

THFile *THPipeFile_new(const char *name, const char *mode, int isQuiet)
{
  THArgCheck(name != NULL, 1, "command is NULL");
  THArgCheck(mode != NULL && (strcmp(mode, "r") == 0 || strcmp(mode, "w") == 0), 2,
             "pipe mode should be 'r' or 'w'");
  return THDiskFile_open_(name, mode, isQuiet, 1);
}
