#include "THTensor.h"
#include "THTensorApply.h"
#include "THVector.h"
#include "THBlas.h"

#define TH_GENERIC_FILE "generic/THTensorCopy.c"
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE
