/* THCStorage: device storages, their host-side management (generic/THCStorage.c). The copies
 * and fills that run kernels are in THCTensorCopy.cu and THCTensorMath.cu. */
#include "THC.h"

#define THC_GENERIC_FILE "generic/THCStorage.c"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
