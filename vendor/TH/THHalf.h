/* THHalf: 16-bit IEEE floats, stored as their bits; arithmetic happens in float. */
#ifndef TH_HALF_H
#define TH_HALF_H

#include "THGeneral.h"

typedef struct {
  unsigned short x;
} __THHalf;
typedef __THHalf THHalf;

TH_API void TH_float2halfbits(float *src, unsigned short *dest);
TH_API void TH_halfbits2float(unsigned short *src, float *dest);
TH_API THHalf TH_float2half(float f);
TH_API float TH_half2float(THHalf h);

#endif
