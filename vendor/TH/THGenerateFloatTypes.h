/* Instantiates TH_GENERIC_FILE for Float and Double. */
#define TH_GEN_TYPE 5
#include "THGenerateType.h"
#undef TH_GEN_TYPE
#define TH_GEN_TYPE 6
#include "THGenerateType.h"
#undef TH_GEN_TYPE
