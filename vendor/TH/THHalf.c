/* THHalf: float <-> half with round-to-nearest-even; infinities kept, NaN as upstream's one NaN. */
#include <stdint.h>
#include "THHalf.h"

void TH_float2halfbits(float *src, unsigned short *dest)
{
  uint32_t x;
  memcpy(&x, src, sizeof x);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  uint16_t h;
  if (absx >= 0x7f800000u) {                  /* inf or NaN */
    h = (uint16_t)(absx > 0x7f800000u ? 0x7fffu : sign | 0x7c00u); /* every NaN: 0x7fff, as upstream */
  } else if (absx >= 0x477ff000u) {           /* rounds to beyond the largest half */
    h = (uint16_t)(sign | 0x7c00u);
  } else if (absx < 0x38800000u) {            /* subnormal half, or zero */
    if (absx < 0x33000000u) {
      h = (uint16_t)sign;
    } else {
      uint32_t e = absx >> 23;
      uint32_t m = (absx & 0x7fffffu) | 0x800000u;
      uint32_t shift = 126u - e;              /* 14 + (112 - e) + 1 - 1 */
      uint32_t q = m >> (shift);
      uint32_t rem = m & ((1u << shift) - 1u);
      uint32_t half = 1u << (shift - 1u);
      if (rem > half || (rem == half && (q & 1u))) q++;
      h = (uint16_t)(sign | q);
    }
  } else {                                    /* normal */
    uint32_t q = (absx - 0x38000000u) >> 13;
    uint32_t rem = absx & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (q & 1u))) q++;
    h = (uint16_t)(sign | q);
  }
  *dest = h;
}

void TH_halfbits2float(unsigned short *src, float *dest)
{
  uint32_t h = *src;
  uint32_t sign = (h & 0x8000u) << 16;
  uint32_t e = (h >> 10) & 0x1fu;
  uint32_t m = h & 0x3ffu;
  uint32_t x;
  if (e == 0) {
    if (m == 0) {
      x = sign;
    } else {                                  /* subnormal: normalise */
      e = 113;
      while (!(m & 0x400u)) {
        m <<= 1;
        e--;
      }
      x = sign | (e << 23) | ((m & 0x3ffu) << 13);
    }
  } else if (e == 31) {                      /* every NaN: 0x7fffffff, as upstream */
    x = m ? 0x7fffffffu : sign | 0x7f800000u;
  } else {
    x = sign | ((e + 112u) << 23) | (m << 13);
  }
  memcpy(dest, &x, sizeof x);
}

THHalf TH_float2half(float f)
{
  THHalf h;
  TH_float2halfbits(&f, &h.x);
  return h;
}

float TH_half2float(THHalf h)
{
  float f;
  TH_halfbits2float(&h.x, &f);
  return f;
}
