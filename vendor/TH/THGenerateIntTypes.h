/* Instantiates TH_GENERIC_FILE for Byte, Char, Short, Int and Long. */
#define TH_GEN_TYPE 0
#include "THGenerateType.h"
#undef TH_GEN_TYPE
#define TH_GEN_TYPE 1
#include "THGenerateType.h"
#undef TH_GEN_TYPE
#define TH_GEN_TYPE 2
#include "THGenerateType.h"
#undef TH_GEN_TYPE
#define TH_GEN_TYPE 3
#include "THGenerateType.h"
#undef TH_GEN_TYPE
#define TH_GEN_TYPE 4
#include "THGenerateType.h"
#undef TH_GEN_TYPE
