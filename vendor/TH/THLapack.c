#include "THLapack.h"

#define TH_GENERIC_FILE "generic/THLapack.c"
#include "THGenerateFloatTypes.h"
#undef TH_GENERIC_FILE
