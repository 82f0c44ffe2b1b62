/* THCTensorCopy: copies between device tensors (any of the built types), from CPU tensors of any
 * TH type, and back to CPU tensors. */
#ifndef THC_TENSOR_COPY_H
#define THC_TENSOR_COPY_H

#include "THCTensor.h"

#define THC_GENERIC_FILE "generic/THCTensorCopy.h"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE

#endif
