/* THCTensor: a strided view (sizes, strides, offset) of a device storage. */
#ifndef THC_TENSOR_H
#define THC_TENSOR_H

#include "THCStorage.h"

#define THCTensor TH_CONCAT_3(TH, CReal, Tensor)
#define THCTensor_(NAME) TH_CONCAT_4(TH, CReal, Tensor_, NAME)

#define THC_GENERIC_FILE "generic/THCTensor.h"
#define THC_GENERIC_STRUCT_ONLY
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_STRUCT_ONLY
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE

#endif
