/* Instantiates THC_GENERIC_FILE for the types libTHC is built for: Float, Double, Int, Long. */
#define THC_GEN_TYPE 5
#include "THCGenerateType.h"
#undef THC_GEN_TYPE
#define THC_GEN_TYPE 6
#include "THCGenerateType.h"
#undef THC_GEN_TYPE
#define THC_GEN_TYPE 3
#include "THCGenerateType.h"
#undef THC_GEN_TYPE
#define THC_GEN_TYPE 4
#include "THCGenerateType.h"
#undef THC_GEN_TYPE
