/* THSize: helpers over size arrays. */
#ifndef TH_SIZE_H
#define TH_SIZE_H

#include "THGeneral.h"

TH_API int THSize_isSameSizeAs(const long *sizeA, long dimsA, const long *sizeB, long dimsB);
TH_API ptrdiff_t THSize_nElement(long dims, long *size);

#endif
