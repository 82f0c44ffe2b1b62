/* THC: cutorch's CUDA tensor API, for the element types Float (THCudaTensor), Double, Int and
 * Long. Every function takes a THCState first: THCState_alloc, then THCudaInit. */
#ifndef THC_H
#define THC_H

#include "THCGeneral.h"
#include "THCStorage.h"
#include "THCTensor.h"
#include "THCTensorCopy.h"
#include "THCTensorMath.h"
#include "THCTensorRandom.h"
#include "THCBlas.h"

#endif
