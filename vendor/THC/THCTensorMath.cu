/* THCTensorMath: fills and pointwise math (generic/THCTensorMath.cu). */
#include "THCApply.cuh"

#define THC_GENERIC_FILE "generic/THCTensorMath.cu"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
