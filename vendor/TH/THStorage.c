#include "THStorage.h"

#define TH_GENERIC_FILE "generic/THStorage.c"
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE

#define TH_GENERIC_FILE "generic/THStorageCopy.c"
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE
