/* THCTensor: device tensors' geometry, views and lifetime (generic/THCTensor.c). Nothing here
 * runs a kernel but the copies newClone makes (THCTensorCopy.cu). */
#include "THC.h"

#define THC_GENERIC_FILE "generic/THCTensor.c"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
