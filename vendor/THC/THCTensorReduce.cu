/* THCTensorReduce: whole-tensor reductions and reductions along a dimension
 * (generic/THCTensorReduce.cu). */
#include "THCApply.cuh"

#define THC_GENERIC_FILE "generic/THCTensorReduce.cu"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
