#include "THTensor.h"
#include "THTensorApply.h"
#include "THTensorDimApply.h"
#include "THVector.h"
#include "THBlas.h"

#define TH_GENERIC_FILE "generic/THTensorLapack.c"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
