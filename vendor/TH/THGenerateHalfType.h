/* Instantiates TH_GENERIC_FILE for Half. */
#define TH_GEN_TYPE 7
#include "THGenerateType.h"
#undef TH_GEN_TYPE
