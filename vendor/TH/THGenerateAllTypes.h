/* Instantiates TH_GENERIC_FILE for the seven math types (not Half). */
#include "THGenerateIntTypes.h"
#include "THGenerateFloatTypes.h"
