/* THCStorage: a reference-counted, typed, contiguous block of device memory. */
#ifndef THC_STORAGE_H
#define THC_STORAGE_H

#include "THCGeneral.h"

#define THCStorage TH_CONCAT_3(TH, CReal, Storage)
#define THCStorage_(NAME) TH_CONCAT_4(TH, CReal, Storage_, NAME)

/* The flags are TH's: TH_STORAGE_REFCOUNTED, _RESIZABLE, _FREEMEM, _VIEW. */
#define THC_GENERIC_FILE "generic/THCStorage.h"
#define THC_GENERIC_STRUCT_ONLY
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_STRUCT_ONLY
#include "THCGenerateAllTypes.h"
#undef THC_GENERIC_FILE

#endif
