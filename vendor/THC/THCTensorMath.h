/* THCTensorMath: fills, pointwise math, reductions and matrix products of device tensors. */
#ifndef THC_TENSOR_MATH_H
#define THC_TENSOR_MATH_H

#include "THCTensor.h"

#define THC_GENERIC_FILE "generic/THCTensorMath.h"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE

#endif
