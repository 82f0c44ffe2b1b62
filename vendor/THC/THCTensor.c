/* THCTensor: device tensors' geometry, views and lifetime. The body is libTH's own
 * (vendor/TH/generic/THTensor.c, included by generic/THCTensor.c with THC's names); only what
 * touches the device is THC's. Nothing here runs a kernel but the copies newClone makes
 * (THCTensorCopy.cu). */
#include "THC.h"

/* generic/THTensor.c's hooks, as libTHC sets them: the state first, argument numbers counting it,
 * libTH's errors moved over, elements read and written through the device */
#define THT_DEVICE
#define THT_STATE_DECL THCState *state,
#define THT_STATE_ONLY_DECL THCState *state
#define THT_STATE state,
#define THT_STATE_ONLY state
#define THT_ARG(N) ((N) + 1)
#define THT_AFTER_TH_CALL() THC_checkTH()
#define THT_LOAD(P) THCTensor_(loadElement)(P)
#define THT_STORE(P, V) THCTensor_(storeElement)((P), (V))

#define THC_GENERIC_FILE "generic/THCTensor.c"
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE
