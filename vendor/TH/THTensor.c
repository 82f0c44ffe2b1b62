#include "THTensor.h"
#include "THTensorApply.h"
#include "THVector.h"
#include "THBlas.h"

/* generic/THTensor.c's hooks, as libTH sets them (libTHC sets its own: THC's THCTensor.c) */
#define THT_STATE_DECL
#define THT_STATE_ONLY_DECL void
#define THT_STATE
#define THT_STATE_ONLY
#define THT_ARG(N) (N)
#define THT_AFTER_TH_CALL() ((void)0)
#define THT_LOAD(P) (*(P))
#define THT_STORE(P, V) (*(P) = (V))

#define TH_GENERIC_FILE "generic/THTensor.c"
#include "THGenerateAllTypes.h"
#include "THGenerateHalfType.h"
#undef TH_GENERIC_FILE

/* the copies between types: THTensorCopy.c */
